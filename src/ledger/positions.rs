//! The ledger's positions: which slot holds a customer, by id.
//!
//! A table of slot indexes (`u32`, 4 bytes a bucket and 1 of control) that hashes and compares
//! through the slot's own customer id, rather than a map that keeps a copy of every id beside
//! its position (24 bytes a bucket): about 10 bytes a customer instead of 50. A probe reads the
//! slot it finds (the slot is read next anyway); a customer absent reads one slot in 128.

use std::hash::BuildHasher;

use hashbrown::HashTable;
use hashbrown::hash_table::Entry;
use rustc_hash::FxBuildHasher;

use super::slots::Slots;
use crate::id::CustomerId;

/// Slot indexes by customer id. A book holds at most `u32::MAX` customers (their slots alone
/// would take terabytes); a slot past that is not filed.
#[derive(Debug, Clone, Default)]
pub(super) struct Positions {
    table: HashTable<u32>,
}

/// The hash a customer is filed under.
fn hash(customer: CustomerId) -> u64 {
    FxBuildHasher.hash_one(customer)
}

/// The customer held at `index` of `slots`, if there is one.
fn held(slots: &Slots, index: u32) -> Option<CustomerId> {
    let slot = slots.get(position(index))?;
    Some(slot.relationship.customer())
}

/// The hash of the customer held at `index` (a filed index always holds one).
fn rehash(slots: &Slots) -> impl Fn(&u32) -> u64 + '_ {
    |&index| held(slots, index).map_or(0, hash)
}

/// A position as the indexes file it (4 bytes: a book holds at most `u32::MAX` customers; a
/// position past that is filed as `u32::MAX`, which no slot answers).
pub(super) fn index(position: usize) -> u32 {
    u32::try_from(position).unwrap_or(u32::MAX)
}

/// The position an index entry files.
pub(super) fn position(index: u32) -> usize {
    usize::try_from(index).unwrap_or(usize::MAX)
}

impl Positions {
    /// The position of `customer` among `slots`, if it is filed.
    pub(super) fn get(&self, customer: CustomerId, slots: &Slots) -> Option<usize> {
        let found = self.table.find(hash(customer), |&index| {
            held(slots, index) == Some(customer)
        })?;
        Some(position(*found))
    }

    /// Room for `additional` more customers without growing.
    pub(super) fn reserve(&mut self, additional: usize, slots: &Slots) {
        self.table.reserve(additional, rehash(slots));
    }

    /// Makes room before filing position `at` when the table is full and files exactly the
    /// positions before `at` (a book filing its customers in order, as loading does): the
    /// larger table is filled reading the slots in order of position, rather than rehashed in
    /// the table's own order, which reads them at random (a cache miss and often a TLB miss
    /// each, in a book of hundreds of megabytes). Otherwise the table grows by itself.
    fn grow(&mut self, at: usize, slots: &Slots) {
        if self.table.len() < self.table.capacity() || self.table.len() != at {
            return;
        }
        let mut table = HashTable::with_capacity(at.saturating_add(1).saturating_mul(2));
        for (index, slot) in (0..u32::MAX).zip(slots.iter().take(at)) {
            let customer = slot.relationship.customer();
            table.insert_unique(hash(customer), index, rehash(slots));
        }
        self.table = table;
    }

    /// Files the customer held at `at` of `slots` under its id; if another position is
    /// filed under that id already, nothing changes and that position is given back.
    pub(super) fn place(&mut self, at: usize, slots: &Slots) -> Result<(), usize> {
        let (Some(customer), Ok(index)) = (
            slots.get(at).map(|slot| slot.relationship.customer()),
            u32::try_from(at),
        ) else {
            return Ok(());
        };
        self.grow(at, slots);
        let same = |&filed: &u32| held(slots, filed) == Some(customer);
        match self.table.entry(hash(customer), same, rehash(slots)) {
            Entry::Occupied(filed) => Err(position(*filed.get())),
            Entry::Vacant(place) => {
                place.insert(index);
                Ok(())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Positions;
    use crate::id::CustomerId;
    use crate::ledger::Slot;
    use crate::ledger::slots::Slots;
    use crate::relationship::Relationship;

    #[test]
    fn every_customer_is_found_as_the_table_grows_in_order_and_out_of_it() {
        let mut slots = Slots::default();
        let mut positions = Positions::default();
        let id = |n: u128| CustomerId::from_u128(n.wrapping_mul(0x9e37_79b9_7f4a_7c15));
        for n in 0..5_000 {
            let at = slots.push(Slot::new(Relationship::new(id(n))));
            assert_eq!(positions.place(at, &slots), Ok(()));
            // Named twice: the first position stays filed.
            assert_eq!(positions.place(at, &slots), Err(at));
        }
        // A gap (a position not filed) leaves the growing to the table itself.
        for n in 5_000..6_000 {
            slots.push(Slot::new(Relationship::new(id(n))));
        }
        for at in (5_001..6_000).rev() {
            assert_eq!(positions.place(at, &slots), Ok(()));
        }
        for n in 0..6_000_u128 {
            let expected = usize::try_from(n).ok().filter(|&at| at != 5_000);
            assert_eq!(positions.get(id(n), &slots), expected, "customer {n}");
        }
        assert_eq!(positions.get(id(7_000), &slots), None);
    }
}
