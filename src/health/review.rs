//! The band review: the first instant at which the customer goes quiet or the band moves into
//! or out of "at risk" with no new fact.

use chrono::{DateTime, Utc};

use crate::health::instants::{Targets, changes, none_by};
use crate::health::record::{Reader, Record};
use crate::health::score::{OpenItems, Rhythm, quiet_in, rhythm};
use crate::health::{HealthEvent, HealthPolicy, band_change_given, gone_quiet_given};

/// The first instant in `[from, until)` (`[from, until]` when `inclusive`) at which the
/// customer goes quiet or the band moves into or out of "at risk" (`at_risk`: it is now) with
/// no new fact, and the event it becomes (going quiet first, unless recorded already:
/// `recorded_quiet`; the band may follow at the same instant). `open` are the open items,
/// which stay as they are until `until`.
///
/// # Cost
/// The instants where the score can move ([`changes`]) are read lazily, merged from the
/// record's sorted sequences, and scored in order with one [`Reader`], whose marks into the
/// record only move forward: O(log n) to start, then O(1) per instant scored however many
/// facts the window holds, and no instant after the first that moves the band is read. The
/// instants of targets met that move no signal (no target missed in the window, the customer
/// not waiting past the deadline, every fact recorded by `from`) are left out: a customer
/// whose window holds only targets met costs O(log n) up to the end of time.
pub(crate) fn review(
    policy: &HealthPolicy,
    open: OpenItems,
    record: &Record,
    span: (DateTime<Utc>, (DateTime<Utc>, bool)),
    bands: (bool, bool),
) -> Option<(DateTime<Utc>, HealthEvent)> {
    let (from, (until, inclusive)) = span;
    if from > until || (!inclusive && from == until) {
        // Nothing to review (as when deadlines fall due together): no instant is read.
        return None;
    }
    if none_by(policy, record, until) {
        // Only `from` is scored: no later instant can move the score by `until`.
        return review_reading(
            policy,
            open,
            record,
            span,
            bands,
            (std::iter::empty(), false),
        );
    }
    // A customer waiting past the deadline counts as a target missed: every target met leaving
    // the window moves the share missed. And the targets met are left out only when every
    // fact is recorded by `from` (as after the latest recording time): a fact after `from`
    // enters the window at an instant no stream gives.
    let targets = if open.waiting_overdue || record.latest().is_some_and(|at| at > from) {
        Targets::All
    } else {
        Targets::Moving
    };
    let instants = changes(policy, record, (from, until), targets);
    review_reading(policy, open, record, span, bands, (instants, false))
}

/// As [`review`], scoring `instants` (after `from`); `afresh`: each read searches the record
/// anew (binary searches, as the review did before it kept running marks), the oracle the
/// tests compare with.
fn review_reading(
    policy: &HealthPolicy,
    open: OpenItems,
    record: &Record,
    (from, (until, inclusive)): (DateTime<Utc>, (DateTime<Utc>, bool)),
    (at_risk, recorded_quiet): (bool, bool),
    (instants, afresh): (impl Iterator<Item = DateTime<Utc>>, bool),
) -> Option<(DateTime<Utc>, HealthEvent)> {
    if from > until || (!inclusive && from == until) {
        return None;
    }
    // Worked out once: every instant reviewed is after the customer's last contact. A
    // customer with no bad experience is never quiet, whatever their rhythm: not worked out.
    let rhythm = if record.bad().len() == 0 {
        Rhythm::Known(None)
    } else {
        rhythm(policy, record, from)
    };
    let mut reader = Reader::new(record);
    std::iter::once(from)
        .chain(instants)
        .filter(|at| inclusive || *at < until)
        .find_map(|at| {
            if afresh {
                reader = Reader::new(record);
            }
            let quiet = quiet_in(policy, &mut reader, at, rhythm);
            gone_quiet_given(quiet, recorded_quiet)
                .or_else(|| {
                    if afresh {
                        reader = Reader::new(record);
                    }
                    let given = (at, quiet.is_some());
                    band_change_given(policy, open, &mut reader, given, at_risk)
                })
                .map(|e| (at, e))
        })
}

#[cfg(test)]
mod tests {
    use chrono::{DateTime, TimeDelta, TimeZone, Utc};
    use proptest::prelude::*;

    use super::{review, review_reading};
    use crate::health::instants::{Targets, changes, none_by};
    use crate::health::record::{Fact, Record};
    use crate::health::score::{OpenItems, changes_collected};
    use crate::health::{HealthEvent, HealthPolicy, QuietPolicy};
    use crate::value::Span;

    fn start() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0)
            .single()
            .unwrap_or(DateTime::UNIX_EPOCH)
    }

    fn fact() -> impl Strategy<Value = Option<Fact>> {
        prop_oneof![
            3 => Just(Some(Fact::TargetMet)),
            2 => Just(Some(Fact::TargetMissed)),
            1 => Just(Some(Fact::Breach)),
            1 => any::<bool>().prop_map(|silent| Some(Fact::Broken { silent })),
            1 => (0_u16..=1000, any::<bool>())
                .prop_map(|(penalty, unsatisfied)| Some(Fact::Answer { penalty, unsatisfied })),
            1 => Just(None),
        ]
    }

    /// Mostly targets met, now and then any fact: runs of targets met with no target missed
    /// in the window, and runs with one.
    fn mostly_met() -> impl Strategy<Value = Option<Fact>> {
        prop_oneof![
            12 => Just(Some(Fact::TargetMet)),
            1 => Just(Some(Fact::Broken { silent: true })),
            1 => fact(),
        ]
    }

    /// Targets met and satisfied answers only: no bad experience (the records `none_by`
    /// answers for without reading the streams).
    fn no_bad_experience() -> impl Strategy<Value = Option<Fact>> {
        prop_oneof![
            3 => Just(Some(Fact::TargetMet)),
            1 => (0_u16..=1000).prop_map(|penalty| Some(Fact::Answer { penalty, unsatisfied: false })),
            1 => Just(None),
        ]
    }

    /// Facts an irregular number of hours apart (some at the same instant, some reported
    /// late), inbound or not, over up to a few windows.
    fn record() -> impl Strategy<Value = (Record, DateTime<Utc>)> {
        record_of(fact(), 400)
    }

    /// As [`record`], the facts drawn from `facts`, at most `gap` hours apart.
    fn record_of(
        facts: impl Strategy<Value = Option<Fact>>,
        gap: i64,
    ) -> impl Strategy<Value = (Record, DateTime<Utc>)> {
        prop::collection::vec((0_i64..gap, 0_i64..48, facts, any::<bool>()), 0..120).prop_map(
            |steps| {
                let mut record = Record::new();
                let mut now = start();
                for (gap, late, fact, inbound) in steps {
                    now += TimeDelta::hours(gap);
                    let at = (now - TimeDelta::hours(late)).max(start());
                    record.observe(at, fact, inbound);
                }
                (record, now)
            },
        )
    }

    fn open() -> impl Strategy<Value = OpenItems> {
        (
            0_u32..3,
            0_u32..2,
            0_u32..4,
            any::<bool>(),
            any::<bool>(),
            0_u32..4,
        )
            .prop_map(
                |(broken, slips, complaints, overdue, at_risk, unanswered)| OpenItems {
                    broken_promises: broken,
                    repeated_slips: slips,
                    complaint_weight: complaints,
                    waiting_overdue: overdue,
                    waiting_at_risk: at_risk,
                    unanswered,
                },
            )
    }

    fn policy() -> impl Strategy<Value = HealthPolicy> {
        (1_u16..120, 2_u8..5, 1_u8..4).prop_map(|(days, at_least, times)| HealthPolicy {
            window: Span::days(days),
            quiet: QuietPolicy {
                at_least,
                times,
                ..QuietPolicy::default()
            },
            ..HealthPolicy::default()
        })
    }

    /// A busy customer: a target met every hour for ten days, and (`breaks`) two promises
    /// broken in silence on the third and fourth day. Returns the record and its last instant.
    fn busy(breaks: bool) -> (Record, DateTime<Utc>) {
        let mut record = Record::new();
        let mut at = start();
        for hour in 0..240 {
            at = start() + TimeDelta::hours(hour);
            record.observe(at, Some(Fact::TargetMet), true);
            if breaks && (hour == 72 || hour == 96) {
                record.observe(at, Some(Fact::Broken { silent: true }), false);
            }
        }
        (record, at)
    }

    #[test]
    fn a_customer_with_only_targets_met_and_nothing_open_never_changes_band() {
        // Given a busy customer whose window holds only targets met, nothing open
        let (record, last) = busy(false);
        let policy = HealthPolicy::default();
        // When health is reviewed from the last fact up to the end of time
        let span = (last, (DateTime::<Utc>::MAX_UTC, true));
        // Then nothing moves the band, as scoring every instant finds
        let all = changes_collected(&policy, &record, last, DateTime::<Utc>::MAX_UTC);
        let afresh = review_reading(
            &policy,
            OpenItems::default(),
            &record,
            span,
            (false, false),
            (all.into_iter(), true),
        );
        assert_eq!(afresh, None);
        assert_eq!(
            review(&policy, OpenItems::default(), &record, span, (false, false)),
            None
        );
    }

    #[test]
    fn among_targets_met_the_first_silent_break_leaving_the_window_is_the_recovery() {
        // Given two promises broken in silence among targets met: at risk (severe)
        let (record, last) = busy(true);
        let policy = HealthPolicy::default();
        // When health is reviewed from the last fact up to the end of time
        let span = (last, (DateTime::<Utc>::MAX_UTC, true));
        let found = review(&policy, OpenItems::default(), &record, span, (true, false));
        // Then the customer recovers when the first break leaves the 90-day window
        let leaves = start() + TimeDelta::hours(72) + TimeDelta::days(90);
        assert!(
            matches!(found, Some((at, HealthEvent::Recovered { .. })) if at == leaves),
            "{found:?}"
        );
    }

    /// The review from `from` up to the end of time, and the same scoring every collected
    /// instant afresh.
    fn both(
        record: &Record,
        from: DateTime<Utc>,
        open: OpenItems,
        bands: (bool, bool),
    ) -> [Option<(DateTime<Utc>, HealthEvent)>; 2] {
        let policy = HealthPolicy::default();
        let span = (from, (DateTime::<Utc>::MAX_UTC, true));
        let all = changes_collected(&policy, record, from, DateTime::<Utc>::MAX_UTC).into_iter();
        [
            review(&policy, open, record, span, bands),
            review_reading(&policy, open, record, span, bands, (all, true)),
        ]
    }

    #[test]
    fn targets_met_leaving_beside_targets_missed_make_most_missed() {
        // Given six targets met, then a day later four missed and one met: 4 of 11 missed
        let mut record = Record::new();
        let day = TimeDelta::days(1);
        for _ in 0..6 {
            record.observe(start(), Some(Fact::TargetMet), false);
        }
        for _ in 0..4 {
            record.observe(start() + day, Some(Fact::TargetMissed), false);
        }
        record.observe(start() + day, Some(Fact::TargetMet), false);
        // When health is reviewed from then up to the end of time, nothing open
        let [found, afresh] = both(&record, start() + day, OpenItems::default(), (false, false));
        // Then the six leave the 90-day window first, and 4 of the 5 left are missed: at risk
        let leave = start() + TimeDelta::days(90);
        assert!(
            matches!(found, Some((at, HealthEvent::AtRisk { .. })) if at == leave),
            "{found:?}"
        );
        assert_eq!(found, afresh);
    }

    #[test]
    fn a_fact_after_the_review_start_is_read_as_scoring_every_instant_reads_it() {
        // Given targets met every hour for ten days (no inbound contact: nobody goes quiet),
        // and an unsatisfied answer ten hours after the review starts
        let mut record = Record::new();
        let last = start() + TimeDelta::hours(239);
        for hour in 0..240 {
            record.observe(
                start() + TimeDelta::hours(hour),
                Some(Fact::TargetMet),
                false,
            );
        }
        let answer = Fact::Answer {
            penalty: 1000,
            unsatisfied: true,
        };
        record.observe(last + TimeDelta::hours(10), Some(answer), false);
        // When health is reviewed from the last target met
        let [found, afresh] = both(&record, last, OpenItems::default(), (false, false));
        // Then the review finds the change where scoring every instant finds it
        assert!(found.is_some());
        assert_eq!(found, afresh);
    }

    /// The end of a reviewed span: some hours ahead, or the end of time (no clock running).
    fn until(now: DateTime<Utc>, ahead: Option<i64>) -> DateTime<Utc> {
        ahead.map_or(DateTime::<Utc>::MAX_UTC, |hours| {
            now + TimeDelta::hours(hours)
        })
    }

    /// The review finds the first change the afresh oracle finds, scoring every instant the
    /// collected instants give.
    fn same_as_afresh(
        (record, now): &(Record, DateTime<Utc>),
        (open, policy): (OpenItems, &HealthPolicy),
        (back, ahead, inclusive): (i64, Option<i64>, bool),
        bands: (bool, bool),
    ) -> Result<(), TestCaseError> {
        let from = *now - TimeDelta::hours(back);
        let until = until(*now, ahead);
        let span = (from, (until, inclusive));
        let all = changes_collected(policy, record, from, until).into_iter();
        prop_assert_eq!(
            review(policy, open, record, span, bands),
            review_reading(policy, open, record, span, bands, (all, true))
        );
        Ok(())
    }

    proptest! {
        /// Reading the instants in order with running marks, lazily merged and without the
        /// targets met that move nothing, finds the same first change, at the same instant, as
        /// reading each of the collected instants afresh: over generated records (some mostly
        /// targets met, close together: long runs of instants the review leaves out, and runs
        /// it must not), open items, policies, reviewed spans (up to the end of time) and bands.
        #[test]
        fn review_with_running_marks_is_the_review_afresh(
            record in prop_oneof![
                record(),
                record_of(mostly_met(), 48),
                record_of(no_bad_experience(), 48),
            ],
            open in open(),
            policy in policy(),
            (back, ahead) in (
                prop_oneof![2 => Just(0_i64), 1 => 0_i64..200, 1 => 0_i64..2_000],
                prop::option::weighted(0.7, 0_i64..6_000),
            ),
            inclusive in any::<bool>(),
            bands in (any::<bool>(), any::<bool>()),
        ) {
            same_as_afresh(&record, (open, &policy), (back, ahead, inclusive), bands)?;
        }

        /// When `none_by` says no instant is due by `until`, scoring every instant finds
        /// none in `[from, until]`.
        #[test]
        fn none_by_until_means_no_instant_by_until(
            (record, _) in prop_oneof![record(), record_of(no_bad_experience(), 48)],
            policy in policy(),
            (back, ahead) in (0_i64..2_000, 0_i64..3_000),
        ) {
            // Up to some hours after the first fact: about as far as half a window shifts it,
            // on either side.
            let until = start() + TimeDelta::hours(ahead);
            let from = until - TimeDelta::hours(back);
            if none_by(&policy, &record, until) {
                prop_assert!(changes_collected(&policy, &record, from, until).is_empty());
            }
        }

        /// The lazy merge gives every instant the collected, sorted and deduplicated list
        /// gives, in the same order, when asked for all targets.
        #[test]
        fn merged_instants_are_the_collected_instants(
            (record, now) in prop_oneof![record(), record_of(mostly_met(), 48)],
            policy in policy(),
            (back, ahead) in (0_i64..2_000, prop::option::weighted(0.8, 0_i64..6_000)),
        ) {
            let from = now - TimeDelta::hours(back);
            let until = until(now, ahead);
            let merged: Vec<_> = changes(&policy, &record, (from, until), Targets::All).collect();
            prop_assert_eq!(merged, changes_collected(&policy, &record, from, until));
        }
    }
}
