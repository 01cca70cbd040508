"""Queries on rate alerts. Callers own the session and its transaction; nothing commits."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import cast

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.engine import CursorResult
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from core.alerts import Direction
from storage.models import AlertRow, ChatRow, RateRow


@dataclass(frozen=True, slots=True)
class Alert:
    """A stored alert, free of the session (see ``storage.models.AlertRow``)."""

    id: int
    chat_id: int
    base: str
    quote: str
    direction: Direction
    level: Decimal
    armed: bool
    set_rate: Decimal
    set_as_of: date
    seen_as_of: date
    fired: int
    created: datetime


@dataclass(frozen=True, slots=True)
class NewAlert:
    """What ``add_alert`` stores."""

    chat_id: int
    base: str
    quote: str
    direction: Direction
    level: Decimal
    armed: bool
    set_rate: Decimal
    set_as_of: date
    seen_as_of: date


def _to_alert(row: AlertRow) -> Alert:
    return Alert(
        id=row.id,
        chat_id=row.chat_id,
        base=row.base,
        quote=row.quote,
        direction=cast(Direction, row.direction),
        level=row.level,
        armed=row.armed,
        set_rate=row.set_rate,
        set_as_of=row.set_as_of,
        seen_as_of=row.seen_as_of,
        fired=row.fired,
        created=row.created,
    )


def _rowcount(result: object) -> int:
    return int(cast(CursorResult[tuple[()]], result).rowcount or 0)


async def add_alert(session: AsyncSession, alert: NewAlert, created: datetime) -> Alert:
    """Store a new alert and return it with its id."""
    row = AlertRow(
        chat_id=alert.chat_id,
        base=alert.base,
        quote=alert.quote,
        direction=alert.direction,
        level=alert.level,
        armed=alert.armed,
        set_rate=alert.set_rate,
        set_as_of=alert.set_as_of,
        seen_as_of=alert.seen_as_of,
        fired=0,
        created=created,
    )
    session.add(row)
    await session.flush()
    return _to_alert(row)


async def list_chat_alerts(session: AsyncSession, chat_id: int) -> list[Alert]:
    """A chat's alerts, oldest first (their numbers in /alerts are 1, 2, ...)."""
    query = select(AlertRow).where(AlertRow.chat_id == chat_id).order_by(AlertRow.id)
    return [_to_alert(row) for row in (await session.execute(query)).scalars()]


async def count_chat_alerts(session: AsyncSession, chat_id: int) -> int:
    """How many alerts a chat has."""
    query = select(func.count()).select_from(AlertRow).where(AlertRow.chat_id == chat_id)
    return int((await session.execute(query)).scalar_one())


async def get_alert(session: AsyncSession, alert_id: int) -> Alert | None:
    """One alert by id, or None when it is gone."""
    row = await session.get(AlertRow, alert_id)
    return None if row is None else _to_alert(row)


async def delete_alert(session: AsyncSession, chat_id: int, alert_id: int) -> bool:
    """Delete one of a chat's alerts; False when it is not there (or not the chat's)."""
    result = await session.execute(
        delete(AlertRow).where(AlertRow.id == alert_id, AlertRow.chat_id == chat_id)
    )
    return _rowcount(result) == 1


async def list_all_alerts(session: AsyncSession) -> list[Alert]:
    """Every alert, by chat then age: for operators and the evaluation pass."""
    query = select(AlertRow).order_by(AlertRow.chat_id, AlertRow.id)
    return [_to_alert(row) for row in (await session.execute(query)).scalars()]


async def list_unreachable_chats(session: AsyncSession, chat_ids: Iterable[int]) -> set[int]:
    """Those of ``chat_ids`` marked unreachable (the bot was blocked, or the chat is gone)."""
    wanted = list(set(chat_ids))
    found: set[int] = set()
    for start in range(0, len(wanted), 500):
        query = select(ChatRow.id).where(
            ChatRow.id.in_(wanted[start : start + 500]), ChatRow.unreachable_since.is_not(None)
        )
        found.update((await session.execute(query)).scalars())
    return found


async def newest_rate_date(session: AsyncSession, currencies: Iterable[str]) -> date | None:
    """The newest date any stored rate of ``currencies`` carries (None when there is none)."""
    query = select(func.max(RateRow.as_of)).where(RateRow.currency.in_(list(currencies)))
    return (await session.execute(query)).scalar_one_or_none()


async def list_rate_dates(
    session: AsyncSession, currencies: Iterable[str], after: date, until: date
) -> dict[str, list[date]]:
    """Each currency's stored rate dates in (``after``, ``until``], oldest first."""
    query = (
        select(RateRow.currency, RateRow.as_of)
        .where(
            RateRow.currency.in_(list(currencies)), RateRow.as_of > after, RateRow.as_of <= until
        )
        .distinct()
        .order_by(RateRow.as_of)
    )
    dates: dict[str, list[date]] = {}
    for currency, as_of in (await session.execute(query)).all():
        dates.setdefault(currency, []).append(as_of)
    return dates


async def advance_seen(
    session: AsyncSession, alert_ids: list[int], was: date, seen_as_of: date
) -> int:
    """Move the alerts' watermark from ``was`` to ``seen_as_of``, for alerts whose state did
    not change; alerts another pass has moved meanwhile are left alone. Returns how many."""
    moved = 0
    for start in range(0, len(alert_ids), 500):
        result = await session.execute(
            update(AlertRow)
            .where(AlertRow.id.in_(alert_ids[start : start + 500]), AlertRow.seen_as_of == was)
            .values(seen_as_of=seen_as_of)
            .execution_options(synchronize_session=False)
        )
        moved += _rowcount(result)
    return moved


async def set_alert_state(
    session: AsyncSession, alert: Alert, *, armed: bool, fired: int, seen_as_of: date
) -> bool:
    """Write an alert's new state, only if nobody changed it since ``alert`` was read.

    The condition on the old watermark and count makes two passes at once safe: the
    second one's update matches no row (on PostgreSQL it waits for the first to commit,
    then re-reads), so only one of them reports a crossing.
    """
    result = await session.execute(
        update(AlertRow)
        .where(
            AlertRow.id == alert.id,
            AlertRow.seen_as_of == alert.seen_as_of,
            AlertRow.fired == alert.fired,
            AlertRow.armed == alert.armed,
        )
        .values(armed=armed, fired=fired, seen_as_of=seen_as_of)
        .execution_options(synchronize_session=False)
    )
    return _rowcount(result) == 1


async def move_chat_alerts(session: AsyncSession, old_id: int, new_id: int) -> int:
    """Give a group's alerts to its new supergroup id; returns how many moved."""
    result = await session.execute(
        update(AlertRow)
        .where(AlertRow.chat_id == old_id)
        .values(chat_id=new_id)
        .execution_options(synchronize_session=False)
    )
    return _rowcount(result)


async def lock_chat(session: AsyncSession, chat_id: int, kind: str) -> None:
    """Hold the chat's row until the transaction ends, so two /alert at once in one chat
    count each other's alerts against the limit.

    It writes (a no-op update), which on SQLite takes the write lock before any read and
    on PostgreSQL locks the row. The row is added first when the chat is new.
    """
    from storage.chats import add_chat_if_missing

    await add_chat_if_missing(session, chat_id, kind)
    await session.execute(update(ChatRow).where(ChatRow.id == chat_id).values(kind=ChatRow.kind))


async def list_alerts_due(session: AsyncSession, today: date) -> list[Alert]:
    """Alerts with a stored rate of either currency dated after the newest they have seen
    and not after ``today``: the only ones a check pass has to read (one indexed query, so
    a pass every minute costs next to nothing when no rate is new)."""
    rate = aliased(RateRow)
    newer = (
        select(rate.id)
        .where(
            or_(rate.currency == AlertRow.base, rate.currency == AlertRow.quote),
            rate.as_of > AlertRow.seen_as_of,
            rate.as_of <= today,
        )
        .exists()
    )
    query = select(AlertRow).where(newer).order_by(AlertRow.id)
    return [_to_alert(row) for row in (await session.execute(query)).scalars()]


async def list_alert_ids(session: AsyncSession, chat_id: int, alert_ids: Iterable[int]) -> set[int]:
    """Those of ``alert_ids`` that still exist in the chat."""
    query = select(AlertRow.id).where(
        AlertRow.chat_id == chat_id, AlertRow.id.in_(list(set(alert_ids)))
    )
    return set((await session.execute(query)).scalars())
