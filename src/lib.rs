#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::indexing_slicing,
        clippy::panic,
        clippy::todo,
        clippy::unimplemented,
        clippy::unreachable
    )
)]

pub mod calendar;
pub mod command;
pub mod complaint;
pub mod customer;
pub mod error;
pub mod event;
pub mod flag;
pub mod follow_up;
pub mod health;
pub mod id;
pub mod ledger;
pub mod lifecycle;
pub mod measure;
pub mod personal;
pub mod policy;
pub mod promise;
mod registry;
pub mod relationship;
pub mod response;
#[cfg(feature = "schema")]
pub mod schema;
pub mod survey;

pub mod value;

pub use calendar::{
    CalendarBuilder, CalendarError, Exception, ExceptionKind, Holiday, Period, ServiceCalendar,
    WallTime,
};
pub use command::{Command, Request};
pub use complaint::ComplaintEvent;
pub use complaint::{
    AcknowledgeComplaint, AssignComplaint, AwaitCustomer, CloseComplaint, ComplaintCommand,
    EscalateComplaint, ReceiveComplaint, ReopenComplaint, RequestEscalation, ResolveComplaint,
    ResumeComplaint,
};
pub use complaint::{
    ClockPhase, ClockTerms, Complaint, ComplaintClockKind, ComplaintStage, ComplaintState,
    EscalationReason, Handover, Remaining, Resolution, TargetClock,
};
pub use customer::CustomerEvent;
pub use customer::{CustomerCommand, ErasePersonalData, RegisterCustomer, UpdateProfile};
pub use error::{CommandError, DecodeError, PolicyError, ReplayError};
pub use event::{Envelope, Event, SCHEMA_VERSION};
pub use flag::{Deadline, DeadlineKind, Flag, FlagKind, Subject};
pub use follow_up::FollowUpEvent;
pub use follow_up::{CancelFollowUp, CompleteFollowUp, FollowUpCommand, ScheduleFollowUp};
pub use follow_up::{FollowUp, FollowUpOutcome, FollowUpStage, FollowUpState};
pub use health::HealthEvent;
pub use health::{Band, Health, HealthPolicy, HealthWeights, Signal};
pub use id::{
    AgentId, ComplaintId, CustomerId, FollowUpId, IdParseError, InteractionId, PartyId, PromiseId,
    SurveyId,
};
pub use ledger::Ledger;
pub use measure::{
    ComplaintMeasures, DependencyMeasures, Durations, FollowUpMeasures, MeasureError, Measures,
    OutcomeTally, PromiseCounts, PromiseMeasures, ResponseMeasures, ResponseTimes, SurveyMeasures,
    Tally, Window,
};
pub use personal::Personal;
pub use policy::{
    ByPriority, ComplaintPolicy, Lead, Percent, PromisePolicy, ReopenMode, ServicePolicy,
    SupportLevel, Targets,
};
pub use promise::PromiseEvent;
pub use promise::{
    AtRiskReason, Dependency, DependencyState, Fulfiller, Notice, Promise, PromiseStage,
    PromiseState, PromiseTerms, Revision, RevisionTiming,
};
pub use promise::{
    KeepPromise, MakePromise, MeetDependency, PromiseCommand, RecordDependency, RevisePromise,
    WithdrawPromise,
};
pub use relationship::{Profile, Relationship};
pub use response::ResponseEvent;
pub use response::{ClockKind, Elapsed, Lateness, Outcome, ResponseClock, Wait};
pub use response::{RecordInteraction, ResponseCommand};
pub use survey::SurveyEvent;
pub use survey::{AnswerSurvey, RequestSurvey, SurveyCommand};
pub use survey::{Survey, SurveyAnswer, SurveyKind, SurveyStage, SurveyState};
pub use value::{
    Channel, CsatScore, Direction, IdempotencyKey, NpsScore, Priority, Span, Text, Tier, ValueError,
};
