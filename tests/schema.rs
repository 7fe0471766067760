//! The exported JSON Schemas (feature `schema`): every golden fixture, of every published
//! version, validates against the schema of its version; personal data is marked; commands
//! and requests validate too. Run with `cargo test --features schema --test schema`.
#![cfg(feature = "schema")]

#[path = "support/arb.rs"]
mod arb;
mod support;

use std::path::PathBuf;

use clientele::{Command, Request, SCHEMA_VERSION, schema};
use proptest::prelude::*;
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
    // relationship_gone_quiet (issue 16 item 4), and the wait on an outside party's
    // complaint_awaiting_party, complaint_party_late and complaint_party_wait_ended (issue 14
    // item 5).
    assert_eq!(checked, 43 + 44 + 56);
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

/// A fixture of the current version by kind.
fn fixture(kind: &str) -> Value {
    fixtures(SCHEMA_VERSION)
        .into_iter()
        .find(|(p, _)| p.ends_with(format!("{kind}.json")))
        .unwrap()
        .1
}

/// Whether the Rust reader takes `value` as an envelope.
fn reads(value: &Value) -> bool {
    clientele::Envelope::from_value(value.clone()).is_ok()
}

#[test]
fn what_the_reader_refuses_for_its_value_the_schema_refuses_too() {
    let validator = validator(&schema::envelope());
    let edit = |kind: &str, change: &dyn Fn(&mut Value)| {
        let mut value = fixture(kind);
        change(&mut value);
        value
    };
    let long = "x".repeat(clientele::Text::MAX_CHARS + 1);
    let cases: Vec<(&str, Value)> = vec![
        (
            "version 99",
            edit("customer_renamed", &|v| v["v"] = 99.into()),
        ),
        (
            "version 0",
            edit("customer_renamed", &|v| v["v"] = 0.into()),
        ),
        (
            "an empty idempotency key",
            edit("customer_renamed", &|v| v["key"] = "".into()),
        ),
        (
            "a blank idempotency key",
            edit("customer_renamed", &|v| v["key"] = "  ".into()),
        ),
        (
            "a CSAT score of 9",
            edit("survey_answered", &|v| {
                v["event"]["answer"]["score"] = 9.into()
            }),
        ),
        (
            "a CSAT score of 0",
            edit("survey_answered", &|v| {
                v["event"]["answer"]["score"] = 0.into()
            }),
        ),
        (
            "an NPS score of 11",
            edit("survey_answered", &|v| {
                v["event"]["answer"] = serde_json::json!({ "kind": "nps", "score": 11 })
            }),
        ),
        (
            "a negative span",
            edit("response_clock_started", &|v| {
                v["event"]["target"] = (-1).into()
            }),
        ),
        (
            "a span past 200 years",
            edit("response_clock_started", &|v| {
                v["event"]["target"] = i64::MAX.into()
            }),
        ),
        (
            "an empty tier",
            edit("tier_changed", &|v| v["event"]["tier"] = "".into()),
        ),
        (
            "a tier of 65 characters",
            edit("tier_changed", &|v| {
                v["event"]["tier"] = "t".repeat(65).into()
            }),
        ),
        (
            "an empty name",
            edit("customer_renamed", &|v| v["event"]["name"] = "".into()),
        ),
        (
            "a blank name",
            edit("customer_renamed", &|v| v["event"]["name"] = " \t".into()),
        ),
        (
            "a name too long",
            edit("customer_renamed", &|v| {
                v["event"]["name"] = long.clone().into()
            }),
        ),
        (
            "a customer id that is no UUID",
            edit("customer_renamed", &|v| v["customer"] = "ona".into()),
        ),
        (
            "an empty level name",
            edit("complaint_escalated", &|v| {
                v["event"]["level_name"] = "".into()
            }),
        ),
    ];
    for (case, value) in &cases {
        assert!(!reads(value), "the reader takes {case}");
        assert!(
            !validator.is_valid(value),
            "the schema takes {case}: {value}"
        );
    }
    assert!(validator.is_valid(&fixture("customer_renamed")));
    // The forms of a UUID the reader takes, the schema takes.
    for id in [
        "0191f3c4-0000-7000-8000-0000000000c1",
        "0191F3C4-0000-7000-8000-0000000000C1",
        "{0191f3c4-0000-7000-8000-0000000000c1}",
        "urn:uuid:0191f3c4-0000-7000-8000-0000000000c1",
        "0191f3c400007000800000000000000c1",
    ] {
        let value = edit("customer_renamed", &|v| v["customer"] = id.into());
        assert_eq!(validator.is_valid(&value), reads(&value), "{id}");
    }
}

/// Hostile values put in place of one value of an envelope.
fn hostile() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::from("")),
        Just(Value::from("   ")),
        Just(Value::from("x".repeat(4001))),
        Just(Value::from("not-a-uuid")),
        Just(Value::from(-1)),
        Just(Value::from(0)),
        Just(Value::from(6)),
        Just(Value::from(9)),
        Just(Value::from(11)),
        Just(Value::from(99)),
        Just(Value::from(256)),
        Just(Value::from(i64::MAX)),
    ]
}

/// The paths of the scalar values in `value`.
fn leaves(value: &Value, path: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
    match value {
        Value::Object(map) => {
            for (key, inner) in map {
                path.push(key.clone());
                leaves(inner, path, out);
                path.pop();
            }
        }
        Value::Array(items) => {
            for (n, inner) in items.iter().enumerate() {
                path.push(n.to_string());
                leaves(inner, path, out);
                path.pop();
            }
        }
        Value::Null | Value::Bool(_) | Value::Number(_) | Value::String(_) => {
            out.push(path.clone())
        }
    }
}

fn at_path<'a>(value: &'a mut Value, path: &[String]) -> &'a mut Value {
    path.iter().fold(value, |v, key| match v {
        Value::Array(items) => &mut items[key.parse::<usize>().unwrap()],
        _ => &mut v[key.as_str()],
    })
}

proptest! {
    /// Generated envelopes with one value made hostile: where the reader refuses one for its
    /// value, the schema refuses it too (formats asserted, as a strict validator does).
    #[test]
    fn the_schema_refuses_what_the_reader_refuses(
        envelope in arb::envelope(),
        pick in any::<prop::sample::Index>(),
        bad in hostile(),
    ) {
        let validator = strict_validator();
        let mut value = serde_json::to_value(&envelope).unwrap();
        prop_assume!(reads(&value));
        // What the reader takes, the schema takes (formats not asserted: years past 9999,
        // which chrono reads, are no RFC 3339 date-time).
        prop_assert!(lenient_validator().is_valid(&value), "the schema refuses what the reader takes: {value}");
        let mut paths = Vec::new();
        leaves(&value, &mut Vec::new(), &mut paths);
        let path = pick.get(&paths).clone();
        // The kind tag and the tags of tagged values are the reader's to dispatch on.
        prop_assume!(!matches!(path.last().map(String::as_str), Some("type" | "kind" | "status" | "reason" | "subject" | "family")));
        *at_path(&mut value, &path) = bad;
        if !reads(&value) {
            prop_assert!(!validator.is_valid(&value), "the schema takes what the reader refuses at {path:?}: {value}");
        }
    }
}

fn lenient_validator() -> &'static jsonschema::Validator {
    static VALIDATOR: std::sync::OnceLock<jsonschema::Validator> = std::sync::OnceLock::new();
    VALIDATOR.get_or_init(|| validator(&schema::envelope()))
}

fn strict_validator() -> &'static jsonschema::Validator {
    static VALIDATOR: std::sync::OnceLock<jsonschema::Validator> = std::sync::OnceLock::new();
    VALIDATOR.get_or_init(|| {
        jsonschema::options()
            .should_validate_formats(true)
            .build(schema::envelope().as_value())
            .expect("the exported schema is a valid schema")
    })
}

#[test]
fn descriptions_are_plain_text() {
    for schema in [schema::envelope(), schema::request(), schema::command()] {
        let text = serde_json::to_string(&schema).unwrap();
        for rust in ["](", "[`", "```", "crate::", "Ok::<"] {
            assert!(!text.contains(rust), "{rust} in a description");
        }
    }
}
