//! The snapshot format's golden fixture (see `clientele::snapshot` for the rules of change):
//! `tests/fixtures-snapshot/snapshot-v1.json` and `.bin` hold a book built from a fixed story.
//! Reading each and writing it again must give the same bytes, so any change to the serialized
//! shape of a state type (a field added, removed, renamed, reordered or retyped) fails here and calls
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
        .join("tests/fixtures-snapshot")
        .join(format!("snapshot-v{VERSION}.{extension}"))
}

/// The story, a step a line: minutes after the start, then `fire` (deadlines due by then
/// fire) or the customer (1 to 8) and the command in its wire form, where `"id:N"` stands for
/// the id `N` and `"at:M"` for the instant `M` minutes after the start. It leaves each
/// customer in other stages of its items (waiting, warned, overdue; promises open, at risk,
/// broken, kept, kept late, withdrawn, with a dependency and a revision; complaints received,
/// acknowledged, waiting with paused clocks, in progress after an escalation, resolved, closed;
/// follow-ups scheduled, overdue, done, cancelled; surveys pending, answered, voided; an
/// idempotency key); a ninth customer is held aside by a damaged event.
const STORY: &str = r#"
1 1 {"type":"record_interaction","interaction":"id:101","channel":"email","direction":"inbound","agent":null,"summary":"Where is my order?","awaits_reply":true,"priority":"normal"}
1 1 {"type":"make_promise","promise":"id:201","what":"a call back","due":"at:14400","owner":"id:161","fulfiller":{"by":"us"},"interaction":"id:101","complaint":null}
2 2 {"type":"record_interaction","interaction":"id:102","channel":"chat","direction":"inbound","agent":null,"summary":"Hello?","awaits_reply":true,"priority":"high"}
2 2 {"type":"make_promise","promise":"id:202","what":"a replacement","due":"at:240","owner":"id:162","fulfiller":{"by":"party","party":"id:301","name":"Lab"},"interaction":null,"complaint":null}
3 2 {"type":"record_dependency","promise":"id:202","party":"id:301","commitment":"lenses cut","reference":"JOB-7","due":"at:120"}
4 2 {"type":"revise_promise","promise":"id:202","due":"at:300","reason":"the lab is late","customer_agreed":true}
5 3 {"type":"make_promise","promise":"id:203","what":"a refund","due":"at:1440","owner":"id:161","fulfiller":{"by":"us"},"interaction":null,"complaint":null}
5 3 {"type":"make_promise","promise":"id:204","what":"a callback","due":"at:60","owner":"id:161","fulfiller":{"by":"us"},"interaction":null,"complaint":null}
5 3 {"type":"make_promise","promise":"id:205","what":"a visit","due":"at:600","owner":"id:162","fulfiller":{"by":"us"},"interaction":null,"complaint":null}
6 3 {"type":"withdraw_promise","promise":"id:205","reason":"not needed"}
10 4 {"type":"receive_complaint","complaint":"id:401","channel":"letter","summary":"scratched","priority":"high","interactions":[],"promises":[]}
11 4 {"type":"acknowledge_complaint","complaint":"id:401","by":"id:161"}
12 4 {"type":"assign_complaint","complaint":"id:401","owner":"id:162"}
13 4 {"type":"await_customer","complaint":"id:401"}
14 4 {"type":"receive_complaint","complaint":"id:402","channel":"phone","summary":"rude agent","priority":"normal","interactions":[],"promises":[]}
15 5 {"type":"receive_complaint","complaint":"id:501","channel":"email","summary":"late","priority":"low","interactions":[],"promises":[]}
16 5 {"type":"acknowledge_complaint","complaint":"id:501","by":"id:161"}
17 5 {"type":"resolve_complaint","complaint":"id:501","by":"id:161","remedy":"a voucher","apology":true,"summary":"sent again","follow_up":"id:601"}
18 5 {"type":"close_complaint","complaint":"id:501"}
19 5 {"type":"receive_complaint","complaint":"id:502","channel":"email","summary":"wrong size","priority":"high","interactions":[],"promises":[]}
20 5 {"type":"acknowledge_complaint","complaint":"id:502","by":"id:161"}
21 5 {"type":"escalate_complaint","complaint":"id:502","to_level":1,"owner":"id:162"}
22 5 {"type":"receive_complaint","complaint":"id:503","channel":"chat","summary":"broken","priority":"normal","interactions":[],"promises":[]}
23 5 {"type":"acknowledge_complaint","complaint":"id:503","by":"id:161"}
24 5 {"type":"resolve_complaint","complaint":"id:503","by":"id:161","remedy":null,"apology":false,"summary":"fixed","follow_up":"id:602"}
25 6 {"type":"request_survey","survey":"id:701","kind":"nps","complaint":null}
26 6 {"type":"request_survey","survey":"id:702","kind":"csat","complaint":null}
27 6 {"type":"answer_survey","survey":"id:702","answer":{"kind":"csat","score":2},"comment":"meh"}
28 6 {"type":"receive_complaint","complaint":"id:601","channel":"email","summary":"again","priority":"normal","interactions":[],"promises":[]}
29 6 {"type":"acknowledge_complaint","complaint":"id:601","by":"id:161"}
30 6 {"type":"resolve_complaint","complaint":"id:601","by":"id:161","remedy":null,"apology":true,"summary":"done","follow_up":"id:603"}
31 6 {"type":"request_survey","survey":"id:703","kind":"csat","complaint":"id:601"}
32 6 {"type":"reopen_complaint","complaint":"id:601","reason":"not done"}
33 7 {"type":"schedule_follow_up","follow_up":"id:801","owner":"id:161","due":"at:90","reason":"check in","complaint":null}
34 7 {"type":"schedule_follow_up","follow_up":"id:802","owner":"id:161","due":"at:600","reason":"check again","complaint":null}
35 7 {"type":"complete_follow_up","follow_up":"id:802","outcome":"satisfied","note":"fine"}
36 7 {"type":"schedule_follow_up","follow_up":"id:803","owner":"id:162","due":"at:900","reason":"maybe","complaint":null}
37 7 {"type":"cancel_follow_up","follow_up":"id:803","reason":"not needed"}
38 7 {"type":"schedule_follow_up","follow_up":"id:804","owner":"id:162","due":"at:43200","reason":"later","complaint":null}
40 8 {"type":"record_interaction","interaction":"id:103","channel":"email","direction":"inbound","agent":null,"summary":"Hi","awaits_reply":true,"priority":"normal"}
45 8 {"type":"record_interaction","interaction":"id:104","channel":"email","direction":"outbound","agent":"id:161","summary":"Hello","awaits_reply":false,"priority":"normal"}
50 4 {"type":"receive_complaint","complaint":"id:403","channel":"email","summary":"damaged box","priority":"low","interactions":[],"promises":[]}
51 4 {"type":"acknowledge_complaint","complaint":"id:403","by":"id:161"}
170 fire
180 3 {"type":"keep_promise","promise":"id:204"}
181 3 {"type":"keep_promise","promise":"id:203"}
400 fire
600 1 {"type":"record_interaction","interaction":"id:105","channel":"email","direction":"inbound","agent":null,"summary":"Still there?","awaits_reply":true,"priority":"normal"}
2280 7 {"type":"make_promise","promise":"id:206","what":"a courier","due":"at:2940","owner":"id:162","fulfiller":{"by":"us"},"interaction":null,"complaint":null}
2880 7 {"type":"record_interaction","interaction":"id:106","channel":"chat","direction":"inbound","agent":null,"summary":"Any news?","awaits_reply":true,"priority":"urgent"}
2925 6 {"type":"record_interaction","interaction":"id:107","channel":"phone","direction":"inbound","agent":null,"summary":"A question","awaits_reply":true,"priority":"low"}
2930 fire
"#;

/// The steps of [`STORY`]: minutes, customer and command (`None`: fire the deadlines).
fn steps() -> Vec<(i64, u128, Option<Command>)> {
    let start = t("2026-03-02 09:00");
    let mut steps = Vec::new();
    for line in STORY.lines().filter(|l| !l.is_empty()) {
        let (minutes, rest) = line.split_once(' ').unwrap();
        let minutes: i64 = minutes.parse().unwrap();
        if rest == "fire" {
            steps.push((minutes, 0, None));
            continue;
        }
        let (customer, mut json) = rest
            .split_once(' ')
            .map(|(c, j)| (c, j.to_owned()))
            .unwrap();
        while let Some(from) = json.find("\"id:").or_else(|| json.find("\"at:")) {
            let to = from + 1 + json[from + 1..].find('"').unwrap();
            let (kind, n) = json[from + 1..to].split_once(':').unwrap();
            let value = match kind {
                "id" => CustomerId::from_u128(n.parse().unwrap()).to_string(),
                _ => (start + TimeDelta::minutes(n.parse().unwrap()))
                    .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            };
            json.replace_range(from + 1..to, &value);
        }
        let command = serde_json::from_str(&json).unwrap_or_else(|e| panic!("{line}: {e}"));
        steps.push((minutes, customer.parse().unwrap(), Some(command)));
    }
    steps
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
            Some(command) => {
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
        // Closed promises and follow-ups are archived: their stage alone is kept.
        "\"kept\"",
        "\"kept_late\"",
        "\"withdrawn\"",
        "\"Acknowledged\"",
        "\"InProgress\"",
        "\"Resolved\"",
        "\"Closed\"",
        "\"Paused\"",
        "\"Stopped\"",
        "\"Scheduled\"",
        "\"done\"",
        "\"cancelled\"",
        "\"Answered\"",
        "\"Voided\"",
        "\"Pending\"",
        "\"revisions\": [\n",
        "\"dependency\": {",
        "\"Quarantined\"",
        "\"keys\": [\n",
        "\"record\": {",
        "\"conversation\": {",
        "\"item_facts\": [",
    ] {
        assert!(json.contains(shape), "the fixture holds no {shape}");
    }
}
