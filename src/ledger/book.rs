//! The book as serde sees it: the body of a ledger's [snapshot](crate::snapshot). Customers in
//! the order they were first registered (which orders deadlines falling due together), each
//! live with its relationship or held aside with its quarantine. The policy is not part of it:
//! like [`Ledger::replay`], restoring takes the policy in force.

use std::borrow::Cow;
use std::fmt;

use chrono::{DateTime, Utc};
use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde::ser::SerializeStruct;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::load::Known;
use super::positions::index;
use super::{Ledger, Quarantine, Slot};
use crate::error::ReplayError;
use crate::event::Event;
use crate::health::HealthPolicy;
use crate::id::CustomerId;
use crate::relationship::Relationship;

/// One customer of the book.
#[derive(Serialize, Deserialize)]
#[allow(
    clippy::large_enum_variant,
    reason = "one entry at a time, never stored"
)]
enum Entry<'a> {
    /// A live customer, with the next deadline the book had filed for it (under the rules of
    /// the book's fingerprint).
    Live {
        relationship: Cow<'a, Relationship>,
        #[serde(with = "crate::compact::instant::option")]
        next: Option<DateTime<Utc>>,
    },
    /// A customer held aside: its later events were not folded, so no state is kept.
    Quarantined(Held),
}

/// A [`Quarantine`], with its kinds by name.
#[derive(Serialize, Deserialize)]
struct Held {
    customer: CustomerId,
    seq: u64,
    kind: String,
    skipped: u64,
    error: HeldError,
}

/// A [`ReplayError`], with its kinds by name (matched exhaustively: a new variant of the
/// error must be given a form here, and so a new snapshot version).
#[derive(Serialize, Deserialize)]
enum HeldError {
    UnsupportedVersion {
        kind: String,
        version: u16,
        supported: u16,
    },
    WrongCustomer {
        expected: CustomerId,
        found: CustomerId,
    },
    OutOfSequence {
        customer: CustomerId,
        expected: u64,
        found: u64,
    },
    OutOfOrder {
        #[serde(with = "crate::compact::instant")]
        at: DateTime<Utc>,
        #[serde(with = "crate::compact::instant")]
        last: DateTime<Utc>,
    },
    UnknownCustomer {
        kind: String,
        customer: CustomerId,
    },
    Quarantined {
        customer: CustomerId,
    },
    NotQuarantined {
        customer: CustomerId,
    },
    DoesNotFit {
        kind: String,
        seq: u64,
        reason: String,
    },
}

impl HeldError {
    fn of(error: &ReplayError) -> Self {
        match error.clone() {
            ReplayError::UnsupportedVersion {
                kind,
                version,
                supported,
            } => Self::UnsupportedVersion {
                kind: kind.to_owned(),
                version,
                supported,
            },
            ReplayError::WrongCustomer { expected, found } => {
                Self::WrongCustomer { expected, found }
            }
            ReplayError::OutOfSequence {
                customer,
                expected,
                found,
            } => Self::OutOfSequence {
                customer,
                expected,
                found,
            },
            ReplayError::OutOfOrder { at, last } => Self::OutOfOrder { at, last },
            ReplayError::UnknownCustomer { kind, customer } => Self::UnknownCustomer {
                kind: kind.to_owned(),
                customer,
            },
            ReplayError::Quarantined { customer } => Self::Quarantined { customer },
            ReplayError::NotQuarantined { customer } => Self::NotQuarantined { customer },
            ReplayError::DoesNotFit { kind, seq, reason } => Self::DoesNotFit {
                kind: kind.to_owned(),
                seq,
                reason,
            },
        }
    }

    fn error<E: de::Error>(self) -> Result<ReplayError, E> {
        Ok(match self {
            Self::UnsupportedVersion {
                kind,
                version,
                supported,
            } => ReplayError::UnsupportedVersion {
                kind: known(&kind)?,
                version,
                supported,
            },
            Self::WrongCustomer { expected, found } => {
                ReplayError::WrongCustomer { expected, found }
            }
            Self::OutOfSequence {
                customer,
                expected,
                found,
            } => ReplayError::OutOfSequence {
                customer,
                expected,
                found,
            },
            Self::OutOfOrder { at, last } => ReplayError::OutOfOrder { at, last },
            Self::UnknownCustomer { kind, customer } => ReplayError::UnknownCustomer {
                kind: known(&kind)?,
                customer,
            },
            Self::Quarantined { customer } => ReplayError::Quarantined { customer },
            Self::NotQuarantined { customer } => ReplayError::NotQuarantined { customer },
            Self::DoesNotFit { kind, seq, reason } => ReplayError::DoesNotFit {
                kind: known(&kind)?,
                seq,
                reason,
            },
        })
    }
}

/// The kind named `kind`, as the engine names it.
fn known<E: de::Error>(kind: &str) -> Result<&'static str, E> {
    Event::kind_of(kind)
        .map(|row| row.name)
        .ok_or_else(|| E::custom(format_args!("unknown event kind {kind:?}")))
}

/// Two books are equal when they decide under equal policies and hold the same customers in
/// the same order (the order that breaks ties between deadlines falling due together), each
/// live with an equal [`Relationship`] or held aside for the same
/// [`Quarantine`]. The indexes (deadlines, work by owner) are built from
/// these, so they agree whenever these do.
///
/// What a restarted service checks: a book restored from a [snapshot](crate::snapshot) and
/// caught up with the events stored after it equals the book that stored them, and so does
/// [`Ledger::replay`] of the whole log.
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use clientele::snapshot::Encoding;
/// use clientele::{CustomerId, Ledger, RegisterCustomer, ServicePolicy, Text, Tier};
///
/// let mut live = Ledger::new(ServicePolicy::default())?;
/// let now = Utc.with_ymd_and_hms(2026, 3, 6, 15, 0, 0).unwrap();
/// let mut log = Vec::new();
/// for n in 1..=2 {
///     let register = RegisterCustomer::new(Text::new("Customer")?, Tier::new("standard")?);
///     log.extend(live.execute(CustomerId::from_u128(n), register, now)?);
/// }
/// let saved = live.snapshot(Encoding::Binary)?;
/// let register = RegisterCustomer::new(Text::new("Customer")?, Tier::new("standard")?);
/// let tail = live.execute(CustomerId::from_u128(3), register, now)?;
/// log.extend(tail.iter().cloned());
///
/// let mut restarted = Ledger::restore(ServicePolicy::default(), &saved)?;
/// restarted.catch_up(&tail);
/// assert_eq!(restarted, live);
/// assert_eq!(Ledger::replay(ServicePolicy::default(), &log)?, live);
/// // The same customers registered in another order are another book.
/// log.swap(0, 1);
/// assert_ne!(Ledger::replay(ServicePolicy::default(), &log)?, live);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
impl PartialEq for Ledger {
    fn eq(&self, other: &Self) -> bool {
        self.policy == other.policy
            && self.slots.len() == other.slots.len()
            && self.held == other.held
            && self
                .slots
                .iter()
                .zip(other.slots.iter())
                .enumerate()
                .all(|(position, (a, b))| {
                    // A customer held aside keeps no state worth comparing: only why.
                    a.relationship.customer() == b.relationship.customer()
                        && (self.is_held(position) || a.relationship == b.relationship)
                })
    }
}

impl Eq for Ledger {}

/// The fingerprint of the rules a customer's next deadline is worked out under: a
/// deterministic hash (64-bit FNV-1a) of the crate's version and of the health policy's JSON
/// (what [`Relationship::next_deadline`] reads besides the relationship itself; the other
/// deadlines are state). A book restored under rules of the same fingerprint files the
/// deadlines its snapshot saved; under other rules, or from another release of the crate
/// (whose scoring may differ), it works each out again.
fn fingerprint(health: &HealthPolicy) -> u64 {
    let rules = serde_json::to_vec(health).unwrap_or_default();
    env!("CARGO_PKG_VERSION")
        .as_bytes()
        .iter()
        .chain(&[0])
        .chain(&rules)
        .fold(0xcbf2_9ce4_8422_2325_u64, |hash, &byte| {
            (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
        })
}

/// The book's fields, in order.
const FIELDS: &[&str] = &["rules", "customers"];

/// Written as `{rules, customers}`: the fingerprint of the health rules its deadlines were
/// worked out under, and the list of its customers; the policy is left out.
impl Serialize for Ledger {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut book = serializer.serialize_struct("Book", FIELDS.len())?;
        book.serialize_field("rules", &fingerprint(&self.policy.health))?;
        book.serialize_field("customers", &Customers(self))?;
        book.end()
    }
}

/// A book's customers, as serde writes them.
struct Customers<'l>(&'l Ledger);

impl Serialize for Customers<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.slots.iter().enumerate().map(|(position, slot)| {
            match self.0.held.get(&index(position)) {
                None => Entry::Live {
                    relationship: Cow::Borrowed(&slot.relationship),
                    next: slot.indexed,
                },
                Some(quarantine) => Entry::Quarantined(Held {
                    customer: slot.relationship.customer(),
                    seq: quarantine.seq,
                    kind: quarantine.kind.to_owned(),
                    skipped: quarantine.skipped,
                    error: HeldError::of(&quarantine.error),
                }),
            }
        }))
    }
}

impl Ledger {
    /// Adds the customers of a serialized book (what `Ledger` serializes to) after those
    /// already held, filing their deadlines and work: the serde side of a
    /// [snapshot](crate::snapshot), for any serde format. Customers are read one at a time,
    /// never as a list.
    ///
    /// # Errors
    /// The format's error when the input is not a book, or names a customer twice or one
    /// already held. The customers read before the error stay.
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use clientele::{CustomerId, Ledger, RegisterCustomer, ServicePolicy, Text, Tier};
    ///
    /// let mut ledger = Ledger::new(ServicePolicy::default())?;
    /// let now = Utc.with_ymd_and_hms(2026, 3, 6, 15, 0, 0).unwrap();
    /// ledger.execute(CustomerId::from_u128(1), RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?), now)?;
    /// let json = serde_json::to_string(&ledger)?;
    /// let mut restored = Ledger::new(ServicePolicy::default())?;
    /// restored.load_book(&mut serde_json::Deserializer::from_str(&json))?;
    /// assert_eq!(restored.get(CustomerId::from_u128(1)), ledger.get(CustomerId::from_u128(1)));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn load_book<'de, D: Deserializer<'de>>(
        &mut self,
        deserializer: D,
    ) -> Result<(), D::Error> {
        self.load_book_sized(deserializer, 0)
    }

    /// [`load_book`](Self::load_book), making room at once for as many customers as the
    /// input says it holds, up to `most` (a bound the caller knows from the input's size, so
    /// that a hostile length cannot reserve memory the input does not hold).
    pub(crate) fn load_book_sized<'de, D: Deserializer<'de>>(
        &mut self,
        deserializer: D,
        most: usize,
    ) -> Result<(), D::Error> {
        let first = self.slots.len();
        let read = deserializer.deserialize_struct("Book", FIELDS, BookSeed { ledger: self, most });
        // A customer named twice stops the read there, whatever came after it.
        let read = match self.place_from(first) {
            Ok(()) => read,
            Err(customer) => Err(de::Error::custom(format_args!(
                "customer {customer} appears twice"
            ))),
        };
        let saved = read.as_ref().ok().copied() == Some(fingerprint(&self.policy.health));
        if first == 0 {
            self.refile_all(if saved { Known::Saved } else { Known::Nothing });
        } else {
            for slot in self.slots.iter_mut().skip(first) {
                // Not filed yet, whatever the snapshot saved.
                slot.indexed = None;
            }
            for position in first..self.slots.len() {
                self.reindex(position);
            }
        }
        read.map(|_| ())
    }

    /// Files the customers held from position `first` on under their ids, in one pass after
    /// they are read (a tight loop of independent probes of the positions' map, rather than
    /// one between the reading of each customer and the next: the probes' cache misses
    /// overlap). At a customer named twice, or one already held, the customers from there on
    /// are let go, as if the read had stopped at it: gives its id.
    fn place_from(&mut self, first: usize) -> Result<(), CustomerId> {
        let mut twice = None;
        for position in first..self.slots.len() {
            if self.positions.place(position, &self.slots).is_err() {
                twice = Some(position);
                break;
            }
        }
        match twice {
            None => Ok(()),
            Some(position) => {
                let customer = self
                    .slots
                    .get(position)
                    .map(|slot| slot.relationship.customer());
                self.slots.truncate(position);
                // Those held aside among them too.
                self.held.split_off(&index(position));
                customer.map_or(Ok(()), Err)
            }
        }
    }

    /// Adds one customer read from a book (filed under its id by `place_from`).
    fn restore_entry<E: de::Error>(&mut self, entry: Entry<'_>) -> Result<(), E> {
        let (relationship, next, quarantine) = match entry {
            Entry::Live { relationship, next } => (relationship.into_owned(), next, None),
            Entry::Quarantined(held) => {
                let quarantine = Quarantine {
                    seq: held.seq,
                    kind: known(&held.kind)?,
                    error: held.error.error()?,
                    skipped: held.skipped,
                };
                (Relationship::new(held.customer), None, Some(quarantine))
            }
        };
        if let Some(quarantine) = quarantine {
            self.held.insert(index(self.slots.len()), quarantine);
        }
        // Filed as saved if the rules' fingerprint matches (see `load_book_sized`).
        let mut slot = Slot::new(relationship);
        slot.indexed = next;
        self.slots.push(slot);
        Ok(())
    }
}

/// Reads a book into a ledger, customer by customer (its indexes are filed by the caller);
/// gives the fingerprint of the rules its deadlines were worked out under.
struct BookSeed<'l> {
    ledger: &'l mut Ledger,
    /// At most how many customers to make room for from the length the input gives.
    most: usize,
}

/// A field of the book, by name (JSON) or by place (binary).
#[derive(Deserialize)]
#[serde(field_identifier, rename_all = "lowercase")]
enum Field {
    Rules,
    Customers,
}

impl<'de> Visitor<'de> for BookSeed<'_> {
    type Value = u64;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a book: the rules' fingerprint and the customers")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut fields: A) -> Result<u64, A::Error> {
        let rules = fields
            .next_element::<u64>()?
            .ok_or_else(|| de::Error::invalid_length(0, &self))?;
        let customers = CustomerSeed {
            ledger: self.ledger,
            most: self.most,
        };
        fields
            .next_element_seed(customers)?
            .ok_or_else(|| de::Error::invalid_length(1, &"a book of two fields"))?;
        Ok(rules)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut fields: A) -> Result<u64, A::Error> {
        let mut rules = None;
        let mut customers = Some(CustomerSeed {
            ledger: self.ledger,
            most: self.most,
        });
        while let Some(field) = fields.next_key::<Field>()? {
            match field {
                Field::Rules if rules.is_none() => rules = Some(fields.next_value::<u64>()?),
                Field::Customers => match customers.take() {
                    Some(seed) => fields.next_value_seed(seed)?,
                    None => return Err(de::Error::duplicate_field("customers")),
                },
                Field::Rules => return Err(de::Error::duplicate_field("rules")),
            }
        }
        if customers.is_some() {
            return Err(de::Error::missing_field("customers"));
        }
        rules.ok_or_else(|| de::Error::missing_field("rules"))
    }
}

/// Reads a book's customers into a ledger, one at a time, making room for at most `most`
/// of them from the length the input gives.
struct CustomerSeed<'l> {
    ledger: &'l mut Ledger,
    most: usize,
}

impl<'de> DeserializeSeed<'de> for CustomerSeed<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for CustomerSeed<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list of customers")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut customers: A) -> Result<(), A::Error> {
        self.ledger
            .reserve(customers.size_hint().unwrap_or(0).min(self.most));
        while let Some(entry) = customers.next_element::<Entry<'_>>()? {
            self.ledger.restore_entry(entry)?;
        }
        Ok(())
    }
}
