//! What if (issue 18): deciding a stored history again against replaying it.
//!
//! - `what_if/replay`: `Ledger::replay` of the stored log (decoded envelopes).
//! - `what_if/decide_again`: the same log read back into facts (`Book::from_log`) and every
//!   customer decided again (`Run::decide`, each new log kept); target: at most 5× the replay.
//! - `what_if/compare`: the book decided under two policies and compared (streaming, no new
//!   log kept), for scale.
//!
//! The log: `CLIENTELE_BENCH_WHAT_IF` customers (20,000 unless set), each writing in at high
//! priority and answered, and with a complaint acknowledged and resolved; then two days pass,
//! so warnings and breaches are in it. And, when `CLIENTELE_DATA` (default `../shared/data`)
//! holds `helpdesk/finale.csv`, the real helpdesk log through the importer (skipped with a
//! line saying so when absent).

#[path = "../examples/import_log/importer/mod.rs"]
#[allow(dead_code)] // the bench uses the stored log, not every report field
mod importer;
mod support;

use std::hint::black_box;
use std::path::PathBuf;

use chrono::TimeDelta;
use clientele::what_if::{Book, Comparison, Run};
use clientele::{
    AcknowledgeComplaint, AgentId, Channel, ComplaintId, CustomerId, Envelope, InteractionId,
    Ledger, Priority, ReceiveComplaint, RecordInteraction, RegisterCustomer, ResolveComplaint,
    ServicePolicy, Span, Tier,
};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use support::{start, text};

/// The policy the log is recorded under: the default, no follow-up calls.
fn policy() -> ServicePolicy {
    importer::policy()
}

/// Customer `c`'s day: a high-priority message answered two hours later, a complaint (its
/// priority by `c`) acknowledged after an hour and resolved after ten.
fn customer_day(ledger: &mut Ledger, log: &mut Vec<Envelope>, c: u128) {
    let customer = CustomerId::from_u128(c + 1);
    let agent = AgentId::from_u128(7);
    let at = start() + TimeDelta::milliseconds(i64::try_from(c).unwrap_or(0));
    let complaint = ComplaintId::from_u128(c + 1);
    let priority = [
        Priority::Low,
        Priority::Normal,
        Priority::High,
        Priority::Urgent,
    ][usize::try_from(c % 4).unwrap_or(0)];
    let tier = Tier::new("standard").unwrap_or_else(|_| unreachable!());
    let steps: [(clientele::Command, i64); 6] = [
        (RegisterCustomer::new(text("Customer"), tier).into(), 0),
        (
            RecordInteraction::inbound(
                InteractionId::from_u128(2 * c + 1),
                Channel::Email,
                text("q"),
            )
            .priority(Priority::High)
            .into(),
            0,
        ),
        (
            ReceiveComplaint::new(complaint, Channel::Phone, text("late"))
                .priority(priority)
                .into(),
            1,
        ),
        (
            RecordInteraction::outbound(
                InteractionId::from_u128(2 * c + 2),
                Channel::Email,
                agent,
                text("a"),
            )
            .into(),
            2,
        ),
        (
            AcknowledgeComplaint {
                complaint,
                by: agent,
            }
            .into(),
            2,
        ),
        (
            ResolveComplaint {
                complaint,
                by: agent,
                remedy: None,
                apology: true,
                summary: text("sorted").into(),
                follow_up: None,
            }
            .into(),
            11,
        ),
    ];
    for (command, hours) in steps {
        if let Ok(events) = ledger.execute(customer, command, at + TimeDelta::hours(hours)) {
            log.extend(events);
        }
    }
}

fn generated() -> Vec<Envelope> {
    let n: u128 = std::env::var("CLIENTELE_BENCH_WHAT_IF")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(20_000);
    let mut ledger = Ledger::new(policy()).unwrap_or_else(|_| unreachable!());
    let mut log = Vec::new();
    for c in 0..n {
        customer_day(&mut ledger, &mut log, c);
    }
    log.extend(ledger.advance_to(start() + TimeDelta::days(2)));
    log
}

fn helpdesk() -> Option<Vec<Envelope>> {
    let data = std::env::var_os("CLIENTELE_DATA")
        .map_or_else(|| PathBuf::from("../shared/data"), PathBuf::from);
    let path = data.join("helpdesk/finale.csv");
    let Ok(text) = std::fs::read_to_string(&path) else {
        println!(
            "{} is absent: the real helpdesk log is skipped",
            path.display()
        );
        return None;
    };
    Some(importer::import(importer::Layout::Helpdesk, &text, policy(), true).log)
}

fn decide_again(policy: &ServicePolicy, log: &[Envelope]) -> usize {
    let book = Book::from_log(log).unwrap_or_else(|_| unreachable!());
    book.histories()
        .map(|history| {
            Run::decide(policy, history)
                .map(|run| run.log().len())
                .unwrap_or(0)
        })
        .sum()
}

fn what_if(c: &mut Criterion) {
    let mut candidate = policy();
    candidate.complaints.resolve.default.high = Span::hours(4);
    let logs = [("generated", Some(generated())), ("helpdesk", helpdesk())];
    for (name, log) in logs {
        let Some(log) = log else { continue };
        println!("{name}: {} events", log.len());
        assert_eq!(decide_again(&policy(), &log), log.len());
        let mut group = c.benchmark_group(format!("what_if/{name}"));
        group.sample_size(10);
        group.throughput(Throughput::Elements(log.len() as u64));
        group.bench_function("replay", |b| {
            b.iter(|| Ledger::replay(policy(), black_box(&log)).map(|l| l.len()))
        });
        group.bench_function("decide_again", |b| {
            b.iter(|| decide_again(&policy(), black_box(&log)))
        });
        group.bench_function("compare", |b| {
            b.iter(|| {
                let book = Book::from_log(black_box(&log)).unwrap_or_else(|_| unreachable!());
                Comparison::of(&book, &policy(), &candidate).map(|c| c.customers.len())
            })
        });
        group.finish();
    }
}

criterion_group!(benches, what_if);
criterion_main!(benches);
