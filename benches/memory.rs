//! Live heap per customer and per archived item, by a counting global allocator (issue 15).
//! Not a timing bench: it prints its figures once (`cargo bench --bench memory`); targets and
//! the recorded figures are in `benches/README.md`.
//!
//! - three open items: a customer waiting for an answer, a promise we keep ourselves, and a
//!   promise an outside party fulfils with its commitment recorded; a name, a tier, one e-mail
//!   address and an owner (as `benches/engine.rs` builds them), in a `Ledger` of 15,625 and
//!   in one of a million.
//! - per archived item: one customer's heap growth over N interactions and N promises made and
//!   kept (each leaves an archived id), for several N (a hash table's fill varies with N).

use std::alloc::System;

use chrono::TimeDelta;
use clientele::{
    AgentId, Channel, CustomerId, InteractionId, KeepPromise, Ledger, MakePromise, PromiseId,
    RecordInteraction, RegisterCustomer, Relationship, ServicePolicy, Tier,
};
use support::{start, text, three_open_items};

mod support;

use stats_alloc::{INSTRUMENTED_SYSTEM, Region, StatsAlloc};

#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

/// Live bytes (allocated less freed) and allocations alive since `region` began.
fn live(region: &Region<'_, System>) -> (i64, i64) {
    let stats = region.change();
    (
        stats.bytes_allocated as i64 - stats.bytes_deallocated as i64,
        stats.allocations as i64 - stats.deallocations as i64,
    )
}

fn main() {
    // 1,000,000 / 64: the positions table is as full as at 1,000,000 customers; the slots'
    // last chunk is not (at most one chunk of spare room in any book), so a book of a million
    // is measured too.
    for customers in [15_625_u128, 1_000_000] {
        let region = Region::new(GLOBAL);
        let mut ledger = Ledger::new(ServicePolicy::default()).unwrap();
        for c in 0..customers {
            three_open_items(&mut ledger, c);
        }
        let (bytes, allocations) = live(&region);
        println!(
            "memory/three_open_items/{customers}: {:.1} B live per customer in {:.1} allocations (target <= 1,024 B)",
            bytes as f64 / customers as f64,
            allocations as f64 / customers as f64,
        );
        drop(ledger);
    }

    let policy = ServicePolicy::default();
    for n in [1_000_u64, 10_000, 50_000, 100_000] {
        let mut r = Relationship::new(CustomerId::from_u128(1));
        let mut now = start();
        let register = RegisterCustomer::new(
            text("Customer"),
            Tier::new("standard").unwrap_or_else(|_| unreachable!()),
        );
        r.execute(&policy, register, now).unwrap();
        let region = Region::new(GLOBAL);
        for i in 0..n {
            now += TimeDelta::seconds(1);
            let id = u128::from(i) * 0x9e37_79b9_7f4a_7c15 + 1;
            let record =
                RecordInteraction::inbound(InteractionId::from_u128(id), Channel::Chat, text("hi"))
                    .no_reply_needed();
            r.execute(&policy, record, now).unwrap();
            let promise = PromiseId::from_u128(id);
            let make = MakePromise::new(
                promise,
                text("call back"),
                now + TimeDelta::days(1),
                AgentId::from_u128(7),
            );
            r.execute(&policy, make, now).unwrap();
            r.execute(&policy, KeepPromise { promise }, now).unwrap();
        }
        let (bytes, _) = live(&region);
        let items = r.archived() as f64;
        println!(
            "memory/archived/{n}: {:.1} B live per archived item ({items} items: interactions and kept promises; target <= 32 B)",
            bytes as f64 / items,
        );
    }
}
