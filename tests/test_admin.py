"""/stats and /fetch: only for ADMIN_IDS in private chats, real counts, a real fetch pass."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

import services.rates
from bot.metrics import REGISTRY
from bot_api_emulator.chats import ChatDriver
from core.types import RateQuote
from locales import in_language
from services.fetch_report import FetchNowResult, FetchStatus, SourceOutcome
from sources.catalog import bank_today
from storage.chats import add_chat_if_missing, set_chat_unreachable
from storage.errors import add_error_event
from storage.models import RateRow, StoryRow, utc_now
from storage.rates import add_rates
from storage.stats import ChatCounts, RateFreshness, StoreStats, TopCounts
from storage.subscriptions import subscribe, unsubscribe
from tests.bot_bench import BOT, TODAY, Bench, only, running_bot
from tests.fetch_server import LocalServer, Route, serve
from tests.paths import FIXTURES, RATES
from views.operator import render_fetch, render_stats
from views.telegram_html import MAX_MESSAGE

ADMIN = 1001  # Aida, the bench's person
NO_ARGS = "{command} takes no arguments: send just {command}."


@pytest.fixture
async def admin(
    database_url: str, sessions: async_sessionmaker[AsyncSession]
) -> AsyncIterator[Bench]:
    """An empty store; Aida is the admin; the bot fetches no sources."""
    settings: dict[str, object] = {"admin_ids": (ADMIN,), "fetch_sources": False}
    async with running_bot(database_url, sessions, demo=False, settings=settings) as bench:
        yield bench


async def _fill(sessions: async_sessionmaker[AsyncSession]) -> None:
    """Known rows: 5 chats (2 unreachable), 2 active digests of 3, 6 stories, rates, errors."""
    async with sessions() as session, session.begin():
        for chat_id in (11, 12, 13, 14, -1005):
            await add_chat_if_missing(session, chat_id, "private" if chat_id > 0 else "group")
        for chat_id in (13, 14):
            await set_chat_unreachable(session, chat_id, TODAY)
        for chat_id in (11, 12, 13):
            await subscribe(session, chat_id, TODAY)
        await unsubscribe(session, 13)
        for number, (source, lang) in enumerate(
            [("alpha", "ru")] * 3 + [("beta", "en")] * 2 + [("gamma", None)]
        ):
            session.add(
                StoryRow(
                    title=f"Story {number}", source=source, lang=lang, content_hash=f"h{number}"
                )
            )
        await add_rates(
            session,
            [
                RateQuote("KZT", Decimal("500.1"), None, date(2026, 11, 20), "nbk"),
                RateQuote("KZT", Decimal("510.2"), None, date(2026, 11, 27), "nbk"),
                RateQuote("UZS", Decimal("12000"), None, date(2026, 11, 27), "cbu"),
                RateQuote("TJS", Decimal("10.9"), None, date(2026, 11, 20), "nbt"),
                RateQuote("RUB", Decimal("80"), None, date(2026, 11, 29), "cbr"),  # tomorrow's
            ],
        )
        for hours, kind, place in [
            (1, "RuntimeError", "/rates"),
            (2, "RuntimeError", "/rates"),
            (23, "KeyError", "/news"),
            (25, "OSError", "job:digests"),  # more than a day ago: not counted
        ]:
            await add_error_event(session, kind, place, TODAY - timedelta(hours=hours))


async def test_stats_shows_the_real_counts(admin: Bench) -> None:
    await _fill(admin.sessions)
    reply = only(await admin.chat.send("/stats"))
    assert reply.text == "\n".join(
        [
            "Bot statistics",
            "Chats: 6 (unreachable: 2)",  # the five stored and the admin's own
            "Active daily digests: 2",
            "",
            "Stories: 6",
            "By source:",
            "• alpha: 3",
            "• beta: 2",
            "• gamma: 1",
            "By language:",
            "• ru: 3",
            "• en: 2",
            "• not detected: 1",
            "",
            "Rates by date",
            "• Nov 20, 2026 (8 days): TJS",
            "• Nov 27, 2026 (1 day): KZT, UZS",
            "• Nov 29, 2026 (today): RUB",
            "",
            "Errors in the last 24 hours: 3",
            "• RuntimeError in /rates: 2",
            "• KeyError in /news: 1",
        ]
    )
    assert "<b>Bot statistics</b>" in reply.html


async def test_stats_of_an_empty_store_and_a_handler_failure_showing_up(
    admin: Bench, monkeypatch: pytest.MonkeyPatch
) -> None:
    reply = only(await admin.chat.send("/stats"))
    assert "Stories: 0" in reply.text and "No rates stored yet." in reply.text
    assert "Errors in the last 24 hours: 0" in reply.text

    async def broken(*_args: object) -> object:
        raise RuntimeError("database on fire")

    monkeypatch.setattr(services.rates, "list_current_rates", broken)
    other = admin.emu.private_chat(admin.emu.user(2002, first_name="Timur"))
    assert only(await other.send("/rates")).text.startswith("Sorry, something went wrong")
    monkeypatch.undo()
    reply = only(await admin.chat.send("/stats"))
    assert "Errors in the last 24 hours: 1\n• RuntimeError in /rates: 1" in reply.text
    assert "Chats: 2 (unreachable: 0)" in reply.text


async def test_many_long_sources_are_cut_to_the_top_ten_in_one_message(admin: Bench) -> None:
    names = [f"<b>{n:02d}</b>&" + "ж" * 54 for n in range(40)]
    async with admin.sessions() as session, session.begin():
        for rank, name in enumerate(names):
            for copy in range(40 - rank):
                session.add(StoryRow(title="t", source=name, content_hash=f"{rank}-{copy}"))
    reply = only(await admin.chat.send("/stats"))
    assert admin.emu.errors == []
    assert len(reply.text.encode("utf-16-le")) // 2 <= MAX_MESSAGE
    assert f"• {names[0]}: 40" in reply.text and f"• {names[9]}: 31" in reply.text
    assert names[10] not in reply.text
    assert "• … and 30 more" in reply.text
    assert "&lt;b&gt;00&lt;/b&gt;&amp;" in reply.html


async def _unknown_answer(chat: ChatDriver, command: str) -> tuple[str, list[str]]:
    reply = only(await chat.send(command))
    return reply.text, [button.text for button in reply.flat_buttons]


@pytest.mark.parametrize("command", ["/stats", "/fetch", "/stats@" + BOT, "/fetch now"])
async def test_anyone_else_gets_exactly_the_unknown_command_answer(
    admin: Bench, command: str
) -> None:
    timur = admin.emu.private_chat(admin.emu.user(2002, first_name="Timur"))
    assert await _unknown_answer(timur, command) == await _unknown_answer(timur, "/nosuchcmd")
    assert (await _unknown_answer(timur, command))[0].startswith("I do not know that command.")


async def test_without_admin_ids_nobody_is_admin(bench: Bench) -> None:
    assert bench.app.bot_data.admin_ids == frozenset()
    stats = only(await bench.chat.send("/stats"))
    unknown = only(await bench.chat.send("/nosuchcmd"))
    assert (stats.text, stats.buttons) == (unknown.text, unknown.buttons)


async def test_in_groups_nobody_gets_an_answer_not_even_the_admin(admin: Bench) -> None:
    group = admin.emu.group_chat("Team", -1009, admins=[admin.aida])
    timur = admin.emu.user(2002, first_name="Timur")
    for text in ("/stats", "/fetch", f"/stats@{BOT}", "/nosuchcmd"):
        assert await group.send(text, from_user=admin.aida) == []
        assert await group.send(text, from_user=timur) == []


@pytest.mark.parametrize(
    "args", ["garbage", "<b>x</b>", "' OR 1=1; DROP TABLE chats; --", "x" * 4000, "  7  "]
)
async def test_arguments_get_the_usage_line(admin: Bench, args: str) -> None:
    for command in ("/stats", "/fetch"):
        reply = only(await admin.chat.send(f"{command} {args}"))
        assert reply.text == NO_ARGS.format(command=command)
    async with admin.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(StoryRow)) == 0


async def test_fetch_without_sources_says_so(admin: Bench) -> None:
    reply = only(await admin.chat.send("/fetch"))
    assert reply.text == (
        "This bot runs without live sources (FETCH_SOURCES=false): nothing to fetch."
    )


async def test_fetch_with_a_broken_sources_file_says_why(
    database_url: str, sessions: async_sessionmaker[AsyncSession], tmp_path: Path
) -> None:
    broken = tmp_path / "sources.toml"
    broken.write_text("title = 'no sources here'\n", encoding="utf-8")
    settings: dict[str, object] = {"admin_ids": (ADMIN,), "sources_file": broken}
    async with running_bot(database_url, sessions, demo=False, settings=settings) as bench:
        reply = only(await bench.chat.send("/fetch"))
    assert reply.text.startswith("No sources to fetch: SOURCES_FILE: ")
    assert "no [[sources]] tables" in reply.text


@pytest.fixture
def web() -> Iterator[LocalServer]:
    today = bank_today("nbk", utc_now())  # the fetcher asks for the real today
    atom = (FIXTURES / "feeds" / "atom.xml").read_bytes()
    with serve(
        {
            "/feed.xml": Route(body=atom, etag='"v1"'),
            "/slow.xml": Route(body=atom, delay=1.0),
            "/403": Route(status=403),
            f"/nbk?fdate={today:%d.%m.%Y}": Route(
                body=(RATES / "nbk_get_rates_fdate_03.04.2026.xml").read_bytes()
            ),
        }
    ) as server:
        yield server


def _sources(folder: Path, web: LocalServer, *entries: tuple[str, str, str]) -> Path:
    path = folder / "sources.toml"
    path.write_text(
        "\n".join(
            f'[[sources]]\nname = "{name}"\nkind = "{kind}"\nurl = "{web.url(url)}"\n'
            f'lang = "en"\ncountries = ["KG"]\n'
            for name, kind, url in entries
        ),
        encoding="utf-8",
    )
    return path


def _fetches(source: str, outcome: str) -> float:
    labels = {"source": source, "outcome": outcome}
    return REGISTRY.get_sample_value("newsbot_fetches_total", labels) or 0.0


async def test_fetch_runs_a_real_pass_and_stores_stories_and_rates(
    database_url: str, sessions: async_sessionmaker[AsyncSession], tmp_path: Path, web: LocalServer
) -> None:
    file = _sources(
        tmp_path,
        web,
        ("valley", "feed", "/feed.xml"),
        ("nbk", "nbk", "/nbk?fdate={date:%d.%m.%Y}"),
        ("blocked", "feed", "/403"),
    )
    settings: dict[str, object] = {"admin_ids": (ADMIN,), "sources_file": file}
    before = _fetches("valley", "new"), _fetches("blocked", "failed")
    async with running_bot(database_url, sessions, demo=False, settings=settings) as bench:
        assert await bench.app.bot_data.rates.current() == {}  # read (and kept) before
        reply = only(await bench.chat.send("/fetch"))
        lines = reply.text.splitlines()
        assert lines[0] == "Sources fetched: 3; new: 2, not modified: 0, failed: 1"
        assert lines[1].startswith("✅ valley (feed): stories +")
        assert lines[2].startswith("✅ nbk (nbk): stories +0, rates +")
        assert lines[3].startswith("❌ blocked (feed): failed: ") and "403" in lines[3]
        async with sessions() as session:
            stories = await session.scalar(select(func.count()).select_from(StoryRow))
            rates = await session.scalar(select(func.count()).select_from(RateRow))
        assert stories and f"stories +{stories}," in lines[1]
        assert rates and f"rates +{rates}," in lines[2]
        # The rates' cache was dropped: the new figures count at once.
        assert "KZT" in await bench.app.bot_data.rates.current()
        again = only(await bench.chat.send("/fetch")).text.splitlines()
        assert "⏸ valley (feed): not modified" in again
    assert (_fetches("valley", "new"), _fetches("blocked", "failed")) == (
        before[0] + 1,
        before[1] + 2,
    )
    assert web.served.hits["/feed.xml"] == 2


async def test_a_second_fetch_while_one_runs_says_so_and_starts_nothing(
    database_url: str, sessions: async_sessionmaker[AsyncSession], tmp_path: Path, web: LocalServer
) -> None:
    file = _sources(tmp_path, web, ("sleepy", "feed", "/slow.xml"))
    settings: dict[str, object] = {"admin_ids": (ADMIN, 2002), "sources_file": file}
    async with running_bot(database_url, sessions, demo=False, settings=settings) as bench:
        other = bench.emu.private_chat(bench.emu.user(2002, first_name="Timur"))
        first, second = await asyncio.gather(bench.chat.send("/fetch"), other.send("/fetch"))
        texts = sorted([only(first).text, only(second).text])
        assert texts[0] == "A fetch pass is already running: its report comes when it ends."
        assert texts[1].startswith("Sources fetched: 1; new: 1")
        assert web.served.hits["/slow.xml"] == 1
        # Once it ended, the next /fetch runs again.
        assert only(await other.send("/fetch")).text.startswith("Sources fetched: 1")


def test_fetch_report_escapes_and_clips_what_sources_say() -> None:
    result = FetchNowResult(
        FetchStatus.DONE,
        (
            SourceOutcome("a<b>", "feed", "new", stories_added=1234, rates_added=0),
            SourceOutcome("c&d", "feed", "failed", error="HTTP 500: <html>\n" + "x" * 500),
            SourceOutcome("e", "nbk", "not-modified"),
        ),
    )
    html = render_fetch(result)
    lines = html.splitlines()
    assert lines[0] == "<b>Sources fetched: 3; new: 1, not modified: 1, failed: 1</b>"
    assert lines[1] == "✅ <b>a&lt;b&gt;</b> (feed): stories +1,234, rates +0, rates changed 0"
    assert lines[2].startswith("❌ <b>c&amp;d</b> (feed): failed: HTTP 500: &lt;html&gt; xxx")
    assert lines[2].endswith("x…") and len(lines[2]) < 200  # the reason is cut, on one line
    assert lines[3] == "⏸ <b>e</b> (nbk): not modified"


def test_stats_numbers_and_dates_follow_the_reader_language() -> None:
    stats = StoreStats(
        chats=ChatCounts(12345, 3),
        active_subscriptions=7,
        by_source=TopCounts([("tengri", 5000)], 1, 5000),
        by_language=TopCounts([("ru", 5000)], 1, 5000),
        rates=[RateFreshness("UZS", date(2026, 11, 20)), RateFreshness("KZT", date(2026, 11, 27))],
        errors=0,
        top_errors=[],
    )
    with in_language("ru"):
        html = render_stats(stats, date(2026, 11, 28))
    assert "12\xa0345" in html and "• tengri: 5\xa0000" in html
    assert "• 20 нояб. 2026\u202fг. (8 дней): UZS" in html
    assert "• 27 нояб. 2026\u202fг. (1 день): KZT" in html
