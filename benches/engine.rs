//! Engine benchmarks (issue 3). Scale with `CLIENTELE_BENCH_CUSTOMERS` (default 1,000,000).
//!
//! - `replay/mixed_log`: `Ledger::replay` of a generated mixed log; throughput in events.
//! - `ledger/next_deadline`: with every customer waiting on an open clock.
//! - `ledger/advance_to_1000_due`: 1,000 customers due among all.
//! - memory: resident bytes per customer, printed once (Linux `/proc/self/statm`).

use std::hint::black_box;

use chrono::{DateTime, TimeDelta, Utc};
use clientele::{
    AgentId, Channel, CustomerId, Envelope, Event, IdempotencyKey, InteractionId, Ledger,
    MakePromise, PromiseId, RecordInteraction, RegisterCustomer, ServicePolicy, Tier,
};
use support::{customers, start, text};

mod support;

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};

/// The envelope's shape as a plain derived struct: what `serde_json::from_str` costs with no
/// version check, no upcast and no duplicate-key check (the floor for `wire/decode_json`).
#[derive(serde::Deserialize)]
#[allow(dead_code)] // read only to be thrown away
struct Floor {
    v: u16,
    customer: CustomerId,
    seq: u64,
    at: DateTime<Utc>,
    event: Event,
    #[serde(default)]
    key: Option<IdempotencyKey>,
}

/// A book where every customer registered and wrote in; every other one got an answer, a
/// promise and wrote again; then a day passed, so warnings, overdue answers and at-risk
/// promises are in the log too. Returns the ledger and the mixed log.
fn book(n: u128, mixed: bool) -> (Ledger, Vec<Envelope>) {
    let mut ledger = Ledger::new(ServicePolicy::default()).unwrap();
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
        if mixed && c % 2 == 0 {
            let later = at + TimeDelta::hours(1);
            run(
                RecordInteraction::outbound(
                    InteractionId::from_u128(c * 4 + 2),
                    Channel::Phone,
                    agent,
                    text("a"),
                )
                .into(),
                later,
            );
            run(
                MakePromise::new(
                    PromiseId::from_u128(c + 1),
                    text("p"),
                    later + TimeDelta::hours(20),
                    agent,
                )
                .into(),
                later,
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
    if mixed {
        log.extend(ledger.advance_to(start() + TimeDelta::hours(20)));
    }
    (ledger, log)
}

/// Customers with three open items each: a customer waiting for an answer, a promise we keep
/// ourselves and a promise an outside party fulfils, with that party's own commitment.
fn three_open_items(n: u128) -> Ledger {
    let mut ledger = Ledger::new(ServicePolicy::default()).unwrap();
    for c in 0..n {
        support::three_open_items(&mut ledger, c);
    }
    ledger
}

fn resident_bytes() -> Option<u64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    Some(pages * 4096)
}

fn engine(c: &mut Criterion) {
    let n = customers();

    let before = resident_bytes();
    let book_of_three = three_open_items(n);
    if let (Some(before), Some(after)) = (before, resident_bytes()) {
        println!(
            "memory: {n} customers with three open items each: {} resident bytes per customer",
            after.saturating_sub(before) / n as u64
        );
    }
    drop(book_of_three);

    let (ledger, log) = book(n, true);
    println!("replay log: {} events over {n} customers", log.len());

    let mut group = c.benchmark_group("replay");
    group.sample_size(10);
    group.throughput(Throughput::Elements(log.len() as u64));
    group.bench_function("mixed_log", |b| {
        b.iter(|| Ledger::replay(ServicePolicy::default(), black_box(&log)).map(|l| l.len()))
    });
    group.finish();

    // Reading stored JSON: version and kind checked, duplicate keys refused, then the event;
    // beside it the floor, `serde_json::from_str` into a derived struct of the same shape.
    let stored: Vec<String> = log
        .iter()
        .take(100_000)
        .filter_map(|e| serde_json::to_string(e).ok())
        .collect();
    let mut group = c.benchmark_group("wire");
    group.throughput(Throughput::Elements(stored.len() as u64));
    group.sample_size(10);
    group.bench_function("decode_json", |b| {
        b.iter(|| {
            black_box(&stored)
                .iter()
                .filter(|line| Envelope::from_json(line).is_ok())
                .count()
        })
    });
    group.bench_function("serde_floor", |b| {
        b.iter(|| {
            black_box(&stored)
                .iter()
                .filter(|line| serde_json::from_str::<Floor>(line).is_ok())
                .count()
        })
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
