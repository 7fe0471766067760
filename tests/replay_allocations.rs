//! Allocations of a replay per event (issue 15: replay per event within 3x a hash map update;
//! allocation is a third of a replay's time by `perf`), counted by an allocator that tallies
//! them, over the mixed log `benches/scale.rs` replays (2,000 customers here).

#[path = "../benches/support/mod.rs"]
mod bench_support;

use std::alloc::System;

use clientele::{Ledger, ServicePolicy};
use stats_alloc::{INSTRUMENTED_SYSTEM, Region, StatsAlloc};

#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

#[test]
fn replay_allocates_under_two_times_an_event_and_never_reallocates_a_short_part() {
    let log = bench_support::mixed_log(2_000);
    let region = Region::new(GLOBAL);
    let ledger = Ledger::replay(ServicePolicy::default(), &log).unwrap();
    let stats = region.change();
    assert_eq!((ledger.len(), log.len()), (2_000, 12_000));
    let events = log.len() as f64;
    let per_event = (stats.allocations + stats.reallocations) as f64 / events;
    let reallocations = stats.reallocations as f64 / events;
    println!(
        "{per_event:.2} allocations and reallocations an event ({} + {})",
        stats.allocations, stats.reallocations
    );
    // 1.70 an event when written (10.2 a customer: texts, the archive's buffer, the
    // conversation, health's contacts and counts, the promise, the book's slots and table).
    assert!(per_event <= 1.75, "{per_event:.2} an event");
    // A short part grows by a new exact-size allocation (`shared::inserted`): glibc's `realloc`
    // of a small block that cannot grow in place bypasses its per-thread cache. 0.58 an event
    // before; the slots' first chunk and the book's tables still grow by reallocation.
    assert!(
        reallocations <= 0.01,
        "{reallocations:.3} reallocations an event"
    );
}
