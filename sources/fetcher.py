"""Fetching sources: one source per transaction, one failure never touching another.

``Fetcher.fetch_source`` fetches one source for today (conditionally, when its URL
does not change with the date), stores what it holds together with the source's new
state in one transaction, and on failure records the reason and when to try again:
after ``every``, doubling with each failure in a row up to ``MAX_BACKOFF``.
``Fetcher.backfill`` walks a bank's archive day by day; ``fetch_pass`` runs a whole
catalog once, as ``newsbot fetch`` does.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import httpx
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from sources.catalog import SourceSpec, bank_today, source_url
from sources.intake import Intake, SourceError, store_body
from sources.transport import FetchConfig, Fetched, FetchError, fetch, make_client
from storage.database import is_busy
from storage.models import utc_now
from storage.source_state import (
    SourceState,
    get_source_state,
    save_source_failure,
    save_source_success,
)

__all__ = [
    "MAX_BACKFILL_DAYS",
    "MAX_BACKOFF",
    "Fetcher",
    "SourceReport",
    "fetch_pass",
    "next_fetch_after",
]

log = logging.getLogger(__name__)

MAX_BACKOFF = timedelta(hours=6)
# When our own database was busy (another writer held the lock), the source did nothing
# wrong: it is fetched again this soon, and its failure count stays as it was.
BUSY_RETRY = timedelta(minutes=1)
MAX_BACKFILL_DAYS = 3660
Clock = Callable[[], datetime]


@dataclass
class SourceReport:
    """What one fetch (or one backfill) of a source did.

    Attributes:
        name: The source.
        kind: Its kind.
        outcome: ``new`` (a body was stored), ``not-modified`` (304) or ``failed``.
        intake: What was stored.
        days: Days asked for (1, or more in a backfill).
        failed_days: ``YYYY-MM-DD: reason`` for each day of a backfill that failed.
        error: Why it failed, or None.
        next_fetch: When the schedule should try it again.
    """

    name: str
    kind: str
    outcome: str = "new"
    intake: Intake = field(default_factory=Intake)
    days: int = 1
    failed_days: list[str] = field(default_factory=list)
    error: str | None = None
    next_fetch: datetime | None = None

    @property
    def ok(self) -> bool:
        """True unless the source failed."""
        return self.outcome != "failed"


def next_fetch_after(spec: SourceSpec, failures: int, now: datetime) -> datetime:
    """When to fetch ``spec`` next: after ``every``, or later after failures in a row.

    The wait doubles with each failure (every, 2x, 4x ...) up to ``MAX_BACKOFF``, but is
    never shorter than ``every``.
    """
    if failures <= 0:
        return now + spec.every
    # Bounded exponent: 2**20 intervals is beyond any cap already.
    delay: timedelta = spec.every * 2 ** min(failures - 1, 20)
    wait: timedelta = max(spec.every, min(delay, MAX_BACKOFF))
    return now + wait


class Fetcher:
    """Fetches sources over one HTTP client and stores them through one session factory.

    Bank sources of one kind are fetched one at a time, in the order asked (NBKR's
    weekly file needs the daily one stored first, and a bank's server is asked one
    question at a time). Writes are serialised within the process so two outlets'
    copies of one story are compared, not inserted side by side.
    """

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        client: httpx.AsyncClient,
        config: FetchConfig | None = None,
        *,
        clock: Clock = utc_now,
    ) -> None:
        self._sessions = sessions
        self._client = client
        self._config = config or FetchConfig()
        self._clock = clock
        self._bank_locks: dict[str, asyncio.Lock] = {}
        self._store_lock = asyncio.Lock()

    async def fetch_source(self, spec: SourceSpec) -> SourceReport:
        """Fetch ``spec`` for today and store it; failures are recorded, never raised."""
        async with self._bank_lock(spec):
            return await self._fetch_today(spec)

    async def backfill(self, spec: SourceSpec, since: date) -> SourceReport:
        """Fetch ``spec`` for each day from ``since`` to today, each day in its own transaction.

        Sources without an archive (feeds, NBKR, undated URLs) are fetched for today only,
        with a note saying so. Days a bank has nothing for (weekends, holidays) are listed
        in ``failed_days``; the source fails only when no day could be read.
        """
        if not spec.has_history:
            report = await self.fetch_source(spec)
            if spec.is_bank and report.ok:
                report.intake.problems.append("no archive: fetched today only")
            return report
        async with self._bank_lock(spec):
            return await self._backfill(spec, since)

    def _bank_lock(self, spec: SourceSpec) -> asyncio.Lock:
        if not spec.is_bank:
            return asyncio.Lock()  # feeds never wait for each other
        return self._bank_locks.setdefault(spec.kind, asyncio.Lock())

    async def _fetch_today(self, spec: SourceSpec) -> SourceReport:
        report = SourceReport(spec.name, spec.kind)
        now = self._clock()
        state = await self._state(spec.name)
        url = source_url(spec, bank_today(spec.kind, now))
        # A dated URL is a new document every day: yesterday's validators mean nothing.
        validators = (None, None) if spec.is_dated else (state.etag, state.last_modified)
        try:
            fetched = await fetch(
                self._client, url, self._config, etag=validators[0], last_modified=validators[1]
            )
            if fetched.not_modified:
                report.outcome = "not-modified"
                await self._succeed(spec, report, now, fetched, state, None)
            else:
                await self._succeed(spec, report, now, fetched, state, fetched.body)
        except (FetchError, SourceError) as exc:
            await self._fail(spec, report, now, state, str(exc))
        except SQLAlchemyError as exc:
            if is_busy(exc):
                self._defer(spec, report, now)
            else:
                reason = f"the database refused it: {_first(exc)}"
                await self._fail(spec, report, now, state, reason)
        return report

    async def _backfill(self, spec: SourceSpec, since: date) -> SourceReport:
        report = SourceReport(spec.name, spec.kind)
        now = self._clock()
        today = bank_today(spec.kind, now)
        days = [since + timedelta(days=n) for n in range((today - since).days + 1)]
        report.days = len(days)
        last_error = "nothing to fetch"
        busy = False
        for day in days:
            try:
                fetched = await fetch(self._client, source_url(spec, day), self._config)
                async with self._store_lock, self._sessions() as session, session.begin():
                    report.intake.add(
                        await store_body(session, spec, fetched.body, fetched.charset)
                    )
            except (FetchError, SourceError) as exc:
                last_error = str(exc)
                report.failed_days.append(f"{day.isoformat()}: {exc}")
            except SQLAlchemyError as exc:
                busy = is_busy(exc)
                last_error = f"the database refused it: {_first(exc)}"
                report.failed_days.append(f"{day.isoformat()}: {last_error}")
        state = await self._state(spec.name)
        if len(report.failed_days) == len(days) and busy:
            self._defer(spec, report, self._clock())
        elif len(report.failed_days) == len(days):
            await self._fail(spec, report, self._clock(), state, last_error)
        else:
            await self._record_success(spec, report, self._clock(), None, None)
        return report

    async def _state(self, name: str) -> SourceState:
        try:
            async with self._sessions() as session:
                return await get_source_state(session, name) or SourceState(name)
        except SQLAlchemyError as exc:
            log.warning("source %s: cannot read its state: %s", name, _first(exc))
            return SourceState(name)

    async def _succeed(
        self,
        spec: SourceSpec,
        report: SourceReport,
        now: datetime,
        fetched: Fetched,
        state: SourceState,
        body: bytes | None,
    ) -> None:
        # A 304 may omit the validators; the ones that earned it stay valid.
        etag = fetched.etag or (state.etag if fetched.not_modified else None)
        modified = fetched.last_modified or (state.last_modified if fetched.not_modified else None)
        if spec.is_dated:
            etag = modified = None
        async with self._store_lock, self._sessions() as session, session.begin():
            if body is not None:
                report.intake = await store_body(session, spec, body, fetched.charset)
            # Same transaction: the stories and the validators that describe them
            # are stored together or not at all.
            report.next_fetch = next_fetch_after(spec, 0, now)
            await save_source_success(
                session,
                spec.name,
                when=now,
                next_fetch=report.next_fetch,
                etag=etag,
                last_modified=modified,
            )
        log.info("source %s: %s", spec.name, report.outcome)

    async def _record_success(
        self,
        spec: SourceSpec,
        report: SourceReport,
        now: datetime,
        etag: str | None,
        modified: str | None,
    ) -> None:
        report.next_fetch = next_fetch_after(spec, 0, now)
        try:
            async with self._store_lock, self._sessions() as session, session.begin():
                await save_source_success(
                    session,
                    spec.name,
                    when=now,
                    next_fetch=report.next_fetch,
                    etag=etag,
                    last_modified=modified,
                )
        except SQLAlchemyError as exc:
            log.error("source %s: cannot record its state: %s", spec.name, _first(exc))

    def _defer(self, spec: SourceSpec, report: SourceReport, now: datetime) -> None:
        """Our store was busy: this run stored nothing, but the source is not to blame.

        Its state is left alone (no failure counted, no back-off; writing it would meet
        the same lock) and the report asks for another try soon.
        """
        report.outcome = "failed"
        report.error = "our database was busy (locked by another writer); trying again soon"
        report.next_fetch = now + BUSY_RETRY
        log.warning("source %s: not stored, the local database was busy", spec.name)

    async def _fail(
        self, spec: SourceSpec, report: SourceReport, now: datetime, state: SourceState, reason: str
    ) -> None:
        report.outcome, report.error = "failed", reason
        report.next_fetch = next_fetch_after(spec, state.consecutive_failures + 1, now)
        log.warning("source %s failed: %s", spec.name, reason)
        try:
            async with self._store_lock, self._sessions() as session, session.begin():
                await save_source_failure(
                    session, spec.name, when=now, reason=reason, next_fetch=report.next_fetch
                )
        except SQLAlchemyError as exc:
            # The store itself is down: the report still says what happened.
            log.error("source %s: cannot record the failure: %s", spec.name, _first(exc))


def _first(exc: SQLAlchemyError) -> str:
    return str(getattr(exc, "orig", None) or exc).splitlines()[0]


async def fetch_pass(
    specs: Sequence[SourceSpec],
    sessions: async_sessionmaker[AsyncSession],
    *,
    config: FetchConfig | None = None,
    since: date | None = None,
    client: httpx.AsyncClient | None = None,
    clock: Clock = utc_now,
) -> list[SourceReport]:
    """Fetch every source once, ``config.concurrency`` at a time; due or not.

    Args:
        specs: The sources, in catalog order.
        sessions: The store.
        config: HTTP limits; the defaults when None.
        since: Backfill banks with an archive from this day (``--since``).
        client: An HTTP client to reuse; one is made (and closed) when None.
        clock: The current time (tests move it).

    Returns:
        One report per source, in the order given.
    """
    config = config or FetchConfig()
    if client is None:
        async with make_client(config) as own:
            return await fetch_pass(
                specs, sessions, config=config, since=since, client=own, clock=clock
            )
    fetcher = Fetcher(sessions, client, config, clock=clock)
    gate = asyncio.Semaphore(config.concurrency)

    async def one(spec: SourceSpec) -> SourceReport:
        async with gate:
            try:
                if since is not None:
                    return await fetcher.backfill(spec, since)
                return await fetcher.fetch_source(spec)
            except Exception as exc:  # one source's bug must not sink the pass
                log.exception("source %s: unexpected error", spec.name)
                return SourceReport(spec.name, spec.kind, "failed", error=f"internal error: {exc}")

    return list(await asyncio.gather(*(one(spec) for spec in specs)))
