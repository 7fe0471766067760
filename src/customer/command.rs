use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::id::AgentId;
use crate::personal::Personal;
use crate::value::{Channel, Tier};

/// What the service can ask of this family. `#[non_exhaustive]`: later releases add
/// commands; build one from its struct (`.into()`), and match with a `_` arm.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub enum CustomerCommand {
    /// Register a new customer.
    #[serde(rename = "register_customer")]
    Register(RegisterCustomer),
    /// Change the customer's profile.
    #[serde(rename = "update_profile")]
    UpdateProfile(UpdateProfile),
    /// Erase the customer's personal data (the right to erasure).
    #[serde(rename = "erase_personal_data")]
    ErasePersonalData(ErasePersonalData),
}

impl CustomerCommand {
    /// The command's name, as its `type` tag on the wire.
    ///
    /// ```
    /// use clientele::ErasePersonalData;
    /// use clientele::customer::CustomerCommand;
    ///
    /// assert_eq!(CustomerCommand::from(ErasePersonalData {}).name(), "erase_personal_data");
    /// ```
    #[must_use]
    pub const fn name(&self) -> &'static str {
        match self {
            Self::Register(_) => "register_customer",
            Self::UpdateProfile(_) => "update_profile",
            Self::ErasePersonalData(_) => "erase_personal_data",
        }
    }
}

impl From<RegisterCustomer> for CustomerCommand {
    fn from(command: RegisterCustomer) -> Self {
        Self::Register(command)
    }
}

impl From<UpdateProfile> for CustomerCommand {
    fn from(command: UpdateProfile) -> Self {
        Self::UpdateProfile(command)
    }
}

impl From<ErasePersonalData> for CustomerCommand {
    fn from(command: ErasePersonalData) -> Self {
        Self::ErasePersonalData(command)
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
    ///
    /// ```
    /// # use clientele::{*, chrono::{TimeZone, Utc}};
    /// # let (policy, monday) = (ServicePolicy::default(), Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap());
    /// let mut ona = Relationship::new(CustomerId::from_u128(1));
    /// ona.execute(&policy, RegisterCustomer::new(Text::new("Ona")?, Tier::new("gold")?), monday)?;
    /// assert_eq!(ona.profile().map(|p| p.tier.as_str()), Some("gold"));
    /// // Registered once: again is refused.
    /// let again = RegisterCustomer::new(Text::new("Ona")?, Tier::new("gold")?);
    /// assert!(ona.execute(&policy, again, monday).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
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
    ///
    /// ```
    /// use clientele::{Channel, RegisterCustomer, Text, Tier};
    ///
    /// let register = RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?)
    ///     .contact(Channel::Email, Text::new("ona@example.com")?)
    ///     .contact(Channel::Sms, Text::new("+370 600 00000")?);
    /// assert_eq!(register.contacts.len(), 2);
    /// # Ok::<(), clientele::ValueError>(())
    /// ```
    #[must_use]
    pub fn contact(mut self, channel: Channel, address: impl Into<Personal>) -> Self {
        self.contacts.insert(channel, address.into());
        self
    }

    /// Sets the preferred channel.
    ///
    /// ```
    /// use clientele::{Channel, RegisterCustomer, Text, Tier};
    ///
    /// let register = RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?).prefers(Channel::Sms);
    /// assert_eq!(register.preferred_channel, Some(Channel::Sms));
    /// # Ok::<(), clientele::ValueError>(())
    /// ```
    #[must_use]
    pub fn prefers(mut self, channel: Channel) -> Self {
        self.preferred_channel = Some(channel);
        self
    }

    /// Sets the account owner.
    ///
    /// ```
    /// # use clientele::{*, chrono::{TimeZone, Utc}};
    /// # let (policy, monday) = (ServicePolicy::default(), Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap());
    /// let jonas = AgentId::from_u128(7);
    /// let mut ona = Relationship::new(CustomerId::from_u128(1));
    /// ona.execute(&policy, RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?).owned_by(jonas), monday)?;
    /// assert_eq!(ona.profile().and_then(|p| p.owner), Some(jonas)); // receives the response flags
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
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
