//! [`Ledger`]: a whole book of customers, and an index of their deadlines.
//!
//! A service that holds many relationships asks one question, "when is the next thing due,
//! anywhere?", and gets the answer in O(log n). Advancing time costs in proportion to what is
//! due, never to the number of customers.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use rustc_hash::FxHashMap;

use crate::command::Command;
use crate::error::{CommandError, ReplayError};
use crate::event::{Envelope, Event};
use crate::flag::{Deadline, Flag};
use crate::{CustomerId, Relationship, ServicePolicy};

#[derive(Debug, Clone)]
struct Slot {
    relationship: Relationship,
    /// The deadline this customer is filed under in `Ledger::due`.
    indexed: Option<DateTime<Utc>>,
}

/// Many relationships under one [`ServicePolicy`], with a deadline index.
///
/// Iteration order never leaks into results: everything a ledger returns is ordered by time,
/// then customer id.
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
    customers: FxHashMap<CustomerId, Slot>,
    due: BTreeSet<(DateTime<Utc>, CustomerId)>,
}

impl Ledger {
    /// An empty ledger deciding under `policy`.
    #[must_use]
    pub fn new(policy: ServicePolicy) -> Self {
        Self {
            policy,
            customers: FxHashMap::default(),
            due: BTreeSet::new(),
        }
    }

    /// Rebuilds a ledger from stored events of many customers, each customer's in order.
    ///
    /// # Errors
    /// The first [`ReplayError`].
    pub fn replay<'a>(
        policy: ServicePolicy,
        events: impl IntoIterator<Item = &'a Envelope>,
    ) -> Result<Self, ReplayError> {
        let mut ledger = Self::new(policy);
        for envelope in events {
            ledger.apply(envelope)?;
        }
        Ok(ledger)
    }

    /// The policy new decisions are made under.
    #[must_use]
    pub const fn policy(&self) -> &ServicePolicy {
        &self.policy
    }

    /// Replaces the policy. Only later decisions use it: deadlines already computed stay as
    /// recorded.
    pub fn set_policy(&mut self, policy: ServicePolicy) {
        self.policy = policy;
    }

    /// One customer's relationship.
    #[must_use]
    pub fn get(&self, customer: CustomerId) -> Option<&Relationship> {
        self.customers.get(&customer).map(|slot| &slot.relationship)
    }

    /// How many customers the ledger holds.
    #[must_use]
    pub fn len(&self) -> usize {
        self.customers.len()
    }

    /// Whether the ledger holds no customer.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.customers.is_empty()
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
        match (self.customers.get(&customer), command) {
            (Some(slot), _) => slot.relationship.decide(&self.policy, command, now),
            (None, Command::RegisterCustomer(_)) => {
                Relationship::new(customer).decide(&self.policy, command, now)
            }
            (None, _) => Err(CommandError::UnknownCustomer(customer)),
        }
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
        let command = command.into();
        match self.customers.get_mut(&customer) {
            Some(slot) => {
                let envelopes = slot.relationship.execute(&self.policy, command, now)?;
                self.reindex(customer);
                Ok(envelopes)
            }
            None => {
                let envelopes = self.decide(customer, &command, now)?;
                let mut relationship = Relationship::new(customer);
                for envelope in &envelopes {
                    relationship
                        .apply(envelope)
                        .map_err(CommandError::Inconsistent)?;
                }
                self.insert(relationship);
                Ok(envelopes)
            }
        }
    }

    /// Folds a stored event into the customer it names. A registration creates the customer.
    ///
    /// # Errors
    /// [`ReplayError::UnknownCustomer`] for an event of a customer never registered, or what
    /// [`Relationship::apply`] refuses. On error nothing changed.
    pub fn apply(&mut self, envelope: &Envelope) -> Result<(), ReplayError> {
        let customer = envelope.customer;
        match self.customers.get_mut(&customer) {
            Some(slot) => {
                slot.relationship.apply(envelope)?;
                self.reindex(customer);
            }
            None => {
                if !matches!(envelope.event, Event::CustomerRegistered { .. }) {
                    return Err(ReplayError::UnknownCustomer {
                        kind: envelope.event.kind(),
                        customer,
                    });
                }
                let mut relationship = Relationship::new(customer);
                relationship.apply(envelope)?;
                self.insert(relationship);
            }
        }
        Ok(())
    }

    /// Advances every customer with a deadline up to `now`; returns the events, ordered by
    /// customer in deadline order. Costs in proportion to the customers due, not the book.
    pub fn advance_to(&mut self, now: DateTime<Utc>) -> Vec<Envelope> {
        let mut out = Vec::new();
        while let Some(&(at, customer)) = self.due.first() {
            if at > now {
                break;
            }
            let Some(slot) = self.customers.get_mut(&customer) else {
                // An index entry without a customer cannot arise; drop it rather than spin.
                self.due.remove(&(at, customer));
                continue;
            };
            out.extend(slot.relationship.advance_to(now));
            self.reindex(customer);
            if self.due.first() == Some(&(at, customer)) {
                // Nothing could fire (the relationship refused its own deadline): unfile it so
                // the loop ends; `next_deadline` still reports it.
                self.due.remove(&(at, customer));
                if let Some(slot) = self.customers.get_mut(&customer) {
                    slot.indexed = None;
                }
            }
        }
        out
    }

    /// The earliest deadline of any customer.
    #[must_use]
    pub fn next_deadline(&self) -> Option<Deadline> {
        let &(_, customer) = self.due.first()?;
        self.get(customer)?.next_deadline()
    }

    /// The flags of every customer at `now`, ordered by customer id. This looks at every
    /// customer; for one customer use [`Relationship::flags`] through [`get`](Self::get).
    #[must_use]
    pub fn flags(&self, now: DateTime<Utc>) -> Vec<Flag> {
        let mut flags: Vec<Flag> = self
            .customers
            .values()
            .flat_map(|slot| slot.relationship.flags(now))
            .collect();
        flags.sort_by_key(|f| (f.customer, f.since, f.kind));
        flags
    }

    fn insert(&mut self, relationship: Relationship) {
        let customer = relationship.customer();
        self.customers.insert(
            customer,
            Slot {
                relationship,
                indexed: None,
            },
        );
        self.reindex(customer);
    }

    fn reindex(&mut self, customer: CustomerId) {
        let Some(slot) = self.customers.get_mut(&customer) else {
            return;
        };
        let next = slot.relationship.next_deadline().map(|d| d.at);
        if next == slot.indexed {
            return;
        }
        if let Some(old) = slot.indexed {
            self.due.remove(&(old, customer));
        }
        if let Some(new) = next {
            self.due.insert((new, customer));
        }
        slot.indexed = next;
    }
}
