//! Invariants over random histories (proptest). Case count: `PROPTEST_CASES` (CI sets 256).
//!
//! - replay of the produced events equals the live state;
//! - `advance_to` twice equals once, and advancing in steps equals advancing at once;
//! - after `advance_to(t)`, `next_deadline()` is after `t` or none;
//! - no `ResponseOverdue` before its deadline, and exactly one after it while unanswered.

mod support;

use chrono::{DateTime, TimeDelta, Utc};
use clientele::ResponseEvent;
use clientele::policy::{ByPriority, Lead, Targets};
use clientele::{
    Channel, Command, Envelope, Event, InteractionId, Priority, RecordInteraction,
    RegisterCustomer, Relationship, ServicePolicy, Span, UpdateProfile,
};
use proptest::prelude::*;
use support::*;

#[derive(Debug, Clone)]
enum Op {
    Inbound {
        gap: i64,
        priority: Priority,
        awaits: bool,
    },
    Outbound {
        gap: i64,
    },
    Tier {
        gap: i64,
        gold: bool,
    },
    Advance {
        gap: i64,
    },
}

fn op() -> impl Strategy<Value = Op> {
    let gap = 0i64..=6 * 3600;
    let priority = prop::sample::select(Priority::ALL.to_vec());
    prop_oneof![
        4 => (gap.clone(), priority, prop::bool::weighted(0.8)).prop_map(|(gap, priority, awaits)| Op::Inbound { gap, priority, awaits }),
        2 => gap.clone().prop_map(|gap| Op::Outbound { gap }),
        1 => (gap.clone(), any::<bool>()).prop_map(|(gap, gold)| Op::Tier { gap, gold }),
        3 => gap.prop_map(|gap| Op::Advance { gap }),
    ]
}

fn policy() -> ServicePolicy {
    ServicePolicy {
        first_response: Targets::new(ByPriority {
            low: Span::hours(8),
            normal: Span::hours(4),
            high: Span::hours(2),
            urgent: Span::minutes(30),
        })
        .with_tier(tier("gold"), ByPriority::uniform(Span::hours(1))),
        reply: Targets::new(ByPriority::uniform(Span::hours(3))),
        response_warning: Lead::Before(Span::minutes(45)),
        ..ServicePolicy::default()
    }
}

struct Run {
    relationship: Relationship,
    log: Vec<Envelope>,
    end: DateTime<Utc>,
}

/// Plays `ops`; with `advancing == false` the `Advance` ops only move time.
fn play(ops: &[Op], advancing: bool) -> Run {
    let policy = policy();
    let mut now = t("2026-03-06 09:00");
    let mut relationship = Relationship::new(ONA);
    let mut log = relationship
        .execute(
            &policy,
            RegisterCustomer::new(text("Ona"), tier("standard")),
            now,
        )
        .unwrap();
    for (n, op) in ops.iter().enumerate() {
        let id = InteractionId::from_u128(n as u128 + 1);
        let (gap, command): (i64, Option<Command>) = match op {
            Op::Inbound {
                gap,
                priority,
                awaits,
            } => {
                let mut record =
                    RecordInteraction::inbound(id, Channel::Email, text("q")).priority(*priority);
                record.awaits_reply = *awaits;
                (*gap, Some(record.into()))
            }
            Op::Outbound { gap } => (
                *gap,
                Some(RecordInteraction::outbound(id, Channel::Phone, AGENT, text("a")).into()),
            ),
            Op::Tier { gap, gold } => {
                let tier = tier(if *gold { "gold" } else { "standard" });
                (
                    *gap,
                    Some(
                        UpdateProfile {
                            tier: Some(tier),
                            ..Default::default()
                        }
                        .into(),
                    ),
                )
            }
            Op::Advance { gap } => (*gap, None),
        };
        now += TimeDelta::seconds(gap);
        match command {
            Some(command) => match relationship.execute(&policy, command, now) {
                Ok(events) => log.extend(events),
                Err(clientele::CommandError::NothingToChange) => {}
                Err(e) => panic!("unexpected refusal: {e}"),
            },
            None if advancing => {
                let events = relationship.advance_to(&policy, now);
                if let Some(next) = relationship.next_deadline() {
                    assert!(
                        next.at > now,
                        "after advance_to({now}) the next deadline {} is not later",
                        next.at
                    );
                }
                let again = relationship.clone();
                assert!(
                    relationship.advance_to(&policy, now).is_empty(),
                    "a second advance_to({now}) emitted events"
                );
                assert_eq!(relationship, again);
                log.extend(events);
            }
            None => {}
        }
    }
    let end = now + TimeDelta::days(3);
    log.extend(relationship.advance_to(&policy, end));
    Run {
        relationship,
        log,
        end,
    }
}

/// A clock seen in a log: who started it, its due instant, when it stopped, its overdue events.
type ClockTrace = (
    InteractionId,
    DateTime<Utc>,
    Option<DateTime<Utc>>,
    Vec<DateTime<Utc>>,
);

proptest! {
    #[test]
    fn replay_equals_live_state(ops in prop::collection::vec(op(), 0..40)) {
        let run = play(&ops, true);
        let replayed = Relationship::replay(ONA, &run.log).unwrap();
        prop_assert_eq!(&replayed, &run.relationship);
        prop_assert_eq!(replayed.next_deadline(), run.relationship.next_deadline());
        prop_assert_eq!(replayed.flags(run.end), run.relationship.flags(run.end));
    }

    #[test]
    fn advancing_in_steps_equals_advancing_once(ops in prop::collection::vec(op(), 0..40)) {
        let stepped = play(&ops, true);
        let once = play(&ops, false);
        prop_assert_eq!(stepped.log, once.log);
        prop_assert_eq!(stepped.relationship, once.relationship);
    }

    #[test]
    fn overdue_exactly_once_after_the_deadline_never_before(ops in prop::collection::vec(op(), 0..40)) {
        let run = play(&ops, true);
        // For every clock: its start, its stop (if any), and its overdue events.
        let mut clocks: Vec<ClockTrace> = Vec::new();
        for envelope in &run.log {
            match &envelope.event {
                Event::Response(ResponseEvent::ClockStarted { since, due, .. }) => clocks.push((*since, due.unwrap(), None, Vec::new())),
                Event::Response(ResponseEvent::ClockStopped { since, .. }) => {
                    let clock = clocks.iter_mut().rev().find(|c| c.0 == *since).unwrap();
                    clock.2 = Some(envelope.at);
                }
                Event::Response(ResponseEvent::Overdue { since, due }) => {
                    let clock = clocks.iter_mut().rev().find(|c| c.0 == *since).unwrap();
                    prop_assert_eq!(*due, clock.1);
                    clock.3.push(envelope.at);
                }
                _ => {}
            }
        }
        for (since, due, stopped, overdue) in clocks {
            prop_assert!(overdue.iter().all(|at| *at >= due), "overdue before {} for {}", due, since);
            let ended = stopped.unwrap_or(run.end);
            let expected = usize::from(ended >= due);
            prop_assert_eq!(overdue.len(), expected, "clock {} due {} ended {}", since, due, ended);
        }
    }
}
