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
//!    struct in `src/event/upcast.rs` with a plain `From` conversion into the current
//!    [`Event`], route `(old version, kind)` to it in both readers (`upcast::event` for
//!    [`Envelope::from_value`], and the event step of `src/event/decode.rs` for
//!    [`Envelope::from_json`]; `tests/decoding.rs` checks that they agree), and add a `v<N+1>`
//!    fixture directory (`BLESS=1 cargo test --test wire` writes the new fixtures; review
//!    them).
//! 4. **A new kind** belongs to the version that introduces it: record it in [`Event::KINDS`]
//!    with that version, so older envelopes that claim it are refused as unknown.
//! 5. **Never reuse a kind's name** for a different fact, and never remove a kind: old logs
//!    still hold it.
//! 6. An upcast must be total and lossless for valid old events: a default for what was not
//!    recorded, never a guess that could change a measure.
//! 7. **No event nests deeper than 16 levels** (the event object counts as 1; the reader
//!    refuses deeper ones before serde buffers them, and unknown fields count). Events today
//!    nest at most 3, so fields added within a version have room; a field that would nest
//!    deeper needs `MAX_EVENT_NESTING` in `src/event/decode.rs` raised first, in a release
//!    before the one that writes it.
//!
//! Version history: **1** the first published form. **2** `dependency_recorded`'s `what`
//! became `commitment` and gained `reference`; new kind `personal_data_erased`; envelopes
//! may carry an idempotency `key`. **3** recording a fact never depends on computing a
//! deadline: a clock whose deadline cannot be computed (its calendar is not in the policy,
//! has no working time left, or cannot represent the deadline) starts with no target. Where a
//! clock starts or runs again (`response_clock_started`, the clock terms of
//! `complaint_received`, `complaint_escalated`, `complaint_resumed`, `complaint_reopened`,
//! and `follow_up_scheduled`) the `due` instant is then absent and `no_target` says why
//! (`{"reason":"unknown_calendar","name":..}`, `{"reason":"no_working_time"}`,
//! `{"reason":"out_of_range"}`); exactly one of the two is present. An answer to such a clock
//! has the outcome `{"status":"untimed"}`, and `response_clock_stopped` then has no `due`.
//! The change is additive: an event with a target writes exactly what version 2 wrote, so a
//! version 2 event is read through the current types unchanged (no upcast struct is needed),
//! and a version 2 envelope that claims what only version 3 can say (`no_target`, an untimed
//! outcome, a missing `due`) is refused as [`DecodeError::Invalid`]. Version 3 also lets an
//! envelope say when a fact reported late was recorded (`recorded`, present only when later
//! than `at`), and a `response_clock_started` dated before the running wait's start
//! re-anchors that wait (see [`crate::relationship`]); a version 2 envelope with `recorded`
//! is refused likewise.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

mod decode;
pub(crate) mod upcast;

use crate::complaint::ComplaintEvent;
use crate::customer::CustomerEvent;
use crate::error::DecodeError;
use crate::follow_up::FollowUpEvent;
use crate::health::HealthEvent;
use crate::id::CustomerId;
use crate::personal::Personal;
use crate::promise::PromiseEvent;
use crate::response::ResponseEvent;
use crate::survey::SurveyEvent;
use crate::value::{IdempotencyKey, Text};

/// The schema version this build writes. Envelopes of versions `1..=SCHEMA_VERSION` are read
/// and upcast to it.
pub const SCHEMA_VERSION: u16 = 3;

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
    /// Every fold, outcome and measure uses this time.
    pub at: DateTime<Utc>,
    /// When it was recorded, present only when later than `at`: a fact reported late (see
    /// [`Request::occurred_at`](crate::Request::occurred_at)). Absent, the fact was recorded
    /// when it happened. Recording times (`recorded`, else `at`) never decrease within a
    /// customer's log; `at` may be earlier than facts recorded before it. Added in schema
    /// version 3; absent reads as none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recorded: Option<DateTime<Utc>>,
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
    /// use clientele::{Envelope, Event, PromiseEvent, SCHEMA_VERSION};
    ///
    /// // Stored by version 1, before `what` became `commitment`.
    /// let stored = r#"{"v":1,"customer":"00000000-0000-0000-0000-00000000000a","seq":7,
    ///     "at":"2026-03-06T16:30:00Z","event":{"type":"dependency_recorded",
    ///     "promise":"00000000-0000-0000-0000-000000000001",
    ///     "party":"00000000-0000-0000-0000-000000000002",
    ///     "what":"Lenses ground","due":"2026-03-11T12:00:00Z"}}"#;
    /// let envelope = Envelope::from_json(stored)?;
    /// assert_eq!(envelope.v, SCHEMA_VERSION);
    /// assert!(matches!(envelope.event, Event::Promise(PromiseEvent::DependencyRecorded { reference: None, .. })));
    /// # Ok::<(), clientele::DecodeError>(())
    /// ```
    pub fn from_json(json: &str) -> Result<Self, DecodeError> {
        crate::event::decode::from_str(json)
    }

    /// Reads a stored envelope from a JSON value, upcasting an older schema version. (A key
    /// given twice in one object, which [`from_json`](Self::from_json) refuses, is already
    /// gone from a `Value`.)
    ///
    /// # Errors
    /// As [`from_json`](Self::from_json).
    ///
    /// ```
    /// use clientele::{DecodeError, Envelope};
    ///
    /// let mut stored = serde_json::json!({"v": 3, "customer": "00000000-0000-0000-0000-000000000001",
    ///     "seq": 2, "at": "2026-03-06T16:30:00Z", "event": {"type": "customer_renamed", "name": "Ona"}});
    /// assert_eq!(Envelope::from_value(stored.clone())?.seq, 2);
    /// stored["v"] = 99.into();
    /// assert!(matches!(Envelope::from_value(stored), Err(DecodeError::UnsupportedVersion { .. })));
    /// # Ok::<(), DecodeError>(())
    /// ```
    pub fn from_value(value: serde_json::Value) -> Result<Self, DecodeError> {
        crate::event::upcast::envelope(value)
    }

    /// When the fact was recorded: [`recorded`](Self::recorded), else [`at`](Self::at). This
    /// is the time that never decreases within a customer's log.
    ///
    /// ```
    /// use clientele::Envelope;
    ///
    /// let late = Envelope::from_json(r#"{"v":3,"customer":"00000000-0000-0000-0000-000000000001",
    ///     "seq":2,"at":"2026-03-06T10:00:00Z","recorded":"2026-03-06T11:00:00Z",
    ///     "event":{"type":"customer_renamed","name":"Ona"}}"#)?;
    /// assert_eq!(late.recorded_at().to_rfc3339(), "2026-03-06T11:00:00+00:00");
    /// # Ok::<(), clientele::DecodeError>(())
    /// ```
    #[must_use]
    pub fn recorded_at(&self) -> DateTime<Utc> {
        self.recorded.unwrap_or(self.at)
    }

    /// Moves the event's personal data out, in a stable order, leaving every personal field
    /// erased: for a service that stores personal data apart from the log (externalised
    /// payloads, crypto-shredding; see [`crate::personal`]). Erased fields yield `None`.
    ///
    /// ```
    /// use clientele::{Envelope, Text};
    ///
    /// let mut renamed = Envelope::from_json(r#"{"v":3,"customer":"00000000-0000-0000-0000-000000000001",
    ///     "seq":2,"at":"2026-03-06T10:00:00Z","event":{"type":"customer_renamed","name":"Ona"}}"#)?;
    /// assert_eq!(renamed.take_personal(), [Some(Text::new("Ona")?)]);
    /// assert_eq!(renamed.take_personal(), [None]); // erased now
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
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
    /// use clientele::{Envelope, Event, CustomerEvent, Personal, Text, SCHEMA_VERSION, CustomerId};
    /// use chrono::DateTime;
    ///
    /// let mut envelope = Envelope {
    ///     v: SCHEMA_VERSION,
    ///     customer: CustomerId::from_u128(1),
    ///     seq: 2,
    ///     at: DateTime::UNIX_EPOCH,
    ///     event: Event::Customer(CustomerEvent::Renamed { name: Text::new("Ona")?.into() }),
    ///     key: None,
    ///     recorded: None,
    /// };
    /// let payload = envelope.take_personal(); // store it apart, encrypted
    /// assert!(serde_json::to_string(&envelope)?.contains(r#"{"erased":true}"#));
    /// envelope.restore_personal(payload)?;
    /// assert_eq!(envelope.event, Event::Customer(CustomerEvent::Renamed { name: Text::new("Ona")?.into() }));
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
    /// Reads as [`Envelope::from_json`] does, so it accepts what that accepts; it needs one of
    /// serde_json's deserializers (text, bytes, a reader or a `Value`), which can hand over the
    /// event's raw JSON.
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        crate::event::decode::deserialize(deserializer)
    }
}

/// Everything that can happen to a relationship: one arm per lifecycle family.
///
/// Not `#[non_exhaustive]`, on purpose: a service must handle every fact it stores, so a new
/// family is a breaking change the compiler points at. The JSON form is flat
/// (`{"type": "promise_made", ...}`): the family is found from the kind through
/// [`Event::KINDS`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Event {
    /// The customer's profile: registration, name, tier, contacts, owner, erasure.
    Customer(CustomerEvent),
    /// Interactions and the response clock.
    Response(ResponseEvent),
    /// Promises and the outside parties behind them.
    Promise(PromiseEvent),
    /// Complaints, their target clocks and escalation.
    Complaint(ComplaintEvent),
    /// Follow-ups.
    FollowUp(FollowUpEvent),
    /// Surveys (CSAT, NPS).
    Survey(SurveyEvent),
    /// Relationship health bands.
    Health(HealthEvent),
}

/// A lifecycle family: which arm of [`Event`] (and of [`Command`](crate::Command)) a kind
/// belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Family {
    /// [`CustomerEvent`].
    Customer,
    /// [`ResponseEvent`].
    Response,
    /// [`PromiseEvent`].
    Promise,
    /// [`ComplaintEvent`].
    Complaint,
    /// [`FollowUpEvent`].
    FollowUp,
    /// [`SurveyEvent`].
    Survey,
    /// [`HealthEvent`].
    Health,
}

/// One row of the kinds table: an event kind as its `type` tag on the wire, the family it
/// belongs to, and the schema version that introduced it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Kind {
    /// The `type` tag.
    pub name: &'static str,
    /// The family whose events carry it.
    pub family: Family,
    /// The schema version that introduced it.
    pub since: u16,
}

impl Kind {
    const fn new(name: &'static str, family: Family, since: u16) -> Self {
        Self {
            name,
            family,
            since,
        }
    }
}

impl Event {
    /// Every kind: its `type` tag on the wire, its family, and the schema version that
    /// introduced it. Reading an event finds its family here, never from the tag's spelling
    /// (`escalation_due` is a complaint's, `dependency_met` a promise's).
    pub const KINDS: [Kind; 56] = [
        Kind::new("customer_registered", Family::Customer, 1),
        Kind::new("customer_renamed", Family::Customer, 1),
        Kind::new("tier_changed", Family::Customer, 1),
        Kind::new("contact_point_set", Family::Customer, 1),
        Kind::new("contact_point_removed", Family::Customer, 1),
        Kind::new("preferred_channel_set", Family::Customer, 1),
        Kind::new("account_owner_set", Family::Customer, 1),
        Kind::new("interaction_recorded", Family::Response, 1),
        Kind::new("response_clock_started", Family::Response, 1),
        Kind::new("response_at_risk", Family::Response, 1),
        Kind::new("response_overdue", Family::Response, 1),
        Kind::new("response_clock_stopped", Family::Response, 1),
        Kind::new("promise_made", Family::Promise, 1),
        Kind::new("promise_at_risk", Family::Promise, 1),
        Kind::new("promise_broken", Family::Promise, 1),
        Kind::new("promise_revised", Family::Promise, 1),
        Kind::new("promise_slipped_repeatedly", Family::Promise, 1),
        Kind::new("promise_kept", Family::Promise, 1),
        Kind::new("promise_withdrawn", Family::Promise, 1),
        Kind::new("dependency_recorded", Family::Promise, 1),
        Kind::new("dependency_late", Family::Promise, 1),
        Kind::new("dependency_met", Family::Promise, 1),
        Kind::new("complaint_received", Family::Complaint, 1),
        Kind::new("complaint_acknowledged", Family::Complaint, 1),
        Kind::new("complaint_assigned", Family::Complaint, 1),
        Kind::new("complaint_clock_at_risk", Family::Complaint, 1),
        Kind::new("complaint_clock_breached", Family::Complaint, 1),
        Kind::new("escalation_due", Family::Complaint, 1),
        Kind::new("complaint_escalated", Family::Complaint, 1),
        Kind::new("complaint_awaiting_customer", Family::Complaint, 1),
        Kind::new("complaint_resumed", Family::Complaint, 1),
        Kind::new("complaint_resolved", Family::Complaint, 1),
        Kind::new("complaint_closed", Family::Complaint, 1),
        Kind::new("complaint_reopened", Family::Complaint, 1),
        Kind::new("follow_up_scheduled", Family::FollowUp, 1),
        Kind::new("follow_up_overdue", Family::FollowUp, 1),
        Kind::new("follow_up_completed", Family::FollowUp, 1),
        Kind::new("follow_up_cancelled", Family::FollowUp, 1),
        Kind::new("survey_requested", Family::Survey, 1),
        Kind::new("survey_answered", Family::Survey, 1),
        Kind::new("survey_voided", Family::Survey, 1),
        Kind::new("relationship_at_risk", Family::Health, 1),
        Kind::new("relationship_recovered", Family::Health, 1),
        Kind::new("personal_data_erased", Family::Customer, 2),
        Kind::new("complaint_deescalated", Family::Complaint, 3),
        Kind::new("complaint_closed_unresolved", Family::Complaint, 3),
        Kind::new("update_clock_started", Family::Response, 3),
        Kind::new("update_at_risk", Family::Response, 3),
        Kind::new("update_overdue", Family::Response, 3),
        Kind::new("complaint_routed", Family::Complaint, 3),
        Kind::new("complaint_reprioritised", Family::Complaint, 3),
        Kind::new("response_awaiting_customer", Family::Response, 3),
        Kind::new("relationship_gone_quiet", Family::Health, 3),
        Kind::new("complaint_awaiting_party", Family::Complaint, 3),
        Kind::new("complaint_party_late", Family::Complaint, 3),
        Kind::new("complaint_party_wait_ended", Family::Complaint, 3),
    ];

    /// The row of [`KINDS`](Self::KINDS) for `kind`, if it is a kind at all.
    ///
    /// ```
    /// use clientele::Event;
    /// use clientele::event::Family;
    ///
    /// let row = Event::kind_of("promise_broken").ok_or("a kind")?;
    /// assert_eq!((row.family, row.since), (Family::Promise, 1));
    /// assert_eq!(Event::kind_of("promise_forgotten"), None);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn kind_of(kind: &str) -> Option<Kind> {
        Self::KINDS.iter().find(|known| known.name == kind).copied()
    }

    /// The schema version that introduced `kind`, if it is a kind at all.
    ///
    /// ```
    /// use clientele::Event;
    ///
    /// assert_eq!(Event::introduced_in("customer_registered"), Some(1));
    /// assert_eq!(Event::introduced_in("complaint_routed"), Some(3));
    /// assert_eq!(Event::introduced_in("no_such_event"), None);
    /// ```
    #[must_use]
    pub fn introduced_in(kind: &str) -> Option<u16> {
        Self::kind_of(kind).map(|known| known.since)
    }

    /// The event's personal data (see [`crate::personal`]), in a stable order: fields in
    /// declaration order, a map's values in key order. Part of the wire contract, like the
    /// fields themselves.
    ///
    /// ```
    /// use clientele::{CustomerEvent, Event, Text};
    ///
    /// let mut renamed = Event::Customer(CustomerEvent::Renamed { name: Text::new("Ona")?.into() });
    /// // Erasing in a stored event: blank every piece of personal data it carries.
    /// for field in renamed.personal_mut() {
    ///     field.erase();
    /// }
    /// assert!(renamed.personal_mut().iter().all(|field| field.is_erased()));
    /// # Ok::<(), clientele::ValueError>(())
    /// ```
    pub fn personal_mut(&mut self) -> Vec<&mut Personal> {
        match self {
            Event::Customer(event) => event.personal_mut(),
            Event::Response(event) => event.personal_mut(),
            Event::Promise(event) => event.personal_mut(),
            Event::Complaint(event) => event.personal_mut(),
            Event::FollowUp(event) => event.personal_mut(),
            Event::Survey(event) => event.personal_mut(),
            Event::Health(event) => event.personal_mut(),
        }
    }

    /// The event's kind, as its `type` tag on the wire.
    ///
    /// ```
    /// use clientele::{CustomerEvent, Event, Text};
    ///
    /// let renamed = Event::Customer(CustomerEvent::Renamed { name: Text::new("Ona")?.into() });
    /// assert_eq!(renamed.kind(), "customer_renamed");
    /// # Ok::<(), clientele::ValueError>(())
    /// ```
    #[must_use]
    pub const fn kind(&self) -> &'static str {
        match self {
            Event::Customer(event) => event.kind(),
            Event::Response(event) => event.kind(),
            Event::Promise(event) => event.kind(),
            Event::Complaint(event) => event.kind(),
            Event::FollowUp(event) => event.kind(),
            Event::Survey(event) => event.kind(),
            Event::Health(event) => event.kind(),
        }
    }

    /// Checks what the types allow and the facts do not, for an event read from schema
    /// version `v`: every clock states a due instant or why it has none (not both, not
    /// neither), an answer is untimed exactly when its clock had no due instant, and nothing
    /// is said that version `v` could not say (a clock with no target, an untimed outcome:
    /// version 3).
    pub(crate) fn check_form(&self, v: u16) -> Result<(), String> {
        let (consistent, needs) = match self {
            Event::Response(event) => (event.is_consistent(), event.needs_version()),
            Event::Complaint(event) => (event.is_consistent(), event.needs_version()),
            Event::FollowUp(event) => (event.is_consistent(), event.needs_version()),
            // A promise always has the due instant the customer was told: never untimed.
            Event::Promise(
                PromiseEvent::Kept { outcome, .. } | PromiseEvent::DependencyMet { outcome, .. },
            ) => (outcome.had_target(), 1),
            Event::Customer(_) | Event::Promise(_) | Event::Survey(_) | Event::Health(_) => {
                (true, 1)
            }
        };
        if !consistent {
            return Err(
                "a clock must state either its due instant or why it has no target".to_owned(),
            );
        }
        if needs > v {
            return Err(format!(
                "a clock with no target (or an untimed outcome) needs schema version {needs}, \
                 not {v}"
            ));
        }
        Ok(())
    }

    /// The event's family.
    ///
    /// ```
    /// use clientele::{CustomerEvent, Event, Text};
    /// use clientele::event::Family;
    ///
    /// let renamed = Event::Customer(CustomerEvent::Renamed { name: Text::new("Ona")?.into() });
    /// assert_eq!(renamed.family(), Family::Customer);
    /// # Ok::<(), clientele::ValueError>(())
    /// ```
    #[must_use]
    pub const fn family(&self) -> Family {
        match self {
            Event::Customer(_) => Family::Customer,
            Event::Response(_) => Family::Response,
            Event::Promise(_) => Family::Promise,
            Event::Complaint(_) => Family::Complaint,
            Event::FollowUp(_) => Family::FollowUp,
            Event::Survey(_) => Family::Survey,
            Event::Health(_) => Family::Health,
        }
    }
}

impl<'de> Deserialize<'de> for Event {
    /// Reads the `type` tag, finds the family in [`Event::KINDS`] and reads the family's
    /// event; it needs a self-describing format. An unknown kind is an error, never skipped.
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde::de::Error as _;
        let (kind, value) = crate::strict::tagged(deserializer, "an event (a JSON object)")?;
        let Some(known) = Event::kind_of(&kind) else {
            let names: Vec<&str> = Event::KINDS.iter().map(|known| known.name).collect();
            return Err(D::Error::custom(format_args!(
                "unknown variant `{kind}`, expected one of {}",
                names.join(", ")
            )));
        };
        let event = match known.family {
            Family::Customer => CustomerEvent::deserialize(value).map(Event::Customer),
            Family::Response => ResponseEvent::deserialize(value).map(Event::Response),
            Family::Promise => PromiseEvent::deserialize(value).map(Event::Promise),
            Family::Complaint => ComplaintEvent::deserialize(value).map(Event::Complaint),
            Family::FollowUp => FollowUpEvent::deserialize(value).map(Event::FollowUp),
            Family::Survey => SurveyEvent::deserialize(value).map(Event::Survey),
            Family::Health => HealthEvent::deserialize(value).map(Event::Health),
        };
        event.map_err(D::Error::custom)
    }
}

/// The schema of the flat wire form: one `oneOf` of every kind, whatever its family, so the
/// schema accepts exactly the documents it accepted before events were grouped by family.
#[cfg(feature = "schema")]
impl schemars::JsonSchema for Event {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Event".into()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let families = [
            CustomerEvent::json_schema(generator),
            ResponseEvent::json_schema(generator),
            PromiseEvent::json_schema(generator),
            ComplaintEvent::json_schema(generator),
            FollowUpEvent::json_schema(generator),
            SurveyEvent::json_schema(generator),
            HealthEvent::json_schema(generator),
        ];
        one_of("Everything that can happen to a relationship.", families)
    }
}

/// One `oneOf` of every variant of the given internally tagged family schemas: the flat wire
/// form of a union whose JSON does not show its families (`Event`, `Command`).
#[cfg(feature = "schema")]
pub(crate) fn one_of(
    description: &str,
    families: impl IntoIterator<Item = schemars::Schema>,
) -> schemars::Schema {
    let variants: Vec<serde_json::Value> = families
        .into_iter()
        .filter_map(|family| {
            family
                .get("oneOf")
                .and_then(serde_json::Value::as_array)
                .cloned()
        })
        .flatten()
        .collect();
    schemars::json_schema!({
        "description": description,
        "oneOf": variants,
    })
}
