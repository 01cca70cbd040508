"""Round-robin update processing: the order updates are handled in, never their timing."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram import Update
from telegram.ext import TypeHandler

from bot.fair_processor import FairUpdateProcessor, fairness_key
from tests.bot_bench import Bench, running_bot


def message_update(update_id: int, chat_id: int) -> Update:
    data: dict[str, Any] = {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "date": 1_700_000_000,
            "chat": {"id": chat_id, "type": "private"},
            "from": {"id": chat_id, "is_bot": False, "first_name": "P"},
            "text": "/rates",
        },
    }
    return Update.de_json(data, None)


async def run_all(processor: FairUpdateProcessor, updates: list[Update]) -> list[tuple[int, int]]:
    """Hand every update to the processor at once, as PTB does; return the handling order."""
    handled: list[tuple[int, int]] = []
    gate = asyncio.Event()

    async def handle(update: Update) -> None:
        await gate.wait()  # nothing finishes until everything has queued
        assert update.effective_chat is not None
        handled.append((update.effective_chat.id, update.update_id))

    tasks = [asyncio.create_task(processor.process_update(u, handle(u))) for u in updates]
    await asyncio.sleep(0)
    gate.set()
    await asyncio.gather(*tasks)
    return handled


async def test_one_worker_takes_chats_in_turn() -> None:
    busy = [message_update(n, chat) for chat in (1, 2) for n in range(chat * 100, chat * 100 + 5)]
    quiet = message_update(999, 3)
    handled = await run_all(FairUpdateProcessor(1), [*busy, quiet])
    chats = [chat for chat, _ in handled]
    # Chat 1's first update takes the free worker at once; then each chat with work
    # waiting gets one turn per round, so the quiet chat is 4th, not 11th.
    assert chats == [1, 1, 2, 3, 1, 2, 1, 2, 1, 2, 2]
    # Within a chat, updates keep the order they were sent in.
    for chat in (1, 2):
        ids = [uid for c, uid in handled if c == chat]
        assert ids == sorted(ids) and len(ids) == 5


async def test_slots_never_exceed_workers() -> None:
    processor = FairUpdateProcessor(3)
    running = peak = 0

    async def handle() -> None:
        nonlocal running, peak
        running += 1
        peak = max(peak, running)
        await asyncio.sleep(0)
        running -= 1

    updates = [message_update(n, n % 7) for n in range(60)]
    await asyncio.gather(*(processor.process_update(u, handle()) for u in updates))
    assert peak == 3
    assert processor.waiting_chats == 0


async def test_a_cancelled_wait_gives_its_place_up() -> None:
    processor = FairUpdateProcessor(1)
    release = asyncio.Event()
    order: list[int] = []

    async def handle(n: int) -> None:
        order.append(n)
        await release.wait()

    first = asyncio.create_task(processor.process_update(message_update(1, 1), handle(1)))
    second = asyncio.create_task(processor.process_update(message_update(2, 2), handle(2)))
    third = asyncio.create_task(processor.process_update(message_update(3, 3), handle(3)))
    await asyncio.sleep(0)
    second.cancel()
    release.set()
    await asyncio.gather(first, third)
    with pytest.raises(asyncio.CancelledError):
        await second
    assert order == [1, 3]
    assert processor.waiting_chats == 0


def test_inline_queries_take_the_sender_s_turn() -> None:
    inline = Update.de_json(
        {
            "update_id": 5,
            "inline_query": {
                "id": "q",
                "from": {"id": 77, "is_bot": False, "first_name": "I"},
                "query": "milk",
                "offset": "",
            },
        },
        None,
    )
    assert fairness_key(inline) == 77
    assert fairness_key(message_update(1, -100123)) == -100123
    assert fairness_key("not an update") == 0


async def test_a_quiet_chat_is_answered_in_the_first_round(
    database_url: str, sessions: async_sessionmaker[AsyncSession]
) -> None:
    """Through the real Application's update queue: 40 busy chats send 3 messages each,
    then one person writes once; that update is taken up in the first round."""
    async with running_bot(database_url, sessions) as bench:
        started: list[int] = []

        async def note_start(update: Update, _context: object) -> None:
            assert update.effective_chat is not None
            started.append(update.effective_chat.id)

        # Before every other handler: the order in which updates get a worker.
        bench.app.add_handler(TypeHandler(Update, note_start), group=-1000)
        answered = await queue_crowd_then_quiet(bench, busy_chats=40, each=3)
    # First in, first out would start it 121st. Round-robin starts it after the 16 taken
    # at once and one turn of each busy chat waiting: 57th.
    assert started.index(QUIET) == 56
    assert len(started) == len(answered) == 40 * 3 + 1


QUIET = 5_000_001


async def queue_crowd_then_quiet(bench: Bench, *, busy_chats: int, each: int) -> list[int]:
    """Put the crowd's updates and then the quiet one on PTB's update queue; return the
    chat of each answer in the order the answers were sent."""
    emu = bench.emu
    drivers = [emu.private_chat(emu.user(4_000_000 + n, f"Busy{n}")) for n in range(busy_chats)]
    quiet = emu.private_chat(emu.user(QUIET, "Quiet"))
    start = len(emu.outbox)
    for _ in range(each):
        for driver in drivers:
            await bench.app.update_queue.put(
                Update.de_json(driver.person_message("/help"), bench.app.bot)
            )
    await bench.app.update_queue.put(Update.de_json(quiet.person_message("/help"), bench.app.bot))
    total = busy_chats * each + 1
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 300
    while len(emu.outbox) - start < total and loop.time() < deadline:
        await asyncio.sleep(0.05)
    return [message.chat_id for message in emu.outbox[start:]]
