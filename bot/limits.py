"""The limits a bot's processes share, on the engine the deployment already runs.

- ``REDIS_URL`` set: Redis (``bot.redis_limits``) holds the send budget, the flood buckets
  and the record of updates taken.
- PostgreSQL: the database holds them (``storage.shared_limits``, migration 0010).
- SQLite (one machine): the send budget and flood buckets stay in the process (the
  ``SendBudget`` its builder made, ``handlers.flood``); the update record is still the
  database's.

``open_limits`` picks the engine once per process; every send, every update and every
webhook POST then goes through what it returns.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Protocol

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.send_budget import Budget
from bot.shared_budget import SharedBudget
from storage.database import make_engine, make_sessionmaker
from storage.shared_limits import (
    UPDATE_MEMORY,
    PostgresFlood,
    PostgresSlots,
    claim_update,
    forget_updates,
)

if TYPE_CHECKING:
    from redis.asyncio import Redis

    from bot.settings import Settings

log = logging.getLogger(__name__)

FORGET_UPDATES_EVERY = timedelta(minutes=10)
# Connections of the shared budget and flood buckets: the budget's requests in flight,
# a pause, and the flood checks of the updates being handled.
LIMITS_POOL = 8


class SharedFlood(Protocol):
    """Flood buckets kept outside the process (``handlers.flood`` asks them)."""

    async def check(self, key: int, burst: float, per_second: float, pause: float) -> str: ...

    async def forget_idle(self, idle: float) -> int: ...


def bot_key(token: str) -> str:
    """The bot's numeric id, the part of its token before ":": public, unlike the rest."""
    return token.partition(":")[0][:64] or "bot"


class UpdateRecord:
    """Which update ids an instance of the bot already took, kept ``UPDATE_MEMORY``."""

    def __init__(
        self,
        bot: str,
        sessions: async_sessionmaker[AsyncSession],
        redis: Redis | None = None,
        *,
        keep: timedelta = UPDATE_MEMORY,
    ) -> None:
        self.bot = bot
        self.sessions = sessions
        self.redis = redis
        self.keep = keep
        self._next_forget = datetime.now(UTC)

    async def first_time(self, update_id: int) -> bool:
        """Record ``update_id``; False when some instance took it before."""
        if self.redis is not None:
            from bot.redis_limits import claim_update_in_redis

            return await claim_update_in_redis(
                self.redis, self.bot, update_id, self.keep.total_seconds()
            )
        now = datetime.now(UTC)
        async with self.sessions() as session, session.begin():
            first = await claim_update(session, self.bot, update_id, now)
            if now >= self._next_forget:
                self._next_forget = now + FORGET_UPDATES_EVERY
                await forget_updates(session, self.bot, now - self.keep)
        return first


@dataclass
class SharedLimits:
    """What one process uses to stay within the bot's limits; ``engine`` names where."""

    engine: str
    budget: Budget
    flood: SharedFlood | None
    updates: UpdateRecord


def _engine_of(sessions: async_sessionmaker[AsyncSession]) -> AsyncEngine:
    bind = sessions.kw.get("bind")
    assert bind is not None, "sessions are made by storage.database.make_sessionmaker"
    return bind  # type: ignore[no-any-return]


@asynccontextmanager
async def open_limits(
    settings: Settings, sessions: async_sessionmaker[AsyncSession], own_budget: Budget
) -> AsyncIterator[SharedLimits]:
    """The limits of this process, on Redis, PostgreSQL or (SQLite) in the process.

    ``own_budget`` is the process's one ``SendBudget``: the budget on SQLite, where no other
    process shares Telegram's limits with this one.
    """
    token = settings.bot_token.get_secret_value() if settings.bot_token else ""
    bot = bot_key(token)
    if settings.redis_url is not None:
        from bot.redis_limits import RedisFlood, RedisSlots, connect
        from handlers.flood import FORGET_AFTER_SECONDS

        client = connect(settings.redis_url.get_secret_value())
        budget = SharedBudget(RedisSlots(client, bot))
        flood = RedisFlood(client, bot, FORGET_AFTER_SECONDS)
        try:
            yield SharedLimits("redis", budget, flood, UpdateRecord(bot, sessions, client))
        finally:
            await budget.close()
            await client.aclose()
        return
    engine = _engine_of(sessions)
    if engine.dialect.name == "postgresql":
        from handlers.flood import FORGET_AFTER_SECONDS

        # A pool of their own: a handler holding a connection while its reply waits for a
        # slot must never leave the budget without one to ask for that slot.
        own = make_engine(engine.url.render_as_string(hide_password=False), pool_size=LIMITS_POOL)
        budget = SharedBudget(PostgresSlots(own, bot))
        shared_flood = PostgresFlood(own, bot, forget_after=FORGET_AFTER_SECONDS)
        try:
            record = UpdateRecord(bot, make_sessionmaker(own))
            yield SharedLimits("postgresql", budget, shared_flood, record)
        finally:
            await budget.close()
            await own.dispose()
        return
    yield SharedLimits("process", own_budget, None, UpdateRecord(bot, sessions))
