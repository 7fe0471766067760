//! One moment, one name: every deadline kind records the event kind
//! `DeadlineKind::event_kinds` names first, and raises the flag `DeadlineKind::flag_kind`
//! names, walked deadline by deadline through a history that reaches every kind.

mod support;

use std::collections::BTreeSet;

use chrono::TimeDelta;
use clientele::policy::{ByPriority, Targets, UpdatePolicy};
use clientele::{
    Channel, CloseComplaint, ComplaintId, DeadlineKind, FollowUpId, KeepPromise, MakePromise,
    PartyId, PromiseId, ReceiveComplaint, RecordDependency, Relationship, ResolveComplaint,
    ScheduleFollowUp, ServicePolicy,
};
use support::*;

#[test]
fn every_deadline_kind_records_the_event_and_raises_the_flag_its_name_says() {
    let policy = ServicePolicy {
        updates: Some(UpdatePolicy::new(Targets::new(ByPriority::uniform(
            clientele::Span::hours(48),
        )))),
        ..ServicePolicy::default()
    };
    let mut now = t("2026-03-02 09:00");
    let mut ona = Relationship::new(ONA);
    let run = |ona: &mut Relationship, command: clientele::Command, now| {
        ona.execute(&policy, command, now).unwrap();
    };
    run(
        &mut ona,
        clientele::RegisterCustomer::new(text("Ona"), tier("standard"))
            .owned_by(AGENT)
            .into(),
        now,
    );
    run(
        &mut ona,
        ReceiveComplaint::new(ComplaintId::from_u128(1), Channel::Email, text("Late")).into(),
        now,
    );
    now += TimeDelta::minutes(10);
    run(&mut ona, inbound(1, Channel::Email).into(), now);
    // Three promises break in silence (the relationship falls at risk); the first waits on
    // an outside party.
    for n in 1..=3 {
        let promise = PromiseId::from_u128(n);
        let due = now + TimeDelta::days(2) + TimeDelta::hours(n as i64) + TimeDelta::minutes(3);
        run(
            &mut ona,
            MakePromise::new(promise, text("Glasses"), due, AGENT).into(),
            now,
        );
    }
    let dependency = RecordDependency {
        promise: PromiseId::from_u128(1),
        party: PartyId::from_u128(1),
        commitment: text("Lenses").into(),
        reference: None,
        due: now + TimeDelta::hours(20),
    };
    run(&mut ona, dependency.into(), now);
    let follow_up = ScheduleFollowUp {
        follow_up: FollowUpId::from_u128(1),
        owner: AGENT,
        due: now + TimeDelta::hours(21) + TimeDelta::minutes(7),
        reason: text("Call back").into(),
        complaint: None,
    };
    run(&mut ona, follow_up.into(), now);
    // The complaint waits on a lab, which gives its own date.
    let lab = clientele::AwaitOutsideParty::new(ComplaintId::from_u128(1), PartyId::from_u128(2))
        .expecting(now + TimeDelta::hours(22));
    run(&mut ona, lab.into(), now);

    let mut seen = BTreeSet::new();
    walk(&mut ona, &policy, t("2026-03-05 09:00"), &mut seen);
    // Everything settled but the broken promises: the relationship recovers with no new
    // fact once they leave the health window, at a health review.
    now = t("2026-03-05 09:00");
    run(&mut ona, outbound(2, Channel::Email).into(), now);
    for n in 1..=3 {
        run(
            &mut ona,
            KeepPromise {
                promise: PromiseId::from_u128(n),
            }
            .into(),
            now,
        );
    }
    let complaint = ComplaintId::from_u128(1);
    let resolve = ResolveComplaint {
        complaint,
        by: AGENT,
        remedy: None,
        apology: true,
        summary: text("Sorted").into(),
        follow_up: Some(FollowUpId::from_u128(2)),
    };
    run(&mut ona, resolve.into(), now);
    run(&mut ona, CloseComplaint { complaint }.into(), now);
    walk(&mut ona, &policy, t("2026-09-01 00:00"), &mut seen);
    assert_eq!(
        seen,
        DeadlineKind::ALL.into_iter().collect::<BTreeSet<_>>(),
        "the history reaches every kind"
    );
}

/// Fires the deadlines up to `until` one by one, checking each against its names.
fn walk(
    ona: &mut Relationship,
    policy: &ServicePolicy,
    until: chrono::DateTime<chrono::Utc>,
    seen: &mut BTreeSet<DeadlineKind>,
) {
    while let Some(deadline) = ona.next_deadline() {
        if deadline.at > until {
            break;
        }
        let kind = deadline.kind();
        seen.insert(kind);
        let events = ona.advance_to(policy, deadline.at);
        let first = events.first().expect("a deadline records an event");
        assert!(
            kind.event_kinds().contains(&first.event.kind()),
            "{deadline:?} recorded {}",
            first.event.kind()
        );
        let flags = ona.flags(deadline.at);
        let raised = flags
            .iter()
            .any(|f| f.kind == kind.flag_kind() && f.subject == deadline.subject());
        if first.event.kind() == "relationship_recovered" {
            assert!(!raised, "{deadline:?}: {flags:?}");
        } else {
            assert!(raised, "{deadline:?}: {flags:?}");
        }
    }
}
