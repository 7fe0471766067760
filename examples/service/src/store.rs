//! The event store: SQLite, one table of events and one of snapshots.

use std::path::Path;
use std::time::Duration;

use clientele::Envelope;
use rusqlite::{Connection, ErrorCode, OptionalExtension, params};

pub type Error = Box<dyn std::error::Error>;

/// One connection to the database. Each writer has its own, as separate processes would.
pub struct Store(Connection);

impl Store {
    pub fn open(path: &Path) -> Result<Self, Error> {
        let db = Connection::open(path)?;
        db.busy_timeout(Duration::from_secs(5))?;
        db.execute_batch(
            "CREATE TABLE IF NOT EXISTS events (
                 position INTEGER PRIMARY KEY, -- the order events were stored in: read back in it
                 customer TEXT NOT NULL,
                 seq      INTEGER NOT NULL,    -- the customer's own order, from 1, no gaps
                 envelope TEXT NOT NULL,       -- the envelope's JSON, as the crate writes it
                 UNIQUE (customer, seq)        -- two writers never both store a customer's next event
             );
             CREATE TABLE IF NOT EXISTS snapshots (
                 through INTEGER PRIMARY KEY,  -- the position of the last event the book holds
                 book    BLOB NOT NULL
             );",
        )?;
        Ok(Self(db))
    }

    /// Stores a batch in one transaction, all of it or none: the position of its first event
    /// (of the next event, for an empty batch). `None`: another writer stored one of these
    /// (customer, seq) first, and nothing was stored.
    pub fn append(&mut self, events: &[Envelope]) -> Result<Option<i64>, Error> {
        let tx = self.0.transaction()?;
        let mut first = None;
        for e in events {
            let json = serde_json::to_string(e)?;
            let insert = "INSERT INTO events (customer, seq, envelope) VALUES (?1, ?2, ?3)";
            match tx.execute(
                insert,
                params![e.customer.to_string(), i64::try_from(e.seq)?, json],
            ) {
                Err(rusqlite::Error::SqliteFailure(f, _))
                    if f.code == ErrorCode::ConstraintViolation =>
                {
                    return Ok(None); // `tx` is dropped: rolled back
                }
                inserted => inserted?,
            };
            first = first.or(Some(tx.last_insert_rowid()));
        }
        tx.commit()?;
        Ok(Some(first.unwrap_or(i64::MAX)))
    }

    /// The events stored after `position`, in the order they were stored, with their positions.
    pub fn after(&self, position: i64) -> Result<Vec<(i64, Envelope)>, Error> {
        self.between(position, i64::MAX)
    }

    /// The events stored after `after` and before `before`, in order, with their positions.
    pub fn between(&self, after: i64, before: i64) -> Result<Vec<(i64, Envelope)>, Error> {
        let mut query = self.0.prepare(
            "SELECT position, envelope FROM events WHERE position > ?1 AND position < ?2 \
             ORDER BY position",
        )?;
        let rows = query.query_map([after, before], |row| {
            Ok((row.get(0)?, row.get::<_, String>(1)?))
        })?;
        rows.map(|row| {
            let (position, json) = row?;
            Ok((position, Envelope::from_json(&json)?))
        })
        .collect()
    }

    pub fn save_snapshot(&self, through: i64, book: &[u8]) -> Result<(), Error> {
        let save = "INSERT OR REPLACE INTO snapshots (through, book) VALUES (?1, ?2)";
        self.0.execute(save, params![through, book])?;
        Ok(())
    }

    /// The latest snapshot and the position of the last event it holds.
    pub fn latest_snapshot(&self) -> Result<Option<(i64, Vec<u8>)>, Error> {
        let latest = "SELECT through, book FROM snapshots ORDER BY through DESC LIMIT 1";
        let row = self
            .0
            .query_row(latest, [], |row| Ok((row.get(0)?, row.get(1)?)));
        Ok(row.optional()?)
    }
}
