//! Guides: how to use the crate in a service, beyond what each item's docs say.
//!
//! - [`storage`]: storing the events and the snapshots (keys, transactions, the order to read
//!   them back in, retries and concurrent writers, erasure). `examples/service` follows it
//!   with SQLite.

pub mod storage;
