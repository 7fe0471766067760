//! Replays a real support log through the crate: the mapping in [`layouts`], the replay and
//! its report here. Shared by `examples/import_log` and `benches/import.rs`.

pub mod calibrate;
pub mod csv;
pub mod layouts;
pub mod sample;

use std::collections::{BTreeMap, HashMap};

use chrono::TimeDelta;
use clientele::{
    Command, CommandError, CustomerId, Envelope, Ledger, RegisterCustomer, ServicePolicy, Tally,
    Text, Tier, Window,
};

pub use layouts::{Layout, Step};

/// What a replay did.
pub struct Report {
    /// Records in the file, after the header.
    pub rows: usize,
    /// Rows whose time could not be read.
    pub unreadable: usize,
    /// Customers registered.
    pub customers: usize,
    /// Commands decided and stored.
    pub accepted: usize,
    /// Commands refused, by command and reason.
    pub refused: BTreeMap<String, usize>,
    /// Rows that mean no command, by reason.
    pub skipped: BTreeMap<&'static str, usize>,
    /// Events stored, by kind.
    pub events: BTreeMap<&'static str, usize>,
    /// The measures of the whole log.
    pub tally: Option<Tally>,
    /// Health at the end of the log, against the targets missed over the last health window
    /// and over the whole log (with the measures).
    pub calibration: Option<[calibrate::Calibration; 2]>,
    /// The stored log, with `keep_log` (read by `examples/what_if.rs`).
    #[allow(dead_code)]
    pub log: Vec<Envelope>,
}

impl Report {
    /// Commands refused, all reasons together.
    pub fn refused_total(&self) -> usize {
        self.refused.values().sum()
    }
}

/// The policy the logs are replayed under: the default, except that nobody schedules
/// follow-up calls in these logs (so a resolution schedules none).
pub fn policy() -> ServicePolicy {
    let mut policy = ServicePolicy::default();
    policy.complaints.follow_up_after = None;
    policy
}

/// A short name for why a command was refused: the command and the error's variant.
fn reason(command: &Command, error: &CommandError) -> String {
    let detail = match error {
        CommandError::InvalidTransition {
            entity,
            from,
            action,
        } => {
            format!("cannot {action} a {entity} that is {from}")
        }
        other => {
            let debug = format!("{other:?}");
            let end = debug.find([' ', '(', '{']).unwrap_or(debug.len());
            debug[..end].to_owned()
        }
    };
    format!("{}: {detail}", command.name())
}

/// Replays `text` in `layout` under `policy`; with `keep_log`, the measures are computed over
/// the stored events.
pub fn import(layout: Layout, text: &str, policy: ServicePolicy, keep_log: bool) -> Report {
    let (mut rows, records, unreadable) = layout.map(text);
    // Time order, keeping the file's order among rows of the same instant.
    rows.sort_by_key(|row| row.at);
    let mut report = Report {
        rows: records,
        unreadable,
        customers: 0,
        accepted: 0,
        refused: BTreeMap::new(),
        skipped: BTreeMap::new(),
        events: BTreeMap::new(),
        tally: None,
        calibration: None,
        log: Vec::new(),
    };
    let Ok(mut ledger) = Ledger::new(policy) else {
        return report;
    };
    let mut customers: HashMap<String, CustomerId> = HashMap::new();
    let mut log: Vec<Envelope> = Vec::new();
    let mut note = |report: &mut Report, events: Vec<Envelope>| {
        for envelope in &events {
            *report.events.entry(envelope.event.kind()).or_default() += 1;
        }
        if keep_log {
            log.extend(events);
        }
    };
    for row in &rows {
        let command = match &row.step {
            Step::Skip(why) => {
                *report.skipped.entry(why).or_default() += 1;
                continue;
            }
            Step::Command(command) => command,
        };
        let customer = match customers.get(&row.customer) {
            Some(id) => *id,
            None => {
                let id = CustomerId::from_u128(layouts::id_of("customer", &row.customer));
                let name = Text::new(row.customer.clone())
                    .unwrap_or_else(|_| Text::new("customer").expect("a plain name"));
                let tier = Tier::new(row.tier.clone())
                    .unwrap_or_else(|_| Tier::new("standard").expect("a plain tier"));
                match ledger.execute(id, RegisterCustomer::new(name, tier), row.at) {
                    Ok(events) => note(&mut report, events),
                    Err(error) => {
                        *report
                            .refused
                            .entry(format!("register_customer: {error}"))
                            .or_default() += 1;
                    }
                }
                customers.insert(row.customer.clone(), id);
                report.customers += 1;
                id
            }
        };
        match ledger.execute(customer, (**command).clone(), row.at) {
            Ok(events) => {
                report.accepted += 1;
                note(&mut report, events);
            }
            Err(error) => *report.refused.entry(reason(command, &error)).or_default() += 1,
        }
    }
    if let (Some(first), Some(last)) = (rows.first(), rows.last()) {
        note(&mut report, ledger.advance_to(last.at));
        if keep_log {
            let end = last
                .at
                .checked_add_signed(TimeDelta::seconds(1))
                .unwrap_or(last.at);
            if let Ok(window) = Window::new(first.at, end) {
                report.tally = Tally::from_log(window, &log).ok();
            }
            let recent = last
                .at
                .checked_sub_signed(ledger.policy().health.window.to_time_delta())
                .and_then(|from| Window::new(from.max(first.at), end).ok())
                .and_then(|window| Tally::from_log(window, &log).ok());
            if let (Some(recent), Some(whole)) = (recent, &report.tally) {
                report.calibration = Some([
                    calibrate::calibrate(&ledger, &recent, last.at),
                    calibrate::calibrate(&ledger, whole, last.at),
                ]);
            }
        }
    }
    report.log = log;
    report
}
