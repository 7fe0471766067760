//! Unit tests of the book that need the relationship's internals.

use chrono::{TimeDelta, TimeZone, Utc};

use super::Ledger;
use crate::customer::RegisterCustomer;
use crate::id::{AgentId, CustomerId, InteractionId};
use crate::policy::ServicePolicy;
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
