//! The complaints of one relationship: the ones still in play in the open state, the closed
//! ones shared between copies of the relationship.
//!
//! A customer may have thousands of closed complaints, and a command copies the open state
//! (see [`crate::relationship`]): so a complaint that closes (closed, or closed unresolved)
//! leaves the open state for a map shared between copies ([`Map`]), whole, because a reopen
//! continues or restarts its clocks and keeps its level, owner, history and links. An event
//! that changes a closed complaint (a reopen, a follow-up linked to it) takes it back into the
//! open state first; an erasure changes closed ones where they are kept (a survey does not
//! change the complaint it is about). Reading sees one set of complaints in id order,
//! wherever each is kept; equality and the serialized form (a list by id, as before) too.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::state::{Complaint, ComplaintStage};
use crate::id::ComplaintId;
use crate::registry::Registry;
use crate::shared::Map;

/// The complaints of one relationship; each id in exactly one of the two parts.
#[derive(Clone, Default)]
pub(crate) struct Complaints {
    /// Complaints in play, and closed ones changed by the command being applied.
    open: Registry<ComplaintId, Complaint>,
    /// Closed complaints.
    closed: Map<ComplaintId, Complaint>,
}

/// Whether `complaint` has left play: closed (with or without a resolution), with nothing
/// left to fall due and no escalation owed.
fn is_closed(complaint: &Complaint) -> bool {
    matches!(
        complaint.stage(),
        ComplaintStage::Closed | ComplaintStage::ClosedUnresolved
    ) && complaint.escalation_due.is_none()
        && super::due::deadline(complaint).is_none()
}

impl Complaints {
    /// No complaints.
    pub(crate) fn new() -> Self {
        Self::default()
    }

    /// Complaint `id`.
    pub(crate) fn get(&self, id: &ComplaintId) -> Option<&Complaint> {
        self.open.get(id).or_else(|| self.closed.get(id))
    }

    /// Complaint `id`, to change: a closed one is taken back into the open state.
    pub(crate) fn get_mut(&mut self, id: &ComplaintId) -> Option<&mut Complaint> {
        if !self.open.contains_key(id)
            && let Some(closed) = self.closed.remove(id)
        {
            self.open.insert(*id, closed);
        }
        self.open.get_mut(id)
    }

    /// Whether complaint `id` is known.
    pub(crate) fn contains_key(&self, id: &ComplaintId) -> bool {
        self.get(id).is_some()
    }

    /// Adds complaint `id`.
    pub(crate) fn insert(&mut self, id: ComplaintId, complaint: Complaint) {
        self.closed.remove(&id);
        self.open.insert(id, complaint);
    }

    /// How many complaints are in play.
    pub(crate) fn in_play_count(&self) -> usize {
        self.open.len()
    }

    /// How many closed complaints have left the open state.
    pub(crate) fn closed_count(&self) -> usize {
        self.closed.iter().count()
    }

    /// Moves complaint `id` out of the open state if it is closed.
    pub(crate) fn retire(&mut self, id: ComplaintId) {
        if self.open.get(&id).is_some_and(is_closed)
            && let Some(complaint) = self.open.remove(&id)
        {
            self.closed.insert(id, complaint);
        }
    }

    /// The complaints in play (open, waiting, resolved: not closed), in id order.
    pub(crate) fn in_play(&self) -> impl Iterator<Item = (&ComplaintId, &Complaint)> {
        self.open.iter()
    }

    /// Every complaint, in id order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (&ComplaintId, &Complaint)> {
        let mut open = self.open.iter().peekable();
        let mut closed = self.closed.iter().peekable();
        std::iter::from_fn(move || match (open.peek(), closed.peek()) {
            (Some((a, _)), Some((b, _))) if b < a => closed.next(),
            (Some(_), _) => open.next(),
            (None, _) => closed.next(),
        })
    }

    /// Every complaint, to change (an erasure: closed ones too).
    pub(crate) fn values_mut(&mut self) -> impl Iterator<Item = &mut Complaint> {
        self.open.values_mut().chain(self.closed.values_mut())
    }

    /// Folds what this copy closed into the shared part, if it holds it alone.
    pub(crate) fn settle(&mut self) {
        self.closed.settle();
    }
}

impl PartialEq for Complaints {
    fn eq(&self, other: &Self) -> bool {
        self.iter().eq(other.iter())
    }
}

impl Eq for Complaints {}

impl std::fmt::Debug for Complaints {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

/// Written as one list by id, wherever each complaint is kept.
impl Serialize for Complaints {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        // Collected first: a binary format writes the length before the entries.
        let all: Vec<_> = self.iter().collect();
        s.collect_seq(all)
    }
}

impl<'de> Deserialize<'de> for Complaints {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let all = Registry::<ComplaintId, Complaint>::deserialize(d)?;
        let (closed, open): (Vec<_>, Vec<_>) = all.into_iter().partition(|(_, c)| is_closed(c));
        Ok(Self {
            open: open.into_iter().collect(),
            closed: closed.into_iter().collect(),
        })
    }
}
