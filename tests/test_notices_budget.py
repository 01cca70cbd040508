"""Notices share the bot's send budget with its other processes (PostgreSQL or Redis): a 429
to a notice pauses every process, and the notice is sent once the wait is over."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.shared_budget import SharedBudget
from bot_api_emulator import BotApiEmulator
from storage.shared_limits import ChatRule
from tests.notice_support import add_ping, notice_rows, ping_kind, run_pings
from tests.test_instances_budget import two_stores


@pytest.fixture(params=["postgresql", "redis"])
def shared(request: pytest.FixtureRequest) -> str:
    """Which shared engine holds the budget."""
    if request.param == "redis":
        request.getfixturevalue("redis_url")
    return str(request.param)


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
async def test_a_429_to_a_notice_pauses_every_process_of_the_bot(
    shared: str,
    database_url: str,
    engine: AsyncEngine,
    sessions: async_sessionmaker[AsyncSession],
    request: pytest.FixtureRequest,
) -> None:
    redis_url = str(request.getfixturevalue("redis_url")) if shared == "redis" else None
    emu = BotApiEmulator()
    emu.private_chat(emu.user(91))
    await add_ping(sessions, 91, "a", "after the wait")
    seen: list[tuple[float, bool]] = []
    async with two_stores(shared, engine, database_url, redis_url) as (mine, theirs):
        budget = SharedBudget(mine)

        async def sleep(seconds: float) -> None:
            # The other process asks for a slot while this one waits out the 429.
            for _ in range(100):
                answer = await theirs.take(555, 0.01, ChatRule(0.0), horizon=0.1)
                if not answer.taken:
                    break
                await asyncio.sleep(0.05)
            seen.append((seconds, answer.taken))

        emu.fail_next("sendMessage", 429, retry_after=2)
        try:
            report = await run_pings(sessions, emu, ping_kind(), budget=budget, sleep=sleep)
        finally:
            await budget.close()
    assert seen == [(2.0, False)]  # paused there too
    assert (report.sent, report.put_back) == (1, 0)
    assert [m.text for m in emu.messages_in(91)] == ["Pings\n• after the wait"]
    assert [row.status for row in await notice_rows(sessions)] == ["sent"]
