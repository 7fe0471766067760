//! Allocations of a replay per event (issue 15: replay per event within 3x a hash map update;
//! allocation is a third of a replay's time by `perf`), counted by an allocator that tallies
//! them, over the mixed log `benches/scale.rs` replays (2,000 customers here).

use std::alloc::System;

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use clientele::{
    AgentId, Channel, Command, CustomerId, Envelope, InteractionId, KeepPromise, Ledger,
    MakePromise, PromiseId, RecordInteraction, RegisterCustomer, ServicePolicy, Text, Tier,
};
use stats_alloc::{INSTRUMENTED_SYSTEM, Region, StatsAlloc};

#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

const AGENT: AgentId = AgentId::from_u128(7);

fn text(s: &str) -> Text {
    Text::new(s).unwrap()
}

fn start() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 8, 0, 0).unwrap()
}

/// The log of `benches/scale.rs`'s `mixed_log`: each customer registered and writing in; every
/// other one answered, promised something that is kept, and writing again.
fn mixed_log(customers: u64) -> Vec<Envelope> {
    let mut ledger = Ledger::new(ServicePolicy::default()).unwrap();
    let mut log = Vec::new();
    for c in 0..customers {
        let customer = CustomerId::from_u128(u128::from(c) + 1);
        let at = start() + TimeDelta::milliseconds(c as i64);
        let id = |n: u64| u128::from(n).wrapping_mul(0x9e37_79b9_7f4a_7c15_f39c_c060_5ced_c835);
        let register =
            RegisterCustomer::new(text("Customer"), Tier::new("standard").unwrap()).owned_by(AGENT);
        let mut commands: Vec<Command> = vec![
            register.into(),
            RecordInteraction::inbound(
                InteractionId::from_u128(id(4 * c)),
                Channel::Email,
                text("q"),
            )
            .into(),
        ];
        if c % 2 == 0 {
            let promise = PromiseId::from_u128(id(4 * c + 3));
            commands.extend([
                RecordInteraction::outbound(
                    InteractionId::from_u128(id(4 * c + 1)),
                    Channel::Email,
                    AGENT,
                    text("a"),
                )
                .into(),
                MakePromise::new(promise, text("call back"), at + TimeDelta::days(2), AGENT).into(),
                KeepPromise { promise }.into(),
                RecordInteraction::inbound(
                    InteractionId::from_u128(id(4 * c + 2)),
                    Channel::Chat,
                    text("q"),
                )
                .into(),
            ]);
        }
        for command in commands {
            log.extend(ledger.execute(customer, command, at).unwrap());
        }
    }
    log
}

#[test]
fn replay_allocates_under_two_times_an_event_and_never_reallocates_a_short_part() {
    let log = mixed_log(2_000);
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
    // of a small block that cannot grow in place bypasses its per-thread cache. 0.42 an event
    // before; the slots' first chunk and the book's tables still grow by reallocation.
    assert!(
        reallocations <= 0.01,
        "{reallocations:.3} reallocations an event"
    );
}
