use serde::{Deserialize, Serialize};

use crate::id::{ComplaintId, SurveyId};
use crate::personal::Personal;
use crate::survey::{SurveyAnswer, SurveyKind};

/// What the service can ask of this family. `#[non_exhaustive]`: later releases add
/// commands; build one from its struct (`.into()`), and match with a `_` arm.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub enum SurveyCommand {
    /// Send the customer a survey.
    #[serde(rename = "request_survey")]
    Request(RequestSurvey),
    /// The customer answered a survey, or told us a score unprompted.
    #[serde(rename = "answer_survey")]
    Answer(AnswerSurvey),
}

impl SurveyCommand {
    /// The command's name, as its `type` tag on the wire.
    #[must_use]
    pub const fn name(&self) -> &'static str {
        match self {
            Self::Request(_) => "request_survey",
            Self::Answer(_) => "answer_survey",
        }
    }
}

impl From<RequestSurvey> for SurveyCommand {
    fn from(command: RequestSurvey) -> Self {
        Self::Request(command)
    }
}

impl From<AnswerSurvey> for SurveyCommand {
    fn from(command: AnswerSurvey) -> Self {
        Self::Answer(command)
    }
}

/// Send the customer a survey, about a complaint's resolution (at most one per resolution)
/// or on its own.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct RequestSurvey {
    /// A new id for it.
    pub survey: SurveyId,
    /// Which question.
    pub kind: SurveyKind,
    /// The resolved complaint it asks about.
    #[serde(default)]
    pub complaint: Option<ComplaintId>,
}

impl RequestSurvey {
    /// Sends survey `survey` asking `kind`, about no complaint until
    /// [`about`](Self::about) names one.
    #[must_use]
    pub const fn new(survey: SurveyId, kind: SurveyKind) -> Self {
        Self {
            survey,
            kind,
            complaint: None,
        }
    }

    /// The resolved complaint it asks about.
    #[must_use]
    pub const fn about(mut self, complaint: ComplaintId) -> Self {
        self.complaint = Some(complaint);
        self
    }
}

/// The customer answered a survey (`survey: Some`), or gave a score unprompted.
///
/// ```
/// use clientele::{AnswerSurvey, NpsScore, SurveyAnswer, SurveyId, Text};
///
/// let answer = AnswerSurvey {
///     survey: Some(SurveyId::from_u128(1)),
///     answer: SurveyAnswer::Nps(NpsScore::new(9)?),
///     comment: Some(Text::new("Kept me posted all along")?.into()),
/// };
/// assert_eq!(answer.answer.kind(), clientele::SurveyKind::Nps);
/// # Ok::<(), clientele::ValueError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct AnswerSurvey {
    /// The survey answered, if it was requested.
    #[serde(default)]
    pub survey: Option<SurveyId>,
    /// The answer.
    pub answer: SurveyAnswer,
    /// The customer's comment.
    #[serde(default)]
    pub comment: Option<Personal>,
}

impl AnswerSurvey {
    /// The customer's answer to survey `survey`, with no comment until
    /// [`comment`](Self::comment) adds one.
    #[must_use]
    pub const fn new(survey: SurveyId, answer: SurveyAnswer) -> Self {
        Self {
            survey: Some(survey),
            answer,
            comment: None,
        }
    }

    /// A score the customer gave unprompted, to no survey.
    #[must_use]
    pub const fn unprompted(answer: SurveyAnswer) -> Self {
        Self {
            survey: None,
            answer,
            comment: None,
        }
    }

    /// The customer's comment.
    #[must_use]
    pub fn comment(mut self, comment: impl Into<Personal>) -> Self {
        self.comment = Some(comment.into());
        self
    }
}
