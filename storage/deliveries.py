"""Digest deliveries: claiming the due ones exactly once, and recording their outcomes.

The due ones come from ``storage.due_digests``. A delivery row per (subscription, local
date) with a unique constraint is the whole guarantee: whoever inserts it owns that day's
digest. The row is claimed with a token and a lease; a sender that dies leaves a claim
whose lease runs out, and the next pass takes it over. Callers own the session and its
transaction; nothing here commits.

On PostgreSQL the claims lock rows with ``FOR UPDATE SKIP LOCKED``, so two processes
split the work instead of queueing behind each other. SQLite has one writer at a time:
every claim is a single write statement (an ``INSERT ... ON CONFLICT DO NOTHING`` or an
``UPDATE ... RETURNING``), atomic under its write lock.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import ColumnElement, and_, delete, exists, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from storage.chat_moves import move_chat_belongings
from storage.chats import copy_chat
from storage.due_digests import DueSubscription
from storage.models import ChatRow, DeliveryRow, SubscriptionRow

CLAIMED = "claimed"
PENDING = "pending"
SENT = "sent"
FAILED = "failed"


@dataclass(frozen=True, slots=True)
class Claim:
    """A delivery this sender holds: where to send, and what to compose.

    Attributes:
        delivery_id: The delivery row.
        token: The claim token; outcomes are only written while it still matches.
        subscription_id: Its subscription.
        chat_id: Where to send.
        local_date: The chat's date the digest is for.
        countries: ISO codes the chat follows.
        language: The chat's language, or None for the operator's default.
        timezone: The chat's stored time zone, or None for the default.
        attempts: Claims of this delivery so far, this one included.
        active: False when the subscription was stopped after the row was made.
        previous: When the chat's previous digest was sent, or None.
    """

    delivery_id: int
    token: str
    subscription_id: int
    chat_id: int
    local_date: date
    countries: tuple[str, ...]
    language: str | None
    timezone: str | None
    attempts: int
    active: bool
    previous: datetime | None


def _is_postgres(session: AsyncSession) -> bool:
    return session.get_bind().dialect.name == "postgresql"


async def claim_new(
    session: AsyncSession,
    due: Sequence[DueSubscription],
    token: str,
    now: datetime,
    lease: timedelta,
) -> list[int]:
    """Create the delivery rows of ``due`` as claimed by ``token``; return their ids.

    A row another sender made first is skipped (the unique constraint decides). On
    PostgreSQL the subscriptions are locked with ``FOR UPDATE SKIP LOCKED`` first, so a
    second process passes over the ones this one is claiming instead of waiting for them.
    Does not commit: the claim holds once the caller commits.
    """
    if not due:
        return []
    wanted = {item.subscription_id: item.local_date for item in due}
    if _is_postgres(session):
        locked = await session.scalars(
            select(SubscriptionRow.id)
            .where(SubscriptionRow.id.in_(sorted(wanted)), SubscriptionRow.active.is_(True))
            .order_by(SubscriptionRow.id)
            .with_for_update(skip_locked=True)
        )
        ids = list(locked)
    else:
        ids = sorted(wanted)
    if not ids:
        return []
    rows = [
        {
            "subscription_id": sub_id,
            "local_date": wanted[sub_id],
            "status": CLAIMED,
            "claimed": now,
            "attempts": 1,
            "claim_token": token,
            "lease_until": now + lease,
        }
        for sub_id in ids
    ]
    insert = (postgresql.insert if _is_postgres(session) else sqlite.insert)(DeliveryRow)
    statement = insert.values(rows).on_conflict_do_nothing().returning(DeliveryRow.id)
    return list(await session.scalars(statement))


def _takeable(now: datetime) -> ColumnElement[bool]:
    return or_(
        and_(
            DeliveryRow.status == PENDING,
            or_(DeliveryRow.not_before.is_(None), DeliveryRow.not_before <= now),
        ),
        and_(
            DeliveryRow.status == CLAIMED,
            or_(DeliveryRow.lease_until.is_(None), DeliveryRow.lease_until < now),
        ),
    )


async def has_takeable(session: AsyncSession, now: datetime) -> bool:
    """Whether a delivery waits to be taken over (put back and due, or its lease ran out)."""
    found = await session.scalar(select(DeliveryRow.id).where(_takeable(now)).limit(1))
    return found is not None


async def reclaim(
    session: AsyncSession, token: str, now: datetime, lease: timedelta, limit: int
) -> list[int]:
    """Take over deliveries put back (pending, from their ``not_before``) and claims whose
    lease ran out (their sender died); return their ids. Does not commit."""
    takeable = _takeable(now)
    chosen = select(DeliveryRow.id).where(takeable).order_by(DeliveryRow.id).limit(limit)
    if _is_postgres(session):
        chosen = chosen.with_for_update(skip_locked=True)
    statement = (
        update(DeliveryRow)
        # Checked again in the UPDATE itself: on SQLite the subquery and the write are one
        # statement under the write lock, so two senders can never take the same row.
        .where(DeliveryRow.id.in_(chosen.scalar_subquery()), takeable)
        .values(
            status=CLAIMED,
            claim_token=token,
            claimed=now,
            lease_until=now + lease,
            not_before=None,
            attempts=DeliveryRow.attempts + 1,
        )
        .returning(DeliveryRow.id)
        .execution_options(synchronize_session=False)
    )
    return list(await session.scalars(statement))


async def list_claims(
    session: AsyncSession, delivery_ids: Iterable[int], token: str
) -> list[Claim]:
    """The deliveries ``token`` holds among ``delivery_ids``, with their chat and the time of
    each chat's previous digest; by delivery id."""
    ids = sorted(set(delivery_ids))
    if not ids:
        return []
    query = (
        select(
            DeliveryRow.id,
            DeliveryRow.subscription_id,
            DeliveryRow.local_date,
            DeliveryRow.attempts,
            SubscriptionRow.chat_id,
            SubscriptionRow.countries,
            SubscriptionRow.active,
            ChatRow.language,
            ChatRow.timezone,
        )
        .join(SubscriptionRow, DeliveryRow.subscription_id == SubscriptionRow.id)
        .join(ChatRow, SubscriptionRow.chat_id == ChatRow.id)
        .where(DeliveryRow.id.in_(ids), DeliveryRow.claim_token == token)
        .order_by(DeliveryRow.id)
    )
    rows = (await session.execute(query)).all()
    previous = await _previous_digests(session, [row.subscription_id for row in rows])
    return [
        Claim(
            delivery_id=row.id,
            token=token,
            subscription_id=row.subscription_id,
            chat_id=row.chat_id,
            local_date=row.local_date,
            countries=tuple(code for code in row.countries.split(",") if code),
            language=row.language,
            timezone=row.timezone,
            attempts=row.attempts,
            active=row.active,
            previous=previous.get(row.subscription_id),
        )
        for row in rows
    ]


async def _previous_digests(
    session: AsyncSession, subscription_ids: Sequence[int]
) -> dict[int, datetime]:
    if not subscription_ids:
        return {}
    query = (
        select(DeliveryRow.subscription_id, func.max(DeliveryRow.sent))
        .where(DeliveryRow.subscription_id.in_(subscription_ids), DeliveryRow.status == SENT)
        .group_by(DeliveryRow.subscription_id)
    )
    found: dict[int, datetime] = {}
    for sub_id, sent in (await session.execute(query)).all():
        if sent is not None:
            # max() comes back untyped on SQLite: naive text in UTC.
            if isinstance(sent, str):
                sent = datetime.fromisoformat(sent)
            found[sub_id] = sent if sent.tzinfo else sent.replace(tzinfo=UTC)
    return found


async def mark_sent(session: AsyncSession, held: Sequence[tuple[int, str]], now: datetime) -> int:
    """Mark deliveries sent, each only while its token still holds it; how many were.

    Args:
        held: (delivery id, claim token) pairs.
        now: When they were sent.
    """
    done = 0
    for token in {token for _, token in held}:
        ids = [delivery_id for delivery_id, owner in held if owner == token]
        result = await session.execute(
            update(DeliveryRow)
            .where(
                DeliveryRow.id.in_(ids),
                DeliveryRow.claim_token == token,
                DeliveryRow.status == CLAIMED,
            )
            .values(status=SENT, sent=now, lease_until=None, error=None)
            .execution_options(synchronize_session=False)
        )
        done += int(getattr(result, "rowcount", 0) or 0)
    return done


async def mark_failed(session: AsyncSession, delivery_id: int, token: str, error: str) -> None:
    """Give up on a delivery for good (the chat is gone, the subscription stopped...)."""
    await session.execute(
        update(DeliveryRow)
        .where(DeliveryRow.id == delivery_id, DeliveryRow.claim_token == token)
        .values(status=FAILED, lease_until=None, error=error[:1000])
        .execution_options(synchronize_session=False)
    )


async def put_back(
    session: AsyncSession,
    delivery_id: int,
    token: str,
    not_before: datetime,
    error: str,
    *,
    counts_as_attempt: bool = True,
) -> None:
    """Release a claim for a later pass, from ``not_before`` on.

    Args:
        counts_as_attempt: False when Telegram only asked us to wait (429): waiting is
            not a failure and must not use up the attempts a delivery gets.
    """
    values: dict[str, object] = {
        "status": PENDING,
        "not_before": not_before,
        "lease_until": None,
        "error": error[:1000],
    }
    if not counts_as_attempt:
        values["attempts"] = DeliveryRow.attempts - 1  # the claim added one
    await session.execute(
        update(DeliveryRow)
        .where(DeliveryRow.id == delivery_id, DeliveryRow.claim_token == token)
        .values(**values)
        .execution_options(synchronize_session=False)
    )


async def deactivate_subscription(session: AsyncSession, subscription_id: int) -> None:
    """Stop a subscription (its chat blocked the bot or is gone). Does not commit."""
    await session.execute(
        update(SubscriptionRow).where(SubscriptionRow.id == subscription_id).values(active=False)
    )


async def move_chat(session: AsyncSession, old_id: int, new_id: int) -> bool:
    """Move a group that became a supergroup: its preferences and subscription go to
    ``new_id``. Returns False when the new chat already has a subscription of its own; the
    old one is then stopped instead. Does not commit.

    Every statement writes (none reads first), so on SQLite the transaction takes the
    write lock at once instead of failing when another writer went in between.
    """
    await copy_chat(session, old_id, new_id)
    other = aliased(SubscriptionRow)
    moved = await session.execute(
        update(SubscriptionRow)
        .where(
            SubscriptionRow.chat_id == old_id,
            ~exists().where(other.chat_id == new_id),
        )
        .values(chat_id=new_id)
        .execution_options(synchronize_session=False)
    )
    if int(getattr(moved, "rowcount", 0) or 0) == 0:
        await session.execute(
            update(SubscriptionRow).where(SubscriptionRow.chat_id == old_id).values(active=False)
        )
        return False
    # Before the old row goes: its topics would go with it (ON DELETE CASCADE).
    await move_chat_belongings(session, old_id, new_id)
    await session.execute(delete(ChatRow).where(ChatRow.id == old_id))
    return True
