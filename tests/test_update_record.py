"""The record of update ids the bot's instances took: one per bot, shared, and bounded in
time (a day), on SQLite, PostgreSQL and Redis."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.limits import UpdateRecord
from bot.redis_limits import connect
from storage.database import make_sessionmaker
from storage.models import SeenUpdateRow
from storage.shared_limits import UPDATE_MEMORY, claim_update, forget_updates

T0 = datetime(2026, 12, 7, 1, 0, tzinfo=UTC)


async def test_two_instances_take_each_update_once(
    sessions: async_sessionmaker[AsyncSession], engine: AsyncEngine
) -> None:
    # Two instances: two records, each on its own sessions, as two processes have.
    first = UpdateRecord("4242", sessions)
    second = UpdateRecord("4242", make_sessionmaker(engine))
    other_bot = UpdateRecord("777", sessions)
    assert await first.first_time(10)
    assert not await second.first_time(10)  # Telegram's retry, or the balancer's double
    assert not await first.first_time(10)
    assert await second.first_time(11)
    assert await other_bot.first_time(10)  # another bot's update 10 is another update
    # Ids at the edges of what Telegram sends are kept as they are.
    assert await first.first_time(2**31 - 1) and not await second.first_time(2**31 - 1)


async def test_the_record_forgets_what_is_older_than_its_memory(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with sessions() as session, session.begin():
        assert await claim_update(session, "4242", 1, T0)
        assert await claim_update(session, "4242", 2, T0 + timedelta(hours=23))
        assert await claim_update(session, "99", 1, T0)
    async with sessions() as session, session.begin():
        forgotten = await forget_updates(session, "4242", T0 + UPDATE_MEMORY - timedelta(hours=1))
    assert forgotten == 1  # update 1 of bot 4242; update 2 is within the day, bot 99 apart
    async with sessions() as session, session.begin():
        kept = await session.scalar(select(func.count()).select_from(SeenUpdateRow))
        assert kept == 2
        assert await claim_update(session, "4242", 1, T0 + UPDATE_MEMORY)  # may come again
        assert not await claim_update(session, "4242", 2, T0 + UPDATE_MEMORY)


async def test_an_instance_sweeps_the_record_as_it_goes(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with sessions() as session, session.begin():
        await claim_update(session, "4242", 1, datetime.now(UTC) - UPDATE_MEMORY * 2)
    record = UpdateRecord("4242", sessions)
    assert await record.first_time(2)  # its first request also drops what is too old
    async with sessions() as session:
        ids = (await session.scalars(select(SeenUpdateRow.update_id))).all()
    assert list(ids) == [2]


async def test_in_redis_each_update_is_taken_once_and_expires(redis_url: str) -> None:
    bot = str(secrets.randbelow(10**9))
    clients = [connect(redis_url), connect(redis_url)]
    try:
        records = [UpdateRecord(bot, None, client) for client in clients]  # type: ignore[arg-type]
        assert await records[0].first_time(5)
        assert not await records[1].first_time(5)
        ttl = await clients[0].ttl(f"newsbot:{bot}:update:5")
        assert 0 < ttl <= UPDATE_MEMORY.total_seconds()
        short = UpdateRecord(bot, None, clients[0], keep=timedelta(seconds=1))  # type: ignore[arg-type]
        assert await short.first_time(6)
        assert 0 < await clients[0].ttl(f"newsbot:{bot}:update:6") <= 1
    finally:
        for client in clients:
            await client.aclose()
