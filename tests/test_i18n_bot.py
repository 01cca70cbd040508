"""Every command, button, inline query and free text in all seven languages, through the bot.

A person whose Telegram speaks one of the six non-English languages walks through
everything the bot answers; no English of ours may be left in what they read (story
titles, codes, links and command names aside). Also: the command menu per language,
how the language is chosen, and that /lang outlives a restart.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot_api_emulator import BotMessage
from handlers.start import command_menu
from locales import DEFAULT_LANGUAGE, LANGUAGES, NATIVE_NAMES, in_language, translation
from storage.stories import list_latest_stories
from tests.bot_bench import TODAY, Bench, only, running_bot
from tests.digest_support import add_story, add_usd_rates, run_pass
from tests.english_detector import english_left, english_markers, quoted_words
from views.formatting import number

TRANSLATED = [lang for lang in LANGUAGES if lang != DEFAULT_LANGUAGE]
# Links, @names, /commands and time zone ids (Asia/Tashkent) are not sentences of ours.
_LINK = re.compile(r"https?://\S+|@\w+|\b[A-Z][a-z]+/[A-Za-z_]+|/\w+")

# What a person types, in the order they might: every command with good, bad and
# hostile arguments, and free text in private chat.
TYPED = [
    "/start",
    "/help",
    "/rates",
    "/rates kzt uzs",
    "/rates xyz",
    "/rates " + "x" * 500,
    "/convert",
    "/convert 100 usd kzt",
    "/convert 1000 kzt",
    "/convert 100 usd usd",
    "/convert -5 usd kzt",
    "/convert 1e999 usd kzt",
    "/convert 100 abc kzt",
    "/convert <b>1</b> usd",
    "/convert '; DROP TABLE chats; --",
    "/chart kzt 30d",
    "/chart",
    "/chart xyz 30d",
    "/chart kzt 5y",
    "/news",
    "/news milk",
    "/news zzzqqqxxx",
    "/country",
    "/country KZ",
    "/country Atlantis",
    "/lang",
    "/settings",
    "/settings tz +6",
    "/settings tz Mars/Olympus",
    "/settings time 7.45",
    "/settings time 25:00",
    "/subscribe Atlantis 25:00",
    "/subscribe <b>kz</b>",
    "/subscribe kz uz 08:30",
    "/subscribe",
    "/unsubscribe",
    "/unsubscribe",
    "/nosuchcommand",
    "100 usd kzt",
    "Tajikistan",
    "milk",
    "0 usd kzt",
]
INLINE = ["100 usd kzt", "100 usd", "milk", ""]


@pytest.fixture(params=TRANSLATED)
async def bench(
    request: pytest.FixtureRequest,
    database_url: str,
    sessions: async_sessionmaker[AsyncSession],
) -> AsyncIterator[Bench]:
    async with running_bot(database_url, sessions, language_code=request.param) as running:
        yield running


def _language(bench: Bench) -> str:
    code = bench.aida.language_code
    assert code is not None
    return code


async def _quoted(bench: Bench) -> frozenset[str]:
    """The words of every stored story, which replies quote as they were written."""
    async with bench.sessions() as session:
        return quoted_words(await list_latest_stories(session, limit=100_000))


def _readable(message: BotMessage) -> list[str]:
    """The text and button labels of a message, without links and command names."""
    pieces = [message.text, *(button.text for button in message.flat_buttons)]
    return [_LINK.sub(" ", piece) for piece in pieces]


def _assert_no_english(
    where: str, texts: list[str], lang: str, quoted: frozenset[str] = frozenset()
) -> None:
    left = english_left("\n".join(texts), lang, quoted)
    assert left == [], f"{lang}: English in the answer to {where!r}: {left}\n" + "\n".join(texts)


def test_the_detector_finds_english_in_an_english_reply() -> None:
    """The check below can fail: our English source words are markers in every language."""
    with in_language(DEFAULT_LANGUAGE):
        english = " ".join(command.description for command in command_menu())
    for lang in TRANSLATED:
        assert english_markers(lang), lang
        # A translated catalog does not use words such as "exchange" or "amount": the
        # English menu shown to a reader of ``lang`` is caught, word by word.
        menu_words = set(re.findall(r"[A-Za-z]{3,}", english.lower()))
        left = english_left(english, lang)
        assert len(left) * 2 >= len(menu_words), (lang, left)


async def test_every_command_answers_without_english(bench: Bench) -> None:
    lang, quoted = _language(bench), await _quoted(bench)
    found: dict[str, list[str]] = {}
    for text in TYPED:
        replies = await bench.chat.send(text)
        assert replies, f"no answer to {text!r}"
        left = english_left("\n".join(t for m in replies for t in _readable(m)), lang, quoted)
        if left:
            found[text] = left
    assert found == {}, f"{lang}: English left in the answers"


async def test_every_button_answers_without_english(bench: Bench) -> None:
    lang, quoted = _language(bench), await _quoted(bench)
    start = only(await bench.chat.send("/start"))
    for index in range(len(start.flat_buttons)):
        pressed = await bench.chat.press(start, index)
        _assert_no_english(
            f"/start button {index}", [t for m in pressed for t in _readable(m)], lang, quoted
        )
    rates = only(await bench.chat.press(start, 0))
    chart = only(await bench.chat.press(rates, 0))
    assert chart.photo is not None
    _assert_no_english("chart button", _readable(chart), lang, quoted)
    conversion = only(await bench.chat.press(rates, len(rates.flat_buttons) - 2))
    _assert_no_english("conversion button", _readable(conversion), lang, quoted)
    news = only(await bench.chat.send("/news"))
    more = await bench.chat.press(news, len(news.flat_buttons) - 1)
    _assert_no_english("next page", [t for m in more for t in _readable(m)], lang, quoted)
    countries = only(await bench.chat.send("/country"))
    brief = only(await bench.chat.press(countries, 1))
    _assert_no_english("country button", _readable(brief), lang, quoted)
    if brief.flat_buttons:
        more_news = await bench.chat.press(brief, 0)
        _assert_no_english(
            "country more", [t for m in more_news for t in _readable(m)], lang, quoted
        )
    settings = only(await bench.chat.send("/settings"))
    for index in range(len(settings.flat_buttons)):
        menu = await bench.chat.press(settings, index)
        _assert_no_english("settings", [t for m in menu for t in _readable(m)], lang, quoted)


async def test_inline_results_have_no_english(bench: Bench) -> None:
    lang, quoted = _language(bench), await _quoted(bench)
    for query in INLINE:
        results = await bench.chat.inline(query)
        texts: list[str] = []
        for result in results:
            content = result.get("input_message_content") or {}
            texts += [
                str(result.get("title", "")),
                str(result.get("description", "")),
                re.sub(r"<[^>]+>", " ", str(content.get("message_text", ""))),
            ]
        _assert_no_english(f"@bot {query}", [_LINK.sub(" ", t) for t in texts], lang, quoted)


async def test_the_command_menu_is_set_in_every_language(bench: Bench) -> None:
    lang = _language(bench)
    english = bench.emu.commands()
    with in_language(DEFAULT_LANGUAGE):
        assert english == [c.to_dict() for c in command_menu()]
    menu = bench.emu.commands(language_code=lang)
    with in_language(lang):
        assert menu == [c.to_dict() for c in command_menu()], lang
    # Same commands in the same order; only the descriptions change.
    assert [c["command"] for c in menu] == [c["command"] for c in english]
    _assert_no_english("menu", [c["description"] for c in menu], lang)


@pytest.mark.parametrize(
    ("telegram_code", "expected"),
    [
        ("ru-RU", "ru"),
        ("kk-KZ", "kk"),
        ("uz-Latn", "uz"),
        ("uz_UZ", "uz"),
        ("ky", "ky"),
        ("tg-TJ", "tg"),
        ("TK", "tk"),
        ("de", DEFAULT_LANGUAGE),
        ("", DEFAULT_LANGUAGE),
    ],
)
async def test_the_telegram_language_is_used_when_the_chat_chose_none(
    database_url: str,
    sessions: async_sessionmaker[AsyncSession],
    telegram_code: str,
    expected: str,
) -> None:
    async with running_bot(database_url, sessions, language_code=telegram_code) as bench:
        reply = only(await bench.chat.send("/settings"))
        assert NATIVE_NAMES[expected] in reply.text
        conversion = only(await bench.chat.send("/convert 1000 usd kzt")).text
    with in_language(expected):
        assert number(Decimal(1000)) in conversion


async def test_the_chat_choice_beats_the_telegram_language(
    database_url: str, sessions: async_sessionmaker[AsyncSession]
) -> None:
    async with running_bot(database_url, sessions, language_code="ru") as bench:
        menu = only(await bench.chat.send("/lang"))
        assert [b.text for b in menu.flat_buttons] == [NATIVE_NAMES[code] for code in LANGUAGES]
        only(await bench.chat.press(menu, NATIVE_NAMES["kk"]))
        heading = only(await bench.chat.send("/rates")).text.splitlines()[0]
        assert heading == translation("kk").gettext("Official rates per 1 USD")


async def test_lang_persists_across_a_restart(
    database_url: str, sessions: async_sessionmaker[AsyncSession]
) -> None:
    async with running_bot(database_url, sessions, language_code="en") as first:
        assert "Nov 27, 2026" in only(await first.chat.send("/rates")).text
        menu = only(await first.chat.send("/lang"))
        only(await first.chat.press(menu, "Русский"))
    # A new Application (and emulator) on the same database: the choice was stored.
    async with running_bot(database_url, sessions, demo=False, language_code="en") as second:
        rates = only(await second.chat.send("/rates")).text
        assert "27 нояб. 2026\u202fг." in rates
        assert "Казахстан" in only(await second.chat.send("/country KZ")).text


async def test_russian_and_english_numbers(
    database_url: str, sessions: async_sessionmaker[AsyncSession]
) -> None:
    async with running_bot(database_url, sessions, language_code="en") as bench:
        english = only(await bench.chat.send("/convert 25.5 usd kzt")).text
    async with running_bot(database_url, sessions, demo=False, language_code="ru") as bench:
        russian = only(await bench.chat.send("/convert 25,5 usd kzt")).text
    # 25.5 USD is about 13,000 KZT: grouped with a comma in English, a (no-break) space
    # in Russian, whose decimal mark is a comma.
    assert re.search(r"= 1\d,\d{3}\.\d{2} KZT", english), english
    assert re.search(r"= 1\d\u00a0\d{3},\d{2} KZT", russian), russian
    assert re.search(r"^25,5 USD", russian), russian


async def test_the_rates_table_stays_aligned_in_every_language(
    database_url: str, sessions: async_sessionmaker[AsyncSession]
) -> None:
    for lang in LANGUAGES:
        async with running_bot(
            database_url, sessions, demo=lang == LANGUAGES[0], language_code=lang
        ) as bench:
            reply = only(await bench.chat.send("/rates"))
        table = reply.html.split("<pre>")[1].split("</pre>")[0].splitlines()
        assert len(table) >= 5, table
        # Rates and changes are right-aligned and dates padded: everything before the
        # source (the last word) has one width, whatever the language's digits look like.
        width = {len(line.rsplit(" ", 1)[0]) for line in table if "⚠️" not in line}
        assert len(width) == 1, (lang, table)


async def test_the_daily_digest_has_no_english(bench: Bench) -> None:
    """The digest, with stories and with nothing new, in the language the chat subscribed in."""
    lang = _language(bench)
    zone = ZoneInfo("Asia/Almaty")  # TIMEZONE's default
    day = TODAY.astimezone(zone).date() + timedelta(days=1)
    at_nine = datetime.combine(day, time(9, 0), tzinfo=zone)
    await bench.chat.send("/subscribe 08:30")
    await add_usd_rates(bench.sessions)
    title = "Tashkent opens a new metro line"
    await add_story(bench.sessions, title, countries="UZ", fetched=at_nine - timedelta(hours=2))
    quoted = await _quoted(bench)
    for now in (at_nine, at_nine + timedelta(days=1)):  # then nothing new the next day
        report = await run_pass(bench.sessions, bench.emu, now)
        assert report.sent == 1
        digest = bench.emu.messages_in(bench.chat.id)[-1]
        _assert_no_english(f"digest at {now}", _readable(digest), lang, quoted)
