//! Events: the facts the service stores. Past tense, tagged, inside a versioned [`Envelope`].
//!
//! The wire form is a contract: golden JSON fixtures of every event kind, for every published
//! schema version, live in `tests/fixtures/v<N>/` and are read back by `tests/wire.rs` on
//! every test run, forever. There is no catch-all variant: an event of an unknown kind, or of
//! a schema version this build does not know, is a [`DecodeError`] naming the kind and the
//! version, never skipped.
//!
//! # Reading stored events
//! [`Envelope::from_json`] (or `serde`'s `Deserialize`, which does the same) reads an envelope
//! of any published version and upcasts it to the current form: what was stored as version 1
//! comes back as the current [`Event`] with `v` set to [`SCHEMA_VERSION`]. Writing always
//! writes the current version. A service may rewrite its log in the current version at
//! leisure, or never.
//!
//! # Rules for changing an event
//! A log written today must replay in every later build. So:
//! 1. **Never change a published fixture.** `tests/fixtures/v<N>/` is frozen once released;
//!    the test never rewrites one.
//! 2. **Adding an optional field** (with `#[serde(default)]`, skipped when empty) is allowed
//!    within a version: old events read it as absent. Give it a meaning when absent.
//! 3. **Renaming, splitting, retyping or removing a field, or changing what a value means**
//!    needs a new schema version: bump [`SCHEMA_VERSION`], keep the old shape as a private
//!    struct in `src/upcast.rs` with a plain `From` conversion into the current [`Event`],
//!    route `(old version, kind)` to it in `upcast::event`, and add a `v<N+1>` fixture
//!    directory (`BLESS=1 cargo test --test wire` writes the new fixtures; review them).
//! 4. **A new kind** belongs to the version that introduces it: record it in [`Event::KINDS`]
//!    with that version, so older envelopes that claim it are refused as unknown.
//! 5. **Never reuse a kind's name** for a different fact, and never remove a kind: old logs
//!    still hold it.
//! 6. An upcast must be total and lossless for valid old events: a default for what was not
//!    recorded, never a guess that could change a measure.
//!
//! Version history: **1** the first published form. **2** `dependency_recorded`'s `what`
//! became `commitment` and gained `reference`; new kind `personal_data_erased`; envelopes
//! may carry an idempotency `key`.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

pub(crate) mod upcast;

use crate::complaint::{ClockTerms, ComplaintClockKind, EscalationReason, Remaining};
use crate::error::DecodeError;
use crate::follow_up::FollowUpOutcome;
use crate::response::{ClockKind, Elapsed, Outcome};
use crate::policy::ReopenMode;
use crate::promise::{AtRiskReason, Fulfiller, Notice, RevisionTiming};
use crate::survey::{SurveyAnswer, SurveyKind};
use crate::{
    AgentId, Channel, ComplaintId, CustomerId, Direction, FollowUpId, IdempotencyKey,
    InteractionId, PartyId, Personal, Priority, PromiseId, Span, SurveyId, Text, Tier,
};

/// The schema version this build writes. Envelopes of versions `1..=SCHEMA_VERSION` are read
/// and upcast to it.
pub const SCHEMA_VERSION: u16 = 2;

/// A stored event: which customer, its place in that customer's log, when it happened, and
/// the fact itself.
///
/// `seq` counts from 1 per customer with no gaps; replay checks it, so a lost or duplicated
/// event is found rather than silently folded.
///
/// Reading one checks its version and kind and upcasts an older form (see the module docs);
/// anything else is a typed [`DecodeError`]:
///
/// ```
/// use clientele::{DecodeError, Envelope};
///
/// let future = r#"{"v":99,"customer":"00000000-0000-0000-0000-00000000000a","seq":1,
///     "at":"2026-03-06T16:30:00Z","event":{"type":"customer_teleported"}}"#;
/// let error = Envelope::from_json(future).unwrap_err();
/// assert_eq!(
///     error,
///     DecodeError::UnsupportedVersion {
///         kind: Some("customer_teleported".into()),
///         version: 99,
///         supported: clientele::SCHEMA_VERSION,
///     }
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Envelope {
    /// Schema version of `event` (see [`SCHEMA_VERSION`]).
    pub v: u16,
    /// The customer (the partition key).
    pub customer: CustomerId,
    /// Position in the customer's log, from 1.
    pub seq: u64,
    /// When it happened. For a deadline that passed, the deadline itself, not the moment
    /// `advance_to` noticed it, so replay and live runs agree however often time was advanced.
    pub at: DateTime<Utc>,
    /// The fact.
    pub event: Event,
    /// The idempotency key of the request that caused it, if it carried one (see
    /// [`Request`](crate::Request)). Added in schema version 2; absent reads as none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<IdempotencyKey>,
}

impl Envelope {
    /// Reads a stored envelope from JSON, upcasting an older schema version.
    ///
    /// # Errors
    /// A [`DecodeError`]: not JSON or not an envelope, a schema version this build does not
    /// read, a kind unknown in the envelope's version (both named), or an event that does not
    /// fit its kind's schema.
    ///
    /// # Example
    /// ```
    /// use clientele::{Envelope, Event, SCHEMA_VERSION};
    ///
    /// // Stored by version 1, before `what` became `commitment`.
    /// let stored = r#"{"v":1,"customer":"00000000-0000-0000-0000-00000000000a","seq":7,
    ///     "at":"2026-03-06T16:30:00Z","event":{"type":"dependency_recorded",
    ///     "promise":"00000000-0000-0000-0000-000000000001",
    ///     "party":"00000000-0000-0000-0000-000000000002",
    ///     "what":"Lenses ground","due":"2026-03-11T12:00:00Z"}}"#;
    /// let envelope = Envelope::from_json(stored)?;
    /// assert_eq!(envelope.v, SCHEMA_VERSION);
    /// assert!(matches!(envelope.event, Event::DependencyRecorded { reference: None, .. }));
    /// # Ok::<(), clientele::DecodeError>(())
    /// ```
    pub fn from_json(json: &str) -> Result<Self, DecodeError> {
        let crate::event::upcast::Strict(value) =
            serde_json::from_str(json).map_err(|e| DecodeError::Malformed {
                reason: e.to_string(),
            })?;
        Self::from_value(value)
    }

    /// Reads a stored envelope from a JSON value, upcasting an older schema version. (A key
    /// given twice in one object, which [`from_json`](Self::from_json) refuses, is already
    /// gone from a `Value`.)
    ///
    /// # Errors
    /// As [`from_json`](Self::from_json).
    pub fn from_value(value: serde_json::Value) -> Result<Self, DecodeError> {
        crate::event::upcast::envelope(value)
    }

    /// Moves the event's personal data out, in a stable order, leaving every personal field
    /// erased: for a service that stores personal data apart from the log (externalised
    /// payloads, crypto-shredding; see [`crate::personal`]). Erased fields yield `None`.
    pub fn take_personal(&mut self) -> Vec<Option<Text>> {
        self.event
            .personal_mut()
            .into_iter()
            .map(Personal::take)
            .collect()
    }

    /// Puts back what [`take_personal`](Self::take_personal) moved out; `None` leaves a field
    /// erased (its payload was deleted, or its key destroyed).
    ///
    /// # Errors
    /// [`DecodeError::PersonalDataMismatch`] when `texts` does not have one entry per personal
    /// field of the event; the envelope is unchanged then.
    ///
    /// ```
    /// use clientele::{Envelope, Event, Personal, Text, SCHEMA_VERSION, CustomerId};
    /// use chrono::DateTime;
    ///
    /// let mut envelope = Envelope {
    ///     v: SCHEMA_VERSION,
    ///     customer: CustomerId::from_u128(1),
    ///     seq: 2,
    ///     at: DateTime::UNIX_EPOCH,
    ///     event: Event::CustomerRenamed { name: Text::new("Ona")?.into() },
    ///     key: None,
    /// };
    /// let payload = envelope.take_personal(); // store it apart, encrypted
    /// assert!(serde_json::to_string(&envelope)?.contains(r#"{"erased":true}"#));
    /// envelope.restore_personal(payload)?;
    /// assert_eq!(envelope.event, Event::CustomerRenamed { name: Text::new("Ona")?.into() });
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn restore_personal(&mut self, texts: Vec<Option<Text>>) -> Result<(), DecodeError> {
        let kind = self.event.kind();
        let mut fields = self.event.personal_mut();
        if fields.len() != texts.len() {
            return Err(DecodeError::PersonalDataMismatch {
                kind,
                expected: fields.len(),
                found: texts.len(),
            });
        }
        for (field, text) in fields.iter_mut().zip(texts) {
            **field = text.map_or_else(Personal::erased, Personal::new);
        }
        Ok(())
    }
}

impl<'de> Deserialize<'de> for Envelope {
    /// Reads through a JSON value, so it accepts what [`Envelope::from_json`] accepts; it needs a
    /// self-describing format.
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let crate::event::upcast::Strict(value) = crate::event::upcast::Strict::deserialize(deserializer)?;
        Self::from_value(value).map_err(serde::de::Error::custom)
    }
}

/// Everything that can happen to a relationship.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum Event {
    /// A customer was registered.
    CustomerRegistered {
        /// Display name.
        name: Personal,
        /// Tier, as the policy names it.
        tier: Tier,
        /// Addresses per channel.
        #[serde(default)]
        contacts: BTreeMap<Channel, Personal>,
        /// The channel the customer prefers to be contacted on.
        #[serde(default)]
        preferred_channel: Option<Channel>,
        /// The agent who owns the account (receives response flags).
        #[serde(default)]
        owner: Option<AgentId>,
    },
    /// The customer's display name changed.
    CustomerRenamed {
        /// The new name.
        name: Personal,
    },
    /// The customer moved to another tier. Clocks already running keep their targets.
    TierChanged {
        /// The new tier.
        tier: Tier,
    },
    /// An address on a channel was added or replaced.
    ContactPointSet {
        /// The channel.
        channel: Channel,
        /// The address.
        address: Personal,
    },
    /// The address on a channel was removed.
    ContactPointRemoved {
        /// The channel.
        channel: Channel,
    },
    /// The preferred channel was set or cleared.
    PreferredChannelSet {
        /// The channel, or none.
        channel: Option<Channel>,
    },
    /// The account owner was set or cleared.
    AccountOwnerSet {
        /// The agent, or none.
        owner: Option<AgentId>,
    },
    /// An interaction happened.
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
    },
    /// The customer started waiting for an answer.
    ResponseClockStarted {
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
        /// When the answer is due.
        due: DateTime<Utc>,
        /// When the warning is due, if any.
        warn_at: Option<DateTime<Utc>>,
    },
    /// The warning lead before the response deadline was reached with no answer.
    ResponseAtRisk {
        /// The inbound interaction waiting.
        since: InteractionId,
        /// When the answer is due.
        due: DateTime<Utc>,
    },
    /// The response deadline passed with no answer.
    ResponseOverdue {
        /// The inbound interaction waiting.
        since: InteractionId,
        /// The deadline that passed.
        due: DateTime<Utc>,
    },
    /// We answered: the response clock stopped.
    ResponseClockStopped {
        /// First response or reply.
        kind: ClockKind,
        /// The inbound interaction that started the wait.
        since: InteractionId,
        /// The outbound interaction that answered.
        answered_by: InteractionId,
        /// The target it had.
        target: Span,
        /// When the answer was due.
        due: DateTime<Utc>,
        /// How long the customer waited.
        waited: Elapsed,
        /// Met, or met late.
        outcome: Outcome,
    },
    /// A promise was made to the customer.
    PromiseMade {
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
    PromiseAtRisk {
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
    PromiseBroken {
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
    PromiseRevised {
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
    PromiseSlippedRepeatedly {
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
    PromiseKept {
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
    PromiseWithdrawn {
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
    DependencyMet {
        /// The promise.
        promise: PromiseId,
        /// The party.
        party: PartyId,
        /// On time, or late by how much.
        outcome: Outcome,
    },
    /// A customer complained; the acknowledgement and resolution clocks started.
    ComplaintReceived {
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
    ComplaintAcknowledged {
        /// The complaint.
        complaint: ComplaintId,
        /// Our agent who acknowledged it.
        by: AgentId,
        /// The acknowledgement target: met or met late.
        outcome: Outcome,
    },
    /// The complaint has an owner.
    ComplaintAssigned {
        /// The complaint.
        complaint: ComplaintId,
        /// Our agent who owns it.
        owner: AgentId,
    },
    /// One of the complaint's clocks reached its warning lead.
    ComplaintClockAtRisk {
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
    ComplaintClockBreached {
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
    ComplaintEscalated {
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
    /// We are waiting on the customer; pausable clocks stopped counting.
    ComplaintAwaitingCustomer {
        /// The complaint.
        complaint: ComplaintId,
        /// Business time the resolution clock had left, if it paused.
        resolution: Option<Remaining>,
        /// Business time the escalation clock had left, if it paused.
        escalation: Option<Remaining>,
    },
    /// The customer answered; the paused clocks run again.
    ComplaintResumed {
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
    ComplaintResolved {
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
    },
    /// The complaint was closed.
    ComplaintClosed {
        /// The complaint.
        complaint: ComplaintId,
    },
    /// The complaint was reopened.
    ComplaintReopened {
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
    /// A follow-up contact was scheduled.
    FollowUpScheduled {
        /// Its id.
        follow_up: FollowUpId,
        /// Our agent who owns it.
        owner: AgentId,
        /// When it is due.
        due: DateTime<Utc>,
        /// Why.
        reason: Personal,
        /// The complaint it follows up.
        complaint: Option<ComplaintId>,
    },
    /// A follow-up was not done by its due instant.
    FollowUpOverdue {
        /// The follow-up.
        follow_up: FollowUpId,
        /// Our agent who owns it.
        owner: AgentId,
        /// The due instant that passed.
        due: DateTime<Utc>,
    },
    /// A follow-up was done.
    FollowUpCompleted {
        /// The follow-up.
        follow_up: FollowUpId,
        /// What it found.
        outcome: FollowUpOutcome,
        /// A note.
        note: Option<Personal>,
        /// On time or late.
        timing: Outcome,
    },
    /// A follow-up is no longer needed.
    FollowUpCancelled {
        /// The follow-up.
        follow_up: FollowUpId,
        /// Why.
        reason: Personal,
    },
    /// A survey was sent.
    SurveyRequested {
        /// Its id.
        survey: SurveyId,
        /// Which question.
        kind: SurveyKind,
        /// The complaint whose resolution it asks about.
        complaint: Option<ComplaintId>,
    },
    /// The customer answered.
    SurveyAnswered {
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
    SurveyVoided {
        /// The survey.
        survey: SurveyId,
        /// Why.
        reason: Personal,
    },
    /// The relationship's health fell into the at-risk band: it is going bad, whether or not
    /// the customer ever complained.
    RelationshipAtRisk {
        /// The score, 0 to 100.
        score: u8,
        /// The signals that weighed most, worst first.
        reasons: Vec<crate::Signal>,
    },
    /// The relationship's health left the at-risk band.
    RelationshipRecovered {
        /// The score, 0 to 100.
        score: u8,
    },
    /// The customer's personal data was erased from the relationship. Folding this event
    /// erases it again, so a replay never brings it back; it carries no personal data itself.
    PersonalDataErased {
        /// How many pieces of personal data the state held and lost.
        fields: u32,
    },
}

impl Event {
    /// Every kind, as its `type` tag on the wire, with the schema version that introduced it.
    pub const KINDS: [(&'static str, u16); 44] = [
        ("customer_registered", 1),
        ("customer_renamed", 1),
        ("tier_changed", 1),
        ("contact_point_set", 1),
        ("contact_point_removed", 1),
        ("preferred_channel_set", 1),
        ("account_owner_set", 1),
        ("interaction_recorded", 1),
        ("response_clock_started", 1),
        ("response_at_risk", 1),
        ("response_overdue", 1),
        ("response_clock_stopped", 1),
        ("promise_made", 1),
        ("promise_at_risk", 1),
        ("promise_broken", 1),
        ("promise_revised", 1),
        ("promise_slipped_repeatedly", 1),
        ("promise_kept", 1),
        ("promise_withdrawn", 1),
        ("dependency_recorded", 1),
        ("dependency_late", 1),
        ("dependency_met", 1),
        ("complaint_received", 1),
        ("complaint_acknowledged", 1),
        ("complaint_assigned", 1),
        ("complaint_clock_at_risk", 1),
        ("complaint_clock_breached", 1),
        ("escalation_due", 1),
        ("complaint_escalated", 1),
        ("complaint_awaiting_customer", 1),
        ("complaint_resumed", 1),
        ("complaint_resolved", 1),
        ("complaint_closed", 1),
        ("complaint_reopened", 1),
        ("follow_up_scheduled", 1),
        ("follow_up_overdue", 1),
        ("follow_up_completed", 1),
        ("follow_up_cancelled", 1),
        ("survey_requested", 1),
        ("survey_answered", 1),
        ("survey_voided", 1),
        ("relationship_at_risk", 1),
        ("relationship_recovered", 1),
        ("personal_data_erased", 2),
    ];

    /// The schema version that introduced `kind`, if it is a kind at all.
    #[must_use]
    pub fn introduced_in(kind: &str) -> Option<u16> {
        Self::KINDS
            .iter()
            .find(|(known, _)| *known == kind)
            .map(|(_, version)| *version)
    }

    /// The event's personal data (see [`crate::personal`]), in a stable order: fields in
    /// declaration order, a map's values in key order. Part of the wire contract, like the
    /// fields themselves.
    pub fn personal_mut(&mut self) -> Vec<&mut Personal> {
        match self {
            Event::CustomerRegistered { name, contacts, .. } => {
                let mut fields = vec![name];
                fields.extend(contacts.values_mut());
                fields
            }
            Event::CustomerRenamed { name } => vec![name],
            Event::ContactPointSet { address, .. } => vec![address],
            Event::InteractionRecorded { summary, .. }
            | Event::ComplaintReceived { summary, .. } => vec![summary],
            Event::PromiseMade { what, .. } => vec![what],
            Event::PromiseRevised { reason, .. }
            | Event::PromiseWithdrawn { reason, .. }
            | Event::ComplaintReopened { reason, .. }
            | Event::FollowUpScheduled { reason, .. }
            | Event::FollowUpCancelled { reason, .. }
            | Event::SurveyVoided { reason, .. } => vec![reason],
            Event::DependencyRecorded { commitment, .. } => vec![commitment],
            Event::ComplaintResolved {
                remedy, summary, ..
            } => remedy.iter_mut().chain(std::iter::once(summary)).collect(),
            Event::FollowUpCompleted { note, .. } => note.iter_mut().collect(),
            Event::SurveyAnswered { comment, .. } => comment.iter_mut().collect(),
            Event::TierChanged { .. }
            | Event::ContactPointRemoved { .. }
            | Event::PreferredChannelSet { .. }
            | Event::AccountOwnerSet { .. }
            | Event::ResponseClockStarted { .. }
            | Event::ResponseAtRisk { .. }
            | Event::ResponseOverdue { .. }
            | Event::ResponseClockStopped { .. }
            | Event::PromiseAtRisk { .. }
            | Event::PromiseBroken { .. }
            | Event::PromiseSlippedRepeatedly { .. }
            | Event::PromiseKept { .. }
            | Event::DependencyLate { .. }
            | Event::DependencyMet { .. }
            | Event::ComplaintAcknowledged { .. }
            | Event::ComplaintAssigned { .. }
            | Event::ComplaintClockAtRisk { .. }
            | Event::ComplaintClockBreached { .. }
            | Event::EscalationDue { .. }
            | Event::ComplaintEscalated { .. }
            | Event::ComplaintAwaitingCustomer { .. }
            | Event::ComplaintResumed { .. }
            | Event::ComplaintClosed { .. }
            | Event::FollowUpOverdue { .. }
            | Event::SurveyRequested { .. }
            | Event::RelationshipAtRisk { .. }
            | Event::RelationshipRecovered { .. }
            | Event::PersonalDataErased { .. } => Vec::new(),
        }
    }

    /// The event's kind, as its `type` tag on the wire.
    #[must_use]
    pub const fn kind(&self) -> &'static str {
        match self {
            Event::CustomerRegistered { .. } => "customer_registered",
            Event::CustomerRenamed { .. } => "customer_renamed",
            Event::TierChanged { .. } => "tier_changed",
            Event::ContactPointSet { .. } => "contact_point_set",
            Event::ContactPointRemoved { .. } => "contact_point_removed",
            Event::PreferredChannelSet { .. } => "preferred_channel_set",
            Event::AccountOwnerSet { .. } => "account_owner_set",
            Event::InteractionRecorded { .. } => "interaction_recorded",
            Event::ResponseClockStarted { .. } => "response_clock_started",
            Event::ResponseAtRisk { .. } => "response_at_risk",
            Event::ResponseOverdue { .. } => "response_overdue",
            Event::ResponseClockStopped { .. } => "response_clock_stopped",
            Event::PromiseMade { .. } => "promise_made",
            Event::PromiseAtRisk { .. } => "promise_at_risk",
            Event::PromiseBroken { .. } => "promise_broken",
            Event::PromiseRevised { .. } => "promise_revised",
            Event::PromiseSlippedRepeatedly { .. } => "promise_slipped_repeatedly",
            Event::PromiseKept { .. } => "promise_kept",
            Event::PromiseWithdrawn { .. } => "promise_withdrawn",
            Event::DependencyRecorded { .. } => "dependency_recorded",
            Event::DependencyLate { .. } => "dependency_late",
            Event::DependencyMet { .. } => "dependency_met",
            Event::ComplaintReceived { .. } => "complaint_received",
            Event::ComplaintAcknowledged { .. } => "complaint_acknowledged",
            Event::ComplaintAssigned { .. } => "complaint_assigned",
            Event::ComplaintClockAtRisk { .. } => "complaint_clock_at_risk",
            Event::ComplaintClockBreached { .. } => "complaint_clock_breached",
            Event::EscalationDue { .. } => "escalation_due",
            Event::ComplaintEscalated { .. } => "complaint_escalated",
            Event::ComplaintAwaitingCustomer { .. } => "complaint_awaiting_customer",
            Event::ComplaintResumed { .. } => "complaint_resumed",
            Event::ComplaintResolved { .. } => "complaint_resolved",
            Event::ComplaintClosed { .. } => "complaint_closed",
            Event::ComplaintReopened { .. } => "complaint_reopened",
            Event::FollowUpScheduled { .. } => "follow_up_scheduled",
            Event::FollowUpOverdue { .. } => "follow_up_overdue",
            Event::FollowUpCompleted { .. } => "follow_up_completed",
            Event::FollowUpCancelled { .. } => "follow_up_cancelled",
            Event::SurveyRequested { .. } => "survey_requested",
            Event::SurveyAnswered { .. } => "survey_answered",
            Event::SurveyVoided { .. } => "survey_voided",
            Event::RelationshipAtRisk { .. } => "relationship_at_risk",
            Event::RelationshipRecovered { .. } => "relationship_recovered",
            Event::PersonalDataErased { .. } => "personal_data_erased",
        }
    }
}
