//! Commands become the follow-up family's own events. A not-satisfied outcome reopening its
//! complaint is a reaction of the relationship, not decided here.

use super::command::{CancelFollowUp, CompleteFollowUp, ScheduleFollowUp};
use super::event::FollowUpEvent;
use super::state::{FollowUp, FollowUpAction, FollowUps};
use crate::error::CommandError;
use crate::id::{ComplaintId, FollowUpId};
use crate::lifecycle::Context;
use crate::outcome::Outcome;

fn find(follow_ups: &FollowUps, id: FollowUpId) -> Result<&FollowUp, CommandError> {
    follow_ups.get(&id).ok_or(CommandError::UnknownFollowUp(id))
}

/// A follow-up scheduled by hand. `complaint_known` says whether the complaint it names exists
/// (the relationship knows).
pub(crate) fn schedule(
    follow_ups: &FollowUps,
    schedule: &ScheduleFollowUp,
    complaint_known: impl Fn(ComplaintId) -> bool,
    ctx: &Context<'_>,
) -> Result<Vec<FollowUpEvent>, CommandError> {
    if follow_ups.contains_key(&schedule.follow_up) {
        return Err(CommandError::DuplicateFollowUp(schedule.follow_up));
    }
    ctx.policy.check_agent(schedule.owner)?;
    if let Some(complaint) = schedule.complaint
        && !complaint_known(complaint)
    {
        return Err(CommandError::UnknownComplaint(complaint));
    }
    if schedule.due <= ctx.now {
        return Err(CommandError::DueNotInFuture {
            due: schedule.due,
            now: ctx.now,
        });
    }
    Ok(vec![FollowUpEvent::Scheduled {
        follow_up: schedule.follow_up,
        owner: schedule.owner,
        due: Some(schedule.due),
        no_target: None,
        reason: schedule.reason.clone(),
        complaint: schedule.complaint,
    }])
}

/// Completing a follow-up, on time or late.
pub(crate) fn complete(
    follow_ups: &FollowUps,
    complete: &CompleteFollowUp,
    ctx: &Context<'_>,
) -> Result<Vec<FollowUpEvent>, CommandError> {
    let follow_up = find(follow_ups, complete.follow_up)?;
    follow_up.check(FollowUpAction::Complete)?;
    Ok(vec![FollowUpEvent::Completed {
        follow_up: complete.follow_up,
        outcome: complete.outcome,
        note: complete.note.clone(),
        timing: match follow_up.due {
            Some(due) => ctx.policy.outcome(None, due, ctx.now)?,
            None => Outcome::Untimed,
        },
    }])
}

pub(crate) fn cancel(
    follow_ups: &FollowUps,
    cancel: &CancelFollowUp,
) -> Result<Vec<FollowUpEvent>, CommandError> {
    let follow_up = find(follow_ups, cancel.follow_up)?;
    follow_up.check(FollowUpAction::Cancel)?;
    Ok(vec![FollowUpEvent::Cancelled {
        follow_up: cancel.follow_up,
        reason: cancel.reason.clone(),
    }])
}
