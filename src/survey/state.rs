//! What a survey is: its question and answer, its stages, and the transition table between
//! them (drawn in the [module docs](super)).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::id::{ComplaintId, SurveyId};
use crate::lifecycle::{Entity, Lifecycle, Refused};
use crate::registry::Registry;
use crate::value::{CsatScore, NpsScore};

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

/// [`SurveyAnswer`] in a snapshot's binary form (see `crate::compact`).
#[derive(Serialize, Deserialize)]
#[serde(remote = "SurveyAnswer")]
enum SurveyAnswerBinary {
    Csat(CsatScore),
    Nps(NpsScore),
}

crate::compact::either_form!(answer_form, SurveyAnswer, SurveyAnswerBinary);

impl SurveyAnswer {
    /// The question it answers.
    ///
    /// ```
    /// use clientele::{CsatScore, NpsScore, SurveyAnswer, SurveyKind};
    ///
    /// assert_eq!(SurveyAnswer::Csat(CsatScore::new(4)?).kind(), SurveyKind::Csat);
    /// assert_eq!(SurveyAnswer::Nps(NpsScore::new(10)?).kind(), SurveyKind::Nps);
    /// # Ok::<(), clientele::ValueError>(())
    /// ```
    #[must_use]
    pub const fn kind(self) -> SurveyKind {
        match self {
            SurveyAnswer::Csat(_) => SurveyKind::Csat,
            SurveyAnswer::Nps(_) => SurveyKind::Nps,
        }
    }
}

/// A survey's state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum SurveyState {
    /// Sent, not answered.
    Pending,
    /// Answered.
    Answered {
        /// When.
        #[serde(with = "crate::compact::instant")]
        at: DateTime<Utc>,
        /// The answer.
        #[serde(with = "crate::survey::state::answer_form")]
        answer: SurveyAnswer,
    },
    /// Voided: the resolution it asked about no longer stands.
    Voided {
        /// When.
        #[serde(with = "crate::compact::instant")]
        at: DateTime<Utc>,
    },
}

/// A survey sent to a customer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Survey {
    /// Which question.
    pub kind: SurveyKind,
    /// The complaint whose resolution it asks about, if any.
    pub complaint: Option<ComplaintId>,
    /// When it was sent.
    #[serde(with = "crate::compact::instant")]
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

impl Entity for SurveyLifecycle {
    const ENTITY: &'static str = "survey";
}

impl Survey {
    /// The stage, without data.
    ///
    /// ```
    /// # use clientele::{*, chrono::{TimeDelta, TimeZone, Utc}};
    /// # let (policy, monday) = (ServicePolicy::default(), Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap());
    /// # let mut ona = Relationship::new(CustomerId::from_u128(1)); ona.execute(&policy, RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?), monday)?;
    /// use clientele::survey::SurveyStage;
    ///
    /// let survey = SurveyId::from_u128(8);
    /// ona.execute(&policy, RequestSurvey::new(survey, SurveyKind::Csat), monday)?;
    /// let stage = |ona: &Relationship| ona.surveys().find(|(id, _)| *id == survey).map(|(_, s)| s.stage());
    /// assert_eq!(stage(&ona), Some(SurveyStage::Pending));
    /// ona.execute(&policy, AnswerSurvey::new(survey, SurveyAnswer::Csat(CsatScore::new(5)?)), monday)?;
    /// assert_eq!(stage(&ona), Some(SurveyStage::Answered));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub const fn stage(&self) -> SurveyStage {
        match self.state {
            SurveyState::Pending => SurveyStage::Pending,
            SurveyState::Answered { .. } => SurveyStage::Answered,
            SurveyState::Voided { .. } => SurveyStage::Voided,
        }
    }

    /// Where `action` leads from its stage, or the refusal naming both.
    pub(super) fn check(
        &self,
        action: SurveyAction,
    ) -> Result<SurveyStage, Refused<SurveyLifecycle>> {
        SurveyLifecycle::step(self.stage(), action)
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
