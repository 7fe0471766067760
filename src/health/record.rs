//! The facts health reads, each with the instant it happened: a time-windowed record kept by
//! the relationship and fed from `apply` (which says what each event means for health), so it holds the same facts after replay, whether
//! or not the items they came from are still held (an archived promise's breaks still count).

use chrono::{DateTime, TimeDelta, Utc};

use std::sync::LazyLock;

use crate::lazy::{self, Lazy};
use crate::shared::{self, Seq};

/// One fact health reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Fact {
    /// A response target met.
    TargetMet,
    /// A response target missed (answered late).
    TargetMissed,
    /// A response or complaint target passed unmet: a bad experience.
    Breach,
    /// A promise broke; `silent` when the customer was not told before.
    Broken {
        /// Broken in silence.
        silent: bool,
    },
    /// The customer answered (a survey, a follow-up): the penalty (per mille) the answer
    /// carries, and whether it is a severe failure on its own (an unsatisfied answer).
    Answer {
        /// Per mille.
        penalty: u16,
        /// Detractor, CSAT 1–2, follow-up not satisfied.
        unsatisfied: bool,
    },
}

impl Fact {
    /// A bad experience the customer's silence is counted from.
    pub(crate) const fn is_bad_experience(self) -> bool {
        matches!(
            self,
            Fact::Breach
                | Fact::TargetMissed
                | Fact::Broken { .. }
                | Fact::Answer {
                    unsatisfied: true,
                    ..
                }
        )
    }
}

/// How far back the record keeps facts: two of the longest window a policy may set
/// ([`MAX_WINDOW_DAYS`]), for the trend's previous window.
const KEPT_DAYS: i64 = 2 * MAX_WINDOW_DAYS;

/// The longest health window a policy may set, in days.
pub const MAX_WINDOW_DAYS: i64 = 366;

/// How many inbound contacts the record keeps for the customer's rhythm: the most a policy's
/// [`QuietPolicy::contacts`](crate::health::QuietPolicy::contacts) may ask for.
pub const MAX_CONTACTS: usize = 16;

/// Running totals of the counted facts, up to and including an entry.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) struct Counts {
    pub(crate) targets: u32,
    pub(crate) missed: u32,
    pub(crate) breaks: u32,
    pub(crate) silent: u32,
}

impl Counts {
    fn plus(self, fact: Fact) -> Self {
        // Saturating: a record read from a hostile snapshot may hold any running counts.
        let mut c = self;
        match fact {
            Fact::TargetMet => c.targets = c.targets.saturating_add(1),
            Fact::TargetMissed => {
                c.targets = c.targets.saturating_add(1);
                c.missed = c.missed.saturating_add(1);
            }
            Fact::Broken { silent } => {
                c.breaks = c.breaks.saturating_add(1);
                c.silent = c.silent.saturating_add(u32::from(silent));
            }
            Fact::Breach | Fact::Answer { .. } => {}
        }
        c
    }

    fn minus(self, other: Self) -> Self {
        Self {
            targets: self.targets.saturating_sub(other.targets),
            missed: self.missed.saturating_sub(other.missed),
            breaks: self.breaks.saturating_sub(other.breaks),
            silent: self.silent.saturating_sub(other.silent),
        }
    }
}

/// The facts health reads, by time, with running totals so that any window is counted in
/// O(log n); the customer's answers, bad experiences and latest inbound contacts. The first
/// three grow with history and are shared between copies of the relationship ([`Seq`]); the
/// answers and bad experiences are boxed, absent while both are empty (most customers).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) struct Record {
    /// Counted facts (targets, breaks), oldest first, each with the totals up to it.
    #[serde(with = "crate::compact::timed")]
    counted: Seq<(DateTime<Utc>, Counts)>,
    verdicts: Lazy<Verdicts>,
    /// Inbound contacts, oldest first, at most [`MAX_CONTACTS`], at their exact size (a
    /// `Vec`'s first growth holds four).
    #[serde(with = "crate::compact::instants")]
    contacts: Box<[DateTime<Utc>]>,
}

/// The customer's answers and bad experiences: 32 bytes, boxed ([`Lazy`]) while either holds
/// one.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
struct Verdicts {
    /// Answers: penalty per mille, unsatisfied.
    #[serde(with = "crate::compact::timed")]
    answers: Seq<(DateTime<Utc>, (u16, bool))>,
    /// Bad experiences, oldest first.
    #[serde(with = "crate::compact::instants")]
    bad: Seq<DateTime<Utc>>,
}

/// No answer and no bad experience: what an absent box reads as.
static NO_VERDICTS: LazyLock<Verdicts> = LazyLock::new(Verdicts::default);

impl lazy::Parts for Verdicts {
    fn none() -> &'static Self {
        &NO_VERDICTS
    }
}

impl Record {
    /// An empty record.
    pub(crate) fn new() -> Self {
        Self {
            counted: Seq::new(),
            verdicts: Lazy::new(),
            contacts: Box::default(),
        }
    }

    /// Folds what this copy wrote into the shared part, if it holds it alone.
    /// Entries written by this copy and not yet folded into the shared parts.
    #[cfg(test)]
    pub(crate) fn unfolded(&self) -> usize {
        let verdicts = self.verdicts.get();
        self.counted.unfolded() + verdicts.answers.unfolded() + verdicts.bad.unfolded()
    }

    pub(crate) fn settle(&mut self) {
        self.counted.settle();
        self.verdicts.change_held(|verdicts| {
            verdicts.answers.settle();
            verdicts.bad.settle();
        });
    }

    /// The latest inbound contacts, oldest first.
    pub(crate) fn contacts(&self) -> &[DateTime<Utc>] {
        &self.contacts
    }

    /// The counted facts, oldest first, each with the totals up to it.
    pub(super) const fn counted(&self) -> &Seq<(DateTime<Utc>, Counts)> {
        &self.counted
    }

    /// The answers, oldest first.
    pub(super) fn answers(&self) -> &Seq<(DateTime<Utc>, (u16, bool))> {
        &self.verdicts.get().answers
    }

    /// The bad experiences, oldest first.
    pub(super) fn bad(&self) -> &Seq<DateTime<Utc>> {
        &self.verdicts.get().bad
    }

    /// The latest instant of any fact or contact recorded.
    pub(crate) fn latest(&self) -> Option<DateTime<Utc>> {
        let counted = self.counted.iter().next_back().map(|(at, _)| *at);
        let answers = self.answers().iter().next_back().map(|(at, _)| *at);
        let bad = self.bad().iter().next_back().copied();
        let contact = self.contacts.last().copied();
        [counted, answers, bad, contact].into_iter().flatten().max()
    }

    /// The instants of the counted facts and answers in `[lo, hi]`.
    #[cfg(test)]
    pub(crate) fn instants(
        &self,
        lo: DateTime<Utc>,
        hi: DateTime<Utc>,
    ) -> impl Iterator<Item = DateTime<Utc>> + '_ {
        let counted = {
            let a = self.counted.partition_point(|(at, _)| *at < lo);
            let b = self.counted.partition_point(|(at, _)| *at <= hi);
            self.counted.range(a, b).map(|(at, _)| *at)
        };
        let answers = {
            let answers = self.answers();
            let a = answers.partition_point(|(at, ..)| *at < lo);
            let b = answers.partition_point(|(at, ..)| *at <= hi);
            answers.range(a, b).map(|(at, ..)| *at)
        };
        counted.chain(answers)
    }

    /// The bad experiences in `[lo, hi]`.
    #[cfg(test)]
    pub(crate) fn bad_between(
        &self,
        lo: DateTime<Utc>,
        hi: DateTime<Utc>,
    ) -> impl Iterator<Item = DateTime<Utc>> + '_ {
        let bad = self.bad();
        let a = bad.partition_point(|at| *at < lo);
        let b = bad.partition_point(|at| *at <= hi);
        bad.range(a, b).copied()
    }

    /// Takes in a fact that happened at `at` (`inbound`: an inbound contact; `fact`: what
    /// else it means for health).
    pub(crate) fn observe(&mut self, at: DateTime<Utc>, fact: Option<Fact>, inbound: bool) {
        if let Some(fact) = fact {
            if fact.is_bad_experience() {
                self.verdicts.change(|verdicts| {
                    let slot = verdicts.bad.partition_point(|t| *t <= at);
                    verdicts.bad.insert(slot, at);
                });
            }
            match fact {
                Fact::Answer {
                    penalty,
                    unsatisfied,
                } => self.verdicts.change(|verdicts| {
                    let slot = verdicts.answers.partition_point(|(t, ..)| *t <= at);
                    verdicts.answers.insert(slot, (at, (penalty, unsatisfied)));
                }),
                Fact::Breach => {}
                Fact::TargetMet | Fact::TargetMissed | Fact::Broken { .. } => {
                    self.count(at, fact);
                }
            }
        }
        if inbound {
            let slot = self.contacts.partition_point(|t| *t <= at);
            if self.contacts.len() < MAX_CONTACTS {
                shared::insert_exact(&mut self.contacts, slot, at);
            } else if let Some(before) = self.contacts.get_mut(..slot)
                && !before.is_empty()
            {
                // Full: the oldest goes (the new one, if it is older still), in place.
                before.rotate_left(1);
                if let Some(last) = before.last_mut() {
                    *last = at;
                }
            }
        }
        self.prune(at);
    }

    /// Counts `fact` at `at`: appended with its totals, or (reported late) inserted with the
    /// totals after it moved on.
    fn count(&mut self, at: DateTime<Utc>, fact: Fact) {
        let slot = self.counted.partition_point(|(t, _)| *t <= at);
        let before = slot
            .checked_sub(1)
            .and_then(|i| self.counted.get(i))
            .map_or(Counts::default(), |(_, c)| *c);
        self.counted.insert(slot, (at, before.plus(fact)));
        let step = before.plus(fact).minus(before);
        self.counted.update_from(slot.saturating_add(1), |(_, c)| {
            c.targets += step.targets;
            c.missed += step.missed;
            c.breaks += step.breaks;
            c.silent += step.silent;
        });
    }

    /// Drops facts no window can reach from `latest` on (the totals stay valid: windows read
    /// differences).
    fn prune(&mut self, latest: DateTime<Utc>) {
        // Nothing to drop (most customers): one counted entry is always kept, and no verdict is
        // held. Checked first, as the horizon's date arithmetic costs more than the rest.
        if self.counted.len() < 2 && !self.verdicts.is_held() {
            return;
        }
        let Some(horizon) = latest.checked_sub_signed(TimeDelta::days(KEPT_DAYS)) else {
            return;
        };
        let old = self.counted.partition_point(|(t, _)| *t <= horizon);
        // Keep one entry at or before the horizon: its totals are the base of later windows.
        self.counted.drop_front(old.saturating_sub(1));
        self.verdicts.change_held(|verdicts| {
            let old = verdicts.answers.partition_point(|(t, ..)| *t <= horizon);
            verdicts.answers.drop_front(old);
            let old = verdicts.bad.partition_point(|t| *t <= horizon);
            verdicts.bad.drop_front(old);
        });
    }
}

/// How many entries a [`Mark`] steps over one by one before it searches instead.
const STEPS: usize = 8;

/// Where `partition_point(|at| at <= t)` fell in one of the record's sequences for the last
/// `t` read. A later `t` moves it forward from there, a few entries one by one, else by a
/// binary search; an earlier `t` (or the first) searches.
#[derive(Debug, Clone, Copy, Default)]
struct Mark(Option<(DateTime<Utc>, usize)>);

impl Mark {
    /// How many entries of `seq` (whose instants `at` reads) are at or before `t`.
    fn upto<T: Clone>(
        &mut self,
        seq: &Seq<T>,
        at: impl Fn(&T) -> DateTime<Utc>,
        t: DateTime<Utc>,
    ) -> usize {
        let search = || seq.partition_point(|e| at(e) <= t);
        let n = match self.0 {
            Some((last, start)) if last <= t => {
                let mut i = start;
                loop {
                    match seq.get(i) {
                        Some(e) if at(e) <= t => {
                            if i.saturating_sub(start) >= STEPS {
                                break search();
                            }
                            i = i.saturating_add(1);
                        }
                        Some(_) | None => break i,
                    }
                }
            }
            Some(_) | None => search(),
        };
        self.0 = Some((t, n));
        n
    }
}

/// A window's start and middle.
type Bounds = (DateTime<Utc>, DateTime<Utc>);

/// Reads the record at instants taken in order (each at or after the one before), as a band
/// review does: each read moves running marks forward instead of searching the record anew,
/// so reading an instant costs O(1) when the instants are close together (a binary search
/// at worst). Reading at an earlier instant is still right, only slower.
#[derive(Debug, Clone)]
pub(crate) struct Reader<'a> {
    record: &'a Record,
    /// The counted facts up to a window's end, its middle and its start.
    counted: [Mark; 3],
    answers: Mark,
    bad: Mark,
    /// The last window worked out: its end and length, its start and middle.
    window: Option<(DateTime<Utc>, TimeDelta, Bounds)>,
}

impl<'a> Reader<'a> {
    /// A reader of `record` at no instant yet.
    pub(crate) const fn new(record: &'a Record) -> Self {
        Self {
            record,
            counted: [Mark(None); 3],
            answers: Mark(None),
            bad: Mark(None),
            window: None,
        }
    }

    /// The start and middle of the window of length `span` ending at `to`, as `bounds` works
    /// them out: once per instant read, however many signals ask.
    pub(crate) fn window(
        &mut self,
        span: TimeDelta,
        to: DateTime<Utc>,
        bounds: impl FnOnce() -> Bounds,
    ) -> Bounds {
        match self.window {
            Some((end, length, known)) if end == to && length == span => known,
            Some(_) | None => {
                let known = bounds();
                self.window = Some((to, span, known));
                known
            }
        }
    }

    /// The record read.
    pub(crate) const fn record(&self) -> &'a Record {
        self.record
    }

    /// The totals of the counted facts up to and including `t`, by the mark `which`.
    fn upto(&mut self, which: usize, t: DateTime<Utc>) -> Counts {
        let counted = &self.record.counted;
        let Some(mark) = self.counted.get_mut(which) else {
            return Counts::default();
        };
        mark.upto(counted, |(at, _)| *at, t)
            .checked_sub(1)
            .and_then(|i| counted.get(i))
            .map_or(Counts::default(), |(_, c)| *c)
    }

    /// The totals of the counted facts in `(from, to]` and in `(middle, to]`.
    pub(crate) fn counts(
        &mut self,
        from: DateTime<Utc>,
        middle: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> (Counts, Counts) {
        let end = self.upto(0, to);
        (
            end.minus(self.upto(2, from)),
            end.minus(self.upto(1, middle)),
        )
    }

    /// The latest answer in `(from, to]`: when, its penalty, whether unsatisfied.
    pub(crate) fn latest_answer(
        &mut self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Option<(DateTime<Utc>, u16, bool)> {
        let answers = self.record.answers();
        let n = self.answers.upto(answers, |(at, _)| *at, to);
        let (at, (penalty, unsatisfied)) = *answers.get(n.checked_sub(1)?)?;
        (at > from).then_some((at, penalty, unsatisfied))
    }

    /// The first bad experience in `(after, to]`.
    pub(crate) fn first_bad(
        &mut self,
        after: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Option<DateTime<Utc>> {
        let bad = self.record.bad();
        let n = self.bad.upto(bad, |at| *at, after);
        bad.get(n).copied().filter(|at| *at <= to)
    }
}
