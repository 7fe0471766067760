//! What if: a stored history decided again under another policy, and the two runs compared.
//!
//! "If high priority had a 4-hour resolution target instead of 8, how many breaches last
//! quarter, whose, and which customers would have gone at risk?" The crate is deterministic
//! and the log keeps every fact, so the answer is exact, with no clock and no I/O:
//!
//! 1. [`History::from_log`] (or [`Book::from_log`] for many customers) reads a stored log back
//!    into what was decided: the facts, as the [`Request`](crate::Request)s that were decided
//!    (with their `occurred_at`, recording time and idempotency key as stored), and the
//!    instants time was advanced to, without what the policy derived from them.
//! 2. [`Run::decide`] (one customer) or [`BookRun::decide`] (the book, into a
//!    [`Ledger`](crate::Ledger)) decides it again under a candidate policy, into a new log held
//!    in memory, with its deadline events dated at themselves, its flags, health and measures.
//!    A fact the policy refuses is reported as a [`Refusal`] (the fact, its place in the
//!    stored log, the [`CommandError`](crate::CommandError)), never dropped silently.
//! 3. [`Comparison::of`] puts two runs side by side; it streams, customer by customer, and
//!    merges across shards. Its `Display` is a readable table.
//!
//! # Facts and consequences
//!
//! Every stored event is one of three things. A **fact** is what someone decided: it becomes
//! the command that was decided. A **flag** is an event a command's own flag produced: it
//! sets that flag on the fact just read. A **consequence** is what the policy derives: it is
//! left out, and deciding again under another policy derives its own.
//!
//! | event | is |
//! | --- | --- |
//! | `customer_registered`, `personal_data_erased` | fact (register, erase) |
//! | `customer_renamed`, `tier_changed`, `contact_point_set`, `contact_point_removed`, `preferred_channel_set`, `account_owner_set` | fact (`update_profile`; those of one decision, in the order one update records them, are one update) |
//! | `interaction_recorded` | fact |
//! | `response_awaiting_customer` | flag: the interaction that asked awaits the customer |
//! | `response_clock_started`, `response_at_risk`, `response_overdue`, `response_clock_stopped` | consequence (targets, deadlines, the answer's outcome) |
//! | `update_clock_started`, `update_at_risk`, `update_overdue` | consequence (the update cadence) |
//! | `promise_made`, `promise_revised`, `promise_kept`, `promise_withdrawn`, `dependency_recorded`, `dependency_met` | fact |
//! | `promise_at_risk`, `promise_broken`, `dependency_late`, `promise_slipped_repeatedly` | consequence (deadlines; the slip threshold) |
//! | `complaint_received`, `complaint_acknowledged`, `complaint_assigned`, `complaint_routed`, `complaint_escalated`, `complaint_deescalated`, `complaint_resumed`, `complaint_resolved`, `complaint_closed`, `complaint_closed_unresolved`, `complaint_reprioritised` | fact |
//! | `complaint_awaiting_customer` | flag (`pending`) right after its `complaint_received` in the same decision, else fact (`await_customer`) |
//! | `escalation_due` | fact when the customer asked (`request_escalation`); consequence for a threshold, a reopen or a promise broken again |
//! | `complaint_reopened` | consequence when a follow-up that found the customer not satisfied reopened it (same decision, the reaction's reason), else fact |
//! | `complaint_awaiting_party` | fact (`await_outside_party`, with the party's date) |
//! | `complaint_party_wait_ended` | part of a resolution or closing when one follows in the same decision (resolving or closing ends the wait first), else fact (`end_outside_wait`) |
//! | `complaint_clock_at_risk`, `complaint_clock_breached`, `complaint_party_late` | consequence |
//! | `follow_up_scheduled` | consequence when a resolution scheduled it (same decision, for the complaint resolved: its id becomes the resolution's `follow_up`), else fact |
//! | `follow_up_completed` | fact |
//! | `follow_up_cancelled` | consequence when a reopen of its complaint cancelled it (same decision, the reaction's reason), else fact |
//! | `follow_up_overdue` | consequence |
//! | `survey_requested`, `survey_answered` | fact |
//! | `survey_voided` | consequence (of a reopen) |
//! | `relationship_at_risk`, `relationship_recovered`, `relationship_gone_quiet` | consequence (health) |
//!
//! "The same decision" is envelopes with the same instant, recording time and idempotency key.
//! Two commands a service decided at the same instant without keys cannot be told apart from
//! one; the rules above are then read as one decision, which decides the same. A reaction is
//! told from a command that would produce the same event by its place and by the reason the
//! reaction gives; a command that gave the very same reason at the same instant is read as the
//! reaction (and decided again, it is the reaction).
//!
//! Time: a consequence recorded later than everything before it says the service advanced
//! time to there ([`Step::AdvanceTo`]); deciding again advances there too, before the next
//! fact, so a fact reported late after a deadline was recorded comes after it again.
//!
//! # Which policy a log was recorded under
//!
//! A log does not name its policy, and no event records a change of policy. Two honest
//! checks stand in for one, and neither pretends:
//!
//! - [`History::policy_shifts`]: every clock carries the target it was given; the same target
//!   (kind, priority, tier) with different terms at two points of the log is a
//!   [`PolicyShift`], with where it happened. A log with shifts spans a policy change.
//! - [`Run::divergence`]: decided again under the policy believed to be the recording one, a
//!   history gives back exactly the stored log (`tests/what_if_property.rs` checks it by
//!   property); the first envelope that differs says where that belief stops holding (a
//!   different warning lead, health rules, follow-up delay: anything the terms do not carry).
//!
//! # Limits
//!
//! - A resolution stored without a follow-up, decided under a policy that schedules one, gets
//!   the id derived from the complaint and its reopen count
//!   ([`FollowUpId::after_resolution`](crate::FollowUpId::after_resolution)).
//! - Personal data erased from stored events is decided again as erased: an erasure then
//!   counts the fields still held, which may be fewer. A reaction's own words erased with it
//!   (a crypto-shredded log) cannot tell it from a command: its place decides, and decided
//!   again it speaks them, so [`Run::divergence`] names the first such event of a shredded log.
//! - The expected version of a request is not stored; facts are decided again without one.

mod compare;
mod derive;
mod history;
mod rerun;
mod table;
mod trail;

pub use compare::{Comparison, CustomerChange, Figures, Slice, TargetFigures};
pub use history::{Book, Fact, History, HistoryError, Step};
pub use rerun::{BookRun, Divergence, Refusal, Run};
pub use trail::{PolicyShift, TargetKind, Terms};
