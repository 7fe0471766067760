//! [`Contacts`]: a profile's addresses per channel, in a sorted slice of exact size.

use std::collections::BTreeMap;
use std::fmt;
use std::ops::Index;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::personal::Personal;
use crate::value::Channel;

/// A customer's addresses, one per channel, by channel: the map a [`Profile`](crate::Profile)
/// holds, kept as a sorted slice (a customer has a handful; a `BTreeMap`'s first node holds
/// eleven). Reads like a map and is written as one.
///
/// ```
/// use clientele::{Channel, Contacts, Personal, Text};
///
/// let mut contacts = Contacts::new();
/// contacts.insert(Channel::Email, Personal::new(Text::new("ona@example.com")?));
/// assert_eq!(contacts[&Channel::Email].reveal().map(Text::as_str), Some("ona@example.com"));
/// assert!(contacts[&Channel::Phone].is_erased());
/// assert!(contacts.get(&Channel::Phone).is_none());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Contacts(Box<[(Channel, Personal)]>);

impl Contacts {
    /// No addresses.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    fn position(&self, channel: &Channel) -> Result<usize, usize> {
        self.0.binary_search_by(|(c, _)| c.cmp(channel))
    }

    /// The address for `channel`, if any.
    #[must_use]
    pub fn get(&self, channel: &Channel) -> Option<&Personal> {
        let index = self.position(channel).ok()?;
        self.0.get(index).map(|(_, address)| address)
    }

    /// Whether there is an address for `channel`.
    #[must_use]
    pub fn contains_key(&self, channel: &Channel) -> bool {
        self.position(channel).is_ok()
    }

    /// Sets the address for `channel`; returns the one it replaces.
    pub fn insert(&mut self, channel: Channel, address: Personal) -> Option<Personal> {
        match self.position(&channel) {
            Ok(index) => self
                .0
                .get_mut(index)
                .map(|slot| std::mem::replace(&mut slot.1, address)),
            Err(index) => {
                crate::shared::insert_exact(&mut self.0, index, (channel, address));
                None
            }
        }
    }

    /// Removes the address for `channel`; returns it.
    pub fn remove(&mut self, channel: &Channel) -> Option<Personal> {
        let index = self.position(channel).ok()?;
        let mut all = std::mem::take(&mut self.0).into_vec();
        let (_, address) = all.remove(index);
        self.0 = all.into_boxed_slice();
        Some(address)
    }

    /// Removes every address.
    pub fn clear(&mut self) {
        self.0 = Box::default();
    }

    /// How many channels have an address.
    #[must_use]
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there is no address.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The channels and their addresses, by channel.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = (&Channel, &Personal)> {
        self.0.iter().map(|(channel, address)| (channel, address))
    }

    /// The channels with an address, in order.
    pub fn keys(&self) -> impl ExactSizeIterator<Item = &Channel> {
        self.0.iter().map(|(channel, _)| channel)
    }

    /// The addresses, by channel.
    pub fn values(&self) -> impl ExactSizeIterator<Item = &Personal> {
        self.0.iter().map(|(_, address)| address)
    }
}

impl From<BTreeMap<Channel, Personal>> for Contacts {
    fn from(map: BTreeMap<Channel, Personal>) -> Self {
        Self(map.into_iter().collect())
    }
}

impl From<&BTreeMap<Channel, Personal>> for Contacts {
    fn from(map: &BTreeMap<Channel, Personal>) -> Self {
        Self(
            map.iter()
                .map(|(channel, address)| (*channel, address.clone()))
                .collect(),
        )
    }
}

impl FromIterator<(Channel, Personal)> for Contacts {
    fn from_iter<I: IntoIterator<Item = (Channel, Personal)>>(iter: I) -> Self {
        // Through a map: sorted, the last address of a channel kept.
        Self::from(iter.into_iter().collect::<BTreeMap<_, _>>())
    }
}

/// What [`Contacts`]'s index gives for a channel with no address.
static NO_ADDRESS: Personal = Personal::erased();

impl Index<&Channel> for Contacts {
    type Output = Personal;

    /// The address for `channel`; a channel with no address reads as an erased one (never a
    /// panic: [`get`](Contacts::get) tells the two apart).
    fn index(&self, channel: &Channel) -> &Personal {
        self.get(channel).unwrap_or(&NO_ADDRESS)
    }
}

impl fmt::Debug for Contacts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

/// Written as a map, exactly as the `BTreeMap` it replaces.
impl Serialize for Contacts {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.iter())
    }
}

impl<'de> Deserialize<'de> for Contacts {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        BTreeMap::<Channel, Personal>::deserialize(deserializer).map(Self::from)
    }
}
