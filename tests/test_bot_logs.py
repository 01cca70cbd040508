"""The bot token never reaches a log: in process at DEBUG, and from `newsbot run` over HTTP;
at the default level `newsbot run` prints one line per update, without texts."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import signal
import sys
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

import services.stories
from bot_api_emulator import BotApiEmulator
from bot_api_emulator.http import serve_http
from tests.bot_bench import BOT, running_bot

TOKEN = "987654321:AAFakeTokenForTests_abcdefghijklmnopq"
ROOT = Path(__file__).resolve().parents[1]


def _all_output(records: list[logging.LogRecord]) -> str:
    formatter = logging.Formatter("%(name)s %(levelname)s %(message)s")
    return "\n".join(formatter.format(record) for record in records)


async def test_a_full_run_logs_no_token_even_at_debug(
    database_url: str,
    sessions: async_sessionmaker[AsyncSession],
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in ("", "telegram", "httpx", "httpcore", "bot", "handlers"):
        caplog.set_level(logging.DEBUG, logger=name)

    async def leaky(*args: object, **kwargs: object) -> object:
        # An exception whose text carries the token, as an HTTP error's URL would.
        raise RuntimeError(f"GET https://api.telegram.org/bot{TOKEN}/getMe failed")

    async with running_bot(database_url, sessions, token=TOKEN) as bench:
        for text in ("/start", "/rates", "/news", "100 usd to kzt", "Бишкек"):
            assert await bench.chat.send(text)
        await bench.chat.inline("milk")
        bench.emu.fail_next("sendMessage", error_code=429, retry_after=1)
        assert await bench.chat.send("/help")
        monkeypatch.setattr(services.stories, "list_latest_stories", leaky)
        reply = await bench.chat.send("/news")
        assert reply and reply[0].text.startswith("Sorry")
        logging.getLogger("test").info("token in a message: %s", TOKEN)
    output = _all_output(caplog.records)
    # PTB's own DEBUG output really was captured (each Bot API call is logged).
    assert any(r.name.startswith("telegram") and r.levelno == logging.DEBUG for r in caplog.records)
    assert TOKEN not in output and TOKEN not in caplog.text
    assert "[REDACTED]" in output  # the leaky exception and message were caught


async def _wait_for_reply(emu: BotApiEmulator, chat_id: int) -> None:
    for _ in range(600):
        if emu.messages_in(chat_id):
            return
        await asyncio.sleep(0.05)
    raise AssertionError("the bot never answered")


async def _newsbot_run(
    base_url: str, database_url: str, cwd: Path, token: str | None, log_level: str | None = "DEBUG"
) -> asyncio.subprocess.Process:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("BOT_TOKEN", "DATABASE_URL", "LOG_LEVEL")
    }
    env.update(
        TELEGRAM_API_BASE_URL=base_url,
        DATABASE_URL=database_url,
        PYTHONPATH=str(ROOT),
        FETCH_SOURCES="false",  # tests never reach the news sites
    )
    if log_level is not None:
        env["LOG_LEVEL"] = log_level
    if token is not None:
        env["BOT_TOKEN"] = token
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        cwd=cwd,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )


async def test_newsbot_run_polls_answers_and_logs_no_token(
    database_url: str, tmp_path: Path
) -> None:
    emu = BotApiEmulator(bot_username=BOT, token=TOKEN)
    async with serve_http(emu) as base_url:
        process = await _newsbot_run(base_url, database_url, tmp_path, TOKEN)
        chat = emu.private_chat(emu.user(1001, first_name="Aida"))
        await chat.send("/start")
        try:
            await _wait_for_reply(emu, chat.id)
        finally:
            process.send_signal(signal.SIGTERM)
            out, err = await process.communicate()
    stderr = err.decode()
    assert process.returncode == 0, stderr[-2000:]
    assert "Hello, Aida!" in emu.messages_in(chat.id)[0].text
    assert "setMyCommands" in [method for method, _ in emu.calls]
    assert "getUpdates" in stderr  # httpx logged the request URLs at DEBUG...
    assert TOKEN not in stderr and TOKEN not in out.decode()
    assert "[REDACTED]" in stderr  # ...with the token taken out


async def test_newsbot_run_at_the_default_level_logs_one_line_per_update(
    database_url: str, tmp_path: Path
) -> None:
    emu = BotApiEmulator(bot_username=BOT, token=TOKEN)
    secret = "my password is hunter2, card 4111 1111 1111 1111"
    async with serve_http(emu) as base_url:
        process = await _newsbot_run(base_url, database_url, tmp_path, TOKEN, log_level=None)
        chat = emu.private_chat(emu.user(1001, first_name="Aida"))
        for text in ("/start", f"/news {secret}", secret):
            await chat.send(text)  # queued for getUpdates
        try:
            for _ in range(600):
                if len(emu.messages_in(chat.id)) >= 3:
                    break
                await asyncio.sleep(0.05)
            await asyncio.sleep(0.5)  # the line is written just after the last answer
        finally:
            process.send_signal(signal.SIGTERM)
            out, err = await process.communicate()
    stderr = err.decode()
    assert process.returncode == 0, stderr[-2000:]
    prefix = "INFO newsbot.updates: "
    lines = [
        json.loads(line[len(prefix) :]) for line in stderr.splitlines() if line.startswith(prefix)
    ]
    lines.sort(key=lambda line: int(line["update_id"]))  # handled concurrently: any order
    assert [line["update_id"] for line in lines] == [1, 2, 3]
    assert [(line["command"], line["outcome"]) for line in lines] == [
        ("/start", "ok"),
        ("/news", "ok"),
        (None, "ok"),
    ]
    assert all(line["chat_id"] == 1001 and line["kind"] == "message" for line in lines)
    assert "hunter2" not in stderr and "4111" not in stderr
    assert TOKEN not in stderr and TOKEN not in out.decode()


@pytest.mark.parametrize(
    ("token", "message"),
    [(None, "BOT_TOKEN is not set"), ("111:wrong", "BOT_TOKEN was rejected")],
)
async def test_newsbot_run_with_a_missing_or_rejected_token_is_one_line(
    database_url: str, tmp_path: Path, token: str | None, message: str
) -> None:
    emu = BotApiEmulator(bot_username=BOT, token="111:right")
    async with serve_http(emu) as base_url:
        process = await _newsbot_run(base_url, database_url, tmp_path, token)
        _, err = await process.communicate()
    assert process.returncode == 2
    last = err.decode().strip().splitlines()[-1]
    assert last.startswith("newsbot: ") and message in last
    assert "111:wrong" not in err.decode()
