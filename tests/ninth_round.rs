//! Review of the ninth round (issue 15): the archive's buffer grows with room while a history
//! is applied and is trimmed at rest; a replay from an empty book files each customer's next
//! deadline early as the log leaves it (and stops once the log keeps coming back); health's
//! band review skips what cannot land before the span's end (`none_by`).
//!
//! What a user relies on: a book replayed from its log is the live book, filings included (its
//! snapshots in both encodings are byte for byte the live book's, and so are its next
//! deadline, what falls due, flags and work lists), whatever the order of the log (as
//! recorded, grouped by customer, dealt round-robin, a customer coming back after all the
//! others), with damaged events holding customers aside, loaded one event at a time, stopped
//! midway by a decoder's error, or restored from a snapshot and caught up; a customer filed
//! early and touched again is filed again, also once the log has come back often enough to
//! stop early filing; a relationship applied envelope by envelope (its archive with room)
//! compares, prints, clones and saves as one applied in a batch; and health's band events
//! reviewed up to an instant exactly at a window's edge (or a second either side) are those
//! of a review weeks long, and a customer who met a bad experience still goes quiet.

mod support;

use chrono::{DateTime, TimeDelta, Utc};
use clientele::flag::Owner;
use clientele::health::QuietPolicy;
use clientele::snapshot::Encoding;
use clientele::{
    AgentId, AnswerSurvey, Channel, ComplaintId, CustomerId, Envelope, InteractionId, KeepPromise,
    Ledger, MakePromise, NpsScore, PromiseId, ReceiveComplaint, RecordInteraction,
    RegisterCustomer, Relationship, ServicePolicy, Span, SurveyAnswer,
};
use proptest::prelude::*;
use support::*;

const AGENTS: [AgentId; 2] = [AgentId::from_u128(0xa1), AgentId::from_u128(0xa2)];
const CUSTOMERS: usize = 7;

fn customer(n: usize) -> CustomerId {
    CustomerId::from_u128(0x300 + n as u128)
}

/// The default policy, or one with a short, odd health window (six days and a second: half
/// a window is not a whole number of seconds' halves of days) and a quick quiet rhythm.
fn rules(odd: bool) -> ServicePolicy {
    let mut policy = ServicePolicy::default();
    if odd {
        policy.health.window = Span::seconds(6 * 86_400 + 1);
        policy.health.quiet = QuietPolicy {
            contacts: 4,
            at_least: 2,
            times: 2,
            at_least_gap: Span::hours(12),
        };
    }
    policy
}

// ---------------------------------------------------------------------------------------
// Books played live, and their logs in other orders
// ---------------------------------------------------------------------------------------

#[derive(Debug, Clone)]
enum Op {
    /// Registers the customer if new, else a message from them.
    Inbound(usize),
    Answer(usize),
    Promise(usize, i64),
    Keep(usize),
    Complaint(usize),
    Tick(i64),
    Advance,
}

fn op() -> impl Strategy<Value = Op> {
    let c = 0..CUSTOMERS;
    prop_oneof![
        5 => c.clone().prop_map(Op::Inbound),
        3 => c.clone().prop_map(Op::Answer),
        2 => (c.clone(), 1..90i64).prop_map(|(c, h)| Op::Promise(c, h)),
        1 => c.clone().prop_map(Op::Keep),
        1 => c.prop_map(Op::Complaint),
        3 => prop_oneof![1..20i64, 60..400i64].prop_map(Op::Tick),
        2 => Just(Op::Advance),
    ]
}

/// A live book, its log, the time, and the ids handed out.
struct Live {
    ledger: Ledger,
    log: Vec<Envelope>,
    now: DateTime<Utc>,
    next_id: u128,
    promises: Vec<Vec<PromiseId>>,
}

impl Live {
    fn new(policy: ServicePolicy) -> Self {
        Self {
            ledger: Ledger::new(policy).unwrap(),
            log: Vec::new(),
            now: t("2026-03-02 09:00"),
            next_id: 0x1000,
            promises: vec![Vec::new(); CUSTOMERS],
        }
    }

    fn id(&mut self) -> u128 {
        self.next_id += 1;
        self.next_id
    }

    /// Runs a command; a refusal changes nothing and is passed over.
    fn run(&mut self, who: CustomerId, command: impl Into<clientele::Command>) {
        let events = self.ledger.execute(who, command, self.now);
        self.log.extend(events.unwrap_or_default());
    }

    fn register(&mut self, who: CustomerId, owner: AgentId) {
        let register = RegisterCustomer::new(text("Customer"), tier("standard")).owned_by(owner);
        self.run(who, register);
    }

    fn play(&mut self, op: &Op) {
        match *op {
            Op::Inbound(c) => {
                if self.ledger.get(customer(c)).is_none() {
                    self.register(customer(c), AGENTS[c % 2]);
                }
                let id = self.id();
                self.run(customer(c), inbound(id, Channel::Email));
            }
            Op::Answer(c) => {
                let id = InteractionId::from_u128(self.id());
                let answer =
                    RecordInteraction::outbound(id, Channel::Phone, AGENTS[c % 2], text("answer"));
                self.run(customer(c), answer);
            }
            Op::Promise(c, hours) => {
                let id = PromiseId::from_u128(self.id());
                let due = self.now + TimeDelta::hours(hours);
                let promise = MakePromise::new(id, text("Call"), due, AGENTS[c % 2]);
                self.promises[c].push(id);
                self.run(customer(c), promise);
            }
            Op::Keep(c) => {
                if let Some(promise) = self.promises[c].pop() {
                    self.run(customer(c), KeepPromise { promise });
                }
            }
            Op::Complaint(c) => {
                let id = ComplaintId::from_u128(self.id());
                let complaint = ReceiveComplaint::new(id, Channel::Phone, text("Late again"));
                self.run(customer(c), complaint);
            }
            Op::Tick(hours) => self.now += TimeDelta::hours(hours),
            Op::Advance => {
                let events = self.ledger.advance_to(self.now);
                self.log.extend(events);
            }
        }
    }
}

/// The customers of `log` in the order they first appear, each with their events in order.
fn per_customer(log: &[Envelope]) -> Vec<Vec<Envelope>> {
    let mut order: Vec<CustomerId> = Vec::new();
    let mut theirs: Vec<Vec<Envelope>> = Vec::new();
    for envelope in log {
        let at = match order.iter().position(|c| *c == envelope.customer) {
            Some(at) => at,
            None => {
                order.push(envelope.customer);
                theirs.push(Vec::new());
                order.len() - 1
            }
        };
        theirs[at].push(envelope.clone());
    }
    theirs
}

/// The orders a store may hand the log back in (each customer's events in their order, and
/// customers first met in the same order).
#[derive(Debug, Clone, Copy)]
enum Order {
    Recorded,
    Grouped,
    RoundRobin,
    /// Grouped, the first customer's second half after everybody else.
    FirstComesBack,
}

const ORDERS: [Order; 4] = [
    Order::Recorded,
    Order::Grouped,
    Order::RoundRobin,
    Order::FirstComesBack,
];

fn reordered(log: &[Envelope], order: Order) -> Vec<Envelope> {
    let theirs = per_customer(log);
    match order {
        Order::Recorded => log.to_vec(),
        Order::Grouped => theirs.concat(),
        Order::RoundRobin => {
            let mut out = Vec::with_capacity(log.len());
            let longest = theirs.iter().map(Vec::len).max().unwrap_or(0);
            for round in 0..longest {
                out.extend(
                    theirs
                        .iter()
                        .filter_map(|events| events.get(round).cloned()),
                );
            }
            out
        }
        Order::FirstComesBack => {
            let Some((first, rest)) = theirs.split_first() else {
                return Vec::new();
            };
            let half = first.len().div_ceil(2);
            let mut out = first[..half].to_vec();
            out.extend(rest.concat());
            out.extend_from_slice(&first[half..]);
            out
        }
    }
}

/// The instants worth asking at: now, around every customer's next deadline, days on.
fn instants(ledger: &Ledger, now: DateTime<Utc>) -> Vec<DateTime<Utc>> {
    sampled(ledger, now, 1)
}

/// [`instants`] around every `stride`-th customer's next deadline (a big book's snapshots
/// already hold every customer's filing).
fn sampled(ledger: &Ledger, now: DateTime<Utc>, stride: usize) -> Vec<DateTime<Utc>> {
    let mut at = vec![now, now + TimeDelta::days(3), now + TimeDelta::days(40)];
    for (_, relationship) in ledger.iter().step_by(stride) {
        if let Some(deadline) = relationship.next_deadline() {
            let second = TimeDelta::seconds(1);
            at.extend([deadline.at - second, deadline.at, deadline.at + second]);
        }
    }
    at
}

/// Everything a user reads from a book, and its snapshots (which save every customer's filed
/// next deadline).
fn reading(ledger: &Ledger, at: &[DateTime<Utc>]) -> String {
    let mut out = format!("next {:?}\n", ledger.next_deadline());
    for now in at {
        out += &format!("due {now}: {:?}\n", ledger.due_by(*now));
        out += &format!("flags {now}: {:?}\n", ledger.flags(*now));
        for agent in AGENTS {
            let owner = Owner::Agent(agent);
            out += &format!("work {now}: {:?}\n", ledger.work_list(owner, *now));
        }
    }
    out
}

fn snapshots(ledger: &Ledger) -> (Vec<u8>, Vec<u8>) {
    (
        ledger.snapshot(Encoding::Binary).unwrap(),
        ledger.snapshot(Encoding::Json).unwrap(),
    )
}

/// `book` is `expected`: the same customers, quarantines, filings, snapshots and readings.
fn same_book(book: &Ledger, expected: &Ledger, at: &[DateTime<Utc>], what: &str) {
    assert!(book == expected, "{what}: the books differ");
    assert!(
        snapshots(book) == snapshots(expected),
        "{what}: the snapshots differ (a customer filed under another deadline?)"
    );
    assert_eq!(reading(book, at), reading(expected, at), "{what}");
}

/// A book built by loading `log` one event at a time (the first into an empty book, every
/// other refiling its customer as it goes).
fn caught_up_one_by_one(policy: &ServicePolicy, log: &[Envelope]) -> Ledger {
    let mut book = Ledger::new(policy.clone()).unwrap();
    for envelope in log {
        book.catch_up([envelope]);
    }
    book
}

/// Every way of loading `log` gives `expected`.
fn every_load_gives(
    policy: &ServicePolicy,
    log: &[Envelope],
    expected: &Ledger,
    now: DateTime<Utc>,
) {
    let at = instants(expected, now);
    let replayed = Ledger::replay(policy.clone(), log).unwrap();
    same_book(&replayed, expected, &at, "replayed");
    let mut caught = Ledger::new(policy.clone()).unwrap();
    caught.catch_up(log);
    same_book(&caught, expected, &at, "caught up into an empty book");
    let one_by_one = caught_up_one_by_one(policy, log);
    same_book(&one_by_one, expected, &at, "caught up one event at a time");
    // Restored from a snapshot of the first part, then caught up with the rest, in both
    // encodings; and the rest loaded into a book already holding the first part.
    let half = log.len() / 2;
    let first = Ledger::replay(policy.clone(), &log[..half]).unwrap();
    for encoding in [Encoding::Binary, Encoding::Json] {
        let bytes = first.snapshot(encoding).unwrap();
        let mut restored = Ledger::restore(policy.clone(), &bytes).unwrap();
        restored.catch_up(&log[half..]);
        same_book(&restored, expected, &at, "restored, then caught up");
    }
    let mut continued = first;
    continued.catch_up(&log[half..]);
    same_book(&continued, expected, &at, "replayed in two parts");
    // Stopped by a line the decoder refuses: the events before it are loaded and filed.
    let lines: Vec<String> = log
        .iter()
        .map(|e| serde_json::to_string(e).unwrap())
        .collect();
    let stop = log.len() * 2 / 3;
    let mut damaged: Vec<&str> = lines.iter().map(String::as_str).collect();
    damaged.insert(stop, "{not json");
    let mut partial = Ledger::new(policy.clone()).unwrap();
    let decoded = damaged.into_iter().map(Envelope::from_json);
    assert!(partial.try_catch_up(decoded).is_err());
    let prefix = caught_up_one_by_one(policy, &log[..stop]);
    same_book(&partial, &prefix, &at, "stopped by a decoding error");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// The replay of a log in any order a store may give it back is the live book, filings
    /// included; so is every other way of loading it.
    #[test]
    fn given_a_live_book_when_its_log_is_loaded_in_any_order_then_the_book_and_its_filing_are_the_live_ones(
        ops in prop::collection::vec(op(), 1..60),
        odd in any::<bool>(),
    ) {
        let policy = rules(odd);
        let mut live = Live::new(policy.clone());
        for op in &ops {
            live.play(op);
        }
        for order in ORDERS {
            let log = reordered(&live.log, order);
            prop_assert_eq!(log.len(), live.log.len());
            every_load_gives(&policy, &log, &live.ledger, live.now);
        }
        // Each customer's own replay is the book's customer.
        for events in per_customer(&live.log) {
            let who = events[0].customer;
            let own = Relationship::replay(who, &events).unwrap();
            prop_assert!(live.ledger.get(who) == Some(&own));
        }
    }

    /// Damaged events hold their customers aside; whatever the order, the replay equals the
    /// book loaded one event at a time, and nobody held aside is due, flagged or listed.
    #[test]
    fn given_a_log_with_damaged_events_when_replayed_in_any_order_then_customers_held_aside_are_filed_nowhere(
        ops in prop::collection::vec(op(), 1..50),
        damage in prop::collection::vec((0..CUSTOMERS, any::<prop::sample::Index>()), 1..3),
    ) {
        let policy = rules(false);
        let mut live = Live::new(policy.clone());
        for op in &ops {
            live.play(op);
        }
        let mut log = live.log.clone();
        for (c, index) in &damage {
            let hers: Vec<usize> = (0..log.len()).filter(|i| log[*i].customer == customer(*c)).collect();
            if !hers.is_empty() {
                log[hers[index.index(hers.len())]].seq += 5;
            }
        }
        for order in ORDERS {
            let log = reordered(&log, order);
            let expected = caught_up_one_by_one(&policy, &log);
            let at = instants(&expected, live.now);
            let replayed = Ledger::replay(policy.clone(), &log).unwrap();
            same_book(&replayed, &expected, &at, "replayed with damage");
            let held: Vec<CustomerId> = replayed.quarantined().map(|(c, _)| c).collect();
            for now in &at {
                prop_assert!(replayed.due_by(*now).iter().all(|e| !held.contains(&e.customer)));
                prop_assert!(replayed.flags(*now).iter().all(|f| !held.contains(&f.customer)));
            }
            prop_assert!(replayed.next_deadline().is_none_or(|d| !held.contains(&d.customer)));
        }
    }
}

// ---------------------------------------------------------------------------------------
// Early filing switched off midway
// ---------------------------------------------------------------------------------------

fn big(n: usize) -> CustomerId {
    CustomerId::from_u128(0x10_000 + n as u128)
}

/// A log grouped by customer for 400 customers (each registered and writing: a response
/// clock running), then coming back to 300 of them to answer (the clock stops: another next
/// deadline), which is more than a quarter of those filed early, so early filing stops
/// midway; then 100 new customers, then answers to customers filed early long before and to
/// customers already answered once.
fn switched_off_log() -> Live {
    let mut live = Live::new(rules(false));
    let mut id = 0x50_000_u128;
    let mut next = || {
        id += 1;
        id
    };
    for n in 0..400 {
        live.register(big(n), AGENTS[n % 2]);
        live.run(big(n), inbound(next(), Channel::Email));
        live.now += TimeDelta::minutes(1);
    }
    let answer = |n: usize, id: u128| {
        RecordInteraction::outbound(
            InteractionId::from_u128(id),
            Channel::Phone,
            AGENTS[n % 2],
            text("answer"),
        )
    };
    for n in 0..300 {
        live.run(big(n), answer(n, next()));
        live.run(big(n), inbound(next(), Channel::Chat));
        live.now += TimeDelta::minutes(1);
    }
    for n in 400..500 {
        live.register(big(n), AGENTS[n % 2]);
        live.run(big(n), inbound(next(), Channel::Email));
        live.now += TimeDelta::minutes(1);
    }
    for n in (0..40).chain(330..400).chain(440..460) {
        live.run(big(n), answer(n, next()));
        live.now += TimeDelta::minutes(1);
    }
    live
}

#[test]
fn given_a_log_that_keeps_coming_back_when_replayed_then_every_customer_touched_again_is_filed_again()
 {
    let live = switched_off_log();
    let policy = rules(false);
    let at = sampled(&live.ledger, live.now, 97);
    for order in [Order::Recorded, Order::RoundRobin, Order::Grouped] {
        let log = reordered(&live.log, order);
        let replayed = Ledger::replay(policy.clone(), &log).unwrap();
        same_book(
            &replayed,
            &live.ledger,
            &at,
            "replayed, early filing stopped midway",
        );
    }
    // A book restored from a snapshot of the replay trusts its saved filings.
    let replayed = Ledger::replay(policy.clone(), &live.log).unwrap();
    let restored = Ledger::restore(policy, &replayed.snapshot(Encoding::Binary).unwrap()).unwrap();
    same_book(
        &restored,
        &live.ledger,
        &at,
        "restored from the replay's snapshot",
    );
}

/// A customer filed early whose later event is damaged: held aside, filed nowhere, after
/// early filing stopped as well as before.
#[test]
fn given_customers_filed_early_when_the_log_comes_back_with_a_damaged_event_then_they_are_held_aside_and_filed_nowhere()
 {
    let live = switched_off_log();
    let policy = rules(false);
    let mut log = live.log.clone();
    // The last event of customers 5 (touched again before the switch), 350 (first touched
    // again after it) and 450 (never filed early).
    for n in [5, 350, 450] {
        let last = log.iter().rposition(|e| e.customer == big(n)).unwrap();
        log[last].seq += 5;
    }
    // And the second event of customer 7 (held aside within its first run, then filed).
    let second = log
        .iter()
        .enumerate()
        .filter(|(_, e)| e.customer == big(7))
        .nth(1)
        .unwrap()
        .0;
    log[second].seq += 5;
    let replayed = Ledger::replay(policy.clone(), &log).unwrap();
    let expected = caught_up_one_by_one(&policy, &log);
    let at = sampled(&expected, live.now, 97);
    same_book(&replayed, &expected, &at, "replayed with damage");
    let held: Vec<CustomerId> = replayed.quarantined().map(|(c, _)| c).collect();
    assert_eq!(held, [big(5), big(7), big(350), big(450)]);
    for now in &at {
        assert!(
            replayed
                .due_by(*now)
                .iter()
                .all(|e| !held.contains(&e.customer))
        );
        for agent in AGENTS {
            let work = replayed.work_list(Owner::Agent(agent), *now);
            assert!(work.flags.iter().all(|f| !held.contains(&f.customer)));
        }
    }
}

// ---------------------------------------------------------------------------------------
// The archive's buffer with room
// ---------------------------------------------------------------------------------------

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// A relationship applied envelope by envelope keeps room in its archive; it compares,
    /// prints, clones and saves as the one applied in a batch (trimmed), and goes on alike.
    #[test]
    fn given_a_relationship_applied_one_envelope_at_a_time_when_compared_printed_cloned_and_saved_then_it_is_the_trimmed_one(
        steps in history::history(30),
        more in 0u128..12,
    ) {
        let policy = ServicePolicy::default();
        let (live, log, now) = history::live(&policy, &steps);
        let mut growing = Relationship::new(ONA);
        for envelope in &log {
            growing.apply(envelope).unwrap();
        }
        let mut batch = Relationship::new(ONA);
        batch.apply_all(&log).unwrap();
        prop_assert!(growing == live && batch == live);
        prop_assert_eq!(format!("{growing:?}"), format!("{batch:?}"));
        let copy = growing.clone();
        prop_assert!(copy == batch);
        prop_assert_eq!(format!("{copy:?}"), format!("{batch:?}"));
        for encoding in [Encoding::Binary, Encoding::Json] {
            prop_assert_eq!(growing.snapshot(encoding).unwrap(), batch.snapshot(encoding).unwrap());
            let restored = Relationship::restore(&growing.snapshot(encoding).unwrap()).unwrap();
            prop_assert!(restored == batch);
        }
        prop_assert_eq!(serde_json::to_string(&growing).unwrap(), serde_json::to_string(&batch).unwrap());
        // Both go on alike: more interactions archived into the buffer with room (and past the
        // fold), answered or refused the same.
        let (mut a, mut b) = (growing, batch);
        for n in 0..more {
            let command = inbound(0x9000 + n, Channel::Chat);
            let later = now + TimeDelta::minutes(n as i64 + 1);
            let ea = a.execute(&policy, command.clone(), later);
            let eb = b.execute(&policy, command, later);
            prop_assert_eq!(format!("{ea:?}"), format!("{eb:?}"));
            // The same interaction again: refused by both (found in the archive).
            let again = inbound(0x9000 + n, Channel::Chat);
            let ra = a.execute(&policy, again.clone(), later);
            let rb = b.execute(&policy, again, later);
            prop_assert_eq!(format!("{ra:?}"), format!("{rb:?}"));
        }
        prop_assert!(a == b);
        prop_assert_eq!(a.snapshot(Encoding::Binary).unwrap(), b.snapshot(Encoding::Binary).unwrap());
    }
}

// ---------------------------------------------------------------------------------------
// Health's band review at the window's edges
// ---------------------------------------------------------------------------------------

/// One inbound message answered late (a bad experience) or on time (none), reviewed up to
/// instants exactly half a window after it, a second before and a second after: the band
/// event lands at the same instant whether the review's span ends there or weeks later.
#[test]
fn given_facts_exactly_half_a_window_back_when_reviewed_up_to_that_edge_then_nothing_is_missed_or_moved()
 {
    for odd in [false, true] {
        let policy = rules(odd);
        for (late, promises_broken, detractor) in [
            (false, 0u8, true),
            (false, 0, false),
            (true, 0, false),
            (true, 2, false),
            (false, 3, true),
        ] {
            let mut ona = Relationship::new(ONA);
            let start = t("2026-03-02 09:00");
            ona.execute(
                &policy,
                RegisterCustomer::new(text("Ona"), tier("standard")),
                start,
            )
            .unwrap();
            let mut now = start;
            for n in 0..3u128 {
                ona.execute(&policy, inbound(0x100 + n, Channel::Email), now)
                    .unwrap();
                let answered = now + TimeDelta::hours(if late { 30 } else { 1 });
                ona.advance_to(&policy, answered);
                ona.execute(&policy, outbound(0x200 + n, Channel::Email), answered)
                    .unwrap();
                now = answered + TimeDelta::hours(5);
            }
            // Survey answers of nought: no bad experience, yet the band moves as they age.
            for _ in 0..u8::from(detractor) * 3 {
                let answer = AnswerSurvey {
                    survey: None,
                    answer: SurveyAnswer::Nps(NpsScore::new(0).unwrap()),
                    comment: None,
                };
                ona.execute(&policy, answer, now).unwrap();
                now += TimeDelta::hours(1);
            }
            for p in 0..promises_broken {
                let due = now + TimeDelta::hours(1);
                let promise = MakePromise::new(
                    PromiseId::from_u128(u128::from(p) + 1),
                    text("Call"),
                    due,
                    AGENT,
                );
                ona.execute(&policy, promise, now).unwrap();
            }
            now += TimeDelta::hours(3);
            ona.advance_to(&policy, now);
            let span = policy.health.window.to_time_delta();
            let mut edges = Vec::new();
            for fact in [
                start,
                start + TimeDelta::hours(1),
                now - TimeDelta::hours(3),
            ] {
                for shift in [span / 2, span] {
                    for second in [-1, 0, 1] {
                        edges.push(fact + shift + TimeDelta::seconds(second));
                    }
                }
            }
            for edge in edges.into_iter().filter(|e| *e > now) {
                let mut to_edge = ona.clone();
                let mut events = to_edge.advance_to(&policy, edge);
                let mut once = ona.clone();
                let in_one_go = once.advance_to(&policy, edge + TimeDelta::days(30));
                let at = |events: &[Envelope]| {
                    events
                        .iter()
                        .map(|e| (e.at, e.event.kind()))
                        .collect::<Vec<_>>()
                };
                // Up to the edge: what the one go records by the edge, nothing left over.
                let by_edge: Vec<Envelope> =
                    in_one_go.iter().filter(|e| e.at <= edge).cloned().collect();
                assert_eq!(
                    at(&events),
                    at(&by_edge),
                    "odd {odd}, late {late}, edge {edge}"
                );
                events.extend(to_edge.advance_to(&policy, edge + TimeDelta::days(30)));
                assert_eq!(
                    at(&events),
                    at(&in_one_go),
                    "odd {odd}, late {late}, edge {edge}"
                );
                assert!(to_edge == once);
                // A customer who wrote three times and met a bad experience goes quiet.
                let quiet = in_one_go
                    .iter()
                    .any(|e| e.event.kind() == "relationship_gone_quiet");
                assert_eq!(
                    quiet,
                    late || detractor,
                    "odd {odd}, late {late}, edge {edge}"
                );
            }
        }
    }
}
