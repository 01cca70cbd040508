"""Limits shared by a bot's processes, kept in PostgreSQL (see migration 0010).

Each call is one round trip to one plpgsql function, which reads and writes its rows
under a row lock and on the database's clock: two instances can never both take the same
send slot or flood token, and their clocks need not agree. ``bot.redis_limits`` is the
same in Redis. The update record (``claim_update``) works on SQLite too: it is plain SQL.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import CursorResult, delete, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from storage.models import FloodBucketRow, SeenUpdateRow, SendBudgetChatRow

# The clock is read after the function: the sender places its slot on its own clock.
_TAKE = text(
    "SELECT taken, wait, chat_busy, extract(epoch FROM clock_timestamp()) "
    "FROM newsbot_take_send_slot(:bot, :chat, :interval, :chat_interval, :tolerance, :horizon)"
)
_PAUSE = text(
    "INSERT INTO send_budget (bot, next_at, paused_until) "
    "VALUES (:bot, 0, extract(epoch FROM clock_timestamp()) + :seconds) "
    "ON CONFLICT (bot) DO UPDATE SET paused_until = "
    "greatest(send_budget.paused_until, excluded.paused_until)"
)
_FLOOD = text("SELECT newsbot_flood_check(:bot, :key, :burst, :per_second, :pause)")
_NOW = text("SELECT extract(epoch FROM clock_timestamp())")


@dataclass(frozen=True, slots=True)
class ChatRule:
    """How often one chat may get a message: every ``interval`` seconds, and a burst of
    ``tolerance / interval`` more at once (0: none); an interval of 0 turns it off."""

    interval: float
    tolerance: float = 0.0


@dataclass(frozen=True, slots=True)
class SlotAnswer:
    """What the store said to one request for a send slot.

    ``taken``: the slot is ours and starts ``wait`` seconds from now. Not taken: try again
    in ``wait`` seconds; ``chat_busy`` when it is the chat, not the bot, that must wait.
    ``now``: the store's clock (seconds since the epoch) as it answered, if it said.
    """

    taken: bool
    wait: float
    chat_busy: bool
    now: float | None = None


def _autocommit(engine: AsyncEngine) -> AsyncEngine:
    """The engine (same pool) running each statement as its own transaction: one function
    call is then one round trip, not three (BEGIN, the call, COMMIT)."""
    return engine.execution_options(isolation_level="AUTOCOMMIT")


class PostgresSlots:
    """The send budget's state in PostgreSQL, for bot ``bot`` (its numeric id)."""

    def __init__(self, engine: AsyncEngine, bot: str) -> None:
        self.engine = _autocommit(engine)
        self.bot = bot

    async def take(
        self, chat_id: int, interval: float, chat: ChatRule, horizon: float
    ) -> SlotAnswer:
        """Take the bot's next slot for ``chat_id`` if it starts within ``horizon`` seconds."""
        params = {"bot": self.bot, "chat": chat_id, "interval": interval,
                  "chat_interval": chat.interval, "tolerance": chat.tolerance,
                  "horizon": horizon}  # fmt: skip
        async with self.engine.connect() as connection:
            row = (await connection.execute(_TAKE, params)).one()
        return SlotAnswer(bool(row[0]), max(0.0, float(row[1])), bool(row[2]), float(row[3]))

    async def pause(self, seconds: float) -> None:
        """Nobody sends for ``seconds`` from now (Telegram answered 429)."""
        async with self.engine.connect() as connection:
            await connection.execute(_PAUSE, {"bot": self.bot, "seconds": seconds})

    async def forget_chats(self, idle: float) -> int:
        """Drop the chats whose next slot passed ``idle`` seconds ago: they are free anyway."""
        async with self.engine.connect() as connection:
            now = float((await connection.execute(_NOW)).scalar_one())
            result = await connection.execute(
                delete(SendBudgetChatRow).where(
                    SendBudgetChatRow.bot == self.bot, SendBudgetChatRow.next_at < now - idle
                )
            )
        assert isinstance(result, CursorResult)
        return result.rowcount


class PostgresFlood:
    """The flood buckets of ``handlers.flood`` in PostgreSQL; buckets idle for
    ``forget_after`` seconds are dropped every ``forget_every`` seconds."""

    def __init__(
        self, engine: AsyncEngine, bot: str, *, forget_after: float, forget_every: float = 300.0
    ) -> None:
        self.engine = _autocommit(engine)
        self.bot = bot
        self.forget_after = forget_after
        self.forget_every = forget_every
        self._next_forget = time.monotonic() + forget_every

    async def check(self, key: int, burst: float, per_second: float, pause: float) -> str:
        """Count one update of ``key``: "pass", "throttle" or "ignore"."""
        params = {"bot": self.bot, "key": key, "burst": burst, "per_second": per_second,
                  "pause": pause}  # fmt: skip
        async with self.engine.connect() as connection:
            verdict = str((await connection.execute(_FLOOD, params)).scalar_one())
        if time.monotonic() >= self._next_forget:
            self._next_forget = time.monotonic() + self.forget_every
            await self.forget_idle(self.forget_after)
        return verdict

    async def forget_idle(self, idle: float) -> int:
        """Drop buckets not heard from for ``idle`` seconds (they would be full again)."""
        async with self.engine.connect() as connection:
            now = float((await connection.execute(_NOW)).scalar_one())
            result = await connection.execute(
                delete(FloodBucketRow).where(
                    FloodBucketRow.bot == self.bot,
                    FloodBucketRow.seen < now - idle,
                    (FloodBucketRow.paused_until.is_(None)) | (FloodBucketRow.paused_until < now),
                )
            )
        assert isinstance(result, CursorResult)
        return result.rowcount


async def claim_update(session: AsyncSession, bot: str, update_id: int, now: datetime) -> bool:
    """Record ``update_id`` as taken; False when some instance took it before."""
    dialect = session.get_bind().dialect.name
    insert = sqlite.insert if dialect == "sqlite" else postgresql.insert
    statement = (
        insert(SeenUpdateRow)
        .values(bot=bot, update_id=update_id, seen=now)
        .on_conflict_do_nothing()
    )
    result = await session.execute(statement)
    assert isinstance(result, CursorResult)
    return result.rowcount == 1


async def forget_updates(session: AsyncSession, bot: str, before: datetime) -> int:
    """Drop the record of updates seen before ``before``."""
    result = await session.execute(
        delete(SeenUpdateRow).where(SeenUpdateRow.bot == bot, SeenUpdateRow.seen < before)
    )
    assert isinstance(result, CursorResult)
    return result.rowcount


UPDATE_MEMORY = timedelta(hours=24)  # Telegram gives up redelivering an update long before
