use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::id::{AgentId, ComplaintId, InteractionId, PartyId, PromiseId};
use crate::outcome::Outcome;
use crate::personal::Personal;
use crate::promise::{AtRiskReason, Fulfiller, Notice, RevisionTiming};
use crate::value::{Span, Text};

/// What happens in this family, as stored facts. The `type` tag on the wire is the kind
/// (see [`Event::kind`](crate::event::Event::kind)).
///
/// Exhaustive on purpose, like [`Event`](crate::event::Event): a service must handle every
/// fact it stores, so a new kind is a change the compiler points at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum PromiseEvent {
    /// A promise was made to the customer.
    #[serde(rename = "promise_made")]
    Made {
        /// Its id.
        promise: PromiseId,
        /// What was promised.
        what: Personal,
        /// The due instant told to the customer.
        due: DateTime<Utc>,
        /// Our agent who owns it.
        owner: AgentId,
        /// Who does the work.
        fulfiller: Fulfiller,
        /// The interaction in which it was made.
        interaction: Option<InteractionId>,
        /// The complaint it answers.
        complaint: Option<ComplaintId>,
        /// When it will be at risk, as the policy computed.
        at_risk_at: Option<DateTime<Utc>>,
    },
    /// A promise is at risk: tell the customer before it breaks.
    #[serde(rename = "promise_at_risk")]
    AtRisk {
        /// The promise.
        promise: PromiseId,
        /// Its due instant.
        due: DateTime<Utc>,
        /// Our agent who owns it.
        owner: AgentId,
        /// Why.
        reason: AtRiskReason,
    },
    /// A promise's due instant passed while it was open.
    #[serde(rename = "promise_broken")]
    Broken {
        /// The promise.
        promise: PromiseId,
        /// The due instant that passed.
        due: DateTime<Utc>,
        /// Our agent who owns it.
        owner: AgentId,
        /// Whether the customer had been told anything since it was made or last revised.
        notice: Notice,
        /// How many times it has now broken.
        breaks: u32,
    },
    /// A new due instant was promised.
    #[serde(rename = "promise_revised")]
    Revised {
        /// The promise.
        promise: PromiseId,
        /// The due instant before.
        previous_due: DateTime<Utc>,
        /// The new due instant.
        due: DateTime<Utc>,
        /// Why.
        reason: Personal,
        /// Before the due instant, or after the break.
        timing: RevisionTiming,
        /// Whether the customer agreed.
        customer_agreed: bool,
        /// Slips so far, this one included.
        slips: u32,
        /// How far the due instant has moved in total from the original.
        cumulative_slip: Span,
        /// When it will be at risk again, as the policy computed.
        at_risk_at: Option<DateTime<Utc>>,
    },
    /// A promise slipped as often as the policy tolerates.
    #[serde(rename = "promise_slipped_repeatedly")]
    SlippedRepeatedly {
        /// The promise.
        promise: PromiseId,
        /// Our agent who owns it.
        owner: AgentId,
        /// Slips so far.
        slips: u32,
        /// How far the due instant has moved in total.
        cumulative_slip: Span,
    },
    /// A promise was kept.
    #[serde(rename = "promise_kept")]
    Kept {
        /// The promise.
        promise: PromiseId,
        /// The due instant in force.
        due: DateTime<Utc>,
        /// Our agent who owns it.
        owner: AgentId,
        /// On time, or late by how much.
        outcome: Outcome,
    },
    /// A promise was released.
    #[serde(rename = "promise_withdrawn")]
    Withdrawn {
        /// The promise.
        promise: PromiseId,
        /// Our agent who owns it.
        owner: AgentId,
        /// Why.
        reason: Personal,
    },
    /// An outside party's commitment behind a promise was recorded.
    ///
    /// Changed in schema version 2: `what` was renamed `commitment`, and `reference` was
    /// added (absent reads as none). Version 1 envelopes are upcast when read.
    #[serde(rename = "dependency_recorded")]
    DependencyRecorded {
        /// The promise.
        promise: PromiseId,
        /// The party.
        party: PartyId,
        /// What they committed to.
        commitment: Personal,
        /// The party's own reference for it (an order or job number), to chase it by.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reference: Option<Text>,
        /// When they said it would be done.
        due: DateTime<Utc>,
    },
    /// An outside party's commitment passed unmet.
    #[serde(rename = "dependency_late")]
    DependencyLate {
        /// The promise.
        promise: PromiseId,
        /// The party.
        party: PartyId,
        /// The due instant that passed.
        due: DateTime<Utc>,
        /// Our agent who owns the promise: responsibility is never outsourced.
        owner: AgentId,
    },
    /// An outside party delivered.
    #[serde(rename = "dependency_met")]
    DependencyMet {
        /// The promise.
        promise: PromiseId,
        /// The party.
        party: PartyId,
        /// On time, or late by how much.
        outcome: Outcome,
    },
}

impl PromiseEvent {
    /// The promise it is about.
    ///
    /// ```
    /// # use clientele::{*, chrono::{TimeDelta, TimeZone, Utc}};
    /// # let (policy, monday) = (ServicePolicy::default(), Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap());
    /// # let mut ona = Relationship::new(CustomerId::from_u128(1)); ona.execute(&policy, RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?), monday)?;
    /// let glasses = PromiseId::from_u128(5);
    /// let make = MakePromise::new(glasses, Text::new("Glasses ready")?, monday + TimeDelta::days(4), AgentId::from_u128(7));
    /// let events = ona.execute(&policy, make, monday)?;
    /// let Event::Promise(made) = &events[0].event else { return Err("a promise event".into()) };
    /// assert_eq!(made.promise(), glasses);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub const fn promise(&self) -> PromiseId {
        match self {
            Self::Made { promise, .. }
            | Self::AtRisk { promise, .. }
            | Self::Broken { promise, .. }
            | Self::Revised { promise, .. }
            | Self::SlippedRepeatedly { promise, .. }
            | Self::Kept { promise, .. }
            | Self::Withdrawn { promise, .. }
            | Self::DependencyRecorded { promise, .. }
            | Self::DependencyLate { promise, .. }
            | Self::DependencyMet { promise, .. } => *promise,
        }
    }

    /// The kind, as the `type` tag on the wire.
    ///
    /// ```
    /// # use clientele::{*, chrono::{TimeDelta, TimeZone, Utc}};
    /// # let (policy, monday) = (ServicePolicy::default(), Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap());
    /// # let mut ona = Relationship::new(CustomerId::from_u128(1)); ona.execute(&policy, RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?), monday)?;
    /// let make = MakePromise::new(PromiseId::from_u128(5), Text::new("Glasses ready")?, monday + TimeDelta::days(4), AgentId::from_u128(7));
    /// let events = ona.execute(&policy, make, monday)?;
    /// let Event::Promise(made) = &events[0].event else { return Err("a promise event".into()) };
    /// assert_eq!(made.kind(), "promise_made");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub const fn kind(&self) -> &'static str {
        match self {
            Self::Made { .. } => "promise_made",
            Self::AtRisk { .. } => "promise_at_risk",
            Self::Broken { .. } => "promise_broken",
            Self::Revised { .. } => "promise_revised",
            Self::SlippedRepeatedly { .. } => "promise_slipped_repeatedly",
            Self::Kept { .. } => "promise_kept",
            Self::Withdrawn { .. } => "promise_withdrawn",
            Self::DependencyRecorded { .. } => "dependency_recorded",
            Self::DependencyLate { .. } => "dependency_late",
            Self::DependencyMet { .. } => "dependency_met",
        }
    }

    /// The personal data it holds (see [`crate::personal`]), in a stable order: fields in
    /// declaration order, a map's values in key order. Part of the wire contract.
    pub(crate) fn personal_mut(&mut self) -> Vec<&mut Personal> {
        match self {
            Self::Made { what, .. } => vec![what],
            Self::Revised { reason, .. } | Self::Withdrawn { reason, .. } => vec![reason],
            Self::DependencyRecorded { commitment, .. } => vec![commitment],
            Self::AtRisk { .. }
            | Self::Broken { .. }
            | Self::SlippedRepeatedly { .. }
            | Self::Kept { .. }
            | Self::DependencyLate { .. }
            | Self::DependencyMet { .. } => Vec::new(),
        }
    }
}
