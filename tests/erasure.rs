//! Personal data and its erasure: marked, redacted in `Debug`, erased from state by
//! `ErasePersonalData`, never brought back by replay, and no measure changes with it.

mod support;

use clientele::CustomerEvent;
use clientele::{
    AcknowledgeComplaint, AnswerSurvey, Channel, CompleteFollowUp, CsatScore, Envelope,
    ErasePersonalData, Event, FollowUpId, FollowUpOutcome, KeepPromise, Ledger, MakePromise,
    PartyId, PromiseId, ReceiveComplaint, RecordDependency, RegisterCustomer, ResolveComplaint,
    RevisePromise, ServicePolicy, SurveyAnswer, Tally, Window, WithdrawPromise,
};
use support::*;

/// Every piece of personal data the story below records.
const SECRETS: [&str; 12] = [
    "Ona Petraitė",
    "ona@example.lt",
    "+370 600 00000",
    "my glasses broke on the bus",
    "new frames by Friday",
    "lab ground the lenses",
    "the lab is late, sorry",
    "she found her old pair",
    "frames scratched at pick-up",
    "replaced the frames",
    "free cleaning kit",
    "happy now, thanks",
];

/// A customer with something of every kind: contacts, interactions, a revised and kept
/// promise with an outside party, a withdrawn one, a resolved complaint with a follow-up done,
/// a survey answer, and a question still waiting for an answer.
fn story() -> World {
    let mut w = World::new(ServicePolicy::default(), "2026-03-02 09:00");
    let register = RegisterCustomer::new(text(SECRETS[0]), tier("standard"))
        .contact(Channel::Email, text(SECRETS[1]))
        .contact(Channel::Phone, text(SECRETS[2]))
        .owned_by(AGENT);
    w.when(ONA, register).unwrap();
    w.when(
        ONA,
        clientele::RecordInteraction::inbound(
            clientele::InteractionId::from_u128(1),
            Channel::Phone,
            text(SECRETS[3]),
        ),
    )
    .unwrap();
    let glasses = PromiseId::from_u128(1);
    w.at("2026-03-02 09:30");
    w.when(
        ONA,
        MakePromise::new(glasses, text(SECRETS[4]), t("2026-03-06 17:00"), AGENT)
            .fulfilled_by(PartyId::from_u128(7), text("Lens lab")),
    )
    .unwrap();
    w.when(
        ONA,
        RecordDependency {
            promise: glasses,
            party: PartyId::from_u128(7),
            commitment: text(SECRETS[5]).into(),
            reference: Some(text("LAB-2291")),
            due: t("2026-03-05 12:00"),
        },
    )
    .unwrap();
    w.at("2026-03-04 10:00");
    w.when(
        ONA,
        RevisePromise {
            promise: glasses,
            due: t("2026-03-09 17:00"),
            reason: text(SECRETS[6]).into(),
            customer_agreed: true,
        },
    )
    .unwrap();
    let spare = PromiseId::from_u128(2);
    w.when(
        ONA,
        MakePromise::new(spare, text("a spare pair"), t("2026-03-20 17:00"), AGENT),
    )
    .unwrap();
    w.when(
        ONA,
        WithdrawPromise {
            promise: spare,
            reason: text(SECRETS[7]).into(),
        },
    )
    .unwrap();
    w.at("2026-03-09 16:00");
    w.when(ONA, KeepPromise { promise: glasses }).unwrap();
    let complaint = clientele::ComplaintId::from_u128(1);
    w.when(
        ONA,
        ReceiveComplaint::new(complaint, Channel::Email, text(SECRETS[8])),
    )
    .unwrap();
    w.when(
        ONA,
        AcknowledgeComplaint {
            complaint,
            by: AGENT,
        },
    )
    .unwrap();
    let follow_up = FollowUpId::from_u128(1);
    w.at("2026-03-10 11:00");
    w.when(
        ONA,
        ResolveComplaint {
            complaint,
            by: AGENT,
            remedy: Some(text(SECRETS[10]).into()),
            apology: true,
            summary: text(SECRETS[9]).into(),
            follow_up: Some(follow_up),
        },
    )
    .unwrap();
    w.run_until("2026-03-20 12:00", 100);
    w.at("2026-03-20 12:00");
    w.when(
        ONA,
        CompleteFollowUp {
            follow_up,
            outcome: FollowUpOutcome::Satisfied,
            note: Some(text(SECRETS[11]).into()),
        },
    )
    .unwrap();
    w.when(
        ONA,
        AnswerSurvey {
            survey: None,
            answer: SurveyAnswer::Csat(CsatScore::new(5).unwrap()),
            comment: Some(text("lovely service").into()),
        },
    )
    .unwrap();
    w.when(ONA, inbound(2, Channel::Email)).unwrap();
    w
}

/// The log as a crypto-shredding service reads it once the customer's key is destroyed.
fn shredded(log: &[Envelope]) -> Vec<Envelope> {
    log.iter()
        .cloned()
        .map(|mut e| {
            e.take_personal();
            e
        })
        .collect()
}

fn leaks(debug: &str) -> Vec<&'static str> {
    SECRETS.into_iter().filter(|s| debug.contains(s)).collect()
}

#[test]
fn debug_output_never_shows_personal_data() {
    let w = story();
    assert!(w.relationship(ONA).holds_personal_data());
    assert_eq!(
        leaks(&format!("{:?}", w.relationship(ONA))),
        Vec::<&str>::new()
    );
    assert_eq!(leaks(&format!("{:?}", w.log)), Vec::<&str>::new());
    let register = RegisterCustomer::new(text(SECRETS[0]), tier("standard"));
    assert_eq!(leaks(&format!("{register:?}")), Vec::<&str>::new());
    // The stored form does carry it: that is what the service encrypts or externalises.
    let stored = serde_json::to_string(&w.log).unwrap();
    assert_eq!(leaks(&stored).len(), SECRETS.len());
}

#[test]
fn erasing_removes_every_piece_of_personal_data_and_says_so() {
    let mut w = story();
    let policy = w.ledger.policy().clone();
    let before = w.relationship(ONA).clone();
    let events = w.when(ONA, ErasePersonalData::default()).unwrap();
    let Some(Event::Customer(CustomerEvent::PersonalDataErased { fields })) = events.last() else {
        panic!("{events:?}");
    };
    // Name, 2 addresses, the complaint's summary, resolution summary and remedy. The two
    // promises (kept, withdrawn) and the follow-up (done) are closed: archived by id and stage,
    // their texts (what was promised, the lab's commitment, the revision's and withdrawal's
    // reasons, the follow-up's reason) are no longer held, so there is nothing of them to erase.
    assert_eq!(*fields, 6);
    let after = w.relationship(ONA);
    assert!(!after.holds_personal_data());
    let profile = after.profile().unwrap();
    assert!(profile.name.is_erased() && profile.contacts.is_empty());
    assert!(after.promises().all(|(_, p)| p.terms.what.is_erased()));
    // Nothing else moved: flags, the next deadline, health, version bookkeeping aside.
    assert_eq!(after.flags(w.now), before.flags(w.now));
    assert_eq!(after.next_deadline(), before.next_deadline());
    assert_eq!(after.health(&policy, w.now), before.health(&policy, w.now));
    assert_eq!(after.version(), before.version() + 1);
    // A second request erases nothing more, and says so.
    let again = w.when(ONA, ErasePersonalData::default()).unwrap();
    assert_eq!(
        again,
        vec![Event::Customer(CustomerEvent::PersonalDataErased {
            fields: 0
        })]
    );
    w.assert_replay_matches();
}

#[test]
fn replaying_a_log_with_the_erasure_never_brings_the_data_back() {
    let mut w = story();
    w.when(ONA, ErasePersonalData::default()).unwrap();
    let replayed = Ledger::replay(ServicePolicy::default(), &w.log).unwrap();
    let ona = replayed.get(ONA).unwrap();
    assert!(!ona.holds_personal_data());
    assert_eq!(ona, w.relationship(ONA));
    // New personal data after the erasure is new: it is held, and only it.
    w.at("2026-03-21 09:00");
    w.when(
        ONA,
        clientele::RecordInteraction::outbound(
            clientele::InteractionId::from_u128(3),
            Channel::Email,
            AGENT,
            text("answered"),
        ),
    )
    .unwrap();
    w.assert_replay_matches();
}

#[test]
fn a_log_shredded_by_the_service_replays_to_the_same_state() {
    let mut w = story();
    w.when(ONA, ErasePersonalData::default()).unwrap();
    // Crypto-shredding: the service destroyed the key, so every stored payload reads erased.
    let shredded = shredded(&w.log);
    let stored = serde_json::to_string(&shredded).unwrap();
    assert_eq!(leaks(&stored), Vec::<&str>::new());
    let read: Vec<Envelope> = serde_json::from_str(&stored).unwrap();
    let replayed = Ledger::replay(ServicePolicy::default(), &read).unwrap();
    assert_eq!(replayed.get(ONA), w.ledger.get(ONA));
}

#[test]
fn every_measure_survives_erasure_and_shredding() {
    let mut w = story();
    let untouched = Tally::from_log(Window::all(), &w.log).unwrap();
    w.when(ONA, ErasePersonalData::default()).unwrap();
    let erased = Tally::from_log(Window::all(), &w.log).unwrap();
    assert_eq!(erased.book(), untouched.book());
    assert_eq!(erased.customer(ONA), untouched.customer(ONA));
    assert_eq!(erased.owner(AGENT), untouched.owner(AGENT));
    let shredded = shredded(&w.log);
    assert_eq!(Tally::from_log(Window::all(), &shredded).unwrap(), erased);
    assert!(!untouched.book().is_empty());
}

#[test]
fn externalised_payloads_round_trip_in_a_stable_order() {
    let w = story();
    for envelope in &w.log {
        let mut stored = envelope.clone();
        let payload = stored.take_personal();
        assert!(stored.clone().take_personal().iter().all(Option::is_none));
        stored.restore_personal(payload.clone()).unwrap();
        assert_eq!(&stored, envelope);
        let mut wrong = payload;
        wrong.push(None);
        let mut untouched = envelope.clone();
        untouched.take_personal();
        let copy = untouched.clone();
        assert!(untouched.restore_personal(wrong).is_err());
        assert_eq!(untouched, copy, "a refused restore changes nothing");
    }
}
