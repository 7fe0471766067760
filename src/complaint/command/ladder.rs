//! The commands that move a complaint on the support ladder or between queues: route to a
//! team, ask for or make an escalation, move it back down.

use serde::{Deserialize, Serialize};

use crate::id::{AgentId, ComplaintId, TeamId};
use crate::personal::Personal;

/// Put a complaint in a team's queue: the team owns it until one of its agents takes it
/// ([`AssignComplaint`](super::AssignComplaint)), and its flags stay on the team's work list after that. Allowed
/// while the complaint is open, in any stage (a new complaint can wait in a queue before
/// anyone acknowledges it); see [`crate::complaint`].
///
/// ```
/// use clientele::{ComplaintId, RouteComplaint, TeamId};
///
/// let route = RouteComplaint { complaint: ComplaintId::from_u128(1), team: TeamId::from_u128(2) };
/// assert_eq!(clientele::Command::from(route).name(), "route_complaint");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct RouteComplaint {
    /// The complaint.
    pub complaint: ComplaintId,
    /// The team whose queue it goes to.
    pub team: TeamId,
}

impl RouteComplaint {
    /// Puts `complaint` in `team`'s queue.
    ///
    /// ```
    /// # use clientele::{*, chrono::{TimeDelta, TimeZone, Utc}, complaint::ComplaintStage};
    /// # let (policy, monday) = (ServicePolicy::default(), Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap());
    /// # let (late, jonas) = (ComplaintId::from_u128(3), AgentId::from_u128(7));
    /// # let mut ona = Relationship::new(CustomerId::from_u128(1)); ona.execute(&policy, RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?), monday)?;
    /// # ona.execute(&policy, ReceiveComplaint::new(late, Channel::Phone, Text::new("Glasses late")?), monday)?;
    /// # let stage = |ona: &Relationship| ona.complaint(late).map(|c| c.stage());
    /// let opticians = TeamId::from_u128(9);
    /// ona.execute(&policy, RouteComplaint::new(late, opticians), monday)?;
    /// assert_eq!(ona.complaint(late).and_then(|c| c.team), Some(opticians));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub const fn new(complaint: ComplaintId, team: TeamId) -> Self {
        Self { complaint, team }
    }
}

/// The customer asks for escalation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct RequestEscalation {
    /// The complaint.
    pub complaint: ComplaintId,
}

impl RequestEscalation {
    /// The customer asks to escalate `complaint`.
    ///
    /// ```
    /// # use clientele::{*, chrono::{TimeDelta, TimeZone, Utc}, complaint::ComplaintStage};
    /// # let (policy, monday) = (ServicePolicy::default(), Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap());
    /// # let (late, jonas) = (ComplaintId::from_u128(3), AgentId::from_u128(7));
    /// # let mut ona = Relationship::new(CustomerId::from_u128(1)); ona.execute(&policy, RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?), monday)?;
    /// # ona.execute(&policy, ReceiveComplaint::new(late, Channel::Phone, Text::new("Glasses late")?), monday)?;
    /// # let stage = |ona: &Relationship| ona.complaint(late).map(|c| c.stage());
    /// let events = ona.execute(&policy, RequestEscalation::new(late), monday)?;
    /// assert_eq!(events[0].event.kind(), "escalation_due");
    /// assert!(ona.complaint(late).ok_or("held")?.escalation_due.is_some());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub const fn new(complaint: ComplaintId) -> Self {
        Self { complaint }
    }
}

/// Move a complaint up the support ladder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct EscalateComplaint {
    /// The complaint.
    pub complaint: ComplaintId,
    /// The level (index into the policy's ladder), above the current one.
    pub to_level: u32,
    /// Our agent who owns it at that level.
    pub owner: AgentId,
}

impl EscalateComplaint {
    /// Moves `complaint` up to `to_level`, owned by `owner` there.
    ///
    /// ```
    /// # use clientele::{*, chrono::{TimeDelta, TimeZone, Utc}, complaint::ComplaintStage};
    /// # let (policy, monday) = (ServicePolicy::default(), Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap());
    /// # let (late, jonas) = (ComplaintId::from_u128(3), AgentId::from_u128(7));
    /// # let mut ona = Relationship::new(CustomerId::from_u128(1)); ona.execute(&policy, RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?), monday)?;
    /// # ona.execute(&policy, ReceiveComplaint::new(late, Channel::Phone, Text::new("Glasses late")?), monday)?;
    /// # let stage = |ona: &Relationship| ona.complaint(late).map(|c| c.stage());
    /// ona.execute(&policy, AcknowledgeComplaint::new(late, jonas), monday)?;
    /// let specialist = AgentId::from_u128(8);
    /// ona.execute(&policy, EscalateComplaint::new(late, 1, specialist), monday)?;
    /// let complaint = ona.complaint(late).ok_or("held")?;
    /// assert_eq!((complaint.level, complaint.owner, complaint.stage()), (1, Some(specialist), ComplaintStage::InProgress));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub const fn new(complaint: ComplaintId, to_level: u32, owner: AgentId) -> Self {
        Self {
            complaint,
            to_level,
            owner,
        }
    }
}

/// Move a complaint back down the support ladder, to a lower level and a new owner, with the
/// reason (issue 14 item 3: the Volvo log moves 8,353 tickets back to a lower line; Jira
/// Service Management and GLPI move a ticket between queues both ways). Allowed whenever the
/// complaint is open, acknowledged or not; the new level's escalation clock starts afresh.
///
/// ```
/// use clientele::{AgentId, ComplaintId, DeescalateComplaint, Text};
///
/// let back = DeescalateComplaint::new(
///     ComplaintId::from_u128(1),
///     0,
///     AgentId::from_u128(7),
///     Text::new("A front-line fix: the lab resent the order")?,
/// );
/// assert_eq!(back.to_level, 0);
/// # Ok::<(), clientele::ValueError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct DeescalateComplaint {
    /// The complaint.
    pub complaint: ComplaintId,
    /// The level (index into the policy's ladder), below the current one.
    pub to_level: u32,
    /// Our agent who owns it at that level.
    pub owner: AgentId,
    /// Why it goes back down.
    pub reason: Personal,
}

impl DeescalateComplaint {
    /// Moves `complaint` down to `to_level`, owned by `owner`, for `reason`.
    ///
    /// ```
    /// # use clientele::{*, chrono::{TimeDelta, TimeZone, Utc}, complaint::ComplaintStage};
    /// # let (policy, monday) = (ServicePolicy::default(), Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap());
    /// # let (late, jonas) = (ComplaintId::from_u128(3), AgentId::from_u128(7));
    /// # let mut ona = Relationship::new(CustomerId::from_u128(1)); ona.execute(&policy, RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?), monday)?;
    /// # ona.execute(&policy, ReceiveComplaint::new(late, Channel::Phone, Text::new("Glasses late")?), monday)?;
    /// # let stage = |ona: &Relationship| ona.complaint(late).map(|c| c.stage());
    /// ona.execute(&policy, AcknowledgeComplaint::new(late, jonas), monday)?;
    /// ona.execute(&policy, EscalateComplaint::new(late, 1, AgentId::from_u128(8)), monday)?;
    /// let back = DeescalateComplaint::new(late, 0, jonas, Text::new("The lab resent the order")?);
    /// ona.execute(&policy, back, monday)?;
    /// assert_eq!(ona.complaint(late).map(|c| (c.level, c.owner)), Some((0, Some(jonas))));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn new(
        complaint: ComplaintId,
        to_level: u32,
        owner: AgentId,
        reason: impl Into<Personal>,
    ) -> Self {
        Self {
            complaint,
            to_level,
            owner,
            reason: reason.into(),
        }
    }
}
