//! JSON Schemas of the stored [`Envelope`] and of [`Request`]s and [`Command`]s, so services
//! in other languages can read the log and send commands (cargo feature `schema`).
//!
//! Every field that holds personal data carries `"x-personal-data": true` (see
//! [`crate::personal`]): a reader can find what to encrypt, externalise or erase without
//! knowing the model.
//!
//! [`envelope`] describes what this build writes ([`SCHEMA_VERSION`]);
//! [`envelope_of_version`] describes what an older published version wrote, which this build
//! still reads and upcasts. `tests/schema.rs` validates every golden fixture against the schema
//! of its version.
//!
//! ```
//! let schema = clientele::schema::envelope();
//! let text = serde_json::to_string_pretty(&schema)?;
//! assert!(text.contains("x-personal-data"));
//! # Ok::<(), serde_json::Error>(())
//! ```

use schemars::{Schema, schema_for};
use serde_json::Value;

use crate::command::{Command, Request};
use crate::event::Envelope;
use crate::event::SCHEMA_VERSION;

/// The schema of a stored envelope of the current version ([`SCHEMA_VERSION`]).
#[must_use]
pub fn envelope() -> Schema {
    schema_for!(Envelope)
}

/// The schema of a stored envelope as schema version `version` wrote it, or `None` for a
/// version that was never published.
#[must_use]
pub fn envelope_of_version(version: u16) -> Option<Schema> {
    match version {
        1 => Some(version_1(envelope())),
        SCHEMA_VERSION => Some(envelope()),
        _ => None,
    }
}

/// The schema of a [`Request`]: a command with its conditions.
#[must_use]
pub fn request() -> Schema {
    schema_for!(Request)
}

/// The schema of a bare [`Command`].
#[must_use]
pub fn command() -> Schema {
    schema_for!(Command)
}

/// Version 2's schema, taken back to version 1: the reverse of the upcast in `src/upcast.rs`.
fn version_1(mut schema: Schema) -> Schema {
    let root = schema.as_object_mut();
    if let Some(properties) = root
        .and_then(|r| r.get_mut("properties"))
        .and_then(Value::as_object_mut)
    {
        // Envelopes gained an idempotency key in version 2.
        properties.remove("key");
    }
    if let Some(variants) = schema
        .as_object_mut()
        .and_then(|r| r.get_mut("$defs"))
        .and_then(|d| d.get_mut("Event"))
        .and_then(|e| e.get_mut("oneOf"))
        .and_then(Value::as_array_mut)
    {
        // Kinds introduced after version 1 did not exist.
        variants.retain(|variant| {
            kind_of(variant)
                .and_then(crate::event::Event::introduced_in)
                .is_some_and(|v| v <= 1)
        });
        for variant in variants.iter_mut() {
            if kind_of(variant) == Some("dependency_recorded") {
                rename(variant, "commitment", "what");
                remove(variant, "reference");
            }
        }
    }
    schema
}

fn kind_of(variant: &Value) -> Option<&str> {
    variant
        .get("properties")?
        .get("type")?
        .get("const")?
        .as_str()
}

fn rename(variant: &mut Value, from: &str, to: &str) {
    if let Some(properties) = variant.get_mut("properties").and_then(Value::as_object_mut)
        && let Some(field) = properties.remove(from)
    {
        properties.insert(to.to_owned(), field);
    }
    if let Some(required) = variant.get_mut("required").and_then(Value::as_array_mut) {
        for name in required.iter_mut() {
            if name.as_str() == Some(from) {
                *name = Value::from(to);
            }
        }
    }
}

fn remove(variant: &mut Value, field: &str) {
    if let Some(properties) = variant.get_mut("properties").and_then(Value::as_object_mut) {
        properties.remove(field);
    }
    if let Some(required) = variant.get_mut("required").and_then(Value::as_array_mut) {
        required.retain(|name| name.as_str() != Some(field));
    }
}
