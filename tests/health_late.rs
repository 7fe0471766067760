//! A fact reported late never rewrites the band events already recorded (issue 16 review): a
//! promise kept late, reported after the relationship went at risk, records no recovery dated
//! before the at-risk event, and no second at-risk event.

mod support;

use clientele::measure::Window;
use clientele::{
    CustomerId, Event, HealthEvent, KeepPromise, Ledger, MakePromise, PromiseId, RegisterCustomer,
    Request, ServicePolicy, Tally, Text, Tier,
};
use support::t;

#[test]
fn a_late_keep_after_the_band_moved_records_no_band_event_before_it() {
    let policy = ServicePolicy::default();
    let mut ledger = Ledger::new(policy).unwrap();
    let ona = CustomerId::from_u128(1);
    let agent = clientele::AgentId::from_u128(7);
    let mut log = Vec::new();
    let start = t("2026-03-02 09:00");
    log.extend(
        ledger
            .execute(
                ona,
                RegisterCustomer::new(Text::new("Ona").unwrap(), Tier::new("standard").unwrap()),
                start,
            )
            .unwrap(),
    );
    for n in 1..=2 {
        let make = MakePromise::new(
            PromiseId::from_u128(n),
            Text::new("call back").unwrap(),
            t("2026-03-03 09:00"),
            agent,
        );
        log.extend(ledger.execute(ona, make, start).unwrap());
    }
    // Given the relationship went at risk when both promises broke,
    log.extend(ledger.advance_to(t("2026-03-04 09:00")));
    let at_risk: Vec<_> = log
        .iter()
        .filter(|e| matches!(e.event, Event::Health(HealthEvent::AtRisk { .. })))
        .map(|e| e.at)
        .collect();
    assert_eq!(at_risk, vec![t("2026-03-03 09:00")]);
    // when one promise is reported, a day later, as kept an hour before its due instant,
    let keep =
        Request::new(KeepPromise::new(PromiseId::from_u128(1))).occurred_at(t("2026-03-03 08:00"));
    let events = ledger
        .execute_request(ona, keep, t("2026-03-04 10:00"))
        .unwrap();
    // then the keep is recorded at its real time and no band event is recorded: the other broken
    // promise keeps the customer at risk, since the instant recorded first.
    assert!(
        events.iter().all(|e| !matches!(e.event, Event::Health(_))),
        "{events:?}"
    );
    log.extend(events);
    let health = ledger
        .get(ona)
        .unwrap()
        .health(&ServicePolicy::default(), t("2026-03-04 10:00"));
    assert_eq!(health.band, clientele::Band::AtRisk);
    let window = Window::new(t("2026-03-01 00:00"), t("2026-04-01 00:00")).unwrap();
    let tally = Tally::from_log(window, &log).unwrap();
    assert_eq!(tally.book().health.entered_at_risk, 1);
    assert_eq!(tally.book().health.left_at_risk, 0);
}
