//! Response clocks measured in business time, on the policy's calendars.

mod support;

use chrono::{NaiveDate, TimeZone, Utc};
use clientele::CommandError;
use clientele::calendar::WallTime;
use clientele::outcome::{Lateness, Outcome};
use clientele::policy::{ByPriority, Targets};
use clientele::{Channel, Event, Priority, ServiceCalendar, ServicePolicy, Span};
use clientele::{ComplaintEvent, FollowUpEvent, ResponseEvent};
use support::*;

/// Europe/Berlin, Monday–Friday 09:00–17:00, Easter Monday 2026 off; urgent runs on "24/7".
fn policy() -> ServicePolicy {
    let desk = ServiceCalendar::builder("Europe/Berlin")
        .unwrap()
        .weekdays(WallTime::hm(9, 0).unwrap(), WallTime::hm(17, 0).unwrap())
        .holiday(
            NaiveDate::from_ymd_opt(2026, 4, 6).unwrap(),
            "Easter Monday",
        )
        .build()
        .unwrap();
    let around_the_clock = ServiceCalendar::builder("Europe/Berlin")
        .unwrap()
        .every_day(WallTime::MIDNIGHT, WallTime::END_OF_DAY)
        .build()
        .unwrap();
    let targets = Targets::new(ByPriority {
        low: Span::hours(16),
        normal: Span::hours(8),
        high: Span::hours(4),
        urgent: Span::hours(24),
    })
    .on_calendar(Priority::Urgent, "24/7");
    ServicePolicy {
        calendar: desk,
        calendars: [("24/7".to_string(), around_the_clock)].into(),
        first_response: targets.clone(),
        reply: targets,
        ..ServicePolicy::default()
    }
}

/// Berlin local time to UTC, written out by hand so the test does not trust the zone code it
/// checks: UTC+1 in winter, UTC+2 from 2026-03-29 01:00 UTC.
fn berlin(s: &str) -> chrono::DateTime<Utc> {
    let naive = t(s).naive_utc();
    let summer_starts = Utc.with_ymd_and_hms(2026, 3, 29, 1, 0, 0).unwrap();
    let winter = Utc.from_utc_datetime(&(naive - chrono::TimeDelta::hours(1)));
    if winter < summer_starts {
        winter
    } else {
        Utc.from_utc_datetime(&(naive - chrono::TimeDelta::hours(2)))
    }
}

#[test]
fn friday_afternoon_before_a_holiday_monday_is_due_on_tuesday() {
    let mut w = World::new(policy(), "2026-04-01 08:00");
    w.given_customer(ONA, "standard");
    w.now = berlin("2026-04-03 16:30"); // Good Friday is a working day here; Easter Monday is not.
    let events = w
        .when(ONA, inbound(1, Channel::Email).priority(Priority::High))
        .unwrap();
    let Event::Response(ResponseEvent::ClockStarted { due, calendar, .. }) = &events[1] else {
        panic!("{events:?}")
    };
    assert_eq!(*calendar, None);
    // 30 minutes on Friday, none over the weekend and the holiday, 3.5 hours on Tuesday.
    assert_eq!(*due, Some(berlin("2026-04-07 12:30")));
}

#[test]
fn the_urgent_line_runs_on_its_own_calendar_across_the_spring_clock_change() {
    let mut w = World::new(policy(), "2026-03-20 08:00");
    w.given_customer(ONA, "standard");
    w.now = berlin("2026-03-28 12:00");
    let events = w
        .when(ONA, inbound(1, Channel::Phone).priority(Priority::Urgent))
        .unwrap();
    let Event::Response(ResponseEvent::ClockStarted { due, calendar, .. }) = &events[1] else {
        panic!("{events:?}")
    };
    assert_eq!(calendar.as_deref(), Some("24/7"));
    // The night of 29 March has only 23 hours: 24 business hours end at 13:00 local.
    assert_eq!(*due, Some(berlin("2026-03-29 13:00")));
}

#[test]
fn lateness_is_reported_in_business_and_wall_clock_time() {
    let mut w = World::new(policy(), "2026-03-02 08:00");
    w.given_customer(ONA, "standard");
    w.now = berlin("2026-03-05 15:00"); // Thursday; 4 business hours: due Friday 11:00.
    w.when(ONA, inbound(1, Channel::Email).priority(Priority::High))
        .unwrap();
    w.now = berlin("2026-03-09 10:00"); // Monday 10:00: one business hour late, three days wall.
    let events = w.when(ONA, outbound(2, Channel::Email)).unwrap();
    let Some(Event::Response(ResponseEvent::ClockStopped {
        outcome, waited, ..
    })) = events.last()
    else {
        panic!("{events:?}")
    };
    assert_eq!(
        *outcome,
        Outcome::MetLate {
            lateness: Lateness {
                wall: Span::try_from_secs(71 * 3600).unwrap(),
                business: Span::hours(7)
            }
        }
    );
    assert_eq!(waited.business, Span::hours(11));
}

#[test]
fn a_policy_naming_an_unknown_calendar_is_refused_before_it_decides_anything() {
    // A policy that does not validate is bad input, refused up front; a calendar retired by a
    // policy that validates gives clocks with no target instead (tests/no_target.rs).
    let mut broken = policy();
    broken.first_response = broken
        .first_response
        .on_calendar(Priority::Low, "no such calendar");
    let refused = clientele::PolicyError::UnknownCalendar {
        target: "first_response",
        priority: Priority::Low,
        name: "no such calendar".into(),
    };
    // Refused up front: no ledger is made under it ...
    assert_eq!(
        clientele::Ledger::new(broken.clone()).err(),
        Some(refused.clone())
    );
    // ... and a relationship, which takes its policy per call, decides nothing under it.
    let mut w = World::new(policy(), "2026-03-02 08:00");
    w.given_customer(ONA, "standard");
    let before = w.relationship(ONA).clone();
    let err = before
        .decide(
            &broken,
            &inbound(1, Channel::Email).priority(Priority::Low).into(),
            w.now,
        )
        .unwrap_err();
    assert_eq!(err, CommandError::Policy(refused));
    assert_eq!(*w.relationship(ONA), before);
}

#[test]
fn escalation_thresholds_and_follow_up_delays_run_on_their_named_calendars() {
    use clientele::{
        AcknowledgeComplaint, ComplaintId, FollowUpId, ReceiveComplaint, ResolveComplaint,
    };
    let mut policy = policy();
    let desk = policy.calendar.clone();
    policy.calendar = ServiceCalendar::always_open();
    policy.calendars.insert("desk".into(), desk);
    policy.complaints.follow_up_after = Some(Span::hours(8));
    policy.complaints.follow_up_calendar = Some("desk".into());
    if let Some(front_line) = policy.complaints.levels.first_mut() {
        front_line.calendar = Some("desk".into());
    }
    assert_eq!(policy.validate(), Ok(()));
    let mut w = World::new(policy, "2026-03-02 08:00");
    w.given_customer(ONA, "standard");
    let c = ComplaintId::from_u128(1);
    w.now = berlin("2026-03-06 16:00"); // Friday
    let events = w
        .when(
            ONA,
            ReceiveComplaint::new(c, Channel::Email, text("Broken")),
        )
        .unwrap();
    let Event::Complaint(ComplaintEvent::Received {
        escalation: Some(escalation),
        resolution,
        ..
    }) = &events[0]
    else {
        panic!("{events:?}")
    };
    // 8 business hours on the desk: 1 on Friday, 7 on Monday.
    assert_eq!(escalation.due, Some(berlin("2026-03-09 16:00")));
    assert_eq!(escalation.calendar.as_deref(), Some("desk"));
    // The resolution target (40 h) runs on the policy's own calendar, now always open.
    assert_eq!(resolution.due, Some(berlin("2026-03-08 08:00")));
    w.when(
        ONA,
        AcknowledgeComplaint {
            complaint: c,
            by: AGENT,
        },
    )
    .unwrap();
    let resolve = ResolveComplaint {
        complaint: c,
        by: AGENT,
        remedy: None,
        apology: true,
        summary: text("Fixed").into(),
        follow_up: Some(FollowUpId::from_u128(2)),
    };
    let events = w.when(ONA, resolve).unwrap();
    assert!(
        matches!(events[1], Event::FollowUp(FollowUpEvent::Scheduled { due, .. }) if due == Some(berlin("2026-03-09 16:00")))
    );

    let mut broken = ServicePolicy::default();
    broken.complaints.follow_up_calendar = Some("nowhere".into());
    assert!(matches!(
        broken.validate(),
        Err(clientele::PolicyError::UnknownCalendar {
            target: "complaints.follow_up_calendar",
            ..
        })
    ));
}
