"""Queries on exchange rates. Callers own the session and its transaction."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.dml import ReturningInsert

from core.authority import STAND_IN_AFTER_DAYS, pick_current, with_daily_change
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

    Two upserts on the (currency, as_of, source) key and no read before them, so two
    writers storing the same day at once (the bot's schedule and ``newsbot fetch``) never
    collide: first ``INSERT ... ON CONFLICT DO NOTHING`` (the rows it returns are new),
    then ``ON CONFLICT DO UPDATE`` for the rest, which only fires when the figure (or a
    newly published change) differs, so unchanged rows keep their ``fetched`` time.
    Starting with a write also matters on SQLite: a transaction that read first cannot
    take the write lock once another writer has committed. Does not commit.
    """
    by_key = {(q.currency, q.as_of, q.source): q for q in quotes}
    rows = [
        {
            "currency": q.currency,
            "as_of": q.as_of,
            "source": q.source,
            "per_usd": q.per_usd,
            "change": q.change,
            "fetched": utc_now(),
        }
        for q in by_key.values()
    ]
    added = await _write(session, _insert_new(session), rows)
    rest = [row for row in rows if _key(row) not in added]
    updated = await _write(session, _update_changed(session), rest)
    return RatesAdded(added=len(added), updated=len(updated), unchanged=len(rest) - len(updated))


_Key = tuple[str, date, str]


def _key(row: dict[str, Any]) -> _Key:
    return (row["currency"], row["as_of"], row["source"])


async def _write(
    session: AsyncSession, statement: ReturningInsert[str, date, str], rows: list[dict[str, Any]]
) -> set[_Key]:
    written: set[_Key] = set()
    for start in range(0, len(rows), _CHUNK):
        result = await session.execute(statement, rows[start : start + _CHUNK])
        written.update((row.currency, row.as_of, row.source) for row in result)
    return written


def _insert(session: AsyncSession) -> postgresql.Insert | sqlite.Insert:
    if session.get_bind().dialect.name == "sqlite":
        return sqlite.insert(RateRow)
    return postgresql.insert(RateRow)


_KEY_COLUMNS = [RateRow.currency, RateRow.as_of, RateRow.source]


def _insert_new(session: AsyncSession) -> ReturningInsert[str, date, str]:
    return (
        _insert(session)
        .on_conflict_do_nothing(index_elements=_KEY_COLUMNS)
        .returning(RateRow.currency, RateRow.as_of, RateRow.source)
    )


def _update_changed(session: AsyncSession) -> ReturningInsert[str, date, str]:
    statement = _insert(session)
    new = statement.excluded
    # A blank change in a re-published file keeps the one stored before.
    change = func.coalesce(new.change, RateRow.change)
    return statement.on_conflict_do_update(
        index_elements=_KEY_COLUMNS,
        set_={"per_usd": new.per_usd, "change": change, "fetched": new.fetched},
        where=or_(
            RateRow.per_usd != new.per_usd,
            and_(new.change.is_not(None), RateRow.change.is_distinct_from(new.change)),
        ),
    ).returning(RateRow.currency, RateRow.as_of, RateRow.source)


async def list_newest_quotes(session: AsyncSession, until: date | None = None) -> list[RateQuote]:
    """Each source's newest quote of each currency (dated ``until`` or before, when given):
    the candidates for the current rate."""
    newest_query = select(
        RateRow.currency, RateRow.source, func.max(RateRow.as_of).label("as_of")
    ).group_by(RateRow.currency, RateRow.source)
    if until is not None:
        newest_query = newest_query.where(RateRow.as_of <= until)
    newest = newest_query.subquery()
    query = select(RateRow).join(
        newest,
        (RateRow.currency == newest.c.currency)
        & (RateRow.source == newest.c.source)
        & (RateRow.as_of == newest.c.as_of),
    )
    result = await session.execute(query)
    return [_to_quote(row) for row in result.scalars()]


async def list_current_rates(
    session: AsyncSession, today: date | None = None
) -> dict[str, RateQuote]:
    """The current rate of every stored currency, as ``core.authority`` chooses it, each
    with a daily change (from the same source's previous stored day when it published none).

    Args:
        session: An open session.
        today: The reader's today: figures published in advance for a later day count only
            for a currency that has nothing else. None: every stored figure counts.
    """
    candidates = await list_newest_quotes(session)
    if today is not None and any(quote.as_of > today for quote in candidates):
        candidates += await list_newest_quotes(session, until=today)
    current = pick_current(candidates, today)
    return await _add_daily_changes(session, current)


async def _add_daily_changes(
    session: AsyncSession, current: dict[str, RateQuote]
) -> dict[str, RateQuote]:
    """Fill in the change of figures whose bank published none, in one query."""
    missing = [quote for quote in current.values() if quote.change is None]
    if not missing:
        return current
    earliest = min(quote.as_of for quote in missing) - timedelta(days=STAND_IN_AFTER_DAYS)
    query = select(RateRow).where(
        RateRow.source.in_({quote.source for quote in missing}),
        RateRow.currency.in_({quote.currency for quote in missing}),
        RateRow.as_of >= earliest,
        RateRow.as_of < max(quote.as_of for quote in missing),
    )
    earlier = [_to_quote(row) for row in (await session.execute(query)).scalars()]
    return {code: with_daily_change(quote, earlier) for code, quote in current.items()}


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


async def list_daily_rates(
    session: AsyncSession, currency: str, since: date, today: date | None = None
) -> list[RateQuote]:
    """The current authority's own figures of ``currency`` since ``since``, oldest first.

    One series from one source, so a chart never mixes a bank's rate with another bank's
    cross rate, and it ends at the figure ``/rates`` shows. Days the source did not
    publish are simply absent. With ``today``, figures dated after it are left out.
    """
    current = (await list_current_rates(session, today)).get(currency)
    if current is None:
        return []
    query = (
        select(RateRow)
        .where(
            RateRow.currency == currency,
            RateRow.source == current.source,
            RateRow.as_of >= since,
            RateRow.as_of <= current.as_of,
        )
        .order_by(RateRow.as_of)
    )
    return [_to_quote(row) for row in (await session.execute(query)).scalars()]
