//! Compiling a calendar: its periods, holidays and exceptions validated and turned into the
//! working-time table the arithmetic reads ([`Compiled`]): the week's day schedules with
//! their running totals, and every irregular date with its own schedule.

use chrono::{Datelike, NaiveDate};
use jiff::Timestamp;
use jiff::tz::TimeZone;

use super::dst::Table;
use super::{CalendarError, DAY, Exception, ExceptionKind, Holiday, MARGIN_DAYS, Period};

/// Days between 0001-01-01 (chrono's day 1 from the common era) and 1970-01-01.
const UNIX_EPOCH_FROM_CE: i64 = 719_163;

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
pub(super) struct Compiled {
    pub(super) tz: TimeZone,
    /// The zone's offsets from 1900 to 2200, for lookups without calling into jiff.
    pub(super) table: Option<Table>,
    /// Monday first.
    week: [DaySchedule; 7],
    /// `week_prefix[i]`: nominal seconds of the weekdays before weekday `i` (Monday = 0).
    week_prefix: [i64; 8],
    /// Nominal working seconds in a week.
    pub(super) weekly: i64,
    /// Sorted by day.
    irregular: Vec<Irregular>,
    /// The days of `irregular`, in order: a dense copy for searching.
    pub(super) irregular_days: Vec<i64>,
    /// `prefix[i]`: sum over the first `i` irregular days of (their seconds minus their
    /// weekday's seconds).
    prefix: Vec<i64>,
    /// `irregular_after[i]`: nominal working seconds before the day after irregular day
    /// `i`, that is `nominal_before(irregular_days[i] + 1)`.
    pub(super) irregular_after: Vec<i64>,
    /// The days with working time that a transition of the table may shift (the days
    /// [`AffectedDays`](super::dst::AffectedDays) yields, minus those with no working time), sorted, each once.
    pub(super) shifted: Vec<i64>,
    /// `shifted` lists every such day from `shifted_range.0` to `shifted_range.1`; outside,
    /// the transitions are read one by one.
    pub(super) shifted_range: (i64, i64),
    /// First and last local day the calendar answers for.
    pub(super) min_day: i64,
    pub(super) max_day: i64,
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

pub(super) fn seconds_of(schedule: &[(i64, i64)]) -> i64 {
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
    /// Validates a calendar's parts (periods sorted by weekday and start, holidays by date,
    /// exceptions by date and start) and compiles them.
    pub(super) fn new(
        tz: TimeZone,
        periods: &[Period],
        holidays: &[Holiday],
        exceptions: &[Exception],
    ) -> Result<Self, CalendarError> {
        let week = week_schedules(periods)?;
        let (week_prefix, weekly) = week_totals(&week);
        let (min_day, max_day) = day_range();
        check_dated(holidays, exceptions, weekly)?;
        let (irregular, prefix) =
            irregular_schedules(&week, holidays, exceptions, (min_day, max_day))?;
        for h in holidays {
            day_in_range(h.date, (min_day, max_day))?;
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
        cal.irregular_after = cal.nominal_after_irregular();
        if let Some((shifted, range)) = cal.shifted_days() {
            cal.shifted = shifted;
            cal.shifted_range = range;
        }
        Ok(cal)
    }

    /// The nominal working seconds before the day after each irregular day: the field
    /// `irregular_after`, from the week pattern and `prefix`.
    fn nominal_after_irregular(&self) -> Vec<i64> {
        self.irregular_days
            .iter()
            .zip(self.prefix.iter().skip(1))
            .map(|(&day, &p)| self.weekly_cumulative(day + 1) + p)
            .collect()
    }

    /// The working intervals of local day `day`, given that `before` irregular days
    /// precede it (local seconds from midnight).
    #[inline]
    pub(super) fn schedule_at(&self, day: i64, before: usize) -> &[(i64, i64)] {
        if self.irregular_days.get(before) == Some(&day) {
            return self.irregular.get(before).map_or(&[], |x| &x.schedule);
        }
        self.week.get(weekday_index(day)).map_or(&[], |d| d)
    }

    /// The number of irregular days before `day`.
    #[inline]
    pub(super) fn irregular_before(&self, day: i64) -> usize {
        self.irregular_days.partition_point(|&x| x < day)
    }

    #[inline]
    pub(super) fn prefix_at(&self, i: usize) -> i64 {
        self.prefix.get(i).copied().unwrap_or(0)
    }

    /// The working intervals of local day `day` (local seconds from midnight).
    pub(super) fn schedule(&self, day: i64) -> &[(i64, i64)] {
        match self.irregular_days.binary_search(&day) {
            Ok(i) => self.irregular.get(i).map_or(&[], |x| &x.schedule),
            Err(_) => self.week.get(weekday_index(day)).map_or(&[], |d| d),
        }
    }

    /// Nominal working seconds of the regular week pattern before `day`.
    pub(super) fn weekly_cumulative(&self, day: i64) -> i64 {
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
    pub(super) fn nominal_before(&self, day: i64) -> i64 {
        self.weekly_cumulative(day) + self.prefix_at(self.irregular_before(day))
    }

    /// The smallest day `e` with `weekly_cumulative(e) >= target` (`weekly > 0`).
    pub(super) fn weekly_inverse(&self, target: i64) -> i64 {
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
}

/// The week's working intervals, Monday first, from periods sorted by weekday and start.
///
/// # Errors
/// An empty or inverted period, or two overlapping periods on one weekday.
fn week_schedules(periods: &[Period]) -> Result<[DaySchedule; 7], CalendarError> {
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
    Ok(week.map(merge))
}

/// The nominal seconds of the weekdays before each weekday (`week_prefix`), and of the
/// whole week (`weekly`).
fn week_totals(week: &[DaySchedule; 7]) -> ([i64; 8], i64) {
    let mut week_prefix = [0_i64; 8];
    let mut total = 0;
    for (i, day) in week.iter().enumerate() {
        total += seconds_of(day);
        if let Some(slot) = week_prefix.get_mut(i + 1) {
            *slot = total;
        }
    }
    (week_prefix, total)
}

/// The first and last local day a calendar answers for: jiff's range, less a margin.
fn day_range() -> (i64, i64) {
    (
        Timestamp::MIN.as_second().div_euclid(DAY) + MARGIN_DAYS,
        Timestamp::MAX.as_second().div_euclid(DAY) - MARGIN_DAYS,
    )
}

/// The local day of `date`, if it lies between the first and last day of `range`.
fn day_in_range(date: NaiveDate, (min_day, max_day): (i64, i64)) -> Result<i64, CalendarError> {
    let day = day_number(date);
    if day < min_day || day > max_day {
        return Err(CalendarError::DateOutOfRange { date });
    }
    Ok(day)
}

/// Checks the dated entries (holidays sorted by date, exceptions by date and start), and
/// that the calendar has working time somewhere.
///
/// # Errors
/// A duplicate holiday, an empty, inverted or overlapping exception, or no working time
/// in the week (`weekly` seconds) and no opening exception.
fn check_dated(
    holidays: &[Holiday],
    exceptions: &[Exception],
    weekly: i64,
) -> Result<(), CalendarError> {
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
    Ok(())
}

/// Every date with an active holiday or an exception, in order, with its own schedule;
/// and the running sum of their seconds minus their weekday's (`prefix`).
///
/// # Errors
/// [`CalendarError::DateOutOfRange`] for the first such date outside `range`.
fn irregular_schedules(
    week: &[DaySchedule; 7],
    holidays: &[Holiday],
    exceptions: &[Exception],
    range: (i64, i64),
) -> Result<(Vec<Irregular>, Vec<i64>), CalendarError> {
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
        let day = day_in_range(date, range)?;
        let usual = week.get(weekday_index(day)).cloned().unwrap_or_default();
        let schedule = dated_schedule(&usual, holidays, exceptions, date);
        running += seconds_of(&schedule) - seconds_of(&usual);
        prefix.push(running);
        irregular.push(Irregular { day, schedule });
    }
    Ok((irregular, prefix))
}

/// The working time of `date`: its weekday's (`usual`, or none if an active holiday falls
/// on it), plus its opening exceptions, minus its closing exceptions.
fn dated_schedule(
    usual: &DaySchedule,
    holidays: &[Holiday],
    exceptions: &[Exception],
    date: NaiveDate,
) -> DaySchedule {
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
    schedule
}
