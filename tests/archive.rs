//! Closed promises and follow-ups, and every interaction id, leave the open state for the
//! archive (see the `relationship` module docs). Archiving must change no behaviour: a
//! duplicate id is refused, a command on a closed item is refused by its stage, a copy held
//! aside neither sees nor loses what the original archives, and replay equals live execution
//! and answers health the same, however the ids are ordered.

mod support;

use chrono::TimeDelta;
use clientele::complaint::ComplaintStage;
use clientele::follow_up::FollowUpStage;
use clientele::promise::PromiseStage;
use clientele::{
    Channel, CloseComplaint, Command, CommandError, ComplaintId, CompleteFollowUp, FollowUpId,
    FollowUpOutcome, InteractionId, KeepPromise, MakePromise, ReceiveComplaint, RecordInteraction,
    RegisterCustomer, Relationship, ReopenComplaint, ResolveComplaint, RevisePromise,
    ScheduleFollowUp, ServicePolicy, WithdrawPromise,
};
use proptest::prelude::*;
use support::*;

fn registered(policy: &ServicePolicy) -> Relationship {
    let mut ona = Relationship::new(ONA);
    ona.execute(
        policy,
        RegisterCustomer::new(text("Ona"), tier("standard")).owned_by(AGENT),
        t("2026-03-02 09:00"),
    )
    .unwrap();
    ona
}

fn make(id: u128, due: chrono::DateTime<chrono::Utc>) -> MakePromise {
    MakePromise::new(
        clientele::PromiseId::from_u128(id),
        text("a part"),
        due,
        AGENT,
    )
}

#[test]
fn a_closed_promise_is_archived_and_refuses_as_it_did() {
    let policy = ServicePolicy::default();
    let mut ona = registered(&policy);
    let now = t("2026-03-02 10:00");
    let p = clientele::PromiseId::from_u128(7);
    ona.execute(&policy, make(7, now + TimeDelta::days(3)), now)
        .unwrap();
    ona.execute(&policy, KeepPromise { promise: p }, now)
        .unwrap();
    assert!(ona.promise(p).is_none(), "kept: out of the open state");
    assert_eq!(ona.promise_stage(p), Some(PromiseStage::Kept));
    let before = ona.clone();

    let again = ona.decide(&policy, &make(7, now + TimeDelta::days(5)).into(), now);
    assert_eq!(again, Err(CommandError::DuplicatePromise(p)));
    let keep = ona.decide(&policy, &KeepPromise { promise: p }.into(), now);
    assert_eq!(
        keep,
        Err(CommandError::InvalidTransition {
            entity: "promise",
            from: "kept",
            action: "keep"
        })
    );
    let revise = RevisePromise {
        promise: p,
        due: now + TimeDelta::days(9),
        reason: text("later").into(),
        customer_agreed: true,
    };
    assert!(matches!(
        ona.decide(&policy, &revise.into(), now),
        Err(CommandError::InvalidTransition {
            from: "kept",
            action: "revise",
            ..
        })
    ));
    // An interaction may still be about it, a refusal changes nothing.
    let tell = RecordInteraction::outbound(
        InteractionId::from_u128(1),
        Channel::Sms,
        AGENT,
        text("done"),
    )
    .regarding(p);
    assert!(ona.decide(&policy, &tell.into(), now).is_ok());
    assert_eq!(ona, before);
}

#[test]
fn a_closed_follow_up_is_archived_and_refuses_as_it_did() {
    let policy = ServicePolicy::default();
    let mut ona = registered(&policy);
    let now = t("2026-03-02 10:00");
    let f = FollowUpId::from_u128(3);
    let schedule = ScheduleFollowUp {
        follow_up: f,
        owner: AGENT,
        due: now + TimeDelta::days(2),
        reason: text("check in").into(),
        complaint: None,
    };
    ona.execute(&policy, schedule.clone(), now).unwrap();
    let complete = CompleteFollowUp {
        follow_up: f,
        outcome: FollowUpOutcome::Satisfied,
        note: None,
    };
    ona.execute(&policy, complete.clone(), now).unwrap();
    assert!(ona.follow_up(f).is_none());
    assert_eq!(ona.follow_up_stage(f), Some(FollowUpStage::Done));
    assert_eq!(
        ona.decide(&policy, &schedule.into(), now),
        Err(CommandError::DuplicateFollowUp(f))
    );
    assert_eq!(
        ona.decide(&policy, &complete.into(), now),
        Err(CommandError::InvalidTransition {
            entity: "follow-up",
            from: "done",
            action: "complete"
        })
    );
}

/// One step of a customer's long history.
#[derive(Debug, Clone)]
enum Step {
    /// An interaction with this id (drawn at random: UUIDv4-like, in no order).
    Talk(u128, bool),
    /// A promise made, then kept or withdrawn `close` steps later (or left open).
    Promise(u128, Option<bool>),
    /// An id used before, used again: refused.
    Reuse,
    /// A copy of the relationship taken and kept aside for the rest of the run.
    Copy,
    /// A complaint received, resolved and closed (it leaves the open state).
    Complaint(u128),
    /// The `n`th complaint closed so far (modulo their number) reopened, resolved and closed
    /// again.
    Reopen(usize),
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        6 => (any::<u128>(), any::<bool>()).prop_map(|(id, inbound)| Step::Talk(id, inbound)),
        4 => (any::<u128>(), proptest::option::of(any::<bool>())).prop_map(|(id, c)| Step::Promise(id, c)),
        1 => Just(Step::Reuse),
        1 => Just(Step::Copy),
        2 => any::<u128>().prop_map(Step::Complaint),
        1 => any::<usize>().prop_map(Step::Reopen),
    ]
}

/// Resolves and closes `complaint`: the events.
fn resolve_and_close(
    ona: &mut Relationship,
    policy: &ServicePolicy,
    complaint: ComplaintId,
    now: chrono::DateTime<chrono::Utc>,
) -> Vec<clientele::Envelope> {
    let mut events = ona
        .execute(
            policy,
            ResolveComplaint::new(complaint, AGENT, text("sent again")),
            now,
        )
        .unwrap();
    events.extend(
        ona.execute(policy, CloseComplaint { complaint }, now)
            .unwrap(),
    );
    events
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Long histories (past the archive's buffer and its unsharing threshold), ids in any
    /// order: replay equals live, health is the same, every archived id is still refused,
    /// and copies kept aside are untouched by what the original archives after them. Closed
    /// complaints leave the open state and come back when reopened, with their history.
    #[test]
    fn archiving_keeps_replay_health_and_refusals(steps in proptest::collection::vec(step(), 1..160)) {
        let policy = ServicePolicy::default();
        let mut ona = Relationship::new(ONA);
        let register = RegisterCustomer::new(text("Ona"), tier("standard")).owned_by(AGENT);
        let mut log = ona.execute(&policy, register, t("2026-03-02 09:00")).unwrap();
        let mut now = t("2026-03-02 10:00");
        let mut used: Vec<Command> = Vec::new();
        let mut copies: Vec<(Relationship, u64)> = Vec::new();
        let mut closed: Vec<ComplaintId> = Vec::new();
        for step in &steps {
            now += TimeDelta::minutes(7);
            match step {
                Step::Talk(id, inbound) => {
                    let id = InteractionId::from_u128(*id);
                    let record = if *inbound {
                        RecordInteraction::inbound(id, Channel::Email, text("hi"))
                    } else {
                        RecordInteraction::outbound(id, Channel::Email, AGENT, text("hello"))
                    };
                    if let Ok(events) = ona.execute(&policy, record.clone(), now) {
                        log.extend(events);
                        used.push(record.into());
                    }
                }
                Step::Promise(id, close) => {
                    let made = make(*id, now + TimeDelta::days(30));
                    let promise = made.promise;
                    if let Ok(events) = ona.execute(&policy, made.clone(), now) {
                        log.extend(events);
                        used.push(made.into());
                        let closing: Option<Command> = match close {
                            Some(true) => Some(KeepPromise { promise }.into()),
                            Some(false) => Some(WithdrawPromise { promise, reason: text("no").into() }.into()),
                            None => None,
                        };
                        if let Some(command) = closing {
                            log.extend(ona.execute(&policy, command, now).unwrap());
                        }
                    }
                }
                Step::Reuse => {
                    if let Some(command) = used.get(used.len() / 2) {
                        let before = ona.clone();
                        let refused = ona.execute(&policy, command.clone(), now);
                        prop_assert!(matches!(
                            refused,
                            Err(CommandError::DuplicateInteraction(_) | CommandError::DuplicatePromise(_))
                        ), "{refused:?}");
                        prop_assert_eq!(&ona, &before);
                    }
                }
                Step::Copy => copies.push((ona.clone(), ona.version())),
                Step::Complaint(id) => {
                    let complaint = ComplaintId::from_u128(*id);
                    let received = ReceiveComplaint::new(complaint, Channel::Email, text("late"));
                    let archived = ona.archived();
                    if let Ok(events) = ona.execute(&policy, received, now) {
                        log.extend(events);
                        log.extend(resolve_and_close(&mut ona, &policy, complaint, now));
                        closed.push(complaint);
                        prop_assert_eq!(ona.archived(), archived + 1, "a closed complaint leaves play");
                    }
                }
                Step::Reopen(n) => {
                    if let Some(complaint) = closed.get(n % closed.len().max(1)).copied() {
                        let reopened = ona.complaint(complaint).map_or(0, |c| c.reopened);
                        let reopen = ReopenComplaint::new(complaint, text("still broken"));
                        log.extend(ona.execute(&policy, reopen, now).unwrap());
                        let back = ona.complaint(complaint).unwrap();
                        prop_assert!(back.is_open(), "a reopened complaint is back in play");
                        prop_assert_eq!(back.reopened, reopened + 1, "with its history");
                        log.extend(resolve_and_close(&mut ona, &policy, complaint, now));
                    }
                }
            }
        }
        for complaint in &closed {
            prop_assert_eq!(ona.complaint(*complaint).map(|c| c.stage()), Some(ComplaintStage::Closed));
        }
        prop_assert_eq!(ona.complaints().count(), closed.len());
        let json = serde_json::to_string(&ona).unwrap();
        prop_assert_eq!(&serde_json::from_str::<Relationship>(&json).unwrap(), &ona);
        let replayed = Relationship::replay(ONA, &log).unwrap();
        prop_assert_eq!(&replayed, &ona);
        prop_assert_eq!(replayed.health(&policy, now), ona.health(&policy, now));
        prop_assert_eq!(replayed.archived(), ona.archived());
        for command in &used {
            prop_assert!(ona.decide(&policy, command, now).is_err(), "{command:?} taken twice");
        }
        for (copy, version) in &copies {
            let upto: Vec<_> = log.iter().filter(|e| e.seq <= *version).cloned().collect();
            prop_assert_eq!(copy, &Relationship::replay(ONA, &upto).unwrap());
        }
    }
}
