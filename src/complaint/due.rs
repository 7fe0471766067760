//! Time for complaints: the next deadline of a complaint's clocks, what a deadline becomes
//! when it falls due, and the flags a complaint raises.

use chrono::{DateTime, Utc};

use super::clock::ComplaintClockKind;
use super::event::ComplaintEvent;
use super::outside;
use super::state::{Complaint, EscalationReason};
use crate::flag::{ComplaintTimer, FlagKind};
use crate::id::{AgentId, ComplaintId};

/// The next deadline of one complaint: `(when, why)`.
pub(crate) fn deadline(complaint: &Complaint) -> Option<(DateTime<Utc>, ComplaintTimer)> {
    complaint
        .clocks()
        .filter_map(|(kind, clock)| {
            let (at, warning) = clock.deadline()?;
            Some((at, timer(kind, warning)))
        })
        .chain(outside::deadline(complaint).map(|at| (at, ComplaintTimer::PartyDue)))
        .min()
}

const fn timer(kind: ComplaintClockKind, warning: bool) -> ComplaintTimer {
    match (kind, warning) {
        (ComplaintClockKind::Acknowledgement, true) => ComplaintTimer::AcknowledgementWarning,
        (ComplaintClockKind::Acknowledgement, false) => ComplaintTimer::AcknowledgementDue,
        (ComplaintClockKind::Resolution, true) => ComplaintTimer::ResolutionWarning,
        (ComplaintClockKind::Resolution, false) => ComplaintTimer::ResolutionDue,
        (ComplaintClockKind::Escalation, _) => ComplaintTimer::EscalationThreshold,
    }
}

/// The events a due deadline of `complaint` becomes.
pub(crate) fn fire(
    id: ComplaintId,
    complaint: &Complaint,
    timer: ComplaintTimer,
    fallback_owner: Option<AgentId>,
) -> Vec<ComplaintEvent> {
    let owner = complaint.owner.or(fallback_owner);
    let (clock, warning) = match timer {
        ComplaintTimer::AcknowledgementWarning => (ComplaintClockKind::Acknowledgement, true),
        ComplaintTimer::AcknowledgementDue => (ComplaintClockKind::Acknowledgement, false),
        ComplaintTimer::ResolutionWarning => (ComplaintClockKind::Resolution, true),
        ComplaintTimer::ResolutionDue => (ComplaintClockKind::Resolution, false),
        ComplaintTimer::PartyDue => return outside::lapse(id, complaint, owner),
        ComplaintTimer::EscalationThreshold => {
            return vec![ComplaintEvent::EscalationDue {
                complaint: id,
                reason: EscalationReason::Threshold,
                level: complaint.level,
                owner,
            }];
        }
    };
    let terms = match clock {
        ComplaintClockKind::Acknowledgement => &complaint.acknowledgement.terms,
        ComplaintClockKind::Resolution | ComplaintClockKind::Escalation => {
            &complaint.resolution.terms
        }
    };
    // A clock with no target has no deadline to fire.
    let Some(due) = terms.due else {
        return Vec::new();
    };
    if warning {
        vec![ComplaintEvent::ClockAtRisk {
            complaint: id,
            clock,
            due,
            owner,
        }]
    } else {
        vec![ComplaintEvent::ClockBreached {
            complaint: id,
            clock,
            due,
            owner,
        }]
    }
}

/// The flags of one complaint at `now`: `(kind, since, due)`. A clock running with no target
/// raises [`FlagKind::NoTarget`] since it was given its terms. `broken_again` is when a promise
/// linked to it (made in answer to it, or one it is about) passed its due instant a second
/// time, if one has and `advance_to` has not yet recorded it (see
/// [`crate::promise::breaks_again`]).
pub(crate) fn flags(
    complaint: &Complaint,
    now: DateTime<Utc>,
    broken_again: Option<DateTime<Utc>>,
) -> Vec<(FlagKind, DateTime<Utc>, Option<DateTime<Utc>>)> {
    let mut flags = Vec::new();
    if complaint.is_open() && complaint.is_unacknowledged() {
        flags.push((
            FlagKind::ComplaintUnacknowledged,
            complaint.received_at,
            complaint.acknowledgement.terms.due,
        ));
    }
    for (_, clock) in complaint.clocks() {
        if clock.without_target().is_some() {
            flags.push((FlagKind::NoTarget, clock.since, None));
        }
    }
    for (kind, clock) in complaint.clocks() {
        if kind == ComplaintClockKind::Escalation || !clock.is_running() {
            continue;
        }
        let terms = &clock.terms;
        let Some(due) = terms.due else {
            continue;
        };
        if clock.breached || now >= due {
            flags.push((FlagKind::ComplaintClockBreached, due, Some(due)));
        } else if clock.warned {
            // A warning raised before a pause or a reopen stands when the clock runs on,
            // though it is not raised again: at risk since then.
            let since = terms.warn_at.unwrap_or(clock.since);
            flags.push((FlagKind::ComplaintClockAtRisk, since, Some(due)));
        } else if let Some(at) = terms.warn_at.filter(|at| now >= *at) {
            flags.push((FlagKind::ComplaintClockAtRisk, at, Some(due)));
        }
    }
    if let Some((_, since)) = complaint.escalation_due {
        flags.push((FlagKind::EscalationDue, since, None));
    } else {
        // The same answer before and after `advance_to`: the threshold passed, or a linked
        // promise broke a second time.
        let threshold = complaint
            .escalation
            .as_ref()
            .filter(|c| c.is_running())
            .and_then(|c| c.terms.due)
            .filter(|due| now >= *due);
        let broken_again = broken_again.filter(|_| complaint.is_open());
        let since = match (threshold, broken_again) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        if let Some(since) = since {
            flags.push((FlagKind::EscalationDue, since, None));
        }
    }
    if let Some(due) = outside::late_since(complaint, now) {
        flags.push((FlagKind::PartyLate, due, Some(due)));
    }
    if let Some(since) = complaint.reopened_at_top.filter(|_| complaint.is_open()) {
        flags.push((FlagKind::ReopenedAtTop, since, None));
    }
    flags
}
