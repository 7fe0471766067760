//! Time: deadlines falling due, the next deadline, and the level view (flags).

use chrono::{DateTime, Utc};

use super::*;
use crate::complaint::{self};
use crate::error::ViewError;
use crate::event::{Envelope, Event};
use crate::flag::{Deadline, Flag, FlagKind, Subject, Timer};
use crate::follow_up::{self};
use crate::health::HealthEvent;
use crate::health::{self};
use crate::policy::ServicePolicy;
use crate::promise::{self};
use crate::response::{self};

impl Relationship {
    /// Turns every deadline up to `now` into an event, applies it, and returns the events in
    /// time order. Each event is dated at its deadline (and, when a fact reported late was
    /// recorded after that deadline, carries the latest recording time as
    /// [`recorded`](crate::Envelope::recorded)). After each deadline, a change of health
    /// band into or out of "at risk" is recorded too (`RelationshipAtRisk`,
    /// `RelationshipRecovered`). Calling it again, or with an earlier `now`, does nothing.
    pub fn advance_to(&mut self, policy: &ServicePolicy, now: DateTime<Utc>) -> Vec<Envelope> {
        let mut out = Vec::new();
        for _ in 0..MAX_FIRINGS {
            let Some(deadline) = self.next_deadline() else {
                break;
            };
            if deadline.at > now {
                break;
            }
            let events = self.fire(&deadline);
            if events.is_empty() {
                break;
            }
            // Dated at the deadline; when facts reported late were recorded after it, `seal`
            // records it at the latest recording time.
            let at = deadline.at;
            // Applied in place, one by one: `apply` is all-or-nothing per event, and every event
            // that applied is returned, so a fact is never applied without being handed over.
            let count = events.len();
            let mut fired = 0;
            for envelope in self.seal(at, events) {
                if self.apply(&envelope).is_err() {
                    break;
                }
                out.push(envelope);
                fired += 1;
            }
            if fired < count {
                // An engine defect: stop rather than fire on from a state we did not foresee.
                break;
            }
            if let Some(change) = self.health_change(policy, at)
                && let Some(envelope) = self.seal(at, vec![change]).pop()
                && self.apply(&envelope).is_ok()
            {
                out.push(envelope);
            }
        }
        out
    }

    /// The event a move into or out of the at-risk band at `at` becomes, if any.
    pub(super) fn health_change(&self, policy: &ServicePolicy, at: DateTime<Utc>) -> Option<Event> {
        self.profile.as_ref()?;
        let rules = &policy.health;
        let (score, penalties) = health::points(rules, self.open_items(at), &self.recent, at);
        let at_risk = health::band(rules, score) == crate::health::Band::AtRisk;
        match (at_risk, self.at_risk_since.is_some()) {
            (true, false) => Some(Event::Health(HealthEvent::AtRisk {
                score,
                reasons: health::reasons(rules, &penalties)
                    .into_iter()
                    .map(|(signal, _)| signal)
                    .collect(),
            })),
            (false, true) => Some(Event::Health(HealthEvent::Recovered { score })),
            (true, true) | (false, false) => None,
        }
    }

    /// The earliest moment something becomes due, or `None` when nothing is pending.
    #[must_use]
    pub fn next_deadline(&self) -> Option<Deadline> {
        let customer = self.customer;
        let response = response::deadline(&self.response).map(|(at, timer, since)| Deadline {
            at,
            customer,
            timer: Timer::Response { since, timer },
        });
        let promises = self.promises.iter().filter_map(|(id, p)| {
            promise::deadline(p).map(|(at, timer)| Deadline {
                at,
                customer,
                timer: Timer::Promise {
                    promise: *id,
                    timer,
                },
            })
        });
        let complaints = self.complaints.iter().filter_map(|(id, c)| {
            complaint::deadline(c).map(|(at, timer)| Deadline {
                at,
                customer,
                timer: Timer::Complaint {
                    complaint: *id,
                    timer,
                },
            })
        });
        let follow_ups = self.follow_ups.iter().filter_map(|(id, f)| {
            follow_up::deadline(f).map(|at| Deadline {
                at,
                customer,
                timer: Timer::FollowUp { follow_up: *id },
            })
        });
        response
            .into_iter()
            .chain(promises)
            .chain(complaints)
            .chain(follow_ups)
            .min()
    }

    /// What needs attention at `now`, whether or not [`advance_to`](Self::advance_to) has run:
    /// the same flags, with the same `since` and `due`, either way. A flag's `since` is when
    /// what it says became true (a promise at risk since its warning instant or its
    /// dependency's missed date, whichever came first), never when `advance_to` ran. The
    /// relationship-at-risk flag is the exception: health is scored with the policy, so that
    /// flag stands from when a command or `advance_to` records the move into the band.
    ///
    /// A `now` earlier than the latest recorded fact has no true answer from the current state
    /// (what stood then may have changed since): `flags` answers for the latest fact's instant
    /// instead, as if asked then. Use [`try_flags`](Self::try_flags) to have such a `now`
    /// refused.
    #[must_use]
    pub fn flags(&self, now: DateTime<Utc>) -> Vec<Flag> {
        self.flags_at(self.last_at.map_or(now, |last| last.max(now)))
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
            Some(_) | None => Ok(self.flags_at(now)),
        }
    }

    /// The flags at `now`, at or after the latest recorded fact.
    fn flags_at(&self, now: DateTime<Utc>) -> Vec<Flag> {
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
                });
            }
        }
        for (id, c) in self.complaints.iter() {
            let broken_again = promise::breaks_again(&self.promises, *id, &c.promises, now);
            for (kind, since, due) in complaint::flags(c, now, broken_again) {
                flags.push(Flag {
                    kind,
                    customer: self.customer,
                    subject: Subject::Complaint(*id),
                    owner: c.owner.or(owner),
                    since,
                    due,
                });
            }
        }
        if let Some(since) = self.at_risk_since {
            flags.push(Flag {
                kind: FlagKind::RelationshipAtRisk,
                customer: self.customer,
                subject: Subject::Relationship,
                owner,
                since,
                due: None,
            });
        }
        for (id, f) in self.follow_ups.iter() {
            if let Some(due) = follow_up::overdue(f, now) {
                flags.push(Flag {
                    kind: FlagKind::FollowUpOverdue,
                    customer: self.customer,
                    subject: Subject::FollowUp(*id),
                    owner: Some(f.owner),
                    since: due,
                    due: Some(due),
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
                });
            }
        }
        flags
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
                    &self.complaints,
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
                .complaints
                .get(&id)
                .map(|c| complaint::fire(id, c, timer, self.account_owner()))
                .unwrap_or_default()
                .into_iter()
                .map(Event::Complaint)
                .collect(),
            Timer::FollowUp { follow_up: id } => self
                .follow_ups
                .get(&id)
                .map(|f| follow_up::fire(id, f))
                .unwrap_or_default()
                .into_iter()
                .map(Event::FollowUp)
                .collect(),
        }
    }
}
