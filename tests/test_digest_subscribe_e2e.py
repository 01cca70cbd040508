"""End to end: subscribe through the bot, passes send the digest, /unsubscribe stops it."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from babel.dates import format_date
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.bot_bench import TODAY, running_bot
from tests.digest_support import add_story, delivery_rows, run_pass

ALMATY = ZoneInfo("Asia/Almaty")  # TIMEZONE's default: the chat's zone when it chose none


def _local(day_offset: int, hh: int, mm: int) -> datetime:
    day = TODAY.astimezone(ALMATY).date() + timedelta(days=day_offset)
    return datetime.combine(day, time(hh, mm), tzinfo=ALMATY)


async def test_subscribe_through_the_bot_then_daily_digests(
    database_url: str, sessions: async_sessionmaker[AsyncSession]
) -> None:
    async with running_bot(database_url, sessions, demo=False) as bench:
        replies = await bench.chat.send("/subscribe Kazakhstan uz 08:30")
        assert replies, "the bot answers /subscribe"
        await add_story(sessions, "Tashkent metro extends", countries="UZ", fetched=_local(1, 7, 0))
        await add_story(sessions, "Bishkek only", countries="KG", fetched=_local(1, 7, 0))
        early = await run_pass(sessions, bench.emu, _local(1, 8, 29))
        assert early.claimed == 0
        report = await run_pass(sessions, bench.emu, _local(1, 8, 30))
        assert report.sent == 1
        digest = bench.emu.messages_in(bench.chat.id)[-1]
        assert "Daily digest for" in digest.text and "Tashkent metro extends" in digest.text
        assert "Bishkek only" not in digest.text
        # The same day again: nothing; /unsubscribe: nothing the next day either.
        assert (await run_pass(sessions, bench.emu, _local(1, 12, 0))).claimed == 0
        await bench.chat.send("/unsubscribe")
        sent_before = len(bench.emu.messages_in(bench.chat.id))
        assert (await run_pass(sessions, bench.emu, _local(2, 9, 0))).claimed == 0
        assert len(bench.emu.messages_in(bench.chat.id)) == sent_before
    assert [row.status for row in await delivery_rows(sessions)] == ["sent"]


async def test_a_digest_comes_in_the_language_the_person_subscribed_in(
    database_url: str, sessions: async_sessionmaker[AsyncSession]
) -> None:
    # No /lang choice: the reply to /subscribe is Russian from the person's Telegram language,
    # and the digest, sent later without any update to read that from, must be Russian too.
    async with running_bot(database_url, sessions, demo=False, language_code="ru-RU") as bench:
        await bench.chat.send("/subscribe 08:30")
        report = await run_pass(sessions, bench.emu, _local(1, 8, 30))
        assert report.sent == 1
        digest = bench.emu.messages_in(bench.chat.id)[-1]
    russian_date = format_date(_local(1, 8, 30).date(), format="medium", locale="ru")
    assert russian_date in digest.text
