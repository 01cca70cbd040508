"""The process's send budget: 30 a second overall, one a second per chat, replies counted."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.retry import RetryingLimiter
from bot.send_budget import SendBudget
from tests.bot_bench import running_bot
from tests.digest_support import FakeTime


def _window_max(times: list[float], window: float) -> int:
    return max(sum(1 for t in times if start <= t < start + window) for start in times)


async def test_at_most_30_in_any_second_and_one_a_second_per_chat() -> None:
    fake = FakeTime()
    budget = SendBudget(clock=fake.clock, sleep=fake.sleep)
    stamps: list[float] = []
    per_chat: dict[int, list[float]] = {}

    async def send(chat_id: int) -> None:
        await budget.acquire(chat_id)
        stamps.append(fake.now)
        per_chat.setdefault(chat_id, []).append(fake.now)

    await asyncio.gather(*(send(chat) for chat in list(range(100)) * 2))
    assert len(stamps) == 200
    assert _window_max(stamps, 1.0) <= 30
    for times in per_chat.values():
        assert times[1] - times[0] >= 1.0
    # And it does not hold back more than it must: 200 sends fit in about 200/30 seconds.
    assert fake.now <= 200 / 30 * 1.02 + 1.1


async def test_replies_are_never_slowed_but_count() -> None:
    fake = FakeTime()
    budget = SendBudget(clock=fake.clock, sleep=fake.sleep)
    for chat in range(30):
        budget.note(chat)  # thirty replies in this instant
    assert fake.slept == []
    await budget.acquire(999)  # the digest waits for the window to move on
    assert fake.now >= 1.0
    await budget.acquire(5)
    assert fake.now >= 1.0


async def test_a_429_pauses_every_acquirer() -> None:
    fake = FakeTime()
    budget = SendBudget(clock=fake.clock, sleep=fake.sleep)
    budget.pause(7)
    await budget.acquire(1)
    assert fake.now >= 7
    unlimited = SendBudget(0, 0, clock=fake.clock, sleep=fake.sleep)
    before = fake.now
    for _ in range(1000):
        await unlimited.acquire(1)
    assert fake.now == before


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_interactive_replies_count_against_the_budget(
    database_url: str, sessions: async_sessionmaker[AsyncSession]
) -> None:
    fake = FakeTime()
    budget = SendBudget(clock=fake.clock, sleep=fake.sleep)
    async with running_bot(database_url, sessions) as bench:
        limiter = bench.app.bot.rate_limiter
        assert isinstance(limiter, RetryingLimiter)
        limiter.budget = budget  # the one send path of every reply
        replies = await bench.chat.send("/rates")
    assert len(replies) == 1 and budget.sent == 1 and fake.slept == []
