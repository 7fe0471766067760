//! A recorded snapshot of the exact compact JSON this build writes, so a restructuring of
//! [`Event`] and [`Command`] (new nesting, renamed variants) can be checked to leave the wire
//! untouched, byte for byte.
//!
//! # The record (`tests/snapshot/`)
//!
//! - `fixtures.jsonl`: one line per golden fixture `tests/fixtures/v1/*.json` and
//!   `tests/fixtures/v2/*.json`, sorted by path: the envelope as [`Envelope::from_json`] reads
//!   it (version 1 fixtures come out upcast to the current version), written with
//!   `serde_json::to_string`.
//! - `envelopes.jsonl`: 3,000 envelopes kept from draws of `arb::envelope()` (the hostile
//!   strategy of `tests/hostile.rs`), then a top-up of draws kept only when their event kind
//!   had fewer than [`MIN_PER_KIND`] lines, so every kind of [`Event::KINDS`] appears at least
//!   that often.
//! - `commands.jsonl`: 500 bare [`Command`]s kept from draws of `arb::command()`, topped up the
//!   same way to at least [`MIN_PER_COMMAND`] of each command variant.
//! - `requests.jsonl`: 500 [`Request`]s kept (a drawn command, an optional expected version
//!   from `arb::seq()` and an optional idempotency key from `arb::key()`), topped up likewise.
//!
//! Only values that read back are kept: a drawn envelope whose line `Envelope::from_json`
//! refuses or reads as a different value (say an unsupported version, or a version 1 envelope,
//! which is upcast) is skipped and counted; a command or request likewise through
//! `serde_json::from_str`. Lines longer than [`LONG_LINE`] bytes (the strategies draw texts of
//! up to `Text::MAX_CHARS` characters) are kept only up to a budget per file, so the record
//! stays small.
//!
//! The last generation (proptest 1.12.0): envelopes: drawn 4,270, kept 3,000 (24 of them long),
//! skipped 1,150 that did not read back (all `UnsupportedVersion`: `arb::version()` draws 0,
//! 3 and arbitrary versions) and 120 too long; every kind at least 50 times, so the top-up drew
//! nothing. Commands: drawn 590, kept 510 (8 long), none that did not read back, 80 too long;
//! each variant at least 12 times. Requests: drawn 599, kept 524 (8 long), none that did not
//! read back, 75 too long; each variant at least 12 times. (Draws in a top-up count only when
//! their kind was still short.)
//!
//! # The check (plain `cargo test`)
//!
//! Every line is decoded ([`Envelope::from_json`], or serde for [`Command`] and [`Request`]),
//! written again with `serde_json::to_string`, and must come out as the same string; the
//! string written must decode to an equal value. With the `schema` feature every line must
//! also validate against `clientele::schema::envelope()`, `command()` or `request()`. The
//! check uses only [`Envelope`], [`Command`], [`Request`], [`Envelope::from_json`] and serde,
//! and names no variant, so it survives the restructuring unchanged. When it fails after a
//! refactor, the wire changed: fix the code, not the record.
//!
//! The envelopes were recorded by schema version 2 and stay as recorded. Since version 3
//! (clocks with no target), which writes every version 2 value exactly as version 2 did but
//! for the version number, an envelope line must come out as the recorded string with its
//! leading `{"v":2,` written as the current version: byte for byte otherwise. The lines must
//! still validate against the schema of version 2 (`envelope_of_version(2)`) as well as the
//! current one.
//!
//! # Where the record came from
//!
//! The files were drawn once, before `Event` and `Command` were grouped by family, by a
//! generator with a fixed seed over `tests/support/arb.rs` (commit e7fd853). The strategies have
//! changed since, so the generator was removed: the files are the record and are never
//! rewritten. A later wire change gets a record of its own beside them.

use std::path::PathBuf;

use clientele::{Command, Envelope, Request, SCHEMA_VERSION};

/// Where the record lives.
fn snapshot_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/snapshot")
}

const FIXTURES: &str = "fixtures.jsonl";
const ENVELOPES: &str = "envelopes.jsonl";
const COMMANDS: &str = "commands.jsonl";
const REQUESTS: &str = "requests.jsonl";

/// Lines recorded in each file: a truncated or emptied file fails the check.
const RECORDED_LINES: [(&str, usize); 4] = [
    (FIXTURES, 87),
    (ENVELOPES, 3_000),
    (COMMANDS, 510),
    (REQUESTS, 524),
];

// ---------------------------------------------------------------------------------------------
// The check

/// The lines of a recorded file, numbered from 1.
fn lines(file: &str) -> Vec<(usize, String)> {
    let path = snapshot_dir().join(file);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (see the generator)", path.display()));
    let lines: Vec<(usize, String)> = text
        .lines()
        .enumerate()
        .map(|(n, line)| (n + 1, line.to_owned()))
        .collect();
    let recorded = RECORDED_LINES
        .iter()
        .find(|(name, _)| *name == file)
        .map(|(_, n)| *n);
    assert_eq!(Some(lines.len()), recorded, "{file}: line count");
    lines
}

/// Decodes every line, writes it again, and checks the same string comes out and reads back
/// as the same value; panics with every mismatch (line number, recorded and written strings).
fn check_file<T: PartialEq + std::fmt::Debug + serde::Serialize>(
    file: &str,
    decode: impl Fn(&str) -> Result<T, String>,
) {
    check_file_as(file, decode, |line| line.to_owned());
}

/// The string the current build writes for an envelope line recorded by version 2: the same,
/// but for the version.
fn as_current_version(line: &str) -> String {
    match line.strip_prefix(r#"{"v":2,"#) {
        Some(rest) => format!(r#"{{"v":{SCHEMA_VERSION},{rest}"#),
        None => line.to_owned(),
    }
}

/// As [`check_file`], the written string compared with `expected(recorded)`.
fn check_file_as<T: PartialEq + std::fmt::Debug + serde::Serialize>(
    file: &str,
    decode: impl Fn(&str) -> Result<T, String>,
    expected: impl Fn(&str) -> String,
) {
    let mut failures = Vec::new();
    let recorded = lines(file);
    for (n, line) in &recorded {
        let value = match decode(line) {
            Ok(value) => value,
            Err(e) => {
                failures.push(format!(
                    "{file}:{n}: no longer decodes: {e}\n  recorded: {line}"
                ));
                continue;
            }
        };
        let written = serde_json::to_string(&value).unwrap();
        if written != expected(line) {
            failures.push(format!(
                "{file}:{n}: written differently\n  recorded: {line}\n  written:  {written}"
            ));
            continue;
        }
        match decode(&written) {
            Ok(again) if again == value => {}
            Ok(again) => failures.push(format!(
                "{file}:{n}: reads back as a different value\n  first:  {value:?}\n  second: {again:?}"
            )),
            Err(e) => failures.push(format!("{file}:{n}: the written form does not decode: {e}")),
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} lines of {file} changed on the wire:\n{}",
        failures.len(),
        recorded.len(),
        failures.join("\n")
    );
}

fn decode_envelope(line: &str) -> Result<Envelope, String> {
    Envelope::from_json(line).map_err(|e| e.to_string())
}

fn decode_serde<T: serde::de::DeserializeOwned>(line: &str) -> Result<T, String> {
    serde_json::from_str(line).map_err(|e| e.to_string())
}

#[test]
fn golden_fixtures_are_written_as_recorded() {
    check_file_as(FIXTURES, decode_envelope, as_current_version);
}

#[test]
fn generated_envelopes_are_written_as_recorded() {
    check_file_as(ENVELOPES, decode_envelope, as_current_version);
}

#[test]
fn generated_commands_are_written_as_recorded() {
    check_file(COMMANDS, decode_serde::<Command>);
}

#[test]
fn generated_requests_are_written_as_recorded() {
    check_file(REQUESTS, decode_serde::<Request>);
}

/// Every recorded document validates against the exported schema of its type, so the schema
/// after the refactor accepts the same documents.
#[cfg(feature = "schema")]
mod schema {
    use clientele::schema;

    use super::*;

    /// Lines (numbered from 1) that do not validate today, per file: none.
    const KNOWN_INVALID: [(&str, &[usize]); 4] = [
        (FIXTURES, &[]),
        (ENVELOPES, &[]),
        (COMMANDS, &[]),
        (REQUESTS, &[]),
    ];

    fn check_schema(file: &str, schema: &schemars::Schema) {
        let validator = jsonschema::validator_for(schema.as_value())
            .expect("the exported schema is a valid schema");
        let mut invalid = Vec::new();
        let mut messages = Vec::new();
        for (n, line) in lines(file) {
            let value: serde_json::Value = serde_json::from_str(&line).unwrap();
            let errors: Vec<String> = validator
                .iter_errors(&value)
                .map(|e| format!("{e} at {}", e.instance_path))
                .collect();
            if !errors.is_empty() {
                invalid.push(n);
                messages.push(format!("{file}:{n}: {errors:?}\n  {line}"));
            }
        }
        let known = KNOWN_INVALID
            .iter()
            .find(|(name, _)| *name == file)
            .map(|(_, lines)| lines.to_vec())
            .unwrap();
        assert_eq!(
            invalid,
            known,
            "{file}: the lines the schema refuses changed (it must accept exactly what it \
             accepted when the record was made):\n{}",
            messages.join("\n")
        );
    }

    #[test]
    fn golden_fixtures_validate() {
        check_schema(FIXTURES, &schema::envelope());
        check_schema(FIXTURES, &schema::envelope_of_version(2).unwrap());
    }

    #[test]
    fn generated_envelopes_validate() {
        check_schema(ENVELOPES, &schema::envelope());
        check_schema(ENVELOPES, &schema::envelope_of_version(2).unwrap());
    }

    #[test]
    fn generated_commands_validate() {
        check_schema(COMMANDS, &schema::command());
    }

    #[test]
    fn generated_requests_validate() {
        check_schema(REQUESTS, &schema::request());
    }
}
