use serde::{Deserialize, Serialize};

use crate::id::{ComplaintId, SurveyId};
use crate::personal::Personal;
use crate::survey::{SurveyAnswer, SurveyKind};

/// What happens in this family, as stored facts. The `type` tag on the wire is the kind
/// (see [`Event::kind`](crate::event::Event::kind)).
///
/// Exhaustive on purpose, like [`Event`](crate::event::Event): a service must handle every
/// fact it stores, so a new kind is a change the compiler points at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum SurveyEvent {
    /// A survey was sent.
    #[serde(rename = "survey_requested")]
    Requested {
        /// Its id.
        survey: SurveyId,
        /// Which question.
        kind: SurveyKind,
        /// The complaint whose resolution it asks about.
        complaint: Option<ComplaintId>,
    },
    /// The customer answered.
    #[serde(rename = "survey_answered")]
    Answered {
        /// The survey, if one was requested.
        survey: Option<SurveyId>,
        /// The answer.
        answer: SurveyAnswer,
        /// The customer's comment.
        comment: Option<Personal>,
        /// The complaint whose resolution it was about.
        complaint: Option<ComplaintId>,
    },
    /// A pending survey was voided: the resolution it asked about was reopened.
    #[serde(rename = "survey_voided")]
    Voided {
        /// The survey.
        survey: SurveyId,
        /// Why.
        reason: Personal,
    },
}

impl SurveyEvent {
    /// The kind, as the `type` tag on the wire.
    ///
    /// ```
    /// # use clientele::{*, chrono::{TimeDelta, TimeZone, Utc}};
    /// # let (policy, monday) = (ServicePolicy::default(), Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap());
    /// # let mut ona = Relationship::new(CustomerId::from_u128(1)); ona.execute(&policy, RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?), monday)?;
    /// let events = ona.execute(&policy, RequestSurvey::new(SurveyId::from_u128(8), SurveyKind::Nps), monday)?;
    /// let Event::Survey(requested) = &events[0].event else { return Err("a survey event".into()) };
    /// assert_eq!(requested.kind(), "survey_requested");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub const fn kind(&self) -> &'static str {
        match self {
            Self::Requested { .. } => "survey_requested",
            Self::Answered { .. } => "survey_answered",
            Self::Voided { .. } => "survey_voided",
        }
    }

    /// The personal data it holds (see [`crate::personal`]), in a stable order: fields in
    /// declaration order, a map's values in key order. Part of the wire contract.
    pub(crate) fn personal_mut(&mut self) -> Vec<&mut Personal> {
        match self {
            Self::Voided { reason, .. } => vec![reason],
            Self::Answered { comment, .. } => comment.iter_mut().collect(),
            Self::Requested { .. } => Vec::new(),
        }
    }
}
