//! Service calendars: when the service team is at work, so targets can be measured in
//! business time.
//!
//! This first version is always open (business time equals wall-clock time); the seam is
//! [`ServiceCalendar::add`] and [`ServiceCalendar::between`], which every clock goes through.

use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

use crate::Span;

/// A calendar could not be built or could not answer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CalendarError {
    /// The result would fall outside the instants chrono can represent.
    #[error("business-time arithmetic from {from} leaves the representable range")]
    OutOfRange {
        /// Where the computation started.
        from: DateTime<Utc>,
    },
}

/// When the service team works. The default is always open.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceCalendar {}

impl ServiceCalendar {
    /// A calendar that never closes: business time is wall-clock time.
    #[must_use]
    pub fn always_open() -> Self {
        Self {}
    }

    /// Whether the team is at work at `t`.
    ///
    /// # Errors
    /// Never, for this calendar.
    pub fn is_open(&self, _t: DateTime<Utc>) -> Result<bool, CalendarError> {
        Ok(true)
    }

    /// The first instant at or after `t` when the team is at work, or `None` if it never is.
    ///
    /// # Errors
    /// Never, for this calendar.
    pub fn next_open(&self, t: DateTime<Utc>) -> Result<Option<DateTime<Utc>>, CalendarError> {
        Ok(Some(t))
    }

    /// The instant at which `business` of working time has passed after `start`.
    ///
    /// # Errors
    /// [`CalendarError::OutOfRange`] when the result cannot be represented.
    pub fn add(
        &self,
        start: DateTime<Utc>,
        business: Span,
    ) -> Result<DateTime<Utc>, CalendarError> {
        start
            .checked_add_signed(business.to_time_delta())
            .ok_or(CalendarError::OutOfRange { from: start })
    }

    /// The working time between `a` and `b`; zero when `b` is not after `a`.
    ///
    /// # Errors
    /// [`CalendarError::OutOfRange`] when the span exceeds [`Span::MAX`].
    pub fn between(&self, a: DateTime<Utc>, b: DateTime<Utc>) -> Result<Span, CalendarError> {
        if b <= a {
            return Ok(Span::ZERO);
        }
        let delta: TimeDelta = b.signed_duration_since(a);
        Span::try_from(delta).map_err(|_| CalendarError::OutOfRange { from: a })
    }
}
