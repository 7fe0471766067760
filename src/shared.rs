//! What grows with a relationship's history, shared between its copies.
//!
//! A relationship is copied per command: the look-ahead a decision works on, and the copy that
//! makes application all or nothing. The parts that grow with history (the conversation's
//! messages and answers, health's record, the first and latest fact of every item) must not be
//! copied with it, or a command's cost grows with the customer's past. So each such part keeps
//! its bulk behind an [`Arc`] that copies share, and takes what a copy writes in a short part
//! of its own (the tail of a sequence, the top of a map). Once a copy holds the shared part
//! alone (after the command, when the copy it came from is dropped), the short part is folded
//! into it in place. A copy whose shared part is still shared folds only past [`UNSHARE_AT`]
//! entries, paying for one copy then: a caller that keeps long-lived copies pays once per
//! `UNSHARE_AT` entries, never per command.
//!
//! Writes the tail cannot take (a fact reported late, older than every entry of the tail)
//! change the shared part: free when a copy holds it alone (replay, or after the command),
//! one copy of it when shared (the look-ahead of a late fact). Equality, `Debug` and the
//! serialized form read the entries in order, however they are split.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Entries the short part of a copy with no shared part takes before it becomes the shared
/// part (a short history stays in one buffer of its own, with no `Arc`).
const FOLD_AT: usize = 16;

/// Entries a copy whose shared part is shared takes before it copies that part once.
const UNSHARE_AT: usize = 256;

/// Whether a copy's own part of `own` entries is to be folded into `shared`: with no shared
/// part, once it has [`FOLD_AT`] entries; into a shared part this copy holds alone, at once
/// (in place, so the next command's copies copy nothing of it); into one held by other copies
/// too, once it has [`UNSHARE_AT`].
fn folds<S>(own: usize, shared: &mut Option<Arc<S>>) -> bool {
    match shared {
        None => own >= FOLD_AT,
        Some(shared) => own > 0 && (own >= UNSHARE_AT || Arc::get_mut(shared).is_some()),
    }
}

/// The parts of a long [`Seq`] that a copy writes apart from the others: `head[skip..]`,
/// then `tail`.
#[derive(Clone)]
pub(crate) struct Parts<T> {
    /// The shared entries: always a [`Long::Whole`] (made only from one, see
    /// [`Seq::parts_mut`], or as one by [`Parts::head_mut`] and [`Parts::settle`]).
    head: Option<Arc<Long<T>>>,
    /// Entries at the front of `head` dropped from the sequence but not yet from `head`
    /// (removed when this copy holds `head` alone).
    skip: usize,
    /// This copy's entries after the head.
    tail: Vec<T>,
}

/// A long [`Seq`], behind the `Arc` that copies share.
#[derive(Clone)]
pub(crate) enum Long<T> {
    /// Whole in one buffer: a long sequence held alone, or the head copies share.
    Whole(Vec<T>),
    /// A shared head with entries dropped at the front, or a copy's tail after it (boxed: a
    /// copy writes apart for the length of a command, and a whole one stays four words).
    Split(Box<Parts<T>>),
}

impl<T: Clone> Long<T> {
    /// The entries of a whole one (a split one is never a head).
    fn whole(&self) -> &[T] {
        match self {
            Self::Whole(items) => items,
            Self::Split(_) => &[],
        }
    }

    /// The entries of a whole one, for writing (a split one, which is never a head, would be
    /// made whole first: no entry is lost either way).
    fn whole_mut(&mut self) -> &mut Vec<T> {
        if let Self::Split(parts) = self {
            let items = parts.head().iter().chain(&parts.tail).cloned().collect();
            *self = Self::Whole(items);
        }
        match self {
            Self::Whole(items) => items,
            Self::Split(parts) => &mut parts.tail,
        }
    }
}

impl<T: Clone> Parts<T> {
    /// The shared entries still in the sequence.
    fn head(&self) -> &[T] {
        self.head
            .as_deref()
            .and_then(|head| head.whole().get(self.skip..))
            .unwrap_or_default()
    }

    /// The shared entries for writing: copied once if shared, the dropped front removed.
    fn head_mut(&mut self) -> &mut Vec<T> {
        let head = Arc::make_mut(
            self.head
                .get_or_insert_with(|| Arc::new(Long::Whole(Vec::new()))),
        )
        .whole_mut();
        head.drain(..self.skip.min(head.len()));
        self.skip = 0;
        head
    }

    /// Inserts `value` at `index` (at the end if `index` is past it).
    fn insert(&mut self, index: usize, value: T) {
        let head = self.head().len();
        match index.checked_sub(head) {
            Some(at) => {
                make_room(&mut self.tail);
                self.tail.insert(at.min(self.tail.len()), value);
                self.settle();
            }
            None => self.head_mut().insert(index, value),
        }
    }

    /// Changes the entries from `index` on with `change`.
    fn update_from(&mut self, index: usize, mut change: impl FnMut(&mut T)) {
        let head = self.head().len();
        if index < head {
            self.head_mut().iter_mut().skip(index).for_each(&mut change);
        }
        self.tail
            .iter_mut()
            .skip(index.saturating_sub(head))
            .for_each(change);
    }

    /// Changes the entry at `index` with `change`, if there is one.
    fn update(&mut self, index: usize, change: impl FnOnce(&mut T)) {
        let head = self.head().len();
        let entry = match index.checked_sub(head) {
            Some(at) => self.tail.get_mut(at),
            None => self.head_mut().get_mut(index),
        };
        if let Some(entry) = entry {
            change(entry);
        }
    }

    /// Drops the first `count` entries.
    fn drop_front(&mut self, count: usize) {
        let from_head = count.min(self.head().len());
        self.skip = self.skip.saturating_add(from_head);
        let from_tail = count.saturating_sub(from_head).min(self.tail.len());
        self.tail.drain(..from_tail);
        // Removed from the head when held alone and half of it is dropped: amortized, and a
        // shared head is never copied to drop entries.
        if let Some(Long::Whole(head)) = self.head.as_mut().and_then(Arc::get_mut)
            && self.skip.saturating_mul(2) >= head.len()
        {
            head.drain(..self.skip.min(head.len()));
            self.skip = 0;
            if head.is_empty() {
                self.head = None;
            }
        }
    }

    /// Folds the tail into the head when this copy holds the head alone (or when the tail has
    /// outgrown [`UNSHARE_AT`]).
    fn settle(&mut self) {
        if folds(self.tail.len(), &mut self.head) {
            let tail = std::mem::take(&mut self.tail);
            match &self.head {
                // The first fold: the tail becomes the head as it is, neither copied nor grown.
                None => self.head = Some(Arc::new(Long::Whole(tail))),
                Some(_) => self.head_mut().extend(tail),
            }
        }
    }
}

/// Inserts `value` into `items` at `index` (at the end if `index` is past it), keeping the
/// slice at its exact size: one reallocation, no spare room (a `Vec` would start at four and
/// double). For the short lists most customers hold a few entries of.
pub(crate) fn insert_exact<T>(items: &mut Box<[T]>, index: usize, value: T) {
    let mut grown = std::mem::take(items).into_vec();
    grown.reserve_exact(1);
    grown.insert(index.min(grown.len()), value);
    *items = grown.into_boxed_slice();
}

/// Grows `items` by doubling from one entry when full (a `Vec` would start at four: most of a
/// copy's tails hold a few entries).
fn make_room<T>(items: &mut Vec<T>) {
    if items.len() == items.capacity() {
        items.reserve_exact(items.len().max(1));
    }
}

/// A sequence whose bulk is shared between copies, in two words. A short one (fewer than
/// [`FOLD_AT`] entries) is a slice of its own at its exact size, empty without allocating
/// (most of a relationship's sequences are empty or short: an entry's arrival reallocates,
/// at most `FOLD_AT` times). A longer one is behind an [`Arc`] that copies share: whole in
/// one buffer, or, while a copy writes apart from the others (or has dropped entries at the
/// front), its [`Parts`], shared until one of them writes (it then takes parts of its own:
/// the head still shared, the short tail copied).
#[derive(Clone)]
pub(crate) enum Seq<T> {
    /// A short sequence, whole, at its exact size.
    Short(Box<[T]>),
    /// A long one.
    Long(Arc<Long<T>>),
}

impl<T: Clone> Seq<T> {
    /// An empty sequence (allocates nothing).
    pub(crate) fn new() -> Self {
        Self::Short(Box::default())
    }

    /// The sequence of `items`: short below [`FOLD_AT`] entries, whole and long from there,
    /// as when it grows (a long one keeps the buffer as it is).
    fn of_vec(items: Vec<T>) -> Self {
        if items.len() >= FOLD_AT {
            Self::Long(Arc::new(Long::Whole(items)))
        } else {
            Self::Short(items.into_boxed_slice())
        }
    }

    /// A short sequence of [`FOLD_AT`] entries or more becomes a long one as it is (neither
    /// copied nor grown).
    fn fold_short(&mut self) {
        if let Self::Short(items) = self
            && items.len() >= FOLD_AT
        {
            *self = Self::of_vec(std::mem::take(items).into_vec());
        }
    }

    /// Parts held by this copy alone with nothing of its own and nothing dropped become the
    /// whole head alone.
    fn collapse(&mut self) {
        if let Self::Long(long) = self
            && let Some(Long::Split(own)) = Arc::get_mut(long)
            && own.skip == 0
            && own.tail.is_empty()
        {
            *self = match own.head.take() {
                Some(head) => Self::Long(head),
                None => Self::new(),
            };
        }
    }

    /// The parts of a long sequence, for writing apart from other copies (a whole one becomes
    /// the head of parts with an empty tail; the head itself is not copied).
    fn parts_mut(&mut self) -> Option<&mut Parts<T>> {
        if let Self::Long(long) = self
            && let Long::Whole(_) = **long
        {
            let head = Arc::clone(long);
            *self = Self::Long(Arc::new(Long::Split(Box::new(Parts {
                head: Some(head),
                skip: 0,
                tail: Vec::new(),
            }))));
        }
        match self {
            Self::Long(long) => match Arc::make_mut(long) {
                Long::Split(parts) => Some(parts),
                Long::Whole(_) => None,
            },
            Self::Short(_) => None,
        }
    }

    /// The entries: the shared ones, then this copy's.
    fn halves(&self) -> (&[T], &[T]) {
        match self {
            Self::Short(items) => (&[], items),
            Self::Long(long) => match &**long {
                Long::Whole(items) => (items, &[]),
                Long::Split(parts) => (parts.head(), &parts.tail),
            },
        }
    }

    /// How many entries.
    pub(crate) fn len(&self) -> usize {
        let (head, tail) = self.halves();
        head.len().saturating_add(tail.len())
    }

    /// The entry at `index`.
    pub(crate) fn get(&self, index: usize) -> Option<&T> {
        let (head, tail) = self.halves();
        head.get(index)
            .or_else(|| tail.get(index.checked_sub(head.len())?))
    }

    /// The entries in order.
    pub(crate) fn iter(&self) -> impl DoubleEndedIterator<Item = &T> + '_ {
        self.into_iter()
    }

    /// The entries in `from..to`, in order.
    pub(crate) fn range(&self, from: usize, to: usize) -> impl Iterator<Item = &T> + '_ {
        self.iter().skip(from).take(to.saturating_sub(from))
    }

    /// The index of the first entry for which `pred` is false, the sequence being partitioned
    /// by it (as [`slice::partition_point`]).
    pub(crate) fn partition_point(&self, pred: impl Fn(&T) -> bool) -> usize {
        let (head, tail) = self.halves();
        let n = head.partition_point(&pred);
        if n < head.len() {
            n
        } else {
            n.saturating_add(tail.partition_point(pred))
        }
    }

    /// Inserts `value` at `index` (at the end if `index` is past it).
    pub(crate) fn insert(&mut self, index: usize, value: T) {
        match self {
            Self::Short(items) => {
                insert_exact(items, index, value);
                self.fold_short();
            }
            Self::Long(long) => match Arc::get_mut(long) {
                // Held alone: written in place.
                Some(Long::Whole(items)) => items.insert(index.min(items.len()), value),
                Some(Long::Split(_)) | None => {
                    if let Some(parts) = self.parts_mut() {
                        parts.insert(index, value);
                    }
                    self.collapse();
                }
            },
        }
    }

    /// Changes the entries from `index` on with `change`.
    pub(crate) fn update_from(&mut self, index: usize, mut change: impl FnMut(&mut T)) {
        if index >= self.len() {
            return;
        }
        match self {
            Self::Short(items) => items.iter_mut().skip(index).for_each(&mut change),
            Self::Long(long) => match Arc::make_mut(long) {
                Long::Whole(items) => items.iter_mut().skip(index).for_each(&mut change),
                Long::Split(parts) => parts.update_from(index, change),
            },
        }
    }

    /// Changes the entry at `index` with `change`, if there is one.
    pub(crate) fn update(&mut self, index: usize, change: impl FnOnce(&mut T)) {
        if index >= self.len() {
            return;
        }
        match self {
            Self::Short(items) => {
                if let Some(entry) = items.get_mut(index) {
                    change(entry);
                }
            }
            Self::Long(long) => match Arc::make_mut(long) {
                Long::Whole(items) => {
                    if let Some(entry) = items.get_mut(index) {
                        change(entry);
                    }
                }
                Long::Split(parts) => parts.update(index, change),
            },
        }
    }

    /// Drops the first `count` entries (an emptied sequence holds nothing).
    pub(crate) fn drop_front(&mut self, count: usize) {
        if count >= self.len() {
            *self = Self::new();
            return;
        }
        if count == 0 {
            return;
        }
        match self {
            Self::Short(items) => {
                *items = items.get(count..).unwrap_or_default().into();
            }
            Self::Long(_) => {
                if let Some(parts) = self.parts_mut() {
                    parts.drop_front(count);
                }
                self.collapse();
            }
        }
    }

    /// Entries this copy holds in its own part, not yet folded into the shared part.
    #[cfg(test)]
    pub(crate) fn unfolded(&self) -> usize {
        self.halves().1.len()
    }

    /// Folds what this copy holds of its own into the shared part: a short sequence at
    /// [`FOLD_AT`] entries; a long one's tail as [`Parts::settle`] says when this copy holds
    /// its parts alone, or at [`UNSHARE_AT`] entries when it shares them with another copy.
    pub(crate) fn settle(&mut self) {
        match self {
            Self::Short(_) => self.fold_short(),
            Self::Long(long) => {
                let tail = match &**long {
                    Long::Split(parts) => parts.tail.len(),
                    Long::Whole(_) => return,
                };
                if (Arc::get_mut(long).is_some() || tail >= UNSHARE_AT)
                    && let Long::Split(parts) = Arc::make_mut(long)
                {
                    parts.settle();
                }
                self.collapse();
            }
        }
    }
}

impl<T: Clone> Default for Seq<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T: Clone> FromIterator<T> for Seq<T> {
    fn from_iter<I: IntoIterator<Item = T>>(items: I) -> Self {
        Self::of_vec(items.into_iter().collect())
    }
}

impl<'a, T: Clone> IntoIterator for &'a Seq<T> {
    type Item = &'a T;
    type IntoIter = std::iter::Chain<std::slice::Iter<'a, T>, std::slice::Iter<'a, T>>;

    fn into_iter(self) -> Self::IntoIter {
        let (head, tail) = self.halves();
        head.iter().chain(tail.iter())
    }
}

impl<T: Clone + PartialEq> PartialEq for Seq<T> {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

impl<T: Clone + Eq> Eq for Seq<T> {}

impl<T: Clone + std::fmt::Debug> std::fmt::Debug for Seq<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl<T: Clone + Serialize> Serialize for Seq<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}

impl<'de, T: Clone + Deserialize<'de>> Deserialize<'de> for Seq<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(Self::of_vec(Vec::<T>::deserialize(d)?))
    }
}

/// A map whose bulk is shared between copies: `top` over `base`.
#[derive(Clone)]
pub(crate) struct Map<K, V> {
    /// The shared entries.
    base: Option<Arc<BTreeMap<K, V>>>,
    /// This copy's entries, over those of `base` with the same key (`None`: removed), by key:
    /// a sorted `Vec`, as it is short (a `BTreeMap`'s first node costs 464 bytes here).
    top: Vec<(K, Option<V>)>,
}

impl<K: Ord + Clone, V: Clone> Map<K, V> {
    /// An empty map (allocates nothing).
    pub(crate) const fn new() -> Self {
        Self {
            base: None,
            top: Vec::new(),
        }
    }

    /// Where `key` is, or would be, in the top.
    fn place(&self, key: &K) -> Result<usize, usize> {
        self.top.binary_search_by(|(k, _)| k.cmp(key))
    }

    /// Sets `key` in the top.
    fn put(&mut self, key: K, value: Option<V>) {
        match self.place(&key) {
            Ok(at) => {
                if let Some(entry) = self.top.get_mut(at) {
                    entry.1 = value;
                }
            }
            Err(at) => self.top.insert(at, (key, value)),
        }
        self.settle();
    }

    /// The value of `key`.
    pub(crate) fn get(&self, key: &K) -> Option<&V> {
        match self.place(key) {
            Ok(at) => self.top.get(at)?.1.as_ref(),
            Err(_) => self.base.as_deref()?.get(key),
        }
    }

    /// Sets the value of `key`.
    pub(crate) fn insert(&mut self, key: K, value: V) {
        self.put(key, Some(value));
    }

    /// Removes `key`, giving back its value. A key the base does not hold leaves the top
    /// outright (no mark of its removal to carry until the next fold).
    pub(crate) fn remove(&mut self, key: &K) -> Option<V> {
        let value = self.get(key).cloned();
        if value.is_some() {
            if self
                .base
                .as_deref()
                .is_some_and(|base| base.contains_key(key))
            {
                self.put(key.clone(), None);
            } else if let Ok(at) = self.place(key) {
                self.top.remove(at);
            }
        }
        value
    }

    /// The entries in key order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (&K, &V)> + '_ {
        let mut top = self.top.iter().map(|(k, v)| (k, v)).peekable();
        let mut base = self.base.iter().flat_map(|base| base.iter()).peekable();
        std::iter::from_fn(move || {
            loop {
                let entry = match (top.peek(), base.peek()) {
                    (Some((k, _)), Some((b, _))) if b < k => base.next().map(|(k, v)| (k, Some(v))),
                    (Some((k, _)), Some((b, _))) if b == k => {
                        base.next();
                        top.next().map(|(k, v)| (k, v.as_ref()))
                    }
                    (Some(_), _) => top.next().map(|(k, v)| (k, v.as_ref())),
                    (None, _) => base.next().map(|(k, v)| (k, Some(v))),
                };
                if let (key, Some(value)) = entry? {
                    return Some((key, value));
                }
            }
        })
    }

    /// Every value, to change (the shared part is copied once if shared).
    pub(crate) fn values_mut(&mut self) -> impl Iterator<Item = &mut V> + '_ {
        let top = &self.top;
        let shadowed = |key: &K| top.binary_search_by(|(k, _)| k.cmp(key)).is_ok();
        let base = self
            .base
            .as_mut()
            .map(Arc::make_mut)
            .into_iter()
            .flat_map(|base| base.iter_mut())
            .filter(|(key, _)| !shadowed(key))
            .map(|(_, value)| value)
            .collect::<Vec<_>>();
        base.into_iter()
            .chain(self.top.iter_mut().filter_map(|(_, value)| value.as_mut()))
    }

    /// Folds the top into the base when this copy holds the base alone (or when the top has
    /// outgrown [`UNSHARE_AT`]).
    pub(crate) fn settle(&mut self) {
        if folds(self.top.len(), &mut self.base) {
            let top = std::mem::take(&mut self.top);
            let base = Arc::make_mut(self.base.get_or_insert_with(Arc::default));
            for (key, value) in top {
                match value {
                    Some(value) => base.insert(key, value),
                    None => base.remove(&key),
                };
            }
        }
    }
}

impl<K: Ord + Clone, V: Clone> Default for Map<K, V> {
    fn default() -> Self {
        Self::new()
    }
}

impl<K: Ord + Clone, V: Clone> Map<K, V> {
    /// The map of `entries` (each value `Some`), in any order; of entries with the same key,
    /// the last one stays (as a `BTreeMap` collected from them keeps). Entries already in key
    /// order, as a snapshot writes them, are neither sorted nor moved: a short map keeps them
    /// as its own part (a sorted `Vec`, no tree), a long one builds its shared tree from them.
    fn of_entries(mut entries: Vec<(K, Option<V>)>) -> Self {
        if !entries.is_sorted_by(|(a, _), (b, _)| a < b) {
            // Stable, and reversed around the dedup: of equal keys, the last one is kept.
            entries.sort_by(|(a, _), (b, _)| a.cmp(b));
            entries.reverse();
            entries.dedup_by(|(a, _), (b, _)| a == b);
            entries.reverse();
        }
        if entries.len() < FOLD_AT {
            return Map {
                base: None,
                top: entries,
            };
        }
        let base = entries
            .into_iter()
            .filter_map(|(key, value)| Some((key, value?)))
            .collect();
        Map {
            base: Some(Arc::new(base)),
            top: Vec::new(),
        }
    }
}

impl<K: Ord + Clone, V: Clone> FromIterator<(K, V)> for Map<K, V> {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(items: I) -> Self {
        Self::of_entries(items.into_iter().map(|(k, v)| (k, Some(v))).collect())
    }
}

impl<K: Ord + Clone, V: Clone + PartialEq> PartialEq for Map<K, V> {
    fn eq(&self, other: &Self) -> bool {
        self.iter().eq(other.iter())
    }
}

impl<K: Ord + Clone, V: Clone + Eq> Eq for Map<K, V> {}

impl<K: Ord + Clone + std::fmt::Debug, V: Clone + std::fmt::Debug> std::fmt::Debug for Map<K, V> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

/// Written as a list of `(key, value)` pairs, in key order (JSON keys must be strings, and
/// the state's maps are keyed by ids and enums).
impl<K: Ord + Clone + Serialize, V: Clone + Serialize> Serialize for Map<K, V> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        // Collected first: a binary format writes the length before the entries.
        let entries: Vec<_> = self.iter().collect();
        s.collect_seq(entries)
    }
}

impl<'de, K: Ord + Clone + Deserialize<'de>, V: Clone + Deserialize<'de>> Deserialize<'de>
    for Map<K, V>
{
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // Read into the `Vec` a short map keeps (serde makes room for at most a mebibyte from
        // the length the input gives); the newtype goes without a copy (collected in place).
        let entries = Vec::<Pair<K, V>>::deserialize(d)?;
        Ok(Self::of_entries(
            entries.into_iter().map(|Pair(entry)| entry).collect(),
        ))
    }
}

/// A map's entry as read: a `(key, value)` pair, held as the map's own part holds it.
struct Pair<K, V>((K, Option<V>));

impl<'de, K: Deserialize<'de>, V: Deserialize<'de>> Deserialize<'de> for Pair<K, V> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let (key, value) = <(K, V)>::deserialize(d)?;
        Ok(Pair((key, Some(value))))
    }
}

#[cfg(test)]
mod tests {
    use super::{FOLD_AT, Long, Map, Seq, UNSHARE_AT};

    #[test]
    fn a_copy_shares_the_history_and_writes_apart() {
        let mut seq: Seq<u32> = (0..1000).collect();
        let copy = seq.clone();
        seq.insert(usize::MAX, 1000);
        seq.insert(10, 7);
        seq.update(0, |x| *x = 99);
        seq.drop_front(2);
        assert_eq!(copy.len(), 1000);
        assert_eq!(copy.get(0), Some(&0));
        assert_eq!(seq.len(), 1000);
        assert_eq!(seq.get(0), Some(&2));
        assert_eq!(seq.get(8), Some(&7));
        assert_eq!(seq.get(999), Some(&1000));
    }

    #[test]
    fn a_shared_head_is_not_copied_by_appends_until_the_tail_outgrows_it() {
        let mut seq: Seq<u32> = (0..100).collect();
        let copy = seq.clone();
        for i in 0..(UNSHARE_AT - 1) {
            seq.insert(usize::MAX, 100 + u32::try_from(i).unwrap_or(0));
        }
        assert_eq!(seq.unfolded(), UNSHARE_AT - 1);
        seq.insert(usize::MAX, 0);
        assert_eq!(seq.unfolded(), 0);
        assert_eq!(copy.len(), 100);
        drop(copy);
        for i in 0..FOLD_AT {
            seq.insert(usize::MAX, u32::try_from(i).unwrap_or(0));
        }
        assert_eq!(seq.unfolded(), 0, "held alone: folded");
    }

    #[test]
    fn order_equality_and_the_serialized_form_do_not_depend_on_the_split() {
        let mut split: Seq<u32> = (0..20).collect();
        let _keep = split.clone();
        split.insert(usize::MAX, 20);
        split.drop_front(3);
        let whole: Seq<u32> = (3..21).collect();
        assert_eq!(split, whole);
        assert_eq!(split.partition_point(|x| *x < 20), 17);
        assert_eq!(split.range(1, 3).copied().collect::<Vec<_>>(), [4, 5]);
        let mut changed = whole.clone();
        changed.update_from(16, |x| *x += 1);
        assert_ne!(changed, whole);
        assert_eq!(changed.get(17), Some(&21));
    }

    #[test]
    fn changes_from_an_index_reach_every_later_entry_however_the_copy_is_split() {
        // A head shared with a copy kept aside, a tail of this copy's own, a dropped front
        for (from, dropped) in [(5_usize, 0_u32), (25, 0), (5, 3), (25, 3)] {
            let mut split: Seq<u32> = (0..20).collect();
            let kept = split.clone();
            for i in 20..30 {
                split.insert(usize::MAX, i);
            }
            split.drop_front(usize::try_from(dropped).unwrap_or(0));
            split.update_from(from, |x| *x += 100);
            let want: Vec<u32> = (dropped..30)
                .zip(0..)
                .map(|(x, i)| if i >= from { x + 100 } else { x })
                .collect();
            assert_eq!(
                split.iter().copied().collect::<Vec<_>>(),
                want,
                "{from}, {dropped}"
            );
            assert_eq!(kept, (0..20).collect(), "the copy kept aside is untouched");
        }
    }

    #[test]
    fn a_map_reads_its_top_over_its_base() {
        let mut map: Map<u32, u32> = (0..100).map(|k| (k, k)).collect();
        let copy = map.clone();
        map.insert(5, 50);
        map.insert(200, 1);
        assert_eq!(map.get(&5), Some(&50));
        assert_eq!(copy.get(&5), Some(&5));
        assert_eq!(map.iter().count(), 101);
        let whole: Map<u32, u32> = map.iter().map(|(k, v)| (*k, *v)).collect();
        assert_eq!(map, whole);
        assert_ne!(map, copy);
        assert_eq!(map.remove(&5), Some(50));
        assert_eq!(map.remove(&5), None);
        assert_eq!(map.get(&5), None);
        assert_eq!(copy.get(&5), Some(&5));
        assert_eq!(map.iter().count(), 100);
        for value in map.values_mut() {
            *value += 1;
        }
        assert_eq!(map.get(&6), Some(&7));
        assert_eq!(copy.get(&6), Some(&6));
        for key in 0..40 {
            map.remove(&key);
        }
        assert_eq!(map.iter().count(), 61);
    }

    #[test]
    fn a_map_read_from_pairs_out_of_order_keeps_the_last_of_a_key() {
        for n in [3_u32, FOLD_AT as u32 + 3] {
            let mut pairs: Vec<(u32, u32)> = (0..n).rev().map(|k| (k, k)).collect();
            pairs.push((1, 100));
            let json = serde_json::to_string(&pairs).unwrap_or_default();
            let read: Map<u32, u32> = serde_json::from_str(&json).unwrap_or_default();
            let want: Vec<(u32, u32)> = (0..n).map(|k| (k, if k == 1 { 100 } else { k })).collect();
            let got: Vec<(u32, u32)> = read.iter().map(|(k, v)| (*k, *v)).collect();
            assert_eq!(got, want);
            let collected: Map<u32, u32> = pairs.into_iter().collect();
            assert_eq!(collected, read);
        }
    }

    #[test]
    fn a_key_the_base_does_not_hold_leaves_the_top_outright() {
        let mut map: Map<u32, u32> = Map::new();
        map.insert(1, 10);
        map.insert(2, 20);
        assert_eq!(map.remove(&1), Some(10));
        assert_eq!(map.top.len(), 1, "no mark of a removal left behind");
        let mut shared: Map<u32, u32> = (0..FOLD_AT as u32).map(|k| (k, k)).collect();
        let copy = shared.clone();
        assert_eq!(shared.remove(&3), Some(3));
        assert_eq!(shared.get(&3), None, "a key of the base is marked removed");
        assert_eq!(copy.get(&3), Some(&3));
    }

    #[test]
    fn a_sequence_is_two_words_and_a_short_one_holds_its_exact_size() {
        // Issue 15's live heap per customer: a relationship holds five sequences, most empty
        // or short; a whole long one is four words behind its `Arc`, as a `Vec` in one was.
        assert_eq!(
            std::mem::size_of::<Seq<u64>>(),
            2 * std::mem::size_of::<usize>()
        );
        assert_eq!(
            std::mem::size_of::<Long<u64>>(),
            3 * std::mem::size_of::<usize>()
        );
        let mut seq: Seq<u64> = Seq::new();
        let short = |seq: &Seq<u64>| match seq {
            Seq::Short(items) => Some(items.len()),
            Seq::Long(_) => None,
        };
        assert_eq!(short(&seq), Some(0), "empty: nothing allocated");
        seq.insert(0, 1);
        seq.insert(1, 2);
        seq.insert(0, 3);
        assert_eq!(short(&seq), Some(3));
        assert_eq!(seq.iter().copied().collect::<Vec<_>>(), [3, 1, 2]);
        seq.drop_front(1);
        assert_eq!(short(&seq), Some(2));
        assert_eq!(seq.iter().copied().collect::<Vec<_>>(), [1, 2]);
        seq.drop_front(2);
        assert_eq!(short(&seq), Some(0), "emptied: nothing held");
    }

    #[test]
    fn a_first_fold_makes_the_short_buffer_the_head_without_copying_it() {
        let mut seq: Seq<u32> = Seq::new();
        for i in 0..FOLD_AT {
            seq.insert(usize::MAX, u32::try_from(i).unwrap_or(0));
            assert_eq!(seq.unfolded(), if i + 1 < FOLD_AT { i + 1 } else { 0 });
        }
        let mut short = Seq::Short((0..FOLD_AT as u32).collect());
        let buffer = seq_pointer(&short);
        short.fold_short();
        assert!(matches!(&short, Seq::Long(long) if matches!(**long, Long::Whole(_))));
        assert_eq!(seq_pointer(&short), buffer, "the short buffer, not a copy");
        assert_eq!(short, seq);
    }

    /// Where a sequence's entries start.
    fn seq_pointer(seq: &Seq<u32>) -> *const u32 {
        seq.iter()
            .next()
            .map_or(std::ptr::null(), std::ptr::from_ref)
    }

    #[test]
    fn a_whole_sequence_held_alone_takes_entries_in_place_and_a_shared_one_writes_apart() {
        let mut seq: Seq<u32> = (0..100).collect();
        seq.insert(50, 1000);
        assert!(matches!(&seq, Seq::Long(long) if matches!(**long, Long::Whole(_))));
        let copy = seq.clone();
        seq.insert(usize::MAX, 7);
        assert!(matches!(&seq, Seq::Long(long) if matches!(**long, Long::Split(_))));
        assert_eq!(seq_pointer(&seq), seq_pointer(&copy), "the head is shared");
        drop(copy);
        seq.settle();
        assert!(matches!(&seq, Seq::Long(long) if matches!(**long, Long::Whole(_))));
        assert_eq!(seq.len(), 102);
        assert_eq!(seq.get(50), Some(&1000));
        assert_eq!(seq.get(101), Some(&7));
    }
}
