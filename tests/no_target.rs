//! No fact is ever refused for want of a deadline (issue 13, section 1), given / when / then.
//!
//! A message, the customer's answer to a complaint waiting on them, a follow-up call: each is
//! recorded even when its clock's deadline cannot be computed. The clock then records that it
//! has no target and why, never falls due, and is flagged to its owner.

mod support;

use chrono::{DateTime, NaiveDate, Utc};
use clientele::calendar::WallTime;
use clientele::complaint::ClockTerms;
use clientele::outcome::{NoTarget, Outcome};
use clientele::{
    AcknowledgeComplaint, AgentId, AssignComplaint, AwaitCustomer, Channel, CommandError,
    ComplaintId, CompleteFollowUp, CustomerId, DeadlineKind, Event, FlagKind, FollowUpId,
    FollowUpOutcome, Priority, ReceiveComplaint, RegisterCustomer, Relationship, ResolveComplaint,
    ResumeComplaint, ServiceCalendar, ServicePolicy, Span, Subject,
};
use clientele::{ComplaintEvent, FollowUpEvent, ResponseEvent};
use support::*;

const C: ComplaintId = ComplaintId::from_u128(0xc1);
const F: FollowUpId = FollowUpId::from_u128(0xf1);
const JONAS: AgentId = AgentId::from_u128(101);
const DESK: &str = "complaints desk";

/// Weekdays 9 to 17 in Vilnius.
fn desk_calendar() -> ServiceCalendar {
    ServiceCalendar::builder("Europe/Vilnius")
        .unwrap()
        .weekdays(WallTime::hm(9, 0).unwrap(), WallTime::hm(17, 0).unwrap())
        .build()
        .unwrap()
}

/// Complaints resolved on the desk calendar; everything else always open.
fn desk_policy() -> ServicePolicy {
    let mut policy = ServicePolicy::default();
    policy.calendars.insert(DESK.into(), desk_calendar());
    for priority in [
        Priority::Low,
        Priority::Normal,
        Priority::High,
        Priority::Urgent,
    ] {
        policy.complaints.resolve = policy.complaints.resolve.on_calendar(priority, DESK);
    }
    policy.validate().unwrap();
    policy
}

/// The same policy after the desk calendar was retired: it validates, and no longer knows it.
fn retired(policy: &ServicePolicy) -> ServicePolicy {
    let mut policy = policy.clone();
    policy.complaints.resolve.calendars.clear();
    policy.calendars.remove(DESK);
    policy.validate().unwrap();
    policy
}

/// A relationship driven command by command, with the policy of the moment.
struct Desk {
    relationship: Relationship,
    log: Vec<clientele::Envelope>,
}

impl Desk {
    fn new(policy: &ServicePolicy, at: &str) -> Self {
        let mut desk = Self {
            relationship: Relationship::new(ONA),
            log: Vec::new(),
        };
        desk.when(
            policy,
            at,
            RegisterCustomer::new(text("Ona"), tier("standard")).owned_by(AGENT),
        )
        .unwrap();
        desk
    }

    fn when(
        &mut self,
        policy: &ServicePolicy,
        at: &str,
        command: impl Into<clientele::Command>,
    ) -> Result<Vec<Event>, CommandError> {
        let envelopes = self.relationship.execute(policy, command.into(), t(at))?;
        self.log.extend(envelopes.iter().cloned());
        Ok(envelopes.into_iter().map(|e| e.event).collect())
    }

    fn flags_of(&self, at: &str, kind: FlagKind) -> Vec<clientele::Flag> {
        self.relationship
            .flags(t(at))
            .into_iter()
            .filter(|f| f.kind == kind)
            .collect()
    }

    fn replays(&self) {
        assert_eq!(
            Relationship::replay(ONA, &self.log).unwrap(),
            self.relationship
        );
    }
}

/// Received Monday 2 March 09:00, acknowledged and owned by Jonas, waiting on the customer
/// since 11:00.
fn waiting_on_the_customer(policy: &ServicePolicy) -> Desk {
    let mut desk = Desk::new(policy, "2026-03-02 09:00");
    desk.when(
        policy,
        "2026-03-02 09:00",
        ReceiveComplaint::new(C, Channel::Phone, text("Wrong lenses")),
    )
    .unwrap();
    desk.when(
        policy,
        "2026-03-02 10:00",
        AcknowledgeComplaint {
            complaint: C,
            by: JONAS,
        },
    )
    .unwrap();
    desk.when(
        policy,
        "2026-03-02 10:30",
        AssignComplaint {
            complaint: C,
            owner: JONAS,
        },
    )
    .unwrap();
    desk.when(policy, "2026-03-02 11:00", AwaitCustomer { complaint: C })
        .unwrap();
    desk
}

fn resolve(follow_up: Option<FollowUpId>) -> ResolveComplaint {
    ResolveComplaint {
        complaint: C,
        by: JONAS,
        remedy: None,
        apology: true,
        summary: text("New lenses fitted").into(),
        follow_up,
    }
}

#[test]
fn the_customers_answer_is_recorded_after_the_calendar_of_the_waiting_complaint_was_retired() {
    let before = desk_policy();
    let mut desk = waiting_on_the_customer(&before);
    let after = retired(&before);

    // Refused with `UnknownCalendar` before this change.
    let events = desk
        .when(&after, "2026-03-04 12:00", ResumeComplaint { complaint: C })
        .unwrap();
    let Event::Complaint(ComplaintEvent::Resumed {
        paused,
        resolution: Some(resolution),
        ..
    }) = &events[0]
    else {
        panic!("expected the resumption, got {events:?}");
    };
    // The pause is measured by the wall clock, the calendar being gone.
    assert_eq!(*paused, Span::hours(49));
    assert_eq!(
        *resolution,
        ClockTerms {
            target: Span::hours(40),
            calendar: Some(DESK.into()),
            due: None,
            no_target: Some(NoTarget::UnknownCalendar { name: DESK.into() }),
            warn_at: None,
        }
    );
    // It never falls due (the escalation threshold, on the policy's own calendar, still
    // does), and Jonas sees it has no target since the customer answered.
    assert_eq!(
        desk.relationship.next_deadline().map(|d| d.kind()),
        Some(DeadlineKind::EscalationThreshold)
    );
    let fired = desk.relationship.advance_to(&after, t("2026-03-04 18:00"));
    desk.log.extend(fired);
    assert_eq!(desk.relationship.next_deadline(), None);
    let flags = desk.flags_of("2026-04-30 12:00", FlagKind::NoTarget);
    assert_eq!(flags.len(), 1, "{flags:?}");
    assert_eq!(flags[0].subject, Subject::Complaint(C));
    assert_eq!(flags[0].owner, Some(JONAS));
    assert_eq!(flags[0].since, t("2026-03-04 12:00"));
    assert!(
        desk.flags_of("2026-04-30 12:00", FlagKind::ComplaintClockBreached)
            .is_empty()
    );

    // Resolving it records the fact: untimed, neither on time nor late.
    let events = desk
        .when(&after, "2026-03-05 12:00", resolve(Some(F)))
        .unwrap();
    assert!(matches!(
        &events[0],
        Event::Complaint(ComplaintEvent::Resolved {
            outcome: Outcome::Untimed,
            ..
        })
    ));
    assert!(
        desk.flags_of("2026-03-05 12:00", FlagKind::NoTarget)
            .is_empty()
    );
    desk.replays();
}

#[test]
fn a_resumed_clock_carries_on_on_its_calendar_while_the_policy_still_has_it() {
    let policy = desk_policy();
    let mut desk = waiting_on_the_customer(&policy);
    let events = desk
        .when(
            &policy,
            "2026-03-04 12:00",
            ResumeComplaint { complaint: C },
        )
        .unwrap();
    let Event::Complaint(ComplaintEvent::Resumed {
        resolution: Some(resolution),
        ..
    }) = &events[0]
    else {
        panic!("{events:?}");
    };
    assert!(resolution.due.is_some() && resolution.no_target.is_none());
    assert!(
        desk.flags_of("2026-03-04 12:00", FlagKind::NoTarget)
            .is_empty()
    );
}

#[test]
fn a_not_satisfied_follow_up_is_recorded_after_the_calendar_of_its_complaint_was_retired() {
    let before = desk_policy();
    let mut desk = waiting_on_the_customer(&before);
    desk.when(
        &before,
        "2026-03-02 12:00",
        ResumeComplaint { complaint: C },
    )
    .unwrap();
    desk.when(&before, "2026-03-02 15:00", resolve(Some(F)))
        .unwrap();
    let after = retired(&before);

    // Refused with `UnknownCalendar` before this change: the reopen it causes continues the
    // resolution clock on the retired calendar.
    let events = desk
        .when(
            &after,
            "2026-03-03 14:00",
            CompleteFollowUp {
                follow_up: F,
                outcome: FollowUpOutcome::NotSatisfied,
                note: Some(text("Still blurry").into()),
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
    let Event::Complaint(ComplaintEvent::Reopened { resolution, .. }) = &events[1] else {
        panic!("{events:?}");
    };
    assert_eq!(resolution.due, None);
    assert_eq!(
        resolution.no_target,
        Some(NoTarget::UnknownCalendar { name: DESK.into() })
    );
    let flags = desk.flags_of("2026-03-03 14:00", FlagKind::NoTarget);
    assert_eq!(flags.len(), 1, "{flags:?}");
    assert_eq!(
        (flags[0].owner, flags[0].since),
        (Some(JONAS), t("2026-03-03 14:00"))
    );
    desk.replays();
}

/// Vilnius, open 9 to 17 on the first twenty days of June 2026 and never after.
fn june_calendar() -> ServiceCalendar {
    let nine = WallTime::hm(9, 0).unwrap();
    let five = WallTime::hm(17, 0).unwrap();
    (1..=20)
        .fold(
            ServiceCalendar::builder("Europe/Vilnius").unwrap(),
            |builder, day| builder.open(NaiveDate::from_ymd_opt(2026, 6, day).unwrap(), nine, five),
        )
        .build()
        .unwrap()
}

fn june_policy() -> ServicePolicy {
    let policy = ServicePolicy {
        calendar: june_calendar(),
        ..ServicePolicy::default()
    };
    policy.validate().unwrap();
    policy
}

#[test]
fn a_message_after_the_last_working_day_is_recorded_with_no_target() {
    let policy = june_policy();
    let mut desk = Desk::new(&policy, "2026-06-01 09:00");
    // Refused with `NoWorkingTime` before this change.
    let events = desk
        .when(&policy, "2026-06-30 10:00", inbound(1, Channel::Email))
        .unwrap();
    assert_eq!(
        kinds(&events),
        ["interaction_recorded", "response_clock_started"]
    );
    assert!(matches!(
        &events[1],
        Event::Response(ResponseEvent::ClockStarted {
            due: None,
            no_target: Some(NoTarget::NoWorkingTime),
            warn_at: None,
            ..
        })
    ));
    assert_eq!(desk.relationship.next_deadline(), None);
    let flags = desk.flags_of("2026-07-30 10:00", FlagKind::NoTarget);
    assert_eq!(flags.len(), 1, "{flags:?}");
    assert_eq!(
        (
            flags[0].subject,
            flags[0].owner,
            flags[0].since,
            flags[0].due
        ),
        (
            Subject::Response(clientele::InteractionId::from_u128(1)),
            Some(AGENT),
            t("2026-06-30 10:00"),
            None
        )
    );
    assert!(
        desk.flags_of("2026-07-30 10:00", FlagKind::ResponseOverdue)
            .is_empty()
    );

    // The answer is recorded, untimed; the wait is measured by the wall clock.
    let events = desk
        .when(&policy, "2026-07-01 10:00", outbound(2, Channel::Email))
        .unwrap();
    let Event::Response(ResponseEvent::ClockStopped {
        due,
        waited,
        outcome,
        ..
    }) = &events[1]
    else {
        panic!("{events:?}");
    };
    assert_eq!((*due, *outcome), (None, Outcome::Untimed));
    assert_eq!(waited.wall, Span::hours(24));
    assert!(desk.relationship.flags(t("2026-07-01 10:00")).is_empty());
    desk.replays();
}

#[test]
fn a_complaint_whose_target_outlasts_the_working_days_is_recorded_with_no_resolution_target() {
    let policy = june_policy();
    let mut desk = Desk::new(&policy, "2026-06-01 09:00");
    // 19 June 09:00 Vilnius: 16 working hours are left, the resolution needs 40. Refused with
    // `NoWorkingTime` before this change.
    let events = desk
        .when(
            &policy,
            "2026-06-19 06:00",
            ReceiveComplaint::new(C, Channel::Phone, text("Frames cracked")),
        )
        .unwrap();
    let Event::Complaint(ComplaintEvent::Received {
        acknowledgement,
        resolution,
        escalation,
        ..
    }) = &events[0]
    else {
        panic!("{events:?}");
    };
    // What can be computed is: 4 h to acknowledge, 8 h at the front line.
    assert_eq!(acknowledgement.due, Some(t("2026-06-19 10:00")));
    assert_eq!(
        escalation.as_ref().and_then(|e| e.due),
        Some(t("2026-06-19 14:00"))
    );
    assert_eq!(resolution.due, None);
    assert_eq!(resolution.no_target, Some(NoTarget::NoWorkingTime));
    let flags = desk.flags_of("2026-06-19 06:00", FlagKind::NoTarget);
    assert_eq!(flags.len(), 1, "{flags:?}");
    assert_eq!(
        (flags[0].subject, flags[0].owner, flags[0].since),
        (Subject::Complaint(C), Some(AGENT), t("2026-06-19 06:00"))
    );
    // The clocks that have a target still fall due.
    assert_eq!(
        desk.relationship.next_deadline().map(|d| d.at),
        Some(t("2026-06-19 09:12"))
    );
    desk.replays();
}

#[test]
fn a_follow_up_whose_delay_cannot_be_computed_is_scheduled_with_no_due_instant() {
    let policy = june_policy();
    let mut desk = Desk::new(&policy, "2026-06-01 09:00");
    let mut quick = policy.clone();
    quick.complaints.resolve_unacknowledged = true;
    desk.when(
        &quick,
        "2026-06-19 06:00",
        ReceiveComplaint::new(C, Channel::Phone, text("Frames cracked")),
    )
    .unwrap();
    // 24 business hours after 19 June 12:00 lie past 20 June: no due instant.
    let events = desk
        .when(&quick, "2026-06-19 09:00", resolve(Some(F)))
        .unwrap();
    assert!(matches!(
        &events[1],
        Event::FollowUp(FollowUpEvent::Scheduled {
            due: None,
            no_target: Some(NoTarget::NoWorkingTime),
            ..
        })
    ));
    let flags = desk.flags_of("2026-07-19 09:00", FlagKind::NoTarget);
    assert_eq!(flags.len(), 1, "{flags:?}");
    assert_eq!(flags[0].subject, Subject::FollowUp(F));
    assert!(
        desk.flags_of("2026-07-19 09:00", FlagKind::FollowUpOverdue)
            .is_empty()
    );
    let events = desk
        .when(
            &quick,
            "2026-07-20 09:00",
            CompleteFollowUp {
                follow_up: F,
                outcome: FollowUpOutcome::Satisfied,
                note: None,
            },
        )
        .unwrap();
    assert!(matches!(
        &events[0],
        Event::FollowUp(FollowUpEvent::Completed {
            timing: Outcome::Untimed,
            ..
        })
    ));
    desk.replays();
}

#[test]
fn untimed_answers_count_apart_from_the_outcomes_against_a_target() {
    let policy = june_policy();
    let mut desk = Desk::new(&policy, "2026-06-01 09:00");
    desk.when(&policy, "2026-06-30 10:00", inbound(1, Channel::Email))
        .unwrap();
    desk.when(&policy, "2026-07-01 10:00", outbound(2, Channel::Email))
        .unwrap();
    let tally = clientele::Tally::from_log(clientele::Window::all(), &desk.log).unwrap();
    let first = &tally.book().responses.first_response;
    assert_eq!((first.outcomes.untimed, first.outcomes.total()), (1, 0));
    assert_eq!(first.answered(), 1);
    assert_eq!(
        first.within_target(),
        None,
        "an untimed answer is neither on time nor late"
    );
    assert_eq!(
        first.wall.count(),
        1,
        "how long the customer waited still counts"
    );
}

/// Facts about a few ids: what a desk really records, in any order, at any time.
fn fact() -> impl proptest::strategy::Strategy<Value = (u8, clientele::Command)> {
    use clientele::Command;
    use proptest::prelude::*;
    let complaint = (1u128..3).prop_map(ComplaintId::from_u128);
    let follow_up = (1u128..3).prop_map(FollowUpId::from_u128);
    let interaction = 1u128..40;
    prop_oneof![
        (interaction.clone(), any::<bool>()).prop_map(|(n, awaits)| {
            let record = inbound(n, Channel::Email);
            Command::from(if awaits {
                record
            } else {
                record.no_reply_needed()
            })
        }),
        interaction.prop_map(|n| Command::from(outbound(n, Channel::Email))),
        (complaint.clone(), 0u8..4).prop_map(|(c, p)| {
            let priority = [
                Priority::Low,
                Priority::Normal,
                Priority::High,
                Priority::Urgent,
            ][usize::from(p)];
            ReceiveComplaint::new(c, Channel::Phone, text("x"))
                .priority(priority)
                .into()
        }),
        complaint
            .clone()
            .prop_map(|complaint| AcknowledgeComplaint {
                complaint,
                by: JONAS
            }
            .into()),
        complaint.clone().prop_map(|complaint| AssignComplaint {
            complaint,
            owner: JONAS
        }
        .into()),
        complaint
            .clone()
            .prop_map(|complaint| AwaitCustomer { complaint }.into()),
        complaint
            .clone()
            .prop_map(|complaint| ResumeComplaint { complaint }.into()),
        (complaint.clone(), follow_up.clone()).prop_map(|(complaint, f)| ResolveComplaint {
            complaint,
            follow_up: Some(f),
            ..resolve(None)
        }
        .into()),
        (complaint, 1u32..3).prop_map(|(complaint, to_level)| clientele::EscalateComplaint {
            complaint,
            to_level,
            owner: JONAS,
        }
        .into()),
        (follow_up, 0u8..3).prop_map(|(follow_up, o)| CompleteFollowUp {
            follow_up,
            outcome: [
                FollowUpOutcome::Satisfied,
                FollowUpOutcome::NotSatisfied,
                FollowUpOutcome::Unreachable
            ][usize::from(o)],
            note: None,
        }
        .into()),
        (complaint_id_for_reopen(), any::<bool>()).prop_map(|(complaint, _)| {
            clientele::ReopenComplaint {
                complaint,
                reason: text("again").into(),
            }
            .into()
        }),
    ]
    .prop_flat_map(|command| (0u8..8, Just(command)))
}

fn complaint_id_for_reopen() -> impl proptest::strategy::Strategy<Value = ComplaintId> {
    use proptest::prelude::*;
    (1u128..3).prop_map(ComplaintId::from_u128)
}

/// Policies whose targets, thresholds and follow-ups run on named calendars: a working one, a
/// short one (open only in the first days of June 2026), by index.
fn calendared_policy(choices: &[u8; 7], short_own: bool) -> ServicePolicy {
    let mut policy = ServicePolicy::default();
    if short_own {
        policy.calendar = june_calendar();
    }
    policy.calendars.insert("desk".into(), desk_calendar());
    policy.calendars.insert("june".into(), june_calendar());
    let name = |n: u8| match n % 3 {
        0 => None,
        1 => Some("desk".to_owned()),
        _ => Some("june".to_owned()),
    };
    let priority = |n: u8| {
        [
            Priority::Low,
            Priority::Normal,
            Priority::High,
            Priority::Urgent,
        ][usize::from(n % 4)]
    };
    let [a, b, c, d, e, f, g] = *choices;
    for (table, n) in [
        (&mut policy.first_response, a),
        (&mut policy.reply, b),
        (&mut policy.complaints.acknowledge, c),
        (&mut policy.complaints.resolve, d),
    ] {
        if let Some(name) = name(n) {
            *table = table.clone().on_calendar(priority(n / 3), name);
        }
    }
    for level in &mut policy.complaints.levels {
        level.calendar = name(e);
    }
    policy.complaints.follow_up_calendar = name(f);
    policy.complaints.reopen = [
        clientele::policy::ReopenMode::Continue,
        clientele::policy::ReopenMode::Restart,
        clientele::policy::ReopenMode::NewCycle,
    ][usize::from(g % 3)];
    policy.validate().unwrap();
    policy
}

/// The policy with one named calendar retired: no target names it any more, and it is gone.
fn retire(policy: &ServicePolicy, name: &str) -> ServicePolicy {
    let mut policy = policy.clone();
    for table in [
        &mut policy.first_response,
        &mut policy.reply,
        &mut policy.complaints.acknowledge,
        &mut policy.complaints.resolve,
    ] {
        table.calendars.retain(|_, n| n != name);
    }
    for level in &mut policy.complaints.levels {
        level.calendar = level.calendar.take().filter(|n| n != name);
    }
    policy.complaints.follow_up_calendar = policy
        .complaints
        .follow_up_calendar
        .take()
        .filter(|n| n != name);
    policy.calendars.remove(name);
    policy.validate().unwrap();
    policy
}

fn is_deadline_refusal(error: &CommandError) -> bool {
    matches!(
        error,
        CommandError::UnknownCalendar(_) | CommandError::Calendar(_)
    )
}

proptest::proptest! {
    /// No command that describes a real fact is refused for a deadline reason: with targets,
    /// thresholds and follow-ups on working, short and retired calendars, whatever is refused
    /// is refused for contradicting the state (an unknown id, a duplicate, a forbidden
    /// transition), never `UnknownCalendar` or a calendar that cannot answer. The log replays
    /// to the same relationship, and no clock with no target ever falls due.
    #[test]
    fn no_command_that_describes_a_real_fact_is_refused_for_a_deadline_reason(
        choices in proptest::array::uniform7(0u8..12),
        short_own in proptest::bool::ANY,
        retire_after in 0usize..30,
        retired_name in proptest::sample::select(vec!["desk", "june"]),
        facts in proptest::collection::vec(fact(), 1..30),
    ) {
        let start = calendared_policy(&choices, short_own);
        let later = retire(&start, retired_name);
        let customer = CustomerId::from_u128(0x0a);
        let mut relationship = Relationship::new(customer);
        let mut log = Vec::new();
        let mut now: DateTime<Utc> = t("2026-06-15 08:00");
        log.extend(relationship
            .execute(&start, RegisterCustomer::new(text("Ona"), tier("standard")).owned_by(AGENT), now)
            .unwrap());
        for (n, (hours, command)) in facts.iter().enumerate() {
            now += chrono::TimeDelta::hours(i64::from(*hours) * 3);
            let policy = if n < retire_after { &start } else { &later };
            log.extend(relationship.advance_to(policy, now));
            if let Some(deadline) = relationship.next_deadline() {
                proptest::prop_assert!(deadline.at > now, "{:?} is due at {}", deadline, now);
            }
            let before = relationship.clone();
            match relationship.execute(policy, command.clone(), now) {
                Ok(envelopes) => log.extend(envelopes),
                Err(error) => {
                    proptest::prop_assert!(
                        !is_deadline_refusal(&error),
                        "{:?} refused for a deadline reason: {}", command, error
                    );
                    proptest::prop_assert_eq!(&relationship, &before);
                }
            }

        }
        let replayed = Relationship::replay(customer, &log).unwrap();
        proptest::prop_assert_eq!(&replayed, &relationship);
        // A clock with no target is flagged, never due.
        for flag in relationship.flags(now) {
            if flag.kind == FlagKind::NoTarget {
                proptest::prop_assert_eq!(flag.due, None);
            }
        }
    }
}
