"""Country and currency names, numbers and dates in each of the seven languages."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.countries import CENTRAL_ASIA
from core.exchange import Conversion
from locales import LANGUAGES, in_language
from storage.chats import get_chat
from tests.bot_bench import only, running_bot
from views.chart import render_rate_chart
from views.formatting import (
    axis_day,
    axis_day_labeller,
    axis_value_labeller,
    day,
    exact,
    number,
    signed_percent,
)
from views.money import format_cross_rate, format_rate, rate_origin, source_label
from views.names import CURRENCY_OVERRIDES, country_name, currency_name

CURRENCIES = ("KZT", "KGS", "UZS", "TJS", "TMT", "RUB", "USD", "EUR", "CNY")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_country_and_currency_has_a_name_in_every_language(lang: str) -> None:
    with in_language(lang):
        for code in CENTRAL_ASIA:
            name = country_name(code)
            assert name and name != code, (lang, code)
        for code in CURRENCIES:
            name = currency_name(code)
            assert name and name != code, (lang, code)


@pytest.mark.parametrize(
    ("lang", "code", "name"),
    [
        ("tg", "CNY", "Юани Чин"),  # CLDR says "Иенаи хитоӣ", the yen
        ("tg", "KZT", "Тангаи Қазоқистон"),
        ("tg", "UZS", "Сӯми Ӯзбекистон"),
        ("ru", "TMT", "туркменский манат"),  # not "новый"
        ("ru", "KGS", "кыргызский сом"),
        ("tk", "TMT", "Türkmen manady"),  # CLDR's own
        ("kk", "KZT", "Қазақстан теңгесі"),
        ("uz", "UZS", "Oʻzbekiston soʻmi"),  # CLDR writes ‘: ours is the letter ʻ
        ("en", "UZS", "Uzbekistani Sum"),
    ],
)
def test_currency_names_read_as_people_in_the_region_say_them(
    lang: str, code: str, name: str
) -> None:
    assert currency_name(code, lang) == name
    with in_language(lang):
        assert currency_name(code.lower()) == name


def test_our_names_only_replace_what_cldr_gets_wrong() -> None:
    for lang, code in CURRENCY_OVERRIDES:
        assert lang in LANGUAGES and code in CURRENCIES


@pytest.mark.parametrize(
    ("lang", "country"),
    [
        ("ru", "Кыргызстан"),
        ("kk", "Қырғызстан"),
        ("uz", "Qirgʻiziston"),
        ("ky", "Кыргызстан"),
        ("tg", "Қирғизистон"),
        ("tk", "Gyrgyzystan"),
        ("en", "Kyrgyzstan"),
    ],
)
def test_country_names_follow_the_language(lang: str, country: str) -> None:
    with in_language(lang):
        assert country_name("KG") == country


def test_unknown_currency_keeps_its_code() -> None:
    assert currency_name("XQZ", "ru") == "XQZ"


@pytest.mark.parametrize(
    ("lang", "big", "small", "rate"),
    [
        ("en", "12,195.07", "503.12", "87.4600"),
        ("ru", "12\u00a0195,07", "503,12", "87,4600"),
        ("kk", "12\u00a0195,07", "503,12", "87,4600"),
        ("uz", "12\u00a0195,07", "503,12", "87,4600"),
        ("tk", "12\u00a0195,07", "503,12", "87,4600"),
    ],
)
def test_numbers_are_grouped_and_pointed_as_the_reader_writes_them(
    lang: str, big: str, small: str, rate: str
) -> None:
    with in_language(lang):
        assert number(Decimal("12195.07"), 2) == big
        assert format_rate(Decimal("503.12")) == small
        assert format_rate(Decimal("87.46")) == rate
        assert exact(Decimal("12195.07")) == big
        assert number(Decimal("5"), 0) == "5"


def test_exact_amounts_keep_every_digit_they_carry() -> None:
    with in_language("en"):
        assert exact(Decimal("100")) == "100"
        assert exact(Decimal("0.000826446")) == "0.000826446"
        assert exact(Decimal("1000000.50")) == "1,000,000.50"
        assert format_cross_rate(Decimal("0.0000826446")) == "0.0000826446"
    with in_language("ru"):
        assert exact(Decimal("1000.50")) == "1\u00a0000,50"


def test_percent_changes_carry_their_sign() -> None:
    with in_language("en"):
        assert signed_percent(Decimal("-0.384")) == "-0.38%"
        assert signed_percent(Decimal("1.5")) == "+1.50%"
    with in_language("ru"):
        assert signed_percent(Decimal("1.5")) == "+1,50%"


@pytest.mark.parametrize(
    ("lang", "medium"),
    [
        ("en", "Nov 27, 2026"),
        ("ru", "27 нояб. 2026\u202fг."),
        ("kk", "2026\u202fж. 27 қар."),
        ("tk", "27 noý 2026"),
    ],
)
def test_dates_follow_the_language(lang: str, medium: str) -> None:
    """One date style per language, CLDR's medium date (English: ``Nov 27, 2026``)."""
    with in_language(lang):
        assert day(date(2026, 11, 27)) == medium
        assert axis_day(date(2026, 11, 27)) != axis_day(date(2026, 10, 27))


def test_in_language_restores_the_previous_language() -> None:
    with in_language("ru"):
        with in_language("kk"):
            assert country_name("KZ") == "Қазақстан"
        assert country_name("KZ") == "Казахстан"
    assert country_name("KZ") == "Kazakhstan"


def test_bank_sources_are_initials_and_a_news_page_is_named() -> None:
    with in_language("en"):
        assert source_label("nbk") == "NBK"
        assert source_label("cbr/nbk") == "CBR/NBK"
        assert source_label("page") == "news site"


async def test_inline_answers_are_personal_because_they_are_in_the_askers_language(
    database_url: str, sessions: async_sessionmaker[AsyncSession]
) -> None:
    async with running_bot(database_url, sessions, language_code="ru") as bench:
        results = await bench.chat.inline("1000 usd kzt")
        answers = [params for method, params in bench.emu.calls if method == "answerInlineQuery"]
    assert results and "1\u00a0000 USD = " in results[0]["title"]
    assert answers and str(answers[-1].get("is_personal")).lower() == "true"


def test_the_chart_writes_its_axes_in_the_readers_language() -> None:
    days: list[date] = []
    values: list[float] = []

    def write_day(value: date) -> str:
        days.append(value)
        return "27 нояб."

    def write_value(value: float) -> str:
        values.append(value)
        return "12 195,5"

    points = [
        (date(2026, 11, day_of_month), Decimal(12000 + day_of_month))
        for day_of_month in range(1, 28)
    ]
    png = render_rate_chart(
        points, title="UZS за 1 USD", y_label="UZS", day_label=write_day, value_label=write_value
    )
    assert png.startswith(b"\x89PNG")
    assert days and all(date(2026, 10, 1) <= d <= date(2026, 12, 31) for d in days)
    assert values
    with in_language("ru"):
        assert axis_value_labeller()(12195.5) == "12\u00a0195,5"
        assert axis_day_labeller()(date(2026, 11, 27)) == "27 нояб."


async def test_a_new_group_keeps_the_language_of_the_first_person_it_hears(
    database_url: str, sessions: async_sessionmaker[AsyncSession]
) -> None:
    async with running_bot(database_url, sessions, language_code="kk") as bench:
        russian = bench.emu.user(2002, first_name="Oleg", language_code="ru")
        group = bench.emu.group_chat("Almaty friends", -1005002, admins=[bench.aida])
        first = only(await group.send("/country KZ", from_user=bench.aida)).text
        assert first.splitlines()[0].endswith("Қазақстан")
        # A Russian-speaking member gets the group's language, not their own.
        again = only(await group.send("/country KZ", from_user=russian)).text
        assert again.splitlines()[0].endswith("Қазақстан")
        # In private, the same member is answered in Russian.
        private = bench.emu.private_chat(russian)
        assert only(await private.send("/country KZ")).text.splitlines()[0].endswith("Казахстан")
    async with sessions() as session:
        stored = await get_chat(session, -1005002)
    assert stored is not None and stored.language == "kk"


def test_a_rate_without_a_date_gets_a_sentence_of_its_own() -> None:
    fixed = Conversion(Decimal(1), "USD", "USD", Decimal(1), Decimal(1), None, "usd")
    day = date(2026, 11, 27)
    dated = Conversion(Decimal(1), "USD", "KZT", Decimal(500), Decimal(500), day, "nbk")
    with in_language("ru"):
        assert rate_origin(fixed) == "Фиксированный курс, источник: USD"
        assert rate_origin(dated) == "На 27 нояб. 2026\u202fг., источник: НБРК"
