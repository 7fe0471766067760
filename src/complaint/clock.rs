//! A complaint's target clocks: their terms (computed once, when decided, and recorded in the
//! event), where they stand (running, paused while the customer is awaited, stopped with an
//! outcome), and the arithmetic of pauses and resumptions.
//!
//! # A clock with no target
//! Computing a clock's deadline never stops a fact from being recorded. When the calendar its
//! target runs on cannot answer (the policy retired it while the clock was paused or stopped,
//! it has no working time left, or the deadline cannot be represented), the terms record
//! [`NoTarget`] with the reason instead of a due instant (schema version 3). Such a clock never
//! warns or falls due, is flagged to the complaint's owner
//! ([`FlagKind::NoTarget`](crate::FlagKind::NoTarget)), is not paused by a wait (nothing
//! counts), and what stops it is [`Outcome::Untimed`]. A clock resumed or continued after a
//! reopen carries on on the calendar named when it started: the engine keeps no calendar
//! definitions of its own (the policy holds them by name, and copying one into every event
//! would bloat the log), so if that name is gone from the policy the clock has no target. The
//! business time left at a pause or a reopen is measured on the calendar, or by the wall clock
//! when the calendar is gone, as every measurement is ([`ServicePolicy::elapsed`]).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::error::CommandError;
use crate::outcome::{NoTarget, Outcome, TargetStatus};
use crate::policy::{ServicePolicy, Situation, Targets};
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
    /// When it runs out; absent when it has no target (then `no_target` says why). Exactly
    /// one of the two is present: the reader refuses an event with both or neither.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due: Option<DateTime<Utc>>,
    /// Why it has no target, if it has none (added in schema version 3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub no_target: Option<NoTarget>,
    /// When it warns, if it does.
    pub warn_at: Option<DateTime<Utc>>,
}

/// [`ClockTerms`] in a snapshot's binary form (see `crate::compact`): every field present.
#[derive(Serialize, Deserialize)]
#[serde(remote = "ClockTerms")]
struct ClockTermsBinary {
    target: Span,
    calendar: Option<String>,
    #[serde(with = "crate::compact::instant::option")]
    due: Option<DateTime<Utc>>,
    #[serde(with = "crate::outcome::no_target_form::option")]
    no_target: Option<NoTarget>,
    #[serde(with = "crate::compact::instant::option")]
    warn_at: Option<DateTime<Utc>>,
}

crate::compact::either_form!(clock_terms_form, ClockTerms, ClockTermsBinary);

impl ClockTerms {
    /// Terms of `target` on `calendar` from a computed deadline, or with no target.
    fn of(
        target: Span,
        calendar: Option<String>,
        due: Result<DateTime<Utc>, NoTarget>,
        warn_at: Option<DateTime<Utc>>,
    ) -> Self {
        match due {
            Ok(due) => Self {
                target,
                calendar,
                due: Some(due),
                no_target: None,
                warn_at,
            },
            Err(reason) => Self {
                target,
                calendar,
                due: None,
                no_target: Some(reason),
                warn_at: None,
            },
        }
    }

    /// Terms with no target, as the policy means for the priority ([`NoTarget::NoneSet`]).
    pub(super) fn none_set(calendar: Option<&str>) -> Self {
        Self::of(
            Span::ZERO,
            calendar.map(str::to_owned),
            Err(NoTarget::NoneSet),
            None,
        )
    }

    /// Whether the policy set no target for it ([`NoTarget::NoneSet`]).
    pub(super) fn none_is_set(&self) -> bool {
        self.no_target == Some(NoTarget::NoneSet)
    }

    /// Whether the terms are well formed: a due instant or a reason for none, not both.
    pub(crate) const fn is_consistent(&self) -> bool {
        self.due.is_some() != self.no_target.is_some()
    }
}

/// Where a clock stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ClockPhase {
    /// Counting.
    Running,
    /// Not counting: waiting on the customer, or the complaint is resolved and may reopen.
    Paused {
        /// Since when.
        #[serde(with = "crate::compact::instant")]
        since: DateTime<Utc>,
        /// Business time that was left to the due instant.
        remaining: Span,
        /// Business time that was left to the warning, if it had not been raised.
        warn_remaining: Option<Span>,
    },
    /// Ended without applying: the complaint was closed without a resolution (a duplicate,
    /// invalid, withdrawn by the customer), so the target was neither met nor missed.
    NotApplicable {
        /// When it ended.
        since: DateTime<Utc>,
    },
    /// Done, with its outcome.
    Stopped {
        /// Met or met late.
        #[serde(with = "crate::outcome::outcome_form")]
        outcome: Outcome,
        /// When it stopped counting: when it was stopped, or, if it was paused then, when the
        /// pause began. A reopen that continues the clock goes on from here.
        #[serde(with = "crate::compact::instant")]
        counted_until: DateTime<Utc>,
    },
}

/// One of a complaint's target clocks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TargetClock {
    /// What it was given.
    #[serde(with = "crate::complaint::clock::clock_terms_form")]
    pub terms: ClockTerms,
    /// When it was given its current terms (started, ran again, restarted).
    #[serde(with = "crate::compact::instant")]
    pub since: DateTime<Utc>,
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
    pub(super) fn start(terms: ClockTerms, since: DateTime<Utc>) -> Self {
        Self {
            terms,
            since,
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
        let due = self.terms.due?;
        match self.terms.warn_at {
            Some(at) if !self.warned && !self.breached && at < due => Some((at, true)),
            _ if !self.breached => Some((due, false)),
            _ => None,
        }
    }

    /// Why it has no target, while it runs without one for a fault (flagged; a clock the
    /// policy set no target for is not).
    pub(super) fn without_target(&self) -> Option<&NoTarget> {
        self.terms
            .no_target
            .as_ref()
            .filter(|reason| self.is_running() && reason.is_fault())
    }

    /// Where its target stands: running toward its due instant, paused with the business
    /// time left, ended met, missed or not applicable, or without a target.
    ///
    /// ```
    /// # use clientele::{*, chrono::{TimeDelta, TimeZone, Utc}};
    /// # let (policy, monday) = (ServicePolicy::default(), Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap());
    /// # let mut ona = Relationship::new(CustomerId::from_u128(1)); ona.execute(&policy, RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?), monday)?;
    /// use clientele::outcome::TargetStatus;
    /// # let (late, jonas) = (ComplaintId::from_u128(3), AgentId::from_u128(7));
    /// # ona.execute(&policy, ReceiveComplaint::new(late, Channel::Phone, Text::new("Glasses late")?), monday)?;
    ///
    /// ona.execute(&policy, AcknowledgeComplaint::new(late, jonas), monday + TimeDelta::hours(1))?;
    /// let complaint = ona.complaint(late).ok_or("received")?;
    /// assert_eq!(complaint.acknowledgement.status(), TargetStatus::Met);
    /// assert!(matches!(complaint.resolution.status(), TargetStatus::Running { breached: false, .. }));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn status(&self) -> TargetStatus {
        match (&self.phase, self.terms.due) {
            (ClockPhase::NotApplicable { .. }, _) => TargetStatus::NotApplicable,
            (ClockPhase::Stopped { outcome, .. }, _) => {
                TargetStatus::ended(*outcome, self.terms.no_target.as_ref())
            }
            (ClockPhase::Running | ClockPhase::Paused { .. }, None) => TargetStatus::NoTarget {
                reason: self.terms.no_target.clone().unwrap_or(NoTarget::NoneSet),
            },
            (ClockPhase::Paused { remaining, .. }, Some(_)) => TargetStatus::Paused {
                remaining: *remaining,
            },
            (ClockPhase::Running, Some(due)) => TargetStatus::Running {
                due,
                breached: self.breached,
            },
        }
    }

    pub(super) fn is_running(&self) -> bool {
        self.phase == ClockPhase::Running
    }

    pub(super) fn is_paused(&self) -> bool {
        matches!(self.phase, ClockPhase::Paused { .. })
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

/// What a change of a complaint's terms (a re-prioritisation) gives one of its clocks, as
/// decided and recorded in
/// [`ComplaintEvent::Reprioritised`](crate::complaint::ComplaintEvent::Reprioritised).
///
/// The new target counts from receipt: `worked` is the business time the clock had counted
/// under its old terms (its old target less what was left, plus any time past its due instant,
/// measured on the calendar it ran on; pauses never count), and what is left of the new target
/// is the new target less `worked`, on the calendar the policy names for the new terms.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Retargeted {
    /// Business time the clock had counted when its terms changed.
    pub worked: Span,
    /// Its new terms. A running clock's due instant is where the new target runs out, counted
    /// from the change; a paused clock's, where it would run out had the pause not begun (its
    /// real due instant is fixed when it runs again: `complaint_resumed` records it). A new
    /// target already used up is due at once (at the change, or when the clock runs again).
    pub terms: ClockTerms,
    /// For a clock that is paused after the change (waiting on the customer): the business
    /// time left on the new target, and to its warning. Absent for a running clock.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paused: Option<Remaining>,
}

/// Business time `clock` has counted toward its target by `now` (by the start of its pause if
/// paused, by where it stopped if stopped): its target less what is left to its due instant,
/// or plus the time past it, on the calendar it runs on (the wall clock if the policy no
/// longer names it). Pauses and the spans a reopen set aside never count. A clock with no
/// target keeps no account of its pauses: what it counted is the business time since it was
/// given its terms.
pub(super) fn worked(policy: &ServicePolicy, clock: &TargetClock, now: DateTime<Utc>) -> Span {
    let calendar = clock.terms.calendar.as_deref();
    let (until, left) = match clock.phase {
        ClockPhase::Running => (now, None),
        ClockPhase::Paused {
            since, remaining, ..
        } => (since, Some(remaining)),
        ClockPhase::Stopped { counted_until, .. } => (counted_until, None),
        ClockPhase::NotApplicable { since } => (since, None),
    };
    let Some(due) = clock.terms.due else {
        return policy.business_or_wall(calendar, clock.since.min(until), until);
    };
    if until > due {
        let overdue = policy.business_or_wall(calendar, due, until);
        return clock.terms.target.checked_add(overdue).unwrap_or(Span::MAX);
    }
    let left = left.unwrap_or_else(|| policy.business_or_wall(calendar, until, due));
    clock.terms.target.saturating_sub(left)
}

/// What re-prioritising a complaint at `now` gives `clock`: the policy's `targets` for the
/// new terms' `situation` (on the calendar its rules choose), less what the clock has
/// [`worked`]. A paused clock stays paused with the new time left; a running one with no
/// target that a wait would have paused (`pausing`) pauses now that it has one.
pub(super) fn retargeted(
    policy: &ServicePolicy,
    targets: &Targets,
    clock: &TargetClock,
    situation: &Situation<'_>,
    now: DateTime<Utc>,
    pausing: bool,
) -> Retargeted {
    let worked = worked(policy, clock, now);
    let calendar = targets.calendar_for(situation);
    let Some(target) = targets.target(situation.priority, situation.tier) else {
        return Retargeted {
            worked,
            terms: ClockTerms::none_set(calendar),
            paused: None,
        };
    };
    let left = target.saturating_sub(worked);
    let warn = policy
        .complaints
        .warning
        .warn_after(target)
        .map(|after| after.saturating_sub(worked));
    let pause_since = match clock.phase {
        ClockPhase::Paused { since, .. } => Some(since),
        ClockPhase::Running if pausing => Some(now),
        ClockPhase::Running | ClockPhase::Stopped { .. } | ClockPhase::NotApplicable { .. } => None,
    };
    let start = pause_since.unwrap_or(now);
    let terms = ClockTerms::of(
        target,
        calendar.map(str::to_owned),
        policy.target_due(calendar, start, left),
        warn.and_then(|w| policy.target_due(calendar, start, w).ok()),
    );
    let paused = pause_since
        .filter(|_| terms.due.is_some())
        .map(|_| Remaining { due: left, warn });
    Retargeted {
        worked,
        terms,
        paused,
    }
}

/// Gives `clock` the terms a re-prioritisation at `at` decided. Its warning and breach are
/// armed again when the new terms put them after the change (a breach already recorded
/// stands, and is not recorded again while the new due instant has passed too).
pub(super) fn retarget(clock: &mut TargetClock, new: &Retargeted, at: DateTime<Utc>) {
    let ahead = |moment: Option<DateTime<Utc>>| moment.is_some_and(|m| m > at);
    if let Some(left) = &new.paused {
        let since = match clock.phase {
            ClockPhase::Paused { since, .. } => since,
            ClockPhase::Running | ClockPhase::Stopped { .. } | ClockPhase::NotApplicable { .. } => {
                at
            }
        };
        clock.warned = clock.warned && left.warn.is_none_or(Span::is_zero);
        clock.breached = clock.breached && left.due.is_zero();
        clock.phase = ClockPhase::Paused {
            since,
            remaining: left.due,
            warn_remaining: left.warn,
        };
    } else {
        clock.warned = clock.warned && !ahead(new.terms.warn_at);
        clock.breached = clock.breached && !ahead(new.terms.due);
        clock.phase = ClockPhase::Running;
    }
    clock.terms = new.terms.clone();
    clock.since = at;
}

/// Computes a clock's terms: `target` from `start`, warning at the policy's lead.
pub(super) fn terms(
    policy: &ServicePolicy,
    calendar: Option<&str>,
    start: DateTime<Utc>,
    target: Span,
    warn: bool,
) -> ClockTerms {
    let due = policy.target_due(calendar, start, target);
    // A warning falls before the due instant, so it can be computed whenever that can.
    let warn_at = if warn {
        policy
            .complaints
            .warning
            .warn_after(target)
            .and_then(|after| policy.target_due(calendar, start, after).ok())
    } else {
        None
    };
    ClockTerms::of(target, calendar.map(str::to_owned), due, warn_at)
}

/// A clock's terms from the policy's `targets` for `situation`, from `start`, on the calendar
/// its rules choose: with no target when the policy sets none for the priority.
pub(super) fn targeted(
    policy: &ServicePolicy,
    targets: &Targets,
    situation: &Situation<'_>,
    start: DateTime<Utc>,
) -> ClockTerms {
    let calendar = targets.calendar_for(situation);
    match targets.target(situation.priority, situation.tier) {
        Some(target) => terms(policy, calendar, start, target, true),
        None => ClockTerms::none_set(calendar),
    }
}

/// The escalation clock for `level`, if the level has a threshold and a level above it.
pub(super) fn escalation_terms(
    policy: &ServicePolicy,
    level: u32,
    start: DateTime<Utc>,
) -> Option<ClockTerms> {
    let levels = &policy.complaints.levels;
    let index = usize::try_from(level).unwrap_or(usize::MAX);
    if index.saturating_add(1) >= levels.len() {
        return None;
    }
    let level = levels.get(index)?;
    let after = level.escalate_after?;
    Some(terms(
        policy,
        level.calendar.as_deref(),
        start,
        after,
        false,
    ))
}

/// Business time left at `now` on a running clock with a due instant `due`, and to its warning
/// if not yet raised (by the wall clock if its calendar is gone). Measured by real times: a
/// pause dated before the due instant keeps the time that was left then, even when it is
/// logged after the breach was recorded (the breach stands).
fn remaining(
    policy: &ServicePolicy,
    clock: &TargetClock,
    due: DateTime<Utc>,
    now: DateTime<Utc>,
) -> (Span, Option<Span>) {
    let calendar = clock.terms.calendar.as_deref();
    let left = if due <= now {
        Span::ZERO
    } else {
        policy.business_or_wall(calendar, now, due)
    };
    let warn_left = match clock.terms.warn_at {
        Some(at) if !clock.warned && at > now => Some(policy.business_or_wall(calendar, now, at)),
        _ => None,
    };
    (left, warn_left)
}

/// A paused clock's terms when it runs again at `now`.
pub(super) fn resumed(
    policy: &ServicePolicy,
    clock: &TargetClock,
    now: DateTime<Utc>,
) -> Option<ClockTerms> {
    let ClockPhase::Paused {
        remaining,
        warn_remaining,
        ..
    } = clock.phase
    else {
        return None;
    };
    Some(carried_on(
        policy,
        &clock.terms,
        now,
        remaining,
        warn_remaining,
    ))
}

/// A clock's terms when it carries on at `now` with `left` business time to its due instant
/// and `warn_left` to its warning, on the calendar it was started on.
pub(super) fn carried_on(
    policy: &ServicePolicy,
    terms: &ClockTerms,
    now: DateTime<Utc>,
    left: Span,
    warn_left: Option<Span>,
) -> ClockTerms {
    let calendar = terms.calendar.as_deref();
    ClockTerms::of(
        terms.target,
        terms.calendar.clone(),
        policy.target_due(calendar, now, left),
        warn_left.and_then(|left| policy.target_due(calendar, now, left).ok()),
    )
}

/// What pausing `clock` at `now` records, if it is running with a target (a clock with no
/// target has nothing to pause: it goes on without one).
pub(super) fn pause_of(
    policy: &ServicePolicy,
    clock: Option<&TargetClock>,
    now: DateTime<Utc>,
) -> Option<Remaining> {
    let clock = clock.filter(|c| c.is_running())?;
    let (due, warn) = remaining(policy, clock, clock.terms.due?, now);
    Some(Remaining { due, warn })
}

/// Stops a clock with its outcome at `at` (or where its pause began).
pub(super) fn stop(clock: &mut TargetClock, outcome: Outcome, at: DateTime<Utc>) {
    let counted_until = match clock.phase {
        ClockPhase::Paused { since, .. } => since,
        ClockPhase::Running | ClockPhase::Stopped { .. } | ClockPhase::NotApplicable { .. } => at,
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

/// Runs a clock again on new terms at `since`, adding the time it spent paused.
pub(super) fn run(clock: &mut TargetClock, terms: ClockTerms, since: DateTime<Utc>, paused: Span) {
    clock.terms = terms;
    clock.since = since;
    clock.phase = ClockPhase::Running;
    clock.paused = clock.paused.checked_add(paused).unwrap_or(Span::MAX);
}
