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
use super::event::ResponseEvent;
use super::state::{ClockKind, ResponseClock};
use crate::error::CommandError;
use crate::id::{InteractionId, PromiseId};
use crate::lifecycle::Context;
use crate::outcome::Outcome;
use crate::value::Direction;

/// What the response family decides on: the clock, how many answers were given, every
/// interaction recorded, and which promises an interaction may be about.
#[derive(Clone, Copy)]
pub(crate) struct Interactions<'a> {
    /// The response clock.
    pub(crate) clock: &'a ResponseClock,
    /// How many response clocks have been answered.
    pub(crate) answered: u32,
    /// When the latest outbound interaction happened.
    pub(crate) answered_at: Option<DateTime<Utc>>,
    /// Whether an interaction was recorded already.
    pub(crate) known_interaction: &'a dyn Fn(InteractionId) -> bool,
    /// Whether the relationship holds a promise (the promise family answers).
    pub(crate) known_promise: &'a dyn Fn(PromiseId) -> bool,
}

/// The events recording an interaction becomes.
pub(crate) fn record(
    ctx: &Context<'_>,
    state: &Interactions<'_>,
    record: &RecordInteraction,
) -> Result<Vec<ResponseEvent>, CommandError> {
    if (state.known_interaction)(record.interaction) {
        return Err(CommandError::DuplicateInteraction(record.interaction));
    }
    if record.direction == Direction::Outbound && record.awaits_reply {
        return Err(CommandError::Contradictory(
            "an outbound interaction cannot await a reply from us",
        ));
    }
    if let Some(unknown) = record
        .regarding
        .iter()
        .find(|id| !(state.known_promise)(**id))
    {
        return Err(CommandError::UnknownPromise(*unknown));
    }
    let mut events = vec![ResponseEvent::InteractionRecorded {
        interaction: record.interaction,
        channel: record.channel,
        direction: record.direction,
        agent: record.agent,
        summary: record.summary.clone(),
        awaits_reply: record.awaits_reply,
        priority: record.priority,
        regarding: record.regarding.clone(),
    }];
    let answered_since = state.answered_at.is_some_and(|answer| ctx.now < answer);
    match (record.direction, state.clock.wait()) {
        // A message older than the latest outbound interaction was answered by it: it starts
        // no clock and joins none.
        (Direction::Inbound, _) if !record.awaits_reply || answered_since => {}
        (Direction::Inbound, None) => {
            events.push(start(ctx, state.answered, record));
        }
        // Older than the message the clock waits on: the wait re-anchors on it.
        (Direction::Inbound, Some(wait)) if ctx.now < wait.started => {
            events.push(start(ctx, state.answered, record));
        }
        // Sent before the customer wrote: it answers nothing.
        (Direction::Outbound, Some(wait)) if ctx.now < wait.started => {}
        (Direction::Outbound, Some(wait)) => {
            let calendar = wait.calendar.as_deref();
            let waited = ctx.policy.elapsed(calendar, wait.started, ctx.now)?;
            let outcome = match wait.due {
                Some(due) => ctx.policy.outcome(calendar, due, ctx.now)?,
                None => Outcome::Untimed,
            };
            events.push(ResponseEvent::ClockStopped {
                kind: wait.kind,
                since: wait.since,
                answered_by: record.interaction,
                target: wait.target,
                due: wait.due,
                waited,
                outcome,
            });
        }
        (Direction::Inbound, Some(_)) | (Direction::Outbound, None) => {}
    }
    Ok(events)
}

/// The clock an inbound interaction expecting an answer starts while nobody was waiting:
/// first response if no answer was ever given, reply otherwise.
fn start(ctx: &Context<'_>, answered: u32, record: &RecordInteraction) -> ResponseEvent {
    let policy = ctx.policy;
    let kind = if answered == 0 {
        ClockKind::FirstResponse
    } else {
        ClockKind::Reply
    };
    let targets = match kind {
        ClockKind::FirstResponse => &policy.first_response,
        ClockKind::Reply => &policy.reply,
    };
    let target = targets.get(record.priority, ctx.tier);
    let calendar = targets.calendar(record.priority);
    let due = policy.target_due(calendar, ctx.now, target);
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
        since: record.interaction,
        priority: record.priority,
        tier: ctx.tier.clone(),
        target,
        calendar: calendar.map(str::to_owned),
        due,
        no_target,
        warn_at,
    }
}
