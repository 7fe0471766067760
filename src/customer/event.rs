use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::id::AgentId;
use crate::personal::Personal;
use crate::value::{Channel, Tier};

/// What happens in this family, as stored facts. The `type` tag on the wire is the kind
/// (see [`Event::kind`](crate::event::Event::kind)).
///
/// Exhaustive on purpose, like [`Event`](crate::event::Event): a service must handle every
/// fact it stores, so a new kind is a change the compiler points at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum CustomerEvent {
    /// A customer was registered.
    #[serde(rename = "customer_registered")]
    Registered {
        /// Display name.
        name: Personal,
        /// Tier, as the policy names it.
        tier: Tier,
        /// Addresses per channel.
        #[serde(default)]
        contacts: BTreeMap<Channel, Personal>,
        /// The channel the customer prefers to be contacted on.
        #[serde(default)]
        preferred_channel: Option<Channel>,
        /// The agent who owns the account (receives response flags).
        #[serde(default)]
        owner: Option<AgentId>,
    },
    /// The customer's display name changed.
    #[serde(rename = "customer_renamed")]
    Renamed {
        /// The new name.
        name: Personal,
    },
    /// The customer moved to another tier. Clocks already running keep their targets.
    #[serde(rename = "tier_changed")]
    TierChanged {
        /// The new tier.
        tier: Tier,
    },
    /// An address on a channel was added or replaced.
    #[serde(rename = "contact_point_set")]
    ContactPointSet {
        /// The channel.
        channel: Channel,
        /// The address.
        address: Personal,
    },
    /// The address on a channel was removed.
    #[serde(rename = "contact_point_removed")]
    ContactPointRemoved {
        /// The channel.
        channel: Channel,
    },
    /// The preferred channel was set or cleared.
    #[serde(rename = "preferred_channel_set")]
    PreferredChannelSet {
        /// The channel, or none.
        channel: Option<Channel>,
    },
    /// The account owner was set or cleared.
    #[serde(rename = "account_owner_set")]
    AccountOwnerSet {
        /// The agent, or none.
        owner: Option<AgentId>,
    },
    /// The customer's personal data was erased from the relationship. Folding this event
    /// erases it again, so a replay never brings it back; it carries no personal data itself.
    #[serde(rename = "personal_data_erased")]
    PersonalDataErased {
        /// How many pieces of personal data the state held and lost.
        fields: u32,
    },
}

impl CustomerEvent {
    /// The kind, as the `type` tag on the wire.
    ///
    /// ```
    /// use clientele::{CustomerEvent, Text};
    ///
    /// let renamed = CustomerEvent::Renamed { name: Text::new("Ona")?.into() };
    /// assert_eq!(renamed.kind(), "customer_renamed");
    /// # Ok::<(), clientele::ValueError>(())
    /// ```
    #[must_use]
    pub const fn kind(&self) -> &'static str {
        match self {
            Self::Registered { .. } => "customer_registered",
            Self::Renamed { .. } => "customer_renamed",
            Self::TierChanged { .. } => "tier_changed",
            Self::ContactPointSet { .. } => "contact_point_set",
            Self::ContactPointRemoved { .. } => "contact_point_removed",
            Self::PreferredChannelSet { .. } => "preferred_channel_set",
            Self::AccountOwnerSet { .. } => "account_owner_set",
            Self::PersonalDataErased { .. } => "personal_data_erased",
        }
    }

    /// The personal data it holds (see [`crate::personal`]), in a stable order: fields in
    /// declaration order, a map's values in key order. Part of the wire contract.
    pub(crate) fn personal_mut(&mut self) -> Vec<&mut Personal> {
        match self {
            Self::Registered { name, contacts, .. } => {
                let mut fields = vec![name];
                fields.extend(contacts.values_mut());
                fields
            }
            Self::Renamed { name } => vec![name],
            Self::ContactPointSet { address, .. } => vec![address],
            Self::TierChanged { .. }
            | Self::ContactPointRemoved { .. }
            | Self::PreferredChannelSet { .. }
            | Self::AccountOwnerSet { .. }
            | Self::PersonalDataErased { .. } => Vec::new(),
        }
    }
}
