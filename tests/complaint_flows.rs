//! Real ticket flows for complaints (issue 14), given / when / then.
//!
//! Default complaint policy on an always-open calendar unless a test says otherwise: normal
//! priority is acknowledged within 4 h and resolved within 40 h; front line escalates after
//! 8 h, specialist after 24 h, management is the top.

mod support;

use clientele::complaint::{ClockPhase, ComplaintStage, LevelChange};
use clientele::error::PolicyError;
use clientele::outcome::{NoTarget, Outcome};
use clientele::{
    AcknowledgeComplaint, AgentId, AssignComplaint, AwaitCustomer, Channel, CloseUnresolved,
    CommandError, ComplaintId, DeescalateComplaint, EscalateComplaint, Event, FlagKind, Priority,
    ReceiveComplaint, ReopenComplaint, RequestEscalation, ResolveComplaint, ResumeComplaint,
    ServicePolicy, Span, Tally, Window,
};
use clientele::{ComplaintEvent, ResponseEvent};
use support::*;

const C: ComplaintId = ComplaintId::from_u128(0xc1);
const JONAS: AgentId = AgentId::from_u128(101);
const DAIVA: AgentId = AgentId::from_u128(102);

fn stage(w: &World) -> ComplaintStage {
    w.relationship(ONA).complaint(C).unwrap().stage()
}

fn world_with(policy: ServicePolicy, priority: Priority) -> World {
    let mut w = World::new(policy, "2026-03-02 09:00");
    w.given_customer(ONA, "standard");
    w.when(
        ONA,
        ReceiveComplaint::new(C, Channel::Phone, text("Glasses still not ready"))
            .priority(priority),
    )
    .unwrap();
    w
}

fn resolve() -> ResolveComplaint {
    ResolveComplaint {
        complaint: C,
        by: JONAS,
        remedy: None,
        apology: true,
        summary: text("Glasses handed over").into(),
        follow_up: None,
    }
}

fn no_follow_ups() -> ServicePolicy {
    let mut policy = ServicePolicy::default();
    policy.complaints.follow_up_after = None;
    policy
}

// ---------------------------------------------------------------------------------------------
// Item 9: no target

#[test]
fn a_priority_without_a_resolution_target_runs_with_none_unflagged_and_ends_untimed() {
    // Given low priority complaints have no resolution target,
    let mut policy = no_follow_ups();
    policy.complaints.resolve = policy.complaints.resolve.without_target(Priority::Low);
    policy.validate().unwrap();
    // when a low priority complaint is received,
    let mut w = world_with(policy, Priority::Low);
    let clock = &w.relationship(ONA).complaint(C).unwrap().resolution;
    // then its resolution clock has no due instant, because the policy sets none,
    assert_eq!(clock.terms.due, None);
    assert_eq!(clock.terms.no_target, Some(NoTarget::NoneSet));
    // and, a year later, only the acknowledgement and the escalation threshold fell due.
    let woke = w.run_until("2027-03-02 09:00", 10);
    assert_eq!(
        envelope_kinds(&woke),
        [
            "complaint_clock_at_risk",
            "complaint_clock_breached",
            "escalation_due"
        ]
    );
    let flags = w.ledger.flags(t("2027-03-02 09:00"));
    assert!(
        flags.iter().all(|f| f.kind != FlagKind::NoTarget),
        "{flags:?}"
    );
    // When it is resolved, the resolution outcome is untimed.
    let events = w.when(ONA, resolve()).unwrap();
    assert!(events.iter().any(|e| matches!(
        e,
        Event::Complaint(ComplaintEvent::Resolved {
            outcome: Outcome::Untimed,
            ..
        })
    )));
    w.assert_replay_matches();
}

#[test]
fn a_priority_without_a_reply_target_starts_a_response_clock_with_none() {
    let mut policy = ServicePolicy::default();
    policy.first_response = policy.first_response.without_target(Priority::Low);
    let mut w = World::new(policy, "2026-03-02 09:00");
    w.given_customer(ONA, "standard");
    let events = w
        .when(ONA, inbound(1, Channel::Email).priority(Priority::Low))
        .unwrap();
    assert!(events.iter().any(|e| matches!(
        e,
        Event::Response(ResponseEvent::ClockStarted {
            due: None,
            no_target: Some(NoTarget::NoneSet),
            ..
        })
    )));
    assert_eq!(w.ledger.next_deadline(), None);
    assert!(w.ledger.flags(t("2026-04-02 09:00")).is_empty());
    w.assert_replay_matches();
}

#[test]
fn a_zero_target_is_refused_unless_the_policy_means_due_at_once() {
    // Given a zero acknowledgement target for urgent complaints,
    let mut policy = ServicePolicy::default();
    policy.complaints.acknowledge.default.urgent = Span::ZERO;
    // then the policy is refused,
    assert_eq!(
        policy.validate(),
        Err(PolicyError::ZeroTarget {
            target: "complaints.acknowledge",
            priority: Priority::Urgent,
        })
    );
    // unless it says zero means "due at once": then the acknowledgement is due on receipt.
    policy.complaints.acknowledge.zero_means_at_once = true;
    policy.validate().unwrap();
    let w = world_with(policy, Priority::Urgent);
    let complaint = w.relationship(ONA).complaint(C).unwrap();
    assert_eq!(
        complaint.acknowledgement.terms.due,
        Some(t("2026-03-02 09:00"))
    );
    assert!(matches!(complaint.resolution.phase, ClockPhase::Running));
    assert_eq!(complaint.stage(), ComplaintStage::Received);
}

// ---------------------------------------------------------------------------------------------
// Item 3: de-escalation and routing before acknowledgement

#[test]
fn routed_and_escalated_before_acknowledgement_it_stays_received_and_still_owes_the_acknowledgement()
 {
    let mut w = world_with(ServicePolicy::default(), Priority::Normal);
    w.at("2026-03-02 09:30");
    w.when(
        ONA,
        AssignComplaint {
            complaint: C,
            owner: JONAS,
        },
    )
    .unwrap();
    w.at("2026-03-02 10:00");
    w.when(
        ONA,
        EscalateComplaint {
            complaint: C,
            to_level: 1,
            owner: DAIVA,
        },
    )
    .unwrap();
    let complaint = w.relationship(ONA).complaint(C).unwrap();
    assert_eq!(complaint.stage(), ComplaintStage::Received);
    assert_eq!((complaint.level, complaint.owner), (1, Some(DAIVA)));
    // The specialist level's clock started at the escalation: 24 h.
    assert_eq!(
        complaint.escalation.as_ref().unwrap().terms.due,
        Some(t("2026-03-03 10:00"))
    );
    let flags = w.ledger.flags(t("2026-03-02 10:00"));
    assert!(
        flags
            .iter()
            .any(|f| f.kind == FlagKind::ComplaintUnacknowledged)
    );
    w.when(
        ONA,
        AcknowledgeComplaint {
            complaint: C,
            by: DAIVA,
        },
    )
    .unwrap();
    assert_eq!(stage(&w), ComplaintStage::Acknowledged);
    w.assert_replay_matches();
}

#[test]
fn de_escalated_with_a_reason_the_history_keeps_both_directions_and_the_clock_restarts() {
    let mut w = world_with(ServicePolicy::default(), Priority::Normal);
    w.at("2026-03-02 10:00");
    w.when(
        ONA,
        EscalateComplaint {
            complaint: C,
            to_level: 2,
            owner: DAIVA,
        },
    )
    .unwrap();
    w.when(ONA, RequestEscalation { complaint: C })
        .unwrap_or_default();
    assert!(
        w.relationship(ONA)
            .complaint(C)
            .unwrap()
            .escalation_due
            .is_some()
    );
    w.at("2026-03-02 12:00");
    let events = w
        .when(
            ONA,
            DeescalateComplaint::new(C, 0, JONAS, text("The lab resent the order")),
        )
        .unwrap();
    assert_eq!(kinds(&events), ["complaint_deescalated"]);
    let complaint = w.relationship(ONA).complaint(C).unwrap();
    assert_eq!(
        complaint
            .history
            .iter()
            .map(|h| (h.change, h.level, h.owner))
            .collect::<Vec<_>>(),
        [
            (LevelChange::Escalated, 2, DAIVA),
            (LevelChange::Deescalated, 0, JONAS)
        ]
    );
    // Management had no threshold; back at the front line, its 8 h start again.
    assert_eq!(
        complaint.escalation.as_ref().unwrap().terms.due,
        Some(t("2026-03-02 20:00"))
    );
    assert_eq!(complaint.escalation_due, None);
    let tally = Tally::from_log(
        Window::new(t("2026-03-01 00:00"), t("2026-04-01 00:00")).unwrap(),
        &w.log,
    )
    .unwrap();
    let measures = tally.customer(ONA).unwrap();
    assert_eq!(measures.complaints.deescalations.get(&0), Some(&1));
    assert_eq!(measures.complaints.escalations.get(&2), Some(&1));
    w.assert_replay_matches();
}

#[test]
fn a_de_escalation_that_is_not_downward_or_of_a_resolved_complaint_is_refused_and_changes_nothing()
{
    let mut w = world_with(no_follow_ups(), Priority::Normal);
    w.when(
        ONA,
        EscalateComplaint {
            complaint: C,
            to_level: 1,
            owner: DAIVA,
        },
    )
    .unwrap();
    let back = |to| DeescalateComplaint::new(C, to, JONAS, text("back"));
    w.assert_each_refused(
        ONA,
        vec![
            (
                back(1).into(),
                CommandError::DeescalationNotDownward {
                    level: 1,
                    current: 1,
                },
            ),
            (
                back(2).into(),
                CommandError::DeescalationNotDownward {
                    level: 2,
                    current: 1,
                },
            ),
            (
                DeescalateComplaint::new(ComplaintId::from_u128(9), 0, JONAS, text("x")).into(),
                CommandError::UnknownComplaint(ComplaintId::from_u128(9)),
            ),
        ],
    );
    w.when(ONA, resolve()).unwrap();
    w.assert_each_refused(
        ONA,
        vec![(
            back(0).into(),
            CommandError::InvalidTransition {
                entity: "complaint",
                from: "resolved",
                action: "deescalate",
            },
        )],
    );
}

// ---------------------------------------------------------------------------------------------
// Item 4 (first half): on hold for the customer before acknowledgement

#[test]
fn on_hold_before_acknowledgement_the_resolution_pauses_and_the_acknowledgement_stays_owed() {
    let mut w = world_with(ServicePolicy::default(), Priority::Normal);
    w.at("2026-03-02 10:00");
    w.when(ONA, AwaitCustomer { complaint: C }).unwrap();
    let complaint = w.relationship(ONA).complaint(C).unwrap();
    assert_eq!(complaint.stage(), ComplaintStage::Waiting);
    assert!(matches!(
        complaint.resolution.phase,
        ClockPhase::Paused { .. }
    ));
    assert!(complaint.acknowledgement.phase == ClockPhase::Running);
    // The customer answers at 11:00: work goes on, still unacknowledged and flagged so.
    w.at("2026-03-02 11:00");
    w.when(ONA, ResumeComplaint { complaint: C }).unwrap();
    assert_eq!(stage(&w), ComplaintStage::InProgress);
    let flags = w.ledger.flags(t("2026-03-02 11:00"));
    assert!(
        flags
            .iter()
            .any(|f| f.kind == FlagKind::ComplaintUnacknowledged)
    );
    // Acknowledged now, in progress, it stays in progress; a second acknowledgement is refused.
    w.when(
        ONA,
        AcknowledgeComplaint {
            complaint: C,
            by: JONAS,
        },
    )
    .unwrap();
    assert_eq!(stage(&w), ComplaintStage::InProgress);
    assert!(
        w.ledger
            .flags(t("2026-03-02 11:00"))
            .iter()
            .all(|f| f.kind != FlagKind::ComplaintUnacknowledged)
    );
    w.assert_each_refused(
        ONA,
        vec![(
            AcknowledgeComplaint {
                complaint: C,
                by: JONAS,
            }
            .into(),
            CommandError::InvalidTransition {
                entity: "complaint",
                from: "in_progress",
                action: "acknowledge",
            },
        )],
    );
    w.assert_replay_matches();
}

#[test]
fn a_complaint_received_already_pending_waits_from_its_receipt() {
    let mut w = World::new(ServicePolicy::default(), "2026-03-02 09:00");
    w.given_customer(ONA, "standard");
    let events = w
        .when(
            ONA,
            ReceiveComplaint::new(C, Channel::Email, text("Which lens did you order?")).pending(),
        )
        .unwrap();
    assert_eq!(
        kinds(&events),
        ["complaint_received", "complaint_awaiting_customer"]
    );
    let complaint = w.relationship(ONA).complaint(C).unwrap();
    assert_eq!(
        complaint.resolution.phase,
        ClockPhase::Paused {
            since: t("2026-03-02 09:00"),
            remaining: Span::hours(40),
            warn_remaining: Some(Span::hours(32)),
        }
    );
    // The answer comes two days later: the whole 40 h target is still ahead.
    w.at("2026-03-04 09:00");
    w.when(ONA, ResumeComplaint { complaint: C }).unwrap();
    let complaint = w.relationship(ONA).complaint(C).unwrap();
    assert_eq!(complaint.resolution.terms.due, Some(t("2026-03-06 01:00")));
    w.assert_replay_matches();
}

#[test]
fn on_hold_twice_or_after_resolution_is_refused_and_changes_nothing() {
    let mut w = world_with(no_follow_ups(), Priority::Normal);
    w.when(ONA, AwaitCustomer { complaint: C }).unwrap();
    let wait = || AwaitCustomer { complaint: C }.into();
    w.assert_each_refused(
        ONA,
        vec![(
            wait(),
            CommandError::InvalidTransition {
                entity: "complaint",
                from: "waiting",
                action: "wait",
            },
        )],
    );
    w.when(ONA, resolve()).unwrap();
    w.assert_each_refused(
        ONA,
        vec![(
            wait(),
            CommandError::InvalidTransition {
                entity: "complaint",
                from: "resolved",
                action: "wait",
            },
        )],
    );
}

// ---------------------------------------------------------------------------------------------
// Item 7: closing without a resolution

#[test]
fn closed_as_a_duplicate_its_targets_end_not_applicable_and_measures_count_it_apart() {
    const FIRST: ComplaintId = ComplaintId::from_u128(0xc0);
    let mut w = World::new(no_follow_ups(), "2026-03-02 09:00");
    w.given_customer(ONA, "standard");
    for id in [FIRST, C] {
        w.when(
            ONA,
            ReceiveComplaint::new(id, Channel::Email, text("Late glasses")),
        )
        .unwrap();
    }
    w.at("2026-03-02 10:00");
    w.when(ONA, AwaitCustomer { complaint: C }).unwrap();
    let events = w.when(ONA, CloseUnresolved::duplicate(C, FIRST)).unwrap();
    assert_eq!(kinds(&events), ["complaint_closed_unresolved"]);
    let complaint = w.relationship(ONA).complaint(C).unwrap();
    assert_eq!(complaint.stage(), ComplaintStage::ClosedUnresolved);
    assert!(!complaint.is_open());
    let not_applicable = ClockPhase::NotApplicable {
        since: t("2026-03-02 10:00"),
    };
    assert_eq!(complaint.acknowledgement.phase, not_applicable);
    assert_eq!(complaint.resolution.phase, not_applicable);
    // Nothing of it falls due or is flagged any more; the first complaint goes on.
    let woke = w.run_until("2026-03-10 09:00", 20);
    assert!(
        woke.iter()
            .all(|e| !format!("{:?}", e.event).contains("0000000000c1"))
    );
    w.when(ONA, CloseUnresolved::withdrawn(FIRST)).unwrap();
    let window = Window::new(t("2026-03-01 00:00"), t("2026-04-01 00:00")).unwrap();
    let measures = Tally::from_log(window, &w.log).unwrap();
    let complaints = &measures.customer(ONA).unwrap().complaints;
    assert_eq!(
        (
            complaints.closed_as_duplicate,
            complaints.withdrawn,
            complaints.resolved,
            complaints.closed
        ),
        (1, 1, 0, 0)
    );
    w.assert_replay_matches();
}

#[test]
fn closing_unresolved_a_resolved_complaint_or_as_a_duplicate_of_itself_or_of_nothing_is_refused() {
    let mut w = world_with(no_follow_ups(), Priority::Normal);
    let unknown = ComplaintId::from_u128(0x99);
    w.assert_each_refused(
        ONA,
        vec![
            (
                CloseUnresolved::duplicate(C, C).into(),
                CommandError::DuplicateOfItself(C),
            ),
            (
                CloseUnresolved::duplicate(C, unknown).into(),
                CommandError::UnknownComplaint(unknown),
            ),
        ],
    );
    w.when(ONA, resolve()).unwrap();
    w.assert_each_refused(
        ONA,
        vec![(
            CloseUnresolved::invalid(C).into(),
            CommandError::InvalidTransition {
                entity: "complaint",
                from: "resolved",
                action: "close_unresolved",
            },
        )],
    );
    let mut w = world_with(no_follow_ups(), Priority::Normal);
    w.when(ONA, CloseUnresolved::invalid(C)).unwrap();
    w.assert_each_refused(
        ONA,
        vec![(
            ReopenComplaint {
                complaint: C,
                reason: text("again").into(),
            }
            .into(),
            CommandError::InvalidTransition {
                entity: "complaint",
                from: "closed_unresolved",
                action: "reopen",
            },
        )],
    );
}
