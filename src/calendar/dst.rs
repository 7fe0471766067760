//! Time-zone transitions: the zone's offsets (a precomputed [`Table`] for 1900–2200, jiff
//! outside it), local times to instants and back, and the working days a daylight-saving
//! shift (or any other change of offset) makes longer or shorter than nominal.

use jiff::Timestamp;
use jiff::tz::{AmbiguousOffset, Offset, TimeZone};

use super::arith::Stop;
use super::compile::Compiled;
use super::{DAY, MARGIN_DAYS};

impl Compiled {
    /// Every day with working time that a transition of the table may shift, and the
    /// days for which that list is complete.
    pub(super) fn shifted_days(&self) -> Option<(Vec<i64>, (i64, i64))> {
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

    /// The first day from `cur` to `land` with working time that a transition may shift,
    /// if any; `transitions` is the walk through the transitions from `a` on, started
    /// when the precomputed list does not cover the days.
    #[inline]
    pub(super) fn shifted_between<'a>(
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
    pub(super) fn instant(&self, civil: i64) -> Option<i64> {
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
    pub(super) fn day_of(&self, t: i64) -> Option<i64> {
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

    /// The one offset that maps every local time of `day` (midnight to midnight), when
    /// the table shows no transition near it.
    pub(super) fn day_offset(&self, day: i64) -> Option<i64> {
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

/// Where [`AffectedDays`] reads transitions from.
enum Source<'a> {
    /// The precomputed table, from this index on.
    Table(usize),
    /// jiff, beyond (or before) the table.
    Jiff(jiff::tz::TimeZoneFollowingTransitions<'a>),
}

/// The local days whose real working time may differ from their nominal working time
/// because a time-zone transition falls in them, in order, each once.
pub(super) struct AffectedDays<'a> {
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
    pub(super) fn new(cal: &'a Compiled, t: i64) -> Option<Self> {
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

    pub(super) fn peek(&mut self) -> Option<i64> {
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

    pub(super) fn advance(&mut self) {
        self.done = self.next;
        self.next += 1;
    }
}

/// A zone's offsets over a window of instants, as segments of constant offset.
#[derive(Debug)]
pub(super) struct Table {
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

    pub(super) fn new(tz: &TimeZone) -> Option<Self> {
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

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;
    use crate::calendar::{Exception, ExceptionKind, WallTime, load_zone};

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
}
