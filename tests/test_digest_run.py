"""``newsbot run`` sends due digests from its per-minute job; SEND_DIGESTS=false turns it off."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot_api_emulator import BotApiEmulator
from bot_api_emulator.http import serve_http
from tests.digest_support import add_subscriber, delivery_rows

TOKEN = "5152:DIGESTRUN"


async def _polling(emu: BotApiEmulator) -> None:
    """Until the bot asks for updates: it is up, its signal handlers installed."""
    while not any(method == "getUpdates" for method, _ in emu.calls):
        await asyncio.sleep(0.05)


async def _run_bot_until(
    env: dict[str, str], emu: BotApiEmulator, done: asyncio.Event | None, seconds: float
) -> str:
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    try:
        if done is not None:
            await asyncio.wait_for(done.wait(), seconds)
        else:
            # Counted from the moment it polls, not from the start: on a loaded machine the
            # start alone can take seconds, and a SIGTERM before it is up is not a clean stop.
            await asyncio.wait_for(_polling(emu), 60)
            await asyncio.sleep(seconds)
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGTERM)
        _, stderr = await asyncio.wait_for(process.communicate(), 30)
    assert process.returncode == 0, stderr.decode()[-2000:]
    return stderr.decode()


async def _watch(emu: BotApiEmulator, chat_id: int, done: asyncio.Event) -> None:
    while not emu.messages_in(chat_id):
        await asyncio.sleep(0.05)
    done.set()


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize("enabled", [True, False])
async def test_run_sends_what_is_due(
    cli_env: str, sessions: async_sessionmaker[AsyncSession], enabled: bool
) -> None:
    emu = BotApiEmulator(token=TOKEN)
    emu.private_chat(emu.user(9001, "Aida"))
    # 00:00 has passed everywhere today; made two days ago, so today's digest is due now.
    made = datetime.now(UTC) - timedelta(days=2)
    await add_subscriber(sessions, 9001, local_time="00:00", created=made)
    async with serve_http(emu) as base_url:
        env = dict(
            os.environ,
            BOT_TOKEN=TOKEN,
            TELEGRAM_API_BASE_URL=base_url,
            DATABASE_URL=cli_env,
            FETCH_SOURCES="false",  # tests never reach the news sites
            SEND_DIGESTS="true" if enabled else "false",
        )
        done = asyncio.Event()
        watcher = asyncio.create_task(_watch(emu, 9001, done))
        try:
            stderr = await _run_bot_until(env, emu, done if enabled else None, 60 if enabled else 4)
        finally:
            watcher.cancel()
    assert TOKEN not in stderr
    if enabled:
        [digest] = emu.messages_in(9001)
        assert "Daily digest for" in digest.text
        # Stopped right after the send: the mark was still committed on the way out.
        assert [row.status for row in await delivery_rows(sessions)] == ["sent"]
    else:
        assert emu.messages_in(9001) == [] and await delivery_rows(sessions) == []
