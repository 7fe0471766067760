//! Folding the follow-up family's own events. Each fold validates before it changes anything.

use chrono::{DateTime, Utc};

use super::event::FollowUpEvent;
use super::state::{FollowUp, FollowUpAction, FollowUpLifecycle, FollowUpState, FollowUps};
use crate::id::FollowUpId;
use crate::lifecycle::{Entity, Misfit};

/// Folds a follow-up event.
pub(crate) fn fold(
    follow_ups: &mut FollowUps,
    at: DateTime<Utc>,
    event: &FollowUpEvent,
) -> Result<(), Misfit> {
    match event {
        FollowUpEvent::Scheduled {
            follow_up,
            owner,
            due,
            no_target,
            reason,
            complaint,
        } => {
            if follow_ups.contains_key(follow_up) {
                return Err(Misfit::exists(FollowUpLifecycle::ENTITY, follow_up));
            }
            if due.is_some() == no_target.is_some() {
                return Err(Misfit::from(
                    "a follow-up states both a due instant and no target, or neither",
                ));
            }
            follow_ups.insert(
                *follow_up,
                FollowUp {
                    owner: *owner,
                    due: *due,
                    no_target: no_target.clone(),
                    reason: reason.clone(),
                    complaint: *complaint,
                    scheduled_at: at,
                    state: FollowUpState::Scheduled,
                },
            );
        }
        FollowUpEvent::Overdue {
            follow_up: id,
            owner,
            due,
        } => {
            let follow_up = find(follow_ups, *id)?;
            if follow_up.due.is_none_or(|d| at < d || *due != d) || *owner != follow_up.owner {
                return Err(Misfit::Contradicts(format!(
                    "the overdue event of follow-up {id} contradicts it"
                )));
            }
            follow_up.check(FollowUpAction::Breach)?;
            follow_up.state = FollowUpState::Overdue;
        }
        FollowUpEvent::Completed {
            follow_up,
            outcome,
            timing,
            ..
        } => {
            let follow_up = find(follow_ups, *follow_up)?;
            follow_up.check(FollowUpAction::Complete)?;
            follow_up.state = FollowUpState::Done {
                at,
                outcome: *outcome,
                timing: *timing,
            };
        }
        FollowUpEvent::Cancelled { follow_up, reason } => {
            let follow_up = find(follow_ups, *follow_up)?;
            follow_up.check(FollowUpAction::Cancel)?;
            follow_up.state = FollowUpState::Cancelled {
                at,
                reason: reason.clone(),
            };
        }
    }
    Ok(())
}

fn find(follow_ups: &mut FollowUps, id: FollowUpId) -> Result<&mut FollowUp, Misfit> {
    follow_ups
        .get_mut(&id)
        .ok_or_else(|| Misfit::unknown(FollowUpLifecycle::ENTITY, id))
}
