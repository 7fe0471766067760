//! The times of what was said: the messages that await an answer and the answers, in the order
//! they happened. A fact reported late is placed among them by its real time, so a late answer
//! finds the messages that came after it, and a late message finds the answer that followed it.

use chrono::{DateTime, Utc};

use std::sync::LazyLock;

use crate::id::InteractionId;
use crate::lazy::{self, Lazy};
use crate::shared::Seq;
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

/// The messages and answers of one customer, each in the order they happened. Both grow with
/// history and are shared between copies of the relationship ([`Seq`]); the answers are
/// boxed with what they say, absent until the first (a customer not yet answered).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) struct Conversation {
    messages: Seq<Message>,
    /// When the customer last spoke, whether or not they expected an answer.
    #[serde(with = "crate::compact::instant::option")]
    heard: Option<DateTime<Utc>>,
    answered: Lazy<Answered>,
}

/// The answers and what they did: 32 bytes, boxed ([`Lazy`]) from the first answer on.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
struct Answered {
    answers: Seq<Answer>,
    /// When the first answer that stopped a clock happened.
    #[serde(with = "crate::compact::instant::option")]
    first_stop: Option<DateTime<Utc>>,
    /// How many answers stopped a response clock.
    stopped: u32,
}

/// No answer: what an absent box reads as.
static UNANSWERED: LazyLock<Answered> = LazyLock::new(Answered::default);

impl lazy::Parts for Answered {
    fn none() -> &'static Self {
        &UNANSWERED
    }
}

impl Conversation {
    /// Entries written by this copy and not yet folded into the shared parts.
    #[cfg(test)]
    pub(crate) fn unfolded(&self) -> usize {
        self.messages.unfolded() + self.answered.get().answers.unfolded()
    }

    /// Folds what this copy wrote into the shared part, if it holds it alone.
    pub(crate) fn settle(&mut self) {
        self.messages.settle();
        self.answered
            .change_held(|answered| answered.answers.settle());
    }

    /// Places a message by its time (after others of the same instant).
    pub(crate) fn say(&mut self, message: Message) {
        let slot = self.messages.partition_point(|m| m.at <= message.at);
        self.messages.insert(slot, message);
    }

    /// Notes that the customer spoke at `at` (any inbound interaction).
    pub(crate) fn hear(&mut self, at: DateTime<Utc>) {
        self.heard = self.heard.max(Some(at));
    }

    /// Whether the customer spoke after `at`.
    pub(crate) fn heard_after(&self, at: DateTime<Utc>) -> bool {
        self.heard.is_some_and(|last| last > at)
    }

    /// Places an answer by its time (after others of the same instant).
    pub(crate) fn answer(&mut self, answer: Answer) {
        self.answered.change(|answered| {
            let slot = answered.answers.partition_point(|a| a.at <= answer.at);
            answered.answers.insert(slot, answer);
        });
    }

    /// The answers, in the order they happened.
    fn answers(&self) -> &Seq<Answer> {
        &self.answered.get().answers
    }

    /// How many answers stopped a response clock.
    pub(crate) fn stopped(&self) -> u32 {
        self.answered.get().stopped
    }

    /// Where the answers of instant `at` are.
    fn answers_at(&self, at: DateTime<Utc>) -> (usize, usize) {
        let answers = self.answers();
        let from = answers.partition_point(|a| a.at < at);
        let to = answers.partition_point(|a| a.at <= at);
        (from, to)
    }

    /// The answer `interaction` recorded at `at`, and its place.
    fn find_answer(
        &self,
        at: DateTime<Utc>,
        interaction: InteractionId,
    ) -> Option<(usize, &Answer)> {
        let (from, to) = self.answers_at(at);
        self.answers()
            .range(from, to)
            .enumerate()
            .find(|(_, a)| a.interaction == interaction)
            .map(|(i, a)| (from.saturating_add(i), a))
    }

    /// Marks `interaction`, an answer recorded at `at`, as the answer that stopped a clock,
    /// and counts it.
    pub(crate) fn mark_stopped(&mut self, at: DateTime<Utc>, interaction: InteractionId) {
        if let Some((slot, _)) = self.find_answer(at, interaction) {
            self.answered.change(|answered| {
                answered
                    .answers
                    .update(slot, |answer| answer.stopped = true);
                answered.first_stop = Some(answered.first_stop.map_or(at, |first| first.min(at)));
                answered.stopped = answered.stopped.saturating_add(1);
            });
        }
    }

    /// The first answer after `at`: the one that answered a message of `at`.
    pub(crate) fn answer_after(&self, at: DateTime<Utc>) -> Option<&Answer> {
        let answers = self.answers();
        answers.get(answers.partition_point(|a| a.at <= at))
    }

    /// The answer recorded as `interaction` at `at`.
    pub(crate) fn answer_of(
        &self,
        at: DateTime<Utc>,
        interaction: InteractionId,
    ) -> Option<&Answer> {
        self.find_answer(at, interaction).map(|(_, answer)| answer)
    }

    /// Whether an answer at or before `at` stopped a clock: a clock starting at `at` is then
    /// a reply, not the first response.
    pub(crate) fn answered_by(&self, at: DateTime<Utc>) -> bool {
        self.answered
            .get()
            .first_stop
            .is_some_and(|first| first <= at)
    }

    /// The first message that happened after `at`.
    pub(crate) fn message_after(&self, at: DateTime<Utc>) -> Option<&Message> {
        let slot = self.messages.partition_point(|m| m.at <= at);
        self.messages.get(slot)
    }

    /// How many messages a wait starting at `from` covers: those from `from` until the
    /// answer after it (at least one: the message that started it).
    pub(crate) fn covered(&self, from: DateTime<Utc>) -> u32 {
        let first = self.messages.partition_point(|m| m.at < from);
        let last = match self.answer_after(from) {
            Some(answer) => self.messages.partition_point(|m| m.at < answer.at),
            None => self.messages.len(),
        };
        u32::try_from(last.saturating_sub(first))
            .unwrap_or(u32::MAX)
            .max(1)
    }
}
