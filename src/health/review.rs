//! The band review: the first instant at which the customer goes quiet or the band moves into
//! or out of "at risk" with no new fact.

use chrono::{DateTime, Utc};

use crate::health::record::{Reader, Record};
use crate::health::score::{OpenItems, changes, quiet_in, rhythm};
use crate::health::{HealthEvent, HealthPolicy, band_change_given, gone_quiet_given};

/// The first instant in `[from, until)` (`[from, until]` when `inclusive`) at which the
/// customer goes quiet or the band moves into or out of "at risk" (`at_risk`: it is now) with
/// no new fact, and the event it becomes (going quiet first, unless recorded already:
/// `recorded_quiet`; the band may follow at the same instant). `open` are the open items,
/// which stay as they are until `until`.
///
/// # Cost
/// The instants where the score can move ([`changes`]) are scored in order with one
/// [`Reader`], whose marks into the record only move forward: O(log n) to start, then O(1)
/// per instant however many facts the window holds.
pub(crate) fn review(
    policy: &HealthPolicy,
    open: OpenItems,
    record: &Record,
    span: (DateTime<Utc>, (DateTime<Utc>, bool)),
    bands: (bool, bool),
) -> Option<(DateTime<Utc>, HealthEvent)> {
    review_reading(policy, open, record, span, bands, false)
}

/// As [`review`]; `afresh`: each read searches the record anew (binary searches, as the
/// review did before it kept running marks), the oracle the tests compare with.
fn review_reading(
    policy: &HealthPolicy,
    open: OpenItems,
    record: &Record,
    (from, (until, inclusive)): (DateTime<Utc>, (DateTime<Utc>, bool)),
    (at_risk, recorded_quiet): (bool, bool),
    afresh: bool,
) -> Option<(DateTime<Utc>, HealthEvent)> {
    if from > until || (!inclusive && from == until) {
        return None;
    }
    // Worked out once: every instant reviewed is after the customer's last contact.
    let rhythm = rhythm(policy, record, from);
    let mut reader = Reader::new(record);
    std::iter::once(from)
        .chain(changes(policy, record, from, until))
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
    use crate::health::record::{Fact, Record};
    use crate::health::score::OpenItems;
    use crate::health::{HealthPolicy, QuietPolicy};
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

    /// Facts an irregular number of hours apart (some at the same instant, some reported
    /// late), inbound or not, over up to a few windows.
    fn record() -> impl Strategy<Value = (Record, DateTime<Utc>)> {
        prop::collection::vec((0_i64..400, 0_i64..48, fact(), any::<bool>()), 0..120).prop_map(
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

    proptest! {
        /// Reading the instants in order with running marks finds the same first change, at
        /// the same instant, as reading each afresh: over generated records, open items,
        /// policies, reviewed spans and bands.
        #[test]
        fn review_with_running_marks_is_the_review_afresh(
            (record, now) in record(),
            open in open(),
            policy in policy(),
            (back, ahead) in (0_i64..2_000, 0_i64..6_000),
            inclusive in any::<bool>(),
            bands in (any::<bool>(), any::<bool>()),
        ) {
            let from = now - TimeDelta::hours(back);
            let span = (from, (now + TimeDelta::hours(ahead), inclusive));
            prop_assert_eq!(
                review(&policy, open, &record, span, bands),
                review_reading(&policy, open, &record, span, bands, true)
            );
        }
    }
}
