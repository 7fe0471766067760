//! `Display` of events, flags, deadlines and subjects: a line of English for any value, with
//! no personal data in it.

#[path = "support/arb.rs"]
mod arb;

use chrono::{DateTime, Utc};
use clientele::flag::{Owner, Regarding};
use clientele::{
    AgentId, ComplaintId, CustomerId, Deadline, DeadlineKind, Event, Flag, FlagKind, Personal,
    PromiseId, Subject, Text,
};
use proptest::prelude::*;

const SECRET: &str = "Zelda Quist, 12 Secret Lane";

/// Every personal field of `event` set to one recognisable secret.
fn with_secrets(mut event: Event) -> Event {
    for personal in event.personal_mut() {
        *personal = Personal::from(Text::new(SECRET).unwrap());
    }
    event
}

proptest! {
    #[test]
    fn an_event_reads_as_one_line_of_words_without_personal_data(event in arb::event()) {
        let event = with_secrets(event);
        let line = event.to_string();
        prop_assert!(!line.contains("Zelda") && !line.contains("Secret"), "{line}");
        prop_assert!(!line.is_empty() && !line.contains('\n'), "{line:?}");
        prop_assert!(!line.contains(event.kind()), "the wire name leaks: {line}");
    }
}

#[test]
fn a_support_lead_reads_what_a_deadline_and_a_flag_say() {
    let at: DateTime<Utc> = "2026-03-02T13:00:00Z".parse().unwrap();
    let promise = PromiseId::from_u128(7);
    let deadline = Deadline {
        at,
        customer: CustomerId::from_u128(1),
        timer: clientele::flag::Timer::Promise {
            promise,
            timer: clientele::flag::PromiseTimer::Due,
        },
    };
    assert_eq!(
        deadline.to_string(),
        "promise due for promise 00000000-0000-0000-0000-000000000007, 2026-03-02 13:00 UTC"
    );
    let flag = Flag {
        kind: FlagKind::PromiseBroken,
        customer: CustomerId::from_u128(1),
        subject: Subject::Promise(promise),
        owner: Some(AgentId::from_u128(2)),
        team: None,
        since: at,
        due: Some(at),
    };
    assert_eq!(
        flag.to_string(),
        "promise broken: promise 00000000-0000-0000-0000-000000000007 since 2026-03-02 13:00 UTC, \
         due 2026-03-02 13:00 UTC (agent 00000000-0000-0000-0000-000000000002)"
    );
    assert!(flag.is_for(Owner::Agent(AgentId::from_u128(2))));
    assert_eq!(Subject::Relationship.to_string(), "the relationship");
    assert_eq!(
        Regarding::Complaint(ComplaintId::from_u128(3)).to_string(),
        "complaint 00000000-0000-0000-0000-000000000003"
    );
    for kind in DeadlineKind::ALL {
        let words = kind.to_string();
        assert!(!words.contains('_') && words.contains(' '), "{words}");
        assert!(!kind.flag_kind().to_string().contains('_'));
    }
}

#[test]
fn a_tier_or_level_name_with_a_line_break_still_reads_as_one_line() {
    // The reader takes a tier or a level name with a control character in it (the policy's
    // text, not the customer's); the line shown for the event stays one line.
    let fixture = |kind: &str| -> serde_json::Value {
        let path = format!(
            "{}/tests/fixtures/v3/{kind}.json",
            env!("CARGO_MANIFEST_DIR")
        );
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
    };
    let mut tier = fixture("tier_changed");
    tier["event"]["tier"] = "gold\nsilver".into();
    let mut escalated = fixture("complaint_escalated");
    escalated["event"]["level_name"] = "team\r\nlead\tdesk".into();
    for (value, shown) in [(tier, "gold silver"), (escalated, "team  lead desk")] {
        let line = clientele::Envelope::from_value(value)
            .unwrap()
            .event
            .to_string();
        assert!(!line.chars().any(char::is_control), "{line:?}");
        assert!(line.contains(shown), "{line:?}");
    }
}
