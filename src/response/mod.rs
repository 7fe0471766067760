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
//! # Waiting for the customer
//!
//! An outbound interaction that asks the customer something and waits for them
//! ([`RecordInteraction::awaiting_customer`]) records `response_awaiting_customer` (schema
//! version 3) after any `response_clock_stopped` it causes:
//!
//! - **It answers first.** The question is an answer like any outbound: the clock waiting
//!   stops, met or late, at the question. We follow Zendesk here: a public agent comment is
//!   the reply that stops *first/next reply time*, and "pending" stops the *requester wait*
//!   clock; it is not Jira Service Management's pause, which keeps a clock's elapsed time to
//!   resume it later. The response clock measures how long the customer waits for us, and
//!   after our question they do not: pausing would hide the wait they had until the customer
//!   answers. (A complaint's own targets do pause: `AwaitCustomer`.)
//! - **Then the next word is the customer's** (`awaiting_customer`, [`Pending`]): nothing is
//!   due, nothing is flagged; further outbound interactions keep it so (a reminder, another
//!   question); the **update cadences** of the complaints and promises the question is about
//!   are paused, and an outbound interaction about them does not re-arm them.
//! - **The customer's next inbound ends it**: one that expects an answer starts a **reply**
//!   clock (even if we had never answered before: it answers our question), one that needs no
//!   answer just ends the wait; either arms the paused cadences afresh from that moment, except
//!   a complaint that itself waits on the customer (`complaint_resumed` arms it).
//! - An inbound interaction cannot await the customer (`Contradictory`). Reported late, a
//!   question behaves as an answer at its time, and awaits the customer only if the customer
//!   has not spoken since; a message reported late from before the question does not end it
//!   (see [`crate::relationship`]).
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
//! idle    --ask-->    awaiting_customer
//! awaiting_customer --ask-->   awaiting_customer
//! awaiting_customer --start--> waiting
//! awaiting_customer --hear-->  idle
//! ```
//!
//! `start` is the first unanswered inbound, `await` any further one, `warn` and `breach` are
//! moments passing (emitted by `advance_to`), `answer` is an outbound interaction, `ask` our
//! question (after its answer stopped any wait), `hear` the customer speaking, needing no
//! answer, after we asked.

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
pub use state::{
    ClockAction, ClockKind, ClockStage, Pending, ResponseClock, ResponseLifecycle, Wait,
};

pub(crate) use cadence::{
    UpdateClocks, Whereabouts, arm as arm_update, deadline as update_deadline, fire as fire_update,
    flag as update_flag, fold as fold_update, is_update, settle as settle_update,
};
pub(crate) use conversation::Conversation;
pub(crate) use decide::{Interactions, record};
pub(crate) use due::{deadline, fire, flag};
pub(crate) use fold::{InteractionsMut, fold};
