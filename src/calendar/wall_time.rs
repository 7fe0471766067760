//! [`WallTime`]: a local time of day, to the second, read and written as `HH:MM[:SS]`.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::CalendarError;

/// A local wall-clock time of day, from `00:00` to `24:00` inclusive, to the second.
///
/// `24:00` ([`WallTime::END_OF_DAY`]) is only meaningful as the end of a period. It reads
/// and writes as `HH:MM`, or `HH:MM:SS` when the seconds are not zero.
///
/// ```
/// use clientele::calendar::WallTime;
///
/// let t: WallTime = "13:30".parse()?;
/// assert_eq!(t, WallTime::hms(13, 30, 0)?);
/// assert_eq!(t.to_string(), "13:30");
/// assert_eq!("24:00".parse::<WallTime>()?, WallTime::END_OF_DAY);
/// # Ok::<(), clientele::CalendarError>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct WallTime(u32);

impl WallTime {
    /// Midnight at the start of a day, `00:00`.
    pub const MIDNIGHT: WallTime = WallTime(0);
    /// Midnight at the end of a day, `24:00`.
    pub const END_OF_DAY: WallTime = WallTime(86_400);

    /// The wall-clock time `hour:minute:second`.
    ///
    /// # Errors
    /// [`CalendarError::InvalidWallTime`] unless `hour < 24`, `minute < 60`, `second < 60`,
    /// or the time is exactly `24:00:00`.
    ///
    /// ```
    /// use clientele::calendar::WallTime;
    /// assert_eq!(WallTime::hms(24, 0, 0)?, WallTime::END_OF_DAY);
    /// assert!(WallTime::hms(24, 0, 1).is_err());
    /// # Ok::<(), clientele::CalendarError>(())
    /// ```
    pub fn hms(hour: u8, minute: u8, second: u8) -> Result<Self, CalendarError> {
        let ok =
            (hour < 24 && minute < 60 && second < 60) || (hour == 24 && minute == 0 && second == 0);
        if !ok {
            return Err(CalendarError::InvalidWallTime {
                text: format!("{hour:02}:{minute:02}:{second:02}"),
            });
        }
        Ok(WallTime(
            u32::from(hour) * 3600 + u32::from(minute) * 60 + u32::from(second),
        ))
    }

    /// The wall-clock time `hour:minute`.
    ///
    /// # Errors
    /// As [`WallTime::hms`].
    ///
    /// ```
    /// use clientele::calendar::WallTime;
    /// assert_eq!(WallTime::hm(9, 30)?.seconds_from_midnight(), 34_200);
    /// # Ok::<(), clientele::CalendarError>(())
    /// ```
    pub fn hm(hour: u8, minute: u8) -> Result<Self, CalendarError> {
        Self::hms(hour, minute, 0)
    }

    /// Seconds since the start of the day, `0..=86_400`.
    ///
    /// ```
    /// use clientele::calendar::WallTime;
    /// assert_eq!(WallTime::END_OF_DAY.seconds_from_midnight(), 86_400);
    /// ```
    #[must_use]
    pub const fn seconds_from_midnight(self) -> u32 {
        self.0
    }

    pub(super) fn secs(self) -> i64 {
        i64::from(self.0)
    }
}

impl fmt::Display for WallTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (h, m, s) = (self.0 / 3600, self.0 / 60 % 60, self.0 % 60);
        if s == 0 {
            write!(f, "{h:02}:{m:02}")
        } else {
            write!(f, "{h:02}:{m:02}:{s:02}")
        }
    }
}

impl fmt::Debug for WallTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl FromStr for WallTime {
    type Err = CalendarError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let bad = || CalendarError::InvalidWallTime {
            text: text.to_owned(),
        };
        let field = |part: Option<&str>| -> Result<u8, CalendarError> {
            match part {
                Some(p) if p.len() == 2 && p.bytes().all(|b| b.is_ascii_digit()) => {
                    p.parse().map_err(|_| bad())
                }
                _ => Err(bad()),
            }
        };
        let mut parts = text.split(':');
        let hour = field(parts.next())?;
        let minute = field(parts.next())?;
        let second = match parts.next() {
            None => 0,
            some => field(some)?,
        };
        if parts.next().is_some() {
            return Err(bad());
        }
        Self::hms(hour, minute, second).map_err(|_| bad())
    }
}

impl TryFrom<String> for WallTime {
    type Error = CalendarError;

    fn try_from(text: String) -> Result<Self, Self::Error> {
        text.parse()
    }
}

impl From<WallTime> for String {
    fn from(t: WallTime) -> String {
        t.to_string()
    }
}
