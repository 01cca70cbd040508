"""Queries on followed topics and the matching watermark. Callers own the session and its
transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from core.types import Story
from storage.models import ChatRow, NoticeRow, StoryRow, TopicRow, TopicStateRow
from storage.stories import attach_editions, to_story

_WATERMARK = "match"


@dataclass(frozen=True, slots=True)
class FollowedTopic:
    """A followed topic, free of the session."""

    id: int
    chat_id: int
    words: str
    countries: tuple[str, ...]
    active: bool
    created: datetime


@dataclass(frozen=True, slots=True)
class StoryToMatch:
    """The columns of a stored story that matching reads."""

    id: int
    title: str
    summary: str
    text: str
    countries: tuple[str, ...]
    cluster: int  # the story's first edition: one item per story, whatever the language


def _codes(text: str) -> tuple[str, ...]:
    return tuple(code for code in text.split(",") if code)


def _to_topic(row: TopicRow) -> FollowedTopic:
    return FollowedTopic(
        row.id, row.chat_id, row.words, _codes(row.countries), row.active, row.created
    )


async def list_chat_topics(session: AsyncSession, chat_id: int) -> list[FollowedTopic]:
    """The chat's active topics, oldest first (the order ``/unfollow N`` numbers)."""
    query = (
        select(TopicRow)
        .where(TopicRow.chat_id == chat_id, TopicRow.active.is_(True))
        .order_by(TopicRow.id)
    )
    return [_to_topic(row) for row in (await session.execute(query)).scalars()]


async def list_active_topics(session: AsyncSession) -> list[FollowedTopic]:
    """Every active topic of every reachable chat."""
    query = (
        select(TopicRow)
        .join(ChatRow, ChatRow.id == TopicRow.chat_id)
        .where(TopicRow.active.is_(True), ChatRow.unreachable_since.is_(None))
        .order_by(TopicRow.id)
    )
    return [_to_topic(row) for row in (await session.execute(query)).scalars()]


async def list_all_topics(session: AsyncSession) -> list[FollowedTopic]:
    """Every topic row, stopped ones too (for operators)."""
    query = select(TopicRow).order_by(TopicRow.chat_id, TopicRow.id)
    return [_to_topic(row) for row in (await session.execute(query)).scalars()]


async def get_topic(session: AsyncSession, topic_id: int) -> FollowedTopic | None:
    """One topic by id."""
    row = await session.get(TopicRow, topic_id)
    return _to_topic(row) if row is not None else None


async def add_topic(
    session: AsyncSession, chat_id: int, words: str, countries: tuple[str, ...], now: datetime
) -> tuple[FollowedTopic, bool]:
    """Follow ``words`` in the chat; a stopped row with the same words becomes active.

    Returns:
        The topic and whether it was new (False: already followed, nothing changed).
    """
    codes = ",".join(countries)
    query = select(TopicRow).where(
        TopicRow.chat_id == chat_id, TopicRow.words == words, TopicRow.countries == codes
    )
    row = (await session.execute(query)).scalar_one_or_none()
    if row is not None:
        was_active = row.active
        row.active = True
        await session.flush()
        return _to_topic(row), not was_active
    row = TopicRow(chat_id=chat_id, words=words, countries=codes, active=True, created=now)
    session.add(row)
    await session.flush()
    return _to_topic(row), True


async def delete_topic(session: AsyncSession, chat_id: int, topic_id: int) -> FollowedTopic | None:
    """Stop one of the chat's topics; None when the chat has no such topic."""
    row = await session.get(TopicRow, topic_id)
    if row is None or row.chat_id != chat_id or not row.active:
        return None
    topic = _to_topic(row)
    await session.execute(delete(TopicRow).where(TopicRow.id == topic_id))
    return topic


async def stop_chat_topics(session: AsyncSession, chat_id: int) -> int:
    """Stop every topic of a chat (Telegram said it is gone); returns how many."""
    result = await session.execute(
        update(TopicRow)
        .where(TopicRow.chat_id == chat_id, TopicRow.active.is_(True))
        .values(active=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)


async def move_topics(session: AsyncSession, old_chat_id: int, new_chat_id: int) -> int:
    """Give a migrated group's topics to its new supergroup id; returns how many moved.

    The new chat's row must exist. Topics it follows already stay once.
    """
    kept = select(TopicRow.words, TopicRow.countries).where(TopicRow.chat_id == new_chat_id)
    have = {(words, codes) for words, codes in (await session.execute(kept)).all()}
    rows = (
        await session.execute(select(TopicRow).where(TopicRow.chat_id == old_chat_id))
    ).scalars()
    moved = 0
    for row in list(rows):
        if (row.words, row.countries) in have:
            await session.delete(row)
        else:
            row.chat_id = new_chat_id
            moved += 1
    await session.flush()
    return moved


async def count_topics(session: AsyncSession) -> tuple[int, int]:
    """How many topics are active, and how many chats follow at least one."""
    query = select(func.count(), func.count(func.distinct(TopicRow.chat_id))).where(
        TopicRow.active.is_(True)
    )
    topics, chats = (await session.execute(query)).one()
    return int(topics), int(chats)


async def get_watermark(session: AsyncSession) -> int | None:
    """The highest story id matched so far; None before the first pass."""
    row = await session.get(TopicStateRow, _WATERMARK)
    return row.last_story_id if row is not None else None


async def set_watermark(session: AsyncSession, last_story_id: int) -> None:
    """Move the watermark forward (never back: another pass may have gone further)."""
    row = await session.get(TopicStateRow, _WATERMARK, with_for_update=True)
    if row is None:
        session.add(TopicStateRow(name=_WATERMARK, last_story_id=last_story_id))
    elif last_story_id > row.last_story_id:
        row.last_story_id = last_story_id
    await session.flush()


async def newest_story_id(session: AsyncSession) -> int:
    """The highest stored story id (0 when none)."""
    return int((await session.execute(select(func.max(StoryRow.id)))).scalar() or 0)


def _to_match(row: StoryRow) -> StoryToMatch:
    return StoryToMatch(
        row.id,
        row.title,
        row.summary or "",
        row.text or "",
        _codes(row.countries or ""),
        row.edition_of or row.id,
    )


async def list_stories_after(
    session: AsyncSession, after_id: int, limit: int
) -> list[StoryToMatch]:
    """Stories with an id above ``after_id``, lowest first."""
    query = select(StoryRow).where(StoryRow.id > after_id).order_by(StoryRow.id).limit(limit)
    return [_to_match(row) for row in (await session.execute(query)).scalars()]


async def list_newest_stories(session: AsyncSession, limit: int) -> list[StoryToMatch]:
    """The ``limit`` stories stored last."""
    query = select(StoryRow).order_by(StoryRow.id.desc()).limit(limit)
    return [_to_match(row) for row in (await session.execute(query)).scalars()]


async def get_stories(session: AsyncSession, ids: list[int]) -> dict[int, Story]:
    """The stories with these ids, with their other-language editions, by id."""
    if not ids:
        return {}
    rows = (await session.execute(select(StoryRow).where(StoryRow.id.in_(ids)))).scalars()
    stories = await attach_editions(session, [to_story(row) for row in rows])
    return {story.id: story for story in stories}


async def recent_notices(
    session: AsyncSession, kind: str, chat_id: int, since: datetime, *, sent: bool
) -> tuple[int, datetime | None]:
    """How many notices of ``kind`` the chat got since ``since`` (made, or sent when
    ``sent``), and when the first of them was made."""
    column = NoticeRow.sent_at if sent else NoticeRow.created_at
    query = select(func.count(), func.min(NoticeRow.created_at)).where(
        NoticeRow.kind == kind, NoticeRow.chat_id == chat_id, column >= since
    )
    count, first = (await session.execute(query)).one()
    return int(count), first
