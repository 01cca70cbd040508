"""The subscription queries on their own: create, restart, stop, settings before subscribing."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.chats import add_chat_if_missing
from storage.subscriptions import (
    get_subscription,
    set_digest_countries,
    set_digest_time,
    subscribe,
    unsubscribe,
)

NOW = datetime(2026, 11, 28, 3, 0, tzinfo=UTC)


async def _chat(sessions: async_sessionmaker[AsyncSession], chat_id: int) -> None:
    async with sessions() as session, session.begin():
        await add_chat_if_missing(session, chat_id, "private")


async def test_restart_keeps_settings_and_moves_created(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    await _chat(sessions, 7)
    async with sessions() as session, session.begin():
        first, was_active = await subscribe(session, 7, NOW, countries=("UZ", "KZ"))
    assert not was_active and first.countries == ("KZ", "UZ") and first.created == NOW
    later = NOW + timedelta(days=2)
    async with sessions() as session, session.begin():
        same, was_active = await subscribe(session, 7, later, local_time="07:00")
    # Running already: created stays, so the delivery rule is not reset by an edit.
    assert was_active and same.created == NOW and same.local_time == "07:00"
    async with sessions() as session, session.begin():
        assert await unsubscribe(session, 7)
        assert not await unsubscribe(session, 7)
    async with sessions() as session, session.begin():
        back, was_active = await subscribe(session, 7, later)
    assert not was_active and back.created == later
    assert (back.local_time, back.countries, back.id) == ("07:00", ("KZ", "UZ"), first.id)


async def test_settings_before_subscribing_make_a_stopped_row(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    await _chat(sessions, 8)
    async with sessions() as session, session.begin():
        await set_digest_time(session, 8, "06:30", NOW)
        await set_digest_countries(session, 8, ("TM",), NOW)
    async with sessions() as session:
        kept = await get_subscription(session, 8)
    assert kept is not None and not kept.active
    assert (kept.local_time, kept.countries) == ("06:30", ("TM",))


async def test_two_subscribes_at_once_make_one_row(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    await _chat(sessions, 9)

    async def one(at: str) -> None:
        async with sessions() as session, session.begin():
            await subscribe(session, 9, NOW, local_time=at)

    await asyncio.gather(one("08:00"), one("09:30"))
    async with sessions() as session:
        stored = await get_subscription(session, 9)
    assert stored is not None and stored.active and stored.local_time in ("08:00", "09:30")
