//! Idempotency keys a relationship remembers, by time.
//!
//! A key is kept for [`ServicePolicy::MAX_IDEMPOTENCY_WINDOW`] after the request it came with
//! was recorded, measured against the latest event applied: pruning happens on `apply`, which
//! knows no policy, so a replayed log rebuilds exactly the keys the live relationship held, and
//! the memory is bounded by the keyed requests of the last 7 days, not by history. Whether a
//! retry is honoured is decided with the policy's own (shorter or equal) window.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::policy::ServicePolicy;
use crate::value::{IdempotencyKey, Span};

/// The events one keyed request produced.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct Remembered {
    pub(super) key: IdempotencyKey,
    pub(super) first: u64,
    pub(super) last: u64,
    /// When the request was recorded.
    #[serde(with = "crate::compact::instant")]
    pub(super) at: DateTime<Utc>,
}

impl Remembered {
    /// Whether a retry at `now` falls within `window` of the request.
    pub(super) fn honoured(&self, window: Span, now: DateTime<Utc>) -> bool {
        self.at
            .checked_add_signed(window.to_time_delta())
            .is_none_or(|until| now < until)
    }
}

/// What applying a keyed envelope does to the remembered keys.
pub(super) enum KeyUpdate {
    /// The next event of the latest keyed request.
    Extend,
    /// The first event of a new keyed request.
    Start(Remembered),
}

/// The keyed requests of the last [`ServicePolicy::MAX_IDEMPOTENCY_WINDOW`], oldest first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct Keys(Vec<Remembered>);

impl Keys {
    /// The latest request with `key`, if it is still kept.
    pub(super) fn find(&self, key: &IdempotencyKey) -> Option<&Remembered> {
        self.0.iter().rev().find(|k| &k.key == key)
    }

    /// How a keyed envelope at `seq` and `at` fits: it continues the latest keyed request, or
    /// starts a new one. A key used before starts a new request too: the live relationship
    /// only records one once the policy's window for the earlier use has passed, which `apply`
    /// (knowing no policy) cannot check.
    pub(super) fn check(
        key: &IdempotencyKey,
        latest: Option<&Remembered>,
        seq: u64,
        at: DateTime<Utc>,
    ) -> KeyUpdate {
        if let Some(latest) = latest
            && &latest.key == key
            && latest.last.checked_add(1) == Some(seq)
            && latest.at == at
        {
            return KeyUpdate::Extend;
        }
        KeyUpdate::Start(Remembered {
            key: key.clone(),
            first: seq,
            last: seq,
            at,
        })
    }

    /// The latest keyed request.
    pub(super) fn latest(&self) -> Option<&Remembered> {
        self.0.last()
    }

    pub(super) fn apply(&mut self, update: KeyUpdate) {
        match update {
            KeyUpdate::Extend => {
                if let Some(latest) = self.0.last_mut() {
                    latest.last = latest.last.saturating_add(1);
                }
            }
            KeyUpdate::Start(remembered) => {
                self.0.retain(|k| k.key != remembered.key);
                self.0.push(remembered);
            }
        }
    }

    /// Forgets the requests recorded [`ServicePolicy::MAX_IDEMPOTENCY_WINDOW`] or longer
    /// before `now` (the time of the event being applied).
    pub(super) fn prune(&mut self, now: DateTime<Utc>) {
        let expired = self
            .0
            .iter()
            .take_while(|k| !k.honoured(ServicePolicy::MAX_IDEMPOTENCY_WINDOW, now))
            .count();
        if expired > 0 {
            self.0.drain(..expired);
        }
    }
}
