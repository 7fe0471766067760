//! Interactions and the response clock: how long the customer has been waiting for us.
//!
//! "The clock ticks in the customer's head." From the moment an inbound interaction that
//! expects an answer is recorded, the customer is waiting:
//!
//! - the first inbound a customer ever sends starts the **first-response** clock; later, while
//!   anything inbound is unanswered, the **oldest unanswered** message fixes the **reply**
//!   deadline, and later messages do not move it;
//! - an outbound interaction on **any** channel answers everything inbound before it: a phone
//!   call answers an e-mail;
//! - an inbound that needs no answer (a "thank you") starts no clock;
//! - [`advance_to`](crate::Relationship::advance_to) emits a warning when the policy's lead
//!   before the deadline is reached, and `ResponseOverdue` exactly once when it passes;
//! - the answer closes the clock with an [`Outcome`](crate::outcome::Outcome): met, or met late with the lateness.
//! - the message is recorded even when its deadline cannot be computed (the target's calendar
//!   is not in the policy, or has no working time left): the clock then starts with **no
//!   target** and the reason ([`NoTarget`](crate::outcome::NoTarget)), never falls due, is
//!   flagged to the account owner ([`FlagKind::NoTarget`](crate::FlagKind::NoTarget), since the
//!   message came in), and its answer is untimed.
//! - a message reported late ([`Request::occurred_at`](crate::Request::occurred_at)) that is
//!   older than the one the clock waits on **re-anchors** the wait on itself: a second
//!   `response_clock_started`, dated at the older message, replaces the wait's terms and
//!   keeps its stage and count (not a transition: the stage does not change); an answer
//!   reported late stops the clock at its real time (the oldest message after it starts the
//!   next clock), one dated before the message the clock waits on answers nothing, and a
//!   message logged after an answer that stopped no clock records its own wait, start to
//!   answer (see [`crate::relationship`] for every rule).
//!
//! # State diagram
//!
//! ```text
//! idle    --start-->  waiting
//! waiting --await-->  waiting
//! waiting --warn-->   warned
//! waiting --breach--> overdue
//! waiting --answer--> idle
//! warned  --await-->  warned
//! warned  --breach--> overdue
//! warned  --answer--> idle
//! overdue --await-->  overdue
//! overdue --answer--> idle
//! ```
//!
//! `start` is the first unanswered inbound, `await` any further one, `warn` and `breach` are
//! moments passing (emitted by `advance_to`), `answer` is an outbound interaction.

//!
//! # Layout
//!
//! The **update cadence** ("keep the customer informed": how long the customer may go without
//! hearing from us about an open complaint or an outstanding promise) is this family's too:
//! its rules and state diagram are in `cadence` ([`UpdateClock`]).
//!
//! `state` holds the data and the transition table; `decide` turns a recorded interaction
//! into [`ResponseEvent`]s, `fold` applies them, `due` says when the clock next needs
//! attention and what it raises then.

mod cadence;
mod command;
mod conversation;
mod decide;
mod due;
mod event;
mod fold;
mod state;

pub use cadence::{UpdateAction, UpdateClock, UpdateLifecycle, UpdateStage};
pub use command::{RecordInteraction, ResponseCommand};
pub use event::ResponseEvent;
pub use state::{ClockAction, ClockKind, ClockStage, ResponseClock, ResponseLifecycle, Wait};

pub(crate) use cadence::{
    UpdateClocks, Whereabouts, arm as arm_update, deadline as update_deadline, fire as fire_update,
    flag as update_flag, fold as fold_update, settle as settle_update,
};
pub(crate) use conversation::Conversation;
pub(crate) use decide::{Interactions, record};
pub(crate) use due::{deadline, fire, flag};
pub(crate) use fold::{InteractionsMut, fold};
