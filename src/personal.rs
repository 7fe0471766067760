//! Personal data: what in the model identifies or describes a person, marked by its type so a
//! service can encrypt it, keep it elsewhere, and erase it.
//!
//! Every name, contact address and free-text summary, reason, note or comment in a command,
//! an event or the state is a [`Personal`], never a bare [`Text`]. Ids, times, channels,
//! priorities, outcomes, durations and scores are not personal data: they are what the
//! measures count, and they survive an erasure.
//!
//! # What the crate does
//! - `Debug` of a [`Personal`] prints `Personal(‹redacted›)`, so logging a command, an event
//!   or a relationship does not leak it. There is deliberately no `Display`; read the text
//!   with [`Personal::reveal`].
//! - [`ErasePersonalData`](crate::ErasePersonalData) removes every piece of personal data the
//!   relationship holds and records `PersonalDataErased`. Replaying a log that contains the
//!   erasure folds the older events (with their data) and then the erasure, so the data never
//!   survives into the replayed state; counts, durations, outcomes and scores do, so
//!   [`Measures`](crate::Measures) and health are the same with or without it.
//! - On the wire a present value is its text; an erased one is `{"erased": true}`. Every event
//!   replays with any of its personal fields erased.
//!
//! # What the service does: erasing data from stored events
//! Events are immutable facts, so the erasure event alone cannot take the data out of the log
//! the service keeps. Two ways to do that, both supported by
//! [`Envelope::take_personal`](crate::Envelope::take_personal) and
//! [`Envelope::restore_personal`](crate::Envelope::restore_personal), which move an event's
//! personal fields out and back in a stable order:
//! - **Externalised payloads.** Store each envelope after `take_personal` (its personal fields
//!   read `{"erased": true}`), and the taken texts in a separate store keyed by
//!   `(customer, seq)`. On read, `restore_personal` puts them back. To erase, delete the
//!   customer's rows from the payload store; the event log is untouched.
//! - **Crypto-shredding.** The same, but the taken texts are encrypted with a key per customer
//!   and may sit beside the event. To erase, destroy the customer's key; the ciphertext that
//!   remains is noise, and the events replay with those fields erased.
//!
//! Either way, apply the [`ErasePersonalData`](crate::ErasePersonalData) command first, so
//! the live state forgets too and the log records when and that it happened.
//!
//! ```
//! use clientele::{Envelope, Personal, Text};
//!
//! let name = Personal::new(Text::new("Ona Petraitė")?);
//! assert_eq!(format!("{name:?}"), "Personal(‹redacted›)");
//! assert_eq!(name.reveal().map(Text::as_str), Some("Ona Petraitė"));
//! assert_eq!(serde_json::to_string(&Personal::erased())?, r#"{"erased":true}"#);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::fmt;

use serde::de::{self, MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::value::Text;

/// A piece of personal data: a name, a contact address, a free-text summary or comment; or
/// the mark that it was erased.
///
/// ```
/// use clientele::{Personal, Text};
///
/// let mut summary = Personal::from(Text::new("Lenses scratched; call on 555-0100")?);
/// assert!(!summary.is_erased());
/// let taken = summary.take();
/// assert!(taken.is_some() && summary.is_erased());
/// # Ok::<(), clientele::ValueError>(())
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Personal(Option<Text>);

impl Personal {
    /// Marks `text` as personal data.
    ///
    /// ```
    /// use clientele::{Personal, Text};
    ///
    /// let name = Personal::new(Text::new("Ona Petraitė")?);
    /// assert_eq!(name, Personal::from(Text::new("Ona Petraitė")?));
    /// assert!(!name.is_erased());
    /// # Ok::<(), clientele::ValueError>(())
    /// ```
    #[must_use]
    pub const fn new(text: Text) -> Self {
        Self(Some(text))
    }

    /// A value that was erased.
    ///
    /// ```
    /// use clientele::Personal;
    ///
    /// let gone = Personal::erased();
    /// assert!(gone.is_erased());
    /// assert_eq!(gone.reveal(), None);
    /// ```
    #[must_use]
    pub const fn erased() -> Self {
        Self(None)
    }

    /// The text, unless it was erased. Named so that reading personal data is visible in code.
    ///
    /// ```
    /// use clientele::{Personal, Text};
    ///
    /// let mut phone = Personal::new(Text::new("555-0100")?);
    /// assert_eq!(phone.reveal().map(Text::as_str), Some("555-0100"));
    /// phone.erase();
    /// assert_eq!(phone.reveal(), None);
    /// # Ok::<(), clientele::ValueError>(())
    /// ```
    #[must_use]
    pub const fn reveal(&self) -> Option<&Text> {
        self.0.as_ref()
    }

    /// Whether the value was erased.
    ///
    /// ```
    /// use clientele::{Personal, Text};
    ///
    /// let mut name = Personal::new(Text::new("Ona")?);
    /// assert!(!name.is_erased());
    /// name.erase();
    /// assert!(name.is_erased());
    /// # Ok::<(), clientele::ValueError>(())
    /// ```
    #[must_use]
    pub const fn is_erased(&self) -> bool {
        self.0.is_none()
    }

    /// Erases the value; `true` if there was something to erase.
    ///
    /// ```
    /// use clientele::{Personal, Text};
    ///
    /// let mut name = Personal::new(Text::new("Ona")?);
    /// assert!(name.erase()); // there was something to erase
    /// assert!(!name.erase()); // not twice
    /// # Ok::<(), clientele::ValueError>(())
    /// ```
    pub fn erase(&mut self) -> bool {
        self.0.take().is_some()
    }

    /// Text the crate writes itself ("the complaint was reopened"). It sits in a field that
    /// can hold personal data, so it is marked like any other; text too long to be valid
    /// (a summary quoted into a longer sentence) is cut at [`Text::MAX_CHARS`].
    pub(crate) fn ours(text: &str) -> Self {
        let cut: String = text.chars().take(Text::MAX_CHARS).collect();
        Self(Text::new(cut).ok())
    }

    /// Takes the text out, leaving the value erased.
    ///
    /// ```
    /// use clientele::{Personal, Text};
    ///
    /// let mut note = Personal::new(Text::new("Call after 5")?);
    /// assert_eq!(note.take(), Some(Text::new("Call after 5")?));
    /// assert!(note.is_erased());
    /// # Ok::<(), clientele::ValueError>(())
    /// ```
    pub fn take(&mut self) -> Option<Text> {
        self.0.take()
    }
}

impl From<Text> for Personal {
    fn from(text: Text) -> Self {
        Self::new(text)
    }
}

impl fmt::Debug for Personal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(_) => f.write_str("Personal(‹redacted›)"),
            None => f.write_str("Personal(erased)"),
        }
    }
}

impl Serialize for Personal {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if !serializer.is_human_readable() {
            // A binary snapshot: the text, or nothing once erased.
            return self.0.serialize(serializer);
        }
        match &self.0 {
            Some(text) => text.serialize(serializer),
            None => {
                let mut map = serializer.serialize_map(Some(1))?;
                map.serialize_entry("erased", &true)?;
                map.end()
            }
        }
    }
}

impl<'de> Deserialize<'de> for Personal {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct PersonalVisitor;

        impl<'de> Visitor<'de> for PersonalVisitor {
            type Value = Personal;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(r#"a non-empty text or {"erased": true}"#)
            }

            fn visit_str<E: de::Error>(self, value: &str) -> Result<Personal, E> {
                Text::new(value).map(Personal::new).map_err(E::custom)
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Personal, A::Error> {
                let mut erased = None;
                while let Some(key) = map.next_key::<String>()? {
                    if key != "erased" {
                        return Err(de::Error::unknown_field(&key, &["erased"]));
                    }
                    if erased.replace(map.next_value::<bool>()?).is_some() {
                        return Err(de::Error::duplicate_field("erased"));
                    }
                }
                match erased {
                    Some(true) => Ok(Personal::erased()),
                    Some(false) => Err(de::Error::invalid_value(
                        de::Unexpected::Bool(false),
                        &"`true`: only erased values are written as a map",
                    )),
                    None => Err(de::Error::missing_field("erased")),
                }
            }
        }

        if !deserializer.is_human_readable() {
            return Option::<Text>::deserialize(deserializer).map(Personal);
        }
        deserializer.deserialize_any(PersonalVisitor)
    }
}

/// State that can hold personal data and forget it.
pub(crate) trait Erase {
    /// Erases every piece of personal data held; how many there were.
    fn erase_personal(&mut self) -> u32;
}

impl Erase for Personal {
    fn erase_personal(&mut self) -> u32 {
        u32::from(self.erase())
    }
}

impl Erase for Option<Personal> {
    fn erase_personal(&mut self) -> u32 {
        self.as_mut().map_or(0, Personal::erase_personal)
    }
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for Personal {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Personal".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "Personal data: encrypt or externalise it, erase it on request. A text, or {\"erased\": true} once erased.",
            "x-personal-data": true,
            "oneOf": [
                { "type": "string", "minLength": 1, "maxLength": Text::MAX_CHARS },
                {
                    "type": "object",
                    "properties": { "erased": { "const": true } },
                    "required": ["erased"],
                    "additionalProperties": false
                }
            ]
        })
    }
}
