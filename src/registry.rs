//! A small map sorted by id in a `Vec`: the storage for a relationship's promises, complaints
//! and follow-ups. A `BTreeMap`'s first leaf holds eleven slots (kilobytes for records of a few
//! hundred bytes) even for one entry, and most customers have a handful.

use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Records by id, sorted, in a slice of exact size (two words inline: most registries of a
/// relationship are empty, and an item's arrival or departure reallocates anyway).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Registry<K, V>(Box<[(K, V)]>);

impl<K, V> Default for Registry<K, V> {
    fn default() -> Self {
        Self(Box::new([]))
    }
}

impl<K: Ord + Copy, V> Registry<K, V> {
    pub(crate) fn new() -> Self {
        Self::default()
    }

    fn position(&self, id: &K) -> Result<usize, usize> {
        self.0.binary_search_by(|(key, _)| key.cmp(id))
    }

    pub(crate) fn get(&self, id: &K) -> Option<&V> {
        let index = self.position(id).ok()?;
        self.0.get(index).map(|(_, value)| value)
    }

    pub(crate) fn get_mut(&mut self, id: &K) -> Option<&mut V> {
        let index = self.position(id).ok()?;
        self.0.get_mut(index).map(|(_, value)| value)
    }

    pub(crate) fn len(&self) -> usize {
        self.0.len()
    }

    pub(crate) fn contains_key(&self, id: &K) -> bool {
        self.position(id).is_ok()
    }

    /// Inserts or replaces.
    pub(crate) fn insert(&mut self, id: K, value: V) {
        match self.position(&id) {
            Ok(index) => {
                if let Some(slot) = self.0.get_mut(index) {
                    slot.1 = value;
                }
            }
            Err(index) => {
                crate::shared::insert_exact(&mut self.0, index, (id, value));
            }
        }
    }

    /// Takes the record out; the storage shrinks with it (a registry holds open items).
    pub(crate) fn remove(&mut self, id: &K) -> Option<V> {
        let index = self.position(id).ok()?;
        let mut records = std::mem::take(&mut self.0).into_vec();
        let (_, value) = records.remove(index);
        self.0 = records.into_boxed_slice();
        Some(value)
    }

    pub(crate) fn values_mut(&mut self) -> impl Iterator<Item = &mut V> {
        self.0.iter_mut().map(|(_, value)| value)
    }

    pub(crate) fn iter(&self) -> impl Iterator<Item = (&K, &V)> {
        self.0.iter().map(|(id, value)| (id, value))
    }
}

/// Written as the list of `(id, record)` pairs, in id order.
impl<K, V> IntoIterator for Registry<K, V> {
    type Item = (K, V);
    type IntoIter = std::vec::IntoIter<(K, V)>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.into_vec().into_iter()
    }
}

/// From pairs in id order (as another registry gives them).
impl<K: Ord, V> FromIterator<(K, V)> for Registry<K, V> {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(pairs: I) -> Self {
        let mut pairs: Vec<(K, V)> = pairs.into_iter().collect();
        pairs.sort_by(|a, b| a.0.cmp(&b.0));
        Self(pairs.into_boxed_slice())
    }
}

impl<K: Serialize, V: Serialize> Serialize for Registry<K, V> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.iter())
    }
}

/// Read back from the list of pairs, which must be in strictly increasing id order (a list
/// out of order or with an id twice is refused: lookups search it by halves).
impl<'de, K: Ord + Deserialize<'de>, V: Deserialize<'de>> Deserialize<'de> for Registry<K, V> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let pairs = Vec::<(K, V)>::deserialize(deserializer)?;
        if !pairs.windows(2).all(|w| matches!(w, [a, b] if a.0 < b.0)) {
            return Err(D::Error::custom("records out of id order, or an id twice"));
        }
        Ok(Self(pairs.into_boxed_slice()))
    }
}
