//! Rules that span lifecycle families, in one place: what one family's facts mean for
//! another's. They run after a family's primary events, the same way when deciding a command
//! and when firing a deadline, so no family needs its siblings as parameters.
//!
//! - A promise linked to a complaint (made in answer to it, or one the complaint is about)
//!   breaking a second time makes escalation due ([`escalation_after_break`]).
//! - A resolved complaint gets the follow-up the policy schedules
//!   ([`follow_up_after_resolution`]), with no due instant if its delay cannot be computed on
//!   its calendar: a reaction never refuses a fact for want of a deadline.
//! - A reopened complaint cancels its pending follow-up and voids its pending survey
//!   ([`after_reopen`]).
//! - A follow-up that finds the customer not satisfied reopens its complaint, when the policy
//!   says so ([`reopen_when_not_satisfied`]).
//!
//! - Health reads breaks, response outcomes and breaches, answers and inbound contacts
//!   ([`health_fact`]).
//!
//! When deciding a command, [`follow`] puts each event's reactions right after it, and
//! reactions react in turn: a not-satisfied follow-up is followed by the reopen, the reopen by
//! the cancelled follow-up and the voided survey, then the escalation the reopen made due.
//! - The update cadence of a complaint or a promise ([`crate::response`]'s `cadence`) is armed
//!   when the complaint is received, resumed or reopened and when the promise is made,
//!   re-armed by the complaint's acknowledgement or an outbound interaction regarding the item
//!   (unless the complaint waits on the customer or on our question about it), paused while
//!   the complaint waits on the customer or while a question of ours about the item waits for
//!   the customer's answer (re-armed when the customer speaks), and stopped when the item closes ([`update_cadence`], [`settle_complaint_update`],
//!   [`settle_promise_update`]).
//! - What health reads of each event ([`health_fact`]).

use chrono::{DateTime, Utc};

use super::Relationship;
use crate::command::Command;
use crate::complaint::{
    self, Complaint, ComplaintCommand, ComplaintEvent, ComplaintStage, Complaints,
    EscalationReason, ReopenComplaint,
};
use crate::error::CommandError;
use crate::event::Event;
use crate::flag::Regarding;
use crate::follow_up::{FollowUp, FollowUpEvent, FollowUpOutcome};
use crate::health::Fact;
use crate::id::{AgentId, ComplaintId, FollowUpId, PromiseId};
use crate::lifecycle::Context;
use crate::lifecycle::Misfit;
use crate::outcome::Outcome;
use crate::personal::Personal;
use crate::policy::ServicePolicy;
use crate::promise::{self as promise_family, Promises};
use crate::promise::{Notice, PromiseEvent, PromiseTerms};
use crate::response::ResponseEvent;
use crate::response::{UpdateAction, UpdateClocks, UpdateStage, Whereabouts};
use crate::survey::{self, SurveyAnswer, SurveyEvent};
use crate::value::{Direction, Priority};

/// A decision's events with the reactions they call for: each event followed by the events it
/// causes in sibling families, and those by theirs. Reactions see the relationship as it was
/// before the decision, and the events decided before them.
///
/// # Errors
/// What a reaction refuses (a resolution whose follow-up id the customer has already, ...).
pub(super) fn follow(
    relationship: &Relationship,
    policy: &ServicePolicy,
    command: &Command,
    primary: Vec<Event>,
    now: DateTime<Utc>,
) -> Result<Vec<Event>, CommandError> {
    let Some(profile) = relationship.profile.as_ref() else {
        return Ok(primary);
    };
    let ctx = Context {
        policy,
        now,
        tier: &profile.tier,
        account_owner: profile.owner,
    };
    let mut out = Vec::with_capacity(primary.len());
    for event in primary {
        push_reacting(relationship, command, &ctx, event, &mut out)?;
    }
    Ok(out)
}

/// Pushes `event`, then its reactions (each with theirs).
fn push_reacting(
    relationship: &Relationship,
    command: &Command,
    ctx: &Context<'_>,
    event: Event,
    out: &mut Vec<Event>,
) -> Result<(), CommandError> {
    let derived = reactions_to(relationship, command, ctx, &event, out)?;
    out.push(event);
    for next in derived {
        push_reacting(relationship, command, ctx, next, out)?;
    }
    Ok(())
}

/// The events `event` causes: in sibling families, then the update cadence it arms.
fn reactions_to(
    relationship: &Relationship,
    command: &Command,
    ctx: &Context<'_>,
    event: &Event,
    earlier: &[Event],
) -> Result<Vec<Event>, CommandError> {
    let mut derived = family_reactions(relationship, command, ctx, event, earlier)?;
    derived.extend(
        update_cadence(relationship, ctx, event)
            .into_iter()
            .map(Event::Response),
    );
    Ok(derived)
}

/// The events `event` causes in sibling families; `earlier` are the events decided before it.
fn family_reactions(
    relationship: &Relationship,
    command: &Command,
    ctx: &Context<'_>,
    event: &Event,
    earlier: &[Event],
) -> Result<Vec<Event>, CommandError> {
    match event {
        Event::Complaint(ComplaintEvent::Resolved { complaint, by, .. }) => {
            let requested = match command {
                Command::Complaint(ComplaintCommand::Resolve(resolve)) => resolve.follow_up,
                Command::Customer(_)
                | Command::Response(_)
                | Command::Promise(_)
                | Command::Complaint(_)
                | Command::FollowUp(_)
                | Command::Survey(_) => None,
            };
            let scheduled =
                follow_up_after_resolution(relationship, *complaint, *by, requested, ctx)?;
            Ok(scheduled.into_iter().map(Event::FollowUp).collect())
        }
        Event::Complaint(ComplaintEvent::Reopened { complaint, .. }) => {
            Ok(after_reopen(relationship, *complaint, earlier))
        }
        Event::FollowUp(FollowUpEvent::Completed {
            follow_up, outcome, ..
        }) => reopen_when_not_satisfied(relationship, *follow_up, *outcome, ctx),
        Event::Complaint(
            ComplaintEvent::Received { .. }
            | ComplaintEvent::Acknowledged { .. }
            | ComplaintEvent::Assigned { .. }
            | ComplaintEvent::Routed { .. }
            | ComplaintEvent::AwaitingParty { .. }
            | ComplaintEvent::PartyLate { .. }
            | ComplaintEvent::PartyWaitEnded { .. }
            | ComplaintEvent::ClockAtRisk { .. }
            | ComplaintEvent::ClockBreached { .. }
            | ComplaintEvent::EscalationDue { .. }
            | ComplaintEvent::Escalated { .. }
            | ComplaintEvent::Deescalated { .. }
            | ComplaintEvent::ClosedUnresolved { .. }
            | ComplaintEvent::Reprioritised { .. }
            | ComplaintEvent::AwaitingCustomer { .. }
            | ComplaintEvent::Resumed { .. }
            | ComplaintEvent::Closed { .. },
        )
        | Event::FollowUp(
            FollowUpEvent::Scheduled { .. }
            | FollowUpEvent::Overdue { .. }
            | FollowUpEvent::Cancelled { .. },
        )
        | Event::Customer(_)
        | Event::Response(_)
        | Event::Promise(_)
        | Event::Survey(_)
        | Event::Health(_) => Ok(Vec::new()),
    }
}

/// The follow-up the policy schedules after a resolution, with the id the command gave, or
/// else the one derived from the complaint and its reopen count
/// ([`FollowUpId::after_resolution`]). Owned by the complaint's owner, else the account owner,
/// else whoever resolved it.
pub(crate) fn follow_up_after_resolution(
    relationship: &Relationship,
    complaint_id: ComplaintId,
    by: AgentId,
    requested: Option<FollowUpId>,
    ctx: &Context<'_>,
) -> Result<Option<FollowUpEvent>, CommandError> {
    let policy = ctx.policy;
    let Some(after) = policy.complaints.follow_up_after else {
        return Ok(None);
    };
    let complaint = relationship
        .rare()
        .complaints
        .get(&complaint_id)
        .ok_or(CommandError::UnknownComplaint(complaint_id))?;
    let id =
        requested.unwrap_or_else(|| FollowUpId::after_resolution(complaint_id, complaint.reopened));
    if relationship.rare().follow_ups.contains_key(&id)
        || relationship.archive.follow_up(id).is_some()
    {
        return Err(CommandError::DuplicateFollowUp(id));
    }
    // The resolution is recorded whatever the calendar says: a delay that cannot be computed
    // schedules the follow-up with no due instant, flagged to its owner.
    let (due, no_target) = match policy.target_due(
        policy.complaints.follow_up_calendar.as_deref(),
        ctx.now,
        after,
    ) {
        Ok(due) => (Some(due), None),
        Err(reason) => (None, Some(reason)),
    };
    Ok(Some(FollowUpEvent::Scheduled {
        follow_up: id,
        owner: complaint.owner.or(ctx.account_owner).unwrap_or(by),
        due,
        no_target,
        reason: complaint.summary.reveal().map_or_else(
            || Personal::ours("Follow up on the resolution of the complaint"),
            |summary| Personal::ours(&format!("Follow up on the resolution of: {summary}")),
        ),
        complaint: Some(complaint_id),
    }))
}

/// A reopen cancels the complaint's follow-up still pending (unless an earlier event of the
/// decision completed or cancelled it) and voids the survey still pending for the resolution
/// that no longer stands.
pub(crate) fn after_reopen(
    relationship: &Relationship,
    complaint_id: ComplaintId,
    earlier: &[Event],
) -> Vec<Event> {
    let settled = |id: FollowUpId| {
        earlier.iter().any(|event| {
            matches!(
                event,
                Event::FollowUp(
                    FollowUpEvent::Completed { follow_up, .. }
                    | FollowUpEvent::Cancelled { follow_up, .. }
                ) if *follow_up == id
            )
        })
    };
    let mut events = Vec::new();
    let pending = relationship
        .rare()
        .complaints
        .get(&complaint_id)
        .and_then(|c| c.follow_up)
        .filter(|id| {
            relationship
                .rare()
                .follow_ups
                .get(id)
                .is_some_and(FollowUp::is_pending)
                && !settled(*id)
        });
    if let Some(pending) = pending {
        events.push(Event::FollowUp(FollowUpEvent::Cancelled {
            follow_up: pending,
            reason: Personal::ours("the complaint was reopened"),
        }));
    }
    events.extend(
        survey::pending_for(&relationship.rare().surveys, complaint_id)
            .map(|id| Event::Survey(survey::void(id))),
    );
    events
}

/// A follow-up that found the customer not satisfied reopens its resolved or closed complaint,
/// when the policy says so.
pub(crate) fn reopen_when_not_satisfied(
    relationship: &Relationship,
    follow_up: FollowUpId,
    outcome: FollowUpOutcome,
    ctx: &Context<'_>,
) -> Result<Vec<Event>, CommandError> {
    let reopenable = relationship
        .rare()
        .follow_ups
        .get(&follow_up)
        .and_then(|f| f.complaint)
        .filter(|id| {
            relationship.rare().complaints.get(id).is_some_and(|c| {
                matches!(c.stage(), ComplaintStage::Resolved | ComplaintStage::Closed)
            })
        });
    if outcome != FollowUpOutcome::NotSatisfied || !ctx.policy.complaints.reopen_when_not_satisfied
    {
        return Ok(Vec::new());
    }
    let Some(complaint) = reopenable else {
        return Ok(Vec::new());
    };
    let reopen = ReopenComplaint {
        complaint,
        reason: Personal::ours("the follow-up found the customer not satisfied"),
    };
    let reopened = complaint::reopen(&relationship.rare().complaints, &reopen, ctx)?;
    Ok(reopened.into_iter().map(Event::Complaint).collect())
}

/// A promise broke for the second time: escalation is due for each open complaint it is linked
/// to, the one it was made in answer to and every one recorded as about it, once per
/// complaint, unless it was due already when the promise broke (an escalation that fell due
/// after the break, recorded first because the break was brought back by a fact reported late,
/// does not hide it).
pub(crate) fn escalation_after_break(
    events: &[PromiseEvent],
    promise: PromiseId,
    terms: &PromiseTerms,
    complaints: &Complaints,
    account_owner: Option<AgentId>,
) -> Vec<ComplaintEvent> {
    let Some(broke) = events.iter().find_map(|e| {
        if let PromiseEvent::Broken { breaks: 2, due, .. } = e {
            Some(*due)
        } else {
            None
        }
    }) else {
        return Vec::new();
    };
    complaints
        .iter()
        .filter(|(id, c)| terms.complaint() == Some(**id) || c.promises.contains(&promise))
        .filter(|(_, c)| c.is_open() && c.escalation_due.is_none_or(|(_, since)| since > broke))
        .map(|(id, c)| ComplaintEvent::EscalationDue {
            complaint: *id,
            reason: EscalationReason::PromiseBrokenAgain,
            level: c.level,
            owner: c.owner.or(account_owner),
        })
        .collect()
}

/// An outbound interaction about promises tells the customer about them: a later break is
/// not in silence.
pub(crate) fn tell_promises(
    promises: &mut Promises,
    archived: &dyn Fn(PromiseId) -> bool,
    event: &ResponseEvent,
    at: DateTime<Utc>,
) -> Result<(), Misfit> {
    match event {
        ResponseEvent::InteractionRecorded {
            direction: Direction::Outbound,
            regarding,
            ..
        } => promise_family::inform(promises, regarding, archived, at),
        ResponseEvent::InteractionRecorded { .. }
        | ResponseEvent::ClockStarted { .. }
        | ResponseEvent::AtRisk { .. }
        | ResponseEvent::Overdue { .. }
        | ResponseEvent::ClockStopped { .. }
        | ResponseEvent::AwaitingCustomer { .. }
        | ResponseEvent::UpdateClockStarted { .. }
        | ResponseEvent::UpdateAtRisk { .. }
        | ResponseEvent::UpdateOverdue { .. } => Ok(()),
    }
}

/// What an event means for health: the fact it is, if any, and whether it is an inbound
/// contact of the customer.
pub(crate) fn health_fact(event: &Event) -> (Option<Fact>, bool) {
    let inbound = matches!(
        event,
        Event::Response(ResponseEvent::InteractionRecorded {
            direction: Direction::Inbound,
            ..
        })
    );
    (fact_of(event), inbound)
}

fn fact_of(event: &Event) -> Option<Fact> {
    match event {
        Event::Response(ResponseEvent::ClockStopped { outcome, .. }) => target_fact(*outcome),
        // A complaint's targets count as the customer's targets too: acknowledged, and
        // resolved (with the acknowledgement a resolution settles: missed if either was).
        Event::Complaint(ComplaintEvent::Acknowledged { outcome, .. }) => target_fact(*outcome),
        Event::Complaint(ComplaintEvent::Resolved {
            outcome,
            acknowledgement,
            ..
        }) => target_fact(match acknowledgement {
            Some(ack) if ack.had_target() && !ack.on_time() => *ack,
            Some(_) | None => *outcome,
        }),
        Event::Response(ResponseEvent::Overdue { .. })
        | Event::Complaint(ComplaintEvent::ClockBreached { .. }) => Some(Fact::Breach),
        Event::Promise(PromiseEvent::Broken { notice, .. }) => Some(Fact::Broken {
            silent: *notice == Notice::InSilence,
        }),
        Event::Survey(SurveyEvent::Answered { answer, .. }) => Some(answer_fact(*answer)),
        Event::FollowUp(FollowUpEvent::Completed { outcome, .. }) => {
            let unsatisfied = *outcome == FollowUpOutcome::NotSatisfied;
            Some(Fact::Answer {
                penalty: if unsatisfied { 1000 } else { 0 },
                unsatisfied,
            })
        }
        Event::Customer(_)
        | Event::Response(_)
        | Event::Promise(_)
        | Event::Complaint(_)
        | Event::FollowUp(_)
        | Event::Survey(_)
        | Event::Health(_) => None,
    }
}

/// A target's outcome as a fact: met or missed; none without a target.
fn target_fact(outcome: Outcome) -> Option<Fact> {
    outcome.had_target().then_some(if outcome.on_time() {
        Fact::TargetMet
    } else {
        Fact::TargetMissed
    })
}

/// A survey answer's penalty: NPS 0–6 (detractor) and CSAT 1–2 are unsatisfied (full
/// penalty); NPS 7–8 costs 30 %, CSAT 3 half.
fn answer_fact(answer: SurveyAnswer) -> Fact {
    let (penalty, unsatisfied) = match answer {
        SurveyAnswer::Csat(score) if score.get() <= 2 => (1000, true),
        SurveyAnswer::Csat(score) if score.get() == 3 => (500, false),
        SurveyAnswer::Nps(score) if score.get() <= 6 => (1000, true),
        SurveyAnswer::Nps(score) if score.get() <= 8 => (300, false),
        SurveyAnswer::Csat(_) | SurveyAnswer::Nps(_) => (0, false),
    };
    Fact::Answer {
        penalty,
        unsatisfied,
    }
}

/// The update cadences `event` arms or re-arms: a complaint received, resumed or reopened, a
/// promise made, a complaint acknowledged or an outbound interaction regarding open items (not
/// a complaint that waits on the customer, nor an item our question paused: its cadence is
/// paused until the customer answers), the
/// customer speaking after we asked them something (the items our question paused). Nothing
/// when the policy keeps no cadence.
pub(crate) fn update_cadence(
    relationship: &Relationship,
    ctx: &Context<'_>,
    event: &Event,
) -> Vec<crate::response::ResponseEvent> {
    if ctx.policy.updates.is_none() {
        return Vec::new();
    }
    let complaint = |id: &ComplaintId| relationship.rare().complaints.get(id).map(whereabouts);
    let arming: Vec<(Regarding, Whereabouts)> = match event {
        Event::Complaint(ComplaintEvent::Received {
            complaint,
            priority,
            channel,
            ..
        }) => vec![(
            Regarding::Complaint(*complaint),
            (*priority, Some(*channel), None),
        )],
        // The acknowledgement tells the customer about the complaint, as an outbound
        // interaction regarding it does: not while it waits on the customer.
        Event::Complaint(ComplaintEvent::Acknowledged { complaint: id, .. }) => {
            told(relationship, &[], std::slice::from_ref(id))
        }
        Event::Complaint(
            ComplaintEvent::Resumed { complaint: id, .. }
            | ComplaintEvent::Reopened { complaint: id, .. },
        ) => complaint(id)
            .map(|at| (Regarding::Complaint(*id), at))
            .into_iter()
            .collect(),
        Event::Promise(PromiseEvent::Made {
            promise,
            complaint: linked,
            ..
        }) => vec![(
            Regarding::Promise(*promise),
            linked
                .as_ref()
                .and_then(complaint)
                .unwrap_or((Priority::Normal, None, None)),
        )],
        Event::Response(ResponseEvent::InteractionRecorded {
            direction: Direction::Outbound,
            regarding,
            regarding_complaints,
            ..
        }) => told(relationship, regarding, regarding_complaints),
        Event::Response(ResponseEvent::InteractionRecorded {
            direction: Direction::Inbound,
            ..
        }) => answered(relationship, ctx.now),
        Event::Complaint(_)
        | Event::Promise(_)
        | Event::Response(_)
        | Event::Customer(_)
        | Event::FollowUp(_)
        | Event::Survey(_)
        | Event::Health(_) => Vec::new(),
    };
    arming
        .into_iter()
        .filter_map(|(about, at)| crate::response::arm_update(ctx, about, at))
        .collect()
}

/// Where a complaint's work is: its priority, channel and team.
fn whereabouts(complaint: &Complaint) -> Whereabouts {
    (complaint.priority, Some(complaint.channel), complaint.team)
}

/// The items an outbound interaction tells the customer about whose cadence it re-arms: open
/// complaints not waiting on the customer, and outstanding promises (where the complaint they
/// answer is, else at normal priority).
fn told(
    relationship: &Relationship,
    promises: &[PromiseId],
    complaints: &[ComplaintId],
) -> Vec<(Regarding, Whereabouts)> {
    let paused = |about: Regarding| {
        relationship
            .rare()
            .updates
            .get(&about)
            .is_some_and(|c| c.stage == UpdateStage::Paused)
    };
    let complaints = complaints.iter().filter_map(|id| {
        let about = Regarding::Complaint(*id);
        let c = relationship.rare().complaints.get(id)?;
        (c.is_open() && c.stage() != ComplaintStage::Waiting && !paused(about))
            .then(|| (about, whereabouts(c)))
    });
    let promises = promises.iter().filter_map(|id| {
        let about = Regarding::Promise(*id);
        let at = outstanding(relationship, *id)?;
        (!paused(about)).then_some((about, at))
    });
    complaints.chain(promises).collect()
}

/// Where an outstanding promise's work is: where the complaint it answers is, else at normal
/// priority. `None` unless the promise is outstanding.
fn outstanding(relationship: &Relationship, id: PromiseId) -> Option<Whereabouts> {
    let p = relationship.promises.get(&id)?;
    let at = p
        .terms
        .complaint()
        .and_then(|c| relationship.rare().complaints.get(&c))
        .map_or((Priority::Normal, None, None), whereabouts);
    p.is_outstanding().then_some(at)
}

/// The cadences our question paused that the customer, speaking at `at` after it, arms
/// again: items still open, unless a complaint itself waits on the customer (its own answer,
/// `complaint_resumed`, arms it).
fn answered(relationship: &Relationship, at: DateTime<Utc>) -> Vec<(Regarding, Whereabouts)> {
    let Some(pending) = relationship.response.pending().filter(|p| at >= p.since) else {
        return Vec::new();
    };
    let paused = |about: &&Regarding| {
        relationship
            .rare()
            .updates
            .get(*about)
            .is_some_and(|c| c.stage == UpdateStage::Paused)
    };
    let open = |about: &Regarding| match about {
        Regarding::Complaint(id) => relationship
            .rare()
            .complaints
            .get(id)
            .filter(|c| c.is_open() && c.stage() != ComplaintStage::Waiting)
            .map(|c| (*about, whereabouts(c))),
        Regarding::Promise(id) => outstanding(relationship, *id).map(|at| (*about, at)),
    };
    pending
        .about
        .iter()
        .filter(paused)
        .filter_map(open)
        .collect()
}

/// A complaint waiting on the customer pauses its update cadence; resolved or closed, stops it.
pub(crate) fn settle_complaint_update(
    updates: &mut UpdateClocks,
    event: &ComplaintEvent,
    at: DateTime<Utc>,
) {
    let (complaint, action) = match event {
        ComplaintEvent::AwaitingCustomer { complaint, .. } => (complaint, UpdateAction::Pause),
        ComplaintEvent::Resolved { complaint, .. }
        | ComplaintEvent::Closed { complaint, .. }
        | ComplaintEvent::ClosedUnresolved { complaint, .. } => (complaint, UpdateAction::Stop),
        ComplaintEvent::Received { .. }
        | ComplaintEvent::Acknowledged { .. }
        | ComplaintEvent::Assigned { .. }
        | ComplaintEvent::Routed { .. }
        | ComplaintEvent::ClockAtRisk { .. }
        | ComplaintEvent::ClockBreached { .. }
        | ComplaintEvent::EscalationDue { .. }
        | ComplaintEvent::Escalated { .. }
        | ComplaintEvent::Deescalated { .. }
        | ComplaintEvent::Reprioritised { .. }
        | ComplaintEvent::Resumed { .. }
        | ComplaintEvent::AwaitingParty { .. }
        | ComplaintEvent::PartyLate { .. }
        | ComplaintEvent::PartyWaitEnded { .. }
        | ComplaintEvent::Reopened { .. } => return,
    };
    crate::response::settle_update(updates, Regarding::Complaint(*complaint), action, at);
}

/// A promise kept or withdrawn stops its update cadence.
pub(crate) fn settle_promise_update(
    updates: &mut UpdateClocks,
    event: &PromiseEvent,
    at: DateTime<Utc>,
) {
    match event {
        PromiseEvent::Kept { promise, .. } | PromiseEvent::Withdrawn { promise, .. } => {
            crate::response::settle_update(
                updates,
                Regarding::Promise(*promise),
                UpdateAction::Stop,
                at,
            );
        }
        PromiseEvent::Made { .. }
        | PromiseEvent::AtRisk { .. }
        | PromiseEvent::Broken { .. }
        | PromiseEvent::Revised { .. }
        | PromiseEvent::SlippedRepeatedly { .. }
        | PromiseEvent::DependencyRecorded { .. }
        | PromiseEvent::DependencyLate { .. }
        | PromiseEvent::DependencyMet { .. } => {}
    }
}
