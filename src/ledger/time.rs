//! The book's time: deadlines falling due (pure or applied), the next one, and the flags and
//! work lists that read the book at an instant.

use std::collections::BTreeSet;
use std::collections::hash_map::Entry;

use chrono::{DateTime, Utc};
use rustc_hash::FxHashMap;

use super::Ledger;
use super::positions::{index, position};
use super::slots::Slots;
use crate::event::Envelope;
use crate::flag::{Deadline, Flag, Owner};
use crate::policy::ServicePolicy;
use crate::relationship::{Relationship, WorkList};

impl Ledger {
    /// Advances every customer with a deadline up to `now`; returns the events in deadline
    /// order across the book (ties in the order customers were first registered). Costs in
    /// proportion to what is due, not to the book.
    ///
    /// A service that stores events before applying them calls [`due_by`](Self::due_by), stores
    /// the events, then [`apply_all`](Self::apply_all): the same events, the same state.
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use clientele::{Channel, CustomerId, InteractionId, Ledger, RecordInteraction,
    ///     RegisterCustomer, ServicePolicy, Text, Tier};
    ///
    /// let mut ledger = Ledger::new(ServicePolicy::default())?;
    /// let (ona, now) = (CustomerId::from_u128(1), Utc.with_ymd_and_hms(2026, 3, 6, 15, 0, 0).unwrap());
    /// ledger.execute(ona, RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?), now)?;
    /// let hello = RecordInteraction::inbound(InteractionId::from_u128(9), Channel::Chat, Text::new("Hi")?);
    /// ledger.execute(ona, hello, now)?;
    /// let wake = ledger.next_deadline().expect("Ona is waiting").at;
    /// let events = ledger.advance_to(wake);
    /// assert_eq!(events.len(), 1);
    /// assert!(ledger.advance_to(wake).is_empty()); // once only
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn advance_to(&mut self, now: DateTime<Utc>) -> Vec<Envelope> {
        // Fired in place: no copy of a customer is made, or dropped.
        let mut book = InPlace {
            slots: &mut self.slots,
            touched: Vec::new(),
        };
        let events = fire_due(&self.policy, &self.due, now, &mut book);
        let mut touched = book.touched;
        touched.sort_unstable();
        touched.dedup();
        for position in touched {
            self.reindex(position);
            // A deadline still due by `now` could not fire (the relationship refused its own
            // deadline): unfile it so the next call does not spin on it; the relationship's
            // `next_deadline` still reports it.
            if let Some(slot) = self.slots.get_mut(position)
                && let Some(at) = slot.indexed.filter(|at| *at <= now)
            {
                self.due.remove(&(at, index(position)));
                slot.indexed = None;
            }
        }
        events
    }

    /// The events [`advance_to`](Self::advance_to) would record by `now`, without changing
    /// anything, in the same order. Store them, then fold them in with
    /// [`apply_all`](Self::apply_all): the ledger is then what `advance_to` leaves. Costs as
    /// `advance_to`, plus one clone of each customer with something due.
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use clientele::{Channel, CustomerId, InteractionId, Ledger, RecordInteraction,
    ///     RegisterCustomer, ServicePolicy, Text, Tier};
    ///
    /// let mut ledger = Ledger::new(ServicePolicy::default())?;
    /// let (ona, now) = (CustomerId::from_u128(1), Utc.with_ymd_and_hms(2026, 3, 6, 15, 0, 0).unwrap());
    /// ledger.execute(ona, RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?), now)?;
    /// let hello = RecordInteraction::inbound(InteractionId::from_u128(9), Channel::Chat, Text::new("Hi")?);
    /// ledger.execute(ona, hello, now)?;
    /// let wake = ledger.next_deadline().expect("Ona is waiting").at;
    /// let due = ledger.due_by(wake);
    /// assert_eq!(due.len(), 1);
    /// // Store `due` first (one transaction); then fold it in.
    /// ledger.apply_all(&due)?;
    /// assert!(ledger.due_by(wake).is_empty());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn due_by(&self, now: DateTime<Utc>) -> Vec<Envelope> {
        let mut copies = Copies {
            slots: &self.slots,
            advanced: FxHashMap::default(),
        };
        fire_due(&self.policy, &self.due, now, &mut copies)
    }

    /// The earliest deadline of any customer.
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use clientele::{CustomerId, Ledger, RegisterCustomer, ServicePolicy, Text, Tier};
    ///
    /// let mut ledger = Ledger::new(ServicePolicy::default())?;
    /// let (ona, now) = (CustomerId::from_u128(1), Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap());
    /// ledger.execute(ona, RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?), now)?;
    /// assert!(ledger.next_deadline().is_none());
    /// let hello = clientele::RecordInteraction::inbound(
    ///     clientele::InteractionId::from_u128(9), clientele::Channel::Chat, Text::new("Hi")?);
    /// ledger.execute(ona, hello, now)?;
    /// let next = ledger.next_deadline().expect("Ona waits");
    /// assert_eq!(next.kind(), clientele::DeadlineKind::ResponseWarning);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn next_deadline(&self) -> Option<Deadline> {
        let &(_, filed) = self.due.first()?;
        self.slots
            .get(position(filed))?
            .relationship
            .next_deadline()
    }

    /// The flags of every customer at `now`, ordered by customer id. This looks at every
    /// customer; for one customer use [`Relationship::flags`] through [`get`](Self::get), for
    /// one owner [`work_list`](Self::work_list).
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use clientele::{CustomerId, Ledger, RegisterCustomer, ServicePolicy, Text, Tier};
    ///
    /// let mut ledger = Ledger::new(ServicePolicy::default())?;
    /// let (ona, now) = (CustomerId::from_u128(1), Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap());
    /// ledger.execute(ona, RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?), now)?;
    /// let hello = clientele::RecordInteraction::inbound(
    ///     clientele::InteractionId::from_u128(9), clientele::Channel::Chat, Text::new("Hi")?);
    /// ledger.execute(ona, hello, now)?;
    /// let late = ledger.next_deadline().expect("Ona waits").at + chrono::TimeDelta::days(1);
    /// let flags = ledger.flags(late);
    /// assert!(flags.iter().any(|f| f.kind == clientele::FlagKind::ResponseOverdue));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn flags(&self, now: DateTime<Utc>) -> Vec<Flag> {
        let mut flags: Vec<Flag> = self
            .live()
            .flat_map(|slot| slot.relationship.flags_by(now, slot.indexed))
            .collect();
        flags.sort_by_key(|f| (f.customer, f.since, f.kind));
        flags
    }

    /// The work list of one agent or one team at `now`: the [`flags`](Self::flags) that
    /// [are for](Flag::is_for) `owner`, in the same order. An agent's are the flags they own;
    /// a team's are those of the complaints in its queue, whichever agent took them. Answered
    /// from the work index, as [`work_list`](Self::work_list) is.
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use clientele::flag::Owner;
    /// use clientele::{Channel, ComplaintId, CustomerId, Ledger, ReceiveComplaint, RegisterCustomer,
    ///     RouteComplaint, ServicePolicy, TeamId, Text, Tier};
    ///
    /// let mut ledger = Ledger::new(ServicePolicy::default())?;
    /// let (ona, complaint, desk) = (CustomerId::from_u128(1), ComplaintId::from_u128(2), TeamId::from_u128(3));
    /// let monday = Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap();
    /// ledger.execute(ona, RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?), monday)?;
    /// ledger.execute(ona, ReceiveComplaint::new(complaint, Channel::Email, Text::new("Late")?), monday)?;
    /// ledger.execute(ona, RouteComplaint { complaint, team: desk }, monday)?;
    /// // Nobody has acknowledged it: the desk's queue shows it.
    /// assert_eq!(ledger.flags_for(Owner::Team(desk), monday).len(), 1);
    /// assert!(ledger.flags_for(Owner::Team(TeamId::from_u128(4)), monday).is_empty());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn flags_for(&self, owner: Owner, now: DateTime<Utc>) -> Vec<Flag> {
        self.work_list(owner, now).flags
    }

    /// One owner's work at `now`: the flags that name `owner` and the deadlines ahead of the
    /// items they answer for, across the book (see [`Relationship::work_list`]). Answered from
    /// an index kept as events apply and deadlines fire: it costs in proportion to the
    /// customers `owner` has work with, not to the book, and agrees with scanning every
    /// customer. Quarantined customers are left out, as from [`flags`](Self::flags).
    ///
    /// # Cost
    /// In a book advanced at each deadline it names (see [`advance_to`](Self::advance_to)),
    /// about 0.2 µs a customer of `owner`'s (`benches/book.rs`, `worklist/advanced_*`). A
    /// customer whose deadline has passed with nobody advancing the book is read on a copy
    /// advanced to `now`, so that the flags are the same either way: a few microseconds each
    /// (2.6 µs for a wait overdue, `worklist/agent_*`).
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use clientele::flag::Owner;
    /// use clientele::{AgentId, Channel, CustomerId, InteractionId, Ledger, RecordInteraction,
    ///     RegisterCustomer, ServicePolicy, Text, Tier};
    ///
    /// let mut ledger = Ledger::new(ServicePolicy::default())?;
    /// let now = Utc.with_ymd_and_hms(2026, 3, 6, 15, 0, 0).unwrap();
    /// let agent = AgentId::from_u128(7);
    /// for n in 1..=3 {
    ///     let register = RegisterCustomer::new(Text::new("Customer")?, Tier::new("standard")?);
    ///     let register = if n == 2 { register.owned_by(agent) } else { register };
    ///     ledger.execute(CustomerId::from_u128(n), register, now)?;
    ///     let hello = RecordInteraction::inbound(InteractionId::from_u128(n), Channel::Chat, Text::new("Hi")?);
    ///     ledger.execute(CustomerId::from_u128(n), hello, now)?;
    /// }
    /// let work = ledger.work_list(Owner::Agent(agent), now);
    /// assert_eq!(work.due.len(), 1);
    /// assert_eq!(work.due[0].customer, CustomerId::from_u128(2));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn work_list(&self, owner: Owner, now: DateTime<Utc>) -> WorkList {
        let mut work = WorkList::default();
        for position in self.work.customers(owner) {
            if let Some(slot) = self.slots.get(position) {
                // Filed under its next deadline: health is not reviewed again to find it.
                work.extend(slot.relationship.work_list_by(owner, now, slot.indexed));
            }
        }
        work.sort();
        work
    }
}

/// The customers a firing of the book's deadlines advances, by position.
pub(super) trait Advancing {
    /// The customer at `position`, to advance (`None` for a position without a customer,
    /// which the index never holds).
    fn at(&mut self, position: usize) -> Option<&mut Relationship>;
}

/// The book's own customers, advanced in place; the positions touched are kept for refiling.
struct InPlace<'a> {
    slots: &'a mut Slots,
    touched: Vec<usize>,
}

impl Advancing for InPlace<'_> {
    fn at(&mut self, position: usize) -> Option<&mut Relationship> {
        let slot = self.slots.get_mut(position)?;
        self.touched.push(position);
        Some(&mut slot.relationship)
    }
}

/// Copies of the book's customers, each made when first advanced: the book is left as it is.
struct Copies<'a> {
    slots: &'a Slots,
    advanced: FxHashMap<usize, Relationship>,
}

impl Advancing for Copies<'_> {
    fn at(&mut self, position: usize) -> Option<&mut Relationship> {
        Some(match self.advanced.entry(position) {
            Entry::Occupied(entry) => entry.into_mut(),
            Entry::Vacant(entry) => entry.insert(self.slots.get(position)?.relationship.clone()),
        })
    }
}

/// Fires every deadline of `index` due by `now` on the customers `book` gives: the events in
/// deadline order across the book (ties in the order customers were first registered).
///
/// Each customer due is advanced to `now` in one call, its backlog fired together, and the
/// customers' runs are then merged by instant: customers are independent, and one call each
/// keeps the cost linear in what falls due. Firing each only up to the next other customer's
/// deadline (as before) called a customer once per deadline of another between its own, each
/// call reading all its items: quadratic when one customer's deadlines interleave with others'.
pub(super) fn fire_due(
    policy: &ServicePolicy,
    index: &BTreeSet<(DateTime<Utc>, u32)>,
    now: DateTime<Utc>,
    book: &mut impl Advancing,
) -> Vec<Envelope> {
    // Only what is due by `now` takes part.
    let mut due: BTreeSet<(DateTime<Utc>, u32)> =
        index.range(..=(now, u32::MAX)).copied().collect();
    // Each customer's events, in its own order, as one run (a customer fired again joins
    // its run: its order is never broken by the merge).
    let mut runs: Vec<(u32, Vec<Envelope>)> = Vec::new();
    let mut run_of: FxHashMap<u32, usize> = FxHashMap::default();
    while let Some((at, filed)) = due.pop_first() {
        // An index entry without a customer cannot arise; pass it over.
        let Some(relationship) = book.at(position(filed)) else {
            continue;
        };
        let events = relationship.advance_to(policy, now);
        // Filed again when something later is still due by `now` (a firing's budget spent);
        // a deadline that did not move (nothing could fire) is not, so the loop ends.
        if let Some(next) = relationship.next_deadline().map(|d| d.at)
            && next > at
            && next <= now
        {
            due.insert((next, filed));
        }
        match run_of.entry(filed) {
            Entry::Occupied(run) => {
                if let Some((_, run)) = runs.get_mut(*run.get()) {
                    run.extend(events);
                }
            }
            Entry::Vacant(slot) => {
                slot.insert(runs.len());
                runs.push((filed, events));
            }
        }
    }
    merge(runs)
}

/// The runs' events in order of their instants, ties by the customer's filing (the order
/// customers were first registered), each run's own order kept: the head of the run that
/// comes first is taken each time.
fn merge(runs: Vec<(u32, Vec<Envelope>)>) -> Vec<Envelope> {
    use std::cmp::Reverse;
    use std::collections::BinaryHeap;

    let total = runs.iter().map(|(_, run)| run.len()).sum();
    let mut out = Vec::with_capacity(total);
    let mut runs: Vec<(u32, std::iter::Peekable<std::vec::IntoIter<Envelope>>)> = runs
        .into_iter()
        .map(|(filed, run)| (filed, run.into_iter().peekable()))
        .collect();
    let mut heads = BinaryHeap::with_capacity(runs.len());
    for (place, (filed, run)) in runs.iter_mut().enumerate() {
        if let Some(head) = run.peek() {
            heads.push(Reverse((head.at, *filed, place)));
        }
    }
    while let Some(Reverse((_, filed, place))) = heads.pop() {
        let Some((_, run)) = runs.get_mut(place) else {
            continue;
        };
        if let Some(envelope) = run.next() {
            out.push(envelope);
        }
        if let Some(head) = run.peek() {
            heads.push(Reverse((head.at, filed, place)));
        }
    }
    out
}

/// Counts each customer's calls: how often a firing reads a customer's items.
#[cfg(test)]
pub(super) struct Counting<'a> {
    pub(super) slots: &'a mut Slots,
    pub(super) calls: FxHashMap<usize, usize>,
}

#[cfg(test)]
impl Advancing for Counting<'_> {
    fn at(&mut self, position: usize) -> Option<&mut Relationship> {
        *self.calls.entry(position).or_default() += 1;
        Some(&mut self.slots.get_mut(position)?.relationship)
    }
}
