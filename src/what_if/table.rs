//! A comparison as a readable table.

use std::collections::BTreeSet;
use std::fmt;

use super::compare::{Comparison, CustomerChange, Figures, Slice, TargetFigures};
use super::trail::TargetKind;
use crate::health::Band;
use crate::measure::Durations;

/// Customers listed in full; the rest are counted.
const CUSTOMERS_SHOWN: usize = 10;
/// Events listed per customer.
const EVENTS_SHOWN: usize = 6;
/// Owner and team rows listed (those where the runs differ).
const DETAIL_SHOWN: usize = 12;

impl fmt::Display for Comparison {
    /// Targets by kind and slice (owners and teams only where the counts differ, the first
    /// few), lateness
    /// percentiles, promise keeping, health bands, refusals, and the customers that differ.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (base, candidate) = (&self.base, &self.candidate);
        writeln!(
            f,
            "{:<46} {:>33} | {:>33}",
            "targets", "base: met  late missed breached", "candidate: met  late missed breached"
        )?;
        let keys: BTreeSet<_> = base
            .targets
            .keys()
            .chain(candidate.targets.keys())
            .collect();
        let (mut quiet, mut shown, mut more) = (0usize, 0usize, 0usize);
        for (kind, slice) in keys {
            let ours = figures(base, *kind, slice);
            let theirs = figures(candidate, *kind, slice);
            if matches!(slice, Slice::Owner(_) | Slice::Team(_)) {
                if cells(&ours) == cells(&theirs) {
                    quiet += 1;
                    continue;
                }
                if shown == DETAIL_SHOWN {
                    more += 1;
                    continue;
                }
                shown += 1;
            }
            writeln!(
                f,
                "{:<46} {} | {}{}",
                row_name(*kind, slice),
                cells(&ours),
                cells(&theirs),
                change(&ours, &theirs)
            )?;
        }
        if more > 0 {
            writeln!(f, "  ({more} more owner and team rows differ)")?;
        }
        if quiet > 0 {
            writeln!(f, "  ({quiet} owner and team rows the same in both runs)")?;
        }
        writeln!(
            f,
            "  (late: met after the due instant; breached: due instants that passed unmet, so a \
             late outcome was breached first; in brackets, candidate less base)"
        )?;
        lateness(f, base, candidate)?;
        promises(f, base, candidate)?;
        writeln!(
            f,
            "{:<46} {:>33} | {:>33}",
            "health at end (risk/watch/healthy)",
            bands(base),
            bands(candidate)
        )?;
        writeln!(
            f,
            "{:<46} {:>33} | {:>33}",
            "facts refused", base.refused, candidate.refused
        )?;
        for refusal in self.candidate_refused.iter().take(CUSTOMERS_SHOWN) {
            writeln!(f, "  candidate: {refusal}")?;
        }
        writeln!(
            f,
            "customers whose band or outcomes differ: {} of {}",
            self.customers.len(),
            base.customers
        )?;
        for change in self.customers.iter().take(CUSTOMERS_SHOWN) {
            customer(f, change)?;
        }
        if self.customers.len() > CUSTOMERS_SHOWN {
            writeln!(
                f,
                "  ... and {} more",
                self.customers.len() - CUSTOMERS_SHOWN
            )?;
        }
        Ok(())
    }
}

fn figures(figures: &Figures, kind: TargetKind, slice: &Slice) -> TargetFigures {
    figures
        .targets
        .get(&(kind, slice.clone()))
        .cloned()
        .unwrap_or_default()
}

fn row_name(kind: TargetKind, slice: &Slice) -> String {
    match slice {
        Slice::All => kind.name().to_owned(),
        Slice::Priority(priority) => format!("  priority {priority:?}"),
        Slice::Tier(tier) => format!("  tier {}", tier.as_str()),
        Slice::Owner(owner) => format!("  owner {owner}"),
        Slice::Team(team) => format!("  team {team}"),
    }
}

fn cells(t: &TargetFigures) -> String {
    format!(
        "{:>14} {:>5} {:>6} {:>8}",
        t.outcomes.met, t.outcomes.met_late, t.outcomes.missed, t.breached
    )
}

/// The candidate's counts less the base's, in brackets, when any differs.
fn change(base: &TargetFigures, candidate: &TargetFigures) -> String {
    let delta = |b: u64, c: u64| {
        let (b, c) = (i128::from(b), i128::from(c));
        format!("{:+}", c - b)
    };
    let (b, c) = (&base.outcomes, &candidate.outcomes);
    let deltas = [
        (b.met, c.met),
        (b.met_late, c.met_late),
        (b.missed, c.missed),
        (base.breached, candidate.breached),
    ];
    if deltas.iter().all(|(b, c)| b == c) {
        return String::new();
    }
    let cells: Vec<String> = deltas.iter().map(|(b, c)| delta(*b, *c)).collect();
    format!("  ({})", cells.join(" "))
}

fn percentiles(durations: Option<&Durations>) -> String {
    let p = |n: u8| {
        durations
            .and_then(|d| d.percentile(n))
            .map_or_else(|| "-".to_owned(), |span| span.to_string())
    };
    format!("{} / {} / {}", p(50), p(90), p(99))
}

fn lateness(f: &mut fmt::Formatter<'_>, base: &Figures, candidate: &Figures) -> fmt::Result {
    let kinds: BTreeSet<_> = base
        .lateness
        .keys()
        .chain(candidate.lateness.keys())
        .collect();
    for kind in kinds {
        writeln!(
            f,
            "{:<46} {:>33} | {:>33}",
            format!("{} lateness p50/p90/p99", kind.name()),
            percentiles(base.lateness.get(kind)),
            percentiles(candidate.lateness.get(kind))
        )?;
    }
    Ok(())
}

fn promises(f: &mut fmt::Formatter<'_>, base: &Figures, candidate: &Figures) -> fmt::Result {
    let line = |figures: &Figures| {
        let total = figures.measures.promises.total();
        let rate = figures
            .measures
            .promises
            .on_time_rate()
            .map_or_else(|| "-".to_owned(), |r| format!("{:.0} %", r * 100.0));
        format!(
            "{} made, {} kept, {} broken, {rate}",
            total.made,
            total.kept.met.saturating_add(total.kept.met_late),
            total.broken
        )
    };
    writeln!(
        f,
        "{:<46} {:>33} | {:>33}",
        "promises (kept on time)",
        line(base),
        line(candidate)
    )
}

fn bands(figures: &Figures) -> String {
    format!(
        "{} / {} / {}",
        figures.in_band(Band::AtRisk),
        figures.in_band(Band::Watch),
        figures.in_band(Band::Healthy)
    )
}

fn customer(f: &mut fmt::Formatter<'_>, change: &CustomerChange) -> fmt::Result {
    write!(f, "  {}:", change.customer)?;
    if change.base_band == change.candidate_band {
        write!(f, " {:?} in both", change.base_band)?;
    } else {
        write!(f, " {:?} -> {:?}", change.base_band, change.candidate_band)?;
    }
    writeln!(
        f,
        "; {} outcome events only in the base run, {} only in the candidate's",
        change.only_base.len(),
        change.only_candidate.len()
    )?;
    // Half the lines for each run, so the candidate's side shows even when the base's is long.
    let half = EVENTS_SHOWN / 2;
    let base_shown = change
        .only_base
        .len()
        .min(EVENTS_SHOWN.saturating_sub(change.only_candidate.len().min(half)));
    let listed = change
        .only_base
        .iter()
        .take(base_shown)
        .map(|e| ('-', e))
        .chain(change.only_candidate.iter().map(|e| ('+', e)));
    for (sign, envelope) in listed.take(EVENTS_SHOWN) {
        writeln!(f, "    {sign} {} {}", envelope.at, envelope.event)?;
    }
    Ok(())
}
