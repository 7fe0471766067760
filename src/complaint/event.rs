use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::complaint::{
    ClockTerms, ComplaintClockKind, EscalationReason, Remaining, Retargeted, Unresolved,
};
use crate::id::{AgentId, ComplaintId, InteractionId, PartyId, PromiseId, TeamId};
use crate::outcome::Outcome;
use crate::personal::Personal;
use crate::policy::ReopenMode;
use crate::value::{Channel, Priority, Span, Text, Tier};

/// What happens in this family, as stored facts. The `type` tag on the wire is the kind
/// (see [`Event::kind`](crate::event::Event::kind)).
///
/// Exhaustive on purpose, like [`Event`](crate::event::Event): a service must handle every
/// fact it stores, so a new kind is a change the compiler points at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum ComplaintEvent {
    /// A customer complained; the acknowledgement and resolution clocks started.
    #[serde(rename = "complaint_received")]
    Received {
        /// Its id.
        complaint: ComplaintId,
        /// What about.
        summary: Personal,
        /// How severe.
        priority: Priority,
        /// Where it came in.
        channel: Channel,
        /// The customer's tier then.
        tier: Tier,
        /// Interactions it concerns.
        interactions: Vec<InteractionId>,
        /// Promises it concerns.
        promises: Vec<PromiseId>,
        /// The acknowledgement clock, as computed.
        acknowledgement: ClockTerms,
        /// The resolution clock, as computed.
        resolution: ClockTerms,
        /// The escalation clock of the first level, if it has a threshold.
        escalation: Option<ClockTerms>,
    },
    /// The customer was told we have the complaint.
    #[serde(rename = "complaint_acknowledged")]
    Acknowledged {
        /// The complaint.
        complaint: ComplaintId,
        /// Our agent who acknowledged it.
        by: AgentId,
        /// The acknowledgement target: met or met late.
        outcome: Outcome,
        /// Business time the acknowledgement target counted, from receipt (added in schema
        /// version 3; absent from older events and for a clock with no target). The
        /// acknowledgement is owed through a wait on the customer, so the wait counts.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        worked: Option<Span>,
    },
    /// The complaint has an owner.
    #[serde(rename = "complaint_assigned")]
    Assigned {
        /// The complaint.
        complaint: ComplaintId,
        /// Our agent who owns it.
        owner: AgentId,
    },
    /// The complaint went to a team's queue (added in schema version 3).
    #[serde(rename = "complaint_routed")]
    Routed {
        /// The complaint.
        complaint: ComplaintId,
        /// The team.
        team: TeamId,
        /// The team it left, if it was in a queue.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        from: Option<TeamId>,
    },
    /// One of the complaint's clocks reached its warning lead.
    #[serde(rename = "complaint_clock_at_risk")]
    ClockAtRisk {
        /// The complaint.
        complaint: ComplaintId,
        /// Which clock.
        clock: ComplaintClockKind,
        /// Its due instant.
        due: DateTime<Utc>,
        /// Who should act.
        owner: Option<AgentId>,
    },
    /// One of the complaint's clocks passed its due instant.
    #[serde(rename = "complaint_clock_breached")]
    ClockBreached {
        /// The complaint.
        complaint: ComplaintId,
        /// Which clock.
        clock: ComplaintClockKind,
        /// The due instant that passed.
        due: DateTime<Utc>,
        /// Who should act.
        owner: Option<AgentId>,
    },
    /// Escalation to the next support level is due.
    #[serde(rename = "escalation_due")]
    EscalationDue {
        /// The complaint.
        complaint: ComplaintId,
        /// Why.
        reason: EscalationReason,
        /// The level it is at.
        level: u32,
        /// Who should act.
        owner: Option<AgentId>,
    },
    /// The complaint moved up the support ladder.
    #[serde(rename = "complaint_escalated")]
    Escalated {
        /// The complaint.
        complaint: ComplaintId,
        /// The level before.
        from_level: u32,
        /// The level now.
        to_level: u32,
        /// The level's name in the policy then.
        level_name: Text,
        /// Our agent who owns it now.
        owner: AgentId,
        /// The new level's escalation clock, if it has a threshold.
        escalation: Option<ClockTerms>,
    },
    /// The complaint moved back down the support ladder (added in schema version 3).
    #[serde(rename = "complaint_deescalated")]
    Deescalated {
        /// The complaint.
        complaint: ComplaintId,
        /// The level before.
        from_level: u32,
        /// The level now, below it.
        to_level: u32,
        /// The level's name in the policy then.
        level_name: Text,
        /// Our agent who owns it now.
        owner: AgentId,
        /// Why it went back down.
        reason: Personal,
        /// The new level's escalation clock, if it has a threshold.
        escalation: Option<ClockTerms>,
    },
    /// We are waiting on the customer; pausable clocks stopped counting.
    #[serde(rename = "complaint_awaiting_customer")]
    AwaitingCustomer {
        /// The complaint.
        complaint: ComplaintId,
        /// Business time the resolution clock had left, if it paused.
        resolution: Option<Remaining>,
        /// Business time the escalation clock had left, if it paused.
        escalation: Option<Remaining>,
    },
    /// We wait on an outside party (a vendor, a lab, another team) about the complaint, or
    /// the party we wait on gave a new expected date (added in schema version 3). The wait
    /// pauses the resolution and escalation clocks only if the policy names the party
    /// (`ComplaintPolicy::pausing_parties`); by default it does not (seed 002).
    #[serde(rename = "complaint_awaiting_party")]
    AwaitingParty {
        /// The complaint.
        complaint: ComplaintId,
        /// The party.
        party: PartyId,
        /// The party's own expected date, if it gave one.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        expected: Option<DateTime<Utc>>,
        /// Whether the wait holds the resolution and escalation clocks.
        pauses: bool,
        /// For a new date from the party we wait on: whether it is later than a date not yet
        /// passed (a slip; a date that passed counted when it passed).
        slipped: bool,
        /// Business time the resolution clock had left, if this wait paused it.
        resolution: Option<Remaining>,
        /// Business time the escalation clock had left, if this wait paused it.
        escalation: Option<Remaining>,
    },
    /// The outside party's expected date passed while we still wait on it (added in schema
    /// version 3). Our owner should chase it: the flag names our owner, never the party.
    #[serde(rename = "complaint_party_late")]
    PartyLate {
        /// The complaint.
        complaint: ComplaintId,
        /// The party.
        party: PartyId,
        /// The expected date that passed.
        due: DateTime<Utc>,
        /// Our agent who should act.
        owner: Option<AgentId>,
    },
    /// The wait on an outside party ended: the party delivered, or the complaint was resolved
    /// or closed (added in schema version 3). The clocks the wait held run again, unless the
    /// customer's wait still holds them.
    #[serde(rename = "complaint_party_wait_ended")]
    PartyWaitEnded {
        /// The complaint.
        complaint: ComplaintId,
        /// The party.
        party: PartyId,
        /// Wall-clock time the wait lasted.
        waited: Span,
        /// Business time the held clocks were paused (not counted toward any target).
        paused: Span,
        /// The resolution clock's new terms, if it runs again.
        resolution: Option<ClockTerms>,
        /// The escalation clock's new terms, if it runs again.
        escalation: Option<ClockTerms>,
    },
    /// The customer answered; the paused clocks run again.
    #[serde(rename = "complaint_resumed")]
    Resumed {
        /// The complaint.
        complaint: ComplaintId,
        /// Business time the pause lasted (not counted toward any target).
        paused: Span,
        /// The resolution clock's new terms, if it was paused.
        resolution: Option<ClockTerms>,
        /// The escalation clock's new terms, if it was paused.
        escalation: Option<ClockTerms>,
    },
    /// The complaint was resolved.
    #[serde(rename = "complaint_resolved")]
    Resolved {
        /// The complaint.
        complaint: ComplaintId,
        /// Our agent who resolved it.
        by: AgentId,
        /// What we gave the customer.
        remedy: Option<Personal>,
        /// Whether we apologised.
        apology: bool,
        /// What was done.
        summary: Personal,
        /// The resolution target: met or met late.
        outcome: Outcome,
        /// For a complaint resolved without an acknowledgement: the acknowledgement target,
        /// met (the resolution came in time) or missed.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        acknowledgement: Option<Outcome>,
        /// Business time the resolution target counted, net of the waits on the customer
        /// that paused it and of the spans a reopen set aside (added in schema version 3;
        /// absent from older events and for a clock with no target): from receipt, or from
        /// the reopen that restarted the clock.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        worked: Option<Span>,
    },
    /// The complaint was closed.
    #[serde(rename = "complaint_closed")]
    Closed {
        /// The complaint.
        complaint: ComplaintId,
    },
    /// The complaint was closed without a resolution; its targets end not applicable (added
    /// in schema version 3).
    #[serde(rename = "complaint_closed_unresolved")]
    ClosedUnresolved {
        /// The complaint.
        complaint: ComplaintId,
        /// Why.
        reason: Unresolved,
    },
    /// The complaint's priority (and tier) changed, and its targets with them (added in
    /// schema version 3). Each clock still counting gets the new target, counted from receipt:
    /// what it worked stands, pauses stay excluded, a paused clock stays paused. The
    /// escalation clock is left alone (its threshold belongs to the support level). A clock's
    /// outcome is measured against the terms in force when it stops.
    #[serde(rename = "complaint_reprioritised")]
    Reprioritised {
        /// The complaint.
        complaint: ComplaintId,
        /// The priority before.
        from_priority: Priority,
        /// The priority now.
        priority: Priority,
        /// The tier its targets are read for now.
        tier: Tier,
        /// The acknowledgement clock's new terms, while the acknowledgement is owed.
        acknowledgement: Option<Retargeted>,
        /// The resolution clock's new terms.
        resolution: Retargeted,
    },
    /// The complaint was reopened.
    #[serde(rename = "complaint_reopened")]
    Reopened {
        /// The complaint.
        complaint: ComplaintId,
        /// Why.
        reason: Personal,
        /// What the policy said the reopen does to the resolution clock.
        mode: ReopenMode,
        /// The resolution cycle from now on.
        cycle: u32,
        /// The resolution clock from now on.
        resolution: ClockTerms,
        /// The escalation clock of its level, if the level has a threshold.
        escalation: Option<ClockTerms>,
    },
}

impl ComplaintEvent {
    /// The complaint it is about.
    ///
    /// ```
    /// # use clientele::{*, chrono::{TimeDelta, TimeZone, Utc}};
    /// # let (policy, monday) = (ServicePolicy::default(), Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap());
    /// # let mut ona = Relationship::new(CustomerId::from_u128(1)); ona.execute(&policy, RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?), monday)?;
    /// let late = ComplaintId::from_u128(3);
    /// let events = ona.execute(&policy, ReceiveComplaint::new(late, Channel::Phone, Text::new("Late")?), monday)?;
    /// let Event::Complaint(received) = &events[0].event else { return Err("a complaint event".into()) };
    /// assert_eq!(received.complaint(), late);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub const fn complaint(&self) -> ComplaintId {
        match self {
            Self::Received { complaint, .. }
            | Self::Acknowledged { complaint, .. }
            | Self::Assigned { complaint, .. }
            | Self::Routed { complaint, .. }
            | Self::AwaitingParty { complaint, .. }
            | Self::PartyLate { complaint, .. }
            | Self::PartyWaitEnded { complaint, .. }
            | Self::Reprioritised { complaint, .. }
            | Self::Deescalated { complaint, .. }
            | Self::ClosedUnresolved { complaint, .. }
            | Self::ClockAtRisk { complaint, .. }
            | Self::ClockBreached { complaint, .. }
            | Self::EscalationDue { complaint, .. }
            | Self::Escalated { complaint, .. }
            | Self::AwaitingCustomer { complaint, .. }
            | Self::Resumed { complaint, .. }
            | Self::Resolved { complaint, .. }
            | Self::Closed { complaint, .. }
            | Self::Reopened { complaint, .. } => *complaint,
        }
    }

    /// The kind, as the `type` tag on the wire.
    ///
    /// ```
    /// # use clientele::{*, chrono::{TimeDelta, TimeZone, Utc}};
    /// # let (policy, monday) = (ServicePolicy::default(), Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap());
    /// # let mut ona = Relationship::new(CustomerId::from_u128(1)); ona.execute(&policy, RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?), monday)?;
    /// let events = ona.execute(&policy, ReceiveComplaint::new(ComplaintId::from_u128(3), Channel::Phone, Text::new("Late")?), monday)?;
    /// let Event::Complaint(received) = &events[0].event else { return Err("a complaint event".into()) };
    /// assert_eq!(received.kind(), "complaint_received");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub const fn kind(&self) -> &'static str {
        match self {
            Self::Received { .. } => "complaint_received",
            Self::Acknowledged { .. } => "complaint_acknowledged",
            Self::Assigned { .. } => "complaint_assigned",
            Self::Routed { .. } => "complaint_routed",
            Self::ClockAtRisk { .. } => "complaint_clock_at_risk",
            Self::ClockBreached { .. } => "complaint_clock_breached",
            Self::EscalationDue { .. } => "escalation_due",
            Self::Escalated { .. } => "complaint_escalated",
            Self::Deescalated { .. } => "complaint_deescalated",
            Self::AwaitingCustomer { .. } => "complaint_awaiting_customer",
            Self::Resumed { .. } => "complaint_resumed",
            Self::Resolved { .. } => "complaint_resolved",
            Self::Closed { .. } => "complaint_closed",
            Self::Reopened { .. } => "complaint_reopened",
            Self::ClosedUnresolved { .. } => "complaint_closed_unresolved",
            Self::Reprioritised { .. } => "complaint_reprioritised",
            Self::AwaitingParty { .. } => "complaint_awaiting_party",
            Self::PartyLate { .. } => "complaint_party_late",
            Self::PartyWaitEnded { .. } => "complaint_party_wait_ended",
        }
    }

    /// Every set of clock terms it states.
    fn terms(&self) -> Vec<&ClockTerms> {
        match self {
            Self::Received {
                acknowledgement,
                resolution,
                escalation,
                ..
            } => [Some(acknowledgement), Some(resolution), escalation.as_ref()]
                .into_iter()
                .flatten()
                .collect(),
            Self::Escalated { escalation, .. } | Self::Deescalated { escalation, .. } => {
                escalation.iter().collect()
            }
            Self::Resumed {
                resolution,
                escalation,
                ..
            }
            | Self::PartyWaitEnded {
                resolution,
                escalation,
                ..
            } => resolution.iter().chain(escalation.iter()).collect(),
            Self::Reopened {
                resolution,
                escalation,
                ..
            } => std::iter::once(resolution)
                .chain(escalation.iter())
                .collect(),
            Self::Reprioritised {
                acknowledgement,
                resolution,
                ..
            } => acknowledgement
                .iter()
                .chain(std::iter::once(resolution))
                .map(|r| &r.terms)
                .collect(),
            Self::Acknowledged { .. }
            | Self::Assigned { .. }
            | Self::Routed { .. }
            | Self::ClockAtRisk { .. }
            | Self::ClockBreached { .. }
            | Self::EscalationDue { .. }
            | Self::AwaitingCustomer { .. }
            | Self::Resolved { .. }
            | Self::Closed { .. }
            | Self::ClosedUnresolved { .. }
            | Self::AwaitingParty { .. }
            | Self::PartyLate { .. } => Vec::new(),
        }
    }

    /// Whether every clock it states has a due instant or a reason for none, not both.
    pub(crate) fn is_consistent(&self) -> bool {
        self.terms().into_iter().all(ClockTerms::is_consistent)
    }

    /// The first schema version that can say it: 3 for a clock with no target, an untimed
    /// outcome or the business time worked, 1 otherwise.
    pub(crate) fn needs_version(&self) -> u16 {
        if let Self::Routed { .. }
        | Self::AwaitingParty { .. }
        | Self::PartyLate { .. }
        | Self::PartyWaitEnded { .. } = self
        {
            return 3;
        }
        let untimed = match self {
            Self::Acknowledged {
                outcome, worked, ..
            } => !outcome.had_target() || worked.is_some(),
            Self::Resolved {
                outcome,
                acknowledgement,
                worked,
                ..
            } => {
                !outcome.had_target()
                    || acknowledgement.is_some_and(|a| !a.had_target())
                    || worked.is_some()
            }
            Self::Received { .. }
            | Self::Assigned { .. }
            | Self::Routed { .. }
            | Self::ClockAtRisk { .. }
            | Self::ClockBreached { .. }
            | Self::EscalationDue { .. }
            | Self::Escalated { .. }
            | Self::Deescalated { .. }
            | Self::AwaitingCustomer { .. }
            | Self::Resumed { .. }
            | Self::Closed { .. }
            | Self::ClosedUnresolved { .. }
            | Self::Reprioritised { .. }
            | Self::AwaitingParty { .. }
            | Self::PartyLate { .. }
            | Self::PartyWaitEnded { .. }
            | Self::Reopened { .. } => false,
        };
        let without_target = self
            .terms()
            .into_iter()
            .any(|terms| terms.due.is_none() || terms.no_target.is_some());
        if untimed || without_target { 3 } else { 1 }
    }

    /// The personal data it holds (see [`crate::personal`]), in a stable order: fields in
    /// declaration order, a map's values in key order. Part of the wire contract.
    pub(crate) fn personal_mut(&mut self) -> Vec<&mut Personal> {
        match self {
            Self::Received { summary, .. } => vec![summary],
            Self::Reopened { reason, .. } | Self::Deescalated { reason, .. } => vec![reason],
            Self::Resolved {
                remedy, summary, ..
            } => remedy.iter_mut().chain(std::iter::once(summary)).collect(),
            Self::Acknowledged { .. }
            | Self::Assigned { .. }
            | Self::Routed { .. }
            | Self::ClockAtRisk { .. }
            | Self::ClockBreached { .. }
            | Self::EscalationDue { .. }
            | Self::Escalated { .. }
            | Self::AwaitingCustomer { .. }
            | Self::Resumed { .. }
            | Self::Closed { .. }
            | Self::ClosedUnresolved { .. }
            | Self::Reprioritised { .. }
            | Self::AwaitingParty { .. }
            | Self::PartyLate { .. }
            | Self::PartyWaitEnded { .. } => Vec::new(),
        }
    }
}
