"""``services.rates.Rates``: the one-minute cache of current rates, its "today", and the
daily history a chart reads."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.types import RateQuote
from services.rates import Rates
from storage.rates import add_rates

NOV_28, NOV_29 = date(2026, 11, 28), date(2026, 11, 29)
# 20:00 in UTC is already 01:00 the next day in Almaty (UTC+5).
EVENING = datetime(2026, 11, 28, 20, 0, tzinfo=UTC)
ALMATY = ZoneInfo("Asia/Almaty")


def _quote(currency: str, per_usd: str, day: date) -> RateQuote:
    return RateQuote(currency, Decimal(per_usd), None, day, "nbk")


async def _store(sessions: async_sessionmaker[AsyncSession], *quotes: RateQuote) -> None:
    async with sessions.begin() as session:
        await add_rates(session, quotes)


class FakeMonotonic:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1_000.0

    def __call__(self) -> float:
        return self.now


async def test_rates_are_kept_for_the_ttl_and_read_again_after_it_or_after_forget(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    tick = FakeMonotonic()
    rates = Rates(sessions, lambda: EVENING, UTC, ttl=60.0, monotonic=tick)
    assert await rates.current() == {}
    await _store(sessions, _quote("KZT", "500", NOV_28))
    tick.now += 59.0
    assert await rates.current() == {}  # within the minute: the kept (empty) answer
    rates.forget()
    assert (await rates.current())["KZT"].per_usd == Decimal("500")
    await _store(sessions, _quote("UZS", "12000", NOV_28))
    tick.now += 60.0
    assert "UZS" not in await rates.current()  # exactly the TTL: still kept
    tick.now += 0.5
    assert set(await rates.current()) == {"KZT", "UZS"}


async def test_today_is_the_clocks_date_in_the_given_zone(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    # A figure published in advance for the 29th counts only once the 29th has begun.
    await _store(sessions, _quote("KZT", "500", NOV_28), _quote("KZT", "505", NOV_29))
    in_utc = Rates(sessions, lambda: EVENING, UTC)
    in_almaty = Rates(sessions, lambda: EVENING, ALMATY)
    assert (await in_utc.current())["KZT"].as_of == NOV_28
    assert (await in_almaty.current())["KZT"].as_of == NOV_29


async def test_daily_history_ends_at_today_in_the_readers_zone(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    days = [date(2026, 11, day) for day in range(20, 30)]
    await _store(sessions, *(_quote("KZT", str(500 + n), day) for n, day in enumerate(days)))
    rates = Rates(sessions, lambda: EVENING, UTC)
    week = await rates.daily("KZT", 7, UTC)
    assert [quote.as_of for quote in week] == [date(2026, 11, d) for d in range(21, 29)]
    later = await rates.daily("KZT", 7, ALMATY)
    assert [quote.as_of for quote in later] == [date(2026, 11, d) for d in range(22, 30)]
