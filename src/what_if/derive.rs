//! Stored events back to the commands that were decided: which event is a fact (and which
//! command it was), which amends the fact just read (a flag of its command), and which is a
//! consequence the policy derives. The table is in the [module docs](super).

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use super::history::{Fact, Step};
use crate::command::{Command, Request};
use crate::complaint::{
    AcknowledgeComplaint, AssignComplaint, AwaitCustomer, AwaitOutsideParty, CloseComplaint,
    CloseUnresolved, ComplaintCommand, ComplaintEvent, DeescalateComplaint, EndOutsideWait,
    EscalateComplaint, EscalationReason, ReceiveComplaint, ReopenComplaint, ReprioritiseComplaint,
    RequestEscalation, ResolveComplaint, ResumeComplaint, RouteComplaint,
};
use crate::customer::{
    CustomerCommand, CustomerEvent, ErasePersonalData, RegisterCustomer, UpdateProfile,
};
use crate::event::{Envelope, Event};
use crate::follow_up::{
    CancelFollowUp, CompleteFollowUp, FollowUpCommand, FollowUpEvent, FollowUpOutcome,
    ScheduleFollowUp,
};
use crate::id::{ComplaintId, FollowUpId};
use crate::personal::Personal;
use crate::promise::{
    KeepPromise, MakePromise, MeetDependency, PromiseCommand, PromiseEvent, RecordDependency,
    RevisePromise, WithdrawPromise,
};
use crate::response::{RecordInteraction, ResponseCommand, ResponseEvent};
use crate::survey::{AnswerSurvey, RequestSurvey, SurveyEvent};
use crate::value::{Channel, IdempotencyKey};

/// The reason a follow-up's "not satisfied" gives the reopen it causes (see
/// `relationship::reactions`).
const REOPEN_REASON: &str = "the follow-up found the customer not satisfied";
/// The reason a reopen gives the follow-up it cancels.
const CANCEL_REASON: &str = "the complaint was reopened";
/// How the follow-up a resolution schedules begins its reason.
const FOLLOW_UP_REASON: &str = "Follow up on the resolution";

/// What one stored event is, read in its log.
enum Role {
    /// A fact: the command that was decided.
    Fact(Command),
    /// A flag of the fact just read (its command was amended), or a consequence inside its
    /// decision.
    Within,
    /// A consequence of the policy (a deadline, a reaction, a band change).
    Consequence,
}

/// The decision being read: the fact it began with and what was amended since.
struct Open {
    at: DateTime<Utc>,
    now: DateTime<Utc>,
    key: Option<IdempotencyKey>,
    /// The last profile field an `UpdateProfile` merged (its place in `profile_updates`).
    profile: Option<(u8, Option<Channel>)>,
    /// A complaint reopened inside the decision.
    reopened: Option<ComplaintId>,
}

/// Reads one customer's envelopes, in log order, into the steps of its history.
#[derive(Default)]
pub(super) struct Deriver {
    pub(super) steps: Vec<Step>,
    /// The latest recording instant read.
    clock: Option<DateTime<Utc>>,
    /// The complaint each follow-up was scheduled for.
    follow_ups: HashMap<FollowUpId, ComplaintId>,
    open: Option<Open>,
}

impl Deriver {
    /// Reads the next envelope.
    pub(super) fn read(&mut self, envelope: &Envelope) {
        let now = envelope.recorded.unwrap_or(envelope.at);
        let within = self
            .open
            .as_ref()
            .is_some_and(|o| o.at == envelope.at && o.now == now && o.key == envelope.key);
        if !within {
            self.open = None;
        }
        match self.role(&envelope.event) {
            Role::Fact(command) => self.begin(envelope, now, command),
            Role::Within => {}
            Role::Consequence => {
                // Time was advanced to here before the next fact: a deadline recorded on its own.
                if self.clock.is_none_or(|clock| now > clock) {
                    match self.steps.last_mut() {
                        Some(Step::AdvanceTo(to)) => *to = now,
                        Some(Step::Fact(_)) | None => self.steps.push(Step::AdvanceTo(now)),
                    }
                    self.open = None;
                }
            }
        }
        self.clock = Some(self.clock.map_or(now, |clock| clock.max(now)));
        if let Event::FollowUp(FollowUpEvent::Scheduled {
            follow_up,
            complaint: Some(complaint),
            ..
        }) = &envelope.event
        {
            self.follow_ups.insert(*follow_up, *complaint);
        }
    }

    fn begin(&mut self, envelope: &Envelope, now: DateTime<Utc>, command: Command) {
        let (profile, reopened) = match &command {
            Command::Customer(CustomerCommand::UpdateProfile(_)) => {
                (profile_rank(&envelope.event), None)
            }
            Command::Complaint(ComplaintCommand::Reopen(reopen)) => (None, Some(reopen.complaint)),
            Command::Customer(_)
            | Command::Response(_)
            | Command::Promise(_)
            | Command::Complaint(_)
            | Command::FollowUp(_)
            | Command::Survey(_) => (None, None),
        };
        self.open = Some(Open {
            at: envelope.at,
            now,
            key: envelope.key.clone(),
            profile,
            reopened,
        });
        let request = Request {
            command,
            expected_version: None,
            idempotency_key: envelope.key.clone(),
            occurred_at: (envelope.at < now).then_some(envelope.at),
        };
        self.steps.push(Step::Fact(Fact {
            seq: envelope.seq,
            request,
            recorded: now,
        }));
    }

    /// The command of the decision being read, if one is.
    fn open_command(&mut self) -> Option<&mut Command> {
        self.open.as_ref()?;
        match self.steps.last_mut() {
            Some(Step::Fact(fact)) => Some(&mut fact.request.command),
            Some(Step::AdvanceTo(_)) | None => None,
        }
    }

    fn role(&mut self, event: &Event) -> Role {
        match event {
            Event::Customer(event) => self.customer(event),
            Event::Response(event) => self.response(event),
            Event::Promise(event) => promise(event),
            Event::Complaint(event) => self.complaint(event),
            Event::FollowUp(event) => self.follow_up(event),
            Event::Survey(event) => survey(event),
            Event::Health(_) => Role::Consequence,
        }
    }

    fn customer(&mut self, event: &CustomerEvent) -> Role {
        let update = match event {
            CustomerEvent::Registered {
                name,
                tier,
                contacts,
                preferred_channel,
                owner,
            } => {
                return Role::Fact(
                    RegisterCustomer {
                        name: name.clone(),
                        tier: tier.clone(),
                        contacts: contacts.clone(),
                        preferred_channel: *preferred_channel,
                        owner: *owner,
                    }
                    .into(),
                );
            }
            CustomerEvent::PersonalDataErased { .. } => {
                return Role::Fact(ErasePersonalData {}.into());
            }
            CustomerEvent::Renamed { .. }
            | CustomerEvent::TierChanged { .. }
            | CustomerEvent::ContactPointSet { .. }
            | CustomerEvent::ContactPointRemoved { .. }
            | CustomerEvent::PreferredChannelSet { .. }
            | CustomerEvent::AccountOwnerSet { .. } => event,
        };
        // Fields of one profile update come in a fixed order: a field later in that order, in
        // the same decision, belongs to the same update.
        let rank = profile_rank(&Event::Customer(update.clone()));
        let last = self.open.as_ref().and_then(|o| o.profile);
        if let (Some(rank), Some(last)) = (rank, last)
            && rank > last
            && let Some(Command::Customer(CustomerCommand::UpdateProfile(open))) =
                self.open_command()
        {
            set_field(open, update);
            if let Some(o) = self.open.as_mut() {
                o.profile = Some(rank);
            }
            return Role::Within;
        }
        let mut fresh = UpdateProfile::default();
        set_field(&mut fresh, update);
        Role::Fact(fresh.into())
    }

    fn response(&mut self, event: &ResponseEvent) -> Role {
        match event {
            ResponseEvent::InteractionRecorded {
                interaction,
                channel,
                direction,
                agent,
                summary,
                awaits_reply,
                priority,
                regarding,
                regarding_complaints,
            } => Role::Fact(
                RecordInteraction {
                    interaction: *interaction,
                    channel: *channel,
                    direction: *direction,
                    agent: *agent,
                    summary: summary.clone(),
                    awaits_reply: *awaits_reply,
                    awaits_customer: false,
                    priority: *priority,
                    regarding: regarding.clone(),
                    regarding_complaints: regarding_complaints.clone(),
                }
                .into(),
            ),
            // Our question awaits the customer: a flag of the interaction that asked it.
            ResponseEvent::AwaitingCustomer { asked_by, .. } => match self.open_command() {
                Some(Command::Response(ResponseCommand::RecordInteraction(record)))
                    if record.interaction == *asked_by =>
                {
                    record.awaits_customer = true;
                    Role::Within
                }
                Some(_) | None => Role::Consequence,
            },
            ResponseEvent::ClockStarted { .. }
            | ResponseEvent::AtRisk { .. }
            | ResponseEvent::Overdue { .. }
            | ResponseEvent::ClockStopped { .. }
            | ResponseEvent::UpdateClockStarted { .. }
            | ResponseEvent::UpdateAtRisk { .. }
            | ResponseEvent::UpdateOverdue { .. } => Role::Consequence,
        }
    }

    fn complaint(&mut self, event: &ComplaintEvent) -> Role {
        // Received already waiting: a flag of the receipt.
        if let ComplaintEvent::AwaitingCustomer { complaint, .. } = event
            && let Some(Command::Complaint(ComplaintCommand::Receive(receive))) =
                self.open_command()
            && receive.complaint == *complaint
            && !receive.pending
        {
            receive.pending = true;
            return Role::Within;
        }
        if let ComplaintEvent::Reopened {
            complaint, reason, ..
        } = event
            && self.reopen_reaction(*complaint, reason)
        {
            return Role::Within;
        }
        let fact = complaint_fact(event);
        // Resolving or closing ends an outside wait first, in the same decision: the wait's end
        // read just before belongs to it.
        if let (
            Some(
                command @ (ComplaintCommand::Resolve(_)
                | ComplaintCommand::Close(_)
                | ComplaintCommand::CloseUnresolved(_)),
            ),
            Some(Command::Complaint(open)),
        ) = (&fact, self.open_command())
            && matches!(open, ComplaintCommand::EndOutsideWait(end) if end.complaint == event.complaint())
        {
            *open = command.clone();
            return Role::Within;
        }
        fact.map_or(Role::Consequence, |command| Role::Fact(command.into()))
    }

    /// Whether a reopen is the reaction to a follow-up, just completed in the same decision,
    /// that found the customer not satisfied (it then notes the complaint reopened).
    fn reopen_reaction(&mut self, complaint: ComplaintId, reason: &Personal) -> bool {
        let open = self.open.as_ref().and(self.steps.last());
        let reaction = matches!(
            open,
            Some(Step::Fact(Fact { request: Request {
                command: Command::FollowUp(FollowUpCommand::Complete(CompleteFollowUp {
                    follow_up,
                    outcome: FollowUpOutcome::NotSatisfied,
                    ..
                })),
                ..
            }, .. })) if self.follow_ups.get(follow_up) == Some(&complaint)
        ) && says(reason, REOPEN_REASON);
        if reaction && let Some(open) = self.open.as_mut() {
            open.reopened = Some(complaint);
        }
        reaction
    }

    fn follow_up(&mut self, event: &FollowUpEvent) -> Role {
        let command: FollowUpCommand = match event {
            FollowUpEvent::Scheduled {
                follow_up,
                owner,
                due,
                reason,
                complaint,
                ..
            } => {
                // The follow-up a resolution schedules: the id its command gave.
                if let Some(Command::Complaint(ComplaintCommand::Resolve(resolve))) =
                    self.open_command()
                    && Some(resolve.complaint) == *complaint
                    && resolve.follow_up.is_none()
                    && (due.is_none() || says_start(reason, FOLLOW_UP_REASON))
                {
                    resolve.follow_up = Some(*follow_up);
                    return Role::Within;
                }
                let Some(due) = due else {
                    return Role::Consequence;
                };
                ScheduleFollowUp {
                    follow_up: *follow_up,
                    owner: *owner,
                    due: *due,
                    reason: reason.clone(),
                    complaint: *complaint,
                }
                .into()
            }
            FollowUpEvent::Completed {
                follow_up,
                outcome,
                note,
                ..
            } => CompleteFollowUp {
                follow_up: *follow_up,
                outcome: *outcome,
                note: note.clone(),
            }
            .into(),
            FollowUpEvent::Cancelled { follow_up, reason } => {
                let reopened = self.open.as_ref().and_then(|o| o.reopened);
                if reopened.is_some()
                    && self.follow_ups.get(follow_up).copied() == reopened
                    && says(reason, CANCEL_REASON)
                {
                    return Role::Within;
                }
                CancelFollowUp {
                    follow_up: *follow_up,
                    reason: reason.clone(),
                }
                .into()
            }
            FollowUpEvent::Overdue { .. } => return Role::Consequence,
        };
        Role::Fact(command.into())
    }
}

/// The command a complaint event records, if it is a fact.
fn complaint_fact(event: &ComplaintEvent) -> Option<ComplaintCommand> {
    let command: ComplaintCommand = match event {
        ComplaintEvent::Received { .. } => return receipt(event).map(Into::into),
        ComplaintEvent::Acknowledged { complaint, by, .. } => AcknowledgeComplaint {
            complaint: *complaint,
            by: *by,
        }
        .into(),
        ComplaintEvent::Assigned { complaint, owner } => AssignComplaint {
            complaint: *complaint,
            owner: *owner,
        }
        .into(),
        ComplaintEvent::Routed {
            complaint, team, ..
        } => RouteComplaint {
            complaint: *complaint,
            team: *team,
        }
        .into(),
        ComplaintEvent::EscalationDue {
            complaint,
            reason: EscalationReason::CustomerAsked,
            ..
        } => RequestEscalation {
            complaint: *complaint,
        }
        .into(),
        ComplaintEvent::Escalated {
            complaint,
            to_level,
            owner,
            ..
        } => EscalateComplaint {
            complaint: *complaint,
            to_level: *to_level,
            owner: *owner,
        }
        .into(),
        ComplaintEvent::Deescalated {
            complaint,
            to_level,
            owner,
            reason,
            ..
        } => DeescalateComplaint {
            complaint: *complaint,
            to_level: *to_level,
            owner: *owner,
            reason: reason.clone(),
        }
        .into(),
        ComplaintEvent::AwaitingCustomer { complaint, .. } => AwaitCustomer {
            complaint: *complaint,
        }
        .into(),
        ComplaintEvent::Resumed { complaint, .. } => ResumeComplaint {
            complaint: *complaint,
        }
        .into(),
        ComplaintEvent::Resolved { .. } => return resolution(event).map(Into::into),
        ComplaintEvent::Closed { complaint } => CloseComplaint {
            complaint: *complaint,
        }
        .into(),
        ComplaintEvent::ClosedUnresolved { complaint, reason } => CloseUnresolved {
            complaint: *complaint,
            reason: *reason,
        }
        .into(),
        ComplaintEvent::Reprioritised {
            complaint,
            priority,
            tier,
            ..
        } => ReprioritiseComplaint {
            complaint: *complaint,
            priority: *priority,
            tier: Some(tier.clone()),
        }
        .into(),
        ComplaintEvent::Reopened {
            complaint, reason, ..
        } => ReopenComplaint {
            complaint: *complaint,
            reason: reason.clone(),
        }
        .into(),
        ComplaintEvent::AwaitingParty { .. } | ComplaintEvent::PartyWaitEnded { .. } => {
            return party_wait(event);
        }
        ComplaintEvent::ClockAtRisk { .. }
        | ComplaintEvent::ClockBreached { .. }
        | ComplaintEvent::PartyLate { .. }
        | ComplaintEvent::EscalationDue { .. } => return None,
    };
    Some(command)
}

/// The command a wait on an outside party, or its end, records.
fn party_wait(event: &ComplaintEvent) -> Option<ComplaintCommand> {
    match event {
        ComplaintEvent::AwaitingParty {
            complaint,
            party,
            expected,
            ..
        } => Some(
            AwaitOutsideParty {
                complaint: *complaint,
                party: *party,
                expected: *expected,
            }
            .into(),
        ),
        ComplaintEvent::PartyWaitEnded { complaint, .. } => {
            Some(EndOutsideWait::new(*complaint).into())
        }
        _ => None,
    }
}

/// The receipt a `complaint_received` records (not yet `pending`).
fn receipt(event: &ComplaintEvent) -> Option<ReceiveComplaint> {
    if let ComplaintEvent::Received {
        complaint,
        summary,
        priority,
        channel,
        interactions,
        promises,
        ..
    } = event
    {
        return Some(ReceiveComplaint {
            complaint: *complaint,
            channel: *channel,
            summary: summary.clone(),
            priority: *priority,
            interactions: interactions.clone(),
            promises: promises.clone(),
            pending: false,
        });
    }
    None
}

/// The resolution a `complaint_resolved` records (its follow-up, if the policy scheduled one,
/// is read from the event after it).
fn resolution(event: &ComplaintEvent) -> Option<ResolveComplaint> {
    let ComplaintEvent::Resolved {
        complaint,
        by,
        remedy,
        apology,
        summary,
        ..
    } = event
    else {
        return None;
    };
    Some(ResolveComplaint {
        complaint: *complaint,
        by: *by,
        remedy: remedy.clone(),
        apology: *apology,
        summary: summary.clone(),
        follow_up: None,
    })
}

fn promise(event: &PromiseEvent) -> Role {
    let command: PromiseCommand = match event {
        PromiseEvent::Made {
            promise,
            what,
            due,
            owner,
            fulfiller,
            interaction,
            complaint,
            ..
        } => MakePromise {
            promise: *promise,
            what: what.clone(),
            due: *due,
            owner: *owner,
            fulfiller: fulfiller.clone(),
            interaction: *interaction,
            complaint: *complaint,
        }
        .into(),
        PromiseEvent::Revised {
            promise,
            due,
            reason,
            customer_agreed,
            ..
        } => RevisePromise {
            promise: *promise,
            due: *due,
            reason: reason.clone(),
            customer_agreed: *customer_agreed,
        }
        .into(),
        PromiseEvent::Kept { promise, .. } => KeepPromise { promise: *promise }.into(),
        PromiseEvent::Withdrawn {
            promise, reason, ..
        } => WithdrawPromise {
            promise: *promise,
            reason: reason.clone(),
        }
        .into(),
        PromiseEvent::DependencyRecorded {
            promise,
            party,
            commitment,
            reference,
            due,
        } => RecordDependency {
            promise: *promise,
            party: *party,
            commitment: commitment.clone(),
            reference: reference.clone(),
            due: *due,
        }
        .into(),
        PromiseEvent::DependencyMet { promise, .. } => MeetDependency { promise: *promise }.into(),
        PromiseEvent::AtRisk { .. }
        | PromiseEvent::Broken { .. }
        | PromiseEvent::SlippedRepeatedly { .. }
        | PromiseEvent::DependencyLate { .. } => return Role::Consequence,
    };
    Role::Fact(command.into())
}

fn survey(event: &SurveyEvent) -> Role {
    match event {
        SurveyEvent::Requested {
            survey,
            kind,
            complaint,
        } => Role::Fact(
            RequestSurvey {
                survey: *survey,
                kind: *kind,
                complaint: *complaint,
            }
            .into(),
        ),
        SurveyEvent::Answered {
            survey,
            answer,
            comment,
            ..
        } => Role::Fact(
            AnswerSurvey {
                survey: *survey,
                answer: *answer,
                comment: comment.clone(),
            }
            .into(),
        ),
        SurveyEvent::Voided { .. } => Role::Consequence,
    }
}

/// Where a profile event comes among the events of one update (`profile_updates` order).
fn profile_rank(event: &Event) -> Option<(u8, Option<Channel>)> {
    match event {
        Event::Customer(CustomerEvent::Renamed { .. }) => Some((1, None)),
        Event::Customer(CustomerEvent::TierChanged { .. }) => Some((2, None)),
        Event::Customer(CustomerEvent::ContactPointSet { channel, .. }) => {
            Some((3, Some(*channel)))
        }
        Event::Customer(CustomerEvent::ContactPointRemoved { channel }) => {
            Some((4, Some(*channel)))
        }
        Event::Customer(CustomerEvent::PreferredChannelSet { .. }) => Some((5, None)),
        Event::Customer(CustomerEvent::AccountOwnerSet { .. }) => Some((6, None)),
        Event::Customer(
            CustomerEvent::Registered { .. } | CustomerEvent::PersonalDataErased { .. },
        )
        | Event::Response(_)
        | Event::Promise(_)
        | Event::Complaint(_)
        | Event::FollowUp(_)
        | Event::Survey(_)
        | Event::Health(_) => None,
    }
}

/// Sets the field of `update` that `event` changed.
fn set_field(update: &mut UpdateProfile, event: &CustomerEvent) {
    match event {
        CustomerEvent::Renamed { name } => update.name = Some(name.clone()),
        CustomerEvent::TierChanged { tier } => update.tier = Some(tier.clone()),
        CustomerEvent::ContactPointSet { channel, address } => {
            update.set_contacts.insert(*channel, address.clone());
        }
        CustomerEvent::ContactPointRemoved { channel } => {
            update.remove_contacts.insert(*channel);
        }
        CustomerEvent::PreferredChannelSet { channel } => {
            update.preferred_channel = Some(*channel);
        }
        CustomerEvent::AccountOwnerSet { owner } => update.owner = Some(*owner),
        CustomerEvent::Registered { .. } | CustomerEvent::PersonalDataErased { .. } => {}
    }
}

/// Whether `text` says exactly `words`. An erased text (a shredded log erases the reaction's
/// own words too) cannot say otherwise: its place alone decides.
fn says(text: &Personal, words: &str) -> bool {
    text.reveal().is_none_or(|t| t.as_str() == words)
}

/// Whether `text` begins with `words` (an erased text, as in [`says`], may).
fn says_start(text: &Personal, words: &str) -> bool {
    text.reveal().is_none_or(|t| t.as_str().starts_with(words))
}
