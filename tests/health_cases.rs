//! The table of cases in `clientele::health`'s module docs, as scenarios with the band each
//! must reach (case 1, a new customer, is `a_new_customer_is_healthy` in `tests/health.rs`).

mod support;

use clientele::flag::FlagKind;
use clientele::health::Signal;
use clientele::{
    AnswerSurvey, Band, Channel, ComplaintId, CompleteFollowUp, EscalateComplaint, Event,
    FollowUpId, FollowUpOutcome, HealthEvent, KeepPromise, MakePromise, NpsScore, PromiseId,
    ReceiveComplaint, ScheduleFollowUp, ServicePolicy, SurveyAnswer,
};
use support::*;

fn world() -> World {
    let mut w = World::new(ServicePolicy::default(), "2026-03-02 09:00");
    w.given_customer(ONA, "standard");
    w
}

fn band_at(w: &World, at: &str) -> (u8, Band) {
    let h = w.relationship(ONA).health(w.ledger.policy(), t(at));
    let lost: u32 = h.lost.iter().map(|(_, p)| u32::from(*p)).sum();
    assert_eq!(
        lost,
        100 - u32::from(h.score),
        "every point lost is explained"
    );
    (h.score, h.band)
}

#[test]
fn case_2_one_promise_broken_in_silence_is_watch() {
    let mut w = world();
    w.when(
        ONA,
        MakePromise::new(
            PromiseId::from_u128(1),
            text("Call"),
            t("2026-03-03 09:00"),
            AGENT,
        ),
    )
    .unwrap();
    w.run_until("2026-03-04 09:00", 20);
    assert_eq!(band_at(&w, "2026-03-04 09:00"), (72, Band::Watch));
}

#[test]
fn cases_4_to_6_seed_002_is_at_risk_stays_so_after_the_late_delivery_and_recovers_on_time() {
    let mut w = world();
    seed_002(&mut w, ONA);
    assert_eq!(band_at(&w, "2026-03-18 09:00").1, Band::AtRisk);
    w.at("2026-03-20 09:00");
    w.when(
        ONA,
        KeepPromise {
            promise: PromiseId::from_u128(1),
        },
    )
    .unwrap();
    assert_eq!(band_at(&w, "2026-03-20 09:00").1, Band::AtRisk);
    // 120 days after the second break: healthy; the recovery was recorded, with nobody
    // looking, at the instant the first break left the 90-day window (one break in silence
    // is no longer severe: 100 − 9 − 5 = 86).
    let woke = w.run_until("2026-07-15 09:00", 20);
    let recovered: Vec<_> = woke
        .iter()
        .filter(|e| matches!(e.event, Event::Health(HealthEvent::Recovered { .. })))
        .map(|e| e.at)
        .collect();
    assert_eq!(recovered, [t("2026-06-07 09:00")]);
    assert_eq!(band_at(&w, "2026-07-15 09:00"), (100, Band::Healthy));
    w.assert_replay_matches();
}

#[test]
fn case_7_three_silent_breaks_then_24_quick_answers_is_still_at_risk() {
    let mut w = world();
    for n in 1..=3 {
        w.when(
            ONA,
            MakePromise::new(
                PromiseId::from_u128(n),
                text("Call"),
                t("2026-03-03 09:00"),
                AGENT,
            ),
        )
        .unwrap();
    }
    w.run_until("2026-03-03 10:00", 20);
    for n in 1..=3 {
        w.at("2026-03-03 10:00");
        w.when(
            ONA,
            KeepPromise {
                promise: PromiseId::from_u128(n),
            },
        )
        .unwrap();
    }
    for n in 0..24u32 {
        let minute = format!("2026-03-03 {:02}:{:02}", 13 + n / 6, (n % 6) * 10);
        w.at(&minute);
        w.when(ONA, inbound(u128::from(100 + 2 * n), Channel::Chat))
            .unwrap();
        w.when(ONA, outbound(u128::from(101 + 2 * n), Channel::Chat))
            .unwrap();
    }
    assert_eq!(band_at(&w, "2026-03-03 18:00").1, Band::AtRisk);
}

#[test]
fn health_is_the_same_with_or_without_advance_to() {
    let mut w = world();
    seed_002(&mut w, ONA);
    let policy = w.ledger.policy().clone();
    let mut fresh = w.relationship(ONA).clone();
    let later = t("2026-06-20 09:00");
    let before = fresh.health(&policy, later);
    fresh.advance_to(&policy, later);
    assert_eq!(before, fresh.health(&policy, later));
}

/// A promise due at `due`, made now.
fn promise(w: &mut World, n: u128, due: &str) {
    w.when(
        ONA,
        MakePromise::new(PromiseId::from_u128(n), text("Call"), t(due), AGENT),
    )
    .unwrap();
}

fn keep(w: &mut World, n: u128) {
    w.when(
        ONA,
        KeepPromise {
            promise: PromiseId::from_u128(n),
        },
    )
    .unwrap();
}

fn nps(w: &mut World, score: u8) {
    w.when(
        ONA,
        AnswerSurvey {
            survey: None,
            answer: SurveyAnswer::Nps(NpsScore::new(score).unwrap()),
            comment: None,
        },
    )
    .unwrap();
}

/// An e-mail on `day` at 09:00, answered within the 8 h target at 10:00, or late at 18:00.
fn answered(w: &mut World, n: u128, day: &str, late: bool) {
    w.at(&format!("{day} 09:00"));
    w.when(ONA, inbound(2 * n, Channel::Email)).unwrap();
    w.at(&format!("{day} {}", if late { "18:00" } else { "10:00" }));
    w.when(ONA, outbound(2 * n + 1, Channel::Email)).unwrap();
}

/// E-mails on the weekdays from Monday 2 March, the first `late` of them answered late.
fn answers(w: &mut World, count: usize, late: usize) {
    let days = [
        "2026-03-02",
        "2026-03-03",
        "2026-03-04",
        "2026-03-05",
        "2026-03-06",
        "2026-03-09",
    ];
    for (n, day) in days.iter().take(count).enumerate() {
        answered(w, n as u128 + 1, day, n < late);
    }
}

fn events_of(woke: &[clientele::Envelope], kind: &str) -> Vec<chrono::DateTime<chrono::Utc>> {
    woke.iter()
        .filter(|e| e.event.kind() == kind)
        .map(|e| e.at)
        .collect()
}

#[test]
fn case_3_one_promise_broken_after_telling_the_customer_is_healthy() {
    let mut w = world();
    promise(&mut w, 1, "2026-03-03 09:00");
    w.at("2026-03-02 12:00");
    w.when(
        ONA,
        outbound(1, Channel::Phone).regarding(PromiseId::from_u128(1)),
    )
    .unwrap();
    w.run_until("2026-03-04 09:00", 20);
    // Broken promises 30 × 60 %, no silence.
    assert_eq!(band_at(&w, "2026-03-04 09:00"), (82, Band::Healthy));
}

#[test]
fn case_8_two_breaks_a_late_reply_and_a_detractor_then_recovered_when_the_last_left() {
    let mut w = world();
    promise(&mut w, 1, "2026-03-03 09:00");
    promise(&mut w, 2, "2026-03-03 09:00");
    w.run_until("2026-03-03 10:00", 20);
    w.at("2026-03-03 10:00");
    keep(&mut w, 1);
    keep(&mut w, 2);
    answered(&mut w, 1, "2026-03-04", true);
    w.at("2026-03-05 09:00");
    nps(&mut w, 3);
    let (score, band) = band_at(&w, "2026-03-05 09:00");
    assert!(score <= 40 && band == Band::AtRisk, "{score}");
    let h = w
        .relationship(ONA)
        .health(w.ledger.policy(), t("2026-03-05 09:00"));
    assert_eq!(h.severe, [Signal::SlipsAndSilence, Signal::Sentiment]);
    // 120 days later: the answer, the last fact, left the 90-day window on 3 June.
    let woke = w.run_until("2026-07-03 09:00", 20);
    assert_eq!(
        events_of(&woke, "relationship_recovered"),
        [t("2026-06-03 09:00")]
    );
    assert_eq!(band_at(&w, "2026-07-03 09:00"), (100, Band::Healthy));
    w.assert_replay_matches();
}

#[test]
fn case_9_most_of_six_answers_late_is_at_risk() {
    let mut w = world();
    answers(&mut w, 6, 4);
    let (score, band) = band_at(&w, "2026-03-09 18:00");
    assert!(score <= 45 && band == Band::AtRisk, "{score}");
}

#[test]
fn case_10_four_answers_all_late_is_only_moderate() {
    let mut w = world();
    answers(&mut w, 4, 4);
    assert_eq!(band_at(&w, "2026-03-05 18:00"), (85, Band::Healthy));
}

#[test]
fn case_11_three_of_six_answers_late_is_not_most() {
    let mut w = world();
    answers(&mut w, 6, 3);
    assert_eq!(band_at(&w, "2026-03-09 10:00"), (93, Band::Healthy));
}

#[test]
fn case_12_a_follow_up_finding_the_customer_not_satisfied_is_at_risk() {
    let mut w = world();
    let f = FollowUpId::from_u128(1);
    w.when(
        ONA,
        ScheduleFollowUp {
            follow_up: f,
            owner: AGENT,
            due: t("2026-03-04 09:00"),
            reason: text("check in").into(),
            complaint: None,
        },
    )
    .unwrap();
    w.at("2026-03-03 09:00");
    w.when(
        ONA,
        CompleteFollowUp {
            follow_up: f,
            outcome: FollowUpOutcome::NotSatisfied,
            note: None,
        },
    )
    .unwrap();
    let (score, band) = band_at(&w, "2026-03-03 09:00");
    assert!(score <= 45 && band == Band::AtRisk, "{score}");
}

#[test]
fn case_13_a_passive_nps_costs_a_little() {
    let mut w = world();
    nps(&mut w, 7);
    assert_eq!(band_at(&w, "2026-03-02 09:00"), (97, Band::Healthy));
}

#[test]
fn case_14_moderate_failures_add_up_to_at_risk() {
    let mut w = world();
    promise(&mut w, 1, "2026-03-03 09:00");
    answered(&mut w, 1, "2026-03-02", true);
    w.at("2026-03-03 09:00");
    w.when(ONA, inbound(10, Channel::Email)).unwrap();
    w.run_until("2026-03-04 09:00", 20);
    let h = w
        .relationship(ONA)
        .health(w.ledger.policy(), t("2026-03-04 09:00"));
    assert!(h.severe.is_empty(), "{:?}", h.severe);
    // Broken promises 30 × 60 %, slips and silence 20 × 50 %, responsiveness 15 × 100 %,
    // unanswered 10 × 100 %.
    assert_eq!(band_at(&w, "2026-03-04 09:00"), (47, Band::AtRisk));
}

#[test]
fn case_15_an_open_complaint_escalated_once_with_escalation_due_again_is_healthy() {
    let mut w = world();
    let c = ComplaintId::from_u128(1);
    w.when(
        ONA,
        ReceiveComplaint::new(c, Channel::Phone, text("Glasses")),
    )
    .unwrap();
    w.at("2026-03-02 10:00");
    w.when(
        ONA,
        EscalateComplaint {
            complaint: c,
            to_level: 1,
            owner: AGENT,
        },
    )
    .unwrap();
    let woke = w.run_until("2026-03-20 09:00", 40);
    assert!(!events_of(&woke, "escalation_due").is_empty());
    // Complaints 15 × 75 % (open, one level up, escalation due).
    assert_eq!(band_at(&w, "2026-03-20 09:00"), (89, Band::Healthy));
}

#[test]
fn case_16_a_weekly_writer_answered_late_then_silent_goes_quiet_and_comes_back() {
    let mut w = world();
    // Every Monday, answered within the hour; the fifth one is overdue at 17:00 and answered
    // the next morning.
    for (n, day) in ["2026-03-02", "2026-03-09", "2026-03-16", "2026-03-23"]
        .iter()
        .enumerate()
    {
        answered(&mut w, n as u128 + 1, day, false);
    }
    w.at("2026-03-30 09:00");
    w.when(ONA, inbound(20, Channel::Email)).unwrap();
    w.run_until("2026-03-31 09:00", 20);
    w.at("2026-03-31 09:00");
    w.when(ONA, outbound(21, Channel::Email)).unwrap();
    assert_eq!(band_at(&w, "2026-04-19 09:00").1, Band::Healthy);
    // Three of their weeks after the breach, with nobody looking: quiet, and so at risk, both
    // at that instant, which `next_deadline` named; the owner is flagged, whether or not the
    // clock ran.
    let quiet = t("2026-04-20 17:00");
    assert_eq!(w.ledger.next_deadline().map(|d| d.at), Some(quiet));
    let flagged = |flags: Vec<clientele::Flag>| {
        flags
            .into_iter()
            .filter(|f| f.kind == FlagKind::GoneQuiet)
            .map(|f| (f.since, f.owner))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        flagged(w.relationship(ONA).flags(t("2026-04-22 09:00"))),
        [(quiet, Some(AGENT))]
    );
    let woke = w.run_until("2026-04-26 09:00", 20);
    assert_eq!(events_of(&woke, "relationship_gone_quiet"), [quiet]);
    assert_eq!(events_of(&woke, "relationship_at_risk"), [quiet]);
    assert!(matches!(
        woke.first().map(|e| &e.event),
        Some(Event::Health(HealthEvent::GoneQuiet { last_contact, after }))
            if *last_contact == t("2026-03-30 09:00") && *after == t("2026-03-30 17:00")
    ));
    let (score, band) = band_at(&w, "2026-04-26 09:00");
    assert!(score <= 45 && band == Band::AtRisk, "{score}");
    assert_eq!(
        flagged(w.ledger.flags(t("2026-04-26 09:00"))),
        [(quiet, Some(AGENT))]
    );
    // They write again: the flag clears, the relationship recovers at that instant.
    w.at("2026-04-27 09:00");
    let events = w.when(ONA, inbound(22, Channel::Email)).unwrap();
    assert!(kinds(&events).contains(&"relationship_recovered"));
    assert!(flagged(w.ledger.flags(t("2026-04-27 09:00"))).is_empty());
    // Responsiveness 15 × 25 % (one of five targets missed, in the recent half: 2 of 8).
    assert_eq!(band_at(&w, "2026-04-27 09:00"), (97, Band::Healthy));
    w.assert_replay_matches();
}

#[test]
fn a_second_gone_quiet_before_the_customer_writes_does_not_apply_and_changes_nothing() {
    let w = world();
    let quiet = |seq| clientele::Envelope {
        v: clientele::SCHEMA_VERSION,
        customer: ONA,
        seq,
        at: t("2026-03-02 09:00"),
        event: Event::Health(HealthEvent::GoneQuiet {
            last_contact: t("2026-03-02 09:00"),
            after: t("2026-03-02 09:00"),
        }),
        key: None,
        recorded: None,
    };
    let mut r = w.relationship(ONA).clone();
    let first = quiet(r.version() + 1);
    r.apply(&first).unwrap();
    let before = r.clone();
    assert!(r.apply(&quiet(r.version() + 1)).is_err());
    assert_eq!(r, before);
}

#[test]
fn a_customer_served_through_complaints_with_most_targets_missed_is_at_risk() {
    // The Helpdesk log's customers: every contact a complaint, handled late.
    let mut w = world();
    for n in 1..=5 {
        w.when(
            ONA,
            ReceiveComplaint::new(ComplaintId::from_u128(n), Channel::Email, text("Broken")),
        )
        .unwrap();
    }
    w.run_until("2026-04-01 09:00", 100);
    w.at("2026-04-01 09:00");
    for n in 1..=5 {
        w.when(
            ONA,
            clientele::ResolveComplaint {
                complaint: ComplaintId::from_u128(n),
                by: AGENT,
                remedy: None,
                apology: true,
                summary: text("Fixed").into(),
                follow_up: Some(FollowUpId::from_u128(n)),
            },
        )
        .unwrap();
    }
    let h = w
        .relationship(ONA)
        .health(w.ledger.policy(), t("2026-04-01 09:00"));
    assert_eq!(h.severe, [Signal::Responsiveness], "{h:?}");
    assert_eq!(h.band, Band::AtRisk);
}
