//! Live heap per customer with three open items (issue 15: at most 1,024 bytes), counted by an
//! allocator that tallies what is allocated and freed, in a book of 1,024 such customers (its
//! slot vector exactly full). `benches/memory.rs` prints the figure for 15,625 customers.

#[path = "../benches/support/mod.rs"]
mod bench_support;

use std::alloc::System;

use clientele::{Ledger, ServicePolicy};
use stats_alloc::{INSTRUMENTED_SYSTEM, Region, StatsAlloc};

#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

#[test]
fn a_customer_with_three_open_items_costs_at_most_990_bytes_of_heap() {
    let customers = 1_024_u128;
    let region = Region::new(GLOBAL);
    let mut ledger = Ledger::new(ServicePolicy::default()).unwrap();
    for c in 0..customers {
        bench_support::three_open_items(&mut ledger, c);
    }
    let stats = region.change();
    let live = stats.bytes_allocated as f64 - stats.bytes_deallocated as f64;
    let per_customer = live / customers as f64;
    assert_eq!(ledger.len(), 1_024);
    println!("{per_customer:.0} B live per customer with three open items");
    // 1,024 B is the target (`benches/README.md` has the figures); this bound keeps what has
    // been won (1,505 B here two rounds before, 1,198 B before the boxes on first use): the
    // shared history's sequences are two words, a short one grows from one entry; a promise
    // is 96 bytes inline and keeps its own facts' order; the parts a customer not yet
    // answered, not at risk and not quiet leaves empty (the conversation's answers, health's
    // verdicts, the spells, a wait's calendar, a promise's course) are boxed on first use; the
    // book's slot is the relationship and 16 bytes (984 B here, 1,024 B before), and the
    // response clock 80 bytes.
    assert!(
        per_customer <= 990.0,
        "{per_customer:.0} B live per customer with three open items"
    );
}
