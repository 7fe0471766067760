//! How a relationship moves between health bands: the diagram under "Band diagram" in the
//! [module docs](super) is checked against this table, and `tests/diagrams.rs` checks the
//! table and the events recorded against scored relationships.

use crate::lifecycle::Lifecycle;

use super::Band;

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

/// The bands' transition table.
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

#[cfg(test)]
mod tests {
    use super::BandLifecycle;
    use crate::lifecycle::assert_documented_under;

    #[test]
    fn band_diagram_matches_transition_table() {
        assert_documented_under::<BandLifecycle>(include_str!("mod.rs"), Some("Band diagram"));
    }
}
