//! A complaint's target clocks: their terms (computed once, when decided, and recorded in the
//! event), where they stand (running, paused while the customer is awaited, stopped with an
//! outcome), and the arithmetic of pauses and resumptions.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::error::CommandError;
use crate::outcome::Outcome;
use crate::policy::ServicePolicy;
use crate::value::Span;

/// Which of a complaint's clocks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum ComplaintClockKind {
    /// Time to acknowledge.
    Acknowledgement,
    /// Time to resolve.
    Resolution,
    /// Time at the current support level before escalation is due.
    Escalation,
}

/// What a decision computed for a clock; recorded in the event, so replay needs no calendar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ClockTerms {
    /// The target, in business time.
    pub target: Span,
    /// The named calendar it runs on; `None` for the policy's own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub calendar: Option<String>,
    /// When it runs out.
    pub due: DateTime<Utc>,
    /// When it warns, if it does.
    pub warn_at: Option<DateTime<Utc>>,
}

/// Where a clock stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClockPhase {
    /// Counting.
    Running,
    /// Not counting: waiting on the customer, or the complaint is resolved and may reopen.
    Paused {
        /// Since when.
        since: DateTime<Utc>,
        /// Business time that was left to the due instant.
        remaining: Span,
        /// Business time that was left to the warning, if it had not been raised.
        warn_remaining: Option<Span>,
    },
    /// Done, with its outcome.
    Stopped {
        /// Met or met late.
        outcome: Outcome,
        /// When it stopped counting: when it was stopped, or, if it was paused then, when the
        /// pause began. A reopen that continues the clock goes on from here.
        counted_until: DateTime<Utc>,
    },
}

/// One of a complaint's target clocks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TargetClock {
    /// What it was given.
    pub terms: ClockTerms,
    /// Whether its warning has been raised in this run.
    pub warned: bool,
    /// Whether its breach has been recorded in this run.
    pub breached: bool,
    /// Where it stands.
    pub phase: ClockPhase,
    /// Business time it spent paused waiting on the customer, in total across the cycles a
    /// reopen continued, as each resumption recorded it. [`paused_total`](Self::paused_total)
    /// adds the time a reopen set aside.
    pub paused: Span,
    /// The spans a reopen that continued the clock ([`ReopenMode::Continue`]) set aside, from
    /// where it stopped counting to the reopen: `(from, to)` in wall time, oldest first. The
    /// reopen records no span, and replay has no calendar, so they are kept as instants;
    /// [`paused_total`](Self::paused_total) measures them on the clock's calendar.
    ///
    /// [`ReopenMode::Continue`]: crate::policy::ReopenMode::Continue
    pub set_aside: Vec<(DateTime<Utc>, DateTime<Utc>)>,
}

impl TargetClock {
    pub(super) fn start(terms: ClockTerms) -> Self {
        Self {
            terms,
            warned: false,
            breached: false,
            phase: ClockPhase::Running,
            paused: Span::ZERO,
            set_aside: Vec::new(),
        }
    }

    /// Every span excluded from the target, in business time on the clock's calendar: the
    /// waits on the customer that paused it ([`paused`](Self::paused)) and the time between a
    /// resolution and a reopen that continued it ([`set_aside`](Self::set_aside)), across
    /// cycles. A reopen that restarts the clock, or starts a new cycle, starts from zero.
    ///
    /// # Errors
    /// [`CommandError::UnknownCalendar`] when the policy has no calendar the clock runs on, or
    /// what measuring business time on it refuses.
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use clientele::{
    ///     AcknowledgeComplaint, AgentId, Channel, ComplaintId, CustomerId, ReceiveComplaint,
    ///     RegisterCustomer, Relationship, ServicePolicy, Span, Text, Tier,
    /// };
    ///
    /// let policy = ServicePolicy::default();
    /// let complaint = ComplaintId::from_u128(7);
    /// let mut ona = Relationship::new(CustomerId::from_u128(1));
    /// let monday = Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap();
    /// ona.execute(&policy, RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?), monday)?;
    /// ona.execute(&policy, ReceiveComplaint::new(complaint, Channel::Phone, Text::new("Late")?), monday)?;
    /// let clock = &ona.complaint(complaint).expect("received").resolution;
    /// assert_eq!(clock.paused_total(&policy)?, Span::ZERO);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn paused_total(&self, policy: &ServicePolicy) -> Result<Span, CommandError> {
        let calendar = self.terms.calendar.as_deref();
        self.set_aside
            .iter()
            .try_fold(self.paused, |total, &(from, to)| {
                let span = policy.business_between(calendar, from, to)?;
                Ok(total.checked_add(span).unwrap_or(Span::MAX))
            })
    }

    /// Its next deadline while running.
    pub(super) fn deadline(&self) -> Option<(DateTime<Utc>, bool)> {
        if self.phase != ClockPhase::Running {
            return None;
        }
        match self.terms.warn_at {
            Some(at) if !self.warned && !self.breached && at < self.terms.due => Some((at, true)),
            _ if !self.breached => Some((self.terms.due, false)),
            _ => None,
        }
    }

    pub(super) fn is_running(&self) -> bool {
        self.phase == ClockPhase::Running
    }
}

/// What a pause records for one clock: the business time left, and left to its warning.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Remaining {
    /// To the due instant.
    pub due: Span,
    /// To the warning, if not yet raised.
    pub warn: Option<Span>,
}

/// Computes a clock's terms: `target` from `start`, warning at the policy's lead.
pub(super) fn terms(
    policy: &ServicePolicy,
    calendar: Option<&str>,
    start: DateTime<Utc>,
    target: Span,
    warn: bool,
) -> Result<ClockTerms, CommandError> {
    let due = policy.due(calendar, start, target)?;
    let warn_at = if warn {
        policy
            .complaints
            .warning
            .warn_after(target)
            .map(|after| policy.due(calendar, start, after))
            .transpose()?
    } else {
        None
    };
    Ok(ClockTerms {
        target,
        calendar: calendar.map(str::to_owned),
        due,
        warn_at,
    })
}

/// The escalation clock for `level`, if the level has a threshold and a level above it.
pub(super) fn escalation_terms(
    policy: &ServicePolicy,
    level: u32,
    start: DateTime<Utc>,
) -> Result<Option<ClockTerms>, CommandError> {
    let levels = &policy.complaints.levels;
    let index = usize::try_from(level).unwrap_or(usize::MAX);
    if index.saturating_add(1) >= levels.len() {
        return Ok(None);
    }
    match levels.get(index) {
        Some(level) => match level.escalate_after {
            Some(after) => terms(policy, level.calendar.as_deref(), start, after, false).map(Some),
            None => Ok(None),
        },
        None => Ok(None),
    }
}

/// Business time left on a running clock at `now`, and to its warning if not yet raised.
fn remaining(
    policy: &ServicePolicy,
    clock: &TargetClock,
    now: DateTime<Utc>,
) -> Result<(Span, Option<Span>), CommandError> {
    let calendar = clock.terms.calendar.as_deref();
    let left = if clock.breached {
        Span::ZERO
    } else {
        policy.business_between(calendar, now, clock.terms.due)?
    };
    let warn_left = match clock.terms.warn_at {
        Some(at) if !clock.warned && at > now => Some(policy.business_between(calendar, now, at)?),
        _ => None,
    };
    Ok((left, warn_left))
}

/// A paused clock's terms when it runs again at `now`.
pub(super) fn resumed(
    policy: &ServicePolicy,
    clock: &TargetClock,
    now: DateTime<Utc>,
) -> Result<Option<ClockTerms>, CommandError> {
    let ClockPhase::Paused {
        remaining,
        warn_remaining,
        ..
    } = clock.phase
    else {
        return Ok(None);
    };
    let calendar = clock.terms.calendar.as_deref();
    Ok(Some(ClockTerms {
        target: clock.terms.target,
        calendar: clock.terms.calendar.clone(),
        due: policy.due(calendar, now, remaining)?,
        warn_at: warn_remaining
            .map(|left| policy.due(calendar, now, left))
            .transpose()?,
    }))
}

/// What pausing `clock` at `now` records, if it is running.
pub(super) fn pause_of(
    policy: &ServicePolicy,
    clock: Option<&TargetClock>,
    now: DateTime<Utc>,
) -> Result<Option<Remaining>, CommandError> {
    match clock.filter(|c| c.is_running()) {
        Some(clock) => {
            let (due, warn) = remaining(policy, clock, now)?;
            Ok(Some(Remaining { due, warn }))
        }
        None => Ok(None),
    }
}

/// Stops a clock with its outcome at `at` (or where its pause began).
pub(super) fn stop(clock: &mut TargetClock, outcome: Outcome, at: DateTime<Utc>) {
    let counted_until = match clock.phase {
        ClockPhase::Paused { since, .. } => since,
        ClockPhase::Running | ClockPhase::Stopped { .. } => at,
    };
    clock.phase = ClockPhase::Stopped {
        outcome,
        counted_until,
    };
}

/// Pauses a running clock at `since` with what the pause recorded for it.
pub(super) fn pause(clock: &mut TargetClock, since: DateTime<Utc>, remaining: Option<&Remaining>) {
    if let (ClockPhase::Running, Some(left)) = (&clock.phase, remaining) {
        clock.phase = ClockPhase::Paused {
            since,
            remaining: left.due,
            warn_remaining: left.warn,
        };
    }
}

/// Runs a clock again on new terms, adding the time it spent paused.
pub(super) fn run(clock: &mut TargetClock, terms: ClockTerms, paused: Span) {
    clock.terms = terms;
    clock.phase = ClockPhase::Running;
    clock.paused = clock.paused.checked_add(paused).unwrap_or(Span::MAX);
}
