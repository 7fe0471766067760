//! Promises: commitments made to a customer, with an owner on our side, a due instant that is
//! exactly what the customer was told, and a history of every slip.
//!
//! "Can your customers trust you to do everything you promised?" A promise is open until it is
//! kept or withdrawn. When its due instant passes while open, it **breaks**: `advance_to` emits
//! `PromiseBroken` without anybody having to notice, saying whether the customer had been told
//! anything since the promise was made or last revised (**with notice**) or not (**in
//! silence**). A broken promise can still be kept (late) or re-promised.
//!
//! - **Re-promising** appends a [`Revision`] (never overwriting the original due instant),
//!   recording whether it came before the due instant (proactive) or after the break, and
//!   whether the customer agreed. The slip count and the cumulative slip are part of the state;
//!   reaching the policy's threshold emits `PromiseSlippedRepeatedly` ("another week, and still
//!   nothing").
//! - **Say what you do**: at the policy's lead before the due instant, `PromiseAtRisk` is
//!   raised once per due instant, unless the promise is kept. An outbound interaction that
//!   names the promise counts as telling the customer.
//! - **Outsourcing keeps responsibility**: a promise fulfilled by an outside party is still
//!   owned by one of our agents, who receives every flag. The party's own commitment to us can
//!   be recorded as a [`Dependency`]; when it passes unmet, the promise is at risk at once.
//! - A promise never pauses: it is measured in wall-clock time.
//!
//! A promise is breached **at** its due instant: kept strictly before it is on time.
//!
//! # State diagram
//!
//! ```text
//! open      --warn-->     at_risk
//! open      --keep-->     kept
//! open      --break-->    broken
//! open      --revise-->   open
//! open      --withdraw--> withdrawn
//! at_risk   --keep-->     kept
//! at_risk   --break-->    broken
//! at_risk   --revise-->   open
//! at_risk   --withdraw--> withdrawn
//! broken    --keep-->     kept_late
//! broken    --revise-->   open
//! broken    --withdraw--> withdrawn
//! ```

mod command;
mod event;

pub use command::{
    KeepPromise, MakePromise, MeetDependency, PromiseCommand, RecordDependency, RevisePromise,
    WithdrawPromise,
};
pub use event::PromiseEvent;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::flag::{DeadlineKind, FlagKind};
use crate::lifecycle::Lifecycle;
use crate::personal::Erase;
use crate::response::Refused;
use crate::{
    AgentId, CommandError, ComplaintId, Event, InteractionId, PartyId, Personal, PromiseId,
    ServicePolicy, Span, Text,
};

/// Who does the work behind a promise. Whoever it is, the promise is owned by one of ours.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "by", rename_all = "snake_case")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum Fulfiller {
    /// We do it ourselves.
    Us,
    /// An outside party (a vendor, a lab) does it for us.
    Party {
        /// The party.
        party: PartyId,
        /// Its name, as recorded when the promise was made.
        name: Text,
    },
}

/// Whether a revision was made before the due instant or after the promise broke.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum RevisionTiming {
    /// Before the due instant: the customer was told in time.
    Proactive,
    /// After the promise broke.
    AfterBreak,
}

/// Whether the customer had heard from us about a promise when it broke.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum Notice {
    /// We had told the customer something since the promise was made or last revised.
    WithNotice,
    /// We had said nothing.
    InSilence,
}

/// Why a promise is at risk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum AtRiskReason {
    /// The policy's lead before the due instant was reached.
    LeadReached,
    /// The outside party's commitment to us passed unmet.
    DependencyLate,
}

/// One re-promise: a new due instant, appended to the promise's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Revision {
    /// When the re-promise was made.
    pub at: DateTime<Utc>,
    /// The due instant before it.
    pub previous_due: DateTime<Utc>,
    /// The new due instant.
    pub due: DateTime<Utc>,
    /// Why.
    pub reason: Personal,
    /// Before the due instant, or after the break.
    pub timing: RevisionTiming,
    /// Whether the customer agreed to the new date.
    pub customer_agreed: bool,
}

/// Where an outside party's commitment to us stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DependencyState {
    /// Not yet due, not yet met.
    Pending,
    /// Its due instant passed unmet.
    Late,
    /// The party delivered.
    Met,
}

/// An outside party's own commitment to us behind a promise ("the lab said Thursday").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dependency {
    /// The party.
    pub party: PartyId,
    /// What they committed to.
    pub commitment: Personal,
    /// The party's own reference for it (an order or job number).
    pub reference: Option<Text>,
    /// When they said it would be done.
    pub due: DateTime<Utc>,
    /// Where it stands.
    pub state: DependencyState,
}

/// What a promise is, whatever its state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PromiseTerms {
    /// What was promised.
    pub what: Personal,
    /// When it was made.
    pub made_at: DateTime<Utc>,
    /// The due instant first told to the customer.
    pub original_due: DateTime<Utc>,
    /// The due instant now in force.
    pub due: DateTime<Utc>,
    /// Our agent who owns it and receives its flags.
    pub owner: AgentId,
    /// Who does the work.
    pub fulfiller: Fulfiller,
    /// The interaction in which it was made.
    pub interaction: Option<InteractionId>,
    /// The complaint it answers.
    pub complaint: Option<ComplaintId>,
    /// Every re-promise, oldest first.
    pub revisions: Vec<Revision>,
    /// When the warning for the current due instant falls, if the policy asks for one.
    pub at_risk_at: Option<DateTime<Utc>>,
    /// When we last told the customer about it, since it was made or last revised.
    pub informed_at: Option<DateTime<Utc>>,
    /// The outside party's commitment, if recorded.
    pub dependency: Option<Dependency>,
    /// How many times it has broken.
    pub breaks: u32,
    /// Whether the repeated-slip event has been raised.
    pub slipped_repeatedly: bool,
}

impl PromiseTerms {
    /// How many times the due instant was moved.
    #[must_use]
    pub fn slips(&self) -> u32 {
        u32::try_from(self.revisions.len()).unwrap_or(u32::MAX)
    }

    /// How far the due instant moved in total, from the original to the one in force.
    #[must_use]
    pub fn cumulative_slip(&self) -> Span {
        Span::try_from(self.due.signed_duration_since(self.original_due)).unwrap_or(Span::MAX)
    }

    /// Whether the customer has been told anything since it was made or last revised.
    #[must_use]
    pub fn notice(&self) -> Notice {
        if self.informed_at.is_some() {
            Notice::WithNotice
        } else {
            Notice::InSilence
        }
    }
}

/// A promise's state, with the data valid in each.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PromiseState {
    /// Open, the due instant not near (or no warning asked for).
    Open,
    /// Open and at risk.
    AtRisk {
        /// Why.
        reason: AtRiskReason,
        /// Since when.
        since: DateTime<Utc>,
    },
    /// The due instant passed while open.
    Broken {
        /// Whether the customer had been told anything.
        notice: Notice,
    },
    /// Kept on time.
    Kept {
        /// When.
        at: DateTime<Utc>,
    },
    /// Kept after the due instant.
    KeptLate {
        /// When.
        at: DateTime<Utc>,
        /// By how much.
        lateness: Span,
    },
    /// Released: the customer no longer needs it, or it cannot be done.
    Withdrawn {
        /// When.
        at: DateTime<Utc>,
        /// Why.
        reason: Personal,
    },
}

/// A promise made to a customer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Promise {
    /// What it is.
    pub terms: PromiseTerms,
    /// Where it stands.
    pub state: PromiseState,
}

/// The stages of a promise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PromiseStage {
    /// Open.
    Open,
    /// Open, at risk.
    AtRisk,
    /// Broken.
    Broken,
    /// Kept on time.
    Kept,
    /// Kept late.
    KeptLate,
    /// Withdrawn.
    Withdrawn,
}

/// What can happen to a promise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PromiseAction {
    /// It became at risk.
    Warn,
    /// It was kept.
    Keep,
    /// Its due instant passed.
    Break,
    /// A new due instant was promised.
    Revise,
    /// It was released.
    Withdraw,
}

/// The promise's transition table.
#[derive(Debug)]
pub enum PromiseLifecycle {}

impl Lifecycle for PromiseLifecycle {
    type Stage = PromiseStage;
    type Action = PromiseAction;
    const STAGES: &'static [PromiseStage] = &[
        PromiseStage::Open,
        PromiseStage::AtRisk,
        PromiseStage::Broken,
        PromiseStage::Kept,
        PromiseStage::KeptLate,
        PromiseStage::Withdrawn,
    ];
    const ACTIONS: &'static [PromiseAction] = &[
        PromiseAction::Warn,
        PromiseAction::Keep,
        PromiseAction::Break,
        PromiseAction::Revise,
        PromiseAction::Withdraw,
    ];

    fn next(stage: PromiseStage, action: PromiseAction) -> Option<PromiseStage> {
        use PromiseAction as A;
        use PromiseStage as S;
        match (stage, action) {
            (S::Open, A::Warn) => Some(S::AtRisk),
            (S::Open | S::AtRisk, A::Keep) => Some(S::Kept),
            (S::Open | S::AtRisk, A::Break) => Some(S::Broken),
            (S::Open | S::AtRisk | S::Broken, A::Revise) => Some(S::Open),
            (S::Open | S::AtRisk | S::Broken, A::Withdraw) => Some(S::Withdrawn),
            (S::Broken, A::Keep) => Some(S::KeptLate),
            (S::AtRisk | S::Broken, A::Warn) => None,
            (S::Broken, A::Break) => None,
            (
                S::Kept | S::KeptLate | S::Withdrawn,
                A::Warn | A::Keep | A::Break | A::Revise | A::Withdraw,
            ) => None,
        }
    }

    fn stage_name(stage: PromiseStage) -> &'static str {
        match stage {
            PromiseStage::Open => "open",
            PromiseStage::AtRisk => "at_risk",
            PromiseStage::Broken => "broken",
            PromiseStage::Kept => "kept",
            PromiseStage::KeptLate => "kept_late",
            PromiseStage::Withdrawn => "withdrawn",
        }
    }

    fn action_name(action: PromiseAction) -> &'static str {
        match action {
            PromiseAction::Warn => "warn",
            PromiseAction::Keep => "keep",
            PromiseAction::Break => "break",
            PromiseAction::Revise => "revise",
            PromiseAction::Withdraw => "withdraw",
        }
    }
}

/// The data an action brings into the new state.
#[derive(Debug, Clone)]
pub(crate) enum PromiseStep {
    Warn(AtRiskReason, DateTime<Utc>),
    Keep { at: DateTime<Utc> },
    Break,
    Revise(Revision, Option<DateTime<Utc>>),
    Withdraw { at: DateTime<Utc>, reason: Personal },
}

impl PromiseStep {
    const fn action(&self) -> PromiseAction {
        match self {
            PromiseStep::Warn(..) => PromiseAction::Warn,
            PromiseStep::Keep { .. } => PromiseAction::Keep,
            PromiseStep::Break => PromiseAction::Break,
            PromiseStep::Revise(..) => PromiseAction::Revise,
            PromiseStep::Withdraw { .. } => PromiseAction::Withdraw,
        }
    }
}

impl Promise {
    /// A new open promise.
    #[must_use]
    pub fn new(terms: PromiseTerms) -> Self {
        Self {
            terms,
            state: PromiseState::Open,
        }
    }

    /// The stage, without data.
    #[must_use]
    pub const fn stage(&self) -> PromiseStage {
        match self.state {
            PromiseState::Open => PromiseStage::Open,
            PromiseState::AtRisk { .. } => PromiseStage::AtRisk,
            PromiseState::Broken { .. } => PromiseStage::Broken,
            PromiseState::Kept { .. } => PromiseStage::Kept,
            PromiseState::KeptLate { .. } => PromiseStage::KeptLate,
            PromiseState::Withdrawn { .. } => PromiseStage::Withdrawn,
        }
    }

    /// Whether it is still to be kept (open, at risk or broken).
    #[must_use]
    pub const fn is_outstanding(&self) -> bool {
        matches!(
            self.state,
            PromiseState::Open | PromiseState::AtRisk { .. } | PromiseState::Broken { .. }
        )
    }

    /// Whether `action` is allowed now.
    pub(crate) fn check(
        &self,
        action: PromiseAction,
    ) -> Result<PromiseStage, Refused<PromiseStage, PromiseAction>> {
        let from = self.stage();
        PromiseLifecycle::next(from, action).ok_or(Refused { from, action })
    }

    /// Applies a step in place; the stage always comes from [`PromiseLifecycle::next`]. On
    /// error nothing changed.
    pub(crate) fn transition(
        &mut self,
        step: PromiseStep,
    ) -> Result<(), Refused<PromiseStage, PromiseAction>> {
        let from = self.stage();
        let action = step.action();
        let to = self.check(action)?;
        let terms = &mut self.terms;
        self.state = match (to, step) {
            (PromiseStage::AtRisk, PromiseStep::Warn(reason, since)) => {
                PromiseState::AtRisk { reason, since }
            }
            (PromiseStage::Kept, PromiseStep::Keep { at }) => PromiseState::Kept { at },
            (PromiseStage::KeptLate, PromiseStep::Keep { at }) => PromiseState::KeptLate {
                at,
                lateness: Span::try_from(at.signed_duration_since(terms.due)).unwrap_or(Span::ZERO),
            },
            (PromiseStage::Broken, PromiseStep::Break) => {
                terms.breaks = terms.breaks.saturating_add(1);
                PromiseState::Broken {
                    notice: terms.notice(),
                }
            }
            (PromiseStage::Open, PromiseStep::Revise(revision, at_risk_at)) => {
                terms.due = revision.due;
                terms.at_risk_at = at_risk_at;
                terms.informed_at = None;
                terms.revisions.push(revision);
                PromiseState::Open
            }
            (PromiseStage::Withdrawn, PromiseStep::Withdraw { at, reason }) => {
                PromiseState::Withdrawn { at, reason }
            }
            // The table and the step disagree only if a step is given the wrong data; nothing
            // has been changed at this point.
            (
                PromiseStage::Open
                | PromiseStage::AtRisk
                | PromiseStage::Broken
                | PromiseStage::Kept
                | PromiseStage::KeptLate
                | PromiseStage::Withdrawn,
                _,
            ) => return Err(Refused { from, action }),
        };
        Ok(())
    }
}

/// The promises of one relationship.
pub(crate) type Promises = crate::registry::Registry<PromiseId, Promise>;

fn refused(refused: Refused<PromiseStage, PromiseAction>) -> CommandError {
    CommandError::InvalidTransition {
        entity: "promise",
        from: PromiseLifecycle::stage_name(refused.from),
        action: PromiseLifecycle::action_name(refused.action),
    }
}

fn outstanding(promises: &Promises, id: PromiseId) -> Result<&Promise, CommandError> {
    promises.get(&id).ok_or(CommandError::UnknownPromise(id))
}

/// When the at-risk warning falls for a promise due at `due`, given at `from`.
fn at_risk_at(
    policy: &ServicePolicy,
    from: DateTime<Utc>,
    due: DateTime<Utc>,
) -> Result<Option<DateTime<Utc>>, CommandError> {
    let span = Span::try_from(due.signed_duration_since(from))?;
    policy
        .promises
        .at_risk
        .warn_after(span)
        .map(|after| {
            from.checked_add_signed(after.to_time_delta())
                .ok_or(CommandError::Calendar(crate::CalendarError::OutOfRange {
                    from,
                }))
        })
        .transpose()
}

pub(crate) fn make(
    promises: &Promises,
    interactions: &[InteractionId],
    policy: &ServicePolicy,
    make: &MakePromise,
    now: DateTime<Utc>,
) -> Result<Vec<Event>, CommandError> {
    if promises.contains_key(&make.promise) {
        return Err(CommandError::DuplicatePromise(make.promise));
    }
    policy.check_agent(make.owner)?;
    if let Fulfiller::Party { party, .. } = &make.fulfiller {
        policy.check_party(*party)?;
    }
    if let Some(interaction) = make.interaction
        && interactions.binary_search(&interaction).is_err()
    {
        return Err(CommandError::UnknownInteraction(interaction));
    }
    if make.due <= now {
        return Err(CommandError::DueNotInFuture { due: make.due, now });
    }
    Ok(vec![Event::Promise(PromiseEvent::Made {
        promise: make.promise,
        what: make.what.clone(),
        due: make.due,
        owner: make.owner,
        fulfiller: make.fulfiller.clone(),
        interaction: make.interaction,
        complaint: make.complaint,
        at_risk_at: at_risk_at(policy, now, make.due)?,
    })])
}

pub(crate) fn revise(
    promises: &Promises,
    policy: &ServicePolicy,
    revise: &RevisePromise,
    now: DateTime<Utc>,
) -> Result<Vec<Event>, CommandError> {
    let promise = outstanding(promises, revise.promise)?;
    let terms = &promise.terms;
    let timing = match promise.stage() {
        PromiseStage::Broken => RevisionTiming::AfterBreak,
        PromiseStage::Open
        | PromiseStage::AtRisk
        | PromiseStage::Kept
        | PromiseStage::KeptLate
        | PromiseStage::Withdrawn => RevisionTiming::Proactive,
    };
    promise.check(PromiseAction::Revise).map_err(refused)?;
    if revise.due <= now {
        return Err(CommandError::DueNotInFuture {
            due: revise.due,
            now,
        });
    }
    if revise.due <= terms.due {
        return Err(CommandError::DueNotLater {
            due: revise.due,
            current: terms.due,
        });
    }
    let slips = terms.slips().saturating_add(1);
    let cumulative_slip = Span::try_from(revise.due.signed_duration_since(terms.original_due))?;
    let mut events = vec![Event::Promise(PromiseEvent::Revised {
        promise: revise.promise,
        previous_due: terms.due,
        due: revise.due,
        reason: revise.reason.clone(),
        timing,
        customer_agreed: revise.customer_agreed,
        slips,
        cumulative_slip,
        at_risk_at: at_risk_at(policy, now, revise.due)?,
    })];
    let threshold = policy.promises.repeated_slips;
    if threshold > 0 && slips >= threshold && !terms.slipped_repeatedly {
        events.push(Event::Promise(PromiseEvent::SlippedRepeatedly {
            promise: revise.promise,
            owner: terms.owner,
            slips,
            cumulative_slip,
        }));
    }
    Ok(events)
}

pub(crate) fn keep(
    promises: &Promises,
    policy: &ServicePolicy,
    keep: &KeepPromise,
    now: DateTime<Utc>,
) -> Result<Vec<Event>, CommandError> {
    let promise = outstanding(promises, keep.promise)?;
    promise.check(PromiseAction::Keep).map_err(refused)?;
    Ok(vec![Event::Promise(PromiseEvent::Kept {
        promise: keep.promise,
        due: promise.terms.due,
        owner: promise.terms.owner,
        outcome: policy.outcome(None, promise.terms.due, now)?,
    })])
}

pub(crate) fn withdraw(
    promises: &Promises,
    withdraw: &WithdrawPromise,
) -> Result<Vec<Event>, CommandError> {
    let promise = outstanding(promises, withdraw.promise)?;
    promise.check(PromiseAction::Withdraw).map_err(refused)?;
    Ok(vec![Event::Promise(PromiseEvent::Withdrawn {
        promise: withdraw.promise,
        owner: promise.terms.owner,
        reason: withdraw.reason.clone(),
    })])
}

pub(crate) fn depend(
    promises: &Promises,
    policy: &ServicePolicy,
    record: &RecordDependency,
    now: DateTime<Utc>,
) -> Result<Vec<Event>, CommandError> {
    let promise = outstanding(promises, record.promise)?;
    policy.check_party(record.party)?;
    if !promise.is_outstanding() {
        return Err(CommandError::InvalidTransition {
            entity: "promise",
            from: PromiseLifecycle::stage_name(promise.stage()),
            action: "depend on a party for",
        });
    }
    if record.due <= now {
        return Err(CommandError::DueNotInFuture {
            due: record.due,
            now,
        });
    }
    Ok(vec![Event::Promise(PromiseEvent::DependencyRecorded {
        promise: record.promise,
        party: record.party,
        commitment: record.commitment.clone(),
        reference: record.reference.clone(),
        due: record.due,
    })])
}

pub(crate) fn meet(
    promises: &Promises,
    policy: &ServicePolicy,
    meet: &MeetDependency,
    now: DateTime<Utc>,
) -> Result<Vec<Event>, CommandError> {
    let promise = outstanding(promises, meet.promise)?;
    if !promise.is_outstanding() {
        return Err(CommandError::InvalidTransition {
            entity: "promise",
            from: PromiseLifecycle::stage_name(promise.stage()),
            action: "meet the dependency of",
        });
    }
    let dependency = promise
        .terms
        .dependency
        .as_ref()
        .ok_or(CommandError::NoDependency(meet.promise))?;
    if dependency.state == DependencyState::Met {
        return Err(CommandError::InvalidTransition {
            entity: "dependency",
            from: "met",
            action: "meet",
        });
    }
    Ok(vec![Event::Promise(PromiseEvent::DependencyMet {
        promise: meet.promise,
        party: dependency.party,
        outcome: policy.outcome(None, dependency.due, now)?,
    })])
}

/// The next deadline of one promise: `(when, why)`.
pub(crate) fn deadline(promise: &Promise) -> Option<(DateTime<Utc>, DeadlineKind)> {
    let terms = &promise.terms;
    let dependency = terms
        .dependency
        .as_ref()
        .filter(|d| d.state == DependencyState::Pending)
        .map(|d| (d.due, DeadlineKind::DependencyDue));
    let own = match promise.state {
        PromiseState::Open => Some(match terms.at_risk_at {
            Some(at) if at < terms.due => (at, DeadlineKind::PromiseWarning),
            _ => (terms.due, DeadlineKind::PromiseDue),
        }),
        PromiseState::AtRisk { .. } => Some((terms.due, DeadlineKind::PromiseDue)),
        PromiseState::Broken { .. } => None,
        PromiseState::Kept { .. }
        | PromiseState::KeptLate { .. }
        | PromiseState::Withdrawn { .. } => {
            return None;
        }
    };
    match (own, dependency) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// The events a due deadline of `promise` becomes.
pub(crate) fn fire(id: PromiseId, promise: &Promise, kind: DeadlineKind) -> Vec<PromiseEvent> {
    let terms = &promise.terms;
    match kind {
        DeadlineKind::PromiseWarning => vec![PromiseEvent::AtRisk {
            promise: id,
            due: terms.due,
            owner: terms.owner,
            reason: AtRiskReason::LeadReached,
        }],
        DeadlineKind::PromiseDue => vec![PromiseEvent::Broken {
            promise: id,
            due: terms.due,
            owner: terms.owner,
            notice: terms.notice(),
            breaks: terms.breaks.saturating_add(1),
        }],
        DeadlineKind::DependencyDue => {
            let Some(dependency) = &terms.dependency else {
                return Vec::new();
            };
            let mut events = vec![PromiseEvent::DependencyLate {
                promise: id,
                party: dependency.party,
                due: dependency.due,
                owner: terms.owner,
            }];
            if promise.state == PromiseState::Open {
                events.push(PromiseEvent::AtRisk {
                    promise: id,
                    due: terms.due,
                    owner: terms.owner,
                    reason: AtRiskReason::DependencyLate,
                });
            }
            events
        }
        DeadlineKind::ResponseWarning
        | DeadlineKind::ResponseDue
        | DeadlineKind::AcknowledgementWarning
        | DeadlineKind::AcknowledgementDue
        | DeadlineKind::ResolutionWarning
        | DeadlineKind::ResolutionDue
        | DeadlineKind::EscalationThreshold
        | DeadlineKind::FollowUpDue => Vec::new(),
    }
}

/// When a promise answering `complaint` that broke once passed its due instant again by `now`,
/// if one has and `advance_to` has not yet recorded the break (which makes escalation due):
/// the earliest such due instant, for the level view.
pub(crate) fn breaks_again(
    promises: &Promises,
    complaint: ComplaintId,
    now: DateTime<Utc>,
) -> Option<DateTime<Utc>> {
    promises
        .iter()
        .map(|(_, promise)| promise)
        .filter(|p| {
            p.terms.complaint == Some(complaint)
                && p.terms.breaks == 1
                && matches!(p.state, PromiseState::Open | PromiseState::AtRisk { .. })
                && now >= p.terms.due
        })
        .map(|p| p.terms.due)
        .min()
}

/// The flags of one promise at `now`: `(kind, since)`.
pub(crate) fn flags(promise: &Promise, now: DateTime<Utc>) -> Vec<(FlagKind, DateTime<Utc>)> {
    let mut flags = Vec::new();
    if !promise.is_outstanding() {
        return flags;
    }
    let terms = &promise.terms;
    let broken = matches!(promise.state, PromiseState::Broken { .. }) || now >= terms.due;
    // The same answer before and after `advance_to`: an open promise is at risk from the
    // earlier of its warning instant and its dependency's missed date, once either has passed.
    let lead = terms.at_risk_at.filter(|at| now >= *at);
    let dependency_missed = terms
        .dependency
        .as_ref()
        .filter(|d| {
            d.state == DependencyState::Late
                || (d.state == DependencyState::Pending && now >= d.due)
        })
        .map(|d| d.due);
    let at_risk_since = match promise.state {
        PromiseState::AtRisk { since, .. } => Some(since),
        PromiseState::Open => match (lead, dependency_missed) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        },
        PromiseState::Broken { .. }
        | PromiseState::Kept { .. }
        | PromiseState::KeptLate { .. }
        | PromiseState::Withdrawn { .. } => None,
    };
    if broken {
        flags.push((FlagKind::PromiseBroken, terms.due));
    } else if let Some(since) = at_risk_since {
        flags.push((FlagKind::PromiseAtRisk, since));
    }
    if terms.slipped_repeatedly {
        let since = terms.revisions.last().map_or(terms.made_at, |r| r.at);
        flags.push((FlagKind::RepeatedSlips, since));
    }
    if let Some(dependency) = &terms.dependency {
        let late = dependency.state == DependencyState::Late
            || (dependency.state == DependencyState::Pending && now >= dependency.due);
        if late {
            flags.push((FlagKind::DependencyLate, dependency.due));
        }
    }
    flags
}

/// Folds a promise event.
pub(crate) fn fold(
    promises: &mut Promises,
    at: DateTime<Utc>,
    event: &PromiseEvent,
) -> Result<(), String> {
    let (id, step) = match event {
        PromiseEvent::Made {
            promise,
            what,
            due,
            owner,
            fulfiller,
            interaction,
            complaint,
            at_risk_at,
        } => {
            if promises.contains_key(promise) {
                return Err(format!("promise {promise} exists already"));
            }
            let terms = PromiseTerms {
                what: what.clone(),
                made_at: at,
                original_due: *due,
                due: *due,
                owner: *owner,
                fulfiller: fulfiller.clone(),
                interaction: *interaction,
                complaint: *complaint,
                revisions: Vec::new(),
                at_risk_at: *at_risk_at,
                informed_at: None,
                dependency: None,
                breaks: 0,
                slipped_repeatedly: false,
            };
            promises.insert(*promise, Promise::new(terms));
            return Ok(());
        }
        PromiseEvent::AtRisk { promise, .. }
        | PromiseEvent::Broken { promise, .. }
        | PromiseEvent::Revised { promise, .. }
        | PromiseEvent::Kept { promise, .. }
        | PromiseEvent::Withdrawn { promise, .. }
            if !fits(promises, at, event)? =>
        {
            return Err(format!(
                "the {} of promise {promise} contradicts its state",
                event.kind()
            ));
        }
        PromiseEvent::AtRisk {
            promise, reason, ..
        } => (*promise, PromiseStep::Warn(*reason, at)),
        PromiseEvent::Broken { promise, .. } => (*promise, PromiseStep::Break),
        PromiseEvent::Revised {
            promise,
            previous_due,
            due,
            reason,
            timing,
            customer_agreed,
            at_risk_at,
            ..
        } => {
            let revision = Revision {
                at,
                previous_due: *previous_due,
                due: *due,
                reason: reason.clone(),
                timing: *timing,
                customer_agreed: *customer_agreed,
            };
            (*promise, PromiseStep::Revise(revision, *at_risk_at))
        }
        PromiseEvent::Kept { promise, .. } => (*promise, PromiseStep::Keep { at }),
        PromiseEvent::Withdrawn {
            promise, reason, ..
        } => (
            *promise,
            PromiseStep::Withdraw {
                at,
                reason: reason.clone(),
            },
        ),
        PromiseEvent::SlippedRepeatedly { promise, .. } => {
            let existing = promises
                .get_mut(promise)
                .ok_or_else(|| format!("promise {promise} is not known"))?;
            existing.terms.slipped_repeatedly = true;
            return Ok(());
        }
        PromiseEvent::DependencyRecorded {
            promise,
            party,
            commitment,
            reference,
            due,
        } => {
            let existing = promises
                .get_mut(promise)
                .ok_or_else(|| format!("promise {promise} is not known"))?;
            existing.terms.dependency = Some(Dependency {
                party: *party,
                commitment: commitment.clone(),
                reference: reference.clone(),
                due: *due,
                state: DependencyState::Pending,
            });
            return Ok(());
        }
        PromiseEvent::DependencyLate { promise, .. }
        | PromiseEvent::DependencyMet { promise, .. } => {
            let existing = promises
                .get_mut(promise)
                .ok_or_else(|| format!("promise {promise} is not known"))?;
            let dependency = existing
                .terms
                .dependency
                .as_mut()
                .ok_or_else(|| format!("promise {promise} has no dependency"))?;
            if matches!(event, PromiseEvent::DependencyLate { .. }) && at < dependency.due {
                return Err(format!(
                    "the dependency of promise {promise} is not due until {}",
                    dependency.due
                ));
            }
            let next = if matches!(event, PromiseEvent::DependencyMet { .. }) {
                DependencyState::Met
            } else {
                DependencyState::Late
            };
            if dependency.state == DependencyState::Met || dependency.state == next {
                return Err(format!(
                    "the dependency of promise {promise} is already {:?}",
                    dependency.state
                ));
            }
            dependency.state = next;
            return Ok(());
        }
    };
    let promise = promises
        .get_mut(&id)
        .ok_or_else(|| format!("promise {id} is not known"))?;
    promise.transition(step).map_err(|refused| {
        format!(
            "a promise that is {} cannot {}",
            PromiseLifecycle::stage_name(refused.from),
            PromiseLifecycle::action_name(refused.action)
        )
    })
}

/// Whether a stored promise event agrees with the state it is applied to: the due instant,
/// owner, counts and timing it states are the ones the engine would have written.
fn fits(promises: &Promises, at: DateTime<Utc>, event: &PromiseEvent) -> Result<bool, String> {
    let id = match event {
        PromiseEvent::AtRisk { promise, .. }
        | PromiseEvent::Broken { promise, .. }
        | PromiseEvent::Revised { promise, .. }
        | PromiseEvent::Kept { promise, .. }
        | PromiseEvent::Withdrawn { promise, .. } => *promise,
        PromiseEvent::Made { .. }
        | PromiseEvent::SlippedRepeatedly { .. }
        | PromiseEvent::DependencyRecorded { .. }
        | PromiseEvent::DependencyLate { .. }
        | PromiseEvent::DependencyMet { .. } => return Ok(true),
    };
    let terms = &promises
        .get(&id)
        .ok_or_else(|| format!("promise {id} is not known"))?
        .terms;
    Ok(match event {
        PromiseEvent::AtRisk {
            due, owner, reason, ..
        } => {
            *due == terms.due
                && *owner == terms.owner
                && (*reason != AtRiskReason::LeadReached
                    || terms.at_risk_at.is_some_and(|w| at >= w))
        }
        PromiseEvent::Broken {
            due,
            owner,
            notice,
            breaks,
            ..
        } => {
            *due == terms.due
                && at >= terms.due
                && *owner == terms.owner
                && *notice == terms.notice()
                && *breaks == terms.breaks.saturating_add(1)
        }
        PromiseEvent::Revised {
            previous_due,
            due,
            slips,
            ..
        } => {
            *previous_due == terms.due
                && *due > *previous_due
                && *slips == terms.slips().saturating_add(1)
        }
        PromiseEvent::Kept { due, owner, .. } => *due == terms.due && *owner == terms.owner,
        PromiseEvent::Withdrawn { owner, .. } => *owner == terms.owner,
        PromiseEvent::Made { .. }
        | PromiseEvent::SlippedRepeatedly { .. }
        | PromiseEvent::DependencyRecorded { .. }
        | PromiseEvent::DependencyLate { .. }
        | PromiseEvent::DependencyMet { .. } => true,
    })
}

/// Marks the promises an outbound interaction was about as told.
pub(crate) fn inform(
    promises: &mut Promises,
    regarding: &[PromiseId],
    at: DateTime<Utc>,
) -> Result<(), String> {
    for id in regarding {
        let promise = promises
            .get_mut(id)
            .ok_or_else(|| format!("promise {id} is not known"))?;
        promise.terms.informed_at = Some(at);
    }
    Ok(())
}

impl Erase for Promise {
    fn erase_personal(&mut self) -> u32 {
        let terms = &mut self.terms;
        let mut erased = terms.what.erase_personal();
        for revision in &mut terms.revisions {
            erased = erased.saturating_add(revision.reason.erase_personal());
        }
        if let Some(dependency) = &mut terms.dependency {
            erased = erased.saturating_add(dependency.commitment.erase_personal());
        }
        if let PromiseState::Withdrawn { reason, .. } = &mut self.state {
            erased = erased.saturating_add(reason.erase_personal());
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
        assert_documented::<PromiseLifecycle>(include_str!("mod.rs"));
    }

    fn terms() -> PromiseTerms {
        let t = DateTime::<Utc>::UNIX_EPOCH;
        PromiseTerms {
            what: Text::new("glasses").unwrap().into(),
            made_at: t,
            original_due: t,
            due: t,
            owner: AgentId::from_u128(1),
            fulfiller: Fulfiller::Us,
            interaction: None,
            complaint: None,
            revisions: Vec::new(),
            at_risk_at: None,
            informed_at: None,
            dependency: None,
            breaks: 0,
            slipped_repeatedly: false,
        }
    }

    #[test]
    fn data_transitions_follow_the_table_for_every_stage_and_action() {
        let t = DateTime::<Utc>::UNIX_EPOCH;
        let reason = Text::new("r").unwrap();
        let states = [
            PromiseState::Open,
            PromiseState::AtRisk {
                reason: AtRiskReason::LeadReached,
                since: t,
            },
            PromiseState::Broken {
                notice: Notice::InSilence,
            },
            PromiseState::Kept { at: t },
            PromiseState::KeptLate {
                at: t,
                lateness: Span::ZERO,
            },
            PromiseState::Withdrawn {
                at: t,
                reason: reason.clone().into(),
            },
        ];
        for state in states {
            let promise = Promise {
                terms: terms(),
                state,
            };
            let revision = Revision {
                at: t,
                previous_due: t,
                due: t,
                reason: reason.clone().into(),
                timing: RevisionTiming::Proactive,
                customer_agreed: true,
            };
            let steps = [
                PromiseStep::Warn(AtRiskReason::LeadReached, t),
                PromiseStep::Keep { at: t },
                PromiseStep::Break,
                PromiseStep::Revise(revision, None),
                PromiseStep::Withdraw {
                    at: t,
                    reason: reason.clone().into(),
                },
            ];
            for step in steps {
                let action = step.action();
                let expected = PromiseLifecycle::next(promise.stage(), action);
                let mut after = promise.clone();
                let got = after.transition(step).ok().map(|()| after.stage());
                assert_eq!(got, expected, "{:?} --{action:?}-->", promise.stage());
            }
        }
    }
}
