//! Complaint measures: clocks, escalations, resolutions, reopenings; and how a tally reads
//! complaint events.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::complaint::{ComplaintClockKind, ComplaintEvent, Unresolved};
use crate::id::{AgentId, ComplaintId, PartyId};
use crate::measure::stats::{Durations, OutcomeTally, ratio};
use crate::measure::tally::{Fact, Memory, Read};
use crate::outcome::Outcome;
use crate::value::Span;

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
    /// Business time the acknowledgement target counted (`complaint_acknowledged`'s
    /// `worked`; events of schema 1 and 2 and clocks with no target say nothing).
    pub business_time_to_acknowledge: Durations,
    /// Business time the resolution target counted, net of the waits on the customer that
    /// paused it (`complaint_resolved`'s `worked`): 2 h and 3 h of work around 72 h of
    /// waiting read 5 h here and 77 h in `time_to_resolve`.
    pub business_time_to_resolve: Durations,
    /// Acknowledgement deadlines that passed unacknowledged.
    pub acknowledgement_breached: u64,
    /// Resolution deadlines that passed unresolved.
    pub resolution_breached: u64,
    /// Escalations due (`EscalationDue`).
    pub escalations_due: u64,
    /// Escalations done, by the support level escalated to.
    pub escalations: BTreeMap<u32, u64>,
    /// De-escalations done, by the support level moved back down to.
    pub deescalations: BTreeMap<u32, u64>,
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
    /// Complaints closed without a resolution as duplicates of another (not resolutions).
    pub closed_as_duplicate: u64,
    /// Complaints closed without a resolution as invalid (not resolutions).
    pub closed_as_invalid: u64,
    /// Complaints withdrawn by the customer (not resolutions).
    pub withdrawn: u64,
    /// Re-prioritisations (changes of an open complaint's priority or tier).
    pub reprioritised: u64,
    /// Waits on outside parties, by party (issue 14 item 5): how long we waited on each, and
    /// how often its expected date slipped.
    pub parties: BTreeMap<PartyId, PartyWaits>,
}

/// What waiting on one outside party about complaints came to.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct PartyWaits {
    /// Waits begun (`complaint_awaiting_party` for a complaint not yet waiting on it).
    pub waits: u64,
    /// Wall-clock time each ended wait lasted (`complaint_party_wait_ended`), whatever the
    /// policy said about pausing our targets.
    pub waited: Durations,
    /// New expected dates the party gave while we waited.
    pub redated: u64,
    /// Expected dates the party did not keep: passed while we waited
    /// (`complaint_party_late`), or moved later before they passed.
    pub slipped: u64,
}

impl PartyWaits {
    /// Adds `other`'s figures to these.
    pub fn merge(&mut self, other: &PartyWaits) {
        self.waits = self.waits.saturating_add(other.waits);
        self.waited.merge(&other.waited);
        self.redated = self.redated.saturating_add(other.redated);
        self.slipped = self.slipped.saturating_add(other.slipped);
    }
}

impl ComplaintMeasures {
    /// Adds `other`'s figures to these.
    ///
    /// ```
    /// use clientele::measure::ComplaintMeasures;
    ///
    /// let (mut north, mut south) = (ComplaintMeasures::default(), ComplaintMeasures::default());
    /// north.escalations.insert(1, 2);
    /// south.escalations.insert(1, 1);
    /// south.received = 4;
    /// north.merge(&south);
    /// assert_eq!((north.received, north.escalations.get(&1)), (4, Some(&3)));
    /// ```
    pub fn merge(&mut self, other: &ComplaintMeasures) {
        self.received = self.received.saturating_add(other.received);
        self.acknowledgement.merge(&other.acknowledgement);
        self.resolution.merge(&other.resolution);
        self.time_to_acknowledge.merge(&other.time_to_acknowledge);
        self.time_to_resolve.merge(&other.time_to_resolve);
        self.business_time_to_acknowledge
            .merge(&other.business_time_to_acknowledge);
        self.business_time_to_resolve
            .merge(&other.business_time_to_resolve);
        self.acknowledgement_breached = self
            .acknowledgement_breached
            .saturating_add(other.acknowledgement_breached);
        self.resolution_breached = self
            .resolution_breached
            .saturating_add(other.resolution_breached);
        self.escalations_due = self.escalations_due.saturating_add(other.escalations_due);
        for (mine, theirs) in [
            (&mut self.escalations, &other.escalations),
            (&mut self.deescalations, &other.deescalations),
        ] {
            for (level, count) in theirs {
                let n = mine.entry(*level).or_insert(0);
                *n = n.saturating_add(*count);
            }
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
        self.closed_as_duplicate = self
            .closed_as_duplicate
            .saturating_add(other.closed_as_duplicate);
        self.closed_as_invalid = self
            .closed_as_invalid
            .saturating_add(other.closed_as_invalid);
        self.withdrawn = self.withdrawn.saturating_add(other.withdrawn);
        self.reprioritised = self.reprioritised.saturating_add(other.reprioritised);
        for (party, waits) in &other.parties {
            self.parties.entry(*party).or_default().merge(waits);
        }
    }

    /// All escalations done.
    ///
    /// ```
    /// use clientele::measure::ComplaintMeasures;
    ///
    /// let mut complaints = ComplaintMeasures::default();
    /// complaints.escalations.insert(1, 3); // to the specialists
    /// complaints.escalations.insert(2, 1); // to management
    /// assert_eq!(complaints.escalated(), 4);
    /// ```
    #[must_use]
    pub fn escalated(&self) -> u64 {
        self.escalations
            .values()
            .fold(0, |a, n| a.saturating_add(*n))
    }

    /// Reopenings per resolution; `None` without resolutions.
    ///
    /// ```
    /// use clientele::measure::ComplaintMeasures;
    ///
    /// let mut complaints = ComplaintMeasures::default();
    /// assert_eq!(complaints.reopen_rate(), None);
    /// (complaints.resolved, complaints.reopened) = (10, 1);
    /// assert_eq!(complaints.reopen_rate(), Some(0.1));
    /// ```
    #[must_use]
    pub fn reopen_rate(&self) -> Option<f64> {
        ratio(self.reopened, self.resolved)
    }

    /// The share of resolutions with an apology; `None` without resolutions.
    ///
    /// ```
    /// use clientele::measure::ComplaintMeasures;
    ///
    /// let mut complaints = ComplaintMeasures::default();
    /// (complaints.resolved, complaints.resolved_with_apology) = (4, 3);
    /// assert_eq!(complaints.apology_share(), Some(0.75));
    /// ```
    #[must_use]
    pub fn apology_share(&self) -> Option<f64> {
        ratio(self.resolved_with_apology, self.resolved)
    }

    /// The share of resolutions with a remedy; `None` without resolutions.
    ///
    /// ```
    /// use clientele::measure::ComplaintMeasures;
    ///
    /// let mut complaints = ComplaintMeasures::default();
    /// (complaints.resolved, complaints.resolved_with_remedy) = (4, 1);
    /// assert_eq!(complaints.remedy_share(), Some(0.25));
    /// ```
    #[must_use]
    pub fn remedy_share(&self) -> Option<f64> {
        ratio(self.resolved_with_remedy, self.resolved)
    }
}

impl ComplaintMeasures {
    /// Counts one complaint fact.
    pub(super) fn count(&mut self, what: &ComplaintFact) {
        let one = |n: &mut u64| *n = n.saturating_add(1);
        match what {
            ComplaintFact::Received => one(&mut self.received),
            ComplaintFact::Acknowledged {
                outcome,
                after,
                worked,
            } => {
                self.acknowledgement.add(outcome);
                if let Some(after) = after {
                    self.time_to_acknowledge.add(*after);
                }
                if let Some(worked) = worked {
                    self.business_time_to_acknowledge.add(*worked);
                }
            }
            ComplaintFact::Breached(clock) => match clock {
                ComplaintClockKind::Acknowledgement => one(&mut self.acknowledgement_breached),
                ComplaintClockKind::Resolution => one(&mut self.resolution_breached),
                ComplaintClockKind::Escalation => {}
            },
            ComplaintFact::EscalationDue => one(&mut self.escalations_due),
            ComplaintFact::Escalated(level) => one(self.escalations.entry(*level).or_insert(0)),
            ComplaintFact::Deescalated(level) => {
                one(self.deescalations.entry(*level).or_insert(0));
            }
            ComplaintFact::Resolved {
                outcome,
                acknowledgement,
                after,
                apology,
                remedy,
                worked,
            } => {
                one(&mut self.resolved);
                if let Some(worked) = worked {
                    self.business_time_to_resolve.add(*worked);
                }
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
            ComplaintFact::ClosedUnresolved(Unresolved::Duplicate { .. }) => {
                one(&mut self.closed_as_duplicate);
            }
            ComplaintFact::ClosedUnresolved(Unresolved::Invalid) => {
                one(&mut self.closed_as_invalid);
            }
            ComplaintFact::ClosedUnresolved(Unresolved::Withdrawn) => one(&mut self.withdrawn),
            ComplaintFact::Reprioritised => one(&mut self.reprioritised),
            ComplaintFact::Party(party, what) => {
                let waits = self.parties.entry(*party).or_default();
                match what {
                    PartyFact::Awaited => one(&mut waits.waits),
                    PartyFact::Redated { slipped } => {
                        one(&mut waits.redated);
                        if *slipped {
                            one(&mut waits.slipped);
                        }
                    }
                    PartyFact::Late => one(&mut waits.slipped),
                    PartyFact::Ended(waited) => waits.waited.add(*waited),
                }
            }
        }
    }
}

/// What a complaint event adds to the complaint figures.
pub(super) enum ComplaintFact {
    Received,
    Acknowledged {
        outcome: Outcome,
        after: Option<Span>,
        worked: Option<Span>,
    },
    Breached(ComplaintClockKind),
    EscalationDue,
    Escalated(u32),
    Deescalated(u32),
    Resolved {
        outcome: Outcome,
        acknowledgement: Option<Outcome>,
        after: Option<Span>,
        apology: bool,
        remedy: bool,
        worked: Option<Span>,
    },
    Reopened,
    Closed,
    ClosedUnresolved(Unresolved),
    Reprioritised,
    Party(PartyId, PartyFact),
}

/// What an event about a wait on an outside party adds to the party's figures.
pub(super) enum PartyFact {
    Awaited,
    Redated { slipped: bool },
    Late,
    Ended(Span),
}

/// What a resolution adds, `after` the wall-clock time from receipt or the latest reopening.
fn resolved_fact(event: &ComplaintEvent, after: Option<Span>) -> Option<ComplaintFact> {
    let ComplaintEvent::Resolved {
        remedy,
        apology,
        outcome,
        acknowledgement,
        worked,
        ..
    } = event
    else {
        return None;
    };
    Some(ComplaintFact::Resolved {
        outcome: *outcome,
        acknowledgement: *acknowledgement,
        after,
        apology: *apology,
        remedy: remedy.is_some(),
        worked: *worked,
    })
}

/// What a tally remembers of one complaint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct ComplaintMemo {
    owner: Option<AgentId>,
    received: DateTime<Utc>,
    cycle_started: DateTime<Utc>,
    /// The outside party it waits on, if it does.
    party: Option<PartyId>,
}

/// The time from `from` to `to`; `None` if `to` is earlier.
fn since(from: DateTime<Utc>, to: DateTime<Utc>) -> Option<Span> {
    to.signed_duration_since(from).try_into().ok()
}

impl Memory {
    /// Who a complaint's figures go to: the owner from the latest `ComplaintAssigned` or
    /// `ComplaintEscalated`, else the account owner.
    pub(super) fn complaint_owner(&self, id: &ComplaintId) -> Option<AgentId> {
        self.complaints
            .get(id)
            .and_then(|c| c.owner)
            .or(self.account_owner)
    }

    /// Reads a complaint event dated `at`: remembers when the complaint came in (or was last
    /// reopened) and who owns it, and returns what it counts and for whom.
    pub(super) fn read_complaint(
        &mut self,
        event: &ComplaintEvent,
        at: DateTime<Utc>,
    ) -> Option<Read> {
        match event {
            ComplaintEvent::Received { complaint, .. } => {
                Some(self.complaint_received(*complaint, at))
            }
            ComplaintEvent::Acknowledged {
                complaint,
                outcome,
                worked,
                ..
            } => {
                let what = ComplaintFact::Acknowledged {
                    outcome: *outcome,
                    after: self.complaint_age(complaint, at, false),
                    worked: *worked,
                };
                Some(self.complaint_fact(complaint, what))
            }
            ComplaintEvent::Assigned { complaint, owner } => {
                self.assign_complaint(complaint, *owner);
                None
            }
            // Measures count by agent; a team's queue is not a measure yet.
            ComplaintEvent::ClockAtRisk { .. }
            | ComplaintEvent::Routed { .. }
            | ComplaintEvent::AwaitingCustomer { .. }
            | ComplaintEvent::Resumed { .. } => None,
            ComplaintEvent::ClockBreached {
                complaint,
                clock,
                owner,
                ..
            } => {
                let owner = owner.or_else(|| self.complaint_owner(complaint));
                let fact = Fact::Complaint(ComplaintFact::Breached(*clock));
                Some((fact, owner, None))
            }
            ComplaintEvent::EscalationDue {
                complaint, owner, ..
            } => {
                let owner = owner.or_else(|| self.complaint_owner(complaint));
                Some((Fact::Complaint(ComplaintFact::EscalationDue), owner, None))
            }
            ComplaintEvent::Escalated {
                complaint,
                to_level,
                owner,
                ..
            }
            | ComplaintEvent::Deescalated {
                complaint,
                to_level,
                owner,
                ..
            } => {
                self.assign_complaint(complaint, *owner);
                let what = if matches!(event, ComplaintEvent::Escalated { .. }) {
                    ComplaintFact::Escalated(*to_level)
                } else {
                    ComplaintFact::Deescalated(*to_level)
                };
                Some((Fact::Complaint(what), Some(*owner), None))
            }
            ComplaintEvent::Resolved { complaint, .. } => Some(self.complaint_fact(
                complaint,
                resolved_fact(event, self.complaint_age(complaint, at, true))?,
            )),
            ComplaintEvent::Closed { complaint } => {
                Some(self.complaint_fact(complaint, ComplaintFact::Closed))
            }
            ComplaintEvent::AwaitingParty { .. }
            | ComplaintEvent::PartyLate { .. }
            | ComplaintEvent::PartyWaitEnded { .. } => self.read_party(event),
            ComplaintEvent::Reprioritised { complaint, .. } => {
                Some(self.complaint_fact(complaint, ComplaintFact::Reprioritised))
            }
            ComplaintEvent::ClosedUnresolved { complaint, reason } => {
                Some(self.complaint_fact(complaint, ComplaintFact::ClosedUnresolved(*reason)))
            }
            ComplaintEvent::Reopened { complaint, .. } => {
                if let Some(memo) = self.complaints.get_mut(complaint) {
                    memo.cycle_started = at;
                }
                Some(self.complaint_fact(complaint, ComplaintFact::Reopened))
            }
        }
    }

    /// Reads an event about a complaint's wait on an outside party: counted for the party,
    /// and for the complaint's owner.
    fn read_party(&mut self, event: &ComplaintEvent) -> Option<Read> {
        match event {
            ComplaintEvent::AwaitingParty {
                complaint,
                party,
                slipped,
                ..
            } => {
                let memo = self.complaints.get_mut(complaint);
                let what = match memo {
                    Some(memo) if memo.party == Some(*party) => {
                        PartyFact::Redated { slipped: *slipped }
                    }
                    Some(memo) => {
                        memo.party = Some(*party);
                        PartyFact::Awaited
                    }
                    None => PartyFact::Awaited,
                };
                let fact = Fact::Complaint(ComplaintFact::Party(*party, what));
                Some((fact, self.complaint_owner(complaint), Some(*party)))
            }
            ComplaintEvent::PartyLate {
                complaint,
                party,
                owner,
                ..
            } => {
                let owner = owner.or_else(|| self.complaint_owner(complaint));
                let fact = Fact::Complaint(ComplaintFact::Party(*party, PartyFact::Late));
                Some((fact, owner, Some(*party)))
            }
            ComplaintEvent::PartyWaitEnded {
                complaint,
                party,
                waited,
                ..
            } => {
                if let Some(memo) = self.complaints.get_mut(complaint) {
                    memo.party = None;
                }
                let fact = Fact::Complaint(ComplaintFact::Party(*party, PartyFact::Ended(*waited)));
                Some((fact, self.complaint_owner(complaint), Some(*party)))
            }
            _ => None,
        }
    }

    /// A complaint received at `at`: remembers when, counts it for the account owner (nobody
    /// is assigned yet).
    fn complaint_received(&mut self, complaint: ComplaintId, at: DateTime<Utc>) -> Read {
        self.complaints.insert(
            complaint,
            ComplaintMemo {
                owner: None,
                received: at,
                cycle_started: at,
                party: None,
            },
        );
        let fact = Fact::Complaint(ComplaintFact::Received);
        (fact, self.account_owner, None)
    }

    /// Wall-clock time from a complaint's receipt (or, `in_cycle`, from its latest reopening)
    /// to `at`.
    fn complaint_age(&self, id: &ComplaintId, at: DateTime<Utc>, in_cycle: bool) -> Option<Span> {
        let memo = self.complaints.get(id)?;
        since(
            if in_cycle {
                memo.cycle_started
            } else {
                memo.received
            },
            at,
        )
    }

    /// A complaint fact, for the complaint's owner (see [`Memory::complaint_owner`]).
    fn complaint_fact(&self, id: &ComplaintId, what: ComplaintFact) -> Read {
        (Fact::Complaint(what), self.complaint_owner(id), None)
    }

    /// Remembers `owner` as the owner of a complaint (assigned, or escalated to them).
    fn assign_complaint(&mut self, id: &ComplaintId, owner: AgentId) {
        if let Some(memo) = self.complaints.get_mut(id) {
            memo.owner = Some(owner);
        }
    }
}
