//! What needs attention: [`Deadline`]s (when to wake up, and why) and [`Flag`]s (the level
//! view a dashboard shows), each naming the customer, the subject and the owner on our side.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::id::{AgentId, ComplaintId, CustomerId, FollowUpId, InteractionId, PromiseId, TeamId};

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

/// What an update cadence ("keep the customer informed") is about: an open complaint or an
/// outstanding promise. The customer may go only so long without hearing from us about it
/// (see [`UpdatePolicy`](crate::policy::UpdatePolicy)).
///
/// On the wire, `{"subject":"complaint","id":"…"}`; in a binary snapshot, tagged outside (a
/// format that does not describe itself cannot read a tag inside).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(
    feature = "schema",
    serde(tag = "subject", content = "id", rename_all = "snake_case")
)]
pub enum Regarding {
    /// A complaint.
    Complaint(ComplaintId),
    /// A promise.
    Promise(PromiseId),
}

/// [`Regarding`] as people read it (and the wire carries it).
#[derive(Serialize, Deserialize)]
#[serde(tag = "subject", content = "id", rename_all = "snake_case")]
enum RegardingText {
    Complaint(ComplaintId),
    Promise(PromiseId),
}

/// [`Regarding`] in a binary snapshot.
#[derive(Serialize, Deserialize)]
enum RegardingBinary {
    Complaint(ComplaintId),
    Promise(PromiseId),
}

impl Serialize for Regarding {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match (*self, s.is_human_readable()) {
            (Regarding::Complaint(id), true) => RegardingText::Complaint(id).serialize(s),
            (Regarding::Promise(id), true) => RegardingText::Promise(id).serialize(s),
            (Regarding::Complaint(id), false) => RegardingBinary::Complaint(id).serialize(s),
            (Regarding::Promise(id), false) => RegardingBinary::Promise(id).serialize(s),
        }
    }
}

impl<'de> Deserialize<'de> for Regarding {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(if d.is_human_readable() {
            match RegardingText::deserialize(d)? {
                RegardingText::Complaint(id) => Regarding::Complaint(id),
                RegardingText::Promise(id) => Regarding::Promise(id),
            }
        } else {
            match RegardingBinary::deserialize(d)? {
                RegardingBinary::Complaint(id) => Regarding::Complaint(id),
                RegardingBinary::Promise(id) => Regarding::Promise(id),
            }
        })
    }
}

impl Regarding {
    /// The subject a deadline or flag about it names.
    ///
    /// ```
    /// use clientele::{ComplaintId, Subject};
    /// use clientele::flag::Regarding;
    ///
    /// let late = ComplaintId::from_u128(3);
    /// assert_eq!(Regarding::Complaint(late).subject(), Subject::Complaint(late));
    /// ```
    #[must_use]
    pub const fn subject(self) -> Subject {
        match self {
            Regarding::Complaint(id) => Subject::Complaint(id),
            Regarding::Promise(id) => Subject::Promise(id),
        }
    }
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
    /// The expected date of an outside party a complaint waits on passes.
    PartyDue,
    /// A follow-up's due instant passes.
    FollowUpDue,
    /// The warning lead before the customer is due an update about a complaint or a promise.
    UpdateWarning,
    /// The customer has gone as long without hearing from us as the update cadence allows.
    UpdateDue,
    /// The customer goes quiet (`relationship_gone_quiet`), or the relationship's health band
    /// moves into or out of "at risk" with no new fact (a fact leaving the window, decay, a
    /// customer gone quiet): last at an instant, after the families' clocks.
    HealthReview,
}

/// One moment, one name: each deadline kind, the event kind it records when it fires (its
/// `type` on the wire, a row of [`Event::KINDS`](crate::Event::KINDS)) and the flag it raises.
///
/// | Deadline kind | Event recorded | Flag raised |
/// |---|---|---|
/// | `ResponseWarning` | `response_at_risk` | `ResponseAtRisk` |
/// | `ResponseDue` | `response_overdue` | `ResponseOverdue` |
/// | `DependencyDue` | `dependency_late` | `DependencyLate` |
/// | `PromiseWarning` | `promise_at_risk` | `PromiseAtRisk` |
/// | `PromiseDue` | `promise_broken` | `PromiseBroken` |
/// | `AcknowledgementWarning`, `ResolutionWarning` | `complaint_clock_at_risk` | `ComplaintClockAtRisk` |
/// | `AcknowledgementDue`, `ResolutionDue` | `complaint_clock_breached` | `ComplaintClockBreached` |
/// | `EscalationThreshold` | `escalation_due` | `EscalationDue` |
/// | `PartyDue` | `complaint_party_late` | `PartyLate` |
/// | `FollowUpDue` | `follow_up_overdue` | `FollowUpOverdue` |
/// | `UpdateWarning` | `update_at_risk` | `UpdateAtRisk` |
/// | `UpdateDue` | `update_overdue` | `UpdateOverdue` |
/// | `HealthReview` | `relationship_at_risk` or `relationship_recovered` | `RelationshipAtRisk` (raised, or lifted) |
///
/// The event comes first among what the firing records; reactions may follow it (a broken
/// promise may record `promise_slipped_repeatedly` and escalate its complaint).
///
/// ```
/// use clientele::{DeadlineKind, FlagKind};
///
/// assert_eq!(DeadlineKind::ResponseWarning.event_kinds(), ["response_at_risk"]);
/// assert_eq!(DeadlineKind::ResponseDue.flag_kind(), FlagKind::ResponseOverdue);
/// ```
impl DeadlineKind {
    /// Every kind, in firing order (the order of the enum).
    pub const ALL: [DeadlineKind; 15] = [
        DeadlineKind::ResponseWarning,
        DeadlineKind::ResponseDue,
        DeadlineKind::DependencyDue,
        DeadlineKind::PromiseWarning,
        DeadlineKind::PromiseDue,
        DeadlineKind::AcknowledgementWarning,
        DeadlineKind::AcknowledgementDue,
        DeadlineKind::ResolutionWarning,
        DeadlineKind::ResolutionDue,
        DeadlineKind::EscalationThreshold,
        DeadlineKind::PartyDue,
        DeadlineKind::FollowUpDue,
        DeadlineKind::UpdateWarning,
        DeadlineKind::UpdateDue,
        DeadlineKind::HealthReview,
    ];

    /// The kinds of event (their `type` on the wire) the deadline records when it fires: one,
    /// but for [`HealthReview`](Self::HealthReview), whose event says which way the band
    /// moved. See the table above.
    ///
    /// ```
    /// use clientele::{DeadlineKind, Event};
    ///
    /// for kind in DeadlineKind::ALL {
    ///     assert!(kind.event_kinds().iter().all(|name| Event::kind_of(name).is_some()));
    /// }
    /// ```
    #[must_use]
    pub const fn event_kinds(self) -> &'static [&'static str] {
        match self {
            DeadlineKind::ResponseWarning => &["response_at_risk"],
            DeadlineKind::ResponseDue => &["response_overdue"],
            DeadlineKind::DependencyDue => &["dependency_late"],
            DeadlineKind::PromiseWarning => &["promise_at_risk"],
            DeadlineKind::PromiseDue => &["promise_broken"],
            DeadlineKind::AcknowledgementWarning | DeadlineKind::ResolutionWarning => {
                &["complaint_clock_at_risk"]
            }
            DeadlineKind::AcknowledgementDue | DeadlineKind::ResolutionDue => {
                &["complaint_clock_breached"]
            }
            DeadlineKind::EscalationThreshold => &["escalation_due"],
            DeadlineKind::PartyDue => &["complaint_party_late"],
            DeadlineKind::FollowUpDue => &["follow_up_overdue"],
            DeadlineKind::UpdateWarning => &["update_at_risk"],
            DeadlineKind::UpdateDue => &["update_overdue"],
            DeadlineKind::HealthReview => &["relationship_at_risk", "relationship_recovered"],
        }
    }

    /// The flag that stands once the deadline has passed (a [`HealthReview`](Self::HealthReview)
    /// raises or lifts [`RelationshipAtRisk`](FlagKind::RelationshipAtRisk)). See the table
    /// above.
    ///
    /// ```
    /// use clientele::{DeadlineKind, FlagKind};
    ///
    /// assert_eq!(DeadlineKind::PromiseDue.flag_kind(), FlagKind::PromiseBroken);
    /// ```
    #[must_use]
    pub const fn flag_kind(self) -> FlagKind {
        match self {
            DeadlineKind::ResponseWarning => FlagKind::ResponseAtRisk,
            DeadlineKind::ResponseDue => FlagKind::ResponseOverdue,
            DeadlineKind::DependencyDue => FlagKind::DependencyLate,
            DeadlineKind::PromiseWarning => FlagKind::PromiseAtRisk,
            DeadlineKind::PromiseDue => FlagKind::PromiseBroken,
            DeadlineKind::AcknowledgementWarning | DeadlineKind::ResolutionWarning => {
                FlagKind::ComplaintClockAtRisk
            }
            DeadlineKind::AcknowledgementDue | DeadlineKind::ResolutionDue => {
                FlagKind::ComplaintClockBreached
            }
            DeadlineKind::EscalationThreshold => FlagKind::EscalationDue,
            DeadlineKind::PartyDue => FlagKind::PartyLate,
            DeadlineKind::FollowUpDue => FlagKind::FollowUpOverdue,
            DeadlineKind::UpdateWarning => FlagKind::UpdateAtRisk,
            DeadlineKind::UpdateDue => FlagKind::UpdateOverdue,
            DeadlineKind::HealthReview => FlagKind::RelationshipAtRisk,
        }
    }
}

/// The response clock's timers.
///
/// `#[non_exhaustive]`, like [`Timer`]: later releases add clocks.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ResponseTimer {
    /// The warning lead before the response deadline.
    Warning,
    /// The response deadline.
    Due,
}

/// A promise's timers, in the order they fire when they fall due together (the outside
/// party's commitment first, so the promise is at risk before it breaks).
///
/// `#[non_exhaustive]`, like [`Timer`]: later releases add clocks.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PromiseTimer {
    /// The outside party's own commitment behind the promise.
    Dependency,
    /// The at-risk lead before the due instant.
    Warning,
    /// The due instant told to the customer.
    Due,
}

/// A complaint's timers.
///
/// `#[non_exhaustive]`, like [`Timer`]: later releases add clocks.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ComplaintTimer {
    /// The warning lead before the acknowledgement target.
    AcknowledgementWarning,
    /// The acknowledgement target.
    AcknowledgementDue,
    /// The warning lead before the resolution target.
    ResolutionWarning,
    /// The resolution target.
    ResolutionDue,
    /// The time a complaint may stay at its support level.
    EscalationThreshold,
    /// The expected date of the outside party the complaint waits on.
    PartyDue,
}

/// An update cadence's timers ("keep the customer informed").
///
/// `#[non_exhaustive]`, like [`Timer`]: later releases add clocks.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UpdateTimer {
    /// The warning lead before the update is due.
    Warning,
    /// The update is due.
    Due,
}

/// Which family's clock falls due, and which of its timers: a closed table, one arm per
/// family (as quinn-proto keeps its connection timers), so a deadline cannot name a promise
/// with a complaint's timer.
///
/// `#[non_exhaustive]`: later releases add clocks; match with a `_` arm.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "family", rename_all = "snake_case")]
pub enum Timer {
    /// The response clock of the customer waiting since an inbound interaction.
    Response {
        /// The inbound interaction waiting.
        since: InteractionId,
        /// Which timer.
        timer: ResponseTimer,
    },
    /// A promise's clock.
    Promise {
        /// The promise.
        promise: PromiseId,
        /// Which timer.
        timer: PromiseTimer,
    },
    /// A complaint's clocks.
    Complaint {
        /// The complaint.
        complaint: ComplaintId,
        /// Which timer.
        timer: ComplaintTimer,
    },
    /// A follow-up's due instant.
    FollowUp {
        /// The follow-up.
        follow_up: FollowUpId,
    },
    /// The update cadence of an open complaint or an outstanding promise: how long the
    /// customer may go without hearing from us about it.
    Update {
        /// The complaint or promise.
        about: Regarding,
        /// Which timer.
        timer: UpdateTimer,
    },
    /// The relationship's health band changes (see [`crate::health`]).
    Health,
}

impl Timer {
    /// The flat view: why the deadline wakes the service.
    ///
    /// ```
    /// use clientele::{DeadlineKind, PromiseId};
    /// use clientele::flag::{PromiseTimer, Timer};
    ///
    /// let timer = Timer::Promise { promise: PromiseId::from_u128(5), timer: PromiseTimer::Due };
    /// assert_eq!(timer.kind(), DeadlineKind::PromiseDue);
    /// assert_eq!(Timer::Health.kind(), DeadlineKind::HealthReview);
    /// ```
    #[must_use]
    pub const fn kind(&self) -> DeadlineKind {
        match self {
            Timer::Response { timer, .. } => match timer {
                ResponseTimer::Warning => DeadlineKind::ResponseWarning,
                ResponseTimer::Due => DeadlineKind::ResponseDue,
            },
            Timer::Promise { timer, .. } => match timer {
                PromiseTimer::Warning => DeadlineKind::PromiseWarning,
                PromiseTimer::Due => DeadlineKind::PromiseDue,
                PromiseTimer::Dependency => DeadlineKind::DependencyDue,
            },
            Timer::Complaint { timer, .. } => match timer {
                ComplaintTimer::AcknowledgementWarning => DeadlineKind::AcknowledgementWarning,
                ComplaintTimer::AcknowledgementDue => DeadlineKind::AcknowledgementDue,
                ComplaintTimer::ResolutionWarning => DeadlineKind::ResolutionWarning,
                ComplaintTimer::ResolutionDue => DeadlineKind::ResolutionDue,
                ComplaintTimer::EscalationThreshold => DeadlineKind::EscalationThreshold,
                ComplaintTimer::PartyDue => DeadlineKind::PartyDue,
            },
            Timer::FollowUp { .. } => DeadlineKind::FollowUpDue,
            Timer::Update { timer, .. } => match timer {
                UpdateTimer::Warning => DeadlineKind::UpdateWarning,
                UpdateTimer::Due => DeadlineKind::UpdateDue,
            },
            Timer::Health => DeadlineKind::HealthReview,
        }
    }

    /// What the timer is about.
    ///
    /// ```
    /// use clientele::{FollowUpId, Subject};
    /// use clientele::flag::Timer;
    ///
    /// let call_back = FollowUpId::from_u128(4);
    /// assert_eq!(Timer::FollowUp { follow_up: call_back }.subject(), Subject::FollowUp(call_back));
    /// assert_eq!(Timer::Health.subject(), Subject::Relationship);
    /// ```
    #[must_use]
    pub const fn subject(&self) -> Subject {
        match self {
            Timer::Response { since, .. } => Subject::Response(*since),
            Timer::Promise { promise, .. } => Subject::Promise(*promise),
            Timer::Complaint { complaint, .. } => Subject::Complaint(*complaint),
            Timer::FollowUp { follow_up } => Subject::FollowUp(*follow_up),
            Timer::Update { about, .. } => about.subject(),
            Timer::Health => Subject::Relationship,
        }
    }
}

/// The next moment something becomes due: call `advance_to(at)` then.
///
/// Deadlines order by instant, then customer, then [`kind`](Self::kind), then
/// [`subject`](Self::subject): the order in which deadlines falling due together fire.
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use clientele::{Channel, CustomerId, DeadlineKind, InteractionId, RecordInteraction,
///     RegisterCustomer, Relationship, ServicePolicy, Text, Tier};
/// use clientele::flag::{ResponseTimer, Timer};
///
/// let policy = ServicePolicy::default();
/// let mut ona = Relationship::new(CustomerId::from_u128(1));
/// let monday = Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap();
/// ona.execute(&policy, RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?), monday)?;
/// let asked = InteractionId::from_u128(10);
/// ona.execute(&policy, RecordInteraction::inbound(asked, Channel::Email, Text::new("Hello?")?), monday)?;
/// let deadline = ona.next_deadline().expect("the customer is waiting");
/// assert_eq!(deadline.timer, Timer::Response { since: asked, timer: ResponseTimer::Warning });
/// assert_eq!(deadline.kind(), DeadlineKind::ResponseWarning);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(into = "DeadlineWire", try_from = "DeadlineWire")]
pub struct Deadline {
    /// When.
    pub at: DateTime<Utc>,
    /// Whose.
    pub customer: CustomerId,
    /// Which family's clock, and which of its timers.
    pub timer: Timer,
}

impl Deadline {
    /// Why: the flat view of [`timer`](Self::timer).
    ///
    /// ```
    /// # use clientele::{*, chrono::{TimeDelta, TimeZone, Utc}};
    /// # let (policy, monday) = (ServicePolicy::default(), Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap());
    /// # let mut ona = Relationship::new(CustomerId::from_u128(1)); ona.execute(&policy, RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?), monday)?;
    /// let glasses = PromiseId::from_u128(5);
    /// let make = MakePromise::new(glasses, Text::new("Glasses ready")?, monday + TimeDelta::days(5), AgentId::from_u128(7));
    /// ona.execute(&policy, make, monday)?;
    /// let deadline = ona.next_deadline().ok_or("a promise is open")?;
    /// assert_eq!(deadline.kind(), DeadlineKind::PromiseWarning); // at 80 % of the promised span
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub const fn kind(&self) -> DeadlineKind {
        self.timer.kind()
    }

    /// About what.
    ///
    /// ```
    /// # use clientele::{*, chrono::{TimeDelta, TimeZone, Utc}};
    /// # let (policy, monday) = (ServicePolicy::default(), Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap());
    /// # let mut ona = Relationship::new(CustomerId::from_u128(1)); ona.execute(&policy, RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?), monday)?;
    /// let glasses = PromiseId::from_u128(5);
    /// let make = MakePromise::new(glasses, Text::new("Glasses ready")?, monday + TimeDelta::days(5), AgentId::from_u128(7));
    /// ona.execute(&policy, make, monday)?;
    /// assert_eq!(ona.next_deadline().map(|d| d.subject()), Some(Subject::Promise(glasses)));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub const fn subject(&self) -> Subject {
        self.timer.subject()
    }
}

/// A deadline's JSON form, flat as 0.1 wrote it (`kind` and `subject`), so a service that
/// stores deadlines (a job queue) reads them across the upgrade.
#[derive(Serialize, Deserialize)]
struct DeadlineWire {
    at: DateTime<Utc>,
    customer: CustomerId,
    kind: DeadlineKind,
    subject: Subject,
}

impl From<Deadline> for DeadlineWire {
    fn from(deadline: Deadline) -> Self {
        DeadlineWire {
            at: deadline.at,
            customer: deadline.customer,
            kind: deadline.kind(),
            subject: deadline.subject(),
        }
    }
}

impl TryFrom<DeadlineWire> for Deadline {
    type Error = String;

    fn try_from(wire: DeadlineWire) -> Result<Self, Self::Error> {
        use DeadlineKind as K;
        let update = |about, kind| Timer::Update {
            about,
            timer: if kind == K::UpdateWarning {
                UpdateTimer::Warning
            } else {
                UpdateTimer::Due
            },
        };
        let timer = match (wire.kind, wire.subject) {
            (K::ResponseWarning, Subject::Response(since)) => Timer::Response {
                since,
                timer: ResponseTimer::Warning,
            },
            (K::ResponseDue, Subject::Response(since)) => Timer::Response {
                since,
                timer: ResponseTimer::Due,
            },
            (K::DependencyDue | K::PromiseWarning | K::PromiseDue, Subject::Promise(promise)) => {
                let timer = match wire.kind {
                    K::DependencyDue => PromiseTimer::Dependency,
                    K::PromiseWarning => PromiseTimer::Warning,
                    _ => PromiseTimer::Due,
                };
                Timer::Promise { promise, timer }
            }
            (
                K::AcknowledgementWarning
                | K::AcknowledgementDue
                | K::ResolutionWarning
                | K::ResolutionDue
                | K::EscalationThreshold
                | K::PartyDue,
                Subject::Complaint(complaint),
            ) => {
                let timer = match wire.kind {
                    K::AcknowledgementWarning => ComplaintTimer::AcknowledgementWarning,
                    K::AcknowledgementDue => ComplaintTimer::AcknowledgementDue,
                    K::ResolutionWarning => ComplaintTimer::ResolutionWarning,
                    K::ResolutionDue => ComplaintTimer::ResolutionDue,
                    K::PartyDue => ComplaintTimer::PartyDue,
                    _ => ComplaintTimer::EscalationThreshold,
                };
                Timer::Complaint { complaint, timer }
            }
            (K::FollowUpDue, Subject::FollowUp(follow_up)) => Timer::FollowUp { follow_up },
            (K::UpdateWarning | K::UpdateDue, Subject::Complaint(complaint)) => {
                update(Regarding::Complaint(complaint), wire.kind)
            }
            (K::UpdateWarning | K::UpdateDue, Subject::Promise(promise)) => {
                update(Regarding::Promise(promise), wire.kind)
            }
            (K::HealthReview, Subject::Relationship) => Timer::Health,
            (kind, subject) => {
                return Err(format!("a {kind:?} deadline cannot be about {subject:?}"));
            }
        };
        Ok(Deadline {
            at: wire.at,
            customer: wire.customer,
            timer,
        })
    }
}

impl PartialOrd for Deadline {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Deadline {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        (self.at, self.customer, self.kind(), self.subject()).cmp(&(
            other.at,
            other.customer,
            other.kind(),
            other.subject(),
        ))
    }
}

/// What a flag says.
///
/// `#[non_exhaustive]`: later releases add flags (a clock with no target, ...); a dashboard should show an unknown kind rather than fail to build, so
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
    /// The expected date of an outside party an open complaint waits on passed: raised for
    /// our owner of the complaint (never the party) from that date until the wait ends or the
    /// party gives a new date.
    PartyLate,
    /// A complaint has not been acknowledged.
    ComplaintUnacknowledged,
    /// A complaint's acknowledgement or resolution target is near: its warning is due, or was
    /// raised before a pause or a reopen and the clock runs on (since it ran again).
    ComplaintClockAtRisk,
    /// A complaint's acknowledgement or resolution target has passed.
    ComplaintClockBreached,
    /// Escalation is due and nobody has escalated.
    EscalationDue,
    /// A complaint was reopened and no escalation is due for it: at the top of the support
    /// ladder, where there is nowhere to escalate, or before the reopen the policy escalates
    /// from (`ComplaintPolicy::escalate_from_reopen`). Its owner should take it up. It stands
    /// until the complaint is resolved again.
    ReopenedAtTop,
    /// A follow-up is overdue.
    FollowUpOverdue,
    /// The relationship is at risk (its health is in the at-risk band).
    RelationshipAtRisk,
    /// The customer has gone quiet after a bad experience (see
    /// [`QuietPolicy`](crate::health::QuietPolicy)): raised for the account owner from the
    /// instant their silence became long enough, until they write again.
    GoneQuiet,
    /// A clock (a response clock, a complaint's target, a follow-up) runs with no target: its
    /// deadline could not be computed ([`NoTarget`](crate::outcome::NoTarget)), so it never
    /// falls due. Raised for the clock's owner since the clock started without a target, until
    /// it stops.
    NoTarget,
    /// The customer is due an update about an open complaint or an outstanding promise soon
    /// (the update cadence's warning lead is reached).
    UpdateAtRisk,
    /// The customer has gone longer without hearing from us about an open complaint or an
    /// outstanding promise than the update cadence allows.
    UpdateOverdue,
}

/// Who on our side a flag or a work list is for: one agent, or a team's queue. Small and
/// `Copy`, so a work-list index can key on it.
///
/// ```
/// use clientele::flag::Owner;
/// use clientele::{AgentId, TeamId};
///
/// let desk = Owner::Team(TeamId::from_u128(7));
/// assert_ne!(desk, Owner::Agent(AgentId::from_u128(7)));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(tag = "owner", content = "id", rename_all = "snake_case")]
pub enum Owner {
    /// One of our agents.
    Agent(AgentId),
    /// A team (a queue).
    Team(TeamId),
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
    /// The team whose queue the subject is in, if any: a complaint routed to a team (see
    /// [`RouteComplaint`](crate::complaint::RouteComplaint)), whether or not an agent has
    /// taken it. Absent from the JSON when none, so a flag is written as before.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team: Option<TeamId>,
    /// Since when it has been true.
    pub since: DateTime<Utc>,
    /// The deadline concerned, if any.
    pub due: Option<DateTime<Utc>>,
}

impl Flag {
    /// Whether the flag is on `owner`'s work list: an agent's when the agent is its
    /// [`owner`](Self::owner); a team's when the subject is in the team's queue
    /// ([`team`](Self::team)), whoever among its agents took it.
    ///
    /// ```
    /// # use clientele::{*, chrono::{TimeDelta, TimeZone, Utc}};
    /// use clientele::flag::Owner;
    /// # let (policy, monday) = (ServicePolicy::default(), Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap());
    /// # let mut ona = Relationship::new(CustomerId::from_u128(1));
    ///
    /// let jonas = AgentId::from_u128(7);
    /// ona.execute(&policy, RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?).owned_by(jonas), monday)?;
    /// let hello = RecordInteraction::inbound(InteractionId::from_u128(2), Channel::Email, Text::new("Hello?")?);
    /// ona.execute(&policy, hello, monday)?;
    /// let flags = ona.flags(monday + TimeDelta::hours(9)); // the answer is overdue
    /// assert!(flags[0].is_for(Owner::Agent(jonas))); // the account owner's
    /// assert!(!flags[0].is_for(Owner::Agent(AgentId::from_u128(8))));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn is_for(&self, owner: Owner) -> bool {
        match owner {
            Owner::Agent(agent) => self.owner == Some(agent),
            Owner::Team(team) => self.team == Some(team),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A family's own deadline picks the earliest `(instant, timer)`; deadlines across
    /// families order by `(instant, kind)`. The two orders must agree, or timers falling due
    /// together would fire in another order than the relationship's next deadline names.
    #[test]
    fn a_deadline_is_written_flat_as_before_and_reads_back() -> Result<(), serde_json::Error> {
        let deadline = Deadline {
            at: DateTime::UNIX_EPOCH,
            customer: CustomerId::from_u128(1),
            timer: Timer::Promise {
                promise: PromiseId::from_u128(2),
                timer: PromiseTimer::Dependency,
            },
        };
        let json = serde_json::to_string(&deadline)?;
        assert_eq!(
            json,
            r#"{"at":"1970-01-01T00:00:00Z","customer":"00000000-0000-0000-0000-000000000001","kind":"dependency_due","subject":{"subject":"promise","id":"00000000-0000-0000-0000-000000000002"}}"#
        );
        assert_eq!(serde_json::from_str::<Deadline>(&json)?, deadline);
        let mismatched = json.replace("dependency_due", "follow_up_due");
        assert!(serde_json::from_str::<Deadline>(&mismatched).is_err());
        Ok(())
    }

    /// `DeadlineKind::ALL` holds every kind once, in the enum's order: the match below is
    /// exhaustive, so a new kind fails to build here until it joins the list.
    #[test]
    fn all_deadline_kinds_are_listed_in_order() {
        let place = |kind: DeadlineKind| match kind {
            DeadlineKind::ResponseWarning => 0,
            DeadlineKind::ResponseDue => 1,
            DeadlineKind::DependencyDue => 2,
            DeadlineKind::PromiseWarning => 3,
            DeadlineKind::PromiseDue => 4,
            DeadlineKind::AcknowledgementWarning => 5,
            DeadlineKind::AcknowledgementDue => 6,
            DeadlineKind::ResolutionWarning => 7,
            DeadlineKind::ResolutionDue => 8,
            DeadlineKind::EscalationThreshold => 9,
            DeadlineKind::PartyDue => 10,
            DeadlineKind::FollowUpDue => 11,
            DeadlineKind::UpdateWarning => 12,
            DeadlineKind::UpdateDue => 13,
            DeadlineKind::HealthReview => 14,
        };
        for (n, kind) in DeadlineKind::ALL.into_iter().enumerate() {
            assert_eq!(place(kind), n, "{kind:?}");
        }
        assert!(DeadlineKind::ALL.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn timers_order_as_their_kinds() {
        let promise = PromiseId::from_u128(1);
        let complaint = ComplaintId::from_u128(2);
        let since = InteractionId::from_u128(3);
        let about = Regarding::Promise(promise);
        let families: [Vec<Timer>; 4] = [
            [UpdateTimer::Warning, UpdateTimer::Due]
                .map(|timer| Timer::Update { about, timer })
                .to_vec(),
            [ResponseTimer::Warning, ResponseTimer::Due]
                .map(|timer| Timer::Response { since, timer })
                .to_vec(),
            [
                PromiseTimer::Dependency,
                PromiseTimer::Warning,
                PromiseTimer::Due,
            ]
            .map(|timer| Timer::Promise { promise, timer })
            .to_vec(),
            [
                ComplaintTimer::AcknowledgementWarning,
                ComplaintTimer::AcknowledgementDue,
                ComplaintTimer::ResolutionWarning,
                ComplaintTimer::ResolutionDue,
                ComplaintTimer::EscalationThreshold,
                ComplaintTimer::PartyDue,
            ]
            .map(|timer| Timer::Complaint { complaint, timer })
            .to_vec(),
        ];
        let inner = |t: &Timer| match *t {
            Timer::Response { timer, .. } => timer as u8,
            Timer::Promise { timer, .. } => timer as u8,
            Timer::Complaint { timer, .. } => timer as u8,
            Timer::FollowUp { .. } | Timer::Health => 0,
            Timer::Update { timer, .. } => timer as u8,
        };
        for timers in &families {
            for a in timers {
                for b in timers {
                    assert_eq!(
                        inner(a).cmp(&inner(b)),
                        a.kind().cmp(&b.kind()),
                        "{a:?} {b:?}"
                    );
                }
            }
        }
    }
}
