"""Fetching every source on its own interval, in the background of the bot."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Sequence
from datetime import datetime

import httpx
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from sources.catalog import SourceSpec
from sources.fetcher import Clock, Fetcher, SourceReport, next_fetch_after
from sources.transport import FetchConfig, make_client
from storage.models import utc_now
from storage.source_state import list_source_states

__all__ = ["run_schedule"]

log = logging.getLogger(__name__)

# The loop wakes at least this often (seconds) to notice new due times.
_MAX_SLEEP = 60.0


async def run_schedule(
    catalog: Sequence[SourceSpec],
    sessions: async_sessionmaker[AsyncSession],
    *,
    stop: asyncio.Event,
    config: FetchConfig | None = None,
    client: httpx.AsyncClient | None = None,
    clock: Clock = utc_now,
    on_report: Callable[[SourceReport], None] | None = None,
) -> None:
    """Fetch each source whenever it is due until ``stop`` is set.

    Meant to run as a background task beside the bot (``asyncio.create_task``): it only
    awaits network and database I/O, and each source is its own task, so a hanging
    source delays nothing but itself (and costs at most ``config.total_timeout``).
    A source is due at the ``next_fetch`` stored for it (after ``every``, later after
    failures in a row), or at once when it was never fetched. When ``stop`` is set,
    fetches under way are cancelled; their transactions roll back.

    Args:
        catalog: The sources (``sources.catalog.load_catalog``).
        sessions: The store's session factory.
        stop: Set it to end the loop.
        config: HTTP limits; the defaults when None.
        client: An HTTP client to use; one is made (and closed) when None.
        clock: The current time (tests move it).
        on_report: Called with each finished fetch's report (metrics, logs).
    """
    config = config or FetchConfig()
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
            )
        return
    fetcher = Fetcher(sessions, client, config, clock=clock)
    due = await _initial_due(catalog, sessions, clock())
    running: dict[str, asyncio.Task[SourceReport]] = {}
    stopping = asyncio.create_task(stop.wait())
    try:
        while not stop.is_set():
            now = clock()
            for spec in catalog:
                if spec.name not in running and due[spec.name] <= now:
                    running[spec.name] = asyncio.create_task(
                        fetcher.fetch_source(spec), name=f"fetch {spec.name}"
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
                        on_report(task.result())
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


def _after(spec: SourceSpec, task: asyncio.Task[SourceReport], now: datetime) -> datetime:
    if task.cancelled():
        return now
    error = task.exception()
    if error is not None:
        # fetch_source records its own failures; this is a bug, so back off hard.
        log.error("schedule: fetching %s crashed: %r", spec.name, error)
        return next_fetch_after(spec, 5, now)
    return task.result().next_fetch or next_fetch_after(spec, 0, now)
