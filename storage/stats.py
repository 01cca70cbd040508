"""Counts for the admin's /stats. Callers own the session.

Every figure is one aggregate query (COUNT with GROUP BY, or MAX): no table is read
row by row, so /stats costs the same with ten stories or a million.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from storage.errors import ErrorCount, count_errors_since, list_error_counts
from storage.models import ChatRow, RateRow, StoryRow, SubscriptionRow
from storage.rate_rejections import StoredRejection, count_rejections, list_rejections


@dataclass(frozen=True, slots=True)
class ChatCounts:
    """Chats the bot has heard from, and those Telegram says it cannot write to."""

    total: int
    unreachable: int


@dataclass(frozen=True, slots=True)
class TopCounts:
    """The largest groups of stories by one column.

    Attributes:
        top: ``(value, count)``, largest first; the value is None for stories without one.
        groups: How many distinct values there are in all.
        total: How many stories there are in all.
    """

    top: list[tuple[str | None, int]]
    groups: int
    total: int


@dataclass(frozen=True, slots=True)
class RateFreshness:
    """The date of the newest stored figure of one currency."""

    currency: str
    as_of: date


@dataclass(frozen=True, slots=True)
class StoreStats:
    """Everything /stats shows, read in one go."""

    chats: ChatCounts
    active_subscriptions: int
    by_source: TopCounts
    by_language: TopCounts
    rates: list[RateFreshness]
    errors: int
    top_errors: list[ErrorCount]
    # Rate figures held back as implausible: how many, and the newest few.
    rejected_rates: int = 0
    recent_rejections: list[StoredRejection] = field(default_factory=list)


async def count_chats(session: AsyncSession) -> ChatCounts:
    """How many chats are stored, and how many of them are marked unreachable."""
    query = select(func.count(), func.count(ChatRow.unreachable_since)).select_from(ChatRow)
    total, unreachable = (await session.execute(query)).one()
    return ChatCounts(int(total), int(unreachable))


async def count_active_subscriptions(session: AsyncSession) -> int:
    """How many chats get the daily digest."""
    query = select(func.count()).select_from(SubscriptionRow).where(SubscriptionRow.active)
    return int(await session.scalar(query) or 0)


async def _top_stories(
    session: AsyncSession, column: InstrumentedAttribute[Any], limit: int
) -> TopCounts:
    count = func.count().label("n")
    query = select(column, count).group_by(column).order_by(count.desc(), column).limit(limit)
    top = [(value, int(n)) for value, n in (await session.execute(query)).all()]
    # Stories without a value form a group of their own, as in the query above.
    groups = func.count(func.distinct(func.coalesce(column, "")))
    distinct, total = (await session.execute(select(groups, func.count()))).one()
    return TopCounts(top, int(distinct), int(total))


async def list_stories_by_source(session: AsyncSession, *, limit: int = 10) -> TopCounts:
    """The sources with the most stories, and how many sources and stories there are."""
    return await _top_stories(session, StoryRow.source, limit)


async def list_stories_by_language(session: AsyncSession, *, limit: int = 10) -> TopCounts:
    """The languages with the most stories (None: not detected), and the totals."""
    return await _top_stories(session, StoryRow.lang, limit)


async def list_rate_freshness(session: AsyncSession) -> list[RateFreshness]:
    """Each stored currency with the date of its newest figure, oldest date first."""
    newest = func.max(RateRow.as_of).label("as_of")
    query = (
        select(RateRow.currency, newest)
        .group_by(RateRow.currency)
        .order_by(newest, RateRow.currency)
    )
    rows = (await session.execute(query)).all()
    return [RateFreshness(currency, as_of) for currency, as_of in rows]


async def get_store_stats(
    session: AsyncSession, errors_since: datetime, *, top: int = 10
) -> StoreStats:
    """Every figure /stats shows; failures are counted from ``errors_since`` on."""
    return StoreStats(
        chats=await count_chats(session),
        active_subscriptions=await count_active_subscriptions(session),
        by_source=await list_stories_by_source(session, limit=top),
        by_language=await list_stories_by_language(session, limit=top),
        rates=await list_rate_freshness(session),
        errors=await count_errors_since(session, errors_since),
        top_errors=await list_error_counts(session, errors_since),
        rejected_rates=await count_rejections(session),
        recent_rejections=await list_rejections(session, limit=top),
    )
