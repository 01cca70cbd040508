"""Demo rows: stories and rates whose source is ``demo``, never shown beside real data.

The demo data goes only into a store with no stories and no rates; the first real story
or rate stored removes it (``sources.ingest`` and ``sources.intake`` call
``remove_demo_data`` in the same transaction), and so does ``newsbot demo --remove``.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.authority import DEMO_SOURCE
from storage.models import RateRow, StoryRow


@dataclass(frozen=True, slots=True)
class DemoRemoved:
    """How many demo rows were deleted."""

    stories: int
    rates: int


async def is_store_empty(session: AsyncSession) -> bool:
    """Whether the store holds no story and no rate at all."""
    for model in (StoryRow, RateRow):
        if await session.scalar(select(model.id).limit(1)) is not None:
            return False
    return True


async def count_demo_rows(session: AsyncSession) -> DemoRemoved:
    """How many demo stories and rates are stored."""
    stories = await session.scalar(
        select(func.count()).select_from(StoryRow).where(StoryRow.source == DEMO_SOURCE)
    )
    rates = await session.scalar(
        select(func.count()).select_from(RateRow).where(RateRow.source == DEMO_SOURCE)
    )
    return DemoRemoved(stories=int(stories or 0), rates=int(rates or 0))


async def remove_demo_data(session: AsyncSession) -> DemoRemoved:
    """Delete every demo story and rate; does not commit."""
    stories = await session.execute(delete(StoryRow).where(StoryRow.source == DEMO_SOURCE))
    rates = await session.execute(delete(RateRow).where(RateRow.source == DEMO_SOURCE))
    return DemoRemoved(
        stories=int(getattr(stories, "rowcount", 0) or 0),
        rates=int(getattr(rates, "rowcount", 0) or 0),
    )
