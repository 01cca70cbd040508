"""One JSON log line per update, with ids, kind, command, latency and outcome - never texts."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram import Update

import services.rates
from bot.update_log import update_kind
from bot_api_emulator.updates import callback_query_json
from handlers.flood import FloodLimiter
from handlers.outcome import command_of
from tests.bot_bench import Bench, only, running_bot

TOKEN = "987654321:AAFakeTokenForUpdateLogTests_abcdefgh"
# Texts a person sends that must never reach a log line at INFO.
SECRET_ARGS = "sk_live_51HxSecretArgs password=hunter2"
SECRET_TEXT = "my card 4111 1111 1111 1111 expires 09/29"
SECRET_DATA = "forged:SecretCallbackData42"
SECRET_INLINE = "inline secret question 7Qx"
KEYS = {"update_id", "kind", "chat_id", "user_id", "command", "latency_ms", "outcome", "error"}


class Logged:
    """The update lines logged so far, and a way to take each new one."""

    def __init__(self, caplog: pytest.LogCaptureFixture) -> None:
        self.caplog = caplog
        self.taken = 0

    def lines(self) -> list[dict[str, Any]]:
        records = [r for r in self.caplog.records if r.name == "newsbot.updates"]
        assert all(r.levelno == logging.INFO for r in records)
        return [json.loads(r.getMessage()) for r in records]

    def new(self) -> list[dict[str, Any]]:
        lines = self.lines()
        fresh, self.taken = lines[self.taken :], len(lines)
        return fresh

    def one(self) -> dict[str, Any]:
        """The one line the last action logged."""
        fresh = self.new()
        assert len(fresh) == 1, fresh
        line = fresh[0]
        assert set(line) == KEYS
        assert isinstance(line["latency_ms"], float) and line["latency_ms"] >= 0
        assert round(line["latency_ms"], 1) == line["latency_ms"]
        return line


def _fields(line: dict[str, Any]) -> tuple[Any, ...]:
    return (
        line["kind"],
        line["chat_id"],
        line["user_id"],
        line["command"],
        line["outcome"],
        line["error"],
    )


async def _forged_press(bench: Bench, data: str) -> None:
    """A callback query with data the bot never made (a forged or ancient button)."""
    message = only(await bench.chat.send("/help"))
    stored = bench.emu.state.messages[(bench.chat.id, message.message_id)].data
    query_id = bench.emu.next_query_id()
    bench.emu.state.open_callbacks.add(query_id)
    query = callback_query_json(query_id, bench.aida, stored, data)
    await bench.emu.dispatch({"update_id": bench.emu.next_update_id(), "callback_query": query})


def _bot_added_to(bench: Bench, chat_id: int) -> dict[str, Any]:
    bot = bench.emu.bot_user
    return {
        "update_id": bench.emu.next_update_id(),
        "my_chat_member": {
            "chat": {"id": chat_id, "type": "supergroup", "title": "New group"},
            "from": bench.aida.json(),
            "date": 0,
            "old_chat_member": {"user": bot, "status": "left"},
            "new_chat_member": {"user": bot, "status": "member"},
        },
    }


async def test_every_update_logs_one_line_with_the_right_fields_and_no_texts(
    database_url: str,
    sessions: async_sessionmaker[AsyncSession],
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    caplog.set_level(logging.INFO)
    log = Logged(caplog)
    limiter = FloodLimiter(burst=15, clock=lambda: 0.0)  # the clock stands still
    async with running_bot(database_url, sessions, token=TOKEN, flood=limiter) as bench:
        aida = bench.aida.id

        async def broken(*args: object, **kwargs: object) -> object:
            raise RuntimeError("database on fire")

        monkeypatch.setattr(services.rates, "list_current_rates", broken)
        bench.app.bot_data.rates.forget()
        assert (await bench.chat.send("/rates"))[0].text.startswith("Sorry")
        assert _fields(log.one()) == ("message", aida, aida, "/rates", "error", "RuntimeError")
        monkeypatch.undo()

        await bench.chat.send(f"/news {SECRET_ARGS}")
        assert _fields(log.one()) == ("message", aida, aida, "/news", "ok", None)
        await bench.chat.send(f"/RATES@{bench.emu.username} kzt")
        assert _fields(log.one()) == ("message", aida, aida, "/rates", "ok", None)
        await bench.chat.send(SECRET_TEXT)
        assert _fields(log.one()) == ("message", aida, aida, None, "ok", None)
        await bench.chat.send("/nosuchcommand with arguments")
        line = log.one()
        assert _fields(line) == ("message", aida, aida, "/nosuchcommand", "unknown_command", None)

        start = only(await bench.chat.send("/start"))
        log.one()
        await bench.chat.press(start, "Rates")
        assert _fields(log.one()) == ("callback_query", aida, aida, None, "ok", None)
        await _forged_press(bench, SECRET_DATA)
        log.new()  # the /help that made the message, then the press
        assert bench.emu.callback_answers[-1]["text"].startswith("This button")

        await bench.chat.inline(SECRET_INLINE)
        assert _fields(log.one()) == ("inline_query", None, aida, None, "ok", None)

        edit = bench.chat.person_message("/rates usd")
        edit["edited_message"] = dict(edit.pop("message"), edit_date=1)
        await bench.emu.dispatch(edit)
        assert _fields(log.one()) == ("edited_message", aida, aida, "/rates", "ok", None)

        await bench.emu.dispatch(_bot_added_to(bench, -100777))
        assert _fields(log.one()) == ("my_chat_member", -100777, aida, None, "ok", None)

        flooder = bench.emu.private_chat(bench.emu.user(2002, "Script"))
        for _ in range(18):
            await flooder.send(SECRET_TEXT)
        outcomes = [line["outcome"] for line in log.new()]
        assert outcomes == ["ok"] * 15 + ["throttled", "ignored", "ignored"]

        dispatched = {update_id for update_id in range(1, bench.emu.next_update_id())}
    ids = [line["update_id"] for line in log.lines()]
    assert sorted(ids) == sorted(dispatched)  # one line per update, none twice

    shown = [r for r in caplog.records if r.levelno >= logging.INFO]
    text = "\n".join(logging.Formatter("%(name)s %(message)s").format(r) for r in shown)
    for secret in (TOKEN, SECRET_ARGS, "hunter2", SECRET_TEXT, SECRET_DATA, SECRET_INLINE):
        assert secret not in text


async def test_a_bot_api_failure_is_logged_with_its_kind(
    bench: Bench, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="newsbot.updates")
    log = Logged(caplog)
    bench.emu.fail_next("sendMessage", error_code=400, description="Bad Request: can't parse")
    await bench.chat.send("/help")
    line = log.one()
    assert (line["command"], line["outcome"], line["error"]) == ("/help", "error", "BadRequest")
    # Blocked: the chat is marked unreachable, and the line says why nothing was answered.
    bench.emu.block(bench.aida)
    await bench.chat.send("/help")
    line = log.one()
    assert (line["outcome"], line["error"]) == ("error", "Forbidden")


async def test_the_line_is_not_built_when_info_is_off(
    bench: Bench, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="newsbot.updates")
    await bench.chat.send("/help")
    assert not [r for r in caplog.records if r.name == "newsbot.updates"]


@pytest.mark.parametrize(
    ("text", "command"),
    [
        ("/rates", "/rates"),
        ("/Rates@CentralAsiaNewsBot kzt uzs", "/rates"),
        ("/rates\nsecond line", "/rates"),
        ("/news <b>x</b>", "/news"),
        ("/" + "a" * 33, None),  # longer than Telegram's 32
        ("/рейт", None),  # not a command Telegram marks
        ("hello /rates", None),  # not at the start
        ("", None),
        ("🇰🇿 /start", None),
    ],
)
def test_the_command_word_is_all_that_is_kept(text: str, command: str | None) -> None:
    from bot_api_emulator.updates import text_entities

    message: dict[str, Any] = {
        "message_id": 1,
        "date": 0,
        "chat": {"id": 1, "type": "private", "first_name": "A"},
        "text": text,
    }
    if text_entities(text):
        message["entities"] = text_entities(text)
    update = Update.de_json({"update_id": 1, "message": message}, None)
    assert command_of(update) == command
    assert update_kind(update) == "message"
