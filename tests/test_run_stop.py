"""``newsbot run`` stops even when a background job lets its first cancellation pass."""

from __future__ import annotations

import asyncio

import pytest

import bot.run
from bot.run import BackgroundJob, run_bot
from bot.settings import load_settings
from bot_api_emulator import BotApiEmulator
from bot_api_emulator.http import serve_http

TOKEN = "7171:RUN-STOP-TOKEN"


@pytest.mark.usefixtures("httpx_level")
async def test_a_job_that_swallows_its_cancellation_is_cancelled_again_after_the_grace(
    database_url: str, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    started = asyncio.Event()
    cancels: list[str] = []

    async def stubborn(app: object) -> None:
        started.set()
        try:
            await asyncio.Event().wait()
        except asyncio.CancelledError:
            cancels.append("swallowed")  # as a clean-up path that suppresses it would
        try:
            await asyncio.Event().wait()
        except asyncio.CancelledError:
            cancels.append("ended")
            raise

    jobs: list[BackgroundJob] = [stubborn]
    monkeypatch.setattr(bot.run, "_background_jobs", lambda settings: jobs)
    monkeypatch.setattr(bot.run, "JOB_STOP_GRACE", 0.2)
    emu = BotApiEmulator(token=TOKEN)
    async with serve_http(emu) as base_url:
        settings = load_settings(
            bot_token=TOKEN,
            telegram_api_base_url=base_url,
            database_url=database_url,
            send_digests=False,
            fetch_sources=False,
        )
        stop = asyncio.Event()
        running = asyncio.create_task(run_bot(settings, stop))
        try:
            await asyncio.wait_for(started.wait(), 30)
        finally:
            stop.set()
            await asyncio.wait_for(running, 30)
    assert cancels == ["swallowed", "ended"]
    assert "a background job did not stop within" in caplog.text
