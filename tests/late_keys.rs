//! Facts reported late meet idempotency keys, chrono's limits and quarantine retries: probes a
//! reviewer wrote against issue 13's changes, kept as regressions.
mod support;

use chrono::{DateTime, TimeDelta, Utc};
use clientele::{Channel, IdempotencyKey, Ledger, RegisterCustomer, Request, ServicePolicy};
use support::*;

/// A keyed fact reported more than the idempotency window after it happened, retried at once
/// (a client timeout), must be honoured as a retry: nothing recorded, no error.
#[test]
fn a_late_keyed_fact_retried_at_once_is_a_retry() {
    let mut w = World::new(ServicePolicy::default(), "2026-03-01 09:00");
    w.given_customer(ONA, "standard");
    w.at("2026-03-06 09:00");
    let request = Request::new(inbound(1, Channel::Phone)).occurred_at(t("2026-03-03 09:00"));
    let request = Request {
        idempotency_key: Some(IdempotencyKey::new("call-1").unwrap()),
        ..request
    };
    let first = w
        .ledger
        .execute_request(ONA, request.clone(), w.now)
        .unwrap();
    assert!(!first.is_empty());
    // One minute later the client retries: within the 24 h window of when it was recorded.
    let retry = w
        .ledger
        .execute_request(ONA, request, w.now + TimeDelta::minutes(1));
    assert_eq!(retry, Ok(Vec::new()), "a retry one minute after recording");
}

/// Extremes of chrono's range for occurred_at / now.
#[test]
fn late_facts_at_chronos_limits_never_panic_and_replay_live() {
    let min = DateTime::<Utc>::MIN_UTC;
    let max = DateTime::<Utc>::MAX_UTC;
    let times = [
        min,
        min + TimeDelta::seconds(1),
        t("2026-03-06 09:00"),
        max - TimeDelta::seconds(1),
        max,
    ];
    for &reg in &times {
        for &occ in &times {
            for &now in &times {
                let mut ledger = Ledger::new(ServicePolicy::default()).unwrap();
                let mut log = Vec::new();
                let register = RegisterCustomer::new(text("C"), tier("standard")).owned_by(AGENT);
                if let Ok(e) =
                    ledger.execute_request(ONA, Request::new(register).occurred_at(reg), reg)
                {
                    log.extend(e);
                }
                for cmd in [
                    inbound(1, Channel::Email),
                    inbound(2, Channel::Phone),
                    outbound(3, Channel::Phone),
                ]
                .into_iter()
                {
                    if let Ok(e) =
                        ledger.execute_request(ONA, Request::new(cmd).occurred_at(occ), now)
                    {
                        log.extend(e);
                    }
                    let _ = ledger.flags(now);
                }
                log.extend(ledger.advance_to(max));
                let _ = ledger.flags(max);
                let replayed = Ledger::replay(ServicePolicy::default(), &log).unwrap();
                assert_eq!(replayed.quarantined().count(), 0, "{reg} {occ} {now}");
                assert_eq!(replayed.get(ONA), ledger.get(ONA), "{reg} {occ} {now}");
            }
        }
    }
}

/// Retry with junk: another customer's log, an empty log, a log without a registration.
#[test]
fn a_retry_with_the_wrong_log_keeps_the_quarantine() {
    let mut w = World::new(ServicePolicy::default(), "2026-03-01 09:00");
    w.given_customer(ONA, "standard");
    w.given_customer(PETRAS, "standard");
    w.at("2026-03-01 10:00");
    w.when(ONA, inbound(1, Channel::Email)).unwrap();
    let mut stored = w.log.clone();
    let last = stored.iter().rposition(|e| e.customer == ONA).unwrap();
    stored[last].seq = 9;
    let mut ledger = Ledger::replay(ServicePolicy::default(), &stored).unwrap();
    assert!(ledger.quarantine(ONA).is_some());
    let petras: Vec<_> = w
        .log
        .iter()
        .filter(|e| e.customer == PETRAS)
        .cloned()
        .collect();
    assert!(ledger.retry(ONA, &petras).is_err());
    assert!(ledger.quarantine(ONA).is_some());
    assert!(
        ledger
            .retry(ONA, Vec::<clientele::Envelope>::new())
            .is_err()
    );
    assert!(ledger.quarantine(ONA).is_some());
    assert!(ledger.retry(PETRAS, &petras).is_err());
    assert!(
        ledger
            .retry(clientele::CustomerId::from_u128(77), &petras)
            .is_err()
    );
    // A retry whose log is fine but only the registration: the customer is back, fewer events.
    let ona: Vec<_> = w
        .log
        .iter()
        .filter(|e| e.customer == ONA)
        .cloned()
        .collect();
    ledger.retry(ONA, &ona).unwrap();
    assert_eq!(ledger.get(ONA), w.ledger.get(ONA));
    assert_eq!(ledger.next_deadline(), w.ledger.next_deadline());
}
