//! The times of what was said: the messages that await an answer and the answers, in the order
//! they happened. A fact reported late is placed among them by its real time, so a late answer
//! finds the messages that came after it, and a late message finds the answer that followed it.

use chrono::{DateTime, Utc};

use crate::id::InteractionId;
use crate::value::{Channel, Priority};

/// An inbound interaction that expects an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) struct Message {
    /// When it happened.
    #[serde(with = "crate::compact::instant")]
    pub(crate) at: DateTime<Utc>,
    /// Its id.
    pub(crate) interaction: InteractionId,
    /// Its channel, which may choose the calendar of a clock it starts.
    pub(crate) channel: Channel,
    /// Its priority, which chooses the target of a clock it starts.
    pub(crate) priority: Priority,
}

/// An outbound interaction: it answers every message before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) struct Answer {
    /// When it happened.
    #[serde(with = "crate::compact::instant")]
    pub(crate) at: DateTime<Utc>,
    /// Its id.
    pub(crate) interaction: InteractionId,
    /// Whether it stopped a response clock.
    pub(crate) stopped: bool,
}

/// The messages and answers of one customer, each in the order they happened.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) struct Conversation {
    messages: Vec<Message>,
    answers: Vec<Answer>,
    /// When the customer spoke, whether or not they expected an answer, in order.
    heard: Vec<DateTime<Utc>>,
}

impl Conversation {
    /// Places a message by its time (after others of the same instant).
    pub(crate) fn say(&mut self, message: Message) {
        let slot = self.messages.partition_point(|m| m.at <= message.at);
        self.messages.insert(slot, message);
    }

    /// Notes that the customer spoke at `at` (any inbound interaction).
    pub(crate) fn hear(&mut self, at: DateTime<Utc>) {
        let slot = self.heard.partition_point(|h| *h <= at);
        self.heard.insert(slot, at);
    }

    /// Whether the customer spoke after `at`.
    pub(crate) fn heard_after(&self, at: DateTime<Utc>) -> bool {
        self.heard.last().is_some_and(|last| *last > at)
    }

    /// Places an answer by its time (after others of the same instant).
    pub(crate) fn answer(&mut self, answer: Answer) {
        let slot = self.answers.partition_point(|a| a.at <= answer.at);
        self.answers.insert(slot, answer);
    }

    /// Marks `interaction` as the answer that stopped a clock.
    pub(crate) fn mark_stopped(&mut self, interaction: InteractionId) {
        if let Some(answer) = self
            .answers
            .iter_mut()
            .find(|a| a.interaction == interaction)
        {
            answer.stopped = true;
        }
    }

    /// The first answer after `at`: the one that answered a message of `at`.
    pub(crate) fn answer_after(&self, at: DateTime<Utc>) -> Option<&Answer> {
        let slot = self.answers.partition_point(|a| a.at <= at);
        self.answers.get(slot)
    }

    /// The answer recorded as `interaction`.
    pub(crate) fn answer_of(&self, interaction: InteractionId) -> Option<&Answer> {
        self.answers.iter().find(|a| a.interaction == interaction)
    }

    /// Whether an answer at or before `at` stopped a clock: a clock starting at `at` is then
    /// a reply, not the first response.
    pub(crate) fn answered_by(&self, at: DateTime<Utc>) -> bool {
        let slot = self.answers.partition_point(|a| a.at <= at);
        self.answers.iter().take(slot).any(|a| a.stopped)
    }

    /// The messages that happened after `at`, oldest first.
    pub(crate) fn messages_after(&self, at: DateTime<Utc>) -> &[Message] {
        let slot = self.messages.partition_point(|m| m.at <= at);
        self.messages.get(slot..).unwrap_or_default()
    }

    /// How many messages a wait starting at `from` covers: those from `from` until the
    /// answer after it (at least one: the message that started it).
    pub(crate) fn covered(&self, from: DateTime<Utc>) -> u32 {
        let until = self.answer_after(from).map(|a| a.at);
        let first = self.messages.partition_point(|m| m.at < from);
        let count = self
            .messages
            .iter()
            .skip(first)
            .take_while(|m| until.is_none_or(|until| m.at < until))
            .count();
        u32::try_from(count).unwrap_or(u32::MAX).max(1)
    }
}
