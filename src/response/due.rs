//! Time: the response clock's next deadline, the event a deadline becomes, and its flag.

use chrono::{DateTime, Utc};

use super::event::ResponseEvent;
use super::state::{ResponseClock, Wait};
use crate::flag::{FlagKind, ResponseTimer};
use crate::id::InteractionId;
use crate::outcome::NoTarget;

/// The clock's next deadline: `(when, why, the inbound interaction waiting)`.
pub(crate) fn deadline(
    clock: &ResponseClock,
) -> Option<(DateTime<Utc>, ResponseTimer, InteractionId)> {
    let wait = clock.wait()?;
    // A clock with no target never falls due.
    let due = wait.due?;
    let (at, kind) = match (clock, wait.warn_at) {
        (ResponseClock::Waiting(_), Some(warn_at)) if warn_at < due => {
            (warn_at, ResponseTimer::Warning)
        }
        (ResponseClock::Waiting(_) | ResponseClock::Warned(_), _) => (due, ResponseTimer::Due),
        (
            ResponseClock::Idle | ResponseClock::Overdue(_) | ResponseClock::AwaitingCustomer(_),
            _,
        ) => return None,
    };
    Some((at, kind, wait.since))
}

/// The events a due deadline of the clock becomes.
pub(crate) fn fire(clock: &ResponseClock, timer: ResponseTimer) -> Vec<ResponseEvent> {
    let Some((wait, due)) = clock.wait().and_then(|w| Some((w, w.due?))) else {
        return Vec::new();
    };
    let event = match timer {
        ResponseTimer::Warning => ResponseEvent::AtRisk {
            since: wait.since,
            due,
        },
        ResponseTimer::Due => ResponseEvent::Overdue {
            since: wait.since,
            due,
        },
    };
    vec![event]
}

/// The clock's flag at `now`, if the customer has waited past the deadline or the warning,
/// or waits on a clock with no target (since it started): `(kind, since, the wait)`.
pub(crate) fn flag(
    clock: &ResponseClock,
    now: DateTime<Utc>,
) -> Option<(FlagKind, DateTime<Utc>, &Wait)> {
    let wait = clock.wait()?;
    let Some(due) = wait.due else {
        // A clock the policy set no target for is meant so, and not flagged.
        let fault = wait.no_target().is_none_or(NoTarget::is_fault);
        return fault.then_some((FlagKind::NoTarget, wait.started, wait));
    };
    if now >= due {
        return Some((FlagKind::ResponseOverdue, due, wait));
    }
    wait.warn_at
        .filter(|warn_at| now >= *warn_at)
        .map(|warn_at| (FlagKind::ResponseAtRisk, warn_at, wait))
}
