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

    /// Files the customer held at `at` of `slots` under its id; if another position is
    /// filed under that id already, nothing changes and that position is given back.
    pub(super) fn place(&mut self, at: usize, slots: &Slots) -> Result<(), usize> {
        let (Some(customer), Ok(index)) = (
            slots.get(at).map(|slot| slot.relationship.customer()),
            u32::try_from(at),
        ) else {
            return Ok(());
        };
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
