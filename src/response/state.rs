//! The response clock's data and its transition table: what a clock measures, how a target
//! ended, the clock's states with their data, and the one place the clock changes stage
//! (`ResponseClock::transition`).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::flag::Regarding;
use crate::id::InteractionId;
use crate::lazy::{self, Lazy};
use crate::lifecycle::{Entity, Lifecycle, Refused};
use crate::outcome::{NoTarget, TargetStatus};
use crate::value::{Priority, Span};

/// Which response target a clock measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum ClockKind {
    /// The first answer a customer ever gets from us.
    FirstResponse,
    /// An answer while the customer waits, after the first.
    Reply,
}

/// A customer waiting for an answer: what the clock measures and when it runs out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Wait {
    /// First response or reply.
    pub kind: ClockKind,
    /// The oldest unanswered inbound interaction: it fixed the deadline.
    pub since: InteractionId,
    /// When that interaction happened.
    #[serde(with = "crate::compact::instant")]
    pub started: DateTime<Utc>,
    /// Its priority, which chose the target.
    pub priority: Priority,
    /// The target it was given, in business time.
    pub target: Span,
    /// The named calendar and the reason for no target: boxed, absent for most waits (see
    /// [`calendar`](Self::calendar) and [`no_target`](Self::no_target)).
    pub(crate) terms: Lazy<WaitTerms>,
    /// When the answer is due; `None` when the clock has no target (see
    /// [`no_target`](Self::no_target)).
    #[serde(with = "crate::compact::instant::option")]
    pub due: Option<DateTime<Utc>>,
    /// When the warning is due, if the policy asks for one.
    #[serde(with = "crate::compact::instant::option")]
    pub warn_at: Option<DateTime<Utc>>,
    /// How many inbound interactions are waiting for this answer (at least one; counted up to
    /// 65,535). Two bytes, so that the wait is 72 and the clock 80 (the clock's stage takes
    /// the bytes a four-byte count left as padding).
    pub unanswered: u16,
}

/// The parts of a [`Wait`] most waits do without (a wait on the policy's own calendar, with a
/// target), boxed while one is set ([`Lazy`]): 24 bytes, against 8 for the box.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct WaitTerms {
    /// The named calendar the target runs on (`None`: the policy's own).
    calendar: Option<Box<str>>,
    /// Why the clock has no target, if it has none.
    #[serde(with = "crate::outcome::no_target_form::option")]
    no_target: Option<NoTarget>,
}

/// A wait on the policy's calendar, with a target: what an absent box reads as.
static PLAIN: WaitTerms = WaitTerms {
    calendar: None,
    no_target: None,
};

impl lazy::Parts for WaitTerms {
    fn none() -> &'static Self {
        &PLAIN
    }
}

impl WaitTerms {
    /// The terms of a wait on `calendar` (`None`: the policy's own), without a target for
    /// `no_target` if set.
    pub(crate) fn of(calendar: Option<&str>, no_target: Option<&NoTarget>) -> Lazy<Self> {
        let mut terms = Lazy::new();
        if calendar.is_some() || no_target.is_some() {
            terms.change(|terms: &mut Self| {
                terms.calendar = calendar.map(Box::from);
                terms.no_target = no_target.cloned();
            });
        }
        terms
    }
}

impl Wait {
    /// The named calendar the target runs on (`None`: the policy's own).
    #[must_use]
    pub fn calendar(&self) -> Option<&str> {
        self.terms.get().calendar.as_deref()
    }

    /// Why the clock has no target, if it has none: it never falls due, and is flagged.
    #[must_use]
    pub fn no_target(&self) -> Option<&NoTarget> {
        self.terms.get().no_target.as_ref()
    }
}

/// We asked the customer something and wait for them: nobody waits for us, the next word is
/// the customer's (Zendesk's "pending").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pending {
    /// Our latest outbound interaction that asked.
    pub asked_by: InteractionId,
    /// When we first asked.
    pub since: DateTime<Utc>,
    /// The complaints and promises the questions were about: their update cadences are paused
    /// until the customer answers.
    pub about: Vec<Regarding>,
}

/// The response clock of one customer, with the data valid in each state.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum ResponseClock {
    /// Nobody is waiting for us.
    #[default]
    Idle,
    /// The customer is waiting; the deadline has not come near.
    Waiting(Wait),
    /// The customer is waiting and the warning lead has been reached.
    Warned(Wait),
    /// The customer is waiting past the deadline.
    Overdue(Wait),
    /// We asked the customer something and wait for their answer (schema version 3).
    AwaitingCustomer(Pending),
}

/// The stages of a [`ResponseClock`], without their data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ClockStage {
    /// Nobody is waiting.
    Idle,
    /// Waiting, deadline not near.
    Waiting,
    /// Waiting, warning raised.
    Warned,
    /// Waiting past the deadline.
    Overdue,
    /// We wait for the customer's answer.
    AwaitingCustomer,
}

/// What can happen to a response clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ClockAction {
    /// An inbound interaction that expects an answer, while nobody was waiting.
    Start,
    /// A further inbound interaction that expects an answer.
    Await,
    /// The warning lead was reached.
    Warn,
    /// The deadline passed.
    Breach,
    /// We answered.
    Answer,
    /// We asked the customer something and wait for them (after our answer stopped any wait).
    Ask,
    /// The customer spoke, needing no answer, while we waited for them.
    Hear,
}

/// The response clock's transition table.
#[derive(Debug)]
pub enum ResponseLifecycle {}

impl Lifecycle for ResponseLifecycle {
    type Stage = ClockStage;
    type Action = ClockAction;
    const STAGES: &'static [ClockStage] = &[
        ClockStage::Idle,
        ClockStage::Waiting,
        ClockStage::Warned,
        ClockStage::Overdue,
        ClockStage::AwaitingCustomer,
    ];
    const ACTIONS: &'static [ClockAction] = &[
        ClockAction::Start,
        ClockAction::Await,
        ClockAction::Warn,
        ClockAction::Breach,
        ClockAction::Answer,
        ClockAction::Ask,
        ClockAction::Hear,
    ];

    fn next(stage: ClockStage, action: ClockAction) -> Option<ClockStage> {
        use ClockAction as A;
        use ClockStage as S;
        match (stage, action) {
            (S::Idle | S::AwaitingCustomer, A::Start) => Some(S::Waiting),
            (S::Idle | S::AwaitingCustomer, A::Ask) => Some(S::AwaitingCustomer),
            (S::AwaitingCustomer, A::Hear) => Some(S::Idle),
            (S::Idle, A::Await | A::Warn | A::Breach | A::Answer | A::Hear) => None,
            (S::AwaitingCustomer, A::Await | A::Warn | A::Breach | A::Answer) => None,
            (S::Waiting | S::Warned | S::Overdue, A::Ask | A::Hear) => None,
            (S::Waiting, A::Await) => Some(S::Waiting),
            (S::Waiting, A::Warn) => Some(S::Warned),
            (S::Waiting | S::Warned, A::Breach) => Some(S::Overdue),
            (S::Waiting | S::Warned | S::Overdue, A::Answer) => Some(S::Idle),
            (S::Warned, A::Await) => Some(S::Warned),
            (S::Overdue, A::Await) => Some(S::Overdue),
            (S::Waiting | S::Warned | S::Overdue, A::Start) => None,
            (S::Warned | S::Overdue, A::Warn) => None,
            (S::Overdue, A::Breach) => None,
        }
    }

    fn stage_name(stage: ClockStage) -> &'static str {
        match stage {
            ClockStage::Idle => "idle",
            ClockStage::Waiting => "waiting",
            ClockStage::Warned => "warned",
            ClockStage::Overdue => "overdue",
            ClockStage::AwaitingCustomer => "awaiting_customer",
        }
    }

    fn action_name(action: ClockAction) -> &'static str {
        match action {
            ClockAction::Start => "start",
            ClockAction::Await => "await",
            ClockAction::Warn => "warn",
            ClockAction::Breach => "breach",
            ClockAction::Answer => "answer",
            ClockAction::Ask => "ask",
            ClockAction::Hear => "hear",
        }
    }
}

impl Entity for ResponseLifecycle {
    const ENTITY: &'static str = "response clock";
}

impl ResponseClock {
    /// The stage, without data.
    ///
    /// ```
    /// # use clientele::{*, chrono::{TimeDelta, TimeZone, Utc}};
    /// # let (policy, monday) = (ServicePolicy::default(), Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap());
    /// # let mut ona = Relationship::new(CustomerId::from_u128(1)); ona.execute(&policy, RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?), monday)?;
    /// use clientele::response::ClockStage;
    ///
    /// let hello = RecordInteraction::inbound(InteractionId::from_u128(2), Channel::Email, Text::new("Hello?")?);
    /// ona.execute(&policy, hello, monday)?;
    /// ona.advance_to(&policy, monday + TimeDelta::hours(7)); // past the warning (6 h 24 min)
    /// assert_eq!(ona.response_clock().stage(), ClockStage::Warned);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub const fn stage(&self) -> ClockStage {
        match self {
            ResponseClock::Idle => ClockStage::Idle,
            ResponseClock::Waiting(_) => ClockStage::Waiting,
            ResponseClock::Warned(_) => ClockStage::Warned,
            ResponseClock::Overdue(_) => ClockStage::Overdue,
            ResponseClock::AwaitingCustomer(_) => ClockStage::AwaitingCustomer,
        }
    }

    /// Where the reply target stands while the customer waits (issue 14 item 13): running
    /// toward its due instant (breached when overdue), or without a target; `None` when
    /// nobody is waiting.
    ///
    /// ```
    /// # use clientele::{*, chrono::{TimeDelta, TimeZone, Utc}};
    /// # let (policy, monday) = (ServicePolicy::default(), Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap());
    /// # let mut ona = Relationship::new(CustomerId::from_u128(1)); ona.execute(&policy, RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?), monday)?;
    /// use clientele::outcome::TargetStatus;
    ///
    /// assert_eq!(ona.response_clock().status(), None); // nobody waits
    /// let hello = RecordInteraction::inbound(InteractionId::from_u128(2), Channel::Email, Text::new("Hello?")?);
    /// ona.execute(&policy, hello, monday)?;
    /// let due = monday + TimeDelta::hours(8);
    /// assert_eq!(ona.response_clock().status(), Some(TargetStatus::Running { due, breached: false }));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn status(&self) -> Option<TargetStatus> {
        let wait = self.wait()?;
        Some(match wait.due {
            Some(due) => TargetStatus::Running {
                due,
                breached: matches!(self, ResponseClock::Overdue(_)),
            },
            None => TargetStatus::NoTarget {
                reason: wait.no_target().cloned().unwrap_or(NoTarget::NoneSet),
            },
        })
    }

    /// The customer's wait for us, unless nobody waits (idle, or we wait for the customer).
    ///
    /// ```
    /// # use clientele::{*, chrono::{TimeDelta, TimeZone, Utc}};
    /// # let (policy, monday) = (ServicePolicy::default(), Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap());
    /// # let mut ona = Relationship::new(CustomerId::from_u128(1)); ona.execute(&policy, RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?), monday)?;
    /// let hello = InteractionId::from_u128(2);
    /// ona.execute(&policy, RecordInteraction::inbound(hello, Channel::Email, Text::new("Hello?")?), monday)?;
    /// let wait = ona.response_clock().wait().ok_or("the customer waits")?;
    /// assert_eq!((wait.since, wait.started, wait.target), (hello, monday, Span::hours(8)));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub const fn wait(&self) -> Option<&Wait> {
        match self {
            ResponseClock::Idle | ResponseClock::AwaitingCustomer(_) => None,
            ResponseClock::Waiting(wait)
            | ResponseClock::Warned(wait)
            | ResponseClock::Overdue(wait) => Some(wait),
        }
    }

    /// What we wait for the customer to answer, if we asked them something and wait.
    ///
    /// ```
    /// # use clientele::{*, chrono::{TimeDelta, TimeZone, Utc}};
    /// # let (policy, monday) = (ServicePolicy::default(), Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap());
    /// # let mut ona = Relationship::new(CustomerId::from_u128(1)); ona.execute(&policy, RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?), monday)?;
    /// let question = InteractionId::from_u128(3);
    /// let ask = RecordInteraction::outbound(question, Channel::Email, AgentId::from_u128(7), Text::new("Which frame?")?).awaiting_customer();
    /// ona.execute(&policy, ask, monday)?;
    /// let pending = ona.response_clock().pending().ok_or("we await the customer")?;
    /// assert_eq!((pending.asked_by, pending.since), (question, monday));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub const fn pending(&self) -> Option<&Pending> {
        match self {
            ResponseClock::AwaitingCustomer(pending) => Some(pending),
            ResponseClock::Idle
            | ResponseClock::Waiting(_)
            | ResponseClock::Warned(_)
            | ResponseClock::Overdue(_) => None,
        }
    }

    /// Applies `action`; `start` carries the new wait, `ask` the question (joined to the one
    /// pending, if any). The stage it moves to always comes from [`ResponseLifecycle::next`].
    pub(crate) fn transition(
        self,
        action: ClockAction,
        start: Option<Wait>,
        ask: Option<Pending>,
    ) -> Result<ResponseClock, Refused<ResponseLifecycle>> {
        let from = self.stage();
        let refused = Refused { from, action };
        let to = ResponseLifecycle::step(from, action)?;
        if to == ClockStage::AwaitingCustomer {
            return match (self, ask) {
                (ResponseClock::AwaitingCustomer(mut pending), Some(ask)) => {
                    pending.asked_by = ask.asked_by;
                    for about in ask.about {
                        if !pending.about.contains(&about) {
                            pending.about.push(about);
                        }
                    }
                    Ok(ResponseClock::AwaitingCustomer(pending))
                }
                (_, Some(ask)) => Ok(ResponseClock::AwaitingCustomer(ask)),
                (_, None) => Err(refused),
            };
        }
        let wait = match (self, start) {
            (ResponseClock::Idle | ResponseClock::AwaitingCustomer(_), Some(wait)) => Some(wait),
            (ResponseClock::Idle | ResponseClock::AwaitingCustomer(_), None) => None,
            (
                ResponseClock::Waiting(mut wait)
                | ResponseClock::Warned(mut wait)
                | ResponseClock::Overdue(mut wait),
                _,
            ) => {
                if action == ClockAction::Await {
                    wait.unanswered = wait.unanswered.saturating_add(1);
                }
                Some(wait)
            }
        };
        match (to, wait) {
            (ClockStage::Idle, _) => Ok(ResponseClock::Idle),
            (ClockStage::Waiting, Some(wait)) => Ok(ResponseClock::Waiting(wait)),
            (ClockStage::Warned, Some(wait)) => Ok(ResponseClock::Warned(wait)),
            (ClockStage::Overdue, Some(wait)) => Ok(ResponseClock::Overdue(wait)),
            (ClockStage::Waiting | ClockStage::Warned | ClockStage::Overdue, None) => Err(refused),
            (ClockStage::AwaitingCustomer, _) => Err(refused),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lifecycle::assert_documented;

    #[test]
    fn state_diagram_matches_transition_table() {
        assert_documented::<ResponseLifecycle>(include_str!("mod.rs"));
    }

    fn wait() -> Wait {
        let t = DateTime::<Utc>::UNIX_EPOCH;
        Wait {
            kind: ClockKind::FirstResponse,
            since: InteractionId::from_u128(1),
            started: t,
            priority: Priority::Normal,
            target: Span::hours(1),
            terms: WaitTerms::of(None, None),
            due: Some(t),
            warn_at: None,
            unanswered: 1,
        }
    }

    fn pending() -> Pending {
        Pending {
            asked_by: InteractionId::from_u128(2),
            since: DateTime::<Utc>::UNIX_EPOCH,
            about: Vec::new(),
        }
    }

    #[test]
    fn data_transitions_follow_the_table_for_every_stage_and_action() {
        let samples = [
            ResponseClock::Idle,
            ResponseClock::Waiting(wait()),
            ResponseClock::Warned(wait()),
            ResponseClock::Overdue(wait()),
            ResponseClock::AwaitingCustomer(pending()),
        ];
        for clock in samples {
            for &action in ResponseLifecycle::ACTIONS {
                let start = (action == ClockAction::Start).then(wait);
                let ask = (action == ClockAction::Ask).then(pending);
                let expected = ResponseLifecycle::next(clock.stage(), action);
                let got = clock
                    .clone()
                    .transition(action, start, ask)
                    .ok()
                    .map(|c| c.stage());
                assert_eq!(got, expected, "{:?} --{action:?}-->", clock.stage());
            }
        }
    }

    #[test]
    fn a_further_inbound_counts_but_does_not_move_the_deadline() {
        let clock = ResponseClock::Waiting(wait());
        let after = clock.transition(ClockAction::Await, None, None).unwrap();
        assert_eq!(after.wait().unwrap().unanswered, 2);
        assert_eq!(after.wait().unwrap().due, wait().due);
    }

    /// The clock's stage costs no word of its own: the wait is 72 bytes, the clock 80 (it was
    /// 88 with a four-byte count); every relationship holds one.
    #[test]
    fn the_clock_is_its_wait_and_one_word() {
        assert_eq!(std::mem::size_of::<Wait>(), 72);
        assert_eq!(std::mem::size_of::<ResponseClock>(), 80);
    }

    #[test]
    fn the_count_of_messages_waiting_stops_at_its_most() {
        let mut full = wait();
        full.unanswered = u16::MAX;
        let clock = ResponseClock::Waiting(full);
        let after = clock.transition(ClockAction::Await, None, None).unwrap();
        assert_eq!(after.wait().unwrap().unanswered, u16::MAX);
    }
}
