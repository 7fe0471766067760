//! History shared between copies (issue 15): the conversation, health's record, the late-fact
//! order of items and closed complaints keep their bulk behind an `Arc` shared by copies of a
//! relationship. What a user relies on: a copy never sees another copy's later writes; replay
//! equals live; a snapshot (both encodings, and serde JSON of a `Relationship`) plus the tail
//! equals full replay; a closed complaint that leaves the open state comes back whole on a
//! reopen, a follow-up's reopen or an erasure; a refused command changes nothing.

mod support;

use chrono::{DateTime, TimeDelta, Utc};
use clientele::complaint::ComplaintStage;
use clientele::flag::Owner;
use clientele::snapshot::Encoding;
use clientele::{
    AssignComplaint, Channel, CloseComplaint, Command, ComplaintId, CompleteFollowUp, Envelope,
    ErasePersonalData, FollowUpId, FollowUpOutcome, InteractionId, KeepPromise, Ledger,
    MakePromise, PromiseId, ReceiveComplaint, RecordInteraction, RegisterCustomer, Relationship,
    ReopenComplaint, Request, ResolveComplaint, ServicePolicy,
};
use proptest::prelude::*;
use support::*;

fn registered(policy: &ServicePolicy) -> (Relationship, Vec<Envelope>) {
    let mut ona = Relationship::new(ONA);
    let register = RegisterCustomer::new(text("Ona"), tier("standard")).owned_by(AGENT);
    let log = ona.execute(policy, register, start()).unwrap();
    (ona, log)
}

fn start() -> DateTime<Utc> {
    t("2026-03-02 09:00")
}

/// The follow-up id the `round`-th resolution of complaint `n` schedules.
fn follow_up_of(n: u128, round: u32) -> FollowUpId {
    FollowUpId::from_u128(0xf000_0000 + n * 1000 + u128::from(round))
}

/// Receives complaint `n`, assigns it, resolves it (scheduling a known follow-up) and closes it.
fn close_new_complaint(
    ona: &mut Relationship,
    policy: &ServicePolicy,
    n: u128,
    now: DateTime<Utc>,
) -> Vec<Envelope> {
    let complaint = ComplaintId::from_u128(n);
    let mut log = Vec::new();
    let commands: [Command; 4] = [
        ReceiveComplaint::new(complaint, Channel::Email, text("late again")).into(),
        AssignComplaint {
            complaint,
            owner: AGENT,
        }
        .into(),
        ResolveComplaint::new(complaint, AGENT, text("sent again"))
            .scheduling(follow_up_of(n, 0))
            .into(),
        CloseComplaint { complaint }.into(),
    ];
    for command in commands {
        log.extend(ona.execute(policy, command, now).unwrap());
    }
    log
}

/// The relationship after the events of `log` up to `version`.
fn replay_upto(log: &[Envelope], version: u64) -> Relationship {
    let upto: Vec<_> = log.iter().filter(|e| e.seq <= version).cloned().collect();
    Relationship::replay(ONA, &upto).unwrap()
}

#[derive(Debug, Clone)]
enum Step {
    /// This many messages, alternating in and out.
    Talk(u8),
    /// A message reported late: dated this many minutes after registration (clamped to now).
    LateTalk(u16, bool),
    /// A complaint received, resolved and closed.
    Complaint,
    /// The n-th closed complaint reopened.
    Reopen(usize),
    /// The n-th closed complaint's follow-up done, not satisfied (reopens it).
    Unsatisfied(usize),
    /// A promise made and kept.
    Promise,
    /// A copy kept aside.
    Copy,
    /// A copy that folds what falls due in this many hours (`due_by`, then `apply_all`).
    DueByOnCopy(u8),
    /// Time advanced this many hours.
    Advance(u8),
    /// A snapshot taken.
    Snapshot,
    /// The customer's personal data erased.
    Erase,
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        6 => (1u8..80).prop_map(Step::Talk),
        2 => (any::<u16>(), any::<bool>()).prop_map(|(m, i)| Step::LateTalk(m, i)),
        3 => Just(Step::Complaint),
        2 => any::<usize>().prop_map(Step::Reopen),
        1 => any::<usize>().prop_map(Step::Unsatisfied),
        2 => Just(Step::Promise),
        2 => Just(Step::Copy),
        1 => (1u8..96).prop_map(Step::DueByOnCopy),
        1 => (1u8..48).prop_map(Step::Advance),
        1 => Just(Step::Snapshot),
        1 => Just(Step::Erase),
    ]
}

/// A story played live, with what was kept aside along the way.
struct Story {
    policy: ServicePolicy,
    ona: Relationship,
    log: Vec<Envelope>,
    now: DateTime<Utc>,
    ids: u128,
    /// Closed complaints (by number) and how many times each was resolved.
    closed: Vec<(u128, u32)>,
    /// Copies kept aside: the copy, whether it held personal data, whether it is a prefix of the log.
    copies: Vec<(Relationship, bool, bool)>,
    snapshots: Vec<(u64, Vec<u8>, Vec<u8>, String)>,
}

impl Story {
    fn new() -> Self {
        let policy = ServicePolicy::default();
        let (ona, log) = registered(&policy);
        Self {
            policy,
            ona,
            log,
            now: start() + TimeDelta::hours(1),
            ids: 0,
            closed: Vec::new(),
            copies: Vec::new(),
            snapshots: Vec::new(),
        }
    }

    fn run(&mut self, command: impl Into<Request>, at: DateTime<Utc>) -> bool {
        match self.ona.execute_request(&self.policy, command.into(), at) {
            Ok(events) => {
                self.log.extend(events);
                true
            }
            Err(_) => false,
        }
    }

    fn message(&mut self, inbound: bool) -> RecordInteraction {
        self.ids += 1;
        let id = InteractionId::from_u128(self.ids);
        if inbound {
            RecordInteraction::inbound(id, Channel::Email, text("hi"))
        } else {
            RecordInteraction::outbound(id, Channel::Email, AGENT, text("hello"))
        }
    }

    /// Resolves and closes complaint `n` again after a reopen.
    fn close_again(&mut self, index: usize) {
        let Some((n, rounds)) = self.closed.get_mut(index).map(|(n, r)| {
            *r += 1;
            (*n, *r)
        }) else {
            return;
        };
        let complaint = ComplaintId::from_u128(n);
        let resolve = ResolveComplaint::new(complaint, AGENT, text("fixed"))
            .scheduling(follow_up_of(n, rounds));
        assert!(self.run(Request::new(resolve), self.now));
        assert!(self.run(Request::new(CloseComplaint { complaint }), self.now));
    }

    fn play(&mut self, step: &Step) {
        self.now += TimeDelta::minutes(11);
        match step {
            Step::Talk(count) => {
                for i in 0..*count {
                    let message = self.message(i % 2 == 0);
                    self.run(Request::new(message), self.now);
                }
            }
            Step::LateTalk(minutes, inbound) => {
                let at = (start() + TimeDelta::minutes(i64::from(*minutes))).min(self.now);
                let message = self.message(*inbound);
                self.run(Request::new(message).occurred_at(at), self.now);
            }
            Step::Complaint => {
                self.ids += 1;
                let n = self.ids;
                let events = close_new_complaint(&mut self.ona, &self.policy, n, self.now);
                self.log.extend(events);
                self.closed.push((n, 0));
            }
            Step::Reopen(i) => {
                let Some(&(n, rounds)) = self.closed.get(i % self.closed.len().max(1)) else {
                    return;
                };
                let complaint = ComplaintId::from_u128(n);
                let archived = self.ona.archived();
                let pending = self.ona.follow_up(follow_up_of(n, rounds)).is_some();
                let before = self.ona.complaint(complaint).unwrap().clone();
                let reopen = ReopenComplaint::new(complaint, text("still broken"));
                assert!(self.run(Request::new(reopen), self.now));
                let back = self.ona.complaint(complaint).unwrap();
                assert!(back.is_open(), "a reopened complaint is in play");
                assert_eq!(back.reopened, before.reopened + 1);
                assert_eq!(back.owner, before.owner, "keeps its owner");
                assert_eq!(back.level, before.level, "keeps its level");
                assert_eq!(back.received_at, before.received_at);
                // The resolution's follow-up, if still pending, is cancelled (archived).
                let cancelled = pending && self.ona.follow_up(follow_up_of(n, rounds)).is_none();
                assert_eq!(
                    self.ona.archived(),
                    archived - 1 + usize::from(cancelled),
                    "out of the archive"
                );
                self.close_again(i % self.closed.len());
            }
            Step::Unsatisfied(i) => {
                let index = i % self.closed.len().max(1);
                let Some(&(n, rounds)) = self.closed.get(index) else {
                    return;
                };
                let done =
                    CompleteFollowUp::new(follow_up_of(n, rounds), FollowUpOutcome::NotSatisfied);
                if self.run(Request::new(done), self.now) {
                    let complaint = self.ona.complaint(ComplaintId::from_u128(n)).unwrap();
                    if complaint.stage() != ComplaintStage::Closed {
                        assert!(complaint.is_open(), "{:?}", complaint.stage());
                        self.close_again(index);
                    }
                }
            }
            Step::Promise => {
                self.ids += 1;
                let promise = PromiseId::from_u128(self.ids);
                let make = MakePromise::new(
                    promise,
                    text("a part"),
                    self.now + TimeDelta::days(2),
                    AGENT,
                );
                self.run(Request::new(make), self.now);
                self.run(Request::new(KeepPromise { promise }), self.now);
            }
            Step::Copy => {
                let held = self.ona.holds_personal_data();
                self.copies.push((self.ona.clone(), held, true));
            }
            Step::DueByOnCopy(hours) => {
                let later = self.now + TimeDelta::hours(i64::from(*hours));
                let before = self.ona.clone();
                let mut copy = self.ona.clone();
                let due = copy.due_by(&self.policy, later);
                copy.apply_all(&due).unwrap();
                let mut other = self.ona.clone();
                let advanced = other.advance_to(&self.policy, later);
                assert_eq!(due, advanced, "due_by gives what advance_to records");
                assert_eq!(copy, other);
                assert_eq!(self.ona, before, "the original is untouched by its copies");
                self.copies
                    .push((copy.clone(), copy.holds_personal_data(), false));
                // Kept: the copy it came from goes on with its own life.
                let mut more = copy;
                let message = self.message(true);
                more.execute(&self.policy, message, later).unwrap();
                assert_eq!(self.ona, before);
            }
            Step::Advance(hours) => {
                self.now += TimeDelta::hours(i64::from(*hours));
                let events = self.ona.advance_to(&self.policy, self.now);
                self.log.extend(events);
            }
            Step::Snapshot => {
                let version = self.ona.version();
                let binary = self.ona.snapshot(Encoding::Binary).unwrap();
                let json = self.ona.snapshot(Encoding::Json).unwrap();
                let serde = serde_json::to_string(&self.ona).unwrap();
                self.snapshots.push((version, binary, json, serde));
            }
            Step::Erase => {
                if self.run(Request::new(ErasePersonalData {}), self.now) {
                    assert!(!self.ona.holds_personal_data(), "the erased one holds none");
                }
            }
        }
    }

    /// Everything a user can check against the log.
    fn check(&self) -> Result<(), TestCaseError> {
        let replayed = Relationship::replay(ONA, &self.log).unwrap();
        prop_assert_eq!(&replayed, &self.ona);
        prop_assert_eq!(replayed.archived(), self.ona.archived());
        prop_assert_eq!(
            replayed.health(&self.policy, self.now),
            self.ona.health(&self.policy, self.now)
        );
        prop_assert_eq!(replayed.flags(self.now), self.ona.flags(self.now));
        prop_assert_eq!(replayed.next_deadline(), self.ona.next_deadline());
        prop_assert_eq!(
            replayed.work_list(Owner::Agent(AGENT), self.now),
            self.ona.work_list(Owner::Agent(AGENT), self.now)
        );
        let ids: Vec<_> = self.ona.complaints().map(|(id, _)| id).collect();
        let mut sorted = ids.clone();
        sorted.sort();
        prop_assert_eq!(&ids, &sorted, "complaints by id");
        prop_assert_eq!(ids.len(), self.closed.len());
        for (copy, held, prefix) in &self.copies {
            prop_assert_eq!(copy.holds_personal_data(), *held, "a copy keeps its data");
            if *prefix {
                prop_assert_eq!(copy, &replay_upto(&self.log, copy.version()));
            }
        }
        for (version, binary, json, serde) in &self.snapshots {
            let tail: Vec<_> = self
                .log
                .iter()
                .filter(|e| e.seq > *version)
                .cloned()
                .collect();
            for bytes in [binary, json] {
                let mut restored = Relationship::restore(bytes).unwrap();
                prop_assert_eq!(&restored, &replay_upto(&self.log, *version));
                restored.apply_all(&tail).unwrap();
                prop_assert_eq!(&restored, &self.ona);
                prop_assert_eq!(restored.archived(), self.ona.archived());
            }
            let mut restored: Relationship = serde_json::from_str(serde).unwrap();
            restored.apply_all(&tail).unwrap();
            prop_assert_eq!(&restored, &self.ona);
        }
        let json = serde_json::to_string(&self.ona).unwrap();
        prop_assert_eq!(
            &serde_json::from_str::<Relationship>(&json).unwrap(),
            &self.ona
        );
        self.check_ledger()
    }

    /// The same through a book: snapshots of a prefix, restored, plus the tail.
    fn check_ledger(&self) -> Result<(), TestCaseError> {
        let full = Ledger::replay(self.policy.clone(), &self.log).unwrap();
        prop_assert_eq!(full.get(ONA), Some(&self.ona));
        for (version, ..) in self.snapshots.iter().take(2) {
            let (head, tail): (Vec<_>, Vec<_>) =
                self.log.iter().cloned().partition(|e| e.seq <= *version);
            let book = Ledger::replay(self.policy.clone(), &head).unwrap();
            for encoding in [Encoding::Binary, Encoding::Json] {
                let bytes = book.snapshot(encoding).unwrap();
                let mut restored = Ledger::restore(self.policy.clone(), &bytes).unwrap();
                prop_assert_eq!(&restored, &book);
                restored.apply_all(&tail).unwrap();
                prop_assert_eq!(&restored, &full);
                prop_assert_eq!(restored.next_deadline(), full.next_deadline());
                prop_assert_eq!(
                    restored.work_list(Owner::Agent(AGENT), self.now),
                    full.work_list(Owner::Agent(AGENT), self.now)
                );
            }
        }
        Ok(())
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Long stories (past the short parts' fold at 16 and their unsharing at 256 entries) with
    /// copies kept aside, late facts written into the shared part, `due_by` folded on copies,
    /// snapshots, reopened archived complaints and erasures: replay, snapshots plus their tail
    /// and the copies all agree with the log.
    #[test]
    fn copies_replay_and_snapshots_agree(steps in proptest::collection::vec(step(), 1..80)) {
        let mut story = Story::new();
        for step in &steps {
            story.play(step);
        }
        story.check()?;
    }
}

/// The policy of the reopen scenarios: no follow-up after a resolution, so a closed complaint
/// has nothing left that falls due or flags.
fn no_follow_up_policy() -> ServicePolicy {
    let mut policy = ServicePolicy::default();
    policy.complaints.follow_up_after = None;
    policy
}

const OLD: ComplaintId = ComplaintId::from_u128(500);

/// Complaint 500 received, assigned, escalated, resolved and closed; with `others` more
/// complaints closed around it (ids below and above it), then 500 reopened three days later.
/// The relationship before the reopen, the log, and the instant of the reopen.
fn old_complaint_among(others: u128) -> (Relationship, Vec<Envelope>, DateTime<Utc>) {
    let policy = no_follow_up_policy();
    let (mut ona, mut log) = registered(&policy);
    let received = start() + TimeDelta::hours(1);
    let mut run = |ona: &mut Relationship, command: Command, at| {
        log.extend(ona.execute(&policy, command, at).unwrap());
    };
    let story: [Command; 3] = [
        ReceiveComplaint::new(OLD, Channel::Email, text("late again")).into(),
        AssignComplaint::new(OLD, AGENT).into(),
        clientele::EscalateComplaint::new(OLD, 1, AGENT).into(),
    ];
    for command in story {
        run(&mut ona, command, received);
    }
    for k in 0..others {
        let id = ComplaintId::from_u128(if k % 2 == 0 { k + 1 } else { 1000 + k });
        let at = received + TimeDelta::minutes(i64::try_from(k).unwrap());
        run(
            &mut ona,
            ReceiveComplaint::new(id, Channel::Phone, text("noise")).into(),
            at,
        );
        run(
            &mut ona,
            ResolveComplaint::new(id, AGENT, text("done")).into(),
            at,
        );
        run(&mut ona, CloseComplaint::new(id).into(), at);
    }
    let closed = received + TimeDelta::days(1);
    run(
        &mut ona,
        ResolveComplaint::new(OLD, AGENT, text("sent again")).into(),
        closed,
    );
    run(&mut ona, CloseComplaint::new(OLD).into(), closed);
    (ona, log, closed + TimeDelta::days(3))
}

/// What a user sees of complaint 500 and the work around it after its reopen and `days` later.
fn after_reopen(
    ona: &mut Relationship,
    log: &mut Vec<Envelope>,
    now: DateTime<Utc>,
) -> Vec<String> {
    let policy = no_follow_up_policy();
    let reopen = ReopenComplaint::new(OLD, text("still broken"));
    log.extend(ona.execute(&policy, reopen, now).unwrap());
    let mut seen = vec![
        format!("{:?}", ona.complaint(OLD)),
        format!("{:?}", ona.flags(now)),
        format!("{:?}", ona.next_deadline()),
        format!("{:?}", ona.work_list(Owner::Agent(AGENT), now)),
    ];
    for days in [1, 3, 10] {
        let later = now + TimeDelta::days(days);
        let events = ona.advance_to(&policy, later);
        seen.push(format!(
            "{:?}",
            events.iter().map(|e| (e.at, &e.event)).collect::<Vec<_>>()
        ));
        seen.push(format!("{:?}", ona.flags(later)));
        seen.push(format!("{:?}", ona.next_deadline()));
        seen.push(format!("{:?}", ona.work_list(Owner::Agent(AGENT), later)));
        log.extend(events);
    }
    seen.push(format!("{:?}", ona.complaint(OLD)));
    seen
}

#[test]
fn an_old_complaint_reopened_among_hundreds_of_closed_ones_is_as_if_alone() {
    let policy = no_follow_up_policy();
    let (mut alone, mut alone_log, now) = old_complaint_among(0);
    let (mut among, mut among_log, same_now) = old_complaint_among(300);
    assert_eq!(now, same_now);
    assert_eq!(alone.archived(), 1);
    assert_eq!(
        among.archived(),
        301,
        "every closed complaint left the open state"
    );
    assert_eq!(among.complaints().count(), 301);
    let ids: Vec<_> = among.complaints().map(|(id, _)| id).collect();
    assert!(ids.windows(2).all(|w| w[0] < w[1]), "by id");
    assert!(among.next_deadline().is_none() && among.flags(now).is_empty());
    let aside = among.clone();

    let seen_alone = after_reopen(&mut alone, &mut alone_log, now);
    let seen_among = after_reopen(&mut among, &mut among_log, now);
    assert_eq!(
        seen_alone, seen_among,
        "the reopen reads as if the complaint were alone"
    );

    let back = alone.complaint(OLD).unwrap();
    assert_eq!(back.reopened, 1);
    assert_eq!(
        (back.owner, back.level),
        (Some(AGENT), 1),
        "its owner and level"
    );
    assert!(back.is_open());
    assert_eq!(among.archived(), 300, "back in play");
    assert_eq!(among.complaints().count(), 301);
    assert_eq!(
        aside.complaint(OLD).map(|c| c.stage()),
        Some(ComplaintStage::Closed),
        "a copy kept aside still has it closed"
    );
    assert_eq!(aside.archived(), 301);
    let version = aside.version();
    assert_eq!(aside, replay_upto(&among_log, version));

    let replayed = Relationship::replay(ONA, &among_log).unwrap();
    assert_eq!(replayed, among);
    assert_eq!(replayed.archived(), among.archived());
    let later = now + TimeDelta::days(10);
    assert_eq!(
        replayed.health(&policy, later),
        among.health(&policy, later)
    );
    for encoding in [Encoding::Binary, Encoding::Json] {
        let restored = Relationship::restore(&among.snapshot(encoding).unwrap()).unwrap();
        assert_eq!(restored, among);
        assert_eq!(restored.archived(), among.archived());
    }
}

/// Every complaint command on complaint `id`.
fn complaint_commands(id: ComplaintId) -> Vec<Command> {
    use clientele::{
        AcknowledgeComplaint, AwaitCustomer, AwaitOutsideParty, CloseUnresolved, EndOutsideWait,
        EscalateComplaint, PartyId, Priority, ReprioritiseComplaint, RequestEscalation,
        ResumeComplaint, RouteComplaint, TeamId,
    };
    vec![
        AcknowledgeComplaint::new(id, AGENT).into(),
        AssignComplaint::new(id, AgentId::from_u128(0xa2)).into(),
        RouteComplaint::new(id, TeamId::from_u128(0xe1)).into(),
        RequestEscalation::new(id).into(),
        EscalateComplaint::new(id, 2, AGENT).into(),
        AwaitCustomer::new(id).into(),
        ResumeComplaint::new(id).into(),
        AwaitOutsideParty::new(id, PartyId::from_u128(0x1ab)).into(),
        EndOutsideWait::new(id).into(),
        ResolveComplaint::new(id, AGENT, text("again")).into(),
        CloseComplaint::new(id).into(),
        CloseUnresolved::duplicate(id, ComplaintId::from_u128(1)).into(),
        ReprioritiseComplaint::new(id, Priority::Urgent).into(),
        ReceiveComplaint::new(id, Channel::Email, text("again")).into(),
        RequestSurveyFor(id).into(),
    ]
}

/// A survey requested about complaint `id`.
struct RequestSurveyFor(ComplaintId);

impl From<RequestSurveyFor> for Command {
    fn from(survey: RequestSurveyFor) -> Self {
        clientele::RequestSurvey::new(
            clientele::SurveyId::from_u128(0x5a),
            clientele::SurveyKind::Csat,
        )
        .about(survey.0)
        .into()
    }
}

use clientele::AgentId;

#[test]
fn refused_commands_on_archived_complaints_and_hostile_instants_change_nothing() {
    let policy = no_follow_up_policy();
    let (mut ona, mut log, now) = old_complaint_among(40);
    for i in 0..300u128 {
        let id = InteractionId::from_u128(0x1_0000 + i);
        let message = if i % 3 == 0 {
            RecordInteraction::outbound(id, Channel::Email, AGENT, text("hello"))
        } else {
            RecordInteraction::inbound(id, Channel::Email, text("hi"))
        };
        log.extend(ona.execute(&policy, message, now).unwrap());
    }
    let aside = ona.clone();
    let far_past = start() - TimeDelta::days(400);
    let (min, max) = (DateTime::<Utc>::MIN_UTC, DateTime::<Utc>::MAX_UTC);
    // Reading at chrono's limits panics nowhere and changes nothing.
    for at in [min, far_past, now, max] {
        let before = ona.clone();
        let _ = (ona.flags(at), ona.health(&policy, at), ona.next_deadline());
        let _ = ona.work_list(Owner::Agent(AGENT), at);
        let due = ona.due_by(&policy, at);
        let mut copy = ona.clone();
        if copy.apply_all(&due).is_ok() {
            assert_eq!(copy.version(), ona.version() + due.len() as u64);
        }
        assert_eq!(ona, before);
    }
    let unknown = ComplaintId::from_u128(0xdead);
    let mut commands = complaint_commands(OLD);
    commands.extend(complaint_commands(ComplaintId::from_u128(1)));
    commands.extend(complaint_commands(unknown).into_iter().filter(|c| {
        !matches!(
            c,
            Command::Complaint(clientele::complaint::ComplaintCommand::Receive(_))
        )
    }));
    commands.push(ReopenComplaint::new(unknown, text("who?")).into());
    let mut taken = Vec::new();
    for command in &commands {
        for request in [
            Request::new(command.clone()),
            Request::new(command.clone()).occurred_at(min),
            Request::new(command.clone()).occurred_at(max),
            Request::new(command.clone()).occurred_at(far_past),
        ] {
            for at in [now, min, far_past] {
                let before = ona.clone();
                let archived = ona.archived();
                match ona.execute_request(&policy, request.clone(), at) {
                    Err(_) => {
                        assert_eq!(ona, before, "{request:?} at {at}: refused, nothing changed");
                        assert_eq!(ona.archived(), archived);
                        assert_eq!(format!("{ona:?}"), format!("{before:?}"));
                    }
                    Ok(events) => {
                        taken.push(request.clone());
                        log.extend(events);
                    }
                }
            }
        }
    }
    // Only the survey of a closed complaint is taken: nothing else moves a closed complaint.
    assert!(
        taken
            .iter()
            .all(|r| matches!(r.command, Command::Survey(_))),
        "{taken:#?}"
    );
    assert_eq!(
        ona.complaint(OLD).map(|c| c.stage()),
        Some(ComplaintStage::Closed)
    );
    assert_eq!(ona.archived(), aside.archived());
    // A reopen dated where it cannot be changes nothing either.
    for occurred in [min, far_past, max] {
        let before = ona.clone();
        let reopen = Request::new(ReopenComplaint::new(OLD, text("late"))).occurred_at(occurred);
        assert!(ona.execute_request(&policy, reopen, now).is_err());
        assert_eq!(ona, before);
    }
    // At the end of time a reopen is taken, or refused with nothing changed.
    let before = ona.clone();
    match ona.execute(&policy, ReopenComplaint::new(OLD, text("last")), max) {
        Ok(events) => log.extend(events),
        Err(_) => assert_eq!(ona, before),
    }
    let _ = (
        ona.flags(max),
        ona.next_deadline(),
        ona.health(&policy, max),
    );
    log.extend(ona.advance_to(&policy, max));
    assert_eq!(Relationship::replay(ONA, &log).unwrap(), ona);
    assert_eq!(
        aside,
        replay_upto(&log, aside.version()),
        "the copy aside is untouched"
    );
}

#[test]
fn stored_events_that_do_not_fit_an_archived_complaint_change_nothing() {
    let (ona, log, now) = old_complaint_among(20);
    let about_old: Vec<_> = log
        .iter()
        .filter(|e| matches!(&e.event, clientele::Event::Complaint(c) if c.complaint() == OLD))
        .collect();
    assert!(about_old.len() >= 5);
    for envelope in about_old {
        let mut again = envelope.clone();
        again.seq = ona.version() + 1;
        again.at = now;
        again.recorded = None;
        let mut copy = ona.clone();
        match copy.apply(&again) {
            Err(_) => {
                assert_eq!(copy, ona, "{:?}: refused, nothing changed", again.event);
                assert_eq!(copy.archived(), ona.archived());
            }
            Ok(()) => {
                let mut longer = log.clone();
                longer.push(again);
                assert_eq!(copy, Relationship::replay(ONA, &longer).unwrap());
                assert_eq!(
                    copy.archived(),
                    Relationship::replay(ONA, &longer).unwrap().archived()
                );
            }
        }
    }
}

#[test]
fn an_erasure_reaches_archived_complaints_and_no_copy_kept_aside() {
    let policy = no_follow_up_policy();
    let (mut ona, mut log, now) = old_complaint_among(300);
    let aside = ona.clone();
    let archived = ona.archived();
    log.extend(ona.execute(&policy, ErasePersonalData {}, now).unwrap());
    assert!(!ona.holds_personal_data(), "the erased one holds none");
    assert!(ona.complaints().all(|(_, c)| c.summary.is_erased()));
    assert_eq!(ona.archived(), archived, "erased where they are kept");
    assert!(aside.holds_personal_data(), "a copy keeps its data");
    assert!(
        aside
            .complaints()
            .all(|(_, c)| c.summary.reveal().is_some())
    );
    assert_eq!(aside, replay_upto(&log, aside.version()));
    let replayed = Relationship::replay(ONA, &log).unwrap();
    assert_eq!(replayed, ona);
    assert!(!replayed.holds_personal_data());
    for encoding in [Encoding::Binary, Encoding::Json] {
        let restored = Relationship::restore(&ona.snapshot(encoding).unwrap()).unwrap();
        assert_eq!(restored, ona);
        assert!(!restored.holds_personal_data());
    }
    // A reopen after the erasure brings the complaint back erased.
    let reopen = ReopenComplaint::new(ComplaintId::from_u128(1), text("again"));
    log.extend(ona.execute(&policy, reopen, now).unwrap());
    let back = ona.complaint(ComplaintId::from_u128(1)).unwrap();
    assert!(back.is_open() && back.summary.is_erased());
    assert_eq!(Relationship::replay(ONA, &log).unwrap(), ona);
    assert!(
        aside
            .complaint(ComplaintId::from_u128(1))
            .unwrap()
            .summary
            .reveal()
            .is_some()
    );
}

#[test]
fn a_book_reopens_an_archived_complaint_into_its_work_list() {
    let policy = no_follow_up_policy();
    let (_, log, now) = old_complaint_among(60);
    let mut book = Ledger::replay(policy.clone(), &log).unwrap();
    let other = book.clone();
    assert!(book.work_list(Owner::Agent(AGENT), now).flags.is_empty());
    assert!(book.next_deadline().is_none());
    let events = book
        .execute(ONA, ReopenComplaint::new(OLD, text("still broken")), now)
        .unwrap();
    let ona = book.get(ONA).unwrap();
    assert_eq!(
        book.work_list(Owner::Agent(AGENT), now),
        ona.work_list(Owner::Agent(AGENT), now),
        "the book's index agrees with the relationship"
    );
    assert!(!book.flags_for(Owner::Agent(AGENT), now).is_empty());
    assert_eq!(book.next_deadline(), ona.next_deadline());
    assert!(
        other.work_list(Owner::Agent(AGENT), now).flags.is_empty(),
        "the copy aside"
    );
    let mut full = log.clone();
    full.extend(events);
    let replayed = Ledger::replay(policy.clone(), &full).unwrap();
    assert_eq!(replayed, book);
    for encoding in [Encoding::Binary, Encoding::Json] {
        let restored = Ledger::restore(policy.clone(), &book.snapshot(encoding).unwrap()).unwrap();
        assert_eq!(restored, book);
        assert_eq!(
            restored.work_list(Owner::Agent(AGENT), now),
            book.work_list(Owner::Agent(AGENT), now)
        );
    }
}

#[test]
fn facts_reported_late_into_the_shared_part_leave_copies_alone() {
    let policy = ServicePolicy::default();
    let (mut ona, mut log) = registered(&policy);
    let early = start() + TimeDelta::minutes(5);
    let promise = PromiseId::from_u128(0x77);
    let make = MakePromise::new(promise, text("a part"), early + TimeDelta::days(30), AGENT);
    log.extend(ona.execute(&policy, make, early).unwrap());
    let mut now = start() + TimeDelta::hours(1);
    let mut copies = Vec::new();
    for i in 0..600u128 {
        now += TimeDelta::minutes(3);
        let id = InteractionId::from_u128(0x1_0000 + i);
        let message = if i % 2 == 0 {
            RecordInteraction::inbound(id, Channel::Email, text("hi"))
        } else {
            RecordInteraction::outbound(id, Channel::Email, AGENT, text("hello"))
        };
        log.extend(ona.execute(&policy, message, now).unwrap());
        if [10, 17, 200, 257, 300, 599].contains(&i) {
            copies.push(ona.clone());
        }
    }
    // Older than every entry each copy wrote on its own: written into the shared part.
    let late = [
        Request::new(RecordInteraction::inbound(
            InteractionId::from_u128(0x9_0000),
            Channel::Phone,
            text("called"),
        ))
        .occurred_at(early + TimeDelta::minutes(1)),
        Request::new(KeepPromise { promise }).occurred_at(early + TimeDelta::minutes(2)),
        Request::new(ReceiveComplaint::new(
            ComplaintId::from_u128(0x88),
            Channel::Phone,
            text("rude"),
        ))
        .occurred_at(early + TimeDelta::minutes(3)),
    ];
    for request in late {
        now += TimeDelta::minutes(1);
        log.extend(ona.execute_request(&policy, request, now).unwrap());
        for copy in &copies {
            assert_eq!(
                copy,
                &replay_upto(&log, copy.version()),
                "a copy is unaffected"
            );
            assert!(
                copy.promise(promise).is_some(),
                "still outstanding in the copy"
            );
        }
    }
    assert!(ona.promise(promise).is_none(), "kept");
    let replayed = Relationship::replay(ONA, &log).unwrap();
    assert_eq!(replayed, ona);
    assert_eq!(replayed.health(&policy, now), ona.health(&policy, now));
    // Each copy goes on with its own late fact: the others and the original do not see it.
    let original = ona.clone();
    for (n, copy) in copies.iter_mut().enumerate() {
        let version = copy.version();
        let call = Request::new(RecordInteraction::inbound(
            InteractionId::from_u128(0xa_0000 + n as u128),
            Channel::Phone,
            text("called"),
        ))
        .occurred_at(early + TimeDelta::minutes(4));
        let events = copy.execute_request(&policy, call, now).unwrap();
        let mut own: Vec<_> = log.iter().filter(|e| e.seq <= version).cloned().collect();
        own.extend(events);
        assert_eq!(copy, &Relationship::replay(ONA, &own).unwrap());
    }
    assert_eq!(ona, original);
    for copy in &copies {
        assert!(
            copy.promise(promise).is_some(),
            "the copies never saw the keep"
        );
    }
}
