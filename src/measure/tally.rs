//! The [`Tally`]: reads stored envelopes family by family, remembers what later events need
//! to be attributed, and counts what falls in its window.

use std::collections::BTreeMap;

use crate::customer::CustomerEvent;
use crate::event::{Envelope, Event};
use crate::id::{
    AgentId, ComplaintId, CustomerId, FollowUpId, InteractionId, PartyId, PromiseId, SurveyId,
};
use crate::measure::complaint::{ComplaintFact, ComplaintMemo};
use crate::measure::follow_up::FollowUpFact;
use crate::measure::health::HealthFact;
use crate::measure::promise::{DependencyFact, PromiseFact, PromiseMemo};
use crate::measure::response::ResponseFact;
use crate::measure::survey::SurveyFact;
use crate::measure::{MeasureError, Measures, Window};
use crate::response::ClockKind;

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
    ///
    /// ```
    /// # use clientele::{*, chrono::{TimeDelta, TimeZone, Utc}};
    /// # let (policy, monday) = (ServicePolicy::default(), Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap());
    /// # let (ona, jonas, glasses) = (CustomerId::from_u128(1), AgentId::from_u128(7), PromiseId::from_u128(5));
    /// # let mut relationship = Relationship::new(ona);
    /// # let mut log = relationship.execute(&policy, RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?).owned_by(jonas), monday)?;
    /// # log.extend(relationship.execute(&policy, MakePromise::new(glasses, Text::new("Glasses ready")?, monday + TimeDelta::days(4), jonas), monday)?);
    /// # log.extend(relationship.execute(&policy, KeepPromise::new(glasses), monday + TimeDelta::days(1))?);
    /// let mut tally = Tally::new(Window::all());
    /// for envelope in &log {
    ///     tally.record(envelope)?; // as the service reads its store, each customer in order
    /// }
    /// assert_eq!(tally.book().promises.ours.made, 1);
    /// assert_eq!(tally.book().promises.ours.kept_on_time(), 1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
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
    ///
    /// ```
    /// use clientele::{Tally, Window};
    ///
    /// let tally = Tally::new(Window::all());
    /// assert_eq!(tally.window(), Window::all());
    /// ```
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
    ///     recorded: None,
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
        let Some((fact, owner, party)) = memory.read(envelope, counts) else {
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
    ///
    /// ```
    /// # use clientele::{*, chrono::{TimeDelta, TimeZone, Utc}};
    /// # let (policy, monday) = (ServicePolicy::default(), Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap());
    /// # let (ona, jonas, glasses) = (CustomerId::from_u128(1), AgentId::from_u128(7), PromiseId::from_u128(5));
    /// # let mut relationship = Relationship::new(ona);
    /// # let mut log = relationship.execute(&policy, RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?).owned_by(jonas), monday)?;
    /// # log.extend(relationship.execute(&policy, MakePromise::new(glasses, Text::new("Glasses ready")?, monday + TimeDelta::days(4), jonas), monday)?);
    /// # log.extend(relationship.execute(&policy, KeepPromise::new(glasses), monday + TimeDelta::days(1))?);
    /// // `log`: Ona was promised her glasses for Friday, and they were ready on Tuesday.
    /// let tally = Tally::from_log(Window::all(), &log)?;
    /// let book = tally.book();
    /// assert_eq!((book.promises.ours.made, book.promises.ours.kept_on_time()), (1, 1));
    /// assert_eq!(book.promises.on_time_rate(), Some(1.0));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub const fn book(&self) -> &Measures {
        &self.book
    }

    /// Figures per customer, for customers with anything counted in the window.
    ///
    /// ```
    /// # use clientele::{*, chrono::{TimeDelta, TimeZone, Utc}};
    /// # let (policy, monday) = (ServicePolicy::default(), Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap());
    /// # let (ona, jonas, glasses) = (CustomerId::from_u128(1), AgentId::from_u128(7), PromiseId::from_u128(5));
    /// # let mut relationship = Relationship::new(ona);
    /// # let mut log = relationship.execute(&policy, RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?).owned_by(jonas), monday)?;
    /// # log.extend(relationship.execute(&policy, MakePromise::new(glasses, Text::new("Glasses ready")?, monday + TimeDelta::days(4), jonas), monday)?);
    /// let tally = Tally::from_log(Window::all(), &log)?;
    /// for (customer, measures) in tally.by_customer() {
    ///     assert_eq!((*customer, measures.promises.ours.made), (ona, 1));
    /// }
    /// assert_eq!(tally.by_customer().len(), 1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub const fn by_customer(&self) -> &BTreeMap<CustomerId, Measures> {
        &self.by_customer
    }

    /// Figures per owning agent (see the module docs for attribution).
    ///
    /// ```
    /// # use clientele::{*, chrono::{TimeDelta, TimeZone, Utc}};
    /// # let (policy, monday) = (ServicePolicy::default(), Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap());
    /// # let (ona, jonas, glasses) = (CustomerId::from_u128(1), AgentId::from_u128(7), PromiseId::from_u128(5));
    /// # let mut relationship = Relationship::new(ona);
    /// # let mut log = relationship.execute(&policy, RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?).owned_by(jonas), monday)?;
    /// # log.extend(relationship.execute(&policy, MakePromise::new(glasses, Text::new("Glasses ready")?, monday + TimeDelta::days(4), jonas), monday)?);
    /// // Jonas made the promise: it is his figure.
    /// let tally = Tally::from_log(Window::all(), &log)?;
    /// let owners: Vec<AgentId> = tally.by_owner().keys().copied().collect();
    /// assert_eq!(owners, [jonas]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub const fn by_owner(&self) -> &BTreeMap<AgentId, Measures> {
        &self.by_owner
    }

    /// Figures per outside party: the promises it fulfils and its own commitments.
    ///
    /// ```
    /// # use clientele::{*, chrono::{TimeDelta, TimeZone, Utc}};
    /// # let (policy, monday) = (ServicePolicy::default(), Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap());
    /// # let (jonas, glasses) = (AgentId::from_u128(7), PromiseId::from_u128(5));
    /// # let mut ona = Relationship::new(CustomerId::from_u128(1));
    /// # let mut log = ona.execute(&policy, RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?), monday)?;
    /// let lab = PartyId::from_u128(9);
    /// let make = MakePromise::new(glasses, Text::new("Lenses ground")?, monday + TimeDelta::days(4), jonas)
    ///     .fulfilled_by(lab, Text::new("Lens lab")?);
    /// log.extend(ona.execute(&policy, make, monday)?);
    /// let tally = Tally::from_log(Window::all(), &log)?;
    /// assert_eq!(tally.by_party().get(&lab).map(|m| m.promises.outside.made), Some(1));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub const fn by_party(&self) -> &BTreeMap<PartyId, Measures> {
        &self.by_party
    }

    /// One customer's figures, if anything was counted for it.
    ///
    /// ```
    /// # use clientele::{*, chrono::{TimeDelta, TimeZone, Utc}};
    /// # let (policy, monday) = (ServicePolicy::default(), Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap());
    /// # let (ona, jonas, glasses) = (CustomerId::from_u128(1), AgentId::from_u128(7), PromiseId::from_u128(5));
    /// # let mut relationship = Relationship::new(ona);
    /// # let mut log = relationship.execute(&policy, RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?).owned_by(jonas), monday)?;
    /// # log.extend(relationship.execute(&policy, MakePromise::new(glasses, Text::new("Glasses ready")?, monday + TimeDelta::days(4), jonas), monday)?);
    /// let tally = Tally::from_log(Window::all(), &log)?;
    /// assert_eq!(tally.customer(ona).map(|m| m.promises.ours.made), Some(1));
    /// assert!(tally.customer(CustomerId::from_u128(2)).is_none());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn customer(&self, customer: CustomerId) -> Option<&Measures> {
        self.by_customer.get(&customer)
    }

    /// One agent's figures, if anything was attributed to them.
    ///
    /// ```
    /// # use clientele::{*, chrono::{TimeDelta, TimeZone, Utc}};
    /// # let (policy, monday) = (ServicePolicy::default(), Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap());
    /// # let (ona, jonas, glasses) = (CustomerId::from_u128(1), AgentId::from_u128(7), PromiseId::from_u128(5));
    /// # let mut relationship = Relationship::new(ona);
    /// # let mut log = relationship.execute(&policy, RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?).owned_by(jonas), monday)?;
    /// # log.extend(relationship.execute(&policy, MakePromise::new(glasses, Text::new("Glasses ready")?, monday + TimeDelta::days(4), jonas), monday)?);
    /// # log.extend(relationship.execute(&policy, KeepPromise::new(glasses), monday + TimeDelta::days(1))?);
    /// let tally = Tally::from_log(Window::all(), &log)?;
    /// let mine = tally.owner(jonas).ok_or("Jonas has figures")?;
    /// assert_eq!(mine.promises.ours.on_time_rate(), Some(1.0));
    /// assert!(tally.owner(AgentId::from_u128(8)).is_none());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn owner(&self, agent: AgentId) -> Option<&Measures> {
        self.by_owner.get(&agent)
    }

    /// One outside party's figures, if anything was attributed to it.
    ///
    /// ```
    /// # use clientele::{*, chrono::{TimeDelta, TimeZone, Utc}};
    /// # let (policy, monday) = (ServicePolicy::default(), Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap());
    /// # let (jonas, glasses) = (AgentId::from_u128(7), PromiseId::from_u128(5));
    /// # let mut ona = Relationship::new(CustomerId::from_u128(1));
    /// # let mut log = ona.execute(&policy, RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?), monday)?;
    /// let lab = PartyId::from_u128(9);
    /// let make = MakePromise::new(glasses, Text::new("Lenses ground")?, monday + TimeDelta::days(4), jonas)
    ///     .fulfilled_by(lab, Text::new("Lens lab")?);
    /// log.extend(ona.execute(&policy, make, monday)?);
    /// log.extend(ona.execute(&policy, KeepPromise::new(glasses), monday + TimeDelta::days(5))?); // a day late
    /// let tally = Tally::from_log(Window::all(), &log)?;
    /// let lab_figures = tally.party(lab).ok_or("the lab has figures")?;
    /// assert_eq!(lab_figures.promises.outside.kept_late(), 1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
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

/// What one event adds to the measures, with what was remembered to read it: one variant per
/// family that counts anything.
pub(super) enum Fact {
    Promise { outside: bool, what: PromiseFact },
    Dependency(DependencyFact),
    Response(ResponseFact),
    Complaint(ComplaintFact),
    FollowUp(FollowUpFact),
    Survey(SurveyFact),
    Health(HealthFact),
}

/// What one event counts, for the owner and the party it is attributed to.
pub(super) type Read = (Fact, Option<AgentId>, Option<PartyId>);

impl Measures {
    /// Counts one fact, in the figures of its family.
    fn count(&mut self, fact: &Fact) {
        match fact {
            Fact::Promise { outside, what } => self.promises.count(*outside, what),
            Fact::Dependency(what) => self.dependencies.count(what),
            Fact::Response(what) => self.responses.count(what),
            Fact::Complaint(what) => self.complaints.count(what),
            Fact::FollowUp(what) => self.follow_ups.count(what),
            Fact::Survey(what) => self.surveys.count(what),
            Fact::Health(what) => self.health.count(what),
        }
    }
}

/// What a tally remembers of one customer, to attribute later events.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Memory {
    last_seq: u64,
    pub(super) account_owner: Option<AgentId>,
    /// The kind of each response wait started and not yet stopped, by the message it waits
    /// since: a message reported after its answer records its wait (started, stopped) while a
    /// later wait runs, so the running wait's kind must outlive it.
    pub(super) waiting: BTreeMap<InteractionId, ClockKind>,
    pub(super) promises: BTreeMap<PromiseId, PromiseMemo>,
    pub(super) complaints: BTreeMap<ComplaintId, ComplaintMemo>,
    pub(super) follow_ups: BTreeMap<FollowUpId, AgentId>,
    pub(super) surveys: BTreeMap<SurveyId, Option<ComplaintId>>,
}

impl Memory {
    /// Updates the memory with what `envelope` says and returns what it counts, and for whom:
    /// each family's events are read by that family's reader. `counts` says whether the
    /// envelope falls in the window (a break is marked as counted only then).
    fn read(&mut self, envelope: &Envelope, counts: bool) -> Option<Read> {
        match &envelope.event {
            Event::Customer(event) => self.read_customer(event),
            Event::Response(event) => self.read_response(event),
            Event::Promise(event) => self.read_promise(event, counts),
            Event::Complaint(event) => self.read_complaint(event, envelope.at),
            Event::FollowUp(event) => self.read_follow_up(event),
            Event::Survey(event) => self.read_survey(event),
            Event::Health(event) => self.read_health(event),
        }
    }

    /// Reads a customer event: it counts nothing, but says who owns the account, which later
    /// events are attributed to.
    fn read_customer(&mut self, event: &CustomerEvent) -> Option<Read> {
        match event {
            CustomerEvent::Registered { owner, .. } | CustomerEvent::AccountOwnerSet { owner } => {
                self.account_owner = *owner;
                None
            }
            CustomerEvent::Renamed { .. }
            | CustomerEvent::TierChanged { .. }
            | CustomerEvent::ContactPointSet { .. }
            | CustomerEvent::ContactPointRemoved { .. }
            | CustomerEvent::PreferredChannelSet { .. } => None,
            // Erasure removes personal data; nothing counted here is personal.
            CustomerEvent::PersonalDataErased { .. } => None,
        }
    }
}
