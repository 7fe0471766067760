//! Follow-ups: contacting the customer after a problem is solved, to make sure they are
//! satisfied ("restores trust"), or for any reason an agent schedules one.
//!
//! Resolving a complaint schedules one after the policy's delay, owned by the complaint's
//! owner. A follow-up is done with an outcome: satisfied, not satisfied (which reopens the
//! complaint when the policy says so, as it does by default) or unreachable. One not done by its
//! due instant raises `FollowUpOverdue` once; it can still be done, late. When the policy's
//! delay cannot be computed on its calendar, the follow-up is scheduled all the same with no
//! due instant and the reason ([`NoTarget`](crate::outcome::NoTarget)): it is never overdue,
//! is flagged to its owner ([`FlagKind::NoTarget`](crate::FlagKind::NoTarget)) and is done
//! untimed.
//!
//! # State diagram
//!
//! ```text
//! scheduled --breach-->   overdue
//! scheduled --complete--> done
//! scheduled --cancel-->   cancelled
//! overdue   --complete--> done
//! overdue   --cancel-->   cancelled
//! ```
//!
//! Scheduling one after a resolution and reopening the complaint after a not-satisfied
//! outcome are the relationship's reactions; this family decides and folds its own events.

mod command;
mod decide;
mod due;
mod event;
mod fold;
mod state;

pub use command::{CancelFollowUp, CompleteFollowUp, FollowUpCommand, ScheduleFollowUp};
pub use event::FollowUpEvent;
pub use state::{
    FollowUp, FollowUpAction, FollowUpLifecycle, FollowUpOutcome, FollowUpStage, FollowUpState,
};

pub(crate) use decide::{cancel, complete, schedule};
pub(crate) use due::{deadline, fire, overdue, without_target};
pub(crate) use fold::fold;
pub(crate) use state::FollowUps;

#[cfg(test)]
mod tests {
    use super::FollowUpLifecycle;
    use crate::lifecycle::assert_documented;

    #[test]
    fn state_diagram_matches_transition_table() {
        assert_documented::<FollowUpLifecycle>(include_str!("mod.rs"));
    }
}
