//! Targets: a span per priority ([`ByPriority`]), rows per tier ([`Targets`]) and the
//! calendar a clock runs on by where its work is ([`CalendarRule`], [`Situation`]).

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::id::TeamId;
use crate::value::{Channel, Priority, Span, Tier};

/// One target per priority.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ByPriority {
    /// For [`Priority::Low`].
    pub low: Span,
    /// For [`Priority::Normal`].
    pub normal: Span,
    /// For [`Priority::High`].
    pub high: Span,
    /// For [`Priority::Urgent`].
    pub urgent: Span,
}

impl ByPriority {
    /// The same target for every priority.
    ///
    /// ```
    /// use clientele::{Priority, Span};
    /// use clientele::policy::ByPriority;
    ///
    /// let row = ByPriority::uniform(Span::hours(4));
    /// assert_eq!((row.low, row.urgent), (Span::hours(4), Span::hours(4)));
    /// assert_eq!(row.get(Priority::High), Span::hours(4));
    /// ```
    #[must_use]
    pub const fn uniform(span: Span) -> Self {
        Self {
            low: span,
            normal: span,
            high: span,
            urgent: span,
        }
    }

    /// The target for `priority`.
    ///
    /// ```
    /// use clientele::{Priority, Span};
    /// use clientele::policy::ByPriority;
    ///
    /// let row = ByPriority { urgent: Span::hours(1), ..ByPriority::uniform(Span::hours(8)) };
    /// assert_eq!(row.get(Priority::Urgent), Span::hours(1));
    /// assert_eq!(row.get(Priority::Low), Span::hours(8));
    /// ```
    #[must_use]
    pub const fn get(&self, priority: Priority) -> Span {
        match priority {
            Priority::Low => self.low,
            Priority::Normal => self.normal,
            Priority::High => self.high,
            Priority::Urgent => self.urgent,
        }
    }
}

/// Where a clock's work is, as a [`CalendarRule`] sees it when the clock starts: its priority,
/// the customer's tier, the channel it came in on and the team whose queue it is in (each
/// when known).
#[derive(Debug, Clone, Copy)]
pub struct Situation<'a> {
    /// The priority.
    pub priority: Priority,
    /// The customer's tier.
    pub tier: &'a Tier,
    /// The channel, if the clock has one (a message, a complaint).
    pub channel: Option<Channel>,
    /// The team whose queue it is in, if any.
    pub team: Option<TeamId>,
}

/// Chooses the calendar (and so the time zone and opening hours) a target runs on by where the
/// work is: every condition it names must hold; a condition left out holds always.
///
/// A [`Targets`] table tries its [`rules`](Targets::rules) **in order, the first that matches
/// wins** (as Zendesk applies the first matching SLA policy); when none matches, the table's
/// per-priority [`calendars`](Targets::calendars); then the policy's own calendar. Request
/// Tracker sets a time zone per queue (`team`); a brand answering tweets on its own hours is a
/// `channel` rule; a tier's agreement with its own hours a `tier` rule. A clock keeps the
/// calendar it started on: a complaint routed to a team later keeps its target clocks' calendars
/// until it is re-prioritised, which chooses again for the new terms (its update cadence
/// chooses again each time it is armed).
///
/// ```
/// use clientele::{Channel, Priority, Span, TeamId, Tier};
/// use clientele::policy::{ByPriority, CalendarRule, Situation, Targets};
///
/// let nights = TeamId::from_u128(9);
/// let targets = Targets::new(ByPriority::uniform(Span::hours(8)))
///     .on_calendar(Priority::Urgent, "24/7")
///     .with_rule(CalendarRule::calendar("vilnius").for_team(nights))
///     .with_rule(CalendarRule::calendar("social").on_channel(Channel::Social));
/// let gold = Tier::new("gold")?;
/// let tweet = Situation { priority: Priority::Urgent, tier: &gold, channel: Some(Channel::Social), team: None };
/// assert_eq!(targets.calendar_for(&tweet), Some("social"));
/// let queued = Situation { team: Some(nights), ..tweet };
/// assert_eq!(targets.calendar_for(&queued), Some("vilnius"));
/// let call = Situation { channel: Some(Channel::Phone), ..tweet };
/// assert_eq!(targets.calendar_for(&call), Some("24/7"));
/// # Ok::<(), clientele::ValueError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalendarRule {
    /// The named calendar (from
    /// [`ServicePolicy::calendars`](super::ServicePolicy::calendars)) it chooses.
    pub calendar: String,
    /// Only for complaints in this team's queue.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team: Option<TeamId>,
    /// Only for this channel.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel: Option<Channel>,
    /// Only for customers of this tier.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tier: Option<Tier>,
    /// Only for this priority.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub priority: Option<Priority>,
}

impl CalendarRule {
    /// A rule choosing `calendar` always; narrow it with the builders.
    ///
    /// ```
    /// use clientele::{Priority, Tier};
    /// use clientele::policy::{CalendarRule, Situation};
    ///
    /// let always = CalendarRule::calendar("24/7"); // no condition: matches everything
    /// let gold = Tier::new("gold")?;
    /// let situation = Situation { priority: Priority::Low, tier: &gold, channel: None, team: None };
    /// assert!(always.matches(&situation));
    /// assert_eq!(always.calendar, "24/7");
    /// # Ok::<(), clientele::ValueError>(())
    /// ```
    #[must_use]
    pub fn calendar(calendar: impl Into<String>) -> Self {
        Self {
            calendar: calendar.into(),
            team: None,
            channel: None,
            tier: None,
            priority: None,
        }
    }

    /// Only for complaints in `team`'s queue.
    ///
    /// ```
    /// use clientele::{Priority, TeamId, Tier};
    /// use clientele::policy::{CalendarRule, Situation};
    ///
    /// let nights = TeamId::from_u128(9);
    /// let rule = CalendarRule::calendar("vilnius").for_team(nights);
    /// let tier = Tier::new("standard")?;
    /// let queued = Situation { priority: Priority::Normal, tier: &tier, channel: None, team: Some(nights) };
    /// assert!(rule.matches(&queued));
    /// assert!(!rule.matches(&Situation { team: None, ..queued }));
    /// # Ok::<(), clientele::ValueError>(())
    /// ```
    #[must_use]
    pub const fn for_team(mut self, team: TeamId) -> Self {
        self.team = Some(team);
        self
    }

    /// Only for `channel`.
    ///
    /// ```
    /// use clientele::{Channel, Priority, Tier};
    /// use clientele::policy::{CalendarRule, Situation};
    ///
    /// let rule = CalendarRule::calendar("social").on_channel(Channel::Social);
    /// let tier = Tier::new("standard")?;
    /// let tweet = Situation { priority: Priority::Normal, tier: &tier, channel: Some(Channel::Social), team: None };
    /// assert!(rule.matches(&tweet));
    /// assert!(!rule.matches(&Situation { channel: Some(Channel::Email), ..tweet }));
    /// # Ok::<(), clientele::ValueError>(())
    /// ```
    #[must_use]
    pub const fn on_channel(mut self, channel: Channel) -> Self {
        self.channel = Some(channel);
        self
    }

    /// Only for customers of `tier`.
    ///
    /// ```
    /// use clientele::{Priority, Tier};
    /// use clientele::policy::{CalendarRule, Situation};
    ///
    /// let (gold, standard) = (Tier::new("gold")?, Tier::new("standard")?);
    /// let rule = CalendarRule::calendar("24/7").for_tier(gold.clone());
    /// let situation = Situation { priority: Priority::Normal, tier: &gold, channel: None, team: None };
    /// assert!(rule.matches(&situation));
    /// assert!(!rule.matches(&Situation { tier: &standard, ..situation }));
    /// # Ok::<(), clientele::ValueError>(())
    /// ```
    #[must_use]
    pub fn for_tier(mut self, tier: Tier) -> Self {
        self.tier = Some(tier);
        self
    }

    /// Only for `priority`.
    ///
    /// ```
    /// use clientele::{Priority, Tier};
    /// use clientele::policy::{CalendarRule, Situation};
    ///
    /// let rule = CalendarRule::calendar("24/7").at_priority(Priority::Urgent);
    /// let tier = Tier::new("standard")?;
    /// let urgent = Situation { priority: Priority::Urgent, tier: &tier, channel: None, team: None };
    /// assert!(rule.matches(&urgent));
    /// assert!(!rule.matches(&Situation { priority: Priority::High, ..urgent }));
    /// # Ok::<(), clientele::ValueError>(())
    /// ```
    #[must_use]
    pub const fn at_priority(mut self, priority: Priority) -> Self {
        self.priority = Some(priority);
        self
    }

    /// Whether every condition it names holds in `situation`.
    ///
    /// ```
    /// use clientele::{Channel, Priority, Tier};
    /// use clientele::policy::{CalendarRule, Situation};
    ///
    /// // Every condition named must hold.
    /// let rule = CalendarRule::calendar("social").on_channel(Channel::Social).at_priority(Priority::High);
    /// let tier = Tier::new("standard")?;
    /// let tweet = Situation { priority: Priority::High, tier: &tier, channel: Some(Channel::Social), team: None };
    /// assert!(rule.matches(&tweet));
    /// assert!(!rule.matches(&Situation { priority: Priority::Low, ..tweet }));
    /// # Ok::<(), clientele::ValueError>(())
    /// ```
    #[must_use]
    pub fn matches(&self, situation: &Situation<'_>) -> bool {
        self.team.is_none_or(|team| situation.team == Some(team))
            && self
                .channel
                .is_none_or(|channel| situation.channel == Some(channel))
            && self.tier.as_ref().is_none_or(|tier| tier == situation.tier)
            && self.priority.is_none_or(|p| p == situation.priority)
    }
}

/// Targets by priority × tier: a default row, and rows for tiers with their own agreement.
///
/// ```
/// use clientele::{Priority, Span, Tier};
/// use clientele::policy::{ByPriority, Targets};
///
/// let gold = Tier::new("gold")?;
/// let targets = Targets::new(ByPriority::uniform(Span::hours(8)))
///     .with_tier(gold.clone(), ByPriority::uniform(Span::hours(2)));
/// assert_eq!(targets.get(Priority::Normal, &gold), Span::hours(2));
/// assert_eq!(targets.get(Priority::Normal, &Tier::new("standard")?), Span::hours(8));
/// # Ok::<(), clientele::ValueError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Targets {
    /// For tiers without their own row.
    pub default: ByPriority,
    /// Rows for named tiers.
    #[serde(default)]
    pub tiers: BTreeMap<Tier, ByPriority>,
    /// The named calendar (from
    /// [`ServicePolicy::calendars`](super::ServicePolicy::calendars)) each priority's target
    /// runs on; a priority not named here runs on the policy's own calendar. A 24/7 urgent
    /// line beside a 9-to-5 desk is `{ urgent: "24/7" }`.
    #[serde(default)]
    pub calendars: BTreeMap<Priority, String>,
    /// Priorities with no target at all (issue 14 item 9): their clocks run with no due
    /// instant ([`NoTarget::NoneSet`](crate::outcome::NoTarget::NoneSet)), never warn or
    /// fall due, and are not flagged; what ends them is untimed. Peers (Request Tracker, GLPI, Zammad) leave a priority without
    /// an SLA rather than fake one as 1,000 hours; the spans of its rows are then ignored.
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub untargeted: BTreeSet<Priority>,
    /// Whether a zero span in these targets means "due at once" (the clock falls due the
    /// moment it starts). Without it [`ServicePolicy::validate`](super::ServicePolicy::validate)
    /// refuses a zero target, which is more often a forgotten value than a wish (issue 14
    /// item 9).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub zero_means_at_once: bool,
    /// Calendar rules by team, channel, tier or priority, tried in order before `calendars`
    /// (see [`CalendarRule`]); absent from the JSON when empty.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rules: Vec<CalendarRule>,
}

impl Targets {
    /// Targets with only a default row.
    ///
    /// ```
    /// use clientele::{Priority, Span, Tier};
    /// use clientele::policy::{ByPriority, Targets};
    ///
    /// let targets = Targets::new(ByPriority::uniform(Span::hours(8)));
    /// assert_eq!(targets.get(Priority::Normal, &Tier::new("any")?), Span::hours(8));
    /// assert_eq!(targets.calendar(Priority::Normal), None); // the policy's own calendar
    /// # Ok::<(), clientele::ValueError>(())
    /// ```
    #[must_use]
    pub fn new(default: ByPriority) -> Self {
        Self {
            default,
            tiers: BTreeMap::new(),
            calendars: BTreeMap::new(),
            untargeted: BTreeSet::new(),
            zero_means_at_once: false,
            rules: Vec::new(),
        }
    }

    /// Adds a calendar rule after the ones already there (the first that matches wins).
    ///
    /// ```
    /// use clientele::{Channel, Priority, Span, Tier};
    /// use clientele::policy::{ByPriority, CalendarRule, Situation, Targets};
    ///
    /// // The first rule that matches wins.
    /// let targets = Targets::new(ByPriority::uniform(Span::hours(8)))
    ///     .with_rule(CalendarRule::calendar("urgent-line").at_priority(Priority::Urgent))
    ///     .with_rule(CalendarRule::calendar("social").on_channel(Channel::Social));
    /// let tier = Tier::new("standard")?;
    /// let urgent_tweet = Situation { priority: Priority::Urgent, tier: &tier, channel: Some(Channel::Social), team: None };
    /// assert_eq!(targets.calendar_for(&urgent_tweet), Some("urgent-line"));
    /// # Ok::<(), clientele::ValueError>(())
    /// ```
    #[must_use]
    pub fn with_rule(mut self, rule: CalendarRule) -> Self {
        self.rules.push(rule);
        self
    }

    /// The named calendar a clock in `situation` runs on, if not the policy's own: the first
    /// [rule](CalendarRule) that matches, else the priority's calendar.
    ///
    /// ```
    /// use clientele::{Channel, Priority, Span, Tier};
    /// use clientele::policy::{ByPriority, CalendarRule, Situation, Targets};
    ///
    /// let targets = Targets::new(ByPriority::uniform(Span::hours(8)))
    ///     .on_calendar(Priority::Urgent, "24/7")
    ///     .with_rule(CalendarRule::calendar("social").on_channel(Channel::Social));
    /// let tier = Tier::new("standard")?;
    /// let call = Situation { priority: Priority::Normal, tier: &tier, channel: Some(Channel::Phone), team: None };
    /// assert_eq!(targets.calendar_for(&call), None); // no rule, no calendar for the priority
    /// assert_eq!(targets.calendar_for(&Situation { priority: Priority::Urgent, ..call }), Some("24/7"));
    /// assert_eq!(targets.calendar_for(&Situation { channel: Some(Channel::Social), ..call }), Some("social"));
    /// # Ok::<(), clientele::ValueError>(())
    /// ```
    #[must_use]
    pub fn calendar_for(&self, situation: &Situation<'_>) -> Option<&str> {
        self.rules
            .iter()
            .find(|rule| rule.matches(situation))
            .map(|rule| rule.calendar.as_str())
            .or_else(|| self.calendar(situation.priority))
    }

    /// Sets no target for `priority` (see [`untargeted`](Self::untargeted)).
    ///
    /// ```
    /// use clientele::{Priority, Span, Tier};
    /// use clientele::policy::{ByPriority, Targets};
    ///
    /// let targets = Targets::new(ByPriority::uniform(Span::hours(8))).without_target(Priority::Low);
    /// assert_eq!(targets.target(Priority::Low, &Tier::new("standard")?), None);
    /// assert_eq!(targets.target(Priority::High, &Tier::new("standard")?), Some(Span::hours(8)));
    /// # Ok::<(), clientele::ValueError>(())
    /// ```
    #[must_use]
    pub fn without_target(mut self, priority: Priority) -> Self {
        self.untargeted.insert(priority);
        self
    }

    /// The target for `priority` and `tier`, or `None` when the policy sets none for the
    /// priority.
    ///
    /// ```
    /// use clientele::{Priority, Span, Tier};
    /// use clientele::policy::{ByPriority, Targets};
    ///
    /// let gold = Tier::new("gold")?;
    /// let targets = Targets::new(ByPriority::uniform(Span::hours(8)))
    ///     .with_tier(gold.clone(), ByPriority::uniform(Span::hours(2)))
    ///     .without_target(Priority::Low);
    /// assert_eq!(targets.target(Priority::Normal, &gold), Some(Span::hours(2)));
    /// assert_eq!(targets.target(Priority::Low, &gold), None); // no target at all
    /// # Ok::<(), clientele::ValueError>(())
    /// ```
    #[must_use]
    pub fn target(&self, priority: Priority, tier: &Tier) -> Option<Span> {
        (!self.untargeted.contains(&priority)).then(|| self.get(priority, tier))
    }

    /// The first priority with a zero target that does not mean "due at once", if any.
    pub(super) fn zero_target(&self) -> Option<Priority> {
        if self.zero_means_at_once {
            return None;
        }
        let rows = std::iter::once(&self.default).chain(self.tiers.values());
        rows.flat_map(|row| {
            [
                (Priority::Low, row.low),
                (Priority::Normal, row.normal),
                (Priority::High, row.high),
                (Priority::Urgent, row.urgent),
            ]
        })
        .find(|(priority, span)| span.is_zero() && !self.untargeted.contains(priority))
        .map(|(priority, _)| priority)
    }

    /// Runs `priority`'s target on the named calendar.
    ///
    /// ```
    /// use clientele::{Priority, ServicePolicy, ServiceCalendar, Span};
    /// use clientele::policy::{ByPriority, Targets};
    ///
    /// let mut policy = ServicePolicy::default();
    /// policy.reply = Targets::new(ByPriority::uniform(Span::hours(8))).on_calendar(Priority::Urgent, "24/7");
    /// assert!(policy.validate().is_err()); // the calendar must be defined
    /// policy.calendars.insert("24/7".into(), ServiceCalendar::always_open());
    /// policy.validate()?;
    /// # Ok::<(), clientele::PolicyError>(())
    /// ```
    #[must_use]
    pub fn on_calendar(mut self, priority: Priority, calendar: impl Into<String>) -> Self {
        self.calendars.insert(priority, calendar.into());
        self
    }

    /// The named calendar `priority`'s target runs on, if not the policy's own.
    ///
    /// ```
    /// use clientele::{Priority, Span};
    /// use clientele::policy::{ByPriority, Targets};
    ///
    /// let targets = Targets::new(ByPriority::uniform(Span::hours(8))).on_calendar(Priority::Urgent, "24/7");
    /// assert_eq!(targets.calendar(Priority::Urgent), Some("24/7"));
    /// assert_eq!(targets.calendar(Priority::Normal), None);
    /// ```
    #[must_use]
    pub fn calendar(&self, priority: Priority) -> Option<&str> {
        self.calendars.get(&priority).map(String::as_str)
    }

    /// Adds (or replaces) the row for `tier`.
    ///
    /// ```
    /// use clientele::{Priority, Span, Tier};
    /// use clientele::policy::{ByPriority, Targets};
    ///
    /// let gold = Tier::new("gold")?;
    /// let targets = Targets::new(ByPriority::uniform(Span::hours(8)))
    ///     .with_tier(gold.clone(), ByPriority::uniform(Span::hours(4)))
    ///     .with_tier(gold.clone(), ByPriority::uniform(Span::hours(2))); // replaces the row
    /// assert_eq!(targets.get(Priority::High, &gold), Span::hours(2));
    /// # Ok::<(), clientele::ValueError>(())
    /// ```
    #[must_use]
    pub fn with_tier(mut self, tier: Tier, row: ByPriority) -> Self {
        self.tiers.insert(tier, row);
        self
    }

    /// The target for `priority` and `tier`.
    ///
    /// ```
    /// use clientele::{Priority, Span, Tier};
    /// use clientele::policy::{ByPriority, Targets};
    ///
    /// let targets = Targets::new(ByPriority::uniform(Span::hours(8))).without_target(Priority::Low);
    /// // The span in the row, even for a priority without a target (see `target`).
    /// assert_eq!(targets.get(Priority::Low, &Tier::new("standard")?), Span::hours(8));
    /// # Ok::<(), clientele::ValueError>(())
    /// ```
    #[must_use]
    pub fn get(&self, priority: Priority, tier: &Tier) -> Span {
        self.tiers.get(tier).unwrap_or(&self.default).get(priority)
    }
}
