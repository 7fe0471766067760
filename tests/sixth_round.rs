//! Review of the sixth round (issue 15): health's band review reading its instants lazily and
//! leaving out targets met that move nothing; a complaint clock that warned reading at risk
//! when it runs on; `shared::Seq` in three words; a book's customers filed after reading.
//! What a user relies on: the health events `advance_to` records are the band changes that
//! scoring each hour finds, at the same instants, however the book was built (late facts,
//! restores, copies kept aside, short windows, quiet rules, instants near chrono's limits);
//! a warning raised before a pause or a reopen keeps the complaint at risk once its clock runs
//! on, in flags and work lists alike, before and after `advance_to`, after replay and
//! restore; a relationship's history reads, compares and serializes the same however it was
//! split between copies; a hostile or duplicate-customer book is refused with a typed error,
//! keeping exactly the customers before the one named twice.

mod support;

use chrono::{DateTime, TimeDelta, Utc};
use clientele::complaint::ComplaintClockKind;
use clientele::flag::Owner;
use clientele::health::{HealthEvent, QuietPolicy};
use clientele::policy::ReopenMode;
use clientele::snapshot::{Encoding, SnapshotError};
use clientele::{
    AcknowledgeComplaint, AwaitCustomer, AwaitOutsideParty, Band, Channel, ComplaintEvent,
    ComplaintId, CustomerId, EndOutsideWait, Envelope, ErasePersonalData, Event, FlagKind,
    KeepPromise, Ledger, MakePromise, PartyId, Priority, PromiseId, ReopenComplaint,
    ReprioritiseComplaint, Request, ResumeComplaint, ServicePolicy, Span, Subject,
};
use proptest::prelude::*;
use support::history::{Step, history, live};
use support::*;

const ENCODINGS: [Encoding; 2] = [Encoding::Binary, Encoding::Json];

/// `ledger` saved and restored under its own policy.
fn restored(ledger: &Ledger, encoding: Encoding) -> Ledger {
    let bytes = ledger.snapshot(encoding).unwrap();
    Ledger::restore(ledger.policy().clone(), &bytes).unwrap()
}

// ---------------------------------------------------------------------------------------
// Health: the band review against scoring every hour
// ---------------------------------------------------------------------------------------

/// Response targets of whole hours and a health window of `window` hours (even: its half is
/// whole hours too), quiet after `times` × the customer's rhythm, at least `gap` hours: every
/// instant the score can move at is a whole hour when every fact is.
fn hourly_health_policy(window: u8, quiet: (u8, u8, u8, u8), most_missed_of: u8) -> ServicePolicy {
    let mut policy = hourly_response_policy();
    policy.health.window = Span::hours(u16::from(window) * 2);
    let (contacts, at_least, times, gap) = quiet;
    policy.health.quiet = QuietPolicy {
        contacts,
        at_least,
        times,
        at_least_gap: Span::hours(u16::from(gap)),
    };
    policy.health.most_missed_of = most_missed_of;
    policy
}

/// A history whose steps are whole hours apart (one to four days at most).
fn hourly_history(len: usize) -> impl Strategy<Value = Vec<Step>> {
    history(len).prop_map(|steps| {
        steps
            .into_iter()
            .map(|(minutes, act)| (minutes.div_ceil(60).max(1) * 60, act))
            .collect()
    })
}

/// Band changes, each `(instant, into "at risk")`.
type Bands = Vec<(DateTime<Utc>, bool)>;

/// Band changes and the first going quiet, if any.
type Found = (Bands, Option<DateTime<Utc>>);

/// The band changes (`true`: into "at risk") and the first going quiet that scoring the
/// customer every hour after `from` up to `until` finds, from the flags standing at `from`.
fn scored_every_hour(ledger: &Ledger, from: DateTime<Utc>, until: DateTime<Utc>) -> Found {
    let r = ledger.get(ONA).unwrap();
    let policy = ledger.policy();
    let flags = r.flags(from);
    let mut at_risk = flags.iter().any(|f| f.kind == FlagKind::RelationshipAtRisk);
    let mut quiet = flags.iter().any(|f| f.kind == FlagKind::GoneQuiet);
    let (mut bands, mut gone_quiet) = (Vec::new(), None);
    let mut at = from;
    while at < until {
        at += TimeDelta::hours(1);
        let health = r.health(policy, at);
        let now_at_risk = health.band == Band::AtRisk;
        if now_at_risk != at_risk {
            bands.push((at, now_at_risk));
            at_risk = now_at_risk;
        }
        if !quiet
            && health
                .severe
                .contains(&clientele::health::Signal::GoneQuiet)
        {
            gone_quiet = Some(at);
            quiet = true;
        }
    }
    (bands, gone_quiet)
}

/// The health events among `fired`, as [`scored_every_hour`] gives them.
fn recorded(fired: &[Envelope]) -> Found {
    let mut bands = Vec::new();
    let mut gone_quiet = None;
    for envelope in fired {
        match &envelope.event {
            Event::Health(HealthEvent::AtRisk { .. }) => bands.push((envelope.at, true)),
            Event::Health(HealthEvent::Recovered { .. }) => bands.push((envelope.at, false)),
            Event::Health(HealthEvent::GoneQuiet { .. }) => {
                gone_quiet = gone_quiet.or(Some(envelope.at));
            }
            _ => {}
        }
    }
    (bands, gone_quiet)
}

/// `ledger` run to `until` in one call fires exactly the band changes scoring every hour
/// finds, at their instants; run there a day at a time, and restored from a snapshot first,
/// it fires the same events.
fn fires_as_scored(
    ledger: &Ledger,
    from: DateTime<Utc>,
    until: DateTime<Utc>,
) -> Result<(), TestCaseError> {
    let expected = scored_every_hour(ledger, from, until);
    let mut once = ledger.clone();
    let fired = once.advance_to(until);
    prop_assert_eq!(recorded(&fired), expected, "fired {:#?}", fired);
    let mut daily = ledger.clone();
    let mut stepped = Vec::new();
    let mut at = from;
    while at < until {
        at = (at + TimeDelta::hours(19)).min(until);
        stepped.extend(daily.advance_to(at));
    }
    prop_assert_eq!(&stepped, &fired);
    for encoding in ENCODINGS {
        let mut back = restored(ledger, encoding);
        prop_assert_eq!(back.next_deadline(), ledger.next_deadline());
        prop_assert_eq!(&back.advance_to(until), &fired);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: ProptestConfig::default().cases.min(256), ..ProptestConfig::default() })]

    /// Over generated histories a whole number of hours apart (answers on time and late,
    /// customers left waiting past the deadline, promises broken, answers, complaints), under
    /// short windows and quiet rules of any rhythm, with a message reported late or not: the
    /// health events `advance_to` records after the last fact are the band changes and the
    /// going quiet that scoring the customer every hour finds, at the same instants; the same
    /// from a day at a time, from a snapshot restored in either encoding, and for a copy of
    /// the book kept aside before the late message.
    #[test]
    fn health_events_are_the_band_changes_scoring_every_hour_finds(
        steps in hourly_history(24),
        window in 6u8..60,
        quiet in (2u8..7, 2u8..4, 1u8..4, 1u8..60),
        most_missed_of in 1u8..5,
        late in prop::option::of((1i64..48, any::<bool>())),
    ) {
        let policy = hourly_health_policy(window, quiet, most_missed_of);
        prop_assume!(Ledger::new(policy.clone()).is_ok());
        let (_, log, end) = live(&policy, &steps);
        let mut ledger = Ledger::replay(policy, &log).unwrap();
        ledger.advance_to(end);
        let aside = ledger.clone();
        if let Some((hours, inbound_message)) = late {
            let message = if inbound_message {
                inbound(9_000, Channel::Chat)
            } else {
                outbound(9_000, Channel::Chat)
            };
            let request = Request::new(message).occurred_at(end - TimeDelta::hours(hours));
            let _ = ledger.execute_request(ONA, request, end);
            ledger.advance_to(end);
        }
        let until = end + TimeDelta::hours(i64::from(window) * 5 + 24 * 12);
        fires_as_scored(&ledger, end, until)?;
        fires_as_scored(&aside, end, until)?;
    }
}

/// A book under `policy` holding Ona, registered at `start`, owned by the agent.
fn ona_registered(policy: ServicePolicy, start: DateTime<Utc>) -> Ledger {
    let mut ledger = Ledger::new(policy).unwrap();
    let register = clientele::RegisterCustomer::new(text("Ona"), tier("standard")).owned_by(AGENT);
    ledger.execute(ONA, register, start).unwrap();
    ledger
}

/// A customer asked and answered at these hours after Monday 09:00 (first response within
/// 8 h, replies within 4 h), then silent, under a window of two days; health from the last
/// answer on: whether most targets are missed then, and the band changes scoring every hour
/// finds as the answers leave the window, which `advance_to` records.
fn answered_at(answers: &[(i64, i64)]) -> (bool, Bands, Bands) {
    let policy = hourly_health_policy(24, (6, 3, 3, 48), 2);
    let start = t("2026-03-02 09:00");
    let mut ledger = ona_registered(policy, start);
    let mut now = start;
    for (i, (asked, answered)) in (0u128..).zip(answers) {
        now = start + TimeDelta::hours(*asked);
        ledger
            .execute(ONA, inbound(2 * i + 1, Channel::Email), now)
            .unwrap();
        now = start + TimeDelta::hours(*answered);
        ledger.advance_to(now);
        ledger
            .execute(ONA, outbound(2 * i + 2, Channel::Email), now)
            .unwrap();
    }
    ledger.advance_to(now);
    let most_missed = ledger
        .get(ONA)
        .unwrap()
        .health(ledger.policy(), now)
        .severe
        .contains(&clientele::health::Signal::Responsiveness);
    let until = now + TimeDelta::days(5);
    let (expected, _) = scored_every_hour(&ledger, now, until);
    let fired = ledger.advance_to(until);
    (most_missed, expected, recorded(&fired).0)
}

/// Answered late four times, then on time three times: most targets missed (a severe
/// failure) until the late answers leave the window while the answers on time remain.
#[test]
fn targets_missed_leaving_while_targets_met_remain_recover_when_scoring_says() {
    // Given a customer answered late four times, then on time three times
    let answers = [
        (0, 10),
        (11, 16),
        (17, 22),
        (23, 28),
        (29, 29),
        (30, 30),
        (31, 31),
    ];
    // When time runs on past the window
    let (most_missed, expected, recorded) = answered_at(&answers);
    // Then the customer, at risk, recovers when scoring every hour says
    assert!(most_missed);
    assert_eq!(expected.first().map(|(_, at_risk)| *at_risk), Some(false));
    assert_eq!(recorded, expected);
}

/// Answered on time three times, then late three times within half a window: not most
/// missed (three of six) until the answers on time leave the window while the late ones
/// remain in its older half.
#[test]
fn targets_met_leaving_while_targets_missed_remain_make_most_missed_when_scoring_says() {
    // Given a customer answered on time three times, then late three times
    let answers = [(0, 0), (1, 1), (2, 2), (3, 8), (9, 14), (15, 20)];
    // When time runs on past the window
    let (most_missed, expected, recorded) = answered_at(&answers);
    // Then the customer falls at risk when the answers on time leave, as scoring says
    assert!(!most_missed);
    assert_eq!(expected.first(), Some(&(t("2026-03-04 09:00"), true)));
    assert_eq!(recorded, expected);
}

/// Two promises broken in silence a day after a customer registered at the start of time: a
/// 90-day window reaches back before the earliest instant chrono holds, and the breaks still
/// leave it when scoring says so.
#[test]
fn breaks_near_the_start_of_time_leave_the_window_when_scoring_says() {
    // Given a customer registered a day after the earliest instant, two promises broken in silence
    let policy = hourly_response_policy();
    let start = DateTime::<Utc>::MIN_UTC + TimeDelta::days(1);
    let mut ledger = ona_registered(policy, start);
    for (n, due) in [(1, 1), (2, 2)] {
        let due = start + TimeDelta::hours(due);
        let promise = MakePromise::new(PromiseId::from_u128(n), text("Call"), due, AGENT);
        ledger.execute(ONA, promise, start).unwrap();
    }
    let broken = start + TimeDelta::hours(3);
    let fired = ledger.advance_to(broken);
    assert!(
        recorded(&fired).0.iter().any(|(_, at_risk)| *at_risk),
        "two silent breaks put the customer at risk: {fired:#?}"
    );
    // (kept late: nothing left open, only the breaks in the window)
    for n in [1, 2] {
        let keep = KeepPromise {
            promise: PromiseId::from_u128(n),
        };
        ledger.execute(ONA, keep, broken).unwrap();
    }
    // When time runs on past the window
    let until = broken + TimeDelta::days(100);
    let (expected, _) = scored_every_hour(&ledger, broken, until);
    assert!(!expected.is_empty(), "scoring finds the recovery");
    // Then the book recovers when scoring says, and says so as its next deadline
    assert_eq!(
        ledger.next_deadline().map(|d| d.at),
        expected.first().map(|(at, _)| *at)
    );
    let fired = ledger.advance_to(until);
    assert_eq!(recorded(&fired).0, expected);
}

/// A customer near the end of time: reviews whose window and quiet span run past the last
/// instant chrono holds give what scoring every hour gives, and never panic.
#[test]
fn a_customer_near_the_end_of_time_is_reviewed_as_scoring_says() {
    // Given a customer writing every few hours a week before the last instant, answered late
    let policy = hourly_health_policy(40, (3, 2, 1, 2), 1);
    let last = DateTime::<Utc>::MAX_UTC;
    let last = last
        - TimeDelta::nanoseconds(last.timestamp_subsec_nanos().into())
        - TimeDelta::seconds(last.timestamp().rem_euclid(3600));
    let start = last - TimeDelta::days(7);
    let mut ledger = ona_registered(policy, start);
    let mut now = start;
    for i in 0..6u128 {
        now = start + TimeDelta::hours(i64::try_from(i).unwrap() * 7);
        ledger
            .execute(ONA, inbound(2 * i + 1, Channel::Email), now)
            .unwrap();
        if i % 2 == 0 {
            now += TimeDelta::hours(5);
            ledger.advance_to(now);
            ledger
                .execute(ONA, outbound(2 * i + 2, Channel::Email), now)
                .unwrap();
        }
    }
    ledger.advance_to(now);
    // When time runs to the last whole hour
    let until = last;
    let (expected, quiet) = scored_every_hour(&ledger, now, until);
    // Then the book records what scoring every hour finds
    let fired = ledger.clone().advance_to(until);
    assert_eq!(recorded(&fired), (expected, quiet));
    assert!(ledger.clone().advance_to(DateTime::<Utc>::MAX_UTC).len() >= fired.len());
}

// ---------------------------------------------------------------------------------------
// A complaint clock that warned, when it runs on
// ---------------------------------------------------------------------------------------

const C: ComplaintId = ComplaintId::from_u128(0xc6);
const LAB: PartyId = PartyId::from_u128(0x1ab);

/// Default complaint targets (normal: resolved within 40 h, warned 8 h before), no
/// escalation ladder, no follow-up, waits on the lab pausing the clocks, reopening in `mode`.
fn calm(mode: ReopenMode) -> ServicePolicy {
    let mut policy = ServicePolicy::default();
    policy.complaints.reopen = mode;
    policy.complaints.follow_up_after = None;
    for level in &mut policy.complaints.levels {
        level.escalate_after = None;
    }
    policy.complaints.pausing_parties.insert(LAB);
    policy.parties.insert(LAB);
    policy
}

/// A complaint received Monday 09:00 (resolution due Wednesday 01:00, warned Tuesday 17:00),
/// acknowledged at 10:00 by the agent, run to Tuesday 18:00: its resolution clock has warned.
fn warned_on_tuesday(mode: ReopenMode) -> World {
    warned_on_tuesday_under(calm(mode))
}

/// As [`warned_on_tuesday`], under `policy`.
fn warned_on_tuesday_under(policy: ServicePolicy) -> World {
    let mut w = World::new(policy, "2026-03-02 09:00");
    w.given_customer(ONA, "standard");
    w.given_complaint(ONA, C);
    w.at("2026-03-02 10:00");
    let acknowledge = AcknowledgeComplaint {
        complaint: C,
        by: AGENT,
    };
    w.when(ONA, acknowledge).unwrap();
    let woke = w.run_until("2026-03-03 18:00", 10);
    assert_eq!(envelope_kinds(&woke), ["complaint_clock_at_risk"]);
    w
}

/// The complaint's at-risk flags at `at` (since when), in the customer's flags, the book's,
/// and the work list of whoever each names, the same before and after `advance_to`, after
/// replay and after a restore in either encoding.
fn at_risk_everywhere(w: &World, at: &str) -> Vec<DateTime<Utc>> {
    let now = t(at);
    let of = |flags: Vec<clientele::Flag>| -> Vec<DateTime<Utc>> {
        flags
            .into_iter()
            .filter(|f| {
                f.kind == FlagKind::ComplaintClockAtRisk && f.subject == Subject::Complaint(C)
            })
            .map(|f| f.since)
            .collect()
    };
    let flags = w.relationship(ONA).flags(now);
    let found = of(flags.clone());
    assert_eq!(of(w.ledger.flags(now)), found, "the book's flags");
    for flag in flags
        .iter()
        .filter(|f| f.kind == FlagKind::ComplaintClockAtRisk)
    {
        let owner = Owner::Agent(flag.owner.unwrap());
        assert_eq!(
            of(w.ledger.flags_for(owner, now)),
            found,
            "the owner's flags"
        );
        assert_eq!(
            of(w.ledger.work_list(owner, now).flags),
            found,
            "the owner's work"
        );
    }
    let mut advanced = w.ledger.clone();
    advanced.advance_to(now);
    assert_eq!(of(advanced.flags(now)), found, "after advance_to");
    let replayed = Ledger::replay(w.ledger.policy().clone(), &w.log).unwrap();
    assert_eq!(of(replayed.flags(now)), found, "after replay");
    for encoding in ENCODINGS {
        assert_eq!(
            of(restored(&w.ledger, encoding).flags(now)),
            found,
            "after restore"
        );
    }
    found
}

/// Waiting on a pausing outside party after the warning: at risk again from the instant the
/// wait ends, not on track until the breach; no second warning recorded.
#[test]
fn a_clock_that_warned_before_a_pausing_party_wait_is_at_risk_when_the_wait_ends() {
    // Given a resolution clock that warned, paused while the lab works
    let mut w = warned_on_tuesday(ReopenMode::Continue);
    w.when(ONA, AwaitOutsideParty::new(C, LAB)).unwrap();
    assert!(
        at_risk_everywhere(&w, "2026-03-03 20:00").is_empty(),
        "paused: nothing at risk"
    );
    // When the lab is done a day later
    w.at("2026-03-04 18:00");
    w.when(ONA, EndOutsideWait::new(C)).unwrap();
    // Then the complaint is at risk since then, as the 7 h left run, and breaches once
    let since = vec![t("2026-03-04 18:00")];
    assert_eq!(at_risk_everywhere(&w, "2026-03-04 18:00"), since);
    assert_eq!(at_risk_everywhere(&w, "2026-03-05 00:59"), since);
    let woke = w.run_until("2026-03-05 01:00", 10);
    assert_eq!(envelope_kinds(&woke), ["complaint_clock_breached"]);
    assert!(at_risk_everywhere(&w, "2026-03-05 01:00").is_empty());
    w.assert_replay_matches();
}

/// A clock that warned, paused waiting on the customer, then given a priority with a shorter
/// target while paused (its warning already behind it): at risk from the instant it resumes.
#[test]
fn a_warned_clock_reprioritised_while_paused_is_at_risk_when_it_resumes() {
    // Given a resolution clock that warned, paused waiting on the customer
    let mut policy = calm(ReopenMode::Continue);
    policy.complaints.resolve = clientele::policy::Targets::new(clientele::policy::ByPriority {
        low: Span::hours(80),
        normal: Span::hours(40),
        high: Span::hours(36),
        urgent: Span::hours(8),
    });
    let mut w = warned_on_tuesday_under(policy);
    w.when(ONA, AwaitCustomer { complaint: C }).unwrap();
    // When it is made high priority (36 h: 3 h left), then resumes the next day
    w.at("2026-03-04 09:00");
    w.when(ONA, ReprioritiseComplaint::new(C, Priority::High))
        .unwrap();
    assert!(
        at_risk_everywhere(&w, "2026-03-04 09:00").is_empty(),
        "paused"
    );
    w.at("2026-03-04 12:00");
    w.when(ONA, ResumeComplaint { complaint: C }).unwrap();
    // Then it is at risk from the resumption until it breaches 3 h later
    assert_eq!(
        at_risk_everywhere(&w, "2026-03-04 13:00"),
        [t("2026-03-04 12:00")]
    );
    let woke = w.run_until("2026-03-04 15:00", 10);
    assert!(!envelope_kinds(&woke).contains(&"complaint_clock_at_risk"));
    assert!(envelope_kinds(&woke).contains(&"complaint_clock_breached"));
    w.assert_replay_matches();
}

/// After the warning, a lower priority puts the warning ahead again: not at risk until it is
/// raised again, then at risk since that new warning.
#[test]
fn a_warned_clock_given_a_longer_target_warns_again_at_its_new_warning() {
    // Given a resolution clock that warned on Tuesday at 17:00 (33 h worked at 18:00)
    let mut w = warned_on_tuesday(ReopenMode::Continue);
    // When the complaint is made low priority (80 h: warned at 64 h, 31 h from now)
    w.when(ONA, ReprioritiseComplaint::new(C, Priority::Low))
        .unwrap();
    // Then it is not at risk until then, and warned again then
    assert!(at_risk_everywhere(&w, "2026-03-04 18:00").is_empty());
    let woke = w.run_until("2026-03-05 01:00", 10);
    assert_eq!(envelope_kinds(&woke), ["complaint_clock_at_risk"]);
    assert_eq!(
        at_risk_everywhere(&w, "2026-03-05 01:00"),
        [t("2026-03-05 01:00")]
    );
    w.assert_replay_matches();
}

/// A complaint resolved after its clock warned, reopened a day later: in each reopen mode, at
/// risk from the reopen only when the clock goes on; a restarted clock or a new cycle warns
/// afresh 32 h after the reopen.
#[test]
fn a_warned_complaint_reopened_is_at_risk_at_once_only_when_its_clock_goes_on() {
    for (mode, at_once) in [
        (ReopenMode::Continue, true),
        (ReopenMode::Restart, false),
        (ReopenMode::NewCycle, false),
    ] {
        // Given a complaint resolved after its clock warned
        let mut w = warned_on_tuesday(mode);
        w.when(ONA, resolution(C, AGENT, "Replaced")).unwrap();
        assert!(
            at_risk_everywhere(&w, "2026-03-04 09:00").is_empty(),
            "{mode:?}: resolved"
        );
        // When it is reopened a day later
        w.at("2026-03-04 18:00");
        w.when(ONA, ReopenComplaint::new(C, text("Still scratched")))
            .unwrap();
        // Then it is at risk since the reopen if its clock goes on, else once warned afresh
        let expected: Vec<_> = if at_once {
            vec![t("2026-03-04 18:00")]
        } else {
            vec![]
        };
        assert_eq!(
            at_risk_everywhere(&w, "2026-03-04 19:00"),
            expected,
            "{mode:?}"
        );
        if !at_once {
            let woke = w.run_until("2026-03-06 02:00", 20);
            let warned: Vec<_> = woke
                .iter()
                .filter(|e| {
                    matches!(
                        e.event,
                        Event::Complaint(ComplaintEvent::ClockAtRisk {
                            clock: ComplaintClockKind::Resolution,
                            ..
                        })
                    )
                })
                .map(|e| e.at)
                .collect();
            assert_eq!(warned, [t("2026-03-06 02:00")], "{mode:?}");
            assert!(
                at_risk_everywhere(&w, "2026-03-06 02:00").contains(&t("2026-03-06 02:00")),
                "{mode:?}"
            );
        }
        w.assert_replay_matches();
    }
}

// ---------------------------------------------------------------------------------------
// Histories split between copies
// ---------------------------------------------------------------------------------------

/// What happens to a customer, for the history tests.
#[derive(Debug, Clone)]
enum Op {
    /// The customer writes, minutes after the last.
    Inbound(u16),
    /// We answer, minutes after the last.
    Outbound(u16),
    /// An answer reported late: it happened minutes before now.
    LateAnswer(u16),
    /// A copy of the book is kept aside here.
    KeepAside,
    /// The customer's personal data is erased.
    Erase,
    /// Time moves on this many days (facts older than two years leave health's record).
    Jump(u16),
    /// The book is saved and restored here.
    Restore(bool),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        6 => (1u16..600).prop_map(Op::Inbound),
        6 => (1u16..600).prop_map(Op::Outbound),
        2 => (1u16..3_000).prop_map(Op::LateAnswer),
        2 => Just(Op::KeepAside),
        1 => Just(Op::Erase),
        1 => (1u16..900).prop_map(Op::Jump),
        1 => any::<bool>().prop_map(Op::Restore),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: ProptestConfig::default().cases.min(256), ..ProptestConfig::default() })]

    /// Short and long histories (crossing 16 entries both ways: growing, then dropped at the
    /// front as time jumps past two years), written to while copies are kept aside, with
    /// answers reported late, erasure and restores along the way: every copy kept aside is the
    /// replay of the log it had seen, and answers as that replay does once more happens to
    /// both; the book is the replay of the whole log, and restores in either encoding to
    /// itself.
    #[test]
    fn a_history_split_between_copies_is_the_replay_of_its_log(
        ops in prop::collection::vec(op(), 0..80),
    ) {
        let policy = hourly_response_policy();
        let mut ledger = Ledger::new(policy.clone()).unwrap();
        let mut now = t("2026-03-02 09:00");
        let mut log = ledger
            .execute(ONA, clientele::RegisterCustomer::new(text("Ona"), tier("standard")).owned_by(AGENT), now)
            .unwrap();
        let mut aside: Vec<(Ledger, usize, DateTime<Utc>)> = Vec::new();
        let mut id = 0u128;
        for op in &ops {
            id += 1;
            let done = match op {
                Op::Inbound(m) => {
                    now += TimeDelta::minutes(i64::from(*m));
                    ledger.execute(ONA, inbound(id, Channel::Email), now)
                }
                Op::Outbound(m) => {
                    now += TimeDelta::minutes(i64::from(*m));
                    ledger.execute(ONA, outbound(id, Channel::Email), now)
                }
                Op::LateAnswer(m) => {
                    let request = Request::new(outbound(id, Channel::Phone))
                        .occurred_at(now - TimeDelta::minutes(i64::from(*m)));
                    ledger.execute_request(ONA, request, now)
                }
                Op::Erase => ledger.execute(ONA, ErasePersonalData {}, now),
                Op::KeepAside => {
                    aside.push((ledger.clone(), log.len(), now));
                    continue;
                }
                Op::Jump(days) => {
                    now += TimeDelta::days(i64::from(*days));
                    log.extend(ledger.advance_to(now));
                    continue;
                }
                Op::Restore(binary) => {
                    let encoding = if *binary { Encoding::Binary } else { Encoding::Json };
                    ledger = restored(&ledger, encoding);
                    continue;
                }
            };
            log.extend(done.unwrap_or_default());
        }
        let replayed = Ledger::replay(policy.clone(), &log).unwrap();
        prop_assert!(replayed == ledger);
        prop_assert_eq!(replayed.get(ONA), ledger.get(ONA));
        for encoding in ENCODINGS {
            let back = restored(&ledger, encoding);
            prop_assert_eq!(back.get(ONA), ledger.get(ONA));
        }
        let later = now + TimeDelta::hours(1);
        for (mut copy, seen, at) in aside {
            let mut replay = Ledger::replay(policy.clone(), &log[..seen]).unwrap();
            prop_assert_eq!(copy.get(ONA), replay.get(ONA));
            let more = inbound(1_000_000, Channel::Chat);
            let at = at.max(later);
            prop_assert_eq!(
                copy.execute(ONA, more.clone(), at),
                replay.execute(ONA, more, at)
            );
            prop_assert_eq!(copy.get(ONA), replay.get(ONA));
            prop_assert_eq!(copy.advance_to(at + TimeDelta::days(3)), replay.advance_to(at + TimeDelta::days(3)));
        }
    }
}

/// A copy of a book kept aside while the customer writes and is answered 300 times (more
/// than a copy writes apart before it takes the shared history for its own), with an answer
/// reported late in the middle of what the copy shares: the copy is the replay of what it had
/// seen, the book the replay of all, and both go on as their replays do.
#[test]
fn a_copy_kept_aside_through_hundreds_of_writes_is_the_replay_of_what_it_saw() {
    // Given a customer with twenty messages answered, and a copy of the book kept aside
    let policy = hourly_response_policy();
    let mut now = t("2026-03-02 09:00");
    let mut ledger = Ledger::new(policy.clone()).unwrap();
    let register = clientele::RegisterCustomer::new(text("Ona"), tier("standard")).owned_by(AGENT);
    let mut log = ledger.execute(ONA, register, now).unwrap();
    fn talk(
        ledger: &mut Ledger,
        log: &mut Vec<Envelope>,
        ids: std::ops::Range<u128>,
        now: &mut DateTime<Utc>,
    ) {
        for i in ids {
            *now += TimeDelta::minutes(30);
            log.extend(
                ledger
                    .execute(ONA, inbound(2 * i, Channel::Email), *now)
                    .unwrap(),
            );
            *now += TimeDelta::minutes(20);
            log.extend(
                ledger
                    .execute(ONA, outbound(2 * i + 1, Channel::Email), *now)
                    .unwrap(),
            );
        }
    }
    /// A message and its answer reported late, in the gap after the `n`-th exchange.
    fn late(ledger: &mut Ledger, log: &mut Vec<Envelope>, n: i64, now: DateTime<Utc>) {
        let gap = t("2026-03-02 09:55") + TimeDelta::minutes(50 * n);
        for (message, at) in [
            (inbound(9_000 + n as u128, Channel::Phone), gap),
            (
                outbound(9_500 + n as u128, Channel::Phone),
                gap + TimeDelta::minutes(10),
            ),
        ] {
            let request = Request::new(message).occurred_at(at);
            log.extend(ledger.execute_request(ONA, request, now).unwrap());
        }
    }
    // (and a promise due in five hours, broken unseen while the exchanges go on)
    let promise =
        |n: u128, due| MakePromise::new(PromiseId::from_u128(n), text("Call"), due, AGENT);
    log.extend(
        ledger
            .execute(ONA, promise(1, now + TimeDelta::hours(5)), now)
            .unwrap(),
    );
    talk(&mut ledger, &mut log, 1..21, &mut now);
    let aside = ledger.clone();
    let seen = log.len();
    // When 300 more are written to the book, with exchanges reported late among the first, and
    // the promise found broken (its break dated among the first exchanges), and another one
    log.extend(
        ledger
            .execute(ONA, promise(2, now + TimeDelta::hours(2)), now)
            .unwrap(),
    );
    talk(&mut ledger, &mut log, 21..121, &mut now);
    late(&mut ledger, &mut log, 2, now);
    log.extend(ledger.advance_to(now));
    talk(&mut ledger, &mut log, 121..321, &mut now);
    late(&mut ledger, &mut log, 5, now);
    // Then the copy is the replay of what it saw, the book of everything
    let mut replayed_aside = Ledger::replay(policy.clone(), &log[..seen]).unwrap();
    let mut replayed = Ledger::replay(policy, &log).unwrap();
    let mut aside = aside;
    assert_eq!(aside.get(ONA), replayed_aside.get(ONA));
    assert_eq!(ledger.get(ONA), replayed.get(ONA));
    for encoding in ENCODINGS {
        assert_eq!(restored(&ledger, encoding).get(ONA), ledger.get(ONA));
        assert_eq!(restored(&aside, encoding).get(ONA), aside.get(ONA));
    }
    // and both go on as their replays do
    now += TimeDelta::hours(1);
    let more = inbound(1_000_000, Channel::Chat);
    assert_eq!(
        aside.execute(ONA, more.clone(), now),
        replayed_aside.execute(ONA, more.clone(), now)
    );
    assert_eq!(
        ledger.execute(ONA, more.clone(), now),
        replayed.execute(ONA, more, now)
    );
    let later = now + TimeDelta::days(3);
    assert_eq!(aside.advance_to(later), replayed_aside.advance_to(later));
    assert_eq!(ledger.advance_to(later), replayed.advance_to(later));
    assert_eq!(aside.get(ONA), replayed_aside.get(ONA));
    assert_eq!(ledger.get(ONA), replayed.get(ONA));
}

// ---------------------------------------------------------------------------------------
// Books read from hostile or duplicate-customer snapshots
// ---------------------------------------------------------------------------------------

/// A book of `customers` (registered in that order, owned by the agent), each with a message
/// left unanswered, so that each has a deadline and work filed.
fn book_of(customers: &[u128]) -> Ledger {
    let mut ledger = Ledger::new(ServicePolicy::default()).unwrap();
    let now = t("2026-03-02 09:00");
    for (i, c) in customers.iter().enumerate() {
        let customer = CustomerId::from_u128(*c);
        ledger
            .execute(
                customer,
                clientele::RegisterCustomer::new(text("Customer"), tier("standard"))
                    .owned_by(AGENT),
                now,
            )
            .unwrap();
        ledger
            .execute(customer, inbound(100 + i as u128, Channel::Email), now)
            .unwrap();
    }
    ledger
}

/// The JSON book of `ledger` with its customers' entries in the order `order` picks (indexes
/// into its customers, repeats allowed).
fn json_book(ledger: &Ledger, order: &[usize]) -> String {
    let mut book = serde_json::to_value(ledger).unwrap();
    let customers = book["customers"].as_array().unwrap().clone();
    book["customers"] = order.iter().map(|i| customers[*i].clone()).collect();
    book.to_string()
}

/// A binary snapshot of a book holding `first`'s customers then `second`'s (one or both may
/// name the same customer): postcard's `{rules, customers}` spliced by hand.
fn spliced_binary(first: &Ledger, second: &Ledger) -> Vec<u8> {
    fn parts(ledger: &Ledger) -> (Vec<u8>, Vec<u8>, Vec<u8>) {
        let bytes = ledger.snapshot(Encoding::Binary).unwrap();
        let (header, body) = bytes.split_at(11);
        let rules = body.iter().position(|b| b & 0x80 == 0).unwrap() + 1;
        let (rules, rest) = body.split_at(rules);
        assert!(rest[0] < 0x80, "a short book: its length in one byte");
        (header.to_vec(), rules.to_vec(), rest[1..].to_vec())
    }
    let (header, rules, a) = parts(first);
    let (_, _, b) = parts(second);
    let count = u8::try_from(first.len() + second.len()).unwrap();
    assert!(count < 0x80);
    [header, rules, vec![count], a, b].concat()
}

/// Restoring a snapshot that names a customer twice is refused with a typed error, in either
/// encoding, whichever customer repeats and wherever; never a panic.
#[test]
fn a_snapshot_naming_a_customer_twice_is_refused() {
    // Given books of customers 1, 2, 3
    let three = book_of(&[1, 2, 3]);
    let one = book_of(&[1]);
    let policy = ServicePolicy::default();
    // When a snapshot names customer 1 twice, or customer 3 twice at the end
    let json = |order: &[usize]| {
        let mut frame: serde_json::Value =
            serde_json::from_slice(&three.snapshot(Encoding::Json).unwrap()).unwrap();
        frame["body"] = serde_json::from_str(&json_book(&three, order)).unwrap();
        frame.to_string().into_bytes()
    };
    for (bytes, named) in [
        (json(&[0, 1, 0]), true),
        (json(&[0, 1, 2, 2]), true),
        (json(&[2, 0, 1, 2]), true),
        // (postcard keeps no message of its own errors)
        (spliced_binary(&three, &one), false),
        (spliced_binary(&one, &three), false),
    ] {
        // Then the restore is refused as malformed (in JSON, naming the customer twice)
        match Ledger::restore(policy.clone(), &bytes) {
            Err(SnapshotError::Malformed(why)) => assert!(!named || why.contains("twice"), "{why}"),
            other => panic!("{other:?}"),
        }
    }
    // And the spliced books without a repeat read back (the splicing is right)
    let two = book_of(&[2]);
    let bytes = spliced_binary(&one, &two);
    let back = Ledger::restore(policy, &bytes).unwrap();
    assert_eq!(back.len(), 2);
}

/// A book loaded into a non-empty one that names a customer already held, or one twice, keeps
/// exactly the customers before that one, filed (deadlines and work), and the customers held
/// before as they were: the book then answers as one built from those customers alone.
#[test]
fn a_book_loaded_with_a_repeat_keeps_the_customers_before_it_filed() {
    let source = book_of(&[1, 2, 3, 4]);
    let held = book_of(&[9, 3]);
    let now = t("2026-03-03 09:00");
    for (order, kept) in [
        // Customer 3 is held already: 1 and 2 stay.
        (vec![0, 1, 2, 3], vec![1, 2]),
        // Customer 1 named twice: 1 and 2 stay.
        (vec![0, 1, 0, 3], vec![1, 2]),
        // Customer 4 named twice at the end: 1, 2 and 4 stay.
        (vec![0, 1, 3, 3], vec![1, 2, 4]),
    ] {
        // Given a book holding customers 9 and 3
        let mut ledger = held.clone();
        // When a book is loaded into it with a repeat
        let json = json_book(&source, &order);
        let read = ledger.load_book(&mut serde_json::Deserializer::from_str(&json));
        // Then it is refused, naming the repeat
        let error = read.unwrap_err().to_string();
        assert!(error.contains("twice"), "{error}");
        // keeping the customers held, and those before the repeat, as they were
        let mut expected: Vec<u128> = vec![9, 3];
        expected.extend(&kept);
        assert_eq!(ledger.len(), expected.len(), "{order:?}");
        for c in [1u128, 2, 3, 4, 9] {
            let customer = CustomerId::from_u128(c);
            let want = if [9, 3].contains(&c) { &held } else { &source };
            let want = expected.contains(&c).then(|| want.get(customer)).flatten();
            assert_eq!(ledger.get(customer), want, "customer {c}, {order:?}");
        }
        // filed: the same deadlines, flags and work as the book built from them alone
        let mut built = held.clone();
        let only: Vec<usize> = kept
            .iter()
            .map(|c| usize::try_from(c - 1).unwrap())
            .collect();
        built
            .load_book(&mut serde_json::Deserializer::from_str(&json_book(
                &source, &only,
            )))
            .unwrap();
        assert!(ledger == built, "{order:?}");
        assert_eq!(ledger.next_deadline(), built.next_deadline());
        assert_eq!(ledger.flags(now), built.flags(now));
        assert_eq!(
            ledger.work_list(Owner::Agent(AGENT), now),
            built.work_list(Owner::Agent(AGENT), now)
        );
        assert_eq!(
            ledger.clone().advance_to(now),
            built.clone().advance_to(now)
        );
        // and the book goes on: a customer kept takes commands
        let first = CustomerId::from_u128(kept[0]);
        ledger
            .execute(first, outbound(500, Channel::Email), now)
            .unwrap();
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: ProptestConfig::default().cases.min(64), ..ProptestConfig::default() })]

    /// Any prefix of a snapshot, or one with a byte changed, restores to a typed error or to
    /// a book, never a panic; loaded into a non-empty book, a failed read leaves the customers
    /// held before as they were.
    #[test]
    fn a_garbled_book_is_refused_or_read_never_a_panic(
        cut in any::<prop::sample::Index>(),
        flip in any::<prop::sample::Index>(),
        byte in any::<u8>(),
    ) {
        let source = book_of(&[1, 2, 3]);
        let policy = ServicePolicy::default();
        for encoding in ENCODINGS {
            let bytes = source.snapshot(encoding).unwrap();
            let prefix = &bytes[..cut.index(bytes.len())];
            let mut garbled = bytes.clone();
            garbled[flip.index(bytes.len())] = byte;
            for input in [prefix, &garbled[..]] {
                if let Ok(book) = Ledger::restore(policy.clone(), input) {
                    prop_assert!(book.len() <= 3);
                }
            }
        }
        let json = serde_json::to_string(&source).unwrap();
        let prefix = &json[..cut.index(json.len())];
        let mut held = book_of(&[9]);
        let before = held.get(CustomerId::from_u128(9)).cloned();
        let read = held.load_book(&mut serde_json::Deserializer::from_str(prefix));
        prop_assert_eq!(held.get(CustomerId::from_u128(9)).cloned(), before);
        if read.is_err() {
            prop_assert!(held.len() <= 4);
        }
    }
}
