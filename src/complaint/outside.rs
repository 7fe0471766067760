//! Waiting on an outside party (issue 14 item 5): a complaint that depends on a vendor, a lab
//! or another team, with the party's own expected date. Rules and state diagram in the
//! [module docs](super).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::book::Complaints;
use super::clock::{ClockPhase, TargetClock, pause, pause_of, resumed, run};
use super::command::{AwaitOutsideParty, EndOutsideWait};
use super::event::ComplaintEvent;
use super::state::{Complaint, ComplaintLifecycle, ComplaintState};
use crate::error::CommandError;
use crate::id::{AgentId, ComplaintId, PartyId};
use crate::lifecycle::{Context, Entity, Lifecycle, Misfit};
use crate::policy::ServicePolicy;
use crate::value::Span;

/// A complaint's wait on an outside party.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutsideWait {
    /// The party we wait on.
    pub party: PartyId,
    /// Since when.
    #[serde(with = "crate::compact::instant")]
    pub since: DateTime<Utc>,
    /// The party's own expected date, if it gave one (its latest).
    #[serde(with = "crate::compact::instant::option")]
    pub expected: Option<DateTime<Utc>>,
    /// Whether the wait pauses the complaint's resolution and escalation clocks (the policy's
    /// [`ComplaintPolicy::pausing_parties`](crate::policy::ComplaintPolicy::pausing_parties)
    /// when the wait began).
    pub pauses: bool,
    /// Whether the party's expected date passed while we waited (`complaint_party_late`).
    pub late: bool,
}

impl OutsideWait {
    /// The stage of the wait.
    #[must_use]
    pub const fn stage(&self) -> PartyWaitStage {
        if self.late {
            PartyWaitStage::Late
        } else {
            PartyWaitStage::Awaiting
        }
    }
}

/// Where a complaint's wait on an outside party stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PartyWaitStage {
    /// Not waiting on any party.
    NotWaiting,
    /// Waiting on a party, its expected date (if any) not yet passed.
    Awaiting,
    /// Waiting on a party whose expected date passed.
    Late,
}

/// What can happen to a complaint's wait on an outside party.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PartyWaitAction {
    /// We wait on a party (or the party we wait on gives a new date).
    Await,
    /// The party's expected date passes.
    Lapse,
    /// The wait ends (the party delivered, or the complaint was resolved or closed).
    End,
}

/// The transition table of a complaint's wait on an outside party.
#[derive(Debug)]
pub enum PartyWaitLifecycle {}

impl Lifecycle for PartyWaitLifecycle {
    type Stage = PartyWaitStage;
    type Action = PartyWaitAction;
    const STAGES: &'static [PartyWaitStage] = &[
        PartyWaitStage::NotWaiting,
        PartyWaitStage::Awaiting,
        PartyWaitStage::Late,
    ];
    const ACTIONS: &'static [PartyWaitAction] = &[
        PartyWaitAction::Await,
        PartyWaitAction::Lapse,
        PartyWaitAction::End,
    ];

    fn next(stage: PartyWaitStage, action: PartyWaitAction) -> Option<PartyWaitStage> {
        use PartyWaitAction as A;
        use PartyWaitStage as S;
        match (stage, action) {
            (S::NotWaiting | S::Awaiting | S::Late, A::Await) => Some(S::Awaiting),
            (S::Awaiting, A::Lapse) => Some(S::Late),
            (S::Awaiting | S::Late, A::End) => Some(S::NotWaiting),
            (S::NotWaiting, A::Lapse | A::End) | (S::Late, A::Lapse) => None,
        }
    }

    fn stage_name(stage: PartyWaitStage) -> &'static str {
        match stage {
            PartyWaitStage::NotWaiting => "not_waiting",
            PartyWaitStage::Awaiting => "awaiting_party",
            PartyWaitStage::Late => "party_late",
        }
    }

    fn action_name(action: PartyWaitAction) -> &'static str {
        match action {
            PartyWaitAction::Await => "await_party",
            PartyWaitAction::Lapse => "lapse",
            PartyWaitAction::End => "end_wait",
        }
    }
}

impl Entity for PartyWaitLifecycle {
    const ENTITY: &'static str = "wait on an outside party";
}

impl Complaint {
    /// Where its wait on an outside party stands.
    #[must_use]
    pub fn party_wait(&self) -> PartyWaitStage {
        self.outside
            .as_ref()
            .map_or(PartyWaitStage::NotWaiting, OutsideWait::stage)
    }

    /// Whether a wait (on the customer, under the policy's `pause_while_waiting`, or on a
    /// party that pauses) holds its resolution and escalation clocks now.
    pub(super) fn clocks_held(&self, policy: &ServicePolicy) -> bool {
        self.customer_holds(policy) || self.party_holds()
    }

    /// Whether the wait on the customer holds the clocks.
    fn customer_holds(&self, policy: &ServicePolicy) -> bool {
        policy.complaints.pause_while_waiting
            && matches!(self.state, ComplaintState::Waiting { .. })
    }

    /// Whether the wait on an outside party holds the clocks.
    pub(super) fn party_holds(&self) -> bool {
        self.outside.as_ref().is_some_and(|w| w.pauses)
    }
}

fn find(complaints: &Complaints, id: ComplaintId) -> Result<&Complaint, CommandError> {
    complaints
        .get(&id)
        .ok_or(CommandError::UnknownComplaint(id))
}

fn step(complaint: &Complaint, action: PartyWaitAction) -> Result<(), CommandError> {
    PartyWaitLifecycle::step(complaint.party_wait(), action)
        .map(|_| ())
        .map_err(CommandError::from)
}

/// The event waiting on an outside party becomes: a new wait, or the party's new date.
pub(crate) fn await_party(
    complaints: &Complaints,
    wait: &AwaitOutsideParty,
    ctx: &Context<'_>,
) -> Result<Vec<ComplaintEvent>, CommandError> {
    let (policy, now) = (ctx.policy, ctx.now);
    let complaint = find(complaints, wait.complaint)?;
    if !complaint.is_open() {
        return Err(CommandError::InvalidTransition {
            entity: ComplaintLifecycle::ENTITY,
            from: ComplaintLifecycle::stage_name(complaint.stage()),
            action: "await an outside party for",
        });
    }
    policy.check_party(wait.party)?;
    step(complaint, PartyWaitAction::Await)?;
    if let Some(due) = wait.expected.filter(|due| *due <= now) {
        return Err(CommandError::DueNotInFuture { due, now });
    }
    if let Some(current) = &complaint.outside {
        if current.party != wait.party {
            return Err(CommandError::AwaitingOtherParty {
                complaint: wait.complaint,
                party: current.party,
            });
        }
        if current.expected == wait.expected && !current.late {
            return Err(CommandError::NothingToChange);
        }
        // The party gives a new date: a slip when it is later than a date not yet passed
        // (a passed date counted as a slip when it passed).
        let slipped = !current.late
            && matches!((current.expected, wait.expected), (Some(old), Some(new)) if new > old);
        return Ok(vec![ComplaintEvent::AwaitingParty {
            complaint: wait.complaint,
            party: wait.party,
            expected: wait.expected,
            pauses: current.pauses,
            slipped,
            resolution: None,
            escalation: None,
        }]);
    }
    let pauses = policy.complaints.pausing_parties.contains(&wait.party);
    let (resolution, escalation) = if pauses {
        (
            pause_of(policy, Some(&complaint.resolution), now),
            pause_of(policy, complaint.escalation.as_ref(), now),
        )
    } else {
        (None, None)
    };
    Ok(vec![ComplaintEvent::AwaitingParty {
        complaint: wait.complaint,
        party: wait.party,
        expected: wait.expected,
        pauses,
        slipped: false,
        resolution,
        escalation,
    }])
}

/// The event ending a complaint's wait on an outside party becomes. The clocks the wait held
/// run again unless the customer's wait still holds them.
pub(crate) fn end_wait(
    complaints: &Complaints,
    end: &EndOutsideWait,
    ctx: &Context<'_>,
) -> Result<Vec<ComplaintEvent>, CommandError> {
    let complaint = find(complaints, end.complaint)?;
    step(complaint, PartyWaitAction::End)?;
    Ok(ended(end.complaint, complaint, ctx, true)
        .into_iter()
        .collect())
}

/// The end of `complaint`'s wait on a party at `ctx.now`, if it waits on one. `resume` runs the
/// held clocks again (unless the customer's wait holds them); a resolution or a closing ends
/// the wait without it (the clocks stop where they paused).
fn ended(
    id: ComplaintId,
    complaint: &Complaint,
    ctx: &Context<'_>,
    resume: bool,
) -> Option<ComplaintEvent> {
    let (policy, now) = (ctx.policy, ctx.now);
    let wait = complaint.outside.as_ref()?;
    let waited = now
        .signed_duration_since(wait.since)
        .try_into()
        .unwrap_or(Span::ZERO);
    let resumes = resume && wait.pauses && !complaint.customer_holds(policy);
    let (paused, resolution, escalation) = if resumes {
        let from = pause_start(&complaint.resolution).unwrap_or(wait.since);
        (
            policy.business_or_wall(complaint.resolution.terms.calendar.as_deref(), from, now),
            resumed(policy, &complaint.resolution, now),
            complaint
                .escalation
                .as_ref()
                .and_then(|clock| resumed(policy, clock, now)),
        )
    } else {
        (Span::ZERO, None, None)
    };
    Some(ComplaintEvent::PartyWaitEnded {
        complaint: id,
        party: wait.party,
        waited,
        paused,
        resolution,
        escalation,
    })
}

/// `settled` (a resolution, or a closing without one) after the end of the complaint's wait on
/// an outside party, if it waits on one: the clocks the wait held stop where they paused.
pub(crate) fn settling(
    id: ComplaintId,
    complaint: &Complaint,
    ctx: &Context<'_>,
    settled: ComplaintEvent,
) -> Vec<ComplaintEvent> {
    let mut events: Vec<ComplaintEvent> = ended(id, complaint, ctx, false).into_iter().collect();
    events.push(settled);
    events
}

/// When `clock`'s pause began, if it is paused.
pub(super) const fn pause_start(clock: &TargetClock) -> Option<DateTime<Utc>> {
    match clock.phase {
        ClockPhase::Paused { since, .. } => Some(since),
        ClockPhase::Running | ClockPhase::Stopped { .. } | ClockPhase::NotApplicable { .. } => None,
    }
}

/// The deadline of a complaint's wait: the party's expected date, until it passes.
pub(super) fn deadline(complaint: &Complaint) -> Option<DateTime<Utc>> {
    let wait = complaint.outside.as_ref().filter(|w| !w.late)?;
    wait.expected.filter(|_| complaint.is_open())
}

/// What the party's expected date passing records: for our owner, never the party.
pub(super) fn lapse(
    id: ComplaintId,
    complaint: &Complaint,
    owner: Option<AgentId>,
) -> Vec<ComplaintEvent> {
    let Some((wait, due)) = complaint
        .outside
        .as_ref()
        .filter(|w| !w.late)
        .and_then(|w| Some((w, w.expected?)))
    else {
        return Vec::new();
    };
    vec![ComplaintEvent::PartyLate {
        complaint: id,
        party: wait.party,
        due,
        owner,
    }]
}

/// The flag of a late party: since its expected date, while we still wait.
pub(super) fn late_since(complaint: &Complaint, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    let wait = complaint.outside.as_ref()?;
    let due = wait.expected?;
    (complaint.is_open() && (wait.late || now >= due)).then_some(due)
}

/// Folds a wait on a party (or its new date).
pub(super) fn awaited(
    complaint: &mut Complaint,
    at: DateTime<Utc>,
    event: &ComplaintEvent,
) -> Result<(), Misfit> {
    let ComplaintEvent::AwaitingParty {
        party,
        expected,
        pauses,
        resolution,
        escalation,
        ..
    } = event
    else {
        return Err(Misfit::from("not a wait on an outside party"));
    };
    fold_step(complaint, PartyWaitAction::Await)?;
    if let Some(current) = complaint.outside.as_mut() {
        if current.party != *party {
            return Err(Misfit::Contradicts(format!(
                "the complaint waits on party {}, not {party}",
                current.party
            )));
        }
        current.expected = *expected;
        current.late = false;
        return Ok(());
    }
    pause(&mut complaint.resolution, at, resolution.as_ref());
    if let Some(clock) = complaint.escalation.as_mut() {
        pause(clock, at, escalation.as_ref());
    }
    complaint.outside = Some(OutsideWait {
        party: *party,
        since: at,
        expected: *expected,
        pauses: *pauses,
        late: false,
    });
    Ok(())
}

/// Folds the party's expected date passing.
pub(super) fn lapsed(
    complaint: &mut Complaint,
    due: DateTime<Utc>,
    at: DateTime<Utc>,
) -> Result<(), Misfit> {
    fold_step(complaint, PartyWaitAction::Lapse)?;
    let wait = complaint
        .outside
        .as_mut()
        .filter(|w| w.expected == Some(due) && at >= due)
        .ok_or("the party's lateness contradicts its expected date")?;
    wait.late = true;
    Ok(())
}

/// Folds the end of a wait: the clocks it held run again on the terms the event states.
pub(super) fn wait_ended(
    complaint: &mut Complaint,
    at: DateTime<Utc>,
    event: &ComplaintEvent,
) -> Result<(), Misfit> {
    let ComplaintEvent::PartyWaitEnded {
        paused,
        resolution,
        escalation,
        ..
    } = event
    else {
        return Err(Misfit::from("not the end of a wait on an outside party"));
    };
    fold_step(complaint, PartyWaitAction::End)?;
    if let Some(terms) = resolution {
        run(&mut complaint.resolution, terms.clone(), at, *paused);
    }
    if let (Some(clock), Some(terms)) = (complaint.escalation.as_mut(), escalation) {
        run(clock, terms.clone(), at, *paused);
    }
    complaint.outside = None;
    Ok(())
}

fn fold_step(complaint: &Complaint, action: PartyWaitAction) -> Result<(), Misfit> {
    if !complaint.is_open() {
        return Err(Misfit::from(
            "a resolved or closed complaint waits on no party",
        ));
    }
    PartyWaitLifecycle::step(complaint.party_wait(), action)
        .map(|_| ())
        .map_err(Misfit::from)
}
