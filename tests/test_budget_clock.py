"""The shared send budget on the store's clock: slots placed where the store set them, a
slot woken to too late given up, a 429 seen here holding every booked sender."""

from __future__ import annotations

import asyncio
import time

import pytest

from bot import shared_budget
from bot.shared_budget import LATE_LIMIT, MAX_REBOOKS, SharedBudget
from bot.store_clock import StoreClock
from storage.shared_limits import ChatRule, SlotAnswer

STORE_OFFSET = 1_800_000_000.0  # the store's clock: seconds since the epoch, not monotonic


def test_a_slot_is_placed_by_the_quickest_round_trip() -> None:
    clock = StoreClock()
    # A quick trip: the store read 1000.0005 while the local clock read 10.0005 (±0.0005).
    assert clock.slot_at(10.0, 10.001, 1000.0005, 0.5) == pytest.approx(10.5005)
    # A slow trip (the answer lay 300 ms unread): the slot is still where the store set it,
    # not 300 ms later, as reading "wait" from the moment the answer was read would put it.
    slot = clock.slot_at(20.0, 20.3, 1010.001, 0.2)
    assert slot == pytest.approx(20.201)
    # Never outside what the round trip allows, however stale or wrong the offset.
    assert clock.slot_at(30.0, 30.002, 5000.0, 0.1) == pytest.approx(30.102)
    assert clock.slot_at(40.0, 40.002, 0.0, 0.1) == pytest.approx(40.1)


def test_without_the_store_clock_a_slot_counts_from_the_answer() -> None:
    clock = StoreClock()
    assert clock.slot_at(5.0, 5.2, None, 0.3) == pytest.approx(5.5)


def test_old_offsets_are_forgotten() -> None:
    clock = StoreClock(keep=30.0)
    clock.slot_at(0.0, 0.0001, 1000.0, 0.0)  # a perfect trip, long ago
    # The wall clock was stepped by 0.05 s since; a minute later only new trips count.
    slot = clock.slot_at(60.0, 60.01, 1060.055, 0.0)
    assert slot == pytest.approx(60.005)


class ScriptedStore:
    """A store on the monotonic clock that hands out slots ``gap`` apart; ``stall`` blocks
    the event loop after answering, as a busy process would, for the next answers."""

    def __init__(self, gap: float = 0.0) -> None:
        self.gap = gap
        self.next_at = 0.0
        self.asked: list[float] = []
        self.chats: list[int] = []
        self.stalls: list[float] = []
        self.paused: list[float] = []

    async def take(
        self, chat_id: int, interval: float, chat: ChatRule, horizon: float
    ) -> SlotAnswer:
        now = time.monotonic()
        self.asked.append(now)
        self.chats.append(chat_id)
        slot = max(now, self.next_at)
        self.next_at = slot + self.gap
        answer = SlotAnswer(True, slot - now, False, now + STORE_OFFSET)
        if self.stalls:
            time.sleep(self.stalls.pop(0))  # the loop is stuck: nothing else runs meanwhile
        return answer

    async def pause(self, seconds: float) -> None:
        self.paused.append(seconds)

    async def forget_chats(self, idle: float) -> int:
        return 0


def no_chat_limit(chat_id: int) -> ChatRule:
    return ChatRule(0.0)


async def test_a_sender_woken_too_late_gives_its_slot_up_and_asks_again() -> None:
    store = ScriptedStore()
    store.stalls = [LATE_LIMIT + 0.1]  # the first answer is read long after its slot
    budget = SharedBudget(store, rule_of=no_chat_limit)
    try:
        await budget.acquire(5)
        # One slot given up for the stall (more only if this machine stalled again), and
        # one request to the store for each slot.
        assert budget.sent == 1 and budget.given_up >= 1
        assert len(store.asked) == budget.given_up + 1
    finally:
        await budget.close()


async def test_a_sender_late_every_time_sends_after_a_few_tries() -> None:
    store = ScriptedStore()
    store.stalls = [LATE_LIMIT + 0.05] * (MAX_REBOOKS + 1)
    budget = SharedBudget(store, rule_of=no_chat_limit)
    try:
        await budget.acquire(5, reply=True)
        assert budget.sent == 1 and budget.given_up == MAX_REBOOKS
        assert len(store.asked) == MAX_REBOOKS + 1
    finally:
        await budget.close()


async def test_a_429_here_holds_the_senders_already_booked() -> None:
    # Slots 0.2 s apart: the second sender sleeps towards its slot when the 429 comes.
    store = ScriptedStore(gap=0.2)
    budget = SharedBudget(store, rule_of=no_chat_limit)
    try:
        await budget.acquire(1)
        second = asyncio.create_task(budget.acquire(2))
        while len(store.asked) < 2:
            await asyncio.sleep(0.01)
        budget.pause(0.5)
        paused_until = time.monotonic() + 0.5
        await second
        # It gave its slot up and asked again only once the pause was over.
        assert budget.given_up >= 1 and len(store.asked) == 2 + budget.given_up
        assert store.asked[2] >= paused_until - 0.01
        assert store.paused == [0.5]  # and the other processes were told
    finally:
        await budget.close()


async def test_a_sender_that_gave_its_slot_up_is_served_first_again() -> None:
    store = ScriptedStore(gap=0.01)
    store.stalls = [LATE_LIMIT + 0.05]
    budget = SharedBudget(store, rule_of=no_chat_limit)
    order: list[int] = []

    async def send(chat: int) -> None:
        await budget.acquire(chat)
        order.append(chat)

    try:
        await asyncio.gather(*(send(chat) for chat in range(10)))
        assert sorted(order) == list(range(10)) and budget.sent == 10
        assert budget.given_up >= 1
        # Chat 0's slot came too late; it asked again before the chats still waiting.
        assert store.chats.index(0, 1) < store.chats.index(9), store.chats
    finally:
        await budget.close()


def test_the_margin_is_small_and_the_late_limit_within_it() -> None:
    # The spacing's margin is what every send costs; the late limit must leave room in it
    # for the request's own way to Telegram.
    assert 1.0 < shared_budget.SHARED_WINDOW <= 1.06
    assert 0 < LATE_LIMIT < shared_budget.SHARED_WINDOW - 1.0


async def test_an_idle_dispatcher_stops_when_cancelled_just_as_a_sender_arrives() -> None:
    # close() cancels the dispatchers while a new sender may be waking them: the cancel must
    # win, or close() waits for a dispatcher that goes on serving (on Python 3.11,
    # asyncio.wait_for returned the wake-up and dropped the cancellation).
    budget = SharedBudget(ScriptedStore(), rule_of=no_chat_limit)
    idle = asyncio.create_task(budget._idle(30.0))
    await asyncio.sleep(0)  # the dispatcher is now waiting for a sender or its time
    budget._arrived.set()
    idle.cancel()
    await asyncio.wait({idle}, timeout=5.0)
    assert idle.cancelled()
