//! The update cadence ("keep the customer informed"): while a complaint is open or a promise
//! outstanding, the customer may go only so long without hearing from us about it.
//!
//! Where it comes from: seed 000 ("keep the customer informed so there are no surprises"),
//! seed 002 ("tell the customer what you are doing on their behalf"), Request Tracker's
//! `KeepInLoop` SLA. The policy's [`UpdatePolicy`](crate::policy::UpdatePolicy) says how long
//! (business time, by priority and tier); without one nothing here runs.
//!
//! - **Armed** (`update_clock_started`) when a complaint is received or reopened, when a
//!   promise is made, and **re-armed** with its whole span by what tells the customer about
//!   the item: an outbound interaction regarding it
//!   ([`RecordInteraction::regarding`](crate::RecordInteraction::regarding),
//!   [`regarding_complaint`](crate::RecordInteraction::regarding_complaint)) or the complaint's
//!   acknowledgement.
//! - **Warned** (`update_at_risk`) at the policy's lead, **overdue** (`update_overdue`) once
//!   when the span passes, by [`advance_to`](crate::Relationship::advance_to); each flagged
//!   ([`FlagKind::UpdateAtRisk`](crate::FlagKind::UpdateAtRisk),
//!   [`FlagKind::UpdateOverdue`](crate::FlagKind::UpdateOverdue)) for the complaint's owner
//!   (else the account owner) or the promise's owner.
//! - **Paused** while the complaint waits on the customer (`complaint_awaiting_customer`): we
//!   asked them something, the next word is theirs. Their answer (`complaint_resumed`) arms it
//!   again with its whole span from the answer: neither an outbound interaction regarding a
//!   paused complaint nor its acknowledgement re-arms it (an acknowledgement while the
//!   complaint waits on the customer leaves the cadence paused). Paused as well while a
//!   question of ours about the item waits for the customer's answer
//!   (`response_awaiting_customer`, see [`crate::response`]): the customer's next message arms
//!   it again with its whole span (unless the complaint itself still waits on the customer).
//! - **Stopped** when the complaint is resolved or closed, or the promise kept or withdrawn. A
//!   broken promise is still outstanding: its cadence runs on.
//!
//! Pausing and stopping are read from the complaint's and the promise's own events (no event
//! of their own); arming records the span and due instant computed from the policy, so a later
//! change of policy never rewrites history. A span whose due instant cannot be computed arms
//! the clock with no target: it never falls due.
//!
//! # State diagram
//!
//! ```text
//! idle    --arm-->    running
//! running --arm-->    running
//! warned  --arm-->    running
//! overdue --arm-->    running
//! paused  --arm-->    running
//! running --warn-->   warned
//! running --breach--> overdue
//! warned  --breach--> overdue
//! running --pause-->  paused
//! warned  --pause-->  paused
//! overdue --pause-->  paused
//! running --stop-->   idle
//! warned  --stop-->   idle
//! overdue --stop-->   idle
//! paused  --stop-->   idle
//! ```

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::event::ResponseEvent;
use crate::flag::{FlagKind, Regarding, UpdateTimer};
use crate::id::TeamId;
use crate::lifecycle::{Context, Entity, Lifecycle, Misfit};
use crate::outcome::NoTarget;
use crate::policy::Situation;
use crate::value::{Channel, Priority, Span};

/// One update cadence: when the customer is next due to hear from us about an item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UpdateClock {
    /// The priority that chose the span.
    pub priority: Priority,
    /// The span, in business time.
    pub span: Span,
    /// The named calendar it runs on (`None`: the policy's own).
    pub calendar: Option<String>,
    /// When it was last armed.
    #[serde(with = "crate::compact::instant")]
    pub armed_at: DateTime<Utc>,
    /// When the update is due; `None` when it has no target.
    #[serde(with = "crate::compact::instant::option")]
    pub due: Option<DateTime<Utc>>,
    /// Why it has no target, if it has none.
    #[serde(with = "crate::outcome::no_target_form::option")]
    pub no_target: Option<NoTarget>,
    /// When it warns, if it does.
    #[serde(with = "crate::compact::instant::option")]
    pub warn_at: Option<DateTime<Utc>>,
    /// Where it stands.
    pub stage: UpdateStage,
    /// Since when it is paused (waiting on the customer), if it is.
    #[serde(with = "crate::compact::instant::option")]
    pub paused_at: Option<DateTime<Utc>>,
}

/// The stages of an update cadence (`Idle`: none runs for the item).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UpdateStage {
    /// No cadence for the item.
    Idle,
    /// Running, the warning lead not reached.
    Running,
    /// The warning lead is reached.
    Warned,
    /// The update is overdue.
    Overdue,
    /// Paused: we wait on the customer.
    Paused,
}

/// What can happen to an update cadence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum UpdateAction {
    /// Armed or re-armed with its whole span.
    Arm,
    /// The warning lead was reached.
    Warn,
    /// The update became overdue.
    Breach,
    /// We wait on the customer.
    Pause,
    /// The item closed.
    Stop,
}

/// The update cadence's transition table.
#[derive(Debug)]
pub enum UpdateLifecycle {}

impl Lifecycle for UpdateLifecycle {
    type Stage = UpdateStage;
    type Action = UpdateAction;
    const STAGES: &'static [UpdateStage] = &[
        UpdateStage::Idle,
        UpdateStage::Running,
        UpdateStage::Warned,
        UpdateStage::Overdue,
        UpdateStage::Paused,
    ];
    const ACTIONS: &'static [UpdateAction] = &[
        UpdateAction::Arm,
        UpdateAction::Warn,
        UpdateAction::Breach,
        UpdateAction::Pause,
        UpdateAction::Stop,
    ];

    fn next(stage: UpdateStage, action: UpdateAction) -> Option<UpdateStage> {
        use UpdateAction as A;
        use UpdateStage as S;
        match (stage, action) {
            (_, A::Arm) => Some(S::Running),
            (S::Running, A::Warn) => Some(S::Warned),
            (S::Running | S::Warned, A::Breach) => Some(S::Overdue),
            (S::Running | S::Warned | S::Overdue, A::Pause) => Some(S::Paused),
            (S::Running | S::Warned | S::Overdue | S::Paused, A::Stop) => Some(S::Idle),
            (S::Idle, A::Warn | A::Breach | A::Pause | A::Stop) => None,
            (S::Warned | S::Overdue | S::Paused, A::Warn) => None,
            (S::Overdue | S::Paused, A::Breach) => None,
            (S::Paused, A::Pause) => None,
        }
    }

    fn stage_name(stage: UpdateStage) -> &'static str {
        match stage {
            UpdateStage::Idle => "idle",
            UpdateStage::Running => "running",
            UpdateStage::Warned => "warned",
            UpdateStage::Overdue => "overdue",
            UpdateStage::Paused => "paused",
        }
    }

    fn action_name(action: UpdateAction) -> &'static str {
        match action {
            UpdateAction::Arm => "arm",
            UpdateAction::Warn => "warn",
            UpdateAction::Breach => "breach",
            UpdateAction::Pause => "pause",
            UpdateAction::Stop => "stop",
        }
    }
}

impl Entity for UpdateLifecycle {
    const ENTITY: &'static str = "update cadence";
}

/// The update cadences of one relationship, by item.
pub(crate) type UpdateClocks = BTreeMap<Regarding, UpdateClock>;

/// Where an item's work is, for its cadence's span and calendar: its priority, and the channel
/// and team when known.
pub(crate) type Whereabouts = (Priority, Option<Channel>, Option<TeamId>);

/// The event arming the cadence of `about` at `ctx.now`, if the policy keeps one. The calendar
/// is chosen again at each arming ([`Targets::calendar_for`](crate::policy::Targets::calendar_for)).
pub(crate) fn arm(
    ctx: &Context<'_>,
    about: Regarding,
    (priority, channel, team): Whereabouts,
) -> Option<ResponseEvent> {
    let policy = ctx.policy;
    let updates = policy.updates.as_ref()?;
    let span = updates.every.get(priority, ctx.tier);
    let situation = Situation {
        priority,
        tier: ctx.tier,
        channel,
        team,
    };
    let calendar = updates.every.calendar_for(&situation).map(str::to_owned);
    let (due, no_target) = match policy.target_due(calendar.as_deref(), ctx.now, span) {
        Ok(due) => (Some(due), None),
        Err(reason) => (None, Some(reason)),
    };
    let warn_at = due.and_then(|_| {
        let after = updates.warning.warn_after(span)?;
        policy.target_due(calendar.as_deref(), ctx.now, after).ok()
    });
    Some(ResponseEvent::UpdateClockStarted {
        about,
        priority,
        span,
        calendar,
        due,
        no_target,
        warn_at,
    })
}

/// Whether `event` is an update event, the only response events [`fold`] reads (the others
/// leave the cadences alone, and need no cadences at hand).
pub(crate) const fn is_update(event: &ResponseEvent) -> bool {
    match event {
        ResponseEvent::UpdateClockStarted { .. }
        | ResponseEvent::UpdateAtRisk { .. }
        | ResponseEvent::UpdateOverdue { .. }
        | ResponseEvent::AwaitingCustomer { .. } => true,
        ResponseEvent::InteractionRecorded { .. }
        | ResponseEvent::ClockStarted { .. }
        | ResponseEvent::AtRisk { .. }
        | ResponseEvent::Overdue { .. }
        | ResponseEvent::ClockStopped { .. } => false,
    }
}

/// Folds an update event; any other response event leaves the cadences alone. On error
/// nothing changed.
pub(crate) fn fold(
    clocks: &mut UpdateClocks,
    at: DateTime<Utc>,
    event: &ResponseEvent,
) -> Result<(), Misfit> {
    match event {
        ResponseEvent::UpdateClockStarted {
            about,
            priority,
            span,
            calendar,
            due,
            no_target,
            warn_at,
        } => {
            if due.is_some() == no_target.is_some() {
                return Err(Misfit::from(
                    "an update cadence states both a due instant and no target, or neither",
                ));
            }
            UpdateLifecycle::step(stage(clocks, *about), UpdateAction::Arm)?;
            clocks.insert(
                *about,
                UpdateClock {
                    priority: *priority,
                    span: *span,
                    calendar: calendar.clone(),
                    armed_at: at,
                    due: *due,
                    no_target: no_target.clone(),
                    warn_at: *warn_at,
                    stage: UpdateStage::Running,
                    paused_at: None,
                },
            );
        }
        ResponseEvent::UpdateAtRisk { about, due } => {
            let clock = timed(clocks, *about, *due)?;
            if clock.warn_at.is_none_or(|warn_at| at < warn_at) {
                return Err(Misfit::from("the update warning comes before its lead"));
            }
            step(clocks, *about, UpdateAction::Warn, at)?;
        }
        ResponseEvent::UpdateOverdue { about, due } => {
            if at < *due {
                return Err(Misfit::from("the update is overdue before it is due"));
            }
            timed(clocks, *about, *due)?;
            step(clocks, *about, UpdateAction::Breach, at)?;
        }
        // We wait for the customer: the cadences of the items asked about pause.
        ResponseEvent::AwaitingCustomer { about, .. } => {
            for item in about {
                settle(clocks, *item, UpdateAction::Pause, at);
            }
        }
        ResponseEvent::InteractionRecorded { .. }
        | ResponseEvent::ClockStarted { .. }
        | ResponseEvent::AtRisk { .. }
        | ResponseEvent::Overdue { .. }
        | ResponseEvent::ClockStopped { .. } => {}
    }
    Ok(())
}

/// Pauses (we wait on the customer) or stops (the item closed) the cadence of `about`, if one
/// runs: read from the complaint's and the promise's own events.
pub(crate) fn settle(
    clocks: &mut UpdateClocks,
    about: Regarding,
    action: UpdateAction,
    at: DateTime<Utc>,
) {
    if stage(clocks, about) != UpdateStage::Idle {
        // Pausing a paused cadence is no change; the table refuses it, and nothing moves.
        let _refused = step(clocks, about, action, at);
    }
}

fn stage(clocks: &UpdateClocks, about: Regarding) -> UpdateStage {
    clocks.get(&about).map_or(UpdateStage::Idle, |c| c.stage)
}

/// The running cadence of `about`, if its due instant is `due`.
fn timed(
    clocks: &UpdateClocks,
    about: Regarding,
    due: DateTime<Utc>,
) -> Result<&UpdateClock, Misfit> {
    let clock = clocks
        .get(&about)
        .ok_or_else(|| Misfit::from("no update cadence runs for the item"))?;
    if clock.due != Some(due) {
        return Err(Misfit::Contradicts(format!(
            "the update cadence is due {:?}, not {due}",
            clock.due
        )));
    }
    Ok(clock)
}

fn step(
    clocks: &mut UpdateClocks,
    about: Regarding,
    action: UpdateAction,
    at: DateTime<Utc>,
) -> Result<(), Misfit> {
    let to = UpdateLifecycle::step(stage(clocks, about), action)?;
    if to == UpdateStage::Idle {
        clocks.remove(&about);
    } else if let Some(clock) = clocks.get_mut(&about) {
        clock.stage = to;
        clock.paused_at = (to == UpdateStage::Paused).then_some(at);
    }
    Ok(())
}

/// The cadence's next deadline: `(when, which timer)`.
pub(crate) fn deadline(clock: &UpdateClock) -> Option<(DateTime<Utc>, UpdateTimer)> {
    let due = clock.due?;
    match (clock.stage, clock.warn_at) {
        (UpdateStage::Running, Some(warn_at)) if warn_at < due => {
            Some((warn_at, UpdateTimer::Warning))
        }
        (UpdateStage::Running | UpdateStage::Warned, _) => Some((due, UpdateTimer::Due)),
        (UpdateStage::Idle | UpdateStage::Overdue | UpdateStage::Paused, _) => None,
    }
}

/// The event a due deadline of the cadence becomes.
pub(crate) fn fire(
    about: Regarding,
    clock: &UpdateClock,
    timer: UpdateTimer,
) -> Option<ResponseEvent> {
    let due = clock.due?;
    Some(match timer {
        UpdateTimer::Warning => ResponseEvent::UpdateAtRisk { about, due },
        UpdateTimer::Due => ResponseEvent::UpdateOverdue { about, due },
    })
}

/// The cadence's flag at `now`: `(kind, since, due)`. None while paused.
pub(crate) fn flag(
    clock: &UpdateClock,
    now: DateTime<Utc>,
) -> Option<(FlagKind, DateTime<Utc>, DateTime<Utc>)> {
    let due = clock.due?;
    if clock.stage == UpdateStage::Paused {
        return None;
    }
    if now >= due {
        return Some((FlagKind::UpdateOverdue, due, due));
    }
    clock
        .warn_at
        .filter(|warn_at| now >= *warn_at)
        .map(|warn_at| (FlagKind::UpdateAtRisk, warn_at, due))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lifecycle::assert_documented;

    #[test]
    fn state_diagram_matches_transition_table() {
        assert_documented::<UpdateLifecycle>(include_str!("cadence.rs"));
    }
}
