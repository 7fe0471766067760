//! Streaming decoding of a stored envelope, without a JSON tree of the input.
//!
//! One pass over the envelope object keeps each known field as the raw JSON text of its value
//! (a [`RawValue`]: a slice of the input, syntax checked) and scans any other field strictly.
//! Then, in the order the tree-based reader checked them ([`crate::event::upcast::envelope`]),
//! so every input gets the same [`DecodeError`] variant it got before:
//!
//! 1. Anything that is not JSON, a key given twice in any object at any depth, nesting past
//!    serde_json's limit of 127 levels: [`DecodeError::Malformed`]. The event is scanned once
//!    for this ([`Scan`]), without building anything; the scan also reads its `type` and
//!    measures how deep it nests.
//! 2. `v`, then the event's `type`, then the kind in that version, then the header fields.
//! 3. The event, deserialized from its raw text straight into its family's enum (found from
//!    the kind in [`Event::KINDS`]), or through the older form it was stored in. An event that
//!    nests deeper than any event can ([`MAX_EVENT_NESTING`]) is refused before that, so a
//!    hostile value never gets buffered by serde's internally tagged enums.

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;
use std::ops::Deref;

use chrono::{DateTime, Utc};
use rustc_hash::FxHashSet;
use serde::Deserialize;
use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;

use crate::error::DecodeError;
use crate::event::upcast::{DependencyRecordedV1, MAX_KIND_CHARS};
use crate::event::{Envelope, Event, Family, SCHEMA_VERSION};

/// serde_json refuses the 128th level of nesting ("recursion limit exceeded").
const MAX_NESTING: usize = 127;

/// The deepest an event may nest, counting the event object as 1. Events this build writes
/// nest at most 3 levels (`relationship_at_risk`'s `reasons`); the rest is room for fields a
/// later build of the same schema version may add (rule 2 of the event docs: an older reader
/// must read them and ignore them). Deeper is refused as [`DecodeError::Invalid`] before serde
/// buffers it, unknown fields included.
pub(crate) const MAX_EVENT_NESTING: usize = 16;

/// Inputs longer than this are checked for nesting past [`MAX_NESTING`] byte by byte first,
/// so a deep one is refused where it becomes too deep (the raw capture of a value keeps a
/// byte per open level); shorter ones cannot cost more than this many bytes.
const PRESCAN_OVER: usize = 4096;

/// Objects with more keys than this check for duplicates in a hash set, fewer in a list.
const FEW_KEYS: usize = 16;

/// Reads an envelope from JSON text (see the module docs).
pub(crate) fn from_str(json: &str) -> Result<Envelope, DecodeError> {
    // Anything but an object is refused at its first byte by serde_json below.
    if json.len() > PRESCAN_OVER
        && json.trim_start().starts_with('{')
        && let Some(at) = too_deep(json.as_bytes())
    {
        return Err(DecodeError::Malformed {
            reason: format!("nested more than {MAX_NESTING} levels deep at byte {at}"),
        });
    }
    let mut deserializer = serde_json::Deserializer::from_str(json);
    let fields = serde::Deserializer::deserialize_map(
        &mut deserializer,
        FieldsVisitor::<&RawValue>::default(),
    )
    .and_then(|fields| deserializer.end().map(|()| fields))
    .map_err(|e| DecodeError::Malformed {
        reason: e.to_string(),
    })?;
    envelope(&fields)
}

/// Reads an envelope from any deserializer that can give a [`RawValue`] (serde_json's, from
/// text, bytes, a reader or a `Value`).
pub(crate) fn deserialize<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Envelope, D::Error> {
    let fields = deserializer.deserialize_map(FieldsVisitor::<Box<RawValue>>::default())?;
    envelope(&fields).map_err(de::Error::custom)
}

/// The first byte at which `bytes` opens its 128th nested array or object, outside strings.
fn too_deep(bytes: &[u8]) -> Option<usize> {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for (at, &byte) in bytes.iter().enumerate() {
        if in_string {
            if escaped {
                escaped = false;
            } else if byte == b'\\' {
                escaped = true;
            } else if byte == b'"' {
                in_string = false;
            }
            continue;
        }
        match byte {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > MAX_NESTING {
                    return Some(at);
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

/// The envelope's known fields, each as the raw JSON of its value.
struct Fields<R> {
    v: Option<R>,
    customer: Option<R>,
    seq: Option<R>,
    at: Option<R>,
    key: Option<R>,
    recorded: Option<R>,
    event: Option<R>,
}

struct FieldsVisitor<R>(PhantomData<R>);

impl<R> Default for FieldsVisitor<R> {
    fn default() -> Self {
        Self(PhantomData)
    }
}

impl<'de, R: Deserialize<'de>> Visitor<'de> for FieldsVisitor<R> {
    type Value = Fields<R>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an envelope (a JSON object)")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut fields = Fields {
            v: None,
            customer: None,
            seq: None,
            at: None,
            key: None,
            recorded: None,
            event: None,
        };
        let mut keys = Keys::default();
        while let Some(key) = map.next_key_seed(KeySeed)? {
            let slot = match &*key {
                "v" => Some(&mut fields.v),
                "customer" => Some(&mut fields.customer),
                "seq" => Some(&mut fields.seq),
                "at" => Some(&mut fields.at),
                "key" => Some(&mut fields.key),
                "recorded" => Some(&mut fields.recorded),
                "event" => Some(&mut fields.event),
                _ => None,
            };
            match slot {
                Some(slot) => *slot = Some(map.next_value()?),
                None => {
                    map.next_value_seed(Scan::default())?;
                }
            }
            keys.insert(key)?;
        }
        Ok(fields)
    }
}

/// Keys seen in one object.
#[derive(Default)]
struct Keys<'de> {
    few: Vec<Cow<'de, str>>,
    many: FxHashSet<Cow<'de, str>>,
}

impl<'de> Keys<'de> {
    /// An error if `key` was seen already.
    fn insert<E: de::Error>(&mut self, key: Cow<'de, str>) -> Result<(), E> {
        let seen = if self.many.is_empty() {
            self.few.contains(&key)
        } else {
            self.many.contains(&key)
        };
        if seen {
            return Err(E::custom(format_args!("duplicate key {:?}", &*key)));
        }
        if self.many.is_empty() {
            self.few.push(key);
            if self.few.len() > FEW_KEYS {
                self.many.extend(self.few.drain(..));
            }
        } else {
            self.many.insert(key);
        }
        Ok(())
    }
}

/// An object key, borrowed from the input when it has no escapes.
struct KeySeed;

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Cow<'de, str>;

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeySeed {
    type Value = Cow<'de, str>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a key")
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed(v))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v.to_owned()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v))
    }
}

/// Reads a JSON value strictly without keeping it, as the tree-based reader did: numbers JSON
/// cannot hold and keys given twice are errors. Keeps how deep it
/// nests and, at the top of an object when asked, the text of its `type`.
#[derive(Clone, Copy, Default)]
struct Scan {
    /// Read the `type` of this object.
    tag: bool,
    /// Keep this string.
    text: bool,
}

/// What a [`Scan`] kept.
#[derive(Default)]
struct Scanned<'de> {
    /// Levels of arrays and objects: 0 for a scalar.
    nesting: usize,
    /// The string, or the object's `type`, when asked for and there.
    text: Option<Cow<'de, str>>,
}

impl<'de> DeserializeSeed<'de> for Scan {
    type Value = Scanned<'de>;

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Scan {
    type Value = Scanned<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
        Ok(Scanned::default())
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
        Ok(Scanned::default())
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
        Ok(Scanned::default())
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        if v.is_finite() {
            Ok(Scanned::default())
        } else {
            Err(E::custom("a number JSON cannot hold"))
        }
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Scanned {
            nesting: 0,
            text: self.text.then_some(Cow::Borrowed(v)),
        })
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Scanned {
            nesting: 0,
            text: self.text.then(|| Cow::Owned(v.to_owned())),
        })
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(Scanned {
            nesting: 0,
            text: self.text.then_some(Cow::Owned(v)),
        })
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Scanned::default())
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Scanned::default())
    }

    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        self.deserialize(d)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut deepest = 0;
        while let Some(item) = seq.next_element_seed(Scan::default())? {
            deepest = deepest.max(item.nesting);
        }
        Ok(Scanned {
            nesting: deepest + 1,
            text: None,
        })
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut keys = Keys::default();
        let mut deepest = 0;
        let mut tag = None;
        while let Some(key) = map.next_key_seed(KeySeed)? {
            let is_tag = self.tag && key == "type";
            let value = map.next_value_seed(Scan {
                tag: false,
                text: is_tag,
            })?;
            deepest = deepest.max(value.nesting);
            if is_tag {
                tag = value.text;
            }
            keys.insert(key)?;
        }
        Ok(Scanned {
            nesting: deepest + 1,
            text: tag,
        })
    }
}

/// `raw`, the value of one of the envelope's fields, scanned strictly; the error is the
/// reason the envelope is malformed. It nests one level inside the envelope, which counts
/// toward serde_json's limit.
fn scan(raw: &RawValue, seed: Scan) -> Result<Scanned<'_>, DecodeError> {
    let mut deserializer = serde_json::Deserializer::from_str(raw.get());
    let scanned = seed
        .deserialize(&mut deserializer)
        .map_err(|e| DecodeError::Malformed { reason: reason(&e) })?;
    if scanned.nesting >= MAX_NESTING {
        return Err(DecodeError::Malformed {
            reason: format!("nested more than {MAX_NESTING} levels deep"),
        });
    }
    Ok(scanned)
}

/// Whether the raw capture already checked `raw` as strictly as a scan: a string without
/// escapes (no lone surrogates to find) is; numbers (range) and containers (duplicate keys)
/// are not.
fn plain(raw: &RawValue) -> bool {
    let text = raw.get();
    text.starts_with('"') && !text.contains('\\')
}

/// A serde_json error's message without its position, which would count from the start of
/// the value rather than the input.
fn reason(e: &serde_json::Error) -> String {
    let mut text = e.to_string();
    if e.line() > 0
        && let Some(len) = text
            .strip_suffix(&format!(" at line {} column {}", e.line(), e.column()))
            .map(str::len)
    {
        text.truncate(len);
    }
    text
}

/// `raw` read as a `T`; the error is the reason the event is invalid.
fn typed<'a, T: Deserialize<'a>>(raw: &'a RawValue) -> Result<T, String> {
    serde_json::from_str(raw.get()).map_err(|e| reason(&e))
}

/// The envelope from its fields, checked in the order the tree-based reader checked them.
fn envelope<R: Deref<Target = RawValue>>(fields: &Fields<R>) -> Result<Envelope, DecodeError> {
    // 1. What the strict tree refused before anything else.
    for raw in [
        &fields.v,
        &fields.customer,
        &fields.seq,
        &fields.at,
        &fields.key,
        &fields.recorded,
    ]
    .into_iter()
    .flatten()
    {
        if !plain(raw) {
            scan(raw, Scan::default())?;
        }
    }
    let event = match &fields.event {
        Some(raw) => Some((
            &**raw,
            scan(
                raw,
                Scan {
                    tag: true,
                    text: false,
                },
            )?,
        )),
        None => None,
    };
    // 2. The version, the kind, the header.
    let kind = event
        .as_ref()
        .and_then(|(_, scanned)| scanned.text.as_deref())
        .map(|k| k.chars().take(MAX_KIND_CHARS).collect::<String>());
    let Some(version) = fields.v.as_deref().and_then(version) else {
        return Err(DecodeError::Malformed {
            reason: "`v` must be a schema version number".into(),
        });
    };
    let v = super::upcast::supported(version, kind.as_deref())?;
    let (Some((raw, scanned)), Some(kind)) = (event, kind) else {
        return Err(DecodeError::Malformed {
            reason: "the envelope has no event with a `type`".into(),
        });
    };
    let Some(known) = Event::kind_of(&kind).filter(|known| known.since <= v) else {
        return Err(DecodeError::UnknownKind { kind, version: v });
    };
    let invalid = |reason: String| DecodeError::Invalid {
        kind: kind.clone(),
        version: v,
        reason,
    };
    let header = header(fields).map_err(invalid)?;
    // 3. The event.
    if scanned.nesting > MAX_EVENT_NESTING {
        return Err(invalid(format!(
            "the event nests {} levels deep; no event nests more than {MAX_EVENT_NESTING}",
            scanned.nesting
        )));
    }
    let event = match (v, known.family) {
        (1, Family::Promise) if known.name == "dependency_recorded" => {
            typed::<DependencyRecordedV1>(raw).map(Event::from)
        }
        (_, Family::Customer) => typed(raw).map(Event::Customer),
        (_, Family::Response) => typed(raw).map(Event::Response),
        (_, Family::Promise) => typed(raw).map(Event::Promise),
        (_, Family::Complaint) => typed(raw).map(Event::Complaint),
        (_, Family::FollowUp) => typed(raw).map(Event::FollowUp),
        (_, Family::Survey) => typed(raw).map(Event::Survey),
        (_, Family::Health) => typed(raw).map(Event::Health),
    }
    .map_err(invalid)?;
    event.check_form(v).map_err(invalid)?;
    let (customer, seq, at, key, recorded) = header;
    crate::event::upcast::check_recorded(v, at, recorded).map_err(invalid)?;
    Ok(Envelope {
        v: SCHEMA_VERSION,
        customer,
        seq,
        at,
        event,
        key,
        recorded,
    })
}

/// The version as the tree-based reader read it: a JSON integer in `u64`'s range.
fn version(raw: &RawValue) -> Option<u64> {
    let text = raw.get();
    if !text.starts_with(|c: char| c == '-' || c.is_ascii_digit()) {
        return None;
    }
    serde_json::from_str::<serde_json::Number>(text)
        .ok()?
        .as_u64()
}

type Header = (
    crate::id::CustomerId,
    u64,
    DateTime<Utc>,
    Option<crate::value::IdempotencyKey>,
    Option<DateTime<Utc>>,
);

/// The header fields, the first wrong one named as a derived struct read from a sorted JSON
/// object would: present fields in key order, then missing ones in declaration order.
fn header<R: Deref<Target = RawValue>>(fields: &Fields<R>) -> Result<Header, String> {
    let at = fields
        .at
        .as_deref()
        .map(typed::<DateTime<Utc>>)
        .transpose()?;
    let customer = fields.customer.as_deref().map(typed).transpose()?;
    let key = fields.key.as_deref().map(typed).transpose()?.flatten();
    let recorded = fields
        .recorded
        .as_deref()
        .map(typed::<Option<DateTime<Utc>>>)
        .transpose()?
        .flatten();
    let seq = fields.seq.as_deref().map(typed::<u64>).transpose()?;
    let missing = |field: &str| format!("missing field `{field}`");
    Ok((
        customer.ok_or_else(|| missing("customer"))?,
        seq.ok_or_else(|| missing("seq"))?,
        at.ok_or_else(|| missing("at"))?,
        key,
        recorded,
    ))
}
