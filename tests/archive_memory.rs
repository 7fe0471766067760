//! The archive's cost per archived item (issue 15: at most 32 bytes of live heap), counted by
//! an allocator that tallies what is allocated and freed: one customer's heap growth over N
//! interactions and N promises made and kept, for N at which a growing table would be at its
//! emptiest (just past a doubling) and its fullest. `benches/memory.rs` prints the same figure
//! for larger N.

mod support;

use std::alloc::System;

use chrono::TimeDelta;
use clientele::{
    Channel, CustomerId, InteractionId, KeepPromise, MakePromise, PromiseId, RecordInteraction,
    RegisterCustomer, Relationship, ServicePolicy,
};
use stats_alloc::{INSTRUMENTED_SYSTEM, Region, StatsAlloc};
use support::*;

#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

/// Live heap bytes per archived item after `n` interactions and `n` kept promises, ids at
/// random (UUIDv4-like).
fn bytes_per_archived_item(n: u64) -> f64 {
    let policy = ServicePolicy::default();
    let mut r = Relationship::new(CustomerId::from_u128(1));
    let mut now = t("2026-03-02 08:00");
    r.execute(
        &policy,
        RegisterCustomer::new(text("Customer"), tier("standard")),
        now,
    )
    .unwrap();
    let region = Region::new(GLOBAL);
    for i in 0..n {
        now += TimeDelta::seconds(1);
        let id = u128::from(i).wrapping_mul(0x9e37_79b9_7f4a_7c15_f39c_c060_5ced_c835) + 1;
        let record =
            RecordInteraction::inbound(InteractionId::from_u128(id), Channel::Chat, text("hi"))
                .no_reply_needed();
        r.execute(&policy, record, now).unwrap();
        let promise = PromiseId::from_u128(id);
        let make = MakePromise::new(promise, text("call back"), now + TimeDelta::days(1), AGENT);
        r.execute(&policy, make, now).unwrap();
        r.execute(&policy, KeepPromise { promise }, now).unwrap();
    }
    let stats = region.change();
    let live = stats.bytes_allocated as f64 - stats.bytes_deallocated as f64;
    assert_eq!(r.archived() as u64, 2 * n);
    live / (2 * n) as f64
}

#[test]
fn an_archived_item_costs_at_most_32_bytes_of_heap() {
    // 1,000 ids just past a power-of-two table's fill limit (896 of 1,024), 3,000 past
    // another's, 3,500 near its fullest.
    for n in [1_000, 3_000, 3_500] {
        let bytes = bytes_per_archived_item(n);
        assert!(
            bytes <= 32.0,
            "{bytes:.1} B per archived item at {n} (target <= 32 B)"
        );
    }
}
