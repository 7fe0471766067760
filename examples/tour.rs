//! The whole model in one story. `cargo run --example tour`
//!
//! Ona writes to her optician by e-mail on a Friday afternoon, writes again by chat, and the
//! answer comes late. The model notices by itself: a warning before the deadline, the overdue
//! event when it passes, and the lateness when the answer finally comes. Then a promise:
//! "ready on Thursday", fulfilled by an outside lab that runs late; the model flags the promise
//! at risk the moment the lab's own date passes, and the customer is told in time. Last, a
//! complaint: acknowledged, owned, resolved with an apology and a remedy, and followed up.

mod common;

use chrono::{DateTime, TimeZone, Utc};
use clientele::{
    AcknowledgeComplaint, AgentId, AssignComplaint, Channel, ComplaintId, CompleteFollowUp,
    CustomerId, Envelope, ErasePersonalData, FollowUpId, FollowUpOutcome, IdempotencyKey,
    InteractionId, KeepPromise, Ledger, MakePromise, MeetDependency, PartyId, Priority, PromiseId,
    ReceiveComplaint, RecordDependency, RecordInteraction, RegisterCustomer, Relationship, Request,
    ResolveComplaint, RevisePromise, ServicePolicy, Tally, Text, Tier, Window,
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
    let mut ledger = Ledger::new(ServicePolicy::default())?;

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
        println!("   (the service wakes: {deadline})");
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

    println!("\n== Part 2: the promise (do what you say, and say what you do)\n");
    let glasses = PromiseId::from_u128(10);
    let lab = PartyId::from_u128(20);
    log.extend(
        ledger.execute(
            ona,
            MakePromise::new(
                glasses,
                Text::new("New glasses ready for pick-up")?,
                at(12, 17, 0),
                ruta,
            )
            .fulfilled_by(lab, Text::new("Lens lab")?)
            .made_in(InteractionId::from_u128(3)),
            at(9, 9, 45),
        )?,
    );
    log.extend(ledger.execute(
        ona,
        RecordDependency {
            promise: glasses,
            party: lab,
            commitment: Text::new("Lenses fitted")?.into(),
            reference: None,
            due: at(11, 12, 0),
        },
        at(9, 10, 0),
    )?);
    // The lab misses its own date: the promise is at risk at once, before it breaks.
    log.extend(ledger.advance_to(at(11, 13, 0)));
    println!("Flags on Wednesday 13:00:");
    common::print_flags(&ledger.flags(at(11, 13, 0)));
    // Rūta tells Ona in time and re-promises before the date passes.
    log.extend(
        ledger.execute(
            ona,
            RecordInteraction::outbound(
                InteractionId::from_u128(5),
                Channel::Sms,
                ruta,
                Text::new("The lab is a day late: Friday?")?,
            )
            .regarding(glasses),
            at(11, 14, 0),
        )?,
    );
    log.extend(ledger.execute(
        ona,
        RevisePromise {
            promise: glasses,
            due: at(13, 17, 0),
            reason: Text::new("Lab delay")?.into(),
            customer_agreed: true,
        },
        at(11, 14, 0),
    )?);
    log.extend(ledger.execute(ona, MeetDependency { promise: glasses }, at(12, 16, 0))?);
    log.extend(ledger.execute(ona, KeepPromise { promise: glasses }, at(13, 11, 0))?);
    println!("Flags on Friday after pick-up:");
    common::print_flags(&ledger.flags(at(13, 12, 0)));
    println!(
        "(`cargo run --example optician` tells the same lab delay the silent way, and compares.)"
    );

    println!("\n== Part 3: a complaint, welcomed, resolved and followed up\n");
    let scratch = ComplaintId::from_u128(30);
    log.extend(
        ledger.execute(
            ona,
            ReceiveComplaint::new(
                scratch,
                Channel::InPerson,
                Text::new("The new frame scratches my nose")?,
            )
            .about_promise(glasses),
            at(16, 10, 0),
        )?,
    );
    log.extend(ledger.execute(
        ona,
        AcknowledgeComplaint {
            complaint: scratch,
            by: ruta,
        },
        at(16, 10, 5),
    )?);
    log.extend(ledger.execute(
        ona,
        AssignComplaint {
            complaint: scratch,
            owner: ruta,
        },
        at(16, 10, 5),
    )?);
    log.extend(ledger.execute(
        ona,
        ResolveComplaint {
            complaint: scratch,
            by: ruta,
            remedy: Some(Text::new("Nose pads adjusted, free of charge")?.into()),
            apology: true,
            summary: Text::new("Frame refitted while she waited")?.into(),
            follow_up: Some(FollowUpId::from_u128(40)),
        },
        at(16, 10, 30),
    )?);
    log.extend(ledger.advance_to(at(17, 9, 0)));
    log.extend(ledger.execute(
        ona,
        CompleteFollowUp {
            follow_up: FollowUpId::from_u128(40),
            outcome: FollowUpOutcome::Satisfied,
            note: None,
        },
        at(17, 9, 0),
    )?);
    println!("Flags after the follow-up:");
    common::print_flags(&ledger.flags(at(17, 9, 0)));
    println!("(`cargo run --example complaint_desk` climbs the escalation ladder.)");

    println!("\n== Part 4: retries, two agents at once, and the right to be forgotten\n");
    // The shop's web form times out and sends Ona's thank-you note twice, with the same key.
    let note = Request::new(
        RecordInteraction::inbound(
            InteractionId::from_u128(50),
            Channel::Email,
            Text::new("Thank you, all sorted")?,
        )
        .no_reply_needed(),
    )
    .idempotent(IdempotencyKey::new("web-form-8812")?);
    let first = ledger.execute_request(ona, note.clone(), at(18, 8, 0))?;
    let again = ledger.execute_request(ona, note, at(18, 8, 1))?;
    println!(
        "The web form sent the note twice: {} event stored the first time, {} the second.",
        first.len(),
        again.len()
    );
    log.extend(first);
    // Two agents read version N; the first to write wins, the second is told to reload.
    let seen = ledger.get(ona).map_or(0, Relationship::version);
    let thanks = |n| {
        Ok::<_, clientele::ValueError>(Request::new(RecordInteraction::outbound(
            InteractionId::from_u128(n),
            Channel::Email,
            ruta,
            Text::new("Glad to help!")?,
        )))
    };
    log.extend(ledger.execute_request(ona, thanks(51)?.expecting(seen), at(18, 9, 0))?);
    match ledger.execute_request(ona, thanks(52)?.expecting(seen), at(18, 9, 0)) {
        Err(conflict) => println!("The second agent's reply is refused: {conflict}."),
        Ok(_) => unreachable!("the relationship moved on"),
    }
    // Ona asks the shop to forget her. Her measures stay; her name and words go.
    let before = Tally::from_log(Window::all(), &log)?;
    log.extend(ledger.execute(ona, ErasePersonalData::default(), at(18, 10, 0))?);
    let after = Tally::from_log(Window::all(), &log)?;
    let relationship = ledger.get(ona).ok_or("Ona is held")?;
    assert!(!relationship.holds_personal_data());
    assert_eq!(before.book(), after.book());
    println!(
        "Erased: she is now {:?}; every measure is unchanged ({} promise kept, {} complaint resolved).",
        relationship.profile().map(|p| &p.name),
        after.book().promises.total().kept.met + after.book().promises.total().kept.met_late,
        after.book().complaints.resolution.met + after.book().complaints.resolution.met_late,
    );

    println!("\nThe timeline, as stored:\n");
    common::print(&log);

    let replayed = Ledger::replay(ServicePolicy::default(), &log)?;
    assert_eq!(replayed.get(ona), ledger.get(ona));
    println!(
        "\nReplaying the {} stored events gives the same state, with no clock; the erasure \
         replays too, so her personal data never comes back.",
        log.len()
    );
    Ok(())
}
