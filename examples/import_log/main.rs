//! Imports a real support log into the model and reports what it could and could not say.
//!
//! ```text
//! cargo run --release --example import_log -- helpdesk ../shared/data/helpdesk/finale.csv
//! cargo run --release --example import_log -- bpic2013 ../shared/data/bpic2013/VINST-new.csv
//! cargo run --release --example import_log -- twcs ../shared/data/twcs/twcs_head5000.csv
//! cargo run --example import_log        # the small samples it carries, one per layout
//! ```
//!
//! Each row becomes the commands it means (the mapping, layout by layout, is in the docs of
//! `layouts.rs`); rows are decided in time order (the file's order among rows of the same
//! instant), every customer registered when first seen, and the log is brought up to its last
//! row with `advance_to`. The report gives commands accepted and refused (by command and
//! reason), rows that mean no command (by reason), the events stored (breaches among them) and
//! the main measures. Its speed on the real logs is `cargo bench --bench import`.
//!
//! The real logs are not part of this repository (see `../shared/data/*/SOURCE.md` for where
//! they come from and their terms); the samples in `sample.rs` were written for this example.

mod importer;

use clientele::measure::Durations;
use importer::{Layout, Report};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.as_slice() {
        [] => {
            for (name, layout, text) in [
                (
                    "helpdesk sample",
                    Layout::Helpdesk,
                    importer::sample::HELPDESK,
                ),
                ("bpic2013 sample", Layout::Volvo, importer::sample::VOLVO),
                ("twcs sample", Layout::Tweets, importer::sample::TWEETS),
            ] {
                run(name, layout, text);
            }
        }
        [layout, path] => {
            let layout = Layout::parse(layout)
                .ok_or_else(|| format!("unknown layout {layout:?}: helpdesk, bpic2013 or twcs"))?;
            let text = std::fs::read_to_string(path)?;
            let report = run(path, layout, &text);
            if report.rows > 0 && report.unreadable == report.rows {
                return Err(format!(
                    "no row of {path} reads as the {layout:?} layout: is it the right layout?"
                )
                .into());
            }
        }
        _ => return Err("usage: import_log [<helpdesk|bpic2013|twcs> <file.csv>]".into()),
    }
    Ok(())
}

fn run(name: &str, layout: Layout, text: &str) -> Report {
    let report = importer::import(layout, text, importer::policy(), true);
    println!("== {name} ({layout:?} layout)");
    print_report(&report);
    println!();
    report
}

fn print_report(report: &Report) {
    println!(
        "  {} rows ({} unreadable), {} customers; {} commands accepted, {} refused",
        report.rows,
        report.unreadable,
        report.customers,
        report.accepted,
        report.refused_total()
    );
    if !report.refused.is_empty() {
        println!("  refused, by command and reason:");
        for (why, n) in &report.refused {
            println!("    {n:>6}  {why}");
        }
    }
    if !report.skipped.is_empty() {
        println!("  rows that mean no command:");
        for (why, n) in &report.skipped {
            println!("    {n:>6}  {why}");
        }
    }
    let breaches: Vec<_> = report
        .events
        .iter()
        .filter(|(kind, _)| {
            kind.contains("breach") || kind.contains("overdue") || kind.contains("broken")
        })
        .collect();
    if !breaches.is_empty() {
        println!("  breaches:");
        for (kind, n) in breaches {
            println!("    {n:>6}  {kind}");
        }
    }
    let Some(tally) = &report.tally else { return };
    let book = tally.book();
    let r = &book.responses;
    let c = &book.complaints;
    let share = |x: Option<f64>| x.map_or("-".to_owned(), |s| format!("{:.0} %", s * 100.0));
    println!("  measures (whole log):");
    println!(
        "    first response: {} met of {} timed ({} on time), median {}",
        r.first_response.outcomes.met,
        r.first_response.outcomes.met
            + r.first_response.outcomes.met_late
            + r.first_response.outcomes.missed,
        share(r.first_response.outcomes.on_time_share()),
        median(&r.first_response.wall),
    );
    println!(
        "    next response:  {} met of {} timed ({} on time), median {}",
        r.reply.outcomes.met,
        r.reply.outcomes.met + r.reply.outcomes.met_late + r.reply.outcomes.missed,
        share(r.reply.outcomes.on_time_share()),
        median(&r.reply.wall),
    );
    println!(
        "    complaints: {} received, {} resolved, {} closed, {} reopened, {} escalations",
        c.received,
        c.resolved,
        c.closed,
        c.reopened,
        c.escalated()
    );
    println!(
        "    acknowledgement on time {}, resolution on time {}; median time to resolve {}",
        share(c.acknowledgement.on_time_share()),
        share(c.resolution.on_time_share()),
        median(&c.time_to_resolve),
    );
    for key in importer::layouts::PARTIES {
        if let Some(waits) = c.parties.get(&importer::layouts::party(key)) {
            println!(
                "    waiting on {key}: {} waits, median {} (wall clock), {} new dates, {} slips",
                waits.waits,
                median(&waits.waited),
                waits.redated,
                waits.slipped
            );
        }
    }
    if let Some([recent, whole]) = &report.calibration {
        importer::calibrate::print("targets of the last health window", recent);
        importer::calibrate::print("targets of the whole log", whole);
    }
}

fn median(durations: &Durations) -> String {
    durations.percentile(50).map_or("-".to_owned(), |span| {
        let secs = span.as_secs();
        format!("{}h{:02}m", secs / 3600, secs % 3600 / 60)
    })
}
