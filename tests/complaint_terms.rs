//! Complaint terms and what they measure (issue 14 items 2, 11, 12, 13), given / when / then.
//!
//! On a business calendar (UTC, Monday to Friday 09:00 to 17:00) unless a test says otherwise:
//! complaints are resolved within 24 business hours at low priority, 8 at normal, 4 at high
//! and 2 at urgent, and acknowledged within the default targets (8, 4, 2, 1 hours).

mod support;

use clientele::calendar::WallTime;
use clientele::complaint::{ClockPhase, ComplaintClockKind, ComplaintStage};
use clientele::outcome::{NoTarget, Outcome, TargetStatus};
use clientele::policy::{ByPriority, Targets};
use clientele::{
    AcknowledgeComplaint, AgentId, AwaitCustomer, Channel, CloseUnresolved, CommandError,
    ComplaintEvent, ComplaintId, Event, FlagKind, Priority, ReceiveComplaint, ReopenComplaint,
    ReprioritiseComplaint, ResolveComplaint, ResumeComplaint, ServiceCalendar, ServicePolicy, Span,
    Tally, Window,
};
use support::*;

const C: ComplaintId = ComplaintId::from_u128(0xc2);
const JONAS: AgentId = AgentId::from_u128(101);

fn desk() -> ServiceCalendar {
    ServiceCalendar::builder("UTC")
        .unwrap()
        .weekdays(WallTime::hm(9, 0).unwrap(), WallTime::hm(17, 0).unwrap())
        .build()
        .unwrap()
}

fn policy() -> ServicePolicy {
    let mut policy = ServicePolicy {
        calendar: desk(),
        ..ServicePolicy::default()
    };
    policy.complaints.resolve = Targets::new(ByPriority {
        low: Span::hours(24),
        normal: Span::hours(8),
        high: Span::hours(4),
        urgent: Span::hours(2),
    });
    policy.complaints.follow_up_after = None;
    policy
}

/// A complaint of `priority` received Monday 2 March 2026 at 09:00.
fn world(policy: ServicePolicy, priority: Priority) -> World {
    let scratched = ReceiveComplaint::new(C, Channel::Email, text("The frames arrived scratched"));
    let mut w = World::new(policy, "2026-03-02 09:00");
    w.given_customer(ONA, "standard");
    w.when(ONA, scratched.priority(priority)).unwrap();
    w
}

fn resolve() -> ResolveComplaint {
    resolution(C, JONAS, "New frames sent")
}

fn acknowledge(w: &mut World) -> Vec<Event> {
    let ack = AcknowledgeComplaint {
        complaint: C,
        by: JONAS,
    };
    w.when(ONA, ack).unwrap()
}

fn reprioritised(events: &[Event]) -> &ComplaintEvent {
    events
        .iter()
        .find_map(|e| match e {
            Event::Complaint(c @ ComplaintEvent::Reprioritised { .. }) => Some(c),
            _ => None,
        })
        .expect("a complaint_reprioritised event")
}

// ---------------------------------------------------------------------------------------------
// Item 2: re-prioritising an open complaint

#[test]
fn reprioritised_while_waiting_an_8_hour_target_with_2_hours_worked_is_due_6_hours_after_the_answer()
 {
    // Given a low priority complaint (24 business hours), worked on from 09:00 to 11:00,
    let mut w = world(policy(), Priority::Low);
    w.at("2026-03-02 11:00");
    // and waiting on the customer since 11:00,
    w.when(ONA, AwaitCustomer { complaint: C }).unwrap();
    // when it is re-prioritised to normal (8 business hours) while waiting,
    w.at("2026-03-02 15:00");
    let events = w
        .when(ONA, ReprioritiseComplaint::new(C, Priority::Normal))
        .unwrap();
    // then the change records the 2 hours worked and the 6 left, the clock still paused,
    let ComplaintEvent::Reprioritised {
        from_priority,
        priority,
        resolution,
        ..
    } = reprioritised(&events)
    else {
        unreachable!()
    };
    assert_eq!(
        (*from_priority, *priority),
        (Priority::Low, Priority::Normal)
    );
    assert_eq!(resolution.worked, Span::hours(2));
    assert_eq!(resolution.paused.map(|r| r.due), Some(Span::hours(6)));
    let complaint = w.relationship(ONA).complaint(C).unwrap();
    assert_eq!(complaint.priority, Priority::Normal);
    assert_eq!(complaint.stage(), ComplaintStage::Waiting);
    assert!(matches!(
        complaint.resolution.phase,
        ClockPhase::Paused { remaining, since, .. }
            if remaining == Span::hours(6) && since == t("2026-03-02 11:00")
    ));
    // and when the customer answers on Wednesday at 10:00, it is due 6 business hours later.
    w.at("2026-03-04 10:00");
    let events = w.when(ONA, ResumeComplaint { complaint: C }).unwrap();
    assert!(events.iter().any(|e| matches!(
        e,
        Event::Complaint(ComplaintEvent::Resumed { resolution: Some(terms), .. })
            if terms.due == Some(t("2026-03-04 16:00")) && terms.target == Span::hours(8)
    )));
    // Resolved at 15:00 it met the target in force then.
    w.at("2026-03-04 15:00");
    let events = w.when(ONA, resolve()).unwrap();
    assert!(events.iter().any(|e| matches!(
        e,
        Event::Complaint(ComplaintEvent::Resolved {
            outcome: Outcome::Met,
            ..
        })
    )));
    w.assert_replay_matches();
}

#[test]
fn reprioritised_while_running_the_acknowledgement_and_resolution_count_from_receipt() {
    // Given a low priority complaint received at 09:00, acknowledgement owed (8 hours),
    let mut w = world(policy(), Priority::Low);
    // when it is raised to high at 10:00,
    w.at("2026-03-02 10:00");
    let events = w
        .when(ONA, ReprioritiseComplaint::new(C, Priority::High))
        .unwrap();
    let ComplaintEvent::Reprioritised {
        acknowledgement: Some(ack),
        resolution,
        ..
    } = reprioritised(&events)
    else {
        panic!("the acknowledgement is owed: {events:?}")
    };
    // then both targets count from receipt: acknowledged within 2 hours (due 11:00),
    // resolved within 4 (due 13:00).
    assert_eq!(ack.terms.due, Some(t("2026-03-02 11:00")));
    assert_eq!(resolution.terms.due, Some(t("2026-03-02 13:00")));
    assert_eq!(resolution.worked, Span::hours(1));
    assert_eq!(w.ledger.next_deadline().unwrap().at, t("2026-03-02 10:36"));
    // Acknowledged at 11:30, it was late by half an hour against the new target.
    w.run_until("2026-03-02 11:30", 10);
    let events = acknowledge(&mut w);
    assert!(events.iter().any(|e| matches!(
        e,
        Event::Complaint(ComplaintEvent::Acknowledged {
            outcome: Outcome::MetLate { lateness },
            ..
        }) if lateness.business == Span::minutes(30)
    )));
    w.assert_replay_matches();
}

#[test]
fn a_new_target_already_used_up_is_due_at_once_and_breached_once() {
    // Given a low priority complaint worked on all Monday (7 hours by 16:00),
    let mut w = world(policy(), Priority::Low);
    w.at("2026-03-02 09:30");
    acknowledge(&mut w);
    w.at("2026-03-02 16:00");
    // when it is raised to urgent (2 hours),
    let events = w
        .when(ONA, ReprioritiseComplaint::new(C, Priority::Urgent))
        .unwrap();
    let ComplaintEvent::Reprioritised { resolution, .. } = reprioritised(&events) else {
        unreachable!()
    };
    assert_eq!(resolution.worked, Span::hours(7));
    // then it is due at once, and the breach is recorded then, once.
    assert_eq!(resolution.terms.due, Some(t("2026-03-02 16:00")));
    let woke = w.run_until("2026-03-09 09:00", 10);
    let breaches = woke
        .iter()
        .filter(|e| {
            matches!(
                e.event,
                Event::Complaint(ComplaintEvent::ClockBreached { .. })
            )
        })
        .count();
    assert_eq!(breaches, 1, "{:?}", envelope_kinds(&woke));
    w.assert_replay_matches();
}

#[test]
fn reprioritising_to_the_same_terms_or_a_closed_complaint_is_refused_and_changes_nothing() {
    let mut w = world(policy(), Priority::Normal);
    let unknown = ComplaintId::from_u128(9);
    w.assert_each_refused(
        ONA,
        vec![
            (
                ReprioritiseComplaint::new(C, Priority::Normal).into(),
                CommandError::NothingToChange,
            ),
            (
                ReprioritiseComplaint::new(C, Priority::Normal)
                    .tier(tier("standard"))
                    .into(),
                CommandError::NothingToChange,
            ),
            (
                ReprioritiseComplaint::new(unknown, Priority::High).into(),
                CommandError::UnknownComplaint(unknown),
            ),
        ],
    );
    w.at("2026-03-02 10:00");
    w.when(ONA, resolve()).unwrap();
    w.assert_each_refused(
        ONA,
        vec![(
            ReprioritiseComplaint::new(C, Priority::High).into(),
            CommandError::InvalidTransition {
                entity: "complaint",
                from: "resolved",
                action: "reprioritise",
            },
        )],
    );
}

#[test]
fn a_new_tier_reads_its_own_row_of_targets() {
    // Given gold customers' normal complaints are resolved within 2 business hours,
    let mut policy = policy();
    policy.complaints.resolve = policy.complaints.resolve.with_tier(
        tier("gold"),
        ByPriority {
            low: Span::hours(8),
            normal: Span::hours(2),
            high: Span::hours(1),
            urgent: Span::hours(1),
        },
    );
    let mut w = world(policy, Priority::Normal);
    w.at("2026-03-02 10:00");
    // when the complaint is read for gold at 10:00 (1 hour worked),
    w.when(
        ONA,
        ReprioritiseComplaint::new(C, Priority::Normal).tier(tier("gold")),
    )
    .unwrap();
    // then it is due an hour later.
    let complaint = w.relationship(ONA).complaint(C).unwrap();
    assert_eq!(complaint.tier, tier("gold"));
    assert_eq!(complaint.resolution.terms.due, Some(t("2026-03-02 11:00")));
    w.assert_replay_matches();
}

// ---------------------------------------------------------------------------------------------
// Item 12: durations net of waiting

fn resolved_worked(events: &[Event]) -> Option<Span> {
    events.iter().find_map(|e| match e {
        Event::Complaint(ComplaintEvent::Resolved { worked, .. }) => *worked,
        _ => None,
    })
}

#[test]
fn two_and_three_hours_of_work_around_72_hours_of_waiting_take_5_hours_to_resolve() {
    // Given the default policy (always open, waiting on the customer pauses the resolution),
    let mut policy = ServicePolicy::default();
    policy.complaints.follow_up_after = None;
    let mut w = world(policy, Priority::Normal);
    // a complaint acknowledged an hour after it came in,
    w.at("2026-03-02 10:00");
    let events = acknowledge(&mut w);
    assert!(events.iter().any(|e| matches!(
        e,
        Event::Complaint(ComplaintEvent::Acknowledged { worked: Some(w), .. })
            if *w == Span::hours(1)
    )));
    // worked on for 2 hours, then waiting on the customer for 72 hours,
    w.at("2026-03-02 11:00");
    w.when(ONA, AwaitCustomer { complaint: C }).unwrap();
    w.at("2026-03-05 11:00");
    w.when(ONA, ResumeComplaint { complaint: C }).unwrap();
    // when it is resolved after 3 more hours of work,
    w.at("2026-03-05 14:00");
    let events = w.when(ONA, resolve()).unwrap();
    // then the resolution took 5 hours of business time net of the wait,
    assert_eq!(resolved_worked(&events), Some(Span::hours(5)));
    // and the measures show both figures: 77 h by the wall clock, 5 h net.
    let window = Window::new(t("2026-03-01 00:00"), t("2026-04-01 00:00")).unwrap();
    let tally = Tally::from_log(window, &w.log).unwrap();
    let complaints = &tally.customer(ONA).unwrap().complaints;
    assert_eq!(complaints.time_to_resolve.median(), Some(Span::hours(77)));
    assert_eq!(
        complaints.business_time_to_resolve.median(),
        Some(Span::hours(5))
    );
    assert_eq!(
        complaints.business_time_to_acknowledge.median(),
        Some(Span::hours(1))
    );
    w.assert_replay_matches();
}

#[test]
fn resolved_while_waiting_the_net_time_stops_where_the_wait_began() {
    // On business hours: worked 09:00 to 11:00, then waiting until it is resolved on Wednesday.
    let mut w = world(policy(), Priority::Normal);
    w.at("2026-03-02 11:00");
    w.when(ONA, AwaitCustomer { complaint: C }).unwrap();
    w.at("2026-03-04 12:00");
    let events = w.when(ONA, resolve()).unwrap();
    assert_eq!(resolved_worked(&events), Some(Span::hours(2)));
}

// ---------------------------------------------------------------------------------------------
// Item 13: one status per target

fn status(w: &World, id: ComplaintId, kind: ComplaintClockKind) -> Option<TargetStatus> {
    w.relationship(ONA).complaint(id).unwrap().status(kind)
}

#[test]
fn each_target_reads_running_paused_met_or_missed_with_its_due_instant() {
    // Given a normal complaint at 09:00: acknowledged within 4 h, resolved within 8 h,
    let mut w = world(policy(), Priority::Normal);
    let (ack, res) = (
        ComplaintClockKind::Acknowledgement,
        ComplaintClockKind::Resolution,
    );
    let running = |due: &str, breached| TargetStatus::Running {
        due: t(due),
        breached,
    };
    assert_eq!(status(&w, C, ack), Some(running("2026-03-02 13:00", false)));
    assert_eq!(status(&w, C, res), Some(running("2026-03-02 17:00", false)));
    // waiting on the customer from 11:00 pauses the resolution, with no due instant,
    w.at("2026-03-02 11:00");
    w.when(ONA, AwaitCustomer { complaint: C }).unwrap();
    let paused = status(&w, C, res).unwrap();
    assert_eq!(
        paused,
        TargetStatus::Paused {
            remaining: Span::hours(6)
        }
    );
    assert_eq!(paused.due(), None);
    // the acknowledgement runs on and is breached at 13:00,
    w.run_until("2026-03-02 14:00", 10);
    assert_eq!(status(&w, C, ack), Some(running("2026-03-02 13:00", true)));
    // and resolved at 14:00, the resolution met (counted to the wait), the acknowledgement
    // missed by an hour.
    w.when(ONA, resolve()).unwrap();
    assert_eq!(status(&w, C, res), Some(TargetStatus::Met));
    assert!(matches!(
        status(&w, C, ack),
        Some(TargetStatus::Missed { lateness }) if lateness.business == Span::hours(1)
    ));
    // The response clock reads the same way.
    w.when(ONA, inbound(1, Channel::Email)).unwrap();
    assert!(matches!(
        w.relationship(ONA).response_clock().status(),
        Some(TargetStatus::Running {
            breached: false,
            ..
        })
    ));
}

#[test]
fn a_target_closed_unresolved_is_not_applicable_and_one_never_set_is_no_target() {
    let mut policy = policy();
    policy.complaints.resolve = policy.complaints.resolve.without_target(Priority::Low);
    let mut w = world(policy, Priority::Low);
    assert_eq!(
        status(&w, C, ComplaintClockKind::Resolution),
        Some(TargetStatus::NoTarget {
            reason: NoTarget::NoneSet
        })
    );
    w.when(ONA, CloseUnresolved::withdrawn(C)).unwrap();
    assert_eq!(
        status(&w, C, ComplaintClockKind::Acknowledgement),
        Some(TargetStatus::NotApplicable)
    );
    assert_eq!(
        status(&w, C, ComplaintClockKind::Escalation),
        Some(TargetStatus::NotApplicable)
    );
}

// ---------------------------------------------------------------------------------------------
// Item 11: escalation from the N-th reopen

fn reopen() -> ReopenComplaint {
    ReopenComplaint {
        complaint: C,
        reason: text("Still scratched").into(),
    }
}

fn resolved_and_reopened(w: &mut World, at: &str) -> Vec<Event> {
    w.at(at);
    w.when(ONA, resolve()).unwrap();
    w.when(ONA, reopen()).unwrap()
}

#[test]
fn from_the_second_reopen_on_escalation_is_due_and_the_first_is_flagged_for_the_owner() {
    // Given a policy that escalates from the second reopen,
    let mut policy = policy();
    policy.complaints.escalate_from_reopen = 2;
    let mut w = world(policy, Priority::Normal);
    // when the complaint is reopened a first time, no escalation is due, and the owner sees it,
    let first = resolved_and_reopened(&mut w, "2026-03-02 10:00");
    assert_eq!(kinds(&first), ["complaint_reopened"]);
    let flags = w.ledger.flags(t("2026-03-02 10:00"));
    assert!(
        flags.iter().any(|f| f.kind == FlagKind::ReopenedAtTop),
        "{flags:?}"
    );
    assert!(flags.iter().all(|f| f.kind != FlagKind::EscalationDue));
    // and the second reopen makes escalation due.
    let second = resolved_and_reopened(&mut w, "2026-03-02 11:00");
    assert_eq!(kinds(&second), ["complaint_reopened", "escalation_due"]);
    let flags = w.ledger.flags(t("2026-03-02 11:00"));
    assert!(flags.iter().any(|f| f.kind == FlagKind::EscalationDue));
    assert!(flags.iter().all(|f| f.kind != FlagKind::ReopenedAtTop));
    w.assert_replay_matches();
}

#[test]
fn a_policy_that_never_escalates_on_reopen_and_one_stored_before_the_setting_existed() {
    let mut policy = policy();
    policy.complaints.escalate_from_reopen = 0;
    let mut w = world(policy, Priority::Normal);
    for at in ["2026-03-02 10:00", "2026-03-02 11:00", "2026-03-02 12:00"] {
        assert_eq!(
            kinds(&resolved_and_reopened(&mut w, at)),
            ["complaint_reopened"]
        );
    }
    // A policy stored without the setting escalates at every reopen, as before.
    let mut stored = serde_json::to_value(ServicePolicy::default()).unwrap();
    stored["complaints"]
        .as_object_mut()
        .unwrap()
        .remove("escalate_from_reopen")
        .unwrap();
    let read: ServicePolicy = serde_json::from_value(stored).unwrap();
    assert_eq!(read.complaints.escalate_from_reopen, 1);
}
