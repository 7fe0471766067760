//! The ledger's slots, in chunks of a fixed size that never move once allocated.
//!
//! A `Vec` of slots doubles as the book grows, and each doubling copies every slot (hundreds
//! of bytes each) into memory touched for the first time: a third of a replay's filing of new
//! customers went there. Here a full chunk stays where it is and a new one is allocated
//! beside it; a position is a chunk and an offset (a shift and a mask). Every chunk but the
//! last is full, so positions stay dense and in order of arrival, as before. The first chunk
//! grows as a `Vec` does (a book of a few customers holds room for a few), up to a chunk;
//! each later chunk is allocated whole, and never grows.

use super::Slot;

/// Slots a chunk holds, as a power of two (1,024 slots, about half a MiB a chunk).
const SHIFT: u32 = 10;

/// Slots a chunk holds.
const CHUNK: usize = 1 << SHIFT;

/// The slots of a book, position `p` at offset `p % CHUNK` of chunk `p / CHUNK`.
#[derive(Debug, Default)]
pub(super) struct Slots {
    /// Each chunk but the first allocated for [`CHUNK`] slots; all full but the last, which is
    /// not empty.
    chunks: Vec<Vec<Slot>>,
}

impl Clone for Slots {
    /// A copy whose chunks have the room of the original's (a plain `Vec` copy would not, and
    /// the next push into its last chunk would move it).
    fn clone(&self) -> Self {
        let chunks = self
            .chunks
            .iter()
            .map(|chunk| {
                let mut copy = Vec::with_capacity(chunk.capacity());
                copy.extend(chunk.iter().cloned());
                copy
            })
            .collect();
        Self { chunks }
    }
}

impl Slots {
    /// How many slots are held.
    pub(super) fn len(&self) -> usize {
        let full = self.chunks.len().saturating_sub(1);
        self.chunks
            .last()
            .map_or(0, |last| (full << SHIFT).saturating_add(last.len()))
    }

    /// Whether no slot is held.
    pub(super) fn is_empty(&self) -> bool {
        self.chunks.is_empty()
    }

    /// The slot at `position`.
    pub(super) fn get(&self, position: usize) -> Option<&Slot> {
        self.chunks
            .get(position >> SHIFT)?
            .get(position & (CHUNK - 1))
    }

    /// The slot at `position`, to change.
    pub(super) fn get_mut(&mut self, position: usize) -> Option<&mut Slot> {
        self.chunks
            .get_mut(position >> SHIFT)?
            .get_mut(position & (CHUNK - 1))
    }

    /// Adds `slot` after the others (no slot moves); gives its position.
    pub(super) fn push(&mut self, slot: Slot) -> usize {
        let position = self.len();
        if self.chunks.last().is_none_or(|last| last.len() >= CHUNK) {
            // The first chunk grows to a chunk's size as a `Vec` does; a later one is
            // allocated whole, and never moves.
            let room = if self.chunks.is_empty() { 0 } else { CHUNK };
            self.chunks.push(Vec::with_capacity(room));
        }
        if let Some(last) = self.chunks.last_mut() {
            last.push(slot);
        }
        position
    }

    /// Room in the list of chunks for `additional` more slots (a chunk itself is allocated
    /// when it is first needed).
    pub(super) fn reserve(&mut self, additional: usize) {
        self.chunks.reserve(additional.div_ceil(CHUNK));
    }

    /// Keeps the first `len` slots, dropping the others.
    pub(super) fn truncate(&mut self, len: usize) {
        self.chunks.truncate(len.div_ceil(CHUNK));
        let rest = len & (CHUNK - 1);
        if let Some(last) = self.chunks.last_mut()
            && rest != 0
        {
            last.truncate(rest);
        }
    }

    /// The slots, in order of position (knowing how many: serde writes the length first).
    pub(super) fn iter(&self) -> Iter<'_> {
        Iter {
            slots: self.chunks.iter().flatten(),
            left: self.len(),
        }
    }

    /// The slots, in order of position, to change.
    pub(super) fn iter_mut(&mut self) -> impl Iterator<Item = &mut Slot> {
        self.chunks.iter_mut().flatten()
    }
}

/// The slots of a book in order of position, counted.
pub(super) struct Iter<'a> {
    slots: std::iter::Flatten<std::slice::Iter<'a, Vec<Slot>>>,
    /// How many are left.
    left: usize,
}

impl<'a> Iterator for Iter<'a> {
    type Item = &'a Slot;

    fn next(&mut self) -> Option<&'a Slot> {
        let slot = self.slots.next()?;
        self.left = self.left.saturating_sub(1);
        Some(slot)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.left, Some(self.left))
    }
}

impl ExactSizeIterator for Iter<'_> {}

#[cfg(test)]
mod tests {
    use super::{CHUNK, Slot, Slots};
    use crate::id::CustomerId;
    use crate::relationship::Relationship;

    fn slot(n: usize) -> Slot {
        Slot::new(Relationship::new(CustomerId::from_u128(n as u128)))
    }

    fn customers(slots: &Slots) -> Vec<CustomerId> {
        slots.iter().map(|s| s.relationship.customer()).collect()
    }

    #[test]
    fn a_slot_stays_where_it_is_as_the_book_grows() {
        let mut slots = Slots::default();
        for n in 0..CHUNK {
            assert_eq!(slots.push(slot(n)), n);
        }
        // The first chunk is full: from here on no slot moves.
        let (first, last) = (std::ptr::from_ref(slots.get(0).unwrap()), CHUNK - 1);
        let full = std::ptr::from_ref(slots.get(last).unwrap());
        for n in CHUNK..3 * CHUNK + 5 {
            assert_eq!(slots.push(slot(n)), n);
        }
        assert!(std::ptr::eq(first, slots.get(0).unwrap()));
        assert!(std::ptr::eq(full, slots.get(last).unwrap()));
        // A copy grows without moving either.
        let mut copy = slots.clone();
        let last = std::ptr::from_ref(copy.get(3 * CHUNK + 4).unwrap());
        copy.push(slot(3 * CHUNK + 5));
        assert!(std::ptr::eq(last, copy.get(3 * CHUNK + 4).unwrap()));
    }

    #[test]
    fn positions_are_dense_and_in_order() {
        let mut slots = Slots::default();
        assert!(slots.is_empty() && slots.get(0).is_none());
        // A book of a few customers holds room for a few, not for a chunk.
        for n in 0..3 {
            slots.push(slot(n));
        }
        assert!(slots.chunks.iter().map(Vec::capacity).sum::<usize>() < 8);
        slots.truncate(0);
        for n in 0..2 * CHUNK + 3 {
            slots.push(slot(n));
        }
        assert_eq!(
            (slots.len(), slots.iter().len()),
            (2 * CHUNK + 3, 2 * CHUNK + 3)
        );
        let expected: Vec<CustomerId> = (0..2 * CHUNK + 3)
            .map(|n| CustomerId::from_u128(n as u128))
            .collect();
        assert_eq!(customers(&slots), expected);
        let at = |n: usize| slots.get(n).map(|s| s.relationship.customer());
        assert_eq!(at(CHUNK), Some(CustomerId::from_u128(CHUNK as u128)));
        assert_eq!(at(2 * CHUNK + 3), None);
        for slot in slots.iter_mut() {
            slot.indexed = Some(chrono::DateTime::UNIX_EPOCH);
        }
        assert!(slots.iter().all(|s| s.indexed.is_some()));
    }

    #[test]
    fn truncating_keeps_the_first_slots() {
        for keep in [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 2 * CHUNK, 2 * CHUNK + 3] {
            let mut slots = Slots::default();
            for n in 0..2 * CHUNK + 3 {
                slots.push(slot(n));
            }
            slots.truncate(keep);
            assert_eq!(slots.len(), keep, "kept {keep}");
            assert_eq!(slots.is_empty(), keep == 0);
            assert!(slots.get(keep).is_none());
            // The next customer takes the next position.
            assert_eq!(slots.push(slot(keep)), keep);
            assert_eq!(
                customers(&slots).last(),
                Some(&CustomerId::from_u128(keep as u128))
            );
        }
    }
}
