//! Generated customer histories for health's properties: messages in and out, promises made,
//! kept, revised and told about, survey and follow-up answers, complaints received and
//! resolved, spread over a few weeks. Each step is tried at its instant on one relationship;
//! a refused step changes nothing and is skipped.

use chrono::{DateTime, TimeDelta, Utc};
use clientele::{
    AnswerSurvey, Channel, ComplaintId, CompleteFollowUp, CsatScore, Envelope, FollowUpId,
    FollowUpOutcome, KeepPromise, MakePromise, NpsScore, PromiseId, ReceiveComplaint,
    RegisterCustomer, Relationship, ResolveComplaint, RevisePromise, ScheduleFollowUp,
    ServicePolicy, SurveyAnswer,
};
use proptest::prelude::*;

use super::{AGENT, ONA, inbound, outbound, text, tier};

/// One thing that happens to the customer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Act {
    /// The customer writes.
    Inbound,
    /// We answer.
    Outbound,
    /// We promise something due this many hours later.
    Promise(u8),
    /// We keep the n-th promise made (modulo).
    Keep(u8),
    /// We move the n-th promise's due instant this many hours later, without agreement.
    Revise(u8, u8),
    /// We tell the customer about the n-th promise.
    Tell(u8),
    /// An NPS answer.
    Nps(u8),
    /// A CSAT answer.
    Csat(u8),
    /// A follow-up scheduled and done at once, with its outcome.
    FollowUp(u8),
    /// A complaint received.
    Complaint,
    /// The n-th complaint resolved.
    Resolve(u8),
    /// A promise of its own (not counted among the history's), due an hour later.
    Extra,
}

/// A step: `minutes` after the previous one, what happens.
pub type Step = (u32, Act);

fn act() -> impl Strategy<Value = Act> {
    prop_oneof![
        5 => Just(Act::Inbound),
        4 => Just(Act::Outbound),
        2 => (1u8..72).prop_map(Act::Promise),
        1 => any::<u8>().prop_map(Act::Keep),
        1 => (any::<u8>(), 1u8..72).prop_map(|(n, h)| Act::Revise(n, h)),
        1 => any::<u8>().prop_map(Act::Tell),
        1 => (0u8..=10).prop_map(Act::Nps),
        1 => (1u8..=5).prop_map(Act::Csat),
        1 => (0u8..3).prop_map(Act::FollowUp),
        1 => Just(Act::Complaint),
        1 => any::<u8>().prop_map(Act::Resolve),
    ]
}

/// Up to `len` steps, each from a minute to four days after the previous one.
pub fn history(len: usize) -> impl Strategy<Value = Vec<Step>> {
    prop::collection::vec(
        (
            prop_oneof![3 => 1u32..600, 2 => 600u32..2_880, 1 => 2_880u32..5_760],
            act(),
        ),
        0..len,
    )
}

/// When the history starts.
pub fn start() -> DateTime<Utc> {
    super::t("2026-03-02 09:00")
}

/// A customer registered at [`start`] to whom `steps` happened, each at its instant, with the
/// stored log and the instant of the last step.
pub fn live(
    policy: &ServicePolicy,
    steps: &[Step],
) -> (Relationship, Vec<Envelope>, DateTime<Utc>) {
    let mut r = Relationship::new(ONA);
    let mut log = r
        .execute(
            policy,
            RegisterCustomer::new(text("Ona"), tier("standard")).owned_by(AGENT),
            start(),
        )
        .unwrap();
    let mut now = start();
    let (mut promises, mut complaints, mut ids) = (0u8, 0u8, 0u128);
    for (minutes, act) in steps {
        now += TimeDelta::minutes(i64::from(*minutes));
        ids += 1;
        let promise = |n: u8| PromiseId::from_u128(u128::from(n % promises.max(1)) + 1);
        let command: clientele::Command = match *act {
            Act::Inbound => inbound(1000 + ids, Channel::Email).into(),
            Act::Outbound => outbound(1000 + ids, Channel::Email).into(),
            Act::Promise(hours) => {
                promises = promises.saturating_add(1);
                MakePromise::new(
                    PromiseId::from_u128(u128::from(promises)),
                    text("Call"),
                    now + TimeDelta::hours(i64::from(hours)),
                    AGENT,
                )
                .into()
            }
            Act::Extra => MakePromise::new(
                PromiseId::from_u128(999),
                text("Call"),
                now + TimeDelta::hours(1),
                AGENT,
            )
            .into(),
            Act::Keep(n) => KeepPromise {
                promise: promise(n),
            }
            .into(),
            Act::Revise(n, hours) => RevisePromise {
                promise: promise(n),
                due: now + TimeDelta::hours(i64::from(hours)),
                reason: text("the lab").into(),
                customer_agreed: false,
            }
            .into(),
            Act::Tell(n) => outbound(1000 + ids, Channel::Phone)
                .regarding(promise(n))
                .into(),
            Act::Nps(score) => AnswerSurvey {
                survey: None,
                answer: SurveyAnswer::Nps(NpsScore::new(score).unwrap()),
                comment: None,
            }
            .into(),
            Act::Csat(score) => AnswerSurvey {
                survey: None,
                answer: SurveyAnswer::Csat(CsatScore::new(score).unwrap()),
                comment: None,
            }
            .into(),
            Act::FollowUp(outcome) => {
                let follow_up = FollowUpId::from_u128(ids);
                let schedule = ScheduleFollowUp {
                    follow_up,
                    owner: AGENT,
                    due: now + TimeDelta::days(1),
                    reason: text("check in").into(),
                    complaint: None,
                };
                if let Ok(events) = r.execute(policy, schedule, now) {
                    log.extend(events);
                }
                CompleteFollowUp {
                    follow_up,
                    outcome: [
                        FollowUpOutcome::Satisfied,
                        FollowUpOutcome::NotSatisfied,
                        FollowUpOutcome::Unreachable,
                    ][usize::from(outcome % 3)],
                    note: None,
                }
                .into()
            }
            Act::Complaint => {
                complaints = complaints.saturating_add(1);
                ReceiveComplaint::new(
                    ComplaintId::from_u128(u128::from(complaints)),
                    Channel::Phone,
                    text("Late again"),
                )
                .into()
            }
            Act::Resolve(n) => ResolveComplaint {
                complaint: ComplaintId::from_u128(u128::from(n % complaints.max(1)) + 1),
                by: AGENT,
                remedy: None,
                apology: true,
                summary: text("Sorted").into(),
                follow_up: Some(FollowUpId::from_u128(1_000_000 + ids)),
            }
            .into(),
        };
        if let Ok(events) = r.execute(policy, command, now) {
            log.extend(events);
        }
    }
    (r, log, now)
}
