//! Guides: how to use the crate in a service, beyond what each item's docs say.
//!
//! - [`storage`]: storing the events and the snapshots (keys, transactions, the order to read
//!   them back in, retries and concurrent writers, erasure). `examples/service` follows it
//!   with SQLite.
//! - [`why`]: the design choices a reviewer questions, and why: recording time never runs
//!   backwards, deadlines dated at themselves, closing time stays closing time, promises
//!   never pause.

pub mod storage;
pub mod why;
