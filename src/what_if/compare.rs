//! Two runs of the same history side by side: targets met, late, missed and breached per
//! kind, priority, tier, owner and team; lateness; promise keeping (the [`Measures`]); health
//! bands; and the customers whose band or outcomes differ, with the events that differ.
//!
//! It streams: each customer is decided under both policies, read, compared and let go, so
//! no whole log is kept on either side. Comparisons of disjoint sets of customers merge
//! (shards), and the merged one equals the comparison of their union.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};

use super::history::{Book, History};
use super::rerun::{self, Refusal};
use super::trail::TargetKind;
use crate::complaint::{ComplaintClockKind, ComplaintEvent};
use crate::customer::CustomerEvent;
use crate::error::PolicyError;
use crate::event::{Envelope, Event};
use crate::follow_up::FollowUpEvent;
use crate::health::Band;
use crate::id::{AgentId, ComplaintId, CustomerId, FollowUpId, InteractionId, TeamId};
use crate::measure::{Durations, Measures, OutcomeTally, Tally, Window};
use crate::outcome::Outcome;
use crate::policy::ServicePolicy;
use crate::promise::PromiseEvent;
use crate::response::{ClockKind, ResponseEvent};
use crate::value::{Priority, Tier};

/// A slice of the book a target's figures are counted in.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum Slice {
    /// Every one.
    All,
    /// Those of this priority (response clocks and complaints).
    Priority(Priority),
    /// Those of customers (complaints: complaints) of this tier.
    Tier(Tier),
    /// Those this agent owns: the complaint's or follow-up's owner, the promise's, else the
    /// account owner at the time.
    Owner(AgentId),
    /// Complaints in this team's queue.
    Team(TeamId),
}

/// How targets of one kind in one slice ended.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct TargetFigures {
    /// Met, met late and missed, with their lateness (and the untimed apart).
    pub outcomes: OutcomeTally,
    /// Deadlines that passed with the target not met (overdue, breached, broken), including
    /// those still open at the end.
    pub breached: u64,
}

impl TargetFigures {
    fn merge(&mut self, other: &TargetFigures) {
        self.outcomes.merge(&other.outcomes);
        self.breached = self.breached.saturating_add(other.breached);
    }
}

/// One run's figures over the customers read: integers only, so merging shards is exact.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Figures {
    /// Customers read.
    pub customers: u64,
    /// Events the run recorded.
    pub events: u64,
    /// Facts the policy refused.
    pub refused: u64,
    /// Targets by kind and slice.
    pub targets: BTreeMap<(TargetKind, Slice), TargetFigures>,
    /// The lateness (wall clock) of every target met late or missed, by kind: exact, so its
    /// percentiles are ([`Durations::percentile`]).
    pub lateness: BTreeMap<TargetKind, Durations>,
    /// The book's measures (promise keeping among them) over all time.
    pub measures: Measures,
    /// Customers by health band at the end.
    pub bands: BTreeMap<Band, u64>,
}

impl Figures {
    /// Adds `other`'s figures to these (another shard's customers).
    pub fn merge(&mut self, other: &Figures) {
        self.customers = self.customers.saturating_add(other.customers);
        self.events = self.events.saturating_add(other.events);
        self.refused = self.refused.saturating_add(other.refused);
        for (key, figures) in &other.targets {
            self.targets.entry(key.clone()).or_default().merge(figures);
        }
        for (kind, durations) in &other.lateness {
            self.lateness.entry(*kind).or_default().merge(durations);
        }
        self.measures.merge(&other.measures);
        for (band, n) in &other.bands {
            let count = self.bands.entry(*band).or_default();
            *count = count.saturating_add(*n);
        }
    }

    /// The figures of `kind` over every slice (all of them).
    #[must_use]
    pub fn total(&self, kind: TargetKind) -> TargetFigures {
        self.targets
            .get(&(kind, Slice::All))
            .cloned()
            .unwrap_or_default()
    }

    /// Customers in `band` at the end.
    #[must_use]
    pub fn in_band(&self, band: Band) -> u64 {
        self.bands.get(&band).copied().unwrap_or(0)
    }
}

/// A customer whose health band or outcomes differ between the two runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomerChange {
    /// The customer.
    pub customer: CustomerId,
    /// The band at the end under the base policy.
    pub base_band: Band,
    /// The band at the end under the candidate.
    pub candidate_band: Band,
    /// Outcome events (targets ended, deadlines passed, band moves) only the base run has.
    pub only_base: Vec<Envelope>,
    /// Outcome events only the candidate run has.
    pub only_candidate: Vec<Envelope>,
}

/// Two runs of the same histories side by side: targets met, late, missed and breached per
/// kind, priority, tier, owner and team; lateness; promise keeping (the [`Measures`]); health
/// bands; and the customers whose band or outcomes differ, with the events that differ.
///
/// It streams: each customer is decided under both policies, read, compared and let go, so
/// no whole log is kept on either side. Comparisons of disjoint sets of customers merge
/// (shards), and the merged one equals the comparison of their union.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Comparison {
    /// The base run's figures.
    pub base: Figures,
    /// The candidate run's figures.
    pub candidate: Figures,
    /// The customers whose band or outcomes differ, by customer.
    pub customers: Vec<CustomerChange>,
    /// The facts the base policy refused.
    pub base_refused: Vec<Refusal>,
    /// The facts the candidate policy refused.
    pub candidate_refused: Vec<Refusal>,
}

impl Comparison {
    /// Decides every history of `book` under `base` and under `candidate`, each customer up
    /// to the book's last recording instant, and compares. Streams: a customer's two new logs
    /// are let go once compared.
    ///
    /// # Errors
    /// [`PolicyError`] for an inconsistent policy.
    ///
    /// # Example
    /// ```
    /// use chrono::{TimeDelta, TimeZone, Utc};
    /// use clientele::what_if::{Book, Comparison, TargetKind};
    /// use clientele::{Channel, CustomerId, InteractionId, Ledger, Priority, RecordInteraction,
    ///     RegisterCustomer, ServicePolicy, Span, Text, Tier, AgentId};
    ///
    /// let base = ServicePolicy::default(); // high priority: first response within 4 h
    /// let mut ledger = Ledger::new(base.clone())?;
    /// let ona = CustomerId::from_u128(1);
    /// let monday = Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap();
    /// let mut log = ledger.execute(ona, RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?), monday)?;
    /// let urgent = RecordInteraction::inbound(InteractionId::from_u128(2), Channel::Email, Text::new("Broken!")?)
    ///     .priority(Priority::High);
    /// log.extend(ledger.execute(ona, urgent, monday)?);
    /// let answer = RecordInteraction::outbound(InteractionId::from_u128(3), Channel::Email, AgentId::from_u128(7), Text::new("On it")?);
    /// log.extend(ledger.execute(ona, answer, monday + TimeDelta::hours(3))?);
    ///
    /// let mut stricter = base.clone();
    /// stricter.first_response.default.high = Span::hours(2);
    /// let comparison = Comparison::of(&Book::from_log(&log)?, &base, &stricter)?;
    /// assert_eq!(comparison.base.total(TargetKind::FirstResponse).outcomes.met, 1);
    /// assert_eq!(comparison.candidate.total(TargetKind::FirstResponse).outcomes.met_late, 1);
    /// assert_eq!(comparison.customers.len(), 1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn of(
        book: &Book,
        base: &ServicePolicy,
        candidate: &ServicePolicy,
    ) -> Result<Self, PolicyError> {
        Self::up_to(book, base, candidate, book.until())
    }

    /// As [`of`](Self::of), each customer brought up to `until` (its own end when `None`):
    /// shards compared up to the same instant merge into the comparison of the whole book.
    ///
    /// # Errors
    /// [`PolicyError`] for an inconsistent policy.
    pub fn up_to(
        book: &Book,
        base: &ServicePolicy,
        candidate: &ServicePolicy,
        until: Option<DateTime<Utc>>,
    ) -> Result<Self, PolicyError> {
        base.validate()?;
        candidate.validate()?;
        let mut comparison = Self::default();
        for history in book.histories() {
            comparison.add(history, [base, candidate], until);
        }
        Ok(comparison)
    }

    /// Compares one customer's history under `base` and `candidate`, up to its own end.
    ///
    /// # Errors
    /// [`PolicyError`] for an inconsistent policy.
    pub fn of_history(
        history: &History,
        base: &ServicePolicy,
        candidate: &ServicePolicy,
    ) -> Result<Self, PolicyError> {
        base.validate()?;
        candidate.validate()?;
        let mut comparison = Self::default();
        comparison.add(history, [base, candidate], history.until());
        Ok(comparison)
    }

    /// Adds another shard's comparison (other customers, compared up to the same instant) to
    /// this one: the result equals the comparison of both shards' customers together.
    pub fn merge(&mut self, other: Comparison) {
        self.base.merge(&other.base);
        self.candidate.merge(&other.candidate);
        self.customers.extend(other.customers);
        self.customers.sort_by_key(|change| change.customer);
        self.base_refused.extend(other.base_refused);
        self.candidate_refused.extend(other.candidate_refused);
        for refused in [&mut self.base_refused, &mut self.candidate_refused] {
            refused.sort_by_key(|r| (r.customer, r.fact.seq));
        }
    }

    fn add(
        &mut self,
        history: &History,
        [base, candidate]: [&ServicePolicy; 2],
        until: Option<DateTime<Utc>>,
    ) {
        let (base_outcomes, base_band) =
            side(history, base, until, &mut self.base, &mut self.base_refused);
        let (candidate_outcomes, candidate_band) = side(
            history,
            candidate,
            until,
            &mut self.candidate,
            &mut self.candidate_refused,
        );
        let (only_base, only_candidate) = difference(base_outcomes, candidate_outcomes);
        if base_band != candidate_band || !only_base.is_empty() || !only_candidate.is_empty() {
            let change = CustomerChange {
                customer: history.customer(),
                base_band,
                candidate_band,
                only_base,
                only_candidate,
            };
            let at = self
                .customers
                .partition_point(|c| c.customer < change.customer);
            self.customers.insert(at, change);
        }
    }
}

/// Decides `history` under `policy` into `figures`; returns its outcome events and its band
/// at the end.
fn side(
    history: &History,
    policy: &ServicePolicy,
    until: Option<DateTime<Utc>>,
    figures: &mut Figures,
    refusals: &mut Vec<Refusal>,
) -> (Vec<Envelope>, Band) {
    let mut reader = Reader::default();
    let mut tally = Tally::new(Window::all());
    let mut outcomes = Vec::new();
    let mut events = 0u64;
    let (relationship, refused) = rerun::decide(policy, history, until, &mut |envelopes| {
        for envelope in envelopes {
            events = events.saturating_add(1);
            reader.read(envelope, figures);
            // In order by construction: a refusal would be an engine defect, counted nowhere.
            let _ = tally.record(envelope);
            if is_outcome(&envelope.event) {
                outcomes.push(envelope.clone());
            }
        }
    });
    figures.customers = figures.customers.saturating_add(1);
    figures.events = figures.events.saturating_add(events);
    figures.refused = figures
        .refused
        .saturating_add(u64::try_from(refused.len()).unwrap_or(u64::MAX));
    figures.measures.merge(tally.book());
    let end = until
        .or(history.until())
        .unwrap_or(DateTime::<Utc>::MIN_UTC);
    let band = relationship.health(policy, end).band;
    let count = figures.bands.entry(band).or_default();
    *count = count.saturating_add(1);
    refusals.extend(refused);
    (outcomes, band)
}

/// The events of each list that the other does not have (instant and event compared; `seq`
/// and recording time aside), each in its order.
fn difference(base: Vec<Envelope>, candidate: Vec<Envelope>) -> (Vec<Envelope>, Vec<Envelope>) {
    let mut matched = vec![false; candidate.len()];
    let mut only_base = Vec::new();
    for envelope in base {
        let twin = candidate.iter().enumerate().position(|(i, other)| {
            !matched.get(i).copied().unwrap_or(true)
                && other.at == envelope.at
                && other.event == envelope.event
        });
        match twin.and_then(|i| matched.get_mut(i)) {
            Some(seen) => *seen = true,
            None => only_base.push(envelope),
        }
    }
    let only_candidate = candidate
        .into_iter()
        .zip(matched)
        .filter(|(_, seen)| !seen)
        .map(|(envelope, _)| envelope)
        .collect();
    (only_base, only_candidate)
}

/// Whether an event says how a target or the relationship ended up: a target ended, a
/// deadline passed, a band moved.
fn is_outcome(event: &Event) -> bool {
    match event {
        Event::Response(event) => matches!(
            event,
            ResponseEvent::AtRisk { .. }
                | ResponseEvent::Overdue { .. }
                | ResponseEvent::ClockStopped { .. }
                | ResponseEvent::UpdateAtRisk { .. }
                | ResponseEvent::UpdateOverdue { .. }
        ),
        Event::Promise(event) => matches!(
            event,
            PromiseEvent::AtRisk { .. }
                | PromiseEvent::Broken { .. }
                | PromiseEvent::Kept { .. }
                | PromiseEvent::DependencyLate { .. }
        ),
        Event::Complaint(event) => matches!(
            event,
            ComplaintEvent::Acknowledged { .. }
                | ComplaintEvent::Resolved { .. }
                | ComplaintEvent::ClockAtRisk { .. }
                | ComplaintEvent::ClockBreached { .. }
                | ComplaintEvent::EscalationDue { .. }
        ),
        Event::FollowUp(event) => matches!(
            event,
            FollowUpEvent::Overdue { .. } | FollowUpEvent::Completed { .. }
        ),
        Event::Health(_) => true,
        Event::Customer(_) | Event::Survey(_) => false,
    }
}

/// Where a complaint's work is, for its slices.
#[derive(Debug, Clone)]
struct Whereabouts {
    priority: Priority,
    tier: Tier,
    owner: Option<AgentId>,
    team: Option<TeamId>,
}

/// What one customer's events say about whom later events count for.
#[derive(Debug, Default)]
struct Reader {
    tier: Option<Tier>,
    owner: Option<AgentId>,
    clocks: HashMap<InteractionId, (ClockKind, Priority, Tier)>,
    complaints: HashMap<ComplaintId, Whereabouts>,
    follow_ups: HashMap<FollowUpId, AgentId>,
}

/// How a target ended, or that its deadline passed.
enum Ending<'a> {
    Ended(&'a Outcome),
    Breached,
}

impl Reader {
    fn read(&mut self, envelope: &Envelope, figures: &mut Figures) {
        match &envelope.event {
            Event::Customer(event) => self.customer(event),
            Event::Response(event) => self.response(event, figures),
            Event::Promise(event) => self.promise(event, figures),
            Event::Complaint(event) => self.complaint(event, figures),
            Event::FollowUp(event) => self.follow_up(event, figures),
            Event::Survey(_) | Event::Health(_) => {}
        }
    }

    fn customer(&mut self, event: &CustomerEvent) {
        match event {
            CustomerEvent::Registered { tier, owner, .. } => {
                self.tier = Some(tier.clone());
                self.owner = *owner;
            }
            CustomerEvent::TierChanged { tier } => self.tier = Some(tier.clone()),
            CustomerEvent::AccountOwnerSet { owner } => self.owner = *owner,
            CustomerEvent::Renamed { .. }
            | CustomerEvent::ContactPointSet { .. }
            | CustomerEvent::ContactPointRemoved { .. }
            | CustomerEvent::PreferredChannelSet { .. }
            | CustomerEvent::PersonalDataErased { .. } => {}
        }
    }

    fn response(&mut self, event: &ResponseEvent, figures: &mut Figures) {
        let (since, ending) = match event {
            ResponseEvent::ClockStarted {
                kind,
                since,
                priority,
                tier,
                ..
            } => {
                self.clocks.insert(*since, (*kind, *priority, tier.clone()));
                return;
            }
            ResponseEvent::ClockStopped { since, outcome, .. } => (since, Ending::Ended(outcome)),
            ResponseEvent::Overdue { since, .. } => (since, Ending::Breached),
            ResponseEvent::UpdateOverdue { .. } => {
                let slices = self.slices(None, None, self.owner, None);
                count(figures, TargetKind::Update, &slices, &Ending::Breached);
                return;
            }
            ResponseEvent::InteractionRecorded { .. }
            | ResponseEvent::AtRisk { .. }
            | ResponseEvent::AwaitingCustomer { .. }
            | ResponseEvent::UpdateClockStarted { .. }
            | ResponseEvent::UpdateAtRisk { .. } => return,
        };
        let Some((kind, priority, tier)) = self.clocks.get(since).cloned() else {
            return;
        };
        if matches!(ending, Ending::Ended(_)) {
            self.clocks.remove(since);
        }
        let slices = self.slices(Some(priority), Some(tier), self.owner, None);
        count(figures, kind.into(), &slices, &ending);
    }

    fn promise(&self, event: &PromiseEvent, figures: &mut Figures) {
        let (owner, ending) = match event {
            PromiseEvent::Kept { owner, outcome, .. } => (owner, Ending::Ended(outcome)),
            PromiseEvent::Broken { owner, .. } => (owner, Ending::Breached),
            PromiseEvent::Made { .. }
            | PromiseEvent::AtRisk { .. }
            | PromiseEvent::Revised { .. }
            | PromiseEvent::SlippedRepeatedly { .. }
            | PromiseEvent::Withdrawn { .. }
            | PromiseEvent::DependencyRecorded { .. }
            | PromiseEvent::DependencyLate { .. }
            | PromiseEvent::DependencyMet { .. } => return,
        };
        let slices = self.slices(None, self.tier.clone(), Some(*owner), None);
        count(figures, TargetKind::Promise, &slices, &ending);
    }

    fn complaint(&mut self, event: &ComplaintEvent, figures: &mut Figures) {
        let id = event.complaint();
        let (kind, ending) = match event {
            ComplaintEvent::Received { priority, tier, .. } => {
                let at = Whereabouts {
                    priority: *priority,
                    tier: tier.clone(),
                    owner: None,
                    team: None,
                };
                self.complaints.insert(id, at);
                return;
            }
            ComplaintEvent::Reprioritised { priority, tier, .. } => {
                return self.moved(id, |at| {
                    at.priority = *priority;
                    at.tier = tier.clone();
                });
            }
            ComplaintEvent::Assigned { owner, .. }
            | ComplaintEvent::Escalated { owner, .. }
            | ComplaintEvent::Deescalated { owner, .. } => {
                return self.moved(id, |at| at.owner = Some(*owner));
            }
            ComplaintEvent::Routed { team, .. } => {
                return self.moved(id, |at| at.team = Some(*team));
            }
            ComplaintEvent::Acknowledged { outcome, .. } => {
                (TargetKind::Acknowledgement, Ending::Ended(outcome))
            }
            ComplaintEvent::Resolved { outcome, .. } => {
                (TargetKind::Resolution, Ending::Ended(outcome))
            }
            ComplaintEvent::ClockBreached { clock, .. } => {
                let kind = match clock {
                    ComplaintClockKind::Acknowledgement => TargetKind::Acknowledgement,
                    ComplaintClockKind::Resolution => TargetKind::Resolution,
                    ComplaintClockKind::Escalation => TargetKind::Escalation,
                };
                (kind, Ending::Breached)
            }
            ComplaintEvent::ClockAtRisk { .. }
            | ComplaintEvent::EscalationDue { .. }
            | ComplaintEvent::AwaitingCustomer { .. }
            | ComplaintEvent::Resumed { .. }
            | ComplaintEvent::Closed { .. }
            | ComplaintEvent::ClosedUnresolved { .. }
            | ComplaintEvent::Reopened { .. }
            | ComplaintEvent::AwaitingParty { .. }
            | ComplaintEvent::PartyLate { .. }
            | ComplaintEvent::PartyWaitEnded { .. } => return,
        };
        let Some(at) = self.complaints.get(&id) else {
            return;
        };
        let owner = at.owner.or(self.owner);
        let slices = self.slices(Some(at.priority), Some(at.tier.clone()), owner, at.team);
        count(figures, kind, &slices, &ending);
    }

    /// A complaint moved: to another priority or tier, owner or team.
    fn moved(&mut self, id: ComplaintId, change: impl FnOnce(&mut Whereabouts)) {
        if let Some(at) = self.complaints.get_mut(&id) {
            change(at);
        }
    }

    fn follow_up(&mut self, event: &FollowUpEvent, figures: &mut Figures) {
        let (owner, ending) = match event {
            FollowUpEvent::Scheduled {
                follow_up, owner, ..
            } => {
                self.follow_ups.insert(*follow_up, *owner);
                return;
            }
            FollowUpEvent::Completed {
                follow_up, timing, ..
            } => (
                self.follow_ups.get(follow_up).copied(),
                Ending::Ended(timing),
            ),
            FollowUpEvent::Overdue { owner, .. } => (Some(*owner), Ending::Breached),
            FollowUpEvent::Cancelled { .. } => return,
        };
        let slices = self.slices(None, self.tier.clone(), owner, None);
        count(figures, TargetKind::FollowUp, &slices, &ending);
    }

    /// The slices a figure counts in.
    fn slices(
        &self,
        priority: Option<Priority>,
        tier: Option<Tier>,
        owner: Option<AgentId>,
        team: Option<TeamId>,
    ) -> Vec<Slice> {
        let mut slices = vec![Slice::All];
        slices.extend(priority.map(Slice::Priority));
        slices.extend(tier.or_else(|| self.tier.clone()).map(Slice::Tier));
        slices.extend(owner.map(Slice::Owner));
        slices.extend(team.map(Slice::Team));
        slices
    }
}

/// Counts how a target of `kind` ended in each of `slices`.
fn count(figures: &mut Figures, kind: TargetKind, slices: &[Slice], ending: &Ending<'_>) {
    for slice in slices {
        let target = figures.targets.entry((kind, slice.clone())).or_default();
        match ending {
            Ending::Ended(outcome) => target.outcomes.add(outcome),
            Ending::Breached => target.breached = target.breached.saturating_add(1),
        }
    }
    if let Ending::Ended(Outcome::MetLate { lateness } | Outcome::Missed { lateness }) = ending {
        figures.lateness.entry(kind).or_default().add(lateness.wall);
    }
}
