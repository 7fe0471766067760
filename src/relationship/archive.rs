//! The archive: what a relationship keeps of its closed items, shared between copies.
//!
//! A relationship is copied twice per command (the look-ahead a decision works on, and the copy
//! that makes application all-or-nothing). The archive holds what grows with history, so it is
//! not copied: its store sits behind an [`Arc`], and a copy shares it. New entries go to a short
//! buffer first (`recent`, at most [`FOLD_AT`] entries while the store is held by one copy);
//! once the buffer is full and the store is not shared, the buffer is folded into it. A copy
//! whose store is shared keeps its entries in the buffer; past [`UNSHARE_AT`] it takes a store
//! of its own (a caller that keeps long-lived copies of a relationship pays once per
//! `UNSHARE_AT` entries, never per command).
//!
//! Each entry is an id (16 bytes) with, for promises and follow-ups, the stage it closed in
//! (1 byte) and, for promises, when it was made (12 bytes; it left the late-fact item order
//! with the promise), in hash tables (`rustc-hash`): 16, 17 and 32 bytes a slot, plus the
//! table's control byte, more an entry depending on how full the table is
//! (`benches/memory.rs` measures it).

use std::sync::Arc;

use chrono::{DateTime, Utc};
use rustc_hash::{FxHashMap, FxHashSet};
use serde::{Deserialize, Serialize};

use crate::compact::At;
use crate::follow_up::{FollowUp, FollowUpStage, FollowUpState, FollowUps};
use crate::id::{AgentId, FollowUpId, InteractionId, PromiseId};
use crate::outcome::Outcome;
use crate::personal::Personal;
use crate::promise::{Fulfiller, Promise, PromiseStage, PromiseState, PromiseTerms, Promises};
use crate::value::Span;

/// When an archived promise was made, written compactly.
pub(crate) type Made = At;

/// Entries the buffer takes before it is folded into the store (when the store is not shared).
const FOLD_AT: usize = 8;

/// Entries a copy whose store is shared buffers before it takes a store of its own.
const UNSHARE_AT: usize = 64;

/// One archived fact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) enum Entry {
    /// An interaction was recorded.
    Interaction(InteractionId),
    /// A promise closed (kept, kept late or withdrawn), and when it was made (its first
    /// fact: a complaint reported late about it must not be dated before it).
    Promise(PromiseId, PromiseStage, Made),
    /// A follow-up closed (done or cancelled).
    FollowUp(FollowUpId, FollowUpStage),
}

/// The store of archived facts. Serialized with each part sorted, so that a snapshot's bytes
/// do not depend on the hash tables' history.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "SortedStore", into = "SortedStore")]
pub(crate) struct Store {
    interactions: FxHashSet<InteractionId>,
    promises: FxHashMap<PromiseId, (PromiseStage, Made)>,
    follow_ups: FxHashMap<FollowUpId, FollowUpStage>,
}

/// [`Store`] as it is written: each part sorted by id.
#[derive(Serialize, Deserialize)]
struct SortedStore {
    interactions: Vec<InteractionId>,
    promises: Vec<(PromiseId, (PromiseStage, Made))>,
    follow_ups: Vec<(FollowUpId, FollowUpStage)>,
}

impl From<Store> for SortedStore {
    fn from(store: Store) -> Self {
        let mut interactions: Vec<_> = store.interactions.into_iter().collect();
        let mut promises: Vec<_> = store.promises.into_iter().collect();
        let mut follow_ups: Vec<_> = store.follow_ups.into_iter().collect();
        interactions.sort_unstable();
        promises.sort_unstable_by_key(|(id, _)| *id);
        follow_ups.sort_unstable_by_key(|(id, _)| *id);
        Self {
            interactions,
            promises,
            follow_ups,
        }
    }
}

impl From<SortedStore> for Store {
    fn from(sorted: SortedStore) -> Self {
        Self {
            interactions: sorted.interactions.into_iter().collect(),
            promises: sorted.promises.into_iter().collect(),
            follow_ups: sorted.follow_ups.into_iter().collect(),
        }
    }
}

impl Store {
    fn insert(&mut self, entry: Entry) {
        match entry {
            Entry::Interaction(id) => {
                self.interactions.insert(id);
            }
            Entry::Promise(id, stage, made) => {
                self.promises.insert(id, (stage, made));
            }
            Entry::FollowUp(id, stage) => {
                self.follow_ups.insert(id, stage);
            }
        }
    }

    fn len(&self) -> usize {
        self.interactions
            .len()
            .saturating_add(self.promises.len())
            .saturating_add(self.follow_ups.len())
    }

    fn entries(&self) -> impl Iterator<Item = Entry> + '_ {
        let interactions = self.interactions.iter().map(|id| Entry::Interaction(*id));
        let promises = self
            .promises
            .iter()
            .map(|(id, (s, made))| Entry::Promise(*id, *s, *made));
        let follow_ups = self
            .follow_ups
            .iter()
            .map(|(id, s)| Entry::FollowUp(*id, *s));
        interactions.chain(promises).chain(follow_ups)
    }
}

/// The archive of one relationship: interactions recorded, closed promises and follow-ups.
/// Serialized as its flat [`Store`], however it is buffered.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(from = "Store", into = "Store")]
pub(crate) struct Archive {
    /// The store, shared between copies of the relationship.
    store: Option<Arc<Store>>,
    /// Entries not yet folded into the store, oldest first.
    recent: Vec<Entry>,
}

impl Archive {
    /// Archives `entry`: buffered, then folded into the store when the buffer is full and the
    /// store is held by this copy alone.
    pub(crate) fn insert(&mut self, entry: Entry) {
        // Exact capacity: most customers hold a few entries, and the buffer is short.
        self.recent.reserve_exact(1);
        self.recent.push(entry);
        if self.recent.len() >= FOLD_AT {
            self.settle();
        }
    }

    /// Folds the buffer into the store if this copy holds the store alone, or if the buffer has
    /// outgrown [`UNSHARE_AT`] (then the store is copied once).
    pub(crate) fn settle(&mut self) {
        if self.recent.len() < FOLD_AT {
            return;
        }
        let store = self.store.get_or_insert_with(Arc::default);
        let alone = Arc::get_mut(store).is_some();
        if alone || self.recent.len() >= UNSHARE_AT {
            let store = Arc::make_mut(store);
            for entry in self.recent.drain(..) {
                store.insert(entry);
            }
            self.recent = Vec::new();
        }
    }

    fn stored(&self) -> Option<&Store> {
        self.store.as_deref()
    }

    /// Whether interaction `id` was recorded.
    pub(crate) fn has_interaction(&self, id: InteractionId) -> bool {
        self.recent.contains(&Entry::Interaction(id))
            || self.stored().is_some_and(|s| s.interactions.contains(&id))
    }

    /// The stage promise `id` closed in, if it is archived.
    pub(crate) fn promise(&self, id: PromiseId) -> Option<PromiseStage> {
        self.closed_promise(id).map(|(stage, _)| stage)
    }

    /// When promise `id` was made, if it is archived.
    pub(crate) fn promise_made(&self, id: PromiseId) -> Option<DateTime<Utc>> {
        self.closed_promise(id).map(|(_, At(made))| made)
    }

    /// The stage promise `id` closed in and when it was made, if it is archived.
    fn closed_promise(&self, id: PromiseId) -> Option<(PromiseStage, Made)> {
        self.recent
            .iter()
            .find_map(|entry| match entry {
                Entry::Promise(p, stage, made) if *p == id => Some((*stage, *made)),
                Entry::Promise(..) | Entry::Interaction(_) | Entry::FollowUp(..) => None,
            })
            .or_else(|| self.stored()?.promises.get(&id).copied())
    }

    /// The stage follow-up `id` closed in, if it is archived.
    pub(crate) fn follow_up(&self, id: FollowUpId) -> Option<FollowUpStage> {
        self.recent
            .iter()
            .find_map(|entry| match entry {
                Entry::FollowUp(f, stage) if *f == id => Some(*stage),
                Entry::FollowUp(..) | Entry::Interaction(_) | Entry::Promise(..) => None,
            })
            .or_else(|| self.stored()?.follow_ups.get(&id).copied())
    }

    /// How many facts are archived.
    pub(crate) fn len(&self) -> usize {
        self.stored()
            .map_or(0, Store::len)
            .saturating_add(self.recent.len())
    }

    /// Every archived fact, in no particular order.
    fn entries(&self) -> impl Iterator<Item = Entry> + '_ {
        self.stored()
            .into_iter()
            .flat_map(Store::entries)
            .chain(self.recent.iter().copied())
    }

    /// Whether `entry` is archived.
    fn holds(&self, entry: Entry) -> bool {
        match entry {
            Entry::Interaction(id) => self.has_interaction(id),
            Entry::Promise(id, stage, made) => self.closed_promise(id) == Some((stage, made)),
            Entry::FollowUp(id, stage) => self.follow_up(id) == Some(stage),
        }
    }
}

/// Two archives are equal when they hold the same facts, however buffered.
impl PartialEq for Archive {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.entries().all(|entry| other.holds(entry))
    }
}

impl Eq for Archive {}

impl From<Store> for Archive {
    fn from(store: Store) -> Self {
        Self {
            store: (store.len() > 0).then(|| Arc::new(store)),
            recent: Vec::new(),
        }
    }
}

impl From<Archive> for Store {
    fn from(archive: Archive) -> Self {
        let mut store = archive.store.map(Arc::unwrap_or_clone).unwrap_or_default();
        for entry in archive.recent {
            store.insert(entry);
        }
        store
    }
}

/// A stand-in for a promise that closed in `stage`, for the promise family to refuse a
/// command on it exactly as it refuses one on the closed promise: a closed promise refuses
/// every command by its stage alone, before any of its data is read.
pub(crate) fn closed_promise(id: PromiseId, stage: PromiseStage) -> Promises {
    let epoch = DateTime::UNIX_EPOCH;
    let terms = PromiseTerms::made(
        Personal::erased(),
        epoch,
        epoch,
        AgentId::from_u128(0),
        Fulfiller::Us,
    );
    let state = match stage {
        PromiseStage::KeptLate => PromiseState::KeptLate {
            at: epoch,
            lateness: Span::ZERO,
        },
        PromiseStage::Withdrawn => PromiseState::Withdrawn {
            at: epoch,
            reason: Personal::erased(),
        },
        PromiseStage::Kept | PromiseStage::Open | PromiseStage::AtRisk | PromiseStage::Broken => {
            PromiseState::Kept { at: epoch }
        }
    };
    let mut promises = Promises::new();
    promises.insert(id, Promise { terms, state });
    promises
}

/// A stand-in for a follow-up that closed in `stage` (see [`closed_promise`]).
pub(crate) fn closed_follow_up(id: FollowUpId, stage: FollowUpStage) -> FollowUps {
    let epoch = DateTime::UNIX_EPOCH;
    let state = match stage {
        FollowUpStage::Cancelled => FollowUpState::Cancelled {
            at: epoch,
            reason: Personal::erased(),
        },
        FollowUpStage::Done | FollowUpStage::Scheduled | FollowUpStage::Overdue => {
            FollowUpState::Done {
                at: epoch,
                outcome: crate::follow_up::FollowUpOutcome::Satisfied,
                timing: Outcome::Untimed,
            }
        }
    };
    let mut follow_ups = FollowUps::new();
    follow_ups.insert(
        id,
        FollowUp {
            owner: AgentId::from_u128(0),
            due: None,
            no_target: None,
            reason: Personal::erased(),
            complaint: None,
            scheduled_at: epoch,
            state,
        },
    );
    follow_ups
}
