"""The bot's metrics count what really happened: updates, replies, errors, search times."""

from __future__ import annotations

from collections import Counter

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

import services.rates
from bot.metrics import REGISTRY
from bot.retry import REPLY_METHODS
from handlers.flood import FloodLimiter
from tests.bot_bench import Bench, only, running_bot


def value(name: str, **labels: str) -> float:
    """The current value of one sample (0 when the series does not exist yet)."""
    return REGISTRY.get_sample_value(name, labels) or 0.0


class Deltas:
    """Samples read before an action, to compare with after it."""

    def __init__(self, *samples: tuple[str, dict[str, str]]) -> None:
        self.samples = samples
        self.before = [value(name, **labels) for name, labels in samples]

    def now(self) -> list[float]:
        return [
            value(name, **labels) - before
            for (name, labels), before in zip(self.samples, self.before, strict=True)
        ]


def _updates(kind: str, outcome: str) -> tuple[str, dict[str, str]]:
    return "newsbot_updates_total", {"kind": kind, "outcome": outcome}


def _accepted(bench: Bench, start: int) -> Counter[str]:
    """Bot API calls the emulator accepted since call number ``start``, by method."""
    failed = Counter(method for method, _code, _description in bench.emu.errors)
    made = Counter(method for method, _params in bench.emu.calls[start:])
    return made - failed


async def test_updates_replies_and_latency_are_counted(bench: Bench) -> None:
    deltas = Deltas(
        _updates("message", "ok"),
        _updates("callback_query", "ok"),
        _updates("inline_query", "ok"),
        _updates("message", "unknown_command"),
        ("newsbot_update_seconds_count", {"kind": "message"}),
        ("newsbot_replies_total", {"method": "sendMessage"}),
        ("newsbot_replies_total", {"method": "answerCallbackQuery"}),
        ("newsbot_replies_total", {"method": "answerInlineQuery"}),
    )
    calls = len(bench.emu.calls)
    errors = len(bench.emu.errors)
    rates = only(await bench.chat.send("/rates"))
    await bench.chat.send("/help")
    await bench.chat.send("/nosuch <b>html</b> args")
    await bench.chat.press(rates, "100 USD → KZT")
    await bench.chat.inline("100 usd kzt")
    assert len(bench.emu.errors) == errors
    accepted = _accepted(bench, calls)
    assert deltas.now() == [
        2,
        1,
        1,
        1,
        3,
        accepted["sendMessage"],
        accepted["answerCallbackQuery"],
        accepted["answerInlineQuery"],
    ]
    assert accepted["sendMessage"] >= 3
    # Only calls that put something in a chat are replies.
    assert value("newsbot_replies_total", method="getMe") == 0
    assert value("newsbot_replies_total", method="setMyCommands") == 0
    assert "setMyCommands" not in REPLY_METHODS


async def test_search_latency_is_observed_for_each_search(bench: Bench) -> None:
    deltas = Deltas(("newsbot_search_seconds_count", {}), ("newsbot_search_seconds_sum", {}))
    await bench.chat.send("milk prices in kyrgyzstan")  # free text: a question
    await bench.chat.send("/news refinery")
    await bench.chat.inline("wheat harvest")
    searched, seconds = deltas.now()
    assert searched == 3
    assert seconds > 0
    before = value("newsbot_search_seconds_count")
    await bench.chat.send("/rates")  # no search
    await bench.chat.send("100 usd kzt")  # a conversion, not a search
    assert value("newsbot_search_seconds_count") == before


async def test_errors_are_counted_by_kind_and_place(
    bench: Bench, monkeypatch: pytest.MonkeyPatch
) -> None:
    handler = ("newsbot_errors_total", {"kind": "RuntimeError", "place": "/rates"})
    api = ("newsbot_errors_total", {"kind": "BadRequest", "place": "sendMessage"})
    api_in_handler = ("newsbot_errors_total", {"kind": "BadRequest", "place": "/help"})
    failed = _updates("message", "error")
    deltas = Deltas(handler, api, api_in_handler, failed)

    async def broken(*args: object, **kwargs: object) -> object:
        raise RuntimeError("database on fire")

    monkeypatch.setattr(services.rates, "list_current_rates", broken)
    bench.app.bot_data.rates.forget()
    assert only(await bench.chat.send("/rates")).text.startswith("Sorry")
    monkeypatch.undo()
    bench.emu.fail_next("sendMessage", error_code=400, description="Bad Request: can't parse")
    assert only(await bench.chat.send("/help")).text.startswith("Sorry")
    assert deltas.now() == [1, 1, 1, 2]


async def test_a_retried_429_is_no_error_but_one_reply(bench: Bench) -> None:
    api = ("newsbot_errors_total", {"kind": "RetryAfter", "place": "sendMessage"})
    replies = ("newsbot_replies_total", {"method": "sendMessage"})
    deltas = Deltas(api, replies)
    bench.emu.fail_next("sendMessage", error_code=429, retry_after=1)
    only(await bench.chat.send("/help"))
    assert deltas.now() == [0, 1]


async def test_a_made_up_command_that_fails_is_no_label_of_its_own(
    bench: Bench, monkeypatch: pytest.MonkeyPatch
) -> None:
    import handlers.start

    async def broken(*args: object, **kwargs: object) -> None:
        raise ValueError("boom")

    monkeypatch.setattr(handlers.start, "reply_html", broken)
    await bench.chat.send("/x1y2z3 args")
    assert value("newsbot_errors_total", kind="ValueError", place="/x1y2z3") == 0
    samples = [
        s.labels["place"]
        for metric in REGISTRY.collect()
        if metric.name == "newsbot_errors"
        for s in metric.samples
        if s.labels.get("kind") == "ValueError"
    ]
    assert samples and all("x1y2z3" not in place for place in samples)


async def test_flooded_updates_are_counted_as_throttled_and_ignored(
    database_url: str, sessions: async_sessionmaker[AsyncSession]
) -> None:
    deltas = Deltas(
        _updates("message", "ok"),
        _updates("message", "throttled"),
        _updates("message", "ignored"),
        _updates("callback_query", "ignored"),
    )
    limiter = FloodLimiter(burst=3, clock=lambda: 0.0)
    async with running_bot(database_url, sessions, flood=limiter) as bench:
        rates = only(await bench.chat.send("/rates"))
        for _ in range(5):
            await bench.chat.send("/rates")
        await bench.chat.press(rates, "100 USD → KZT")
    assert deltas.now() == [3, 1, 2, 1]
