"""Notices: messages features owe to chats (rate alerts, followed topics), claimed and sent once.

A notice row per event with a unique ``dedupe_key`` is the whole guarantee: whoever inserts
it owns the notice (``add_notice``), so two processes that detect the same event make one.
A pass claims notices with a token and a lease, a chat at a time (all of a chat's takeable
notices of one kind together, so a composer can put them in one message); a sender that dies
leaves a claim whose lease runs out, and the next pass takes it over. Outcomes are written
only while the token still holds the row. Callers own the session and its transaction;
nothing here commits.

On PostgreSQL a claim locks rows with ``FOR UPDATE SKIP LOCKED``, so two processes split the
chats instead of queueing behind each other. SQLite has one writer at a time: a claim is one
``UPDATE ... RETURNING``, atomic under its write lock.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, delete, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import ChatRow, NoticeRow

PENDING = "pending"
CLAIMED = "claimed"
SENT = "sent"
FAILED = "failed"
DROPPED = "dropped"

MAX_KIND_CHARS = 32
MAX_KEY_CHARS = 200
_ERROR_CHARS = 1000


@dataclass(frozen=True, slots=True)
class Notice:
    """One stored notice, free of the session: the row's columns (``NoticeRow``) but the
    claim's; ``payload`` holds what the kind's composer needs, ``attempts`` counts claims."""

    id: int
    kind: str
    dedupe_key: str
    chat_id: int
    payload: Mapping[str, Any]
    status: str
    attempts: int
    created_at: datetime
    sent_at: datetime | None
    error: str | None


@dataclass(frozen=True, slots=True)
class ChatNotices:
    """The notices of one kind a sender claimed for one chat, oldest first.

    Attributes:
        chat_id: Where they go.
        language: The chat's language, or None when it chose none (or is not stored).
        timezone: The chat's time zone name, or None.
        token: The claim token holding them.
        notices: The claimed notices, by id.
    """

    chat_id: int
    language: str | None
    timezone: str | None
    token: str
    notices: tuple[Notice, ...]

    @property
    def ids(self) -> tuple[int, ...]:
        """The ids of the claimed notices."""
        return tuple(notice.id for notice in self.notices)


def _is_postgres(session: AsyncSession) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def _to_notice(row: NoticeRow) -> Notice:
    return Notice(
        id=row.id,
        kind=row.kind,
        dedupe_key=row.dedupe_key,
        chat_id=row.chat_id,
        payload=dict(row.payload or {}),
        status=row.status,
        attempts=row.attempts,
        created_at=row.created_at,
        sent_at=row.sent_at,
        error=row.error,
    )


def _rowcount(result: Any) -> int:
    return int(getattr(result, "rowcount", 0) or 0)


async def add_notice(
    session: AsyncSession,
    kind: str,
    dedupe_key: str,
    chat_id: int,
    payload: Mapping[str, Any],
    now: datetime,
    *,
    not_before: datetime | None = None,
) -> bool:
    """Add a pending notice unless one with ``dedupe_key`` exists; True when it is new.

    Args:
        kind: The feature's kind name, 1-32 characters.
        dedupe_key: Unique across all kinds (prefix it with the kind), 1-200 characters,
            naming the event itself ("alert:17:3": the third crossing of alert 17).
        chat_id: Where the notice goes.
        payload: JSON values for the kind's composer.
        now: When it was made.
        not_before: Not sent before this moment (None: at the next pass).

    Raises:
        ValueError: an empty or too long kind or key.
    """
    if not 0 < len(kind) <= MAX_KIND_CHARS or not 0 < len(dedupe_key) <= MAX_KEY_CHARS:
        raise ValueError("a notice needs a kind of 1-32 and a key of 1-200 characters")
    values = {
        "kind": kind,
        "dedupe_key": dedupe_key,
        "chat_id": chat_id,
        "payload": dict(payload),
        "status": PENDING,
        "attempts": 0,
        "not_before": not_before,
        "created_at": now,
    }
    insert = (postgresql.insert if _is_postgres(session) else sqlite.insert)(NoticeRow)
    statement = insert.values(values).on_conflict_do_nothing().returning(NoticeRow.id)
    return (await session.scalar(statement)) is not None


def _takeable(kind: str, now: datetime) -> ColumnElement[bool]:
    return and_(
        NoticeRow.kind == kind,
        or_(
            and_(
                NoticeRow.status == PENDING,
                or_(NoticeRow.not_before.is_(None), NoticeRow.not_before <= now),
            ),
            and_(
                NoticeRow.status == CLAIMED,
                or_(NoticeRow.lease_until.is_(None), NoticeRow.lease_until < now),
            ),
        ),
    )


async def has_takeable(session: AsyncSession, kind: str, now: datetime) -> bool:
    """Whether a notice of ``kind`` waits to be claimed (pending and due, or its lease ran
    out): a pass with nothing to do costs this one query."""
    found = await session.scalar(select(NoticeRow.id).where(_takeable(kind, now)).limit(1))
    return found is not None


async def claim_chats(
    session: AsyncSession,
    kind: str,
    token: str,
    now: datetime,
    lease: timedelta,
    max_chats: int,
) -> list[ChatNotices]:
    """Claim every takeable notice of ``kind`` of up to ``max_chats`` chats for ``token``.

    Chats come oldest notice first. Each claim counts as an attempt. Does not commit: the
    claim holds once the caller commits.
    """
    takeable = _takeable(kind, now)
    if _is_postgres(session):
        # Lock a few takeable rows no other sender holds; their chats are this claim's.
        locked = (
            select(NoticeRow.chat_id)
            .where(takeable)
            .order_by(NoticeRow.id)
            .limit(max_chats * 4)
            .with_for_update(skip_locked=True)
        )
        chats = list(dict.fromkeys(await session.scalars(locked)))[:max_chats]
        if not chats:
            return []
        rows = (
            select(NoticeRow.id)
            .where(takeable, NoticeRow.chat_id.in_(chats))
            .with_for_update(skip_locked=True)
        )
        chosen = NoticeRow.id.in_(rows.scalar_subquery())
    else:
        first = (
            select(NoticeRow.chat_id)
            .where(takeable)
            .group_by(NoticeRow.chat_id)
            .order_by(func.min(NoticeRow.id))
            .limit(max_chats)
        )
        chosen = NoticeRow.chat_id.in_(first.scalar_subquery())
    statement = (
        update(NoticeRow)
        # Checked again in the UPDATE itself: on SQLite the subquery and the write are one
        # statement under the write lock, so two senders can never take the same row.
        .where(chosen, takeable)
        .values(
            status=CLAIMED,
            claim_token=token,
            lease_until=now + lease,
            not_before=None,
            attempts=NoticeRow.attempts + 1,
        )
        .returning(NoticeRow.id)
        .execution_options(synchronize_session=False)
    )
    ids = list(await session.scalars(statement))
    return await list_claimed(session, ids, token)


async def list_claimed(
    session: AsyncSession, notice_ids: Iterable[int], token: str
) -> list[ChatNotices]:
    """The notices ``token`` holds among ``notice_ids``, grouped by chat with the chat's
    language and time zone; chats by their oldest notice."""
    ids = sorted(set(notice_ids))
    if not ids:
        return []
    query = (
        select(NoticeRow, ChatRow.language, ChatRow.timezone)
        .outerjoin(ChatRow, ChatRow.id == NoticeRow.chat_id)
        .where(
            NoticeRow.id.in_(ids),
            NoticeRow.claim_token == token,
            NoticeRow.status == CLAIMED,
        )
        .order_by(NoticeRow.id)
    )
    groups: dict[int, tuple[str | None, str | None, list[Notice]]] = {}
    for row, language, timezone in (await session.execute(query)).all():
        groups.setdefault(row.chat_id, (language, timezone, []))[2].append(_to_notice(row))
    return [
        ChatNotices(chat_id, language, timezone, token, tuple(notices))
        for chat_id, (language, timezone, notices) in groups.items()
    ]


def _held(ids: Sequence[int], token: str) -> ColumnElement[bool]:
    return and_(NoticeRow.id.in_(ids), NoticeRow.claim_token == token, NoticeRow.status == CLAIMED)


async def mark_sent(session: AsyncSession, held: Sequence[tuple[int, str]], now: datetime) -> int:
    """Mark notices sent, each only while its token still holds it; how many were.

    Args:
        held: (notice id, claim token) pairs: whatever was sent since the last write.
        now: When they were sent.
    """
    done = 0
    for token in {token for _, token in held}:
        ids = [notice_id for notice_id, owner in held if owner == token]
        result = await session.execute(
            update(NoticeRow)
            .where(_held(ids, token))
            .values(status=SENT, sent_at=now, lease_until=None, error=None)
            .execution_options(synchronize_session=False)
        )
        done += _rowcount(result)
    return done


async def mark_failed(
    session: AsyncSession, ids: Sequence[int], token: str, error: str, *, status: str = FAILED
) -> int:
    """Give up on notices ``token`` holds (``failed``; ``dropped`` when nobody wants them
    any more); how many were."""
    result = await session.execute(
        update(NoticeRow)
        .where(_held(ids, token))
        .values(status=status, lease_until=None, error=error[:_ERROR_CHARS])
        .execution_options(synchronize_session=False)
    )
    return _rowcount(result)


async def put_back(
    session: AsyncSession,
    ids: Sequence[int],
    token: str,
    not_before: datetime,
    error: str,
    *,
    counts_as_attempt: bool = True,
) -> int:
    """Release notices ``token`` holds for a later pass, from ``not_before`` on.

    Args:
        counts_as_attempt: False when Telegram only asked us to wait (429): waiting is not
            a failure and must not use up the attempts a notice gets.
    """
    values: dict[str, object] = {
        "status": PENDING,
        "not_before": not_before,
        "lease_until": None,
        "error": error[:_ERROR_CHARS],
    }
    if not counts_as_attempt:
        values["attempts"] = NoticeRow.attempts - 1  # the claim added one
    result = await session.execute(
        update(NoticeRow)
        .where(_held(ids, token))
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    return _rowcount(result)


async def drop_chat_notices(
    session: AsyncSession,
    chat_id: int,
    reason: str,
    *,
    kind: str | None = None,
    token: str | None = None,
) -> int:
    """Drop a chat's pending notices (of ``kind``, or of every kind), and those ``token``
    holds; how many. For a chat that blocked the bot or a feature the chat stopped."""
    waiting = NoticeRow.status == PENDING
    if token is not None:
        waiting = or_(waiting, and_(NoticeRow.status == CLAIMED, NoticeRow.claim_token == token))
    where = [NoticeRow.chat_id == chat_id, waiting]
    if kind is not None:
        where.append(NoticeRow.kind == kind)
    result = await session.execute(
        update(NoticeRow)
        .where(*where)
        .values(status=DROPPED, lease_until=None, error=reason[:_ERROR_CHARS])
        .execution_options(synchronize_session=False)
    )
    return _rowcount(result)


async def move_chat_notices(session: AsyncSession, old_id: int, new_id: int) -> int:
    """Move every notice of a group that became a supergroup to its new id; how many."""
    result = await session.execute(
        update(NoticeRow)
        .where(NoticeRow.chat_id == old_id)
        .values(chat_id=new_id)
        .execution_options(synchronize_session=False)
    )
    return _rowcount(result)


async def list_notices(
    session: AsyncSession,
    *,
    kind: str | None = None,
    status: str | None = None,
    chat_id: int | None = None,
    limit: int = 50,
) -> list[Notice]:
    """Notices for operators and tests, newest first, at most ``limit``."""
    query = select(NoticeRow).order_by(NoticeRow.id.desc()).limit(limit)
    if kind is not None:
        query = query.where(NoticeRow.kind == kind)
    if status is not None:
        query = query.where(NoticeRow.status == status)
    if chat_id is not None:
        query = query.where(NoticeRow.chat_id == chat_id)
    return [_to_notice(row) for row in await session.scalars(query)]


async def count_notices(
    session: AsyncSession, *, kind: str | None = None
) -> dict[tuple[str, str], int]:
    """How many notices there are per (kind, status)."""
    query = select(NoticeRow.kind, NoticeRow.status, func.count()).group_by(
        NoticeRow.kind, NoticeRow.status
    )
    if kind is not None:
        query = query.where(NoticeRow.kind == kind)
    return {(k, s): int(n) for k, s, n in (await session.execute(query)).all()}


async def prune_notices(session: AsyncSession, before: datetime) -> int:
    """Delete sent, failed and dropped notices made before ``before``; how many. Their keys
    go with them: an event detected again after that makes a new notice."""
    result = await session.execute(
        delete(NoticeRow)
        .where(NoticeRow.status.in_((SENT, FAILED, DROPPED)), NoticeRow.created_at < before)
        .execution_options(synchronize_session=False)
    )
    return _rowcount(result)
