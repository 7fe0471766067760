//! The customer: registration and profile (name, tier, contacts, preferred channel, account
//! owner), and erasure of personal data.

mod command;
mod event;

pub use command::{CustomerCommand, ErasePersonalData, RegisterCustomer, UpdateProfile};
pub use event::CustomerEvent;
