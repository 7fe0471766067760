//! [`Relationship`]: everything about one customer, and the consistency boundary of the model.
//!
//! ```text
//! command + now ──decide(&self)──▶ Vec<Envelope> ──(service persists them)──▶ apply(&mut self)
//! now ──advance_to(&mut self)──▶ Vec<Envelope>     (deadlines that passed become facts)
//! next_deadline(&self) ──▶ Option<Deadline>         (when to wake up, and why)
//! flags(&self, now) ──▶ Vec<Flag>                   (the level view)
//! ```
//!
//! The aggregate is split by verb family: `decide.rs` (commands become events), `apply.rs`
//! (stored events fold in, family by family), `time.rs` (deadlines, flags), `keys.rs`
//! (idempotency keys), and `reactions.rs`: the rules that span families, run after the
//! primary events the same way in `decide` and `advance_to`.
//!
//! # Facts reported late
//! A command says when the thing happened: [`Request::occurred_at`](crate::Request::occurred_at)
//! (plain [`decide`](Relationship::decide) means it happened at `now`). The events are dated
//! at that time ([`Envelope::at`](crate::Envelope::at), which every fold, outcome, flag and
//! measure uses) and keep when they were recorded ([`Envelope::recorded`](crate::Envelope::recorded),
//! written only when later than `at`, so a fact recorded when it happened is written exactly
//! as before). The rules:
//! - **The recording time never runs backwards**: a `now` earlier than the last recording time
//!   is [`TimeWentBackwards`](crate::CommandError::TimeWentBackwards); replay checks the same
//!   ([`ReplayError::OutOfOrder`]). A fact may happen before
//!   facts already recorded, never before the customer was registered
//!   ([`BeforeRegistration`](crate::CommandError::BeforeRegistration)) and never after it is
//!   recorded ([`AfterRecording`](crate::CommandError::AfterRecording)).
//! - **Recorded events are never rewritten.** A fact that happened at `t`, recorded at `now`:
//!   the deadlines that fell due at or before `t` and are not yet recorded come first (dated
//!   at their deadlines); then the command is decided as of `t` (outcomes and lateness are
//!   measured from `t`); then the deadlines that fell due between `t` and `now` (dated at
//!   their deadlines); then the health band at `now`. A deadline's event recorded after a
//!   later fact carries that fact's recording time as `recorded`.
//!
//! The response clock, for a late interaction at `t`:
//! - **An answer at `t`** stops the clock waiting since `started <= t`: the wait and the
//!   outcome are measured to `t` (met, or met late by the time from the due instant to `t`).
//!   If a breach was recorded before the answer was, the breach stands in the log and the
//!   clock stops all the same; the outcome still says what happened at `t`: `met` when `t` is
//!   before the due instant (the breach was what we knew when it was recorded), met late by
//!   `t - due` otherwise. Measures count both the breach and the outcome.
//! - **An answer dated before the message the clock waits on** answers nothing: it is
//!   recorded, the clock runs on.
//! - **A message at `t` while another waits**: if it is older than the wait's start, the wait
//!   re-anchors on it (the oldest unanswered message fixes the deadline): a second
//!   `response_clock_started`, dated `t`, with the deadline computed from `t`; the wait keeps
//!   its stage (a warning or breach recorded stands) and the messages counted. If the new
//!   deadline has passed by `now`, its warning and breach are recorded at once, dated at
//!   their instants. A message younger than the wait's start counts, as always.
//! - **A message dated before the latest outbound interaction** was answered by it: it is
//!   recorded and starts or joins no clock (nor is it measured).
//!
//! Measures read `at`, so the same history gives the same figures however late its facts
//! were recorded, with two limits that follow from never rewriting a recorded event: a late
//! answer may find a breach already recorded (the breach counts, the outcome is the real
//! one: the overdue count may be higher, never lower); and a fact reported past an
//! **answer** it preceded (a message older than an answer already recorded, an answer older
//! than another answer already recorded) cannot move that answer: the message is not
//! measured, and the older answer answers nothing. `tests/late_facts.rs` checks this by
//! property.
//!
//! Per family, a command dated before the latest fact already recorded
//! ([`latest_fact`](Relationship::latest_fact)):
//!
//! | Family | Dated before the latest fact |
//! |---|---|
//! | Response (`record_interaction`) | taken, by the rules above |
//! | Customer (profile, erasure) | refused: [`CannotBackdate`](crate::CommandError::CannotBackdate) (the profile keeps no history: an older name would overwrite a newer one) |
//! | Promise | refused: `CannotBackdate` (a promise's stage, revisions and slips follow the order they were recorded in) |
//! | Complaint | refused: `CannotBackdate` (its target clocks pause and resume by intervals that must follow each other) |
//! | Follow-up | refused: `CannotBackdate` (its outcome and the complaint it reopens follow recording order) |
//! | Survey | refused: `CannotBackdate` (answers and voids follow recording order) |
//!
//! Every family takes a late fact dated at or after the latest fact (the log stays in time
//! order, only `recorded` is added), decided as of when it happened. `CannotBackdate` is
//! never a deadline reason: the caller may record the fact as happening at the latest fact's
//! time or later.

mod apply;
mod decide;
mod keys;
mod reactions;
mod time;
mod work;

pub use work::{Owner, WorkList};

use keys::Keys;

use crate::customer::Profile;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::complaint::{Complaint, Complaints};
use crate::error::ReplayError;
use crate::event::Envelope;
use crate::follow_up::{FollowUp, FollowUps};
use crate::health::{self, Health};
use crate::id::{AgentId, ComplaintId, CustomerId, FollowUpId, InteractionId, PromiseId, SurveyId};
use crate::personal::Erase;
use crate::policy::ServicePolicy;
use crate::promise::{Promise, Promises};
use crate::response::ResponseClock;
use crate::survey::{Survey, Surveys};

/// What health counts of a relationship's promises (see `Relationship::promise_tally`).
#[derive(Debug, Default)]
struct PromiseTally {
    broken: u32,
    dues: Vec<DateTime<Utc>>,
    slips: u32,
}

/// One customer's relationship with us: the profile, interactions and the response clock,
/// promises, complaints with their target clocks and escalation, follow-ups, surveys, and the
/// relationship's health.
///
/// It is a deterministic function of the events applied to it: it reads no clock, and
/// [`Relationship::replay`] of its events gives an equal value.
///
/// # Its methods, by family
/// - **Reading state**: [`customer`](Self::customer), [`version`](Self::version),
///   [`last_seen`](Self::last_seen), [`profile`](Self::profile),
///   [`response_clock`](Self::response_clock), [`promise`](Self::promise) /
///   [`promises`](Self::promises), [`complaint`](Self::complaint) /
///   [`complaints`](Self::complaints), [`follow_up`](Self::follow_up) /
///   [`follow_ups`](Self::follow_ups), [`surveys`](Self::surveys), [`health`](Self::health),
///   [`holds_personal_data`](Self::holds_personal_data), [`handled`](Self::handled).
/// - **Deciding** (pure: events or a typed error, nothing changes):
///   [`decide`](Self::decide), [`decide_request`](Self::decide_request).
/// - **Applying** (folding stored events): [`apply`](Self::apply), [`replay`](Self::replay);
///   and both at once, all or nothing: [`execute`](Self::execute),
///   [`execute_request`](Self::execute_request).
/// - **Time**: [`next_deadline`](Self::next_deadline) (when to wake up, and why),
///   [`advance_to`](Self::advance_to) (deadlines that passed become events),
///   [`flags`](Self::flags) (the level view for dashboards).
///
/// # Time
/// Every event has the time it happened and the time it was recorded (the same, unless it
/// was reported late); recording times never decrease within a relationship. A command whose
/// `now` is earlier than the last recording time is rejected with
/// [`CommandError::TimeWentBackwards`](crate::error::CommandError::TimeWentBackwards) (never
/// clamped: a fact is recorded at the time the caller gave, or not at all); a fact that
/// happened earlier says so with [`Request::occurred_at`](crate::Request::occurred_at) (see
/// the [module docs](self) for how it meets the clocks). [`advance_to`](Self::advance_to)
/// with an earlier `now` does nothing.
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Relationship {
    customer: CustomerId,
    version: u64,
    /// The latest recording time: it never decreases.
    #[serde(with = "crate::compact::instant::option")]
    last_at: Option<DateTime<Utc>>,
    /// The latest time a recorded fact happened (facts reported late may be earlier).
    #[serde(with = "crate::compact::instant::option")]
    latest_at: Option<DateTime<Utc>>,
    /// When the latest outbound interaction happened: it answered every message before it.
    #[serde(with = "crate::compact::instant::option")]
    answered_at: Option<DateTime<Utc>>,
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
    #[serde(with = "crate::compact::timed")]
    recent: Vec<(DateTime<Utc>, health::Recent)>,
    /// Since when the relationship has been at risk, if it is.
    #[serde(with = "crate::compact::instant::option")]
    at_risk_since: Option<DateTime<Utc>>,
    /// The idempotency keys of the keyed requests of the last 7 days.
    keys: Keys,
}

impl Relationship {
    /// An empty relationship for `customer`, before registration.
    #[must_use]
    pub fn new(customer: CustomerId) -> Self {
        Self {
            customer,
            version: 0,
            last_at: None,
            latest_at: None,
            answered_at: None,
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

    /// The recording time of the last event, if any: the latest moment this relationship
    /// recorded anything (see [`Envelope::recorded_at`](crate::Envelope::recorded_at)). It
    /// never decreases; the next command's `now` may not be earlier.
    #[must_use]
    pub const fn last_seen(&self) -> Option<DateTime<Utc>> {
        self.last_at
    }

    /// The latest time a recorded fact happened, if any. Earlier than
    /// [`last_seen`](Self::last_seen) when the last facts were reported late.
    #[must_use]
    pub const fn latest_fact(&self) -> Option<DateTime<Utc>> {
        self.latest_at
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
        self.open_items_tallied(&self.promise_tally(), now)
    }

    /// What health counts of the promises, in a form that answers for any instant: the
    /// promises broken already, and the due instants of the others still outstanding.
    /// Firing deadlines changes none of it (a promise that breaks was counted from its due
    /// instant on), so `advance_to` tallies once and reads it after every deadline.
    fn promise_tally(&self) -> PromiseTally {
        let mut tally = PromiseTally::default();
        for (_, promise) in self.promises.iter() {
            if !promise.is_outstanding() {
                continue;
            }
            if promise.stage() == crate::promise::PromiseStage::Broken {
                tally.broken = tally.broken.saturating_add(1);
            } else {
                tally.dues.push(promise.terms.due);
            }
            if promise.terms.slipped_repeatedly {
                tally.slips = tally.slips.saturating_add(1);
            }
        }
        tally.dues.sort_unstable();
        tally
    }

    fn open_items_tallied(&self, tally: &PromiseTally, now: DateTime<Utc>) -> health::OpenItems {
        let past_due = tally.dues.partition_point(|due| *due <= now);
        let mut open = health::OpenItems {
            broken_promises: tally
                .broken
                .saturating_add(u32::try_from(past_due).unwrap_or(u32::MAX)),
            repeated_slips: tally.slips,
            ..health::OpenItems::default()
        };
        for (_, complaint) in self.complaints.iter().filter(|(_, c)| c.is_open()) {
            let weight = 1u32
                .saturating_add(complaint.level)
                .saturating_add(u32::from(complaint.escalation_due.is_some()));
            open.complaint_weight = open.complaint_weight.saturating_add(weight);
        }
        if let Some(wait) = self.response.wait() {
            open.waiting_overdue = wait.due.is_some_and(|due| now >= due);
            open.waiting_at_risk = wait.warn_at.is_some_and(|at| now >= at);
            open.unanswered = wait.unanswered;
        }
        open
    }

    /// Keeps `fact` among the recent ones, in time order (a fact reported late goes before
    /// later ones), dropping the oldest past `health::RECENT`.
    fn remember(&mut self, at: DateTime<Utc>, fact: health::Recent) {
        let slot = self.recent.partition_point(|(t, _)| *t <= at);
        self.recent.insert(slot, (at, fact));
        if self.recent.len() > health::RECENT {
            self.recent.remove(0);
        }
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
}
