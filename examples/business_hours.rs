//! Response targets in business time. `cargo run --example business_hours`
//!
//! A team in Berlin works Monday to Friday, 09:00–17:00; Easter Monday is a holiday. A
//! customer writes on the Friday afternoon before it: the first-response deadline lands on
//! Tuesday, because the weekend and the holiday are not working time. An urgent call on the
//! Saturday before the spring clock change runs on the 24/7 line's calendar, whose night of
//! 29 March has only 23 hours. And a complaint waits on the customer over a weekend: the
//! paused business time is recorded and not counted toward its target.

mod common;

use chrono::{DateTime, NaiveDate, TimeDelta, TimeZone, Utc};
use clientele::calendar::WallTime;
use clientele::policy::{ByPriority, Targets};
use clientele::{
    AcknowledgeComplaint, AgentId, AssignComplaint, AwaitCustomer, Channel, ComplaintId,
    CustomerId, Event, InteractionId, Ledger, Priority, ReceiveComplaint, RecordInteraction,
    RegisterCustomer, ResumeComplaint, ServiceCalendar, ServicePolicy, Span, Text, Tier,
};
use clientele::{ComplaintEvent, ResponseEvent};

/// Berlin local time (UTC+1 in winter, UTC+2 from 29 March 2026 01:00 UTC) to UTC.
fn berlin(month: u32, day: u32, hour: u32, minute: u32) -> DateTime<Utc> {
    let local = Utc
        .with_ymd_and_hms(2026, month, day, hour, minute, 0)
        .single()
        .unwrap_or(DateTime::UNIX_EPOCH);
    let winter = local - TimeDelta::hours(1);
    if winter
        < Utc
            .with_ymd_and_hms(2026, 3, 29, 1, 0, 0)
            .single()
            .unwrap_or(DateTime::UNIX_EPOCH)
    {
        winter
    } else {
        local - TimeDelta::hours(2)
    }
}

/// A clock's due instant in local time, or that it has none.
fn local_due(due: Option<DateTime<Utc>>) -> String {
    due.map_or_else(|| "never (no target)".to_string(), local)
}

fn local(at: DateTime<Utc>) -> String {
    let summer = at
        >= Utc
            .with_ymd_and_hms(2026, 3, 29, 1, 0, 0)
            .single()
            .unwrap_or(DateTime::UNIX_EPOCH);
    let offset = if summer { 2 } else { 1 };
    format!(
        "{} Berlin",
        (at + TimeDelta::hours(offset)).format("%a %d %b %H:%M")
    )
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let desk = ServiceCalendar::builder("Europe/Berlin")?
        .weekdays(WallTime::hm(9, 0)?, WallTime::hm(17, 0)?)
        .holiday(
            NaiveDate::from_ymd_opt(2026, 4, 6).ok_or("date")?,
            "Easter Monday",
        )
        .build()?;
    let line = ServiceCalendar::builder("Europe/Berlin")?
        .every_day(WallTime::MIDNIGHT, WallTime::END_OF_DAY)
        .build()?;
    let targets = Targets::new(ByPriority {
        low: Span::hours(16),
        normal: Span::hours(8),
        high: Span::hours(4),
        urgent: Span::hours(24),
    })
    .on_calendar(Priority::Urgent, "24/7 line");
    let complaints = clientele::policy::ComplaintPolicy {
        resolve: Targets::new(ByPriority::uniform(Span::hours(8))),
        ..clientele::policy::ComplaintPolicy::default()
    };
    let policy = ServicePolicy {
        calendar: desk,
        complaints,
        calendars: [("24/7 line".to_string(), line)].into(),
        first_response: targets.clone(),
        reply: targets,
        ..ServicePolicy::default()
    };
    let mut ledger = Ledger::new(policy)?;
    let agent = AgentId::from_u128(100);

    let customer = CustomerId::from_u128(1);
    ledger.execute(
        customer,
        RegisterCustomer::new(Text::new("Greta")?, Tier::new("standard")?).owned_by(agent),
        berlin(3, 2, 9, 0),
    )?;

    println!(
        "== A ticket on the Friday afternoon before Easter Monday (target: 4 business hours)\n"
    );
    let friday = berlin(4, 3, 16, 30);
    let started = ledger.execute(
        customer,
        RecordInteraction::inbound(
            InteractionId::from_u128(1),
            Channel::WebForm,
            Text::new("My invoice is wrong")?,
        )
        .priority(Priority::High),
        friday,
    )?;
    for envelope in &started {
        if let Event::Response(ResponseEvent::ClockStarted { due, target, .. }) = envelope.event {
            println!(
                "written {}; {target} of business time; due {}",
                local(friday),
                local_due(due)
            );
            println!(
                "(30 minutes on Friday; the weekend and Easter Monday do not count; 3 h 30 on Tuesday)"
            );
        }
    }
    let answer = berlin(4, 7, 10, 0);
    let stopped = ledger.execute(
        customer,
        RecordInteraction::outbound(
            InteractionId::from_u128(2),
            Channel::Email,
            agent,
            Text::new("Corrected invoice attached")?,
        ),
        answer,
    )?;
    for envelope in &stopped {
        if let Event::Response(ResponseEvent::ClockStopped {
            waited, outcome, ..
        }) = &envelope.event
        {
            println!(
                "answered {}: waited {} by the wall clock, {} of business time: {outcome:?}\n",
                local(answer),
                waited.wall,
                waited.business
            );
        }
    }

    println!(
        "== A complaint that waits on the customer over the weekend (resolution: 8 business hours)\n"
    );
    let complaint = ComplaintId::from_u128(7);
    let friday = berlin(3, 13, 13, 0);
    let customer = CustomerId::from_u128(3);
    ledger.execute(
        customer,
        RegisterCustomer::new(Text::new("Rasa")?, Tier::new("standard")?).owned_by(agent),
        friday,
    )?;
    let received = ledger.execute(
        customer,
        ReceiveComplaint::new(complaint, Channel::Email, Text::new("Charged twice")?),
        friday,
    )?;
    for envelope in &received {
        if let Event::Complaint(ComplaintEvent::Received { resolution, .. }) = &envelope.event {
            println!(
                "received {}; resolution due {}",
                local(friday),
                local_due(resolution.due)
            );
        }
    }
    ledger.execute(
        customer,
        AcknowledgeComplaint {
            complaint,
            by: agent,
        },
        berlin(3, 13, 13, 30),
    )?;
    ledger.execute(
        customer,
        AssignComplaint {
            complaint,
            owner: agent,
        },
        berlin(3, 13, 13, 30),
    )?;
    let asked = berlin(3, 13, 15, 0);
    ledger.execute(customer, AwaitCustomer { complaint }, asked)?;
    println!(
        "{}: asked for the bank statement; waiting on the customer",
        local(asked)
    );
    let answered = berlin(3, 16, 11, 0);
    for envelope in ledger.execute(customer, ResumeComplaint { complaint }, answered)? {
        if let Event::Complaint(ComplaintEvent::Resumed {
            paused,
            resolution: Some(terms),
            ..
        }) = envelope.event
        {
            println!(
                "{}: statement received; {paused} of business time paused (Friday 15-17, Monday 9-11), not counted",
                local(answered)
            );
            println!("resolution now due {}\n", local_due(terms.due));
        }
    }

    println!(
        "== An urgent call on the 24/7 line, across the spring clock change (target: 24 hours)\n"
    );
    let caller = CustomerId::from_u128(2);
    let saturday = berlin(3, 28, 12, 0);
    ledger.execute(
        caller,
        RegisterCustomer::new(Text::new("Jonas")?, Tier::new("standard")?),
        saturday,
    )?;
    let started = ledger.execute(
        caller,
        RecordInteraction::inbound(
            InteractionId::from_u128(3),
            Channel::Phone,
            Text::new("The heating is off")?,
        )
        .priority(Priority::Urgent),
        saturday,
    )?;
    for envelope in &started {
        if let Event::Response(ResponseEvent::ClockStarted {
            due, ref calendar, ..
        }) = envelope.event
        {
            println!(
                "called {} on calendar {calendar:?}; due {}",
                local(saturday),
                local_due(due)
            );
            println!(
                "(the night of 29 March has 23 hours: 24 business hours end at 13:00, not 12:00)"
            );
            assert_eq!(due, Some(berlin(3, 29, 13, 0)));
        }
    }
    let woke = ledger.advance_to(berlin(3, 30, 0, 0));
    println!();
    for envelope in &woke {
        println!("{}  {}", local(envelope.at), envelope.event);
    }
    Ok(())
}
