//! [`Relationship`]: everything about one customer, and the consistency boundary of the model.
//!
//! One order, for commands and for time alike: **decide, store, then apply**.
//!
//! ```text
//! command + now ──decide(&self)──▶ Vec<Envelope> ──(service stores them)──▶ apply_all(&mut self)
//! now ──due_by(&self)──▶ Vec<Envelope>           ──(service stores them)──▶ apply_all(&mut self)
//! next_deadline(&self) ──▶ Option<Deadline>         (when to wake up, and why)
//! flags(&self, now) ──▶ Vec<Flag>                   (the level view)
//! ```
//!
//! `decide` and `due_by` change nothing; `apply_all` folds a batch all or nothing, so a store
//! that fails leaves the state as the store holds it. [`execute`](Relationship::execute) and
//! [`advance_to`](Relationship::advance_to) are the two steps in one call (apply, then hand
//! the events back), for tests and callers that keep no store.
//!
//! The aggregate is split by verb family: `decide.rs` (commands become events), `apply.rs`
//! (stored events fold in, family by family), `time.rs` (deadlines, flags), `keys.rs`
//! (idempotency keys), and `reactions.rs`: the rules that span families, run after the
//! primary events the same way in `decide` and `advance_to`.
//!
//! # Open work and the archive
//! A command's cost follows the customer's open work, not their history. Deciding works on a
//! copy (the look-ahead that records due deadlines first), and [`execute`](Relationship::execute)
//! applies to a copy it keeps only if every event applies (all or nothing); so the state is
//! split in two:
//! - **the open state**, copied per command: the profile, the response clock, outstanding
//!   promises, pending follow-ups, complaints in play and surveys (see below), the
//!   idempotency keys;
//! - **the history the rules still read**, shared by the copies (`src/shared.rs`: the bulk
//!   behind an `Arc`, each copy writing a short part of its own, folded in once it holds the
//!   bulk alone): the conversation's messages and answers (a late fact is placed among
//!   them), health's record of the window, the first and latest fact of each item still
//!   held (the order late facts keep), and closed complaints (below);
//! - **the archive**, shared by the copies (behind an `Arc`, written through a short buffer,
//!   `archive.rs`): every interaction id recorded, and the id and closing stage of every closed
//!   promise (kept, kept late, withdrawn, with when it was made) and follow-up (done,
//!   cancelled). A promise or follow-up leaves the open state, and the order of facts reported
//!   late (see below), as the event closing it is applied: a command acting on it is refused by
//!   its stage, whenever it is dated.
//!
//! What the rules need of a closed item is its id and stage, and the archive answers both:
//! a duplicate id is refused as before ([`DuplicatePromise`](crate::CommandError::DuplicatePromise),
//! [`DuplicateFollowUp`](crate::CommandError::DuplicateFollowUp),
//! [`DuplicateInteraction`](crate::CommandError::DuplicateInteraction)); a command on a closed
//! promise or follow-up is refused by its stage exactly as before (the family decides on a
//! stand-in of that stage); an interaction may still name a closed promise, a complaint may
//! still link one. Health and the measures never read closed promises or follow-ups (health
//! counts outstanding promises and open complaints; measures read the log), so they are
//! unchanged. Reading: [`promise`](Relationship::promise) and [`promises`](Relationship::promises)
//! (and the follow-up pair) answer for open items; [`promise_stage`](Relationship::promise_stage),
//! [`follow_up_stage`](Relationship::follow_up_stage) and
//! [`recorded_interaction`](Relationship::recorded_interaction) also for archived ones; the
//! rest of a closed item (its texts, dates, revisions) is in the log, not in the state, and an
//! erasure has nothing of it to erase.
//!
//! Two families are kept otherwise:
//! - **complaints** are kept whole, closed ones included: a closed complaint can be reopened at
//!   any time, and a reopen continues or restarts its clocks, keeps its level, owner, history
//!   and links, and reads its summary for the follow-up. A closed one (with nothing left to
//!   fall due) leaves the open state for a map shared between copies, whole
//!   (`complaint/book.rs`); a reopen or a follow-up linked to it takes it back.
//!   [`complaint`](Relationship::complaint) and [`complaints`](Relationship::complaints) read
//!   both, and [`archived`](Relationship::archived) counts the closed ones.
//! - **surveys** stay whole in the open state: one survey per resolution is enforced by
//!   reading the answered surveys of a complaint's current resolution, which can be reopened
//!   and surveyed again.
//!
//! The archive costs 16 bytes an interaction id, 17 a follow-up (its id and a stage byte) and
//! 32 a promise (its id, stage and when it was made), in sorted runs of exactly that size,
//! merged geometrically and searched run by run (`benches/README.md` has the figures). An
//! entry is copied O(log n) times and an id found in O(log² n) comparisons, whatever the
//! order of the ids (random UUIDs included).
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
//! - **Each item keeps the order of its own facts.** A late fact may precede facts about
//!   other items and the deadlines of its own item (warnings, breaches, overdue follow-ups:
//!   they stand), but not a fact already recorded about the same item, nor the start of an
//!   item it links to: then it is [`CannotBackdate`](crate::CommandError::CannotBackdate),
//!   naming the item ([`FactItem`](crate::FactItem)) and that fact's time. It is never a
//!   deadline reason, and facts about other items never cause it (a call of 10:00 logged at
//!   11:00 after unrelated facts of 10:30 is taken).
//!
//! Per family, a fact dated `t`, before facts already recorded:
//!
//! | Family | Taken when | Decided as of `t` | Refused (`CannotBackdate`) |
//! |---|---|---|---|
//! | Response (`record_interaction`) | always (no item order: the clock's rules below) | the clock's start, stop, outcome and wait | never |
//! | Customer (profile updates, erasure) | `t` at or after the profile's latest change | the value set; an erasure erases what is held when it is recorded | an update or erasure dated before the latest profile change (an older name never overwrites a newer one) |
//! | Promise (make, revise, keep, withdraw, outside-party commitment and its delivery) | `t` at or after the promise's latest fact; made after its complaint was received | due instants and warnings computed from `t`; a keep measured at `t` (kept on time before the due instant even after a break was recorded: the break stands, the stage reads `kept_late`, the event's outcome `met`); a re-promise before the due instant is `proactive` even after the break; a delivery measured at `t` | dated before the promise's latest fact (made, revised, kept...) |
//! | Complaint (receive, acknowledge, assign, escalate, await/resume, resolve, close, reopen) | `t` at or after the complaint's latest fact; received after the promises it is about were made | target outcomes measured to `t` (an acknowledgement or resolution before its due instant is met even after a breach was recorded: the breach stands); pauses start and end at their real times (a wait that began before the due instant keeps the time left then, even when logged after the breach was recorded: the breach stands, and the resumed clock is due when it would have been); the follow-up a resolution schedules is due from `t` | dated before the complaint's latest fact: a pause inside a pause recorded, an acknowledgement or escalation before a recorded resolution |
//! | Follow-up (schedule, complete, cancel) | `t` at or after the follow-up's latest fact, and, for a call that may reopen its complaint, after the complaint's latest fact; scheduled after its complaint was received | timing measured at `t` (an overdue recorded stands); a reopen at `t` | dated before either |
//! | Survey (request, answer) | `t` at or after the survey's latest fact; requested after its complaint was received | the answer at `t` | an answer dated before its request (an unprompted answer names no survey: always taken) |
//!
//! The response clock, for a late interaction at `t`:
//! - **An answer at `t`** stops the clock waiting since `started <= t`: the wait and the
//!   outcome are measured to `t` (met, or met late by the time from the due instant to `t`).
//!   If a breach was recorded before the answer was, the breach stands in the log and the
//!   clock stops all the same; the outcome still says what happened at `t`: `met` when `t` is
//!   before the due instant (the breach was what we knew when it was recorded), met late by
//!   `t - due` otherwise. Measures count both the breach and the outcome. The messages of
//!   the wait that came after `t` still wait: the oldest starts the next (reply) clock, dated
//!   at that message, its deadline computed from it (its passed deadlines recorded at once).
//! - **An answer dated before the message the clock waits on** answers nothing: it is
//!   recorded, the clock runs on.
//! - **A message at `t` while another waits**: if it is older than the wait's start, the wait
//!   re-anchors on it (the oldest unanswered message fixes the deadline): a second
//!   `response_clock_started`, dated `t`, with the deadline computed from `t`; the wait keeps
//!   its stage (a warning or breach recorded stands) and the messages counted. If the new
//!   deadline has passed by `now`, its warning and breach are recorded at once, dated at
//!   their instants. A message younger than the wait's start counts, as always.
//! - **A message at `t` followed by an answer already recorded**: if that answer stopped a
//!   clock, the message was part of that wait (recorded, nothing else). If it stopped none,
//!   the message's own wait is recorded as it happened: `response_clock_started` at `t`, the
//!   warning and breach that fell before the answer at their instants, and
//!   `response_clock_stopped` at the answer's time, answered by it.
//! - **A question at `t` that awaits the customer**
//!   ([`RecordInteraction::awaiting_customer`](crate::RecordInteraction::awaiting_customer)) is
//!   an answer at `t` by the rules above; it then awaits the customer
//!   (`response_awaiting_customer`, dated `t`) only if the customer has not spoken after `t`
//!   (their later message already answered it: nothing waits, no cadence pauses). An update
//!   cadence it pauses may have warned or fallen overdue between `t` and `now`: those stand.
//!   A message reported late, dated before the question we wait on, neither ends the wait nor
//!   re-arms a cadence.
//!
//! The events of one decision carry their own dates (the facts a late interaction brings with
//! it above). Measures read `at`, so the same history gives the same figures however late its
//! facts were recorded, with limits that follow from never rewriting a recorded event: a late
//! fact may find a deadline event already recorded (the breach counts, the outcome is the real
//! one: the overdue count may be higher, never lower); a fact reported past an answer that
//! **stopped a clock** cannot move that answer or the clock it stopped (an answer older than
//! that answer answers nothing; a message older than the wait that answer stopped is counted
//! in nothing and does not re-anchor it; clock kinds already recorded stay as they are). A
//! promise or complaint deadline recorded before a late fact that would have prevented it
//! stands too. Two more limits of the same kind: a message reported past the answer that
//! followed it, after a later message started a wait, leaves that wait as it began (a first
//! response rather than a reply, with its deadline); and a reaction to a deadline is decided
//! when the deadline is recorded, so a complaint about a promise reported after the promise's
//! second break was recorded raises no escalation for that break. Measures count every wait's
//! breach and answer as recorded. `tests/late_facts_property.rs` checks the rest by property
//! (every family; facts reported past deadlines, other items' facts, later messages, and the
//! answer that followed them); `tests/late_facts.rs` has the scenarios.

mod apply;
mod archive;
mod decide;
mod keys;
mod order;
mod rare;
mod reactions;
mod time;
mod work;

pub use work::WorkList;

use archive::Archive;
use keys::Keys;
use rare::Rare;

use crate::lazy::Lazy;

use crate::customer::Profile;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::complaint::Complaint;
use crate::error::ReplayError;
use crate::event::Envelope;
use crate::flag::Regarding;
use crate::follow_up::{FollowUp, FollowUpStage};
use crate::health::{self, Health};
use crate::id::{AgentId, ComplaintId, CustomerId, FollowUpId, InteractionId, PromiseId, SurveyId};
use crate::personal::Erase;
use crate::policy::ServicePolicy;
use crate::promise::{Promise, PromiseStage, Promises};
use crate::response::{Conversation, ResponseClock, UpdateClock};
use crate::survey::Survey;

/// What health counts of a relationship's promises and complaints (see
/// `Relationship::promise_tally`).
#[derive(Debug, Default)]
struct PromiseTally {
    broken: u32,
    dues: Vec<DateTime<Utc>>,
    slips: u32,
    /// The open complaints' weight: kept up to date by `advance_to` as complaints move.
    complaints: u32,
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
/// - **Applying** (folding stored events): [`apply_all`](Self::apply_all) (a stored batch,
///   all or nothing), [`apply`](Self::apply), [`replay`](Self::replay);
///   and both at once, all or nothing: [`execute`](Self::execute),
///   [`execute_request`](Self::execute_request).
/// - **Time**: [`next_deadline`](Self::next_deadline) (when to wake up, and why),
///   [`due_by`](Self::due_by) (pure: what fell due, to store then apply),
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
    /// The messages and answers, by when they happened.
    conversation: Conversation,
    profile: Option<Profile>,
    response: ResponseClock,
    /// Interaction ids recorded, closed promises and follow-ups: shared between copies, see
    /// the [module docs](self).
    archive: Archive,
    promises: Promises,
    /// Complaints, follow-ups, surveys, update cadences and idempotency keys: boxed, absent
    /// until one is used (see `rare.rs`).
    rare: Rare,
    /// The facts health reads, by time (see [`crate::health`]).
    record: health::Record,
    /// The health rules last scored under (a cache, not state: not in snapshots either).
    #[serde(skip)]
    rules: health::Rules,
    /// At risk, gone quiet, a wait reported after its answer: boxed, absent while none
    /// holds (see `rare.rs`).
    spells: Lazy<rare::Spells>,
    /// When each item's first and latest facts happened, where the item does not say: a late
    /// fact keeps their order.
    item_facts: order::ItemFacts,
}

/// What an open complaint weighs in health: one, plus its level, plus one while escalation is
/// due; a resolved or closed one weighs nothing.
fn complaint_weight(complaint: &Complaint) -> u32 {
    if !complaint.is_open() {
        return 0;
    }
    1u32.saturating_add(complaint.level)
        .saturating_add(u32::from(complaint.escalation_due.is_some()))
}

impl Relationship {
    /// An empty relationship for `customer`, before registration.
    ///
    /// ```
    /// # use clientele::chrono::{TimeZone, Utc};
    /// use clientele::{CustomerId, RegisterCustomer, Relationship, ServicePolicy, Text, Tier};
    ///
    /// # let monday = Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap();
    /// let mut ona = Relationship::new(CustomerId::from_u128(1));
    /// assert_eq!((ona.version(), ona.profile()), (0, None));
    /// // The first command registers the customer.
    /// let register = RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?);
    /// ona.execute(&ServicePolicy::default(), register, monday)?;
    /// assert_eq!(ona.version(), 1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn new(customer: CustomerId) -> Self {
        Self {
            customer,
            version: 0,
            last_at: None,
            latest_at: None,
            conversation: Conversation::default(),
            profile: None,
            response: ResponseClock::Idle,
            archive: Archive::default(),
            promises: Promises::new(),
            rare: Rare::default(),
            record: health::Record::new(),
            rules: health::Rules::default(),
            spells: Lazy::new(),
            item_facts: order::ItemFacts::new(),
        }
    }

    /// The complaints, follow-ups, surveys, update cadences and idempotency keys (empty ones
    /// when none is in use).
    fn rare(&self) -> &rare::Parts {
        self.rare.get()
    }

    /// Rebuilds a relationship from its stored events.
    ///
    /// # Errors
    /// The first [`ReplayError`]: an event of another customer, out of sequence or order, of an
    /// unsupported version, or one that does not fit the state.
    ///
    /// ```
    /// # use clientele::{*, chrono::{TimeZone, Utc}};
    /// # let (policy, monday) = (ServicePolicy::default(), Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap());
    /// # let mut ona = Relationship::new(CustomerId::from_u128(1));
    /// let mut log = Vec::new(); // your event store
    /// let register = RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?);
    /// log.extend(ona.execute(&policy, register, monday)?);
    /// let hello = RecordInteraction::inbound(InteractionId::from_u128(2), Channel::Email, Text::new("Hello?")?);
    /// log.extend(ona.execute(&policy, hello, monday)?);
    /// // After a restart: the same state from the stored events, with no clock and no policy.
    /// let replayed = Relationship::replay(ona.customer(), &log)?;
    /// assert_eq!(replayed, ona);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn replay<'a>(
        customer: CustomerId,
        events: impl IntoIterator<Item = &'a Envelope>,
    ) -> Result<Self, ReplayError> {
        let mut relationship = Self::new(customer);
        for envelope in events {
            relationship.apply(envelope)?;
        }
        // At rest: its buffers at their exact size.
        relationship.trim();
        Ok(relationship)
    }

    /// The customer.
    ///
    /// ```
    /// use clientele::{CustomerId, Relationship};
    ///
    /// let ona = Relationship::new(CustomerId::from_u128(1));
    /// assert_eq!(ona.customer(), CustomerId::from_u128(1));
    /// assert_eq!(ona.customer().to_string(), "00000000-0000-0000-0000-000000000001");
    /// ```
    #[must_use]
    pub const fn customer(&self) -> CustomerId {
        self.customer
    }

    /// How many events have been applied: the sequence number of the last one.
    ///
    /// ```
    /// # use clientele::{*, chrono::{TimeZone, Utc}};
    /// # let (policy, monday) = (ServicePolicy::default(), Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap());
    /// # let mut ona = Relationship::new(CustomerId::from_u128(1));
    /// let events = ona.execute(&policy, RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?), monday)?;
    /// assert_eq!(ona.version(), 1);
    /// assert_eq!(events.last().map(|e| e.seq), Some(ona.version()));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub const fn version(&self) -> u64 {
        self.version
    }

    /// The recording time of the last event, if any: the latest moment this relationship
    /// recorded anything (see [`Envelope::recorded_at`](crate::Envelope::recorded_at)). It
    /// never decreases; the next command's `now` may not be earlier.
    ///
    /// ```
    /// # use clientele::{*, chrono::{TimeDelta, TimeZone, Utc}};
    /// # let (policy, monday) = (ServicePolicy::default(), Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap());
    /// # let mut ona = Relationship::new(CustomerId::from_u128(1));
    /// ona.execute(&policy, RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?), monday)?;
    /// let noon = monday + TimeDelta::hours(3);
    /// let hello = RecordInteraction::inbound(InteractionId::from_u128(2), Channel::Email, Text::new("Hello?")?);
    /// ona.execute(&policy, hello, noon)?;
    /// assert_eq!(ona.last_seen(), Some(noon));
    /// // Recording time never runs backwards: an earlier `now` is refused.
    /// let earlier = noon - TimeDelta::minutes(5);
    /// let again = RecordInteraction::inbound(InteractionId::from_u128(3), Channel::Email, Text::new("Hello?")?);
    /// assert_eq!(
    ///     ona.execute(&policy, again, earlier),
    ///     Err(CommandError::TimeWentBackwards { now: earlier, last_seen: noon })
    /// );
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub const fn last_seen(&self) -> Option<DateTime<Utc>> {
        self.last_at
    }

    /// The latest time a recorded fact happened, if any. Earlier than
    /// [`last_seen`](Self::last_seen) when the last facts were reported late.
    ///
    /// ```
    /// # use clientele::{*, chrono::{TimeDelta, TimeZone, Utc}};
    /// # let (policy, monday) = (ServicePolicy::default(), Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap());
    /// # let mut ona = Relationship::new(CustomerId::from_u128(1)); ona.execute(&policy, RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?), monday)?;
    /// // A call at 10:00, recorded at 11:00.
    /// let (call, noted) = (monday + TimeDelta::hours(1), monday + TimeDelta::hours(2));
    /// let hello = RecordInteraction::inbound(InteractionId::from_u128(2), Channel::Phone, Text::new("Hello?")?);
    /// ona.execute_request(&policy, Request::new(hello).occurred_at(call), noted)?;
    /// assert_eq!((ona.latest_fact(), ona.last_seen()), (Some(call), Some(noted)));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub const fn latest_fact(&self) -> Option<DateTime<Utc>> {
        self.latest_at
    }

    /// The profile, once registered.
    ///
    /// ```
    /// # use clientele::{*, chrono::{TimeZone, Utc}};
    /// # let (policy, monday) = (ServicePolicy::default(), Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap());
    /// # let mut ona = Relationship::new(CustomerId::from_u128(1));
    /// ona.execute(&policy, RegisterCustomer::new(Text::new("Ona")?, Tier::new("gold")?), monday)?;
    /// let profile = ona.profile().ok_or("registered")?;
    /// assert_eq!(profile.name.reveal().map(Text::as_str), Some("Ona"));
    /// assert_eq!(profile.tier.as_str(), "gold");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub const fn profile(&self) -> Option<&Profile> {
        self.profile.as_ref()
    }

    /// The response clock.
    ///
    /// ```
    /// # use clientele::{*, chrono::{TimeZone, Utc}};
    /// # use clientele::response::ClockStage;
    /// # let (policy, monday) = (ServicePolicy::default(), Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap());
    /// # let mut ona = Relationship::new(CustomerId::from_u128(1)); ona.execute(&policy, RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?), monday)?;
    /// assert_eq!(ona.response_clock().stage(), ClockStage::Idle);
    /// let hello = RecordInteraction::inbound(InteractionId::from_u128(2), Channel::Email, Text::new("Hello?")?);
    /// ona.execute(&policy, hello, monday)?;
    /// assert_eq!(ona.response_clock().stage(), ClockStage::Waiting);
    /// let wait = ona.response_clock().wait().ok_or("waiting")?;
    /// assert_eq!(wait.due, Some(Utc.with_ymd_and_hms(2026, 3, 2, 17, 0, 0).unwrap())); // 8 h
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub const fn response_clock(&self) -> &ResponseClock {
        &self.response
    }

    /// How many response clocks have been answered.
    ///
    /// ```
    /// # use clientele::{*, chrono::{TimeZone, Utc}};
    /// # let (policy, monday) = (ServicePolicy::default(), Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap());
    /// # let mut ona = Relationship::new(CustomerId::from_u128(1)); ona.execute(&policy, RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?), monday)?;
    /// let hello = RecordInteraction::inbound(InteractionId::from_u128(2), Channel::Email, Text::new("Hello?")?);
    /// let answer = RecordInteraction::outbound(InteractionId::from_u128(3), Channel::Email, AgentId::from_u128(7), Text::new("Hi Ona")?);
    /// ona.execute(&policy, hello, monday)?;
    /// assert_eq!(ona.responses_given(), 0);
    /// ona.execute(&policy, answer, monday)?;
    /// assert_eq!(ona.responses_given(), 1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn responses_given(&self) -> u32 {
        self.conversation.stopped()
    }

    /// A promise made to this customer and still outstanding (open, at risk or broken). A
    /// closed promise is archived (see the [module docs](self)): `None` here,
    /// [`promise_stage`](Self::promise_stage) says how it closed.
    ///
    /// ```
    /// # use clientele::{*, chrono::{TimeDelta, TimeZone, Utc}};
    /// # let (policy, monday) = (ServicePolicy::default(), Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap());
    /// # let mut ona = Relationship::new(CustomerId::from_u128(1)); ona.execute(&policy, RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?), monday)?;
    /// let (glasses, jonas) = (PromiseId::from_u128(5), AgentId::from_u128(7));
    /// let friday = monday + TimeDelta::days(4);
    /// ona.execute(&policy, MakePromise::new(glasses, Text::new("Glasses ready")?, friday, jonas), monday)?;
    /// assert_eq!(ona.promise(glasses).map(|p| p.terms.due), Some(friday));
    /// ona.execute(&policy, KeepPromise::new(glasses), monday)?;
    /// assert!(ona.promise(glasses).is_none()); // kept: archived
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn promise(&self, id: PromiseId) -> Option<&Promise> {
        self.promises.get(&id)
    }

    /// The stage of a promise made to this customer, outstanding or closed (kept, kept late,
    /// withdrawn); `None` for a promise never made here.
    ///
    /// ```
    /// # use clientele::{*, chrono::{TimeDelta, TimeZone, Utc}};
    /// use clientele::promise::PromiseStage;
    /// # let (policy, monday) = (ServicePolicy::default(), Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap());
    /// # let mut ona = Relationship::new(CustomerId::from_u128(1)); ona.execute(&policy, RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?), monday)?;
    ///
    /// let glasses = PromiseId::from_u128(5);
    /// let friday = monday + TimeDelta::days(4);
    /// ona.execute(&policy, MakePromise::new(glasses, Text::new("Glasses ready")?, friday, AgentId::from_u128(7)), monday)?;
    /// assert_eq!(ona.promise_stage(glasses), Some(PromiseStage::Open));
    /// ona.execute(&policy, KeepPromise::new(glasses), monday)?;
    /// assert_eq!(ona.promise_stage(glasses), Some(PromiseStage::Kept)); // from the archive
    /// assert_eq!(ona.promise_stage(PromiseId::from_u128(6)), None);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn promise_stage(&self, id: PromiseId) -> Option<PromiseStage> {
        self.promises
            .get(&id)
            .map(Promise::stage)
            .or_else(|| self.archive.promise(id))
    }

    /// Whether interaction `id` was recorded for this customer.
    ///
    /// ```
    /// # use clientele::{*, chrono::{TimeZone, Utc}};
    /// # let (policy, monday) = (ServicePolicy::default(), Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap());
    /// # let mut ona = Relationship::new(CustomerId::from_u128(1)); ona.execute(&policy, RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?), monday)?;
    /// let call = InteractionId::from_u128(2);
    /// assert!(!ona.recorded_interaction(call));
    /// ona.execute(&policy, RecordInteraction::inbound(call, Channel::Phone, Text::new("Hello?")?), monday)?;
    /// assert!(ona.recorded_interaction(call));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn recorded_interaction(&self, id: InteractionId) -> bool {
        self.archive.has_interaction(id)
    }

    /// How many facts the archive holds: interactions recorded, closed promises and closed
    /// follow-ups; and how many closed complaints have left the open state (kept whole, for a
    /// reopen, shared between copies: see the [module docs](self)).
    ///
    /// ```
    /// # use clientele::{*, chrono::{TimeZone, Utc}};
    /// # let (policy, monday) = (ServicePolicy::default(), Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap());
    /// # let mut ona = Relationship::new(CustomerId::from_u128(1)); ona.execute(&policy, RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?), monday)?;
    /// assert_eq!(ona.archived(), 0);
    /// ona.execute(&policy, RecordInteraction::inbound(InteractionId::from_u128(2), Channel::Phone, Text::new("Hi")?), monday)?;
    /// assert_eq!(ona.archived(), 1); // the interaction
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn archived(&self) -> usize {
        self.archive
            .len()
            .saturating_add(self.rare().complaints.closed_count())
    }

    /// Every outstanding promise made to this customer, by id (closed ones are archived).
    ///
    /// ```
    /// # use clientele::{*, chrono::{TimeDelta, TimeZone, Utc}};
    /// # let (policy, monday) = (ServicePolicy::default(), Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap());
    /// # let mut ona = Relationship::new(CustomerId::from_u128(1)); ona.execute(&policy, RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?), monday)?;
    /// let jonas = AgentId::from_u128(7);
    /// for (id, days) in [(5, 1), (6, 3)] {
    ///     let make = MakePromise::new(PromiseId::from_u128(id), Text::new("Call back")?, monday + TimeDelta::days(days), jonas);
    ///     ona.execute(&policy, make, monday)?;
    /// }
    /// ona.execute(&policy, KeepPromise::new(PromiseId::from_u128(5)), monday)?;
    /// let open: Vec<PromiseId> = ona.promises().map(|(id, _)| id).collect();
    /// assert_eq!(open, [PromiseId::from_u128(6)]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn promises(&self) -> impl Iterator<Item = (PromiseId, &Promise)> {
        self.promises.iter().map(|(id, promise)| (*id, promise))
    }

    /// A complaint of this customer.
    ///
    /// ```
    /// # use clientele::{*, chrono::{TimeZone, Utc}};
    /// use clientele::complaint::ComplaintStage;
    /// # let (policy, monday) = (ServicePolicy::default(), Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap());
    /// # let mut ona = Relationship::new(CustomerId::from_u128(1)); ona.execute(&policy, RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?), monday)?;
    ///
    /// let late = ComplaintId::from_u128(3);
    /// ona.execute(&policy, ReceiveComplaint::new(late, Channel::Phone, Text::new("Glasses late")?), monday)?;
    /// let complaint = ona.complaint(late).ok_or("received")?;
    /// assert_eq!((complaint.stage(), complaint.priority), (ComplaintStage::Received, Priority::Normal));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn complaint(&self, id: ComplaintId) -> Option<&Complaint> {
        self.rare().complaints.get(&id)
    }

    /// Every complaint of this customer, by id.
    ///
    /// ```
    /// # use clientele::{*, chrono::{TimeZone, Utc}};
    /// # let (policy, monday) = (ServicePolicy::default(), Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap());
    /// # let mut ona = Relationship::new(CustomerId::from_u128(1)); ona.execute(&policy, RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?), monday)?;
    /// for id in [3, 4] {
    ///     let receive = ReceiveComplaint::new(ComplaintId::from_u128(id), Channel::Email, Text::new("Late")?);
    ///     ona.execute(&policy, receive, monday)?;
    /// }
    /// let open = ona.complaints().filter(|(_, c)| c.is_open()).count();
    /// assert_eq!(open, 2);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn complaints(&self) -> impl Iterator<Item = (ComplaintId, &Complaint)> {
        self.rare()
            .complaints
            .iter()
            .map(|(id, complaint)| (*id, complaint))
    }

    /// A follow-up owed to this customer and still pending (scheduled or overdue). A closed
    /// one is archived: `None` here, [`follow_up_stage`](Self::follow_up_stage) says how it
    /// closed.
    ///
    /// ```
    /// # use clientele::{*, chrono::{TimeDelta, TimeZone, Utc}};
    /// # let (policy, monday) = (ServicePolicy::default(), Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap());
    /// # let mut ona = Relationship::new(CustomerId::from_u128(1)); ona.execute(&policy, RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?), monday)?;
    /// let call_back = FollowUpId::from_u128(4);
    /// let tuesday = monday + TimeDelta::days(1);
    /// ona.execute(&policy, ScheduleFollowUp::new(call_back, AgentId::from_u128(7), tuesday, Text::new("Fit check")?), monday)?;
    /// assert_eq!(ona.follow_up(call_back).and_then(|f| f.due), Some(tuesday));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn follow_up(&self, id: FollowUpId) -> Option<&FollowUp> {
        self.rare().follow_ups.get(&id)
    }

    /// The stage of a follow-up of this customer, pending or closed (done, cancelled); `None`
    /// for one never scheduled here.
    ///
    /// ```
    /// # use clientele::{*, chrono::{TimeDelta, TimeZone, Utc}};
    /// use clientele::follow_up::FollowUpStage;
    /// # let (policy, monday) = (ServicePolicy::default(), Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap());
    /// # let mut ona = Relationship::new(CustomerId::from_u128(1)); ona.execute(&policy, RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?), monday)?;
    ///
    /// let call_back = FollowUpId::from_u128(4);
    /// let tuesday = monday + TimeDelta::days(1);
    /// ona.execute(&policy, ScheduleFollowUp::new(call_back, AgentId::from_u128(7), tuesday, Text::new("Fit check")?), monday)?;
    /// ona.execute(&policy, CompleteFollowUp::new(call_back, FollowUpOutcome::Satisfied), monday)?;
    /// assert!(ona.follow_up(call_back).is_none()); // done: archived
    /// assert_eq!(ona.follow_up_stage(call_back), Some(FollowUpStage::Done));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn follow_up_stage(&self, id: FollowUpId) -> Option<FollowUpStage> {
        self.rare()
            .follow_ups
            .get(&id)
            .map(FollowUp::stage)
            .or_else(|| self.archive.follow_up(id))
    }

    /// Every pending follow-up of this customer, by id (closed ones are archived).
    ///
    /// ```
    /// # use clientele::{*, chrono::{TimeDelta, TimeZone, Utc}};
    /// # let (policy, monday) = (ServicePolicy::default(), Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap());
    /// # let mut ona = Relationship::new(CustomerId::from_u128(1)); ona.execute(&policy, RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?), monday)?;
    /// let jonas = AgentId::from_u128(7);
    /// let call_back = ScheduleFollowUp::new(FollowUpId::from_u128(4), jonas, monday + TimeDelta::days(1), Text::new("Fit check")?);
    /// ona.execute(&policy, call_back, monday)?;
    /// let mine = ona.follow_ups().filter(|(_, f)| f.owner == jonas).count();
    /// assert_eq!(mine, 1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn follow_ups(&self) -> impl Iterator<Item = (FollowUpId, &FollowUp)> {
        self.rare()
            .follow_ups
            .iter()
            .map(|(id, follow_up)| (*id, follow_up))
    }

    /// The update cadence of an open complaint or an outstanding promise, if one runs (see
    /// [`UpdatePolicy`](crate::policy::UpdatePolicy)).
    ///
    /// ```
    /// # use clientele::{*, chrono::{TimeZone, Utc}};
    /// use clientele::flag::Regarding;
    /// use clientele::policy::{ByPriority, Targets, UpdatePolicy};
    /// # let monday = Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap();
    /// # let mut ona = Relationship::new(CustomerId::from_u128(1));
    ///
    /// let mut policy = ServicePolicy::default();
    /// policy.updates = Some(UpdatePolicy::new(Targets::new(ByPriority::uniform(Span::hours(48)))));
    /// # ona.execute(&policy, RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?), monday)?;
    /// let late = ComplaintId::from_u128(3);
    /// ona.execute(&policy, ReceiveComplaint::new(late, Channel::Phone, Text::new("Late")?), monday)?;
    /// assert!(ona.update_clock(Regarding::Complaint(late)).is_some()); // the customer hears from us every 48 h
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn update_clock(&self, about: Regarding) -> Option<&UpdateClock> {
        self.rare().updates.get(&about)
    }

    /// Every survey sent to or answered by this customer, by id.
    ///
    /// ```
    /// # use clientele::{*, chrono::{TimeZone, Utc}};
    /// # let (policy, monday) = (ServicePolicy::default(), Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap());
    /// # let mut ona = Relationship::new(CustomerId::from_u128(1)); ona.execute(&policy, RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?), monday)?;
    /// let survey = SurveyId::from_u128(8);
    /// ona.execute(&policy, RequestSurvey::new(survey, SurveyKind::Csat), monday)?;
    /// ona.execute(&policy, AnswerSurvey::new(survey, SurveyAnswer::Csat(CsatScore::new(5)?)), monday)?;
    /// let answered: Vec<SurveyId> = ona.surveys().map(|(id, _)| id).collect();
    /// assert_eq!(answered, [survey]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn surveys(&self) -> impl Iterator<Item = (SurveyId, &Survey)> {
        self.rare().surveys.iter().map(|(id, survey)| (*id, survey))
    }

    /// The relationship's health at `now` (see [`crate::health`]): a score, its band,
    /// the reasons, the points each signal costs and the trend. A function of the facts up to
    /// `now`: the same whether or not [`advance_to`](Self::advance_to) has run (deadlines due
    /// by `now` and not yet advanced over are taken as fired, on a copy), and the same after
    /// [`replay`](Self::replay). Asked for a `now` earlier than the latest recorded fact, it
    /// still reads the open items as they stand (a promise kept or broken since counts as it
    /// is now): a past reading is for the latest state, as [`flags`](Self::flags) is.
    ///
    /// ```
    /// # use clientele::{*, chrono::{TimeDelta, TimeZone, Utc}};
    /// # let (policy, monday) = (ServicePolicy::default(), Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap());
    /// # let mut ona = Relationship::new(CustomerId::from_u128(1)); ona.execute(&policy, RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?), monday)?;
    /// assert_eq!(ona.health(&policy, monday).band, Band::Healthy);
    /// let hello = RecordInteraction::inbound(InteractionId::from_u128(2), Channel::Email, Text::new("Hello?")?);
    /// ona.execute(&policy, hello, monday)?;
    /// // Nobody answered for a day: the overdue wait costs points, advanced over or not.
    /// let tuesday = monday + TimeDelta::days(1);
    /// let health = ona.health(&policy, tuesday);
    /// assert!(health.score < 100);
    /// assert_eq!(health.score, 100 - health.lost.iter().map(|(_, points)| u8::from(*points)).sum::<u8>());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn health(&self, policy: &ServicePolicy, now: DateTime<Utc>) -> Health {
        if self.family_deadline().is_some_and(|d| d.at <= now) {
            let mut advanced = self.clone();
            advanced.advance_to(policy, now);
            return advanced.health_as_is(&policy.health, now);
        }
        self.health_as_is(&policy.health, now)
    }

    /// Health at `now` from the state as it is, deadlines not advanced over.
    fn health_as_is(&self, rules: &health::HealthPolicy, now: DateTime<Utc>) -> Health {
        health::score(rules, self.open_items(now), &self.record, now)
    }

    /// Scores later band changes under `rules`: [`next_deadline`](Self::next_deadline) takes
    /// no policy, so a relationship remembers the health rules it was last scored under by
    /// [`execute`](Self::execute) or [`advance_to`](Self::advance_to) (a
    /// [`Ledger`](crate::Ledger) gives its own). A relationship just replayed uses the
    /// default rules until then: a service with other health rules that replays and decides
    /// with [`decide`](Self::decide) and [`apply`](Self::apply) calls this once after replay.
    ///
    /// ```
    /// # use clientele::{*, chrono::{TimeZone, Utc}};
    /// # let monday = Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap();
    /// # let mut ona = Relationship::new(CustomerId::from_u128(1));
    /// let mut policy = ServicePolicy::default();
    /// policy.health.watch_below = 90;
    /// let log = ona.execute(&policy, RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?), monday)?;
    /// // After a restart: replay knows no policy; tell it the health rules before deciding.
    /// let mut replayed = Relationship::replay(ona.customer(), &log)?;
    /// replayed.use_health_policy(&policy.health);
    /// assert_eq!(replayed.next_deadline(), ona.next_deadline());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn use_health_policy(&mut self, rules: &health::HealthPolicy) {
        self.rules.set(rules);
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
            if promise.terms.slipped_repeatedly() {
                tally.slips = tally.slips.saturating_add(1);
            }
        }
        tally.dues.sort_unstable();
        tally.complaints = self
            .rare()
            .complaints
            .in_play()
            .fold(0u32, |sum, (_, c)| sum.saturating_add(complaint_weight(c)));
        tally
    }

    /// The weight of complaint `id` in health (0 when it is not open or not held).
    fn complaint_weight(&self, id: ComplaintId) -> u32 {
        self.rare().complaints.get(&id).map_or(0, complaint_weight)
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
        open.complaint_weight = tally.complaints;
        if let Some(wait) = self.response.wait() {
            open.waiting_overdue = wait.due.is_some_and(|due| now >= due);
            open.waiting_at_risk = wait.warn_at.is_some_and(|at| now >= at);
            open.unanswered = u32::from(wait.unanswered);
        }
        open
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
        self.rare.change(|parts| {
            for complaint in parts.complaints.values_mut() {
                erased = erased.saturating_add(complaint.erase_personal());
            }
            for follow_up in parts.follow_ups.values_mut() {
                erased = erased.saturating_add(follow_up.erase_personal());
            }
        });
        erased
    }

    fn account_owner(&self) -> Option<AgentId> {
        self.profile.as_ref().and_then(|p| p.owner)
    }

    /// Whether any personal data (name, contact addresses, free text) is held: `false` after
    /// [`ErasePersonalData`](crate::ErasePersonalData) until new personal data arrives.
    ///
    /// ```
    /// # use clientele::{*, chrono::{TimeZone, Utc}};
    /// # let (policy, monday) = (ServicePolicy::default(), Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap());
    /// # let mut ona = Relationship::new(CustomerId::from_u128(1));
    /// ona.execute(&policy, RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?), monday)?;
    /// assert!(ona.holds_personal_data()); // the name
    /// ona.execute(&policy, ErasePersonalData {}, monday)?;
    /// assert!(!ona.holds_personal_data());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn holds_personal_data(&self) -> bool {
        self.personal_data_held() > 0
    }

    /// How many pieces of personal data are held: what an erasure would remove.
    fn personal_data_held(&self) -> u32 {
        self.clone().erase_personal()
    }
}
