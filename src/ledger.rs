//! [`Ledger`]: a whole book of customers, and an index of their deadlines.
//!
//! A service that holds many relationships asks one question, "when is the next thing due,
//! anywhere?", and gets the answer in O(log n). Advancing time costs in proportion to what is
//! due, never to the number of customers.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use rustc_hash::FxHashMap;

use crate::command::{Command, Request};
use crate::customer::CustomerEvent;
use crate::error::{CommandError, PolicyError, ReplayError};
use crate::event::{Envelope, Event};
use crate::flag::{Deadline, Flag};
use crate::id::CustomerId;
use crate::policy::ServicePolicy;
use crate::relationship::Relationship;
use crate::value::IdempotencyKey;

#[derive(Debug, Clone)]
struct Slot {
    relationship: Relationship,
    /// The deadline this customer is filed under in `Ledger::due`.
    indexed: Option<DateTime<Utc>>,
}

/// Many relationships under one [`ServicePolicy`], with a deadline index.
///
/// Relationships live in a dense `Vec`; a hash map turns a customer id into a position, and the
/// deadline index holds `(instant, position)`, so advancing time touches only what is due.
/// Hash order never leaks into results: `advance_to` returns events in deadline order (ties
/// in the order customers were first registered, the same live and on replay), `flags` by
/// customer id.
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use clientele::{Channel, CustomerId, Event, InteractionId, Ledger, RecordInteraction,
///     RegisterCustomer, ServicePolicy, Text, Tier};
///
/// let mut ledger = Ledger::new(ServicePolicy::default());
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
    positions: FxHashMap<CustomerId, usize>,
    slots: Vec<Slot>,
    due: BTreeSet<(DateTime<Utc>, usize)>,
}

impl Ledger {
    /// An empty ledger deciding under `policy`. A policy that names undefined calendars makes
    /// the commands that need them fail; [`Ledger::try_new`] checks it up front.
    #[must_use]
    pub fn new(policy: ServicePolicy) -> Self {
        Self {
            policy,
            positions: FxHashMap::default(),
            slots: Vec::new(),
            due: BTreeSet::new(),
        }
    }

    /// Rebuilds a ledger from stored events of many customers, each customer's in order.
    /// The deadline index is built once, at the end.
    ///
    /// # Errors
    /// The first [`ReplayError`].
    pub fn replay<'a>(
        policy: ServicePolicy,
        events: impl IntoIterator<Item = &'a Envelope>,
    ) -> Result<Self, ReplayError> {
        let mut ledger = Self::new(policy);
        for envelope in events {
            ledger.fold(envelope)?;
        }
        ledger.due = ledger
            .slots
            .iter_mut()
            .enumerate()
            .filter_map(|(position, slot)| {
                slot.indexed = slot.relationship.next_deadline().map(|d| d.at);
                slot.indexed.map(|at| (at, position))
            })
            .collect();
        Ok(ledger)
    }

    /// The policy new decisions are made under.
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
    pub fn set_policy(&mut self, policy: ServicePolicy) -> Result<(), PolicyError> {
        policy.validate()?;
        self.policy = policy;
        Ok(())
    }

    /// An empty ledger under a policy checked first with [`ServicePolicy::validate`].
    ///
    /// # Errors
    /// [`PolicyError`] when the policy is inconsistent.
    pub fn try_new(policy: ServicePolicy) -> Result<Self, PolicyError> {
        policy.validate()?;
        Ok(Self::new(policy))
    }

    /// One customer's relationship.
    #[must_use]
    pub fn get(&self, customer: CustomerId) -> Option<&Relationship> {
        let position = *self.positions.get(&customer)?;
        self.slots.get(position).map(|slot| &slot.relationship)
    }

    /// How many customers the ledger holds.
    #[must_use]
    pub fn len(&self) -> usize {
        self.slots.len()
    }

    /// Whether the ledger holds no customer.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }

    /// How many customers have something pending.
    #[must_use]
    pub fn pending(&self) -> usize {
        self.due.len()
    }

    /// Decides `command` for `customer` at `now`. Changes nothing.
    ///
    /// # Errors
    /// [`CommandError::UnknownCustomer`] for a customer not held (unless the command registers
    /// it), or whatever [`Relationship::decide`] refuses.
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
        match self.get(customer) {
            Some(relationship) => decide(relationship),
            None => decide(&Relationship::new(customer)),
        }
    }

    /// Decides a [`Request`], then applies it.
    ///
    /// # Errors
    /// As [`decide_request`](Self::decide_request); on error nothing changed.
    pub fn execute_request(
        &mut self,
        customer: CustomerId,
        request: Request,
        now: DateTime<Utc>,
    ) -> Result<Vec<Envelope>, CommandError> {
        let envelopes = self.decide_request(customer, &request, now)?;
        self.record(customer, &envelopes)?;
        Ok(envelopes)
    }

    /// Applies freshly decided envelopes of one customer, all or none.
    fn record(&mut self, customer: CustomerId, envelopes: &[Envelope]) -> Result<(), CommandError> {
        if envelopes.is_empty() {
            return Ok(());
        }
        let mut relationship = self
            .get(customer)
            .cloned()
            .unwrap_or_else(|| Relationship::new(customer));
        for envelope in envelopes {
            relationship
                .apply(envelope)
                .map_err(CommandError::Inconsistent)?;
        }
        let position = match self.positions.get(&customer) {
            Some(&position) => {
                if let Some(slot) = self.slots.get_mut(position) {
                    slot.relationship = relationship;
                }
                position
            }
            None => self.insert(relationship),
        };
        self.reindex(position);
        Ok(())
    }

    /// Decides, then applies.
    ///
    /// # Errors
    /// As [`decide`](Self::decide); on error nothing changed.
    pub fn execute(
        &mut self,
        customer: CustomerId,
        command: impl Into<Command>,
        now: DateTime<Utc>,
    ) -> Result<Vec<Envelope>, CommandError> {
        let envelopes = self.decide(customer, &command.into(), now)?;
        self.record(customer, &envelopes)?;
        Ok(envelopes)
    }

    /// Folds a stored event into the customer it names. A registration creates the customer.
    ///
    /// # Errors
    /// [`ReplayError::UnknownCustomer`] for an event of a customer never registered, or what
    /// [`Relationship::apply`] refuses. On error nothing changed.
    pub fn apply(&mut self, envelope: &Envelope) -> Result<(), ReplayError> {
        let position = self.fold(envelope)?;
        self.reindex(position);
        Ok(())
    }

    /// Applies without touching the deadline index; returns the customer's position.
    fn fold(&mut self, envelope: &Envelope) -> Result<usize, ReplayError> {
        let customer = envelope.customer;
        if let Some(&position) = self.positions.get(&customer)
            && let Some(slot) = self.slots.get_mut(position)
        {
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

    /// Advances every customer with a deadline up to `now`; returns the events in deadline
    /// order across the book (ties in the order customers were first registered). Costs in
    /// proportion to what is due, not to the book.
    pub fn advance_to(&mut self, now: DateTime<Utc>) -> Vec<Envelope> {
        let mut out = Vec::new();
        while let Some(&(at, position)) = self.due.first() {
            if at > now {
                break;
            }
            let Some(slot) = self.slots.get_mut(position) else {
                // An index entry without a customer cannot arise; drop it rather than spin.
                self.due.remove(&(at, position));
                continue;
            };
            // Only up to this entry's instant: another customer may be due in between, and the
            // result is in deadline order across the book.
            out.extend(slot.relationship.advance_to(&self.policy, at));
            self.reindex(position);
            if self.due.first() == Some(&(at, position)) {
                // Nothing could fire (the relationship refused its own deadline): unfile it so
                // the loop ends; `next_deadline` of the relationship still reports it.
                self.due.remove(&(at, position));
                if let Some(slot) = self.slots.get_mut(position) {
                    slot.indexed = None;
                }
            }
        }
        out
    }

    /// The earliest deadline of any customer.
    #[must_use]
    pub fn next_deadline(&self) -> Option<Deadline> {
        let &(_, position) = self.due.first()?;
        self.slots.get(position)?.relationship.next_deadline()
    }

    /// The flags of every customer at `now`, ordered by customer id. This looks at every
    /// customer; for one customer use [`Relationship::flags`] through [`get`](Self::get).
    #[must_use]
    pub fn flags(&self, now: DateTime<Utc>) -> Vec<Flag> {
        let mut flags: Vec<Flag> = self
            .slots
            .iter()
            .flat_map(|slot| slot.relationship.flags(now))
            .collect();
        flags.sort_by_key(|f| (f.customer, f.since, f.kind));
        flags
    }

    fn insert(&mut self, relationship: Relationship) -> usize {
        let position = self.slots.len();
        self.positions.insert(relationship.customer(), position);
        self.slots.push(Slot {
            relationship,
            indexed: None,
        });
        position
    }

    fn reindex(&mut self, position: usize) {
        let Some(slot) = self.slots.get_mut(position) else {
            return;
        };
        let next = slot.relationship.next_deadline().map(|d| d.at);
        if next == slot.indexed {
            return;
        }
        if let Some(old) = slot.indexed {
            self.due.remove(&(old, position));
        }
        if let Some(new) = next {
            self.due.insert((new, position));
        }
        slot.indexed = next;
    }
}
