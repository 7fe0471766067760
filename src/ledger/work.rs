//! The ledger's index of work by owner: which customers have something for each owner, so a
//! work list costs in proportion to that owner's customers, not to the book.

use std::collections::BTreeSet;

use rustc_hash::FxHashMap;

use super::positions::{index, position};
use crate::flag::Owner;

/// The owners a customer is filed under (sorted, each once): one, the usual case, held inline
/// (a box of one was an allocation a customer), more in a box.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) enum Owners {
    /// None: a customer held aside.
    #[default]
    None,
    /// One owner.
    One(Owner),
    /// More than one.
    Many(Box<[Owner]>),
}

impl Owners {
    /// The owners listed in `owners` (sorted, each once).
    pub(super) fn of(owners: &[Owner]) -> Self {
        match owners {
            [] => Self::None,
            [one] => Self::One(*one),
            many => Self::Many(many.into()),
        }
    }

    /// The owners, sorted.
    pub(super) fn as_slice(&self) -> &[Owner] {
        match self {
            Self::None => &[],
            Self::One(one) => std::slice::from_ref(one),
            Self::Many(many) => many,
        }
    }
}

/// Customers (by position) filed under each owner their relationship can have work for
/// ([`Relationship::owners`](crate::relationship::Relationship)). Kept up to date by the
/// ledger's `reindex`, which every change of a customer goes through.
#[derive(Debug, Clone, Default)]
pub(super) struct WorkIndex {
    /// Positions as `u32` (see `Positions`).
    by_owner: FxHashMap<Owner, BTreeSet<u32>>,
}

impl WorkIndex {
    /// The index of `(owner, position)` pairs, best given in order of position (a book's
    /// customers, filed in one pass): grouped by owner as they come, with no sort of the
    /// pairs (each owner's positions are then in order, and its set is built from them in one
    /// pass; pairs out of order are sorted there).
    pub(super) fn of(pairs: impl IntoIterator<Item = (Owner, u32)>) -> Self {
        let mut grouped: FxHashMap<Owner, Vec<u32>> = FxHashMap::default();
        for (owner, position) in pairs {
            grouped.entry(owner).or_default().push(position);
        }
        let by_owner = grouped
            .into_iter()
            .map(|(owner, positions)| (owner, positions.into_iter().collect()))
            .collect();
        Self { by_owner }
    }

    /// Moves the customer at `position` from the owners in `old` to those in `new` (both
    /// sorted, each owner once).
    pub(super) fn refile(&mut self, position: usize, old: &[Owner], new: &[Owner]) {
        let position = index(position);
        for owner in old.iter().filter(|owner| new.binary_search(owner).is_err()) {
            if let Some(customers) = self.by_owner.get_mut(owner) {
                customers.remove(&position);
                if customers.is_empty() {
                    self.by_owner.remove(owner);
                }
            }
        }
        for owner in new.iter().filter(|owner| old.binary_search(owner).is_err()) {
            self.by_owner.entry(*owner).or_default().insert(position);
        }
    }

    /// The positions of the customers filed under `owner`, in order.
    pub(super) fn customers(&self, owner: Owner) -> impl Iterator<Item = usize> + '_ {
        self.by_owner
            .get(&owner)
            .into_iter()
            .flatten()
            .copied()
            .map(position)
    }
}
