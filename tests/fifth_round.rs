//! Review of the fifth round (issue 15): snapshots that save each customer's next deadline,
//! the archive's sorted runs behind a Bloom filter, the rarely used parts in one box, and a
//! book folding each command's writes into the shared history. What a user relies on: a
//! book restored from a snapshot (under the same policy, or under one that differs outside
//! its health rules) fires what a replay under that policy fires, when it fires it; loading a
//! book into a non-empty one is the replay of both logs; a snapshot whose rules do not match
//! is worked out again whatever deadlines it says; duplicate ids are refused exactly, however
//! many items were archived and wherever the relationship came from; the rarely used parts
//! never make two equal histories compare or serialize differently; copies of a book kept
//! aside are the replay of the log they had seen.

#[path = "support/arb.rs"]
mod arb;
#[path = "support/play.rs"]
mod play;
mod support;

use chrono::{DateTime, TimeDelta, Utc};
use clientele::snapshot::Encoding;
use clientele::{
    AnswerSurvey, Channel, CloseComplaint, Command, CommandError, ComplaintId, CompleteFollowUp,
    CsatScore, Envelope, ErasePersonalData, FollowUpId, FollowUpOutcome, IdempotencyKey,
    InteractionId, KeepPromise, Ledger, MakePromise, PromiseId, ReceiveComplaint,
    RecordInteraction, RegisterCustomer, Relationship, Request, RequestSurvey, ScheduleFollowUp,
    ServicePolicy, SurveyAnswer, SurveyId, SurveyKind,
};
use play::{played, step};
use proptest::prelude::*;
use support::*;

const ENCODINGS: [Encoding; 2] = [Encoding::Binary, Encoding::Json];

/// `restored` answers as `replayed` does, now and as time moves on (both advanced in turn).
fn same_book(
    restored: &Ledger,
    replayed: &Ledger,
    now: DateTime<Utc>,
) -> Result<(), TestCaseError> {
    prop_assert!(restored == replayed);
    prop_assert_eq!(restored.next_deadline(), replayed.next_deadline());
    prop_assert_eq!(restored.pending(), replayed.pending());
    let (mut restored, mut replayed) = (restored.clone(), replayed.clone());
    for later in [1, 26, 24 * 9, 24 * 60] {
        let at = now + TimeDelta::hours(later);
        prop_assert_eq!(restored.due_by(at), replayed.due_by(at), "due by {}", at);
        prop_assert_eq!(
            restored.advance_to(at),
            replayed.advance_to(at),
            "fired by {}",
            at
        );
        prop_assert_eq!(restored.next_deadline(), replayed.next_deadline());
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: ProptestConfig::default().cases.min(128), ..ProptestConfig::default() })]

    /// A live book (not a replay: its deadlines were filed command by command and fired in
    /// place) saved and restored under the same policy, or under a policy whose response,
    /// complaint, promise, calendar and cadence rules differ but whose health rules are the
    /// same (so the saved deadlines are trusted), is the book a replay under that policy
    /// gives: same next deadline, same events fired at the same instants.
    #[test]
    fn a_live_book_restored_under_other_rules_but_the_same_health_rules_fires_as_replay_does(
        tweaks in arb::policy_tweaks(),
        other in arb::policy_tweaks(),
        steps in proptest::collection::vec(step(), 0..40),
    ) {
        let policy = arb::build_policy(&tweaks);
        prop_assume!(Ledger::new(policy.clone()).is_ok());
        let mut changed = arb::build_policy(&other);
        changed.health = policy.health.clone();
        let (live, log, now) = played(&policy, &steps, 0);
        for under in [policy, changed] {
            let Ok(replayed) = Ledger::replay(under.clone(), &log) else {
                continue;
            };
            for encoding in ENCODINGS {
                let saved = live.snapshot(encoding).unwrap();
                let restored = Ledger::restore(under.clone(), &saved).unwrap();
                same_book(&restored, &replayed, now)?;
            }
        }
    }

    /// Customers loaded into a book that already holds others are filed (deadlines and work)
    /// as a replay of both logs files them, whatever rules the snapshot was written under.
    #[test]
    fn a_book_loaded_into_a_non_empty_book_is_the_replay_of_both_logs(
        first in proptest::collection::vec(step(), 0..25),
        second in proptest::collection::vec(step(), 0..25),
        stricter in any::<bool>(),
    ) {
        let policy = ServicePolicy::default();
        let (_, log_a, now_a) = played(&policy, &first, 0);
        let (b, log_b, now_b) = played(&policy, &second, 100);
        let mut under = ServicePolicy::default();
        if stricter {
            under.health.watch_below = 99;
            under.health.at_risk_below = 97;
            under.health.window = clientele::Span::days(2);
        }
        let mut book = Ledger::replay(under.clone(), &log_a).unwrap();
        let json = serde_json::to_vec(&b).unwrap();
        book.load_book(&mut serde_json::Deserializer::from_slice(&json)).unwrap();
        let both: Vec<_> = log_a.iter().chain(&log_b).cloned().collect();
        let replayed = Ledger::replay(under, &both).unwrap();
        same_book(&book, &replayed, now_a.max(now_b))?;
        // The same book again: every customer is already held, refused, nothing filed twice.
        let mut again = book.clone();
        prop_assert!(again.load_book(&mut serde_json::Deserializer::from_slice(&json)).is_err());
        prop_assert_eq!(again.next_deadline(), replayed.next_deadline());
        prop_assert_eq!(again.pending(), replayed.pending());
    }
}

/// Ona waits for a first response (due in the evening) and Petras has a promise due later.
fn waiting_book() -> (World, Vec<u8>) {
    let mut w = World::new(hourly_response_policy(), "2026-03-02 09:00");
    w.given_customer(ONA, "standard");
    w.given_customer(PETRAS, "standard");
    w.when(ONA, inbound(1, Channel::Email)).unwrap();
    let due = t("2026-03-04 12:00");
    let promise = MakePromise::new(PromiseId::from_u128(3), text("a call back"), due, AGENT);
    w.when(PETRAS, promise).unwrap();
    let json = w.ledger.snapshot(Encoding::Json).unwrap();
    (w, json)
}

/// The JSON snapshot with each live customer's saved `next` replaced by `next`, and its
/// rules' fingerprint by `rules` when given.
fn edited(json: &[u8], next: &serde_json::Value, rules: Option<u64>) -> Vec<u8> {
    let mut frame: serde_json::Value = serde_json::from_slice(json).unwrap();
    let body = &mut frame["body"];
    if let Some(rules) = rules {
        body["rules"] = rules.into();
    }
    for entry in body["customers"].as_array_mut().unwrap() {
        let live = &mut entry["Live"];
        assert!(
            live.get("next").is_some(),
            "the snapshot saves `next`: {live}"
        );
        live["next"] = next.clone();
    }
    serde_json::to_vec(&frame).unwrap()
}

const EDITS: [&str; 6] = [
    "1970-01-01T00:00:00Z",
    "2026-03-02T09:00:00Z",
    "2026-03-02T10:30:00Z",
    "9999-12-31T23:59:59Z",
    "+262142-12-31T23:59:59.999999999Z",
    "-262143-01-01T00:00:00Z",
];

#[test]
fn a_snapshot_whose_rules_do_not_match_works_out_every_deadline_again_whatever_it_saved() {
    let (w, json) = waiting_book();
    let expected = w.ledger.next_deadline();
    assert!(expected.is_some());
    let mut edits: Vec<serde_json::Value> = EDITS.iter().map(|s| (*s).into()).collect();
    edits.push(serde_json::Value::Null);
    for next in &edits {
        for rules in [0, u64::MAX, 12_345] {
            let bytes = edited(&json, next, Some(rules));
            let restored = Ledger::restore(hourly_response_policy(), &bytes).unwrap();
            assert!(restored == w.ledger, "{next}");
            assert_eq!(
                restored.next_deadline(),
                expected,
                "saved {next}, rules {rules}"
            );
            let later = t("2026-03-05 09:00");
            assert_eq!(
                restored.clone().advance_to(later),
                w.ledger.clone().advance_to(later),
                "{next}"
            );
        }
    }
}

#[test]
fn a_saved_deadline_earlier_than_the_true_one_fires_nothing_early_and_then_the_true_one() {
    let (w, json) = waiting_book();
    for next in [
        "1970-01-01T00:00:00Z",
        "2026-03-02T09:00:00Z",
        "2026-03-02T10:30:00Z",
    ] {
        let bytes = edited(&json, &next.into(), None);
        let mut restored = Ledger::restore(hourly_response_policy(), &bytes).unwrap();
        let mut live = w.ledger.clone();
        // Early: the saved instant passes, nothing is due yet.
        let early = t("2026-03-02 11:00");
        assert_eq!(restored.advance_to(early), live.advance_to(early), "{next}");
        assert_eq!(restored.next_deadline(), live.next_deadline(), "{next}");
        for later in ["2026-03-02 20:00", "2026-03-05 09:00", "2026-04-01 09:00"] {
            let events = restored.advance_to(t(later));
            assert_eq!(events, live.advance_to(t(later)), "{next} by {later}");
            assert_eq!(restored.next_deadline(), live.next_deadline());
        }
    }
}

/// A saved deadline no clock could give (later than a customer's earliest clock deadline,
/// none while a clock runs, earlier than their last fact) is worked out again even when the
/// rules' fingerprint matches: a corrupt snapshot does not make the book miss a deadline.
#[test]
fn a_saved_deadline_no_clock_could_give_is_worked_out_again() {
    let (w, json) = waiting_book();
    let edits = [
        serde_json::Value::Null,
        "1970-01-01T00:00:00Z".into(),
        "2026-03-10T09:00:00Z".into(),
        "9999-12-31T23:59:59Z".into(),
    ];
    for next in &edits {
        let bytes = edited(&json, next, None);
        let restored = Ledger::restore(hourly_response_policy(), &bytes).unwrap();
        assert_eq!(restored.next_deadline(), w.ledger.next_deadline(), "{next}");
        let by = t("2026-03-05 09:00");
        assert_eq!(restored.due_by(by), w.ledger.due_by(by), "{next}");
    }
}

#[test]
fn saved_deadlines_at_chronos_limits_or_out_of_range_never_panic() {
    let (w, json) = waiting_book();
    let mut edits: Vec<serde_json::Value> = EDITS.iter().map(|s| (*s).into()).collect();
    edits.extend([
        serde_json::Value::Null,
        "+262144-01-01T00:00:00Z".into(),
        "not an instant".into(),
        42.into(),
        serde_json::json!({"secs": i64::MAX}),
    ]);
    for next in &edits {
        let bytes = edited(&json, next, None);
        let Ok(mut restored) = Ledger::restore(hourly_response_policy(), &bytes) else {
            continue;
        };
        assert!(restored == w.ledger, "{next}");
        let _ = restored.next_deadline();
        let _ = restored.due_by(DateTime::<Utc>::MAX_UTC);
        let _ = restored.advance_to(t("2026-03-05 09:00"));
        let _ = restored.advance_to(DateTime::<Utc>::MAX_UTC);
        let _ = restored.snapshot(Encoding::Binary).unwrap();
        let _ = restored.clone().advance_to(DateTime::<Utc>::MIN_UTC);
    }
}

/// A small deterministic generator (SplitMix64) for ids spread over the whole range.
struct Ids(u64);

impl Ids {
    fn next(&mut self) -> u128 {
        let mut one = || {
            self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut z = self.0;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            z ^ (z >> 31)
        };
        (u128::from(one()) << 64) | u128::from(one())
    }
}

/// Ona with `count` interactions, promises made and kept, and follow-ups scheduled and done,
/// ids random (`random`) or sequential; what was used, and ids never used.
struct Archived {
    ona: Relationship,
    log: Vec<Envelope>,
    used: Vec<u128>,
    unused: Vec<u128>,
    now: DateTime<Utc>,
}

fn archived(count: usize, random: bool, seed: u64) -> Archived {
    let policy = ServicePolicy::default();
    let mut ona = Relationship::new(ONA);
    let mut now = t("2026-03-02 09:00");
    let register = RegisterCustomer::new(text("Ona"), tier("standard")).owned_by(AGENT);
    let mut log = ona.execute(&policy, register, now).unwrap();
    let mut ids = Ids(seed);
    let mut fresh = |n: usize| {
        if random { ids.next() } else { 1000 + n as u128 }
    };
    let mut used = Vec::with_capacity(count);
    for n in 0..count {
        now += TimeDelta::minutes(3);
        let id = fresh(n);
        used.push(id);
        let commands: Vec<Command> = match n % 3 {
            0 => vec![
                RecordInteraction::inbound(InteractionId::from_u128(id), Channel::Chat, text("hi"))
                    .into(),
            ],
            1 => {
                let promise = PromiseId::from_u128(id);
                let make =
                    MakePromise::new(promise, text("a part"), now + TimeDelta::days(2), AGENT);
                vec![make.into(), KeepPromise { promise }.into()]
            }
            _ => {
                let follow_up = FollowUpId::from_u128(id);
                let schedule =
                    ScheduleFollowUp::new(follow_up, AGENT, now + TimeDelta::days(1), text("call"));
                let done = CompleteFollowUp::new(follow_up, FollowUpOutcome::Satisfied);
                vec![schedule.into(), done.into()]
            }
        };
        for command in commands {
            log.extend(ona.execute(&policy, command, now).unwrap());
        }
    }
    let unused = (0..400).map(|n| fresh(count + n)).collect();
    Archived {
        ona,
        log,
        used,
        unused,
        now,
    }
}

/// Every used id is refused as a duplicate by every family that keeps it apart (interactions,
/// promises, follow-ups: each id refused by its own family), and no unused id is.
fn refuses_exactly(ona: &Relationship, a: &Archived, what: &str) {
    let policy = ServicePolicy::default();
    let now = a.now + TimeDelta::minutes(1);
    let commands = |id: u128| -> [Command; 3] {
        [
            RecordInteraction::inbound(InteractionId::from_u128(id), Channel::Chat, text("again"))
                .into(),
            MakePromise::new(
                PromiseId::from_u128(id),
                text("x"),
                now + TimeDelta::days(3),
                AGENT,
            )
            .into(),
            ScheduleFollowUp::new(
                FollowUpId::from_u128(id),
                AGENT,
                now + TimeDelta::days(3),
                text("x"),
            )
            .into(),
        ]
    };
    for (n, id) in a.used.iter().enumerate() {
        let family = n % 3;
        for (k, command) in commands(*id).iter().enumerate() {
            let decided = ona.decide(&policy, command, now);
            if k == family {
                let refused = matches!(
                    decided,
                    Err(CommandError::DuplicateInteraction(_)
                        | CommandError::DuplicatePromise(_)
                        | CommandError::DuplicateFollowUp(_))
                );
                assert!(refused, "{what}: id {id:#x} ({n}) used, got {decided:?}");
            } else {
                // Another family's id space: this id is new there.
                assert!(
                    decided.is_ok(),
                    "{what}: id {id:#x} ({n}) in family {k}: {decided:?}"
                );
            }
        }
    }
    for id in &a.unused {
        for command in commands(*id) {
            let decided = ona.decide(&policy, &command, now);
            assert!(
                decided.is_ok(),
                "{what}: id {id:#x} never used: {decided:?}"
            );
        }
    }
}

#[test]
fn duplicate_ids_are_refused_exactly_among_thousands_archived_wherever_the_relationship_came_from()
{
    for (random, seed) in [(true, 7), (false, 0), (true, 0x5eed)] {
        let a = archived(3000, random, seed);
        assert!(a.ona.archived() >= 2000, "{}", a.ona.archived());
        refuses_exactly(&a.ona, &a, "live");
        let copy = a.ona.clone();
        refuses_exactly(&copy, &a, "copy");
        refuses_exactly(&Relationship::replay(ONA, &a.log).unwrap(), &a, "replay");
        for encoding in ENCODINGS {
            let restored = Relationship::restore(&a.ona.snapshot(encoding).unwrap()).unwrap();
            assert_eq!(restored, a.ona);
            refuses_exactly(&restored, &a, "restored");
            // Restored twice: the filter is derived again from what was saved.
            let twice = Relationship::restore(&restored.snapshot(encoding).unwrap()).unwrap();
            refuses_exactly(&twice, &a, "restored twice");
        }
        let json = serde_json::to_string(&a.ona).unwrap();
        refuses_exactly(&serde_json::from_str(&json).unwrap(), &a, "serde JSON");
        let mut erased = a.ona.clone();
        erased
            .execute(&ServicePolicy::default(), ErasePersonalData {}, a.now)
            .unwrap();
        refuses_exactly(&erased, &a, "erased");
        refuses_exactly(&a.ona, &a, "the original after its copies");
        // Through a book that folds each command's writes.
        let book = Ledger::replay(ServicePolicy::default(), &a.log).unwrap();
        refuses_exactly(book.get(ONA).unwrap(), &a, "book");
    }
}

#[test]
fn a_duplicate_refused_among_archived_ids_changes_nothing_and_a_new_id_still_archives() {
    let a = archived(900, true, 99);
    let policy = ServicePolicy::default();
    let mut ona = a.ona.clone();
    let now = a.now + TimeDelta::minutes(1);
    for id in a.used.iter().skip(1).step_by(3).take(50) {
        let promise = PromiseId::from_u128(*id);
        let make = MakePromise::new(promise, text("again"), now + TimeDelta::days(1), AGENT);
        assert_eq!(
            ona.execute(&policy, make, now),
            Err(CommandError::DuplicatePromise(promise))
        );
    }
    assert_eq!(ona, a.ona, "refusals changed nothing");
    let fresh = PromiseId::from_u128(a.unused[0]);
    let make = MakePromise::new(fresh, text("new"), now + TimeDelta::days(1), AGENT);
    let mut log = a.log.clone();
    log.extend(ona.execute(&policy, make.clone(), now).unwrap());
    log.extend(
        ona.execute(&policy, KeepPromise { promise: fresh }, now)
            .unwrap(),
    );
    assert_eq!(
        ona.execute(&policy, make, now),
        Err(CommandError::DuplicatePromise(fresh))
    );
    assert_eq!(ona, Relationship::replay(ONA, &log).unwrap());
}

/// A step of a story in the rarely used parts.
#[derive(Debug, Clone)]
enum Rare {
    /// A complaint received (its number mod 4), then maybe closed at once.
    Complaint(u8, bool),
    /// A follow-up scheduled (number mod 4), then maybe done.
    FollowUp(u8, bool),
    /// A survey requested, then maybe answered.
    Survey(u8, bool),
    /// An interaction sent with an idempotency key (number mod 3: keys repeat).
    Keyed(u8),
    /// Time advances this many hours and deadlines fire.
    Advance(u16),
}

fn rare() -> impl Strategy<Value = Rare> {
    prop_oneof![
        (any::<u8>(), any::<bool>()).prop_map(|(n, b)| Rare::Complaint(n, b)),
        (any::<u8>(), any::<bool>()).prop_map(|(n, b)| Rare::FollowUp(n, b)),
        (any::<u8>(), any::<bool>()).prop_map(|(n, b)| Rare::Survey(n, b)),
        any::<u8>().prop_map(Rare::Keyed),
        (1u16..400).prop_map(Rare::Advance),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: ProptestConfig::default().cases.min(256), ..ProptestConfig::default() })]

    /// Whether the box of rarely used parts exists (opened and emptied again: complaints
    /// closed, follow-ups done, keys expired) never shows: live equals replay, its snapshots
    /// (both encodings, byte for byte) equal the replay's, and each restores to it.
    #[test]
    fn the_rarely_used_parts_never_show_whether_their_box_exists(
        steps in proptest::collection::vec(rare(), 0..30),
    ) {
        let policy = ServicePolicy::default();
        let mut ona = Relationship::new(ONA);
        let mut now = t("2026-03-02 09:00");
        let register = RegisterCustomer::new(text("Ona"), tier("standard")).owned_by(AGENT);
        let mut log = ona.execute(&policy, register, now).unwrap();
        let mut ids = 100u128;
        for step in &steps {
            now += TimeDelta::minutes(7);
            ids += 1;
            let requests: Vec<Request> = match step {
                Rare::Complaint(n, close) => {
                    let complaint = ComplaintId::from_u128(u128::from(n % 4));
                    let mut r = vec![Request::new(ReceiveComplaint::new(complaint, Channel::Email, text("late")))];
                    if *close {
                        r.push(Request::new(resolution(complaint, AGENT, "done")));
                        r.push(Request::new(CloseComplaint { complaint }));
                    }
                    r
                }
                Rare::FollowUp(n, done) => {
                    let follow_up = FollowUpId::from_u128(u128::from(n % 4) + 10);
                    let mut r = vec![Request::new(ScheduleFollowUp::new(follow_up, AGENT, now + TimeDelta::hours(30), text("call")))];
                    if *done {
                        r.push(Request::new(CompleteFollowUp::new(follow_up, FollowUpOutcome::Satisfied)));
                    }
                    r
                }
                Rare::Survey(n, answered) => {
                    let survey = SurveyId::from_u128(u128::from(*n) + 20);
                    let mut r = vec![Request::new(RequestSurvey::new(survey, SurveyKind::Csat))];
                    if *answered {
                        let answer = SurveyAnswer::Csat(CsatScore::new(4).unwrap());
                        r.push(Request::new(AnswerSurvey { survey: Some(survey), answer, comment: None }));
                    }
                    r
                }
                Rare::Keyed(n) => {
                    let key = IdempotencyKey::new(format!("key-{}", n % 3)).unwrap();
                    let message = RecordInteraction::outbound(InteractionId::from_u128(ids), Channel::Email, AGENT, text("news"));
                    vec![Request::new(message).idempotent(key)]
                }
                Rare::Advance(hours) => {
                    now += TimeDelta::hours(i64::from(*hours));
                    log.extend(ona.advance_to(&policy, now));
                    Vec::new()
                }
            };
            for request in requests {
                if let Ok(events) = ona.execute_request(&policy, request, now) {
                    log.extend(events);
                }
            }
        }
        let replayed = Relationship::replay(ONA, &log).unwrap();
        prop_assert_eq!(&replayed, &ona);
        prop_assert_eq!(replayed.next_deadline(), ona.next_deadline());
        prop_assert_eq!(replayed.flags(now), ona.flags(now));
        for encoding in ENCODINGS {
            let saved = ona.snapshot(encoding).unwrap();
            prop_assert_eq!(&saved, &replayed.snapshot(encoding).unwrap());
            let restored = Relationship::restore(&saved).unwrap();
            prop_assert_eq!(&restored, &ona);
            prop_assert_eq!(restored.snapshot(encoding).unwrap(), saved);
        }
        let json = serde_json::to_string(&ona).unwrap();
        prop_assert_eq!(&json, &serde_json::to_string(&replayed).unwrap());
        prop_assert_eq!(&serde_json::from_str::<Relationship>(&json).unwrap(), &ona);
        // A fresh relationship (no box ever) equals one whose box came and went, and both
        // replay and snapshot the same once they hold the same facts: checked above; here
        // the empty case by itself.
        let empty = Relationship::replay(ONA, &log[..1]).unwrap();
        let json_empty = serde_json::to_string(&empty).unwrap();
        prop_assert_eq!(&serde_json::from_str::<Relationship>(&json_empty).unwrap(), &empty);
    }
}

#[test]
fn a_book_with_a_long_history_and_copies_kept_aside_equals_the_replay_of_what_each_saw() {
    let policy = ServicePolicy::default();
    let mut ledger = Ledger::new(policy.clone()).unwrap();
    let mut log = Vec::new();
    let mut now = t("2026-03-02 09:00");
    for c in [ONA, PETRAS] {
        let register = RegisterCustomer::new(text("Customer"), tier("standard")).owned_by(AGENT);
        log.extend(ledger.execute(c, register, now).unwrap());
    }
    let mut copies: Vec<(Ledger, usize, DateTime<Utc>)> = Vec::new();
    for n in 0..1500u128 {
        now += TimeDelta::minutes(17);
        let customer = if (n / 7) % 5 == 0 { PETRAS } else { ONA };
        let command: Command = match n % 7 {
            0 | 2 | 4 => {
                RecordInteraction::inbound(InteractionId::from_u128(n), Channel::Chat, text("q"))
                    .into()
            }
            1 | 3 => RecordInteraction::outbound(
                InteractionId::from_u128(n),
                Channel::Chat,
                AGENT,
                text("a"),
            )
            .into(),
            5 => MakePromise::new(
                PromiseId::from_u128(n),
                text("p"),
                now + TimeDelta::days(2),
                AGENT,
            )
            .into(),
            _ => KeepPromise {
                promise: PromiseId::from_u128(n - 1),
            }
            .into(),
        };
        log.extend(ledger.execute(customer, command, now).unwrap());
        if n % 97 == 0 {
            copies.push((ledger.clone(), log.len(), now));
        }
        if n % 131 == 0 {
            // What falls due, seen from a copy, then folded into the book.
            let due = ledger.clone().due_by(now + TimeDelta::hours(6));
            assert_eq!(due, ledger.clone().advance_to(now + TimeDelta::hours(6)));
            now += TimeDelta::hours(6);
            log.extend(ledger.advance_to(now));
        }
    }
    let replayed = Ledger::replay(policy.clone(), &log).unwrap();
    assert!(ledger == replayed);
    assert_eq!(ledger.next_deadline(), replayed.next_deadline());
    for (copy, len, at) in &copies {
        let seen = Ledger::replay(policy.clone(), &log[..*len]).unwrap();
        assert!(*copy == seen, "a copy kept aside at {len} events moved");
        assert_eq!(copy.next_deadline(), seen.next_deadline());
        let later = *at + TimeDelta::days(2);
        assert_eq!(copy.due_by(later), seen.due_by(later));
    }
    // The book's snapshot plus nothing equals the replay, in both encodings.
    for encoding in ENCODINGS {
        let restored =
            Ledger::restore(policy.clone(), &ledger.snapshot(encoding).unwrap()).unwrap();
        assert!(restored == replayed);
        assert_eq!(restored.next_deadline(), replayed.next_deadline());
    }
}
