//! Facts reported late, given / when / then: a command says when the thing happened
//! ([`Request::occurred_at`]); the envelope keeps when it was recorded; recorded events are
//! never rewritten; measures and replay use the real times (the property over every family is
//! in `late_facts_property.rs`).

mod support;

use chrono::{DateTime, TimeDelta, Utc};
use clientele::outcome::{Elapsed, Outcome};
use clientele::promise::RevisionTiming;
use clientele::response::{ClockKind, ResponseClock};
use clientele::survey::{SurveyAnswer, SurveyKind};
use clientele::{
    AcknowledgeComplaint, AnswerSurvey, AssignComplaint, AwaitCustomer, Channel, Command,
    CommandError, ComplaintEvent, ComplaintId, CompleteFollowUp, CsatScore, Envelope,
    ErasePersonalData, Event, FactItem, FollowUpEvent, FollowUpId, FollowUpOutcome, InteractionId,
    KeepPromise, MakePromise, Priority, PromiseEvent, PromiseId, ReceiveComplaint, Relationship,
    ReplayError, Request, RequestEscalation, RequestSurvey, ResolveComplaint, ResponseEvent,
    ResumeComplaint, RevisePromise, SCHEMA_VERSION, ServicePolicy, Span, SurveyId, Tally,
    UpdateProfile, Window,
};
use support::*;

fn policy() -> ServicePolicy {
    hourly_response_policy()
}

fn world() -> World {
    let mut world = World::new(policy(), "2026-03-06 09:00");
    world.given_customer(ONA, "standard");
    world
}

/// Records, at the world's current time, `command` as having happened at `happened`.
fn late(
    w: &mut World,
    happened: &str,
    command: impl Into<Command>,
) -> Result<Vec<Envelope>, CommandError> {
    let request = Request::new(command).occurred_at(t(happened));
    let envelopes = w.ledger.execute_request(ONA, request, w.now)?;
    w.log.extend(envelopes.iter().cloned());
    Ok(envelopes)
}

fn glasses(id: u128, due: &str) -> MakePromise {
    MakePromise::new(PromiseId::from_u128(id), text("glasses"), t(due), AGENT)
}

fn keep(id: u128) -> KeepPromise {
    KeepPromise {
        promise: PromiseId::from_u128(id),
    }
}

fn rename() -> UpdateProfile {
    UpdateProfile {
        name: Some(text("Ona P.").into()),
        ..UpdateProfile::default()
    }
}

fn stopped(envelopes: &[Envelope]) -> (&Envelope, Elapsed, Outcome) {
    envelopes
        .iter()
        .find_map(|e| match &e.event {
            Event::Response(ResponseEvent::ClockStopped {
                waited, outcome, ..
            }) => Some((e, *waited, *outcome)),
            _ => None,
        })
        .expect("the clock stopped")
}

#[test]
fn a_call_logged_late_stops_the_clock_at_its_real_time_and_is_met() {
    let mut w = world();
    w.at("2026-03-06 09:30");
    w.when(ONA, inbound(1, Channel::Email)).unwrap();
    w.at("2026-03-06 10:30");
    w.when(ONA, rename()).unwrap();
    // At 11:00 the agent logs the call of 10:00.
    w.at("2026-03-06 11:00");
    let envelopes = late(&mut w, "2026-03-06 10:00", outbound(2, Channel::Phone)).unwrap();
    assert_eq!(
        envelope_kinds(&envelopes),
        ["interaction_recorded", "response_clock_stopped"]
    );
    for envelope in &envelopes {
        assert_eq!(envelope.at, t("2026-03-06 10:00"));
        assert_eq!(envelope.recorded, Some(t("2026-03-06 11:00")));
    }
    let (_, waited, outcome) = stopped(&envelopes);
    assert_eq!(waited.wall, Span::minutes(30));
    assert_eq!(outcome, Outcome::Met);
    assert_eq!(w.relationship(ONA).response_clock(), &ResponseClock::Idle);
    assert_eq!(w.relationship(ONA).last_seen(), Some(t("2026-03-06 11:00")));
    assert_eq!(
        w.relationship(ONA).latest_fact(),
        Some(t("2026-03-06 10:30"))
    );
    w.assert_replay_matches();
}

#[test]
fn an_answer_logged_late_after_its_deadline_records_the_breach_first_and_is_met_late() {
    let mut w = world();
    w.at("2026-03-06 09:10");
    w.when(ONA, inbound(1, Channel::Email).priority(Priority::High))
        .unwrap();
    // Nothing was recorded since; at 14:00 the answer of 13:40 is logged (due 13:10).
    w.at("2026-03-06 14:00");
    let envelopes = late(&mut w, "2026-03-06 13:40", outbound(2, Channel::Phone)).unwrap();
    assert_eq!(
        envelope_kinds(&envelopes)[..4],
        [
            "response_at_risk",
            "response_overdue",
            "interaction_recorded",
            "response_clock_stopped"
        ]
    );
    // The deadlines are dated at their instants, and were recorded then (nothing later was).
    assert_eq!(envelopes[1].at, t("2026-03-06 13:10"));
    assert_eq!(envelopes[1].recorded, None);
    let (answer, waited, outcome) = stopped(&envelopes);
    assert_eq!(answer.recorded, Some(t("2026-03-06 14:00")));
    assert_eq!(waited.wall, Span::minutes(270));
    assert!(matches!(outcome, Outcome::MetLate { lateness } if lateness.wall == Span::minutes(30)));
    w.assert_replay_matches();
}

#[test]
fn an_answer_logged_after_its_breach_was_recorded_leaves_the_breach_and_is_measured_to_its_real_time()
 {
    let mut w = world();
    w.at("2026-03-06 09:10");
    w.when(ONA, inbound(1, Channel::Email).priority(Priority::High))
        .unwrap();
    // Due 13:10: the breach is recorded at 13:30, before anyone logs the call of 12:40.
    let breach = w.ledger.advance_to(t("2026-03-06 13:30"));
    w.log.extend(breach.iter().cloned());
    assert_eq!(
        envelope_kinds(&breach)[..2],
        ["response_at_risk", "response_overdue"]
    );
    w.at("2026-03-06 14:00");
    let envelopes = late(&mut w, "2026-03-06 12:40", outbound(2, Channel::Phone)).unwrap();
    assert_eq!(
        envelope_kinds(&envelopes)[..2],
        ["interaction_recorded", "response_clock_stopped"]
    );
    // The breach stands in the log; the answer came before the due instant: met.
    let (_, waited, outcome) = stopped(&envelopes);
    assert_eq!(waited.wall, Span::minutes(210));
    assert_eq!(outcome, Outcome::Met);
    assert!(w.log.iter().any(|e| e.event.kind() == "response_overdue"));
    assert_eq!(w.relationship(ONA).response_clock(), &ResponseClock::Idle);
    w.assert_replay_matches();
}

#[test]
fn an_answer_after_the_due_instant_logged_after_the_breach_is_late_by_its_real_time() {
    let mut w = world();
    w.at("2026-03-06 09:10");
    w.when(ONA, inbound(1, Channel::Email).priority(Priority::High))
        .unwrap();
    let breach = w.ledger.advance_to(t("2026-03-06 15:00"));
    w.log.extend(breach.iter().cloned());
    w.at("2026-03-06 16:00");
    let envelopes = late(&mut w, "2026-03-06 13:40", outbound(2, Channel::Phone)).unwrap();
    // No second breach: the one recorded stands, and the lateness runs to 13:40, not 16:00.
    assert_eq!(
        envelope_kinds(&envelopes)[..2],
        ["interaction_recorded", "response_clock_stopped"]
    );
    let (_, _, outcome) = stopped(&envelopes);
    assert!(matches!(outcome, Outcome::MetLate { lateness } if lateness.wall == Span::minutes(30)));
    w.assert_replay_matches();
}

#[test]
fn an_older_message_logged_late_re_anchors_the_wait_on_itself() {
    let mut w = world();
    w.at("2026-03-06 10:30");
    w.when(ONA, inbound(1, Channel::Email)).unwrap();
    assert_eq!(
        w.relationship(ONA).response_clock().wait().unwrap().due,
        Some(t("2026-03-06 18:30"))
    );
    // At 11:00 the voicemail of 10:00 is logged: the oldest unanswered message fixes the
    // deadline.
    w.at("2026-03-06 11:00");
    let envelopes = late(&mut w, "2026-03-06 10:00", inbound(2, Channel::Phone)).unwrap();
    assert_eq!(
        envelope_kinds(&envelopes),
        ["interaction_recorded", "response_clock_started"]
    );
    assert!(matches!(
        &envelopes[1].event,
        Event::Response(ResponseEvent::ClockStarted { since, due: Some(due), kind: ClockKind::FirstResponse, .. })
            if *since == InteractionId::from_u128(2) && *due == t("2026-03-06 18:00")
    ));
    let wait = w.relationship(ONA).response_clock().wait().unwrap().clone();
    assert_eq!(wait.since, InteractionId::from_u128(2));
    assert_eq!(wait.started, t("2026-03-06 10:00"));
    assert_eq!(wait.due, Some(t("2026-03-06 18:00")));
    assert_eq!(wait.unanswered, 2);
    w.assert_replay_matches();
}

#[test]
fn a_re_anchored_wait_whose_deadline_passed_records_the_breach_at_once_dated_at_the_deadline() {
    let mut w = world();
    w.at("2026-03-06 17:00");
    w.when(ONA, inbound(1, Channel::Email)).unwrap();
    w.at("2026-03-06 17:30");
    let envelopes = late(&mut w, "2026-03-06 09:05", inbound(2, Channel::Phone)).unwrap();
    assert_eq!(
        envelope_kinds(&envelopes)[..4],
        [
            "interaction_recorded",
            "response_clock_started",
            "response_at_risk",
            "response_overdue"
        ]
    );
    let breach = &envelopes[3];
    assert_eq!(breach.at, t("2026-03-06 17:05"));
    assert_eq!(breach.recorded, Some(t("2026-03-06 17:30")));
    assert!(matches!(
        w.relationship(ONA).response_clock(),
        ResponseClock::Overdue(wait) if wait.since == InteractionId::from_u128(2)
    ));
    w.assert_replay_matches();
}

#[test]
fn a_message_logged_late_after_a_newer_wait_began_counts_without_moving_the_deadline() {
    let mut w = world();
    w.at("2026-03-06 10:00");
    w.when(ONA, inbound(1, Channel::Email)).unwrap();
    w.at("2026-03-06 11:00");
    w.when(ONA, rename()).unwrap();
    w.at("2026-03-06 12:00");
    let envelopes = late(&mut w, "2026-03-06 10:30", inbound(2, Channel::Chat)).unwrap();
    assert_eq!(envelope_kinds(&envelopes), ["interaction_recorded"]);
    let wait = w.relationship(ONA).response_clock().wait().unwrap().clone();
    assert_eq!(
        (wait.since, wait.unanswered),
        (InteractionId::from_u128(1), 2)
    );
    assert_eq!(wait.due, Some(t("2026-03-06 18:00")));
}

#[test]
fn a_message_older_than_an_answer_already_recorded_was_answered_by_it() {
    let mut w = world();
    w.at("2026-03-06 10:00");
    w.when(ONA, inbound(1, Channel::Email)).unwrap();
    w.at("2026-03-06 11:00");
    w.when(ONA, outbound(2, Channel::Email)).unwrap();
    w.at("2026-03-06 12:00");
    let envelopes = late(&mut w, "2026-03-06 10:30", inbound(3, Channel::Chat)).unwrap();
    assert_eq!(envelope_kinds(&envelopes), ["interaction_recorded"]);
    assert_eq!(w.relationship(ONA).response_clock(), &ResponseClock::Idle);
    w.assert_replay_matches();
}

#[test]
fn an_answer_dated_before_the_message_the_clock_waits_on_answers_nothing() {
    let mut w = world();
    w.at("2026-03-06 10:30");
    w.when(ONA, inbound(1, Channel::Email)).unwrap();
    w.at("2026-03-06 11:00");
    let envelopes = late(&mut w, "2026-03-06 10:00", outbound(2, Channel::Email)).unwrap();
    assert_eq!(envelope_kinds(&envelopes), ["interaction_recorded"]);
    assert!(matches!(
        w.relationship(ONA).response_clock(),
        ResponseClock::Waiting(wait) if wait.since == InteractionId::from_u128(1)
    ));
    w.assert_replay_matches();
}

#[test]
fn a_message_logged_past_its_answer_and_a_later_wait_leaves_that_wait_as_it_began_and_counted() {
    let mut w = world();
    w.at("2026-03-06 09:02");
    w.when(ONA, outbound(2, Channel::Email)).unwrap();
    w.at("2026-03-06 09:03");
    w.when(ONA, inbound(3, Channel::Email).priority(Priority::Low))
        .unwrap();
    // The message of 09:01, answered at 09:02, is logged at 23:00: its wait is recorded as it
    // happened, and the wait of 09:03 keeps the kind it began with (a documented limit: in
    // time it would have been a reply).
    w.at("2026-03-06 23:00");
    let envelopes = late(&mut w, "2026-03-06 09:01", inbound(1, Channel::Email)).unwrap();
    assert_eq!(
        envelope_kinds(&envelopes),
        [
            "interaction_recorded",
            "response_clock_started",
            "response_clock_stopped"
        ]
    );
    assert!(matches!(
        w.relationship(ONA).response_clock(),
        ResponseClock::Waiting(wait)
            if wait.since == InteractionId::from_u128(3) && wait.kind == ClockKind::FirstResponse
    ));
    w.at("2026-03-08 09:00");
    assert!(envelope_kinds(&advance(&mut w)).contains(&"response_overdue"));
    // Measures count that wait's breach and the answer.
    let book = Tally::from_log(Window::all(), &w.log)
        .unwrap()
        .book()
        .clone();
    assert_eq!(book.responses.first_response.overdue, 1);
    assert_eq!(book.responses.first_response.outcomes.met, 1);
    w.assert_replay_matches();
}

#[test]
fn a_fact_dated_before_registration_or_after_its_recording_is_refused_typed() {
    let mut w = world();
    w.at("2026-03-06 12:00");
    let before = w.relationship(ONA).clone();
    assert_eq!(
        late(&mut w, "2026-03-06 08:59", inbound(1, Channel::Email)),
        Err(CommandError::BeforeRegistration {
            now: t("2026-03-06 08:59"),
            registered: t("2026-03-06 09:00"),
        })
    );
    assert_eq!(
        late(&mut w, "2026-03-06 12:01", inbound(1, Channel::Email)),
        Err(CommandError::AfterRecording {
            occurred: t("2026-03-06 12:01"),
            now: t("2026-03-06 12:00"),
        })
    );
    assert_eq!(w.relationship(ONA), &before);
}

#[test]
fn the_recording_time_still_never_runs_backwards() {
    let mut w = world();
    w.at("2026-03-06 12:00");
    late(&mut w, "2026-03-06 10:00", inbound(1, Channel::Email)).unwrap();
    w.at("2026-03-06 11:00");
    assert_eq!(
        w.when(ONA, inbound(2, Channel::Email)),
        Err(CommandError::TimeWentBackwards {
            now: t("2026-03-06 11:00"),
            last_seen: t("2026-03-06 12:00"),
        })
    );
}

#[test]
fn a_promise_made_at_10_and_logged_at_11_after_unrelated_facts_of_10_30_is_taken() {
    let mut w = world();
    w.at("2026-03-06 10:30");
    w.when(ONA, rename()).unwrap();
    w.when(ONA, inbound(7, Channel::Chat)).unwrap();
    w.at("2026-03-06 11:00");
    let envelopes = late(&mut w, "2026-03-06 10:00", glasses(1, "2026-03-09 12:00")).unwrap();
    assert_eq!(envelopes[0].at, t("2026-03-06 10:00"));
    assert_eq!(envelopes[0].recorded, Some(t("2026-03-06 11:00")));
    let promise = w
        .relationship(ONA)
        .promise(PromiseId::from_u128(1))
        .unwrap();
    assert_eq!(promise.terms.made_at, t("2026-03-06 10:00"));
    w.assert_replay_matches();
}

#[test]
fn a_promise_kept_before_its_due_instant_logged_after_its_break_is_kept_on_time() {
    let mut w = world();
    w.at("2026-03-06 10:00");
    w.when(ONA, glasses(1, "2026-03-06 12:00")).unwrap();
    w.at("2026-03-06 13:00");
    assert!(envelope_kinds(&advance(&mut w)).contains(&"promise_broken"));
    let envelopes = late(&mut w, "2026-03-06 11:30", keep(1)).unwrap();
    // The break recorded at 12:00 stands; the keeping is measured at 11:30: on time.
    assert!(w.log.iter().any(|e| e.event.kind() == "promise_broken"));
    let kept = &envelopes[0];
    assert_eq!(kept.at, t("2026-03-06 11:30"));
    assert!(matches!(
        kept.event,
        Event::Promise(PromiseEvent::Kept {
            outcome: Outcome::Met,
            ..
        })
    ));
    w.assert_replay_matches();
}

#[test]
fn a_promise_kept_after_its_due_instant_and_logged_late_is_late_by_its_real_time() {
    let mut w = world();
    w.at("2026-03-06 10:00");
    w.when(ONA, glasses(1, "2026-03-06 12:00")).unwrap();
    w.at("2026-03-06 16:00");
    let envelopes = late(&mut w, "2026-03-06 12:30", keep(1)).unwrap();
    let outcome = envelopes.iter().find_map(|e| match &e.event {
        Event::Promise(PromiseEvent::Kept { outcome, .. }) => Some(*outcome),
        _ => None,
    });
    assert!(
        matches!(
            outcome,
            Some(Outcome::MetLate { lateness }) if lateness.wall == Span::minutes(30)
        ),
        "{outcome:?}"
    );
    w.assert_replay_matches();
}

#[test]
fn a_re_promise_made_before_the_due_instant_logged_after_the_break_was_made_in_time() {
    let mut w = world();
    w.at("2026-03-06 10:00");
    w.when(ONA, glasses(1, "2026-03-06 12:00")).unwrap();
    w.at("2026-03-06 13:00");
    advance(&mut w);
    let revise = RevisePromise {
        promise: PromiseId::from_u128(1),
        due: t("2026-03-07 12:00"),
        reason: text("lab delay").into(),
        customer_agreed: true,
    };
    let envelopes = late(&mut w, "2026-03-06 11:00", revise).unwrap();
    assert!(envelopes.iter().any(|e| matches!(
        e.event,
        Event::Promise(PromiseEvent::Revised {
            timing: RevisionTiming::Proactive,
            ..
        })
    )));
}

#[test]
fn a_late_fact_dated_before_its_own_items_latest_fact_is_refused_naming_the_item() {
    let mut w = world();
    w.at("2026-03-06 10:00");
    w.when(ONA, glasses(1, "2026-03-09 12:00")).unwrap();
    w.at("2026-03-06 10:30");
    w.when(ONA, rename()).unwrap();
    w.at("2026-03-06 11:00");
    let before = w.relationship(ONA).clone();
    // Kept at 09:30, before the promise was made: refused, naming the promise.
    assert_eq!(
        late(&mut w, "2026-03-06 09:30", keep(1)),
        Err(CommandError::CannotBackdate {
            item: FactItem::Promise(PromiseId::from_u128(1)),
            occurred: t("2026-03-06 09:30"),
            latest: t("2026-03-06 10:00"),
        })
    );
    // A name older than the one recorded at 10:30: refused, naming the profile.
    assert_eq!(
        late(&mut w, "2026-03-06 10:15", rename()),
        Err(CommandError::CannotBackdate {
            item: FactItem::Profile,
            occurred: t("2026-03-06 10:15"),
            latest: t("2026-03-06 10:30"),
        })
    );
    assert_eq!(
        w.relationship(ONA),
        &before,
        "a refused command changes nothing"
    );
    // The same instants are fine for other items: another promise made at 09:30, the first
    // kept at 10:15.
    late(&mut w, "2026-03-06 09:30", glasses(2, "2026-03-09 12:00")).unwrap();
    late(&mut w, "2026-03-06 10:15", keep(1)).unwrap();
    w.assert_replay_matches();
}

#[test]
fn a_profile_update_and_an_erasure_dated_late_are_taken_after_the_profiles_last_change() {
    let mut w = world();
    w.at("2026-03-06 10:30");
    w.when(ONA, inbound(1, Channel::Email)).unwrap();
    w.at("2026-03-06 11:00");
    late(&mut w, "2026-03-06 10:00", rename()).unwrap();
    assert_eq!(
        w.relationship(ONA).profile().unwrap().name.reveal(),
        Some(&text("Ona P."))
    );
    late(&mut w, "2026-03-06 10:15", ErasePersonalData::default()).unwrap();
    assert!(!w.relationship(ONA).holds_personal_data());
    w.assert_replay_matches();
}

// Complaints, follow-ups and surveys, reported late.

const COMPLAINT: ComplaintId = ComplaintId::from_u128(0xc1);

fn complained(at: &str) -> World {
    let mut w = World::new(ServicePolicy::default(), "2026-03-02 09:00");
    w.given_customer(ONA, "standard");
    w.at(at);
    w.when(
        ONA,
        ReceiveComplaint::new(COMPLAINT, Channel::Phone, text("Glasses not ready")),
    )
    .unwrap();
    w
}

/// Brings the ledger up to the world's time; the deadlines' events go to the log.
fn advance(w: &mut World) -> Vec<Envelope> {
    let envelopes = w.ledger.advance_to(w.now);
    w.log.extend(envelopes.iter().cloned());
    envelopes
}

fn late_to(w: &mut World, happened: &str, command: impl Into<Command>) -> Vec<Envelope> {
    late(w, happened, command).unwrap()
}

/// Received at `at`, acknowledged ten minutes later.
fn acknowledged(at: &str) -> World {
    let mut w = complained(at);
    w.now += TimeDelta::minutes(10);
    w.when(ONA, acknowledge()).unwrap();
    w
}

fn acknowledge() -> AcknowledgeComplaint {
    AcknowledgeComplaint {
        complaint: COMPLAINT,
        by: AGENT,
    }
}

fn resolve() -> ResolveComplaint {
    ResolveComplaint {
        complaint: COMPLAINT,
        by: AGENT,
        remedy: None,
        apology: true,
        summary: text("Handed over").into(),
        follow_up: Some(FollowUpId::from_u128(0xf1)),
    }
}

#[test]
fn a_complaint_acknowledged_in_time_and_logged_after_its_breach_is_met_and_the_breach_stands() {
    let mut w = complained("2026-03-02 09:30");
    w.at("2026-03-06 12:00");
    let advanced = advance(&mut w);
    assert!(envelope_kinds(&advanced).contains(&"complaint_clock_breached"));
    let envelopes = late_to(&mut w, "2026-03-02 10:00", acknowledge());
    assert_eq!(envelopes[0].at, t("2026-03-02 10:00"));
    assert!(matches!(
        envelopes[0].event,
        Event::Complaint(ComplaintEvent::Acknowledged {
            outcome: Outcome::Met,
            ..
        })
    ));
    assert!(
        w.log
            .iter()
            .any(|e| e.event.kind() == "complaint_clock_breached")
    );
    w.assert_replay_matches();
}

#[test]
fn a_complaint_resolved_and_logged_late_has_its_targets_measured_to_the_resolution() {
    let mut w = acknowledged("2026-03-02 09:30");
    w.at("2026-03-02 12:00");
    w.when(ONA, rename()).unwrap();
    w.at("2026-03-02 13:00");
    let envelopes = late_to(&mut w, "2026-03-02 11:00", resolve());
    let resolved = envelopes
        .iter()
        .find(|e| e.event.kind() == "complaint_resolved")
        .unwrap();
    assert_eq!(resolved.at, t("2026-03-02 11:00"));
    assert!(matches!(
        resolved.event,
        Event::Complaint(ComplaintEvent::Resolved {
            outcome: Outcome::Met,
            ..
        })
    ));
    // The follow-up the policy schedules is scheduled from the resolution's real time.
    let scheduled = envelopes
        .iter()
        .find(|e| e.event.kind() == "follow_up_scheduled")
        .unwrap();
    assert_eq!(scheduled.at, t("2026-03-02 11:00"));
    w.assert_replay_matches();
}

#[test]
fn complaint_facts_that_would_break_its_own_order_are_refused_naming_the_complaint() {
    let mut w = acknowledged("2026-03-02 09:30");
    w.at("2026-03-02 10:00");
    let assign = AssignComplaint {
        complaint: COMPLAINT,
        owner: AGENT,
    };
    w.when(ONA, assign).unwrap();
    w.when(
        ONA,
        AwaitCustomer {
            complaint: COMPLAINT,
        },
    )
    .unwrap();
    w.at("2026-03-02 10:30");
    w.when(
        ONA,
        ResumeComplaint {
            complaint: COMPLAINT,
        },
    )
    .unwrap();
    w.at("2026-03-02 11:00");
    w.when(ONA, resolve()).unwrap();
    w.at("2026-03-02 12:00");
    let before = w.relationship(ONA).clone();
    let refused = |latest: &str, occurred: &str| {
        Err(CommandError::CannotBackdate {
            item: FactItem::Complaint(COMPLAINT),
            occurred: t(occurred),
            latest: t(latest),
        })
    };
    // A pause dated inside the pause recorded, an escalation before the resolution.
    assert_eq!(
        late(
            &mut w,
            "2026-03-02 10:15",
            AwaitCustomer {
                complaint: COMPLAINT
            }
        ),
        refused("2026-03-02 11:00", "2026-03-02 10:15")
    );
    let escalate = RequestEscalation {
        complaint: COMPLAINT,
    };
    assert_eq!(
        late(&mut w, "2026-03-02 10:45", escalate),
        refused("2026-03-02 11:00", "2026-03-02 10:45")
    );
    assert_eq!(w.relationship(ONA), &before);
}

/// The complaint's resolution clock.
fn resolution(w: &World) -> clientele::complaint::TargetClock {
    w.relationship(ONA)
        .complaint(COMPLAINT)
        .unwrap()
        .resolution
        .clone()
}

fn minute(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%d %H:%M").to_string()
}

/// Received at 09:30, acknowledged at 09:40 and assigned at 09:50.
fn assigned() -> World {
    let mut w = acknowledged("2026-03-02 09:30");
    w.now += TimeDelta::minutes(10);
    let assign = AssignComplaint {
        complaint: COMPLAINT,
        owner: AGENT,
    };
    w.when(ONA, assign).unwrap();
    w
}

/// A wait on the customer from `pause` to `resume` minutes after the resolution's due instant,
/// recorded in time, and the same wait logged after the breach was recorded: the resumed clocks
/// agree, the breach stands, and a resolution is measured alike in both (its outcome returned).
fn wait_logged_after_the_breach(pause: i64, resume: i64) -> Outcome {
    let mut in_time = assigned();
    let due = resolution(&in_time).terms.due.unwrap();
    let (paused, resumed) = (
        due + TimeDelta::minutes(pause),
        due + TimeDelta::minutes(resume),
    );
    let wait = AwaitCustomer {
        complaint: COMPLAINT,
    };
    let answer = ResumeComplaint {
        complaint: COMPLAINT,
    };
    in_time.now = paused;
    in_time.when(ONA, wait.clone()).unwrap();
    in_time.now = resumed;
    in_time.when(ONA, answer.clone()).unwrap();

    let mut late_world = assigned();
    late_world.now = resumed + TimeDelta::hours(1);
    assert!(envelope_kinds(&advance(&mut late_world)).contains(&"complaint_clock_breached"));
    late_to(&mut late_world, &minute(paused), wait);
    late_to(&mut late_world, &minute(resumed), answer);

    let (expected, got) = (resolution(&in_time), resolution(&late_world));
    assert_eq!(
        got.terms.due, expected.terms.due,
        "the time left at the pause carries on"
    );
    assert_eq!(got.paused, expected.paused);
    assert!(
        late_world
            .log
            .iter()
            .any(|e| e.event.kind() == "complaint_clock_breached"),
        "the breach recorded stands"
    );
    // Resolved a minute before the new due instant (or after the resumption if none was
    // left), logged a day later, in both worlds: measured alike.
    let new_due = expected.terms.due.unwrap();
    let resolved_at =
        minute((new_due - TimeDelta::minutes(1)).max(resumed + TimeDelta::minutes(1)));
    let mut outcomes = Vec::new();
    for w in [&mut in_time, &mut late_world] {
        w.now = w.now.max(new_due) + TimeDelta::days(1);
        let envelopes = late_to(w, &resolved_at, resolve());
        outcomes.extend(envelopes.iter().find_map(|e| match e.event {
            Event::Complaint(ComplaintEvent::Resolved { outcome, .. }) => Some(outcome),
            _ => None,
        }));
        w.assert_replay_matches();
    }
    assert_eq!(outcomes.len(), 2);
    assert_eq!(outcomes[0], outcomes[1]);
    outcomes[1]
}

#[test]
fn a_wait_that_began_before_the_due_instant_logged_after_its_breach_keeps_the_time_left_then() {
    assert_eq!(wait_logged_after_the_breach(-60, 180), Outcome::Met);
}

#[test]
fn a_wait_that_began_after_the_due_instant_logged_after_its_breach_has_no_time_left() {
    let outcome = wait_logged_after_the_breach(30, 180);
    assert!(matches!(outcome, Outcome::MetLate { .. }), "{outcome:?}");
}

#[test]
fn a_complaint_about_a_promise_made_later_or_a_promise_answering_a_later_complaint_is_refused() {
    let mut w = world();
    w.at("2026-03-06 10:30");
    w.when(ONA, glasses(1, "2026-03-09 12:00")).unwrap();
    w.when(
        ONA,
        ReceiveComplaint::new(COMPLAINT, Channel::Phone, text("Still waiting")),
    )
    .unwrap();
    w.at("2026-03-06 11:00");
    let before = w.relationship(ONA).clone();
    let about = ReceiveComplaint::new(ComplaintId::from_u128(0xc2), Channel::Email, text("Late"))
        .about_promise(PromiseId::from_u128(1));
    assert_eq!(
        late(&mut w, "2026-03-06 10:00", about.clone()),
        Err(CommandError::CannotBackdate {
            item: FactItem::Promise(PromiseId::from_u128(1)),
            occurred: t("2026-03-06 10:00"),
            latest: t("2026-03-06 10:30"),
        })
    );
    let answering = glasses(2, "2026-03-09 12:00").answering(COMPLAINT);
    assert_eq!(
        late(&mut w, "2026-03-06 10:15", answering.clone()),
        Err(CommandError::CannotBackdate {
            item: FactItem::Complaint(COMPLAINT),
            occurred: t("2026-03-06 10:15"),
            latest: t("2026-03-06 10:30"),
        })
    );
    assert_eq!(
        w.relationship(ONA),
        &before,
        "a refused command changes nothing"
    );
    // Dated when the item they link to began, both are taken.
    late_to(&mut w, "2026-03-06 10:30", about);
    late_to(&mut w, "2026-03-06 10:30", answering);
    w.assert_replay_matches();
}

#[test]
fn a_follow_up_call_logged_late_is_timed_at_its_real_time_and_an_overdue_recorded_stands() {
    let mut w = acknowledged("2026-03-02 09:30");
    w.at("2026-03-02 11:00");
    w.when(ONA, resolve()).unwrap();
    let due = w
        .relationship(ONA)
        .follow_up(FollowUpId::from_u128(0xf1))
        .unwrap()
        .due
        .unwrap();
    w.now = due + TimeDelta::days(2);
    let advanced = advance(&mut w);
    assert!(envelope_kinds(&advanced).contains(&"follow_up_overdue"));
    let called = (due - TimeDelta::hours(1))
        .format("%Y-%m-%d %H:%M")
        .to_string();
    let complete = CompleteFollowUp {
        follow_up: FollowUpId::from_u128(0xf1),
        outcome: FollowUpOutcome::Satisfied,
        note: None,
    };
    let envelopes = late_to(&mut w, &called, complete);
    assert!(matches!(
        envelopes[0].event,
        Event::FollowUp(FollowUpEvent::Completed {
            timing: Outcome::Met,
            ..
        })
    ));
    w.assert_replay_matches();
}

#[test]
fn a_survey_answer_logged_late_is_taken_but_not_before_its_request() {
    let mut w = acknowledged("2026-03-02 09:30");
    w.at("2026-03-02 11:00");
    w.when(ONA, resolve()).unwrap();
    let survey = SurveyId::from_u128(0x51);
    w.at("2026-03-02 12:00");
    w.when(
        ONA,
        RequestSurvey {
            survey,
            kind: SurveyKind::Csat,
            complaint: Some(COMPLAINT),
        },
    )
    .unwrap();
    w.at("2026-03-02 12:30");
    w.when(ONA, rename()).unwrap();
    w.at("2026-03-02 13:00");
    let answer = AnswerSurvey {
        survey: Some(survey),
        answer: SurveyAnswer::Csat(CsatScore::new(5).unwrap()),
        comment: None,
    };
    assert_eq!(
        late(&mut w, "2026-03-02 11:30", answer.clone()),
        Err(CommandError::CannotBackdate {
            item: FactItem::Survey(survey),
            occurred: t("2026-03-02 11:30"),
            latest: t("2026-03-02 12:00"),
        })
    );
    let envelopes = late_to(&mut w, "2026-03-02 12:15", answer);
    assert_eq!(envelopes[0].at, t("2026-03-02 12:15"));
    w.assert_replay_matches();
}

#[test]
fn a_log_whose_recording_time_runs_backwards_or_precedes_the_fact_does_not_replay() {
    let mut w = world();
    w.at("2026-03-06 12:00");
    late(&mut w, "2026-03-06 10:00", inbound(1, Channel::Email)).unwrap();
    // Recorded before the previous fact was: the registration recorded at 13:00, the message
    // (of 10:00) at 12:00.
    let mut log = w.log.clone();
    log[0].recorded = Some(t("2026-03-06 13:00"));
    assert_eq!(
        Relationship::replay(ONA, &log),
        Err(ReplayError::OutOfOrder {
            at: t("2026-03-06 12:00"),
            last: t("2026-03-06 13:00"),
        })
    );
    // Recorded before it happened.
    let mut log = w.log.clone();
    log[1].recorded = Some(t("2026-03-06 09:30"));
    assert!(matches!(
        Relationship::replay(ONA, &log),
        Err(ReplayError::DoesNotFit { seq: 2, .. })
    ));
    // Dated before registration.
    let mut log = w.log.clone();
    log[1].at = t("2026-03-06 08:00");
    assert!(matches!(
        Relationship::replay(ONA, &log),
        Err(ReplayError::DoesNotFit { seq: 2, .. })
    ));
}

#[test]
fn a_recording_time_not_after_the_fact_is_not_an_envelope() {
    let json = |recorded: &str| {
        format!(
            r#"{{"v":{SCHEMA_VERSION},"customer":"00000000-0000-0000-0000-00000000000a","seq":1,
            "at":"2026-03-06T10:00:00Z","recorded":"{recorded}",
            "event":{{"type":"customer_renamed","name":"Ona"}}}}"#
        )
    };
    for recorded in ["2026-03-06T10:00:00Z", "2026-03-06T09:00:00Z"] {
        let error = Envelope::from_json(&json(recorded)).unwrap_err();
        assert!(error.to_string().contains("recorded"), "{error}");
        let tree = Envelope::from_value(serde_json::from_str(&json(recorded)).unwrap());
        assert_eq!(tree.unwrap_err(), error, "both readers agree");
    }
    let read = Envelope::from_json(&json("2026-03-06T11:00:00Z")).unwrap();
    assert_eq!(read.recorded_at(), t("2026-03-06 11:00"));
}

#[test]
fn a_fact_reported_late_keeps_its_recording_time_on_the_wire() {
    let mut w = world();
    w.at("2026-03-06 11:00");
    let envelopes = late(&mut w, "2026-03-06 10:00", inbound(1, Channel::Email)).unwrap();
    let json = serde_json::to_string(&envelopes[0]).unwrap();
    assert!(json.contains(r#""at":"2026-03-06T10:00:00Z","recorded":"2026-03-06T11:00:00Z""#));
    assert_eq!(Envelope::from_json(&json).unwrap(), envelopes[0]);
    // Recorded when it happened: no `recorded` is written, as before.
    w.at("2026-03-06 11:30");
    let now = w.when(ONA, rename()).unwrap();
    assert_eq!(now.len(), 1);
    let last = w.log.last().unwrap();
    assert!(!serde_json::to_string(last).unwrap().contains("recorded"));
}

#[test]
fn a_kept_promise_leaves_the_item_order_but_still_dates_the_complaints_that_link_it() {
    let mut w = world();
    w.at("2026-03-06 10:00");
    w.when(ONA, glasses(1, "2026-03-09 12:00")).unwrap();
    w.at("2026-03-06 10:30");
    w.when(ONA, keep(1)).unwrap();
    w.at("2026-03-06 11:00");
    let before = w.relationship(ONA).clone();
    // A complaint about the promise, reported late as of 09:30, before it was made: refused,
    // from the made time the archive keeps.
    let about = ReceiveComplaint::new(ComplaintId::from_u128(5), Channel::Phone, text("late"))
        .about_promise(PromiseId::from_u128(1));
    assert_eq!(
        late(&mut w, "2026-03-06 09:30", about.clone()),
        Err(CommandError::CannotBackdate {
            item: FactItem::Promise(PromiseId::from_u128(1)),
            occurred: t("2026-03-06 09:30"),
            latest: t("2026-03-06 10:00"),
        })
    );
    // Kept again, as of before it was made: refused by its stage (it is closed).
    assert!(matches!(
        late(&mut w, "2026-03-06 09:30", keep(1)),
        Err(CommandError::InvalidTransition { .. })
    ));
    assert_eq!(w.relationship(ONA), &before, "refused: nothing changed");
    // Dated after it was made: taken.
    late(&mut w, "2026-03-06 10:15", about).unwrap();
    assert_eq!(
        Relationship::replay(ONA, &w.log).as_ref(),
        Ok(w.relationship(ONA))
    );
}

#[test]
fn a_promises_later_fact_bounds_a_late_fact_about_it_on_copies_and_after_either_snapshot() {
    use clientele::snapshot::Encoding;
    use clientele::{PartyId, RecordDependency};

    let mut w = world();
    w.at("2026-03-06 10:00");
    w.when(ONA, glasses(1, "2026-03-09 12:00")).unwrap();
    w.at("2026-03-06 10:30");
    let lab = RecordDependency {
        promise: PromiseId::from_u128(1),
        party: PartyId::from_u128(8),
        commitment: text("lenses shipped").into(),
        reference: None,
        due: t("2026-03-08 12:00"),
    };
    w.when(ONA, lab).unwrap();
    let ona = w.relationship(ONA).clone();
    let copies = [Encoding::Binary, Encoding::Json]
        .map(|encoding| Relationship::restore(&ona.snapshot(encoding).unwrap()).unwrap());
    let now = t("2026-03-06 11:00");
    for mut copy in [ona.clone(), ona.clone()].into_iter().chain(copies) {
        assert_eq!(copy, ona);
        // Kept at 10:15: after the promise was made, before its dependency was recorded.
        let kept = Request::new(keep(1)).occurred_at(t("2026-03-06 10:15"));
        assert_eq!(
            copy.execute_request(&policy(), kept, now),
            Err(CommandError::CannotBackdate {
                item: FactItem::Promise(PromiseId::from_u128(1)),
                occurred: t("2026-03-06 10:15"),
                latest: t("2026-03-06 10:30"),
            })
        );
        assert_eq!(copy, ona, "a refused command changes nothing");
        // The profile's latest fact is still its registration: a rename dated 10:15 is taken.
        let renamed = Request::new(rename()).occurred_at(t("2026-03-06 10:15"));
        copy.execute_request(&policy(), renamed, now).unwrap();
        let kept = Request::new(keep(1)).occurred_at(t("2026-03-06 10:45"));
        copy.execute_request(&policy(), kept, now).unwrap();
    }
}
