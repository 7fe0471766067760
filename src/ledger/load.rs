//! Loading the book: stored events folded one by one, a damaged one holding its customer
//! aside, and every customer filed once at the end (most of them worked out early, while the
//! load was still on them: [`Early`]).

use super::positions::index;
use super::work::{OwnerSets, WorkIndex};
use super::{Ledger, Quarantine};
use crate::customer::CustomerEvent;
use crate::error::ReplayError;
use crate::event::{Envelope, Event};
use crate::flag::Owner;
use crate::id::CustomerId;
use crate::relationship::Relationship;

/// Which slots' `indexed` already hold their customer's next deadline under the book's health
/// rules when the book is filed in one pass ([`Ledger::refile_all`]); the others are worked
/// out there.
pub(super) enum Known<'a> {
    /// None.
    Nothing,
    /// Every one, as a [snapshot](crate::snapshot) saved it (trusted when its rules'
    /// fingerprint matches), unless it is later than the customer's earliest clock deadline or
    /// earlier than their last recorded fact ([`Relationship::may_be_next`]: a corrupt
    /// snapshot's is worked out again).
    Saved,
    /// Those filed early by the load.
    Early(&'a Early),
}

/// The customers a load from nothing filed early: when the log moves on from a customer, their
/// next deadline is worked out at once, their state still in cache, rather than in the final
/// pass, which reads every customer's state again from memory after the whole load (a log
/// grouped by customer, as a migration or an export writes it, is then filed almost wholly
/// early). A customer the log comes back to is worked out again in the final pass; when it
/// comes back to more than a quarter of them (a log in time order, whose customers
/// interleave), filing early stops, so such a log pays for at most one early filing per
/// customer met before then. A customer the log leaves after a single event is not filed
/// early: a log dealing its customers one event at a time (the worst case of interleaving)
/// comes back to each, and files nobody early.
#[derive(Debug, Default)]
pub(super) struct Early {
    /// One bit per position: filed early and not touched since.
    bits: Vec<u64>,
    /// How many customers were filed early.
    filed: u64,
    /// How many of those the log came back to.
    again: u64,
}

impl Early {
    /// Whether the customer at `position` was filed early and not touched since.
    fn holds(&self, position: usize) -> bool {
        self.bits
            .get(position / 64)
            .is_some_and(|word| word & (1 << (position % 64)) != 0)
    }

    /// The customer at `position` is touched again: its early filing no longer holds.
    pub(super) fn touched(&mut self, position: usize) {
        if let Some(word) = self.bits.get_mut(position / 64)
            && *word & (1 << (position % 64)) != 0
        {
            *word &= !(1 << (position % 64));
            self.again = self.again.saturating_add(1);
        }
    }

    /// Whether filing early still pays: the log came back to at most a quarter of those filed
    /// (past a first few, so that a handful of returns early on does not stop it).
    fn pays(&self) -> bool {
        self.again.saturating_mul(4) <= self.filed.saturating_add(256)
    }

    /// The customer at `position` is filed early.
    fn hold(&mut self, position: usize) {
        let word = position / 64;
        if self.bits.len() <= word {
            self.bits.resize(word.saturating_add(1), 0);
        }
        if let Some(bits) = self.bits.get_mut(word) {
            *bits |= 1 << (position % 64);
        }
        self.filed = self.filed.saturating_add(1);
    }
}

impl Ledger {
    /// Files the customer at `position` early (see [`Early`]), while the load that just left
    /// it after `run` events in a row still has its state in cache: its next deadline in its
    /// slot, read as it is by [`refile_all`](Self::refile_all) unless the load comes back to
    /// the customer.
    pub(super) fn file_early(&mut self, early: &mut Early, position: usize, run: u32) {
        if run < 2 || !early.pays() {
            return;
        }
        let Some(slot) = self.slots.get_mut(position) else {
            return;
        };
        slot.relationship.use_health_policy(&self.policy.health);
        slot.indexed = slot.relationship.next_deadline().map(|d| d.at);
        early.hold(position);
    }

    /// Files every customer's deadline and work anew, building both indexes in one pass (for
    /// a book just loaded: cheaper than filing customers one by one). `known`: the slots whose
    /// `indexed` already holds the customer's next deadline, filed as it is rather than worked
    /// out again.
    pub(super) fn refile_all(&mut self, known: Known<'_>) {
        let mut due = Vec::with_capacity(self.slots.len());
        let mut work: Vec<(Owner, u32)> = Vec::with_capacity(self.slots.len());
        // One buffer for every customer's owners, each slot's list then held at its size
        // (inline for one owner).
        let mut owners = Vec::new();
        let mut sets = OwnerSets::default();
        for (position, slot) in self.slots.iter_mut().enumerate() {
            let filed = index(position);
            let live = !self.held.contains_key(&filed);
            let early = matches!(known, Known::Early(early) if early.holds(position));
            if !early {
                // Health's review instants are scored under the book's rules (given already to
                // those filed early).
                slot.relationship.use_health_policy(&self.policy.health);
            }
            // A saved deadline no clock or review could give (a corrupt snapshot) is not
            // trusted.
            let saved =
                matches!(known, Known::Saved) && slot.relationship.may_be_next(slot.indexed);
            if !early && !saved {
                slot.indexed = slot.relationship.next_deadline().map(|d| d.at);
            }
            slot.indexed = slot.indexed.filter(|_| live);
            due.extend(slot.indexed.map(|at| (at, filed)));
            if live {
                slot.relationship.owners_into(&mut owners);
            } else {
                owners.clear();
            }
            slot.owners = sets.hold(&owners);
            work.extend(owners.iter().map(|owner| (*owner, filed)));
        }
        due.sort_unstable();
        self.due = due.into_iter().collect();
        self.work = WorkIndex::of(work, sets);
    }

    /// Folds one stored event while loading the book, quarantining its customer if it does not
    /// fold; returns the customer's position. Leaves the indexes alone.
    pub(super) fn load(&mut self, envelope: &Envelope) -> usize {
        let customer = envelope.customer;
        if let Some(position) = self.positions.get(customer, &self.slots) {
            self.load_at(position, envelope);
            return position;
        }
        // Filed first and folded in its slot: the relationship is not moved once loaded.
        let position = self.insert(Relationship::new(customer));
        let Some(slot) = self.slots.get_mut(position) else {
            return position;
        };
        let error = if matches!(
            envelope.event,
            Event::Customer(CustomerEvent::Registered { .. })
        ) {
            slot.relationship.apply(envelope).err()
        } else {
            Some(ReplayError::UnknownCustomer {
                kind: envelope.event.kind(),
                customer,
            })
        };
        if let Some(error) = error {
            self.held
                .insert(index(position), Quarantine::of(envelope, error));
        }
        position
    }

    /// [`load`](Self::load) for a customer held at `position`.
    /// A live customer held aside here keeps its filing until it is refiled (`reindex` or
    /// `refile_all`), which takes it out of the indexes by what its slot says.
    pub(super) fn load_at(&mut self, position: usize, envelope: &Envelope) {
        let filed = index(position);
        if let Some(quarantine) = self.held.get_mut(&filed) {
            quarantine.skipped = quarantine.skipped.saturating_add(1);
        } else if let Some(slot) = self.slots.get_mut(position)
            && let Err(error) = slot.relationship.apply(envelope)
        {
            self.held.insert(filed, Quarantine::of(envelope, error));
        }
    }

    /// Gives back the room the relationship `last` was loaded with (see
    /// [`Relationship::trim`]).
    pub(super) fn trim_at(&mut self, last: Option<(CustomerId, usize)>) {
        if let Some((_, position)) = last
            && let Some(slot) = self.slots.get_mut(position)
        {
            slot.relationship.trim();
        }
    }

    /// Files the customer at `position` again after a change: its next deadline in `due`, its
    /// owners in `work` (a quarantined customer under neither).
    pub(super) fn reindex(&mut self, position: usize) {
        let live = !self.is_held(position);
        let Some(slot) = self.slots.get_mut(position) else {
            return;
        };
        // A customer caught up with stored events is at rest at its exact size, as one loaded.
        slot.relationship.trim();
        slot.relationship.use_health_policy(&self.policy.health);
        let owners = if live {
            slot.relationship.owners()
        } else {
            Vec::new()
        };
        slot.owners = self.work.refile(position, slot.owners, &owners);
        let next = slot
            .relationship
            .next_deadline()
            .filter(|_| live)
            .map(|d| d.at);
        if next == slot.indexed {
            return;
        }
        if let Some(old) = slot.indexed {
            self.due.remove(&(old, index(position)));
        }
        if let Some(new) = next {
            self.due.insert((new, index(position)));
        }
        slot.indexed = next;
    }
}
