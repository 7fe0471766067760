//! The instants at which the score can change with no new fact, read lazily: each of the
//! record's sequences is already sorted by time, so the instants are a merge of up to seven
//! sorted streams (the counted facts, the answers and the bad experiences, each shifted by
//! half a window and by a window; the bad experiences shifted by the customer's quiet span),
//! taken one at a time. A band review stops at the first instant that moves the band and never
//! reads the rest.
//!
//! # Targets met that move nothing
//! A response target met only adds to the targets counted. With no target missed in the
//! window (and the customer not waiting past the deadline, which counts as one missed), the
//! share of targets missed is nought however many were met, and "most missed" cannot hold:
//! such a target leaving the window, or its recent half, moves no signal. [`Targets::Moving`]
//! leaves those instants out, jumping by binary search to the next counted fact that is not a
//! target met: a busy customer whose window holds only targets met costs O(log n), not one
//! score per fact. While a target missed is in the window, the targets met are all given.

use chrono::{DateTime, TimeDelta, Utc};

use crate::health::HealthPolicy;
use crate::health::record::{Counts, Record};
use crate::health::score::quiet_span;

/// Which instants of targets met [`changes`] gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Targets {
    /// Every one: the instants at which the record's window changes.
    All,
    /// Only those at which the window holds a target missed, the others moving no signal.
    /// Only when the customer is not waiting past the deadline and every fact is recorded by
    /// the first instant asked for: no fact enters the window later.
    Moving,
}

/// Which of the record's sequences a stream reads.
#[derive(Debug, Clone, Copy)]
enum Source {
    Counted,
    Answers,
    Bad,
}

/// The instants of one of the record's sequences in index range `next..end`, each shifted by
/// `offset` (which is never negative, so the shifted instants stay in order).
#[derive(Debug, Clone, Copy)]
struct Stream {
    source: Source,
    offset: TimeDelta,
    next: usize,
    end: usize,
    /// Counted entries before this index may move a signal: not asked again.
    moving: usize,
}

impl Stream {
    /// The stream of `source`'s instants in `[from − offset, until − offset]`; none when either
    /// bound is out of range.
    fn new(
        record: &Record,
        source: Source,
        offset: TimeDelta,
        (from, until): (DateTime<Utc>, DateTime<Utc>),
    ) -> Option<Self> {
        let lo = from.checked_sub_signed(offset)?;
        let hi = until.checked_sub_signed(offset)?;
        let (next, end) = match source {
            Source::Counted => {
                let seq = record.counted();
                (
                    seq.partition_point(|(at, _)| *at < lo),
                    seq.partition_point(|(at, _)| *at <= hi),
                )
            }
            Source::Answers => {
                let seq = record.answers();
                (
                    seq.partition_point(|(at, _)| *at < lo),
                    seq.partition_point(|(at, _)| *at <= hi),
                )
            }
            Source::Bad => {
                let seq = record.bad();
                (
                    seq.partition_point(|at| *at < lo),
                    seq.partition_point(|at| *at <= hi),
                )
            }
        };
        Some(Self {
            source,
            offset,
            next,
            end,
            moving: 0,
        })
    }

    /// The instant of entry `i`, unshifted.
    fn at(&self, record: &Record, i: usize) -> Option<DateTime<Utc>> {
        match self.source {
            Source::Counted => record.counted().get(i).map(|(at, _)| *at),
            Source::Answers => record.answers().get(i).map(|(at, _)| *at),
            Source::Bad => record.bad().get(i).copied(),
        }
    }

    /// The next instant, shifted, within `[from, until]`; `unmoved` (asked of counted entries
    /// only) as [`unmoved`].
    fn next(
        &mut self,
        record: &Record,
        (from, until): (DateTime<Utc>, DateTime<Utc>),
        unmoved: impl Fn(usize, DateTime<Utc>) -> Result<usize, usize>,
    ) -> Option<DateTime<Utc>> {
        while self.next < self.end {
            let i = self.next;
            self.next = i.saturating_add(1);
            let Some(at) = self
                .at(record, i)
                .and_then(|at| at.checked_add_signed(self.offset))
            else {
                continue;
            };
            if matches!(self.source, Source::Counted) && i >= self.moving {
                match unmoved(i, at) {
                    Ok(on) => {
                        self.next = on.max(self.next);
                        continue;
                    }
                    Err(moving) => self.moving = moving,
                }
            }
            if at > until {
                self.end = i;
                return None;
            }
            if at >= from {
                return Some(at);
            }
        }
        None
    }
}

/// The instants in `[from, until]` at which the score can change with no new fact (a fact
/// moving into the older half of the window, a fact leaving it, a bad experience turning into
/// silence), in order and without repeats, read one at a time. Targets met that move nothing
/// are left out under [`Targets::Moving`]. O(log n) to start, then O(1) per instant given (and
/// O(log n) per run of targets met left out).
pub(crate) fn changes<'a>(
    policy: &HealthPolicy,
    record: &'a Record,
    (from, until): (DateTime<Utc>, DateTime<Utc>),
    targets: Targets,
) -> Changes<'a> {
    let span = policy.window.to_time_delta();
    let mut streams = [None; 7];
    let shifts = [span / 2, span]
        .into_iter()
        .flat_map(|o| [(Source::Counted, o), (Source::Answers, o), (Source::Bad, o)])
        .chain(quiet_span(&policy.quiet, record, until).map(|quiet| (Source::Bad, quiet)));
    for (slot, (source, offset)) in streams.iter_mut().zip(shifts) {
        *slot = Stream::new(record, source, offset, (from, until));
    }
    let mut changes = Changes {
        record,
        span,
        bounds: (from, until),
        targets,
        streams,
        heads: [None; 7],
    };
    for i in 0..changes.streams.len() {
        changes.advance(i);
    }
    changes
}

/// The instants [`changes`] gives: the heads of the streams, the least first.
#[derive(Debug, Clone)]
pub(crate) struct Changes<'a> {
    record: &'a Record,
    /// The window's length.
    span: TimeDelta,
    bounds: (DateTime<Utc>, DateTime<Utc>),
    targets: Targets,
    streams: [Option<Stream>; 7],
    heads: [Option<DateTime<Utc>>; 7],
}

impl Changes<'_> {
    /// Moves stream `i` to its next instant.
    fn advance(&mut self, i: usize) {
        let (record, span, targets, bounds) = (self.record, self.span, self.targets, self.bounds);
        let head = self.streams.get_mut(i).and_then(|stream| {
            let stream = stream.as_mut()?;
            let offset = stream.offset;
            stream.next(record, bounds, |entry, at| match targets {
                Targets::All => Err(usize::MAX),
                Targets::Moving => unmoved(record, span, offset, (entry, at)),
            })
        });
        if let Some(slot) = self.heads.get_mut(i) {
            *slot = head;
        }
    }
}

impl Iterator for Changes<'_> {
    type Item = DateTime<Utc>;

    fn next(&mut self) -> Option<DateTime<Utc>> {
        let least = self.heads.iter().flatten().min().copied()?;
        for i in 0..self.heads.len() {
            // A stream may hold the same instant more than once (facts at one instant).
            while self.heads.get(i).copied().flatten() == Some(least) {
                self.advance(i);
            }
        }
        Some(least)
    }
}

/// The totals of the counted facts up to and including `t`.
fn totals_upto(record: &Record, t: DateTime<Utc>) -> Counts {
    let counted = record.counted();
    counted
        .partition_point(|(at, _)| *at <= t)
        .checked_sub(1)
        .and_then(|i| counted.get(i))
        .map_or(Counts::default(), |(_, c)| *c)
}

/// Whether counted entry `entry` (shifted by `offset` to instant `at`) moves no signal: a
/// target met, with no target missed in the window ending at `at`. `Ok`: the index of the next
/// entry that is not a target met; every entry before it moves none (under
/// [`Targets::Moving`] no target missed comes later). `Err`: the index up to
/// which the entries may move one and need no asking (at least the one after `entry`).
fn unmoved(
    record: &Record,
    span: TimeDelta,
    offset: TimeDelta,
    (entry, at): (usize, DateTime<Utc>),
) -> Result<usize, usize> {
    let next = entry.saturating_add(1);
    let counted = record.counted();
    let (Some((_, after)), Some((_, before))) = (
        counted.get(entry),
        entry.checked_sub(1).and_then(|i| counted.get(i)),
    ) else {
        return Err(next);
    };
    if after.missed != before.missed || after.breaks != before.breaks {
        return Err(next);
    }
    // The window `(at − span, at]`, counted as the score counts it.
    let Some(start) = at.checked_sub_signed(span) else {
        return Err(next);
    };
    let base = totals_upto(record, start).missed;
    let end = totals_upto(record, at).missed;
    if end != base {
        // The latest target missed by `at` stays in the window until `at` is a window past it.
        let latest = counted.partition_point(|(_, c)| c.missed < end);
        let until = counted
            .get(latest)
            .and_then(|(t, _)| t.checked_add_signed(span)?.checked_sub_signed(offset));
        return Err(until.map_or(next, |u| counted.partition_point(|(t, _)| *t < u).max(next)));
    }
    // Every fact is recorded by the review's start (see [`Targets::Moving`]), so no target
    // missed comes after the window's start: until the next entry that is not a target met,
    // every later window holds none.
    let same =
        counted.partition_point(|(_, c)| c.missed <= after.missed && c.breaks <= after.breaks);
    Ok(same.max(next))
}
