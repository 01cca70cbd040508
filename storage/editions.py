"""Linking language editions of one story to the edition stored first.

Callers own the session and its transaction. ``core.editions`` says what makes two
stories editions of one; this module finds them among the stored stories.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from core.editions import EDITION_WINDOW, language_variants, same_news
from storage.models import StoryRow

_CHUNK = 500
# Stories of the batch's outlets in its time span that one pass compares against.
_MAX_NEAR = 20_000
_COLUMNS = (
    StoryRow.id,
    StoryRow.url,
    StoryRow.title,
    StoryRow.source,
    StoryRow.lang,
    StoryRow.published,
    StoryRow.countries,
    StoryRow.edition_of,
)


async def link_editions(session: AsyncSession, ids: Sequence[int]) -> int:
    """Mark each of the stories ``ids`` that repeats a stored story in another language.

    A story becomes an edition of the first-stored one (``edition_of``), found by an
    address that differs only in its language segment, or by the same outlet, within
    30 minutes, with the same figures and names. Two queries per 500 stories, whatever
    their number. Does not commit.

    Returns:
        How many stories were linked.
    """
    linked = 0
    for start in range(0, len(ids), _CHUNK):
        query = select(*_COLUMNS).where(StoryRow.id.in_(ids[start : start + _CHUNK]))
        rows = [row for row in (await session.execute(query)).all() if row.lang]
        by_url = await _stored_by_url(session, rows)
        by_time = await _stored_near(session, rows)
        for row in rows:
            first = _first_edition(row, by_url, by_time)
            if first is not None:
                await session.execute(
                    update(StoryRow).where(StoryRow.id == row.id).values(edition_of=first)
                )
                linked += 1
    return linked


async def _stored_by_url(session: AsyncSession, rows: list[Any]) -> dict[str, Any]:
    variants = {variant for row in rows if row.url for variant in language_variants(row.url)}
    if not variants:
        return {}
    query = select(*_COLUMNS).where(StoryRow.url.in_(sorted(variants)))
    return {match.url: match for match in (await session.execute(query)).all()}


async def _stored_near(session: AsyncSession, rows: list[Any]) -> dict[str, list[Any]]:
    """The dated stories of the rows' outlets around their times, per outlet, by time."""
    dated = [row for row in rows if row.published is not None]
    if not dated:
        return {}
    earliest: datetime = min(row.published for row in dated) - EDITION_WINDOW
    latest: datetime = max(row.published for row in dated) + EDITION_WINDOW
    query = select(*_COLUMNS).where(
        StoryRow.source.in_({row.source for row in dated}),
        StoryRow.published.between(earliest, latest),
        StoryRow.lang.is_not(None),
    )
    near: dict[str, list[Any]] = {}
    for match in (await session.execute(query.order_by(StoryRow.id).limit(_MAX_NEAR))).all():
        near.setdefault(match.source, []).append(match)
    for matches in near.values():
        matches.sort(key=lambda match: match.published)
    return near


def _first_edition(row: Any, by_url: dict[str, Any], near: dict[str, list[Any]]) -> int | None:
    def other(match: Any) -> bool:
        return bool(match.id < row.id and match.source == row.source and match.lang != row.lang)

    if row.url:
        for variant in language_variants(row.url):
            match = by_url.get(variant)
            if match is not None and other(match):
                return int(match.edition_of or match.id)
    if row.published is None:
        return None
    matches = near.get(row.source, [])
    times = [match.published for match in matches]
    low = bisect_left(times, row.published - EDITION_WINDOW)
    high = bisect_right(times, row.published + EDITION_WINDOW)
    for match in sorted(matches[low:high], key=lambda match: match.id):
        if other(match) and same_news(row.title, match.title, row.countries, match.countries):
            return int(match.edition_of or match.id)
    return None
