//! The transition table of an outside party's commitment behind a promise: the diagram under
//! "Dependency diagram" in the [module docs](super) is checked against it, and
//! `tests/diagrams.rs` checks it against what the commands and deadlines do.

use crate::lifecycle::Lifecycle;

use super::state::DependencyState;

/// What happens to an outside party's commitment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DependencyAction {
    /// The party gives a (new) date ([`RecordDependency`](super::RecordDependency)): it
    /// replaces the commitment before.
    Record,
    /// Its due instant passes unmet (`dependency_late`, fired by `advance_to`).
    Miss,
    /// The party delivered ([`MeetDependency`](super::MeetDependency)).
    Meet,
}

/// The transition table of a promise's [`Dependency`](super::Dependency).
#[derive(Debug)]
pub enum DependencyLifecycle {}

impl Lifecycle for DependencyLifecycle {
    type Stage = DependencyState;
    type Action = DependencyAction;

    const STAGES: &'static [DependencyState] = &[
        DependencyState::Pending,
        DependencyState::Late,
        DependencyState::Met,
    ];
    const ACTIONS: &'static [DependencyAction] = &[
        DependencyAction::Record,
        DependencyAction::Miss,
        DependencyAction::Meet,
    ];

    fn next(stage: DependencyState, action: DependencyAction) -> Option<DependencyState> {
        match (stage, action) {
            (_, DependencyAction::Record) => Some(DependencyState::Pending),
            (DependencyState::Pending, DependencyAction::Miss) => Some(DependencyState::Late),
            (DependencyState::Pending | DependencyState::Late, DependencyAction::Meet) => {
                Some(DependencyState::Met)
            }
            (DependencyState::Late | DependencyState::Met, DependencyAction::Miss)
            | (DependencyState::Met, DependencyAction::Meet) => None,
        }
    }

    fn stage_name(stage: DependencyState) -> &'static str {
        match stage {
            DependencyState::Pending => "pending",
            DependencyState::Late => "late",
            DependencyState::Met => "met",
        }
    }

    fn action_name(action: DependencyAction) -> &'static str {
        match action {
            DependencyAction::Record => "record",
            DependencyAction::Miss => "miss",
            DependencyAction::Meet => "meet",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::DependencyLifecycle;
    use crate::lifecycle::assert_documented_under;

    #[test]
    fn dependency_diagram_matches_transition_table() {
        assert_documented_under::<DependencyLifecycle>(
            include_str!("mod.rs"),
            "Dependency diagram",
        );
    }
}
