//! Folding: stored promise events change the promises.

use chrono::{DateTime, Utc};

use super::event::PromiseEvent;
use super::state::{
    AtRiskReason, Dependency, DependencyState, Promise, PromiseLifecycle, PromiseStep,
    PromiseTerms, Promises, Revision,
};
use crate::id::PromiseId;
use crate::lifecycle::{Entity, Misfit};

/// Folds a promise event. On error nothing changed.
pub(crate) fn fold(
    promises: &mut Promises,
    at: DateTime<Utc>,
    event: &PromiseEvent,
) -> Result<(), Misfit> {
    match event {
        PromiseEvent::Made {
            promise,
            what,
            due,
            owner,
            fulfiller,
            interaction,
            complaint,
            at_risk_at,
        } => {
            if promises.contains_key(promise) {
                return Err(Misfit::exists(PromiseLifecycle::ENTITY, promise));
            }
            let mut terms = PromiseTerms::made(what.clone(), at, *due, *owner, fulfiller.clone());
            terms.at_risk_at = *at_risk_at;
            terms.link(*interaction, *complaint);
            promises.insert(*promise, Promise::new(terms));
            Ok(())
        }
        PromiseEvent::AtRisk {
            promise, reason, ..
        } => {
            let warn = PromiseStep::Warn(*reason, at);
            step(promises, at, event, *promise, warn)
        }
        PromiseEvent::Broken { promise, .. } => {
            step(promises, at, event, *promise, PromiseStep::Break)
        }
        PromiseEvent::Revised {
            promise,
            previous_due,
            due,
            reason,
            timing,
            customer_agreed,
            at_risk_at,
            ..
        } => {
            let revision = Revision {
                at,
                previous_due: *previous_due,
                due: *due,
                reason: reason.clone(),
                timing: *timing,
                customer_agreed: *customer_agreed,
            };
            let revise = PromiseStep::Revise(revision, *at_risk_at);
            step(promises, at, event, *promise, revise)
        }
        PromiseEvent::Kept { promise, .. } => {
            step(promises, at, event, *promise, PromiseStep::Keep { at })
        }
        PromiseEvent::Withdrawn { promise, .. } => {
            step(promises, at, event, *promise, PromiseStep::Withdraw { at })
        }
        PromiseEvent::SlippedRepeatedly { promise, .. } => {
            known(promises, *promise)?.terms.mark_slipped_repeatedly();
            Ok(())
        }
        PromiseEvent::DependencyRecorded {
            promise,
            party,
            commitment,
            reference,
            due,
        } => {
            let pending = Dependency::pending(*party, commitment.clone(), reference.clone(), *due);
            known(promises, *promise)?.terms.depend_on(pending);
            Ok(())
        }
        PromiseEvent::DependencyLate { promise, .. } => {
            dependency(promises, at, *promise, DependencyState::Late)
        }
        PromiseEvent::DependencyMet { promise, .. } => {
            dependency(promises, at, *promise, DependencyState::Met)
        }
    }
}

/// The promise `id`, or the misfit saying it is not known.
fn known(promises: &mut Promises, id: PromiseId) -> Result<&mut Promise, Misfit> {
    promises
        .get_mut(&id)
        .ok_or_else(|| Misfit::unknown(PromiseLifecycle::ENTITY, id))
}

/// Applies a lifecycle step stated by `event`, once the event's facts agree with the promise.
fn step(
    promises: &mut Promises,
    at: DateTime<Utc>,
    event: &PromiseEvent,
    id: PromiseId,
    step: PromiseStep,
) -> Result<(), Misfit> {
    let promise = known(promises, id)?;
    if !fits(&promise.terms, at, event) {
        return Err(Misfit::Contradicts(format!(
            "the {} of promise {id} contradicts its state",
            event.kind()
        )));
    }
    Ok(promise.transition(step)?)
}

/// Moves the dependency of promise `id` to `next` (late or met).
fn dependency(
    promises: &mut Promises,
    at: DateTime<Utc>,
    id: PromiseId,
    next: DependencyState,
) -> Result<(), Misfit> {
    let dependency = known(promises, id)?
        .terms
        .dependency_mut()
        .ok_or_else(|| Misfit::Contradicts(format!("promise {id} has no dependency")))?;
    if next == DependencyState::Late && at < dependency.due {
        return Err(Misfit::Contradicts(format!(
            "the dependency of promise {id} is not due until {}",
            dependency.due
        )));
    }
    if dependency.state == DependencyState::Met || dependency.state == next {
        return Err(Misfit::Contradicts(format!(
            "the dependency of promise {id} is already {:?}",
            dependency.state
        )));
    }
    dependency.state = next;
    Ok(())
}

/// Whether a stored promise event agrees with the terms it is applied to: the due instant,
/// owner, counts and timing it states are the ones the engine would have written.
fn fits(terms: &PromiseTerms, at: DateTime<Utc>, event: &PromiseEvent) -> bool {
    match event {
        PromiseEvent::AtRisk {
            due, owner, reason, ..
        } => {
            *due == terms.due
                && *owner == terms.owner
                && (*reason != AtRiskReason::LeadReached
                    || terms.at_risk_at.is_some_and(|w| at >= w))
        }
        PromiseEvent::Broken {
            due,
            owner,
            notice,
            breaks,
            ..
        } => {
            *due == terms.due
                && at >= terms.due
                && *owner == terms.owner
                && *notice == terms.notice()
                && *breaks == terms.breaks().saturating_add(1)
        }
        PromiseEvent::Revised {
            previous_due,
            due,
            slips,
            ..
        } => {
            *previous_due == terms.due
                && *due > *previous_due
                && *slips == terms.slips().saturating_add(1)
        }
        PromiseEvent::Kept { due, owner, .. } => *due == terms.due && *owner == terms.owner,
        PromiseEvent::Withdrawn { owner, .. } => *owner == terms.owner,
        PromiseEvent::Made { .. }
        | PromiseEvent::SlippedRepeatedly { .. }
        | PromiseEvent::DependencyRecorded { .. }
        | PromiseEvent::DependencyLate { .. }
        | PromiseEvent::DependencyMet { .. } => true,
    }
}

/// Marks the promises an outbound interaction was about as told (a closed promise the
/// relationship archived, `archived` says, has nothing to be told). On error nothing changed.
pub(crate) fn inform(
    promises: &mut Promises,
    regarding: &[PromiseId],
    archived: &dyn Fn(PromiseId) -> bool,
    at: DateTime<Utc>,
) -> Result<(), Misfit> {
    if let Some(unknown) = regarding
        .iter()
        .find(|id| !promises.contains_key(id) && !archived(**id))
    {
        return Err(Misfit::unknown(PromiseLifecycle::ENTITY, unknown));
    }
    for id in regarding {
        if let Some(promise) = promises.get_mut(id) {
            promise.terms.inform(at);
        }
    }
    Ok(())
}
