//! The book at scale (issue 15): snapshots, streaming replay and work lists. Scale with
//! `CLIENTELE_BENCH_CUSTOMERS` (default 1,000,000).
//!
//! - `snapshot/restore_binary`: `Ledger::restore` of a binary snapshot of the whole book
//!   (target: at most 2 s for 1 M customers).
//! - `restart/snapshot_plus_tail` against `restart/replay_json_lines`, on a tenth of the book
//!   (a full JSON replay of 1 M customers takes about 20 s an iteration): restoring the
//!   snapshot taken before the last 10 % of the events and catching up with those events,
//!   decoded from JSON lines, against replaying every JSON line (target: at least 5× faster).
//! - `worklist/agent_100_items_in_{1000,n}`: one agent's `work_list` with 100 open items, in a
//!   book of 1,000 customers and in the whole book (targets: at most 50 µs, within 2× of each
//!   other), asked a day after every wait fell overdue with nobody advancing the book (each
//!   customer's health is then read on a copy advanced to `now`); `worklist/advanced_*`: the
//!   same once `Ledger::advance_to` ran, as a service that wakes at each deadline it is
//!   handed keeps its book; `worklist/scan_flags_in_n` is the scan it replaces.

use std::hint::black_box;

use chrono::TimeDelta;
use clientele::snapshot::Encoding;
use clientele::{
    AgentId, Channel, Command, CustomerId, Envelope, InteractionId, Ledger, MakePromise, PromiseId,
    RecordInteraction, RegisterCustomer, ServicePolicy, Tier,
};
mod support;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use support::{customers, start, text};

/// The engine bench's mixed book: every customer registered (account owned by one of 1,000
/// agents) and wrote in; every other one got an answer, a promise and wrote again; then a day
/// passed. `keep_log` keeps the stored events.
fn mixed_book(n: u128, keep_log: bool) -> (Ledger, Vec<Envelope>) {
    let mut ledger = Ledger::new(ServicePolicy::default()).unwrap();
    let mut log = Vec::new();
    let tier = Tier::new("standard").unwrap_or_else(|_| unreachable!());
    for c in 0..n {
        let customer = CustomerId::from_u128(c + 1);
        let agent = AgentId::from_u128(1_000 + c % 1_000);
        let at = start() + TimeDelta::milliseconds(c as i64);
        let mut run = |command: Command, at| {
            if let Ok(events) = ledger.execute(customer, command, at)
                && keep_log
            {
                log.extend(events);
            }
        };
        let register = RegisterCustomer::new(text("Customer"), tier.clone()).owned_by(agent);
        run(register.into(), at);
        let asked = InteractionId::from_u128(c * 4 + 1);
        run(
            RecordInteraction::inbound(asked, Channel::Email, text("q")).into(),
            at,
        );
        if c % 2 == 0 {
            let later = at + TimeDelta::hours(1);
            let answer = InteractionId::from_u128(c * 4 + 2);
            run(
                RecordInteraction::outbound(answer, Channel::Phone, agent, text("a")).into(),
                later,
            );
            let due = later + TimeDelta::hours(20);
            run(
                MakePromise::new(PromiseId::from_u128(c + 1), text("p"), due, agent).into(),
                later,
            );
            let again = InteractionId::from_u128(c * 4 + 3);
            run(
                RecordInteraction::inbound(again, Channel::Chat, text("q2")).into(),
                at + TimeDelta::hours(2),
            );
        }
    }
    let fired = ledger.advance_to(start() + TimeDelta::hours(20));
    if keep_log {
        log.extend(fired);
    }
    (ledger, log)
}

/// A book of `n` customers, each waiting for an answer and owned by one of 10,000 other
/// agents, except 100 owned by the agent measured (`AgentId` 1); asked a day later, when every
/// wait is overdue.
fn work_book(n: u128) -> Ledger {
    let mut ledger = Ledger::new(ServicePolicy::default()).unwrap();
    let tier = Tier::new("standard").unwrap_or_else(|_| unreachable!());
    let ours = n / 100;
    for c in 0..n {
        let customer = CustomerId::from_u128(c + 1);
        let agent = if c % ours == 0 && c / ours < 100 {
            AgentId::from_u128(1)
        } else {
            AgentId::from_u128(2 + c % 10_000)
        };
        let at = start() + TimeDelta::milliseconds(c as i64);
        let register = RegisterCustomer::new(text("Customer"), tier.clone()).owned_by(agent);
        let _ = ledger.execute(customer, register, at);
        let asked =
            RecordInteraction::inbound(InteractionId::from_u128(c + 1), Channel::Email, text("q"));
        let _ = ledger.execute(customer, asked, at);
    }
    ledger
}

/// The process's CPU time (user and system) so far, in seconds, from `/proc/self/stat` (clock
/// ticks of 10 ms): what a step costs whatever else the machine runs, unlike wall time.
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks: f64 = fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0)
}

/// Runs `step` once and prints its wall and CPU time.
#[allow(clippy::disallowed_methods, reason = "a benchmark reads the clock")]
fn once<T>(what: &str, step: impl FnOnce() -> T) -> T {
    let cpu = cpu_seconds();
    let wall = std::time::Instant::now();
    let out = step();
    let elapsed = wall.elapsed().as_secs_f64();
    match (cpu, cpu_seconds()) {
        (Some(before), Some(after)) => {
            println!("{what}: {elapsed:.3} s wall, {:.2} s CPU", after - before)
        }
        _ => println!("{what}: {elapsed:.3} s wall"),
    }
    out
}

fn jsonl(log: &[Envelope]) -> String {
    let mut out = String::with_capacity(log.len() * 220);
    for envelope in log {
        out.push_str(&serde_json::to_string(envelope).unwrap_or_default());
        out.push('\n');
    }
    out
}

fn snapshot(c: &mut Criterion) {
    let n = customers();
    let (ledger, _) = mixed_book(n, false);
    let saved = ledger.snapshot(Encoding::Binary).unwrap_or_default();
    println!(
        "snapshot of {n} customers: {} bytes ({} per customer)",
        saved.len(),
        saved.len() as u128 / n.max(1)
    );
    if let Ok(path) = std::env::var("CLIENTELE_SAVE_SNAPSHOT") {
        let _ = std::fs::write(path, &saved);
    }
    drop(ledger);
    let restored = once(&format!("one restore of {n} customers"), || {
        Ledger::restore(ServicePolicy::default(), &saved)
    });
    drop(restored);
    let mut group = c.benchmark_group("snapshot");
    group.sample_size(10);
    group.throughput(Throughput::Elements(n as u64));
    group.bench_function(format!("restore_binary_{n}"), |b| {
        b.iter_with_large_drop(|| Ledger::restore(ServicePolicy::default(), black_box(&saved)))
    });
    group.finish();
}

fn restart(c: &mut Criterion) {
    let n = (customers() / 10).max(1);
    let (_, log) = mixed_book(n, true);
    let split = log.len() - log.len() / 10;
    let head = Ledger::replay(ServicePolicy::default(), &log[..split]).unwrap();
    let saved = head.snapshot(Encoding::Binary).unwrap_or_default();
    drop(head);
    let all = jsonl(&log);
    let tail = jsonl(&log[split..]);
    println!(
        "restart: {n} customers, {} events, tail of {} events",
        log.len(),
        log.len() - split
    );
    drop(log);
    let fast = once("one restore plus tail", || {
        let mut ledger = Ledger::restore(ServicePolicy::default(), &saved).ok()?;
        ledger
            .try_catch_up(tail.lines().map(Envelope::from_json))
            .ok()?;
        Some(ledger)
    });
    let slow = once("one replay of every JSON line", || {
        Ledger::try_replay(
            ServicePolicy::default(),
            all.lines().map(Envelope::from_json),
        )
    });
    let same = match (&fast, &slow) {
        (Some(a), Ok(b)) => a.snapshot(Encoding::Binary).ok() == b.snapshot(Encoding::Binary).ok(),
        _ => false,
    };
    assert!(same, "the restart paths give different books");
    drop((fast, slow));
    let mut group = c.benchmark_group("restart");
    group.sample_size(10);
    group.bench_function(format!("snapshot_plus_tail_{n}"), |b| {
        b.iter_with_large_drop(|| {
            let mut ledger = Ledger::restore(ServicePolicy::default(), black_box(&saved)).ok()?;
            ledger
                .try_catch_up(tail.lines().map(Envelope::from_json))
                .ok()?;
            Some(ledger)
        })
    });
    group.bench_function(format!("replay_json_lines_{n}"), |b| {
        b.iter_with_large_drop(|| {
            Ledger::try_replay(
                ServicePolicy::default(),
                all.lines().map(Envelope::from_json),
            )
        })
    });
    group.finish();
}

fn worklist(c: &mut Criterion) {
    let n = customers().max(10_000);
    let now = start() + TimeDelta::days(1);
    let agent = clientele::flag::Owner::Agent(AgentId::from_u128(1));
    let mut group = c.benchmark_group("worklist");
    for size in [1_000, n] {
        let mut ledger = work_book(size);
        let work = ledger.work_list(agent, now);
        assert_eq!(work.flags.len(), 100, "the agent has 100 overdue waits");
        group.bench_function(format!("agent_100_items_in_{size}"), |b| {
            b.iter(|| black_box(&ledger).work_list(agent, now))
        });
        drop(ledger.advance_to(now));
        assert_eq!(
            ledger.work_list(agent, now).flags,
            work.flags,
            "the same flags either way"
        );
        group.bench_function(format!("advanced_agent_100_items_in_{size}"), |b| {
            b.iter(|| black_box(&ledger).work_list(agent, now))
        });
        if size == n {
            group.sample_size(10);
            group.bench_function(format!("scan_flags_in_{size}"), |b| {
                b.iter(|| {
                    let flags = black_box(&ledger).flags(now);
                    flags.into_iter().filter(|f| f.is_for(agent)).count()
                })
            });
        }
    }
    group.finish();
}

criterion_group!(benches, worklist, snapshot, restart);
criterion_main!(benches);
