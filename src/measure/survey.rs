//! Survey measures: CSAT and NPS; and how a tally reads survey events.

use serde::{Deserialize, Serialize};

use crate::id::{AgentId, ComplaintId};
use crate::measure::stats::ratio;
use crate::measure::tally::{Fact, Memory, Read};
use crate::survey::{SurveyAnswer, SurveyEvent};

/// Survey answers: CSAT (1–5) and NPS (0–10) histograms.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct SurveyMeasures {
    /// Surveys sent.
    pub requested: u64,
    /// Surveys voided (the resolution they asked about was reopened).
    pub voided: u64,
    /// CSAT answers by score: index 0 holds the 1s, index 4 the 5s.
    pub csat_scores: [u64; 5],
    /// NPS answers by score: index `n` holds the answers `n`, 0 to 10.
    pub nps_scores: [u64; 11],
}

impl SurveyMeasures {
    /// Adds `other`'s figures to these.
    ///
    /// ```
    /// use clientele::measure::SurveyMeasures;
    ///
    /// let (mut a, mut b) = (SurveyMeasures::default(), SurveyMeasures::default());
    /// a.csat_scores[4] = 2; // two 5s
    /// b.csat_scores[4] = 1;
    /// a.merge(&b);
    /// assert_eq!(a.csat_scores[4], 3);
    /// ```
    pub fn merge(&mut self, other: &SurveyMeasures) {
        self.requested = self.requested.saturating_add(other.requested);
        self.voided = self.voided.saturating_add(other.voided);
        for (mine, theirs) in self.csat_scores.iter_mut().zip(other.csat_scores) {
            *mine = mine.saturating_add(theirs);
        }
        for (mine, theirs) in self.nps_scores.iter_mut().zip(other.nps_scores) {
            *mine = mine.saturating_add(theirs);
        }
    }

    fn add(&mut self, answer: SurveyAnswer) {
        let slot = match answer {
            SurveyAnswer::Csat(score) => self
                .csat_scores
                .get_mut(usize::from(score.get()).saturating_sub(1)),
            SurveyAnswer::Nps(score) => self.nps_scores.get_mut(usize::from(score.get())),
        };
        if let Some(n) = slot {
            *n = n.saturating_add(1);
        }
    }

    fn sum(scores: &[u64]) -> u64 {
        scores.iter().fold(0, |a, n| a.saturating_add(*n))
    }

    /// CSAT answers.
    ///
    /// ```
    /// use clientele::measure::SurveyMeasures;
    ///
    /// let mut surveys = SurveyMeasures::default();
    /// surveys.csat_scores = [1, 0, 2, 0, 3]; // one 1, two 3s, three 5s
    /// assert_eq!(surveys.csat_answers(), 6);
    /// ```
    #[must_use]
    pub fn csat_answers(&self) -> u64 {
        Self::sum(&self.csat_scores)
    }

    /// CSAT answers of 4 or 5: satisfied customers.
    ///
    /// ```
    /// use clientele::measure::SurveyMeasures;
    ///
    /// let mut surveys = SurveyMeasures::default();
    /// surveys.csat_scores = [1, 0, 2, 1, 3]; // a 4 and three 5s are satisfied
    /// assert_eq!(surveys.csat_satisfied(), 4);
    /// ```
    #[must_use]
    pub fn csat_satisfied(&self) -> u64 {
        Self::sum(self.csat_scores.get(3..).unwrap_or_default())
    }

    /// CSAT: the share of CSAT answers that are 4 or 5, 0.0 to 1.0; `None` without answers.
    ///
    /// ```
    /// use clientele::measure::SurveyMeasures;
    ///
    /// let mut surveys = SurveyMeasures::default();
    /// assert_eq!(surveys.csat(), None);
    /// surveys.csat_scores = [1, 0, 0, 1, 2];
    /// assert_eq!(surveys.csat(), Some(0.75));
    /// ```
    #[must_use]
    pub fn csat(&self) -> Option<f64> {
        ratio(self.csat_satisfied(), self.csat_answers())
    }

    /// NPS answers.
    ///
    /// ```
    /// use clientele::measure::SurveyMeasures;
    ///
    /// let mut surveys = SurveyMeasures::default();
    /// surveys.nps_scores[0] = 1;
    /// surveys.nps_scores[10] = 2;
    /// assert_eq!(surveys.nps_answers(), 3);
    /// ```
    #[must_use]
    pub fn nps_answers(&self) -> u64 {
        Self::sum(&self.nps_scores)
    }

    /// NPS answers of 9 or 10.
    ///
    /// ```
    /// use clientele::measure::SurveyMeasures;
    ///
    /// let mut surveys = SurveyMeasures::default();
    /// (surveys.nps_scores[9], surveys.nps_scores[10], surveys.nps_scores[8]) = (1, 2, 5);
    /// assert_eq!(surveys.promoters(), 3);
    /// ```
    #[must_use]
    pub fn promoters(&self) -> u64 {
        Self::sum(self.nps_scores.get(9..).unwrap_or_default())
    }

    /// NPS answers of 7 or 8.
    ///
    /// ```
    /// use clientele::measure::SurveyMeasures;
    ///
    /// let mut surveys = SurveyMeasures::default();
    /// (surveys.nps_scores[7], surveys.nps_scores[8], surveys.nps_scores[9]) = (1, 2, 5);
    /// assert_eq!(surveys.passives(), 3);
    /// ```
    #[must_use]
    pub fn passives(&self) -> u64 {
        Self::sum(self.nps_scores.get(7..9).unwrap_or_default())
    }

    /// NPS answers of 0 to 6.
    ///
    /// ```
    /// use clientele::measure::SurveyMeasures;
    ///
    /// let mut surveys = SurveyMeasures::default();
    /// (surveys.nps_scores[0], surveys.nps_scores[6], surveys.nps_scores[7]) = (1, 2, 5);
    /// assert_eq!(surveys.detractors(), 3);
    /// ```
    #[must_use]
    pub fn detractors(&self) -> u64 {
        Self::sum(self.nps_scores.get(..7).unwrap_or_default())
    }

    /// Net Promoter Score: % promoters − % detractors, from −100.0 to 100.0 (not rounded);
    /// `None` without answers.
    ///
    /// ```
    /// use clientele::measure::SurveyMeasures;
    ///
    /// let mut surveys = SurveyMeasures::default();
    /// surveys.nps_scores[10] = 3; // promoters
    /// surveys.nps_scores[8] = 1; // a passive
    /// surveys.nps_scores[2] = 1; // a detractor
    /// assert_eq!(surveys.nps(), Some(40.0));
    /// ```
    #[must_use]
    pub fn nps(&self) -> Option<f64> {
        let n = self.nps_answers();
        (n > 0).then(|| (self.promoters() as f64 - self.detractors() as f64) * 100.0 / n as f64)
    }
}

impl SurveyMeasures {
    /// Counts one survey fact.
    pub(super) fn count(&mut self, what: &SurveyFact) {
        match what {
            SurveyFact::Requested => {
                self.requested = self.requested.saturating_add(1);
            }
            SurveyFact::Voided => {
                self.voided = self.voided.saturating_add(1);
            }
            SurveyFact::Answered(answer) => self.add(*answer),
        }
    }
}

/// What a survey event adds to the survey figures.
pub(super) enum SurveyFact {
    Requested,
    Voided,
    Answered(SurveyAnswer),
}

impl Memory {
    /// Reads a survey event: remembers which complaint a survey is about, and returns what it
    /// counts and for whom (the owner of that complaint, else the account owner).
    pub(super) fn read_survey(&mut self, event: &SurveyEvent) -> Option<Read> {
        match event {
            SurveyEvent::Requested {
                survey, complaint, ..
            } => {
                self.surveys.insert(*survey, *complaint);
                let owner = self.survey_owner(complaint.as_ref());
                Some((Fact::Survey(SurveyFact::Requested), owner, None))
            }
            SurveyEvent::Answered {
                answer, complaint, ..
            } => {
                let owner = self.survey_owner(complaint.as_ref());
                Some((Fact::Survey(SurveyFact::Answered(*answer)), owner, None))
            }
            SurveyEvent::Voided { survey, .. } => {
                let owner = match self.surveys.get(survey) {
                    Some(Some(complaint)) => self.complaint_owner(complaint),
                    Some(None) | None => self.account_owner,
                };
                Some((Fact::Survey(SurveyFact::Voided), owner, None))
            }
        }
    }

    /// Who a survey's figures go to: the owner of the complaint it is about, else the account
    /// owner.
    fn survey_owner(&self, complaint: Option<&ComplaintId>) -> Option<AgentId> {
        complaint.map_or(self.account_owner, |c| self.complaint_owner(c))
    }
}
