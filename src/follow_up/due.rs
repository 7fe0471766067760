//! Time for follow-ups: the due instant, the event it becomes, and the overdue flag.

use chrono::{DateTime, Utc};

use super::event::FollowUpEvent;
use super::state::{FollowUp, FollowUpState};
use crate::id::FollowUpId;

/// The next deadline of one follow-up.
pub(crate) fn deadline(follow_up: &FollowUp) -> Option<DateTime<Utc>> {
    (follow_up.state == FollowUpState::Scheduled).then_some(follow_up.due)
}

/// The event a due follow-up becomes.
pub(crate) fn fire(id: FollowUpId, follow_up: &FollowUp) -> Vec<FollowUpEvent> {
    vec![FollowUpEvent::Overdue {
        follow_up: id,
        owner: follow_up.owner,
        due: follow_up.due,
    }]
}

/// Whether a follow-up is overdue at `now` (level view).
pub(crate) fn overdue(follow_up: &FollowUp, now: DateTime<Utc>) -> bool {
    follow_up.state == FollowUpState::Overdue
        || (follow_up.state == FollowUpState::Scheduled && now >= follow_up.due)
}
