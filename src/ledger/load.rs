//! Loading the book: stored events folded one by one, a damaged one holding its customer
//! aside, and every customer filed once at the end.

use super::positions::index;
use super::work::{OwnerSets, WorkIndex};
use super::{Ledger, Quarantine};
use crate::customer::CustomerEvent;
use crate::error::ReplayError;
use crate::event::{Envelope, Event};
use crate::flag::Owner;
use crate::relationship::Relationship;

impl Ledger {
    /// Files every customer's deadline and work anew, building both indexes in one pass (for
    /// a book just loaded: cheaper than filing customers one by one).
    ///
    /// `saved`: each slot's `indexed` already holds its customer's next deadline under the
    /// book's health rules (a [snapshot](crate::snapshot)'s, trusted when its rules'
    /// fingerprint matches), so it is filed as it is rather than worked out again, unless it
    /// is later than the customer's earliest clock deadline or earlier than their last
    /// recorded fact ([`Relationship::may_be_next`]).
    pub(super) fn refile_all(&mut self, saved: bool) {
        let mut due = Vec::with_capacity(self.slots.len());
        let mut work: Vec<(Owner, u32)> = Vec::with_capacity(self.slots.len());
        // One buffer for every customer's owners, each slot's list then held at its size
        // (inline for one owner).
        let mut owners = Vec::new();
        let mut sets = OwnerSets::default();
        for (position, slot) in self.slots.iter_mut().enumerate() {
            let filed = index(position);
            let live = !self.held.contains_key(&filed);
            // Health's review instants are scored under the book's rules.
            slot.relationship.use_health_policy(&self.policy.health);
            // A saved deadline no clock or review could give (a corrupt snapshot) is not trusted.
            if !saved || !slot.relationship.may_be_next(slot.indexed) {
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
}
