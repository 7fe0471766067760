//! Where a complaint's target clock stands, and its transition table (checked against the
//! engine by `tests/diagrams.rs`).
//!
//! # Target clock diagram
//!
//! The acknowledgement and the resolution clock, each on its own
//! ([`TargetClock::stage`](super::TargetClock::stage); the table is [`ClockLifecycle`]). `warn` and `breach` are the clock's own deadlines, fired
//! by `advance_to` (a warning leaves it running; the breach is recorded once per run);
//! `pause` and `resume` the waits on the customer, for the clocks the policy pauses (the
//! acknowledgement clock runs through waits); `stop` what the clock measures being done;
//! `reopen` a reopen that starts the clock afresh, `continue` one that carries it on
//! ([`ReopenMode`](crate::policy::ReopenMode)).
//!
//! ```text
//! running        --warn-->             running
//! running        --breach-->           overdue
//! running        --pause-->            paused
//! running        --stop-->             met
//! overdue        --pause-->            paused_overdue
//! overdue        --stop-->             missed
//! paused         --resume-->           running
//! paused         --stop-->             met
//! paused_overdue --resume-->           overdue
//! paused_overdue --stop-->             missed
//! no_target      --stop-->             untimed
//! running        --close_unresolved--> not_applicable
//! overdue        --close_unresolved--> not_applicable
//! no_target      --close_unresolved--> not_applicable
//! paused         --close_unresolved--> not_applicable
//! paused_overdue --close_unresolved--> not_applicable
//! met            --reopen-->           running
//! met            --continue-->         running
//! missed         --reopen-->           running
//! missed         --continue-->         overdue
//! untimed        --reopen-->           no_target
//! untimed        --continue-->         no_target
//! ```
//!
//! A clock starts `running`, or `no_target` when the policy sets no target for the priority
//! or its deadline cannot be computed (see [`ClockTerms`](super::ClockTerms)); a clock started,
//! resumed or continued on a calendar the policy has since retired is `no_target` where the diagram says
//! `running`. Stopped in time (strictly before its due instant) is `met`; at or after it,
//! `missed`, with the lateness. A re-prioritisation gives a running or paused clock new terms
//! and is not drawn: the clock stays where it is, except that a breach recorded before stands
//! only while the new due instant has passed too. The escalation clock of a support level is
//! simpler: it runs until the level's threshold passes (`escalation_due`) and starts afresh at
//! the next level.

use crate::lifecycle::Lifecycle;
use crate::outcome::Outcome;

use super::clock::{ClockPhase, TargetClock};

/// The stages of a complaint's acknowledgement or resolution clock (see the
/// [module docs](self)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ClockStage {
    /// Counting toward its due instant (warned or not).
    Running,
    /// Counting, past its due instant: the breach was recorded.
    Overdue,
    /// Counting with no due instant: the policy sets no target, or it could not be computed.
    NoTarget,
    /// Not counting while the customer is awaited, with time left.
    Paused,
    /// Not counting while the customer is awaited, past its due instant.
    PausedOverdue,
    /// Ended in time.
    Met,
    /// Ended late, or ended without being met after its due instant.
    Missed,
    /// Ended with no target: neither on time nor late.
    Untimed,
    /// Ended without applying: the complaint was closed without a resolution.
    NotApplicable,
}

/// What happens to a target clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ClockAction {
    /// Its warning instant passes (`complaint_clock_at_risk`).
    Warn,
    /// Its due instant passes (`complaint_clock_breached`).
    Breach,
    /// The complaint waits on the customer.
    Pause,
    /// The customer answered.
    Resume,
    /// What it measures is done: acknowledged, or resolved.
    Stop,
    /// The complaint is closed without a resolution.
    CloseUnresolved,
    /// The complaint is reopened and the clock starts afresh
    /// ([`ReopenMode::Restart`](crate::policy::ReopenMode::Restart) or `NewCycle`).
    Reopen,
    /// The complaint is reopened and the clock carries on where it stopped
    /// ([`ReopenMode::Continue`](crate::policy::ReopenMode::Continue)).
    Continue,
}

/// A target clock's transition table.
#[derive(Debug)]
pub enum ClockLifecycle {}

impl Lifecycle for ClockLifecycle {
    type Stage = ClockStage;
    type Action = ClockAction;

    const STAGES: &'static [ClockStage] = &[
        ClockStage::Running,
        ClockStage::Overdue,
        ClockStage::NoTarget,
        ClockStage::Paused,
        ClockStage::PausedOverdue,
        ClockStage::Met,
        ClockStage::Missed,
        ClockStage::Untimed,
        ClockStage::NotApplicable,
    ];
    const ACTIONS: &'static [ClockAction] = &[
        ClockAction::Warn,
        ClockAction::Breach,
        ClockAction::Pause,
        ClockAction::Resume,
        ClockAction::Stop,
        ClockAction::CloseUnresolved,
        ClockAction::Reopen,
        ClockAction::Continue,
    ];

    fn next(stage: ClockStage, action: ClockAction) -> Option<ClockStage> {
        use ClockAction as A;
        use ClockStage as S;
        match (stage, action) {
            (S::Running, A::Warn) => Some(S::Running),
            (S::Running, A::Breach) => Some(S::Overdue),
            (S::Running, A::Pause) => Some(S::Paused),
            (S::Running, A::Stop) | (S::Paused, A::Stop) => Some(S::Met),
            (S::Overdue, A::Pause) => Some(S::PausedOverdue),
            (S::Overdue | S::PausedOverdue, A::Stop) => Some(S::Missed),
            (S::NoTarget, A::Stop) => Some(S::Untimed),
            (S::Paused, A::Resume) => Some(S::Running),
            (S::PausedOverdue, A::Resume) => Some(S::Overdue),
            (
                S::Running | S::Overdue | S::NoTarget | S::Paused | S::PausedOverdue,
                A::CloseUnresolved,
            ) => Some(S::NotApplicable),
            (S::Met | S::Missed, A::Reopen) | (S::Met, A::Continue) => Some(S::Running),
            (S::Missed, A::Continue) => Some(S::Overdue),
            (S::Untimed, A::Reopen | A::Continue) => Some(S::NoTarget),
            _ => None,
        }
    }

    fn stage_name(stage: ClockStage) -> &'static str {
        match stage {
            ClockStage::Running => "running",
            ClockStage::Overdue => "overdue",
            ClockStage::NoTarget => "no_target",
            ClockStage::Paused => "paused",
            ClockStage::PausedOverdue => "paused_overdue",
            ClockStage::Met => "met",
            ClockStage::Missed => "missed",
            ClockStage::Untimed => "untimed",
            ClockStage::NotApplicable => "not_applicable",
        }
    }

    fn action_name(action: ClockAction) -> &'static str {
        match action {
            ClockAction::Warn => "warn",
            ClockAction::Breach => "breach",
            ClockAction::Pause => "pause",
            ClockAction::Resume => "resume",
            ClockAction::Stop => "stop",
            ClockAction::CloseUnresolved => "close_unresolved",
            ClockAction::Reopen => "reopen",
            ClockAction::Continue => "continue",
        }
    }
}

impl TargetClock {
    /// Where the clock stands, as the target clock diagram in the [module docs](self) names
    /// it.
    ///
    /// ```
    /// # use clientele::{*, chrono::{TimeDelta, TimeZone, Utc}};
    /// use clientele::complaint::ClockStage;
    /// # let (policy, monday) = (ServicePolicy::default(), Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap());
    /// # let mut ona = Relationship::new(CustomerId::from_u128(1)); ona.execute(&policy, RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?), monday)?;
    ///
    /// let late = ComplaintId::from_u128(3);
    /// ona.execute(&policy, ReceiveComplaint::new(late, Channel::Phone, Text::new("Late")?), monday)?;
    /// ona.advance_to(&policy, monday + TimeDelta::hours(5)); // 4 h to acknowledge
    /// let complaint = ona.complaint(late).ok_or("received")?;
    /// assert_eq!(complaint.acknowledgement.stage(), ClockStage::Overdue);
    /// assert_eq!(complaint.resolution.stage(), ClockStage::Running);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn stage(&self) -> ClockStage {
        match (&self.phase, self.terms.due) {
            (ClockPhase::NotApplicable { .. }, _) => ClockStage::NotApplicable,
            (ClockPhase::Stopped { outcome, .. }, _) => match outcome {
                Outcome::Met => ClockStage::Met,
                Outcome::MetLate { .. } | Outcome::Missed { .. } => ClockStage::Missed,
                Outcome::Untimed => ClockStage::Untimed,
            },
            (ClockPhase::Paused { .. }, _) if self.breached => ClockStage::PausedOverdue,
            (ClockPhase::Paused { .. }, _) => ClockStage::Paused,
            (ClockPhase::Running, None) => ClockStage::NoTarget,
            (ClockPhase::Running, Some(_)) if self.breached => ClockStage::Overdue,
            (ClockPhase::Running, Some(_)) => ClockStage::Running,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::ClockLifecycle;
    use crate::lifecycle::assert_documented;

    #[test]
    fn target_clock_diagram_matches_transition_table() {
        assert_documented::<ClockLifecycle>(include_str!("target_clock.rs"));
    }
}
