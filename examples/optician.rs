//! Seed 002, "Sending mixed signals drives customers away", told through the API.
//! `cargo run --example optician`
//!
//! An optician promises new glasses "in a week". The outside lens lab is late; the shop says
//! nothing; the promise breaks in silence; "another week" is promised; it breaks again; the
//! glasses finally come, late, and the customer does not come back.
//!
//! The story goes on: after the second break Ona complains; the complaint is acknowledged
//! late, escalates to the manager, is resolved with an apology and a remedy, and the follow-up
//! finds her satisfied.
//!
//! Then the same week played the way the article recommends: "do what you say, and say what
//! you do". The lab is just as late, but the shop tells the customer in time and re-promises
//! before the date passes. The printed flags show the difference.

mod common;

use chrono::{DateTime, Utc};
use clientele::PromiseEvent;
use clientele::promise::Notice;
use clientele::{
    AcknowledgeComplaint, Channel, CloseComplaint, ComplaintId, CompleteFollowUp, CustomerId,
    EscalateComplaint, Event, FollowUpId, FollowUpOutcome, InteractionId, KeepPromise, Ledger,
    MakePromise, MeetDependency, PartyId, Priority, PromiseId, ReceiveComplaint, RecordDependency,
    RecordInteraction, RegisterCustomer, ResolveComplaint, RevisePromise, ServicePolicy, Tier,
};

const ONA: CustomerId = CustomerId::from_u128(1);
const LAB: PartyId = PartyId::from_u128(200); // the outside lens lab
const GLASSES: PromiseId = PromiseId::from_u128(300);
const COMPLAINT: ComplaintId = ComplaintId::from_u128(400);
const FOLLOW_UP: FollowUpId = FollowUpId::from_u128(500);

use common::{DAIVA, RUTA, march as at, text};

/// A shop: the ledger, its stored log, and an interaction counter.
struct Shop {
    story: common::Story,
    next_interaction: u128,
}

impl Shop {
    fn open() -> Result<Self, clientele::CommandError> {
        let mut shop = Shop {
            story: common::Story::new(Ledger::new(ServicePolicy::default())?, ONA),
            next_interaction: 1,
        };
        shop.run(
            RegisterCustomer::new(text("Ona"), Tier::new("standard")?)
                .owned_by(RUTA)
                .into(),
            at(2, 9),
        )?;
        Ok(shop)
    }

    fn run(
        &mut self,
        command: clientele::Command,
        now: DateTime<Utc>,
    ) -> Result<(), clientele::CommandError> {
        self.story.run(command, now)
    }

    fn say(
        &mut self,
        direction: clientele::Direction,
        channel: Channel,
        words: &str,
    ) -> RecordInteraction {
        let id = InteractionId::from_u128(self.next_interaction);
        self.next_interaction += 1;
        let record = match direction {
            clientele::Direction::Inbound => RecordInteraction::inbound(id, channel, text(words)),
            clientele::Direction::Outbound => {
                RecordInteraction::outbound(id, channel, RUTA, text(words))
            }
        };
        if self
            .story
            .ledger
            .get(ONA)
            .and_then(|r| r.promise(GLASSES))
            .is_some()
        {
            record.regarding(GLASSES)
        } else {
            record
        }
    }

    fn flags(&mut self, now: DateTime<Utc>) {
        self.story.board(now, "flags for Rūta");
    }

    fn days_after_first_date(&self) -> String {
        // A kept promise is archived (its stage only): the dates are read from the log.
        let first_due = self.story.log.iter().find_map(|e| match e.event {
            Event::Promise(PromiseEvent::Made { promise, due, .. }) if promise == GLASSES => {
                Some(due)
            }
            _ => None,
        });
        let kept_at = self.story.log.iter().find_map(|e| match e.event {
            Event::Promise(PromiseEvent::Kept { promise, .. }) if promise == GLASSES => Some(e.at),
            _ => None,
        });
        first_due
            .zip(kept_at)
            .map(|(due, at)| at.signed_duration_since(due))
            .map_or_else(
                || "-".into(),
                |d| {
                    if d.num_seconds() <= 0 {
                        "on time".into()
                    } else {
                        format!("{} days late", d.num_days())
                    }
                },
            )
    }

    fn summary(&self) -> (u32, u32, u32) {
        let silent = self
            .story
            .log
            .iter()
            .filter(|e| {
                matches!(
                    e.event,
                    Event::Promise(PromiseEvent::Broken {
                        notice: Notice::InSilence,
                        ..
                    })
                )
            })
            .count() as u32;
        let count = |is: fn(&PromiseEvent) -> bool| {
            self.story
                .log
                .iter()
                .filter(|e| matches!(&e.event, Event::Promise(p) if is(p)))
                .count() as u32
        };
        let breaks = count(|p| matches!(p, PromiseEvent::Broken { .. }));
        let slips = count(|p| matches!(p, PromiseEvent::Revised { .. }));
        (breaks, silent, slips)
    }
}

/// Both stories start alike: Ona orders, Rūta promises a week, the lab commits to Thursday.
fn order(shop: &mut Shop) -> Result<(), Box<dyn std::error::Error>> {
    let order = shop
        .say(
            clientele::Direction::Inbound,
            Channel::InPerson,
            "I'd like new glasses",
        )
        .no_reply_needed();
    shop.run(order.into(), at(2, 10))?;
    shop.run(
        MakePromise::new(GLASSES, text("New glasses ready"), at(9, 17), RUTA)
            .fulfilled_by(LAB, text("Lens lab"))
            .into(),
        at(2, 10),
    )?;
    shop.run(
        RecordDependency {
            promise: GLASSES,
            party: LAB,
            commitment: text("Lenses ground and fitted").into(),
            reference: None,
            due: at(5, 12),
        }
        .into(),
        at(2, 11),
    )?;
    Ok(())
}

fn silent_week() -> Result<Shop, Box<dyn std::error::Error>> {
    println!("== The way it went: mixed signals\n");
    let mut shop = Shop::open()?;
    order(&mut shop)?;
    shop.flags(at(6, 9));
    // Nobody tells Ona anything. The week passes.
    let call = shop.say(
        clientele::Direction::Inbound,
        Channel::Phone,
        "Where are my glasses?",
    );
    shop.run(call.into(), at(10, 10))?;
    shop.flags(at(10, 10));
    let excuse = shop.say(
        clientele::Direction::Outbound,
        Channel::Phone,
        "Not our fault, the lab is late. Another week.",
    );
    shop.run(excuse.into(), at(10, 11))?;
    shop.run(
        RevisePromise {
            promise: GLASSES,
            due: at(16, 17),
            reason: text("The lab is late").into(),
            customer_agreed: false,
        }
        .into(),
        at(10, 11),
    )?;
    shop.run(
        RecordDependency {
            promise: GLASSES,
            party: LAB,
            commitment: text("Lenses, really this time").into(),
            reference: None,
            due: at(13, 12),
        }
        .into(),
        at(10, 12),
    )?;
    // Silence again; the lab is late again.
    let call = shop.say(
        clientele::Direction::Inbound,
        Channel::Phone,
        "Still nothing?",
    );
    shop.run(call.into(), at(17, 10))?;
    // This time Ona complains: a complaining customer still invests in the relationship.
    shop.run(
        ReceiveComplaint::new(
            COMPLAINT,
            Channel::Phone,
            text("Promised twice, still no glasses"),
        )
        .priority(Priority::High)
        .about_promise(GLASSES)
        .into(),
        at(17, 10),
    )?;
    let excuse = shop.say(
        clientele::Direction::Outbound,
        Channel::Phone,
        "Another few days, sorry.",
    );
    shop.run(excuse.into(), at(17, 11))?;
    shop.run(
        RevisePromise {
            promise: GLASSES,
            due: at(20, 17),
            reason: text("The lab is late again").into(),
            customer_agreed: false,
        }
        .into(),
        at(17, 11),
    )?;
    // The acknowledgement comes late, and the front line sits on it past its threshold.
    shop.run(
        AcknowledgeComplaint {
            complaint: COMPLAINT,
            by: RUTA,
        }
        .into(),
        at(17, 13),
    )?;
    shop.flags(at(17, 18));
    shop.run(
        EscalateComplaint {
            complaint: COMPLAINT,
            to_level: 2,
            owner: DAIVA,
        }
        .into(),
        at(18, 9),
    )?;
    // The lab delivers on the Friday afternoon, but nobody calls Ona; she comes in on Saturday.
    shop.run(MeetDependency { promise: GLASSES }.into(), at(20, 18))?;
    let visit = shop.say(
        clientele::Direction::Inbound,
        Channel::InPerson,
        "I came to see if they are ready.",
    );
    shop.run(visit.into(), at(21, 11))?;
    shop.run(KeepPromise { promise: GLASSES }.into(), at(21, 11))?;
    let bye = shop.say(
        clientele::Direction::Outbound,
        Channel::InPerson,
        "Here they are.",
    );
    shop.run(bye.into(), at(21, 11))?;
    shop.run(
        ResolveComplaint {
            complaint: COMPLAINT,
            by: DAIVA,
            remedy: Some(text("Free anti-glare coating; we changed labs").into()),
            apology: true,
            summary: text("Glasses handed over; the manager apologised in person").into(),
            follow_up: Some(FOLLOW_UP),
        }
        .into(),
        at(21, 11),
    )?;
    shop.run(
        CompleteFollowUp {
            follow_up: FOLLOW_UP,
            outcome: FollowUpOutcome::Satisfied,
            note: Some(text("Glasses fit; she appreciated the call").into()),
        }
        .into(),
        at(22, 10),
    )?;
    shop.run(
        CloseComplaint {
            complaint: COMPLAINT,
        }
        .into(),
        at(22, 10),
    )?;
    Ok(shop)
}

fn told_in_time() -> Result<Shop, Box<dyn std::error::Error>> {
    println!("\n== The way the article recommends: say what you do\n");
    let mut shop = Shop::open()?;
    order(&mut shop)?;
    // The lab's date passes: the model flags the promise at risk at once. Rūta acts.
    let call = shop.say(
        clientele::Direction::Outbound,
        Channel::Phone,
        "The lab is late; I am chasing them. Is Monday the 16th all right?",
    );
    shop.run(call.into(), at(5, 14))?;
    shop.run(
        RevisePromise {
            promise: GLASSES,
            due: at(16, 17),
            reason: text("The lab is late; told Ona in time").into(),
            customer_agreed: true,
        }
        .into(),
        at(5, 14),
    )?;
    shop.run(
        RecordDependency {
            promise: GLASSES,
            party: LAB,
            commitment: text("Lenses, priority order").into(),
            reference: None,
            due: at(12, 12),
        }
        .into(),
        at(5, 15),
    )?;
    shop.flags(at(10, 10));
    let update = shop.say(
        clientele::Direction::Outbound,
        Channel::Sms,
        "Your lenses are at the lab's finishing stage.",
    );
    shop.run(update.into(), at(11, 9))?;
    shop.run(MeetDependency { promise: GLASSES }.into(), at(12, 11))?;
    shop.run(KeepPromise { promise: GLASSES }.into(), at(13, 16))?;
    let thanks = shop
        .say(
            clientele::Direction::Inbound,
            Channel::InPerson,
            "Thank you for keeping me posted!",
        )
        .no_reply_needed();
    shop.run(thanks.into(), at(13, 17))?;
    Ok(shop)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let silent = silent_week()?;
    let told = told_in_time()?;
    let (b1, s1, r1) = silent.summary();
    let (b2, s2, r2) = told.summary();
    println!("\n== The difference\n");
    println!("                         mixed signals   say what you do");
    println!("   breaks                {b1:>13}   {b2:>15}");
    println!("   broken in silence     {s1:>13}   {s2:>15}");
    println!("   re-promises (slips)   {r1:>13}   {r2:>15}");
    println!(
        "   vs the first date     {:>13}   {:>15}",
        silent.days_after_first_date(),
        told.days_after_first_date()
    );
    assert!(b1 > b2 && s1 > s2, "the story must show the difference");
    for shop in [&silent, &told] {
        let replayed = Ledger::replay(ServicePolicy::default(), &shop.story.log)?;
        assert_eq!(replayed.get(ONA), shop.story.ledger.get(ONA));
    }
    Ok(())
}
