//! Unit tests of the book that need the relationship's internals.

use chrono::{TimeDelta, TimeZone, Utc};

use super::Ledger;
use crate::customer::RegisterCustomer;
use crate::id::{AgentId, CustomerId, InteractionId};
use crate::policy::ServicePolicy;
use crate::relationship::Relationship;
use crate::response::RecordInteraction;
use crate::value::{Channel, Text, Tier};

/// A long-lived book: after each command, what it wrote is folded into the shared history,
/// so the next command's copies copy none of it (the cost of a command follows open work).
#[test]
fn a_book_folds_what_each_command_wrote_into_the_shared_history() {
    let customer = CustomerId::from_u128(1);
    let mut now = Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).single();
    let mut book = Ledger::new(ServicePolicy::default()).ok();
    let (Some(book), Some(start)) = (book.as_mut(), now.take()) else {
        panic!("a book and a start");
    };
    let text = |s: &str| Text::new(s).ok().unwrap_or_else(|| panic!("text"));
    let tier = Tier::new("standard").ok().unwrap_or_else(|| panic!("tier"));
    assert!(
        book.execute(customer, RegisterCustomer::new(text("Ona"), tier), start)
            .is_ok()
    );
    for n in 0..100_u32 {
        let at = start + TimeDelta::hours(i64::from(n) + 1);
        let id = |k: u32| InteractionId::from_u128(u128::from(n * 2 + k));
        let question = RecordInteraction::inbound(id(0), Channel::Email, text("q"));
        let answer =
            RecordInteraction::outbound(id(1), Channel::Email, AgentId::from_u128(7), text("a"));
        assert!(book.execute(customer, question, at).is_ok());
        assert!(book.execute(customer, answer, at).is_ok());
    }
    let ona = book.get(customer).unwrap_or_else(|| panic!("registered"));
    assert_eq!(ona.unfolded(), 0);
}

/// The slot's filing (the deadline and the set of owners it is filed under) is 16 bytes:
/// a customer's cost in the book beyond its relationship (it was 48 bytes with the quarantine
/// and the owners in the slot).
#[test]
fn a_slot_holds_sixteen_bytes_beside_its_relationship() {
    assert_eq!(
        std::mem::size_of::<super::Slot>(),
        std::mem::size_of::<crate::relationship::Relationship>() + 16
    );
}

/// A customer the book holds at rest keeps the archive's buffer at its exact size, however it
/// came in: executed, replayed, caught up, applied at once; applied envelope by envelope, it
/// keeps its room until it settles or time moves it, and reads and prints the same.
#[test]
fn a_customer_at_rest_holds_the_archive_at_its_exact_size_however_it_was_loaded() {
    let ona = CustomerId::from_u128(1);
    let now = Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).single();
    let mut live = Ledger::new(ServicePolicy::default()).ok();
    let (Some(live), Some(now)) = (live.as_mut(), now) else {
        panic!("a book and a start");
    };
    let text = |s: &str| Text::new(s).ok().unwrap_or_else(|| panic!("text"));
    let tier = Tier::new("standard").ok().unwrap_or_else(|| panic!("tier"));
    let mut log = live
        .execute(ona, RegisterCustomer::new(text("Ona"), tier), now)
        .unwrap_or_default();
    for n in 0..2 {
        let asked =
            RecordInteraction::inbound(InteractionId::from_u128(n), Channel::Email, text("q"));
        log.extend(live.execute(ona, asked, now).unwrap_or_default());
    }
    let buffer = |book: &Ledger| book.get(ona).map(Relationship::archive_buffer);
    let replay =
        |log: &[crate::event::Envelope]| Ledger::replay(ServicePolicy::default(), log).ok();
    assert_eq!(buffer(live), Some((2, 2)));
    assert_eq!(replay(&log).as_ref().and_then(buffer), Some((2, 2)));
    let mut caught_up = replay(&log[..1]);
    if let Some(book) = caught_up.as_mut() {
        book.catch_up(&log[1..]);
    }
    assert_eq!(caught_up.as_ref().and_then(buffer), Some((2, 2)));
    let (mut applied, mut growing) = (Relationship::new(ona), Relationship::new(ona));
    assert!(applied.apply_all(&log).is_ok());
    assert_eq!(applied.archive_buffer(), (2, 2));
    assert!(log.iter().all(|envelope| growing.apply(envelope).is_ok()));
    assert_eq!(growing.archive_buffer(), (2, 4));
    assert_eq!(growing, applied);
    assert_eq!(format!("{growing:?}"), format!("{applied:?}"));
    // Printed as the entries it holds, as before the buffer had room.
    assert!(format!("{growing:?}").contains("recent: [Interaction("));
    // At rest again after a replay of its own and after time moved it.
    let replayed = Relationship::replay(ona, &log).ok();
    assert_eq!(
        replayed.as_ref().map(Relationship::archive_buffer),
        Some((2, 2))
    );
    let _ = growing.advance_to(&ServicePolicy::default(), now);
    assert_eq!(growing.archive_buffer(), (2, 2));
}

/// Given one customer with 40 promises due at even minutes and 40 customers each with one
/// promise due at the odd minutes between them, when the book advances past them all, then
/// each customer is fired once (its items read once), not once per other customer's deadline
/// between its own (which made the cost quadratic in what falls due), and the events come in
/// deadline order across the book, each customer's in its own order.
#[test]
fn a_customer_whose_deadlines_interleave_with_others_is_fired_once() {
    use super::time::{Counting, fire_due};
    use crate::id::PromiseId;
    use crate::promise::MakePromise;

    let start = Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).single();
    let mut book = Ledger::new(ServicePolicy::default()).ok();
    let (Some(book), Some(start)) = (book.as_mut(), start) else {
        panic!("a book and a start");
    };
    let text = |s: &str| Text::new(s).ok().unwrap_or_else(|| panic!("text"));
    let tier = || Tier::new("standard").ok().unwrap_or_else(|| panic!("tier"));
    let agent = AgentId::from_u128(7);
    let minutes = |n: i64| start + TimeDelta::days(1) + TimeDelta::minutes(n);
    let busy = CustomerId::from_u128(1);
    let register = |book: &mut Ledger, customer| {
        let registered = book.execute(customer, RegisterCustomer::new(text("C"), tier()), start);
        assert!(registered.is_ok());
    };
    register(book, busy);
    for n in 0..40_i64 {
        let promise = MakePromise::new(
            PromiseId::from_u128(1000 + n as u128),
            text("call"),
            minutes(2 * n),
            agent,
        );
        assert!(book.execute(busy, promise, start).is_ok());
        let other = CustomerId::from_u128(2 + n as u128);
        register(book, other);
        let promise = MakePromise::new(
            PromiseId::from_u128(2000 + n as u128),
            text("call"),
            minutes(2 * n + 1),
            agent,
        );
        assert!(book.execute(other, promise, start).is_ok());
    }
    let later = start + TimeDelta::days(10);
    let expected = book.due_by(later);
    let mut counting = Counting {
        slots: &mut book.slots,
        calls: rustc_hash::FxHashMap::default(),
    };
    let events = fire_due(&book.policy, &book.due, later, &mut counting);
    let busiest = counting.calls.values().copied().max();
    assert_eq!(busiest, Some(1), "a customer fired more than once");
    assert_eq!(events, expected);
    assert!(events.len() >= 160, "each promise warned and broken");
    assert!(events.windows(2).all(|w| match w {
        [a, b] => a.at <= b.at,
        _ => true,
    }));
    for customer in (1..=41).map(CustomerId::from_u128) {
        let seqs: Vec<u64> = events
            .iter()
            .filter(|e| e.customer == customer)
            .map(|e| e.seq)
            .collect();
        assert!(seqs.windows(2).all(|w| matches!(w, [a, b] if a < b)));
    }
}
