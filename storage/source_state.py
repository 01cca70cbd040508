"""What the fetcher remembers per source: validators, last outcome, failures, next fetch.

Callers own the session and its transaction. Writes are upserts, so the bot's schedule
and a ``newsbot fetch`` in another process may record the same source at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import SourceStateRow

# Error reasons are one line for people; a runaway exception text is cut here.
MAX_REASON_CHARS = 500
_MAX_VALIDATOR_CHARS = {"etag": 256, "last_modified": 64}


@dataclass(frozen=True, slots=True)
class SourceState:
    """The fetcher's memory of one source (all times aware, UTC)."""

    name: str
    etag: str | None = None
    last_modified: str | None = None
    last_success: datetime | None = None
    last_error: datetime | None = None
    last_error_reason: str | None = None
    consecutive_failures: int = 0
    next_fetch: datetime | None = None


def _to_state(row: SourceStateRow) -> SourceState:
    return SourceState(
        name=row.name,
        etag=row.etag,
        last_modified=row.last_modified,
        last_success=row.last_success,
        last_error=row.last_error,
        last_error_reason=row.last_error_reason,
        consecutive_failures=row.consecutive_failures or 0,
        next_fetch=row.next_fetch,
    )


async def get_source_state(session: AsyncSession, name: str) -> SourceState | None:
    """The stored state of source ``name``, or None before its first fetch."""
    row = await session.get(SourceStateRow, name)
    return None if row is None else _to_state(row)


async def list_source_states(session: AsyncSession) -> dict[str, SourceState]:
    """Every stored source state by name."""
    result = await session.execute(select(SourceStateRow))
    return {row.name: _to_state(row) for row in result.scalars()}


async def save_source_success(
    session: AsyncSession,
    name: str,
    *,
    when: datetime,
    next_fetch: datetime,
    etag: str | None,
    last_modified: str | None,
) -> None:
    """Record a good fetch (a 304 counts): failures reset, validators kept for next time.

    The last error and its reason stay, so ``newsbot sources`` can still say what went
    wrong before; ``last_success`` later than ``last_error`` means it was overcome.
    """
    values = {
        "etag": _clip(etag, _MAX_VALIDATOR_CHARS["etag"]),
        "last_modified": _clip(last_modified, _MAX_VALIDATOR_CHARS["last_modified"]),
        "last_success": when,
        "consecutive_failures": 0,
        "next_fetch": next_fetch,
    }
    await _upsert(session, name, values, values)


async def save_source_failure(
    session: AsyncSession, name: str, *, when: datetime, reason: str, next_fetch: datetime
) -> int:
    """Record a failed fetch and return how many failures in a row it has now.

    Raises nothing for a long or multi-line reason: it is cut to one line.
    """
    reason_line = " ".join(reason.split())[:MAX_REASON_CHARS] or "unknown error"
    values = {"last_error": when, "last_error_reason": reason_line, "next_fetch": next_fetch}
    insert_values = {**values, "consecutive_failures": 1}
    update_values = {
        **values,
        "consecutive_failures": SourceStateRow.consecutive_failures + 1,
    }
    await _upsert(session, name, insert_values, update_values)
    state = await session.get(SourceStateRow, name, populate_existing=True)
    return state.consecutive_failures if state else 1


async def _upsert(
    session: AsyncSession, name: str, insert_values: dict[str, Any], update_values: dict[str, Any]
) -> None:
    dialect = session.get_bind().dialect.name
    insert = sqlite.insert if dialect == "sqlite" else postgresql.insert
    defaults = {"consecutive_failures": 0}
    statement = insert(SourceStateRow).values(name=name, **{**defaults, **insert_values})
    await session.execute(
        statement.on_conflict_do_update(index_elements=[SourceStateRow.name], set_=update_values)
    )


def _clip(value: str | None, limit: int) -> str | None:
    # A validator too long for its column is dropped rather than cut: a cut ETag
    # would never match, and sending it would only waste the server's time.
    return value if value is not None and len(value) <= limit else None
