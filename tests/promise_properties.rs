//! Promise invariants over random histories (proptest; `PROPTEST_CASES`, CI sets 256):
//! no broken event before the due instant in force and exactly one per revision after it while
//! open; slip count equals the number of revisions; replay equals live state; kept-late
//! lateness equals keep time minus due instant; advancing in steps equals advancing once.

mod support;

use chrono::{DateTime, TimeDelta, Utc};
use clientele::PromiseEvent;
use clientele::outcome::Outcome;
use clientele::promise::PromiseStage;
use clientele::{
    Channel, Command, CommandError, Envelope, Event, InteractionId, KeepPromise, MakePromise,
    MeetDependency, PartyId, PromiseId, RecordDependency, RecordInteraction, RegisterCustomer,
    Relationship, RevisePromise, ServicePolicy, Span, WithdrawPromise,
};
use proptest::prelude::*;
use support::*;

const P: PromiseId = PromiseId::from_u128(0x91);
const LAB: PartyId = PartyId::from_u128(0x1ab);

#[derive(Debug, Clone)]
enum Op {
    Revise { gap: i64, extend: i64, agreed: bool },
    Keep { gap: i64 },
    Withdraw { gap: i64 },
    Tell { gap: i64 },
    Depend { gap: i64, within: i64 },
    Meet { gap: i64 },
    Advance { gap: i64 },
}

fn op() -> impl Strategy<Value = Op> {
    let gap = 0i64..=3 * 86_400;
    prop_oneof![
        3 => (gap.clone(), 3600i64..=10 * 86_400, any::<bool>()).prop_map(|(gap, extend, agreed)| Op::Revise { gap, extend, agreed }),
        1 => gap.clone().prop_map(|gap| Op::Keep { gap }),
        1 => gap.clone().prop_map(|gap| Op::Withdraw { gap }),
        2 => gap.clone().prop_map(|gap| Op::Tell { gap }),
        2 => (gap.clone(), 60i64..=5 * 86_400).prop_map(|(gap, within)| Op::Depend { gap, within }),
        1 => gap.clone().prop_map(|gap| Op::Meet { gap }),
        4 => gap.prop_map(|gap| Op::Advance { gap }),
    ]
}

struct Run {
    relationship: Relationship,
    log: Vec<Envelope>,
}

fn play(first_due_hours: i64, ops: &[Op], advancing: bool) -> Run {
    let policy = ServicePolicy::default();
    let mut now = t("2026-03-02 10:00");
    let mut relationship = Relationship::new(ONA);
    let mut log = relationship
        .execute(
            &policy,
            RegisterCustomer::new(text("Ona"), tier("standard")),
            now,
        )
        .unwrap();
    let due = now + TimeDelta::hours(first_due_hours);
    let make = MakePromise::new(P, text("Glasses"), due, AGENT).fulfilled_by(LAB, text("Lab"));
    log.extend(relationship.execute(&policy, make, now).unwrap());
    for (n, op) in ops.iter().enumerate() {
        // A closed promise is archived; the commands made of its last due instant are refused.
        let current_due = relationship.promise(P).map_or(due, |p| p.terms.due);
        let (gap, command): (i64, Option<Command>) = match op {
            Op::Revise {
                gap,
                extend,
                agreed,
            } => {
                let at = now + TimeDelta::seconds(*gap);
                let due = current_due.max(at) + TimeDelta::seconds(*extend);
                (
                    *gap,
                    Some(
                        RevisePromise {
                            promise: P,
                            due,
                            reason: text("later").into(),
                            customer_agreed: *agreed,
                        }
                        .into(),
                    ),
                )
            }
            Op::Keep { gap } => (*gap, Some(KeepPromise { promise: P }.into())),
            Op::Withdraw { gap } => (
                *gap,
                Some(
                    WithdrawPromise {
                        promise: P,
                        reason: text("no").into(),
                    }
                    .into(),
                ),
            ),
            Op::Tell { gap } => {
                let tell = RecordInteraction::outbound(
                    InteractionId::from_u128(n as u128 + 1),
                    Channel::Sms,
                    AGENT,
                    text("update"),
                )
                .regarding(P);
                (*gap, Some(tell.into()))
            }
            Op::Depend { gap, within } => {
                let due = now + TimeDelta::seconds(gap + within);
                (
                    *gap,
                    Some(
                        RecordDependency {
                            promise: P,
                            party: LAB,
                            commitment: text("lenses").into(),
                            reference: None,
                            due,
                        }
                        .into(),
                    ),
                )
            }
            Op::Meet { gap } => (*gap, Some(MeetDependency { promise: P }.into())),
            Op::Advance { gap } => (*gap, None),
        };
        now += TimeDelta::seconds(gap);
        match command {
            Some(command) => match relationship.execute(&policy, command, now) {
                Ok(events) => log.extend(events),
                Err(
                    CommandError::InvalidTransition { .. }
                    | CommandError::NoDependency(_)
                    | CommandError::DueNotInFuture { .. },
                ) => {}
                Err(e) => panic!("unexpected refusal: {e}"),
            },
            None if advancing => {
                log.extend(relationship.advance_to(&policy, now));
                assert!(relationship.advance_to(&policy, now).is_empty());
                assert!(relationship.next_deadline().is_none_or(|d| d.at > now));
            }
            None => {}
        }
    }
    log.extend(relationship.advance_to(&policy, now + TimeDelta::days(30)));
    Run { relationship, log }
}

/// One due instant in force: from when, until when, and the breaks seen.
struct Period {
    due: DateTime<Utc>,
    ended: Option<DateTime<Utc>>,
    breaks: Vec<DateTime<Utc>>,
}

proptest! {
    #[test]
    fn promise_invariants_hold(first_due in 1i64..=240, ops in prop::collection::vec(op(), 0..30)) {
        let run = play(first_due, &ops, true);
        let end = run.log.last().unwrap().at.max(t("2026-03-02 10:00") + TimeDelta::days(30));

        prop_assert_eq!(&Relationship::replay(ONA, &run.log).unwrap(), &run.relationship);
        let once = play(first_due, &ops, false);
        prop_assert_eq!(&once.log, &run.log);

        let mut periods: Vec<Period> = Vec::new();
        let mut revisions = 0u32;
        for envelope in &run.log {
            match &envelope.event {
                Event::Promise(PromiseEvent::Made { due, .. }) => periods.push(Period { due: *due, ended: None, breaks: vec![] }),
                Event::Promise(PromiseEvent::Revised { due, .. }) => {
                    revisions += 1;
                    periods.last_mut().unwrap().ended = Some(envelope.at);
                    periods.push(Period { due: *due, ended: None, breaks: vec![] });
                }
                Event::Promise(PromiseEvent::Kept { due, outcome, .. }) => {
                    periods.last_mut().unwrap().ended = Some(envelope.at);
                    match outcome {
                        Outcome::Met => prop_assert!(envelope.at < *due),
                        Outcome::MetLate { lateness } => {
                            prop_assert_eq!(lateness.wall, Span::try_from(envelope.at - *due).unwrap());
                        }
                        Outcome::Missed { .. } => prop_assert!(false, "a kept promise is never missed"),
                        Outcome::Untimed => prop_assert!(false, "a promise always has its due instant"),
                    }
                }
                Event::Promise(PromiseEvent::Withdrawn { .. }) => periods.last_mut().unwrap().ended = Some(envelope.at),
                Event::Promise(PromiseEvent::Broken { due, .. }) => {
                    let period = periods.last_mut().unwrap();
                    prop_assert_eq!(*due, period.due);
                    period.breaks.push(envelope.at);
                }
                _ => {}
            }
        }
        for period in &periods {
            prop_assert!(period.breaks.iter().all(|at| *at >= period.due), "broken before {}", period.due);
            let expected = usize::from(period.ended.unwrap_or(end) >= period.due);
            prop_assert_eq!(period.breaks.len(), expected, "due {} ended {:?}", period.due, period.ended);
        }
        match run.relationship.promise(P) {
            Some(promise) => prop_assert_eq!(promise.terms.slips(), revisions),
            // Kept or withdrawn: archived with the stage it closed in (the lateness of a late
            // keep is in its event's outcome).
            None => prop_assert!(matches!(
                run.relationship.promise_stage(P),
                Some(PromiseStage::Kept | PromiseStage::KeptLate | PromiseStage::Withdrawn)
            )),
        }
    }
}
