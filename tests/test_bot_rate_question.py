"""The rate question without an amount through the bot: free text, /convert and inline,
in the seven languages, on stores with bank files, demo data only, or nothing."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from decimal import Decimal
from pathlib import Path

import pytest
from babel.numbers import parse_decimal
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from sources.banks import parse_bank
from storage.chats import add_chat_if_missing
from storage.rates import add_rates
from storage.subscriptions import subscribe
from tests.bot_bench import TODAY, Bench, only, running_bot
from views.formatting import babel_locale

RATES = Path(__file__).parent / "fixtures" / "rates"
# NBK's file of 3 April 2026: KZT 472.31 per USD, and its cross rates of the others.
NBK_FILE = ("nbk", "nbk_get_rates_fdate_03.04.2026.xml")
# CBT's peg, for TMT (NBK does not quote it).
CBT_FILE = ("cbt", "cbt_kurs_21052026.xml")


def quoted(bench: Bench, line: str) -> tuple[str, Decimal, str]:
    """(unit, rate, currency) of a "1 EUR = 543.72 KZT" line, read in the chat's language."""
    match = re.fullmatch(r"1 ([A-Z]{3}) = (.+) ([A-Z]{3})", line)
    assert match is not None, line
    figure = parse_decimal(match.group(2), babel_locale(bench.aida.language_code or "en"))
    return match.group(1), figure, match.group(3)


def per_usd(code: str) -> Decimal:
    """The currency's units per USD in NBK's file, as the parser reads it."""
    quotes = parse_bank(NBK_FILE[0], (RATES / NBK_FILE[1]).read_bytes())
    return next(quote.per_usd for quote in quotes if quote.currency == code)


def digits(text: str) -> str:
    """The text with digit grouping and decimal marks gone, so "472,31" and "472.31" match."""
    return re.sub(r"(?<=\d)[\s.,\u00a0\u202f](?=\d)", "", text)


async def store_bank_files(bench: Bench, *files: tuple[str, str]) -> None:
    async with bench.sessions() as session:
        for kind, name in files:
            await add_rates(session, parse_bank(kind, (RATES / name).read_bytes()))
        await session.commit()
    bench.app.bot_data.rates.forget()


@pytest.fixture
async def banks(
    database_url: str, sessions: async_sessionmaker[AsyncSession]
) -> AsyncIterator[Bench]:
    """The bot with NBK's rates and no demo data, Aida writing in English."""
    async with running_bot(database_url, sessions, demo=False) as running:
        await store_bank_files(running, NBK_FILE)
        yield running


@pytest.fixture(params=["en", "ru", "kk", "uz", "ky", "tg", "tk"])
async def speaker(
    request: pytest.FixtureRequest, database_url: str, sessions: async_sessionmaker[AsyncSession]
) -> AsyncIterator[Bench]:
    """The bot with NBK's rates and no demo data, Aida writing in one of the languages."""
    async with running_bot(database_url, sessions, demo=False, language_code=request.param) as b:
        await store_bank_files(b, NBK_FILE)
        yield b


# The forms of the issue; all are answered with NBK's 472.31 (per 1 USD) or a cross of it.
@pytest.mark.parametrize(
    "text",
    ["kzt", "курс тенге", "USD/KZT", "usd to kzt", "!!! <i>KZT</i> ???", "теңге бағамы"],
)
async def test_local_currency_and_pairs_are_quoted_per_usd(banks: Bench, text: str) -> None:
    reply = only(await banks.chat.send(text))
    first = reply.text.splitlines()[0]
    assert digits(first) == "1 USD = 47231 KZT", reply.text
    assert "NBK" in reply.text


@pytest.mark.parametrize(
    ("text", "unit", "currency"),
    [("евро в тенге", "EUR", "KZT"), ("сум к рублю", "UZS", "RUB"), ("euro to som", "EUR", "KGS")],
)
async def test_pairs_are_quoted_per_unit_of_the_first(
    banks: Bench, text: str, unit: str, currency: str
) -> None:
    reply = only(await banks.chat.send(text))
    shown_unit, rate, shown_currency = quoted(banks, reply.text.splitlines()[0])
    assert (shown_unit, shown_currency) == (unit, currency)
    # The digits shown are the display's business; the figure is NBK's cross rate.
    assert abs(rate / (per_usd(currency) / per_usd(unit)) - 1) < Decimal("0.001")


# Per language: a local currency alone (per 1 USD) and a foreign one alone (in the
# currency of the chat's language, in all five without one).
ASKED = {
    "en": ("kzt", "dollar rate", ("KZT", "KGS", "UZS", "TJS", "TMT")),
    "ru": ("курс тенге", "сколько стоит доллар", ("KZT", "KGS", "UZS", "TJS", "TMT")),
    "kk": ("теңге бағамы", "доллар бағамы", ("KZT",)),
    "uz": ("tenge kursi", "dollar kursi", ("UZS",)),
    "ky": ("теңгенин курсу", "доллар курсу", ("KGS",)),
    "tg": ("қурби тенге", "қурби доллар", ("TJS",)),
    "tk": ("teňňe kursy", "dollar kursy", ("TMT",)),
}


async def test_rate_questions_in_seven_languages(speaker: Bench) -> None:
    local, foreign, targets = ASKED[speaker.aida.language_code or "en"]
    reply = only(await speaker.chat.send(local))
    assert digits(reply.text.splitlines()[0]) == "1 USD = 47231 KZT", reply.text
    await store_bank_files(speaker, CBT_FILE)  # TMT: NBK does not quote it
    reply = only(await speaker.chat.send(foreign))
    shown = re.findall(r"\b(KZT|KGS|UZS|TJS|TMT)\b", reply.text)
    assert tuple(dict.fromkeys(shown)) == targets, reply.text
    assert reply.text.startswith("1 USD")


async def test_the_digest_countries_name_the_chat_currency(banks: Bench) -> None:
    async with banks.sessions() as session:
        await add_chat_if_missing(session, banks.chat.id, "private")
        await subscribe(session, banks.chat.id, TODAY, countries=("KG",))
        await session.commit()
    reply = only(await banks.chat.send("курс евро"))
    assert re.findall(r"\b(KZT|KGS|UZS|TJS|TMT)\b", reply.text) == ["KGS"], reply.text
    assert reply.text.startswith("1 EUR")


async def test_rates_alone_show_the_rates_table(banks: Bench) -> None:
    rates = only(await banks.chat.send("/rates"))
    for text in ("rates", "курс", "kurslar"):
        assert only(await banks.chat.send(text)).text == rates.text


async def test_convert_without_an_amount_gives_the_rate(banks: Bench) -> None:
    reply = only(await banks.chat.send("/convert eur kzt"))
    rate = quoted(banks, reply.text.splitlines()[0])[1]
    assert abs(rate / (per_usd("KZT") / per_usd("EUR")) - 1) < Decimal("0.001")
    alone = only(await banks.chat.send("/convert kzt"))
    assert digits(alone.text.splitlines()[0]) == "1 USD = 47231 KZT"
    converted = only(await banks.chat.send("/convert 100 usd kzt"))
    assert digits(converted.text.splitlines()[0]) == "100 USD = 4723100 KZT"


async def test_inline_offers_the_rate(banks: Bench) -> None:
    [kzt] = await banks.chat.inline("kzt")
    assert digits(kzt["title"]) == "1 USD = 47231 KZT"
    assert "NBK" in kzt["description"]
    assert "47231" in digits(kzt["input_message_content"]["message_text"])
    [uzs] = await banks.chat.inline("usd uzs")
    assert digits(uzs["title"]) == "1 USD = 1214165 UZS"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("usd usd", "Both currencies are the same."),
        ("курс доллара к доллару", "Both currencies are the same."),
        ("курс xyz", "I do not know that currency. Not understood: xyz"),
        ("USD/XYZ", "I do not know that currency. Not understood: XYZ"),
        ("100", "I found no currency to convert from."),
        ("1 000,50", "I found no currency to convert from."),
    ],
)
async def test_bad_rate_questions_are_explained_with_an_example(
    bench: Bench, text: str, expected: str
) -> None:
    reply = only(await bench.chat.send(text))
    assert reply.text.startswith(expected), reply.text
    assert "e.g." in reply.text or "like this" in reply.text
    assert "No stories" not in reply.text


async def test_convert_same_currency_without_an_amount(bench: Bench) -> None:
    reply = only(await bench.chat.send("/convert kzt kzt"))
    assert reply.text.startswith("Both currencies are the same.")
    assert "/convert eur kzt" in reply.text


async def test_a_store_with_only_demo_data_answers_from_it(bench: Bench) -> None:
    reply = only(await bench.chat.send("курс тенге"))
    assert reply.text.startswith("1 USD = ") and "KZT" in reply.text
    assert "demo data" in reply.text


async def test_an_empty_store_says_no_rates_yet(
    database_url: str, sessions: async_sessionmaker[AsyncSession]
) -> None:
    async with running_bot(database_url, sessions, demo=False) as bench:
        assert only(await bench.chat.send("курс доллара")).text == "No rates are stored yet."
        assert only(await bench.chat.send("/convert eur kzt")).text == "No rates are stored yet."
        assert await bench.chat.inline("kzt") == []


async def test_a_missing_currency_is_named(banks: Bench) -> None:
    reply = only(await banks.chat.send("USD/ISK"))
    assert "ISK" in reply.text and "/rates" in reply.text


async def test_convert_alone_shows_both_usages(bench: Bench) -> None:
    reply = only(await bench.chat.send("/convert"))
    assert reply.text.startswith("Usage: /convert") and "/convert eur kzt" in reply.text


async def test_bad_rate_questions_are_explained_in_every_language(speaker: Bench) -> None:
    english = speaker.aida.language_code == "en"
    for text in ("usd usd", "курс xyz"):
        reply = only(await speaker.chat.send(text))
        assert "/convert eur kzt" in reply.text
        assert english == ("Both currencies" in reply.text or "I do not know" in reply.text)
