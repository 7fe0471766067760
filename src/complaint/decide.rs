//! Commands become the complaint family's own events. What a complaint's events cause in
//! sibling families (a follow-up scheduled, a survey voided) is the relationship's
//! [reactions](crate::relationship), not decided here.

use chrono::{DateTime, Utc};

use super::book::Complaints;
use super::clock::{
    self, ClockPhase, ClockTerms, TargetClock, escalation_terms, pause_of, resumed, retargeted,
    targeted,
};
use super::command::{
    AcknowledgeComplaint, AssignComplaint, AwaitCustomer, CloseComplaint, CloseUnresolved,
    DeescalateComplaint, EscalateComplaint, ReceiveComplaint, ReopenComplaint,
    ReprioritiseComplaint, RequestEscalation, ResolveComplaint, ResumeComplaint,
};
use super::event::ComplaintEvent;
use super::outside::{self, pause_start};
use super::state::{
    Complaint, ComplaintAction, ComplaintLifecycle, ComplaintStage, ComplaintState,
    EscalationReason, Unresolved,
};
use crate::error::CommandError;
use crate::id::ComplaintId;
use crate::lifecycle::{Context, Entity, Lifecycle, Refused};
use crate::outcome::Outcome;
use crate::policy::Situation;
use crate::policy::{ReopenMode, ServicePolicy};
use crate::value::{Span, Text};

fn find(complaints: &Complaints, id: ComplaintId) -> Result<&Complaint, CommandError> {
    complaints
        .get(&id)
        .ok_or(CommandError::UnknownComplaint(id))
}

/// A new complaint. `links` checks the interactions and promises it names (the relationship
/// knows them), after the id is found new.
pub(crate) fn receive(
    complaints: &Complaints,
    receive: &ReceiveComplaint,
    links: impl FnOnce(&ReceiveComplaint) -> Result<(), CommandError>,
    ctx: &Context<'_>,
) -> Result<Vec<ComplaintEvent>, CommandError> {
    if complaints.contains_key(&receive.complaint) {
        return Err(CommandError::DuplicateComplaint(receive.complaint));
    }
    links(receive)?;
    let (policy, now) = (ctx.policy, ctx.now);
    let rules = &policy.complaints;
    let situation = Situation {
        priority: receive.priority,
        tier: ctx.tier,
        channel: Some(receive.channel),
        team: None,
    };
    let acknowledgement = targeted(policy, &rules.acknowledge, &situation, now);
    let resolution = targeted(policy, &rules.resolve, &situation, now);
    let escalation = escalation_terms(policy, 0, now);
    let mut events = Vec::new();
    if receive.pending {
        // Received already waiting on the customer: the wait starts with the clocks.
        let (resolution, escalation) = if rules.pause_while_waiting {
            let fresh = |terms: &ClockTerms| TargetClock::start(terms.clone(), now);
            (
                pause_of(policy, Some(&fresh(&resolution)), now),
                pause_of(policy, escalation.as_ref().map(fresh).as_ref(), now),
            )
        } else {
            (None, None)
        };
        events.push(ComplaintEvent::AwaitingCustomer {
            complaint: receive.complaint,
            resolution,
            escalation,
        });
    }
    events.insert(
        0,
        ComplaintEvent::Received {
            complaint: receive.complaint,
            summary: receive.summary.clone(),
            priority: receive.priority,
            channel: receive.channel,
            tier: ctx.tier.clone(),
            interactions: receive.interactions.clone(),
            promises: receive.promises.clone(),
            acknowledgement,
            resolution,
            escalation,
        },
    );
    Ok(events)
}

pub(crate) fn acknowledge(
    complaints: &Complaints,
    ack: &AcknowledgeComplaint,
    ctx: &Context<'_>,
) -> Result<Vec<ComplaintEvent>, CommandError> {
    let complaint = find(complaints, ack.complaint)?;
    complaint.check(ComplaintAction::Acknowledge)?;
    if !complaint.is_unacknowledged() {
        // Acknowledged already: refused as the table refuses it from `acknowledged`.
        return Err(Refused::<ComplaintLifecycle> {
            from: complaint.stage(),
            action: ComplaintAction::Acknowledge,
        }
        .into());
    }
    ctx.policy.check_agent(ack.by)?;
    let clock = &complaint.acknowledgement;
    Ok(vec![ComplaintEvent::Acknowledged {
        complaint: ack.complaint,
        by: ack.by,
        outcome: outcome_at(ctx.policy, &clock.terms, ctx.now)?,
        worked: worked_on(ctx.policy, clock, ctx.now),
    }])
}

pub(crate) fn assign(
    complaints: &Complaints,
    assign: &AssignComplaint,
    ctx: &Context<'_>,
) -> Result<Vec<ComplaintEvent>, CommandError> {
    let complaint = find(complaints, assign.complaint)?;
    complaint.check(ComplaintAction::Assign)?;
    ctx.policy.check_agent(assign.owner)?;
    if complaint.owner == Some(assign.owner) && complaint.stage() != ComplaintStage::Acknowledged {
        return Err(CommandError::NothingToChange);
    }
    Ok(vec![ComplaintEvent::Assigned {
        complaint: assign.complaint,
        owner: assign.owner,
    }])
}

pub(crate) fn request_escalation(
    complaints: &Complaints,
    request: &RequestEscalation,
    ctx: &Context<'_>,
) -> Result<Vec<ComplaintEvent>, CommandError> {
    let complaint = find(complaints, request.complaint)?;
    if !complaint.is_open() {
        // Not an action of the table: the customer asks, the complaint does not move.
        return Err(CommandError::InvalidTransition {
            entity: ComplaintLifecycle::ENTITY,
            from: ComplaintLifecycle::stage_name(complaint.stage()),
            action: "ask to escalate",
        });
    }
    if complaint.escalation_due.is_some() {
        return Err(CommandError::NothingToChange);
    }
    Ok(vec![ComplaintEvent::EscalationDue {
        complaint: request.complaint,
        reason: EscalationReason::CustomerAsked,
        level: complaint.level,
        owner: complaint.owner.or(ctx.account_owner),
    }])
}

pub(crate) fn escalate(
    complaints: &Complaints,
    escalate: &EscalateComplaint,
    ctx: &Context<'_>,
) -> Result<Vec<ComplaintEvent>, CommandError> {
    let policy = ctx.policy;
    let complaint = find(complaints, escalate.complaint)?;
    complaint.check(ComplaintAction::Escalate)?;
    policy.check_agent(escalate.owner)?;
    let top = u32::try_from(policy.complaints.levels.len().saturating_sub(1)).unwrap_or(u32::MAX);
    if escalate.to_level > top {
        return Err(CommandError::EscalationPastTop {
            level: escalate.to_level,
            top,
        });
    }
    if escalate.to_level <= complaint.level {
        return Err(CommandError::EscalationNotUpward {
            level: escalate.to_level,
            current: complaint.level,
        });
    }
    let name = level_name(policy, escalate.to_level);
    // While waiting on the customer (if waiting pauses the clocks) the new level's clock starts
    // paused, from the same pause.
    Ok(vec![ComplaintEvent::Escalated {
        complaint: escalate.complaint,
        from_level: complaint.level,
        to_level: escalate.to_level,
        level_name: name,
        owner: escalate.owner,
        escalation: escalation_terms(policy, escalate.to_level, ctx.now),
    }])
}

/// The name the policy gives `level`.
fn level_name(policy: &ServicePolicy, level: u32) -> Text {
    usize::try_from(level)
        .ok()
        .and_then(|i| policy.complaints.levels.get(i))
        .map_or_else(Text::default_name, |l| l.name.clone())
}

/// A move back down the ladder: to a level below the current one, with a new owner and the
/// new level's escalation clock started afresh.
pub(crate) fn deescalate(
    complaints: &Complaints,
    deescalate: &DeescalateComplaint,
    ctx: &Context<'_>,
) -> Result<Vec<ComplaintEvent>, CommandError> {
    let policy = ctx.policy;
    let complaint = find(complaints, deescalate.complaint)?;
    complaint.check(ComplaintAction::Deescalate)?;
    policy.check_agent(deescalate.owner)?;
    if deescalate.to_level >= complaint.level {
        return Err(CommandError::DeescalationNotDownward {
            level: deescalate.to_level,
            current: complaint.level,
        });
    }
    Ok(vec![ComplaintEvent::Deescalated {
        complaint: deescalate.complaint,
        from_level: complaint.level,
        to_level: deescalate.to_level,
        level_name: level_name(policy, deescalate.to_level),
        owner: deescalate.owner,
        reason: deescalate.reason.clone(),
        escalation: escalation_terms(policy, deescalate.to_level, ctx.now),
    }])
}

/// New terms for an open complaint: the acknowledgement (while owed) and resolution clocks take
/// the targets of the new priority and tier, less what they worked (see the
/// [module docs](super)).
pub(crate) fn reprioritise(
    complaints: &Complaints,
    change: &ReprioritiseComplaint,
    ctx: &Context<'_>,
) -> Result<Vec<ComplaintEvent>, CommandError> {
    let (policy, now) = (ctx.policy, ctx.now);
    let complaint = find(complaints, change.complaint)?;
    complaint.check(ComplaintAction::Reprioritise)?;
    let tier = change.tier.as_ref().unwrap_or(&complaint.tier);
    if change.priority == complaint.priority && *tier == complaint.tier {
        return Err(CommandError::NothingToChange);
    }
    let rules = &policy.complaints;
    // The calendar rules see the complaint where it is now: its channel and its team's queue.
    let terms = Situation {
        priority: change.priority,
        tier,
        channel: Some(complaint.channel),
        team: complaint.team,
    };
    // The acknowledgement clock runs through a wait; the resolution clock pauses if a wait
    // (on the customer, or on a party that pauses) holds the clocks.
    let acknowledgement = complaint.is_unacknowledged().then(|| {
        retargeted(
            policy,
            &rules.acknowledge,
            &complaint.acknowledgement,
            &terms,
            now,
            false,
        )
    });
    let resolution = retargeted(
        policy,
        &rules.resolve,
        &complaint.resolution,
        &terms,
        now,
        complaint.clocks_held(policy),
    );
    Ok(vec![ComplaintEvent::Reprioritised {
        complaint: change.complaint,
        from_priority: complaint.priority,
        priority: change.priority,
        tier: tier.clone(),
        acknowledgement,
        resolution,
    }])
}

pub(crate) fn await_customer(
    complaints: &Complaints,
    wait: &AwaitCustomer,
    ctx: &Context<'_>,
) -> Result<Vec<ComplaintEvent>, CommandError> {
    let (policy, now) = (ctx.policy, ctx.now);
    let complaint = find(complaints, wait.complaint)?;
    complaint.check(ComplaintAction::Wait)?;
    let pausing = policy.complaints.pause_while_waiting;
    let (resolution, escalation) = if pausing {
        (
            pause_of(policy, Some(&complaint.resolution), now),
            pause_of(policy, complaint.escalation.as_ref(), now),
        )
    } else {
        (None, None)
    };
    Ok(vec![ComplaintEvent::AwaitingCustomer {
        complaint: wait.complaint,
        resolution,
        escalation,
    }])
}

pub(crate) fn resume(
    complaints: &Complaints,
    resume: &ResumeComplaint,
    ctx: &Context<'_>,
) -> Result<Vec<ComplaintEvent>, CommandError> {
    let (policy, now) = (ctx.policy, ctx.now);
    let complaint = find(complaints, resume.complaint)?;
    complaint.check(ComplaintAction::Resume)?;
    let ComplaintState::Waiting { since } = complaint.state else {
        return Err(Refused::<ComplaintLifecycle> {
            from: complaint.stage(),
            action: ComplaintAction::Resume,
        }
        .into());
    };
    // The customer's answer is recorded whatever the calendars say: the pause is measured by
    // the wall clock if the calendar is gone, and a clock whose calendar is gone runs on with
    // no target.
    // An outside party that pauses still holds the clocks: they run again when its wait ends.
    if complaint.party_holds() {
        return Ok(vec![ComplaintEvent::Resumed {
            complaint: resume.complaint,
            paused: Span::ZERO,
            resolution: None,
            escalation: None,
        }]);
    }
    // The pause began with the wait, or earlier with a wait on a party that ended since.
    let since = pause_start(&complaint.resolution).map_or(since, |start| start.min(since));
    let paused = if policy.complaints.pause_while_waiting {
        policy.business_or_wall(complaint.resolution.terms.calendar.as_deref(), since, now)
    } else {
        Span::ZERO
    };
    Ok(vec![ComplaintEvent::Resumed {
        complaint: resume.complaint,
        paused,
        resolution: resumed(policy, &complaint.resolution, now),
        escalation: complaint
            .escalation
            .as_ref()
            .and_then(|clock| resumed(policy, clock, now)),
    }])
}

/// The resolution. The follow-up the policy schedules for it is a reaction of the
/// relationship.
pub(crate) fn resolve(
    complaints: &Complaints,
    resolve: &ResolveComplaint,
    ctx: &Context<'_>,
) -> Result<Vec<ComplaintEvent>, CommandError> {
    let (policy, now) = (ctx.policy, ctx.now);
    let complaint = find(complaints, resolve.complaint)?;
    complaint.check(ComplaintAction::Resolve)?;
    policy.check_agent(resolve.by)?;
    if complaint.is_unacknowledged() && !policy.complaints.resolve_unacknowledged {
        return Err(CommandError::NotAcknowledged(resolve.complaint));
    }
    let clock = &complaint.resolution;
    let outcome = match &clock.phase {
        ClockPhase::Paused { since, .. } => {
            // Resolved while waiting on the customer: measured at the start of the pause.
            outcome_at(policy, &clock.terms, *since)?
        }
        ClockPhase::Running | ClockPhase::Stopped { .. } | ClockPhase::NotApplicable { .. } => {
            outcome_at(policy, &clock.terms, now)?
        }
    };
    let acknowledgement = if complaint.acknowledgement.is_running() {
        Some(
            match outcome_at(policy, &complaint.acknowledgement.terms, now)? {
                Outcome::MetLate { lateness } | Outcome::Missed { lateness } => {
                    Outcome::Missed { lateness }
                }
                Outcome::Met => Outcome::Met,
                Outcome::Untimed => Outcome::Untimed,
            },
        )
    } else {
        None
    };
    // A wait on an outside party ends with the resolution, first.
    let resolved = ComplaintEvent::Resolved {
        complaint: resolve.complaint,
        by: resolve.by,
        remedy: resolve.remedy.clone(),
        apology: resolve.apology,
        summary: resolve.summary.clone(),
        outcome,
        acknowledgement,
        worked: worked_on(policy, clock, now),
    };
    Ok(outside::settling(
        resolve.complaint,
        complaint,
        ctx,
        resolved,
    ))
}

/// The business time a clock with a target counted by `now` (see [`clock::worked`]); `None`
/// for a clock with no target, which keeps no account of its pauses.
fn worked_on(policy: &ServicePolicy, clock: &TargetClock, now: DateTime<Utc>) -> Option<Span> {
    clock.terms.due.map(|_| clock::worked(policy, clock, now))
}

pub(crate) fn close(
    complaints: &Complaints,
    close: &CloseComplaint,
) -> Result<Vec<ComplaintEvent>, CommandError> {
    let complaint = find(complaints, close.complaint)?;
    complaint.check(ComplaintAction::Close)?;
    Ok(vec![ComplaintEvent::Closed {
        complaint: close.complaint,
    }])
}

/// A close without a resolution: a duplicate must name another complaint the relationship
/// knows.
pub(crate) fn close_unresolved(
    complaints: &Complaints,
    close: &CloseUnresolved,
    ctx: &Context<'_>,
) -> Result<Vec<ComplaintEvent>, CommandError> {
    let complaint = find(complaints, close.complaint)?;
    complaint.check(ComplaintAction::CloseUnresolved)?;
    if let Unresolved::Duplicate { of } = close.reason {
        if of == close.complaint {
            return Err(CommandError::DuplicateOfItself(of));
        }
        find(complaints, of)?;
    }
    // A wait on an outside party ends with the closing, first.
    let closed = ComplaintEvent::ClosedUnresolved {
        complaint: close.complaint,
        reason: close.reason,
    };
    Ok(outside::settling(close.complaint, complaint, ctx, closed))
}

/// The complaint's events of a reopen: the reopen itself (with the clock the policy's mode
/// gives) and the escalation it makes due, from the reopen the policy says on
/// (`ComplaintPolicy::escalate_from_reopen`). At the top of the ladder there is nowhere to
/// escalate: the reopen is recorded at the top level and makes no escalation due; the level
/// view flags it for the complaint's owner instead ([`FlagKind::ReopenedAtTop`]), as it flags
/// a reopen before the one the policy escalates from. What it
/// cancels in sibling families (the pending follow-up and survey) the relationship's reactions
/// add after the reopen.
///
/// [`FlagKind::ReopenedAtTop`]: crate::flag::FlagKind::ReopenedAtTop
pub(crate) fn reopen(
    complaints: &Complaints,
    reopen: &ReopenComplaint,
    ctx: &Context<'_>,
) -> Result<Vec<ComplaintEvent>, CommandError> {
    let (policy, now) = (ctx.policy, ctx.now);
    let complaint = find(complaints, reopen.complaint)?;
    complaint.check(ComplaintAction::Reopen)?;
    let mode = policy.complaints.reopen;
    let (cycle, resolution) = reopened_clock(complaint, mode, policy, now);
    let mut events = vec![ComplaintEvent::Reopened {
        complaint: reopen.complaint,
        reason: reopen.reason.clone(),
        mode,
        cycle,
        resolution,
        escalation: escalation_terms(policy, complaint.level, now),
    }];
    let index = usize::try_from(complaint.level).unwrap_or(usize::MAX);
    let at_top = index.saturating_add(1) >= policy.complaints.levels.len();
    // The policy says from which reopen on escalation is due (0: never).
    let from = policy.complaints.escalate_from_reopen;
    let escalates = from != 0 && complaint.reopened.saturating_add(1) >= from;
    if escalates && !at_top {
        events.push(ComplaintEvent::EscalationDue {
            complaint: reopen.complaint,
            reason: EscalationReason::Reopened,
            level: complaint.level,
            owner: complaint.owner.or(ctx.account_owner),
        });
    }
    Ok(events)
}

/// The cycle and resolution clock a reopen in `mode` at `now` gives: on the calendar the clock
/// was started on, with no target if that calendar cannot answer any more.
fn reopened_clock(
    complaint: &Complaint,
    mode: ReopenMode,
    policy: &ServicePolicy,
    now: DateTime<Utc>,
) -> (u32, ClockTerms) {
    let clock = &complaint.resolution;
    let calendar = clock.terms.calendar.as_deref();
    match mode {
        ReopenMode::Continue => {
            // From where the clock stopped counting: the resolution, or the start of the wait
            // on the customer it was resolved in.
            let stopped = match (&clock.phase, &complaint.state) {
                (ClockPhase::Stopped { counted_until, .. }, _) => *counted_until,
                (_, ComplaintState::Resolved(r) | ComplaintState::Closed(r)) => r.at,
                (
                    _,
                    ComplaintState::Received
                    | ComplaintState::Acknowledged { .. }
                    | ComplaintState::InProgress
                    | ComplaintState::Waiting { .. }
                    | ComplaintState::ClosedUnresolved { .. },
                ) => now,
            };
            let terms = match clock.terms.due {
                Some(due) => {
                    let left = policy.business_or_wall(calendar, stopped, due);
                    let warn = clock
                        .terms
                        .warn_at
                        .filter(|at| !clock.warned && *at > stopped)
                        .map(|at| policy.business_or_wall(calendar, stopped, at));
                    clock::carried_on(policy, &clock.terms, now, left, warn)
                }
                // A clock that had no target goes on without one, for the same reason.
                None => clock.terms.clone(),
            };
            (complaint.cycle, terms)
        }
        // A clock the policy set no target for still has none.
        ReopenMode::Restart | ReopenMode::NewCycle if clock.terms.none_is_set() => {
            let cycle = match mode {
                ReopenMode::NewCycle => complaint.cycle.saturating_add(1),
                ReopenMode::Continue | ReopenMode::Restart => complaint.cycle,
            };
            (cycle, clock.terms.clone())
        }
        ReopenMode::Restart => (
            complaint.cycle,
            clock::terms(policy, calendar, now, clock.terms.target, true),
        ),
        ReopenMode::NewCycle => (
            complaint.cycle.saturating_add(1),
            clock::terms(policy, calendar, now, clock.terms.target, true),
        ),
    }
}

/// How a clock with `terms` ends when what it waits for is done at `done`: against its due
/// instant, or untimed if it has no target.
fn outcome_at(
    policy: &ServicePolicy,
    terms: &ClockTerms,
    done: DateTime<Utc>,
) -> Result<Outcome, CommandError> {
    match terms.due {
        Some(due) => policy.outcome(terms.calendar.as_deref(), due, done),
        None => Ok(Outcome::Untimed),
    }
}

/// When the complaint's current resolution was made, for a survey about it; refused unless
/// the complaint is resolved or closed.
pub(crate) fn surveyable(
    complaints: &Complaints,
    id: ComplaintId,
) -> Result<Option<DateTime<Utc>>, CommandError> {
    let complaint = find(complaints, id)?;
    if !matches!(
        complaint.stage(),
        ComplaintStage::Resolved | ComplaintStage::Closed
    ) {
        // Not an action of the table: a survey does not move the complaint.
        return Err(CommandError::InvalidTransition {
            entity: ComplaintLifecycle::ENTITY,
            from: ComplaintLifecycle::stage_name(complaint.stage()),
            action: "survey the resolution of",
        });
    }
    Ok(complaint.resolved_at())
}
