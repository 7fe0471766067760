//! Folding the complaint family's own events into the complaints. Each fold validates before
//! it changes anything.

use chrono::{DateTime, Utc};

use super::book::Complaints;
use super::clock::{
    ClockPhase, ClockTerms, ComplaintClockKind, Remaining, TargetClock, pause, retarget, run, stop,
};
use super::event::ComplaintEvent;
use super::outside;
use super::state::{
    Complaint, ComplaintAction, ComplaintLifecycle, ComplaintStage, ComplaintState,
    EscalationReason, Handover, LevelChange, Resolution, Unresolved,
};
use crate::error::CommandError;
use crate::id::{AgentId, ComplaintId, FollowUpId};
use crate::lifecycle::{Entity, Misfit};
use crate::outcome::Outcome;
use crate::policy::ReopenMode;
use crate::value::Span;

/// Folds a complaint event.
pub(crate) fn fold(
    complaints: &mut Complaints,
    at: DateTime<Utc>,
    event: &ComplaintEvent,
) -> Result<(), Misfit> {
    // Clock terms state a due instant or why there is none, never both or neither.
    if !event.is_consistent() {
        return Err(Misfit::Contradicts(
            "clock terms state both a due instant and no target, or neither".to_owned(),
        ));
    }
    match event {
        ComplaintEvent::Received {
            complaint,
            summary,
            priority,
            channel,
            tier,
            interactions,
            promises,
            acknowledgement,
            resolution,
            escalation,
        } => {
            if complaints.contains_key(complaint) {
                return Err(Misfit::exists(ComplaintLifecycle::ENTITY, complaint));
            }
            complaints.insert(
                *complaint,
                Complaint {
                    summary: summary.clone(),
                    priority: *priority,
                    channel: *channel,
                    received_at: at,
                    tier: tier.clone(),
                    interactions: interactions.clone(),
                    promises: promises.clone(),
                    owner: None,
                    level: 0,
                    history: Vec::new(),
                    acknowledgement: TargetClock::start(acknowledgement.clone(), at),
                    resolution: TargetClock::start(resolution.clone(), at),
                    escalation: escalation
                        .clone()
                        .map(|terms| TargetClock::start(terms, at)),
                    escalation_due: None,
                    cycle: 1,
                    reopened: 0,
                    reopened_at_top: None,
                    follow_up: None,
                    team: None,
                    outside: None,
                    state: ComplaintState::Received,
                },
            );
            Ok(())
        }
        ComplaintEvent::Acknowledged { complaint: id, .. }
        | ComplaintEvent::Assigned { complaint: id, .. }
        | ComplaintEvent::Routed { complaint: id, .. }
        | ComplaintEvent::ClockAtRisk { complaint: id, .. }
        | ComplaintEvent::ClockBreached { complaint: id, .. }
        | ComplaintEvent::EscalationDue { complaint: id, .. }
        | ComplaintEvent::Escalated { complaint: id, .. }
        | ComplaintEvent::Deescalated { complaint: id, .. }
        | ComplaintEvent::AwaitingCustomer { complaint: id, .. }
        | ComplaintEvent::Resumed { complaint: id, .. }
        | ComplaintEvent::Resolved { complaint: id, .. }
        | ComplaintEvent::Closed { complaint: id }
        | ComplaintEvent::ClosedUnresolved { complaint: id, .. }
        | ComplaintEvent::Reprioritised { complaint: id, .. }
        | ComplaintEvent::AwaitingParty { complaint: id, .. }
        | ComplaintEvent::PartyLate { complaint: id, .. }
        | ComplaintEvent::PartyWaitEnded { complaint: id, .. }
        | ComplaintEvent::Reopened { complaint: id, .. } => {
            let complaint = complaints
                .get_mut(id)
                .ok_or_else(|| Misfit::unknown(ComplaintLifecycle::ENTITY, id))?;
            let folded = fold_into(complaint, *id, at, event);
            // A complaint that closed leaves the open state (see `book.rs`).
            complaints.retire(*id);
            folded
        }
    }
}

/// Folds an event about an existing complaint.
fn fold_into(
    complaint: &mut Complaint,
    id: ComplaintId,
    at: DateTime<Utc>,
    event: &ComplaintEvent,
) -> Result<(), Misfit> {
    match event {
        // Folded by `fold`, before the complaint exists.
        ComplaintEvent::Received { .. } => {
            return Err(Misfit::exists(ComplaintLifecycle::ENTITY, id));
        }
        ComplaintEvent::Acknowledged { by, outcome, .. } => {
            acknowledged(complaint, id, at, *by, *outcome)?;
        }
        ComplaintEvent::Assigned { owner, .. } => assigned(complaint, at, *owner)?,
        ComplaintEvent::Routed { team, from, .. } => super::queue::routed(complaint, *team, *from)?,
        ComplaintEvent::ClockAtRisk { clock, due, .. }
        | ComplaintEvent::ClockBreached { clock, due, .. } => {
            let said = ClockSaid {
                clock: *clock,
                due: *due,
                breach: matches!(event, ComplaintEvent::ClockBreached { .. }),
            };
            clock_said(complaint, id, at, said)?;
        }
        ComplaintEvent::EscalationDue { reason, .. } => {
            escalation_due(complaint, id, at, *reason)?;
        }
        ComplaintEvent::Escalated {
            to_level,
            owner,
            escalation,
            ..
        }
        | ComplaintEvent::Deescalated {
            to_level,
            owner,
            escalation,
            ..
        } => {
            let change = if matches!(event, ComplaintEvent::Escalated { .. }) {
                LevelChange::Escalated
            } else {
                LevelChange::Deescalated
            };
            let to = LevelMove {
                level: *to_level,
                owner: *owner,
                change,
            };
            moved(complaint, id, at, to, escalation.as_ref())?;
        }
        ComplaintEvent::AwaitingCustomer {
            resolution,
            escalation,
            ..
        } => awaiting(complaint, at, resolution.as_ref(), escalation.as_ref())?,
        ComplaintEvent::Resumed {
            paused,
            resolution,
            escalation,
            ..
        } => resumed(
            complaint,
            at,
            *paused,
            resolution.as_ref(),
            escalation.as_ref(),
        )?,
        ComplaintEvent::AwaitingParty { .. } => outside::awaited(complaint, at, event)?,
        ComplaintEvent::PartyLate { due, .. } => outside::lapsed(complaint, *due, at)?,
        ComplaintEvent::PartyWaitEnded { .. } => outside::wait_ended(complaint, at, event)?,
        ComplaintEvent::Resolved { .. } => resolved(complaint, at, event)?,
        ComplaintEvent::Closed { .. } => closed(complaint)?,
        ComplaintEvent::ClosedUnresolved { reason, .. } => {
            transition(complaint, ComplaintAction::CloseUnresolved)?;
            no_party_wait(complaint)?;
            closed_unresolved(complaint, at, *reason);
        }
        ComplaintEvent::Reprioritised { .. } => reprioritised(complaint, id, at, event)?,
        ComplaintEvent::Reopened {
            mode,
            cycle,
            resolution,
            escalation,
            ..
        } => {
            transition(complaint, ComplaintAction::Reopen)?;
            reopened(
                complaint,
                at,
                *mode,
                *cycle,
                resolution,
                escalation.as_ref(),
            );
        }
    }
    Ok(())
}

/// The acknowledgement: its clock stops; a complaint still `received` becomes `acknowledged`
/// (one acknowledged later keeps its stage).
fn acknowledged(
    complaint: &mut Complaint,
    id: ComplaintId,
    at: DateTime<Utc>,
    by: AgentId,
    outcome: Outcome,
) -> Result<(), Misfit> {
    let to = transition(complaint, ComplaintAction::Acknowledge)?;
    if !complaint.is_unacknowledged() {
        return Err(Misfit::Contradicts(format!(
            "complaint {id} is acknowledged already"
        )));
    }
    stop(&mut complaint.acknowledgement, outcome, at);
    if to == ComplaintStage::Acknowledged {
        complaint.state = ComplaintState::Acknowledged { by };
    }
    Ok(())
}

/// Records the follow-up scheduled for a complaint's resolution.
pub(crate) fn link_follow_up(
    complaints: &mut Complaints,
    complaint: ComplaintId,
    follow_up: FollowUpId,
) {
    if let Some(held) = complaints.get_mut(&complaint) {
        held.follow_up = Some(follow_up);
    }
    complaints.retire(complaint);
}

/// Where `action` leads, or why not. A complaint's fold has always worded a refused transition
/// as the command does ("cannot close a complaint that is waiting"); replay errors keep that
/// wording rather than [`Misfit::Transition`]'s.
fn transition(complaint: &Complaint, action: ComplaintAction) -> Result<ComplaintStage, Misfit> {
    complaint
        .check(action)
        .map_err(|refused| Misfit::Contradicts(CommandError::from(refused).to_string()))
}

/// A resolution or a closing comes after the end of the wait on an outside party
/// (`complaint_party_wait_ended`), never over it.
fn no_party_wait(complaint: &Complaint) -> Result<(), Misfit> {
    if complaint.outside.is_some() {
        return Err(Misfit::from(
            "the complaint still waits on an outside party: its wait ends first",
        ));
    }
    Ok(())
}

fn assigned(complaint: &mut Complaint, at: DateTime<Utc>, owner: AgentId) -> Result<(), Misfit> {
    let to = transition(complaint, ComplaintAction::Assign)?;
    complaint.owner = Some(owner);
    complaint.history.push(Handover {
        change: LevelChange::Assigned,
        at,
        level: complaint.level,
        owner,
    });
    if to == ComplaintStage::InProgress {
        complaint.state = ComplaintState::InProgress;
    }
    Ok(())
}

/// The complaint is closed, with the resolution it had.
fn closed(complaint: &mut Complaint) -> Result<(), Misfit> {
    transition(complaint, ComplaintAction::Close)?;
    if let ComplaintState::Resolved(resolution) = &complaint.state {
        complaint.state = ComplaintState::Closed(resolution.clone());
    }
    Ok(())
}

/// Closed without a resolution: every clock still counting (or paused) ends not applicable.
fn closed_unresolved(complaint: &mut Complaint, at: DateTime<Utc>, reason: Unresolved) {
    let clocks = [
        Some(&mut complaint.acknowledgement),
        Some(&mut complaint.resolution),
        complaint.escalation.as_mut(),
    ];
    for clock in clocks.into_iter().flatten() {
        if matches!(clock.phase, ClockPhase::Running | ClockPhase::Paused { .. }) {
            clock.phase = ClockPhase::NotApplicable { since: at };
        }
    }
    complaint.escalation_due = None;
    complaint.reopened_at_top = None;
    complaint.state = ComplaintState::ClosedUnresolved { at, reason };
}

/// What a clock's warning or breach event says.
struct ClockSaid {
    /// Which clock.
    clock: ComplaintClockKind,
    /// The due instant the event states.
    due: DateTime<Utc>,
    /// A breach (or else a warning).
    breach: bool,
}

/// A clock's warning or breach.
fn clock_said(
    complaint: &mut Complaint,
    id: ComplaintId,
    at: DateTime<Utc>,
    said: ClockSaid,
) -> Result<(), Misfit> {
    let ClockSaid {
        clock,
        due: stated_due,
        breach,
    } = said;
    let target = complaint
        .clock_mut(clock)
        .filter(|c| c.is_running())
        .ok_or_else(|| format!("the {clock:?} clock of complaint {id} is not running"))?;
    if target.breached || (!breach && target.warned) {
        return Err(Misfit::Contradicts(format!(
            "the {clock:?} clock of complaint {id} already said so"
        )));
    }
    let contradicts = || {
        Misfit::Contradicts(format!(
            "the {clock:?} event of complaint {id} contradicts its clock"
        ))
    };
    // A clock with no target never warns or falls due.
    let due = target.terms.due.ok_or_else(contradicts)?;
    let moment = if breach {
        Some(due)
    } else {
        target.terms.warn_at
    };
    if stated_due != due || moment.is_none_or(|m| at < m) {
        return Err(Misfit::Contradicts(format!(
            "the {clock:?} event of complaint {id} contradicts its clock"
        )));
    }
    if breach {
        target.breached = true;
    } else {
        target.warned = true;
    }
    Ok(())
}

fn escalation_due(
    complaint: &mut Complaint,
    id: ComplaintId,
    at: DateTime<Utc>,
    reason: EscalationReason,
) -> Result<(), Misfit> {
    if !complaint.is_open() && reason != EscalationReason::Reopened {
        return Err(Misfit::Contradicts(format!("complaint {id} is not open")));
    }
    if reason == EscalationReason::Threshold {
        let clock = complaint
            .escalation
            .as_mut()
            .filter(|c| c.is_running() && !c.breached)
            .ok_or_else(|| format!("complaint {id} has no escalation clock running"))?;
        clock.breached = true;
    }
    if complaint.escalation_due.is_none() {
        complaint.escalation_due = Some((reason, at));
    }
    if reason == EscalationReason::Reopened {
        // The reopen was not at the top: escalating is what it asks for.
        complaint.reopened_at_top = None;
    }
    Ok(())
}

/// Where a move on the ladder goes.
struct LevelMove {
    /// The level.
    level: u32,
    /// The owner there.
    owner: AgentId,
    /// Up or down.
    change: LevelChange,
}

/// A move up or down the ladder: the new level's escalation clock starts afresh, and an
/// escalation due is settled.
fn moved(
    complaint: &mut Complaint,
    id: ComplaintId,
    at: DateTime<Utc>,
    to: LevelMove,
    escalation: Option<&ClockTerms>,
) -> Result<(), Misfit> {
    let (action, wrong_way) = match to.change {
        LevelChange::Deescalated => (ComplaintAction::Deescalate, to.level >= complaint.level),
        LevelChange::Escalated | LevelChange::Assigned => {
            (ComplaintAction::Escalate, to.level <= complaint.level)
        }
    };
    if wrong_way {
        return Err(Misfit::Contradicts(format!(
            "complaint {id} is at level {} already",
            complaint.level
        )));
    }
    let stage = transition(complaint, action)?;
    complaint.level = to.level;
    complaint.owner = Some(to.owner);
    complaint.escalation_due = None;
    complaint.history.push(Handover {
        change: to.change,
        at,
        level: to.level,
        owner: to.owner,
    });
    // While the customer (or an outside party that pauses) is awaited and the wait paused the
    // clocks (the policy's `pause_while_waiting`), the new level's clock starts paused;
    // a wait that paused nothing leaves it running. The resolution clock says whether it
    // paused, or, when it has no target (nothing pauses it), the previous level's clock.
    let is_paused = |clock: &TargetClock| matches!(clock.phase, ClockPhase::Paused { .. });
    let paused = (matches!(complaint.state, ComplaintState::Waiting { .. })
        || complaint.party_holds())
        && (is_paused(&complaint.resolution)
            || complaint.escalation.as_ref().is_some_and(is_paused));
    complaint.escalation = escalation.cloned().map(|terms| {
        let mut clock = TargetClock::start(terms, at);
        // A clock with no target has nothing to pause.
        if paused && clock.terms.due.is_some() {
            let remaining = Remaining {
                due: clock.terms.target,
                warn: None,
            };
            pause(&mut clock, at, Some(&remaining));
        }
        clock
    });
    if stage == ComplaintStage::InProgress {
        complaint.state = ComplaintState::InProgress;
    }
    Ok(())
}

/// A resolution: the clocks stop (the acknowledgement one, if still running, with the outcome
/// the event states for it).
fn resolved(
    complaint: &mut Complaint,
    at: DateTime<Utc>,
    event: &ComplaintEvent,
) -> Result<(), Misfit> {
    let ComplaintEvent::Resolved {
        by,
        remedy,
        apology,
        summary,
        outcome,
        acknowledgement,
        ..
    } = event
    else {
        return Err(Misfit::Contradicts("not a resolution".to_owned()));
    };
    let (outcome, acknowledgement) = (*outcome, *acknowledgement);
    let resolution = Resolution {
        at,
        by: *by,
        remedy: remedy.clone(),
        apology: *apology,
        summary: summary.clone(),
    };
    transition(complaint, ComplaintAction::Resolve)?;
    no_party_wait(complaint)?;
    if complaint.acknowledgement.is_running() {
        let ack = acknowledgement
            .ok_or("an unacknowledged complaint resolved without the acknowledgement outcome")?;
        stop(&mut complaint.acknowledgement, ack, at);
    }
    stop(&mut complaint.resolution, outcome, at);
    if let Some(clock) = complaint.escalation.as_mut() {
        stop(clock, Outcome::Met, at);
    }
    complaint.escalation_due = None;
    complaint.reopened_at_top = None;
    complaint.follow_up = None;
    complaint.state = ComplaintState::Resolved(resolution);
    Ok(())
}

/// New terms: the clocks still counting take what the event decided for them.
fn reprioritised(
    complaint: &mut Complaint,
    id: ComplaintId,
    at: DateTime<Utc>,
    event: &ComplaintEvent,
) -> Result<(), Misfit> {
    let ComplaintEvent::Reprioritised {
        priority,
        tier,
        acknowledgement,
        resolution,
        ..
    } = event
    else {
        return Err(Misfit::Contradicts("not a re-prioritisation".to_owned()));
    };
    transition(complaint, ComplaintAction::Reprioritise)?;
    if complaint.is_unacknowledged() != acknowledgement.is_some() {
        return Err(Misfit::Contradicts(format!(
            "the re-prioritisation of complaint {id} contradicts its acknowledgement"
        )));
    }
    if let Some(terms) = acknowledgement {
        retarget(&mut complaint.acknowledgement, terms, at);
    }
    retarget(&mut complaint.resolution, resolution, at);
    complaint.priority = *priority;
    complaint.tier = tier.clone();
    Ok(())
}

/// The customer is awaited: the clocks the wait pauses stop counting.
fn awaiting(
    complaint: &mut Complaint,
    at: DateTime<Utc>,
    resolution: Option<&Remaining>,
    escalation: Option<&Remaining>,
) -> Result<(), Misfit> {
    transition(complaint, ComplaintAction::Wait)?;
    pause(&mut complaint.resolution, at, resolution);
    if let Some(clock) = complaint.escalation.as_mut() {
        pause(clock, at, escalation);
    }
    complaint.state = ComplaintState::Waiting { since: at };
    Ok(())
}

/// The customer answered: paused clocks run again on their new terms.
fn resumed(
    complaint: &mut Complaint,
    at: DateTime<Utc>,
    paused: Span,
    resolution: Option<&ClockTerms>,
    escalation: Option<&ClockTerms>,
) -> Result<(), Misfit> {
    transition(complaint, ComplaintAction::Resume)?;
    if let Some(terms) = resolution {
        run(&mut complaint.resolution, terms.clone(), at, paused);
    }
    if let (Some(clock), Some(terms)) = (complaint.escalation.as_mut(), escalation) {
        run(clock, terms.clone(), at, paused);
    }
    complaint.state = ComplaintState::InProgress;
    Ok(())
}

/// A reopen: the resolution clock runs on the terms the event states. One that continues keeps
/// what the clock said and what it was paused, and sets aside the time from where it stopped
/// counting (the resolution, or the start of the wait it was resolved in) to the reopen. Until
/// an escalation is made due for it, the reopen stands as one at the top of the ladder.
fn reopened(
    complaint: &mut Complaint,
    at: DateTime<Utc>,
    mode: ReopenMode,
    cycle: u32,
    resolution: &ClockTerms,
    escalation: Option<&ClockTerms>,
) {
    let before = std::mem::replace(
        &mut complaint.resolution,
        TargetClock::start(resolution.clone(), at),
    );
    if mode == ReopenMode::Continue {
        let stopped = match (&before.phase, &complaint.state) {
            (ClockPhase::Stopped { counted_until, .. }, _) => Some(*counted_until),
            (_, ComplaintState::Resolved(r) | ComplaintState::Closed(r)) => Some(r.at),
            (
                _,
                ComplaintState::Received
                | ComplaintState::Acknowledged { .. }
                | ComplaintState::InProgress
                | ComplaintState::Waiting { .. }
                | ComplaintState::ClosedUnresolved { .. },
            ) => None,
        };
        let clock = &mut complaint.resolution;
        clock.warned = before.warned;
        clock.breached = before.breached;
        clock.paused = before.paused;
        clock.set_aside = before.set_aside;
        if let Some(from) = stopped.filter(|from| *from < at) {
            clock.set_aside.push((from, at));
        }
    }
    complaint.escalation = escalation
        .cloned()
        .map(|terms| TargetClock::start(terms, at));
    complaint.cycle = cycle;
    complaint.reopened = complaint.reopened.saturating_add(1);
    complaint.reopened_at_top = Some(at);
    complaint.state = ComplaintState::InProgress;
}
