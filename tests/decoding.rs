//! The streaming decoder of stored envelopes against hostile shapes: a megabyte of nested
//! arrays as the whole input, deep or wide nesting where a text belongs, and keys given twice
//! at every level. Each is refused by [`Envelope::from_json`] and by serde alike.
//!
//! `hostile_inputs_timed` (ignored) prints how long each hostile input takes to be refused and
//! how far the resident set grew meanwhile; run it in release, alone:
//!
//! ```sh
//! cargo test --release --test decoding -- --ignored --nocapture
//! for n in 0 1 2 3 4 5 6 7; do DECODING_CASE=$n cargo test --release --test decoding -- --ignored --nocapture; done
//! ```

use clientele::{DecodeError, Envelope};

const REGISTERED: &str = r#"{"v":2,"customer":"00000000-0000-0000-0000-00000000000a","seq":1,"at":"2026-03-06T16:30:00Z","event":{"type":"customer_registered","name":"Ona","tier":"gold","contacts":{"phone":"+370 600 00000","email":"ona@example.lt"},"preferred_channel":"email","owner":"00000000-0000-0000-0000-0000000000a1"}}"#;

/// Arrays nested `depth` deep, side by side until the text is `bytes` long: valid JSON, never
/// deeper than serde_json's limit of 128.
fn nested_arrays(bytes: usize, depth: usize) -> String {
    let chunk = format!("{}0{}", "[".repeat(depth), "]".repeat(depth));
    let mut out = String::with_capacity(bytes + chunk.len() + 2);
    out.push('[');
    while out.len() < bytes {
        if out.len() > 1 {
            out.push(',');
        }
        out.push_str(&chunk);
    }
    out.push(']');
    out
}

/// One array nested `depth` deep.
fn deep_array(depth: usize) -> String {
    format!("{}0{}", "[".repeat(depth), "]".repeat(depth))
}

/// The registration envelope with an unknown field `extra` holding `raw` in its event.
fn with_extra(raw: &str) -> String {
    REGISTERED.replacen(r#""name":"#, &format!(r#""extra":{raw},"name":"#), 1)
}

fn with_name(raw: &str) -> String {
    REGISTERED.replacen(r#""Ona""#, raw, 1)
}

/// Refused by `from_json`, `serde_json::from_str` and `serde_json::from_slice`; returns the
/// typed error.
fn refused(json: &str) -> DecodeError {
    assert!(serde_json::from_str::<Envelope>(json).is_err());
    assert!(serde_json::from_slice::<Envelope>(json.as_bytes()).is_err());
    match Envelope::from_json(json) {
        Ok(envelope) => panic!("accepted: {envelope:?}"),
        Err(e) => e,
    }
}

#[test]
fn the_valid_envelope_reads() {
    let envelope = Envelope::from_json(REGISTERED).unwrap();
    assert_eq!(envelope.event.kind(), "customer_registered");
    assert_eq!(
        serde_json::from_str::<Envelope>(REGISTERED).unwrap(),
        envelope
    );
}

#[test]
fn a_megabyte_of_nested_arrays_is_not_an_envelope() {
    for json in [nested_arrays(1 << 20, 64), deep_array(1 << 20)] {
        assert!(matches!(refused(&json), DecodeError::Malformed { .. }));
    }
}

#[test]
fn nesting_where_a_text_belongs_is_refused() {
    // Deeper than serde_json's limit: not JSON this decoder reads at all.
    for depth in [126, 129, 100_000, 1 << 20] {
        let json = with_name(&deep_array(depth));
        assert!(matches!(refused(&json), DecodeError::Malformed { .. }));
    }
    // Within the limit, but no event nests like that: the event is invalid.
    for raw in [deep_array(4), deep_array(125), nested_arrays(1 << 20, 64)] {
        let error = refused(&with_name(&raw));
        assert!(
            matches!(&error, DecodeError::Invalid { kind, version: 2, .. } if kind == "customer_registered"),
            "{error:?}"
        );
    }
    // A wrong shape as shallow as a valid one: invalid too, naming the type expected.
    let error = refused(&with_name(&nested_arrays(1 << 20, 1)));
    assert!(
        matches!(&error, DecodeError::Invalid { kind, .. } if kind == "customer_registered"),
        "{error:?}"
    );
}

#[test]
fn an_unknown_field_is_ignored_up_to_the_nesting_limit_and_refused_past_it() {
    // Room for fields a later build of the same version may add (event rule 2) ...
    let within = with_extra(&deep_array(15));
    assert!(Envelope::from_json(&within).is_ok(), "{within}");
    // ... but not so deep that serde would buffer it: refused before it is read.
    let past = with_extra(&deep_array(16));
    assert!(matches!(refused(&past), DecodeError::Invalid { .. }));
}

#[test]
fn a_key_given_twice_is_refused_at_every_level() {
    let cases = [
        // The envelope itself, the event, a value inside the event.
        REGISTERED.replacen(r#""seq":1,"#, r#""seq":1,"seq":1,"#, 1),
        REGISTERED.replacen(r#""v":2,"#, r#""v":2,"v":2,"#, 1),
        REGISTERED.replacen(r#""event":{"#, r#""event":{"tier":"gold","#, 1),
        REGISTERED.replacen(
            r#""type":"customer_registered","#,
            r#""type":"customer_registered","type":"customer_registered","#,
            1,
        ),
        REGISTERED.replacen(r#""contacts":{"#, r#""contacts":{"email":"a@b.lt","#, 1),
        // Inside values no field reads: unknown keys of the envelope and of the event.
        REGISTERED.replacen(r#""seq":1,"#, r#""seq":1,"note":{"a":1,"a":2},"#, 1),
        REGISTERED.replacen(
            r#""tier":"gold","#,
            r#""tier":"gold","x":[{"a":1,"a":1}],"#,
            1,
        ),
        // Given twice after a version this build does not read: still not an envelope.
        REGISTERED.replacen(r#""v":2,"#, r#""v":9,"#, 1).replacen(
            r#""contacts":{"#,
            r#""contacts":{"email":"a@b.lt","#,
            1,
        ),
    ];
    for json in cases {
        let error = refused(&json);
        assert!(
            matches!(&error, DecodeError::Malformed { reason } if reason.contains("duplicate")),
            "{json}: {error:?}"
        );
    }
}

#[test]
fn fields_in_any_order_are_read_and_checked_in_the_same_order() {
    // The event before the version: the version is still checked first.
    let late_version = r#"{"event":{"what":"Lenses ground","type":"dependency_recorded","promise":"00000000-0000-0000-0000-000000000001","party":"00000000-0000-0000-0000-000000000002","due":"2026-03-11T12:00:00Z"},"at":"2026-03-06T16:30:00Z","seq":7,"customer":"00000000-0000-0000-0000-00000000000a","v":1}"#;
    let envelope = Envelope::from_json(late_version).unwrap();
    assert_eq!(envelope.v, clientele::SCHEMA_VERSION);
    assert_eq!(
        serde_json::from_str::<Envelope>(late_version).unwrap(),
        envelope
    );
    let future = late_version.replace(r#""v":1"#, r#""v":4"#);
    assert_eq!(
        Envelope::from_json(&future),
        Err(DecodeError::UnsupportedVersion {
            kind: Some("dependency_recorded".into()),
            version: 4,
            supported: clientele::SCHEMA_VERSION,
        })
    );
    // A bad header field is named, wherever it stands.
    let error = Envelope::from_json(&late_version.replace(r#""seq":7"#, r#""seq":"7""#));
    assert!(
        matches!(&error, Err(DecodeError::Invalid { kind, version: 1, .. }) if kind == "dependency_recorded"),
        "{error:?}"
    );
    let error = Envelope::from_json(&late_version.replace(r#""seq":7,"#, ""));
    assert!(
        matches!(&error, Err(DecodeError::Invalid { reason, .. }) if reason.contains("`seq`")),
        "{error:?}"
    );
}

/// Resident set size and its peak, in bytes, from `/proc/self/status`.
fn resident() -> Option<(u64, u64)> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let field = |name: &str| -> Option<u64> {
        let line = status.lines().find(|l| l.starts_with(name))?;
        let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
        Some(kb * 1024)
    };
    Some((field("VmRSS:")?, field("VmHWM:")?))
}

#[test]
#[ignore = "timings; run in release with --ignored --nocapture"]
#[allow(clippy::disallowed_methods)] // a timing, not the model reading a clock
fn hostile_inputs_timed() {
    let cases = [
        (
            "1 MB of nested arrays (depth 64) as the input",
            nested_arrays(1 << 20, 64),
        ),
        (
            "1 MB of one array nested 0.5 M deep as the input",
            deep_array(1 << 19),
        ),
        (
            "1 MB of nested arrays (depth 64) in `name`",
            with_name(&nested_arrays(1 << 20, 64)),
        ),
        (
            "10 MB of nested arrays (depth 64) in `name`",
            with_name(&nested_arrays(10 << 20, 64)),
        ),
        (
            "1 MB of one array nested 0.5 M deep in `name`",
            with_name(&deep_array(1 << 19)),
        ),
        (
            "10 MB of one array nested 5 M deep in `name`",
            with_name(&deep_array(5 << 20)),
        ),
        (
            "1 MB of `[0]`s in `name`",
            with_name(&nested_arrays(1 << 20, 1)),
        ),
        (
            "10 MB of `[0]`s in `name`",
            with_name(&nested_arrays(10 << 20, 1)),
        ),
    ];
    // `DECODING_CASE=n` runs only the n-th, so its peak is not hidden by memory an earlier
    // case left to the allocator.
    let only: Option<usize> = std::env::var("DECODING_CASE")
        .ok()
        .and_then(|n| n.parse().ok());
    for (n, (name, json)) in cases.into_iter().enumerate() {
        if only.is_some_and(|only| only != n) {
            continue;
        }
        // Writing 5 to clear_refs resets the peak resident set (Linux 4.0 and later).
        let _ = std::fs::write("/proc/self/clear_refs", "5");
        let before = resident();
        let start = std::time::Instant::now();
        let result = Envelope::from_json(&json);
        let took = start.elapsed();
        let after = resident();
        assert!(result.is_err(), "{name}");
        let grew = match (before, after) {
            (Some((rss, _)), Some((_, peak))) => format!("{} KiB", peak.saturating_sub(rss) / 1024),
            _ => "?".into(),
        };
        println!(
            "{name}: refused in {:.2} ms, peak resident set +{grew} ({:?})",
            took.as_secs_f64() * 1e3,
            result
                .err()
                .map(|e| format!("{e}").chars().take(90).collect::<String>())
        );
    }
}

/// The reader before streaming, for comparison: the whole input into a strict JSON tree (a
/// key twice in any object refused), then [`Envelope::from_value`].
fn tree_decode(json: &str) -> Result<Envelope, DecodeError> {
    let value = strict::parse(json).map_err(|reason| DecodeError::Malformed { reason })?;
    Envelope::from_value(value)
}

mod strict {
    use serde::Deserialize;
    use serde::de::{self, Visitor};
    use serde_json::Value;

    struct Strict(Value);

    pub fn parse(json: &str) -> Result<Value, String> {
        serde_json::from_str::<Strict>(json)
            .map(|s| s.0)
            .map_err(|e| e.to_string())
    }

    impl<'de> Deserialize<'de> for Strict {
        fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            d.deserialize_any(V).map(Strict)
        }
    }

    struct V;

    impl<'de> Visitor<'de> for V {
        type Value = Value;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a JSON value")
        }
        fn visit_bool<E: de::Error>(self, v: bool) -> Result<Value, E> {
            Ok(v.into())
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Value, E> {
            Ok(v.into())
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value, E> {
            Ok(v.into())
        }
        fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
            serde_json::Number::from_f64(v)
                .map(Value::Number)
                .ok_or_else(|| E::custom("a number JSON cannot hold"))
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Value, E> {
            Ok(v.into())
        }
        fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
            Ok(Value::Null)
        }
        fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
            let mut items = Vec::new();
            while let Some(Strict(item)) = seq.next_element()? {
                items.push(item);
            }
            Ok(Value::Array(items))
        }
        fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
            let mut object = serde_json::Map::new();
            while let Some(key) = map.next_key::<String>()? {
                let Strict(value) = map.next_value()?;
                if object.contains_key(&key) {
                    return Err(de::Error::custom(format_args!("duplicate key {key:?}")));
                }
                object.insert(key, value);
            }
            Ok(Value::Object(object))
        }
    }
}

/// The error with its reason dropped: the variant and what it names.
fn verdict(result: &Result<Envelope, DecodeError>) -> String {
    match result {
        Ok(envelope) => format!("{envelope:?}"),
        Err(DecodeError::Malformed { .. }) => "Malformed".into(),
        Err(DecodeError::Invalid { kind, version, .. }) => format!("Invalid {kind} {version}"),
        Err(other) => format!("{other:?}"),
    }
}

#[test]
fn the_streaming_reader_gives_every_input_the_verdict_the_tree_reader_gave() {
    const VALUES: &[&str] = &[
        "null",
        "true",
        "0",
        "-1",
        "-0",
        "1.5",
        "1.0",
        "1e400",
        "18446744073709551616",
        "\"\"",
        "\"x\"",
        "\"\\ud800\"",
        "\"a\\u0062\"",
        "[]",
        "{}",
        "[1,2]",
        "[[[[0]]]]",
        "{\"a\":1,\"a\":1}",
        "{\"type\":\"no_such_event\"}",
        "\"2026-02-30T25:61:00Z\"",
    ];
    let mut cases = 0;
    for version in 1..=clientele::SCHEMA_VERSION {
        let dir = format!("{}/tests/fixtures/v{version}", env!("CARGO_MANIFEST_DIR"));
        for entry in std::fs::read_dir(dir).unwrap() {
            let json = std::fs::read_to_string(entry.unwrap().path()).unwrap();
            let value: serde_json::Value = serde_json::from_str(&json).unwrap();
            let mut inputs: Vec<String> = (0..json.len())
                .filter(|cut| json.is_char_boundary(*cut))
                .map(|cut| json[..cut].to_owned())
                .collect();
            let top = value.as_object().unwrap();
            let event = top["event"].as_object().unwrap();
            for raw in VALUES {
                for key in top.keys().map(String::as_str).chain(["extra"]) {
                    let mut copy = value.clone();
                    copy[key] = serde_json::Value::String("@@".into());
                    inputs.push(
                        serde_json::to_string(&copy)
                            .unwrap()
                            .replacen("\"@@\"", raw, 1),
                    );
                }
                for key in event.keys().map(String::as_str).chain(["extra"]) {
                    let mut copy = value.clone();
                    copy["event"][key] = serde_json::Value::String("@@".into());
                    let json = serde_json::to_string(&copy)
                        .unwrap()
                        .replacen("\"@@\"", raw, 1);
                    inputs.push(json);
                }
            }
            for json in inputs {
                let new = Envelope::from_json(&json);
                assert_eq!(verdict(&new), verdict(&tree_decode(&json)), "{json}");
                cases += 1;
            }
        }
    }
    assert!(cases > 10_000, "{cases}");
}
