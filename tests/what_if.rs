//! What if: a stored history decided again under another policy, and compared. Hand-checked
//! scenarios: a changed target changes exactly the outcomes it should, and nothing else; a
//! fact the new policy refuses is reported; a log that spans a policy change says so.

mod support;

use clientele::outcome::Outcome;
use clientele::what_if::{Book, BookRun, Comparison, History, Run, Slice, TargetKind, Terms};
use clientele::{
    CommandError, ComplaintEvent, ComplaintId, CompleteFollowUp, Envelope, Event, FollowUpEvent,
    FollowUpId, FollowUpOutcome, Priority, ReceiveComplaint, ResolveComplaint, ResponseEvent,
    ScheduleFollowUp, ServicePolicy, Span,
};
use support::*;

const C: ComplaintId = ComplaintId::from_u128(0xc1);

/// The default policy, with a stricter high-priority first response (2 h instead of 4 h).
fn stricter_first_response() -> ServicePolicy {
    let mut policy = ServicePolicy::default();
    policy.first_response.default.high = Span::hours(2);
    policy
}

/// Ona writes at high priority, Petras at normal priority, both at 09:00; both are answered
/// at 12:00; the log is advanced to the evening.
fn two_messages() -> World {
    let mut w = World::new(ServicePolicy::default(), "2026-03-02 09:00");
    w.given_customer(ONA, "standard")
        .given_customer(PETRAS, "standard");
    w.when(ONA, inbound(1, channel()).priority(Priority::High))
        .unwrap();
    w.when(PETRAS, inbound(2, channel())).unwrap();
    w.at("2026-03-02 12:00");
    w.when(ONA, outbound(3, channel())).unwrap();
    w.when(PETRAS, outbound(4, channel())).unwrap();
    w.run_until("2026-03-02 20:00", 20);
    let end = w.ledger.advance_to(t("2026-03-02 20:00"));
    w.log.extend(end);
    w
}

fn channel() -> clientele::Channel {
    clientele::Channel::Email
}

fn events_of(log: &[Envelope], customer: clientele::CustomerId) -> Vec<Envelope> {
    log.iter()
        .filter(|e| e.customer == customer)
        .cloned()
        .collect()
}

#[test]
fn a_stricter_high_priority_target_turns_the_high_priority_answer_late_and_nothing_else() {
    // Given two customers answered three hours after they wrote, one at high priority.
    let w = two_messages();
    let book = Book::from_log(&w.log).unwrap();
    // When the high-priority first response target goes from 4 h to 2 h.
    let comparison =
        Comparison::of(&book, &ServicePolicy::default(), &stricter_first_response()).unwrap();
    // Then the high-priority answer is late by an hour under the candidate, on time before.
    let high = (TargetKind::FirstResponse, Slice::Priority(Priority::High));
    let normal = (TargetKind::FirstResponse, Slice::Priority(Priority::Normal));
    assert_eq!(comparison.base.targets[&high].outcomes.met, 1);
    assert_eq!(comparison.base.targets[&high].breached, 0);
    assert_eq!(comparison.candidate.targets[&high].outcomes.met_late, 1);
    assert_eq!(comparison.candidate.targets[&high].outcomes.met, 0);
    assert_eq!(comparison.candidate.targets[&high].breached, 1);
    let lateness = &comparison.candidate.lateness[&TargetKind::FirstResponse];
    assert_eq!(lateness.percentile(50), Some(Span::hours(1)));
    assert!(
        !comparison
            .base
            .lateness
            .contains_key(&TargetKind::FirstResponse)
    );
    // The normal-priority answer is the same in both.
    assert_eq!(
        comparison.base.targets[&normal],
        comparison.candidate.targets[&normal]
    );
    // Only Ona differs, with the events that differ: her answer's outcome, and the warning and
    // the overdue of the stricter target (at 10:36 and 11:00; the base target warns at 12:12,
    // after the answer).
    assert_eq!(comparison.customers.len(), 1);
    let ona = &comparison.customers[0];
    assert_eq!(ona.customer, ONA);
    let kinds = |list: &[Envelope]| envelope_kinds(list);
    assert_eq!(
        kinds(&ona.only_candidate),
        [
            "response_at_risk",
            "response_overdue",
            "response_clock_stopped"
        ]
    );
    assert_eq!(kinds(&ona.only_base), ["response_clock_stopped"]);
    assert_eq!(ona.only_candidate[0].at, t("2026-03-02 10:36"));
    let overdue = &ona.only_candidate[1];
    assert_eq!(overdue.at, t("2026-03-02 11:00"));
    assert!(comparison.base_refused.is_empty() && comparison.candidate_refused.is_empty());
}

#[test]
fn a_stricter_resolution_target_breaches_the_complaint_resolved_after_it() {
    // Given a high-priority complaint received at 09:00 and resolved at 21:00 (12 h).
    let mut w = World::new(ServicePolicy::default(), "2026-03-02 09:00");
    w.given_customer(ONA, "standard");
    let receive = ReceiveComplaint::new(C, channel(), text("broken")).priority(Priority::High);
    w.when(ONA, receive).unwrap();
    w.run_until("2026-03-02 21:00", 20);
    let resolve = ResolveComplaint {
        follow_up: Some(FollowUpId::from_u128(9)),
        ..resolution(C, AGENT, "replaced")
    };
    w.when(ONA, resolve).unwrap();
    // When the high-priority resolution target goes from 24 h to 8 h.
    let mut candidate = ServicePolicy::default();
    candidate.complaints.resolve.default.high = Span::hours(8);
    let book = Book::from_log(&w.log).unwrap();
    let comparison = Comparison::of(&book, &ServicePolicy::default(), &candidate).unwrap();
    // Then the resolution is met under the base and met four hours late under the candidate,
    // after a breach at 17:00; the acknowledgement is untouched.
    let resolution = comparison.base.total(TargetKind::Resolution);
    assert_eq!((resolution.outcomes.met, resolution.breached), (1, 0));
    let resolution = comparison.candidate.total(TargetKind::Resolution);
    assert_eq!((resolution.outcomes.met_late, resolution.breached), (1, 1));
    assert_eq!(
        comparison.candidate.lateness[&TargetKind::Resolution].percentile(50),
        Some(Span::hours(4))
    );
    assert_eq!(
        comparison.base.total(TargetKind::Acknowledgement),
        comparison.candidate.total(TargetKind::Acknowledgement)
    );
    let ona = &comparison.customers[0];
    let breach = ona
        .only_candidate
        .iter()
        .find(|e| {
            matches!(
                e.event,
                Event::Complaint(ComplaintEvent::ClockBreached { .. })
            )
        })
        .unwrap();
    assert_eq!(breach.at, t("2026-03-02 17:00"));
    assert!(ona.only_candidate.iter().any(|e| matches!(
        e.event,
        Event::Complaint(ComplaintEvent::Resolved {
            outcome: Outcome::MetLate { .. },
            ..
        })
    )));
}

/// Ona's complaint received at 09:00 and resolved at 10:00, unacknowledged, under `policy`.
fn received_then_resolved(policy: &ServicePolicy) -> World {
    let mut w = World::new(policy.clone(), "2026-03-02 09:00");
    w.given_customer(ONA, "standard");
    w.when(ONA, ReceiveComplaint::new(C, channel(), text("broken")))
        .unwrap();
    w.at("2026-03-02 10:00");
    w.when(ONA, resolution(C, AGENT, "replaced")).unwrap();
    w
}

#[test]
fn a_resolution_the_candidate_cannot_decide_is_reported_with_its_place_and_changes_nothing() {
    // Given a log recorded under the default, which lets a complaint be resolved at first
    // touch, without an acknowledgement.
    let recorded = ServicePolicy::default();
    let w = received_then_resolved(&recorded);
    let resolved_at = w
        .log
        .iter()
        .find(|e| matches!(e.event, Event::Complaint(ComplaintEvent::Resolved { .. })))
        .unwrap()
        .seq;
    let history = History::from_log(&w.log).unwrap();
    // When it is decided again under a policy that wants an acknowledgement first.
    let mut strict = recorded.clone();
    strict.complaints.resolve_unacknowledged = false;
    let again = Run::decide(&strict, &history).unwrap();
    // Then the resolution is refused, reported with where it was and why.
    assert_eq!(again.refused().len(), 1);
    let refusal = &again.refused()[0];
    assert_eq!(refusal.fact.seq, resolved_at);
    assert_eq!(refusal.error, CommandError::NotAcknowledged(C));
    assert_eq!(refusal.fact.request.command.name(), "resolve_complaint");
    // And nothing of it is in the new log: the complaint is still open there, with no
    // follow-up.
    assert!(!again.log().iter().any(|e| matches!(
        e.event,
        Event::Complaint(ComplaintEvent::Resolved { .. })
            | Event::FollowUp(FollowUpEvent::Scheduled { .. })
    )));
    assert!(again.relationship().complaint(C).unwrap().is_open());
    // Under the policy it was recorded under, nothing is refused and the log comes back.
    let same = Run::decide(&recorded, &history).unwrap();
    assert!(same.refused().is_empty());
    assert_eq!(same.log(), &w.log[..]);
}

#[test]
fn a_resolution_stored_without_a_follow_up_gets_the_derived_one_under_a_policy_that_schedules_it() {
    // Given a log recorded under a policy that schedules no follow-up after a resolution.
    let mut recorded = ServicePolicy::default();
    recorded.complaints.follow_up_after = None;
    let w = received_then_resolved(&recorded);
    let history = History::from_log(&w.log).unwrap();
    // When it is decided again under the default, which schedules one.
    let again = Run::decide(&ServicePolicy::default(), &history).unwrap();
    // Then nothing is refused and the follow-up has the id derived from the complaint.
    assert!(again.refused().is_empty());
    assert!(again.log().iter().any(|e| matches!(
        e.event,
        Event::FollowUp(FollowUpEvent::Scheduled { follow_up, .. })
            if follow_up == FollowUpId::after_resolution(C, 0)
    )));
}

#[test]
fn a_log_that_spans_a_policy_change_says_where_and_no_single_policy_gives_it_back() {
    // Given Ona's high-priority messages: two answered under the default (replies within
    // 4 h), then a third after the service moved high-priority answers to 2 h.
    let mut stricter = stricter_first_response();
    stricter.reply.default.high = Span::hours(2);
    let mut w = World::new(ServicePolicy::default(), "2026-03-02 09:00");
    w.given_customer(ONA, "standard");
    for (n, day) in [(1, "02"), (3, "03")] {
        w.at(&format!("2026-03-{day} 09:00"));
        w.when(ONA, inbound(n, channel()).priority(Priority::High))
            .unwrap();
        w.at(&format!("2026-03-{day} 10:00"));
        w.when(ONA, outbound(n + 1, channel())).unwrap();
    }
    w.ledger.set_policy(stricter.clone()).unwrap();
    w.at("2026-03-04 09:00");
    w.when(ONA, inbound(5, channel()).priority(Priority::High))
        .unwrap();
    let clocks: Vec<u64> = w
        .log
        .iter()
        .filter(|e| matches!(e.event, Event::Response(ResponseEvent::ClockStarted { .. })))
        .map(|e| e.seq)
        .collect();
    assert_eq!(clocks.len(), 3);
    // When the log is read back.
    let history = History::from_log(&w.log).unwrap();
    // Then it names the change: the high-priority reply target, 4 h then 2 h, at the third.
    let shifts = history.policy_shifts();
    assert_eq!(shifts.len(), 1, "{shifts:?}");
    assert_eq!(
        (shifts[0].seq, shifts[0].kind),
        (clocks[2], TargetKind::Reply)
    );
    assert_eq!(
        (shifts[0].before, shifts[0].after),
        (Terms::Span(Span::hours(4)), Terms::Span(Span::hours(2)))
    );
    // And neither policy gives the log back: each diverges where it was not in force.
    let before = Run::decide(&ServicePolicy::default(), &history).unwrap();
    assert_eq!(before.divergence(&w.log).map(|d| d.seq), Some(clocks[2]));
    let after = Run::decide(&stricter, &history).unwrap();
    assert_eq!(after.divergence(&w.log).map(|d| d.seq), Some(clocks[0]));
    // A log recorded under one policy shows no shift.
    assert!(
        History::from_log(&events_of(&two_messages().log, ONA))
            .unwrap()
            .policy_shifts()
            .is_empty()
    );
}

#[test]
fn a_reopen_after_an_unhappy_follow_up_and_the_follow_up_it_cancels_are_consequences() {
    // Given a resolution (its follow-up scheduled by the policy), a second follow-up booked by
    // hand, and the first finding the customer not satisfied: the policy reopens the
    // complaint, which cancels the second follow-up.
    let mut w = World::new(ServicePolicy::default(), "2026-03-02 09:00");
    w.given_customer(ONA, "standard");
    w.when(ONA, ReceiveComplaint::new(C, channel(), text("broken")))
        .unwrap();
    w.at("2026-03-02 10:00");
    let (first, second) = (FollowUpId::from_u128(1), FollowUpId::from_u128(2));
    w.when(
        ONA,
        ResolveComplaint {
            follow_up: Some(first),
            ..resolution(C, AGENT, "fixed")
        },
    )
    .unwrap();
    let call = ScheduleFollowUp {
        follow_up: second,
        owner: AGENT,
        due: t("2026-03-05 10:00"),
        reason: text("a second call").into(),
        complaint: Some(C),
    };
    w.when(ONA, call).unwrap();
    w.at("2026-03-03 10:00");
    let unhappy = CompleteFollowUp {
        follow_up: first,
        outcome: FollowUpOutcome::NotSatisfied,
        note: None,
    };
    let events = w.when(ONA, unhappy).unwrap();
    assert!(
        events
            .iter()
            .any(|e| matches!(e, Event::Complaint(ComplaintEvent::Reopened { .. })))
    );
    assert!(events.iter().any(|e| matches!(e, Event::FollowUp(FollowUpEvent::Cancelled { follow_up, .. }) if *follow_up == second)));
    // When it is read back, the facts are the five commands, the reopen and cancel not among them.
    let history = History::from_log(&w.log).unwrap();
    let names: Vec<&str> = history.facts().map(|f| f.request.command.name()).collect();
    assert_eq!(
        names,
        [
            "register_customer",
            "receive_complaint",
            "resolve_complaint",
            "schedule_follow_up",
            "complete_follow_up"
        ]
    );
    // Then decided again it is the stored log.
    let again = Run::decide(&ServicePolicy::default(), &history).unwrap();
    assert_eq!(again.log(), &w.log[..]);
    // And under a policy that does not reopen, the complaint stays resolved and the second
    // follow-up stays booked.
    let mut calm = ServicePolicy::default();
    calm.complaints.reopen_when_not_satisfied = false;
    let calmer = Run::decide(&calm, &history).unwrap();
    assert!(calmer.refused().is_empty());
    assert!(
        !calmer
            .log()
            .iter()
            .any(|e| matches!(e.event, Event::Complaint(ComplaintEvent::Reopened { .. })))
    );
    assert!(
        calmer
            .relationship()
            .follow_up(second)
            .is_some_and(|f| f.is_pending())
    );
}

#[test]
fn shards_compared_up_to_the_same_instant_merge_into_the_whole_book() {
    // Given two customers, in two shards.
    let w = two_messages();
    let (base, candidate) = (ServicePolicy::default(), stricter_first_response());
    let until = Some(t("2026-03-03 09:00"));
    let whole =
        Comparison::up_to(&Book::from_log(&w.log).unwrap(), &base, &candidate, until).unwrap();
    // When each shard is compared on its own and the two merged.
    let mut merged = Comparison::default();
    for customer in [PETRAS, ONA] {
        let shard = Book::from_log(&events_of(&w.log, customer)).unwrap();
        merged.merge(Comparison::up_to(&shard, &base, &candidate, until).unwrap());
    }
    // Then it is the comparison of the whole book.
    assert_eq!(merged, whole);
    assert_eq!(whole.base.customers, 2);
}

#[test]
fn a_book_decided_again_holds_its_ledger_and_the_table_reads() {
    let w = two_messages();
    let book = Book::from_log(&w.log).unwrap();
    let again = BookRun::decide(&stricter_first_response(), &book).unwrap();
    // The ledger the new log leaves: Ona's answer late, Petras's not.
    assert_eq!(again.ledger().len(), 2);
    let overdue = again
        .log()
        .iter()
        .filter(|e| matches!(e.event, Event::Response(ResponseEvent::Overdue { .. })))
        .map(|e| e.customer)
        .collect::<Vec<_>>();
    assert_eq!(overdue, [ONA]);
    let table = Comparison::of(&book, &ServicePolicy::default(), &stricter_first_response())
        .unwrap()
        .to_string();
    assert!(table.contains("first response"), "{table}");
    assert!(
        table.contains("customers whose band or outcomes differ: 1 of 2"),
        "{table}"
    );
    // The change is spelled out: one on time fewer, one late and one breach more.
    assert!(table.contains("(-1 +1 +0 +1)"), "{table}");
    // And the candidate's own events show beside the base's.
    assert!(table.contains("    + "), "{table}");
}

#[test]
fn a_shredded_log_reads_the_policys_own_reactions_as_reactions() {
    // Given a resolution whose follow-up the policy scheduled, found not satisfied (the policy
    // reopens the complaint), then the customer's data erased and the log crypto-shredded: the
    // reaction's own words (the follow-up's reason, the reopen's) read erased too.
    let mut w = World::new(ServicePolicy::default(), "2026-03-02 09:00");
    w.given_customer(ONA, "standard").given_complaint(ONA, C);
    let follow_up = FollowUpId::from_u128(1);
    w.at("2026-03-02 10:00");
    let resolve = ResolveComplaint {
        follow_up: Some(follow_up),
        ..resolution(C, AGENT, "fixed")
    };
    w.when(ONA, resolve).unwrap();
    w.at("2026-03-03 10:00");
    let outcome = FollowUpOutcome::NotSatisfied;
    let unhappy = CompleteFollowUp {
        follow_up,
        outcome,
        note: None,
    };
    w.when(ONA, unhappy).unwrap();
    w.when(ONA, clientele::ErasePersonalData::default())
        .unwrap();
    let shredded: Vec<Envelope> = w
        .log
        .iter()
        .cloned()
        .map(|mut e| {
            e.take_personal();
            e
        })
        .collect();
    // When it is read back and decided again under the same policy.
    let history = History::from_log(&shredded).unwrap();
    let again = Run::decide(&ServicePolicy::default(), &history).unwrap();
    // Then the reopen and the follow-up are the policy's again: nothing refused, nothing twice.
    let names: Vec<&str> = history.facts().map(|f| f.request.command.name()).collect();
    assert_eq!(
        names[2..],
        [
            "resolve_complaint",
            "complete_follow_up",
            "erase_personal_data"
        ]
    );
    assert_eq!(again.refused(), []);
    assert_eq!(envelope_kinds(again.log()), envelope_kinds(&shredded));
}
