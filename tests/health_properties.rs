//! Health by property, over generated histories (`tests/support/history.rs`): a pure function
//! of the facts up to `t` (the same with or without `advance_to`, and after replay, with the
//! at-risk and gone-quiet flags standing exactly when health says so), and every fact of the
//! window counts (a bad fact added never raises the score; answers on time added after silent
//! breaks never hide them).

mod support;

use chrono::{DateTime, TimeDelta, Utc};
use clientele::flag::FlagKind;
use clientele::health::Signal;
use clientele::{Band, Health, Relationship, ServicePolicy};
use proptest::prelude::*;
use support::history::{Act, Step, history, live};
use support::*;

fn policy() -> ServicePolicy {
    hourly_response_policy()
}

/// Health at `at` and whether the at-risk flag stands then.
fn read(r: &Relationship, policy: &ServicePolicy, at: DateTime<Utc>) -> (Health, bool) {
    let flagged = r
        .flags(at)
        .iter()
        .any(|f| f.kind == FlagKind::RelationshipAtRisk);
    (r.health(policy, at), flagged)
}

/// The instants a history is read at: its last step and later, as facts age out.
fn probes(end: DateTime<Utc>) -> [DateTime<Utc>; 5] {
    [0, 1, 30, 50, 100].map(|days| end + TimeDelta::days(days))
}

proptest! {
    /// `health(t)` is the same before and after `advance_to(t)` and after replay; once the
    /// clock has run to `t`, the at-risk flag stands exactly when the band is "at risk", and
    /// the gone-quiet flag exactly when the customer's silence is a severe signal or was
    /// recorded and they have not written since.
    #[test]
    fn health_is_the_same_with_or_without_advance_to_and_after_replay(
        steps in history(30)
    ) {
        let policy = policy();
        let (live, log, end) = live(&policy, &steps);
        let replayed = Relationship::replay(ONA, &log).unwrap();
        prop_assert_eq!(&replayed, &live);
        let mut advanced = live.clone();
        for at in probes(end) {
            let (before, flagged_before) = read(&live, &policy, at);
            advanced.advance_to(&policy, at);
            let (after, flagged_after) = read(&advanced, &policy, at);
            prop_assert_eq!(&before, &after, "at {}", at);
            prop_assert_eq!(flagged_before, flagged_after, "at {}", at);
            prop_assert_eq!(flagged_after, after.band == Band::AtRisk, "at {}: {:?}", at, after);
            prop_assert_eq!(&read(&replayed, &policy, at).0, &before);
            let quiet_flag = advanced.flags(at).iter().any(|f| f.kind == FlagKind::GoneQuiet);
            if after.severe.contains(&Signal::GoneQuiet) {
                prop_assert!(quiet_flag, "at {}: {:?}", at, after);
            }
        }
    }

    /// A promise broken in silence added anywhere in the history never raises the score at
    /// any later instant: every fact of the window counts.
    #[test]
    fn a_bad_fact_added_inside_the_window_never_raises_the_score(
        steps in history(25),
        slot in any::<prop::sample::Index>(),
    ) {
        let policy = policy();
        let (without, _, end) = live(&policy, &steps);
        let mut with = steps.clone();
        // A promise due an hour later, never kept nor told about, made at the instant of a
        // step of the history.
        with.insert(slot.index(steps.len() + 1), (0, Act::Extra));
        let (with, _, end_with) = live(&policy, &with);
        prop_assert_eq!(end, end_with);
        for at in probes(end) {
            let (a, b) = (without.health(&policy, at), with.health(&policy, at));
            prop_assert!(b.score <= a.score, "at {}: {} then {} ({:?})", at, a.score, b.score, b);
        }
    }

    /// Three promises broken in silence, then 24 messages answered on time: the breaks still
    /// count in full (n facts or n + 24, the same penalty and the severe failure stands).
    #[test]
    fn answers_on_time_after_silent_breaks_never_hide_them(steps in history(20)) {
        let policy = policy();
        let mut with_breaks: Vec<Step> = steps.clone();
        for _ in 0..3 {
            with_breaks.push((1, Act::Promise(1)));
        }
        with_breaks.push((120, Act::Outbound));
        let (few, _, _) = live(&policy, &with_breaks);
        let mut many = with_breaks.clone();
        for _ in 0..24 {
            many.push((5, Act::Inbound));
            many.push((5, Act::Outbound));
        }
        let (many, _, end) = live(&policy, &many);
        let a = few.health(&policy, end);
        let b = many.health(&policy, end);
        let silence = |h: &Health| h.reasons.iter().find(|(s, _)| *s == Signal::SlipsAndSilence).map(|r| r.1);
        prop_assert!(b.severe.contains(&Signal::SlipsAndSilence), "{:?}", b);
        prop_assert_eq!(silence(&a), silence(&b));
        prop_assert_eq!(b.band, Band::AtRisk);
    }
}
