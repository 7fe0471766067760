//! Transition tables as data.
//!
//! Every lifecycle in the crate (the response clock, promises, complaints, follow-ups, surveys)
//! has a fieldless `Stage` enum and an `Action` enum, and one exhaustive function saying where
//! each action leads from each stage. The data-carrying state enums use that function for every
//! change, and the state diagram in each module's docs is checked against it by a test, so the
//! picture cannot drift from the code. [`Lifecycle::step`] and [`Refused`] are the one way a
//! family checks a transition, and [`Refused`] says what was refused in the family's words.
//!
//! Three more diagrams are drawn from tables of the same kind that no command steps through:
//! a complaint's target clocks ([`ClockLifecycle`](crate::complaint::ClockLifecycle)), a
//! promise's outside-party dependency
//! ([`DependencyLifecycle`](crate::promise::DependencyLifecycle)) and the health bands
//! ([`BandLifecycle`], here because health sits below the lifecycles in the order of imports).
//! Their diagrams are checked against the tables like the others, and the tables against what
//! the engine does by random walks (`tests/diagrams.rs`).

use std::fmt::Debug;

use crate::error::CommandError;
use crate::health::Band;

/// A lifecycle whose transitions can be listed.
pub trait Lifecycle {
    /// The stages (states without their data).
    type Stage: Copy + Eq + Debug + 'static;
    /// What can happen to it.
    type Action: Copy + Eq + Debug + 'static;

    /// Every stage.
    const STAGES: &'static [Self::Stage];
    /// Every action.
    const ACTIONS: &'static [Self::Action];

    /// Where `action` leads from `stage`, or `None` if it is not allowed there.
    fn next(stage: Self::Stage, action: Self::Action) -> Option<Self::Stage>;

    /// The stage's name as the docs write it.
    fn stage_name(stage: Self::Stage) -> &'static str;

    /// The action's name as the docs write it.
    fn action_name(action: Self::Action) -> &'static str;

    /// Where `action` leads from `stage`, or the refusal that names both.
    ///
    /// # Errors
    /// [`Refused`] when the table has no such transition.
    fn step(stage: Self::Stage, action: Self::Action) -> Result<Self::Stage, Refused<Self>>
    where
        Self: Sized,
    {
        Self::next(stage, action).ok_or(Refused {
            from: stage,
            action,
        })
    }
}

/// What the entity of a lifecycle is called in errors (`"promise"`, `"follow-up"`).
pub trait Entity: Lifecycle {
    /// The name.
    const ENTITY: &'static str;
}

/// A transition the table does not allow: `action` from the stage `from`.
pub struct Refused<L: Lifecycle> {
    /// The stage the entity was in.
    pub from: L::Stage,
    /// The action refused.
    pub action: L::Action,
}

impl<L: Lifecycle> Clone for Refused<L> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<L: Lifecycle> Copy for Refused<L> {}

impl<L: Lifecycle> Debug for Refused<L> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Refused")
            .field("from", &self.from)
            .field("action", &self.action)
            .finish()
    }
}

impl<L: Lifecycle> PartialEq for Refused<L> {
    fn eq(&self, other: &Self) -> bool {
        self.from == other.from && self.action == other.action
    }
}

impl<L: Lifecycle> Eq for Refused<L> {}

impl<L: Entity> From<Refused<L>> for CommandError {
    fn from(refused: Refused<L>) -> Self {
        CommandError::InvalidTransition {
            entity: L::ENTITY,
            from: L::stage_name(refused.from),
            action: L::action_name(refused.action),
        }
    }
}

impl<L: Entity> From<Refused<L>> for Misfit {
    fn from(refused: Refused<L>) -> Self {
        Misfit::Transition {
            entity: L::ENTITY,
            from: L::stage_name(refused.from),
            action: L::action_name(refused.action),
        }
    }
}

/// Why a stored event does not fit the state it is applied to: what a fold returns. The
/// relationship turns it into [`ReplayError::DoesNotFit`](crate::error::ReplayError) with the
/// envelope's customer, sequence number and kind.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum Misfit {
    /// The event names an item the relationship does not hold.
    #[error("{entity} {id} is not known")]
    Unknown {
        /// `"promise"`, `"complaint"`, ...
        entity: &'static str,
        /// Its id.
        id: String,
    },
    /// The event creates an item that exists already.
    #[error("{entity} {id} exists already")]
    Exists {
        /// `"promise"`, `"complaint"`, ...
        entity: &'static str,
        /// Its id.
        id: String,
    },
    /// The item's lifecycle does not allow the event in its stage.
    #[error("a {entity} that is {from} cannot {action}")]
    Transition {
        /// `"promise"`, `"complaint"`, ...
        entity: &'static str,
        /// Its stage.
        from: &'static str,
        /// What the event would do.
        action: &'static str,
    },
    /// The event states something (a due instant, an owner, a count) the state contradicts.
    #[error("{0}")]
    Contradicts(String),
}

impl Misfit {
    /// An unknown item.
    pub(crate) fn unknown(entity: &'static str, id: impl std::fmt::Display) -> Self {
        Misfit::Unknown {
            entity,
            id: id.to_string(),
        }
    }

    /// An item that exists already.
    pub(crate) fn exists(entity: &'static str, id: impl std::fmt::Display) -> Self {
        Misfit::Exists {
            entity,
            id: id.to_string(),
        }
    }
}

impl From<String> for Misfit {
    fn from(reason: String) -> Self {
        Misfit::Contradicts(reason)
    }
}

impl From<&str> for Misfit {
    fn from(reason: &str) -> Self {
        Misfit::Contradicts(reason.to_owned())
    }
}

/// Every allowed transition as `(from, action, to)`, in declaration order.
///
/// ```
/// use clientele::lifecycle::transitions;
/// use clientele::promise::{DependencyAction, DependencyLifecycle};
/// use clientele::promise::DependencyState::{Late, Met, Pending};
///
/// let table = transitions::<DependencyLifecycle>();
/// assert!(table.contains(&(Pending, DependencyAction::Miss, Late)));
/// // A met dependency is not met again.
/// assert!(!table.iter().any(|(from, action, _)| *from == Met && *action == DependencyAction::Meet));
/// assert_eq!(table.len(), 6);
/// ```
#[must_use]
pub fn transitions<L: Lifecycle>() -> Vec<(L::Stage, L::Action, L::Stage)> {
    let mut table = Vec::new();
    for &stage in L::STAGES {
        for &action in L::ACTIONS {
            if let Some(to) = L::next(stage, action) {
                table.push((stage, action, to));
            }
        }
    }
    table
}

/// The table as diagram lines: `from --action--> to`, one per transition.
///
/// ```
/// use clientele::lifecycle::diagram;
/// use clientele::promise::DependencyLifecycle;
///
/// let lines = diagram::<DependencyLifecycle>();
/// assert!(lines.contains(&"pending --miss--> late".to_owned()));
/// assert_eq!(lines.len(), 6);
/// ```
#[must_use]
pub fn diagram<L: Lifecycle>() -> Vec<String> {
    transitions::<L>()
        .into_iter()
        .map(|(from, action, to)| {
            format!(
                "{} --{}--> {}",
                L::stage_name(from),
                L::action_name(action),
                L::stage_name(to)
            )
        })
        .collect()
}

/// The diagram lines written in a module's docs (`//!` lines containing `-->`), with runs of
/// spaces collapsed, sorted; for the tests that compare docs and table.
#[cfg(test)]
pub(crate) fn documented(source: &str) -> Vec<String> {
    let mut lines: Vec<String> = source
        .lines()
        .filter_map(|line| line.trim_start().strip_prefix("//!"))
        .filter(|line| line.contains("-->"))
        .map(|line| line.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect();
    lines.sort();
    lines
}

/// [`documented`], only the lines under the heading `//! # {heading}` (up to the next
/// heading), so a module can draw several diagrams.
#[cfg(test)]
pub(crate) fn documented_under(source: &str, heading: &str) -> Vec<String> {
    let mut under = false;
    let mut section = String::new();
    for line in source.lines() {
        if let Some(title) = line.trim_start().strip_prefix("//! # ") {
            under = title.trim() == heading;
        } else if under {
            section.push_str(line);
            section.push('\n');
        }
    }
    documented(&section)
}

/// Asserts that the docs of `source` show exactly the transitions of `L`.
#[cfg(test)]
pub(crate) fn assert_documented<L: Lifecycle>(source: &str) {
    let mut table = diagram::<L>();
    table.sort();
    assert_eq!(
        documented(source),
        table,
        "the state diagram in the module docs differs from the transition table"
    );
}

/// Asserts that the diagram under `heading` in the docs of `source` shows exactly the
/// transitions of `L`.
#[cfg(test)]
pub(crate) fn assert_documented_under<L: Lifecycle>(source: &str, heading: &str) {
    let mut table = diagram::<L>();
    table.sort();
    assert_eq!(
        documented_under(source, heading),
        table,
        "the state diagram under \"{heading}\" in the module docs differs from the table"
    );
}

/// A move of the score across a band's edge.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BandMove {
    /// Down one band.
    Decline,
    /// From healthy straight to at risk (a severe failure, or several at once).
    Plunge,
    /// Up one band.
    Improve,
    /// From at risk straight back to healthy.
    Rebound,
}

/// The transition table of the health bands ([`Band`]): the diagram under "Band diagram"
/// in [`crate::health`]. It lives here, not in `health`, because health sits below the
/// lifecycles in the order of imports (the policy holds the health rules).
#[derive(Debug)]
pub enum BandLifecycle {}

impl Lifecycle for BandLifecycle {
    type Stage = Band;
    type Action = BandMove;

    const STAGES: &'static [Band] = &[Band::Healthy, Band::Watch, Band::AtRisk];
    const ACTIONS: &'static [BandMove] = &[
        BandMove::Decline,
        BandMove::Plunge,
        BandMove::Improve,
        BandMove::Rebound,
    ];

    fn next(band: Band, action: BandMove) -> Option<Band> {
        match (band, action) {
            (Band::Healthy, BandMove::Decline) | (Band::AtRisk, BandMove::Improve) => {
                Some(Band::Watch)
            }
            (Band::Watch, BandMove::Decline) | (Band::Healthy, BandMove::Plunge) => {
                Some(Band::AtRisk)
            }
            (Band::Watch, BandMove::Improve) | (Band::AtRisk, BandMove::Rebound) => {
                Some(Band::Healthy)
            }
            (Band::AtRisk, BandMove::Decline | BandMove::Plunge)
            | (Band::Watch, BandMove::Plunge | BandMove::Rebound)
            | (Band::Healthy, BandMove::Improve | BandMove::Rebound) => None,
        }
    }

    fn stage_name(band: Band) -> &'static str {
        match band {
            Band::Healthy => "healthy",
            Band::Watch => "watch",
            Band::AtRisk => "at_risk",
        }
    }

    fn action_name(action: BandMove) -> &'static str {
        match action {
            BandMove::Decline => "decline",
            BandMove::Plunge => "plunge",
            BandMove::Improve => "improve",
            BandMove::Rebound => "rebound",
        }
    }
}

/// What a family's decision needs besides its own items: the policy, the moment, and the
/// customer's tier and account owner. One value instead of long parameter lists.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Context<'a> {
    /// The policy in force.
    pub(crate) policy: &'a crate::policy::ServicePolicy,
    /// When the command is decided (or the deadline fires).
    pub(crate) now: chrono::DateTime<chrono::Utc>,
    /// The customer's tier now.
    pub(crate) tier: &'a crate::value::Tier,
    /// The agent who owns the account, if any (receives flags nobody else owns).
    pub(crate) account_owner: Option<crate::id::AgentId>,
}

#[cfg(test)]
mod tests {
    use super::{BandLifecycle, assert_documented_under};

    #[test]
    fn band_diagram_matches_transition_table() {
        assert_documented_under::<BandLifecycle>(include_str!("health/mod.rs"), "Band diagram");
    }
}
