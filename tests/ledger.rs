//! The ledger: many customers, one deadline index.

mod support;

use clientele::{Channel, CustomerId, DeadlineKind, Ledger, Relationship, ServicePolicy};
use support::*;

#[test]
fn relationship_and_ledger_are_send_and_sync() {
    fn assert_send_sync<T: Send + Sync + 'static>() {}
    assert_send_sync::<Relationship>();
    assert_send_sync::<Ledger>();
    assert_send_sync::<clientele::CommandError>();
    assert_send_sync::<clientele::ReplayError>();
}

fn book(n: u128) -> World {
    let mut w = World::new(ServicePolicy::default(), "2026-03-02 08:00");
    for c in 1..=n {
        w.given_customer(CustomerId::from_u128(c), "standard");
    }
    w
}

#[test]
fn the_next_deadline_is_the_earliest_of_any_customer() {
    let mut w = book(50);
    // Customer 30 writes first, customer 7 later, but urgently.
    w.at("2026-03-02 09:00");
    w.when(CustomerId::from_u128(30), inbound(1, Channel::Email))
        .unwrap();
    w.at("2026-03-02 10:00");
    w.when(
        CustomerId::from_u128(7),
        inbound(2, Channel::Phone).priority(clientele::Priority::Urgent),
    )
    .unwrap();
    let next = w.ledger.next_deadline().unwrap();
    assert_eq!(
        (next.customer, next.kind(), next.at),
        (
            CustomerId::from_u128(7),
            DeadlineKind::ResponseWarning,
            t("2026-03-02 10:48")
        )
    );
    assert_eq!(w.ledger.pending(), 2);
}

#[test]
fn advancing_touches_only_customers_that_are_due() {
    let mut w = book(20);
    w.at("2026-03-02 09:00");
    w.when(CustomerId::from_u128(3), inbound(1, Channel::Email))
        .unwrap();
    w.at("2026-03-02 13:00");
    w.when(CustomerId::from_u128(4), inbound(2, Channel::Email))
        .unwrap();
    let woke = w.ledger.advance_to(t("2026-03-02 17:00"));
    assert_eq!(
        envelope_kinds(&woke),
        ["response_at_risk", "response_overdue"]
    );
    assert!(woke.iter().all(|e| e.customer == CustomerId::from_u128(3)));
    let versions: Vec<u64> = (1..=20)
        .map(|c| w.ledger.get(CustomerId::from_u128(c)).unwrap().version())
        .collect();
    assert_eq!(versions.iter().filter(|v| **v == 1).count(), 18);
    // Customer 4 is next, at its warning.
    assert_eq!(
        w.ledger.next_deadline().unwrap().customer,
        CustomerId::from_u128(4)
    );
}

#[test]
fn a_whole_book_replays_to_the_same_ledger() {
    let mut w = book(10);
    for c in 1..=10u128 {
        w.at(&format!("2026-03-02 {:02}:00", 8 + c));
        w.when(CustomerId::from_u128(c), inbound(c, Channel::Chat))
            .unwrap();
        if c % 3 == 0 {
            w.when(CustomerId::from_u128(c), outbound(100 + c, Channel::Email))
                .unwrap();
        }
    }
    w.run_until("2026-03-03 12:00", 100);
    w.assert_replay_matches();
    let flags = w.ledger.flags(t("2026-03-03 12:00"));
    assert_eq!(flags.len(), 7);
    assert!(flags.windows(2).all(|p| p[0].customer < p[1].customer));
}

#[test]
fn registration_through_the_ledger_creates_the_customer_once() {
    let mut w = book(1);
    assert_eq!(w.ledger.len(), 1);
    let again = clientele::RegisterCustomer::new(text("Again"), tier("standard"));
    assert!(w.when(CustomerId::from_u128(1), again).is_err());
    assert_eq!(w.ledger.len(), 1);
}
