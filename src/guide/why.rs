//! Why: the design choices a reviewer questions, with the reason for each and where the
//! code keeps it. The reasons come from the seeds the crate was built on (five short texts on
//! customer relationships, cited by number: seed 002 is the optician's story, seed 003 the
//! five ingredients of service); each section ends with an example that shows the rule.
//!
//! # Recording time never runs backwards
//!
//! A command's `now` is when the service records it. A `now` earlier than the last one a
//! relationship recorded is refused with
//! [`TimeWentBackwards`](crate::CommandError::TimeWentBackwards), never clamped to the last
//! instant ([`Relationship::decide`](crate::Relationship::decide)); replay refuses such a
//! log the same way ([`ReplayError::OutOfOrder`](crate::ReplayError::OutOfOrder)). A fact that
//! *happened* earlier is said as such, with
//! [`Request::occurred_at`](crate::Request::occurred_at): it is dated when it happened and
//! keeps when it was recorded, and what was recorded before it stands (see the
//! [relationship docs](crate::relationship), "Facts reported late").
//!
//! Why: the log is the record the service answers from, and "consistency is the glue"
//! (seed 003, §5 "Съгласуваност": can customers count on the same service every time?). A
//! clamped time would invent a moment nobody saw; a log whose recording times go back could
//! replay into another state than the one the service acted on. With recording time
//! monotonic per customer, the log read back in `seq` order is the order things were decided
//! in, and replay rebuilds exactly the state that made each decision.
//!
//! ```
//! # use clientele::{*, chrono::{TimeDelta, TimeZone, Utc}};
//! # let (policy, monday) = (ServicePolicy::default(), Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap());
//! # let mut ona = Relationship::new(CustomerId::from_u128(1)); ona.execute(&policy, RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?), monday)?;
//! let (ten, eleven) = (monday + TimeDelta::hours(1), monday + TimeDelta::hours(2));
//! let call = RecordInteraction::inbound(InteractionId::from_u128(2), Channel::Phone, Text::new("Hello?")?);
//! ona.execute(&policy, call.clone(), eleven)?;
//! // The clock of a second writer says 10:00: refused, not clamped.
//! let second = RecordInteraction { interaction: InteractionId::from_u128(3), ..call.clone() };
//! assert!(matches!(ona.execute(&policy, second.clone(), ten), Err(CommandError::TimeWentBackwards { .. })));
//! // A call that happened at 10:00 and is logged now says so.
//! let events = ona.execute_request(&policy, Request::new(second).occurred_at(ten), eleven)?;
//! assert_eq!((events[0].at, events[0].recorded_at()), (ten, eleven));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Deadlines are dated at themselves
//!
//! A deadline's event (a warning, a breach, a promise broken, a follow-up overdue) is dated at
//! the deadline, not when the service woke up and noticed: [`advance_to`] and [`due_by`] give
//! each event its own instant, and a command decided after deadlines it finds passed records
//! them first, at their instants. Measures count an event in the window its instant falls in
//! ([`crate::measure`]), health reads it from then on, and a flag's `since` is that instant.
//!
//! Why: "the clock of responsiveness ticks in the customer's head while they wait" (seed 003,
//! §3 "Отзивчивост"). The customer's wait went past its target at the deadline, whether our
//! timer loop ran at that second, an hour later or after a restart; a figure that depended
//! on when the service woke would measure the service's scheduler, not the customer's wait,
//! and two services replaying the same facts would disagree.
//!
//! ```
//! # use clientele::{*, chrono::{TimeDelta, TimeZone, Utc}};
//! # let (policy, monday) = (ServicePolicy::default(), Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap());
//! # let mut ona = Relationship::new(CustomerId::from_u128(1)); ona.execute(&policy, RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?), monday)?;
//! let hello = RecordInteraction::inbound(InteractionId::from_u128(2), Channel::Email, Text::new("Hello?")?);
//! ona.execute(&policy, hello, monday)?; // answer within 8 h
//! // The service was down all night and wakes on Tuesday.
//! let events = ona.advance_to(&policy, monday + TimeDelta::days(1));
//! let overdue = events.iter().find(|e| e.event.kind() == "response_overdue").ok_or("overdue")?;
//! assert_eq!(overdue.at, monday + TimeDelta::hours(8)); // when the customer's wait ran out
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Closing time stays closing time
//!
//! Business time is added on the service's calendar, and the result is the *earliest*
//! instant at which the time has passed ([`ServiceCalendar::add`]): a deadline that lands
//! exactly on closing time is due at closing time, not at the next opening. Work done at the
//! due instant is late ([`ServicePolicy::outcome`]: met means strictly before).
//!
//! Why: customers expect us to be "reliable and exact" (seed 003, §1 "Надеждност": "надеждни
//! и точни"). "By the end of Friday" means Friday 17:00 to the customer; rolling it to Monday
//! 09:00 would give the same working time on paper while telling the customer, the warnings
//! and the measures that a weekend of waiting was on time. The next opening is where
//! counting *starts* (a message that arrives at night), never where a deadline that has
//! already run out is parked.
//!
//! ```
//! use clientele::chrono::{TimeZone, Utc};
//! use clientele::calendar::WallTime;
//! use clientele::{ServiceCalendar, Span};
//!
//! let desk = ServiceCalendar::builder("UTC")?.weekdays(WallTime::hm(9, 0)?, WallTime::hm(17, 0)?).build()?;
//! let friday = |h| Utc.with_ymd_and_hms(2026, 3, 6, h, 0, 0).unwrap();
//! assert_eq!(desk.add(friday(14), Span::hours(3))?, friday(17)); // not Monday 09:00
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Promises never pause
//!
//! A promise is due at exactly the instant the customer was told, in wall-clock time, and
//! nothing pauses it: not a wait on the customer, not an outside party's delay
//! ([`crate::promise`]). When it cannot be kept, it is re-promised ([`RevisePromise`]): a
//! revision recorded beside the original due instant, counted as a slip, proactive when the
//! customer was told before the break. (The *update cadence* about a promise, how long the
//! customer may go without hearing from us, does pause while we await their answer: that
//! clock measures our silence, not the promise.)
//!
//! Why: "can your customers trust you to do everything you promised?" (seed 003, §1). In seed
//! 002 the optician promised glasses in a week, then another week, and blamed the lab: the
//! customer's week ran all the same, and "outsourcing does not relieve you of your
//! responsibility to your customers, certainly not in their eyes". So an outside party's
//! commitment is recorded beside the promise ([`RecordDependency`]) and its lateness puts the
//! promise at risk at once, but the promise stays ours and keeps its date; "do what you say,
//! say what you do" (seed 002) is the re-promise, not a stopped clock.
//!
//! ```
//! # use clientele::{*, chrono::{TimeDelta, TimeZone, Utc}};
//! use clientele::promise::PromiseStage;
//! # let (policy, monday) = (ServicePolicy::default(), Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap());
//! # let mut ona = Relationship::new(CustomerId::from_u128(1)); ona.execute(&policy, RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?), monday)?;
//!
//! let (glasses, jonas, lab) = (PromiseId::from_u128(5), AgentId::from_u128(7), PartyId::from_u128(9));
//! let in_a_week = monday + TimeDelta::days(7);
//! ona.execute(&policy, MakePromise::new(glasses, Text::new("Glasses ready")?, in_a_week, jonas), monday)?;
//! let thursday = monday + TimeDelta::days(3);
//! ona.execute(&policy, RecordDependency::new(glasses, lab, Text::new("Lenses ground")?, thursday), monday)?;
//! // The lab is late, nobody tells the customer: the promise breaks on its day all the same.
//! let events = ona.advance_to(&policy, in_a_week);
//! assert!(events.iter().any(|e| e.event.kind() == "dependency_late" && e.at == thursday));
//! assert!(events.iter().any(|e| e.event.kind() == "promise_broken" && e.at == in_a_week));
//! assert_eq!(ona.promise_stage(glasses), Some(PromiseStage::Broken));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! [`advance_to`]: crate::Relationship::advance_to
//! [`due_by`]: crate::Relationship::due_by
//! [`ServiceCalendar::add`]: crate::ServiceCalendar::add
//! [`ServicePolicy::outcome`]: crate::ServicePolicy::outcome
//! [`RevisePromise`]: crate::RevisePromise
//! [`RecordDependency`]: crate::RecordDependency
