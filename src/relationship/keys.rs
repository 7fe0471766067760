//! Idempotency keys a relationship remembers.

use super::Relationship;
use crate::value::IdempotencyKey;

/// The events one keyed request produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Remembered {
    pub(super) key: IdempotencyKey,
    pub(super) first: u64,
    pub(super) last: u64,
}

/// What applying a keyed envelope does to the remembered keys.
pub(super) enum KeyUpdate {
    /// The next event of the latest keyed request.
    Extend,
    /// The first event of a new keyed request.
    Start(Remembered),
}

/// The latest keyed requests, oldest first, at most [`Relationship::REMEMBERED_KEYS`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Keys(Vec<Remembered>);

impl Keys {
    pub(super) fn find(&self, key: &IdempotencyKey) -> Option<&Remembered> {
        self.0.iter().rev().find(|k| &k.key == key)
    }

    /// How a keyed envelope at `seq` fits: it continues the latest keyed request, or starts
    /// one whose key was not used yet.
    pub(super) fn check(&self, key: &IdempotencyKey, seq: u64) -> Result<KeyUpdate, String> {
        if let Some(latest) = self.0.last()
            && &latest.key == key
            && latest.last.checked_add(1) == Some(seq)
        {
            return Ok(KeyUpdate::Extend);
        }
        if self.find(key).is_some() {
            return Err(format!(
                "idempotency key {key} was used by an earlier request"
            ));
        }
        Ok(KeyUpdate::Start(Remembered {
            key: key.clone(),
            first: seq,
            last: seq,
        }))
    }

    pub(super) fn apply(&mut self, update: KeyUpdate) {
        match update {
            KeyUpdate::Extend => {
                if let Some(latest) = self.0.last_mut() {
                    latest.last = latest.last.saturating_add(1);
                }
            }
            KeyUpdate::Start(remembered) => {
                if self.0.len() >= Relationship::REMEMBERED_KEYS {
                    self.0.remove(0);
                }
                self.0.push(remembered);
            }
        }
    }
}
