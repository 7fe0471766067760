//! Business-time arithmetic: `add` and `between` for spans from 1 h to 4000 h on a
//! Europe/Berlin Monday–Friday 09:00–17:00 calendar with about ten holidays a year, next to
//! the same cases run through the `workclock` crate.

#![allow(
    clippy::unwrap_used,
    reason = "benchmark setup: a failure should stop the run"
)]

use std::hint::black_box;

use chrono::{DateTime, NaiveDate, Utc};
use clientele::calendar::WallTime;
use clientele::{ServiceCalendar, Span};
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use jiff::SignedDuration;

/// German federal holidays, 2026 to 2030.
const HOLIDAYS: &[(i32, u32, u32)] = &[
    (2026, 1, 1),
    (2026, 4, 3),
    (2026, 4, 6),
    (2026, 5, 1),
    (2026, 5, 14),
    (2026, 5, 25),
    (2026, 10, 3),
    (2026, 12, 25),
    (2026, 12, 26),
    (2027, 1, 1),
    (2027, 3, 26),
    (2027, 3, 29),
    (2027, 5, 1),
    (2027, 5, 6),
    (2027, 5, 17),
    (2027, 10, 3),
    (2027, 12, 25),
    (2027, 12, 26),
    (2028, 1, 1),
    (2028, 4, 14),
    (2028, 4, 17),
    (2028, 5, 1),
    (2028, 5, 25),
    (2028, 6, 5),
    (2028, 10, 3),
    (2028, 12, 25),
    (2028, 12, 26),
    (2029, 1, 1),
    (2029, 3, 30),
    (2029, 4, 2),
    (2029, 5, 1),
    (2029, 5, 10),
    (2029, 5, 21),
    (2029, 10, 3),
    (2029, 12, 25),
    (2029, 12, 26),
    (2030, 1, 1),
    (2030, 4, 19),
    (2030, 4, 22),
    (2030, 5, 1),
    (2030, 5, 30),
    (2030, 6, 10),
    (2030, 10, 3),
    (2030, 12, 25),
    (2030, 12, 26),
];

const HOURS: [u16; 5] = [1, 8, 40, 400, 4000];

fn ours() -> ServiceCalendar {
    let mut b = ServiceCalendar::builder("Europe/Berlin")
        .unwrap()
        .weekdays(WallTime::hm(9, 0).unwrap(), WallTime::hm(17, 0).unwrap());
    for &(y, m, d) in HOLIDAYS {
        b = b.holiday(NaiveDate::from_ymd_opt(y, m, d).unwrap(), "holiday");
    }
    b.build().unwrap()
}

fn theirs() -> workclock::Schedule {
    use workclock::{Holidays, Schedule, Weekdays, WorkDay};
    let dates = HOLIDAYS
        .iter()
        .map(|&(y, m, d)| jiff::civil::date(y as i16, m as i8, d as i8));
    Schedule::builder()
        .time_zone("Europe/Berlin")
        .rule(WorkDay::new(
            jiff::civil::time(9, 0, 0, 0),
            jiff::civil::time(17, 0, 0, 0),
            Weekdays::MON_TO_FRI,
        ))
        .rule(Holidays::new(dates))
        .build()
        .unwrap()
}

fn bench(c: &mut Criterion) {
    let cal = ours();
    let wc = theirs();
    // Tuesday 2026-02-03 10:17 in Berlin.
    let start: DateTime<Utc> = "2026-02-03T09:17:00Z".parse().unwrap();
    let start_ts: jiff::Timestamp = "2026-02-03T09:17:00Z".parse().unwrap();

    let mut group = c.benchmark_group("calendar");
    for hours in HOURS {
        let span = Span::hours(hours);
        let end = cal.add(start, span).unwrap();
        let end_ts = jiff::Timestamp::from_second(end.timestamp()).unwrap();
        let duration = SignedDuration::from_hours(i64::from(hours));
        // Both libraries agree on every case.
        assert_eq!(wc.add(start_ts, duration).unwrap(), end_ts);
        assert_eq!(wc.between(start_ts, end_ts), duration);
        assert_eq!(cal.between(start, end).unwrap(), span);

        group.bench_with_input(BenchmarkId::new("add/clientele", hours), &span, |b, &s| {
            b.iter(|| cal.add(black_box(start), black_box(s)).unwrap())
        });
        group.bench_with_input(
            BenchmarkId::new("add/workclock", hours),
            &duration,
            |b, &d| b.iter(|| wc.add(black_box(start_ts), black_box(d)).unwrap()),
        );
        group.bench_with_input(
            BenchmarkId::new("between/clientele", hours),
            &end,
            |b, &e| b.iter(|| cal.between(black_box(start), black_box(e)).unwrap()),
        );
        group.bench_with_input(
            BenchmarkId::new("between/workclock", hours),
            &end_ts,
            |b, &e| b.iter(|| wc.between(black_box(start_ts), black_box(e))),
        );
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
