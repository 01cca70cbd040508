"""Alerts firing through the real bot, the notice pass and the emulator: a crossing up and
down, hovering at the level, a jump past and back between two passes, late files, a
blocked chat, a migrated group, the buttons of the message, in English, Russian, Kazakh
and Uzbek."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.alert_support import alert_messages, run_alerts, store_rates, stored_alerts
from tests.bot_bench import Bench, only, running_bot

SET_DAY = date(2026, 11, 27)


def at(day: date) -> datetime:
    """Noon in Almaty of ``day``: the pass's moment."""
    return datetime(day.year, day.month, day.day, 7, 0, tzinfo=UTC)


def day_after(n: int) -> date:
    return SET_DAY + timedelta(days=n)


async def _bench(
    database_url: str, sessions: async_sessionmaker[AsyncSession], language: str = "en"
) -> AsyncIterator[Bench]:
    await store_rates(sessions, SET_DAY, KZT="472.31", KGS="87.45", UZS="12195.07")
    async with running_bot(database_url, sessions, demo=False, language_code=language) as bench:
        yield bench


@pytest.fixture
async def bank(
    database_url: str, sessions: async_sessionmaker[AsyncSession]
) -> AsyncIterator[Bench]:
    """The bot with bank rates of 27 Nov (1 USD = 472.31 KZT), no demo data."""
    async for bench in _bench(database_url, sessions):
        yield bench


TITLES = {
    "en": "🔔 USD/KZT is above 480",
    "ru": "🔔 USD/KZT выше 480",
    "kk": "🔔 USD/KZT 480 деңгейінен асты",
    "uz": "🔔 USD/KZT 480 darajasidan oshdi",
}
SOURCES = {
    "en": "source: NBK",
    "ru": "источник: НБРК",
    "kk": "дереккөз: ҚР ҰБ",
    "uz": "Qozogʻiston MB",
}


@pytest.mark.parametrize("language", ["en", "ru", "kk", "uz"])
async def test_a_crossing_up_fires_once_in_the_chat_s_language(
    database_url: str, sessions: async_sessionmaker[AsyncSession], language: str
) -> None:
    async for bench in _bench(database_url, sessions, language):
        only(await bench.chat.send("/alert usd kzt above 480"))
        # The same day again changes nothing: only later-dated rates are news.
        assert (await run_alerts(bench, at(SET_DAY))).claimed == 0
        await store_rates(sessions, day_after(1), KZT="481.00")
        report = await run_alerts(bench, at(day_after(1)))
        assert (report.claimed, report.sent) == (1, 1)
        fired = only(alert_messages(bench, bench.chat.id))
        assert fired.text.startswith(TITLES[language]), fired.text
        assert "1 USD = 481 KZT" in fired.text
        assert SOURCES[language] in fired.text
        assert "472.31" in fired.text.replace(",", ".")
        assert "+8.69" in fired.text.replace(",", ".") and "1.84" in fired.text.replace(",", ".")
        # A second pass, and a higher rate the next day: nothing more.
        await run_alerts(bench, at(day_after(1)))
        await store_rates(sessions, day_after(2), KZT="485.00")
        await run_alerts(bench, at(day_after(2)))
        assert len(alert_messages(bench, bench.chat.id)) == 1
        (alert,) = await stored_alerts(sessions)
        assert (alert.armed, alert.fired, alert.seen_as_of) == (False, 1, day_after(2))


async def test_the_english_message_in_full_and_its_buttons(bank: Bench) -> None:
    only(await bank.chat.send("/alert usd kzt above 480"))
    await store_rates(bank.sessions, day_after(1), KZT="481.00")
    await run_alerts(bank, at(day_after(1)))
    fired = only(alert_messages(bank, bank.chat.id))
    assert fired.text.splitlines() == [
        "🔔 USD/KZT is above 480",
        "1 USD = 481 KZT",
        "As of Nov 28, 2026, source: NBK",
        "Your level: above 480",
        "Since the alert was set (Nov 27, 2026, 472.31): +8.69 (+1.84%)",
    ]
    chart = only(await bank.chat.press(fired, "📈 KZT"))
    assert chart.photo is not None
    deleted = only(await bank.chat.press(fired, "Delete this alert"))
    assert "Alert deleted: USD/KZT above 480." in deleted.text
    assert await stored_alerts(bank.sessions) == []


async def test_a_crossing_down_of_a_cross_pair(bank: Bench) -> None:
    reply = only(await bank.chat.send("/alert kgs uzs below 139"))
    assert "1 KGS = 139.452" in reply.text
    await store_rates(bank.sessions, day_after(1), UZS="12100.00")
    await run_alerts(bank, at(day_after(1)))
    fired = only(alert_messages(bank, bank.chat.id))
    assert fired.text.startswith("🔔 KGS/UZS is below 139")
    # The pair is as fresh as its older leg (KGS of 27 Nov), as /convert says.
    assert "1 KGS = 138.3648 UZS" in fired.text
    assert "As of Nov 27, 2026, source: NBKR/CBU" in fired.text
    assert "(Nov 27, 2026, 139.452): -1.0872 (-0.78%)" in fired.text
    assert [b.callback_data for b in fired.flat_buttons][:2] == ["chart:UZS:30d", "chart:KGS:30d"]


async def test_hovering_at_the_level_fires_once_until_the_rate_comes_back_by_the_margin(
    bank: Bench,
) -> None:
    only(await bank.chat.send("/alert usd kzt above 480"))
    # 480 × (1 − 0.3%) = 478.56: the line the rate must come back to.
    for n, rate, fired_so_far in [
        (1, "481.00", 1),  # crosses
        (2, "479.00", 1),  # back below the level, not below the margin
        (3, "480.50", 1),  # above again: no new message
        (4, "478.50", 1),  # back past the margin: re-armed
        (5, "480.10", 2),  # a new crossing
        (6, "480.20", 2),
    ]:
        await store_rates(bank.sessions, day_after(n), KZT=rate)
        await run_alerts(bank, at(day_after(n)))
        assert len(alert_messages(bank, bank.chat.id)) == fired_so_far, (n, rate)
    (alert,) = await stored_alerts(bank.sessions)
    assert (alert.fired, alert.armed) == (2, False)


async def test_a_jump_past_the_level_and_back_between_two_passes_fires_once(bank: Bench) -> None:
    only(await bank.chat.send("/alert usd kzt above 480"))
    # Both days arrive before the pass (a backfill, or the bot was down a day).
    await store_rates(bank.sessions, day_after(1), KZT="490.00")
    await store_rates(bank.sessions, day_after(2), KZT="470.00")
    await run_alerts(bank, at(day_after(2)))
    fired = only(alert_messages(bank, bank.chat.id))
    assert "1 USD = 490 KZT" in fired.text and "Nov 28, 2026" in fired.text
    (alert,) = await stored_alerts(bank.sessions)
    assert alert.armed  # back below the margin: the next crossing counts
    await store_rates(bank.sessions, day_after(3), KZT="480.01")
    await run_alerts(bank, at(day_after(3)))
    assert len(alert_messages(bank, bank.chat.id)) == 2


async def test_late_files_count_and_figures_published_ahead_wait_for_their_day(
    bank: Bench,
) -> None:
    # Set on 1 Dec while the newest stored rate is of 27 Nov.
    bank.app.bot_data.clock = lambda: at(day_after(4))
    only(await bank.chat.send("/alert usd kzt above 480"))
    # A file dated before the alert's day, imported late, counts.
    await store_rates(bank.sessions, day_after(2), KZT="482.00")
    # One dated before the newest the alert had seen does not.
    await store_rates(bank.sessions, date(2026, 11, 20), KZT="499.00")
    await run_alerts(bank, at(day_after(4)))
    fired = only(alert_messages(bank, bank.chat.id))
    assert "1 USD = 482 KZT" in fired.text and "Nov 29, 2026" in fired.text
    # Back down, then a figure dated tomorrow: not read before its day.
    await store_rates(bank.sessions, day_after(3), KZT="470.00")
    await store_rates(bank.sessions, day_after(5), KZT="495.00")
    await run_alerts(bank, at(day_after(4)))
    assert len(alert_messages(bank, bank.chat.id)) == 1
    await run_alerts(bank, at(day_after(5)))
    assert len(alert_messages(bank, bank.chat.id)) == 2


async def test_a_blocked_chat_stops_its_alerts_until_it_writes_again(bank: Bench) -> None:
    only(await bank.chat.send("/alert usd kzt above 480"))
    bank.emu.block(bank.aida)
    await store_rates(bank.sessions, day_after(1), KZT="481.00")
    report = await run_alerts(bank, at(day_after(1)))
    assert report.unreachable == 1 and report.sent == 0
    # Later crossings are not even queued for it.
    await store_rates(bank.sessions, day_after(2), KZT="470.00")
    await store_rates(bank.sessions, day_after(3), KZT="481.00")
    report = await run_alerts(bank, at(day_after(3)))
    assert report.claimed == 0
    (alert,) = await stored_alerts(bank.sessions)
    assert alert.seen_as_of == day_after(3)  # moved on quietly: no stale message later
    # The person unblocks and writes: the next crossing reaches them. (The bot reads the
    # chat's row again once its cached copy is older than ChatService.ttl: five minutes.)
    bank.emu.state.blocked.discard(bank.aida.id)
    bank.app.bot_data.chats.ttl = 0
    only(await bank.chat.send("/alerts"))
    await store_rates(bank.sessions, day_after(4), KZT="470.00")
    await store_rates(bank.sessions, day_after(5), KZT="481.50")
    report = await run_alerts(bank, at(day_after(5)))
    assert report.sent == 1, report
    assert "481.5" in only(alert_messages(bank, bank.chat.id)).text


async def test_a_migrated_group_keeps_its_alerts(bank: Bench) -> None:
    group = bank.emu.group_chat("Traders", chat_id=-4001, admins=[bank.aida])
    only(await group.send("/alert usd kzt above 480", bank.aida))
    bank.emu.upgrade_group(-4001, -1004001)
    await store_rates(bank.sessions, day_after(1), KZT="481.00")
    report = await run_alerts(bank, at(day_after(1)))
    assert report.sent == 1 and report.moved == 1
    assert "USD/KZT is above 480" in only(alert_messages(bank, -1004001)).text
    (alert,) = await stored_alerts(bank.sessions)
    assert alert.chat_id == -1004001
