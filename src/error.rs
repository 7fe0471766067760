//! Errors, one enum per concern. All are `Send + Sync + 'static` and `#[non_exhaustive]`.

use chrono::{DateTime, Utc};

use crate::calendar::CalendarError;
use crate::id::{
    AgentId, ComplaintId, CustomerId, FollowUpId, InteractionId, PartyId, PromiseId, SurveyId,
    TeamId,
};
use crate::value::{Priority, Span, ValueError};

/// An item whose facts keep the order they happened in: what
/// [`CommandError::CannotBackdate`] names.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum FactItem {
    /// The customer's profile (registration, updates, erasure).
    Profile,
    /// A promise.
    Promise(PromiseId),
    /// A complaint.
    Complaint(ComplaintId),
    /// A follow-up.
    FollowUp(FollowUpId),
    /// A survey.
    Survey(SurveyId),
}

impl std::fmt::Display for FactItem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FactItem::Profile => write!(f, "the profile"),
            FactItem::Promise(id) => write!(f, "promise {id}"),
            FactItem::Complaint(id) => write!(f, "complaint {id}"),
            FactItem::FollowUp(id) => write!(f, "follow-up {id}"),
            FactItem::Survey(id) => write!(f, "survey {id}"),
        }
    }
}

/// A command was rejected. Nothing changed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CommandError {
    /// The customer is not registered.
    #[error("customer {0} is not registered")]
    UnknownCustomer(CustomerId),
    /// The request expected another version of the relationship: events were added since the
    /// caller read it.
    #[error("the relationship is at version {actual}, the request expected {expected}")]
    VersionConflict {
        /// The version the request expected.
        expected: u64,
        /// The relationship's version.
        actual: u64,
    },
    /// The customer is registered already.
    #[error("customer {0} is already registered")]
    AlreadyRegistered(CustomerId),
    /// `now`, the recording time, is earlier than the last recording time of this
    /// relationship. Recording time never runs backwards inside a relationship: such a
    /// command is rejected, never clamped. (A fact that *happened* earlier is said with
    /// [`Request::occurred_at`](crate::Request::occurred_at), not with an earlier `now`.)
    #[error(
        "time went backwards: {now} is before {last_seen}, the last moment this relationship recorded"
    )]
    TimeWentBackwards {
        /// The `now` given.
        now: DateTime<Utc>,
        /// The recording time of the relationship's last event.
        last_seen: DateTime<Utc>,
    },
    /// The fact is said to have happened after the moment it is recorded.
    #[error(
        "{occurred} is after {now}, the moment it is recorded: a fact cannot be reported before it happens"
    )]
    AfterRecording {
        /// When the request says it happened.
        occurred: DateTime<Utc>,
        /// The `now` given: when it is recorded.
        now: DateTime<Utc>,
    },
    /// The fact is dated before a fact already recorded about the same item (or before the
    /// item it links to began): the item's own facts keep the order they happened in (see
    /// the tables in [`crate::relationship`]). Facts about other items never cause it, and it
    /// is never a deadline reason: record it as happening at or after `latest`.
    #[error("{item} has a fact of {latest}: this one cannot be dated before it, at {occurred}")]
    CannotBackdate {
        /// The item whose fact it would precede.
        item: FactItem,
        /// When the request says it happened.
        occurred: DateTime<Utc>,
        /// When that item's latest fact happened (for an item it links to: when it began).
        latest: DateTime<Utc>,
    },
    /// Something is dated before the customer was registered.
    #[error("{now} is before the customer was registered at {registered}")]
    BeforeRegistration {
        /// The `now` given.
        now: DateTime<Utc>,
        /// When the customer was registered.
        registered: DateTime<Utc>,
    },
    /// An interaction with this id is recorded already.
    #[error("interaction {0} is already recorded")]
    DuplicateInteraction(InteractionId),
    /// The policy names no calendar by this name.
    #[error("the policy has no calendar named {0:?}")]
    UnknownCalendar(String),
    /// No interaction with this id is recorded.
    #[error("interaction {0} is not recorded")]
    UnknownInteraction(InteractionId),
    /// No promise with this id was made to this customer.
    #[error("promise {0} is not known")]
    UnknownPromise(PromiseId),
    /// A promise with this id exists already.
    #[error("promise {0} exists already")]
    DuplicatePromise(PromiseId),
    /// The agent is not on the policy's roster.
    #[error("agent {0} is not one of our agents")]
    UnknownAgent(AgentId),
    /// The party is not on the policy's roster.
    #[error("party {0} is not a known outside party")]
    UnknownParty(PartyId),
    /// The policy's team roster does not list this team.
    #[error("team {0} is not in the policy's roster")]
    UnknownTeam(TeamId),
    /// A due instant must lie after the moment it is given.
    #[error("due instant {due} is not after {now}")]
    DueNotInFuture {
        /// The due instant given.
        due: chrono::DateTime<chrono::Utc>,
        /// The moment it was given.
        now: chrono::DateTime<chrono::Utc>,
    },
    /// A re-promise must move the due instant later.
    #[error("new due instant {due} is not after the current one, {current}")]
    DueNotLater {
        /// The new due instant.
        due: chrono::DateTime<chrono::Utc>,
        /// The one in force.
        current: chrono::DateTime<chrono::Utc>,
    },
    /// The promise has no recorded dependency on an outside party.
    #[error("promise {0} has no dependency on an outside party")]
    NoDependency(PromiseId),
    /// The complaint waits on another outside party already: end that wait first (a complaint
    /// waits on one party at a time).
    #[error("complaint {complaint} waits on party {party} already")]
    AwaitingOtherParty {
        /// The complaint.
        complaint: ComplaintId,
        /// The party it waits on.
        party: PartyId,
    },
    /// No complaint with this id.
    #[error("complaint {0} is not known")]
    UnknownComplaint(ComplaintId),
    /// A complaint with this id exists already.
    #[error("complaint {0} exists already")]
    DuplicateComplaint(ComplaintId),
    /// No follow-up with this id.
    #[error("follow-up {0} is not known")]
    UnknownFollowUp(FollowUpId),
    /// A follow-up with this id exists already.
    #[error("follow-up {0} exists already")]
    DuplicateFollowUp(FollowUpId),
    /// The policy schedules a follow-up on resolution, and the command gave no id for it.
    /// No longer returned: such a resolution now derives the id
    /// ([`FollowUpId::after_resolution`](crate::id::FollowUpId::after_resolution)). Kept so
    /// that code matching on it still compiles.
    #[error("resolving complaint {0} schedules a follow-up: give its id")]
    FollowUpIdRequired(ComplaintId),
    /// The complaint was never acknowledged, and the policy does not allow resolving it so.
    #[error("complaint {0} was never acknowledged; the policy requires an acknowledgement first")]
    NotAcknowledged(ComplaintId),
    /// Escalation to a level above the top of the ladder.
    #[error("level {level} is above the top of the ladder ({top})")]
    EscalationPastTop {
        /// The level asked for.
        level: u32,
        /// The top level.
        top: u32,
    },
    /// Escalation to the current level or below.
    #[error("level {level} is not above the current level {current}")]
    EscalationNotUpward {
        /// The level asked for.
        level: u32,
        /// The current level.
        current: u32,
    },
    /// A complaint closed as a duplicate of itself.
    #[error("complaint {0} cannot be a duplicate of itself")]
    DuplicateOfItself(ComplaintId),
    /// De-escalation to the current level or above.
    #[error("level {level} is not below the current level {current}")]
    DeescalationNotDownward {
        /// The level asked for.
        level: u32,
        /// The current level.
        current: u32,
    },
    /// No survey with this id.
    #[error("survey {0} is not known")]
    UnknownSurvey(SurveyId),
    /// A survey with this id exists already.
    #[error("survey {0} exists already")]
    DuplicateSurvey(SurveyId),
    /// The survey was voided (its complaint was reopened); its answer cannot be recorded.
    #[error("survey {0} was voided: the resolution it asked about was reopened")]
    SurveyVoided(SurveyId),
    /// The complaint's current resolution has been surveyed already.
    #[error("the resolution of complaint {0} has a survey already")]
    AlreadySurveyed(ComplaintId),
    /// The command would change nothing.
    #[error("the command changes nothing")]
    NothingToChange,
    /// The command contradicts itself.
    #[error("contradictory command: {0}")]
    Contradictory(&'static str),
    /// The lifecycle does not allow this action in the current state.
    #[error("cannot {action} a {entity} that is {from}")]
    InvalidTransition {
        /// What kind of thing (`"promise"`, `"response clock"`, ...).
        entity: &'static str,
        /// Its current stage.
        from: &'static str,
        /// The action refused.
        action: &'static str,
    },
    /// The customer is held aside: one of its stored events did not fold when the book was
    /// loaded ([`Ledger::quarantined`](crate::Ledger::quarantined)). It decides nothing until
    /// [`Ledger::retry`](crate::Ledger::retry) brings it back.
    #[error(
        "customer {0} is quarantined: a stored event of theirs did not fold (see Ledger::quarantined)"
    )]
    Quarantined(CustomerId),
    /// The policy given is inconsistent ([`ServicePolicy::validate`](crate::ServicePolicy::validate)):
    /// nothing is decided under it.
    #[error(transparent)]
    Policy(#[from] PolicyError),
    /// The events decided for the command do not apply to the state they were decided on.
    /// This is a defect in the engine, never the caller's fault; nothing changed.
    #[error("decided events do not apply (an engine defect; please report it): {0}")]
    Inconsistent(ReplayError),
    /// A value was invalid.
    #[error(transparent)]
    Value(#[from] ValueError),
    /// The calendar could not compute a deadline (for example, it leaves chrono's range).
    #[error(transparent)]
    Calendar(#[from] CalendarError),
}

/// A stored event could not be applied. The relationship is unchanged.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ReplayError {
    /// The envelope is of a schema version this build does not read.
    #[error("event {kind} has schema version {version}; this build reads 1..={supported}")]
    UnsupportedVersion {
        /// The event's kind.
        kind: &'static str,
        /// Its version.
        version: u16,
        /// The newest version this build reads.
        supported: u16,
    },
    /// The envelope belongs to another customer.
    #[error("event for customer {found} applied to customer {expected}")]
    WrongCustomer {
        /// The relationship's customer.
        expected: CustomerId,
        /// The envelope's customer.
        found: CustomerId,
    },
    /// The envelope is not the next in the customer's log (lost, duplicated or reordered).
    #[error("event sequence {found} for customer {customer}, expected {expected}")]
    OutOfSequence {
        /// The customer.
        customer: CustomerId,
        /// The sequence number expected next.
        expected: u64,
        /// The one found.
        found: u64,
    },
    /// The envelope is recorded before the previous one (recording times: `recorded`, else
    /// `at`; see [`Envelope::recorded`](crate::Envelope::recorded)).
    #[error("event recorded at {at} is before the previous event, recorded at {last}")]
    OutOfOrder {
        /// Its recording time.
        at: DateTime<Utc>,
        /// The previous event's recording time.
        last: DateTime<Utc>,
    },
    /// The event names a customer that the ledger does not hold (and is not a registration).
    #[error("event {kind} for unknown customer {customer}")]
    UnknownCustomer {
        /// The event's kind.
        kind: &'static str,
        /// The customer.
        customer: CustomerId,
    },
    /// The customer is held aside ([`Ledger::quarantined`](crate::Ledger::quarantined)): its
    /// events are not folded one by one until [`Ledger::retry`](crate::Ledger::retry) reloads
    /// its whole log.
    #[error("customer {customer} is quarantined")]
    Quarantined {
        /// The customer.
        customer: CustomerId,
    },
    /// [`Ledger::retry`](crate::Ledger::retry) of a customer that is not quarantined.
    #[error("customer {customer} is not quarantined")]
    NotQuarantined {
        /// The customer.
        customer: CustomerId,
    },
    /// The event does not fit the relationship's state.
    #[error("event {kind} (seq {seq}) does not fit: {reason}")]
    DoesNotFit {
        /// The event's kind.
        kind: &'static str,
        /// Its sequence number.
        seq: u64,
        /// Why.
        reason: String,
    },
}

/// A [`ServicePolicy`](crate::ServicePolicy) is inconsistent.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PolicyError {
    /// A target names a calendar the policy does not define.
    #[error(
        "{target} targets for {priority} priority name calendar {name:?}, which the policy does not define"
    )]
    UnknownCalendar {
        /// Which targets (`"reply"`, `"complaints.resolve"`, ...).
        target: &'static str,
        /// For which priority.
        priority: Priority,
        /// The name.
        name: String,
    },
    /// A target is zero and its table does not say zero means "due at once"
    /// ([`Targets::zero_means_at_once`](crate::policy::Targets::zero_means_at_once)); a
    /// priority meant to have no target is one of the table's
    /// [`untargeted`](crate::policy::Targets::untargeted) priorities.
    #[error(
        "{target} targets for {priority} priority are zero; say zero_means_at_once, or list the priority as untargeted"
    )]
    ZeroTarget {
        /// Which targets.
        target: &'static str,
        /// For which priority.
        priority: Priority,
    },
    /// A calendar rule of a target table names a calendar the policy does not define.
    #[error(
        "{target} calendar rule {rule} names calendar {name:?}, which the policy does not define"
    )]
    UnknownRuleCalendar {
        /// Which targets (`"reply"`, `"complaints.resolve"`, `"updates.every"`, ...).
        target: &'static str,
        /// The rule's position in the table's rules (from 0).
        rule: usize,
        /// The name.
        name: String,
    },
    /// The escalation ladder has no level.
    #[error("the complaint policy has no support level")]
    NoSupportLevels,
    /// The health rules are inconsistent: bands not ordered (at risk ≤ watch ≤ 100), a window
    /// empty or over [`MAX_WINDOW_DAYS`](crate::health::MAX_WINDOW_DAYS), or a quiet rule out of
    /// bounds ([`QuietPolicy`](crate::health::QuietPolicy)).
    #[error(
        "health rules must satisfy at_risk_below ({at_risk_below}) <= watch_below ({watch_below}) <= 100, with a window of at most 366 days and a quiet rule of at most 16 contacts, at least 2, times at least 1"
    )]
    HealthBands {
        /// The watch threshold.
        watch_below: u8,
        /// The at-risk threshold.
        at_risk_below: u8,
    },
    /// The idempotency window is empty or longer than the longest a relationship keeps keys.
    #[error("the idempotency window ({window}) must be above zero and at most {max}")]
    IdempotencyWindow {
        /// The window given.
        window: Span,
        /// The longest allowed.
        max: Span,
    },
}

/// A stored envelope could not be read. Nothing is skipped: every envelope either reads, in
/// the current form, or fails with one of these.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DecodeError {
    /// Not JSON, or not shaped like an envelope (no version, no event).
    #[error("not a stored envelope: {reason}")]
    Malformed {
        /// What was wrong.
        reason: String,
    },
    /// The envelope is of a schema version this build does not read (a newer build wrote it,
    /// or it is corrupt).
    #[error("event {kind:?} has schema version {version}; this build reads 1..={supported}")]
    UnsupportedVersion {
        /// The event's `type` tag, if it has one (at most 64 characters of it).
        kind: Option<String>,
        /// The version the envelope claims.
        version: u64,
        /// The newest version this build reads.
        supported: u16,
    },
    /// The event's kind does not exist in the envelope's schema version.
    #[error("unknown event kind {kind:?} in schema version {version}")]
    UnknownKind {
        /// The `type` tag (at most 64 characters of it).
        kind: String,
        /// The envelope's version.
        version: u16,
    },
    /// The event, or the envelope around it, does not fit its kind's schema in its version.
    #[error("event {kind} of schema version {version} is invalid: {reason}")]
    Invalid {
        /// The event's kind.
        kind: String,
        /// The envelope's version.
        version: u16,
        /// What was wrong.
        reason: String,
    },
    /// [`Envelope::restore_personal`](crate::Envelope::restore_personal) was given a different
    /// number of values than the event has personal fields.
    #[error("event {kind} has {expected} personal fields, {found} values were given")]
    PersonalDataMismatch {
        /// The event's kind.
        kind: &'static str,
        /// How many personal fields it has.
        expected: usize,
        /// How many values were given.
        found: usize,
    },
}

/// A view of a relationship was asked for a moment it cannot answer for.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ViewError {
    /// `now` is earlier than the latest fact the relationship recorded. The state holds the
    /// facts up to that fact, so what stood at an earlier moment (a promise kept since, a clock
    /// stopped since) is no longer in it: such a moment is refused rather than answered with
    /// the latest state.
    #[error("{now} is before {latest}, the latest fact this relationship recorded")]
    BeforeLatestFact {
        /// The moment asked about.
        now: DateTime<Utc>,
        /// When the relationship's latest fact was recorded.
        latest: DateTime<Utc>,
    },
}
