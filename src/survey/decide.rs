//! Commands become the survey family's own events.

use chrono::{DateTime, Utc};

use super::command::{AnswerSurvey, RequestSurvey};
use super::event::SurveyEvent;
use super::state::{SurveyAction, SurveyState, Surveys};
use crate::error::CommandError;
use crate::id::{ComplaintId, SurveyId};
use crate::personal::Personal;

/// A survey sent. `resolution` says when the complaint it asks about was resolved, or why its
/// resolution cannot be surveyed (the relationship knows the complaints).
pub(crate) fn request(
    surveys: &Surveys,
    request: &RequestSurvey,
    resolution: impl FnOnce(ComplaintId) -> Result<Option<DateTime<Utc>>, CommandError>,
) -> Result<Vec<SurveyEvent>, CommandError> {
    if surveys.contains_key(&request.survey) {
        return Err(CommandError::DuplicateSurvey(request.survey));
    }
    if let Some(id) = request.complaint {
        let resolved_at = resolution(id)?;
        // One survey per resolution: one not voided, asked since the current resolution.
        let already = surveys.iter().any(|(_, s)| {
            s.complaint == Some(id)
                && !matches!(s.state, SurveyState::Voided { .. })
                && resolved_at.is_some_and(|r| s.requested_at >= r)
        });
        if already {
            return Err(CommandError::AlreadySurveyed(id));
        }
    }
    Ok(vec![SurveyEvent::Requested {
        survey: request.survey,
        kind: request.kind,
        complaint: request.complaint,
    }])
}

pub(crate) fn answer(
    surveys: &Surveys,
    answer: &AnswerSurvey,
) -> Result<Vec<SurveyEvent>, CommandError> {
    let complaint = match answer.survey {
        Some(id) => {
            let survey = surveys.get(&id).ok_or(CommandError::UnknownSurvey(id))?;
            if let SurveyState::Voided { .. } = survey.state {
                return Err(CommandError::SurveyVoided(id));
            }
            survey.check(SurveyAction::Answer)?;
            if survey.kind != answer.answer.kind() {
                return Err(CommandError::Contradictory(
                    "the answer is not of the kind the survey asked",
                ));
            }
            survey.complaint
        }
        None => None,
    };
    Ok(vec![SurveyEvent::Answered {
        survey: answer.survey,
        answer: answer.answer,
        comment: answer.comment.clone(),
        complaint,
    }])
}

/// The event voiding a pending survey when its complaint is reopened.
pub(crate) fn void(survey: SurveyId) -> SurveyEvent {
    SurveyEvent::Voided {
        survey,
        reason: Personal::ours("the complaint was reopened"),
    }
}
