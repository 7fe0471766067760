//! The update cadence ("keep the customer informed", issue 14 item 10), given / when / then.
//!
//! Policy: the default one with an update cadence of 48 h (urgent: 8 h), warning when 20 % is
//! left, on an always-open calendar. Ona's complaint comes in on Monday 2 March at 09:00, is
//! acknowledged at 10:00 and owned by Jonas; Daiva promises new glasses in answer to it.

mod support;

use clientele::flag::{Regarding, UpdateTimer};
use clientele::policy::{ByPriority, Targets, UpdatePolicy};
use clientele::response::{UpdateClock, UpdateStage};
use clientele::{
    AcknowledgeComplaint, AgentId, AssignComplaint, AwaitCustomer, Channel, CommandError,
    ComplaintId, Deadline, DeadlineKind, Envelope, Event, FlagKind, InteractionId, KeepPromise,
    Ledger, MakePromise, PolicyError, Priority, PromiseId, ReceiveComplaint, RecordInteraction,
    ResolveComplaint, ResponseEvent, ResumeComplaint, ServicePolicy, Span,
};
use support::*;

const C: ComplaintId = ComplaintId::from_u128(0xc1);
const P: PromiseId = PromiseId::from_u128(0x91);
const JONAS: AgentId = AgentId::from_u128(101);
const DAIVA: AgentId = AgentId::from_u128(102);

fn cadence() -> UpdatePolicy {
    UpdatePolicy::new(Targets::new(ByPriority {
        urgent: Span::hours(8),
        ..ByPriority::uniform(Span::hours(48))
    }))
}

fn policy() -> ServicePolicy {
    ServicePolicy {
        updates: Some(cadence()),
        ..ServicePolicy::default()
    }
}

/// The complaint received at 09:00, acknowledged at 10:00 and owned by Jonas; the promise made
/// at 10:30, due in twelve days.
fn open_items(policy: ServicePolicy) -> World {
    let mut w = World::new(policy, "2026-03-02 09:00");
    w.given_customer(ONA, "standard");
    w.when(
        ONA,
        ReceiveComplaint::new(C, Channel::Phone, text("Glasses still not ready")),
    )
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
    w.when(
        ONA,
        AssignComplaint {
            complaint: C,
            owner: JONAS,
        },
    )
    .unwrap();
    w.at("2026-03-02 10:30");
    w.when(
        ONA,
        MakePromise::new(P, text("New glasses"), t("2026-03-14 10:30"), DAIVA).answering(C),
    )
    .unwrap();
    w
}

fn updates(events: &[Envelope]) -> Vec<(&'static str, Regarding, chrono::DateTime<chrono::Utc>)> {
    events
        .iter()
        .filter_map(|e| match &e.event {
            Event::Response(ResponseEvent::UpdateAtRisk { about, .. })
            | Event::Response(ResponseEvent::UpdateOverdue { about, .. }) => {
                Some((e.event.kind(), *about, e.at))
            }
            _ => None,
        })
        .collect()
}

/// The update cadence of the complaint, which must run.
fn complaint_cadence(w: &World) -> UpdateClock {
    w.relationship(ONA)
        .update_clock(Regarding::Complaint(C))
        .unwrap()
        .clone()
}

fn update_flags(w: &World, now: &str) -> Vec<(FlagKind, Option<AgentId>, clientele::Subject)> {
    w.ledger
        .flags(t(now))
        .into_iter()
        .filter(|f| matches!(f.kind, FlagKind::UpdateAtRisk | FlagKind::UpdateOverdue))
        .map(|f| (f.kind, f.owner, f.subject))
        .collect()
}

#[test]
fn ten_silent_days_with_a_complaint_and_a_promise_open_are_warned_overdue_and_flagged() {
    let mut w = open_items(policy());
    let silent = w.run_until("2026-03-12 10:30", 50);
    // Armed at the acknowledgement (10:00) and the promise (10:30): warned at 80 % of 48 h,
    // overdue at 48 h, each once however long the silence lasts.
    assert_eq!(
        updates(&silent),
        [
            (
                "update_at_risk",
                Regarding::Complaint(C),
                t("2026-03-04 00:24")
            ),
            (
                "update_at_risk",
                Regarding::Promise(P),
                t("2026-03-04 00:54")
            ),
            (
                "update_overdue",
                Regarding::Complaint(C),
                t("2026-03-04 10:00")
            ),
            (
                "update_overdue",
                Regarding::Promise(P),
                t("2026-03-04 10:30")
            ),
        ]
    );
    // The flags name our owner: the complaint's, and the promise's.
    assert_eq!(
        update_flags(&w, "2026-03-12 10:30"),
        [
            (
                FlagKind::UpdateOverdue,
                Some(JONAS),
                clientele::Subject::Complaint(C)
            ),
            (
                FlagKind::UpdateOverdue,
                Some(DAIVA),
                clientele::Subject::Promise(P)
            ),
        ]
    );
    w.assert_replay_matches();
}

#[test]
fn without_a_cadence_in_the_policy_the_silence_records_nothing_new() {
    let mut w = open_items(ServicePolicy::default());
    let silent = w.run_until("2026-03-12 10:30", 50);
    assert!(updates(&silent).is_empty());
    assert!(w.log.iter().all(|e| !e.event.kind().starts_with("update_")));
    assert!(update_flags(&w, "2026-03-12 10:30").is_empty());
}

#[test]
fn an_outbound_interaction_regarding_the_complaint_re_arms_it_and_only_it() {
    let mut w = open_items(policy());
    w.at("2026-03-03 20:00");
    let events = w
        .when(
            ONA,
            RecordInteraction::outbound(
                InteractionId::from_u128(7),
                Channel::Email,
                JONAS,
                text("Lab says Friday"),
            )
            .regarding_complaint(C),
        )
        .unwrap();
    let armed: Vec<_> = events
        .iter()
        .filter_map(|e| match e {
            Event::Response(ResponseEvent::UpdateClockStarted { about, due, .. }) => {
                Some((*about, *due))
            }
            _ => None,
        })
        .collect();
    // The promise was not mentioned: only the complaint's cadence is re-armed.
    assert_eq!(
        armed,
        [(Regarding::Complaint(C), Some(t("2026-03-05 20:00")))]
    );
    let later = w.run_until("2026-03-05 20:00", 50);
    assert_eq!(
        updates(&later),
        [
            (
                "update_at_risk",
                Regarding::Promise(P),
                t("2026-03-04 00:54")
            ),
            (
                "update_overdue",
                Regarding::Promise(P),
                t("2026-03-04 10:30")
            ),
            (
                "update_at_risk",
                Regarding::Complaint(C),
                t("2026-03-05 10:24")
            ),
            (
                "update_overdue",
                Regarding::Complaint(C),
                t("2026-03-05 20:00")
            ),
        ]
    );
    // Telling the customer about the overdue promise clears its flag.
    w.at("2026-03-05 21:00");
    w.when(
        ONA,
        RecordInteraction::outbound(
            InteractionId::from_u128(8),
            Channel::Phone,
            DAIVA,
            text("Glasses on the 14th"),
        )
        .regarding(P),
    )
    .unwrap();
    assert_eq!(
        update_flags(&w, "2026-03-05 21:00"),
        [(
            FlagKind::UpdateOverdue,
            Some(JONAS),
            clientele::Subject::Complaint(C)
        )]
    );
    w.assert_replay_matches();
}

#[test]
fn waiting_on_the_customer_pauses_the_cadence_and_their_answer_arms_it_again() {
    let mut w = open_items(policy());
    w.at("2026-03-02 12:00");
    w.when(ONA, AwaitCustomer { complaint: C }).unwrap();
    let clock = complaint_cadence(&w);
    assert_eq!(clock.stage, UpdateStage::Paused);
    // Asked something, we owe no update while we wait, however long; an outbound message about
    // the complaint in the meantime does not re-arm it.
    w.at("2026-03-03 12:00");
    let events = w
        .when(
            ONA,
            RecordInteraction::outbound(
                InteractionId::from_u128(7),
                Channel::Email,
                JONAS,
                text("Reminder"),
            )
            .regarding_complaint(C),
        )
        .unwrap();
    assert_eq!(events.len(), 1, "{events:?}");
    let waited = w.run_until("2026-03-09 12:00", 50);
    assert!(
        updates(&waited)
            .iter()
            .all(|(_, about, _)| *about == Regarding::Promise(P))
    );
    assert!(
        !update_flags(&w, "2026-03-09 12:00")
            .iter()
            .any(|f| f.2 == clientele::Subject::Complaint(C))
    );
    w.at("2026-03-09 12:00");
    let events = w.when(ONA, ResumeComplaint { complaint: C }).unwrap();
    assert!(events.iter().any(|e| matches!(
        e,
        Event::Response(ResponseEvent::UpdateClockStarted { about: Regarding::Complaint(C), due: Some(due), .. })
            if *due == t("2026-03-11 12:00")
    )));
    let next = w.relationship(ONA).next_deadline().unwrap();
    assert!(next.at <= t("2026-03-11 02:24"));
    w.assert_replay_matches();
}

#[test]
fn a_complaint_acknowledged_while_it_waits_on_the_customer_keeps_its_cadence_paused() {
    // Found by the model-based test (tests/model.rs): the acknowledgement re-armed the cadence
    // of a complaint that waits on the customer, so an update fell overdue while we waited.
    let mut w = World::new(policy(), "2026-03-02 09:00");
    w.given_customer(ONA, "standard");
    let mut receive = ReceiveComplaint::new(C, Channel::Email, text("Which lenses were these?"));
    receive.pending = true;
    w.when(ONA, receive).unwrap();
    w.at("2026-03-02 10:00");
    let events = w
        .when(
            ONA,
            AcknowledgeComplaint {
                complaint: C,
                by: AGENT,
            },
        )
        .unwrap();
    assert_eq!(events.len(), 1, "only the acknowledgement: {events:?}");
    let clock = complaint_cadence(&w);
    assert_eq!(clock.stage, UpdateStage::Paused);
    let waited = w.run_until("2026-03-09 09:00", 50);
    assert_eq!(updates(&waited), [], "no update is owed while we wait");
    assert_eq!(update_flags(&w, "2026-03-09 09:00"), []);
    // The customer's answer arms it with its whole span.
    w.at("2026-03-09 09:00");
    w.when(ONA, ResumeComplaint { complaint: C }).unwrap();
    let clock = complaint_cadence(&w);
    assert_eq!(clock.due, Some(t("2026-03-11 09:00")));
    w.assert_replay_matches();
}

#[test]
fn resolving_the_complaint_and_keeping_the_promise_stop_their_cadence() {
    let mut w = open_items(policy());
    w.at("2026-03-03 09:00");
    w.when(ONA, KeepPromise { promise: P }).unwrap();
    w.when(
        ONA,
        ResolveComplaint {
            complaint: C,
            by: JONAS,
            remedy: None,
            apology: true,
            summary: text("Handed over").into(),
            follow_up: Some(clientele::FollowUpId::from_u128(0xf1)),
        },
    )
    .unwrap();
    let relationship = w.relationship(ONA);
    assert!(relationship.update_clock(Regarding::Complaint(C)).is_none());
    assert!(relationship.update_clock(Regarding::Promise(P)).is_none());
    let after = w.run_until("2026-03-20 09:00", 50);
    assert!(updates(&after).is_empty());
    w.assert_replay_matches();
}

#[test]
fn an_urgent_complaint_is_owed_an_update_sooner() {
    let mut w = World::new(policy(), "2026-03-02 09:00");
    w.given_customer(ONA, "standard");
    let events = w
        .when(
            ONA,
            ReceiveComplaint::new(C, Channel::Phone, text("Eye pain")).priority(Priority::Urgent),
        )
        .unwrap();
    assert!(events.iter().any(|e| matches!(
        e,
        Event::Response(ResponseEvent::UpdateClockStarted { priority: Priority::Urgent, span, due: Some(due), .. })
            if *span == Span::hours(8) && *due == t("2026-03-02 17:00")
    )));
}

#[test]
fn a_refused_interaction_about_an_unknown_complaint_changes_nothing() {
    let mut w = open_items(policy());
    w.at("2026-03-03 09:00");
    let unknown = ComplaintId::from_u128(0xdead);
    w.assert_each_refused(
        ONA,
        vec![(
            RecordInteraction::outbound(
                InteractionId::from_u128(9),
                Channel::Email,
                JONAS,
                text("x"),
            )
            .regarding_complaint(unknown)
            .into(),
            CommandError::UnknownComplaint(unknown),
        )],
    );
}

#[test]
fn a_cadence_on_a_calendar_the_policy_does_not_define_is_refused_at_validation() {
    let mut policy = policy();
    policy.updates = Some(UpdatePolicy::new(
        Targets::new(ByPriority::uniform(Span::hours(48))).on_calendar(Priority::High, "nights"),
    ));
    assert!(matches!(
        Ledger::new(policy),
        Err(PolicyError::UnknownCalendar { target: "updates.every", name, .. }) if name == "nights"
    ));
}

#[test]
fn an_update_deadline_is_written_flat_and_reads_back() {
    let w = open_items(policy());
    let deadline: Deadline = w.relationship(ONA).next_deadline().unwrap();
    let all: Vec<Deadline> = [deadline].to_vec();
    for d in all {
        let json = serde_json::to_string(&d).unwrap();
        assert_eq!(serde_json::from_str::<Deadline>(&json).unwrap(), d);
    }
    let update = Deadline {
        at: t("2026-03-04 10:00"),
        customer: ONA,
        timer: clientele::flag::Timer::Update {
            about: Regarding::Complaint(C),
            timer: UpdateTimer::Due,
        },
    };
    let json = serde_json::to_string(&update).unwrap();
    assert!(json.contains(r#""kind":"update_due""#), "{json}");
    assert_eq!(serde_json::from_str::<Deadline>(&json).unwrap(), update);
    assert_eq!(update.kind(), DeadlineKind::UpdateDue);
    let about_follow_up = json.replace(r#""subject":"complaint""#, r#""subject":"follow_up""#);
    assert!(serde_json::from_str::<Deadline>(&about_follow_up).is_err());
}

#[test]
fn an_interaction_regarding_a_complaint_joins_schema_version_3_and_leaves_older_forms_alone() {
    let w = open_items(policy());
    let mut w = w;
    w.at("2026-03-03 09:00");
    w.when(
        ONA,
        RecordInteraction::outbound(
            InteractionId::from_u128(7),
            Channel::Email,
            JONAS,
            text("Update"),
        )
        .regarding_complaint(C),
    )
    .unwrap();
    let recorded = w
        .log
        .iter()
        .find(|e| matches!(e.event, Event::Response(ResponseEvent::InteractionRecorded { ref regarding_complaints, .. }) if !regarding_complaints.is_empty()))
        .unwrap();
    let json = serde_json::to_string(recorded).unwrap();
    assert!(
        json.contains(r#""regarding_complaints":["00000000-0000-0000-0000-0000000000c1"]"#),
        "{json}"
    );
    assert_eq!(&Envelope::from_json(&json).unwrap(), recorded);
    // A version 2 envelope cannot say it.
    let claimed = json.replace(r#""v":3"#, r#""v":2"#);
    assert!(Envelope::from_json(&claimed).is_err());
    // Without complaints, the field is left out, as before.
    let plain = w.when(ONA, inbound(8, Channel::Email)).unwrap();
    let json = serde_json::to_string(&plain[0]).unwrap();
    assert!(
        json.contains("interaction_recorded") && !json.contains("regarding_complaints"),
        "{json}"
    );
}

#[test]
fn measures_count_the_overdue_updates_for_the_owner_the_flags_name() {
    let mut w = open_items(policy());
    w.run_until("2026-03-12 10:30", 50);
    let tally = clientele::Tally::from_log(clientele::Window::all(), &w.log).unwrap();
    let updates = |agent: AgentId| tally.owner(agent).map(|m| m.responses.updates.clone());
    let jonas = updates(JONAS).unwrap();
    assert_eq!(
        (
            jonas.at_risk,
            jonas.overdue_complaints,
            jonas.overdue_promises
        ),
        (1, 1, 0)
    );
    let daiva = updates(DAIVA).unwrap();
    assert_eq!(
        (
            daiva.at_risk,
            daiva.overdue_complaints,
            daiva.overdue_promises
        ),
        (1, 0, 1)
    );
    assert_eq!(tally.book().responses.updates.overdue(), 2);
}
