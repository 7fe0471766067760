//! How a target ends: [`Outcome`] (met, met late, missed, or untimed for a clock that had no
//! target) with its [`Lateness`], the [`Elapsed`] time it took, in wall-clock and business
//! time, why a clock may have [`NoTarget`], and where a target stands ([`TargetStatus`]). Every family's clocks (response,
//! complaint targets, follow-ups) and the policy's arithmetic share this vocabulary, so it sits
//! below them.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::value::Span;

/// Time taken, in wall-clock and in business time (on the calendar the target runs on).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Elapsed {
    /// Wall-clock time.
    pub wall: Span,
    /// Business time.
    pub business: Span,
}

/// How late something was: the time from its due instant to when it was done.
pub type Lateness = Elapsed;

/// How a target ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum Outcome {
    /// Done by the due instant.
    Met,
    /// Done, after the due instant.
    MetLate {
        /// By how much.
        lateness: Lateness,
    },
    /// Never done: the target was abandoned after its due instant passed.
    Missed {
        /// How late it was when abandoned.
        lateness: Lateness,
    },
    /// Done, on a clock that had no target ([`NoTarget`]): neither on time nor late. Measures
    /// count it apart from the outcomes against a target (added in schema version 3).
    Untimed,
}

impl Outcome {
    /// Whether the target was met on time.
    ///
    /// ```
    /// use clientele::Span;
    /// use clientele::outcome::{Elapsed, Outcome};
    ///
    /// let late = Outcome::MetLate { lateness: Elapsed { wall: Span::hours(1), business: Span::hours(1) } };
    /// assert!(Outcome::Met.on_time());
    /// assert!(!late.on_time());
    /// assert!(!Outcome::Untimed.on_time()); // no target: neither on time nor late
    /// ```
    #[must_use]
    pub const fn on_time(&self) -> bool {
        matches!(self, Outcome::Met)
    }

    /// Whether there was a target to measure against (every outcome but
    /// [`Untimed`](Outcome::Untimed)).
    ///
    /// ```
    /// use clientele::outcome::Outcome;
    ///
    /// assert!(Outcome::Met.had_target());
    /// assert!(!Outcome::Untimed.had_target());
    /// ```
    #[must_use]
    pub const fn had_target(&self) -> bool {
        !matches!(self, Outcome::Untimed)
    }
}

/// Why a clock has no target: its deadline could not be computed when it started (or ran
/// again). The fact that started it is recorded all the same; the clock never falls due and
/// is flagged ([`FlagKind::NoTarget`](crate::FlagKind::NoTarget)) to its owner, and what
/// answers it is [`Outcome::Untimed`]. Added in schema version 3.
///
/// On the wire, an object tagged by `reason`:
/// `{"reason":"unknown_calendar","name":"support desk"}`, `{"reason":"no_working_time"}`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "reason", rename_all = "snake_case")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum NoTarget {
    /// The calendar the target runs on is not in the policy (it was retired while the clock
    /// was paused or stopped, or the policy never defined it).
    #[error("the policy has no calendar named {name:?}")]
    UnknownCalendar {
        /// The calendar's name.
        name: String,
    },
    /// The calendar has no working time left after the clock's start.
    #[error("the calendar has no working time left")]
    NoWorkingTime,
    /// The deadline would lie beyond the instants the calendar can represent.
    #[error("the deadline lies beyond the instants the calendar can represent")]
    OutOfRange,
    /// The policy sets no target for it: the priority is one of its targets'
    /// [`untargeted`](crate::policy::Targets::untargeted) priorities (issue 14 item 9). Meant,
    /// not a fault: unlike the other reasons it is not flagged. Its terms state a zero
    /// `target`, which means nothing.
    #[error("the policy sets no target for it")]
    NoneSet,
}

impl NoTarget {
    /// Whether the clock has no target because something went wrong (a calendar that cannot
    /// answer), which is flagged to its owner; `false` for [`NoneSet`](Self::NoneSet), which
    /// the policy meant.
    ///
    /// ```
    /// use clientele::outcome::NoTarget;
    ///
    /// assert!(NoTarget::UnknownCalendar { name: "desk".into() }.is_fault()); // flagged
    /// assert!(!NoTarget::NoneSet.is_fault()); // the policy meant it
    /// ```
    #[must_use]
    pub const fn is_fault(&self) -> bool {
        !matches!(self, Self::NoneSet)
    }
}

/// [`Outcome`] in a snapshot's binary form (see [`crate::compact`]).
#[derive(Serialize, Deserialize)]
#[serde(remote = "Outcome")]
enum OutcomeBinary {
    Met,
    MetLate { lateness: Lateness },
    Missed { lateness: Lateness },
    Untimed,
}

/// [`NoTarget`] in a snapshot's binary form (see [`crate::compact`]).
#[derive(Serialize, Deserialize)]
#[serde(remote = "NoTarget")]
enum NoTargetBinary {
    UnknownCalendar { name: String },
    NoWorkingTime,
    OutOfRange,
    NoneSet,
}

crate::compact::either_form!(outcome_form, Outcome, OutcomeBinary);
crate::compact::either_form!(no_target_form, NoTarget, NoTargetBinary, with option);
/// Where one target stands, in one value (issue 14 item 13): read it from
/// [`Complaint::status`](crate::complaint::Complaint::status) or
/// [`ResponseClock::status`](crate::response::ResponseClock::status) instead of assembling it
/// from stages, clock phases and flags.
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use clientele::complaint::ComplaintClockKind;
/// use clientele::outcome::TargetStatus;
/// use clientele::{
///     Channel, ComplaintId, CustomerId, ReceiveComplaint, RegisterCustomer, Relationship,
///     ServicePolicy, Text, Tier,
/// };
///
/// let policy = ServicePolicy::default();
/// let complaint = ComplaintId::from_u128(7);
/// let mut ona = Relationship::new(CustomerId::from_u128(1));
/// let monday = Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap();
/// ona.execute(&policy, RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?), monday)?;
/// ona.execute(&policy, ReceiveComplaint::new(complaint, Channel::Phone, Text::new("Late")?), monday)?;
/// let status = ona.complaint(complaint).expect("received").status(ComplaintClockKind::Resolution);
/// // Normal priority: resolved within 40 hours on the default, always-open calendar.
/// let due = Utc.with_ymd_and_hms(2026, 3, 4, 1, 0, 0).unwrap();
/// assert_eq!(status, Some(TargetStatus::Running { due, breached: false }));
/// assert_eq!(status.and_then(|s| s.due()), Some(due));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum TargetStatus {
    /// Counting toward its due instant.
    Running {
        /// When it runs out.
        due: DateTime<Utc>,
        /// Whether it ran out and the breach was recorded: still running, past its due
        /// instant.
        breached: bool,
    },
    /// Not counting (the customer is awaited, and waiting pauses it): no due instant until
    /// it runs again.
    Paused {
        /// Business time left to the due instant.
        remaining: Span,
    },
    /// Ended in time.
    Met,
    /// Ended late (met late), or ended without being met (the acknowledgement of a complaint
    /// resolved past its due instant).
    Missed {
        /// By how much.
        lateness: Lateness,
    },
    /// Ended without applying: the item was closed without a resolution.
    NotApplicable,
    /// It has no target: it runs, or ended, without a due instant.
    NoTarget {
        /// Why.
        reason: NoTarget,
    },
}

impl TargetStatus {
    /// The due instant: only while running with a target.
    ///
    /// ```
    /// # use clientele::{*, chrono::{TimeZone, Utc}};
    /// # let (policy, monday) = (ServicePolicy::default(), Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap());
    /// # let mut ona = Relationship::new(CustomerId::from_u128(1)); ona.execute(&policy, RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?), monday)?;
    /// let late = ComplaintId::from_u128(3);
    /// ona.execute(&policy, ReceiveComplaint::new(late, Channel::Phone, Text::new("Late")?), monday)?;
    /// let clock = &ona.complaint(late).ok_or("received")?.acknowledgement;
    /// assert_eq!(clock.status().due(), Some(Utc.with_ymd_and_hms(2026, 3, 2, 13, 0, 0).unwrap())); // 4 h
    /// ona.execute(&policy, AcknowledgeComplaint::new(late, AgentId::from_u128(7)), monday)?;
    /// let clock = &ona.complaint(late).ok_or("received")?.acknowledgement;
    /// assert_eq!(clock.status().due(), None); // met: no longer running
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub const fn due(&self) -> Option<DateTime<Utc>> {
        match self {
            TargetStatus::Running { due, .. } => Some(*due),
            TargetStatus::Paused { .. }
            | TargetStatus::Met
            | TargetStatus::Missed { .. }
            | TargetStatus::NotApplicable
            | TargetStatus::NoTarget { .. } => None,
        }
    }

    /// The status a target ended with, given its `outcome` and why it had no target, if it
    /// had none.
    pub(crate) fn ended(outcome: Outcome, no_target: Option<&NoTarget>) -> Self {
        match outcome {
            Outcome::Met => TargetStatus::Met,
            Outcome::MetLate { lateness } | Outcome::Missed { lateness } => {
                TargetStatus::Missed { lateness }
            }
            Outcome::Untimed => TargetStatus::NoTarget {
                reason: no_target.cloned().unwrap_or(NoTarget::NoneSet),
            },
        }
    }
}
