//! Bad input: a typed error, and nothing changed. Never a panic.

mod support;

use chrono::{DateTime, TimeDelta, Utc};
use clientele::ResponseEvent;
use clientele::outcome::NoTarget;
use clientele::{
    Channel, Command, CommandError, CustomerId, Envelope, Event, InteractionId, Ledger,
    RecordInteraction, RegisterCustomer, Relationship, ReplayError, SCHEMA_VERSION, ServicePolicy,
    Span, UpdateProfile,
};
use support::*;

fn world() -> World {
    let mut world = World::new(ServicePolicy::default(), "2026-03-06 09:00");
    world.given_customer(ONA, "standard");
    world.when(ONA, inbound(1, Channel::Email)).unwrap();
    world
}

/// Runs `command` at `now` and checks it is refused with `expected` and changes nothing,
/// through both the ledger and the relationship.
fn assert_refused(
    w: &mut World,
    customer: CustomerId,
    command: impl Into<Command>,
    now: DateTime<Utc>,
    expected: CommandError,
) {
    let command = command.into();
    let before = w.ledger.get(customer).cloned();
    let deadline = w.ledger.next_deadline();
    assert_eq!(
        w.ledger.decide(customer, &command, now),
        Err(expected.clone())
    );
    assert_eq!(
        w.ledger.execute(customer, command.clone(), now),
        Err(expected.clone())
    );
    assert_eq!(w.ledger.get(customer).cloned(), before);
    assert_eq!(w.ledger.next_deadline(), deadline);
    if let Some(mut relationship) = before {
        let copy = relationship.clone();
        assert_eq!(
            relationship.execute(&ServicePolicy::default(), command, now),
            Err(expected)
        );
        assert_eq!(relationship, copy);
    }
}

#[test]
fn commands_for_an_unknown_customer_are_refused() {
    let mut w = world();
    let now = w.now;
    assert_refused(
        &mut w,
        PETRAS,
        inbound(9, Channel::Email),
        now,
        CommandError::UnknownCustomer(PETRAS),
    );
    assert_refused(
        &mut w,
        PETRAS,
        UpdateProfile {
            name: Some(text("x").into()),
            ..Default::default()
        },
        now,
        CommandError::UnknownCustomer(PETRAS),
    );
}

#[test]
fn registering_twice_is_refused() {
    let mut w = world();
    let now = w.now;
    assert_refused(
        &mut w,
        ONA,
        RegisterCustomer::new(text("Ona"), tier("gold")),
        now,
        CommandError::AlreadyRegistered(ONA),
    );
}

#[test]
fn time_running_backwards_is_refused_not_clamped() {
    let mut w = world();
    w.at("2026-03-06 12:00");
    w.when(ONA, inbound(2, Channel::Chat)).unwrap();
    let earlier = t("2026-03-06 11:00");
    assert_refused(
        &mut w,
        ONA,
        outbound(3, Channel::Phone),
        earlier,
        CommandError::TimeWentBackwards {
            now: earlier,
            last_seen: t("2026-03-06 12:00"),
        },
    );
}

#[test]
fn an_interaction_dated_before_registration_is_refused() {
    let mut w = World::new(ServicePolicy::default(), "2026-03-06 09:00");
    w.given_customer(ONA, "standard");
    let before = t("2026-03-05 09:00");
    assert_refused(
        &mut w,
        ONA,
        inbound(1, Channel::Email),
        before,
        CommandError::BeforeRegistration {
            now: before,
            registered: t("2026-03-06 09:00"),
        },
    );
}

#[test]
fn a_duplicate_interaction_id_is_refused() {
    let mut w = world();
    let now = w.now;
    assert_refused(
        &mut w,
        ONA,
        outbound(1, Channel::Email),
        now,
        CommandError::DuplicateInteraction(InteractionId::from_u128(1)),
    );
}

#[test]
fn contradictory_and_empty_commands_are_refused() {
    let mut w = world();
    let now = w.now;
    let mut awaiting = outbound(5, Channel::Email);
    awaiting.awaits_reply = true;
    assert_refused(
        &mut w,
        ONA,
        awaiting,
        now,
        CommandError::Contradictory("an outbound interaction cannot await a reply from us"),
    );
    let both = UpdateProfile {
        set_contacts: [(Channel::Sms, text("+370 600 00000").into())].into(),
        remove_contacts: [Channel::Sms].into(),
        ..Default::default()
    };
    assert_refused(
        &mut w,
        ONA,
        both,
        now,
        CommandError::Contradictory("a contact point is both set and removed"),
    );
    assert_refused(
        &mut w,
        ONA,
        UpdateProfile::default(),
        now,
        CommandError::NothingToChange,
    );
    let same = UpdateProfile {
        tier: Some(tier("standard")),
        ..Default::default()
    };
    assert_refused(&mut w, ONA, same, now, CommandError::NothingToChange);
}

#[test]
fn timestamps_at_chronos_limits_record_the_fact_with_no_target_not_panics() {
    let far = DateTime::<Utc>::MAX_UTC - TimeDelta::hours(1);
    let mut ledger = Ledger::new(ServicePolicy::default()).unwrap();
    ledger
        .execute(
            ONA,
            RegisterCustomer::new(text("Ona"), tier("standard")),
            far,
        )
        .unwrap();
    // The deadline cannot be represented: the message is recorded, its clock has no target.
    let command: Command = inbound(1, Channel::Email).into();
    let events = ledger.execute(ONA, command, far).unwrap();
    assert!(
        matches!(
            &events[1].event,
            Event::Response(ResponseEvent::ClockStarted {
                due: None,
                no_target: Some(NoTarget::OutOfRange),
                ..
            })
        ),
        "{events:?}"
    );
    assert_eq!(ledger.get(ONA).unwrap().version(), 3);
    assert_eq!(
        ledger.next_deadline(),
        None,
        "a clock with no target never falls due"
    );

    // At the very end of time, nothing to add: registering and advancing are fine.
    let end = DateTime::<Utc>::MAX_UTC;
    let mut ledger = Ledger::new(ServicePolicy::default()).unwrap();
    ledger
        .execute(
            ONA,
            RegisterCustomer::new(text("Ona"), tier("standard")),
            DateTime::<Utc>::MIN_UTC,
        )
        .unwrap();
    assert!(ledger.advance_to(end).is_empty());
    ledger
        .execute(ONA, outbound(1, Channel::Email), end)
        .unwrap();
    // A huge policy target is bounded by Span::MAX and still fails cleanly near the end.
    let mut policy = ServicePolicy::default();
    policy.first_response.default.normal = Span::MAX;
    let mut relationship = ledger.get(ONA).unwrap().clone();
    let events = relationship
        .execute(&policy, inbound(2, Channel::Email), end)
        .unwrap();
    assert!(matches!(
        &events[1].event,
        Event::Response(ResponseEvent::ClockStarted {
            no_target: Some(NoTarget::OutOfRange),
            ..
        })
    ));
}

fn log() -> Vec<Envelope> {
    world().log
}

#[test]
fn replay_refuses_events_that_do_not_belong_and_changes_nothing() {
    let log = log();
    let mut relationship = Relationship::replay(ONA, &log[..1]).unwrap();
    let before = relationship.clone();

    let mut other = log[1].clone();
    other.customer = PETRAS;
    assert_eq!(
        relationship.apply(&other),
        Err(ReplayError::WrongCustomer {
            expected: ONA,
            found: PETRAS
        })
    );

    let mut skipped = log[2].clone();
    skipped.seq = 3;
    assert_eq!(
        relationship.apply(&skipped),
        Err(ReplayError::OutOfSequence {
            customer: ONA,
            expected: 2,
            found: 3
        })
    );
    assert!(matches!(
        relationship.apply(&log[0]),
        Err(ReplayError::OutOfSequence { .. })
    ));

    let mut future = log[1].clone();
    future.v = SCHEMA_VERSION + 1;
    assert_eq!(
        relationship.apply(&future),
        Err(ReplayError::UnsupportedVersion {
            kind: "interaction_recorded",
            version: SCHEMA_VERSION + 1,
            supported: SCHEMA_VERSION
        })
    );

    let mut earlier = log[1].clone();
    earlier.at = log[0].at - TimeDelta::seconds(1);
    assert!(matches!(
        relationship.apply(&earlier),
        Err(ReplayError::OutOfOrder { .. })
    ));

    let mut misfit = log[1].clone();
    misfit.event = Event::Response(ResponseEvent::Overdue {
        since: InteractionId::from_u128(1),
        due: log[1].at,
    });
    assert!(matches!(
        relationship.apply(&misfit),
        Err(ReplayError::DoesNotFit {
            kind: "response_overdue",
            seq: 2,
            ..
        })
    ));

    let mut twice = log[0].clone();
    twice.seq = 2;
    assert!(matches!(
        relationship.apply(&twice),
        Err(ReplayError::DoesNotFit {
            kind: "customer_registered",
            ..
        })
    ));

    assert_eq!(relationship, before);
}

#[test]
fn ledger_replay_refuses_an_event_of_a_customer_never_registered() {
    let log = log();
    let mut ledger = Ledger::new(ServicePolicy::default()).unwrap();
    assert_eq!(
        ledger.apply(&log[1]),
        Err(ReplayError::UnknownCustomer {
            kind: "interaction_recorded",
            customer: ONA
        })
    );
    assert!(ledger.is_empty());
}

#[test]
fn a_stopped_clock_that_never_started_does_not_fit() {
    let log = log();
    let mut relationship = Relationship::replay(ONA, &log[..1]).unwrap();
    let mut stopped = log[1].clone();
    stopped.event = Event::Response(ResponseEvent::InteractionRecorded {
        interaction: InteractionId::from_u128(1),
        channel: Channel::Email,
        direction: clientele::Direction::Inbound,
        agent: None,
        summary: text("x").into(),
        awaits_reply: true,
        priority: clientele::Priority::Normal,
        regarding: vec![],
        regarding_complaints: vec![],
    });
    relationship.apply(&stopped).unwrap();
    let mut duplicate = stopped.clone();
    duplicate.seq = 3;
    assert!(matches!(
        relationship.apply(&duplicate),
        Err(ReplayError::DoesNotFit { .. })
    ));
}

#[test]
fn hostile_json_gives_errors() {
    for json in [
        "",
        "{",
        "null",
        r#"{"v":1}"#,
        r#"{"v":1,"customer":"x","seq":1,"at":"2026-03-06T09:00:00Z","event":{"type":"customer_registered","name":"A","tier":"gold"}}"#,
        r#"{"v":1,"customer":"00000000-0000-0000-0000-00000000000a","seq":1,"at":"2026-03-06T09:00:00Z","event":{"type":"no_such_event"}}"#,
        r#"{"v":1,"customer":"00000000-0000-0000-0000-00000000000a","seq":1,"at":"+999999-01-01T00:00:00Z","event":{"type":"customer_renamed","name":"A"}}"#,
        r#"{"v":99999999,"customer":"00000000-0000-0000-0000-00000000000a","seq":1,"at":"2026-03-06T09:00:00Z","event":{"type":"customer_renamed","name":"A"}}"#,
        r#"{"v":1,"customer":"00000000-0000-0000-0000-00000000000a","seq":-1,"at":"2026-03-06T09:00:00Z","event":{"type":"customer_renamed","name":""}}"#,
        r#"{"v":1,"customer":"00000000-0000-0000-0000-00000000000a","seq":1,"at":"2026-03-06T09:00:00Z","event":{"type":"response_clock_started","kind":"first_response","since":"00000000-0000-0000-0000-000000000001","priority":"normal","tier":"gold","target":-5,"due":"2026-03-06T09:00:00Z","warn_at":null}}"#,
    ] {
        assert!(
            serde_json::from_str::<Envelope>(json).is_err(),
            "accepted: {json}"
        );
    }
    let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    assert!(serde_json::from_str::<Envelope>(&deep).is_err());
}

#[test]
fn an_unregistered_relationship_refuses_everything_but_registration() {
    let relationship = Relationship::new(ONA);
    let command: Command =
        RecordInteraction::inbound(InteractionId::from_u128(1), Channel::Email, text("x")).into();
    assert_eq!(
        relationship.decide(&ServicePolicy::default(), &command, t("2026-03-06 09:00")),
        Err(CommandError::UnknownCustomer(ONA))
    );
}

/// A command, request or bare event that gives a key twice is ambiguous and refused, as 0.1
/// refused it ("duplicate field"): read "last one wins", `{"type":"keep_promise",
/// "type":"withdraw_promise", ..}` would withdraw a promise the client asked to keep.
#[test]
fn a_key_given_twice_in_a_command_request_or_event_is_refused() {
    let commands = [
        r#"{"type":"keep_promise","type":"withdraw_promise","promise":"00000000-0000-0000-0000-000000000001","reason":"x"}"#,
        r#"{"type":"register_customer","name":"Ona","name":"Petras","tier":"standard"}"#,
    ];
    for json in commands {
        let error = serde_json::from_str::<Command>(json).unwrap_err();
        assert!(error.to_string().contains("duplicate"), "{json}: {error}");
        let request = format!(r#"{{"command":{json}}}"#);
        let error = serde_json::from_str::<clientele::Request>(&request).unwrap_err();
        assert!(
            error.to_string().contains("duplicate"),
            "{request}: {error}"
        );
    }
    let events = [
        r#"{"type":"customer_renamed","name":"a","name":"b"}"#,
        r#"{"type":"customer_renamed","type":"tier_changed","tier":"gold","name":"a"}"#,
    ];
    for json in events {
        let error = serde_json::from_str::<Event>(json).unwrap_err();
        assert!(error.to_string().contains("duplicate"), "{json}: {error}");
    }
}

/// A `type` that is there but not a string is a bad `type`, not a missing one; an unknown
/// event kind names the kinds there are, as an unknown command names the commands.
#[test]
fn a_bad_type_tag_is_named_as_bad_and_an_unknown_kind_lists_the_kinds() {
    let error = serde_json::from_str::<Command>(r#"{"type":7,"name":"Ona"}"#).unwrap_err();
    assert!(!error.to_string().contains("missing"), "{error}");
    let error = serde_json::from_str::<Event>(r#"{"type":7}"#).unwrap_err();
    assert!(!error.to_string().contains("missing"), "{error}");
    let error = serde_json::from_str::<Command>("5").unwrap_err();
    assert!(!error.to_string().contains("missing"), "{error}");
    let error = serde_json::from_str::<Event>(r#"{"type":"customer_teleported"}"#).unwrap_err();
    assert!(error.to_string().contains("customer_registered"), "{error}");
}
