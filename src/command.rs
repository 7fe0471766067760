//! Commands: what the service asks the model to do. Imperative, validated by
//! [`Relationship::decide`](crate::Relationship::decide), which turns them into events or a
//! typed error.
//!
//! Ids for new things (an interaction, a promise) arrive inside commands: the crate makes none.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use chrono::{DateTime, Utc};

use crate::follow_up::FollowUpOutcome;
use crate::promise::Fulfiller;
use crate::survey::{SurveyAnswer, SurveyKind};
use crate::{
    AgentId, Channel, ComplaintId, Direction, FollowUpId, IdempotencyKey, InteractionId, PartyId,
    Personal, Priority, PromiseId, SurveyId, Text, Tier,
};

/// Something the service asks of one customer's relationship.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum Command {
    /// Register a new customer.
    RegisterCustomer(RegisterCustomer),
    /// Change the customer's profile.
    UpdateProfile(UpdateProfile),
    /// Record an interaction, inbound or outbound.
    RecordInteraction(RecordInteraction),
    /// Make a promise to the customer.
    MakePromise(MakePromise),
    /// Promise a new due instant ("another week").
    RevisePromise(RevisePromise),
    /// The promise was kept.
    KeepPromise(KeepPromise),
    /// Release a promise (the customer no longer needs it, or it cannot be done).
    WithdrawPromise(WithdrawPromise),
    /// Record an outside party's own commitment behind a promise.
    RecordDependency(RecordDependency),
    /// The outside party delivered.
    MeetDependency(MeetDependency),
    /// A customer complained.
    ReceiveComplaint(ReceiveComplaint),
    /// Tell the customer we have their complaint.
    AcknowledgeComplaint(AcknowledgeComplaint),
    /// Give a complaint an owner.
    AssignComplaint(AssignComplaint),
    /// The customer asks for escalation.
    RequestEscalation(RequestEscalation),
    /// Move a complaint up the support ladder, to a new owner.
    EscalateComplaint(EscalateComplaint),
    /// Wait on the customer (pauses the clocks the policy marks pausable).
    AwaitCustomer(AwaitCustomer),
    /// The customer answered; work on the complaint goes on.
    ResumeComplaint(ResumeComplaint),
    /// Resolve a complaint.
    ResolveComplaint(ResolveComplaint),
    /// Close a resolved complaint.
    CloseComplaint(CloseComplaint),
    /// Reopen a resolved or closed complaint.
    ReopenComplaint(ReopenComplaint),
    /// Schedule a follow-up contact.
    ScheduleFollowUp(ScheduleFollowUp),
    /// A follow-up was done.
    CompleteFollowUp(CompleteFollowUp),
    /// A follow-up is no longer needed.
    CancelFollowUp(CancelFollowUp),
    /// Send the customer a survey.
    RequestSurvey(RequestSurvey),
    /// The customer answered a survey, or told us a score unprompted.
    AnswerSurvey(AnswerSurvey),
    /// Erase the customer's personal data (the right to erasure).
    ErasePersonalData(ErasePersonalData),
}

impl Command {
    /// The command's name, for logs and errors.
    #[must_use]
    pub const fn name(&self) -> &'static str {
        match self {
            Command::RegisterCustomer(_) => "register_customer",
            Command::UpdateProfile(_) => "update_profile",
            Command::RecordInteraction(_) => "record_interaction",
            Command::MakePromise(_) => "make_promise",
            Command::RevisePromise(_) => "revise_promise",
            Command::KeepPromise(_) => "keep_promise",
            Command::WithdrawPromise(_) => "withdraw_promise",
            Command::RecordDependency(_) => "record_dependency",
            Command::MeetDependency(_) => "meet_dependency",
            Command::ReceiveComplaint(_) => "receive_complaint",
            Command::AcknowledgeComplaint(_) => "acknowledge_complaint",
            Command::AssignComplaint(_) => "assign_complaint",
            Command::RequestEscalation(_) => "request_escalation",
            Command::EscalateComplaint(_) => "escalate_complaint",
            Command::AwaitCustomer(_) => "await_customer",
            Command::ResumeComplaint(_) => "resume_complaint",
            Command::ResolveComplaint(_) => "resolve_complaint",
            Command::CloseComplaint(_) => "close_complaint",
            Command::ReopenComplaint(_) => "reopen_complaint",
            Command::ScheduleFollowUp(_) => "schedule_follow_up",
            Command::CompleteFollowUp(_) => "complete_follow_up",
            Command::CancelFollowUp(_) => "cancel_follow_up",
            Command::RequestSurvey(_) => "request_survey",
            Command::AnswerSurvey(_) => "answer_survey",
            Command::ErasePersonalData(_) => "erase_personal_data",
        }
    }
}

/// Register a customer.
///
/// ```
/// use clientele::{RegisterCustomer, Text, Tier};
///
/// let register = RegisterCustomer::new(Text::new("Ona Petraitė")?, Tier::new("standard")?);
/// assert!(register.contacts.is_empty());
/// # Ok::<(), clientele::ValueError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct RegisterCustomer {
    /// Display name.
    pub name: Personal,
    /// Tier, as the policy names it.
    pub tier: Tier,
    /// Addresses per channel.
    #[serde(default)]
    pub contacts: BTreeMap<Channel, Personal>,
    /// Preferred channel.
    #[serde(default)]
    pub preferred_channel: Option<Channel>,
    /// The agent who owns the account.
    #[serde(default)]
    pub owner: Option<AgentId>,
}

impl RegisterCustomer {
    /// A customer with a name and a tier, and nothing else yet.
    #[must_use]
    pub fn new(name: impl Into<Personal>, tier: Tier) -> Self {
        Self {
            name: name.into(),
            tier,
            contacts: BTreeMap::new(),
            preferred_channel: None,
            owner: None,
        }
    }

    /// Adds an address on a channel.
    #[must_use]
    pub fn contact(mut self, channel: Channel, address: impl Into<Personal>) -> Self {
        self.contacts.insert(channel, address.into());
        self
    }

    /// Sets the preferred channel.
    #[must_use]
    pub fn prefers(mut self, channel: Channel) -> Self {
        self.preferred_channel = Some(channel);
        self
    }

    /// Sets the account owner.
    #[must_use]
    pub fn owned_by(mut self, owner: AgentId) -> Self {
        self.owner = Some(owner);
        self
    }
}

/// Change parts of a customer's profile; what is left `None` or empty stays as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct UpdateProfile {
    /// A new display name.
    #[serde(default)]
    pub name: Option<Personal>,
    /// A new tier.
    #[serde(default)]
    pub tier: Option<Tier>,
    /// Addresses to add or replace.
    #[serde(default)]
    pub set_contacts: BTreeMap<Channel, Personal>,
    /// Channels whose address to remove.
    #[serde(default)]
    pub remove_contacts: BTreeSet<Channel>,
    /// `Some(Some(c))` sets the preferred channel, `Some(None)` clears it. On the wire: absent
    /// leaves it, `null` clears it.
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub preferred_channel: Option<Option<Channel>>,
    /// `Some(Some(a))` sets the account owner, `Some(None)` clears it. On the wire: absent
    /// leaves it, `null` clears it.
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub owner: Option<Option<AgentId>>,
}

/// A field that is present on the wire, even as `null`, is `Some`: `null` means "clear it".
fn present<'de, D, T>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
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
    /// How urgent it is; chooses the response target.
    #[serde(default)]
    pub priority: Priority,
    /// Promises it is about. An outbound interaction about a promise counts as telling the
    /// customer where it stands.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub regarding: Vec<PromiseId>,
}

impl RecordInteraction {
    /// The customer wrote, called or came in, and expects an answer.
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
            priority: Priority::Normal,
            regarding: Vec::new(),
        }
    }

    /// We contacted the customer; this answers everything inbound before it.
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
            priority: Priority::Normal,
            regarding: Vec::new(),
        }
    }

    /// Sets the priority.
    #[must_use]
    pub fn priority(mut self, priority: Priority) -> Self {
        self.priority = priority;
        self
    }

    /// Marks an inbound interaction as needing no answer (a "thank you"): it starts no clock.
    #[must_use]
    pub fn no_reply_needed(mut self) -> Self {
        self.awaits_reply = false;
        self
    }

    /// Says the interaction is about `promise`; outbound, it tells the customer where the
    /// promise stands.
    #[must_use]
    pub fn regarding(mut self, promise: PromiseId) -> Self {
        self.regarding.push(promise);
        self
    }

    /// Sets the agent who took it.
    #[must_use]
    pub fn agent(mut self, agent: AgentId) -> Self {
        self.agent = Some(agent);
        self
    }
}

macro_rules! into_command {
    ($($variant:ident),*) => {$(
        impl From<$variant> for Command {
            fn from(command: $variant) -> Self {
                Command::$variant(command)
            }
        }
    )*};
}

/// Make a promise to the customer: what, by when (exactly what the customer was told), owned
/// by one of our agents, done by us or by an outside party.
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use clientele::{AgentId, Fulfiller, MakePromise, PartyId, PromiseId, Text};
///
/// let glasses = MakePromise::new(
///     PromiseId::from_u128(1),
///     Text::new("New glasses ready for pick-up")?,
///     Utc.with_ymd_and_hms(2026, 3, 13, 17, 0, 0).unwrap(),
///     AgentId::from_u128(7),
/// )
/// .fulfilled_by(PartyId::from_u128(3), Text::new("Lens lab")?);
/// assert!(matches!(glasses.fulfiller, Fulfiller::Party { .. }));
/// # Ok::<(), clientele::ValueError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct MakePromise {
    /// A new id for the promise.
    pub promise: PromiseId,
    /// What is promised.
    pub what: Personal,
    /// The due instant told to the customer.
    pub due: DateTime<Utc>,
    /// Our agent who owns it.
    pub owner: AgentId,
    /// Who does the work.
    pub fulfiller: Fulfiller,
    /// The interaction in which it was made.
    #[serde(default)]
    pub interaction: Option<InteractionId>,
    /// The complaint it answers.
    #[serde(default)]
    pub complaint: Option<ComplaintId>,
}

impl MakePromise {
    /// A promise we fulfil ourselves.
    #[must_use]
    pub fn new(
        promise: PromiseId,
        what: impl Into<Personal>,
        due: DateTime<Utc>,
        owner: AgentId,
    ) -> Self {
        Self {
            promise,
            what: what.into(),
            due,
            owner,
            fulfiller: Fulfiller::Us,
            interaction: None,
            complaint: None,
        }
    }

    /// Says an outside party does the work (our owner stays responsible).
    #[must_use]
    pub fn fulfilled_by(mut self, party: PartyId, name: Text) -> Self {
        self.fulfiller = Fulfiller::Party { party, name };
        self
    }

    /// Links the interaction in which the promise was made.
    #[must_use]
    pub fn made_in(mut self, interaction: InteractionId) -> Self {
        self.interaction = Some(interaction);
        self
    }

    /// Links the complaint the promise answers.
    #[must_use]
    pub fn answering(mut self, complaint: ComplaintId) -> Self {
        self.complaint = Some(complaint);
        self
    }
}

/// Promise a new, later due instant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct RevisePromise {
    /// The promise.
    pub promise: PromiseId,
    /// The new due instant.
    pub due: DateTime<Utc>,
    /// Why.
    pub reason: Personal,
    /// Whether the customer agreed to it.
    pub customer_agreed: bool,
}

/// The promise was kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct KeepPromise {
    /// The promise.
    pub promise: PromiseId,
}

/// Release a promise.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct WithdrawPromise {
    /// The promise.
    pub promise: PromiseId,
    /// Why.
    pub reason: Personal,
}

/// Record an outside party's commitment to us behind a promise ("the lab said Thursday").
/// Recording again replaces it (the party gave a new date).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct RecordDependency {
    /// The promise that depends on it.
    pub promise: PromiseId,
    /// The party.
    pub party: PartyId,
    /// What they committed to.
    pub commitment: Personal,
    /// The party's own reference for it (an order or job number), to chase it by.
    #[serde(default)]
    pub reference: Option<Text>,
    /// When they said it would be done.
    pub due: DateTime<Utc>,
}

/// The outside party delivered on its commitment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct MeetDependency {
    /// The promise whose dependency was met.
    pub promise: PromiseId,
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
}

impl ReceiveComplaint {
    /// A complaint of normal priority, about nothing recorded yet.
    #[must_use]
    pub fn new(complaint: ComplaintId, channel: Channel, summary: impl Into<Personal>) -> Self {
        Self {
            complaint,
            channel,
            summary: summary.into(),
            priority: Priority::Normal,
            interactions: Vec::new(),
            promises: Vec::new(),
        }
    }

    /// Sets the priority.
    #[must_use]
    pub fn priority(mut self, priority: Priority) -> Self {
        self.priority = priority;
        self
    }

    /// Links an interaction it concerns.
    #[must_use]
    pub fn about_interaction(mut self, interaction: InteractionId) -> Self {
        self.interactions.push(interaction);
        self
    }

    /// Links a promise it concerns.
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

/// Give a complaint an owner (or a new one at the same level).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct AssignComplaint {
    /// The complaint.
    pub complaint: ComplaintId,
    /// Our agent who owns it from now on.
    pub owner: AgentId,
}

/// The customer asks for escalation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct RequestEscalation {
    /// The complaint.
    pub complaint: ComplaintId,
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

/// Wait on the customer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct AwaitCustomer {
    /// The complaint.
    pub complaint: ComplaintId,
}

/// The customer answered; work goes on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ResumeComplaint {
    /// The complaint.
    pub complaint: ComplaintId,
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
    /// The id for the follow-up the policy schedules (required when it schedules one).
    #[serde(default)]
    pub follow_up: Option<FollowUpId>,
}

/// Close a resolved complaint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CloseComplaint {
    /// The complaint.
    pub complaint: ComplaintId,
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

/// A follow-up is no longer needed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CancelFollowUp {
    /// The follow-up.
    pub follow_up: FollowUpId,
    /// Why.
    pub reason: Personal,
}

/// Send the customer a survey, about a complaint's resolution (at most one per resolution)
/// or on its own.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct RequestSurvey {
    /// A new id for it.
    pub survey: SurveyId,
    /// Which question.
    pub kind: SurveyKind,
    /// The resolved complaint it asks about.
    #[serde(default)]
    pub complaint: Option<ComplaintId>,
}

/// The customer answered a survey (`survey: Some`), or gave a score unprompted.
///
/// ```
/// use clientele::{AnswerSurvey, NpsScore, SurveyAnswer, SurveyId, Text};
///
/// let answer = AnswerSurvey {
///     survey: Some(SurveyId::from_u128(1)),
///     answer: SurveyAnswer::Nps(NpsScore::new(9)?),
///     comment: Some(Text::new("Kept me posted all along")?.into()),
/// };
/// assert_eq!(answer.answer.kind(), clientele::SurveyKind::Nps);
/// # Ok::<(), clientele::ValueError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct AnswerSurvey {
    /// The survey answered, if it was requested.
    #[serde(default)]
    pub survey: Option<SurveyId>,
    /// The answer.
    pub answer: SurveyAnswer,
    /// The customer's comment.
    #[serde(default)]
    pub comment: Option<Personal>,
}

into_command!(RequestSurvey, AnswerSurvey, ErasePersonalData);

into_command!(
    ReceiveComplaint,
    AcknowledgeComplaint,
    AssignComplaint,
    RequestEscalation,
    EscalateComplaint,
    AwaitCustomer,
    ResumeComplaint,
    ResolveComplaint,
    CloseComplaint,
    ReopenComplaint,
    ScheduleFollowUp,
    CompleteFollowUp,
    CancelFollowUp
);

into_command!(
    RegisterCustomer,
    UpdateProfile,
    RecordInteraction,
    MakePromise,
    RevisePromise,
    KeepPromise,
    WithdrawPromise,
    RecordDependency,
    MeetDependency
);

/// Erase the customer's personal data: name, contact addresses and every free-text summary,
/// reason, note and comment the relationship holds (see [`crate::personal`]).
///
/// Everything else stays: ids, times, tiers, outcomes, durations, scores, so the measures and
/// health are unchanged. Open clocks and promises keep running; withdraw or close them first if
/// the relationship ends. Erasing twice records a second, empty erasure.
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use clientele::{CustomerId, ErasePersonalData, Event, CustomerEvent, RegisterCustomer, Relationship,
///     ServicePolicy, Text, Tier};
///
/// let policy = ServicePolicy::default();
/// let mut ona = Relationship::new(CustomerId::from_u128(1));
/// let monday = Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap();
/// ona.execute(&policy, RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?), monday)?;
/// let events = ona.execute(&policy, ErasePersonalData::default(), monday)?;
/// assert!(matches!(events[0].event, Event::Customer(CustomerEvent::PersonalDataErased { fields: 1 })));
/// assert!(!ona.holds_personal_data());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ErasePersonalData {}

/// A command with the conditions a service attaches to it: the relationship version it was
/// decided against (optimistic concurrency) and an idempotency key (safe retries). Decide it
/// with [`Relationship::decide_request`](crate::Relationship::decide_request) or
/// [`Ledger::decide_request`](crate::Ledger::decide_request).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Request {
    /// The command.
    pub command: Command,
    /// The relationship's [`version`](crate::Relationship::version) the caller last saw
    /// (0 before registration); a mismatch is
    /// [`CommandError::VersionConflict`](crate::CommandError::VersionConflict).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected_version: Option<u64>,
    /// A key for this request: the same key again produces no new events.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub idempotency_key: Option<IdempotencyKey>,
}

impl Request {
    /// A request with no conditions.
    #[must_use]
    pub fn new(command: impl Into<Command>) -> Self {
        Self {
            command: command.into(),
            expected_version: None,
            idempotency_key: None,
        }
    }

    /// Refuses the request unless the relationship is at `version`.
    #[must_use]
    pub const fn expecting(mut self, version: u64) -> Self {
        self.expected_version = Some(version);
        self
    }

    /// Makes the request take effect once, however often it is sent with `key`.
    #[must_use]
    pub fn idempotent(mut self, key: IdempotencyKey) -> Self {
        self.idempotency_key = Some(key);
        self
    }
}
