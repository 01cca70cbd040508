"""The send budget shared by a bot's processes, on PostgreSQL and on Redis: one schedule,
one pause, replies first, chats in turn."""

from __future__ import annotations

import asyncio
import itertools
import secrets
import time
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.redis_limits import RedisFlood, RedisSlots, connect
from bot.settings import SettingsError, load_settings, to_async_url
from bot.shared_budget import SharedBudget, SlotStore
from storage.database import make_engine
from storage.models import SendBudgetRow
from storage.shared_limits import ChatRule, PostgresFlood, PostgresSlots

NO_CHAT_LIMIT = ChatRule(0.0)


@asynccontextmanager
async def two_stores(
    kind: str, engine: AsyncEngine, database_url: str, redis_url: str | None
) -> AsyncIterator[tuple[SlotStore, SlotStore]]:
    """Two stores of one new bot, each on its own connections, as two processes have."""
    bot = str(secrets.randbelow(10**9))
    async with AsyncExitStack() as stack:
        stores: list[SlotStore] = []
        for _ in range(2):
            if kind == "redis":
                assert redis_url is not None
                client = connect(redis_url)
                stack.push_async_callback(client.aclose)
                stores.append(RedisSlots(client, bot))
            else:
                other = make_engine(to_async_url(database_url))
                stack.push_async_callback(other.dispose)
                stores.append(PostgresSlots(other, bot))
        yield stores[0], stores[1]


@pytest.fixture(params=["postgresql", "redis"])
def kind(request: pytest.FixtureRequest) -> str:
    """Which shared engine a test runs on."""
    if request.param == "redis":
        request.getfixturevalue("redis_url")
    return str(request.param)


@pytest.fixture
def maybe_redis(kind: str, request: pytest.FixtureRequest) -> str | None:
    return str(request.getfixturevalue("redis_url")) if kind == "redis" else None


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
async def test_two_processes_book_one_schedule(
    kind: str, database_url: str, engine: AsyncEngine, maybe_redis: str | None
) -> None:
    async with two_stores(kind, engine, database_url, maybe_redis) as (first, second):
        # One slot a second, booked far ahead: the waits count the slots already taken.
        began = time.monotonic()
        answers = [
            await store.take(chat, 1.0, NO_CHAT_LIMIT, horizon=1000.0)
            for chat in range(40)
            for store in [(first, second)[chat % 2]]
        ]
        assert all(answer.taken for answer in answers)
        took = time.monotonic() - began
        waits = [answer.wait for answer in answers]
        # Each slot follows the one before, whichever process took it, by one interval less
        # the time between the two requests: the 40th lies 39 intervals after the first.
        steps = [later - earlier for earlier, later in itertools.pairwise(waits)]
        assert all(0 < step <= 1.0 for step in steps), steps
        assert waits[0] < 0.5 and 39 - took <= waits[-1] <= 39, (waits, took)
        # A digest may not book that far ahead: it is told to come back, nothing is taken.
        bulk = await second.take(99, 1.0, NO_CHAT_LIMIT, horizon=0.1)
        assert not bulk.taken and not bulk.chat_busy and bulk.wait > 30
        if kind == "postgresql":
            async with engine.connect() as connection:
                next_at = (await connection.execute(select(SendBudgetRow.next_at))).scalar_one()
            assert next_at > 0


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
async def test_a_pause_in_one_process_stops_the_other_and_chats_keep_their_interval(
    kind: str, database_url: str, engine: AsyncEngine, maybe_redis: str | None
) -> None:
    async with two_stores(kind, engine, database_url, maybe_redis) as (first, second):
        one_a_second = ChatRule(1.0)
        assert (await first.take(5, 0.01, one_a_second, horizon=0.1)).taken
        again = await second.take(5, 0.01, one_a_second, horizon=0.1)
        assert not again.taken and again.chat_busy and 0.5 < again.wait <= 1.0
        assert (await second.take(6, 0.01, one_a_second, horizon=0.1)).taken  # another chat
        burst = ChatRule(1.0, tolerance=2.0)  # three at once, then one a second
        taken = [(await first.take(7, 0.01, burst, horizon=0.1)).taken for _ in range(4)]
        assert taken == [True, True, True, False]
        await first.pause(30)  # Telegram answered 429 to the first process
        paused = await second.take(8, 0.01, one_a_second, horizon=0.1)
        assert not paused.taken and not paused.chat_busy and paused.wait > 20


class Recorder:
    """Acquires through a budget and notes the order in which senders got their slots."""

    def __init__(self, budget: SharedBudget) -> None:
        self.budget = budget
        self.order: list[str] = []

    async def send(self, chat_id: int, name: str, *, reply: bool = False) -> None:
        await self.budget.acquire(chat_id, reply=reply)
        self.order.append(name)


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
async def test_replies_go_before_queued_digests_and_busy_chats_take_turns(
    kind: str, database_url: str, engine: AsyncEngine, maybe_redis: str | None
) -> None:
    async with two_stores(kind, engine, database_url, maybe_redis) as (first, second):
        fast = SharedBudget(first, per_second=50, rule_of=lambda chat: NO_CHAT_LIMIT)
        other = SharedBudget(second, per_second=50, rule_of=lambda chat: NO_CHAT_LIMIT)
        recorder = Recorder(fast)
        try:
            # Forty digests wait in this process and twenty in another one.
            digests = [asyncio.create_task(recorder.send(1000 + n, f"d{n}")) for n in range(40)]
            elsewhere = [asyncio.create_task(other.acquire(2000 + n)) for n in range(20)]
            while len(recorder.order) < 2:
                await asyncio.sleep(0.01)
            await recorder.send(1, "reply", reply=True)
            # The reply waited at most for the few digests already booked.
            assert recorder.order.index("reply") <= 2 + 6, recorder.order
            await asyncio.gather(*digests, *elsewhere)

            # A crowd: chat 7 asks for 30 messages, then quiet chat 8 for one.
            recorder.order.clear()
            crowd = [asyncio.create_task(recorder.send(7, f"busy{n}")) for n in range(30)]
            await asyncio.sleep(0)
            await recorder.send(8, "quiet")
            assert recorder.order.index("quiet") <= 3, recorder.order
            await asyncio.gather(*crowd)
        finally:
            await fast.close()
            await other.close()


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
async def test_flood_buckets_are_one_per_chat_across_processes(
    kind: str, database_url: str, engine: AsyncEngine, maybe_redis: str | None
) -> None:
    bot = str(secrets.randbelow(10**9))
    async with AsyncExitStack() as stack:
        if kind == "redis":
            assert maybe_redis is not None
            clients = [connect(maybe_redis), connect(maybe_redis)]
            for client in clients:
                stack.push_async_callback(client.aclose)
            buckets: list[Any] = [RedisFlood(client, bot, 600.0) for client in clients]
        else:
            buckets = [PostgresFlood(engine, bot, forget_after=600.0) for _ in range(2)]
        # Three at once, a tenth of a token a second, a minute's pause: as handlers.flood
        # does with its numbers. The two processes take turns.
        verdicts = [await buckets[n % 2].check(42, 3, 0.1, 60.0) for n in range(6)]
        assert verdicts == ["pass", "pass", "pass", "throttle", "ignore", "ignore"]
        assert await buckets[1].check(43, 3, 0.1, 60.0) == "pass"  # another chat
        # Forgetting idle buckets keeps a paused one (and, here, the fresh one too).
        assert await buckets[0].forget_idle(600.0) == 0
        assert await buckets[0].check(42, 3, 0.1, 60.0) == "ignore"


class UnreachableStore:
    """A store whose every request fails, as a database that is restarting."""

    async def take(self, chat_id: int, interval: float, chat: ChatRule, horizon: float) -> Any:
        raise ConnectionError("connection refused")

    async def pause(self, seconds: float) -> None:
        raise ConnectionError("connection refused")

    async def forget_chats(self, idle: float) -> int:
        raise ConnectionError("connection refused")


async def test_without_its_store_the_process_budget_decides() -> None:
    budget = SharedBudget(UnreachableStore())
    try:
        await asyncio.gather(budget.acquire(1, reply=True), budget.acquire(2), budget.acquire(3))
        assert budget.sent == 3
    finally:
        await budget.close()


def test_a_bad_redis_url_is_named_but_never_echoed() -> None:
    with pytest.raises(SettingsError) as caught:
        load_settings(redis_url="http://user:hunter2@cache:6379")
    assert str(caught.value).startswith("REDIS_URL:") and "hunter2" not in str(caught.value)
    assert load_settings(redis_url="").redis_url is None
    url = load_settings(redis_url=" redis://127.0.0.1:6379/0 ").redis_url
    assert url is not None and url.get_secret_value() == "redis://127.0.0.1:6379/0"
