//! Promises: commitments made to a customer, with an owner on our side, a due instant that is
//! exactly what the customer was told, and a history of every slip.
//!
//! "Can your customers trust you to do everything you promised?" A promise is open until it is
//! kept or withdrawn. When its due instant passes while open, it **breaks**: `advance_to` emits
//! `PromiseBroken` without anybody having to notice, saying whether the customer had been told
//! anything since the promise was made or last revised (**with notice**) or not (**in
//! silence**). A broken promise can still be kept (late) or re-promised.
//!
//! - **Re-promising** appends a [`Revision`] (never overwriting the original due instant),
//!   recording whether it came before the due instant (proactive) or after the break, and
//!   whether the customer agreed. The slip count and the cumulative slip are part of the state;
//!   reaching the policy's threshold emits `PromiseSlippedRepeatedly` ("another week, and still
//!   nothing").
//! - **Say what you do**: at the policy's lead before the due instant, `PromiseAtRisk` is
//!   raised once per due instant, unless the promise is kept. An outbound interaction that
//!   names the promise counts as telling the customer.
//! - **Outsourcing keeps responsibility**: a promise fulfilled by an outside party is still
//!   owned by one of our agents, who receives every flag. The party's own commitment to us can
//!   be recorded as a [`Dependency`]; when it passes unmet, the promise is at risk at once.
//! - A promise never pauses: it is measured in wall-clock time.
//!
//! A promise is breached **at** its due instant: kept strictly before it is on time.
//!
//! # State diagram
//!
//! ```text
//! open      --warn-->     at_risk
//! open      --keep-->     kept
//! open      --break-->    broken
//! open      --revise-->   open
//! open      --withdraw--> withdrawn
//! at_risk   --keep-->     kept
//! at_risk   --break-->    broken
//! at_risk   --revise-->   open
//! at_risk   --withdraw--> withdrawn
//! broken    --keep-->     kept_late
//! broken    --revise-->   open
//! broken    --withdraw--> withdrawn
//! ```
//!
//! # Dependency diagram
//!
//! An outside party's own commitment behind a promise ([`Dependency`]; the table is
//! [`DependencyLifecycle`]). Recording the first one makes it `pending`; the party's next
//! date replaces it, whatever its stage. Its due instant passing unmet (`dependency_late`,
//! fired by `advance_to` at that instant) makes it `late`, and the promise it stands behind
//! at risk at once; delivered, it is `met`, with the lateness if late. It lives and ends with
//! its promise: keeping or withdrawing the promise archives both. (A complaint's own wait on an
//! outside party, where complaints have one, is drawn in [`crate::complaint`].)
//!
//! ```text
//! pending --record--> pending
//! late    --record--> pending
//! met     --record--> pending
//! pending --miss-->   late
//! pending --meet-->   met
//! late    --meet-->   met
//! ```
//!
//! # Layout
//!
//! `state` holds the data and the transition table; `decide` turns commands into
//! [`PromiseEvent`]s, `fold` applies them, `due` says when a promise next needs attention and
//! what it raises then.

mod command;
mod decide;
mod dependency_table;
mod due;
mod event;
mod fold;
mod state;

pub use command::{
    KeepPromise, MakePromise, MeetDependency, PromiseCommand, RecordDependency, RevisePromise,
    WithdrawPromise,
};
pub use dependency_table::{DependencyAction, DependencyLifecycle};
pub use event::PromiseEvent;
pub use state::{
    AtRiskReason, Dependency, DependencyState, Fulfiller, Notice, Promise, PromiseAction,
    PromiseLifecycle, PromiseStage, PromiseState, PromiseTerms, Revision, RevisionTiming,
};

pub(crate) use decide::decide;
pub(crate) use due::{breaks_again, deadline, fire, flags};
pub(crate) use fold::{fold, inform};
pub(crate) use state::Promises;
