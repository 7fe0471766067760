//! JSON Schemas of the stored [`Envelope`] and of [`Request`]s and [`Command`]s, so services
//! in other languages can read the log and send commands (cargo feature `schema`).
//!
//! Every field that holds personal data carries `"x-personal-data": true` (see
//! [`crate::personal`]): a reader can find what to encrypt, externalise or erase without
//! knowing the model.
//!
//! [`envelope`] describes what this build writes ([`SCHEMA_VERSION`]);
//! [`envelope_of_version`] describes what an older published version wrote, which this build
//! still reads and upcasts. Where a clock starts or runs again, version 3's schema requires
//! exactly one of `due` and `no_target`; version 2's requires `due` and knows neither
//! `no_target` nor the `untimed` outcome. `tests/schema.rs` validates every golden fixture against the schema
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
    let mut schema = schema_for!(Envelope);
    for clock in clocks(&mut schema) {
        one_deadline(clock);
    }
    schema
}

/// The schema of a stored envelope as schema version `version` wrote it, or `None` for a
/// version that was never published.
#[must_use]
pub fn envelope_of_version(version: u16) -> Option<Schema> {
    match version {
        1 => Some(version_1(version_2(envelope()))),
        2 => Some(version_2(envelope())),
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

/// The objects that state a clock's due instant: the clock terms of complaints, and the
/// response clock and follow-up kinds (`response_clock_stopped` last, which has no
/// `no_target`).
fn clocks(schema: &mut Schema) -> Vec<&mut serde_json::Map<String, Value>> {
    let Some(defs) = schema
        .as_object_mut()
        .and_then(|r| r.get_mut("$defs"))
        .and_then(Value::as_object_mut)
    else {
        return Vec::new();
    };
    let mut found = Vec::new();
    for (name, def) in defs.iter_mut() {
        if name == "ClockTerms" {
            found.extend(def.as_object_mut());
        } else if name == "Event"
            && let Some(variants) = def.get_mut("oneOf").and_then(Value::as_array_mut)
        {
            found.extend(
                variants
                    .iter_mut()
                    .filter(|variant| {
                        matches!(
                            kind_of(variant),
                            Some(
                                "response_clock_started"
                                    | "follow_up_scheduled"
                                    | "update_clock_started"
                                    | "response_clock_stopped"
                            )
                        )
                    })
                    .filter_map(Value::as_object_mut),
            );
        }
    }
    found
}

/// A clock states its due instant (a string, never `null`) or why it has none: exactly one.
fn one_deadline(clock: &mut serde_json::Map<String, Value>) {
    let Some(properties) = clock.get_mut("properties").and_then(Value::as_object_mut) else {
        return;
    };
    if let Some(due) = properties.get_mut("due").and_then(Value::as_object_mut) {
        due.insert("type".into(), Value::from("string"));
    }
    if let Some(reason) = properties
        .get_mut("no_target")
        .and_then(Value::as_object_mut)
    {
        reason.remove("anyOf");
        reason.insert("$ref".into(), Value::from("#/$defs/NoTarget"));
        clock.insert(
            "oneOf".into(),
            serde_json::json!([{ "required": ["due"] }, { "required": ["no_target"] }]),
        );
    }
}

/// Version 3's schema, taken back to version 2: every clock has its due instant, no outcome
/// is untimed, and a complaint's closing events say nothing of the business time worked.
fn version_2(mut schema: Schema) -> Schema {
    // Kinds introduced in version 3 (the update cadence) did not exist, nor did an
    // interaction regarding complaints.
    for variant in event_variants(&mut schema, 2) {
        if kind_of(variant) == Some("interaction_recorded") {
            remove(variant, "regarding_complaints");
        }
    }
    if let Some(root) = schema.as_object_mut() {
        // Envelopes say when a fact reported late was recorded from version 3 on.
        if let Some(properties) = root.get_mut("properties").and_then(Value::as_object_mut) {
            properties.remove("recorded");
        }
        root.insert(
            "not".to_owned(),
            serde_json::json!({ "required": ["recorded"] }),
        );
    }
    // A complaint's closing events state the business time worked from version 3 on.
    for variant in event_variants(&mut schema, 2).filter(|variant| {
        matches!(
            kind_of(variant),
            Some("complaint_acknowledged" | "complaint_resolved")
        )
    }) {
        remove(variant, "worked");
        if let Some(variant) = variant.as_object_mut() {
            variant.insert(
                "not".to_owned(),
                serde_json::json!({ "required": ["worked"] }),
            );
        }
    }
    for clock in clocks(&mut schema) {
        clock.remove("oneOf");
        if let Some(properties) = clock.get_mut("properties").and_then(Value::as_object_mut) {
            properties.remove("no_target");
        }
        if let Some(required) = clock.get_mut("required").and_then(Value::as_array_mut) {
            required.push(Value::from("due"));
        }
    }
    if let Some(defs) = schema
        .as_object_mut()
        .and_then(|r| r.get_mut("$defs"))
        .and_then(Value::as_object_mut)
    {
        defs.remove("NoTarget");
        if let Some(outcomes) = defs
            .get_mut("Outcome")
            .and_then(|o| o.get_mut("oneOf"))
            .and_then(Value::as_array_mut)
        {
            outcomes.retain(|outcome| {
                outcome
                    .get("properties")
                    .and_then(|p| p.get("status"))
                    .and_then(|s| s.get("const"))
                    .and_then(Value::as_str)
                    != Some("untimed")
            });
        }
    }
    schema
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
    for variant in event_variants(&mut schema, 1) {
        if kind_of(variant) == Some("dependency_recorded") {
            rename(variant, "commitment", "what");
            remove(variant, "reference");
        }
    }
    schema
}

/// The event variants of the schema, after dropping the kinds introduced after `version`.
fn event_variants(schema: &mut Schema, version: u16) -> impl Iterator<Item = &mut Value> {
    let variants = schema
        .as_object_mut()
        .and_then(|r| r.get_mut("$defs"))
        .and_then(|d| d.get_mut("Event"))
        .and_then(|e| e.get_mut("oneOf"))
        .and_then(Value::as_array_mut);
    if let Some(variants) = variants {
        variants.retain(|variant| {
            kind_of(variant)
                .and_then(crate::event::Event::introduced_in)
                .is_some_and(|v| v <= version)
        });
        return variants.iter_mut();
    }
    [].iter_mut()
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
