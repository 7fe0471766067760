//! Every command has a constructor taking what is required; the rest defaults to "nothing
//! said": no optional link, no note, no agreement, no apology. Each is checked against the
//! struct it builds, field by field.

mod support;

use chrono::{DateTime, Utc};
use clientele::{
    AcknowledgeComplaint, AgentId, AnswerSurvey, AssignComplaint, AwaitCustomer, CancelFollowUp,
    CloseComplaint, ComplaintId, CompleteFollowUp, CsatScore, EscalateComplaint, FollowUpId,
    FollowUpOutcome, KeepPromise, MeetDependency, PartyId, PromiseId, RecordDependency,
    ReopenComplaint, RequestEscalation, RequestSurvey, ResolveComplaint, ResumeComplaint,
    RevisePromise, RouteComplaint, ScheduleFollowUp, SurveyAnswer, SurveyId, SurveyKind, TeamId,
    WithdrawPromise,
};
use support::*;

const C: ComplaintId = ComplaintId::from_u128(1);
const A: AgentId = AgentId::from_u128(2);
const P: PromiseId = PromiseId::from_u128(3);
const F: FollowUpId = FollowUpId::from_u128(4);

fn due() -> DateTime<Utc> {
    t("2026-03-04 12:00")
}

#[test]
fn complaint_commands() {
    assert_eq!(
        AcknowledgeComplaint::new(C, A),
        AcknowledgeComplaint {
            complaint: C,
            by: A
        }
    );
    assert_eq!(
        AssignComplaint::new(C, A),
        AssignComplaint {
            complaint: C,
            owner: A
        }
    );
    let team = TeamId::from_u128(5);
    assert_eq!(
        RouteComplaint::new(C, team),
        RouteComplaint { complaint: C, team }
    );
    assert_eq!(
        RequestEscalation::new(C),
        RequestEscalation { complaint: C }
    );
    assert_eq!(
        EscalateComplaint::new(C, 1, A),
        EscalateComplaint {
            complaint: C,
            to_level: 1,
            owner: A
        }
    );
    assert_eq!(AwaitCustomer::new(C), AwaitCustomer { complaint: C });
    assert_eq!(ResumeComplaint::new(C), ResumeComplaint { complaint: C });
    assert_eq!(CloseComplaint::new(C), CloseComplaint { complaint: C });
    assert_eq!(
        ReopenComplaint::new(C, text("Still broken")),
        ReopenComplaint {
            complaint: C,
            reason: text("Still broken").into()
        }
    );
    let plain = ResolveComplaint {
        complaint: C,
        by: A,
        remedy: None,
        apology: false,
        summary: text("Fixed").into(),
        follow_up: None,
    };
    assert_eq!(ResolveComplaint::new(C, A, text("Fixed")), plain);
    assert_eq!(
        ResolveComplaint::new(C, A, text("Fixed"))
            .remedy(text("Refund"))
            .apologised()
            .scheduling(F),
        ResolveComplaint {
            remedy: Some(text("Refund").into()),
            apology: true,
            follow_up: Some(F),
            ..plain
        }
    );
}

#[test]
fn promise_commands() {
    let revise = RevisePromise::new(P, due(), text("Lab delay"));
    assert_eq!(
        revise,
        RevisePromise {
            promise: P,
            due: due(),
            reason: text("Lab delay").into(),
            customer_agreed: false
        }
    );
    assert!(revise.agreed().customer_agreed);
    assert_eq!(KeepPromise::new(P), KeepPromise { promise: P });
    assert_eq!(
        WithdrawPromise::new(P, text("Cancelled")),
        WithdrawPromise {
            promise: P,
            reason: text("Cancelled").into()
        }
    );
    let party = PartyId::from_u128(6);
    let dependency = RecordDependency::new(P, party, text("Lenses"), due());
    assert_eq!(
        dependency,
        RecordDependency {
            promise: P,
            party,
            commitment: text("Lenses").into(),
            reference: None,
            due: due()
        }
    );
    assert_eq!(
        dependency.reference(text("JOB-1")).reference,
        Some(text("JOB-1"))
    );
    assert_eq!(MeetDependency::new(P), MeetDependency { promise: P });
}

#[test]
fn follow_up_and_survey_commands() {
    let schedule = ScheduleFollowUp::new(F, A, due(), text("Call back"));
    assert_eq!(
        schedule,
        ScheduleFollowUp {
            follow_up: F,
            owner: A,
            due: due(),
            reason: text("Call back").into(),
            complaint: None
        }
    );
    assert_eq!(schedule.about(C).complaint, Some(C));
    let done = CompleteFollowUp::new(F, FollowUpOutcome::Satisfied);
    assert_eq!(
        done,
        CompleteFollowUp {
            follow_up: F,
            outcome: FollowUpOutcome::Satisfied,
            note: None
        }
    );
    assert_eq!(done.note(text("Happy")).note, Some(text("Happy").into()));
    assert_eq!(
        CancelFollowUp::new(F, text("Moved away")),
        CancelFollowUp {
            follow_up: F,
            reason: text("Moved away").into()
        }
    );
    let survey = SurveyId::from_u128(7);
    let request = RequestSurvey::new(survey, SurveyKind::Csat);
    assert_eq!(
        request,
        RequestSurvey {
            survey,
            kind: SurveyKind::Csat,
            complaint: None
        }
    );
    assert_eq!(request.about(C).complaint, Some(C));
    let answer = SurveyAnswer::Csat(CsatScore::new(5).unwrap());
    assert_eq!(
        AnswerSurvey::new(survey, answer),
        AnswerSurvey {
            survey: Some(survey),
            answer,
            comment: None
        }
    );
    let unprompted = AnswerSurvey::unprompted(answer).comment(text("Great"));
    assert_eq!(
        unprompted,
        AnswerSurvey {
            survey: None,
            answer,
            comment: Some(text("Great").into())
        }
    );
}
