"""Delivery passes against the emulator, on SQLite and PostgreSQL: due times across days and
time zones, exactly once under restarts, crashes and concurrent passes, and Telegram's errors."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from telegram.error import RetryAfter

from bot.digests import PassReport, telegram_sender
from bot.send_budget import SendBudget
from bot.settings import to_async_url
from bot_api_emulator import DUMMY_TOKEN, BotApiEmulator
from storage import deliveries, due_digests
from storage.alerts import NewAlert, add_alert
from storage.database import make_engine, make_sessionmaker
from storage.models import AlertRow, ChatRow, NoticeRow, SubscriptionRow, TopicRow
from storage.notices import add_notice
from storage.topics import add_topic
from tests.digest_support import (
    FakeTime,
    add_story,
    add_subscriber,
    add_usd_rates,
    at,
    days,
    delivery_rows,
    run_pass,
)


def _subscribe_in_emulator(emu: BotApiEmulator, *chat_ids: int) -> None:
    for chat_id in chat_ids:
        emu.private_chat(emu.user(chat_id, f"Reader {chat_id}"))


async def test_due_after_the_local_time_once_per_local_day(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    emu = BotApiEmulator()
    _subscribe_in_emulator(emu, 11, 12)
    await add_subscriber(sessions, 11, local_time="09:00")  # Asia/Almaty, +05
    # Made at 22:00 on Nov 27 in New York, after its 21:30: its first digest is on Nov 28.
    made = at("2026-11-28T03:00:00+00:00")
    await add_subscriber(
        sessions, 12, local_time="21:30", timezone="America/New_York", created=made
    )
    await add_usd_rates(sessions)

    early = await run_pass(sessions, emu, at("2026-11-28T08:59:00+05:00"))
    assert early.claimed == 0 and emu.outbox == []
    first = await run_pass(sessions, emu, at("2026-11-28T09:00:00+05:00"))
    assert (first.claimed, first.sent) == (1, 1)
    again = await run_pass(sessions, emu, at("2026-11-28T23:59:00+05:00"))  # a restart, a rerun
    assert again.claimed == 0
    # 21:30 in New York on Nov 28 is 07:30 on Nov 29 in Almaty.
    await run_pass(sessions, emu, at("2026-11-29T02:29:00+00:00"))
    assert len(emu.messages_in(12)) == 0
    await run_pass(sessions, emu, at("2026-11-29T02:30:00+00:00"))
    assert len(emu.messages_in(12)) == 1
    await run_pass(sessions, emu, at("2026-11-29T09:01:00+05:00"))
    assert [len(emu.messages_in(c)) for c in (11, 12)] == [2, 1]
    digest = emu.messages_in(11)[0]
    assert "Nov 28, 2026" in digest.text and "KZT 472.31 ▼2.78" in digest.text
    assert "Nothing new" in digest.text
    rows = await delivery_rows(sessions)
    assert {row.status for row in rows} == {"sent"}
    assert sorted(str(row.local_date) for row in rows) == [
        "2026-11-28",
        "2026-11-28",
        "2026-11-29",
    ]


async def test_several_days_across_daylight_saving_changes(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    emu = BotApiEmulator()
    _subscribe_in_emulator(emu, 21, 22, 23)
    await add_subscriber(sessions, 21, local_time="09:00", timezone="Europe/Berlin")
    await add_subscriber(sessions, 22, local_time="09:00", timezone="America/New_York")
    # A time that does not exist on the day clocks go forward in Berlin.
    await add_subscriber(sessions, 23, local_time="02:30", timezone="Europe/Berlin")

    # Berlin leaves summer time on Oct 25, 2026 (09:00 is 07:00 UTC before, 08:00 after).
    await run_pass(sessions, emu, at("2026-10-24T07:00:00+00:00"))
    assert len(emu.messages_in(21)) == 1
    await run_pass(sessions, emu, at("2026-10-26T07:30:00+00:00"))  # 08:30 in Berlin now
    assert len(emu.messages_in(21)) == 1
    await run_pass(sessions, emu, at("2026-10-26T08:00:00+00:00"))
    assert len(emu.messages_in(21)) == 2
    # New York leaves summer time on Nov 1: 09:00 is 13:00 UTC before, 14:00 after.
    await run_pass(sessions, emu, at("2026-10-31T13:00:00+00:00"))
    await run_pass(sessions, emu, at("2026-11-01T13:30:00+00:00"))
    assert len(emu.messages_in(22)) == 1
    await run_pass(sessions, emu, at("2026-11-01T14:00:00+00:00"))
    assert len(emu.messages_in(22)) == 2
    # Clocks skip 02:00-03:00 on Mar 29, 2026 in Berlin: 02:30 goes out at 03:00 local.
    await run_pass(sessions, emu, at("2026-03-29T00:59:00+00:00"))  # 01:59 CET
    before = len(emu.messages_in(23))
    await run_pass(sessions, emu, at("2026-03-29T01:00:00+00:00"))  # 03:00 CEST
    assert len(emu.messages_in(23)) == before + 1
    # The hour repeated on Oct 25: only the first 02:30 sends.
    await run_pass(sessions, emu, at("2026-10-25T00:30:00+00:00"))  # 02:30 CEST
    await run_pass(sessions, emu, at("2026-10-25T01:30:00+00:00"))  # 02:30 CET
    dates = [str(r.local_date) for r in await delivery_rows(sessions) if r.subscription_id == 3]
    assert dates.count("2026-10-25") == 1 and dates.count("2026-03-29") == 1


async def test_subscribing_after_the_time_starts_the_next_day(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    emu = BotApiEmulator()
    _subscribe_in_emulator(emu, 31, 32)
    await add_subscriber(sessions, 31, created=at("2026-11-28T10:15:00+05:00"))
    await add_subscriber(sessions, 32, created=at("2026-11-28T08:15:00+05:00"))
    await run_pass(sessions, emu, at("2026-11-28T11:00:00+05:00"))
    assert (len(emu.messages_in(31)), len(emu.messages_in(32))) == (0, 1)
    await run_pass(sessions, emu, at("2026-11-29T09:00:00+05:00"))
    assert (len(emu.messages_in(31)), len(emu.messages_in(32))) == (1, 2)


async def test_stories_since_the_previous_digest_grouped_and_escaped(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    emu = BotApiEmulator()
    _subscribe_in_emulator(emu, 41)
    await add_subscriber(sessions, 41, countries="KG,UZ")
    day1 = at("2026-11-28T09:00:00+05:00")
    await add_story(sessions, "Old Bishkek news", countries="KG", fetched=day1 - days(3))
    await add_story(
        sessions,
        "<b>Tashkent</b> & Samarkand rail deal",
        countries="UZ",
        fetched=day1 - timedelta(hours=2),
        url="https://example.org/a?x=1&y=2",
        outlets=3,
    )
    await add_story(sessions, "Astana only", countries="KZ", fetched=day1 - timedelta(hours=1))
    await add_story(
        sessions, "Osh market reopens", countries="KG", fetched=day1 - timedelta(hours=5)
    )
    await run_pass(sessions, emu, day1)
    [first] = emu.messages_in(41)
    assert "<b>Tashkent</b> & Samarkand rail deal (3 outlets)" in first.text
    assert "&lt;b&gt;Tashkent&lt;/b&gt; &amp; Samarkand" in first.html
    assert 'href="https://example.org/a?x=1&amp;y=2"' in first.html
    assert "Osh market reopens" in first.text
    assert "Astana only" not in first.text and "Old Bishkek news" not in first.text
    # Uzbekistan's section comes first: it holds the best story.
    assert first.text.index("Uzbekistan") < first.text.index("Kyrgyzstan")

    await add_story(sessions, "Naryn bridge opens", countries="KG", fetched=day1 + days(0.5))
    await run_pass(sessions, emu, day1 + days(1))
    second = emu.messages_in(41)[-1]
    assert "Naryn bridge opens" in second.text
    assert "Tashkent" not in second.text and "Osh market" not in second.text


async def test_the_digest_is_in_the_chat_language(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    emu = BotApiEmulator()
    _subscribe_in_emulator(emu, 51)
    await add_subscriber(sessions, 51, language="ru")
    await add_usd_rates(sessions)
    await run_pass(sessions, emu, at("2026-11-28T09:00:00+05:00"))
    [digest] = emu.messages_in(51)
    assert "2026" in digest.text and "November" not in digest.text
    assert "12\xa0195" in digest.text  # Russian digit grouping, through Babel


async def test_a_claim_whose_sender_crashed_is_retried_after_the_lease(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    emu = BotApiEmulator()
    _subscribe_in_emulator(emu, 61, 62)
    await add_subscriber(sessions, 61)
    await add_subscriber(sessions, 62)
    now = at("2026-11-28T09:00:00+05:00")
    # A sender claims both, then dies before sending anything.
    async with sessions() as session:
        due = await due_digests.list_due_subscriptions(session, now, "Asia/Almaty")
    async with sessions() as session, session.begin():
        claimed = await deliveries.claim_new(session, due, "dead", now, timedelta(minutes=5))
    assert len(claimed) == 2
    during = await run_pass(sessions, emu, now + timedelta(minutes=1))
    assert during.claimed == 0 and emu.outbox == []  # the lease still holds
    after = await run_pass(sessions, emu, now + timedelta(minutes=6))
    assert (after.claimed, after.sent) == (2, 2)
    await run_pass(sessions, emu, now + timedelta(minutes=30))
    assert [len(emu.messages_in(c)) for c in (61, 62)] == [1, 1]
    rows = await delivery_rows(sessions)
    assert [(r.status, r.attempts) for r in rows] == [("sent", 2), ("sent", 2)]
    # The dead sender wakes up: its token no longer holds anything.
    async with sessions() as session, session.begin():
        assert await deliveries.mark_sent(session, [(rows[0].id, "dead")], now) == 0


async def test_a_crash_in_the_middle_of_a_pass_loses_nothing(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    emu = BotApiEmulator()
    ids = list(range(101, 111))
    _subscribe_in_emulator(emu, *ids)
    for chat_id in ids:
        await add_subscriber(sessions, chat_id)
    now = at("2026-11-28T09:00:00+05:00")

    class Crash(BaseException):
        """Stands for the process dying: nothing below catches it."""

    sent = 0

    async def crashing(chat_id: int, html: str) -> None:
        nonlocal sent
        if sent == 4:
            raise Crash
        sent += 1
        await emu.call("sendMessage", {"chat_id": str(chat_id), "text": html, "parse_mode": "HTML"})

    try:
        await run_pass(sessions, emu, now, send=crashing, workers=1, batch=10)
    except BaseException as exc:  # the Crash, possibly inside a group of task errors
        assert "Crash" in repr(exc) or isinstance(exc, Crash)
    await run_pass(sessions, emu, now + timedelta(minutes=10))
    counts = [len(emu.messages_in(c)) for c in ids]
    assert sum(counts) == 10 and set(counts) == {1}


async def test_a_short_429_is_waited_out_and_a_long_one_puts_the_digest_back(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    emu = BotApiEmulator()
    ids = list(range(201, 207))
    _subscribe_in_emulator(emu, *ids)
    for chat_id in ids:
        await add_subscriber(sessions, chat_id)
    now = at("2026-11-28T09:00:00+05:00")
    waits: list[float] = []
    fake = FakeTime()  # the budget's pause after the 429 passes in fake time

    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    calls = 0
    bot_send = None

    async def flaky(chat_id: int, html: str) -> None:
        nonlocal calls
        calls += 1
        if calls == 3:
            emu.fail_next("sendMessage", 429, retry_after=7)
        if calls == 5:
            emu.fail_next("sendMessage", 429, retry_after=600)
        assert bot_send is not None
        await bot_send(chat_id, html)

    from telegram import Bot

    async with Bot(DUMMY_TOKEN, request=emu.request()) as bot:
        bot_send = telegram_sender(bot)
        budget = SendBudget(0, 0, clock=fake.clock, sleep=fake.sleep)
        report = await run_pass(
            sessions, emu, now, send=flaky, sleep=sleep, workers=1, budget=budget
        )
    assert waits == [7] and fake.slept == [7]
    assert (report.sent, report.put_back) == (5, 1)
    assert sum(len(emu.messages_in(c)) for c in ids) == 5
    [back] = [r for r in await delivery_rows(sessions) if r.status == "pending"]
    assert now + timedelta(seconds=600) <= back.not_before < now + timedelta(seconds=660)
    assert back.attempts == 0  # waiting is not a failed attempt
    # Not before Telegram's time is up; then once.
    assert (await run_pass(sessions, emu, now + timedelta(minutes=5))).claimed == 0
    later = await run_pass(sessions, emu, now + timedelta(minutes=11))
    assert later.sent == 1
    assert [len(emu.messages_in(c)) for c in ids] == [1] * 6


async def test_a_blocked_bot_or_a_gone_chat_stops_the_subscription(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    emu = BotApiEmulator()
    _subscribe_in_emulator(emu, 301, 302)
    emu.block(301)
    await add_subscriber(sessions, 301)
    await add_subscriber(sessions, 302)
    await add_subscriber(sessions, 303)  # Telegram knows no such chat: 400 chat not found
    now = at("2026-11-28T09:00:00+05:00")
    report = await run_pass(sessions, emu, now)
    assert (report.sent, report.failed, report.unreachable) == (1, 2, 2)
    async with sessions() as session:
        subs = {s.chat_id: s.active for s in await session.scalars(select(SubscriptionRow))}
        chats = {c.id: c.unreachable_since for c in await session.scalars(select(ChatRow))}
    assert subs == {301: False, 302: True, 303: False}
    assert chats[301] == now and chats[303] == now and chats[302] is None
    nxt = await run_pass(sessions, emu, now + days(1))
    assert (nxt.claimed, nxt.sent) == (1, 1)


async def test_a_group_upgraded_to_a_supergroup_moves_and_gets_its_digest(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    emu = BotApiEmulator()
    emu.group_chat("Traders", chat_id=-4001)
    emu.upgrade_group(-4001, -1004001)
    await add_subscriber(sessions, -4001, kind="group", language="ru", timezone="Asia/Bishkek")
    now = at("2026-11-28T09:00:00+06:00")
    report = await run_pass(sessions, emu, now)
    assert (report.sent, report.moved) == (1, 1)
    assert len(emu.messages_in(-1004001)) == 1
    async with sessions() as session:
        [sub] = await session.scalars(select(SubscriptionRow))
        chats = {
            c.id: (c.kind, c.language, c.timezone) for c in await session.scalars(select(ChatRow))
        }
    assert sub.chat_id == -1004001 and sub.active
    assert chats == {-1004001: ("supergroup", "ru", "Asia/Bishkek")}
    await run_pass(sessions, emu, now + days(1))
    assert len(emu.messages_in(-1004001)) == 2


async def test_a_group_moved_by_its_digest_keeps_its_topics_alerts_and_notices(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    # The digest hears of the upgrade first and removes the old chat row: the group's topics
    # (which would go with that row), alerts and queued notices must be on the new id by then.
    emu = BotApiEmulator()
    emu.group_chat("Traders", chat_id=-4002)
    emu.upgrade_group(-4002, -1004002)
    await add_subscriber(sessions, -4002, kind="group", language="ru", timezone="Asia/Bishkek")
    now = at("2026-11-28T09:00:00+06:00")
    async with sessions() as session, session.begin():
        await add_topic(session, -4002, "rogun", (), now)
        alert = NewAlert(
            chat_id=-4002, base="USD", quote="KZT", direction="above", level=Decimal("520"),
            armed=True, set_rate=Decimal("500"), set_as_of=now.date(), seen_as_of=now.date(),
        )  # fmt: skip
        await add_alert(session, alert, now)
        await add_notice(session, "topic", "topic:-4002:1", -4002, {"story": 1}, now)
    report = await run_pass(sessions, emu, now)
    assert (report.sent, report.moved) == (1, 1)
    async with sessions() as session:
        topics = [(t.chat_id, t.words) for t in await session.scalars(select(TopicRow))]
        alerts = [a.chat_id for a in await session.scalars(select(AlertRow))]
        queued = [n.chat_id for n in await session.scalars(select(NoticeRow))]
        chats = [c.id for c in await session.scalars(select(ChatRow))]
    assert topics == [(-1004002, "rogun")]
    assert alerts == [-1004002] and queued == [-1004002] and chats == [-1004002]


async def test_a_global_limit_of_30_a_second_is_kept_without_a_429(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    emu = BotApiEmulator()
    emu.limit_rate(30)
    ids = list(range(401, 446))
    _subscribe_in_emulator(emu, *ids)
    for chat_id in ids:
        await add_subscriber(sessions, chat_id)
    report = await run_pass(
        sessions, emu, at("2026-11-28T09:00:00+05:00"), budget=SendBudget(), sleep=asyncio.sleep
    )
    assert report.sent == 45 and emu.flood_refusals == 0


async def test_two_passes_at_once_over_300_subscriptions_send_each_once(
    engine: AsyncEngine, database_url: str, sessions: async_sessionmaker[AsyncSession]
) -> None:
    emu = BotApiEmulator()
    ids = list(range(1000, 1300))
    _subscribe_in_emulator(emu, *ids)
    for chat_id in ids:
        await add_subscriber(sessions, chat_id)
    now = at("2026-11-28T09:00:00+05:00")
    other = make_engine(to_async_url(database_url))  # a second process's own connections
    try:
        reports: list[PassReport] = await asyncio.gather(
            run_pass(sessions, emu, now, batch=20),
            run_pass(make_sessionmaker(other), emu, now, batch=20),
        )
    finally:
        await other.dispose()
    assert sum(report.sent for report in reports) == 300
    assert sorted(m.chat_id for m in emu.outbox) == ids
    rows = await delivery_rows(sessions)
    assert len(rows) == 300 and {row.status for row in rows} == {"sent"}


async def test_an_unsubscribed_chat_with_a_delivery_put_back_gets_nothing(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    emu = BotApiEmulator()
    _subscribe_in_emulator(emu, 501)
    await add_subscriber(sessions, 501)
    now = at("2026-11-28T09:00:00+05:00")
    emu.fail_next("sendMessage", 429, retry_after=120)
    assert (await run_pass(sessions, emu, now)).put_back == 1
    async with sessions() as session, session.begin():
        await deliveries.deactivate_subscription(session, 1)
    report = await run_pass(sessions, emu, now + days(0.1))
    assert (report.claimed, report.failed, report.sent) == (1, 1, 0)
    assert emu.messages_in(501) == []


def test_retry_after_error_type_is_what_ptb_raises() -> None:
    # The pass reads RetryAfter.retry_after as seconds or a timedelta; both are PTB's.
    assert RetryAfter(5).retry_after in (5, timedelta(seconds=5))


async def test_stored_garbage_still_gets_a_digest(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    emu = BotApiEmulator()
    _subscribe_in_emulator(emu, 601)
    await add_subscriber(sessions, 601, countries="ZZ,<b>,", timezone="Mars/Olympus")
    await add_story(sessions, "Any news", countries="KZ", fetched=at("2026-11-28T08:00:00+05:00"))
    report = await run_pass(sessions, emu, at("2026-11-28T09:00:00+05:00"))  # Almaty, the default
    assert report.sent == 1
    assert "Nothing new" in emu.messages_in(601)[0].text


async def test_the_emulator_answers_429_past_its_limit_and_400_for_an_upgraded_group() -> None:
    from telegram import Bot
    from telegram.error import ChatMigrated

    emu = BotApiEmulator()
    emu.limit_rate(3)
    _subscribe_in_emulator(emu, 701)
    async with Bot(DUMMY_TOKEN, request=emu.request()) as bot:
        for _ in range(3):
            await bot.send_message(701, "ok")
        try:
            await bot.send_message(701, "one too many")
        except RetryAfter as exc:
            assert exc.retry_after in (1, timedelta(seconds=1))
        else:
            raise AssertionError("no 429")
        emu.limit_rate(None)
        emu.group_chat("Old", chat_id=-77)
        emu.upgrade_group(-77, -10077)
        try:
            await bot.send_message(-77, "hello")
        except ChatMigrated as exc:
            assert exc.new_chat_id == -10077
        else:
            raise AssertionError("no migration error")
        assert (await bot.send_message(-10077, "hello")).chat.type == "supergroup"
    assert emu.flood_refusals == 1
