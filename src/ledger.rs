//! [`Ledger`]: a whole book of customers, and an index of their deadlines.
//!
//! A service that holds many relationships asks one question, "when is the next thing due,
//! anywhere?", and gets the answer in O(log n). Advancing time costs in proportion to what is
//! due, never to the number of customers.

mod book;
mod load;
mod positions;
mod slots;
mod time;
mod work;

use std::borrow::Borrow;
use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};
use rustc_hash::FxHashMap;

use crate::command::{Command, Request};
use crate::customer::CustomerEvent;
use crate::error::{CommandError, PolicyError, ReplayError};
use crate::event::{Envelope, Event};
use crate::id::CustomerId;
use crate::policy::ServicePolicy;
use crate::relationship::Relationship;
use crate::value::IdempotencyKey;

use load::{Early, Known};
use positions::Positions;
use slots::Slots;
use work::{OwnerSet, WorkIndex};

/// One customer of the book: its relationship and where it is filed. Held aside or not, its
/// filing says what the indexes hold for it (a customer held aside is unfiled by the next
/// `reindex`, using what its slot says it was filed under). 16 bytes beside the relationship
/// (a test holds it to that).
#[derive(Debug, Clone)]
struct Slot {
    relationship: Relationship,
    /// The deadline this customer is filed under in `Ledger::due`.
    indexed: Option<DateTime<Utc>>,
    /// The owners this customer is filed under in `Ledger::work`.
    owners: OwnerSet,
}

impl Slot {
    /// A slot for `relationship`, filed nowhere yet.
    fn new(relationship: Relationship) -> Self {
        Self {
            relationship,
            indexed: None,
            owners: OwnerSet::NONE,
        }
    }
}

/// Why a customer is held aside ([quarantined](Ledger::quarantined)) rather than live: the first
/// stored event of theirs that did not fold when the book was replayed.
///
/// The customer's later events were not folded (a log with a hole in it says nothing reliable
/// about what came after): to bring the customer back, repair the log and hand the customer's
/// whole log to [`Ledger::retry`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quarantine {
    /// The sequence number the damaged event carries, as stored.
    pub seq: u64,
    /// Its kind (its `type` on the wire).
    pub kind: &'static str,
    /// Why it did not fold.
    pub error: ReplayError,
    /// How many later events of the customer were passed over, unfolded.
    pub skipped: u64,
}

impl Quarantine {
    fn of(envelope: &Envelope, error: ReplayError) -> Self {
        Self {
            seq: envelope.seq,
            kind: envelope.event.kind(),
            error,
            skipped: 0,
        }
    }
}

/// Many relationships under one [`ServicePolicy`], with a deadline index.
///
/// Relationships live in a dense `Vec`; a hash map turns a customer id into a position, and the
/// deadline index holds `(instant, position)`, so advancing time touches only what is due.
/// Hash order never leaks into results: `advance_to` returns events in deadline order (ties
/// in the order customers were first registered, the same live and on replay), `flags` by
/// customer id.
///
/// # Its methods, by family
/// - **Building and loading**: [`new`](Self::new), [`replay`](Self::replay),
///   [`try_replay`](Self::try_replay) (from a source that can fail), a
///   [snapshot](crate::snapshot) ([`snapshot`](Self::snapshot), [`restore`](Self::restore),
///   [`load_book`](Self::load_book)) and the events after it ([`catch_up`](Self::catch_up),
///   [`try_catch_up`](Self::try_catch_up)); and the customers a damaged log held aside:
///   [`quarantined`](Self::quarantined), [`quarantine`](Self::quarantine),
///   [`retry`](Self::retry).
/// - **Reading state**: [`policy`](Self::policy), [`get`](Self::get), [`iter`](Self::iter),
///   [`len`](Self::len), [`is_empty`](Self::is_empty), [`pending`](Self::pending).
/// - **Deciding** (pure): [`decide`](Self::decide), [`decide_request`](Self::decide_request).
/// - **Applying**: [`apply_all`](Self::apply_all) (a stored batch, all or nothing),
///   [`apply`](Self::apply); and both at once, all or nothing:
///   [`execute`](Self::execute), [`execute_request`](Self::execute_request).
/// - **Time**: [`next_deadline`](Self::next_deadline), [`due_by`](Self::due_by) (pure),
///   [`advance_to`](Self::advance_to), [`flags`](Self::flags), and one owner's:
///   [`work_list`](Self::work_list).
/// - **Policy**: [`set_policy`](Self::set_policy).
/// - **Comparing**: `==`, the same customers in the same order and equal states (a restarted
///   book is checked this way; see the [`PartialEq` impl](#impl-PartialEq-for-Ledger)).
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use clientele::{Channel, CustomerId, Event, InteractionId, Ledger, RecordInteraction,
///     RegisterCustomer, ServicePolicy, Text, Tier};
///
/// let mut ledger = Ledger::new(ServicePolicy::default())?;
/// let now = Utc.with_ymd_and_hms(2026, 3, 6, 15, 0, 0).unwrap();
/// for n in 1..=3 {
///     let customer = CustomerId::from_u128(n);
///     ledger.execute(customer, RegisterCustomer::new(Text::new(format!("Customer {n}"))?, Tier::new("standard")?), now)?;
/// }
/// let asking = CustomerId::from_u128(2);
/// ledger.execute(asking, RecordInteraction::inbound(InteractionId::from_u128(9), Channel::Chat, Text::new("Hi")?), now)?;
/// let next = ledger.next_deadline().expect("customer 2 is waiting");
/// assert_eq!(next.customer, asking);
/// let events = ledger.advance_to(next.at);
/// assert!(events.iter().all(|e| e.customer == asking));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct Ledger {
    policy: ServicePolicy,
    positions: Positions,
    slots: Slots,
    /// `(deadline, position)`, positions as `u32` (16 bytes an entry rather than 24).
    due: BTreeSet<(DateTime<Utc>, u32)>,
    work: WorkIndex,
    /// The customers held aside, by position, with why: few or none, so kept beside the
    /// slots rather than in each (where it cost 8 bytes a customer).
    held: BTreeMap<u32, Quarantine>,
}

/// Loading a book from a source of events that can fail (a store decoded line by line) did not
/// finish: [`Ledger::try_replay`], [`Ledger::try_catch_up`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum LoadError<E> {
    /// The policy is inconsistent.
    #[error(transparent)]
    Policy(#[from] PolicyError),
    /// The source failed to give the next event (an I/O or decoding error): the book is not
    /// loaded, since what follows is unknown.
    #[error("the event source failed: {0}")]
    Source(E),
}

impl Ledger {
    /// An empty ledger deciding under `policy`, checked first with [`ServicePolicy::validate`]:
    /// an inconsistent policy never reaches the engine.
    ///
    /// # Errors
    /// [`PolicyError`] when the policy is inconsistent.
    ///
    /// ```
    /// use clientele::{Ledger, ServicePolicy};
    ///
    /// let ledger = Ledger::new(ServicePolicy::default())?;
    /// assert!(ledger.is_empty());
    /// # Ok::<(), clientele::PolicyError>(())
    /// ```
    pub fn new(policy: ServicePolicy) -> Result<Self, PolicyError> {
        policy.validate()?;
        Ok(Self {
            policy,
            positions: Positions::default(),
            slots: Slots::default(),
            due: BTreeSet::new(),
            work: WorkIndex::default(),
            held: BTreeMap::new(),
        })
    }

    /// Rebuilds a ledger from the stored events of many customers, each customer's in order,
    /// read one at a time (borrowed, `&Envelope`, or owned, `Envelope`, as a service decoding
    /// its store line by line hands them over). The deadline index is built once, at the end.
    ///
    /// **The book always loads.** A stored event that does not fold (a hand-edited envelope, a
    /// kind that no longer fits, a gap in the sequence) holds its customer aside: the customer
    /// is [quarantined](Self::quarantined) with the error, the event's sequence number and
    /// kind, and the customer's later events are passed over. A quarantined customer decides no
    /// command ([`CommandError::Quarantined`]), raises no deadline and no flag, and
    /// [`get`](Self::get) does not show it; every other customer is live.
    /// [`retry`](Self::retry) brings it back once its log is repaired.
    ///
    /// # Errors
    /// [`PolicyError`] when the policy is inconsistent: the only thing that stops a book from
    /// loading.
    ///
    /// # Example
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use clientele::{CustomerId, Ledger, RegisterCustomer, ServicePolicy, Text, Tier};
    ///
    /// let policy = ServicePolicy::default();
    /// let mut live = Ledger::new(policy.clone())?;
    /// let now = Utc.with_ymd_and_hms(2026, 3, 6, 15, 0, 0).unwrap();
    /// let mut log = Vec::new();
    /// for n in 1..=2 {
    ///     let register = RegisterCustomer::new(Text::new("Customer")?, Tier::new("standard")?);
    ///     log.extend(live.execute(CustomerId::from_u128(n), register, now)?);
    /// }
    /// let damaged = CustomerId::from_u128(2);
    /// let mut stored = log.clone();
    /// stored[1].seq = 7; // hand-edited
    /// let mut ledger = Ledger::replay(policy, stored)?;
    /// assert!(ledger.get(CustomerId::from_u128(1)).is_some());
    /// let (customer, quarantine) = ledger.quarantined().next().expect("one is held aside");
    /// assert_eq!((customer, quarantine.seq, quarantine.kind), (damaged, 7, "customer_registered"));
    /// // Repaired, the customer's log loads.
    /// ledger.retry(damaged, &log[1..])?;
    /// assert_eq!(ledger.get(damaged), live.get(damaged));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn replay<E: Borrow<Envelope>>(
        policy: ServicePolicy,
        events: impl IntoIterator<Item = E>,
    ) -> Result<Self, PolicyError> {
        let mut ledger = Self::new(policy)?;
        ledger.catch_up(events);
        Ok(ledger)
    }

    /// [`replay`](Self::replay) from a source that can fail, such as a store decoded one
    /// line at a time: each item is an envelope (owned or borrowed) or the source's error.
    /// The log is never held: each envelope is folded as it comes. A damaged event
    /// quarantines its customer, as in `replay`; the source's own error stops the load.
    ///
    /// # Errors
    /// [`LoadError::Policy`] for an inconsistent policy, [`LoadError::Source`] with the first
    /// error of the source.
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use clientele::{CustomerId, Envelope, Ledger, RegisterCustomer, ServicePolicy, Text, Tier};
    ///
    /// let policy = ServicePolicy::default();
    /// let mut live = Ledger::new(policy.clone())?;
    /// let now = Utc.with_ymd_and_hms(2026, 3, 6, 15, 0, 0).unwrap();
    /// let register = RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?);
    /// let log: String = live.execute(CustomerId::from_u128(1), register, now)?
    ///     .iter()
    ///     .map(|e| serde_json::to_string(e).map(|line| line + "\n"))
    ///     .collect::<Result<_, _>>()?;
    /// let lines = log.lines().map(Envelope::from_json);
    /// let book = Ledger::try_replay(policy, lines)?;
    /// assert_eq!(book.get(CustomerId::from_u128(1)), live.get(CustomerId::from_u128(1)));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn try_replay<E: Borrow<Envelope>, X>(
        policy: ServicePolicy,
        events: impl IntoIterator<Item = Result<E, X>>,
    ) -> Result<Self, LoadError<X>> {
        let mut ledger = Self::new(policy)?;
        ledger.try_catch_up(events).map_err(LoadError::Source)?;
        Ok(ledger)
    }

    /// Folds stored events into the book as [`replay`](Self::replay) does (a damaged event
    /// quarantines its customer, the others load; a customer already quarantined passes its
    /// events over), then files the deadlines and work of the customers they touched: how a
    /// book restored from a [snapshot](crate::snapshot) catches up with the events stored
    /// after it. `replay` is `new` then `catch_up`.
    ///
    /// Give it only events the book does not hold yet: an event that comes twice (a writer
    /// reading back its own events) holds its customer aside.
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use clientele::{CustomerId, Ledger, RegisterCustomer, ServicePolicy, Text, Tier};
    ///
    /// let now = Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap();
    /// let (ona, petras) = (CustomerId::from_u128(1), CustomerId::from_u128(2));
    /// let mut live = Ledger::new(ServicePolicy::default())?;
    /// let register = |name| -> Result<RegisterCustomer, clientele::ValueError> {
    ///     Ok(RegisterCustomer::new(Text::new(name)?, Tier::new("standard")?))
    /// };
    /// let mut log = live.execute(ona, register("Ona")?, now)?;
    /// let mut book = Ledger::replay(ServicePolicy::default(), &log)?;
    /// let tail = live.execute(petras, register("Petras")?, now)?; // stored by another writer
    /// log.extend(tail.iter().cloned());
    /// book.catch_up(&tail);
    /// assert_eq!(book, live);
    /// // The same events again: Ona's registration comes twice, and she is held aside.
    /// book.catch_up(&log[..1]);
    /// assert!(book.quarantine(ona).is_some() && book.get(petras).is_some());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn catch_up<E: Borrow<Envelope>>(&mut self, events: impl IntoIterator<Item = E>) {
        let events = events.into_iter().map(Ok::<E, std::convert::Infallible>);
        let Ok(()) = self.try_catch_up(events);
    }

    /// [`catch_up`](Self::catch_up) from a source that can fail.
    ///
    /// # Errors
    /// The source's first error. The events before it are loaded (and their customers
    /// filed); the rest of the source is not read.
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use clientele::{CustomerId, Envelope, Ledger, RegisterCustomer, ServicePolicy, Text, Tier};
    ///
    /// let now = Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap();
    /// let mut live = Ledger::new(ServicePolicy::default())?;
    /// let mut lines = Vec::new(); // one JSON line per stored event
    /// for n in 1..=2 {
    ///     let register = RegisterCustomer::new(Text::new("Customer")?, Tier::new("standard")?);
    ///     for event in live.execute(CustomerId::from_u128(n), register, now)? {
    ///         lines.push(serde_json::to_string(&event)?);
    ///     }
    /// }
    /// let mut book = Ledger::new(ServicePolicy::default())?;
    /// book.try_catch_up(lines.iter().map(|line| Envelope::from_json(line)))?;
    /// assert_eq!(book, live);
    /// // A line the store damaged stops the load there, with the decoder's error.
    /// let mut partial = Ledger::new(ServicePolicy::default())?;
    /// let damaged = [lines[0].as_str(), "{not json", lines[1].as_str()];
    /// assert!(partial.try_catch_up(damaged.into_iter().map(Envelope::from_json)).is_err());
    /// assert_eq!(partial.len(), 1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn try_catch_up<E: Borrow<Envelope>, X>(
        &mut self,
        events: impl IntoIterator<Item = Result<E, X>>,
    ) -> Result<(), X> {
        // A book loaded from nothing is filed once, at the end (most customers early, as the
        // log leaves them); a book catching up refiles the customers touched.
        let fresh = self.slots.is_empty();
        let mut early = fresh.then(Early::default);
        // How many events in a row the log has held for the customer it is on.
        let mut run = 0_u32;
        let mut touched = Vec::new();
        let mut outcome = Ok(());
        // A log stores a command's events together: the customer of the event before is
        // likely the customer of this one, found without hashing.
        let mut last: Option<(CustomerId, usize)> = None;
        for envelope in events {
            match envelope {
                Ok(envelope) => {
                    let envelope = envelope.borrow();
                    let position = match last {
                        Some((customer, position)) if customer == envelope.customer => {
                            self.load_at(position, envelope);
                            run = run.saturating_add(1);
                            position
                        }
                        _ => {
                            // The customer before is done for now: at rest at its exact size
                            // (applied with room to grow), trimmed while still in cache.
                            self.trim_at(last);
                            if let (Some(early), Some((_, left))) = (early.as_mut(), last) {
                                self.file_early(early, left, run);
                            }
                            run = 1;
                            let position = self.load(envelope);
                            if let Some(early) = early.as_mut() {
                                early.touched(position);
                            }
                            position
                        }
                    };
                    last = Some((envelope.customer, position));
                    if !fresh && touched.last() != Some(&position) {
                        touched.push(position);
                    }
                }
                Err(error) => {
                    outcome = Err(error);
                    break;
                }
            }
        }
        self.trim_at(last);
        if let Some(mut early) = early {
            if let Some((_, left)) = last {
                self.file_early(&mut early, left, run);
            }
            self.refile_all(Known::Early(&early));
        } else {
            touched.sort_unstable();
            touched.dedup();
            for position in touched {
                self.reindex(position);
            }
        }
        outcome
    }

    /// Room for `additional` more customers.
    pub(crate) fn reserve(&mut self, additional: usize) {
        self.slots.reserve(additional);
        self.positions.reserve(additional, &self.slots);
    }

    /// The customers held aside when the book was loaded, in the order they first appeared,
    /// each with why.
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use clientele::{CustomerId, Ledger, RegisterCustomer, ServicePolicy, Text, Tier};
    ///
    /// let mut ledger = Ledger::new(ServicePolicy::default())?;
    /// let (ona, now) = (CustomerId::from_u128(1), Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap());
    /// ledger.execute(ona, RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?), now)?;
    /// // A live book holds nobody aside; `Ledger::replay` of a damaged log may.
    /// assert_eq!(ledger.quarantined().count(), 0);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn quarantined(&self) -> impl Iterator<Item = (CustomerId, &Quarantine)> {
        self.held.iter().filter_map(|(&at, quarantine)| {
            let slot = self.slots.get(positions::position(at))?;
            Some((slot.relationship.customer(), quarantine))
        })
    }

    /// Why `customer` is held aside, if it is.
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use clientele::{CustomerId, Ledger, RegisterCustomer, ServicePolicy, Text, Tier};
    ///
    /// let mut ledger = Ledger::new(ServicePolicy::default())?;
    /// let (ona, now) = (CustomerId::from_u128(1), Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap());
    /// ledger.execute(ona, RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?), now)?;
    /// assert!(ledger.quarantine(ona).is_none());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn quarantine(&self, customer: CustomerId) -> Option<&Quarantine> {
        let position = self.positions.get(customer, &self.slots)?;
        self.held.get(&positions::index(position))
    }

    /// Loads a quarantined customer again from its whole repaired log (every event of the
    /// customer, from its registration on, in order). On success the customer is live, its
    /// deadlines filed; on error it stays quarantined, with the new error.
    ///
    /// # Errors
    /// [`ReplayError::NotQuarantined`] for a customer that is not held aside (a live customer is
    /// never replaced this way), or the first [`ReplayError`] of the log given, which is also
    /// what the customer's [`quarantine`](Self::quarantine) then says.
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use clientele::{CustomerId, Ledger, RegisterCustomer, ServicePolicy, Text, Tier};
    ///
    /// let mut ledger = Ledger::new(ServicePolicy::default())?;
    /// let (ona, now) = (CustomerId::from_u128(1), Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap());
    /// ledger.execute(ona, RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?), now)?;
    /// // Only a customer held aside can be loaded again.
    /// assert_eq!(
    ///     ledger.retry(ona, Vec::<clientele::Envelope>::new()),
    ///     Err(clientele::ReplayError::NotQuarantined { customer: ona })
    /// );
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn retry<E: Borrow<Envelope>>(
        &mut self,
        customer: CustomerId,
        events: impl IntoIterator<Item = E>,
    ) -> Result<(), ReplayError> {
        let Some(position) = self.positions.get(customer, &self.slots) else {
            return Err(ReplayError::NotQuarantined { customer });
        };
        if self.quarantine(customer).is_none() {
            return Err(ReplayError::NotQuarantined { customer });
        }
        let mut relationship = Relationship::new(customer);
        let mut failure = None;
        for envelope in events {
            let envelope = envelope.borrow();
            if let Err(error) = relationship.apply(envelope) {
                failure = Some(Quarantine::of(envelope, error));
                break;
            }
        }
        if relationship.profile().is_none() && failure.is_none() {
            // No registration given: nothing to bring back; the quarantine stays as it was.
            return Err(ReplayError::UnknownCustomer {
                kind: "customer_registered",
                customer,
            });
        }
        let Some(slot) = self.slots.get_mut(position) else {
            return Err(ReplayError::NotQuarantined { customer });
        };
        if let Some(failure) = failure {
            let error = failure.error.clone();
            self.held.insert(positions::index(position), failure);
            return Err(error);
        }
        slot.relationship = relationship;
        self.held.remove(&positions::index(position));
        // Filed anew: its old filing (if any) is taken out first, by what the slot says.
        self.reindex(position);
        Ok(())
    }

    /// The policy new decisions are made under.
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use clientele::{CustomerId, Ledger, RegisterCustomer, ServicePolicy, Text, Tier};
    ///
    /// let mut ledger = Ledger::new(ServicePolicy::default())?;
    /// let (ona, now) = (CustomerId::from_u128(1), Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap());
    /// ledger.execute(ona, RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?), now)?;
    /// assert_eq!(ledger.policy(), &ServicePolicy::default());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub const fn policy(&self) -> &ServicePolicy {
        &self.policy
    }

    /// Replaces the policy. Only later decisions use it: deadlines already computed stay as
    /// recorded.
    ///
    /// # Errors
    /// [`PolicyError`] when the new policy is inconsistent ([`ServicePolicy::validate`]); the
    /// old policy stays.
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use clientele::{CustomerId, Ledger, RegisterCustomer, ServicePolicy, Text, Tier};
    ///
    /// let mut ledger = Ledger::new(ServicePolicy::default())?;
    /// let (ona, now) = (CustomerId::from_u128(1), Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap());
    /// ledger.execute(ona, RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?), now)?;
    /// let mut stricter = ServicePolicy::default();
    /// stricter.complaints.follow_up_after = None;
    /// ledger.set_policy(stricter.clone())?;
    /// assert_eq!(ledger.policy(), &stricter);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn set_policy(&mut self, policy: ServicePolicy) -> Result<(), PolicyError> {
        policy.validate()?;
        self.policy = policy;
        // Health reviews are scored under the new rules from now on.
        for position in 0..self.slots.len() {
            self.reindex(position);
        }
        Ok(())
    }

    /// One live customer's relationship (`None` for a customer not held or
    /// [quarantined](Self::quarantine)).
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use clientele::{CustomerId, Ledger, RegisterCustomer, ServicePolicy, Text, Tier};
    ///
    /// let mut ledger = Ledger::new(ServicePolicy::default())?;
    /// let (ona, now) = (CustomerId::from_u128(1), Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap());
    /// ledger.execute(ona, RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?), now)?;
    /// assert_eq!(ledger.get(ona).map(|r| r.version()), Some(1));
    /// assert!(ledger.get(CustomerId::from_u128(2)).is_none());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn get(&self, customer: CustomerId) -> Option<&Relationship> {
        let position = self.positions.get(customer, &self.slots)?;
        if self.is_held(position) {
            return None;
        }
        self.slots.get(position).map(|slot| &slot.relationship)
    }

    /// How many customers the ledger holds, [quarantined](Self::quarantined) ones included.
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use clientele::{CustomerId, Ledger, RegisterCustomer, ServicePolicy, Text, Tier};
    ///
    /// let mut ledger = Ledger::new(ServicePolicy::default())?;
    /// let (ona, now) = (CustomerId::from_u128(1), Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap());
    /// ledger.execute(ona, RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?), now)?;
    /// assert_eq!(ledger.len(), 1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn len(&self) -> usize {
        self.slots.len()
    }

    /// Whether the ledger holds no customer.
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use clientele::{CustomerId, Ledger, RegisterCustomer, ServicePolicy, Text, Tier};
    ///
    /// let mut ledger = Ledger::new(ServicePolicy::default())?;
    /// let (ona, now) = (CustomerId::from_u128(1), Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap());
    /// ledger.execute(ona, RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?), now)?;
    /// assert!(!ledger.is_empty());
    /// assert!(Ledger::new(ServicePolicy::default())?.is_empty());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }

    /// How many customers have something pending.
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use clientele::{CustomerId, Ledger, RegisterCustomer, ServicePolicy, Text, Tier};
    ///
    /// let mut ledger = Ledger::new(ServicePolicy::default())?;
    /// let (ona, now) = (CustomerId::from_u128(1), Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap());
    /// ledger.execute(ona, RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?), now)?;
    /// assert_eq!(ledger.pending(), 0);
    /// let hello = clientele::RecordInteraction::inbound(
    ///     clientele::InteractionId::from_u128(9), clientele::Channel::Chat, Text::new("Hi")?);
    /// ledger.execute(ona, hello, now)?;
    /// assert_eq!(ledger.pending(), 1); // Ona waits for an answer
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn pending(&self) -> usize {
        self.due.len()
    }

    /// Decides `command` for `customer` at `now`. Changes nothing.
    ///
    /// # Errors
    /// [`CommandError::UnknownCustomer`] for a customer not held (unless the command registers
    /// it), [`CommandError::Quarantined`] for a customer held aside, or whatever
    /// [`Relationship::decide`] refuses.
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use clientele::{CustomerId, Ledger, RegisterCustomer, ServicePolicy, Text, Tier};
    ///
    /// let mut ledger = Ledger::new(ServicePolicy::default())?;
    /// let (ona, now) = (CustomerId::from_u128(1), Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap());
    /// ledger.execute(ona, RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?), now)?;
    /// let rename = clientele::UpdateProfile { name: Some(Text::new("Ona P.")?.into()), ..Default::default() };
    /// let events = ledger.decide(ona, &rename.into(), now)?;
    /// assert_eq!(events.len(), 1);
    /// assert_eq!(ledger.get(ona).map(|r| r.version()), Some(1)); // nothing changed
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn decide(
        &self,
        customer: CustomerId,
        command: &Command,
        now: DateTime<Utc>,
    ) -> Result<Vec<Envelope>, CommandError> {
        self.decide_with(customer, command, None, None, now, now)
    }

    /// Decides a [`Request`] for `customer` at `now` (see [`Relationship::decide_request`]).
    /// Changes nothing. A customer not held is at version 0.
    ///
    /// # Errors
    /// As [`decide`](Self::decide), and [`CommandError::VersionConflict`].
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use clientele::{CustomerId, Ledger, RegisterCustomer, ServicePolicy, Text, Tier};
    ///
    /// let mut ledger = Ledger::new(ServicePolicy::default())?;
    /// let (ona, now) = (CustomerId::from_u128(1), Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap());
    /// ledger.execute(ona, RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?), now)?;
    /// use clientele::{CommandError, Request};
    /// let rename = clientele::UpdateProfile { name: Some(Text::new("Ona P.")?.into()), ..Default::default() };
    /// let stale = Request::new(rename).expecting(0);
    /// assert!(matches!(ledger.decide_request(ona, &stale, now), Err(CommandError::VersionConflict { .. })));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn decide_request(
        &self,
        customer: CustomerId,
        request: &Request,
        now: DateTime<Utc>,
    ) -> Result<Vec<Envelope>, CommandError> {
        self.decide_with(
            customer,
            &request.command,
            request.expected_version,
            request.idempotency_key.as_ref(),
            request.occurred_at.unwrap_or(now),
            now,
        )
    }

    fn decide_with(
        &self,
        customer: CustomerId,
        command: &Command,
        expected_version: Option<u64>,
        key: Option<&IdempotencyKey>,
        occurred: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<Vec<Envelope>, CommandError> {
        // A customer not held is an empty relationship: at version 0, and refusing every
        // command but a registration as `UnknownCustomer`.
        let decide = |relationship: &Relationship| {
            relationship.decide_with(&self.policy, command, expected_version, key, occurred, now)
        };
        if self.quarantine(customer).is_some() {
            return Err(CommandError::Quarantined(customer));
        }
        match self.get(customer) {
            Some(relationship) => decide(relationship),
            None => decide(&Relationship::new(customer)),
        }
    }

    /// Decides a [`Request`], then applies it.
    ///
    /// # Errors
    /// As [`decide_request`](Self::decide_request); on error nothing changed.
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use clientele::{CustomerId, Ledger, RegisterCustomer, ServicePolicy, Text, Tier};
    ///
    /// let mut ledger = Ledger::new(ServicePolicy::default())?;
    /// let (ona, now) = (CustomerId::from_u128(1), Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap());
    /// ledger.execute(ona, RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?), now)?;
    /// use clientele::{IdempotencyKey, Request};
    /// let rename = clientele::UpdateProfile { name: Some(Text::new("Ona P.")?.into()), ..Default::default() };
    /// let request = Request::new(rename).idempotent(IdempotencyKey::new("web-1")?);
    /// assert_eq!(ledger.execute_request(ona, request.clone(), now)?.len(), 1);
    /// assert!(ledger.execute_request(ona, request, now)?.is_empty()); // a retry: once only
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn execute_request(
        &mut self,
        customer: CustomerId,
        request: Request,
        now: DateTime<Utc>,
    ) -> Result<Vec<Envelope>, CommandError> {
        let envelopes = self.decide_request(customer, &request, now)?;
        self.apply_all(&envelopes)
            .map_err(CommandError::Inconsistent)?;
        Ok(envelopes)
    }

    /// Decides, then applies.
    ///
    /// # Errors
    /// As [`decide`](Self::decide); on error nothing changed.
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use clientele::{CustomerId, Ledger, RegisterCustomer, ServicePolicy, Text, Tier};
    ///
    /// let mut ledger = Ledger::new(ServicePolicy::default())?;
    /// let (ona, now) = (CustomerId::from_u128(1), Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap());
    /// ledger.execute(ona, RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?), now)?;
    /// assert_eq!(ledger.get(ona).map(|r| r.version()), Some(1));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn execute(
        &mut self,
        customer: CustomerId,
        command: impl Into<Command>,
        now: DateTime<Utc>,
    ) -> Result<Vec<Envelope>, CommandError> {
        let envelopes = self.decide(customer, &command.into(), now)?;
        self.apply_all(&envelopes)
            .map_err(CommandError::Inconsistent)?;
        Ok(envelopes)
    }

    /// Folds a stored event into the customer it names. A registration creates the customer.
    /// Unlike [`replay`](Self::replay), a damaged event is refused rather than quarantined.
    ///
    /// # Errors
    /// [`ReplayError::UnknownCustomer`] for an event of a customer never registered,
    /// [`ReplayError::Quarantined`] for a customer held aside, or what
    /// [`Relationship::apply`] refuses. On error nothing changed.
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use clientele::{CustomerId, Ledger, RegisterCustomer, ServicePolicy, Text, Tier};
    ///
    /// let mut ledger = Ledger::new(ServicePolicy::default())?;
    /// let (ona, now) = (CustomerId::from_u128(1), Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap());
    /// ledger.execute(ona, RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?), now)?;
    /// // A stored event of a customer never registered is refused.
    /// let mut stray = ledger.decide(ona, &clientele::ErasePersonalData::default().into(), now)?.remove(0);
    /// stray.customer = CustomerId::from_u128(2);
    /// assert!(ledger.apply(&stray).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn apply(&mut self, envelope: &Envelope) -> Result<(), ReplayError> {
        let position = self.fold(envelope)?;
        self.reindex(position);
        Ok(())
    }

    /// Applies without touching the deadline index; returns the customer's position.
    fn fold(&mut self, envelope: &Envelope) -> Result<usize, ReplayError> {
        let customer = envelope.customer;
        if let Some(position) = self.positions.get(customer, &self.slots) {
            if self.is_held(position) {
                return Err(ReplayError::Quarantined { customer });
            }
            let Some(slot) = self.slots.get_mut(position) else {
                return Err(ReplayError::UnknownCustomer {
                    kind: envelope.event.kind(),
                    customer,
                });
            };
            slot.relationship.apply(envelope)?;
            return Ok(position);
        }
        if !matches!(
            envelope.event,
            Event::Customer(CustomerEvent::Registered { .. })
        ) {
            return Err(ReplayError::UnknownCustomer {
                kind: envelope.event.kind(),
                customer,
            });
        }
        let mut relationship = Relationship::new(customer);
        relationship.apply(envelope)?;
        Ok(self.insert(relationship))
    }

    /// Folds a batch of stored events, all or none: the batch a service has just stored (the
    /// events of [`decide`](Self::decide) or of [`due_by`](Self::due_by)), in order. The batch
    /// may span customers; a registration in it creates its customer.
    ///
    /// # Errors
    /// The first [`ReplayError`] of the batch, as [`apply`](Self::apply) gives it. On error
    /// nothing changed: not even the events before the one refused.
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use clientele::{CustomerId, Ledger, RegisterCustomer, ServicePolicy, Text, Tier};
    ///
    /// let mut ledger = Ledger::new(ServicePolicy::default())?;
    /// let now = Utc.with_ymd_and_hms(2026, 3, 6, 15, 0, 0).unwrap();
    /// let register = RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?);
    /// let events = ledger.decide(CustomerId::from_u128(1), &register.into(), now)?;
    /// // Store `events` first (one transaction); then fold them in.
    /// ledger.apply_all(&events)?;
    /// assert_eq!(ledger.len(), 1);
    /// // Applied twice, the batch is out of sequence: refused, and nothing changes.
    /// assert!(ledger.apply_all(&events).is_err());
    /// assert_eq!(ledger.get(CustomerId::from_u128(1)).map(|r| r.version()), Some(1));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn apply_all(&mut self, envelopes: &[Envelope]) -> Result<(), ReplayError> {
        // Each customer the batch names, folded on a copy, in the order first named.
        let mut folded: Vec<(Option<usize>, Relationship)> = Vec::new();
        let mut index: FxHashMap<CustomerId, usize> = FxHashMap::default();
        for envelope in envelopes {
            let customer = envelope.customer;
            let at = match index.get(&customer) {
                Some(&at) => at,
                None => {
                    let position = self.positions.get(customer, &self.slots);
                    if position.is_some_and(|position| self.is_held(position)) {
                        return Err(ReplayError::Quarantined { customer });
                    }
                    let relationship = match position.and_then(|p| self.slots.get(p)) {
                        Some(slot) => slot.relationship.clone(),
                        None if matches!(
                            envelope.event,
                            Event::Customer(CustomerEvent::Registered { .. })
                        ) =>
                        {
                            Relationship::new(customer)
                        }
                        None => {
                            return Err(ReplayError::UnknownCustomer {
                                kind: envelope.event.kind(),
                                customer,
                            });
                        }
                    };
                    folded.push((position, relationship));
                    index.insert(customer, folded.len() - 1);
                    folded.len() - 1
                }
            };
            if let Some((_, relationship)) = folded.get_mut(at) {
                relationship.apply(envelope)?;
            }
        }
        for (position, mut relationship) in folded {
            let position = match position {
                Some(position) => {
                    if let Some(slot) = self.slots.get_mut(position) {
                        slot.relationship = relationship;
                        // The copy it came from is gone: fold what the batch wrote.
                        slot.relationship.settle();
                    }
                    position
                }
                None => {
                    relationship.settle();
                    self.insert(relationship)
                }
            };
            self.reindex(position);
        }
        Ok(())
    }

    /// The live customers and their relationships, in the order they were first registered
    /// ([quarantined](Self::quarantined) customers are left out).
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use clientele::{CustomerId, Ledger, RegisterCustomer, ServicePolicy, Text, Tier};
    ///
    /// let now = Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap();
    /// let mut ledger = Ledger::new(ServicePolicy::default())?;
    /// for n in [2, 1] {
    ///     let register = RegisterCustomer::new(Text::new("Customer")?, Tier::new("standard")?);
    ///     ledger.execute(CustomerId::from_u128(n), register, now)?;
    /// }
    /// let order: Vec<CustomerId> = ledger.iter().map(|(customer, _)| customer).collect();
    /// assert_eq!(order, [CustomerId::from_u128(2), CustomerId::from_u128(1)]);
    /// assert!(ledger.iter().all(|(_, relationship)| relationship.version() == 1));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn iter(&self) -> impl Iterator<Item = (CustomerId, &Relationship)> {
        self.live()
            .map(|slot| (slot.relationship.customer(), &slot.relationship))
    }

    /// Whether the customer at `position` is held aside.
    fn is_held(&self, position: usize) -> bool {
        !self.held.is_empty() && self.held.contains_key(&positions::index(position))
    }

    /// The slots of the live customers (those not held aside), in order.
    fn live(&self) -> impl Iterator<Item = &Slot> {
        self.slots
            .iter()
            .enumerate()
            .filter(|&(position, _)| !self.is_held(position))
            .map(|(_, slot)| slot)
    }

    fn insert(&mut self, relationship: Relationship) -> usize {
        let position = self.slots.push(Slot::new(relationship));
        // A new customer: never filed already (its callers looked it up first).
        let _filed = self.positions.place(position, &self.slots);
        position
    }
}

#[cfg(test)]
mod tests;
