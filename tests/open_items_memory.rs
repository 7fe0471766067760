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
fn a_customer_with_three_open_items_costs_at_most_1_445_bytes_of_heap() {
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
    // 1,024 B is the target (`benches/README.md` says by how much it is missed); this bound
    // keeps what has been won (main before it: 1,505 B; 1,434 B with the book's indexes of
    // `u32` positions and one owner inline).
    assert!(
        per_customer <= 1_445.0,
        "{per_customer:.0} B live per customer with three open items"
    );
}
