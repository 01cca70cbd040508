"""Queries on stories. Callers own the session and its transaction."""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any

from rapidfuzz import fuzz, process, utils
from sqlalchemy import (
    ColumnElement,
    CompoundSelect,
    Interval,
    Row,
    Select,
    bindparam,
    func,
    literal,
    or_,
    select,
    union_all,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from core.dates import UNDATED_DELAY, rank_moment
from core.types import MAX_COUNTRIES, MAX_SOURCE_CHARS, MAX_URL_CHARS, Story, StoryDraft
from storage.editions import link_editions
from storage.models import StoryRow, utc_now

# Rows per INSERT round trip.
_CHUNK = 500
# Two outlets' stories are the same news when their titles score at least this (0-100,
# rapidfuzz's normalised Levenshtein ratio) and they are dated within the window.
SAME_TITLE_SCORE = 90.0
SAME_STORY_WINDOW = timedelta(hours=48)
_MIN_TITLE_CHARS = 20
_MAX_CANDIDATES = 50_000
_ALSO_CHARS = 512
# Pages of the newest stories reaching this deep are ranked by the database itself.
_MERGED_PAGE_ROWS = 1_000
# Every column as a plain row: lists of stories need no ORM objects (half the cost).
_STORY_ROWS = select(*StoryRow.__table__.columns)
# The other-language editions of some stories.
_EDITIONS_OF = _STORY_ROWS.where(
    StoryRow.edition_of.in_(bindparam("ids", expanding=True))
).order_by(StoryRow.id)


@dataclass(frozen=True, slots=True)
class StoriesAdded:
    """What ``add_stories`` did: rows inserted, rows skipped as already stored, and
    stories counted onto another outlet's row as the same news (``merged``)."""

    added: int
    duplicates: int
    merged: int = 0
    # Of the added, how many repeat a stored story in another language (``core.editions``).
    editions: int = 0


def fingerprint(title: str, body: str) -> str:
    """The content hash of a story: case and spacing do not matter."""
    normal = " ".join(title.casefold().split()) + "\n" + " ".join(body.casefold().split())
    return hashlib.sha256(normal.encode("utf-8")).hexdigest()


def _row_values(draft: StoryDraft) -> dict[str, Any]:
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


async def add_stories(
    session: AsyncSession, drafts: Iterable[StoryDraft], *, merge_similar: bool = False
) -> StoriesAdded:
    """Insert the stories that are not stored yet (same canonical URL or same content).

    The unique constraints decide: a row that would repeat a stored URL or content hash,
    whether stored earlier, earlier in this batch or by another process a moment ago, is
    skipped by the database. Does not commit: the caller decides where the transaction ends.

    Args:
        session: An open session; its transaction is the caller's.
        drafts: Stories with canonical URLs (see ``sources.ingest.prepare_story``).
        merge_similar: Also look for the same news from another outlet: a stored story
            from a different source, dated within 48 hours, with a near-identical title.
            Such a draft is not inserted; the stored row counts one more outlet instead.
            The fetcher turns this on; bulk imports of one archive leave it off.

    Returns:
        How many rows were added, skipped as duplicates and merged.
    """
    rows = [_row_values(draft) for draft in drafts]
    merged = 0
    if merge_similar and rows:
        rows, merged, already = await _merge_similar(session, rows)
    else:
        already = 0
    statement = _insert_or_skip(session).returning(StoryRow.id, StoryRow.lang)
    added = 0
    with_lang: list[int] = []  # only a story whose language is known can be an edition
    for start in range(0, len(rows), _CHUNK):
        result = (await session.execute(statement, rows[start : start + _CHUNK])).all()
        added += len(result)
        with_lang += [int(story_id) for story_id, lang in result if lang]
    editions = await link_editions(session, with_lang)
    return StoriesAdded(
        added=added, duplicates=len(rows) - added + already, merged=merged, editions=editions
    )


@dataclass(slots=True)
class _Candidate:
    id: int
    key: str
    source: str
    when: datetime
    outlets: int
    also: list[str]


def _title_key(title: str) -> str:
    # Case, punctuation and spacing differ between outlets; the words do not.
    return " ".join(utils.default_process(title).split())


async def _merge_similar(
    session: AsyncSession, rows: list[dict[str, Any]]
) -> tuple[list[dict[str, Any]], int, int]:
    """Split off the rows that another outlet's stored story already covers.

    Returns:
        (rows still to insert, rows merged into a stored story, rows that this
        outlet had already been counted for).
    """
    now = utc_now()
    times = [row["published"] or now for row in rows]
    query = select(
        StoryRow.id,
        StoryRow.title,
        StoryRow.source,
        func.coalesce(StoryRow.published, StoryRow.fetched).label("when"),
        StoryRow.outlets,
        StoryRow.also_reported,
    ).where(
        func.coalesce(StoryRow.published, StoryRow.fetched).between(
            min(times) - SAME_STORY_WINDOW, max(times) + SAME_STORY_WINDOW
        )
    )
    candidates = [
        _Candidate(
            r.id,
            _title_key(r.title),
            r.source,
            _aware(r.when),
            r.outlets,
            [s for s in r.also_reported.split(",") if s],
        )
        for r in (await session.execute(query.limit(_MAX_CANDIDATES)))
    ]
    stored = await _stored_keys(session, rows)
    keep: list[dict[str, Any]] = []
    touched: dict[int, _Candidate] = {}
    merged = already = 0
    for row, when in zip(rows, times, strict=True):
        # A story stored under its own URL or content stays a plain duplicate: counting
        # it onto another row as well would count its outlet twice.
        if row["url"] in stored or row["content_hash"] in stored:
            keep.append(row)
            continue
        match = _find_same_story(row, when, candidates)
        if match is None:
            keep.append(row)
        elif row["source"] in match.also:
            already += 1
        else:
            match.also.append(row["source"])
            match.outlets += 1
            touched[match.id] = match
            merged += 1
    for match in touched.values():
        also = ",".join(match.also)
        while len(also) > _ALSO_CHARS:
            also = also.rsplit(",", 1)[0]
        await session.execute(
            update(StoryRow)
            .where(StoryRow.id == match.id)
            .values(outlets=match.outlets, also_reported=also)
        )
    return keep, merged, already


async def _stored_keys(session: AsyncSession, rows: list[dict[str, Any]]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(rows), _CHUNK):
        chunk = rows[start : start + _CHUNK]
        urls = [row["url"] for row in chunk if row["url"]]
        hashes = [row["content_hash"] for row in chunk]
        query = select(StoryRow.url, StoryRow.content_hash).where(
            or_(StoryRow.url.in_(urls), StoryRow.content_hash.in_(hashes))
        )
        for url, content_hash in await session.execute(query):
            found.update(key for key in (url, content_hash) if key)
    return found


def _find_same_story(
    row: dict[str, Any], when: datetime, candidates: list[_Candidate]
) -> _Candidate | None:
    key = _title_key(row["title"])
    if len(key) < _MIN_TITLE_CHARS:
        return None  # "News", "Weather": too short to say two outlets mean the same
    pool = [
        c
        for c in candidates
        if c.source != row["source"] and abs(c.when - when) <= SAME_STORY_WINDOW
    ]
    best = process.extractOne(
        key, [c.key for c in pool], scorer=fuzz.ratio, score_cutoff=SAME_TITLE_SCORE
    )
    return None if best is None else pool[best[2]]


def _aware(value: datetime) -> datetime:
    # SQLite hands back the coalesced expression untyped: naive, already in UTC.
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _insert_or_skip(session: AsyncSession) -> postgresql.Insert | sqlite.Insert:
    if session.get_bind().dialect.name == "sqlite":
        return sqlite.insert(StoryRow).on_conflict_do_nothing()
    return postgresql.insert(StoryRow).on_conflict_do_nothing()


def to_story(row: StoryRow | Row[Any]) -> Story:
    """The plain, session-free form of a stored story (an ORM object or a row of all the
    table's columns)."""
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
        outlets=row.outlets,
    )


def rank_moment_sql(dialect: str) -> ColumnElement[Any]:
    """``core.dates.rank_moment`` in SQL: the publication, else the fetch time made older."""
    if dialect == "sqlite":
        # SQLite stores naive UTC text; datetime() shifts it and drops the microseconds.
        seconds = int(UNDATED_DELAY.total_seconds())
        fetched: ColumnElement[Any] = func.strftime(
            "%Y-%m-%d %H:%M:%f000", StoryRow.fetched, f"-{seconds} seconds"
        )
    else:
        fetched = StoryRow.fetched - literal(UNDATED_DELAY, Interval())
    return func.coalesce(StoryRow.published, fetched)


def _newest_first(query: Select[Any], dialect: str) -> Select[Any]:
    # Undated stories rank after the dated news of recent days (core.dates).
    return query.order_by(rank_moment_sql(dialect).desc(), StoryRow.id.desc())


def _about(country: str) -> object:
    code = country.upper()
    return or_(
        StoryRow.countries == code,
        StoryRow.countries.like(f"{code},%"),
        StoryRow.countries.like(f"%,{code}"),
        StoryRow.countries.like(f"%,{code},%"),
    )


async def attach_editions(session: AsyncSession, stories: list[Story]) -> list[Story]:
    """``stories`` with their other-language editions in ``Story.editions``."""
    if not stories:
        return stories
    found: dict[int, list[Story]] = {}
    ids = [story.id for story in stories]
    for row in (await session.execute(_EDITIONS_OF, {"ids": ids})).all():
        found.setdefault(row.edition_of or 0, []).append(to_story(row))
    return [
        dataclasses.replace(story, editions=tuple(found[story.id])) if story.id in found else story
        for story in stories
    ]


async def list_latest_stories(
    session: AsyncSession, *, country: str | None = None, limit: int = 10, offset: int = 0
) -> list[Story]:
    """The newest stories, one item per story: other-language editions ride along in
    ``Story.editions``. Optionally only those tagged with ``country``."""
    if offset + limit > _MERGED_PAGE_ROWS:
        # A deep page: the database ranks every row (a sort of the whole table, but rare).
        dialect = session.get_bind().dialect.name
        ranked = _newest_first(first_editions(country), dialect).limit(limit).offset(offset)
        stories = [to_story(row) for row in await session.execute(ranked)]
    else:
        stories = (await _newest(session, country, offset + limit))[offset:]
    return await attach_editions(session, stories)


async def _newest(session: AsyncSession, country: str | None, wanted: int) -> list[Story]:
    """The ``wanted`` newest first editions (about ``country``) in ``rank_moment`` order."""
    statement = _newest_rows_of(country.upper() if country else None, wanted)
    stories = [to_story(row) for row in await session.execute(statement)]
    stories.sort(key=lambda story: (rank_moment(story.published, story.fetched), story.id))
    return stories[::-1][:wanted]


def newest_rows(query: Select[Any], wanted: int) -> CompoundSelect[Any]:
    """Up to ``wanted`` dated rows of ``query``, newest first, and as many undated ones.

    Dated stories come in order from the index on (``edition_of``, ``published``) and
    undated ones (few) are sorted by fetch time, in one round trip; the caller merges the
    two by the rank moment. Ranking by the rank moment in SQL instead sorts every first
    edition of the table for each page: milliseconds at 10,000 stories, and growing.
    """
    dated = query.where(StoryRow.published.is_not(None)).order_by(
        StoryRow.published.desc(), StoryRow.id.desc()
    )
    undated = query.where(StoryRow.published.is_(None)).order_by(
        StoryRow.fetched.desc(), StoryRow.id.desc()
    )
    return union_all(*(select(part.limit(wanted).subquery()) for part in (dated, undated)))


@lru_cache(maxsize=512)
def _newest_rows_of(country: str | None, wanted: int) -> CompoundSelect[Any]:
    # Built once per country and page depth: building a statement costs more than the
    # database takes to answer it.
    return newest_rows(first_editions(country), wanted)


def first_editions(country: str | None = None) -> Select[Any]:
    """Every column of the first editions (about ``country`` when given), as plain rows."""
    query = _STORY_ROWS.where(StoryRow.edition_of.is_(None))
    return query.where(_about(country)) if country else query  # type: ignore[arg-type]


async def count_stories(session: AsyncSession) -> int:
    """How many stories are stored."""
    return int(await session.scalar(select(func.count()).select_from(StoryRow)) or 0)


async def list_story_pool(session: AsyncSession, since: datetime, limit: int) -> list[Story]:
    """Stories fetched after ``since``, newest first, at most ``limit``: a pass's candidates."""
    query = (
        select(StoryRow)
        .where(StoryRow.fetched > since, StoryRow.edition_of.is_(None))
        .order_by(StoryRow.fetched.desc(), StoryRow.id.desc())
        .limit(limit)
    )
    # One item per story: its other-language editions ride along (core.editions).
    return await attach_editions(session, [to_story(row) for row in await session.scalars(query)])
