//! Time: the response clock's next deadline, the event a deadline becomes, and its flag.

use chrono::{DateTime, Utc};

use super::event::ResponseEvent;
use super::state::{ResponseClock, Wait};
use crate::flag::{DeadlineKind, FlagKind};
use crate::id::InteractionId;

/// The clock's next deadline: `(when, why, the inbound interaction waiting)`.
pub(crate) fn deadline(
    clock: &ResponseClock,
) -> Option<(DateTime<Utc>, DeadlineKind, InteractionId)> {
    let wait = clock.wait()?;
    let (at, kind) = match (clock, wait.warn_at) {
        (ResponseClock::Waiting(_), Some(warn_at)) if warn_at < wait.due => {
            (warn_at, DeadlineKind::ResponseWarning)
        }
        (ResponseClock::Waiting(_) | ResponseClock::Warned(_), _) => {
            (wait.due, DeadlineKind::ResponseDue)
        }
        (ResponseClock::Idle | ResponseClock::Overdue(_), _) => return None,
    };
    Some((at, kind, wait.since))
}

/// The events a due deadline of the clock becomes.
pub(crate) fn fire(clock: &ResponseClock, kind: DeadlineKind) -> Vec<ResponseEvent> {
    let Some(wait) = clock.wait() else {
        return Vec::new();
    };
    let event = match kind {
        DeadlineKind::ResponseWarning => ResponseEvent::AtRisk {
            since: wait.since,
            due: wait.due,
        },
        DeadlineKind::ResponseDue => ResponseEvent::Overdue {
            since: wait.since,
            due: wait.due,
        },
        DeadlineKind::DependencyDue
        | DeadlineKind::PromiseWarning
        | DeadlineKind::PromiseDue
        | DeadlineKind::AcknowledgementWarning
        | DeadlineKind::AcknowledgementDue
        | DeadlineKind::ResolutionWarning
        | DeadlineKind::ResolutionDue
        | DeadlineKind::EscalationThreshold
        | DeadlineKind::FollowUpDue => {
            return Vec::new();
        }
    };
    vec![event]
}

/// The clock's flag at `now`, if the customer has waited past the deadline or the warning:
/// `(kind, since, the wait)`.
pub(crate) fn flag(
    clock: &ResponseClock,
    now: DateTime<Utc>,
) -> Option<(FlagKind, DateTime<Utc>, &Wait)> {
    let wait = clock.wait()?;
    if now >= wait.due {
        return Some((FlagKind::ResponseOverdue, wait.due, wait));
    }
    wait.warn_at
        .filter(|warn_at| now >= *warn_at)
        .map(|warn_at| (FlagKind::ResponseAtRisk, warn_at, wait))
}
