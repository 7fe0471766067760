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
mod compact;
pub mod complaint;
pub mod customer;
pub mod display;
pub mod error;
pub mod event;
pub mod flag;
pub mod follow_up;
pub mod guide;
pub mod health;
pub mod id;
mod lazy;
pub mod ledger;
pub mod lifecycle;
pub mod measure;
pub mod outcome;
pub mod personal;
pub mod policy;
pub mod promise;
mod registry;
pub mod relationship;
pub mod response;
#[cfg(feature = "schema")]
pub mod schema;
mod shared;
pub mod snapshot;
mod strict;
pub mod survey;

pub mod value;
pub mod what_if;

/// The chrono the API speaks (`DateTime<Utc>` everywhere), re-exported so a service uses the
/// same version without naming it in its own `Cargo.toml`. Built without its `clock` feature:
/// the service's clock is its own (see the README).
pub use chrono;
/// The uuid the ids wrap (`CustomerId::from_uuid`), re-exported likewise. Built without any
/// generator feature: a service that makes ids adds uuid itself with `v7` (see the README).
pub use uuid;

pub use calendar::{CalendarError, ServiceCalendar};
pub use command::{Command, Request};
pub use complaint::{
    AcknowledgeComplaint, AssignComplaint, AwaitCustomer, AwaitOutsideParty, CloseComplaint,
    CloseUnresolved, ComplaintEvent, DeescalateComplaint, EndOutsideWait, EscalateComplaint,
    ReceiveComplaint, ReopenComplaint, ReprioritiseComplaint, RequestEscalation, ResolveComplaint,
    ResumeComplaint, RouteComplaint,
};
pub use customer::{
    Contacts, CustomerEvent, ErasePersonalData, Profile, RegisterCustomer, UpdateProfile,
};
pub use error::{CommandError, DecodeError, FactItem, PolicyError, ReplayError};
pub use event::{Envelope, Event, SCHEMA_VERSION};
pub use flag::{Deadline, DeadlineKind, Flag, FlagKind, Subject};
pub use follow_up::{
    CancelFollowUp, CompleteFollowUp, FollowUpEvent, FollowUpOutcome, ScheduleFollowUp,
};
pub use health::{Band, Health, HealthEvent};
pub use id::{
    AgentId, ComplaintId, CustomerId, FollowUpId, InteractionId, PartyId, PromiseId, SurveyId,
    TeamId,
};
pub use ledger::{Ledger, LoadError};
pub use measure::{MeasureError, Measures, Tally, Window};
pub use personal::Personal;
pub use policy::ServicePolicy;
pub use promise::{
    Fulfiller, KeepPromise, MakePromise, MeetDependency, PromiseEvent, RecordDependency,
    RevisePromise, WithdrawPromise,
};
pub use relationship::{Relationship, WorkList};
pub use response::{RecordInteraction, ResponseEvent};
pub use survey::{AnswerSurvey, RequestSurvey, SurveyAnswer, SurveyEvent, SurveyKind};
pub use value::{
    Channel, CsatScore, Direction, IdempotencyKey, NpsScore, Priority, Span, Text, Tier, ValueError,
};
