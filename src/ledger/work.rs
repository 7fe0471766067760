//! The ledger's index of work by owner: which customers have something for each owner, so a
//! work list costs in proportion to that owner's customers, not to the book.

use std::collections::BTreeSet;

use rustc_hash::FxHashMap;

use super::positions::{index, position};
use crate::flag::Owner;

/// The owners a customer is filed under (sorted, each once), as the number of that set of
/// owners in the book's [`OwnerSets`]: 4 bytes in a customer's slot, where the list itself
/// (one owner inline, more in a box) took 24. A book has few distinct sets (its agents and
/// teams, and the few pairs a customer with work for two of them makes), each held once.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct OwnerSet(u32);

impl OwnerSet {
    /// No owner: a customer with no work for anyone, or one held aside.
    pub(super) const NONE: Self = Self(0);
}

/// The distinct sets of owners customers are filed under, each counted by the customers
/// filed under it; a set no customer is filed under any more is let go, and its number used
/// again.
#[derive(Debug, Clone, Default)]
pub(super) struct OwnerSets {
    /// Set number `n` (from 1; [`OwnerSet::NONE`] is not held) at `n - 1`, with how many
    /// customers are filed under it (0: free, its number in `free`).
    sets: Vec<(Box<[Owner]>, u32)>,
    /// The number of each set held.
    numbers: FxHashMap<Box<[Owner]>, u32>,
    /// Numbers of sets let go, to use again.
    free: Vec<u32>,
}

impl OwnerSets {
    /// The owners of `set`, sorted.
    pub(super) fn owners(&self, set: OwnerSet) -> &[Owner] {
        let at = usize::try_from(set.0).ok().and_then(|n| n.checked_sub(1));
        at.and_then(|at| self.sets.get(at))
            .map_or(&[], |(owners, _)| owners)
    }

    /// Files one more customer under the set `owners` (sorted, each once); gives its number.
    pub(super) fn hold(&mut self, owners: &[Owner]) -> OwnerSet {
        if owners.is_empty() {
            return OwnerSet::NONE;
        }
        if let Some(&number) = self.numbers.get(owners) {
            if let Some((_, count)) = self.entry(number) {
                *count = count.saturating_add(1);
            }
            return OwnerSet(number);
        }
        let owners: Box<[Owner]> = owners.into();
        let number = match self.free.pop() {
            Some(number) => {
                if let Some(entry) = self.entry(number) {
                    *entry = (owners.clone(), 1);
                }
                number
            }
            None => {
                self.sets.push((owners.clone(), 1));
                u32::try_from(self.sets.len()).unwrap_or(u32::MAX)
            }
        };
        self.numbers.insert(owners, number);
        OwnerSet(number)
    }

    /// Files one customer fewer under `set`; the set is let go when none is left.
    pub(super) fn release(&mut self, set: OwnerSet) {
        let Some((owners, count)) = self.entry(set.0).filter(|(_, count)| *count > 0) else {
            return;
        };
        *count -= 1;
        if *count == 0 {
            let owners = std::mem::take(owners);
            self.numbers.remove(&owners);
            self.free.push(set.0);
        }
    }

    /// The set numbered `number` and its count.
    fn entry(&mut self, number: u32) -> Option<&mut (Box<[Owner]>, u32)> {
        let at = usize::try_from(number).ok()?.checked_sub(1)?;
        self.sets.get_mut(at)
    }
}

/// Customers (by position) filed under each owner their relationship can have work for
/// ([`Relationship::owners`](crate::relationship::Relationship)). Kept up to date by the
/// ledger's `reindex`, which every change of a customer goes through.
#[derive(Debug, Clone, Default)]
pub(super) struct WorkIndex {
    /// Positions as `u32` (see `Positions`).
    by_owner: FxHashMap<Owner, BTreeSet<u32>>,
    /// The sets of owners customers are filed under.
    sets: OwnerSets,
}

impl WorkIndex {
    /// The index of `(owner, position)` pairs, best given in order of position (a book's
    /// customers, filed in one pass): grouped by owner as they come, with no sort of the
    /// pairs (each owner's positions are then in order, and its set is built from them in one
    /// pass; pairs out of order are sorted there).
    /// `sets`: the sets of owners the customers were filed under.
    pub(super) fn of(pairs: impl IntoIterator<Item = (Owner, u32)>, sets: OwnerSets) -> Self {
        let mut grouped: FxHashMap<Owner, Vec<u32>> = FxHashMap::default();
        for (owner, position) in pairs {
            grouped.entry(owner).or_default().push(position);
        }
        let by_owner = grouped
            .into_iter()
            .map(|(owner, positions)| (owner, positions.into_iter().collect()))
            .collect();
        Self { by_owner, sets }
    }

    /// Moves the customer at `position` from the set of owners `old` to the owners in `new`
    /// (sorted, each owner once); gives the set it is now filed under.
    pub(super) fn refile(&mut self, position: usize, old: OwnerSet, new: &[Owner]) -> OwnerSet {
        let was = self.sets.owners(old);
        if was == new {
            return old;
        }
        let position = index(position);
        for owner in was.iter().filter(|owner| new.binary_search(owner).is_err()) {
            if let Some(customers) = self.by_owner.get_mut(owner) {
                customers.remove(&position);
                if customers.is_empty() {
                    self.by_owner.remove(owner);
                }
            }
        }
        for owner in new.iter().filter(|owner| was.binary_search(owner).is_err()) {
            self.by_owner.entry(*owner).or_default().insert(position);
        }
        let set = self.sets.hold(new);
        self.sets.release(old);
        set
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

#[cfg(test)]
mod tests {
    use super::{OwnerSet, WorkIndex};
    use crate::flag::Owner;
    use crate::id::{AgentId, TeamId};

    #[test]
    fn a_set_of_owners_no_customer_is_filed_under_is_let_go_and_its_number_used_again() {
        let agent = Owner::Agent(AgentId::from_u128(1));
        let team = Owner::Team(TeamId::from_u128(2));
        let mut work = WorkIndex::default();
        let one = work.refile(0, OwnerSet::NONE, &[agent]);
        assert_eq!(work.refile(1, OwnerSet::NONE, &[agent]), one);
        let pair = work.refile(0, one, &[agent, team]);
        assert_eq!(work.sets.owners(pair), [agent, team]);
        assert_eq!(work.customers(team).collect::<Vec<_>>(), [0]);
        assert_eq!(work.customers(agent).collect::<Vec<_>>(), [0, 1]);
        assert_eq!(work.refile(1, one, &[]), OwnerSet::NONE);
        assert_eq!(work.customers(agent).collect::<Vec<_>>(), [0]);
        // Nobody is filed under the agent alone any more: the set is let go, its number
        // taken by the next new set.
        assert!(!work.sets.numbers.contains_key(&[agent][..]));
        assert_eq!(work.refile(1, OwnerSet::NONE, &[team]), one);
        assert_eq!(work.sets.owners(one), [team]);
        assert_eq!(work.sets.sets.len(), 2);
    }
}
