"""Queries on a chat's daily-digest subscription. Callers own the session and its transaction.

One row per chat. Stopping keeps the row (time and countries) for a later restart;
``created`` is when the subscription was made or last restarted, which the delivery rule
reads: a subscription (re)started after its time of day gets its first digest the next day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import exists, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from core.countries import CENTRAL_ASIA
from core.schedule_words import DEFAULT_TIME
from storage.models import DeliveryRow, SubscriptionRow


@dataclass(frozen=True, slots=True)
class Subscription:
    """A chat's digest settings, free of the session.

    Attributes:
        id: Row id.
        chat_id: Telegram chat id.
        local_time: ``HH:MM`` in the chat's time zone.
        countries: ISO codes, in the region's order.
        active: False once stopped.
        created: When it was made or last restarted (UTC).
    """

    id: int
    chat_id: int
    local_time: str
    countries: tuple[str, ...]
    active: bool
    created: datetime


def _ordered(codes: tuple[str, ...] | list[str]) -> str:
    # Stored in one fixed order, so the same choice is always the same text.
    return ",".join(code for code in CENTRAL_ASIA if code in codes)


def _to_subscription(row: SubscriptionRow) -> Subscription:
    codes = tuple(code for code in row.countries.split(",") if code)
    return Subscription(row.id, row.chat_id, row.local_time, codes, row.active, row.created)


async def _insert_if_missing(
    session: AsyncSession, chat_id: int, now: datetime, *, active: bool
) -> bool:
    """Insert the chat's row with the defaults unless one exists; True when inserted.

    Two presses or commands in one chat may arrive at once: the unique ``chat_id`` makes
    the second insert a no-op instead of an error.
    """
    values = {
        "chat_id": chat_id,
        "local_time": DEFAULT_TIME,
        "countries": _ordered(CENTRAL_ASIA),
        "active": active,
        "created": now,
    }
    if session.get_bind().dialect.name == "sqlite":
        statement: Any = sqlite.insert(SubscriptionRow)
    else:
        statement = postgresql.insert(SubscriptionRow)
    result = await session.execute(
        statement.values(values).on_conflict_do_nothing(index_elements=["chat_id"])
    )
    return bool(getattr(result, "rowcount", 0))


async def _row(session: AsyncSession, chat_id: int) -> SubscriptionRow | None:
    query = select(SubscriptionRow).where(SubscriptionRow.chat_id == chat_id)
    return (await session.execute(query)).scalar_one_or_none()


async def get_subscription(session: AsyncSession, chat_id: int) -> Subscription | None:
    """The chat's subscription, active or stopped, or None when it never had one."""
    row = await _row(session, chat_id)
    return None if row is None else _to_subscription(row)


async def subscribe(
    session: AsyncSession,
    chat_id: int,
    now: datetime,
    *,
    local_time: str | None = None,
    countries: tuple[str, ...] = (),
) -> tuple[Subscription, bool]:
    """Start (or restart) the chat's digest, changing what is given; does not commit.

    A new subscription gets 09:00 and all five countries unless given; a stopped one keeps
    its stored time and countries unless given, and counts as made ``now``. The chat row
    must exist.

    Returns:
        The stored subscription, and whether it was already running before.
    """
    inserted = await _insert_if_missing(session, chat_id, now, active=True)
    row = await _row(session, chat_id)
    if row is None:  # no chat row: handlers store the chat before any command runs
        raise LookupError(f"chat {chat_id} is not stored")
    was_active = row.active and not inserted
    if local_time:
        row.local_time = local_time
    if countries:
        row.countries = _ordered(countries)
    if not was_active:
        row.active = True
        row.created = now
    await session.flush()
    return _to_subscription(row), was_active


async def unsubscribe(session: AsyncSession, chat_id: int) -> bool:
    """Stop the chat's digest, keeping its settings; does not commit.

    Returns:
        Whether a running subscription was stopped.
    """
    result = await session.execute(
        update(SubscriptionRow)
        .where(SubscriptionRow.chat_id == chat_id, SubscriptionRow.active.is_(True))
        .values(active=False)
    )
    return bool(getattr(result, "rowcount", 0))


async def _settings_row(session: AsyncSession, chat_id: int, now: datetime) -> SubscriptionRow:
    # Settings chosen before subscribing are kept, stopped, for /subscribe to start.
    await _insert_if_missing(session, chat_id, now, active=False)
    row = await _row(session, chat_id)
    if row is None:
        raise LookupError(f"chat {chat_id} is not stored")
    return row


async def set_digest_time(
    session: AsyncSession, chat_id: int, local_time: str, now: datetime
) -> Subscription:
    """Change the digest's ``HH:MM`` (kept stopped when there is no running one); no commit."""
    row = await _settings_row(session, chat_id, now)
    row.local_time = local_time
    await session.flush()
    return _to_subscription(row)


async def set_digest_countries(
    session: AsyncSession, chat_id: int, countries: tuple[str, ...], now: datetime
) -> Subscription:
    """Change the digest's countries (at least one of the five); does not commit.

    Raises:
        ValueError: No Central Asian country among ``countries``.
    """
    stored = _ordered(countries)
    if not stored:
        raise ValueError("a digest needs at least one country of the region")
    row = await _settings_row(session, chat_id, now)
    row.countries = stored
    await session.flush()
    return _to_subscription(row)


async def has_delivery(session: AsyncSession, subscription_id: int, local_date: date) -> bool:
    """Whether the digest of ``local_date`` was already claimed or sent for the subscription."""
    query = select(
        exists().where(
            DeliveryRow.subscription_id == subscription_id, DeliveryRow.local_date == local_date
        )
    )
    return bool(await session.scalar(query))
