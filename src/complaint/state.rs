//! What a complaint is: its data, its stages and actions, and the transition table between
//! them (drawn in the [module docs](super)).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::clock::{ComplaintClockKind, TargetClock};
use crate::id::{AgentId, ComplaintId, FollowUpId, InteractionId, PromiseId, TeamId};
use crate::lifecycle::{Entity, Lifecycle, Refused};
use crate::outcome::TargetStatus;
use crate::personal::{Erase, Personal};
use crate::value::{Channel, Priority, Tier};

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

/// What a [`Handover`] was.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LevelChange {
    /// A new owner at the same level.
    Assigned,
    /// Up the ladder.
    Escalated,
    /// Back down the ladder.
    Deescalated,
}

/// A change of support level or owner, kept as history: both directions of the ladder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Handover {
    /// Which way it went.
    pub change: LevelChange,
    /// When.
    #[serde(with = "crate::compact::instant")]
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
    #[serde(with = "crate::compact::instant")]
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

/// Why a complaint was closed without a resolution (issue 14 item 7).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum Unresolved {
    /// It repeats another complaint, which goes on.
    Duplicate {
        /// The complaint it repeats.
        of: ComplaintId,
    },
    /// It is no complaint (spam, a mistake, not ours).
    Invalid,
    /// The customer withdrew it.
    Withdrawn,
}

/// [`Unresolved`] in a snapshot's binary form (see [`crate::compact`]).
#[derive(Serialize, Deserialize)]
#[serde(remote = "Unresolved")]
enum UnresolvedBinary {
    Duplicate { of: ComplaintId },
    Invalid,
    Withdrawn,
}

crate::compact::either_form!(unresolved_form, Unresolved, UnresolvedBinary);

/// A complaint's stage, with the data valid in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
        #[serde(with = "crate::compact::instant")]
        since: DateTime<Utc>,
    },
    /// Resolved.
    Resolved(Resolution),
    /// Closed after resolution.
    Closed(Resolution),
    /// Closed without a resolution: when, and why.
    ClosedUnresolved {
        /// When.
        #[serde(with = "crate::compact::instant")]
        at: DateTime<Utc>,
        /// Why.
        #[serde(with = "crate::complaint::state::unresolved_form")]
        reason: Unresolved,
    },
}

/// A complaint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Complaint {
    /// What the customer complained about.
    pub summary: Personal,
    /// How severe: as received, or as the latest re-prioritisation set it.
    pub priority: Priority,
    /// Where it came in.
    pub channel: Channel,
    /// When.
    #[serde(with = "crate::compact::instant")]
    pub received_at: DateTime<Utc>,
    /// The tier its targets are read for: the customer's tier when it came in, or as the
    /// latest re-prioritisation set it.
    pub tier: Tier,
    /// Interactions it concerns.
    pub interactions: Vec<InteractionId>,
    /// Promises it concerns.
    pub promises: Vec<PromiseId>,
    /// Who owns it, once someone does.
    pub owner: Option<AgentId>,
    /// The team whose queue it is in, if it was routed to one (see
    /// [`RouteComplaint`](super::RouteComplaint)).
    pub team: Option<TeamId>,
    /// The outside party it waits on, if it does (see
    /// [`AwaitOutsideParty`](super::AwaitOutsideParty)).
    pub outside: Option<super::OutsideWait>,
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
    /// When it was reopened at the top of the support ladder, where a reopen makes no
    /// escalation due, if that is how it stands: flagged for its owner until it is resolved.
    #[serde(with = "crate::compact::instant::option")]
    pub reopened_at_top: Option<DateTime<Utc>>,
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
    /// Closed without a resolution.
    ClosedUnresolved,
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
    /// It moves back down the ladder.
    Deescalate,
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
    /// It is closed without a resolution.
    CloseUnresolved,
    /// Its priority (and tier) change, and its targets with them.
    Reprioritise,
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
        ComplaintStage::ClosedUnresolved,
    ];
    const ACTIONS: &'static [ComplaintAction] = &[
        ComplaintAction::Acknowledge,
        ComplaintAction::Assign,
        ComplaintAction::Escalate,
        ComplaintAction::Deescalate,
        ComplaintAction::Wait,
        ComplaintAction::Resume,
        ComplaintAction::Resolve,
        ComplaintAction::Close,
        ComplaintAction::Reopen,
        ComplaintAction::CloseUnresolved,
        ComplaintAction::Reprioritise,
    ];

    fn next(stage: ComplaintStage, action: ComplaintAction) -> Option<ComplaintStage> {
        use ComplaintAction as A;
        use ComplaintStage as S;
        // Moves on the ladder keep a complaint nobody acknowledged in `Received` (routed
        // before acknowledgement, issue 14 item 3).
        match (stage, action) {
            (S::Received, A::Acknowledge) => Some(S::Acknowledged),
            // Acknowledged late, after work began or while the customer is awaited: only while
            // the acknowledgement is still owed (the decision checks it).
            (S::InProgress, A::Acknowledge) => Some(S::InProgress),
            (S::Waiting, A::Acknowledge) => Some(S::Waiting),
            // On hold for the customer before anyone acknowledged or took it (issue 14 item 4).
            (S::Received | S::Acknowledged | S::InProgress, A::Wait) => Some(S::Waiting),
            (S::Received | S::Acknowledged | S::InProgress | S::Waiting, A::Resolve) => {
                Some(S::Resolved)
            }
            (S::Received, A::Assign | A::Escalate | A::Deescalate) => Some(S::Received),
            (S::Acknowledged | S::InProgress, A::Assign | A::Escalate | A::Deescalate) => {
                Some(S::InProgress)
            }
            (S::Waiting, A::Assign | A::Escalate | A::Deescalate) => Some(S::Waiting),
            (S::Waiting, A::Resume) => Some(S::InProgress),
            // New terms change no stage (issue 14 item 2).
            (S::Received, A::Reprioritise) => Some(S::Received),
            (S::Acknowledged, A::Reprioritise) => Some(S::Acknowledged),
            (S::InProgress, A::Reprioritise) => Some(S::InProgress),
            (S::Waiting, A::Reprioritise) => Some(S::Waiting),
            (S::Resolved, A::Close) => Some(S::Closed),
            (S::Resolved | S::Closed, A::Reopen) => Some(S::InProgress),
            (S::Received | S::Acknowledged | S::InProgress | S::Waiting, A::CloseUnresolved) => {
                Some(S::ClosedUnresolved)
            }
            // Terminal, as a closed ticket is at Zendesk: the customer complains anew.
            (S::ClosedUnresolved, _) => None,
            (S::Resolved | S::Closed, A::CloseUnresolved) => None,
            (S::Received, A::Resume | A::Close | A::Reopen) => None,
            (S::Acknowledged, A::Acknowledge | A::Resume | A::Close | A::Reopen) => None,
            (S::InProgress, A::Resume | A::Close | A::Reopen) => None,
            (S::Waiting, A::Wait | A::Close | A::Reopen) => None,
            (
                S::Resolved | S::Closed,
                A::Acknowledge
                | A::Assign
                | A::Escalate
                | A::Deescalate
                | A::Wait
                | A::Resume
                | A::Resolve
                | A::Reprioritise,
            ) => None,
            (S::Closed, A::Close) => None,
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
            ComplaintStage::ClosedUnresolved => "closed_unresolved",
        }
    }

    fn action_name(action: ComplaintAction) -> &'static str {
        match action {
            ComplaintAction::Acknowledge => "acknowledge",
            ComplaintAction::Assign => "assign",
            ComplaintAction::Escalate => "escalate",
            ComplaintAction::Deescalate => "deescalate",
            ComplaintAction::Wait => "wait",
            ComplaintAction::Resume => "resume",
            ComplaintAction::Resolve => "resolve",
            ComplaintAction::Close => "close",
            ComplaintAction::Reopen => "reopen",
            ComplaintAction::CloseUnresolved => "close_unresolved",
            ComplaintAction::Reprioritise => "reprioritise",
        }
    }
}

impl Entity for ComplaintLifecycle {
    const ENTITY: &'static str = "complaint";
}

impl Complaint {
    /// The stage, without data.
    ///
    /// ```
    /// # use clientele::{*, chrono::{TimeDelta, TimeZone, Utc}};
    /// # let (policy, monday) = (ServicePolicy::default(), Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap());
    /// # let mut ona = Relationship::new(CustomerId::from_u128(1)); ona.execute(&policy, RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?), monday)?;
    /// use clientele::complaint::ComplaintStage;
    /// # let (late, jonas) = (ComplaintId::from_u128(3), AgentId::from_u128(7));
    /// # ona.execute(&policy, ReceiveComplaint::new(late, Channel::Phone, Text::new("Glasses late")?), monday)?;
    ///
    /// assert_eq!(ona.complaint(late).map(|c| c.stage()), Some(ComplaintStage::Received));
    /// ona.execute(&policy, AcknowledgeComplaint::new(late, jonas), monday)?;
    /// assert_eq!(ona.complaint(late).map(|c| c.stage()), Some(ComplaintStage::Acknowledged));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub const fn stage(&self) -> ComplaintStage {
        match self.state {
            ComplaintState::Received => ComplaintStage::Received,
            ComplaintState::Acknowledged { .. } => ComplaintStage::Acknowledged,
            ComplaintState::InProgress => ComplaintStage::InProgress,
            ComplaintState::Waiting { .. } => ComplaintStage::Waiting,
            ComplaintState::Resolved(_) => ComplaintStage::Resolved,
            ComplaintState::Closed(_) => ComplaintStage::Closed,
            ComplaintState::ClosedUnresolved { .. } => ComplaintStage::ClosedUnresolved,
        }
    }

    /// Whether its acknowledgement is still owed: nobody acknowledged it and it was not
    /// resolved (a resolution ends the acknowledgement target).
    ///
    /// ```
    /// # use clientele::{*, chrono::{TimeDelta, TimeZone, Utc}};
    /// # let (policy, monday) = (ServicePolicy::default(), Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap());
    /// # let mut ona = Relationship::new(CustomerId::from_u128(1)); ona.execute(&policy, RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?), monday)?;
    /// # let (late, jonas) = (ComplaintId::from_u128(3), AgentId::from_u128(7));
    /// # ona.execute(&policy, ReceiveComplaint::new(late, Channel::Phone, Text::new("Glasses late")?), monday)?;
    /// assert_eq!(ona.complaint(late).map(|c| c.is_unacknowledged()), Some(true)); // flagged until acknowledged
    /// ona.execute(&policy, AcknowledgeComplaint::new(late, jonas), monday)?;
    /// assert_eq!(ona.complaint(late).map(|c| c.is_unacknowledged()), Some(false));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn is_unacknowledged(&self) -> bool {
        self.acknowledgement.is_running() || self.acknowledgement.is_paused()
    }

    /// Where the target of its clock `kind` stands (issue 14 item 13); `None` for the
    /// escalation clock of a level with no threshold.
    ///
    /// ```
    /// # use clientele::{*, chrono::{TimeDelta, TimeZone, Utc}};
    /// # let (policy, monday) = (ServicePolicy::default(), Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap());
    /// # let mut ona = Relationship::new(CustomerId::from_u128(1)); ona.execute(&policy, RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?), monday)?;
    /// use clientele::complaint::ComplaintClockKind;
    /// use clientele::outcome::TargetStatus;
    /// # let (late, jonas) = (ComplaintId::from_u128(3), AgentId::from_u128(7));
    /// # ona.execute(&policy, ReceiveComplaint::new(late, Channel::Phone, Text::new("Glasses late")?), monday)?;
    ///
    /// let complaint = ona.complaint(late).ok_or("received")?;
    /// let due = monday + TimeDelta::hours(4);
    /// assert_eq!(complaint.status(ComplaintClockKind::Acknowledgement), Some(TargetStatus::Running { due, breached: false }));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn status(&self, kind: ComplaintClockKind) -> Option<TargetStatus> {
        let clock = match kind {
            ComplaintClockKind::Acknowledgement => Some(&self.acknowledgement),
            ComplaintClockKind::Resolution => Some(&self.resolution),
            ComplaintClockKind::Escalation => self.escalation.as_ref(),
        };
        clock.map(TargetClock::status)
    }

    /// Whether it is still open (not resolved or closed).
    ///
    /// ```
    /// # use clientele::{*, chrono::{TimeDelta, TimeZone, Utc}};
    /// # let (policy, monday) = (ServicePolicy::default(), Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap());
    /// # let mut ona = Relationship::new(CustomerId::from_u128(1)); ona.execute(&policy, RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?), monday)?;
    /// # let (late, jonas) = (ComplaintId::from_u128(3), AgentId::from_u128(7));
    /// # ona.execute(&policy, ReceiveComplaint::new(late, Channel::Phone, Text::new("Glasses late")?), monday)?;
    /// assert_eq!(ona.complaint(late).map(|c| c.is_open()), Some(true));
    /// ona.execute(&policy, ResolveComplaint::new(late, jonas, Text::new("Handed over")?), monday)?;
    /// assert_eq!(ona.complaint(late).map(|c| c.is_open()), Some(false));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub const fn is_open(&self) -> bool {
        !matches!(
            self.state,
            ComplaintState::Resolved(_)
                | ComplaintState::Closed(_)
                | ComplaintState::ClosedUnresolved { .. }
        )
    }

    /// When its current resolution was made, if it is resolved or closed.
    ///
    /// ```
    /// # use clientele::{*, chrono::{TimeDelta, TimeZone, Utc}};
    /// # let (policy, monday) = (ServicePolicy::default(), Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap());
    /// # let mut ona = Relationship::new(CustomerId::from_u128(1)); ona.execute(&policy, RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?), monday)?;
    /// # let (late, jonas) = (ComplaintId::from_u128(3), AgentId::from_u128(7));
    /// # ona.execute(&policy, ReceiveComplaint::new(late, Channel::Phone, Text::new("Glasses late")?), monday)?;
    /// let noon = monday + TimeDelta::hours(3);
    /// ona.execute(&policy, ResolveComplaint::new(late, jonas, Text::new("Handed over")?), noon)?;
    /// assert_eq!(ona.complaint(late).and_then(|c| c.resolved_at()), Some(noon));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub const fn resolved_at(&self) -> Option<DateTime<Utc>> {
        match &self.state {
            ComplaintState::Resolved(r) | ComplaintState::Closed(r) => Some(r.at),
            ComplaintState::Received
            | ComplaintState::Acknowledged { .. }
            | ComplaintState::InProgress
            | ComplaintState::Waiting { .. }
            | ComplaintState::ClosedUnresolved { .. } => None,
        }
    }

    /// Where `action` leads from its stage, or the refusal naming both.
    pub(super) fn check(
        &self,
        action: ComplaintAction,
    ) -> Result<ComplaintStage, Refused<ComplaintLifecycle>> {
        ComplaintLifecycle::step(self.stage(), action)
    }

    /// Every running clock with its kind.
    pub(super) fn clocks(&self) -> impl Iterator<Item = (ComplaintClockKind, &TargetClock)> {
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

    /// The clock of `kind`, if the complaint has one.
    pub(super) fn clock_mut(&mut self, kind: ComplaintClockKind) -> Option<&mut TargetClock> {
        match kind {
            ComplaintClockKind::Acknowledgement => Some(&mut self.acknowledgement),
            ComplaintClockKind::Resolution => Some(&mut self.resolution),
            ComplaintClockKind::Escalation => self.escalation.as_mut(),
        }
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
