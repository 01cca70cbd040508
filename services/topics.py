"""Followed topics: follow, list and stop them, and match new stories against them.

The rules: at most ``MAX_TOPICS`` per chat; a topic needs words that are not stop words;
a topic that would match more than ``BROAD_SHARE`` of the last ``BROAD_SAMPLE`` stored
stories (when there are at least ``BROAD_MIN_STORIES``) is refused as too broad. New
stories are matched once, past a stored watermark (the highest story id matched); each
match becomes one notice (``storage.notices``, kind "topic") per chat and story cluster:
a story's editions in other languages are one cluster, and a copy another outlet carried
is merged into the stored story, never a new one.
"""

from __future__ import annotations

import asyncio
import unicodedata
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.topics import (
    MAX_TOPIC_CHARS,
    StoryText,
    Topic,
    TopicIndex,
    split_topic,
    story_lead,
)
from services.chats import ChatMemory, ChatService
from storage.models import TopicRow
from storage.notices import add_notice
from storage.topics import (
    FollowedTopic,
    StoryToMatch,
    add_topic,
    delete_topic,
    get_watermark,
    list_active_topics,
    list_chat_topics,
    list_newest_stories,
    list_stories_after,
    newest_story_id,
    recent_notices,
    set_watermark,
)

MAX_TOPICS: Final = 10
BROAD_SHARE: Final = 0.2
BROAD_SAMPLE: Final = 500
BROAD_MIN_STORIES: Final = 20
# Stories matched per round of the watermark: a long backlog is read in pieces.
MATCH_BATCH: Final = 500
NOTICE_KIND: Final = "topic"
# More than this many notices for one chat within an hour go out as one batched message.
BATCH_AFTER: Final = 5
HOUR: Final = timedelta(hours=1)


class FollowProblem(Exception):
    """Why a topic cannot be followed: ``kind`` is empty, stop_words, too_long, too_many
    or too_broad (then ``matched`` of ``sample`` stored stories match it)."""

    def __init__(self, kind: str, *, matched: int = 0, sample: int = 0) -> None:
        super().__init__(kind)
        self.kind = kind
        self.matched = matched
        self.sample = sample


@dataclass(frozen=True, slots=True)
class Followed:
    """A followed topic, its number in the chat's list, and whether it is new."""

    topic: FollowedTopic
    number: int
    new: bool


@dataclass(frozen=True, slots=True)
class TopicHit:
    """A new story a chat's topic matches: what delivery needs to compose a message."""

    chat_id: int
    topic_id: int
    words: str
    story_id: int
    cluster: int
    score: float


def story_text(story: StoryToMatch) -> StoryText:
    """What matching reads of a stored story."""
    return StoryText(story.id, story.title, story_lead(story.summary, story.text), story.countries)


def _broad_count(topic: Topic, stories: list[StoryToMatch]) -> int:
    index = TopicIndex()
    index.add(topic)
    return sum(1 for story in stories if index.match(story_text(story)))


async def follow_topic(
    sessions: async_sessionmaker[AsyncSession],
    chat_id: int,
    text: str,
    now: datetime,
    also: Callable[[AsyncSession], Awaitable[None]] | None = None,
) -> Followed:
    """Follow ``text`` ("Rogun", "gas prices kz") in the chat; ``also`` runs in the same
    transaction once the topic is stored (the bot keeps the chat's reply language this way).

    Raises:
        FollowProblem: the words are empty, only stop words, too long, the chat follows
            ``MAX_TOPICS`` already, or the topic would match nearly every story.
    """
    # Control and format characters (NUL, zero-width joiners) are no part of a topic.
    visible = "".join(c for c in text if unicodedata.category(c) not in ("Cc", "Cf") or c.isspace())
    cleaned = " ".join(visible.split())
    if not cleaned:
        raise FollowProblem("empty")
    if len(cleaned) > MAX_TOPIC_CHARS:
        raise FollowProblem("too_long")
    wanted = split_topic(cleaned)
    topic = Topic(0, wanted.words, wanted.countries)
    if not TopicIndex().slots(wanted.words):
        raise FollowProblem("stop_words")
    sample: list[StoryToMatch] = []
    async with sessions() as session:
        following = await list_chat_topics(session, chat_id)
        if not any(t.words == wanted.words and t.countries == wanted.countries for t in following):
            if len(following) >= MAX_TOPICS:
                raise FollowProblem("too_many")
            sample = await list_newest_stories(session, BROAD_SAMPLE)
    if len(sample) >= BROAD_MIN_STORIES:
        # Seconds of analysis for a large sample: off the event loop.
        matched = await asyncio.to_thread(_broad_count, topic, sample)
        if matched > BROAD_SHARE * len(sample):
            raise FollowProblem("too_broad", matched=matched, sample=len(sample))
    async with sessions() as session, session.begin():
        if await get_watermark(session) is None:
            # Matching starts at the first topic: older stories are not news to deliver.
            await set_watermark(session, await newest_story_id(session))
        stored, new = await add_topic(session, chat_id, wanted.words, wanted.countries, now)
        following = await list_chat_topics(session, chat_id)
        if len(following) > MAX_TOPICS:  # another /follow of the chat won the race
            raise FollowProblem("too_many")  # leaving the block rolls this one back
        if also is not None:
            await also(session)
    number = next(n for n, t in enumerate(following, start=1) if t.id == stored.id)
    return Followed(stored, number, new)


async def chat_topics(
    sessions: async_sessionmaker[AsyncSession], chat_id: int
) -> list[FollowedTopic]:
    """The chat's topics, numbered from 1 in this order."""
    async with sessions() as session:
        return await list_chat_topics(session, chat_id)


async def unfollow_number(
    sessions: async_sessionmaker[AsyncSession], chat_id: int, number: int
) -> FollowedTopic | None:
    """Stop the chat's topic number ``number`` (from 1); None when there is no such."""
    async with sessions() as session, session.begin():
        following = await list_chat_topics(session, chat_id)
        if not 1 <= number <= len(following):
            return None
        return await delete_topic(session, chat_id, following[number - 1].id)


async def unfollow_id(
    sessions: async_sessionmaker[AsyncSession], chat_id: int, topic_id: int
) -> FollowedTopic | None:
    """Stop the chat's topic with this id (a button's); None when it has no such topic."""
    async with sessions() as session, session.begin():
        return await delete_topic(session, chat_id, topic_id)


class ChatTopics:
    """Following, listing and stopping topics on the open store, for the bot's handlers
    (``bot_data.topics``)."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        clock: Callable[[], datetime],
        chats: ChatService,
    ) -> None:
        self._sessions = sessions
        self._clock = clock
        self._chats = chats

    async def follow(
        self, chat_id: int, text: str, memory: ChatMemory | None, language: str
    ) -> Followed:
        """``follow_topic`` now, by the injected clock (raises ``FollowProblem``). A stored
        topic also keeps ``language`` as the chat's when it never chose one: notices come
        without an update to read the language from."""

        async def keep_language(session: AsyncSession) -> None:
            await self._chats.keep_language(session, memory, chat_id, language)

        return await follow_topic(self._sessions, chat_id, text, self._clock(), keep_language)

    async def of_chat(self, chat_id: int) -> list[FollowedTopic]:
        """``chat_topics``."""
        return await chat_topics(self._sessions, chat_id)

    async def unfollow_number(self, chat_id: int, number: int) -> FollowedTopic | None:
        """``unfollow_number``."""
        return await unfollow_number(self._sessions, chat_id, number)

    async def unfollow_id(self, chat_id: int, topic_id: int) -> FollowedTopic | None:
        """``unfollow_id``."""
        return await unfollow_id(self._sessions, chat_id, topic_id)


class TopicMatcher:
    """Matches stories stored since the last pass against every active topic.

    The index is kept between passes and built again only when the set of active topics
    changed (their count, or their ids' sum and maximum, differ).
    """

    def __init__(self) -> None:
        self._index = TopicIndex()
        self._topics: dict[int, FollowedTopic] = {}
        self._signature: tuple[int, int, int] | None = None

    async def _refresh(self, session: AsyncSession) -> None:
        query = select(func.count(), func.sum(TopicRow.id), func.max(TopicRow.id)).where(
            TopicRow.active.is_(True)
        )
        count, total, top = (await session.execute(query)).one()
        signature = (int(count), int(total or 0), int(top or 0))
        if signature == self._signature:
            return
        topics = await list_active_topics(session)
        index = TopicIndex()
        index.add_all(Topic(t.id, t.words, t.countries) for t in topics)
        self._index, self._topics, self._signature = index, {t.id: t for t in topics}, signature

    async def detect(self, session: AsyncSession, now: datetime) -> int:
        """Match every story stored since the last pass and enqueue a notice per chat and
        story cluster; move the watermark past them. In the caller's transaction.

        Two passes at once may read the same stories: the notice's dedupe key
        (``topic:<chat>:<cluster>``) keeps each chat's story once.

        Returns:
            How many notices were added.
        """
        added = 0
        while True:
            after = await get_watermark(session)
            if after is None:
                await set_watermark(session, await newest_story_id(session))
                return added
            stories = await list_stories_after(session, after, MATCH_BATCH)
            if not stories:
                return added
            await self._refresh(session)
            hits = await asyncio.to_thread(self.hits, stories) if self._topics else []
            added += await enqueue_hits(session, hits, now)
            await set_watermark(session, stories[-1].id)
            if len(stories) < MATCH_BATCH:
                return added

    def hits(self, stories: list[StoryToMatch]) -> list[TopicHit]:
        """One hit per chat and story cluster: the best-scoring topic of the chat."""
        best: dict[tuple[int, int], TopicHit] = {}
        for story in stories:
            for match in self._index.match(story_text(story)):
                topic = self._topics[match.topic_id]
                key = (topic.chat_id, story.cluster)
                if key not in best or best[key].score < match.score:
                    best[key] = TopicHit(
                        topic.chat_id, topic.id, topic.words, story.id, story.cluster, match.score
                    )
        return list(best.values())


async def enqueue_hits(session: AsyncSession, hits: list[TopicHit], now: datetime) -> int:
    """Add a notice per hit; a chat past ``BATCH_AFTER`` notices in the hour waits for the
    hour's end, so what comes meanwhile goes out as one batched message."""
    added = 0
    by_chat: dict[int, list[TopicHit]] = {}
    for hit in hits:
        by_chat.setdefault(hit.chat_id, []).append(hit)
    for chat_id, chat_hits in by_chat.items():
        count, first = await recent_notices(session, NOTICE_KIND, chat_id, now - HOUR, sent=False)
        hold = (first or now) + HOUR if count >= BATCH_AFTER else None
        for hit in sorted(chat_hits, key=lambda h: h.story_id):
            payload = {"story": hit.story_id, "topic": hit.topic_id, "words": hit.words}
            key = f"{NOTICE_KIND}:{chat_id}:{hit.cluster}"
            added += await add_notice(
                session, NOTICE_KIND, key, chat_id, payload, now, not_before=hold
            )
    return added
