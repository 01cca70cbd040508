"""The delivery store: migration 0004 both ways, time zones people type, moving a chat."""

from __future__ import annotations

from datetime import UTC, date, timedelta, timezone
from zoneinfo import ZoneInfo

from alembic import command
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from storage import deliveries, due_digests
from storage.database import _alembic_config, current_revision, upgrade_database
from storage.models import ChatRow, DeliveryRow, SubscriptionRow
from tests.digest_support import add_subscriber, at
from tests.paths import head_revision


async def test_migration_0004_keeps_deliveries_and_goes_back(
    engine: AsyncEngine, sessions: async_sessionmaker[AsyncSession]
) -> None:
    sub = await add_subscriber(sessions, 7)
    async with sessions() as session, session.begin():
        session.add(DeliveryRow(subscription_id=sub, local_date=date(2026, 11, 27), status="sent"))
    async with engine.begin() as connection:
        await connection.run_sync(lambda sync: command.downgrade(_alembic_config(sync), "0003"))
    assert await current_revision(engine) == "0003"
    await upgrade_database(engine)
    assert await current_revision(engine) == head_revision()
    async with sessions() as session:
        [row] = await session.scalars(select(DeliveryRow))
    assert (row.status, row.attempts, row.claim_token, row.not_before) == ("sent", 0, None, None)


def test_time_zones_as_people_store_them() -> None:
    assert due_digests.resolve_zone("Asia/Tashkent", "Asia/Almaty") == ZoneInfo("Asia/Tashkent")
    assert due_digests.resolve_zone("+6", "Asia/Almaty") == timezone(timedelta(hours=6))
    assert due_digests.resolve_zone("UTC-03:30", "Asia/Almaty") == timezone(
        -timedelta(hours=3, minutes=30)
    )
    assert due_digests.resolve_zone(None, "Asia/Almaty") == ZoneInfo("Asia/Almaty")
    for junk in ("Mars/Olympus", "+99", "", "<b>", "../../etc/passwd"):
        assert due_digests.resolve_zone(junk, "Asia/Almaty") == ZoneInfo("Asia/Almaty")
    assert due_digests.resolve_zone("nowhere", "also nowhere") == UTC


async def test_an_offset_zone_is_due_at_its_local_time(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    await add_subscriber(sessions, 8, local_time="07:00", timezone="+6")
    async with sessions() as session:
        early = await due_digests.list_due_subscriptions(
            session, at("2026-11-28T00:59:00+00:00"), "UTC"
        )
        due = await due_digests.list_due_subscriptions(
            session, at("2026-11-28T01:00:00+00:00"), "UTC"
        )
    assert early == [] and [d.local_date for d in due] == [date(2026, 11, 28)]


async def test_moving_to_a_chat_that_has_its_own_subscription_stops_the_old_one(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    await add_subscriber(sessions, -10, kind="group")
    await add_subscriber(sessions, -1000010, kind="supergroup", local_time="18:00")
    async with sessions() as session, session.begin():
        assert await deliveries.move_chat(session, -10, -1000010) is False
    async with sessions() as session:
        subs = {
            s.chat_id: (s.local_time, s.active)
            for s in await session.scalars(select(SubscriptionRow))
        }
        chats = set(await session.scalars(select(ChatRow.id)))
    assert subs == {-10: ("09:00", False), -1000010: ("18:00", True)}
    assert chats == {-10, -1000010}
