//! Relationships with many open items take `advance_to`'s listed path (more than 16 items),
//! not the rescan small ones use. Whatever the path, advancing once to an instant must give
//! the same events, in the same order, dated the same, and the same state, as waking for every
//! deadline in turn; and replaying the log gives the state back.

mod support;

use chrono::TimeDelta;
use clientele::{
    AcknowledgeComplaint, Channel, ComplaintId, Envelope, MakePromise, PartyId, PromiseId,
    ReceiveComplaint, RecordDependency, Relationship, RevisePromise, ServicePolicy,
};
use proptest::prelude::*;
use support::*;

/// One open item of a large relationship.
#[derive(Debug, Clone)]
enum Item {
    /// A promise due this many minutes after Monday 09:00, maybe with the lab's date before it.
    Promise { due: i64, lab: Option<i64> },
    /// A complaint received, maybe acknowledged, answered by the promises made after it.
    Complaint { acknowledged: bool },
    /// The latest promise re-promised this many minutes later (a second break escalates).
    Revise { by: i64 },
}

fn item() -> impl Strategy<Value = Item> {
    prop_oneof![
        6 => (1i64..6_000, proptest::option::of(1i64..6_000))
            .prop_map(|(due, lab)| Item::Promise { due, lab }),
        1 => any::<bool>().prop_map(|acknowledged| Item::Complaint { acknowledged }),
        2 => (1i64..3_000).prop_map(|by| Item::Revise { by }),
    ]
}

/// Decides the items in order, at Monday 09:00, ignoring refusals (a revision of nothing).
fn opened(items: &[Item]) -> (ServicePolicy, Relationship, Vec<Envelope>) {
    let policy = ServicePolicy::default();
    let monday = t("2026-03-02 09:00");
    let mut ona = Relationship::new(ONA);
    let mut log = ona
        .execute(
            &policy,
            clientele::RegisterCustomer {
                owner: Some(AGENT),
                ..clientele::RegisterCustomer::new(text("Ona"), tier("standard"))
            },
            monday,
        )
        .unwrap();
    let mut complaint = None;
    let mut last: Option<(PromiseId, chrono::DateTime<chrono::Utc>)> = None;
    for (n, item) in items.iter().enumerate() {
        let n = u128::try_from(n).unwrap() + 1;
        let minutes = |m: i64| monday + TimeDelta::minutes(m);
        let result = match item {
            Item::Promise { due, lab } => {
                let id = PromiseId::from_u128(n);
                let mut make = MakePromise::new(id, text("a part"), minutes(*due), AGENT);
                if let Some(c) = complaint {
                    make = make.answering(c);
                }
                let made = ona.execute(&policy, make, monday);
                last = Some((id, minutes(*due)));
                made.and_then(|mut events| {
                    if let Some(lab) = lab {
                        let record = RecordDependency {
                            promise: id,
                            party: PartyId::from_u128(7),
                            commitment: text("ground").into(),
                            reference: None,
                            due: minutes(*lab),
                        };
                        events.extend(ona.execute(&policy, record, monday)?);
                    }
                    Ok(events)
                })
            }
            Item::Complaint { acknowledged } => {
                let id = ComplaintId::from_u128(n);
                complaint = Some(id);
                let received = ReceiveComplaint::new(id, Channel::Phone, text("late"));
                ona.execute(&policy, received, monday)
                    .and_then(|mut events| {
                        if *acknowledged {
                            let ack = AcknowledgeComplaint {
                                complaint: id,
                                by: AGENT,
                            };
                            events.extend(ona.execute(&policy, ack, monday)?);
                        }
                        Ok(events)
                    })
            }
            Item::Revise { by } => match last {
                Some((promise, due)) => {
                    let revise = RevisePromise {
                        promise,
                        due: due + TimeDelta::minutes(*by),
                        reason: text("the lab is late").into(),
                        customer_agreed: false,
                    };
                    ona.execute(&policy, revise, monday)
                }
                None => continue,
            },
        };
        if let Ok(events) = result {
            log.extend(events);
        }
    }
    (policy, ona, log)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn advancing_once_equals_waking_for_every_deadline(
        items in prop::collection::vec(item(), 17..60),
        hours in 1i64..200,
    ) {
        let (policy, ona, log) = opened(&items);
        let until = t("2026-03-02 09:00") + TimeDelta::hours(hours);

        let mut once = ona.clone();
        let fired_once = once.advance_to(&policy, until);

        let mut stepped = ona.clone();
        let mut fired_stepped = Vec::new();
        let mut wakes = 0;
        while let Some(deadline) = stepped.next_deadline().filter(|d| d.at <= until) {
            fired_stepped.extend(stepped.advance_to(&policy, deadline.at));
            wakes += 1;
            prop_assert!(wakes < 10_000, "the deadlines never ran out");
        }
        fired_stepped.extend(stepped.advance_to(&policy, until));

        prop_assert_eq!(&fired_once, &fired_stepped);
        prop_assert_eq!(&once, &stepped);
        // Every fired event is dated at or before `until`, in time order.
        prop_assert!(fired_once.iter().all(|e| e.at <= until));
        prop_assert!(fired_once.windows(2).all(|w| w[0].at <= w[1].at));
        // And the whole log replays to the same state.
        let whole: Vec<Envelope> = log.iter().chain(&fired_once).cloned().collect();
        let replayed = Relationship::replay(ONA, &whole).unwrap();
        prop_assert_eq!(&replayed, &once);
    }
}
