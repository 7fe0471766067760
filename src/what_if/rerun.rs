//! Deciding a history again under a policy: each fact decided at its own times (when it
//! happened, when it was recorded, with its idempotency key), time advanced where the service
//! advanced it, so each deadline is dated at itself; a fact the policy refuses is reported.

use chrono::{DateTime, Utc};

use super::history::{Book, Fact, History, Step};
use crate::error::{CommandError, PolicyError};
use crate::event::Envelope;
use crate::id::CustomerId;
use crate::ledger::Ledger;
use crate::policy::ServicePolicy;
use crate::relationship::Relationship;

/// A fact of the history that the policy refused when it was decided again: nothing of it
/// is in the new log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// The customer.
    pub customer: CustomerId,
    /// The fact, with where it was in the stored log (`seq`).
    pub fact: Fact,
    /// Why it was refused.
    pub error: CommandError,
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "customer {}, event {}: {} refused: {}",
            self.customer,
            self.fact.seq,
            self.fact.request.command.name(),
            self.error
        )
    }
}

/// Decides `history` again under `policy` (checked already), handing each envelope to `sink`
/// as it is recorded, and advancing to `until` at the end (to the history's own end when
/// `None`). Returns the relationship it leaves and what was refused.
pub(super) fn decide(
    policy: &ServicePolicy,
    history: &History,
    until: Option<DateTime<Utc>>,
    sink: &mut impl FnMut(&[Envelope]),
) -> (Relationship, Vec<Refusal>) {
    let mut relationship = Relationship::new(history.customer());
    relationship.use_health_policy(&policy.health);
    let mut refused = Vec::new();
    for step in history.steps() {
        match step {
            Step::AdvanceTo(at) => sink(&relationship.advance_to(policy, *at)),
            Step::Fact(fact) => {
                let request = &fact.request;
                let key = request.idempotency_key.as_ref();
                let times = (request.occurred_at.unwrap_or(fact.recorded), fact.recorded);
                // Decided in place (no copy per fact): what a refused fact leaves applied is
                // time passing to when it happened, its deadlines recorded as they fall due.
                let mut recorded = Vec::new();
                let decided = relationship
                    .admits(policy, &request.command, None, key, times)
                    .and_then(|admitted| {
                        if !admitted {
                            return Ok(());
                        }
                        relationship.record(policy, &request.command, key, times, &mut recorded)
                    });
                sink(&recorded);
                if let Err(error) = decided {
                    refused.push(Refusal {
                        customer: history.customer(),
                        fact: fact.clone(),
                        error,
                    });
                }
            }
        }
    }
    if let Some(until) = until.or(history.until()) {
        sink(&relationship.advance_to(policy, until));
    }
    (relationship, refused)
}

/// Where a log decided again first differs from the stored one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Divergence {
    /// The position (`seq`) where they differ.
    pub seq: u64,
    /// The stored envelope there, if the stored log is that long.
    pub stored: Option<Envelope>,
    /// The envelope decided again there, if the new log is that long.
    pub decided: Option<Envelope>,
}

/// One customer's history decided again: the new log, the relationship it leaves (flags,
/// health, deadlines), and the facts refused.
#[derive(Debug, Clone)]
pub struct Run {
    relationship: Relationship,
    log: Vec<Envelope>,
    refused: Vec<Refusal>,
}

impl Run {
    /// Decides `history` again under `policy`, into a new log held in memory, up to the
    /// history's last recording instant.
    ///
    /// # Errors
    /// [`PolicyError`] for an inconsistent policy.
    ///
    /// # Example
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use clientele::what_if::{History, Run};
    /// use clientele::{Channel, CustomerId, InteractionId, RecordInteraction, RegisterCustomer,
    ///     Relationship, ServicePolicy, Text, Tier};
    ///
    /// let policy = ServicePolicy::default();
    /// let mut ona = Relationship::new(CustomerId::from_u128(1));
    /// let monday = Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap();
    /// let mut log = ona.execute(&policy, RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?), monday)?;
    /// let hello = RecordInteraction::inbound(InteractionId::from_u128(2), Channel::Email, Text::new("Hello?")?);
    /// log.extend(ona.execute(&policy, hello, monday)?);
    /// log.extend(ona.advance_to(&policy, monday + chrono::TimeDelta::days(1)));
    ///
    /// let again = Run::decide(&policy, &History::from_log(&log)?)?;
    /// assert_eq!(again.log(), &log[..]); // the same policy gives back the stored log
    /// assert!(again.divergence(&log).is_none());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn decide(policy: &ServicePolicy, history: &History) -> Result<Self, PolicyError> {
        policy.validate()?;
        let mut log = Vec::new();
        let (relationship, refused) = decide(policy, history, None, &mut |envelopes| {
            log.extend_from_slice(envelopes);
        });
        Ok(Self {
            relationship,
            log,
            refused,
        })
    }

    /// The new log.
    #[must_use]
    pub fn log(&self) -> &[Envelope] {
        &self.log
    }

    /// The relationship the new log leaves: its flags, deadlines and health.
    #[must_use]
    pub const fn relationship(&self) -> &Relationship {
        &self.relationship
    }

    /// The facts the policy refused, in order.
    #[must_use]
    pub fn refused(&self) -> &[Refusal] {
        &self.refused
    }

    /// The first position where the new log differs from `stored` (the schema version `v`
    /// aside: a stored event of an older version reads as the current one), or `None` when
    /// they are the same log. Decided again under the policy it was recorded under, a log
    /// comes back unchanged; a divergence says that policy was not the one in force there
    /// (or that it changed there).
    #[must_use]
    pub fn divergence(&self, stored: &[Envelope]) -> Option<Divergence> {
        divergence(stored, &self.log)
    }
}

/// The first position where `decided` differs from `stored`, `v` aside.
pub(super) fn divergence(stored: &[Envelope], decided: &[Envelope]) -> Option<Divergence> {
    let same = |a: &Envelope, b: &Envelope| {
        a.customer == b.customer
            && a.seq == b.seq
            && a.at == b.at
            && a.recorded == b.recorded
            && a.event == b.event
            && a.key == b.key
    };
    let at = (0..stored.len().max(decided.len()))
        .find(|&i| !matches!((stored.get(i), decided.get(i)), (Some(a), Some(b)) if same(a, b)))?;
    let (stored, decided) = (stored.get(at).cloned(), decided.get(at).cloned());
    let seq = stored
        .as_ref()
        .or(decided.as_ref())
        .map_or(0, |envelope| envelope.seq);
    Some(Divergence {
        seq,
        stored,
        decided,
    })
}

/// A book decided again: every customer's new log, the ledger it leaves and the facts
/// refused.
#[derive(Debug)]
pub struct BookRun {
    ledger: Ledger,
    log: Vec<Envelope>,
    refused: Vec<Refusal>,
}

impl BookRun {
    /// Decides every history of `book` again under `policy`, customer by customer, each up to
    /// the book's last recording instant (so every customer's deadlines up to then are in).
    ///
    /// # Errors
    /// [`PolicyError`] for an inconsistent policy.
    ///
    /// # Example
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use clientele::what_if::{Book, BookRun};
    /// use clientele::{CustomerId, Ledger, RegisterCustomer, ServicePolicy, Text, Tier};
    ///
    /// let mut ledger = Ledger::new(ServicePolicy::default())?;
    /// let monday = Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap();
    /// let register = RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?);
    /// let log = ledger.execute(CustomerId::from_u128(1), register, monday)?;
    /// let again = BookRun::decide(&ServicePolicy::default(), &Book::from_log(&log)?)?;
    /// assert_eq!(again.log(), &log[..]);
    /// assert_eq!(again.ledger().len(), 1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn decide(policy: &ServicePolicy, book: &Book) -> Result<Self, PolicyError> {
        policy.validate()?;
        let until = book.until();
        let mut log = Vec::new();
        let mut refused = Vec::new();
        for history in book.histories() {
            let (_, mut theirs) = decide(policy, history, until, &mut |envelopes| {
                log.extend_from_slice(envelopes);
            });
            refused.append(&mut theirs);
        }
        let ledger = Ledger::replay(policy.clone(), &log)?;
        Ok(Self {
            ledger,
            log,
            refused,
        })
    }

    /// The ledger the new log leaves: flags, work lists, deadlines and health of the book.
    #[must_use]
    pub const fn ledger(&self) -> &Ledger {
        &self.ledger
    }

    /// The new log, customer after customer.
    #[must_use]
    pub fn log(&self) -> &[Envelope] {
        &self.log
    }

    /// The facts the policy refused.
    #[must_use]
    pub fn refused(&self) -> &[Refusal] {
        &self.refused
    }
}
