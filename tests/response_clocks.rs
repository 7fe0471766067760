//! Response clocks, given / when / then: how long the customer waits for us.

mod support;

use clientele::ResponseEvent;
use clientele::outcome::{Elapsed, Lateness, Outcome};
use clientele::policy::{ByPriority, Lead, Targets};
use clientele::response::{ClockKind, ResponseClock};
use clientele::{
    Channel, Event, FlagKind, InteractionId, Priority, ServicePolicy, Span, Subject, UpdateProfile,
};
use support::*;

fn policy() -> ServicePolicy {
    // Normal: first response 8 h, reply 4 h; gold: 2 h and 1 h. Warn 1 h before.
    ServicePolicy {
        first_response: Targets::new(ByPriority {
            low: Span::hours(24),
            normal: Span::hours(8),
            high: Span::hours(4),
            urgent: Span::hours(1),
        })
        .with_tier(tier("gold"), ByPriority::uniform(Span::hours(2))),
        reply: Targets::new(ByPriority::uniform(Span::hours(4)))
            .with_tier(tier("gold"), ByPriority::uniform(Span::hours(1))),
        response_warning: Lead::Before(Span::hours(1)),
        ..ServicePolicy::default()
    }
}

fn world() -> World {
    let mut world = World::new(policy(), "2026-03-06 09:00");
    world.given_customer(ONA, "standard");
    world
}

#[test]
fn the_first_inbound_starts_the_first_response_clock_and_records_what_it_computed() {
    let mut w = world();
    w.at("2026-03-06 16:30");
    let events = w.when(ONA, inbound(1, Channel::Email)).unwrap();
    assert_eq!(
        kinds(&events),
        ["interaction_recorded", "response_clock_started"]
    );
    assert_eq!(
        events[1],
        Event::Response(ResponseEvent::ClockStarted {
            kind: ClockKind::FirstResponse,
            since: InteractionId::from_u128(1),
            priority: Priority::Normal,
            tier: tier("standard"),
            target: Span::hours(8),
            calendar: None,
            due: Some(t("2026-03-07 00:30")),
            no_target: None,
            warn_at: Some(t("2026-03-06 23:30")),
        })
    );
}

#[test]
fn later_inbound_messages_do_not_move_the_deadline() {
    let mut w = world();
    w.at("2026-03-06 16:30");
    w.when(ONA, inbound(1, Channel::Email)).unwrap();
    w.at("2026-03-06 17:00");
    let events = w
        .when(ONA, inbound(2, Channel::Chat).priority(Priority::Urgent))
        .unwrap();
    assert_eq!(kinds(&events), ["interaction_recorded"]);
    let wait = w.relationship(ONA).response_clock().wait().unwrap().clone();
    assert_eq!(wait.since, InteractionId::from_u128(1));
    assert_eq!(wait.due, Some(t("2026-03-07 00:30")));
    assert_eq!(wait.unanswered, 2);
}

#[test]
fn an_answer_on_any_channel_answers_everything_before_it() {
    let mut w = world();
    w.at("2026-03-06 16:30");
    w.when(ONA, inbound(1, Channel::Email)).unwrap();
    w.at("2026-03-06 17:00");
    w.when(ONA, inbound(2, Channel::Chat)).unwrap();
    w.at("2026-03-06 18:00");
    let events = w.when(ONA, outbound(3, Channel::Phone)).unwrap();
    assert_eq!(
        events[1],
        Event::Response(ResponseEvent::ClockStopped {
            kind: ClockKind::FirstResponse,
            since: InteractionId::from_u128(1),
            answered_by: InteractionId::from_u128(3),
            target: Span::hours(8),
            due: Some(t("2026-03-07 00:30")),
            waited: Elapsed {
                wall: Span::minutes(90),
                business: Span::minutes(90)
            },
            outcome: Outcome::Met,
        })
    );
    assert_eq!(*w.relationship(ONA).response_clock(), ResponseClock::Idle);
    assert_eq!(w.ledger.next_deadline(), None);
    w.assert_replay_matches();
}

#[test]
fn a_thank_you_starts_no_clock_and_does_not_stop_one() {
    let mut w = world();
    let events = w
        .when(ONA, inbound(1, Channel::Chat).no_reply_needed())
        .unwrap();
    assert_eq!(kinds(&events), ["interaction_recorded"]);
    assert_eq!(w.ledger.next_deadline(), None);

    w.when(ONA, inbound(2, Channel::Email)).unwrap();
    w.at("2026-03-06 10:00");
    let events = w
        .when(ONA, inbound(3, Channel::Email).no_reply_needed())
        .unwrap();
    assert_eq!(kinds(&events), ["interaction_recorded"]);
    let wait = w.relationship(ONA).response_clock().wait().unwrap();
    assert_eq!(
        (wait.since, wait.unanswered),
        (InteractionId::from_u128(2), 1)
    );
}

#[test]
fn the_warning_and_the_overdue_event_come_once_each_at_their_moments() {
    let mut w = world();
    w.at("2026-03-06 16:30");
    w.when(ONA, inbound(1, Channel::Email)).unwrap();

    assert!(w.run_until("2026-03-06 23:29:59", 10).is_empty());
    let warned = w.run_until("2026-03-06 23:30", 10);
    assert_eq!(envelope_kinds(&warned), ["response_at_risk"]);
    assert_eq!(warned[0].at, t("2026-03-06 23:30"));

    assert!(w.run_until("2026-03-07 00:29:59", 10).is_empty());
    let overdue = w.run_until("2026-03-09 09:00", 10);
    assert_eq!(envelope_kinds(&overdue), ["response_overdue"]);
    assert_eq!(overdue[0].at, t("2026-03-07 00:30"));

    // Nothing more is due, however long we wait, until someone answers.
    assert_eq!(w.ledger.next_deadline(), None);
    assert!(w.ledger.advance_to(t("2027-01-01 00:00")).is_empty());
    w.assert_replay_matches();
}

#[test]
fn a_late_answer_closes_the_clock_met_late_with_the_lateness() {
    let mut w = world();
    w.at("2026-03-06 16:30");
    w.when(ONA, inbound(1, Channel::Email)).unwrap();
    w.run_until("2026-03-09 09:00", 10);
    w.at("2026-03-09 09:00");
    let events = w.when(ONA, outbound(2, Channel::Email)).unwrap();
    let Event::Response(ResponseEvent::ClockStopped { outcome, .. }) = &events[1] else {
        panic!("expected the clock to stop, got {events:?}");
    };
    let late = Span::try_from_secs(2 * 86_400 + 8 * 3600 + 30 * 60).unwrap();
    assert_eq!(
        *outcome,
        Outcome::MetLate {
            lateness: Lateness {
                wall: late,
                business: late
            }
        }
    );
}

#[test]
fn a_late_answer_before_anyone_advanced_time_still_records_the_breach_first() {
    let mut w = world();
    w.at("2026-03-06 16:30");
    w.when(ONA, inbound(1, Channel::Email)).unwrap();
    w.at("2026-03-07 10:00");
    let envelopes = w
        .ledger
        .execute(ONA, outbound(2, Channel::Phone), w.now)
        .unwrap();
    assert_eq!(
        envelope_kinds(&envelopes),
        [
            "response_at_risk",
            "response_overdue",
            "interaction_recorded",
            "response_clock_stopped"
        ]
    );
    let times: Vec<_> = envelopes.iter().map(|e| e.at).collect();
    assert_eq!(
        times,
        [
            t("2026-03-06 23:30"),
            t("2026-03-07 00:30"),
            t("2026-03-07 10:00"),
            t("2026-03-07 10:00")
        ]
    );
}

#[test]
fn after_the_first_answer_the_reply_target_applies() {
    let mut w = world();
    w.when(ONA, inbound(1, Channel::Email)).unwrap();
    w.when(ONA, outbound(2, Channel::Email)).unwrap();
    w.at("2026-03-06 10:00");
    let events = w.when(ONA, inbound(3, Channel::Email)).unwrap();
    let Event::Response(ResponseEvent::ClockStarted {
        kind, target, due, ..
    }) = &events[1]
    else {
        panic!("expected a clock, got {events:?}");
    };
    assert_eq!(
        (*kind, *target, *due),
        (
            ClockKind::Reply,
            Span::hours(4),
            Some(t("2026-03-06 14:00"))
        )
    );
}

#[test]
fn targets_depend_on_priority_and_tier_and_a_running_clock_keeps_its_target() {
    let mut w = world();
    let urgent = w
        .when(ONA, inbound(1, Channel::Phone).priority(Priority::Urgent))
        .unwrap();
    assert!(
        matches!(urgent[1], Event::Response(ResponseEvent::ClockStarted { target, .. }) if target == Span::hours(1))
    );

    w.when(
        PETRAS,
        clientele::RegisterCustomer::new(text("Petras"), tier("gold")),
    )
    .unwrap();
    let gold = w.when(PETRAS, inbound(2, Channel::Email)).unwrap();
    assert!(
        matches!(gold[1], Event::Response(ResponseEvent::ClockStarted { target, .. }) if target == Span::hours(2))
    );

    let upgrade = UpdateProfile {
        tier: Some(tier("gold")),
        ..UpdateProfile::default()
    };
    w.when(ONA, upgrade).unwrap();
    assert_eq!(
        w.relationship(ONA).response_clock().wait().unwrap().target,
        Span::hours(1)
    );
}

#[test]
fn a_share_lead_warns_at_that_share_of_the_target_and_a_lead_covering_the_target_warns_never() {
    let mut shared = policy();
    shared.response_warning = Lead::Share(clientele::policy::Percent::new(25).unwrap());
    let mut w = World::new(shared, "2026-03-06 09:00");
    w.given_customer(ONA, "standard");
    let events = w.when(ONA, inbound(1, Channel::Email)).unwrap();
    assert!(
        matches!(events[1], Event::Response(ResponseEvent::ClockStarted { warn_at, .. }) if warn_at == Some(t("2026-03-06 15:00")))
    );

    let mut never = policy();
    never.response_warning = Lead::Before(Span::hours(8));
    let mut w = World::new(never, "2026-03-06 09:00");
    w.given_customer(ONA, "standard");
    let events = w.when(ONA, inbound(1, Channel::Email)).unwrap();
    assert!(matches!(
        events[1],
        Event::Response(ResponseEvent::ClockStarted { warn_at: None, .. })
    ));
    assert_eq!(
        envelope_kinds(&w.run_until("2026-03-07 00:00", 10)),
        ["response_overdue"]
    );
}

#[test]
fn an_answer_while_nobody_waits_touches_no_clock() {
    let mut w = world();
    let events = w.when(ONA, outbound(1, Channel::Phone)).unwrap();
    assert_eq!(kinds(&events), ["interaction_recorded"]);
    // The next inbound is still the first response: nobody was ever answered.
    let events = w.when(ONA, inbound(2, Channel::Email)).unwrap();
    assert!(matches!(
        events[1],
        Event::Response(ResponseEvent::ClockStarted {
            kind: ClockKind::FirstResponse,
            ..
        })
    ));
}

#[test]
fn flags_show_the_level_view_naming_the_owner_even_before_advance() {
    let mut w = world();
    w.at("2026-03-06 16:30");
    w.when(ONA, inbound(1, Channel::Email)).unwrap();
    assert!(w.ledger.flags(t("2026-03-06 23:29")).is_empty());

    let at_risk = w.ledger.flags(t("2026-03-06 23:45"));
    assert_eq!(at_risk.len(), 1);
    assert_eq!(at_risk[0].kind, FlagKind::ResponseAtRisk);
    assert_eq!(at_risk[0].owner, Some(AGENT));
    assert_eq!(
        at_risk[0].subject,
        Subject::Response(InteractionId::from_u128(1))
    );

    let overdue = w.ledger.flags(t("2026-03-07 08:00"));
    assert_eq!(overdue[0].kind, FlagKind::ResponseOverdue);
    assert_eq!(overdue[0].since, t("2026-03-07 00:30"));

    w.at("2026-03-07 08:00");
    w.when(ONA, outbound(2, Channel::Email)).unwrap();
    assert!(w.ledger.flags(t("2026-03-07 08:00")).is_empty());
}

#[test]
fn advancing_early_or_twice_does_nothing() {
    let mut w = world();
    w.when(ONA, inbound(1, Channel::Email)).unwrap();
    assert!(w.ledger.advance_to(t("2026-03-06 09:30")).is_empty());
    let first = w.ledger.advance_to(t("2026-03-06 18:00"));
    assert_eq!(
        envelope_kinds(&first),
        ["response_at_risk", "response_overdue"]
    );
    assert!(w.ledger.advance_to(t("2026-03-06 18:00")).is_empty());
    assert!(w.ledger.advance_to(t("2026-03-06 12:00")).is_empty());
}

#[test]
fn profile_updates_emit_one_event_per_change() {
    let mut w = world();
    let update = UpdateProfile {
        name: Some(text("Ona Petraitė").into()),
        set_contacts: [(Channel::Email, text("ona@example.lt").into())].into(),
        preferred_channel: Some(Some(Channel::Email)),
        owner: Some(None),
        ..UpdateProfile::default()
    };
    let events = w.when(ONA, update).unwrap();
    assert_eq!(
        kinds(&events),
        [
            "customer_renamed",
            "contact_point_set",
            "preferred_channel_set",
            "account_owner_set"
        ]
    );
    let profile = w.relationship(ONA).profile().unwrap();
    assert_eq!(
        profile.name.reveal().map(clientele::Text::as_str).unwrap(),
        "Ona Petraitė"
    );
    assert_eq!(
        profile.contacts[&Channel::Email]
            .reveal()
            .map(clientele::Text::as_str)
            .unwrap(),
        "ona@example.lt"
    );
    assert_eq!(profile.preferred_channel, Some(Channel::Email));
    assert_eq!(profile.owner, None);

    let remove = UpdateProfile {
        remove_contacts: [Channel::Email].into(),
        ..UpdateProfile::default()
    };
    assert_eq!(
        kinds(&w.when(ONA, remove).unwrap()),
        ["contact_point_removed"]
    );
    w.assert_replay_matches();
}

#[test]
fn replay_refuses_an_overdue_event_dated_before_its_deadline() {
    let mut w = world();
    w.at("2026-03-06 16:30");
    w.when(ONA, inbound(1, Channel::Email)).unwrap();
    let overdue = w.run_until("2026-03-09 09:00", 10);
    let stored = overdue.last().unwrap().clone();
    assert!(matches!(
        stored.event,
        Event::Response(ResponseEvent::Overdue { .. })
    ));
    // The same fact, claimed an hour before the deadline it says passed.
    let mut log = w.log.clone();
    let last = log.pop().unwrap();
    assert_eq!(last, stored);
    let mut early = stored.clone();
    early.at = t("2026-03-06 23:30");
    log.push(early);
    let loaded = clientele::Ledger::replay(policy(), &log).unwrap();
    let quarantine = loaded.quarantine(ONA).expect("the customer is held aside");
    assert!(matches!(
        quarantine.error,
        clientele::ReplayError::DoesNotFit {
            kind: "response_overdue",
            ..
        }
    ));
    // Dated at the deadline, it fits.
    log.pop();
    log.push(stored);
    let loaded = clientele::Ledger::replay(policy(), &log).unwrap();
    assert_eq!(loaded.quarantined().count(), 0);
}
