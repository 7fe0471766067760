//! Model-based state-machine test (`proptest-state-machine`): a small reference model of every
//! lifecycle, written here in plain Rust without calling the crate's internals, is driven by
//! random command sequences on a simulated clock and compared with [`Relationship`] after
//! every step. Case count: `PROPTEST_CASES` (CI sets 256; about 12 to 18 s for both tests in
//! debug on a loaded two-core machine); sequences are up to 60 steps, and failures shrink to a
//! short sequence.
//!
//! # The policy
//!
//! One small policy keeps the model small: the policy's own calendar always open (business
//! time is wall time), every priority the same target, and fixed numbers. Each case draws the two complaint
//! settings that change behaviour most: the reopen mode (continue, restart, new cycle) and
//! whether waiting on the customer pauses the clocks. The resolution target runs on a named
//! calendar, `desk` (always open too), which a `Retire` step removes from the policy: a
//! resolution clock started on it and given new terms after that (resumed after a wait,
//! reopened in any mode) has no target, never falls due, is not paused by a wait, and is
//! flagged `NoTarget`; complaints received after it run on the policy's own calendar.
//!
//! Two more named calendars differ in a way the model computes simply: `always` (always open,
//! the same arithmetic as the policy's own) and `day` (08:00 to 20:00 UTC every day: counting
//! starts at the next opening, and a span ending exactly at closing time ends there;
//! `Cal::add`). Calendar rules (`Targets::rules`, the first that matches wins) choose them:
//! the first-response and reply targets run on `day` for a message on social media; the update
//! cadence runs on `always` in team 1's queue, else on `day` at high priority or in team 2's
//! queue, else on the policy's own. So a high-priority complaint in team 1's queue is on
//! `always` only if the first rule wins.
//!
//! | what | target | warning |
//! | --- | --- | --- |
//! | first response / reply | 4 h / 2 h | 1 h before |
//! | promise | as promised | 2 h before (none if the promise is shorter) |
//! | complaint acknowledgement / resolution | 2 h / 12 h | 25 % of the target before |
//! | escalation at level 0 / 1 / 2 | 3 h / 6 h / none (top) | none |
//! | follow-up after a resolution | 24 h | none |
//! | update cadence (complaint, promise) | 8 business hours | 2 business hours before |
//!
//! # The steps
//!
//! Commands use ids from small pools (three promises, two complaints, six follow-ups, four
//! surveys, two agents; interaction ids mostly fresh, sometimes reused), so valid and invalid
//! commands both occur and the model predicts which are refused. Steps are drawn from three
//! mixes: any command with any pooled ids (mostly refused once the pools fill), commands the
//! model would accept in the current state (so sequences get deep into every lifecycle:
//! reopen after a wait, a second break, escalation while waiting), and interactions (in by
//! email or on social media; out regarding a promise, a complaint, both or neither, sometimes
//! asking the customer something). `Advance` moves the simulated clock and calls `advance_to`;
//! `Sleep` moves it without calling `advance_to`, so the next command must first record the
//! deadlines that passed, and `flags` must say the same as if it had been called. Clock moves
//! are 0 s to 25 h, with exact hours so that deadlines are hit at their instant.

//! # Compared after every step
//!
//! - accepted or refused (and a refused command leaves the relationship exactly as it was);
//! - the kinds of the events, in order, that the command or `advance_to` produced;
//! - the stage of every promise, complaint, follow-up and survey, the response clock's stage
//!   and the interaction it runs since, each promise's due instant and slip count, and each
//!   complaint's support level;
//! - `next_deadline()`: instant, kind and subject;
//! - `flags(now)` as a sorted list of (kind, subject, owner, team) (a list, not a set: a
//!   complaint whose two clocks are both breached has two `ComplaintClockBreached` flags): who
//!   each flag is for is what a work list relies on (response and promise flags for the account
//!   owner and the promise's owner, a complaint's for its owner, else the account owner, and
//!   its team's queue; a follow-up's for its owner). The model computes them from its state
//!   advanced to `now`, whether or not the engine's was;
//! - each complaint's owner, team and wait on an outside party (party, expected date, late),
//!   and whether the conversation waits for the customer;
//! - the update cadence of every complaint and promise: its stage (running, warned, overdue,
//!   paused, or none), the next update's due instant and warning, and the calendar the rules
//!   chose; its flags (`UpdateAtRisk`, `UpdateOverdue`) are in the flags above, with their
//!   owner and team.
//!
//! At the end of a case the stored log replays to the live state.
//!
//! # What the model covers
//!
//! - **Response clock**: first-response then reply targets, later inbound messages not moving
//!   the deadline, a "thank you" that starts nothing, any outbound answering, the warning and a
//!   single overdue event, breached at the due instant; a question to the customer
//!   (`awaiting_customer`) answers, then nothing is due until the customer writes, and their
//!   next message that expects an answer starts a reply clock (not a first response).
//! - **Promises**: made (due in the future), at risk at the lead, broken at the due instant,
//!   kept / kept late, withdrawn, revised (later than the due in force, in the future; the
//!   repeated-slip event once at the second slip), an outside party's dependency (recorded,
//!   late makes an open promise at risk, met), an outbound message naming a promise, and a
//!   second break of a promise answering an open complaint, or of one an open complaint is
//!   about, making escalation due (once per complaint).
//! - **Complaints**: received, acknowledged, assigned (the same owner again is nothing to
//!   change), waiting on the customer (pausing the resolution and escalation clocks when the
//!   policy says so) and resumed, escalation due by threshold, by request and on reopen (a
//!   reopen at the top of the ladder, or the first reopen of a complaint (the policy escalates
//!   from the second), demands none and is flagged for the owner instead),
//!   escalated up the ladder (not down, not past the top), resolved (never unacknowledged; the
//!   follow-up id is required and scheduled 24 h later), closed, reopened in each mode (a
//!   pending linked follow-up is cancelled, a pending survey of the resolution voided); the
//!   acknowledgement, resolution and escalation clocks' warnings and breaches; routed to a
//!   team's queue (the same team again is nothing to change); waiting on an outside party
//!   (issue 14 item 5: one at a time, a new date from the same party, its date passing
//!   flagged `PartyLate` for our owner; the wait ended by hand or by a resolution or a
//!   withdrawal) with each case drawing whether party 1's wait pauses the clocks (party 2's
//!   never does), composed with the customer's wait: the clocks run again only when neither
//!   holds them.
//! - **Follow-ups**: scheduled (due in the future, linked to a known complaint or none),
//!   overdue once, completed on time or late, cancelled; a not-satisfied follow-up of a resolved
//!   or closed complaint reopens it.
//! - **Surveys**: requested on their own or for a resolved complaint (at most one per
//!   resolution), answered with the asked kind, unprompted answers, voided by a reopen.
//! - **Update cadence** (issue 14 item 10): armed with its whole span when a complaint is
//!   received, resumed or reopened and when a promise is made; re-armed by an outbound
//!   interaction regarding the complaint or the promise and by the complaint's acknowledgement,
//!   but not while the complaint waits on the customer or a question of ours about the item
//!   waits for their answer; paused by both waits (the customer's next word re-arms what our
//!   question paused, `complaint_resumed` what the complaint's wait paused); warned and overdue
//!   once, flagged for the complaint's owner (else the account owner) and its team, or for the
//!   promise's owner; stopped and gone when the complaint is resolved or closed without a
//!   resolution or the promise kept or withdrawn (a broken promise's runs on). A promise
//!   counts where the complaint it answers is (its priority and team at each arming).
//! - **Calendar rules** (issue 14 item 8): by channel for the response clocks, by team and
//!   priority for the update cadence (chosen again at each arming: routing or re-prioritising a
//!   complaint moves its next arming), first match first; due instants and warnings on `day`
//!   differ from wall time whenever a span crosses the night.
//!
//! # What it leaves out
//!
//! - Health: `RelationshipAtRisk` / `RelationshipRecovered` / `relationship_gone_quiet` events
//!   and the `RelationshipAtRisk` flag are filtered out of what is compared (health has its own
//!   tests); the policy lets nobody go quiet.
//! - Calendar rules by tier, and rules on the complaint targets (acknowledgement, resolution)
//!   and the escalation ladder (`tests/calendar_rules.rs`): the model's complaint clocks pause,
//!   resume and take new terms, which on a business calendar would need the model to count
//!   business time back; they run on always-open calendars. A policy without an update cadence,
//!   and a cadence with no target (`tests/keep_in_loop.rs`, `tests/no_target.rs`).
//! - Time zones and weekly hours other than `day`'s, holidays, priorities other than normal and
//!   high, tiers, profile changes, agent and party rosters, calendars with no working time left
//!   (`tests/no_target.rs`),
//!   `resolve_unacknowledged` and a policy without follow-ups: one fixed policy, but for the
//!   retirement of `desk`.
//! - Event payloads beyond their kinds (outcomes, lateness, notice, owners), flags' `since`
//!   and `due`, and error variants (only accepted versus refused).
//! - Time never goes backwards here: every command is at the simulated `now`.
//! - A follow-up scheduled by hand for a complaint becomes the complaint's follow-up (the one a
//!   reopen cancels), as the crate links it; the model takes that rule as given.

mod support;

use std::collections::BTreeMap;

use chrono::{DateTime, TimeDelta, Utc};
use clientele::HealthEvent;
use clientele::calendar::WallTime;
use clientele::complaint::ComplaintStage;
use clientele::flag::Regarding;
use clientele::follow_up::FollowUpStage;
use clientele::policy::{
    ByPriority, CalendarRule, ComplaintPolicy, Lead, Percent, PromisePolicy, ReopenMode,
    SupportLevel, Targets, UpdatePolicy,
};
use clientele::promise::PromiseStage;
use clientele::response::ClockStage;
use clientele::response::UpdateStage;
use clientele::survey::SurveyStage;
use clientele::{
    AcknowledgeComplaint, AgentId, AnswerSurvey, AssignComplaint, AwaitCustomer, CancelFollowUp,
    Channel, CloseComplaint, CloseUnresolved, Command, ComplaintId, CompleteFollowUp, CsatScore,
    DeadlineKind, DeescalateComplaint, EscalateComplaint, FlagKind, FollowUpId, FollowUpOutcome,
    InteractionId, KeepPromise, MakePromise, MeetDependency, NpsScore, PartyId, Priority,
    PromiseId, ReceiveComplaint, RecordDependency, RecordInteraction, RegisterCustomer,
    Relationship, ReopenComplaint, ReprioritiseComplaint, RequestEscalation, RequestSurvey,
    ResolveComplaint, ResumeComplaint, RevisePromise, ScheduleFollowUp, ServiceCalendar,
    ServicePolicy, Span, Subject, SurveyAnswer, SurveyKind, TeamId, WithdrawPromise,
};
use clientele::{AwaitOutsideParty, EndOutsideWait, Envelope, Event, RouteComplaint};
use proptest::prelude::*;
use proptest_state_machine::{ReferenceStateMachine, StateMachineTest, prop_state_machine};
use support::*;

// ---------------------------------------------------------------------------------------------
// The policy, in seconds.

const HOUR: i64 = 3600;
const FIRST_RESPONSE: i64 = 4 * HOUR;
const REPLY: i64 = 2 * HOUR;
const RESPONSE_LEAD: i64 = HOUR;
const PROMISE_LEAD: i64 = 2 * HOUR;
const ACKNOWLEDGE: i64 = 2 * HOUR;
const RESOLVE: i64 = 12 * HOUR;
/// Complaint clocks warn when this share (percent) of the target is left.
const COMPLAINT_LEAD_PERCENT: i64 = 25;
/// Escalation thresholds by level; the last level is the top and has none.
const ESCALATE_AFTER: [Option<i64>; 3] = [Some(3 * HOUR), Some(6 * HOUR), None];
const TOP_LEVEL: u32 = 2;
const FOLLOW_UP_AFTER: i64 = 24 * HOUR;
const REPEATED_SLIPS: u32 = 2;
/// The update cadence: the customer hears from us about an open item every 8 business hours,
/// warned 2 business hours before.
const UPDATE_EVERY: i64 = 8 * HOUR;
const UPDATE_LEAD: i64 = 2 * HOUR;

fn span(secs: i64) -> Span {
    Span::try_from_secs(secs).unwrap()
}

/// The reopen from which a reopen makes escalation due: the first reopen of a complaint stays
/// with its owner (flagged as a reopen with no escalation due).
const ESCALATE_FROM_REOPEN: u32 = 2;

fn policy(mode: Mode, pausing: bool, party_pauses: bool) -> ServicePolicy {
    let level = |name: &str, after: Option<i64>| SupportLevel {
        name: text(name),
        escalate_after: after.map(span),
        calendar: None,
    };
    // A message on social media is answered on the day calendar's hours.
    let on_social = CalendarRule::calendar(DAY).on_channel(Channel::Social);
    ServicePolicy {
        first_response: Targets::new(ByPriority::uniform(span(FIRST_RESPONSE)))
            .with_rule(on_social.clone()),
        reply: Targets::new(ByPriority::uniform(span(REPLY))).with_rule(on_social),
        response_warning: Lead::Before(span(RESPONSE_LEAD)),
        promises: PromisePolicy {
            at_risk: Lead::Before(span(PROMISE_LEAD)),
            repeated_slips: REPEATED_SLIPS,
        },
        complaints: ComplaintPolicy {
            acknowledge: Targets::new(ByPriority::uniform(span(ACKNOWLEDGE))),
            resolve: [
                Priority::Low,
                Priority::Normal,
                Priority::High,
                Priority::Urgent,
            ]
            .into_iter()
            .fold(
                Targets::new(ByPriority::uniform(span(RESOLVE))),
                |targets, priority| targets.on_calendar(priority, DESK),
            ),
            warning: Lead::Share(Percent::new(COMPLAINT_LEAD_PERCENT as u8).unwrap()),
            pause_while_waiting: pausing,
            levels: vec![
                level("front line", ESCALATE_AFTER[0]),
                level("specialist", ESCALATE_AFTER[1]),
                level("management", ESCALATE_AFTER[2]),
            ],
            reopen: match mode {
                Mode::Continue => ReopenMode::Continue,
                Mode::Restart => ReopenMode::Restart,
                Mode::NewCycle => ReopenMode::NewCycle,
            },
            escalate_from_reopen: ESCALATE_FROM_REOPEN,
            resolve_unacknowledged: false,
            follow_up_after: Some(span(FOLLOW_UP_AFTER)),
            follow_up_calendar: None,
            reopen_when_not_satisfied: true,
            // Waiting on party 1 pauses the clocks when the case says so; on party 2 never.
            pausing_parties: if party_pauses {
                [party_id(1)].into()
            } else {
                Default::default()
            },
        },
        // Team 1's queue is kept informed around the clock, the rest of high priority and team
        // 2's queue on the day calendar's hours; the first rule that matches wins.
        updates: Some(UpdatePolicy {
            every: Targets::new(ByPriority::uniform(span(UPDATE_EVERY)))
                .with_rule(CalendarRule::calendar(ALWAYS).for_team(team_id(1)))
                .with_rule(CalendarRule::calendar(DAY).at_priority(Priority::High))
                .with_rule(CalendarRule::calendar(DAY).for_team(team_id(2))),
            warning: Lead::Before(span(UPDATE_LEAD)),
        }),
        calendars: [
            (DESK.to_owned(), ServiceCalendar::always_open()),
            (ALWAYS.to_owned(), ServiceCalendar::always_open()),
            (DAY.to_owned(), day_calendar()),
        ]
        .into(),
        // Health is left out of the model: with no at-risk band, and no silence long enough
        // to count as gone quiet (a bad experience leaves the window first), no health review
        // is due.
        health: clientele::health::HealthPolicy {
            at_risk_below: 0,
            quiet: clientele::health::QuietPolicy {
                at_least_gap: span(90 * 24 * 3600),
                ..clientele::health::QuietPolicy::default()
            },
            ..clientele::health::HealthPolicy::default()
        },
        ..ServicePolicy::default()
    }
}

/// The named calendar the resolution target runs on until a step retires it: always open, so
/// the arithmetic is the same; what changes is that a clock started on it cannot be given new
/// terms once the policy no longer has it.
const DESK: &str = "desk";

/// A named calendar always open, chosen by a rule: the same arithmetic as the policy's own.
const ALWAYS: &str = "always";

/// A named calendar open 08:00 to 20:00 UTC every day, chosen by rules.
const DAY: &str = "day";
const DAY_OPENS: i64 = 8 * HOUR;
const DAY_CLOSES: i64 = 20 * HOUR;
/// `T0` is at 09:00 UTC.
const T0_TIME_OF_DAY: i64 = 9 * HOUR;
const DAY_SECS: i64 = 24 * HOUR;

fn day_calendar() -> ServiceCalendar {
    let hm = |secs: i64| WallTime::hm((secs / HOUR) as u8, 0).unwrap();
    ServiceCalendar::builder("UTC")
        .unwrap()
        .every_day(hm(DAY_OPENS), hm(DAY_CLOSES))
        .build()
        .unwrap()
}

/// The calendars a clock in the model can run on: the policy's own and [`ALWAYS`] count wall
/// time, [`DAY`] its open hours.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cal {
    Own,
    Always,
    Day,
}

impl Cal {
    fn name(self) -> Option<&'static str> {
        match self {
            Cal::Own => None,
            Cal::Always => Some(ALWAYS),
            Cal::Day => Some(DAY),
        }
    }

    /// `business` seconds of working time from `start`: on the day calendar, counting starts
    /// at the next opening, and a span that ends exactly at closing time ends there.
    fn add(self, start: i64, business: i64) -> i64 {
        if self != Cal::Day || business == 0 {
            return start + business;
        }
        let at = start + T0_TIME_OF_DAY;
        let (mut day, mut time) = (at.div_euclid(DAY_SECS), at.rem_euclid(DAY_SECS));
        let mut left = business;
        loop {
            let from = time.max(DAY_OPENS);
            if from < DAY_CLOSES {
                if left <= DAY_CLOSES - from {
                    return day * DAY_SECS + from + left - T0_TIME_OF_DAY;
                }
                left -= DAY_CLOSES - from;
            }
            day += 1;
            time = 0;
        }
    }
}

/// The calendar an update cadence is armed on, by the policy's rules in order (the first that
/// matches wins): team 1 always open, high priority or team 2 the day calendar, else the
/// policy's own.
fn update_calendar(high: bool, team: Option<u8>) -> Cal {
    if team == Some(1) {
        Cal::Always
    } else if high || team == Some(2) {
        Cal::Day
    } else {
        Cal::Own
    }
}

/// `policy` without the `DESK` calendar: it validates, and no target names it.
fn retired(policy: &ServicePolicy) -> ServicePolicy {
    let mut policy = policy.clone();
    policy.complaints.resolve.calendars.clear();
    policy.calendars.remove(DESK);
    policy.validate().unwrap();
    policy
}

/// When a warning falls into a target: `None` when the lead covers the whole target.
fn warn_after(target: i64, lead: i64) -> Option<i64> {
    (lead > 0 && lead < target).then_some(target - lead)
}

fn complaint_warn_after(target: i64) -> Option<i64> {
    warn_after(target, target * COMPLAINT_LEAD_PERCENT / 100)
}

// ---------------------------------------------------------------------------------------------
// The steps.

/// Ids in a step are small numbers; [`command`] turns them into the crate's ids.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Base {
    Now,
    Due,
}

/// An outbound interaction.
#[derive(Debug, Clone, Copy)]
struct Outbound {
    id: u32,
    /// A promise it tells the customer about (`regarding`).
    regarding: Option<u8>,
    /// A complaint it tells the customer about (`regarding_complaint`).
    complaint: Option<u8>,
    /// It asks the customer something and waits for them
    /// (`RecordInteraction::awaiting_customer`).
    ask: bool,
}

#[derive(Debug, Clone)]
enum Step {
    /// Move the clock and call `advance_to`.
    Advance(i64),
    /// Move the clock without calling `advance_to` (the service slept through deadlines).
    Sleep(i64),
    Inbound {
        id: u32,
        awaits: bool,
        /// On social media (answered on the day calendar's hours), else by email.
        social: bool,
    },
    Outbound(Outbound),
    MakePromise {
        promise: u8,
        due_in: i64,
        complaint: Option<u8>,
    },
    RevisePromise {
        promise: u8,
        base: Base,
        later: i64,
    },
    KeepPromise(u8),
    WithdrawPromise(u8),
    RecordDependency {
        promise: u8,
        due_in: i64,
    },
    MeetDependency(u8),
    ReceiveComplaint {
        complaint: u8,
        /// A promise it is about, if any.
        about: Option<u8>,
        /// Received already waiting on the customer.
        pending: bool,
    },
    Acknowledge(u8),
    Assign {
        complaint: u8,
        agent: u8,
    },
    RequestEscalation(u8),
    Escalate {
        complaint: u8,
        to: u32,
        agent: u8,
    },
    Deescalate {
        complaint: u8,
        to: u32,
        agent: u8,
    },
    Await(u8),
    Resume(u8),
    /// Put in team `team`'s queue.
    Route {
        complaint: u8,
        team: u8,
    },
    /// Wait on outside party `party` (1 or 2), with its expected date `due_in` from now.
    AwaitParty {
        complaint: u8,
        party: u8,
        due_in: Option<i64>,
    },
    EndPartyWait(u8),
    /// Raised to high priority, or back to normal (every priority has the same targets).
    Reprioritise {
        complaint: u8,
        high: bool,
    },
    Resolve {
        complaint: u8,
        follow_up: Option<u8>,
    },
    Close(u8),
    /// Withdrawn by the customer: closed without a resolution.
    Withdraw(u8),
    Reopen(u8),
    ScheduleFollowUp {
        follow_up: u8,
        due_in: i64,
        complaint: Option<u8>,
    },
    CompleteFollowUp {
        follow_up: u8,
        outcome: FollowUpOutcome,
    },
    CancelFollowUp(u8),
    RequestSurvey {
        survey: u8,
        nps: bool,
        complaint: Option<u8>,
    },
    AnswerSurvey {
        survey: Option<u8>,
        nps: bool,
    },
    /// The policy retires the `DESK` calendar: no target names it any more, and it is gone.
    Retire,
}

const T0: &str = "2026-03-02 09:00";

fn instant(secs: i64) -> DateTime<Utc> {
    t(T0) + TimeDelta::seconds(secs)
}

fn agent(n: u8) -> AgentId {
    AgentId::from_u128(0xa0 + u128::from(n))
}
fn party_id(n: u8) -> PartyId {
    PartyId::from_u128(0xb0 + u128::from(n))
}
fn team_id(n: u8) -> TeamId {
    TeamId::from_u128(0xe0 + u128::from(n))
}
fn promise_id(n: u8) -> PromiseId {
    PromiseId::from_u128(u128::from(n))
}
fn complaint_id(n: u8) -> ComplaintId {
    ComplaintId::from_u128(u128::from(n))
}
/// Follow-up keys from `DERIVED` up stand for the ids a resolution without one derives
/// (`FollowUpId::after_resolution`): `DERIVED + 50 × complaint + reopens` (a case of at most
/// 60 steps reopens a complaint fewer than 50 times).
const DERIVED: u8 = 100;

fn derived_follow_up(complaint: u8, reopens: u32) -> u8 {
    DERIVED + 50 * complaint + u8::try_from(reopens).unwrap()
}

fn follow_up_id(n: u8) -> FollowUpId {
    if n >= DERIVED {
        let (complaint, reopens) = ((n - DERIVED) / 50, (n - DERIVED) % 50);
        return FollowUpId::after_resolution(complaint_id(complaint), u32::from(reopens));
    }
    FollowUpId::from_u128(u128::from(n))
}
fn survey_id(n: u8) -> clientele::SurveyId {
    clientele::SurveyId::from_u128(u128::from(n))
}
fn interaction_id(n: u32) -> InteractionId {
    InteractionId::from_u128(u128::from(n))
}

/// The one place that builds the crate's commands from steps; `model` is the state before the
/// step (a revision relative to the due instant in force needs it).
fn command(step: &Step, model: &Model) -> Option<Command> {
    let now = model.now;
    Some(match *step {
        Step::Advance(_) | Step::Sleep(_) | Step::Retire => return None,
        Step::Inbound { id, awaits, social } => {
            let channel = if social {
                Channel::Social
            } else {
                Channel::Email
            };
            let record = RecordInteraction::inbound(interaction_id(id), channel, text("q"));
            if awaits {
                record.into()
            } else {
                record.no_reply_needed().into()
            }
        }
        Step::Outbound(Outbound {
            id,
            regarding,
            complaint,
            ask,
        }) => {
            let mut record =
                RecordInteraction::outbound(interaction_id(id), Channel::Phone, AGENT, text("a"));
            if let Some(p) = regarding {
                record = record.regarding(promise_id(p));
            }
            if let Some(c) = complaint {
                record = record.regarding_complaint(complaint_id(c));
            }
            if ask {
                record = record.awaiting_customer();
            }
            record.into()
        }
        Step::MakePromise {
            promise,
            due_in,
            complaint,
        } => {
            let mut make = MakePromise::new(
                promise_id(promise),
                text("glasses"),
                instant(now + due_in),
                agent(1),
            );
            if let Some(c) = complaint {
                make = make.answering(complaint_id(c));
            }
            make.into()
        }
        Step::RevisePromise {
            promise,
            base,
            later,
        } => {
            let from = match (base, model.promises.get(&promise)) {
                (Base::Due, Some(p)) => p.due,
                _ => now,
            };
            RevisePromise {
                promise: promise_id(promise),
                due: instant(from + later),
                reason: text("the lab is late").into(),
                customer_agreed: true,
            }
            .into()
        }
        Step::KeepPromise(p) => KeepPromise {
            promise: promise_id(p),
        }
        .into(),
        Step::WithdrawPromise(p) => WithdrawPromise {
            promise: promise_id(p),
            reason: text("no longer needed").into(),
        }
        .into(),
        Step::RecordDependency { promise, due_in } => RecordDependency {
            promise: promise_id(promise),
            party: PartyId::from_u128(0x1ab),
            commitment: text("lenses").into(),
            reference: None,
            due: instant(now + due_in),
        }
        .into(),
        Step::MeetDependency(p) => MeetDependency {
            promise: promise_id(p),
        }
        .into(),
        Step::ReceiveComplaint {
            complaint,
            about,
            pending,
        } => {
            let mut receive = ReceiveComplaint::new(
                complaint_id(complaint),
                Channel::Email,
                text("late glasses"),
            );
            receive.pending = pending;
            if let Some(p) = about {
                receive = receive.about_promise(promise_id(p));
            }
            receive.into()
        }
        Step::Acknowledge(c) => AcknowledgeComplaint {
            complaint: complaint_id(c),
            by: agent(1),
        }
        .into(),
        Step::Assign {
            complaint,
            agent: a,
        } => AssignComplaint {
            complaint: complaint_id(complaint),
            owner: agent(a),
        }
        .into(),
        Step::RequestEscalation(c) => RequestEscalation {
            complaint: complaint_id(c),
        }
        .into(),
        Step::Escalate {
            complaint,
            to,
            agent: a,
        } => EscalateComplaint {
            complaint: complaint_id(complaint),
            to_level: to,
            owner: agent(a),
        }
        .into(),
        Step::Deescalate {
            complaint,
            to,
            agent: a,
        } => DeescalateComplaint::new(complaint_id(complaint), to, agent(a), text("back down"))
            .into(),
        Step::Await(c) => AwaitCustomer {
            complaint: complaint_id(c),
        }
        .into(),
        Step::Reprioritise { complaint, high } => ReprioritiseComplaint::new(
            complaint_id(complaint),
            if high {
                Priority::High
            } else {
                Priority::Normal
            },
        )
        .into(),
        Step::Resume(c) => ResumeComplaint {
            complaint: complaint_id(c),
        }
        .into(),
        Step::Resolve {
            complaint,
            follow_up,
        } => ResolveComplaint {
            complaint: complaint_id(complaint),
            by: agent(1),
            remedy: None,
            apology: true,
            summary: text("replaced").into(),
            follow_up: follow_up.map(follow_up_id),
        }
        .into(),
        Step::Withdraw(c) => CloseUnresolved::withdrawn(complaint_id(c)).into(),
        Step::Close(c) => CloseComplaint {
            complaint: complaint_id(c),
        }
        .into(),
        Step::Route { complaint, team } => {
            RouteComplaint::new(complaint_id(complaint), team_id(team)).into()
        }
        Step::AwaitParty {
            complaint,
            party,
            due_in,
        } => {
            let wait = AwaitOutsideParty::new(complaint_id(complaint), party_id(party));
            match due_in {
                Some(due_in) => wait.expecting(instant(now + due_in)).into(),
                None => wait.into(),
            }
        }
        Step::EndPartyWait(c) => EndOutsideWait::new(complaint_id(c)).into(),
        Step::Reopen(c) => ReopenComplaint {
            complaint: complaint_id(c),
            reason: text("still broken").into(),
        }
        .into(),
        Step::ScheduleFollowUp {
            follow_up,
            due_in,
            complaint,
        } => ScheduleFollowUp {
            follow_up: follow_up_id(follow_up),
            owner: agent(2),
            due: instant(now + due_in),
            reason: text("check in").into(),
            complaint: complaint.map(complaint_id),
        }
        .into(),
        Step::CompleteFollowUp { follow_up, outcome } => CompleteFollowUp {
            follow_up: follow_up_id(follow_up),
            outcome,
            note: None,
        }
        .into(),
        Step::CancelFollowUp(f) => CancelFollowUp {
            follow_up: follow_up_id(f),
            reason: text("not needed").into(),
        }
        .into(),
        Step::RequestSurvey {
            survey,
            nps,
            complaint,
        } => RequestSurvey {
            survey: survey_id(survey),
            kind: if nps {
                SurveyKind::Nps
            } else {
                SurveyKind::Csat
            },
            complaint: complaint.map(complaint_id),
        }
        .into(),
        Step::AnswerSurvey { survey, nps } => AnswerSurvey {
            survey: survey.map(survey_id),
            answer: if nps {
                SurveyAnswer::Nps(NpsScore::new(9).unwrap())
            } else {
                SurveyAnswer::Csat(CsatScore::new(4).unwrap())
            },
            comment: None,
        }
        .into(),
    })
}

// ---------------------------------------------------------------------------------------------
// The reference model. Times are seconds since `T0`.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Continue,
    Restart,
    NewCycle,
}

/// Deadline kinds in the order the crate documents for ties (the order of `DeadlineKind`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    ResponseWarning,
    ResponseDue,
    DependencyDue,
    PromiseWarning,
    PromiseDue,
    AcknowledgementWarning,
    AcknowledgementDue,
    ResolutionWarning,
    ResolutionDue,
    EscalationThreshold,
    PartyDue,
    FollowUpDue,
    UpdateWarning,
    UpdateDue,
}

/// Subjects, ordered as the crate's `Subject`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Subj {
    Response(u32),
    Promise(u8),
    Complaint(u8),
    FollowUp(u8),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum FlagK {
    ResponseAtRisk,
    ResponseOverdue,
    PromiseAtRisk,
    PromiseBroken,
    RepeatedSlips,
    DependencyLate,
    PartyLate,
    ComplaintUnacknowledged,
    ComplaintClockAtRisk,
    ComplaintClockBreached,
    EscalationDue,
    ReopenedAtTop,
    FollowUpOverdue,
    NoTarget,
    UpdateAtRisk,
    UpdateOverdue,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum WaitStage {
    Waiting,
    Warned,
    Overdue,
}

#[derive(Debug, Clone)]
struct Wait {
    since: u32,
    due: i64,
    warn_at: Option<i64>,
    stage: WaitStage,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PStage {
    Open,
    AtRisk,
    Broken,
    Kept,
    KeptLate,
    Withdrawn,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DepState {
    Pending,
    Late,
    Met,
}

#[derive(Debug, Clone)]
struct MPromise {
    due: i64,
    at_risk_at: Option<i64>,
    stage: PStage,
    slips: u32,
    slipped_repeatedly: bool,
    breaks: u32,
    dependency: Option<(i64, DepState)>,
    complaint: Option<u8>,
}

impl MPromise {
    fn outstanding(&self) -> bool {
        matches!(self.stage, PStage::Open | PStage::AtRisk | PStage::Broken)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    Running,
    /// Not counting: what was left to the due instant and to the warning.
    Paused {
        left: i64,
        warn_left: Option<i64>,
    },
    /// Stopped; `left` is what was left when it stopped (for a reopen that continues it).
    Stopped {
        left: i64,
        warn_left: Option<i64>,
    },
}

#[derive(Debug, Clone)]
struct Clock {
    /// Runs on the named calendar `DESK` (the resolution target's, until it is retired).
    desk: bool,
    /// It has no target: its calendar was retired before it was given new terms. It never
    /// warns or falls due, is not paused, and is flagged while it runs.
    no_target: bool,
    target: i64,
    due: i64,
    warn_at: Option<i64>,
    warned: bool,
    breached: bool,
    phase: Phase,
    /// When it was given its terms (started, resumed, reopened, re-prioritised).
    since: i64,
}

impl Clock {
    fn start(now: i64, target: i64, warn: Option<i64>) -> Self {
        Clock {
            desk: false,
            no_target: false,
            since: now,
            target,
            due: now + target,
            warn_at: warn.map(|w| now + w),
            warned: false,
            breached: false,
            phase: Phase::Running,
        }
    }

    fn escalation(now: i64, level: u32) -> Option<Self> {
        ESCALATE_AFTER[level as usize].map(|after| Clock::start(now, after, None))
    }

    fn running(&self) -> bool {
        self.phase == Phase::Running
    }

    /// What is left at `now`, to the due instant and to a warning not yet raised.
    fn left(&self, now: i64) -> (i64, Option<i64>) {
        match self.phase {
            // A warning raised before the pause is not left to raise again.
            Phase::Paused { left, warn_left } | Phase::Stopped { left, warn_left } => {
                (left, warn_left.filter(|_| !self.warned))
            }
            Phase::Running => {
                let left = if self.breached {
                    0
                } else {
                    (self.due - now).max(0)
                };
                let warn = self
                    .warn_at
                    .filter(|w| !self.warned && *w > now)
                    .map(|w| w - now);
                (left, warn)
            }
        }
    }

    /// The same clock, but with no target if it runs on the desk calendar and that is retired.
    fn on_calendar(mut self, desk: bool, retired: bool) -> Self {
        self.desk = desk;
        self.no_target = self.no_target || (desk && retired);
        self
    }

    fn pause(&mut self, now: i64) {
        if self.running() && !self.no_target {
            let (left, warn_left) = self.left(now);
            self.phase = Phase::Paused { left, warn_left };
        }
    }

    fn resume(&mut self, now: i64, retired: bool) {
        if let Phase::Paused { left, warn_left } = self.phase {
            // Its calendar is gone: it runs on with no target.
            self.no_target = self.desk && retired;
            self.since = now;
            self.due = now + left;
            self.warn_at = warn_left.map(|w| now + w);
            self.phase = Phase::Running;
        }
    }

    /// New terms at `now` (a re-prioritisation; every priority has the same target): what it
    /// worked stands, so a clock with a target keeps its due instant (or is due at once if that
    /// passed); one with no target gets one again on the policy's own calendar, counting the
    /// time since it was given its terms; it pauses if the customer is awaited and waiting
    /// pauses clocks (`pause`).
    fn retarget(&mut self, now: i64, pause: bool) {
        let warn_after = complaint_warn_after(self.target).unwrap_or(self.target);
        let worked = match self.phase {
            _ if self.no_target => now - self.since,
            Phase::Paused { left, .. } => self.target - left,
            Phase::Running | Phase::Stopped { .. } => self.target - (self.due - now),
        };
        let left = (self.target - worked).max(0);
        let warn_left = (warn_after - worked).max(0);
        if matches!(self.phase, Phase::Paused { .. }) || (pause && self.no_target) {
            self.warned = self.warned && warn_left == 0;
            self.breached = self.breached && left == 0;
            self.phase = Phase::Paused {
                left,
                warn_left: Some(warn_left),
            };
        } else {
            self.due = now + left;
            self.warn_at = Some(now + warn_left);
            self.warned = self.warned && warn_left == 0;
            self.breached = self.breached && left == 0;
        }
        self.desk = false;
        self.no_target = false;
        self.since = now;
    }

    fn stop(&mut self, now: i64) {
        let (left, warn_left) = self.left(now);
        self.phase = Phase::Stopped { left, warn_left };
    }

    /// The next deadline of a running clock: `(at, is_warning)`.
    fn deadline(&self) -> Option<(i64, bool)> {
        if !self.running() || self.breached || self.no_target {
            return None;
        }
        match self.warn_at {
            Some(w) if !self.warned && w < self.due => Some((w, true)),
            _ => Some((self.due, false)),
        }
    }

    /// The flag of a running acknowledgement or resolution clock at `now`.
    fn flag(&self, now: i64) -> Option<FlagK> {
        if !self.running() {
            None
        } else if self.no_target {
            Some(FlagK::NoTarget)
        } else if self.breached || now >= self.due {
            Some(FlagK::ComplaintClockBreached)
        } else if self.warned || self.warn_at.is_some_and(|w| now >= w) {
            Some(FlagK::ComplaintClockAtRisk)
        } else {
            None
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CStage {
    Received,
    Acknowledged,
    InProgress,
    Waiting,
    Resolved,
    Closed,
    ClosedUnresolved,
}

#[derive(Debug, Clone)]
struct MComplaint {
    stage: CStage,
    owner: Option<u8>,
    level: u32,
    acknowledgement: Clock,
    resolution: Clock,
    escalation: Option<Clock>,
    escalation_due: bool,
    /// Reopened at the top of the ladder and not resolved since.
    reopened_at_top: bool,
    /// The promises it is about.
    promises: Vec<u8>,
    /// The follow-up most recently scheduled for it.
    follow_up: Option<u8>,
    /// How many times it was resolved: the survey rule is one per resolution.
    resolutions: u32,
    /// Raised to high priority (received at normal).
    high: bool,
    /// How many times it was reopened.
    reopens: u32,
    /// The team whose queue it is in.
    team: Option<u8>,
    /// The outside party it waits on.
    party: Option<MParty>,
}

/// A complaint's wait on an outside party.
#[derive(Debug, Clone)]
struct MParty {
    party: u8,
    due: Option<i64>,
    late: bool,
    /// It holds the resolution and escalation clocks.
    pauses: bool,
}

impl MComplaint {
    fn open(&self) -> bool {
        !matches!(
            self.stage,
            CStage::Resolved | CStage::Closed | CStage::ClosedUnresolved
        )
    }

    /// Nobody acknowledged it yet.
    fn unacknowledged(&self) -> bool {
        self.acknowledgement.running()
    }

    /// A wait holds its resolution and escalation clocks: the customer's (if waiting pauses
    /// clocks) or a party's that pauses.
    fn held(&self, pausing: bool) -> bool {
        (pausing && self.stage == CStage::Waiting) || self.party.as_ref().is_some_and(|p| p.pauses)
    }

    /// Who its flags are for: its owner, else the account owner (agent 1).
    fn flag_owner(&self) -> u8 {
        self.owner.unwrap_or(1)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FStage {
    Scheduled,
    Overdue,
    Done,
    Cancelled,
}

#[derive(Debug, Clone)]
struct MFollowUp {
    due: i64,
    stage: FStage,
    complaint: Option<u8>,
    /// Whose it is: the complaint's owner (else the account owner) for one a resolution
    /// schedules, agent 2 for one scheduled by hand.
    owner: u8,
}

impl MFollowUp {
    fn pending(&self) -> bool {
        matches!(self.stage, FStage::Scheduled | FStage::Overdue)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SStage {
    Pending,
    Answered,
    Voided,
}

#[derive(Debug, Clone)]
struct MSurvey {
    nps: bool,
    /// The complaint and which of its resolutions it asks about.
    about: Option<(u8, u32)>,
    stage: SStage,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum UStage {
    Running,
    Warned,
    Overdue,
    Paused,
}

/// The update cadence of an open complaint or an outstanding promise.
#[derive(Debug, Clone)]
struct MUpdate {
    calendar: Cal,
    due: i64,
    warn_at: i64,
    stage: UStage,
}

#[derive(Debug, Clone)]
struct Model {
    mode: Mode,
    pausing: bool,
    /// Waiting on party 1 pauses the complaint clocks.
    party_pauses: bool,
    /// The policy retired the `DESK` calendar the resolution target ran on.
    retired: bool,
    now: i64,
    interactions: Vec<u32>,
    responses_given: u32,
    wait: Option<Wait>,
    /// We asked the customer something and wait for them (the response clock's
    /// `AwaitingCustomer`).
    pending: bool,
    /// What the questions the customer has not answered yet were about.
    asked: Vec<Subj>,
    /// The update cadences, by complaint or promise.
    updates: BTreeMap<Subj, MUpdate>,
    promises: BTreeMap<u8, MPromise>,
    complaints: BTreeMap<u8, MComplaint>,
    follow_ups: BTreeMap<u8, MFollowUp>,
    surveys: BTreeMap<u8, MSurvey>,
    /// What the last step did: `None` for a refused command, else the kinds of its events.
    last: Option<Vec<&'static str>>,
}

type Refused = ();

/// A flag: its kind, subject, owner (an agent number) and team (a team number).
type MFlag = (FlagK, Subj, u8, Option<u8>);

fn refuse<T>() -> Result<T, Refused> {
    Err(())
}

fn check(ok: bool) -> Result<(), Refused> {
    if ok { Ok(()) } else { refuse() }
}

impl Model {
    fn new(mode: Mode, pausing: bool, party_pauses: bool) -> Self {
        Model {
            mode,
            pausing,
            party_pauses,
            retired: false,
            now: 0,
            interactions: Vec::new(),
            responses_given: 0,
            wait: None,
            pending: false,
            asked: Vec::new(),
            updates: BTreeMap::new(),
            promises: BTreeMap::new(),
            complaints: BTreeMap::new(),
            follow_ups: BTreeMap::new(),
            surveys: BTreeMap::new(),
            last: Some(Vec::new()),
        }
    }

    // --- deadlines --------------------------------------------------------------------------

    fn deadlines(&self) -> Vec<(i64, Kind, Subj)> {
        let mut all = Vec::new();
        if let Some(w) = &self.wait {
            let subject = Subj::Response(w.since);
            match (w.stage, w.warn_at) {
                (WaitStage::Waiting, Some(at)) if at < w.due => {
                    all.push((at, Kind::ResponseWarning, subject));
                }
                (WaitStage::Waiting | WaitStage::Warned, _) => {
                    all.push((w.due, Kind::ResponseDue, subject));
                }
                (WaitStage::Overdue, _) => {}
            }
        }
        for (&id, p) in &self.promises {
            if !p.outstanding() {
                continue;
            }
            let subject = Subj::Promise(id);
            if let Some((due, DepState::Pending)) = p.dependency {
                all.push((due, Kind::DependencyDue, subject));
            }
            match p.stage {
                PStage::Open => match p.at_risk_at {
                    Some(at) if at < p.due => all.push((at, Kind::PromiseWarning, subject)),
                    _ => all.push((p.due, Kind::PromiseDue, subject)),
                },
                PStage::AtRisk => all.push((p.due, Kind::PromiseDue, subject)),
                _ => {}
            }
        }
        for (&id, c) in &self.complaints {
            let subject = Subj::Complaint(id);
            if let Some((at, warning)) = c.acknowledgement.deadline() {
                let kind = if warning {
                    Kind::AcknowledgementWarning
                } else {
                    Kind::AcknowledgementDue
                };
                all.push((at, kind, subject));
            }
            if let Some((at, warning)) = c.resolution.deadline() {
                let kind = if warning {
                    Kind::ResolutionWarning
                } else {
                    Kind::ResolutionDue
                };
                all.push((at, kind, subject));
            }
            if let Some((at, _)) = c.escalation.as_ref().and_then(Clock::deadline) {
                all.push((at, Kind::EscalationThreshold, subject));
            }
            if let Some(due) = c.party.as_ref().filter(|p| !p.late).and_then(|p| p.due) {
                all.push((due, Kind::PartyDue, subject));
            }
        }
        for (&id, f) in &self.follow_ups {
            if f.stage == FStage::Scheduled {
                all.push((f.due, Kind::FollowUpDue, Subj::FollowUp(id)));
            }
        }
        for (&about, u) in &self.updates {
            match u.stage {
                UStage::Running => all.push((u.warn_at, Kind::UpdateWarning, about)),
                UStage::Warned => all.push((u.due, Kind::UpdateDue, about)),
                UStage::Overdue | UStage::Paused => {}
            }
        }
        all
    }

    fn next_deadline(&self) -> Option<(i64, Kind, Subj)> {
        self.deadlines().into_iter().min()
    }

    /// Fires one deadline: its events' kinds.
    fn fire(&mut self, kind: Kind, subject: Subj) -> Vec<&'static str> {
        let update = match kind {
            Kind::UpdateWarning => Some((UStage::Warned, "update_at_risk")),
            Kind::UpdateDue => Some((UStage::Overdue, "update_overdue")),
            _ => None,
        };
        if let Some((stage, event)) = update {
            self.updates.get_mut(&subject).unwrap().stage = stage;
            return vec![event];
        }
        let mut out = Vec::new();
        match subject {
            Subj::Response(_) => {
                let w = self.wait.as_mut().unwrap();
                if kind == Kind::ResponseWarning {
                    w.stage = WaitStage::Warned;
                    out.push("response_at_risk");
                } else {
                    w.stage = WaitStage::Overdue;
                    out.push("response_overdue");
                }
            }
            Subj::Promise(id) => {
                let p = self.promises.get_mut(&id).unwrap();
                match kind {
                    Kind::PromiseWarning => {
                        p.stage = PStage::AtRisk;
                        out.push("promise_at_risk");
                    }
                    Kind::PromiseDue => {
                        p.stage = PStage::Broken;
                        p.breaks += 1;
                        out.push("promise_broken");
                        // A promise answering a complaint, or one a complaint is about, that
                        // breaks a second time makes escalation due, once per complaint.
                        if p.breaks == 2 {
                            let answering = p.complaint;
                            for (&cid, c) in &mut self.complaints {
                                let linked = answering == Some(cid) || c.promises.contains(&id);
                                if linked && c.open() && !c.escalation_due {
                                    c.escalation_due = true;
                                    out.push("escalation_due");
                                }
                            }
                        }
                    }
                    _ => {
                        p.dependency.as_mut().unwrap().1 = DepState::Late;
                        out.push("dependency_late");
                        if p.stage == PStage::Open {
                            p.stage = PStage::AtRisk;
                            out.push("promise_at_risk");
                        }
                    }
                }
            }
            Subj::Complaint(id) => {
                let c = self.complaints.get_mut(&id).unwrap();
                match kind {
                    Kind::AcknowledgementWarning => {
                        c.acknowledgement.warned = true;
                        out.push("complaint_clock_at_risk");
                    }
                    Kind::AcknowledgementDue => {
                        c.acknowledgement.breached = true;
                        out.push("complaint_clock_breached");
                    }
                    Kind::ResolutionWarning => {
                        c.resolution.warned = true;
                        out.push("complaint_clock_at_risk");
                    }
                    Kind::ResolutionDue => {
                        c.resolution.breached = true;
                        out.push("complaint_clock_breached");
                    }
                    Kind::PartyDue => {
                        c.party.as_mut().unwrap().late = true;
                        out.push("complaint_party_late");
                    }
                    _ => {
                        c.escalation.as_mut().unwrap().breached = true;
                        c.escalation_due = true;
                        out.push("escalation_due");
                    }
                }
            }
            Subj::FollowUp(id) => {
                self.follow_ups.get_mut(&id).unwrap().stage = FStage::Overdue;
                out.push("follow_up_overdue");
            }
        }
        out
    }

    /// Every deadline up to `now`, in order.
    fn advance(&mut self, now: i64) -> Vec<&'static str> {
        let mut out = Vec::new();
        while let Some((_, kind, subject)) = self.next_deadline().filter(|d| d.0 <= now) {
            out.extend(self.fire(kind, subject));
        }
        out
    }

    // --- the level view ---------------------------------------------------------------------

    /// The flags at `self.now`, from the state advanced to `now` (so they cannot depend on
    /// whether `advance_to` ran).
    fn flags(&self) -> Vec<MFlag> {
        let mut m = self.clone();
        let now = m.now;
        m.advance(now);
        // Response and promise flags are for the account owner and the promise's owner, both
        // agent 1 here; a complaint's for its owner (else the account owner) and its team.
        let mut flags = Vec::new();
        if let Some(w) = &m.wait {
            let subject = Subj::Response(w.since);
            if now >= w.due {
                flags.push((FlagK::ResponseOverdue, subject, 1, None));
            } else if w.warn_at.is_some_and(|at| now >= at) {
                flags.push((FlagK::ResponseAtRisk, subject, 1, None));
            }
        }
        for (&id, p) in &m.promises {
            if !p.outstanding() {
                continue;
            }
            let mut raise = |kind| flags.push((kind, Subj::Promise(id), 1, None));
            let dependency_late = matches!(p.dependency, Some((_, DepState::Late)));
            if p.stage == PStage::Broken {
                raise(FlagK::PromiseBroken);
            } else if p.stage == PStage::AtRisk || dependency_late {
                raise(FlagK::PromiseAtRisk);
            }
            if p.slipped_repeatedly {
                raise(FlagK::RepeatedSlips);
            }
            if dependency_late {
                raise(FlagK::DependencyLate);
            }
        }
        for (&id, c) in &m.complaints {
            let mut raise = |kind| flags.push((kind, Subj::Complaint(id), c.flag_owner(), c.team));
            if c.open() && c.unacknowledged() {
                raise(FlagK::ComplaintUnacknowledged);
            }
            c.acknowledgement.flag(now).map(&mut raise);
            c.resolution.flag(now).map(&mut raise);
            if c.escalation_due {
                raise(FlagK::EscalationDue);
            }
            if c.reopened_at_top && c.open() {
                raise(FlagK::ReopenedAtTop);
            }
            // The party's date passed while we wait: for our owner, never the party.
            if c.open()
                && c.party
                    .as_ref()
                    .is_some_and(|p| p.late || p.due.is_some_and(|due| now >= due))
            {
                raise(FlagK::PartyLate);
            }
        }
        for (&id, f) in &m.follow_ups {
            if f.stage == FStage::Overdue {
                flags.push((FlagK::FollowUpOverdue, Subj::FollowUp(id), f.owner, None));
            }
        }
        // An update due or near, unless paused: for the complaint's owner (else the account
        // owner) and its team, or the promise's owner.
        for (&about, u) in &m.updates {
            let kind = if u.stage == UStage::Paused {
                continue;
            } else if now >= u.due {
                FlagK::UpdateOverdue
            } else if now >= u.warn_at {
                FlagK::UpdateAtRisk
            } else {
                continue;
            };
            let (owner, team) = match about {
                Subj::Complaint(id) => (m.complaints[&id].flag_owner(), m.complaints[&id].team),
                _ => (1, None),
            };
            flags.push((kind, about, owner, team));
        }
        flags.sort();
        flags
    }

    // --- the update cadence ------------------------------------------------------------------

    /// Arms the cadence of `about` with its whole span from now, on the calendar the rules
    /// choose for where its work is: a complaint's priority and team; a promise's, those of the
    /// complaint it answers, else normal priority and no team.
    fn arm(&mut self, about: Subj) -> &'static str {
        let complaint = match about {
            Subj::Complaint(id) => Some(id),
            Subj::Promise(id) => self.promises[&id].complaint,
            Subj::Response(_) | Subj::FollowUp(_) => unreachable!(),
        };
        let (high, team) = complaint
            .and_then(|id| self.complaints.get(&id))
            .map_or((false, None), |c| (c.high, c.team));
        let calendar = update_calendar(high, team);
        self.updates.insert(
            about,
            MUpdate {
                calendar,
                due: calendar.add(self.now, UPDATE_EVERY),
                warn_at: calendar.add(self.now, UPDATE_EVERY - UPDATE_LEAD),
                stage: UStage::Running,
            },
        );
        "update_clock_started"
    }

    fn pause_update(&mut self, about: Subj) {
        if let Some(u) = self.updates.get_mut(&about) {
            u.stage = UStage::Paused;
        }
    }

    fn paused(&self, about: Subj) -> bool {
        self.updates
            .get(&about)
            .is_some_and(|u| u.stage == UStage::Paused)
    }

    /// Whether telling the customer about `about` re-arms its cadence: an open complaint not
    /// waiting on the customer, an outstanding promise, and (unless `even_paused`) not paused.
    fn tellable(&self, about: Subj, even_paused: bool) -> bool {
        let open = match about {
            Subj::Complaint(id) => self
                .complaints
                .get(&id)
                .is_some_and(|c| c.open() && c.stage != CStage::Waiting),
            Subj::Promise(id) => self.promises.get(&id).is_some_and(MPromise::outstanding),
            Subj::Response(_) | Subj::FollowUp(_) => false,
        };
        open && (even_paused || !self.paused(about))
    }

    // --- commands ---------------------------------------------------------------------------

    /// A command at `self.now`: first the deadlines that passed, then the command; on refusal
    /// nothing changes.
    fn command(&mut self, step: &Step) {
        let mut next = self.clone();
        let now = next.now;
        let mut kinds = next.advance(now);
        match next.decide(step) {
            Ok(more) => {
                kinds.extend(more);
                next.last = Some(kinds);
                *self = next;
            }
            Err(()) => self.last = None,
        }
    }

    fn decide(&mut self, step: &Step) -> Result<Vec<&'static str>, Refused> {
        let now = self.now;
        let mut out = Vec::new();
        match *step {
            Step::Advance(_) | Step::Sleep(_) | Step::Retire => unreachable!(),
            Step::Inbound { id, awaits, social } => {
                check(!self.interactions.contains(&id))?;
                self.interactions.push(id);
                out.push("interaction_recorded");
                // The customer's word ends a wait for them; if it expects an answer, that is a
                // reply (it answers our question), even before we ever answered.
                let answers_question = std::mem::take(&mut self.pending);
                // The cadences our question paused run again from their word, with their whole
                // span (a complaint that itself waits on the customer waits for its resumption).
                for about in std::mem::take(&mut self.asked) {
                    if self.paused(about) && self.tellable(about, true) {
                        out.push(self.arm(about));
                    }
                }
                if awaits && self.wait.is_none() {
                    let target = if self.responses_given == 0 && !answers_question {
                        FIRST_RESPONSE
                    } else {
                        REPLY
                    };
                    // A message on social media is answered on the day calendar's hours.
                    let calendar = if social { Cal::Day } else { Cal::Own };
                    self.wait = Some(Wait {
                        since: id,
                        due: calendar.add(now, target),
                        warn_at: warn_after(target, RESPONSE_LEAD).map(|w| calendar.add(now, w)),
                        stage: WaitStage::Waiting,
                    });
                    out.push("response_clock_started");
                }
            }
            Step::Outbound(o) => {
                check(!self.interactions.contains(&o.id))?;
                check(o.regarding.is_none_or(|p| self.promises.contains_key(&p)))?;
                check(o.complaint.is_none_or(|c| self.complaints.contains_key(&c)))?;
                self.interactions.push(o.id);
                out.push("interaction_recorded");
                // What it tells the customer about: the complaint, then the promise.
                let about: Vec<Subj> = o
                    .complaint
                    .map(Subj::Complaint)
                    .into_iter()
                    .chain(o.regarding.map(Subj::Promise))
                    .collect();
                for &item in &about {
                    if self.tellable(item, false) {
                        out.push(self.arm(item));
                    }
                }
                // A question answers first, then the next word is the customer's: nothing is
                // due or flagged until they write.
                if self.wait.take().is_some() {
                    self.responses_given += 1;
                    out.push("response_clock_stopped");
                }
                if o.ask {
                    self.pending = true;
                    out.push("response_awaiting_customer");
                    // The cadences of what we asked about pause until the customer speaks.
                    for item in about {
                        if !self.asked.contains(&item) {
                            self.asked.push(item);
                        }
                        self.pause_update(item);
                    }
                }
            }
            Step::MakePromise {
                promise,
                due_in,
                complaint,
            } => {
                check(complaint.is_none_or(|c| self.complaints.contains_key(&c)))?;
                check(!self.promises.contains_key(&promise))?;
                check(due_in > 0)?;
                self.promises.insert(
                    promise,
                    MPromise {
                        due: now + due_in,
                        at_risk_at: warn_after(due_in, PROMISE_LEAD).map(|w| now + w),
                        stage: PStage::Open,
                        slips: 0,
                        slipped_repeatedly: false,
                        breaks: 0,
                        dependency: None,
                        complaint,
                    },
                );
                out.push("promise_made");
                out.push(self.arm(Subj::Promise(promise)));
            }
            Step::RevisePromise {
                promise,
                base,
                later,
            } => {
                let p = self.promises.get_mut(&promise).ok_or(())?;
                check(matches!(
                    p.stage,
                    PStage::Open | PStage::AtRisk | PStage::Broken
                ))?;
                let due = match base {
                    Base::Now => now,
                    Base::Due => p.due,
                } + later;
                check(due > now && due > p.due)?;
                p.due = due;
                p.at_risk_at = warn_after(due - now, PROMISE_LEAD).map(|w| now + w);
                p.stage = PStage::Open;
                p.slips += 1;
                out.push("promise_revised");
                if p.slips >= REPEATED_SLIPS && !p.slipped_repeatedly {
                    p.slipped_repeatedly = true;
                    out.push("promise_slipped_repeatedly");
                }
            }
            Step::KeepPromise(id) => {
                let p = self.promises.get_mut(&id).ok_or(())?;
                p.stage = match p.stage {
                    PStage::Open | PStage::AtRisk => PStage::Kept,
                    PStage::Broken => PStage::KeptLate,
                    _ => return refuse(),
                };
                out.push("promise_kept");
                self.updates.remove(&Subj::Promise(id));
            }
            Step::WithdrawPromise(id) => {
                let p = self.promises.get_mut(&id).ok_or(())?;
                check(p.outstanding())?;
                p.stage = PStage::Withdrawn;
                out.push("promise_withdrawn");
                self.updates.remove(&Subj::Promise(id));
            }
            Step::RecordDependency { promise, due_in } => {
                let p = self.promises.get_mut(&promise).ok_or(())?;
                check(p.outstanding() && due_in > 0)?;
                p.dependency = Some((now + due_in, DepState::Pending));
                out.push("dependency_recorded");
            }
            Step::MeetDependency(id) => {
                let p = self.promises.get_mut(&id).ok_or(())?;
                check(p.outstanding())?;
                let dependency = p.dependency.as_mut().ok_or(())?;
                check(dependency.1 != DepState::Met)?;
                dependency.1 = DepState::Met;
                out.push("dependency_met");
            }
            Step::ReceiveComplaint {
                complaint: id,
                about,
                pending,
            } => {
                check(!self.complaints.contains_key(&id))?;
                check(about.is_none_or(|p| self.promises.contains_key(&p)))?;
                self.complaints.insert(
                    id,
                    MComplaint {
                        stage: CStage::Received,
                        owner: None,
                        level: 0,
                        acknowledgement: Clock::start(
                            now,
                            ACKNOWLEDGE,
                            complaint_warn_after(ACKNOWLEDGE),
                        ),
                        // On the desk calendar until it is retired, then on the policy's own.
                        resolution: Clock::start(now, RESOLVE, complaint_warn_after(RESOLVE))
                            .on_calendar(!self.retired, false),
                        escalation: Clock::escalation(now, 0),
                        escalation_due: false,
                        reopened_at_top: false,
                        promises: about.into_iter().collect(),
                        follow_up: None,
                        resolutions: 0,
                        high: false,
                        reopens: 0,
                        team: None,
                        party: None,
                    },
                );
                out.push("complaint_received");
                out.push(self.arm(Subj::Complaint(id)));
                if pending {
                    out.extend(self.await_customer(id)?);
                }
            }
            Step::Acknowledge(id) => {
                let c = self.complaints.get_mut(&id).ok_or(())?;
                check(c.open() && c.unacknowledged())?;
                c.acknowledgement.stop(now);
                if c.stage == CStage::Received {
                    c.stage = CStage::Acknowledged;
                }
                out.push("complaint_acknowledged");
                // The acknowledgement tells the customer about it, as an outbound interaction
                // regarding it would: not while it waits on the customer or on our question.
                if self.tellable(Subj::Complaint(id), false) {
                    out.push(self.arm(Subj::Complaint(id)));
                }
            }
            Step::Assign { complaint, agent } => {
                let c = self.complaints.get_mut(&complaint).ok_or(())?;
                // Routed before acknowledgement, it stays received.
                check(c.open())?;
                // Assigning the owner it has is nothing to change, except to start work.
                check(c.owner != Some(agent) || c.stage == CStage::Acknowledged)?;
                c.owner = Some(agent);
                if c.stage == CStage::Acknowledged {
                    c.stage = CStage::InProgress;
                }
                out.push("complaint_assigned");
            }
            Step::RequestEscalation(id) => {
                let c = self.complaints.get_mut(&id).ok_or(())?;
                check(c.open() && !c.escalation_due)?;
                c.escalation_due = true;
                out.push("escalation_due");
            }
            Step::Escalate {
                complaint,
                to,
                agent,
            } => {
                self.move_on_ladder(complaint, to, agent, true, now)?;
                out.push("complaint_escalated");
            }
            Step::Deescalate {
                complaint,
                to,
                agent,
            } => {
                self.move_on_ladder(complaint, to, agent, false, now)?;
                out.push("complaint_deescalated");
            }
            Step::Await(id) => out.extend(self.await_customer(id)?),
            Step::Route { complaint, team } => {
                let c = self.complaints.get_mut(&complaint).ok_or(())?;
                check(c.open() && c.team != Some(team))?;
                c.team = Some(team);
                out.push("complaint_routed");
            }
            Step::AwaitParty {
                complaint,
                party,
                due_in,
            } => out.extend(self.await_party(complaint, party, due_in)?),
            Step::EndPartyWait(id) => {
                let (pausing, retired) = (self.pausing, self.retired);
                let c = self.complaints.get_mut(&id).ok_or(())?;
                let wait = c.party.take().ok_or(())?;
                // The clocks run again unless the customer's wait still holds them.
                if wait.pauses && !c.held(pausing) {
                    c.resolution.resume(now, retired);
                    if let Some(clock) = c.escalation.as_mut() {
                        clock.resume(now, retired);
                    }
                }
                out.push("complaint_party_wait_ended");
            }
            Step::Reprioritise { complaint, high } => {
                let (pausing, retired) = (self.pausing, self.retired);
                let c = self.complaints.get_mut(&complaint).ok_or(())?;
                check(c.open() && c.high != high)?;
                c.high = high;
                if c.unacknowledged() {
                    c.acknowledgement.retarget(now, false);
                }
                // The policy names the desk calendar until it is retired, then its own.
                let pause = c.held(pausing);
                c.resolution.retarget(now, pause);
                c.resolution.desk = !retired;
                out.push("complaint_reprioritised");
            }
            Step::Resume(id) => {
                let retired = self.retired;
                let c = self.complaints.get_mut(&id).ok_or(())?;
                check(c.stage == CStage::Waiting)?;
                // A party that pauses still holds the clocks.
                if !c.party.as_ref().is_some_and(|p| p.pauses) {
                    c.resolution.resume(now, retired);
                    if let Some(clock) = c.escalation.as_mut() {
                        clock.resume(now, retired);
                    }
                }
                c.stage = CStage::InProgress;
                out.push("complaint_resumed");
                // The customer's answer: the cadence runs again with its whole span.
                out.push(self.arm(Subj::Complaint(id)));
            }
            Step::Resolve {
                complaint,
                follow_up,
            } => {
                let reopens = self.complaints.get(&complaint).ok_or(())?.reopens;
                let f = follow_up.unwrap_or_else(|| derived_follow_up(complaint, reopens));
                check(!self.follow_ups.contains_key(&f))?;
                let c = self.complaints.get_mut(&complaint).ok_or(())?;
                // The model's policy requires an acknowledgement first.
                check(c.open() && !c.unacknowledged())?;
                if c.party.take().is_some() {
                    out.push("complaint_party_wait_ended");
                }
                c.resolution.stop(now);
                if let Some(clock) = c.escalation.as_mut() {
                    clock.stop(now);
                }
                c.escalation_due = false;
                c.reopened_at_top = false;
                c.stage = CStage::Resolved;
                self.updates.remove(&Subj::Complaint(complaint));
                c.resolutions += 1;
                c.follow_up = Some(f);
                let owner = c.flag_owner();
                self.follow_ups.insert(
                    f,
                    MFollowUp {
                        due: now + FOLLOW_UP_AFTER,
                        stage: FStage::Scheduled,
                        complaint: Some(complaint),
                        owner,
                    },
                );
                out.extend(["complaint_resolved", "follow_up_scheduled"]);
            }
            Step::Close(id) => {
                let c = self.complaints.get_mut(&id).ok_or(())?;
                check(c.stage == CStage::Resolved)?;
                c.stage = CStage::Closed;
                out.push("complaint_closed");
            }
            Step::Withdraw(id) => {
                let c = self.complaints.get_mut(&id).ok_or(())?;
                check(c.open())?;
                if c.party.take().is_some() {
                    out.push("complaint_party_wait_ended");
                }
                // Every target ends not applicable: nothing falls due or is flagged.
                for clock in [Some(&mut c.acknowledgement), Some(&mut c.resolution)]
                    .into_iter()
                    .chain([c.escalation.as_mut()])
                    .flatten()
                {
                    clock.stop(now);
                }
                c.escalation_due = false;
                c.reopened_at_top = false;
                c.stage = CStage::ClosedUnresolved;
                self.updates.remove(&Subj::Complaint(id));
                out.push("complaint_closed_unresolved");
            }
            Step::Reopen(id) => {
                out.extend(self.reopen(id)?);
            }
            Step::ScheduleFollowUp {
                follow_up,
                due_in,
                complaint,
            } => {
                check(!self.follow_ups.contains_key(&follow_up))?;
                check(complaint.is_none_or(|c| self.complaints.contains_key(&c)))?;
                check(due_in > 0)?;
                self.follow_ups.insert(
                    follow_up,
                    MFollowUp {
                        due: now + due_in,
                        stage: FStage::Scheduled,
                        complaint,
                        owner: 2,
                    },
                );
                if let Some(c) = complaint.and_then(|c| self.complaints.get_mut(&c)) {
                    c.follow_up = Some(follow_up);
                }
                out.push("follow_up_scheduled");
            }
            Step::CompleteFollowUp { follow_up, outcome } => {
                let f = self.follow_ups.get_mut(&follow_up).ok_or(())?;
                check(f.pending())?;
                f.stage = FStage::Done;
                out.push("follow_up_completed");
                let reopens = f.complaint.filter(|c| {
                    matches!(self.complaints[c].stage, CStage::Resolved | CStage::Closed)
                });
                if outcome == FollowUpOutcome::NotSatisfied
                    && let Some(c) = reopens
                {
                    out.extend(self.reopen(c)?);
                }
            }
            Step::CancelFollowUp(id) => {
                let f = self.follow_ups.get_mut(&id).ok_or(())?;
                check(f.pending())?;
                f.stage = FStage::Cancelled;
                out.push("follow_up_cancelled");
            }
            Step::RequestSurvey {
                survey,
                nps,
                complaint,
            } => {
                check(!self.surveys.contains_key(&survey))?;
                let about = match complaint {
                    Some(id) => {
                        let c = self.complaints.get(&id).ok_or(())?;
                        check(matches!(c.stage, CStage::Resolved | CStage::Closed))?;
                        let about = (id, c.resolutions);
                        let already = self
                            .surveys
                            .values()
                            .any(|s| s.about == Some(about) && s.stage != SStage::Voided);
                        check(!already)?;
                        Some(about)
                    }
                    None => None,
                };
                self.surveys.insert(
                    survey,
                    MSurvey {
                        nps,
                        about,
                        stage: SStage::Pending,
                    },
                );
                out.push("survey_requested");
            }
            Step::AnswerSurvey { survey, nps } => {
                if let Some(id) = survey {
                    let s = self.surveys.get_mut(&id).ok_or(())?;
                    check(s.stage == SStage::Pending && s.nps == nps)?;
                    s.stage = SStage::Answered;
                }
                out.push("survey_answered");
            }
        }
        Ok(out)
    }

    /// Waiting on the customer: from any open stage before resolution but a wait.
    fn await_customer(&mut self, id: u8) -> Result<Vec<&'static str>, Refused> {
        let (now, pausing) = (self.now, self.pausing);
        let c = self.complaints.get_mut(&id).ok_or(())?;
        check(matches!(
            c.stage,
            CStage::Received | CStage::Acknowledged | CStage::InProgress
        ))?;
        if pausing {
            c.resolution.pause(now);
            if let Some(clock) = c.escalation.as_mut() {
                clock.pause(now);
            }
        }
        c.stage = CStage::Waiting;
        self.pause_update(Subj::Complaint(id));
        Ok(vec!["complaint_awaiting_customer"])
    }

    /// Waiting on outside party `party`, or its new date: open complaints only, one party at
    /// a time, a date in the future, not the date it has already.
    fn await_party(
        &mut self,
        id: u8,
        party: u8,
        due_in: Option<i64>,
    ) -> Result<Vec<&'static str>, Refused> {
        let (now, party_pauses) = (self.now, self.party_pauses);
        let c = self.complaints.get_mut(&id).ok_or(())?;
        check(c.open() && due_in.is_none_or(|d| d > 0))?;
        let due = due_in.map(|d| now + d);
        if let Some(wait) = c.party.as_mut() {
            check(wait.party == party && (wait.due != due || wait.late))?;
            wait.due = due;
            wait.late = false;
        } else {
            let pauses = party_pauses && party == 1;
            if pauses {
                c.resolution.pause(now);
                if let Some(clock) = c.escalation.as_mut() {
                    clock.pause(now);
                }
            }
            c.party = Some(MParty {
                party,
                due,
                late: false,
                pauses,
            });
        }
        Ok(vec!["complaint_awaiting_party"])
    }

    /// A move up (`up`) or down the ladder: allowed while the complaint is open, acknowledged
    /// or not; the new level's clock starts (paused while a pausing wait lasts).
    fn move_on_ladder(
        &mut self,
        complaint: u8,
        to: u32,
        agent: u8,
        up: bool,
        now: i64,
    ) -> Result<(), Refused> {
        let pausing = self.pausing;
        let c = self.complaints.get_mut(&complaint).ok_or(())?;
        check(c.open())?;
        check(if up {
            to <= TOP_LEVEL && to > c.level
        } else {
            to < c.level
        })?;
        c.level = to;
        c.owner = Some(agent);
        c.escalation_due = false;
        // Whether the wait paused a clock: the resolution clock (unless it has no target,
        // which nothing pauses) or the previous level's.
        let wait_paused = !c.resolution.no_target
            || c.escalation
                .as_ref()
                .is_some_and(|e| matches!(e.phase, Phase::Paused { .. }));
        c.escalation = Clock::escalation(now, to);
        // The new level's clock does not count while a wait that paused the clocks lasts.
        if c.held(pausing)
            && wait_paused
            && let Some(clock) = c.escalation.as_mut()
        {
            clock.pause(now);
        }
        match c.stage {
            CStage::Waiting => {}
            CStage::Acknowledged => c.stage = CStage::InProgress,
            CStage::Received
            | CStage::InProgress
            | CStage::Resolved
            | CStage::Closed
            | CStage::ClosedUnresolved => {}
        }
        Ok(())
    }

    /// Reopening a resolved or closed complaint.
    fn reopen(&mut self, id: u8) -> Result<Vec<&'static str>, Refused> {
        let now = self.now;
        let mode = self.mode;
        let retired = self.retired;
        let c = self.complaints.get_mut(&id).ok_or(())?;
        check(matches!(c.stage, CStage::Resolved | CStage::Closed))?;
        let mut out = vec!["complaint_reopened"];
        let (desk, no_target) = (c.resolution.desk, c.resolution.no_target);
        c.resolution = match mode {
            // The clock goes on from where it stopped.
            Mode::Continue => {
                let (left, warn_left) = c.resolution.left(now);
                Clock {
                    desk,
                    // A clock with no target goes on without one.
                    no_target,
                    target: c.resolution.target,
                    due: now + left,
                    warn_at: warn_left.map(|w| now + w),
                    warned: c.resolution.warned,
                    breached: c.resolution.breached,
                    phase: Phase::Running,
                    since: now,
                }
            }
            Mode::Restart | Mode::NewCycle => Clock::start(
                now,
                c.resolution.target,
                complaint_warn_after(c.resolution.target),
            ),
        }
        // On the calendar it was started on: none if that is retired.
        .on_calendar(desk, retired);
        c.escalation = Clock::escalation(now, c.level);
        c.stage = CStage::InProgress;
        // At the top of the ladder there is nowhere to escalate: the reopen is flagged for the
        // owner instead.
        // Before the reopen the policy escalates from, no escalation is due either.
        let at_top = c.level >= TOP_LEVEL;
        c.reopens += 1;
        let escalates = !at_top && c.reopens >= ESCALATE_FROM_REOPEN;
        c.escalation_due = escalates;
        c.reopened_at_top = !escalates;
        let resolution = c.resolutions;
        if let Some(f) = c.follow_up
            && let Some(follow_up) = self.follow_ups.get_mut(&f).filter(|f| f.pending())
        {
            follow_up.stage = FStage::Cancelled;
            out.push("follow_up_cancelled");
        }
        if let Some(s) = self
            .surveys
            .values_mut()
            .find(|s| s.about == Some((id, resolution)) && s.stage == SStage::Pending)
        {
            s.stage = SStage::Voided;
            out.push("survey_voided");
        }
        out.push(self.arm(Subj::Complaint(id)));
        if escalates {
            out.push("escalation_due");
        }
        Ok(out)
    }
}

// ---------------------------------------------------------------------------------------------
// Generation.

struct Reference;

const PROMISES: u8 = 3;
const COMPLAINTS: u8 = 2;
const FOLLOW_UPS: u8 = 6;
const SURVEYS: u8 = 4;
const OUTCOMES: [FollowUpOutcome; 3] = [
    FollowUpOutcome::Satisfied,
    FollowUpOutcome::NotSatisfied,
    FollowUpOutcome::Unreachable,
];

/// Commands the model would accept now (and a few near misses), so that random sequences get
/// deep into every lifecycle instead of being refused at its first step.
fn likely(m: &Model) -> Vec<Step> {
    let mut steps = Vec::new();
    let fresh = m.interactions.iter().max().map_or(1, |x| x + 1);
    let free = |taken: &dyn Fn(u8) -> bool, pool: u8| (1..=pool).find(|n| !taken(*n));
    let free_follow_up = free(&|n| m.follow_ups.contains_key(&n), FOLLOW_UPS);
    if let Some(promise) = free(&|n| m.promises.contains_key(&n), PROMISES) {
        for (due_in, complaint) in [
            (6 * HOUR, None),
            (HOUR, m.complaints.keys().next().copied()),
        ] {
            steps.push(Step::MakePromise {
                promise,
                due_in,
                complaint,
            });
        }
    }
    if let Some(complaint) = free(&|n| m.complaints.contains_key(&n), COMPLAINTS) {
        steps.push(Step::ReceiveComplaint {
            complaint,
            about: None,
            pending: false,
        });
        steps.push(Step::ReceiveComplaint {
            complaint,
            about: None,
            pending: true,
        });
        if let Some((&about, _)) = m.promises.iter().find(|(_, p)| p.outstanding()) {
            steps.push(Step::ReceiveComplaint {
                complaint,
                about: Some(about),
                pending: false,
            });
        }
    }
    for (&promise, p) in m.promises.iter().filter(|(_, p)| p.outstanding()) {
        steps.extend([
            Step::KeepPromise(promise),
            Step::RevisePromise {
                promise,
                base: Base::Due,
                later: 2 * HOUR,
            },
            Step::RevisePromise {
                promise,
                base: Base::Now,
                later: 3 * HOUR,
            },
            Step::RecordDependency {
                promise,
                due_in: 2 * HOUR,
            },
            Step::MeetDependency(promise),
            Step::Outbound(Outbound {
                id: fresh,
                regarding: Some(promise),
                complaint: None,
                ask: false,
            }),
        ]);
        if p.stage == PStage::Broken {
            steps.push(Step::WithdrawPromise(promise));
        }
    }
    for (&complaint, c) in &m.complaints {
        let other = if c.owner == Some(1) { 2 } else { 1 };
        let escalate = Step::Escalate {
            complaint,
            to: c.level + 1,
            agent: other,
        };
        let resolve = Step::Resolve {
            complaint,
            follow_up: free_follow_up,
        };
        if c.open() && c.unacknowledged() {
            steps.push(Step::Acknowledge(complaint));
        }
        if c.open() {
            let party = c.party.as_ref().map_or(1, |p| p.party);
            steps.extend([
                Step::AwaitParty {
                    complaint,
                    party,
                    due_in: Some(2 * HOUR),
                },
                Step::AwaitParty {
                    complaint,
                    party: 3 - party,
                    due_in: None,
                },
                Step::EndPartyWait(complaint),
                Step::Route {
                    complaint,
                    team: if c.team == Some(1) { 2 } else { 1 },
                },
            ]);
            steps.push(Step::Withdraw(complaint));
            // Telling the customer where it stands (re-arming its cadence), or asking them.
            for ask in [false, true] {
                steps.push(Step::Outbound(Outbound {
                    id: fresh,
                    regarding: None,
                    complaint: Some(complaint),
                    ask,
                }));
            }
            steps.push(Step::Reprioritise {
                complaint,
                high: !c.high,
            });
        }
        if c.open() && c.level > 0 {
            steps.push(Step::Deescalate {
                complaint,
                to: c.level - 1,
                agent: other,
            });
        }
        match c.stage {
            CStage::Received => steps.extend([
                Step::Await(complaint),
                Step::Assign {
                    complaint,
                    agent: other,
                },
                escalate,
            ]),
            CStage::Acknowledged => steps.extend([
                Step::Await(complaint),
                Step::Assign {
                    complaint,
                    agent: other,
                },
                escalate,
                resolve,
            ]),
            CStage::InProgress => steps.extend([
                Step::Await(complaint),
                Step::Await(complaint),
                escalate,
                resolve,
                Step::RequestEscalation(complaint),
                Step::Assign {
                    complaint,
                    agent: other,
                },
            ]),
            CStage::Waiting => steps.extend([
                Step::Resume(complaint),
                escalate,
                resolve,
                Step::Assign {
                    complaint,
                    agent: other,
                },
            ]),
            CStage::ClosedUnresolved => steps.push(Step::Reopen(complaint)),
            CStage::Resolved | CStage::Closed => {
                steps.extend([Step::Reopen(complaint), Step::Close(complaint)]);
                if let Some(survey) = free(&|n| m.surveys.contains_key(&n), SURVEYS) {
                    steps.push(Step::RequestSurvey {
                        survey,
                        nps: true,
                        complaint: Some(complaint),
                    });
                }
                if let Some(follow_up) = free_follow_up {
                    steps.push(Step::ScheduleFollowUp {
                        follow_up,
                        due_in: HOUR,
                        complaint: Some(complaint),
                    });
                }
            }
        }
    }
    for (&follow_up, f) in m.follow_ups.iter().filter(|(_, f)| f.pending()) {
        for outcome in OUTCOMES {
            steps.push(Step::CompleteFollowUp { follow_up, outcome });
        }
        steps.push(Step::CompleteFollowUp {
            follow_up,
            outcome: FollowUpOutcome::NotSatisfied,
        });
        if f.complaint.is_none() {
            steps.push(Step::CancelFollowUp(follow_up));
        }
    }
    for (&survey, s) in m.surveys.iter().filter(|(_, s)| s.stage == SStage::Pending) {
        steps.push(Step::AnswerSurvey {
            survey: Some(survey),
            nps: s.nps,
        });
    }
    steps
}

fn delay() -> impl Strategy<Value = i64> {
    prop::sample::select(vec![
        0,
        1,
        15 * 60,
        HOUR / 2,
        HOUR,
        2 * HOUR,
        3 * HOUR,
        5 * HOUR,
        9 * HOUR,
        25 * HOUR,
    ])
}

fn due_in() -> impl Strategy<Value = i64> {
    prop::sample::select(vec![0, HOUR, 2 * HOUR, 3 * HOUR, 6 * HOUR, 26 * HOUR])
}

impl ReferenceStateMachine for Reference {
    type State = Model;
    type Transition = Step;

    fn init_state() -> BoxedStrategy<Model> {
        (
            prop::sample::select(vec![Mode::Continue, Mode::Restart, Mode::NewCycle]),
            any::<bool>(),
            any::<bool>(),
        )
            .prop_map(|(mode, pausing, party_pauses)| Model::new(mode, pausing, party_pauses))
            .boxed()
    }

    fn transitions(state: &Model) -> BoxedStrategy<Step> {
        let fresh = state.interactions.iter().max().map_or(1, |m| m + 1);
        let interaction = prop_oneof![9 => Just(fresh), 1 => 1..=fresh];
        let p = || 1..=PROMISES;
        let c = || 1..=COMPLAINTS;
        let f = || 1..=FOLLOW_UPS;
        let s = || 1..=SURVEYS;
        let a = || 1u8..=2;
        let outcome = prop::sample::select(OUTCOMES.to_vec());
        // Any command with any ids from the pools: mostly refused once the pools fill up.
        let any_command = prop_oneof![
            2 => (p(), due_in(), prop::option::weighted(0.4, c())).prop_map(
                |(promise, due_in, complaint)| Step::MakePromise { promise, due_in, complaint }
            ),
            2 => (p(), prop::sample::select(vec![Base::Now, Base::Due]), due_in()).prop_map(
                |(promise, base, later)| Step::RevisePromise { promise, base, later }
            ),
            1 => p().prop_map(Step::KeepPromise),
            1 => p().prop_map(Step::WithdrawPromise),
            1 => (p(), due_in())
                .prop_map(|(promise, due_in)| Step::RecordDependency { promise, due_in }),
            1 => p().prop_map(Step::MeetDependency),
            1 => (c(), prop::option::weighted(0.3, p()), prop::bool::weighted(0.2))
                .prop_map(|(complaint, about, pending)| Step::ReceiveComplaint { complaint, about, pending }),
            1 => c().prop_map(Step::Acknowledge),
            1 => (c(), a()).prop_map(|(complaint, agent)| Step::Assign { complaint, agent }),
            1 => c().prop_map(Step::RequestEscalation),
            1 => (c(), 0u32..=3, a())
                .prop_map(|(complaint, to, agent)| Step::Escalate { complaint, to, agent }),
            1 => (c(), 0u32..=3, a())
                .prop_map(|(complaint, to, agent)| Step::Deescalate { complaint, to, agent }),
            1 => c().prop_map(Step::Await),
            1 => c().prop_map(Step::Resume),
            1 => (c(), 1u8..=2).prop_map(|(complaint, team)| Step::Route { complaint, team }),
            1 => (c(), 1u8..=2, prop::option::of(due_in())).prop_map(
                |(complaint, party, due_in)| Step::AwaitParty { complaint, party, due_in }
            ),
            1 => c().prop_map(Step::EndPartyWait),
            1 => (c(), any::<bool>())
                .prop_map(|(complaint, high)| Step::Reprioritise { complaint, high }),
            1 => (c(), prop::option::weighted(0.9, f()))
                .prop_map(|(complaint, follow_up)| Step::Resolve { complaint, follow_up }),
            1 => c().prop_map(Step::Close),
            1 => c().prop_map(Step::Withdraw),
            1 => c().prop_map(Step::Reopen),
            1 => (f(), due_in(), prop::option::weighted(0.6, c())).prop_map(
                |(follow_up, due_in, complaint)| Step::ScheduleFollowUp { follow_up, due_in, complaint }
            ),
            1 => (f(), outcome)
                .prop_map(|(follow_up, outcome)| Step::CompleteFollowUp { follow_up, outcome }),
            1 => f().prop_map(Step::CancelFollowUp),
            1 => (s(), any::<bool>(), prop::option::weighted(0.7, c())).prop_map(
                |(survey, nps, complaint)| Step::RequestSurvey { survey, nps, complaint }
            ),
            1 => (prop::option::weighted(0.8, s()), any::<bool>())
                .prop_map(|(survey, nps)| Step::AnswerSurvey { survey, nps }),
        ];
        let likely = likely(state);
        let likely = if likely.is_empty() {
            Just(Step::Sleep(0)).boxed()
        } else {
            prop::sample::select(likely).boxed()
        };
        prop_oneof![
            6 => delay().prop_map(Step::Advance),
            2 => delay().prop_map(Step::Sleep),
            3 => (interaction.clone(), prop::bool::weighted(0.8), prop::bool::weighted(0.3))
                .prop_map(|(id, awaits, social)| Step::Inbound { id, awaits, social }),
            2 => (
                interaction,
                prop::option::weighted(0.2, p()),
                prop::option::weighted(0.2, c()),
                prop::bool::weighted(0.3),
            )
                .prop_map(|(id, regarding, complaint, ask)| Step::Outbound(Outbound {
                    id,
                    regarding,
                    complaint,
                    ask,
                })),
            5 => any_command,
            10 => likely,
            1 => Just(Step::Retire),
        ]
        .boxed()
    }

    fn apply(mut state: Model, step: &Step) -> Model {
        match *step {
            Step::Advance(secs) => {
                state.now += secs;
                let now = state.now;
                state.last = Some(state.advance(now));
            }
            Step::Sleep(secs) => {
                state.now += secs;
                state.last = Some(Vec::new());
            }
            Step::Retire => {
                state.retired = true;
                state.last = Some(Vec::new());
            }
            _ => state.command(step),
        }
        state
    }
}

// ---------------------------------------------------------------------------------------------
// The system under test, and the comparison.

struct Engine {
    policy: ServicePolicy,
    relationship: Relationship,
    log: Vec<Envelope>,
    /// The model's state before the step being applied (commands are built from it).
    before: Model,
}

/// Health is left out of the model.
fn modelled(event: &Event) -> bool {
    !matches!(
        event,
        Event::Health(
            HealthEvent::AtRisk { .. }
                | HealthEvent::Recovered { .. }
                | HealthEvent::GoneQuiet { .. }
        )
    )
}

fn kinds(envelopes: &[Envelope]) -> Vec<&'static str> {
    envelopes
        .iter()
        .map(|e| &e.event)
        .filter(|e| modelled(e))
        .map(Event::kind)
        .collect()
}

fn subject(s: Subj) -> Subject {
    match s {
        Subj::Response(i) => Subject::Response(interaction_id(i)),
        Subj::Promise(p) => Subject::Promise(promise_id(p)),
        Subj::Complaint(c) => Subject::Complaint(complaint_id(c)),
        Subj::FollowUp(f) => Subject::FollowUp(follow_up_id(f)),
    }
}

fn deadline_kind(k: Kind) -> DeadlineKind {
    match k {
        Kind::ResponseWarning => DeadlineKind::ResponseWarning,
        Kind::ResponseDue => DeadlineKind::ResponseDue,
        Kind::DependencyDue => DeadlineKind::DependencyDue,
        Kind::PromiseWarning => DeadlineKind::PromiseWarning,
        Kind::PromiseDue => DeadlineKind::PromiseDue,
        Kind::AcknowledgementWarning => DeadlineKind::AcknowledgementWarning,
        Kind::AcknowledgementDue => DeadlineKind::AcknowledgementDue,
        Kind::ResolutionWarning => DeadlineKind::ResolutionWarning,
        Kind::ResolutionDue => DeadlineKind::ResolutionDue,
        Kind::EscalationThreshold => DeadlineKind::EscalationThreshold,
        Kind::PartyDue => DeadlineKind::PartyDue,
        Kind::FollowUpDue => DeadlineKind::FollowUpDue,
        Kind::UpdateWarning => DeadlineKind::UpdateWarning,
        Kind::UpdateDue => DeadlineKind::UpdateDue,
    }
}

fn flag_kind(k: FlagK) -> FlagKind {
    match k {
        FlagK::ResponseAtRisk => FlagKind::ResponseAtRisk,
        FlagK::ResponseOverdue => FlagKind::ResponseOverdue,
        FlagK::PromiseAtRisk => FlagKind::PromiseAtRisk,
        FlagK::PromiseBroken => FlagKind::PromiseBroken,
        FlagK::RepeatedSlips => FlagKind::RepeatedSlips,
        FlagK::DependencyLate => FlagKind::DependencyLate,
        FlagK::PartyLate => FlagKind::PartyLate,
        FlagK::ComplaintUnacknowledged => FlagKind::ComplaintUnacknowledged,
        FlagK::ComplaintClockAtRisk => FlagKind::ComplaintClockAtRisk,
        FlagK::ComplaintClockBreached => FlagKind::ComplaintClockBreached,
        FlagK::ReopenedAtTop => FlagKind::ReopenedAtTop,
        FlagK::EscalationDue => FlagKind::EscalationDue,
        FlagK::FollowUpOverdue => FlagKind::FollowUpOverdue,
        FlagK::NoTarget => FlagKind::NoTarget,
        FlagK::UpdateAtRisk => FlagKind::UpdateAtRisk,
        FlagK::UpdateOverdue => FlagKind::UpdateOverdue,
    }
}

fn promise_stage(s: PStage) -> PromiseStage {
    match s {
        PStage::Open => PromiseStage::Open,
        PStage::AtRisk => PromiseStage::AtRisk,
        PStage::Broken => PromiseStage::Broken,
        PStage::Kept => PromiseStage::Kept,
        PStage::KeptLate => PromiseStage::KeptLate,
        PStage::Withdrawn => PromiseStage::Withdrawn,
    }
}

fn complaint_stage(s: CStage) -> ComplaintStage {
    match s {
        CStage::Received => ComplaintStage::Received,
        CStage::Acknowledged => ComplaintStage::Acknowledged,
        CStage::InProgress => ComplaintStage::InProgress,
        CStage::Waiting => ComplaintStage::Waiting,
        CStage::Resolved => ComplaintStage::Resolved,
        CStage::Closed => ComplaintStage::Closed,
        CStage::ClosedUnresolved => ComplaintStage::ClosedUnresolved,
    }
}

fn follow_up_stage(s: FStage) -> FollowUpStage {
    match s {
        FStage::Scheduled => FollowUpStage::Scheduled,
        FStage::Overdue => FollowUpStage::Overdue,
        FStage::Done => FollowUpStage::Done,
        FStage::Cancelled => FollowUpStage::Cancelled,
    }
}

fn survey_stage(s: SStage) -> SurveyStage {
    match s {
        SStage::Pending => SurveyStage::Pending,
        SStage::Answered => SurveyStage::Answered,
        SStage::Voided => SurveyStage::Voided,
    }
}

impl StateMachineTest for Engine {
    type SystemUnderTest = Engine;
    type Reference = Reference;

    fn init_test(model: &Model) -> Engine {
        let policy = policy(model.mode, model.pausing, model.party_pauses);
        let mut relationship = Relationship::new(ONA);
        let register = RegisterCustomer::new(text("Ona"), tier("standard")).owned_by(agent(1));
        let log = relationship.execute(&policy, register, instant(0)).unwrap();
        Engine {
            policy,
            relationship,
            log,
            before: model.clone(),
        }
    }

    fn apply(mut engine: Engine, model: &Model, step: Step) -> Engine {
        let now = instant(model.now);
        let produced = match step {
            Step::Advance(_) => Some(engine.relationship.advance_to(&engine.policy, now)),
            Step::Sleep(_) => Some(Vec::new()),
            Step::Retire => {
                engine.policy = retired(&engine.policy);
                Some(Vec::new())
            }
            _ => {
                let command = command(&step, &engine.before).unwrap();
                let before = engine.relationship.clone();
                match engine.relationship.execute(&engine.policy, command, now) {
                    Ok(envelopes) => Some(envelopes),
                    Err(error) => {
                        assert_eq!(
                            engine.relationship, before,
                            "the refused {step:?} changed the state"
                        );
                        if model.last.is_some() {
                            panic!("{step:?} at {now} was refused ({error}); the model accepts it");
                        }
                        None
                    }
                }
            }
        };
        match (&produced, &model.last) {
            (Some(envelopes), Some(expected)) => {
                assert_eq!(
                    &kinds(envelopes),
                    expected,
                    "the events of {step:?} at {now}"
                );
            }
            (Some(envelopes), None) => panic!(
                "{step:?} at {now} was accepted ({:?}); the model refuses it",
                kinds(envelopes)
            ),
            (None, _) => {}
        }
        engine.log.extend(produced.unwrap_or_default());
        engine.before = model.clone();
        engine
    }

    fn check_invariants(engine: &Engine, model: &Model) {
        let r = &engine.relationship;
        let now = instant(model.now);

        // The response clock.
        let clock = r.response_clock();
        let expected = model.wait.as_ref().map(|w| {
            let stage = match w.stage {
                WaitStage::Waiting => ClockStage::Waiting,
                WaitStage::Warned => ClockStage::Warned,
                WaitStage::Overdue => ClockStage::Overdue,
            };
            (stage, interaction_id(w.since), Some(instant(w.due)))
        });
        let actual = clock.wait().map(|w| (clock.stage(), w.since, w.due));
        assert_eq!(actual, expected, "response clock at {now}");
        assert_eq!(
            clock.stage() == ClockStage::AwaitingCustomer,
            model.pending,
            "waiting for the customer at {now}"
        );

        // Every lifecycle's stages, and a few facts the deadlines depend on.
        // Outstanding promises are held in full; closed ones are archived with their stage.
        let promises: Vec<_> = r
            .promises()
            .map(|(id, p)| (id, p.stage(), p.terms.due, p.terms.slips()))
            .collect();
        let expected: Vec<_> = model
            .promises
            .iter()
            .filter(|(_, p)| p.outstanding())
            .map(|(&id, p)| {
                (
                    promise_id(id),
                    promise_stage(p.stage),
                    instant(p.due),
                    p.slips,
                )
            })
            .collect();
        assert_eq!(promises, expected, "promises at {now}");
        for (&id, p) in &model.promises {
            let stage = r.promise_stage(promise_id(id));
            assert_eq!(stage, Some(promise_stage(p.stage)), "promise {id} at {now}");
        }

        let complaints: Vec<_> = r
            .complaints()
            .map(|(id, c)| {
                let party = c.outside.as_ref().map(|w| (w.party, w.expected, w.late));
                (id, c.stage(), c.level, c.owner, c.team, party)
            })
            .collect();
        let expected: Vec<_> = model
            .complaints
            .iter()
            .map(|(&id, c)| {
                let party = c
                    .party
                    .as_ref()
                    .map(|p| (party_id(p.party), p.due.map(instant), p.late));
                (
                    complaint_id(id),
                    complaint_stage(c.stage),
                    c.level,
                    c.owner.map(agent),
                    c.team.map(team_id),
                    party,
                )
            })
            .collect();
        assert_eq!(complaints, expected, "complaints at {now}");

        // Pending follow-ups are held in full; closed ones are archived with their stage.
        let follow_ups: Vec<_> = r.follow_ups().map(|(id, f)| (id, f.stage())).collect();
        let expected: Vec<_> = model
            .follow_ups
            .iter()
            .filter(|(_, f)| f.pending())
            .map(|(&id, f)| (follow_up_id(id), follow_up_stage(f.stage)))
            .collect();
        assert_eq!(follow_ups, expected, "follow-ups at {now}");
        for (&id, f) in &model.follow_ups {
            let stage = r.follow_up_stage(follow_up_id(id));
            assert_eq!(
                stage,
                Some(follow_up_stage(f.stage)),
                "follow-up {id} at {now}"
            );
        }

        let surveys: Vec<_> = r.surveys().map(|(id, s)| (id, s.stage())).collect();
        let expected: Vec<_> = model
            .surveys
            .iter()
            .map(|(&id, s)| (survey_id(id), survey_stage(s.stage)))
            .collect();
        assert_eq!(surveys, expected, "surveys at {now}");

        // The update cadences: where each stands, when the next update is due, on which
        // calendar (the first rule that matches chose it).
        let regarding = |about: Subj| match about {
            Subj::Complaint(id) => Regarding::Complaint(complaint_id(id)),
            Subj::Promise(id) => Regarding::Promise(promise_id(id)),
            Subj::Response(_) | Subj::FollowUp(_) => unreachable!(),
        };
        let items = model
            .complaints
            .keys()
            .map(|&id| Subj::Complaint(id))
            .chain(model.promises.keys().map(|&id| Subj::Promise(id)));
        for about in items {
            let actual = r.update_clock(regarding(about)).map(|u| {
                (
                    u.stage,
                    u.due,
                    u.warn_at,
                    u.calendar.as_deref().map(str::to_owned),
                )
            });
            let expected = model.updates.get(&about).map(|u| {
                let stage = match u.stage {
                    UStage::Running => UpdateStage::Running,
                    UStage::Warned => UpdateStage::Warned,
                    UStage::Overdue => UpdateStage::Overdue,
                    UStage::Paused => UpdateStage::Paused,
                };
                (
                    stage,
                    Some(instant(u.due)),
                    Some(instant(u.warn_at)),
                    u.calendar.name().map(str::to_owned),
                )
            });
            assert_eq!(actual, expected, "update cadence of {about:?} at {now}");
        }

        // When to wake up, and why.
        let actual = r.next_deadline().map(|d| (d.at, d.kind(), d.subject()));
        let expected = model
            .next_deadline()
            .map(|(at, kind, s)| (instant(at), deadline_kind(kind), subject(s)));
        assert_eq!(actual, expected, "next deadline at {now}");

        // The level view.
        let mut actual: Vec<_> = r
            .flags(now)
            .into_iter()
            .filter(|f| f.kind != FlagKind::RelationshipAtRisk)
            .map(|f| (f.kind, f.subject, f.owner, f.team))
            .collect();
        actual.sort();
        let mut expected: Vec<_> = model
            .flags()
            .into_iter()
            .map(|(k, s, owner, team)| {
                (
                    flag_kind(k),
                    subject(s),
                    Some(agent(owner)),
                    team.map(team_id),
                )
            })
            .collect();
        expected.sort();
        assert_eq!(actual, expected, "flags at {now}");
    }

    fn teardown(engine: Engine, _model: Model) {
        let replayed = Relationship::replay(ONA, &engine.log).unwrap();
        assert_eq!(replayed, engine.relationship, "replay of the stored log");
    }
}

prop_state_machine! {
    #[test]
    fn the_engine_follows_the_reference_model(sequential 1..60 => Engine);
}

proptest! {
    /// The level view does not depend on the timer: at every step of a generated history, and
    /// at each of the next few deadlines after it, `flags(now)` says the same (kinds, subjects, owners, `since` and `due`) whether or not
    /// `advance_to(now)` ran first. The relationship-at-risk flag is left out: health is
    /// scored with the policy, which `flags` does not take, so that flag stands from when a
    /// command or `advance_to` records the move into the band.
    #[test]
    fn flags_are_the_same_with_or_without_advance_to(
        (model, steps, _) in Reference::sequential_strategy(1..60)
    ) {
        let mut policy = policy(model.mode, model.pausing, model.party_pauses);
        let mut relationship = Relationship::new(ONA);
        let register = RegisterCustomer::new(text("Ona"), tier("standard")).owned_by(agent(1));
        relationship.execute(&policy, register, instant(0)).unwrap();
        let mut model = model;
        let view = |flags: Vec<clientele::Flag>| -> Vec<clientele::Flag> {
            flags.into_iter().filter(|f| f.kind != FlagKind::RelationshipAtRisk).collect()
        };
        for step in &steps {
            let before = model.clone();
            model = <Reference as ReferenceStateMachine>::apply(model, step);
            let now = instant(model.now);
            match step {
                Step::Advance(_) => {
                    relationship.advance_to(&policy, now);
                }
                Step::Sleep(_) => {}
                Step::Retire => policy = retired(&policy),
                _ => {
                    let command = command(step, &before).unwrap();
                    // Refused or not, what counts is the view afterwards.
                    let _ = relationship.execute(&policy, command, now);
                }
            }
            // Asked now and at the next few deadlines, as a service that slept through them
            // would ask, and as one that woke for each.
            let mut probes = vec![now];
            let mut ahead = relationship.clone();
            while probes.len() < 6 {
                let at = probes[probes.len() - 1];
                ahead.advance_to(&policy, at);
                match ahead.next_deadline() {
                    Some(deadline) => probes.push(deadline.at),
                    None => break,
                }
            }
            for at in probes {
                let mut advanced = relationship.clone();
                advanced.advance_to(&policy, at);
                prop_assert_eq!(
                    view(relationship.flags(at)),
                    view(advanced.flags(at)),
                    "flags at {} after {:?} at {}",
                    at,
                    step,
                    now
                );
            }
        }
    }
}
