use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::id::{AgentId, ComplaintId, InteractionId, PartyId, PromiseId};
use crate::personal::Personal;
use crate::promise::Fulfiller;
use crate::value::Text;

/// What the service can ask of this family. `#[non_exhaustive]`: later releases add
/// commands; build one from its struct (`.into()`), and match with a `_` arm.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub enum PromiseCommand {
    /// Make a promise to the customer.
    #[serde(rename = "make_promise")]
    Make(MakePromise),
    /// Promise a new due instant ("another week").
    #[serde(rename = "revise_promise")]
    Revise(RevisePromise),
    /// The promise was kept.
    #[serde(rename = "keep_promise")]
    Keep(KeepPromise),
    /// Release a promise (the customer no longer needs it, or it cannot be done).
    #[serde(rename = "withdraw_promise")]
    Withdraw(WithdrawPromise),
    /// Record an outside party's own commitment behind a promise.
    #[serde(rename = "record_dependency")]
    RecordDependency(RecordDependency),
    /// The outside party delivered.
    #[serde(rename = "meet_dependency")]
    MeetDependency(MeetDependency),
}

impl PromiseCommand {
    /// The command's name, as its `type` tag on the wire.
    ///
    /// ```
    /// use clientele::{KeepPromise, PromiseId};
    /// use clientele::promise::PromiseCommand;
    ///
    /// assert_eq!(PromiseCommand::from(KeepPromise::new(PromiseId::from_u128(5))).name(), "keep_promise");
    /// ```
    #[must_use]
    pub const fn name(&self) -> &'static str {
        match self {
            Self::Make(_) => "make_promise",
            Self::Revise(_) => "revise_promise",
            Self::Keep(_) => "keep_promise",
            Self::Withdraw(_) => "withdraw_promise",
            Self::RecordDependency(_) => "record_dependency",
            Self::MeetDependency(_) => "meet_dependency",
        }
    }
}

impl From<MakePromise> for PromiseCommand {
    fn from(command: MakePromise) -> Self {
        Self::Make(command)
    }
}

impl From<RevisePromise> for PromiseCommand {
    fn from(command: RevisePromise) -> Self {
        Self::Revise(command)
    }
}

impl From<KeepPromise> for PromiseCommand {
    fn from(command: KeepPromise) -> Self {
        Self::Keep(command)
    }
}

impl From<WithdrawPromise> for PromiseCommand {
    fn from(command: WithdrawPromise) -> Self {
        Self::Withdraw(command)
    }
}

impl From<RecordDependency> for PromiseCommand {
    fn from(command: RecordDependency) -> Self {
        Self::RecordDependency(command)
    }
}

impl From<MeetDependency> for PromiseCommand {
    fn from(command: MeetDependency) -> Self {
        Self::MeetDependency(command)
    }
}

/// Make a promise to the customer: what, by when (exactly what the customer was told), owned
/// by one of our agents, done by us or by an outside party.
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use clientele::{AgentId, Fulfiller, MakePromise, PartyId, PromiseId, Text};
///
/// let glasses = MakePromise::new(
///     PromiseId::from_u128(1),
///     Text::new("New glasses ready for pick-up")?,
///     Utc.with_ymd_and_hms(2026, 3, 13, 17, 0, 0).unwrap(),
///     AgentId::from_u128(7),
/// )
/// .fulfilled_by(PartyId::from_u128(3), Text::new("Lens lab")?);
/// assert!(matches!(glasses.fulfiller, Fulfiller::Party { .. }));
/// # Ok::<(), clientele::ValueError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct MakePromise {
    /// A new id for the promise.
    pub promise: PromiseId,
    /// What is promised.
    pub what: Personal,
    /// The due instant told to the customer.
    pub due: DateTime<Utc>,
    /// Our agent who owns it.
    pub owner: AgentId,
    /// Who does the work.
    pub fulfiller: Fulfiller,
    /// The interaction in which it was made.
    #[serde(default)]
    pub interaction: Option<InteractionId>,
    /// The complaint it answers.
    #[serde(default)]
    pub complaint: Option<ComplaintId>,
}

impl MakePromise {
    /// A promise we fulfil ourselves.
    ///
    /// ```
    /// # use clientele::{*, chrono::{TimeDelta, TimeZone, Utc}};
    /// # let (policy, monday) = (ServicePolicy::default(), Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap());
    /// # let (glasses, jonas) = (PromiseId::from_u128(5), AgentId::from_u128(7));
    /// # let friday = monday + TimeDelta::days(4);
    /// # let mut ona = Relationship::new(CustomerId::from_u128(1)); ona.execute(&policy, RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?), monday)?;
    /// use clientele::promise::PromiseStage;
    ///
    /// // "Your glasses will be ready on Friday": exactly what the customer was told.
    /// ona.execute(&policy, MakePromise::new(glasses, Text::new("Glasses ready")?, friday, jonas), monday)?;
    /// assert_eq!(ona.promise_stage(glasses), Some(PromiseStage::Open));
    /// // Friday comes and nothing happened: it breaks by itself, at the due instant.
    /// let events = ona.advance_to(&policy, friday);
    /// assert_eq!(events.last().map(|e| (e.event.kind(), e.at)), Some(("promise_broken", friday)));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn new(
        promise: PromiseId,
        what: impl Into<Personal>,
        due: DateTime<Utc>,
        owner: AgentId,
    ) -> Self {
        Self {
            promise,
            what: what.into(),
            due,
            owner,
            fulfiller: Fulfiller::Us,
            interaction: None,
            complaint: None,
        }
    }

    /// Says an outside party does the work (our owner stays responsible).
    ///
    /// ```
    /// use clientele::chrono::{TimeZone, Utc};
    /// use clientele::{AgentId, Fulfiller, MakePromise, PartyId, PromiseId, Text};
    ///
    /// let friday = Utc.with_ymd_and_hms(2026, 3, 6, 17, 0, 0).unwrap();
    /// let lab = PartyId::from_u128(9);
    /// let make = MakePromise::new(PromiseId::from_u128(5), Text::new("Lenses ground")?, friday, AgentId::from_u128(7))
    ///     .fulfilled_by(lab, Text::new("Lens lab")?);
    /// assert!(matches!(make.fulfiller, Fulfiller::Party { party, .. } if party == lab));
    /// assert_eq!(make.owner, AgentId::from_u128(7)); // still ours to answer for
    /// # Ok::<(), clientele::ValueError>(())
    /// ```
    #[must_use]
    pub fn fulfilled_by(mut self, party: PartyId, name: Text) -> Self {
        self.fulfiller = Fulfiller::Party { party, name };
        self
    }

    /// Links the interaction in which the promise was made.
    ///
    /// ```
    /// # use clientele::{*, chrono::{TimeDelta, TimeZone, Utc}};
    /// # let (policy, monday) = (ServicePolicy::default(), Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap());
    /// # let (glasses, jonas) = (PromiseId::from_u128(5), AgentId::from_u128(7));
    /// # let friday = monday + TimeDelta::days(4);
    /// # let mut ona = Relationship::new(CustomerId::from_u128(1)); ona.execute(&policy, RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?), monday)?;
    /// # let hello = InteractionId::from_u128(2);
    /// ona.execute(&policy, RecordInteraction::inbound(hello, Channel::Phone, Text::new("When?")?), monday)?;
    /// let make = MakePromise::new(glasses, Text::new("Glasses ready")?, friday, jonas).made_in(hello);
    /// ona.execute(&policy, make, monday)?;
    /// assert_eq!(ona.promise(glasses).and_then(|p| p.terms.interaction()), Some(hello));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn made_in(mut self, interaction: InteractionId) -> Self {
        self.interaction = Some(interaction);
        self
    }

    /// Links the complaint the promise answers.
    ///
    /// ```
    /// # use clientele::{*, chrono::{TimeDelta, TimeZone, Utc}};
    /// # let (policy, monday) = (ServicePolicy::default(), Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap());
    /// # let (glasses, jonas) = (PromiseId::from_u128(5), AgentId::from_u128(7));
    /// # let friday = monday + TimeDelta::days(4);
    /// # let mut ona = Relationship::new(CustomerId::from_u128(1)); ona.execute(&policy, RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?), monday)?;
    /// let late = ComplaintId::from_u128(3);
    /// ona.execute(&policy, ReceiveComplaint::new(late, Channel::Phone, Text::new("Glasses late")?), monday)?;
    /// let make = MakePromise::new(glasses, Text::new("Glasses ready")?, friday, jonas).answering(late);
    /// ona.execute(&policy, make, monday)?;
    /// assert_eq!(ona.promise(glasses).and_then(|p| p.terms.complaint()), Some(late));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn answering(mut self, complaint: ComplaintId) -> Self {
        self.complaint = Some(complaint);
        self
    }
}

/// Promise a new, later due instant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct RevisePromise {
    /// The promise.
    pub promise: PromiseId,
    /// The new due instant.
    pub due: DateTime<Utc>,
    /// Why.
    pub reason: Personal,
    /// Whether the customer agreed to it.
    pub customer_agreed: bool,
}

impl RevisePromise {
    /// Moves `promise` to `due`, for `reason`, without the customer's agreement until
    /// [`agreed`](Self::agreed) says so.
    ///
    /// ```
    /// # use clientele::{*, chrono::{TimeDelta, TimeZone, Utc}};
    /// # let (policy, monday) = (ServicePolicy::default(), Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap());
    /// # let (glasses, jonas) = (PromiseId::from_u128(5), AgentId::from_u128(7));
    /// # let friday = monday + TimeDelta::days(4);
    /// # let mut ona = Relationship::new(CustomerId::from_u128(1)); ona.execute(&policy, RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?), monday)?;
    /// # ona.execute(&policy, MakePromise::new(glasses, Text::new("Glasses ready")?, friday, jonas), monday)?;
    /// // Told on Wednesday, before the due instant: a proactive slip.
    /// let next_monday = friday + TimeDelta::days(3);
    /// let revise = RevisePromise::new(glasses, next_monday, Text::new("The lab is behind")?);
    /// ona.execute(&policy, revise, monday + TimeDelta::days(2))?;
    /// let terms = &ona.promise(glasses).ok_or("outstanding")?.terms;
    /// assert_eq!((terms.original_due(), terms.due, terms.revisions().len()), (friday, next_monday, 1));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn new(promise: PromiseId, due: DateTime<Utc>, reason: impl Into<Personal>) -> Self {
        Self {
            promise,
            due,
            reason: reason.into(),
            customer_agreed: false,
        }
    }

    /// Says the customer agreed to the new due instant.
    ///
    /// ```
    /// use clientele::chrono::{TimeZone, Utc};
    /// use clientele::{PromiseId, RevisePromise, Text};
    ///
    /// let monday = Utc.with_ymd_and_hms(2026, 3, 9, 17, 0, 0).unwrap();
    /// let revise = RevisePromise::new(PromiseId::from_u128(5), monday, Text::new("The lab is behind")?).agreed();
    /// assert!(revise.customer_agreed);
    /// # Ok::<(), clientele::ValueError>(())
    /// ```
    #[must_use]
    pub const fn agreed(mut self) -> Self {
        self.customer_agreed = true;
        self
    }
}

/// The promise was kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct KeepPromise {
    /// The promise.
    pub promise: PromiseId,
}

impl KeepPromise {
    /// `promise` was kept.
    ///
    /// ```
    /// # use clientele::{*, chrono::{TimeDelta, TimeZone, Utc}};
    /// # let (policy, monday) = (ServicePolicy::default(), Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap());
    /// # let (glasses, jonas) = (PromiseId::from_u128(5), AgentId::from_u128(7));
    /// # let friday = monday + TimeDelta::days(4);
    /// # let mut ona = Relationship::new(CustomerId::from_u128(1)); ona.execute(&policy, RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?), monday)?;
    /// use clientele::promise::PromiseStage;
    /// # ona.execute(&policy, MakePromise::new(glasses, Text::new("Glasses ready")?, friday, jonas), monday)?;
    ///
    /// // Kept on Friday, one second before it was due: on time. At the due instant it would be late.
    /// ona.execute(&policy, KeepPromise::new(glasses), friday - TimeDelta::seconds(1))?;
    /// assert_eq!(ona.promise_stage(glasses), Some(PromiseStage::Kept));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub const fn new(promise: PromiseId) -> Self {
        Self { promise }
    }
}

/// Release a promise.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct WithdrawPromise {
    /// The promise.
    pub promise: PromiseId,
    /// Why.
    pub reason: Personal,
}

impl WithdrawPromise {
    /// Releases `promise`, for `reason`.
    ///
    /// ```
    /// # use clientele::{*, chrono::{TimeDelta, TimeZone, Utc}};
    /// # let (policy, monday) = (ServicePolicy::default(), Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap());
    /// # let (glasses, jonas) = (PromiseId::from_u128(5), AgentId::from_u128(7));
    /// # let friday = monday + TimeDelta::days(4);
    /// # let mut ona = Relationship::new(CustomerId::from_u128(1)); ona.execute(&policy, RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?), monday)?;
    /// use clientele::promise::PromiseStage;
    /// # ona.execute(&policy, MakePromise::new(glasses, Text::new("Glasses ready")?, friday, jonas), monday)?;
    ///
    /// ona.execute(&policy, WithdrawPromise::new(glasses, Text::new("Customer cancelled the order")?), monday)?;
    /// assert_eq!(ona.promise_stage(glasses), Some(PromiseStage::Withdrawn));
    /// assert_eq!(ona.next_deadline(), None); // nothing left to watch
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn new(promise: PromiseId, reason: impl Into<Personal>) -> Self {
        Self {
            promise,
            reason: reason.into(),
        }
    }
}

/// Record an outside party's commitment to us behind a promise ("the lab said Thursday").
/// Recording again replaces it (the party gave a new date).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct RecordDependency {
    /// The promise that depends on it.
    pub promise: PromiseId,
    /// The party.
    pub party: PartyId,
    /// What they committed to.
    pub commitment: Personal,
    /// The party's own reference for it (an order or job number), to chase it by.
    #[serde(default)]
    pub reference: Option<Text>,
    /// When they said it would be done.
    pub due: DateTime<Utc>,
}

impl RecordDependency {
    /// `party` committed to `commitment` by `due`, behind `promise`; no reference until
    /// [`reference`](Self::reference) gives one.
    ///
    /// ```
    /// # use clientele::{*, chrono::{TimeDelta, TimeZone, Utc}};
    /// # let (policy, monday) = (ServicePolicy::default(), Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap());
    /// # let (glasses, jonas) = (PromiseId::from_u128(5), AgentId::from_u128(7));
    /// # let friday = monday + TimeDelta::days(4);
    /// # let mut ona = Relationship::new(CustomerId::from_u128(1)); ona.execute(&policy, RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?), monday)?;
    /// # ona.execute(&policy, MakePromise::new(glasses, Text::new("Glasses ready")?, friday, jonas), monday)?;
    /// let lab = PartyId::from_u128(9);
    /// let thursday = friday - TimeDelta::days(1);
    /// ona.execute(&policy, RecordDependency::new(glasses, lab, Text::new("Lenses delivered")?, thursday), monday)?;
    /// // The lab misses Thursday: the promise to Ona is at risk at once.
    /// let events = ona.advance_to(&policy, thursday);
    /// assert!(events.iter().any(|e| e.event.kind() == "dependency_late"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn new(
        promise: PromiseId,
        party: PartyId,
        commitment: impl Into<Personal>,
        due: DateTime<Utc>,
    ) -> Self {
        Self {
            promise,
            party,
            commitment: commitment.into(),
            reference: None,
            due,
        }
    }

    /// The party's own reference for it (an order or job number).
    ///
    /// ```
    /// use clientele::chrono::{TimeZone, Utc};
    /// use clientele::{PartyId, PromiseId, RecordDependency, Text};
    ///
    /// let thursday = Utc.with_ymd_and_hms(2026, 3, 5, 12, 0, 0).unwrap();
    /// let dependency = RecordDependency::new(PromiseId::from_u128(5), PartyId::from_u128(9), Text::new("Lenses delivered")?, thursday)
    ///     .reference(Text::new("LAB-20931")?);
    /// assert_eq!(dependency.reference.as_ref().map(Text::as_str), Some("LAB-20931"));
    /// # Ok::<(), clientele::ValueError>(())
    /// ```
    #[must_use]
    pub fn reference(mut self, reference: Text) -> Self {
        self.reference = Some(reference);
        self
    }
}

/// The outside party delivered on its commitment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct MeetDependency {
    /// The promise whose dependency was met.
    pub promise: PromiseId,
}

impl MeetDependency {
    /// The outside party behind `promise` delivered.
    ///
    /// ```
    /// # use clientele::{*, chrono::{TimeDelta, TimeZone, Utc}};
    /// # let (policy, monday) = (ServicePolicy::default(), Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap());
    /// # let (glasses, jonas) = (PromiseId::from_u128(5), AgentId::from_u128(7));
    /// # let friday = monday + TimeDelta::days(4);
    /// # let mut ona = Relationship::new(CustomerId::from_u128(1)); ona.execute(&policy, RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?), monday)?;
    /// use clientele::promise::DependencyState;
    /// # ona.execute(&policy, MakePromise::new(glasses, Text::new("Glasses ready")?, friday, jonas), monday)?;
    ///
    /// let thursday = friday - TimeDelta::days(1);
    /// ona.execute(&policy, RecordDependency::new(glasses, PartyId::from_u128(9), Text::new("Lenses delivered")?, thursday), monday)?;
    /// ona.execute(&policy, MeetDependency::new(glasses), monday + TimeDelta::days(2))?;
    /// let dependency = ona.promise(glasses).and_then(|p| p.terms.dependency()).ok_or("recorded")?;
    /// assert!(matches!(dependency.state, DependencyState::Met { .. }));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub const fn new(promise: PromiseId) -> Self {
        Self { promise }
    }
}
