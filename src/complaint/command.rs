use serde::{Deserialize, Serialize};

use super::state::Unresolved;
use chrono::{DateTime, Utc};

use crate::id::{AgentId, ComplaintId, FollowUpId, InteractionId, PartyId, PromiseId};
use crate::personal::Personal;
use crate::value::{Channel, Priority, Tier};

mod ladder;

pub use ladder::{DeescalateComplaint, EscalateComplaint, RequestEscalation, RouteComplaint};

/// What the service can ask of this family. `#[non_exhaustive]`: later releases add
/// commands; build one from its struct (`.into()`), and match with a `_` arm.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub enum ComplaintCommand {
    /// A customer complained.
    #[serde(rename = "receive_complaint")]
    Receive(ReceiveComplaint),
    /// Tell the customer we have their complaint.
    #[serde(rename = "acknowledge_complaint")]
    Acknowledge(AcknowledgeComplaint),
    /// Give a complaint an owner.
    #[serde(rename = "assign_complaint")]
    Assign(AssignComplaint),
    /// Put a complaint in a team's queue (see [`RouteComplaint`]).
    #[serde(rename = "route_complaint")]
    Route(RouteComplaint),
    /// The customer asks for escalation.
    #[serde(rename = "request_escalation")]
    RequestEscalation(RequestEscalation),
    /// Move a complaint up the support ladder, to a new owner.
    #[serde(rename = "escalate_complaint")]
    Escalate(EscalateComplaint),
    /// Move a complaint back down the support ladder, to a new owner, with a reason.
    #[serde(rename = "deescalate_complaint")]
    Deescalate(DeescalateComplaint),
    /// Wait on the customer (pauses the clocks the policy marks pausable).
    #[serde(rename = "await_customer")]
    AwaitCustomer(AwaitCustomer),
    /// Wait on an outside party about a complaint (see [`AwaitOutsideParty`]).
    #[serde(rename = "await_outside_party")]
    AwaitOutsideParty(AwaitOutsideParty),
    /// The wait on an outside party ends (see [`EndOutsideWait`]).
    #[serde(rename = "end_outside_wait")]
    EndOutsideWait(EndOutsideWait),
    /// The customer answered; work on the complaint goes on.
    #[serde(rename = "resume_complaint")]
    Resume(ResumeComplaint),
    /// Resolve a complaint.
    #[serde(rename = "resolve_complaint")]
    Resolve(ResolveComplaint),
    /// Close a resolved complaint.
    #[serde(rename = "close_complaint")]
    Close(CloseComplaint),
    /// Reopen a resolved or closed complaint.
    #[serde(rename = "reopen_complaint")]
    Reopen(ReopenComplaint),
    /// Close an open complaint without a resolution.
    #[serde(rename = "close_complaint_unresolved")]
    CloseUnresolved(CloseUnresolved),
    /// Change an open complaint's priority (and tier): its targets change with them.
    #[serde(rename = "reprioritise_complaint")]
    Reprioritise(ReprioritiseComplaint),
}

impl ComplaintCommand {
    /// The command's name, as its `type` tag on the wire.
    ///
    /// ```
    /// use clientele::{AwaitCustomer, ComplaintId};
    /// use clientele::complaint::ComplaintCommand;
    ///
    /// let wait = ComplaintCommand::from(AwaitCustomer::new(ComplaintId::from_u128(3)));
    /// assert_eq!(wait.name(), "await_customer");
    /// ```
    #[must_use]
    pub const fn name(&self) -> &'static str {
        match self {
            Self::Receive(_) => "receive_complaint",
            Self::Acknowledge(_) => "acknowledge_complaint",
            Self::Assign(_) => "assign_complaint",
            Self::Route(_) => "route_complaint",
            Self::RequestEscalation(_) => "request_escalation",
            Self::Escalate(_) => "escalate_complaint",
            Self::Deescalate(_) => "deescalate_complaint",
            Self::AwaitCustomer(_) => "await_customer",
            Self::AwaitOutsideParty(_) => "await_outside_party",
            Self::EndOutsideWait(_) => "end_outside_wait",
            Self::Resume(_) => "resume_complaint",
            Self::Resolve(_) => "resolve_complaint",
            Self::Close(_) => "close_complaint",
            Self::Reopen(_) => "reopen_complaint",
            Self::CloseUnresolved(_) => "close_complaint_unresolved",
            Self::Reprioritise(_) => "reprioritise_complaint",
        }
    }
}

impl From<ReceiveComplaint> for ComplaintCommand {
    fn from(command: ReceiveComplaint) -> Self {
        Self::Receive(command)
    }
}

impl From<AcknowledgeComplaint> for ComplaintCommand {
    fn from(command: AcknowledgeComplaint) -> Self {
        Self::Acknowledge(command)
    }
}

impl From<RouteComplaint> for ComplaintCommand {
    fn from(command: RouteComplaint) -> Self {
        Self::Route(command)
    }
}

impl From<AssignComplaint> for ComplaintCommand {
    fn from(command: AssignComplaint) -> Self {
        Self::Assign(command)
    }
}

impl From<RequestEscalation> for ComplaintCommand {
    fn from(command: RequestEscalation) -> Self {
        Self::RequestEscalation(command)
    }
}

impl From<EscalateComplaint> for ComplaintCommand {
    fn from(command: EscalateComplaint) -> Self {
        Self::Escalate(command)
    }
}

impl From<DeescalateComplaint> for ComplaintCommand {
    fn from(command: DeescalateComplaint) -> Self {
        Self::Deescalate(command)
    }
}

impl From<AwaitOutsideParty> for ComplaintCommand {
    fn from(command: AwaitOutsideParty) -> Self {
        Self::AwaitOutsideParty(command)
    }
}

impl From<EndOutsideWait> for ComplaintCommand {
    fn from(command: EndOutsideWait) -> Self {
        Self::EndOutsideWait(command)
    }
}

impl From<AwaitCustomer> for ComplaintCommand {
    fn from(command: AwaitCustomer) -> Self {
        Self::AwaitCustomer(command)
    }
}

impl From<ResumeComplaint> for ComplaintCommand {
    fn from(command: ResumeComplaint) -> Self {
        Self::Resume(command)
    }
}

impl From<ResolveComplaint> for ComplaintCommand {
    fn from(command: ResolveComplaint) -> Self {
        Self::Resolve(command)
    }
}

impl From<CloseComplaint> for ComplaintCommand {
    fn from(command: CloseComplaint) -> Self {
        Self::Close(command)
    }
}

impl From<CloseUnresolved> for ComplaintCommand {
    fn from(command: CloseUnresolved) -> Self {
        Self::CloseUnresolved(command)
    }
}

impl From<ReprioritiseComplaint> for ComplaintCommand {
    fn from(command: ReprioritiseComplaint) -> Self {
        Self::Reprioritise(command)
    }
}

impl From<ReopenComplaint> for ComplaintCommand {
    fn from(command: ReopenComplaint) -> Self {
        Self::Reopen(command)
    }
}

/// A customer complained.
///
/// ```
/// use clientele::{Channel, ComplaintId, Priority, ReceiveComplaint, Text};
///
/// let complaint = ReceiveComplaint::new(ComplaintId::from_u128(1), Channel::Phone, Text::new("Glasses still not ready")?)
///     .priority(Priority::High);
/// assert_eq!(complaint.priority, Priority::High);
/// # Ok::<(), clientele::ValueError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ReceiveComplaint {
    /// A new id for the complaint.
    pub complaint: ComplaintId,
    /// Where it came in.
    pub channel: Channel,
    /// What the customer complains about.
    pub summary: Personal,
    /// How severe; chooses the targets.
    #[serde(default)]
    pub priority: Priority,
    /// Interactions it concerns.
    #[serde(default)]
    pub interactions: Vec<InteractionId>,
    /// Promises it concerns (a complaint is often about a broken one).
    #[serde(default)]
    pub promises: Vec<PromiseId>,
    /// Whether it comes in already waiting on the customer (information is needed before any
    /// work): recorded as the receipt followed at once by the wait (issue 14 item 4).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub pending: bool,
}

impl ReceiveComplaint {
    /// A complaint of normal priority, about nothing recorded yet.
    ///
    /// ```
    /// # use clientele::{*, chrono::{TimeZone, Utc}};
    /// # let (policy, monday) = (ServicePolicy::default(), Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap());
    /// # let mut ona = Relationship::new(CustomerId::from_u128(1)); ona.execute(&policy, RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?), monday)?;
    /// let late = ComplaintId::from_u128(3);
    /// let events = ona.execute(&policy, ReceiveComplaint::new(late, Channel::Phone, Text::new("Glasses late")?), monday)?;
    /// assert_eq!(events[0].event.kind(), "complaint_received");
    /// // Normal priority by default: acknowledged within 4 h, resolved within 40 h.
    /// let complaint = ona.complaint(late).ok_or("received")?;
    /// assert_eq!(complaint.resolution.status().due(), Some(Utc.with_ymd_and_hms(2026, 3, 4, 1, 0, 0).unwrap()));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn new(complaint: ComplaintId, channel: Channel, summary: impl Into<Personal>) -> Self {
        Self {
            complaint,
            channel,
            summary: summary.into(),
            priority: Priority::Normal,
            interactions: Vec::new(),
            promises: Vec::new(),
            pending: false,
        }
    }

    /// Receives it already waiting on the customer (see [`pending`](Self::pending)).
    ///
    /// ```
    /// # use clientele::{*, chrono::{TimeZone, Utc}};
    /// use clientele::complaint::ComplaintStage;
    /// # let (policy, monday) = (ServicePolicy::default(), Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap());
    /// # let mut ona = Relationship::new(CustomerId::from_u128(1)); ona.execute(&policy, RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?), monday)?;
    ///
    /// // We need the order number before any work can start.
    /// let late = ComplaintId::from_u128(3);
    /// let receive = ReceiveComplaint::new(late, Channel::Email, Text::new("Glasses late")?).pending();
    /// let events = ona.execute(&policy, receive, monday)?;
    /// assert_eq!(events[1].event.kind(), "complaint_awaiting_customer");
    /// assert_eq!(ona.complaint(late).map(|c| c.stage()), Some(ComplaintStage::Waiting));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn pending(mut self) -> Self {
        self.pending = true;
        self
    }

    /// Sets the priority.
    ///
    /// ```
    /// # use clientele::{*, chrono::{TimeZone, Utc}};
    /// # let (policy, monday) = (ServicePolicy::default(), Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap());
    /// # let mut ona = Relationship::new(CustomerId::from_u128(1)); ona.execute(&policy, RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?), monday)?;
    /// let late = ComplaintId::from_u128(3);
    /// let receive = ReceiveComplaint::new(late, Channel::Phone, Text::new("Wrong lenses, driving test tomorrow")?)
    ///     .priority(Priority::Urgent);
    /// ona.execute(&policy, receive, monday)?;
    /// assert_eq!(ona.complaint(late).map(|c| c.priority), Some(Priority::Urgent));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn priority(mut self, priority: Priority) -> Self {
        self.priority = priority;
        self
    }

    /// Links an interaction it concerns.
    ///
    /// ```
    /// use clientele::{Channel, ComplaintId, InteractionId, ReceiveComplaint, Text};
    ///
    /// let call = InteractionId::from_u128(2);
    /// let receive = ReceiveComplaint::new(ComplaintId::from_u128(3), Channel::Phone, Text::new("Rude on the phone")?)
    ///     .about_interaction(call);
    /// assert_eq!(receive.interactions, [call]);
    /// # Ok::<(), clientele::ValueError>(())
    /// ```
    #[must_use]
    pub fn about_interaction(mut self, interaction: InteractionId) -> Self {
        self.interactions.push(interaction);
        self
    }

    /// Links a promise it concerns.
    ///
    /// ```
    /// use clientele::{Channel, ComplaintId, PromiseId, ReceiveComplaint, Text};
    ///
    /// let glasses = PromiseId::from_u128(5);
    /// let receive = ReceiveComplaint::new(ComplaintId::from_u128(3), Channel::Email, Text::new("Promised Friday")?)
    ///     .about_promise(glasses);
    /// assert_eq!(receive.promises, [glasses]);
    /// # Ok::<(), clientele::ValueError>(())
    /// ```
    #[must_use]
    pub fn about_promise(mut self, promise: PromiseId) -> Self {
        self.promises.push(promise);
        self
    }
}

/// Tell the customer we have their complaint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct AcknowledgeComplaint {
    /// The complaint.
    pub complaint: ComplaintId,
    /// Our agent who acknowledged it.
    pub by: AgentId,
}

impl AcknowledgeComplaint {
    /// Acknowledges `complaint`, by our agent `by`.
    ///
    /// ```
    /// # use clientele::{*, chrono::{TimeDelta, TimeZone, Utc}, complaint::ComplaintStage};
    /// # let (policy, monday) = (ServicePolicy::default(), Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap());
    /// # let (late, jonas) = (ComplaintId::from_u128(3), AgentId::from_u128(7));
    /// # let mut ona = Relationship::new(CustomerId::from_u128(1)); ona.execute(&policy, RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?), monday)?;
    /// # ona.execute(&policy, ReceiveComplaint::new(late, Channel::Phone, Text::new("Glasses late")?), monday)?;
    /// # let stage = |ona: &Relationship| ona.complaint(late).map(|c| c.stage());
    /// assert_eq!(stage(&ona), Some(ComplaintStage::Received));
    /// ona.execute(&policy, AcknowledgeComplaint::new(late, jonas), monday + TimeDelta::hours(1))?;
    /// assert_eq!(stage(&ona), Some(ComplaintStage::Acknowledged));
    /// assert!(ona.complaint(late).ok_or("held")?.acknowledgement.status().due().is_none()); // met
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub const fn new(complaint: ComplaintId, by: AgentId) -> Self {
        Self { complaint, by }
    }
}

/// Give a complaint an owner (or a new one at the same level).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct AssignComplaint {
    /// The complaint.
    pub complaint: ComplaintId,
    /// Our agent who owns it from now on.
    pub owner: AgentId,
}

impl AssignComplaint {
    /// Gives `complaint` to our agent `owner`.
    ///
    /// ```
    /// # use clientele::{*, chrono::{TimeDelta, TimeZone, Utc}, complaint::ComplaintStage};
    /// # let (policy, monday) = (ServicePolicy::default(), Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap());
    /// # let (late, jonas) = (ComplaintId::from_u128(3), AgentId::from_u128(7));
    /// # let mut ona = Relationship::new(CustomerId::from_u128(1)); ona.execute(&policy, RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?), monday)?;
    /// # ona.execute(&policy, ReceiveComplaint::new(late, Channel::Phone, Text::new("Glasses late")?), monday)?;
    /// # let stage = |ona: &Relationship| ona.complaint(late).map(|c| c.stage());
    /// ona.execute(&policy, AcknowledgeComplaint::new(late, jonas), monday)?;
    /// let daiva = AgentId::from_u128(8);
    /// ona.execute(&policy, AssignComplaint::new(late, daiva), monday)?;
    /// assert_eq!(ona.complaint(late).and_then(|c| c.owner), Some(daiva));
    /// // The same owner again changes nothing, and is refused as such.
    /// assert_eq!(ona.execute(&policy, AssignComplaint::new(late, daiva), monday), Err(CommandError::NothingToChange));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub const fn new(complaint: ComplaintId, owner: AgentId) -> Self {
        Self { complaint, owner }
    }
}

/// Wait on the customer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct AwaitCustomer {
    /// The complaint.
    pub complaint: ComplaintId,
}

impl AwaitCustomer {
    /// Waits on the customer about `complaint`.
    ///
    /// ```
    /// # use clientele::{*, chrono::{TimeDelta, TimeZone, Utc}, complaint::ComplaintStage};
    /// # let (policy, monday) = (ServicePolicy::default(), Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap());
    /// # let (late, jonas) = (ComplaintId::from_u128(3), AgentId::from_u128(7));
    /// # let mut ona = Relationship::new(CustomerId::from_u128(1)); ona.execute(&policy, RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?), monday)?;
    /// # ona.execute(&policy, ReceiveComplaint::new(late, Channel::Phone, Text::new("Glasses late")?), monday)?;
    /// # let stage = |ona: &Relationship| ona.complaint(late).map(|c| c.stage());
    /// ona.execute(&policy, AcknowledgeComplaint::new(late, jonas), monday)?;
    /// ona.execute(&policy, AwaitCustomer::new(late), monday)?; // we asked for the order number
    /// assert_eq!(stage(&ona), Some(ComplaintStage::Waiting));
    /// // The resolution clock is paused: no due instant while the customer has the next word.
    /// assert_eq!(ona.complaint(late).ok_or("held")?.resolution.status().due(), None);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub const fn new(complaint: ComplaintId) -> Self {
        Self { complaint }
    }
}

/// Wait on an outside party (a vendor, a lab, another team) about a complaint, with the
/// party's own expected date if it gave one; again, for the party we wait on, when it gives a
/// new date. Our owner stays responsible: the wait pauses the complaint's targets only if the
/// policy names the party
/// ([`ComplaintPolicy::pausing_parties`](crate::policy::ComplaintPolicy::pausing_parties)),
/// and a late party is flagged for our owner. See [`crate::complaint`].
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use clientele::{AwaitOutsideParty, ComplaintId, PartyId};
///
/// let thursday = Utc.with_ymd_and_hms(2026, 3, 5, 17, 0, 0).unwrap();
/// let wait = AwaitOutsideParty::new(ComplaintId::from_u128(1), PartyId::from_u128(9))
///     .expecting(thursday);
/// assert_eq!(wait.expected, Some(thursday));
/// assert_eq!(clientele::Command::from(wait).name(), "await_outside_party");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct AwaitOutsideParty {
    /// The complaint.
    pub complaint: ComplaintId,
    /// The party we wait on.
    pub party: PartyId,
    /// The party's own expected date, if it gave one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected: Option<DateTime<Utc>>,
}

impl AwaitOutsideParty {
    /// Waits on `party` about `complaint`, with no expected date.
    #[must_use]
    pub const fn new(complaint: ComplaintId, party: PartyId) -> Self {
        Self {
            complaint,
            party,
            expected: None,
        }
    }

    /// The party's own expected date.
    #[must_use]
    pub const fn expecting(mut self, expected: DateTime<Utc>) -> Self {
        self.expected = Some(expected);
        self
    }
}

/// The wait on an outside party about a complaint ends: the party delivered.
///
/// ```
/// use clientele::{ComplaintId, EndOutsideWait};
///
/// let end = EndOutsideWait::new(ComplaintId::from_u128(1));
/// assert_eq!(clientele::Command::from(end).name(), "end_outside_wait");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct EndOutsideWait {
    /// The complaint.
    pub complaint: ComplaintId,
}

impl EndOutsideWait {
    /// Ends the wait on an outside party about `complaint`.
    #[must_use]
    pub const fn new(complaint: ComplaintId) -> Self {
        Self { complaint }
    }
}

/// The customer answered; work goes on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ResumeComplaint {
    /// The complaint.
    pub complaint: ComplaintId,
}

impl ResumeComplaint {
    /// Work on `complaint` goes on.
    ///
    /// ```
    /// # use clientele::{*, chrono::{TimeDelta, TimeZone, Utc}, complaint::ComplaintStage};
    /// # let (policy, monday) = (ServicePolicy::default(), Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap());
    /// # let (late, jonas) = (ComplaintId::from_u128(3), AgentId::from_u128(7));
    /// # let mut ona = Relationship::new(CustomerId::from_u128(1)); ona.execute(&policy, RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?), monday)?;
    /// # ona.execute(&policy, ReceiveComplaint::new(late, Channel::Phone, Text::new("Glasses late")?), monday)?;
    /// # let stage = |ona: &Relationship| ona.complaint(late).map(|c| c.stage());
    /// ona.execute(&policy, AcknowledgeComplaint::new(late, jonas), monday)?;
    /// ona.execute(&policy, AwaitCustomer::new(late), monday)?;
    /// // The customer answers a day later: the clock runs again with the time it had left.
    /// let tuesday = monday + TimeDelta::days(1);
    /// ona.execute(&policy, ResumeComplaint::new(late), tuesday)?;
    /// let due = ona.complaint(late).ok_or("held")?.resolution.status().due();
    /// assert_eq!(due, Some(tuesday + TimeDelta::hours(40)));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub const fn new(complaint: ComplaintId) -> Self {
        Self { complaint }
    }
}

/// Resolve a complaint: the remedy given, whether we apologised, what was done.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ResolveComplaint {
    /// The complaint.
    pub complaint: ComplaintId,
    /// Our agent who resolved it.
    pub by: AgentId,
    /// What we gave the customer, if anything.
    #[serde(default)]
    pub remedy: Option<Personal>,
    /// Whether we apologised.
    pub apology: bool,
    /// What was done.
    pub summary: Personal,
    /// The id for the follow-up the policy schedules; absent, the follow-up gets
    /// [`FollowUpId::after_resolution`].
    #[serde(default)]
    pub follow_up: Option<FollowUpId>,
}

impl ResolveComplaint {
    /// Resolves `complaint`, by our agent `by`, saying what was done: no remedy, no apology
    /// and no follow-up id until the builder methods below add them.
    ///
    /// **The follow-up id.** A policy with
    /// [`follow_up_after`](crate::policy::ComplaintPolicy::follow_up_after) set (the default
    /// policy: 24 h) schedules a follow-up on every resolution. With no id given, the
    /// follow-up gets [`FollowUpId::after_resolution`]`(complaint, reopens so far)`: derived,
    /// the same on a retry, different for each resolution across reopen cycles, and never
    /// equal to an id from a UUIDv4 or UUIDv7 generator. To use an id of the service's own,
    /// give it with [`scheduling`](Self::scheduling). A policy with `follow_up_after: None`
    /// schedules none and ignores the id.
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use clientele::{AgentId, ComplaintId, CustomerId, FollowUpId, ReceiveComplaint,
    ///     RegisterCustomer, Relationship, ResolveComplaint, ServicePolicy, Channel, Text, Tier};
    ///
    /// let policy = ServicePolicy::default();
    /// let (complaint, jonas) = (ComplaintId::from_u128(1), AgentId::from_u128(2));
    /// let mut ona = Relationship::new(CustomerId::from_u128(1));
    /// let monday = Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap();
    /// ona.execute(&policy, RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?), monday)?;
    /// ona.execute(&policy, ReceiveComplaint::new(complaint, Channel::Phone, Text::new("Late")?), monday)?;
    /// let resolve = ResolveComplaint::new(complaint, jonas, Text::new("Glasses handed over")?).apologised();
    /// let events = ona.execute(&policy, resolve, monday)?;
    /// assert_eq!(events.len(), 2); // resolved, follow-up scheduled
    /// // The default policy scheduled the follow-up under the derived id.
    /// let follow_up = FollowUpId::after_resolution(complaint, 0);
    /// assert_eq!(ona.complaint(complaint).and_then(|c| c.follow_up), Some(follow_up));
    /// assert!(ona.follow_up(follow_up).is_some());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn new(complaint: ComplaintId, by: AgentId, summary: impl Into<Personal>) -> Self {
        Self {
            complaint,
            by,
            remedy: None,
            apology: false,
            summary: summary.into(),
            follow_up: None,
        }
    }

    /// Says what we gave the customer.
    ///
    /// ```
    /// use clientele::{AgentId, ComplaintId, ResolveComplaint, Text};
    ///
    /// let resolve = ResolveComplaint::new(ComplaintId::from_u128(3), AgentId::from_u128(7), Text::new("New lenses fitted")?)
    ///     .remedy(Text::new("Fitting fee refunded")?);
    /// assert_eq!(resolve.remedy.as_ref().and_then(|r| r.reveal()).map(Text::as_str), Some("Fitting fee refunded"));
    /// # Ok::<(), clientele::ValueError>(())
    /// ```
    #[must_use]
    pub fn remedy(mut self, remedy: impl Into<Personal>) -> Self {
        self.remedy = Some(remedy.into());
        self
    }

    /// Says we apologised.
    ///
    /// ```
    /// use clientele::{AgentId, ComplaintId, ResolveComplaint, Text};
    ///
    /// let resolve = ResolveComplaint::new(ComplaintId::from_u128(3), AgentId::from_u128(7), Text::new("New lenses fitted")?);
    /// assert!(!resolve.apology);
    /// assert!(resolve.apologised().apology); // measured: see ComplaintMeasures::apology_share
    /// # Ok::<(), clientele::ValueError>(())
    /// ```
    #[must_use]
    pub const fn apologised(mut self) -> Self {
        self.apology = true;
        self
    }

    /// Gives the id of the follow-up the policy schedules, instead of the derived one (see
    /// [`new`](Self::new)).
    ///
    /// ```
    /// use clientele::{AgentId, ComplaintId, FollowUpId, ResolveComplaint, Text};
    ///
    /// let resolve = ResolveComplaint::new(ComplaintId::from_u128(1), AgentId::from_u128(2), Text::new("Refunded")?)
    ///     .scheduling(FollowUpId::from_u128(3));
    /// assert_eq!(resolve.follow_up, Some(FollowUpId::from_u128(3)));
    /// # Ok::<(), clientele::ValueError>(())
    /// ```
    #[must_use]
    pub const fn scheduling(mut self, follow_up: FollowUpId) -> Self {
        self.follow_up = Some(follow_up);
        self
    }
}

/// Close a resolved complaint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CloseComplaint {
    /// The complaint.
    pub complaint: ComplaintId,
}

impl CloseComplaint {
    /// Closes the resolved `complaint`.
    ///
    /// ```
    /// # use clientele::{*, chrono::{TimeDelta, TimeZone, Utc}, complaint::ComplaintStage};
    /// # let (policy, monday) = (ServicePolicy::default(), Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap());
    /// # let (late, jonas) = (ComplaintId::from_u128(3), AgentId::from_u128(7));
    /// # let mut ona = Relationship::new(CustomerId::from_u128(1)); ona.execute(&policy, RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?), monday)?;
    /// # ona.execute(&policy, ReceiveComplaint::new(late, Channel::Phone, Text::new("Glasses late")?), monday)?;
    /// # let stage = |ona: &Relationship| ona.complaint(late).map(|c| c.stage());
    /// ona.execute(&policy, ResolveComplaint::new(late, jonas, Text::new("Glasses handed over")?), monday)?;
    /// ona.execute(&policy, CloseComplaint::new(late), monday + TimeDelta::days(3))?;
    /// assert_eq!(stage(&ona), Some(ComplaintStage::Closed));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub const fn new(complaint: ComplaintId) -> Self {
        Self { complaint }
    }
}

/// Reopen a resolved or closed complaint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ReopenComplaint {
    /// The complaint.
    pub complaint: ComplaintId,
    /// Why.
    pub reason: Personal,
}

impl ReopenComplaint {
    /// Reopens `complaint`, for `reason`.
    ///
    /// ```
    /// # use clientele::{*, chrono::{TimeDelta, TimeZone, Utc}, complaint::ComplaintStage};
    /// # let (policy, monday) = (ServicePolicy::default(), Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap());
    /// # let (late, jonas) = (ComplaintId::from_u128(3), AgentId::from_u128(7));
    /// # let mut ona = Relationship::new(CustomerId::from_u128(1)); ona.execute(&policy, RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?), monday)?;
    /// # ona.execute(&policy, ReceiveComplaint::new(late, Channel::Phone, Text::new("Glasses late")?), monday)?;
    /// # let stage = |ona: &Relationship| ona.complaint(late).map(|c| c.stage());
    /// ona.execute(&policy, ResolveComplaint::new(late, jonas, Text::new("Glasses handed over")?), monday)?;
    /// let tuesday = monday + TimeDelta::days(1);
    /// ona.execute(&policy, ReopenComplaint::new(late, Text::new("Still blurry")?), tuesday)?;
    /// let complaint = ona.complaint(late).ok_or("held")?;
    /// assert_eq!((complaint.is_open(), complaint.reopened), (true, 1));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn new(complaint: ComplaintId, reason: impl Into<Personal>) -> Self {
        Self {
            complaint,
            reason: reason.into(),
        }
    }
}

/// Close an open complaint without a resolution: a duplicate of another complaint, invalid,
/// or withdrawn by the customer (issue 14 item 7; Zendesk, Zammad and GLPI close tickets as
/// duplicates or as not to be solved). Its targets end not applicable, measures count it apart
/// from resolutions, and it cannot be reopened (the customer complains anew).
///
/// ```
/// use clientele::{CloseUnresolved, ComplaintId};
/// use clientele::complaint::Unresolved;
///
/// let first = ComplaintId::from_u128(1);
/// let again = CloseUnresolved::duplicate(ComplaintId::from_u128(2), first);
/// assert_eq!(again.reason, Unresolved::Duplicate { of: first });
/// assert_eq!(CloseUnresolved::withdrawn(first).reason, Unresolved::Withdrawn);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CloseUnresolved {
    /// The complaint.
    pub complaint: ComplaintId,
    /// Why it closes without a resolution.
    pub reason: Unresolved,
}

impl CloseUnresolved {
    /// `complaint` repeats `of`, which goes on.
    ///
    /// ```
    /// # use clientele::{*, chrono::{TimeDelta, TimeZone, Utc}, complaint::ComplaintStage};
    /// # let (policy, monday) = (ServicePolicy::default(), Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap());
    /// # let (late, jonas) = (ComplaintId::from_u128(3), AgentId::from_u128(7));
    /// # let mut ona = Relationship::new(CustomerId::from_u128(1)); ona.execute(&policy, RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?), monday)?;
    /// # ona.execute(&policy, ReceiveComplaint::new(late, Channel::Phone, Text::new("Glasses late")?), monday)?;
    /// # let stage = |ona: &Relationship| ona.complaint(late).map(|c| c.stage());
    /// let again = ComplaintId::from_u128(4);
    /// ona.execute(&policy, ReceiveComplaint::new(again, Channel::Email, Text::new("Glasses late!")?), monday)?;
    /// ona.execute(&policy, CloseUnresolved::duplicate(again, late), monday)?;
    /// assert_eq!(ona.complaint(again).map(|c| c.stage()), Some(ComplaintStage::ClosedUnresolved));
    /// assert_eq!(stage(&ona), Some(ComplaintStage::Received)); // the first one goes on
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub const fn duplicate(complaint: ComplaintId, of: ComplaintId) -> Self {
        Self {
            complaint,
            reason: Unresolved::Duplicate { of },
        }
    }

    /// `complaint` is no complaint.
    ///
    /// ```
    /// use clientele::{CloseUnresolved, ComplaintId};
    /// use clientele::complaint::Unresolved;
    ///
    /// let spam = CloseUnresolved::invalid(ComplaintId::from_u128(3));
    /// assert_eq!(spam.reason, Unresolved::Invalid);
    /// ```
    #[must_use]
    pub const fn invalid(complaint: ComplaintId) -> Self {
        Self {
            complaint,
            reason: Unresolved::Invalid,
        }
    }

    /// The customer withdrew `complaint`.
    ///
    /// ```
    /// # use clientele::{*, chrono::{TimeDelta, TimeZone, Utc}, complaint::ComplaintStage};
    /// # let (policy, monday) = (ServicePolicy::default(), Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap());
    /// # let (late, jonas) = (ComplaintId::from_u128(3), AgentId::from_u128(7));
    /// # let mut ona = Relationship::new(CustomerId::from_u128(1)); ona.execute(&policy, RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?), monday)?;
    /// # ona.execute(&policy, ReceiveComplaint::new(late, Channel::Phone, Text::new("Glasses late")?), monday)?;
    /// # let stage = |ona: &Relationship| ona.complaint(late).map(|c| c.stage());
    /// ona.execute(&policy, CloseUnresolved::withdrawn(late), monday)?; // "never mind, they arrived"
    /// let complaint = ona.complaint(late).ok_or("held")?;
    /// assert_eq!(complaint.stage(), ComplaintStage::ClosedUnresolved);
    /// assert_eq!(complaint.resolution.status(), clientele::outcome::TargetStatus::NotApplicable);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub const fn withdrawn(complaint: ComplaintId) -> Self {
        Self {
            complaint,
            reason: Unresolved::Withdrawn,
        }
    }
}

/// Change an open complaint's terms: its priority, and the tier its targets are read for
/// (issue 14 item 2: 554 rows of the Helpdesk log change a ticket's priority; Zendesk, Jira
/// Service Management and Request Tracker recompute a ticket's SLA when its priority changes).
/// The targets of the new terms, on the calendars the policy names for them, count from
/// receipt: the business time already worked stands, every pause stays excluded, and a clock
/// paused while the customer is awaited stays paused with the new time left (see
/// [`ComplaintEvent::Reprioritised`](crate::complaint::ComplaintEvent::Reprioritised)).
///
/// ```
/// use clientele::{ComplaintId, Priority, ReprioritiseComplaint, Tier};
///
/// let urgent = ReprioritiseComplaint::new(ComplaintId::from_u128(1), Priority::Urgent)
///     .tier(Tier::new("gold")?);
/// assert_eq!(urgent.priority, Priority::Urgent);
/// assert_eq!(urgent.tier, Some(Tier::new("gold")?));
/// # Ok::<(), clientele::ValueError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ReprioritiseComplaint {
    /// The complaint.
    pub complaint: ComplaintId,
    /// Its priority from now on.
    pub priority: Priority,
    /// The tier its targets are read for from now on; `None` keeps the tier it has (the
    /// customer's tier when it came in).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tier: Option<Tier>,
}

impl ReprioritiseComplaint {
    /// Gives `complaint` the priority `priority`, its tier unchanged.
    ///
    /// ```
    /// # use clientele::{*, chrono::{TimeDelta, TimeZone, Utc}, complaint::ComplaintStage};
    /// # let (policy, monday) = (ServicePolicy::default(), Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap());
    /// # let (late, jonas) = (ComplaintId::from_u128(3), AgentId::from_u128(7));
    /// # let mut ona = Relationship::new(CustomerId::from_u128(1)); ona.execute(&policy, RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?), monday)?;
    /// # ona.execute(&policy, ReceiveComplaint::new(late, Channel::Phone, Text::new("Glasses late")?), monday)?;
    /// # let stage = |ona: &Relationship| ona.complaint(late).map(|c| c.stage());
    /// ona.execute(&policy, ReprioritiseComplaint::new(late, Priority::Urgent), monday)?;
    /// let complaint = ona.complaint(late).ok_or("held")?;
    /// assert_eq!(complaint.priority, Priority::Urgent);
    /// // Its targets change with it, counted from receipt.
    /// assert_eq!(complaint.acknowledgement.status().due(), Some(monday + TimeDelta::hours(1)));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub const fn new(complaint: ComplaintId, priority: Priority) -> Self {
        Self {
            complaint,
            priority,
            tier: None,
        }
    }

    /// Reads its targets for `tier` from now on.
    ///
    /// ```
    /// use clientele::{ComplaintId, Priority, ReprioritiseComplaint, Tier};
    ///
    /// let upgrade = ReprioritiseComplaint::new(ComplaintId::from_u128(3), Priority::High).tier(Tier::new("gold")?);
    /// assert_eq!(upgrade.tier, Some(Tier::new("gold")?));
    /// # Ok::<(), clientele::ValueError>(())
    /// ```
    #[must_use]
    pub fn tier(mut self, tier: Tier) -> Self {
        self.tier = Some(tier);
        self
    }
}
