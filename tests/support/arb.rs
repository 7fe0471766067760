//! Hostile proptest strategies for every [`Command`] and [`Event`] variant, for envelopes and
//! for service policies, kept in one place so later tests (model-based ones, say) can reuse
//! them: include with `#[path = "support/arb.rs"] mod arb;`.
//!
//! The values are meant to hurt: ids come mostly from a pool of four per kind, so repeats and
//! references to things that do not exist happen often, and sometimes fully at random;
//! instants mix ordinary 2026 dates with chrono's limits, values near them, the epoch, leap
//! seconds and random instants across chrono's whole range; spans are zero, tiny, ordinary,
//! huge or [`Span::MAX`]; texts run from one character to [`Text::MAX_CHARS`].
//!
//! When the API changes (a new command field, a new event variant) update the strategy here:
//! [`command`] and [`event`] must produce every variant, with every field drawn.
#![allow(dead_code)]

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use clientele::calendar::WallTime;
use clientele::complaint::ComplaintCommand;
use clientele::complaint::{
    ClockTerms, ComplaintClockKind, EscalationReason, Remaining, Retargeted,
};
use clientele::customer::CustomerCommand;
use clientele::follow_up::FollowUpCommand;
use clientele::health::{HealthWeights, Signal};
use clientele::outcome::{Elapsed, NoTarget, Outcome};
use clientele::policy::{ByPriority, Lead, Percent, ReopenMode, SupportLevel, Targets};
use clientele::promise::PromiseCommand;
use clientele::promise::{AtRiskReason, Notice, RevisionTiming};
use clientele::response::ClockKind;
use clientele::response::ResponseCommand;
use clientele::survey::SurveyCommand;
use clientele::{
    AcknowledgeComplaint, AgentId, AnswerSurvey, AssignComplaint, AwaitCustomer, CancelFollowUp,
    Channel, CloseComplaint, CloseUnresolved, Command, ComplaintId, CompleteFollowUp, CsatScore,
    CustomerId, DeescalateComplaint, Direction, Envelope, ErasePersonalData, EscalateComplaint,
    Event, FollowUpId, FollowUpOutcome, Fulfiller, IdempotencyKey, InteractionId, KeepPromise,
    MakePromise, MeetDependency, NpsScore, PartyId, Personal, Priority, PromiseId,
    ReceiveComplaint, RecordDependency, RecordInteraction, RegisterCustomer, ReopenComplaint,
    ReprioritiseComplaint, RequestEscalation, RequestSurvey, ResolveComplaint, ResumeComplaint,
    RevisePromise, ScheduleFollowUp, ServiceCalendar, ServicePolicy, Span, SurveyAnswer, SurveyId,
    SurveyKind, Text, Tier, UpdateProfile, WithdrawPromise,
};
use clientele::{
    ComplaintEvent, CustomerEvent, FollowUpEvent, HealthEvent, PromiseEvent, ResponseEvent,
    SurveyEvent,
};
use proptest::collection::{btree_map, btree_set, vec};
use proptest::option;
use proptest::prelude::*;
use proptest::sample::select;
use proptest::strategy::{BoxedStrategy, Union};

// ---------------------------------------------------------------------------------------------
// Instants and spans

/// 2026-03-02 09:00 UTC, a Monday: where ordinary histories start.
pub fn base() -> DateTime<Utc> {
    DateTime::from_timestamp(1_772_442_000, 0).unwrap_or(DateTime::UNIX_EPOCH)
}

/// An ordinary instant: within about three months after [`base`], to the second or not.
pub fn ordinary_instant() -> impl Strategy<Value = DateTime<Utc>> {
    (
        0i64..90 * 86_400,
        prop_oneof![9 => Just(0u32), 1 => 0u32..1_000_000_000],
    )
        .prop_map(|(secs, nanos)| {
            let at = base() + TimeDelta::seconds(secs);
            at.with_nanosecond_or_same(nanos)
        })
}

trait WithNanos {
    fn with_nanosecond_or_same(self, nanos: u32) -> Self;
}

impl WithNanos for DateTime<Utc> {
    fn with_nanosecond_or_same(self, nanos: u32) -> Self {
        chrono::Timelike::with_nanosecond(&self, nanos).unwrap_or(self)
    }
}

/// Instants at and near chrono's limits, the epoch and a leap second.
pub fn extreme_instant() -> impl Strategy<Value = DateTime<Utc>> {
    let min = DateTime::<Utc>::MIN_UTC;
    let max = DateTime::<Utc>::MAX_UTC;
    prop_oneof![
        Just(min),
        Just(max),
        Just(DateTime::UNIX_EPOCH),
        (0i64..=7 * 86_400).prop_map(move |s| min + TimeDelta::seconds(s)),
        (0i64..=7 * 86_400).prop_map(move |s| max - TimeDelta::seconds(s)),
        (0i64..=86_400).prop_map(|s| DateTime::UNIX_EPOCH - TimeDelta::seconds(s)),
        // 2016-12-31 23:59:60, a leap second chrono represents with nanos >= 1e9.
        (1_000_000_000u32..2_000_000_000).prop_map(|n| {
            DateTime::from_timestamp(1_483_228_799, n).unwrap_or(DateTime::UNIX_EPOCH)
        }),
    ]
}

/// Any instant chrono can represent, with any nanosecond (leap seconds included).
pub fn any_instant() -> impl Strategy<Value = DateTime<Utc>> {
    let (lo, hi) = (
        DateTime::<Utc>::MIN_UTC.timestamp(),
        DateTime::<Utc>::MAX_UTC.timestamp(),
    );
    (lo..=hi, 0u32..1_000_000_000)
        .prop_map(|(s, n)| DateTime::from_timestamp(s, n).unwrap_or(DateTime::<Utc>::MIN_UTC))
}

/// Mostly ordinary 2026 instants, often extreme ones.
pub fn instant() -> impl Strategy<Value = DateTime<Utc>> {
    prop_oneof![
        8 => ordinary_instant(),
        2 => extreme_instant(),
        1 => any_instant(),
    ]
}

/// Raw seconds that may be negative or past [`Span::MAX`]: for constructor tests.
pub fn raw_seconds() -> impl Strategy<Value = i64> {
    let max = Span::MAX.as_secs();
    prop_oneof![
        Just(0i64),
        Just(-1i64),
        Just(i64::MIN),
        Just(i64::MAX),
        Just(max),
        Just(max + 1),
        -100_000i64..100_000,
        any::<i64>(),
    ]
}

/// A chrono delta of any size and sign (including the largest chrono allows).
pub fn time_delta() -> impl Strategy<Value = TimeDelta> {
    prop_oneof![
        Just(TimeDelta::MAX),
        Just(TimeDelta::MIN),
        Just(TimeDelta::zero()),
        Just(TimeDelta::nanoseconds(-1)),
        Just(TimeDelta::nanoseconds(1)),
        (any::<i64>(), 0u32..1_000_000_000)
            .prop_map(|(s, n)| TimeDelta::new(s / 1000, n).unwrap_or(TimeDelta::MAX)),
        (-1_000_000i64..1_000_000).prop_map(TimeDelta::seconds),
    ]
}

/// A valid span: zero, tiny, ordinary, huge or the largest.
pub fn span() -> impl Strategy<Value = Span> {
    let max = Span::MAX.as_secs();
    prop_oneof![
        2 => Just(Span::ZERO),
        1 => Just(Span::MAX),
        2 => (1i64..=120).prop_map(secs),
        4 => (60i64..=30 * 86_400).prop_map(secs),
        1 => (max - 86_400..=max).prop_map(secs),
        1 => (0..=max).prop_map(secs),
    ]
}

fn secs(s: i64) -> Span {
    Span::try_from_secs(s).unwrap_or(Span::MAX)
}

// ---------------------------------------------------------------------------------------------
// Ids: a small pool, so repeats and unknown ids are common, and sometimes anything.

/// A raw id: 1 more often than not (so a command usually finds the thing it names, or
/// collides with it), 2 to 4 often, any `u128` otherwise.
pub fn raw_id() -> impl Strategy<Value = u128> {
    prop_oneof![6 => Just(1u128), 3 => 2u128..=4, 1 => any::<u128>()]
}

/// A short list of references: usually none (a reference to something unknown refuses the
/// whole command), sometimes one or two.
fn refs<T: std::fmt::Debug + Clone>(s: impl Strategy<Value = T>) -> impl Strategy<Value = Vec<T>> {
    prop_oneof![4 => Just(Vec::new()), 1 => vec(s, 1..3)]
}

/// An optional reference: usually none.
fn link<T: std::fmt::Debug>(s: impl Strategy<Value = T>) -> impl Strategy<Value = Option<T>> {
    option::weighted(0.2, s)
}

macro_rules! id_strategies {
    ($($fn:ident => $ty:ty),* $(,)?) => {$(
        #[doc = concat!("A [`", stringify!($ty), "`] from the pool, or any.")]
        pub fn $fn() -> impl Strategy<Value = $ty> {
            raw_id().prop_map(<$ty>::from_u128)
        }
    )*};
}

id_strategies!(
    customer_id => CustomerId,
    agent_id => AgentId,
    party_id => PartyId,
    interaction_id => InteractionId,
    promise_id => PromiseId,
    complaint_id => ComplaintId,
    follow_up_id => FollowUpId,
    survey_id => SurveyId,
);

// ---------------------------------------------------------------------------------------------
// Values

/// Any string, for constructor tests: empty, blank, control characters, long, multi-byte.
pub fn raw_string() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just(" \t\n ".to_owned()),
        Just("x".repeat(Text::MAX_CHARS)),
        Just("x".repeat(Text::MAX_CHARS + 1)),
        Just("ž".repeat(Text::MAX_CHARS)),
        Just("ž".repeat(Text::MAX_CHARS + 1)),
        Just("\u{0}".to_owned()),
        any::<String>(),
        "\\PC{0,80}",
    ]
}

/// A valid text of varied length and script.
pub fn text() -> impl Strategy<Value = Text> {
    prop_oneof![
        6 => select(vec!["a", "Ona", "question", "Glasses still not ready", "ž", "🙂"])
            .prop_map(String::from),
        2 => "\\PC{1,60}",
        1 => Just("y".repeat(Text::MAX_CHARS)),
        1 => Just("ž".repeat(Text::MAX_CHARS)),
    ]
    .prop_map(|s| Text::new(s).unwrap_or_else(|_| fallback_text()))
}

fn fallback_text() -> Text {
    Text::new("blank").unwrap_or_else(|e| panic!("{e}"))
}

/// A tier: the ones policies name, or any valid one.
pub fn tier() -> impl Strategy<Value = Tier> {
    prop_oneof![
        4 => select(vec!["standard", "gold"]).prop_map(|s| Tier::new(s).unwrap_or_else(|e| panic!("{e}"))),
        1 => "\\PC{1,64}".prop_map(|s| Tier::new(s).unwrap_or_else(|_| fallback_tier())),
    ]
}

fn fallback_tier() -> Tier {
    Tier::new("blank").unwrap_or_else(|e| panic!("{e}"))
}

/// Any channel.
pub fn channel() -> impl Strategy<Value = Channel> {
    select(Channel::ALL.to_vec())
}

/// Any priority.
pub fn priority() -> impl Strategy<Value = Priority> {
    select(Priority::ALL.to_vec())
}

/// Either direction.
pub fn direction() -> impl Strategy<Value = Direction> {
    prop_oneof![Just(Direction::Inbound), Just(Direction::Outbound)]
}

/// Addresses per channel.
pub fn contacts() -> impl Strategy<Value = BTreeMap<Channel, Personal>> {
    btree_map(channel(), personal(), 0..3)
}

/// Personal data: a text, sometimes already erased (a shredded stored event).
pub fn personal() -> impl Strategy<Value = Personal> {
    prop_oneof![9 => text().prop_map(Personal::from), 1 => Just(Personal::erased())]
}

/// Us, or an outside party.
pub fn fulfiller() -> impl Strategy<Value = Fulfiller> {
    prop_oneof![
        Just(Fulfiller::Us),
        (party_id(), text()).prop_map(|(party, name)| Fulfiller::Party { party, name }),
    ]
}

/// Any follow-up outcome.
pub fn follow_up_outcome() -> impl Strategy<Value = FollowUpOutcome> {
    select(vec![
        FollowUpOutcome::Satisfied,
        FollowUpOutcome::NotSatisfied,
        FollowUpOutcome::Unreachable,
    ])
}

/// Either survey kind.
pub fn survey_kind() -> impl Strategy<Value = SurveyKind> {
    prop_oneof![Just(SurveyKind::Csat), Just(SurveyKind::Nps)]
}

/// A valid CSAT (1–5) or NPS (0–10) answer.
pub fn survey_answer() -> impl Strategy<Value = SurveyAnswer> {
    prop_oneof![
        select(
            (1u8..=5)
                .filter_map(|s| CsatScore::new(s).ok().map(SurveyAnswer::Csat))
                .collect::<Vec<_>>()
        ),
        select(
            (0u8..=10)
                .filter_map(|s| NpsScore::new(s).ok().map(SurveyAnswer::Nps))
                .collect::<Vec<_>>()
        ),
    ]
}

/// A support level index: the default ladder's, just past it, or anything.
pub fn level() -> impl Strategy<Value = u32> {
    prop_oneof![4 => 0u32..=4, 1 => Just(u32::MAX), 1 => any::<u32>()]
}

/// A count (breaks, slips, cycles): small, or anything.
pub fn count() -> impl Strategy<Value = u32> {
    prop_oneof![4 => 0u32..=4, 1 => Just(u32::MAX), 1 => any::<u32>()]
}

// ---------------------------------------------------------------------------------------------
// Commands

/// Every [`Command`] variant, every field drawn. Update here when commands change.
pub fn command() -> BoxedStrategy<Command> {
    let register = (
        text(),
        tier(),
        contacts(),
        option::of(channel()),
        option::of(agent_id()),
    )
        .prop_map(|(name, tier, contacts, preferred_channel, owner)| {
            Command::Customer(CustomerCommand::Register(RegisterCustomer {
                name: name.into(),
                tier,
                contacts,
                preferred_channel,
                owner,
            }))
        });
    let update = (
        option::weighted(0.3, text()),
        option::weighted(0.3, tier()),
        contacts(),
        btree_set(channel(), 0..3),
        option::weighted(0.3, option::of(channel())),
        option::weighted(0.3, option::of(agent_id())),
    )
        .prop_map(
            |(name, tier, set_contacts, remove_contacts, preferred_channel, owner)| {
                Command::Customer(CustomerCommand::UpdateProfile(UpdateProfile {
                    name: name.map(Personal::from),
                    tier,
                    set_contacts,
                    remove_contacts,
                    preferred_channel,
                    owner,
                }))
            },
        );
    let interaction = (
        interaction_id(),
        channel(),
        direction(),
        option::of(agent_id()),
        text(),
        any::<bool>(),
        priority(),
        refs(promise_id()),
        refs(complaint_id()),
        proptest::bool::weighted(0.2),
    )
        .prop_map(
            |(
                interaction,
                channel,
                direction,
                agent,
                summary,
                awaits_reply,
                priority,
                regarding,
                regarding_complaints,
                awaits_customer,
            )| {
                Command::Response(ResponseCommand::RecordInteraction(RecordInteraction {
                    interaction,
                    channel,
                    direction,
                    agent,
                    summary: summary.into(),
                    awaits_reply,
                    awaits_customer,
                    priority,
                    regarding,
                    regarding_complaints,
                }))
            },
        );
    let make = (
        promise_id(),
        text(),
        instant(),
        agent_id(),
        fulfiller(),
        link(interaction_id()),
        link(complaint_id()),
    )
        .prop_map(
            |(promise, what, due, owner, fulfiller, interaction, complaint)| {
                Command::Promise(PromiseCommand::Make(MakePromise {
                    promise,
                    what: what.into(),
                    due,
                    owner,
                    fulfiller,
                    interaction,
                    complaint,
                }))
            },
        );
    let revise = (promise_id(), instant(), text(), any::<bool>()).prop_map(
        |(promise, due, reason, customer_agreed)| {
            Command::Promise(PromiseCommand::Revise(RevisePromise {
                promise,
                due,
                reason: reason.into(),
                customer_agreed,
            }))
        },
    );
    let keep = promise_id()
        .prop_map(|promise| Command::Promise(PromiseCommand::Keep(KeepPromise { promise })));
    let withdraw = (promise_id(), text()).prop_map(|(promise, reason)| {
        Command::Promise(PromiseCommand::Withdraw(WithdrawPromise {
            promise,
            reason: reason.into(),
        }))
    });
    let depend =
        (promise_id(), party_id(), text(), instant()).prop_map(|(promise, party, what, due)| {
            Command::Promise(PromiseCommand::RecordDependency(RecordDependency {
                promise,
                party,
                commitment: what.into(),
                reference: None,
                due,
            }))
        });
    let meet = promise_id().prop_map(|promise| {
        Command::Promise(PromiseCommand::MeetDependency(MeetDependency { promise }))
    });
    let complain = (
        complaint_id(),
        channel(),
        text(),
        priority(),
        refs(interaction_id()),
        refs(promise_id()),
        proptest::bool::weighted(0.2),
    )
        .prop_map(
            |(complaint, channel, summary, priority, interactions, promises, pending)| {
                Command::Complaint(ComplaintCommand::Receive(ReceiveComplaint {
                    complaint,
                    channel,
                    summary: summary.into(),
                    priority,
                    interactions,
                    promises,
                    pending,
                }))
            },
        );
    let acknowledge = (complaint_id(), agent_id()).prop_map(|(complaint, by)| {
        Command::Complaint(ComplaintCommand::Acknowledge(AcknowledgeComplaint {
            complaint,
            by,
        }))
    });
    let assign = (complaint_id(), agent_id()).prop_map(|(complaint, owner)| {
        Command::Complaint(ComplaintCommand::Assign(AssignComplaint {
            complaint,
            owner,
        }))
    });
    let route = (complaint_id(), team_id()).prop_map(|(complaint, team)| {
        Command::Complaint(ComplaintCommand::Route(clientele::RouteComplaint {
            complaint,
            team,
        }))
    });
    let await_party = (complaint_id(), party_id(), option::of(instant())).prop_map(
        |(complaint, party, expected)| {
            Command::Complaint(ComplaintCommand::AwaitOutsideParty(
                clientele::AwaitOutsideParty {
                    complaint,
                    party,
                    expected,
                },
            ))
        },
    );
    let end_wait = complaint_id().prop_map(|complaint| {
        Command::Complaint(ComplaintCommand::EndOutsideWait(
            clientele::EndOutsideWait { complaint },
        ))
    });
    let request_escalation = complaint_id().prop_map(|complaint| {
        Command::Complaint(ComplaintCommand::RequestEscalation(RequestEscalation {
            complaint,
        }))
    });
    let escalate =
        (complaint_id(), level(), agent_id()).prop_map(|(complaint, to_level, owner)| {
            Command::Complaint(ComplaintCommand::Escalate(EscalateComplaint {
                complaint,
                to_level,
                owner,
            }))
        });
    let deescalate = (complaint_id(), level(), agent_id(), text()).prop_map(
        |(complaint, to_level, owner, reason)| {
            Command::Complaint(ComplaintCommand::Deescalate(DeescalateComplaint::new(
                complaint, to_level, owner, reason,
            )))
        },
    );
    let await_customer = complaint_id().prop_map(|complaint| {
        Command::Complaint(ComplaintCommand::AwaitCustomer(AwaitCustomer { complaint }))
    });
    let resume = complaint_id().prop_map(|complaint| {
        Command::Complaint(ComplaintCommand::Resume(ResumeComplaint { complaint }))
    });
    let resolve = (
        complaint_id(),
        agent_id(),
        option::of(text()),
        any::<bool>(),
        text(),
        option::weighted(0.8, follow_up_id()),
    )
        .prop_map(|(complaint, by, remedy, apology, summary, follow_up)| {
            Command::Complaint(ComplaintCommand::Resolve(ResolveComplaint {
                complaint,
                by,
                remedy: remedy.map(Personal::from),
                apology,
                summary: summary.into(),
                follow_up,
            }))
        });
    let close = complaint_id().prop_map(|complaint| {
        Command::Complaint(ComplaintCommand::Close(CloseComplaint { complaint }))
    });
    let close_unresolved =
        (complaint_id(), complaint_id(), 0u8..3).prop_map(|(complaint, of, n)| {
            Command::Complaint(ComplaintCommand::CloseUnresolved(match n {
                0 => CloseUnresolved::duplicate(complaint, of),
                1 => CloseUnresolved::invalid(complaint),
                _ => CloseUnresolved::withdrawn(complaint),
            }))
        });
    let reprioritise =
        (complaint_id(), priority(), option::of(tier())).prop_map(|(complaint, priority, tier)| {
            let mut change = ReprioritiseComplaint::new(complaint, priority);
            change.tier = tier;
            Command::Complaint(ComplaintCommand::Reprioritise(change))
        });
    let reopen = (complaint_id(), text()).prop_map(|(complaint, reason)| {
        Command::Complaint(ComplaintCommand::Reopen(ReopenComplaint {
            complaint,
            reason: reason.into(),
        }))
    });
    let schedule = (
        follow_up_id(),
        agent_id(),
        instant(),
        text(),
        link(complaint_id()),
    )
        .prop_map(|(follow_up, owner, due, reason, complaint)| {
            Command::FollowUp(FollowUpCommand::Schedule(ScheduleFollowUp {
                follow_up,
                owner,
                due,
                reason: reason.into(),
                complaint,
            }))
        });
    let complete = (follow_up_id(), follow_up_outcome(), option::of(text())).prop_map(
        |(follow_up, outcome, note)| {
            Command::FollowUp(FollowUpCommand::Complete(CompleteFollowUp {
                follow_up,
                outcome,
                note: note.map(Personal::from),
            }))
        },
    );
    let cancel = (follow_up_id(), text()).prop_map(|(follow_up, reason)| {
        Command::FollowUp(FollowUpCommand::Cancel(CancelFollowUp {
            follow_up,
            reason: reason.into(),
        }))
    });
    let request_survey =
        (survey_id(), survey_kind(), link(complaint_id())).prop_map(|(survey, kind, complaint)| {
            Command::Survey(SurveyCommand::Request(RequestSurvey {
                survey,
                kind,
                complaint,
            }))
        });
    let answer_survey = (option::of(survey_id()), survey_answer(), option::of(text())).prop_map(
        |(survey, answer, comment)| {
            Command::Survey(SurveyCommand::Answer(AnswerSurvey {
                survey,
                answer,
                comment: comment.map(Personal::from),
            }))
        },
    );
    Union::new_weighted(vec![
        (1, register.boxed()),
        (2, update.boxed()),
        (6, interaction.boxed()),
        (3, make.boxed()),
        (2, revise.boxed()),
        (2, keep.boxed()),
        (1, withdraw.boxed()),
        (2, depend.boxed()),
        (1, meet.boxed()),
        (3, complain.boxed()),
        (3, acknowledge.boxed()),
        (2, assign.boxed()),
        (2, route.boxed()),
        (2, await_party.boxed()),
        (1, end_wait.boxed()),
        (2, request_escalation.boxed()),
        (2, escalate.boxed()),
        (2, deescalate.boxed()),
        (2, await_customer.boxed()),
        (2, resume.boxed()),
        (3, resolve.boxed()),
        (2, close.boxed()),
        (2, reopen.boxed()),
        (1, close_unresolved.boxed()),
        (2, reprioritise.boxed()),
        (2, schedule.boxed()),
        (2, complete.boxed()),
        (1, cancel.boxed()),
        (1, request_survey.boxed()),
        (1, answer_survey.boxed()),
        (
            1,
            Just(Command::Customer(CustomerCommand::ErasePersonalData(
                ErasePersonalData::default(),
            )))
            .boxed(),
        ),
    ])
    .boxed()
}

/// The number of [`Command`] variants [`command`] draws from (checked by a test).
pub const COMMAND_VARIANTS: usize = clientele::Command::KINDS.len();

// ---------------------------------------------------------------------------------------------
// Events

/// A calendar name: none, the ones [`policy`] may define, or one no policy defines.
pub fn calendar_name() -> impl Strategy<Value = Option<String>> {
    prop_oneof![
        6 => Just(None),
        1 => Just(Some("24/7".to_owned())),
        1 => Just(Some("office".to_owned())),
        1 => Just(Some("nowhere".to_owned())),
    ]
}

/// Why a clock has no target.
pub fn no_target() -> impl Strategy<Value = NoTarget> {
    prop_oneof![
        calendar_name().prop_map(|name| NoTarget::UnknownCalendar {
            name: name.unwrap_or_else(|| "retired".to_owned()),
        }),
        Just(NoTarget::NoWorkingTime),
        Just(NoTarget::OutOfRange),
        Just(NoTarget::NoneSet),
    ]
}

/// A clock's due instant, or why it has none (schema version 3): `(due, no_target)`, exactly
/// one of them set, mostly a due instant.
/// Boxed: nested in the event strategies, an unboxed union's value tree overflows the stack
/// of a debug build.
pub fn due_or_no_target() -> BoxedStrategy<(Option<DateTime<Utc>>, Option<NoTarget>)> {
    prop_oneof![
        4 => instant().prop_map(|due| (Some(due), None)),
        1 => no_target().prop_map(|reason| (None, Some(reason))),
    ]
    .boxed()
}

/// Clock terms with arbitrary target, calendar, due (or none, with the reason) and warning.
pub fn clock_terms() -> BoxedStrategy<ClockTerms> {
    (
        span(),
        calendar_name(),
        due_or_no_target(),
        option::of(instant()),
    )
        .prop_map(|(target, calendar, (due, no_target), warn_at)| ClockTerms {
            target,
            calendar,
            due,
            warn_at: warn_at.filter(|_| due.is_some()),
            no_target,
        })
        .boxed()
}

/// Business time left on a paused clock.
pub fn remaining() -> impl Strategy<Value = Remaining> {
    (span(), option::of(span())).prop_map(|(due, warn)| Remaining { due, warn })
}

/// What a re-prioritisation gives a clock.
pub fn retargeted() -> impl Strategy<Value = Retargeted> {
    (span(), clock_terms(), option::of(remaining())).prop_map(|(worked, terms, paused)| {
        Retargeted {
            worked,
            terms,
            paused,
        }
    })
}

/// Wall and business time.
pub fn elapsed() -> impl Strategy<Value = Elapsed> {
    (span(), span()).prop_map(|(wall, business)| Elapsed { wall, business })
}

/// How a complaint's or follow-up's clock ended: as [`outcome`], or untimed (it had no
/// target; schema version 3).
pub fn clock_outcome() -> BoxedStrategy<Outcome> {
    prop_oneof![4 => outcome(), 1 => Just(Outcome::Untimed)].boxed()
}

/// Met, met late or missed, with any lateness.
pub fn outcome() -> impl Strategy<Value = Outcome> {
    prop_oneof![
        Just(Outcome::Met),
        elapsed().prop_map(|lateness| Outcome::MetLate { lateness }),
        elapsed().prop_map(|lateness| Outcome::Missed { lateness }),
    ]
}

fn clock_kind() -> impl Strategy<Value = ClockKind> {
    prop_oneof![Just(ClockKind::FirstResponse), Just(ClockKind::Reply)]
}

fn complaint_clock_kind() -> impl Strategy<Value = ComplaintClockKind> {
    select(vec![
        ComplaintClockKind::Acknowledgement,
        ComplaintClockKind::Resolution,
        ComplaintClockKind::Escalation,
    ])
}

fn escalation_reason() -> impl Strategy<Value = EscalationReason> {
    select(vec![
        EscalationReason::Threshold,
        EscalationReason::Reopened,
        EscalationReason::PromiseBrokenAgain,
        EscalationReason::CustomerAsked,
    ])
}

fn reopen_mode() -> impl Strategy<Value = ReopenMode> {
    select(vec![
        ReopenMode::Continue,
        ReopenMode::Restart,
        ReopenMode::NewCycle,
    ])
}

fn score() -> impl Strategy<Value = u8> {
    prop_oneof![3 => 0u8..=100, 1 => any::<u8>()]
}

/// Every [`Event`] variant, every field drawn. Update here when events change.
pub fn event() -> BoxedStrategy<Event> {
    let mut arms: Vec<BoxedStrategy<Event>> = vec![
        (
            text(),
            tier(),
            contacts(),
            option::of(channel()),
            option::of(agent_id()),
        )
            .prop_map(|(name, tier, contacts, preferred_channel, owner)| {
                Event::Customer(CustomerEvent::Registered {
                    name: name.into(),
                    tier,
                    contacts,
                    preferred_channel,
                    owner,
                })
            })
            .boxed(),
        text()
            .prop_map(|name| Event::Customer(CustomerEvent::Renamed { name: name.into() }))
            .boxed(),
        tier()
            .prop_map(|tier| Event::Customer(CustomerEvent::TierChanged { tier }))
            .boxed(),
        (channel(), text())
            .prop_map(|(channel, address)| {
                Event::Customer(CustomerEvent::ContactPointSet {
                    channel,
                    address: address.into(),
                })
            })
            .boxed(),
        channel()
            .prop_map(|channel| Event::Customer(CustomerEvent::ContactPointRemoved { channel }))
            .boxed(),
        option::of(channel())
            .prop_map(|channel| Event::Customer(CustomerEvent::PreferredChannelSet { channel }))
            .boxed(),
        option::of(agent_id())
            .prop_map(|owner| Event::Customer(CustomerEvent::AccountOwnerSet { owner }))
            .boxed(),
        (
            interaction_id(),
            channel(),
            direction(),
            option::of(agent_id()),
            text(),
            any::<bool>(),
            priority(),
            vec(promise_id(), 0..3),
            vec(complaint_id(), 0..2),
        )
            .prop_map(
                |(
                    interaction,
                    channel,
                    direction,
                    agent,
                    summary,
                    awaits_reply,
                    priority,
                    regarding,
                    regarding_complaints,
                )| {
                    Event::Response(ResponseEvent::InteractionRecorded {
                        interaction,
                        channel,
                        direction,
                        agent,
                        summary: summary.into(),
                        awaits_reply,
                        priority,
                        regarding,
                        regarding_complaints,
                    })
                },
            )
            .boxed(),
        (
            regarding(),
            priority(),
            span(),
            calendar_name(),
            due_or_no_target(),
            option::of(instant()),
        )
            .prop_map(
                |(about, priority, span, calendar, (due, no_target), warn_at)| {
                    Event::Response(ResponseEvent::UpdateClockStarted {
                        about,
                        priority,
                        span,
                        calendar,
                        due,
                        no_target,
                        warn_at: warn_at.filter(|_| due.is_some()),
                    })
                },
            )
            .boxed(),
        (regarding(), instant())
            .prop_map(|(about, due)| Event::Response(ResponseEvent::UpdateAtRisk { about, due }))
            .boxed(),
        (regarding(), instant())
            .prop_map(|(about, due)| Event::Response(ResponseEvent::UpdateOverdue { about, due }))
            .boxed(),
        (interaction_id(), refs(regarding()))
            .prop_map(|(asked_by, about)| {
                Event::Response(ResponseEvent::AwaitingCustomer { asked_by, about })
            })
            .boxed(),
        (
            clock_kind(),
            interaction_id(),
            priority(),
            tier(),
            span(),
            calendar_name(),
            due_or_no_target(),
            option::of(instant()),
        )
            .prop_map(
                |(kind, since, priority, tier, target, calendar, (due, no_target), warn_at)| {
                    Event::Response(ResponseEvent::ClockStarted {
                        kind,
                        since,
                        priority,
                        tier,
                        target,
                        calendar,
                        due,
                        no_target,
                        warn_at: warn_at.filter(|_| due.is_some()),
                    })
                },
            )
            .boxed(),
        (interaction_id(), instant())
            .prop_map(|(since, due)| Event::Response(ResponseEvent::AtRisk { since, due }))
            .boxed(),
        (interaction_id(), instant())
            .prop_map(|(since, due)| Event::Response(ResponseEvent::Overdue { since, due }))
            .boxed(),
        (
            clock_kind(),
            interaction_id(),
            interaction_id(),
            span(),
            option::of(instant()),
            elapsed(),
            outcome(),
        )
            .prop_map(|(kind, since, answered_by, target, due, waited, outcome)| {
                // Untimed exactly when the clock had no due instant.
                let outcome = if due.is_some() {
                    outcome
                } else {
                    Outcome::Untimed
                };
                Event::Response(ResponseEvent::ClockStopped {
                    kind,
                    since,
                    answered_by,
                    target,
                    due,
                    waited,
                    outcome,
                })
            })
            .boxed(),
        (
            promise_id(),
            text(),
            instant(),
            agent_id(),
            fulfiller(),
            option::of(interaction_id()),
            option::of(complaint_id()),
            option::of(instant()),
        )
            .prop_map(
                |(promise, what, due, owner, fulfiller, interaction, complaint, at_risk_at)| {
                    Event::Promise(PromiseEvent::Made {
                        promise,
                        what: what.into(),
                        due,
                        owner,
                        fulfiller,
                        interaction,
                        complaint,
                        at_risk_at,
                    })
                },
            )
            .boxed(),
        (
            promise_id(),
            instant(),
            agent_id(),
            prop_oneof![
                Just(AtRiskReason::LeadReached),
                Just(AtRiskReason::DependencyLate)
            ],
        )
            .prop_map(|(promise, due, owner, reason)| {
                Event::Promise(PromiseEvent::AtRisk {
                    promise,
                    due,
                    owner,
                    reason,
                })
            })
            .boxed(),
        (
            promise_id(),
            instant(),
            agent_id(),
            prop_oneof![Just(Notice::WithNotice), Just(Notice::InSilence)],
            count(),
        )
            .prop_map(|(promise, due, owner, notice, breaks)| {
                Event::Promise(PromiseEvent::Broken {
                    promise,
                    due,
                    owner,
                    notice,
                    breaks,
                })
            })
            .boxed(),
        (
            (promise_id(), instant(), instant(), text()),
            (
                prop_oneof![
                    Just(RevisionTiming::Proactive),
                    Just(RevisionTiming::AfterBreak)
                ],
                any::<bool>(),
                count(),
                span(),
                option::of(instant()),
            ),
        )
            .prop_map(
                |(
                    (promise, previous_due, due, reason),
                    (timing, customer_agreed, slips, cumulative_slip, at_risk_at),
                )| {
                    Event::Promise(PromiseEvent::Revised {
                        promise,
                        previous_due,
                        due,
                        reason: reason.into(),
                        timing,
                        customer_agreed,
                        slips,
                        cumulative_slip,
                        at_risk_at,
                    })
                },
            )
            .boxed(),
        (promise_id(), agent_id(), count(), span())
            .prop_map(|(promise, owner, slips, cumulative_slip)| {
                Event::Promise(PromiseEvent::SlippedRepeatedly {
                    promise,
                    owner,
                    slips,
                    cumulative_slip,
                })
            })
            .boxed(),
        (promise_id(), instant(), agent_id(), outcome())
            .prop_map(|(promise, due, owner, outcome)| {
                Event::Promise(PromiseEvent::Kept {
                    promise,
                    due,
                    owner,
                    outcome,
                })
            })
            .boxed(),
        (promise_id(), agent_id(), text())
            .prop_map(|(promise, owner, reason)| {
                Event::Promise(PromiseEvent::Withdrawn {
                    promise,
                    owner,
                    reason: reason.into(),
                })
            })
            .boxed(),
        (promise_id(), party_id(), text(), instant())
            .prop_map(|(promise, party, what, due)| {
                Event::Promise(PromiseEvent::DependencyRecorded {
                    promise,
                    party,
                    commitment: what.into(),
                    reference: None,
                    due,
                })
            })
            .boxed(),
        (promise_id(), party_id(), instant(), agent_id())
            .prop_map(|(promise, party, due, owner)| {
                Event::Promise(PromiseEvent::DependencyLate {
                    promise,
                    party,
                    due,
                    owner,
                })
            })
            .boxed(),
        (promise_id(), party_id(), outcome())
            .prop_map(|(promise, party, outcome)| {
                Event::Promise(PromiseEvent::DependencyMet {
                    promise,
                    party,
                    outcome,
                })
            })
            .boxed(),
        (
            (complaint_id(), text(), priority(), channel(), tier()),
            (
                vec(interaction_id(), 0..3),
                vec(promise_id(), 0..3),
                clock_terms(),
                clock_terms(),
                option::of(clock_terms()),
            ),
        )
            .prop_map(
                |(
                    (complaint, summary, priority, channel, tier),
                    (interactions, promises, acknowledgement, resolution, escalation),
                )| {
                    Event::Complaint(ComplaintEvent::Received {
                        complaint,
                        summary: summary.into(),
                        priority,
                        channel,
                        tier,
                        interactions,
                        promises,
                        acknowledgement,
                        resolution,
                        escalation,
                    })
                },
            )
            .boxed(),
        (
            complaint_id(),
            agent_id(),
            clock_outcome(),
            option::of(span()),
        )
            .prop_map(|(complaint, by, outcome, worked)| {
                Event::Complaint(ComplaintEvent::Acknowledged {
                    complaint,
                    by,
                    outcome,
                    worked,
                })
            })
            .boxed(),
        (complaint_id(), agent_id())
            .prop_map(|(complaint, owner)| {
                Event::Complaint(ComplaintEvent::Assigned { complaint, owner })
            })
            .boxed(),
        (complaint_id(), team_id(), option::of(team_id()))
            .prop_map(|(complaint, team, from)| {
                Event::Complaint(ComplaintEvent::Routed {
                    complaint,
                    team,
                    from,
                })
            })
            .boxed(),
        (
            complaint_id(),
            complaint_clock_kind(),
            instant(),
            option::of(agent_id()),
        )
            .prop_map(|(complaint, clock, due, owner)| {
                Event::Complaint(ComplaintEvent::ClockAtRisk {
                    complaint,
                    clock,
                    due,
                    owner,
                })
            })
            .boxed(),
        (
            complaint_id(),
            complaint_clock_kind(),
            instant(),
            option::of(agent_id()),
        )
            .prop_map(|(complaint, clock, due, owner)| {
                Event::Complaint(ComplaintEvent::ClockBreached {
                    complaint,
                    clock,
                    due,
                    owner,
                })
            })
            .boxed(),
        (
            complaint_id(),
            escalation_reason(),
            level(),
            option::of(agent_id()),
        )
            .prop_map(|(complaint, reason, level, owner)| {
                Event::Complaint(ComplaintEvent::EscalationDue {
                    complaint,
                    reason,
                    level,
                    owner,
                })
            })
            .boxed(),
        (
            complaint_id(),
            level(),
            level(),
            text(),
            agent_id(),
            option::of(clock_terms()),
        )
            .prop_map(
                |(complaint, from_level, to_level, level_name, owner, escalation)| {
                    Event::Complaint(ComplaintEvent::Escalated {
                        complaint,
                        from_level,
                        to_level,
                        level_name,
                        owner,
                        escalation,
                    })
                },
            )
            .boxed(),
        (
            (complaint_id(), priority(), priority(), tier()),
            option::of(retargeted()),
            retargeted(),
        )
            .prop_map(
                |((complaint, from_priority, priority, tier), acknowledgement, resolution)| {
                    Event::Complaint(ComplaintEvent::Reprioritised {
                        complaint,
                        from_priority,
                        priority,
                        tier,
                        acknowledgement,
                        resolution,
                    })
                },
            )
            .boxed(),
        (complaint_id(), complaint_id(), 0u8..3)
            .prop_map(|(complaint, of, n)| {
                Event::Complaint(ComplaintEvent::ClosedUnresolved {
                    complaint,
                    reason: match n {
                        0 => clientele::complaint::Unresolved::Duplicate { of },
                        1 => clientele::complaint::Unresolved::Invalid,
                        _ => clientele::complaint::Unresolved::Withdrawn,
                    },
                })
            })
            .boxed(),
        (
            (complaint_id(), level(), level(), text()),
            (agent_id(), text(), option::of(clock_terms())),
        )
            .prop_map(
                |((complaint, from_level, to_level, level_name), (owner, reason, escalation))| {
                    Event::Complaint(ComplaintEvent::Deescalated {
                        complaint,
                        from_level,
                        to_level,
                        level_name,
                        owner,
                        reason: reason.into(),
                        escalation,
                    })
                },
            )
            .boxed(),
        (
            complaint_id(),
            option::of(remaining()),
            option::of(remaining()),
        )
            .prop_map(|(complaint, resolution, escalation)| {
                Event::Complaint(ComplaintEvent::AwaitingCustomer {
                    complaint,
                    resolution,
                    escalation,
                })
            })
            .boxed(),
        (
            complaint_id(),
            party_id(),
            option::of(instant()),
            any::<bool>(),
            any::<bool>(),
            option::of(remaining()),
            option::of(remaining()),
        )
            .prop_map(
                |(complaint, party, expected, pauses, slipped, resolution, escalation)| {
                    Event::Complaint(ComplaintEvent::AwaitingParty {
                        complaint,
                        party,
                        expected,
                        pauses,
                        slipped,
                        resolution,
                        escalation,
                    })
                },
            )
            .boxed(),
        (
            complaint_id(),
            party_id(),
            instant(),
            option::of(agent_id()),
        )
            .prop_map(|(complaint, party, due, owner)| {
                Event::Complaint(ComplaintEvent::PartyLate {
                    complaint,
                    party,
                    due,
                    owner,
                })
            })
            .boxed(),
        (
            complaint_id(),
            party_id(),
            span(),
            span(),
            option::of(clock_terms()),
            option::of(clock_terms()),
        )
            .prop_map(
                |(complaint, party, waited, paused, resolution, escalation)| {
                    Event::Complaint(ComplaintEvent::PartyWaitEnded {
                        complaint,
                        party,
                        waited,
                        paused,
                        resolution,
                        escalation,
                    })
                },
            )
            .boxed(),
        (
            complaint_id(),
            span(),
            option::of(clock_terms()),
            option::of(clock_terms()),
        )
            .prop_map(|(complaint, paused, resolution, escalation)| {
                Event::Complaint(ComplaintEvent::Resumed {
                    complaint,
                    paused,
                    resolution,
                    escalation,
                })
            })
            .boxed(),
        (
            complaint_id(),
            agent_id(),
            option::of(text()),
            any::<bool>(),
            text(),
            clock_outcome(),
            option::of(clock_outcome()),
            option::of(span()),
        )
            .prop_map(
                |(complaint, by, remedy, apology, summary, outcome, acknowledgement, worked)| {
                    Event::Complaint(ComplaintEvent::Resolved {
                        complaint,
                        by,
                        remedy: remedy.map(Personal::from),
                        apology,
                        summary: summary.into(),
                        outcome,
                        acknowledgement,
                        worked,
                    })
                },
            )
            .boxed(),
        complaint_id()
            .prop_map(|complaint| Event::Complaint(ComplaintEvent::Closed { complaint }))
            .boxed(),
        (
            complaint_id(),
            text(),
            reopen_mode(),
            count(),
            clock_terms(),
            option::of(clock_terms()),
        )
            .prop_map(|(complaint, reason, mode, cycle, resolution, escalation)| {
                Event::Complaint(ComplaintEvent::Reopened {
                    complaint,
                    reason: reason.into(),
                    mode,
                    cycle,
                    resolution,
                    escalation,
                })
            })
            .boxed(),
        (
            follow_up_id(),
            agent_id(),
            due_or_no_target(),
            text(),
            option::of(complaint_id()),
        )
            .prop_map(|(follow_up, owner, (due, no_target), reason, complaint)| {
                Event::FollowUp(FollowUpEvent::Scheduled {
                    follow_up,
                    owner,
                    due,
                    no_target,
                    reason: reason.into(),
                    complaint,
                })
            })
            .boxed(),
        (follow_up_id(), agent_id(), instant())
            .prop_map(|(follow_up, owner, due)| {
                Event::FollowUp(FollowUpEvent::Overdue {
                    follow_up,
                    owner,
                    due,
                })
            })
            .boxed(),
        (
            follow_up_id(),
            follow_up_outcome(),
            option::of(text()),
            clock_outcome(),
        )
            .prop_map(|(follow_up, outcome, note, timing)| {
                Event::FollowUp(FollowUpEvent::Completed {
                    follow_up,
                    outcome,
                    note: note.map(Personal::from),
                    timing,
                })
            })
            .boxed(),
        (follow_up_id(), text())
            .prop_map(|(follow_up, reason)| {
                Event::FollowUp(FollowUpEvent::Cancelled {
                    follow_up,
                    reason: reason.into(),
                })
            })
            .boxed(),
        (survey_id(), survey_kind(), option::of(complaint_id()))
            .prop_map(|(survey, kind, complaint)| {
                Event::Survey(SurveyEvent::Requested {
                    survey,
                    kind,
                    complaint,
                })
            })
            .boxed(),
        (
            option::of(survey_id()),
            survey_answer(),
            option::of(text()),
            option::of(complaint_id()),
        )
            .prop_map(|(survey, answer, comment, complaint)| {
                Event::Survey(SurveyEvent::Answered {
                    survey,
                    answer,
                    comment: comment.map(Personal::from),
                    complaint,
                })
            })
            .boxed(),
        (survey_id(), text())
            .prop_map(|(survey, reason)| {
                Event::Survey(SurveyEvent::Voided {
                    survey,
                    reason: reason.into(),
                })
            })
            .boxed(),
        (score(), vec(select(Signal::ALL.to_vec()), 0..8))
            .prop_map(|(score, reasons)| Event::Health(HealthEvent::AtRisk { score, reasons }))
            .boxed(),
        score()
            .prop_map(|score| Event::Health(HealthEvent::Recovered { score }))
            .boxed(),
        any::<u32>()
            .prop_map(|fields| Event::Customer(CustomerEvent::PersonalDataErased { fields }))
            .boxed(),
        (instant(), instant())
            .prop_map(|(last_contact, after)| {
                Event::Health(HealthEvent::GoneQuiet {
                    last_contact,
                    after,
                })
            })
            .boxed(),
    ];
    debug_assert_eq!(arms.len(), EVENT_VARIANTS);
    Union::new(arms.drain(..)).boxed()
}

/// The number of [`Event`] variants [`event`] draws from (checked by a test).
pub const EVENT_VARIANTS: usize = Event::KINDS.len();

/// A schema version: mostly the current one, sometimes 0, the next or anything.
pub fn version() -> impl Strategy<Value = u16> {
    prop_oneof![
        8 => Just(clientele::SCHEMA_VERSION),
        1 => Just(0u16),
        1 => Just(clientele::SCHEMA_VERSION.saturating_add(1)),
        1 => any::<u16>(),
    ]
}

/// A sequence number: small, 0, the largest, or anything.
pub fn seq() -> impl Strategy<Value = u64> {
    prop_oneof![6 => 1u64..=8, 1 => Just(0u64), 1 => Just(u64::MAX), 1 => any::<u64>()]
}

/// An arbitrary envelope: any version, customer, sequence number, instant and event.
pub fn envelope() -> impl Strategy<Value = Envelope> {
    (
        version(),
        customer_id(),
        seq(),
        instant(),
        event(),
        option::weighted(0.2, key()),
        any::<bool>(),
    )
        .prop_map(|(v, customer, seq, at, mut event, key, shredded)| {
            if shredded {
                // As a crypto-shredding service reads it once the key is gone.
                event.personal_mut().into_iter().for_each(|p| {
                    p.erase();
                });
            }
            Envelope {
                v,
                customer,
                seq,
                at,
                event,
                key,
                recorded: None,
            }
        })
}

/// An arbitrary envelope, recorded at an arbitrary instant one time in four (often not after
/// it happened). Kept apart from [`envelope`], whose draws `tests/snapshot/` freezes.
pub fn envelope_recorded() -> impl Strategy<Value = Envelope> {
    (envelope(), option::weighted(0.25, instant())).prop_map(|(mut envelope, recorded)| {
        envelope.recorded = recorded;
        envelope
    })
}

/// Idempotency keys from a small pool, so reuse is common.
pub fn key() -> impl Strategy<Value = IdempotencyKey> {
    (0u8..4)
        .prop_map(|n| IdempotencyKey::new(format!("key-{n}")).unwrap_or_else(|_| unreachable!()))
}

// ---------------------------------------------------------------------------------------------
// Policies

/// A business-hours calendar (Vilnius, weekdays 9–17, a holiday) built once.
pub fn office_calendar() -> ServiceCalendar {
    static OFFICE: OnceLock<ServiceCalendar> = OnceLock::new();
    OFFICE
        .get_or_init(|| {
            let nine = WallTime::hm(9, 0).unwrap_or_else(|e| panic!("{e}"));
            let five = WallTime::hm(17, 0).unwrap_or_else(|e| panic!("{e}"));
            ServiceCalendar::builder("Europe/Vilnius")
                .and_then(|b| {
                    b.weekdays(nine, five)
                        .holiday(date(2026, 3, 11), "Restoration of Independence")
                        .build()
                })
                .unwrap_or_else(|e| panic!("{e}"))
        })
        .clone()
}

/// A calendar open for one hour on one day in 2026 and never again.
pub fn once_calendar() -> ServiceCalendar {
    static ONCE: OnceLock<ServiceCalendar> = OnceLock::new();
    ONCE.get_or_init(|| {
        let nine = WallTime::hm(9, 0).unwrap_or_else(|e| panic!("{e}"));
        let ten = WallTime::hm(10, 0).unwrap_or_else(|e| panic!("{e}"));
        ServiceCalendar::builder("Pacific/Kiritimati")
            .and_then(|b| b.open(date(2026, 3, 3), nine, ten).build())
            .unwrap_or_else(|e| panic!("{e}"))
    })
    .clone()
}

/// A calendar open 9 to 17 in Vilnius on the first twenty days of June 2026 and never after.
pub fn june_calendar() -> ServiceCalendar {
    static JUNE: OnceLock<ServiceCalendar> = OnceLock::new();
    JUNE.get_or_init(|| {
        let nine = WallTime::hm(9, 0).unwrap_or_else(|e| panic!("{e}"));
        let five = WallTime::hm(17, 0).unwrap_or_else(|e| panic!("{e}"));
        ServiceCalendar::builder("Europe/Vilnius")
            .and_then(|b| {
                (1..=20)
                    .fold(b, |b, day| b.open(date(2026, 6, day), nine, five))
                    .build()
            })
            .unwrap_or_else(|e| panic!("{e}"))
    })
    .clone()
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_else(|| panic!("bad test date"))
}

/// A lead: fixed (any span) or a share (0–100 %).
pub fn lead() -> impl Strategy<Value = Lead> {
    prop_oneof![
        span().prop_map(Lead::Before),
        select(
            (0u8..=100)
                .filter_map(|p| Percent::new(p).ok().map(Lead::Share))
                .collect::<Vec<_>>()
        ),
    ]
}

/// Targets per priority: uniform or each drawn.
pub fn by_priority() -> impl Strategy<Value = ByPriority> {
    prop_oneof![
        span().prop_map(ByPriority::uniform),
        (span(), span(), span(), span()).prop_map(|(low, normal, high, urgent)| ByPriority {
            low,
            normal,
            high,
            urgent,
        }),
    ]
}

/// One change to the default policy; some make it invalid on purpose.
#[derive(Debug, Clone)]
pub enum Tweak {
    /// Replace a target table's default row (0 first response, 1 reply, 2 acknowledge, 3 resolve).
    Row(u8, ByPriority),
    /// Give the gold tier its own row in a table.
    GoldRow(u8, ByPriority),
    /// Run a priority of a table on a named calendar (maybe undefined).
    OnCalendar(u8, Priority, Option<String>),
    /// Give a priority of a table no target (issue 14 item 9).
    Untargeted(u8, Priority),
    /// Say a table's zero targets mean "due at once".
    AtOnce(u8),
    /// The response warning lead.
    ResponseWarning(Lead),
    /// The complaint warning lead.
    ComplaintWarning(Lead),
    /// The promise at-risk lead and slips tolerated.
    Promises(Lead, u32),
    /// The escalation ladder (possibly empty): thresholds and calendars.
    Levels(Vec<(Option<Span>, Option<String>)>),
    /// What a reopen does.
    Reopen(ReopenMode),
    /// Switches: pause while waiting, resolve unacknowledged, reopen when not satisfied.
    Switches(bool, bool, bool),
    /// The follow-up delay and its calendar.
    FollowUp(Option<Span>, Option<String>),
    /// The policy's own calendar: 0 always open, 1 office hours, 2 open once, 3 open on the
    /// first twenty days of June 2026 only.
    OwnCalendar(u8),
    /// Define the named calendars "24/7" and "office".
    NamedCalendars,
    /// An agent roster (from the pool).
    Agents(BTreeSet<u128>),
    /// A team roster (from the pool).
    Teams(BTreeSet<u128>),
    /// A calendar rule on a table (maybe naming an undefined calendar), by channel and team.
    Rule(u8, String, Option<Channel>, Option<u128>),
    /// A party roster (from the pool).
    Parties(BTreeSet<u128>),
    /// The parties whose wait pauses a complaint's clocks (from the pool).
    PausingParties(BTreeSet<u128>),
    /// Health bands, window and (maybe) weights.
    Health(u8, u8, Span, Option<[u8; 6]>),
    /// The update cadence (none, or a row, its warning and the normal priority's calendar).
    Updates(Option<(ByPriority, Lead, Option<String>)>),
}

fn tweak() -> impl Strategy<Value = Tweak> {
    let table = 0u8..4;
    prop_oneof![
        3 => (table.clone(), by_priority()).prop_map(|(t, row)| Tweak::Row(t, row)),
        1 => (table.clone(), by_priority()).prop_map(|(t, row)| Tweak::GoldRow(t, row)),
        1 => (table.clone(), priority(), calendar_name()).prop_map(|(t, p, c)| Tweak::OnCalendar(t, p, c)),
        1 => (table.clone(), priority()).prop_map(|(t, p)| Tweak::Untargeted(t, p)),
        2 => table.clone().prop_map(Tweak::AtOnce),
        2 => lead().prop_map(Tweak::ResponseWarning),
        1 => lead().prop_map(Tweak::ComplaintWarning),
        2 => (lead(), count()).prop_map(|(l, n)| Tweak::Promises(l, n)),
        2 => vec((option::of(span()), calendar_name()), 0..5).prop_map(Tweak::Levels),
        1 => reopen_mode().prop_map(Tweak::Reopen),
        2 => (any::<bool>(), any::<bool>(), any::<bool>()).prop_map(|(a, b, c)| Tweak::Switches(a, b, c)),
        1 => (option::of(span()), calendar_name()).prop_map(|(s, c)| Tweak::FollowUp(s, c)),
        2 => (0u8..4).prop_map(Tweak::OwnCalendar),
        2 => Just(Tweak::NamedCalendars),
        1 => btree_set(raw_id(), 0..3).prop_map(Tweak::Agents),
        1 => btree_set(raw_id(), 0..3).prop_map(Tweak::Teams),
        2 => (0u8..4, calendar_name(), option::of(channel()), option::of(raw_id()))
            .prop_map(|(t, c, ch, team)| Tweak::Rule(t, c.unwrap_or_else(|| "office".into()), ch, team)),
        1 => btree_set(raw_id(), 0..3).prop_map(Tweak::Parties),
        1 => btree_set(raw_id(), 0..3).prop_map(Tweak::PausingParties),
        1 => (any::<u8>(), any::<u8>(), span(), option::of(any::<[u8; 6]>()))
            .prop_map(|(w, r, s, k)| Tweak::Health(w, r, s, k)),
        2 => option::of((by_priority(), lead(), calendar_name())).prop_map(Tweak::Updates),
    ]
}

/// Applies `tweaks` to the default policy.
pub fn build_policy(tweaks: &[Tweak]) -> ServicePolicy {
    let mut policy = ServicePolicy::default();
    for tweak in tweaks {
        apply_tweak(&mut policy, tweak);
    }
    policy
}

fn table(policy: &mut ServicePolicy, t: u8) -> &mut Targets {
    match t {
        0 => &mut policy.first_response,
        1 => &mut policy.reply,
        2 => &mut policy.complaints.acknowledge,
        _ => &mut policy.complaints.resolve,
    }
}

fn apply_tweak(policy: &mut ServicePolicy, tweak: &Tweak) {
    match tweak.clone() {
        Tweak::Row(t, row) => table(policy, t).default = row,
        Tweak::GoldRow(t, row) => {
            let gold = Tier::new("gold").unwrap_or_else(|e| panic!("{e}"));
            table(policy, t).tiers.insert(gold, row);
        }
        Tweak::OnCalendar(t, p, name) => match name {
            Some(name) => {
                table(policy, t).calendars.insert(p, name);
            }
            None => {
                table(policy, t).calendars.remove(&p);
            }
        },
        Tweak::Untargeted(t, p) => {
            table(policy, t).untargeted.insert(p);
        }
        Tweak::AtOnce(t) => table(policy, t).zero_means_at_once = true,
        Tweak::ResponseWarning(lead) => policy.response_warning = lead,
        Tweak::ComplaintWarning(lead) => policy.complaints.warning = lead,
        Tweak::Promises(lead, slips) => {
            policy.promises.at_risk = lead;
            policy.promises.repeated_slips = slips;
        }
        Tweak::Levels(levels) => {
            policy.complaints.levels = levels
                .into_iter()
                .enumerate()
                .map(|(n, (escalate_after, calendar))| SupportLevel {
                    name: Text::new(format!("level {n}")).unwrap_or_else(|e| panic!("{e}")),
                    escalate_after,
                    calendar,
                })
                .collect();
        }
        Tweak::Reopen(mode) => policy.complaints.reopen = mode,
        Tweak::Switches(pause, unacknowledged, reopen) => {
            policy.complaints.pause_while_waiting = pause;
            policy.complaints.resolve_unacknowledged = unacknowledged;
            policy.complaints.reopen_when_not_satisfied = reopen;
        }
        Tweak::FollowUp(after, calendar) => {
            policy.complaints.follow_up_after = after;
            policy.complaints.follow_up_calendar = calendar;
        }
        Tweak::OwnCalendar(n) => {
            policy.calendar = match n {
                0 => ServiceCalendar::always_open(),
                1 => office_calendar(),
                2 => once_calendar(),
                _ => june_calendar(),
            }
        }
        Tweak::NamedCalendars => {
            policy
                .calendars
                .insert("24/7".into(), ServiceCalendar::always_open());
            policy.calendars.insert("office".into(), office_calendar());
        }
        Tweak::Agents(ids) => policy.agents = ids.into_iter().map(AgentId::from_u128).collect(),
        Tweak::Rule(t, calendar, channel, team) => {
            let mut rule = clientele::policy::CalendarRule::calendar(calendar);
            rule.channel = channel;
            rule.team = team.map(clientele::TeamId::from_u128);
            table(policy, t).rules.push(rule);
        }
        Tweak::Teams(ids) => {
            policy.teams = ids.into_iter().map(clientele::TeamId::from_u128).collect();
        }
        Tweak::Parties(ids) => policy.parties = ids.into_iter().map(PartyId::from_u128).collect(),
        Tweak::PausingParties(ids) => {
            policy.complaints.pausing_parties = ids.into_iter().map(PartyId::from_u128).collect();
        }
        Tweak::Health(watch_below, at_risk_below, window, weights) => {
            policy.health.watch_below = watch_below;
            policy.health.at_risk_below = at_risk_below;
            policy.health.window = window;
            if let Some([a, b, c, d, e, f]) = weights
                && let Ok(weights) = HealthWeights::new(a, b, c, d, e, f)
            {
                policy.health.weights = weights;
            }
        }
        Tweak::Updates(cadence) => {
            policy.updates = cadence.map(|(row, warning, calendar)| {
                let mut every = Targets::new(row);
                if let Some(calendar) = calendar {
                    every = every.on_calendar(Priority::Normal, calendar);
                }
                clientele::policy::UpdatePolicy { every, warning }
            });
        }
    }
}

/// `policy` after its named calendars were retired: every target, threshold and follow-up
/// that named one runs on the policy's own calendar, and the names are gone. Clocks started
/// on them lose their calendar.
pub fn retired_calendars(policy: &ServicePolicy) -> ServicePolicy {
    let mut policy = policy.clone();
    for t in 0..4 {
        table(&mut policy, t).calendars.clear();
        table(&mut policy, t).rules.clear();
    }
    for level in &mut policy.complaints.levels {
        level.calendar = None;
    }
    policy.complaints.follow_up_calendar = None;
    if let Some(updates) = &mut policy.updates {
        updates.every.calendars.clear();
        updates.every.rules.clear();
    }
    policy.calendars.clear();
    policy
}

/// Tweaks to the default policy: valid or not, usually mild, sometimes extreme.
pub fn policy_tweaks() -> impl Strategy<Value = Vec<Tweak>> {
    prop_oneof![2 => Just(Vec::new()), 5 => vec(tweak(), 1..5)]
}

/// A complaint or a promise an update cadence is about.
pub fn regarding() -> impl Strategy<Value = clientele::flag::Regarding> {
    prop_oneof![
        complaint_id().prop_map(clientele::flag::Regarding::Complaint),
        promise_id().prop_map(clientele::flag::Regarding::Promise),
    ]
}

/// A team from the small pool.
pub fn team_id() -> impl Strategy<Value = clientele::TeamId> {
    raw_id().prop_map(clientele::TeamId::from_u128)
}
