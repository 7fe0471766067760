//! Waiting on an outside party (issue 14 item 5), given / when / then: a complaint that
//! depends on a vendor, with the vendor's own date; whether that pauses our target (by default
//! it does not: seed 002, outsourcing does not relieve us of the customer); the late party
//! flagged for our owner; a wait on the customer at the same time; per-party measures.
//!
//! Default policy on an always-open calendar: a normal complaint is resolved within 40 h,
//! warned at 80 % (32 h); the front line escalates after 8 h.

mod support;

use chrono::{DateTime, Utc};
use clientele::complaint::ComplaintClockKind;
use clientele::flag::{ComplaintTimer, Owner, Timer};
use clientele::outcome::TargetStatus;
use clientele::{
    AcknowledgeComplaint, AgentId, AssignComplaint, AwaitCustomer, AwaitOutsideParty, Channel,
    CloseUnresolved, CommandError, ComplaintEvent, ComplaintId, EndOutsideWait, Event, FlagKind,
    PartyId, ReceiveComplaint, ResumeComplaint, RouteComplaint, ServicePolicy, Span, Tally, TeamId,
    Window,
};
use support::*;

const C: ComplaintId = ComplaintId::from_u128(0xc1);
const LAB: PartyId = PartyId::from_u128(0x1ab);
const VENDOR: PartyId = PartyId::from_u128(0x7e);
const JONAS: AgentId = AgentId::from_u128(101);
const DESK: TeamId = TeamId::from_u128(0xe1);

/// Ona's complaint received Monday 09:00 and acknowledged by Jonas at 09:30 (no follow-up
/// calls scheduled).
fn acknowledged(mut policy: ServicePolicy) -> World {
    policy.complaints.follow_up_after = None;
    let mut w = World::new(policy, "2026-03-02 09:00");
    w.given_customer(ONA, "standard");
    w.when(
        ONA,
        ReceiveComplaint::new(C, Channel::Email, text("Lenses wrong")),
    )
    .unwrap();
    w.at("2026-03-02 09:30");
    w.when(ONA, AcknowledgeComplaint::new(C, JONAS)).unwrap();
    w
}

/// The default policy, with waits on the lab pausing our clocks.
fn lab_pauses() -> ServicePolicy {
    let mut policy = ServicePolicy::default();
    policy.complaints.pausing_parties = [LAB].into();
    policy
}

/// As [`acknowledged`], the lab's wait pausing our clocks, and waiting on it from 10:00.
fn waiting_on_the_lab() -> World {
    let mut w = acknowledged(lab_pauses());
    w.at("2026-03-02 10:00");
    w.when(ONA, AwaitOutsideParty::new(C, LAB)).unwrap();
    w
}

fn resolution_status(w: &World) -> TargetStatus {
    w.relationship(ONA)
        .complaint(C)
        .unwrap()
        .status(ComplaintClockKind::Resolution)
        .unwrap()
}

fn due(w: &World) -> Option<DateTime<Utc>> {
    match resolution_status(w) {
        TargetStatus::Running { due, .. } => Some(due),
        _ => None,
    }
}

#[test]
fn by_default_waiting_on_the_lab_does_not_pause_our_target() {
    let mut w = acknowledged(ServicePolicy::default());
    let before = due(&w);
    assert_eq!(before, Some(t("2026-03-04 01:00")));
    w.at("2026-03-02 10:00");
    let events = w
        .when(
            ONA,
            AwaitOutsideParty::new(C, LAB).expecting(t("2026-03-03 17:00")),
        )
        .unwrap();
    assert_eq!(
        events,
        [Event::Complaint(ComplaintEvent::AwaitingParty {
            complaint: C,
            party: LAB,
            expected: Some(t("2026-03-03 17:00")),
            pauses: false,
            slipped: false,
            resolution: None,
            escalation: None,
        })]
    );
    // Seed 002: the customer is still ours; the target keeps counting.
    assert_eq!(due(&w), before);
    w.at("2026-03-03 12:00");
    // (The front line's 8 h passed: escalation is due, recorded first.)
    let ended = w.when(ONA, EndOutsideWait::new(C)).unwrap();
    assert_eq!(
        kinds(&ended),
        ["escalation_due", "complaint_party_wait_ended"]
    );
    assert_eq!(due(&w), before);
    w.assert_replay_matches();
}

#[test]
fn a_policy_that_names_the_party_pauses_our_target_until_the_wait_ends() {
    let mut w = waiting_on_the_lab();
    assert_eq!(
        resolution_status(&w),
        TargetStatus::Paused {
            remaining: Span::hours(39)
        }
    );
    w.at("2026-03-02 16:00");
    let events = w.when(ONA, EndOutsideWait::new(C)).unwrap();
    let Event::Complaint(ComplaintEvent::PartyWaitEnded { waited, paused, .. }) = &events[0] else {
        panic!("{events:?}");
    };
    assert_eq!((*waited, *paused), (Span::hours(6), Span::hours(6)));
    // 39 h left from 16:00.
    assert_eq!(due(&w), Some(t("2026-03-04 07:00")));
    w.assert_replay_matches();
}

#[test]
fn the_partys_date_passing_is_flagged_for_our_owner_never_the_party() {
    let mut w = acknowledged(ServicePolicy::default());
    w.when(ONA, RouteComplaint::new(C, DESK)).unwrap();
    w.when(ONA, AssignComplaint::new(C, JONAS)).unwrap();
    w.at("2026-03-02 10:00");
    w.when(
        ONA,
        AwaitOutsideParty::new(C, LAB).expecting(t("2026-03-02 15:00")),
    )
    .unwrap();
    let next = w.ledger.next_deadline().unwrap();
    assert_eq!(next.at, t("2026-03-02 15:00"));
    assert_eq!(
        next.timer,
        Timer::Complaint {
            complaint: C,
            timer: ComplaintTimer::PartyDue
        }
    );
    // Before the date: no flag.
    let flags = |w: &World, at: &str| -> Vec<FlagKind> {
        w.ledger
            .flags_for(Owner::Agent(JONAS), t(at))
            .into_iter()
            .map(|f| f.kind)
            .collect()
    };
    assert!(!flags(&w, "2026-03-02 14:59").contains(&FlagKind::PartyLate));
    // Raised at the date, before `advance_to` records it, and after.
    assert!(flags(&w, "2026-03-02 15:00").contains(&FlagKind::PartyLate));
    let woke = w.run_until("2026-03-02 15:00", 5);
    assert_eq!(
        woke.iter().map(|e| e.event.clone()).collect::<Vec<_>>(),
        [Event::Complaint(ComplaintEvent::PartyLate {
            complaint: C,
            party: LAB,
            due: t("2026-03-02 15:00"),
            owner: Some(JONAS),
        })]
    );
    let late: Vec<_> = w
        .ledger
        .flags(t("2026-03-02 16:00"))
        .into_iter()
        .filter(|f| f.kind == FlagKind::PartyLate)
        .collect();
    assert_eq!(late.len(), 1);
    assert_eq!(late[0].owner, Some(JONAS));
    assert_eq!(late[0].team, Some(DESK));
    assert_eq!(late[0].due, Some(t("2026-03-02 15:00")));
    // The party gives a new date: the flag goes until then, and the slip is counted.
    w.at("2026-03-02 16:00");
    let redated = w
        .when(
            ONA,
            AwaitOutsideParty::new(C, LAB).expecting(t("2026-03-03 12:00")),
        )
        .unwrap();
    assert!(matches!(
        redated[..],
        [Event::Complaint(ComplaintEvent::AwaitingParty {
            slipped: false,
            ..
        })]
    ));
    assert!(!flags(&w, "2026-03-02 16:00").contains(&FlagKind::PartyLate));
    w.assert_replay_matches();
}

#[test]
fn the_clocks_run_again_only_when_neither_the_customer_nor_the_party_holds_them() {
    // The customer answers first: the lab still holds the clocks.
    let mut w = waiting_on_the_lab();
    w.at("2026-03-02 11:00");
    let waiting = w.when(ONA, AwaitCustomer::new(C)).unwrap();
    assert!(matches!(
        waiting[..],
        [Event::Complaint(ComplaintEvent::AwaitingCustomer {
            resolution: None,
            ..
        })]
    ));
    w.at("2026-03-02 12:00");
    let resumed = w.when(ONA, ResumeComplaint { complaint: C }).unwrap();
    assert!(matches!(
        resumed[..],
        [Event::Complaint(ComplaintEvent::Resumed {
            resolution: None,
            ..
        })]
    ));
    assert!(matches!(resolution_status(&w), TargetStatus::Paused { .. }));
    w.at("2026-03-02 14:00");
    w.when(ONA, EndOutsideWait::new(C)).unwrap();
    // 39 h left from 14:00.
    assert_eq!(due(&w), Some(t("2026-03-04 05:00")));
    w.assert_replay_matches();

    // The lab answers first: the customer still holds them, and the pause counts from the
    // lab's wait.
    let mut w = waiting_on_the_lab();
    w.at("2026-03-02 11:00");
    w.when(ONA, AwaitCustomer::new(C)).unwrap();
    w.at("2026-03-02 12:00");
    let ended = w.when(ONA, EndOutsideWait::new(C)).unwrap();
    assert!(matches!(
        ended[..],
        [Event::Complaint(ComplaintEvent::PartyWaitEnded {
            resolution: None,
            ..
        })]
    ));
    assert!(matches!(resolution_status(&w), TargetStatus::Paused { .. }));
    w.at("2026-03-02 14:00");
    let resumed = w.when(ONA, ResumeComplaint { complaint: C }).unwrap();
    let Event::Complaint(ComplaintEvent::Resumed { paused, .. }) = &resumed[0] else {
        panic!("{resumed:?}");
    };
    assert_eq!(*paused, Span::hours(4));
    assert_eq!(due(&w), Some(t("2026-03-04 05:00")));
    let clock = &w.relationship(ONA).complaint(C).unwrap().resolution;
    assert_eq!(clock.paused, Span::hours(4));
    w.assert_replay_matches();
}

#[test]
fn a_closing_ends_the_wait_on_the_party_first() {
    let mut w = waiting_on_the_lab();
    w.at("2026-03-02 12:00");
    let events = w.when(ONA, resolution(C, JONAS, "New lenses")).unwrap();
    assert_eq!(
        kinds(&events)[..2],
        ["complaint_party_wait_ended", "complaint_resolved"]
    );
    let complaint = w.relationship(ONA).complaint(C).unwrap();
    assert_eq!(complaint.outside, None);
    w.assert_replay_matches();
    let mut w = acknowledged(ServicePolicy::default());
    w.when(ONA, AwaitOutsideParty::new(C, VENDOR)).unwrap();
    let events = w.when(ONA, CloseUnresolved::withdrawn(C)).unwrap();
    assert_eq!(
        kinds(&events)[..2],
        ["complaint_party_wait_ended", "complaint_closed_unresolved"]
    );
    w.assert_replay_matches();
}

#[test]
fn measures_say_how_long_we_waited_on_each_party_and_how_often_its_date_slipped() {
    let mut w = acknowledged(ServicePolicy::default());
    w.at("2026-03-02 10:00");
    w.when(
        ONA,
        AwaitOutsideParty::new(C, LAB).expecting(t("2026-03-02 12:00")),
    )
    .unwrap();
    // A later date before the first passed: a slip.
    w.at("2026-03-02 11:00");
    w.when(
        ONA,
        AwaitOutsideParty::new(C, LAB).expecting(t("2026-03-02 14:00")),
    )
    .unwrap();
    // That date passes too: a second slip.
    w.run_until("2026-03-02 15:00", 5);
    w.at("2026-03-02 16:00");
    w.when(ONA, EndOutsideWait::new(C)).unwrap();
    w.when(ONA, AwaitOutsideParty::new(C, VENDOR)).unwrap();
    w.at("2026-03-02 17:00");
    w.when(ONA, EndOutsideWait::new(C)).unwrap();
    let tally = Tally::from_log(Window::all(), &w.log).unwrap();
    let parties = &tally.book().complaints.parties;
    let lab = &parties[&LAB];
    assert_eq!((lab.waits, lab.redated, lab.slipped), (1, 1, 2));
    assert_eq!(lab.waited.count(), 1);
    assert_eq!(lab.waited.max(), Some(Span::hours(6)));
    let vendor = &parties[&VENDOR];
    assert_eq!((vendor.waits, vendor.slipped), (1, 0));
    assert_eq!(vendor.waited.max(), Some(Span::hours(1)));
    // Attributed to the party too, and merged like the other measures.
    assert_eq!(
        tally.party(LAB).unwrap().complaints.parties[&LAB].slipped,
        2
    );
    let mut twice = tally.book().complaints.clone();
    twice.merge(&tally.book().complaints);
    assert_eq!(twice.parties[&LAB].slipped, 4);
    assert_eq!(twice.parties[&LAB].waited.count(), 2);
}

#[test]
fn refused_waits_change_nothing() {
    // The policy's roster lists the lab and the vendor only.
    let roster = [LAB, VENDOR].into();
    let mut w = acknowledged(ServicePolicy {
        parties: roster,
        ..ServicePolicy::default()
    });
    let (unknown, stranger) = (ComplaintId::from_u128(0xdead), PartyId::from_u128(0xbad));
    let nothing_to_end = CommandError::InvalidTransition {
        entity: "wait on an outside party",
        from: "not_waiting",
        action: "end_wait",
    };
    w.assert_each_refused(
        ONA,
        vec![
            (
                AwaitOutsideParty::new(unknown, LAB).into(),
                CommandError::UnknownComplaint(unknown),
            ),
            (
                AwaitOutsideParty::new(C, stranger).into(),
                CommandError::UnknownParty(stranger),
            ),
            (
                AwaitOutsideParty::new(C, LAB)
                    .expecting(t("2026-03-02 09:00"))
                    .into(),
                CommandError::DueNotInFuture {
                    due: t("2026-03-02 09:00"),
                    now: t("2026-03-02 09:30"),
                },
            ),
            (EndOutsideWait::new(C).into(), nothing_to_end.clone()),
        ],
    );
    w.when(
        ONA,
        AwaitOutsideParty::new(C, LAB).expecting(t("2026-03-03 09:00")),
    )
    .unwrap();
    w.assert_each_refused(
        ONA,
        vec![
            (
                AwaitOutsideParty::new(C, VENDOR).into(),
                CommandError::AwaitingOtherParty {
                    complaint: C,
                    party: LAB,
                },
            ),
            (
                AwaitOutsideParty::new(C, LAB)
                    .expecting(t("2026-03-03 09:00"))
                    .into(),
                CommandError::NothingToChange,
            ),
        ],
    );
    w.when(ONA, resolution(C, JONAS, "New lenses")).unwrap();
    w.assert_each_refused(
        ONA,
        vec![
            (
                AwaitOutsideParty::new(C, LAB).into(),
                CommandError::InvalidTransition {
                    entity: "complaint",
                    from: "resolved",
                    action: "await an outside party for",
                },
            ),
            (EndOutsideWait::new(C).into(), nothing_to_end),
        ],
    );
}
