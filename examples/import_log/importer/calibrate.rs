//! Calibration of health on a replayed log (issue 16 item 6): the spread of bands at the end of
//! the log; whether the customers who had the worst service (the highest share of targets
//! missed, among those with at least five) are in "watch" or "at risk"; and the Spearman rank
//! correlation between score and that share (negative: the more missed, the lower the score).

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use clientele::measure::OutcomeTally;
use clientele::{Band, CustomerId, Ledger, Measures, Tally};

/// How many of the worst-served customers are checked.
pub const WORST: usize = 20;

/// The fewest targets that make a customer's missed share count.
pub const AT_LEAST: u64 = 5;

/// What health says of a replayed log at its end.
#[derive(Debug, Clone)]
pub struct Calibration {
    /// Customers in each band.
    pub bands: BTreeMap<Band, usize>,
    /// Customers with at least [`AT_LEAST`] targets.
    pub judged: usize,
    /// Of the [`WORST`] worst-served, how many are in "watch" or "at risk", and how many
    /// were checked.
    pub worst_flagged: (usize, usize),
    /// The worst-served: missed share, score, band.
    pub worst: Vec<(f64, u8, Band)>,
    /// Spearman's rank correlation between score and missed share, over the judged.
    pub spearman: Option<f64>,
}

/// Targets ended (met, met late, missed) and those not met, of every clock with a target.
fn targets(m: &Measures) -> (u64, u64) {
    let tallies: [&OutcomeTally; 4] = [
        &m.responses.first_response.outcomes,
        &m.responses.reply.outcomes,
        &m.complaints.acknowledgement,
        &m.complaints.resolution,
    ];
    tallies.iter().fold((0, 0), |(all, missed), t| {
        (
            all + t.met + t.met_late + t.missed,
            missed + t.met_late + t.missed,
        )
    })
}

/// Calibrates health on `ledger` at `at`, against the targets of `tally` (the whole log).
pub fn calibrate(ledger: &Ledger, tally: &Tally, at: DateTime<Utc>) -> Calibration {
    let mut bands = BTreeMap::new();
    let mut judged: Vec<(f64, u8, Band)> = Vec::new();
    let customers: Vec<CustomerId> = tally.by_customer().keys().copied().collect();
    for customer in customers {
        let Some(relationship) = ledger.get(customer) else {
            continue;
        };
        let health = relationship.health(ledger.policy(), at);
        *bands.entry(health.band).or_default() += 1;
        let (all, missed) = tally.customer(customer).map_or((0, 0), targets);
        if all >= AT_LEAST {
            judged.push((missed as f64 / all as f64, health.score, health.band));
        }
    }
    let spearman = spearman(&judged);
    let mut worst = judged.clone();
    worst.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    worst.truncate(WORST);
    let flagged = worst.iter().filter(|(_, _, b)| *b != Band::Healthy).count();
    Calibration {
        bands,
        judged: judged.len(),
        worst_flagged: (flagged, worst.len()),
        worst,
        spearman,
    }
}

/// Ranks from 1, ties given their average rank.
fn ranks(values: &[f64]) -> Vec<f64> {
    let mut order: Vec<usize> = (0..values.len()).collect();
    order.sort_by(|a, b| values[*a].total_cmp(&values[*b]));
    let mut ranks = vec![0.0; values.len()];
    let mut i = 0;
    while i < order.len() {
        let mut j = i;
        while j + 1 < order.len() && values[order[j + 1]] == values[order[i]] {
            j += 1;
        }
        let rank = (i + j) as f64 / 2.0 + 1.0;
        for k in &order[i..=j] {
            ranks[*k] = rank;
        }
        i = j + 1;
    }
    ranks
}

/// Spearman's rho: the Pearson correlation of the ranks (ties averaged).
fn spearman(pairs: &[(f64, u8, Band)]) -> Option<f64> {
    let n = pairs.len();
    if n < 3 {
        return None;
    }
    let shares = ranks(&pairs.iter().map(|p| p.0).collect::<Vec<_>>());
    let scores = ranks(&pairs.iter().map(|p| f64::from(p.1)).collect::<Vec<_>>());
    let mean = (n as f64 + 1.0) / 2.0;
    let (mut cov, mut va, mut vb) = (0.0, 0.0, 0.0);
    for (a, b) in shares.iter().zip(&scores) {
        cov += (a - mean) * (b - mean);
        va += (a - mean) * (a - mean);
        vb += (b - mean) * (b - mean);
    }
    (va > 0.0 && vb > 0.0).then(|| cov / (va * vb).sqrt())
}

/// Prints the calibration, against the targets of `what`.
pub fn print(what: &str, c: &Calibration) {
    println!("  health at the end of the log, against the {what}:");
    let bands: Vec<String> = c.bands.iter().map(|(b, n)| format!("{b:?} {n}")).collect();
    println!("    bands: {}", bands.join(", "));
    println!(
        "    the {} worst-served of {} customers with at least {AT_LEAST} targets: {} in watch or at risk",
        c.worst_flagged.1, c.judged, c.worst_flagged.0
    );
    let worst: Vec<String> = c
        .worst
        .iter()
        .map(|(share, score, _)| format!("{:.0}%:{score}", share * 100.0))
        .collect();
    println!("    (missed share: score) {}", worst.join(" "));
    match c.spearman {
        Some(rho) => println!("    Spearman rank correlation, score vs missed share: {rho:+.3}"),
        None => println!("    Spearman rank correlation: too few customers"),
    }
}
