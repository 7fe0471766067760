//! The customer: registration and profile (name, tier, contacts, preferred channel, account
//! owner), and erasure of personal data.

mod command;
mod contacts;
mod event;

pub use command::{CustomerCommand, ErasePersonalData, RegisterCustomer, UpdateProfile};
pub use contacts::Contacts;
pub use event::CustomerEvent;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::error::CommandError;
use crate::id::AgentId;
use crate::personal::Personal;
use crate::value::{Channel, Tier};

/// Who the customer is, as far as we need to know.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    /// Display name.
    pub name: Personal,
    /// Tier, as the policy names it.
    pub tier: Tier,
    /// Addresses per channel.
    pub contacts: Contacts,
    /// The channel the customer prefers.
    pub preferred_channel: Option<Channel>,
    /// The agent who owns the account.
    pub owner: Option<AgentId>,
    /// When the customer was registered.
    #[serde(with = "crate::compact::instant")]
    pub registered_at: DateTime<Utc>,
}

pub(crate) fn registered(register: &RegisterCustomer) -> CustomerEvent {
    CustomerEvent::Registered {
        name: register.name.clone(),
        tier: register.tier.clone(),
        contacts: register.contacts.clone(),
        preferred_channel: register.preferred_channel,
        owner: register.owner,
    }
}

pub(crate) fn profile_updates(
    profile: &Profile,
    update: &UpdateProfile,
) -> Result<Vec<CustomerEvent>, CommandError> {
    if update
        .set_contacts
        .keys()
        .any(|c| update.remove_contacts.contains(c))
    {
        return Err(CommandError::Contradictory(
            "a contact point is both set and removed",
        ));
    }
    let mut events = Vec::new();
    if let Some(name) = update.name.as_ref().filter(|name| **name != profile.name) {
        events.push(CustomerEvent::Renamed { name: name.clone() });
    }
    if let Some(tier) = update.tier.as_ref().filter(|tier| **tier != profile.tier) {
        events.push(CustomerEvent::TierChanged { tier: tier.clone() });
    }
    for (channel, address) in &update.set_contacts {
        if profile.contacts.get(channel) != Some(address) {
            events.push(CustomerEvent::ContactPointSet {
                channel: *channel,
                address: address.clone(),
            });
        }
    }
    for channel in &update.remove_contacts {
        if profile.contacts.contains_key(channel) {
            events.push(CustomerEvent::ContactPointRemoved { channel: *channel });
        }
    }
    if let Some(channel) = update
        .preferred_channel
        .filter(|c| *c != profile.preferred_channel)
    {
        events.push(CustomerEvent::PreferredChannelSet { channel });
    }
    if let Some(owner) = update.owner.filter(|o| *o != profile.owner) {
        events.push(CustomerEvent::AccountOwnerSet { owner });
    }
    if events.is_empty() {
        return Err(CommandError::NothingToChange);
    }
    Ok(events)
}
