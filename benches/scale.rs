//! Cost follows open work, not history (issue 15). Default system allocator; figures and
//! targets in `benches/README.md`, compared as ratios within one run.
//!
//! - `execute/history/N`: `Ledger::execute` of one inbound interaction for a customer with N
//!   prior events of a mixed history (interactions answered, promises made and kept).
//! - `advance/one_customer/N` and `advance/book/N`: `advance_to` over N deadlines due together
//!   (N/2 promises warned and broken), for one customer or one promise per customer; throughput
//!   in deadlines. `advance/interleaved/N`: one customer's N/4 promises falling due between
//!   N/4 other customers' (each customer fired once, not once per other's deadline between).
//! - `replay/one_customer/{ordered,random}`: `Relationship::replay` of 100,000 interactions of one
//!   customer with ids in order or drawn at random (UUIDv4-like).
//! - `replay/per_event` beside `replay/fx_hash_map_update`: `Ledger::replay` of a decoded mixed
//!   log, per event, and one `FxHashMap<u128, _>` update among 1,000,000 keys;
//!   `replay/per_event_kept` is `per_event` with the book dropped outside the timing;
//!   `replay/per_event_interleaved` is `per_event` of the same log dealt round-robin (each
//!   customer's first event, then each one's second, ...): the worst case of a log in time
//!   order, whose customers interleave.
//!
//! - `quiet/window/N`: `Ledger::execute` of one outbound interaction (opening nothing) for a
//!   customer with nothing open and N response targets met in health's window: the band is
//!   reviewed up to the end of time after the command.
//!
//! `CLIENTELE_BENCH_LARGEST` lowers the largest size (default 100,000) for a quick look.

use std::hint::black_box;

use chrono::{DateTime, TimeDelta, Utc};
use clientele::{
    Channel, Command, CustomerId, Envelope, Event, InteractionId, KeepPromise, Ledger, MakePromise,
    PromiseId, RecordInteraction, Relationship, ServicePolicy,
};
use support::{AGENT, mix, mixed_log, register, start, text};

mod support;

use criterion::measurement::WallTime;
use criterion::{
    BatchSize, BenchmarkGroup, Criterion, Throughput, criterion_group, criterion_main,
};
use rustc_hash::FxHashMap;

fn largest() -> usize {
    std::env::var("CLIENTELE_BENCH_LARGEST")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(100_000)
}

fn sizes(from: usize) -> Vec<usize> {
    let mut sizes = Vec::new();
    let mut n = from;
    while n <= largest() {
        sizes.push(n);
        n *= 10;
    }
    sizes
}

/// A customer with at least `events` events of history: a question answered, a promise made
/// and kept, over and over, an hour apart. Returns the ledger and the time of the last event.
fn history(events: usize) -> (Ledger, DateTime<Utc>) {
    let customer = CustomerId::from_u128(1);
    let mut ledger = Ledger::new(ServicePolicy::default()).unwrap();
    let mut now = start();
    let mut count = ledger.execute(customer, register(), now).unwrap().len();
    let mut n = 0_u64;
    while count < events {
        n += 1;
        now += TimeDelta::hours(1);
        let promise = PromiseId::from_u128(mix(n));
        let commands: [Command; 4] = [
            RecordInteraction::inbound(
                InteractionId::from_u128(mix(2 * n)),
                Channel::Email,
                text("q"),
            )
            .into(),
            RecordInteraction::outbound(
                InteractionId::from_u128(mix(2 * n + 1)),
                Channel::Email,
                AGENT,
                text("a"),
            )
            .into(),
            MakePromise::new(promise, text("call back"), now + TimeDelta::days(2), AGENT).into(),
            KeepPromise { promise }.into(),
        ];
        for command in commands {
            count += ledger.execute(customer, command, now).unwrap().len();
        }
    }
    (ledger, now)
}

/// Times `Ledger::execute` of `command` for customer 1 a minute after `last`, each iteration
/// on a copy of the book, so the history stays as it is.
fn time_execute(
    group: &mut BenchmarkGroup<'_, WallTime>,
    name: String,
    (ledger, last): (&Ledger, DateTime<Utc>),
    command: impl Fn() -> Command,
) {
    let customer = CustomerId::from_u128(1);
    let now = last + TimeDelta::minutes(1);
    group.bench_function(name, |b| {
        b.iter_batched_ref(
            || ledger.clone(),
            |ledger| black_box(ledger.execute(customer, command(), now).unwrap()),
            BatchSize::SmallInput,
        );
    });
}

fn execute(c: &mut Criterion) {
    let mut group = c.benchmark_group("execute");
    group.sample_size(20);
    // The sizes below the largest, then the largest (`CLIENTELE_BENCH_LARGEST` caps them all).
    let sizes = [10, 1_000, 10_000]
        .into_iter()
        .filter(|n| *n < largest())
        .chain([largest()]);
    for n in sizes {
        let (ledger, last) = history(n);
        let id = InteractionId::from_u128(mix(u64::MAX));
        let record = || RecordInteraction::inbound(id, Channel::Email, text("more")).into();
        time_execute(&mut group, format!("history/{n}"), (&ledger, last), record);
    }
    group.finish();
}

/// One customer's log: `facts` questions each answered 30 seconds later, a minute apart (all
/// inside health's 90-day window), nothing left open. Returns it and the time of the last event.
fn answered(facts: usize) -> (Vec<Envelope>, DateTime<Utc>) {
    let policy = ServicePolicy::default();
    let mut r = Relationship::new(CustomerId::from_u128(1));
    let mut now = start();
    let mut log = r.execute(&policy, register(), now).unwrap();
    for i in 0..facts as u64 {
        now += TimeDelta::minutes(1);
        let q = RecordInteraction::inbound(
            InteractionId::from_u128(mix(2 * i)),
            Channel::Chat,
            text("q"),
        );
        log.extend(r.execute(&policy, q, now).unwrap());
        let a = RecordInteraction::outbound(
            InteractionId::from_u128(mix(2 * i + 1)),
            Channel::Chat,
            AGENT,
            text("a"),
        );
        log.extend(r.execute(&policy, a, now + TimeDelta::seconds(30)).unwrap());
    }
    (log, now + TimeDelta::seconds(30))
}

fn quiet(c: &mut Criterion) {
    let mut group = c.benchmark_group("quiet");
    group.sample_size(20);
    for n in sizes(1_000) {
        let (log, last) = answered(n);
        let ledger = Ledger::replay(ServicePolicy::default(), &log).unwrap();
        let id = InteractionId::from_u128(mix(u64::MAX));
        let note = || RecordInteraction::outbound(id, Channel::Email, AGENT, text("fyi")).into();
        time_execute(&mut group, format!("window/{n}"), (&ledger, last), note);
    }
    group.finish();
}

/// The log of `customers` customers holding `per_customer` promises each, all due at once:
/// every promise warns and then breaks (two deadlines each).
fn promises_due(customers: usize, per_customer: usize) -> (Vec<Envelope>, DateTime<Utc>) {
    let policy = ServicePolicy::default();
    let now = start();
    let due = now + TimeDelta::days(3);
    let mut template = Relationship::new(CustomerId::from_u128(1));
    let first = |events: Vec<Envelope>| events.into_iter().next().unwrap_or_else(|| unreachable!());
    let registration = first(template.execute(&policy, register(), now).unwrap());
    let make = MakePromise::new(PromiseId::from_u128(1), text("call back"), due, AGENT);
    let promise = first(template.execute(&policy, make, now).unwrap());
    let mut log = Vec::with_capacity(customers * (per_customer + 1));
    for c in 0..customers {
        let customer = CustomerId::from_u128(c as u128 + 1);
        log.push(Envelope {
            customer,
            ..registration.clone()
        });
        for p in 0..per_customer {
            let mut envelope = Envelope {
                customer,
                seq: p as u64 + 2,
                ..promise.clone()
            };
            if let Event::Promise(clientele::PromiseEvent::Made { promise, .. }) =
                &mut envelope.event
            {
                *promise = PromiseId::from_u128(mix((c * per_customer + p) as u64));
            }
            log.push(envelope);
        }
    }
    (log, due + TimeDelta::hours(1))
}

fn advance(c: &mut Criterion) {
    let mut group = c.benchmark_group("advance");
    group.sample_size(10);
    let policy = ServicePolicy::default();
    for n in sizes(1_000) {
        let (log, then) = promises_due(1, n / 2);
        let one = Relationship::replay(CustomerId::from_u128(1), &log).unwrap();
        group.throughput(Throughput::Elements(n as u64));
        group.bench_function(format!("one_customer/{n}"), |b| {
            b.iter_batched(
                || one.clone(),
                |mut r| black_box(r.advance_to(&policy, then)),
                BatchSize::LargeInput,
            );
        });
        // The book's deadlines: one promise per customer, or one customer's between others'.
        for (name, (log, then)) in [
            ("book", promises_due(n / 2, 1)),
            ("interleaved", interleaved(n)),
        ] {
            let book = Ledger::replay(policy.clone(), &log).unwrap();
            group.bench_function(format!("{name}/{n}"), |b| {
                b.iter_batched(
                    || book.clone(),
                    |mut l| black_box(l.advance_to(then)),
                    BatchSize::LargeInput,
                );
            });
        }
    }
    group.finish();
}

/// One customer with `n / 4` promises due two seconds apart and, between each two of them,
/// another customer's single promise falling due: `n` deadlines (each promise warned, then
/// broken), one customer's interleaved with the book's.
fn interleaved(n: usize) -> (Vec<Envelope>, DateTime<Utc>) {
    let (template, then) = promises_due(1, 1);
    let (registration, promise) = match template.as_slice() {
        [registration, promise] => (registration.clone(), promise.clone()),
        _ => unreachable!(),
    };
    let made = |customer: u128, seq: u64, id: u64, shift: i64| {
        let mut envelope = Envelope {
            customer: CustomerId::from_u128(customer),
            seq,
            ..promise.clone()
        };
        if let Event::Promise(clientele::PromiseEvent::Made {
            promise,
            due,
            at_risk_at,
            ..
        }) = &mut envelope.event
        {
            *promise = PromiseId::from_u128(mix(id));
            *due += TimeDelta::seconds(shift);
            *at_risk_at = at_risk_at.map(|at| at + TimeDelta::seconds(shift));
        }
        envelope
    };
    let quarter = n / 4;
    let mut log = vec![registration.clone()];
    log.extend((0..quarter).map(|k| made(1, k as u64 + 2, k as u64, 2 * k as i64)));
    for k in 0..quarter {
        let customer = k as u128 + 2;
        log.push(Envelope {
            customer: CustomerId::from_u128(customer),
            ..registration.clone()
        });
        log.push(made(customer, 2, (quarter + k) as u64, 2 * k as i64 + 1));
    }
    (log, then + TimeDelta::seconds(2 * quarter as i64))
}

/// One customer's log of `n` interactions needing no reply, ids ordered or random.
fn interactions(n: usize, random: bool) -> Vec<Envelope> {
    let policy = ServicePolicy::default();
    let mut r = Relationship::new(CustomerId::from_u128(1));
    let mut now = start();
    let mut log = r.execute(&policy, register(), now).unwrap();
    for i in 0..n as u64 {
        now += TimeDelta::seconds(1);
        let id = if random { mix(i) } else { u128::from(i) + 1 };
        let record =
            RecordInteraction::inbound(InteractionId::from_u128(id), Channel::Chat, text("hi"))
                .no_reply_needed();
        log.extend(r.execute(&policy, record, now).unwrap());
    }
    log
}

/// `log` (grouped by customer) dealt round-robin: every customer's first event, then every
/// second event, and so on; each customer's events stay in their order.
fn round_robin(log: &[Envelope]) -> Vec<Envelope> {
    let mut runs: Vec<&[Envelope]> = log.chunk_by(|a, b| a.customer == b.customer).collect();
    let mut dealt = Vec::with_capacity(log.len());
    while !runs.is_empty() {
        runs.retain_mut(|run| match run.split_first() {
            Some((first, rest)) => {
                dealt.push(first.clone());
                *run = rest;
                true
            }
            None => false,
        });
    }
    dealt
}

fn replay(c: &mut Criterion) {
    let mut group = c.benchmark_group("replay");
    group.sample_size(10);
    let n = largest();
    for (name, random) in [("ordered", false), ("random", true)] {
        let log = interactions(n, random);
        group.throughput(Throughput::Elements(log.len() as u64));
        group.bench_function(format!("one_customer/{name}"), |b| {
            b.iter(|| black_box(Relationship::replay(CustomerId::from_u128(1), &log).unwrap()));
        });
    }
    let log = mixed_log(n as u64);
    let policy = ServicePolicy::default();
    group.throughput(Throughput::Elements(log.len() as u64));
    group.bench_function("per_event", |b| {
        b.iter(|| black_box(Ledger::replay(policy.clone(), &log)));
    });
    // The same, with the book dropped outside the timing: a service replays once and keeps it.
    group.bench_function("per_event_kept", |b| {
        b.iter_with_large_drop(|| Ledger::replay(policy.clone(), &log));
    });
    let interleaved = round_robin(&log);
    group.bench_function("per_event_interleaved", |b| {
        b.iter(|| black_box(Ledger::replay(policy.clone(), &interleaved)));
    });
    let keys = 1_000_000_u64;
    let mut map: FxHashMap<u128, (u64, u64)> = (0..keys).map(|k| (mix(k), (k, 0))).collect();
    group.throughput(Throughput::Elements(1));
    let mut i = 0_u64;
    group.bench_function("fx_hash_map_update", |b| {
        b.iter(|| {
            i = i.wrapping_add(0x9e37_79b9) % keys;
            if let Some(entry) = map.get_mut(&mix(i)) {
                entry.1 += 1;
            }
        });
    });
    group.finish();
}

criterion_group!(benches, execute, quiet, advance, replay);
criterion_main!(benches);
