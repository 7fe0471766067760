//! Complaints: welcomed, acknowledged, owned, escalated when they must be, resolved with a
//! remedy and an apology, and followed up.
//!
//! "A complaining customer is a wonderful thing": they still invest in the relationship. A
//! complaint is **received** (the acknowledgement and resolution clocks start), then
//! **acknowledged** (we told the customer we have it), then **in progress** with an owner; it
//! may wait on the customer (the clocks the policy marks pausable stop counting) and climb the
//! policy's escalation ladder; it is **resolved** (remedy, apology, summary; a follow-up is
//! scheduled) and **closed**, and it can be **reopened** from either.
//!
//! - Clocks: acknowledgement and resolution targets by priority × tier, on the policy's
//!   calendars; a warning at the policy's lead, a breach event exactly once per run of a clock,
//!   and an outcome when it stops: met, or met late with the lateness.
//! - Escalation: each support level may say how long a complaint may stay unresolved there.
//!   `EscalationDue` is raised when that passes, at once on a reopen below the top of the
//!   ladder, when a promise linked to the complaint (made in answer to it, or one it is about)
//!   breaks a second time, and when the customer asks. It stays flagged until someone
//!   escalates (a command naming the level and the new owner). A reopen at the top, where
//!   there is nowhere to escalate, makes no escalation due: it is flagged for the complaint's
//!   owner (`FlagKind::ReopenedAtTop`) until the complaint is resolved again. A policy can
//!   make reopens escalate only from the N-th on (`ComplaintPolicy::escalate_from_reopen`,
//!   issue 14 item 11; 1, every reopen, by default): an earlier reopen is flagged for the
//!   owner the same way.
//! - De-escalation (issue 14 item 3, after the Volvo log's moves back to a lower line and Jira
//!   Service Management's and GLPI's queue changes both ways): a complaint moves back down
//!   the ladder with a reason, to a new owner. Like an escalation, it starts the new level's
//!   escalation clock afresh (paused if the customer is awaited and waiting pauses clocks)
//!   and clears an escalation due (someone decided where it belongs). The complaint's
//!   `history` keeps every move, up or down ([`LevelChange`]). Both may happen before the
//!   complaint is acknowledged.
//! - A reopen does to the resolution clock what the policy says ([`ReopenMode`](crate::policy::ReopenMode)), and the
//!   event records the choice. One that continues the clock sets aside the time since it
//!   stopped counting, and the clock's total paused time counts it
//!   (`TargetClock::paused_total`).
//! - Resolved at first touch: a complaint resolved without an acknowledgement ends its
//!   acknowledgement target at the resolution, met if it came by the acknowledgement's due
//!   instant and missed otherwise (the `acknowledgement` outcome of `ComplaintResolved`). That
//!   is the default; a policy that wants an explicit acknowledgement first refuses it
//!   (`ComplaintPolicy::resolve_unacknowledged`, issue 14 item 1).
//! - No fact is refused for want of a deadline. A clock whose deadline cannot be computed
//!   (its calendar retired from the policy while the complaint waited on the customer or was
//!   resolved, no working time left, out of range) has **no target**: it records why, never
//!   warns or falls due, is flagged to the complaint's owner, and stops untimed (see
//!   [`ClockTerms`] and [`NoTarget`](crate::outcome::NoTarget)). A resumed or
//!   continued clock carries on on the calendar it was started on while the policy still
//!   names it. What remains refused contradicts the state: an unknown id, a duplicate, a
//!   transition the table forbids.
//!
//! - Queues before people: a complaint can be routed to a team's queue
//!   ([`RouteComplaint`], `complaint_routed`) at any open stage, before or after an agent
//!   takes it, and re-routed to another team; the team stays beside the owning agent. Its
//!   flags carry the team ([`Flag::team`](crate::Flag::team)), so a team's work list
//!   ([`Ledger::flags_for`](crate::Ledger::flags_for) with
//!   [`Owner::Team`](crate::flag::Owner::Team)) shows the queue and an agent's the complaints
//!   they own. Routing changes no stage, so it is not in the table below: a resolved or closed
//!   complaint is refused (`InvalidTransition`, action `route`), and routing to the team it is
//!   in already changes nothing (`NothingToChange`). (Volvo's log: 11,432 rows are a ticket
//!   waiting in a queue; Request Tracker and Zammad file tickets in queues or groups first.)
//!
//! - Waiting on an outside party (issue 14 item 5; 2,339 rows of the Volvo log wait on a
//!   vendor, an implementation or another team): a complaint can depend on one outside party
//!   at a time ([`AwaitOutsideParty`], `complaint_awaiting_party`), with the party's own
//!   expected date if it gave one, as a promise can ([`RecordDependency`](crate::RecordDependency)).
//!   The party we wait on may give a new date (the same command again); another party while
//!   one is awaited is refused ([`AwaitingOtherParty`](crate::CommandError::AwaitingOtherParty)),
//!   and so are a date not after now, a party the policy's roster does not list, the same
//!   date again (`NothingToChange`), a resolved or closed complaint, and ending a wait there is
//!   none of (`InvalidTransition`). **Our target keeps counting by default**: the policy names
//!   the parties whose wait pauses the resolution and escalation clocks
//!   ([`ComplaintPolicy::pausing_parties`](crate::policy::ComplaintPolicy::pausing_parties),
//!   empty by default), because, as seed 002 (the optician whose outsourced lab was late) puts
//!   it, outsourcing does not relieve us of our responsibility to the customer, certainly not
//!   in their eyes. The acknowledgement clock is never paused, and the update cadence keeps
//!   running ("tell the customer what you are doing on their behalf"). When the party's date
//!   passes, `complaint_party_late` is recorded and [`FlagKind::PartyLate`](crate::FlagKind::PartyLate)
//!   stands for **our** owner of the complaint (its agent, else the account owner, and its
//!   team's queue), never the party, until the wait ends or the party gives a new date.
//!   [`EndOutsideWait`] ends the wait (`complaint_party_wait_ended`, with how long it lasted);
//!   a resolution or a closing without one ends it first, the held clocks stopping where they
//!   paused.
//! - A wait on the customer and a wait on a party compose: the clocks stop when the first
//!   wait that pauses them begins and run again only when no wait holds them. The customer's
//!   answer while a pausing party is still awaited records `complaint_resumed` with no new
//!   terms (the clocks stay paused); the end of the party's wait while the customer is still
//!   awaited (and waiting pauses clocks) resumes nothing, and the customer's answer then
//!   counts the pause from the party's wait. A move on the ladder while a pausing party is
//!   awaited starts the new level's clock paused. Measures give per-party figures
//!   ([`PartyWaits`](crate::measure::PartyWaits)): waits, wall-clock time waited,
//!   new dates, and slips (a date that passed while we waited, or moved later before it did).
//!
//! The wait on an outside party has its own small table, beside the complaint's stage (it is
//! allowed at any open stage):
//!
//! ```text
//! not_waiting    --await_party--> awaiting_party
//! awaiting_party --await_party--> awaiting_party
//! party_late     --await_party--> awaiting_party
//! awaiting_party --lapse-->       party_late
//! awaiting_party --end_wait-->    not_waiting
//! party_late     --end_wait-->    not_waiting
//! ```
//!
//! # State diagram
//!
//! ```text
//! received     --acknowledge--> acknowledged
//! received     --wait-->        waiting
//! received     --assign-->      received
//! received     --escalate-->    received
//! received     --deescalate-->  received
//! received     --resolve-->     resolved
//! acknowledged --assign-->      in_progress
//! acknowledged --escalate-->    in_progress
//! acknowledged --deescalate-->  in_progress
//! acknowledged --wait-->        waiting
//! acknowledged --resolve-->     resolved
//! in_progress  --acknowledge--> in_progress
//! in_progress  --assign-->      in_progress
//! in_progress  --escalate-->    in_progress
//! in_progress  --deescalate-->  in_progress
//! in_progress  --wait-->        waiting
//! in_progress  --resolve-->     resolved
//! waiting      --acknowledge--> waiting
//! waiting      --assign-->      waiting
//! waiting      --escalate-->    waiting
//! waiting      --deescalate-->  waiting
//! waiting      --resume-->      in_progress
//! waiting      --resolve-->     resolved
//! received     --close_unresolved--> closed_unresolved
//! acknowledged --close_unresolved--> closed_unresolved
//! in_progress  --close_unresolved--> closed_unresolved
//! waiting      --close_unresolved--> closed_unresolved
//! received     --reprioritise--> received
//! acknowledged --reprioritise--> acknowledged
//! in_progress  --reprioritise--> in_progress
//! waiting      --reprioritise--> waiting
//! resolved     --close-->       closed
//! resolved     --reopen-->      in_progress
//! closed       --reopen-->      in_progress
//! ```
//!
//! Resolving straight from `received` is in the table; the policy decides whether it is
//! allowed. Routing (assign), escalating and de-escalating before anyone acknowledged the
//! complaint keep it `received`: its acknowledgement is still owed and flagged.
//!
//! Closing without a resolution (issue 14 item 7: a duplicate of another complaint, invalid,
//! withdrawn by the customer; Zendesk, Zammad and GLPI close tickets so): every target still
//! counting ends not applicable (`ClockPhase::NotApplicable`), measures count these closings
//! apart from resolutions, and the complaint is final: like a closed Zendesk ticket it is not
//! reopened (the customer complains anew).
//!
//! Re-prioritising (issue 14 item 2: 554 rows of the Helpdesk log change a ticket's priority;
//! Zendesk, Jira Service Management and Request Tracker recompute a ticket's SLA targets when
//! its priority changes) gives an open complaint new terms: the priority, and the tier its
//! targets are read for. The acknowledgement clock (while owed) and the resolution clock take
//! the targets of the new terms on the calendars the policy's rules choose for them (the
//! complaint's channel and the team whose queue it is in now), counted from
//! receipt: the business time a clock already worked (its old target less what was left, plus
//! any time past its due instant, measured on the calendar it ran on) stands, pauses stay
//! excluded, and a clock paused while the customer is awaited stays paused with the new
//! business time left (an 8 business-hour target with 2 h worked, re-prioritised while the
//! customer is awaited, is due 6 business hours after the customer answers). A new target
//! already used up is due at once. The escalation clock belongs to the support level and is
//! left alone. A clock's outcome is measured against the terms in force when it stops: the
//! latest re-prioritisation's; warnings and breaches already recorded stand, and are raised
//! again only if the new terms put them after the change. `complaint_reprioritised` records
//! the old and new priority, the tier, and each clock's work and new terms.
//!
//! Durations net of waiting (issue 14 item 12; Zendesk's "requester wait time" and the
//! business-hours figures of Zendesk and Jira Service Management report work apart from
//! waiting): `complaint_acknowledged` and `complaint_resolved` state `worked`, the business
//! time the target counted, which is what the outcome was measured on: for the resolution,
//! from receipt (or the reopen that restarted its clock) net of the waits on the customer that
//! paused it and of the spans a reopen set aside; for the acknowledgement, from receipt (its
//! clock runs through waits). Measures give it beside the wall-clock figure
//! (`ComplaintMeasures::business_time_to_resolve` beside `time_to_resolve`): 2 h and 3 h of
//! work around 72 h of waiting read 5 h, not 77 h. A clock with no target states none (it
//! keeps no account of its pauses).
//!
//! Waiting on the customer may start before anyone acknowledged the complaint (issue 14 item
//! 4: a ticket that needs information first; Zammad and Request Tracker test a ticket created
//! already pending, which `ReceiveComplaint::pending` records as a receipt followed at once by
//! the wait). The acknowledgement stays owed and its clock keeps running through the wait (as
//! Zendesk's first reply time does: asking for information is no acknowledgement), and it is
//! flagged until someone acknowledges the complaint, which `acknowledge` allows from
//! `in_progress` and `waiting` only while it is owed ([`Complaint::is_unacknowledged`]); after
//! that it is refused as before.
//!
//! # Layout
//!
//! `state` holds what a complaint is and its transition table, `clock` its target
//! clocks, `decide` the commands, `fold` the events, `due` deadlines and flags. What a
//! complaint's events mean for other families (a resolution schedules a follow-up, a reopen
//! cancels the pending follow-up and voids the pending survey) are the relationship's
//! reactions.

mod book;
mod clock;
mod command;
mod decide;
mod due;
mod event;
mod fold;
mod outside;
mod queue;
mod state;
pub mod target_clock;

pub use clock::{ClockPhase, ClockTerms, ComplaintClockKind, Remaining, Retargeted, TargetClock};
pub use command::{
    AcknowledgeComplaint, AssignComplaint, AwaitCustomer, AwaitOutsideParty, CloseComplaint,
    CloseUnresolved, ComplaintCommand, DeescalateComplaint, EndOutsideWait, EscalateComplaint,
    ReceiveComplaint, ReopenComplaint, ReprioritiseComplaint, RequestEscalation, ResolveComplaint,
    ResumeComplaint, RouteComplaint,
};
pub use event::ComplaintEvent;
pub use outside::{OutsideWait, PartyWaitAction, PartyWaitLifecycle, PartyWaitStage};
pub use state::{
    Complaint, ComplaintAction, ComplaintLifecycle, ComplaintStage, ComplaintState,
    EscalationReason, Handover, LevelChange, Resolution, Unresolved,
};
pub use target_clock::{ClockAction, ClockLifecycle, ClockStage};

pub(crate) use book::Complaints;
pub(crate) use decide::{
    acknowledge, assign, await_customer, close, close_unresolved, deescalate, escalate, receive,
    reopen, reprioritise, request_escalation, resolve, resume, surveyable,
};
pub(crate) use due::{deadline, fire, flags};
pub(crate) use fold::{fold, link_follow_up};
pub(crate) use outside::{await_party, end_wait};
pub(crate) use queue::route;

#[cfg(test)]
mod tests {
    use super::{ComplaintLifecycle, PartyWaitLifecycle};
    use crate::lifecycle::{diagram, documented};

    /// Both tables, the complaint's and its wait on an outside party's, are drawn in the docs.
    #[test]
    fn state_diagrams_match_transition_tables() {
        let mut table = diagram::<ComplaintLifecycle>();
        table.extend(diagram::<PartyWaitLifecycle>());
        table.sort();
        assert_eq!(
            documented(include_str!("mod.rs")),
            table,
            "the state diagrams in the module docs differ from the transition tables"
        );
    }
}
