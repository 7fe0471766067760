//! Short English for people: [`Display`](fmt::Display) for events, flags, deadlines and
//! subjects, for a support lead's screen or a log line.
//!
//! The text leaves personal data out (names, addresses, summaries, reasons, comments: every
//! [`Personal`](crate::personal::Personal) field), so it may be logged or shown to anyone
//! who may see the ids. It names items by their ids, instants in UTC to the minute, and
//! spans as [`Span`](crate::value::Span) writes them. It is for reading, not parsing: the
//! wording may change in any release; the JSON is the contract.
//!
//! ```
//! use chrono::{TimeZone, Utc};
//! use clientele::{CustomerId, Event, PromiseEvent, PromiseId, AgentId};
//! use clientele::promise::Notice;
//!
//! let due = Utc.with_ymd_and_hms(2026, 3, 4, 12, 0, 0).unwrap();
//! let broken = Event::Promise(PromiseEvent::Broken {
//!     promise: PromiseId::from_u128(7),
//!     due,
//!     owner: AgentId::from_u128(1),
//!     notice: Notice::InSilence,
//!     breaks: 1,
//! });
//! assert_eq!(
//!     broken.to_string(),
//!     "promise 00000000-0000-0000-0000-000000000007 broken without notice (due 2026-03-04 12:00 UTC)"
//! );
//! ```

use std::fmt;

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::complaint::ComplaintEvent;
use crate::customer::CustomerEvent;
use crate::event::Event;
use crate::flag::{Deadline, DeadlineKind, Flag, FlagKind, Regarding, Subject};
use crate::follow_up::FollowUpEvent;
use crate::health::HealthEvent;
use crate::outcome::Outcome;
use crate::promise::{Fulfiller, Notice, PromiseEvent};
use crate::response::ResponseEvent;
use crate::survey::{SurveyAnswer, SurveyEvent};
use crate::value::Direction;

/// An instant, to the minute.
struct At(DateTime<Utc>);

impl fmt::Display for At {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.format("%Y-%m-%d %H:%M UTC"))
    }
}

/// A due instant, or that there is none.
struct Due(Option<DateTime<Utc>>);

impl fmt::Display for Due {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(at) => write!(f, "due {}", At(at)),
            None => f.write_str("with no target"),
        }
    }
}

/// Text the caller chose (a tier, a level name) kept on one line: a control character (a line
/// break, a tab) reads as a space, so a line of the log stays one line.
struct OneLine<'a>(&'a str);

impl fmt::Display for OneLine<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (n, part) in self.0.split(char::is_control).enumerate() {
            if n > 0 {
                f.write_str(" ")?;
            }
            f.write_str(part)?;
        }
        Ok(())
    }
}

/// A value's name on the wire, in words (`met_late` → "met late"): a unit variant's string,
/// or a tagged one's `kind` or `status`.
fn words(value: &impl Serialize) -> String {
    let name = match serde_json::to_value(value) {
        Ok(serde_json::Value::String(name)) => name,
        Ok(serde_json::Value::Object(map)) => map
            .get("kind")
            .or_else(|| map.get("status"))
            .and_then(serde_json::Value::as_str)
            .unwrap_or("other")
            .to_owned(),
        Ok(_) | Err(_) => "other".to_owned(),
    };
    name.replace('_', " ")
}

/// How something turned out against its target.
struct Timing<'a>(&'a Outcome);

impl fmt::Display for Timing<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Outcome::Met => f.write_str("on time"),
            Outcome::MetLate { lateness } => write!(f, "late by {}", lateness.wall),
            Outcome::Missed { lateness } => write!(f, "missed by {}", lateness.wall),
            Outcome::Untimed => f.write_str("with no target"),
        }
    }
}

impl fmt::Display for Subject {
    /// `promise <id>`, `the customer's wait (interaction <id>)`, `the relationship`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Subject::Response(since) => write!(f, "the customer's wait (interaction {since})"),
            Subject::Promise(id) => write!(f, "promise {id}"),
            Subject::Complaint(id) => write!(f, "complaint {id}"),
            Subject::FollowUp(id) => write!(f, "follow-up {id}"),
            Subject::Relationship => f.write_str("the relationship"),
        }
    }
}

impl fmt::Display for Regarding {
    /// `complaint <id>` or `promise <id>`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.subject().fmt(f)
    }
}

impl fmt::Display for DeadlineKind {
    /// What falls due, in a few words (`response due`, `escalation threshold`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&words(self))
    }
}

impl fmt::Display for FlagKind {
    /// What the flag says, in a few words (`response overdue`, `complaint unacknowledged`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&words(self))
    }
}

impl fmt::Display for Deadline {
    /// `response warning for the customer's wait (interaction <id>), 2026-03-02 13:00 UTC`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} for {}, {}", self.kind(), self.subject(), At(self.at))
    }
}

impl fmt::Display for Flag {
    /// `promise broken: promise <id> since 2026-03-04 12:00 UTC (agent <id>)`; the customer
    /// is the caller's to name.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {} since {}",
            self.kind,
            self.subject,
            At(self.since)
        )?;
        if let Some(due) = self.due {
            write!(f, ", due {}", At(due))?;
        }
        match (self.owner, self.team) {
            (Some(agent), _) => write!(f, " (agent {agent})"),
            (None, Some(team)) => write!(f, " (team {team})"),
            (None, None) => f.write_str(" (no owner)"),
        }
    }
}

impl fmt::Display for Event {
    /// What happened, in a line; personal data left out (see the [module docs](self)).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Event::Customer(event) => event.fmt(f),
            Event::Response(event) => event.fmt(f),
            Event::Promise(event) => event.fmt(f),
            Event::Complaint(event) => event.fmt(f),
            Event::FollowUp(event) => event.fmt(f),
            Event::Survey(event) => event.fmt(f),
            Event::Health(event) => event.fmt(f),
        }
    }
}

impl fmt::Display for CustomerEvent {
    /// What happened to the profile; names and addresses left out.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CustomerEvent::Registered { tier, .. } => {
                write!(f, "customer registered, tier {}", OneLine(tier.as_str()))
            }
            CustomerEvent::Renamed { .. } => f.write_str("customer renamed"),
            CustomerEvent::TierChanged { tier } => {
                write!(f, "tier changed to {}", OneLine(tier.as_str()))
            }
            CustomerEvent::ContactPointSet { channel, .. } => write!(f, "{channel} contact set"),
            CustomerEvent::ContactPointRemoved { channel } => {
                write!(f, "{channel} contact removed")
            }
            CustomerEvent::PreferredChannelSet { channel } => match channel {
                Some(channel) => write!(f, "prefers {channel}"),
                None => f.write_str("preferred channel cleared"),
            },
            CustomerEvent::AccountOwnerSet { owner } => match owner {
                Some(owner) => write!(f, "account owner set to agent {owner}"),
                None => f.write_str("account owner cleared"),
            },
            CustomerEvent::PersonalDataErased { fields } => {
                write!(f, "personal data erased ({fields} fields)")
            }
        }
    }
}

impl fmt::Display for ResponseEvent {
    /// Messages, answers and the response and update clocks; summaries left out.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ResponseEvent::InteractionRecorded {
                interaction,
                channel,
                direction,
                awaits_reply,
                ..
            } => {
                let (way, waits) = match direction {
                    Direction::Inbound if *awaits_reply => ("inbound", ", awaiting a reply"),
                    Direction::Inbound => ("inbound", ""),
                    Direction::Outbound => ("outbound", ""),
                };
                write!(f, "{way} {channel} interaction {interaction}{waits}")
            }
            ResponseEvent::ClockStarted {
                kind, target, due, ..
            } => write!(f, "{} clock started: {target}, {}", words(kind), Due(*due)),
            ResponseEvent::AtRisk { due, .. } => write!(f, "response at risk, due {}", At(*due)),
            ResponseEvent::Overdue { due, .. } => {
                write!(f, "response overdue, was due {}", At(*due))
            }
            ResponseEvent::ClockStopped {
                kind,
                waited,
                outcome,
                ..
            } => write!(
                f,
                "{} answered after {}, {}",
                words(kind),
                waited.wall,
                Timing(outcome)
            ),
            ResponseEvent::UpdateClockStarted { about, due, .. } => {
                write!(f, "update on {about} {}", Due(*due))
            }
            ResponseEvent::UpdateAtRisk { about, due } => {
                write!(f, "update on {about} at risk, due {}", At(*due))
            }
            ResponseEvent::UpdateOverdue { about, due } => {
                write!(f, "update on {about} overdue, was due {}", At(*due))
            }
            ResponseEvent::AwaitingCustomer { asked_by, .. } => {
                write!(
                    f,
                    "interaction {asked_by} asked the customer; waiting for their answer"
                )
            }
        }
    }
}

impl fmt::Display for PromiseEvent {
    /// A promise's life; what was promised and why it moved left out.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PromiseEvent::Made {
                promise,
                due,
                fulfiller,
                ..
            } => {
                write!(f, "promise {promise} made, due {}", At(*due))?;
                match fulfiller {
                    Fulfiller::Us => Ok(()),
                    Fulfiller::Party { party, .. } => write!(f, ", done by party {party}"),
                }
            }
            PromiseEvent::AtRisk {
                promise, reason, ..
            } => write!(f, "promise {promise} at risk ({})", words(reason)),
            PromiseEvent::Broken {
                promise,
                due,
                notice,
                breaks,
                ..
            } => {
                let notice = match notice {
                    Notice::InSilence => " without notice",
                    Notice::WithNotice => "",
                };
                write!(f, "promise {promise} broken{notice} (due {})", At(*due))?;
                if *breaks > 1 {
                    write!(f, ", {breaks} breaks")?;
                }
                Ok(())
            }
            PromiseEvent::Revised {
                promise,
                due,
                timing,
                ..
            } => write!(
                f,
                "promise {promise} moved to {} ({})",
                At(*due),
                words(timing)
            ),
            PromiseEvent::SlippedRepeatedly {
                promise,
                slips,
                cumulative_slip,
                ..
            } => write!(
                f,
                "promise {promise} slipped {slips} times, {cumulative_slip} in all"
            ),
            PromiseEvent::Kept {
                promise, outcome, ..
            } => write!(f, "promise {promise} kept {}", Timing(outcome)),
            PromiseEvent::Withdrawn { promise, .. } => write!(f, "promise {promise} withdrawn"),
            PromiseEvent::DependencyRecorded {
                promise,
                party,
                due,
                ..
            } => write!(
                f,
                "promise {promise} depends on party {party}, due {}",
                At(*due)
            ),
            PromiseEvent::DependencyLate { promise, party, .. } => {
                write!(f, "party {party} late on promise {promise}")
            }
            PromiseEvent::DependencyMet {
                promise,
                party,
                outcome,
            } => write!(
                f,
                "party {party} delivered on promise {promise} {}",
                Timing(outcome)
            ),
        }
    }
}

/// The events of a complaint's queue and of its wait on an outside party.
fn queue_and_party(f: &mut fmt::Formatter<'_>, event: &ComplaintEvent) -> fmt::Result {
    match event {
        ComplaintEvent::Routed {
            complaint, team, ..
        } => write!(f, "complaint {complaint} routed to team {team}"),
        ComplaintEvent::AwaitingParty {
            complaint,
            party,
            expected,
            ..
        } => match expected {
            Some(due) => write!(
                f,
                "complaint {complaint} waits on party {party}, expected {}",
                At(*due)
            ),
            None => write!(f, "complaint {complaint} waits on party {party}"),
        },
        ComplaintEvent::PartyLate {
            complaint, party, ..
        } => write!(f, "party {party} late on complaint {complaint}"),
        ComplaintEvent::PartyWaitEnded {
            complaint, party, ..
        } => write!(f, "complaint {complaint} no longer waits on party {party}"),
        _ => write!(f, "complaint {}", event.complaint()),
    }
}

impl fmt::Display for ComplaintEvent {
    /// A complaint's life; summaries, remedies and reasons left out.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ComplaintEvent::Received {
                complaint,
                priority,
                channel,
                ..
            } => write!(f, "complaint {complaint} received by {channel}, {priority}"),
            ComplaintEvent::Acknowledged {
                complaint, outcome, ..
            } => write!(f, "complaint {complaint} acknowledged {}", Timing(outcome)),
            ComplaintEvent::Assigned { complaint, owner } => {
                write!(f, "complaint {complaint} assigned to agent {owner}")
            }
            ComplaintEvent::Routed { .. }
            | ComplaintEvent::AwaitingParty { .. }
            | ComplaintEvent::PartyLate { .. }
            | ComplaintEvent::PartyWaitEnded { .. } => queue_and_party(f, self),
            ComplaintEvent::Reprioritised {
                complaint,
                from_priority,
                priority,
                ..
            } => write!(
                f,
                "complaint {complaint} re-prioritised from {from_priority} to {priority}"
            ),
            ComplaintEvent::ClockAtRisk {
                complaint,
                clock,
                due,
                ..
            } => write!(
                f,
                "complaint {complaint} {} at risk, due {}",
                words(clock),
                At(*due)
            ),
            ComplaintEvent::ClockBreached {
                complaint,
                clock,
                due,
                ..
            } => write!(
                f,
                "complaint {complaint} {} missed, was due {}",
                words(clock),
                At(*due)
            ),
            ComplaintEvent::EscalationDue {
                complaint,
                reason,
                level,
                ..
            } => write!(
                f,
                "complaint {complaint} due for escalation from level {level} ({})",
                words(reason)
            ),
            ComplaintEvent::Escalated {
                complaint,
                to_level,
                level_name,
                ..
            } => write!(
                f,
                "complaint {complaint} escalated to level {to_level} ({})",
                OneLine(level_name.as_str())
            ),
            ComplaintEvent::Deescalated {
                complaint,
                to_level,
                level_name,
                ..
            } => write!(
                f,
                "complaint {complaint} back to level {to_level} ({})",
                OneLine(level_name.as_str())
            ),
            ComplaintEvent::AwaitingCustomer { complaint, .. } => {
                write!(f, "complaint {complaint} waiting on the customer")
            }
            ComplaintEvent::Resumed {
                complaint, paused, ..
            } => write!(f, "complaint {complaint} resumed after {paused}"),
            ComplaintEvent::Resolved {
                complaint, outcome, ..
            } => write!(f, "complaint {complaint} resolved {}", Timing(outcome)),
            ComplaintEvent::Closed { complaint } => write!(f, "complaint {complaint} closed"),
            ComplaintEvent::ClosedUnresolved { complaint, reason } => write!(
                f,
                "complaint {complaint} closed unresolved ({})",
                words(reason)
            ),
            ComplaintEvent::Reopened {
                complaint, cycle, ..
            } => write!(f, "complaint {complaint} reopened (cycle {cycle})"),
        }
    }
}

impl fmt::Display for FollowUpEvent {
    /// A follow-up's life; its reason and note left out.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FollowUpEvent::Scheduled { follow_up, due, .. } => {
                write!(f, "follow-up {follow_up} scheduled, {}", Due(*due))
            }
            FollowUpEvent::Overdue { follow_up, due, .. } => {
                write!(f, "follow-up {follow_up} overdue, was due {}", At(*due))
            }
            FollowUpEvent::Completed {
                follow_up,
                outcome,
                timing,
                ..
            } => write!(
                f,
                "follow-up {follow_up} done {} ({})",
                Timing(timing),
                words(outcome)
            ),
            FollowUpEvent::Cancelled { follow_up, .. } => {
                write!(f, "follow-up {follow_up} cancelled")
            }
        }
    }
}

impl fmt::Display for SurveyEvent {
    /// Surveys and their scores; comments left out.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SurveyEvent::Requested { survey, kind, .. } => {
                write!(f, "{} survey {survey} requested", words(kind))
            }
            SurveyEvent::Answered { answer, .. } => match answer {
                SurveyAnswer::Csat(score) => write!(f, "CSAT answered: {}/5", score.get()),
                SurveyAnswer::Nps(score) => write!(f, "NPS answered: {}/10", score.get()),
            },
            SurveyEvent::Voided { survey, .. } => write!(f, "survey {survey} voided"),
        }
    }
}

impl fmt::Display for HealthEvent {
    /// A change of health band, with the score.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HealthEvent::AtRisk { score, reasons } => {
                write!(f, "relationship at risk, health {score}/100")?;
                let reasons: Vec<String> = reasons.iter().map(words).collect();
                if !reasons.is_empty() {
                    write!(f, " ({})", reasons.join(", "))?;
                }
                Ok(())
            }
            HealthEvent::Recovered { score } => {
                write!(f, "relationship recovered, health {score}/100")
            }
            HealthEvent::GoneQuiet { last_contact, .. } => write!(
                f,
                "customer gone quiet: no word since {} after a bad experience",
                At(*last_contact)
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_deadline_and_flag_kind_reads_as_words() {
        for kind in DeadlineKind::ALL {
            let text = kind.to_string();
            assert!(
                !text.is_empty() && !text.contains('_') && text != "other",
                "{kind:?}"
            );
        }
        assert_eq!(DeadlineKind::ResponseDue.to_string(), "response due");
        assert_eq!(
            FlagKind::ComplaintUnacknowledged.to_string(),
            "complaint unacknowledged"
        );
    }
}
