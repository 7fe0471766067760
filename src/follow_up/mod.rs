//! Follow-ups: contacting the customer after a problem is solved, to make sure they are
//! satisfied ("restores trust"), or for any reason an agent schedules one.
//!
//! Resolving a complaint schedules one after the policy's delay, owned by the complaint's
//! owner. A follow-up is done with an outcome: satisfied, not satisfied (which reopens the
//! complaint when the policy says so, as it does by default) or unreachable. One not done by its
//! due instant raises `FollowUpOverdue` once; it can still be done, late.
//!
//! # State diagram
//!
//! ```text
//! scheduled --breach-->   overdue
//! scheduled --complete--> done
//! scheduled --cancel-->   cancelled
//! overdue   --complete--> done
//! overdue   --cancel-->   cancelled
//! ```

mod command;
mod event;

pub use command::{CancelFollowUp, CompleteFollowUp, FollowUpCommand, ScheduleFollowUp};
pub use event::FollowUpEvent;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::complaint::ReopenComplaint;
use crate::complaint::{ComplaintStage, Complaints};
use crate::lifecycle::Lifecycle;
use crate::personal::Erase;
use crate::registry::Registry;
use crate::response::{Outcome, Refused};
use crate::{AgentId, CommandError, ComplaintId, Event, FollowUpId, Personal, ServicePolicy};

/// What a follow-up found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum FollowUpOutcome {
    /// The customer is satisfied.
    Satisfied,
    /// The customer is not satisfied.
    NotSatisfied,
    /// We could not reach the customer.
    Unreachable,
}

/// A follow-up's state, with the data valid in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FollowUpState {
    /// Due, not yet done.
    Scheduled,
    /// Its due instant passed.
    Overdue,
    /// Done.
    Done {
        /// When.
        at: DateTime<Utc>,
        /// What it found.
        outcome: FollowUpOutcome,
        /// On time or late.
        timing: Outcome,
    },
    /// No longer needed.
    Cancelled {
        /// When.
        at: DateTime<Utc>,
        /// Why.
        reason: Personal,
    },
}

/// A follow-up contact we owe a customer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FollowUp {
    /// Our agent who owns it.
    pub owner: AgentId,
    /// When it is due.
    pub due: DateTime<Utc>,
    /// Why.
    pub reason: Personal,
    /// The complaint it follows up, if any.
    pub complaint: Option<ComplaintId>,
    /// When it was scheduled.
    pub scheduled_at: DateTime<Utc>,
    /// Where it stands.
    pub state: FollowUpState,
}

/// The stages of a follow-up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FollowUpStage {
    /// Scheduled.
    Scheduled,
    /// Overdue.
    Overdue,
    /// Done.
    Done,
    /// Cancelled.
    Cancelled,
}

/// What can happen to a follow-up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FollowUpAction {
    /// Its due instant passed.
    Breach,
    /// It was done.
    Complete,
    /// It is no longer needed.
    Cancel,
}

/// The follow-up's transition table.
#[derive(Debug)]
pub enum FollowUpLifecycle {}

impl Lifecycle for FollowUpLifecycle {
    type Stage = FollowUpStage;
    type Action = FollowUpAction;
    const STAGES: &'static [FollowUpStage] = &[
        FollowUpStage::Scheduled,
        FollowUpStage::Overdue,
        FollowUpStage::Done,
        FollowUpStage::Cancelled,
    ];
    const ACTIONS: &'static [FollowUpAction] = &[
        FollowUpAction::Breach,
        FollowUpAction::Complete,
        FollowUpAction::Cancel,
    ];

    fn next(stage: FollowUpStage, action: FollowUpAction) -> Option<FollowUpStage> {
        use FollowUpAction as A;
        use FollowUpStage as S;
        match (stage, action) {
            (S::Scheduled, A::Breach) => Some(S::Overdue),
            (S::Scheduled | S::Overdue, A::Complete) => Some(S::Done),
            (S::Scheduled | S::Overdue, A::Cancel) => Some(S::Cancelled),
            (S::Overdue, A::Breach) => None,
            (S::Done | S::Cancelled, A::Breach | A::Complete | A::Cancel) => None,
        }
    }

    fn stage_name(stage: FollowUpStage) -> &'static str {
        match stage {
            FollowUpStage::Scheduled => "scheduled",
            FollowUpStage::Overdue => "overdue",
            FollowUpStage::Done => "done",
            FollowUpStage::Cancelled => "cancelled",
        }
    }

    fn action_name(action: FollowUpAction) -> &'static str {
        match action {
            FollowUpAction::Breach => "breach",
            FollowUpAction::Complete => "complete",
            FollowUpAction::Cancel => "cancel",
        }
    }
}

impl FollowUp {
    /// The stage, without data.
    #[must_use]
    pub const fn stage(&self) -> FollowUpStage {
        match self.state {
            FollowUpState::Scheduled => FollowUpStage::Scheduled,
            FollowUpState::Overdue => FollowUpStage::Overdue,
            FollowUpState::Done { .. } => FollowUpStage::Done,
            FollowUpState::Cancelled { .. } => FollowUpStage::Cancelled,
        }
    }

    /// Whether it is still to be done.
    #[must_use]
    pub const fn is_pending(&self) -> bool {
        matches!(
            self.state,
            FollowUpState::Scheduled | FollowUpState::Overdue
        )
    }

    fn check(
        &self,
        action: FollowUpAction,
    ) -> Result<FollowUpStage, Refused<FollowUpStage, FollowUpAction>> {
        let from = self.stage();
        FollowUpLifecycle::next(from, action).ok_or(Refused { from, action })
    }
}

/// The follow-ups of one relationship.
pub(crate) type FollowUps = Registry<FollowUpId, FollowUp>;

fn refused(refused: Refused<FollowUpStage, FollowUpAction>) -> CommandError {
    CommandError::InvalidTransition {
        entity: "follow-up",
        from: FollowUpLifecycle::stage_name(refused.from),
        action: FollowUpLifecycle::action_name(refused.action),
    }
}

fn find(follow_ups: &FollowUps, id: FollowUpId) -> Result<&FollowUp, CommandError> {
    follow_ups.get(&id).ok_or(CommandError::UnknownFollowUp(id))
}

pub(crate) fn schedule(
    follow_ups: &FollowUps,
    complaints: &Complaints,
    policy: &ServicePolicy,
    schedule: &ScheduleFollowUp,
    now: DateTime<Utc>,
) -> Result<Vec<Event>, CommandError> {
    if follow_ups.contains_key(&schedule.follow_up) {
        return Err(CommandError::DuplicateFollowUp(schedule.follow_up));
    }
    policy.check_agent(schedule.owner)?;
    if let Some(complaint) = schedule.complaint
        && !complaints.contains_key(&complaint)
    {
        return Err(CommandError::UnknownComplaint(complaint));
    }
    if schedule.due <= now {
        return Err(CommandError::DueNotInFuture {
            due: schedule.due,
            now,
        });
    }
    Ok(vec![Event::FollowUp(FollowUpEvent::Scheduled {
        follow_up: schedule.follow_up,
        owner: schedule.owner,
        due: schedule.due,
        reason: schedule.reason.clone(),
        complaint: schedule.complaint,
    })])
}

/// Completing a follow-up; a not-satisfied one reopens its complaint when the policy says so.
pub(crate) fn complete(
    follow_ups: &FollowUps,
    complaints: &Complaints,
    policy: &ServicePolicy,
    complete: &CompleteFollowUp,
    fallback_owner: Option<AgentId>,
    surveys: &crate::survey::Surveys,
    now: DateTime<Utc>,
) -> Result<Vec<Event>, CommandError> {
    let follow_up = find(follow_ups, complete.follow_up)?;
    follow_up.check(FollowUpAction::Complete).map_err(refused)?;
    let mut events = vec![Event::FollowUp(FollowUpEvent::Completed {
        follow_up: complete.follow_up,
        outcome: complete.outcome,
        note: complete.note.clone(),
        timing: policy.outcome(None, follow_up.due, now)?,
    })];
    let reopenable = follow_up.complaint.filter(|id| {
        complaints
            .get(id)
            .is_some_and(|c| matches!(c.stage(), ComplaintStage::Resolved | ComplaintStage::Closed))
    });
    if complete.outcome == FollowUpOutcome::NotSatisfied
        && policy.complaints.reopen_when_not_satisfied
        && let Some(complaint) = reopenable
    {
        let reopen = ReopenComplaint {
            complaint,
            reason: Personal::ours("the follow-up found the customer not satisfied"),
        };
        // The reopen cancels the complaint's pending follow-up, as a reopen command does,
        // unless that is this one: this one is done, not pending.
        let done = FollowUps::new();
        let linked = complaints.get(&complaint).and_then(|c| c.follow_up);
        let others = if linked == Some(complete.follow_up) {
            &done
        } else {
            follow_ups
        };
        let pending = crate::survey::pending_for(surveys, complaint);
        let reopened = crate::complaint::reopen(
            complaints,
            policy,
            others,
            &reopen,
            fallback_owner,
            pending,
            now,
        )?;
        events.extend(reopened);
    }
    Ok(events)
}

pub(crate) fn cancel(
    follow_ups: &FollowUps,
    cancel: &CancelFollowUp,
) -> Result<Vec<Event>, CommandError> {
    let follow_up = find(follow_ups, cancel.follow_up)?;
    follow_up.check(FollowUpAction::Cancel).map_err(refused)?;
    Ok(vec![Event::FollowUp(FollowUpEvent::Cancelled {
        follow_up: cancel.follow_up,
        reason: cancel.reason.clone(),
    })])
}

/// The next deadline of one follow-up.
pub(crate) fn deadline(follow_up: &FollowUp) -> Option<DateTime<Utc>> {
    (follow_up.state == FollowUpState::Scheduled).then_some(follow_up.due)
}

/// The event a due follow-up becomes.
pub(crate) fn fire(id: FollowUpId, follow_up: &FollowUp) -> Vec<Event> {
    vec![Event::FollowUp(FollowUpEvent::Overdue {
        follow_up: id,
        owner: follow_up.owner,
        due: follow_up.due,
    })]
}

/// Whether a follow-up is overdue at `now` (level view).
pub(crate) fn overdue(follow_up: &FollowUp, now: DateTime<Utc>) -> bool {
    follow_up.state == FollowUpState::Overdue
        || (follow_up.state == FollowUpState::Scheduled && now >= follow_up.due)
}

/// Folds a follow-up event. Validates before changing anything.
pub(crate) fn fold(
    follow_ups: &mut FollowUps,
    at: DateTime<Utc>,
    event: &FollowUpEvent,
) -> Result<(), String> {
    let (id, action) = match event {
        FollowUpEvent::Scheduled {
            follow_up,
            owner,
            due,
            reason,
            complaint,
        } => {
            if follow_ups.contains_key(follow_up) {
                return Err(format!("follow-up {follow_up} exists already"));
            }
            follow_ups.insert(
                *follow_up,
                FollowUp {
                    owner: *owner,
                    due: *due,
                    reason: reason.clone(),
                    complaint: *complaint,
                    scheduled_at: at,
                    state: FollowUpState::Scheduled,
                },
            );
            return Ok(());
        }
        FollowUpEvent::Overdue { follow_up, .. } => (*follow_up, FollowUpAction::Breach),
        FollowUpEvent::Completed { follow_up, .. } => (*follow_up, FollowUpAction::Complete),
        FollowUpEvent::Cancelled { follow_up, .. } => (*follow_up, FollowUpAction::Cancel),
    };
    let follow_up = follow_ups
        .get_mut(&id)
        .ok_or_else(|| format!("follow-up {id} is not known"))?;
    if let FollowUpEvent::Overdue { due, owner, .. } = event
        && (at < follow_up.due || *due != follow_up.due || *owner != follow_up.owner)
    {
        return Err(format!(
            "the overdue event of follow-up {id} contradicts it"
        ));
    }
    follow_up.check(action).map_err(|r| {
        format!(
            "a follow-up that is {} cannot {}",
            FollowUpLifecycle::stage_name(r.from),
            FollowUpLifecycle::action_name(r.action)
        )
    })?;
    follow_up.state = match event {
        FollowUpEvent::Completed {
            outcome, timing, ..
        } => FollowUpState::Done {
            at,
            outcome: *outcome,
            timing: *timing,
        },
        FollowUpEvent::Cancelled { reason, .. } => FollowUpState::Cancelled {
            at,
            reason: reason.clone(),
        },
        _ => FollowUpState::Overdue,
    };
    Ok(())
}

impl Erase for FollowUp {
    fn erase_personal(&mut self) -> u32 {
        let mut erased = self.reason.erase_personal();
        if let FollowUpState::Cancelled { reason, .. } = &mut self.state {
            erased = erased.saturating_add(reason.erase_personal());
        }
        erased
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lifecycle::assert_documented;

    #[test]
    fn state_diagram_matches_transition_table() {
        assert_documented::<FollowUpLifecycle>(include_str!("mod.rs"));
    }
}
