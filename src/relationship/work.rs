//! Work lists: what one owner on our side has to do for this customer, and who those owners
//! are, so that a [`Ledger`](crate::ledger::Ledger) can keep an index by owner.

use chrono::{DateTime, Utc};

use super::Relationship;
use crate::flag::{Deadline, Flag, Owner, Subject};

/// One owner's work: the flags raised for them at a moment, and the deadlines still ahead of
/// the items they own (the next deadline of each).
///
/// Flags are in the order of [`Ledger::flags`](crate::ledger::Ledger::flags) (customer, then
/// `since`, then kind); deadlines in their own order (instant, customer, kind, subject).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WorkList {
    /// What needs attention now.
    pub flags: Vec<Flag>,
    /// What falls due next, one deadline per item with a clock running.
    pub due: Vec<Deadline>,
}

impl WorkList {
    /// Whether there is nothing to do.
    ///
    /// ```
    /// use clientele::WorkList;
    ///
    /// let work = WorkList::default();
    /// assert!(work.is_empty());
    /// assert!(work.flags.is_empty() && work.due.is_empty());
    /// ```
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.flags.is_empty() && self.due.is_empty()
    }

    /// Adds `other`'s items.
    pub(crate) fn extend(&mut self, other: WorkList) {
        self.flags.extend(other.flags);
        self.due.extend(other.due);
    }

    /// Puts the flags and the deadlines in their documented orders.
    pub(crate) fn sort(&mut self) {
        self.flags.sort_by_key(|f| (f.customer, f.since, f.kind));
        self.due.sort_unstable();
    }
}

impl Relationship {
    /// The flags of [`flags`](Self::flags) at `now` that [are for](Flag::is_for) `owner`, and
    /// the deadlines ahead of the items `owner` answers for: a promise's or follow-up's owner,
    /// a complaint's owner (the account owner while it has none) and the team whose queue it
    /// is in, the account owner for the response clock. An item nobody owns is on no work
    /// list (its flags are in [`flags`](Self::flags)).
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use clientele::flag::Owner;
    /// use clientele::{AgentId, Channel, CustomerId, InteractionId, RecordInteraction,
    ///     RegisterCustomer, Relationship, ServicePolicy, Text, Tier};
    ///
    /// let policy = ServicePolicy::default();
    /// let mut ona = Relationship::new(CustomerId::from_u128(1));
    /// let monday = Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap();
    /// let agent = AgentId::from_u128(7);
    /// ona.execute(&policy, RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?).owned_by(agent), monday)?;
    /// ona.execute(&policy, RecordInteraction::inbound(InteractionId::from_u128(10), Channel::Email, Text::new("Hello?")?), monday)?;
    /// let work = ona.work_list(Owner::Agent(agent), monday);
    /// assert_eq!(work.due, vec![ona.next_deadline().expect("the customer waits")]);
    /// assert!(ona.work_list(Owner::Agent(AgentId::from_u128(8)), monday).is_empty());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn work_list(&self, owner: Owner, now: DateTime<Utc>) -> WorkList {
        self.work_list_by(owner, now, self.next_at())
    }

    /// [`work_list`](Self::work_list), with the instant of the next deadline known to the
    /// caller (a ledger files each customer under it), not worked out again.
    pub(crate) fn work_list_by(
        &self,
        owner: Owner,
        now: DateTime<Utc>,
        next: Option<DateTime<Utc>>,
    ) -> WorkList {
        let flags = self
            .flags_by(now, next)
            .into_iter()
            .filter(|flag| flag.is_for(owner))
            .collect();
        let due = self
            .deadlines()
            .filter(|deadline| self.owners_of(deadline.subject()).contains(&owner))
            .collect();
        let mut work = WorkList { flags, due };
        work.sort();
        work
    }

    /// Who answers for `subject`, if the relationship holds it: its agent and, for a
    /// complaint in a queue, the team.
    fn owners_of(&self, subject: Subject) -> Vec<Owner> {
        let account = self.account_owner();
        let (agent, team) = match subject {
            Subject::Response(_) | Subject::Relationship => (account, None),
            Subject::Promise(id) => (self.promises.get(&id).map(|p| p.terms.owner), None),
            Subject::Complaint(id) => self
                .rare()
                .complaints
                .get(&id)
                .map_or((None, None), |c| (c.owner.or(account), c.team)),
            Subject::FollowUp(id) => (self.rare().follow_ups.get(&id).map(|f| f.owner), None),
        };
        agent
            .map(Owner::Agent)
            .into_iter()
            .chain(team.map(Owner::Team))
            .collect()
    }

    /// Everyone a [`work_list`](Self::work_list) of this relationship can have something for,
    /// now or later without a new event, sorted and once each: the owners of the items that
    /// can still raise a flag or fall due (outstanding promises, open complaints and those
    /// with escalation due, pending follow-ups), and the account owner (the response clock and
    /// health, which time alone can move, are theirs). A ledger files the customer under each.
    pub(crate) fn owners(&self) -> Vec<Owner> {
        let mut owners = Vec::new();
        self.owners_into(&mut owners);
        owners
    }

    /// [`owners`](Self::owners), written into `owners` (cleared first): a book filing a
    /// million customers reuses one buffer rather than growing a list for each.
    pub(crate) fn owners_into(&self, owners: &mut Vec<Owner>) {
        owners.clear();
        let account = self.account_owner();
        // The account owner always: health (and so the at-risk flag) can move with time alone.
        owners.extend(account.map(Owner::Agent));
        let promises = self.promises.iter().map(|(_, p)| p);
        owners.extend(
            promises
                .filter(|p| p.is_outstanding())
                .map(|p| Owner::Agent(p.terms.owner)),
        );
        let complaints = self.rare().complaints.in_play().map(|(_, c)| c);
        for complaint in complaints.filter(|c| c.is_open() || c.escalation_due.is_some()) {
            owners.extend(complaint.owner.or(account).map(Owner::Agent));
            owners.extend(complaint.team.map(Owner::Team));
        }
        let follow_ups = self.rare().follow_ups.iter().map(|(_, f)| f);
        owners.extend(
            follow_ups
                .filter(|f| f.is_pending())
                .map(|f| Owner::Agent(f.owner)),
        );
        owners.sort_unstable();
        owners.dedup();
    }
}
