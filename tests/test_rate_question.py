"""The rate question without an amount: reading it in seven languages and quoting it."""

from __future__ import annotations

import pytest

from core.money import ParseFailure
from core.rate_question import (
    LOCAL_CURRENCIES,
    RateQuestion,
    home_currencies,
    parse_rate_question,
    quote_pairs,
)


@pytest.mark.parametrize(
    ("text", "currencies"),
    [
        # English
        ("rates", ()),
        ("USD/KZT", ("USD", "KZT")),
        ("usd to kzt", ("USD", "KZT")),
        ("euro to som", ("EUR", "KGS")),
        ("kzt", ("KZT",)),
        ("what is the dollar rate today?", ("USD",)),
        # Russian
        ("курс доллара", ("USD",)),
        ("сколько стоит доллар", ("USD",)),
        ("курс тенге", ("KZT",)),
        ("евро в тенге", ("EUR", "KZT")),
        ("сум к рублю", ("UZS", "RUB")),
        ("курс", ()),
        ("курс рубля к тенге", ("RUB", "KZT")),
        # Kazakh
        ("доллар бағамы", ("USD",)),
        ("теңге бағамы", ("KZT",)),
        ("теңгенің бағамы", ("KZT",)),
        ("доллардын курсу", ("USD",)),
        # Kyrgyz
        ("доллар курсу", ("USD",)),
        ("сомдун курсу", ("KGS",)),
        # Uzbek, Latin and Cyrillic
        ("dollar kursi", ("USD",)),
        ("so‘m kursi", ("UZS",)),
        ("доллар курси", ("USD",)),
        # Tajik
        ("қурби доллар", ("USD",)),
        ("қурби сомонӣ", ("TJS",)),
        # Turkmen
        ("dollar kursy", ("USD",)),
        ("manat kursy", ("TMT",)),
    ],
)
def test_rate_questions_in_seven_languages(text: str, currencies: tuple[str, ...]) -> None:
    assert parse_rate_question(text) == RateQuestion(currencies)


@pytest.mark.parametrize(
    "text",
    [
        "  <b>Курс доллара???</b> 🙂 ",
        "КУРС\u200b ДОЛЛАРА!!!",
        "ну какой сейчас курс доллара?",
        "/convert@CentralAsiaNewsBot курс доллара",
        "«курс доллара»",
    ],
)
def test_garbage_around_a_rate_question_is_ignored(text: str) -> None:
    assert parse_rate_question(text) == RateQuestion(("USD",))


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "?!",
        "milk output",
        "Tajikistan",
        "tenge devaluation",
        "milk price",
        "курс лекций",
        "нархи пахта",
        "курс доллара влияет на инфляцию",
        "' OR 1=1 --",
        "xyz",
        "100",
        "100 usd kzt",
        "usd eur kzt",
        "курс доллара " * 40,
        None,
        42,
    ],
)
def test_other_texts_are_not_rate_questions(text: object) -> None:
    assert parse_rate_question(text) is None


@pytest.mark.parametrize(
    ("text", "reason", "fragment"),
    [
        ("usd usd", "same_currency", "usd"),
        ("доллар в долларах", "same_currency", "долларах"),
        ("курс xyz", "unknown_currency", "xyz"),
        ("USD/XYZ", "unknown_currency", "XYZ"),
        ("kursi btc", "unknown_currency", "btc"),
    ],
)
def test_rate_questions_that_cannot_be_answered(text: str, reason: str, fragment: str) -> None:
    assert parse_rate_question(text) == ParseFailure(reason, fragment)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("countries", "language", "expected"),
    [
        (("KG",), "ru", ("KGS",)),
        (("KZ", "UZ"), "tk", ("KZT", "UZS")),
        (("KZ", "KG", "UZ", "TJ", "TM"), "kk", ("KZT",)),
        ((), "kk", ("KZT",)),
        ((), "ky", ("KGS",)),
        ((), "uz", ("UZS",)),
        ((), "tg", ("TJS",)),
        ((), "tk", ("TMT",)),
        ((), "ru", LOCAL_CURRENCIES),
        ((), "en", LOCAL_CURRENCIES),
    ],
)
def test_home_currencies_from_digest_countries_then_language(
    countries: tuple[str, ...], language: str, expected: tuple[str, ...]
) -> None:
    assert home_currencies(countries, language) == expected


def test_a_local_currency_alone_is_quoted_per_usd() -> None:
    assert quote_pairs(RateQuestion(("UZS",)), ("KZT",)) == (("USD", "UZS"),)


def test_a_pair_is_quoted_per_unit_of_the_first() -> None:
    assert quote_pairs(RateQuestion(("UZS", "RUB")), LOCAL_CURRENCIES) == (("UZS", "RUB"),)


def test_a_foreign_currency_alone_is_quoted_in_the_home_currencies() -> None:
    assert quote_pairs(RateQuestion(("EUR",)), ("KZT",)) == (("EUR", "KZT"),)
    five = quote_pairs(RateQuestion(("USD",)), LOCAL_CURRENCIES)
    assert five == tuple(("USD", code) for code in LOCAL_CURRENCIES)


def test_rates_alone_are_every_usual_currency_per_usd() -> None:
    pairs = quote_pairs(RateQuestion(()), ("KZT",))
    assert pairs[0] == ("USD", "KZT") and all(unit == "USD" for unit, _ in pairs)
