//! Complaint invariants over random histories (proptest; `PROPTEST_CASES`, CI sets 256):
//! replay equals live state; advancing in steps equals advancing once; a resolution clock
//! breaches at most once per run (a reopen that continues the clock stays in the same run) and
//! never before its due instant, and exactly once when a run is left running past it; paused
//! time never counts toward the target.

mod support;

use chrono::{DateTime, TimeDelta, Utc};
use clientele::ComplaintEvent;
use clientele::complaint::ComplaintClockKind;
use clientele::policy::ReopenMode;
use clientele::{
    AcknowledgeComplaint, AgentId, AssignComplaint, AwaitCustomer, Channel, CloseComplaint,
    Command, ComplaintId, CompleteFollowUp, Envelope, EscalateComplaint, Event, FollowUpId,
    FollowUpOutcome, ReceiveComplaint, RegisterCustomer, Relationship, ReopenComplaint,
    RequestEscalation, ResolveComplaint, ResumeComplaint, ServicePolicy,
};
use proptest::prelude::*;
use support::*;

const C: ComplaintId = ComplaintId::from_u128(0xc1);

#[derive(Debug, Clone)]
enum Op {
    Ack,
    Assign,
    Escalate(u32),
    Ask,
    Wait,
    Resume,
    Resolve,
    Close,
    Reopen,
    FollowUp(FollowUpOutcome),
    Advance,
}

fn op() -> impl Strategy<Value = (i64, Op)> {
    let op = prop_oneof![
        Just(Op::Ack),
        Just(Op::Assign),
        (1u32..=3).prop_map(Op::Escalate),
        Just(Op::Ask),
        Just(Op::Wait),
        Just(Op::Resume),
        Just(Op::Resolve),
        Just(Op::Close),
        Just(Op::Reopen),
        prop::sample::select(vec![
            FollowUpOutcome::Satisfied,
            FollowUpOutcome::NotSatisfied,
            FollowUpOutcome::Unreachable
        ])
        .prop_map(Op::FollowUp),
        Just(Op::Advance),
        Just(Op::Advance),
    ];
    (0i64..=30 * 3600, op)
}

fn policy(mode: ReopenMode) -> ServicePolicy {
    let mut policy = ServicePolicy::default();
    policy.complaints.reopen = mode;
    policy
}

fn play(
    mode: ReopenMode,
    ops: &[(i64, Op)],
    advancing: bool,
) -> (Relationship, Vec<Envelope>, DateTime<Utc>) {
    let policy = policy(mode);
    let mut now = t("2026-03-02 09:00");
    let mut relationship = Relationship::new(ONA);
    let mut log = relationship
        .execute(
            &policy,
            RegisterCustomer::new(text("Ona"), tier("standard")),
            now,
        )
        .unwrap();
    log.extend(
        relationship
            .execute(
                &policy,
                ReceiveComplaint::new(C, Channel::Phone, text("x")),
                now,
            )
            .unwrap(),
    );
    let mut follow_ups = 0u128;
    for (gap, op) in ops {
        now += TimeDelta::seconds(*gap);
        let latest = FollowUpId::from_u128(follow_ups);
        let command: Option<Command> = match op {
            Op::Ack => Some(
                AcknowledgeComplaint {
                    complaint: C,
                    by: AGENT,
                }
                .into(),
            ),
            Op::Assign => Some(
                AssignComplaint {
                    complaint: C,
                    owner: AgentId::from_u128(101),
                }
                .into(),
            ),
            Op::Escalate(level) => Some(
                EscalateComplaint {
                    complaint: C,
                    to_level: *level,
                    owner: AgentId::from_u128(102),
                }
                .into(),
            ),
            Op::Ask => Some(RequestEscalation { complaint: C }.into()),
            Op::Wait => Some(AwaitCustomer { complaint: C }.into()),
            Op::Resume => Some(ResumeComplaint { complaint: C }.into()),
            Op::Resolve => {
                follow_ups += 1;
                Some(
                    ResolveComplaint {
                        complaint: C,
                        by: AGENT,
                        remedy: None,
                        apology: true,
                        summary: text("done").into(),
                        follow_up: Some(FollowUpId::from_u128(follow_ups)),
                    }
                    .into(),
                )
            }
            Op::Close => Some(CloseComplaint { complaint: C }.into()),
            Op::Reopen => Some(
                ReopenComplaint {
                    complaint: C,
                    reason: text("back").into(),
                }
                .into(),
            ),
            Op::FollowUp(outcome) => Some(
                CompleteFollowUp {
                    follow_up: latest,
                    outcome: *outcome,
                    note: None,
                }
                .into(),
            ),
            Op::Advance => None,
        };
        match command {
            Some(command) => {
                if let Ok(events) = relationship.execute(&policy, command, now) {
                    log.extend(events);
                }
            }
            None if advancing => {
                log.extend(relationship.advance_to(&policy, now));
                assert!(relationship.advance_to(&policy, now).is_empty());
                assert!(relationship.next_deadline().is_none_or(|d| d.at > now));
            }
            None => {}
        }
    }
    let end = now + TimeDelta::days(20);
    log.extend(relationship.advance_to(&policy, end));
    (relationship, log, end)
}

/// One run of the resolution clock.
struct Run {
    due: DateTime<Utc>,
    breaches: Vec<DateTime<Utc>>,
}

proptest! {
    #[test]
    fn complaint_invariants_hold(
        mode in prop::sample::select(vec![ReopenMode::Continue, ReopenMode::Restart, ReopenMode::NewCycle]),
        ops in prop::collection::vec(op(), 0..40),
    ) {
        let (live, log, _end) = play(mode, &ops, true);
        prop_assert_eq!(&Relationship::replay(ONA, &log).unwrap(), &live);
        let (once, once_log, _) = play(mode, &ops, false);
        prop_assert_eq!(&once_log, &log);
        prop_assert_eq!(&once, &live);

        let mut runs: Vec<Run> = Vec::new();
        let mut paused_at: Option<DateTime<Utc>> = None;
        for envelope in &log {
            match &envelope.event {
                Event::Complaint(ComplaintEvent::Received { resolution, .. }) => runs.push(Run { due: resolution.due.unwrap(), breaches: vec![] }),
                Event::Complaint(ComplaintEvent::AwaitingCustomer { resolution: Some(_), .. }) => paused_at = Some(envelope.at),
                Event::Complaint(ComplaintEvent::Resumed { resolution: Some(terms), .. }) => {
                    let run = runs.last_mut().unwrap();
                    let pause = paused_at.take().unwrap();
                    if run.breaches.is_empty() && run.due > pause {
                        // Paused time never counts: the due instant moves by exactly the pause.
                        prop_assert_eq!(terms.due.unwrap(), run.due + (envelope.at - pause));
                    }
                    run.due = terms.due.unwrap();
                }
                Event::Complaint(ComplaintEvent::Reopened { mode, resolution, .. }) => {
                    paused_at = None;
                    if *mode == ReopenMode::Continue {
                        runs.last_mut().unwrap().due = resolution.due.unwrap();
                    } else {
                        runs.push(Run { due: resolution.due.unwrap(), breaches: vec![] });
                    }
                }
                Event::Complaint(ComplaintEvent::ClockBreached { clock: ComplaintClockKind::Resolution, due, .. }) => {
                    let run = runs.last_mut().unwrap();
                    prop_assert_eq!(*due, run.due);
                    prop_assert!(envelope.at >= run.due, "breached at {} before {}", envelope.at, run.due);
                    run.breaches.push(envelope.at);
                }
                _ => {}
            }
        }
        for run in &runs {
            prop_assert!(run.breaches.len() <= 1, "{} breaches in one run", run.breaches.len());
        }
        let complaint = live.complaint(C).unwrap();
        if complaint.resolution.phase == clientele::complaint::ClockPhase::Running {
            // Left running for 20 days past the last command: the last run breached exactly once.
            prop_assert_eq!(runs.last().unwrap().breaches.len(), 1);
        }
    }
}
