//! The exported JSON Schemas (feature `schema`): every golden fixture, of every published
//! version, validates against the schema of its version; personal data is marked; commands
//! and requests validate too. Run with `cargo test --features schema --test schema`.
#![cfg(feature = "schema")]

mod support;

use std::path::PathBuf;

use clientele::{Command, Request, SCHEMA_VERSION, schema};
use serde_json::Value;
use support::*;

fn validator(schema: &schemars::Schema) -> jsonschema::Validator {
    jsonschema::validator_for(schema.as_value()).expect("the exported schema is a valid schema")
}

fn fixtures(version: u16) -> Vec<(PathBuf, Value)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("tests/fixtures/v{version}"));
    let mut found: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| {
            let path = entry.unwrap().path();
            let value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
            (path, value)
        })
        .collect();
    found.sort_by(|a, b| a.0.cmp(&b.0));
    found
}

#[test]
fn every_golden_fixture_validates_against_the_schema_of_its_version() {
    let mut checked = 0;
    for version in 1..=SCHEMA_VERSION {
        let schema = schema::envelope_of_version(version).unwrap();
        let validator = validator(&schema);
        for (path, fixture) in fixtures(version) {
            let errors: Vec<String> = validator
                .iter_errors(&fixture)
                .map(|e| e.to_string())
                .collect();
            assert!(errors.is_empty(), "{}: {errors:?}", path.display());
            checked += 1;
        }
    }
    // Version 3 adds complaint_deescalated, complaint_closed_unresolved and
    // complaint_reprioritised (issue 14 items 3, 7, 2), the update cadence's three kinds and
    // complaint_routed (items 10 and 6), response_awaiting_customer (item 4), and
    // relationship_gone_quiet (issue 16 item 4).
    assert_eq!(checked, 43 + 44 + 53);
    assert!(schema::envelope_of_version(SCHEMA_VERSION + 1).is_none());
    assert!(schema::envelope_of_version(0).is_none());
}

#[test]
fn the_schemas_tell_versions_apart() {
    // A version 1 `dependency_recorded` is not a version 2 one, and the reverse.
    let v1 = fixtures(1)
        .into_iter()
        .find(|(p, _)| p.ends_with("dependency_recorded.json"))
        .unwrap()
        .1;
    let v2 = fixtures(2)
        .into_iter()
        .find(|(p, _)| p.ends_with("dependency_recorded.json"))
        .unwrap()
        .1;
    let current = validator(&schema::envelope());
    let old = validator(&schema::envelope_of_version(1).unwrap());
    assert!(!current.is_valid(&v1));
    assert!(!old.is_valid(&v2));
    // And a kind added in version 2 is not in version 1's schema.
    let erased = fixtures(2)
        .into_iter()
        .find(|(p, _)| p.ends_with("personal_data_erased.json"))
        .unwrap()
        .1;
    assert!(current.is_valid(&erased) && !old.is_valid(&erased));
}

#[test]
fn only_version_3_describes_clocks_with_no_target() {
    let v2 = validator(&schema::envelope_of_version(2).unwrap());
    let v3 = validator(&schema::envelope());
    let mut differing = 0;
    let v3_fixtures = fixtures(3);
    // Kinds version 3 added have no version 2 fixture to pair with: pair by file name.
    let paired = fixtures(2).into_iter().filter_map(|(path, old)| {
        let name = path.file_name()?.to_owned();
        let (_, new) = v3_fixtures
            .iter()
            .find(|(p, _)| p.file_name() == Some(name.as_os_str()))?;
        Some(((path, old), new.clone()))
    });
    for ((path, old), new) in paired {
        let mut as_v3 = old.clone();
        as_v3["v"] = Value::from(3);
        if as_v3 == new {
            continue;
        }
        // A no-target (or untimed) form, or a recording time, is version 3's only.
        let mut claimed = new.clone();
        claimed["v"] = Value::from(2);
        assert!(!v2.is_valid(&claimed), "{}", path.display());
        assert!(v3.is_valid(&new), "{}", path.display());
        // Both a due instant and no target, or neither, is nobody's.
        let event = new["event"].clone();
        let mut both = new.clone();
        let mut neither = new.clone();
        if event.get("no_target").is_some() {
            both["event"]["due"] = Value::from("2026-03-06T20:30:00Z");
            neither["event"]
                .as_object_mut()
                .unwrap()
                .remove("no_target");
            assert!(!v3.is_valid(&both), "{}", path.display());
            assert!(!v3.is_valid(&neither), "{}", path.display());
        }
        differing += 1;
    }
    // The ten kinds with a no-target form, and the interaction recorded late.
    assert_eq!(differing, 11);
}

#[test]
fn hostile_envelopes_do_not_validate() {
    let validator = validator(&schema::envelope());
    let (_, good) = fixtures(2).swap_remove(0);
    let mut unknown_kind = good.clone();
    unknown_kind["event"]["type"] = Value::from("customer_teleported");
    let mut wrong_type = good.clone();
    wrong_type["seq"] = Value::from("seven");
    let mut no_event = good.clone();
    no_event.as_object_mut().unwrap().remove("event");
    for bad in [unknown_kind, wrong_type, no_event] {
        assert!(!validator.is_valid(&bad), "{bad}");
    }
    assert!(validator.is_valid(&good));
}

#[test]
fn personal_data_is_marked_in_the_schema() {
    let text = serde_json::to_string(&schema::envelope()).unwrap();
    assert!(text.contains("\"x-personal-data\":true"));
    // Every event field the crate treats as personal refers to the marked definition.
    let schema = schema::envelope();
    let personal = &schema.as_value()["$defs"]["Personal"];
    assert_eq!(personal["x-personal-data"], Value::Bool(true));
    let renamed = schema.as_value()["$defs"]["Event"]["oneOf"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["properties"]["type"]["const"] == "customer_renamed")
        .unwrap();
    assert_eq!(renamed["properties"]["name"]["$ref"], "#/$defs/Personal");
    // The erased form validates where a personal value is expected.
    let mut erased = fixtures(2)
        .into_iter()
        .find(|(p, _)| p.ends_with("customer_renamed.json"))
        .unwrap()
        .1;
    erased["event"]["name"] = serde_json::json!({"erased": true});
    assert!(validator(&schema).is_valid(&erased));
}

#[test]
fn commands_and_requests_validate() {
    let request = Request::new(inbound(1, clientele::Channel::Email))
        .expecting(3)
        .idempotent(clientele::IdempotencyKey::new("k-1").unwrap());
    let as_json = serde_json::to_value(&request).unwrap();
    assert!(validator(&schema::request()).is_valid(&as_json));
    let command: Command = clientele::ErasePersonalData::default().into();
    assert!(validator(&schema::command()).is_valid(&serde_json::to_value(&command).unwrap()));
    let mut bad = as_json;
    bad["command"]["type"] = Value::from("delete_everything");
    assert!(!validator(&schema::request()).is_valid(&bad));
}

/// The kinds table names exactly the events the family enums hold, each under its family. The
/// schema is derived from the enums, so a kind added to a family without its row in
/// `Event::KINDS` fails here; without the row the build would write the event and refuse it on
/// reading (`UnknownKind`), and no other test notices.
#[test]
fn the_kinds_table_names_every_event_of_every_family() {
    use clientele::event::Family;
    use std::collections::BTreeSet;
    fn kinds(schema: &schemars::Schema) -> BTreeSet<String> {
        schema.as_value()["oneOf"]
            .as_array()
            .expect("a family's schema is a oneOf of its kinds")
            .iter()
            .map(|kind| {
                kind["properties"]["type"]["const"]
                    .as_str()
                    .unwrap()
                    .to_owned()
            })
            .collect()
    }
    let families = [
        (
            Family::Customer,
            schemars::schema_for!(clientele::CustomerEvent),
        ),
        (
            Family::Response,
            schemars::schema_for!(clientele::ResponseEvent),
        ),
        (
            Family::Promise,
            schemars::schema_for!(clientele::PromiseEvent),
        ),
        (
            Family::Complaint,
            schemars::schema_for!(clientele::ComplaintEvent),
        ),
        (
            Family::FollowUp,
            schemars::schema_for!(clientele::FollowUpEvent),
        ),
        (
            Family::Survey,
            schemars::schema_for!(clientele::SurveyEvent),
        ),
        (
            Family::Health,
            schemars::schema_for!(clientele::HealthEvent),
        ),
    ];
    let mut all = BTreeSet::new();
    for (family, schema) in &families {
        let table: BTreeSet<String> = clientele::Event::KINDS
            .iter()
            .filter(|kind| kind.family == *family)
            .map(|kind| kind.name.to_owned())
            .collect();
        assert_eq!(kinds(schema), table, "{family:?}");
        all.extend(table);
    }
    assert_eq!(all.len(), clientele::Event::KINDS.len());
}
