"""/alert and /alerts through the real bot and the emulator, in English, Russian, Kazakh
and Uzbek: set, list, delete, and bad input in every field."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from locales import translation
from tests.alert_support import store_rates, stored_alerts
from tests.bot_bench import Bench, only, running_bot

DAY = date(2026, 11, 27)


@pytest.fixture
async def bank(
    database_url: str, sessions: async_sessionmaker[AsyncSession]
) -> AsyncIterator[Bench]:
    """The bot with bank rates of 27 Nov (no demo data): 1 USD = 472.31 KZT, 87.45 KGS,
    12,195.07 UZS; so 1 KGS = 139.45... UZS."""
    await store_rates(sessions, DAY, KZT="472.31", KGS="87.45", UZS="12195.07", RUB="78.5")
    async with running_bot(database_url, sessions, demo=False) as running:
        yield running


async def test_set_list_and_delete_in_english(bank: Bench) -> None:
    chat = bank.chat
    reply = only(await chat.send("/alert usd kzt above 520"))
    assert "Alert set: USD/KZT above 520" in reply.text
    assert "1 USD = 472.31 KZT" in reply.text
    assert "Alerts in this chat: 1 of 10" in reply.text
    only(await chat.send("/alert kgs uzs below 139"))
    only(await chat.send("/alert usd kzt > 480"))
    alerts = await stored_alerts(bank.sessions)
    assert [(a.base, a.quote, a.direction, a.level) for a in alerts] == [
        ("USD", "KZT", "above", Decimal("520")),
        ("KGS", "UZS", "below", Decimal("139")),
        ("USD", "KZT", "above", Decimal("480")),
    ]
    assert all(a.armed and a.seen_as_of == DAY and a.fired == 0 for a in alerts)
    assert alerts[0].set_rate == Decimal("472.31")

    listing = only(await chat.send("/alerts"))
    assert "3 rate alerts of 10" in listing.text
    assert "1. USD/KZT above 520 · now 472.31" in listing.text
    assert "2. KGS/UZS below 139" in listing.text
    assert sum(len(row) for row in listing.buttons) == 3

    gone = only(await chat.press(listing, 1))
    assert "Alert deleted: KGS/UZS below 139." in gone.text
    again = only(await chat.press(listing, 1))
    assert "There is no such alert" in again.text
    off = only(await chat.send("/alert off 1"))
    assert "Alert deleted: USD/KZT above 520." in off.text
    assert [a.level for a in await stored_alerts(bank.sessions)] == [Decimal("480")]
    missing = only(await chat.send("/alert off 7"))
    assert "There is no such alert" in missing.text


async def test_a_level_without_direction_and_one_already_passed(bank: Bench) -> None:
    chat = bank.chat
    only(await chat.send("/alert usd kzt 450"))
    passed = only(await chat.send("/alert usd kzt above 460"))
    assert "The rate is already above 460" in passed.text
    assert "falls to 458.62 or lower" in passed.text
    alerts = await stored_alerts(bank.sessions)
    assert [(a.direction, a.armed) for a in alerts] == [("below", True), ("above", False)]


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        (
            "ru",
            "/alert сообщи, когда доллар будет дороже 520 тенге",
            "Оповещение создано: USD/KZT выше 520",
        ),
        (
            "kk",
            "/alert доллар 520 теңгеден асса хабарла",
            "Ескерту қойылды: USD/KZT 520 деңгейінен жоғары",
        ),
        (
            "uz",
            "/alert dollar 12 300 so'mdan oshsa xabar ber",
            "USD/UZS 12\xa0300 darajasidan yuqori",
        ),
        ("en", "/alert tell me when the dollar passes 520 tenge", "USD/KZT above 520"),
    ],
)
async def test_natural_forms_after_the_command(
    database_url: str,
    sessions: async_sessionmaker[AsyncSession],
    language: str,
    text: str,
    expected: str,
) -> None:
    await store_rates(sessions, DAY, KZT="472.31", UZS="12195.07")
    async with running_bot(database_url, sessions, demo=False, language_code=language) as bench:
        reply = only(await bench.chat.send(text))
        assert expected in reply.text
        alerts = await stored_alerts(sessions)
        assert len(alerts) == 1 and alerts[0].base == "USD" and alerts[0].direction == "above"


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("ru", "сообщи, когда доллар будет дороже 520 тенге"),
        ("kk", "доллар 520 теңгеден асса хабарла"),
        ("uz", "dollar 12 300 so'mdan oshsa xabar ber"),
        ("en", "notify me when usd kzt goes above 520"),
    ],
)
async def test_natural_forms_in_free_text(
    database_url: str, sessions: async_sessionmaker[AsyncSession], language: str, text: str
) -> None:
    await store_rates(sessions, DAY, KZT="472.31", UZS="12195.07")
    async with running_bot(database_url, sessions, demo=False, language_code=language) as bench:
        reply = only(await bench.chat.send(text))
        assert "🔔" in reply.text
        assert len(await stored_alerts(sessions)) == 1


async def test_free_text_with_a_trigger_word_but_no_alert_is_read_as_before(bank: Bench) -> None:
    reply = only(await bank.chat.send("tell me about milk prices"))
    assert "🔔" not in reply.text
    # No direction: not an alert; the text goes the way it went before alerts existed.
    other = only(await bank.chat.send("tell me 100 usd in kzt"))
    assert "🔔" not in other.text and "Alert" not in other.text
    assert await stored_alerts(bank.sessions) == []
    botched = only(await bank.chat.send("сообщи когда доллар дороже 520 долларов"))
    assert "Both currencies are the same" in botched.text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("/alert", "Usage: /alert FROM TO above|below LEVEL"),
        ("/alert usd kzt above abc", "I found no level to watch."),
        ("/alert usd kzt above -5", "The level must be above zero, not “-5”."),
        ("/alert usd kzt above 0", "The level must be above zero"),
        ("/alert usd kzt above 12,34,567", "“12,34,567” is not a level I can read"),
        ("/alert usd kzt above 1e99", "is not a level I can read"),
        ("/alert usd kzt above 99999999999", "is too large for a level"),
        ("/alert usd xyz above 520", "I do not know the currency “xyz”."),
        ("/alert usd usd above 520", "Both currencies are the same"),
        ("/alert usd above 520", "Name two currencies"),
        ("/alert usd kzt rub above 520", "“rub” is a third"),
        ("/alert usd kzt above 520 below 500", "is not a level I can read"),
        ("/alert usd kzt > 520 <", "Say above or below, not both."),
        ("/alert usd kzt above 5200", "5,200 is more than 50% away from the current rate"),
        (
            "/alert usd kzt above 52",
            "a level between 236.16 and 708.46 is accepted, e.g. /alert usd kzt above 520",
        ),
        ("/alert usd tjs above 11", "No stored rate for TJS yet"),
        ("/alert <b>usd</b> & <script>kzt</script> above 5200", "more than 50% away"),
        ("/alert '; DROP TABLE alerts;-- usd kzt above x", "I found no level"),
        ("/alert 😀🔥 520", "Name two currencies"),
        ("/alert " + "usd " * 300, "That is too long for an alert."),
        ("/alert off", "Usage: /alert off N"),
        ("/alert off x1", "Usage: /alert off N"),
        ("/alert off -1", "Usage: /alert off N"),
    ],
)
async def test_bad_input_is_explained_with_an_example_and_stores_nothing(
    bank: Bench, text: str, expected: str
) -> None:
    only(await bank.chat.send("/alert usd kzt above 500"))
    before = await stored_alerts(bank.sessions)
    reply = only(await bank.chat.send(text))
    assert expected in reply.text
    assert "/alert" in reply.text or "/rates" in reply.text  # an example to follow
    assert await stored_alerts(bank.sessions) == before


async def test_at_most_ten_alerts_per_chat(bank: Bench) -> None:
    for level in range(500, 510):
        assert "Alert set" in only(await bank.chat.send(f"/alert usd kzt above {level}")).text
    refused = only(await bank.chat.send("/alert usd kzt above 511"))
    assert "already has 10 alerts, the most allowed" in refused.text
    assert "/alert off 1" in refused.text
    assert len(await stored_alerts(bank.sessions)) == 10


async def test_in_groups_only_administrators_set_and_delete(bank: Bench) -> None:
    boss = bank.aida
    group = bank.emu.group_chat("Traders", chat_id=-1005, admins=[boss])
    member = bank.emu.user(2002, first_name="Bek")
    refused = only(await group.send("/alert@CentralAsiaNewsBot usd kzt above 520", member))
    assert "Only the group's administrators" in refused.text
    assert await stored_alerts(bank.sessions) == []
    only(await group.send("/alert usd kzt above 520", boss))
    listing = only(await group.send("/alerts", member))
    assert "1. USD/KZT above 520" in listing.text
    denied = only(await group.press(listing, 0, member))
    assert "Only the group's administrators" in denied.text
    assert len(await stored_alerts(bank.sessions)) == 1
    only(await group.press(listing, 0, boss))
    assert await stored_alerts(bank.sessions) == []


async def test_settings_shows_the_number_of_alerts(bank: Bench) -> None:
    only(await bank.chat.send("/alert usd kzt above 520"))
    settings = only(await bank.chat.send("/settings"))
    assert "Rate alerts: 1 of 10 (/alerts)" in settings.text


BAD_IN_EVERY_FIELD = [
    ("usd kzt > 0", "The level must be above zero, not “{fragment}”.", "0"),
    (
        "usd kzt > 12,34,567",
        "“{fragment}” is not a level I can read: one number, like 520 or 139.5.",
        "12,34,567",
    ),
    ("usd xyz > 500", "I do not know the currency “{fragment}”.", "xyz"),
    (
        "usd usd > 500",
        "Both currencies are the same (“{fragment}”): name two different ones.",
        "usd",
    ),
    ("usd kzt > 500 <", "Say above or below, not both.", ""),
    ("usd kzt", "I found no level to watch.", ""),
]


@pytest.mark.parametrize("language", ["ru", "kk", "uz"])
async def test_bad_input_is_explained_in_the_reader_s_language(
    database_url: str, sessions: async_sessionmaker[AsyncSession], language: str
) -> None:
    await store_rates(sessions, DAY, KZT="472.31")
    catalog = translation(language)
    usage = catalog.gettext(
        "Usage: /alert FROM TO above|below LEVEL, e.g. /alert usd kzt above 520 or "
        "/alert kgs uzs below 139. /alerts lists this chat's alerts; /alert off 1 "
        "deletes the first."
    )
    async with running_bot(database_url, sessions, demo=False, language_code=language) as bench:
        for typed, msgid, fragment in BAD_IN_EVERY_FIELD:
            reply = only(await bench.chat.send(f"/alert {typed}"))
            assert reply.text == f"{catalog.gettext(msgid).format(fragment=fragment)}\n{usage}"
        far = only(await bench.chat.send("/alert usd kzt > 5200"))
        assert "/alert usd kzt above 520" in far.text and "50%" in far.text
        assert far.text != "" and "is more than" not in far.text
        assert await stored_alerts(sessions) == []
