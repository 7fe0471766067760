//! Business-time arithmetic on a [`Compiled`] calendar, in whole seconds: whether an
//! instant is open, the working time between two instants, and the earliest instant by
//! which a working time has passed.

use chrono::{DateTime, Utc};

use super::DAY;
use super::compile::{Compiled, seconds_of};
use super::dst::AffectedDays;

impl Compiled {
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

    pub(super) fn is_open(&self, t: i64) -> Option<bool> {
        let day = self.day_of(t)?;
        for interval in self.intervals(day) {
            let (s, e) = interval?;
            if s <= t && t < e {
                return Some(true);
            }
        }
        Some(false)
    }

    #[inline]
    pub(super) fn supports(&self, t: i64) -> bool {
        t >= (self.min_day + 1) * DAY && t < (self.max_day - 1) * DAY
    }

    /// Business seconds in `[a, b)`, `a < b`, both supported.
    #[inline]
    pub(super) fn between(&self, a: i64, b: i64) -> Option<i64> {
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
    pub(super) fn add(&self, a: i64, d: i64) -> Result<i64, Stop> {
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

/// Why [`Compiled::add`] stopped without an answer.
pub(super) enum Stop {
    Range,
    NoWorkingTime,
}

/// An instant as whole seconds and nanoseconds.
#[inline]
pub(super) fn split(t: DateTime<Utc>) -> (i64, u32) {
    (t.timestamp(), t.timestamp_subsec_nanos())
}

#[inline]
pub(super) fn join(secs: i64, nanos: u32) -> Option<DateTime<Utc>> {
    DateTime::from_timestamp(secs, nanos)
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use chrono::{NaiveDate, Weekday};

    use super::*;
    use crate::calendar::{Holiday, ServiceCalendar, WallTime, load_zone};

    fn key(r: Result<i64, Stop>) -> Result<i64, u8> {
        r.map_err(|s| match s {
            Stop::Range => 0,
            Stop::NoWorkingTime => 1,
        })
    }

    /// A linear congruential generator: the same draws on every run.
    struct Lcg(u64);

    impl Lcg {
        /// A draw in `0..n`.
        fn below(&mut self, n: u64) -> u64 {
            self.0 = self
                .0
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (self.0 >> 33) % n
        }
    }

    /// A random calendar in `zone`: a day pattern per weekday, and holidays (some switched
    /// off) and exceptions over about eleven years from a random base year, returned too.
    fn random_calendar(rnd: &mut Lcg, zone: &str) -> (ServiceCalendar, i32) {
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
        let mut b = ServiceCalendar::builder(zone).unwrap();
        let mut any = false;
        for day in week {
            let p = patterns[rnd.below(6) as usize];
            for &(h1, m1, h2, m2) in p {
                any = true;
                b = b.period(
                    day,
                    WallTime::hm(h1, m1).unwrap(),
                    WallTime::hm(h2, m2).unwrap(),
                );
            }
        }
        if !any || rnd.below(5) == 0 {
            b = b.open(
                NaiveDate::from_ymd_opt(2030, 3, 3).unwrap(),
                WallTime::hm(1, 0).unwrap(),
                WallTime::hm(5, 0).unwrap(),
            );
        }
        let base_year = [1850, 1905, 2000, 2024, 2190, 2199, 3000][rnd.below(7) as usize];
        let mut used = HashSet::new();
        for _ in 0..rnd.below(60) {
            let date = NaiveDate::from_ymd_opt(base_year, 1, 1).unwrap()
                + chrono::Days::new(rnd.below(4000));
            if !used.insert(date) {
                continue;
            }
            if rnd.below(3) == 0 {
                let s = rnd.below(40) as u8;
                let e = (s + 1 + rnd.below(8) as u8).min(48);
                let ws = WallTime::hms(s / 2, s % 2 * 30, 0).unwrap();
                let we = WallTime::hms(e / 2, e % 2 * 30, 0).unwrap();
                b = if rnd.below(2) == 0 {
                    b.open(date, ws, we)
                } else {
                    b.close(date, ws, we)
                };
            } else {
                let h = Holiday::new(date, "h");
                b = b.with_holiday(if rnd.below(4) == 0 {
                    h.switched_off()
                } else {
                    h
                });
            }
        }
        (b.build().unwrap(), base_year)
    }

    /// `add` and `between` give the same answers whether the shifted working days come from the
    /// precomputed list or from walking the transitions one by one, across random
    /// calendars, zones and centuries (inside and outside the table).
    #[test]
    fn shifted_list_matches_walked_transitions() {
        let mut rnd = Lcg(0x1234_5678_9abc_def0);
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
        let mut checked = 0;
        for round in 0..300 {
            let zone = zones[round % zones.len()];
            let (cal, base_year) = random_calendar(&mut rnd, zone);
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
                let a = start - 86_400 * 30 + rnd.below(86_400 * 4500) as i64;
                let d = match rnd.below(4) {
                    0 => 1 + rnd.below(86_400) as i64,
                    1 => 1 + rnd.below(86_400 * 30) as i64,
                    2 => 1 + rnd.below(86_400 * 1000) as i64,
                    _ => 1 + rnd.below(3600 * 20) as i64,
                };
                assert_eq!(key(c.add(a, d)), key(slow.add(a, d)), "{zone} {a} {d}");
                let b = a + d * i64::try_from(rnd.below(3)).unwrap();
                assert_eq!(c.between(a, b), slow.between(a, b), "{zone} {a} {b}");
                checked += 1;
            }
        }
        assert!(checked > 0);
    }
}
