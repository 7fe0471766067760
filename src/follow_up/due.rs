//! Time for follow-ups: the due instant, the event it becomes, and the overdue flag.

use chrono::{DateTime, Utc};

use super::event::FollowUpEvent;
use super::state::{FollowUp, FollowUpState};
use crate::id::FollowUpId;

/// The next deadline of one follow-up.
pub(crate) fn deadline(follow_up: &FollowUp) -> Option<DateTime<Utc>> {
    follow_up
        .due
        .filter(|_| follow_up.state == FollowUpState::Scheduled)
}

/// The event a due follow-up becomes (none for one with no due instant).
pub(crate) fn fire(id: FollowUpId, follow_up: &FollowUp) -> Vec<FollowUpEvent> {
    follow_up
        .due
        .map(|due| FollowUpEvent::Overdue {
            follow_up: id,
            owner: follow_up.owner,
            due,
        })
        .into_iter()
        .collect()
}

/// Whether a follow-up is overdue at `now` (level view): the instant it became overdue.
pub(crate) fn overdue(follow_up: &FollowUp, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    let due = follow_up.due?;
    (follow_up.state == FollowUpState::Overdue
        || (follow_up.state == FollowUpState::Scheduled && now >= due))
        .then_some(due)
}

/// Since when a pending follow-up has had no due instant, if it has none (level view).
pub(crate) fn without_target(follow_up: &FollowUp) -> Option<DateTime<Utc>> {
    (follow_up.is_pending() && follow_up.no_target.is_some()).then_some(follow_up.scheduled_at)
}
