//! Surveys: what customers tell us about our service, as CSAT (1–5) and NPS (0–10) answers.
//!
//! A survey can be requested for a complaint's resolution (at most one per resolution) or on its
//! own; an answer can come for a requested survey or unprompted. A reopened complaint voids the
//! survey still pending for its resolution: the answer would be about a resolution that no
//! longer stands, so it is refused with a clear error.
//!
//! # State diagram
//!
//! ```text
//! pending --answer--> answered
//! pending --void-->   voided
//! ```

mod command;
mod event;

pub use command::{AnswerSurvey, RequestSurvey, SurveyCommand};
pub use event::SurveyEvent;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::complaint::{ComplaintStage, Complaints};
use crate::lifecycle::Lifecycle;
use crate::registry::Registry;
use crate::response::Refused;
use crate::{CommandError, ComplaintId, CsatScore, Event, NpsScore, Personal, SurveyId};

/// Which question a survey asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum SurveyKind {
    /// "How satisfied are you?" 1–5.
    Csat,
    /// "How likely are you to recommend us?" 0–10.
    Nps,
}

/// An answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", content = "score", rename_all = "snake_case")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum SurveyAnswer {
    /// A CSAT answer.
    Csat(CsatScore),
    /// An NPS answer.
    Nps(NpsScore),
}

impl SurveyAnswer {
    /// The question it answers.
    #[must_use]
    pub const fn kind(self) -> SurveyKind {
        match self {
            SurveyAnswer::Csat(_) => SurveyKind::Csat,
            SurveyAnswer::Nps(_) => SurveyKind::Nps,
        }
    }
}

/// A survey's state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SurveyState {
    /// Sent, not answered.
    Pending,
    /// Answered.
    Answered {
        /// When.
        at: DateTime<Utc>,
        /// The answer.
        answer: SurveyAnswer,
    },
    /// Voided: the resolution it asked about no longer stands.
    Voided {
        /// When.
        at: DateTime<Utc>,
    },
}

/// A survey sent to a customer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Survey {
    /// Which question.
    pub kind: SurveyKind,
    /// The complaint whose resolution it asks about, if any.
    pub complaint: Option<ComplaintId>,
    /// When it was sent.
    pub requested_at: DateTime<Utc>,
    /// Where it stands.
    pub state: SurveyState,
}

/// The stages of a survey.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SurveyStage {
    /// Pending.
    Pending,
    /// Answered.
    Answered,
    /// Voided.
    Voided,
}

/// What can happen to a survey.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SurveyAction {
    /// The customer answered.
    Answer,
    /// The resolution it asked about was reopened.
    Void,
}

/// The survey's transition table.
#[derive(Debug)]
pub enum SurveyLifecycle {}

impl Lifecycle for SurveyLifecycle {
    type Stage = SurveyStage;
    type Action = SurveyAction;
    const STAGES: &'static [SurveyStage] = &[
        SurveyStage::Pending,
        SurveyStage::Answered,
        SurveyStage::Voided,
    ];
    const ACTIONS: &'static [SurveyAction] = &[SurveyAction::Answer, SurveyAction::Void];

    fn next(stage: SurveyStage, action: SurveyAction) -> Option<SurveyStage> {
        match (stage, action) {
            (SurveyStage::Pending, SurveyAction::Answer) => Some(SurveyStage::Answered),
            (SurveyStage::Pending, SurveyAction::Void) => Some(SurveyStage::Voided),
            (
                SurveyStage::Answered | SurveyStage::Voided,
                SurveyAction::Answer | SurveyAction::Void,
            ) => None,
        }
    }

    fn stage_name(stage: SurveyStage) -> &'static str {
        match stage {
            SurveyStage::Pending => "pending",
            SurveyStage::Answered => "answered",
            SurveyStage::Voided => "voided",
        }
    }

    fn action_name(action: SurveyAction) -> &'static str {
        match action {
            SurveyAction::Answer => "answer",
            SurveyAction::Void => "void",
        }
    }
}

impl Survey {
    /// The stage, without data.
    #[must_use]
    pub const fn stage(&self) -> SurveyStage {
        match self.state {
            SurveyState::Pending => SurveyStage::Pending,
            SurveyState::Answered { .. } => SurveyStage::Answered,
            SurveyState::Voided { .. } => SurveyStage::Voided,
        }
    }

    fn check(
        &self,
        action: SurveyAction,
    ) -> Result<SurveyStage, Refused<SurveyStage, SurveyAction>> {
        let from = self.stage();
        SurveyLifecycle::next(from, action).ok_or(Refused { from, action })
    }
}

/// The surveys of one relationship.
pub(crate) type Surveys = Registry<SurveyId, Survey>;

/// The survey still pending for `complaint`'s current resolution.
pub(crate) fn pending_for(surveys: &Surveys, complaint: ComplaintId) -> Option<SurveyId> {
    surveys
        .iter()
        .find(|(_, s)| s.complaint == Some(complaint) && s.state == SurveyState::Pending)
        .map(|(id, _)| *id)
}

pub(crate) fn request(
    surveys: &Surveys,
    complaints: &Complaints,
    request: &RequestSurvey,
) -> Result<Vec<Event>, CommandError> {
    if surveys.contains_key(&request.survey) {
        return Err(CommandError::DuplicateSurvey(request.survey));
    }
    if let Some(id) = request.complaint {
        let complaint = complaints
            .get(&id)
            .ok_or(CommandError::UnknownComplaint(id))?;
        if !matches!(
            complaint.stage(),
            ComplaintStage::Resolved | ComplaintStage::Closed
        ) {
            return Err(CommandError::InvalidTransition {
                entity: "complaint",
                from: crate::complaint::stage_name(complaint.stage()),
                action: "survey the resolution of",
            });
        }
        let resolved_at = complaint.resolved_at();
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
    Ok(vec![Event::Survey(SurveyEvent::Requested {
        survey: request.survey,
        kind: request.kind,
        complaint: request.complaint,
    })])
}

pub(crate) fn answer(surveys: &Surveys, answer: &AnswerSurvey) -> Result<Vec<Event>, CommandError> {
    let complaint = match answer.survey {
        Some(id) => {
            let survey = surveys.get(&id).ok_or(CommandError::UnknownSurvey(id))?;
            if let SurveyState::Voided { .. } = survey.state {
                return Err(CommandError::SurveyVoided(id));
            }
            survey
                .check(SurveyAction::Answer)
                .map_err(|r| CommandError::InvalidTransition {
                    entity: "survey",
                    from: SurveyLifecycle::stage_name(r.from),
                    action: SurveyLifecycle::action_name(r.action),
                })?;
            if survey.kind != answer.answer.kind() {
                return Err(CommandError::Contradictory(
                    "the answer is not of the kind the survey asked",
                ));
            }
            survey.complaint
        }
        None => None,
    };
    Ok(vec![Event::Survey(SurveyEvent::Answered {
        survey: answer.survey,
        answer: answer.answer,
        comment: answer.comment.clone(),
        complaint,
    })])
}

/// The event voiding a pending survey when its complaint is reopened.
pub(crate) fn void(survey: SurveyId) -> Event {
    Event::Survey(SurveyEvent::Voided {
        survey,
        reason: Personal::ours("the complaint was reopened"),
    })
}

/// Folds a survey event. Validates before changing anything.
pub(crate) fn fold(
    surveys: &mut Surveys,
    at: DateTime<Utc>,
    event: &SurveyEvent,
) -> Result<(), String> {
    match event {
        SurveyEvent::Requested {
            survey,
            kind,
            complaint,
        } => {
            if surveys.contains_key(survey) {
                return Err(format!("survey {survey} exists already"));
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
            Ok(())
        }
        SurveyEvent::Answered { survey: None, .. } => Ok(()),
        SurveyEvent::Answered {
            survey: Some(id),
            answer,
            ..
        } => {
            let survey = surveys
                .get_mut(id)
                .ok_or_else(|| format!("survey {id} is not known"))?;
            survey.check(SurveyAction::Answer).map_err(|r| {
                format!(
                    "a survey that is {} cannot be answered",
                    SurveyLifecycle::stage_name(r.from)
                )
            })?;
            if survey.kind != answer.kind() {
                return Err(format!("survey {id} asked another question"));
            }
            survey.state = SurveyState::Answered {
                at,
                answer: *answer,
            };
            Ok(())
        }
        SurveyEvent::Voided { survey: id, .. } => {
            let survey = surveys
                .get_mut(id)
                .ok_or_else(|| format!("survey {id} is not known"))?;
            survey.check(SurveyAction::Void).map_err(|r| {
                format!(
                    "a survey that is {} cannot be voided",
                    SurveyLifecycle::stage_name(r.from)
                )
            })?;
            survey.state = SurveyState::Voided { at };
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lifecycle::assert_documented;

    #[test]
    fn state_diagram_matches_transition_table() {
        assert_documented::<SurveyLifecycle>(include_str!("mod.rs"));
    }
}
