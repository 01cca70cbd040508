"""The bot's failures, kept for the admin's /stats. Callers own the session and its transaction.

An event says what failed (the exception's class) and where (a command, an update kind or a
background job), never what a person wrote. Events older than ``KEEP_ERRORS`` are pruned
whenever one is recorded: the delete walks the index on ``at`` and usually finds nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import ErrorEventRow

KEEP_ERRORS = timedelta(days=30)
# The columns' width: a longer class name or place is cut rather than refused.
_MAX_LABEL = 100


@dataclass(frozen=True, slots=True)
class ErrorCount:
    """How many failures of one kind happened in one place."""

    kind: str
    place: str
    count: int


async def add_error_event(
    session: AsyncSession, kind: str, place: str, at: datetime, *, keep: timedelta = KEEP_ERRORS
) -> None:
    """Record one failure at ``at`` and forget those older than ``keep`` before it.

    Does not commit.
    """
    await session.execute(
        insert(ErrorEventRow).values(
            at=at, kind=kind[:_MAX_LABEL] or "?", place=place[:_MAX_LABEL] or "?"
        )
    )
    await delete_error_events_before(session, at - keep)


async def delete_error_events_before(session: AsyncSession, cutoff: datetime) -> int:
    """Forget the failures recorded before ``cutoff``; returns how many. Does not commit."""
    result = await session.execute(delete(ErrorEventRow).where(ErrorEventRow.at < cutoff))
    return int(getattr(result, "rowcount", 0) or 0)


async def count_errors_since(session: AsyncSession, since: datetime) -> int:
    """How many failures were recorded at or after ``since``."""
    query = select(func.count()).select_from(ErrorEventRow).where(ErrorEventRow.at >= since)
    return int(await session.scalar(query) or 0)


async def list_error_counts(
    session: AsyncSession, since: datetime, *, limit: int = 5
) -> list[ErrorCount]:
    """The most frequent (kind, place) pairs since ``since``, most frequent first."""
    count = func.count().label("n")
    query = (
        select(ErrorEventRow.kind, ErrorEventRow.place, count)
        .where(ErrorEventRow.at >= since)
        .group_by(ErrorEventRow.kind, ErrorEventRow.place)
        .order_by(count.desc(), ErrorEventRow.kind, ErrorEventRow.place)
        .limit(limit)
    )
    rows = (await session.execute(query)).all()
    return [ErrorCount(kind, place, int(n)) for kind, place, n in rows]
