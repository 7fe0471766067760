//! A complaint desk: the escalation ladder, and a follow-up that reopens a complaint.
//! `cargo run --example complaint_desk`
//!
//! Petras complains that his washing machine leaks. The front line (Jonas) sits on it past the
//! level's threshold: escalation is due, and stays flagged until the specialist (Rūta) takes
//! it. She waits on Petras for photos (the clocks pause) and resolves it; the follow-up finds
//! him not satisfied, which reopens the complaint and makes escalation due at once; the manager
//! (Daiva) takes it and resolves it for good.

mod common;

use clientele::policy::ReopenMode;
use clientele::{
    AcknowledgeComplaint, AgentId, AssignComplaint, AwaitCustomer, Channel, ComplaintId,
    CompleteFollowUp, CustomerId, EscalateComplaint, FollowUpId, FollowUpOutcome, Ledger, Priority,
    ReceiveComplaint, RegisterCustomer, ResolveComplaint, ResumeComplaint, ServicePolicy, Tier,
};

const PETRAS: CustomerId = CustomerId::from_u128(2);
const LEAK: ComplaintId = ComplaintId::from_u128(10);

use common::{DAIVA, JONAS, RUTA, march as at, text};

fn resolution(by: AgentId, summary: &str, follow_up: u128) -> ResolveComplaint {
    ResolveComplaint {
        complaint: LEAK,
        by,
        remedy: Some(text("Free repair visit").into()),
        apology: true,
        summary: text(summary).into(),
        follow_up: Some(FollowUpId::from_u128(follow_up)),
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut policy = ServicePolicy::default();
    policy.complaints.reopen = ReopenMode::NewCycle;
    let ladder: Vec<_> = policy
        .complaints
        .levels
        .iter()
        .map(|l| l.name.to_string())
        .collect();
    println!("Support levels: {}\n", ladder.join(" → "));
    let mut desk = common::Story::new(Ledger::new(policy)?, PETRAS);

    desk.run(
        RegisterCustomer::new(text("Petras"), Tier::new("standard")?).owned_by(RUTA),
        at(2, 9),
    )?;
    desk.run(
        ReceiveComplaint::new(LEAK, Channel::Email, text("The new washing machine leaks"))
            .priority(Priority::High),
        at(2, 9),
    )?;
    desk.run(
        AcknowledgeComplaint {
            complaint: LEAK,
            by: JONAS,
        },
        at(2, 10),
    )?;
    desk.run(
        AssignComplaint {
            complaint: LEAK,
            owner: JONAS,
        },
        at(2, 10),
    )?;
    // The front line may keep it 8 hours; nobody acts.
    desk.board(at(2, 18), "the desk\'s board");
    desk.run(
        EscalateComplaint {
            complaint: LEAK,
            to_level: 1,
            owner: RUTA,
        },
        at(2, 19),
    )?;
    desk.run(AwaitCustomer { complaint: LEAK }, at(2, 20))?;
    println!("   (waiting on Petras for photos: the clocks do not count the wait)");
    desk.run(ResumeComplaint { complaint: LEAK }, at(4, 9))?;
    desk.run(resolution(RUTA, "Replaced the door seal", 1), at(4, 12))?;
    desk.run(
        CompleteFollowUp {
            follow_up: FollowUpId::from_u128(1),
            outcome: FollowUpOutcome::NotSatisfied,
            note: Some(text("Still a puddle").into()),
        },
        at(5, 10),
    )?;
    desk.board(at(5, 10), "the desk\'s board");
    desk.run(
        EscalateComplaint {
            complaint: LEAK,
            to_level: 2,
            owner: DAIVA,
        },
        at(5, 11),
    )?;
    desk.run(resolution(DAIVA, "Replaced the machine", 2), at(6, 15))?;
    desk.run(
        CompleteFollowUp {
            follow_up: FollowUpId::from_u128(2),
            outcome: FollowUpOutcome::Satisfied,
            note: None,
        },
        at(7, 11),
    )?;
    desk.board(at(7, 12), "the desk\'s board");

    let complaint = desk
        .ledger
        .get(PETRAS)
        .and_then(|r| r.complaint(LEAK))
        .ok_or("complaint")?;
    println!(
        "\nHistory of owners: {}",
        complaint
            .history
            .iter()
            .map(|h| format!("{} (level {})", common::name(Some(h.owner)), h.level))
            .collect::<Vec<_>>()
            .join(" → ")
    );
    println!(
        "Reopened {} time(s); now in cycle {}.",
        complaint.reopened, complaint.cycle
    );
    let replayed = Ledger::replay(ServicePolicy::default(), &desk.log)?;
    assert_eq!(replayed.get(PETRAS), desk.ledger.get(PETRAS));
    Ok(())
}
