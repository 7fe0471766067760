//! Regressions found in review: each test failed before its fix.

mod support;

use clientele::customer::CustomerCommand;
use clientele::{
    AgentId, Channel, Command, CustomerId, Envelope, Event, Ledger, MakePromise, Priority,
    PromiseId, RegisterCustomer, Relationship, SCHEMA_VERSION, ServiceCalendar, ServicePolicy,
    UpdateProfile,
};
use clientele::{FollowUpEvent, PromiseEvent, ResponseEvent};
use support::*;

// ---------------------------------------------------------------------------------------------
// 1. UpdateProfile's "clear" (Some(None)) does not survive JSON: null reads back as None.
#[test]
fn update_profile_clearing_owner_round_trips_through_json() {
    let clear = Command::Customer(CustomerCommand::UpdateProfile(UpdateProfile {
        owner: Some(None),
        preferred_channel: Some(None),
        ..UpdateProfile::default()
    }));
    let json = serde_json::to_string(&clear).unwrap();
    let back: Command = serde_json::from_str(&json).unwrap();
    assert_eq!(back, clear, "wire form {json}");
}

#[test]
fn a_json_command_can_clear_the_account_owner() {
    let mut w = World::new(ServicePolicy::default(), "2026-03-02 10:00");
    w.given_customer(ONA, "standard"); // owned by AGENT
    let command: Command =
        serde_json::from_str(r#"{"type":"update_profile","owner":null}"#).unwrap();
    w.when(ONA, command)
        .expect("clearing the owner is a change");
    assert_eq!(w.relationship(ONA).profile().unwrap().owner, None);
}

// ---------------------------------------------------------------------------------------------
// 2. A named calendar missing from the policy strands the customer: an urgent inbound message
//    cannot even be recorded, and once a clock runs on a calendar the policy later drops, no
//    outbound interaction can be recorded for that customer, ever.
fn policy_with_named_calendar() -> ServicePolicy {
    let mut policy = ServicePolicy::default();
    policy.first_response = policy
        .first_response
        .clone()
        .on_calendar(Priority::Urgent, "24/7");
    policy.reply = policy.reply.clone().on_calendar(Priority::Urgent, "24/7");
    policy
        .calendars
        .insert("24/7".into(), ServiceCalendar::always_open());
    policy
}

#[test]
fn a_clock_whose_calendar_was_later_removed_can_still_be_answered() {
    let mut w = World::new(policy_with_named_calendar(), "2026-03-02 10:00");
    w.given_customer(ONA, "standard");
    w.when(ONA, inbound(1, Channel::Phone).priority(Priority::Urgent))
        .unwrap();
    // The service drops the 24/7 line from its policy while the clock runs on it.
    w.ledger.set_policy(ServicePolicy::default()).unwrap();
    w.at("2026-03-02 10:20");
    let events = w
        .when(ONA, outbound(2, Channel::Phone))
        .expect("an answer is always recordable");
    // The business figures fall back to the wall clock.
    assert!(
        matches!(events.last(), Some(Event::Response(ResponseEvent::ClockStopped { waited, .. })) if waited.business == waited.wall)
    );
}

#[test]
fn a_policy_naming_an_undefined_calendar_is_refused_up_front() {
    let mut policy = policy_with_named_calendar();
    policy.calendars.clear();
    let expected = clientele::PolicyError::UnknownCalendar {
        target: "first_response",
        priority: Priority::Urgent,
        name: "24/7".into(),
    };
    assert_eq!(policy.validate(), Err(expected.clone()));
    assert_eq!(Ledger::new(policy.clone()).err(), Some(expected.clone()));
    let mut ledger = Ledger::new(ServicePolicy::default()).unwrap();
    assert_eq!(ledger.set_policy(policy), Err(expected));
    assert_eq!(ledger.policy(), &ServicePolicy::default());
}

#[test]
fn account_owner_must_be_on_the_roster() {
    let mut policy = ServicePolicy::default();
    policy.agents.insert(AGENT);
    let mut ledger = Ledger::new(policy).unwrap();
    let stranger = AgentId::from_u128(0xbad);
    let register = RegisterCustomer::new(text("Ona"), tier("standard")).owned_by(stranger);
    let result = ledger.execute(ONA, register, t("2026-03-02 10:00"));
    assert!(result.is_err(), "an unknown owner was accepted: {result:?}");
}

// ---------------------------------------------------------------------------------------------
// 4. Ledger::advance_to does not return events in deadline order across customers (the
//    Ledger docs promise "advance_to returns events in deadline order").
#[test]
fn ledger_advance_returns_events_in_deadline_order() {
    let mut w = World::new(ServicePolicy::default(), "2026-03-02 08:00");
    let (a, b) = (CustomerId::from_u128(1), CustomerId::from_u128(2));
    w.given_customer(a, "standard");
    w.given_customer(b, "standard");
    w.when(a, inbound(1, Channel::Email)).unwrap(); // warn 14:24, due 16:00
    w.at("2026-03-02 09:00");
    w.when(b, inbound(2, Channel::Email)).unwrap(); // warn 15:24, due 17:00
    let woke = w.ledger.advance_to(t("2026-03-02 18:00"));
    let times: Vec<_> = woke.iter().map(|e| e.at).collect();
    let mut sorted = times.clone();
    sorted.sort();
    assert_eq!(
        times,
        sorted,
        "{:?}",
        woke.iter().map(|e| (e.customer, e.at)).collect::<Vec<_>>()
    );
}

// ---------------------------------------------------------------------------------------------
// 5. apply accepts deadline events that contradict the state: a promise "broken" a week before
//    its due instant, with the wrong due and break count.
#[test]
fn apply_refuses_a_promise_broken_before_its_due_instant() {
    let policy = ServicePolicy::default();
    let mut r = Relationship::new(ONA);
    let now = t("2026-03-02 10:00");
    r.execute(
        &policy,
        RegisterCustomer::new(text("Ona"), tier("standard")),
        now,
    )
    .unwrap();
    let p = PromiseId::from_u128(9);
    r.execute(
        &policy,
        MakePromise::new(p, text("glasses"), t("2026-03-09 17:00"), AGENT),
        now,
    )
    .unwrap();
    let forged = Envelope {
        v: SCHEMA_VERSION,
        customer: ONA,
        seq: r.version() + 1,
        at: t("2026-03-02 11:00"),
        event: Event::Promise(PromiseEvent::Broken {
            promise: p,
            due: t("2000-01-01 00:00"),
            owner: AgentId::from_u128(0xdead),
            notice: clientele::promise::Notice::WithNotice,
            breaks: 7,
        }),
        key: None,
        recorded: None,
    };
    assert!(
        r.apply(&forged).is_err(),
        "a broken event before its due instant folded"
    );
}

// ---------------------------------------------------------------------------------------------
// 6. flags(now) is meant to be the same "whether or not advance_to has run", but a late
//    dependency behind an open promise only shows PromiseAtRisk after advancing.
#[test]
fn flags_agree_before_and_after_advancing_over_a_late_dependency() {
    use clientele::{FlagKind, PartyId, RecordDependency};
    let policy = ServicePolicy::default();
    let mut r = Relationship::new(ONA);
    let now = t("2026-03-02 10:00");
    r.execute(
        &policy,
        RegisterCustomer::new(text("Ona"), tier("standard")),
        now,
    )
    .unwrap();
    let p = PromiseId::from_u128(9);
    r.execute(
        &policy,
        MakePromise::new(p, text("glasses"), t("2026-03-09 10:00"), AGENT),
        now,
    )
    .unwrap();
    r.execute(
        &policy,
        RecordDependency {
            promise: p,
            party: PartyId::from_u128(3),
            commitment: text("lenses").into(),
            reference: None,
            due: t("2026-03-03 10:00"),
        },
        now,
    )
    .unwrap();
    let wednesday = t("2026-03-04 10:00");
    let kinds = |r: &Relationship| {
        r.flags(wednesday)
            .iter()
            .map(|f| f.kind)
            .collect::<Vec<_>>()
    };
    let before = kinds(&r);
    r.advance_to(&policy, wednesday);
    let after = kinds(&r);
    assert_eq!(after, [FlagKind::PromiseAtRisk, FlagKind::DependencyLate]);
    assert_eq!(before, after);
}

// ---------------------------------------------------------------------------------------------
// 7-10. Found by the model-based test (tests/model.rs).

/// A complaint received at 09:00, acknowledged and owned at 09:00.
fn complaint_in_progress(policy: ServicePolicy) -> (World, clientele::ComplaintId) {
    use clientele::{AcknowledgeComplaint, AssignComplaint, ComplaintId, ReceiveComplaint};
    let c = ComplaintId::from_u128(0xc1);
    let mut w = World::new(policy, "2026-03-02 09:00");
    w.given_customer(ONA, "standard");
    w.when(ONA, ReceiveComplaint::new(c, Channel::Phone, text("late")))
        .unwrap();
    w.when(
        ONA,
        AcknowledgeComplaint {
            complaint: c,
            by: AGENT,
        },
    )
    .unwrap();
    w.when(
        ONA,
        AssignComplaint {
            complaint: c,
            owner: AGENT,
        },
    )
    .unwrap();
    (w, c)
}

fn resolve(c: clientele::ComplaintId, follow_up: u128) -> clientele::ResolveComplaint {
    clientele::ResolveComplaint {
        complaint: c,
        by: AGENT,
        remedy: None,
        apology: true,
        summary: text("replaced").into(),
        follow_up: Some(clientele::FollowUpId::from_u128(follow_up)),
    }
}

// 7. When waiting on the customer pauses nothing (`pause_while_waiting: false`), a complaint
//    escalated while waiting started the new level's escalation clock paused anyway, so the
//    threshold never came.
#[test]
fn escalating_while_waiting_without_pausing_starts_the_new_levels_clock_running() {
    use clientele::{AwaitCustomer, DeadlineKind, EscalateComplaint};
    let mut policy = ServicePolicy::default();
    policy.complaints.pause_while_waiting = false;
    let (mut w, c) = complaint_in_progress(policy);
    w.at("2026-03-02 10:00");
    w.when(ONA, AwaitCustomer { complaint: c }).unwrap();
    w.at("2026-03-02 11:00");
    let other = AgentId::from_u128(0xa2);
    w.when(
        ONA,
        EscalateComplaint {
            complaint: c,
            to_level: 1,
            owner: other,
        },
    )
    .unwrap();
    // The specialist level allows 24 h, counted from the escalation.
    let next = w.ledger.next_deadline().unwrap();
    assert_eq!(
        (next.kind(), next.at),
        (DeadlineKind::EscalationThreshold, t("2026-03-03 11:00"))
    );
}

// 8. A not-satisfied follow-up reopens its complaint; unlike a reopen command, that reopen
//    left the complaint's other pending follow-up scheduled.
#[test]
fn a_follow_up_that_reopens_cancels_the_complaints_other_pending_follow_up() {
    use clientele::follow_up::FollowUpStage;
    use clientele::{CompleteFollowUp, Event, FollowUpId, FollowUpOutcome, ScheduleFollowUp};
    let (mut w, c) = complaint_in_progress(ServicePolicy::default());
    w.at("2026-03-02 12:00");
    w.when(ONA, resolve(c, 1)).unwrap();
    let check_in = FollowUpId::from_u128(2);
    w.when(
        ONA,
        ScheduleFollowUp {
            follow_up: check_in,
            owner: AGENT,
            due: t("2026-03-05 12:00"),
            reason: text("check in").into(),
            complaint: Some(c),
        },
    )
    .unwrap();
    let events = w
        .when(
            ONA,
            CompleteFollowUp {
                follow_up: FollowUpId::from_u128(1),
                outcome: FollowUpOutcome::NotSatisfied,
                note: None,
            },
        )
        .unwrap();
    assert!(
        events.iter().any(
            |e| matches!(e, Event::FollowUp(FollowUpEvent::Cancelled { follow_up, .. }) if *follow_up == check_in)
        ),
        "{:?}",
        kinds(&events)
    );
    let r = w.relationship(ONA);
    assert_eq!(r.follow_up_stage(check_in), Some(FollowUpStage::Cancelled));
    w.assert_replay_matches();
}

// 9. A reopen that continues the resolution clock went on from the resolution instant even when
//    the complaint was resolved while waiting on the customer (its clock paused), so the wait
//    was charged to the target after all.
#[test]
fn a_continued_reopen_does_not_charge_the_wait_the_complaint_was_resolved_in() {
    use clientele::{AwaitCustomer, ReopenComplaint};
    let (mut w, c) = complaint_in_progress(ServicePolicy::default());
    // Normal priority: resolve within 40 h, due 2026-03-04 01:00; 39 h are left at 10:00.
    w.at("2026-03-02 10:00");
    w.when(ONA, AwaitCustomer { complaint: c }).unwrap();
    w.at("2026-03-02 20:00");
    w.when(ONA, resolve(c, 1)).unwrap();
    w.at("2026-03-03 09:00");
    w.when(
        ONA,
        ReopenComplaint {
            complaint: c,
            reason: text("still broken").into(),
        },
    )
    .unwrap();
    let complaint = w.relationship(ONA).complaint(c).unwrap();
    assert_eq!(complaint.resolution.terms.due, Some(t("2026-03-05 00:00")));
    w.assert_replay_matches();
}

// 10. A promise answering a complaint that breaks a second time makes escalation due, but
//     flags(now) only said so after advance_to.
#[test]
fn flags_show_escalation_due_for_a_second_break_before_advancing() {
    use clientele::{ComplaintId, FlagKind, ReceiveComplaint, RevisePromise, Subject};
    let policy = ServicePolicy::default();
    let mut r = Relationship::new(ONA);
    let start = t("2026-03-02 09:00");
    r.execute(
        &policy,
        RegisterCustomer::new(text("Ona"), tier("standard")),
        start,
    )
    .unwrap();
    let c = ComplaintId::from_u128(0xc1);
    r.execute(
        &policy,
        ReceiveComplaint::new(c, Channel::Phone, text("late")),
        start,
    )
    .unwrap();
    let p = PromiseId::from_u128(9);
    r.execute(
        &policy,
        MakePromise::new(p, text("glasses"), t("2026-03-02 12:00"), AGENT).answering(c),
        start,
    )
    .unwrap();
    r.advance_to(&policy, t("2026-03-02 12:00")); // the first break
    r.execute(
        &policy,
        RevisePromise {
            promise: p,
            due: t("2026-03-02 15:00"),
            reason: text("the lab").into(),
            customer_agreed: false,
        },
        t("2026-03-02 12:00"),
    )
    .unwrap();
    // 16:00: broken again; the front line's 8 h threshold (17:00) has not passed.
    let at = t("2026-03-02 16:00");
    let flags = |r: &Relationship| {
        let mut flags: Vec<_> = r.flags(at).iter().map(|f| (f.kind, f.subject)).collect();
        flags.sort();
        flags
    };
    let before = flags(&r);
    assert!(before.contains(&(FlagKind::EscalationDue, Subject::Complaint(c))));
    r.advance_to(&policy, at);
    assert_eq!(before, flags(&r));
}

/// Regression (found by the quarantine property test while merging the family layout): the
/// customer family's fold took an erasure before the registration, which 0.1 refused.
#[test]
fn an_erasure_before_registration_does_not_fit() {
    let customer = clientele::CustomerId::from_u128(1);
    let mut relationship = clientele::Relationship::new(customer);
    let erased = clientele::Envelope {
        v: clientele::SCHEMA_VERSION,
        customer,
        seq: 1,
        at: chrono::DateTime::UNIX_EPOCH,
        event: clientele::Event::Customer(clientele::CustomerEvent::PersonalDataErased {
            fields: 0,
        }),
        key: None,
        recorded: None,
    };
    assert!(relationship.apply(&erased).is_err());
    assert_eq!(relationship, clientele::Relationship::new(customer));
}
