//! The parts of a relationship most customers never use (complaints, follow-ups, surveys,
//! update cadences, idempotency keys), in one box allocated on first use.
//!
//! A book holds every relationship inline in one slot, so each field empty for most
//! customers costs its size for all of them: together these are 128 bytes, against 8 for the
//! box. Reading an absent box reads empty parts; a change allocates it only if the parts hold
//! something after it, and drops it once they hold nothing. Equality and the serialized form
//! see the parts, never the box: a snapshot writes them as one nested object, `rare` (the
//! fields as they were written at the top level before), and empty ones read back as no box.

use std::sync::LazyLock;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::keys::Keys;
use crate::complaint::Complaints;
use crate::follow_up::FollowUps;
use crate::response::UpdateClocks;
use crate::survey::Surveys;

/// The parts, as the relationship reads and writes them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct Parts {
    pub(super) complaints: Complaints,
    pub(super) follow_ups: FollowUps,
    pub(super) surveys: Surveys,
    /// The update cadences of open complaints and outstanding promises.
    #[serde(with = "crate::compact::pairs")]
    pub(super) updates: UpdateClocks,
    /// The idempotency keys of the keyed requests of the last 7 days.
    pub(super) keys: Keys,
}

impl Default for Parts {
    fn default() -> Self {
        Self {
            complaints: Complaints::new(),
            follow_ups: FollowUps::new(),
            surveys: Surveys::new(),
            updates: UpdateClocks::new(),
            keys: Keys::default(),
        }
    }
}

/// No parts: what an absent box reads as.
static NONE: LazyLock<Parts> = LazyLock::new(Parts::default);

/// The [`Parts`], boxed when any is in use.
#[derive(Debug, Clone, Default)]
pub(super) struct Rare(Option<Box<Parts>>);

impl Rare {
    /// The parts (empty ones when none is in use).
    pub(super) fn get(&self) -> &Parts {
        self.0.as_deref().unwrap_or(&NONE)
    }

    /// Changes the parts with `change`: the box is allocated only if they hold something
    /// after it, and dropped once they hold nothing (a key pruned, the last cadence settled).
    pub(super) fn change<R>(&mut self, change: impl FnOnce(&mut Parts) -> R) -> R {
        match &mut self.0 {
            Some(parts) => {
                let result = change(parts);
                if **parts == *NONE {
                    self.0 = None;
                }
                result
            }
            None => {
                let mut parts = Parts::default();
                let result = change(&mut parts);
                if parts != *NONE {
                    self.0 = Some(Box::new(parts));
                }
                result
            }
        }
    }
}

impl Rare {
    /// Changes the parts with `change` if any is in use, for a change that leaves empty parts
    /// as they are (pruning keys, settling complaints): most customers never use one, and
    /// every event would otherwise build and compare a set of empty parts.
    pub(super) fn change_held(&mut self, change: impl FnOnce(&mut Parts)) {
        if self.0.is_some() {
            self.change(change);
        }
    }
}

impl PartialEq for Rare {
    fn eq(&self, other: &Self) -> bool {
        self.get() == other.get()
    }
}

impl Eq for Rare {}

impl Serialize for Rare {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.get().serialize(s)
    }
}

impl<'de> Deserialize<'de> for Rare {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let parts = Parts::deserialize(d)?;
        Ok(Self((parts != *NONE).then(|| Box::new(parts))))
    }
}

#[cfg(test)]
mod tests {
    use chrono::{TimeDelta, TimeZone, Utc};

    use super::{Parts, Rare};
    use crate::relationship::keys::Keys;
    use crate::value::IdempotencyKey;

    #[test]
    fn the_box_is_held_only_while_a_part_holds_something() {
        let monday = Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap();
        let key = IdempotencyKey::new("call-1").unwrap();
        let mut rare = Rare::default();
        // A change that leaves every part empty allocates nothing.
        rare.change(|parts| parts.keys.prune(monday));
        assert!(rare.0.is_none());
        // A key remembered: the box holds it, and reads see it.
        rare.change(|parts| parts.keys.apply(Keys::check(&key, None, 1, monday)));
        assert!(rare.0.is_some());
        assert!(rare.get().keys.find(&key).is_some());
        assert_ne!(rare, Rare::default());
        // The key forgotten a week later: the box goes, and equals one never allocated.
        rare.change(|parts| parts.keys.prune(monday + TimeDelta::days(8)));
        assert!(rare.0.is_none());
        assert_eq!(rare, Rare::default());
    }

    #[test]
    fn an_empty_box_equals_none_and_reads_back_as_none() {
        let empty = Rare(Some(Box::new(Parts::default())));
        assert_eq!(empty, Rare::default());
        let json = serde_json::to_string(&empty).unwrap();
        assert_eq!(json, serde_json::to_string(&Rare::default()).unwrap());
        let back: Rare = serde_json::from_str(&json).unwrap();
        assert!(back.0.is_none());
    }
}
