//! Measures: how reliable, responsive and consistent we were over a window of time, per
//! customer, per owner, per outside party and for the whole book, computed from stored events.
//!
//! "Do everything you promised", "the clock ticks in the customer's head", "consistency is
//! the glue": this module turns the facts a service stored into the figures a team lives by.
//! It reads no clock and does no I/O: feed a [`Tally`] the stored [`Envelope`]s, then read
//! [`Measures`].
//!
//! # Windows: an outcome counts when its event happens
//!
//! A [`Window`] is half-open, `[from, to)`. An event counts in the window its own instant
//! (`Envelope::at`) falls in: a promise made in February and kept in March counts as *made* in
//! February and *kept* in March. Deadline events are dated at the deadline itself, so a
//! promise that broke on 28 February at 17:00 counts as broken in February however late the
//! service noticed. Events outside the window are still read, because later events are
//! attributed from what earlier ones said (see below): feed each customer's log from its first
//! event.
//!
//! # Attribution: remembered per customer and item
//!
//! Every figure goes to the book and to the customer. It also goes to an **owner** (one of our
//! agents) and, for promises done by an outside party and for that party's own commitments, to
//! the **party**:
//!
//! - promises: the owner named in the event, else the one `PromiseMade` named; the party from
//!   `PromiseMade`'s [`Fulfiller`] (a party's figures hold only the promises it fulfils);
//! - dependencies (a party's commitment to us): the party named in the event, and the owner of
//!   the promise behind it;
//! - response clocks: the account owner at the time (`CustomerRegistered::owner`, then
//!   `AccountOwnerSet`), who receives the response flags;
//! - complaints: the owner from the latest `ComplaintAssigned` or `ComplaintEscalated`, else
//!   the account owner at the time (as the engine's flags do); an escalation counts for the
//!   agent it was escalated to;
//! - follow-ups: the owner `FollowUpScheduled` named;
//! - survey answers: the owner of the complaint the answer is about, else the account owner.
//!
//! Something with nobody to attribute it to (no account owner) counts for the book and the
//! customer only.
//!
//! # Order
//!
//! Each customer's envelopes must come in their log order (`seq` 1, 2, 3, ... with no gap);
//! customers may be interleaved in any way. [`Tally::record`] refuses an envelope out of that
//! order with [`MeasureError::OutOfOrder`] and counts nothing for it.
//!
//! # Mergeable
//!
//! All state is integers: counts, sums of seconds, and exact multisets of durations (so
//! percentiles are exact, not estimated). [`Measures::merge`] adds them, so the measures of two
//! disjoint sets of customers, merged, *equal* (`==`) the measures of their union, and
//! [`Tally::merge`] combines tallies computed on separate shards. Floats appear only in the
//! derived getters (rates, means, spread). [`Measures`] serialize (serde), so a shard can ship
//! its figures to whoever merges them.
//!
//! ```
//! use chrono::{TimeZone, Utc};
//! use clientele::{AgentId, CustomerId, KeepPromise, Ledger, MakePromise, PromiseId,
//!     RegisterCustomer, ServicePolicy, Tally, Text, Tier, Window};
//!
//! let mut ledger = Ledger::new(ServicePolicy::default());
//! let (ona, ruta) = (CustomerId::from_u128(1), AgentId::from_u128(7));
//! let glasses = PromiseId::from_u128(2);
//! let monday = Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap();
//! let friday = Utc.with_ymd_and_hms(2026, 3, 6, 17, 0, 0).unwrap();
//!
//! let mut log = ledger.execute(ona, RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?), monday)?;
//! log.extend(ledger.execute(ona, MakePromise::new(glasses, Text::new("Glasses")?, friday, ruta), monday)?);
//! log.extend(ledger.execute(ona, KeepPromise { promise: glasses }, monday + chrono::TimeDelta::days(2))?);
//!
//! let march = Window::new(
//!     Utc.with_ymd_and_hms(2026, 3, 1, 0, 0, 0).unwrap(),
//!     Utc.with_ymd_and_hms(2026, 4, 1, 0, 0, 0).unwrap(),
//! )?;
//! let tally = Tally::from_log(march, &log)?;
//! assert_eq!(tally.book().promises.total().kept.met, 1);
//! assert_eq!(tally.book().promises.on_time_rate(), Some(1.0));
//! assert_eq!(tally.owner(ruta).map(|m| m.promises.ours.made), Some(1));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::complaint::ComplaintClockKind;
use crate::complaint::ComplaintEvent;
use crate::customer::CustomerEvent;
use crate::follow_up::FollowUpEvent;
use crate::follow_up::FollowUpOutcome;
use crate::health::HealthEvent;
use crate::promise::PromiseEvent;
use crate::promise::{Fulfiller, Notice, RevisionTiming};
use crate::response::ResponseEvent;
use crate::response::{ClockKind, Elapsed, Outcome};
use crate::survey::SurveyAnswer;
use crate::survey::SurveyEvent;
use crate::{
    AgentId, ComplaintId, CustomerId, Envelope, Event, FollowUpId, PartyId, PromiseId, Span,
    SurveyId,
};

/// Something a measure was asked to do that it cannot.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum MeasureError {
    /// A window must contain at least one instant.
    #[error("the window is empty: it starts and ends at {at}")]
    EmptyWindow {
        /// Where it starts and ends.
        at: DateTime<Utc>,
    },
    /// A window must end after it starts.
    #[error("the window ends at {to}, before it starts at {from}")]
    WindowEndsBeforeStart {
        /// Its start.
        from: DateTime<Utc>,
        /// Its end.
        to: DateTime<Utc>,
    },
    /// An envelope came out of its customer's log order (a gap, a repeat or a step back).
    #[error("customer {customer}: expected event {expected} of the log, got {got}")]
    OutOfOrder {
        /// The customer.
        customer: CustomerId,
        /// The `seq` that should have come next.
        expected: u64,
        /// The `seq` that came.
        got: u64,
    },
    /// Tallies over different windows cannot be merged.
    #[error("cannot merge a tally over {theirs} into one over {ours}")]
    DifferentWindows {
        /// The window of the tally merged into.
        ours: Window,
        /// The window of the other tally.
        theirs: Window,
    },
    /// Tallies that both read a customer cannot be merged: its figures would count twice.
    #[error("customer {0} is in both tallies")]
    SharedCustomer(CustomerId),
}

/// A half-open window of time, `[from, to)`, that is never empty.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Window {
    from: DateTime<Utc>,
    to: DateTime<Utc>,
}

impl Window {
    /// The window from `from` (included) to `to` (excluded).
    ///
    /// # Errors
    /// [`MeasureError::EmptyWindow`] when `from == to`, [`MeasureError::WindowEndsBeforeStart`]
    /// when `to` is before `from`.
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use clientele::{MeasureError, Window};
    ///
    /// let march = Utc.with_ymd_and_hms(2026, 3, 1, 0, 0, 0).unwrap();
    /// let april = Utc.with_ymd_and_hms(2026, 4, 1, 0, 0, 0).unwrap();
    /// let window = Window::new(march, april)?;
    /// assert!(window.contains(march) && !window.contains(april));
    /// assert!(matches!(Window::new(april, march), Err(MeasureError::WindowEndsBeforeStart { .. })));
    /// # Ok::<(), MeasureError>(())
    /// ```
    pub fn new(from: DateTime<Utc>, to: DateTime<Utc>) -> Result<Self, MeasureError> {
        if from == to {
            return Err(MeasureError::EmptyWindow { at: from });
        }
        if to < from {
            return Err(MeasureError::WindowEndsBeforeStart { from, to });
        }
        Ok(Self { from, to })
    }

    /// All of time that chrono can represent (its last instant excluded).
    #[must_use]
    pub const fn all() -> Self {
        Self {
            from: DateTime::<Utc>::MIN_UTC,
            to: DateTime::<Utc>::MAX_UTC,
        }
    }

    /// Its first instant.
    #[must_use]
    pub const fn from(&self) -> DateTime<Utc> {
        self.from
    }

    /// The instant after its last: the first one not in it.
    #[must_use]
    pub const fn to(&self) -> DateTime<Utc> {
        self.to
    }

    /// Whether `at` falls in it: `from <= at < to`.
    #[must_use]
    pub fn contains(&self, at: DateTime<Utc>) -> bool {
        self.from <= at && at < self.to
    }
}

impl std::fmt::Display for Window {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "[{}, {})", self.from, self.to)
    }
}

fn ratio(part: u64, whole: u64) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

fn secs(span: Span) -> u64 {
    u64::try_from(span.as_secs()).unwrap_or(0)
}

/// Met, met late and missed targets of one kind, with their lateness.
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
}

impl OutcomeTally {
    /// Counts one outcome.
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
        };
        self.late_wall_secs = self.late_wall_secs.saturating_add(secs(lateness.wall));
        self.late_business_secs = self
            .late_business_secs
            .saturating_add(secs(lateness.business));
    }

    /// Adds `other`'s counts and sums to these.
    pub fn merge(&mut self, other: &OutcomeTally) {
        self.met = self.met.saturating_add(other.met);
        self.met_late = self.met_late.saturating_add(other.met_late);
        self.missed = self.missed.saturating_add(other.missed);
        self.late_wall_secs = self.late_wall_secs.saturating_add(other.late_wall_secs);
        self.late_business_secs = self
            .late_business_secs
            .saturating_add(other.late_business_secs);
    }

    /// All outcomes.
    #[must_use]
    pub const fn total(&self) -> u64 {
        self.met
            .saturating_add(self.met_late)
            .saturating_add(self.missed)
    }

    /// Late or missed.
    #[must_use]
    pub const fn late(&self) -> u64 {
        self.met_late.saturating_add(self.missed)
    }

    /// The share met on time, 0.0 to 1.0; `None` with no outcome.
    #[must_use]
    pub fn on_time_share(&self) -> Option<f64> {
        ratio(self.met, self.total())
    }

    /// Mean wall-clock lateness of the late and missed ones, in seconds; `None` if none was.
    #[must_use]
    pub fn mean_lateness_wall_secs(&self) -> Option<f64> {
        (self.late() > 0).then(|| self.late_wall_secs as f64 / self.late() as f64)
    }

    /// Mean business lateness of the late and missed ones, in seconds; `None` if none was.
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
    pub fn add(&mut self, span: Span) {
        let n = self.counts.entry(secs(span)).or_insert(0);
        *n = n.saturating_add(1);
    }

    /// Adds `other`'s durations to these.
    pub fn merge(&mut self, other: &Durations) {
        for (value, count) in &other.counts {
            let n = self.counts.entry(*value).or_insert(0);
            *n = n.saturating_add(*count);
        }
    }

    /// How many durations.
    #[must_use]
    pub fn count(&self) -> u64 {
        self.counts.values().fold(0, |a, n| a.saturating_add(*n))
    }

    /// Whether there is none.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.counts.is_empty()
    }

    /// Their sum in seconds.
    #[must_use]
    pub fn total_secs(&self) -> u128 {
        self.counts
            .iter()
            .map(|(v, n)| u128::from(*v).saturating_mul(u128::from(*n)))
            .fold(0, u128::saturating_add)
    }

    /// Each distinct duration in seconds, shortest first, with how often it was seen.
    pub fn iter(&self) -> impl Iterator<Item = (u64, u64)> + '_ {
        self.counts.iter().map(|(v, n)| (*v, *n))
    }

    /// The mean in seconds; `None` when empty.
    #[must_use]
    pub fn mean_secs(&self) -> Option<f64> {
        let n = self.count();
        (n > 0).then(|| self.total_secs() as f64 / n as f64)
    }

    /// The population standard deviation in seconds, a measure of (in)consistency; `None`
    /// when empty.
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
    /// use clientele::{Durations, Span};
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
    #[must_use]
    pub fn min(&self) -> Option<Span> {
        self.percentile(0)
    }

    /// The median (50th percentile); `None` when empty.
    #[must_use]
    pub fn median(&self) -> Option<Span> {
        self.percentile(50)
    }

    /// The 90th percentile; `None` when empty.
    #[must_use]
    pub fn p90(&self) -> Option<Span> {
        self.percentile(90)
    }

    /// The 99th percentile; `None` when empty.
    #[must_use]
    pub fn p99(&self) -> Option<Span> {
        self.percentile(99)
    }

    /// The longest; `None` when empty.
    #[must_use]
    pub fn max(&self) -> Option<Span> {
        self.percentile(100)
    }

    /// 75th minus 25th percentile: the spread of the middle half, a measure of
    /// (in)consistency that one outlier does not move; `None` when empty.
    #[must_use]
    pub fn interquartile_range(&self) -> Option<Span> {
        Some(self.percentile(75)?.saturating_sub(self.percentile(25)?))
    }
}

/// Promise figures for one kind of fulfilment (ours, or outside parties').
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct PromiseCounts {
    /// Promises made (`PromiseMade`).
    pub made: u64,
    /// Promises kept: met is kept on time, met late is kept after the due instant in force,
    /// with the lateness.
    pub kept: OutcomeTally,
    /// Promises that broke, each counted once however often it broke in the window.
    pub broken: u64,
    /// Breaks (`PromiseBroken`): one per due instant that passed while open.
    pub breaks: u64,
    /// Breaks with nothing said to the customer since the promise was made or last revised.
    pub broken_in_silence: u64,
    /// Breaks after the customer had been told something.
    pub broken_with_notice: u64,
    /// Promises withdrawn.
    pub withdrawn: u64,
    /// At-risk warnings raised (`PromiseAtRisk`).
    pub at_risk: u64,
    /// Re-promises (slips), before the due instant or after the break.
    pub revised: u64,
    /// Re-promises made before the due instant: the customer was told in time.
    pub revised_proactively: u64,
    /// Re-promises made after the promise broke.
    pub revised_after_break: u64,
    /// Promises that reached the policy's repeated-slip threshold (`PromiseSlippedRepeatedly`).
    pub slipped_repeatedly: u64,
    /// Over the promises settled (kept or withdrawn) in the window: their slips, summed.
    pub settled_slips: u64,
    /// Over the promises settled in the window: how far their due instants moved in total
    /// from the original, summed, in seconds.
    pub settled_cumulative_slip_secs: u64,
}

impl PromiseCounts {
    /// Adds `other`'s counts to these.
    pub fn merge(&mut self, other: &PromiseCounts) {
        self.made = self.made.saturating_add(other.made);
        self.kept.merge(&other.kept);
        self.broken = self.broken.saturating_add(other.broken);
        self.breaks = self.breaks.saturating_add(other.breaks);
        self.broken_in_silence = self
            .broken_in_silence
            .saturating_add(other.broken_in_silence);
        self.broken_with_notice = self
            .broken_with_notice
            .saturating_add(other.broken_with_notice);
        self.withdrawn = self.withdrawn.saturating_add(other.withdrawn);
        self.at_risk = self.at_risk.saturating_add(other.at_risk);
        self.revised = self.revised.saturating_add(other.revised);
        self.revised_proactively = self
            .revised_proactively
            .saturating_add(other.revised_proactively);
        self.revised_after_break = self
            .revised_after_break
            .saturating_add(other.revised_after_break);
        self.slipped_repeatedly = self
            .slipped_repeatedly
            .saturating_add(other.slipped_repeatedly);
        self.settled_slips = self.settled_slips.saturating_add(other.settled_slips);
        self.settled_cumulative_slip_secs = self
            .settled_cumulative_slip_secs
            .saturating_add(other.settled_cumulative_slip_secs);
    }

    /// Promises kept on time.
    #[must_use]
    pub const fn kept_on_time(&self) -> u64 {
        self.kept.met
    }

    /// Promises kept late.
    #[must_use]
    pub const fn kept_late(&self) -> u64 {
        self.kept.met_late
    }

    /// Promises settled: kept (on time or late) or withdrawn.
    #[must_use]
    pub const fn settled(&self) -> u64 {
        self.kept.total().saturating_add(self.withdrawn)
    }

    /// Of the due instants reached in the window (kept before it, or passed while open), the
    /// share kept on time: `kept on time / (kept on time + breaks)`, 0.0 to 1.0. A promise
    /// re-promised after its break and then kept on the new date counts once each way.
    /// `None` when nothing came due.
    #[must_use]
    pub fn on_time_rate(&self) -> Option<f64> {
        ratio(self.kept.met, self.kept.met.saturating_add(self.breaks))
    }

    /// Of the breaks, the share with nothing said to the customer; `None` without breaks.
    #[must_use]
    pub fn silent_break_share(&self) -> Option<f64> {
        ratio(self.broken_in_silence, self.breaks)
    }

    /// Slips per settled promise; `None` when none was settled.
    #[must_use]
    pub fn slips_per_promise(&self) -> Option<f64> {
        ratio(self.settled_slips, self.settled())
    }

    /// Mean cumulative slip per settled promise, in seconds; `None` when none was settled.
    #[must_use]
    pub fn mean_cumulative_slip_secs(&self) -> Option<f64> {
        ratio(self.settled_cumulative_slip_secs, self.settled())
    }
}

/// Promise figures, split by who does the work. Whoever does it, one of ours owns it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct PromiseMeasures {
    /// Promises we fulfil ourselves.
    pub ours: PromiseCounts,
    /// Promises an outside party fulfils for us.
    pub outside: PromiseCounts,
}

impl PromiseMeasures {
    /// Adds `other`'s counts to these.
    pub fn merge(&mut self, other: &PromiseMeasures) {
        self.ours.merge(&other.ours);
        self.outside.merge(&other.outside);
    }

    /// Ours and outside parties' together.
    #[must_use]
    pub fn total(&self) -> PromiseCounts {
        let mut total = self.ours.clone();
        total.merge(&self.outside);
        total
    }

    /// [`PromiseCounts::on_time_rate`] over all promises.
    #[must_use]
    pub fn on_time_rate(&self) -> Option<f64> {
        self.total().on_time_rate()
    }
}

/// Outside parties' own commitments to us behind promises (`DependencyRecorded`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct DependencyMeasures {
    /// Commitments recorded (a new date from the party counts again).
    pub recorded: u64,
    /// Commitments delivered: on time, or late with the lateness.
    pub met: OutcomeTally,
    /// Commitments whose date passed undelivered (`DependencyLate`).
    pub late: u64,
}

impl DependencyMeasures {
    /// Adds `other`'s counts to these.
    pub fn merge(&mut self, other: &DependencyMeasures) {
        self.recorded = self.recorded.saturating_add(other.recorded);
        self.met.merge(&other.met);
        self.late = self.late.saturating_add(other.late);
    }
}

/// Response times of one kind of clock (first response, or reply).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct ResponseTimes {
    /// How long customers waited, in business time on the clock's calendar.
    pub business: Durations,
    /// How long customers waited, wall-clock.
    pub wall: Durations,
    /// Answers within target (met) and after it (met late, with the lateness).
    pub outcomes: OutcomeTally,
    /// Deadlines that passed unanswered (`ResponseOverdue`), answered later or not yet.
    pub overdue: u64,
}

impl ResponseTimes {
    /// Adds `other`'s figures to these.
    pub fn merge(&mut self, other: &ResponseTimes) {
        self.business.merge(&other.business);
        self.wall.merge(&other.wall);
        self.outcomes.merge(&other.outcomes);
        self.overdue = self.overdue.saturating_add(other.overdue);
    }

    /// Answers given.
    #[must_use]
    pub const fn answered(&self) -> u64 {
        self.outcomes.total()
    }

    /// The share of answers within target; `None` with no answer.
    #[must_use]
    pub fn within_target(&self) -> Option<f64> {
        self.outcomes.on_time_share()
    }
}

/// Responsiveness: how long customers waited for us.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct ResponseMeasures {
    /// The first answer a customer ever got.
    pub first_response: ResponseTimes,
    /// Answers after the first.
    pub reply: ResponseTimes,
}

impl ResponseMeasures {
    /// Adds `other`'s figures to these.
    pub fn merge(&mut self, other: &ResponseMeasures) {
        self.first_response.merge(&other.first_response);
        self.reply.merge(&other.reply);
    }

    /// First responses and replies together.
    #[must_use]
    pub fn all(&self) -> ResponseTimes {
        let mut all = self.first_response.clone();
        all.merge(&self.reply);
        all
    }

    fn of(&mut self, kind: ClockKind) -> &mut ResponseTimes {
        match kind {
            ClockKind::FirstResponse => &mut self.first_response,
            ClockKind::Reply => &mut self.reply,
        }
    }
}

/// Complaint figures.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct ComplaintMeasures {
    /// Complaints received.
    pub received: u64,
    /// Acknowledgement target: met or met late when acknowledged, met or missed when resolved
    /// without an acknowledgement.
    pub acknowledgement: OutcomeTally,
    /// Resolution target, per resolution (a reopened complaint resolved again counts again).
    pub resolution: OutcomeTally,
    /// Wall-clock time from receipt to acknowledgement.
    pub time_to_acknowledge: Durations,
    /// Wall-clock time from receipt (or the latest reopening) to resolution.
    pub time_to_resolve: Durations,
    /// Acknowledgement deadlines that passed unacknowledged.
    pub acknowledgement_breached: u64,
    /// Resolution deadlines that passed unresolved.
    pub resolution_breached: u64,
    /// Escalations due (`EscalationDue`).
    pub escalations_due: u64,
    /// Escalations done, by the support level escalated to.
    pub escalations: BTreeMap<u32, u64>,
    /// Resolutions.
    pub resolved: u64,
    /// Resolutions with an apology.
    pub resolved_with_apology: u64,
    /// Resolutions with a remedy.
    pub resolved_with_remedy: u64,
    /// Reopenings.
    pub reopened: u64,
    /// Closings.
    pub closed: u64,
}

impl ComplaintMeasures {
    /// Adds `other`'s figures to these.
    pub fn merge(&mut self, other: &ComplaintMeasures) {
        self.received = self.received.saturating_add(other.received);
        self.acknowledgement.merge(&other.acknowledgement);
        self.resolution.merge(&other.resolution);
        self.time_to_acknowledge.merge(&other.time_to_acknowledge);
        self.time_to_resolve.merge(&other.time_to_resolve);
        self.acknowledgement_breached = self
            .acknowledgement_breached
            .saturating_add(other.acknowledgement_breached);
        self.resolution_breached = self
            .resolution_breached
            .saturating_add(other.resolution_breached);
        self.escalations_due = self.escalations_due.saturating_add(other.escalations_due);
        for (level, count) in &other.escalations {
            let n = self.escalations.entry(*level).or_insert(0);
            *n = n.saturating_add(*count);
        }
        self.resolved = self.resolved.saturating_add(other.resolved);
        self.resolved_with_apology = self
            .resolved_with_apology
            .saturating_add(other.resolved_with_apology);
        self.resolved_with_remedy = self
            .resolved_with_remedy
            .saturating_add(other.resolved_with_remedy);
        self.reopened = self.reopened.saturating_add(other.reopened);
        self.closed = self.closed.saturating_add(other.closed);
    }

    /// All escalations done.
    #[must_use]
    pub fn escalated(&self) -> u64 {
        self.escalations
            .values()
            .fold(0, |a, n| a.saturating_add(*n))
    }

    /// Reopenings per resolution; `None` without resolutions.
    #[must_use]
    pub fn reopen_rate(&self) -> Option<f64> {
        ratio(self.reopened, self.resolved)
    }

    /// The share of resolutions with an apology; `None` without resolutions.
    #[must_use]
    pub fn apology_share(&self) -> Option<f64> {
        ratio(self.resolved_with_apology, self.resolved)
    }

    /// The share of resolutions with a remedy; `None` without resolutions.
    #[must_use]
    pub fn remedy_share(&self) -> Option<f64> {
        ratio(self.resolved_with_remedy, self.resolved)
    }
}

/// Follow-up figures.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct FollowUpMeasures {
    /// Follow-ups scheduled.
    pub scheduled: u64,
    /// Follow-ups done: met is on time, met late after the due instant (with the lateness).
    pub done: OutcomeTally,
    /// Due instants that passed with the follow-up not done (`FollowUpOverdue`).
    pub overdue: u64,
    /// Follow-ups cancelled.
    pub cancelled: u64,
    /// Done, and the customer is satisfied.
    pub satisfied: u64,
    /// Done, and the customer is not satisfied.
    pub not_satisfied: u64,
    /// Done, and the customer could not be reached.
    pub unreachable: u64,
}

impl FollowUpMeasures {
    /// Adds `other`'s figures to these.
    pub fn merge(&mut self, other: &FollowUpMeasures) {
        self.scheduled = self.scheduled.saturating_add(other.scheduled);
        self.done.merge(&other.done);
        self.overdue = self.overdue.saturating_add(other.overdue);
        self.cancelled = self.cancelled.saturating_add(other.cancelled);
        self.satisfied = self.satisfied.saturating_add(other.satisfied);
        self.not_satisfied = self.not_satisfied.saturating_add(other.not_satisfied);
        self.unreachable = self.unreachable.saturating_add(other.unreachable);
    }

    /// Follow-ups that came due in the window: done before their due instant, or overdue.
    #[must_use]
    pub const fn came_due(&self) -> u64 {
        self.done.met.saturating_add(self.overdue)
    }

    /// Of those that came due, the share done on time; `None` when none came due.
    #[must_use]
    pub fn on_time_rate(&self) -> Option<f64> {
        ratio(self.done.met, self.came_due())
    }
}

/// Survey answers: CSAT (1–5) and NPS (0–10) histograms.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct SurveyMeasures {
    /// Surveys sent.
    pub requested: u64,
    /// Surveys voided (the resolution they asked about was reopened).
    pub voided: u64,
    /// CSAT answers by score: index 0 holds the 1s, index 4 the 5s.
    pub csat_scores: [u64; 5],
    /// NPS answers by score: index `n` holds the answers `n`, 0 to 10.
    pub nps_scores: [u64; 11],
}

impl SurveyMeasures {
    /// Adds `other`'s figures to these.
    pub fn merge(&mut self, other: &SurveyMeasures) {
        self.requested = self.requested.saturating_add(other.requested);
        self.voided = self.voided.saturating_add(other.voided);
        for (mine, theirs) in self.csat_scores.iter_mut().zip(other.csat_scores) {
            *mine = mine.saturating_add(theirs);
        }
        for (mine, theirs) in self.nps_scores.iter_mut().zip(other.nps_scores) {
            *mine = mine.saturating_add(theirs);
        }
    }

    fn add(&mut self, answer: SurveyAnswer) {
        let slot = match answer {
            SurveyAnswer::Csat(score) => self
                .csat_scores
                .get_mut(usize::from(score.get()).saturating_sub(1)),
            SurveyAnswer::Nps(score) => self.nps_scores.get_mut(usize::from(score.get())),
        };
        if let Some(n) = slot {
            *n = n.saturating_add(1);
        }
    }

    fn sum(scores: &[u64]) -> u64 {
        scores.iter().fold(0, |a, n| a.saturating_add(*n))
    }

    /// CSAT answers.
    #[must_use]
    pub fn csat_answers(&self) -> u64 {
        Self::sum(&self.csat_scores)
    }

    /// CSAT answers of 4 or 5: satisfied customers.
    #[must_use]
    pub fn csat_satisfied(&self) -> u64 {
        Self::sum(self.csat_scores.get(3..).unwrap_or_default())
    }

    /// CSAT: the share of CSAT answers that are 4 or 5, 0.0 to 1.0; `None` without answers.
    #[must_use]
    pub fn csat(&self) -> Option<f64> {
        ratio(self.csat_satisfied(), self.csat_answers())
    }

    /// NPS answers.
    #[must_use]
    pub fn nps_answers(&self) -> u64 {
        Self::sum(&self.nps_scores)
    }

    /// NPS answers of 9 or 10.
    #[must_use]
    pub fn promoters(&self) -> u64 {
        Self::sum(self.nps_scores.get(9..).unwrap_or_default())
    }

    /// NPS answers of 7 or 8.
    #[must_use]
    pub fn passives(&self) -> u64 {
        Self::sum(self.nps_scores.get(7..9).unwrap_or_default())
    }

    /// NPS answers of 0 to 6.
    #[must_use]
    pub fn detractors(&self) -> u64 {
        Self::sum(self.nps_scores.get(..7).unwrap_or_default())
    }

    /// Net Promoter Score: % promoters − % detractors, from −100.0 to 100.0 (not rounded);
    /// `None` without answers.
    ///
    /// ```
    /// use clientele::SurveyMeasures;
    ///
    /// let mut surveys = SurveyMeasures::default();
    /// surveys.nps_scores[10] = 3; // promoters
    /// surveys.nps_scores[8] = 1; // a passive
    /// surveys.nps_scores[2] = 1; // a detractor
    /// assert_eq!(surveys.nps(), Some(40.0));
    /// ```
    #[must_use]
    pub fn nps(&self) -> Option<f64> {
        let n = self.nps_answers();
        (n > 0).then(|| (self.promoters() as f64 - self.detractors() as f64) * 100.0 / n as f64)
    }
}

/// The figures of one scope (a customer, an owner, a party, the book) over a window.
///
/// All state is integers, so `==` compares merged results exactly; rates, means and spread
/// are derived by the getters of the parts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct Measures {
    /// Promises: made, kept, broken, withdrawn, slips; ours and outside parties'.
    pub promises: PromiseMeasures,
    /// Outside parties' own commitments behind promises.
    pub dependencies: DependencyMeasures,
    /// Response times: first response and replies.
    pub responses: ResponseMeasures,
    /// Complaints: clocks, escalations, resolutions, reopenings.
    pub complaints: ComplaintMeasures,
    /// Follow-ups.
    pub follow_ups: FollowUpMeasures,
    /// Survey answers: CSAT and NPS.
    pub surveys: SurveyMeasures,
}

impl Measures {
    /// Adds `other`'s figures to these. For two disjoint sets of customers, the measures of
    /// one merged with the other's equal the measures of their union; merging is commutative
    /// and associative.
    ///
    /// ```
    /// use clientele::Measures;
    ///
    /// let mut shard_a = Measures::default();
    /// shard_a.promises.ours.made = 2;
    /// let mut shard_b = Measures::default();
    /// shard_b.promises.ours.made = 3;
    /// shard_a.merge(&shard_b);
    /// assert_eq!(shard_a.promises.ours.made, 5);
    /// ```
    pub fn merge(&mut self, other: &Measures) {
        self.promises.merge(&other.promises);
        self.dependencies.merge(&other.dependencies);
        self.responses.merge(&other.responses);
        self.complaints.merge(&other.complaints);
        self.follow_ups.merge(&other.follow_ups);
        self.surveys.merge(&other.surveys);
    }

    /// Whether nothing at all was counted.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        *self == Measures::default()
    }

    fn count(&mut self, fact: &Fact) {
        match fact {
            Fact::Promise { outside, what } => {
                let counts = if *outside {
                    &mut self.promises.outside
                } else {
                    &mut self.promises.ours
                };
                counts.count(what);
            }
            Fact::DependencyRecorded => {
                self.dependencies.recorded = self.dependencies.recorded.saturating_add(1);
            }
            Fact::DependencyLate => {
                self.dependencies.late = self.dependencies.late.saturating_add(1);
            }
            Fact::DependencyMet(outcome) => self.dependencies.met.add(outcome),
            Fact::Answered {
                kind,
                waited,
                outcome,
            } => {
                let times = self.responses.of(*kind);
                times.business.add(waited.business);
                times.wall.add(waited.wall);
                times.outcomes.add(outcome);
            }
            Fact::ResponseOverdue(kind) => {
                let times = self.responses.of(*kind);
                times.overdue = times.overdue.saturating_add(1);
            }
            Fact::Complaint(what) => self.complaints.count(what),
            Fact::FollowUp(what) => self.follow_ups.count(what),
            Fact::Survey(what) => match what {
                SurveyFact::Requested => {
                    self.surveys.requested = self.surveys.requested.saturating_add(1);
                }
                SurveyFact::Voided => {
                    self.surveys.voided = self.surveys.voided.saturating_add(1);
                }
                SurveyFact::Answered(answer) => self.surveys.add(*answer),
            },
        }
    }
}

impl PromiseCounts {
    fn count(&mut self, what: &PromiseFact) {
        let one = |n: &mut u64| *n = n.saturating_add(1);
        match what {
            PromiseFact::Made => one(&mut self.made),
            PromiseFact::AtRisk => one(&mut self.at_risk),
            PromiseFact::Broken { notice, first } => {
                one(&mut self.breaks);
                if *first {
                    one(&mut self.broken);
                }
                match notice {
                    Notice::InSilence => one(&mut self.broken_in_silence),
                    Notice::WithNotice => one(&mut self.broken_with_notice),
                }
            }
            PromiseFact::Revised(timing) => {
                one(&mut self.revised);
                match timing {
                    RevisionTiming::Proactive => one(&mut self.revised_proactively),
                    RevisionTiming::AfterBreak => one(&mut self.revised_after_break),
                }
            }
            PromiseFact::SlippedRepeatedly => one(&mut self.slipped_repeatedly),
            PromiseFact::Settled {
                kept,
                slips,
                cumulative,
            } => {
                match kept {
                    Some(outcome) => self.kept.add(outcome),
                    None => one(&mut self.withdrawn),
                }
                self.settled_slips = self.settled_slips.saturating_add(u64::from(*slips));
                self.settled_cumulative_slip_secs = self
                    .settled_cumulative_slip_secs
                    .saturating_add(secs(*cumulative));
            }
        }
    }
}

impl ComplaintMeasures {
    fn count(&mut self, what: &ComplaintFact) {
        let one = |n: &mut u64| *n = n.saturating_add(1);
        match what {
            ComplaintFact::Received => one(&mut self.received),
            ComplaintFact::Acknowledged { outcome, after } => {
                self.acknowledgement.add(outcome);
                if let Some(after) = after {
                    self.time_to_acknowledge.add(*after);
                }
            }
            ComplaintFact::Breached(clock) => match clock {
                ComplaintClockKind::Acknowledgement => one(&mut self.acknowledgement_breached),
                ComplaintClockKind::Resolution => one(&mut self.resolution_breached),
                ComplaintClockKind::Escalation => {}
            },
            ComplaintFact::EscalationDue => one(&mut self.escalations_due),
            ComplaintFact::Escalated(level) => one(self.escalations.entry(*level).or_insert(0)),
            ComplaintFact::Resolved {
                outcome,
                acknowledgement,
                after,
                apology,
                remedy,
            } => {
                one(&mut self.resolved);
                self.resolution.add(outcome);
                if let Some(ack) = acknowledgement {
                    self.acknowledgement.add(ack);
                }
                if let Some(after) = after {
                    self.time_to_resolve.add(*after);
                }
                if *apology {
                    one(&mut self.resolved_with_apology);
                }
                if *remedy {
                    one(&mut self.resolved_with_remedy);
                }
            }
            ComplaintFact::Reopened => one(&mut self.reopened),
            ComplaintFact::Closed => one(&mut self.closed),
        }
    }
}

impl FollowUpMeasures {
    fn count(&mut self, what: &FollowUpFact) {
        let one = |n: &mut u64| *n = n.saturating_add(1);
        match what {
            FollowUpFact::Scheduled => one(&mut self.scheduled),
            FollowUpFact::Overdue => one(&mut self.overdue),
            FollowUpFact::Cancelled => one(&mut self.cancelled),
            FollowUpFact::Completed { outcome, timing } => {
                self.done.add(timing);
                match outcome {
                    FollowUpOutcome::Satisfied => one(&mut self.satisfied),
                    FollowUpOutcome::NotSatisfied => one(&mut self.not_satisfied),
                    FollowUpOutcome::Unreachable => one(&mut self.unreachable),
                }
            }
        }
    }
}

/// What one event adds to the measures, with what was remembered to read it.
enum Fact {
    Promise {
        outside: bool,
        what: PromiseFact,
    },
    DependencyRecorded,
    DependencyLate,
    DependencyMet(Outcome),
    Answered {
        kind: ClockKind,
        waited: Elapsed,
        outcome: Outcome,
    },
    ResponseOverdue(ClockKind),
    Complaint(ComplaintFact),
    FollowUp(FollowUpFact),
    Survey(SurveyFact),
}

enum PromiseFact {
    Made,
    AtRisk,
    Broken {
        notice: Notice,
        first: bool,
    },
    Revised(RevisionTiming),
    SlippedRepeatedly,
    Settled {
        kept: Option<Outcome>,
        slips: u32,
        cumulative: Span,
    },
}

enum ComplaintFact {
    Received,
    Acknowledged {
        outcome: Outcome,
        after: Option<Span>,
    },
    Breached(ComplaintClockKind),
    EscalationDue,
    Escalated(u32),
    Resolved {
        outcome: Outcome,
        acknowledgement: Option<Outcome>,
        after: Option<Span>,
        apology: bool,
        remedy: bool,
    },
    Reopened,
    Closed,
}

enum FollowUpFact {
    Scheduled,
    Overdue,
    Cancelled,
    Completed {
        outcome: FollowUpOutcome,
        timing: Outcome,
    },
}

enum SurveyFact {
    Requested,
    Voided,
    Answered(SurveyAnswer),
}

/// What a tally remembers of one promise.
#[derive(Debug, Clone, PartialEq, Eq)]
struct PromiseMemo {
    owner: AgentId,
    party: Option<PartyId>,
    slips: u32,
    cumulative: Span,
    broken_counted: bool,
}

/// What a tally remembers of one complaint.
#[derive(Debug, Clone, PartialEq, Eq)]
struct ComplaintMemo {
    owner: Option<AgentId>,
    received: DateTime<Utc>,
    cycle_started: DateTime<Utc>,
}

/// What a tally remembers of one customer, to attribute later events.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Memory {
    last_seq: u64,
    account_owner: Option<AgentId>,
    waiting: Option<ClockKind>,
    promises: BTreeMap<PromiseId, PromiseMemo>,
    complaints: BTreeMap<ComplaintId, ComplaintMemo>,
    follow_ups: BTreeMap<FollowUpId, AgentId>,
    surveys: BTreeMap<SurveyId, Option<ComplaintId>>,
}

fn since(from: DateTime<Utc>, to: DateTime<Utc>) -> Option<Span> {
    to.signed_duration_since(from).try_into().ok()
}

/// Computes [`Measures`] over a [`Window`] from stored envelopes: for the book, per customer,
/// per owner and per outside party. Feed it every customer's log in order with
/// [`record`](Tally::record); read it at any time.
///
/// See the [module docs](crate::measure) for how windows, attribution and order work.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tally {
    window: Window,
    book: Measures,
    by_customer: BTreeMap<CustomerId, Measures>,
    by_owner: BTreeMap<AgentId, Measures>,
    by_party: BTreeMap<PartyId, Measures>,
    memory: BTreeMap<CustomerId, Memory>,
}

impl Tally {
    /// An empty tally over `window`.
    #[must_use]
    pub fn new(window: Window) -> Self {
        Self {
            window,
            book: Measures::default(),
            by_customer: BTreeMap::new(),
            by_owner: BTreeMap::new(),
            by_party: BTreeMap::new(),
            memory: BTreeMap::new(),
        }
    }

    /// A tally over `window` of every envelope in `log`, in order.
    ///
    /// # Errors
    /// [`MeasureError::OutOfOrder`] at the first envelope out of its customer's log order (see
    /// [`record`](Tally::record)).
    ///
    /// ```
    /// use clientele::{Tally, Window};
    ///
    /// let tally = Tally::from_log(Window::all(), &[])?;
    /// assert!(tally.book().is_empty());
    /// # Ok::<(), clientele::MeasureError>(())
    /// ```
    pub fn from_log<'a>(
        window: Window,
        log: impl IntoIterator<Item = &'a Envelope>,
    ) -> Result<Self, MeasureError> {
        let mut tally = Self::new(window);
        for envelope in log {
            tally.record(envelope)?;
        }
        Ok(tally)
    }

    /// The window it counts.
    #[must_use]
    pub const fn window(&self) -> Window {
        self.window
    }

    /// Reads one stored envelope: remembers what later events need (owners, parties, slips,
    /// when a complaint came in) and, if the envelope falls in the window, counts it for the
    /// book, its customer, and the owner and party it is attributed to.
    ///
    /// # Errors
    /// [`MeasureError::OutOfOrder`] unless `envelope.seq` is the next of its customer's log
    /// (1 for a customer not seen yet). Nothing is counted or remembered then.
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use clientele::{CustomerId, Envelope, Event, CustomerEvent, MeasureError, Tally, Text, Tier, Window};
    ///
    /// let registered = Envelope {
    ///     v: clientele::SCHEMA_VERSION,
    ///     customer: CustomerId::from_u128(1),
    ///     seq: 2, // the first event of a log is 1
    ///     at: Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap(),
    ///     event: Event::Customer(CustomerEvent::Renamed { name: Text::new("Ona")?.into() }),
    ///     key: None,
    /// };
    /// let mut tally = Tally::new(Window::all());
    /// assert!(matches!(tally.record(&registered), Err(MeasureError::OutOfOrder { expected: 1, got: 2, .. })));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn record(&mut self, envelope: &Envelope) -> Result<(), MeasureError> {
        let customer = envelope.customer;
        let memory = self.memory.entry(customer).or_default();
        let expected = memory.last_seq.saturating_add(1);
        if envelope.seq != expected {
            if memory.last_seq == 0 {
                self.memory.remove(&customer);
            }
            return Err(MeasureError::OutOfOrder {
                customer,
                expected,
                got: envelope.seq,
            });
        }
        memory.last_seq = envelope.seq;
        let counts = self.window.contains(envelope.at);
        let Some((fact, owner, party)) = read(memory, envelope, counts) else {
            return Ok(());
        };
        if !counts {
            return Ok(());
        }
        self.book.count(&fact);
        self.by_customer.entry(customer).or_default().count(&fact);
        if let Some(owner) = owner {
            self.by_owner.entry(owner).or_default().count(&fact);
        }
        if let Some(party) = party {
            self.by_party.entry(party).or_default().count(&fact);
        }
        Ok(())
    }

    /// The whole book's figures.
    #[must_use]
    pub const fn book(&self) -> &Measures {
        &self.book
    }

    /// Figures per customer, for customers with anything counted in the window.
    #[must_use]
    pub const fn by_customer(&self) -> &BTreeMap<CustomerId, Measures> {
        &self.by_customer
    }

    /// Figures per owning agent (see the module docs for attribution).
    #[must_use]
    pub const fn by_owner(&self) -> &BTreeMap<AgentId, Measures> {
        &self.by_owner
    }

    /// Figures per outside party: the promises it fulfils and its own commitments.
    #[must_use]
    pub const fn by_party(&self) -> &BTreeMap<PartyId, Measures> {
        &self.by_party
    }

    /// One customer's figures, if anything was counted for it.
    #[must_use]
    pub fn customer(&self, customer: CustomerId) -> Option<&Measures> {
        self.by_customer.get(&customer)
    }

    /// One agent's figures, if anything was attributed to them.
    #[must_use]
    pub fn owner(&self, agent: AgentId) -> Option<&Measures> {
        self.by_owner.get(&agent)
    }

    /// One outside party's figures, if anything was attributed to it.
    #[must_use]
    pub fn party(&self, party: PartyId) -> Option<&Measures> {
        self.by_party.get(&party)
    }

    /// Adds the tally of another shard of customers to this one: the result equals the tally
    /// of both shards' logs read together. Nothing changes on an error.
    ///
    /// # Errors
    /// [`MeasureError::DifferentWindows`] when the windows differ,
    /// [`MeasureError::SharedCustomer`] when both tallies read a customer.
    ///
    /// ```
    /// use clientele::{Tally, Window};
    ///
    /// let mut shard_a = Tally::new(Window::all());
    /// let shard_b = Tally::new(Window::all());
    /// shard_a.merge(&shard_b)?;
    /// assert!(shard_a.book().is_empty());
    /// # Ok::<(), clientele::MeasureError>(())
    /// ```
    pub fn merge(&mut self, other: &Tally) -> Result<(), MeasureError> {
        if self.window != other.window {
            return Err(MeasureError::DifferentWindows {
                ours: self.window,
                theirs: other.window,
            });
        }
        if let Some(shared) = other
            .memory
            .keys()
            .find(|customer| self.memory.contains_key(customer))
        {
            return Err(MeasureError::SharedCustomer(*shared));
        }
        self.book.merge(&other.book);
        merge_maps(&mut self.by_customer, &other.by_customer);
        merge_maps(&mut self.by_owner, &other.by_owner);
        merge_maps(&mut self.by_party, &other.by_party);
        self.memory
            .extend(other.memory.iter().map(|(k, v)| (*k, v.clone())));
        Ok(())
    }
}

fn merge_maps<K: Ord + Copy>(mine: &mut BTreeMap<K, Measures>, theirs: &BTreeMap<K, Measures>) {
    for (key, measures) in theirs {
        mine.entry(*key).or_default().merge(measures);
    }
}

type Read = (Fact, Option<AgentId>, Option<PartyId>);

/// Updates `memory` with what `envelope` says and returns what it counts, and for whom.
/// `counts` says whether the envelope falls in the window (a break is marked as counted only
/// then).
fn read(memory: &mut Memory, envelope: &Envelope, counts: bool) -> Option<Read> {
    let at = envelope.at;
    let promise_memo = |memory: &Memory, id: &PromiseId| {
        let memo = memory.promises.get(id);
        (
            memo.is_some_and(|m| m.party.is_some()),
            memo.map(|m| m.owner),
            memo.and_then(|m| m.party),
        )
    };
    let complaint_owner = |memory: &Memory, id: &ComplaintId| {
        memory
            .complaints
            .get(id)
            .and_then(|c| c.owner)
            .or(memory.account_owner)
    };
    let promise_fact = |outside: bool, what: PromiseFact| Fact::Promise { outside, what };
    match &envelope.event {
        Event::Customer(CustomerEvent::Registered { owner, .. }) | Event::Customer(CustomerEvent::AccountOwnerSet { owner }) => {
            memory.account_owner = *owner;
            None
        }
        Event::Customer(CustomerEvent::Renamed { .. })
        | Event::Customer(CustomerEvent::TierChanged { .. })
        | Event::Customer(CustomerEvent::ContactPointSet { .. })
        | Event::Customer(CustomerEvent::ContactPointRemoved { .. })
        | Event::Customer(CustomerEvent::PreferredChannelSet { .. })
        | Event::Response(ResponseEvent::InteractionRecorded { .. })
        | Event::Response(ResponseEvent::AtRisk { .. })
        // Health is a level, read from `Relationship::health`, not a count over a window.
        | Event::Health(HealthEvent::AtRisk { .. })
        | Event::Health(HealthEvent::Recovered { .. })
        // Erasure removes personal data; nothing counted here is personal.
        | Event::Customer(CustomerEvent::PersonalDataErased { .. }) => None,
        Event::Response(ResponseEvent::ClockStarted { kind, .. }) => {
            memory.waiting = Some(*kind);
            None
        }
        Event::Response(ResponseEvent::Overdue { .. }) => memory
            .waiting
            .map(|kind| (Fact::ResponseOverdue(kind), memory.account_owner, None)),
        Event::Response(ResponseEvent::ClockStopped {
            kind,
            waited,
            outcome,
            ..
        }) => {
            memory.waiting = None;
            let fact = Fact::Answered {
                kind: *kind,
                waited: *waited,
                outcome: *outcome,
            };
            Some((fact, memory.account_owner, None))
        }
        Event::Promise(PromiseEvent::Made {
            promise,
            owner,
            fulfiller,
            ..
        }) => {
            let party = match fulfiller {
                Fulfiller::Us => None,
                Fulfiller::Party { party, .. } => Some(*party),
            };
            memory.promises.insert(
                *promise,
                PromiseMemo {
                    owner: *owner,
                    party,
                    slips: 0,
                    cumulative: Span::ZERO,
                    broken_counted: false,
                },
            );
            Some((
                promise_fact(party.is_some(), PromiseFact::Made),
                Some(*owner),
                party,
            ))
        }
        Event::Promise(PromiseEvent::AtRisk { promise, owner, .. }) => {
            let (outside, _, party) = promise_memo(memory, promise);
            Some((
                promise_fact(outside, PromiseFact::AtRisk),
                Some(*owner),
                party,
            ))
        }
        Event::Promise(PromiseEvent::Broken {
            promise: id,
            owner,
            notice,
            ..
        }) => {
            let (outside, _, party) = promise_memo(memory, id);
            let memo = memory.promises.get_mut(id);
            let first = counts && memo.as_ref().is_some_and(|m| !m.broken_counted);
            if let Some(memo) = memo.filter(|_| counts) {
                memo.broken_counted = true;
            }
            let what = PromiseFact::Broken {
                notice: *notice,
                first,
            };
            Some((promise_fact(outside, what), Some(*owner), party))
        }
        Event::Promise(PromiseEvent::Revised {
            promise: id,
            timing,
            slips,
            cumulative_slip,
            ..
        }) => {
            let (outside, owner, party) = promise_memo(memory, id);
            if let Some(memo) = memory.promises.get_mut(id) {
                memo.slips = *slips;
                memo.cumulative = *cumulative_slip;
            }
            Some((
                promise_fact(outside, PromiseFact::Revised(*timing)),
                owner,
                party,
            ))
        }
        Event::Promise(PromiseEvent::SlippedRepeatedly { promise, owner, .. }) => {
            let (outside, _, party) = promise_memo(memory, promise);
            Some((
                promise_fact(outside, PromiseFact::SlippedRepeatedly),
                Some(*owner),
                party,
            ))
        }
        Event::Promise(PromiseEvent::Kept {
            promise: id,
            owner,
            outcome,
            ..
        }) => Some(settled(memory, id, *owner, Some(*outcome))),
        Event::Promise(PromiseEvent::Withdrawn {
            promise: id, owner, ..
        }) => Some(settled(memory, id, *owner, None)),
        Event::Promise(PromiseEvent::DependencyRecorded { promise, party, .. }) => {
            let (_, owner, _) = promise_memo(memory, promise);
            Some((Fact::DependencyRecorded, owner, Some(*party)))
        }
        Event::Promise(PromiseEvent::DependencyLate { party, owner, .. }) => {
            Some((Fact::DependencyLate, Some(*owner), Some(*party)))
        }
        Event::Promise(PromiseEvent::DependencyMet {
            promise,
            party,
            outcome,
        }) => {
            let (_, owner, _) = promise_memo(memory, promise);
            Some((Fact::DependencyMet(*outcome), owner, Some(*party)))
        }
        Event::Complaint(ComplaintEvent::Received { complaint, .. }) => {
            memory.complaints.insert(
                *complaint,
                ComplaintMemo {
                    owner: None,
                    received: at,
                    cycle_started: at,
                },
            );
            let fact = Fact::Complaint(ComplaintFact::Received);
            Some((fact, memory.account_owner, None))
        }
        Event::Complaint(ComplaintEvent::Acknowledged {
            complaint, outcome, ..
        }) => {
            let after = memory
                .complaints
                .get(complaint)
                .and_then(|c| since(c.received, at));
            let fact = Fact::Complaint(ComplaintFact::Acknowledged {
                outcome: *outcome,
                after,
            });
            Some((fact, complaint_owner(memory, complaint), None))
        }
        Event::Complaint(ComplaintEvent::Assigned { complaint, owner }) => {
            if let Some(memo) = memory.complaints.get_mut(complaint) {
                memo.owner = Some(*owner);
            }
            None
        }
        Event::Complaint(ComplaintEvent::ClockAtRisk { .. })
        | Event::Complaint(ComplaintEvent::AwaitingCustomer { .. })
        | Event::Complaint(ComplaintEvent::Resumed { .. }) => None,
        Event::Complaint(ComplaintEvent::ClockBreached {
            complaint,
            clock,
            owner,
            ..
        }) => {
            let owner = owner.or_else(|| complaint_owner(memory, complaint));
            Some((
                Fact::Complaint(ComplaintFact::Breached(*clock)),
                owner,
                None,
            ))
        }
        Event::Complaint(ComplaintEvent::EscalationDue {
            complaint, owner, ..
        }) => {
            let owner = owner.or_else(|| complaint_owner(memory, complaint));
            Some((Fact::Complaint(ComplaintFact::EscalationDue), owner, None))
        }
        Event::Complaint(ComplaintEvent::Escalated {
            complaint,
            to_level,
            owner,
            ..
        }) => {
            if let Some(memo) = memory.complaints.get_mut(complaint) {
                memo.owner = Some(*owner);
            }
            let fact = Fact::Complaint(ComplaintFact::Escalated(*to_level));
            Some((fact, Some(*owner), None))
        }
        Event::Complaint(ComplaintEvent::Resolved {
            complaint,
            remedy,
            apology,
            outcome,
            acknowledgement,
            ..
        }) => {
            let after = memory
                .complaints
                .get(complaint)
                .and_then(|c| since(c.cycle_started, at));
            let fact = Fact::Complaint(ComplaintFact::Resolved {
                outcome: *outcome,
                acknowledgement: *acknowledgement,
                after,
                apology: *apology,
                remedy: remedy.is_some(),
            });
            Some((fact, complaint_owner(memory, complaint), None))
        }
        Event::Complaint(ComplaintEvent::Closed { complaint }) => Some((
            Fact::Complaint(ComplaintFact::Closed),
            complaint_owner(memory, complaint),
            None,
        )),
        Event::Complaint(ComplaintEvent::Reopened { complaint, .. }) => {
            if let Some(memo) = memory.complaints.get_mut(complaint) {
                memo.cycle_started = at;
            }
            Some((
                Fact::Complaint(ComplaintFact::Reopened),
                complaint_owner(memory, complaint),
                None,
            ))
        }
        Event::FollowUp(FollowUpEvent::Scheduled {
            follow_up, owner, ..
        }) => {
            memory.follow_ups.insert(*follow_up, *owner);
            Some((Fact::FollowUp(FollowUpFact::Scheduled), Some(*owner), None))
        }
        Event::FollowUp(FollowUpEvent::Overdue { owner, .. }) => {
            Some((Fact::FollowUp(FollowUpFact::Overdue), Some(*owner), None))
        }
        Event::FollowUp(FollowUpEvent::Completed {
            follow_up,
            outcome,
            timing,
            ..
        }) => {
            let fact = Fact::FollowUp(FollowUpFact::Completed {
                outcome: *outcome,
                timing: *timing,
            });
            Some((fact, memory.follow_ups.get(follow_up).copied(), None))
        }
        Event::FollowUp(FollowUpEvent::Cancelled { follow_up, .. }) => Some((
            Fact::FollowUp(FollowUpFact::Cancelled),
            memory.follow_ups.get(follow_up).copied(),
            None,
        )),
        Event::Survey(SurveyEvent::Requested {
            survey, complaint, ..
        }) => {
            memory.surveys.insert(*survey, *complaint);
            let owner = complaint
                .as_ref()
                .map_or(memory.account_owner, |c| complaint_owner(memory, c));
            Some((Fact::Survey(SurveyFact::Requested), owner, None))
        }
        Event::Survey(SurveyEvent::Answered {
            answer, complaint, ..
        }) => {
            let owner = complaint
                .as_ref()
                .map_or(memory.account_owner, |c| complaint_owner(memory, c));
            Some((Fact::Survey(SurveyFact::Answered(*answer)), owner, None))
        }
        Event::Survey(SurveyEvent::Voided { survey, .. }) => {
            let owner = match memory.surveys.get(survey) {
                Some(Some(complaint)) => complaint_owner(memory, complaint),
                Some(None) | None => memory.account_owner,
            };
            Some((Fact::Survey(SurveyFact::Voided), owner, None))
        }
    }
}

/// A promise kept (`kept: Some`) or withdrawn: counts it with the slips it had.
fn settled(memory: &Memory, id: &PromiseId, owner: AgentId, kept: Option<Outcome>) -> Read {
    let memo = memory.promises.get(id);
    let party = memo.and_then(|m| m.party);
    let what = PromiseFact::Settled {
        kept,
        slips: memo.map_or(0, |m| m.slips),
        cumulative: memo.map_or(Span::ZERO, |m| m.cumulative),
    };
    (
        Fact::Promise {
            outside: party.is_some(),
            what,
        },
        Some(owner),
        party,
    )
}
