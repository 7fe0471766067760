//! Serde helpers for the compact (binary) form of the state a [snapshot](crate::snapshot)
//! saves. Each writes the usual human-readable form (what JSON shows) when the format is
//! human readable, and a compact one otherwise: an instant as seconds and nanoseconds since
//! the epoch rather than an RFC 3339 string, which a binary snapshot would otherwise carry and
//! parse for every instant it holds.
//!
//! Used as `#[serde(with = "crate::compact::instant")]` on the state types' fields; it
//! imports nothing else of the crate, so any module may use it.

/// An instant: RFC 3339 for people, `(seconds, nanoseconds)` since the epoch in binary.
pub(crate) mod instant {
    use chrono::{DateTime, Utc};
    use serde::de::Error as _;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub(crate) fn serialize<S: Serializer>(at: &DateTime<Utc>, s: S) -> Result<S::Ok, S::Error> {
        if s.is_human_readable() {
            at.serialize(s)
        } else {
            (at.timestamp(), at.timestamp_subsec_nanos()).serialize(s)
        }
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<DateTime<Utc>, D::Error> {
        if d.is_human_readable() {
            DateTime::deserialize(d)
        } else {
            let (secs, nanos) = <(i64, u32)>::deserialize(d)?;
            from_timestamp(secs, nanos).ok_or_else(|| D::Error::custom("an instant out of range"))
        }
    }

    /// `DateTime::from_timestamp`, remembering the last day it worked out (per thread): the
    /// instants of a snapshot fall on few days, and the day's date is most of the conversion.
    fn from_timestamp(secs: i64, nanos: u32) -> Option<DateTime<Utc>> {
        use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
        use std::cell::Cell;

        thread_local! {
            static LAST_DAY: Cell<Option<(i64, NaiveDate)>> = const { Cell::new(None) };
        }
        let day = secs.div_euclid(86_400);
        let second = u32::try_from(secs.rem_euclid(86_400)).ok()?;
        let time = NaiveTime::from_num_seconds_from_midnight_opt(second, nanos)?;
        let date = match LAST_DAY.get() {
            Some((last, date)) if last == day => date,
            _ => {
                let date = DateTime::from_timestamp(day.checked_mul(86_400)?, 0)?.date_naive();
                LAST_DAY.set(Some((day, date)));
                date
            }
        };
        Some(NaiveDateTime::new(date, time).and_utc())
    }

    /// The same, for an optional instant.
    pub(crate) mod option {
        use chrono::{DateTime, Utc};
        use serde::{Deserialize, Deserializer, Serialize, Serializer};

        #[derive(Serialize, Deserialize)]
        struct At(#[serde(with = "super")] DateTime<Utc>);

        pub(crate) fn serialize<S: Serializer>(
            at: &Option<DateTime<Utc>>,
            s: S,
        ) -> Result<S::Ok, S::Error> {
            at.map(At).serialize(s)
        }

        pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
            d: D,
        ) -> Result<Option<DateTime<Utc>>, D::Error> {
            Ok(Option::<At>::deserialize(d)?.map(|At(at)| at))
        }
    }
}

/// An instant in the form of [`instant`], as a type: for instants inside tuples and
/// collections.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct At(pub(crate) chrono::DateTime<chrono::Utc>);

impl serde::Serialize for At {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        instant::serialize(&self.0, s)
    }
}

impl<'de> serde::Deserialize<'de> for At {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        instant::deserialize(d).map(At)
    }
}

/// Reads a list straight into the collection it is kept in, each element through `each`,
/// without a `Vec` in between (a restore reads millions of short lists). Room is made for at
/// most a mebibyte of elements from the length the input gives, as serde's own `Vec` does.
fn stream<'de, D, T, U, C>(d: D, each: fn(T) -> U) -> Result<C, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::Deserialize<'de>,
    C: FromIterator<U>,
{
    d.deserialize_seq(Stream(each, std::marker::PhantomData))
}

/// The visitor of [`stream`].
struct Stream<T, U, C>(fn(T) -> U, std::marker::PhantomData<fn() -> C>);

impl<'de, T: serde::Deserialize<'de>, U, C: FromIterator<U>> serde::de::Visitor<'de>
    for Stream<T, U, C>
{
    type Value = C;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a list")
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, seq: A) -> Result<C, A::Error> {
        let most = (1 << 20) / std::mem::size_of::<U>().max(1);
        let mut elements = Elements {
            left: seq.size_hint().unwrap_or(0).min(most),
            seq,
            each: self.0,
            failure: None,
            de: std::marker::PhantomData,
        };
        let collected = elements.by_ref().collect();
        elements.failure.map_or(Ok(collected), Err)
    }
}

/// A list's elements as an iterator, stopping at the first that does not read (kept in
/// `failure`).
struct Elements<'de, A: serde::de::SeqAccess<'de>, T, U> {
    seq: A,
    each: fn(T) -> U,
    /// How many elements the input says are left (bounded).
    left: usize,
    failure: Option<A::Error>,
    de: std::marker::PhantomData<&'de ()>,
}

impl<'de, A: serde::de::SeqAccess<'de>, T: serde::Deserialize<'de>, U> Iterator
    for Elements<'de, A, T, U>
{
    type Item = U;

    fn next(&mut self) -> Option<U> {
        match self.seq.next_element::<T>() {
            Ok(element) => {
                self.left = self.left.saturating_sub(1);
                element.map(self.each)
            }
            Err(error) => {
                self.failure = Some(error);
                None
            }
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.left, None)
    }
}

/// A list of `(instant, value)` pairs, each instant in the form of [`instant`] (any list
/// type: a `Vec` or a shared sequence).
pub(crate) mod timed {
    use chrono::{DateTime, Utc};
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    use super::At;

    pub(crate) fn serialize<'a, S, T, C>(items: &'a C, s: S) -> Result<S::Ok, S::Error>
    where
        S: Serializer,
        T: Serialize + 'a,
        &'a C: IntoIterator<Item = &'a (DateTime<Utc>, T)>,
    {
        s.collect_seq(items.into_iter().map(|(at, value)| (At(*at), value)))
    }

    pub(crate) fn deserialize<'de, D, T, C>(d: D) -> Result<C, D::Error>
    where
        D: Deserializer<'de>,
        T: Deserialize<'de>,
        C: FromIterator<(DateTime<Utc>, T)>,
    {
        super::stream(d, |(At(at), value): (At, T)| (at, value))
    }
}

/// A list of instants, each in the form of [`instant`] (any list type).
pub(crate) mod instants {
    use chrono::{DateTime, Utc};
    use serde::{Deserializer, Serializer};

    use super::At;

    pub(crate) fn serialize<'a, S, C>(items: &'a C, s: S) -> Result<S::Ok, S::Error>
    where
        S: Serializer,
        &'a C: IntoIterator<Item = &'a DateTime<Utc>>,
    {
        s.collect_seq(items.into_iter().map(|at| At(*at)))
    }

    pub(crate) fn deserialize<'de, D, C>(d: D) -> Result<C, D::Error>
    where
        D: Deserializer<'de>,
        C: FromIterator<DateTime<Utc>>,
    {
        super::stream(d, |At(at)| at)
    }
}

/// A map written as a list of `(key, value)` pairs: JSON keys must be strings, and the
/// state's maps are keyed by ids and enums.
pub(crate) mod pairs {
    use std::collections::BTreeMap;

    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub(crate) fn serialize<S: Serializer, K: Serialize, V: Serialize>(
        map: &BTreeMap<K, V>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        s.collect_seq(map.iter())
    }

    pub(crate) fn deserialize<
        'de,
        D: Deserializer<'de>,
        K: Deserialize<'de> + Ord,
        V: Deserialize<'de>,
    >(
        d: D,
    ) -> Result<BTreeMap<K, V>, D::Error> {
        super::stream(d, |pair: (K, V)| pair)
    }
}

/// A map from keys to a pair of instants (when an item's first and latest facts happened),
/// as [`pairs`], each instant in the form of [`instant`]: the same JSON, and no RFC 3339
/// text for a binary snapshot to parse.
pub(crate) mod instant_pairs {
    use chrono::{DateTime, Utc};
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    use super::At;
    use crate::shared::Map;

    /// Keys to their first and latest instants.
    type Spans<K> = Map<K, (DateTime<Utc>, DateTime<Utc>)>;

    pub(crate) fn serialize<S: Serializer, K: Serialize + Ord + Clone>(
        map: &Spans<K>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        // Collected first: a binary format writes the length before the entries.
        let entries: Vec<_> = map
            .iter()
            .map(|(key, (first, latest))| (key, (At(*first), At(*latest))))
            .collect();
        s.collect_seq(entries)
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>, K: Deserialize<'de> + Ord + Clone>(
        d: D,
    ) -> Result<Spans<K>, D::Error> {
        super::stream(d, |(key, (At(first), At(latest))): (K, (At, At))| {
            (key, (first, latest))
        })
    }
}

/// A value written in its wire form for people and by `$remote` (a `#[serde(remote)]` copy of
/// its definition, externally tagged, every field present) in binary: the wire forms of a few
/// types are tagged inside the object or leave fields out, which a binary format that does not
/// describe itself cannot read back.
macro_rules! either_form {
    ($module:ident, $ty:ty, $remote:ty, with option) => {
        $crate::compact::either_form!($module, $ty, $remote, {
            /// The same, for an optional value.
            pub(crate) mod option {
                use serde::{Deserialize, Deserializer, Serialize, Serializer};

                #[allow(clippy::wildcard_imports)]
                use super::super::*;

                #[derive(Deserialize)]
                struct Of(#[serde(with = "super")] $ty);

                struct Ref<'a>(&'a $ty);

                impl Serialize for Ref<'_> {
                    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                        super::serialize(self.0, s)
                    }
                }

                pub(crate) fn serialize<S: Serializer>(
                    value: &Option<$ty>,
                    s: S,
                ) -> Result<S::Ok, S::Error> {
                    value.as_ref().map(Ref).serialize(s)
                }

                pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
                    d: D,
                ) -> Result<Option<$ty>, D::Error> {
                    Ok(Option::<Of>::deserialize(d)?.map(|Of(value)| value))
                }
            }
        });
    };
    ($module:ident, $ty:ty, $remote:ty) => {
        $crate::compact::either_form!($module, $ty, $remote, {});
    };
    ($module:ident, $ty:ty, $remote:ty, { $($option:tt)* }) => {
        pub(crate) mod $module {
            use serde::{Deserialize, Deserializer, Serialize, Serializer};

            #[allow(clippy::wildcard_imports)]
            use super::*;

            pub(crate) fn serialize<S: Serializer>(value: &$ty, s: S) -> Result<S::Ok, S::Error> {
                if s.is_human_readable() {
                    value.serialize(s)
                } else {
                    <$remote>::serialize(value, s)
                }
            }

            pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<$ty, D::Error> {
                if d.is_human_readable() {
                    <$ty>::deserialize(d)
                } else {
                    <$remote>::deserialize(d)
                }
            }

            $($option)*
        }
    };
}

pub(crate) use either_form;

/// A part most values leave at its default, boxed when it is not (`None` stands for the
/// default): written as the part itself, so boxing it changes no snapshot.
pub(crate) mod rare {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub(crate) fn serialize<T, S>(part: &Option<Box<T>>, s: S) -> Result<S::Ok, S::Error>
    where
        T: Serialize + Default,
        S: Serializer,
    {
        match part {
            Some(part) => part.serialize(s),
            None => T::default().serialize(s),
        }
    }

    pub(crate) fn deserialize<'de, T, D>(d: D) -> Result<Option<Box<T>>, D::Error>
    where
        T: Deserialize<'de> + Default + PartialEq,
        D: Deserializer<'de>,
    {
        let part = T::deserialize(d)?;
        Ok((part != T::default()).then(|| Box::new(part)))
    }
}

#[cfg(test)]
mod tests {
    use chrono::DateTime;

    /// Instants read from the binary form are chrono's, whatever day the last one fell on.
    #[test]
    fn an_instant_reads_as_chrono_reads_its_timestamp() {
        let cases = [
            (0, 0),
            (86_399, 999_999_999),
            (86_400, 0),
            (-1, 5),
            (-86_401, 0),
            (1_772_438_400, 1),
            (1_772_438_459, 1_500_000_000),
            (1_772_438_400, 1_500_000_000),
            (1_772_438_401, 2_000_000_000),
            (i64::MAX, 0),
            (i64::MIN, 0),
            (8_210_266_876_799, 0),
            (8_210_266_876_800, 0),
        ];
        for _ in 0..2 {
            for (secs, nanos) in cases {
                let bytes = postcard::to_allocvec(&(secs, nanos)).unwrap_or_default();
                let read =
                    super::instant::deserialize(&mut postcard::Deserializer::from_bytes(&bytes))
                        .ok();
                assert_eq!(
                    read,
                    DateTime::from_timestamp(secs, nanos),
                    "{secs} {nanos}"
                );
            }
        }
    }
}
