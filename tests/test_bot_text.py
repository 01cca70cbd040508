"""Free text in both languages, groups, inline mode and hostile input, through the emulator."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.types import StoryDraft
from storage.stories import add_stories
from tests.bot_bench import BOT, Bench, only, running_bot

HOSTILE_TITLE = 'Prices <b>up</b> & "down" <script>alert(1)</script> in Almaty'


@pytest.mark.parametrize(
    ("text", "first_line"),
    [
        ("100 usd to kzt", "100 USD = "),
        ("1000 сом в сумы", "1,000 KGS = "),
        ("5k som in sum", "5,000 KGS = "),
        ("сколько будет 250 евро в рублях", "250 EUR = "),
    ],
)
async def test_free_text_conversions_are_answered_as_convert(
    bench: Bench, text: str, first_line: str
) -> None:
    reply = only(await bench.chat.send(text))
    assert reply.text.startswith(first_line), reply.text
    assert "source: demo data" in reply.text


@pytest.mark.parametrize(
    ("text", "heading"),
    [
        ("Tajikistan", "🇹🇯 Tajikistan"),
        ("Таджикистан", "🇹🇯 Tajikistan"),
        ("ташкент", "🇺🇿"),
        ("uzbekistan news", "🇺🇿 Uzbekistan"),
        ("новости Кыргызстана", "🇰🇬 Kyrgyzstan"),
    ],
)
async def test_free_text_country_names_get_the_brief(bench: Bench, text: str, heading: str) -> None:
    reply = only(await bench.chat.send(text))
    assert reply.text.startswith(heading)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("milk output", "milk output"),
        ("выставка ремёсел", "выставка народных ремёсел"),
        # Short, and names a country, but asks about something: a question, not a brief.
        ("milk output kazakhstan", "milk output"),
    ],
)
async def test_free_text_questions_get_matching_stories(
    bench: Bench, question: str, expected: str
) -> None:
    reply = only(await bench.chat.send(question))
    assert reply.text.startswith("Stories about")
    assert expected in reply.text.lower()
    assert reply.text.count("\n\n") <= 3  # at most the three best


@pytest.mark.parametrize("text", ["rogun", "Issyk-Kul", "Baikonur", "Aral", "Иссык-Куль"])
async def test_free_text_naming_a_place_searches_and_never_opens_a_country_card(
    bench: Bench, text: str
) -> None:
    reply = only(await bench.chat.send(text))
    assert reply.text.startswith(("Stories about", "No stories match")), reply.text
    assert text in reply.text


@pytest.mark.parametrize("text", ["qwxzv plorth", "?!", "🙂🙂🙂", "null", "' OR 1=1 --"])
async def test_free_text_without_matches_says_so(bench: Bench, text: str) -> None:
    reply = only(await bench.chat.send(text))
    assert "No stories match" in reply.text and "/news" in reply.text


async def test_free_text_conversion_mistakes_are_explained(bench: Bench) -> None:
    reply = only(await bench.chat.send("-5 usd to kzt"))
    assert "above zero" in reply.text and "e.g. /convert 100 usd kzt" in reply.text


async def test_groups_answer_commands_only(bench: Bench) -> None:
    group = bench.emu.group_chat(title="Team", chat_id=-1001234567890, admins=[bench.aida])
    assert only(await group.send(f"/rates@{BOT}", from_user=bench.aida)).text.startswith(
        "Official rates"
    )
    assert only(await group.send("/convert 100 usd kzt", from_user=bench.aida))
    assert await group.send("100 usd to kzt", from_user=bench.aida) == []
    assert await group.send("Tajikistan", from_user=bench.aida) == []
    assert await group.send("/rates@SomeOtherBot", from_user=bench.aida) == []
    assert await group.send("/frobnicate", from_user=bench.aida) == []


async def test_only_group_admins_change_the_group_language(bench: Bench) -> None:
    boss = bench.emu.user(2002, first_name="Boss")
    group = bench.emu.group_chat(title="Team", chat_id=-1009, admins=[boss])
    menu = only(await group.send("/lang", from_user=bench.aida))
    assert await group.press(menu, "Русский", from_user=bench.aida) == []
    assert bench.emu.callback_answers[-1].get("show_alert") is True
    done = only(await group.press(menu, "Русский", from_user=boss))
    assert "Язык: Русский" in done.text


async def test_inline_conversion(bench: Bench) -> None:
    results = await bench.chat.inline("100 usd kzt")
    assert len(results) == 1
    assert results[0]["title"].startswith("100 USD = ")
    assert "source: demo data" in results[0]["description"]


async def test_inline_conversion_without_target_offers_several(bench: Bench) -> None:
    results = await bench.chat.inline("100 usd")
    assert {r["title"].rsplit(" ", 1)[1] for r in results} == {"KZT", "KGS", "UZS", "TJS", "TMT"}


async def test_inline_questions_and_empty_queries_give_stories(bench: Bench) -> None:
    found = await bench.chat.inline("milk")
    assert found and all("milk" in r["title"].lower() for r in found)
    latest = await bench.chat.inline("")
    assert 1 <= len(latest) <= 50
    assert all(len(r["id"].encode()) <= 64 for r in latest)


async def test_inline_results_never_exceed_fifty(
    database_url: str, sessions: async_sessionmaker[AsyncSession]
) -> None:
    when = datetime(2026, 11, 20, tzinfo=UTC)
    drafts = [
        StoryDraft(title=f"Cotton harvest report number {n}", source="test", published=when)
        for n in range(80)
    ]
    async with sessions() as session, session.begin():
        await add_stories(session, drafts)
    async with running_bot(database_url, sessions) as bench:
        results = await bench.chat.inline("cotton harvest")
    assert 1 <= len(results) <= 50


async def test_hostile_story_titles_are_escaped_everywhere(
    database_url: str, sessions: async_sessionmaker[AsyncSession]
) -> None:
    draft = StoryDraft(
        title=HOSTILE_TITLE,
        source="<i>evil</i> & co",
        url="https://example.com/a?x=1&y=<2>",
        published=datetime(2026, 11, 27, 12, tzinfo=UTC),
        countries=("KZ",),
    )
    async with sessions() as session, session.begin():
        await add_stories(session, [draft])
    async with running_bot(database_url, sessions) as bench:
        news = only(await bench.chat.send("/news"))
        found = only(await bench.chat.send("/news script alert"))
        inline = await bench.chat.inline("script alert")
    for reply in (news, found):
        assert HOSTILE_TITLE in reply.text  # shown literally, not interpreted
        assert "<script>" not in reply.html and "&lt;script&gt;" in reply.html
        assert "<i>evil</i> &amp; co" not in reply.html
    assert inline and HOSTILE_TITLE in inline[0]["title"]


@pytest.mark.parametrize(
    "text",
    [
        "<b>bold</b>",
        "&",
        "<script>alert(1)</script>",
        "/news <b>&amp;</b> <script>",
        "/country <a href='x'>",
        "\u202e\u200b\x00 zero width",
        "𝕳𝖊𝖑𝖑𝖔 🇰🇿 Привет",
        "a" * 4096,
        "word " * 819,
    ],
)
async def test_hostile_or_huge_input_gets_a_valid_reply(bench: Bench, text: str) -> None:
    replies = await bench.chat.send(text)
    assert replies, "no answer"
    assert bench.emu.errors == []  # Telegram accepted every call
    assert "Sorry" not in replies[0].text
