//! Snapshots: a [`Ledger`]'s book or one [`Relationship`] saved and restored, in a compact
//! binary form for restarts and in JSON for people to read, so that a service restarts from
//! its latest snapshot and the events stored after it ([`Ledger::catch_up`]) rather than from
//! its whole log.
//!
//! # The format
//! - **Binary** ([`Encoding::Binary`]): the 8 bytes `CLTLSNAP`, the format version as a
//!   little-endian `u16`, one byte for what follows (`1` a relationship, `2` a book), then the
//!   body in [postcard](https://docs.rs/postcard) (varint integers, no field names, instants
//!   as seconds and nanoseconds since the epoch). Nothing may follow the body.
//! - **JSON** ([`Encoding::Json`]): `{"snapshot":"clientele","version":1,"of":"ledger","body":…}`,
//!   the body in the state types' JSON form (instants in RFC 3339, values in their wire form).
//! - A book's body is `{rules, customers}`: the fingerprint of the health rules its
//!   deadlines were worked out under (a deterministic 64-bit hash of the crate's version and
//!   of the health policy's JSON), then its customers in the order they were first registered
//!   (the order that breaks ties between deadlines falling due together), each
//!   `{"Live": {relationship, next}}` (`next`: the customer's next deadline as the book had
//!   filed it) or `{"Quarantined": {customer, seq, kind, skipped, error}}`.
//!   The policy is not saved: it is configuration, given again on restore, as to
//!   [`Ledger::replay`]. Restored under a policy whose health rules have the same
//!   fingerprint, the book files the saved deadlines as they are (working each out again
//!   scores the customer's health over its window: most of a restore's time otherwise);
//!   under other rules, or from a snapshot written by another release of the crate, it
//!   works every deadline out again, as a replay under that policy would. The saved
//!   deadlines are trusted, not checked against the state beyond lying between the latest
//!   fact and the earliest clock deadline: a snapshot edited to name a later health review
//!   than its customer's record implies (nothing in the format can tell) makes the book wake,
//!   and read that customer's flags and work list, as if it were the next deadline, until the
//!   customer's next event files it again. Rebuild a book from a doubtful snapshot by replay.
//!
//! Restoring checks the header before it reads the body: a snapshot of another format version,
//! older or newer, is refused with [`SnapshotError::UnsupportedVersion`] naming it, never read
//! as this one. Hostile bytes (truncated, garbled) are refused with a typed error, never a
//! panic.
//!
//! # Rules for change (as for events, see [`crate::event`])
//! The serialized shape of the state types (every type a [`Relationship`] holds, and the
//! book's entries) is part of the format, fixed for each version by a golden fixture:
//! `tests/fixtures-snapshot/snapshot-v1.json` and `.bin` (beside, not inside, the event
//! fixtures of `tests/fixtures`, every file of which is an envelope), which
//! `tests/snapshot_format.rs` reads back and writes again, byte for byte (`BLESS=1` writes a
//! new version's fixture from a fixed story that leaves every family in many stages).
//! 1. **Any change to that shape** (a field added, removed, renamed, reordered or retyped; a
//!    variant added; a state type replaced by another) makes the golden test fail. Do not
//!    bless the old fixture: raise [`VERSION`], write the new fixture beside the old one
//!    (`BLESS=1`), and keep the old fixture. A version no release has published yet is still
//!    being written (as all unreleased event changes share one new version): its fixture is
//!    blessed again with the change, which the changelog names. Version 1 is such a version
//!    until the crate's first release.
//! 2. **Older snapshots** are then refused with [`SnapshotError::UnsupportedVersion`] (the
//!    service replays its log once, or restores with the release that wrote them and saves
//!    again), unless the release reads them on purpose: a reader for the old version, tested
//!    on the old fixture. Never read an old version as the new one.
//! 3. A snapshot is a cache of the log, never the record: the log stays the truth, and a
//!    snapshot that cannot be read costs a replay, nothing more.
//!
//! ```
//! use chrono::{TimeZone, Utc};
//! use clientele::snapshot::Encoding;
//! use clientele::{Channel, CustomerId, InteractionId, Ledger, RecordInteraction,
//!     RegisterCustomer, ServicePolicy, Text, Tier};
//!
//! let policy = ServicePolicy::default();
//! let mut ledger = Ledger::new(policy.clone())?;
//! let now = Utc.with_ymd_and_hms(2026, 3, 6, 15, 0, 0).unwrap();
//! let ona = CustomerId::from_u128(1);
//! ledger.execute(ona, RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?), now)?;
//! let saved = ledger.snapshot(Encoding::Binary)?;
//! // Later: events stored after the snapshot.
//! let tail = ledger.execute(ona, RecordInteraction::inbound(InteractionId::from_u128(2), Channel::Chat, Text::new("Hi")?), now)?;
//! let mut restored = Ledger::restore(policy, &saved)?;
//! restored.catch_up(&tail);
//! assert_eq!(restored.get(ona), ledger.get(ona));
//! assert_eq!(restored.next_deadline(), ledger.next_deadline());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer};
use serde_json::value::RawValue;

use crate::error::PolicyError;
use crate::ledger::Ledger;
use crate::policy::ServicePolicy;
use crate::relationship::Relationship;

/// The format version this build writes, and the only one it reads.
pub const VERSION: u16 = 1;

/// The first bytes of a binary snapshot.
const MAGIC: &[u8; 8] = b"CLTLSNAP";

/// How a snapshot is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Encoding {
    /// Compact, fast binary (postcard): for restarts.
    Binary,
    /// JSON: for people, diffs and tools.
    Json,
}

/// What a snapshot holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Contents {
    /// One [`Relationship`].
    Relationship,
    /// A [`Ledger`]'s book.
    Ledger,
}

impl Contents {
    const fn byte(self) -> u8 {
        match self {
            Contents::Relationship => 1,
            Contents::Ledger => 2,
        }
    }

    const fn name(self) -> &'static str {
        match self {
            Contents::Relationship => "relationship",
            Contents::Ledger => "ledger",
        }
    }
}

/// A snapshot could not be written or read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SnapshotError {
    /// The bytes are not a snapshot of this crate (no header).
    #[error("not a clientele snapshot")]
    NotASnapshot,
    /// The snapshot is of another format version, older or newer: refused rather than misread.
    #[error("snapshot format version {found}; this build reads version {supported}")]
    UnsupportedVersion {
        /// The version the snapshot says it is.
        found: u16,
        /// The version this build reads.
        supported: u16,
    },
    /// The snapshot holds something else (a relationship where a book was expected, or the
    /// other way round).
    #[error("the snapshot holds a {found}, not a {expected}")]
    WrongContents {
        /// What was expected.
        expected: &'static str,
        /// What the header says (as written, for a header of unknown contents).
        found: String,
    },
    /// The header is right but the body does not read (truncated, garbled, trailing bytes, a
    /// customer twice, a value out of range).
    #[error("the snapshot's body does not read: {0}")]
    Malformed(String),
    /// The state could not be written (it cannot happen with the crate's own types; kept so
    /// that writing never panics).
    #[error("the snapshot could not be written: {0}")]
    Write(String),
    /// The policy given to restore a book is inconsistent.
    #[error(transparent)]
    Policy(#[from] PolicyError),
}

/// The header of a JSON snapshot, with its body left unread.
#[derive(Deserialize)]
struct JsonFrame<'a> {
    snapshot: &'a str,
    version: u16,
    of: &'a str,
    #[serde(borrow)]
    body: &'a RawValue,
}

/// Writes `body` as a snapshot of `contents`.
fn write<T: serde::Serialize>(
    contents: Contents,
    body: &T,
    encoding: Encoding,
) -> Result<Vec<u8>, SnapshotError> {
    match encoding {
        Encoding::Binary => {
            let mut out = Vec::with_capacity(64);
            out.extend_from_slice(MAGIC);
            out.extend_from_slice(&VERSION.to_le_bytes());
            out.push(contents.byte());
            postcard::to_extend(body, out).map_err(|e| SnapshotError::Write(e.to_string()))
        }
        Encoding::Json => {
            let frame = serde_json::json!({
                "snapshot": "clientele",
                "version": VERSION,
                "of": contents.name(),
                "body": body,
            });
            serde_json::to_vec_pretty(&frame).map_err(|e| SnapshotError::Write(e.to_string()))
        }
    }
}

/// The body of a snapshot, once its header is checked: postcard bytes or JSON text.
enum Body<'a> {
    Binary(&'a [u8]),
    Json(&'a str),
}

fn open(bytes: &[u8], contents: Contents) -> Result<Body<'_>, SnapshotError> {
    if let Some(rest) = bytes.strip_prefix(MAGIC.as_slice()) {
        let (version, rest) = rest
            .split_first_chunk::<2>()
            .ok_or(SnapshotError::NotASnapshot)?;
        let version = u16::from_le_bytes(*version);
        if version != VERSION {
            return Err(SnapshotError::UnsupportedVersion {
                found: version,
                supported: VERSION,
            });
        }
        let (&of, body) = rest.split_first().ok_or(SnapshotError::NotASnapshot)?;
        if of != contents.byte() {
            return Err(SnapshotError::WrongContents {
                expected: contents.name(),
                found: match of {
                    1 => Contents::Relationship.name().to_owned(),
                    2 => Contents::Ledger.name().to_owned(),
                    other => format!("contents {other}"),
                },
            });
        }
        return Ok(Body::Binary(body));
    }
    if bytes.trim_ascii_start().first() != Some(&b'{') {
        return Err(SnapshotError::NotASnapshot);
    }
    let frame: JsonFrame<'_> =
        serde_json::from_slice(bytes).map_err(|_| SnapshotError::NotASnapshot)?;
    if frame.snapshot != "clientele" {
        return Err(SnapshotError::NotASnapshot);
    }
    if frame.version != VERSION {
        return Err(SnapshotError::UnsupportedVersion {
            found: frame.version,
            supported: VERSION,
        });
    }
    if frame.of != contents.name() {
        return Err(SnapshotError::WrongContents {
            expected: contents.name(),
            found: frame.of.to_owned(),
        });
    }
    Ok(Body::Json(frame.body.get()))
}

/// What reads a body, from whichever serde format it is in.
trait Reader {
    type Value;

    fn read<'de, D: Deserializer<'de>>(&mut self, deserializer: D)
    -> Result<Self::Value, D::Error>;
}

/// Reads the whole body with `reader`; nothing may follow it.
fn read<R: Reader>(body: Body<'_>, mut reader: R) -> Result<R::Value, SnapshotError> {
    let malformed = |e: &dyn std::fmt::Display| SnapshotError::Malformed(e.to_string());
    match body {
        Body::Binary(bytes) => {
            let mut de = postcard::Deserializer::from_bytes(bytes);
            let value = reader.read(&mut de).map_err(|e| malformed(&e))?;
            let rest = de.finalize().map_err(|e| malformed(&e))?;
            if !rest.is_empty() {
                return Err(malformed(&format_args!(
                    "{} bytes after the body",
                    rest.len()
                )));
            }
            Ok(value)
        }
        Body::Json(text) => {
            let mut de = serde_json::Deserializer::from_str(text);
            let value = reader.read(&mut de).map_err(|e| malformed(&e))?;
            de.end().map_err(|e| malformed(&e))?;
            Ok(value)
        }
    }
}

/// Reads a value of its own.
struct Owned<T>(std::marker::PhantomData<T>);

impl<T: DeserializeOwned> Reader for Owned<T> {
    type Value = T;

    fn read<'de, D: Deserializer<'de>>(&mut self, deserializer: D) -> Result<T, D::Error> {
        T::deserialize(deserializer)
    }
}

/// Reads a book into a ledger.
struct Book<'l> {
    ledger: &'l mut Ledger,
    /// At most how many customers the body can hold.
    most: usize,
}

impl Reader for Book<'_> {
    type Value = ();

    fn read<'de, D: Deserializer<'de>>(&mut self, deserializer: D) -> Result<(), D::Error> {
        self.ledger.load_book_sized(deserializer, self.most)
    }
}

impl Ledger {
    /// The book as a snapshot (see the [module docs](crate::snapshot) for the format): every
    /// customer, live or quarantined, in the order they were first registered; not the policy.
    ///
    /// # Errors
    /// [`SnapshotError::Write`], which the crate's own state never causes.
    ///
    /// ```
    /// use clientele::chrono::{TimeZone, Utc};
    /// use clientele::snapshot::Encoding;
    /// use clientele::{CustomerId, Ledger, RegisterCustomer, ServicePolicy, Text, Tier};
    ///
    /// let mut ledger = Ledger::new(ServicePolicy::default())?;
    /// let now = Utc.with_ymd_and_hms(2026, 3, 6, 15, 0, 0).unwrap();
    /// ledger.execute(CustomerId::from_u128(1), RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?), now)?;
    /// let bytes = ledger.snapshot(Encoding::Binary)?; // stored beside the log: catch up with the events after it
    /// let restored = Ledger::restore(ServicePolicy::default(), &bytes)?;
    /// assert_eq!(restored.get(CustomerId::from_u128(1)), ledger.get(CustomerId::from_u128(1)));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn snapshot(&self, encoding: Encoding) -> Result<Vec<u8>, SnapshotError> {
        write(Contents::Ledger, self, encoding)
    }

    /// A ledger deciding under `policy`, holding the book saved in `snapshot` (binary or
    /// JSON, told apart by the header), its deadlines and work filed. Catch it up with the
    /// events stored after the snapshot with [`catch_up`](Self::catch_up).
    ///
    /// # Errors
    /// [`SnapshotError::Policy`] for an inconsistent policy;
    /// [`NotASnapshot`](SnapshotError::NotASnapshot),
    /// [`UnsupportedVersion`](SnapshotError::UnsupportedVersion) (naming the version found),
    /// [`WrongContents`](SnapshotError::WrongContents) or
    /// [`Malformed`](SnapshotError::Malformed) for bytes that are not this version's book.
    ///
    /// ```
    /// use clientele::chrono::{TimeZone, Utc};
    /// use clientele::snapshot::{Encoding, SnapshotError};
    /// use clientele::{CustomerId, Ledger, RegisterCustomer, ServicePolicy, Text, Tier};
    ///
    /// let mut ledger = Ledger::new(ServicePolicy::default())?;
    /// let now = Utc.with_ymd_and_hms(2026, 3, 6, 15, 0, 0).unwrap();
    /// ledger.execute(CustomerId::from_u128(1), RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?), now)?;
    /// let json = ledger.snapshot(Encoding::Json)?;
    /// let restored = Ledger::restore(ServicePolicy::default(), &json)?; // either encoding
    /// assert_eq!(restored.len(), 1);
    /// assert!(matches!(Ledger::restore(ServicePolicy::default(), b"not a snapshot"), Err(SnapshotError::NotASnapshot)));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn restore(policy: ServicePolicy, snapshot: &[u8]) -> Result<Self, SnapshotError> {
        let mut ledger = Ledger::new(policy)?;
        let body = open(snapshot, Contents::Ledger)?;
        // A customer takes at least 32 bytes in binary (its id alone is 16).
        let most = match body {
            Body::Binary(bytes) => bytes.len() / 32,
            Body::Json(_) => 0,
        };
        read(
            body,
            Book {
                ledger: &mut ledger,
                most,
            },
        )?;
        Ok(ledger)
    }
}

impl Relationship {
    /// The relationship as a snapshot (see the [module docs](crate::snapshot)).
    ///
    /// # Errors
    /// [`SnapshotError::Write`], which the crate's own state never causes.
    ///
    /// ```
    /// # use clientele::{*, chrono::{TimeDelta, TimeZone, Utc}};
    /// # let (policy, monday) = (ServicePolicy::default(), Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap());
    /// # let mut ona = Relationship::new(CustomerId::from_u128(1)); ona.execute(&policy, RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?), monday)?;
    /// use clientele::snapshot::Encoding;
    ///
    /// let saved = ona.snapshot(Encoding::Json)?;
    /// assert!(saved.len() > 0);
    /// assert_eq!(Relationship::restore(&saved)?, ona);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn snapshot(&self, encoding: Encoding) -> Result<Vec<u8>, SnapshotError> {
        write(Contents::Relationship, self, encoding)
    }

    /// The relationship saved in `snapshot` (binary or JSON). Apply the events stored after
    /// it with [`apply`](Self::apply).
    ///
    /// # Errors
    /// As [`Ledger::restore`], for bytes that are not this version's relationship.
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use clientele::snapshot::{Encoding, SnapshotError};
    /// use clientele::{CustomerId, RegisterCustomer, Relationship, ServicePolicy, Text, Tier};
    ///
    /// let mut ona = Relationship::new(CustomerId::from_u128(1));
    /// let now = Utc.with_ymd_and_hms(2026, 3, 6, 15, 0, 0).unwrap();
    /// ona.execute(&ServicePolicy::default(), RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?), now)?;
    /// for encoding in [Encoding::Binary, Encoding::Json] {
    ///     assert_eq!(Relationship::restore(&ona.snapshot(encoding)?)?, ona);
    /// }
    /// let mut newer = ona.snapshot(Encoding::Binary)?;
    /// newer[8] = 2; // a version this build does not know
    /// assert_eq!(Relationship::restore(&newer), Err(SnapshotError::UnsupportedVersion { found: 2, supported: 1 }));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn restore(snapshot: &[u8]) -> Result<Self, SnapshotError> {
        read(
            open(snapshot, Contents::Relationship)?,
            Owned(std::marker::PhantomData),
        )
    }
}
