use serde::{Deserialize, Serialize};

use crate::id::{AgentId, ComplaintId, InteractionId, PromiseId};
use crate::personal::Personal;
use crate::value::{Channel, Direction, Priority};

/// What the service can ask of this family. `#[non_exhaustive]`: later releases add
/// commands; build one from its struct (`.into()`), and match with a `_` arm.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub enum ResponseCommand {
    /// Record an interaction, inbound or outbound.
    #[serde(rename = "record_interaction")]
    RecordInteraction(RecordInteraction),
}

impl ResponseCommand {
    /// The command's name, as its `type` tag on the wire.
    ///
    /// ```
    /// use clientele::{Channel, InteractionId, RecordInteraction, Text};
    /// use clientele::response::ResponseCommand;
    ///
    /// let hello = RecordInteraction::inbound(InteractionId::from_u128(2), Channel::Email, Text::new("Hello?")?);
    /// assert_eq!(ResponseCommand::from(hello).name(), "record_interaction");
    /// # Ok::<(), clientele::ValueError>(())
    /// ```
    #[must_use]
    pub const fn name(&self) -> &'static str {
        match self {
            Self::RecordInteraction(_) => "record_interaction",
        }
    }
}

impl From<RecordInteraction> for ResponseCommand {
    fn from(command: RecordInteraction) -> Self {
        Self::RecordInteraction(command)
    }
}

/// Record an interaction. Build one with [`RecordInteraction::inbound`] or
/// [`RecordInteraction::outbound`].
///
/// ```
/// use clientele::{AgentId, Channel, InteractionId, Priority, RecordInteraction, Text};
///
/// let question = RecordInteraction::inbound(
///     InteractionId::from_u128(1),
///     Channel::Email,
///     Text::new("Are my glasses ready?")?,
/// )
/// .priority(Priority::High);
/// let thanks = RecordInteraction::inbound(InteractionId::from_u128(2), Channel::Chat, Text::new("Thanks!")?)
///     .no_reply_needed();
/// let answer = RecordInteraction::outbound(
///     InteractionId::from_u128(3),
///     Channel::Phone,
///     AgentId::from_u128(7),
///     Text::new("Called back: ready Thursday")?,
/// );
/// assert!(question.awaits_reply && !thanks.awaits_reply && !answer.awaits_reply);
/// # Ok::<(), clientele::ValueError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct RecordInteraction {
    /// A new id for the interaction.
    pub interaction: InteractionId,
    /// The channel.
    pub channel: Channel,
    /// Who spoke.
    pub direction: Direction,
    /// Our agent involved, if any.
    #[serde(default)]
    pub agent: Option<AgentId>,
    /// A short summary.
    pub summary: Personal,
    /// For inbound: whether the customer expects an answer. Must be `false` for outbound.
    pub awaits_reply: bool,
    /// For outbound: we asked the customer something and wait for them (Zendesk's
    /// "pending"). It answers what waits like any outbound; then nobody waits for us until
    /// the customer speaks, and the update cadences of the items it is about are paused (see
    /// [`crate::response`]). Must be `false` for inbound; left out of the JSON when `false`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub awaits_customer: bool,
    /// How urgent it is; chooses the response target.
    #[serde(default)]
    pub priority: Priority,
    /// Promises it is about. An outbound interaction about a promise counts as telling the
    /// customer where it stands.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub regarding: Vec<PromiseId>,
    /// Complaints it is about. Outbound, it tells the customer where the complaint stands
    /// and re-arms its update cadence (absent from the JSON when empty).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub regarding_complaints: Vec<ComplaintId>,
}

impl RecordInteraction {
    /// The customer wrote, called or came in, and expects an answer.
    ///
    /// ```
    /// # use clientele::{*, chrono::{TimeDelta, TimeZone, Utc}};
    /// # let (policy, monday) = (ServicePolicy::default(), Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap());
    /// # let (glasses, jonas) = (PromiseId::from_u128(5), AgentId::from_u128(7));
    /// # let friday = monday + TimeDelta::days(4);
    /// # let mut ona = Relationship::new(CustomerId::from_u128(1)); ona.execute(&policy, RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?), monday)?;
    /// let hello = RecordInteraction::inbound(InteractionId::from_u128(2), Channel::Email, Text::new("Are my glasses ready?")?);
    /// ona.execute(&policy, hello, monday)?;
    /// // The customer waits: the response clock runs (8 h at normal priority).
    /// assert_eq!(ona.response_clock().wait().and_then(|w| w.due), Some(monday + TimeDelta::hours(8)));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn inbound(
        interaction: InteractionId,
        channel: Channel,
        summary: impl Into<Personal>,
    ) -> Self {
        Self {
            interaction,
            channel,
            direction: Direction::Inbound,
            agent: None,
            summary: summary.into(),
            awaits_reply: true,
            awaits_customer: false,
            priority: Priority::Normal,
            regarding: Vec::new(),
            regarding_complaints: Vec::new(),
        }
    }

    /// We contacted the customer; this answers everything inbound before it.
    ///
    /// ```
    /// # use clientele::{*, chrono::{TimeDelta, TimeZone, Utc}};
    /// # let (policy, monday) = (ServicePolicy::default(), Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap());
    /// # let (glasses, jonas) = (PromiseId::from_u128(5), AgentId::from_u128(7));
    /// # let friday = monday + TimeDelta::days(4);
    /// # let mut ona = Relationship::new(CustomerId::from_u128(1)); ona.execute(&policy, RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?), monday)?;
    /// # let hello = InteractionId::from_u128(2);
    /// ona.execute(&policy, RecordInteraction::inbound(hello, Channel::Email, Text::new("Are my glasses ready?")?), monday)?;
    /// let answer = RecordInteraction::outbound(InteractionId::from_u128(3), Channel::Email, jonas, Text::new("Friday")?);
    /// ona.execute(&policy, answer, monday + TimeDelta::hours(1))?;
    /// assert!(ona.response_clock().wait().is_none()); // answered
    /// assert_eq!(ona.responses_given(), 1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn outbound(
        interaction: InteractionId,
        channel: Channel,
        agent: AgentId,
        summary: impl Into<Personal>,
    ) -> Self {
        Self {
            interaction,
            channel,
            direction: Direction::Outbound,
            agent: Some(agent),
            summary: summary.into(),
            awaits_reply: false,
            awaits_customer: false,
            priority: Priority::Normal,
            regarding: Vec::new(),
            regarding_complaints: Vec::new(),
        }
    }

    /// Sets the priority.
    ///
    /// ```
    /// # use clientele::{*, chrono::{TimeDelta, TimeZone, Utc}};
    /// # let (policy, monday) = (ServicePolicy::default(), Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap());
    /// # let (glasses, jonas) = (PromiseId::from_u128(5), AgentId::from_u128(7));
    /// # let friday = monday + TimeDelta::days(4);
    /// # let mut ona = Relationship::new(CustomerId::from_u128(1)); ona.execute(&policy, RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?), monday)?;
    /// let urgent = RecordInteraction::inbound(InteractionId::from_u128(2), Channel::Phone, Text::new("Broken frames, flying tonight")?)
    ///     .priority(Priority::Urgent);
    /// ona.execute(&policy, urgent, monday)?;
    /// assert_eq!(ona.response_clock().wait().and_then(|w| w.due), Some(monday + TimeDelta::hours(1)));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn priority(mut self, priority: Priority) -> Self {
        self.priority = priority;
        self
    }

    /// Marks an inbound interaction as needing no answer (a "thank you"): it starts no clock.
    ///
    /// ```
    /// # use clientele::{*, chrono::{TimeDelta, TimeZone, Utc}};
    /// # let (policy, monday) = (ServicePolicy::default(), Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap());
    /// # let (glasses, jonas) = (PromiseId::from_u128(5), AgentId::from_u128(7));
    /// # let friday = monday + TimeDelta::days(4);
    /// # let mut ona = Relationship::new(CustomerId::from_u128(1)); ona.execute(&policy, RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?), monday)?;
    /// let thanks = RecordInteraction::inbound(InteractionId::from_u128(2), Channel::Email, Text::new("Thanks, all good!")?)
    ///     .no_reply_needed();
    /// ona.execute(&policy, thanks, monday)?;
    /// assert!(ona.response_clock().wait().is_none()); // no clock runs
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn no_reply_needed(mut self) -> Self {
        self.awaits_reply = false;
        self
    }

    /// Marks an outbound interaction as asking the customer something: we wait for their
    /// answer (see [`crate::response`]).
    ///
    /// ```
    /// use clientele::{AgentId, Channel, InteractionId, RecordInteraction, Text};
    ///
    /// let question = RecordInteraction::outbound(
    ///     InteractionId::from_u128(4),
    ///     Channel::Email,
    ///     AgentId::from_u128(7),
    ///     Text::new("Which frame size did you order?")?,
    /// )
    /// .awaiting_customer();
    /// assert!(question.awaits_customer && !question.awaits_reply);
    /// # Ok::<(), clientele::ValueError>(())
    /// ```
    #[must_use]
    pub fn awaiting_customer(mut self) -> Self {
        self.awaits_customer = true;
        self
    }

    /// Says the interaction is about `promise`; outbound, it tells the customer where the
    /// promise stands and re-arms its update cadence.
    ///
    /// ```
    /// # use clientele::{*, chrono::{TimeDelta, TimeZone, Utc}};
    /// # let (policy, monday) = (ServicePolicy::default(), Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap());
    /// # let (glasses, jonas) = (PromiseId::from_u128(5), AgentId::from_u128(7));
    /// # let friday = monday + TimeDelta::days(4);
    /// # let mut ona = Relationship::new(CustomerId::from_u128(1)); ona.execute(&policy, RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?), monday)?;
    /// # ona.execute(&policy, MakePromise::new(glasses, Text::new("Glasses ready")?, friday, jonas), monday)?;
    /// // Telling the customer about the promise, before it breaks, counts as notice.
    /// let update = RecordInteraction::outbound(InteractionId::from_u128(3), Channel::Sms, jonas, Text::new("Still on for Friday")?)
    ///     .regarding(glasses);
    /// ona.execute(&policy, update, monday + TimeDelta::days(1))?;
    /// assert_eq!(ona.promise(glasses).and_then(|p| p.terms.informed_at()), Some(monday + TimeDelta::days(1)));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn regarding(mut self, promise: PromiseId) -> Self {
        self.regarding.push(promise);
        self
    }

    /// Says the interaction is about `complaint`; outbound, it tells the customer where the
    /// complaint stands and re-arms its update cadence (see [`crate::response`]).
    ///
    /// ```
    /// use clientele::{AgentId, Channel, ComplaintId, InteractionId, RecordInteraction, Text};
    ///
    /// let late = ComplaintId::from_u128(3);
    /// let update = RecordInteraction::outbound(InteractionId::from_u128(3), Channel::Email, AgentId::from_u128(7), Text::new("The lab has it")?)
    ///     .regarding_complaint(late);
    /// assert_eq!(update.regarding_complaints, [late]); // resets the complaint's update cadence
    /// # Ok::<(), clientele::ValueError>(())
    /// ```
    #[must_use]
    pub fn regarding_complaint(mut self, complaint: ComplaintId) -> Self {
        self.regarding_complaints.push(complaint);
        self
    }

    /// Sets the agent who took it.
    ///
    /// ```
    /// use clientele::{AgentId, Channel, InteractionId, RecordInteraction, Text};
    ///
    /// let visit = RecordInteraction::inbound(InteractionId::from_u128(2), Channel::InPerson, Text::new("Came by the shop")?)
    ///     .agent(AgentId::from_u128(7)); // who served her
    /// assert_eq!(visit.agent, Some(AgentId::from_u128(7)));
    /// # Ok::<(), clientele::ValueError>(())
    /// ```
    #[must_use]
    pub fn agent(mut self, agent: AgentId) -> Self {
        self.agent = Some(agent);
        self
    }
}
