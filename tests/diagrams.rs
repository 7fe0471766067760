//! The state diagrams without a command table of their own (a complaint's target clocks, a
//! promise's outside-party dependency, health bands) against what the engine does: random
//! walks of commands and deadlines, every stage change they show must be a transition of the
//! table the module docs draw (the docs are checked against the table by unit tests), and
//! every transition of the table must show up in some walk.

mod support;

use std::collections::{BTreeMap, HashSet};

use chrono::{DateTime, TimeDelta, Utc};
use clientele::complaint::{ClockLifecycle, ClockStage};
use clientele::lifecycle::{BandLifecycle, Lifecycle, transitions};
use clientele::policy::ReopenMode;
use clientele::promise::{DependencyLifecycle, DependencyState};
use clientele::{
    AcknowledgeComplaint, AgentId, AnswerSurvey, AwaitCustomer, Band, Channel, CloseComplaint,
    CloseUnresolved, Command, ComplaintId, CsatScore, CustomerId, Envelope, Event, HealthEvent,
    InteractionId, KeepPromise, MakePromise, MeetDependency, PartyId, Priority, PromiseId,
    ReceiveComplaint, RecordDependency, RecordInteraction, RegisterCustomer, Relationship,
    ReopenComplaint, ResolveComplaint, ResumeComplaint, RevisePromise, ServicePolicy, SurveyAnswer,
};
use support::{t, text, tier};

const JONAS: AgentId = AgentId::from_u128(7);

/// A relationship driven by a seeded pseudo-random walk: commands (refusals are skipped) and
/// time jumps, the deadlines of each jump fired one by one; `look` sees the relationship after
/// every command and every deadline.
struct Walk {
    policy: ServicePolicy,
    ona: Relationship,
    now: DateTime<Utc>,
    seed: u64,
    log: Vec<Envelope>,
}

impl Walk {
    fn new(policy: ServicePolicy, seed: u64) -> Self {
        let now = t("2026-03-02 09:00");
        let mut ona = Relationship::new(CustomerId::from_u128(1));
        let register = RegisterCustomer::new(text("Ona"), tier("standard")).owned_by(JONAS);
        let log = ona.execute(&policy, register, now).unwrap();
        Self {
            policy,
            ona,
            now,
            seed,
            log,
        }
    }

    /// The next pseudo-random number below `n` (a linear congruential generator).
    fn below(&mut self, n: u64) -> u64 {
        self.seed = self
            .seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.seed >> 33) % n
    }

    /// One of the first `made` ids (1 when none was made yet).
    fn one_of(&mut self, made: u128) -> u128 {
        u128::from(self.below(u64::try_from(made.max(1)).unwrap())) + 1
    }

    /// An instant 1 to `most` hours ahead.
    fn hours_ahead(&mut self, most: u64) -> DateTime<Utc> {
        self.now + TimeDelta::hours(self.below(most) as i64 + 1)
    }

    /// Makes promise number `n`, due at `due`.
    fn promise(&mut self, n: u128, due: DateTime<Utc>, look: &mut impl FnMut(&Self)) {
        let make = MakePromise::new(PromiseId::from_u128(n), text("Glasses"), due, JONAS);
        self.run(make, look);
    }

    /// Lets 1 to `most` hours pass, looking every `every` hours (`None`: only at the end).
    fn idle(&mut self, most: u64, every: Option<i64>, look: &mut impl FnMut(&Self)) {
        let hours = self.below(most) as i64 + 1;
        self.wait_hours(hours, every.unwrap_or(hours), look);
    }

    fn run(&mut self, command: impl Into<Command>, look: &mut impl FnMut(&Self)) {
        if let Ok(events) = self.ona.execute(&self.policy, command, self.now) {
            self.log.extend(events);
        }
        look(self);
    }

    /// Lets `hours` pass, looking at every deadline and every `every` hours between.
    fn wait_hours(&mut self, hours: i64, every: i64, look: &mut impl FnMut(&Self)) {
        let until = self.now + TimeDelta::hours(hours);
        while self.now < until {
            let step = (self.now + TimeDelta::hours(every)).min(until);
            while let Some(deadline) = self.ona.next_deadline().filter(|d| d.at <= step) {
                self.now = deadline.at;
                let events = self.ona.advance_to(&self.policy, deadline.at);
                self.log.extend(events);
                look(self);
            }
            self.now = step;
            look(self);
        }
    }
}

/// The `(from, to)` pairs of a table, without the data.
fn table<L: Lifecycle>() -> HashSet<(L::Stage, L::Stage)>
where
    L::Stage: std::hash::Hash,
{
    transitions::<L>()
        .into_iter()
        .map(|(from, _, to)| (from, to))
        .collect()
}

/// Checks what the walks showed against the table: nothing outside it, all of it.
fn assert_walks_show_the_table<L: Lifecycle>(seen: &HashSet<(L::Stage, L::Stage)>, what: &str)
where
    L::Stage: std::hash::Hash,
{
    let table = table::<L>();
    let outside: Vec<_> = seen.difference(&table).collect();
    assert!(
        outside.is_empty(),
        "{what}: changes the diagram does not draw: {outside:?}"
    );
    let unseen: Vec<_> = table.difference(seen).collect();
    assert!(
        unseen.is_empty(),
        "{what}: drawn but never seen: {unseen:?}"
    );
}

#[test]
fn complaint_target_clocks_move_as_their_diagram_says() {
    let mut seen = HashSet::new();
    let mut untargeted = ServicePolicy::default();
    untargeted.complaints.acknowledge = untargeted
        .complaints
        .acknowledge
        .without_target(Priority::Low);
    untargeted.complaints.resolve = untargeted.complaints.resolve.without_target(Priority::Low);
    for (mode, policy) in [
        ReopenMode::Continue,
        ReopenMode::Restart,
        ReopenMode::NewCycle,
    ]
    .into_iter()
    .flat_map(|mode| [(mode, ServicePolicy::default()), (mode, untargeted.clone())])
    {
        let mut policy = policy;
        policy.complaints.reopen = mode;
        for seed in 1..=4 {
            let mut walk = Walk::new(policy.clone(), seed);
            let mut last: BTreeMap<(ComplaintId, bool), ClockStage> = BTreeMap::new();
            let mut look = |walk: &Walk| {
                for (id, complaint) in walk.ona.complaints() {
                    for (resolution, clock) in [
                        (false, &complaint.acknowledgement),
                        (true, &complaint.resolution),
                    ] {
                        let stage = clock.stage();
                        if let Some(before) = last.insert((id, resolution), stage)
                            && before != stage
                        {
                            seen.insert((before, stage));
                        }
                    }
                }
            };
            let mut complaints = 0u128;
            for _ in 0..300 {
                let id = ComplaintId::from_u128(walk.one_of(complaints));
                match walk.below(11) {
                    0 => {
                        complaints += 1;
                        let priority = [Priority::Low, Priority::Normal, Priority::High]
                            [walk.below(3) as usize];
                        let receive = ReceiveComplaint::new(
                            ComplaintId::from_u128(complaints),
                            Channel::Phone,
                            text("Late"),
                        )
                        .priority(priority);
                        walk.run(receive, &mut look);
                    }
                    1 => walk.run(AcknowledgeComplaint::new(id, JONAS), &mut look),
                    2 => walk.run(AwaitCustomer::new(id), &mut look),
                    3 => walk.run(ResumeComplaint::new(id), &mut look),
                    4 => walk.run(ResolveComplaint::new(id, JONAS, text("Done")), &mut look),
                    5 => walk.run(CloseComplaint::new(id), &mut look),
                    6 => walk.run(ReopenComplaint::new(id, text("Again")), &mut look),
                    7 => walk.run(CloseUnresolved::withdrawn(id), &mut look),
                    _ => {
                        walk.idle(30, None, &mut look);
                    }
                }
            }
        }
    }
    // Warnings leave a clock where it is: a self-loop no stage change shows.
    seen.insert((ClockStage::Running, ClockStage::Running));
    assert_walks_show_the_table::<ClockLifecycle>(&seen, "target clock");
}

#[test]
fn dependencies_move_as_their_diagram_says() {
    let mut seen = HashSet::new();
    for seed in 1..=6 {
        let mut walk = Walk::new(ServicePolicy::default(), seed);
        let mut last: BTreeMap<PromiseId, (DependencyState, DateTime<Utc>)> = Default::default();
        let mut look = |walk: &Walk| {
            for (id, promise) in walk.ona.promises() {
                let Some(dependency) = promise.terms.dependency() else {
                    continue;
                };
                let now = (dependency.state, dependency.due);
                // A new date from the party shows as a new due instant, even when still pending.
                if let Some(before) = last.insert(id, now)
                    && before != now
                {
                    seen.insert((before.0, now.0));
                }
            }
        };
        let mut promises = 0u128;
        for _ in 0..200 {
            let id = PromiseId::from_u128(walk.one_of(promises));
            match walk.below(8) {
                0 => {
                    promises += 1;
                    let due = walk.now + TimeDelta::days(5);
                    walk.promise(promises, due, &mut look);
                }
                1 | 2 => {
                    let due = walk.hours_ahead(48);
                    walk.run(
                        RecordDependency::new(id, PartyId::from_u128(9), text("Lenses"), due),
                        &mut look,
                    );
                }
                3 => walk.run(MeetDependency::new(id), &mut look),
                4 => walk.run(KeepPromise::new(id), &mut look),
                _ => walk.idle(24, None, &mut look),
            }
        }
    }
    assert_walks_show_the_table::<DependencyLifecycle>(&seen, "dependency");
}

#[test]
fn health_bands_move_as_their_diagram_says_and_only_the_edge_of_at_risk_is_recorded() {
    let mut seen = HashSet::new();
    for seed in 1..=6 {
        let mut walk = Walk::new(ServicePolicy::default(), seed);
        let mut last: Option<Band> = None;
        let mut look = |walk: &Walk| {
            let band = walk.ona.health(&walk.policy, walk.now).band;
            if let Some(before) = last.replace(band)
                && before != band
            {
                seen.insert((before, band));
            }
            // The log says "at risk" exactly while the band is at risk.
            let recorded = walk.log.iter().rev().find_map(|e| match e.event {
                Event::Health(HealthEvent::AtRisk { .. }) => Some(true),
                Event::Health(HealthEvent::Recovered { .. }) => Some(false),
                _ => None,
            });
            assert_eq!(
                recorded.unwrap_or(false),
                band == Band::AtRisk,
                "at {}",
                walk.now
            );
        };
        let (mut promises, mut messages) = (0u128, 0u128);
        for _ in 0..250 {
            match walk.below(10) {
                0 => {
                    promises += 1;
                    let due = walk.hours_ahead(48);
                    walk.promise(promises, due, &mut look);
                }
                1 => {
                    let id = PromiseId::from_u128(walk.one_of(promises));
                    walk.run(KeepPromise::new(id), &mut look);
                }
                2 => {
                    let id = PromiseId::from_u128(walk.one_of(promises));
                    let due = walk.now + TimeDelta::days(3);
                    walk.run(RevisePromise::new(id, due, text("Later")), &mut look);
                }
                3 => {
                    messages += 1;
                    walk.run(
                        RecordInteraction::inbound(
                            InteractionId::from_u128(messages),
                            Channel::Email,
                            text("?"),
                        ),
                        &mut look,
                    );
                }
                4 => {
                    messages += 1;
                    walk.run(
                        RecordInteraction::outbound(
                            InteractionId::from_u128(messages),
                            Channel::Email,
                            JONAS,
                            text("!"),
                        ),
                        &mut look,
                    );
                }
                5 => {
                    let score = CsatScore::new(walk.below(5) as u8 + 1).unwrap();
                    walk.run(
                        AnswerSurvey::unprompted(SurveyAnswer::Csat(score)),
                        &mut look,
                    );
                }
                6 => {
                    // A quiet month: old facts decay and leave the window.
                    walk.wait_hours(24 * 30, 6, &mut look);
                }
                _ => walk.idle(72, Some(1), &mut look),
            }
        }
    }
    assert_walks_show_the_table::<BandLifecycle>(&seen, "health band");
}
