//! Complaints: welcomed, acknowledged, owned, escalated when they must be, resolved with a
//! remedy and an apology, and followed up.
//!
//! "A complaining customer is a wonderful thing": they still invest in the relationship. A
//! complaint is **received** (the acknowledgement and resolution clocks start), then
//! **acknowledged** (we told the customer we have it), then **in progress** with an owner; it
//! may wait on the customer (the clocks the policy marks pausable stop counting) and climb the
//! policy's escalation ladder; it is **resolved** (remedy, apology, summary; a follow-up is
//! scheduled) and **closed**, and it can be **reopened** from either.
//!
//! - Clocks: acknowledgement and resolution targets by priority × tier, on the policy's
//!   calendars; a warning at the policy's lead, a breach event exactly once per run of a clock,
//!   and an outcome when it stops: met, or met late with the lateness.
//! - Escalation: each support level may say how long a complaint may stay unresolved there.
//!   `EscalationDue` is raised when that passes, at once on a reopen, when a promise linked to
//!   the complaint breaks a second time, and when the customer asks. It stays flagged until
//!   someone escalates (a command naming the level and the new owner).
//! - A reopen does to the resolution clock what the policy says ([`ReopenMode`]), and the
//!   event records the choice.
//! - Resolving a complaint that was never acknowledged is refused unless the policy allows it
//!   (`ComplaintPolicy::resolve_unacknowledged`): acknowledging is a courtesy we owe.
//!
//! # State diagram
//!
//! ```text
//! received     --acknowledge--> acknowledged
//! received     --resolve-->     resolved
//! acknowledged --assign-->      in_progress
//! acknowledged --escalate-->    in_progress
//! acknowledged --resolve-->     resolved
//! in_progress  --assign-->      in_progress
//! in_progress  --escalate-->    in_progress
//! in_progress  --wait-->        waiting
//! in_progress  --resolve-->     resolved
//! waiting      --assign-->      waiting
//! waiting      --escalate-->    waiting
//! waiting      --resume-->      in_progress
//! waiting      --resolve-->     resolved
//! resolved     --close-->       closed
//! resolved     --reopen-->      in_progress
//! closed       --reopen-->      in_progress
//! ```
//!
//! Resolving straight from `received` is in the table; the policy decides whether it is
//! allowed.

mod command;
mod event;

pub use command::{
    AcknowledgeComplaint, AssignComplaint, AwaitCustomer, CloseComplaint, ComplaintCommand,
    EscalateComplaint, ReceiveComplaint, ReopenComplaint, RequestEscalation, ResolveComplaint,
    ResumeComplaint,
};
pub use event::ComplaintEvent;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::flag::{DeadlineKind, FlagKind};
use crate::follow_up::FollowUpEvent;
use crate::lifecycle::Lifecycle;
use crate::personal::Erase;
use crate::policy::ReopenMode;
use crate::registry::Registry;
use crate::response::{Outcome, Refused};
use crate::{
    AgentId, Channel, CommandError, ComplaintId, Event, FollowUpId, InteractionId, Personal,
    Priority, PromiseId, ServicePolicy, Span, Text, Tier,
};

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
    /// Business time it spent paused, in total.
    pub paused: Span,
}

impl TargetClock {
    fn start(terms: ClockTerms) -> Self {
        Self {
            terms,
            warned: false,
            breached: false,
            phase: ClockPhase::Running,
            paused: Span::ZERO,
        }
    }

    /// Its next deadline while running.
    fn deadline(&self) -> Option<(DateTime<Utc>, bool)> {
        if self.phase != ClockPhase::Running {
            return None;
        }
        match self.terms.warn_at {
            Some(at) if !self.warned && !self.breached && at < self.terms.due => Some((at, true)),
            _ if !self.breached => Some((self.terms.due, false)),
            _ => None,
        }
    }

    fn is_running(&self) -> bool {
        self.phase == ClockPhase::Running
    }
}

/// Why escalation is due.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum EscalationReason {
    /// The complaint stayed unresolved past its level's threshold.
    Threshold,
    /// The complaint was reopened.
    Reopened,
    /// A promise linked to it broke a second time.
    PromiseBrokenAgain,
    /// The customer asked.
    CustomerAsked,
}

/// A change of support level or owner, kept as history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Handover {
    /// When.
    pub at: DateTime<Utc>,
    /// The level from then on (index into the policy's ladder).
    pub level: u32,
    /// The owner from then on.
    pub owner: AgentId,
}

/// How a complaint was resolved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Resolution {
    /// When.
    pub at: DateTime<Utc>,
    /// Who resolved it.
    pub by: AgentId,
    /// What we gave the customer, if anything (a refund, a replacement, a discount).
    pub remedy: Option<Personal>,
    /// Whether we apologised.
    pub apology: bool,
    /// What was done.
    pub summary: Personal,
}

/// A complaint's stage, with the data valid in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ComplaintState {
    /// Received, not yet acknowledged.
    Received,
    /// The customer was told we have it.
    Acknowledged {
        /// By whom.
        by: AgentId,
    },
    /// Someone owns it and works on it.
    InProgress,
    /// Waiting on the customer.
    Waiting {
        /// Since when.
        since: DateTime<Utc>,
    },
    /// Resolved.
    Resolved(Resolution),
    /// Closed after resolution.
    Closed(Resolution),
}

/// A complaint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Complaint {
    /// What the customer complained about.
    pub summary: Personal,
    /// How severe.
    pub priority: Priority,
    /// Where it came in.
    pub channel: Channel,
    /// When.
    pub received_at: DateTime<Utc>,
    /// The customer's tier when it came in.
    pub tier: Tier,
    /// Interactions it concerns.
    pub interactions: Vec<InteractionId>,
    /// Promises it concerns.
    pub promises: Vec<PromiseId>,
    /// Who owns it, once someone does.
    pub owner: Option<AgentId>,
    /// Its support level (index into the policy's ladder).
    pub level: u32,
    /// Every change of level or owner.
    pub history: Vec<Handover>,
    /// The acknowledgement clock.
    pub acknowledgement: TargetClock,
    /// The resolution clock.
    pub resolution: TargetClock,
    /// The escalation clock of the current level, if the level has a threshold.
    pub escalation: Option<TargetClock>,
    /// Escalation due and not yet acted on: why, and since when.
    pub escalation_due: Option<(EscalationReason, DateTime<Utc>)>,
    /// The resolution cycle (1 at first; a reopen in `NewCycle` mode adds one).
    pub cycle: u32,
    /// How many times it was reopened.
    pub reopened: u32,
    /// The follow-up scheduled for its latest resolution.
    pub follow_up: Option<FollowUpId>,
    /// Where it stands.
    pub state: ComplaintState,
}

/// The stages of a complaint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ComplaintStage {
    /// Received.
    Received,
    /// Acknowledged.
    Acknowledged,
    /// In progress.
    InProgress,
    /// Waiting on the customer.
    Waiting,
    /// Resolved.
    Resolved,
    /// Closed.
    Closed,
}

/// What can happen to a complaint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ComplaintAction {
    /// We told the customer we have it.
    Acknowledge,
    /// Someone takes ownership.
    Assign,
    /// It moves up the ladder.
    Escalate,
    /// We wait on the customer.
    Wait,
    /// The customer answered; work goes on.
    Resume,
    /// It is resolved.
    Resolve,
    /// It is closed.
    Close,
    /// It is reopened.
    Reopen,
}

/// The complaint's transition table.
#[derive(Debug)]
pub enum ComplaintLifecycle {}

impl Lifecycle for ComplaintLifecycle {
    type Stage = ComplaintStage;
    type Action = ComplaintAction;
    const STAGES: &'static [ComplaintStage] = &[
        ComplaintStage::Received,
        ComplaintStage::Acknowledged,
        ComplaintStage::InProgress,
        ComplaintStage::Waiting,
        ComplaintStage::Resolved,
        ComplaintStage::Closed,
    ];
    const ACTIONS: &'static [ComplaintAction] = &[
        ComplaintAction::Acknowledge,
        ComplaintAction::Assign,
        ComplaintAction::Escalate,
        ComplaintAction::Wait,
        ComplaintAction::Resume,
        ComplaintAction::Resolve,
        ComplaintAction::Close,
        ComplaintAction::Reopen,
    ];

    fn next(stage: ComplaintStage, action: ComplaintAction) -> Option<ComplaintStage> {
        use ComplaintAction as A;
        use ComplaintStage as S;
        match (stage, action) {
            (S::Received, A::Acknowledge) => Some(S::Acknowledged),
            (S::Received | S::Acknowledged | S::InProgress | S::Waiting, A::Resolve) => {
                Some(S::Resolved)
            }
            (S::Acknowledged | S::InProgress, A::Assign | A::Escalate) => Some(S::InProgress),
            (S::Waiting, A::Assign | A::Escalate) => Some(S::Waiting),
            (S::InProgress, A::Wait) => Some(S::Waiting),
            (S::Waiting, A::Resume) => Some(S::InProgress),
            (S::Resolved, A::Close) => Some(S::Closed),
            (S::Resolved | S::Closed, A::Reopen) => Some(S::InProgress),
            (S::Received, A::Assign | A::Escalate | A::Wait | A::Resume | A::Close | A::Reopen) => {
                None
            }
            (S::Acknowledged, A::Acknowledge | A::Wait | A::Resume | A::Close | A::Reopen) => None,
            (S::InProgress, A::Acknowledge | A::Resume | A::Close | A::Reopen) => None,
            (S::Waiting, A::Acknowledge | A::Wait | A::Close | A::Reopen) => None,
            (
                S::Resolved,
                A::Acknowledge | A::Assign | A::Escalate | A::Wait | A::Resume | A::Resolve,
            ) => None,
            (
                S::Closed,
                A::Acknowledge
                | A::Assign
                | A::Escalate
                | A::Wait
                | A::Resume
                | A::Resolve
                | A::Close,
            ) => None,
        }
    }

    fn stage_name(stage: ComplaintStage) -> &'static str {
        match stage {
            ComplaintStage::Received => "received",
            ComplaintStage::Acknowledged => "acknowledged",
            ComplaintStage::InProgress => "in_progress",
            ComplaintStage::Waiting => "waiting",
            ComplaintStage::Resolved => "resolved",
            ComplaintStage::Closed => "closed",
        }
    }

    fn action_name(action: ComplaintAction) -> &'static str {
        match action {
            ComplaintAction::Acknowledge => "acknowledge",
            ComplaintAction::Assign => "assign",
            ComplaintAction::Escalate => "escalate",
            ComplaintAction::Wait => "wait",
            ComplaintAction::Resume => "resume",
            ComplaintAction::Resolve => "resolve",
            ComplaintAction::Close => "close",
            ComplaintAction::Reopen => "reopen",
        }
    }
}

impl Complaint {
    /// The stage, without data.
    #[must_use]
    pub const fn stage(&self) -> ComplaintStage {
        match self.state {
            ComplaintState::Received => ComplaintStage::Received,
            ComplaintState::Acknowledged { .. } => ComplaintStage::Acknowledged,
            ComplaintState::InProgress => ComplaintStage::InProgress,
            ComplaintState::Waiting { .. } => ComplaintStage::Waiting,
            ComplaintState::Resolved(_) => ComplaintStage::Resolved,
            ComplaintState::Closed(_) => ComplaintStage::Closed,
        }
    }

    /// Whether it is still open (not resolved or closed).
    #[must_use]
    pub const fn is_open(&self) -> bool {
        !matches!(
            self.state,
            ComplaintState::Resolved(_) | ComplaintState::Closed(_)
        )
    }

    /// When its current resolution was made, if it is resolved or closed.
    #[must_use]
    pub const fn resolved_at(&self) -> Option<DateTime<Utc>> {
        match &self.state {
            ComplaintState::Resolved(r) | ComplaintState::Closed(r) => Some(r.at),
            ComplaintState::Received
            | ComplaintState::Acknowledged { .. }
            | ComplaintState::InProgress
            | ComplaintState::Waiting { .. } => None,
        }
    }

    fn check(&self, action: ComplaintAction) -> Result<ComplaintStage, CommandError> {
        let from = self.stage();
        ComplaintLifecycle::next(from, action).ok_or_else(|| refused(Refused { from, action }))
    }

    /// Every running clock with its kind.
    fn clocks(&self) -> impl Iterator<Item = (ComplaintClockKind, &TargetClock)> {
        [
            (
                ComplaintClockKind::Acknowledgement,
                Some(&self.acknowledgement),
            ),
            (ComplaintClockKind::Resolution, Some(&self.resolution)),
            (ComplaintClockKind::Escalation, self.escalation.as_ref()),
        ]
        .into_iter()
        .filter_map(|(kind, clock)| clock.map(|clock| (kind, clock)))
    }

    fn clock_mut(&mut self, kind: ComplaintClockKind) -> Option<&mut TargetClock> {
        match kind {
            ComplaintClockKind::Acknowledgement => Some(&mut self.acknowledgement),
            ComplaintClockKind::Resolution => Some(&mut self.resolution),
            ComplaintClockKind::Escalation => self.escalation.as_mut(),
        }
    }
}

/// The complaints of one relationship.
pub(crate) type Complaints = Registry<ComplaintId, Complaint>;

/// A stage's name as the docs write it.
pub(crate) fn stage_name(stage: ComplaintStage) -> &'static str {
    ComplaintLifecycle::stage_name(stage)
}

fn refused(refused: Refused<ComplaintStage, ComplaintAction>) -> CommandError {
    CommandError::InvalidTransition {
        entity: "complaint",
        from: ComplaintLifecycle::stage_name(refused.from),
        action: ComplaintLifecycle::action_name(refused.action),
    }
}

fn find(complaints: &Complaints, id: ComplaintId) -> Result<&Complaint, CommandError> {
    complaints
        .get(&id)
        .ok_or(CommandError::UnknownComplaint(id))
}

/// Computes a clock's terms: `target` from `start`, warning at the policy's lead.
fn terms(
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
fn escalation_terms(
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
fn resumed(
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

/// What a pause records for one clock: the business time left, and left to its warning.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Remaining {
    /// To the due instant.
    pub due: Span,
    /// To the warning, if not yet raised.
    pub warn: Option<Span>,
}

fn pause_of(
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

pub(crate) fn receive(
    complaints: &Complaints,
    interactions: &[InteractionId],
    promises: &crate::promise::Promises,
    policy: &ServicePolicy,
    tier: &Tier,
    receive: &ReceiveComplaint,
    now: DateTime<Utc>,
) -> Result<Vec<Event>, CommandError> {
    if complaints.contains_key(&receive.complaint) {
        return Err(CommandError::DuplicateComplaint(receive.complaint));
    }
    if let Some(unknown) = receive
        .interactions
        .iter()
        .find(|id| interactions.binary_search(id).is_err())
    {
        return Err(CommandError::UnknownInteraction(*unknown));
    }
    if let Some(unknown) = receive
        .promises
        .iter()
        .find(|id| !promises.contains_key(id))
    {
        return Err(CommandError::UnknownPromise(*unknown));
    }
    let rules = &policy.complaints;
    let acknowledgement = terms(
        policy,
        rules.acknowledge.calendar(receive.priority),
        now,
        rules.acknowledge.get(receive.priority, tier),
        true,
    )?;
    let resolution = terms(
        policy,
        rules.resolve.calendar(receive.priority),
        now,
        rules.resolve.get(receive.priority, tier),
        true,
    )?;
    Ok(vec![Event::Complaint(ComplaintEvent::Received {
        complaint: receive.complaint,
        summary: receive.summary.clone(),
        priority: receive.priority,
        channel: receive.channel,
        tier: tier.clone(),
        interactions: receive.interactions.clone(),
        promises: receive.promises.clone(),
        acknowledgement,
        resolution,
        escalation: escalation_terms(policy, 0, now)?,
    })])
}

pub(crate) fn acknowledge(
    complaints: &Complaints,
    policy: &ServicePolicy,
    ack: &AcknowledgeComplaint,
    now: DateTime<Utc>,
) -> Result<Vec<Event>, CommandError> {
    let complaint = find(complaints, ack.complaint)?;
    complaint.check(ComplaintAction::Acknowledge)?;
    policy.check_agent(ack.by)?;
    let clock = &complaint.acknowledgement;
    Ok(vec![Event::Complaint(ComplaintEvent::Acknowledged {
        complaint: ack.complaint,
        by: ack.by,
        outcome: policy.outcome(clock.terms.calendar.as_deref(), clock.terms.due, now)?,
    })])
}

pub(crate) fn assign(
    complaints: &Complaints,
    policy: &ServicePolicy,
    assign: &AssignComplaint,
) -> Result<Vec<Event>, CommandError> {
    let complaint = find(complaints, assign.complaint)?;
    complaint.check(ComplaintAction::Assign)?;
    policy.check_agent(assign.owner)?;
    if complaint.owner == Some(assign.owner) && complaint.stage() != ComplaintStage::Acknowledged {
        return Err(CommandError::NothingToChange);
    }
    Ok(vec![Event::Complaint(ComplaintEvent::Assigned {
        complaint: assign.complaint,
        owner: assign.owner,
    })])
}

pub(crate) fn request_escalation(
    complaints: &Complaints,
    request: &RequestEscalation,
    owner: Option<AgentId>,
) -> Result<Vec<Event>, CommandError> {
    let complaint = find(complaints, request.complaint)?;
    if !complaint.is_open() {
        return Err(CommandError::InvalidTransition {
            entity: "complaint",
            from: ComplaintLifecycle::stage_name(complaint.stage()),
            action: "ask to escalate",
        });
    }
    if complaint.escalation_due.is_some() {
        return Err(CommandError::NothingToChange);
    }
    Ok(vec![Event::Complaint(ComplaintEvent::EscalationDue {
        complaint: request.complaint,
        reason: EscalationReason::CustomerAsked,
        level: complaint.level,
        owner: complaint.owner.or(owner),
    })])
}

pub(crate) fn escalate(
    complaints: &Complaints,
    policy: &ServicePolicy,
    escalate: &EscalateComplaint,
    now: DateTime<Utc>,
) -> Result<Vec<Event>, CommandError> {
    let complaint = find(complaints, escalate.complaint)?;
    complaint.check(ComplaintAction::Escalate)?;
    policy.check_agent(escalate.owner)?;
    let top = u32::try_from(policy.complaints.levels.len().saturating_sub(1)).unwrap_or(u32::MAX);
    if escalate.to_level > top {
        return Err(CommandError::EscalationPastTop {
            level: escalate.to_level,
            top,
        });
    }
    if escalate.to_level <= complaint.level {
        return Err(CommandError::EscalationNotUpward {
            level: escalate.to_level,
            current: complaint.level,
        });
    }
    let name = usize::try_from(escalate.to_level)
        .ok()
        .and_then(|i| policy.complaints.levels.get(i))
        .map_or_else(Text::default_name, |l| l.name.clone());
    // While waiting on the customer (if waiting pauses the clocks) the new level's clock starts
    // paused, from the same pause.
    Ok(vec![Event::Complaint(ComplaintEvent::Escalated {
        complaint: escalate.complaint,
        from_level: complaint.level,
        to_level: escalate.to_level,
        level_name: name,
        owner: escalate.owner,
        escalation: escalation_terms(policy, escalate.to_level, now)?,
    })])
}

pub(crate) fn await_customer(
    complaints: &Complaints,
    policy: &ServicePolicy,
    wait: &AwaitCustomer,
    now: DateTime<Utc>,
) -> Result<Vec<Event>, CommandError> {
    let complaint = find(complaints, wait.complaint)?;
    complaint.check(ComplaintAction::Wait)?;
    let pausing = policy.complaints.pause_while_waiting;
    let (resolution, escalation) = if pausing {
        (
            pause_of(policy, Some(&complaint.resolution), now)?,
            pause_of(policy, complaint.escalation.as_ref(), now)?,
        )
    } else {
        (None, None)
    };
    Ok(vec![Event::Complaint(ComplaintEvent::AwaitingCustomer {
        complaint: wait.complaint,
        resolution,
        escalation,
    })])
}

pub(crate) fn resume(
    complaints: &Complaints,
    policy: &ServicePolicy,
    resume: &ResumeComplaint,
    now: DateTime<Utc>,
) -> Result<Vec<Event>, CommandError> {
    let complaint = find(complaints, resume.complaint)?;
    complaint.check(ComplaintAction::Resume)?;
    let ComplaintState::Waiting { since } = complaint.state else {
        return Err(refused(Refused {
            from: complaint.stage(),
            action: ComplaintAction::Resume,
        }));
    };
    let paused = if policy.complaints.pause_while_waiting {
        policy.business_between(complaint.resolution.terms.calendar.as_deref(), since, now)?
    } else {
        Span::ZERO
    };
    Ok(vec![Event::Complaint(ComplaintEvent::Resumed {
        complaint: resume.complaint,
        paused,
        resolution: resumed(policy, &complaint.resolution, now)?,
        escalation: complaint
            .escalation
            .as_ref()
            .map(|clock| resumed(policy, clock, now))
            .transpose()?
            .flatten(),
    })])
}

pub(crate) fn resolve(
    complaints: &Complaints,
    policy: &ServicePolicy,
    resolve: &ResolveComplaint,
    fallback_owner: Option<AgentId>,
    follow_ups: &crate::follow_up::FollowUps,
    now: DateTime<Utc>,
) -> Result<Vec<Event>, CommandError> {
    let complaint = find(complaints, resolve.complaint)?;
    complaint.check(ComplaintAction::Resolve)?;
    policy.check_agent(resolve.by)?;
    if complaint.stage() == ComplaintStage::Received && !policy.complaints.resolve_unacknowledged {
        return Err(CommandError::NotAcknowledged(resolve.complaint));
    }
    let clock = &complaint.resolution;
    let outcome = match &clock.phase {
        ClockPhase::Paused { since, .. } => {
            // Resolved while waiting on the customer: measured at the start of the pause.
            policy.outcome(clock.terms.calendar.as_deref(), clock.terms.due, *since)?
        }
        ClockPhase::Running | ClockPhase::Stopped { .. } => {
            policy.outcome(clock.terms.calendar.as_deref(), clock.terms.due, now)?
        }
    };
    let acknowledgement = if complaint.acknowledgement.is_running() {
        let ack = &complaint.acknowledgement.terms;
        Some(
            match policy.outcome(ack.calendar.as_deref(), ack.due, now)? {
                Outcome::MetLate { lateness } | Outcome::Missed { lateness } => {
                    Outcome::Missed { lateness }
                }
                Outcome::Met => Outcome::Met,
            },
        )
    } else {
        None
    };
    let mut events = vec![Event::Complaint(ComplaintEvent::Resolved {
        complaint: resolve.complaint,
        by: resolve.by,
        remedy: resolve.remedy.clone(),
        apology: resolve.apology,
        summary: resolve.summary.clone(),
        outcome,
        acknowledgement,
    })];
    if let Some(after) = policy.complaints.follow_up_after {
        let id = resolve
            .follow_up
            .ok_or(CommandError::FollowUpIdRequired(resolve.complaint))?;
        if follow_ups.contains_key(&id) {
            return Err(CommandError::DuplicateFollowUp(id));
        }
        events.push(Event::FollowUp(FollowUpEvent::Scheduled {
            follow_up: id,
            owner: complaint.owner.or(fallback_owner).unwrap_or(resolve.by),
            due: policy.due(policy.complaints.follow_up_calendar.as_deref(), now, after)?,
            reason: complaint.summary.reveal().map_or_else(
                || Personal::ours("Follow up on the resolution of the complaint"),
                |summary| Personal::ours(&format!("Follow up on the resolution of: {summary}")),
            ),
            complaint: Some(resolve.complaint),
        }));
    }
    Ok(events)
}

pub(crate) fn close(
    complaints: &Complaints,
    close: &CloseComplaint,
) -> Result<Vec<Event>, CommandError> {
    let complaint = find(complaints, close.complaint)?;
    complaint.check(ComplaintAction::Close)?;
    Ok(vec![Event::Complaint(ComplaintEvent::Closed {
        complaint: close.complaint,
    })])
}

/// The events of a reopen: the reopen itself (with the clock the policy's mode gives), the
/// escalation it makes due, and the cancellation of a follow-up still pending.
pub(crate) fn reopen(
    complaints: &Complaints,
    policy: &ServicePolicy,
    follow_ups: &crate::follow_up::FollowUps,
    reopen: &ReopenComplaint,
    fallback_owner: Option<AgentId>,
    pending_survey: Option<crate::SurveyId>,
    now: DateTime<Utc>,
) -> Result<Vec<Event>, CommandError> {
    let complaint = find(complaints, reopen.complaint)?;
    complaint.check(ComplaintAction::Reopen)?;
    let mode = policy.complaints.reopen;
    let clock = &complaint.resolution;
    let calendar = clock.terms.calendar.as_deref();
    let (cycle, resolution) = match mode {
        ReopenMode::Continue => {
            // From where the clock stopped counting: the resolution, or the start of the wait
            // on the customer it was resolved in.
            let stopped = match (&clock.phase, &complaint.state) {
                (ClockPhase::Stopped { counted_until, .. }, _) => *counted_until,
                (_, ComplaintState::Resolved(r) | ComplaintState::Closed(r)) => r.at,
                (
                    _,
                    ComplaintState::Received
                    | ComplaintState::Acknowledged { .. }
                    | ComplaintState::InProgress
                    | ComplaintState::Waiting { .. },
                ) => now,
            };
            let left = policy.business_between(calendar, stopped, clock.terms.due)?;
            let warn = clock
                .terms
                .warn_at
                .filter(|at| !clock.warned && *at > stopped)
                .map(|at| policy.business_between(calendar, stopped, at))
                .transpose()?;
            let terms = ClockTerms {
                target: clock.terms.target,
                calendar: clock.terms.calendar.clone(),
                due: policy.due(calendar, now, left)?,
                warn_at: warn.map(|w| policy.due(calendar, now, w)).transpose()?,
            };
            (complaint.cycle, terms)
        }
        ReopenMode::Restart => (
            complaint.cycle,
            terms(policy, calendar, now, clock.terms.target, true)?,
        ),
        ReopenMode::NewCycle => (
            complaint.cycle.saturating_add(1),
            terms(policy, calendar, now, clock.terms.target, true)?,
        ),
    };
    let mut events = vec![Event::Complaint(ComplaintEvent::Reopened {
        complaint: reopen.complaint,
        reason: reopen.reason.clone(),
        mode,
        cycle,
        resolution,
        escalation: escalation_terms(policy, complaint.level, now)?,
    })];
    if let Some(pending) = complaint.follow_up.filter(|id| {
        follow_ups
            .get(id)
            .is_some_and(crate::follow_up::FollowUp::is_pending)
    }) {
        events.push(Event::FollowUp(FollowUpEvent::Cancelled {
            follow_up: pending,
            reason: Personal::ours("the complaint was reopened"),
        }));
    }
    // A survey still pending asks about a resolution that no longer stands.
    events.extend(pending_survey.map(crate::survey::void));
    events.push(Event::Complaint(ComplaintEvent::EscalationDue {
        complaint: reopen.complaint,
        reason: EscalationReason::Reopened,
        level: complaint.level,
        owner: complaint.owner.or(fallback_owner),
    }));
    Ok(events)
}

/// The next deadline of one complaint: `(when, why)`.
pub(crate) fn deadline(complaint: &Complaint) -> Option<(DateTime<Utc>, DeadlineKind)> {
    complaint
        .clocks()
        .filter_map(|(kind, clock)| {
            let (at, warning) = clock.deadline()?;
            Some((at, deadline_kind(kind, warning)))
        })
        .min()
}

const fn deadline_kind(kind: ComplaintClockKind, warning: bool) -> DeadlineKind {
    match (kind, warning) {
        (ComplaintClockKind::Acknowledgement, true) => DeadlineKind::AcknowledgementWarning,
        (ComplaintClockKind::Acknowledgement, false) => DeadlineKind::AcknowledgementDue,
        (ComplaintClockKind::Resolution, true) => DeadlineKind::ResolutionWarning,
        (ComplaintClockKind::Resolution, false) => DeadlineKind::ResolutionDue,
        (ComplaintClockKind::Escalation, _) => DeadlineKind::EscalationThreshold,
    }
}

/// The events a due deadline of `complaint` becomes.
pub(crate) fn fire(
    id: ComplaintId,
    complaint: &Complaint,
    kind: DeadlineKind,
    fallback_owner: Option<AgentId>,
) -> Vec<Event> {
    let owner = complaint.owner.or(fallback_owner);
    let (clock, warning) = match kind {
        DeadlineKind::AcknowledgementWarning => (ComplaintClockKind::Acknowledgement, true),
        DeadlineKind::AcknowledgementDue => (ComplaintClockKind::Acknowledgement, false),
        DeadlineKind::ResolutionWarning => (ComplaintClockKind::Resolution, true),
        DeadlineKind::ResolutionDue => (ComplaintClockKind::Resolution, false),
        DeadlineKind::EscalationThreshold => {
            return vec![Event::Complaint(ComplaintEvent::EscalationDue {
                complaint: id,
                reason: EscalationReason::Threshold,
                level: complaint.level,
                owner,
            })];
        }
        DeadlineKind::ResponseWarning
        | DeadlineKind::ResponseDue
        | DeadlineKind::DependencyDue
        | DeadlineKind::PromiseWarning
        | DeadlineKind::PromiseDue
        | DeadlineKind::FollowUpDue => return Vec::new(),
    };
    let due = match clock {
        ComplaintClockKind::Acknowledgement => complaint.acknowledgement.terms.due,
        ComplaintClockKind::Resolution | ComplaintClockKind::Escalation => {
            complaint.resolution.terms.due
        }
    };
    if warning {
        vec![Event::Complaint(ComplaintEvent::ClockAtRisk {
            complaint: id,
            clock,
            due,
            owner,
        })]
    } else {
        vec![Event::Complaint(ComplaintEvent::ClockBreached {
            complaint: id,
            clock,
            due,
            owner,
        })]
    }
}

/// The flags of one complaint at `now`: `(kind, since, due)`. `broken_again` is when a promise
/// answering it passed its due instant a second time, if one has and `advance_to` has not yet
/// recorded it (see [`crate::promise::breaks_again`]).
pub(crate) fn flags(
    complaint: &Complaint,
    now: DateTime<Utc>,
    broken_again: Option<DateTime<Utc>>,
) -> Vec<(FlagKind, DateTime<Utc>, Option<DateTime<Utc>>)> {
    let mut flags = Vec::new();
    if complaint.stage() == ComplaintStage::Received {
        flags.push((
            FlagKind::ComplaintUnacknowledged,
            complaint.received_at,
            Some(complaint.acknowledgement.terms.due),
        ));
    }
    for (kind, clock) in complaint.clocks() {
        if kind == ComplaintClockKind::Escalation || !clock.is_running() {
            continue;
        }
        let terms = &clock.terms;
        if clock.breached || now >= terms.due {
            flags.push((FlagKind::ComplaintClockBreached, terms.due, Some(terms.due)));
        } else if let Some(at) = terms.warn_at.filter(|at| clock.warned || now >= *at) {
            flags.push((FlagKind::ComplaintClockAtRisk, at, Some(terms.due)));
        }
    }
    if let Some((_, since)) = complaint.escalation_due {
        flags.push((FlagKind::EscalationDue, since, None));
    } else {
        // The same answer before and after `advance_to`: the threshold passed, or a linked
        // promise broke a second time.
        let threshold = complaint
            .escalation
            .as_ref()
            .filter(|c| c.is_running() && now >= c.terms.due)
            .map(|c| c.terms.due);
        let broken_again = broken_again.filter(|_| complaint.is_open());
        let since = match (threshold, broken_again) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        if let Some(since) = since {
            flags.push((FlagKind::EscalationDue, since, None));
        }
    }
    flags
}

fn stop(clock: &mut TargetClock, outcome: Outcome, at: DateTime<Utc>) {
    let counted_until = match clock.phase {
        ClockPhase::Paused { since, .. } => since,
        ClockPhase::Running | ClockPhase::Stopped { .. } => at,
    };
    clock.phase = ClockPhase::Stopped {
        outcome,
        counted_until,
    };
}

fn pause(clock: &mut TargetClock, since: DateTime<Utc>, remaining: Option<&Remaining>) {
    if let (ClockPhase::Running, Some(left)) = (&clock.phase, remaining) {
        clock.phase = ClockPhase::Paused {
            since,
            remaining: left.due,
            warn_remaining: left.warn,
        };
    }
}

fn run(clock: &mut TargetClock, terms: ClockTerms, paused: Span) {
    clock.terms = terms;
    clock.phase = ClockPhase::Running;
    clock.paused = clock.paused.checked_add(paused).unwrap_or(Span::MAX);
}

/// Folds a complaint event. Validates before changing anything.
pub(crate) fn fold(
    complaints: &mut Complaints,
    at: DateTime<Utc>,
    event: &ComplaintEvent,
) -> Result<(), String> {
    if let ComplaintEvent::Received {
        complaint,
        summary,
        priority,
        channel,
        tier,
        interactions,
        promises,
        acknowledgement,
        resolution,
        escalation,
    } = event
    {
        if complaints.contains_key(complaint) {
            return Err(format!("complaint {complaint} exists already"));
        }
        complaints.insert(
            *complaint,
            Complaint {
                summary: summary.clone(),
                priority: *priority,
                channel: *channel,
                received_at: at,
                tier: tier.clone(),
                interactions: interactions.clone(),
                promises: promises.clone(),
                owner: None,
                level: 0,
                history: Vec::new(),
                acknowledgement: TargetClock::start(acknowledgement.clone()),
                resolution: TargetClock::start(resolution.clone()),
                escalation: escalation.clone().map(TargetClock::start),
                escalation_due: None,
                cycle: 1,
                reopened: 0,
                follow_up: None,
                state: ComplaintState::Received,
            },
        );
        return Ok(());
    }
    let id =
        complaint_of(event).ok_or_else(|| format!("{} is not a complaint event", event.kind()))?;
    let complaint = complaints
        .get_mut(&id)
        .ok_or_else(|| format!("complaint {id} is not known"))?;
    let transition = |action: ComplaintAction, complaint: &Complaint| {
        complaint.check(action).map_err(|e| e.to_string())
    };
    match event {
        // Folded above, before the complaint exists.
        ComplaintEvent::Received { .. } => {
            return Err(format!("complaint {id} exists already"));
        }
        ComplaintEvent::Acknowledged { by, outcome, .. } => {
            transition(ComplaintAction::Acknowledge, complaint)?;
            stop(&mut complaint.acknowledgement, *outcome, at);
            complaint.state = ComplaintState::Acknowledged { by: *by };
        }
        ComplaintEvent::Assigned { owner, .. } => {
            let to = transition(ComplaintAction::Assign, complaint)?;
            complaint.owner = Some(*owner);
            complaint.history.push(Handover {
                at,
                level: complaint.level,
                owner: *owner,
            });
            if to == ComplaintStage::InProgress {
                complaint.state = ComplaintState::InProgress;
            }
        }
        ComplaintEvent::ClockAtRisk { clock, .. } | ComplaintEvent::ClockBreached { clock, .. } => {
            let breach = matches!(event, ComplaintEvent::ClockBreached { .. });
            let target = complaint
                .clock_mut(*clock)
                .filter(|c| c.is_running())
                .ok_or_else(|| format!("the {clock:?} clock of complaint {id} is not running"))?;
            if target.breached || (!breach && target.warned) {
                return Err(format!(
                    "the {clock:?} clock of complaint {id} already said so"
                ));
            }
            let stated_due = match event {
                ComplaintEvent::ClockAtRisk { due, .. }
                | ComplaintEvent::ClockBreached { due, .. } => *due,
                _ => target.terms.due,
            };
            let moment = if breach {
                Some(target.terms.due)
            } else {
                target.terms.warn_at
            };
            if stated_due != target.terms.due || moment.is_none_or(|m| at < m) {
                return Err(format!(
                    "the {clock:?} event of complaint {id} contradicts its clock"
                ));
            }
            if breach {
                target.breached = true;
            } else {
                target.warned = true;
            }
        }
        ComplaintEvent::EscalationDue { reason, .. } => {
            if !complaint.is_open() && *reason != EscalationReason::Reopened {
                return Err(format!("complaint {id} is not open"));
            }
            if *reason == EscalationReason::Threshold {
                let clock = complaint
                    .escalation
                    .as_mut()
                    .filter(|c| c.is_running() && !c.breached)
                    .ok_or_else(|| format!("complaint {id} has no escalation clock running"))?;
                clock.breached = true;
            }
            if complaint.escalation_due.is_none() {
                complaint.escalation_due = Some((*reason, at));
            }
        }
        ComplaintEvent::Escalated {
            to_level,
            owner,
            escalation,
            ..
        } => {
            if *to_level <= complaint.level {
                return Err(format!(
                    "complaint {id} is at level {} already",
                    complaint.level
                ));
            }
            let to = transition(ComplaintAction::Escalate, complaint)?;
            complaint.level = *to_level;
            complaint.owner = Some(*owner);
            complaint.escalation_due = None;
            complaint.history.push(Handover {
                at,
                level: *to_level,
                owner: *owner,
            });
            // While the customer is awaited and the wait paused the clocks (the policy's
            // `pause_while_waiting`), the new level's clock starts paused, from the same pause;
            // a wait that paused nothing leaves it running.
            let paused = matches!(complaint.state, ComplaintState::Waiting { .. })
                && matches!(complaint.resolution.phase, ClockPhase::Paused { .. });
            complaint.escalation = escalation.clone().map(|terms| {
                let mut clock = TargetClock::start(terms);
                if paused {
                    let remaining = Remaining {
                        due: clock.terms.target,
                        warn: None,
                    };
                    pause(&mut clock, at, Some(&remaining));
                }
                clock
            });
            if to == ComplaintStage::InProgress {
                complaint.state = ComplaintState::InProgress;
            }
        }
        ComplaintEvent::AwaitingCustomer {
            resolution,
            escalation,
            ..
        } => {
            transition(ComplaintAction::Wait, complaint)?;
            pause(&mut complaint.resolution, at, resolution.as_ref());
            if let Some(clock) = complaint.escalation.as_mut() {
                pause(clock, at, escalation.as_ref());
            }
            complaint.state = ComplaintState::Waiting { since: at };
        }
        ComplaintEvent::Resumed {
            paused,
            resolution,
            escalation,
            ..
        } => {
            transition(ComplaintAction::Resume, complaint)?;
            if let Some(terms) = resolution {
                run(&mut complaint.resolution, terms.clone(), *paused);
            }
            if let (Some(clock), Some(terms)) = (complaint.escalation.as_mut(), escalation) {
                run(clock, terms.clone(), *paused);
            }
            complaint.state = ComplaintState::InProgress;
        }
        ComplaintEvent::Resolved {
            by,
            remedy,
            apology,
            summary,
            outcome,
            acknowledgement,
            ..
        } => {
            transition(ComplaintAction::Resolve, complaint)?;
            if complaint.acknowledgement.is_running() {
                let ack = acknowledgement.ok_or(
                    "an unacknowledged complaint resolved without the acknowledgement outcome",
                )?;
                stop(&mut complaint.acknowledgement, ack, at);
            }
            stop(&mut complaint.resolution, *outcome, at);
            if let Some(clock) = complaint.escalation.as_mut() {
                stop(clock, Outcome::Met, at);
            }
            complaint.escalation_due = None;
            complaint.follow_up = None;
            complaint.state = ComplaintState::Resolved(Resolution {
                at,
                by: *by,
                remedy: remedy.clone(),
                apology: *apology,
                summary: summary.clone(),
            });
        }
        ComplaintEvent::Closed { .. } => {
            transition(ComplaintAction::Close, complaint)?;
            if let ComplaintState::Resolved(resolution) = &complaint.state {
                complaint.state = ComplaintState::Closed(resolution.clone());
            }
        }
        ComplaintEvent::Reopened {
            mode,
            cycle,
            resolution,
            escalation,
            ..
        } => {
            transition(ComplaintAction::Reopen, complaint)?;
            let keep_flags = *mode == ReopenMode::Continue;
            let (warned, breached) = (complaint.resolution.warned, complaint.resolution.breached);
            complaint.resolution = TargetClock::start(resolution.clone());
            if keep_flags {
                complaint.resolution.warned = warned;
                complaint.resolution.breached = breached;
            }
            complaint.escalation = escalation.clone().map(TargetClock::start);
            complaint.cycle = *cycle;
            complaint.reopened = complaint.reopened.saturating_add(1);
            complaint.state = ComplaintState::InProgress;
        }
    }
    Ok(())
}

/// Records the follow-up scheduled for a complaint's resolution.
pub(crate) fn link_follow_up(
    complaints: &mut Complaints,
    complaint: ComplaintId,
    follow_up: FollowUpId,
) {
    if let Some(complaint) = complaints.get_mut(&complaint) {
        complaint.follow_up = Some(follow_up);
    }
}

/// The complaint an event is about, for complaint events.
const fn complaint_of(event: &ComplaintEvent) -> Option<ComplaintId> {
    match event {
        ComplaintEvent::Received { complaint, .. }
        | ComplaintEvent::Acknowledged { complaint, .. }
        | ComplaintEvent::Assigned { complaint, .. }
        | ComplaintEvent::ClockAtRisk { complaint, .. }
        | ComplaintEvent::ClockBreached { complaint, .. }
        | ComplaintEvent::EscalationDue { complaint, .. }
        | ComplaintEvent::Escalated { complaint, .. }
        | ComplaintEvent::AwaitingCustomer { complaint, .. }
        | ComplaintEvent::Resumed { complaint, .. }
        | ComplaintEvent::Resolved { complaint, .. }
        | ComplaintEvent::Closed { complaint, .. }
        | ComplaintEvent::Reopened { complaint, .. } => Some(*complaint),
    }
}

impl Erase for Complaint {
    fn erase_personal(&mut self) -> u32 {
        let mut erased = self.summary.erase_personal();
        if let ComplaintState::Resolved(resolution) | ComplaintState::Closed(resolution) =
            &mut self.state
        {
            erased = erased
                .saturating_add(resolution.summary.erase_personal())
                .saturating_add(resolution.remedy.erase_personal());
        }
        erased
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lifecycle::assert_documented;

    #[test]
    fn state_diagram_matches_transition_table() {
        assert_documented::<ComplaintLifecycle>(include_str!("mod.rs"));
    }
}
