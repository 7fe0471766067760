//! Relationship health: falls when the service slips, even if the customer never complains.

mod support;

use clientele::HealthEvent;
use clientele::health::{HealthWeights, Signal};
use clientele::{
    AnswerSurvey, Band, Channel, MakePromise, NpsScore, PromiseId, ServicePolicy, SurveyAnswer,
};
use support::*;

fn world() -> World {
    let mut w = World::new(ServicePolicy::default(), "2026-03-02 09:00");
    w.given_customer(ONA, "standard");
    w
}

#[test]
fn a_new_customer_is_healthy() {
    let w = world();
    let health = w
        .relationship(ONA)
        .health(w.ledger.policy(), t("2026-03-02 09:00"));
    assert_eq!(
        (
            health.score,
            health.band,
            health.reasons.len(),
            health.trend
        ),
        (100, Band::Healthy, 0, 0)
    );
}

#[test]
fn silent_breaks_and_a_missed_answer_put_a_customer_at_risk_without_a_complaint() {
    let mut w = world();
    for n in 1..=2 {
        w.when(
            ONA,
            MakePromise::new(
                PromiseId::from_u128(n),
                text("Call back"),
                t("2026-03-03 09:00"),
                AGENT,
            ),
        )
        .unwrap();
    }
    w.when(ONA, inbound(1, Channel::Email)).unwrap();
    w.at("2026-03-02 18:00");
    w.when(ONA, outbound(2, Channel::Email)).unwrap(); // 9 h for an 8 h target: missed
    w.at("2026-03-04 09:00");
    w.when(ONA, inbound(3, Channel::Email)).unwrap();
    w.run_until("2026-03-05 09:00", 20);
    let health = w
        .relationship(ONA)
        .health(w.ledger.policy(), t("2026-03-05 09:00"));
    // Broken promises 30 × 100 %, slips and silence 20 × 100 % (two silent breaks, recent),
    // responsiveness 15 × 100 % (one late answer, one waiting past due), unanswered 10 × 100 %:
    // 25, under the ceiling of 45 that two breaks in silence (a severe failure) set.
    assert_eq!(health.score, 100 - 30 - 20 - 15 - 10);
    assert_eq!(health.band, Band::AtRisk);
    assert_eq!(health.severe, [Signal::SlipsAndSilence]);
    let lost: u32 = health.lost.iter().map(|(_, p)| u32::from(*p)).sum();
    assert_eq!(lost, 100 - u32::from(health.score));
    assert_eq!(
        health.reasons.first().map(|r| r.0),
        Some(Signal::BrokenPromises)
    );
}

#[test]
fn answers_on_time_keep_responsiveness_full_and_a_late_one_costs_its_weight() {
    // Given an e-mail answered within the 8 h target,
    let mut w = world();
    w.when(ONA, inbound(1, Channel::Email)).unwrap();
    w.at("2026-03-02 12:00");
    w.when(ONA, outbound(2, Channel::Email)).unwrap();
    // then responsiveness costs nothing and the customer stays fully healthy;
    let health = w
        .relationship(ONA)
        .health(w.ledger.policy(), t("2026-03-02 12:00"));
    assert_eq!((health.score, health.reasons.len()), (100, 0));

    // when the next one waits 9 h for its answer, responsiveness is one of two missed.
    w.at("2026-03-03 09:00");
    w.when(ONA, inbound(3, Channel::Email)).unwrap();
    w.at("2026-03-03 18:00");
    w.when(ONA, outbound(4, Channel::Email)).unwrap();
    let health = w
        .relationship(ONA)
        .health(w.ledger.policy(), t("2026-03-03 18:00"));
    assert_eq!(
        health.reasons.first().map(|r| r.0),
        Some(Signal::Responsiveness)
    );
    // 15 × 50 %, rounded down.
    assert_eq!(health.score, 100 - 7);
}

#[test]
fn a_detractor_puts_the_customer_at_risk_and_the_trend_shows_the_change() {
    let mut w = world();
    w.when(
        ONA,
        AnswerSurvey {
            survey: None,
            answer: SurveyAnswer::Nps(NpsScore::new(10).unwrap()),
            comment: None,
        },
    )
    .unwrap();
    w.at("2026-06-15 09:00");
    w.when(
        ONA,
        AnswerSurvey {
            survey: None,
            answer: SurveyAnswer::Nps(NpsScore::new(3).unwrap()),
            comment: None,
        },
    )
    .unwrap();
    let health = w
        .relationship(ONA)
        .health(w.ledger.policy(), t("2026-06-15 10:00"));
    // A detractor is a severe failure on its own: under the at-risk line (50 − 5), the points
    // beyond sentiment's weight of 10 going to sentiment too.
    assert_eq!(health.score, 45);
    assert_eq!(health.band, Band::AtRisk);
    assert_eq!(health.reasons, [(Signal::Sentiment, 1000)]);
    assert_eq!(health.lost, [(Signal::Sentiment, 55)]);
    assert_eq!(health.trend, -10);
}

#[test]
fn weights_must_sum_to_one_hundred_and_bands_must_be_ordered() {
    assert!(HealthWeights::new(20, 20, 20, 20, 10, 10).is_ok());
    assert!(HealthWeights::new(20, 20, 20, 20, 10, 11).is_err());
    let json = r#"{"broken_promises":50,"slips_and_silence":50,"complaints":50,"responsiveness":0,"unanswered":0,"sentiment":0}"#;
    assert!(serde_json::from_str::<HealthWeights>(json).is_err());
    let mut policy = ServicePolicy::default();
    policy.health.at_risk_below = 80;
    assert!(matches!(
        policy.validate(),
        Err(clientele::PolicyError::HealthBands { .. })
    ));
    // Each rule alone is enough: a band above 100, or a window of no time at all.
    let mut policy = ServicePolicy::default();
    policy.health.watch_below = 101;
    assert!(matches!(
        policy.validate(),
        Err(clientele::PolicyError::HealthBands { .. })
    ));
    let mut policy = ServicePolicy::default();
    policy.health.window = clientele::Span::ZERO;
    assert!(matches!(
        policy.validate(),
        Err(clientele::PolicyError::HealthBands { .. })
    ));
}

#[test]
fn relationship_at_risk_is_raised_once_by_time_alone_and_again_only_after_recovery() {
    use clientele::{Event, FlagKind, KeepPromise, Subject};
    let mut w = world();
    for n in 1..=3 {
        w.when(
            ONA,
            MakePromise::new(
                PromiseId::from_u128(n),
                text("Call back"),
                t("2026-03-03 09:00"),
                AGENT,
            ),
        )
        .unwrap();
    }
    w.when(ONA, inbound(1, Channel::Email)).unwrap();
    // Nobody does anything: the promises break in silence and the customer waits.
    let woke = w.run_until("2026-03-04 00:00", 20);
    let at_risk: Vec<_> = woke
        .iter()
        .filter(|e| matches!(e.event, Event::Health(HealthEvent::AtRisk { .. })))
        .collect();
    assert_eq!(at_risk.len(), 1, "{:?}", envelope_kinds(&woke));
    assert!(
        matches!(&at_risk[0].event, Event::Health(HealthEvent::AtRisk { score, reasons }) if *score < 50 && reasons[0] == Signal::BrokenPromises)
    );
    let flags = w.ledger.flags(t("2026-03-04 00:00"));
    assert!(flags.iter().any(|f| f.kind == FlagKind::RelationshipAtRisk
        && f.subject == Subject::Relationship
        && f.owner == Some(AGENT)));

    // Keeping the promises and answering does not undo three breaks in silence: they count
    // for the whole window, and the relationship stays at risk.
    w.at("2026-03-04 09:00");
    w.when(ONA, outbound(2, Channel::Phone)).unwrap();
    let mut kept = Vec::new();
    for n in 1..=3 {
        kept.extend(
            w.when(
                ONA,
                KeepPromise {
                    promise: PromiseId::from_u128(n),
                },
            )
            .unwrap(),
        );
    }
    assert!(
        !kept
            .iter()
            .any(|e| matches!(e, Event::Health(HealthEvent::Recovered { .. })))
    );
    // With nobody looking, it recovers at the instant the breaks leave the 90-day window,
    // which the next deadline names.
    let review = w.ledger.next_deadline().expect("a health review");
    assert_eq!(
        (review.at, review.kind()),
        (t("2026-06-01 09:00"), clientele::DeadlineKind::HealthReview)
    );
    let recovered = w.run_until("2026-06-02 09:00", 20);
    assert_eq!(
        recovered
            .iter()
            .filter(|e| matches!(e.event, Event::Health(HealthEvent::Recovered { .. })))
            .map(|e| e.at)
            .collect::<Vec<_>>(),
        [t("2026-06-01 09:00")]
    );
    assert!(
        !w.ledger
            .flags(t("2026-06-02 09:00"))
            .iter()
            .any(|f| f.kind == FlagKind::RelationshipAtRisk)
    );

    // A new slide raises it again.
    w.at("2026-06-05 09:00");
    for n in 4..=6 {
        w.when(
            ONA,
            MakePromise::new(
                PromiseId::from_u128(n),
                text("Again"),
                t("2026-06-06 09:00"),
                AGENT,
            ),
        )
        .unwrap();
    }
    let again = w.run_until("2026-06-07 00:00", 20);
    assert_eq!(
        again
            .iter()
            .filter(|e| matches!(e.event, Event::Health(HealthEvent::AtRisk { .. })))
            .count(),
        1
    );
    w.assert_replay_matches();
}

/// Reasons come worst first, by the points they cost (weight × penalty): a heavy signal half penalised comes
/// before a light one fully penalised (by weight + penalty it would be the other way round).
#[test]
fn reasons_are_ordered_by_weight_times_penalty() {
    // Given broken promises weighing 50 and unanswered messages 1,
    let mut policy = ServicePolicy::default();
    policy.health.weights = HealthWeights::new(50, 15, 20, 10, 1, 4).unwrap();
    let mut w = World::new(policy, "2026-03-02 09:00");
    w.given_customer(ONA, "standard");
    // when one promise breaks in silence and a message waits past its target,
    w.when(
        ONA,
        MakePromise::new(
            PromiseId::from_u128(1),
            text("Call back"),
            t("2026-03-03 09:00"),
            AGENT,
        ),
    )
    .unwrap();
    w.when(ONA, inbound(1, Channel::Email)).unwrap();
    w.run_until("2026-03-03 10:00", 20);
    let health = w
        .relationship(ONA)
        .health(w.ledger.policy(), t("2026-03-03 10:00"));
    // then broken promises (50 × 600 ‰) come before responsiveness (10 × 1000 ‰), slips and
    // silence (15 × 500 ‰), and those before unanswered messages (1 × 1000 ‰), though
    // 1 + 1000 is more than 15 + 500.
    assert_eq!(
        health.reasons,
        [
            (Signal::BrokenPromises, 600),
            (Signal::Responsiveness, 1000),
            (Signal::SlipsAndSilence, 500),
            (Signal::Unanswered, 1000)
        ]
    );
}

/// An agent's work list names the relationship at risk, and since when, before anyone
/// advances the book, exactly as after; and once the breaks leave the window, no longer names
/// it, though the recovery was never recorded. The book answers from its index of next
/// deadlines: a customer filed under a deadline already due is read as advanced to `now`.
#[test]
fn the_work_list_reads_health_as_advanced_whether_or_not_the_book_was() {
    use clientele::flag::Owner;
    use clientele::{FlagKind, KeepPromise};
    let mut w = world();
    for n in 1..=3 {
        let promise = MakePromise::new(
            PromiseId::from_u128(n),
            text("Call back"),
            t("2026-03-03 09:00"),
            AGENT,
        );
        w.when(ONA, promise).unwrap();
    }
    w.when(ONA, inbound(1, Channel::Email)).unwrap();
    let agent = Owner::Agent(AGENT);
    let at_risk = |flags: &[clientele::Flag]| {
        flags
            .iter()
            .filter(|f| f.kind == FlagKind::RelationshipAtRisk)
            .map(|f| f.since)
            .collect::<Vec<_>>()
    };
    // Given nobody advanced the book through the breaks,
    let now = t("2026-03-04 00:00");
    let unadvanced = w.ledger.work_list(agent, now);
    let scanned = w.ledger.flags(now);
    // when it is advanced, then the work list and the scan read the same before and after.
    let mut advanced = w.ledger.clone();
    advanced.advance_to(now);
    assert_eq!(
        at_risk(&unadvanced.flags).len(),
        1,
        "{:?}",
        unadvanced.flags
    );
    assert_eq!(unadvanced.flags, advanced.work_list(agent, now).flags);
    assert_eq!(scanned, advanced.flags(now));

    // Given the breaks were recorded, then the promises kept and the customer answered,
    w.run_until("2026-03-04 00:00", 20);
    w.at("2026-03-04 09:00");
    w.when(ONA, outbound(2, Channel::Phone)).unwrap();
    for n in 1..=3 {
        let keep = KeepPromise {
            promise: PromiseId::from_u128(n),
        };
        w.when(ONA, keep).unwrap();
    }
    // when the breaks leave the window (a health review, 2026-06-01) with nobody advancing,
    let later = t("2026-06-02 09:00");
    assert!(w.ledger.next_deadline().is_some_and(|d| d.at < later));
    assert!(at_risk(&w.ledger.work_list(agent, later).flags).is_empty());
    assert!(at_risk(&w.ledger.flags(later)).is_empty());
    // then the work list no longer names the relationship, as an advanced book would not.
    let mut advanced = w.ledger.clone();
    advanced.advance_to(later);
    assert_eq!(
        w.ledger.work_list(agent, later).flags,
        advanced.work_list(agent, later).flags
    );
}
