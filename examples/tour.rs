//! The whole model in one story. `cargo run --example tour`
//!
//! Ona writes to her optician by e-mail on a Friday afternoon, writes again by chat, and the
//! answer comes late. The model notices by itself: a warning before the deadline, the overdue
//! event when it passes, and the lateness when the answer finally comes.

mod common;

use chrono::{DateTime, TimeZone, Utc};
use clientele::{
    AgentId, Channel, CustomerId, Envelope, InteractionId, Ledger, Priority, RecordInteraction,
    RegisterCustomer, ServicePolicy, Text, Tier,
};

fn at(day: u32, hour: u32, minute: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, day, hour, minute, 0)
        .single()
        .unwrap_or(DateTime::UNIX_EPOCH)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let ona = CustomerId::from_u128(1);
    let ruta = AgentId::from_u128(100); // the shop's account manager
    let mut log: Vec<Envelope> = Vec::new(); // the service's event store
    let mut ledger = Ledger::new(ServicePolicy::default());

    println!("== Part 1: the customer waits (response clocks)\n");
    log.extend(
        ledger.execute(
            ona,
            RegisterCustomer::new(Text::new("Ona Petraitė")?, Tier::new("standard")?)
                .contact(Channel::Email, Text::new("ona@example.lt")?)
                .owned_by(ruta),
            at(2, 10, 0),
        )?,
    );
    log.extend(
        ledger.execute(
            ona,
            RecordInteraction::inbound(
                InteractionId::from_u128(1),
                Channel::Email,
                Text::new("Are my new glasses ready?")?,
            )
            .priority(Priority::Normal),
            at(6, 16, 30),
        )?,
    );
    log.extend(ledger.execute(
        ona,
        RecordInteraction::inbound(
            InteractionId::from_u128(2),
            Channel::Chat,
            Text::new("Hello? Anyone there?")?,
        ),
        at(6, 19, 5),
    )?);

    // The service sleeps until the next deadline the model names, and advances to it.
    let monday = at(9, 9, 15);
    while let Some(deadline) = ledger.next_deadline().filter(|d| d.at <= monday) {
        println!(
            "   (the service wakes at {} for {:?})",
            common::when(deadline.at),
            deadline.kind
        );
        log.extend(ledger.advance_to(deadline.at));
    }
    println!("\nFlags on Saturday morning, for the account manager:");
    common::print_flags(&ledger.flags(at(7, 9, 0)));

    log.extend(ledger.execute(
        ona,
        RecordInteraction::outbound(
            InteractionId::from_u128(3),
            Channel::Phone,
            ruta,
            Text::new("Sorry! Ready on Thursday.")?,
        ),
        monday,
    )?);
    log.extend(
        ledger.execute(
            ona,
            RecordInteraction::inbound(
                InteractionId::from_u128(4),
                Channel::Email,
                Text::new("Thank you!")?,
            )
            .no_reply_needed(),
            at(9, 9, 40),
        )?,
    );

    println!("\nThe timeline, as stored:\n");
    common::print(&log);

    let replayed = Ledger::replay(ServicePolicy::default(), &log)?;
    assert_eq!(replayed.get(ona), ledger.get(ona));
    println!(
        "\nReplaying the {} stored events gives the same state, with no clock.",
        log.len()
    );
    Ok(())
}
