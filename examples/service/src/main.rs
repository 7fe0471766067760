//! clientele embedded in a service, with its events in SQLite.
//! `cargo run --manifest-path examples/service/Cargo.toml`
//!
//! Two writers (two connections, as two processes would have) share one database. Each
//! decides on the book it holds, stores the events in one transaction, then applies them. The
//! unique (customer, seq) key stops a writer whose book is stale: it catches up and decides
//! again, and the request's idempotency key and expected version then say what to do. A timer
//! loop wakes at `next_deadline()`; agents read their work lists; a snapshot is saved, and a
//! restart from it and the events after it must equal the live book, or the process fails.

mod store;

use clientele::chrono::{DateTime, TimeZone, Utc};
use clientele::flag::Owner;
use clientele::snapshot::Encoding;
use clientele::{
    AgentId, Channel, CommandError, CustomerId, Envelope, IdempotencyKey, InteractionId, Ledger,
    MakePromise, PromiseId, RecordInteraction, RegisterCustomer, Relationship, Request,
    ServicePolicy, Text, Tier,
};
use store::{Error, Store};

/// One writer: its connection, and the book as of the events it has seen.
struct Service {
    name: &'static str,
    store: Store,
    ledger: Ledger,
    /// Every event stored up to this position is in `ledger`.
    seen: i64,
}

impl Service {
    /// Starts from the latest snapshot, if any, and the events stored after it.
    fn start(name: &'static str, store: Store, policy: ServicePolicy) -> Result<Self, Error> {
        let (seen, ledger) = match store.latest_snapshot()? {
            Some((through, book)) => (through, Ledger::restore(policy, &book)?),
            None => (0, Ledger::new(policy)?),
        };
        let mut service = Self {
            name,
            store,
            ledger,
            seen,
        };
        service.catch_up()?;
        Ok(service)
    }

    /// Folds in what other writers stored since we last looked (our own events, applied when
    /// we stored them, are passed over).
    fn catch_up(&mut self) -> Result<(), Error> {
        self.catch_up_before(i64::MAX)
    }

    /// [`catch_up`](Self::catch_up) with the events stored before `position` only.
    fn catch_up_before(&mut self, position: i64) -> Result<(), Error> {
        let tail = self.store.between(self.seen, position)?;
        self.seen = tail.last().map_or(self.seen, |(position, _)| *position);
        let held = |e: &Envelope| self.ledger.get(e.customer).map_or(0, Relationship::version);
        let theirs: Vec<Envelope> = tail
            .into_iter()
            .map(|(_, e)| e)
            .filter(|e| e.seq > held(e))
            .collect();
        self.ledger.catch_up(&theirs);
        Ok(())
    }

    /// Decide (pure), store (one transaction), then apply. A refusal or a lost race on the
    /// (customer, seq) key may come from a stale book: catch up and decide again.
    fn commit(
        &mut self,
        decide: impl Fn(&Ledger) -> Result<Vec<Envelope>, CommandError>,
    ) -> Result<Vec<Envelope>, Error> {
        let mut caught_up = false;
        loop {
            match decide(&self.ledger) {
                Ok(events) => {
                    if let Some(first) = self.store.append(&events)? {
                        // What others stored before it first, so that the book meets customers
                        // in the order stored, as a replay does. Decided on this very book, the
                        // batch fits; if it did not, the store is the truth: restart from it.
                        self.catch_up_before(first)?;
                        self.ledger.apply_all(&events)?;
                        for e in &events {
                            println!(
                                "  {} stored {} #{}: {}",
                                self.name, e.customer, e.seq, e.event
                            );
                        }
                        return Ok(events);
                    }
                    println!(
                        "  {}: another writer stored that customer's next event first",
                        self.name
                    );
                }
                Err(refused) if caught_up => return Err(refused.into()),
                Err(_) => {}
            }
            self.catch_up()?;
            caught_up = true;
        }
    }

    fn handle(
        &mut self,
        customer: CustomerId,
        request: &Request,
        now: DateTime<Utc>,
    ) -> Result<Vec<Envelope>, Error> {
        self.commit(|ledger| ledger.decide_request(customer, request, now))
    }

    /// What fell due by `now`, stored and applied.
    fn tick(&mut self, now: DateTime<Utc>) -> Result<Vec<Envelope>, Error> {
        self.commit(|ledger| Ok(ledger.due_by(now)))
    }

    /// The timer loop, on a simulated clock, up to `until`.
    fn run_timers(&mut self, until: DateTime<Utc>) -> Result<(), Error> {
        loop {
            self.catch_up()?; // a real service also wakes when another writer stores events
            let Some(deadline) = self.ledger.next_deadline().filter(|d| d.at <= until) else {
                return Ok(());
            };
            // A real service sleeps until `deadline.at` (or a request comes in), then reads its
            // clock: `let now = Utc::now();` (chrono's `clock` feature). Events are dated at
            // the deadlines themselves, however late it wakes.
            println!("  timer: {deadline}");
            self.tick(deadline.at)?;
        }
    }

    fn save_snapshot(&mut self) -> Result<(), Error> {
        self.catch_up()?; // the book now holds exactly the events up to `seen`
        self.store
            .save_snapshot(self.seen, &self.ledger.snapshot(Encoding::Binary)?)
    }
}

fn at(day: u32, hour: u32, minute: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, day, hour, minute, 0).unwrap()
}

fn main() -> Result<(), Error> {
    let path = std::env::temp_dir().join(format!("clientele-service-{}.db", std::process::id()));
    let policy = ServicePolicy::default();
    let mut a = Service::start("A", Store::open(&path)?, policy.clone())?;
    let mut b = Service::start("B", Store::open(&path)?, policy.clone())?;
    let (ona, petras) = (CustomerId::from_u128(1), CustomerId::from_u128(2)); // UUIDv7 in a service
    let (ruta, jonas) = (AgentId::from_u128(100), AgentId::from_u128(101));
    let mail = |n: u32, text| -> Result<RecordInteraction, Error> {
        let (id, text) = (InteractionId::from_u128(n.into()), Text::new(text)?);
        Ok(RecordInteraction::inbound(id, Channel::Email, text))
    };
    let reply = |n: u32, agent, text| -> Result<RecordInteraction, Error> {
        let (id, text) = (InteractionId::from_u128(n.into()), Text::new(text)?);
        Ok(RecordInteraction::outbound(id, Channel::Email, agent, text))
    };

    println!("== Customers register and write in (Ona on writer A, Petras on B)");
    let customers = [
        (&mut a, ona, "Ona", ruta, "Are my glasses ready?"),
        (&mut b, petras, "Petras", jonas, "Where is my order?"),
    ];
    for (n, (writer, customer, name, owner, question)) in (1..).zip(customers) {
        let register = RegisterCustomer::new(Text::new(name)?, Tier::new("standard")?);
        let register = Request::new(register.owned_by(owner));
        writer.handle(customer, &register, at(2, 9, 0))?;
        writer.handle(customer, &Request::new(mail(n, question)?), at(2, 9, n))?;
    }

    println!("\n== A retry: Ruta's answer is stored by A; the client times out and sends it to B");
    let key = IdempotencyKey::new("mail-3")?;
    let answer = Request::new(reply(3, ruta, "Thursday")?).idempotent(key.clone());
    b.catch_up()?; // B's book is up to date, then falls behind
    a.handle(ona, &answer, at(2, 10, 0))?;
    let again = b.handle(ona, &answer, at(2, 10, 1))?;
    let handled = b.ledger.get(ona).and_then(|r| r.handled(&key));
    println!(
        "  B: the key was handled as events {handled:?}; the retry stored {}",
        again.len()
    );

    let seen = a.ledger.get(petras).map_or(0, Relationship::version); // on both agents' screens
    println!("\n== Two writers race: Jonas (on A) and Ruta (on B) answer Petras at version {seen}");
    let tracking = Text::new("tracking number")?;
    let promise = MakePromise::new(PromiseId::from_u128(4), tracking, at(2, 14, 0), jonas);
    a.handle(petras, &Request::new(promise).expecting(seen), at(2, 11, 0))?;
    let note = reply(5, ruta, "On it")?;
    let stale = Request::new(note.clone()).expecting(seen);
    match b.handle(petras, &stale, at(2, 11, 0)) {
        Err(e) if matches!(e.downcast_ref(), Some(CommandError::VersionConflict { .. })) => {
            let version = b.ledger.get(petras).map_or(0, Relationship::version);
            println!("  B refused Ruta's note ({e}); she reads Petras again, resends at {version}");
            b.handle(petras, &Request::new(note).expecting(version), at(2, 11, 2))?;
        }
        other => return Err(format!("expected a version conflict, got {other:?}").into()),
    }

    println!("\n== The timer loop (writer A) until Monday 18:00; a snapshot; Tuesday");
    a.run_timers(at(2, 18, 0))?;
    a.save_snapshot()?;
    b.handle(ona, &Request::new(mail(6, "And the case?")?), at(3, 9, 0))?;
    a.run_timers(at(3, 18, 0))?;

    println!("\n== Work lists on Tuesday at 18:00");
    for (name, agent) in [("Ruta", ruta), ("Jonas", jonas)] {
        let work = a.ledger.work_list(Owner::Agent(agent), at(3, 18, 0));
        println!("  {name}:");
        for flag in &work.flags {
            println!("    now:  {} {flag}", flag.customer);
        }
        for deadline in &work.due {
            println!("    next: {} {deadline}", deadline.customer);
        }
    }

    println!("\n== A restart from the snapshot and the events stored after it");
    a.catch_up()?;
    b.catch_up()?; // each writer's book: the customers in the order stored, as on replay
    let restarted = Service::start("restarted", Store::open(&path)?, policy.clone())?;
    let log: Vec<Envelope> = a.store.after(0)?.into_iter().map(|(_, e)| e).collect();
    let replayed = Ledger::replay(policy, &log)?;
    if restarted.ledger != a.ledger || replayed != a.ledger || b.ledger != a.ledger {
        return Err("the restarted service differs from the one before".into());
    }
    let (through, _) = a.store.latest_snapshot()?.ok_or("no snapshot")?;
    let tail = a.store.after(through)?.len();
    println!(
        "  snapshot + {tail} events = the live book = a replay of {}",
        log.len()
    );
    drop((a, b, restarted));
    std::fs::remove_file(&path)?;
    Ok(())
}
