//! Books played live from generated steps, shared by the book tests.

use chrono::{DateTime, TimeDelta, Utc};
use clientele::{AgentId, Command, CustomerId, Envelope, Ledger, RegisterCustomer, ServicePolicy};
use proptest::prelude::*;

use crate::arb;
use crate::support::{text, tier};

#[derive(Debug, Clone)]
pub enum Step {
    /// A command for customer 1, 2 or 3 (the ids `arb` favours), after some minutes.
    Command(u8, Command, u16),
    /// Time moves on and the book's deadlines fire.
    Advance(u16),
}

pub fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        5 => (0u8..3, arb::command(), 0u16..600).prop_map(|(c, command, m)| Step::Command(c, command, m)),
        2 => (0u16..3000).prop_map(Step::Advance),
    ]
}

/// Three customers (owned by agents 1 and 2, and by nobody) played live through a book under
/// `policy`, their customer ids shifted by `shift`.
pub fn played(
    policy: &ServicePolicy,
    steps: &[Step],
    shift: u128,
) -> (Ledger, Vec<Envelope>, DateTime<Utc>) {
    let mut ledger = Ledger::new(policy.clone()).unwrap();
    let mut log = Vec::new();
    let mut now = arb::base();
    let id = |c: u8| CustomerId::from_u128(u128::from(c) + 1 + shift);
    for c in 0..3u8 {
        let register = RegisterCustomer::new(text("Customer"), tier("standard"));
        let register = match c {
            2 => register,
            _ => register.owned_by(AgentId::from_u128(u128::from(c) + 1)),
        };
        log.extend(ledger.execute(id(c), register, now).unwrap_or_default());
    }
    for step in steps {
        match step {
            Step::Command(c, command, m) => {
                now += TimeDelta::minutes(i64::from(*m));
                log.extend(
                    ledger
                        .execute(id(*c), command.clone(), now)
                        .unwrap_or_default(),
                );
            }
            Step::Advance(m) => {
                now += TimeDelta::minutes(i64::from(*m));
                log.extend(ledger.advance_to(now));
            }
        }
    }
    (ledger, log, now)
}
