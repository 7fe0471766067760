//! Transition tables as data.
//!
//! Every lifecycle in the crate (the response clock, promises, complaints, follow-ups) has a
//! fieldless `Stage` enum and an `Action` enum, and one exhaustive function saying where each
//! action leads from each stage. The data-carrying state enums use that function for every
//! change, and the state diagram in each module's docs is checked against it by a test, so the
//! picture cannot drift from the code.

use std::fmt::Debug;

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
}

/// Every allowed transition as `(from, action, to)`, in declaration order.
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
