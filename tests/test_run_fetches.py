"""``newsbot run`` fetches the sources in the background while it keeps answering."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from bot_api_emulator import BotApiEmulator
from bot_api_emulator.chats import ChatDriver
from bot_api_emulator.http import serve_http
from tests.fetch_server import Route, serve
from tests.paths import FIXTURES

TOKEN = "5150:RUNFETCH"


async def _wait_for(condition: Callable[[], bool], what: str, seconds: float = 60) -> None:
    for _ in range(int(seconds / 0.05)):
        if condition():
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def _sources_file(folder: Path, fast_url: str, slow_url: str) -> Path:
    path = folder / "sources.toml"
    path.write_text(
        f"""
[[sources]]
name = "valley"
kind = "feed"
url = "{fast_url}"
lang = "en"
countries = ["KG"]
every = "1h"

[[sources]]
name = "sleepy"
kind = "feed"
url = "{slow_url}"
lang = "en"
every = "1h"
""",
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_run_fetches_in_the_background_and_a_hanging_source_blocks_nobody(
    cli_env: str, tmp_path: Path
) -> None:
    atom = (FIXTURES / "feeds" / "atom.xml").read_bytes()
    routes = {"/feed.xml": Route(body=atom), "/slow.xml": Route(hang=True)}
    emu = BotApiEmulator(token=TOKEN)
    with serve(routes) as site:
        async with serve_http(emu) as base_url:
            env = dict(
                os.environ,
                BOT_TOKEN=TOKEN,
                TELEGRAM_API_BASE_URL=base_url,
                DATABASE_URL=cli_env,
                SOURCES_FILE=str(
                    _sources_file(tmp_path, site.url("/feed.xml"), site.url("/slow.xml"))
                ),
                FETCH_SOURCES="true",
                LOG_LEVEL="INFO",
            )
            process = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot", "run", env=env,
                stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
            )  # fmt: skip
            try:
                await _wait_for(lambda: site.served.hits.get("/feed.xml", 0) > 0, "the fetch")
                await _wait_for(lambda: site.served.hits.get("/slow.xml", 0) > 0, "the hang")
                chat = emu.private_chat(emu.user(1001, first_name="Aida"))
                # The slow source is still hanging; the bot answers anyway.
                await _wait_for_news(emu, chat, "Valley Orchards")
                assert site.served.hits.get("/slow.xml") == 1
            finally:
                if process.returncode is None:
                    process.send_signal(signal.SIGTERM)
                _, stderr = await asyncio.wait_for(process.communicate(), 30)
    assert process.returncode == 0, stderr.decode()[-2000:]
    assert TOKEN not in stderr.decode()


async def _wait_for_news(emu: BotApiEmulator, chat: ChatDriver, title: str) -> None:
    """Ask /news until the fetched story shows up (the fetch commits on its own time)."""
    for _ in range(60):
        answered = len(emu.messages_in(1001)) + 1
        await chat.dispatch_text("/news")
        await _wait_for(
            lambda answered=answered: len(emu.messages_in(1001)) >= answered, "the /news answer"
        )
        if title in emu.messages_in(1001)[-1].text:
            return
        await asyncio.sleep(0.5)
    raise AssertionError(f"{title!r} never appeared in /news")


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_run_with_a_broken_sources_file_is_one_line(cli_env: str, tmp_path: Path) -> None:
    broken = tmp_path / "sources.toml"
    broken.write_text('[[sources]]\nname = "x"\nkind = "teletype"\n', encoding="utf-8")
    emu = BotApiEmulator(token=TOKEN)
    async with serve_http(emu) as base_url:
        env = dict(
            os.environ,
            BOT_TOKEN=TOKEN,
            TELEGRAM_API_BASE_URL=base_url,
            DATABASE_URL=cli_env,
            SOURCES_FILE=str(broken),
            FETCH_SOURCES="true",
        )
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "run", env=env,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        )  # fmt: skip
        _, stderr = await asyncio.wait_for(process.communicate(), 60)
    lines = stderr.decode().strip().splitlines()
    assert process.returncode == 2
    assert len(lines) == 1 and lines[0].startswith("newsbot: SOURCES_FILE:")
    assert "kind" in lines[0]
