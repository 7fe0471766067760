//! The table of cases in `clientele::health`'s module docs, as scenarios with the band each
//! must reach (case 1, a new customer, is `a_new_customer_is_healthy` in `tests/health.rs`).

mod support;

use clientele::flag::FlagKind;
use clientele::{
    Band, Channel, Event, HealthEvent, KeepPromise, MakePromise, PromiseId, RevisePromise,
    ServicePolicy,
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

/// Seed 002: a promise broken in silence, re-promised "another week" without telling the
/// customer, broken in silence again.
fn optician(w: &mut World) {
    let p = PromiseId::from_u128(1);
    w.when(
        ONA,
        MakePromise::new(p, text("Glasses"), t("2026-03-09 09:00"), AGENT),
    )
    .unwrap();
    w.run_until("2026-03-10 09:00", 20);
    w.at("2026-03-10 09:00");
    w.when(
        ONA,
        RevisePromise {
            promise: p,
            due: t("2026-03-17 09:00"),
            reason: text("the outside lab").into(),
            customer_agreed: false,
        },
    )
    .unwrap();
    w.run_until("2026-03-18 09:00", 20);
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
    optician(&mut w);
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
    optician(&mut w);
    let policy = w.ledger.policy().clone();
    let mut fresh = w.relationship(ONA).clone();
    let later = t("2026-06-20 09:00");
    let before = fresh.health(&policy, later);
    fresh.advance_to(&policy, later);
    assert_eq!(before, fresh.health(&policy, later));
}

/// An e-mail on `day` at 09:00, answered within the 8 h target at 10:00, or late at 18:00.
fn answered(w: &mut World, n: u128, day: &str, late: bool) {
    w.at(&format!("{day} 09:00"));
    w.when(ONA, inbound(2 * n, Channel::Email)).unwrap();
    w.at(&format!("{day} {}", if late { "18:00" } else { "10:00" }));
    w.when(ONA, outbound(2 * n + 1, Channel::Email)).unwrap();
}

fn events_of(woke: &[clientele::Envelope], kind: &str) -> Vec<chrono::DateTime<chrono::Utc>> {
    woke.iter()
        .filter(|e| e.event.kind() == kind)
        .map(|e| e.at)
        .collect()
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
