//! Identifiers: newtypes over [`Uuid`], one per kind of thing, so a promise id can never be
//! passed where a complaint id is expected.
//!
//! The crate never makes ids: they arrive inside commands, made by the service (for example
//! UUIDv7 from its own generator). Each id is `#[serde(transparent)]` (a plain UUID string on
//! the wire), implements [`Display`](fmt::Display) and [`FromStr`], and orders like its UUID.
//!
//! ```
//! use clientele::CustomerId;
//!
//! let id: CustomerId = "0191f3c4-5a6b-7c8d-9e0f-a1b2c3d4e5f6".parse()?;
//! assert_eq!(id.to_string(), "0191f3c4-5a6b-7c8d-9e0f-a1b2c3d4e5f6");
//! # Ok::<(), clientele::id::IdParseError>(())
//! ```

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The text could not be read as an id.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid {kind} id {input:?}: expected a UUID")]
#[non_exhaustive]
pub struct IdParseError {
    /// Which kind of id was being read (`"customer"`, `"promise"`, ...).
    pub kind: &'static str,
    /// The text that was given (cut to 64 characters).
    pub input: String,
}

macro_rules! ids {
    ($($(#[$doc:meta])* $name:ident => $kind:literal;)*) => {$(
        $(#[$doc])*
        #[derive(Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
        #[serde(transparent)]
        pub struct $name(Uuid);

        /// The UUIDs' order (their bytes, most significant first), compared as one `u128`
        /// rather than byte by byte: the registries of a relationship are searched by halves.
        impl Ord for $name {
            fn cmp(&self, other: &Self) -> std::cmp::Ordering {
                self.0.as_u128().cmp(&other.0.as_u128())
            }
        }

        impl PartialOrd for $name {
            fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
                Some(self.cmp(other))
            }
        }

        impl $name {
            /// Wraps a UUID made by the service.
            #[must_use]
            pub const fn from_uuid(uuid: Uuid) -> Self {
                Self(uuid)
            }

            /// Builds an id from a `u128`; handy for tests and generated data.
            #[must_use]
            pub const fn from_u128(value: u128) -> Self {
                Self(Uuid::from_u128(value))
            }

            /// The UUID inside.
            #[must_use]
            pub const fn as_uuid(&self) -> &Uuid {
                &self.0
            }
        }

        impl From<Uuid> for $name {
            fn from(uuid: Uuid) -> Self {
                Self(uuid)
            }
        }

        impl From<$name> for Uuid {
            fn from(id: $name) -> Self {
                id.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Display::fmt(&self.0, f)
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, concat!(stringify!($name), "({})"), self.0)
            }
        }

        impl FromStr for $name {
            type Err = IdParseError;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Uuid::parse_str(s).map(Self).map_err(|_| IdParseError {
                    kind: $kind,
                    input: s.chars().take(64).collect(),
                })
            }
        }
    )*};
}

ids! {
    /// A customer: the partition key of everything in this crate.
    CustomerId => "customer";
    /// One interaction (a call, an e-mail, a chat, a visit) with a customer.
    InteractionId => "interaction";
    /// A promise made to a customer.
    PromiseId => "promise";
    /// A complaint a customer made.
    ComplaintId => "complaint";
    /// A follow-up contact we owe a customer.
    FollowUpId => "follow-up";
    /// One of our own staff: owns promises, complaints and follow-ups, and receives the flags.
    AgentId => "agent";
    /// A team of our agents with its own queue (a support line, a desk): owns complaints
    /// routed to it before an agent takes them, and receives their flags.
    TeamId => "team";
    /// An outside party (a vendor, a lab, a courier) that fulfils some work for us.
    PartyId => "party";
    /// A satisfaction survey (CSAT or NPS) sent to a customer.
    SurveyId => "survey";
}

impl FollowUpId {
    /// The id of the follow-up a resolution schedules when its command names none: derived
    /// from the complaint and the number of times it had been reopened before that
    /// resolution (0 for the first resolution, 1 after one reopen, ...), so each resolution
    /// of a complaint, across every reopen cycle, has its own.
    ///
    /// The same inputs always give the same id (a retried command schedules the same
    /// follow-up), on every platform and version: the id is recorded in
    /// `follow_up_scheduled`, and replay never derives it again. It is a UUID of version 8
    /// (RFC 9562's custom layout), whose 122 free bits are a fixed mix of the complaint's
    /// UUID and the reopen count, so it never equals an id made by a UUIDv4 or UUIDv7
    /// generator. Should it meet a follow-up id the customer already has (made by the
    /// service with version 8 itself, or one chance in 2<sup>122</sup>), the resolution is
    /// refused with [`DuplicateFollowUp`](crate::CommandError::DuplicateFollowUp) and
    /// changes nothing; name an id with `ResolveComplaint::scheduling` then.
    ///
    /// ```
    /// use clientele::{ComplaintId, FollowUpId};
    ///
    /// let complaint = ComplaintId::from_u128(7);
    /// let first = FollowUpId::after_resolution(complaint, 0);
    /// assert_eq!(first, FollowUpId::after_resolution(complaint, 0)); // deterministic
    /// assert_ne!(first, FollowUpId::after_resolution(complaint, 1)); // after a reopen
    /// assert_eq!(first.as_uuid().get_version_num(), 8);
    /// ```
    #[must_use]
    pub const fn after_resolution(complaint: ComplaintId, reopened: u32) -> Self {
        // Two rounds of xor-shift and multiply by odd constants (each a bijection of u128)
        // over the complaint id xor the spread reopen count; then version 8, RFC variant.
        const SPREAD: u128 = 0x9e37_79b9_7f4a_7c15_f39c_c060_5ced_c835;
        const MIX: u128 = 0xbf58_476d_1ce4_e5b9_94d0_49bb_1331_11eb;
        let mut bits =
            complaint.0.as_u128() ^ (reopened as u128).wrapping_add(1).wrapping_mul(SPREAD);
        bits ^= bits >> 67;
        bits = bits.wrapping_mul(MIX);
        bits ^= bits >> 59;
        bits = bits.wrapping_mul(SPREAD | 1);
        bits ^= bits >> 71;
        let versioned = (bits & !(0xF << 76)) | (0x8 << 76);
        Self(Uuid::from_u128((versioned & !(0x3 << 62)) | (0x2 << 62)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_through_text_and_json() {
        let id = PromiseId::from_u128(0x0191_f3c4_5a6b_7c8d_9e0f_a1b2_c3d4_e5f6);
        let text = id.to_string();
        assert_eq!(text.parse::<PromiseId>().unwrap(), id);
        assert_eq!(serde_json::to_string(&id).unwrap(), format!("\"{text}\""));
        assert_eq!(format!("{id:?}"), format!("PromiseId({text})"));
    }

    #[test]
    fn bad_id_text_names_the_kind() {
        let err = "not-a-uuid".parse::<ComplaintId>().unwrap_err();
        assert_eq!(err.kind, "complaint");
        assert_eq!(
            err.to_string(),
            "invalid complaint id \"not-a-uuid\": expected a UUID"
        );
    }
}
