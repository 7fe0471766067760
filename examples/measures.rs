//! A month of a small book, measured: per agent, per outside party, and book-wide.
//! `cargo run --example measures` (or `-- <seed>` for another month)
//!
//! Eight customers of an optician, three agents (Rūta, Jonas, Daiva) and two outside parties
//! (a lens lab and a frame maker) live through March 2026: messages answered sooner or later,
//! promises kept, re-promised or broken, complaints acknowledged, escalated, resolved and
//! followed up, survey answers. Everything is planned from a seed by a tiny PRNG (no clock, no
//! random crate), run through the engine (`Ledger::execute`, `advance_to` at every deadline),
//! and the stored log is then measured with a `Tally` over the month. A ninth customer, Dalia,
//! lives seed 002 every month: her glasses promised, missed in silence, moved a week without
//! telling her, missed again; she never complains, and ends the month at risk, with the
//! points each signal cost her (issue 16 item 7). The health moves (entering and leaving
//! "at risk") are counted per owner and book-wide.

mod common;

use std::collections::BTreeMap;

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use clientele::measure::Durations;
use clientele::{
    AcknowledgeComplaint, AgentId, AnswerSurvey, AssignComplaint, Channel, Command, ComplaintId,
    CompleteFollowUp, CsatScore, CustomerId, EscalateComplaint, FollowUpId, FollowUpOutcome,
    InteractionId, KeepPromise, Ledger, MakePromise, Measures, MeetDependency, NpsScore, PartyId,
    PromiseId, ReceiveComplaint, RecordDependency, RecordInteraction, RegisterCustomer,
    RequestSurvey, ResolveComplaint, RevisePromise, ServicePolicy, Span, SurveyAnswer, SurveyId,
    SurveyKind, Tally, Tier, Window,
};

const AGENTS: [AgentId; 3] = [common::RUTA, common::JONAS, common::DAIVA];
const PARTIES: [(PartyId, &str); 2] = [
    (PartyId::from_u128(1), "Lens lab"),
    (PartyId::from_u128(2), "Frame maker"),
];
const CUSTOMERS: [&str; 8] = [
    "Ona",
    "Petras",
    "Aistė",
    "Mindaugas",
    "Eglė",
    "Tomas",
    "Greta",
    "Vytautas",
];

/// SplitMix64: a few lines, good enough to plan a month, the same on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `lo..=hi`.
    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + (self.next() % (hi - lo + 1) as u64) as i64
    }

    /// True with probability `percent` %.
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

use common::text;

fn minutes(n: i64) -> TimeDelta {
    TimeDelta::minutes(n)
}

/// The plan: what each customer's month brings, as commands at instants.
struct Plan {
    steps: Vec<(DateTime<Utc>, usize, CustomerId, Command)>,
    ids: u128,
}

impl Plan {
    fn add(&mut self, at: DateTime<Utc>, customer: CustomerId, command: impl Into<Command>) {
        let order = self.steps.len();
        self.steps.push((at, order, customer, command.into()));
    }

    fn id(&mut self) -> u128 {
        self.ids += 1;
        self.ids
    }
}

fn plan(rng: &mut Rng, start: DateTime<Utc>) -> Plan {
    let mut plan = Plan {
        steps: Vec::new(),
        ids: 0,
    };
    for (n, name) in CUSTOMERS.iter().enumerate() {
        let customer = CustomerId::from_u128(n as u128 + 1);
        let owner = AGENTS[n % 3];
        let register = RegisterCustomer::new(text(name), Tier::new("standard").unwrap())
            .owned_by(owner)
            .prefers(Channel::Email);
        plan.add(start, customer, register);

        // Messages: on about a third of the days, answered within minutes or, now and
        // then, the next morning.
        for day in 0..30 {
            if !rng.chance(30) {
                continue;
            }
            let asked = start + TimeDelta::days(day) + minutes(rng.range(8 * 60, 17 * 60));
            let wait = if rng.chance(85) {
                rng.range(5, 5 * 60)
            } else {
                rng.range(7 * 60, 16 * 60)
            };
            let (q, a) = (plan.id(), plan.id());
            let inbound =
                RecordInteraction::inbound(InteractionId::from_u128(q), Channel::Email, text("?"));
            plan.add(asked, customer, inbound);
            let answer = RecordInteraction::outbound(
                InteractionId::from_u128(a),
                Channel::Email,
                owner,
                text("Answer"),
            );
            plan.add(asked + minutes(wait), customer, answer);
        }

        // Promises: two or three, some done by an outside party.
        for _ in 0..rng.range(2, 3) {
            let made =
                start + TimeDelta::days(rng.range(0, 22)) + minutes(rng.range(9 * 60, 16 * 60));
            let due = made + TimeDelta::days(rng.range(2, 6));
            let promise = PromiseId::from_u128(plan.id());
            let party = rng.chance(45).then(|| PARTIES[usize::from(rng.chance(40))]);
            let mut make = MakePromise::new(promise, text("Glasses ready"), due, owner);
            if let Some((party, name)) = party {
                make = make.fulfilled_by(party, text(name));
            }
            plan.add(made, customer, make);
            // The party's own commitment: a day before ours; the frame maker is less reliable.
            let unreliable = party.is_some_and(|(p, _)| p == PARTIES[1].0);
            let mut delivered_at = None;
            if let Some((party, _)) = party {
                let by = due - TimeDelta::days(1);
                let record = RecordDependency {
                    promise,
                    party,
                    commitment: text("Delivery").into(),
                    reference: None,
                    due: by,
                };
                plan.add(made + minutes(30), customer, record);
                let late = rng.chance(if unreliable { 50 } else { 15 });
                let delivered = if late {
                    by + minutes(rng.range(60, 36 * 60))
                } else {
                    by - minutes(rng.range(60, 12 * 60))
                };
                plan.add(delivered, customer, MeetDependency { promise });
                delivered_at = Some(delivered);
            }
            // We cannot hand over before the party delivers.
            let after_delivery =
                |at: DateTime<Utc>| delivered_at.map_or(at, |d| at.max(d + minutes(30)));
            let roll = rng.range(0, 99) - if unreliable { 25 } else { 0 };
            let keep = KeepPromise { promise };
            if roll >= 40 {
                // Kept on time (unless the party delivered late).
                let kept = after_delivery(due - minutes(rng.range(30, 20 * 60)));
                plan.add(kept, customer, keep);
            } else if roll >= 20 {
                // Re-promised in time, with a word to the customer, then kept.
                let revised_at = due - minutes(rng.range(2 * 60, 20 * 60));
                let new_due = due + TimeDelta::days(rng.range(1, 4));
                let revise = RevisePromise {
                    promise,
                    due: new_due,
                    reason: text("The delivery is late").into(),
                    customer_agreed: true,
                };
                plan.add(revised_at, customer, revise);
                let kept = after_delivery(new_due - minutes(rng.range(30, 6 * 60)));
                plan.add(kept, customer, keep);
            } else if roll >= 8 {
                // Broken in silence, re-promised after the break, kept on the new date.
                let revised_at = due + minutes(rng.range(60, 24 * 60));
                let new_due = revised_at + TimeDelta::days(2);
                let revise = RevisePromise {
                    promise,
                    due: new_due,
                    reason: text("Sorry, another two days").into(),
                    customer_agreed: rng.chance(60),
                };
                plan.add(revised_at, customer, revise);
                let kept = after_delivery(new_due - minutes(rng.range(30, 24 * 60)));
                plan.add(kept, customer, keep);
            } else {
                // Kept late, without a word.
                let kept = after_delivery(due + minutes(rng.range(60, 48 * 60)));
                plan.add(kept, customer, keep);
            }
        }

        // A complaint for about half the customers.
        if rng.chance(55) {
            let complaint = ComplaintId::from_u128(plan.id());
            let received =
                start + TimeDelta::days(rng.range(3, 20)) + minutes(rng.range(9 * 60, 16 * 60));
            plan.add(
                received,
                customer,
                ReceiveComplaint::new(complaint, Channel::Phone, text("Still no glasses")),
            );
            let acknowledged = received + minutes(rng.range(10, 6 * 60));
            plan.add(
                acknowledged,
                customer,
                AcknowledgeComplaint {
                    complaint,
                    by: owner,
                },
            );
            plan.add(
                acknowledged + minutes(5),
                customer,
                AssignComplaint { complaint, owner },
            );
            let mut by = owner;
            let mut worked = acknowledged + minutes(10);
            if rng.chance(35) {
                by = AGENTS[(n + 1) % 3];
                worked += minutes(rng.range(8 * 60, 12 * 60));
                let escalate = EscalateComplaint {
                    complaint,
                    to_level: 1,
                    owner: by,
                };
                plan.add(worked, customer, escalate);
            }
            let resolved = worked + minutes(rng.range(60, 40 * 60));
            let follow_up = FollowUpId::from_u128(plan.id());
            let resolve = ResolveComplaint {
                complaint,
                by,
                remedy: rng.chance(50).then(|| text("Free cleaning kit").into()),
                apology: rng.chance(75),
                summary: text("Glasses handed over").into(),
                follow_up: Some(follow_up),
            };
            plan.add(resolved, customer, resolve);
            let kind = if rng.chance(50) {
                SurveyKind::Csat
            } else {
                SurveyKind::Nps
            };
            let survey = SurveyId::from_u128(plan.id());
            let request = RequestSurvey {
                survey,
                kind,
                complaint: Some(complaint),
            };
            plan.add(resolved + minutes(60), customer, request);
            let answer = match kind {
                SurveyKind::Csat => {
                    SurveyAnswer::Csat(CsatScore::new(rng.range(2, 5) as u8).unwrap())
                }
                SurveyKind::Nps => {
                    SurveyAnswer::Nps(NpsScore::new(rng.range(3, 10) as u8).unwrap())
                }
            };
            let answer = AnswerSurvey {
                survey: Some(survey),
                answer,
                comment: None,
            };
            plan.add(
                resolved + minutes(rng.range(120, 20 * 60)),
                customer,
                answer,
            );
            // The follow-up is due a day after the resolution; done on time, mostly.
            let done = resolved + minutes(rng.range(20 * 60, 30 * 60));
            let outcome = if rng.chance(85) {
                FollowUpOutcome::Satisfied
            } else {
                FollowUpOutcome::Unreachable
            };
            let complete = CompleteFollowUp {
                follow_up,
                outcome,
                note: None,
            };
            plan.add(done, customer, complete);
        }

        // An unprompted NPS answer at the end of the month from most customers.
        if rng.chance(75) {
            let at =
                start + TimeDelta::days(rng.range(25, 29)) + minutes(rng.range(9 * 60, 18 * 60));
            let answer = AnswerSurvey {
                survey: None,
                answer: SurveyAnswer::Nps(NpsScore::new(rng.range(6, 10) as u8).unwrap()),
                comment: None,
            };
            plan.add(at, customer, answer);
        }
    }
    quiet_customer(&mut plan, start);
    plan.steps.sort_by_key(|(at, order, ..)| (*at, *order));
    plan
}

/// Who goes bad without a word: seed 002's customer, the same every month.
const DALIA: (CustomerId, &str) = (CustomerId::from_u128(100), "Dalia");

/// Dalia's month: messages answered within the hour; glasses promised for the 9th, missed in
/// silence, moved to the 16th without telling her ("the outside lab"), missed in silence
/// again. She never complains.
fn quiet_customer(plan: &mut Plan, start: DateTime<Utc>) {
    let (customer, name) = DALIA;
    let register = RegisterCustomer::new(text(name), Tier::new("standard").unwrap())
        .owned_by(AGENTS[0])
        .prefers(Channel::Phone);
    plan.add(start, customer, register);
    for day in [1, 8, 15] {
        let asked = start + TimeDelta::days(day) + minutes(10 * 60);
        let (q, a) = (plan.id(), plan.id());
        let question = RecordInteraction::inbound(
            InteractionId::from_u128(q),
            Channel::Phone,
            text("Are they ready?"),
        );
        plan.add(asked, customer, question);
        let answer = RecordInteraction::outbound(
            InteractionId::from_u128(a),
            Channel::Phone,
            AGENTS[0],
            text("Not yet"),
        );
        plan.add(asked + minutes(20), customer, answer);
    }
    let glasses = PromiseId::from_u128(plan.id());
    let first_due = start + TimeDelta::days(7) + minutes(17 * 60);
    let make = MakePromise::new(glasses, text("Glasses ready"), first_due, AGENTS[0]);
    plan.add(
        start + TimeDelta::days(1) + minutes(11 * 60),
        customer,
        make,
    );
    let revise = RevisePromise {
        promise: glasses,
        due: first_due + TimeDelta::days(7),
        reason: text("the outside lab").into(),
        customer_agreed: false,
    };
    plan.add(first_due + TimeDelta::days(1), customer, revise);
}

fn percent(share: Option<f64>) -> String {
    share.map_or_else(|| "-".to_string(), |s| format!("{:.0}%", s * 100.0))
}

fn span(span: Option<Span>) -> String {
    span.map_or_else(|| "-".to_string(), |s| s.to_string())
}

fn secs(secs: Option<f64>) -> String {
    span(secs.and_then(|s| Span::try_from_secs(s.round() as i64).ok()))
}

fn score(value: Option<f64>) -> String {
    value.map_or_else(|| "-".to_string(), |v| format!("{v:+.0}"))
}

fn party_name(party: PartyId) -> &'static str {
    PARTIES
        .iter()
        .find(|(p, _)| *p == party)
        .map_or("a party", |(_, name)| name)
}

fn print_agents(by_owner: &BTreeMap<AgentId, Measures>) {
    println!("Per agent");
    println!(
        "  {:<7} {:>5} {:>7} {:>5} {:>6} {:>7}  {:>7} {:>8} {:>8} {:>6}  {:>6} {:>7}  {:>9}  {:>5} {:>5}",
        "agent",
        "made",
        "on time",
        "late",
        "broken",
        "on-time",
        "answers",
        "median",
        "p90",
        "in tgt",
        "solved",
        "ack ok",
        "follow-up",
        "CSAT",
        "NPS"
    );
    for (agent, m) in by_owner {
        let promises = m.promises.total();
        let responses = m.responses.all();
        let follow_ups = &m.follow_ups;
        println!(
            "  {:<7} {:>5} {:>7} {:>5} {:>6} {:>7}  {:>7} {:>8} {:>8} {:>6}  {:>6} {:>7}  {:>9}  {:>5} {:>5}",
            common::name(Some(*agent)),
            promises.made,
            promises.kept_on_time(),
            promises.kept_late(),
            promises.broken,
            percent(promises.on_time_rate()),
            responses.answered(),
            span(responses.wall.median()),
            span(responses.wall.p90()),
            percent(responses.within_target()),
            m.complaints.resolved,
            percent(m.complaints.acknowledgement.on_time_share()),
            format!("{}/{}", follow_ups.done.met, follow_ups.came_due()),
            percent(m.surveys.csat()),
            score(m.surveys.nps()),
        );
    }
    println!();
}

fn print_parties(by_party: &BTreeMap<PartyId, Measures>) {
    println!("Per outside party (promises they fulfil for us; their own commitments to us)");
    println!(
        "  {:<12} {:>5} {:>7} {:>5} {:>6} {:>7}   {:>9} {:>9} {:>9} {:>9}",
        "party",
        "made",
        "on time",
        "late",
        "broken",
        "on-time",
        "delivered",
        "on time",
        "mean late",
        "went late"
    );
    for (party, m) in by_party {
        let p = &m.promises.outside;
        let d = &m.dependencies;
        println!(
            "  {:<12} {:>5} {:>7} {:>5} {:>6} {:>7}   {:>9} {:>9} {:>9} {:>9}",
            party_name(*party),
            p.made,
            p.kept_on_time(),
            p.kept_late(),
            p.broken,
            percent(p.on_time_rate()),
            d.met.total(),
            d.met.met,
            secs(d.met.mean_lateness_wall_secs()),
            d.late,
        );
    }
    println!();
}

fn print_times(label: &str, d: &Durations) {
    println!(
        "    {label:<22} n={:<3} mean {:>8}  median {:>8}  p90 {:>8}  p99 {:>8}  max {:>8}  sd {:>8}  IQR {:>8}",
        d.count(),
        secs(d.mean_secs()),
        span(d.median()),
        span(d.p90()),
        span(d.p99()),
        span(d.max()),
        secs(d.std_dev_secs()),
        span(d.interquartile_range()),
    );
}

fn print_book(book: &Measures) {
    println!("The whole book");
    let all = book.promises.total();
    println!("  Promises");
    for (label, p) in [
        ("ours", &book.promises.ours),
        ("outside", &book.promises.outside),
        ("all", &all),
    ] {
        println!(
            "    {label:<8} made {:>2}, kept on time {:>2}, kept late {:>2}, broken {:>2} ({} breaks: {} in silence, {} with notice), withdrawn {}; on time {}; slips per promise {:.2}, mean slip {}",
            p.made,
            p.kept_on_time(),
            p.kept_late(),
            p.broken,
            p.breaks,
            p.broken_in_silence,
            p.broken_with_notice,
            p.withdrawn,
            percent(p.on_time_rate()),
            p.slips_per_promise().unwrap_or(0.0),
            secs(p.mean_cumulative_slip_secs()),
        );
    }
    println!(
        "    re-promised {} times ({} in time, {} after the break); {} promises slipped repeatedly; mean lateness when kept late {}",
        all.revised,
        all.revised_proactively,
        all.revised_after_break,
        all.slipped_repeatedly,
        secs(all.kept.mean_lateness_wall_secs()),
    );

    println!("  Responsiveness (business time; the calendar is always open)");
    for (label, times) in [
        ("first response", &book.responses.first_response),
        ("reply", &book.responses.reply),
    ] {
        print_times(label, &times.business);
        println!(
            "    {:<22} within target {}, overdue {}, mean lateness {}",
            "",
            percent(times.within_target()),
            times.overdue,
            secs(times.outcomes.mean_lateness_business_secs()),
        );
    }

    let c = &book.complaints;
    println!("  Complaints");
    println!(
        "    received {}, acknowledged on time {}, resolved {} (within target {}), escalated {} ({}), escalations due {}, reopened {}",
        c.received,
        percent(c.acknowledgement.on_time_share()),
        c.resolved,
        percent(c.resolution.on_time_share()),
        c.escalated(),
        c.escalations
            .iter()
            .map(|(level, n)| format!("{n} to level {level}"))
            .collect::<Vec<_>>()
            .join(", "),
        c.escalations_due,
        percent(c.reopen_rate()),
    );
    print_times("time to acknowledge", &c.time_to_acknowledge);
    print_times("time to resolve", &c.time_to_resolve);
    println!(
        "    resolved with an apology {}, with a remedy {}",
        percent(c.apology_share()),
        percent(c.remedy_share()),
    );

    let f = &book.follow_ups;
    println!("  Follow-ups");
    println!(
        "    scheduled {}, came due {}, done on time {} ({}), done late {}, overdue {}; satisfied {}, not satisfied {}, unreachable {}",
        f.scheduled,
        f.came_due(),
        f.done.met,
        percent(f.on_time_rate()),
        f.done.met_late,
        f.overdue,
        f.satisfied,
        f.not_satisfied,
        f.unreachable,
    );

    let s = &book.surveys;
    println!("  Surveys");
    println!(
        "    CSAT {} ({} of {} answered 4 or 5)",
        percent(s.csat()),
        s.csat_satisfied(),
        s.csat_answers(),
    );
    println!(
        "    NPS {} ({} promoters, {} passives, {} detractors of {})",
        score(s.nps()),
        s.promoters(),
        s.passives(),
        s.detractors(),
        s.nps_answers(),
    );
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let seed = std::env::args()
        .nth(1)
        .map_or(Ok(7), |s| s.parse::<u64>())?;
    let start = Utc.with_ymd_and_hms(2026, 3, 2, 0, 0, 0).unwrap();
    let end = Utc.with_ymd_and_hms(2026, 4, 1, 0, 0, 0).unwrap();
    let mut rng = Rng(seed);
    let plan = plan(&mut rng, start);

    // Run the month as a service would: wake at every deadline, then act.
    let mut ledger = Ledger::new(ServicePolicy::default())?;
    let mut log = Vec::new();
    let mut refused = 0;
    for (at, _, customer, command) in plan.steps {
        while let Some(deadline) = ledger.next_deadline().filter(|d| d.at <= at) {
            log.extend(ledger.advance_to(deadline.at));
        }
        match ledger.execute(customer, command, at) {
            Ok(events) => log.extend(events),
            Err(e) => {
                eprintln!("refused at {at}: {e}");
                refused += 1
            }
        }
    }
    while let Some(deadline) = ledger.next_deadline().filter(|d| d.at < end) {
        log.extend(ledger.advance_to(deadline.at));
    }

    let march = Window::new(start, end)?;
    let tally = Tally::from_log(march, &log)?;
    println!(
        "A month at the optician's, {} to {} (seed {seed}): {} customers, 3 agents, 2 outside parties, {} events stored{}",
        common::when(march.from()),
        common::when(march.to()),
        CUSTOMERS.len(),
        log.len(),
        if refused > 0 {
            format!(" ({refused} planned steps refused by the engine)")
        } else {
            String::new()
        },
    );
    println!();
    print_agents(tally.by_owner());
    print_parties(tally.by_party());
    print_book(tally.book());
    print_health_moves(&tally);
    print_health(&ledger, end);
    Ok(())
}

/// Customers entering and leaving "at risk" in the month, book-wide and per account owner.
fn print_health_moves(tally: &Tally) {
    let line = |health: &clientele::measure::HealthMeasures| {
        format!(
            "entered at risk {}, left {}, gone quiet {}; reasons named: {:?}",
            health.entered_at_risk, health.left_at_risk, health.gone_quiet, health.reasons
        )
    };
    println!("\nHealth moves in the month");
    println!("  book                   {}", line(&tally.book().health));
    for (agent, measures) in tally.by_owner() {
        println!(
            "  {:<22} {}",
            common::name(Some(*agent)),
            line(&measures.health)
        );
    }
}

/// Every customer's health at the end of the month, worst first, with the reasons: the ones
/// going bad in silence show up here even if they never complained.
fn print_health(ledger: &Ledger, at: chrono::DateTime<chrono::Utc>) {
    println!(
        "\nRelationship health on {} (worst first)",
        common::when(at)
    );
    let mut rows: Vec<_> = CUSTOMERS
        .iter()
        .enumerate()
        .map(|(n, name)| (CustomerId::from_u128(n as u128 + 1), *name))
        .chain([DALIA])
        .filter_map(|(customer, name)| {
            let relationship = ledger.get(customer)?;
            let complained = relationship.complaints().next().is_some();
            Some((relationship.health(ledger.policy(), at), name, complained))
        })
        .collect();
    rows.sort_by_key(|(health, name, _)| (health.score, *name));
    for (health, name, complained) in rows {
        // Why: the points each signal costs (they sum to 100 − score), severe ones marked.
        let reasons: Vec<String> = health
            .lost
            .iter()
            .map(|(signal, points)| {
                let severe = if health.severe.contains(signal) {
                    " severe"
                } else {
                    ""
                };
                format!("{signal:?} −{points}{severe}")
            })
            .collect();
        println!(
            "  {name:<18} {:>3}/100  {:<8} trend {:+3}  {}{}",
            health.score,
            format!("{:?}", health.band),
            health.trend,
            if reasons.is_empty() {
                "-".to_string()
            } else {
                reasons.join(", ")
            },
            if !complained && health.band != clientele::Band::Healthy {
                "  (never complained)"
            } else {
                ""
            },
        );
    }
}
