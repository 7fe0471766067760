//! A book that always loads (issue 13): one damaged stored event holds its customer aside
//! (quarantined, with the error, the customer, the sequence number and the kind); every other
//! customer is live; the service lists the quarantined and retries one after repair. And no
//! inconsistent policy reaches the engine through any constructor.

#[path = "support/arb.rs"]
mod arb;
mod support;

use chrono::{DateTime, TimeDelta, Utc};
use clientele::{
    Channel, CommandError, CustomerId, Envelope, Ledger, MakePromise, PolicyError, PromiseId,
    RegisterCustomer, Relationship, ReplayError, ServicePolicy,
};
use proptest::prelude::*;
use proptest::sample::Index;
use support::*;

/// Ona and Petras, each waiting for an answer, Ona with a promise.
fn book() -> World {
    let mut w = World::new(ServicePolicy::default(), "2026-03-02 09:00");
    w.given_customer(ONA, "standard");
    w.given_customer(PETRAS, "standard");
    w.when(ONA, inbound(1, Channel::Email)).unwrap();
    w.when(PETRAS, inbound(2, Channel::Chat)).unwrap();
    let due = t("2026-03-04 12:00");
    w.when(
        ONA,
        MakePromise::new(PromiseId::from_u128(3), text("a call back"), due, AGENT),
    )
    .unwrap();
    w
}

#[test]
fn a_hand_edited_envelope_holds_its_customer_aside_and_the_book_loads() {
    let w = book();
    let mut stored = w.log.clone();
    // Someone edited Ona's promise in the store: it now claims sequence 9.
    let edited = stored
        .iter_mut()
        .find(|e| e.customer == ONA && e.event.kind() == "promise_made")
        .unwrap();
    let seq = edited.seq;
    edited.seq = 9;
    let mut ledger = Ledger::replay(ServicePolicy::default(), &stored).unwrap();

    // Petras is live, as he was.
    assert_eq!(ledger.get(PETRAS), w.ledger.get(PETRAS));
    assert_eq!(ledger.next_deadline().map(|d| d.customer), Some(PETRAS));
    // Ona is held aside, with what went wrong and where.
    let quarantined: Vec<_> = ledger.quarantined().collect();
    assert_eq!(quarantined.len(), 1);
    let (customer, quarantine) = quarantined[0];
    assert_eq!(
        (customer, quarantine.seq, quarantine.kind),
        (ONA, 9, "promise_made")
    );
    assert_eq!(
        quarantine.error,
        ReplayError::OutOfSequence {
            customer: ONA,
            expected: seq,
            found: 9
        }
    );
    assert!(ledger.get(ONA).is_none());
    assert_eq!(ledger.len(), 2);
    // She decides nothing, raises no deadline and no flag, folds no event.
    let later = t("2026-03-05 09:00");
    assert_eq!(
        ledger.decide(ONA, &inbound(4, Channel::Chat).into(), later),
        Err(CommandError::Quarantined(ONA))
    );
    assert!(ledger.flags(later).iter().all(|f| f.customer != ONA));
    assert!(ledger.advance_to(later).iter().all(|e| e.customer != ONA));
    assert_eq!(
        ledger.apply(&w.log[w.log.len() - 1]),
        Err(ReplayError::Quarantined { customer: ONA })
    );
    // Repaired, she comes back as she was live.
    let hers: Vec<&Envelope> = w.log.iter().filter(|e| e.customer == ONA).collect();
    ledger.retry(ONA, hers).unwrap();
    assert_eq!(ledger.get(ONA), w.ledger.get(ONA));
    assert_eq!(ledger.quarantined().count(), 0);
    assert!(ledger.advance_to(later).iter().any(|e| e.customer == ONA));
    // A live customer is never replaced by a retry.
    assert_eq!(
        ledger.retry(PETRAS, &w.log),
        Err(ReplayError::NotQuarantined { customer: PETRAS })
    );
}

#[test]
fn a_live_customer_whose_tail_is_damaged_leaves_the_deadlines_and_work_lists_until_repaired() {
    let w = book();
    let mut ledger = Ledger::replay(ServicePolicy::default(), &w.log).unwrap();
    let agent = clientele::flag::Owner::Agent(AGENT);
    let later = t("2026-03-05 09:00");
    let has_work = |ledger: &Ledger, customer| {
        let work = ledger.work_list(agent, later);
        work.due.iter().any(|d| d.customer == customer)
            || work.flags.iter().any(|f| f.customer == customer)
    };
    assert!(has_work(&ledger, ONA));
    // The tail caught up after a restart holds an event of Ona's that claims a wrong sequence.
    let mut damaged = w.log.iter().rfind(|e| e.customer == ONA).unwrap().clone();
    damaged.seq += 5;
    ledger.catch_up([&damaged]);
    assert!(ledger.quarantine(ONA).is_some());
    // Filed nowhere any more: no deadline, no work, nothing fired for her.
    assert_eq!(ledger.next_deadline().map(|d| d.customer), Some(PETRAS));
    assert!(!has_work(&ledger, ONA));
    assert!(ledger.advance_to(later).iter().all(|e| e.customer != ONA));
    // Repaired, she is filed again as she was.
    let hers: Vec<&Envelope> = w.log.iter().filter(|e| e.customer == ONA).collect();
    ledger.retry(ONA, hers).unwrap();
    assert_eq!(ledger.get(ONA), w.ledger.get(ONA));
    assert!(has_work(&ledger, ONA));
    assert!(ledger.advance_to(later).iter().any(|e| e.customer == ONA));
}

#[test]
fn an_event_of_a_customer_never_registered_is_held_aside_under_that_customer() {
    let w = book();
    let stray = CustomerId::from_u128(0x5a);
    let mut stored = w.log.clone();
    let mut orphan = stored[stored.len() - 1].clone();
    orphan.customer = stray;
    stored.push(orphan.clone());
    let mut ledger = Ledger::replay(ServicePolicy::default(), &stored).unwrap();
    let quarantine = ledger.quarantine(stray).unwrap();
    assert_eq!(
        (quarantine.seq, quarantine.kind),
        (orphan.seq, orphan.event.kind())
    );
    assert_eq!(ledger.get(ONA), w.ledger.get(ONA));
    // A retry without a registration leaves it held aside.
    assert!(ledger.retry(stray, [orphan]).is_err());
    assert!(ledger.quarantine(stray).is_some());
}

#[test]
fn a_retry_that_fails_again_keeps_the_customer_aside_with_the_new_error() {
    let w = book();
    let mut stored = w.log.clone();
    stored.retain(|e| !(e.customer == PETRAS && e.seq == 2));
    let mut ledger = Ledger::replay(ServicePolicy::default(), &stored).unwrap();
    assert_eq!(ledger.quarantine(PETRAS).map(|q| q.skipped), Some(0));
    let his: Vec<Envelope> = stored
        .iter()
        .filter(|e| e.customer == PETRAS)
        .cloned()
        .collect();
    assert!(ledger.retry(PETRAS, &his).is_err());
    assert_eq!(ledger.quarantine(PETRAS).map(|q| q.seq), Some(3));
}

#[test]
fn a_book_streams_in_owned_envelopes_decoded_line_by_line() {
    let w = book();
    let lines: Vec<String> = w
        .log
        .iter()
        .map(|e| serde_json::to_string(e).unwrap())
        .collect();
    let decoded = lines.iter().map(|line| Envelope::from_json(line).unwrap());
    let ledger = Ledger::replay(ServicePolicy::default(), decoded).unwrap();
    assert_eq!(ledger.get(ONA), w.ledger.get(ONA));
    assert_eq!(ledger.get(PETRAS), w.ledger.get(PETRAS));
}

#[test]
fn no_inconsistent_policy_reaches_the_engine() {
    let mut policy = ServicePolicy::default();
    policy.complaints.levels.clear();
    assert_eq!(
        Ledger::new(policy.clone()).err(),
        Some(PolicyError::NoSupportLevels)
    );
    assert_eq!(
        Ledger::replay(policy.clone(), &book().log).err(),
        Some(PolicyError::NoSupportLevels)
    );
    let ona = Relationship::new(ONA);
    let register = RegisterCustomer::new(text("Ona"), tier("standard"));
    assert_eq!(
        ona.decide(&policy, &register.into(), t("2026-03-02 09:00")),
        Err(CommandError::Policy(PolicyError::NoSupportLevels))
    );
}

// ---------------------------------------------------------------------------------------------
// The property: a book with one damaged customer loads every other customer.

#[derive(Debug, Clone)]
enum Step {
    Inbound(u8, u16),
    Outbound(u8, u16),
    Promise(u8, u16),
    Advance(u16),
}

fn step(customers: u8) -> impl Strategy<Value = Step> {
    let minutes = 1u16..600;
    prop_oneof![
        3 => (0..customers, minutes.clone()).prop_map(|(c, m)| Step::Inbound(c, m)),
        2 => (0..customers, minutes.clone()).prop_map(|(c, m)| Step::Outbound(c, m)),
        2 => (0..customers, minutes.clone()).prop_map(|(c, m)| Step::Promise(c, m)),
        2 => minutes.prop_map(Step::Advance),
    ]
}

/// A book of 2 to 5 customers, played live; its stored log.
fn played(customers: u8, steps: &[Step]) -> (Ledger, Vec<Envelope>) {
    let customer = |c: u8| CustomerId::from_u128(u128::from(c) + 1);
    let mut ledger = Ledger::new(ServicePolicy::default()).unwrap();
    let mut log = Vec::new();
    let mut now = arb::base();
    for c in 0..customers {
        let register = RegisterCustomer::new(text("Customer"), tier("standard"));
        log.extend(ledger.execute(customer(c), register, now).unwrap());
    }
    for (n, step) in (10u128..).zip(steps) {
        let minutes = match step {
            Step::Inbound(_, m) | Step::Outbound(_, m) | Step::Promise(_, m) | Step::Advance(m) => {
                *m
            }
        };
        now += TimeDelta::minutes(i64::from(minutes));
        let result = match step {
            Step::Inbound(c, _) => ledger.execute(customer(*c), inbound(n, Channel::Chat), now),
            Step::Outbound(c, _) => ledger.execute(customer(*c), outbound(n, Channel::Chat), now),
            Step::Promise(c, m) => {
                let due = now + TimeDelta::minutes(i64::from(*m) * 3);
                let make = MakePromise::new(PromiseId::from_u128(n), text("it"), due, AGENT);
                ledger.execute(customer(*c), make, now)
            }
            Step::Advance(_) => Ok(ledger.advance_to(now)),
        };
        log.extend(result.unwrap_or_default());
    }
    (ledger, log)
}

/// Damage to one stored event, in the ways the hostile strategies of `arb` can produce.
#[derive(Debug, Clone)]
enum Damage {
    Version(u16),
    Seq(u64),
    At(DateTime<Utc>),
    Event(Box<clientele::Event>),
    Key(Option<clientele::IdempotencyKey>),
    Replaced(Box<Envelope>),
    Removed,
    Duplicated,
    SwappedWithNext,
}

fn damage() -> impl Strategy<Value = Damage> {
    prop_oneof![
        arb::version().prop_map(Damage::Version),
        arb::seq().prop_map(Damage::Seq),
        arb::instant().prop_map(Damage::At),
        arb::event().prop_map(|e| Damage::Event(Box::new(e))),
        proptest::option::of(arb::key()).prop_map(Damage::Key),
        arb::envelope().prop_map(|e| Damage::Replaced(Box::new(e))),
        Just(Damage::Removed),
        Just(Damage::Duplicated),
        Just(Damage::SwappedWithNext),
    ]
}

/// The customer's log, damaged at `at`.
fn damaged(mut log: Vec<Envelope>, at: usize, damage: &Damage) -> Vec<Envelope> {
    let customer = log[at].customer;
    match damage {
        Damage::Version(v) => log[at].v = *v,
        Damage::Seq(seq) => log[at].seq = *seq,
        Damage::At(instant) => log[at].at = *instant,
        Damage::Event(event) => log[at].event = (**event).clone(),
        Damage::Key(key) => log[at].key = key.clone(),
        Damage::Replaced(envelope) => {
            log[at] = Envelope {
                customer,
                ..(**envelope).clone()
            }
        }
        Damage::Removed => {
            log.remove(at);
        }
        Damage::Duplicated => log.insert(at, log[at].clone()),
        Damage::SwappedWithNext => {
            if at + 1 < log.len() {
                log.swap(at, at + 1);
            }
        }
    }
    log
}

proptest! {
    #[test]
    fn a_book_with_one_damaged_customer_loads_every_other_customer(
        (customers, steps) in (2u8..=5).prop_flat_map(|n| (Just(n), proptest::collection::vec(step(n), 0..30))),
        victim in any::<Index>(),
        at in any::<Index>(),
        damage in damage(),
    ) {
        let (live, log) = played(customers, &steps);
        let victim = CustomerId::from_u128(victim.index(usize::from(customers)) as u128 + 1);
        let (hers, others): (Vec<Envelope>, Vec<Envelope>) =
            log.iter().cloned().partition(|e| e.customer == victim);
        let broken = damaged(hers.clone(), at.index(hers.len()), &damage);
        // Stored as the book was: her (damaged) events in her places, in her order, the others
        // around them.
        let mut rest = broken.iter().cloned();
        let mut stored: Vec<Envelope> = log
            .iter()
            .filter_map(|e| if e.customer == victim { rest.next() } else { Some(e.clone()) })
            .collect();
        stored.extend(rest);
        prop_assert_eq!(stored.len(), others.len() + broken.len());
        let mut ledger = Ledger::replay(ServicePolicy::default(), &stored).unwrap();

        // Every other customer is live, as it was.
        for c in 1..=u128::from(customers) {
            let c = CustomerId::from_u128(c);
            if c != victim {
                prop_assert!(ledger.get(c).is_some());
                prop_assert_eq!(ledger.get(c), live.get(c));
            }
        }
        // Her log fails at its first event that does not fold, if any; she is held aside there.
        let mut alone = Relationship::new(victim);
        let first_misfit = broken.iter().position(|e| alone.apply(e).is_err());
        match first_misfit {
            None => {
                // The damage left a log that folds (or no log at all: she is not held).
                prop_assert!(ledger.quarantine(victim).is_none());
                let expected = (!broken.is_empty()).then_some(&alone);
                prop_assert_eq!(ledger.get(victim), expected);
            }
            Some(i) => {
                let quarantine = ledger.quarantine(victim);
                prop_assert!(quarantine.is_some(), "{:?} not quarantined", victim);
                let quarantine = quarantine.unwrap();
                prop_assert_eq!(quarantine.seq, broken[i].seq);
                prop_assert_eq!(quarantine.kind, broken[i].event.kind());
                prop_assert_eq!(quarantine.skipped, (broken.len() - i - 1) as u64);
                prop_assert!(ledger.get(victim).is_none());
                prop_assert!(ledger.next_deadline().is_none_or(|d| d.customer != victim));
                prop_assert_eq!(ledger.quarantined().map(|(c, _)| c).collect::<Vec<_>>(), vec![victim]);
                // Repaired, she comes back; the book is the live one again.
                prop_assert_eq!(ledger.retry(victim, &hers), Ok(()));
                prop_assert_eq!(ledger.get(victim), live.get(victim));
                prop_assert_eq!(ledger.next_deadline(), live.next_deadline());
                let later = arb::base() + TimeDelta::days(30);
                prop_assert_eq!(ledger.flags(later), live.flags(later));
            }
        }
    }
}
