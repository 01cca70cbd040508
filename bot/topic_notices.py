"""The "topic" notice kind: new stories about followed topics, delivered through
``bot.notices`` (claims, leases, the send budget, 403 and migrated groups).

Its ``detect`` matches the stories stored since the last round (``services.topics``); its
composer words a chat's claimed notices: one message a story, or one batched message
when the chat got more than ``BATCH_AFTER`` within the hour.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.notice_kinds import NoticeKind, OutgoingNotice
from core.schedule_words import zone_from_name
from core.types import Story
from services.topics import BATCH_AFTER, HOUR, NOTICE_KIND, TopicMatcher
from storage.notices import ChatNotices, Notice
from storage.topics import (
    get_stories,
    list_chat_topics,
    move_topics,
    recent_notices,
    stop_chat_topics,
)
from views.follow import render_topic_batch, render_topic_notice


def _number(payload: Any, name: str) -> int | None:
    value = payload.get(name)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


async def compose_topics(
    session: AsyncSession, chat: ChatNotices, now: datetime
) -> Sequence[OutgoingNotice]:
    """The messages for a chat's claimed topic notices, in the chat's language.

    A notice whose topic the chat stopped meanwhile, or whose story is gone, is covered
    by no message (the pass drops it).
    """
    followed = {topic.id for topic in await list_chat_topics(session, chat.chat_id)}
    wanted: list[tuple[Notice, int, int]] = []
    for notice in chat.notices:
        story_id, topic_id = _number(notice.payload, "story"), _number(notice.payload, "topic")
        if story_id is not None and topic_id in followed and topic_id is not None:
            wanted.append((notice, story_id, topic_id))
    stories = await get_stories(session, [story_id for _n, story_id, _t in wanted])
    items: list[tuple[Notice, Story, int]] = [
        (notice, stories[story_id], topic_id)
        for notice, story_id, topic_id in wanted
        if story_id in stories
    ]
    if not items:
        return []
    zone = zone_from_name(chat.timezone or "UTC") or ZoneInfo("UTC")
    sent, _first = await recent_notices(session, NOTICE_KIND, chat.chat_id, now - HOUR, sent=True)
    if len(items) > 1 and sent + len(items) > BATCH_AFTER:
        html, markup = render_topic_batch(
            [
                (story, str(notice.payload.get("words", "")), topic)
                for notice, story, topic in items
            ],
            zone,
        )
        return [OutgoingNotice(html, tuple(notice.id for notice, _s, _t in items), markup)]
    messages = []
    for notice, story, topic in items:
        html, markup = render_topic_notice(story, str(notice.payload.get("words", "")), topic, zone)
        messages.append(OutgoingNotice(html, (notice.id,), markup))
    return messages


async def stop_topics(session: AsyncSession, chat_id: int, now: datetime) -> None:
    """A chat that blocked the bot or is gone follows nothing any more."""
    await stop_chat_topics(session, chat_id)


async def move_chat_topics(session: AsyncSession, old_id: int, new_id: int) -> None:
    """A group that became a supergroup keeps its topics."""
    await move_topics(session, old_id, new_id)


def topic_kind(settings: object = None) -> NoticeKind:
    """The topic notice kind, with a matcher of its own (its index is kept between rounds).

    Args:
        settings: Unused; ``newsbot follow run-due`` passes the settings.
    """
    matcher = TopicMatcher()
    return NoticeKind(
        NOTICE_KIND,
        compose_topics,
        on_unreachable=stop_topics,
        on_migrated=move_chat_topics,
        detect=matcher.detect,
    )
