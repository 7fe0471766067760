//! The archive's tests: runs, the filter, the buffer and its room, folds and copies.

use super::{Archive, Entry, FILTER_FROM, FOLD_AT, GROWTH, Rank, SortedStore, Store, find};
use crate::compact::At;
use crate::id::{InteractionId, PromiseId};
use crate::promise::PromiseStage;
use chrono::DateTime;
use proptest::prelude::{prop_assert, prop_assert_eq, proptest};

/// Random-looking ids (a multiplicative hash), as UUIDv4 arrive.
fn scattered(i: u128) -> u128 {
    i.wrapping_mul(0x9e37_79b9_7f4a_7c15_f39c_c060_5ced_c835)
        .wrapping_add(1)
}

#[test]
fn runs_stay_few_exactly_sized_and_find_every_id_in_any_order() {
    for ids in [
        (0..5_000).map(scattered).collect::<Vec<_>>(),
        (1..=5_000).collect(),
        (1..=5_000).rev().collect(),
    ] {
        let mut archive = Archive::default();
        for id in &ids {
            archive.insert(Entry::Interaction(InteractionId::from_u128(*id)));
        }
        let store = archive.stored().unwrap_or_else(|| unreachable!());
        let runs = &store.interactions.runs;
        assert_eq!(archive.len(), ids.len());
        assert!(runs.len() <= 6, "{} runs for 5,000 ids", runs.len());
        for pair in runs.windows(2) {
            let [older, newer] = pair else { unreachable!() };
            assert!(
                older.len() >= GROWTH * newer.len(),
                "each run longer than the next"
            );
        }
        for run in runs {
            assert!(
                run.windows(2).all(|w| w[0].0 < w[1].0),
                "sorted, each id once"
            );
        }
        assert!(
            ids.iter()
                .all(|id| archive.has_interaction(InteractionId::from_u128(*id)))
        );
        assert!(!archive.has_interaction(InteractionId::from_u128(0)));
        assert!(!archive.has_interaction(InteractionId::from_u128(scattered(5_000))));
    }
}

#[test]
fn an_id_archived_again_reads_as_its_latest_entry_and_is_kept_once() {
    let made = At(DateTime::UNIX_EPOCH);
    let promise = |stage| Entry::Promise(PromiseId::from_u128(7), stage, made);
    let mut archive = Archive::default();
    archive.insert(promise(PromiseStage::Kept));
    for i in 0..40 {
        archive.insert(Entry::Interaction(InteractionId::from_u128(scattered(i))));
    }
    archive.insert(promise(PromiseStage::Withdrawn));
    assert_eq!(
        archive.promise(PromiseId::from_u128(7)),
        Some(PromiseStage::Withdrawn)
    );
    for i in 40..100 {
        archive.insert(Entry::Interaction(InteractionId::from_u128(scattered(i))));
    }
    assert_eq!(
        archive.promise(PromiseId::from_u128(7)),
        Some(PromiseStage::Withdrawn)
    );
    let store = Store::from(archive);
    assert_eq!(store.promises.len(), 1, "merged: kept once");
}

#[test]
fn a_short_archive_reads_back_into_the_buffer_each_id_once_at_its_latest() {
    let made = At(DateTime::UNIX_EPOCH);
    let (asked, promised) = (InteractionId::from_u128(3), PromiseId::from_u128(7));
    // Written by hand, each id twice (the promise's latest entry last).
    let read = Archive::from(SortedStore {
        interactions: vec![asked, asked],
        promises: vec![
            (promised, (PromiseStage::Kept, made)),
            (promised, (PromiseStage::Withdrawn, made)),
        ],
        follow_ups: Vec::new(),
    });
    assert!(read.stored().is_none(), "no store for a short archive");
    assert_eq!((read.len(), read.recent.len()), (2, 2));
    assert!(read.has_interaction(asked));
    assert_eq!(read.promise(promised), Some(PromiseStage::Withdrawn));
    let mut live = Archive::default();
    live.insert(Entry::Promise(promised, PromiseStage::Withdrawn, made));
    live.insert(Entry::Interaction(asked));
    assert_eq!(read, live);
    // As many entries as fold: read into the store.
    let ids = (0..FOLD_AT as u128).map(InteractionId::from_u128).collect();
    let long = Archive::from(SortedStore {
        interactions: ids,
        promises: Vec::new(),
        follow_ups: Vec::new(),
    });
    assert!(long.recent.is_empty() && long.stored().is_some_and(|s| s.len() == FOLD_AT));
}

#[test]
fn the_buffer_grows_with_room_is_trimmed_to_its_exact_size_then_folds() {
    let (mut archive, mut sizes, mut trimmed) = (Archive::default(), Vec::new(), Vec::new());
    for n in 0..FOLD_AT as u128 {
        archive.insert(Entry::Interaction(InteractionId::from_u128(n)));
        sizes.push(archive.recent.len());
        let mut at_rest = archive.clone();
        at_rest.trim();
        trimmed.push(at_rest.recent.len());
        assert_eq!(at_rest, archive);
        assert_eq!(format!("{at_rest:?}"), format!("{archive:?}"));
        let json = |a: &Archive| serde_json::to_string(a).unwrap_or_default();
        assert_eq!(json(&at_rest), json(&archive));
    }
    assert_eq!(sizes, [1, 4, 4, 4, 8, 8, 8, 0]);
    assert_eq!(trimmed, [1, 2, 3, 4, 5, 6, 7, 0]);
    assert!(archive.stored().is_some_and(|s| s.len() == FOLD_AT));
}

#[test]
fn the_written_store_is_sorted_whatever_the_order_of_arrival() {
    let ids: Vec<u128> = (0..300).map(scattered).collect();
    let fill = |ids: &mut dyn Iterator<Item = &u128>| {
        let mut archive = Archive::default();
        for id in ids {
            archive.insert(Entry::Interaction(InteractionId::from_u128(*id)));
        }
        archive
    };
    let forward = fill(&mut ids.iter());
    let backward = fill(&mut ids.iter().rev());
    let written = postcard::to_stdvec(&forward).unwrap_or_default();
    assert!(!written.is_empty());
    assert_eq!(written, postcard::to_stdvec(&backward).unwrap_or_default());
    assert_eq!(forward, backward);
    let read: Archive = postcard::from_bytes(&written).unwrap_or_else(|_| unreachable!());
    assert_eq!(read, forward);
    let mut sorted = ids.clone();
    sorted.sort_unstable();
    let json = serde_json::to_value(&forward).unwrap_or_default();
    let listed: Vec<u128> = json["interactions"]
        .as_array()
        .unwrap_or_else(|| unreachable!())
        .iter()
        .map(|id| {
            let id: InteractionId =
                serde_json::from_value(id.clone()).unwrap_or_else(|_| unreachable!());
            id.as_uuid().as_u128()
        })
        .collect();
    assert_eq!(listed, sorted);
}

#[test]
fn a_run_is_searched_alike_however_its_ids_are_spread() {
    let spreads: [Vec<u128>; 4] = [
        (0..3_000).map(scattered).collect(),
        (1..=3_000).collect(),
        // Mostly counters, and a few ids far away: guesses land far off.
        (1..=3_000)
            .chain([u128::MAX - 5, u128::MAX - 1, 1 << 100])
            .collect(),
        (0..3_000)
            .map(|i| 1_u128 << (i % 127))
            .map(|x| x + 3)
            .collect(),
    ];
    for ids in spreads {
        let mut run: Vec<(InteractionId, ())> = ids
            .iter()
            .map(|id| (InteractionId::from_u128(*id), ()))
            .collect();
        run.sort_unstable_by_key(|(id, _)| *id);
        run.dedup_by_key(|(id, _)| *id);
        let probes = ids
            .iter()
            .flat_map(|id| [*id, id.wrapping_add(1), id.wrapping_sub(1)])
            .chain([0, u128::MAX]);
        for probe in probes {
            let id = InteractionId::from_u128(probe);
            let expected = run.binary_search_by(|(k, _)| k.cmp(&id)).ok();
            assert_eq!(find(&run, &id), expected, "{probe:#x}");
        }
    }
}

proptest! {
    /// The filter never denies an archived id (a false negative would let a duplicate id
    /// in) and denies nearly every absent one (else each new id is searched for in every
    /// run), whether ids arrive at random or as counters, as interactions or promises.
    #[test]
    fn the_filter_holds_every_archived_id_and_few_absent_ones(
        len in FILTER_FROM..3_000_usize,
        start in 0..u128::from(u64::MAX),
        random in proptest::bool::ANY,
    ) {
        let id = |i: usize| {
            let n = start + i as u128;
            if random { scattered(n) } else { n }
        };
        let mut archive = Archive::default();
        for i in 0..len {
            let n = id(i);
            archive.insert(if i % 3 == 0 {
                Entry::Promise(PromiseId::from_u128(n), PromiseStage::Kept, At(DateTime::UNIX_EPOCH))
            } else {
                Entry::Interaction(InteractionId::from_u128(n))
            });
        }
        // The store, with the buffer's last entries folded in.
        let store = Store::from(archive.clone());
        prop_assert!(store.filter.capacity() >= store.len(), "the filter is kept up to date");
        for i in 0..len {
            let (interaction, promise) =
                (InteractionId::from_u128(id(i)), PromiseId::from_u128(id(i)));
            let held = if i % 3 == 0 { promise.key() } else { interaction.key() };
            prop_assert!(store.filter.may_hold(held), "archived id {i} denied");
            prop_assert_eq!(archive.has_interaction(interaction), i % 3 != 0);
            prop_assert_eq!(archive.promise(promise).is_some(), i % 3 == 0);
        }
        let absent = (len..len + 2_000).map(|i| InteractionId::from_u128(id(i)));
        let mut passed = 0;
        for id in absent {
            prop_assert!(!archive.has_interaction(id));
            passed += usize::from(store.filter.may_hold(id.key()));
        }
        // About 3.4 % when full, on average; a small filter near full passes more by
        // chance (the worst of 2,000 stores measured: 4.4 %; a CI run drew 117 counters
        // from 5586732711733513057 passing 5.1 %). A broken filter passes far more.
        prop_assert!(passed < 150, "{passed} of 2,000 absent ids passed the filter");
    }
}
