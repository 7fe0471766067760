//! Queues before people (issue 14 item 6), given / when / then: a complaint owned by a team's
//! queue before an agent takes it, and work lists per team and per agent.
//!
//! Default policy on an always-open calendar: a normal complaint is acknowledged within 4 h.

mod support;

use clientele::flag::Owner;
use clientele::{
    AcknowledgeComplaint, AgentId, AssignComplaint, Channel, CommandError, ComplaintEvent,
    ComplaintId, Event, Flag, FlagKind, ReceiveComplaint, ResolveComplaint, RouteComplaint,
    ServicePolicy, TeamId,
};
use support::*;

const C: ComplaintId = ComplaintId::from_u128(0xc1);
const FRONT_DESK: TeamId = TeamId::from_u128(0xe1);
const LAB: TeamId = TeamId::from_u128(0xe2);
const JONAS: AgentId = AgentId::from_u128(101);

/// Ona's complaint received at 09:00 and routed to the front desk's queue at once.
fn queued(policy: ServicePolicy) -> World {
    let mut w = World::new(policy, "2026-03-02 09:00");
    w.given_customer(ONA, "standard");
    w.when(
        ONA,
        ReceiveComplaint::new(C, Channel::Email, text("Lens scratched")),
    )
    .unwrap();
    w.when(
        ONA,
        RouteComplaint {
            complaint: C,
            team: FRONT_DESK,
        },
    )
    .unwrap();
    w
}

fn work_list(w: &World, owner: Owner, now: &str) -> Vec<FlagKind> {
    w.ledger
        .flags_for(owner, t(now))
        .into_iter()
        .map(|f| f.kind)
        .collect()
}

#[test]
fn a_complaint_waits_in_a_teams_queue_before_anyone_takes_it() {
    let w = queued(ServicePolicy::default());
    let complaint = w.relationship(ONA).complaint(C).unwrap();
    assert_eq!(complaint.team, Some(FRONT_DESK));
    assert_eq!(complaint.owner, None);
    // Unacknowledged and in the queue: on the desk's work list, on nobody else's.
    assert_eq!(
        work_list(&w, Owner::Team(FRONT_DESK), "2026-03-02 09:30"),
        [FlagKind::ComplaintUnacknowledged]
    );
    assert!(work_list(&w, Owner::Team(LAB), "2026-03-02 09:30").is_empty());
    assert!(work_list(&w, Owner::Agent(JONAS), "2026-03-02 09:30").is_empty());
    w.assert_replay_matches();
}

#[test]
fn once_an_agent_takes_it_it_is_on_their_list_and_still_on_the_queues() {
    let mut w = queued(ServicePolicy::default());
    w.at("2026-03-02 14:00");
    w.when(
        ONA,
        AcknowledgeComplaint {
            complaint: C,
            by: JONAS,
        },
    )
    .unwrap();
    w.when(
        ONA,
        AssignComplaint {
            complaint: C,
            owner: JONAS,
        },
    )
    .unwrap();
    // The acknowledgement was late (due 13:00) and front line's 8 h run out at 17:00.
    let at = "2026-03-02 18:00";
    w.run_until(at, 20);
    let jonas = work_list(&w, Owner::Agent(JONAS), at);
    assert_eq!(jonas, [FlagKind::EscalationDue]);
    assert_eq!(work_list(&w, Owner::Team(FRONT_DESK), at), jonas);
    w.assert_replay_matches();
}

#[test]
fn re_routing_moves_the_complaint_to_another_queue_and_says_where_from() {
    let mut w = queued(ServicePolicy::default());
    w.at("2026-03-02 10:00");
    let events = w
        .when(
            ONA,
            RouteComplaint {
                complaint: C,
                team: LAB,
            },
        )
        .unwrap();
    assert_eq!(
        events,
        [Event::Complaint(ComplaintEvent::Routed {
            complaint: C,
            team: LAB,
            from: Some(FRONT_DESK)
        })]
    );
    assert!(work_list(&w, Owner::Team(FRONT_DESK), "2026-03-02 10:00").is_empty());
    assert_eq!(
        work_list(&w, Owner::Team(LAB), "2026-03-02 10:00"),
        [FlagKind::ComplaintUnacknowledged]
    );
    w.assert_replay_matches();
}

#[test]
fn refused_routings_change_nothing() {
    let policy = ServicePolicy {
        teams: [FRONT_DESK, LAB].into(),
        ..ServicePolicy::default()
    };
    let mut w = queued(policy);
    let unknown = ComplaintId::from_u128(0xdead);
    let stranger = TeamId::from_u128(0xbad);
    w.assert_each_refused(
        ONA,
        vec![
            (
                RouteComplaint {
                    complaint: unknown,
                    team: LAB,
                }
                .into(),
                CommandError::UnknownComplaint(unknown),
            ),
            (
                RouteComplaint {
                    complaint: C,
                    team: stranger,
                }
                .into(),
                CommandError::UnknownTeam(stranger),
            ),
            (
                RouteComplaint {
                    complaint: C,
                    team: FRONT_DESK,
                }
                .into(),
                CommandError::NothingToChange,
            ),
        ],
    );
    w.at("2026-03-02 10:00");
    w.when(
        ONA,
        AcknowledgeComplaint {
            complaint: C,
            by: JONAS,
        },
    )
    .unwrap();
    w.when(
        ONA,
        ResolveComplaint {
            complaint: C,
            by: JONAS,
            remedy: None,
            apology: true,
            summary: text("Lens replaced").into(),
            follow_up: Some(clientele::FollowUpId::from_u128(0xf1)),
        },
    )
    .unwrap();
    w.assert_each_refused(
        ONA,
        vec![(
            RouteComplaint {
                complaint: C,
                team: LAB,
            }
            .into(),
            CommandError::InvalidTransition {
                entity: "complaint",
                from: "resolved",
                action: "route",
            },
        )],
    );
}

#[test]
fn a_flag_without_a_team_is_written_as_before_and_one_with_a_team_says_it() {
    let w = queued(ServicePolicy::default());
    let flags: Vec<Flag> = w.ledger.flags(t("2026-03-02 09:30"));
    let json = serde_json::to_string(&flags[0]).unwrap();
    assert!(
        json.contains(r#""team":"00000000-0000-0000-0000-0000000000e1""#),
        "{json}"
    );
    assert_eq!(serde_json::from_str::<Flag>(&json).unwrap(), flags[0]);
    let before = Flag {
        team: None,
        ..flags[0].clone()
    };
    let json = serde_json::to_string(&before).unwrap();
    assert!(!json.contains("team"), "{json}");
    assert_eq!(serde_json::from_str::<Flag>(&json).unwrap(), before);
}
