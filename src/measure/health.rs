//! Health measures: customers entering and leaving "at risk", and going quiet, in a window;
//! and how a tally reads health events.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::health::{HealthEvent, Signal};
use crate::measure::tally::{Fact, Memory, Read};

/// Health figures: moves into and out of the at-risk band and customers gone quiet, counted
/// when they happen (each event is dated at the instant the band moved, so a move found late
/// still counts in its own window), attributed to the account owner at the time, who is
/// flagged. A customer who moves in and out twice in a window counts twice.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct HealthMeasures {
    /// Moves into "at risk" (`relationship_at_risk`).
    pub entered_at_risk: u64,
    /// Moves out of "at risk" (`relationship_recovered`).
    pub left_at_risk: u64,
    /// Customers gone quiet after a bad experience (`relationship_gone_quiet`).
    pub gone_quiet: u64,
    /// For the moves into "at risk", how often each signal was among the reasons.
    pub reasons: BTreeMap<Signal, u64>,
}

impl HealthMeasures {
    /// Adds `other`'s figures to these.
    ///
    /// ```
    /// use clientele::measure::HealthMeasures;
    ///
    /// let (mut a, mut b) = (HealthMeasures::default(), HealthMeasures::default());
    /// (a.entered_at_risk, b.entered_at_risk, b.gone_quiet) = (1, 2, 1);
    /// a.merge(&b);
    /// assert_eq!((a.entered_at_risk, a.gone_quiet), (3, 1));
    /// ```
    pub fn merge(&mut self, other: &HealthMeasures) {
        self.entered_at_risk = self.entered_at_risk.saturating_add(other.entered_at_risk);
        self.left_at_risk = self.left_at_risk.saturating_add(other.left_at_risk);
        self.gone_quiet = self.gone_quiet.saturating_add(other.gone_quiet);
        for (signal, n) in &other.reasons {
            let mine = self.reasons.entry(*signal).or_default();
            *mine = mine.saturating_add(*n);
        }
    }

    /// Moves into "at risk" minus moves out of it: how much the at-risk list grew in the
    /// window (negative: it shrank).
    ///
    /// ```
    /// use clientele::measure::HealthMeasures;
    ///
    /// let mut health = HealthMeasures::default();
    /// (health.entered_at_risk, health.left_at_risk) = (2, 5);
    /// assert_eq!(health.net_at_risk(), -3); // the at-risk list shrank
    /// ```
    #[must_use]
    pub fn net_at_risk(&self) -> i64 {
        let signed = |n: u64| i64::try_from(n).unwrap_or(i64::MAX);
        signed(self.entered_at_risk).saturating_sub(signed(self.left_at_risk))
    }

    /// Counts one health fact.
    pub(super) fn count(&mut self, what: &HealthFact) {
        let one = |n: &mut u64| *n = n.saturating_add(1);
        match what {
            HealthFact::Entered(reasons) => {
                one(&mut self.entered_at_risk);
                for signal in reasons {
                    one(self.reasons.entry(*signal).or_default());
                }
            }
            HealthFact::Left => one(&mut self.left_at_risk),
            HealthFact::GoneQuiet => one(&mut self.gone_quiet),
        }
    }
}

/// What one health event counts.
pub(super) enum HealthFact {
    Entered(Vec<Signal>),
    Left,
    GoneQuiet,
}

impl Memory {
    /// Reads a health event: counted for the account owner at the time.
    pub(super) fn read_health(&self, event: &HealthEvent) -> Option<Read> {
        let fact = match event {
            HealthEvent::AtRisk { reasons, .. } => HealthFact::Entered(reasons.clone()),
            HealthEvent::Recovered { .. } => HealthFact::Left,
            HealthEvent::GoneQuiet { .. } => HealthFact::GoneQuiet,
        };
        Some((Fact::Health(fact), self.account_owner, None))
    }
}
