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
//! **As strict as the reader.** Every value the Rust reader refuses the schema refuses too:
//! the schema version (1 to the version described), texts and names
//! that are empty, blank or too long (`Text`, `Tier`, `IdempotencyKey`, personal data), spans
//! out of range (negative, or past about 200 years), scores out of range (CSAT 1 to 5, NPS 0
//! to 10), ids that are not UUIDs. What it cannot say is a rule across fields or across
//! events (a `recorded` time before `at`, the order of a customer's log), which only
//! replay checks. Descriptions are plain text (the Rust docs' links and code examples are
//! left out). `tests/schema.rs` checks the refusals named above and generated ones against
//! the reader.
//!
//! `cargo run --example export_schema --features schema -- DIR` writes the schemas as files.
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
use crate::value::{IdempotencyKey, Span, Text, Tier};

/// The schema of a stored envelope of the current version ([`SCHEMA_VERSION`]).
#[must_use]
pub fn envelope() -> Schema {
    let mut schema = schema_for!(Envelope);
    for clock in clocks(&mut schema) {
        one_deadline(clock);
    }
    strict(schema, SCHEMA_VERSION)
}

/// The schema of a stored envelope as schema version `version` wrote it, or `None` for a
/// version that was never published.
#[must_use]
pub fn envelope_of_version(version: u16) -> Option<Schema> {
    match version {
        1 => Some(strict(version_1(version_2(envelope())), 1)),
        2 => Some(strict(version_2(envelope()), 2)),
        SCHEMA_VERSION => Some(envelope()),
        _ => None,
    }
}

/// The schema of a [`Request`]: a command with its conditions.
#[must_use]
pub fn request() -> Schema {
    strict(schema_for!(Request), SCHEMA_VERSION)
}

/// The schema of a bare [`Command`].
#[must_use]
pub fn command() -> Schema {
    strict(schema_for!(Command), SCHEMA_VERSION)
}

/// A non-blank text: at least one character that is not white space (the reader trims).
const NOT_BLANK: &str = "\\S";
/// A UUID in the forms the reader takes: hyphenated (as written), braced, as a URN, or plain.
const UUID: &str = concat!(
    "^(",
    "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}",
    "|\\{[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\\}",
    "|urn:uuid:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}",
    "|[0-9a-fA-F]{32}",
    ")$"
);

/// The schema made as strict as the reader on values, for what `version` wrote, with plain-text
/// descriptions.
fn strict(mut schema: Schema, version: u16) -> Schema {
    let Some(root) = schema.as_object_mut() else {
        return schema;
    };
    if let Some(properties) = root.get_mut("properties").and_then(Value::as_object_mut) {
        bound(properties.get_mut("v"), 1, i64::from(version));
    }
    if let Some(defs) = root.get_mut("$defs").and_then(Value::as_object_mut) {
        for (name, def) in defs.iter_mut() {
            let Some(def) = def.as_object_mut() else {
                continue;
            };
            let most = match name.as_str() {
                "Text" => Some(Text::MAX_CHARS),
                "Tier" => Some(Tier::MAX_CHARS),
                "IdempotencyKey" => Some(IdempotencyKey::MAX_CHARS),
                _ => None,
            };
            if let Some(most) = most {
                text(def, most);
            } else if name == "Personal" {
                // The text branch of personal data (the other is `{"erased": true}`).
                for branch in def
                    .get_mut("oneOf")
                    .and_then(Value::as_array_mut)
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_object_mut)
                    .filter(|b| b.get("type") == Some(&Value::from("string")))
                {
                    text(branch, Text::MAX_CHARS);
                }
            } else if name == "Span" {
                def.insert("minimum".into(), Value::from(0));
                def.insert("maximum".into(), Value::from(Span::MAX.as_secs()));
            } else if name == "CsatScore" {
                def.insert("minimum".into(), Value::from(1));
                def.insert("maximum".into(), Value::from(5));
            } else if name == "NpsScore" {
                def.insert("minimum".into(), Value::from(0));
                def.insert("maximum".into(), Value::from(10));
            } else if def.get("format") == Some(&Value::from("uuid")) {
                def.insert("pattern".into(), Value::from(UUID));
            }
        }
    }
    plain(root);
    ranges(root);
    schema
}

/// Every unsigned integer bounded by its Rust type, as the reader bounds it (schemars writes
/// only a `format`, which validators need not check).
fn ranges(object: &mut serde_json::Map<String, Value>) {
    let most = match object.get("format").and_then(Value::as_str) {
        Some("uint8") => Some(u64::from(u8::MAX)),
        Some("uint16") => Some(u64::from(u16::MAX)),
        Some("uint32") => Some(u64::from(u32::MAX)),
        Some("uint64") => Some(u64::MAX),
        _ => None,
    };
    if let Some(most) = most {
        object.entry("minimum").or_insert_with(|| Value::from(0));
        object.entry("maximum").or_insert_with(|| Value::from(most));
    }
    for value in object.values_mut() {
        match value {
            Value::Object(inner) => ranges(inner),
            Value::Array(items) => {
                for item in items.iter_mut().filter_map(Value::as_object_mut) {
                    ranges(item);
                }
            }
            Value::Null | Value::Bool(_) | Value::Number(_) | Value::String(_) => {}
        }
    }
}

/// A number between `least` and `most`.
fn bound(field: Option<&mut Value>, least: i64, most: i64) {
    if let Some(field) = field.and_then(Value::as_object_mut) {
        field.insert("minimum".into(), Value::from(least));
        field.insert("maximum".into(), Value::from(most));
    }
}

/// A text of 1 to `most` characters, not blank.
fn text(def: &mut serde_json::Map<String, Value>, most: usize) {
    def.insert("minLength".into(), Value::from(1));
    def.insert("maxLength".into(), Value::from(most));
    def.insert("pattern".into(), Value::from(NOT_BLANK));
}

/// Every description in plain text: the Rust docs' code examples dropped, their links and
/// code spans written as the words they show.
fn plain(object: &mut serde_json::Map<String, Value>) {
    for (key, value) in object.iter_mut() {
        match value {
            Value::String(text) if key == "description" => *text = plain_text(text),
            Value::Object(inner) => plain(inner),
            Value::Array(items) => {
                for item in items.iter_mut().filter_map(Value::as_object_mut) {
                    plain(item);
                }
            }
            Value::Null | Value::Bool(_) | Value::Number(_) | Value::String(_) => {}
        }
    }
}

/// `text` without code blocks, with `[shown](target)` and `[shown]` as `shown`, and without
/// backticks or `crate::` paths.
fn plain_text(text: &str) -> String {
    let mut out = String::new();
    let mut in_code = false;
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            in_code = !in_code;
            continue;
        }
        if !in_code {
            out.push_str(line);
            out.push('\n');
        }
    }
    let mut plain = String::new();
    let mut rest = out.trim_end();
    while let Some(open) = rest.find('[') {
        plain.push_str(rest.get(..open).unwrap_or_default());
        let after = rest.get(open + 1..).unwrap_or_default();
        let Some(close) = after.find(']') else {
            plain.push('[');
            rest = after;
            continue;
        };
        plain.push_str(after.get(..close).unwrap_or_default());
        rest = after.get(close + 1..).unwrap_or_default();
        if rest.starts_with('(')
            && let Some(end) = rest.find(')')
        {
            rest = rest.get(end + 1..).unwrap_or_default();
        }
    }
    plain.push_str(rest);
    plain.replace('`', "").replace("crate::", "")
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
