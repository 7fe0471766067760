//! Scoring: the penalties of each signal at an instant, how they combine, and the instants at
//! which the score can change with no new fact.

use chrono::{DateTime, TimeDelta, Utc};

use crate::health::record::{MAX_CONTACTS, Reader, Record};
use crate::health::{Band, Health, HealthPolicy, HealthWeights, QuietPolicy, Signal};

/// What health needs to know about a relationship's open items at a moment.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct OpenItems {
    pub(crate) broken_promises: u32,
    pub(crate) repeated_slips: u32,
    pub(crate) complaint_weight: u32,
    pub(crate) waiting_overdue: bool,
    pub(crate) waiting_at_risk: bool,
    pub(crate) unanswered: u32,
}

/// The windowed facts over `(from, to]`, a fact in the older half weighing half (weights in
/// halves: 2 for the recent half, 1 for the older).
#[derive(Debug, Default, Clone, Copy)]
struct Window {
    targets: u32,
    missed: u32,
    targets_w: u32,
    missed_w: u32,
    breaks_w: u32,
    silent: u32,
    silent_w: u32,
    /// The latest answer: its penalty, decayed, and whether it was unsatisfied.
    answer: Option<(u16, bool)>,
}

/// The window `(from, to]` ending at `to`, and the instant splitting its halves.
fn bounds(policy: &HealthPolicy, to: DateTime<Utc>) -> (DateTime<Utc>, DateTime<Utc>) {
    let span = policy.window.to_time_delta();
    let from = to
        .checked_sub_signed(span)
        .unwrap_or(DateTime::<Utc>::MIN_UTC);
    let middle = to
        .checked_sub_signed(span / 2)
        .unwrap_or(DateTime::<Utc>::MIN_UTC);
    (from, middle)
}

/// As [`bounds`], worked out once per instant `reader` reads.
fn bounds_in(
    policy: &HealthPolicy,
    reader: &mut Reader<'_>,
    to: DateTime<Utc>,
) -> (DateTime<Utc>, DateTime<Utc>) {
    reader.window(policy.window.to_time_delta(), to, || bounds(policy, to))
}

fn window(policy: &HealthPolicy, record: &mut Reader<'_>, to: DateTime<Utc>) -> Window {
    // (from, to]: a fact at the very moment health is scored counts; one exactly a window
    // old has left. A fact exactly half a window old has moved to the older half.
    let (from, middle) = bounds_in(policy, record, to);
    let (all, recent) = record.counts(from, middle, to);
    let answer = record
        .latest_answer(from, to)
        .map(|(at, penalty, unsatisfied)| {
            (if at > middle { penalty } else { penalty / 2 }, unsatisfied)
        });
    Window {
        targets: all.targets,
        missed: all.missed,
        // Saturating: a record read from a hostile snapshot may hold any running counts.
        targets_w: all.targets.saturating_add(recent.targets),
        missed_w: all.missed.saturating_add(recent.missed),
        breaks_w: all.breaks.saturating_add(recent.breaks),
        silent: all.silent,
        silent_w: all.silent.saturating_add(recent.silent),
        answer,
    }
}

fn capped(value: u32, per_unit: u32) -> u16 {
    u16::try_from(value.saturating_mul(per_unit).min(1000)).unwrap_or(1000)
}

/// Per mille of `part` in `whole` (0 when `whole` is 0).
fn share(part: u32, whole: u32) -> u16 {
    part.saturating_mul(1000)
        .checked_div(whole)
        .map_or(0, |s| u16::try_from(s.min(1000)).unwrap_or(1000))
}

/// A customer gone quiet at `now`: when they last wrote, and the bad experience the silence
/// is counted from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Quiet {
    pub(crate) last_contact: DateTime<Utc>,
    pub(crate) after: DateTime<Utc>,
}

/// How long a silence makes the customer quiet, when it is the same at every instant looked
/// at: from an instant at or after their last contact on, their rhythm no longer changes.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Rhythm {
    /// Worked out at each instant.
    AtEach,
    /// The same from a known instant on.
    Known(Option<TimeDelta>),
}

/// The customer's rhythm for instants at or after `from`: known once, when every contact
/// recorded is at or before `from` (health is reviewed from the latest recording time on).
pub(crate) fn rhythm(policy: &HealthPolicy, record: &Record, from: DateTime<Utc>) -> Rhythm {
    if record.contacts().last().is_none_or(|last| *last <= from) {
        Rhythm::Known(quiet_span(&policy.quiet, record, from))
    } else {
        Rhythm::AtEach
    }
}

/// The customer's silence, if they are quiet at `now` (see [`QuietPolicy`]).
pub(crate) fn quiet_at(
    policy: &HealthPolicy,
    record: &Record,
    now: DateTime<Utc>,
) -> Option<Quiet> {
    quiet_in(policy, &mut Reader::new(record), now, Rhythm::AtEach)
}

/// As [`quiet_at`], with the customer's rhythm known when it does not change.
pub(crate) fn quiet_in(
    policy: &HealthPolicy,
    reader: &mut Reader<'_>,
    now: DateTime<Utc>,
    rhythm: Rhythm,
) -> Option<Quiet> {
    let record = reader.record();
    let (from, _) = bounds_in(policy, reader, now);
    let quiet_after = match rhythm {
        Rhythm::AtEach => quiet_span(&policy.quiet, record, now),
        Rhythm::Known(span) => span,
    }?;
    let upto = record.contacts().partition_point(|c| *c <= now);
    let last_contact = *record.contacts().get(upto.checked_sub(1)?)?;
    // The first bad experience since they last wrote, still inside the window.
    let after = reader.first_bad(last_contact.max(from), now)?;
    let since = after.checked_add_signed(quiet_after)?;
    (since <= now).then_some(Quiet {
        last_contact,
        after,
    })
}

/// How long a silence makes the customer quiet, from their rhythm up to `now`: `times` the
/// median gap between their last `contacts` inbound contacts, at least `at_least_gap`; `None`
/// with fewer than `at_least` contacts (no rhythm to judge by).
pub(super) fn quiet_span(
    quiet: &QuietPolicy,
    record: &Record,
    now: DateTime<Utc>,
) -> Option<TimeDelta> {
    let upto = record.contacts().partition_point(|c| *c <= now);
    let last = record.contacts().get(..upto)?;
    let n = usize::from(quiet.contacts).min(last.len());
    if n < usize::from(quiet.at_least.max(2)) {
        return None;
    }
    let recent = last.get(last.len() - n..)?;
    // On the stack: scoring looks at the rhythm at every instant the band may move.
    let mut gaps = [TimeDelta::zero(); MAX_CONTACTS];
    let mut count = 0;
    for (gap, pair) in gaps.iter_mut().zip(recent.windows(2)) {
        if let [a, b] = pair {
            *gap = *b - *a;
            count += 1;
        }
    }
    let gaps = gaps.get_mut(..count)?;
    gaps.sort_unstable();
    let median = *gaps.get(count.checked_sub(1)? / 2)?;
    let span = median
        .checked_mul(i32::from(quiet.times))
        .unwrap_or(TimeDelta::MAX);
    Some(span.max(quiet.at_least_gap.to_time_delta()))
}

/// Each signal's penalty (per mille) at `now`, and which are severe failures on their own.
pub(crate) fn penalties(
    policy: &HealthPolicy,
    open: OpenItems,
    record: &Record,
    now: DateTime<Utc>,
) -> ([(Signal, u16); 7], [bool; 7]) {
    let reader = &mut Reader::new(record);
    let quiet = quiet_in(policy, reader, now, Rhythm::AtEach).is_some();
    penalties_given(policy, open, reader, now, quiet)
}

/// As [`penalties`], with whether the customer is quiet at `now` known.
fn penalties_given(
    policy: &HealthPolicy,
    open: OpenItems,
    record: &mut Reader<'_>,
    now: DateTime<Utc>,
    quiet: bool,
) -> ([(Signal, u16); 7], [bool; 7]) {
    let w = window(policy, record, now);
    let (targets, missed, targets_w, missed_w) = if open.waiting_overdue {
        // A customer waiting past the deadline is a target missed now.
        (w.targets + 1, w.missed + 1, w.targets_w + 2, w.missed_w + 2)
    } else {
        (w.targets, w.missed, w.targets_w, w.missed_w)
    };
    let unanswered = if open.waiting_overdue {
        1000
    } else if open.waiting_at_risk {
        500
    } else if open.unanswered >= 3 {
        300
    } else {
        0
    };
    let (sentiment, unsatisfied) = w.answer.unwrap_or((0, false));
    let penalties = [
        (
            Signal::BrokenPromises,
            capped(open.broken_promises, 600).max(capped(w.breaks_w, 300)),
        ),
        (
            Signal::SlipsAndSilence,
            capped(w.silent_w, 250)
                .saturating_add(capped(open.repeated_slips, 500))
                .min(1000),
        ),
        (Signal::Complaints, capped(open.complaint_weight, 250)),
        (Signal::Responsiveness, share(missed_w, targets_w)),
        (Signal::Unanswered, unanswered),
        (Signal::Sentiment, sentiment),
        (Signal::GoneQuiet, if quiet { 1000 } else { 0 }),
    ];
    let severe = [
        false,
        w.silent >= 2,
        false,
        targets >= u32::from(policy.most_missed_of) && missed.saturating_mul(2) > targets,
        false,
        unsatisfied,
        quiet,
    ];
    (penalties, severe)
}

/// The points each signal costs, summing to exactly `Σ weight × penalty / 1000` rounded down:
/// each its own share rounded down, the remainder to the largest fractions.
fn additive(weights: &HealthWeights, penalties: &[(Signal, u16); 7]) -> [u32; 7] {
    let raw = penalties.map(|(s, p)| u32::from(weights.get(s)) * u32::from(p));
    let total = raw.iter().sum::<u32>() / 1000;
    let mut points = raw.map(|r| r / 1000);
    let mut left = total.saturating_sub(points.iter().sum());
    let mut order: [usize; 7] = std::array::from_fn(|i| i);
    order.sort_by_key(|i| std::cmp::Reverse(raw.get(*i).map_or(0, |r| r % 1000)));
    for i in order {
        if left == 0 {
            break;
        }
        if let Some(p) = points.get_mut(i) {
            *p += 1;
            left -= 1;
        }
    }
    points
}

/// The score at `now` and the points each signal costs (summing to `100 − score`).
pub(crate) fn points(
    policy: &HealthPolicy,
    penalties: &[(Signal, u16); 7],
    severe: &[bool; 7],
) -> (u8, [u32; 7]) {
    let mut lost = additive(&policy.weights, penalties);
    let sum: u32 = lost.iter().sum::<u32>().min(100);
    let mut score = 100 - sum;
    let count = u32::try_from(severe.iter().filter(|s| **s).count()).unwrap_or(7);
    if count > 0 {
        // A severe failure holds the score under the at-risk line, five points lower for
        // each further one; the points beyond the additive ones go to the severe signals.
        let ceiling = u32::from(policy.at_risk_below).saturating_sub(5 * count);
        if score > ceiling {
            let mut extra = score - ceiling;
            score = ceiling;
            let each = extra / count;
            for (p, _) in lost.iter_mut().zip(severe).filter(|(_, s)| **s) {
                *p += each;
                extra -= each;
            }
            if let Some((p, _)) = lost.iter_mut().zip(severe).find(|(_, s)| **s) {
                *p += extra;
            }
        }
    }
    (u8::try_from(score).unwrap_or(0), lost)
}

/// The band of `score`.
pub(crate) fn band(policy: &HealthPolicy, score: u8) -> Band {
    if score < policy.at_risk_below {
        Band::AtRisk
    } else if score < policy.watch_below {
        Band::Watch
    } else {
        Band::Healthy
    }
}

/// A score, its band, each signal's penalty, which are severe, and the points each costs.
pub(crate) type Assessment = (u8, Band, [(Signal, u16); 7], [bool; 7], [u32; 7]);

/// The score and band at `now`, and the penalties behind them.
pub(crate) fn assess(
    policy: &HealthPolicy,
    open: OpenItems,
    record: &Record,
    now: DateTime<Utc>,
) -> Assessment {
    let reader = &mut Reader::new(record);
    let quiet = quiet_in(policy, reader, now, Rhythm::AtEach).is_some();
    assess_given(policy, open, reader, now, quiet)
}

/// As [`assess`], with whether the customer is quiet at `now` known.
pub(crate) fn assess_given(
    policy: &HealthPolicy,
    open: OpenItems,
    record: &mut Reader<'_>,
    now: DateTime<Utc>,
    quiet: bool,
) -> Assessment {
    let (penalties, severe) = penalties_given(policy, open, record, now, quiet);
    let (score, lost) = points(policy, &penalties, &severe);
    (score, band(policy, score), penalties, severe, lost)
}

/// The penalised signals, worst first (by points lost, then weighted penalty).
pub(crate) fn reasons(
    policy: &HealthPolicy,
    penalties: &[(Signal, u16); 7],
    lost: &[u32; 7],
) -> Vec<(Signal, u16)> {
    let mut reasons: Vec<(Signal, u16, u32)> = penalties
        .iter()
        .zip(lost)
        .filter(|((_, p), _)| *p > 0)
        .map(|((s, p), l)| (*s, *p, *l))
        .collect();
    reasons.sort_by_key(|(signal, penalty, lost)| {
        std::cmp::Reverse((
            *lost,
            u32::from(policy.weights.get(*signal)) * u32::from(*penalty),
        ))
    });
    reasons.into_iter().map(|(s, p, _)| (s, p)).collect()
}

/// The windowed part of the score over the window ending at `to`: the points the facts of
/// that window cost, open items left out.
fn windowed_points(policy: &HealthPolicy, record: &Record, to: DateTime<Utc>) -> u32 {
    let (penalties, _) = penalties(policy, OpenItems::default(), record, to);
    additive(&policy.weights, &penalties).iter().sum()
}

/// Scores health at `now`, with the reasons and the trend.
pub(crate) fn score(
    policy: &HealthPolicy,
    open: OpenItems,
    record: &Record,
    now: DateTime<Utc>,
) -> Health {
    let (score, band, penalties, severe, lost) = assess(policy, open, record, now);
    let (from, _) = bounds(policy, now);
    let now_part = windowed_points(policy, record, now);
    let before_part = windowed_points(policy, record, from);
    Health {
        score,
        band,
        reasons: reasons(policy, &penalties, &lost),
        lost: penalties
            .iter()
            .zip(lost)
            .filter(|(_, l)| *l > 0)
            .map(|((s, _), l)| (*s, u8::try_from(l).unwrap_or(100)))
            .collect(),
        severe: penalties
            .iter()
            .zip(severe)
            .filter(|(_, s)| *s)
            .map(|((s, _), _)| *s)
            .collect(),
        trend: i16::try_from(i64::from(before_part) - i64::from(now_part)).unwrap_or(0),
    }
}

/// The instants in `[from, until]` at which the score can change with no new fact: a fact
/// moving into the older half of the window, a fact leaving it, a bad experience turning into
/// silence. Sorted, without repeats, all collected and sorted at once: the oracle the lazy
/// merge of [`crate::health::instants::changes`] is compared with.
#[cfg(test)]
pub(crate) fn changes_collected(
    policy: &HealthPolicy,
    record: &Record,
    from: DateTime<Utc>,
    until: DateTime<Utc>,
) -> Vec<DateTime<Utc>> {
    let span = policy.window.to_time_delta();
    let mut out = Vec::new();
    for offset in [span / 2, span] {
        let lo = from
            .checked_sub_signed(offset)
            .unwrap_or(DateTime::<Utc>::MIN_UTC);
        let Some(hi) = until.checked_sub_signed(offset) else {
            continue;
        };
        out.extend(
            record
                .instants(lo, hi)
                .chain(record.bad_between(lo, hi))
                .filter_map(|at| at.checked_add_signed(offset)),
        );
    }
    if let Some(quiet) = quiet_span(&policy.quiet, record, until)
        && let Some(hi) = until.checked_sub_signed(quiet)
    {
        let lo = from
            .checked_sub_signed(quiet)
            .unwrap_or(DateTime::<Utc>::MIN_UTC);
        out.extend(
            record
                .bad_between(lo, hi)
                .filter_map(|at| at.checked_add_signed(quiet)),
        );
    }
    out.retain(|c| *c >= from && *c <= until);
    out.sort_unstable();
    out.dedup();
    out
}
