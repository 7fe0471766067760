//! Commands: what the service asks the model to do. Imperative, validated by
//! [`Relationship::decide`](crate::Relationship::decide), which turns them into events or a
//! typed error.
//!
//! [`Command`] is a union with one arm per lifecycle family; each family's commands live in
//! its folder (`crate::promise::MakePromise`, ...) and convert into a `Command` with `.into()`.
//! On the wire a command is flat (`{"type": "make_promise", ...}`), as before.
//!
//! Ids for new things (an interaction, a promise) arrive inside commands: the crate makes none.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::complaint::ComplaintCommand;
use crate::complaint::{
    AcknowledgeComplaint, AssignComplaint, AwaitCustomer, AwaitOutsideParty, CloseComplaint,
    CloseUnresolved, DeescalateComplaint, EndOutsideWait, EscalateComplaint, ReceiveComplaint,
    ReopenComplaint, ReprioritiseComplaint, RequestEscalation, ResolveComplaint, ResumeComplaint,
    RouteComplaint,
};
use crate::customer::CustomerCommand;
use crate::customer::{ErasePersonalData, RegisterCustomer, UpdateProfile};
use crate::event::Family;
use crate::follow_up::FollowUpCommand;
use crate::follow_up::{CancelFollowUp, CompleteFollowUp, ScheduleFollowUp};
use crate::promise::PromiseCommand;
use crate::promise::{
    KeepPromise, MakePromise, MeetDependency, RecordDependency, RevisePromise, WithdrawPromise,
};
use crate::response::RecordInteraction;
use crate::response::ResponseCommand;
use crate::survey::SurveyCommand;
use crate::survey::{AnswerSurvey, RequestSurvey};
use crate::value::IdempotencyKey;

/// Something the service asks of one customer's relationship: one arm per lifecycle family.
///
/// `#[non_exhaustive]`: later releases add families and commands. A service builds commands
/// (`MakePromise::new(..).into()`) far more often than it matches on them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
#[non_exhaustive]
pub enum Command {
    /// Registration, profile, erasure.
    Customer(CustomerCommand),
    /// Interactions.
    Response(ResponseCommand),
    /// Promises and the outside parties behind them.
    Promise(PromiseCommand),
    /// Complaints.
    Complaint(ComplaintCommand),
    /// Follow-ups.
    FollowUp(FollowUpCommand),
    /// Surveys.
    Survey(SurveyCommand),
}

impl Command {
    /// Every command name (its `type` tag on the wire) with its family.
    pub const KINDS: [(&'static str, Family); 31] = [
        ("register_customer", Family::Customer),
        ("update_profile", Family::Customer),
        ("erase_personal_data", Family::Customer),
        ("record_interaction", Family::Response),
        ("make_promise", Family::Promise),
        ("revise_promise", Family::Promise),
        ("keep_promise", Family::Promise),
        ("withdraw_promise", Family::Promise),
        ("record_dependency", Family::Promise),
        ("meet_dependency", Family::Promise),
        ("receive_complaint", Family::Complaint),
        ("acknowledge_complaint", Family::Complaint),
        ("assign_complaint", Family::Complaint),
        ("route_complaint", Family::Complaint),
        ("request_escalation", Family::Complaint),
        ("escalate_complaint", Family::Complaint),
        ("deescalate_complaint", Family::Complaint),
        ("await_customer", Family::Complaint),
        ("await_outside_party", Family::Complaint),
        ("end_outside_wait", Family::Complaint),
        ("resume_complaint", Family::Complaint),
        ("resolve_complaint", Family::Complaint),
        ("close_complaint", Family::Complaint),
        ("reopen_complaint", Family::Complaint),
        ("close_complaint_unresolved", Family::Complaint),
        ("reprioritise_complaint", Family::Complaint),
        ("schedule_follow_up", Family::FollowUp),
        ("complete_follow_up", Family::FollowUp),
        ("cancel_follow_up", Family::FollowUp),
        ("request_survey", Family::Survey),
        ("answer_survey", Family::Survey),
    ];

    /// The command's name, for logs and errors.
    ///
    /// ```
    /// use clientele::{Command, KeepPromise, PromiseId};
    ///
    /// let command = Command::from(KeepPromise::new(PromiseId::from_u128(5)));
    /// assert_eq!(command.name(), "keep_promise");
    /// ```
    #[must_use]
    pub const fn name(&self) -> &'static str {
        match self {
            Command::Customer(command) => command.name(),
            Command::Response(command) => command.name(),
            Command::Promise(command) => command.name(),
            Command::Complaint(command) => command.name(),
            Command::FollowUp(command) => command.name(),
            Command::Survey(command) => command.name(),
        }
    }
}

impl<'de> Deserialize<'de> for Command {
    /// Reads the `type` tag, finds the family in [`Command::KINDS`] and reads the family's
    /// command; it needs a self-describing format.
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde::de::Error as _;
        let (name, value) = crate::strict::tagged(deserializer, "a command (a JSON object)")?;
        let names: Vec<&'static str> = Self::KINDS.iter().map(|(name, _)| *name).collect();
        let Some((_, family)) = Self::KINDS
            .iter()
            .find(|(known, _)| *known == name.as_str())
        else {
            return Err(D::Error::custom(format_args!(
                "unknown variant `{name}`, expected one of {}",
                names.join(", ")
            )));
        };
        let command = match *family {
            Family::Customer => CustomerCommand::deserialize(value).map(Command::Customer),
            Family::Response => ResponseCommand::deserialize(value).map(Command::Response),
            Family::Promise => PromiseCommand::deserialize(value).map(Command::Promise),
            Family::Complaint => ComplaintCommand::deserialize(value).map(Command::Complaint),
            Family::FollowUp => FollowUpCommand::deserialize(value).map(Command::FollowUp),
            Family::Survey => SurveyCommand::deserialize(value).map(Command::Survey),
            // Health changes are noticed by the engine; nobody commands them.
            Family::Health => return Err(D::Error::custom("no command belongs to health")),
        };
        command.map_err(D::Error::custom)
    }
}

impl From<CustomerCommand> for Command {
    fn from(command: CustomerCommand) -> Self {
        Self::Customer(command)
    }
}

impl From<ResponseCommand> for Command {
    fn from(command: ResponseCommand) -> Self {
        Self::Response(command)
    }
}

impl From<PromiseCommand> for Command {
    fn from(command: PromiseCommand) -> Self {
        Self::Promise(command)
    }
}

impl From<ComplaintCommand> for Command {
    fn from(command: ComplaintCommand) -> Self {
        Self::Complaint(command)
    }
}

impl From<FollowUpCommand> for Command {
    fn from(command: FollowUpCommand) -> Self {
        Self::FollowUp(command)
    }
}

impl From<SurveyCommand> for Command {
    fn from(command: SurveyCommand) -> Self {
        Self::Survey(command)
    }
}

/// `From<each command struct> for Command`, through its family's enum: the union knows its
/// families, the families do not know the union.
macro_rules! into_command {
    ($($family:ident($enum:ty): $($command:ty),*;)*) => {$($(
        impl From<$command> for Command {
            fn from(command: $command) -> Self {
                Command::$family(<$enum>::from(command))
            }
        }
    )*)*};
}

into_command! {
    Customer(CustomerCommand): RegisterCustomer, UpdateProfile, ErasePersonalData;
    Response(ResponseCommand): RecordInteraction;
    Promise(PromiseCommand): MakePromise, RevisePromise, KeepPromise, WithdrawPromise, RecordDependency, MeetDependency;
    Complaint(ComplaintCommand): ReceiveComplaint, AcknowledgeComplaint, AssignComplaint, RouteComplaint, RequestEscalation, EscalateComplaint, DeescalateComplaint, AwaitCustomer, AwaitOutsideParty, EndOutsideWait, ResumeComplaint, ResolveComplaint, CloseComplaint, ReopenComplaint, CloseUnresolved, ReprioritiseComplaint;
    FollowUp(FollowUpCommand): ScheduleFollowUp, CompleteFollowUp, CancelFollowUp;
    Survey(SurveyCommand): RequestSurvey, AnswerSurvey;
}

/// The schema of the flat wire form: one `oneOf` of every command, whatever its family.
#[cfg(feature = "schema")]
impl schemars::JsonSchema for Command {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Command".into()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let families = [
            CustomerCommand::json_schema(generator),
            ResponseCommand::json_schema(generator),
            PromiseCommand::json_schema(generator),
            ComplaintCommand::json_schema(generator),
            FollowUpCommand::json_schema(generator),
            SurveyCommand::json_schema(generator),
        ];
        crate::event::one_of(
            "Something the service asks of one customer's relationship.",
            families,
        )
    }
}

/// A command with the conditions a service attaches to it: the relationship version it was
/// decided against (optimistic concurrency) and an idempotency key (safe retries). Decide it
/// with [`Relationship::decide_request`](crate::Relationship::decide_request) or
/// [`Ledger::decide_request`](crate::Ledger::decide_request).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Request {
    /// The command.
    pub command: Command,
    /// The relationship's [`version`](crate::Relationship::version) the caller last saw
    /// (0 before registration); a mismatch is
    /// [`CommandError::VersionConflict`](crate::CommandError::VersionConflict).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected_version: Option<u64>,
    /// A key for this request: the same key again produces no new events.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub idempotency_key: Option<IdempotencyKey>,
    /// When the thing happened, if earlier than the moment the request is decided: a fact
    /// reported late (a call at 10:00 logged at 11:00). Absent, it happened when decided. See
    /// the [relationship docs](crate::relationship) for how a late fact meets the clocks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub occurred_at: Option<DateTime<Utc>>,
}

impl Request {
    /// A request with no conditions.
    ///
    /// ```
    /// use clientele::{KeepPromise, PromiseId, Request};
    ///
    /// let request = Request::new(KeepPromise::new(PromiseId::from_u128(5)));
    /// assert_eq!((request.expected_version, request.idempotency_key, request.occurred_at), (None, None, None));
    /// ```
    #[must_use]
    pub fn new(command: impl Into<Command>) -> Self {
        Self {
            command: command.into(),
            expected_version: None,
            idempotency_key: None,
            occurred_at: None,
        }
    }

    /// Refuses the request unless the relationship is at `version`.
    ///
    /// ```
    /// # use clientele::{*, chrono::{TimeZone, Utc}};
    /// # let (policy, monday) = (ServicePolicy::default(), Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap());
    /// # let mut ona = Relationship::new(CustomerId::from_u128(1)); ona.execute(&policy, RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?), monday)?;
    /// let hello = RecordInteraction::inbound(InteractionId::from_u128(2), Channel::Email, Text::new("Hello?")?);
    /// // Written after reading version 0; the relationship is at 1 by now.
    /// let stale = Request::new(hello).expecting(0);
    /// assert!(matches!(ona.decide_request(&policy, &stale, monday), Err(CommandError::VersionConflict { expected: 0, actual: 1 })));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub const fn expecting(mut self, version: u64) -> Self {
        self.expected_version = Some(version);
        self
    }

    /// Makes the request take effect once, however often it is sent with `key`.
    ///
    /// ```
    /// # use clientele::{*, chrono::{TimeZone, Utc}};
    /// # let (policy, monday) = (ServicePolicy::default(), Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap());
    /// # let mut ona = Relationship::new(CustomerId::from_u128(1)); ona.execute(&policy, RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?), monday)?;
    /// let hello = RecordInteraction::inbound(InteractionId::from_u128(2), Channel::Email, Text::new("Hello?")?);
    /// let request = Request::new(hello).idempotent(IdempotencyKey::new("mail-7731")?);
    /// let events = ona.execute_request(&policy, request.clone(), monday)?;
    /// assert_eq!(events[0].event.kind(), "interaction_recorded");
    /// assert!(ona.execute_request(&policy, request, monday)?.is_empty()); // the retry changes nothing
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn idempotent(mut self, key: IdempotencyKey) -> Self {
        self.idempotency_key = Some(key);
        self
    }

    /// Says the thing happened at `at`, earlier than it is decided: the events are dated `at`
    /// and record when they were decided. Never before the customer's registration, never
    /// after the moment it is decided.
    ///
    /// ```
    /// # use clientele::{*, chrono::{TimeDelta, TimeZone, Utc}};
    /// # let (policy, monday) = (ServicePolicy::default(), Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap());
    /// # let mut ona = Relationship::new(CustomerId::from_u128(1)); ona.execute(&policy, RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?), monday)?;
    /// // A call at 10:00, logged at 11:00: dated when it happened, recorded when logged.
    /// let (call, logged) = (monday + TimeDelta::hours(1), monday + TimeDelta::hours(2));
    /// let hello = RecordInteraction::inbound(InteractionId::from_u128(2), Channel::Phone, Text::new("Hello?")?);
    /// let events = ona.execute_request(&policy, Request::new(hello).occurred_at(call), logged)?;
    /// assert_eq!((events[0].at, events[0].recorded_at()), (call, logged));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub const fn occurred_at(mut self, at: DateTime<Utc>) -> Self {
        self.occurred_at = Some(at);
        self
    }
}
