//! The book at scale (issue 15): rebuilt from a stream of envelopes without holding the log,
//! iterated, saved and restored as a versioned snapshot that a tail of later events catches up,
//! and asked for one owner's work from an index that agrees with scanning every customer.

#[path = "support/arb.rs"]
mod arb;
#[path = "support/play.rs"]
mod play;
mod support;

use chrono::{DateTime, TimeDelta, Utc};
use clientele::flag::Owner;
use clientele::snapshot::{Encoding, SnapshotError, VERSION};
use clientele::{
    AgentId, Channel, CustomerId, DecodeError, Envelope, Ledger, LoadError, MakePromise, PromiseId,
    RegisterCustomer, Relationship, ServicePolicy, WorkList,
};
use play::{Step, step};
use proptest::prelude::*;
use support::*;

const ENCODINGS: [Encoding; 2] = [Encoding::Binary, Encoding::Json];

/// Ona (owned by AGENT) waiting for an answer with a promise open; Petras (no owner) waiting.
fn book() -> World {
    let mut w = World::new(ServicePolicy::default(), "2026-03-02 09:00");
    w.given_customer(ONA, "standard");
    let petras = RegisterCustomer::new(text("Petras"), tier("standard"));
    w.when(PETRAS, petras).unwrap();
    w.when(ONA, inbound(1, Channel::Email)).unwrap();
    w.when(PETRAS, inbound(2, Channel::Chat)).unwrap();
    let due = t("2026-03-04 12:00");
    let promise = MakePromise::new(PromiseId::from_u128(3), text("a call back"), due, AGENT);
    w.when(ONA, promise).unwrap();
    w
}

/// The events of `customer` in `log`, in order.
fn events_of(log: &[Envelope], customer: CustomerId) -> Vec<Envelope> {
    log.iter()
        .filter(|e| e.customer == customer)
        .cloned()
        .collect()
}

fn jsonl(log: &[Envelope]) -> String {
    log.iter()
        .map(|e| serde_json::to_string(e).unwrap() + "\n")
        .collect()
}

#[test]
fn a_book_loads_from_lines_decoded_one_at_a_time_and_stops_at_a_line_that_does_not_decode() {
    let w = book();
    let lines = jsonl(&w.log);
    let book = Ledger::try_replay(
        ServicePolicy::default(),
        lines.lines().map(Envelope::from_json),
    )
    .unwrap();
    assert_eq!(
        book.snapshot(Encoding::Binary),
        w.ledger.snapshot(Encoding::Binary)
    );

    let torn = lines.replacen("\n", "\n{\"v\":\n", 1);
    let refused = Ledger::try_replay(
        ServicePolicy::default(),
        torn.lines().map(Envelope::from_json),
    );
    assert!(
        matches!(refused, Err(LoadError::<DecodeError>::Source(_))),
        "{refused:?}"
    );
}

#[test]
fn the_book_iterates_its_live_customers_in_the_order_they_were_registered() {
    let w = book();
    let customers: Vec<CustomerId> = w.ledger.iter().map(|(c, _)| c).collect();
    assert_eq!(customers, vec![ONA, PETRAS]);
    for (customer, relationship) in w.ledger.iter() {
        assert_eq!(Some(relationship), w.ledger.get(customer));
    }
    // A customer held aside is not listed.
    let mut stored = w.log.clone();
    let petras_first = stored.iter().position(|e| e.customer == PETRAS).unwrap();
    stored[petras_first].seq = 9;
    let damaged = Ledger::replay(ServicePolicy::default(), &stored).unwrap();
    assert_eq!(
        damaged.iter().map(|(c, _)| c).collect::<Vec<_>>(),
        vec![ONA]
    );
}

#[test]
fn one_owners_work_list_holds_their_flags_and_deadlines_and_nobody_elses() {
    let mut w = book();
    w.at("2026-03-04 13:00");
    let now = w.now;
    let work = w.ledger.work_list(Owner::Agent(AGENT), now);
    assert!(!work.flags.is_empty());
    assert!(
        work.flags
            .iter()
            .all(|f| f.customer == ONA && f.owner == Some(AGENT))
    );
    assert!(work.due.iter().all(|d| d.customer == ONA));
    // Petras has no account owner: his wait is on nobody's work list (its flags are in
    // `flags`).
    assert!(
        w.ledger
            .flags(now)
            .iter()
            .any(|f| f.customer == PETRAS && f.owner.is_none())
    );
    assert_eq!(
        w.ledger
            .work_list(Owner::Agent(AgentId::from_u128(99)), now),
        WorkList::default()
    );
}

#[test]
fn a_snapshot_restores_the_book_and_the_events_after_it_catch_it_up() {
    let w = book();
    let split = 4;
    let head = Ledger::replay(ServicePolicy::default(), &w.log[..split]).unwrap();
    for encoding in ENCODINGS {
        let saved = head.snapshot(encoding).unwrap();
        let mut restored = Ledger::restore(ServicePolicy::default(), &saved).unwrap();
        restored.catch_up(&w.log[split..]);
        assert_eq!(
            restored.snapshot(Encoding::Json),
            w.ledger.snapshot(Encoding::Json)
        );
        assert_eq!(restored.next_deadline(), w.ledger.next_deadline());
    }
}

#[test]
fn a_snapshot_of_another_version_or_of_other_contents_is_refused_by_name() {
    let w = book();
    let binary = w.ledger.snapshot(Encoding::Binary).unwrap();
    for found in [0u16, 2, u16::MAX] {
        let mut other = binary.clone();
        other[8..10].copy_from_slice(&found.to_le_bytes());
        let expected = SnapshotError::UnsupportedVersion {
            found,
            supported: VERSION,
        };
        assert_eq!(
            Ledger::restore(ServicePolicy::default(), &other).err(),
            Some(expected)
        );
    }
    let json = String::from_utf8(w.ledger.snapshot(Encoding::Json).unwrap()).unwrap();
    let older = json.replacen("\"version\": 1", "\"version\": 0", 1);
    assert_eq!(
        Ledger::restore(ServicePolicy::default(), older.as_bytes()).err(),
        Some(SnapshotError::UnsupportedVersion {
            found: 0,
            supported: VERSION
        })
    );
    let ona = w.relationship(ONA).snapshot(Encoding::Binary).unwrap();
    assert!(matches!(
        Ledger::restore(ServicePolicy::default(), &ona),
        Err(SnapshotError::WrongContents {
            expected: "ledger",
            ..
        })
    ));
    assert!(matches!(
        Relationship::restore(&binary),
        Err(SnapshotError::WrongContents {
            expected: "relationship",
            ..
        })
    ));
    for junk in [
        &b""[..],
        b"CLTLSNAP",
        b"{}",
        b"[1,2]",
        &w.log[0].seq.to_le_bytes(),
    ] {
        assert!(Ledger::restore(ServicePolicy::default(), junk).is_err());
    }
    let mut trailing = binary;
    trailing.push(0);
    assert!(matches!(
        Ledger::restore(ServicePolicy::default(), &trailing),
        Err(SnapshotError::Malformed(_))
    ));
}

#[test]
fn a_book_naming_a_customer_twice_is_refused() {
    let w = book();
    let json = String::from_utf8(w.ledger.snapshot(Encoding::Json).unwrap()).unwrap();
    let mut frame: serde_json::Value = serde_json::from_str(&json).unwrap();
    let first = frame["body"]["customers"][0].clone();
    frame["body"]["customers"]
        .as_array_mut()
        .unwrap()
        .push(first);
    let twice = serde_json::to_vec(&frame).unwrap();
    assert!(matches!(
        Ledger::restore(ServicePolicy::default(), &twice),
        Err(SnapshotError::Malformed(_))
    ));
}

/// A customer held aside after the one named again is let go with the rest: the customers
/// registered next, in the positions they held, are live.
#[test]
fn a_customer_held_aside_after_one_named_again_leaves_no_trace() {
    let w = book();
    let stray = CustomerId::from_u128(0x5a);
    let mut orphan = w.log[w.log.len() - 1].clone();
    orphan.customer = stray;
    let mut damaged = w.log.clone();
    damaged.push(orphan);
    let held = Ledger::replay(ServicePolicy::default(), &damaged).unwrap();
    assert!(held.quarantine(stray).is_some());
    let json = String::from_utf8(held.snapshot(Encoding::Json).unwrap()).unwrap();
    let frame: serde_json::Value = serde_json::from_str(&json).unwrap();
    let mut body = frame["body"].clone();
    let customers = body["customers"].as_array_mut().unwrap();
    // Ona, Petras, Ona again, the stray held aside.
    let (ona, stray_entry) = (customers[0].clone(), customers[2].clone());
    customers.truncate(2);
    customers.extend([ona, stray_entry]);

    let mut loaded = Ledger::new(ServicePolicy::default()).unwrap();
    let read = loaded.load_book(&mut serde_json::Deserializer::from_str(&body.to_string()));
    assert!(read.is_err());
    assert_eq!(loaded.quarantined().count(), 0);
    let now = t("2026-03-02 10:00");
    for n in [0x61, 0x62] {
        let register = RegisterCustomer::new(text("Newcomer"), tier("standard"));
        assert!(
            loaded
                .execute(CustomerId::from_u128(n), register, now)
                .is_ok()
        );
    }
    assert_eq!(loaded.iter().count(), 4);
}

/// A book loaded into a ledger stops at a customer named a second time, or one the ledger
/// already holds: the customers read before it stay, each found under its id and filed, and
/// nothing after it is added.
#[test]
fn a_book_loaded_into_a_ledger_stops_at_a_customer_named_again() {
    let w = book();
    let json = String::from_utf8(w.ledger.snapshot(Encoding::Json).unwrap()).unwrap();
    let frame: serde_json::Value = serde_json::from_str(&json).unwrap();
    let mut body = frame["body"].clone();
    let ona = body["customers"][0].clone();
    body["customers"].as_array_mut().unwrap().push(ona);
    let text = body.to_string();

    let mut loaded = Ledger::new(ServicePolicy::default()).unwrap();
    assert!(
        loaded
            .load_book(&mut serde_json::Deserializer::from_str(&text))
            .is_err()
    );
    assert_eq!(loaded, w.ledger, "both customers, Ona once");
    assert_eq!(loaded.next_deadline(), w.ledger.next_deadline());

    let petras = events_of(&w.log, PETRAS);
    let mut holding = Ledger::replay(ServicePolicy::default(), &petras).unwrap();
    let mut reversed = frame["body"].clone();
    reversed["customers"].as_array_mut().unwrap().reverse();
    let refused = holding.load_book(&mut serde_json::Deserializer::from_str(
        &reversed.to_string(),
    ));
    assert!(refused.unwrap_err().to_string().contains("appears twice"));
    assert_eq!(
        holding.len(),
        1,
        "Petras is held already: the read stops at him"
    );
    assert_eq!(holding.get(PETRAS), w.ledger.get(PETRAS));
    assert_eq!(holding.get(ONA), None);
    reversed["customers"].as_array_mut().unwrap().reverse();
    let refused = holding.load_book(&mut serde_json::Deserializer::from_str(
        &reversed.to_string(),
    ));
    assert!(refused.is_err());
    assert_eq!(
        holding.get(ONA),
        w.ledger.get(ONA),
        "Ona, read before him, stays"
    );
    assert_eq!(
        holding
            .work_list(Owner::Agent(AGENT), t("2026-03-05 09:00"))
            .flags
            .len(),
        w.ledger
            .work_list(Owner::Agent(AGENT), t("2026-03-05 09:00"))
            .flags
            .len()
    );
}

#[test]
fn a_quarantined_customer_stays_held_aside_across_a_snapshot() {
    let w = book();
    let mut stored = w.log.clone();
    let petras_first = stored.iter().position(|e| e.customer == PETRAS).unwrap();
    stored[petras_first].seq = 9;
    let damaged = Ledger::replay(ServicePolicy::default(), &stored).unwrap();
    for encoding in ENCODINGS {
        let saved = damaged.snapshot(encoding).unwrap();
        let mut restored = Ledger::restore(ServicePolicy::default(), &saved).unwrap();
        assert_eq!(restored.quarantine(PETRAS), damaged.quarantine(PETRAS));
        assert!(restored.get(PETRAS).is_none());
        let petras = events_of(&w.log, PETRAS);
        restored.retry(PETRAS, &petras).unwrap();
        assert_eq!(restored.get(PETRAS), w.ledger.get(PETRAS));
    }
}

#[test]
fn books_are_equal_when_they_hold_the_same_customers_in_the_same_order_in_equal_states() {
    let w = book();
    let policy = ServicePolicy::default;
    let split = 4;
    let head = Ledger::replay(policy(), &w.log[..split]).unwrap();
    let mut restarted =
        Ledger::restore(policy(), &head.snapshot(Encoding::Binary).unwrap()).unwrap();
    restarted.catch_up(&w.log[split..]);
    assert_eq!(restarted, w.ledger);
    assert_eq!(Ledger::replay(policy(), &w.log).unwrap(), w.ledger);

    // One event short, another policy, the customers registered in the other order: unequal.
    assert_ne!(
        Ledger::replay(policy(), &w.log[..w.log.len() - 1]).unwrap(),
        w.ledger
    );
    let mut other = policy();
    other.complaints.follow_up_after = None;
    assert_ne!(Ledger::replay(other, &w.log).unwrap(), w.ledger);
    let mut swapped = w.log.clone();
    let petras_first = swapped.iter().position(|e| e.customer == PETRAS).unwrap();
    let petras = swapped.remove(petras_first);
    swapped.insert(0, petras);
    let swapped = Ledger::replay(policy(), &swapped).unwrap();
    assert_eq!(swapped.get(ONA), w.ledger.get(ONA));
    assert_eq!(swapped.get(PETRAS), w.ledger.get(PETRAS));
    assert_ne!(swapped, w.ledger);
}

#[test]
fn a_customer_held_aside_compares_by_why_not_by_what_was_folded_before_the_damage() {
    let w = book();
    // Ona's last event out of sequence: the replay folds her earlier events, then holds her aside.
    let damage = |seq| {
        let mut stored = w.log.clone();
        let ona_last = stored.iter().rposition(|e| e.customer == ONA).unwrap();
        stored[ona_last].seq = seq;
        Ledger::replay(ServicePolicy::default(), &stored).unwrap()
    };
    let damaged = damage(99);
    // The restored book keeps no state for Ona, only the quarantine: still the same book.
    let saved = damaged.snapshot(Encoding::Binary).unwrap();
    assert_eq!(
        Ledger::restore(ServicePolicy::default(), &saved).unwrap(),
        damaged
    );
    assert_ne!(damaged, w.ledger);
    assert_ne!(damage(98), damaged);
}

// ---------------------------------------------------------------------------------------------
// Properties over generated books.

/// Three customers (accounts owned by agents 1 and 2, and by nobody), played live.
fn played(steps: &[Step]) -> (Ledger, Vec<Envelope>, DateTime<Utc>) {
    play::played(&ServicePolicy::default(), steps, 0)
}

/// The owners worth asking about: the pool's agents, and every agent or team a flag names.
fn owners(ledger: &Ledger, at: DateTime<Utc>) -> Vec<Owner> {
    let mut owners: Vec<Owner> = (1..=4)
        .map(|n| Owner::Agent(AgentId::from_u128(n)))
        .collect();
    let flags = ledger.flags(at);
    owners.extend(flags.iter().filter_map(|f| f.owner.map(Owner::Agent)));
    owners.extend(flags.iter().filter_map(|f| f.team.map(Owner::Team)));
    owners.sort();
    owners.dedup();
    owners
}

/// The index answers as a scan of every customer would, now and later.
fn assert_index_agrees(ledger: &Ledger, now: DateTime<Utc>) -> Result<(), TestCaseError> {
    for later in [0, 1, 26, 24 * 40] {
        let at = now + TimeDelta::hours(later);
        let all = ledger.flags(at);
        for owner in owners(ledger, at) {
            let work = ledger.work_list(owner, at);
            let flags: Vec<_> = all.iter().filter(|f| f.is_for(owner)).cloned().collect();
            prop_assert_eq!(&work.flags, &flags, "flags of {:?} at {}", owner, at);
            let mut due: Vec<_> = ledger
                .iter()
                .flat_map(|(_, r)| r.work_list(owner, at).due)
                .collect();
            due.sort();
            prop_assert_eq!(&work.due, &due, "deadlines of {:?} at {}", owner, at);
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: ProptestConfig::default().cases.min(256), ..ProptestConfig::default() })]

    #[test]
    fn a_snapshot_and_the_events_after_it_equal_the_full_replay(
        steps in proptest::collection::vec(step(), 0..40),
        split in any::<proptest::sample::Index>(),
    ) {
        let (live, log, now) = played(&steps);
        let split = split.index(log.len() + 1);
        let full = Ledger::replay(ServicePolicy::default(), &log).unwrap();
        let head = Ledger::replay(ServicePolicy::default(), &log[..split]).unwrap();
        let expected = full.snapshot(Encoding::Binary).unwrap();
        prop_assert_eq!(&live.snapshot(Encoding::Binary).unwrap(), &expected);
        for encoding in ENCODINGS {
            let mut restored = Ledger::restore(ServicePolicy::default(), &head.snapshot(encoding).unwrap()).unwrap();
            restored.catch_up(&log[split..]);
            prop_assert_eq!(&restored.snapshot(Encoding::Binary).unwrap(), &expected);
            prop_assert!(restored == full && restored == live);
            prop_assert_eq!(restored.next_deadline(), full.next_deadline());
            assert_index_agrees(&restored, now)?;
            let later = now + TimeDelta::days(3);
            prop_assert_eq!(restored.clone().advance_to(later), full.clone().advance_to(later));
        }
        for (customer, relationship) in full.iter() {
            for encoding in ENCODINGS {
                let saved = relationship.snapshot(encoding).unwrap();
                prop_assert_eq!(&Relationship::restore(&saved).unwrap(), relationship, "{:?}", customer);
            }
        }
    }

    /// A snapshot saves each customer's next deadline with the fingerprint of the health rules
    /// it was worked out under: restored under other rules, the book works every deadline out
    /// again, and is the book a replay under those rules gives.
    #[test]
    fn a_snapshot_restored_under_other_health_rules_equals_the_replay_under_them(
        steps in proptest::collection::vec(step(), 0..40),
    ) {
        let (live, log, now) = played(&steps);
        let mut stricter = ServicePolicy::default();
        stricter.health.watch_below = 99;
        stricter.health.at_risk_below = 97;
        stricter.health.window = clientele::Span::days(2);
        let replayed = Ledger::replay(stricter.clone(), &log).unwrap();
        for encoding in ENCODINGS {
            let restored = Ledger::restore(stricter.clone(), &live.snapshot(encoding).unwrap()).unwrap();
            prop_assert_eq!(
                &restored.snapshot(Encoding::Binary).unwrap(),
                &replayed.snapshot(Encoding::Binary).unwrap()
            );
            prop_assert_eq!(restored.next_deadline(), replayed.next_deadline());
            prop_assert_eq!(restored.pending(), replayed.pending());
            let later = now + TimeDelta::days(3);
            prop_assert_eq!(restored.clone().advance_to(later), replayed.clone().advance_to(later));
        }
    }

    #[test]
    fn one_owners_work_list_agrees_with_a_scan_of_the_book(
        steps in proptest::collection::vec(step(), 0..40),
    ) {
        let (mut live, log, now) = played(&steps);
        assert_index_agrees(&live, now)?;
        let replayed = Ledger::replay(ServicePolicy::default(), &log).unwrap();
        assert_index_agrees(&replayed, now)?;
        // Deadlines firing move items between owners' lists: the index follows.
        live.advance_to(now + TimeDelta::days(2));
        assert_index_agrees(&live, now + TimeDelta::days(2))?;
    }

    #[test]
    fn restoring_hostile_bytes_refuses_them_without_a_panic(
        steps in proptest::collection::vec(step(), 0..12),
        cut in any::<proptest::sample::Index>(),
        flips in proptest::collection::vec((any::<proptest::sample::Index>(), any::<u8>()), 1..4),
        noise in proptest::collection::vec(any::<u8>(), 0..64),
    ) {
        let (live, _, _) = played(&steps);
        for encoding in ENCODINGS {
            let saved = live.snapshot(encoding).unwrap();
            let truncated = &saved[..cut.index(saved.len())];
            prop_assert!(Ledger::restore(ServicePolicy::default(), truncated).is_err());
            prop_assert!(Relationship::restore(truncated).is_err());
            let mut garbled = saved.clone();
            for (at, byte) in &flips {
                let at = at.index(garbled.len());
                garbled[at] = *byte;
            }
            let _ = Ledger::restore(ServicePolicy::default(), &garbled);
            let _ = Relationship::restore(&garbled);
            let mut noisy = saved[..11.min(saved.len())].to_vec();
            noisy.extend(&noise);
            let _ = Ledger::restore(ServicePolicy::default(), &noisy);
        }
    }
}
