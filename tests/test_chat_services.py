"""The chat and subscription services on their own: memory copy, write-through, rules, clock."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.chats import ChatMemory, ChatService
from services.subscriptions import SubscriptionService
from storage.chats import get_chat, set_chat_language
from storage.models import ErrorEventRow
from storage.subscriptions import get_subscription

NOW = datetime(2026, 11, 28, 3, 0, tzinfo=UTC)


def _services(
    sessions: async_sessionmaker[AsyncSession],
) -> tuple[ChatService, SubscriptionService]:
    chats = ChatService(sessions, lambda: NOW)
    return chats, SubscriptionService(sessions, lambda: NOW, chats)


async def test_a_change_is_written_through_to_the_memory_copy(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    chats, _ = _services(sessions)
    memory = ChatMemory()
    first = await chats.prefs(memory, 7, "private", "ru")
    assert first.language is None  # a private chat follows the person's Telegram language
    await chats.set_language(memory, 7, "kk")
    await chats.set_timezone(memory, 7, "Asia/Almaty")
    kept = memory.fresh(chats.ttl)
    assert kept is not None and (kept.language, kept.timezone) == ("kk", "Asia/Almaty")
    # The next update is answered from memory, and it agrees with the store.
    assert await chats.prefs(memory, 7, "private", "ru") is kept
    async with sessions() as session:
        stored = await get_chat(session, 7)
    assert stored is not None and (stored.language, stored.timezone) == ("kk", "Asia/Almaty")


async def test_the_memory_copy_is_read_again_once_older_than_the_ttl(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    chats, _ = _services(sessions)
    memory = ChatMemory()
    await chats.prefs(memory, 7, "private", None)
    async with sessions() as session, session.begin():  # another instance changes it
        await set_chat_language(session, 7, "uz")
    assert (await chats.prefs(memory, 7, "private", None)).language is None
    chats.ttl = 0.0
    assert (await chats.prefs(memory, 7, "private", None)).language == "uz"


async def test_a_group_takes_the_language_of_the_first_person_heard(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    chats, _ = _services(sessions)
    group = ChatMemory()
    assert (await chats.prefs(group, -100, "group", "ru")).language == "ru"
    chats.ttl = 0.0  # read from the store: the second person does not change it
    assert (await chats.prefs(group, -100, "group", "kk")).language == "ru"


async def test_an_unreachable_chat_is_read_again_and_marked_reachable(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    chats, _ = _services(sessions)
    memory = ChatMemory()
    await chats.prefs(memory, 7, "private", None)
    await chats.mark_unreachable(memory, 7)
    assert memory.prefs is not None and memory.prefs.unreachable_since == NOW
    assert memory.fresh(chats.ttl) is None
    async with sessions() as session:
        stored = await get_chat(session, 7)
    assert stored is not None and stored.unreachable_since == NOW  # the injected clock's
    assert (await chats.prefs(memory, 7, "private", None)).unreachable_since is None
    async with sessions() as session:
        stored = await get_chat(session, 7)
    assert stored is not None and stored.unreachable_since is None


async def test_errors_are_recorded_at_the_injected_clock(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    chats, _ = _services(sessions)
    await chats.record_error("TimeoutError", "job:digests")
    async with sessions() as session:
        rows = (await session.execute(select(ErrorEventRow))).scalars().all()
    assert [(row.kind, row.place, row.at) for row in rows] == [("TimeoutError", "job:digests", NOW)]


async def test_a_digest_keeps_at_least_one_country(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    chats, subscriptions = _services(sessions)
    memory = ChatMemory()
    await chats.prefs(memory, 7, "private", None)
    await subscriptions.subscribe(memory, 7, UTC, "en", countries=("KZ",))
    assert await subscriptions.toggle_country(7, "KZ") is None
    stored = await subscriptions.get(7)
    assert stored is not None and stored.countries == ("KZ",)
    added = await subscriptions.toggle_country(7, "UZ")
    assert added is not None and added.countries == ("KZ", "UZ")
    taken = await subscriptions.toggle_country(7, "KZ")
    assert taken is not None and taken.countries == ("UZ",)


async def test_starting_a_digest_keeps_the_reply_language_once(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    chats, subscriptions = _services(sessions)
    memory = ChatMemory()
    await chats.prefs(memory, 7, "private", None)
    done = await subscriptions.subscribe(memory, 7, UTC, "ru", local_time="08:30")
    assert not done.was_active and not done.delivered_today and done.now == NOW
    assert memory.prefs is not None and memory.prefs.language == "ru"  # written through
    await subscriptions.unsubscribe(7)
    await subscriptions.start(memory, 7, "kk")  # a language chosen already stays
    async with sessions() as session:
        stored, subscription = await get_chat(session, 7), await get_subscription(session, 7)
    assert stored is not None and stored.language == "ru"
    assert subscription is not None and subscription.active
    assert subscription.local_time == "08:30" and subscription.created == NOW
    assert await subscriptions.digest_countries(7) == subscription.countries
    await subscriptions.unsubscribe(7)
    assert await subscriptions.digest_countries(7) == ()
