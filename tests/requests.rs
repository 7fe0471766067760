//! Concurrency and idempotency hooks: a request may carry the relationship version it expects
//! (a typed conflict if the relationship moved on) and an idempotency key (the same key twice
//! produces the events once, live and after replay).

mod support;

use clientele::ResponseEvent;
use clientele::{
    CommandError, Envelope, Event, IdempotencyKey, Ledger, RegisterCustomer, Relationship,
    ReplayError, Request, ServicePolicy,
};
use support::*;

fn key(s: &str) -> IdempotencyKey {
    IdempotencyKey::new(s).unwrap()
}

fn registered() -> World {
    let mut w = World::new(ServicePolicy::default(), "2026-03-02 09:00");
    w.given_customer(ONA, "standard");
    w
}

fn execute(w: &mut World, request: Request) -> Result<Vec<Envelope>, CommandError> {
    let envelopes = w.ledger.execute_request(ONA, request, w.now)?;
    w.log.extend(envelopes.iter().cloned());
    Ok(envelopes)
}

#[test]
fn the_same_key_twice_produces_the_events_once() {
    let mut w = registered();
    let question = Request::new(inbound(1, clientele::Channel::Email)).idempotent(key("q-1"));
    let first = execute(&mut w, question.clone()).unwrap();
    assert_eq!(
        kinds(first.iter().map(|e| &e.event)),
        ["interaction_recorded", "response_clock_started"]
    );
    assert!(first.iter().all(|e| e.key == Some(key("q-1"))));
    let version = w.relationship(ONA).version();
    // The client timed out and retried; later, again, with time moved on.
    assert_eq!(execute(&mut w, question.clone()), Ok(Vec::new()));
    w.at("2026-03-02 09:05");
    assert_eq!(execute(&mut w, question), Ok(Vec::new()));
    assert_eq!(w.relationship(ONA).version(), version);
    assert_eq!(w.relationship(ONA).handled(&key("q-1")), Some(2..=3));
    assert_eq!(w.relationship(ONA).handled(&key("q-2")), None);
    // A different key is a different request: the duplicate id is refused as usual.
    let other = Request::new(inbound(1, clientele::Channel::Email)).idempotent(key("q-2"));
    assert!(matches!(
        execute(&mut w, other),
        Err(CommandError::DuplicateInteraction(_))
    ));
    w.assert_replay_matches();
}

#[test]
fn keys_survive_replay() {
    let mut w = registered();
    let question = Request::new(inbound(1, clientele::Channel::Email)).idempotent(key("q-1"));
    execute(&mut w, question.clone()).unwrap();
    let replayed = Ledger::replay(ServicePolicy::default(), &w.log).unwrap();
    assert_eq!(
        replayed.decide_request(ONA, &question, w.now),
        Ok(Vec::new())
    );
    // The key travels on the wire.
    let stored = serde_json::to_string(&w.log).unwrap();
    let read: Vec<Envelope> = serde_json::from_str(&stored).unwrap();
    assert_eq!(read, w.log);
}

#[test]
fn a_stale_expected_version_is_a_typed_conflict_and_changes_nothing() {
    let mut w = registered();
    let seen = w.relationship(ONA).version();
    assert_eq!(seen, 1);
    execute(
        &mut w,
        Request::new(inbound(1, clientele::Channel::Email)).expecting(seen),
    )
    .unwrap();
    let before = w.relationship(ONA).clone();
    // A second agent decided against version 1 too.
    assert_eq!(
        execute(
            &mut w,
            Request::new(outbound(2, clientele::Channel::Email)).expecting(seen)
        ),
        Err(CommandError::VersionConflict {
            expected: 1,
            actual: 3,
        })
    );
    assert_eq!(*w.relationship(ONA), before);
    // Reloaded, it goes through.
    let now = before.version();
    execute(
        &mut w,
        Request::new(outbound(2, clientele::Channel::Email)).expecting(now),
    )
    .unwrap();
}

#[test]
fn a_new_customer_is_at_version_zero() {
    let mut ledger = Ledger::new(ServicePolicy::default());
    let now = t("2026-03-02 09:00");
    let register = || RegisterCustomer::new(text("Ona"), tier("standard"));
    assert_eq!(
        ledger.decide_request(ONA, &Request::new(register()).expecting(4), now),
        Err(CommandError::VersionConflict {
            expected: 4,
            actual: 0
        })
    );
    assert_eq!(
        ledger.decide_request(
            ONA,
            &Request::new(inbound(1, clientele::Channel::Chat)).expecting(2),
            now
        ),
        Err(CommandError::VersionConflict {
            expected: 2,
            actual: 0
        })
    );
    ledger
        .execute_request(ONA, Request::new(register()).expecting(0), now)
        .unwrap();
    assert_eq!(ledger.get(ONA).map(Relationship::version), Some(1));
}

#[test]
fn a_key_is_remembered_for_the_latest_keyed_requests_only() {
    let mut w = registered();
    let first = Request::new(inbound(1, clientele::Channel::Email)).idempotent(key("k-0"));
    execute(&mut w, first).unwrap();
    for n in 1..=Relationship::REMEMBERED_KEYS as u128 {
        let answer = Request::new(outbound(100 + n, clientele::Channel::Email))
            .idempotent(key(&format!("k-{n}")));
        execute(&mut w, answer).unwrap();
    }
    let ona = w.relationship(ONA);
    assert_eq!(ona.handled(&key("k-0")), None, "the oldest was forgotten");
    assert!(ona.handled(&key("k-1")).is_some());
    w.assert_replay_matches();
}

#[test]
fn a_stored_event_reusing_an_old_key_does_not_fit() {
    let mut w = registered();
    execute(
        &mut w,
        Request::new(inbound(1, clientele::Channel::Email)).idempotent(key("q-1")),
    )
    .unwrap();
    execute(&mut w, Request::new(outbound(2, clientele::Channel::Email))).unwrap();
    // A forged (or buggy) log: a later event claims the first request's key.
    let mut forged = w
        .ledger
        .decide(ONA, &inbound(3, clientele::Channel::Email).into(), w.now)
        .unwrap();
    forged[0].key = Some(key("q-1"));
    let mut ona = w.relationship(ONA).clone();
    let before = ona.clone();
    assert!(matches!(
        ona.apply(&forged[0]),
        Err(ReplayError::DoesNotFit { reason, .. }) if reason.contains("q-1")
    ));
    assert_eq!(ona, before);
    assert!(matches!(
        forged[0].event,
        Event::Response(ResponseEvent::InteractionRecorded { .. })
    ));
}
