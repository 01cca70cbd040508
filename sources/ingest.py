"""Import files of every supported format into the store.

Pages, feeds and bank files are stored in one transaction each. JSON Lines files, which
may be hundreds of megabytes, are stored in batches, each its own short transaction, so
no write holds SQLite's lock for more than about half a second and the bot and ``fetch``
get their turns in between.
"""

from __future__ import annotations

import dataclasses
import functools
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.countries import find_countries
from core.dates import believable_published
from core.types import RateQuote, StoryDraft
from core.urls import canonical_url
from sources.banks import BankFormatError, parse_bank, refusal_reason
from sources.banks import nbkr as nbkr_bank
from sources.banks.dropped import collect_dropped_rows
from sources.detect import HEAD_BYTES, detect_format
from sources.feeds import FeedError, parse_feed
from sources.jsonl import LineError, iter_jsonl_file
from sources.page import parse_page
from sources.rate_gate import store_checked_rates
from storage.database import retry_when_busy
from storage.demo import count_demo_rows, remove_demo_data
from storage.rates import get_nearest_quote
from storage.stories import StoriesAdded, add_stories

# Pages, feeds and bank files are read whole; JSON Lines is streamed and has no cap.
MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
# JSON Lines stories are written in batches sized so that each write transaction takes
# about this long; a million-line file never sits in memory at once either.
TRANSACTION_SECONDS = 0.5
FIRST_BATCH = 200
MIN_BATCH, MAX_BATCH = 20, 2000
NBKR_WEEK = 7

Progress = Callable[[int, int], None]
"""Called with (bytes done, bytes in all) while a long file is read."""


class IngestError(Exception):
    """The file as a whole cannot be imported; the message says why."""


@dataclass
class FileReport:
    """What happened to one file."""

    path: str
    kind: str | None = None
    stories_added: int = 0
    stories_duplicate: int = 0
    rates_added: int = 0
    rates_updated: int = 0
    rates_unchanged: int = 0
    rates_rejected: int = 0
    problems: list[str] = field(default_factory=list)
    error: str | None = None

    @property
    def ok(self) -> bool:
        """True when the file was imported (perhaps with some bad lines)."""
        return self.error is None


def prepare_story(draft: StoryDraft, now: datetime | None = None) -> StoryDraft:
    """Canonicalise the URL, drop an unbelievable date and add the countries it mentions.

    Countries the source gave stay first; the gazetteer's follow, main country first. A
    date before 1991 or beyond tomorrow is dropped (``core.dates``): the story is undated.
    """
    found = find_countries(draft.title, draft.text or draft.summary)
    given = draft.countries
    return dataclasses.replace(
        draft,
        published=believable_published(draft.published, now or datetime.now(UTC)),
        url=canonical_url(draft.url) if draft.url else None,
        countries=given + tuple(code for code in found if code not in given),
    )


def _sniff(path: Path) -> tuple[str, int]:
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            head = handle.read(HEAD_BYTES)
    except IsADirectoryError:
        raise IngestError("is a directory") from None
    except FileNotFoundError:
        raise IngestError("no such file") from None
    except OSError as exc:
        raise IngestError(f"cannot read: {exc.strerror or exc}") from None
    if not head.strip():
        raise IngestError("empty file")
    kind = detect_format(head)
    if kind is None:
        reason = refusal_reason(head)
        raise IngestError(
            reason or "unrecognised format: not a news page, feed, JSON Lines or bank file"
        )
    return kind, size


def _read_document(path: Path, size: int) -> bytes:
    if size > MAX_DOCUMENT_BYTES:
        raise IngestError(
            f"too large: {size / 1_048_576:.1f} MB (pages, feeds and bank files stop at "
            f"{MAX_DOCUMENT_BYTES // 1_048_576} MB)"
        )
    return path.read_bytes()


def _parse_document(
    kind: str, data: bytes, source: str
) -> tuple[list[StoryDraft], list[RateQuote], list[str]]:
    if kind == "page":
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise IngestError(f"page is not UTF-8 text (byte {exc.start})") from None
        page = parse_page(text, source="page")
        return page.stories, page.rates, list(page.warnings)
    if kind == "feed":
        try:
            feed = parse_feed(data, source=source)
        except FeedError as exc:
            raise IngestError(str(exc)) from None
        notes = [f"read as {feed.encoding}: {feed.encoding_note}"] if feed.encoding_note else []
        return feed.stories, [], notes + list(feed.skipped)
    try:
        return [], parse_bank(kind, data), []
    except BankFormatError as exc:
        raise IngestError(str(exc)) from None


class _BatchSizer:
    """Stories per batch, adjusted after each write to aim at ``TRANSACTION_SECONDS``."""

    def __init__(self) -> None:
        self.size = FIRST_BATCH

    def observe(self, stories: int, seconds: float) -> None:
        if stories <= 0 or seconds <= 0:
            return
        wanted = int(stories * TRANSACTION_SECONDS / seconds)
        # At most double at a time: one quick batch says little about the next.
        self.size = max(MIN_BATCH, min(MAX_BATCH, self.size * 2, wanted))


def _jsonl_batches(
    path: Path,
    size: int,
    source: str,
    problems: list[str],
    progress: Progress | None,
    sizer: _BatchSizer,
) -> Iterator[list[StoryDraft]]:
    batch: list[StoryDraft] = []
    with path.open("rb") as handle:
        for parsed in iter_jsonl_file(handle, source):
            if isinstance(parsed, LineError):
                problems.append(f"{path.name}:{parsed.line}: {parsed.reason}")
                continue
            batch.append(prepare_story(parsed))
            if len(batch) >= sizer.size:
                if progress:
                    progress(handle.tell(), size)
                yield batch
                batch = []
    if progress:
        progress(size, size)
    yield batch


class Ingestor:
    """Imports files into the store: a page, feed or bank file whole or not at all, a JSON
    Lines file batch by batch."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def ingest_paths(
        self, paths: Sequence[Path], progress: Callable[[Path], Progress | None] | None = None
    ) -> list[FileReport]:
        """Import every path; one bad file never stops the others.

        NBKR weekly files come last, because their cross rates need a stored daily USD rate.
        """
        reports: dict[Path, FileReport] = {}
        deferred: list[Path] = []
        for path in paths:
            if self._is_nbkr_weekly(path):
                deferred.append(path)
                continue
            reports[path] = await self.ingest_file(path, progress(path) if progress else None)
        for path in deferred:
            reports[path] = await self.ingest_file(path, progress(path) if progress else None)
        return [reports[path] for path in paths]

    @staticmethod
    def _is_nbkr_weekly(path: Path) -> bool:
        try:
            kind, size = _sniff(path)
            if kind != "nbkr" or size > MAX_DOCUMENT_BYTES:
                return False
            _, per_unit = nbkr_bank.parse_kgs_per_unit(path.read_bytes())
        except (IngestError, BankFormatError, OSError):
            return False
        return "USD" not in per_unit

    async def ingest_file(self, path: Path, progress: Progress | None = None) -> FileReport:
        """Import one file and say what was added, skipped or wrong."""
        report = FileReport(path=str(path))
        try:
            report.kind, size = _sniff(path)
            if report.kind == "jsonl":
                await self._store_jsonl(path, size, report, progress)
                if report.stories_added:
                    await self._remove_demo_after_batches()
            else:
                async with self._sessions() as session, session.begin():
                    await self._store_document(session, path, size, report)
                    if report.stories_added or report.rates_added:
                        await remove_demo_data(session)  # real data takes the demo off screens
        except IngestError as exc:
            report.error = str(exc)
        except SQLAlchemyError as exc:
            reason = str(getattr(exc, "orig", None) or exc).splitlines()[0]
            report.error = f"the database refused it: {reason}"
            kept = report.stories_added + report.stories_duplicate
            if report.kind == "jsonl" and kept:
                # The batches before the failing one are committed; the report says so.
                report.error += f" (the {kept} stories read before it are stored)"
                return report
        if report.error:
            # The transaction rolled back: nothing of this file is stored.
            report.stories_added = report.rates_added = report.rates_updated = 0
            report.rates_rejected = 0
        return report

    async def _remove_demo_after_batches(self) -> None:
        """Take the demo off every screen once a batched import stored real stories.

        Checked first in a read, so an import into a store without demo rows adds no write.
        """
        async with self._sessions() as session:
            demo = await count_demo_rows(session)
        if demo.stories or demo.rates:
            async with self._sessions() as session, session.begin():
                await remove_demo_data(session)

    async def _store_jsonl(
        self, path: Path, size: int, report: FileReport, progress: Progress | None
    ) -> None:
        sizer = _BatchSizer()
        for batch in _jsonl_batches(path, size, path.stem, report.problems, progress, sizer):
            if not batch:
                continue
            started = time.perf_counter()
            added = await retry_when_busy(functools.partial(self._write_batch, batch))
            sizer.observe(len(batch), time.perf_counter() - started)
            report.stories_added += added.added
            report.stories_duplicate += added.duplicates
        if report.stories_added + report.stories_duplicate == 0 and report.problems:
            raise IngestError("no valid story in the file")

    async def _write_batch(self, batch: list[StoryDraft]) -> StoriesAdded:
        """One batch of a JSON Lines file in a transaction of its own."""
        async with self._sessions() as session, session.begin():
            return await add_stories(session, batch)

    async def _store_document(
        self, session: AsyncSession, path: Path, size: int, report: FileReport
    ) -> None:
        assert report.kind is not None
        data = _read_document(path, size)
        with collect_dropped_rows() as dropped:
            if report.kind == "nbkr":
                quotes = await nbkr_quotes(session, data)
                stories: list[StoryDraft] = []
            else:
                stories, quotes, report.problems = _parse_document(report.kind, data, path.stem)
        report.problems += [f"{path.name}: {reason}" for reason in dropped]
        if stories:
            added = await add_stories(session, [prepare_story(story) for story in stories])
            report.stories_added, report.stories_duplicate = added.added, added.duplicates
        if quotes:
            checked = await store_checked_rates(session, quotes)
            report.rates_added = checked.stored.added
            report.rates_updated = checked.stored.updated
            report.rates_unchanged = checked.stored.unchanged
            report.rates_rejected = len(checked.rejected)
            report.problems += [f"{path.name}: {r.summary()}" for r in checked.rejected]


async def nbkr_quotes(session: AsyncSession, data: bytes) -> list[RateQuote]:
    """Quotes from an NBKR daily or weekly file.

    The weekly file has no USD row: its rates hold for a week, so they are crossed
    through the stored daily USD rate nearest to the weekly date.

    Raises:
        IngestError: Not an NBKR file, or a weekly file with no daily rate near it.
    """
    try:
        as_of, per_unit = nbkr_bank.parse_kgs_per_unit(data)
        if "USD" in per_unit:
            return nbkr_bank.parse(data)
        kgs = await get_nearest_quote(session, "KGS", "nbkr", as_of, NBKR_WEEK)
        if kgs is None:
            raise IngestError(
                "NBKR weekly rates need a daily USD rate within a week of "
                f"{as_of.isoformat()}: import or fetch daily.xml first"
            )
        return nbkr_bank.parse(data, usd_rate=kgs.per_usd)
    except BankFormatError as exc:
        raise IngestError(str(exc)) from None
