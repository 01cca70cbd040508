"""``newsbot digest run-due`` as real processes beside each other on one PostgreSQL
database (and Redis): they share Telegram's limit, split the digests, and a pass killed
half-way is finished by a later one."""

from __future__ import annotations

import asyncio
import os
import secrets
import sys

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.demo import load_demo_if_empty
from bot.digests import WORKERS
from bot_api_emulator import BotApiEmulator
from bot_api_emulator.http import serve_http
from tests.digest_support import add_subscriber
from tests.test_webhook import wait_until

SUBSCRIBERS = range(9001, 9121)
NOW = "2026-11-28T09:00:00+00:00"
# After the lease of the killed pass's claims (bot.digests.LEASE, five minutes) ran out.
LATER = "2026-11-28T09:07:00+00:00"
RUN_DUE = (sys.executable, "-m", "bot", "digest", "run-due", "--now")


@pytest.fixture(params=["postgresql", "redis"])
def shared_env(request: pytest.FixtureRequest) -> dict[str, str]:
    """The settings naming the shared engine: none for PostgreSQL, REDIS_URL for Redis."""
    if request.param == "redis":
        return {"REDIS_URL": str(request.getfixturevalue("redis_url"))}
    return {}


async def _run_due(moment: str, env: dict[str, str]) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        *RUN_DUE,
        moment,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
async def test_two_passes_share_the_limit_and_a_killed_one_is_finished_later(
    database_url: str, sessions: async_sessionmaker[AsyncSession], shared_env: dict[str, str]
) -> None:
    await load_demo_if_empty(sessions)
    for chat_id in SUBSCRIBERS:
        await add_subscriber(sessions, chat_id, local_time="00:00", timezone="UTC")
    token = f"{secrets.randbelow(10**9) + 1}:SharedBudgetTest"  # a bot of its own in Redis
    emu = BotApiEmulator(token=token)
    for chat_id in SUBSCRIBERS:
        emu.private_chat(emu.user(chat_id, f"S{chat_id}"))
    emu.limit_rate(30)  # as Telegram: a 429 for the 31st message within a second

    def sent() -> int:
        return sum(1 for method, _ in emu.calls if method == "sendMessage") - emu.flood_refusals

    async with serve_http(emu) as base_url:
        env = {**os.environ, "BOT_TOKEN": token, "TELEGRAM_API_BASE_URL": base_url,
               "DATABASE_URL": database_url, "LOG_LEVEL": "WARNING", **shared_env}  # fmt: skip
        first, second = await _run_due(NOW, env), await _run_due(NOW, env)
        survivor, victim = first, second
        try:
            await wait_until(lambda: sent() >= 30, "the first digests")
            # The pass that started first may have claimed every digest before the other
            # read the store (a claim takes 100 at once): kill the one still sending.
            if victim.returncode is not None:
                survivor, victim = second, first
            victim.kill()  # SIGKILL: no clean-up, its claims stay taken
            survivor_out = await asyncio.wait_for(survivor.communicate(), 120)
            await victim.wait()
            finisher = await _run_due(LATER, env)
            finisher_out = await asyncio.wait_for(finisher.communicate(), 120)
        finally:
            for process in (survivor, victim):
                if process.returncode is None:
                    process.kill()
                    await process.wait()
    await emu.aclose()

    assert survivor.returncode == 0, survivor_out[1].decode()[-2000:]
    assert finisher.returncode == 0, finisher_out[1].decode()[-2000:]
    counts = [len(emu.messages_in(chat_id)) for chat_id in SUBSCRIBERS]
    # Every subscriber got the digest; only a send the killed pass had made but not yet
    # marked can come twice, and it had at most WORKERS under way.
    assert min(counts) == 1
    assert sum(counts) - len(SUBSCRIBERS) <= WORKERS
    # The passes kept to one budget: Telegram hardly ever had to say "too many".
    assert emu.flood_refusals <= 5, emu.flood_refusals
