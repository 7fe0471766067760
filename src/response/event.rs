use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::flag::Regarding;
use crate::id::{AgentId, ComplaintId, InteractionId, PromiseId};
use crate::outcome::{Elapsed, NoTarget, Outcome};
use crate::personal::Personal;
use crate::response::ClockKind;
use crate::value::{Channel, Direction, Priority, Span, Tier};

/// What happens in this family, as stored facts. The `type` tag on the wire is the kind
/// (see [`Event::kind`](crate::event::Event::kind)).
///
/// Exhaustive on purpose, like [`Event`](crate::event::Event): a service must handle every
/// fact it stores, so a new kind is a change the compiler points at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum ResponseEvent {
    /// An interaction happened.
    #[serde(rename = "interaction_recorded")]
    InteractionRecorded {
        /// Its id.
        interaction: InteractionId,
        /// On which channel.
        channel: Channel,
        /// Who spoke.
        direction: Direction,
        /// Our agent involved, if any.
        agent: Option<AgentId>,
        /// A short summary.
        summary: Personal,
        /// For inbound: whether the customer expects an answer.
        awaits_reply: bool,
        /// How urgent it is.
        priority: Priority,
        /// Promises it is about.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        regarding: Vec<PromiseId>,
        /// Complaints it is about (added in schema version 3; absent when none).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        regarding_complaints: Vec<ComplaintId>,
    },
    /// The customer started waiting for an answer.
    #[serde(rename = "response_clock_started")]
    ClockStarted {
        /// First response or reply.
        kind: ClockKind,
        /// The inbound interaction that started the wait.
        since: InteractionId,
        /// Its priority.
        priority: Priority,
        /// The customer's tier when the clock started.
        tier: Tier,
        /// The target used, in business time.
        target: Span,
        /// The named calendar it runs on; absent for the policy's own.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        calendar: Option<String>,
        /// When the answer is due; absent when the clock has no target (then `no_target`
        /// says why). Exactly one of the two is present.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        due: Option<DateTime<Utc>>,
        /// Why the clock has no target, if it has none (added in schema version 3).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        no_target: Option<NoTarget>,
        /// When the warning is due, if any.
        warn_at: Option<DateTime<Utc>>,
    },
    /// The warning lead before the response deadline was reached with no answer.
    #[serde(rename = "response_at_risk")]
    AtRisk {
        /// The inbound interaction waiting.
        since: InteractionId,
        /// When the answer is due.
        due: DateTime<Utc>,
    },
    /// The response deadline passed with no answer.
    #[serde(rename = "response_overdue")]
    Overdue {
        /// The inbound interaction waiting.
        since: InteractionId,
        /// The deadline that passed.
        due: DateTime<Utc>,
    },
    /// We answered: the response clock stopped.
    #[serde(rename = "response_clock_stopped")]
    ClockStopped {
        /// First response or reply.
        kind: ClockKind,
        /// The inbound interaction that started the wait.
        since: InteractionId,
        /// The outbound interaction that answered.
        answered_by: InteractionId,
        /// The target it had.
        target: Span,
        /// When the answer was due; absent when the clock had no target.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        due: Option<DateTime<Utc>>,
        /// How long the customer waited.
        waited: Elapsed,
        /// Met, or met late; untimed when the clock had no target (then `due` is absent).
        outcome: Outcome,
    },
    /// We asked the customer something and wait for them (added in schema version 3): our
    /// outbound interaction `asked_by` answered any wait first (`response_clock_stopped`
    /// before this event); until the customer speaks again nobody waits for us, and the update
    /// cadences of the items asked about are paused.
    #[serde(rename = "response_awaiting_customer")]
    AwaitingCustomer {
        /// Our outbound interaction that asked.
        asked_by: InteractionId,
        /// The complaints and promises it asked about (absent when none).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        about: Vec<Regarding>,
    },
    /// The update cadence of a complaint or a promise was armed (or re-armed): the customer
    /// is due to hear from us about it by `due` (added in schema version 3).
    #[serde(rename = "update_clock_started")]
    UpdateClockStarted {
        /// The complaint or promise.
        about: Regarding,
        /// The priority that chose the span.
        priority: Priority,
        /// How long the customer may go without an update, in business time.
        span: Span,
        /// The named calendar it runs on; absent for the policy's own.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        calendar: Option<String>,
        /// When the update is due; absent when it has no target (then `no_target` says why).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        due: Option<DateTime<Utc>>,
        /// Why it has no target, if it has none.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        no_target: Option<NoTarget>,
        /// When it warns, if it does.
        warn_at: Option<DateTime<Utc>>,
    },
    /// The update cadence's warning lead was reached with no word to the customer (added in
    /// schema version 3).
    #[serde(rename = "update_at_risk")]
    UpdateAtRisk {
        /// The complaint or promise.
        about: Regarding,
        /// When the update is due.
        due: DateTime<Utc>,
    },
    /// The customer went as long without hearing from us about a complaint or a promise as
    /// the cadence allows (added in schema version 3).
    #[serde(rename = "update_overdue")]
    UpdateOverdue {
        /// The complaint or promise.
        about: Regarding,
        /// The instant that passed.
        due: DateTime<Utc>,
    },
}

impl ResponseEvent {
    /// The kind, as the `type` tag on the wire.
    ///
    /// ```
    /// # use clientele::{*, chrono::{TimeDelta, TimeZone, Utc}};
    /// # let (policy, monday) = (ServicePolicy::default(), Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap());
    /// # let mut ona = Relationship::new(CustomerId::from_u128(1)); ona.execute(&policy, RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?), monday)?;
    /// let hello = RecordInteraction::inbound(InteractionId::from_u128(2), Channel::Email, Text::new("Hello?")?);
    /// let events = ona.execute(&policy, hello, monday)?;
    /// let Event::Response(recorded) = &events[0].event else { return Err("a response event".into()) };
    /// assert_eq!(recorded.kind(), "interaction_recorded");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub const fn kind(&self) -> &'static str {
        match self {
            Self::InteractionRecorded { .. } => "interaction_recorded",
            Self::ClockStarted { .. } => "response_clock_started",
            Self::AtRisk { .. } => "response_at_risk",
            Self::Overdue { .. } => "response_overdue",
            Self::ClockStopped { .. } => "response_clock_stopped",
            Self::AwaitingCustomer { .. } => "response_awaiting_customer",
            Self::UpdateClockStarted { .. } => "update_clock_started",
            Self::UpdateAtRisk { .. } => "update_at_risk",
            Self::UpdateOverdue { .. } => "update_overdue",
        }
    }

    /// Whether the event is well formed where the types allow more than the facts: a started
    /// clock states a due instant or why it has none, and a stopped one is untimed exactly when
    /// it had no due instant.
    pub(crate) const fn is_consistent(&self) -> bool {
        match self {
            Self::ClockStarted { due, no_target, .. }
            | Self::UpdateClockStarted { due, no_target, .. } => {
                due.is_some() != no_target.is_some()
            }
            Self::ClockStopped { due, outcome, .. } => due.is_some() == outcome.had_target(),
            Self::InteractionRecorded { .. }
            | Self::AtRisk { .. }
            | Self::Overdue { .. }
            | Self::AwaitingCustomer { .. }
            | Self::UpdateAtRisk { .. }
            | Self::UpdateOverdue { .. } => true,
        }
    }

    /// The first schema version that can say it: 3 for a clock with no target or an untimed
    /// answer, 1 otherwise.
    pub(crate) const fn needs_version(&self) -> u16 {
        match self {
            Self::ClockStarted {
                no_target: Some(_), ..
            }
            | Self::ClockStopped {
                outcome: Outcome::Untimed,
                ..
            } => 3,
            Self::ClockStopped { due: None, .. }
            | Self::AwaitingCustomer { .. }
            | Self::UpdateClockStarted { .. }
            | Self::UpdateAtRisk { .. }
            | Self::UpdateOverdue { .. } => 3,
            Self::InteractionRecorded {
                regarding_complaints,
                ..
            } if !regarding_complaints.is_empty() => 3,
            Self::InteractionRecorded { .. }
            | Self::ClockStarted { .. }
            | Self::AtRisk { .. }
            | Self::Overdue { .. }
            | Self::ClockStopped { .. } => 1,
        }
    }

    /// The personal data it holds (see [`crate::personal`]), in a stable order: fields in
    /// declaration order, a map's values in key order. Part of the wire contract.
    pub(crate) fn personal_mut(&mut self) -> Vec<&mut Personal> {
        match self {
            Self::InteractionRecorded { summary, .. } => vec![summary],
            Self::ClockStarted { .. }
            | Self::AtRisk { .. }
            | Self::Overdue { .. }
            | Self::ClockStopped { .. }
            | Self::AwaitingCustomer { .. }
            | Self::UpdateClockStarted { .. }
            | Self::UpdateAtRisk { .. }
            | Self::UpdateOverdue { .. } => Vec::new(),
        }
    }
}
