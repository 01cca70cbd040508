"""Every view of a stored figure renders or degrades, whatever the figure: /rates, /convert,
/stats and the digest on SQLite and PostgreSQL.

The absurd rows here are written straight into ``rates``, as a store filled before the
plausibility check existed would hold them; the door itself is tested in test_plausibility.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

import views.digest
from bot_api_emulator import BotApiEmulator
from core.types import RateQuote
from locales import in_language
from sources.ingest import Ingestor
from storage.rates import add_rates
from tests.bot_bench import only, running_bot
from tests.digest_support import add_story, add_subscriber, at, run_pass
from tests.paths import RATES
from views.digest import render_digest
from views.formatting import number

HUGE = Decimal("1e43")
TINY = Decimal("1e-30")


async def _store_absurd(sessions: async_sessionmaker[AsyncSession]) -> None:
    async with sessions() as session, session.begin():
        await add_rates(
            session,
            [
                RateQuote("KZT", HUGE, Decimal("1e42"), date(2026, 11, 27), "page"),
                RateQuote("UZS", TINY, None, date(2026, 11, 27), "page"),
                RateQuote("KGS", Decimal("87.45"), None, date(2026, 11, 27), "nbkr"),
            ],
        )


def test_a_figure_babel_cannot_format_is_shown_in_plain_digits() -> None:
    with in_language("ru"):
        assert number(HUGE, 2) == "1" + "0" * 43
        assert number(Decimal("12195.07"), 2) == "12\xa0195,07"
    assert number(TINY, 2) == "0.00"
    assert number(Decimal("-1e40"), 4) == "-1" + "0" * 40


async def test_rates_and_convert_answer_with_absurd_stored_figures(
    database_url: str, sessions: async_sessionmaker[AsyncSession]
) -> None:
    await _store_absurd(sessions)
    async with running_bot(database_url, sessions, demo=False) as bench:
        rates = only(await bench.chat.send("/rates"))
        converted = only(await bench.chat.send("/convert 100 usd kzt"))
        back = only(await bench.chat.send("/convert 1 kzt usd"))
        tiny = only(await bench.chat.send("/convert 100 uzs kgs"))
    for reply in (rates, converted, back, tiny):
        assert "Sorry" not in reply.text
    assert "1" + "0" * 43 in rates.text and "87.4500" in rates.text
    assert converted.text.startswith("100 USD = 1" + "0" * 45)
    assert back.text.startswith("1 KZT = 0.00 USD")
    assert "Rate: 1 UZS = " in tiny.text


async def test_a_chart_of_absurd_figures_is_still_drawn(
    database_url: str, sessions: async_sessionmaker[AsyncSession]
) -> None:
    async with sessions() as session, session.begin():
        await add_rates(
            session,
            [
                RateQuote("KZT", Decimal("472.31"), None, date(2026, 11, 25), "nbk"),
                RateQuote("KZT", HUGE, None, date(2026, 11, 26), "nbk"),
                RateQuote("KZT", TINY, None, date(2026, 11, 27), "nbk"),
            ],
        )
    async with running_bot(database_url, sessions, demo=False) as bench:
        replies = await bench.chat.send("/chart kzt 7d")
    assert all("Sorry" not in (reply.text or "") for reply in replies)
    assert any(reply.photo is not None for reply in replies)


async def test_a_digest_is_sent_whatever_the_stored_rates(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    emu = BotApiEmulator()
    emu.private_chat(emu.user(11, "Reader"))
    await add_subscriber(sessions, 11, local_time="09:00")
    await add_story(sessions, "Almaty hosts a film week", fetched=at("2026-11-28T06:00:00+05:00"))
    await _store_absurd(sessions)
    report = await run_pass(sessions, emu, at("2026-11-28T09:00:00+05:00"))
    assert report.sent == 1
    (message,) = emu.messages_in(11)
    assert "KZT 1" + "0" * 43 in message.text


def test_a_rates_line_that_cannot_render_is_left_out(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(_rates: Mapping[str, RateQuote]) -> str:
        raise ArithmeticError("cannot draw this line")

    monkeypatch.setattr(views.digest, "render_rates_line", broken)
    rates = {"KZT": RateQuote("KZT", Decimal("472.31"), None, date(2026, 11, 27), "nbk")}
    text = render_digest(date(2026, 11, 28), rates, [])
    assert "Daily digest for Nov 28, 2026" in text and "1 USD" not in text
    assert "Nothing new about your countries" in text


async def test_stats_lists_the_figures_held_back(
    database_url: str, sessions: async_sessionmaker[AsyncSession], tmp_path: Path
) -> None:
    bad = tmp_path / "nbk_bad.xml"
    text = (RATES / "nbk_get_rates_fdate_03.04.2026.xml").read_text(encoding="utf-8")
    bad.write_text(text.replace("<description>472.31</description>", "<description>1e29"
                                "</description>"), encoding="utf-8")  # fmt: skip
    assert (await Ingestor(sessions).ingest_file(bad)).rates_rejected > 0
    settings: dict[str, object] = {"admin_ids": (1001,), "fetch_sources": False}
    async with running_bot(database_url, sessions, demo=False, settings=settings) as bench:
        reply = only(await bench.chat.send("/stats"))
    assert "Rates held back as implausible: " in reply.text
    assert "· Apr 3, 2026 · NBK: outside 0.0001–10000000 per USD" in reply.text
