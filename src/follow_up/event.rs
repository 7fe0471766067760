use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::follow_up::FollowUpOutcome;
use crate::id::{AgentId, ComplaintId, FollowUpId};
use crate::outcome::{NoTarget, Outcome};
use crate::personal::Personal;

/// What happens in this family, as stored facts. The `type` tag on the wire is the kind
/// (see [`Event::kind`](crate::event::Event::kind)).
///
/// Exhaustive on purpose, like [`Event`](crate::event::Event): a service must handle every
/// fact it stores, so a new kind is a change the compiler points at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum FollowUpEvent {
    /// A follow-up contact was scheduled.
    #[serde(rename = "follow_up_scheduled")]
    Scheduled {
        /// Its id.
        follow_up: FollowUpId,
        /// Our agent who owns it.
        owner: AgentId,
        /// When it is due; absent when the policy's delay could not be computed on its
        /// calendar (then `no_target` says why). Exactly one of the two is present.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        due: Option<DateTime<Utc>>,
        /// Why it has no due instant, if it has none (added in schema version 3).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        no_target: Option<NoTarget>,
        /// Why.
        reason: Personal,
        /// The complaint it follows up.
        complaint: Option<ComplaintId>,
    },
    /// A follow-up was not done by its due instant.
    #[serde(rename = "follow_up_overdue")]
    Overdue {
        /// The follow-up.
        follow_up: FollowUpId,
        /// Our agent who owns it.
        owner: AgentId,
        /// The due instant that passed.
        due: DateTime<Utc>,
    },
    /// A follow-up was done.
    #[serde(rename = "follow_up_completed")]
    Completed {
        /// The follow-up.
        follow_up: FollowUpId,
        /// What it found.
        outcome: FollowUpOutcome,
        /// A note.
        note: Option<Personal>,
        /// On time or late; untimed for a follow-up that had no due instant.
        timing: Outcome,
    },
    /// A follow-up is no longer needed.
    #[serde(rename = "follow_up_cancelled")]
    Cancelled {
        /// The follow-up.
        follow_up: FollowUpId,
        /// Why.
        reason: Personal,
    },
}

impl FollowUpEvent {
    /// The follow-up it is about.
    ///
    /// ```
    /// # use clientele::{*, chrono::{TimeDelta, TimeZone, Utc}};
    /// # let (policy, monday) = (ServicePolicy::default(), Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap());
    /// # let mut ona = Relationship::new(CustomerId::from_u128(1)); ona.execute(&policy, RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?), monday)?;
    /// let call_back = FollowUpId::from_u128(4);
    /// let schedule = ScheduleFollowUp::new(call_back, AgentId::from_u128(7), monday + TimeDelta::days(1), Text::new("Fit check")?);
    /// let events = ona.execute(&policy, schedule, monday)?;
    /// let Event::FollowUp(scheduled) = &events[0].event else { return Err("a follow-up event".into()) };
    /// assert_eq!(scheduled.follow_up(), call_back);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub const fn follow_up(&self) -> FollowUpId {
        match self {
            Self::Scheduled { follow_up, .. }
            | Self::Overdue { follow_up, .. }
            | Self::Completed { follow_up, .. }
            | Self::Cancelled { follow_up, .. } => *follow_up,
        }
    }

    /// The kind, as the `type` tag on the wire.
    ///
    /// ```
    /// # use clientele::{*, chrono::{TimeDelta, TimeZone, Utc}};
    /// # let (policy, monday) = (ServicePolicy::default(), Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap());
    /// # let mut ona = Relationship::new(CustomerId::from_u128(1)); ona.execute(&policy, RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?), monday)?;
    /// let schedule = ScheduleFollowUp::new(FollowUpId::from_u128(4), AgentId::from_u128(7), monday + TimeDelta::days(1), Text::new("Fit check")?);
    /// let events = ona.execute(&policy, schedule, monday)?;
    /// let Event::FollowUp(scheduled) = &events[0].event else { return Err("a follow-up event".into()) };
    /// assert_eq!(scheduled.kind(), "follow_up_scheduled");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub const fn kind(&self) -> &'static str {
        match self {
            Self::Scheduled { .. } => "follow_up_scheduled",
            Self::Overdue { .. } => "follow_up_overdue",
            Self::Completed { .. } => "follow_up_completed",
            Self::Cancelled { .. } => "follow_up_cancelled",
        }
    }

    /// Whether the event is well formed where the types allow more than the facts: a
    /// scheduled follow-up states a due instant or why it has none.
    pub(crate) const fn is_consistent(&self) -> bool {
        match self {
            Self::Scheduled { due, no_target, .. } => due.is_some() != no_target.is_some(),
            Self::Overdue { .. } | Self::Completed { .. } | Self::Cancelled { .. } => true,
        }
    }

    /// The first schema version that can say it: 3 for a follow-up with no due instant or an
    /// untimed one, 1 otherwise.
    pub(crate) const fn needs_version(&self) -> u16 {
        match self {
            Self::Scheduled {
                no_target: Some(_), ..
            }
            | Self::Scheduled { due: None, .. }
            | Self::Completed {
                timing: Outcome::Untimed,
                ..
            } => 3,
            Self::Scheduled { .. }
            | Self::Overdue { .. }
            | Self::Completed { .. }
            | Self::Cancelled { .. } => 1,
        }
    }

    /// The personal data it holds (see [`crate::personal`]), in a stable order: fields in
    /// declaration order, a map's values in key order. Part of the wire contract.
    pub(crate) fn personal_mut(&mut self) -> Vec<&mut Personal> {
        match self {
            Self::Scheduled { reason, .. } | Self::Cancelled { reason, .. } => vec![reason],
            Self::Completed { note, .. } => note.iter_mut().collect(),
            Self::Overdue { .. } => Vec::new(),
        }
    }
}
