"""Every screen in the reader's language, walked through the bot (issue 18).

/help, /rates, /chart, /settings, /subscribe, /lang and the "Other amount" button in all
seven languages, with exact texts in Russian and Kazakh; /lang by name in any language;
time zones by city; the chat's language for inline answers; ``/help``'s own examples.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot_api_emulator import BotMessage
from core.countries import lookup_country
from core.money import ConversionRequest, find_currency, parse_conversion
from core.schedule_words import parse_subscribe_words, parse_time_zone
from core.types import RateQuote
from handlers.chart import parse_chart_args
from handlers.start import help_examples
from locales import LANGUAGES, NATIVE_NAMES, in_language, translation
from storage.chats import ChatPrefs, get_chat
from storage.rates import add_rates
from tests.bot_bench import Bench, only, running_bot
from tests.digest_support import add_usd_rates
from tests.english_detector import english_left
from views.names import bank_name, language_named

_LINK = re.compile(r"https?://\S+|@\w+|\b[A-Z][a-z]+/[A-Za-z_]+|/\w+")
HELP_RU = [
    "Что я умею",
    "/rates — официальные курсы KZT, KGS, UZS, TJS, TMT (и не только) за 1 USD",
    "/rates rub kzt — только нужные валюты",
    "/convert 1000 rub usd — пересчёт через USD по официальным курсам",
    "/convert 1 000,50 рублей в тенге — суммы в привычной записи, в любом порядке",
    "/chart rub 90d — график за 7 дней, 30 дней, 90 дней или 1 год",
    "/news — свежие новости, страница за страницей",
    "/news цены на молоко — новости по вашему вопросу",
    "/country Киргизия — флаг, валюта, курс и новости страны (на любом языке)",
    "/lang — выбрать язык",
    "/lang казахский — сразу переключить язык",
    "/settings — язык, часовой пояс и сводка этого чата",
    "/settings tz Москва — часовой пояс: город, смещение от UTC или название пояса",
    "/subscribe Казахстан uz 08:30 — ежедневная сводка курсов и новостей в удобное время",
]
HELP_KK = [
    "Мен не істей аламын",
    "/rates — 1 USD үшін KZT, KGS, UZS, TJS, TMT (және басқа) ресми бағамдары",
    "/rates kzt rub — тек өзіңіз атаған валюталар",
    "/convert 10 000 kzt usd — ресми бағамдар бойынша USD арқылы айырбастау",
    "/convert 1 000,50 теңге сомға — соманы әдеттегідей, кез келген ретпен жазуға болады",
    "/chart kzt 90d — 7 күн, 30 күн, 90 күн, не болмаса 1 жыл кезеңіне график",
    "/news — соңғы жаңалықтар, бет-бетімен",
    "/news сүт бағасы — сұрағыңызға сай жаңалықтар",
    "/country Қырғызстан — елдің туы, валютасы, бағамы және жаңалықтары (кез келген тілде)",
    "/lang — тілді таңдау",
    "/lang орысша — тілді бірден ауыстыру",
    "/settings — осы чаттың тілі, уақыт белдеуі және шолуы",
    "/settings tz Астана — уақыт белдеуі: қала, UTC-ден ығысу не белдеу атауы",
]
# (language, what is typed, the exact answer)
EXACT: list[tuple[str, str, str]] = [
    (
        "ru",
        "/settings tz Mars",
        "«Mars» — не знакомый мне часовой пояс. Напишите город, смещение от UTC или название "
        "пояса, например /settings tz Ташкент, /settings tz +5 или /settings tz Asia/Almaty.",
    ),
    (
        "ru",
        "/settings time 25:99",
        "«25:99» — это не время суток. Напишите часы и минуты от 00:00 до 23:59, например "
        "/settings time 08:30.",
    ),
    (
        "ru",
        "/settings countries Atlantis",
        "«Atlantis» — это не страна Центральной Азии и не время.\n"
        "Назовите страны Центральной Азии, например /settings countries Казахстан uz.",
    ),
    (
        "ru",
        "/subscribe Atlantis",
        "«Atlantis» — это не страна Центральной Азии и не время.\nУкажите страны и время, и то "
        "и другое необязательно, например /subscribe Казахстан uz 08:30. Без них — все пять "
        "стран в 09:00.",
    ),
    (
        "ru",
        "/lang xx",
        "«xx» — не язык, на котором я говорю. Напишите, например, /lang kk или /lang казахский, "
        "или отправьте просто /lang, чтобы выбрать кнопкой.",
    ),
    (
        "kk",
        "/settings tz Mars",
        "«Mars» — мен білетін уақыт белдеуі емес. Қаланы, UTC-ден ығысуды не белдеу атауын "
        "жазыңыз, мысалы /settings tz Алматы, /settings tz +5 немесе /settings tz Asia/Almaty.",
    ),
    (
        "kk",
        "/settings time 25:99",
        "«25:99» — тәулік уақыты емес. Сағат пен минутты 00:00-ден 23:59-ға дейін жазыңыз, "
        "мысалы /settings time 08:30.",
    ),
    (
        "kk",
        "/subscribe Atlantis",
        "«Atlantis» — Орталық Азия елі де, уақыт та емес.\nЕлдер мен уақытты жазыңыз, екеуі де "
        "міндетті емес, мысалы /subscribe Қазақстан uz 08:30. Оларсыз: бес елдің бәрі, "
        "сағат 09:00.",
    ),
    (
        "kk",
        "/lang xx",
        "«xx» — мен білетін тіл емес. Мысалы, /lang ru немесе /lang орысша деп жазыңыз, не "
        "батырмалар үшін жай ғана /lang жіберіңіз.",
    ),
]


@pytest.fixture
async def banks(
    database_url: str, sessions: async_sessionmaker[AsyncSession]
) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    """A store with the five home banks' rates, and a day before for NBK's chart.

    Demo data only ever goes into an empty store, so the chart needs a real second day.
    """
    await add_usd_rates(sessions)
    earlier = RateQuote("KZT", Decimal("470.12"), None, date(2026, 11, 26), "nbk")
    async with sessions() as session, session.begin():
        await add_rates(session, [earlier])
    yield sessions


def _text(message: BotMessage) -> str:
    return message.text or message.caption or ""


@pytest.mark.parametrize("lang", ["ru", "kk"])
async def test_help_in_russian_and_kazakh(
    database_url: str, sessions: async_sessionmaker[AsyncSession], lang: str
) -> None:
    async with running_bot(database_url, sessions, language_code=lang) as bench:
        lines = _text(only(await bench.chat.send("/help"))).splitlines()
    expected = HELP_RU if lang == "ru" else HELP_KK
    assert lines[: len(expected)] == expected
    assert "сом в сумы" not in "\n".join(lines) or lang == "ru"


@pytest.mark.parametrize(("lang", "typed", "answer"), EXACT)
async def test_errors_name_the_exact_problem(
    database_url: str,
    sessions: async_sessionmaker[AsyncSession],
    lang: str,
    typed: str,
    answer: str,
) -> None:
    async with running_bot(database_url, sessions, language_code=lang) as bench:
        assert _text(only(await bench.chat.send(typed))) == answer
        prefs = await _prefs(bench)
    assert prefs is None or (prefs.timezone is None and prefs.language in (None, lang))


async def _prefs(bench: Bench) -> ChatPrefs | None:
    async with bench.sessions() as session:
        return await get_chat(session, bench.chat.id)


async def test_rates_with_bank_names_in_russian_and_kazakh(
    database_url: str, banks: async_sessionmaker[AsyncSession]
) -> None:
    async with running_bot(database_url, banks, demo=False, language_code="ru") as bench:
        rates = only(await bench.chat.send("/rates kzt uzs"))
        assert rates.text.splitlines() == [
            "Официальные курсы за 1 USD",
            "🇰🇿 KZT    472,31  ▼ 2,78 27 нояб. 2026\u202fг. НБРК",
            "🇺🇿 UZS 12\xa0195,07 ▲ 15,50 27 нояб. 2026\u202fг. ЦБ РУз",
        ]
        assert [b.text for b in rates.flat_buttons][-1] == "💱 Другая сумма"
        none = only(await bench.chat.send("/chart tjs 7d"))
        assert none.text == (
            "За 7 дней есть курс TJS только за 1 день, а для графика нужно хотя бы два. "
            "Возьмите период длиннее, например /chart tjs 1y"
        )
        only(await bench.chat.send("/lang kk"))
        rates = only(await bench.chat.send("/rates kgs"))
        assert rates.text.splitlines()[1] == (
            "🇰🇬 KGS 87,4500 ▲ 0,1000 2026\u202fж. 27 қар. Қырғызстан ҰБ"
        )


@pytest.mark.parametrize(
    ("lang", "caption", "buttons"),
    [
        ("en", "Nov 25, 2026 – Nov 27, 2026", ["7 days", "90 days", "1 yr"]),
        ("ru", "25 нояб. 2026\u202fг. – 27 нояб. 2026\u202fг.", ["7 дн.", "90 дн.", "1 г."]),
        ("kk", "2026\u202fж. 25 қар. – 2026\u202fж. 27 қар.", ["7 күн", "90 күн", "1 ж."]),
        ("tg", "25 Ноя 2026 – 27 Ноя 2026", ["7 рӯз", "90 рӯз", "1 сол"]),
    ],
)
async def test_chart_periods_are_cldr_units(
    database_url: str,
    sessions: async_sessionmaker[AsyncSession],
    lang: str,
    caption: str,
    buttons: list[str],
) -> None:
    async with running_bot(database_url, sessions, language_code=lang) as bench:
        chart = only(await bench.chat.send("/chart kzt 30d"))
        assert chart.caption is not None and chart.caption.splitlines()[1] == caption
        assert [b.text for b in chart.flat_buttons] == buttons
        again = only(await bench.chat.press(chart, buttons[0]))
    assert again.photo is not None


@pytest.mark.parametrize("lang", [lang for lang in LANGUAGES if lang != "en"])
async def test_every_screen_walked_in_each_language(
    database_url: str, banks: async_sessionmaker[AsyncSession], lang: str
) -> None:
    async with running_bot(database_url, banks, language_code=lang) as bench:
        replies: list[BotMessage] = []
        for typed in ("/help", "/rates", "/chart kzt 30d", "/settings", "/subscribe", "/lang"):
            replies += await bench.chat.send(typed)
        replies += await bench.chat.send("/settings tz Mars")
        replies += await bench.chat.send("/settings time 25:99")
        texts = [_text(m) for m in replies] + [b.text for m in replies for b in m.flat_buttons]
        chart = next(m for m in replies if m.photo is not None)
        assert all(not b.text.endswith(("d", "y")) for b in chart.flat_buttons), lang
    assert bank_name("nbk", lang) in "\n".join(texts)
    # Zone ids (Asia/Almaty), commands, @names and the languages' own names are not English.
    readable = [_LINK.sub(" ", t) for t in texts if t not in NATIVE_NAMES.values()]
    left = english_left("\n".join(readable), lang)
    assert left == [], f"{lang}: English left: {left}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_help_examples_work_as_written(lang: str) -> None:
    """Each language's examples are its own, and each does what /help says it does."""
    with in_language(lang):
        commands = {cmd.split()[0]: cmd for cmd, _what in help_examples() if " " in cmd}
    args = {name: cmd.split(" ", 1)[1] for name, cmd in commands.items()}
    assert all(find_currency(word) for word in args["/rates"].split())
    assert isinstance(parse_conversion(args["/convert"]), ConversionRequest)
    assert parse_chart_args(args["/chart"]) is not None
    assert lookup_country(args["/country"]) is not None
    assert language_named(args["/lang"]) is not None
    assert parse_time_zone(args["/settings"].removeprefix("tz ")) is not None
    assert parse_subscribe_words(args["/subscribe"]).countries
    if lang != "en":
        assert "milk" not in args["/news"] and "Kyrgyzstan" not in args["/country"]


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("ru", "ru"),
        ("KK", "kk"),
        ("русский", "ru"),
        ("Қазақша", "kk"),
        ("казахский", "kk"),
        ("Kazakh", "kk"),
        ("oʻzbekcha", "uz"),
        ("o'zbek", "uz"),
        ("кыргызча", "ky"),
        ("тоҷикӣ", "tg"),
        ("таджикский", "tg"),
        ("Türkmençe", "tk"),
        ("туркменский", "tk"),
        ("English", "en"),
        ("ағылшын тілі", "en"),
        ("орысша", "ru"),
        ("rusça", "ru"),
        ("türkmen dili", "tk"),
    ],
)
async def test_lang_by_code_or_name_switches_at_once(
    database_url: str, sessions: async_sessionmaker[AsyncSession], typed: str, code: str
) -> None:
    async with running_bot(database_url, sessions, demo=False, language_code="de") as bench:
        reply = only(await bench.chat.send(f"/lang {typed}"))
        assert not reply.flat_buttons  # no keyboard: switched already
        prefs = await _prefs(bench)
    expected = translation(code).gettext("I will answer in {language} from now on.")
    assert reply.text == expected.format(language=NATIVE_NAMES[code])
    assert prefs is not None and prefs.language == code


@pytest.mark.parametrize(
    ("city", "zone"),
    [
        ("Ташкент", "Asia/Tashkent"),
        ("Toshkent", "Asia/Tashkent"),
        ("Алматы", "Asia/Almaty"),
        ("Almaty", "Asia/Almaty"),
        ("Бишкек", "Asia/Bishkek"),
        ("Bişkek", "Asia/Bishkek"),
        ("Душанбе", "Asia/Dushanbe"),
        ("Ашхабад", "Asia/Ashgabat"),
        ("Aşgabat", "Asia/Ashgabat"),
        ("Ашхобод", "Asia/Ashgabat"),
        ("Ақтау", "Asia/Aqtau"),
        ("Астана", "Asia/Almaty"),
        ("Самарқанд", "Asia/Samarkand"),
        ("Мәскеу", "Europe/Moscow"),
        ("Qoʻstanay", "Asia/Qostanay"),
        ("Qo'stanay", "Asia/Qostanay"),
        ("Asia/Tashkent", "Asia/Tashkent"),
        ("+5", "UTC+05:00"),
    ],
)
def test_time_zones_by_city_in_every_language_and_script(city: str, zone: str) -> None:
    assert parse_time_zone(city) == zone


@pytest.mark.parametrize("city", ["Mars", "Атлантида", "Russia", "Tokyo Disneyland", "ы" * 70])
def test_places_without_one_zone_are_refused(city: str) -> None:
    assert parse_time_zone(city) is None


async def test_settings_tz_by_a_city_name_is_stored(
    database_url: str, sessions: async_sessionmaker[AsyncSession]
) -> None:
    async with running_bot(database_url, sessions, demo=False, language_code="ru") as bench:
        reply = only(await bench.chat.send("/settings tz Бишкек"))
        assert reply.text.startswith("Сохранено.\n\nНастройки чата")
        assert "Часовой пояс: Asia/Bishkek (UTC+06:00)" in reply.text
        prefs = await _prefs(bench)
    assert prefs is not None and prefs.timezone == "Asia/Bishkek"


async def test_other_amount_answers_in_the_chat_language(
    database_url: str, sessions: async_sessionmaker[AsyncSession]
) -> None:
    """The inline answer behind "Other amount" follows /lang, not the Telegram client."""
    async with running_bot(database_url, sessions, language_code="en") as bench:
        only(await bench.chat.send("/lang ru"))
        rates = only(await bench.chat.send("/rates kzt"))
        other = next(b for b in rates.flat_buttons if b.switch_inline_query_current_chat)
        assert other.text == "💱 Другая сумма"
        results = await bench.chat.inline(other.switch_inline_query_current_chat or "")
        only(await bench.chat.send("/lang kk"))
        kazakh = await bench.chat.inline("100 usd kzt")
    assert results[0]["description"] == "На 27 нояб. 2026\u202fг., источник: демо-данные"
    assert "Курс: 1 USD = 518,8999 KZT" in results[0]["input_message_content"]["message_text"]
    assert kazakh[0]["description"] == "2026\u202fж. 27 қар. күнгі, дереккөз: демо деректер"


async def test_a_person_without_a_choice_gets_their_telegram_language_inline(
    database_url: str, sessions: async_sessionmaker[AsyncSession]
) -> None:
    async with running_bot(database_url, sessions, language_code="kk") as bench:
        results = await bench.chat.inline("100 usd kzt")
    assert results[0]["description"].endswith("дереккөз: демо деректер")


@pytest.mark.parametrize(
    ("lang", "names"),
    [
        ("en", ["NBK", "NBKR", "CBU", "NBT", "CBT", "CBR"]),
        ("ru", ["НБРК", "НБКР", "ЦБ РУз", "НБТ", "ЦБ Туркменистана", "ЦБ РФ"]),
        ("tg", ["БМ Қазоқистон", "БМ Қирғизистон", "БМ Ӯзбекистон", "БМТ", "БМ Туркманистон"]),
    ],
)
def test_bank_names_in_the_reader_language(lang: str, names: list[str]) -> None:
    banks = ["nbk", "nbkr", "cbu", "nbt", "cbt", "cbr"]
    assert [bank_name(bank, lang) for bank in banks][: len(names)] == names
    assert bank_name("ticker", lang) == "TICKER"
