//! The building blocks of every measure: outcome counts against a target, exact multisets of
//! durations, and the ratios derived from them.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::outcome::Outcome;
use crate::value::Span;

/// `part / whole`; `None` when `whole` is zero.
pub(super) fn ratio(part: u64, whole: u64) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

/// A span in whole seconds.
pub(super) fn secs(span: Span) -> u64 {
    u64::try_from(span.as_secs()).unwrap_or(0)
}

/// Met, met late and missed targets of one kind, with their lateness; and, apart, the clocks
/// done with no target ([`Outcome::Untimed`]), which are neither on time nor late and so count
/// in no share.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct OutcomeTally {
    /// Done by the due instant.
    pub met: u64,
    /// Done after the due instant.
    pub met_late: u64,
    /// Abandoned after the due instant.
    pub missed: u64,
    /// Total lateness of the late and missed ones, wall-clock seconds.
    pub late_wall_secs: u64,
    /// Total lateness of the late and missed ones, business seconds.
    pub late_business_secs: u64,
    /// Done on a clock that had no target (not in [`total`](Self::total)).
    pub untimed: u64,
}

impl OutcomeTally {
    /// Counts one outcome.
    ///
    /// ```
    /// use clientele::Span;
    /// use clientele::measure::OutcomeTally;
    /// use clientele::outcome::{Elapsed, Outcome};
    ///
    /// let mut answers = OutcomeTally::default();
    /// answers.add(&Outcome::Met);
    /// answers.add(&Outcome::MetLate { lateness: Elapsed { wall: Span::hours(2), business: Span::hours(1) } });
    /// answers.add(&Outcome::Untimed); // apart: neither on time nor late
    /// assert_eq!((answers.met, answers.met_late, answers.untimed), (1, 1, 1));
    /// assert_eq!(answers.late_business_secs, 3_600);
    /// ```
    pub fn add(&mut self, outcome: &Outcome) {
        let lateness = match outcome {
            Outcome::Met => {
                self.met = self.met.saturating_add(1);
                return;
            }
            Outcome::MetLate { lateness } => {
                self.met_late = self.met_late.saturating_add(1);
                lateness
            }
            Outcome::Missed { lateness } => {
                self.missed = self.missed.saturating_add(1);
                lateness
            }
            Outcome::Untimed => {
                self.untimed = self.untimed.saturating_add(1);
                return;
            }
        };
        self.late_wall_secs = self.late_wall_secs.saturating_add(secs(lateness.wall));
        self.late_business_secs = self
            .late_business_secs
            .saturating_add(secs(lateness.business));
    }

    /// Adds `other`'s counts and sums to these.
    ///
    /// ```
    /// use clientele::measure::OutcomeTally;
    /// use clientele::outcome::Outcome;
    ///
    /// let (mut monday, mut tuesday) = (OutcomeTally::default(), OutcomeTally::default());
    /// monday.add(&Outcome::Met);
    /// tuesday.add(&Outcome::Met);
    /// monday.merge(&tuesday);
    /// assert_eq!(monday.met, 2);
    /// ```
    pub fn merge(&mut self, other: &OutcomeTally) {
        self.met = self.met.saturating_add(other.met);
        self.met_late = self.met_late.saturating_add(other.met_late);
        self.missed = self.missed.saturating_add(other.missed);
        self.untimed = self.untimed.saturating_add(other.untimed);
        self.late_wall_secs = self.late_wall_secs.saturating_add(other.late_wall_secs);
        self.late_business_secs = self
            .late_business_secs
            .saturating_add(other.late_business_secs);
    }

    /// All outcomes against a target (the untimed ones are apart).
    ///
    /// ```
    /// use clientele::measure::OutcomeTally;
    /// use clientele::outcome::Outcome;
    ///
    /// let mut tally = OutcomeTally::default();
    /// tally.add(&Outcome::Met);
    /// tally.add(&Outcome::Untimed);
    /// assert_eq!(tally.total(), 1); // the untimed one had no target
    /// ```
    #[must_use]
    pub const fn total(&self) -> u64 {
        self.met
            .saturating_add(self.met_late)
            .saturating_add(self.missed)
    }

    /// Late or missed.
    ///
    /// ```
    /// use clientele::Span;
    /// use clientele::measure::OutcomeTally;
    /// use clientele::outcome::{Elapsed, Outcome};
    ///
    /// let lateness = Elapsed { wall: Span::hours(1), business: Span::hours(1) };
    /// let mut tally = OutcomeTally::default();
    /// tally.add(&Outcome::MetLate { lateness });
    /// tally.add(&Outcome::Missed { lateness });
    /// tally.add(&Outcome::Met);
    /// assert_eq!(tally.late(), 2);
    /// ```
    #[must_use]
    pub const fn late(&self) -> u64 {
        self.met_late.saturating_add(self.missed)
    }

    /// The share met on time, 0.0 to 1.0; `None` with no outcome.
    ///
    /// ```
    /// use clientele::Span;
    /// use clientele::measure::OutcomeTally;
    /// use clientele::outcome::{Elapsed, Outcome};
    ///
    /// let mut tally = OutcomeTally::default();
    /// assert_eq!(tally.on_time_share(), None);
    /// for outcome in [Outcome::Met, Outcome::Met, Outcome::Met, Outcome::Missed { lateness: Elapsed { wall: Span::hours(1), business: Span::hours(1) } }] {
    ///     tally.add(&outcome);
    /// }
    /// assert_eq!(tally.on_time_share(), Some(0.75));
    /// ```
    #[must_use]
    pub fn on_time_share(&self) -> Option<f64> {
        ratio(self.met, self.total())
    }

    /// Mean wall-clock lateness of the late and missed ones, in seconds; `None` if none was.
    ///
    /// ```
    /// use clientele::Span;
    /// use clientele::measure::OutcomeTally;
    /// use clientele::outcome::{Elapsed, Outcome};
    ///
    /// let mut tally = OutcomeTally::default();
    /// for hours in [1, 3] {
    ///     tally.add(&Outcome::MetLate { lateness: Elapsed { wall: Span::hours(hours), business: Span::hours(1) } });
    /// }
    /// assert_eq!(tally.mean_lateness_wall_secs(), Some(7_200.0)); // 2 h
    /// ```
    #[must_use]
    pub fn mean_lateness_wall_secs(&self) -> Option<f64> {
        (self.late() > 0).then(|| self.late_wall_secs as f64 / self.late() as f64)
    }

    /// Mean business lateness of the late and missed ones, in seconds; `None` if none was.
    ///
    /// ```
    /// use clientele::Span;
    /// use clientele::measure::OutcomeTally;
    /// use clientele::outcome::{Elapsed, Outcome};
    ///
    /// let mut tally = OutcomeTally::default();
    /// // Late by a weekend: 64 h by the wall clock, 1 h of working time.
    /// tally.add(&Outcome::MetLate { lateness: Elapsed { wall: Span::hours(64), business: Span::hours(1) } });
    /// assert_eq!(tally.mean_lateness_business_secs(), Some(3_600.0));
    /// ```
    #[must_use]
    pub fn mean_lateness_business_secs(&self) -> Option<f64> {
        (self.late() > 0).then(|| self.late_business_secs as f64 / self.late() as f64)
    }
}

/// Every duration seen, to the second, kept exactly (as a multiset), so percentiles are exact
/// and merging is adding counts. Memory grows with the number of *distinct* values.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Durations {
    /// Seconds → how many times seen.
    counts: BTreeMap<u64, u64>,
}

impl Durations {
    /// Counts one duration.
    ///
    /// ```
    /// use clientele::Span;
    /// use clientele::measure::Durations;
    ///
    /// let mut waits = Durations::default();
    /// waits.add(Span::minutes(5));
    /// waits.add(Span::minutes(5));
    /// assert_eq!(waits.iter().collect::<Vec<_>>(), [(300, 2)]); // kept exactly, as a multiset
    /// ```
    pub fn add(&mut self, span: Span) {
        let n = self.counts.entry(secs(span)).or_insert(0);
        *n = n.saturating_add(1);
    }

    /// Adds `other`'s durations to these.
    ///
    /// ```
    /// use clientele::Span;
    /// use clientele::measure::Durations;
    ///
    /// let (mut a, mut b) = (Durations::default(), Durations::default());
    /// a.add(Span::minutes(5));
    /// b.add(Span::minutes(15));
    /// a.merge(&b);
    /// assert_eq!((a.count(), a.median()), (2, Some(Span::minutes(5))));
    /// ```
    pub fn merge(&mut self, other: &Durations) {
        for (value, count) in &other.counts {
            let n = self.counts.entry(*value).or_insert(0);
            *n = n.saturating_add(*count);
        }
    }

    /// How many durations.
    ///
    /// ```
    /// use clientele::Span;
    /// use clientele::measure::Durations;
    ///
    /// let mut waits = Durations::default();
    /// for minutes in [5, 5, 10] {
    ///     waits.add(Span::minutes(minutes));
    /// }
    /// assert_eq!(waits.count(), 3);
    /// ```
    #[must_use]
    pub fn count(&self) -> u64 {
        self.counts.values().fold(0, |a, n| a.saturating_add(*n))
    }

    /// Whether there is none.
    ///
    /// ```
    /// use clientele::Span;
    /// use clientele::measure::Durations;
    ///
    /// let mut waits = Durations::default();
    /// assert!(waits.is_empty());
    /// waits.add(Span::ZERO);
    /// assert!(!waits.is_empty());
    /// ```
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.counts.is_empty()
    }

    /// Their sum in seconds.
    ///
    /// ```
    /// use clientele::Span;
    /// use clientele::measure::Durations;
    ///
    /// let mut waits = Durations::default();
    /// waits.add(Span::minutes(1));
    /// waits.add(Span::hours(1));
    /// assert_eq!(waits.total_secs(), 3_660);
    /// ```
    #[must_use]
    pub fn total_secs(&self) -> u128 {
        self.counts
            .iter()
            .map(|(v, n)| u128::from(*v).saturating_mul(u128::from(*n)))
            .fold(0, u128::saturating_add)
    }

    /// Each distinct duration in seconds, shortest first, with how often it was seen.
    ///
    /// ```
    /// use clientele::Span;
    /// use clientele::measure::Durations;
    ///
    /// let mut waits = Durations::default();
    /// for minutes in [10, 5, 10] {
    ///     waits.add(Span::minutes(minutes));
    /// }
    /// assert_eq!(waits.iter().collect::<Vec<_>>(), [(300, 1), (600, 2)]);
    /// ```
    pub fn iter(&self) -> impl Iterator<Item = (u64, u64)> + '_ {
        self.counts.iter().map(|(v, n)| (*v, *n))
    }

    /// The mean in seconds; `None` when empty.
    ///
    /// ```
    /// use clientele::Span;
    /// use clientele::measure::Durations;
    ///
    /// let mut waits = Durations::default();
    /// assert_eq!(waits.mean_secs(), None);
    /// waits.add(Span::minutes(5));
    /// waits.add(Span::minutes(15));
    /// assert_eq!(waits.mean_secs(), Some(600.0));
    /// ```
    #[must_use]
    pub fn mean_secs(&self) -> Option<f64> {
        let n = self.count();
        (n > 0).then(|| self.total_secs() as f64 / n as f64)
    }

    /// The population standard deviation in seconds, a measure of (in)consistency; `None`
    /// when empty.
    ///
    /// ```
    /// use clientele::Span;
    /// use clientele::measure::Durations;
    ///
    /// let mut steady = Durations::default();
    /// let mut erratic = Durations::default();
    /// for (a, b) in [(10, 1), (10, 19)] {
    ///     steady.add(Span::minutes(a));
    ///     erratic.add(Span::minutes(b));
    /// }
    /// assert_eq!(steady.std_dev_secs(), Some(0.0));
    /// assert_eq!(erratic.std_dev_secs(), Some(540.0)); // 9 minutes either side of the mean
    /// ```
    #[must_use]
    pub fn std_dev_secs(&self) -> Option<f64> {
        let mean = self.mean_secs()?;
        let n = self.count() as f64;
        let squares: f64 = self
            .counts
            .iter()
            .map(|(v, c)| {
                let d = *v as f64 - mean;
                d * d * *c as f64
            })
            .sum();
        Some((squares / n).sqrt())
    }

    /// The `p`-th percentile (nearest rank: the smallest value with at least `p` % of the
    /// values at or below it; `p` above 100 is taken as 100); `None` when empty.
    ///
    /// ```
    /// use clientele::Span;
    /// use clientele::measure::Durations;
    ///
    /// let mut waits = Durations::default();
    /// for minutes in [5, 10, 15, 20, 60] {
    ///     waits.add(Span::minutes(minutes));
    /// }
    /// assert_eq!(waits.median(), Some(Span::minutes(15)));
    /// assert_eq!(waits.percentile(90), Some(Span::minutes(60)));
    /// assert_eq!(waits.interquartile_range(), Some(Span::minutes(10)));
    /// ```
    #[must_use]
    pub fn percentile(&self, p: u8) -> Option<Span> {
        let n = u128::from(self.count());
        if n == 0 {
            return None;
        }
        let p = u128::from(p.min(100));
        let rank = p.saturating_mul(n).div_ceil(100).max(1);
        let mut seen = 0u128;
        for (value, count) in &self.counts {
            seen = seen.saturating_add(u128::from(*count));
            if seen >= rank {
                return Span::try_from_secs(i64::try_from(*value).ok()?).ok();
            }
        }
        None
    }

    /// The shortest; `None` when empty.
    ///
    /// ```
    /// use clientele::Span;
    /// use clientele::measure::Durations;
    ///
    /// let mut waits = Durations::default();
    /// for minutes in [15, 5, 60] {
    ///     waits.add(Span::minutes(minutes));
    /// }
    /// assert_eq!(waits.min(), Some(Span::minutes(5)));
    /// ```
    #[must_use]
    pub fn min(&self) -> Option<Span> {
        self.percentile(0)
    }

    /// The median (50th percentile); `None` when empty.
    ///
    /// ```
    /// use clientele::Span;
    /// use clientele::measure::Durations;
    ///
    /// let mut waits = Durations::default();
    /// for minutes in [15, 5, 60, 10] {
    ///     waits.add(Span::minutes(minutes));
    /// }
    /// assert_eq!(waits.median(), Some(Span::minutes(10))); // nearest rank: a value seen
    /// ```
    #[must_use]
    pub fn median(&self) -> Option<Span> {
        self.percentile(50)
    }

    /// The 90th percentile; `None` when empty.
    ///
    /// ```
    /// use clientele::Span;
    /// use clientele::measure::Durations;
    ///
    /// let mut waits = Durations::default();
    /// for minutes in 1..=10 {
    ///     waits.add(Span::minutes(minutes));
    /// }
    /// assert_eq!(waits.p90(), Some(Span::minutes(9)));
    /// ```
    #[must_use]
    pub fn p90(&self) -> Option<Span> {
        self.percentile(90)
    }

    /// The 99th percentile; `None` when empty.
    ///
    /// ```
    /// use clientele::Span;
    /// use clientele::measure::Durations;
    ///
    /// let mut waits = Durations::default();
    /// for minutes in 1..=100 {
    ///     waits.add(Span::minutes(minutes));
    /// }
    /// assert_eq!(waits.p99(), Some(Span::minutes(99)));
    /// ```
    #[must_use]
    pub fn p99(&self) -> Option<Span> {
        self.percentile(99)
    }

    /// The longest; `None` when empty.
    ///
    /// ```
    /// use clientele::Span;
    /// use clientele::measure::Durations;
    ///
    /// let mut waits = Durations::default();
    /// assert_eq!(waits.max(), None);
    /// for minutes in [15, 5, 60] {
    ///     waits.add(Span::minutes(minutes));
    /// }
    /// assert_eq!(waits.max(), Some(Span::hours(1)));
    /// ```
    #[must_use]
    pub fn max(&self) -> Option<Span> {
        self.percentile(100)
    }

    /// 75th minus 25th percentile: the spread of the middle half, a measure of
    /// (in)consistency that one outlier does not move; `None` when empty.
    ///
    /// ```
    /// use clientele::Span;
    /// use clientele::measure::Durations;
    ///
    /// let mut waits = Durations::default();
    /// for minutes in [5, 10, 15, 20, 600] { // one outlier
    ///     waits.add(Span::minutes(minutes));
    /// }
    /// assert_eq!(waits.interquartile_range(), Some(Span::minutes(10))); // 20 - 10: unmoved by it
    /// ```
    #[must_use]
    pub fn interquartile_range(&self) -> Option<Span> {
        Some(self.percentile(75)?.saturating_sub(self.percentile(25)?))
    }
}
