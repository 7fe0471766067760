//! Shared test support: readable times, a given/when/then world, and a simulated clock that
//! jumps from deadline to deadline.
#![allow(dead_code)]

pub mod history;

use chrono::{DateTime, NaiveDateTime, Utc};
use clientele::policy::{ByPriority, Lead, Targets};
use clientele::{
    AgentId, Channel, Command, CommandError, ComplaintId, CustomerId, Envelope, Event,
    InteractionId, Ledger, RecordInteraction, RegisterCustomer, Relationship, ResolveComplaint,
    ServicePolicy, Span, Text, Tier,
};

/// `"2026-03-06 16:30"` (or with seconds) as a UTC instant.
pub fn t(s: &str) -> DateTime<Utc> {
    let naive = NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S")
        .or_else(|_| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M"))
        .unwrap_or_else(|e| panic!("bad test time {s:?}: {e}"));
    naive.and_utc()
}

pub fn text(s: &str) -> Text {
    Text::new(s).unwrap()
}

pub fn tier(s: &str) -> Tier {
    Tier::new(s).unwrap()
}

pub const ONA: CustomerId = CustomerId::from_u128(0x0a);
pub const PETRAS: CustomerId = CustomerId::from_u128(0x0b);
pub const AGENT: AgentId = AgentId::from_u128(0xa1);

pub fn inbound(n: u128, channel: Channel) -> RecordInteraction {
    RecordInteraction::inbound(InteractionId::from_u128(n), channel, text("question"))
}

pub fn outbound(n: u128, channel: Channel) -> RecordInteraction {
    RecordInteraction::outbound(InteractionId::from_u128(n), channel, AGENT, text("answer"))
}

/// The default policy with response targets of whole hours (first response: 24 h low, 8 h
/// normal, 4 h high, 1 h urgent; reply 4 h), warned an hour before, on the wall clock.
pub fn hourly_response_policy() -> ServicePolicy {
    ServicePolicy {
        first_response: Targets::new(ByPriority {
            low: Span::hours(24),
            normal: Span::hours(8),
            high: Span::hours(4),
            urgent: Span::hours(1),
        }),
        reply: Targets::new(ByPriority::uniform(Span::hours(4))),
        response_warning: Lead::Before(Span::hours(1)),
        ..ServicePolicy::default()
    }
}

/// `complaint` resolved by `by` with an apology and no remedy, doing `summary`; no follow-up.
pub fn resolution(complaint: ComplaintId, by: AgentId, summary: &str) -> ResolveComplaint {
    ResolveComplaint {
        complaint,
        by,
        remedy: None,
        apology: true,
        summary: text(summary).into(),
        follow_up: None,
    }
}

/// A ledger, its stored log and a current time: given / when / then.
pub struct World {
    pub ledger: Ledger,
    pub log: Vec<Envelope>,
    pub now: DateTime<Utc>,
}

impl World {
    pub fn new(policy: ServicePolicy, now: &str) -> Self {
        Self {
            ledger: Ledger::new(policy).unwrap(),
            log: Vec::new(),
            now: t(now),
        }
    }

    /// A customer registered at the current time, owned by [`AGENT`].
    pub fn given_customer(&mut self, customer: CustomerId, tier_name: &str) -> &mut Self {
        let register = RegisterCustomer::new(text("Customer"), tier(tier_name)).owned_by(AGENT);
        self.when(customer, register).unwrap();
        self
    }

    /// A complaint received by phone at the current time ("Glasses still not ready").
    pub fn given_complaint(&mut self, customer: CustomerId, complaint: ComplaintId) -> &mut Self {
        let receive = clientele::ReceiveComplaint::new(
            complaint,
            Channel::Phone,
            text("Glasses still not ready"),
        );
        self.when(customer, receive).unwrap();
        self
    }

    pub fn at(&mut self, now: &str) -> &mut Self {
        self.now = t(now);
        self
    }

    /// Executes a command at the current time; stored events go to the log.
    pub fn when(
        &mut self,
        customer: CustomerId,
        command: impl Into<Command>,
    ) -> Result<Vec<Event>, CommandError> {
        let envelopes = self.ledger.execute(customer, command, self.now)?;
        self.log.extend(envelopes.iter().cloned());
        Ok(envelopes.into_iter().map(|e| e.event).collect())
    }

    /// Runs the simulated clock to `until`, jumping to each deadline; at most `max_steps`
    /// wake-ups (a bound that catches a deadline that never clears).
    pub fn run_until(&mut self, until: &str, max_steps: usize) -> Vec<Envelope> {
        let until = t(until);
        let mut woke = Vec::new();
        for _ in 0..max_steps {
            match self.ledger.next_deadline() {
                Some(deadline) if deadline.at <= until => {
                    let events = self.ledger.advance_to(deadline.at);
                    assert!(!events.is_empty(), "woke at {} for nothing", deadline.at);
                    woke.extend(events);
                }
                _ => {
                    self.now = self.now.max(until);
                    self.log.extend(woke.iter().cloned());
                    return woke;
                }
            }
        }
        panic!("the clock needed more than {max_steps} wake-ups to reach {until}");
    }

    /// Runs each command at the current time and checks it is refused with the error given,
    /// leaving the customer's relationship exactly as it was.
    pub fn assert_each_refused(
        &mut self,
        customer: CustomerId,
        cases: Vec<(Command, CommandError)>,
    ) {
        for (command, expected) in cases {
            let before = self.relationship(customer).clone();
            assert_eq!(
                self.ledger.execute(customer, command.clone(), self.now),
                Err(expected),
                "{command:?}"
            );
            assert_eq!(
                *self.relationship(customer),
                before,
                "{command:?} changed the state"
            );
        }
    }

    pub fn relationship(&self, customer: CustomerId) -> &Relationship {
        self.ledger.get(customer).expect("customer is held")
    }

    /// Replays the stored log into a fresh ledger and checks it equals the live one.
    pub fn assert_replay_matches(&self) {
        let replayed = Ledger::replay(self.ledger.policy().clone(), &self.log).unwrap();
        assert_eq!(replayed.len(), self.ledger.len());
        for envelope in &self.log {
            assert_eq!(
                replayed.get(envelope.customer),
                self.ledger.get(envelope.customer)
            );
        }
        assert_eq!(replayed.next_deadline(), self.ledger.next_deadline());
    }
}

/// The `type` tags of events, for compact assertions.
pub fn kinds<'a>(events: impl IntoIterator<Item = &'a Event>) -> Vec<&'static str> {
    events.into_iter().map(Event::kind).collect()
}

pub fn envelope_kinds(envelopes: &[Envelope]) -> Vec<&'static str> {
    envelopes.iter().map(|e| e.event.kind()).collect()
}

/// Seed 002 (promise 1): a promise broken in silence, re-promised "another week" without
/// telling the customer, broken in silence again.
pub fn seed_002(w: &mut World, customer: CustomerId) {
    let p = clientele::PromiseId::from_u128(1);
    w.when(
        customer,
        clientele::MakePromise::new(p, text("Glasses"), t("2026-03-09 09:00"), AGENT),
    )
    .unwrap();
    w.run_until("2026-03-10 09:00", 20);
    w.at("2026-03-10 09:00");
    w.when(
        customer,
        clientele::RevisePromise {
            promise: p,
            due: t("2026-03-17 09:00"),
            reason: text("the outside lab").into(),
            customer_agreed: false,
        },
    )
    .unwrap();
    w.run_until("2026-03-18 09:00", 20);
}
