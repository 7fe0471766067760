//! The promise's data and its transition table: the terms, the states with their data, the
//! stages and actions, and the one place a promise changes stage (`Promise::transition`).

use std::sync::LazyLock;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::id::{AgentId, ComplaintId, InteractionId, PartyId, PromiseId};
use crate::lazy::{self, Lazy};
use crate::lifecycle::{Entity, Lifecycle, Refused};
use crate::personal::{Erase, Personal};
use crate::value::{Span, Text};

/// Who does the work behind a promise. Whoever it is, the promise is owned by one of ours.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "by", rename_all = "snake_case")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum Fulfiller {
    /// We do it ourselves.
    #[default]
    Us,
    /// An outside party (a vendor, a lab) does it for us.
    Party {
        /// The party.
        party: PartyId,
        /// Its name, as recorded when the promise was made.
        name: Text,
    },
}

/// [`Fulfiller`] in a snapshot's binary form (see `crate::compact`).
#[derive(Serialize, Deserialize)]
#[serde(remote = "Fulfiller")]
enum FulfillerBinary {
    Us,
    Party { party: PartyId, name: Text },
}

crate::compact::either_form!(fulfiller_form, Fulfiller, FulfillerBinary);

/// Whether a revision was made before the due instant or after the promise broke.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum RevisionTiming {
    /// Before the due instant: the customer was told in time.
    Proactive,
    /// After the promise broke.
    AfterBreak,
}

/// Whether the customer had heard from us about a promise when it broke.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum Notice {
    /// We had told the customer something since the promise was made or last revised.
    WithNotice,
    /// We had said nothing.
    InSilence,
}

/// Why a promise is at risk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum AtRiskReason {
    /// The policy's lead before the due instant was reached.
    LeadReached,
    /// The outside party's commitment to us passed unmet.
    DependencyLate,
}

/// One re-promise: a new due instant, appended to the promise's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Revision {
    /// When the re-promise was made.
    #[serde(with = "crate::compact::instant")]
    pub at: DateTime<Utc>,
    /// The due instant before it.
    #[serde(with = "crate::compact::instant")]
    pub previous_due: DateTime<Utc>,
    /// The new due instant.
    #[serde(with = "crate::compact::instant")]
    pub due: DateTime<Utc>,
    /// Why.
    pub reason: Personal,
    /// Before the due instant, or after the break.
    pub timing: RevisionTiming,
    /// Whether the customer agreed to the new date.
    pub customer_agreed: bool,
}

/// Where an outside party's commitment to us stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DependencyState {
    /// Not yet due, not yet met.
    Pending,
    /// Its due instant passed unmet.
    Late,
    /// The party delivered.
    Met,
}

/// An outside party's own commitment to us behind a promise ("the lab said Thursday").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dependency {
    /// The party.
    pub party: PartyId,
    /// What they committed to.
    pub commitment: Personal,
    /// The party's own reference for it, boxed (most commitments have none): see
    /// [`reference`](Self::reference).
    reference: Option<Box<Text>>,
    /// When they said it would be done.
    #[serde(with = "crate::compact::instant")]
    pub due: DateTime<Utc>,
    /// Where it stands.
    pub state: DependencyState,
}

impl Dependency {
    /// A commitment just recorded: pending.
    pub(crate) fn pending(
        party: PartyId,
        commitment: Personal,
        reference: Option<Text>,
        due: DateTime<Utc>,
    ) -> Self {
        Self {
            party,
            commitment,
            reference: reference.map(Box::new),
            due,
            state: DependencyState::Pending,
        }
    }

    /// The party's own reference for it (an order or job number).
    #[must_use]
    pub fn reference(&self) -> Option<&Text> {
        self.reference.as_deref()
    }
}

/// What a promise is, whatever its state.
///
/// The parts most promises never set (an outside party, the interaction or complaint it came
/// from, revisions, notice, a dependency, breaks, a fact about it after it was made) are kept
/// together behind one optional box and read through getters, so a plain promise stays small.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PromiseTerms {
    /// What was promised.
    pub what: Personal,
    /// When it was made.
    #[serde(with = "crate::compact::instant")]
    pub made_at: DateTime<Utc>,
    /// The due instant now in force.
    #[serde(with = "crate::compact::instant")]
    pub due: DateTime<Utc>,
    /// Our agent who owns it and receives its flags.
    pub owner: AgentId,
    /// When the warning for the current due instant falls, if the policy asks for one.
    #[serde(with = "crate::compact::instant::option")]
    pub at_risk_at: Option<DateTime<Utc>>,
    /// The rarely set parts (`None`: all at their defaults).
    #[serde(with = "crate::compact::rare")]
    more: Option<Box<MoreTerms>>,
}

/// What becomes of a promise after it is made, and where it came from: the parts of
/// [`MoreTerms`] a promise to an outside party rarely sets, 80 bytes behind a box ([`Lazy`]) of
/// 8.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
struct Course {
    interaction: Option<InteractionId>,
    complaint: Option<ComplaintId>,
    revisions: Box<[Revision]>,
    #[serde(with = "crate::compact::instant::option")]
    informed_at: Option<DateTime<Utc>>,
    breaks: u32,
    slipped_repeatedly: bool,
    /// When its latest fact happened, if after it was made (deadlines not counted): a fact
    /// reported late never precedes it (see `relationship/order.rs`).
    #[serde(with = "crate::compact::instant::option")]
    latest_fact: Option<DateTime<Utc>>,
}

/// Nothing since it was made: what an absent box reads as.
static UNTOUCHED: LazyLock<Course> = LazyLock::new(Course::default);

impl lazy::Parts for Course {
    fn none() -> &'static Self {
        &UNTOUCHED
    }
}

/// The parts of [`PromiseTerms`] most promises never set.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
struct MoreTerms {
    #[serde(with = "crate::promise::state::fulfiller_form")]
    fulfiller: Fulfiller,
    dependency: Option<Dependency>,
    /// Its links, revisions, notice, breaks and latest fact: boxed while one is set.
    course: Lazy<Course>,
}

impl PromiseTerms {
    /// The terms of a promise just made: no revision, warning, notice, dependency or break yet.
    pub(crate) fn made(
        what: Personal,
        made_at: DateTime<Utc>,
        due: DateTime<Utc>,
        owner: AgentId,
        fulfiller: Fulfiller,
    ) -> Self {
        let more = (fulfiller != Fulfiller::Us).then(|| {
            Box::new(MoreTerms {
                fulfiller,
                ..MoreTerms::default()
            })
        });
        Self {
            what,
            made_at,
            due,
            owner,
            at_risk_at: None,
            more,
        }
    }

    /// The rarely set parts, to change (created at their defaults if absent).
    fn more_mut(&mut self) -> &mut MoreTerms {
        self.more.get_or_insert_with(Box::default)
    }

    /// Changes what became of it (see [`Course`]).
    fn change_course(&mut self, change: impl FnOnce(&mut Course)) {
        self.more_mut().course.change(change);
    }

    /// The due instant first told to the customer: the one before the first revision, if any
    /// (a revision states the due instant it replaced), else the one in force.
    #[must_use]
    pub fn original_due(&self) -> DateTime<Utc> {
        self.revisions()
            .first()
            .map_or(self.due, |first| first.previous_due)
    }

    /// Who does the work.
    #[must_use]
    pub fn fulfiller(&self) -> &Fulfiller {
        static US: Fulfiller = Fulfiller::Us;
        self.more.as_ref().map_or(&US, |more| &more.fulfiller)
    }

    /// The interaction in which it was made.
    #[must_use]
    pub fn interaction(&self) -> Option<InteractionId> {
        self.more
            .as_ref()
            .and_then(|more| more.course.get().interaction)
    }

    /// The complaint it answers.
    #[must_use]
    pub fn complaint(&self) -> Option<ComplaintId> {
        self.more
            .as_ref()
            .and_then(|more| more.course.get().complaint)
    }

    /// Every re-promise, oldest first.
    #[must_use]
    pub fn revisions(&self) -> &[Revision] {
        self.more
            .as_ref()
            .map_or(&[], |more| &more.course.get().revisions)
    }

    /// When we last told the customer about it, since it was made or last revised.
    #[must_use]
    pub fn informed_at(&self) -> Option<DateTime<Utc>> {
        self.more
            .as_ref()
            .and_then(|more| more.course.get().informed_at)
    }

    /// The outside party's commitment, if recorded.
    #[must_use]
    pub fn dependency(&self) -> Option<&Dependency> {
        self.more.as_ref().and_then(|more| more.dependency.as_ref())
    }

    /// How many times it has broken.
    #[must_use]
    pub fn breaks(&self) -> u32 {
        self.more
            .as_ref()
            .map_or(0, |more| more.course.get().breaks)
    }

    /// Whether the repeated-slip event has been raised.
    #[must_use]
    pub fn slipped_repeatedly(&self) -> bool {
        self.more
            .as_ref()
            .is_some_and(|more| more.course.get().slipped_repeatedly)
    }

    /// When its latest fact happened (deadlines not counted): when it was made, or a later
    /// fact about it since.
    pub(crate) fn latest_fact(&self) -> DateTime<Utc> {
        self.more
            .as_ref()
            .and_then(|more| more.course.get().latest_fact)
            .map_or(self.made_at, |latest| latest.max(self.made_at))
    }

    /// Notes a fact about it that happened at `at` (nothing is stored for one no later than
    /// the latest: a plain promise keeps none).
    pub(crate) fn note_fact(&mut self, at: DateTime<Utc>) {
        if at > self.latest_fact() {
            self.change_course(|course| course.latest_fact = Some(at));
        }
    }

    /// Links the promise to the interaction and complaint it came from.
    pub(crate) fn link(
        &mut self,
        interaction: Option<InteractionId>,
        complaint: Option<ComplaintId>,
    ) {
        if interaction.is_some() || complaint.is_some() {
            self.change_course(|course| {
                course.interaction = interaction;
                course.complaint = complaint;
            });
        }
    }

    /// Notes that the repeated-slip event was raised.
    pub(crate) fn mark_slipped_repeatedly(&mut self) {
        self.change_course(|course| course.slipped_repeatedly = true);
    }

    /// Records the outside party's commitment.
    pub(crate) fn depend_on(&mut self, dependency: Dependency) {
        self.more_mut().dependency = Some(dependency);
    }

    /// The outside party's commitment, to change.
    pub(crate) fn dependency_mut(&mut self) -> Option<&mut Dependency> {
        self.more.as_mut().and_then(|more| more.dependency.as_mut())
    }

    /// Notes that the customer was told about it at `at`.
    pub(crate) fn inform(&mut self, at: DateTime<Utc>) {
        self.change_course(|course| course.informed_at = Some(at));
    }

    /// Counts a break.
    fn count_break(&mut self) {
        self.change_course(|course| course.breaks = course.breaks.saturating_add(1));
    }

    /// Adds a re-promise: the notice is reset.
    fn revise(&mut self, revision: Revision) {
        self.change_course(|course| {
            course.informed_at = None;
            let mut revisions = std::mem::take(&mut course.revisions).into_vec();
            revisions.push(revision);
            course.revisions = revisions.into_boxed_slice();
        });
    }

    /// How many times the due instant was moved.
    ///
    /// ```
    /// # use clientele::{*, chrono::{TimeDelta, TimeZone, Utc}};
    /// # let (policy, monday) = (ServicePolicy::default(), Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap());
    /// # let mut ona = Relationship::new(CustomerId::from_u128(1)); ona.execute(&policy, RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?), monday)?;
    /// # let (glasses, jonas) = (PromiseId::from_u128(5), AgentId::from_u128(7));
    /// # let friday = monday + TimeDelta::days(4);
    /// # ona.execute(&policy, MakePromise::new(glasses, Text::new("Glasses ready")?, friday, jonas), monday)?;
    /// ona.execute(&policy, RevisePromise::new(glasses, friday + TimeDelta::days(7), Text::new("Lab")?), monday)?;
    /// assert_eq!(ona.promise(glasses).map(|p| p.terms.slips()), Some(1));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn slips(&self) -> u32 {
        u32::try_from(self.revisions().len()).unwrap_or(u32::MAX)
    }

    /// How far the due instant moved in total, from the original to the one in force.
    ///
    /// ```
    /// # use clientele::{*, chrono::{TimeDelta, TimeZone, Utc}};
    /// # let (policy, monday) = (ServicePolicy::default(), Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap());
    /// # let mut ona = Relationship::new(CustomerId::from_u128(1)); ona.execute(&policy, RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?), monday)?;
    /// # let (glasses, jonas) = (PromiseId::from_u128(5), AgentId::from_u128(7));
    /// # let friday = monday + TimeDelta::days(4);
    /// # ona.execute(&policy, MakePromise::new(glasses, Text::new("Glasses ready")?, friday, jonas), monday)?;
    /// ona.execute(&policy, RevisePromise::new(glasses, friday + TimeDelta::days(7), Text::new("Lab")?), monday)?;
    /// ona.execute(&policy, RevisePromise::new(glasses, friday + TimeDelta::days(9), Text::new("Lab again")?), monday)?;
    /// assert_eq!(ona.promise(glasses).map(|p| p.terms.cumulative_slip()), Some(Span::days(9)));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn cumulative_slip(&self) -> Span {
        Span::try_from(self.due.signed_duration_since(self.original_due())).unwrap_or(Span::MAX)
    }

    /// Whether the customer has been told anything since it was made or last revised.
    ///
    /// ```
    /// # use clientele::{*, chrono::{TimeDelta, TimeZone, Utc}};
    /// # let (policy, monday) = (ServicePolicy::default(), Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap());
    /// # let mut ona = Relationship::new(CustomerId::from_u128(1)); ona.execute(&policy, RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?), monday)?;
    /// use clientele::promise::Notice;
    /// # let (glasses, jonas) = (PromiseId::from_u128(5), AgentId::from_u128(7));
    /// # let friday = monday + TimeDelta::days(4);
    /// # ona.execute(&policy, MakePromise::new(glasses, Text::new("Glasses ready")?, friday, jonas), monday)?;
    ///
    /// assert_eq!(ona.promise(glasses).map(|p| p.terms.notice()), Some(Notice::InSilence));
    /// let update = RecordInteraction::outbound(InteractionId::from_u128(3), Channel::Sms, jonas, Text::new("On track")?).regarding(glasses);
    /// ona.execute(&policy, update, monday)?;
    /// assert_eq!(ona.promise(glasses).map(|p| p.terms.notice()), Some(Notice::WithNotice));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn notice(&self) -> Notice {
        if self.informed_at().is_some() {
            Notice::WithNotice
        } else {
            Notice::InSilence
        }
    }
}

/// A promise's state, with the data valid in each.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum PromiseState {
    /// Open, the due instant not near (or no warning asked for).
    Open,
    /// Open and at risk.
    AtRisk {
        /// Why.
        reason: AtRiskReason,
        /// Since when.
        #[serde(with = "crate::compact::instant")]
        since: DateTime<Utc>,
    },
    /// The due instant passed while open.
    Broken {
        /// Whether the customer had been told anything.
        notice: Notice,
    },
    /// Kept on time.
    Kept {
        /// When.
        #[serde(with = "crate::compact::instant")]
        at: DateTime<Utc>,
    },
    /// Kept after the due instant (by how much: [`Promise::lateness`], and the
    /// `promise_kept` event's outcome).
    KeptLate {
        /// When.
        #[serde(with = "crate::compact::instant")]
        at: DateTime<Utc>,
    },
    /// Released: the customer no longer needs it, or it cannot be done (why: the
    /// `promise_withdrawn` event's reason; a withdrawn promise leaves the relationship's open
    /// items at once).
    Withdrawn {
        /// When.
        #[serde(with = "crate::compact::instant")]
        at: DateTime<Utc>,
    },
}

/// A promise made to a customer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Promise {
    /// What it is.
    pub terms: PromiseTerms,
    /// Where it stands.
    pub state: PromiseState,
}

/// The stages of a promise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PromiseStage {
    /// Open.
    Open,
    /// Open, at risk.
    AtRisk,
    /// Broken.
    Broken,
    /// Kept on time.
    Kept,
    /// Kept late.
    KeptLate,
    /// Withdrawn.
    Withdrawn,
}

/// What can happen to a promise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PromiseAction {
    /// It became at risk.
    Warn,
    /// It was kept.
    Keep,
    /// Its due instant passed.
    Break,
    /// A new due instant was promised.
    Revise,
    /// It was released.
    Withdraw,
}

/// The promise's transition table.
#[derive(Debug)]
pub enum PromiseLifecycle {}

impl Lifecycle for PromiseLifecycle {
    type Stage = PromiseStage;
    type Action = PromiseAction;
    const STAGES: &'static [PromiseStage] = &[
        PromiseStage::Open,
        PromiseStage::AtRisk,
        PromiseStage::Broken,
        PromiseStage::Kept,
        PromiseStage::KeptLate,
        PromiseStage::Withdrawn,
    ];
    const ACTIONS: &'static [PromiseAction] = &[
        PromiseAction::Warn,
        PromiseAction::Keep,
        PromiseAction::Break,
        PromiseAction::Revise,
        PromiseAction::Withdraw,
    ];

    fn next(stage: PromiseStage, action: PromiseAction) -> Option<PromiseStage> {
        use PromiseAction as A;
        use PromiseStage as S;
        match (stage, action) {
            (S::Open, A::Warn) => Some(S::AtRisk),
            (S::Open | S::AtRisk, A::Keep) => Some(S::Kept),
            (S::Open | S::AtRisk, A::Break) => Some(S::Broken),
            (S::Open | S::AtRisk | S::Broken, A::Revise) => Some(S::Open),
            (S::Open | S::AtRisk | S::Broken, A::Withdraw) => Some(S::Withdrawn),
            (S::Broken, A::Keep) => Some(S::KeptLate),
            (S::AtRisk | S::Broken, A::Warn) => None,
            (S::Broken, A::Break) => None,
            (
                S::Kept | S::KeptLate | S::Withdrawn,
                A::Warn | A::Keep | A::Break | A::Revise | A::Withdraw,
            ) => None,
        }
    }

    fn stage_name(stage: PromiseStage) -> &'static str {
        match stage {
            PromiseStage::Open => "open",
            PromiseStage::AtRisk => "at_risk",
            PromiseStage::Broken => "broken",
            PromiseStage::Kept => "kept",
            PromiseStage::KeptLate => "kept_late",
            PromiseStage::Withdrawn => "withdrawn",
        }
    }

    fn action_name(action: PromiseAction) -> &'static str {
        match action {
            PromiseAction::Warn => "warn",
            PromiseAction::Keep => "keep",
            PromiseAction::Break => "break",
            PromiseAction::Revise => "revise",
            PromiseAction::Withdraw => "withdraw",
        }
    }
}

impl Entity for PromiseLifecycle {
    const ENTITY: &'static str = "promise";
}

/// The data an action brings into the new state.
#[derive(Debug, Clone)]
pub(crate) enum PromiseStep {
    Warn(AtRiskReason, DateTime<Utc>),
    Keep { at: DateTime<Utc> },
    Break,
    Revise(Revision, Option<DateTime<Utc>>),
    Withdraw { at: DateTime<Utc> },
}

impl PromiseStep {
    const fn action(&self) -> PromiseAction {
        match self {
            PromiseStep::Warn(..) => PromiseAction::Warn,
            PromiseStep::Keep { .. } => PromiseAction::Keep,
            PromiseStep::Break => PromiseAction::Break,
            PromiseStep::Revise(..) => PromiseAction::Revise,
            PromiseStep::Withdraw { .. } => PromiseAction::Withdraw,
        }
    }
}

impl Promise {
    /// A new open promise.
    ///
    /// ```
    /// # use clientele::{*, chrono::{TimeDelta, TimeZone, Utc}};
    /// # let (policy, monday) = (ServicePolicy::default(), Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap());
    /// # let mut ona = Relationship::new(CustomerId::from_u128(1)); ona.execute(&policy, RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?), monday)?;
    /// use clientele::promise::{Promise, PromiseStage};
    /// # let (glasses, jonas) = (PromiseId::from_u128(5), AgentId::from_u128(7));
    /// # let friday = monday + TimeDelta::days(4);
    /// # ona.execute(&policy, MakePromise::new(glasses, Text::new("Glasses ready")?, friday, jonas), monday)?;
    ///
    /// // A copy of the terms, as a new open promise (for tests and tools; the engine makes its own).
    /// let terms = ona.promise(glasses).ok_or("made")?.terms.clone();
    /// assert_eq!(Promise::new(terms).stage(), PromiseStage::Open);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn new(terms: PromiseTerms) -> Self {
        Self {
            terms,
            state: PromiseState::Open,
        }
    }

    /// The stage, without data.
    ///
    /// ```
    /// # use clientele::{*, chrono::{TimeDelta, TimeZone, Utc}};
    /// # let (policy, monday) = (ServicePolicy::default(), Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap());
    /// # let mut ona = Relationship::new(CustomerId::from_u128(1)); ona.execute(&policy, RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?), monday)?;
    /// use clientele::promise::PromiseStage;
    /// # let (glasses, jonas) = (PromiseId::from_u128(5), AgentId::from_u128(7));
    /// # let friday = monday + TimeDelta::days(4);
    /// # ona.execute(&policy, MakePromise::new(glasses, Text::new("Glasses ready")?, friday, jonas), monday)?;
    ///
    /// ona.advance_to(&policy, friday);
    /// assert_eq!(ona.promise(glasses).map(|p| p.stage()), Some(PromiseStage::Broken));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub const fn stage(&self) -> PromiseStage {
        match self.state {
            PromiseState::Open => PromiseStage::Open,
            PromiseState::AtRisk { .. } => PromiseStage::AtRisk,
            PromiseState::Broken { .. } => PromiseStage::Broken,
            PromiseState::Kept { .. } => PromiseStage::Kept,
            PromiseState::KeptLate { .. } => PromiseStage::KeptLate,
            PromiseState::Withdrawn { .. } => PromiseStage::Withdrawn,
        }
    }

    /// Whether it is still to be kept (open, at risk or broken).
    ///
    /// ```
    /// # use clientele::{*, chrono::{TimeDelta, TimeZone, Utc}};
    /// # let (policy, monday) = (ServicePolicy::default(), Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap());
    /// # let mut ona = Relationship::new(CustomerId::from_u128(1)); ona.execute(&policy, RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?), monday)?;
    /// # let (glasses, jonas) = (PromiseId::from_u128(5), AgentId::from_u128(7));
    /// # let friday = monday + TimeDelta::days(4);
    /// # ona.execute(&policy, MakePromise::new(glasses, Text::new("Glasses ready")?, friday, jonas), monday)?;
    /// ona.advance_to(&policy, friday); // broken, and still to be kept
    /// assert_eq!(ona.promise(glasses).map(|p| p.is_outstanding()), Some(true));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub const fn is_outstanding(&self) -> bool {
        matches!(
            self.state,
            PromiseState::Open | PromiseState::AtRisk { .. } | PromiseState::Broken { .. }
        )
    }

    /// By how much it was kept late (`None` unless kept late): from the due instant in force
    /// to when it was kept.
    ///
    /// ```
    /// # use clientele::{*, chrono::{TimeDelta, TimeZone, Utc}};
    /// use clientele::promise::{Promise, PromiseState};
    /// # let (policy, monday) = (ServicePolicy::default(), Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap());
    /// # let mut ona = Relationship::new(CustomerId::from_u128(1)); ona.execute(&policy, RegisterCustomer::new(Text::new("Ona")?, Tier::new("standard")?), monday)?;
    /// # let (glasses, jonas) = (PromiseId::from_u128(5), AgentId::from_u128(7));
    /// # let friday = monday + TimeDelta::days(4);
    /// # ona.execute(&policy, MakePromise::new(glasses, Text::new("Glasses ready")?, friday, jonas), monday)?;
    /// let mut late = Promise::new(ona.promise(glasses).ok_or("made")?.terms.clone());
    /// late.state = PromiseState::KeptLate { at: friday + TimeDelta::hours(3) };
    /// assert_eq!(late.lateness(), Some(Span::hours(3)));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn lateness(&self) -> Option<Span> {
        match self.state {
            PromiseState::KeptLate { at } => {
                Some(Span::try_from(at.signed_duration_since(self.terms.due)).unwrap_or(Span::ZERO))
            }
            PromiseState::Open
            | PromiseState::AtRisk { .. }
            | PromiseState::Broken { .. }
            | PromiseState::Kept { .. }
            | PromiseState::Withdrawn { .. } => None,
        }
    }

    /// Whether `action` is allowed now.
    pub(crate) fn check(
        &self,
        action: PromiseAction,
    ) -> Result<PromiseStage, Refused<PromiseLifecycle>> {
        PromiseLifecycle::step(self.stage(), action)
    }

    /// Applies a step in place; the stage always comes from [`PromiseLifecycle::next`]. On
    /// error nothing changed.
    pub(crate) fn transition(
        &mut self,
        step: PromiseStep,
    ) -> Result<(), Refused<PromiseLifecycle>> {
        let from = self.stage();
        let action = step.action();
        let to = self.check(action)?;
        let terms = &mut self.terms;
        self.state = match (to, step) {
            (PromiseStage::AtRisk, PromiseStep::Warn(reason, since)) => {
                PromiseState::AtRisk { reason, since }
            }
            (PromiseStage::Kept, PromiseStep::Keep { at }) => PromiseState::Kept { at },
            (PromiseStage::KeptLate, PromiseStep::Keep { at }) => PromiseState::KeptLate { at },
            (PromiseStage::Broken, PromiseStep::Break) => {
                terms.count_break();
                PromiseState::Broken {
                    notice: terms.notice(),
                }
            }
            (PromiseStage::Open, PromiseStep::Revise(revision, at_risk_at)) => {
                terms.due = revision.due;
                terms.at_risk_at = at_risk_at;
                terms.revise(revision);
                PromiseState::Open
            }
            (PromiseStage::Withdrawn, PromiseStep::Withdraw { at }) => {
                PromiseState::Withdrawn { at }
            }
            // The table and the step disagree only if a step is given the wrong data; nothing
            // has been changed at this point.
            (
                PromiseStage::Open
                | PromiseStage::AtRisk
                | PromiseStage::Broken
                | PromiseStage::Kept
                | PromiseStage::KeptLate
                | PromiseStage::Withdrawn,
                _,
            ) => return Err(Refused { from, action }),
        };
        Ok(())
    }
}

/// The promises of one relationship.
pub(crate) type Promises = crate::registry::Registry<PromiseId, Promise>;

impl Erase for Promise {
    fn erase_personal(&mut self) -> u32 {
        let terms = &mut self.terms;
        let mut erased = terms.what.erase_personal();
        if let Some(more) = &mut terms.more {
            more.course.change_held(|course| {
                for revision in &mut course.revisions {
                    erased = erased.saturating_add(revision.reason.erase_personal());
                }
            });
            if let Some(dependency) = &mut more.dependency {
                erased = erased.saturating_add(dependency.commitment.erase_personal());
            }
        }
        erased
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lifecycle::assert_documented_under;

    #[test]
    fn a_promise_keeps_its_rarely_set_terms_out_of_line() {
        // Issue 15's live heap per customer: a promise is held inline in the registry.
        // The state holds at most an instant and a reason for a warning (16 bytes): a closed
        // promise leaves the registry at once, and its event keeps the rest.
        assert!(std::mem::size_of::<PromiseState>() <= 16);
        assert!(std::mem::size_of::<Promise>() <= 96);
        let plain = terms();
        assert!(
            plain.more.is_none(),
            "a plain promise allocates nothing for them"
        );
        assert_eq!((plain.fulfiller(), plain.breaks()), (&Fulfiller::Us, 0));
    }

    #[test]
    fn state_diagram_matches_transition_table() {
        assert_documented_under::<PromiseLifecycle>(include_str!("mod.rs"), "State diagram");
    }

    fn terms() -> PromiseTerms {
        let t = DateTime::<Utc>::UNIX_EPOCH;
        PromiseTerms::made(
            Text::new("glasses").unwrap().into(),
            t,
            t,
            AgentId::from_u128(1),
            Fulfiller::Us,
        )
    }

    #[test]
    fn data_transitions_follow_the_table_for_every_stage_and_action() {
        let t = DateTime::<Utc>::UNIX_EPOCH;
        let reason = Text::new("r").unwrap();
        let states = [
            PromiseState::Open,
            PromiseState::AtRisk {
                reason: AtRiskReason::LeadReached,
                since: t,
            },
            PromiseState::Broken {
                notice: Notice::InSilence,
            },
            PromiseState::Kept { at: t },
            PromiseState::KeptLate { at: t },
            PromiseState::Withdrawn { at: t },
        ];
        for state in states {
            let promise = Promise {
                terms: terms(),
                state,
            };
            let revision = Revision {
                at: t,
                previous_due: t,
                due: t,
                reason: reason.clone().into(),
                timing: RevisionTiming::Proactive,
                customer_agreed: true,
            };
            let steps = [
                PromiseStep::Warn(AtRiskReason::LeadReached, t),
                PromiseStep::Keep { at: t },
                PromiseStep::Break,
                PromiseStep::Revise(revision, None),
                PromiseStep::Withdraw { at: t },
            ];
            for step in steps {
                let action = step.action();
                let expected = PromiseLifecycle::next(promise.stage(), action);
                let mut after = promise.clone();
                let got = after.transition(step).ok().map(|()| after.stage());
                assert_eq!(got, expected, "{:?} --{action:?}-->", promise.stage());
            }
        }
    }
}
