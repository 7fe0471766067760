//! What if high priority had a 4-hour resolution target instead of 8? Imports a support log
//! (the importer of `examples/import_log`), reads the stored log back into the facts that were
//! decided, checks that the policy it was recorded under gives it back, then decides it again
//! under two policies and prints the comparison.
//!
//! ```text
//! cargo run --release --example what_if -- helpdesk ../shared/data/helpdesk/finale.csv
//! cargo run --release --example what_if -- bpic2013 ../shared/data/bpic2013/VINST-new.csv
//! cargo run --release --example what_if -- twcs ../shared/data/twcs/twcs_head5000.csv
//! cargo run --example what_if        # the helpdesk sample the importer carries
//! ```
//!
//! The real logs are not part of this repository (see `../shared/data/*/SOURCE.md`); a file
//! that cannot be read is said so, and the sample is used instead.

#[path = "import_log/importer/mod.rs"]
#[allow(dead_code)] // the example reads the stored log, not every report field
mod importer;

use std::collections::BTreeMap;

use clientele::what_if::{Book, Comparison, Run};
use clientele::{CustomerId, Envelope, Span};
use importer::Layout;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let sample = || {
        (
            "the helpdesk sample".to_owned(),
            Layout::Helpdesk,
            importer::sample::HELPDESK.to_owned(),
        )
    };
    let (name, layout, text) = match args.as_slice() {
        [] => sample(),
        [layout, path] => {
            let layout = Layout::parse(layout)
                .ok_or_else(|| format!("unknown layout {layout:?}: helpdesk, bpic2013 or twcs"))?;
            match std::fs::read_to_string(path) {
                Ok(text) => (path.clone(), layout, text),
                Err(error) => {
                    println!("{path} cannot be read ({error}): no data folder here?");
                    println!("using the helpdesk sample instead\n");
                    sample()
                }
            }
        }
        _ => return Err("usage: what_if [<helpdesk|bpic2013|twcs> <file.csv>]".into()),
    };
    run(&name, layout, &text)
}

fn run(name: &str, layout: Layout, text: &str) -> Result<(), Box<dyn std::error::Error>> {
    let recorded = importer::policy();
    let report = importer::import(layout, text, recorded.clone(), true);
    let book = Book::from_log(&report.log)?;
    let facts: usize = book.histories().map(|h| h.facts().count()).sum();
    println!(
        "== {name} ({layout:?}): {} customers, {} events stored, {} of them facts",
        book.len(),
        report.log.len(),
        facts
    );

    // The policy it was recorded under gives the stored log back, customer by customer.
    let mut stored: BTreeMap<CustomerId, Vec<Envelope>> = BTreeMap::new();
    for envelope in &report.log {
        stored
            .entry(envelope.customer)
            .or_default()
            .push(envelope.clone());
    }
    let (mut same, mut diverged, mut refused) = (0, 0, 0);
    for history in book.histories() {
        let again = Run::decide(&recorded, history)?;
        refused += again.refused().len();
        let theirs = stored
            .get(&history.customer())
            .map_or(&[][..], Vec::as_slice);
        match again.divergence(theirs) {
            None => same += 1,
            Some(divergence) => {
                diverged += 1;
                if diverged == 1 {
                    println!("  first divergence: {divergence:?}");
                }
            }
        }
    }
    println!(
        "  decided again under the policy it was recorded under: {same} customers give back \
         their stored log, {diverged} do not, {refused} facts refused"
    );
    let shifts = book.policy_shifts().count();
    println!("  policy changes the stored log shows: {shifts}");

    // What if high priority had a 4-hour resolution target instead of 8?
    let mut base = recorded.clone();
    base.complaints.resolve.default.high = Span::hours(8);
    let mut candidate = base.clone();
    candidate.complaints.resolve.default.high = Span::hours(4);
    let comparison = Comparison::of(&book, &base, &candidate)?;
    println!(
        "\nhigh-priority resolution within 8 h (base) or within 4 h (candidate), up to {}:\n",
        book.until().map_or("-".to_owned(), |at| at.to_string())
    );
    print!("{comparison}");
    Ok(())
}
