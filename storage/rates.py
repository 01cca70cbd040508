"""Queries on exchange rates. Callers own the session and its transaction."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, insert, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from core.rates import pick_current
from core.types import RateQuote
from storage.models import RateRow, utc_now

_CHUNK = 300


@dataclass(frozen=True, slots=True)
class RatesAdded:
    """What ``add_rates`` did with each quote."""

    added: int
    updated: int
    unchanged: int


def _to_quote(row: RateRow) -> RateQuote:
    return RateQuote(
        currency=row.currency,
        per_usd=row.per_usd,
        change=row.change,
        as_of=row.as_of,
        source=row.source,
    )


async def add_rates(session: AsyncSession, quotes: Iterable[RateQuote]) -> RatesAdded:
    """Store quotes, one row per (currency, date, source); a re-published figure replaces the old.

    History is kept because each date has its own row. Does not commit.
    """
    by_key = {(q.currency, q.as_of, q.source): q for q in quotes}
    keys = list(by_key)
    stored: dict[tuple[str, date, str], RateRow] = {}
    for start in range(0, len(keys), _CHUNK):
        chunk = keys[start : start + _CHUNK]
        result = await session.execute(
            select(RateRow).where(
                tuple_(RateRow.currency, RateRow.as_of, RateRow.source).in_(chunk)
            )
        )
        stored.update({(r.currency, r.as_of, r.source): r for r in result.scalars()})
    fresh: list[dict[str, object]] = []
    updated = unchanged = 0
    for key, quote in by_key.items():
        row = stored.get(key)
        if row is None:
            fresh.append(
                {
                    "currency": quote.currency,
                    "as_of": quote.as_of,
                    "source": quote.source,
                    "per_usd": quote.per_usd,
                    "change": quote.change,
                }
            )
        elif row.per_usd != quote.per_usd or (
            quote.change is not None and row.change != quote.change
        ):
            row.per_usd = quote.per_usd
            row.change = quote.change if quote.change is not None else row.change
            row.fetched = utc_now()
            updated += 1
        else:
            unchanged += 1
    for start in range(0, len(fresh), _CHUNK):
        await session.execute(insert(RateRow), fresh[start : start + _CHUNK])
    await session.flush()
    return RatesAdded(added=len(fresh), updated=updated, unchanged=unchanged)


async def list_newest_quotes(session: AsyncSession) -> list[RateQuote]:
    """Each source's newest quote of each currency: the candidates for the current rate."""
    newest = (
        select(RateRow.currency, RateRow.source, func.max(RateRow.as_of).label("as_of"))
        .group_by(RateRow.currency, RateRow.source)
        .subquery()
    )
    query = select(RateRow).join(
        newest,
        (RateRow.currency == newest.c.currency)
        & (RateRow.source == newest.c.source)
        & (RateRow.as_of == newest.c.as_of),
    )
    result = await session.execute(query)
    return [_to_quote(row) for row in result.scalars()]


async def list_current_rates(session: AsyncSession) -> dict[str, RateQuote]:
    """The authoritative quote of every stored currency (see ``core.rates.pick_current``)."""
    return pick_current(await list_newest_quotes(session))


async def get_nearest_quote(
    session: AsyncSession, currency: str, source: str, day: date, within_days: int
) -> RateQuote | None:
    """The quote of ``currency`` from ``source`` dated closest to ``day``, at most
    ``within_days`` away; on equal distance the earlier one."""
    low, high = day - timedelta(days=within_days), day + timedelta(days=within_days)
    query = select(RateRow).where(
        RateRow.currency == currency,
        RateRow.source == source,
        RateRow.as_of >= low,
        RateRow.as_of <= high,
    )
    rows = (await session.execute(query)).scalars().all()
    if not rows:
        return None
    return _to_quote(min(rows, key=lambda row: (abs((row.as_of - day).days), row.as_of)))


async def list_rate_history(session: AsyncSession, currency: str, since: date) -> list[RateQuote]:
    """Every stored quote of ``currency`` since ``since``, oldest first."""
    query = (
        select(RateRow)
        .where(RateRow.currency == currency, RateRow.as_of >= since)
        .order_by(RateRow.as_of, RateRow.source)
    )
    return [_to_quote(row) for row in (await session.execute(query)).scalars()]


async def list_daily_rates(session: AsyncSession, currency: str, since: date) -> list[RateQuote]:
    """One authoritative quote of ``currency`` per stored day since ``since``, oldest first.

    Several banks may quote the same day; ``pick_current`` chooses among them exactly
    as it does for today's rates, so a chart and ``/rates`` never disagree.
    """
    by_day: dict[date, list[RateQuote]] = {}
    for quote in await list_rate_history(session, currency, since):
        by_day.setdefault(quote.as_of, []).append(quote)
    daily = [pick_current(quotes).get(currency) for _, quotes in sorted(by_day.items())]
    return [quote for quote in daily if quote is not None]
