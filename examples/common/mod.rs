//! Shared by the examples: prints events as a readable timeline.
#![allow(dead_code)]

use chrono::{DateTime, TimeZone, Utc};
use clientele::outcome::Outcome;
use clientele::promise::{Notice, RevisionTiming};
use clientele::{
    AgentId, Command, CommandError, CustomerId, Envelope, Event, Flag, Ledger, Personal, Subject,
    Text,
};
use clientele::{
    ComplaintEvent, CustomerEvent, FollowUpEvent, HealthEvent, PromiseEvent, ResponseEvent,
    SurveyEvent,
};

pub fn when(at: DateTime<Utc>) -> String {
    at.format("%a %d %b %H:%M UTC").to_string()
}

/// A clock's due instant, or that it has none (its calendar could not compute one).
pub fn due_at(due: Option<DateTime<Utc>>) -> String {
    due.map_or_else(|| "never (no target)".to_string(), when)
}

/// Personal data, shown: the examples are the agent's own screen.
pub fn shown(personal: &Personal) -> &str {
    personal.reveal().map_or("‹erased›", Text::as_str)
}

pub fn describe(event: &Event) -> String {
    match event {
        Event::Customer(CustomerEvent::Registered { name, tier, .. }) => {
            format!("{name} registered ({tier})", name = shown(name))
        }
        Event::Customer(CustomerEvent::Renamed { name }) => {
            format!("now called {name}", name = shown(name))
        }
        Event::Customer(CustomerEvent::TierChanged { tier }) => format!("moved to tier {tier}"),
        Event::Customer(CustomerEvent::ContactPointSet { channel, address }) => {
            format!(
                "{channel} address set to {address}",
                address = shown(address)
            )
        }
        Event::Customer(CustomerEvent::ContactPointRemoved { channel }) => {
            format!("{channel} address removed")
        }
        Event::Customer(CustomerEvent::PreferredChannelSet { channel }) => {
            format!("preferred channel: {channel:?}")
        }
        Event::Customer(CustomerEvent::AccountOwnerSet { owner }) => {
            format!("account owner: {owner:?}")
        }
        Event::Response(ResponseEvent::InteractionRecorded {
            channel,
            direction,
            summary,
            awaits_reply,
            ..
        }) => match direction {
            clientele::Direction::Inbound if *awaits_reply => {
                format!("<- {channel}: \"{summary}\"", summary = shown(summary))
            }
            clientele::Direction::Inbound => {
                format!(
                    "<- {channel}: \"{summary}\" (no answer needed)",
                    summary = shown(summary)
                )
            }
            clientele::Direction::Outbound => {
                format!("-> {channel}: \"{summary}\"", summary = shown(summary))
            }
        },
        Event::Response(ResponseEvent::ClockStarted {
            kind, target, due, ..
        }) => {
            format!("   clock: {kind:?} within {target}, due {}", due_at(*due))
        }
        Event::Response(ResponseEvent::AtRisk { due, .. }) => {
            format!("!  response at risk: due {}", when(*due))
        }
        Event::Response(ResponseEvent::Overdue { due, .. }) => {
            format!("!! response overdue since {}", when(*due))
        }
        Event::Response(ResponseEvent::ClockStopped {
            waited, outcome, ..
        }) => match outcome {
            Outcome::Met => format!("   answered after {}: met", waited.wall),
            Outcome::MetLate { lateness } | Outcome::Missed { lateness } => {
                format!(
                    "   answered after {}: late by {}",
                    waited.wall, lateness.wall
                )
            }
            Outcome::Untimed => format!("   answered after {} (no target)", waited.wall),
        },
        Event::Response(ResponseEvent::AwaitingCustomer { about, .. }) => {
            format!("   we wait for the customer's answer (paused: {about:?})")
        }
        Event::Response(ResponseEvent::UpdateClockStarted { about, due, .. }) => match due {
            Some(due) => format!("   update on {about:?} due {}", when(*due)),
            None => format!("   update on {about:?} has no target"),
        },
        Event::Response(ResponseEvent::UpdateAtRisk { about, due }) => {
            format!(" ! update on {about:?} due {}", when(*due))
        }
        Event::Response(ResponseEvent::UpdateOverdue { about, due }) => {
            format!("!! no update on {about:?} since it was due {}", when(*due))
        }
        Event::Promise(PromiseEvent::Made {
            what,
            due,
            fulfiller,
            ..
        }) => {
            let by = match fulfiller {
                clientele::Fulfiller::Us => "us".to_string(),
                clientele::Fulfiller::Party { name, .. } => name.to_string(),
            };
            format!(
                "*  promised \"{what}\" by {} (done by {by})",
                when(*due),
                what = shown(what)
            )
        }
        Event::Promise(PromiseEvent::AtRisk { reason, due, .. }) => {
            format!(
                "!  promise at risk ({reason:?}): due {}; tell the customer now",
                when(*due)
            )
        }
        Event::Promise(PromiseEvent::Broken { notice, breaks, .. }) => match notice {
            Notice::InSilence => format!("!! promise BROKEN in silence (break #{breaks})"),
            Notice::WithNotice => format!("!! promise broken, customer was told (break #{breaks})"),
        },
        Event::Promise(PromiseEvent::Revised {
            due,
            timing,
            customer_agreed,
            slips,
            cumulative_slip,
            ..
        }) => {
            let timing = match timing {
                RevisionTiming::Proactive => "in time",
                RevisionTiming::AfterBreak => "after it broke",
            };
            let agreed = if *customer_agreed {
                "agreed"
            } else {
                "did not agree"
            };
            format!(
                "*  re-promised {timing} for {} (slip #{slips}, {cumulative_slip} in total; customer {agreed})",
                when(*due)
            )
        }
        Event::Promise(PromiseEvent::SlippedRepeatedly {
            slips,
            cumulative_slip,
            ..
        }) => {
            format!(
                "!! slipped {slips} times ({cumulative_slip}): \"another week, and still nothing\""
            )
        }
        Event::Promise(PromiseEvent::Kept { outcome, .. }) => match outcome {
            Outcome::Met => "*  promise kept on time".to_string(),
            Outcome::MetLate { lateness } | Outcome::Missed { lateness } => {
                format!("*  promise kept, late by {}", lateness.wall)
            }
            Outcome::Untimed => "*  promise kept".to_string(),
        },
        Event::Promise(PromiseEvent::Withdrawn { reason, .. }) => {
            format!("*  promise withdrawn: {reason}", reason = shown(reason))
        }
        Event::Promise(PromiseEvent::DependencyRecorded {
            commitment: what,
            due,
            ..
        }) => {
            format!(
                "   the lab committed: \"{what}\" by {}",
                when(*due),
                what = shown(what)
            )
        }
        Event::Promise(PromiseEvent::DependencyLate { due, .. }) => {
            format!("!  the lab missed its own date ({})", when(*due))
        }
        Event::Promise(PromiseEvent::DependencyMet { outcome, .. }) => match outcome {
            Outcome::Met => "   the lab delivered on time".to_string(),
            Outcome::MetLate { lateness } | Outcome::Missed { lateness } => {
                format!("   the lab delivered, late by {}", lateness.wall)
            }
            Outcome::Untimed => "   the lab delivered".to_string(),
        },
        Event::Complaint(ComplaintEvent::Received {
            summary,
            acknowledgement,
            resolution,
            ..
        }) => format!(
            "<- COMPLAINT: \"{summary}\" (acknowledge by {}, resolve by {})",
            due_at(acknowledgement.due),
            due_at(resolution.due),
            summary = shown(summary)
        ),
        Event::Complaint(ComplaintEvent::Acknowledged { by, outcome, .. }) => {
            format!(
                "   complaint acknowledged by {} ({})",
                name(Some(*by)),
                timing(outcome)
            )
        }
        Event::Complaint(ComplaintEvent::Assigned { owner, .. }) => {
            format!("   complaint owned by {}", name(Some(*owner)))
        }
        Event::Complaint(ComplaintEvent::Routed { team, .. }) => {
            format!("   complaint in the queue of team {team}")
        }
        Event::Complaint(ComplaintEvent::ClockAtRisk { clock, due, .. }) => {
            format!("!  complaint {clock:?} due {} is near", when(*due))
        }
        Event::Complaint(ComplaintEvent::ClockBreached { clock, due, .. }) => {
            format!("!! complaint {clock:?} target missed ({})", when(*due))
        }
        Event::Complaint(ComplaintEvent::EscalationDue { reason, level, .. }) => {
            format!("!! escalation due from level {level} ({reason:?})")
        }
        Event::Complaint(ComplaintEvent::Escalated {
            level_name, owner, ..
        }) => {
            format!(
                "^  escalated to {level_name}, owned by {}",
                name(Some(*owner))
            )
        }
        Event::Complaint(ComplaintEvent::AwaitingCustomer { .. }) => {
            "   waiting on the customer (clocks paused)".to_string()
        }
        Event::Complaint(ComplaintEvent::Resumed { paused, .. }) => {
            format!("   the customer answered; clocks run again (paused {paused})")
        }
        Event::Complaint(ComplaintEvent::Resolved {
            remedy,
            apology,
            summary,
            outcome,
            ..
        }) => format!(
            "*  complaint resolved: \"{summary}\"{}{} ({})",
            remedy
                .as_ref()
                .map_or_else(String::new, |r| format!("; remedy: {r}", r = shown(r))),
            if *apology { "; with an apology" } else { "" },
            timing(outcome),
            summary = shown(summary)
        ),
        Event::Complaint(ComplaintEvent::Closed { .. }) => "   complaint closed".to_string(),
        Event::Complaint(ComplaintEvent::ClosedUnresolved { reason, .. }) => {
            format!("   complaint closed without a resolution: {reason:?}")
        }
        Event::Complaint(ComplaintEvent::Reprioritised {
            from_priority,
            priority,
            resolution,
            ..
        }) => format!(
            "   re-prioritised {from_priority:?} -> {priority:?}: {} worked{}",
            resolution.worked,
            resolution
                .terms
                .due
                .filter(|_| resolution.paused.is_none())
                .map_or_else(String::new, |due| format!(", now due {due}"))
        ),
        Event::Complaint(ComplaintEvent::Deescalated {
            level_name, reason, ..
        }) => format!(
            "v  back down to {level_name}: \"{reason}\"",
            reason = shown(reason)
        ),
        Event::Complaint(ComplaintEvent::Reopened { reason, mode, .. }) => {
            format!(
                "!! complaint REOPENED: \"{reason}\" (clock: {mode:?})",
                reason = shown(reason)
            )
        }
        Event::FollowUp(FollowUpEvent::Scheduled { due, owner, .. }) => {
            format!(
                "   follow-up due {} for {}",
                due_at(*due),
                name(Some(*owner))
            )
        }
        Event::FollowUp(FollowUpEvent::Overdue { .. }) => "!! follow-up overdue".to_string(),
        Event::FollowUp(FollowUpEvent::Completed {
            outcome, timing: t, ..
        }) => format!("   follow-up done: {outcome:?} ({})", timing(t)),
        Event::FollowUp(FollowUpEvent::Cancelled { reason, .. }) => {
            format!("   follow-up cancelled: {reason}", reason = shown(reason))
        }
        Event::Survey(SurveyEvent::Requested { kind, .. }) => format!("   {kind:?} survey sent"),
        Event::Survey(SurveyEvent::Answered {
            answer, comment, ..
        }) => {
            let score = match answer {
                clientele::SurveyAnswer::Csat(s) => format!("CSAT {}/5", s.get()),
                clientele::SurveyAnswer::Nps(s) => format!("NPS {}/10", s.get()),
            };
            let comment = comment
                .as_ref()
                .map_or_else(String::new, |c| format!(": \"{c}\"", c = shown(c)));
            format!("<- survey answer {score}{comment}")
        }
        Event::Survey(SurveyEvent::Voided { reason, .. }) => {
            format!("   survey voided: {reason}", reason = shown(reason))
        }
        Event::Health(HealthEvent::AtRisk { score, reasons }) => {
            format!("!! RELATIONSHIP AT RISK: health {score}/100 ({reasons:?})")
        }
        Event::Health(HealthEvent::Recovered { score }) => {
            format!("   relationship recovered: health {score}/100")
        }
        Event::Health(HealthEvent::GoneQuiet { last_contact, .. }) => {
            format!(
                "!! CUSTOMER GONE QUIET after a bad experience (last wrote {})",
                when(*last_contact)
            )
        }
        Event::Customer(CustomerEvent::PersonalDataErased { fields }) => {
            format!("   personal data erased ({fields} pieces)")
        }
    }
}

pub fn print(envelopes: &[Envelope]) {
    for envelope in envelopes {
        println!("{}  {}", when(envelope.at), describe(&envelope.event));
    }
}

fn timing(outcome: &Outcome) -> String {
    match outcome {
        Outcome::Met => "on time".to_string(),
        Outcome::MetLate { lateness } | Outcome::Missed { lateness } => {
            format!("late by {}", lateness.wall)
        }
        Outcome::Untimed => "with no target".to_string(),
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

pub fn print_flags(flags: &[Flag]) {
    if flags.is_empty() {
        println!("   (no flags)");
    }
    for flag in flags {
        let about = match flag.subject {
            Subject::Response(_) => "the customer's wait",
            Subject::Promise(_) => "the promise",
            Subject::Complaint(_) => "the complaint",
            Subject::FollowUp(_) => "the follow-up",
            Subject::Relationship => "the relationship",
            _ => "something new",
        };
        println!(
            "   flag {:?} on {about} since {}, for {}",
            flag.kind,
            when(flag.since),
            name(flag.owner)
        );
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
