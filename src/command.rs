//! Commands: what the service asks the model to do. Imperative, validated by
//! [`Relationship::decide`](crate::Relationship::decide), which turns them into events or a
//! typed error.
//!
//! Ids for new things (an interaction, a promise) arrive inside commands: the crate makes none.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::{AgentId, Channel, Direction, InteractionId, Priority, Text, Tier};

/// Something the service asks of one customer's relationship.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Command {
    /// Register a new customer.
    RegisterCustomer(RegisterCustomer),
    /// Change the customer's profile.
    UpdateProfile(UpdateProfile),
    /// Record an interaction, inbound or outbound.
    RecordInteraction(RecordInteraction),
}

impl Command {
    /// The command's name, for logs and errors.
    #[must_use]
    pub const fn name(&self) -> &'static str {
        match self {
            Command::RegisterCustomer(_) => "register_customer",
            Command::UpdateProfile(_) => "update_profile",
            Command::RecordInteraction(_) => "record_interaction",
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
pub struct RegisterCustomer {
    /// Display name.
    pub name: Text,
    /// Tier, as the policy names it.
    pub tier: Tier,
    /// Addresses per channel.
    #[serde(default)]
    pub contacts: BTreeMap<Channel, Text>,
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
    pub fn new(name: Text, tier: Tier) -> Self {
        Self {
            name,
            tier,
            contacts: BTreeMap::new(),
            preferred_channel: None,
            owner: None,
        }
    }

    /// Adds an address on a channel.
    #[must_use]
    pub fn contact(mut self, channel: Channel, address: Text) -> Self {
        self.contacts.insert(channel, address);
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
pub struct UpdateProfile {
    /// A new display name.
    #[serde(default)]
    pub name: Option<Text>,
    /// A new tier.
    #[serde(default)]
    pub tier: Option<Tier>,
    /// Addresses to add or replace.
    #[serde(default)]
    pub set_contacts: BTreeMap<Channel, Text>,
    /// Channels whose address to remove.
    #[serde(default)]
    pub remove_contacts: BTreeSet<Channel>,
    /// `Some(Some(c))` sets the preferred channel, `Some(None)` clears it.
    #[serde(default)]
    pub preferred_channel: Option<Option<Channel>>,
    /// `Some(Some(a))` sets the account owner, `Some(None)` clears it.
    #[serde(default)]
    pub owner: Option<Option<AgentId>>,
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
    pub summary: Text,
    /// For inbound: whether the customer expects an answer. Must be `false` for outbound.
    pub awaits_reply: bool,
    /// How urgent it is; chooses the response target.
    #[serde(default)]
    pub priority: Priority,
}

impl RecordInteraction {
    /// The customer wrote, called or came in, and expects an answer.
    #[must_use]
    pub fn inbound(interaction: InteractionId, channel: Channel, summary: Text) -> Self {
        Self {
            interaction,
            channel,
            direction: Direction::Inbound,
            agent: None,
            summary,
            awaits_reply: true,
            priority: Priority::Normal,
        }
    }

    /// We contacted the customer; this answers everything inbound before it.
    #[must_use]
    pub fn outbound(
        interaction: InteractionId,
        channel: Channel,
        agent: AgentId,
        summary: Text,
    ) -> Self {
        Self {
            interaction,
            channel,
            direction: Direction::Outbound,
            agent: Some(agent),
            summary,
            awaits_reply: false,
            priority: Priority::Normal,
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

into_command!(RegisterCustomer, UpdateProfile, RecordInteraction);
