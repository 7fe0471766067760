//! The three layouts, mapped onto the model. Each mapper walks its log and says, row by row,
//! which commands the row means (often one, sometimes two, sometimes none with a reason).
//!
//! The mappers keep a little state per ticket (received? acknowledged? waiting? resolved?) to
//! choose between, say, acknowledging and re-assigning; the crate decides the rest. When the
//! crate refuses a command, the mapper's view and the crate's differ from then on: that is what
//! the refusal counts measure.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};
use clientele::{
    AcknowledgeComplaint, AgentId, AssignComplaint, AwaitCustomer, AwaitOutsideParty, Channel,
    CloseComplaint, CloseUnresolved, Command, ComplaintId, DeescalateComplaint, EndOutsideWait,
    EscalateComplaint, InteractionId, PartyId, Priority, ReceiveComplaint, RecordInteraction,
    ReopenComplaint, ReprioritiseComplaint, ResolveComplaint, ResumeComplaint, RouteComplaint,
    TeamId, Text,
};

/// One thing a row of the log means.
pub struct Row {
    /// When it happened.
    pub at: DateTime<Utc>,
    /// The customer's key in the log.
    pub customer: String,
    /// The customer's tier, as the log names it.
    pub tier: String,
    /// What to do, or why nothing is done.
    pub step: Step,
}

/// A command, or the reason a row maps to none.
pub enum Step {
    /// Decide this.
    Command(Box<Command>),
    /// Nothing in the model for this row.
    Skip(&'static str),
}

/// Which log a file holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layout {
    /// The Italian software company's ticket log (`finale.csv`).
    Helpdesk,
    /// BPI Challenge 2013, Volvo IT incidents (`VINST-new.csv`).
    Volvo,
    /// Customer support on Twitter (`twcs.csv` and its heads).
    Tweets,
}

impl Layout {
    /// The layout named on the command line.
    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "helpdesk" => Some(Self::Helpdesk),
            "bpic2013" | "volvo" => Some(Self::Volvo),
            "twcs" | "tweets" => Some(Self::Tweets),
            _ => None,
        }
    }

    /// Maps the text of a log in this layout: the steps, the number of records in the file
    /// (after the header), and how many of them had a time that could not be read.
    pub fn map(self, text: &str) -> (Vec<Row>, usize, usize) {
        let (header, width) = match self {
            Self::Helpdesk => (16, 16),
            Self::Volvo => (17, 17),
            Self::Tweets => (8, 8),
        };
        let records = super::csv::records(text, width);
        let rows: Vec<&[String]> = records
            .iter()
            .skip(1)
            .filter(|r| r.len() >= header)
            .map(Vec::as_slice)
            .collect();
        let (steps, unreadable) = match self {
            Self::Helpdesk => helpdesk(&rows),
            Self::Volvo => volvo(&rows),
            Self::Tweets => tweets(&rows),
        };
        (steps, records.len().saturating_sub(1), unreadable)
    }
}

/// A stable 128-bit id for a key of the log (FNV-1a), under a namespace.
pub fn id_of(namespace: &str, key: &str) -> u128 {
    let mut hash: u128 = 0x6c62_272e_07bb_0142_62b8_2175_6295_c58d;
    for byte in namespace.bytes().chain([0]).chain(key.bytes()) {
        hash ^= u128::from(byte);
        hash = hash.wrapping_mul(0x0000_0000_0100_0000_0000_0000_0000_013b);
    }
    hash
}

fn agent(key: &str) -> AgentId {
    AgentId::from_u128(id_of("agent", key))
}

/// The outside parties the logs wait on, by the keys [`party`] takes.
pub const PARTIES: [&str; 4] = [
    "software development",
    "vendor",
    "implementation",
    "another team",
];

/// The outside party a log names by `key` ("vendor", "software development").
pub fn party(key: &str) -> PartyId {
    PartyId::from_u128(id_of("party", key))
}

fn text(s: &str) -> Text {
    Text::new(if s.trim().is_empty() { "(empty)" } else { s })
        .unwrap_or_else(|_| Text::new("(unreadable)").expect("a plain text is valid"))
}

/// What the mapper knows of one ticket.
#[derive(Default)]
struct Ticket {
    received: bool,
    acknowledged: bool,
    owner: Option<AgentId>,
    waiting: bool,
    resolved: bool,
    closed: bool,
    level: u32,
    priority: Option<Priority>,
    team: Option<TeamId>,
    /// The outside party it waits on.
    party: Option<PartyId>,
    customer: String,
    tier: String,
}

/// Emits the rows of one ticket.
struct Out<'a> {
    rows: &'a mut Vec<Row>,
    at: DateTime<Utc>,
}

impl Out<'_> {
    fn push(&mut self, ticket: &Ticket, command: impl Into<Command>) {
        self.rows.push(Row {
            at: self.at,
            customer: ticket.customer.clone(),
            tier: ticket.tier.clone(),
            step: Step::Command(Box::new(command.into())),
        });
    }

    fn skip(&mut self, ticket: &Ticket, why: &'static str) {
        self.rows.push(Row {
            at: self.at,
            customer: ticket.customer.clone(),
            tier: ticket.tier.clone(),
            step: Step::Skip(why),
        });
    }
}

/// The work a ticket row can mean, common to both ticket logs.
enum Work {
    Receive(Priority),
    /// The ticket's priority changes.
    Reprioritise(Priority),
    /// The ticket goes to a team's queue.
    Route(TeamId),
    /// Someone takes the ticket: acknowledges it, or takes it over.
    Take(AgentId),
    Wait,
    /// Waiting on an outside party; `replaces` a wait on the customer (the log's status
    /// says one or the other) or adds to it.
    AwaitParty {
        party: PartyId,
        replaces: bool,
    },
    /// The wait on the outside party ends.
    EndPartyWait,
    Resolve(AgentId),
    /// Closed; a ticket nobody resolved is resolved first (the desk closed it as done).
    Close(AgentId),
    /// Closed without a resolution: withdrawn by the customer.
    Withdrawn,
    /// Moves to a support level (0 is the front line).
    Level(u32, AgentId),
    Nothing(&'static str),
}

/// Applies one row's work to a ticket, in the order a desk would: a ticket that is waiting
/// resumes before anything else happens to it; a resolved ticket that is worked on again
/// reopens.
fn work(out: &mut Out<'_>, id: ComplaintId, ticket: &mut Ticket, what: Work) {
    let reopen_if_resolved = |out: &mut Out<'_>, ticket: &mut Ticket| {
        if ticket.resolved {
            out.push(
                ticket,
                ReopenComplaint {
                    complaint: id,
                    reason: text("worked on again").into(),
                },
            );
            ticket.resolved = false;
            ticket.closed = false;
        }
    };
    let resume_if_waiting = |out: &mut Out<'_>, ticket: &mut Ticket| {
        if ticket.waiting {
            out.push(ticket, ResumeComplaint { complaint: id });
            ticket.waiting = false;
        }
    };
    match what {
        Work::Receive(priority) => {
            ticket.received = true;
            ticket.priority = Some(priority);
            out.push(
                ticket,
                ReceiveComplaint::new(id, Channel::WebForm, text("ticket")).priority(priority),
            );
        }
        Work::Take(by) => {
            reopen_if_resolved(out, ticket);
            resume_if_waiting(out, ticket);
            if !ticket.acknowledged {
                ticket.acknowledged = true;
                out.push(ticket, AcknowledgeComplaint { complaint: id, by });
            } else if ticket.owner != Some(by) {
                out.push(
                    ticket,
                    AssignComplaint {
                        complaint: id,
                        owner: by,
                    },
                );
            } else {
                out.skip(ticket, "taken again by its owner");
            }
            ticket.owner = Some(by);
        }
        Work::Wait => {
            if ticket.waiting {
                out.skip(ticket, "waiting again while waiting");
            } else {
                ticket.waiting = true;
                out.push(ticket, AwaitCustomer { complaint: id });
            }
        }
        Work::AwaitParty { party, replaces } => {
            if ticket.party == Some(party) {
                out.skip(ticket, "waiting on the same party again");
                return;
            }
            reopen_if_resolved(out, ticket);
            if replaces {
                resume_if_waiting(out, ticket);
            }
            if ticket.party.is_some() {
                out.push(ticket, EndOutsideWait::new(id));
            }
            ticket.party = Some(party);
            out.push(ticket, AwaitOutsideParty::new(id, party));
        }
        Work::EndPartyWait => {
            if ticket.party.take().is_some() {
                out.push(ticket, EndOutsideWait::new(id));
            } else {
                out.skip(ticket, "no wait on an outside party to end");
            }
        }
        Work::Resolve(by) => {
            resume_if_waiting(out, ticket);
            // The resolution ends a wait on an outside party (the crate records it).
            ticket.party = None;
            ticket.resolved = true;
            // A resolution settles the acknowledgement owed (resolved at first touch).
            ticket.acknowledged = true;
            out.push(
                ticket,
                ResolveComplaint {
                    complaint: id,
                    by,
                    remedy: None,
                    apology: false,
                    summary: text("resolved").into(),
                    follow_up: None,
                },
            );
        }
        Work::Close(by) => {
            if !ticket.resolved && !ticket.closed {
                work(out, id, ticket, Work::Resolve(by));
            }
            ticket.closed = true;
            out.push(ticket, CloseComplaint { complaint: id });
        }
        Work::Withdrawn => {
            ticket.closed = true;
            ticket.party = None;
            out.push(ticket, CloseUnresolved::withdrawn(id));
        }
        Work::Level(level, owner) => {
            if level == ticket.level {
                out.skip(ticket, "same support level");
                return;
            }
            reopen_if_resolved(out, ticket);
            if level > ticket.level {
                out.push(
                    ticket,
                    EscalateComplaint {
                        complaint: id,
                        to_level: level,
                        owner,
                    },
                );
            } else {
                let reason = text("back to a lower support line");
                out.push(ticket, DeescalateComplaint::new(id, level, owner, reason));
            }
            ticket.level = level;
            ticket.owner = Some(owner);
        }
        Work::Reprioritise(priority) => {
            if ticket.priority == Some(priority) {
                out.skip(ticket, "same priority");
            } else {
                ticket.priority = Some(priority);
                out.push(ticket, ReprioritiseComplaint::new(id, priority));
            }
        }
        Work::Route(team) => {
            if ticket.team == Some(team) {
                out.skip(ticket, "already in that queue");
            } else {
                ticket.team = Some(team);
                out.push(ticket, RouteComplaint::new(id, team));
            }
        }
        Work::Nothing(why) => out.skip(ticket, why),
    }
}

fn helpdesk_priority(value: &str) -> Priority {
    // `seriousness_2` is anonymised ("Value 1".."Value 4"); the two common values read as
    // normal and high, the rare ones as urgent and low. An assumption, written down.
    match value {
        "Value 2" => Priority::High,
        "Value 3" => Priority::Urgent,
        "Value 4" => Priority::Low,
        _ => Priority::Normal,
    }
}

/// The Helpdesk log: a ticket (case) is a complaint of the customer named on its first row;
/// its `Resource` is our agent; `seriousness_2` its priority; `service_level` the tier.
///
/// | Activity | Command |
/// |---|---|
/// | first row of a case (any activity) | `ReceiveComplaint`, then the row's own work |
/// | Assign seriousness (later rows) | `ReprioritiseComplaint` when `seriousness_2` changes |
/// | Insert ticket (later rows) | none |
/// | Take in charge ticket | `ResumeComplaint` if waiting; `AcknowledgeComplaint` the first time, `AssignComplaint` when another agent takes it; `ReopenComplaint` first if resolved |
/// | Wait | `AwaitCustomer` |
/// | Resolve ticket | `ResolveComplaint` (resuming first if waiting) |
/// | Closed | `CloseComplaint` (resolving first if nobody resolved it) |
/// | Require upgrade | `EscalateComplaint` one level up |
/// | Create SW anomaly | `AwaitOutsideParty` on the party "software development" (the anomaly goes to the developers, who own the fix); none if already waiting on it |
/// | Resolve SW anomaly; RESOLVED, INVALID, DUPLICATE (the anomaly's end in the bug tracker) | `EndOutsideWait` while waiting on it, none otherwise |
/// | VERIFIED (the anomaly confirmed in the bug tracker) | none |
/// | Schedule intervention | none (the log gives no date) |
fn helpdesk(rows: &[&[String]]) -> (Vec<Row>, usize) {
    let mut out = Vec::new();
    let mut tickets: HashMap<&str, Ticket> = HashMap::new();
    let mut unreadable = 0;
    for row in rows {
        let Ok(at) = NaiveDateTime::parse_from_str(&row[3], "%Y/%m/%d %H:%M:%S%.3f") else {
            unreadable += 1;
            continue;
        };
        let at = Utc.from_utc_datetime(&at);
        let case = row[0].as_str();
        let by = agent(&row[2]);
        let id = ComplaintId::from_u128(id_of("case", case));
        let ticket = tickets.entry(case).or_insert_with(|| Ticket {
            customer: row[8].clone(),
            tier: format!("service level {}", row[12].trim_start_matches("Value ")),
            ..Ticket::default()
        });
        let mut sink = Out { rows: &mut out, at };
        let fresh = !ticket.received;
        if fresh {
            work(
                &mut sink,
                id,
                ticket,
                Work::Receive(helpdesk_priority(&row[11])),
            );
        }
        let what = match row[1].as_str() {
            // The ticket was received on this row: nothing more to say.
            "Insert ticket" | "Assign seriousness" if fresh => continue,
            "Insert ticket" => Work::Nothing("inserted again"),
            "Assign seriousness" => Work::Reprioritise(helpdesk_priority(&row[11])),
            "Take in charge ticket" => Work::Take(by),
            "Wait" => Work::Wait,
            "Resolve ticket" => Work::Resolve(by),
            "Closed" => Work::Close(by),
            "Require upgrade" => Work::Level(ticket.level.saturating_add(1), by),
            // The anomaly goes to the developers; a customer wait goes on beside it.
            "Create SW anomaly" => Work::AwaitParty {
                party: party("software development"),
                replaces: false,
            },
            "Resolve SW anomaly" | "RESOLVED" | "INVALID" | "DUPLICATE" => Work::EndPartyWait,
            "VERIFIED" => Work::Nothing("anomaly verified in the bug tracker"),
            "Schedule intervention" => {
                Work::Nothing("intervention scheduled (no due date in the log)")
            }
            _ => Work::Nothing("unknown activity"),
        };
        work(&mut sink, id, ticket, what);
    }
    (out, unreadable)
}

fn volvo_priority(impact: &str) -> Priority {
    match impact {
        "Low" => Priority::Low,
        "High" => Priority::High,
        "Major" => Priority::Urgent,
        _ => Priority::Normal,
    }
}

/// The outside party a Volvo status waits on, by its key.
fn volvo_party(activity: &str) -> Option<&'static str> {
    match activity {
        "Accepted-Wait - Vendor" => Some("vendor"),
        "Accepted-Wait - Implementation" => Some("implementation"),
        "Accepted-Wait" => Some("another team"),
        _ => None,
    }
}

fn volvo_level(line: &str) -> u32 {
    match line {
        "L2" | "L2/L3" => 1,
        "L3" => 2,
        _ => 0,
    }
}

/// The Volvo IT log: a service request (SR) is a complaint; the log names no requester, so
/// each SR is its own customer (tier "volvo"); `Resource` is our agent; `SR Latest Impact`
/// the priority (Low, Medium, High, Major as low, normal, high, urgent); `ST Level` the
/// support level (L1 front line, L2 second, L3 third).
///
/// | Activity | Command |
/// |---|---|
/// | first row of an SR | `ReceiveComplaint`, then the row's own work |
/// | a row whose `ST Level` differs from the last | `EscalateComplaint` up or `DeescalateComplaint` down to that level |
/// | Accepted-In Progress, Accepted-Assigned | as "Take in charge" in the Helpdesk log |
/// | Accepted-Wait - User, - Customer | `AwaitCustomer` (ending a wait on a party first) |
/// | Accepted-Wait - Vendor, - Implementation, Accepted-Wait | `AwaitOutsideParty` on the party "vendor", "implementation" or "another team" (resuming a wait on the customer, or ending a wait on another party, first; none if already waiting on it) |
/// | any other row while waiting on a party | `EndOutsideWait` first (the status replaces the wait; a resolution ends it itself) |
///
/// The status a row sets replaces the one before, so a wait on the user and a wait on a party
/// never overlap here. The unqualified "Accepted-Wait" is read as a wait on another team, as
/// issue 14 counts it (1,533 rows; with 493 "Implementation" and 313 "Vendor" rows, the 2,339
/// rows it says wait on "a vendor, an implementation or another team"): 227 of them are
/// followed by "Wait - User", which a wait on the user would not need. An assumption, written
/// down.
/// | Queued-Awaiting Assignment | `RouteComplaint` to the team `Involved ST` names |
/// | Completed-Resolved, Completed-In Call | `ResolveComplaint` |
/// | Completed-Closed | `CloseComplaint` (resolving first if unresolved) |
/// | Completed-Cancelled | `CloseUnresolved::withdrawn` |
fn volvo(rows: &[&[String]]) -> (Vec<Row>, usize) {
    let mut out = Vec::new();
    let mut tickets: HashMap<&str, Ticket> = HashMap::new();
    let mut unreadable = 0;
    for row in rows {
        let Ok(at) = DateTime::parse_from_rfc3339(&row[1]) else {
            unreadable += 1;
            continue;
        };
        let at = at.with_timezone(&Utc);
        let sr = row[0].as_str();
        let by = agent(&row[16]);
        let id = ComplaintId::from_u128(id_of("sr", sr));
        let ticket = tickets.entry(sr).or_insert_with(|| Ticket {
            customer: format!("requester of {sr}"),
            tier: "volvo".to_owned(),
            ..Ticket::default()
        });
        let mut sink = Out { rows: &mut out, at };
        // Received on the front line; a first row on another line routes it there at once.
        if !ticket.received {
            work(
                &mut sink,
                id,
                ticket,
                Work::Receive(volvo_priority(&row[11])),
            );
        }
        let level = volvo_level(&row[10]);
        if level != ticket.level {
            work(&mut sink, id, ticket, Work::Level(level, by));
        }
        let waits_on = volvo_party(&row[4]);
        let settles = matches!(
            row[4].as_str(),
            "Completed-Resolved" | "Completed-In Call" | "Completed-Closed" | "Completed-Cancelled"
        );
        if ticket.party.is_some() && waits_on.is_none() && !settles {
            work(&mut sink, id, ticket, Work::EndPartyWait);
        }
        let what = match row[4].as_str() {
            _ if waits_on.is_some() => Work::AwaitParty {
                party: party(waits_on.unwrap_or("another team")),
                replaces: true,
            },
            "Accepted-In Progress" | "Accepted-Assigned" => Work::Take(by),
            "Accepted-Wait - User" | "Accepted-Wait - Customer" => Work::Wait,
            "Queued-Awaiting Assignment" => Work::Route(TeamId::from_u128(id_of("team", &row[8]))),
            "Completed-Resolved" | "Completed-In Call" => Work::Resolve(by),
            "Completed-Closed" => Work::Close(by),
            "Completed-Cancelled" => Work::Withdrawn,
            _ => Work::Nothing("unmatched"),
        };
        work(&mut sink, id, ticket, what);
    }
    (out, unreadable)
}

/// The tweets: each customer (a numeric `author_id`, inbound) writes on `Social`; a brand's
/// tweet answers the customer of the tweet it replies to (following the thread up when it
/// answers another brand tweet), and the brand is our agent.
///
/// | Tweet | Command |
/// |---|---|
/// | inbound | `RecordInteraction::inbound` |
/// | brand, in reply to a known customer's thread | `RecordInteraction::outbound` by the brand |
/// | brand, in reply to nothing in the sample | none (its customer is unknown) |
fn tweets(rows: &[&[String]]) -> (Vec<Row>, usize) {
    let parse = |s: &str| DateTime::parse_from_str(s, "%a %b %d %H:%M:%S %z %Y").ok();
    let mut customer_of: HashMap<&str, String> = HashMap::new();
    let mut reply_to: HashMap<&str, &str> = HashMap::new();
    for row in rows {
        if row[3] == "True" {
            customer_of.insert(row[1].as_str(), row[2].clone());
        }
        let parent = row[7].trim_end_matches(".0");
        if !parent.is_empty() {
            reply_to.insert(row[1].as_str(), parent);
        }
    }
    let thread_customer = |tweet: &str| {
        let mut at = tweet;
        for _ in 0..64 {
            if let Some(customer) = customer_of.get(at) {
                return Some(customer.clone());
            }
            at = reply_to.get(at)?;
        }
        None
    };
    let mut out = Vec::new();
    let mut unreadable = 0;
    for row in rows {
        let Some(at) = parse(&row[4]) else {
            unreadable += 1;
            continue;
        };
        let at = at.with_timezone(&Utc);
        let id = InteractionId::from_u128(id_of("tweet", &row[1]));
        let (customer, command) = if row[3] == "True" {
            let command = RecordInteraction::inbound(id, Channel::Social, text(&row[5]));
            (Some(row[2].clone()), command)
        } else {
            let customer = reply_to
                .get(row[1].as_str())
                .and_then(|p| thread_customer(p));
            let command =
                RecordInteraction::outbound(id, Channel::Social, agent(&row[2]), text(&row[5]));
            (customer, command)
        };
        let (customer, step) = match customer {
            Some(customer) => (customer, Step::Command(Box::new(command.into()))),
            None => (
                String::new(),
                Step::Skip("brand tweet answering no customer in the sample"),
            ),
        };
        out.push(Row {
            at,
            customer,
            tier: "twitter".to_owned(),
            step,
        });
    }
    (out, unreadable)
}
