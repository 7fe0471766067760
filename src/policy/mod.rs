//! The service's policy: targets by priority and tier, warning leads, thresholds.
//!
//! A [`ServicePolicy`] is a plain value the service supplies; nothing in it is hard-coded in the
//! engine. Decisions record what they computed from it (the target, the due instant), so a
//! later change of policy never rewrites history.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::calendar::{CalendarError, ServiceCalendar};
use crate::id::{AgentId, PartyId, TeamId};
use crate::outcome::NoTarget;
use crate::value::{Priority, Span, Text, ValueError};

mod targets;

pub use targets::{ByPriority, CalendarRule, Situation, Targets};

/// A whole-number percentage, 0 to 100.
///
/// ```
/// use clientele::policy::Percent;
///
/// assert_eq!(Percent::new(20)?.get(), 20);
/// assert!(Percent::new(101).is_err());
/// # Ok::<(), clientele::ValueError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub struct Percent(u8);

impl Percent {
    /// Validates a percentage.
    ///
    /// # Errors
    /// [`ValueError::OutOfRange`] above 100.
    ///
    /// ```
    /// use clientele::policy::Percent;
    ///
    /// let twenty = Percent::new(20)?;
    /// assert_eq!(u8::from(twenty), 20);
    /// assert!(Percent::new(101).is_err());
    /// # Ok::<(), clientele::ValueError>(())
    /// ```
    pub const fn new(value: u8) -> Result<Self, ValueError> {
        if value > 100 {
            return Err(ValueError::OutOfRange {
                what: "percent",
                value: value as i64,
                min: 0,
                max: 100,
            });
        }
        Ok(Percent(value))
    }

    /// The percentage.
    ///
    /// ```
    /// use clientele::policy::Percent;
    ///
    /// assert_eq!(Percent::new(80)?.get(), 80);
    /// # Ok::<(), clientele::ValueError>(())
    /// ```
    #[must_use]
    pub const fn get(self) -> u8 {
        self.0
    }

    /// `share` percent of `span`, rounded down to the second.
    ///
    /// ```
    /// use clientele::Span;
    /// use clientele::policy::Percent;
    ///
    /// assert_eq!(Percent::new(20)?.of(Span::hours(8)), Span::minutes(96));
    /// assert_eq!(Percent::new(50)?.of(Span::seconds(3)), Span::seconds(1)); // rounded down
    /// # Ok::<(), clientele::ValueError>(())
    /// ```
    #[must_use]
    pub const fn of(self, span: Span) -> Span {
        // span <= Span::MAX (6.3e9 s), times 100 fits an i64 comfortably.
        match Span::try_from_secs(span.as_secs() * self.0 as i64 / 100) {
            Ok(part) => part,
            Err(_) => Span::ZERO,
        }
    }
}

impl TryFrom<u8> for Percent {
    type Error = ValueError;
    fn try_from(value: u8) -> Result<Self, Self::Error> {
        Self::new(value)
    }
}

impl From<Percent> for u8 {
    fn from(value: Percent) -> Self {
        value.0
    }
}

/// How long before a deadline a warning is raised.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Lead {
    /// A fixed time before the deadline.
    Before(Span),
    /// A share of the whole target before the deadline (20 % of an 8-hour target: 96 minutes).
    Share(Percent),
}

impl Lead {
    /// The lead for a target of length `target`.
    ///
    /// ```
    /// use clientele::Span;
    /// use clientele::policy::{Lead, Percent};
    ///
    /// assert_eq!(Lead::Share(Percent::new(20)?).for_target(Span::hours(8)), Span::minutes(96));
    /// assert_eq!(Lead::Before(Span::hours(1)).for_target(Span::hours(8)), Span::hours(1));
    /// # Ok::<(), clientele::ValueError>(())
    /// ```
    #[must_use]
    pub const fn for_target(self, target: Span) -> Span {
        match self {
            Lead::Before(span) => span,
            Lead::Share(percent) => percent.of(target),
        }
    }

    /// How far into a target of length `target` the warning falls: `None` when the lead is
    /// zero or covers the whole target (a warning at the very start tells nobody anything).
    ///
    /// ```
    /// use clientele::Span;
    /// use clientele::policy::{Lead, Percent};
    ///
    /// let lead = Lead::Share(Percent::new(20)?);
    /// assert_eq!(lead.warn_after(Span::hours(8)), Some(Span::minutes(384))); // 6 h 24 min in
    /// assert_eq!(Lead::Before(Span::hours(9)).warn_after(Span::hours(8)), None); // would warn at once
    /// # Ok::<(), clientele::ValueError>(())
    /// ```
    #[must_use]
    pub const fn warn_after(self, target: Span) -> Option<Span> {
        let lead = self.for_target(target);
        if lead.is_zero() || lead.as_secs() >= target.as_secs() {
            None
        } else {
            Some(target.saturating_sub(lead))
        }
    }
}

/// Everything the engine needs to know about how the service wants to work.
///
/// `ServicePolicy::default()` is a reasonable starting point: first response and reply within
/// 1 h (urgent), 4 h (high), 8 h (normal), 24 h (low), a warning when 20 % of the target is
/// left, measured on an always-open calendar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServicePolicy {
    /// The calendar targets are measured on, unless a target names another.
    #[serde(default)]
    pub calendar: ServiceCalendar,
    /// Further calendars, by name, for targets that name one (see [`Targets::calendars`]).
    #[serde(default)]
    pub calendars: BTreeMap<String, ServiceCalendar>,
    /// Time to the first response a customer ever gets.
    pub first_response: Targets,
    /// Time to a reply while the customer waits, after the first response.
    pub reply: Targets,
    /// When a response clock warns before its deadline.
    pub response_warning: Lead,
    /// How promises are watched.
    #[serde(default)]
    pub promises: PromisePolicy,
    /// How complaints are handled.
    #[serde(default)]
    pub complaints: ComplaintPolicy,
    /// How relationship health is scored.
    #[serde(default)]
    pub health: crate::health::HealthPolicy,
    /// The update cadence ("keep the customer informed"): how long the customer may go
    /// without hearing from us about an open complaint or an outstanding promise. `None` (the
    /// default, and what a policy written before it reads as) keeps no cadence.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updates: Option<UpdatePolicy>,
    /// Our agents. When not empty, an owner must be one of them
    /// ([`CommandError::UnknownAgent`](crate::error::CommandError::UnknownAgent) otherwise).
    #[serde(default)]
    pub agents: BTreeSet<AgentId>,
    /// Our teams (queues). When not empty, a complaint can be routed only to one of them
    /// ([`CommandError::UnknownTeam`](crate::error::CommandError::UnknownTeam) otherwise).
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub teams: BTreeSet<TeamId>,
    /// The outside parties we work with. When not empty, a party must be one of them
    /// ([`CommandError::UnknownParty`](crate::error::CommandError::UnknownParty) otherwise).
    #[serde(default)]
    pub parties: BTreeSet<PartyId>,
    /// How long a request's idempotency key is honoured after the request was recorded: a
    /// retry with the same key within the window takes effect once, however many other keyed
    /// requests came in between; once the window has passed, the same key is a new request.
    /// [`DEFAULT_IDEMPOTENCY_WINDOW`](Self::DEFAULT_IDEMPOTENCY_WINDOW) (24 hours, as Stripe
    /// keeps its keys) when absent; at most
    /// [`MAX_IDEMPOTENCY_WINDOW`](Self::MAX_IDEMPOTENCY_WINDOW) (7 days), the time a
    /// relationship keeps keys for (see [`Relationship::handled`](crate::Relationship::handled)).
    #[serde(default = "default_idempotency_window")]
    pub idempotency_window: Span,
}

const fn default_idempotency_window() -> Span {
    ServicePolicy::DEFAULT_IDEMPOTENCY_WINDOW
}

/// What a reopen does to a complaint's resolution clock. The choice is recorded in the event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum ReopenMode {
    /// The clock continues where it stopped: the time the complaint was resolved or closed
    /// counts as a pause.
    Continue,
    /// The clock restarts from the reopen with its whole target, in the same cycle.
    Restart,
    /// A new cycle starts, with its own target and its own outcome.
    NewCycle,
}

/// A level of support a complaint can be escalated to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SupportLevel {
    /// Its name ("front line", "specialist", "management").
    pub name: Text,
    /// How long (in business time, pauses excluded) a complaint may stay unresolved at this
    /// level before escalation to the next is due; `None` never raises it.
    pub escalate_after: Option<Span>,
    /// The named calendar the threshold runs on; `None` for the policy's own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub calendar: Option<String>,
}

/// How complaints are handled.
///
/// Defaults: acknowledge within 1 h (urgent) to 8 h (low), resolve within 8 h to 80 h, a
/// warning when 20 % is left; waiting on the customer pauses the resolution and escalation
/// clocks; levels "front line" (escalation due after 8 h), "specialist" (after 24 h) and
/// "management"; a reopen continues the clock; a complaint may be resolved at first touch, without
/// a separate acknowledgement (the resolution ends the acknowledgement target, met or missed); a
/// follow-up is due 24 business hours after a resolution, and a not-satisfied follow-up reopens
/// the complaint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComplaintPolicy {
    /// Time to acknowledge a complaint.
    pub acknowledge: Targets,
    /// Time to resolve a complaint.
    pub resolve: Targets,
    /// When a complaint's clock warns before its deadline.
    pub warning: Lead,
    /// Whether waiting on the customer pauses the resolution and escalation clocks.
    pub pause_while_waiting: bool,
    /// The escalation ladder, lowest first. A complaint starts at the first level.
    pub levels: Vec<SupportLevel>,
    /// What a reopen does to the resolution clock.
    pub reopen: ReopenMode,
    /// From which reopen of a complaint on a reopen makes escalation due (issue 14 item 11):
    /// 1 (the default, as before) escalates at every reopen, 2 from the second (a first
    /// reopen stays with its owner, as Zendesk and Request Tracker leave a reopened ticket
    /// where it was), 0 never. A reopen that makes no escalation due, here or at the top of
    /// the ladder, is flagged for the complaint's owner (`FlagKind::ReopenedAtTop`) until the
    /// complaint is resolved again.
    #[serde(default = "every_reopen")]
    pub escalate_from_reopen: u32,
    /// Whether a complaint may be resolved without having been acknowledged: resolved at first
    /// touch, the moment someone takes it. On by default (issue 14 item 1: 374 tickets of the
    /// Helpdesk log are resolved so; Zendesk, Zammad and GLPI record a ticket solved at once
    /// without a separate first reply): the resolution ends the acknowledgement target, met if
    /// it came by the acknowledgement's due instant, missed otherwise. Off, resolving requires
    /// an explicit acknowledgement first
    /// ([`CommandError::NotAcknowledged`](crate::error::CommandError::NotAcknowledged)).
    pub resolve_unacknowledged: bool,
    /// Business time after a resolution when the follow-up contact is due; `None` schedules
    /// none. When set, every resolution schedules one, under the id the command names
    /// ([`ResolveComplaint::scheduling`](crate::complaint::ResolveComplaint::scheduling)) or,
    /// if it names none, the one derived from the complaint
    /// ([`FollowUpId::after_resolution`](crate::id::FollowUpId::after_resolution)).
    pub follow_up_after: Option<Span>,
    /// The named calendar the follow-up delay runs on; `None` for the policy's own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub follow_up_calendar: Option<String>,
    /// Whether a follow-up that finds the customer not satisfied reopens the complaint.
    pub reopen_when_not_satisfied: bool,
    /// The outside parties whose wait pauses a complaint's resolution and escalation clocks
    /// (issue 14 item 5). Empty by default: waiting on a vendor does not pause our target,
    /// since outsourcing does not relieve us of the customer (seed 002).
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub pausing_parties: BTreeSet<PartyId>,
}

/// [`ComplaintPolicy::escalate_from_reopen`]'s default: every reopen escalates.
const fn every_reopen() -> u32 {
    1
}

impl Default for ComplaintPolicy {
    fn default() -> Self {
        let level = |name: &str, after: Option<Span>| SupportLevel {
            name: Text::new(name).unwrap_or_else(|_| Text::default_name()),
            escalate_after: after,
            calendar: None,
        };
        Self {
            acknowledge: Targets::new(ByPriority {
                low: Span::hours(8),
                normal: Span::hours(4),
                high: Span::hours(2),
                urgent: Span::hours(1),
            }),
            resolve: Targets::new(ByPriority {
                low: Span::hours(80),
                normal: Span::hours(40),
                high: Span::hours(24),
                urgent: Span::hours(8),
            }),
            warning: Lead::Share(Percent(20)),
            pause_while_waiting: true,
            levels: vec![
                level("front line", Some(Span::hours(8))),
                level("specialist", Some(Span::hours(24))),
                level("management", None),
            ],
            reopen: ReopenMode::Continue,
            escalate_from_reopen: every_reopen(),
            resolve_unacknowledged: true,
            follow_up_after: Some(Span::hours(24)),
            follow_up_calendar: None,
            reopen_when_not_satisfied: true,
            pausing_parties: BTreeSet::new(),
        }
    }
}

/// The update cadence: while a complaint is open or a promise outstanding, the customer may go
/// at most `every` (business time, by the complaint's priority and the customer's tier) without
/// hearing from us about it.
///
/// Where it comes from: seed 000 asks to "keep the customer informed so there are no
/// surprises", seed 002 to "tell the customer what you are doing on their behalf"; Request
/// Tracker's SLA calls it `KeepInLoop` (a deadline counted from the last reply to the
/// requester). What arms it, re-arms it, pauses and stops it is in
/// [`crate::response`]'s docs.
///
/// ```
/// use clientele::{ServicePolicy, Span};
/// use clientele::policy::{ByPriority, Targets, UpdatePolicy};
///
/// let mut policy = ServicePolicy::default();
/// policy.updates = Some(UpdatePolicy::new(Targets::new(ByPriority::uniform(Span::hours(48)))));
/// assert!(policy.validate().is_ok());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UpdatePolicy {
    /// How long the customer may go without an update, by priority and tier, on the calendars
    /// the table names. A promise counts at the priority of the complaint it answers, else
    /// [`Priority::Normal`].
    pub every: Targets,
    /// When the cadence warns before the update is due (20 % of the span by default).
    #[serde(default = "default_update_warning")]
    pub warning: Lead,
}

const fn default_update_warning() -> Lead {
    Lead::Share(Percent(20))
}

impl UpdatePolicy {
    /// A cadence of `every`, warning when 20 % of it is left.
    ///
    /// ```
    /// use clientele::{ServicePolicy, Span};
    /// use clientele::policy::{ByPriority, Lead, Percent, Targets, UpdatePolicy};
    ///
    /// let cadence = UpdatePolicy::new(Targets::new(ByPriority::uniform(Span::hours(48))));
    /// assert_eq!(cadence.warning, Lead::Share(Percent::new(20)?));
    /// let mut policy = ServicePolicy::default();
    /// policy.updates = Some(cadence);
    /// assert!(policy.validate().is_ok());
    /// # Ok::<(), clientele::ValueError>(())
    /// ```
    #[must_use]
    pub const fn new(every: Targets) -> Self {
        Self {
            every,
            warning: default_update_warning(),
        }
    }
}

/// How promises are watched.
///
/// The default raises `PromiseAtRisk` when 20 % of the promised span is left, and
/// `PromiseSlippedRepeatedly` at the second slip ("another week, and still nothing").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PromisePolicy {
    /// How long before the due instant a promise is at risk: absolute, or a share of the span
    /// from when it was made (or last revised) to its due instant.
    pub at_risk: Lead,
    /// The number of slips that raises `PromiseSlippedRepeatedly`; 0 never raises it.
    pub repeated_slips: u32,
}

impl Default for PromisePolicy {
    fn default() -> Self {
        Self {
            at_risk: Lead::Share(Percent(20)),
            repeated_slips: 2,
        }
    }
}

impl Default for ServicePolicy {
    fn default() -> Self {
        let row = ByPriority {
            low: Span::hours(24),
            normal: Span::hours(8),
            high: Span::hours(4),
            urgent: Span::hours(1),
        };
        Self {
            calendar: ServiceCalendar::always_open(),
            calendars: BTreeMap::new(),
            first_response: Targets::new(row),
            reply: Targets::new(row),
            response_warning: Lead::Share(Percent(20)),
            promises: PromisePolicy::default(),
            complaints: ComplaintPolicy::default(),
            health: crate::health::HealthPolicy::default(),
            updates: None,
            agents: BTreeSet::new(),
            teams: BTreeSet::new(),
            parties: BTreeSet::new(),
            idempotency_window: Self::DEFAULT_IDEMPOTENCY_WINDOW,
        }
    }
}

impl ServicePolicy {
    /// The idempotency window when the policy names none: 24 hours.
    pub const DEFAULT_IDEMPOTENCY_WINDOW: Span = Span::hours(24);

    /// The longest idempotency window a policy may set, 7 days: a relationship keeps each key
    /// this long after its request (whatever the policy's window), so that replaying a log,
    /// which knows no policy, rebuilds exactly the keys the live relationship held.
    pub const MAX_IDEMPOTENCY_WINDOW: Span = Span::days(7);

    /// Checks `agent` against the roster, if there is one.
    ///
    /// # Errors
    /// [`CommandError::UnknownAgent`](crate::error::CommandError::UnknownAgent).
    ///
    /// ```
    /// use clientele::{AgentId, CommandError, ServicePolicy};
    ///
    /// let mut policy = ServicePolicy::default();
    /// policy.check_agent(AgentId::from_u128(1))?; // no roster: anyone
    /// policy.agents.insert(AgentId::from_u128(1));
    /// policy.check_agent(AgentId::from_u128(1))?;
    /// assert_eq!(policy.check_agent(AgentId::from_u128(2)), Err(CommandError::UnknownAgent(AgentId::from_u128(2))));
    /// # Ok::<(), CommandError>(())
    /// ```
    pub fn check_agent(&self, agent: AgentId) -> Result<(), crate::error::CommandError> {
        if self.agents.is_empty() || self.agents.contains(&agent) {
            Ok(())
        } else {
            Err(crate::error::CommandError::UnknownAgent(agent))
        }
    }

    /// Checks `team` against the roster, if there is one.
    ///
    /// # Errors
    /// [`CommandError::UnknownTeam`](crate::error::CommandError::UnknownTeam).
    ///
    /// ```
    /// use clientele::{ServicePolicy, TeamId};
    ///
    /// let mut policy = ServicePolicy::default();
    /// policy.check_team(TeamId::from_u128(1))?; // no roster: any team
    /// policy.teams.insert(TeamId::from_u128(1));
    /// assert!(policy.check_team(TeamId::from_u128(2)).is_err());
    /// # Ok::<(), clientele::CommandError>(())
    /// ```
    pub fn check_team(&self, team: TeamId) -> Result<(), crate::error::CommandError> {
        if self.teams.is_empty() || self.teams.contains(&team) {
            Ok(())
        } else {
            Err(crate::error::CommandError::UnknownTeam(team))
        }
    }

    /// Checks `party` against the roster, if there is one.
    ///
    /// # Errors
    /// [`CommandError::UnknownParty`](crate::error::CommandError::UnknownParty).
    ///
    /// ```
    /// use clientele::{CommandError, PartyId, ServicePolicy};
    ///
    /// let (lab, courier) = (PartyId::from_u128(1), PartyId::from_u128(2));
    /// let mut policy = ServicePolicy::default();
    /// policy.parties.insert(lab);
    /// policy.check_party(lab)?;
    /// assert_eq!(policy.check_party(courier), Err(CommandError::UnknownParty(courier)));
    /// # Ok::<(), CommandError>(())
    /// ```
    pub fn check_party(&self, party: PartyId) -> Result<(), crate::error::CommandError> {
        if self.parties.is_empty() || self.parties.contains(&party) {
            Ok(())
        } else {
            Err(crate::error::CommandError::UnknownParty(party))
        }
    }

    /// The calendar called `name`, or the policy's own for `None`.
    ///
    /// # Errors
    /// [`CommandError::UnknownCalendar`](crate::error::CommandError::UnknownCalendar) for a name the
    /// policy does not define.
    ///
    /// ```
    /// use clientele::{CommandError, ServiceCalendar, ServicePolicy};
    ///
    /// let mut policy = ServicePolicy::default();
    /// policy.calendars.insert("24/7".into(), ServiceCalendar::always_open());
    /// assert_eq!(policy.calendar(None)?, &policy.calendar); // the policy's own
    /// assert_eq!(policy.calendar(Some("24/7"))?, &ServiceCalendar::always_open());
    /// assert_eq!(policy.calendar(Some("desk")), Err(CommandError::UnknownCalendar("desk".into())));
    /// # Ok::<(), CommandError>(())
    /// ```
    pub fn calendar(
        &self,
        name: Option<&str>,
    ) -> Result<&ServiceCalendar, crate::error::CommandError> {
        match name {
            None => Ok(&self.calendar),
            Some(name) => self
                .calendars
                .get(name)
                .ok_or_else(|| crate::error::CommandError::UnknownCalendar(name.to_owned())),
        }
    }

    /// The instant `target` of business time after `start`, on the calendar called `calendar`
    /// (the policy's own for `None`).
    ///
    /// # Errors
    /// [`CommandError::UnknownCalendar`](crate::error::CommandError::UnknownCalendar), or
    /// [`CommandError::Calendar`](crate::error::CommandError::Calendar) when the calendar cannot
    /// answer (out of range, never open).
    ///
    /// ```
    /// use clientele::chrono::{TimeZone, Utc};
    /// use clientele::calendar::WallTime;
    /// use clientele::{ServiceCalendar, ServicePolicy, Span};
    ///
    /// let mut policy = ServicePolicy::default();
    /// let desk = ServiceCalendar::builder("Europe/Vilnius")?.weekdays(WallTime::hm(9, 0)?, WallTime::hm(17, 0)?).build()?;
    /// policy.calendars.insert("desk".into(), desk);
    /// // Friday 16:00 in Vilnius (14:00 UTC) plus 2 h of business time: Monday 10:00 (08:00 UTC).
    /// let friday = Utc.with_ymd_and_hms(2026, 3, 6, 14, 0, 0).unwrap();
    /// assert_eq!(policy.due(Some("desk"), friday, Span::hours(2))?, Utc.with_ymd_and_hms(2026, 3, 9, 8, 0, 0).unwrap());
    /// assert_eq!(policy.due(None, friday, Span::hours(2))?, Utc.with_ymd_and_hms(2026, 3, 6, 16, 0, 0).unwrap());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn due(
        &self,
        calendar: Option<&str>,
        start: DateTime<Utc>,
        target: Span,
    ) -> Result<DateTime<Utc>, crate::error::CommandError> {
        Ok(self.calendar(calendar)?.add(start, target)?)
    }

    /// The instant `target` of business time after `start` on the calendar called `calendar`,
    /// for a clock that starts or runs again: like [`due`](Self::due), but a calendar that
    /// cannot answer gives the reason the clock has no target instead of an error. A decision
    /// never refuses a fact for want of a deadline (see [`NoTarget`]).
    ///
    /// # Errors
    /// The [`NoTarget`] reason: the calendar is not in the policy, has no working time after
    /// `start`, or cannot represent the deadline.
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use clientele::{ServicePolicy, Span};
    /// use clientele::outcome::NoTarget;
    ///
    /// let policy = ServicePolicy::default();
    /// let start = Utc.with_ymd_and_hms(2026, 6, 19, 9, 0, 0).single().ok_or("time")?;
    /// assert_eq!(policy.target_due(None, start, Span::hours(1))?, start + Span::hours(1).to_time_delta());
    /// assert_eq!(
    ///     policy.target_due(Some("retired"), start, Span::hours(1)),
    ///     Err(NoTarget::UnknownCalendar { name: "retired".into() })
    /// );
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn target_due(
        &self,
        calendar: Option<&str>,
        start: DateTime<Utc>,
        target: Span,
    ) -> Result<DateTime<Utc>, NoTarget> {
        let calendar = self
            .calendar(calendar)
            .map_err(|_| NoTarget::UnknownCalendar {
                name: calendar.unwrap_or_default().to_owned(),
            })?;
        calendar.add(start, target).map_err(|error| match error {
            CalendarError::NoWorkingTime { .. } => NoTarget::NoWorkingTime,
            _ => NoTarget::OutOfRange,
        })
    }

    /// Business time between `a` and `b` on the calendar called `calendar`, or the wall-clock
    /// time when the calendar cannot answer: for measuring what is left of a clock, which
    /// never blocks a fact (see [`elapsed`](Self::elapsed)). Zero if `b` is not later.
    pub(crate) fn business_or_wall(
        &self,
        calendar: Option<&str>,
        a: DateTime<Utc>,
        b: DateTime<Utc>,
    ) -> Span {
        self.business_between(calendar, a, b).unwrap_or_else(|_| {
            if b <= a {
                Span::ZERO
            } else {
                Span::try_from(b.signed_duration_since(a)).unwrap_or(Span::MAX)
            }
        })
    }

    /// Business time between `a` and `b` on the calendar called `calendar` (the policy's own
    /// for `None`).
    ///
    /// # Errors
    /// As [`due`](Self::due).
    ///
    /// ```
    /// use clientele::chrono::{TimeZone, Utc};
    /// use clientele::calendar::WallTime;
    /// use clientele::{ServiceCalendar, ServicePolicy, Span};
    ///
    /// let mut policy = ServicePolicy::default();
    /// let desk = ServiceCalendar::builder("Europe/Vilnius")?.weekdays(WallTime::hm(9, 0)?, WallTime::hm(17, 0)?).build()?;
    /// policy.calendars.insert("desk".into(), desk);
    /// let friday = Utc.with_ymd_and_hms(2026, 3, 6, 14, 0, 0).unwrap(); // 16:00 local
    /// let monday = Utc.with_ymd_and_hms(2026, 3, 9, 8, 0, 0).unwrap(); // 10:00 local
    /// assert_eq!(policy.business_between(Some("desk"), friday, monday)?, Span::hours(2));
    /// assert_eq!(policy.business_between(None, friday, monday)?, Span::hours(66)); // always open
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn business_between(
        &self,
        calendar: Option<&str>,
        a: DateTime<Utc>,
        b: DateTime<Utc>,
    ) -> Result<Span, crate::error::CommandError> {
        Ok(self.calendar(calendar)?.between(a, b)?)
    }

    /// Time from `from` to `to` (zero if `to` is not later), by the wall clock and on the
    /// calendar called `calendar`.
    ///
    /// A measurement never blocks a fact from being recorded: if the calendar cannot answer
    /// (it was removed from the policy since the clock started, or the instants lie outside
    /// the range it covers), the business figure is the wall-clock one.
    ///
    /// # Errors
    /// [`CommandError::Value`](crate::error::CommandError::Value) when the span exceeds
    /// [`Span::MAX`].
    ///
    /// ```
    /// use clientele::chrono::{TimeZone, Utc};
    /// use clientele::calendar::WallTime;
    /// use clientele::outcome::Elapsed;
    /// use clientele::{ServiceCalendar, ServicePolicy, Span};
    ///
    /// let mut policy = ServicePolicy::default();
    /// let desk = ServiceCalendar::builder("Europe/Vilnius")?.weekdays(WallTime::hm(9, 0)?, WallTime::hm(17, 0)?).build()?;
    /// policy.calendars.insert("desk".into(), desk);
    /// let friday = Utc.with_ymd_and_hms(2026, 3, 6, 14, 0, 0).unwrap();
    /// let monday = Utc.with_ymd_and_hms(2026, 3, 9, 8, 0, 0).unwrap();
    /// let elapsed = policy.elapsed(Some("desk"), friday, monday)?;
    /// assert_eq!(elapsed, Elapsed { wall: Span::hours(66), business: Span::hours(2) });
    /// // A calendar the policy no longer has measures by the wall clock rather than fail.
    /// assert_eq!(policy.elapsed(Some("retired"), friday, monday)?.business, Span::hours(66));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn elapsed(
        &self,
        calendar: Option<&str>,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<crate::outcome::Elapsed, crate::error::CommandError> {
        let wall = if to <= from {
            Span::ZERO
        } else {
            Span::try_from(to.signed_duration_since(from))?
        };
        let business = self.business_between(calendar, from, to).unwrap_or(wall);
        Ok(crate::outcome::Elapsed { wall, business })
    }

    /// Checks that no target is zero unless its table says zero means "due at once"
    /// ([`Targets::zero_means_at_once`]), that every calendar a target names is defined, that there is at least one
    /// support level, that the health bands are ordered, and that the idempotency window is
    /// neither empty nor longer than [`MAX_IDEMPOTENCY_WINDOW`](Self::MAX_IDEMPOTENCY_WINDOW).
    ///
    /// # Errors
    /// The first [`PolicyError`](crate::error::PolicyError) found.
    ///
    /// ```
    /// use clientele::{Priority, ServicePolicy};
    ///
    /// let mut policy = ServicePolicy::default();
    /// policy.validate()?;
    /// policy.reply = policy.reply.on_calendar(Priority::Urgent, "24/7");
    /// assert!(policy.validate().is_err()); // "24/7" is not in `policy.calendars`
    /// # Ok::<(), clientele::error::PolicyError>(())
    /// ```
    pub fn validate(&self) -> Result<(), crate::error::PolicyError> {
        let tables = [
            ("first_response", &self.first_response),
            ("reply", &self.reply),
            ("complaints.acknowledge", &self.complaints.acknowledge),
            ("complaints.resolve", &self.complaints.resolve),
        ];
        let updates = self.updates.as_ref().map(|u| ("updates.every", &u.every));
        for (target, table) in tables.into_iter().chain(updates) {
            if let Some(priority) = table.zero_target() {
                return Err(crate::error::PolicyError::ZeroTarget { target, priority });
            }
            let unknown = table
                .rules
                .iter()
                .enumerate()
                .find(|(_, rule)| !self.calendars.contains_key(&rule.calendar));
            if let Some((rule, CalendarRule { calendar, .. })) = unknown {
                return Err(crate::error::PolicyError::UnknownRuleCalendar {
                    target,
                    rule,
                    name: calendar.clone(),
                });
            }
            for (priority, name) in &table.calendars {
                if !self.calendars.contains_key(name) {
                    return Err(crate::error::PolicyError::UnknownCalendar {
                        target,
                        priority: *priority,
                        name: name.clone(),
                    });
                }
            }
        }
        let others = self
            .complaints
            .levels
            .iter()
            .map(|level| ("complaints.levels", level.calendar.as_ref()))
            .chain([(
                "complaints.follow_up_calendar",
                self.complaints.follow_up_calendar.as_ref(),
            )]);
        for (target, name) in others {
            if let Some(name) = name.filter(|name| !self.calendars.contains_key(*name)) {
                return Err(crate::error::PolicyError::UnknownCalendar {
                    target,
                    priority: Priority::Normal,
                    name: name.clone(),
                });
            }
        }
        if self.complaints.levels.is_empty() {
            return Err(crate::error::PolicyError::NoSupportLevels);
        }
        let health = &self.health;
        let quiet = &health.quiet;
        if health.at_risk_below > health.watch_below
            || health.watch_below > 100
            || health.window.is_zero()
            || health.window.as_secs() > crate::health::MAX_WINDOW_DAYS * 86_400
            || usize::from(quiet.contacts) > crate::health::MAX_CONTACTS
            || quiet.at_least < 2
            || quiet.times == 0
        {
            return Err(crate::error::PolicyError::HealthBands {
                watch_below: health.watch_below,
                at_risk_below: health.at_risk_below,
            });
        }
        if self.idempotency_window.is_zero()
            || self.idempotency_window > Self::MAX_IDEMPOTENCY_WINDOW
        {
            return Err(crate::error::PolicyError::IdempotencyWindow {
                window: self.idempotency_window,
                max: Self::MAX_IDEMPOTENCY_WINDOW,
            });
        }
        Ok(())
    }

    /// Met (done strictly before `due`) or met late, with the lateness, for something done at
    /// `done`. Like [`elapsed`](Self::elapsed), never fails for want of a calendar.
    ///
    /// # Errors
    /// As [`elapsed`](Self::elapsed).
    ///
    /// ```
    /// use clientele::chrono::{TimeDelta, TimeZone, Utc};
    /// use clientele::outcome::{Elapsed, Outcome};
    /// use clientele::{ServicePolicy, Span};
    ///
    /// let policy = ServicePolicy::default();
    /// let due = Utc.with_ymd_and_hms(2026, 3, 6, 17, 0, 0).unwrap();
    /// assert_eq!(policy.outcome(None, due, due - TimeDelta::seconds(1))?, Outcome::Met);
    /// // Done at the due instant is late: a deadline is dated at itself.
    /// let late = policy.outcome(None, due, due + TimeDelta::hours(2))?;
    /// assert_eq!(late, Outcome::MetLate { lateness: Elapsed { wall: Span::hours(2), business: Span::hours(2) } });
    /// assert!(matches!(policy.outcome(None, due, due)?, Outcome::MetLate { .. }));
    /// # Ok::<(), clientele::CommandError>(())
    /// ```
    pub fn outcome(
        &self,
        calendar: Option<&str>,
        due: DateTime<Utc>,
        done: DateTime<Utc>,
    ) -> Result<crate::outcome::Outcome, crate::error::CommandError> {
        if done < due {
            return Ok(crate::outcome::Outcome::Met);
        }
        Ok(crate::outcome::Outcome::MetLate {
            lateness: self.elapsed(calendar, due, done)?,
        })
    }
}
