//! The snapshot format's golden fixture (see `clientele::snapshot` for the rules of change):
//! `tests/fixtures/snapshot-v1.json` and `.bin` hold a book built from a fixed story. Reading
//! each and writing it again must give the same bytes, so any change to the serialized shape of
//! a state type (a field added, removed, renamed, reordered or retyped) fails here and calls
//! for a new format version, with its own fixture beside this one.
//!
//! `BLESS=1 cargo test --test snapshot_format` writes the fixtures of the current version, and
//! refuses to overwrite existing ones: a published version's fixture never changes.

mod support;

use std::path::PathBuf;

use chrono::TimeDelta;
use clientele::snapshot::{Encoding, VERSION};
use clientele::{
    AgentId, Command, CustomerId, Envelope, IdempotencyKey, Ledger, RegisterCustomer, Relationship,
    Request, ServicePolicy,
};
use support::*;

fn fixture(extension: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(format!("snapshot-v{VERSION}.{extension}"))
}

/// One step of the story: minutes after the start, the customer (1 to 8), the command in its
/// wire form (`None`: fire the deadlines due by then).
type Step = (i64, u128, Option<serde_json::Value>);

fn id(n: u128) -> String {
    CustomerId::from_u128(n).to_string()
}

fn at(minutes: i64) -> String {
    (t("2026-03-02 09:00") + TimeDelta::minutes(minutes))
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// The story: eight customers, each left in other stages of its items (waiting, overdue,
/// promises open, broken, kept, kept late, withdrawn, with a dependency and a revision;
/// complaints received, waiting with paused clocks, in progress after an escalation, resolved,
/// closed; follow-ups scheduled, overdue, done, cancelled; surveys pending, answered, voided;
/// an idempotency key), and a ninth held aside by a damaged event.
fn steps() -> Vec<Step> {
    use serde_json::json;
    let a1 = id(0xa1);
    let a2 = id(0xa2);
    vec![
        (
            1,
            1,
            Some(
                json!({"type":"record_interaction","interaction":id(101),"channel":"email","direction":"inbound","agent":null,"summary":"Where is my order?","awaits_reply":true,"priority":"normal"}),
            ),
        ),
        (
            1,
            1,
            Some(
                json!({"type":"make_promise","promise":id(201),"what":"a call back","due":at(60 * 24 * 10),"owner":a1,"fulfiller":{"by":"us"},"interaction":id(101),"complaint":null}),
            ),
        ),
        (
            2,
            2,
            Some(
                json!({"type":"record_interaction","interaction":id(102),"channel":"chat","direction":"inbound","agent":null,"summary":"Hello?","awaits_reply":true,"priority":"high"}),
            ),
        ),
        (
            2,
            2,
            Some(
                json!({"type":"make_promise","promise":id(202),"what":"a replacement","due":at(240),"owner":a2,"fulfiller":{"by":"party","party":id(301),"name":"Lab"},"interaction":null,"complaint":null}),
            ),
        ),
        (
            3,
            2,
            Some(
                json!({"type":"record_dependency","promise":id(202),"party":id(301),"commitment":"lenses cut","reference":"JOB-7","due":at(120)}),
            ),
        ),
        (
            4,
            2,
            Some(
                json!({"type":"revise_promise","promise":id(202),"due":at(300),"reason":"the lab is late","customer_agreed":true}),
            ),
        ),
        (
            5,
            3,
            Some(
                json!({"type":"make_promise","promise":id(203),"what":"a refund","due":at(60 * 24),"owner":a1,"fulfiller":{"by":"us"},"interaction":null,"complaint":null}),
            ),
        ),
        (
            5,
            3,
            Some(
                json!({"type":"make_promise","promise":id(204),"what":"a callback","due":at(60),"owner":a1,"fulfiller":{"by":"us"},"interaction":null,"complaint":null}),
            ),
        ),
        (
            5,
            3,
            Some(
                json!({"type":"make_promise","promise":id(205),"what":"a visit","due":at(600),"owner":a2,"fulfiller":{"by":"us"},"interaction":null,"complaint":null}),
            ),
        ),
        (
            6,
            3,
            Some(json!({"type":"withdraw_promise","promise":id(205),"reason":"not needed"})),
        ),
        (
            10,
            4,
            Some(
                json!({"type":"receive_complaint","complaint":id(401),"channel":"letter","summary":"scratched","priority":"high","interactions":[],"promises":[]}),
            ),
        ),
        (
            11,
            4,
            Some(json!({"type":"acknowledge_complaint","complaint":id(401),"by":a1})),
        ),
        (
            12,
            4,
            Some(json!({"type":"assign_complaint","complaint":id(401),"owner":a2})),
        ),
        (
            13,
            4,
            Some(json!({"type":"await_customer","complaint":id(401)})),
        ),
        (
            14,
            4,
            Some(
                json!({"type":"receive_complaint","complaint":id(402),"channel":"phone","summary":"rude agent","priority":"normal","interactions":[],"promises":[]}),
            ),
        ),
        (
            15,
            5,
            Some(
                json!({"type":"receive_complaint","complaint":id(501),"channel":"email","summary":"late","priority":"low","interactions":[],"promises":[]}),
            ),
        ),
        (
            16,
            5,
            Some(json!({"type":"acknowledge_complaint","complaint":id(501),"by":a1})),
        ),
        (
            17,
            5,
            Some(
                json!({"type":"resolve_complaint","complaint":id(501),"by":a1,"remedy":"a voucher","apology":true,"summary":"sent again","follow_up":id(601)}),
            ),
        ),
        (
            18,
            5,
            Some(json!({"type":"close_complaint","complaint":id(501)})),
        ),
        (
            19,
            5,
            Some(
                json!({"type":"receive_complaint","complaint":id(502),"channel":"email","summary":"wrong size","priority":"high","interactions":[],"promises":[]}),
            ),
        ),
        (
            20,
            5,
            Some(json!({"type":"acknowledge_complaint","complaint":id(502),"by":a1})),
        ),
        (
            21,
            5,
            Some(json!({"type":"escalate_complaint","complaint":id(502),"to_level":1,"owner":a2})),
        ),
        (
            22,
            5,
            Some(
                json!({"type":"receive_complaint","complaint":id(503),"channel":"chat","summary":"broken","priority":"normal","interactions":[],"promises":[]}),
            ),
        ),
        (
            23,
            5,
            Some(json!({"type":"acknowledge_complaint","complaint":id(503),"by":a1})),
        ),
        (
            24,
            5,
            Some(
                json!({"type":"resolve_complaint","complaint":id(503),"by":a1,"remedy":null,"apology":false,"summary":"fixed","follow_up":id(602)}),
            ),
        ),
        (
            25,
            6,
            Some(json!({"type":"request_survey","survey":id(701),"kind":"nps","complaint":null})),
        ),
        (
            26,
            6,
            Some(json!({"type":"request_survey","survey":id(702),"kind":"csat","complaint":null})),
        ),
        (
            27,
            6,
            Some(
                json!({"type":"answer_survey","survey":id(702),"answer":{"kind":"csat","score":2},"comment":"meh"}),
            ),
        ),
        (
            28,
            6,
            Some(
                json!({"type":"receive_complaint","complaint":id(601),"channel":"email","summary":"again","priority":"normal","interactions":[],"promises":[]}),
            ),
        ),
        (
            29,
            6,
            Some(json!({"type":"acknowledge_complaint","complaint":id(601),"by":a1})),
        ),
        (
            30,
            6,
            Some(
                json!({"type":"resolve_complaint","complaint":id(601),"by":a1,"remedy":null,"apology":true,"summary":"done","follow_up":id(603)}),
            ),
        ),
        (
            31,
            6,
            Some(
                json!({"type":"request_survey","survey":id(703),"kind":"csat","complaint":id(601)}),
            ),
        ),
        (
            32,
            6,
            Some(json!({"type":"reopen_complaint","complaint":id(601),"reason":"not done"})),
        ),
        (
            33,
            7,
            Some(
                json!({"type":"schedule_follow_up","follow_up":id(801),"owner":a1,"due":at(90),"reason":"check in","complaint":null}),
            ),
        ),
        (
            34,
            7,
            Some(
                json!({"type":"schedule_follow_up","follow_up":id(802),"owner":a1,"due":at(600),"reason":"check again","complaint":null}),
            ),
        ),
        (
            35,
            7,
            Some(
                json!({"type":"complete_follow_up","follow_up":id(802),"outcome":"satisfied","note":"fine"}),
            ),
        ),
        (
            36,
            7,
            Some(
                json!({"type":"schedule_follow_up","follow_up":id(803),"owner":a2,"due":at(900),"reason":"maybe","complaint":null}),
            ),
        ),
        (
            37,
            7,
            Some(json!({"type":"cancel_follow_up","follow_up":id(803),"reason":"not needed"})),
        ),
        (
            38,
            7,
            Some(
                json!({"type":"schedule_follow_up","follow_up":id(804),"owner":a2,"due":at(60 * 24 * 30),"reason":"later","complaint":null}),
            ),
        ),
        (
            40,
            8,
            Some(
                json!({"type":"record_interaction","interaction":id(103),"channel":"email","direction":"inbound","agent":null,"summary":"Hi","awaits_reply":true,"priority":"normal"}),
            ),
        ),
        (
            45,
            8,
            Some(
                json!({"type":"record_interaction","interaction":id(104),"channel":"email","direction":"outbound","agent":a1,"summary":"Hello","awaits_reply":false,"priority":"normal"}),
            ),
        ),
        (
            50,
            4,
            Some(
                json!({"type":"receive_complaint","complaint":id(403),"channel":"email","summary":"damaged box","priority":"low","interactions":[],"promises":[]}),
            ),
        ),
        (
            51,
            4,
            Some(json!({"type":"acknowledge_complaint","complaint":id(403),"by":a1})),
        ),
        (170, 0, None),
        (
            180,
            3,
            Some(json!({"type":"keep_promise","promise":id(204)})),
        ),
        (
            181,
            3,
            Some(json!({"type":"keep_promise","promise":id(203)})),
        ),
        (400, 0, None),
        (
            600,
            1,
            Some(
                json!({"type":"record_interaction","interaction":id(105),"channel":"email","direction":"inbound","agent":null,"summary":"Still there?","awaits_reply":true,"priority":"normal"}),
            ),
        ),
        (
            60 * 38,
            7,
            Some(
                json!({"type":"make_promise","promise":id(206),"what":"a courier","due":at(60 * 49),"owner":a2,"fulfiller":{"by":"us"},"interaction":null,"complaint":null}),
            ),
        ),
        (
            60 * 48,
            7,
            Some(
                json!({"type":"record_interaction","interaction":id(106),"channel":"chat","direction":"inbound","agent":null,"summary":"Any news?","awaits_reply":true,"priority":"urgent"}),
            ),
        ),
        (
            60 * 48 + 45,
            6,
            Some(
                json!({"type":"record_interaction","interaction":id(107),"channel":"phone","direction":"inbound","agent":null,"summary":"A question","awaits_reply":true,"priority":"low"}),
            ),
        ),
        (60 * 48 + 50, 0, None),
    ]
}

fn story() -> Ledger {
    let mut ledger = Ledger::new(ServicePolicy::default()).unwrap();
    let start = t("2026-03-02 09:00");
    for n in 1..=8u128 {
        let register = RegisterCustomer::new(text("Customer"), tier("standard"));
        let register = if n == 3 {
            register
        } else {
            register.owned_by(AgentId::from_u128(0xa1))
        };
        ledger
            .execute(CustomerId::from_u128(n), register, start)
            .unwrap();
    }
    for (minutes, customer, command) in steps() {
        let now = start + TimeDelta::minutes(minutes);
        match command {
            None => {
                ledger.advance_to(now);
            }
            Some(json) => {
                let command: Command = serde_json::from_value(json).unwrap();
                let mut request = Request::new(command);
                if customer == 8 {
                    request =
                        request.idempotent(IdempotencyKey::new(format!("req-{minutes}")).unwrap());
                }
                let customer = CustomerId::from_u128(customer);
                ledger
                    .execute_request(customer, request, now)
                    .unwrap_or_else(|e| panic!("at {minutes}: {e}"));
            }
        }
    }
    let mut damaged: Vec<Envelope> = Ledger::new(ServicePolicy::default())
        .unwrap()
        .execute(
            CustomerId::from_u128(9),
            RegisterCustomer::new(text("Held aside"), tier("standard")),
            start,
        )
        .unwrap();
    damaged[0].seq = 3;
    ledger.catch_up(&damaged);
    ledger
}

#[test]
fn the_fixtures_read_back_to_the_same_bytes() {
    if std::env::var_os("BLESS").is_some() {
        let book = story();
        for (extension, encoding) in [("json", Encoding::Json), ("bin", Encoding::Binary)] {
            let path = fixture(extension);
            assert!(
                !path.exists(),
                "{} is published: never rewrite it",
                path.display()
            );
            std::fs::write(&path, book.snapshot(encoding).unwrap()).unwrap();
        }
    }
    let json = std::fs::read(fixture("json")).unwrap();
    let binary = std::fs::read(fixture("bin")).unwrap();
    let from_json = Ledger::restore(ServicePolicy::default(), &json).unwrap();
    let from_binary = Ledger::restore(ServicePolicy::default(), &binary).unwrap();
    assert_eq!(
        from_json.snapshot(Encoding::Json).unwrap(),
        json,
        "the JSON shape changed"
    );
    assert_eq!(
        from_binary.snapshot(Encoding::Binary).unwrap(),
        binary,
        "the binary shape changed"
    );
    assert_eq!(
        from_json.snapshot(Encoding::Binary).unwrap(),
        binary,
        "JSON and binary disagree"
    );
    assert_eq!(from_json.len(), 9);
    assert_eq!(from_json.quarantined().count(), 1);
    // Each relationship alone, in both encodings.
    for (_, relationship) in from_binary.iter() {
        for encoding in [Encoding::Json, Encoding::Binary] {
            let saved = relationship.snapshot(encoding).unwrap();
            assert_eq!(&Relationship::restore(&saved).unwrap(), relationship);
        }
    }
}

/// The fixture covers the state's shapes: every family's item and the stages that carry
/// data, so that a change to any of them fails the test above.
#[test]
fn the_fixture_holds_every_family_in_many_stages() {
    let json = String::from_utf8(std::fs::read(fixture("json")).unwrap()).unwrap();
    for shape in [
        "\"Waiting\"",
        "\"Warned\"",
        "\"Overdue\"",
        "\"AtRisk\"",
        "\"Broken\"",
        "\"Kept\"",
        "\"KeptLate\"",
        "\"Withdrawn\"",
        "\"Acknowledged\"",
        "\"InProgress\"",
        "\"Resolved\"",
        "\"Closed\"",
        "\"Paused\"",
        "\"Stopped\"",
        "\"Scheduled\"",
        "\"Done\"",
        "\"Cancelled\"",
        "\"Answered\"",
        "\"Voided\"",
        "\"Pending\"",
        "\"revisions\": [\n",
        "\"dependency\": {",
        "\"Quarantined\"",
        "\"keys\": [\n",
        "\"recent\": [\n",
    ] {
        assert!(json.contains(shape), "the fixture holds no {shape}");
    }
}
