//! The importer's speed on the real logs (issue 14): rows per second, whole replay (mapping,
//! deciding, no log kept).
//!
//! The logs are read from `CLIENTELE_DATA` (default `../shared/data`, beside the checkout):
//! `helpdesk/finale.csv`, `bpic2013/VINST-new.csv`, `twcs/twcs_head5000.csv`. They are not part
//! of this repository; a log that is absent is skipped with a line saying so, and the samples
//! the importer carries are measured instead, so the bench always runs.

#[path = "../examples/import_log/importer/mod.rs"]
#[allow(dead_code)] // the bench uses the replay, not every report field
mod importer;

use std::path::PathBuf;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use importer::Layout;

fn import(c: &mut Criterion) {
    let data = std::env::var_os("CLIENTELE_DATA")
        .map_or_else(|| PathBuf::from("../shared/data"), PathBuf::from);
    let logs = [
        (
            "helpdesk",
            Layout::Helpdesk,
            "helpdesk/finale.csv",
            importer::sample::HELPDESK,
        ),
        (
            "bpic2013",
            Layout::Volvo,
            "bpic2013/VINST-new.csv",
            importer::sample::VOLVO,
        ),
        (
            "twcs",
            Layout::Tweets,
            "twcs/twcs_head5000.csv",
            importer::sample::TWEETS,
        ),
    ];
    let mut group = c.benchmark_group("import");
    group.sample_size(10);
    for (name, layout, file, sample) in logs {
        let path = data.join(file);
        let (label, text) = match std::fs::read_to_string(&path) {
            Ok(text) => (name.to_owned(), text),
            Err(_) => {
                eprintln!(
                    "import: {} is absent; measuring the {name} sample instead",
                    path.display()
                );
                (format!("{name}_sample"), sample.to_owned())
            }
        };
        let rows = importer::import(layout, &text, importer::policy(), false).rows;
        group.throughput(Throughput::Elements(rows as u64));
        group.bench_function(label, |b| {
            b.iter(|| importer::import(layout, &text, importer::policy(), false));
        });
    }
    group.finish();
}

criterion_group!(benches, import);
criterion_main!(benches);
