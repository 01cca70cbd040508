"""Fetching every source on its own interval, in the background of the bot.

Several instances may run this schedule against one database: before fetching a source,
an instance takes the lease ``fetch:<source>`` (``storage.leases``) and then reads the
source's stored ``next_fetch`` again, so a source another instance has just fetched is
skipped. Each source is thus fetched once per its period, whatever the instance count.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta

import httpx
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from sources.catalog import SourceSpec
from sources.fetcher import Clock, Fetcher, SourceReport, next_fetch_after
from sources.transport import FetchConfig, make_client
from storage.leases import make_holder, run_under_lease
from storage.models import utc_now
from storage.source_state import get_source_state, list_source_states

__all__ = ["run_schedule"]

log = logging.getLogger(__name__)

# The loop wakes at least this often (seconds) to notice new due times.
_MAX_SLEEP = 60.0
# A fetch's lease outlives its HTTP limit by this much (storing takes time too); it is
# renewed while the fetch runs, so this only bounds how long a dead instance blocks it.
_HOLD_MARGIN = timedelta(seconds=60)
# The real period guard is next_fetch; this only stops instances from taking turns
# at a source whose fetches cannot be recorded (the database failing).
FETCH_MIN_GAP = timedelta(seconds=10)
# When to look again at a source that another instance holds, or whose lease could not
# be taken because the database failed.
RECHECK = timedelta(seconds=30)

# (when the source is due next, the fetch's report or None when it was not fetched here)
_Outcome = tuple[datetime, SourceReport | None]


async def run_schedule(
    catalog: Sequence[SourceSpec],
    sessions: async_sessionmaker[AsyncSession],
    *,
    stop: asyncio.Event,
    config: FetchConfig | None = None,
    client: httpx.AsyncClient | None = None,
    clock: Clock = utc_now,
    on_report: Callable[[SourceReport], None] | None = None,
    holder: str | None = None,
) -> None:
    """Fetch each source whenever it is due until ``stop`` is set.

    Meant to run as a background task beside the bot (``asyncio.create_task``): it only
    awaits network and database I/O, and each source is its own task, so a hanging
    source delays nothing but itself (and costs at most ``config.total_timeout``).
    A source is due at the ``next_fetch`` stored for it (after ``every``, later after
    failures in a row), or at once when it was never fetched. When ``stop`` is set,
    fetches under way are cancelled; their transactions roll back.

    A source is fetched only under its lease (see the module's docstring). When the lease
    cannot be taken because the database fails, the source is not fetched (its result
    could not be stored either) and is looked at again after ``RECHECK``.

    Args:
        catalog: The sources (``sources.catalog.load_catalog``).
        sessions: The store's session factory.
        stop: Set it to end the loop.
        config: HTTP limits; the defaults when None.
        client: An HTTP client to use; one is made (and closed) when None.
        clock: The current time (tests move it).
        on_report: Called with each finished fetch's report (metrics, logs).
        holder: This instance's id in the leases; a fresh one when None.
    """
    config = config or FetchConfig()
    holder = holder or make_holder()
    if client is None:
        async with make_client(config) as own:
            await run_schedule(
                catalog,
                sessions,
                stop=stop,
                config=config,
                client=own,
                clock=clock,
                on_report=on_report,
                holder=holder,
            )
        return
    fetcher = Fetcher(sessions, client, config, clock=clock)
    due = await _initial_due(catalog, sessions, clock())
    hold = timedelta(seconds=config.total_timeout) + _HOLD_MARGIN
    running: dict[str, asyncio.Task[_Outcome]] = {}
    stopping = asyncio.create_task(stop.wait())
    try:
        while not stop.is_set():
            now = clock()
            for spec in catalog:
                if spec.name not in running and due[spec.name] <= now:
                    running[spec.name] = asyncio.create_task(
                        _fetch_claimed(fetcher, spec, sessions, holder, clock, hold),
                        name=f"fetch {spec.name}",
                    )
            waiting = [due[s.name] for s in catalog if s.name not in running]
            sleep = min([(when - now).total_seconds() for when in waiting] + [_MAX_SLEEP])
            done, _ = await asyncio.wait(
                {stopping, *running.values()},
                timeout=max(sleep, 0.01),
                return_when=asyncio.FIRST_COMPLETED,
            )
            for spec in catalog:
                task = running.get(spec.name)
                if task is not None and task in done:
                    del running[spec.name]
                    due[spec.name] = _after(spec, task, clock())
                    if on_report is not None and not task.cancelled() and not task.exception():
                        report = task.result()[1]
                        if report is not None:
                            on_report(report)
    finally:
        stopping.cancel()
        for task in running.values():
            task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await stopping
        for task in running.values():
            with contextlib.suppress(asyncio.CancelledError):
                await task


async def _initial_due(
    catalog: Sequence[SourceSpec], sessions: async_sessionmaker[AsyncSession], now: datetime
) -> dict[str, datetime]:
    try:
        async with sessions() as session:
            states = await list_source_states(session)
    except SQLAlchemyError as exc:
        log.warning("schedule: cannot read source states, fetching everything now: %s", exc)
        states = {}
    due: dict[str, datetime] = {}
    for spec in catalog:
        state = states.get(spec.name)
        stored = state.next_fetch if state else None
        due[spec.name] = stored if stored is not None and stored > now else now
    return due


async def _fetch_claimed(
    fetcher: Fetcher,
    spec: SourceSpec,
    sessions: async_sessionmaker[AsyncSession],
    holder: str,
    clock: Clock,
    hold: timedelta,
) -> _Outcome:
    """Fetch ``spec`` if this instance gets its lease and nobody fetched it meanwhile."""

    async def fetch_if_still_due() -> _Outcome:
        # Read after the claim: an instance that fetched it just before has recorded
        # its next_fetch by the time it released the lease.
        try:
            stored = await _stored_next_fetch(sessions, spec.name)
        except SQLAlchemyError as exc:
            log.warning("schedule: cannot read the state of %s: %s", spec.name, exc)
            return clock() + RECHECK, None
        if stored is not None and stored > clock():
            return stored, None
        report = await fetcher.fetch_source(spec)
        return report.next_fetch or next_fetch_after(spec, 0, clock()), report

    try:
        taken, outcome = await run_under_lease(
            sessions,
            f"fetch:{spec.name}",
            holder,
            fetch_if_still_due,
            clock=clock,
            hold=hold,
            min_gap=FETCH_MIN_GAP,
        )
        if taken:
            # None: the lease was lost mid-fetch, so another instance is fetching it now.
            return outcome or (clock() + RECHECK, None)
        stored = await _stored_next_fetch(sessions, spec.name)
    except SQLAlchemyError as exc:
        log.warning("schedule: cannot claim %s, trying again later: %s", spec.name, exc)
        return clock() + RECHECK, None
    now = clock()
    # Another instance holds it (fetching now) or has just fetched it.
    return (stored, None) if stored is not None and stored > now else (now + RECHECK, None)


async def _stored_next_fetch(
    sessions: async_sessionmaker[AsyncSession], name: str
) -> datetime | None:
    async with sessions() as session:
        state = await get_source_state(session, name)
    return state.next_fetch if state else None


def _after(spec: SourceSpec, task: asyncio.Task[_Outcome], now: datetime) -> datetime:
    if task.cancelled():
        return now
    error = task.exception()
    if error is not None:
        # fetch_source records its own failures; this is a bug, so back off hard.
        log.error("schedule: fetching %s crashed: %r", spec.name, error)
        return next_fetch_after(spec, 5, now)
    return task.result()[0]
