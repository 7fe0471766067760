//! How a stored log shows its policy: the log keeps no policy, but every clock it started
//! carries the target it was given. The same target (kind, priority, tier) given a different
//! span later in the log is a policy change, and a history that spans one says so.

use std::collections::HashMap;
use std::fmt;

use chrono::{DateTime, Utc};

use crate::complaint::{ClockTerms, ComplaintEvent};
use crate::event::{Envelope, Event};
use crate::outcome::NoTarget;
use crate::response::{ClockKind, ResponseEvent};
use crate::value::{Priority, Span, Tier};

/// The kinds of target a policy sets and a run meets, misses or breaches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum TargetKind {
    /// The first answer a customer gets.
    FirstResponse,
    /// An answer while the customer waits, after the first.
    Reply,
    /// A complaint's acknowledgement.
    Acknowledgement,
    /// A complaint's resolution.
    Resolution,
    /// A complaint's escalation threshold.
    Escalation,
    /// A promise's due instant (set by us, not by the policy; a policy moves its warning).
    Promise,
    /// A follow-up's due instant.
    FollowUp,
    /// The update cadence of an open complaint or promise.
    Update,
}

impl TargetKind {
    /// Its name in tables.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            TargetKind::FirstResponse => "first response",
            TargetKind::Reply => "reply",
            TargetKind::Acknowledgement => "acknowledgement",
            TargetKind::Resolution => "resolution",
            TargetKind::Escalation => "escalation",
            TargetKind::Promise => "promise",
            TargetKind::FollowUp => "follow-up",
            TargetKind::Update => "update",
        }
    }
}

impl From<ClockKind> for TargetKind {
    fn from(kind: ClockKind) -> Self {
        match kind {
            ClockKind::FirstResponse => TargetKind::FirstResponse,
            ClockKind::Reply => TargetKind::Reply,
        }
    }
}

/// The terms a target was given: its span, or none.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Terms {
    /// A span.
    Span(Span),
    /// No target set for it.
    Untargeted,
}

impl fmt::Display for Terms {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Terms::Span(span) => write!(f, "{span}"),
            Terms::Untargeted => f.write_str("no target"),
        }
    }
}

/// A target whose terms changed within a stored log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyShift {
    /// The `seq` of the first envelope with the new terms.
    pub seq: u64,
    /// When it happened.
    pub at: DateTime<Utc>,
    /// The target.
    pub kind: TargetKind,
    /// For this priority.
    pub priority: Priority,
    /// For this tier (none for the update cadence, which is by priority only).
    pub tier: Option<Tier>,
    /// The terms before.
    pub before: Terms,
    /// The terms from here on.
    pub after: Terms,
}

impl fmt::Display for PolicyShift {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} target for {:?}", self.kind.name(), self.priority)?;
        if let Some(tier) = &self.tier {
            write!(f, " / {}", tier.as_str())?;
        }
        write!(
            f,
            " went from {} to {} at {} (event {})",
            self.before, self.after, self.at, self.seq
        )
    }
}

type Key = (TargetKind, Priority, Option<Tier>);

/// The terms seen so far, per target, and the shifts found.
#[derive(Debug, Default)]
pub(super) struct Trail {
    seen: HashMap<Key, Terms>,
    pub(super) shifts: Vec<PolicyShift>,
}

impl Trail {
    /// Reads the terms `envelope` gives, if any.
    pub(super) fn read(&mut self, envelope: &Envelope) {
        let clock = |terms: &ClockTerms| clock_terms(terms.target, terms.no_target.as_ref());
        let given: Vec<(Key, Terms)> = match &envelope.event {
            Event::Response(ResponseEvent::ClockStarted {
                kind,
                priority,
                tier,
                target,
                no_target,
                ..
            }) => vec![(
                ((*kind).into(), *priority, Some(tier.clone())),
                clock_terms(*target, no_target.as_ref()),
            )],
            Event::Response(ResponseEvent::UpdateClockStarted {
                priority,
                span,
                no_target,
                ..
            }) => vec![(
                (TargetKind::Update, *priority, None),
                clock_terms(*span, no_target.as_ref()),
            )],
            Event::Complaint(ComplaintEvent::Received {
                priority,
                tier,
                acknowledgement,
                resolution,
                ..
            }) => vec![
                (
                    (TargetKind::Acknowledgement, *priority, Some(tier.clone())),
                    clock(acknowledgement),
                ),
                (
                    (TargetKind::Resolution, *priority, Some(tier.clone())),
                    clock(resolution),
                ),
            ],
            Event::Customer(_)
            | Event::Response(_)
            | Event::Promise(_)
            | Event::Complaint(_)
            | Event::FollowUp(_)
            | Event::Survey(_)
            | Event::Health(_) => Vec::new(),
        };
        for (key, terms) in given {
            match self.seen.insert(key.clone(), terms) {
                Some(before) if before != terms => self.shifts.push(PolicyShift {
                    seq: envelope.seq,
                    at: envelope.at,
                    kind: key.0,
                    priority: key.1,
                    tier: key.2,
                    before,
                    after: terms,
                }),
                Some(_) | None => {}
            }
        }
    }
}

/// A clock's terms: untargeted when the policy set none.
fn clock_terms(target: Span, no_target: Option<&NoTarget>) -> Terms {
    match no_target {
        Some(NoTarget::NoneSet) => Terms::Untargeted,
        Some(_) | None => Terms::Span(target),
    }
}
