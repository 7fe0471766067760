//! Measures: how reliable, responsive and consistent we were over a window of time, per
//! customer, per owner, per outside party and for the whole book, computed from stored events.
//!
//! "Do everything you promised", "the clock ticks in the customer's head", "consistency is
//! the glue": this module turns the facts a service stored into the figures a team lives by.
//! It reads no clock and does no I/O: feed a [`Tally`] the stored [`Envelope`]s, then read
//! [`Measures`].
//!
//! # Windows: an outcome counts when its event happens
//!
//! A [`Window`] is half-open, `[from, to)`. An event counts in the window its own instant
//! (`Envelope::at`) falls in: a promise made in February and kept in March counts as *made* in
//! February and *kept* in March. Deadline events are dated at the deadline itself, so a
//! promise that broke on 28 February at 17:00 counts as broken in February however late the
//! service noticed. Events outside the window are still read, because later events are
//! attributed from what earlier ones said (see below): feed each customer's log from its first
//! event.
//!
//! # Attribution: remembered per customer and item
//!
//! Every figure goes to the book and to the customer. It also goes to an **owner** (one of our
//! agents) and, for promises done by an outside party and for that party's own commitments, to
//! the **party**:
//!
//! - promises: the owner named in the event, else the one `PromiseMade` named; the party from
//!   `PromiseMade`'s [`Fulfiller`] (a party's figures hold only the promises it fulfils);
//! - dependencies (a party's commitment to us): the party named in the event, and the owner of
//!   the promise behind it;
//! - response clocks: the account owner at the time (`CustomerRegistered::owner`, then
//!   `AccountOwnerSet`), who receives the response flags;
//! - complaints: the owner from the latest `ComplaintAssigned` or `ComplaintEscalated`, else
//!   the account owner at the time (as the engine's flags do); an escalation counts for the
//!   agent it was escalated to;
//! - follow-ups: the owner `FollowUpScheduled` named;
//! - survey answers: the owner of the complaint the answer is about, else the account owner;
//! - the update cadence's warnings and overdue updates
//!   ([`UpdateCounts`](ResponseMeasures::updates)): whom the flags name, the complaint's owner
//!   as above or the owner `PromiseMade` named.
//! - health (moves into and out of "at risk", customers gone quiet): the account owner at the
//!   time, who is flagged. Health's level and trend are read from `Relationship::health`,
//!   over time windows of their own ([`HealthPolicy::window`](crate::health::HealthPolicy)).
//!
//! Something with nobody to attribute it to (no account owner) counts for the book and the
//! customer only.
//!
//! # Order
//!
//! Each customer's envelopes must come in their log order (`seq` 1, 2, 3, ... with no gap);
//! customers may be interleaved in any way. [`Tally::record`] refuses an envelope out of that
//! order with [`MeasureError::OutOfOrder`] and counts nothing for it.
//!
//! # Mergeable
//!
//! All state is integers: counts, sums of seconds, and exact multisets of durations (so
//! percentiles are exact, not estimated). [`Measures::merge`] adds them, so the measures of two
//! disjoint sets of customers, merged, *equal* (`==`) the measures of their union, and
//! [`Tally::merge`] combines tallies computed on separate shards. Floats appear only in the
//! derived getters (rates, means, spread). [`Measures`] serialize (serde), so a shard can ship
//! its figures to whoever merges them.
//!
//! ```
//! use chrono::{TimeZone, Utc};
//! use clientele::{AgentId, CustomerId, KeepPromise, Ledger, MakePromise, PromiseId,
//!     RegisterCustomer, ServicePolicy, Tally, Text, Tier, Window};
//!
//! let mut ledger = Ledger::new(ServicePolicy::default())?;
//! let (ona, ruta) = (CustomerId::from_u128(1), AgentId::from_u128(7));
//! let glasses = PromiseId::from_u128(2);
//! let monday = Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap();
//! let friday = Utc.with_ymd_and_hms(2026, 3, 6, 17, 0, 0).unwrap();
//!
//! let mut log = ledger.execute(ona, RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?), monday)?;
//! log.extend(ledger.execute(ona, MakePromise::new(glasses, Text::new("Glasses")?, friday, ruta), monday)?);
//! log.extend(ledger.execute(ona, KeepPromise { promise: glasses }, monday + chrono::TimeDelta::days(2))?);
//!
//! let march = Window::new(
//!     Utc.with_ymd_and_hms(2026, 3, 1, 0, 0, 0).unwrap(),
//!     Utc.with_ymd_and_hms(2026, 4, 1, 0, 0, 0).unwrap(),
//! )?;
//! let tally = Tally::from_log(march, &log)?;
//! assert_eq!(tally.book().promises.total().kept.met, 1);
//! assert_eq!(tally.book().promises.on_time_rate(), Some(1.0));
//! assert_eq!(tally.owner(ruta).map(|m| m.promises.ours.made), Some(1));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! [`Envelope`]: crate::event::Envelope
//! [`Fulfiller`]: crate::promise::Fulfiller

mod complaint;
mod follow_up;
mod health;
mod promise;
mod response;
mod stats;
mod survey;
mod tally;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::id::CustomerId;

pub use complaint::{ComplaintMeasures, PartyWaits};
pub use follow_up::FollowUpMeasures;
pub use health::HealthMeasures;
pub use promise::{DependencyMeasures, PromiseCounts, PromiseMeasures};
pub use response::{ResponseMeasures, ResponseTimes, UpdateCounts};
pub use stats::{Durations, OutcomeTally};
pub use survey::SurveyMeasures;
pub use tally::Tally;

/// Something a measure was asked to do that it cannot.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum MeasureError {
    /// A window must contain at least one instant.
    #[error("the window is empty: it starts and ends at {at}")]
    EmptyWindow {
        /// Where it starts and ends.
        at: DateTime<Utc>,
    },
    /// A window must end after it starts.
    #[error("the window ends at {to}, before it starts at {from}")]
    WindowEndsBeforeStart {
        /// Its start.
        from: DateTime<Utc>,
        /// Its end.
        to: DateTime<Utc>,
    },
    /// An envelope came out of its customer's log order (a gap, a repeat or a step back).
    #[error("customer {customer}: expected event {expected} of the log, got {got}")]
    OutOfOrder {
        /// The customer.
        customer: CustomerId,
        /// The `seq` that should have come next.
        expected: u64,
        /// The `seq` that came.
        got: u64,
    },
    /// Tallies over different windows cannot be merged.
    #[error("cannot merge a tally over {theirs} into one over {ours}")]
    DifferentWindows {
        /// The window of the tally merged into.
        ours: Window,
        /// The window of the other tally.
        theirs: Window,
    },
    /// Tallies that both read a customer cannot be merged: its figures would count twice.
    #[error("customer {0} is in both tallies")]
    SharedCustomer(CustomerId),
}

/// A half-open window of time, `[from, to)`, that is never empty.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Window {
    from: DateTime<Utc>,
    to: DateTime<Utc>,
}

impl Window {
    /// The window from `from` (included) to `to` (excluded).
    ///
    /// # Errors
    /// [`MeasureError::EmptyWindow`] when `from == to`, [`MeasureError::WindowEndsBeforeStart`]
    /// when `to` is before `from`.
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use clientele::{MeasureError, Window};
    ///
    /// let march = Utc.with_ymd_and_hms(2026, 3, 1, 0, 0, 0).unwrap();
    /// let april = Utc.with_ymd_and_hms(2026, 4, 1, 0, 0, 0).unwrap();
    /// let window = Window::new(march, april)?;
    /// assert!(window.contains(march) && !window.contains(april));
    /// assert!(matches!(Window::new(april, march), Err(MeasureError::WindowEndsBeforeStart { .. })));
    /// # Ok::<(), MeasureError>(())
    /// ```
    pub fn new(from: DateTime<Utc>, to: DateTime<Utc>) -> Result<Self, MeasureError> {
        if from == to {
            return Err(MeasureError::EmptyWindow { at: from });
        }
        if to < from {
            return Err(MeasureError::WindowEndsBeforeStart { from, to });
        }
        Ok(Self { from, to })
    }

    /// All of time that chrono can represent (its last instant excluded).
    ///
    /// ```
    /// use clientele::chrono::{DateTime, TimeZone, Utc};
    /// use clientele::Window;
    ///
    /// let all = Window::all();
    /// assert!(all.contains(Utc.with_ymd_and_hms(1970, 1, 1, 0, 0, 0).unwrap()));
    /// assert!(!all.contains(DateTime::<Utc>::MAX_UTC)); // half-open: its end is not in it
    /// ```
    #[must_use]
    pub const fn all() -> Self {
        Self {
            from: DateTime::<Utc>::MIN_UTC,
            to: DateTime::<Utc>::MAX_UTC,
        }
    }

    /// Its first instant.
    ///
    /// ```
    /// use clientele::chrono::{TimeZone, Utc};
    /// use clientele::Window;
    ///
    /// let march = Utc.with_ymd_and_hms(2026, 3, 1, 0, 0, 0).unwrap();
    /// let april = Utc.with_ymd_and_hms(2026, 4, 1, 0, 0, 0).unwrap();
    /// assert_eq!(Window::new(march, april)?.from(), march);
    /// # Ok::<(), clientele::MeasureError>(())
    /// ```
    #[must_use]
    pub const fn from(&self) -> DateTime<Utc> {
        self.from
    }

    /// The instant after its last: the first one not in it.
    ///
    /// ```
    /// use clientele::chrono::{TimeZone, Utc};
    /// use clientele::Window;
    ///
    /// let march = Utc.with_ymd_and_hms(2026, 3, 1, 0, 0, 0).unwrap();
    /// let april = Utc.with_ymd_and_hms(2026, 4, 1, 0, 0, 0).unwrap();
    /// let window = Window::new(march, april)?;
    /// assert_eq!(window.to(), april);
    /// assert!(!window.contains(window.to()));
    /// # Ok::<(), clientele::MeasureError>(())
    /// ```
    #[must_use]
    pub const fn to(&self) -> DateTime<Utc> {
        self.to
    }

    /// Whether `at` falls in it: `from <= at < to`.
    ///
    /// ```
    /// use clientele::chrono::{TimeDelta, TimeZone, Utc};
    /// use clientele::Window;
    ///
    /// let march = Utc.with_ymd_and_hms(2026, 3, 1, 0, 0, 0).unwrap();
    /// let april = Utc.with_ymd_and_hms(2026, 4, 1, 0, 0, 0).unwrap();
    /// let window = Window::new(march, april)?;
    /// assert!(window.contains(march));
    /// assert!(window.contains(april - TimeDelta::seconds(1)));
    /// assert!(!window.contains(april));
    /// # Ok::<(), clientele::MeasureError>(())
    /// ```
    #[must_use]
    pub fn contains(&self, at: DateTime<Utc>) -> bool {
        self.from <= at && at < self.to
    }
}

impl std::fmt::Display for Window {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "[{}, {})", self.from, self.to)
    }
}

/// The figures of one scope (a customer, an owner, a party, the book) over a window.
///
/// All state is integers, so `==` compares merged results exactly; rates, means and spread
/// are derived by the getters of the parts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct Measures {
    /// Promises: made, kept, broken, withdrawn, slips; ours and outside parties'.
    pub promises: PromiseMeasures,
    /// Outside parties' own commitments behind promises.
    pub dependencies: DependencyMeasures,
    /// Response times: first response and replies.
    pub responses: ResponseMeasures,
    /// Complaints: clocks, escalations, resolutions, reopenings.
    pub complaints: ComplaintMeasures,
    /// Follow-ups.
    pub follow_ups: FollowUpMeasures,
    /// Survey answers: CSAT and NPS.
    pub surveys: SurveyMeasures,
    /// Health: customers entering and leaving "at risk", customers gone quiet.
    pub health: HealthMeasures,
}

impl Measures {
    /// Adds `other`'s figures to these. For two disjoint sets of customers, the measures of
    /// one merged with the other's equal the measures of their union; merging is commutative
    /// and associative.
    ///
    /// ```
    /// use clientele::Measures;
    ///
    /// let mut shard_a = Measures::default();
    /// shard_a.promises.ours.made = 2;
    /// let mut shard_b = Measures::default();
    /// shard_b.promises.ours.made = 3;
    /// shard_a.merge(&shard_b);
    /// assert_eq!(shard_a.promises.ours.made, 5);
    /// ```
    pub fn merge(&mut self, other: &Measures) {
        self.promises.merge(&other.promises);
        self.dependencies.merge(&other.dependencies);
        self.responses.merge(&other.responses);
        self.complaints.merge(&other.complaints);
        self.follow_ups.merge(&other.follow_ups);
        self.surveys.merge(&other.surveys);
        self.health.merge(&other.health);
    }

    /// Whether nothing at all was counted.
    ///
    /// ```
    /// # use clientele::{*, chrono::{TimeZone, Utc}};
    /// # let (policy, monday) = (ServicePolicy::default(), Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap());
    /// # let mut ona = Relationship::new(CustomerId::from_u128(1));
    /// # let mut log = ona.execute(&policy, RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?), monday)?;
    /// let complaint = ReceiveComplaint::new(ComplaintId::from_u128(3), Channel::Phone, Text::new("Late")?);
    /// log.extend(ona.execute(&policy, complaint, monday)?);
    /// let april = Window::new(Utc.with_ymd_and_hms(2026, 4, 1, 0, 0, 0).unwrap(), Utc.with_ymd_and_hms(2026, 5, 1, 0, 0, 0).unwrap())?;
    /// assert!(Tally::from_log(april, &log)?.book().is_empty()); // nothing happened in April
    /// assert!(!Tally::from_log(Window::all(), &log)?.book().is_empty());
    /// assert!(Measures::default().is_empty());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn is_empty(&self) -> bool {
        *self == Measures::default()
    }
}
