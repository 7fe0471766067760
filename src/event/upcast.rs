//! Reading stored envelopes of every published schema version, and upcasting older forms.
//!
//! Each changed event keeps its old shape here as a private struct with a plain `From`
//! conversion into the current [`Event`]. See the rules in [`crate::event`].

use chrono::{DateTime, Utc};
use serde::Deserialize;

use crate::error::DecodeError;
use crate::event::{Envelope, Event, SCHEMA_VERSION};
use crate::id::{CustomerId, PartyId, PromiseId};
use crate::personal::Personal;
use crate::promise::PromiseEvent;
use crate::value::IdempotencyKey;

/// The most of a hostile `type` tag kept in an error.
pub(crate) const MAX_KIND_CHARS: usize = 64;

/// The envelope around the event, before the event is read.
#[derive(Deserialize)]
struct Header {
    customer: CustomerId,
    seq: u64,
    at: DateTime<Utc>,
    #[serde(default)]
    key: Option<IdempotencyKey>,
    #[serde(default)]
    recorded: Option<DateTime<Utc>>,
}

/// `dependency_recorded` as schema version 1 wrote it.
#[derive(Deserialize)]
pub(crate) struct DependencyRecordedV1 {
    promise: PromiseId,
    party: PartyId,
    what: Personal,
    due: DateTime<Utc>,
}

impl From<DependencyRecordedV1> for Event {
    fn from(old: DependencyRecordedV1) -> Self {
        Event::Promise(PromiseEvent::DependencyRecorded {
            promise: old.promise,
            party: old.party,
            commitment: old.what,
            reference: None,
            due: old.due,
        })
    }
}

pub(crate) fn envelope(mut value: serde_json::Value) -> Result<Envelope, DecodeError> {
    let Some(object) = value.as_object_mut() else {
        return Err(DecodeError::Malformed {
            reason: "an envelope is a JSON object".into(),
        });
    };
    let event = object.remove("event");
    let kind = event
        .as_ref()
        .and_then(|e| e.get("type"))
        .and_then(serde_json::Value::as_str)
        .map(|k| k.chars().take(MAX_KIND_CHARS).collect::<String>());
    let version = match object.get("v").and_then(serde_json::Value::as_u64) {
        Some(v) => v,
        None => {
            return Err(DecodeError::Malformed {
                reason: "`v` must be a schema version number".into(),
            });
        }
    };
    let v = supported(version, kind.as_deref())?;
    let (Some(event), Some(kind)) = (event, kind) else {
        return Err(DecodeError::Malformed {
            reason: "the envelope has no event with a `type`".into(),
        });
    };
    match Event::introduced_in(&kind) {
        Some(introduced) if introduced <= v => {}
        _ => return Err(DecodeError::UnknownKind { kind, version: v }),
    }
    let invalid = |reason: String| DecodeError::Invalid {
        kind: kind.clone(),
        version: v,
        reason,
    };
    let header = Header::deserialize(value).map_err(|e| invalid(e.to_string()))?;
    let event = self::event(v, &kind, event).map_err(|e| invalid(e.to_string()))?;
    event.check_form(v).map_err(invalid)?;
    check_recorded(v, header.at, header.recorded).map_err(invalid)?;
    Ok(Envelope {
        v: SCHEMA_VERSION,
        customer: header.customer,
        seq: header.seq,
        at: header.at,
        event,
        key: header.key,
        recorded: header.recorded,
    })
}

/// `version` as a schema version this build reads, or the error naming it and the kind.
pub(crate) fn supported(version: u64, kind: Option<&str>) -> Result<u16, DecodeError> {
    match u16::try_from(version) {
        Ok(v) if (1..=SCHEMA_VERSION).contains(&v) => Ok(v),
        _ => Err(DecodeError::UnsupportedVersion {
            kind: kind.map(str::to_owned),
            version,
            supported: SCHEMA_VERSION,
        }),
    }
}

/// The event of `kind` as version `v` wrote it, in the current form.
fn event(v: u16, kind: &str, event: serde_json::Value) -> Result<Event, serde_json::Error> {
    match (v, kind) {
        (1, "dependency_recorded") => DependencyRecordedV1::deserialize(event).map(Event::from),
        _ => Event::deserialize(event),
    }
}

/// A recording time is said only from schema version 3, and only when later than `at`.
pub(crate) fn check_recorded(
    v: u16,
    at: DateTime<Utc>,
    recorded: Option<DateTime<Utc>>,
) -> Result<(), String> {
    match recorded {
        Some(_) if v < 3 => Err(format!(
            "a recording time (`recorded`) needs schema version 3, not {v}"
        )),
        Some(recorded) if recorded <= at => Err(format!(
            "`recorded` ({recorded}) must be later than `at` ({at}); absent, it is `at`"
        )),
        Some(_) | None => Ok(()),
    }
}
