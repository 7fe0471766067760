//! A history: what was decided for one customer (facts, as the requests that were decided,
//! and the instants time was advanced to), read back from the stored log; and a book of them.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use super::derive::Deriver;
use super::trail::{PolicyShift, Trail};
use crate::command::Request;
use crate::event::Envelope;
use crate::id::CustomerId;

/// One fact of a history: the request that was decided, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fact {
    /// The `seq` of the first envelope it recorded in the stored log.
    pub seq: u64,
    /// The command, with its idempotency key and, for a fact reported late, when it happened
    /// (`occurred_at`). No expected version: the stored log does not keep it.
    pub request: Request,
    /// When it was recorded.
    pub recorded: DateTime<Utc>,
}

/// A step of a history, in the order the service took them.
// Most steps are facts: boxing them would add an allocation each and save nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// A fact decided.
    Fact(Fact),
    /// Time advanced to this instant (deadline events were recorded on their own, up to it),
    /// so that a fact reported late afterwards comes after them, as it did.
    AdvanceTo(DateTime<Utc>),
}

/// What was decided for one customer, read back from its stored log: the facts without the
/// events the policy derived from them (see the [module docs](super) for which is which).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct History {
    customer: CustomerId,
    steps: Vec<Step>,
    until: Option<DateTime<Utc>>,
    shifts: Vec<PolicyShift>,
}

/// A stored log that cannot be read as a history.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum HistoryError {
    /// A customer's envelopes must come in log order, `seq` 1, 2, 3, ... with no gap.
    #[error("customer {customer}: expected event {expected} of the log, got {got}")]
    OutOfOrder {
        /// The customer.
        customer: CustomerId,
        /// The `seq` that should have come next.
        expected: u64,
        /// The `seq` that came.
        got: u64,
    },
    /// A history is one customer's: an envelope named another.
    #[error("the history is customer {expected}'s, an envelope is customer {got}'s")]
    OtherCustomer {
        /// The history's customer.
        expected: CustomerId,
        /// The customer the envelope named.
        got: CustomerId,
    },
    /// There was nothing to read.
    #[error("the log is empty")]
    Empty,
}

/// Reads envelopes of customers in log order, into their histories.
#[derive(Default)]
struct Reader {
    deriver: Deriver,
    trail: Trail,
    next: u64,
    until: Option<DateTime<Utc>>,
}

impl Reader {
    fn read(&mut self, envelope: &Envelope) -> Result<(), HistoryError> {
        let expected = self.next.saturating_add(1);
        if envelope.seq != expected {
            return Err(HistoryError::OutOfOrder {
                customer: envelope.customer,
                expected,
                got: envelope.seq,
            });
        }
        self.next = expected;
        self.deriver.read(envelope);
        self.trail.read(envelope);
        let now = envelope.recorded.unwrap_or(envelope.at);
        self.until = Some(self.until.map_or(now, |until| until.max(now)));
        Ok(())
    }

    fn history(self, customer: CustomerId) -> History {
        History {
            customer,
            steps: self.deriver.steps,
            until: self.until,
            shifts: self.trail.shifts,
        }
    }
}

impl History {
    /// Reads one customer's stored log (every envelope, in `seq` order from 1) back into what
    /// was decided.
    ///
    /// # Errors
    /// [`HistoryError::Empty`] for no envelope, [`HistoryError::OtherCustomer`] for envelopes of
    /// two customers, [`HistoryError::OutOfOrder`] for a gap or a step back.
    ///
    /// # Example
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use clientele::what_if::{History, Step};
    /// use clientele::{Channel, CustomerId, InteractionId, RecordInteraction, RegisterCustomer,
    ///     Relationship, ServicePolicy, Text, Tier};
    ///
    /// let policy = ServicePolicy::default();
    /// let mut ona = Relationship::new(CustomerId::from_u128(1));
    /// let monday = Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap();
    /// let mut log = ona.execute(&policy, RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?), monday)?;
    /// let hello = RecordInteraction::inbound(InteractionId::from_u128(2), Channel::Email, Text::new("Hello?")?);
    /// log.extend(ona.execute(&policy, hello, monday)?); // the interaction, and the clock it starts
    /// let history = History::from_log(&log)?;
    /// assert_eq!(log.len(), 3);
    /// assert_eq!(history.facts().count(), 2); // the clock is the policy's, not a fact
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_log<'a>(log: impl IntoIterator<Item = &'a Envelope>) -> Result<Self, HistoryError> {
        let mut log = log.into_iter().peekable();
        let customer = log.peek().ok_or(HistoryError::Empty)?.customer;
        let mut reader = Reader::default();
        for envelope in log {
            if envelope.customer != customer {
                return Err(HistoryError::OtherCustomer {
                    expected: customer,
                    got: envelope.customer,
                });
            }
            reader.read(envelope)?;
        }
        Ok(reader.history(customer))
    }

    /// Its customer.
    #[must_use]
    pub const fn customer(&self) -> CustomerId {
        self.customer
    }

    /// Its steps, in order.
    #[must_use]
    pub fn steps(&self) -> &[Step] {
        &self.steps
    }

    /// Its facts, in order.
    pub fn facts(&self) -> impl Iterator<Item = &Fact> {
        self.steps.iter().filter_map(|step| match step {
            Step::Fact(fact) => Some(fact),
            Step::AdvanceTo(_) => None,
        })
    }

    /// The latest instant its log was recorded at: where deciding it again stops.
    #[must_use]
    pub const fn until(&self) -> Option<DateTime<Utc>> {
        self.until
    }

    /// Where the stored log shows the policy changed: the same target (kind, priority, tier,
    /// channel) given different terms at two points of the log. Empty when the log shows no
    /// change, which does not prove it had none (a target never used again cannot show one).
    #[must_use]
    pub fn policy_shifts(&self) -> &[PolicyShift] {
        &self.shifts
    }
}

/// The histories of many customers: the whole book, or a shard of it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Book {
    histories: BTreeMap<CustomerId, History>,
}

impl Book {
    /// Reads a stored log of many customers: each customer's envelopes in `seq` order from 1,
    /// customers interleaved in any way.
    ///
    /// # Errors
    /// [`HistoryError::OutOfOrder`] for a customer's envelope out of its log order.
    ///
    /// # Example
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use clientele::what_if::Book;
    /// use clientele::{CustomerId, Ledger, RegisterCustomer, ServicePolicy, Text, Tier};
    ///
    /// let mut ledger = Ledger::new(ServicePolicy::default())?;
    /// let monday = Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap();
    /// let mut log = Vec::new();
    /// for n in 1..=3 {
    ///     let register = RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?);
    ///     log.extend(ledger.execute(CustomerId::from_u128(n), register, monday)?);
    /// }
    /// assert_eq!(Book::from_log(&log)?.len(), 3);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_log<'a>(log: impl IntoIterator<Item = &'a Envelope>) -> Result<Self, HistoryError> {
        let mut readers: BTreeMap<CustomerId, Reader> = BTreeMap::new();
        for envelope in log {
            readers
                .entry(envelope.customer)
                .or_default()
                .read(envelope)?;
        }
        Ok(Self {
            histories: readers
                .into_iter()
                .map(|(customer, reader)| (customer, reader.history(customer)))
                .collect(),
        })
    }

    /// The histories, by customer.
    pub fn histories(&self) -> impl Iterator<Item = &History> {
        self.histories.values()
    }

    /// One customer's history.
    #[must_use]
    pub fn get(&self, customer: CustomerId) -> Option<&History> {
        self.histories.get(&customer)
    }

    /// How many customers.
    #[must_use]
    pub fn len(&self) -> usize {
        self.histories.len()
    }

    /// Whether it holds no customer.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.histories.is_empty()
    }

    /// The latest instant any customer's log was recorded at.
    #[must_use]
    pub fn until(&self) -> Option<DateTime<Utc>> {
        self.histories.values().filter_map(History::until).max()
    }

    /// Every policy shift the stored logs show, by customer.
    pub fn policy_shifts(&self) -> impl Iterator<Item = (CustomerId, &PolicyShift)> {
        self.histories
            .values()
            .flat_map(|h| h.shifts.iter().map(move |s| (h.customer, s)))
    }
}
