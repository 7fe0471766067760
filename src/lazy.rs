//! [`Lazy`]: parts most values never use, in one box allocated on first use.
//!
//! A book holds every relationship inline in one slot, so each field empty for most
//! customers costs its size for all of them. Grouped behind a [`Lazy`], they cost a word
//! until one holds something. Reading an absent box reads empty parts ([`Parts::none`]); a
//! change allocates the box only if the parts hold something after it, and drops it once they
//! hold nothing. Equality and the serialized form see the parts, never the box (empty parts
//! read back as no box), so a value is the same however its box came and went.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Parts kept behind a [`Lazy`].
pub(crate) trait Parts: Default + PartialEq + 'static {
    /// No parts: what an absent box reads as (a `static`).
    fn none() -> &'static Self;

    /// Whether the parts hold nothing (then no box is kept): equal to no parts, so that no
    /// field can be forgotten.
    fn is_empty(&self) -> bool {
        self == Self::none()
    }
}

/// The parts `T`, boxed while any holds something.
#[derive(Debug, Clone)]
pub(crate) struct Lazy<T>(Option<Box<T>>);

impl<T> Default for Lazy<T> {
    fn default() -> Self {
        Self(None)
    }
}

impl<T: Parts> Lazy<T> {
    /// An absent box (allocates nothing).
    pub(crate) const fn new() -> Self {
        Self(None)
    }

    /// The parts (empty ones when none is in use).
    pub(crate) fn get(&self) -> &T {
        self.0.as_deref().unwrap_or_else(|| T::none())
    }

    /// Whether the box is held (some part holds something).
    pub(crate) const fn is_held(&self) -> bool {
        self.0.is_some()
    }

    /// Changes the parts with `change`: the box is allocated only if they hold something
    /// after it, and dropped once they hold nothing.
    pub(crate) fn change<R>(&mut self, change: impl FnOnce(&mut T) -> R) -> R {
        match &mut self.0 {
            Some(parts) => {
                let result = change(parts);
                if parts.is_empty() {
                    self.0 = None;
                }
                result
            }
            None => {
                let mut parts = T::default();
                let result = change(&mut parts);
                if !parts.is_empty() {
                    self.0 = Some(Box::new(parts));
                }
                result
            }
        }
    }

    /// Changes the parts with `change` if any is in use, for a change that leaves empty parts
    /// as they are (pruning, clearing): most values never use one, and every call would
    /// otherwise build a set of empty parts.
    pub(crate) fn change_held(&mut self, change: impl FnOnce(&mut T)) {
        if self.0.is_some() {
            self.change(change);
        }
    }
}

impl<T: Parts> PartialEq for Lazy<T> {
    fn eq(&self, other: &Self) -> bool {
        self.get() == other.get()
    }
}

impl<T: Parts + Eq> Eq for Lazy<T> {}

impl<T: Parts + Serialize> Serialize for Lazy<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.get().serialize(s)
    }
}

impl<'de, T: Parts + Deserialize<'de>> Deserialize<'de> for Lazy<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let parts = T::deserialize(d)?;
        Ok(Self((!parts.is_empty()).then(|| Box::new(parts))))
    }
}
