//! The customer: registration and profile (name, tier, contacts, preferred channel, account
//! owner), and erasure of personal data.

mod event;

pub use event::CustomerEvent;
