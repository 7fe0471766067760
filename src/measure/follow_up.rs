//! Follow-up measures; and how a tally reads follow-up events.

use serde::{Deserialize, Serialize};

use crate::follow_up::{FollowUpEvent, FollowUpOutcome};
use crate::measure::stats::{OutcomeTally, ratio};
use crate::measure::tally::{Fact, Memory, Read};
use crate::outcome::Outcome;

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
    ///
    /// ```
    /// use clientele::measure::FollowUpMeasures;
    ///
    /// let (mut a, mut b) = (FollowUpMeasures::default(), FollowUpMeasures::default());
    /// (a.scheduled, b.scheduled, b.overdue) = (2, 3, 1);
    /// a.merge(&b);
    /// assert_eq!((a.scheduled, a.overdue), (5, 1));
    /// ```
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
    ///
    /// ```
    /// use clientele::measure::FollowUpMeasures;
    /// use clientele::outcome::Outcome;
    ///
    /// let mut follow_ups = FollowUpMeasures::default();
    /// follow_ups.done.add(&Outcome::Met);
    /// follow_ups.overdue = 2;
    /// assert_eq!(follow_ups.came_due(), 3);
    /// ```
    #[must_use]
    pub const fn came_due(&self) -> u64 {
        self.done.met.saturating_add(self.overdue)
    }

    /// Of those that came due, the share done on time; `None` when none came due.
    ///
    /// ```
    /// use clientele::measure::FollowUpMeasures;
    /// use clientele::outcome::Outcome;
    ///
    /// let mut follow_ups = FollowUpMeasures::default();
    /// assert_eq!(follow_ups.on_time_rate(), None);
    /// follow_ups.done.add(&Outcome::Met);
    /// follow_ups.overdue = 1;
    /// assert_eq!(follow_ups.on_time_rate(), Some(0.5));
    /// ```
    #[must_use]
    pub fn on_time_rate(&self) -> Option<f64> {
        ratio(self.done.met, self.came_due())
    }
}

impl FollowUpMeasures {
    /// Counts one follow-up fact.
    pub(super) fn count(&mut self, what: &FollowUpFact) {
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

/// What a follow-up event adds to the follow-up figures.
pub(super) enum FollowUpFact {
    Scheduled,
    Overdue,
    Cancelled,
    Completed {
        outcome: FollowUpOutcome,
        timing: Outcome,
    },
}

impl Memory {
    /// Reads a follow-up event: remembers who owns the follow-up, and returns what it counts
    /// and for whom (the owner `FollowUpScheduled` named).
    pub(super) fn read_follow_up(&mut self, event: &FollowUpEvent) -> Option<Read> {
        match event {
            FollowUpEvent::Scheduled {
                follow_up, owner, ..
            } => {
                self.follow_ups.insert(*follow_up, *owner);
                Some((Fact::FollowUp(FollowUpFact::Scheduled), Some(*owner), None))
            }
            FollowUpEvent::Overdue { owner, .. } => {
                Some((Fact::FollowUp(FollowUpFact::Overdue), Some(*owner), None))
            }
            FollowUpEvent::Completed {
                follow_up,
                outcome,
                timing,
                ..
            } => {
                let fact = Fact::FollowUp(FollowUpFact::Completed {
                    outcome: *outcome,
                    timing: *timing,
                });
                Some((fact, self.follow_ups.get(follow_up).copied(), None))
            }
            FollowUpEvent::Cancelled { follow_up, .. } => Some((
                Fact::FollowUp(FollowUpFact::Cancelled),
                self.follow_ups.get(follow_up).copied(),
                None,
            )),
        }
    }
}
