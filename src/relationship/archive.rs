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
//! with the promise): 16, 17 and 32 bytes an entry. The store keeps them log-structured
//! ([`Runs`]): sorted runs of exactly the size they hold, each at least eight times as long as
//! the next, merged as they meet. An id is looked up by a search of each run whose first and
//! last ids enclose it (there are O(log n) runs), and each entry is copied O(log n) times over
//! its life, however the ids arrive (UUIDv4 at random or in order): no hash table's empty
//! slots, no quadratic inserts (`benches/memory.rs` and the scale bench's
//! `replay/one_customer` measure both). A new id is absent, and random ids fall within every
//! run's ends: a blocked Bloom filter over the store's ids ([`Filter`], 1 to 2 bytes an
//! entry, derived and never written) answers most such lookups before any run is searched.

use std::cmp::Ordering;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::compact::At;
use crate::follow_up::{FollowUp, FollowUpStage, FollowUpState, FollowUps};
use crate::id::{AgentId, FollowUpId, InteractionId, PromiseId};
use crate::outcome::Outcome;
use crate::personal::Personal;
use crate::promise::{Fulfiller, Promise, PromiseStage, PromiseState, PromiseTerms, Promises};

/// When an archived promise was made, written compactly.
pub(crate) type Made = At;

/// Entries the buffer takes before it is folded into the store (when the store is not shared).
const FOLD_AT: usize = 8;

/// Entries a copy whose store is shared buffers before it takes a store of its own.
const UNSHARE_AT: usize = 64;

/// Room the buffer takes on its second entry while a history is applied (the first takes room
/// for itself alone), trimmed at rest: growing by one entry moved it once an entry.
const ROOM: usize = 4;

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

// Room (`None`) is as large as an entry: an archived item costs what it did.
const _: () = assert!(size_of::<Option<Entry>>() == size_of::<Entry>());

impl Entry {
    /// The entry's id as its key in a store's [`Filter`].
    fn key(self) -> u64 {
        match self {
            Self::Interaction(id) => id.key(),
            Self::Promise(id, ..) => id.key(),
            Self::FollowUp(id, _) => id.key(),
        }
    }
}

/// How much longer each run is than the next: few runs to search (log base 8 of the
/// entries), each entry copied about four times per level.
const GROWTH: usize = 8;

/// Archived facts of one kind, by id, log-structured: sorted runs, oldest first, each exactly
/// sized and at least [`GROWTH`] times as long as the run after it. A batch joins as a new run and runs
/// of comparable length are merged (an entry is copied O(log n) times over its life); an id
/// is found by a search of each run, newest first. An id archived twice (which the
/// folds refuse before it gets here) reads as its latest entry and is kept once when runs
/// merge.
#[derive(Debug, Clone)]
struct Runs<K, V> {
    runs: Vec<Box<[(K, V)]>>,
}

impl<K: Rank, V: Copy> Runs<K, V> {
    const fn new() -> Self {
        Self { runs: Vec::new() }
    }

    /// The runs as one sorted list, whatever their split (an id archived twice: its latest).
    fn sorted(items: impl IntoIterator<Item = (K, V)>) -> Vec<(K, V)> {
        // Newest first, then a stable sort: the first of each id is its latest entry.
        let mut items: Vec<(K, V)> = items.into_iter().collect();
        items.reverse();
        items.sort_by_key(|(id, _)| *id);
        items.dedup_by(|later, first| later.0 == first.0);
        items
    }

    /// The entry of `id`. Runs whose ends do not enclose `id` are skipped (ids that arrive in
    /// order never reach a search); at the first run that does, `filter` is asked once, so
    /// that an absent id (every new id, whatever the order of arrival) is mostly answered
    /// without a search.
    fn get(&self, id: &K, filter: &Filter) -> Option<V> {
        let mut asked = false;
        for run in self.runs.iter().rev() {
            let (Some((first, _)), Some((last, _))) = (run.first(), run.last()) else {
                continue;
            };
            if id < first || last < id {
                continue;
            }
            if !asked {
                asked = true;
                if !filter.may_hold(id.key()) {
                    return None;
                }
            }
            if let Some((_, value)) = find(run, id).and_then(|at| run.get(at)) {
                return Some(*value);
            }
        }
        None
    }

    fn len(&self) -> usize {
        self.runs.iter().map(|run| run.len()).sum()
    }

    fn iter(&self) -> impl Iterator<Item = (K, V)> + '_ {
        self.runs.iter().flat_map(|run| run.iter().copied())
    }

    /// Adds `run` (sorted by id, each id once, newer than every run held), then merges while
    /// the run before the last is not [`GROWTH`] times as long as the last.
    fn add(&mut self, run: Vec<(K, V)>) {
        if run.is_empty() {
            return;
        }
        self.runs.push(run.into_boxed_slice());
        while let [.., older, newer] = self.runs.as_slice()
            && older.len() < newer.len().saturating_mul(GROWTH)
        {
            let merged = merge(older, newer);
            self.runs.truncate(self.runs.len().saturating_sub(2));
            self.runs.push(merged);
        }
    }
}

/// An id as the number its order is by (ids compare as one `u128`), for searching a run by
/// interpolation, and its kind, so that the store's one [`Filter`] tells the kinds apart.
trait Rank: Ord + Copy {
    /// The kind of id, mixed into its filter key.
    const KIND: u64;

    fn rank(&self) -> u128;

    /// The id's key in the store's [`Filter`].
    fn key(&self) -> u64 {
        filter_key(Self::KIND, self.rank())
    }
}

macro_rules! rank_by_uuid {
    ($($id:ty => $kind:literal),*) => {$(
        impl Rank for $id {
            const KIND: u64 = $kind;

            fn rank(&self) -> u128 {
                self.as_uuid().as_u128()
            }
        }
    )*};
}

rank_by_uuid!(InteractionId => 1, PromiseId => 2, FollowUpId => 3);

/// SplitMix64's finalizer: every bit of `x` moves about half the bits of the result.
const fn mix64(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// An id of `kind` with number `rank` as a 64-bit key spread evenly, whether the ids are
/// random (UUIDv4) or counters (`from_u128(n)`, whose high half is zero). Two ids may share a
/// key (128 bits into 64): the filter then says "maybe" and the search answers exactly.
const fn filter_key(kind: u64, rank: u128) -> u64 {
    // The halves of the id; the truncations are the point.
    #[allow(clippy::cast_possible_truncation)]
    let (high, low) = ((rank >> 64) as u64, rank as u64);
    mix64(low ^ mix64(high ^ kind))
}

/// Entries a store holds before it keeps a [`Filter`]: below, its runs are short.
const FILTER_FROM: usize = 64;

/// Bits of a [`Filter`] per entry, at least (right after it is built: twice as many).
const FILTER_BITS: usize = 8;

/// A blocked Bloom filter over a store's ids: one 64-bit word per key, five bits set in it.
/// It never denies an id it was given (no false negatives); of ids it was not given, it
/// passes about 0.4 % right after it is built (16 bits an entry) and about 3.4 % when full
/// (8 bits an entry; then it is built again, twice as large), as measured on counters and on
/// random ids alike. Derived from the store: never
/// written, built again when a store is read. Ids chosen to collide only make lookups fall back
/// to the search of the runs.
#[derive(Debug, Clone, Default)]
struct Filter {
    words: Box<[u64]>,
}

impl Filter {
    /// A filter of `keys` (`len` of them, or fewer), with room for twice as many.
    fn of(len: usize, keys: impl Iterator<Item = u64>) -> Self {
        let words = len.saturating_mul(2 * FILTER_BITS).div_ceil(64);
        let mut filter = Self {
            words: vec![0; words].into_boxed_slice(),
        };
        keys.for_each(|key| filter.insert(key));
        filter
    }

    /// Entries it holds before it passes too many absent ids.
    const fn capacity(&self) -> usize {
        self.words.len().saturating_mul(64) / FILTER_BITS
    }

    /// Which word `key` sets bits in, and which bits: the word by the key's high bits
    /// (multiply and shift), the bits by five 6-bit fields of its low 30 bits.
    fn probe(&self, key: u64) -> (usize, u64) {
        let len = u128::try_from(self.words.len()).unwrap_or(u128::MAX);
        let word = usize::try_from((u128::from(key).wrapping_mul(len)) >> 64).unwrap_or(0);
        let bits = (0..5).fold(0_u64, |bits, field| bits | 1 << ((key >> (6 * field)) & 63));
        (word, bits)
    }

    fn insert(&mut self, key: u64) {
        let (word, bits) = self.probe(key);
        if let Some(word) = self.words.get_mut(word) {
            *word |= bits;
        }
    }

    /// Whether `key` may have been inserted (always, for a filter without words).
    fn may_hold(&self, key: u64) -> bool {
        let (word, bits) = self.probe(key);
        self.words.get(word).is_none_or(|word| word & bits == bits)
    }
}

/// Where `id` is in `run` (sorted by id, each once). Ids are UUIDs, spread evenly (random) or
/// in runs of counters: each step guesses where `id` lies between the bounds' ids, so that a
/// search of a large run reads a few entries near each other instead of one per halving;
/// every other step halves, so that ids spread unevenly still take O(log n) steps.
fn find<K: Rank, V>(run: &[(K, V)], id: &K) -> Option<usize> {
    let (mut lo, mut hi) = (0_usize, run.len().checked_sub(1)?);
    let mut halve = false;
    loop {
        let (low, high) = (&run.get(lo)?.0, &run.get(hi)?.0);
        if id < low || high < id {
            return None;
        }
        if hi.saturating_sub(lo) < 8 {
            return run
                .get(lo..=hi)?
                .binary_search_by(|(k, _)| k.cmp(id))
                .ok()
                .map(|at| lo.saturating_add(at));
        }
        let span = hi.saturating_sub(lo);
        let step = if halve {
            span / 2
        } else {
            let (from, width) = (
                id.rank().abs_diff(low.rank()),
                high.rank().abs_diff(low.rank()),
            );
            // Precision is not needed: the guess only has to land near `id`.
            #[allow(
                clippy::cast_precision_loss,
                clippy::cast_possible_truncation,
                clippy::cast_sign_loss
            )]
            let guess = (from as f64 / width as f64 * span as f64) as usize;
            guess.min(span)
        };
        halve = !halve;
        let at = lo.saturating_add(step);
        match run.get(at)?.0.cmp(id) {
            Ordering::Equal => return Some(at),
            Ordering::Less => lo = at.saturating_add(1),
            Ordering::Greater => hi = at.checked_sub(1)?,
        }
    }
}

/// `older` and `newer` (each sorted by id) as one sorted run, exactly sized; an id in both
/// keeps its newer entry.
fn merge<K: Rank, V: Copy>(older: &[(K, V)], newer: &[(K, V)]) -> Box<[(K, V)]> {
    let mut merged = Vec::with_capacity(older.len().saturating_add(newer.len()));
    let (mut a, mut b) = (older, newer);
    loop {
        match (a.split_first(), b.split_first()) {
            (Some((x, rest_a)), Some((y, rest_b))) => match x.0.cmp(&y.0) {
                Ordering::Less => {
                    merged.push(*x);
                    a = rest_a;
                }
                Ordering::Greater => {
                    merged.push(*y);
                    b = rest_b;
                }
                Ordering::Equal => {
                    merged.push(*y);
                    (a, b) = (rest_a, rest_b);
                }
            },
            _ => {
                merged.extend_from_slice(a);
                merged.extend_from_slice(b);
                break;
            }
        }
    }
    merged.into_boxed_slice()
}

/// The store of archived facts. Serialized with each part sorted by id, so that a snapshot's
/// bytes do not depend on how the runs are split.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(from = "SortedStore", into = "SortedStore")]
pub(crate) struct Store {
    interactions: Runs<InteractionId, ()>,
    promises: Runs<PromiseId, (PromiseStage, Made)>,
    follow_ups: Runs<FollowUpId, FollowUpStage>,
    /// The ids of all three parts, so that an absent id is mostly answered without a search
    /// (derived: not written).
    filter: Filter,
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
        Self {
            interactions: Runs::sorted(store.interactions.iter())
                .into_iter()
                .map(|(id, ())| id)
                .collect(),
            promises: Runs::sorted(store.promises.iter()),
            follow_ups: Runs::sorted(store.follow_ups.iter()),
        }
    }
}

impl From<SortedStore> for Store {
    fn from(sorted: SortedStore) -> Self {
        // Sorted again (cheap when sorted already): the runs' searches rely on it, and a
        // snapshot written by hand may not be.
        let (interactions, promises, follow_ups) = sorted.parts();
        Self::of_parts(interactions, promises, follow_ups)
    }
}

/// One part of a store, sorted by id, each id once.
type Part<K, V> = Vec<(K, V)>;

impl SortedStore {
    /// Its three parts, each sorted by id and each id once (its latest entry): a snapshot
    /// written by hand may hold them unsorted or twice.
    #[allow(clippy::type_complexity, reason = "three parts, named by their types")]
    fn parts(
        self,
    ) -> (
        Part<InteractionId, ()>,
        Part<PromiseId, (PromiseStage, Made)>,
        Part<FollowUpId, FollowUpStage>,
    ) {
        let interactions = self.interactions.into_iter().map(|id| (id, ()));
        (
            Runs::sorted(interactions),
            Runs::sorted(self.promises),
            Runs::sorted(self.follow_ups),
        )
    }
}

impl Store {
    /// The store of three parts, each sorted by id, each id once.
    fn of_parts(
        interactions: Part<InteractionId, ()>,
        promises: Part<PromiseId, (PromiseStage, Made)>,
        follow_ups: Part<FollowUpId, FollowUpStage>,
    ) -> Self {
        let mut store = Self::new();
        store.interactions.add(interactions);
        store.promises.add(promises);
        store.follow_ups.add(follow_ups);
        store.filter_added(&[]);
        store
    }

    fn new() -> Self {
        Self {
            interactions: Runs::new(),
            promises: Runs::new(),
            follow_ups: Runs::new(),
            filter: Filter::default(),
        }
    }

    /// Adds `entries` (a buffer's, its room left out), oldest first, as one run of each kind.
    fn add(&mut self, entries: &[Option<Entry>]) {
        let mut interactions = Vec::new();
        let mut promises = Vec::new();
        let mut follow_ups = Vec::new();
        for entry in entries.iter().flatten() {
            match *entry {
                Entry::Interaction(id) => interactions.push((id, ())),
                Entry::Promise(id, stage, made) => promises.push((id, (stage, made))),
                Entry::FollowUp(id, stage) => follow_ups.push((id, stage)),
            }
        }
        self.interactions.add(Runs::sorted(interactions));
        self.promises.add(Runs::sorted(promises));
        self.follow_ups.add(Runs::sorted(follow_ups));
        self.filter_added(entries);
    }

    /// Brings the filter up to date after `added` joined the runs: they join the filter, or,
    /// past its capacity, the filter is built again from every entry, with room for twice as
    /// many (each entry is hashed a few times over its life, as it is copied by merges).
    fn filter_added(&mut self, added: &[Option<Entry>]) {
        let len = self.len();
        if len > self.filter.capacity() {
            if len >= FILTER_FROM {
                self.filter = Filter::of(len, self.entries().map(Entry::key));
            }
        } else {
            added
                .iter()
                .flatten()
                .for_each(|entry| self.filter.insert(entry.key()));
        }
    }

    fn interaction(&self, id: InteractionId) -> bool {
        self.interactions.get(&id, &self.filter).is_some()
    }

    fn promise(&self, id: PromiseId) -> Option<(PromiseStage, Made)> {
        self.promises.get(&id, &self.filter)
    }

    fn follow_up(&self, id: FollowUpId) -> Option<FollowUpStage> {
        self.follow_ups.get(&id, &self.filter)
    }

    fn len(&self) -> usize {
        self.interactions
            .len()
            .saturating_add(self.promises.len())
            .saturating_add(self.follow_ups.len())
    }

    fn entries(&self) -> impl Iterator<Item = Entry> + '_ {
        let interactions = self
            .interactions
            .iter()
            .map(|(id, ())| Entry::Interaction(id));
        let promises = self
            .promises
            .iter()
            .map(|(id, (s, made))| Entry::Promise(id, s, made));
        let follow_ups = self.follow_ups.iter().map(|(id, s)| Entry::FollowUp(id, s));
        interactions.chain(promises).chain(follow_ups)
    }
}

/// The archive of one relationship: interactions recorded, closed promises and follow-ups.
/// Serialized as its flat [`Store`], however it is buffered.
#[derive(Clone, Default, Serialize, Deserialize)]
#[serde(from = "SortedStore", into = "Store")]
pub(crate) struct Archive {
    /// The store, shared between copies of the relationship.
    store: Option<Arc<Store>>,
    /// Entries not yet folded into the store, oldest first, then room (`None`, while a history
    /// is applied): a word less inline than a `Vec`, at its exact size once trimmed.
    recent: Box<[Option<Entry>]>,
}

/// The entries held, as a trimmed buffer would show them.
impl std::fmt::Debug for Archive {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Archive")
            .field("store", &self.store)
            .field(
                "recent",
                &self.recent().iter().flatten().collect::<Vec<_>>(),
            )
            .finish()
    }
}

impl Archive {
    /// The buffer's entries (its room after them left out).
    fn recent(&self) -> &[Option<Entry>] {
        self.recent.get(..self.held()).unwrap_or_default()
    }

    /// How many entries the buffer holds: the room is after them.
    fn held(&self) -> usize {
        self.recent.partition_point(Option::is_some)
    }

    /// Archives `entry`: buffered, then folded into the store when the buffer is full and the
    /// store is held by this copy alone.
    pub(crate) fn insert(&mut self, entry: Entry) {
        let held = self.held();
        if let Some(room) = self.recent.get_mut(held) {
            *room = Some(entry);
        } else {
            // Full: room for one, then for [`ROOM`], then for as many again.
            let size = [1, ROOM]
                .get(held)
                .map_or(held.saturating_mul(2), |size| *size);
            let mut grown = std::mem::take(&mut self.recent).into_vec();
            grown.reserve_exact(size.saturating_sub(held));
            grown.push(Some(entry));
            grown.resize(size, None);
            self.recent = grown.into_boxed_slice();
        }
        if held.saturating_add(1) >= FOLD_AT {
            self.settle();
        }
    }

    /// Folds the buffer into the store if this copy holds the store alone, or if the buffer has
    /// outgrown [`UNSHARE_AT`] (then the store is copied once).
    pub(crate) fn settle(&mut self) {
        let held = self.held();
        if held < FOLD_AT {
            return;
        }
        let store = self.store.get_or_insert_with(|| Arc::new(Store::new()));
        let alone = Arc::get_mut(store).is_some();
        if alone || held >= UNSHARE_AT {
            Arc::make_mut(store).add(&self.recent);
            self.recent = Box::default();
        }
    }

    /// How many entries the buffer holds, and its size with its room.
    #[cfg(test)]
    pub(crate) fn buffer(&self) -> (usize, usize) {
        (self.held(), self.recent.len())
    }

    /// Gives back the buffer's room, if any (read at its last entry alone: most are full).
    pub(crate) fn trim(&mut self) {
        if self.recent.last().is_some_and(Option::is_none) {
            let mut trimmed = std::mem::take(&mut self.recent).into_vec();
            trimmed.retain(Option::is_some);
            self.recent = trimmed.into_boxed_slice();
        }
    }

    fn stored(&self) -> Option<&Store> {
        self.store.as_deref()
    }

    /// Whether interaction `id` was recorded.
    pub(crate) fn has_interaction(&self, id: InteractionId) -> bool {
        self.recent().contains(&Some(Entry::Interaction(id)))
            || self.stored().is_some_and(|s| s.interaction(id))
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
        self.recent()
            .iter()
            .rev()
            .flatten()
            .find_map(|entry| match entry {
                Entry::Promise(p, stage, made) if *p == id => Some((*stage, *made)),
                Entry::Promise(..) | Entry::Interaction(_) | Entry::FollowUp(..) => None,
            })
            .or_else(|| self.stored()?.promise(id))
    }

    /// The stage follow-up `id` closed in, if it is archived.
    pub(crate) fn follow_up(&self, id: FollowUpId) -> Option<FollowUpStage> {
        self.recent()
            .iter()
            .rev()
            .flatten()
            .find_map(|entry| match entry {
                Entry::FollowUp(f, stage) if *f == id => Some(*stage),
                Entry::FollowUp(..) | Entry::Interaction(_) | Entry::Promise(..) => None,
            })
            .or_else(|| self.stored()?.follow_up(id))
    }

    /// How many facts are archived.
    pub(crate) fn len(&self) -> usize {
        self.stored()
            .map_or(0, Store::len)
            .saturating_add(self.held())
    }

    /// Every archived fact, in no particular order.
    fn entries(&self) -> impl Iterator<Item = Entry> + '_ {
        self.stored()
            .into_iter()
            .flat_map(Store::entries)
            .chain(self.recent().iter().flatten().copied())
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
            recent: Box::default(),
        }
    }
}

/// A short archive read back (fewer than [`FOLD_AT`] entries) stays in the buffer, as it was
/// held when written: no store, no runs, no `Arc` (three allocations fewer a customer on
/// restore). Each id once, its latest entry, as the store keeps it.
impl From<SortedStore> for Archive {
    fn from(sorted: SortedStore) -> Self {
        let (interactions, promises, follow_ups) = sorted.parts();
        let len = interactions
            .len()
            .saturating_add(promises.len())
            .saturating_add(follow_ups.len());
        if len >= FOLD_AT {
            return Self::from(Store::of_parts(interactions, promises, follow_ups));
        }
        let mut recent = Vec::with_capacity(len);
        let interactions = interactions.into_iter();
        recent.extend(interactions.map(|(id, ())| Some(Entry::Interaction(id))));
        let promises = promises.into_iter();
        recent.extend(promises.map(|(id, (stage, made))| Some(Entry::Promise(id, stage, made))));
        let follow_ups = follow_ups.into_iter();
        recent.extend(follow_ups.map(|(id, stage)| Some(Entry::FollowUp(id, stage))));
        Self {
            store: None,
            recent: recent.into_boxed_slice(),
        }
    }
}

impl From<Archive> for Store {
    fn from(archive: Archive) -> Self {
        let mut store = archive.store.map_or_else(Self::new, Arc::unwrap_or_clone);
        store.add(&archive.recent);
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
        PromiseStage::KeptLate => PromiseState::KeptLate { at: epoch },
        PromiseStage::Withdrawn => PromiseState::Withdrawn { at: epoch },
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

#[cfg(test)]
mod tests;
