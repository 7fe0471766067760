//! What a follow-up is: its data, its stages and actions, and the transition table between
//! them (drawn in the [module docs](super)).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::id::{AgentId, ComplaintId, FollowUpId};
use crate::lifecycle::{Entity, Lifecycle, Refused};
use crate::outcome::{NoTarget, Outcome};
use crate::personal::{Erase, Personal};
use crate::registry::Registry;

/// What a follow-up found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum FollowUpOutcome {
    /// The customer is satisfied.
    Satisfied,
    /// The customer is not satisfied.
    NotSatisfied,
    /// We could not reach the customer.
    Unreachable,
}

/// A follow-up's state, with the data valid in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum FollowUpState {
    /// Due, not yet done.
    Scheduled,
    /// Its due instant passed.
    Overdue,
    /// Done.
    Done {
        /// When.
        #[serde(with = "crate::compact::instant")]
        at: DateTime<Utc>,
        /// What it found.
        outcome: FollowUpOutcome,
        /// On time or late.
        #[serde(with = "crate::outcome::outcome_form")]
        timing: Outcome,
    },
    /// No longer needed.
    Cancelled {
        /// When.
        #[serde(with = "crate::compact::instant")]
        at: DateTime<Utc>,
        /// Why.
        reason: Personal,
    },
}

/// A follow-up contact we owe a customer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FollowUp {
    /// Our agent who owns it.
    pub owner: AgentId,
    /// When it is due; `None` when it has no due instant (see `no_target`).
    #[serde(with = "crate::compact::instant::option")]
    pub due: Option<DateTime<Utc>>,
    /// Why it has no due instant, if it has none: it never falls due, and is flagged.
    #[serde(with = "crate::outcome::no_target_form::option")]
    pub no_target: Option<NoTarget>,
    /// Why.
    pub reason: Personal,
    /// The complaint it follows up, if any.
    pub complaint: Option<ComplaintId>,
    /// When it was scheduled.
    #[serde(with = "crate::compact::instant")]
    pub scheduled_at: DateTime<Utc>,
    /// Where it stands.
    pub state: FollowUpState,
}

/// The stages of a follow-up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FollowUpStage {
    /// Scheduled.
    Scheduled,
    /// Overdue.
    Overdue,
    /// Done.
    Done,
    /// Cancelled.
    Cancelled,
}

/// What can happen to a follow-up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FollowUpAction {
    /// Its due instant passed.
    Breach,
    /// It was done.
    Complete,
    /// It is no longer needed.
    Cancel,
}

/// The follow-up's transition table.
#[derive(Debug)]
pub enum FollowUpLifecycle {}

impl Lifecycle for FollowUpLifecycle {
    type Stage = FollowUpStage;
    type Action = FollowUpAction;
    const STAGES: &'static [FollowUpStage] = &[
        FollowUpStage::Scheduled,
        FollowUpStage::Overdue,
        FollowUpStage::Done,
        FollowUpStage::Cancelled,
    ];
    const ACTIONS: &'static [FollowUpAction] = &[
        FollowUpAction::Breach,
        FollowUpAction::Complete,
        FollowUpAction::Cancel,
    ];

    fn next(stage: FollowUpStage, action: FollowUpAction) -> Option<FollowUpStage> {
        use FollowUpAction as A;
        use FollowUpStage as S;
        match (stage, action) {
            (S::Scheduled, A::Breach) => Some(S::Overdue),
            (S::Scheduled | S::Overdue, A::Complete) => Some(S::Done),
            (S::Scheduled | S::Overdue, A::Cancel) => Some(S::Cancelled),
            (S::Overdue, A::Breach) => None,
            (S::Done | S::Cancelled, A::Breach | A::Complete | A::Cancel) => None,
        }
    }

    fn stage_name(stage: FollowUpStage) -> &'static str {
        match stage {
            FollowUpStage::Scheduled => "scheduled",
            FollowUpStage::Overdue => "overdue",
            FollowUpStage::Done => "done",
            FollowUpStage::Cancelled => "cancelled",
        }
    }

    fn action_name(action: FollowUpAction) -> &'static str {
        match action {
            FollowUpAction::Breach => "breach",
            FollowUpAction::Complete => "complete",
            FollowUpAction::Cancel => "cancel",
        }
    }
}

impl Entity for FollowUpLifecycle {
    const ENTITY: &'static str = "follow-up";
}

impl FollowUp {
    /// The stage, without data.
    ///
    /// ```
    /// # use clientele::{*, chrono::{TimeDelta, TimeZone, Utc}};
    /// # let (policy, monday) = (ServicePolicy::default(), Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap());
    /// # let mut ona = Relationship::new(CustomerId::from_u128(1)); ona.execute(&policy, RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?), monday)?;
    /// use clientele::follow_up::FollowUpStage;
    ///
    /// let call_back = FollowUpId::from_u128(4);
    /// let tuesday = monday + TimeDelta::days(1);
    /// ona.execute(&policy, ScheduleFollowUp::new(call_back, AgentId::from_u128(7), tuesday, Text::new("Fit check")?), monday)?;
    /// ona.advance_to(&policy, tuesday); // not done by its due instant
    /// assert_eq!(ona.follow_up(call_back).map(|f| f.stage()), Some(FollowUpStage::Overdue));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub const fn stage(&self) -> FollowUpStage {
        match self.state {
            FollowUpState::Scheduled => FollowUpStage::Scheduled,
            FollowUpState::Overdue => FollowUpStage::Overdue,
            FollowUpState::Done { .. } => FollowUpStage::Done,
            FollowUpState::Cancelled { .. } => FollowUpStage::Cancelled,
        }
    }

    /// Whether it is still to be done.
    ///
    /// ```
    /// # use clientele::{*, chrono::{TimeDelta, TimeZone, Utc}};
    /// # let (policy, monday) = (ServicePolicy::default(), Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap());
    /// # let mut ona = Relationship::new(CustomerId::from_u128(1)); ona.execute(&policy, RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?), monday)?;
    /// let call_back = FollowUpId::from_u128(4);
    /// ona.execute(&policy, ScheduleFollowUp::new(call_back, AgentId::from_u128(7), monday + TimeDelta::days(1), Text::new("Fit check")?), monday)?;
    /// assert_eq!(ona.follow_up(call_back).map(|f| f.is_pending()), Some(true));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub const fn is_pending(&self) -> bool {
        matches!(
            self.state,
            FollowUpState::Scheduled | FollowUpState::Overdue
        )
    }

    /// Where `action` leads from its stage, or the refusal naming both.
    pub(super) fn check(
        &self,
        action: FollowUpAction,
    ) -> Result<FollowUpStage, Refused<FollowUpLifecycle>> {
        FollowUpLifecycle::step(self.stage(), action)
    }
}

/// The follow-ups of one relationship.
pub(crate) type FollowUps = Registry<FollowUpId, FollowUp>;

impl Erase for FollowUp {
    fn erase_personal(&mut self) -> u32 {
        let mut erased = self.reason.erase_personal();
        if let FollowUpState::Cancelled { reason, .. } = &mut self.state {
            erased = erased.saturating_add(reason.erase_personal());
        }
        erased
    }
}
