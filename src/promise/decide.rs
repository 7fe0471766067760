//! Deciding: promise commands become promise events.

use chrono::{DateTime, Utc};

use super::command::{
    KeepPromise, MakePromise, MeetDependency, PromiseCommand, RecordDependency, RevisePromise,
    WithdrawPromise,
};
use super::event::PromiseEvent;
use super::state::{
    DependencyState, Fulfiller, Promise, PromiseAction, PromiseLifecycle, PromiseStage, Promises,
    RevisionTiming,
};
use crate::calendar::CalendarError;
use crate::error::CommandError;
use crate::id::{InteractionId, PromiseId};
use crate::lifecycle::{Context, Entity, Lifecycle};
use crate::policy::ServicePolicy;
use crate::value::Span;

/// The events `command` becomes, given the promises held and the interactions recorded.
pub(crate) fn decide(
    ctx: &Context<'_>,
    promises: &Promises,
    known_interaction: &dyn Fn(InteractionId) -> bool,
    command: &PromiseCommand,
) -> Result<Vec<PromiseEvent>, CommandError> {
    match command {
        PromiseCommand::Make(command) => make(ctx, promises, known_interaction, command),
        PromiseCommand::Revise(command) => revise(ctx, promises, command),
        PromiseCommand::Keep(command) => keep(ctx, promises, command),
        PromiseCommand::Withdraw(command) => withdraw(promises, command),
        PromiseCommand::RecordDependency(command) => depend(ctx, promises, command),
        PromiseCommand::MeetDependency(command) => meet(ctx, promises, command),
    }
}

fn outstanding(promises: &Promises, id: PromiseId) -> Result<&Promise, CommandError> {
    promises.get(&id).ok_or(CommandError::UnknownPromise(id))
}

/// When the at-risk warning falls for a promise due at `due`, given at `from`.
fn at_risk_at(
    policy: &ServicePolicy,
    from: DateTime<Utc>,
    due: DateTime<Utc>,
) -> Result<Option<DateTime<Utc>>, CommandError> {
    let span = Span::try_from(due.signed_duration_since(from))?;
    policy
        .promises
        .at_risk
        .warn_after(span)
        .map(|after| {
            from.checked_add_signed(after.to_time_delta())
                .ok_or(CommandError::Calendar(CalendarError::OutOfRange { from }))
        })
        .transpose()
}

fn make(
    ctx: &Context<'_>,
    promises: &Promises,
    known_interaction: &dyn Fn(InteractionId) -> bool,
    make: &MakePromise,
) -> Result<Vec<PromiseEvent>, CommandError> {
    let (policy, now) = (ctx.policy, ctx.now);
    if promises.contains_key(&make.promise) {
        return Err(CommandError::DuplicatePromise(make.promise));
    }
    policy.check_agent(make.owner)?;
    if let Fulfiller::Party { party, .. } = &make.fulfiller {
        policy.check_party(*party)?;
    }
    if let Some(interaction) = make.interaction
        && !known_interaction(interaction)
    {
        return Err(CommandError::UnknownInteraction(interaction));
    }
    if make.due <= now {
        return Err(CommandError::DueNotInFuture { due: make.due, now });
    }
    Ok(vec![PromiseEvent::Made {
        promise: make.promise,
        what: make.what.clone(),
        due: make.due,
        owner: make.owner,
        fulfiller: make.fulfiller.clone(),
        interaction: make.interaction,
        complaint: make.complaint,
        at_risk_at: at_risk_at(policy, now, make.due)?,
    }])
}

fn revise(
    ctx: &Context<'_>,
    promises: &Promises,
    revise: &RevisePromise,
) -> Result<Vec<PromiseEvent>, CommandError> {
    let (policy, now) = (ctx.policy, ctx.now);
    let promise = outstanding(promises, revise.promise)?;
    let terms = &promise.terms;
    // Measured at when it happened: a re-promise made before the due instant, reported after
    // the break was recorded, was made in time (the break stands).
    let timing = match promise.stage() {
        PromiseStage::Broken if now >= terms.due => RevisionTiming::AfterBreak,
        PromiseStage::Broken
        | PromiseStage::Open
        | PromiseStage::AtRisk
        | PromiseStage::Kept
        | PromiseStage::KeptLate
        | PromiseStage::Withdrawn => RevisionTiming::Proactive,
    };
    promise.check(PromiseAction::Revise)?;
    if revise.due <= now {
        return Err(CommandError::DueNotInFuture {
            due: revise.due,
            now,
        });
    }
    if revise.due <= terms.due {
        return Err(CommandError::DueNotLater {
            due: revise.due,
            current: terms.due,
        });
    }
    let slips = terms.slips().saturating_add(1);
    let cumulative_slip = Span::try_from(revise.due.signed_duration_since(terms.original_due()))?;
    let mut events = vec![PromiseEvent::Revised {
        promise: revise.promise,
        previous_due: terms.due,
        due: revise.due,
        reason: revise.reason.clone(),
        timing,
        customer_agreed: revise.customer_agreed,
        slips,
        cumulative_slip,
        at_risk_at: at_risk_at(policy, now, revise.due)?,
    }];
    let threshold = policy.promises.repeated_slips;
    if threshold > 0 && slips >= threshold && !terms.slipped_repeatedly() {
        events.push(PromiseEvent::SlippedRepeatedly {
            promise: revise.promise,
            owner: terms.owner,
            slips,
            cumulative_slip,
        });
    }
    Ok(events)
}

fn keep(
    ctx: &Context<'_>,
    promises: &Promises,
    keep: &KeepPromise,
) -> Result<Vec<PromiseEvent>, CommandError> {
    let promise = outstanding(promises, keep.promise)?;
    promise.check(PromiseAction::Keep)?;
    Ok(vec![PromiseEvent::Kept {
        promise: keep.promise,
        due: promise.terms.due,
        owner: promise.terms.owner,
        outcome: ctx.policy.outcome(None, promise.terms.due, ctx.now)?,
    }])
}

fn withdraw(
    promises: &Promises,
    withdraw: &WithdrawPromise,
) -> Result<Vec<PromiseEvent>, CommandError> {
    let promise = outstanding(promises, withdraw.promise)?;
    promise.check(PromiseAction::Withdraw)?;
    Ok(vec![PromiseEvent::Withdrawn {
        promise: withdraw.promise,
        owner: promise.terms.owner,
        reason: withdraw.reason.clone(),
    }])
}

/// Refuses an action on the promise's dependency, which the transition table does not list:
/// it is allowed while the promise is outstanding.
fn unless_outstanding(promise: &Promise, action: &'static str) -> Result<(), CommandError> {
    if promise.is_outstanding() {
        return Ok(());
    }
    Err(CommandError::InvalidTransition {
        entity: PromiseLifecycle::ENTITY,
        from: PromiseLifecycle::stage_name(promise.stage()),
        action,
    })
}

fn depend(
    ctx: &Context<'_>,
    promises: &Promises,
    record: &RecordDependency,
) -> Result<Vec<PromiseEvent>, CommandError> {
    let promise = outstanding(promises, record.promise)?;
    ctx.policy.check_party(record.party)?;
    unless_outstanding(promise, "depend on a party for")?;
    if record.due <= ctx.now {
        return Err(CommandError::DueNotInFuture {
            due: record.due,
            now: ctx.now,
        });
    }
    Ok(vec![PromiseEvent::DependencyRecorded {
        promise: record.promise,
        party: record.party,
        commitment: record.commitment.clone(),
        reference: record.reference.clone(),
        due: record.due,
    }])
}

fn meet(
    ctx: &Context<'_>,
    promises: &Promises,
    meet: &MeetDependency,
) -> Result<Vec<PromiseEvent>, CommandError> {
    let promise = outstanding(promises, meet.promise)?;
    unless_outstanding(promise, "meet the dependency of")?;
    let dependency = promise
        .terms
        .dependency()
        .ok_or(CommandError::NoDependency(meet.promise))?;
    if dependency.state == DependencyState::Met {
        return Err(CommandError::InvalidTransition {
            entity: "dependency",
            from: "met",
            action: "meet",
        });
    }
    Ok(vec![PromiseEvent::DependencyMet {
        promise: meet.promise,
        party: dependency.party,
        outcome: ctx.policy.outcome(None, dependency.due, ctx.now)?,
    }])
}
