//! What needs attention: [`Deadline`]s (when to wake up, and why) and [`Flag`]s (the level
//! view a dashboard shows), each naming the customer, the subject and the owner on our side.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::{AgentId, ComplaintId, CustomerId, FollowUpId, InteractionId, PromiseId};

/// What a deadline or flag is about.
///
/// `#[non_exhaustive]`: a new family brings a new subject; match with a `_` arm.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(tag = "subject", content = "id", rename_all = "snake_case")]
pub enum Subject {
    /// The customer waiting for an answer since this inbound interaction.
    Response(InteractionId),
    /// A promise.
    Promise(PromiseId),
    /// A complaint.
    Complaint(ComplaintId),
    /// A follow-up.
    FollowUp(FollowUpId),
    /// The relationship as a whole.
    Relationship,
}

/// Why a deadline wakes the service: the flat view of the timer that falls due.
///
/// `#[non_exhaustive]`: later releases add timers (the issues after 0.2.0 add clocks to most
/// families); a service typically shows or logs the kind, and should match with a `_` arm.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeadlineKind {
    /// The response warning lead is reached.
    ResponseWarning,
    /// The response deadline passes.
    ResponseDue,
    /// An outside party's commitment behind a promise falls due.
    DependencyDue,
    /// A promise's at-risk lead is reached.
    PromiseWarning,
    /// A promise's due instant passes.
    PromiseDue,
    /// A complaint's acknowledgement warning lead is reached.
    AcknowledgementWarning,
    /// A complaint's acknowledgement target passes.
    AcknowledgementDue,
    /// A complaint's resolution warning lead is reached.
    ResolutionWarning,
    /// A complaint's resolution target passes.
    ResolutionDue,
    /// A complaint has stayed at its support level as long as the level allows.
    EscalationThreshold,
    /// A follow-up's due instant passes.
    FollowUpDue,
}

/// The next moment something becomes due: call `advance_to(at)` then.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Deadline {
    /// When.
    pub at: DateTime<Utc>,
    /// Whose.
    pub customer: CustomerId,
    /// Why.
    pub kind: DeadlineKind,
    /// About what.
    pub subject: Subject,
}

/// What a flag says.
///
/// `#[non_exhaustive]`: later releases add flags (a clock with no target, a reopen at the top
/// of the ladder, ...); a dashboard should show an unknown kind rather than fail to build, so
/// match with a `_` arm.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FlagKind {
    /// The customer is waiting and the response deadline is near.
    ResponseAtRisk,
    /// The customer is waiting past the response deadline.
    ResponseOverdue,
    /// An open promise is at risk: tell the customer before it breaks.
    PromiseAtRisk,
    /// A promise broke and has been neither re-promised nor kept.
    PromiseBroken,
    /// A promise has slipped as often as the policy tolerates and is still outstanding.
    RepeatedSlips,
    /// An outside party's commitment behind an outstanding promise is late.
    DependencyLate,
    /// A complaint has not been acknowledged.
    ComplaintUnacknowledged,
    /// A complaint's acknowledgement or resolution target is near.
    ComplaintClockAtRisk,
    /// A complaint's acknowledgement or resolution target has passed.
    ComplaintClockBreached,
    /// Escalation is due and nobody has escalated.
    EscalationDue,
    /// A follow-up is overdue.
    FollowUpOverdue,
    /// The relationship is at risk (its health is in the at-risk band).
    RelationshipAtRisk,
}

/// Something that needs attention now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Flag {
    /// What it says.
    pub kind: FlagKind,
    /// Whose relationship.
    pub customer: CustomerId,
    /// About what.
    pub subject: Subject,
    /// Who on our side should act: the promise's owner, or the account owner for response
    /// clocks, if known.
    pub owner: Option<AgentId>,
    /// Since when it has been true.
    pub since: DateTime<Utc>,
    /// The deadline concerned, if any.
    pub due: Option<DateTime<Utc>>,
}
