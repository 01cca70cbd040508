"""The notice store on SQLite and PostgreSQL: claims grouped by chat, put back and due
later, drops, moves, listing for operators and pruning; and a pass stopped half-way."""

from __future__ import annotations

import asyncio
import contextlib
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram import Bot

from bot.bulk_send import telegram_sender
from bot.metrics import REGISTRY
from bot_api_emulator import DUMMY_TOKEN, BotApiEmulator
from storage import notices
from storage.models import ChatRow
from tests.notice_support import NOW, add_ping, notice_rows, ping_kind, run_pings

LEASE = timedelta(hours=2)


async def test_a_claim_takes_every_takeable_notice_of_a_few_chats_with_their_prefs(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with sessions() as session, session.begin():
        session.add(ChatRow(id=2, kind="private", language="uz", timezone="Asia/Tashkent"))
    for chat_id, key in [(1, "a"), (2, "b"), (1, "c"), (3, "d"), (2, "e")]:
        await add_ping(sessions, chat_id, key, payload_key=key)
    await add_ping(sessions, 1, "other", kind="other")  # another kind: never in this claim
    async with sessions() as session, session.begin():
        await notices.add_notice(
            session, "ping", "ping:later", 1, {}, NOW, not_before=NOW + timedelta(hours=1)
        )
        claimed = await notices.claim_chats(session, "ping", "t1", NOW, LEASE, 2)
    assert [(c.chat_id, c.language, c.timezone, c.token) for c in claimed] == [
        (1, None, None, "t1"),
        (2, "uz", "Asia/Tashkent", "t1"),
    ]
    assert [[n.dedupe_key for n in c.notices] for c in claimed] == [
        ["ping:a", "ping:c"],
        ["ping:b", "ping:e"],
    ]
    assert claimed[0].notices[0].payload == {"text": "hello", "payload_key": "a"}
    async with sessions() as session, session.begin():
        rest = await notices.claim_chats(session, "ping", "t2", NOW, LEASE, 10)
        assert [c.chat_id for c in rest] == [3]
        assert await notices.claim_chats(session, "ping", "t3", NOW, LEASE, 10) == []
        # Put back for later: not takeable before then, and the 429 wait is no attempt.
        ids = list(claimed[0].ids)
        later = NOW + timedelta(minutes=10)
        assert await notices.put_back(session, ids, "t1", later, "429", counts_as_attempt=False)
        assert not await notices.has_takeable(session, "ping", NOW + timedelta(minutes=9))
        assert await notices.has_takeable(session, "ping", later)
        again = await notices.claim_chats(session, "ping", "t4", later, LEASE, 10)
    assert [(n.dedupe_key, n.attempts) for c in again for n in c.notices] == [
        ("ping:a", 1),
        ("ping:c", 1),
    ]


async def test_drops_moves_listing_and_pruning(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    for key in ("a", "b"):
        await add_ping(sessions, 7, key)
    await add_ping(sessions, 7, "x", kind="other")
    await add_ping(sessions, 8, "c")
    async with sessions() as session, session.begin():
        assert await notices.drop_chat_notices(session, 7, "stopped", kind="ping") == 2
        assert await notices.move_chat_notices(session, 7, -1007) == 3
        assert await notices.drop_chat_notices(session, -1007, "gone") == 1  # every kind
    async with sessions() as session:
        counts = await notices.count_notices(session)
        listed = await notices.list_notices(session, chat_id=-1007, limit=2)
        pending = await notices.list_notices(session, status="pending", kind="ping")
    assert counts == {("ping", "dropped"): 2, ("other", "dropped"): 1, ("ping", "pending"): 1}
    assert [(n.dedupe_key, n.error) for n in listed] == [
        ("other:x", "gone"),
        ("ping:b", "stopped"),
    ]
    assert [n.chat_id for n in pending] == [8]
    async with sessions() as session, session.begin():
        # Pending rows are never pruned; the dropped ones older than the limit are.
        assert await notices.prune_notices(session, NOW) == 0
        assert await notices.prune_notices(session, NOW + timedelta(days=1)) == 3
    assert [row.dedupe_key for row in await notice_rows(sessions)] == ["ping:c"]
    # A pruned key can be added again: the event is new to the store.
    assert await add_ping(sessions, 7, "a")


async def test_a_pass_stopped_half_way_repeats_nothing_and_loses_nothing(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    emu = BotApiEmulator()
    chats = list(range(101, 111))
    for chat_id in chats:
        emu.private_chat(emu.user(chat_id))
        await add_ping(sessions, chat_id, str(chat_id))
    sent_before = REGISTRY.get_sample_value(
        "newsbot_notices_total", {"kind": "ping", "outcome": "sent"}
    )
    started = asyncio.Event()
    calls = 0
    async with Bot(DUMMY_TOKEN, request=emu.request()) as bot:
        send = telegram_sender(bot)

        async def slow(chat_id: int, html: str, keyboard: object = None) -> None:
            nonlocal calls
            calls += 1
            if calls == 4:
                started.set()
                await asyncio.sleep(0.05)  # SIGTERM arrives while this send is under way
            await send(chat_id, html, keyboard)  # type: ignore[arg-type]

        task = asyncio.create_task(
            run_pings(sessions, emu, ping_kind(), send=slow, workers=1, batch=3)
        )
        await asyncio.wait_for(started.wait(), 30)
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
    first = len(emu.outbox)
    assert 4 <= first < 10  # the send under way finished; the queued ones did not start
    rows = await notice_rows(sessions)
    assert sum(row.status == "sent" for row in rows) == first
    # After the lease the rest goes out, and nothing sent is sent again.
    await run_pings(sessions, emu, ping_kind(), NOW + timedelta(minutes=6))
    assert sorted(m.chat_id for m in emu.outbox) == chats
    sent_after = REGISTRY.get_sample_value(
        "newsbot_notices_total", {"kind": "ping", "outcome": "sent"}
    )
    assert (sent_after or 0) - (sent_before or 0) == 10
