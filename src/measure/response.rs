//! Response measures: how long customers waited for an answer; and how a tally reads
//! response events.

use serde::{Deserialize, Serialize};

use crate::flag::Regarding;
use crate::id::AgentId;
use crate::measure::stats::{Durations, OutcomeTally};
use crate::measure::tally::{Fact, Memory, Read};
use crate::outcome::{Elapsed, Outcome};
use crate::response::{ClockKind, ResponseEvent};

/// Response times of one kind of clock (first response, or reply).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct ResponseTimes {
    /// How long customers waited, in business time on the clock's calendar.
    pub business: Durations,
    /// How long customers waited, wall-clock.
    pub wall: Durations,
    /// Answers within target (met) and after it (met late, with the lateness); apart, the
    /// answers to clocks that had no target (`untimed`).
    pub outcomes: OutcomeTally,
    /// Deadlines that passed unanswered (`ResponseOverdue`), answered later or not yet.
    pub overdue: u64,
}

impl ResponseTimes {
    /// Adds `other`'s figures to these.
    ///
    /// ```
    /// use clientele::Span;
    /// use clientele::measure::ResponseTimes;
    ///
    /// let (mut a, mut b) = (ResponseTimes::default(), ResponseTimes::default());
    /// a.wall.add(Span::minutes(5));
    /// b.wall.add(Span::minutes(50));
    /// b.overdue = 1;
    /// a.merge(&b);
    /// assert_eq!((a.wall.count(), a.overdue), (2, 1));
    /// ```
    pub fn merge(&mut self, other: &ResponseTimes) {
        self.business.merge(&other.business);
        self.wall.merge(&other.wall);
        self.outcomes.merge(&other.outcomes);
        self.overdue = self.overdue.saturating_add(other.overdue);
    }

    /// Answers given, to clocks with a target or without.
    ///
    /// ```
    /// use clientele::measure::ResponseTimes;
    /// use clientele::outcome::Outcome;
    ///
    /// let mut replies = ResponseTimes::default();
    /// replies.outcomes.add(&Outcome::Met);
    /// replies.outcomes.add(&Outcome::Untimed); // a clock with no target, answered too
    /// assert_eq!(replies.answered(), 2);
    /// ```
    #[must_use]
    pub const fn answered(&self) -> u64 {
        self.outcomes.total().saturating_add(self.outcomes.untimed)
    }

    /// The share of answers within target, of the answers to clocks that had one; `None`
    /// with no such answer.
    ///
    /// ```
    /// use clientele::measure::ResponseTimes;
    /// use clientele::outcome::Outcome;
    ///
    /// let mut replies = ResponseTimes::default();
    /// replies.outcomes.add(&Outcome::Met);
    /// replies.outcomes.add(&Outcome::Untimed); // counts in no share
    /// assert_eq!(replies.within_target(), Some(1.0));
    /// ```
    #[must_use]
    pub fn within_target(&self) -> Option<f64> {
        self.outcomes.on_time_share()
    }
}

/// The update cadence ("keep the customer informed"): how often the customer went too long
/// without hearing from us about an open complaint or an outstanding promise. Counted for the
/// owner the flags name: the complaint's owner (else the account owner), the promise's owner.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct UpdateCounts {
    /// Warnings reached (`update_at_risk`).
    pub at_risk: u64,
    /// Updates that fell overdue (`update_overdue`), about complaints.
    pub overdue_complaints: u64,
    /// Updates that fell overdue (`update_overdue`), about promises.
    pub overdue_promises: u64,
}

impl UpdateCounts {
    /// Adds `other`'s figures to these.
    ///
    /// ```
    /// use clientele::measure::UpdateCounts;
    ///
    /// let (mut a, mut b) = (UpdateCounts::default(), UpdateCounts::default());
    /// (a.at_risk, b.at_risk, b.overdue_promises) = (1, 1, 1);
    /// a.merge(&b);
    /// assert_eq!((a.at_risk, a.overdue()), (2, 1));
    /// ```
    pub fn merge(&mut self, other: &UpdateCounts) {
        self.at_risk = self.at_risk.saturating_add(other.at_risk);
        self.overdue_complaints = self
            .overdue_complaints
            .saturating_add(other.overdue_complaints);
        self.overdue_promises = self.overdue_promises.saturating_add(other.overdue_promises);
    }

    /// Updates that fell overdue, about complaints and promises.
    ///
    /// ```
    /// use clientele::measure::UpdateCounts;
    ///
    /// let mut updates = UpdateCounts::default();
    /// (updates.overdue_complaints, updates.overdue_promises) = (2, 1);
    /// assert_eq!(updates.overdue(), 3);
    /// ```
    #[must_use]
    pub const fn overdue(&self) -> u64 {
        self.overdue_complaints
            .saturating_add(self.overdue_promises)
    }
}

/// Responsiveness: how long customers waited for us, and whether they heard from us in time.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct ResponseMeasures {
    /// The first answer a customer ever got.
    pub first_response: ResponseTimes,
    /// Answers after the first.
    pub reply: ResponseTimes,
    /// The update cadence's warnings and overdue updates (absent from older JSON: zero).
    pub updates: UpdateCounts,
}

impl ResponseMeasures {
    /// Adds `other`'s figures to these.
    ///
    /// ```
    /// use clientele::measure::ResponseMeasures;
    ///
    /// let (mut a, mut b) = (ResponseMeasures::default(), ResponseMeasures::default());
    /// a.first_response.overdue = 1;
    /// b.reply.overdue = 2;
    /// a.merge(&b);
    /// assert_eq!((a.first_response.overdue, a.reply.overdue), (1, 2));
    /// ```
    pub fn merge(&mut self, other: &ResponseMeasures) {
        self.first_response.merge(&other.first_response);
        self.reply.merge(&other.reply);
        self.updates.merge(&other.updates);
    }

    /// First responses and replies together.
    ///
    /// ```
    /// use clientele::Span;
    /// use clientele::measure::ResponseMeasures;
    ///
    /// let mut responses = ResponseMeasures::default();
    /// responses.first_response.wall.add(Span::hours(2));
    /// responses.reply.wall.add(Span::minutes(30));
    /// assert_eq!(responses.all().wall.count(), 2);
    /// ```
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

impl ResponseMeasures {
    /// Counts one response fact.
    pub(super) fn count(&mut self, what: &ResponseFact) {
        match what {
            ResponseFact::Answered {
                kind,
                waited,
                outcome,
            } => {
                let times = self.of(*kind);
                times.business.add(waited.business);
                times.wall.add(waited.wall);
                times.outcomes.add(outcome);
            }
            ResponseFact::Overdue(kind) => {
                let times = self.of(*kind);
                times.overdue = times.overdue.saturating_add(1);
            }
            ResponseFact::UpdateAtRisk => {
                self.updates.at_risk = self.updates.at_risk.saturating_add(1);
            }
            ResponseFact::UpdateOverdue(Regarding::Complaint(_)) => {
                let count = &mut self.updates.overdue_complaints;
                *count = count.saturating_add(1);
            }
            ResponseFact::UpdateOverdue(Regarding::Promise(_)) => {
                let count = &mut self.updates.overdue_promises;
                *count = count.saturating_add(1);
            }
        }
    }
}

/// What a response event adds to the response figures.
pub(super) enum ResponseFact {
    Answered {
        kind: ClockKind,
        waited: Elapsed,
        outcome: Outcome,
    },
    Overdue(ClockKind),
    UpdateAtRisk,
    UpdateOverdue(Regarding),
}

impl Memory {
    /// Who an update about `about` is owed by, as the flags say: the complaint's owner (else
    /// the account owner), the promise's owner.
    fn item_owner(&self, about: Regarding) -> Option<AgentId> {
        match about {
            Regarding::Complaint(id) => self.complaint_owner(&id),
            Regarding::Promise(id) => self.promise_owner(&id),
        }
    }

    /// Reads a response event: remembers which clock runs, and returns what it counts and for
    /// whom (the account owner, who receives the response flags).
    pub(super) fn read_response(&mut self, event: &ResponseEvent) -> Option<Read> {
        match event {
            ResponseEvent::InteractionRecorded { .. }
            | ResponseEvent::AtRisk { .. }
            | ResponseEvent::AwaitingCustomer { .. }
            | ResponseEvent::UpdateClockStarted { .. } => None,
            ResponseEvent::UpdateAtRisk { about, .. } => {
                let fact = Fact::Response(ResponseFact::UpdateAtRisk);
                Some((fact, self.item_owner(*about), None))
            }
            ResponseEvent::UpdateOverdue { about, .. } => {
                let fact = Fact::Response(ResponseFact::UpdateOverdue(*about));
                Some((fact, self.item_owner(*about), None))
            }
            ResponseEvent::ClockStarted { kind, since, .. } => {
                self.waiting.insert(*since, *kind);
                None
            }
            ResponseEvent::Overdue { since, .. } => self.waiting.get(since).map(|kind| {
                let fact = Fact::Response(ResponseFact::Overdue(*kind));
                (fact, self.account_owner, None)
            }),
            ResponseEvent::ClockStopped {
                kind,
                since,
                waited,
                outcome,
                ..
            } => {
                self.waiting.remove(since);
                let fact = Fact::Response(ResponseFact::Answered {
                    kind: *kind,
                    waited: *waited,
                    outcome: *outcome,
                });
                Some((fact, self.account_owner, None))
            }
        }
    }
}
