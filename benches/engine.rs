//! Engine benchmarks (issue 3). Scale with `CLIENTELE_BENCH_CUSTOMERS` (default 1,000,000).
//!
//! - `replay/mixed_log`: `Ledger::replay` of a generated mixed log; throughput in events.
//! - `ledger/next_deadline`: with every customer waiting on an open clock.
//! - `ledger/advance_to_1000_due`: 1,000 customers due among all.
//! - memory: resident bytes per customer, printed once (Linux `/proc/self/statm`).

use std::hint::black_box;

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use clientele::{
    AgentId, Channel, CustomerId, Envelope, InteractionId, Ledger, RecordInteraction,
    RegisterCustomer, ServicePolicy, Text, Tier,
};
use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};

fn customers() -> u128 {
    std::env::var("CLIENTELE_BENCH_CUSTOMERS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(1_000_000)
}

fn start() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 8, 0, 0)
        .single()
        .unwrap_or(DateTime::UNIX_EPOCH)
}

fn text(s: &str) -> Text {
    Text::new(s).unwrap_or_else(|_| unreachable!())
}

/// A book where every customer registered, wrote in, and (every other one) got an answer and
/// wrote again; the last customers write last, so the first `due` customers are due first.
fn book(n: u128, answered: bool) -> (Ledger, Vec<Envelope>) {
    let mut ledger = Ledger::new(ServicePolicy::default());
    let mut log = Vec::new();
    let tier = Tier::new("standard").unwrap_or_else(|_| unreachable!());
    let agent = AgentId::from_u128(7);
    for c in 0..n {
        let customer = CustomerId::from_u128(c + 1);
        let at = start() + TimeDelta::milliseconds(c as i64);
        let mut run = |command: clientele::Command, at| {
            if let Ok(events) = ledger.execute(customer, command, at) {
                log.extend(events);
            }
        };
        run(
            RegisterCustomer::new(text("Customer"), tier.clone()).into(),
            at,
        );
        run(
            RecordInteraction::inbound(
                InteractionId::from_u128(c * 4 + 1),
                Channel::Email,
                text("q"),
            )
            .into(),
            at,
        );
        if answered && c % 2 == 0 {
            run(
                RecordInteraction::outbound(
                    InteractionId::from_u128(c * 4 + 2),
                    Channel::Phone,
                    agent,
                    text("a"),
                )
                .into(),
                at + TimeDelta::hours(1),
            );
            run(
                RecordInteraction::inbound(
                    InteractionId::from_u128(c * 4 + 3),
                    Channel::Chat,
                    text("q2"),
                )
                .into(),
                at + TimeDelta::hours(2),
            );
        }
    }
    (ledger, log)
}

fn resident_bytes() -> Option<u64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    Some(pages * 4096)
}

fn engine(c: &mut Criterion) {
    let n = customers();

    let before = resident_bytes();
    let (ledger, log) = book(n, true);
    let after = resident_bytes();
    if let (Some(before), Some(after)) = (before, after) {
        // The log is resident too; measure the ledger alone by replaying into a fresh one.
        let base = resident_bytes().unwrap_or(after);
        let replayed = Ledger::replay(ServicePolicy::default(), &log).ok();
        let grown = resident_bytes().unwrap_or(base).saturating_sub(base);
        println!(
            "memory: {} customers, {} events; ledger ≈ {} bytes/customer (log + ledger {} bytes/customer)",
            n,
            log.len(),
            grown / n as u64,
            after.saturating_sub(before) / n as u64
        );
        drop(replayed);
    }

    let mut group = c.benchmark_group("replay");
    group.sample_size(10);
    group.throughput(Throughput::Elements(log.len() as u64));
    group.bench_function("mixed_log", |b| {
        b.iter(|| Ledger::replay(ServicePolicy::default(), black_box(&log)).map(|l| l.len()))
    });
    group.finish();
    drop(log);

    let mut group = c.benchmark_group("ledger");
    group.bench_function("next_deadline", |b| {
        b.iter(|| black_box(&ledger).next_deadline())
    });
    drop(ledger);

    // Every customer waits; the first 1,000 wrote a day earlier than the rest, so exactly
    // they are due (warning and overdue) at `now`.
    let (mut ledger, _) = book(n, false);
    for c in 0..1000u128 {
        let customer = CustomerId::from_u128(n + c + 1);
        let early = start() - TimeDelta::days(1);
        let _ = ledger.execute(
            customer,
            RegisterCustomer::new(
                text("Early"),
                Tier::new("standard").unwrap_or_else(|_| unreachable!()),
            ),
            early,
        );
        let _ = ledger.execute(
            customer,
            RecordInteraction::inbound(
                InteractionId::from_u128(u128::MAX - c),
                Channel::Email,
                text("q"),
            ),
            early,
        );
    }
    let now = start() - TimeDelta::hours(1);
    group.sample_size(10);
    group.bench_function("advance_to_1000_due", |b| {
        b.iter_batched(
            || ledger.clone(),
            |mut ledger| {
                let events = ledger.advance_to(now);
                (ledger, events)
            },
            BatchSize::PerIteration,
        )
    });
    group.finish();
}

criterion_group!(benches, engine);
criterion_main!(benches);
