//! Promise measures: ours and outside parties', and the parties' own commitments behind
//! them; and how a tally reads promise events.

use serde::{Deserialize, Serialize};

use crate::id::{AgentId, PartyId, PromiseId};
use crate::measure::stats::{OutcomeTally, ratio, secs};
use crate::measure::tally::{Fact, Memory, Read};
use crate::outcome::Outcome;
use crate::promise::{Fulfiller, Notice, PromiseEvent, RevisionTiming};
use crate::value::Span;

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
    ///
    /// ```
    /// use clientele::measure::PromiseCounts;
    ///
    /// let (mut a, mut b) = (PromiseCounts::default(), PromiseCounts::default());
    /// (a.made, b.made, b.breaks) = (3, 2, 1);
    /// a.merge(&b);
    /// assert_eq!((a.made, a.breaks), (5, 1));
    /// ```
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
    ///
    /// ```
    /// use clientele::measure::PromiseCounts;
    /// use clientele::outcome::Outcome;
    ///
    /// let mut promises = PromiseCounts::default();
    /// promises.kept.add(&Outcome::Met);
    /// assert_eq!(promises.kept_on_time(), 1);
    /// ```
    #[must_use]
    pub const fn kept_on_time(&self) -> u64 {
        self.kept.met
    }

    /// Promises kept late.
    ///
    /// ```
    /// use clientele::Span;
    /// use clientele::measure::PromiseCounts;
    /// use clientele::outcome::{Elapsed, Outcome};
    ///
    /// let mut promises = PromiseCounts::default();
    /// promises.kept.add(&Outcome::MetLate { lateness: Elapsed { wall: Span::days(1), business: Span::hours(8) } });
    /// assert_eq!((promises.kept_on_time(), promises.kept_late()), (0, 1));
    /// ```
    #[must_use]
    pub const fn kept_late(&self) -> u64 {
        self.kept.met_late
    }

    /// Promises settled: kept (on time or late) or withdrawn.
    ///
    /// ```
    /// use clientele::measure::PromiseCounts;
    /// use clientele::outcome::Outcome;
    ///
    /// let mut promises = PromiseCounts::default();
    /// promises.kept.add(&Outcome::Met);
    /// promises.withdrawn = 1;
    /// assert_eq!(promises.settled(), 2);
    /// ```
    #[must_use]
    pub const fn settled(&self) -> u64 {
        self.kept.total().saturating_add(self.withdrawn)
    }

    /// Of the due instants reached in the window (kept before it, or passed while open), the
    /// share kept on time: `kept on time / (kept on time + breaks)`, 0.0 to 1.0. A promise
    /// re-promised after its break and then kept on the new date counts once each way.
    /// `None` when nothing came due.
    ///
    /// ```
    /// use clientele::measure::PromiseCounts;
    /// use clientele::outcome::Outcome;
    ///
    /// let mut promises = PromiseCounts::default();
    /// assert_eq!(promises.on_time_rate(), None); // nothing came due
    /// for _ in 0..3 {
    ///     promises.kept.add(&Outcome::Met);
    /// }
    /// promises.breaks = 1;
    /// assert_eq!(promises.on_time_rate(), Some(0.75));
    /// ```
    #[must_use]
    pub fn on_time_rate(&self) -> Option<f64> {
        ratio(self.kept.met, self.kept.met.saturating_add(self.breaks))
    }

    /// Of the breaks, the share with nothing said to the customer; `None` without breaks.
    ///
    /// ```
    /// use clientele::measure::PromiseCounts;
    ///
    /// let mut promises = PromiseCounts::default();
    /// (promises.breaks, promises.broken_in_silence, promises.broken_with_notice) = (4, 3, 1);
    /// assert_eq!(promises.silent_break_share(), Some(0.75)); // most customers heard nothing
    /// ```
    #[must_use]
    pub fn silent_break_share(&self) -> Option<f64> {
        ratio(self.broken_in_silence, self.breaks)
    }

    /// Slips per settled promise; `None` when none was settled.
    ///
    /// ```
    /// use clientele::measure::PromiseCounts;
    /// use clientele::outcome::Outcome;
    ///
    /// let mut promises = PromiseCounts::default();
    /// promises.kept.add(&Outcome::Met);
    /// promises.withdrawn = 1;
    /// promises.settled_slips = 3;
    /// assert_eq!(promises.slips_per_promise(), Some(1.5));
    /// ```
    #[must_use]
    pub fn slips_per_promise(&self) -> Option<f64> {
        ratio(self.settled_slips, self.settled())
    }

    /// Mean cumulative slip per settled promise, in seconds; `None` when none was settled.
    ///
    /// ```
    /// use clientele::measure::PromiseCounts;
    /// use clientele::outcome::Outcome;
    ///
    /// let mut promises = PromiseCounts::default();
    /// assert_eq!(promises.mean_cumulative_slip_secs(), None);
    /// promises.kept.add(&Outcome::Met);
    /// promises.settled_cumulative_slip_secs = 7 * 86_400; // "another week"
    /// assert_eq!(promises.mean_cumulative_slip_secs(), Some(604_800.0));
    /// ```
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
    ///
    /// ```
    /// use clientele::measure::PromiseMeasures;
    ///
    /// let (mut a, mut b) = (PromiseMeasures::default(), PromiseMeasures::default());
    /// (a.ours.made, b.outside.made) = (2, 1);
    /// a.merge(&b);
    /// assert_eq!((a.ours.made, a.outside.made), (2, 1));
    /// ```
    pub fn merge(&mut self, other: &PromiseMeasures) {
        self.ours.merge(&other.ours);
        self.outside.merge(&other.outside);
    }

    /// Ours and outside parties' together.
    ///
    /// ```
    /// use clientele::measure::PromiseMeasures;
    ///
    /// let mut promises = PromiseMeasures::default();
    /// (promises.ours.made, promises.outside.made) = (2, 1);
    /// assert_eq!(promises.total().made, 3);
    /// ```
    #[must_use]
    pub fn total(&self) -> PromiseCounts {
        let mut total = self.ours.clone();
        total.merge(&self.outside);
        total
    }

    /// [`PromiseCounts::on_time_rate`] over all promises.
    ///
    /// ```
    /// use clientele::measure::PromiseMeasures;
    /// use clientele::outcome::Outcome;
    ///
    /// let mut promises = PromiseMeasures::default();
    /// promises.ours.kept.add(&Outcome::Met);
    /// promises.outside.breaks = 1; // the lab missed its date
    /// assert_eq!(promises.on_time_rate(), Some(0.5));
    /// ```
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
    ///
    /// ```
    /// use clientele::measure::DependencyMeasures;
    ///
    /// let (mut a, mut b) = (DependencyMeasures::default(), DependencyMeasures::default());
    /// (a.recorded, b.recorded, b.late) = (1, 2, 1);
    /// a.merge(&b);
    /// assert_eq!((a.recorded, a.late), (3, 1));
    /// ```
    pub fn merge(&mut self, other: &DependencyMeasures) {
        self.recorded = self.recorded.saturating_add(other.recorded);
        self.met.merge(&other.met);
        self.late = self.late.saturating_add(other.late);
    }
}

impl PromiseCounts {
    /// Counts one promise fact.
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

impl PromiseMeasures {
    /// Counts one promise fact: for outside parties' promises when `outside`, else for ours.
    pub(super) fn count(&mut self, outside: bool, what: &PromiseFact) {
        let counts = if outside {
            &mut self.outside
        } else {
            &mut self.ours
        };
        counts.count(what);
    }
}

impl DependencyMeasures {
    /// Counts one fact about an outside party's commitment.
    pub(super) fn count(&mut self, what: &DependencyFact) {
        match what {
            DependencyFact::Recorded => self.recorded = self.recorded.saturating_add(1),
            DependencyFact::Late => self.late = self.late.saturating_add(1),
            DependencyFact::Met(outcome) => self.met.add(outcome),
        }
    }
}

/// What a promise event adds to the promise figures.
pub(super) enum PromiseFact {
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

/// What an event about an outside party's commitment adds to the dependency figures.
pub(super) enum DependencyFact {
    Recorded,
    Late,
    Met(Outcome),
}

/// What a tally remembers of one promise.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct PromiseMemo {
    owner: AgentId,
    party: Option<PartyId>,
    slips: u32,
    cumulative: Span,
    broken_counted: bool,
}

impl Memory {
    /// The owner `PromiseMade` named for a promise, if it is known.
    pub(super) fn promise_owner(&self, id: &PromiseId) -> Option<AgentId> {
        self.promises.get(id).map(|p| p.owner)
    }
}

/// A promise fact, for ours or outside parties'.
const fn promise_fact(outside: bool, what: PromiseFact) -> Fact {
    Fact::Promise { outside, what }
}

impl Memory {
    /// Reads a promise event: remembers who owns the promise, who fulfils it and how it
    /// slipped, and returns what it counts and for whom. `counts` says whether the event falls
    /// in the window (a break is marked as counted only then).
    pub(super) fn read_promise(&mut self, event: &PromiseEvent, counts: bool) -> Option<Read> {
        match event {
            PromiseEvent::Made {
                promise,
                owner,
                fulfiller,
                ..
            } => Some(self.promise_made(*promise, *owner, fulfiller)),
            PromiseEvent::AtRisk { promise, owner, .. } => {
                let (outside, _, party) = self.promise_memo(promise);
                Some((
                    promise_fact(outside, PromiseFact::AtRisk),
                    Some(*owner),
                    party,
                ))
            }
            PromiseEvent::Broken {
                promise: id,
                owner,
                notice,
                ..
            } => Some(self.promise_broken(id, *owner, *notice, counts)),
            PromiseEvent::Revised {
                promise: id,
                timing,
                slips,
                cumulative_slip,
                ..
            } => {
                let (outside, owner, party) = self.promise_memo(id);
                if let Some(memo) = self.promises.get_mut(id) {
                    memo.slips = *slips;
                    memo.cumulative = *cumulative_slip;
                }
                Some((
                    promise_fact(outside, PromiseFact::Revised(*timing)),
                    owner,
                    party,
                ))
            }
            PromiseEvent::SlippedRepeatedly { promise, owner, .. } => {
                let (outside, _, party) = self.promise_memo(promise);
                Some((
                    promise_fact(outside, PromiseFact::SlippedRepeatedly),
                    Some(*owner),
                    party,
                ))
            }
            PromiseEvent::Kept {
                promise: id,
                owner,
                outcome,
                ..
            } => Some(self.settled(id, *owner, Some(*outcome))),
            PromiseEvent::Withdrawn {
                promise: id, owner, ..
            } => Some(self.settled(id, *owner, None)),
            PromiseEvent::DependencyRecorded { promise, party, .. } => {
                let (_, owner, _) = self.promise_memo(promise);
                let fact = Fact::Dependency(DependencyFact::Recorded);
                Some((fact, owner, Some(*party)))
            }
            PromiseEvent::DependencyLate { party, owner, .. } => {
                let fact = Fact::Dependency(DependencyFact::Late);
                Some((fact, Some(*owner), Some(*party)))
            }
            PromiseEvent::DependencyMet {
                promise,
                party,
                outcome,
            } => {
                let (_, owner, _) = self.promise_memo(promise);
                let fact = Fact::Dependency(DependencyFact::Met(*outcome));
                Some((fact, owner, Some(*party)))
            }
        }
    }

    /// What is remembered of a promise: whether an outside party fulfils it, its owner, the
    /// party.
    fn promise_memo(&self, id: &PromiseId) -> (bool, Option<AgentId>, Option<PartyId>) {
        let memo = self.promises.get(id);
        (
            memo.is_some_and(|m| m.party.is_some()),
            memo.map(|m| m.owner),
            memo.and_then(|m| m.party),
        )
    }

    /// A promise made: remembers its owner and party, counts it.
    fn promise_made(&mut self, promise: PromiseId, owner: AgentId, fulfiller: &Fulfiller) -> Read {
        let party = match fulfiller {
            Fulfiller::Us => None,
            Fulfiller::Party { party, .. } => Some(*party),
        };
        self.promises.insert(
            promise,
            PromiseMemo {
                owner,
                party,
                slips: 0,
                cumulative: Span::ZERO,
                broken_counted: false,
            },
        );
        (
            promise_fact(party.is_some(), PromiseFact::Made),
            Some(owner),
            party,
        )
    }

    /// A promise broken: counts the break, and the promise as broken the first time one of
    /// its breaks falls in the window.
    fn promise_broken(
        &mut self,
        id: &PromiseId,
        owner: AgentId,
        notice: Notice,
        counts: bool,
    ) -> Read {
        let (outside, _, party) = self.promise_memo(id);
        let memo = self.promises.get_mut(id);
        let first = counts && memo.as_ref().is_some_and(|m| !m.broken_counted);
        if let Some(memo) = memo.filter(|_| counts) {
            memo.broken_counted = true;
        }
        let what = PromiseFact::Broken { notice, first };
        (promise_fact(outside, what), Some(owner), party)
    }

    /// A promise kept (`kept: Some`) or withdrawn: counts it with the slips it had.
    fn settled(&self, id: &PromiseId, owner: AgentId, kept: Option<Outcome>) -> Read {
        let memo = self.promises.get(id);
        let party = memo.and_then(|m| m.party);
        let what = PromiseFact::Settled {
            kept,
            slips: memo.map_or(0, |m| m.slips),
            cumulative: memo.map_or(Span::ZERO, |m| m.cumulative),
        };
        (promise_fact(party.is_some(), what), Some(owner), party)
    }
}
