"""Error events: stored per failure (kind and place, never a person's words), pruned, counted."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram import Update

import handlers.context
import handlers.start
import services.chats
import services.rates
from bot_api_emulator.updates import callback_query_json
from handlers.context import Services
from handlers.errors import error_labels, error_place, record_failure
from storage.errors import (
    KEEP_ERRORS,
    ErrorCount,
    add_error_event,
    count_errors_since,
    delete_error_events_before,
    list_error_counts,
)
from storage.models import ErrorEventRow
from tests.bot_bench import TODAY, Bench, only


async def _events(sessions: async_sessionmaker[AsyncSession]) -> list[tuple[str, str]]:
    async with sessions() as session:
        rows = (await session.execute(select(ErrorEventRow).order_by(ErrorEventRow.id))).scalars()
        return [(row.kind, row.place) for row in rows]


async def test_counts_group_by_kind_and_place_since_a_time(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with sessions() as session, session.begin():
        for hours, kind, place in [
            (1, "RuntimeError", "/rates"),
            (2, "RuntimeError", "/rates"),
            (3, "KeyError", "/news"),
            (5, "RuntimeError", "button:chart"),
            (25, "RuntimeError", "/rates"),  # older than a day
        ]:
            await add_error_event(session, kind, place, TODAY - timedelta(hours=hours))
    since = TODAY - timedelta(hours=24)
    async with sessions() as session:
        assert await count_errors_since(session, since) == 4
        assert await count_errors_since(session, TODAY) == 0
        assert await list_error_counts(session, since) == [
            ErrorCount("RuntimeError", "/rates", 2),
            ErrorCount("KeyError", "/news", 1),
            ErrorCount("RuntimeError", "button:chart", 1),
        ]
        assert await list_error_counts(session, since, limit=1) == [
            ErrorCount("RuntimeError", "/rates", 2)
        ]
        assert await list_error_counts(session, TODAY) == []


async def test_recording_prunes_events_older_than_thirty_days(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with sessions() as session, session.begin():
        await add_error_event(session, "Old", "/a", TODAY - KEEP_ERRORS - timedelta(seconds=1))
        await add_error_event(session, "Edge", "/b", TODAY - KEEP_ERRORS)
    assert [kind for kind, _ in await _events(sessions)] == ["Old", "Edge"]
    async with sessions() as session, session.begin():
        await add_error_event(session, "New", "/c", TODAY)
    # The event exactly thirty days old is kept; the one a second older is gone.
    assert [kind for kind, _ in await _events(sessions)] == ["Edge", "New"]
    async with sessions() as session, session.begin():
        assert await delete_error_events_before(session, TODAY + timedelta(seconds=1)) == 2
    assert await _events(sessions) == []


async def test_long_or_empty_labels_are_cut_to_fit(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with sessions() as session, session.begin():
        await add_error_event(session, "E" * 500, "", TODAY)
    [(kind, place)] = await _events(sessions)
    assert kind == "E" * 100  # PostgreSQL refuses a longer value for VARCHAR(100)
    assert place == "?"


def _update(bench: Bench, data: dict[str, object]) -> Update:
    update = Update.de_json(data, bench.app.bot)
    assert update is not None
    return update


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("/rates kzt", "/rates"),
        ("/Rates@CentralAsiaNewsBot", "/rates"),
        ("/nosuchcmd secret words", "command"),
        ("/" + "x" * 40, "message"),  # longer than a command can be
        ("my card is 4111 1111", "message"),
        ("/rates<b>&", "message"),
    ],
)
async def test_the_place_of_a_message_is_its_command_never_its_words(
    bench: Bench, text: str, place: str
) -> None:
    update = _update(bench, bench.chat.person_message(text))
    assert error_place(update, {"rates", "news"}) == place
    assert "secret" not in error_place(update) and "4111" not in error_place(update)


async def test_the_place_of_a_button_is_its_prefix_and_of_other_updates_their_kind(
    bench: Bench,
) -> None:
    message = bench.chat.person_message("hello")["message"]
    assert isinstance(message, dict)
    pressed = callback_query_json("q1", bench.aida, message, "chart:KZT:30d")
    assert error_place(_update(bench, {"update_id": 1, "callback_query": pressed})) == (
        "button:chart"
    )
    forged = callback_query_json("q2", bench.aida, message, "<script>alert(1)</script>")
    assert error_place(_update(bench, {"update_id": 2, "callback_query": forged})) == (
        "callback_query"
    )
    edited = {"update_id": 3, "edited_message": message}
    assert error_place(_update(bench, edited)) == "edited_message"
    assert error_place(None) == "background"
    assert error_labels("job", ValueError("x")) == ("ValueError", "background")
    assert error_labels("job", None) == ("UnknownError", "background")


async def test_a_crashing_command_is_recorded_with_its_class_and_command(
    bench: Bench, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def broken(*_args: object) -> object:
        raise RuntimeError("database on fire")

    monkeypatch.setattr(services.rates, "list_current_rates", broken)
    reply = only(await bench.chat.send("/rates kzt uzs"))
    assert reply.text.startswith("Sorry, something went wrong")
    assert await _events(bench.sessions) == [("RuntimeError", "/rates")]
    async with bench.sessions() as session:
        at = (await session.execute(select(ErrorEventRow.at))).scalar_one()
    assert at == TODAY  # the bot's clock, the one /stats counts back from


async def test_a_made_up_command_that_fails_is_recorded_without_its_name(
    bench: Bench, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def broken(*args: object) -> None:
        raise ValueError("cannot answer")

    monkeypatch.setattr(handlers.start, "reply_html", broken)
    await bench.chat.send("/x1y2z3 hello")
    await bench.chat.send("/help")
    assert await _events(bench.sessions) == [("ValueError", "command"), ("ValueError", "/help")]


async def test_the_apology_goes_out_when_recording_fails_too(
    bench: Bench, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    async def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("store gone")

    monkeypatch.setattr(services.rates, "list_current_rates", broken)
    monkeypatch.setattr(services.chats, "add_error_event", broken)
    with caplog.at_level(logging.WARNING, logger="handlers.errors"):
        reply = only(await bench.chat.send("/rates"))
    assert reply.text.startswith("Sorry, something went wrong")
    assert any("could not record the failure RuntimeError" in r.message for r in caplog.records)
    assert await _events(bench.sessions) == []


async def test_a_blocked_chat_is_not_a_failure_of_the_bot(bench: Bench) -> None:
    await bench.chat.send("/start")
    bench.emu.block(bench.aida)
    assert await bench.chat.send("/rates") == []
    assert await _events(bench.sessions) == []


async def test_background_jobs_record_through_the_same_function(
    bench: Bench, caplog: pytest.LogCaptureFixture
) -> None:
    await record_failure(bench.app.bot_data, "TimeoutError", "job:digests")
    assert await _events(bench.sessions) == [("TimeoutError", "job:digests")]
    # Before the store is open there is nothing to record into: logged, not raised.
    with caplog.at_level(logging.WARNING, logger="handlers.errors"):
        await record_failure(Services(), "TimeoutError", "job:digests")
    assert any("could not record" in r.message for r in caplog.records)


async def test_a_crashing_background_job_is_counted_and_recorded(bench: Bench) -> None:
    from bot.metrics import REGISTRY
    from bot.run import _logged

    async def broken_job(app: object) -> None:
        raise LookupError("no such thing")

    labels = {"kind": "LookupError", "place": "job:broken_job"}
    before = REGISTRY.get_sample_value("newsbot_errors_total", labels) or 0.0
    await _logged(broken_job, bench.app)  # logged and swallowed: the bot keeps answering
    assert await _events(bench.sessions) == [("LookupError", "job:broken_job")]
    assert REGISTRY.get_sample_value("newsbot_errors_total", labels) == before + 1
