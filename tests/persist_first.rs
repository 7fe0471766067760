//! Persist before apply: `due_by` (pure) then `apply_all` gives what `advance_to` gives, for a
//! relationship and for a ledger; and `apply_all` is all or nothing. Case count:
//! `PROPTEST_CASES` (CI sets 256).

#[path = "support/arb.rs"]
mod arb;
mod support;

use chrono::{DateTime, TimeDelta, Utc};
use clientele::{
    Command, CustomerEvent, CustomerId, Envelope, Event, Ledger, RegisterCustomer, ReplayError,
    ServicePolicy,
};
use proptest::prelude::*;
use support::*;

const CUSTOMERS: [CustomerId; 3] = [
    CustomerId::from_u128(1),
    CustomerId::from_u128(2),
    CustomerId::from_u128(3),
];

/// One step of a history: a command for one of three customers, after a gap of up to a day.
fn step() -> impl Strategy<Value = (usize, Command, i64)> {
    (0..CUSTOMERS.len(), arb::command(), 0i64..=24 * 3600)
}

/// A ledger of three registered customers after `steps` (refused commands pass; nothing is
/// advanced), and the last instant.
fn book(policy: &ServicePolicy, steps: &[(usize, Command, i64)]) -> (Ledger, DateTime<Utc>) {
    let mut ledger = Ledger::new(policy.clone()).unwrap();
    let mut now = t("2026-03-02 08:00");
    for customer in CUSTOMERS {
        let register = RegisterCustomer::new(text("Customer"), tier("standard"));
        ledger.execute(customer, register, now).unwrap();
    }
    for (who, command, gap) in steps {
        now += TimeDelta::seconds(*gap);
        let _ = ledger.execute(CUSTOMERS[*who], command.clone(), now);
    }
    (ledger, now)
}

fn assert_same(a: &Ledger, b: &Ledger, now: DateTime<Utc>) {
    for customer in CUSTOMERS {
        assert_eq!(a.get(customer), b.get(customer), "{customer:?}");
    }
    assert_eq!(a.next_deadline(), b.next_deadline());
    assert_eq!(a.pending(), b.pending());
    assert_eq!(a.flags(now), b.flags(now));
}

proptest! {
    #[test]
    fn due_by_then_apply_all_equals_advance_to(
        steps in prop::collection::vec(step(), 0..24),
        ahead in 0i64..=30 * 24 * 3600,
    ) {
        let policy = hourly_response_policy();
        let (ledger, last) = book(&policy, &steps);
        let now = last + TimeDelta::seconds(ahead);

        // The book.
        let due = ledger.due_by(now);
        let mut advanced = ledger.clone();
        prop_assert_eq!(&advanced.advance_to(now), &due);
        let mut stored = ledger.clone();
        stored.apply_all(&due).unwrap();
        assert_same(&stored, &advanced, now);
        prop_assert!(stored.due_by(now).is_empty());

        // One relationship.
        let mut one = ledger.get(CUSTOMERS[0]).unwrap().clone();
        let due = one.due_by(&policy, now);
        let mut copy = one.clone();
        prop_assert_eq!(&copy.advance_to(&policy, now), &due);
        one.apply_all(&due).unwrap();
        prop_assert_eq!(&one, &copy);
        prop_assert!(one.due_by(&policy, now).is_empty());
    }
}

#[test]
fn due_by_changes_nothing() {
    let policy = hourly_response_policy();
    let (ledger, now) = book(&policy, &[]);
    let mut ledger = ledger;
    ledger
        .execute(CUSTOMERS[1], inbound(10, clientele::Channel::Email), now)
        .unwrap();
    let before = ledger.clone();
    let wake = ledger.next_deadline().unwrap().at;
    let due = ledger.due_by(wake);
    assert!(!due.is_empty());
    assert_same(&ledger, &before, wake);
    assert_eq!(ledger.due_by(wake), due, "asked twice, the same answer");
}

#[test]
fn a_refused_batch_changes_nothing() {
    let policy = hourly_response_policy();
    let (mut ledger, now) = book(&policy, &[]);
    ledger
        .execute(CUSTOMERS[0], inbound(10, clientele::Channel::Email), now)
        .unwrap();
    ledger
        .execute(CUSTOMERS[1], inbound(11, clientele::Channel::Email), now)
        .unwrap();
    let wake = now + TimeDelta::days(3);
    let mut due = ledger.due_by(wake);
    assert!(due.iter().any(|e| e.customer == CUSTOMERS[0]));
    assert!(due.iter().any(|e| e.customer == CUSTOMERS[1]));
    // The last event of the batch is damaged: the events before it, of both customers, are
    // not applied either.
    let last = due.last_mut().unwrap();
    last.seq += 5;
    let before = ledger.clone();
    assert!(matches!(
        ledger.apply_all(&due),
        Err(ReplayError::OutOfSequence { .. })
    ));
    assert_same(&ledger, &before, wake);

    // A relationship's batch, likewise.
    let mut ona = ledger.get(CUSTOMERS[0]).unwrap().clone();
    let mut due = ona.due_by(&policy, wake);
    assert!(due.len() > 1);
    let original = ona.clone();
    due.last_mut().unwrap().seq += 5;
    assert!(ona.apply_all(&due).is_err());
    assert_eq!(ona, original);
}

#[test]
fn a_batch_may_register_a_customer_and_refuses_an_unknown_one() {
    let policy = hourly_response_policy();
    let (mut ledger, now) = book(&policy, &[]);
    let newcomer = CustomerId::from_u128(9);
    let register = Command::from(RegisterCustomer::new(text("New"), tier("standard")));
    let events: Vec<Envelope> = ledger.decide(newcomer, &register, now).unwrap();
    assert!(matches!(
        events[0].event,
        Event::Customer(CustomerEvent::Registered { .. })
    ));
    // A message from a customer nobody registered.
    let message = Command::from(inbound(10, clientele::Channel::Email));
    let mut stranger = ledger.decide(CUSTOMERS[0], &message, now).unwrap()[0].clone();
    stranger.customer = CustomerId::from_u128(10);
    stranger.seq = 1;
    let before = ledger.clone();
    let batch = [events[0].clone(), stranger];
    assert!(matches!(
        ledger.apply_all(&batch),
        Err(ReplayError::UnknownCustomer { .. })
    ));
    assert_same(&ledger, &before, now);
    assert_eq!(ledger.len(), 3);
    ledger.apply_all(&events).unwrap();
    assert_eq!(ledger.len(), 4);
    assert!(ledger.get(newcomer).is_some());
}
