//! The parts of a relationship most customers never use (complaints, follow-ups, surveys,
//! update cadences, idempotency keys), in one box allocated on first use.
//!
//! Together these are 128 bytes, against 8 for the box ([`Lazy`]: allocated only while a
//! part holds something). A snapshot writes them as one nested object, `rare` (the fields as
//! they were written at the top level before).

use std::sync::LazyLock;

use serde::{Deserialize, Serialize};

use chrono::{DateTime, Utc};

use super::keys::Keys;
use crate::complaint::Complaints;
use crate::follow_up::FollowUps;
use crate::lazy::{self, Lazy};
use crate::response::{ResponseClock, UpdateClocks};
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

impl lazy::Parts for Parts {
    fn none() -> &'static Self {
        &NONE
    }
}

/// The [`Parts`], boxed when any is in use.
pub(super) type Rare = Lazy<Parts>;

/// The spells a relationship is in only now and then: at risk, gone quiet, and the wait of a
/// message reported after its answer. Boxed while one holds ([`Lazy`]): 32 bytes, against 8
/// for the box, in every customer's slot.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct Spells {
    /// The wait of a message reported after its answer, between the two (`None`: idle, as
    /// it nearly always is).
    #[serde(with = "crate::compact::rare")]
    pub(super) past_wait: Option<Box<ResponseClock>>,
    /// Since when the relationship has been at risk, if it is.
    #[serde(with = "crate::compact::instant::option")]
    pub(super) at_risk_since: Option<DateTime<Utc>>,
    /// Since when the customer has gone quiet, if they have and not written since.
    #[serde(with = "crate::compact::instant::option")]
    pub(super) quiet_since: Option<DateTime<Utc>>,
}

/// No spell: what an absent box reads as.
static NO_SPELLS: Spells = Spells {
    past_wait: None,
    at_risk_since: None,
    quiet_since: None,
};

impl lazy::Parts for Spells {
    fn none() -> &'static Self {
        &NO_SPELLS
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
        assert!(!rare.is_held());
        // A key remembered: the box holds it, and reads see it.
        rare.change(|parts| parts.keys.apply(Keys::check(&key, None, 1, monday)));
        assert!(rare.is_held());
        assert!(rare.get().keys.find(&key).is_some());
        assert_ne!(rare, Rare::default());
        // The key forgotten a week later: the box goes, and equals one never allocated.
        rare.change(|parts| parts.keys.prune(monday + TimeDelta::days(8)));
        assert!(!rare.is_held());
        assert_eq!(rare, Rare::default());
    }

    #[test]
    fn empty_parts_read_back_as_no_box() {
        let json = serde_json::to_string(&Parts::default()).unwrap();
        assert_eq!(json, serde_json::to_string(&Rare::default()).unwrap());
        let back: Rare = serde_json::from_str(&json).unwrap();
        assert!(!back.is_held());
        assert_eq!(back, Rare::default());
    }
}
