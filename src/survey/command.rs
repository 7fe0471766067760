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
    ///
    /// ```
    /// use clientele::{RequestSurvey, SurveyId, SurveyKind};
    /// use clientele::survey::SurveyCommand;
    ///
    /// assert_eq!(SurveyCommand::from(RequestSurvey::new(SurveyId::from_u128(8), SurveyKind::Nps)).name(), "request_survey");
    /// ```
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
    ///
    /// ```
    /// # use clientele::{*, chrono::{TimeDelta, TimeZone, Utc}};
    /// # let (policy, monday) = (ServicePolicy::default(), Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap());
    /// # let (glasses, jonas) = (PromiseId::from_u128(5), AgentId::from_u128(7));
    /// # let friday = monday + TimeDelta::days(4);
    /// # let mut ona = Relationship::new(CustomerId::from_u128(1)); ona.execute(&policy, RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?), monday)?;
    /// let survey = SurveyId::from_u128(8);
    /// let events = ona.execute(&policy, RequestSurvey::new(survey, SurveyKind::Nps), monday)?;
    /// assert_eq!(events[0].event.kind(), "survey_requested");
    /// assert_eq!(ona.surveys().count(), 1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub const fn new(survey: SurveyId, kind: SurveyKind) -> Self {
        Self {
            survey,
            kind,
            complaint: None,
        }
    }

    /// The resolved complaint it asks about.
    ///
    /// ```
    /// use clientele::{ComplaintId, RequestSurvey, SurveyId, SurveyKind};
    ///
    /// let late = ComplaintId::from_u128(3);
    /// let survey = RequestSurvey::new(SurveyId::from_u128(8), SurveyKind::Csat).about(late);
    /// assert_eq!(survey.complaint, Some(late)); // voided if the complaint reopens
    /// ```
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
    ///
    /// ```
    /// # use clientele::{*, chrono::{TimeDelta, TimeZone, Utc}};
    /// # let (policy, monday) = (ServicePolicy::default(), Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap());
    /// # let (glasses, jonas) = (PromiseId::from_u128(5), AgentId::from_u128(7));
    /// # let friday = monday + TimeDelta::days(4);
    /// # let mut ona = Relationship::new(CustomerId::from_u128(1)); ona.execute(&policy, RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?), monday)?;
    /// let survey = SurveyId::from_u128(8);
    /// ona.execute(&policy, RequestSurvey::new(survey, SurveyKind::Nps), monday)?;
    /// let answer = AnswerSurvey::new(survey, SurveyAnswer::Nps(NpsScore::new(9)?));
    /// assert_eq!(ona.execute(&policy, answer, monday)?[0].event.kind(), "survey_answered");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub const fn new(survey: SurveyId, answer: SurveyAnswer) -> Self {
        Self {
            survey: Some(survey),
            answer,
            comment: None,
        }
    }

    /// A score the customer gave unprompted, to no survey.
    ///
    /// ```
    /// # use clientele::{*, chrono::{TimeDelta, TimeZone, Utc}};
    /// # let (policy, monday) = (ServicePolicy::default(), Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap());
    /// # let (glasses, jonas) = (PromiseId::from_u128(5), AgentId::from_u128(7));
    /// # let friday = monday + TimeDelta::days(4);
    /// # let mut ona = Relationship::new(CustomerId::from_u128(1)); ona.execute(&policy, RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?), monday)?;
    /// // A score the customer gave without being asked (a review, a feedback form).
    /// let answer = AnswerSurvey::unprompted(SurveyAnswer::Csat(CsatScore::new(2)?));
    /// assert_eq!(answer.survey, None);
    /// ona.execute(&policy, answer, monday)?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub const fn unprompted(answer: SurveyAnswer) -> Self {
        Self {
            survey: None,
            answer,
            comment: None,
        }
    }

    /// The customer's comment.
    ///
    /// ```
    /// use clientele::{AnswerSurvey, CsatScore, SurveyAnswer, SurveyId, Text};
    ///
    /// let answer = AnswerSurvey::new(SurveyId::from_u128(8), SurveyAnswer::Csat(CsatScore::new(4)?))
    ///     .comment(Text::new("Quick, but the frames pinch")?);
    /// assert!(answer.comment.is_some()); // personal data: erased with the rest
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn comment(mut self, comment: impl Into<Personal>) -> Self {
        self.comment = Some(comment.into());
        self
    }
}
