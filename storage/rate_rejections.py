"""Rate figures held back as implausible, and the stored neighbours they are judged by.

Callers own the session and its transaction; nothing here commits.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import and_, delete, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from core.plausibility import Rejection
from core.types import RateQuote
from storage.models import RateRejectionRow, RateRow, utc_now

_CHUNK = 300
_FIGURE_CHARS = 64


@dataclass(frozen=True, slots=True)
class StoredRejection:
    """A held-back figure as read back: what, when, from whom, why."""

    currency: str
    as_of: date
    source: str
    figure: str
    kind: str
    previous_figure: str | None
    previous_as_of: date | None
    rejected: datetime


def _figure(value: Decimal) -> str:
    # Exponent form keeps 1e43 and 0.000…1 short; a longer one is cut and marked.
    text = str(value)
    return text if len(text) <= _FIGURE_CHARS else text[: _FIGURE_CHARS - 1] + "…"


async def list_neighbours(
    session: AsyncSession, source: str, currencies: Sequence[str], first: date, last: date
) -> dict[str, list[RateQuote]]:
    """The stored figures a batch from ``source`` is judged by, per currency, oldest first.

    For each currency: its newest figure before ``first``, then every figure from
    ``first`` to ``last``. Two queries, whatever the number of currencies or days.
    """
    found: dict[str, list[RateQuote]] = {currency: [] for currency in currencies}
    for start in range(0, len(currencies), _CHUNK):
        chunk = list(currencies[start : start + _CHUNK])
        ours = and_(RateRow.source == source, RateRow.currency.in_(chunk))
        newest = (
            select(RateRow.currency, func.max(RateRow.as_of).label("as_of"))
            .where(ours, RateRow.as_of < first)
            .group_by(RateRow.currency)
            .subquery()
        )
        before = (
            select(RateRow)
            .join(
                newest,
                and_(RateRow.currency == newest.c.currency, RateRow.as_of == newest.c.as_of),
            )
            .where(RateRow.source == source)
        )
        window = select(RateRow).where(ours, RateRow.as_of >= first, RateRow.as_of <= last)
        for query in (before, window.order_by(RateRow.as_of)):
            for row in (await session.execute(query)).scalars():
                found[row.currency].append(
                    RateQuote(row.currency, row.per_usd, row.change, row.as_of, row.source)
                )
    return found


async def clear_rejections(
    session: AsyncSession, source: str, currencies: Sequence[str], days: Sequence[date]
) -> None:
    """Forget what was held back from ``source`` on ``days``: a new judgement follows.

    Being a write, it also takes SQLite's write lock before the batch reads its
    neighbours, so a writer committing in between cannot make the batch's writes fail.
    """
    for start in range(0, len(days), _CHUNK):
        statement = delete(RateRejectionRow).where(
            RateRejectionRow.source == source,
            RateRejectionRow.currency.in_(list(currencies)),
            RateRejectionRow.as_of.in_(list(days[start : start + _CHUNK])),
        )
        await session.execute(statement)


async def add_rejections(session: AsyncSession, rejections: Iterable[Rejection]) -> int:
    """Store held-back figures, one row per (currency, date, source); the newest wins."""
    rows = {
        (r.quote.currency, r.quote.as_of, r.quote.source): {
            "currency": r.quote.currency,
            "as_of": r.quote.as_of,
            "source": r.quote.source,
            "figure": _figure(r.quote.per_usd),
            "kind": r.kind,
            "previous_figure": _figure(r.previous.per_usd) if r.previous else None,
            "previous_as_of": r.previous.as_of if r.previous else None,
            "rejected": utc_now(),
        }
        for r in rejections
    }
    values = list(rows.values())
    insert = (sqlite.insert if session.get_bind().dialect.name == "sqlite" else postgresql.insert)(
        RateRejectionRow
    )
    statement = insert.on_conflict_do_update(
        index_elements=[
            RateRejectionRow.currency,
            RateRejectionRow.as_of,
            RateRejectionRow.source,
        ],
        set_={
            column: insert.excluded[column]
            for column in ("figure", "kind", "previous_figure", "previous_as_of", "rejected")
        },
    )
    for start in range(0, len(values), _CHUNK):
        await session.execute(statement, values[start : start + _CHUNK])
    return len(values)


async def count_rejections(session: AsyncSession) -> int:
    """How many figures are held back."""
    return int(await session.scalar(select(func.count()).select_from(RateRejectionRow)) or 0)


async def list_rejections(session: AsyncSession, *, limit: int = 10) -> list[StoredRejection]:
    """The most recently held-back figures, newest first."""
    query = (
        select(RateRejectionRow)
        .order_by(RateRejectionRow.rejected.desc(), RateRejectionRow.id.desc())
        .limit(limit)
    )
    return [
        StoredRejection(
            row.currency,
            row.as_of,
            row.source,
            row.figure,
            row.kind,
            row.previous_figure,
            row.previous_as_of,
            row.rejected,
        )
        for row in (await session.execute(query)).scalars()
    ]
