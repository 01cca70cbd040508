"""Queries on stories. Callers own the session and its transaction."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Select, func, or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from core.types import MAX_COUNTRIES, MAX_SOURCE_CHARS, MAX_URL_CHARS, Story, StoryDraft
from storage.models import StoryRow

# Rows per INSERT round trip.
_CHUNK = 500


@dataclass(frozen=True, slots=True)
class StoriesAdded:
    """What ``add_stories`` did: how many rows it inserted and how many it skipped."""

    added: int
    duplicates: int


def fingerprint(title: str, body: str) -> str:
    """The content hash of a story: case and spacing do not matter."""
    normal = " ".join(title.casefold().split()) + "\n" + " ".join(body.casefold().split())
    return hashlib.sha256(normal.encode("utf-8")).hexdigest()


def _row_values(draft: StoryDraft) -> dict[str, object]:
    # Parsers keep to these limits; clipping here only guards the columns' sizes
    # against a parser that did not (a file name as source can be any length).
    url = draft.url if draft.url and len(draft.url) <= MAX_URL_CHARS else None
    return {
        "url": url,
        "title": draft.title,
        "summary": draft.summary,
        "text": draft.text,
        "published": draft.published,
        "lang": (draft.lang or "")[:8] or None,
        "source": draft.source[:MAX_SOURCE_CHARS],
        "countries": ",".join(draft.countries[:MAX_COUNTRIES]),
        "content_hash": fingerprint(draft.title, draft.text or draft.summary),
    }


async def add_stories(session: AsyncSession, drafts: Iterable[StoryDraft]) -> StoriesAdded:
    """Insert the stories that are not stored yet (same canonical URL or same content).

    The unique constraints decide: a row that would repeat a stored URL or content hash,
    whether stored earlier, earlier in this batch or by another process a moment ago, is
    skipped by the database. Does not commit: the caller decides where the transaction ends.
    """
    rows = [_row_values(draft) for draft in drafts]
    statement = _insert_or_skip(session).returning(StoryRow.id)
    added = 0
    for start in range(0, len(rows), _CHUNK):
        result = await session.execute(statement, rows[start : start + _CHUNK])
        added += len(result.all())
    return StoriesAdded(added=added, duplicates=len(rows) - added)


def _insert_or_skip(session: AsyncSession) -> postgresql.Insert | sqlite.Insert:
    if session.get_bind().dialect.name == "sqlite":
        return sqlite.insert(StoryRow).on_conflict_do_nothing()
    return postgresql.insert(StoryRow).on_conflict_do_nothing()


def to_story(row: StoryRow) -> Story:
    """The plain, session-free form of a stored story."""
    return Story(
        id=row.id,
        title=row.title,
        text=row.text,
        summary=row.summary,
        url=row.url,
        published=row.published,
        fetched=row.fetched,
        lang=row.lang,
        source=row.source,
        countries=tuple(code for code in row.countries.split(",") if code),
    )


def _newest_first(query: Select[StoryRow]) -> Select[StoryRow]:
    # Stories without a publication date sort by when we fetched them.
    return query.order_by(
        func.coalesce(StoryRow.published, StoryRow.fetched).desc(), StoryRow.id.desc()
    )


def _about(country: str) -> object:
    code = country.upper()
    return or_(
        StoryRow.countries == code,
        StoryRow.countries.like(f"{code},%"),
        StoryRow.countries.like(f"%,{code}"),
        StoryRow.countries.like(f"%,{code},%"),
    )


async def list_latest_stories(
    session: AsyncSession, *, country: str | None = None, limit: int = 10, offset: int = 0
) -> list[Story]:
    """The newest stories, optionally only those tagged with ``country``."""
    query = select(StoryRow)
    if country:
        query = query.where(_about(country))  # type: ignore[arg-type]
    query = _newest_first(query).limit(limit).offset(offset)
    result = await session.execute(query)
    return [to_story(row) for row in result.scalars()]


async def count_stories(session: AsyncSession) -> int:
    """How many stories are stored."""
    return int(await session.scalar(select(func.count()).select_from(StoryRow)) or 0)
