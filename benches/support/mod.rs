//! What the benches share: times, texts, and the customer with three open items.
#![allow(dead_code)] // each bench uses its own part

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use clientele::{
    AgentId, Channel, CustomerId, InteractionId, Ledger, MakePromise, PartyId, PromiseId,
    RecordDependency, RecordInteraction, RegisterCustomer, Text, Tier,
};

/// How many customers: `CLIENTELE_BENCH_CUSTOMERS`, 1,000,000 unless set.
pub fn customers() -> u128 {
    std::env::var("CLIENTELE_BENCH_CUSTOMERS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(1_000_000)
}

pub fn start() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 8, 0, 0)
        .single()
        .unwrap_or(DateTime::UNIX_EPOCH)
}

pub fn text(s: &str) -> Text {
    Text::new(s).unwrap_or_else(|_| unreachable!())
}

/// Customer number `c` (from 0) joins `ledger` with three open items: waiting for an answer,
/// a promise we keep ourselves, and a promise an outside party fulfils with its own commitment
/// recorded; a name, a tier, one e-mail address and an owner.
pub fn three_open_items(ledger: &mut Ledger, c: u128) {
    let tier = Tier::new("gold").unwrap_or_else(|_| unreachable!());
    let agent = AgentId::from_u128(7);
    let lab = PartyId::from_u128(8);
    let customer = CustomerId::from_u128(c + 1);
    let at = start();
    let due = at + TimeDelta::days(7);
    let commands: [clientele::Command; 5] = [
        RegisterCustomer::new(text("Customer name"), tier)
            .contact(Channel::Email, text("customer@example.com"))
            .owned_by(agent)
            .into(),
        RecordInteraction::inbound(
            InteractionId::from_u128(c + 1),
            Channel::Email,
            text("Where is my order?"),
        )
        .into(),
        MakePromise::new(
            PromiseId::from_u128(2 * c + 1),
            text("Call back with the tracking number"),
            due,
            agent,
        )
        .into(),
        MakePromise::new(
            PromiseId::from_u128(2 * c + 2),
            text("Replacement part delivered"),
            due,
            agent,
        )
        .fulfilled_by(lab, text("Parts vendor"))
        .into(),
        RecordDependency {
            promise: PromiseId::from_u128(2 * c + 2),
            party: lab,
            commitment: text("Part shipped").into(),
            reference: None,
            due: at + TimeDelta::days(3),
        }
        .into(),
    ];
    for command in commands {
        let _ = ledger.execute(customer, command, at);
    }
}
