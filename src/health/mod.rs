//! Relationship health: a score from 0 to 100 that falls when the service slips, **even if the
//! customer never complains** (about 80 % of dissatisfied customers leave without a word).
//!
//! Six signals, each a penalty from 0 to 1000 (per mille), weighted by the policy's
//! [`HealthWeights`] (which sum to 100):
//!
//! | signal | full penalty when |
//! | --- | --- |
//! | `broken_promises` | two promises are broken and neither re-promised nor kept (one: half) |
//! | `slips_and_silence` | three of: promises that slipped repeatedly, promises broken in silence within the window |
//! | `complaints` | open complaints weigh 1 + their escalation level (+1 when escalation is due); 4 is full |
//! | `responsiveness` | every response target that ended in the window was missed (the share missed) |
//! | `unanswered` | the customer is waiting past the deadline (at risk: half; three or more messages waiting: 30 %) |
//! | `sentiment` | the latest survey answer in the window is a detractor (NPS 0–6) or unsatisfied (CSAT 1–2); NPS 7–8: 30 %, CSAT 3: half |
//!
//! `score = 100 − Σ weight × penalty / 1000`. Bands: healthy from `watch_below`, watch from
//! `at_risk_below`, at risk under it (defaults 75 and 50).

mod event;

pub use event::HealthEvent;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

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
    /// Broken promises 30, slips and silence 15, complaints 20, responsiveness 10, unanswered
    /// messages 10, sentiment 15: reliability first, as the customers in the seeds judge us.
    fn default() -> Self {
        Self {
            broken_promises: 30,
            slips_and_silence: 15,
            complaints: 20,
            responsiveness: 10,
            unanswered: 10,
            sentiment: 15,
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

    /// The weight of `signal`.
    #[must_use]
    pub const fn get(&self, signal: Signal) -> u8 {
        match signal {
            Signal::BrokenPromises => self.broken_promises,
            Signal::SlipsAndSilence => self.slips_and_silence,
            Signal::Complaints => self.complaints,
            Signal::Responsiveness => self.responsiveness,
            Signal::Unanswered => self.unanswered,
            Signal::Sentiment => self.sentiment,
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
    /// How far back the windowed signals look (response outcomes, silent breaks, surveys).
    pub window: Span,
}

impl Default for HealthPolicy {
    fn default() -> Self {
        Self {
            weights: HealthWeights::default(),
            watch_below: 75,
            at_risk_below: 50,
            window: Span::days(90),
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
    /// Recent CSAT and NPS answers.
    Sentiment,
}

impl Signal {
    /// Every signal.
    pub const ALL: [Signal; 6] = [
        Signal::BrokenPromises,
        Signal::SlipsAndSilence,
        Signal::Complaints,
        Signal::Responsiveness,
        Signal::Unanswered,
        Signal::Sentiment,
    ];
}

/// A health band.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
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
    /// The penalty (per mille) of each signal that has one, worst weighted first: the reasons.
    pub reasons: Vec<(Signal, u16)>,
    /// The windowed part of the score now minus the same part over the previous window
    /// (positive: improving). Open items have no history, so they do not take part.
    pub trend: i16,
}

/// Something in the recent past that health looks at, kept for the length of a window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) enum Recent {
    ResponseMet,
    ResponseMissed,
    SilentBreak,
    Csat(u8),
    Nps(u8),
}

/// How many recent facts a relationship keeps for health: enough for a quarter of a busy
/// customer's life, bounded so memory stays flat.
pub(crate) const RECENT: usize = 24;

/// What health needs to know about a relationship's open items at a moment.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct OpenItems {
    pub(crate) broken_promises: u32,
    pub(crate) repeated_slips: u32,
    pub(crate) complaint_weight: u32,
    pub(crate) waiting_overdue: bool,
    pub(crate) waiting_at_risk: bool,
    pub(crate) unanswered: u32,
}

fn capped(value: u32, per_unit: u32) -> u16 {
    u16::try_from(value.saturating_mul(per_unit).min(1000)).unwrap_or(1000)
}

/// The windowed penalties over `(from, to]`: responsiveness, silent breaks, sentiment.
fn windowed(
    recent: &[(DateTime<Utc>, Recent)],
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> (u16, u32, u16) {
    // (from, to]: a fact recorded at the very moment health is scored counts.
    let inside = recent.iter().filter(|(at, _)| *at > from && *at <= to);
    let (mut met, mut missed, mut silent) = (0u32, 0u32, 0u32);
    let mut latest_survey = None;
    for (_, fact) in inside {
        match fact {
            Recent::ResponseMet => met = met.saturating_add(1),
            Recent::ResponseMissed => missed = missed.saturating_add(1),
            Recent::SilentBreak => silent = silent.saturating_add(1),
            Recent::Csat(_) | Recent::Nps(_) => latest_survey = Some(*fact),
        }
    }
    let total = met.saturating_add(missed);
    let responsiveness = missed
        .saturating_mul(1000)
        .checked_div(total)
        .map_or(0, |share| u16::try_from(share).unwrap_or(1000));
    let sentiment = match latest_survey {
        Some(Recent::Csat(score)) if score <= 2 => 1000,
        Some(Recent::Csat(3)) => 500,
        Some(Recent::Nps(score)) if score <= 6 => 1000,
        Some(Recent::Nps(7 | 8)) => 300,
        _ => 0,
    };
    (responsiveness, silent, sentiment)
}

fn weighted(weights: &HealthWeights, penalties: &[(Signal, u16)]) -> u32 {
    penalties
        .iter()
        .map(|(signal, penalty)| u32::from(weights.get(*signal)) * u32::from(*penalty))
        .sum::<u32>()
        / 1000
}

/// The score and each signal's penalty at `now`, without allocating.
pub(crate) fn points(
    policy: &HealthPolicy,
    open: OpenItems,
    recent: &[(DateTime<Utc>, Recent)],
    now: DateTime<Utc>,
) -> (u8, [(Signal, u16); 6]) {
    let from = now
        .checked_sub_signed(policy.window.to_time_delta())
        .unwrap_or(DateTime::<Utc>::MIN_UTC);
    let (responsiveness, silent, sentiment) = windowed(recent, from, now);
    let unanswered = if open.waiting_overdue {
        1000
    } else if open.waiting_at_risk {
        500
    } else if open.unanswered >= 3 {
        300
    } else {
        0
    };
    let penalties = [
        (Signal::BrokenPromises, capped(open.broken_promises, 500)),
        (
            Signal::SlipsAndSilence,
            capped(open.repeated_slips.saturating_add(silent), 334),
        ),
        (Signal::Complaints, capped(open.complaint_weight, 250)),
        (Signal::Responsiveness, responsiveness),
        (Signal::Unanswered, unanswered),
        (Signal::Sentiment, sentiment),
    ];
    let score =
        u8::try_from(100u32.saturating_sub(weighted(&policy.weights, &penalties))).unwrap_or(0);
    (score, penalties)
}

/// The band of `score`.
pub(crate) fn band(policy: &HealthPolicy, score: u8) -> Band {
    if score < policy.at_risk_below {
        Band::AtRisk
    } else if score < policy.watch_below {
        Band::Watch
    } else {
        Band::Healthy
    }
}

/// The penalised signals, worst weighted first.
pub(crate) fn reasons(policy: &HealthPolicy, penalties: &[(Signal, u16)]) -> Vec<(Signal, u16)> {
    let mut reasons: Vec<(Signal, u16)> =
        penalties.iter().copied().filter(|(_, p)| *p > 0).collect();
    reasons.sort_by_key(|(signal, penalty)| {
        std::cmp::Reverse(u32::from(policy.weights.get(*signal)) * u32::from(*penalty))
    });
    reasons
}

/// Scores health at `now`, with the reasons and the trend.
pub(crate) fn score(
    policy: &HealthPolicy,
    open: OpenItems,
    recent: &[(DateTime<Utc>, Recent)],
    now: DateTime<Utc>,
) -> Health {
    let (score, penalties) = points(policy, open, recent, now);
    let window = policy.window.to_time_delta();
    let from = now
        .checked_sub_signed(window)
        .unwrap_or(DateTime::<Utc>::MIN_UTC);
    let before = from
        .checked_sub_signed(window)
        .unwrap_or(DateTime::<Utc>::MIN_UTC);
    // The trend compares only the windowed signals, this window against the one before.
    let windowed_weight = |(responsiveness, silent, sentiment): (u16, u32, u16)| {
        weighted(
            &policy.weights,
            &[
                (Signal::Responsiveness, responsiveness),
                (Signal::SlipsAndSilence, capped(silent, 334)),
                (Signal::Sentiment, sentiment),
            ],
        )
    };
    let now_part = windowed_weight(windowed(recent, from, now));
    let before_part = windowed_weight(windowed(recent, before, from));
    Health {
        score,
        band: band(policy, score),
        reasons: reasons(policy, &penalties),
        trend: i16::try_from(i64::from(before_part) - i64::from(now_part)).unwrap_or(0),
    }
}
