"""The emulator over HTTP: a real PTB Bot, a polling Application and `newsbot run` talk to it."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from telegram import Bot, Update
from telegram.error import BadRequest, InvalidToken, NetworkError
from telegram.ext import Application, ContextTypes, MessageHandler, filters

from bot_api_emulator import BotApiEmulator
from bot_api_emulator.chats import ChatDriver
from bot_api_emulator.http import serve_http
from tests.test_emulator import png_bytes

TOKEN = "4242:HTTP-FRONT-TOKEN"


@pytest.fixture
def emu() -> BotApiEmulator:
    return BotApiEmulator(token=TOKEN)


@pytest.fixture
def chat(emu: BotApiEmulator) -> ChatDriver:
    return emu.private_chat(emu.user(1001, "Aida"))


@pytest.fixture
async def base_url(emu: BotApiEmulator) -> AsyncIterator[str]:
    async with serve_http(emu) as url:
        yield url


async def test_real_bot_over_http(emu: BotApiEmulator, chat: ChatDriver, base_url: str) -> None:
    async with Bot(TOKEN, base_url=base_url) as bot:
        assert bot.username == emu.username
        sent = await bot.send_message(1001, "<b>KZT</b> &lt;3", parse_mode="HTML")
        assert (sent.text, sent.entities[0].length) == ("KZT <3", 3)
        photo = await bot.send_photo(1001, png_bytes(), caption="chart")  # multipart upload
        assert photo.caption == "chart" and emu.outbox[-1].photo == png_bytes()
        with pytest.raises(BadRequest, match="Message is too long"):
            await bot.send_message(1001, "x" * 4097)
        with pytest.raises(BadRequest, match="Chat not found"):
            await bot.send_message(5, "x")
        emu.fail_next("sendMessage", error_code=None)
        with pytest.raises(NetworkError):
            await bot.send_message(1001, "dropped")


async def test_wrong_token_is_401(base_url: str) -> None:
    with pytest.raises(InvalidToken):
        await Bot("4242:WRONG", base_url=base_url).initialize()
    async with httpx.AsyncClient() as client:
        answer = await client.post(f"{base_url}4242:WRONG/getMe")
    assert (answer.status_code, answer.json()["description"]) == (401, "Unauthorized")


async def test_json_and_query_string_bodies(chat: ChatDriver, base_url: str) -> None:
    async with httpx.AsyncClient() as client:
        as_json = await client.post(
            f"{base_url}{TOKEN}/sendMessage",
            json={"chat_id": 1001, "text": "<i>hi</i>", "parse_mode": "HTML"},
        )
        as_query = await client.get(f"{base_url}{TOKEN}/sendMessage?chat_id=1001&text=yo")
        unknown = await client.post(f"{base_url}{TOKEN}/noSuchMethod")
    assert as_json.json()["result"]["entities"] == [{"type": "italic", "offset": 0, "length": 2}]
    assert as_query.json()["result"]["text"] == "yo"
    assert unknown.status_code == 404


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer with the same text."""
    assert update.effective_message is not None and update.effective_message.text
    await update.effective_message.reply_text(update.effective_message.text.upper())


async def wait_for(condition: object, what: str, seconds: float = 20) -> None:
    async def poll() -> None:
        while not condition():  # type: ignore[operator]
            await asyncio.sleep(0.02)

    try:
        await asyncio.wait_for(poll(), seconds)
    except TimeoutError:
        pytest.fail(f"timed out waiting for {what}")


async def test_polling_application_gets_pushed_updates(
    emu: BotApiEmulator, chat: ChatDriver, base_url: str
) -> None:
    app = Application.builder().token(TOKEN).base_url(base_url).build()
    app.add_handler(MessageHandler(filters.TEXT, echo))
    async with app:
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0, timeout=5)
        await app.start()
        await chat.dispatch_text("salem")
        await wait_for(lambda: emu.messages_in(1001), "the echo")
        await app.updater.stop()
        await app.stop()
    assert [m.text for m in emu.messages_in(1001)] == ["SALEM"]
    assert emu.first_get_updates_at is not None


def run_env(base_url: str, token: str, database_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        BOT_TOKEN=token,
        TELEGRAM_API_BASE_URL=base_url,
        DATABASE_URL=database_url,
        LOG_LEVEL="INFO",
        FETCH_SOURCES="false",  # tests never reach the news sites
    )
    return env


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_newsbot_run_answers_over_http_and_stops_on_sigterm(
    emu: BotApiEmulator, chat: ChatDriver, base_url: str, cli_env: str, tmp_path: Path
) -> None:
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run",
        env=run_env(base_url, TOKEN, cli_env),
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    try:
        await wait_for(lambda: emu.first_get_updates_at is not None, "the first getUpdates", 60)
        assert any(method == "setMyCommands" for method, _ in emu.calls)
        await chat.dispatch_text("/start")
        await wait_for(lambda: emu.messages_in(1001), "the /start answer")
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGTERM)
        _, stderr = await asyncio.wait_for(process.communicate(), 30)
    assert process.returncode == 0, stderr.decode()
    greeting = emu.messages_in(1001)[0]
    assert "Aida" in greeting.text and greeting.buttons
    assert TOKEN not in stderr.decode()  # the token never reaches a log


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_newsbot_run_with_a_rejected_token_is_one_line(base_url: str, cli_env: str) -> None:
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run",
        env=run_env(base_url, "4242:REJECTED", cli_env),
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    _, stderr = await asyncio.wait_for(process.communicate(), 60)
    lines = stderr.decode().strip().splitlines()
    assert process.returncode == 2
    assert lines and "rejected" in lines[-1]
    assert "REJECTED" not in stderr.decode()
