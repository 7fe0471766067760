//! Rules that span lifecycle families, in one place: what one family's facts mean for
//! another's. They run after a family's primary events, the same way when deciding a command
//! and when firing a deadline, so no family needs its siblings as parameters.
//!
//! - A promise linked to a complaint breaking a second time makes escalation due
//!   ([`escalation_after_break`]).
//! - Health remembers answered response clocks, silent breaks and survey scores
//!   ([`remembered_response`], [`remembered_promise`], [`remembered_survey`]).

use crate::complaint::{ComplaintEvent, Complaints, EscalationReason};
use crate::health::Recent;
use crate::id::AgentId;
use crate::promise::{Notice, PromiseEvent, PromiseTerms};
use crate::response::ResponseEvent;
use crate::survey::{SurveyAnswer, SurveyEvent};

/// A promise linked to an open complaint broke for the second time: escalation is due, unless
/// it is due already.
pub(crate) fn escalation_after_break(
    events: &[PromiseEvent],
    terms: &PromiseTerms,
    complaints: &Complaints,
    account_owner: Option<AgentId>,
) -> Option<ComplaintEvent> {
    let second_break = events
        .iter()
        .any(|e| matches!(e, PromiseEvent::Broken { breaks: 2, .. }));
    let complaint_id = terms.complaint?;
    let c = complaints.get(&complaint_id)?;
    (second_break && c.is_open() && c.escalation_due.is_none()).then(|| {
        ComplaintEvent::EscalationDue {
            complaint: complaint_id,
            reason: EscalationReason::PromiseBrokenAgain,
            level: c.level,
            owner: c.owner.or(account_owner),
        }
    })
}

/// What health remembers of a response event: whether an answer met its target.
pub(crate) fn remembered_response(event: &ResponseEvent) -> Option<Recent> {
    match event {
        ResponseEvent::ClockStopped { outcome, .. } => Some(if outcome.on_time() {
            Recent::ResponseMet
        } else {
            Recent::ResponseMissed
        }),
        ResponseEvent::InteractionRecorded { .. }
        | ResponseEvent::ClockStarted { .. }
        | ResponseEvent::AtRisk { .. }
        | ResponseEvent::Overdue { .. } => None,
    }
}

/// What health remembers of a promise event: a break in silence.
pub(crate) fn remembered_promise(event: &PromiseEvent) -> Option<Recent> {
    match event {
        PromiseEvent::Broken {
            notice: Notice::InSilence,
            ..
        } => Some(Recent::SilentBreak),
        PromiseEvent::Made { .. }
        | PromiseEvent::AtRisk { .. }
        | PromiseEvent::Broken { .. }
        | PromiseEvent::Revised { .. }
        | PromiseEvent::SlippedRepeatedly { .. }
        | PromiseEvent::Kept { .. }
        | PromiseEvent::Withdrawn { .. }
        | PromiseEvent::DependencyRecorded { .. }
        | PromiseEvent::DependencyLate { .. }
        | PromiseEvent::DependencyMet { .. } => None,
    }
}

/// What health remembers of a survey event: the score given.
pub(crate) fn remembered_survey(event: &SurveyEvent) -> Option<Recent> {
    match event {
        SurveyEvent::Answered { answer, .. } => Some(match answer {
            SurveyAnswer::Csat(score) => Recent::Csat(score.get()),
            SurveyAnswer::Nps(score) => Recent::Nps(score.get()),
        }),
        SurveyEvent::Requested { .. } | SurveyEvent::Voided { .. } => None,
    }
}
