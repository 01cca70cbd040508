"""Every command through the real Application and the emulator, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.exchange import make_conversion
from core.money import ConversionRequest
from handlers.start import command_menu
from storage.chats import get_chat
from storage.stories import count_stories
from tests.bot_bench import Bench, only, running_bot


async def test_start_greets_and_offers_rates_news_and_countries(bench: Bench) -> None:
    reply = only(await bench.chat.send("/start"))
    assert "Hello, Aida!" in reply.text
    assert [b.text for b in reply.flat_buttons] == ["💱 Rates", "📰 News", "🌏 Countries"]
    rates = only(await bench.chat.press(reply, "Rates"))
    assert "Official rates per 1 USD" in rates.text
    news = only(await bench.chat.press(reply, "News"))
    assert news.text.startswith("Latest stories, 1–5")
    countries = only(await bench.chat.press(reply, "Countries"))
    assert len(countries.flat_buttons) == 5


async def test_help_lists_every_command_with_an_example(bench: Bench) -> None:
    reply = only(await bench.chat.send("/help"))
    for command in command_menu():
        assert f"/{command.command}" in reply.text
    assert "/convert 100 usd kzt" in reply.text
    assert "@CentralAsiaNewsBot" in reply.text


async def test_start_sets_the_command_menu(bench: Bench) -> None:
    calls = [params for method, params in bench.emu.calls if method == "setMyCommands"]
    assert calls, "setMyCommands was not called on start"


async def test_rates_show_every_currency_with_date_source_and_buttons(bench: Bench) -> None:
    reply = only(await bench.chat.send("/rates"))
    lines = reply.text.splitlines()
    for code in ("KZT", "KGS", "UZS", "TJS", "TMT", "RUB", "EUR", "CNY"):
        line = next(line for line in lines if f" {code} " in line)
        assert "Nov 27, 2026" in line and "demo data" in line
    assert "⚠️" not in reply.text
    assert reply.button("📈 KZT").callback_data == "chart:KZT:30d"
    converted = only(await bench.chat.press(reply, "100 USD → KZT"))
    assert converted.text.startswith("100 USD = ")


async def test_rates_of_named_currencies_in_the_asked_order(bench: Bench) -> None:
    reply = only(await bench.chat.send("/rates uzs тенге"))
    body = reply.text.splitlines()[1:]
    assert [line.split()[1] for line in body] == ["UZS", "KZT"]


async def test_rates_older_than_three_days_are_marked_stale(bench: Bench) -> None:
    bench.app.bot_data.clock = lambda: datetime(2026, 12, 5, tzinfo=UTC)
    reply = only(await bench.chat.send("/rates kzt"))
    assert "⚠️" in reply.text.splitlines()[1]
    assert "older than 3 days" in reply.text


@pytest.mark.parametrize("words", ["xyz", "usd", "<b>", "a" * 5000])
async def test_rates_with_an_unknown_currency_get_a_usage_line(bench: Bench, words: str) -> None:
    reply = only(await bench.chat.send(f"/rates {words}"[:4096]))
    assert "Usage: /rates" in reply.text and "e.g. /rates kzt uzs" in reply.text


async def test_convert_shows_result_rate_date_and_source(bench: Bench) -> None:
    expected = make_conversion(
        ConversionRequest(Decimal(100), "USD", "KZT"),
        "KZT",
        await bench.current_rates(),  # type: ignore[arg-type]
    )
    reply = only(await bench.chat.send("/convert 100 usd kzt"))
    assert not isinstance(expected, type(None))
    assert f"= {expected.result:,f} KZT" in reply.text  # type: ignore[union-attr]
    assert "Rate: 1 USD = " in reply.text
    assert "As of Nov 27, 2026, source: demo data" in reply.text


async def test_convert_reads_amounts_as_people_write_them(bench: Bench) -> None:
    reply = only(await bench.chat.send("/convert 1 000,50 KZT UZS"))
    assert reply.text.startswith("1,000.50 KZT = ")
    assert reply.text.splitlines()[0].endswith(" UZS")


async def test_convert_without_a_target_lists_every_currency(bench: Bench) -> None:
    reply = only(await bench.chat.send("/convert 100 usd"))
    assert reply.text.startswith("100 USD =")
    for code in ("KZT", "KGS", "UZS", "TJS", "TMT"):
        assert f" {code} · " in reply.text


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("/convert", "Usage: /convert"),
        ("/convert -5 usd kzt", "above zero"),
        ("/convert 0 usd kzt", "above zero"),
        ("/convert 99999999999999999999 usd kzt", "too large"),
        ("/convert hello world", "no amount"),
        ("/convert 100 usd usd", "same"),
        ("/convert 100 <script> kzt", "Usage: /convert"),
        ("/convert " + "9" * 4000, "too long"),
    ],
)
async def test_bad_conversions_get_a_reason_and_an_example(
    bench: Bench, text: str, reason: str
) -> None:
    reply = only(await bench.chat.send(text))
    assert reason in reply.text
    assert "e.g. /convert 100 usd kzt" in reply.text


async def test_chart_is_a_png_with_a_caption_and_period_buttons(bench: Bench) -> None:
    replies = await bench.chat.send("/chart kzt 7d")
    photo = only(replies)
    assert photo.photo is not None and photo.photo.startswith(b"\x89PNG\r\n\x1a\n")
    assert photo.caption is not None and "KZT per 1 USD" in photo.caption
    assert "Nov 25, 2026 – Nov 27, 2026" in photo.caption
    assert ("sendChatAction", {"chat_id": bench.chat.id, "action": "upload_photo"}) in [
        (method, {k: params.get(k) for k in ("chat_id", "action")})
        for method, params in bench.emu.calls
    ]
    assert [b.text for b in photo.flat_buttons] == ["30 days", "90 days", "1 yr"]  # CLDR short
    again = only(await bench.chat.press(photo, "1 yr"))
    assert again.photo is not None


async def test_chart_with_fewer_than_two_days_says_so(
    database_url: str, sessions: async_sessionmaker[AsyncSession]
) -> None:
    from bot.demo import DEMO_DIR
    from sources.ingest import Ingestor

    # One of the project's own demo pages: one day of rates.
    await Ingestor(sessions).ingest_paths([DEMO_DIR / "rates-2026-11-27.txt"])
    async with running_bot(database_url, sessions, demo=False) as bench:
        bench.app.bot_data.clock = lambda: datetime(2026, 11, 28, tzinfo=UTC)
        reply = only(await bench.chat.send("/chart kzt"))
    assert "Only 1 day of KZT rates is stored" in reply.text
    assert "needs at least two" in reply.text


@pytest.mark.parametrize(
    "text", ["/chart", "/chart xyz", "/chart kzt 2w", "/chart usd", "/chart kzt 7d 30d"]
)
async def test_chart_with_bad_arguments_gets_a_usage_line(bench: Bench, text: str) -> None:
    reply = only(await bench.chat.send(text))
    assert "Usage: /chart CUR [7d|30d|90d|1y], e.g. /chart kzt 90d" in reply.text


async def test_news_pages_through_the_stories(bench: Bench) -> None:
    first = only(await bench.chat.send("/news"))
    assert first.text.startswith("Latest stories, 1–5")
    assert first.text.count("\n\n") == 5  # heading and five stories
    assert all(link.get("url") for link in first.entities if link["type"] == "text_link")
    second = only(await bench.chat.press(first, "Older"))
    assert second.edited and second.message_id == first.message_id
    assert second.text.startswith("Latest stories, 6–10")
    back = only(await bench.chat.press(second, "Newer"))
    assert back.text == first.text


async def test_news_with_a_question_searches(bench: Bench) -> None:
    reply = only(await bench.chat.send("/news milk output"))
    assert "Stories about “milk output”" in reply.text
    assert "milk output" in reply.text.lower().split("\n", 1)[1]


async def test_country_without_a_name_offers_the_five(bench: Bench) -> None:
    reply = only(await bench.chat.send("/country"))
    names = [b.text for b in reply.flat_buttons]
    assert len(names) == 5 and any("Kyrgyzstan" in name for name in names)
    brief = only(await bench.chat.press(reply, "Kyrgyzstan"))
    assert brief.text.startswith("🇰🇬 Kyrgyzstan")


@pytest.mark.parametrize(
    ("name", "country"),
    [
        ("Kyrgyzstan", "🇰🇬 Kyrgyzstan"),
        ("Бишкек", "🇰🇬 Kyrgyzstan"),
        ("Қазақстан", "🇰🇿 Kazakhstan"),
        ("uzbekistn", "🇺🇿 Uzbekistan"),
        ("TJ", "🇹🇯 Tajikistan"),
        ("turkmen", "🇹🇲 Turkmenistan"),
    ],
)
async def test_country_brief_has_flag_currency_rate_and_stories(
    bench: Bench, name: str, country: str
) -> None:
    reply = only(await bench.chat.send(f"/country {name}"))
    assert reply.text.startswith(country)
    assert "per 1 USD (Nov 27, 2026, demo data)" in reply.text
    assert "Latest stories" in reply.text
    flag = country.split()[0]
    assert reply.text.splitlines()[1].count(flag) == 0  # the flag heads the brief, once


async def test_country_more_button_sends_the_next_stories(bench: Bench) -> None:
    brief = only(await bench.chat.send("/country kz"))
    more = only(await bench.chat.press(brief, "More stories"))
    assert not more.edited and more.text.startswith("Stories about Kazakhstan, 6–10")


@pytest.mark.parametrize("name", ["Atlantis", "<b>x</b>", "&amp;", "x" * 3000])
async def test_unknown_country_gets_a_usage_line(bench: Bench, name: str) -> None:
    reply = only(await bench.chat.send(f"/country {name}"))
    assert "Usage: /country NAME, e.g. /country Kyrgyzstan" in reply.text


async def test_lang_stores_the_chosen_language(bench: Bench) -> None:
    menu = only(await bench.chat.send("/lang"))
    assert [b.text for b in menu.flat_buttons] == [
        "English",
        "Русский",
        "Қазақша",
        "Oʻzbekcha",
        "Кыргызча",
        "Тоҷикӣ",
        "Türkmençe",
    ]
    settings = only(await bench.chat.press(menu, "Русский"))
    assert "Язык: Русский" in settings.text
    async with bench.sessions() as session:
        chat = await get_chat(session, bench.chat.id)
    assert chat is not None and chat.language == "ru"


async def test_settings_change_the_time_zone(bench: Bench) -> None:
    reply = only(await bench.chat.send("/settings"))
    assert "Time zone: Asia/Almaty" in reply.text
    zones = only(await bench.chat.press(reply, "Change time zone"))
    done = only(await bench.chat.press(zones, "Asia/Tashkent"))
    assert "Time zone: Asia/Tashkent" in done.text
    async with bench.sessions() as session:
        chat = await get_chat(session, bench.chat.id)
    assert chat is not None and chat.timezone == "Asia/Tashkent"


async def test_unknown_commands_and_buttons_are_answered(bench: Bench) -> None:
    reply = only(await bench.chat.send("/frobnicate"))
    assert "/help" in reply.text
    rates = only(await bench.chat.send("/rates"))
    # A forged button (clients can send any callback data) is refused politely.
    from bot_api_emulator.messages import Button

    rates.buttons = [[Button("forged", callback_data="news:-1:<b>")]]
    bench.emu.state.messages[(bench.chat.id, rates.message_id)].data["reply_markup"] = {
        "inline_keyboard": [[{"text": "forged", "callback_data": "news:-1:<b>"}]]
    }
    assert await bench.chat.press(rates, "forged") == []
    assert "no longer works" in bench.emu.callback_answers[-1]["text"]


async def test_news_last_page_heading_counts_only_the_stories_shown(
    bench: Bench, sessions: async_sessionmaker[AsyncSession]
) -> None:
    async with sessions() as session:
        stored = await count_stories(session)
    page = only(await bench.chat.send("/news"))
    while any(button.text.startswith("Older") for button in page.flat_buttons):
        page = only(await bench.chat.press(page, "Older"))
    first = (stored - 1) // 5 * 5 + 1
    assert page.text.startswith(f"Latest stories, {first}–{stored}\n")
