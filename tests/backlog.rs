//! A backlog of deadlines, however large, becomes facts dated at their own deadlines (issue 13,
//! "nothing counted twice or late"): on the command path and in `advance_to` alike.

mod support;

use chrono::{DateTime, TimeDelta, Utc};
use clientele::promise::Fulfiller;
use clientele::{
    Channel, CustomerEvent, Envelope, Event, Ledger, PartyId, Personal, PromiseEvent, PromiseId,
    RegisterCustomer, Relationship, SCHEMA_VERSION, ServicePolicy,
};
use support::*;

const PROMISES: u128 = 33_400;

fn envelope(seq: u64, at: DateTime<Utc>, event: Event) -> Envelope {
    Envelope {
        v: SCHEMA_VERSION,
        customer: ONA,
        seq,
        at,
        event,
        key: None,
        recorded: None,
    }
}

/// Ona, registered on Monday, with 33,400 promises made on Monday, each with an outside
/// party's commitment behind it, falling due over Wednesday to Friday: three deadlines each
/// (the warning two hours before, the party's date an hour before, the due instant), 100,200
/// in all. Built from stored events:
/// deciding them one by one would take the test longer than the point it makes.
fn backlog_log() -> Vec<Envelope> {
    let monday = t("2026-03-02 09:00");
    let wednesday = t("2026-03-04 00:00");
    let mut log = vec![envelope(
        1,
        monday,
        Event::Customer(CustomerEvent::Registered {
            name: Personal::new(text("Ona")),
            tier: tier("standard"),
            contacts: Default::default(),
            preferred_channel: None,
            owner: Some(AGENT),
        }),
    )];
    let three_days = 3 * 24 * 3600;
    for n in 0..PROMISES {
        let offset = i64::try_from(n).unwrap() * three_days / i64::try_from(PROMISES).unwrap();
        let due = wednesday + TimeDelta::seconds(offset);
        let promise = PromiseId::from_u128(n + 1);
        let seq = 2 + 2 * u64::try_from(n).unwrap();
        log.push(envelope(
            seq,
            monday,
            Event::Promise(PromiseEvent::Made {
                promise,
                what: Personal::new(text("a part")),
                due,
                owner: AGENT,
                fulfiller: Fulfiller::Us,
                interaction: None,
                complaint: None,
                at_risk_at: Some(due - TimeDelta::hours(2)),
            }),
        ));
        log.push(envelope(
            seq + 1,
            monday,
            Event::Promise(PromiseEvent::DependencyRecorded {
                promise,
                party: PartyId::from_u128(7),
                commitment: Personal::new(text("ship the part")),
                reference: None,
                due: due - TimeDelta::hours(1),
            }),
        ));
    }
    log
}

fn backlog() -> (Relationship, DateTime<Utc>) {
    let ona = Relationship::replay(ONA, &backlog_log()).unwrap();
    (ona, t("2026-03-08 12:00"))
}

/// Every deadline event is dated at the instant of the deadline it records.
fn assert_dated_at_their_deadlines(events: &[Envelope]) {
    let mut counts = [0usize; 3];
    for e in events {
        match &e.event {
            Event::Promise(PromiseEvent::Broken { due, .. }) => {
                assert_eq!(e.at, *due, "a break dated {} for {}", e.at, due);
                counts[0] += 1;
            }
            Event::Promise(PromiseEvent::DependencyLate { due, .. }) => {
                assert_eq!(e.at, *due);
                counts[1] += 1;
            }
            Event::Promise(PromiseEvent::AtRisk { due, .. }) => {
                // At risk at the warning lead, two hours before the due instant (the party's
                // date, an hour before it, passes while the promise is at risk already).
                assert_eq!(e.at, *due - TimeDelta::hours(2));
                counts[2] += 1;
            }
            _ => {}
        }
    }
    let promises = usize::try_from(PROMISES).unwrap();
    assert_eq!(counts, [promises; 3], "breaks, dependencies late, at risk");
}

#[test]
fn a_backlog_of_100_200_deadlines_brought_up_by_one_command_is_dated_at_its_deadlines() {
    let (mut ona, later) = backlog();
    let policy = ServicePolicy::default();
    let events = ona
        .execute(&policy, inbound(1, Channel::Email), later)
        .unwrap();
    assert_dated_at_their_deadlines(&events);
    assert_eq!(
        events.last().map(|e| e.event.kind()),
        Some("response_clock_started")
    );
    assert!(ona.next_deadline().is_none_or(|d| d.at > later));
}

#[test]
fn a_backlog_of_100_200_deadlines_is_dated_at_its_deadlines_by_advance_to() {
    let (ona, later) = backlog();
    let policy = ServicePolicy::default();
    let mut alone = ona.clone();
    let events = alone.advance_to(&policy, later);
    assert_dated_at_their_deadlines(&events);
    assert!(alone.advance_to(&policy, later).is_empty());
}

#[test]
fn a_ledger_dates_a_backlog_at_its_deadlines_between_other_customers() {
    let policy = ServicePolicy::default();
    let mut ledger = Ledger::replay(policy, backlog_log()).unwrap();
    // Petras writes on Thursday: his response deadlines fall inside Ona's backlog.
    let thursday = t("2026-03-05 10:00");
    ledger
        .execute(
            PETRAS,
            RegisterCustomer::new(text("Petras"), tier("standard")),
            thursday,
        )
        .unwrap();
    let asked = ledger.execute(PETRAS, inbound(2, Channel::Email), thursday);
    // Ona's backlog up to Thursday came first (deciding for Petras does not touch Ona).
    assert_eq!(asked.map(|e| e.len()), Ok(2));
    let events = ledger.advance_to(t("2026-03-08 12:00"));
    let ona: Vec<Envelope> = events
        .iter()
        .filter(|e| e.customer == ONA)
        .cloned()
        .collect();
    assert_dated_at_their_deadlines(&ona);
    assert!(events.iter().any(|e| e.customer == PETRAS));
    assert!(
        events.windows(2).all(|w| w[0].at <= w[1].at),
        "in deadline order"
    );
}
