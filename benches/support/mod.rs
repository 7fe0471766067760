//! What the benches share: times, texts, and the customer with three open items.
#![allow(dead_code)] // each bench uses its own part

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use clientele::{
    AgentId, Channel, Command, CustomerId, Envelope, InteractionId, KeepPromise, Ledger,
    MakePromise, PartyId, PromiseId, RecordDependency, RecordInteraction, RegisterCustomer,
    ServicePolicy, Text, Tier,
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

pub const AGENT: AgentId = AgentId::from_u128(7);

pub fn register() -> Command {
    RegisterCustomer::new(
        text("Customer"),
        Tier::new("standard").unwrap_or_else(|_| unreachable!()),
    )
    .owned_by(AGENT)
    .into()
}

/// SplitMix64: random-looking ids without a random number generator.
pub fn mix(n: u64) -> u128 {
    let mut z = n.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    let hi = u128::from(z ^ (z >> 31));
    (hi << 64) | u128::from(n)
}

/// A book of `customers`: each registered and writing in; every other one answered, promised
/// something that is kept, and writing again.
pub fn mixed_log(customers: u64) -> Vec<Envelope> {
    let mut ledger = Ledger::new(ServicePolicy::default()).unwrap();
    let mut log = Vec::new();
    for c in 0..customers {
        let customer = CustomerId::from_u128(u128::from(c) + 1);
        let at = start() + TimeDelta::milliseconds(c as i64);
        let promise = PromiseId::from_u128(mix(c));
        let mut commands: Vec<Command> = vec![
            register(),
            RecordInteraction::inbound(
                InteractionId::from_u128(mix(4 * c)),
                Channel::Email,
                text("q"),
            )
            .into(),
        ];
        if c % 2 == 0 {
            commands.extend([
                RecordInteraction::outbound(
                    InteractionId::from_u128(mix(4 * c + 1)),
                    Channel::Email,
                    AGENT,
                    text("a"),
                )
                .into(),
                MakePromise::new(promise, text("call back"), at + TimeDelta::days(2), AGENT).into(),
                KeepPromise { promise }.into(),
                RecordInteraction::inbound(
                    InteractionId::from_u128(mix(4 * c + 2)),
                    Channel::Chat,
                    text("q"),
                )
                .into(),
            ]);
        }
        for command in commands {
            log.extend(ledger.execute(customer, command, at).unwrap());
        }
    }
    log
}
