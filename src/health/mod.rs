//! Relationship health: a score from 0 to 100 that falls when the service slips, **even if the
//! customer never complains** (about 80 % of dissatisfied customers leave without a word, seed
//! 001; the optician of seed 002 lost a customer who never complained).
//!
//! # A pure function of the facts up to `t`
//! [`Relationship::health`](crate::Relationship::health) at `t` reads the facts that happened
//! up to `t` and nothing else: the same value whether or not
//! [`advance_to`](crate::Relationship::advance_to) ran (deadlines due by `t` are taken as
//! fired), the same after [`replay`](crate::Relationship::replay). The facts come from a
//! time-windowed record the relationship keeps, fed from `apply` (response outcomes and
//! breaches, promise breaks, survey and follow-up answers, inbound contacts), so they do not
//! depend on the promises or complaints they came from still being held. Open items (open
//! complaints, promises broken and still outstanding, the customer waiting) are read from the
//! state at `t`.
//!
//! # Windows by time
//! Every fact of the last [`window`](HealthPolicy::window) counts (90 days by default), however
//! many there are. A fact weighs fully for half a window, then half as much (decay), then
//! leaves. So the score changes with nobody looking only at known instants: a fact half a
//! window old, a fact a window old, a bad experience turning into silence. The relationship's
//! [`next_deadline`](crate::Relationship::next_deadline) names the first of them at which the
//! band moves into or out of "at risk" (kind [`HealthReview`](crate::DeadlineKind::HealthReview)),
//! and [`advance_to`](crate::Relationship::advance_to) records `RelationshipAtRisk` or
//! `RelationshipRecovered` dated at that instant. A band change is dated at the instant the
//! band changes: at the fact, the deadline or the review that moved it; the at-risk flag's
//! `since` is that instant and never moves.
//!
//! # Signals and how they combine
//! Seven signals, each a penalty from 0 to 1000 (per mille), read at `t`:
//!
//! | signal | penalty | severe on its own when |
//! | --- | --- | --- |
//! | `broken_promises` | the larger of 60 % per promise broken and still outstanding, and 30 % per break in the window (60 % in its recent half) | – |
//! | `slips_and_silence` | 25 % per break in silence in the window (50 % in its recent half), plus 50 % per outstanding promise that slipped repeatedly | two breaks in silence in the window (one promise broken twice, or two promises) |
//! | `complaints` | 25 % per open complaint, plus 25 % per support level it was escalated to and 25 % while escalation is due | – |
//! | `responsiveness` | the share of targets missed in the window (recent half weighing double): response targets, and a complaint's acknowledgement and resolution targets; a customer waiting past the deadline is a target missed | at least [`most_missed_of`](HealthPolicy::most_missed_of) targets (5) and more than half missed |
//! | `unanswered` | waiting past the deadline 100 %, past the warning 50 %, three or more messages waiting 30 % | – |
//! | `sentiment` | the latest answer in the window (survey or follow-up): NPS 0–6, CSAT 1–2 or a follow-up not satisfied 100 %, CSAT 3 50 %, NPS 7–8 30 %; halved in the older half | the latest answer is unsatisfied (detractor, CSAT 1–2, follow-up not satisfied) |
//! | `gone_quiet` | the customer has gone quiet after a bad experience ([`QuietPolicy`]) | always |
//!
//! **Moderate failures add up**: `score = 100 − Σ weight × penalty / 1000`, the weights of
//! [`HealthWeights`] summing to 100 (defaults: broken promises 30, slips and silence 20,
//! complaints 15, responsiveness 15, unanswered 10, sentiment 10; `gone_quiet` has no weight,
//! it counts only as a severe failure). **A severe failure reaches "at risk" on its own**: with
//! `k` signals severe, the score is at most `at_risk_below − 5k` (45 with one, 40 with two, by
//! default), whatever the weights. The reasoning: a weighted sum lets the failures a customer
//! suffers at once add up, but it dilutes a single grave one (the old scoring could cost broken
//! promises at most 30 points: seed 002's customer read 75, "healthy"); the few failures that
//! by themselves make a customer likely to leave (a promise broken twice without a word, most
//! answers late over a quarter, an answer saying they are unhappy, a customer gone quiet after
//! a bad experience) are named and put under the line. A complaint is never severe alone: a
//! complaining customer still invests in the relationship (seed 002) and the complaint has its
//! own clocks and escalation.
//!
//! [`Health::lost`] says how many points each signal costs, summing to exactly `100 − score`
//! (the points a severe ceiling takes beyond the weighted sum go to the severe signals);
//! [`Health::reasons`] gives each penalised signal's penalty, worst first;
//! [`Health::severe`] names the severe ones.
//!
//! # The customer gone quiet
//! A customer with a rhythm of contact ([`QuietPolicy`]) who stops writing after a bad
//! experience goes quiet at a known instant: the bad experience plus `times` their median gap.
//! [`next_deadline`](crate::Relationship::next_deadline) names it (kind
//! [`HealthReview`](crate::DeadlineKind::HealthReview)), and
//! [`advance_to`](crate::Relationship::advance_to) records `relationship_gone_quiet`
//! ([`HealthEvent::GoneQuiet`], schema 3) dated at that instant, before the band change it
//! brings. Their account owner is flagged ([`FlagKind::GoneQuiet`](crate::flag::FlagKind::GoneQuiet),
//! `since` that instant, whether or not `advance_to` ran) until the customer writes again:
//! an inbound contact clears it, and the customer can go quiet again after the next bad
//! experience. The signal in the score stops once the bad experience leaves the window; the
//! flag stays (they still have not written), and it is recorded once per silence.
//!
//! # Cases, with the default policy
//! Every case is a test with the band it must reach: case 1 in `tests/health.rs`, the others
//! in `tests/health_cases.rs`.
//!
//! | # | the customer's story | score | band |
//! | --- | --- | --- | --- |
//! | 1 | new, nothing happened | 100 | healthy |
//! | 2 | one promise broken in silence | 72 | watch |
//! | 3 | one promise broken after telling the customer | 82 | healthy |
//! | 4 | seed 002: a promise broken in silence, re-promised "another week", broken in silence again; no complaint, answers on time | ≤ 45 | at risk |
//! | 5 | seed 002 after the late delivery (the promise kept late) | ≤ 45 | at risk |
//! | 6 | seed 002, 120 days after the second break (recovered at the instant the first break left the window) | 100 | healthy |
//! | 7 | three breaks in silence in the morning, then 24 answers on time in the afternoon | ≤ 45 | at risk |
//! | 8 | two breaks, a late reply and an NPS of 3; then 120 days later (recovered at the instant the last fact left the window) | ≤ 40, then 100 | at risk, then healthy |
//! | 9 | six answers, four of them late (most of at least five) | ≤ 45 | at risk |
//! | 10 | four answers, all late (fewer than five targets: moderate) | 85 | healthy |
//! | 11 | six answers, three late (not most) | 93 | healthy |
//! | 12 | a follow-up that found the customer not satisfied | ≤ 45 | at risk |
//! | 13 | an NPS of 7 | 97 | healthy |
//! | 14 | moderate failures together: one break in silence, one late answer, a customer waiting past the deadline | 47 | at risk |
//! | 15 | one open complaint, escalated once, escalation due again | 89 | healthy |
//! | 16 | a customer writing weekly, answered late, then silent for three of their weeks (gone quiet, recorded at that instant); writes again | ≤ 45, then 97 | at risk, then healthy |
//!
//! Bands: healthy from [`watch_below`](HealthPolicy::watch_below), watch from
//! [`at_risk_below`](HealthPolicy::at_risk_below), at risk under it (defaults 75 and 50).
//!
//! # Band diagram
//!
//! How the band a score falls in moves ([`BandLifecycle`](crate::lifecycle::BandLifecycle)): one band at a time, or across
//! "watch" at once (a severe failure puts a healthy relationship at risk on its own; the
//! severe signal clearing can bring it straight back).
//!
//! ```text
//! healthy --decline--> watch
//! watch   --decline--> at_risk
//! healthy --plunge-->  at_risk
//! watch   --improve--> healthy
//! at_risk --improve--> watch
//! at_risk --rebound--> healthy
//! ```
//!
//! Only the edge of "at risk" is recorded: every move into `at_risk` is a
//! `relationship_at_risk` event and every move out of it a `relationship_recovered`, dated at
//! the instant the band moved (a fact, a deadline, or a review `next_deadline` named). Moves
//! between `healthy` and `watch` record nothing: read them from
//! [`Relationship::health`](crate::Relationship::health).
//!
//! # Calibration on a real log
//! `cargo run --release --example import_log -- helpdesk <finale.csv>` replays the Helpdesk log
//! (4,580 tickets of 394 customers, 2010–2014; every ticket a complaint, no response clocks)
//! and reports health at the log's last row against each customer's share of targets missed
//! (acknowledgement and resolution; at least five targets), with the default policy:
//!
//! | against the targets of | customers judged | bands at the end | worst-served in watch or at risk | Spearman, score vs missed share |
//! | --- | --- | --- | --- | --- |
//! | the last 90-day window | 13 | 12 at risk, 67 healthy (of 79 with a target then) | 12 of 13 (the one left out missed 33 %, not most) | −0.47 |
//! | the whole log | 270 | 12 at risk, 382 healthy | 0 of 20 | −0.13 |
//!
//! Before complaint targets counted as targets, every customer read healthy (score 100 for
//! the worst-served) and the correlation was +0.07: a helpdesk's customers are served through
//! complaints, so a complaint's targets now count with the response targets. Against the
//! last window (the facts health reads), every customer with most of at least five targets
//! missed is at risk. Against the whole log the check fails, by design: health reads a
//! window (90 days by default), and the worst-served customers' tickets are years old at the
//! log's end; a service that wants a longer memory sets a longer window (at most a year).

mod event;
mod instants;
mod record;
mod score;

pub use event::HealthEvent;
pub use record::{MAX_CONTACTS, MAX_WINDOW_DAYS};

mod review;

pub(crate) use record::{Fact, Record};
pub(crate) use review::review;
pub(crate) use score::{OpenItems, Quiet, assess_given, quiet_at, reasons, score};

use serde::{Deserialize, Serialize};

use crate::health::record::Reader;
use crate::value::{Span, ValueError};

/// The weight of each health signal; they must sum to 100.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "WeightsWire", into = "WeightsWire")]
pub struct HealthWeights {
    broken_promises: u8,
    slips_and_silence: u8,
    complaints: u8,
    responsiveness: u8,
    unanswered: u8,
    sentiment: u8,
}

#[derive(Serialize, Deserialize)]
struct WeightsWire {
    broken_promises: u8,
    slips_and_silence: u8,
    complaints: u8,
    responsiveness: u8,
    unanswered: u8,
    sentiment: u8,
}

impl TryFrom<WeightsWire> for HealthWeights {
    type Error = ValueError;
    fn try_from(w: WeightsWire) -> Result<Self, Self::Error> {
        Self::new(
            w.broken_promises,
            w.slips_and_silence,
            w.complaints,
            w.responsiveness,
            w.unanswered,
            w.sentiment,
        )
    }
}

impl From<HealthWeights> for WeightsWire {
    fn from(w: HealthWeights) -> Self {
        Self {
            broken_promises: w.broken_promises,
            slips_and_silence: w.slips_and_silence,
            complaints: w.complaints,
            responsiveness: w.responsiveness,
            unanswered: w.unanswered,
            sentiment: w.sentiment,
        }
    }
}

impl Default for HealthWeights {
    /// Broken promises 30, slips and silence 20, complaints 15, responsiveness 15, unanswered
    /// messages 10, sentiment 10: reliability first, as the customers in the seeds judge us.
    fn default() -> Self {
        Self {
            broken_promises: 30,
            slips_and_silence: 20,
            complaints: 15,
            responsiveness: 15,
            unanswered: 10,
            sentiment: 10,
        }
    }
}

impl HealthWeights {
    /// Weights in the order of [`Signal`]; they must sum to 100.
    ///
    /// # Errors
    /// [`ValueError::OutOfRange`] naming the sum when it is not 100.
    ///
    /// ```
    /// use clientele::health::HealthWeights;
    ///
    /// assert!(HealthWeights::new(30, 15, 20, 10, 10, 15).is_ok());
    /// assert!(HealthWeights::new(30, 15, 20, 10, 10, 10).is_err());
    /// # Ok::<(), clientele::ValueError>(())
    /// ```
    pub const fn new(
        broken_promises: u8,
        slips_and_silence: u8,
        complaints: u8,
        responsiveness: u8,
        unanswered: u8,
        sentiment: u8,
    ) -> Result<Self, ValueError> {
        let sum = broken_promises as i64
            + slips_and_silence as i64
            + complaints as i64
            + responsiveness as i64
            + unanswered as i64
            + sentiment as i64;
        if sum != 100 {
            return Err(ValueError::OutOfRange {
                what: "sum of health weights",
                value: sum,
                min: 100,
                max: 100,
            });
        }
        Ok(Self {
            broken_promises,
            slips_and_silence,
            complaints,
            responsiveness,
            unanswered,
            sentiment,
        })
    }

    /// The weight of `signal` (`gone_quiet` has none: it counts only as a severe failure).
    ///
    /// ```
    /// use clientele::ServicePolicy;
    /// use clientele::health::Signal;
    ///
    /// let weights = ServicePolicy::default().health.weights;
    /// assert_eq!(weights.get(Signal::BrokenPromises), 30);
    /// assert_eq!(weights.get(Signal::GoneQuiet), 0); // severe only
    /// ```
    #[must_use]
    pub const fn get(&self, signal: Signal) -> u8 {
        match signal {
            Signal::BrokenPromises => self.broken_promises,
            Signal::SlipsAndSilence => self.slips_and_silence,
            Signal::Complaints => self.complaints,
            Signal::Responsiveness => self.responsiveness,
            Signal::Unanswered => self.unanswered,
            Signal::Sentiment => self.sentiment,
            Signal::GoneQuiet => 0,
        }
    }
}

/// How health is scored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HealthPolicy {
    /// The signals' weights.
    pub weights: HealthWeights,
    /// Scores below this are "watch".
    pub watch_below: u8,
    /// Scores below this are "at risk".
    pub at_risk_below: u8,
    /// How far back the windowed signals look (response outcomes, breaks, answers): every
    /// fact of the window counts, fully in its recent half, half in the older half. At most
    /// [`MAX_WINDOW_DAYS`].
    pub window: Span,
    /// How many response targets make "most missed" a severe failure (5).
    #[serde(default = "default_most_missed_of")]
    pub most_missed_of: u8,
    /// When a customer counts as gone quiet.
    #[serde(default)]
    pub quiet: QuietPolicy,
}

const fn default_most_missed_of() -> u8 {
    5
}

/// When a customer has gone quiet: no inbound contact for longer than `times` × the median
/// gap between their last `contacts` inbound contacts (at least `at_least_gap`), counted from a
/// bad experience since they last wrote (a response or complaint target breached, an answer
/// late, a promise broken, an unsatisfied answer) still inside the window. It clears when they
/// write again, or when that bad experience leaves the window. A customer with fewer than
/// `at_least` inbound contacts has no rhythm to judge by and never goes quiet.
///
/// Defaults: the last 6 contacts, at least 3, 3 times the median gap, at least 7 days: a
/// customer who writes weekly is quiet three weeks after a bad experience; one who writes
/// daily, after a week.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct QuietPolicy {
    /// How many of the latest inbound contacts set the rhythm (at most [`MAX_CONTACTS`]).
    pub contacts: u8,
    /// The fewest inbound contacts that make a rhythm (at least 2).
    pub at_least: u8,
    /// How many median gaps of silence make the customer quiet (at least 1).
    pub times: u8,
    /// The shortest silence that counts, whatever the rhythm.
    pub at_least_gap: Span,
}

impl Default for QuietPolicy {
    fn default() -> Self {
        Self {
            contacts: 6,
            at_least: 3,
            times: 3,
            at_least_gap: Span::days(7),
        }
    }
}

impl Default for HealthPolicy {
    fn default() -> Self {
        Self {
            weights: HealthWeights::default(),
            watch_below: 75,
            at_risk_below: 50,
            window: Span::days(90),
            most_missed_of: default_most_missed_of(),
            quiet: QuietPolicy::default(),
        }
    }
}

/// One of the signals health is made of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum Signal {
    /// Promises broken and neither re-promised nor kept.
    BrokenPromises,
    /// Promises that slipped repeatedly, and promises broken in silence.
    SlipsAndSilence,
    /// Open complaints and their escalation level.
    Complaints,
    /// Response targets missed.
    Responsiveness,
    /// Messages waiting for an answer.
    Unanswered,
    /// The latest CSAT, NPS or follow-up answer.
    Sentiment,
    /// The customer has gone quiet after a bad experience (see [`QuietPolicy`]).
    GoneQuiet,
}

impl Signal {
    /// Every signal.
    pub const ALL: [Signal; 7] = [
        Signal::BrokenPromises,
        Signal::SlipsAndSilence,
        Signal::Complaints,
        Signal::Responsiveness,
        Signal::Unanswered,
        Signal::Sentiment,
        Signal::GoneQuiet,
    ];
}

/// A health band.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum Band {
    /// At risk of leaving.
    AtRisk,
    /// Worth watching.
    Watch,
    /// Healthy.
    Healthy,
}

/// A relationship's health at a moment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Health {
    /// 0 to 100.
    pub score: u8,
    /// Its band.
    pub band: Band,
    /// The penalty (per mille) of each signal that has one, worst first: the reasons.
    pub reasons: Vec<(Signal, u16)>,
    /// The points each signal costs, summing to exactly `100 − score`.
    pub lost: Vec<(Signal, u8)>,
    /// The signals failing severely, each enough to put the relationship at risk.
    pub severe: Vec<Signal>,
    /// The windowed part of the score now minus the same part over the previous window
    /// (positive: improving), over the same time windows as the score. Open items have no
    /// history, so they do not take part.
    pub trend: i16,
}

/// The health rules a relationship was last scored under, so that
/// [`next_deadline`](crate::Relationship::next_deadline), which takes no policy, can name the
/// instant its band changes. A cache, not state: two relationships with the same facts are
/// equal whatever rules they last saw.
/// Boxed only when they differ from the default rules (most books keep those).
#[derive(Debug, Clone, Default)]
pub(crate) struct Rules(Option<Box<HealthPolicy>>);

/// The default health rules, for every relationship that keeps them.
static DEFAULT_RULES: std::sync::LazyLock<HealthPolicy> =
    std::sync::LazyLock::new(HealthPolicy::default);

impl Rules {
    /// The rules in force.
    pub(crate) fn get(&self) -> &HealthPolicy {
        self.0.as_deref().unwrap_or(&DEFAULT_RULES)
    }

    /// Remembers `rules`, unless they are the ones in force already.
    pub(crate) fn set(&mut self, rules: &HealthPolicy) {
        if self.get() != rules {
            self.0 = (*rules != *DEFAULT_RULES).then(|| Box::new(rules.clone()));
        }
    }
}

impl PartialEq for Rules {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl Eq for Rules {}

/// The event a move into or out of the at-risk band at `at` becomes, if any, for a
/// relationship at risk (`at_risk`) or not.
pub(crate) fn band_change(
    policy: &HealthPolicy,
    open: OpenItems,
    record: &Record,
    at: chrono::DateTime<chrono::Utc>,
    at_risk: bool,
) -> Option<HealthEvent> {
    let quiet = quiet_at(policy, record, at).is_some();
    band_change_given(policy, open, &mut Reader::new(record), (at, quiet), at_risk)
}

/// As [`band_change`], with whether the customer is quiet at `at` known.
pub(crate) fn band_change_given(
    policy: &HealthPolicy,
    open: OpenItems,
    record: &mut Reader<'_>,
    (at, quiet): (chrono::DateTime<chrono::Utc>, bool),
    at_risk: bool,
) -> Option<HealthEvent> {
    let (score, band, penalties, _, lost) = assess_given(policy, open, record, at, quiet);
    match (band == Band::AtRisk, at_risk) {
        (true, false) => Some(HealthEvent::AtRisk {
            score,
            reasons: reasons(policy, &penalties, &lost)
                .into_iter()
                .map(|(signal, _)| signal)
                .collect(),
        }),
        (false, true) => Some(HealthEvent::Recovered { score }),
        (true, true) | (false, false) => None,
    }
}

/// The `relationship_gone_quiet` event at `at`, if the customer is quiet then and not yet
/// recorded so (`recorded`).
pub(crate) fn gone_quiet(
    policy: &HealthPolicy,
    record: &Record,
    at: chrono::DateTime<chrono::Utc>,
    recorded: bool,
) -> Option<HealthEvent> {
    if recorded {
        return None;
    }
    gone_quiet_given(quiet_at(policy, record, at), false)
}

/// As [`gone_quiet`], with the customer's silence at that instant known.
pub(crate) fn gone_quiet_given(quiet: Option<Quiet>, recorded: bool) -> Option<HealthEvent> {
    quiet.filter(|_| !recorded).map(|q| HealthEvent::GoneQuiet {
        last_contact: q.last_contact,
        after: q.after,
    })
}
