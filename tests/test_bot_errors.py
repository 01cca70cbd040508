"""Failures: Telegram's 429/403/400 answers, lost connections, crashing handlers, 4096 limits."""

from __future__ import annotations

import logging

import pytest
from telegram import Update
from telegram.ext import ApplicationHandlerStop, CommandHandler

import services.rates
from handlers.context import BotContext
from handlers.reply import reply_html
from storage.chats import get_chat
from tests.bot_bench import Bench, only
from views.telegram_html import MAX_MESSAGE


def _sends(bench: Bench) -> int:
    return sum(1 for method, _ in bench.emu.calls if method == "sendMessage")


async def _unreachable(bench: Bench) -> bool:
    async with bench.sessions() as session:
        chat = await get_chat(session, bench.chat.id)
    assert chat is not None
    return chat.unreachable_since is not None


async def test_429_is_waited_out_and_the_send_retried(bench: Bench) -> None:
    bench.emu.fail_next("sendMessage", error_code=429, retry_after=1)
    before = _sends(bench)
    reply = only(await bench.chat.send("/rates"))
    assert reply.text.startswith("Official rates")
    assert _sends(bench) - before == 2
    assert ("sendMessage", 429) in [(m, code) for m, code, _ in bench.emu.errors]


async def test_network_failures_are_retried(bench: Bench) -> None:
    bench.emu.fail_next("sendMessage", error_code=None, times=2)
    reply = only(await bench.chat.send("/rates"))
    assert reply.text.startswith("Official rates")


async def test_403_marks_the_chat_and_a_new_message_clears_it(
    bench: Bench, caplog: pytest.LogCaptureFixture
) -> None:
    await bench.chat.send("/start")  # the chat is known
    bench.emu.fail_next(
        "sendMessage", error_code=403, description="Forbidden: bot was blocked by the user"
    )
    with caplog.at_level(logging.WARNING):
        assert await bench.chat.send("/rates") == []
    assert await _unreachable(bench)
    assert any("marking the chat unreachable" in r.getMessage() for r in caplog.records)
    # The person unblocked the bot and wrote again.
    assert only(await bench.chat.send("/rates"))
    assert not await _unreachable(bench)


async def test_chat_not_found_marks_the_chat(bench: Bench) -> None:
    await bench.chat.send("/start")
    bench.emu.fail_next("sendMessage", error_code=400, description="Bad Request: chat not found")
    assert await bench.chat.send("/news") == []
    assert await _unreachable(bench)


async def test_blocked_person_gets_nothing_and_others_are_served(bench: Bench) -> None:
    bench.emu.block(bench.aida)
    assert await bench.chat.send("/rates") == []
    other = bench.emu.private_chat(bench.emu.user(3003, first_name="Timur"))
    assert only(await other.send("/rates")).text.startswith("Official rates")


async def test_a_crashing_handler_is_logged_and_apologised_for(
    bench: Bench, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    async def broken(*_args: object) -> object:
        raise RuntimeError("database on fire")

    monkeypatch.setattr(services.rates, "list_current_rates", broken)
    with caplog.at_level(logging.ERROR):
        reply = only(await bench.chat.send("/rates kzt"))
    assert reply.text.startswith("Sorry, something went wrong")
    record = next(r for r in caplog.records if r.name == "handlers.errors")
    # Where it failed is logged; what the person wrote is not (only at DEBUG).
    assert f"chat {bench.chat.id}" in record.getMessage() and "/rates" in record.getMessage()
    assert "kzt" not in record.getMessage()
    assert record.exc_info and "database on fire" in str(record.exc_info[1])
    monkeypatch.undo()
    assert only(await bench.chat.send("/rates")).text.startswith("Official rates")


def _long_command(html: str) -> CommandHandler[BotContext, None]:
    async def answer(update: Update, context: BotContext) -> None:
        await reply_html(update, context, html)
        raise ApplicationHandlerStop

    return CommandHandler("long", answer)


@pytest.mark.parametrize(
    ("html", "parts"),
    [
        ("<b>" + "&amp;" * MAX_MESSAGE + "</b>", 1),
        ("<b>" + "&amp;" * (MAX_MESSAGE + 1) + "</b>", 2),
        ("x" * (MAX_MESSAGE - 1) + "🇰🇿", 2),  # a flag is four UTF-16 units
        ("\n".join(f"<i>line {n}</i> &lt;{n}&gt;" for n in range(1200)), 5),
        ("<pre>" + "y" * 10_000 + "</pre>", 3),
    ],
)
async def test_texts_at_the_4096_boundary_are_split_validly(
    bench: Bench, html: str, parts: int
) -> None:
    bench.app.add_handler(_long_command(html), group=-2)
    replies = await bench.chat.send("/long")
    assert bench.emu.errors == []  # every part was accepted as valid HTML within limits
    assert len(replies) == parts
    assert all(len(m.text.encode("utf-16-le")) // 2 <= MAX_MESSAGE for m in replies)
