"""What the store holds, for the operator's /stats."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.stats import StoreStats, get_store_stats


class Stats:
    """Reads the store's figures in one session."""

    def __init__(
        self, sessions: async_sessionmaker[AsyncSession], clock: Callable[[], datetime]
    ) -> None:
        self._sessions = sessions
        self._clock = clock

    async def read(self, errors_within: timedelta, top: int) -> StoreStats:
        """Every figure /stats shows: failures of the last ``errors_within``, and the ``top``
        sources and languages by name."""
        async with self._sessions() as session:
            return await get_store_stats(session, self._clock() - errors_within, top=top)
