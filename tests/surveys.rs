//! Surveys: one per resolution, voided by a reopen, scores validated.

mod support;

use clientele::SurveyEvent;
use clientele::survey::SurveyStage;
use clientele::{
    AcknowledgeComplaint, AnswerSurvey, Channel, CommandError, ComplaintId, CsatScore, Event,
    FollowUpId, NpsScore, ReceiveComplaint, ReopenComplaint, RequestSurvey, ResolveComplaint,
    ServicePolicy, SurveyAnswer, SurveyId, SurveyKind,
};
use support::*;

const C: ComplaintId = ComplaintId::from_u128(0xc1);
const S: SurveyId = SurveyId::from_u128(0x51);

fn resolved() -> World {
    let mut w = World::new(ServicePolicy::default(), "2026-03-02 09:00");
    w.given_customer(ONA, "standard");
    w.when(
        ONA,
        ReceiveComplaint::new(C, Channel::Phone, text("Late glasses")),
    )
    .unwrap();
    w.when(
        ONA,
        AcknowledgeComplaint {
            complaint: C,
            by: AGENT,
        },
    )
    .unwrap();
    w.at("2026-03-02 12:00");
    let resolve = ResolveComplaint {
        complaint: C,
        by: AGENT,
        remedy: None,
        apology: true,
        summary: text("Done").into(),
        follow_up: Some(FollowUpId::from_u128(1)),
    };
    w.when(ONA, resolve).unwrap();
    w
}

fn csat(score: u8) -> SurveyAnswer {
    SurveyAnswer::Csat(CsatScore::new(score).unwrap())
}

#[test]
fn a_resolution_is_surveyed_once_and_answered() {
    let mut w = resolved();
    w.when(
        ONA,
        RequestSurvey {
            survey: S,
            kind: SurveyKind::Csat,
            complaint: Some(C),
        },
    )
    .unwrap();
    let again = RequestSurvey {
        survey: SurveyId::from_u128(0x52),
        kind: SurveyKind::Nps,
        complaint: Some(C),
    };
    assert_eq!(
        w.when(ONA, again).unwrap_err(),
        CommandError::AlreadySurveyed(C)
    );
    w.at("2026-03-03 09:00");
    let events = w
        .when(
            ONA,
            AnswerSurvey {
                survey: Some(S),
                answer: csat(5),
                comment: Some(text("Thank you").into()),
            },
        )
        .unwrap();
    assert!(matches!(
        events[0],
        Event::Survey(SurveyEvent::Answered {
            complaint: Some(C),
            ..
        })
    ));
    let (_, survey) = w.relationship(ONA).surveys().next().unwrap();
    assert_eq!(survey.stage(), SurveyStage::Answered);
    let twice = AnswerSurvey {
        survey: Some(S),
        answer: csat(4),
        comment: None,
    };
    assert_eq!(
        w.when(ONA, twice).unwrap_err(),
        CommandError::InvalidTransition {
            entity: "survey",
            from: "answered",
            action: "answer"
        }
    );
    w.assert_replay_matches();
}

#[test]
fn a_reopen_voids_the_pending_survey_and_its_answer_is_refused() {
    let mut w = resolved();
    w.when(
        ONA,
        RequestSurvey {
            survey: S,
            kind: SurveyKind::Nps,
            complaint: Some(C),
        },
    )
    .unwrap();
    w.at("2026-03-02 15:00");
    let events = w
        .when(
            ONA,
            ReopenComplaint {
                complaint: C,
                reason: text("Still wrong").into(),
            },
        )
        .unwrap();
    assert!(
        events
            .iter()
            .any(|e| matches!(e, Event::Survey(SurveyEvent::Voided { survey: S, .. })))
    );
    let late = AnswerSurvey {
        survey: Some(S),
        answer: SurveyAnswer::Nps(NpsScore::new(2).unwrap()),
        comment: None,
    };
    assert_eq!(
        w.when(ONA, late).unwrap_err(),
        CommandError::SurveyVoided(S)
    );
    w.assert_replay_matches();
}

#[test]
fn the_next_resolution_can_be_surveyed_again() {
    let mut w = resolved();
    w.when(
        ONA,
        RequestSurvey {
            survey: S,
            kind: SurveyKind::Csat,
            complaint: Some(C),
        },
    )
    .unwrap();
    w.when(
        ONA,
        AnswerSurvey {
            survey: Some(S),
            answer: csat(2),
            comment: None,
        },
    )
    .unwrap();
    w.at("2026-03-02 15:00");
    w.when(
        ONA,
        ReopenComplaint {
            complaint: C,
            reason: text("Still wrong").into(),
        },
    )
    .unwrap();
    let early = RequestSurvey {
        survey: SurveyId::from_u128(0x52),
        kind: SurveyKind::Csat,
        complaint: Some(C),
    };
    assert!(matches!(
        w.when(ONA, early.clone()).unwrap_err(),
        CommandError::InvalidTransition {
            entity: "complaint",
            ..
        }
    ));
    w.at("2026-03-02 16:00");
    let resolve = ResolveComplaint {
        complaint: C,
        by: AGENT,
        remedy: None,
        apology: true,
        summary: text("Fixed").into(),
        follow_up: Some(FollowUpId::from_u128(2)),
    };
    w.when(ONA, resolve).unwrap();
    w.when(ONA, early).unwrap();
}

#[test]
fn unprompted_answers_and_bad_scores() {
    let mut w = resolved();
    w.when(
        ONA,
        AnswerSurvey {
            survey: None,
            answer: SurveyAnswer::Nps(NpsScore::new(10).unwrap()),
            comment: None,
        },
    )
    .unwrap();
    assert_eq!(
        w.when(
            ONA,
            AnswerSurvey {
                survey: Some(SurveyId::from_u128(9)),
                answer: csat(3),
                comment: None
            }
        )
        .unwrap_err(),
        CommandError::UnknownSurvey(SurveyId::from_u128(9))
    );
    w.when(
        ONA,
        RequestSurvey {
            survey: S,
            kind: SurveyKind::Csat,
            complaint: None,
        },
    )
    .unwrap();
    assert!(matches!(
        w.when(
            ONA,
            AnswerSurvey {
                survey: Some(S),
                answer: SurveyAnswer::Nps(NpsScore::new(7).unwrap()),
                comment: None
            }
        )
        .unwrap_err(),
        CommandError::Contradictory(_)
    ));
    assert!(CsatScore::new(6).is_err() && CsatScore::new(0).is_err() && NpsScore::new(11).is_err());
    assert!(serde_json::from_str::<SurveyAnswer>(r#"{"kind":"csat","score":9}"#).is_err());
    assert!(serde_json::from_str::<SurveyAnswer>(r#"{"kind":"nps","score":11}"#).is_err());
    let unresolved = ComplaintId::from_u128(0xc2);
    w.when(
        ONA,
        ReceiveComplaint::new(unresolved, Channel::Email, text("x")),
    )
    .unwrap();
    assert!(matches!(
        w.when(
            ONA,
            RequestSurvey {
                survey: SurveyId::from_u128(0x53),
                kind: SurveyKind::Csat,
                complaint: Some(unresolved)
            }
        )
        .unwrap_err(),
        CommandError::InvalidTransition {
            entity: "complaint",
            from: "received",
            ..
        }
    ));
}
