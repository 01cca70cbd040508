"""What ``GET /healthz`` reports about the store. Callers own the session.

Every figure is one cheap query (``SELECT 1``, a MAX or a COUNT over an indexed status):
a load balancer may ask every few seconds.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from storage.deliveries import CLAIMED, PENDING
from storage.models import DeliveryRow, RateRow, StoryRow


@dataclass(frozen=True, slots=True)
class StoreHealth:
    """How fresh the store is and how much digest work waits.

    Attributes:
        newest_rate: When the newest rate was fetched and stored, or None without rates.
        newest_story: When the newest story was fetched, or None without stories.
        pending_deliveries: Digest deliveries pending or claimed (not yet sent or failed).
    """

    newest_rate: datetime | None
    newest_story: datetime | None
    pending_deliveries: int


async def ping(session: AsyncSession) -> None:
    """Run ``SELECT 1``: raises when the database cannot be reached."""
    await session.execute(text("SELECT 1"))


async def get_store_health(session: AsyncSession) -> StoreHealth:
    """The newest rate and story times and the count of unfinished deliveries."""
    await ping(session)
    newest_rate = await session.scalar(select(func.max(RateRow.fetched)))
    newest_story = await session.scalar(select(func.max(StoryRow.fetched)))
    pending = await session.scalar(
        select(func.count())
        .select_from(DeliveryRow)
        .where(DeliveryRow.status.in_((PENDING, CLAIMED)))
    )
    return StoreHealth(newest_rate, newest_story, int(pending or 0))
