//! Queues before people: a complaint routed to a team (rules in the [module docs](super)).

use super::book::Complaints;
use super::command::RouteComplaint;
use super::event::ComplaintEvent;
use super::state::{Complaint, ComplaintLifecycle};
use crate::error::CommandError;
use crate::id::TeamId;
use crate::lifecycle::{Context, Entity, Lifecycle, Misfit};

/// The event routing a complaint to a team's queue becomes.
pub(crate) fn route(
    complaints: &Complaints,
    route: &RouteComplaint,
    ctx: &Context<'_>,
) -> Result<Vec<ComplaintEvent>, CommandError> {
    let complaint = complaints
        .get(&route.complaint)
        .ok_or(CommandError::UnknownComplaint(route.complaint))?;
    if !complaint.is_open() {
        return Err(refused(complaint));
    }
    ctx.policy.check_team(route.team)?;
    if complaint.team == Some(route.team) {
        return Err(CommandError::NothingToChange);
    }
    Ok(vec![ComplaintEvent::Routed {
        complaint: route.complaint,
        team: route.team,
        from: complaint.team,
    }])
}

/// Folds a routing: the complaint must be open and in the queue the event says it left.
pub(super) fn routed(
    complaint: &mut Complaint,
    team: TeamId,
    from: Option<TeamId>,
) -> Result<(), Misfit> {
    if !complaint.is_open() {
        return Err(Misfit::from(
            "a resolved or closed complaint cannot be routed",
        ));
    }
    if complaint.team != from || from == Some(team) {
        return Err(Misfit::Contradicts(format!(
            "the complaint is in the queue of {:?}, not {from:?}, or goes where it is",
            complaint.team
        )));
    }
    complaint.team = Some(team);
    Ok(())
}

fn refused(complaint: &Complaint) -> CommandError {
    CommandError::InvalidTransition {
        entity: ComplaintLifecycle::ENTITY,
        from: ComplaintLifecycle::stage_name(complaint.stage()),
        action: "route",
    }
}
