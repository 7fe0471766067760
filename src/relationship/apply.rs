//! Applying: stored events fold into the state, family by family.

use chrono::{DateTime, Utc};

use super::archive::Entry;
use super::*;
use crate::compact::At;
use crate::complaint::{self};
use crate::customer::CustomerEvent;
use crate::error::{FactItem, ReplayError};
use crate::event::{Envelope, Event, SCHEMA_VERSION};
use crate::follow_up::{self};
use crate::follow_up::{FollowUpEvent, FollowUpLifecycle};
use crate::health::HealthEvent;
use crate::lifecycle::{Entity, Misfit};
use crate::promise::{self};
use crate::promise::{PromiseEvent, PromiseLifecycle};
use crate::response::ResponseEvent;
use crate::response::{self};
use crate::survey::{self};
use crate::value::IdempotencyKey;

impl Relationship {
    /// Folds a stored event into the state.
    ///
    /// # Errors
    /// A [`ReplayError`] when the event does not belong here (another customer, out of
    /// sequence or time order, unsupported version) or does not fit the state. On error
    /// nothing changed.
    ///
    /// ```
    /// # use clientele::{*, chrono::{TimeZone, Utc}};
    /// # let (policy, monday) = (ServicePolicy::default(), Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap());
    /// let mut ona = Relationship::new(CustomerId::from_u128(1));
    /// let register = RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?);
    /// let events = ona.decide(&policy, &register.into(), monday)?;
    /// for envelope in &events {
    ///     ona.apply(envelope)?; // one by one, as they come back from the store
    /// }
    /// assert_eq!(ona.version(), 1);
    /// // An envelope of another customer does not belong here: refused, nothing changes.
    /// let mut petras = Relationship::new(CustomerId::from_u128(2));
    /// assert!(petras.apply(&events[0]).is_err());
    /// assert_eq!(petras.version(), 0);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn apply(&mut self, envelope: &Envelope) -> Result<(), ReplayError> {
        self.archive.settle();
        let kind = envelope.event.kind();
        if envelope.v == 0 || envelope.v > SCHEMA_VERSION {
            return Err(ReplayError::UnsupportedVersion {
                kind,
                version: envelope.v,
                supported: SCHEMA_VERSION,
            });
        }
        if envelope.customer != self.customer {
            return Err(ReplayError::WrongCustomer {
                expected: self.customer,
                found: envelope.customer,
            });
        }
        let expected = self.version.saturating_add(1);
        if envelope.seq != expected {
            return Err(ReplayError::OutOfSequence {
                customer: self.customer,
                expected,
                found: envelope.seq,
            });
        }
        let recorded = envelope.recorded_at();
        if let Some(last) = self.last_at
            && recorded < last
        {
            return Err(ReplayError::OutOfOrder { at: recorded, last });
        }
        let misfit = |reason: String| ReplayError::DoesNotFit {
            kind,
            seq: envelope.seq,
            reason,
        };
        if recorded < envelope.at {
            return Err(misfit(format!(
                "recorded at {recorded}, before it happened at {}",
                envelope.at
            )));
        }
        if let Some(profile) = &self.profile
            && envelope.at < profile.registered_at
        {
            return Err(misfit(format!(
                "dated {}, before the customer was registered at {}",
                envelope.at, profile.registered_at
            )));
        }
        let keyed = envelope
            .key
            .as_ref()
            .map(|key| Keys::check(key, self.rare().keys.latest(), envelope.seq, recorded));
        self.fold(envelope.at, &envelope.event)
            .map_err(|m| misfit(m.to_string()))?;
        self.note_fact(envelope.at, &envelope.event);
        match keyed {
            Some(update) => self.rare.change(|parts| {
                parts.keys.prune(recorded);
                parts.keys.apply(update);
            }),
            None => self.rare.change_held(|parts| parts.keys.prune(recorded)),
        }
        self.version = expected;
        self.last_at = Some(recorded);
        self.latest_at = Some(self.latest_at.map_or(envelope.at, |l| l.max(envelope.at)));
        Ok(())
    }

    /// Folds a batch of stored events, all or none: the batch a service has just stored (the
    /// events of [`decide`](Self::decide) or of [`due_by`](Self::due_by)), in order.
    ///
    /// # Errors
    /// The first [`ReplayError`] of the batch, as [`apply`](Self::apply) gives it. On error
    /// nothing changed: not even the events before the one refused.
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use clientele::{CustomerId, RegisterCustomer, Relationship, ServicePolicy, Text, Tier};
    ///
    /// let policy = ServicePolicy::default();
    /// let mut ona = Relationship::new(CustomerId::from_u128(1));
    /// let monday = Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap();
    /// let register = RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?);
    /// let events = ona.decide(&policy, &register.into(), monday)?;
    /// // Store `events` first (one transaction); then fold them in.
    /// ona.apply_all(&events)?;
    /// assert_eq!(ona.version(), 1);
    /// // The same batch again is out of sequence: refused, and nothing changes.
    /// assert!(ona.apply_all(&events).is_err());
    /// assert_eq!(ona.version(), 1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn apply_all(&mut self, envelopes: &[Envelope]) -> Result<(), ReplayError> {
        // A copy of the open state only: the archive is shared (see the module docs).
        let mut next = self.clone();
        for envelope in envelopes {
            next.apply(envelope)?;
        }
        *self = next;
        self.settle();
        Ok(())
    }

    /// Entries of the conversation and health's record this copy wrote and has not yet folded
    /// into the parts shared with its copies.
    #[cfg(test)]
    pub(crate) fn unfolded(&self) -> usize {
        self.conversation.unfolded() + self.record.unfolded()
    }

    /// Folds what this copy wrote into the parts it shares with copies (they hold its
    /// history), once it holds them alone: after a command, the copy it came from is gone.
    /// Then gives back the room its buffers took ([`trim`](Self::trim)).
    pub(crate) fn settle(&mut self) {
        self.archive.settle();
        self.conversation.settle();
        self.record.settle();
        self.item_facts.settle();
        self.rare.change_held(|parts| parts.complaints.settle());
        self.trim();
    }

    /// The archive's buffer: entries held, and its size with its room.
    #[cfg(test)]
    pub(crate) fn archive_buffer(&self) -> (usize, usize) {
        self.archive.buffer()
    }

    /// Gives back the room buffers took while a history was applied, so that a relationship
    /// at rest holds its entries at their exact size: after a command ([`settle`](Self::settle))
    /// and when the book files a customer it loaded (a load applies event after event with no
    /// settling between them).
    pub(crate) fn trim(&mut self) {
        self.archive.trim();
    }

    /// Envelopes for `events` that happened at `at`, recorded at `at` or, when later, at the
    /// last recording time (a deadline noticed after a fact reported late).
    pub(super) fn seal(&self, at: DateTime<Utc>, events: Vec<Event>) -> Vec<Envelope> {
        let recorded = self.last_at.filter(|last| *last > at);
        self.seal_keyed(at, recorded, events, None)
    }

    /// Envelopes for `events` that happened at `at` and are recorded at `recorded` (absent:
    /// at `at`).
    pub(super) fn seal_keyed(
        &self,
        at: DateTime<Utc>,
        recorded: Option<DateTime<Utc>>,
        events: Vec<Event>,
        key: Option<&IdempotencyKey>,
    ) -> Vec<Envelope> {
        let recorded = recorded.filter(|recorded| *recorded > at);
        let mut seq = self.version;
        events
            .into_iter()
            .map(|event| {
                seq = seq.saturating_add(1);
                Envelope {
                    v: SCHEMA_VERSION,
                    customer: self.customer,
                    seq,
                    at,
                    event,
                    key: key.cloned(),
                    recorded,
                }
            })
            .collect()
    }

    /// Folds one event; `Err` says why it does not fit. Leaves `self` unchanged on error.
    /// Health's record takes in what the event means for health.
    pub(super) fn fold(&mut self, at: DateTime<Utc>, event: &Event) -> Result<(), Misfit> {
        self.fold_family(at, event)?;
        let (fact, inbound) = reactions::health_fact(event);
        self.record.observe(at, fact, inbound);
        if inbound {
            // They wrote again: no longer quiet.
            self.spells.change_held(|spells| spells.quiet_since = None);
        }
        Ok(())
    }

    fn fold_family(&mut self, at: DateTime<Utc>, event: &Event) -> Result<(), Misfit> {
        if self.profile.is_none() && !matches!(event, Event::Customer(_)) {
            return Err(Misfit::from("the customer is not registered"));
        }
        match event {
            Event::Customer(event) => self.fold_customer(at, event),
            Event::Response(event) => {
                let (promises, complaints, archive) =
                    (&self.promises, &self.rare.get().complaints, &self.archive);
                let known_promise =
                    |id| promises.contains_key(&id) || archive.promise(id).is_some();
                let known_complaint = |id| complaints.contains_key(&id);
                let known_interaction = |id| archive.has_interaction(id);
                let mut past = self
                    .spells
                    .get()
                    .past_wait
                    .as_deref()
                    .map_or(ResponseClock::Idle, Clone::clone);
                let state = response::InteractionsMut {
                    clock: &mut self.response,
                    conversation: &mut self.conversation,
                    past: &mut past,
                    known_interaction: &known_interaction,
                    known_promise: &known_promise,
                    known_complaint: &known_complaint,
                };
                let folded = response::fold(state, at, event);
                if past != ResponseClock::Idle || self.spells.get().past_wait.is_some() {
                    let past = (past != ResponseClock::Idle).then(|| Box::new(past));
                    self.spells.change(|spells| spells.past_wait = past);
                }
                folded?;
                // Most response events are not about cadences: the rare parts are not opened.
                if response::is_update(event) {
                    self.rare
                        .change(|parts| response::fold_update(&mut parts.updates, at, event))?;
                }
                let archived = |id| archive.promise(id).is_some();
                reactions::tell_promises(&mut self.promises, &archived, event, at)?;
                if let ResponseEvent::InteractionRecorded { interaction, .. } = event {
                    self.archive.insert(Entry::Interaction(*interaction));
                }
                Ok(())
            }
            Event::Promise(event) => {
                if let PromiseEvent::Made { promise: id, .. } = event
                    && self.archive.promise(*id).is_some()
                {
                    return Err(Misfit::exists(PromiseLifecycle::ENTITY, id));
                }
                promise::fold(&mut self.promises, at, event)?;
                // A promise's cadence lives in the parts only once armed: stopping none is no
                // change.
                self.rare.change_held(|parts| {
                    reactions::settle_promise_update(&mut parts.updates, event, at);
                });
                self.archive_promise(event.promise());
                Ok(())
            }
            Event::Complaint(event) => self.rare.change(|parts| {
                complaint::fold(&mut parts.complaints, at, event)?;
                reactions::settle_complaint_update(&mut parts.updates, event, at);
                Ok(())
            }),
            Event::FollowUp(event) => {
                if let FollowUpEvent::Scheduled {
                    complaint: Some(linked),
                    ..
                } = event
                    && !self.rare().complaints.contains_key(linked)
                {
                    return Err(Misfit::unknown("complaint", linked));
                }
                if let FollowUpEvent::Scheduled { follow_up: id, .. } = event
                    && self.archive.follow_up(*id).is_some()
                {
                    return Err(Misfit::exists(FollowUpLifecycle::ENTITY, id));
                }
                self.rare
                    .change(|parts| follow_up::fold(&mut parts.follow_ups, at, event))?;
                if let FollowUpEvent::Scheduled {
                    follow_up: id,
                    complaint: Some(linked),
                    ..
                } = event
                {
                    self.rare.change(|parts| {
                        complaint::link_follow_up(&mut parts.complaints, *linked, *id)
                    });
                }
                self.archive_follow_up(event.follow_up());
                Ok(())
            }
            Event::Survey(event) => self
                .rare
                .change(|parts| survey::fold(&mut parts.surveys, at, event)),
            Event::Health(event) => self.fold_health(at, event),
        }
    }

    /// Moves promise `id` to the archive once it is closed (kept, kept late, withdrawn).
    fn archive_promise(&mut self, id: PromiseId) {
        let Some((stage, made)) = self
            .promises
            .get(&id)
            .filter(|p| !p.is_outstanding())
            .map(|p| (p.stage(), p.terms.made_at))
        else {
            return;
        };
        // Its first fact, when it was made, moves with it (see `order.rs`).
        self.promises.remove(&id);
        self.archive.insert(Entry::Promise(id, stage, At(made)));
    }

    /// Moves follow-up `id` to the archive once it is closed (done, cancelled).
    fn archive_follow_up(&mut self, id: FollowUpId) {
        let Some(stage) = self
            .rare()
            .follow_ups
            .get(&id)
            .filter(|f| !f.is_pending())
            .map(FollowUp::stage)
        else {
            return;
        };
        self.rare.change(|parts| parts.follow_ups.remove(&id));
        self.item_facts.remove(&FactItem::FollowUp(id));
        self.archive.insert(Entry::FollowUp(id, stage));
    }

    pub(super) fn fold_customer(
        &mut self,
        at: DateTime<Utc>,
        event: &CustomerEvent,
    ) -> Result<(), Misfit> {
        if let CustomerEvent::Registered {
            name,
            tier,
            contacts,
            preferred_channel,
            owner,
        } = event
        {
            if self.profile.is_some() {
                return Err(Misfit::from("the customer is registered already"));
            }
            self.profile = Some(Profile {
                name: name.clone(),
                tier: tier.clone(),
                contacts: contacts.into(),
                preferred_channel: *preferred_channel,
                owner: *owner,
                registered_at: at,
            });
            return Ok(());
        }
        if self.profile.is_none() {
            return Err(Misfit::from("the customer is not registered"));
        }
        if let CustomerEvent::PersonalDataErased { .. } = event {
            // The count is not checked: a replayed log whose older events were shredded
            // holds less than the live state did.
            self.erase_personal();
            return Ok(());
        }
        let Some(profile) = self.profile.as_mut() else {
            return Err(Misfit::from("the customer is not registered"));
        };
        match event {
            CustomerEvent::Renamed { name } => profile.name = name.clone(),
            CustomerEvent::TierChanged { tier } => profile.tier = tier.clone(),
            CustomerEvent::ContactPointSet { channel, address } => {
                profile.contacts.insert(*channel, address.clone());
            }
            CustomerEvent::ContactPointRemoved { channel } => {
                profile.contacts.remove(channel);
            }
            CustomerEvent::PreferredChannelSet { channel } => profile.preferred_channel = *channel,
            CustomerEvent::AccountOwnerSet { owner } => profile.owner = *owner,
            CustomerEvent::Registered { .. } | CustomerEvent::PersonalDataErased { .. } => {}
        }
        Ok(())
    }

    pub(super) fn fold_health(
        &mut self,
        at: DateTime<Utc>,
        event: &HealthEvent,
    ) -> Result<(), Misfit> {
        match event {
            HealthEvent::AtRisk { .. } => {
                if self.spells.get().at_risk_since.is_some() {
                    return Err(Misfit::from("the relationship is at risk already"));
                }
                self.spells.change(|spells| spells.at_risk_since = Some(at));
            }
            HealthEvent::Recovered { .. } => {
                if self.spells.get().at_risk_since.is_none() {
                    return Err(Misfit::from("the relationship was not at risk"));
                }
                self.spells.change(|spells| spells.at_risk_since = None);
            }
            HealthEvent::GoneQuiet { .. } => {
                if self.spells.get().quiet_since.is_some() {
                    return Err(Misfit::from("the customer has gone quiet already"));
                }
                self.spells.change(|spells| spells.quiet_since = Some(at));
            }
        }
        Ok(())
    }
}
