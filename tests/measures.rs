//! Measures over a window: hand-computed figures for promises, responses, complaints,
//! follow-ups and surveys; attribution to owners and parties; windows and their errors; order;
//! and, with proptest over logs the real engine writes, the merge law and "every broken promise
//! in the window is counted once".
//!
//! Default policy on an always-open calendar: responses of normal priority within 8 h; complaints
//! acknowledged within 4 h and resolved within 40 h; a follow-up 24 h after a resolution.

mod support;

use chrono::{DateTime, TimeDelta, Utc};
use clientele::{
    AcknowledgeComplaint, AgentId, AnswerSurvey, AssignComplaint, Channel, CloseComplaint, Command,
    ComplaintId, CompleteFollowUp, CsatScore, CustomerId, Envelope, EscalateComplaint, Event,
    FollowUpId, FollowUpOutcome, KeepPromise, Ledger, MakePromise, MeasureError, Measures,
    NpsScore, PartyId, PromiseId, ReceiveComplaint, RecordInteraction, RegisterCustomer,
    ReopenComplaint, ResolveComplaint, RevisePromise, ServicePolicy, Span, SurveyAnswer, Tally,
    Window, WithdrawPromise,
};
use clientele::{ComplaintEvent, FollowUpEvent, PromiseEvent};
use proptest::prelude::*;
use support::*;

const RUTA: AgentId = AgentId::from_u128(100);
const JONAS: AgentId = AgentId::from_u128(101);
const DAIVA: AgentId = AgentId::from_u128(102);
const LAB: PartyId = PartyId::from_u128(0x1ab);
const P1: PromiseId = PromiseId::from_u128(0x91);
const P2: PromiseId = PromiseId::from_u128(0x92);
const P3: PromiseId = PromiseId::from_u128(0x93);
const C: ComplaintId = ComplaintId::from_u128(0xc1);

fn window(from: &str, to: &str) -> Window {
    Window::new(t(from), t(to)).unwrap()
}

fn tally(window: Window, log: &[Envelope]) -> Tally {
    Tally::from_log(window, log).unwrap()
}

fn count(log: &[Envelope], kind: &str) -> u64 {
    log.iter().filter(|e| e.event.kind() == kind).count() as u64
}

/// Ona (account owner AGENT). P1: Rūta's, ours, kept on time Tuesday. P2: Jonas's, done by the
/// lab, due Tue 17:00, broken in silence, re-promised Wednesday for Thu 17:00 (a 48 h slip),
/// the customer told Thursday morning, broken again (with notice), kept Friday 09:00, 16 h
/// late. P3: Rūta's, withdrawn Tuesday.
fn promises() -> World {
    let mut w = World::new(ServicePolicy::default(), "2026-03-02 09:00");
    w.given_customer(ONA, "standard");
    let p1 = MakePromise::new(P1, text("Frames adjusted"), t("2026-03-04 17:00"), RUTA);
    let p2 = MakePromise::new(P2, text("Glasses"), t("2026-03-03 17:00"), JONAS)
        .fulfilled_by(LAB, text("Lens lab"));
    let p3 = MakePromise::new(P3, text("Case"), t("2026-03-06 17:00"), RUTA);
    for make in [p1, p2, p3] {
        w.when(ONA, make).unwrap();
    }
    w.at("2026-03-03 10:00");
    w.when(ONA, KeepPromise { promise: P1 }).unwrap();
    w.when(
        ONA,
        WithdrawPromise {
            promise: P3,
            reason: text("Not needed").into(),
        },
    )
    .unwrap();
    w.run_until("2026-03-04 09:00", 20);
    w.at("2026-03-04 09:00");
    let revise = RevisePromise {
        promise: P2,
        due: t("2026-03-05 17:00"),
        reason: text("The lab is late").into(),
        customer_agreed: true,
    };
    w.when(ONA, revise).unwrap();
    w.run_until("2026-03-05 10:00", 20);
    w.at("2026-03-05 10:00");
    let tell = RecordInteraction::outbound(
        clientele::InteractionId::from_u128(7),
        Channel::Sms,
        JONAS,
        text("Still at the lab, sorry"),
    )
    .regarding(P2);
    w.when(ONA, tell).unwrap();
    w.run_until("2026-03-06 09:00", 20);
    w.at("2026-03-06 09:00");
    w.when(ONA, KeepPromise { promise: P2 }).unwrap();
    w
}

#[test]
fn promise_figures_split_ours_and_outside_and_count_a_broken_promise_once() {
    let w = promises();
    let tally = tally(Window::all(), &w.log);
    let book = tally.book();

    let ours = &book.promises.ours;
    assert_eq!(ours.made, 2);
    assert_eq!(ours.kept_on_time(), 1);
    assert_eq!(ours.withdrawn, 1);
    assert_eq!(ours.breaks, 0);
    assert_eq!(ours.on_time_rate(), Some(1.0));

    let outside = &book.promises.outside;
    assert_eq!(outside.made, 1);
    assert_eq!(outside.breaks, 2, "broke at Tue 17:00 and Thu 17:00");
    assert_eq!(outside.broken, 1, "one promise, counted once");
    assert_eq!(outside.broken_in_silence, 1);
    assert_eq!(outside.broken_with_notice, 1);
    assert_eq!(outside.revised, 1);
    assert_eq!(outside.revised_after_break, 1);
    assert_eq!(outside.kept_late(), 1);
    assert_eq!(outside.kept.late_wall_secs, 16 * 3600);
    assert_eq!(outside.kept.mean_lateness_wall_secs(), Some(16.0 * 3600.0));
    assert_eq!(outside.settled_slips, 1);
    assert_eq!(outside.settled_cumulative_slip_secs, 48 * 3600);
    assert_eq!(outside.slips_per_promise(), Some(1.0));
    assert_eq!(outside.silent_break_share(), Some(0.5));
    assert_eq!(outside.on_time_rate(), Some(0.0));

    let total = book.promises.total();
    assert_eq!(total.made, 3);
    assert_eq!(
        total.at_risk,
        count(&w.log, "promise_at_risk"),
        "every warning counted"
    );
    // Two due instants kept on time or passed: P1 kept (1), P2 broke twice (2).
    assert_eq!(book.promises.on_time_rate(), Some(1.0 / 3.0));
    assert_eq!(total.slips_per_promise(), Some(1.0 / 3.0));

    // Owners: Rūta has ours, Jonas the lab's; the lab sees only its promise.
    let ruta = tally.owner(RUTA).unwrap();
    assert_eq!(ruta.promises.ours, *ours);
    assert_eq!(ruta.promises.outside.made, 0);
    let jonas = tally.owner(JONAS).unwrap();
    assert_eq!(jonas.promises.outside, *outside);
    assert_eq!(jonas.promises.ours.made, 0);
    let lab = tally.party(LAB).unwrap();
    assert_eq!(lab.promises.outside, *outside);
    assert_eq!(lab.promises.ours, Default::default());
    assert_eq!(tally.by_party().len(), 1);
    assert_eq!(tally.customer(ONA), Some(book));
}

#[test]
fn a_window_counts_only_the_events_inside_it() {
    let w = promises();
    // Tuesday and Wednesday: P1 kept, P3 withdrawn, P2's first break and its re-promise.
    let tally = tally(window("2026-03-03 00:00", "2026-03-05 00:00"), &w.log);
    let total = tally.book().promises.total();
    assert_eq!(total.made, 0, "made on Monday");
    assert_eq!(total.kept_on_time(), 1);
    assert_eq!(total.kept_late(), 0, "kept late on Friday");
    assert_eq!(total.withdrawn, 1);
    assert_eq!((total.breaks, total.broken), (1, 1));
    assert_eq!(total.broken_in_silence, 1);
    assert_eq!(total.revised, 1);
    assert_eq!(total.on_time_rate(), Some(0.5));
    // Thursday onwards: the second break, counted as a broken promise in this window too.
    let later = tally_later(&w.log);
    let total = later.book().promises.total();
    assert_eq!((total.breaks, total.broken, total.kept_late()), (1, 1, 1));
    assert_eq!(total.broken_with_notice, 1);
    // The slip is remembered from Wednesday although Wednesday is outside this window.
    assert_eq!(total.settled_cumulative_slip_secs, 48 * 3600);
    assert_eq!(later.owner(JONAS).unwrap().promises.outside, total);
}

fn tally_later(log: &[Envelope]) -> Tally {
    tally(window("2026-03-05 00:00", "2026-03-09 00:00"), log)
}

#[test]
fn the_window_is_half_open() {
    let w = promises();
    // P1 and P3 settled at exactly Tue 10:00.
    let ending = tally(window("2026-03-02 00:00", "2026-03-03 10:00"), &w.log);
    assert_eq!(ending.book().promises.total().settled(), 0);
    let starting = tally(window("2026-03-03 10:00", "2026-03-03 10:01"), &w.log);
    assert_eq!(starting.book().promises.total().settled(), 2);
}

#[test]
fn an_empty_or_inverted_window_is_refused() {
    assert_eq!(
        Window::new(t("2026-03-02 09:00"), t("2026-03-02 09:00")),
        Err(MeasureError::EmptyWindow {
            at: t("2026-03-02 09:00")
        })
    );
    assert_eq!(
        Window::new(t("2026-03-02 09:00"), t("2026-03-01 09:00")),
        Err(MeasureError::WindowEndsBeforeStart {
            from: t("2026-03-02 09:00"),
            to: t("2026-03-01 09:00"),
        })
    );
    assert_eq!(
        MeasureError::EmptyWindow {
            at: t("2026-03-02 09:00")
        }
        .to_string(),
        "the window is empty: it starts and ends at 2026-03-02 09:00:00 UTC"
    );
}

/// First response after 1 h; replies after 2 h, 10 h (2 h late, overdue at 22:00) and 30 min.
fn responses() -> World {
    let mut w = World::new(ServicePolicy::default(), "2026-03-02 09:00");
    w.given_customer(ONA, "standard");
    let exchanges = [
        ("2026-03-02 09:00", "2026-03-02 10:00"),
        ("2026-03-02 11:00", "2026-03-02 13:00"),
        ("2026-03-02 14:00", "2026-03-03 00:00"),
        ("2026-03-03 09:00", "2026-03-03 09:30"),
    ];
    for (n, (asked, answered)) in exchanges.into_iter().enumerate() {
        let n = n as u128 * 2;
        w.at(asked);
        w.when(ONA, inbound(n + 1, Channel::Email)).unwrap();
        w.run_until(answered, 10);
        w.at(answered);
        w.when(ONA, outbound(n + 2, Channel::Email)).unwrap();
    }
    w
}

#[test]
fn response_times_percentiles_spread_and_share_within_target() {
    let w = responses();
    let tally = tally(Window::all(), &w.log);
    let responses = &tally.book().responses;

    let first = &responses.first_response;
    assert_eq!(first.answered(), 1);
    assert_eq!(first.wall.max(), Some(Span::hours(1)));
    assert_eq!(first.within_target(), Some(1.0));

    let reply = &responses.reply;
    assert_eq!(reply.answered(), 3);
    assert_eq!(reply.wall.count(), 3);
    assert_eq!(reply.wall.min(), Some(Span::minutes(30)));
    assert_eq!(reply.wall.median(), Some(Span::hours(2)));
    assert_eq!(reply.wall.p90(), Some(Span::hours(10)));
    assert_eq!(reply.wall.p99(), Some(Span::hours(10)));
    assert_eq!(reply.wall.max(), Some(Span::hours(10)));
    assert_eq!(
        reply.wall.mean_secs(),
        Some(15_000.0),
        "(2 h + 10 h + 30 min) / 3"
    );
    // Deviations from 15 000 s: −7 800, 21 000, −13 200; variance 225 360 000.
    let sd = reply.wall.std_dev_secs().unwrap();
    assert!((sd - 225_360_000f64.sqrt()).abs() < 1e-6, "{sd}");
    assert_eq!(
        reply.wall.interquartile_range(),
        Some(Span::minutes(9 * 60 + 30))
    );
    assert_eq!(reply.business, reply.wall, "the calendar is always open");
    assert_eq!(reply.within_target(), Some(2.0 / 3.0));
    assert_eq!(reply.outcomes.met_late, 1);
    assert_eq!(reply.outcomes.late_wall_secs, 2 * 3600);
    assert_eq!(reply.overdue, 1);
    assert_eq!(responses.all().answered(), 4);

    // Response clocks go to the account owner.
    assert_eq!(&tally.owner(AGENT).unwrap().responses, responses);
}

/// A complaint acknowledged after 1 h, assigned to Jonas, escalated to the specialist Daiva,
/// resolved after 6 h with a remedy and an apology, reopened the next morning, resolved again
/// 2 h later without either, and followed up on time: satisfied.
fn complaint() -> World {
    let mut w = World::new(ServicePolicy::default(), "2026-03-02 09:00");
    w.given_customer(ONA, "standard");
    w.when(
        ONA,
        ReceiveComplaint::new(C, Channel::Phone, text("Glasses still not ready")),
    )
    .unwrap();
    w.at("2026-03-02 10:00");
    w.when(
        ONA,
        AcknowledgeComplaint {
            complaint: C,
            by: AGENT,
        },
    )
    .unwrap();
    w.when(
        ONA,
        AssignComplaint {
            complaint: C,
            owner: JONAS,
        },
    )
    .unwrap();
    w.at("2026-03-02 12:00");
    w.when(
        ONA,
        EscalateComplaint {
            complaint: C,
            to_level: 1,
            owner: DAIVA,
        },
    )
    .unwrap();
    w.at("2026-03-02 15:00");
    w.when(
        ONA,
        ResolveComplaint {
            complaint: C,
            by: DAIVA,
            remedy: Some(text("Fee refunded").into()),
            apology: true,
            summary: text("Glasses handed over").into(),
            follow_up: Some(FollowUpId::from_u128(1)),
        },
    )
    .unwrap();
    w.run_until("2026-03-03 09:00", 10);
    w.at("2026-03-03 09:00");
    w.when(
        ONA,
        ReopenComplaint {
            complaint: C,
            reason: text("One lens is scratched").into(),
        },
    )
    .unwrap();
    w.at("2026-03-03 11:00");
    w.when(
        ONA,
        ResolveComplaint {
            complaint: C,
            by: DAIVA,
            remedy: None,
            apology: false,
            summary: text("Lens replaced").into(),
            follow_up: Some(FollowUpId::from_u128(2)),
        },
    )
    .unwrap();
    w.run_until("2026-03-04 10:00", 10);
    w.at("2026-03-04 10:00");
    w.when(
        ONA,
        CompleteFollowUp {
            follow_up: FollowUpId::from_u128(2),
            outcome: FollowUpOutcome::Satisfied,
            note: None,
        },
    )
    .unwrap();
    w.when(ONA, CloseComplaint { complaint: C }).unwrap();
    w
}

#[test]
fn complaint_figures_against_target_with_escalations_and_reopenings() {
    let w = complaint();
    let tally = tally(Window::all(), &w.log);
    let complaints = &tally.book().complaints;
    assert_eq!(complaints.received, 1);
    assert_eq!(complaints.acknowledgement.met, 1);
    assert_eq!(complaints.time_to_acknowledge.max(), Some(Span::hours(1)));
    assert_eq!(complaints.escalations.get(&1), Some(&1));
    assert_eq!(complaints.escalated(), 1);
    assert_eq!(complaints.escalations_due, count(&w.log, "escalation_due"));
    assert_eq!(complaints.resolved, 2);
    assert_eq!(complaints.resolution.met, 2);
    assert_eq!(complaints.time_to_resolve.min(), Some(Span::hours(2)));
    assert_eq!(complaints.time_to_resolve.max(), Some(Span::hours(6)));
    assert_eq!(complaints.reopened, 1);
    assert_eq!(complaints.reopen_rate(), Some(0.5));
    assert_eq!(complaints.apology_share(), Some(0.5));
    assert_eq!(complaints.remedy_share(), Some(0.5));
    assert_eq!(complaints.closed, 1);

    let follow_ups = &tally.book().follow_ups;
    assert_eq!(follow_ups.scheduled, 2);
    assert_eq!(follow_ups.cancelled, 1, "the reopen cancelled the first");
    assert_eq!(follow_ups.done.met, 1);
    assert_eq!(follow_ups.satisfied, 1);
    assert_eq!(follow_ups.overdue, 0);
    assert_eq!(follow_ups.on_time_rate(), Some(1.0));

    // Received and acknowledged before anyone owned it: the account owner's. From the
    // escalation on, Daiva's. Jonas owned it between, with nothing counted.
    let agent = &tally.owner(AGENT).unwrap().complaints;
    assert_eq!((agent.received, agent.acknowledgement.met), (1, 1));
    let daiva = tally.owner(DAIVA).unwrap();
    assert_eq!(daiva.complaints.escalated(), 1);
    assert_eq!(daiva.complaints.resolved, 2);
    assert_eq!(daiva.complaints.reopened, 1);
    assert_eq!(daiva.follow_ups, *follow_ups);
    assert!(tally.owner(JONAS).is_none());
}

fn surveyed(customer: CustomerId, answers: &[SurveyAnswer]) -> Vec<Envelope> {
    let mut ledger = Ledger::new(ServicePolicy::default()).unwrap();
    let now = t("2026-03-02 09:00");
    let mut log = ledger
        .execute(
            customer,
            RegisterCustomer::new(text("Customer"), tier("standard")).owned_by(AGENT),
            now,
        )
        .unwrap();
    for answer in answers {
        let answer = AnswerSurvey {
            survey: None,
            answer: *answer,
            comment: None,
        };
        log.extend(ledger.execute(customer, answer, now).unwrap());
    }
    log
}

fn nps(scores: &[u8]) -> Measures {
    let answers: Vec<_> = scores
        .iter()
        .map(|s| SurveyAnswer::Nps(NpsScore::new(*s).unwrap()))
        .collect();
    tally(Window::all(), &surveyed(ONA, &answers))
        .book()
        .clone()
}

#[test]
fn nps_from_passives_promoters_and_detractors() {
    let passives = nps(&[7, 8, 8]);
    assert_eq!(passives.surveys.passives(), 3);
    assert_eq!(passives.surveys.nps(), Some(0.0));
    assert_eq!(nps(&[9, 10, 10]).surveys.nps(), Some(100.0));
    assert_eq!(nps(&[0, 3, 6]).surveys.nps(), Some(-100.0));
    // 2 promoters, 1 passive, 1 detractor of 4: 50 % − 25 %.
    let mixed = nps(&[10, 9, 7, 6]);
    assert_eq!(
        (
            mixed.surveys.promoters(),
            mixed.surveys.passives(),
            mixed.surveys.detractors()
        ),
        (2, 1, 1)
    );
    assert_eq!(mixed.surveys.nps(), Some(25.0));
    assert_eq!(nps(&[]).surveys.nps(), None);
}

#[test]
fn csat_is_the_share_of_fours_and_fives() {
    let scores: Vec<_> = [5, 4, 3, 1]
        .into_iter()
        .map(|s| SurveyAnswer::Csat(CsatScore::new(s).unwrap()))
        .collect();
    let tally = tally(Window::all(), &surveyed(ONA, &scores));
    let surveys = &tally.book().surveys;
    assert_eq!(surveys.csat_answers(), 4);
    assert_eq!(surveys.csat_satisfied(), 2);
    assert_eq!(surveys.csat(), Some(0.5));
    assert_eq!(surveys.csat_scores, [1, 0, 1, 1, 1]);
    assert_eq!(surveys.nps(), None, "no NPS answers");
    assert_eq!(tally.owner(AGENT).unwrap().surveys, *surveys);
}

#[test]
fn envelopes_out_of_their_customer_order_are_refused_and_not_counted() {
    let w = promises();
    let mut tally = Tally::new(Window::all());
    let second = &w.log[1];
    assert_eq!(
        tally.record(second),
        Err(MeasureError::OutOfOrder {
            customer: ONA,
            expected: 1,
            got: 2
        })
    );
    assert_eq!(tally, Tally::new(Window::all()));
    tally.record(&w.log[0]).unwrap();
    tally.record(second).unwrap();
    let before = tally.clone();
    assert!(matches!(
        tally.record(second),
        Err(MeasureError::OutOfOrder {
            expected: 3,
            got: 2,
            ..
        })
    ));
    assert_eq!(tally, before);
}

#[test]
fn tallies_merge_only_over_one_window_and_disjoint_customers() {
    let w = promises();
    let mut a = tally(Window::all(), &w.log);
    let b = tally(Window::all(), &w.log);
    assert_eq!(a.merge(&b), Err(MeasureError::SharedCustomer(ONA)));
    let other = tally(window("2026-03-01 00:00", "2026-04-01 00:00"), &[]);
    assert!(matches!(
        a.merge(&other),
        Err(MeasureError::DifferentWindows { .. })
    ));
    assert_eq!(a, b, "nothing changed");
}

// ---- properties over logs the engine writes ----

const START: &str = "2026-03-02 09:00";

#[derive(Debug, Clone)]
enum Op {
    Make {
        hours: u16,
        owner: u8,
        party: Option<u8>,
    },
    Keep(u8),
    Withdraw(u8),
    Revise(u8, u16),
    Tell(u8),
    Inbound,
    Outbound,
    Complain,
    Acknowledge,
    Escalate(u8),
    Resolve(bool),
    Reopen,
    FollowUp(u8),
    Nps(u8),
    Csat(u8),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => (1u16..=96, 0u8..3, prop::option::of(0u8..2)).prop_map(|(hours, owner, party)| Op::Make { hours, owner, party }),
        2 => any::<u8>().prop_map(Op::Keep),
        1 => any::<u8>().prop_map(Op::Withdraw),
        2 => (any::<u8>(), 1u16..=72).prop_map(|(p, h)| Op::Revise(p, h)),
        1 => any::<u8>().prop_map(Op::Tell),
        3 => Just(Op::Inbound),
        3 => Just(Op::Outbound),
        1 => Just(Op::Complain),
        3 => Just(Op::Acknowledge),
        1 => (0u8..3).prop_map(Op::Escalate),
        3 => any::<bool>().prop_map(Op::Resolve),
        1 => Just(Op::Reopen),
        3 => (0u8..3).prop_map(Op::FollowUp),
        1 => (0u8..=10).prop_map(Op::Nps),
        1 => (1u8..=5).prop_map(Op::Csat),
    ]
}

fn agent(n: u8) -> AgentId {
    AgentId::from_u128(100 + u128::from(n))
}

/// A book of customers driven through the engine: each step waits `gap` minutes (waking at
/// every deadline), then runs one command for one customer (a complaint command for a
/// customer without a complaint receives one instead); refused commands are skipped.
fn book(customers: u8, steps: &[(u8, u16, Op)]) -> Vec<Envelope> {
    let mut ledger = Ledger::new(ServicePolicy::default()).unwrap();
    let mut now = t(START);
    let mut log = Vec::new();
    for c in 0..customers {
        let register = RegisterCustomer::new(text("Customer"), tier("standard"));
        let register = if c % 3 == 2 {
            register
        } else {
            register.owned_by(agent(c % 3))
        };
        log.extend(ledger.execute(customer(c), register, now).unwrap());
    }
    let mut made = vec![0u128; usize::from(customers)];
    let mut ids = 0u128;
    for (who, gap, op) in steps {
        let target = now + TimeDelta::minutes(i64::from(*gap));
        while let Some(deadline) = ledger.next_deadline().filter(|d| d.at <= target) {
            log.extend(ledger.advance_to(deadline.at));
        }
        now = target;
        let c = who % customers;
        let id = customer(c);
        let count = made[usize::from(c)];
        let pick = |n: &u8| PromiseId::from_u128(u128::from(*n) % count.max(1) + 1);
        ids += 1;
        let follow_up = Some(FollowUpId::from_u128(ids));
        let complaint = ComplaintId::from_u128(1);
        let complained = log.iter().any(|e| {
            e.customer == id && matches!(e.event, Event::Complaint(ComplaintEvent::Received { .. }))
        });
        let op = match op {
            Op::Acknowledge | Op::Escalate(_) | Op::Resolve(_) | Op::Reopen if !complained => {
                &Op::Complain
            }
            op => op,
        };
        let command: Command = match op {
            Op::Make {
                hours,
                owner,
                party,
            } => {
                made[usize::from(c)] += 1;
                let make = MakePromise::new(
                    PromiseId::from_u128(count + 1),
                    text("Something"),
                    now + TimeDelta::hours(i64::from(*hours)),
                    agent(*owner),
                );
                match party {
                    Some(p) => make
                        .fulfilled_by(PartyId::from_u128(u128::from(*p) + 1), text("Lab"))
                        .into(),
                    None => make.into(),
                }
            }
            Op::Keep(p) => KeepPromise { promise: pick(p) }.into(),
            Op::Withdraw(p) => WithdrawPromise {
                promise: pick(p),
                reason: text("No").into(),
            }
            .into(),
            Op::Revise(p, hours) => RevisePromise {
                promise: pick(p),
                due: now + TimeDelta::hours(i64::from(*hours)),
                reason: text("Later").into(),
                customer_agreed: true,
            }
            .into(),
            Op::Tell(p) => RecordInteraction::outbound(
                clientele::InteractionId::from_u128(ids),
                Channel::Sms,
                agent(0),
                text("News"),
            )
            .regarding(pick(p))
            .into(),
            Op::Inbound => inbound(ids, Channel::Email).into(),
            Op::Outbound => outbound(ids, Channel::Phone).into(),
            Op::Complain => ReceiveComplaint::new(complaint, Channel::Phone, text("Bad")).into(),
            Op::Acknowledge => AcknowledgeComplaint {
                complaint,
                by: agent(0),
            }
            .into(),
            Op::Escalate(owner) => EscalateComplaint {
                complaint,
                to_level: 1 + u32::from(*owner % 2),
                owner: agent(*owner),
            }
            .into(),
            Op::Resolve(apology) => ResolveComplaint {
                complaint,
                by: agent(1),
                remedy: apology.then(|| text("Refund").into()),
                apology: *apology,
                summary: text("Fixed").into(),
                follow_up,
            }
            .into(),
            Op::Reopen => ReopenComplaint {
                complaint,
                reason: text("Again").into(),
            }
            .into(),
            Op::FollowUp(outcome) => {
                let follow_up = pending_follow_up(&log, id);
                match follow_up {
                    Some(follow_up) => CompleteFollowUp {
                        follow_up,
                        outcome: [
                            FollowUpOutcome::Satisfied,
                            FollowUpOutcome::NotSatisfied,
                            FollowUpOutcome::Unreachable,
                        ][usize::from(*outcome)],
                        note: None,
                    }
                    .into(),
                    None => continue,
                }
            }
            Op::Nps(score) => AnswerSurvey {
                survey: None,
                answer: SurveyAnswer::Nps(NpsScore::new(*score).unwrap()),
                comment: None,
            }
            .into(),
            Op::Csat(score) => AnswerSurvey {
                survey: None,
                answer: SurveyAnswer::Csat(CsatScore::new(*score).unwrap()),
                comment: None,
            }
            .into(),
        };
        if let Ok(events) = ledger.execute(id, command, now) {
            log.extend(events);
        }
    }
    log.extend(ledger.advance_to(now + TimeDelta::days(30)));
    log
}

fn customer(n: u8) -> CustomerId {
    CustomerId::from_u128(1 + u128::from(n))
}

fn pending_follow_up(log: &[Envelope], customer: CustomerId) -> Option<FollowUpId> {
    log.iter()
        .rev()
        .filter(|e| e.customer == customer)
        .find_map(|e| match e.event {
            Event::FollowUp(FollowUpEvent::Scheduled { follow_up, .. }) => Some(follow_up),
            _ => None,
        })
}

fn steps() -> impl Strategy<Value = Vec<(u8, u16, Op)>> {
    prop::collection::vec((any::<u8>(), 0u16..=600, op()), 0..80)
}

fn random_window() -> impl Strategy<Value = Window> {
    (0i64..=240, 1i64..=480).prop_map(|(from, hours)| {
        let from: DateTime<Utc> = t(START) + TimeDelta::hours(from);
        Window::new(from, from + TimeDelta::hours(hours)).unwrap()
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// The tallies of two disjoint sets of customers, merged, equal the tally of their union;
    /// and the book equals its customers' measures merged.
    #[test]
    fn measures_of_disjoint_customers_merge_to_the_measures_of_their_union(
        customers in 2u8..=5,
        mask in any::<u8>(),
        ops in steps(),
        window in random_window(),
    ) {
        let log = book(customers, &ops);
        let in_a = |e: &&Envelope| mask & (1 << (e.customer.as_uuid().as_u128() - 1)) != 0;
        let (a, b): (Vec<Envelope>, Vec<Envelope>) = log.iter().cloned().partition(|e| in_a(&e));
        let union = tally(window, &log);
        let mut merged = tally(window, &a);
        merged.merge(&tally(window, &b)).unwrap();
        prop_assert_eq!(&merged, &union);
        let mut other_way = tally(window, &b);
        other_way.merge(&tally(window, &a)).unwrap();
        prop_assert_eq!(&other_way, &union);

        let mut customers_merged = Measures::default();
        for measures in union.by_customer().values() {
            customers_merged.merge(measures);
        }
        prop_assert_eq!(&customers_merged, union.book());
    }

    /// Every promise that broke in the window counts once as broken, every break once, for
    /// the book, for exactly one owner, and (done by an outside party) for exactly one party.
    #[test]
    fn every_broken_promise_in_the_window_is_counted_once(
        customers in 1u8..=4,
        ops in steps(),
        window in random_window(),
    ) {
        let log = book(customers, &ops);
        let in_window: Vec<&Envelope> = log.iter().filter(|e| window.contains(e.at)).collect();
        let mut broken = std::collections::BTreeSet::new();
        let mut breaks = 0u64;
        for envelope in &in_window {
            if let Event::Promise(PromiseEvent::Broken { promise, .. }) = envelope.event {
                broken.insert((envelope.customer, promise));
                breaks += 1;
            }
        }
        let tally = tally(window, &log);
        let total = tally.book().promises.total();
        prop_assert_eq!(total.broken, broken.len() as u64);
        prop_assert_eq!(total.breaks, breaks);
        prop_assert_eq!(total.broken_in_silence + total.broken_with_notice, breaks);
        let by_owner: u64 = tally.by_owner().values().map(|m| m.promises.total().broken).sum();
        prop_assert_eq!(by_owner, total.broken);
        let by_party: u64 = tally.by_party().values().map(|m| m.promises.outside.broken).sum();
        prop_assert_eq!(by_party, tally.book().promises.outside.broken);
        let kept: u64 = in_window.iter().filter(|e| matches!(e.event, Event::Promise(PromiseEvent::Kept { .. }))).count() as u64;
        prop_assert_eq!(total.kept.total(), kept);
    }
}

/// The generator behind the properties reaches every kind of figure (over 32 fixed samples),
/// so the properties are not vacuous.
#[test]
fn the_generated_books_exercise_every_kind_of_figure() {
    use proptest::strategy::ValueTree;
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let mut all = Measures::default();
    for _ in 0..32 {
        let ops = steps().new_tree(&mut runner).unwrap().current();
        all.merge(tally(Window::all(), &book(4, &ops)).book());
    }
    let promises = all.promises.total();
    let figures = [
        ("made", promises.made),
        ("broken", promises.broken),
        ("kept", promises.kept.total()),
        ("withdrawn", promises.withdrawn),
        ("revised", promises.revised),
        ("outside", all.promises.outside.made),
        ("answered", all.responses.all().answered()),
        ("overdue", all.responses.all().overdue),
        ("acknowledged", all.complaints.acknowledgement.total()),
        ("resolved", all.complaints.resolved),
        ("escalated", all.complaints.escalated()),
        ("reopened", all.complaints.reopened),
        ("followed up", all.follow_ups.done.total()),
        ("nps", all.surveys.nps_answers()),
        ("csat", all.surveys.csat_answers()),
    ];
    for (name, n) in figures {
        eprintln!("{name}: {n}");
        assert!(n > 0, "no {name} in the generated books");
    }
}

#[test]
fn measures_travel_as_json_and_come_back_equal() {
    let w = complaint();
    let tally = tally(Window::all(), &w.log);
    let json = serde_json::to_string(tally.book()).unwrap();
    let back: Measures = serde_json::from_str(&json).unwrap();
    assert_eq!(&back, tally.book());
    let empty: Measures = serde_json::from_str("{}").unwrap();
    assert!(empty.is_empty(), "missing parts read as empty");
}

/// The figure helpers a report is built from, on hand-made tallies.
mod figures {
    use clientele::Span;
    use clientele::measure::{
        DependencyMeasures, Durations, FollowUpMeasures, OutcomeTally, PromiseCounts,
    };
    use clientele::outcome::{Elapsed, Outcome};

    fn late(wall_h: u16, business_h: u16) -> Elapsed {
        Elapsed {
            wall: Span::hours(wall_h),
            business: Span::hours(business_h),
        }
    }

    #[test]
    fn mean_lateness_is_over_the_late_and_missed_ones_only() {
        let mut tally = OutcomeTally::default();
        tally.add(&Outcome::Met);
        tally.add(&Outcome::MetLate {
            lateness: late(2, 1),
        });
        tally.add(&Outcome::Missed {
            lateness: late(4, 3),
        });
        assert_eq!(tally.late(), 2);
        assert_eq!(tally.mean_lateness_wall_secs(), Some(3.0 * 3600.0));
        assert_eq!(tally.mean_lateness_business_secs(), Some(2.0 * 3600.0));
    }

    #[test]
    fn durations_list_each_value_with_its_count_and_spread() {
        let mut waits = Durations::default();
        assert_eq!((waits.mean_secs(), waits.std_dev_secs()), (None, None));
        for secs in [10, 40, 10] {
            waits.add(Span::seconds(secs));
        }
        assert_eq!(waits.iter().collect::<Vec<_>>(), [(10, 2), (40, 1)]);
        assert_eq!(waits.mean_secs(), Some(20.0));
        // Deviations -10, -10 and +20: (100 + 100 + 400) / 3 = 200.
        assert_eq!(waits.std_dev_secs(), Some(200.0_f64.sqrt()));
    }

    #[test]
    fn mean_cumulative_slip_is_per_settled_promise() {
        let mut counts = PromiseCounts::default();
        assert_eq!(counts.mean_cumulative_slip_secs(), None);
        counts.kept.add(&Outcome::Met);
        counts.withdrawn = 1;
        counts.settled_cumulative_slip_secs = 7200;
        assert_eq!(counts.mean_cumulative_slip_secs(), Some(3600.0));
    }

    #[test]
    fn follow_ups_came_due_when_done_on_time_or_overdue() {
        let mut follow_ups = FollowUpMeasures::default();
        follow_ups.done.add(&Outcome::Met);
        follow_ups.overdue = 2;
        assert_eq!(follow_ups.came_due(), 3);
        assert_eq!(follow_ups.on_time_rate(), Some(1.0 / 3.0));
    }

    #[test]
    fn dependency_measures_merge_by_adding() {
        let mut one = DependencyMeasures::default();
        one.recorded = 2;
        one.late = 1;
        one.met.add(&Outcome::Met);
        let mut both = one.clone();
        both.merge(&one);
        assert_eq!((both.recorded, both.late, both.met.met), (4, 2, 2));
    }
}

/// Health measures: the seed-002 customer enters "at risk" in March and leaves it in June (at
/// the instant the first break left the window, recorded by the clock alone); a second
/// customer, owned by someone else, stays healthy. Counted in the window of each move, for
/// the account owner and the book, with the reasons; shards merge to the union.
#[test]
fn moves_into_and_out_of_at_risk_are_counted_in_their_windows_per_owner_and_book_wide() {
    use clientele::health::Signal;
    let mut w = World::new(ServicePolicy::default(), "2026-03-02 09:00");
    w.given_customer(ONA, "standard");
    let other = AgentId::from_u128(0xb2);
    w.when(
        PETRAS,
        RegisterCustomer::new(text("Petras"), tier("standard")).owned_by(other),
    )
    .unwrap();
    let p = PromiseId::from_u128(1);
    seed_002(&mut w, ONA);
    w.at("2026-03-20 09:00");
    w.when(ONA, KeepPromise { promise: p }).unwrap();
    w.run_until("2026-07-15 09:00", 20);
    let log = &w.log;

    let march = tally(window("2026-03-01 00:00", "2026-04-01 00:00"), log);
    let health = &march.book().health;
    assert_eq!((health.entered_at_risk, health.left_at_risk), (1, 0));
    assert_eq!(health.net_at_risk(), 1);
    assert_eq!(health.reasons.get(&Signal::SlipsAndSilence), Some(&1));
    assert_eq!(
        march.owner(AGENT).map(|m| m.health.entered_at_risk),
        Some(1)
    );
    assert!(
        march
            .owner(other)
            .is_none_or(|m| m.health == Default::default())
    );

    let june = tally(window("2026-06-01 00:00", "2026-07-01 00:00"), log);
    assert_eq!(
        june.owner(AGENT)
            .map(|m| (m.health.entered_at_risk, m.health.left_at_risk)),
        Some((0, 1))
    );
    assert_eq!(june.book().health.net_at_risk(), -1);

    let whole = window("2026-03-01 00:00", "2026-08-01 00:00");
    let (ona, petras): (Vec<Envelope>, Vec<Envelope>) =
        log.iter().cloned().partition(|e| e.customer == ONA);
    let mut merged = tally(whole, &ona);
    merged.merge(&tally(whole, &petras)).unwrap();
    assert_eq!(merged, tally(whole, log));
    assert_eq!(
        (
            merged.book().health.entered_at_risk,
            merged.book().health.left_at_risk
        ),
        (1, 1)
    );
}
