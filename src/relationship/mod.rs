//! [`Relationship`]: everything about one customer, and the consistency boundary of the model.
//!
//! ```text
//! command + now ──decide(&self)──▶ Vec<Envelope> ──(service persists them)──▶ apply(&mut self)
//! now ──advance_to(&mut self)──▶ Vec<Envelope>     (deadlines that passed become facts)
//! next_deadline(&self) ──▶ Option<Deadline>         (when to wake up, and why)
//! flags(&self, now) ──▶ Vec<Flag>                   (the level view)
//! ```

mod reactions;

use std::collections::BTreeMap;
use std::ops::RangeInclusive;

use chrono::{DateTime, Utc};

use crate::command::{Command, Request};
use crate::complaint::ComplaintCommand;
use crate::complaint::{self, Complaint, Complaints};
use crate::customer::CustomerCommand;
use crate::customer::CustomerEvent;
use crate::customer::{RegisterCustomer, UpdateProfile};
use crate::error::{CommandError, ReplayError};
use crate::event::{Envelope, Event, SCHEMA_VERSION};
use crate::flag::{Deadline, DeadlineKind, Flag, FlagKind, Subject};
use crate::follow_up::FollowUpCommand;
use crate::follow_up::FollowUpEvent;
use crate::follow_up::{self, FollowUp, FollowUps};
use crate::health::HealthEvent;
use crate::health::{self, Health};
use crate::lifecycle::Lifecycle;
use crate::personal::Erase;
use crate::promise::PromiseCommand;
use crate::promise::{self, Promise, Promises};
use crate::response::RecordInteraction;
use crate::response::ResponseCommand;
use crate::response::ResponseEvent;
use crate::response::{ClockAction, ClockKind, ResponseClock, ResponseLifecycle, Wait};
use crate::survey::SurveyCommand;
use crate::survey::{self, Survey, Surveys};
use crate::{
    AgentId, Channel, ComplaintId, CustomerId, Direction, FollowUpId, IdempotencyKey,
    InteractionId, Personal, PromiseId, ServicePolicy, SurveyId, Tier,
};

/// Who the customer is, as far as we need to know.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Profile {
    /// Display name.
    pub name: Personal,
    /// Tier, as the policy names it.
    pub tier: Tier,
    /// Addresses per channel.
    pub contacts: BTreeMap<Channel, Personal>,
    /// The channel the customer prefers.
    pub preferred_channel: Option<Channel>,
    /// The agent who owns the account.
    pub owner: Option<AgentId>,
    /// When the customer was registered.
    pub registered_at: DateTime<Utc>,
}

/// One customer's relationship with us: profile, interactions and their response clock.
///
/// It is a deterministic function of the events applied to it: it reads no clock, and
/// [`Relationship::replay`] of its events gives an equal value.
///
/// # Time
/// Every event has a time, and times never decrease within a relationship. A command whose
/// `now` is earlier than the last event is rejected with
/// [`CommandError::TimeWentBackwards`] (never clamped: a fact is recorded at the time the
/// caller gave, or not at all). [`advance_to`](Self::advance_to) with an earlier `now` does
/// nothing.
///
/// # Example
/// ```
/// use chrono::{TimeZone, Utc};
/// use clientele::{Channel, CustomerId, Event, InteractionId, RecordInteraction, RegisterCustomer,
///     Relationship, ServicePolicy, Text, Tier};
///
/// let policy = ServicePolicy::default();
/// let mut ona = Relationship::new(CustomerId::from_u128(1));
/// let monday = Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap();
/// ona.execute(&policy, RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?), monday)?;
/// ona.execute(
///     &policy,
///     RecordInteraction::inbound(InteractionId::from_u128(10), Channel::Email, Text::new("Hello?")?),
///     monday,
/// )?;
/// let deadline = ona.next_deadline().expect("the customer is waiting");
/// let events = ona.advance_to(&policy, deadline.at);
/// assert_eq!(events.len(), 1);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Relationship {
    customer: CustomerId,
    version: u64,
    last_at: Option<DateTime<Utc>>,
    profile: Option<Profile>,
    response: ResponseClock,
    responses_given: u32,
    /// Every interaction id ever recorded, sorted, to refuse duplicates.
    interactions: Vec<InteractionId>,
    promises: Promises,
    complaints: Complaints,
    follow_ups: FollowUps,
    surveys: Surveys,
    /// Recent facts health looks at, oldest first, at most `health::RECENT`.
    recent: Vec<(DateTime<Utc>, health::Recent)>,
    /// Since when the relationship has been at risk, if it is.
    at_risk_since: Option<DateTime<Utc>>,
    /// The idempotency keys of the latest keyed requests.
    keys: Keys,
}

/// Most deadlines one `advance_to` call fires; a guard against a logic error looping, far above
/// what any relationship can have due at once.
const MAX_FIRINGS: usize = 100_000;

impl Relationship {
    /// An empty relationship for `customer`, before registration.
    #[must_use]
    pub fn new(customer: CustomerId) -> Self {
        Self {
            customer,
            version: 0,
            last_at: None,
            profile: None,
            response: ResponseClock::Idle,
            responses_given: 0,
            interactions: Vec::new(),
            promises: Promises::new(),
            complaints: Complaints::new(),
            follow_ups: FollowUps::new(),
            surveys: Surveys::new(),
            recent: Vec::new(),
            at_risk_since: None,
            keys: Keys::default(),
        }
    }

    /// Rebuilds a relationship from its stored events.
    ///
    /// # Errors
    /// The first [`ReplayError`]: an event of another customer, out of sequence or order, of an
    /// unsupported version, or one that does not fit the state.
    pub fn replay<'a>(
        customer: CustomerId,
        events: impl IntoIterator<Item = &'a Envelope>,
    ) -> Result<Self, ReplayError> {
        let mut relationship = Self::new(customer);
        for envelope in events {
            relationship.apply(envelope)?;
        }
        Ok(relationship)
    }

    /// The customer.
    #[must_use]
    pub const fn customer(&self) -> CustomerId {
        self.customer
    }

    /// How many events have been applied: the sequence number of the last one.
    #[must_use]
    pub const fn version(&self) -> u64 {
        self.version
    }

    /// The time of the last event, if any.
    #[must_use]
    pub const fn last_seen(&self) -> Option<DateTime<Utc>> {
        self.last_at
    }

    /// The profile, once registered.
    #[must_use]
    pub const fn profile(&self) -> Option<&Profile> {
        self.profile.as_ref()
    }

    /// The response clock.
    #[must_use]
    pub const fn response_clock(&self) -> &ResponseClock {
        &self.response
    }

    /// How many response clocks have been answered.
    #[must_use]
    pub const fn responses_given(&self) -> u32 {
        self.responses_given
    }

    /// A promise made to this customer.
    #[must_use]
    pub fn promise(&self, id: PromiseId) -> Option<&Promise> {
        self.promises.get(&id)
    }

    /// Every promise made to this customer, by id.
    pub fn promises(&self) -> impl Iterator<Item = (PromiseId, &Promise)> {
        self.promises.iter().map(|(id, promise)| (*id, promise))
    }

    /// A complaint of this customer.
    #[must_use]
    pub fn complaint(&self, id: ComplaintId) -> Option<&Complaint> {
        self.complaints.get(&id)
    }

    /// Every complaint of this customer, by id.
    pub fn complaints(&self) -> impl Iterator<Item = (ComplaintId, &Complaint)> {
        self.complaints
            .iter()
            .map(|(id, complaint)| (*id, complaint))
    }

    /// A follow-up owed to this customer.
    #[must_use]
    pub fn follow_up(&self, id: FollowUpId) -> Option<&FollowUp> {
        self.follow_ups.get(&id)
    }

    /// Every follow-up of this customer, by id.
    pub fn follow_ups(&self) -> impl Iterator<Item = (FollowUpId, &FollowUp)> {
        self.follow_ups
            .iter()
            .map(|(id, follow_up)| (*id, follow_up))
    }

    /// Every survey sent to or answered by this customer, by id.
    pub fn surveys(&self) -> impl Iterator<Item = (SurveyId, &Survey)> {
        self.surveys.iter().map(|(id, survey)| (*id, survey))
    }

    /// The relationship's health at `now` (see [`crate::health`]): a score, its band,
    /// the reasons and the trend. Computed from the state, whether or not `advance_to` has run.
    #[must_use]
    pub fn health(&self, policy: &ServicePolicy, now: DateTime<Utc>) -> Health {
        health::score(&policy.health, self.open_items(now), &self.recent, now)
    }

    fn open_items(&self, now: DateTime<Utc>) -> health::OpenItems {
        let mut open = health::OpenItems::default();
        for (_, promise) in self.promises.iter() {
            if promise.stage() == crate::PromiseStage::Broken
                || (promise.is_outstanding() && now >= promise.terms.due)
            {
                open.broken_promises = open.broken_promises.saturating_add(1);
            }
            if promise.is_outstanding() && promise.terms.slipped_repeatedly {
                open.repeated_slips = open.repeated_slips.saturating_add(1);
            }
        }
        for (_, complaint) in self.complaints.iter().filter(|(_, c)| c.is_open()) {
            let weight = 1u32
                .saturating_add(complaint.level)
                .saturating_add(u32::from(complaint.escalation_due.is_some()));
            open.complaint_weight = open.complaint_weight.saturating_add(weight);
        }
        if let Some(wait) = self.response.wait() {
            open.waiting_overdue = now >= wait.due;
            open.waiting_at_risk = wait.warn_at.is_some_and(|at| now >= at);
            open.unanswered = wait.unanswered;
        }
        open
    }

    fn remember(&mut self, at: DateTime<Utc>, fact: health::Recent) {
        if self.recent.len() >= health::RECENT {
            self.recent.remove(0);
        }
        self.recent.push((at, fact));
    }

    /// Erases every piece of personal data held; how many there were.
    fn erase_personal(&mut self) -> u32 {
        let mut erased = 0_u32;
        if let Some(profile) = &mut self.profile {
            erased = profile.name.erase_personal();
            let contacts = u32::try_from(profile.contacts.len()).unwrap_or(u32::MAX);
            erased = erased.saturating_add(contacts);
            profile.contacts.clear();
        }
        for promise in self.promises.values_mut() {
            erased = erased.saturating_add(promise.erase_personal());
        }
        for complaint in self.complaints.values_mut() {
            erased = erased.saturating_add(complaint.erase_personal());
        }
        for follow_up in self.follow_ups.values_mut() {
            erased = erased.saturating_add(follow_up.erase_personal());
        }
        erased
    }

    fn account_owner(&self) -> Option<AgentId> {
        self.profile.as_ref().and_then(|p| p.owner)
    }

    /// Whether any personal data (name, contact addresses, free text) is held: `false` after
    /// [`ErasePersonalData`](crate::ErasePersonalData) until new personal data arrives.
    #[must_use]
    pub fn holds_personal_data(&self) -> bool {
        self.personal_data_held() > 0
    }

    /// How many pieces of personal data are held: what an erasure would remove.
    fn personal_data_held(&self) -> u32 {
        self.clone().erase_personal()
    }

    /// Decides what `command` at `now` means: the events to store, or why not. Changes nothing.
    ///
    /// Deadlines that passed up to `now` and were not yet advanced over come first in the
    /// result, at their own instants, so the log stays in time order and no breach is lost
    /// when a late answer arrives before anyone called [`advance_to`](Self::advance_to).
    ///
    /// # Errors
    /// A [`CommandError`] saying why the command was refused.
    pub fn decide(
        &self,
        policy: &ServicePolicy,
        command: &Command,
        now: DateTime<Utc>,
    ) -> Result<Vec<Envelope>, CommandError> {
        self.decide_with(policy, command, None, None, now)
    }

    /// Decides a [`Request`]: a command with the version it expects and an idempotency key.
    /// Changes nothing.
    ///
    /// A request whose key was already used returns no events, whatever its command: it was
    /// decided before, and [`handled`](Self::handled) says which events it produced. The key
    /// is checked before the version, so a retry after success is not a conflict.
    ///
    /// # Errors
    /// [`CommandError::VersionConflict`] when the relationship is no longer at the expected
    /// version (someone else's events came first: reload and decide again), or what
    /// [`decide`](Self::decide) refuses.
    ///
    /// # Example
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use clientele::{CommandError, CustomerId, IdempotencyKey, RegisterCustomer, Relationship,
    ///     Request, ServicePolicy, Text, Tier};
    ///
    /// let policy = ServicePolicy::default();
    /// let mut ona = Relationship::new(CustomerId::from_u128(1));
    /// let now = Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap();
    /// let register = Request::new(RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?))
    ///     .expecting(0)
    ///     .idempotent(IdempotencyKey::new("signup-42")?);
    /// assert_eq!(ona.execute_request(&policy, register.clone(), now)?.len(), 1);
    /// // The client timed out and sends it again: it takes effect once.
    /// assert!(ona.execute_request(&policy, register.clone(), now)?.is_empty());
    /// assert_eq!(ona.handled(&IdempotencyKey::new("signup-42")?), Some(1..=1));
    /// // Without the key, the stale version is a conflict.
    /// let stale = Request { idempotency_key: None, ..register };
    /// assert!(matches!(
    ///     ona.decide_request(&policy, &stale, now),
    ///     Err(CommandError::VersionConflict { expected: 0, actual: 1 })
    /// ));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn decide_request(
        &self,
        policy: &ServicePolicy,
        request: &Request,
        now: DateTime<Utc>,
    ) -> Result<Vec<Envelope>, CommandError> {
        self.decide_with(
            policy,
            &request.command,
            request.expected_version,
            request.idempotency_key.as_ref(),
            now,
        )
    }

    /// Decides a [`Request`], then applies its events.
    ///
    /// # Errors
    /// As [`decide_request`](Self::decide_request); on error nothing changed.
    pub fn execute_request(
        &mut self,
        policy: &ServicePolicy,
        request: Request,
        now: DateTime<Utc>,
    ) -> Result<Vec<Envelope>, CommandError> {
        let envelopes = self.decide_request(policy, &request, now)?;
        self.apply_all(&envelopes)?;
        Ok(envelopes)
    }

    /// The sequence numbers of the events a request with `key` produced, if the key is one of
    /// the last [`Relationship::REMEMBERED_KEYS`] used.
    #[must_use]
    pub fn handled(&self, key: &IdempotencyKey) -> Option<RangeInclusive<u64>> {
        self.keys.find(key).map(|k| k.first..=k.last)
    }

    /// How many of the latest keyed requests are remembered per customer. A retry older than
    /// that many newer keyed requests takes effect again: retry windows are short.
    pub const REMEMBERED_KEYS: usize = 64;

    pub(crate) fn decide_with(
        &self,
        policy: &ServicePolicy,
        command: &Command,
        expected_version: Option<u64>,
        key: Option<&IdempotencyKey>,
        now: DateTime<Utc>,
    ) -> Result<Vec<Envelope>, CommandError> {
        if key.is_some_and(|key| self.keys.find(key).is_some()) {
            return Ok(Vec::new());
        }
        if let Some(expected) = expected_version
            && expected != self.version
        {
            return Err(CommandError::VersionConflict {
                expected,
                actual: self.version,
            });
        }
        if let Some(last_seen) = self.last_at
            && now < last_seen
        {
            if let Some(profile) = &self.profile
                && now < profile.registered_at
            {
                return Err(CommandError::BeforeRegistration {
                    now,
                    registered: profile.registered_at,
                });
            }
            return Err(CommandError::TimeWentBackwards { now, last_seen });
        }
        // Work on a copy: deadlines due before `now` are recorded first, then the command, then
        // what the result does to the relationship's health.
        let mut ahead = self.clone();
        let mut envelopes = ahead.advance_to(policy, now);
        let events = ahead.decide_events(policy, command, now)?;
        let sealed = ahead.seal_keyed(now, events, key);
        for envelope in &sealed {
            ahead.apply(envelope).map_err(CommandError::Inconsistent)?;
        }
        envelopes.extend(sealed);
        if let Some(event) = ahead.health_change(policy, now) {
            envelopes.extend(ahead.seal(now, vec![event]));
        }
        Ok(envelopes)
    }

    /// Decides, then applies: for callers that do not persist before applying.
    ///
    /// # Errors
    /// As [`decide`](Self::decide); on error nothing changed.
    pub fn execute(
        &mut self,
        policy: &ServicePolicy,
        command: impl Into<Command>,
        now: DateTime<Utc>,
    ) -> Result<Vec<Envelope>, CommandError> {
        let envelopes = self.decide(policy, &command.into(), now)?;
        self.apply_all(&envelopes)?;
        Ok(envelopes)
    }

    /// Applies freshly decided envelopes, all or none.
    fn apply_all(&mut self, envelopes: &[Envelope]) -> Result<(), CommandError> {
        let mut next = self.clone();
        for envelope in envelopes {
            next.apply(envelope).map_err(CommandError::Inconsistent)?;
        }
        *self = next;
        Ok(())
    }

    /// Turns every deadline up to `now` into an event, applies it, and returns the events in
    /// time order. Each event is dated at its deadline. After each deadline, a change of health
    /// band into or out of "at risk" is recorded too (`RelationshipAtRisk`,
    /// `RelationshipRecovered`). Calling it again, or with an earlier `now`, does nothing.
    pub fn advance_to(&mut self, policy: &ServicePolicy, now: DateTime<Utc>) -> Vec<Envelope> {
        let mut out = Vec::new();
        for _ in 0..MAX_FIRINGS {
            let Some(deadline) = self.next_deadline() else {
                break;
            };
            if deadline.at > now {
                break;
            }
            let events = self.fire(&deadline);
            if events.is_empty() {
                break;
            }
            let at = self
                .last_at
                .map_or(deadline.at, |last| last.max(deadline.at));
            // Applied in place, one by one: `apply` is all-or-nothing per event, and every event
            // that applied is returned, so a fact is never applied without being handed over.
            let count = events.len();
            let mut fired = 0;
            for envelope in self.seal(at, events) {
                if self.apply(&envelope).is_err() {
                    break;
                }
                out.push(envelope);
                fired += 1;
            }
            if fired < count {
                // An engine defect: stop rather than fire on from a state we did not foresee.
                break;
            }
            if let Some(change) = self.health_change(policy, at)
                && let Some(envelope) = self.seal(at, vec![change]).pop()
                && self.apply(&envelope).is_ok()
            {
                out.push(envelope);
            }
        }
        out
    }

    /// The event a move into or out of the at-risk band at `at` becomes, if any.
    fn health_change(&self, policy: &ServicePolicy, at: DateTime<Utc>) -> Option<Event> {
        self.profile.as_ref()?;
        let rules = &policy.health;
        let (score, penalties) = health::points(rules, self.open_items(at), &self.recent, at);
        let at_risk = health::band(rules, score) == crate::Band::AtRisk;
        match (at_risk, self.at_risk_since.is_some()) {
            (true, false) => Some(Event::Health(HealthEvent::AtRisk {
                score,
                reasons: health::reasons(rules, &penalties)
                    .into_iter()
                    .map(|(signal, _)| signal)
                    .collect(),
            })),
            (false, true) => Some(Event::Health(HealthEvent::Recovered { score })),
            (true, true) | (false, false) => None,
        }
    }

    /// The earliest moment something becomes due, or `None` when nothing is pending.
    #[must_use]
    pub fn next_deadline(&self) -> Option<Deadline> {
        let response = self.response.wait().and_then(|wait| {
            let (at, kind) = match (&self.response, wait.warn_at) {
                (ResponseClock::Waiting(_), Some(warn_at)) if warn_at < wait.due => {
                    (warn_at, DeadlineKind::ResponseWarning)
                }
                (ResponseClock::Waiting(_) | ResponseClock::Warned(_), _) => {
                    (wait.due, DeadlineKind::ResponseDue)
                }
                (ResponseClock::Idle | ResponseClock::Overdue(_), _) => return None,
            };
            Some(Deadline {
                at,
                customer: self.customer,
                kind,
                subject: Subject::Response(wait.since),
            })
        });
        let promises = self.promises.iter().filter_map(|(id, promise)| {
            promise::deadline(promise).map(|(at, kind)| Deadline {
                at,
                customer: self.customer,
                kind,
                subject: Subject::Promise(*id),
            })
        });
        let complaints = self.complaints.iter().filter_map(|(id, c)| {
            complaint::deadline(c).map(|(at, kind)| Deadline {
                at,
                customer: self.customer,
                kind,
                subject: Subject::Complaint(*id),
            })
        });
        let follow_ups = self.follow_ups.iter().filter_map(|(id, f)| {
            follow_up::deadline(f).map(|at| Deadline {
                at,
                customer: self.customer,
                kind: DeadlineKind::FollowUpDue,
                subject: Subject::FollowUp(*id),
            })
        });
        response
            .into_iter()
            .chain(promises)
            .chain(complaints)
            .chain(follow_ups)
            .min()
    }

    /// What needs attention at `now`, whether or not [`advance_to`](Self::advance_to) has run.
    #[must_use]
    pub fn flags(&self, now: DateTime<Utc>) -> Vec<Flag> {
        let mut flags = Vec::new();
        let owner = self.profile.as_ref().and_then(|p| p.owner);
        if let Some(wait) = self.response.wait() {
            let subject = Subject::Response(wait.since);
            if now >= wait.due {
                flags.push(Flag {
                    kind: FlagKind::ResponseOverdue,
                    customer: self.customer,
                    subject,
                    owner,
                    since: wait.due,
                    due: Some(wait.due),
                });
            } else if let Some(warn_at) = wait.warn_at.filter(|warn_at| now >= *warn_at) {
                flags.push(Flag {
                    kind: FlagKind::ResponseAtRisk,
                    customer: self.customer,
                    subject,
                    owner,
                    since: warn_at,
                    due: Some(wait.due),
                });
            }
        }
        for (id, promise) in self.promises.iter() {
            for (kind, since) in promise::flags(promise, now) {
                flags.push(Flag {
                    kind,
                    customer: self.customer,
                    subject: Subject::Promise(*id),
                    owner: Some(promise.terms.owner),
                    since,
                    due: Some(promise.terms.due),
                });
            }
        }
        for (id, c) in self.complaints.iter() {
            let broken_again = promise::breaks_again(&self.promises, *id, now);
            for (kind, since, due) in complaint::flags(c, now, broken_again) {
                flags.push(Flag {
                    kind,
                    customer: self.customer,
                    subject: Subject::Complaint(*id),
                    owner: c.owner.or(owner),
                    since,
                    due,
                });
            }
        }
        if let Some(since) = self.at_risk_since {
            flags.push(Flag {
                kind: FlagKind::RelationshipAtRisk,
                customer: self.customer,
                subject: Subject::Relationship,
                owner,
                since,
                due: None,
            });
        }
        for (id, f) in self.follow_ups.iter() {
            if follow_up::overdue(f, now) {
                flags.push(Flag {
                    kind: FlagKind::FollowUpOverdue,
                    customer: self.customer,
                    subject: Subject::FollowUp(*id),
                    owner: Some(f.owner),
                    since: f.due,
                    due: Some(f.due),
                });
            }
        }
        flags
    }

    /// Folds a stored event into the state.
    ///
    /// # Errors
    /// A [`ReplayError`] when the event does not belong here (another customer, out of
    /// sequence or time order, unsupported version) or does not fit the state. On error
    /// nothing changed.
    pub fn apply(&mut self, envelope: &Envelope) -> Result<(), ReplayError> {
        let kind = envelope.event.kind();
        if envelope.v == 0 || envelope.v > SCHEMA_VERSION {
            return Err(ReplayError::UnsupportedVersion {
                kind,
                version: envelope.v,
                supported: SCHEMA_VERSION,
            });
        }
        if envelope.customer != self.customer {
            return Err(ReplayError::WrongCustomer {
                expected: self.customer,
                found: envelope.customer,
            });
        }
        let expected = self.version.saturating_add(1);
        if envelope.seq != expected {
            return Err(ReplayError::OutOfSequence {
                customer: self.customer,
                expected,
                found: envelope.seq,
            });
        }
        if let Some(last) = self.last_at
            && envelope.at < last
        {
            return Err(ReplayError::OutOfOrder {
                at: envelope.at,
                last,
            });
        }
        let misfit = |reason: String| ReplayError::DoesNotFit {
            kind,
            seq: envelope.seq,
            reason,
        };
        let keyed = envelope
            .key
            .as_ref()
            .map(|key| self.keys.check(key, envelope.seq))
            .transpose()
            .map_err(misfit)?;
        self.fold(envelope.at, &envelope.event).map_err(misfit)?;
        if let Some(update) = keyed {
            self.keys.apply(update);
        }
        self.version = expected;
        self.last_at = Some(envelope.at);
        Ok(())
    }

    fn seal(&self, at: DateTime<Utc>, events: Vec<Event>) -> Vec<Envelope> {
        self.seal_keyed(at, events, None)
    }

    fn seal_keyed(
        &self,
        at: DateTime<Utc>,
        events: Vec<Event>,
        key: Option<&IdempotencyKey>,
    ) -> Vec<Envelope> {
        let mut seq = self.version;
        events
            .into_iter()
            .map(|event| {
                seq = seq.saturating_add(1);
                Envelope {
                    v: SCHEMA_VERSION,
                    customer: self.customer,
                    seq,
                    at,
                    event,
                    key: key.cloned(),
                }
            })
            .collect()
    }

    /// The events a due deadline becomes.
    fn fire(&self, deadline: &Deadline) -> Vec<Event> {
        match deadline.subject {
            Subject::Response(_) => {
                let Some(wait) = self.response.wait() else {
                    return Vec::new();
                };
                let event = match deadline.kind {
                    DeadlineKind::ResponseWarning => Event::Response(ResponseEvent::AtRisk {
                        since: wait.since,
                        due: wait.due,
                    }),
                    DeadlineKind::ResponseDue => Event::Response(ResponseEvent::Overdue {
                        since: wait.since,
                        due: wait.due,
                    }),
                    DeadlineKind::DependencyDue
                    | DeadlineKind::PromiseWarning
                    | DeadlineKind::PromiseDue
                    | DeadlineKind::AcknowledgementWarning
                    | DeadlineKind::AcknowledgementDue
                    | DeadlineKind::ResolutionWarning
                    | DeadlineKind::ResolutionDue
                    | DeadlineKind::EscalationThreshold
                    | DeadlineKind::FollowUpDue => {
                        return Vec::new();
                    }
                };
                vec![event]
            }
            Subject::Promise(id) => {
                let Some(p) = self.promises.get(&id) else {
                    return Vec::new();
                };
                let fired = promise::fire(id, p, deadline.kind);
                let escalation = reactions::escalation_after_break(
                    &fired,
                    &p.terms,
                    &self.complaints,
                    self.account_owner(),
                );
                let mut events: Vec<Event> = fired.into_iter().map(Event::Promise).collect();
                events.extend(escalation.map(Event::Complaint));
                events
            }
            Subject::Complaint(id) => self
                .complaints
                .get(&id)
                .map(|c| complaint::fire(id, c, deadline.kind, self.account_owner()))
                .unwrap_or_default(),
            Subject::FollowUp(id) => self
                .follow_ups
                .get(&id)
                .map(|f| follow_up::fire(id, f))
                .unwrap_or_default(),
            // Health changes are not deadlines: they are noticed after events.
            Subject::Relationship => Vec::new(),
        }
    }

    fn decide_events(
        &self,
        policy: &ServicePolicy,
        command: &Command,
        now: DateTime<Utc>,
    ) -> Result<Vec<Event>, CommandError> {
        let profile = match (command, &self.profile) {
            (Command::Customer(CustomerCommand::Register(register)), None) => {
                if let Some(owner) = register.owner {
                    policy.check_agent(owner)?;
                }
                return Ok(vec![registered(register)]);
            }
            (Command::Customer(CustomerCommand::Register(_)), Some(_)) => {
                return Err(CommandError::AlreadyRegistered(self.customer));
            }
            (_, None) => return Err(CommandError::UnknownCustomer(self.customer)),
            (_, Some(profile)) => profile,
        };
        if now < profile.registered_at {
            return Err(CommandError::BeforeRegistration {
                now,
                registered: profile.registered_at,
            });
        }
        match command {
            Command::Customer(CustomerCommand::Register(_)) => {
                Err(CommandError::AlreadyRegistered(self.customer))
            }
            Command::Customer(CustomerCommand::UpdateProfile(update)) => {
                if let Some(Some(owner)) = update.owner {
                    policy.check_agent(owner)?;
                }
                profile_updates(profile, update)
            }
            Command::Response(ResponseCommand::RecordInteraction(record)) => {
                self.interaction_events(policy, profile, record, now)
            }
            Command::Promise(PromiseCommand::Make(make)) => {
                if let Some(linked) = make.complaint
                    && !self.complaints.contains_key(&linked)
                {
                    return Err(CommandError::UnknownComplaint(linked));
                }
                promise::make(&self.promises, &self.interactions, policy, make, now)
            }
            Command::Promise(PromiseCommand::Revise(revise)) => {
                promise::revise(&self.promises, policy, revise, now)
            }
            Command::Promise(PromiseCommand::Keep(keep)) => {
                promise::keep(&self.promises, policy, keep, now)
            }
            Command::Promise(PromiseCommand::Withdraw(withdraw)) => {
                promise::withdraw(&self.promises, withdraw)
            }
            Command::Promise(PromiseCommand::RecordDependency(record)) => {
                promise::depend(&self.promises, policy, record, now)
            }
            Command::Promise(PromiseCommand::MeetDependency(meet)) => {
                promise::meet(&self.promises, policy, meet, now)
            }
            Command::Complaint(ComplaintCommand::Receive(receive)) => complaint::receive(
                &self.complaints,
                &self.interactions,
                &self.promises,
                policy,
                &profile.tier,
                receive,
                now,
            ),
            Command::Complaint(ComplaintCommand::Acknowledge(ack)) => {
                complaint::acknowledge(&self.complaints, policy, ack, now)
            }
            Command::Complaint(ComplaintCommand::Assign(assign)) => {
                complaint::assign(&self.complaints, policy, assign)
            }
            Command::Complaint(ComplaintCommand::RequestEscalation(request)) => {
                complaint::request_escalation(&self.complaints, request, profile.owner)
            }
            Command::Complaint(ComplaintCommand::Escalate(escalate)) => {
                complaint::escalate(&self.complaints, policy, escalate, now)
            }
            Command::Complaint(ComplaintCommand::AwaitCustomer(wait)) => {
                complaint::await_customer(&self.complaints, policy, wait, now)
            }
            Command::Complaint(ComplaintCommand::Resume(resume)) => {
                complaint::resume(&self.complaints, policy, resume, now)
            }
            Command::Complaint(ComplaintCommand::Resolve(resolve)) => complaint::resolve(
                &self.complaints,
                policy,
                resolve,
                profile.owner,
                &self.follow_ups,
                now,
            ),
            Command::Complaint(ComplaintCommand::Close(close)) => {
                complaint::close(&self.complaints, close)
            }
            Command::Complaint(ComplaintCommand::Reopen(reopen)) => complaint::reopen(
                &self.complaints,
                policy,
                &self.follow_ups,
                reopen,
                profile.owner,
                survey::pending_for(&self.surveys, reopen.complaint),
                now,
            ),
            Command::FollowUp(FollowUpCommand::Schedule(schedule)) => {
                follow_up::schedule(&self.follow_ups, &self.complaints, policy, schedule, now)
            }
            Command::FollowUp(FollowUpCommand::Complete(complete)) => follow_up::complete(
                &self.follow_ups,
                &self.complaints,
                policy,
                complete,
                profile.owner,
                &self.surveys,
                now,
            ),
            Command::FollowUp(FollowUpCommand::Cancel(cancel)) => {
                follow_up::cancel(&self.follow_ups, cancel)
            }
            Command::Survey(SurveyCommand::Request(request)) => {
                survey::request(&self.surveys, &self.complaints, request)
            }
            Command::Survey(SurveyCommand::Answer(answer)) => survey::answer(&self.surveys, answer),
            Command::Customer(CustomerCommand::ErasePersonalData(_)) => {
                Ok(vec![Event::Customer(CustomerEvent::PersonalDataErased {
                    fields: self.personal_data_held(),
                })])
            }
        }
    }

    fn interaction_events(
        &self,
        policy: &ServicePolicy,
        profile: &Profile,
        record: &RecordInteraction,
        now: DateTime<Utc>,
    ) -> Result<Vec<Event>, CommandError> {
        if self.interactions.binary_search(&record.interaction).is_ok() {
            return Err(CommandError::DuplicateInteraction(record.interaction));
        }
        if record.direction == Direction::Outbound && record.awaits_reply {
            return Err(CommandError::Contradictory(
                "an outbound interaction cannot await a reply from us",
            ));
        }
        if let Some(unknown) = record
            .regarding
            .iter()
            .find(|id| !self.promises.contains_key(id))
        {
            return Err(CommandError::UnknownPromise(*unknown));
        }
        let mut events = vec![Event::Response(ResponseEvent::InteractionRecorded {
            interaction: record.interaction,
            channel: record.channel,
            direction: record.direction,
            agent: record.agent,
            summary: record.summary.clone(),
            awaits_reply: record.awaits_reply,
            priority: record.priority,
            regarding: record.regarding.clone(),
        })];
        match (record.direction, self.response.wait()) {
            (Direction::Inbound, None) if record.awaits_reply => {
                let kind = if self.responses_given == 0 {
                    ClockKind::FirstResponse
                } else {
                    ClockKind::Reply
                };
                let targets = match kind {
                    ClockKind::FirstResponse => &policy.first_response,
                    ClockKind::Reply => &policy.reply,
                };
                let target = targets.get(record.priority, &profile.tier);
                let calendar = targets.calendar(record.priority);
                let due = policy.due(calendar, now, target)?;
                let warn_at = policy
                    .response_warning
                    .warn_after(target)
                    .map(|lead| policy.due(calendar, now, lead))
                    .transpose()?;
                events.push(Event::Response(ResponseEvent::ClockStarted {
                    kind,
                    since: record.interaction,
                    priority: record.priority,
                    tier: profile.tier.clone(),
                    target,
                    calendar: calendar.map(str::to_owned),
                    due,
                    warn_at,
                }));
            }
            (Direction::Outbound, Some(wait)) => {
                let calendar = wait.calendar.as_deref();
                let waited = policy.elapsed(calendar, wait.started, now)?;
                let outcome = policy.outcome(calendar, wait.due, now)?;
                events.push(Event::Response(ResponseEvent::ClockStopped {
                    kind: wait.kind,
                    since: wait.since,
                    answered_by: record.interaction,
                    target: wait.target,
                    due: wait.due,
                    waited,
                    outcome,
                }));
            }
            (Direction::Inbound, _) | (Direction::Outbound, None) => {}
        }
        Ok(events)
    }

    /// Folds one event; `Err` says why it does not fit. Leaves `self` unchanged on error.
    fn fold(&mut self, at: DateTime<Utc>, event: &Event) -> Result<(), String> {
        if self.profile.is_none() && !matches!(event, Event::Customer(_)) {
            return Err("the customer is not registered".into());
        }
        match event {
            Event::Customer(event) => self.fold_customer(at, event),
            Event::Response(event) => self.fold_response(at, event),
            Event::Promise(event) => {
                promise::fold(&mut self.promises, at, event)?;
                self.remember_after(at, reactions::remembered_promise(event));
                Ok(())
            }
            Event::Complaint(event) => complaint::fold(&mut self.complaints, at, event),
            Event::FollowUp(event) => {
                if let FollowUpEvent::Scheduled {
                    complaint: Some(linked),
                    ..
                } = event
                    && !self.complaints.contains_key(linked)
                {
                    return Err(format!("complaint {linked} is not known"));
                }
                follow_up::fold(&mut self.follow_ups, at, event)?;
                if let FollowUpEvent::Scheduled {
                    follow_up: id,
                    complaint: Some(linked),
                    ..
                } = event
                {
                    complaint::link_follow_up(&mut self.complaints, *linked, *id);
                }
                Ok(())
            }
            Event::Survey(event) => {
                survey::fold(&mut self.surveys, at, event)?;
                self.remember_after(at, reactions::remembered_survey(event));
                Ok(())
            }
            Event::Health(event) => self.fold_health(at, event),
        }
    }

    fn remember_after(&mut self, at: DateTime<Utc>, fact: Option<health::Recent>) {
        if let Some(fact) = fact {
            self.remember(at, fact);
        }
    }

    fn fold_customer(&mut self, at: DateTime<Utc>, event: &CustomerEvent) -> Result<(), String> {
        if let CustomerEvent::Registered {
            name,
            tier,
            contacts,
            preferred_channel,
            owner,
        } = event
        {
            if self.profile.is_some() {
                return Err("the customer is registered already".into());
            }
            self.profile = Some(Profile {
                name: name.clone(),
                tier: tier.clone(),
                contacts: contacts.clone(),
                preferred_channel: *preferred_channel,
                owner: *owner,
                registered_at: at,
            });
            return Ok(());
        }
        if let CustomerEvent::PersonalDataErased { .. } = event {
            // The count is not checked: a replayed log whose older events were shredded
            // holds less than the live state did.
            self.erase_personal();
            return Ok(());
        }
        let Some(profile) = self.profile.as_mut() else {
            return Err("the customer is not registered".into());
        };
        match event {
            CustomerEvent::Renamed { name } => profile.name = name.clone(),
            CustomerEvent::TierChanged { tier } => profile.tier = tier.clone(),
            CustomerEvent::ContactPointSet { channel, address } => {
                profile.contacts.insert(*channel, address.clone());
            }
            CustomerEvent::ContactPointRemoved { channel } => {
                profile.contacts.remove(channel);
            }
            CustomerEvent::PreferredChannelSet { channel } => profile.preferred_channel = *channel,
            CustomerEvent::AccountOwnerSet { owner } => profile.owner = *owner,
            CustomerEvent::Registered { .. } | CustomerEvent::PersonalDataErased { .. } => {}
        }
        Ok(())
    }

    fn fold_response(&mut self, at: DateTime<Utc>, event: &ResponseEvent) -> Result<(), String> {
        match event {
            ResponseEvent::InteractionRecorded {
                interaction,
                direction,
                awaits_reply,
                regarding,
                ..
            } => {
                let Err(slot) = self.interactions.binary_search(interaction) else {
                    return Err(format!("interaction {interaction} is recorded already"));
                };
                if let Some(unknown) = regarding.iter().find(|id| !self.promises.contains_key(id)) {
                    return Err(format!("promise {unknown} is not known"));
                }
                if *direction == Direction::Inbound
                    && *awaits_reply
                    && self.response.wait().is_some()
                {
                    self.clock(ClockAction::Await, None)?;
                }
                self.interactions.insert(slot, *interaction);
                if *direction == Direction::Outbound {
                    promise::inform(&mut self.promises, regarding, at)?;
                }
            }
            ResponseEvent::ClockStarted {
                kind,
                since,
                priority,
                target,
                calendar,
                due,
                warn_at,
                ..
            } => {
                let wait = Wait {
                    calendar: calendar.clone(),
                    kind: *kind,
                    since: *since,
                    started: at,
                    priority: *priority,
                    target: *target,
                    due: *due,
                    warn_at: *warn_at,
                    unanswered: 1,
                };
                self.clock(ClockAction::Start, Some(wait))?;
            }
            ResponseEvent::AtRisk { since, due } => {
                self.expect_wait(*since)?;
                let wait = self.response.wait().ok_or("no response clock is running")?;
                if *due != wait.due || wait.warn_at.is_none_or(|warn_at| at < warn_at) {
                    return Err(format!(
                        "the warning contradicts the clock (due {}, warn at {:?})",
                        wait.due, wait.warn_at
                    ));
                }
                self.clock(ClockAction::Warn, None)?;
            }
            ResponseEvent::Overdue { since, due } => {
                self.expect_wait(*since)?;
                let wait = self.response.wait().ok_or("no response clock is running")?;
                if *due != wait.due || at < wait.due {
                    return Err(format!(
                        "the breach contradicts the clock, due {}",
                        wait.due
                    ));
                }
                self.clock(ClockAction::Breach, None)?;
            }
            ResponseEvent::ClockStopped { since, .. } => {
                self.expect_wait(*since)?;
                self.clock(ClockAction::Answer, None)?;
                self.responses_given = self.responses_given.saturating_add(1);
            }
        }
        self.remember_after(at, reactions::remembered_response(event));
        Ok(())
    }

    fn fold_health(&mut self, at: DateTime<Utc>, event: &HealthEvent) -> Result<(), String> {
        match event {
            HealthEvent::AtRisk { .. } => {
                if self.at_risk_since.is_some() {
                    return Err("the relationship is at risk already".into());
                }
                self.at_risk_since = Some(at);
            }
            HealthEvent::Recovered { .. } => {
                if self.at_risk_since.take().is_none() {
                    return Err("the relationship was not at risk".into());
                }
            }
        }
        Ok(())
    }

    fn expect_wait(&self, since: InteractionId) -> Result<(), String> {
        match self.response.wait() {
            Some(wait) if wait.since == since => Ok(()),
            Some(wait) => Err(format!(
                "the response clock runs since {}, not {since}",
                wait.since
            )),
            None => Err("no response clock is running".into()),
        }
    }

    fn clock(&mut self, action: ClockAction, start: Option<Wait>) -> Result<(), String> {
        let next = self
            .response
            .clone()
            .transition(action, start)
            .map_err(|refused| {
                format!(
                    "a response clock that is {} cannot {}",
                    ResponseLifecycle::stage_name(refused.from),
                    ResponseLifecycle::action_name(refused.action)
                )
            })?;
        self.response = next;
        Ok(())
    }
}

fn registered(register: &RegisterCustomer) -> Event {
    Event::Customer(CustomerEvent::Registered {
        name: register.name.clone(),
        tier: register.tier.clone(),
        contacts: register.contacts.clone(),
        preferred_channel: register.preferred_channel,
        owner: register.owner,
    })
}

fn profile_updates(profile: &Profile, update: &UpdateProfile) -> Result<Vec<Event>, CommandError> {
    if update
        .set_contacts
        .keys()
        .any(|c| update.remove_contacts.contains(c))
    {
        return Err(CommandError::Contradictory(
            "a contact point is both set and removed",
        ));
    }
    let mut events = Vec::new();
    if let Some(name) = update.name.as_ref().filter(|name| **name != profile.name) {
        events.push(Event::Customer(CustomerEvent::Renamed {
            name: name.clone(),
        }));
    }
    if let Some(tier) = update.tier.as_ref().filter(|tier| **tier != profile.tier) {
        events.push(Event::Customer(CustomerEvent::TierChanged {
            tier: tier.clone(),
        }));
    }
    for (channel, address) in &update.set_contacts {
        if profile.contacts.get(channel) != Some(address) {
            events.push(Event::Customer(CustomerEvent::ContactPointSet {
                channel: *channel,
                address: address.clone(),
            }));
        }
    }
    for channel in &update.remove_contacts {
        if profile.contacts.contains_key(channel) {
            events.push(Event::Customer(CustomerEvent::ContactPointRemoved {
                channel: *channel,
            }));
        }
    }
    if let Some(channel) = update
        .preferred_channel
        .filter(|c| *c != profile.preferred_channel)
    {
        events.push(Event::Customer(CustomerEvent::PreferredChannelSet {
            channel,
        }));
    }
    if let Some(owner) = update.owner.filter(|o| *o != profile.owner) {
        events.push(Event::Customer(CustomerEvent::AccountOwnerSet { owner }));
    }
    if events.is_empty() {
        return Err(CommandError::NothingToChange);
    }
    Ok(events)
}

/// The events one keyed request produced.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Remembered {
    key: IdempotencyKey,
    first: u64,
    last: u64,
}

/// What applying a keyed envelope does to the remembered keys.
enum KeyUpdate {
    /// The next event of the latest keyed request.
    Extend,
    /// The first event of a new keyed request.
    Start(Remembered),
}

/// The latest keyed requests, oldest first, at most [`Relationship::REMEMBERED_KEYS`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Keys(Vec<Remembered>);

impl Keys {
    fn find(&self, key: &IdempotencyKey) -> Option<&Remembered> {
        self.0.iter().rev().find(|k| &k.key == key)
    }

    /// How a keyed envelope at `seq` fits: it continues the latest keyed request, or starts
    /// one whose key was not used yet.
    fn check(&self, key: &IdempotencyKey, seq: u64) -> Result<KeyUpdate, String> {
        if let Some(latest) = self.0.last()
            && &latest.key == key
            && latest.last.checked_add(1) == Some(seq)
        {
            return Ok(KeyUpdate::Extend);
        }
        if self.find(key).is_some() {
            return Err(format!(
                "idempotency key {key} was used by an earlier request"
            ));
        }
        Ok(KeyUpdate::Start(Remembered {
            key: key.clone(),
            first: seq,
            last: seq,
        }))
    }

    fn apply(&mut self, update: KeyUpdate) {
        match update {
            KeyUpdate::Extend => {
                if let Some(latest) = self.0.last_mut() {
                    latest.last = latest.last.saturating_add(1);
                }
            }
            KeyUpdate::Start(remembered) => {
                if self.0.len() >= Relationship::REMEMBERED_KEYS {
                    self.0.remove(0);
                }
                self.0.push(remembered);
            }
        }
    }
}
