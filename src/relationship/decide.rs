//! Deciding: commands become events (pure), and the all-or-nothing `execute`.

use std::ops::RangeInclusive;

use chrono::{DateTime, Utc};

use super::archive::{self};
use super::*;
use crate::command::{Command, Request};
use crate::complaint::{self};
use crate::complaint::{ComplaintCommand, ComplaintEvent, ReceiveComplaint};
use crate::customer::CustomerCommand;
use crate::customer::CustomerEvent;
use crate::error::CommandError;
use crate::event::{Envelope, Event};
use crate::follow_up::{self};
use crate::follow_up::{FollowUpCommand, FollowUpEvent};
use crate::lifecycle::Context;
use crate::policy::ServicePolicy;
use crate::promise::PromiseCommand;
use crate::promise::{self};
use crate::response::ResponseCommand;
use crate::response::{self};
use crate::survey::SurveyCommand;
use crate::survey::{self};
use crate::value::IdempotencyKey;

impl Relationship {
    /// Decides what `command` at `now` means: the events to store, or why not. Changes nothing.
    ///
    /// Deadlines that passed up to `now` and were not yet advanced over come first in the
    /// result, at their own instants, so the log stays in time order and no breach is lost
    /// when a late answer arrives before anyone called [`advance_to`](Self::advance_to).
    ///
    /// The policy is checked first ([`ServicePolicy::validate`]): a relationship takes its
    /// policy per call, so each decision refuses an inconsistent one rather than decide under
    /// it. ([`advance_to`](Self::advance_to) records deadlines already decided, whatever the
    /// policy; it reads only the health rules, and an inconsistent band order cannot make it
    /// fail.) A [`Ledger`](crate::Ledger) checks its policy once, when it is made.
    ///
    /// # Errors
    /// [`CommandError::Policy`] for an inconsistent policy, or a [`CommandError`] saying why the
    /// command was refused.
    ///
    /// ```
    /// # use clientele::{*, chrono::{TimeZone, Utc}};
    /// # let (policy, monday) = (ServicePolicy::default(), Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap());
    /// # let mut ona = Relationship::new(CustomerId::from_u128(1)); ona.execute(&policy, RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?), monday)?;
    /// let hello = RecordInteraction::inbound(InteractionId::from_u128(2), Channel::Email, Text::new("Hello?")?);
    /// let events = ona.decide(&policy, &hello.into(), monday)?;
    /// let kinds: Vec<_> = events.iter().map(|e| e.event.kind()).collect();
    /// assert_eq!(kinds, ["interaction_recorded", "response_clock_started"]);
    /// assert_eq!(ona.version(), 1); // nothing changed yet: store `events`, then apply them
    /// ona.apply_all(&events)?;
    /// assert_eq!(ona.version(), 3);
    /// // A refused command says why.
    /// let keep = KeepPromise::new(PromiseId::from_u128(9));
    /// assert_eq!(ona.decide(&policy, &keep.into(), monday), Err(CommandError::UnknownPromise(PromiseId::from_u128(9))));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn decide(
        &self,
        policy: &ServicePolicy,
        command: &Command,
        now: DateTime<Utc>,
    ) -> Result<Vec<Envelope>, CommandError> {
        policy.validate()?;
        self.decide_with(policy, command, None, None, now, now)
    }

    /// Decides a [`Request`]: a command with the version it expects and an idempotency key.
    /// Changes nothing.
    ///
    /// A request whose key was already used within the policy's
    /// [`idempotency_window`](ServicePolicy::idempotency_window) (24 hours by default, counted
    /// from when the first request was recorded) returns no events, whatever its command: it
    /// was decided before, and [`handled`](Self::handled) says which events it produced. The key
    /// is checked before the version, so a retry after success is not a conflict. Once the
    /// window has passed, the same key is a new request.
    ///
    /// # Errors
    /// [`CommandError::VersionConflict`] when the relationship is no longer at the expected
    /// version (someone else's events came first: reload and decide again), or what
    /// [`decide`](Self::decide) refuses (an inconsistent policy included).
    ///
    /// # Example
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use clientele::{CommandError, CustomerId, IdempotencyKey, RegisterCustomer, Relationship,
    ///     Request, ServicePolicy, Text, Tier};
    ///
    /// let policy = ServicePolicy::default();
    /// let mut ona = Relationship::new(CustomerId::from_u128(1));
    /// let now = Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap();
    /// let register = Request::new(RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?))
    ///     .expecting(0)
    ///     .idempotent(IdempotencyKey::new("signup-42")?);
    /// assert_eq!(ona.execute_request(&policy, register.clone(), now)?.len(), 1);
    /// // The client timed out and sends it again: it takes effect once.
    /// assert!(ona.execute_request(&policy, register.clone(), now)?.is_empty());
    /// assert_eq!(ona.handled(&IdempotencyKey::new("signup-42")?), Some(1..=1));
    /// // Without the key, the stale version is a conflict.
    /// let stale = Request { idempotency_key: None, ..register };
    /// assert!(matches!(
    ///     ona.decide_request(&policy, &stale, now),
    ///     Err(CommandError::VersionConflict { expected: 0, actual: 1 })
    /// ));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn decide_request(
        &self,
        policy: &ServicePolicy,
        request: &Request,
        now: DateTime<Utc>,
    ) -> Result<Vec<Envelope>, CommandError> {
        policy.validate()?;
        self.decide_with(
            policy,
            &request.command,
            request.expected_version,
            request.idempotency_key.as_ref(),
            request.occurred_at.unwrap_or(now),
            now,
        )
    }

    /// Decides a [`Request`], then applies its events.
    ///
    /// # Errors
    /// As [`decide_request`](Self::decide_request); on error nothing changed.
    ///
    /// ```
    /// # use clientele::{*, chrono::{TimeZone, Utc}};
    /// # let (policy, monday) = (ServicePolicy::default(), Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap());
    /// # let mut ona = Relationship::new(CustomerId::from_u128(1)); ona.execute(&policy, RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?), monday)?;
    /// let hello = RecordInteraction::inbound(InteractionId::from_u128(2), Channel::Email, Text::new("Hello?")?);
    /// // Two writers both read version 1; the first wins, the second must reload.
    /// let first = Request::new(hello.clone()).expecting(1);
    /// assert_eq!(ona.execute_request(&policy, first, monday)?.len(), 2); // recorded, clock started
    /// let second = Request::new(hello).expecting(1);
    /// assert!(matches!(
    ///     ona.execute_request(&policy, second, monday),
    ///     Err(CommandError::VersionConflict { expected: 1, actual: 3 })
    /// ));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn execute_request(
        &mut self,
        policy: &ServicePolicy,
        request: Request,
        now: DateTime<Utc>,
    ) -> Result<Vec<Envelope>, CommandError> {
        let envelopes = self.decide_request(policy, &request, now)?;
        self.apply_all(&envelopes)
            .map_err(CommandError::Inconsistent)?;
        self.use_health_policy(&policy.health);
        Ok(envelopes)
    }

    /// The sequence numbers of the events the latest request with `key` produced, if the key is
    /// still kept: for [`ServicePolicy::MAX_IDEMPOTENCY_WINDOW`] after that request, measured
    /// against the latest event recorded. Whether a retry is honoured is for the policy's
    /// [`idempotency_window`](ServicePolicy::idempotency_window) to say (see
    /// [`decide_request`](Self::decide_request)).
    ///
    /// ```
    /// # use clientele::{*, chrono::{TimeZone, Utc}};
    /// # let (policy, monday) = (ServicePolicy::default(), Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap());
    /// # let mut ona = Relationship::new(CustomerId::from_u128(1)); ona.execute(&policy, RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?), monday)?;
    /// let key = IdempotencyKey::new("mail-7731")?;
    /// assert_eq!(ona.handled(&key), None);
    /// let hello = RecordInteraction::inbound(InteractionId::from_u128(2), Channel::Email, Text::new("Hello?")?);
    /// ona.execute_request(&policy, Request::new(hello).idempotent(key.clone()), monday)?;
    /// assert_eq!(ona.handled(&key), Some(2..=3)); // events 2 and 3 came from it
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn handled(&self, key: &IdempotencyKey) -> Option<RangeInclusive<u64>> {
        self.rare().keys.find(key).map(|k| k.first..=k.last)
    }

    /// Decides `command`, which happened at `occurred` and is recorded at `now`.
    pub(crate) fn decide_with(
        &self,
        policy: &ServicePolicy,
        command: &Command,
        expected_version: Option<u64>,
        key: Option<&IdempotencyKey>,
        occurred: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<Vec<Envelope>, CommandError> {
        if !self.admits(policy, command, expected_version, key, (occurred, now))? {
            return Ok(Vec::new());
        }
        // Work on a copy: what `record` applies is thrown away with it.
        let mut ahead = self.clone();
        let mut envelopes = Vec::new();
        ahead.record(policy, command, key, (occurred, now), &mut envelopes)?;
        Ok(envelopes)
    }

    /// Whether a request is to be decided: `false` for a retry whose key is still honoured;
    /// refused for a stale version or times out of order.
    pub(crate) fn admits(
        &self,
        policy: &ServicePolicy,
        command: &Command,
        expected_version: Option<u64>,
        key: Option<&IdempotencyKey>,
        (occurred, now): (DateTime<Utc>, DateTime<Utc>),
    ) -> Result<bool, CommandError> {
        if key.is_some_and(|key| {
            self.rare()
                .keys
                .find(key)
                .is_some_and(|k| k.honoured(policy.idempotency_window, now))
        }) {
            return Ok(false);
        }
        if let Some(expected) = expected_version
            && expected != self.version
        {
            return Err(CommandError::VersionConflict {
                expected,
                actual: self.version,
            });
        }
        self.check_times(command, occurred, now)?;
        Ok(true)
    }

    /// Records an admitted `command` in place, each envelope applied and pushed to `out` as it
    /// is: deadlines due before the fact happened first, then the command as of when it
    /// happened, then (for a fact reported late) the deadlines that fell due since, then what
    /// the result does to the relationship's health. On error, what `out` holds was applied
    /// (the deadlines up to when the fact happened, and for a fact of several instants the
    /// instants before the one refused); [`decide_with`](Self::decide_with) throws it away
    /// with its copy.
    pub(crate) fn record(
        &mut self,
        policy: &ServicePolicy,
        command: &Command,
        key: Option<&IdempotencyKey>,
        (occurred, now): (DateTime<Utc>, DateTime<Utc>),
        out: &mut Vec<Envelope>,
    ) -> Result<(), CommandError> {
        let last_at = self.last_at;
        out.extend(self.advance_to(policy, occurred));
        let primary = self.decide_events(policy, command, occurred)?;
        // Events of one instant together, each group with its reactions, dated at its instant.
        for (at, group) in by_instant(primary) {
            let events = reactions::follow(self, policy, command, group, at)?;
            let recorded = (now > at).then_some(now);
            for envelope in self.seal_keyed(at, recorded, events, key) {
                self.apply(&envelope).map_err(CommandError::Inconsistent)?;
                out.push(envelope);
            }
        }
        if occurred < now {
            // A fact reported late moves the band at the instant it happened, unless something
            // later was recorded already: band events recorded since are never rewritten, so
            // the fact's effect on the band is then recorded when it is recorded (below).
            if last_at.is_none_or(|last| occurred >= last) {
                for envelope in self.seal(occurred, self.health_change(policy, occurred)) {
                    self.apply(&envelope).map_err(CommandError::Inconsistent)?;
                    out.push(envelope);
                }
            }
            out.extend(self.advance_to(policy, now));
        }
        for envelope in self.seal(now, self.health_change(policy, now)) {
            self.apply(&envelope).map_err(CommandError::Inconsistent)?;
            out.push(envelope);
        }
        Ok(())
    }

    /// Refuses a recording time earlier than the last one, a fact dated after its recording
    /// time or before registration, and a late fact dated before its item's own latest fact.
    fn check_times(
        &self,
        command: &Command,
        occurred: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<(), CommandError> {
        let registered = self.profile.as_ref().map(|p| p.registered_at);
        if let Some(last_seen) = self.last_at
            && now < last_seen
        {
            if let Some(registered) = registered
                && now < registered
            {
                return Err(CommandError::BeforeRegistration { now, registered });
            }
            return Err(CommandError::TimeWentBackwards { now, last_seen });
        }
        if occurred > now {
            return Err(CommandError::AfterRecording { occurred, now });
        }
        if let Some(registered) = registered
            && occurred < registered
        {
            return Err(CommandError::BeforeRegistration {
                now: occurred,
                registered,
            });
        }
        self.check_item_order(command, occurred)?;
        Ok(())
    }

    /// Decides, then applies: for callers that do not persist before applying.
    ///
    /// # Errors
    /// As [`decide`](Self::decide); on error nothing changed.
    ///
    /// ```
    /// # use clientele::{*, chrono::{TimeZone, Utc}};
    /// # let (policy, monday) = (ServicePolicy::default(), Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap());
    /// let mut ona = Relationship::new(CustomerId::from_u128(1));
    /// let events = ona.execute(&policy, RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?), monday)?;
    /// assert_eq!(events[0].event.kind(), "customer_registered");
    /// assert_eq!(ona.version(), 1); // applied already
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn execute(
        &mut self,
        policy: &ServicePolicy,
        command: impl Into<Command>,
        now: DateTime<Utc>,
    ) -> Result<Vec<Envelope>, CommandError> {
        let envelopes = self.decide(policy, &command.into(), now)?;
        self.apply_all(&envelopes)
            .map_err(CommandError::Inconsistent)?;
        self.use_health_policy(&policy.health);
        Ok(envelopes)
    }

    /// The primary events of `command` decided at `now`, each with when it happened (`now`,
    /// but for the facts a late interaction brings with it).
    pub(super) fn decide_events(
        &self,
        policy: &ServicePolicy,
        command: &Command,
        now: DateTime<Utc>,
    ) -> Result<Vec<(DateTime<Utc>, Event)>, CommandError> {
        let profile = match (command, &self.profile) {
            (Command::Customer(CustomerCommand::Register(register)), None) => {
                if let Some(owner) = register.owner {
                    policy.check_agent(owner)?;
                }
                let registered = crate::customer::registered(register);
                return Ok(vec![(now, Event::Customer(registered))]);
            }
            (Command::Customer(CustomerCommand::Register(_)), Some(_)) => {
                return Err(CommandError::AlreadyRegistered(self.customer));
            }
            (_, None) => return Err(CommandError::UnknownCustomer(self.customer)),
            (_, Some(profile)) => profile,
        };
        if now < profile.registered_at {
            return Err(CommandError::BeforeRegistration {
                now,
                registered: profile.registered_at,
            });
        }
        let ctx = Context {
            policy,
            now,
            tier: &profile.tier,
            account_owner: profile.owner,
        };
        let events = match command {
            Command::Customer(CustomerCommand::Register(_)) => {
                Err(CommandError::AlreadyRegistered(self.customer))
            }
            Command::Customer(CustomerCommand::UpdateProfile(update)) => {
                if let Some(Some(owner)) = update.owner {
                    policy.check_agent(owner)?;
                }
                crate::customer::profile_updates(profile, update)
                    .map(|events| events.into_iter().map(Event::Customer).collect())
            }
            Command::Response(ResponseCommand::RecordInteraction(record)) => {
                return self.interaction_events(&ctx, record);
            }
            Command::Promise(command) => {
                if let PromiseCommand::Make(make) = command
                    && let Some(linked) = make.complaint
                    && !self.rare().complaints.contains_key(&linked)
                {
                    return Err(CommandError::UnknownComplaint(linked));
                }
                let known_interaction = |id| self.archive.has_interaction(id);
                let id = promise_of(command);
                let events = match self.archive.promise(id) {
                    Some(_) if matches!(command, PromiseCommand::Make(_)) => {
                        return Err(CommandError::DuplicatePromise(id));
                    }
                    // A closed promise refuses by its stage, as the family decides.
                    Some(stage) => {
                        let closed = archive::closed_promise(id, stage);
                        promise::decide(&ctx, &closed, &known_interaction, command)?
                    }
                    None => promise::decide(&ctx, &self.promises, &known_interaction, command)?,
                };
                Ok(events.into_iter().map(Event::Promise).collect())
            }
            Command::Complaint(command) => self
                .complaint_events(command, &ctx)
                .map(|events| events.into_iter().map(Event::Complaint).collect()),
            Command::FollowUp(command) => self
                .follow_up_events(command, &ctx)
                .map(|events| events.into_iter().map(Event::FollowUp).collect()),
            Command::Survey(SurveyCommand::Request(request)) => {
                let resolution = |id| complaint::surveyable(&self.rare().complaints, id);
                survey::request(&self.rare().surveys, request, resolution)
                    .map(|events| events.into_iter().map(Event::Survey).collect())
            }
            Command::Survey(SurveyCommand::Answer(answer)) => {
                survey::answer(&self.rare().surveys, answer)
                    .map(|events| events.into_iter().map(Event::Survey).collect())
            }
            Command::Customer(CustomerCommand::ErasePersonalData(_)) => {
                Ok(vec![Event::Customer(CustomerEvent::PersonalDataErased {
                    fields: self.personal_data_held(),
                })])
            }
        }?;
        Ok(events.into_iter().map(|event| (now, event)).collect())
    }

    /// The events recording an interaction becomes, each with when it happened.
    fn interaction_events(
        &self,
        ctx: &Context<'_>,
        record: &crate::response::RecordInteraction,
    ) -> Result<Vec<(DateTime<Utc>, Event)>, CommandError> {
        let known_promise = |id| self.knows_promise(id);
        let known_complaint = |id| self.rare().complaints.contains_key(&id);
        let known_interaction = |id| self.archive.has_interaction(id);
        let state = response::Interactions {
            clock: &self.response,
            answered: self.conversation.stopped(),
            conversation: &self.conversation,
            known_interaction: &known_interaction,
            known_promise: &known_promise,
            known_complaint: &known_complaint,
        };
        let events = response::record(ctx, &state, record)?;
        Ok(events
            .into_iter()
            .map(|(at, event)| (at, Event::Response(event)))
            .collect())
    }

    /// The follow-up family's events for a follow-up command; a closed (archived) follow-up
    /// refuses by its stage, as the family decides.
    fn follow_up_events(
        &self,
        command: &FollowUpCommand,
        ctx: &Context<'_>,
    ) -> Result<Vec<FollowUpEvent>, CommandError> {
        let id = match command {
            FollowUpCommand::Schedule(schedule) => {
                if self.archive.follow_up(schedule.follow_up).is_some() {
                    return Err(CommandError::DuplicateFollowUp(schedule.follow_up));
                }
                let known = |id| self.rare().complaints.contains_key(&id);
                return follow_up::schedule(&self.rare().follow_ups, schedule, known, ctx);
            }
            FollowUpCommand::Complete(complete) => complete.follow_up,
            FollowUpCommand::Cancel(cancel) => cancel.follow_up,
        };
        let closed = self
            .archive
            .follow_up(id)
            .map(|stage| archive::closed_follow_up(id, stage));
        let follow_ups = closed.as_ref().unwrap_or(&self.rare().follow_ups);
        match command {
            FollowUpCommand::Complete(complete) => follow_up::complete(follow_ups, complete, ctx),
            FollowUpCommand::Cancel(cancel) => follow_up::cancel(follow_ups, cancel),
            FollowUpCommand::Schedule(_) => Ok(Vec::new()),
        }
    }

    /// Whether promise `id` was made here (open, or closed and archived).
    pub(super) fn knows_promise(&self, id: PromiseId) -> bool {
        self.promises.contains_key(&id) || self.archive.promise(id).is_some()
    }

    /// The complaint family's events for a complaint command (its reactions come after).
    pub(super) fn complaint_events(
        &self,
        command: &ComplaintCommand,
        ctx: &Context<'_>,
    ) -> Result<Vec<ComplaintEvent>, CommandError> {
        let complaints = &self.rare().complaints;
        match command {
            ComplaintCommand::Receive(receive) => {
                complaint::receive(complaints, receive, |r| self.known_links(r), ctx)
            }
            ComplaintCommand::Acknowledge(ack) => complaint::acknowledge(complaints, ack, ctx),
            ComplaintCommand::Assign(assign) => complaint::assign(complaints, assign, ctx),
            ComplaintCommand::Route(route) => complaint::route(complaints, route, ctx),
            ComplaintCommand::RequestEscalation(request) => {
                complaint::request_escalation(complaints, request, ctx)
            }
            ComplaintCommand::Escalate(escalate) => complaint::escalate(complaints, escalate, ctx),
            ComplaintCommand::Deescalate(deescalate) => {
                complaint::deescalate(complaints, deescalate, ctx)
            }
            ComplaintCommand::AwaitCustomer(wait) => {
                complaint::await_customer(complaints, wait, ctx)
            }
            ComplaintCommand::Resume(resume) => complaint::resume(complaints, resume, ctx),
            ComplaintCommand::Resolve(resolve) => complaint::resolve(complaints, resolve, ctx),
            ComplaintCommand::Close(close) => complaint::close(complaints, close),
            ComplaintCommand::CloseUnresolved(close) => {
                complaint::close_unresolved(complaints, close, ctx)
            }
            ComplaintCommand::AwaitOutsideParty(wait) => {
                complaint::await_party(complaints, wait, ctx)
            }
            ComplaintCommand::EndOutsideWait(end) => complaint::end_wait(complaints, end, ctx),
            ComplaintCommand::Reopen(reopen) => complaint::reopen(complaints, reopen, ctx),
            ComplaintCommand::Reprioritise(change) => {
                complaint::reprioritise(complaints, change, ctx)
            }
        }
    }

    /// The interactions and promises a new complaint names must be known.
    fn known_links(&self, receive: &ReceiveComplaint) -> Result<(), CommandError> {
        if let Some(unknown) = receive
            .interactions
            .iter()
            .find(|id| !self.archive.has_interaction(**id))
        {
            return Err(CommandError::UnknownInteraction(*unknown));
        }
        if let Some(unknown) = receive.promises.iter().find(|id| !self.knows_promise(**id)) {
            return Err(CommandError::UnknownPromise(*unknown));
        }
        Ok(())
    }
}

/// The promise a promise command is about.
const fn promise_of(command: &PromiseCommand) -> PromiseId {
    match command {
        PromiseCommand::Make(make) => make.promise,
        PromiseCommand::Revise(revise) => revise.promise,
        PromiseCommand::Keep(keep) => keep.promise,
        PromiseCommand::Withdraw(withdraw) => withdraw.promise,
        PromiseCommand::RecordDependency(record) => record.promise,
        PromiseCommand::MeetDependency(meet) => meet.promise,
    }
}

/// Consecutive events of the same instant, grouped, in order.
fn by_instant(events: Vec<(DateTime<Utc>, Event)>) -> Vec<(DateTime<Utc>, Vec<Event>)> {
    let mut groups: Vec<(DateTime<Utc>, Vec<Event>)> = Vec::new();
    for (at, event) in events {
        match groups.last_mut() {
            Some((last, group)) if *last == at => group.push(event),
            Some(_) | None => groups.push((at, vec![event])),
        }
    }
    groups
}
