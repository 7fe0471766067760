//! Promises, given / when / then: "do what you say, and say what you do".

mod support;

use clientele::PromiseEvent;
use clientele::outcome::{Lateness, Outcome};
use clientele::policy::Lead;
use clientele::promise::{AtRiskReason, Notice, PromiseStage, RevisionTiming};
use clientele::{
    AgentId, Channel, CommandError, Event, FlagKind, KeepPromise, MakePromise, MeetDependency,
    PartyId, PromiseId, RecordDependency, RecordInteraction, RevisePromise, ServicePolicy, Span,
    Subject, WithdrawPromise,
};
use support::*;

const GLASSES: PromiseId = PromiseId::from_u128(0x91);
const LAB: PartyId = PartyId::from_u128(0x1ab);

fn policy() -> ServicePolicy {
    let mut policy = ServicePolicy::default();
    policy.promises.at_risk = Lead::Before(Span::days(1));
    policy
}

/// Ona is promised her glasses on Monday 2 March at 10:00, due Monday 9 March at 17:00.
fn promised() -> World {
    let mut w = World::new(policy(), "2026-03-02 10:00");
    w.given_customer(ONA, "standard");
    let make = MakePromise::new(
        GLASSES,
        text("New glasses ready"),
        t("2026-03-09 17:00"),
        AGENT,
    )
    .fulfilled_by(LAB, text("Lens lab"));
    w.when(ONA, make).unwrap();
    w
}

fn stage(w: &World) -> PromiseStage {
    w.relationship(ONA).promise_stage(GLASSES).unwrap()
}

fn revise(due: &str, reason: &str, agreed: bool) -> RevisePromise {
    RevisePromise {
        promise: GLASSES,
        due: t(due),
        reason: text(reason).into(),
        customer_agreed: agreed,
    }
}

fn tell(n: u128) -> RecordInteraction {
    RecordInteraction::outbound(
        clientele::InteractionId::from_u128(n),
        Channel::Phone,
        AGENT,
        text("Update on your glasses"),
    )
    .regarding(GLASSES)
}

#[test]
fn a_promise_records_what_when_who_owns_it_and_who_does_it() {
    let w = promised();
    let promise = w.relationship(ONA).promise(GLASSES).unwrap();
    assert_eq!(promise.stage(), PromiseStage::Open);
    assert_eq!(promise.terms.owner, AGENT);
    assert_eq!(promise.terms.made_at, t("2026-03-02 10:00"));
    assert_eq!(promise.terms.at_risk_at, Some(t("2026-03-08 17:00")));
    assert!(matches!(
        promise.terms.fulfiller().clone(),
        clientele::Fulfiller::Party { party: LAB, .. }
    ));
    let next = w.ledger.next_deadline().unwrap();
    assert_eq!(
        (next.at, next.subject()),
        (t("2026-03-08 17:00"), Subject::Promise(GLASSES))
    );
}

#[test]
fn open_warns_at_the_lead_then_breaks_in_silence_at_the_due_instant() {
    let mut w = promised();
    assert!(w.run_until("2026-03-08 16:59:59", 10).is_empty());
    let warned = w.run_until("2026-03-08 17:00", 10);
    assert_eq!(
        warned[0].event,
        Event::Promise(PromiseEvent::AtRisk {
            promise: GLASSES,
            due: t("2026-03-09 17:00"),
            owner: AGENT,
            reason: AtRiskReason::LeadReached
        })
    );
    assert_eq!(stage(&w), PromiseStage::AtRisk);
    assert!(w.run_until("2026-03-09 16:59:59", 10).is_empty());
    let broken = w.run_until("2026-03-20 00:00", 10);
    assert_eq!(
        broken.iter().map(|e| &e.event).collect::<Vec<_>>(),
        [&Event::Promise(PromiseEvent::Broken {
            promise: GLASSES,
            due: t("2026-03-09 17:00"),
            owner: AGENT,
            notice: Notice::InSilence,
            breaks: 1
        })]
    );
    assert_eq!(broken[0].at, t("2026-03-09 17:00"));
    assert_eq!(stage(&w), PromiseStage::Broken);
    w.assert_replay_matches();
}

#[test]
fn telling_the_customer_makes_a_break_one_with_notice_but_their_own_question_does_not() {
    let mut w = promised();
    w.at("2026-03-05 12:00");
    let asked = RecordInteraction::inbound(
        clientele::InteractionId::from_u128(1),
        Channel::Email,
        text("Any news?"),
    )
    .regarding(GLASSES);
    w.when(ONA, asked).unwrap();
    let mut silent = World {
        ledger: w.ledger.clone(),
        log: w.log.clone(),
        now: w.now,
    };
    w.at("2026-03-06 12:00");
    w.when(ONA, tell(2)).unwrap();

    let told = w.run_until("2026-03-10 00:00", 10);
    assert!(told.iter().any(|e| matches!(
        e.event,
        Event::Promise(PromiseEvent::Broken {
            notice: Notice::WithNotice,
            ..
        })
    )));
    let quiet = silent.run_until("2026-03-10 00:00", 10);
    assert!(quiet.iter().any(|e| matches!(
        e.event,
        Event::Promise(PromiseEvent::Broken {
            notice: Notice::InSilence,
            ..
        })
    )));
}

#[test]
fn kept_before_the_due_instant_is_on_time_and_final() {
    let mut w = promised();
    w.at("2026-03-08 16:00");
    let events = w.when(ONA, KeepPromise { promise: GLASSES }).unwrap();
    assert_eq!(
        events,
        [Event::Promise(PromiseEvent::Kept {
            promise: GLASSES,
            due: t("2026-03-09 17:00"),
            owner: AGENT,
            outcome: Outcome::Met
        })]
    );
    assert_eq!(stage(&w), PromiseStage::Kept);
    assert_eq!(w.ledger.next_deadline(), None);
    assert!(w.ledger.flags(t("2026-04-01 00:00")).is_empty());
    for command in [
        clientele::Command::from(revise("2026-03-20 17:00", "late", true)),
        KeepPromise { promise: GLASSES }.into(),
        WithdrawPromise {
            promise: GLASSES,
            reason: text("no").into(),
        }
        .into(),
    ] {
        let err = w.ledger.execute(ONA, command, w.now).unwrap_err();
        assert!(
            matches!(
                err,
                CommandError::InvalidTransition {
                    entity: "promise",
                    from: "kept",
                    ..
                }
            ),
            "{err}"
        );
    }
}

#[test]
fn a_broken_promise_can_still_be_kept_late_with_the_lateness() {
    let mut w = promised();
    w.at("2026-03-10 12:30");
    // Nobody advanced time: the break is recorded first, at its own instant.
    let envelopes = w
        .ledger
        .execute(ONA, KeepPromise { promise: GLASSES }, w.now)
        .unwrap();
    assert_eq!(
        envelope_kinds(&envelopes),
        ["promise_at_risk", "promise_broken", "promise_kept"]
    );
    let late = Span::try_from_secs(19 * 3600 + 30 * 60).unwrap();
    assert_eq!(
        envelopes[2].event,
        Event::Promise(PromiseEvent::Kept {
            promise: GLASSES,
            due: t("2026-03-09 17:00"),
            owner: AGENT,
            outcome: Outcome::MetLate {
                lateness: Lateness {
                    wall: late,
                    business: late
                }
            }
        })
    );
    // Closed, the promise is archived with its stage; the event above keeps the lateness.
    let ona = w.relationship(ONA);
    assert_eq!(ona.promise_stage(GLASSES), Some(PromiseStage::KeptLate));
    assert!(ona.promise(GLASSES).is_none());
}

#[test]
fn a_proactive_re_promise_is_recorded_as_a_revision_and_keeps_the_original() {
    let mut w = promised();
    w.at("2026-03-08 16:00");
    let events = w
        .when(
            ONA,
            revise("2026-03-16 17:00", "The lab needs another week", true),
        )
        .unwrap();
    assert_eq!(
        events,
        [Event::Promise(PromiseEvent::Revised {
            promise: GLASSES,
            previous_due: t("2026-03-09 17:00"),
            due: t("2026-03-16 17:00"),
            reason: text("The lab needs another week").into(),
            timing: RevisionTiming::Proactive,
            customer_agreed: true,
            slips: 1,
            cumulative_slip: Span::days(7),
            at_risk_at: Some(t("2026-03-15 17:00")),
        })]
    );
    let promise = w.relationship(ONA).promise(GLASSES).unwrap();
    assert_eq!(promise.stage(), PromiseStage::Open);
    assert_eq!(promise.terms.original_due(), t("2026-03-09 17:00"));
    assert_eq!(promise.terms.due, t("2026-03-16 17:00"));
    assert_eq!(
        (promise.terms.slips(), promise.terms.cumulative_slip()),
        (1, Span::days(7))
    );
    // The old due instant passes quietly; the new one is the one watched.
    assert_eq!(
        envelope_kinds(&w.run_until("2026-03-16 16:00", 10)),
        ["promise_at_risk"]
    );
}

#[test]
fn another_week_and_still_nothing_raises_the_repeated_slip_event_once() {
    let mut w = promised();
    w.run_until("2026-03-10 09:00", 10);
    w.at("2026-03-10 09:00");
    let first = w
        .when(ONA, revise("2026-03-16 17:00", "Another week", false))
        .unwrap();
    assert!(matches!(
        first[0],
        Event::Promise(PromiseEvent::Revised {
            timing: RevisionTiming::AfterBreak,
            slips: 1,
            ..
        })
    ));
    assert_eq!(first.len(), 1);
    w.run_until("2026-03-17 09:00", 10);
    w.at("2026-03-17 09:00");
    let second = w
        .when(
            ONA,
            revise("2026-03-23 17:00", "Really, another week", false),
        )
        .unwrap();
    assert_eq!(
        second[1],
        Event::Promise(PromiseEvent::SlippedRepeatedly {
            promise: GLASSES,
            owner: AGENT,
            slips: 2,
            cumulative_slip: Span::days(14)
        })
    );
    let flags = w.ledger.flags(t("2026-03-17 09:00"));
    assert!(
        flags
            .iter()
            .any(|f| f.kind == FlagKind::RepeatedSlips && f.owner == Some(AGENT))
    );
    w.at("2026-03-18 09:00");
    let third = w
        .when(ONA, revise("2026-03-30 17:00", "Once more", true))
        .unwrap();
    assert_eq!(kinds(&third), ["promise_revised"]);
    w.assert_replay_matches();
}

#[test]
fn a_promise_can_be_withdrawn_while_open_or_broken_and_then_not_kept() {
    let mut w = promised();
    w.run_until("2026-03-10 00:00", 10);
    w.at("2026-03-10 00:00");
    let events = w
        .when(
            ONA,
            WithdrawPromise {
                promise: GLASSES,
                reason: text("Bought glasses elsewhere").into(),
            },
        )
        .unwrap();
    assert_eq!(kinds(&events), ["promise_withdrawn"]);
    assert_eq!(stage(&w), PromiseStage::Withdrawn);
    let err = w.when(ONA, KeepPromise { promise: GLASSES }).unwrap_err();
    assert_eq!(
        err,
        CommandError::InvalidTransition {
            entity: "promise",
            from: "withdrawn",
            action: "keep"
        }
    );
    assert!(w.ledger.flags(t("2026-03-11 00:00")).is_empty());
}

#[test]
fn the_labs_missed_date_puts_the_promise_at_risk_at_once_and_flags_our_owner() {
    let mut w = promised();
    w.when(
        ONA,
        RecordDependency {
            promise: GLASSES,
            party: LAB,
            commitment: text("Lenses fitted").into(),
            reference: None,
            due: t("2026-03-05 12:00"),
        },
    )
    .unwrap();
    let late = w.run_until("2026-03-05 12:00", 10);
    assert_eq!(
        late.iter().map(|e| e.event.clone()).collect::<Vec<_>>(),
        [
            Event::Promise(PromiseEvent::DependencyLate {
                promise: GLASSES,
                party: LAB,
                due: t("2026-03-05 12:00"),
                owner: AGENT
            }),
            Event::Promise(PromiseEvent::AtRisk {
                promise: GLASSES,
                due: t("2026-03-09 17:00"),
                owner: AGENT,
                reason: AtRiskReason::DependencyLate
            }),
        ]
    );
    let flags = w.ledger.flags(t("2026-03-05 13:00"));
    let kinds: Vec<_> = flags.iter().map(|f| (f.kind, f.owner)).collect();
    assert_eq!(
        kinds,
        [
            (FlagKind::PromiseAtRisk, Some(AGENT)),
            (FlagKind::DependencyLate, Some(AGENT))
        ]
    );
    // At risk already: the lead no longer warns again.
    assert_eq!(
        envelope_kinds(&w.run_until("2026-03-09 17:00", 10)),
        ["promise_broken"]
    );

    w.at("2026-03-09 18:00");
    let met = w.when(ONA, MeetDependency { promise: GLASSES }).unwrap();
    let six_h_half = Span::try_from_secs(4 * 86_400 + 6 * 3600).unwrap();
    assert_eq!(
        met,
        [Event::Promise(PromiseEvent::DependencyMet {
            promise: GLASSES,
            party: LAB,
            outcome: Outcome::MetLate {
                lateness: Lateness {
                    wall: six_h_half,
                    business: six_h_half
                }
            }
        })]
    );
    assert!(
        !w.ledger
            .flags(t("2026-03-09 18:00"))
            .iter()
            .any(|f| f.kind == FlagKind::DependencyLate)
    );
    assert_eq!(
        w.when(ONA, MeetDependency { promise: GLASSES })
            .unwrap_err(),
        CommandError::InvalidTransition {
            entity: "dependency",
            from: "met",
            action: "meet"
        }
    );
    w.assert_replay_matches();
}

#[test]
fn flags_show_broken_promises_until_re_promised_or_kept() {
    let mut w = promised();
    let flags = w.ledger.flags(t("2026-03-09 17:00"));
    assert_eq!(
        flags.iter().map(|f| f.kind).collect::<Vec<_>>(),
        [FlagKind::PromiseBroken]
    );
    w.run_until("2026-03-10 00:00", 10);
    w.at("2026-03-10 00:00");
    w.when(ONA, revise("2026-03-12 17:00", "Courier", true))
        .unwrap();
    assert!(w.ledger.flags(t("2026-03-10 00:00")).is_empty());
}

#[test]
fn bad_promise_commands_are_refused_and_change_nothing() {
    let mut roster = policy();
    roster.agents = [AGENT].into();
    roster.parties = [LAB].into();
    let mut w = World::new(roster, "2026-03-02 10:00");
    w.given_customer(ONA, "standard");
    w.when(
        ONA,
        MakePromise::new(GLASSES, text("Glasses"), t("2026-03-09 17:00"), AGENT),
    )
    .unwrap();
    let stranger = AgentId::from_u128(0xbad);
    let cases: Vec<(clientele::Command, CommandError)> = vec![
        (
            MakePromise::new(
                PromiseId::from_u128(2),
                text("x"),
                t("2026-03-02 10:00"),
                AGENT,
            )
            .into(),
            CommandError::DueNotInFuture {
                due: t("2026-03-02 10:00"),
                now: t("2026-03-02 10:00"),
            },
        ),
        (
            MakePromise::new(GLASSES, text("x"), t("2026-03-19 17:00"), AGENT).into(),
            CommandError::DuplicatePromise(GLASSES),
        ),
        (
            MakePromise::new(
                PromiseId::from_u128(2),
                text("x"),
                t("2026-03-19 17:00"),
                stranger,
            )
            .into(),
            CommandError::UnknownAgent(stranger),
        ),
        (
            MakePromise::new(
                PromiseId::from_u128(2),
                text("x"),
                t("2026-03-19 17:00"),
                AGENT,
            )
            .fulfilled_by(PartyId::from_u128(9), text("?"))
            .into(),
            CommandError::UnknownParty(PartyId::from_u128(9)),
        ),
        (
            MakePromise::new(
                PromiseId::from_u128(2),
                text("x"),
                t("2026-03-19 17:00"),
                AGENT,
            )
            .made_in(clientele::InteractionId::from_u128(77))
            .into(),
            CommandError::UnknownInteraction(clientele::InteractionId::from_u128(77)),
        ),
        (
            KeepPromise {
                promise: PromiseId::from_u128(3),
            }
            .into(),
            CommandError::UnknownPromise(PromiseId::from_u128(3)),
        ),
        (
            revise("2026-03-09 17:00", "same", true).into(),
            CommandError::DueNotLater {
                due: t("2026-03-09 17:00"),
                current: t("2026-03-09 17:00"),
            },
        ),
        (
            revise("2026-03-01 17:00", "past", true).into(),
            CommandError::DueNotInFuture {
                due: t("2026-03-01 17:00"),
                now: t("2026-03-02 10:00"),
            },
        ),
        (
            MeetDependency { promise: GLASSES }.into(),
            CommandError::NoDependency(GLASSES),
        ),
        (
            RecordDependency {
                promise: GLASSES,
                party: PartyId::from_u128(9),
                commitment: text("x").into(),
                reference: None,
                due: t("2026-03-05 12:00"),
            }
            .into(),
            CommandError::UnknownParty(PartyId::from_u128(9)),
        ),
        (
            tell(5).regarding(PromiseId::from_u128(4)).into(),
            CommandError::UnknownPromise(PromiseId::from_u128(4)),
        ),
    ];
    w.assert_each_refused(ONA, cases);
}

#[test]
fn from_at_risk_a_promise_can_be_kept_re_promised_or_withdrawn_and_open_can_be_withdrawn() {
    let at_risk = || {
        let mut w = promised();
        w.run_until("2026-03-08 18:00", 10);
        w.at("2026-03-08 18:00");
        assert_eq!(stage(&w), PromiseStage::AtRisk);
        w
    };
    let mut kept = at_risk();
    kept.when(ONA, KeepPromise { promise: GLASSES }).unwrap();
    assert_eq!(stage(&kept), PromiseStage::Kept);

    let mut revised = at_risk();
    let events = revised
        .when(ONA, revise("2026-03-12 17:00", "Courier strike", true))
        .unwrap();
    assert!(matches!(
        events[0],
        Event::Promise(PromiseEvent::Revised {
            timing: RevisionTiming::Proactive,
            ..
        })
    ));
    assert_eq!(stage(&revised), PromiseStage::Open);
    // A new due instant gets its own warning.
    assert_eq!(
        envelope_kinds(&revised.run_until("2026-03-11 17:00", 10)),
        ["promise_at_risk"]
    );

    let mut withdrawn = at_risk();
    withdrawn
        .when(
            ONA,
            WithdrawPromise {
                promise: GLASSES,
                reason: text("Cancelled the order").into(),
            },
        )
        .unwrap();
    assert_eq!(stage(&withdrawn), PromiseStage::Withdrawn);

    let mut open = promised();
    open.when(
        ONA,
        WithdrawPromise {
            promise: GLASSES,
            reason: text("Changed her mind").into(),
        },
    )
    .unwrap();
    assert_eq!(stage(&open), PromiseStage::Withdrawn);
    assert_eq!(open.ledger.next_deadline(), None);
    for w in [kept, revised, withdrawn, open] {
        w.assert_replay_matches();
    }
}

/// A stored promise event that contradicts the promise it is applied to (as a tampered or
/// mixed-up log would have) is refused on replay, and names itself.
#[test]
fn replay_refuses_promise_events_that_contradict_the_promise() {
    use clientele::{Envelope, Relationship, ReplayError};
    // Given the lab's date passing, a revision the customer agreed to, and the new date passing,
    let mut w = promised();
    w.at("2026-03-03 09:00");
    w.when(
        ONA,
        RecordDependency {
            promise: GLASSES,
            party: LAB,
            commitment: text("Lenses fitted").into(),
            reference: None,
            due: t("2026-03-05 12:00"),
        },
    )
    .unwrap();
    w.run_until("2026-03-05 12:00", 10);
    w.at("2026-03-06 09:00");
    w.when(ONA, revise("2026-03-10 17:00", "Lab is late", true))
        .unwrap();
    w.run_until("2026-03-11 09:00", 10);
    let log = w.log.clone();
    assert!(Relationship::replay(ONA, &log).is_ok());
    // when one of those events is changed and applied after the events before it,
    let tampered = |kind: &str, change: &dyn Fn(&mut Event)| {
        let at = log.iter().position(|e| e.event.kind() == kind).unwrap();
        let mut relationship = Relationship::replay(ONA, &log[..at]).unwrap();
        let mut envelope: Envelope = log[at].clone();
        change(&mut envelope.event);
        relationship.apply(&envelope)
    };
    let does_not_fit = |result: Result<(), ReplayError>, kind: &str| {
        assert!(
            matches!(&result, Err(ReplayError::DoesNotFit { kind: k, .. }) if *k == kind),
            "{kind}: {result:?}"
        );
    };
    // then a revision from a due instant the promise never had does not fit,
    does_not_fit(
        tampered("promise_revised", &|event| {
            if let Event::Promise(PromiseEvent::Revised { previous_due, .. }) = event {
                *previous_due = t("2026-03-09 16:00");
            }
        }),
        "promise_revised",
    );
    // nor a break of another due instant, even with the right count of breaks,
    does_not_fit(
        tampered("promise_broken", &|event| {
            if let Event::Promise(PromiseEvent::Broken { due, .. }) = event {
                *due = t("2026-03-10 16:00");
            }
        }),
        "promise_broken",
    );
    // nor the lab's commitment reported late before its date.
    let early = {
        let at = log
            .iter()
            .position(|e| e.event.kind() == "dependency_late")
            .unwrap();
        let mut relationship = Relationship::replay(ONA, &log[..at]).unwrap();
        let mut envelope = log[at].clone();
        envelope.at = t("2026-03-05 11:59");
        relationship.apply(&envelope)
    };
    does_not_fit(early, "dependency_late");
}

/// The level view does not depend on the timer: a promise re-promised while its lab is late is
/// at risk since the lab's date, before `advance_to` records the new warning and after.
#[test]
fn a_promise_is_at_risk_since_the_same_instant_whether_or_not_advance_to_ran() {
    // Given the lab late on 5 Mar, and the promise moved to 12 Mar (its warning on 11 Mar),
    let mut w = promised();
    w.at("2026-03-03 09:00");
    w.when(
        ONA,
        RecordDependency {
            promise: GLASSES,
            party: LAB,
            commitment: text("Lenses fitted").into(),
            reference: None,
            due: t("2026-03-05 12:00"),
        },
    )
    .unwrap();
    w.run_until("2026-03-05 12:00", 10);
    w.at("2026-03-06 09:00");
    w.when(ONA, revise("2026-03-12 17:00", "Lab is late", true))
        .unwrap();
    // when the flags are asked on 11 Mar after the warning instant, before and after
    // `advance_to` has recorded the warning,
    let now = t("2026-03-11 18:00");
    let before = w.relationship(ONA).flags(now);
    let woke = w.run_until("2026-03-11 18:00", 10);
    assert_eq!(envelope_kinds(&woke), ["promise_at_risk"]);
    let after = w.relationship(ONA).flags(now);
    // then they are the same: at risk since the lab's date.
    assert_eq!(before, after);
    let at_risk: Vec<_> = after
        .iter()
        .filter(|f| f.kind == FlagKind::PromiseAtRisk)
        .map(|f| f.since)
        .collect();
    assert_eq!(at_risk, [t("2026-03-05 12:00")]);
}

/// Asked about a moment before the latest recorded fact, the level view has no true answer
/// from the current state: `try_flags` refuses it, and `flags` answers for the latest fact's
/// instant, never with a flag dated after the moment it answers for.
#[test]
fn flags_before_the_latest_fact_are_refused_or_answered_for_that_fact() {
    use clientele::error::ViewError;
    // Given the promise broken on Mon 9 Mar at 17:00, the latest fact recorded,
    let mut w = promised();
    w.run_until("2026-03-09 17:00", 10);
    let r = w.relationship(ONA);
    // when the flags are asked about 15:00 that day,
    let earlier = t("2026-03-09 15:00");
    // then `try_flags` refuses, naming the latest fact,
    assert_eq!(
        r.try_flags(earlier),
        Err(ViewError::BeforeLatestFact {
            now: earlier,
            latest: t("2026-03-09 17:00")
        })
    );
    // `flags` answers for 17:00,
    assert_eq!(r.flags(earlier), r.flags(t("2026-03-09 17:00")));
    // and at or after the latest fact both agree.
    let later = t("2026-03-09 17:00");
    assert_eq!(r.try_flags(later), Ok(r.flags(later)));
}

/// A stored warning must fit the promise it warns about: the right owner, and not before its
/// lead, even when the due instant it names is right.
#[test]
fn replay_refuses_a_tampered_at_risk_warning() {
    use clientele::{Relationship, ReplayError};
    // Given the warning raised at the lead, a day before the due instant,
    let mut w = promised();
    w.run_until("2026-03-08 17:00", 10);
    let log = w.log.clone();
    let at = log
        .iter()
        .position(|e| e.event.kind() == "promise_at_risk")
        .unwrap();
    assert_eq!(log[at].at, t("2026-03-08 17:00"));
    let before = Relationship::replay(ONA, &log[..at]).unwrap();
    let does_not_fit = |envelope: &clientele::Envelope| {
        let result = before.clone().apply(envelope);
        assert!(
            matches!(
                &result,
                Err(ReplayError::DoesNotFit {
                    kind: "promise_at_risk",
                    ..
                })
            ),
            "{result:?}"
        );
    };
    assert!(before.clone().apply(&log[at]).is_ok());
    // when it names another owner, it does not fit;
    let mut other_owner = log[at].clone();
    if let Event::Promise(PromiseEvent::AtRisk { owner, .. }) = &mut other_owner.event {
        *owner = AgentId::from_u128(0xbad);
    }
    does_not_fit(&other_owner);
    // nor when it is dated before the lead.
    let mut early = log[at].clone();
    early.at = t("2026-03-08 16:59");
    does_not_fit(&early);
}
