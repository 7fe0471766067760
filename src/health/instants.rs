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
//! such a target leaving the window, or its recent half, moves no signal. When every fact is
//! recorded by the first instant asked for (as from the latest recording time on), no target
//! missed enters the window later, so from a window after the latest one no window holds any:
//! [`Targets::Moving`] ends the streams of counted facts there (found by binary search). The
//! other counted facts (targets missed, promises broken) are bad experiences, whose streams
//! give the same instants. A busy customer whose window holds only targets met costs
//! O(log n), not one score per fact.

use chrono::{DateTime, TimeDelta, Utc};

use crate::health::HealthPolicy;
use crate::health::record::Record;
use crate::health::score::quiet_span;

/// Which instants of targets met [`changes`] gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Targets {
    /// Every one: the instants at which the record's window changes.
    All,
    /// Only those at which the window may hold a target missed, the others moving no signal.
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
/// `offset` (one offset for all keeps them in order).
#[derive(Debug, Clone, Copy)]
struct Stream {
    source: Source,
    offset: TimeDelta,
    next: usize,
    end: usize,
}

impl Stream {
    /// The stream of `source`'s instants in `[lo, hi]` (`from − offset` and `until − offset`,
    /// [`Shifted`]): from the earliest instant when `lo` is before it (a fact of the first
    /// days of time still leaves the window), none when `hi` is (no instant shifted lands by
    /// `until`) or no instant is at or before it. Only the start is searched for:
    /// [`next`](Self::next) ends the stream at its first instant past `until` (a review mostly
    /// stops well before).
    fn new(record: &Record, source: Source, shifted: Shifted) -> Option<Self> {
        let len = match source {
            Source::Counted => record.counted().len(),
            Source::Answers => record.answers().len(),
            Source::Bad => record.bad().len(),
        };
        if len == 0 {
            // Most records hold few facts: an empty sequence costs no date arithmetic.
            return None;
        }
        let Shifted { offset, lo, hi } = shifted;
        let hi = hi?;
        let next = match source {
            Source::Counted => record.counted().partition_point(|(at, _)| *at < lo),
            Source::Answers => record.answers().partition_point(|(at, _)| *at < lo),
            Source::Bad => record.bad().partition_point(|at| *at < lo),
        };
        let stream = Self {
            source,
            offset,
            next,
            end: len,
        };
        // A stream whose first instant lands past `until` gives nothing: dropped by a
        // comparison, not read by shifting its head (the usual case of a review up to a clock
        // deadline hours away, with a window of weeks).
        stream.at(record, next).filter(|at| *at <= hi)?;
        Some(stream)
    }

    /// The instant of entry `i`, unshifted.
    fn at(&self, record: &Record, i: usize) -> Option<DateTime<Utc>> {
        match self.source {
            Source::Counted => record.counted().get(i).map(|(at, _)| *at),
            Source::Answers => record.answers().get(i).map(|(at, _)| *at),
            Source::Bad => record.bad().get(i).copied(),
        }
    }

    /// Ends the stream (of counted facts) at the first entry whose instant is at or after
    /// `stop`.
    fn stop_at(&mut self, record: &Record, stop: DateTime<Utc>) {
        let before = stop
            .checked_sub_signed(self.offset)
            .map_or(0, |t| record.counted().partition_point(|(at, _)| *at < t));
        self.end = self.end.min(before.max(self.next));
    }

    /// The next instant, shifted, within `[from, until]`.
    fn next(
        &mut self,
        record: &Record,
        (from, until): (DateTime<Utc>, DateTime<Utc>),
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

/// A shift of the record's instants, with the bounds of the instants it lands in
/// `[from, until]`, worked out once for the streams that share it (date arithmetic is most of
/// what setting up the streams costs).
#[derive(Debug, Clone, Copy)]
struct Shifted {
    offset: TimeDelta,
    /// `from − offset`, or the start of time.
    lo: DateTime<Utc>,
    /// `until − offset`; `None`: before the start of time, so nothing shifted lands by `until`.
    hi: Option<DateTime<Utc>>,
}

impl Shifted {
    fn new(offset: TimeDelta, (from, until): (DateTime<Utc>, DateTime<Utc>)) -> Self {
        Self {
            offset,
            lo: from
                .checked_sub_signed(offset)
                .unwrap_or(DateTime::<Utc>::MIN_UTC),
            hi: until.checked_sub_signed(offset),
        }
    }
}

/// Under [`Targets::Moving`], the instant from which no window holds a target missed (as the
/// score counts them: by the totals): a window after the entry at which the missed total
/// reaches its last value; the earliest instant when none was missed. `None`: no such bound.
fn targets_missed_leave(record: &Record, span: TimeDelta) -> Option<DateTime<Utc>> {
    let counted = record.counted();
    let total = counted.iter().next_back().map_or(0, |(_, c)| c.missed);
    if total == 0 {
        return Some(DateTime::<Utc>::MIN_UTC);
    }
    let latest = counted.partition_point(|(_, c)| c.missed < total);
    counted.get(latest)?.0.checked_add_signed(span)
}

/// Whether [`changes`] gives no instant at or before `until`, told without setting up its
/// streams: with no bad experience (whose shift by the customer's quiet span may be short),
/// every instant is a fact shifted by at least half a window, so none lands by `until` when
/// the earliest fact is later than `until` less half a window (as when a new customer's
/// health is reviewed up to a clock deadline hours away). One date subtraction, where the
/// streams take several.
pub(crate) fn none_by(policy: &HealthPolicy, record: &Record, until: DateTime<Utc>) -> bool {
    if record.bad().len() != 0 {
        return false;
    }
    let counted = record.counted().get(0).map(|(at, _)| *at);
    let answers = record.answers().get(0).map(|(at, _)| *at);
    let Some(first) = counted.into_iter().chain(answers).min() else {
        // No fact at all (a customer just registered): no date arithmetic.
        return true;
    };
    let span = policy.window.to_time_delta();
    // The least shift (a window is never negative; `min` keeps this true if one were). Before
    // the start of time: no fact shifted lands by `until`.
    until
        .checked_sub_signed((span / 2).min(span))
        .is_none_or(|hi| first > hi)
}

/// The instants in `[from, until]` at which the score can change with no new fact (a fact
/// moving into the older half of the window, a fact leaving it, a bad experience turning into
/// silence), in order and without repeats, read one at a time. Targets met that move nothing
/// are left out under [`Targets::Moving`]. O(log n) to start, then O(1) per instant given.
pub(crate) fn changes<'a>(
    policy: &HealthPolicy,
    record: &'a Record,
    (from, until): (DateTime<Utc>, DateTime<Utc>),
    targets: Targets,
) -> Changes<'a> {
    let span = policy.window.to_time_delta();
    let mut streams = [None; 7];
    let bounds = (from, until);
    // The quiet span shifts only the bad experiences: not worked out when there is none.
    let quiet = if record.bad().len() == 0 {
        None
    } else {
        quiet_span(&policy.quiet, record, until)
    };
    let shifts = [span / 2, span]
        .into_iter()
        .flat_map(|o| {
            let shifted = Shifted::new(o, bounds);
            [Source::Counted, Source::Answers, Source::Bad].map(|source| (source, shifted))
        })
        .chain(quiet.map(|quiet| (Source::Bad, Shifted::new(quiet, bounds))));
    let stop = match targets {
        Targets::All => None,
        Targets::Moving => targets_missed_leave(record, span),
    };
    for (slot, (source, shifted)) in streams.iter_mut().zip(shifts) {
        *slot = Stream::new(record, source, shifted).map(|mut stream| {
            if let (Source::Counted, Some(stop)) = (source, stop) {
                stream.stop_at(record, stop);
            }
            stream
        });
    }
    let mut changes = Changes {
        record,
        bounds: (from, until),
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
    bounds: (DateTime<Utc>, DateTime<Utc>),
    streams: [Option<Stream>; 7],
    heads: [Option<DateTime<Utc>>; 7],
}

impl Changes<'_> {
    /// Moves stream `i` to its next instant.
    fn advance(&mut self, i: usize) {
        let (record, bounds) = (self.record, self.bounds);
        let head = self
            .streams
            .get_mut(i)
            .and_then(|stream| stream.as_mut()?.next(record, bounds));
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
