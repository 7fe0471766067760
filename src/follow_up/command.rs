use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::follow_up::FollowUpOutcome;
use crate::id::{AgentId, ComplaintId, FollowUpId};
use crate::personal::Personal;

/// What the service can ask of this family. `#[non_exhaustive]`: later releases add
/// commands; build one from its struct (`.into()`), and match with a `_` arm.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub enum FollowUpCommand {
    /// Schedule a follow-up contact.
    #[serde(rename = "schedule_follow_up")]
    Schedule(ScheduleFollowUp),
    /// A follow-up was done.
    #[serde(rename = "complete_follow_up")]
    Complete(CompleteFollowUp),
    /// A follow-up is no longer needed.
    #[serde(rename = "cancel_follow_up")]
    Cancel(CancelFollowUp),
}

impl FollowUpCommand {
    /// The command's name, as its `type` tag on the wire.
    ///
    /// ```
    /// use clientele::{FollowUpId, FollowUpOutcome, CompleteFollowUp};
    /// use clientele::follow_up::FollowUpCommand;
    ///
    /// let done = FollowUpCommand::from(CompleteFollowUp::new(FollowUpId::from_u128(4), FollowUpOutcome::Satisfied));
    /// assert_eq!(done.name(), "complete_follow_up");
    /// ```
    #[must_use]
    pub const fn name(&self) -> &'static str {
        match self {
            Self::Schedule(_) => "schedule_follow_up",
            Self::Complete(_) => "complete_follow_up",
            Self::Cancel(_) => "cancel_follow_up",
        }
    }
}

impl From<ScheduleFollowUp> for FollowUpCommand {
    fn from(command: ScheduleFollowUp) -> Self {
        Self::Schedule(command)
    }
}

impl From<CompleteFollowUp> for FollowUpCommand {
    fn from(command: CompleteFollowUp) -> Self {
        Self::Complete(command)
    }
}

impl From<CancelFollowUp> for FollowUpCommand {
    fn from(command: CancelFollowUp) -> Self {
        Self::Cancel(command)
    }
}

/// Schedule a follow-up contact (after a major problem, a check-in).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ScheduleFollowUp {
    /// A new id for it.
    pub follow_up: FollowUpId,
    /// Our agent who owns it.
    pub owner: AgentId,
    /// When it is due.
    pub due: DateTime<Utc>,
    /// Why.
    pub reason: Personal,
    /// The complaint it follows up, if any.
    #[serde(default)]
    pub complaint: Option<ComplaintId>,
}

impl ScheduleFollowUp {
    /// A follow-up `follow_up` for our agent `owner`, due at `due`, for `reason`; about no
    /// complaint until [`about`](Self::about) names one.
    ///
    /// ```
    /// # use clientele::{*, chrono::{TimeDelta, TimeZone, Utc}};
    /// # let (policy, monday) = (ServicePolicy::default(), Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap());
    /// # let (glasses, jonas) = (PromiseId::from_u128(5), AgentId::from_u128(7));
    /// # let friday = monday + TimeDelta::days(4);
    /// # let mut ona = Relationship::new(CustomerId::from_u128(1)); ona.execute(&policy, RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?), monday)?;
    /// let call_back = FollowUpId::from_u128(4);
    /// let tuesday = monday + TimeDelta::days(1);
    /// ona.execute(&policy, ScheduleFollowUp::new(call_back, jonas, tuesday, Text::new("Check the fit")?), monday)?;
    /// assert_eq!(ona.next_deadline().map(|d| (d.kind(), d.at)), Some((DeadlineKind::FollowUpDue, tuesday)));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn new(
        follow_up: FollowUpId,
        owner: AgentId,
        due: DateTime<Utc>,
        reason: impl Into<Personal>,
    ) -> Self {
        Self {
            follow_up,
            owner,
            due,
            reason: reason.into(),
            complaint: None,
        }
    }

    /// Links the complaint it follows up.
    ///
    /// ```
    /// use clientele::chrono::{TimeZone, Utc};
    /// use clientele::{AgentId, ComplaintId, FollowUpId, ScheduleFollowUp, Text};
    ///
    /// let tuesday = Utc.with_ymd_and_hms(2026, 3, 3, 9, 0, 0).unwrap();
    /// let late = ComplaintId::from_u128(3);
    /// let call_back = ScheduleFollowUp::new(FollowUpId::from_u128(4), AgentId::from_u128(7), tuesday, Text::new("Check the fit")?)
    ///     .about(late);
    /// assert_eq!(call_back.complaint, Some(late));
    /// # Ok::<(), clientele::ValueError>(())
    /// ```
    #[must_use]
    pub const fn about(mut self, complaint: ComplaintId) -> Self {
        self.complaint = Some(complaint);
        self
    }
}

/// A follow-up was done.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CompleteFollowUp {
    /// The follow-up.
    pub follow_up: FollowUpId,
    /// What it found.
    pub outcome: FollowUpOutcome,
    /// A note.
    #[serde(default)]
    pub note: Option<Personal>,
}

impl CompleteFollowUp {
    /// `follow_up` was done, with `outcome`; no note until [`note`](Self::note) adds one.
    ///
    /// ```
    /// # use clientele::{*, chrono::{TimeDelta, TimeZone, Utc}};
    /// # let (policy, monday) = (ServicePolicy::default(), Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap());
    /// # let (glasses, jonas) = (PromiseId::from_u128(5), AgentId::from_u128(7));
    /// # let friday = monday + TimeDelta::days(4);
    /// # let mut ona = Relationship::new(CustomerId::from_u128(1)); ona.execute(&policy, RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?), monday)?;
    /// use clientele::follow_up::FollowUpStage;
    ///
    /// let call_back = FollowUpId::from_u128(4);
    /// ona.execute(&policy, ScheduleFollowUp::new(call_back, jonas, monday + TimeDelta::days(1), Text::new("Check the fit")?), monday)?;
    /// ona.execute(&policy, CompleteFollowUp::new(call_back, FollowUpOutcome::Satisfied), monday + TimeDelta::hours(20))?;
    /// assert_eq!(ona.follow_up_stage(call_back), Some(FollowUpStage::Done));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub const fn new(follow_up: FollowUpId, outcome: FollowUpOutcome) -> Self {
        Self {
            follow_up,
            outcome,
            note: None,
        }
    }

    /// What the customer said.
    ///
    /// ```
    /// use clientele::{CompleteFollowUp, FollowUpId, FollowUpOutcome, Text};
    ///
    /// let done = CompleteFollowUp::new(FollowUpId::from_u128(4), FollowUpOutcome::Unreachable)
    ///     .note(Text::new("Voicemail, twice")?);
    /// assert!(done.note.is_some());
    /// # Ok::<(), clientele::ValueError>(())
    /// ```
    #[must_use]
    pub fn note(mut self, note: impl Into<Personal>) -> Self {
        self.note = Some(note.into());
        self
    }
}

/// A follow-up is no longer needed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CancelFollowUp {
    /// The follow-up.
    pub follow_up: FollowUpId,
    /// Why.
    pub reason: Personal,
}

impl CancelFollowUp {
    /// Cancels `follow_up`, for `reason`.
    ///
    /// ```
    /// # use clientele::{*, chrono::{TimeDelta, TimeZone, Utc}};
    /// # let (policy, monday) = (ServicePolicy::default(), Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap());
    /// # let (glasses, jonas) = (PromiseId::from_u128(5), AgentId::from_u128(7));
    /// # let friday = monday + TimeDelta::days(4);
    /// # let mut ona = Relationship::new(CustomerId::from_u128(1)); ona.execute(&policy, RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?), monday)?;
    /// use clientele::follow_up::FollowUpStage;
    ///
    /// let call_back = FollowUpId::from_u128(4);
    /// ona.execute(&policy, ScheduleFollowUp::new(call_back, jonas, monday + TimeDelta::days(1), Text::new("Check the fit")?), monday)?;
    /// ona.execute(&policy, CancelFollowUp::new(call_back, Text::new("She came in herself")?), monday)?;
    /// assert_eq!(ona.follow_up_stage(call_back), Some(FollowUpStage::Cancelled));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn new(follow_up: FollowUpId, reason: impl Into<Personal>) -> Self {
        Self {
            follow_up,
            reason: reason.into(),
        }
    }
}
