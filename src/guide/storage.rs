//! Storing events: keys, transactions, the order to read them back in, snapshots and their
//! tail, retries and concurrent writers, and erasure.
//!
//! The crate stores nothing; it hands the service [`Envelope`]s to store and takes them back
//! to rebuild its state. This guide says what a store must keep so that a restarted service is
//! the service that stopped. `examples/service` (a package of its own, on SQLite) follows it
//! line by line: `cargo run --manifest-path examples/service/Cargo.toml`.
//!
//! # What to store, and under which keys
//! Store each [`Envelope`] as the crate writes it (its JSON, `serde_json::to_string`), and
//! read it back with [`Envelope::from_json`], which reads every published schema version and
//! upcasts it: never rewrite a stored event to change its meaning. Next to it, keep:
//! - **the customer and `seq`, under a unique key**. `seq` counts each customer's events from
//!   1 with no gaps ([`Relationship::version`] is the last one), so the unique key is what
//!   stops two writers from both storing a customer's next event: the second insert fails,
//!   and that writer's book was stale (see "Two writers" below).
//! - **a position**: the order the events were stored in, across customers (an
//!   auto-increment row id, a log offset). Read back in it; a snapshot names the position it
//!   holds up to.
//!
//! `at` is no key and no order: it is when the fact happened, which for a fact reported late
//! ([`Request::occurred_at`](crate::Request::occurred_at)) is earlier than facts recorded
//! before it, and many events share an instant.
//!
//! ```text
//! CREATE TABLE events (
//!     position INTEGER PRIMARY KEY,   -- the order stored in: read back in it
//!     customer TEXT    NOT NULL,
//!     seq      INTEGER NOT NULL,      -- from 1 per customer, no gaps
//!     envelope TEXT    NOT NULL,      -- the envelope's JSON
//!     UNIQUE (customer, seq)
//! );
//! CREATE TABLE snapshots (through INTEGER PRIMARY KEY, book BLOB NOT NULL);
//! ```
//!
//! # Decide, store, apply: one batch, one transaction
//! [`Ledger::decide`] (or [`decide_request`](Ledger::decide_request)) and
//! [`Ledger::due_by`] change nothing and return a batch; store the whole batch in one
//! transaction; then fold it in with [`Ledger::apply_all`], all or nothing. A batch is one
//! decision (a message and the clock it starts, a deadline and what it sets off): store all of
//! it or none, never part. If the transaction fails, nothing was applied and the book is
//! still what the store holds: retry, or give up. A batch decided on the book it is applied to
//! always fits; if `apply_all` ever refused one already stored, the store is the truth:
//! restart from it.
//!
//! ```
//! use std::collections::BTreeSet;
//! use chrono::{TimeZone, Utc};
//! use clientele::{CommandError, CustomerId, Envelope, Ledger, RegisterCustomer, ServicePolicy, Text, Tier};
//!
//! /// Stands in for the table above: rows in the order stored, a unique (customer, seq).
//! #[derive(Default)]
//! struct Store { rows: Vec<Envelope>, keys: BTreeSet<(CustomerId, u64)> }
//!
//! impl Store {
//!     /// One transaction: every event stored, or none if a (customer, seq) is taken.
//!     fn append(&mut self, batch: &[Envelope]) -> bool {
//!         if batch.iter().any(|e| self.keys.contains(&(e.customer, e.seq))) {
//!             return false;
//!         }
//!         self.keys.extend(batch.iter().map(|e| (e.customer, e.seq)));
//!         self.rows.extend_from_slice(batch);
//!         true
//!     }
//! }
//!
//! let mut store = Store::default();
//! let mut writer = Ledger::new(ServicePolicy::default())?;
//! let mut other = writer.clone(); // a second writer, with the same book for now
//! let (ona, now) = (CustomerId::from_u128(1), Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap());
//! let register = RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?).into();
//!
//! let events = writer.decide(ona, &register, now)?; // pure
//! assert!(store.append(&events)); // one transaction
//! writer.apply_all(&events)?; // then fold in
//!
//! // The other writer decides on its stale book: the key refuses its batch, nothing changes.
//! let stale = other.decide(ona, &register, now)?;
//! assert!(!store.append(&stale));
//! // It catches up with what was stored, and decides again on the book as it is.
//! other.catch_up(&store.rows);
//! assert_eq!(other, writer);
//! assert_eq!(other.decide(ona, &register, now), Err(CommandError::AlreadyRegistered(ona)));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Reading back: the order that keeps ties identical
//! [`Ledger::replay`] (or [`try_replay`](Ledger::try_replay), decoding as it goes) takes the
//! events in the order they were stored. Two orders matter:
//! - **Each customer's events in `seq` order.** Anything else is refused
//!   ([`ReplayError::OutOfSequence`](crate::ReplayError::OutOfSequence)) and holds the customer
//!   aside ([`Ledger::quarantined`]); ordering by `at` breaks it as soon as a fact was
//!   reported late.
//! - **Customers in the order they were first stored.** The book keeps its customers in the
//!   order it first met them, and that order breaks ties: the events of deadlines falling due
//!   at the same instant come out of [`due_by`](Ledger::due_by) and
//!   [`advance_to`](Ledger::advance_to) in it, [`iter`](Ledger::iter) and a snapshot's body
//!   follow it. Read back by position and the replayed book equals the live one (`==`), ties
//!   and all. Read back by customer then `seq` and every relationship is the same, but ties
//!   across customers come out in another order, and the book is not `==`.
//!
//! ```
//! use chrono::{TimeZone, Utc};
//! use clientele::{Channel, CustomerId, Envelope, InteractionId, Ledger, RecordInteraction,
//!     RegisterCustomer, ServicePolicy, Text, Tier};
//!
//! let mut live = Ledger::new(ServicePolicy::default())?;
//! let mut log: Vec<Envelope> = Vec::new(); // in the order stored
//! let now = Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap();
//! // Customer 2 first, then customer 1; both write in at the same instant.
//! for n in [2, 1] {
//!     let customer = CustomerId::from_u128(n);
//!     let register = RegisterCustomer::new(Text::new("Customer")?, Tier::new("standard")?);
//!     let hello = RecordInteraction::inbound(InteractionId::from_u128(n), Channel::Chat, Text::new("Hi")?);
//!     for command in [register.into(), hello.into()] {
//!         let events = live.decide(customer, &command, now)?;
//!         log.extend(events.iter().cloned());
//!         live.apply_all(&events)?;
//!     }
//! }
//! let by_position = Ledger::replay(ServicePolicy::default(), &log)?;
//! assert_eq!(by_position, live);
//!
//! let mut by_customer = log.clone();
//! by_customer.sort_by_key(|e| (e.customer, e.seq));
//! let by_customer = Ledger::replay(ServicePolicy::default(), &by_customer)?;
//! let one = CustomerId::from_u128(1);
//! assert_eq!(by_customer.get(one), live.get(one)); // each relationship is the same...
//! assert_ne!(by_customer, live); // ...but not the book: the tie below comes out the other way
//! let due = live.next_deadline().expect("both wait").at;
//! let first = |book: &Ledger| book.due_by(due).first().map(|e| e.customer);
//! assert_eq!(first(&live), Some(CustomerId::from_u128(2)));
//! assert_eq!(first(&by_customer), Some(one));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Snapshots and their tail
//! A [snapshot](crate::snapshot) saves the book so that a restart reads it and the events
//! stored after it (its tail) rather than the whole log:
//! 1. **Saving**: catch up with the store first, so the book holds exactly the events up to a
//!    position; save [`Ledger::snapshot`] with that position (`through`). The policy is not
//!    in it: it is configuration, given again on restore.
//! 2. **Restarting**: [`Ledger::restore`] the latest snapshot, then
//!    [`catch_up`](Ledger::catch_up) (or [`try_catch_up`](Ledger::try_catch_up)) with the
//!    events stored after `through`, by position.
//! 3. **Checking**: the restarted book equals the live one and a replay of the whole log
//!    (`==` on [`Ledger`]); `examples/service` fails its run if not.
//! 4. **A snapshot is a cache, never the record.** One that does not read
//!    ([`SnapshotError`](crate::snapshot::SnapshotError), a format version this build does
//!    not read included) costs a replay of the whole log; then save a new one.
//!
//! A writer that catches up from a position it has partly applied itself (its own events,
//! applied when it stored them) passes over the events it already holds (`seq` at or below
//! the customer's [`version`](Relationship::version)): `catch_up` holds aside a customer whose
//! event comes twice.
//!
//! ```
//! use chrono::{TimeZone, Utc};
//! use clientele::snapshot::Encoding;
//! use clientele::{CustomerId, Envelope, Ledger, RegisterCustomer, ServicePolicy, Text, Tier, UpdateProfile};
//!
//! let policy = ServicePolicy::default();
//! let mut live = Ledger::new(policy.clone())?;
//! let mut log: Vec<Envelope> = Vec::new();
//! let (ona, now) = (CustomerId::from_u128(1), Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap());
//! log.extend(live.execute(ona, RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?), now)?);
//! let (through, saved) = (log.len(), live.snapshot(Encoding::Binary)?); // stored together
//! let rename = UpdateProfile { name: Some(Text::new("Ona P.")?.into()), ..Default::default() };
//! log.extend(live.execute(ona, rename, now)?);
//!
//! // Restart: the snapshot, then the events stored after it.
//! let restarted = match Ledger::restore(policy.clone(), &saved) {
//!     Ok(mut book) => { book.catch_up(&log[through..]); book }
//!     Err(_) => Ledger::replay(policy.clone(), &log)?, // a cache miss: replay the log
//! };
//! assert_eq!(restarted, live);
//! assert_eq!(Ledger::replay(policy, &log)?, live);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Retries and two writers: idempotency keys and expected versions
//! Two things go wrong between a service and its clients, and a [`Request`](crate::Request)
//! carries the answer to each:
//! - **A client retries** (it timed out, the answer was lost): give the request an
//!   idempotency key ([`Request::idempotent`](crate::Request::idempotent)). The key is stored
//!   in each envelope it produced (`key`), so every writer that has folded those events knows
//!   it, a restarted one included: the same key again within the policy's
//!   [`idempotency_window`](crate::ServicePolicy::idempotency_window) (24 hours by default)
//!   decides no events, and [`Relationship::handled`] says which it produced. A retry reaching
//!   a writer whose book is stale decides the command again, but the unique key refuses that
//!   batch; caught up, the writer knows the key and stores nothing. Put no personal data in
//!   a key: it is stored in clear, beside the events.
//! - **Two people change one customer at once**: send the version the person saw
//!   ([`Request::expecting`](crate::Request::expecting), [`Relationship::version`]). If
//!   someone else's events came first, the request is refused
//!   ([`CommandError::VersionConflict`](crate::CommandError::VersionConflict)) rather than
//!   applied to a customer the person has not seen: show them the customer again and let them
//!   send it anew, at the new version. The key is checked before the version, so a retry of a
//!   request that succeeded is not a conflict.
//!
//! A writer therefore decides on the book it holds, and when the unique key refuses a batch,
//! catches up and decides again: the key and the version then say whether there is anything
//! left to store. Once its batch is stored, it catches up with what the others stored before
//! that batch's position, then applies the batch: otherwise a customer another writer
//! registered meanwhile joins its book after its own new customer, and its book is no longer
//! `==` a replay (the order above). Positions must also be visible in their order: an
//! auto-increment row id in SQLite (one writer at a time) is; a sequence in a database that
//! commits concurrently is not (position 10 may commit after 11 was read): there, read
//! positions below the oldest transaction still open, or give the log one writer.
//!
//! ```
//! use chrono::{TimeZone, Utc};
//! use clientele::{CommandError, CustomerId, IdempotencyKey, Ledger, RegisterCustomer, Request,
//!     ServicePolicy, Text, Tier, UpdateProfile};
//!
//! let mut ledger = Ledger::new(ServicePolicy::default())?;
//! let (ona, now) = (CustomerId::from_u128(1), Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap());
//! ledger.execute(ona, RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?), now)?;
//! let seen = ledger.get(ona).map_or(0, |r| r.version()); // on the agent's screen
//!
//! let rename = |name: &str| Ok::<_, clientele::ValueError>(UpdateProfile { name: Some(Text::new(name)?.into()), ..Default::default() });
//! let mine = Request::new(rename("Ona P.")?).expecting(seen).idempotent(IdempotencyKey::new("form-7")?);
//! let events = ledger.decide_request(ona, &mine, now)?; // store, then apply
//! ledger.apply_all(&events)?;
//! // The same request again (a retry): nothing new, and no conflict.
//! assert!(ledger.decide_request(ona, &mine, now)?.is_empty());
//! // Another agent, who saw the same version, sends their own change: refused.
//! let theirs = Request::new(rename("Ona Petraitė")?).expecting(seen);
//! assert_eq!(
//!     ledger.decide_request(ona, &theirs, now),
//!     Err(CommandError::VersionConflict { expected: seen, actual: seen + 1 })
//! );
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Erasing personal data from stored events
//! What the crate does and does not do (see [`crate::personal`] for the details):
//! - [`ErasePersonalData`](crate::ErasePersonalData) erases every piece of personal data the
//!   **state** holds and records `personal_data_erased`; measures and health are unchanged.
//! - It does **not** touch the events already stored: they are immutable, and the crate has
//!   no access to the store. Left as they are, the names, addresses and summaries of the
//!   customer's earlier events stay in the log, in every backup, and in every snapshot saved
//!   before the erasure.
//! - To take them out, keep personal data apart from the log from the start:
//!   [`Envelope::take_personal`] moves an event's personal fields out before it is stored
//!   (they read `{"erased": true}` in the log), and [`Envelope::restore_personal`] puts them
//!   back on reading. Store what was taken in a table keyed by (customer, `seq`) and delete
//!   the customer's rows to erase (externalised payloads), or encrypt it with a key per
//!   customer and destroy the key (crypto-shredding; the crate does no encryption). Either
//!   way the events replay with those fields erased, and the book is the same but for them.
//! - After an erasure, save a new snapshot and delete the older ones (they hold the data).
//!
//! ```
//! use std::collections::BTreeMap;
//! use chrono::{TimeZone, Utc};
//! use clientele::{CustomerId, Envelope, ErasePersonalData, Ledger, RegisterCustomer, ServicePolicy,
//!     Text, Tier};
//!
//! let mut ledger = Ledger::new(ServicePolicy::default())?;
//! let (ona, now) = (CustomerId::from_u128(1), Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap());
//! let mut log: Vec<Envelope> = Vec::new(); // the events, without their personal data
//! let mut payloads = BTreeMap::new(); // (customer, seq) -> what was taken out
//! let register = RegisterCustomer::new(Text::new("Ona Petraitė")?, Tier::new("standard")?);
//! for mut envelope in ledger.execute(ona, register, now)? {
//!     payloads.insert((envelope.customer, envelope.seq), envelope.take_personal());
//!     log.push(envelope);
//! }
//! assert!(!serde_json::to_string(&log)?.contains("Petraitė"));
//!
//! // Erase: the command for the state, then delete the customer's payloads.
//! log.extend(ledger.execute(ona, ErasePersonalData::default(), now)?);
//! payloads.retain(|(customer, _), _| *customer != ona);
//!
//! // Reading back: what is left of the payloads goes back in; the rest stays erased.
//! let mut read = log;
//! for envelope in &mut read {
//!     if let Some(taken) = payloads.remove(&(envelope.customer, envelope.seq)) {
//!         envelope.restore_personal(taken)?;
//!     }
//! }
//! let replayed = Ledger::replay(ServicePolicy::default(), &read)?;
//! assert_eq!(replayed, ledger);
//! assert_eq!(replayed.get(ona).map(|r| r.holds_personal_data()), Some(false));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

#[cfg(doc)]
use crate::event::Envelope;
#[cfg(doc)]
use crate::ledger::Ledger;
#[cfg(doc)]
use crate::relationship::Relationship;
