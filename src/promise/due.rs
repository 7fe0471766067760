//! Time: a promise's next deadline, the events a deadline becomes, and its flags.

use chrono::{DateTime, Utc};

use super::event::PromiseEvent;
use super::state::{AtRiskReason, DependencyState, Promise, PromiseState, Promises};
use crate::flag::{FlagKind, PromiseTimer};
use crate::id::{ComplaintId, PromiseId};

/// The next deadline of one promise: `(when, why)`.
pub(crate) fn deadline(promise: &Promise) -> Option<(DateTime<Utc>, PromiseTimer)> {
    let terms = &promise.terms;
    let dependency = terms
        .dependency()
        .filter(|d| d.state == DependencyState::Pending)
        .map(|d| (d.due, PromiseTimer::Dependency));
    let own = match promise.state {
        PromiseState::Open => Some(match terms.at_risk_at {
            Some(at) if at < terms.due => (at, PromiseTimer::Warning),
            _ => (terms.due, PromiseTimer::Due),
        }),
        PromiseState::AtRisk { .. } => Some((terms.due, PromiseTimer::Due)),
        PromiseState::Broken { .. } => None,
        PromiseState::Kept { .. }
        | PromiseState::KeptLate { .. }
        | PromiseState::Withdrawn { .. } => {
            return None;
        }
    };
    match (own, dependency) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// The events a due deadline of `promise` becomes.
pub(crate) fn fire(id: PromiseId, promise: &Promise, timer: PromiseTimer) -> Vec<PromiseEvent> {
    let terms = &promise.terms;
    match timer {
        PromiseTimer::Warning => vec![PromiseEvent::AtRisk {
            promise: id,
            due: terms.due,
            owner: terms.owner,
            reason: AtRiskReason::LeadReached,
        }],
        PromiseTimer::Due => vec![PromiseEvent::Broken {
            promise: id,
            due: terms.due,
            owner: terms.owner,
            notice: terms.notice(),
            breaks: terms.breaks().saturating_add(1),
        }],
        PromiseTimer::Dependency => {
            let Some(dependency) = terms.dependency() else {
                return Vec::new();
            };
            let mut events = vec![PromiseEvent::DependencyLate {
                promise: id,
                party: dependency.party,
                due: dependency.due,
                owner: terms.owner,
            }];
            if promise.state == PromiseState::Open {
                events.push(PromiseEvent::AtRisk {
                    promise: id,
                    due: terms.due,
                    owner: terms.owner,
                    reason: AtRiskReason::DependencyLate,
                });
            }
            events
        }
    }
}

/// When a promise linked to `complaint` (made in answer to it, or one of `about`, the
/// promises the complaint is about) that broke once passed its due instant again by `now`, if
/// one has and `advance_to` has not yet recorded the break (which makes escalation due): the
/// earliest such due instant, for the level view.
pub(crate) fn breaks_again(
    promises: &Promises,
    complaint: ComplaintId,
    about: &[PromiseId],
    now: DateTime<Utc>,
) -> Option<DateTime<Utc>> {
    promises
        .iter()
        .filter(|(id, p)| p.terms.complaint() == Some(complaint) || about.contains(id))
        .map(|(_, promise)| promise)
        .filter(|p| {
            p.terms.breaks() == 1
                && matches!(p.state, PromiseState::Open | PromiseState::AtRisk { .. })
                && now >= p.terms.due
        })
        .map(|p| p.terms.due)
        .min()
}

/// The flags of one promise at `now`: `(kind, since)`.
pub(crate) fn flags(promise: &Promise, now: DateTime<Utc>) -> Vec<(FlagKind, DateTime<Utc>)> {
    let mut flags = Vec::new();
    if !promise.is_outstanding() {
        return flags;
    }
    let terms = &promise.terms;
    let broken = matches!(promise.state, PromiseState::Broken { .. }) || now >= terms.due;
    // The same answer before and after `advance_to`: a promise is at risk from the earlier of
    // its warning instant and its dependency's missed date, once either has passed, whichever
    // of them `advance_to` recorded and whenever it ran.
    let lead = terms.at_risk_at.filter(|at| now >= *at);
    let dependency_missed = terms
        .dependency()
        .filter(|d| {
            d.state == DependencyState::Late
                || (d.state == DependencyState::Pending && now >= d.due)
        })
        .map(|d| d.due);
    let reached = match (lead, dependency_missed) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    };
    let at_risk_since = match promise.state {
        // At risk for a reason that no longer shows in the terms (a late dependency met
        // since): from when it was recorded, which no later `advance_to` changes.
        PromiseState::AtRisk { since, .. } => Some(reached.unwrap_or(since)),
        PromiseState::Open => reached,
        PromiseState::Broken { .. }
        | PromiseState::Kept { .. }
        | PromiseState::KeptLate { .. }
        | PromiseState::Withdrawn { .. } => None,
    };
    if broken {
        flags.push((FlagKind::PromiseBroken, terms.due));
    } else if let Some(since) = at_risk_since {
        flags.push((FlagKind::PromiseAtRisk, since));
    }
    if terms.slipped_repeatedly() {
        let since = terms.revisions().last().map_or(terms.made_at, |r| r.at);
        flags.push((FlagKind::RepeatedSlips, since));
    }
    if let Some(dependency) = terms.dependency() {
        let late = dependency.state == DependencyState::Late
            || (dependency.state == DependencyState::Pending && now >= dependency.due);
        if late {
            flags.push((FlagKind::DependencyLate, dependency.due));
        }
    }
    flags
}
