//! How a target ends: [`Outcome`] (met, met late, missed) with its [`Lateness`], and the
//! [`Elapsed`] time it took, in wall-clock and business time. Every family's clocks (response,
//! complaint targets, follow-ups) and the policy's arithmetic share this vocabulary, so it sits
//! below them.

use serde::{Deserialize, Serialize};

use crate::value::Span;

/// Time taken, in wall-clock and in business time (on the calendar the target runs on).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Elapsed {
    /// Wall-clock time.
    pub wall: Span,
    /// Business time.
    pub business: Span,
}

/// How late something was: the time from its due instant to when it was done.
pub type Lateness = Elapsed;

/// How a target ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum Outcome {
    /// Done by the due instant.
    Met,
    /// Done, after the due instant.
    MetLate {
        /// By how much.
        lateness: Lateness,
    },
    /// Never done: the target was abandoned after its due instant passed.
    Missed {
        /// How late it was when abandoned.
        lateness: Lateness,
    },
}

impl Outcome {
    /// Whether the target was met on time.
    #[must_use]
    pub const fn on_time(&self) -> bool {
        matches!(self, Outcome::Met)
    }
}
