//! Time: deadlines falling due, the next deadline, and the level view (flags).

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};

use super::*;
use crate::complaint::{self};
use crate::error::ViewError;
use crate::event::{Envelope, Event};
use crate::flag::{Deadline, Flag, FlagKind, Regarding, Subject, Timer};
use crate::follow_up::{self};
use crate::health::HealthEvent;
use crate::health::{self};
use crate::id::ComplaintId;
use crate::policy::ServicePolicy;
use crate::promise::{self};
use crate::response::{self};

impl Relationship {
    /// Turns every deadline up to `now` into an event, applies it, and returns the events in
    /// time order. Each event is dated at its deadline (and, when a fact reported late was
    /// recorded after that deadline, carries the latest recording time as
    /// [`recorded`](crate::Envelope::recorded)). After each deadline, a change of health
    /// band into or out of "at risk" is recorded too (`RelationshipAtRisk`,
    /// `RelationshipRecovered`), and the customer going quiet (`relationship_gone_quiet`, at
    /// the instant their silence became long enough). Calling it again, or with an earlier `now`, does nothing.
    ///
    /// # Cost
    /// A relationship of more than 16 items is looked over once to file what is due, then
    /// costs O(log n) per deadline fired (plus the open complaints, which health scores after
    /// each deadline): a backlog of 100,000 deadlines costs in proportion to itself, not to its
    /// square. A smaller one is scanned after each firing, which is cheaper at that size.
    ///
    /// # Bounds
    /// Every firing retires a deadline or moves it to a later timer; firing is bounded by a
    /// budget proportional to the items held (each item has at most five timers), and a firing
    /// that leaves its deadline where it was stops the call. Hostile state cannot make it loop.
    ///
    /// ```
    /// # use clientele::{*, chrono::{TimeDelta, TimeZone, Utc}};
    /// # let (policy, monday) = (ServicePolicy::default(), Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap());
    /// # let mut ona = Relationship::new(CustomerId::from_u128(1)); ona.execute(&policy, RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?), monday)?;
    /// let hello = RecordInteraction::inbound(InteractionId::from_u128(2), Channel::Email, Text::new("Hello?")?);
    /// ona.execute(&policy, hello, monday)?;
    /// // Nobody answers; the service wakes the next morning.
    /// let events = ona.advance_to(&policy, monday + TimeDelta::days(1));
    /// let kinds: Vec<_> = events.iter().map(|e| e.event.kind()).collect();
    /// assert_eq!(kinds[..2], ["response_at_risk", "response_overdue"]);
    /// // Each is dated at its own deadline (8 h target, warned at 80 %), not at the wake-up.
    /// assert_eq!(events[1].at, monday + TimeDelta::hours(8));
    /// assert!(ona.advance_to(&policy, monday + TimeDelta::days(1)).is_empty()); // once only
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn advance_to(&mut self, policy: &ServicePolicy, now: DateTime<Utc>) -> Vec<Envelope> {
        self.advance_under(&policy.health, now)
    }

    /// [`advance_to`](Self::advance_to) under the health rules `rules`: the rest of a service
    /// policy plays no part in what time alone records.
    fn advance_under(&mut self, rules: &health::HealthPolicy, now: DateTime<Utc>) -> Vec<Envelope> {
        self.use_health_policy(rules);
        let mut due = Due::collect(self, now);
        // At least an event per deadline filed: room made once, not grown by copies.
        let mut out = Vec::with_capacity(due.filed());
        // Health's count of the promises, made once on the first review of a filed call.
        let mut tally: Option<super::PromiseTally> = None;
        let mut budget = self.firing_budget();
        // Band changes are looked for from here on: the latest recording time, then each
        // instant whose deadlines have all fired.
        let mut reviewed = self.last_at;
        while budget > 0 {
            budget -= 1;
            // A band change before the next deadline (or by `now`) is recorded first, at its
            // instant: a fact leaving the window, decay, a customer gone quiet, or the
            // deadlines of the instant just fired.
            let next = due.peek(self, now).map(|d| d.at);
            if let Some(from) = reviewed {
                let open = match due {
                    Due::Scan => self.open_items(from),
                    Due::Filed(_) => {
                        let tally = tally.get_or_insert_with(|| self.promise_tally());
                        self.open_items_tallied(tally, from)
                    }
                };
                if let Some((at, change)) =
                    self.band_review(rules, open, from, next.map_or((now, true), |n| (n, false)))
                    && let Some(envelope) = self.seal(at, vec![Event::Health(change)]).pop()
                    && self.apply(&envelope).is_ok()
                {
                    out.push(envelope);
                    reviewed = Some(at);
                    continue;
                }
            }
            let Some(deadline) = due.next(self, now) else {
                break;
            };
            let events = self.fire(&deadline);
            if events.is_empty() {
                break;
            }
            // Dated at the deadline; when facts reported late were recorded after it, `seal`
            // records it at the latest recording time.
            let at = deadline.at;
            // The subjects the firing can move: its own, the complaint a broken promise
            // escalates, and the response clock. Unfiled now, filed again once applied.
            let touched = match due {
                Due::Scan => Vec::new(),
                Due::Filed(_) => self.touched_by(&deadline),
            };
            due.unfile(self, &touched);
            // Applied in place, one by one: `apply` is all-or-nothing per event, and every event
            // that applied is returned, so a fact is never applied without being handed over.
            let count = events.len();
            let mut fired = 0;
            // The complaints the firing moves are weighed again once it applied (health's
            // count of them is kept, not recounted per deadline).
            let moved: Vec<ComplaintId> = events
                .iter()
                .filter_map(|event| match event {
                    Event::Complaint(event) => Some(event.complaint()),
                    Event::Customer(_)
                    | Event::Response(_)
                    | Event::Promise(_)
                    | Event::FollowUp(_)
                    | Event::Survey(_)
                    | Event::Health(_) => None,
                })
                .collect();
            if let Some(tally) = tally.as_mut() {
                for id in &moved {
                    tally.complaints = tally.complaints.saturating_sub(self.complaint_weight(*id));
                }
            }
            for envelope in self.seal(at, events) {
                if self.apply(&envelope).is_err() {
                    break;
                }
                out.push(envelope);
                fired += 1;
            }
            due.file(self, &touched, now);
            if let Some(tally) = tally.as_mut() {
                for id in &moved {
                    tally.complaints = tally.complaints.saturating_add(self.complaint_weight(*id));
                }
            }
            if fired < count || self.deadlines_of(deadline.subject()).contains(&deadline) {
                // An engine defect (an event that does not apply, or a firing that does not
                // move its deadline): stop rather than fire on from a state we did not foresee.
                break;
            }
            reviewed = Some(at);
        }
        // At rest: what the firings archived at its exact size.
        self.trim();
        out
    }

    /// The events [`advance_to`](Self::advance_to) would record by `now`, without changing
    /// anything: the deadlines that fall due by `now` (and the health band changes among
    /// them), sealed as envelopes with their sequence numbers. Store them, then fold them in
    /// with [`apply_all`](Self::apply_all): the state is then what `advance_to` leaves
    /// (`tests/persist_first.rs` checks it by property).
    ///
    /// # Cost
    /// One clone of the relationship, then as [`advance_to`](Self::advance_to).
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use clientele::{Channel, CustomerId, InteractionId, RecordInteraction, RegisterCustomer,
    ///     Relationship, ServicePolicy, Text, Tier};
    ///
    /// let policy = ServicePolicy::default();
    /// let mut ona = Relationship::new(CustomerId::from_u128(1));
    /// let monday = Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap();
    /// ona.execute(&policy, RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?), monday)?;
    /// let hello = RecordInteraction::inbound(InteractionId::from_u128(10), Channel::Email, Text::new("Hello?")?);
    /// ona.execute(&policy, hello, monday)?;
    /// let wake = ona.next_deadline().expect("the customer is waiting").at;
    /// let stored = ona.version();
    /// let due = ona.due_by(&policy, wake);
    /// assert_eq!(due.len(), 1);
    /// assert_eq!(ona.version(), stored); // nothing changed yet
    /// // Store `due` first; then fold it in.
    /// ona.apply_all(&due)?;
    /// assert_eq!(ona.version(), stored + 1);
    /// assert!(ona.due_by(&policy, wake).is_empty());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn due_by(&self, policy: &ServicePolicy, now: DateTime<Utc>) -> Vec<Envelope> {
        self.clone().advance_to(policy, now)
    }

    /// The first instant in `[from, until)` (`[from, until]` when `inclusive`) at which the
    /// customer goes quiet or the band moves into or out of "at risk" with no new fact, and the
    /// event it becomes (going quiet first: the band may follow at the same instant). `open`
    /// are the open items, which change only at deadlines, so stay as they are until `until`.
    fn band_review(
        &self,
        rules: &health::HealthPolicy,
        open: health::OpenItems,
        from: DateTime<Utc>,
        (until, inclusive): (DateTime<Utc>, bool),
    ) -> Option<(DateTime<Utc>, HealthEvent)> {
        self.profile.as_ref()?;
        let spells = self.spells.get();
        let bands = (spells.at_risk_since.is_some(), spells.quiet_since.is_some());
        health::review(rules, open, &self.record, (from, (until, inclusive)), bands)
    }

    /// At most how many deadlines one `advance_to` fires: seven timers per item (a complaint's
    /// four clock timers, its escalation threshold and its update cadence's two; fewer for the
    /// other families), plus the response clock, with room to spare.
    fn firing_budget(&self) -> usize {
        let items = self
            .promises
            .len()
            .saturating_add(self.rare().complaints.in_play_count())
            .saturating_add(self.rare().follow_ups.len())
            .saturating_add(1);
        items.saturating_mul(8)
    }

    /// The subjects whose deadline firing `deadline` can move.
    fn touched_by(&self, deadline: &Deadline) -> Vec<Subject> {
        let mut touched = vec![deadline.subject()];
        if let Timer::Promise { promise, .. } = deadline.timer
            && let Some(complaint) = self
                .promises
                .get(&promise)
                .and_then(|p| p.terms.complaint())
        {
            touched.push(Subject::Complaint(complaint));
        }
        if let Some((_, _, since)) = response::deadline(&self.response) {
            touched.push(Subject::Response(since));
        }
        touched
    }

    /// The current deadlines of one subject: its own clock's, and its update cadence's.
    fn deadlines_of(&self, subject: Subject) -> Vec<Deadline> {
        let customer = self.customer;
        let own = match subject {
            Subject::Response(_) => response::deadline(&self.response)
                .map(|(at, timer, since)| (at, Timer::Response { since, timer })),
            Subject::Promise(promise) => self
                .promises
                .get(&promise)
                .and_then(promise::deadline)
                .map(|(at, timer)| (at, Timer::Promise { promise, timer })),
            Subject::Complaint(complaint) => self
                .rare()
                .complaints
                .get(&complaint)
                .and_then(complaint::deadline)
                .map(|(at, timer)| (at, Timer::Complaint { complaint, timer })),
            Subject::FollowUp(follow_up) => self
                .rare()
                .follow_ups
                .get(&follow_up)
                .and_then(follow_up::deadline)
                .map(|at| (at, Timer::FollowUp { follow_up })),
            Subject::Relationship => None,
        };
        let about = match subject {
            Subject::Complaint(complaint) => Some(Regarding::Complaint(complaint)),
            Subject::Promise(promise) => Some(Regarding::Promise(promise)),
            Subject::Response(_) | Subject::FollowUp(_) | Subject::Relationship => None,
        };
        let update = about.and_then(|about| {
            let (at, timer) = response::update_deadline(self.rare().updates.get(&about)?)?;
            Some((at, Timer::Update { about, timer }))
        });
        own.into_iter()
            .chain(update)
            .map(|(at, timer)| Deadline {
                at,
                customer,
                timer,
            })
            .collect()
    }

    /// Every deadline of the relationship, one per subject with a clock running.
    pub(super) fn deadlines(&self) -> impl Iterator<Item = Deadline> + '_ {
        let customer = self.customer;
        let response = response::deadline(&self.response).map(|(at, timer, since)| Deadline {
            at,
            customer,
            timer: Timer::Response { since, timer },
        });
        let promises = self.promises.iter().filter_map(move |(id, p)| {
            promise::deadline(p).map(|(at, timer)| Deadline {
                at,
                customer,
                timer: Timer::Promise {
                    promise: *id,
                    timer,
                },
            })
        });
        let complaints = self.rare().complaints.in_play().filter_map(move |(id, c)| {
            complaint::deadline(c).map(|(at, timer)| Deadline {
                at,
                customer,
                timer: Timer::Complaint {
                    complaint: *id,
                    timer,
                },
            })
        });
        let follow_ups = self.rare().follow_ups.iter().filter_map(move |(id, f)| {
            follow_up::deadline(f).map(|at| Deadline {
                at,
                customer,
                timer: Timer::FollowUp { follow_up: *id },
            })
        });
        let updates = self
            .rare()
            .updates
            .iter()
            .filter_map(move |(about, clock)| {
                response::update_deadline(clock).map(|(at, timer)| Deadline {
                    at,
                    customer,
                    timer: Timer::Update {
                        about: *about,
                        timer,
                    },
                })
            });
        response
            .into_iter()
            .chain(promises)
            .chain(complaints)
            .chain(follow_ups)
            .chain(updates)
    }

    /// The events the customer going quiet and a move into or out of the at-risk band at
    /// `at` become, if any, in that order.
    pub(super) fn health_change(&self, policy: &ServicePolicy, at: DateTime<Utc>) -> Vec<Event> {
        if self.profile.is_none() {
            return Vec::new();
        }
        let rules = &policy.health;
        let spells = self.spells.get();
        let quiet = health::gone_quiet(rules, &self.record, at, spells.quiet_since.is_some());
        let band = health::band_change(
            rules,
            self.open_items(at),
            &self.record,
            at,
            spells.at_risk_since.is_some(),
        );
        quiet.into_iter().chain(band).map(Event::Health).collect()
    }

    /// The earliest moment something becomes due, or `None` when nothing is pending: a
    /// family's clock, or the instant the customer goes quiet or the health band moves into
    /// or out of "at risk" with no new fact
    /// ([`DeadlineKind::HealthReview`](crate::DeadlineKind::HealthReview): a fact leaving the
    /// window, decay, a customer gone quiet), scored under the health rules the
    /// relationship was last scored under (see [`use_health_policy`](Self::use_health_policy)).
    ///
    /// ```
    /// # use clientele::{*, chrono::{TimeDelta, TimeZone, Utc}};
    /// # let (policy, monday) = (ServicePolicy::default(), Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap());
    /// # let mut ona = Relationship::new(CustomerId::from_u128(1)); ona.execute(&policy, RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?), monday)?;
    /// assert_eq!(ona.next_deadline(), None); // nothing pending
    /// let hello = RecordInteraction::inbound(InteractionId::from_u128(2), Channel::Email, Text::new("Hello?")?);
    /// ona.execute(&policy, hello, monday)?;
    /// let deadline = ona.next_deadline().ok_or("the customer waits")?;
    /// assert_eq!(deadline.kind(), DeadlineKind::ResponseWarning);
    /// assert_eq!(deadline.at, monday + TimeDelta::minutes(384)); // 80 % of 8 h
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn next_deadline(&self) -> Option<Deadline> {
        let family = self.family_deadline();
        let from = self.last_at?;
        let until = family.map_or((DateTime::<Utc>::MAX_UTC, true), |d| (d.at, false));
        let review = self
            .band_review(self.rules.get(), self.open_items(from), from, until)
            .map(|(at, _)| Deadline {
                at,
                customer: self.customer,
                timer: Timer::Health,
            });
        review.or(family)
    }

    /// Whether `saved` can be what [`next_deadline`](Self::next_deadline) returns, checked
    /// without scoring health: the earliest clock deadline, or a health review instant from the
    /// last recording time up to it. A saved deadline that fails is worked out again.
    pub(crate) fn may_be_next(&self, saved: Option<DateTime<Utc>>) -> bool {
        let family = self.family_deadline().map(|d| d.at);
        match saved {
            None => family.is_none(),
            Some(at) => {
                self.last_at.is_some_and(|from| from <= at) && family.is_none_or(|due| at <= due)
            }
        }
    }

    /// The earliest deadline of a family's clock.
    pub(super) fn family_deadline(&self) -> Option<Deadline> {
        self.deadlines().min()
    }

    /// What needs attention at `now`, whether or not [`advance_to`](Self::advance_to) has run:
    /// the same flags, with the same `since` and `due`, either way. A flag's `since` is when
    /// what it says became true (a promise at risk since its warning instant or its
    /// dependency's missed date, whichever came first), never when `advance_to` ran. The
    /// relationship-at-risk flag stands from the instant the band moved (scored under the
    /// health rules the relationship was last scored under, see
    /// [`use_health_policy`](Self::use_health_policy)).
    ///
    /// A `now` earlier than the latest recorded fact has no true answer from the current state
    /// (what stood then may have changed since): `flags` answers for the latest fact's instant
    /// instead, as if asked then. Use [`try_flags`](Self::try_flags) to have such a `now`
    /// refused.
    ///
    /// ```
    /// # use clientele::{*, chrono::{TimeDelta, TimeZone, Utc}};
    /// # let (policy, monday) = (ServicePolicy::default(), Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap());
    /// # let mut ona = Relationship::new(CustomerId::from_u128(1)); ona.execute(&policy, RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?), monday)?;
    /// let hello = RecordInteraction::inbound(InteractionId::from_u128(2), Channel::Email, Text::new("Hello?")?);
    /// ona.execute(&policy, hello, monday)?;
    /// let evening = monday + TimeDelta::hours(10);
    /// let flags = ona.flags(evening); // advance_to has not run: the same answer
    /// assert_eq!(flags[0].kind, FlagKind::ResponseOverdue);
    /// assert_eq!(flags[0].since, monday + TimeDelta::hours(8)); // overdue since the deadline
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn flags(&self, now: DateTime<Utc>) -> Vec<Flag> {
        self.flags_by(now, self.next_at())
    }

    /// [`flags`](Self::flags), with the instant of the next deadline known to the caller (see
    /// [`health_since_by`](Self::health_since_by)).
    pub(crate) fn flags_by(&self, now: DateTime<Utc>, next: Option<DateTime<Utc>>) -> Vec<Flag> {
        self.flags_at(self.last_at.map_or(now, |last| last.max(now)), next)
    }

    /// [`flags`](Self::flags), refusing a `now` earlier than the latest recorded fact rather
    /// than answering for that fact's instant.
    ///
    /// # Errors
    /// [`ViewError::BeforeLatestFact`] when `now` is before the latest fact recorded.
    ///
    /// ```
    /// use chrono::{TimeDelta, TimeZone, Utc};
    /// use clientele::error::ViewError;
    /// use clientele::{CustomerId, RegisterCustomer, Relationship, ServicePolicy, Text, Tier};
    ///
    /// let policy = ServicePolicy::default();
    /// let mut ona = Relationship::new(CustomerId::from_u128(1));
    /// let monday = Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap();
    /// ona.execute(&policy, RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?), monday)?;
    /// assert!(ona.try_flags(monday)?.is_empty());
    /// let earlier = monday - TimeDelta::hours(1);
    /// assert_eq!(
    ///     ona.try_flags(earlier),
    ///     Err(ViewError::BeforeLatestFact { now: earlier, latest: monday })
    /// );
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn try_flags(&self, now: DateTime<Utc>) -> Result<Vec<Flag>, ViewError> {
        match self.last_at {
            Some(latest) if now < latest => Err(ViewError::BeforeLatestFact { now, latest }),
            Some(_) | None => Ok(self.flags_at(now, self.next_at())),
        }
    }

    /// Since when the relationship is at risk and since when the customer is quiet at `now`,
    /// with the health changes due by `now` taken as recorded (under the health rules last
    /// scored under): the same whether or not `advance_to` ran.
    /// `next` is the instant of [`next_deadline`](Self::next_deadline), when the caller knows
    /// it (a ledger files each customer under it): nothing is due by `now` before it.
    fn health_since_by(
        &self,
        now: DateTime<Utc>,
        next: Option<DateTime<Utc>>,
    ) -> (Option<DateTime<Utc>>, Option<DateTime<Utc>>) {
        if next.is_none_or(|at| at > now) {
            let spells = self.spells.get();
            return (spells.at_risk_since, spells.quiet_since);
        }
        let mut advanced = self.clone();
        advanced.advance_under(self.rules.get(), now);
        let spells = advanced.spells.get();
        (spells.at_risk_since, spells.quiet_since)
    }

    /// The instant of [`next_deadline`](Self::next_deadline).
    pub(crate) fn next_at(&self) -> Option<DateTime<Utc>> {
        self.next_deadline().map(|d| d.at)
    }

    /// The flags at `now`, at or after the latest recorded fact; `next`: the instant of the
    /// next deadline (see [`health_since_by`](Self::health_since_by)).
    fn flags_at(&self, now: DateTime<Utc>, next: Option<DateTime<Utc>>) -> Vec<Flag> {
        let mut flags = Vec::new();
        let owner = self.profile.as_ref().and_then(|p| p.owner);
        if let Some((kind, since, wait)) = response::flag(&self.response, now) {
            flags.push(Flag {
                kind,
                customer: self.customer,
                subject: Subject::Response(wait.since),
                owner,
                since,
                due: wait.due,
                team: None,
            });
        }
        for (id, promise) in self.promises.iter() {
            for (kind, since) in promise::flags(promise, now) {
                flags.push(Flag {
                    kind,
                    customer: self.customer,
                    subject: Subject::Promise(*id),
                    owner: Some(promise.terms.owner),
                    since,
                    due: Some(promise.terms.due),
                    team: None,
                });
            }
        }
        for (id, c) in self.rare().complaints.iter() {
            let broken_again = promise::breaks_again(&self.promises, *id, &c.promises, now);
            for (kind, since, due) in complaint::flags(c, now, broken_again) {
                flags.push(Flag {
                    kind,
                    customer: self.customer,
                    subject: Subject::Complaint(*id),
                    owner: c.owner.or(owner),
                    since,
                    due,
                    team: c.team,
                });
            }
        }
        let (at_risk, quiet) = self.health_since_by(now, next);
        let relationship_flags = [
            (FlagKind::RelationshipAtRisk, at_risk),
            (FlagKind::GoneQuiet, quiet),
        ];
        for (kind, since) in relationship_flags {
            if let Some(since) = since {
                flags.push(Flag {
                    kind,
                    customer: self.customer,
                    subject: Subject::Relationship,
                    owner,
                    since,
                    due: None,
                    team: None,
                });
            }
        }
        flags.extend(self.update_flags(now, owner));
        for (id, f) in self.rare().follow_ups.iter() {
            if let Some(due) = follow_up::overdue(f, now) {
                flags.push(Flag {
                    kind: FlagKind::FollowUpOverdue,
                    customer: self.customer,
                    subject: Subject::FollowUp(*id),
                    owner: Some(f.owner),
                    since: due,
                    due: Some(due),
                    team: None,
                });
            }
            if let Some(since) = follow_up::without_target(f) {
                flags.push(Flag {
                    kind: FlagKind::NoTarget,
                    customer: self.customer,
                    subject: Subject::FollowUp(*id),
                    owner: Some(f.owner),
                    since,
                    due: None,
                    team: None,
                });
            }
        }
        flags
    }

    /// The update cadences' flags at `now`: for the complaint's owner (else the account
    /// owner) and its team, or the promise's owner.
    fn update_flags(
        &self,
        now: DateTime<Utc>,
        account_owner: Option<AgentId>,
    ) -> impl Iterator<Item = Flag> + '_ {
        self.rare()
            .updates
            .iter()
            .filter_map(move |(about, clock)| {
                let (kind, since, due) = response::update_flag(clock, now)?;
                let (owner, team) = match about {
                    Regarding::Complaint(id) => {
                        let c = self.rare().complaints.get(id);
                        (
                            c.and_then(|c| c.owner).or(account_owner),
                            c.and_then(|c| c.team),
                        )
                    }
                    Regarding::Promise(id) => (self.promises.get(id).map(|p| p.terms.owner), None),
                };
                Some(Flag {
                    kind,
                    customer: self.customer,
                    subject: about.subject(),
                    owner,
                    since,
                    due: Some(due),
                    team,
                })
            })
    }

    /// The events a due deadline becomes.
    pub(super) fn fire(&self, deadline: &Deadline) -> Vec<Event> {
        match deadline.timer {
            Timer::Response { timer, .. } => response::fire(&self.response, timer)
                .into_iter()
                .map(Event::Response)
                .collect(),
            Timer::Promise { promise: id, timer } => {
                let Some(p) = self.promises.get(&id) else {
                    return Vec::new();
                };
                let fired = promise::fire(id, p, timer);
                let escalations = reactions::escalation_after_break(
                    &fired,
                    id,
                    &p.terms,
                    &self.rare().complaints,
                    self.account_owner(),
                );
                let mut events: Vec<Event> = fired.into_iter().map(Event::Promise).collect();
                events.extend(escalations.into_iter().map(Event::Complaint));
                events
            }
            Timer::Complaint {
                complaint: id,
                timer,
            } => self
                .rare()
                .complaints
                .get(&id)
                .map(|c| complaint::fire(id, c, timer, self.account_owner()))
                .unwrap_or_default()
                .into_iter()
                .map(Event::Complaint)
                .collect(),
            // Band changes are recorded by `advance_to`, which has the health rules.
            Timer::Health => Vec::new(),
            Timer::FollowUp { follow_up: id } => self
                .rare()
                .follow_ups
                .get(&id)
                .map(|f| follow_up::fire(id, f))
                .unwrap_or_default()
                .into_iter()
                .map(Event::FollowUp)
                .collect(),
            Timer::Update { about, timer } => self
                .rare()
                .updates
                .get(&about)
                .and_then(|clock| response::fire_update(about, clock, timer))
                .map(Event::Response)
                .into_iter()
                .collect(),
        }
    }
}

/// Items up to which a relationship is scanned for its next deadline after each firing; above,
/// what is due is filed once per call.
const SCANNED: usize = 16;

/// How one `advance_to` call finds the next deadline. A small relationship is scanned after
/// each firing (cheaper than filing). A larger one files the deadlines due, one per subject
/// whose clock runs, in firing order (the order of [`Deadline`]), and keeps them in step with
/// the state by unfiling the subjects a firing touches before it applies and filing them again
/// after: O(log n) a firing instead of O(n).
enum Due {
    Scan,
    Filed(BTreeSet<Deadline>),
}

impl Due {
    fn collect(relationship: &Relationship, now: DateTime<Utc>) -> Self {
        if relationship.firing_budget() <= SCANNED.saturating_mul(8) {
            return Self::Scan;
        }
        Self::Filed(relationship.deadlines().filter(|d| d.at <= now).collect())
    }

    /// How many deadlines are filed (none when scanning).
    fn filed(&self) -> usize {
        match self {
            Self::Filed(filed) => filed.len(),
            Self::Scan => 0,
        }
    }

    /// The next deadline to fire. Once the filed ones are spent, one look over the whole
    /// relationship makes sure nothing due was missed (a subject moved by a firing that
    /// `touched_by` does not name would be filed again here rather than left unfired).
    fn next(&mut self, relationship: &Relationship, now: DateTime<Utc>) -> Option<Deadline> {
        let Self::Filed(filed) = self else {
            return relationship.family_deadline().filter(|d| d.at <= now);
        };
        if let Some(deadline) = filed.pop_first() {
            return Some(deadline);
        }
        relationship.family_deadline().filter(|d| d.at <= now)?;
        *filed = relationship.deadlines().filter(|d| d.at <= now).collect();
        filed.pop_first()
    }

    /// The next deadline to fire, left in place.
    fn peek(&self, relationship: &Relationship, now: DateTime<Utc>) -> Option<Deadline> {
        let filed = match self {
            Self::Filed(filed) => filed.first().copied(),
            Self::Scan => None,
        };
        filed.or_else(|| relationship.family_deadline().filter(|d| d.at <= now))
    }

    fn unfile(&mut self, relationship: &Relationship, touched: &[Subject]) {
        let Self::Filed(filed) = self else {
            return;
        };
        for subject in touched {
            for deadline in relationship.deadlines_of(*subject) {
                filed.remove(&deadline);
            }
        }
    }

    fn file(&mut self, relationship: &Relationship, touched: &[Subject], now: DateTime<Utc>) {
        let Self::Filed(filed) = self else {
            return;
        };
        for subject in touched {
            for deadline in relationship.deadlines_of(*subject) {
                if deadline.at <= now {
                    filed.insert(deadline);
                }
            }
        }
    }
}
