"""The rates the bot answers with: every currency's current rate, kept for a minute, and
a currency's daily figures for a chart.

"Current" is ``core.authority``'s choice, as ``storage.rates.list_current_rates`` makes it.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta, tzinfo

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.types import RateQuote
from storage.rates import list_current_rates, list_daily_rates

# Official rates change a few times a day; re-reading them for every /rates or conversion
# would make the database the bottleneck of the bot. A new figure shows within this time.
RATES_TTL_SECONDS = 60.0


class Rates:
    """Current rates (read at most once per ``ttl`` seconds) and daily rate history."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        clock: Callable[[], datetime],
        zone: tzinfo,
        *,
        ttl: float = RATES_TTL_SECONDS,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        """Read from ``sessions``; "today" is ``clock``'s date in ``zone`` (the bot's
        default time zone); ``monotonic`` measures the cache's age."""
        self._sessions = sessions
        self._clock = clock
        self._zone = zone
        self._ttl = ttl
        self._monotonic = monotonic
        self._current: dict[str, RateQuote] | None = None
        self._read_at = 0.0
        self._lock = asyncio.Lock()

    def _expired(self) -> bool:
        return self._monotonic() - self._read_at > self._ttl

    async def current(self) -> dict[str, RateQuote]:
        """The current rate of every stored currency (``core.authority``), at most ``ttl``
        seconds old.

        "Today" is the default time zone's: a figure published in advance for tomorrow
        becomes current when that day starts there.
        """
        current = self._current
        if current is None or self._expired():
            async with self._lock:
                current = self._current
                # Another update may have read them while this one waited for the lock.
                if current is None or self._expired():
                    today = self._clock().astimezone(self._zone).date()
                    async with self._sessions() as session:
                        current = self._current = await list_current_rates(session, today)
                    self._read_at = self._monotonic()
        return current

    def forget(self) -> None:
        """Read the rates from the store again on next use (after new rates were stored)."""
        self._current = None

    async def daily(self, currency: str, days: int, zone: tzinfo) -> list[RateQuote]:
        """The current authority's figures of ``currency`` over the last ``days`` days up to
        today in ``zone``, oldest first (``storage.rates.list_daily_rates``)."""
        today: date = self._clock().astimezone(zone).date()
        since = today - timedelta(days=days)
        async with self._sessions() as session:
            return await list_daily_rates(session, currency, since, today)
