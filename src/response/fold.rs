//! Folding: stored response events change the clock; the relationship records the interaction.

use chrono::{DateTime, Utc};

use super::conversation::{Answer, Conversation, Message};
use super::event::ResponseEvent;
use super::state::{ClockAction, Pending, ResponseClock, Wait, WaitTerms};
use crate::flag::Regarding;
use crate::id::{ComplaintId, InteractionId, PromiseId};
use crate::lifecycle::Misfit;
use crate::value::Direction;

/// What the response family folds into: the clock, how many answers were given, every
/// interaction recorded, and which promises an interaction may be about. Telling
/// the customer about a promise is the relationship's reaction, after the fold.
pub(crate) struct InteractionsMut<'a> {
    /// The response clock.
    pub(crate) clock: &'a mut ResponseClock,
    /// The messages and answers, by when they happened.
    pub(crate) conversation: &'a mut Conversation,
    /// The wait of a message reported after the answer that followed it, between its start
    /// and its answer (both recorded in one decision); idle otherwise.
    pub(crate) past: &'a mut ResponseClock,
    /// Whether an interaction was recorded already (the relationship records it after the
    /// fold).
    pub(crate) known_interaction: &'a dyn Fn(InteractionId) -> bool,
    /// Whether the relationship holds a promise (the promise family answers).
    pub(crate) known_promise: &'a dyn Fn(PromiseId) -> bool,
    /// Whether the relationship holds a complaint (the complaint family answers).
    pub(crate) known_complaint: &'a dyn Fn(ComplaintId) -> bool,
}

/// Folds a response event. On error nothing changed.
pub(crate) fn fold(
    state: InteractionsMut<'_>,
    at: DateTime<Utc>,
    event: &ResponseEvent,
) -> Result<(), Misfit> {
    match event {
        ResponseEvent::InteractionRecorded {
            interaction,
            channel,
            direction,
            awaits_reply,
            priority,
            regarding,
            regarding_complaints,
            ..
        } => {
            let message = Message {
                at,
                channel: *channel,
                interaction: *interaction,
                priority: *priority,
            };
            let said = (*direction, *awaits_reply);
            record(state, message, said, regarding, regarding_complaints)?;
        }
        ResponseEvent::ClockStarted {
            kind,
            since,
            priority,
            target,
            calendar,
            due,
            no_target,
            warn_at,
            ..
        } => {
            if due.is_some() == no_target.is_some() {
                return Err(Misfit::from(
                    "a response clock states both a due instant and no target, or neither",
                ));
            }
            let wait = Wait {
                terms: WaitTerms::of(calendar.as_deref(), no_target.as_ref()),
                kind: *kind,
                since: *since,
                started: at,
                priority: *priority,
                target: *target,
                due: *due,
                warn_at: *warn_at,
                unanswered: u16::try_from(state.conversation.covered(at)).unwrap_or(u16::MAX),
            };
            if state.conversation.answer_after(at).is_some() {
                // A wait an answer already recorded ended: it lives aside until its stop.
                return step(state.past, ClockAction::Start, Some(wait));
            }
            start(state.clock, at, wait)?;
        }
        ResponseEvent::AtRisk { since, due } => {
            let clock = running(state.clock, state.past, *since);
            let wait = expect_wait(clock, *since)?;
            if Some(*due) != wait.due || wait.warn_at.is_none_or(|warn_at| at < warn_at) {
                return Err(Misfit::Contradicts(format!(
                    "the warning contradicts the clock (due {:?}, warn at {:?})",
                    wait.due, wait.warn_at
                )));
            }
            step(clock, ClockAction::Warn, None)?;
        }
        ResponseEvent::Overdue { since, due } => {
            let clock = running(state.clock, state.past, *since);
            let wait = expect_wait(clock, *since)?;
            if wait.due.is_none_or(|d| *due != d || at < d) {
                return Err(Misfit::Contradicts(format!(
                    "the breach contradicts the clock, due {:?}",
                    wait.due
                )));
            }
            step(clock, ClockAction::Breach, None)?;
        }
        ResponseEvent::ClockStopped {
            since,
            answered_by,
            due,
            outcome,
            ..
        } => stop(state, at, (*since, *answered_by), *due, outcome)?,
        ResponseEvent::AwaitingCustomer { asked_by, about } => ask(state, at, *asked_by, about)?,
        // The update cadence folds apart (`cadence::fold`).
        ResponseEvent::UpdateClockStarted { .. }
        | ResponseEvent::UpdateAtRisk { .. }
        | ResponseEvent::UpdateOverdue { .. } => {}
    }
    Ok(())
}

/// The running wait, if it is the one started by `since`.
/// Starts the clock on `wait`; or, for a message reported late that is older than the one
/// the running clock waits on, re-anchors the wait on it, keeping its stage (a warning or
/// breach recorded stands) and the messages counted.
fn start(clock: &mut ResponseClock, at: DateTime<Utc>, mut wait: Wait) -> Result<(), Misfit> {
    match clock {
        ResponseClock::Waiting(running)
        | ResponseClock::Warned(running)
        | ResponseClock::Overdue(running)
            if at < running.started =>
        {
            wait.unanswered = running.unanswered;
            *running = wait;
            Ok(())
        }
        ResponseClock::Idle
        | ResponseClock::AwaitingCustomer(_)
        | ResponseClock::Waiting(_)
        | ResponseClock::Warned(_)
        | ResponseClock::Overdue(_) => step(clock, ClockAction::Start, Some(wait)),
    }
}

/// Stops the wait of `since` (the past one aside, or the running clock) by the answer
/// `answered_by` at `at`, once the stop agrees with the wait and the answer.
fn stop(
    state: InteractionsMut<'_>,
    at: DateTime<Utc>,
    (since, answered_by): (InteractionId, InteractionId),
    due: Option<DateTime<Utc>>,
    outcome: &crate::outcome::Outcome,
) -> Result<(), Misfit> {
    let clock = running(state.clock, state.past, since);
    let wait = expect_wait(clock, since)?;
    if at < wait.started {
        return Err(Misfit::Contradicts(format!(
            "the answer at {at} comes before the message it answers, at {}",
            wait.started
        )));
    }
    if due != wait.due || due.is_some() != outcome.had_target() {
        return Err(Misfit::Contradicts(format!(
            "the answer contradicts the clock, due {:?}",
            wait.due
        )));
    }
    if state
        .conversation
        .answer_of(at, answered_by)
        .is_none_or(|answer| answer.stopped)
    {
        return Err(Misfit::Contradicts(format!(
            "the clock is stopped by {answered_by}, not an answer of {at} that stopped none"
        )));
    }
    step(clock, ClockAction::Answer, None)?;
    state.conversation.mark_stopped(at, answered_by);
    Ok(())
}

/// Folds our question `asked_by` at `at`: we wait for the customer, about the items `about`.
fn ask(
    state: InteractionsMut<'_>,
    at: DateTime<Utc>,
    asked_by: InteractionId,
    about: &[Regarding],
) -> Result<(), Misfit> {
    if state.conversation.answer_of(at, asked_by).is_none() {
        return Err(Misfit::Contradicts(format!(
            "the customer is awaited after {asked_by}, not an outbound interaction of {at}"
        )));
    }
    if state.conversation.heard_after(at) {
        return Err(Misfit::from(
            "the customer is awaited after they spoke again",
        ));
    }
    for item in about {
        match item {
            Regarding::Complaint(id) if !(state.known_complaint)(*id) => {
                return Err(Misfit::unknown("complaint", id));
            }
            Regarding::Promise(id) if !(state.known_promise)(*id) => {
                return Err(Misfit::unknown("promise", id));
            }
            Regarding::Complaint(_) | Regarding::Promise(_) => {}
        }
    }
    let pending = Pending {
        asked_by,
        since: at,
        about: about.to_vec(),
    };
    *state.clock = state
        .clock
        .clone()
        .transition(ClockAction::Ask, None, Some(pending))?;
    Ok(())
}

/// Folds a recorded interaction: a message joins the running wait unless an answer after it
/// is recorded already; both take their place in the conversation.
fn record(
    state: InteractionsMut<'_>,
    message: Message,
    (direction, awaits_reply): (Direction, bool),
    regarding: &[PromiseId],
    regarding_complaints: &[ComplaintId],
) -> Result<(), Misfit> {
    let interaction = message.interaction;
    if (state.known_interaction)(interaction) {
        return Err(Misfit::Contradicts(format!(
            "interaction {interaction} is recorded already"
        )));
    }
    if let Some(unknown) = regarding.iter().find(|id| !(state.known_promise)(**id)) {
        return Err(Misfit::unknown("promise", unknown));
    }
    if let Some(unknown) = regarding_complaints
        .iter()
        .find(|id| !(state.known_complaint)(**id))
    {
        return Err(Misfit::unknown("complaint", unknown));
    }
    let answered = state.conversation.answer_after(message.at).is_some();
    // The customer speaks after our question: we no longer wait for them. A message that
    // expects an answer starts the reply clock (the next event); any other ends the wait here.
    let heard = state
        .clock
        .pending()
        .is_some_and(|pending| message.at >= pending.since);
    match direction {
        Direction::Inbound if awaits_reply => {
            if heard && answered {
                step(state.clock, ClockAction::Hear, None)?;
            } else if !answered && state.clock.wait().is_some() {
                step(state.clock, ClockAction::Await, None)?;
            }
            state.conversation.say(message);
            state.conversation.hear(message.at);
        }
        Direction::Inbound => {
            if heard {
                step(state.clock, ClockAction::Hear, None)?;
            }
            state.conversation.hear(message.at);
        }
        Direction::Outbound => state.conversation.answer(Answer {
            at: message.at,
            interaction,
            stopped: false,
        }),
    }
    Ok(())
}

/// The clock an event about the wait of `since` moves: the past wait aside, if it is that one,
/// else the running clock.
fn running<'c>(
    clock: &'c mut ResponseClock,
    past: &'c mut ResponseClock,
    since: InteractionId,
) -> &'c mut ResponseClock {
    if past.wait().is_some_and(|wait| wait.since == since) {
        past
    } else {
        clock
    }
}

fn expect_wait(clock: &ResponseClock, since: InteractionId) -> Result<&Wait, Misfit> {
    match clock.wait() {
        Some(wait) if wait.since == since => Ok(wait),
        Some(wait) => Err(Misfit::Contradicts(format!(
            "the response clock runs since {}, not {since}",
            wait.since
        ))),
        None => Err(Misfit::from("no response clock is running")),
    }
}

/// Moves the clock by `action`; `start` carries a new wait. On error the clock is unchanged.
fn step(clock: &mut ResponseClock, action: ClockAction, start: Option<Wait>) -> Result<(), Misfit> {
    *clock = clock.clone().transition(action, start, None)?;
    Ok(())
}
