//! Real ticket flows for complaints (issue 14), given / when / then.
//!
//! Default complaint policy on an always-open calendar unless a test says otherwise: normal
//! priority is acknowledged within 4 h and resolved within 40 h; front line escalates after
//! 8 h, specialist after 24 h, management is the top.

mod support;

use clientele::complaint::{ClockPhase, ComplaintStage};
use clientele::error::PolicyError;
use clientele::outcome::{NoTarget, Outcome};
use clientele::{
    AgentId, Channel, ComplaintId, Event, FlagKind, Priority, ReceiveComplaint, ResolveComplaint,
    ServicePolicy, Span,
};
use clientele::{ComplaintEvent, ResponseEvent};
use support::*;

const C: ComplaintId = ComplaintId::from_u128(0xc1);
const JONAS: AgentId = AgentId::from_u128(101);

fn world_with(policy: ServicePolicy, priority: Priority) -> World {
    let mut w = World::new(policy, "2026-03-02 09:00");
    w.given_customer(ONA, "standard");
    w.when(
        ONA,
        ReceiveComplaint::new(C, Channel::Phone, text("Glasses still not ready")).priority(priority),
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
        ["complaint_clock_at_risk", "complaint_clock_breached", "escalation_due"]
    );
    let flags = w.ledger.flags(t("2027-03-02 09:00"));
    assert!(flags.iter().all(|f| f.kind != FlagKind::NoTarget), "{flags:?}");
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
    assert_eq!(complaint.acknowledgement.terms.due, Some(t("2026-03-02 09:00")));
    assert!(matches!(complaint.resolution.phase, ClockPhase::Running));
    assert_eq!(complaint.stage(), ComplaintStage::Received);
}
