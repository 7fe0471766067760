//! Waiting for the customer in a conversation (issue 14 item 4, second half), given / when /
//! then: we ask the customer something and wait for them
//! ([`RecordInteraction::awaiting_customer`]). The question answers what waits, then nothing
//! is due until the customer speaks; their message starts a reply clock; the update cadences
//! of the items asked about pause meanwhile.
//!
//! Response policy: first response 8 h (normal), replies 4 h, warned an hour before, on the
//! wall clock. Update cadence: 48 h, warned when 20 % is left.

mod support;

use clientele::flag::Regarding;
use clientele::outcome::Outcome;
use clientele::policy::{ByPriority, Targets, UpdatePolicy};
use clientele::response::{ClockKind, ResponseClock, UpdateStage};
use clientele::{
    AcknowledgeComplaint, AgentId, AwaitCustomer, Channel, Command, CommandError, ComplaintId,
    Envelope, Event, FlagKind, InteractionId, MakePromise, PromiseId, ReceiveComplaint,
    RecordInteraction, Request, ResponseEvent, ResumeComplaint, ServicePolicy, Span,
};
use support::*;

const C: ComplaintId = ComplaintId::from_u128(0xc1);
const P: PromiseId = PromiseId::from_u128(0x91);
const JONAS: AgentId = AgentId::from_u128(101);

fn policy() -> ServicePolicy {
    ServicePolicy {
        updates: Some(UpdatePolicy::new(Targets::new(ByPriority::uniform(
            Span::hours(48),
        )))),
        ..hourly_response_policy()
    }
}

fn world() -> World {
    let mut w = World::new(policy(), "2026-03-06 09:00");
    w.given_customer(ONA, "standard");
    w
}

/// Our question, awaiting the customer.
fn ask(n: u128) -> RecordInteraction {
    RecordInteraction::outbound(
        InteractionId::from_u128(n),
        Channel::Email,
        JONAS,
        text("Which frame size did you order?"),
    )
    .awaiting_customer()
}

fn thanks(n: u128) -> RecordInteraction {
    inbound(n, Channel::Chat).no_reply_needed()
}

/// The complaint received at 09:00 and acknowledged at 09:30, the promise made at 09:45: both
/// cadences run, due 48 h after.
fn open_items() -> World {
    let mut w = world();
    w.when(
        ONA,
        ReceiveComplaint::new(C, Channel::Phone, text("Glasses still not ready")),
    )
    .unwrap();
    w.at("2026-03-06 09:30");
    w.when(
        ONA,
        AcknowledgeComplaint {
            complaint: C,
            by: JONAS,
        },
    )
    .unwrap();
    w.at("2026-03-06 09:45");
    w.when(
        ONA,
        MakePromise::new(P, text("New glasses"), t("2026-03-20 09:45"), JONAS).answering(C),
    )
    .unwrap();
    w
}

fn armed(events: &[Event]) -> Vec<(Regarding, Option<chrono::DateTime<chrono::Utc>>)> {
    events
        .iter()
        .filter_map(|e| match e {
            Event::Response(ResponseEvent::UpdateClockStarted { about, due, .. }) => {
                Some((*about, *due))
            }
            _ => None,
        })
        .collect()
}

fn update_events(envelopes: &[Envelope]) -> Vec<&'static str> {
    envelope_kinds(envelopes)
        .into_iter()
        .filter(|k| k.starts_with("update_"))
        .collect()
}

fn stage(w: &World, about: Regarding) -> Option<UpdateStage> {
    w.relationship(ONA).update_clock(about).map(|c| c.stage)
}

#[test]
fn a_question_answers_the_wait_then_nothing_is_due_until_the_customer_speaks() {
    let mut w = world();
    w.when(ONA, inbound(1, Channel::Email)).unwrap();
    w.at("2026-03-06 10:00");
    let events = w.when(ONA, ask(2)).unwrap();
    assert_eq!(
        kinds(&events),
        [
            "interaction_recorded",
            "response_clock_stopped",
            "response_awaiting_customer"
        ]
    );
    // The question is an answer: the first response is met, at the question.
    assert!(events.iter().any(|e| matches!(
        e,
        Event::Response(ResponseEvent::ClockStopped {
            kind: ClockKind::FirstResponse,
            outcome: Outcome::Met,
            ..
        })
    )));
    let pending = w.relationship(ONA).response_clock().pending().cloned();
    assert_eq!(
        pending.map(|p| p.asked_by),
        Some(InteractionId::from_u128(2))
    );
    // Days of silence: nothing is due, nothing is flagged, a reminder keeps us waiting.
    assert!(w.run_until("2026-03-13 10:00", 20).is_empty());
    assert!(w.ledger.flags(t("2026-03-13 10:00")).is_empty());
    w.when(ONA, outbound(3, Channel::Phone)).unwrap();
    assert!(w.relationship(ONA).response_clock().pending().is_some());
    w.assert_replay_matches();
}

#[test]
fn the_customers_answer_starts_a_reply_clock_even_when_we_asked_first() {
    let mut w = world();
    // We open the conversation with a question: nobody waited, nothing is answered.
    let events = w.when(ONA, ask(1)).unwrap();
    assert_eq!(
        kinds(&events),
        ["interaction_recorded", "response_awaiting_customer"]
    );
    w.at("2026-03-09 11:00");
    let events = w.when(ONA, inbound(2, Channel::Email)).unwrap();
    assert!(events.iter().any(|e| matches!(
        e,
        Event::Response(ResponseEvent::ClockStarted {
            kind: ClockKind::Reply,
            due: Some(due),
            ..
        }) if *due == t("2026-03-09 15:00")
    )));
    assert!(matches!(
        w.relationship(ONA).response_clock(),
        ResponseClock::Waiting(wait) if wait.kind == ClockKind::Reply
    ));
    w.assert_replay_matches();
}

#[test]
fn a_thank_you_ends_the_wait_for_the_customer_and_starts_no_clock() {
    let mut w = world();
    w.when(ONA, ask(1)).unwrap();
    w.at("2026-03-06 12:00");
    let events = w.when(ONA, thanks(2)).unwrap();
    assert_eq!(kinds(&events), ["interaction_recorded"]);
    assert_eq!(w.relationship(ONA).response_clock(), &ResponseClock::Idle);
    w.assert_replay_matches();
}

#[test]
fn our_question_about_a_complaint_and_a_promise_pauses_their_update_cadence_until_the_answer() {
    let mut w = open_items();
    w.at("2026-03-06 11:00");
    w.when(ONA, ask(1).regarding_complaint(C).regarding(P))
        .unwrap();
    assert_eq!(
        stage(&w, Regarding::Complaint(C)),
        Some(UpdateStage::Paused)
    );
    assert_eq!(stage(&w, Regarding::Promise(P)), Some(UpdateStage::Paused));
    // Ten silent days: no warning, no overdue, no flag (the customer owes us the next word).
    let silent = w.run_until("2026-03-16 11:00", 50);
    assert!(update_events(&silent).is_empty(), "{silent:?}");
    assert!(
        w.ledger
            .flags(t("2026-03-16 11:00"))
            .iter()
            .all(|f| !matches!(f.kind, FlagKind::UpdateAtRisk | FlagKind::UpdateOverdue))
    );
    // A reminder about the complaint does not re-arm it: we still wait for the customer.
    let reminder = outbound(2, Channel::Email).regarding_complaint(C);
    assert!(armed(&w.when(ONA, reminder).unwrap()).is_empty());
    // The customer's answer arms both afresh, 48 h from it.
    w.at("2026-03-16 12:00");
    let events = w.when(ONA, inbound(3, Channel::Email)).unwrap();
    let due = Some(t("2026-03-18 12:00"));
    assert_eq!(
        armed(&events),
        [(Regarding::Complaint(C), due), (Regarding::Promise(P), due)]
    );
    w.assert_replay_matches();
}

#[test]
fn a_complaint_that_itself_waits_on_the_customer_stays_paused_until_it_is_resumed() {
    let mut w = open_items();
    w.at("2026-03-06 11:00");
    w.when(ONA, AwaitCustomer { complaint: C }).unwrap();
    w.when(ONA, ask(1).regarding_complaint(C).regarding(P))
        .unwrap();
    w.at("2026-03-07 11:00");
    let events = w.when(ONA, thanks(2)).unwrap();
    // The promise's cadence runs again; the complaint's waits for its own answer.
    assert_eq!(
        armed(&events),
        [(Regarding::Promise(P), Some(t("2026-03-09 11:00")))]
    );
    assert_eq!(
        stage(&w, Regarding::Complaint(C)),
        Some(UpdateStage::Paused)
    );
    let events = w.when(ONA, ResumeComplaint { complaint: C }).unwrap();
    assert_eq!(
        armed(&events),
        [(Regarding::Complaint(C), Some(t("2026-03-09 11:00")))]
    );
    w.assert_replay_matches();
}

#[test]
fn an_inbound_interaction_cannot_await_the_customer_and_the_refusal_changes_nothing() {
    let mut w = world();
    w.when(ONA, inbound(1, Channel::Email)).unwrap();
    let mut contradictory = inbound(2, Channel::Email);
    contradictory.awaits_customer = true;
    w.assert_each_refused(
        ONA,
        vec![(
            Command::from(contradictory),
            CommandError::Contradictory("an inbound interaction cannot await the customer"),
        )],
    );
}

/// Records, at the world's current time, `command` as having happened at `happened`.
fn late(w: &mut World, happened: &str, command: RecordInteraction) -> Vec<Envelope> {
    let request = Request::new(command).occurred_at(t(happened));
    let envelopes = w.ledger.execute_request(ONA, request, w.now).unwrap();
    w.log.extend(envelopes.iter().cloned());
    envelopes
}

#[test]
fn a_question_logged_after_the_customer_spoke_again_is_an_answer_only() {
    let mut w = world();
    w.when(ONA, inbound(1, Channel::Email)).unwrap();
    w.at("2026-03-06 11:00");
    w.when(ONA, inbound(2, Channel::Chat)).unwrap();
    w.at("2026-03-06 12:00");
    let envelopes = late(&mut w, "2026-03-06 10:00", ask(3));
    // It answered the message of 09:00; the message of 11:00 starts the reply clock, and
    // nothing awaits the customer: they spoke after the question.
    assert_eq!(
        envelope_kinds(&envelopes),
        [
            "interaction_recorded",
            "response_clock_stopped",
            "response_clock_started"
        ]
    );
    assert!(w.relationship(ONA).response_clock().wait().is_some());
    w.assert_replay_matches();
}

#[test]
fn a_question_logged_late_awaits_the_customer_from_its_time_and_an_older_message_does_not_end_it() {
    let mut w = world();
    w.at("2026-03-06 12:00");
    let envelopes = late(&mut w, "2026-03-06 10:00", ask(1));
    assert_eq!(envelopes.last().map(|e| e.at), Some(t("2026-03-06 10:00")));
    let pending = w.relationship(ONA).response_clock().pending().cloned();
    assert_eq!(pending.map(|p| p.since), Some(t("2026-03-06 10:00")));
    // A thank-you from before the question is not an answer to it.
    late(&mut w, "2026-03-06 09:30", thanks(2));
    assert!(w.relationship(ONA).response_clock().pending().is_some());
    w.assert_replay_matches();
}
