//! Folding the survey family's own events. Each fold validates before it changes anything.

use chrono::{DateTime, Utc};

use super::event::SurveyEvent;
use super::state::{Survey, SurveyAction, SurveyLifecycle, SurveyState, Surveys};
use crate::id::SurveyId;
use crate::lifecycle::{Entity, Lifecycle, Misfit};

/// Folds a survey event.
pub(crate) fn fold(
    surveys: &mut Surveys,
    at: DateTime<Utc>,
    event: &SurveyEvent,
) -> Result<(), Misfit> {
    match event {
        SurveyEvent::Requested {
            survey,
            kind,
            complaint,
        } => {
            if surveys.contains_key(survey) {
                return Err(Misfit::exists(SurveyLifecycle::ENTITY, survey));
            }
            surveys.insert(
                *survey,
                Survey {
                    kind: *kind,
                    complaint: *complaint,
                    requested_at: at,
                    state: SurveyState::Pending,
                },
            );
        }
        SurveyEvent::Answered { survey: None, .. } => {}
        SurveyEvent::Answered {
            survey: Some(id),
            answer,
            ..
        } => {
            let survey = find(surveys, *id)?;
            survey.check(SurveyAction::Answer).map_err(|r| {
                format!(
                    "a survey that is {} cannot be answered",
                    SurveyLifecycle::stage_name(r.from)
                )
            })?;
            if survey.kind != answer.kind() {
                return Err(Misfit::Contradicts(format!(
                    "survey {id} asked another question"
                )));
            }
            survey.state = SurveyState::Answered {
                at,
                answer: *answer,
            };
        }
        SurveyEvent::Voided { survey: id, .. } => {
            let survey = find(surveys, *id)?;
            survey.check(SurveyAction::Void).map_err(|r| {
                format!(
                    "a survey that is {} cannot be voided",
                    SurveyLifecycle::stage_name(r.from)
                )
            })?;
            survey.state = SurveyState::Voided { at };
        }
    }
    Ok(())
}

fn find(surveys: &mut Surveys, id: SurveyId) -> Result<&mut Survey, Misfit> {
    surveys
        .get_mut(&id)
        .ok_or_else(|| Misfit::unknown(SurveyLifecycle::ENTITY, id))
}
