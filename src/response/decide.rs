//! Deciding: a recorded interaction becomes response events, starting or stopping the clock.
//!
//! The interaction is recorded whatever the calendar says: when the deadline cannot be
//! computed (the target's calendar is not in the policy, has no working time left, or cannot
//! represent the deadline), the clock starts with no target and records why
//! ([`NoTarget`](crate::outcome::NoTarget), schema version 3). It never falls due, is flagged
//! to the account owner, and the answer that stops it is
//! [`Outcome::Untimed`](crate::outcome::Outcome::Untimed).

use chrono::{DateTime, Utc};

use super::command::RecordInteraction;
use super::conversation::{Answer, Conversation, Message};
use super::event::ResponseEvent;
use super::state::{ClockKind, ResponseClock, Wait, WaitTerms};
use crate::error::CommandError;
use crate::flag::Regarding;
use crate::id::{ComplaintId, InteractionId, PromiseId};
use crate::lifecycle::Context;
use crate::outcome::{NoTarget, Outcome};
use crate::policy::Situation;
use crate::value::{Direction, Span};

/// What the response family decides on: the clock, how many answers were given, the times
/// of the messages and answers, which interactions were recorded, and which promises and
/// complaints an interaction may be about.
#[derive(Clone, Copy)]
pub(crate) struct Interactions<'a> {
    /// The response clock.
    pub(crate) clock: &'a ResponseClock,
    /// How many response clocks have been answered.
    pub(crate) answered: u32,
    /// The messages and answers, by when they happened.
    pub(crate) conversation: &'a Conversation,
    /// Whether an interaction was recorded already.
    pub(crate) known_interaction: &'a dyn Fn(InteractionId) -> bool,
    /// Whether the relationship holds a promise (the promise family answers).
    pub(crate) known_promise: &'a dyn Fn(PromiseId) -> bool,
    /// Whether the relationship holds a complaint (the complaint family answers).
    pub(crate) known_complaint: &'a dyn Fn(ComplaintId) -> bool,
}

/// A response event and when it happened: a fact reported late may bring facts of other
/// instants with it (the clock a late message would have started and its answer stopped, the
/// clock a later message starts once a late answer stopped the one before).
pub(crate) type Dated = (DateTime<Utc>, ResponseEvent);

/// The events recording an interaction becomes, each with its date.
pub(crate) fn record(
    ctx: &Context<'_>,
    state: &Interactions<'_>,
    record: &RecordInteraction,
) -> Result<Vec<Dated>, CommandError> {
    if (state.known_interaction)(record.interaction) {
        return Err(CommandError::DuplicateInteraction(record.interaction));
    }
    if record.direction == Direction::Outbound && record.awaits_reply {
        return Err(CommandError::Contradictory(
            "an outbound interaction cannot await a reply from us",
        ));
    }
    if record.direction == Direction::Inbound && record.awaits_customer {
        return Err(CommandError::Contradictory(
            "an inbound interaction cannot await the customer",
        ));
    }
    if let Some(unknown) = record
        .regarding
        .iter()
        .find(|id| !(state.known_promise)(**id))
    {
        return Err(CommandError::UnknownPromise(*unknown));
    }
    if let Some(unknown) = record
        .regarding_complaints
        .iter()
        .find(|id| !(state.known_complaint)(**id))
    {
        return Err(CommandError::UnknownComplaint(*unknown));
    }
    let now = ctx.now;
    let mut events = vec![(
        now,
        ResponseEvent::InteractionRecorded {
            interaction: record.interaction,
            channel: record.channel,
            direction: record.direction,
            agent: record.agent,
            summary: record.summary.clone(),
            awaits_reply: record.awaits_reply,
            priority: record.priority,
            regarding: record.regarding.clone(),
            regarding_complaints: record.regarding_complaints.clone(),
        },
    )];
    let message = Message {
        at: now,
        channel: record.channel,
        interaction: record.interaction,
        priority: record.priority,
    };
    let answer_after = state.conversation.answer_after(now);
    match (record.direction, state.clock.wait()) {
        (Direction::Inbound, _) if !record.awaits_reply => {}
        // A message an answer already recorded followed: that answer stopped a clock it
        // joins (or one that started after it, which stands), or it answers this message's
        // own wait, recorded now from start to answer.
        (Direction::Inbound, _) if answer_after.is_some() => {
            if let Some(answer) = answer_after.filter(|answer| !answer.stopped) {
                let first = !state.conversation.answered_by(now);
                events.extend(past_wait(ctx, first, message, answer)?);
            }
        }
        // The customer's answer to our question starts a reply clock.
        (Direction::Inbound, None) => {
            let first = state.answered == 0 && state.clock.pending().is_none();
            events.push((now, start(ctx, first, message)));
        }
        // Older than the message the clock waits on: the wait re-anchors on it.
        (Direction::Inbound, Some(wait)) if now < wait.started => {
            events.push((now, start(ctx, state.answered == 0, message)));
        }
        // Sent before the customer wrote: it answers nothing.
        (Direction::Outbound, Some(wait)) if now < wait.started => {}
        (Direction::Outbound, Some(wait)) => {
            events.push((now, stop(ctx, wait, record.interaction, now)?));
            // Messages after a late answer still wait: the oldest starts the next clock.
            if let Some(next) = state.conversation.message_after(now) {
                let at_next = Context {
                    now: next.at,
                    ..*ctx
                };
                events.push((next.at, start(&at_next, false, *next)));
            }
        }
        (Direction::Inbound, Some(_)) | (Direction::Outbound, None) => {}
    }
    events.extend(awaiting(state, record, now));
    Ok(events)
}

/// Our question awaits the customer, after any stop it caused, unless the customer has spoken
/// since (a question reported late).
fn awaiting(
    state: &Interactions<'_>,
    record: &RecordInteraction,
    now: DateTime<Utc>,
) -> Option<Dated> {
    if !record.awaits_customer || state.conversation.heard_after(now) {
        return None;
    }
    let complaints = record.regarding_complaints.iter().copied();
    let promises = record.regarding.iter().copied();
    let about = complaints
        .map(Regarding::Complaint)
        .chain(promises.map(Regarding::Promise))
        .collect();
    let asked_by = record.interaction;
    Some((now, ResponseEvent::AwaitingCustomer { asked_by, about }))
}

/// The clock `wait` stopped by `answered_by` at `at`: the wait and the outcome measured to `at`.
fn stop(
    ctx: &Context<'_>,
    wait: &Wait,
    answered_by: InteractionId,
    at: DateTime<Utc>,
) -> Result<ResponseEvent, CommandError> {
    let calendar = wait.calendar();
    let waited = ctx.policy.elapsed(calendar, wait.started, at)?;
    let outcome = match wait.due {
        Some(due) => ctx.policy.outcome(calendar, due, at)?,
        None => Outcome::Untimed,
    };
    Ok(ResponseEvent::ClockStopped {
        kind: wait.kind,
        since: wait.since,
        answered_by,
        target: wait.target,
        due: wait.due,
        waited,
        outcome,
    })
}

/// The wait of a message reported after the answer that followed it, as it happened: its
/// start, the warning and breach that fell before the answer, and the answer, each dated at
/// its own instant.
fn past_wait(
    ctx: &Context<'_>,
    first: bool,
    message: Message,
    answer: &Answer,
) -> Result<Vec<Dated>, CommandError> {
    let started = start(ctx, first, message);
    let ResponseEvent::ClockStarted {
        kind,
        target,
        calendar,
        due,
        no_target,
        warn_at,
        priority,
        ..
    } = &started
    else {
        return Ok(Vec::new());
    };
    let wait = Wait {
        kind: *kind,
        since: message.interaction,
        started: message.at,
        priority: *priority,
        target: *target,
        terms: WaitTerms::of(calendar.as_deref(), no_target.as_ref()),
        due: *due,
        warn_at: *warn_at,
        unanswered: 1,
    };
    let mut events = vec![(message.at, started.clone())];
    if let Some(due) = wait.due {
        if let Some(warn_at) = wait.warn_at.filter(|w| *w < due && *w <= answer.at) {
            let since = message.interaction;
            events.push((warn_at, ResponseEvent::AtRisk { since, due }));
        }
        if due <= answer.at {
            let since = message.interaction;
            events.push((due, ResponseEvent::Overdue { since, due }));
        }
    }
    events.push((answer.at, stop(ctx, &wait, answer.interaction, answer.at)?));
    Ok(events)
}

/// The clock a message expecting an answer starts while nobody was waiting (or an older one
/// re-anchors): the first response if no answer was given before it, a reply otherwise.
fn start(ctx: &Context<'_>, first: bool, message: Message) -> ResponseEvent {
    let policy = ctx.policy;
    let kind = if first {
        ClockKind::FirstResponse
    } else {
        ClockKind::Reply
    };
    let targets = match kind {
        ClockKind::FirstResponse => &policy.first_response,
        ClockKind::Reply => &policy.reply,
    };
    let calendar = targets.calendar_for(&Situation {
        priority: message.priority,
        tier: ctx.tier,
        channel: Some(message.channel),
        team: None,
    });
    // A priority the policy sets no target for: the clock runs with none (issue 14 item 9).
    let (target, due) = match targets.target(message.priority, ctx.tier) {
        Some(target) => (target, policy.target_due(calendar, ctx.now, target)),
        None => (Span::ZERO, Err(NoTarget::NoneSet)),
    };
    // The warning falls before the due instant: there is one only if there is a due instant.
    let warn_at = due.as_ref().ok().and_then(|_| {
        policy
            .response_warning
            .warn_after(target)
            .and_then(|lead| policy.target_due(calendar, ctx.now, lead).ok())
    });
    let (due, no_target) = match due {
        Ok(due) => (Some(due), None),
        Err(reason) => (None, Some(reason)),
    };
    ResponseEvent::ClockStarted {
        kind,
        since: message.interaction,
        priority: message.priority,
        tier: ctx.tier.clone(),
        target,
        calendar: calendar.map(str::to_owned),
        due,
        no_target,
        warn_at,
    }
}
