//! Calendars where the work is (issue 14 item 8), given / when / then: the calendar (and so the
//! time zone) a target runs on chosen by team, channel, tier or priority, first matching rule
//! first (`CalendarRule`), then the table's per-priority calendars, then the policy's own.
//!
//! The policy's own calendar is always open; "vilnius" is 09:00 to 17:00 on weekdays in
//! Europe/Vilnius (UTC+2 in March), "new york" 09:00 to 17:00 in America/New_York (UTC-5).

mod support;

use clientele::calendar::WallTime;
use clientele::flag::Regarding;
use clientele::policy::{ByPriority, CalendarRule, Targets, UpdatePolicy};
use clientele::{
    Channel, ComplaintEvent, ComplaintId, Event, Ledger, PolicyError, Priority, ReceiveComplaint,
    ReprioritiseComplaint, ResponseEvent, RouteComplaint, ServiceCalendar, ServicePolicy, Span,
    TeamId,
};
use support::*;

const BRAND_DESK: TeamId = TeamId::from_u128(0xe1);

fn office(zone: &str) -> ServiceCalendar {
    ServiceCalendar::builder(zone)
        .unwrap()
        .weekdays(WallTime::hm(9, 0).unwrap(), WallTime::hm(17, 0).unwrap())
        .build()
        .unwrap()
}

fn policy() -> ServicePolicy {
    let mut policy = ServicePolicy::default();
    policy
        .calendars
        .insert("vilnius".into(), office("Europe/Vilnius"));
    policy
        .calendars
        .insert("new york".into(), office("America/New_York"));
    // Tweets are answered on the brand's New York hours; gold customers' complaints run on
    // the Vilnius office's; urgent complaints on the policy's own (always open) calendar.
    policy.first_response = policy
        .first_response
        .clone()
        .with_rule(CalendarRule::calendar("new york").on_channel(Channel::Social));
    policy.complaints.acknowledge = policy
        .complaints
        .acknowledge
        .clone()
        .with_rule(CalendarRule::calendar("vilnius").for_tier(tier("gold")));
    policy.updates = Some(UpdatePolicy::new(
        Targets::new(ByPriority::uniform(Span::hours(8)))
            .with_rule(CalendarRule::calendar("new york").for_team(BRAND_DESK)),
    ));
    policy
}

#[test]
fn a_tweet_is_answered_on_the_brands_hours_an_email_on_the_policys_own() {
    // Friday 6 March, 20:00 UTC: 15:00 in New York, two working hours left that day.
    let mut w = World::new(policy(), "2026-03-06 20:00");
    w.given_customer(ONA, "standard");
    let tweet = w.when(ONA, inbound(1, Channel::Social)).unwrap();
    assert!(
        matches!(
            &tweet[1],
            Event::Response(ResponseEvent::ClockStarted { calendar: Some(c), due: Some(due), .. })
                if c == "new york" && *due == t("2026-03-09 19:00")
        ),
        "8 h: 2 on Friday, 6 on Monday (09:00 to 15:00 in New York, on summer time since Sunday): {tweet:?}"
    );
    let mut w = World::new(policy(), "2026-03-06 20:00");
    w.given_customer(ONA, "standard");
    let email = w.when(ONA, inbound(1, Channel::Email)).unwrap();
    assert!(matches!(
        &email[1],
        Event::Response(ResponseEvent::ClockStarted { calendar: None, due: Some(due), .. })
            if *due == t("2026-03-07 04:00")
    ));
}

#[test]
fn a_gold_customers_complaint_is_acknowledged_on_the_vilnius_offices_hours() {
    // Monday 2 March, 16:00 UTC: 18:00 in Vilnius, the office has closed.
    let mut w = World::new(policy(), "2026-03-02 16:00");
    w.given_customer(ONA, "gold");
    let events = w
        .when(
            ONA,
            ReceiveComplaint::new(ComplaintId::from_u128(1), Channel::Phone, text("x")),
        )
        .unwrap();
    let Event::Complaint(ComplaintEvent::Received {
        acknowledgement,
        resolution,
        ..
    }) = &events[0]
    else {
        panic!("{events:?}")
    };
    // 4 h from Tuesday's opening, 07:00 UTC; the resolution target names no rule.
    assert_eq!(acknowledgement.calendar.as_deref(), Some("vilnius"));
    assert_eq!(acknowledgement.due, Some(t("2026-03-03 11:00")));
    assert_eq!(resolution.calendar, None);
    w.assert_replay_matches();
}

#[test]
fn a_complaint_in_a_teams_queue_is_owed_updates_on_the_teams_hours() {
    let mut w = World::new(policy(), "2026-03-02 16:00");
    w.given_customer(ONA, "standard");
    let complaint = ComplaintId::from_u128(1);
    w.when(
        ONA,
        ReceiveComplaint::new(complaint, Channel::Email, text("x")),
    )
    .unwrap();
    let armed = w
        .relationship(ONA)
        .update_clock(Regarding::Complaint(complaint))
        .unwrap();
    assert_eq!(
        (armed.calendar.as_deref(), armed.due),
        (None, Some(t("2026-03-03 00:00")))
    );
    w.when(
        ONA,
        RouteComplaint {
            complaint,
            team: BRAND_DESK,
        },
    )
    .unwrap();
    // Re-armed by the acknowledgement, now in the brand desk's queue: New York hours, 8 h
    // from 16:00 UTC (11:00 there): 6 on Monday, 2 on Tuesday to 11:00 there, 16:00 UTC.
    let events = w
        .when(
            ONA,
            clientele::AcknowledgeComplaint {
                complaint,
                by: AGENT,
            },
        )
        .unwrap();
    assert!(events.iter().any(|e| matches!(
        e,
        Event::Response(ResponseEvent::UpdateClockStarted { calendar: Some(c), due: Some(due), .. })
            if c == "new york" && *due == t("2026-03-03 16:00")
    )), "{events:?}");
    w.assert_replay_matches();
}

#[test]
fn the_first_matching_rule_wins_and_the_priority_calendar_comes_after_the_rules() {
    let mut policy = policy();
    policy.reply = Targets::new(ByPriority::uniform(Span::hours(2)))
        .on_calendar(Priority::Urgent, "vilnius")
        .with_rule(
            CalendarRule::calendar("new york")
                .on_channel(Channel::Social)
                .at_priority(Priority::Urgent),
        )
        .with_rule(CalendarRule::calendar("vilnius").on_channel(Channel::Social));
    let gold = tier("gold");
    let at = |priority, channel| clientele::policy::Situation {
        priority,
        tier: &gold,
        channel: Some(channel),
        team: None,
    };
    assert_eq!(
        policy
            .reply
            .calendar_for(&at(Priority::Urgent, Channel::Social)),
        Some("new york")
    );
    assert_eq!(
        policy
            .reply
            .calendar_for(&at(Priority::Low, Channel::Social)),
        Some("vilnius")
    );
    assert_eq!(
        policy
            .reply
            .calendar_for(&at(Priority::Urgent, Channel::Phone)),
        Some("vilnius")
    );
    assert_eq!(
        policy
            .reply
            .calendar_for(&at(Priority::Low, Channel::Phone)),
        None
    );
    assert!(Ledger::new(policy).is_ok());
}

#[test]
fn a_rule_naming_an_unknown_calendar_is_refused_at_validation() {
    let mut policy = policy();
    policy.reply = policy
        .reply
        .clone()
        .with_rule(CalendarRule::calendar("vilnius").for_team(BRAND_DESK))
        .with_rule(CalendarRule::calendar("tokyo").on_channel(Channel::Chat));
    assert_eq!(
        Ledger::new(policy).err(),
        Some(PolicyError::UnknownRuleCalendar {
            target: "reply",
            rule: 1,
            name: "tokyo".into()
        })
    );
}

#[test]
fn a_policy_without_rules_is_written_as_before() {
    let json = serde_json::to_string(&ServicePolicy::default()).unwrap();
    assert!(!json.contains("rules"), "{json}");
    let with: ServicePolicy =
        serde_json::from_str(&serde_json::to_string(&policy()).unwrap()).unwrap();
    assert_eq!(with, policy());
}

#[test]
fn a_reprioritised_complaint_keeps_the_calendar_its_rules_choose() {
    // Given a gold customer's complaint, acknowledged on the Vilnius office's hours (Monday
    // 2 March, 16:00 UTC: 18:00 in Vilnius, the office has closed),
    let complaint = ComplaintId::from_u128(1);
    let mut w = World::new(policy(), "2026-03-02 16:00");
    w.given_customer(ONA, "gold");
    w.when(
        ONA,
        ReceiveComplaint::new(complaint, Channel::Phone, text("x")),
    )
    .unwrap();
    // when it is re-prioritised to high at once (2 h to acknowledge),
    let events = w
        .when(ONA, ReprioritiseComplaint::new(complaint, Priority::High))
        .unwrap();
    // then the new target still runs on the Vilnius hours the tier rule chooses: 2 h from
    // Tuesday's opening (07:00 UTC), not 2 h on the policy's always-open calendar.
    let Event::Complaint(ComplaintEvent::Reprioritised {
        acknowledgement: Some(acknowledgement),
        ..
    }) = &events[0]
    else {
        panic!("{events:?}")
    };
    assert_eq!(acknowledgement.terms.calendar.as_deref(), Some("vilnius"));
    assert_eq!(acknowledgement.terms.due, Some(t("2026-03-03 09:00")));
    w.assert_replay_matches();
}
