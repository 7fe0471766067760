//! Values: closed vocabularies as enums, validated values with fallible constructors.
//!
//! Every validated value is also validated when it is deserialized (`#[serde(try_from)]`), so
//! stored data cannot skip the checks a constructor makes.

use std::fmt;

use chrono::TimeDelta;
use serde::{Deserialize, Serialize};

/// A value failed validation.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ValueError {
    /// The text was empty or only whitespace.
    #[error("{what} must not be empty")]
    Empty {
        /// Which value.
        what: &'static str,
    },
    /// The text was longer than allowed.
    #[error("{what} is {len} characters long; at most {max} are allowed")]
    TooLong {
        /// Which value.
        what: &'static str,
        /// Its length in characters.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// A number or duration was outside its allowed range.
    #[error("{what} {value} is out of range {min}..={max}")]
    OutOfRange {
        /// Which value.
        what: &'static str,
        /// The value given.
        value: i64,
        /// The smallest allowed.
        min: i64,
        /// The largest allowed.
        max: i64,
    },
}

/// The channel an interaction happened on. The channel never matters to a response clock:
/// a phone call answers an e-mail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum Channel {
    /// A phone call.
    Phone,
    /// An e-mail.
    Email,
    /// A live chat on our site or app.
    Chat,
    /// A messaging app (WhatsApp, Telegram, ...).
    Messaging,
    /// A text message.
    Sms,
    /// A visit in person, at a shop or on site.
    InPerson,
    /// A form on our website.
    WebForm,
    /// A public social-media post or message.
    Social,
    /// A paper letter.
    Letter,
    /// Anything else.
    Other,
}

impl Channel {
    /// Every channel, in declaration order.
    pub const ALL: [Channel; 10] = [
        Channel::Phone,
        Channel::Email,
        Channel::Chat,
        Channel::Messaging,
        Channel::Sms,
        Channel::InPerson,
        Channel::WebForm,
        Channel::Social,
        Channel::Letter,
        Channel::Other,
    ];
}

impl fmt::Display for Channel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Channel::Phone => "phone",
            Channel::Email => "e-mail",
            Channel::Chat => "chat",
            Channel::Messaging => "messaging",
            Channel::Sms => "SMS",
            Channel::InPerson => "in person",
            Channel::WebForm => "web form",
            Channel::Social => "social",
            Channel::Letter => "letter",
            Channel::Other => "other",
        })
    }
}

/// Who spoke: the customer to us, or we to the customer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum Direction {
    /// From the customer to us.
    Inbound,
    /// From us to the customer.
    Outbound,
}

/// How urgent something is. Targets in the [`ServicePolicy`](crate::ServicePolicy) depend on it.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum Priority {
    /// Can wait.
    Low,
    /// The usual.
    #[default]
    Normal,
    /// Needs attention soon.
    High,
    /// Needs attention now (the roadside-assistance call).
    Urgent,
}

impl Priority {
    /// Every priority, lowest first.
    pub const ALL: [Priority; 4] = [
        Priority::Low,
        Priority::Normal,
        Priority::High,
        Priority::Urgent,
    ];
}

impl fmt::Display for Priority {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Priority::Low => "low",
            Priority::Normal => "normal",
            Priority::High => "high",
            Priority::Urgent => "urgent",
        })
    }
}

fn checked_text(what: &'static str, text: String, max: usize) -> Result<String, ValueError> {
    if text.trim().is_empty() {
        return Err(ValueError::Empty { what });
    }
    let len = text.chars().count();
    if len > max {
        return Err(ValueError::TooLong { what, len, max });
    }
    Ok(text)
}

/// Non-empty free text of at most [`Text::MAX_CHARS`] characters: a summary, a reason, what
/// was promised.
///
/// ```
/// use clientele::Text;
///
/// let summary = Text::new("Where are my glasses?")?;
/// assert_eq!(summary.as_str(), "Where are my glasses?");
/// assert!(Text::new("   ").is_err());
/// # Ok::<(), clientele::ValueError>(())
/// ```
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Text(Box<str>);

impl Text {
    /// The longest text accepted, in characters.
    pub const MAX_CHARS: usize = 4000;

    /// Validates and wraps a text.
    ///
    /// # Errors
    /// [`ValueError::Empty`] for empty or blank text, [`ValueError::TooLong`] past
    /// [`Text::MAX_CHARS`].
    ///
    /// ```
    /// use clientele::{Text, ValueError};
    ///
    /// let summary = Text::new("Glasses not ready")?;
    /// assert_eq!(summary.as_str(), "Glasses not ready");
    /// assert!(matches!(Text::new("   "), Err(ValueError::Empty { .. })));
    /// assert!(matches!(Text::new("x".repeat(Text::MAX_CHARS + 1)), Err(ValueError::TooLong { .. })));
    /// # Ok::<(), ValueError>(())
    /// ```
    pub fn new(text: impl Into<String>) -> Result<Self, ValueError> {
        checked_text("text", text.into(), Self::MAX_CHARS).map(|text| Self(text.into_boxed_str()))
    }

    /// The text.
    ///
    /// ```
    /// use clientele::Text;
    ///
    /// let summary = Text::new("Lenses scratched")?;
    /// assert!(summary.as_str().starts_with("Lenses"));
    /// assert_eq!(summary.to_string(), summary.as_str());
    /// # Ok::<(), clientele::ValueError>(())
    /// ```
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// A placeholder for defaults built from literals that cannot fail validation.
    pub(crate) fn default_name() -> Self {
        Text(Box::from("unnamed"))
    }
}

impl TryFrom<String> for Text {
    type Error = ValueError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::new(value)
    }
}

impl TryFrom<&str> for Text {
    type Error = ValueError;
    fn try_from(value: &str) -> Result<Self, Self::Error> {
        Self::new(value)
    }
}

impl From<Text> for String {
    fn from(value: Text) -> Self {
        value.0.into_string()
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

/// A short validated name: non-empty, at most `$max` characters, validated on deserialize too.
macro_rules! short_name {
    ($(#[$doc:meta])* $name:ident, $what:literal, $max:literal) => {
        $(#[$doc])*
        #[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(Box<str>);

        impl $name {
            /// The longest accepted, in characters.
            pub const MAX_CHARS: usize = $max;

            /// Validates and wraps a name.
            ///
            /// # Errors
            /// [`ValueError::Empty`] for empty or blank text, [`ValueError::TooLong`] past
            #[doc = concat!("[`", stringify!($name), "::MAX_CHARS`].")]
            pub fn new(name: impl Into<String>) -> Result<Self, ValueError> {
                checked_text($what, name.into(), Self::MAX_CHARS).map(|name| Self(name.into_boxed_str()))
            }

            /// The name.
            #[must_use]
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl TryFrom<String> for $name {
            type Error = ValueError;
            fn try_from(value: String) -> Result<Self, Self::Error> {
                Self::new(value)
            }
        }

        impl From<$name> for String {
            fn from(value: $name) -> Self {
                value.0.into_string()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, concat!(stringify!($name), "({:?})"), self.0)
            }
        }
    };
}

short_name!(
    /// A customer tier, named by the service's policy (`"standard"`, `"gold"`, ...): not a fixed
    /// enum, because every business names its own. Non-empty, at most 64 characters.
    ///
    /// ```
    /// use clientele::Tier;
    ///
    /// let gold = Tier::new("gold")?;
    /// assert_eq!(gold.to_string(), "gold");
    /// # Ok::<(), clientele::ValueError>(())
    /// ```
    Tier,
    "tier",
    64
);

short_name!(
    /// A caller's key for one request, so that a retried request takes effect once (see
    /// [`Request`](crate::Request)). Non-empty, at most 128 characters; a UUID or a hash of
    /// the request is typical. Not personal data: do not build it from a name or an address.
    ///
    /// ```
    /// use clientele::IdempotencyKey;
    ///
    /// let key = IdempotencyKey::new("web-7f3a2c")?;
    /// assert_eq!(key.as_str(), "web-7f3a2c");
    /// assert!(IdempotencyKey::new("").is_err());
    /// # Ok::<(), clientele::ValueError>(())
    /// ```
    IdempotencyKey,
    "idempotency key",
    128
);

/// A non-negative length of time, to the second: a target ("answer within 8 hours"), a lead
/// time, a lateness. Whether it is counted in wall-clock or business time depends on where it
/// is used; see [`ServiceCalendar`](crate::ServiceCalendar).
///
/// Bounded by [`Span::MAX`] (about 200 years), so adding any `Span` to any instant chrono can
/// represent is checked arithmetic that cannot overflow an `i64`.
///
/// ```
/// use clientele::Span;
///
/// let eight_hours = Span::hours(8);
/// assert_eq!(eight_hours.as_secs(), 28_800);
/// assert_eq!(eight_hours.to_string(), "8h");
/// assert!(Span::try_from_secs(-1).is_err());
/// # Ok::<(), clientele::ValueError>(())
/// ```
#[derive(Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "i64", into = "i64")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Span(i64);

impl Span {
    /// No time at all.
    pub const ZERO: Span = Span(0);
    /// The longest span accepted: 200 years of 365.25 days.
    pub const MAX: Span = Span(200 * 36_525 * 864);

    /// A span of `secs` seconds.
    ///
    /// ```
    /// use clientele::Span;
    ///
    /// assert_eq!(Span::seconds(90).as_secs(), 90);
    /// assert_eq!(Span::seconds(120), Span::minutes(2));
    /// ```
    #[must_use]
    pub const fn seconds(secs: u32) -> Self {
        Span(secs as i64)
    }

    /// A span of `minutes` minutes.
    ///
    /// ```
    /// use clientele::Span;
    ///
    /// assert_eq!(Span::minutes(90), Span::seconds(5_400));
    /// assert_eq!(Span::minutes(120), Span::hours(2));
    /// ```
    #[must_use]
    pub const fn minutes(minutes: u32) -> Self {
        Span(minutes as i64 * 60)
    }

    /// A span of `hours` hours.
    ///
    /// ```
    /// use clientele::Span;
    ///
    /// assert_eq!(Span::hours(8).as_secs(), 28_800);
    /// assert_eq!(Span::hours(48), Span::days(2));
    /// ```
    #[must_use]
    pub const fn hours(hours: u16) -> Self {
        Span(hours as i64 * 3600)
    }

    /// A span of `days` days of 24 hours.
    ///
    /// ```
    /// use clientele::Span;
    ///
    /// assert_eq!(Span::days(7).as_secs(), 604_800); // days of 24 hours, whatever the calendar
    /// ```
    #[must_use]
    pub const fn days(days: u16) -> Self {
        Span(days as i64 * 86_400)
    }

    /// A span from a signed number of seconds.
    ///
    /// # Errors
    /// [`ValueError::OutOfRange`] when negative or longer than [`Span::MAX`].
    ///
    /// ```
    /// use clientele::{Span, ValueError};
    ///
    /// assert_eq!(Span::try_from_secs(3_600)?, Span::hours(1));
    /// assert!(matches!(Span::try_from_secs(-1), Err(ValueError::OutOfRange { .. })));
    /// assert!(Span::try_from_secs(Span::MAX.as_secs() + 1).is_err());
    /// # Ok::<(), ValueError>(())
    /// ```
    pub const fn try_from_secs(secs: i64) -> Result<Self, ValueError> {
        if secs < 0 || secs > Self::MAX.0 {
            return Err(ValueError::OutOfRange {
                what: "span in seconds",
                value: secs,
                min: 0,
                max: Self::MAX.0,
            });
        }
        Ok(Span(secs))
    }

    /// The span in whole seconds.
    ///
    /// ```
    /// use clientele::Span;
    ///
    /// assert_eq!(Span::minutes(96).as_secs(), 5_760);
    /// ```
    #[must_use]
    pub const fn as_secs(self) -> i64 {
        self.0
    }

    /// The span as a chrono [`TimeDelta`].
    ///
    /// ```
    /// use clientele::chrono::{TimeDelta, TimeZone, Utc};
    /// use clientele::Span;
    ///
    /// let monday = Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap();
    /// assert_eq!(Span::hours(8).to_time_delta(), TimeDelta::hours(8));
    /// assert_eq!(monday + Span::hours(8).to_time_delta(), Utc.with_ymd_and_hms(2026, 3, 2, 17, 0, 0).unwrap());
    /// ```
    #[must_use]
    pub const fn to_time_delta(self) -> TimeDelta {
        TimeDelta::seconds(self.0)
    }

    /// `self + other`, or `None` past [`Span::MAX`].
    ///
    /// ```
    /// use clientele::Span;
    ///
    /// assert_eq!(Span::hours(1).checked_add(Span::minutes(30)), Some(Span::minutes(90)));
    /// assert_eq!(Span::MAX.checked_add(Span::seconds(1)), None);
    /// ```
    #[must_use]
    pub const fn checked_add(self, other: Span) -> Option<Span> {
        match Self::try_from_secs(self.0 + other.0) {
            Ok(span) => Some(span),
            Err(_) => None,
        }
    }

    /// `self - other`, or zero when `other` is longer.
    ///
    /// ```
    /// use clientele::Span;
    ///
    /// assert_eq!(Span::hours(8).saturating_sub(Span::hours(3)), Span::hours(5));
    /// assert_eq!(Span::hours(1).saturating_sub(Span::hours(3)), Span::ZERO); // never negative
    /// ```
    #[must_use]
    pub const fn saturating_sub(self, other: Span) -> Span {
        if other.0 >= self.0 {
            Span::ZERO
        } else {
            Span(self.0 - other.0)
        }
    }

    /// Whether this is zero.
    ///
    /// ```
    /// use clientele::Span;
    ///
    /// assert!(Span::ZERO.is_zero());
    /// assert!(Span::hours(1).saturating_sub(Span::hours(1)).is_zero());
    /// assert!(!Span::seconds(1).is_zero());
    /// ```
    #[must_use]
    pub const fn is_zero(self) -> bool {
        self.0 == 0
    }
}

impl TryFrom<i64> for Span {
    type Error = ValueError;
    fn try_from(secs: i64) -> Result<Self, Self::Error> {
        Self::try_from_secs(secs)
    }
}

impl TryFrom<TimeDelta> for Span {
    type Error = ValueError;
    /// Whole seconds of the delta; sub-second parts are dropped.
    fn try_from(delta: TimeDelta) -> Result<Self, Self::Error> {
        Self::try_from_secs(delta.num_seconds())
    }
}

impl From<Span> for i64 {
    fn from(span: Span) -> Self {
        span.0
    }
}

impl From<Span> for TimeDelta {
    fn from(span: Span) -> Self {
        span.to_time_delta()
    }
}

impl fmt::Display for Span {
    /// Compact and exact: `0s`, `45s`, `1h30m`, `2d4h`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut rest = self.0;
        if rest == 0 {
            return f.write_str("0s");
        }
        for (unit, secs) in [("d", 86_400), ("h", 3600), ("m", 60), ("s", 1)] {
            let n = rest / secs;
            if n > 0 {
                write!(f, "{n}{unit}")?;
                rest -= n * secs;
            }
        }
        Ok(())
    }
}

impl fmt::Debug for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Span({self})")
    }
}

macro_rules! score {
    ($(#[$doc:meta])* $name:ident, $what:literal, $min:literal ..= $max:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
        #[serde(try_from = "u8", into = "u8")]
        pub struct $name(u8);

        impl $name {
            /// Validates a score.
            ///
            /// # Errors
            #[doc = concat!("[`ValueError::OutOfRange`] outside ", stringify!($min), "..=", stringify!($max), ".")]
            #[allow(unused_comparisons)] // the NPS minimum is 0
            pub const fn new(score: u8) -> Result<Self, ValueError> {
                if score < $min || score > $max {
                    return Err(ValueError::OutOfRange {
                        what: $what,
                        value: score as i64,
                        min: $min,
                        max: $max,
                    });
                }
                Ok(Self(score))
            }

            /// The score.
            #[must_use]
            pub const fn get(self) -> u8 {
                self.0
            }
        }

        impl TryFrom<u8> for $name {
            type Error = ValueError;
            fn try_from(score: u8) -> Result<Self, Self::Error> {
                Self::new(score)
            }
        }

        impl From<$name> for u8 {
            fn from(score: $name) -> Self {
                score.0
            }
        }
    };
}

score!(
    /// A customer-satisfaction answer, 1 (very unsatisfied) to 5 (very satisfied). 4 and 5
    /// count as satisfied.
    ///
    /// ```
    /// use clientele::CsatScore;
    ///
    /// assert_eq!(CsatScore::new(4)?.get(), 4);
    /// assert!(CsatScore::new(0).is_err());
    /// # Ok::<(), clientele::ValueError>(())
    /// ```
    CsatScore, "CSAT score", 1..=5
);

score!(
    /// A Net Promoter answer, 0 to 10: promoters 9–10, passives 7–8, detractors 0–6.
    ///
    /// ```
    /// use clientele::NpsScore;
    ///
    /// assert_eq!(NpsScore::new(10)?.get(), 10);
    /// assert!(NpsScore::new(11).is_err());
    /// # Ok::<(), clientele::ValueError>(())
    /// ```
    NpsScore, "NPS score", 0..=10
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn span_rejects_negative_and_huge_values() {
        assert!(Span::try_from_secs(-1).is_err());
        assert!(Span::try_from_secs(Span::MAX.as_secs() + 1).is_err());
        assert_eq!(
            Span::try_from_secs(90).unwrap(),
            Span::minutes(1).checked_add(Span::seconds(30)).unwrap()
        );
        assert!(Span::MAX.checked_add(Span::seconds(1)).is_none());
        assert!(serde_json::from_str::<Span>("-5").is_err());
    }

    #[test]
    fn span_displays_compactly() {
        assert_eq!(Span::seconds(5400).to_string(), "1h30m");
        assert_eq!(
            Span::days(2)
                .checked_add(Span::hours(4))
                .unwrap()
                .to_string(),
            "2d4h"
        );
        assert_eq!(Span::ZERO.to_string(), "0s");
    }

    #[test]
    fn text_is_validated_on_deserialize() {
        assert!(serde_json::from_str::<Text>("\"  \"").is_err());
        let long = format!("\"{}\"", "x".repeat(Text::MAX_CHARS + 1));
        assert!(serde_json::from_str::<Text>(&long).is_err());
        assert_eq!(
            serde_json::from_str::<Text>("\"hi\"").unwrap().as_str(),
            "hi"
        );
        assert!(serde_json::from_str::<Tier>("\"\"").is_err());
    }
}
