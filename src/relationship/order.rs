//! The order of each item's own facts. A fact reported late is decided as of when it happened;
//! it may precede facts about other items and deadlines of its own item (warnings, breaches:
//! they stand), but never a fact already recorded about the same item, nor the start of an
//! item it links to ([`CommandError::CannotBackdate`], naming the item).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::Relationship;
use crate::command::Command;
use crate::complaint::{self, ComplaintCommand, ComplaintEvent};
use crate::customer::CustomerCommand;
use crate::error::{CommandError, FactItem};
use crate::event::Event;
use crate::follow_up::{FollowUpCommand, FollowUpEvent};
use crate::promise::{PromiseCommand, PromiseEvent};
use crate::shared::Map;
use crate::survey::{SurveyCommand, SurveyEvent};

/// When each item's first and latest facts happened (deadlines not counted), where the item
/// itself does not say: shared between copies of the relationship. A promise says it itself
/// (made at its first fact, and it keeps its latest: `PromiseTerms::latest_fact`), and so
/// does a profile nothing has changed since registration (its only fact); the map holds the
/// other items still held (a profile changed since, complaints, follow-ups in play, surveys).
/// A closed promise or follow-up leaves with its times: a command acting on one is refused
/// by its stage, and a closed promise keeps when it was made in the archive for the
/// complaints that link it.
///
/// Boxed, and absent while empty (one word in the relationship): most relationships hold
/// only promises and an unchanged profile. Written as the map's list of pairs.
#[derive(Debug, Clone, Default)]
pub(super) struct ItemFacts(Option<Box<Facts>>);

/// Items to when their first and latest facts happened.
type Facts = Map<FactItem, (DateTime<Utc>, DateTime<Utc>)>;

impl ItemFacts {
    /// None held (allocates nothing).
    pub(super) const fn new() -> Self {
        Self(None)
    }

    fn get(&self, item: &FactItem) -> Option<&(DateTime<Utc>, DateTime<Utc>)> {
        self.0.as_deref()?.get(item)
    }

    fn insert(&mut self, item: FactItem, facts: (DateTime<Utc>, DateTime<Utc>)) {
        self.0.get_or_insert_with(Box::default).insert(item, facts);
    }

    /// Forgets `item` (a closed follow-up); the box goes with the last item.
    pub(super) fn remove(&mut self, item: &FactItem) {
        if let Some(facts) = &mut self.0 {
            facts.remove(item);
            if facts.iter().next().is_none() {
                self.0 = None;
            }
        }
    }

    /// See `shared::Map::settle`.
    pub(super) fn settle(&mut self) {
        if let Some(facts) = &mut self.0 {
            facts.settle();
        }
    }

    fn iter(&self) -> impl Iterator<Item = (&FactItem, &(DateTime<Utc>, DateTime<Utc>))> + '_ {
        self.0.iter().flat_map(|facts| facts.iter())
    }
}

impl PartialEq for ItemFacts {
    fn eq(&self, other: &Self) -> bool {
        self.iter().eq(other.iter())
    }
}

impl Eq for ItemFacts {}

impl Serialize for ItemFacts {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.0.as_deref() {
            Some(facts) => crate::compact::instant_pairs::serialize(facts, s),
            None => crate::compact::instant_pairs::serialize(&Facts::new(), s),
        }
    }
}

impl<'de> Deserialize<'de> for ItemFacts {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let facts: Facts = crate::compact::instant_pairs::deserialize(d)?;
        let held = facts.iter().next().is_some();
        Ok(Self(held.then(|| Box::new(facts))))
    }
}

/// The item an event is a fact of; `None` for the response family (its clock has its own
/// rules), health, and the events deadlines raise (they never hold back a late fact).
fn item_of(event: &Event) -> Option<FactItem> {
    match event {
        Event::Customer(_) => Some(FactItem::Profile),
        Event::Response(_) | Event::Health(_) => None,
        Event::Promise(
            PromiseEvent::Made { promise, .. }
            | PromiseEvent::Revised { promise, .. }
            | PromiseEvent::Kept { promise, .. }
            | PromiseEvent::Withdrawn { promise, .. }
            | PromiseEvent::SlippedRepeatedly { promise, .. }
            | PromiseEvent::DependencyRecorded { promise, .. }
            | PromiseEvent::DependencyMet { promise, .. },
        ) => Some(FactItem::Promise(*promise)),
        Event::Promise(
            PromiseEvent::AtRisk { .. }
            | PromiseEvent::Broken { .. }
            | PromiseEvent::DependencyLate { .. },
        ) => None,
        Event::Complaint(
            ComplaintEvent::Received { complaint, .. }
            | ComplaintEvent::Acknowledged { complaint, .. }
            | ComplaintEvent::Assigned { complaint, .. }
            | ComplaintEvent::Escalated { complaint, .. }
            | ComplaintEvent::Deescalated { complaint, .. }
            | ComplaintEvent::Routed { complaint, .. }
            | ComplaintEvent::AwaitingParty { complaint, .. }
            | ComplaintEvent::PartyWaitEnded { complaint, .. }
            | ComplaintEvent::ClosedUnresolved { complaint, .. }
            | ComplaintEvent::Reprioritised { complaint, .. }
            | ComplaintEvent::AwaitingCustomer { complaint, .. }
            | ComplaintEvent::Resumed { complaint, .. }
            | ComplaintEvent::Resolved { complaint, .. }
            | ComplaintEvent::Closed { complaint, .. }
            | ComplaintEvent::Reopened { complaint, .. },
        ) => Some(FactItem::Complaint(*complaint)),
        Event::Complaint(
            ComplaintEvent::ClockAtRisk { .. }
            | ComplaintEvent::ClockBreached { .. }
            | ComplaintEvent::EscalationDue { .. }
            | ComplaintEvent::PartyLate { .. },
        ) => None,
        Event::FollowUp(
            FollowUpEvent::Scheduled { follow_up, .. }
            | FollowUpEvent::Completed { follow_up, .. }
            | FollowUpEvent::Cancelled { follow_up, .. },
        ) => Some(FactItem::FollowUp(*follow_up)),
        Event::FollowUp(FollowUpEvent::Overdue { .. }) => None,
        Event::Survey(
            SurveyEvent::Requested { survey, .. } | SurveyEvent::Voided { survey, .. },
        ) => Some(FactItem::Survey(*survey)),
        Event::Survey(SurveyEvent::Answered { survey, .. }) => survey.map(FactItem::Survey),
    }
}

/// The items a command acts on (its latest fact bounds the command's date from below), and
/// the items it links a new item to (they must have begun by then).
fn items_of(relationship: &Relationship, command: &Command) -> (Vec<FactItem>, Vec<FactItem>) {
    match command {
        Command::Customer(CustomerCommand::Register(_)) | Command::Response(_) => {
            (Vec::new(), Vec::new())
        }
        Command::Customer(
            CustomerCommand::UpdateProfile(_) | CustomerCommand::ErasePersonalData(_),
        ) => (vec![FactItem::Profile], Vec::new()),
        Command::Promise(PromiseCommand::Make(make)) => (
            Vec::new(),
            make.complaint
                .into_iter()
                .map(FactItem::Complaint)
                .collect(),
        ),
        Command::Promise(
            PromiseCommand::Revise(crate::promise::RevisePromise { promise, .. })
            | PromiseCommand::Keep(crate::promise::KeepPromise { promise, .. })
            | PromiseCommand::Withdraw(crate::promise::WithdrawPromise { promise, .. })
            | PromiseCommand::RecordDependency(crate::promise::RecordDependency { promise, .. })
            | PromiseCommand::MeetDependency(crate::promise::MeetDependency { promise, .. }),
        ) => (vec![FactItem::Promise(*promise)], Vec::new()),
        Command::Complaint(ComplaintCommand::Receive(receive)) => (
            Vec::new(),
            receive
                .promises
                .iter()
                .copied()
                .map(FactItem::Promise)
                .collect(),
        ),
        Command::Complaint(
            ComplaintCommand::Acknowledge(complaint::AcknowledgeComplaint { complaint, .. })
            | ComplaintCommand::Assign(complaint::AssignComplaint { complaint, .. })
            | ComplaintCommand::RequestEscalation(complaint::RequestEscalation { complaint, .. })
            | ComplaintCommand::Escalate(complaint::EscalateComplaint { complaint, .. })
            | ComplaintCommand::Deescalate(complaint::DeescalateComplaint { complaint, .. })
            | ComplaintCommand::Route(complaint::RouteComplaint { complaint, .. })
            | ComplaintCommand::AwaitOutsideParty(complaint::AwaitOutsideParty { complaint, .. })
            | ComplaintCommand::EndOutsideWait(complaint::EndOutsideWait { complaint })
            | ComplaintCommand::CloseUnresolved(complaint::CloseUnresolved { complaint, .. })
            | ComplaintCommand::Reprioritise(complaint::ReprioritiseComplaint { complaint, .. })
            | ComplaintCommand::AwaitCustomer(complaint::AwaitCustomer { complaint, .. })
            | ComplaintCommand::Resume(complaint::ResumeComplaint { complaint, .. })
            | ComplaintCommand::Resolve(complaint::ResolveComplaint { complaint, .. })
            | ComplaintCommand::Close(complaint::CloseComplaint { complaint, .. })
            | ComplaintCommand::Reopen(complaint::ReopenComplaint { complaint, .. }),
        ) => (vec![FactItem::Complaint(*complaint)], Vec::new()),
        Command::FollowUp(FollowUpCommand::Schedule(schedule)) => (
            Vec::new(),
            schedule
                .complaint
                .into_iter()
                .map(FactItem::Complaint)
                .collect(),
        ),
        Command::FollowUp(FollowUpCommand::Complete(complete)) => {
            // A call that finds the customer not satisfied may reopen its complaint then.
            let mut items = vec![FactItem::FollowUp(complete.follow_up)];
            items.extend(
                relationship
                    .rare()
                    .follow_ups
                    .get(&complete.follow_up)
                    .and_then(|f| f.complaint)
                    .map(FactItem::Complaint),
            );
            (items, Vec::new())
        }
        Command::FollowUp(FollowUpCommand::Cancel(cancel)) => {
            (vec![FactItem::FollowUp(cancel.follow_up)], Vec::new())
        }
        Command::Survey(SurveyCommand::Request(request)) => (
            Vec::new(),
            request
                .complaint
                .into_iter()
                .map(FactItem::Complaint)
                .collect(),
        ),
        Command::Survey(SurveyCommand::Answer(answer)) => (
            answer.survey.into_iter().map(FactItem::Survey).collect(),
            Vec::new(),
        ),
    }
}

impl Relationship {
    /// Remembers when `event`, a fact of an item, happened.
    pub(super) fn note_fact(&mut self, at: DateTime<Utc>, event: &Event) {
        let Some(item) = item_of(event) else {
            return;
        };
        if let FactItem::Promise(id) = item {
            // A closed promise left with its times (see `is_archived`).
            if let Some(promise) = self.promises.get_mut(&id) {
                promise.terms.note_fact(at);
            }
            return;
        }
        if self.is_archived(item) {
            return;
        }
        let held = self.facts_of(item);
        let (first, latest) = held.unwrap_or((at, at));
        let noted = (first.min(at), latest.max(at));
        if held != Some(noted) {
            self.item_facts.insert(item, noted);
        }
    }

    /// When the first and latest facts of `item`, still held, happened: from the item where
    /// it says (a promise; a profile unchanged since registration), else from the map.
    fn facts_of(&self, item: FactItem) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
        match item {
            FactItem::Promise(id) => self
                .promises
                .get(&id)
                .map(|promise| (promise.terms.made_at, promise.terms.latest_fact())),
            FactItem::Profile => self.item_facts.get(&item).copied().or_else(|| {
                let registered = self.profile.as_ref()?.registered_at;
                Some((registered, registered))
            }),
            FactItem::Complaint(_) | FactItem::FollowUp(_) | FactItem::Survey(_) => {
                self.item_facts.get(&item).copied()
            }
        }
    }

    /// Whether `item` is a closed follow-up: its times left the item order with it (a
    /// command acting on a closed item is refused by its stage). A closed promise leaves
    /// the registry, and its times with it.
    fn is_archived(&self, item: FactItem) -> bool {
        match item {
            FactItem::FollowUp(id) => !self.rare().follow_ups.contains_key(&id),
            FactItem::Profile
            | FactItem::Promise(_)
            | FactItem::Complaint(_)
            | FactItem::Survey(_) => false,
        }
    }

    /// Refuses a fact dated before the latest fact of an item it acts on, or before the first
    /// fact of an item it links to. Facts dated at or after every recorded fact pass at once.
    pub(super) fn check_item_order(
        &self,
        command: &Command,
        occurred: DateTime<Utc>,
    ) -> Result<(), CommandError> {
        if self.latest_at.is_none_or(|latest| occurred >= latest) {
            return Ok(());
        }
        let (acted_on, linked) = items_of(self, command);
        let refuse = |item: FactItem, latest: DateTime<Utc>| {
            (occurred < latest).then_some(CommandError::CannotBackdate {
                item,
                occurred,
                latest,
            })
        };
        let acted = acted_on.into_iter().filter_map(|item| {
            let (_, latest) = self.facts_of(item)?;
            refuse(item, latest)
        });
        let links = linked.into_iter().filter_map(|item| {
            let first = match (self.facts_of(item), item) {
                (Some((first, _)), _) => first,
                (None, FactItem::Promise(promise)) => self.archive.promise_made(promise)?,
                (None, _) => return None,
            };
            refuse(item, first)
        });
        acted.chain(links).next().map_or(Ok(()), Err)
    }
}

#[cfg(test)]
mod tests {
    use chrono::{DateTime, TimeDelta, Utc};

    use super::Relationship;
    use crate::command::Request;
    use crate::customer::{RegisterCustomer, UpdateProfile};
    use crate::error::{CommandError, FactItem};
    use crate::id::{AgentId, CustomerId, PartyId, PromiseId};
    use crate::policy::ServicePolicy;
    use crate::promise::{KeepPromise, MakePromise, RecordDependency};
    use crate::value::{Text, Tier};

    fn text(s: &str) -> Text {
        Text::new(s).unwrap()
    }

    #[test]
    fn promises_and_a_profile_unchanged_since_registration_keep_no_entry_in_the_item_order() {
        // Issue 15's live heap: the item order of a customer with open promises is empty.
        let (policy, agent, lab) = (
            ServicePolicy::default(),
            AgentId::from_u128(7),
            PartyId::from_u128(8),
        );
        let (plain, outside) = (PromiseId::from_u128(1), PromiseId::from_u128(2));
        let start = DateTime::<Utc>::UNIX_EPOCH + TimeDelta::days(20_000);
        let (later, due) = (start + TimeDelta::hours(2), start + TimeDelta::days(7));
        let mut ona = Relationship::new(CustomerId::from_u128(1));
        let register = RegisterCustomer::new(text("Ona"), Tier::new("gold").unwrap());
        ona.execute(&policy, register, start).unwrap();
        ona.execute(
            &policy,
            MakePromise::new(plain, text("Call"), due, agent),
            start,
        )
        .unwrap();
        let make =
            MakePromise::new(outside, text("Part"), due, agent).fulfilled_by(lab, text("Lab"));
        ona.execute(&policy, make, start).unwrap();
        let depend = RecordDependency::new(outside, lab, text("Shipped"), due);
        ona.execute(&policy, depend, later).unwrap();
        assert_eq!(ona.item_facts.iter().count(), 0);
        assert_eq!(
            std::mem::size_of::<super::ItemFacts>(),
            std::mem::size_of::<usize>(),
            "an empty item order is one word in the relationship"
        );
        // The promise keeps its latest fact itself: a keep dated between is refused.
        let between = start + TimeDelta::hours(1);
        let keep = Request::new(KeepPromise { promise: outside }).occurred_at(between);
        assert_eq!(
            ona.execute_request(&policy, keep, later),
            Err(CommandError::CannotBackdate {
                item: FactItem::Promise(outside),
                occurred: between,
                latest: later,
            })
        );
        // A profile changed after registration takes its entry.
        let rename = UpdateProfile {
            name: Some(text("Ona P.").into()),
            ..UpdateProfile::default()
        };
        ona.execute(&policy, rename, later).unwrap();
        let entries: Vec<_> = ona.item_facts.iter().map(|(item, _)| *item).collect();
        assert_eq!(entries, [FactItem::Profile]);
    }
}
