//! Deciding a history again under the policy it was recorded under is the identity: the log
//! read back into facts (`History::from_log`) and decided again (`Run::decide`) is exactly the
//! stored log, envelope for envelope. Over the health histories of `support::history`, and
//! over histories of every family with facts reported late, idempotency keys (retries among
//! them) and time advanced between facts.

mod support;

use chrono::{DateTime, TimeDelta, Utc};
use clientele::policy::{ByPriority, Targets, UpdatePolicy};
use clientele::survey::{SurveyAnswer, SurveyKind};
use clientele::what_if::{Book, BookRun, History, Run};
use clientele::{
    AcknowledgeComplaint, AnswerSurvey, AssignComplaint, AwaitCustomer, AwaitOutsideParty, Channel,
    Command, ComplaintId, CompleteFollowUp, CsatScore, EndOutsideWait, Envelope, FollowUpId,
    FollowUpOutcome, IdempotencyKey, KeepPromise, MakePromise, PartyId, Priority, PromiseId,
    ReceiveComplaint, RegisterCustomer, Relationship, ReopenComplaint, ReprioritiseComplaint,
    Request, RequestEscalation, RequestSurvey, ResolveComplaint, ResumeComplaint, RevisePromise,
    ScheduleFollowUp, ServicePolicy, Span, SurveyId, UpdateProfile,
};
use proptest::prelude::*;
use support::*;

/// Targets of whole hours, the update cadence on, reopening and escalating on reopen.
fn policy() -> ServicePolicy {
    let mut policy = ServicePolicy {
        updates: Some(UpdatePolicy::new(Targets::new(ByPriority::uniform(
            Span::hours(12),
        )))),
        ..hourly_response_policy()
    };
    policy.complaints.escalate_from_reopen = 1;
    // One party pauses our clocks, the other does not.
    policy.complaints.pausing_parties = [PartyId::from_u128(1)].into();
    policy
}

/// One step: what (`what` picks the command, `n` the item), `gap` minutes after the previous
/// recording, reported `late` minutes after it happened, with key `key`, then time advanced
/// `advance` minutes.
#[derive(Debug, Clone)]
struct Step {
    what: u8,
    n: u8,
    flag: bool,
    gap: i64,
    late: i64,
    key: Option<u8>,
    advance: Option<i64>,
}

fn step() -> impl Strategy<Value = Step> {
    (
        (0u8..23, 0u8..3, any::<bool>()),
        1i64..=900,
        prop_oneof![4 => Just(0i64), 1 => 1i64..=600],
        proptest::option::weighted(0.3, 0u8..4),
        proptest::option::weighted(0.3, 1i64..=2_000),
    )
        .prop_map(|((what, n, flag), gap, late, key, advance)| Step {
            what,
            n,
            flag,
            gap,
            late,
            key,
            advance,
        })
}

/// The command step `i` stands for at `at`: items numbered by `n`, so commands often meet
/// the item they name (and are refused, changing nothing, when they do not).
fn command(i: usize, s: &Step, at: DateTime<Utc>) -> Command {
    let id = u128::try_from(i).unwrap() + 100;
    let item = u128::from(s.n) + 1;
    let complaint = ComplaintId::from_u128(item);
    let promise = PromiseId::from_u128(item);
    let priority = [Priority::Low, Priority::Normal, Priority::High][usize::from(s.n)];
    match s.what {
        0 | 1 => inbound(id, Channel::Email).priority(priority).into(),
        2 => {
            let answer = outbound(id, Channel::Email).regarding_complaint(complaint);
            if s.flag {
                answer.awaiting_customer()
            } else {
                answer
            }
            .into()
        }
        3 => outbound(id, Channel::Phone).regarding(promise).into(),
        4 => MakePromise::new(promise, text("a call"), at + TimeDelta::hours(6), AGENT).into(),
        5 => KeepPromise { promise }.into(),
        6 => RevisePromise::new(promise, at + TimeDelta::hours(30), text("the lab")).into(),
        7 => {
            let receive = ReceiveComplaint::new(complaint, Channel::Phone, text("late"));
            let receive = receive.priority(priority);
            if s.flag { receive.pending() } else { receive }.into()
        }
        8 => AcknowledgeComplaint {
            complaint,
            by: AGENT,
        }
        .into(),
        9 => AssignComplaint {
            complaint,
            owner: AGENT,
        }
        .into(),
        10 => RequestEscalation { complaint }.into(),
        11 => AwaitCustomer { complaint }.into(),
        12 => ResumeComplaint { complaint }.into(),
        13 => ResolveComplaint {
            follow_up: Some(FollowUpId::from_u128(1000 + item)),
            ..resolution(complaint, AGENT, "sorted")
        }
        .into(),
        14 => CompleteFollowUp {
            follow_up: FollowUpId::from_u128(1000 * (1 + id % 2) + item),
            outcome: if s.flag {
                FollowUpOutcome::NotSatisfied
            } else {
                FollowUpOutcome::Satisfied
            },
            note: None,
        }
        .into(),
        15 => ReopenComplaint::new(complaint, text("still broken")).into(),
        16 => ReprioritiseComplaint::new(complaint, priority).into(),
        17 => UpdateProfile {
            name: Some(text(&format!("Ona {i}")).into()),
            tier: s.flag.then(|| {
                tier(if i.is_multiple_of(2) {
                    "gold"
                } else {
                    "standard"
                })
            }),
            ..UpdateProfile::default()
        }
        .into(),
        18 => RequestSurvey {
            survey: SurveyId::from_u128(item),
            kind: SurveyKind::Csat,
            complaint: s.flag.then_some(complaint),
        }
        .into(),
        19 => ScheduleFollowUp {
            follow_up: FollowUpId::from_u128(2000 + item),
            owner: AGENT,
            due: at + TimeDelta::days(1),
            reason: text("a call").into(),
            complaint: Some(complaint),
        }
        .into(),
        20 => {
            let wait = AwaitOutsideParty::new(complaint, PartyId::from_u128(u128::from(s.n % 2)));
            if s.flag {
                wait.expecting(at + TimeDelta::hours(5))
            } else {
                wait
            }
            .into()
        }
        21 => EndOutsideWait::new(complaint).into(),
        _ => AnswerSurvey {
            survey: Some(SurveyId::from_u128(item)),
            answer: SurveyAnswer::Csat(CsatScore::new(s.n + 1).unwrap()),
            comment: None,
        }
        .into(),
    }
}

/// The stored log of a customer to whom `steps` happened under `policy`: refused requests
/// change nothing and store nothing.
fn record(policy: &ServicePolicy, steps: &[Step]) -> Vec<Envelope> {
    let mut now = t("2026-03-02 09:00");
    let mut r = Relationship::new(ONA);
    let register = RegisterCustomer::new(text("Ona"), tier("standard")).owned_by(AGENT);
    let mut log = r.execute(policy, register, now).unwrap();
    for (i, s) in steps.iter().enumerate() {
        now += TimeDelta::minutes(s.gap);
        let happened = now - TimeDelta::minutes(s.late);
        let mut request = Request::new(command(i, s, happened));
        if s.late > 0 {
            request.occurred_at = Some(happened);
        }
        if let Some(key) = s.key {
            request = request.idempotent(IdempotencyKey::new(format!("k{key}")).unwrap());
        }
        if let Ok(events) = r.execute_request(policy, request, now) {
            log.extend(events);
        }
        if let Some(minutes) = s.advance {
            now += TimeDelta::minutes(minutes);
            log.extend(r.advance_to(policy, now));
        }
    }
    log
}

/// The stored log and the log decided again, compared envelope by envelope (the first
/// difference named).
fn assert_identity(policy: &ServicePolicy, log: &[Envelope]) -> Result<(), TestCaseError> {
    let history = History::from_log(log).unwrap();
    let again = Run::decide(policy, &history).unwrap();
    prop_assert!(again.refused().is_empty(), "refused: {:?}", again.refused());
    prop_assert_eq!(again.divergence(log), None);
    prop_assert_eq!(again.log(), log);
    prop_assert!(history.policy_shifts().is_empty());
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(
        std::env::var("PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(256)
    ))]

    /// The health histories (messages, promises, surveys, follow-ups, complaints) come back.
    #[test]
    fn a_health_history_decided_again_is_the_stored_log(
        steps in support::history::history(40),
        after in 0i64..=7,
    ) {
        let policy = hourly_response_policy();
        let (mut r, mut log, now) = support::history::live(&policy, &steps);
        log.extend(r.advance_to(&policy, now + TimeDelta::days(after)));
        assert_identity(&policy, &log)?;
    }

    /// Every family, facts reported late, keys and retries, time advanced between facts.
    #[test]
    fn a_history_of_every_family_decided_again_is_the_stored_log(
        steps in prop::collection::vec(step(), 0..40),
    ) {
        let policy = policy();
        let log = record(&policy, &steps);
        assert_identity(&policy, &log)?;
    }

    /// Two customers interleaved in one log come back as a book, each the same.
    #[test]
    fn a_book_decided_again_is_the_stored_log_of_each_customer(
        first in prop::collection::vec(step(), 0..15),
        second in prop::collection::vec(step(), 0..15),
    ) {
        let policy = policy();
        let ona = record(&policy, &first);
        let other: Vec<Envelope> = record(&policy, &second)
            .into_iter()
            .map(|e| Envelope { customer: PETRAS, ..e })
            .collect();
        let mut stored: Vec<Envelope> = ona.iter().chain(&other).cloned().collect();
        stored.sort_by_key(|e| (e.recorded.unwrap_or(e.at), e.customer, e.seq));
        let book = Book::from_log(&stored).unwrap();
        let until = book.until();
        let again = BookRun::decide(&policy, &book).unwrap();
        prop_assert!(again.refused().is_empty());
        // Each customer is brought up to the book's end: its stored log, then what fell due.
        for (customer, stored) in [(ONA, &ona), (PETRAS, &other)] {
            let theirs: Vec<&Envelope> = again.log().iter().filter(|e| e.customer == customer).collect();
            prop_assert!(theirs.len() >= stored.len());
            for (a, b) in stored.iter().zip(&theirs) {
                prop_assert_eq!(a, *b);
            }
            prop_assert!(theirs[stored.len()..].iter().all(|e| Some(e.recorded.unwrap_or(e.at)) <= until));
        }
    }
}
