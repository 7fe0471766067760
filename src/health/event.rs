use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::personal::Personal;

/// What happens in this family, as stored facts. The `type` tag on the wire is the kind
/// (see [`Event::kind`](crate::event::Event::kind)).
///
/// Exhaustive on purpose, like [`Event`](crate::event::Event): a service must handle every
/// fact it stores, so a new kind is a change the compiler points at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum HealthEvent {
    /// The relationship's health fell into the at-risk band: it is going bad, whether or not
    /// the customer ever complained.
    #[serde(rename = "relationship_at_risk")]
    AtRisk {
        /// The score, 0 to 100.
        score: u8,
        /// The signals that weighed most, worst first.
        reasons: Vec<crate::health::Signal>,
    },
    /// The relationship's health left the at-risk band.
    #[serde(rename = "relationship_recovered")]
    Recovered {
        /// The score, 0 to 100.
        score: u8,
    },
    /// The customer has gone quiet after a bad experience: no inbound contact for longer than
    /// their own rhythm allows (see [`QuietPolicy`](crate::health::QuietPolicy)), dated at the
    /// instant the silence became long enough. Their account owner is flagged
    /// ([`FlagKind::GoneQuiet`](crate::flag::FlagKind::GoneQuiet)) until they write again.
    /// Schema version 3.
    #[serde(rename = "relationship_gone_quiet")]
    GoneQuiet {
        /// When the customer last wrote to us.
        last_contact: DateTime<Utc>,
        /// The bad experience the silence is counted from (a target breached or missed, a
        /// promise broken, an unsatisfied answer), the first since they last wrote.
        after: DateTime<Utc>,
    },
}

impl HealthEvent {
    /// The kind, as the `type` tag on the wire.
    ///
    /// ```
    /// use clientele::HealthEvent;
    ///
    /// assert_eq!(HealthEvent::Recovered { score: 80 }.kind(), "relationship_recovered");
    /// ```
    #[must_use]
    pub const fn kind(&self) -> &'static str {
        match self {
            Self::AtRisk { .. } => "relationship_at_risk",
            Self::Recovered { .. } => "relationship_recovered",
            Self::GoneQuiet { .. } => "relationship_gone_quiet",
        }
    }

    /// The personal data it holds (see [`crate::personal`]), in a stable order: fields in
    /// declaration order, a map's values in key order. Part of the wire contract.
    pub(crate) fn personal_mut(&mut self) -> Vec<&mut Personal> {
        match self {
            Self::AtRisk { .. } | Self::Recovered { .. } | Self::GoneQuiet { .. } => Vec::new(),
        }
    }
}
