"""Notice passes against the emulator, on SQLite and PostgreSQL: delivered once, keys that
repeat, batching, concurrent passes, leases that run out, and Telegram's answers."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.notices import NoticeReport
from bot.send_budget import SendBudget
from bot.settings import to_async_url
from bot_api_emulator import BotApiEmulator
from storage import notices
from storage.database import make_engine, make_sessionmaker
from storage.models import ChatRow
from tests.digest_support import FakeTime
from tests.notice_support import NOW, PingRecord, add_ping, notice_rows, ping_kind, run_pings


def _chats(emu: BotApiEmulator, *chat_ids: int) -> None:
    for chat_id in chat_ids:
        emu.private_chat(emu.user(chat_id, f"Reader {chat_id}"))


async def test_a_notice_is_delivered_once(sessions: async_sessionmaker[AsyncSession]) -> None:
    emu = BotApiEmulator()
    _chats(emu, 11)
    record = PingRecord()
    kind = ping_kind(record)
    assert await add_ping(sessions, 11, "a", "Rate <KZT> & more")
    first = await run_pings(sessions, emu, kind)
    assert (first.claimed, first.sent, first.messages) == (1, 1, 1)
    [message] = emu.messages_in(11)
    assert "Rate <KZT> & more" in message.text and "&lt;KZT&gt; &amp;" in message.html
    assert message.flat_buttons[0].text == "Stop"
    again = await run_pings(sessions, emu, kind, NOW + timedelta(minutes=10))
    assert again.claimed == 0 and len(emu.outbox) == 1
    [row] = await notice_rows(sessions)
    assert (row.status, row.attempts, row.error) == ("sent", 1, None)
    assert row.sent_at is not None and NOW <= row.sent_at < NOW + timedelta(minutes=1)
    # A chat the store does not know gets the defaults, and the composer speaks them.
    assert record.composed == [(11, "en", "Asia/Almaty", "en")]


async def test_the_same_key_twice_makes_one_notice(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    emu = BotApiEmulator()
    _chats(emu, 21)
    assert await add_ping(sessions, 21, "event-7", "first")
    assert not await add_ping(sessions, 21, "event-7", "second")
    # Two processes detecting the same event at once: one row either way.
    both = await asyncio.gather(*(add_ping(sessions, 21, "event-8") for _ in range(2)))
    assert sorted(both) == [False, True]
    await run_pings(sessions, emu, ping_kind())
    [message] = emu.messages_in(21)
    assert "first" in message.text and "second" not in message.text
    assert len(await notice_rows(sessions)) == 2


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize(
    ("kind", "key"),
    [("", "k"), ("ping", ""), ("x" * 33, "k"), ("ping", "k" * 201)],
)
async def test_an_empty_or_huge_kind_or_key_is_refused(
    sessions: async_sessionmaker[AsyncSession], kind: str, key: str
) -> None:
    with pytest.raises(ValueError, match="kind of 1-32"):
        async with sessions() as session, session.begin():
            await notices.add_notice(session, kind, key, 1, {}, NOW)
    assert await notice_rows(sessions) == []


async def test_a_composer_batches_a_chat_s_notices_into_one_message(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    emu = BotApiEmulator()
    _chats(emu, 31, 32)
    async with sessions() as session, session.begin():
        session.add(ChatRow(id=31, kind="private", language="ru", timezone="Asia/Tashkent"))
    for n, text in enumerate(["Рубль", "Тенге 🇰🇿", "<b>Сом</b>"]):
        await add_ping(sessions, 31, f"31-{n}", text)
    await add_ping(sessions, 32, "32-0", "only one")
    await add_ping(sessions, 32, "32-1", alone=True, html="<i>on its own</i>")
    await add_ping(sessions, 32, "32-2", skip=True)  # the feature no longer wants it
    record = PingRecord()
    report = await run_pings(sessions, emu, ping_kind(record), batch=1)
    assert (report.claimed, report.sent, report.messages, report.dropped) == (6, 5, 3, 1)
    [batched] = emu.messages_in(31)
    assert batched.text.splitlines() == ["Pings", "• Рубль", "• Тенге 🇰🇿", "• <b>Сом</b>"]
    assert [m.text for m in emu.messages_in(32)] == ["on its own", "Pings\n• only one"]
    assert sorted(record.composed) == [
        (31, "ru", "Asia/Tashkent", "ru"),
        (32, "en", "Asia/Almaty", "en"),
    ]
    statuses = {row.dedupe_key: row.status for row in await notice_rows(sessions)}
    assert statuses.pop("ping:32-2") == "dropped"
    assert set(statuses.values()) == {"sent"}


async def test_two_passes_at_once_send_each_notice_once(
    engine: AsyncEngine, database_url: str, sessions: async_sessionmaker[AsyncSession]
) -> None:
    emu = BotApiEmulator()
    chats = list(range(1000, 1150))
    _chats(emu, *chats)
    for chat_id in chats:
        for n in range(2):
            await add_ping(sessions, chat_id, f"{chat_id}-{n}", f"key {chat_id}-{n}")
    other = make_engine(to_async_url(database_url))  # a second process's own connections
    kind = ping_kind()
    try:
        reports: list[NoticeReport] = await asyncio.gather(
            run_pings(sessions, emu, kind, batch=10),
            run_pings(make_sessionmaker(other), emu, kind, batch=10),
        )
    finally:
        await other.dispose()
    assert sum(report.sent for report in reports) == 300
    lines = [line for m in emu.outbox for line in m.text.splitlines() if line.startswith("•")]
    assert sorted(lines) == sorted(f"• key {c}-{n}" for c in chats for n in range(2))
    assert {row.status for row in await notice_rows(sessions)} == {"sent"}


async def test_a_claim_whose_lease_ran_out_is_taken_over(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    emu = BotApiEmulator()
    _chats(emu, 41, 42)
    await add_ping(sessions, 41, "a")
    await add_ping(sessions, 42, "b")
    # A sender claims both chats, then dies before sending anything.
    async with sessions() as session, session.begin():
        held = await notices.claim_chats(session, "ping", "dead", NOW, timedelta(minutes=5), 10)
    assert [chat.chat_id for chat in held] == [41, 42]
    kind = ping_kind()
    during = await run_pings(sessions, emu, kind, NOW + timedelta(minutes=1))
    assert during.claimed == 0 and emu.outbox == []
    after = await run_pings(sessions, emu, kind, NOW + timedelta(minutes=6))
    assert (after.claimed, after.sent) == (2, 2)
    rows = await notice_rows(sessions)
    assert [(r.status, r.attempts) for r in rows] == [("sent", 2), ("sent", 2)]
    # The dead sender wakes up: its token no longer holds anything.
    async with sessions() as session, session.begin():
        assert await notices.mark_sent(session, [(rows[0].id, "dead")], NOW) == 0
        assert await notices.put_back(session, [rows[1].id], "dead", NOW, "late") == 0
    assert [r.status for r in await notice_rows(sessions)] == ["sent", "sent"]


async def test_a_blocked_or_gone_chat_stops_the_kind_and_drops_its_notices(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    emu = BotApiEmulator()
    _chats(emu, 51, 52)
    emu.block(51)
    async with sessions() as session, session.begin():
        session.add_all([ChatRow(id=51, kind="private"), ChatRow(id=53, kind="private")])
    await add_ping(sessions, 51, "a")
    await add_ping(sessions, 51, "b", alone=True, html="second")
    await add_ping(sessions, 52, "c")
    await add_ping(sessions, 53, "d")  # Telegram knows no such chat: 400 chat not found
    later = NOW + timedelta(hours=1)
    async with sessions() as session, session.begin():  # waits for later: dropped too
        await notices.add_notice(
            session, "ping", "ping:e", 51, {"text": "e"}, NOW, not_before=later
        )
        await notices.add_notice(session, "other", "other:f", 51, {"text": "f"}, NOW)
    record = PingRecord()
    report = await run_pings(sessions, emu, ping_kind(record))
    assert (report.sent, report.unreachable, report.dropped) == (1, 2, 4)
    assert sorted(record.unreachable) == [51, 53]
    statuses = {row.dedupe_key: row.status for row in await notice_rows(sessions)}
    assert statuses == {
        "ping:a": "dropped",
        "ping:b": "dropped",
        "ping:c": "sent",
        "ping:d": "dropped",
        "ping:e": "dropped",
        "other:f": "pending",  # another kind's: its own pass decides
    }
    async with sessions() as session:
        chats = {c.id: c.unreachable_since for c in await session.scalars(select(ChatRow))}
    assert chats == {51: NOW, 53: NOW}
    assert [m.chat_id for m in emu.outbox] == [52]


async def test_a_migrated_group_moves_and_gets_its_notices(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    emu = BotApiEmulator()
    emu.group_chat("Traders", chat_id=-4001)
    emu.upgrade_group(-4001, -1004001)
    async with sessions() as session, session.begin():
        session.add(ChatRow(id=-4001, kind="group", language="kk", timezone="Asia/Almaty"))
    await add_ping(sessions, -4001, "a", "first")
    await add_ping(sessions, -4001, "b", alone=True, html="second")
    record = PingRecord()
    report = await run_pings(sessions, emu, ping_kind(record))
    assert (report.sent, report.messages, report.moved) == (2, 2, 1)
    assert record.migrated == [(-4001, -1004001)]
    assert [m.text for m in emu.messages_in(-1004001)] == ["second", "Pings\n• first"]
    assert {row.chat_id for row in await notice_rows(sessions)} == {-1004001}
    async with sessions() as session:
        chats = {c.id: (c.kind, c.language) for c in await session.scalars(select(ChatRow))}
    assert chats[-1004001] == ("supergroup", "kk")
    await add_ping(sessions, -1004001, "c", "third")
    await run_pings(sessions, emu, ping_kind(record), NOW + timedelta(minutes=1))
    assert len(emu.messages_in(-1004001)) == 3 and record.migrated == [(-4001, -1004001)]


async def test_a_short_429_is_waited_out_and_a_long_one_puts_the_chat_back(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    emu = BotApiEmulator()
    _chats(emu, 61, 62)
    await add_ping(sessions, 61, "a")
    await add_ping(sessions, 62, "b")
    waits: list[float] = []
    fake = FakeTime()  # the budget's pause after the 429 passes in fake time

    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    emu.fail_next("sendMessage", 429, retry_after=7)
    budget = SendBudget(0, 0, clock=fake.clock, sleep=fake.sleep)
    report = await run_pings(sessions, emu, ping_kind(), sleep=sleep, budget=budget, workers=1)
    assert waits == [7] and fake.slept == [7]
    assert (report.sent, report.put_back) == (2, 0) and len(emu.outbox) == 2

    await add_ping(sessions, 61, "c")
    emu.fail_next("sendMessage", 429, retry_after=600)
    later = NOW + timedelta(minutes=1)
    report = await run_pings(sessions, emu, ping_kind(), later, sleep=sleep)
    assert (report.sent, report.put_back) == (0, 1)
    [back] = [r for r in await notice_rows(sessions) if r.status == "pending"]
    assert later + timedelta(seconds=600) <= back.not_before < later + timedelta(seconds=660)
    assert back.attempts == 0  # waiting is not a failed attempt
    assert (await run_pings(sessions, emu, ping_kind(), later + timedelta(minutes=5))).claimed == 0
    final = await run_pings(sessions, emu, ping_kind(), later + timedelta(minutes=11))
    assert final.sent == 1 and len(emu.messages_in(61)) == 2


async def test_a_bad_message_fails_alone_and_network_trouble_is_retried_a_few_times(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    emu = BotApiEmulator()
    _chats(emu, 71, 72)
    await add_ping(sessions, 71, "bad", alone=True, html="<b>unclosed")
    await add_ping(sessions, 71, "good", "fine")
    await add_ping(sessions, 72, "net", "flaky")
    kind = ping_kind()

    async def lossy(chat_id: int, html: str, keyboard: object = None) -> None:
        if chat_id == 72:
            from telegram.error import NetworkError

            raise NetworkError("connection reset")
        from telegram import Bot

        from bot.bulk_send import telegram_sender
        from bot_api_emulator import DUMMY_TOKEN

        async with Bot(DUMMY_TOKEN, request=emu.request()) as bot:
            await telegram_sender(bot)(chat_id, html, keyboard)  # type: ignore[arg-type]

    moment = NOW
    for _ in range(7):
        await run_pings(sessions, emu, kind, moment, send=lossy)
        moment += timedelta(minutes=2)
    statuses = {row.dedupe_key: (row.status, row.attempts) for row in await notice_rows(sessions)}
    assert statuses["ping:bad"][0] == "failed" and statuses["ping:good"] == ("sent", 1)
    assert statuses["ping:net"] == ("failed", 6)  # five tries, then given up
    assert [m.text for m in emu.messages_in(71)] == ["Pings\n• fine"]
