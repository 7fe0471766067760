//! Folding: stored response events change the clock; the relationship records the interaction.

use chrono::{DateTime, Utc};

use super::event::ResponseEvent;
use super::state::{ClockAction, ResponseClock, Wait};
use crate::id::{InteractionId, PromiseId};
use crate::lifecycle::Misfit;
use crate::value::Direction;

/// What the response family folds into: the clock, how many answers were given, every
/// interaction recorded, and which promises an interaction may be about. Telling
/// the customer about a promise is the relationship's reaction, after the fold.
pub(crate) struct InteractionsMut<'a> {
    /// The response clock.
    pub(crate) clock: &'a mut ResponseClock,
    /// How many response clocks have been answered.
    pub(crate) answered: &'a mut u32,
    /// When the latest outbound interaction happened: it answered every message before it.
    pub(crate) answered_at: &'a mut Option<DateTime<Utc>>,
    /// Whether an interaction was recorded already (the relationship records it after the
    /// fold).
    pub(crate) known_interaction: &'a dyn Fn(InteractionId) -> bool,
    /// Whether the relationship holds a promise (the promise family answers).
    pub(crate) known_promise: &'a dyn Fn(PromiseId) -> bool,
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
            direction,
            awaits_reply,
            regarding,
            ..
        } => record(
            state,
            at,
            *interaction,
            *direction,
            *awaits_reply,
            regarding,
        )?,
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
                calendar: calendar.clone(),
                kind: *kind,
                since: *since,
                started: at,
                priority: *priority,
                target: *target,
                due: *due,
                no_target: no_target.clone(),
                warn_at: *warn_at,
                unanswered: 1,
            };
            start(state.clock, at, wait)?;
        }
        ResponseEvent::AtRisk { since, due } => {
            let wait = expect_wait(state.clock, *since)?;
            if Some(*due) != wait.due || wait.warn_at.is_none_or(|warn_at| at < warn_at) {
                return Err(Misfit::Contradicts(format!(
                    "the warning contradicts the clock (due {:?}, warn at {:?})",
                    wait.due, wait.warn_at
                )));
            }
            step(state.clock, ClockAction::Warn, None)?;
        }
        ResponseEvent::Overdue { since, due } => {
            let wait = expect_wait(state.clock, *since)?;
            if wait.due.is_none_or(|d| *due != d || at < d) {
                return Err(Misfit::Contradicts(format!(
                    "the breach contradicts the clock, due {:?}",
                    wait.due
                )));
            }
            step(state.clock, ClockAction::Breach, None)?;
        }
        ResponseEvent::ClockStopped {
            since,
            due,
            outcome,
            ..
        } => {
            let wait = expect_wait(state.clock, *since)?;
            if at < wait.started {
                return Err(Misfit::Contradicts(format!(
                    "the answer at {at} comes before the message it answers, at {}",
                    wait.started
                )));
            }
            if *due != wait.due || due.is_some() != outcome.had_target() {
                return Err(Misfit::Contradicts(format!(
                    "the answer contradicts the clock, due {:?}",
                    wait.due
                )));
            }
            step(state.clock, ClockAction::Answer, None)?;
            *state.answered = state.answered.saturating_add(1);
        }
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
        | ResponseClock::Waiting(_)
        | ResponseClock::Warned(_)
        | ResponseClock::Overdue(_) => step(clock, ClockAction::Start, Some(wait)),
    }
}

/// Folds a recorded interaction: a message joins the running wait unless an outbound
/// interaction after it answered it already.
fn record(
    state: InteractionsMut<'_>,
    at: DateTime<Utc>,
    interaction: InteractionId,
    direction: Direction,
    awaits_reply: bool,
    regarding: &[PromiseId],
) -> Result<(), Misfit> {
    if (state.known_interaction)(interaction) {
        return Err(Misfit::Contradicts(format!(
            "interaction {interaction} is recorded already"
        )));
    }
    if let Some(unknown) = regarding.iter().find(|id| !(state.known_promise)(**id)) {
        return Err(Misfit::unknown("promise", unknown));
    }
    let answered = state.answered_at.is_some_and(|answer| at < answer);
    if direction == Direction::Inbound && awaits_reply && !answered && state.clock.wait().is_some()
    {
        step(state.clock, ClockAction::Await, None)?;
    }
    if direction == Direction::Outbound {
        *state.answered_at = Some(state.answered_at.map_or(at, |answer| answer.max(at)));
    }
    Ok(())
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
    *clock = clock.clone().transition(action, start)?;
    Ok(())
}
