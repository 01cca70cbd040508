"""One authority per currency on every screen: /rates, /convert, inline, /country, /chart,
the digest's rates line and the CLI, through the real bot on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.demo import load_demo_if_empty, remove_demo
from core.types import RateQuote
from sources.ingest import Ingestor
from storage.demo import DemoRemoved, count_demo_rows
from storage.models import RateRow
from storage.rates import add_rates, list_current_rates
from storage.stories import count_stories
from tests.bot_bench import Bench, only, running_bot
from tests.paths import RATES

D = Decimal
NBK = RATES / "nbk_get_rates_fdate_03.04.2026.xml"
APRIL_3 = date(2026, 4, 3)


async def _store(sessions: async_sessionmaker[AsyncSession], *quotes: RateQuote) -> None:
    async with sessions.begin() as session:
        await add_rates(session, quotes)


def _pin(bench: Bench, day: date) -> None:
    bench.app.bot_data.clock = lambda: datetime(day.year, day.month, day.day, 9, tzinfo=UTC)
    bench.app.bot_data.rates.forget()


async def test_real_bank_rates_take_the_demo_off_every_screen(bench: Bench) -> None:
    demo_rates = only(await bench.chat.send("/rates kzt"))
    assert "demo data" in demo_rates.text and "518.90" in demo_rates.text
    report = await Ingestor(bench.sessions).ingest_file(NBK)
    assert report.ok, report.error
    _pin(bench, APRIL_3)
    async with bench.sessions() as session:
        assert await count_demo_rows(session) == DemoRemoved(0, 0)
        assert await count_stories(session) == 0
    rates = only(await bench.chat.send("/rates kzt"))
    assert "472.31" in rates.text and "NBK" in rates.text and "demo" not in rates.text
    converted = only(await bench.chat.send("100 usd to kzt"))
    assert converted.text.startswith("100 USD = 47,231.00 KZT")
    assert "Rate: 1 USD = 472.31 KZT" in converted.text


async def test_demo_goes_only_into_an_empty_store_and_can_be_removed(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    await _store(sessions, RateQuote("KZT", D("472.31"), None, APRIL_3, "nbk"))
    assert not (await load_demo_if_empty(sessions)).loaded
    async with sessions() as session:
        assert await count_demo_rows(session) == DemoRemoved(0, 0)
        assert await count_stories(session) == 0
    async with sessions.begin() as session:
        await session.execute(delete(RateRow))
    loaded = await load_demo_if_empty(sessions)
    assert (loaded.loaded, loaded.stories, loaded.rates) == (True, 32, 24)
    assert "loaded 32 demo stories and 24 demo rates" in loaded.describe()
    assert await remove_demo(sessions) == DemoRemoved(32, 24)
    async with sessions() as session:
        assert await list_current_rates(session) == {}


async def test_the_home_bank_holds_against_a_newer_cross_rate_within_a_week(
    database_url: str, sessions: async_sessionmaker[AsyncSession]
) -> None:
    await Ingestor(sessions).ingest_file(NBK)
    await _store(sessions, RateQuote("KZT", D("462.87"), None, APRIL_3 + timedelta(days=7), "cbr"))
    async with running_bot(database_url, sessions, demo=False) as bench:
        _pin(bench, APRIL_3 + timedelta(days=7))
        rates = only(await bench.chat.send("/rates kzt"))
        assert "472.31" in rates.text and "cross rate" not in rates.text
        country = only(await bench.chat.send("/country kazakhstan"))
        assert "472.31 per 1 USD" in country.text and "NBK" in country.text
        # A day more and the home bank has been silent for over a week: CBR stands in, named.
        await _store(
            sessions, RateQuote("KZT", D("462.90"), None, APRIL_3 + timedelta(days=8), "cbr")
        )
        _pin(bench, APRIL_3 + timedelta(days=8))
        rates = only(await bench.chat.send("/rates kzt"))
        assert "462.90" in rates.text and "CBR cross rate" in rates.text


async def test_a_rate_published_for_tomorrow_waits_for_its_day(
    database_url: str, sessions: async_sessionmaker[AsyncSession]
) -> None:
    await _store(
        sessions,
        RateQuote("UZS", D("12149.84"), None, APRIL_3, "cbu"),
        RateQuote("UZS", D("12160.00"), None, APRIL_3 + timedelta(days=1), "cbu"),
        RateQuote("KZT", D("472.31"), None, APRIL_3, "nbk"),
        RateQuote("KZT", D("470.00"), None, APRIL_3 + timedelta(days=1), "cbr"),
    )
    async with running_bot(database_url, sessions, demo=False) as bench:
        _pin(bench, APRIL_3)
        rates = only(await bench.chat.send("/rates uzs kzt"))
        assert "12,149.84" in rates.text and "472.31" in rates.text
        assert "10.16" not in rates.text  # CBU's own daily change shows tomorrow
        _pin(bench, APRIL_3 + timedelta(days=1))
        rates = only(await bench.chat.send("/rates uzs kzt"))
        assert "12,160.00" in rates.text and "▲ 10.16" in rates.text
        assert "472.31" in rates.text  # CBR's tomorrow never displaces NBK


async def test_every_bank_gets_a_daily_change_and_a_peg_shows_zero(
    database_url: str, sessions: async_sessionmaker[AsyncSession]
) -> None:
    reports = await Ingestor(sessions).ingest_paths(
        [RATES / "cbt_kurs_20052026.xml", RATES / "cbt_kurs_21052026.xml"]
    )
    assert all(report.ok for report in reports)
    await _store(
        sessions,
        RateQuote("KGS", D("87.4500"), None, date(2026, 5, 22), "nbkr"),
        RateQuote("KGS", D("87.3900"), None, date(2026, 5, 21), "nbkr"),
        RateQuote("TJS", D("9.3450"), None, date(2026, 5, 22), "nbt"),
        RateQuote("TJS", D("9.3500"), None, date(2026, 5, 15), "nbt"),
    )
    async with running_bot(database_url, sessions, demo=False) as bench:
        _pin(bench, date(2026, 5, 22))
        rates = only(await bench.chat.send("/rates tmt kgs tjs"))
        lines = rates.text.splitlines()
        assert "= 0" in lines[1] and "CBT" in lines[1]
        assert "▲ 0.0600" in lines[2]
        # A week apart is still "the previous stored day" of NBT.
        assert "▼ 0.0050" in lines[3]


@pytest.mark.parametrize("language", ["en", "ru", "kk", "uz", "ky", "tg", "tk"])
async def test_the_digest_rates_line_has_the_date_and_the_stale_mark(
    database_url: str, sessions: async_sessionmaker[AsyncSession], language: str
) -> None:
    from locales import use_language
    from views.digest import render_rates_line

    current = {
        "KZT": RateQuote("KZT", D("472.31"), D("-2.78"), APRIL_3, "nbk"),
        "UZS": RateQuote("UZS", D("12149.84"), None, APRIL_3 - timedelta(days=5), "cbu"),
    }
    use_language(language)
    fresh = render_rates_line(current, APRIL_3)
    assert "⚠️" in fresh and "KZT" in fresh  # UZS is five days old
    assert ("03.04.2026" in fresh) or ("4/3/2026" in fresh) or ("2026" in fresh)
    assert fresh.count("⚠️") == 2  # the mark on UZS and the note that explains it
    current["UZS"] = RateQuote("UZS", D("12149.84"), None, APRIL_3, "cbu")
    assert "⚠️" not in render_rates_line(current, APRIL_3)
    assert "⚠️" in render_rates_line(current, APRIL_3 + timedelta(days=4))


async def test_a_chart_is_the_authority_series_alone(
    database_url: str, sessions: async_sessionmaker[AsyncSession]
) -> None:
    reports = await Ingestor(sessions).ingest_paths(
        [RATES / "cbt_kurs_20052026.xml", RATES / "cbt_kurs_21052026.xml"]
    )
    assert all(report.ok for report in reports)
    # CBU's cross rate of the manat sits on other days: it must not bend the pegged line.
    await _store(
        sessions,
        RateQuote("TMT", D("3.02"), None, date(2026, 5, 19), "cbu"),
        RateQuote("TMT", D("3.50"), None, date(2026, 1, 10), "cbt"),
    )
    async with running_bot(database_url, sessions, demo=False) as bench:
        _pin(bench, date(2026, 5, 22))
        photo = only(await bench.chat.send("/chart tmt 1y"))
        assert photo.caption is not None
        assert "Source: CBT" in photo.caption and "CBU" not in photo.caption
        assert "3.5000 → 3.5000 (+0.00%)" in photo.caption


CROSS_RATE_WORDS = {
    "en": "CBR cross rate",
    "ru": "кросс-курс ЦБ РФ",
    "kk": "Ресей ОБ кросс-бағамы",
    "uz": "Rossiya MB kross-kursi",
    "ky": "Россия ББ кросс-курсу",
    "tg": "қурби кроссии БМ Русия",
    "tk": "Russiýa MB kross-kursy",
}
# Russia's central bank in each language's own short name (views.names.BANK_NAMES).
CBR_NAMES = {
    "en": "CBR",
    "ru": "ЦБ РФ",
    "kk": "Ресей ОБ",
    "uz": "Rossiya MB",
    "ky": "Россия ББ",
    "tg": "БМ Русия",
    "tk": "Russiýa MB",
}


@pytest.mark.parametrize("language", list(CROSS_RATE_WORDS))
async def test_a_stand_in_is_named_in_the_reader_language(
    database_url: str, sessions: async_sessionmaker[AsyncSession], language: str
) -> None:
    await Ingestor(sessions).ingest_file(NBK)
    await Ingestor(sessions).ingest_file(RATES / "cbr_XML_daily.xml")
    async with running_bot(database_url, sessions, demo=False, language_code=language) as bench:
        _pin(bench, date(2026, 4, 26))
        rates = only(await bench.chat.send("/rates kzt rub"))
        kzt, rub = rates.text.splitlines()[1:3]
        assert CROSS_RATE_WORDS[language] in kzt
        # RUB's home is CBR: named, never as a cross rate.
        assert CBR_NAMES[language] in rub and CROSS_RATE_WORDS[language] not in rub
        inline = await bench.chat.inline("100 usd kzt")
        assert len(inline) == 1 and CBR_NAMES[language] in inline[0]["description"]


async def test_an_empty_store_answers_every_rate_screen_plainly(
    database_url: str, sessions: async_sessionmaker[AsyncSession]
) -> None:
    async with running_bot(database_url, sessions, demo=False) as bench:
        assert "No rates are stored yet." in only(await bench.chat.send("/rates")).text
        assert (
            "No stored rate for KZT yet" in only(await bench.chat.send("/convert 100 usd kzt")).text
        )
        chart = only(await bench.chat.send("/chart kzt"))
        assert chart.photo is None and "Only 0 days of KZT rates" in chart.text
        country = only(await bench.chat.send("/country kz"))
        assert "no rate stored yet" in country.text
