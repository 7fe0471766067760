//! Concurrency and idempotency hooks: a request may carry the relationship version it expects
//! (a typed conflict if the relationship moved on) and an idempotency key (the same key twice
//! produces the events once, live and after replay).

mod support;

use clientele::ResponseEvent;
use clientele::{
    CommandError, Envelope, Event, IdempotencyKey, Ledger, RegisterCustomer, Relationship, Request,
    ServicePolicy,
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
    let mut ledger = Ledger::new(ServicePolicy::default()).unwrap();
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

/// A survey answer with a key, then `others` keyed requests (inbound questions), a minute
/// apart from 09:01 on.
fn answered_then_busy(w: &mut World, others: u128) -> Request {
    // An answer given unprompted: without its key, a second one would be recorded again.
    let answer = Request::new(clientele::AnswerSurvey {
        survey: None,
        answer: clientele::SurveyAnswer::Csat(clientele::CsatScore::new(4).unwrap()),
        comment: None,
    })
    .idempotent(key("survey-answer"));
    assert_eq!(execute(w, answer.clone()).unwrap().len(), 1);
    for n in 1..=others {
        w.now += chrono::TimeDelta::minutes(1);
        let question = Request::new(inbound(100 + n, clientele::Channel::Chat))
            .idempotent(key(&format!("k-{n}")));
        execute(w, question).unwrap();
        let answer = Request::new(outbound(10_000 + n, clientele::Channel::Chat));
        execute(w, answer).unwrap();
    }
    answer
}

#[test]
fn a_retry_within_the_window_is_never_recorded_twice_however_many_keyed_requests_came_between() {
    let mut w = registered();
    let answer = answered_then_busy(&mut w, 100);
    let version = w.relationship(ONA).version();
    // The client retries the survey answer 100 keyed requests and nearly two hours later.
    assert_eq!(execute(&mut w, answer.clone()), Ok(Vec::new()));
    // And again just before the 24 hours of the default window have passed.
    w.at("2026-03-03 08:59:59");
    assert_eq!(execute(&mut w, answer), Ok(Vec::new()));
    assert_eq!(w.relationship(ONA).version(), version);
    w.assert_replay_matches();
    // The replayed book honours the retry too.
    let replayed = Ledger::replay(ServicePolicy::default(), &w.log).unwrap();
    assert_eq!(replayed.get(ONA), w.ledger.get(ONA));
}

#[test]
fn a_key_reused_after_its_window_is_a_new_request() {
    let mut w = registered();
    let question = Request::new(inbound(1, clientele::Channel::Email)).idempotent(key("q-1"));
    execute(&mut w, question).unwrap();
    execute(&mut w, Request::new(outbound(2, clientele::Channel::Email))).unwrap();
    // 24 hours later, the same key comes with another question: a new request.
    w.at("2026-03-03 09:00");
    let again = Request::new(inbound(3, clientele::Channel::Email)).idempotent(key("q-1"));
    let events = execute(&mut w, again).unwrap();
    assert_eq!(
        kinds(events.iter().map(|e| &e.event)),
        ["interaction_recorded", "response_clock_started"]
    );
    assert_eq!(w.relationship(ONA).handled(&key("q-1")), Some(6..=7));
    w.assert_replay_matches();
}

#[test]
fn the_policy_sets_the_window() {
    let policy = ServicePolicy {
        idempotency_window: clientele::Span::hours(1),
        ..ServicePolicy::default()
    };
    let mut w = World::new(policy, "2026-03-02 09:00");
    w.given_customer(ONA, "standard");
    let question = Request::new(inbound(1, clientele::Channel::Email)).idempotent(key("q-1"));
    execute(&mut w, question.clone()).unwrap();
    w.at("2026-03-02 09:59:59");
    assert_eq!(execute(&mut w, question.clone()), Ok(Vec::new()));
    w.at("2026-03-02 10:00");
    // The window has passed: the same request is decided afresh (and the id is a duplicate).
    assert_eq!(
        execute(&mut w, question),
        Err(CommandError::DuplicateInteraction(
            clientele::InteractionId::from_u128(1)
        ))
    );
}

#[test]
fn keys_are_kept_seven_days_whatever_the_traffic() {
    let mut w = registered();
    let question = Request::new(inbound(1, clientele::Channel::Email)).idempotent(key("q-1"));
    execute(&mut w, question).unwrap();
    execute(&mut w, Request::new(outbound(2, clientele::Channel::Email))).unwrap();
    w.at("2026-03-09 08:59:59");
    execute(&mut w, Request::new(inbound(3, clientele::Channel::Email))).unwrap();
    assert_eq!(w.relationship(ONA).handled(&key("q-1")), Some(2..=3));
    // Seven days after the request, the next event forgets it: memory is bounded by time.
    w.at("2026-03-09 09:00");
    execute(&mut w, Request::new(outbound(4, clientele::Channel::Email))).unwrap();
    assert_eq!(w.relationship(ONA).handled(&key("q-1")), None);
    w.assert_replay_matches();
}

#[test]
fn an_idempotency_window_beyond_seven_days_or_empty_is_refused() {
    for window in [clientele::Span::ZERO, clientele::Span::days(8)] {
        let policy = ServicePolicy {
            idempotency_window: window,
            ..ServicePolicy::default()
        };
        assert_eq!(
            Ledger::new(policy).err(),
            Some(clientele::PolicyError::IdempotencyWindow {
                window,
                max: ServicePolicy::MAX_IDEMPOTENCY_WINDOW,
            })
        );
    }
}

#[test]
fn a_policy_stored_before_the_window_existed_reads_with_the_default() {
    let mut stored = serde_json::to_value(ServicePolicy::default()).unwrap();
    stored.as_object_mut().unwrap().remove("idempotency_window");
    let policy: ServicePolicy = serde_json::from_value(stored).unwrap();
    assert_eq!(policy.idempotency_window, clientele::Span::hours(24));
}

#[test]
fn a_stored_event_reusing_an_old_key_starts_a_new_request() {
    let mut w = registered();
    execute(
        &mut w,
        Request::new(inbound(1, clientele::Channel::Email)).idempotent(key("q-1")),
    )
    .unwrap();
    execute(&mut w, Request::new(outbound(2, clientele::Channel::Email))).unwrap();
    // A later event claims the first request's key: `apply` knows no policy, so it cannot
    // tell a forgery from a reuse after the window; it folds as a new request.
    let mut reused = w
        .ledger
        .decide(ONA, &inbound(3, clientele::Channel::Email).into(), w.now)
        .unwrap();
    for envelope in &mut reused {
        envelope.key = Some(key("q-1"));
    }
    let mut ona = w.relationship(ONA).clone();
    for envelope in &reused {
        ona.apply(envelope).unwrap();
    }
    assert_eq!(ona.handled(&key("q-1")), Some(6..=7));
    assert!(matches!(
        reused[0].event,
        Event::Response(ResponseEvent::InteractionRecorded { .. })
    ));
}
