"""``newsbot digest run-due`` from cron beside a running ``newsbot run --webhook``, as real
processes on one PostgreSQL database (and Redis): they split the minute's digests through
the delivery claims, keep to one send budget between them, and the people writing to the
bot meanwhile are answered."""

from __future__ import annotations

import asyncio
import secrets
import signal
import sys

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.demo import load_demo_if_empty
from bot_api_emulator import BotApiEmulator
from bot_api_emulator.http import serve_http
from storage.models import DeliveryRow
from tests.digest_support import add_subscriber
from tests.test_instances_webhook import NEWSBOT_WEBHOOK, _sample
from tests.test_webhook import PATH, TOKEN, free_port, wait_until, webhook_env

# Enough that neither process claims them all before the other starts (a pass claims 100
# at a time and about 300 ahead of its sends): 20 s of sending at 30 a second.
SUBSCRIBERS = range(7001, 7601)
PEOPLE = range(8001, 8011)
RUN_DUE = (sys.executable, "-m", "bot", "digest", "run-due")


@pytest.fixture(params=["postgresql", "redis"])
def shared_env(request: pytest.FixtureRequest) -> dict[str, str]:
    """The settings naming the shared engine: none for PostgreSQL, REDIS_URL for Redis."""
    if request.param == "redis":
        return {"REDIS_URL": str(request.getfixturevalue("redis_url"))}
    return {}


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
async def test_run_due_beside_a_running_bot_shares_its_budget_and_its_claims(
    database_url: str, sessions: async_sessionmaker[AsyncSession], shared_env: dict[str, str]
) -> None:
    await load_demo_if_empty(sessions)
    for chat_id in SUBSCRIBERS:  # due now: 00:00 UTC has passed today
        await add_subscriber(sessions, chat_id, local_time="00:00", timezone="UTC")
    token = f"{secrets.randbelow(10**9) + 1}:{TOKEN.partition(':')[2]}"  # its own in Redis
    emu = BotApiEmulator(token=token)
    for chat_id in SUBSCRIBERS:
        emu.private_chat(emu.user(chat_id, f"S{chat_id}"))
    people = [emu.private_chat(emu.user(n, f"P{n}", language_code="en")) for n in PEOPLE]
    emu.limit_rate(30)  # as Telegram: a 429 for the 31st message within a second
    port = free_port()
    pipe = asyncio.subprocess.PIPE
    async with serve_http(emu) as base_url:
        env = webhook_env(
            base_url, database_url, port, BOT_TOKEN=token, SEND_DIGESTS="true",
            LOG_LEVEL="WARNING", **shared_env,
        )  # fmt: skip
        # Started together, as cron starting a pass in the minute the bot starts its own.
        bot = await asyncio.create_subprocess_exec(
            *NEWSBOT_WEBHOOK, env=env, stdout=pipe, stderr=pipe
        )
        cron = await asyncio.create_subprocess_exec(*RUN_DUE, env=env, stdout=pipe, stderr=pipe)
        try:
            await wait_until(lambda: any(m == "setWebhook" for m, _ in emu.calls), "setWebhook")
            emu.balance_webhooks([f"http://127.0.0.1:{port}{PATH}"])
            # People write while the digests go out: their answers come before the digests.
            await wait_until(lambda: len(emu.messages_in(SUBSCRIBERS[0])) > 0, "a digest")
            for person in people:
                await person.dispatch_text("/rates")
            for person in people:
                await emu.wait_for(person.id, 1, timeout=60)
            cron_out = await asyncio.wait_for(cron.communicate(), 180)
            await wait_until(
                lambda: all(emu.messages_in(chat_id) for chat_id in SUBSCRIBERS),
                "every digest",
                seconds=120,
            )
            await asyncio.sleep(1.0)  # room for a second, wrong, digest to show up
            async with httpx.AsyncClient(timeout=10) as client:
                metrics = (await client.get(f"http://127.0.0.1:{port}/metrics")).text
        finally:
            for process in (bot, cron):
                if process.returncode is None:
                    process.send_signal(signal.SIGTERM)
            bot_out = await asyncio.wait_for(bot.communicate(), 30)
            if cron.returncode is None:
                await cron.wait()
    await emu.aclose()

    assert cron.returncode == 0, cron_out[1].decode()[-2000:]
    assert bot.returncode == 0, bot_out[1].decode()[-2000:]
    # Each digest went once, split between the bot's pass and cron's.
    assert all(len(emu.messages_in(chat_id)) == 1 for chat_id in SUBSCRIBERS)
    by_bot = _sample(metrics, "newsbot_digests", outcome="sent")
    summary = cron_out[0].decode()
    by_cron = int(summary.split(" sent,")[0].rsplit(" ", 1)[1])
    assert by_bot + by_cron == len(SUBSCRIBERS), (by_bot, summary)
    assert by_bot > 0 and by_cron > 0, (by_bot, summary)
    async with sessions() as session:
        delivered = await session.scalar(
            select(func.count()).select_from(DeliveryRow).where(DeliveryRow.status == "sent")
        )
    assert delivered == len(SUBSCRIBERS)
    # Both sent at once within one budget: Telegram hardly ever had to say "too many"
    # (a budget per process drew 210 429s with 450 digests when tried).
    assert emu.flood_refusals <= 5, emu.flood_refusals
    assert all(len(emu.messages_in(person.id)) == 1 for person in people)
