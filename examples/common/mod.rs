//! Shared by the examples: prints events as a readable timeline.
#![allow(dead_code)]

use chrono::{DateTime, TimeZone, Utc};
use clientele::{AgentId, Command, CommandError, CustomerId, Envelope, Flag, Ledger, Text};

pub fn when(at: DateTime<Utc>) -> String {
    at.format("%a %d %b %H:%M UTC").to_string()
}

/// Prints a timeline: each event's time and the crate's own English for it (`Display`, which
/// leaves personal data out).
pub fn print(envelopes: &[Envelope]) {
    for envelope in envelopes {
        println!("{}  {}", when(envelope.at), envelope.event);
    }
}

/// Rūta: the optician, owner of accounts and promises.
pub const RUTA: AgentId = AgentId::from_u128(100);
/// Jonas: front line.
pub const JONAS: AgentId = AgentId::from_u128(101);
/// Daiva: the manager.
pub const DAIVA: AgentId = AgentId::from_u128(102);

/// The names of the people in the examples' stories.
pub fn name(agent: Option<AgentId>) -> &'static str {
    match agent {
        Some(RUTA) => "Rūta",
        Some(JONAS) => "Jonas",
        Some(DAIVA) => "Daiva",
        Some(_) => "an agent",
        None => "nobody",
    }
}

/// Validated text from a literal the example knows to be valid.
pub fn text(s: &str) -> Text {
    Text::new(s).unwrap_or_else(|e| panic!("{e}"))
}

/// `day` March 2026 at `hour`:00 UTC, when the stories happen.
pub fn march(day: u32, hour: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, day, hour, 0, 0)
        .single()
        .unwrap_or(DateTime::UNIX_EPOCH)
}

/// Prints a board of flags, in the crate's own English, with the owner's name.
pub fn print_flags(flags: &[Flag]) {
    if flags.is_empty() {
        println!("   (no flags)");
    }
    for flag in flags {
        println!("   flag {flag}  [{}]", name(flag.owner));
    }
}

/// One customer's story: the ledger, the stored log, and a printed timeline.
pub struct Story {
    pub ledger: Ledger,
    pub log: Vec<Envelope>,
    pub customer: CustomerId,
}

impl Story {
    pub fn new(ledger: Ledger, customer: CustomerId) -> Self {
        Self {
            ledger,
            log: Vec::new(),
            customer,
        }
    }

    /// Advances to `now` (as a service's timer would), then runs `command`, printing what
    /// happened.
    pub fn run(
        &mut self,
        command: impl Into<Command>,
        now: DateTime<Utc>,
    ) -> Result<(), CommandError> {
        self.wait_until(now);
        let events = self.ledger.execute(self.customer, command, now)?;
        print(&events);
        self.log.extend(events);
        Ok(())
    }

    /// Wakes at every deadline up to `now`, as a service's timer would.
    pub fn wait_until(&mut self, now: DateTime<Utc>) {
        while let Some(deadline) = self.ledger.next_deadline().filter(|d| d.at <= now) {
            let events = self.ledger.advance_to(deadline.at);
            print(&events);
            self.log.extend(events);
        }
    }

    /// Prints the flags at `now`, after waking for everything due by then.
    pub fn board(&mut self, now: DateTime<Utc>, title: &str) {
        self.wait_until(now);
        println!("   -- {title} at {}:", when(now));
        print_flags(&self.ledger.flags(now));
    }
}
