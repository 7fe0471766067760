//! A resolution schedules its follow-up without the caller inventing an id (issue 17 item 5):
//! with no id in the command, the follow-up gets `FollowUpId::after_resolution(complaint,
//! reopens so far)`, the same on a retry and different for each resolution.

mod support;

use clientele::follow_up::FollowUpStage;
use clientele::{
    AgentId, Command, CommandError, ComplaintId, Event, FollowUpEvent, FollowUpId, ReopenComplaint,
    ResolveComplaint, ScheduleFollowUp, ServicePolicy,
};
use support::*;

const C: ComplaintId = ComplaintId::from_u128(0xc1);
const JONAS: AgentId = AgentId::from_u128(101);

fn received() -> World {
    let mut w = World::new(ServicePolicy::default(), "2026-03-02 09:00");
    w.given_customer(ONA, "standard").given_complaint(ONA, C);
    w
}

fn resolve() -> ResolveComplaint {
    ResolveComplaint::new(C, JONAS, text("Glasses handed over"))
}

/// The id of the follow-up a batch of events schedules.
fn scheduled(events: &[Event]) -> Vec<FollowUpId> {
    events
        .iter()
        .filter_map(|event| match event {
            Event::FollowUp(FollowUpEvent::Scheduled { follow_up, .. }) => Some(*follow_up),
            _ => None,
        })
        .collect()
}

#[test]
fn a_resolution_without_an_id_schedules_its_follow_up_under_the_derived_id() {
    let mut w = received();
    w.at("2026-03-02 15:00");
    // The decision is pure and deterministic: a retry derives the same id.
    let first_try = w.ledger.decide(ONA, &resolve().into(), w.now).unwrap();
    let events = w.when(ONA, resolve()).unwrap();
    // (The acknowledgement target passed at 13:00: its warning and breach come first.)
    assert!(
        kinds(&events).ends_with(&["complaint_resolved", "follow_up_scheduled"]),
        "{events:?}"
    );
    let derived = FollowUpId::after_resolution(C, 0);
    assert_eq!(scheduled(&events), [derived]);
    assert_eq!(
        first_try.iter().map(|e| &e.event).collect::<Vec<_>>(),
        events.iter().collect::<Vec<_>>()
    );
    assert_eq!(
        w.relationship(ONA).complaint(C).unwrap().follow_up,
        Some(derived)
    );
    assert_eq!(derived.as_uuid().get_version_num(), 8);
    w.assert_replay_matches();
}

#[test]
fn each_resolution_across_reopens_gets_its_own_follow_up() {
    let mut w = received();
    let mut ids = Vec::new();
    for (resolved_at, reopened_at) in [
        ("2026-03-02 15:00", "2026-03-03 09:00"),
        ("2026-03-03 12:00", "2026-03-04 09:00"),
    ] {
        w.at(resolved_at);
        ids.extend(scheduled(&w.when(ONA, resolve()).unwrap()));
        w.at(reopened_at);
        let reopened = w
            .when(ONA, ReopenComplaint::new(C, text("Still scratched")))
            .unwrap();
        assert!(
            kinds(&reopened).contains(&"follow_up_cancelled"),
            "{reopened:?}"
        );
    }
    w.at("2026-03-04 12:00");
    ids.extend(scheduled(&w.when(ONA, resolve()).unwrap()));
    assert_eq!(
        ids,
        (0..3)
            .map(|n| FollowUpId::after_resolution(C, n))
            .collect::<Vec<_>>()
    );
    let mut distinct = ids.clone();
    distinct.sort();
    distinct.dedup();
    assert_eq!(distinct.len(), 3);
    // The first two were cancelled by the reopens (archived, with their own ids); the third runs.
    let stages: Vec<_> = ids
        .iter()
        .map(|id| w.relationship(ONA).follow_up_stage(*id))
        .collect();
    assert_eq!(
        stages,
        [
            Some(FollowUpStage::Cancelled),
            Some(FollowUpStage::Cancelled),
            Some(FollowUpStage::Scheduled)
        ]
    );
    w.assert_replay_matches();
}

#[test]
fn an_id_given_by_the_caller_is_used_as_before() {
    let mut w = received();
    let own = FollowUpId::from_u128(0xf1);
    let events = w.when(ONA, resolve().scheduling(own)).unwrap();
    assert_eq!(scheduled(&events), [own]);
}

#[test]
fn a_derived_id_the_customer_already_has_is_refused_and_changes_nothing() {
    let mut w = received();
    let taken = FollowUpId::after_resolution(C, 0);
    w.when(
        ONA,
        ScheduleFollowUp::new(taken, JONAS, t("2026-03-05 09:00"), text("Call back")),
    )
    .unwrap();
    w.assert_each_refused(
        ONA,
        vec![(
            Command::from(resolve()),
            CommandError::DuplicateFollowUp(taken),
        )],
    );
}

#[test]
fn the_command_on_the_wire_is_unchanged() {
    // A stored command without a follow-up id reads as before; it means "derive it".
    let json = r#"{"complaint":"00000000-0000-0000-0000-0000000000c1","by":"00000000-0000-0000-0000-000000000065","apology":false,"summary":"Glasses handed over"}"#;
    let read: ResolveComplaint = serde_json::from_str(json).unwrap();
    assert_eq!(read, resolve());
}
