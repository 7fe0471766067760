//! Review of the eighth round (issue 15): work lists and flags read health at the deadline the
//! book files each customer under (`slot.indexed`), a customer due by `now` read on a copy
//! advanced under the health rules; the book's owners as a counted, shared set number, its
//! quarantines beside the slots; `Wait::unanswered` as a saturating `u16`; replay opening the
//! rare parts only for update events; health's contacts built at their exact size and rotated
//! in place when full.
//!
//! What a user relies on: an owner's work list, one owner's flags and the book's flags are
//! what a scan of every live customer's own `work_list`/`flags` gives, and what the book gives
//! once advanced to the same `now`, whatever the book went through (owners changing, customers
//! held aside and taken back, snapshots in both encodings, loading into a non-empty book,
//! replay); a customer with more than 65,535 messages waiting loses no fact and reads alike
//! live, replayed and restored; a cadence paused while we wait on the customer stays paused on
//! replay; the rhythm of a customer's last sixteen contacts does not depend on the order the
//! contacts were recorded in.

mod support;

use std::collections::BTreeSet;

use chrono::{DateTime, TimeDelta, Utc};
use clientele::customer::UpdateProfile;
use clientele::flag::{Owner, Regarding};
use clientele::health::{QuietPolicy, Signal};
use clientele::policy::{ByPriority, Targets, UpdatePolicy};
use clientele::response::UpdateStage;
use clientele::snapshot::Encoding;
use clientele::{
    AgentId, AssignComplaint, Channel, ComplaintId, CustomerId, Envelope, Event, Flag, FlagKind,
    InteractionId, KeepPromise, Ledger, MakePromise, PromiseId, ReceiveComplaint,
    RecordInteraction, RegisterCustomer, Relationship, Request, ResponseEvent, RouteComplaint,
    ServicePolicy, Span, TeamId, WorkList,
};
use proptest::prelude::*;
use support::*;

const AGENTS: [AgentId; 3] = [
    AgentId::from_u128(0xa1),
    AgentId::from_u128(0xa2),
    AgentId::from_u128(0xa3),
];
const TEAMS: [TeamId; 2] = [TeamId::from_u128(0x71), TeamId::from_u128(0x72)];
const CUSTOMERS: usize = 4;

fn customer(n: usize) -> CustomerId {
    CustomerId::from_u128(0x100 + n as u128)
}

fn owners() -> Vec<Owner> {
    AGENTS
        .iter()
        .map(|a| Owner::Agent(*a))
        .chain(TEAMS.iter().map(|t| Owner::Team(*t)))
        .collect()
}

/// The default policy with an update cadence of a day (so cadences arm, warn and fall due).
fn policy() -> ServicePolicy {
    ServicePolicy {
        updates: Some(UpdatePolicy::new(Targets::new(ByPriority::uniform(
            Span::hours(24),
        )))),
        ..ServicePolicy::default()
    }
}

/// [`policy`] with a health window of six days (`short`): breaks leave it within the
/// instants asked at, so relationships recover.
fn rules(short: bool) -> ServicePolicy {
    let mut policy = policy();
    if short {
        policy.health.window = Span::days(6);
    }
    policy
}

fn reassign(owner: Option<AgentId>) -> UpdateProfile {
    UpdateProfile {
        owner: Some(owner),
        ..UpdateProfile::default()
    }
}

// ---------------------------------------------------------------------------------------
// Work lists and flags against a scan and an advanced book
// ---------------------------------------------------------------------------------------

/// What happens to the book.
#[derive(Debug, Clone)]
enum Op {
    Register(usize, Option<usize>),
    Inbound(usize),
    Answer(usize, usize),
    Promise(usize, usize, i64),
    Keep(usize),
    Complaint(usize),
    Route(usize, usize),
    Assign(usize, usize),
    Reassign(usize, Option<usize>),
    /// Every customer of the book to one owner (a set many share, then all leave it).
    ReassignAll(Option<usize>),
    Tick(i64),
    Advance,
    Restore(bool),
    /// The book's health rules changed (`set_policy`).
    Rules(bool),
    /// Restored under the other health rules: the saved deadlines are not trusted.
    RestoreUnderOther,
    LoadIntoNonEmpty(bool),
    Replay,
    HoldAside(usize),
    Retry(usize),
}

fn op() -> impl Strategy<Value = Op> {
    let c = 0..CUSTOMERS;
    let a = 0..AGENTS.len();
    prop_oneof![
        3 => (c.clone(), proptest::option::of(a.clone())).prop_map(|(c, a)| Op::Register(c, a)),
        4 => c.clone().prop_map(Op::Inbound),
        2 => (c.clone(), a.clone()).prop_map(|(c, a)| Op::Answer(c, a)),
        3 => (c.clone(), a.clone(), 1..60i64).prop_map(|(c, a, h)| Op::Promise(c, a, h)),
        1 => c.clone().prop_map(Op::Keep),
        2 => c.clone().prop_map(Op::Complaint),
        2 => (c.clone(), 0..TEAMS.len()).prop_map(|(c, t)| Op::Route(c, t)),
        1 => (c.clone(), a.clone()).prop_map(|(c, a)| Op::Assign(c, a)),
        2 => (c.clone(), proptest::option::of(a.clone())).prop_map(|(c, a)| Op::Reassign(c, a)),
        1 => proptest::option::of(a).prop_map(Op::ReassignAll),
        4 => prop_oneof![1..30i64, 100..1_000i64].prop_map(Op::Tick),
        2 => Just(Op::Advance),
        1 => any::<bool>().prop_map(Op::Restore),
        1 => any::<bool>().prop_map(Op::Rules),
        1 => Just(Op::RestoreUnderOther),
        1 => any::<bool>().prop_map(Op::LoadIntoNonEmpty),
        1 => Just(Op::Replay),
        1 => c.clone().prop_map(Op::HoldAside),
        1 => c.prop_map(Op::Retry),
    ]
}

/// The book, its stored log, the time, and the ids handed out so far.
struct Book {
    ledger: Ledger,
    log: Vec<Envelope>,
    now: DateTime<Utc>,
    next_id: u128,
    promises: Vec<Vec<PromiseId>>,
    complaints: Vec<Vec<ComplaintId>>,
    /// Customers added by loading into a non-empty book.
    extra: u128,
    /// Whether the book's health window is the short one.
    short: bool,
}

impl Book {
    fn new() -> Self {
        Self {
            ledger: Ledger::new(policy()).unwrap(),
            log: Vec::new(),
            now: t("2026-03-02 09:00"),
            next_id: 1,
            promises: vec![Vec::new(); CUSTOMERS],
            complaints: vec![Vec::new(); CUSTOMERS],
            extra: 0,
            short: false,
        }
    }

    fn id(&mut self) -> u128 {
        self.next_id += 1;
        self.next_id
    }

    /// Runs a command; refusals change nothing and are passed over.
    fn run(&mut self, who: CustomerId, command: impl Into<clientele::Command>) {
        if let Ok(events) = self.ledger.execute(who, command, self.now) {
            self.log.extend(events);
        }
    }

    fn play(&mut self, op: &Op) {
        match *op {
            Op::Register(c, a) => {
                let register = RegisterCustomer::new(text("Customer"), tier("standard"));
                let register = match a {
                    Some(a) => register.owned_by(AGENTS[a]),
                    None => register,
                };
                self.run(customer(c), register);
            }
            Op::Inbound(c) => {
                let id = self.id();
                self.run(customer(c), inbound(id, Channel::Email));
            }
            Op::Answer(c, a) => {
                let id = InteractionId::from_u128(self.id());
                let answer =
                    RecordInteraction::outbound(id, Channel::Phone, AGENTS[a], text("answer"));
                self.run(customer(c), answer);
            }
            Op::Promise(c, a, hours) => {
                let id = PromiseId::from_u128(self.id());
                let due = self.now + TimeDelta::hours(hours);
                self.run(
                    customer(c),
                    MakePromise::new(id, text("Call"), due, AGENTS[a]),
                );
                self.promises[c].push(id);
            }
            Op::Keep(c) => {
                if let Some(promise) = self.promises[c].pop() {
                    self.run(customer(c), KeepPromise { promise });
                }
            }
            Op::Complaint(c) => {
                let id = ComplaintId::from_u128(self.id());
                self.run(
                    customer(c),
                    ReceiveComplaint::new(id, Channel::Phone, text("Late")),
                );
                self.complaints[c].push(id);
            }
            Op::Route(c, team) => {
                if let Some(&complaint) = self.complaints[c].last() {
                    let team = TEAMS[team];
                    self.run(customer(c), RouteComplaint { complaint, team });
                }
            }
            Op::Assign(c, a) => {
                if let Some(&complaint) = self.complaints[c].first() {
                    let owner = AGENTS[a];
                    self.run(customer(c), AssignComplaint { complaint, owner });
                }
            }
            Op::Reassign(c, a) => self.run(customer(c), reassign(a.map(|a| AGENTS[a]))),
            Op::ReassignAll(a) => {
                let all: Vec<CustomerId> = self.ledger.iter().map(|(c, _)| c).collect();
                for c in all {
                    self.run(c, reassign(a.map(|a| AGENTS[a])));
                }
            }
            Op::Tick(hours) => self.now += TimeDelta::hours(hours),
            Op::Advance => {
                let events = self.ledger.advance_to(self.now);
                self.log.extend(events);
            }
            Op::Restore(binary) => {
                let encoding = if binary {
                    Encoding::Binary
                } else {
                    Encoding::Json
                };
                let bytes = self.ledger.snapshot(encoding).unwrap();
                self.ledger = Ledger::restore(rules(self.short), &bytes).unwrap();
            }
            Op::LoadIntoNonEmpty(binary) => {
                // A book already holding a customer of its own (with work for an agent).
                self.extra += 1;
                let other = CustomerId::from_u128(0x900 + self.extra);
                let mut loaded = Ledger::new(rules(self.short)).unwrap();
                let register =
                    RegisterCustomer::new(text("Other"), tier("standard")).owned_by(AGENTS[0]);
                let mut events = loaded.execute(other, register, self.now).unwrap();
                let id = self.id();
                events.extend(
                    loaded
                        .execute(other, inbound(id, Channel::Chat), self.now)
                        .unwrap(),
                );
                if binary {
                    let bytes = postcard::to_allocvec(&self.ledger).unwrap();
                    let mut de = postcard::Deserializer::from_bytes(&bytes);
                    loaded.load_book(&mut de).unwrap();
                } else {
                    let json = serde_json::to_string(&self.ledger).unwrap();
                    let mut de = serde_json::Deserializer::from_str(&json);
                    loaded.load_book(&mut de).unwrap();
                }
                self.log.extend(events);
                self.ledger = loaded;
            }
            Op::Replay => self.ledger = Ledger::replay(rules(self.short), &self.log).unwrap(),
            Op::Rules(short) => {
                self.short = short;
                self.ledger.set_policy(rules(short)).unwrap();
            }
            Op::RestoreUnderOther => {
                let bytes = self.ledger.snapshot(Encoding::Binary).unwrap();
                self.short = !self.short;
                self.ledger = Ledger::restore(rules(self.short), &bytes).unwrap();
            }
            Op::HoldAside(c) => {
                // A tail caught up after a restart holds a damaged event of the customer's.
                let who = customer(c);
                if let Some(last) = self.log.iter().rfind(|e| e.customer == who) {
                    let mut damaged = last.clone();
                    damaged.seq += 5;
                    self.ledger.catch_up([&damaged]);
                }
            }
            Op::Retry(c) => {
                let who = customer(c);
                let hers: Vec<&Envelope> = self.log.iter().filter(|e| e.customer == who).collect();
                let _not_held = self.ledger.retry(who, hers);
            }
        }
    }
}

/// Every customer's own work list for `owner` at `now`, in the book's order.
fn scanned_work(ledger: &Ledger, owner: Owner, now: DateTime<Utc>) -> WorkList {
    let mut work = WorkList::default();
    for (_, relationship) in ledger.iter() {
        let mine = relationship.work_list(owner, now);
        work.flags.extend(mine.flags);
        work.due.extend(mine.due);
    }
    work.flags.sort_by_key(|f| (f.customer, f.since, f.kind));
    work.due.sort_unstable();
    work
}

fn scanned_flags(ledger: &Ledger, now: DateTime<Utc>) -> Vec<Flag> {
    let mut flags: Vec<Flag> = ledger.iter().flat_map(|(_, r)| r.flags(now)).collect();
    flags.sort_by_key(|f| (f.customer, f.since, f.kind));
    flags
}

/// The instants worth asking at: now, around each customer's next deadline (a second before,
/// at, a second after), and days and weeks on (windows leaving, customers going quiet).
fn instants(ledger: &Ledger, now: DateTime<Utc>) -> Vec<DateTime<Utc>> {
    let mut at = vec![
        now,
        now + TimeDelta::days(2),
        now + TimeDelta::days(7),
        now + TimeDelta::days(40),
    ];
    for (_, relationship) in ledger.iter() {
        if let Some(next) = relationship.next_deadline() {
            let one = TimeDelta::seconds(1);
            at.extend([next.at - one, next.at, next.at + one]);
        }
    }
    at.sort();
    at.dedup();
    at
}

/// The book's answers at `now` agree with the scan, and with the book advanced to `now`.
fn agree(ledger: &Ledger, now: DateTime<Utc>) -> Result<(), TestCaseError> {
    let flags = ledger.flags(now);
    prop_assert_eq!(&flags, &scanned_flags(ledger, now), "flags at {}", now);
    // The book's next deadline is the earliest of its customers'; advanced, it leaves none
    // of them with a deadline due by `now`.
    let earliest = ledger
        .iter()
        .filter_map(|(_, r)| r.next_deadline())
        .map(|d| d.at)
        .min();
    prop_assert_eq!(ledger.next_deadline().map(|d| d.at), earliest);
    let mut advanced = ledger.clone();
    advanced.advance_to(now);
    for (customer, relationship) in advanced.iter() {
        let next = relationship.next_deadline();
        prop_assert!(
            next.is_none_or(|d| d.at > now),
            "{} left at {:?}",
            customer,
            next
        );
    }
    prop_assert_eq!(&advanced.flags(now), &flags, "flags advanced to {}", now);
    for owner in owners() {
        let work = ledger.work_list(owner, now);
        prop_assert_eq!(
            &work,
            &scanned_work(ledger, owner, now),
            "{:?} at {}",
            owner,
            now
        );
        let mine: Vec<Flag> = flags.iter().filter(|f| f.is_for(owner)).cloned().collect();
        prop_assert_eq!(
            &ledger.flags_for(owner, now),
            &mine,
            "{:?} at {}",
            owner,
            now
        );
        prop_assert_eq!(
            &advanced.work_list(owner, now).flags,
            &work.flags,
            "{:?} advanced to {}",
            owner,
            now
        );
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// Given a book that goes through owners changing (promises to other agents, complaints
    /// routed to teams, accounts reassigned one by one and all at once), customers held aside
    /// and taken back, snapshots in both encodings (restored under its health rules or under
    /// others), loading into a non-empty book, replay, and its health rules changed,
    /// when its work lists and flags are read at instants before, at and after deadlines and
    /// health reviews, then they equal a scan of every live customer, and the same book
    /// advanced to that instant.
    #[test]
    fn work_lists_and_flags_read_as_a_scan_and_as_an_advanced_book(
        ops in proptest::collection::vec(op(), 1..28),
    ) {
        let mut book = Book::new();
        for n in 0..CUSTOMERS {
            book.play(&Op::Register(n, Some(n % AGENTS.len())));
        }
        for op in &ops {
            book.play(op);
            for now in instants(&book.ledger, book.now) {
                agree(&book.ledger, now)?;
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// Sets of owners shared, left and used again
// ---------------------------------------------------------------------------------------

/// Given forty customers filed under one agent's account, when they all move to a second
/// agent, then half get promises to the first, then all move back and forth between the
/// three (sets of owners let go, their numbers taken by other sets, then asked for again),
/// then each agent's work list names exactly the customers whose own work list names them,
/// after each move and after a restore.
#[test]
fn many_customers_sharing_one_set_of_owners_all_move_away_and_back() {
    let mut book = Book::new();
    let all: Vec<CustomerId> = (0..40).map(|n| CustomerId::from_u128(0x500 + n)).collect();
    for (n, &c) in all.iter().enumerate() {
        book.run(
            c,
            RegisterCustomer::new(text("C"), tier("standard")).owned_by(AGENTS[0]),
        );
        book.run(c, inbound(0x5000 + n as u128, Channel::Email));
    }
    let check = |ledger: &Ledger, now: DateTime<Utc>| {
        for owner in owners() {
            let work = ledger.work_list(owner, now);
            assert_eq!(work, scanned_work(ledger, owner, now), "{owner:?}");
        }
    };
    let waiting_for = |ledger: &Ledger, agent: AgentId, now| {
        let work = ledger.work_list(Owner::Agent(agent), now);
        let customers: BTreeSet<CustomerId> = work.due.iter().map(|d| d.customer).collect();
        customers.len()
    };
    let now = book.now;
    assert_eq!(waiting_for(&book.ledger, AGENTS[0], now), 40);
    book.play(&Op::ReassignAll(Some(1)));
    check(&book.ledger, now);
    assert_eq!(waiting_for(&book.ledger, AGENTS[0], now), 0);
    assert_eq!(waiting_for(&book.ledger, AGENTS[1], now), 40);
    // Half of them get a promise to the first agent: a pair set, shared by twenty.
    for (n, &c) in all.iter().enumerate().step_by(2) {
        let due = now + TimeDelta::days(3);
        let promise = PromiseId::from_u128(0x6000 + n as u128);
        book.run(c, MakePromise::new(promise, text("Call"), due, AGENTS[0]));
    }
    book.play(&Op::ReassignAll(Some(2)));
    check(&book.ledger, now);
    assert_eq!(waiting_for(&book.ledger, AGENTS[1], now), 0);
    assert_eq!(waiting_for(&book.ledger, AGENTS[2], now), 40);
    assert_eq!(waiting_for(&book.ledger, AGENTS[0], now), 20);
    // Back and forth: sets let go, their numbers taken by others, then asked for again.
    for agent in [None, Some(0), Some(2), Some(0), Some(1), Some(2)] {
        book.play(&Op::ReassignAll(agent));
        check(&book.ledger, now);
        for (n, a) in AGENTS.iter().enumerate() {
            let expected = match agent {
                Some(k) if k == n => 40,
                _ if n == 0 => 20,
                _ => 0,
            };
            assert_eq!(
                waiting_for(&book.ledger, *a, now),
                expected,
                "{agent:?} {n}"
            );
        }
    }
    // Then a churn of smaller moves: a complaint each, routed from team to team, accounts
    // moving in groups, so sets of owners are made, shared, let go and their numbers reused.
    for (n, &c) in all.iter().enumerate() {
        let complaint = ComplaintId::from_u128(0x7000 + n as u128);
        book.run(
            c,
            ReceiveComplaint::new(complaint, Channel::Phone, text("Late")),
        );
    }
    for round in 0..12usize {
        for (n, &c) in all.iter().enumerate() {
            if (n * 7 + round * 3) % 5 < 2 {
                let agent = (n + round) % 4;
                book.run(c, reassign(AGENTS.get(agent).copied()));
            }
            if (n + round) % 3 == 0 {
                let complaint = ComplaintId::from_u128(0x7000 + n as u128);
                let team = TEAMS[(n / 2 + round) % 2];
                book.run(c, RouteComplaint { complaint, team });
            }
        }
        check(&book.ledger, now);
    }
    book.play(&Op::Restore(true));
    check(&book.ledger, now);
    book.play(&Op::ReassignAll(Some(0)));
    check(&book.ledger, now);
    assert_eq!(waiting_for(&book.ledger, AGENTS[0], now), 40);
    assert_eq!(waiting_for(&book.ledger, AGENTS[1], now), 0);
    for team in TEAMS {
        assert!(!book.ledger.work_list(Owner::Team(team), now).is_empty());
    }
}

// ---------------------------------------------------------------------------------------
// More messages waiting than a u16 counts
// ---------------------------------------------------------------------------------------

/// Given a customer who sends 65,540 messages within a minute and a half, nobody answering,
/// when the relationship is replayed and restored in both encodings, then all read alike;
/// health still reads "three or more messages waiting"; every message is in the
/// conversation, and one answer stops the clock, answering the first of them.
#[test]
fn more_messages_waiting_than_a_u16_counts_lose_no_fact() {
    let policy = ServicePolicy::default();
    let start = t("2026-03-02 09:00");
    let mut ona = Relationship::new(ONA);
    let register = RegisterCustomer::new(text("Ona"), tier("standard"));
    let mut log = ona.execute(&policy, register, start).unwrap();
    let messages: u128 = 65_540;
    for n in 1..=messages {
        let at = start + TimeDelta::milliseconds(n as i64);
        log.extend(ona.execute(&policy, inbound(n, Channel::Chat), at).unwrap());
    }
    let now = start + TimeDelta::minutes(2);
    let unanswered = |r: &Relationship| {
        r.health(&policy, now)
            .reasons
            .iter()
            .any(|(signal, _)| *signal == Signal::Unanswered)
    };
    assert!(unanswered(&ona), "{:?}", ona.health(&policy, now));
    let replayed = Relationship::replay(ONA, &log).unwrap();
    assert_eq!(replayed, ona);
    for encoding in [Encoding::Binary, Encoding::Json] {
        let restored = Relationship::restore(&ona.snapshot(encoding).unwrap()).unwrap();
        assert_eq!(restored, ona);
        assert!(unanswered(&restored));
    }
    assert_eq!(ona.response_clock().wait().unwrap().unanswered, u16::MAX);
    assert!((1..=messages).all(|n| replayed.recorded_interaction(InteractionId::from_u128(n))));
    // One answer stops the clock, answering the first message.
    let answer = outbound(messages + 1, Channel::Chat);
    let events = ona.execute(&policy, answer, now).unwrap();
    assert!(events.iter().any(|e| matches!(
        &e.event,
        Event::Response(ResponseEvent::ClockStopped { since, .. }) if *since == InteractionId::from_u128(1)
    )));
    assert!(ona.response_clock().wait().is_none());
    log.extend(events);
    assert_eq!(Relationship::replay(ONA, &log).unwrap(), ona);
}

// ---------------------------------------------------------------------------------------
// Update cadences paused while we wait on the customer
// ---------------------------------------------------------------------------------------

/// Given a promise with an update cadence, when our outbound message asks the customer about
/// it and waits on them, then its cadence is paused: no update falls due for a week, live or
/// in a replayed book, and the flags read the same in both.
#[test]
fn a_cadence_paused_by_waiting_on_the_customer_stays_paused_on_replay() {
    let promise = PromiseId::from_u128(0x91);
    let mut w = World::new(policy(), "2026-03-02 09:00");
    w.given_customer(ONA, "standard");
    let due = t("2026-03-20 09:00");
    w.when(ONA, MakePromise::new(promise, text("Glasses"), due, AGENT))
        .unwrap();
    w.at("2026-03-02 10:00");
    let ask = RecordInteraction::outbound(
        InteractionId::from_u128(5),
        Channel::Email,
        AGENT,
        text("Which frame?"),
    )
    .regarding(promise)
    .awaiting_customer();
    w.when(ONA, ask).unwrap();
    let paused = |r: &Relationship| {
        r.update_clock(Regarding::Promise(promise))
            .map(|clock| clock.stage)
    };
    assert_eq!(paused(w.relationship(ONA)), Some(UpdateStage::Paused));
    let fired = w.run_until("2026-03-09 10:00", 50);
    assert!(
        !fired.iter().any(|e| matches!(
            e.event,
            Event::Response(
                ResponseEvent::UpdateAtRisk { .. } | ResponseEvent::UpdateOverdue { .. }
            )
        )),
        "{fired:?}"
    );
    let replayed = Ledger::replay(policy(), &w.log).unwrap();
    assert_eq!(replayed.get(ONA), w.ledger.get(ONA));
    assert_eq!(
        paused(replayed.get(ONA).unwrap()),
        Some(UpdateStage::Paused)
    );
    let now = t("2026-03-09 10:00");
    assert_eq!(replayed.flags(now), w.ledger.flags(now));
    assert!(
        !replayed
            .flags(now)
            .iter()
            .any(|f| matches!(f.kind, FlagKind::UpdateAtRisk | FlagKind::UpdateOverdue))
    );
}

// ---------------------------------------------------------------------------------------
// Health's contacts, full and rotating
// ---------------------------------------------------------------------------------------

/// A policy whose quiet rule reads the rhythm of the last sixteen contacts (the most kept).
fn sixteen_contacts() -> ServicePolicy {
    let mut policy = ServicePolicy::default();
    policy.health.quiet = QuietPolicy {
        contacts: 16,
        ..policy.health.quiet
    };
    policy
}

/// When the customer goes quiet, by `relationship`'s flags at `now`.
fn gone_quiet(relationship: &Relationship, now: DateTime<Utc>) -> Vec<DateTime<Utc>> {
    relationship
        .flags(now)
        .iter()
        .filter(|f| f.kind == FlagKind::GoneQuiet)
        .map(|f| f.since)
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// Given 17 to 24 inbound contacts two to eight days apart, when they are recorded in any
    /// order, or newest first (the earlier ones reported late), after one more message that
    /// goes unanswered, then the customer goes quiet at the same instant as when the contacts
    /// were recorded in time order: the last sixteen contacts are kept whatever the order, in
    /// order, and the rhythm (three times their median gap) is theirs: the relationships are
    /// equal. Replay and restore agree.
    #[test]
    fn the_rhythm_of_the_last_sixteen_contacts_does_not_depend_on_the_order_recorded(
        gaps in proptest::collection::vec(48..200i64, 17..25),
        order in proptest::collection::vec(any::<prop::sample::Index>(), 17..25),
    ) {
        let policy = sixteen_contacts();
        let start = t("2026-03-02 09:00");
        let mut instants = Vec::new();
        let mut at = start;
        for gap in &gaps {
            at += TimeDelta::hours(*gap);
            instants.push(at);
        }
        let last = at + TimeDelta::hours(1);
        let record = |order: &[usize]| {
            let mut r = Relationship::new(ONA);
            let register = RegisterCustomer::new(text("Ona"), tier("standard"));
            let mut log = r.execute(&policy, register, start).unwrap();
            // The last one, recorded first, goes unanswered: the bad experience the silence
            // follows.
            log.extend(r.execute(&policy, inbound(999, Channel::Chat), last).unwrap());
            for &n in order {
                let contact = inbound(n as u128 + 1, Channel::Chat).no_reply_needed();
                let message = Request::new(contact).occurred_at(instants[n]);
                log.extend(r.execute_request(&policy, message, last).unwrap());
            }
            (r, log)
        };
        let (in_order, _) = record(&(0..instants.len()).collect::<Vec<_>>());
        // A shuffle: the index drawn for each position picks among those left.
        let mut left: Vec<usize> = (0..instants.len()).collect();
        let mut shuffled = Vec::new();
        for pick in order.iter().cycle().take(instants.len()) {
            shuffled.push(left.remove(pick.index(left.len())));
        }
        let (any_order, log) = record(&shuffled);
        let now = last + TimeDelta::days(80);
        let quiet = gone_quiet(&in_order, now);
        prop_assert_eq!(quiet.len(), 1);
        prop_assert_eq!(&gone_quiet(&any_order, now), &quiet, "order {:?}", shuffled);
        prop_assert_eq!(&any_order, &in_order, "order {:?}", shuffled);
        // Newest first: once sixteen are kept, each later one is older than all of them.
        let (newest_first, _) = record(&(0..instants.len()).rev().collect::<Vec<_>>());
        prop_assert_eq!(&newest_first, &in_order);
        // Read back with no policy: scored under the same rules once told them.
        let mut replayed = Relationship::replay(ONA, &log).unwrap();
        replayed.use_health_policy(&policy.health);
        prop_assert_eq!(&replayed, &any_order);
        prop_assert_eq!(&gone_quiet(&replayed, now), &quiet);
        let mut restored =
            Relationship::restore(&any_order.snapshot(Encoding::Binary).unwrap()).unwrap();
        restored.use_health_policy(&policy.health);
        prop_assert_eq!(&gone_quiet(&restored, now), &quiet);
    }
}
