//! Surveys: what customers tell us about our service, as CSAT (1–5) and NPS (0–10) answers.
//!
//! A survey can be requested for a complaint's resolution (at most one per resolution) or on its
//! own; an answer can come for a requested survey or unprompted. A reopened complaint voids the
//! survey still pending for its resolution: the answer would be about a resolution that no
//! longer stands, so it is refused with a clear error.
//!
//! # State diagram
//!
//! ```text
//! pending --answer--> answered
//! pending --void-->   voided
//! ```
//!
//! Voiding the pending survey on a reopen is a reaction of the relationship; this family
//! decides and folds its own events.

mod command;
mod decide;
mod event;
mod fold;
mod state;

pub use command::{AnswerSurvey, RequestSurvey, SurveyCommand};
pub use event::SurveyEvent;
pub use state::{
    Survey, SurveyAction, SurveyAnswer, SurveyKind, SurveyLifecycle, SurveyStage, SurveyState,
};

pub(crate) use decide::{answer, request, void};
pub(crate) use fold::fold;
pub(crate) use state::{Surveys, pending_for};

#[cfg(test)]
mod tests {
    use super::SurveyLifecycle;
    use crate::lifecycle::assert_documented;

    #[test]
    fn state_diagram_matches_transition_table() {
        assert_documented::<SurveyLifecycle>(include_str!("mod.rs"));
    }
}
