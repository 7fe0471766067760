//! Complaints, escalation and follow-ups, given / when / then.
//!
//! Default complaint policy on an always-open calendar: normal priority is acknowledged within
//! 4 h and resolved within 40 h (warnings at 20 % left); front line escalates after 8 h,
//! specialist after 24 h, management is the top; a follow-up is due 24 h after a resolution.

mod support;

use clientele::complaint::{ClockPhase, ComplaintClockKind, ComplaintStage, EscalationReason};
use clientele::follow_up::FollowUpStage;
use clientele::outcome::{Lateness, Outcome};
use clientele::policy::ReopenMode;
use clientele::{
    AcknowledgeComplaint, AgentId, AssignComplaint, AwaitCustomer, Channel, CloseComplaint,
    CommandError, ComplaintId, CompleteFollowUp, EscalateComplaint, Event, FlagKind, FollowUpId,
    FollowUpOutcome, MakePromise, PromiseId, ReceiveComplaint, ReopenComplaint, RequestEscalation,
    ResolveComplaint, ResumeComplaint, RevisePromise, ScheduleFollowUp, ServicePolicy, Span,
};
use clientele::{ComplaintEvent, FollowUpEvent};
use support::*;

const C: ComplaintId = ComplaintId::from_u128(0xc1);
const F: FollowUpId = FollowUpId::from_u128(0xf1);
const JONAS: AgentId = AgentId::from_u128(101);
const DAIVA: AgentId = AgentId::from_u128(102);

fn world_with(policy: ServicePolicy) -> World {
    let mut w = World::new(policy, "2026-03-02 09:00");
    w.given_customer(ONA, "standard");
    w.when(
        ONA,
        ReceiveComplaint::new(C, Channel::Phone, text("Glasses still not ready")),
    )
    .unwrap();
    w
}

fn world() -> World {
    world_with(ServicePolicy::default())
}

fn stage(w: &World) -> ComplaintStage {
    w.relationship(ONA).complaint(C).unwrap().stage()
}

fn resolve(follow_up: Option<FollowUpId>) -> ResolveComplaint {
    ResolveComplaint {
        complaint: C,
        by: JONAS,
        remedy: Some(text("Refund of the fitting fee").into()),
        apology: true,
        summary: text("Glasses handed over").into(),
        follow_up,
    }
}

/// Acknowledged at 10:00, owned by Jonas.
fn in_progress() -> World {
    in_progress_with(ServicePolicy::default())
}

/// As [`in_progress`], under `policy`.
fn in_progress_with(policy: ServicePolicy) -> World {
    let mut w = world_with(policy);
    w.at("2026-03-02 10:00");
    w.when(
        ONA,
        AcknowledgeComplaint {
            complaint: C,
            by: AGENT,
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
    w
}

#[test]
fn a_complaint_starts_its_clocks_and_is_flagged_until_acknowledged() {
    let w = world();
    let complaint = w.relationship(ONA).complaint(C).unwrap();
    assert_eq!(
        complaint.acknowledgement.terms.due,
        Some(t("2026-03-02 13:00"))
    );
    assert_eq!(
        complaint.acknowledgement.terms.warn_at,
        Some(t("2026-03-02 12:12"))
    );
    assert_eq!(complaint.resolution.terms.due, Some(t("2026-03-04 01:00")));
    assert_eq!(
        complaint.escalation.as_ref().unwrap().terms.due,
        Some(t("2026-03-02 17:00"))
    );
    let flags = w.ledger.flags(t("2026-03-02 09:30"));
    assert_eq!(
        flags.iter().map(|f| (f.kind, f.owner)).collect::<Vec<_>>(),
        [(FlagKind::ComplaintUnacknowledged, Some(AGENT))]
    );
}

#[test]
fn acknowledged_late_the_breach_comes_first_and_the_outcome_says_how_late() {
    let mut w = world();
    w.at("2026-03-02 13:30");
    let envelopes = w
        .ledger
        .execute(
            ONA,
            AcknowledgeComplaint {
                complaint: C,
                by: AGENT,
            },
            w.now,
        )
        .unwrap();
    assert_eq!(
        envelope_kinds(&envelopes),
        [
            "complaint_clock_at_risk",
            "complaint_clock_breached",
            "complaint_acknowledged"
        ]
    );
    assert_eq!(
        envelopes[2].event,
        Event::Complaint(ComplaintEvent::Acknowledged {
            complaint: C,
            by: AGENT,
            outcome: Outcome::MetLate {
                lateness: Lateness {
                    wall: Span::minutes(30),
                    business: Span::minutes(30)
                }
            },
            // The 4 h target and the 30 min past it.
            worked: Some(Span::minutes(270)),
        })
    );
    assert!(w.ledger.flags(t("2026-03-02 13:30")).is_empty());
}

#[test]
fn resolution_warns_and_breaches_once_and_resolving_late_says_by_how_much() {
    let mut w = in_progress();
    // Escalation is due first (front line: 8 h, at 17:00); escalate to keep the ladder quiet.
    escalate_to_management(&mut w, "2026-03-02 16:00");
    let woke = w.run_until("2026-03-05 00:00", 10);
    assert_eq!(
        envelope_kinds(&woke),
        ["complaint_clock_at_risk", "complaint_clock_breached"]
    );
    assert_eq!(woke[1].at, t("2026-03-04 01:00"));
    assert!(matches!(
        woke[1].event,
        Event::Complaint(ComplaintEvent::ClockBreached {
            clock: ComplaintClockKind::Resolution,
            owner: Some(DAIVA),
            ..
        })
    ));
    let flags = w.ledger.flags(t("2026-03-05 00:00"));
    assert_eq!(
        flags.iter().map(|f| f.kind).collect::<Vec<_>>(),
        [FlagKind::ComplaintClockBreached]
    );
    w.at("2026-03-05 01:00");
    let events = w.when(ONA, resolve(Some(F))).unwrap();
    assert!(matches!(
        events[0],
        Event::Complaint(ComplaintEvent::Resolved { outcome: Outcome::MetLate { lateness: Lateness { wall, .. } }, apology: true, .. }) if wall == Span::hours(24)
    ));
    w.assert_replay_matches();
}

#[test]
fn waiting_on_the_customer_pauses_the_resolution_clock_and_the_pause_is_recorded() {
    let mut w = in_progress();
    w.at("2026-03-02 12:00");
    let events = w.when(ONA, AwaitCustomer { complaint: C }).unwrap();
    // 37 h left to the due instant and 29 h to the warning (at 20 % left, 8 h before it).
    assert!(
        matches!(events[0], Event::Complaint(ComplaintEvent::AwaitingCustomer { resolution: Some(r), .. }) if r.due == Span::hours(37) && r.warn == Some(Span::hours(29)))
    );
    assert_eq!(stage(&w), ComplaintStage::Waiting);
    // Nothing runs out while we wait, however long.
    assert!(w.run_until("2026-03-09 12:00", 10).is_empty());
    w.at("2026-03-09 12:00");
    let events = w.when(ONA, ResumeComplaint { complaint: C }).unwrap();
    let Event::Complaint(ComplaintEvent::Resumed {
        paused,
        resolution: Some(terms),
        escalation: Some(escalation),
        ..
    }) = &events[0]
    else {
        panic!("{events:?}")
    };
    assert_eq!(*paused, Span::days(7));
    // 37 h were left on the resolution clock, 5 h on the front line's.
    assert_eq!(terms.due, Some(t("2026-03-11 01:00")));
    // The warning keeps its distance too: 29 h after resuming, not lost in the pause.
    assert_eq!(terms.warn_at, Some(t("2026-03-10 17:00")));
    assert_eq!(escalation.due, Some(t("2026-03-09 17:00")));
    let complaint = w.relationship(ONA).complaint(C).unwrap();
    assert_eq!(complaint.resolution.paused, Span::days(7));
    w.assert_replay_matches();
}

/// Escalated at `at` to Daiva at level 2 (management, the top of the default ladder).
fn escalate_to_management(w: &mut World, at: &str) {
    w.at(at);
    w.when(
        ONA,
        EscalateComplaint {
            complaint: C,
            to_level: 2,
            owner: DAIVA,
        },
    )
    .unwrap();
}

/// In progress and escalated to management at 16:00 under `mode` (no follow-up scheduled on resolving);
/// its resolution clock warned at 17:00 the next day, 8 h before its due instant.
fn warned(mode: ReopenMode) -> World {
    let mut policy = ServicePolicy::default();
    policy.complaints.reopen = mode;
    policy.complaints.follow_up_after = None;
    let mut w = in_progress_with(policy);
    escalate_to_management(&mut w, "2026-03-02 16:00");
    let woke = w.run_until("2026-03-03 18:00", 10);
    assert_eq!(envelope_kinds(&woke), ["complaint_clock_at_risk"]);
    w.at("2026-03-03 18:00");
    w
}

/// The resolution clock's at-risk flags at `at`: subject and since when.
fn at_risk(w: &World, at: &str) -> Vec<(clientele::Subject, chrono::DateTime<chrono::Utc>)> {
    w.relationship(ONA)
        .flags(t(at))
        .into_iter()
        .filter(|f| f.kind == FlagKind::ComplaintClockAtRisk)
        .map(|f| (f.subject, f.since))
        .collect()
}

/// A warning raised before a pause or a resolution still stands when the clock runs on: the
/// complaint reads at risk from then on, not on track until it breaches, and the warning is
/// not recorded twice.
#[test]
fn a_resolution_clock_that_warned_is_at_risk_when_it_runs_again() {
    // Given a resolution clock that warned, then paused while we waited on the customer,
    let mut paused = warned(ReopenMode::Continue);
    paused.when(ONA, AwaitCustomer { complaint: C }).unwrap();
    // or a complaint resolved after it warned,
    let mut resolved = warned(ReopenMode::Continue);
    resolved.when(ONA, resolve(None)).unwrap();
    // when the first runs again a day later and the second is reopened with its clock going on,
    paused.at("2026-03-04 18:00");
    paused.when(ONA, ResumeComplaint { complaint: C }).unwrap();
    resolved.at("2026-03-04 18:00");
    let reopen = ReopenComplaint {
        complaint: C,
        reason: text("Still scratched").into(),
    };
    resolved.when(ONA, reopen).unwrap();
    for mut w in [paused, resolved] {
        // then each reads at risk since then, before and after `advance_to`,
        let expected = [(clientele::Subject::Complaint(C), t("2026-03-04 18:00"))];
        assert_eq!(at_risk(&w, "2026-03-04 18:30"), expected);
        let woke = w.run_until("2026-03-04 21:00", 10);
        assert!(!envelope_kinds(&woke).contains(&"complaint_clock_at_risk"));
        assert_eq!(at_risk(&w, "2026-03-04 21:00"), expected);
        // and breached once the 7 h it had left have run out: no second warning.
        let woke = w.run_until("2026-03-05 02:00", 10);
        assert!(envelope_kinds(&woke).contains(&"complaint_clock_breached"));
        assert!(!envelope_kinds(&woke).contains(&"complaint_clock_at_risk"));
        assert!(at_risk(&w, "2026-03-05 02:00").is_empty());
        w.assert_replay_matches();
    }
}

#[test]
fn escalation_is_due_past_the_threshold_stays_flagged_and_climbs_the_ladder() {
    let mut w = in_progress();
    let due = w.run_until("2026-03-02 17:00", 10);
    assert_eq!(
        due.iter().map(|e| e.event.clone()).collect::<Vec<_>>(),
        [Event::Complaint(ComplaintEvent::EscalationDue {
            complaint: C,
            reason: EscalationReason::Threshold,
            level: 0,
            owner: Some(JONAS)
        })]
    );
    assert!(
        w.run_until("2026-03-02 20:00", 10).is_empty(),
        "raised once"
    );
    let flagged = w.ledger.flags(t("2026-03-02 20:00"));
    assert!(
        flagged
            .iter()
            .any(|f| f.kind == FlagKind::EscalationDue && f.owner == Some(JONAS))
    );

    w.at("2026-03-02 20:00");
    let err = w
        .when(
            ONA,
            EscalateComplaint {
                complaint: C,
                to_level: 3,
                owner: DAIVA,
            },
        )
        .unwrap_err();
    assert_eq!(err, CommandError::EscalationPastTop { level: 3, top: 2 });
    let err = w
        .when(
            ONA,
            EscalateComplaint {
                complaint: C,
                to_level: 0,
                owner: DAIVA,
            },
        )
        .unwrap_err();
    assert_eq!(
        err,
        CommandError::EscalationNotUpward {
            level: 0,
            current: 0
        }
    );
    let events = w
        .when(
            ONA,
            EscalateComplaint {
                complaint: C,
                to_level: 1,
                owner: DAIVA,
            },
        )
        .unwrap();
    assert!(
        matches!(&events[0], Event::Complaint(ComplaintEvent::Escalated { to_level: 1, level_name, escalation: Some(e), .. }) if level_name.as_str() == "specialist" && e.due == Some(t("2026-03-03 20:00")))
    );
    let complaint = w.relationship(ONA).complaint(C).unwrap();
    assert_eq!(
        (complaint.level, complaint.owner, complaint.escalation_due),
        (1, Some(DAIVA), None)
    );
    assert_eq!(
        complaint
            .history
            .iter()
            .map(|h| (h.level, h.owner))
            .collect::<Vec<_>>(),
        [(0, JONAS), (1, DAIVA)]
    );
    assert!(
        !w.ledger
            .flags(t("2026-03-02 20:00"))
            .iter()
            .any(|f| f.kind == FlagKind::EscalationDue)
    );
    w.assert_replay_matches();
}

#[test]
fn the_customer_can_ask_for_escalation() {
    let mut w = in_progress();
    let events = w.when(ONA, RequestEscalation { complaint: C }).unwrap();
    assert_eq!(
        events,
        [Event::Complaint(ComplaintEvent::EscalationDue {
            complaint: C,
            reason: EscalationReason::CustomerAsked,
            level: 0,
            owner: Some(JONAS)
        })]
    );
    assert_eq!(
        w.when(ONA, RequestEscalation { complaint: C }).unwrap_err(),
        CommandError::NothingToChange
    );
}

#[test]
fn a_linked_promise_breaking_a_second_time_makes_escalation_due() {
    let mut w = in_progress();
    w.at("2026-03-02 10:30");
    let promise = PromiseId::from_u128(0x91);
    w.when(
        ONA,
        MakePromise::new(
            promise,
            text("Glasses by noon"),
            t("2026-03-02 12:00"),
            JONAS,
        )
        .answering(C),
    )
    .unwrap();
    let first = w.run_until("2026-03-02 12:00", 10);
    assert!(!first.iter().any(|e| matches!(
        e.event,
        Event::Complaint(ComplaintEvent::EscalationDue { .. })
    )));
    w.at("2026-03-02 12:30");
    w.when(
        ONA,
        RevisePromise {
            promise,
            due: t("2026-03-02 15:00"),
            reason: text("Lab").into(),
            customer_agreed: true,
        },
    )
    .unwrap();
    let second = w.run_until("2026-03-02 15:00", 10);
    assert_eq!(
        second.iter().map(|e| e.event.kind()).collect::<Vec<_>>(),
        // a promise broken twice in silence puts the relationship at risk on its own
        [
            "promise_at_risk",
            "promise_broken",
            "escalation_due",
            "relationship_at_risk"
        ]
    );
    assert!(matches!(
        second[2].event,
        Event::Complaint(ComplaintEvent::EscalationDue {
            reason: EscalationReason::PromiseBrokenAgain,
            ..
        })
    ));
    w.assert_replay_matches();
}

#[test]
fn resolved_at_first_touch_by_default_unless_the_policy_requires_an_acknowledgement() {
    // Given the default policy, when a complaint nobody acknowledged is resolved,
    // then it is resolved and its acknowledgement target ends (met: in time).
    let mut w = world();
    let events = w.when(ONA, resolve(Some(F))).unwrap();
    assert!(events.iter().any(|e| matches!(
        e,
        Event::Complaint(ComplaintEvent::Resolved {
            acknowledgement: Some(Outcome::Met),
            ..
        })
    )));
    assert_eq!(stage(&w), ComplaintStage::Resolved);
    let complaint = w.relationship(ONA).complaint(C).unwrap();
    assert!(matches!(
        complaint.acknowledgement.phase,
        ClockPhase::Stopped {
            outcome: Outcome::Met,
            ..
        }
    ));
    w.assert_replay_matches();
    // Given a policy that requires an explicit acknowledgement, the same is refused and
    // changes nothing.
    let mut strict = ServicePolicy::default();
    strict.complaints.resolve_unacknowledged = false;
    let mut w = world_with(strict);
    w.assert_each_refused(
        ONA,
        vec![(resolve(Some(F)).into(), CommandError::NotAcknowledged(C))],
    );
}

#[test]
fn resolving_schedules_a_follow_up_owned_by_the_complaints_owner_which_can_go_overdue() {
    let mut w = in_progress();
    w.at("2026-03-02 15:00");
    let events = w.when(ONA, resolve(Some(F))).unwrap();
    assert_eq!(
        kinds(&events),
        ["complaint_resolved", "follow_up_scheduled"]
    );
    assert!(
        matches!(events[1], Event::FollowUp(FollowUpEvent::Scheduled { owner: JONAS, due, complaint: Some(C), .. }) if due == Some(t("2026-03-03 15:00")))
    );
    let overdue = w.run_until("2026-03-04 00:00", 10);
    assert_eq!(envelope_kinds(&overdue), ["follow_up_overdue"]);
    assert!(
        w.ledger
            .flags(t("2026-03-04 00:00"))
            .iter()
            .any(|f| f.kind == FlagKind::FollowUpOverdue && f.owner == Some(JONAS))
    );
    w.at("2026-03-04 09:00");
    let done = w
        .when(
            ONA,
            CompleteFollowUp {
                follow_up: F,
                outcome: FollowUpOutcome::Satisfied,
                note: None,
            },
        )
        .unwrap();
    assert!(matches!(
        done[0],
        Event::FollowUp(FollowUpEvent::Completed {
            timing: Outcome::MetLate { .. },
            ..
        })
    ));
    assert_eq!(
        w.when(
            ONA,
            CompleteFollowUp {
                follow_up: F,
                outcome: FollowUpOutcome::Satisfied,
                note: None
            }
        )
        .unwrap_err(),
        CommandError::InvalidTransition {
            entity: "follow-up",
            from: "done",
            action: "complete"
        }
    );
    w.when(ONA, CloseComplaint { complaint: C }).unwrap();
    assert_eq!(stage(&w), ComplaintStage::Closed);
    w.assert_replay_matches();
}

#[test]
fn a_not_satisfied_follow_up_reopens_the_complaint_and_escalation_is_due_at_once() {
    let mut w = in_progress();
    w.at("2026-03-02 15:00");
    w.when(ONA, resolve(Some(F))).unwrap();
    w.at("2026-03-03 10:00");
    let events = w
        .when(
            ONA,
            CompleteFollowUp {
                follow_up: F,
                outcome: FollowUpOutcome::NotSatisfied,
                note: Some(text("Lenses scratch").into()),
            },
        )
        .unwrap();
    assert_eq!(
        kinds(&events),
        [
            "follow_up_completed",
            "complaint_reopened",
            "escalation_due",
            // an unsatisfied follow-up puts the relationship at risk on its own
            "relationship_at_risk"
        ]
    );
    assert!(matches!(
        events[2],
        Event::Complaint(ComplaintEvent::EscalationDue {
            reason: EscalationReason::Reopened,
            ..
        })
    ));
    assert_eq!(stage(&w), ComplaintStage::InProgress);
    assert_eq!(w.relationship(ONA).complaint(C).unwrap().reopened, 1);
    assert_eq!(
        w.when(
            ONA,
            ReopenComplaint {
                complaint: C,
                reason: text("again").into()
            }
        )
        .unwrap_err(),
        CommandError::InvalidTransition {
            entity: "complaint",
            from: "in_progress",
            action: "reopen"
        }
    );
    w.assert_replay_matches();
}

#[test]
fn reopening_cancels_a_pending_follow_up() {
    let mut w = in_progress();
    w.at("2026-03-02 15:00");
    w.when(ONA, resolve(Some(F))).unwrap();
    w.at("2026-03-02 16:00");
    let events = w
        .when(
            ONA,
            ReopenComplaint {
                complaint: C,
                reason: text("Still broken").into(),
            },
        )
        .unwrap();
    assert_eq!(
        kinds(&events),
        [
            "complaint_reopened",
            "follow_up_cancelled",
            "escalation_due"
        ]
    );
    assert_eq!(
        w.relationship(ONA).follow_up_stage(F),
        Some(FollowUpStage::Cancelled)
    );
}

/// Received at 09:00, resolved at 14:00 (5 h into a 40 h target), reopened a day later.
fn reopened(mode: ReopenMode) -> Event {
    let mut policy = ServicePolicy::default();
    policy.complaints.reopen = mode;
    policy.complaints.follow_up_after = None;
    let mut w = World::new(policy, "2026-03-02 09:00");
    w.given_customer(ONA, "standard");
    w.when(ONA, ReceiveComplaint::new(C, Channel::Phone, text("x")))
        .unwrap();
    w.at("2026-03-02 10:00");
    w.when(
        ONA,
        AcknowledgeComplaint {
            complaint: C,
            by: AGENT,
        },
    )
    .unwrap();
    w.at("2026-03-02 14:00");
    w.when(ONA, resolve(None)).unwrap();
    w.at("2026-03-03 14:00");
    let events = w
        .when(
            ONA,
            ReopenComplaint {
                complaint: C,
                reason: text("back").into(),
            },
        )
        .unwrap();
    w.assert_replay_matches();
    events.into_iter().next().unwrap()
}

#[test]
fn a_reopen_continues_restarts_or_starts_a_new_cycle_as_the_policy_says() {
    let Event::Complaint(ComplaintEvent::Reopened {
        mode,
        cycle,
        resolution,
        ..
    }) = reopened(ReopenMode::Continue)
    else {
        panic!()
    };
    // 35 h were left when it was resolved, 27 h to the warning it had not yet raised; the day
    // it was closed counts as a pause.
    assert_eq!(
        (mode, cycle, resolution.due, resolution.warn_at),
        (
            ReopenMode::Continue,
            1,
            Some(t("2026-03-05 01:00")),
            Some(t("2026-03-04 17:00"))
        )
    );
    let Event::Complaint(ComplaintEvent::Reopened {
        cycle, resolution, ..
    }) = reopened(ReopenMode::Restart)
    else {
        panic!()
    };
    assert_eq!((cycle, resolution.due), (1, Some(t("2026-03-05 06:00"))));
    let Event::Complaint(ComplaintEvent::Reopened {
        cycle, resolution, ..
    }) = reopened(ReopenMode::NewCycle)
    else {
        panic!()
    };
    assert_eq!((cycle, resolution.due), (2, Some(t("2026-03-05 06:00"))));
}

#[test]
fn bad_complaint_commands_are_refused_and_change_nothing() {
    let roster = ServicePolicy {
        agents: [AGENT, JONAS].into(),
        ..ServicePolicy::default()
    };
    let mut w = world_with(roster);
    let stranger = AgentId::from_u128(0xbad);
    let unknown = ComplaintId::from_u128(0xdead);
    let cases: Vec<(clientele::Command, CommandError)> = vec![
        (
            ReceiveComplaint::new(C, Channel::Email, text("again")).into(),
            CommandError::DuplicateComplaint(C),
        ),
        (
            ReceiveComplaint::new(unknown, Channel::Email, text("x"))
                .about_promise(PromiseId::from_u128(5))
                .into(),
            CommandError::UnknownPromise(PromiseId::from_u128(5)),
        ),
        (
            AcknowledgeComplaint {
                complaint: unknown,
                by: AGENT,
            }
            .into(),
            CommandError::UnknownComplaint(unknown),
        ),
        (
            AcknowledgeComplaint {
                complaint: C,
                by: stranger,
            }
            .into(),
            CommandError::UnknownAgent(stranger),
        ),
        // Routing and escalating before acknowledgement are allowed (issue 14 item 3); what
        // the ladder forbids is still refused.
        (
            EscalateComplaint {
                complaint: C,
                to_level: 0,
                owner: JONAS,
            }
            .into(),
            CommandError::EscalationNotUpward {
                level: 0,
                current: 0,
            },
        ),
        (
            EscalateComplaint {
                complaint: C,
                to_level: 9,
                owner: JONAS,
            }
            .into(),
            CommandError::EscalationPastTop { level: 9, top: 2 },
        ),
        (
            CloseComplaint { complaint: C }.into(),
            CommandError::InvalidTransition {
                entity: "complaint",
                from: "received",
                action: "close",
            },
        ),
        (
            ReopenComplaint {
                complaint: C,
                reason: text("x").into(),
            }
            .into(),
            CommandError::InvalidTransition {
                entity: "complaint",
                from: "received",
                action: "reopen",
            },
        ),
        (
            ScheduleFollowUp {
                follow_up: F,
                owner: AGENT,
                due: t("2026-03-01 00:00"),
                reason: text("x").into(),
                complaint: None,
            }
            .into(),
            CommandError::DueNotInFuture {
                due: t("2026-03-01 00:00"),
                now: t("2026-03-02 09:00"),
            },
        ),
        (
            ScheduleFollowUp {
                follow_up: F,
                owner: AGENT,
                due: t("2026-03-09 00:00"),
                reason: text("x").into(),
                complaint: Some(unknown),
            }
            .into(),
            CommandError::UnknownComplaint(unknown),
        ),
        (
            CompleteFollowUp {
                follow_up: F,
                outcome: FollowUpOutcome::Satisfied,
                note: None,
            }
            .into(),
            CommandError::UnknownFollowUp(F),
        ),
        (
            MakePromise::new(
                PromiseId::from_u128(6),
                text("x"),
                t("2026-03-09 00:00"),
                AGENT,
            )
            .answering(unknown)
            .into(),
            CommandError::UnknownComplaint(unknown),
        ),
    ];
    w.assert_each_refused(ONA, cases);
}

#[test]
fn a_follow_up_scheduled_by_hand_for_any_reason() {
    let mut w = world();
    w.when(
        ONA,
        ScheduleFollowUp {
            follow_up: F,
            owner: JONAS,
            due: t("2026-03-09 09:00"),
            reason: text("Check-in after the big order").into(),
            complaint: None,
        },
    )
    .unwrap();
    assert_eq!(
        w.ledger.next_deadline().map(|d| d.at),
        Some(t("2026-03-02 12:12")),
        "the complaint's acknowledgement warning comes first"
    );
    w.at("2026-03-05 09:00");
    let events = w
        .when(
            ONA,
            CompleteFollowUp {
                follow_up: F,
                outcome: FollowUpOutcome::Unreachable,
                note: None,
            },
        )
        .unwrap();
    assert!(events.iter().any(|e| matches!(
        e,
        Event::FollowUp(FollowUpEvent::Completed {
            outcome: FollowUpOutcome::Unreachable,
            timing: Outcome::Met,
            ..
        })
    )));
}

#[test]
fn the_remaining_transitions_each_work_as_the_diagram_says() {
    // acknowledged --escalate--> in_progress, and --resolve--> resolved
    let acknowledged = || {
        let mut w = world();
        w.at("2026-03-02 10:00");
        w.when(
            ONA,
            AcknowledgeComplaint {
                complaint: C,
                by: AGENT,
            },
        )
        .unwrap();
        w
    };
    let mut w = acknowledged();
    w.when(
        ONA,
        EscalateComplaint {
            complaint: C,
            to_level: 1,
            owner: JONAS,
        },
    )
    .unwrap();
    assert_eq!(stage(&w), ComplaintStage::InProgress);
    let mut w = acknowledged();
    w.when(ONA, resolve(Some(F))).unwrap();
    assert_eq!(stage(&w), ComplaintStage::Resolved);

    // in_progress --assign--> in_progress (a new owner at the same level)
    let mut w = in_progress();
    w.when(
        ONA,
        AssignComplaint {
            complaint: C,
            owner: DAIVA,
        },
    )
    .unwrap();
    assert_eq!(
        (stage(&w), w.relationship(ONA).complaint(C).unwrap().owner),
        (ComplaintStage::InProgress, Some(DAIVA))
    );
    assert_eq!(
        w.when(
            ONA,
            AssignComplaint {
                complaint: C,
                owner: DAIVA
            }
        )
        .unwrap_err(),
        CommandError::NothingToChange
    );

    // waiting --assign / escalate--> waiting; waiting --resolve--> resolved
    let waiting = || {
        let mut w = in_progress();
        w.at("2026-03-02 11:00");
        w.when(ONA, AwaitCustomer { complaint: C }).unwrap();
        w
    };
    let mut w = waiting();
    w.when(
        ONA,
        AssignComplaint {
            complaint: C,
            owner: DAIVA,
        },
    )
    .unwrap();
    w.when(
        ONA,
        EscalateComplaint {
            complaint: C,
            to_level: 1,
            owner: DAIVA,
        },
    )
    .unwrap();
    assert_eq!(stage(&w), ComplaintStage::Waiting);
    // The new level's clock starts paused too.
    assert!(w.run_until("2026-03-20 00:00", 10).is_empty());
    w.assert_replay_matches();
    let mut w = waiting();
    w.at("2026-03-03 11:00");
    let events = w.when(ONA, resolve(Some(F))).unwrap();
    // Resolved while waiting: measured when the wait began, so the wait does not count.
    assert!(matches!(
        events[0],
        Event::Complaint(ComplaintEvent::Resolved {
            outcome: Outcome::Met,
            ..
        })
    ));

    // closed --reopen--> in_progress
    let mut w = in_progress();
    w.when(ONA, resolve(Some(F))).unwrap();
    w.when(ONA, CloseComplaint { complaint: C }).unwrap();
    w.at("2026-03-04 10:00");
    w.when(
        ONA,
        ReopenComplaint {
            complaint: C,
            reason: text("It broke again").into(),
        },
    )
    .unwrap();
    assert_eq!(stage(&w), ComplaintStage::InProgress);
    w.assert_replay_matches();
}

#[test]
fn resolved_without_acknowledgement_after_its_due_the_acknowledgement_target_is_missed() {
    let mut w = world();
    w.at("2026-03-02 14:00");
    let events = w.when(ONA, resolve(Some(F))).unwrap();
    let Some(Event::Complaint(ComplaintEvent::Resolved {
        acknowledgement, ..
    })) = events
        .iter()
        .find(|e| matches!(e, Event::Complaint(ComplaintEvent::Resolved { .. })))
    else {
        panic!("{events:?}")
    };
    assert_eq!(
        *acknowledgement,
        Some(Outcome::Missed {
            lateness: Lateness {
                wall: Span::hours(1),
                business: Span::hours(1)
            }
        })
    );
    w.assert_replay_matches();
}

/// A stored clock event that names another due instant than its clock's (a tampered or
/// mixed-up log) is refused on replay.
#[test]
fn replay_refuses_a_clock_breach_that_names_another_due_instant() {
    use clientele::{Relationship, ReplayError};
    // Given the acknowledgement target (4 h) passing unanswered,
    let mut w = world();
    w.run_until("2026-03-02 14:00", 10);
    let log = w.log.clone();
    assert!(Relationship::replay(ONA, &log).is_ok());
    let at = log
        .iter()
        .position(|e| e.event.kind() == "complaint_clock_breached")
        .unwrap();
    // when its breach is stored with another due instant,
    let mut relationship = Relationship::replay(ONA, &log[..at]).unwrap();
    let mut breach = log[at].clone();
    if let Event::Complaint(ComplaintEvent::ClockBreached { due, .. }) = &mut breach.event {
        *due = t("2026-03-02 12:00");
    }
    // then it does not fit.
    let result = relationship.apply(&breach);
    assert!(
        matches!(
            &result,
            Err(ReplayError::DoesNotFit {
                kind: "complaint_clock_breached",
                ..
            })
        ),
        "{result:?}"
    );
}

/// Put on hold for an hour, resolved, then reopened 11 h later with the clock continuing: the
/// due instant leaves out both spans, and so does the clock's total paused time.
#[test]
fn a_reopen_that_continues_the_clock_counts_the_time_set_aside_as_paused() {
    // Given a complaint waiting on the customer from 12:00 to 13:00 and resolved at 14:00,
    let mut w = in_progress();
    w.at("2026-03-02 12:00");
    w.when(ONA, AwaitCustomer { complaint: C }).unwrap();
    w.at("2026-03-02 13:00");
    w.when(ONA, ResumeComplaint { complaint: C }).unwrap();
    w.at("2026-03-02 14:00");
    w.when(ONA, resolve(Some(F))).unwrap();
    // when it is reopened 11 h later and the clock goes on,
    w.at("2026-03-03 01:00");
    w.when(
        ONA,
        ReopenComplaint {
            complaint: C,
            reason: text("Still scratched").into(),
        },
    )
    .unwrap();
    // then 4 h of the 40 h were used (09:00 to 12:00, 13:00 to 14:00): 36 h are left,
    let complaint = w.relationship(ONA).complaint(C).unwrap();
    assert_eq!(complaint.resolution.terms.due, Some(t("2026-03-04 13:00")));
    // and the clock was paused 1 h + 11 h in all, across the resolution.
    let policy = w.ledger.policy();
    assert_eq!(
        complaint.resolution.paused_total(policy),
        Ok(Span::seconds(43_200))
    );
    assert_eq!(complaint.resolution.paused, Span::hours(1));
    assert_eq!(
        complaint.resolution.set_aside,
        [(t("2026-03-02 14:00"), t("2026-03-03 01:00"))]
    );
    w.assert_replay_matches();
}

/// A complaint recorded as about a promise escalates when that promise, re-promised, breaks
/// again: as it does for a promise made in answer to the complaint, and once.
#[test]
fn a_complaint_about_a_promise_that_breaks_again_makes_escalation_due() {
    // Given a promise that broke at noon, and a complaint about it,
    let mut w = World::new(ServicePolicy::default(), "2026-03-02 09:00");
    w.given_customer(ONA, "standard");
    let promise = PromiseId::from_u128(0x91);
    w.when(
        ONA,
        MakePromise::new(
            promise,
            text("Glasses by noon"),
            t("2026-03-02 12:00"),
            JONAS,
        ),
    )
    .unwrap();
    w.run_until("2026-03-02 12:00", 10);
    w.at("2026-03-02 12:30");
    w.when(
        ONA,
        ReceiveComplaint::new(C, Channel::Phone, text("No glasses")).about_promise(promise),
    )
    .unwrap();
    w.when(
        ONA,
        RevisePromise {
            promise,
            due: t("2026-03-02 15:00"),
            reason: text("Lab").into(),
            customer_agreed: true,
        },
    )
    .unwrap();
    // when the new date passes, the level view says escalation is due before `advance_to`,
    let escalation = |w: &World| {
        w.relationship(ONA)
            .flags(t("2026-03-02 15:00"))
            .into_iter()
            .filter(|f| f.kind == FlagKind::EscalationDue)
            .map(|f| (f.subject, f.since))
            .collect::<Vec<_>>()
    };
    let expected = [(clientele::Subject::Complaint(C), t("2026-03-02 15:00"))];
    assert_eq!(escalation(&w), expected);
    // and `advance_to` records it, once.
    let second = w.run_until("2026-03-02 15:00", 10);
    assert_eq!(
        second
            .iter()
            .filter(|e| matches!(
                e.event,
                Event::Complaint(ComplaintEvent::EscalationDue {
                    complaint: C,
                    reason: EscalationReason::PromiseBrokenAgain,
                    ..
                })
            ))
            .count(),
        1,
        "{:?}",
        envelope_kinds(&second)
    );
    assert_eq!(escalation(&w), expected);
    w.assert_replay_matches();
}

/// At the top of the ladder there is nowhere to escalate: a reopen there is recorded at the top
/// level and flagged for the complaint's owner, and demands no escalation.
#[test]
fn a_reopen_at_the_top_of_the_ladder_is_flagged_for_the_owner_and_demands_no_escalation() {
    // Given a complaint escalated to management (the top) and resolved,
    let mut w = in_progress();
    escalate_to_management(&mut w, "2026-03-02 11:00");
    w.at("2026-03-02 15:00");
    w.when(ONA, resolve(Some(F))).unwrap();
    // when the follow-up finds the customer not satisfied and reopens it,
    w.at("2026-03-02 16:00");
    let events = w
        .when(
            ONA,
            CompleteFollowUp {
                follow_up: F,
                outcome: FollowUpOutcome::NotSatisfied,
                note: None,
            },
        )
        .unwrap();
    // then the reopen is recorded at the top level, with no escalation due,
    assert_eq!(
        kinds(&events),
        // (an unsatisfied follow-up puts the relationship at risk on its own)
        [
            "follow_up_completed",
            "complaint_reopened",
            "relationship_at_risk"
        ]
    );
    let complaint = w.relationship(ONA).complaint(C).unwrap();
    assert_eq!((complaint.level, complaint.escalation_due), (2, None));
    // and the owner is told it is back.
    let flags = w.ledger.flags(t("2026-03-02 16:00"));
    assert_eq!(
        flags
            .iter()
            .filter(|f| f.kind != FlagKind::RelationshipAtRisk)
            .map(|f| (f.kind, f.subject, f.owner, f.since))
            .collect::<Vec<_>>(),
        [(
            FlagKind::ReopenedAtTop,
            clientele::Subject::Complaint(C),
            Some(DAIVA),
            t("2026-03-02 16:00")
        )]
    );
    // Resolving it again clears the flag.
    w.at("2026-03-02 17:00");
    w.when(ONA, resolve(Some(FollowUpId::from_u128(0xf2))))
        .unwrap();
    // (the unsatisfied answer keeps the relationship at risk for its window)
    assert!(
        w.ledger
            .flags(t("2026-03-02 17:00"))
            .iter()
            .all(|f| f.kind == FlagKind::RelationshipAtRisk)
    );
    w.assert_replay_matches();
}

/// Below the top, a reopen still makes escalation due, and raises no "reopened at the top".
#[test]
fn a_reopen_below_the_top_makes_escalation_due_and_is_not_flagged_as_at_the_top() {
    let mut w = in_progress();
    w.at("2026-03-02 15:00");
    w.when(ONA, resolve(Some(F))).unwrap();
    w.at("2026-03-02 16:00");
    w.when(
        ONA,
        ReopenComplaint {
            complaint: C,
            reason: text("Still broken").into(),
        },
    )
    .unwrap();
    let flags: Vec<_> = w
        .ledger
        .flags(t("2026-03-02 16:00"))
        .into_iter()
        .map(|f| f.kind)
        .collect();
    assert_eq!(flags, [FlagKind::EscalationDue]);
}
