"""Named job leases: several instances on one database run each scheduled job once.

An instance runs a job (a fetch of one source, a digest pass) only while it holds the
job's lease. Taking is one conditional UPDATE, so on PostgreSQL (READ COMMITTED: a
second UPDATE of the row waits for the first and re-checks its WHERE) and on SQLite
(one writer at a time) exactly one of any number of concurrent takers wins.

The query functions leave the session and its transaction to the caller, as the other
storage modules do; ``run_under_lease`` is the one helper that runs its own short
transactions, because it must commit the lease before the job starts.

Times come from the caller's clock, not the database's: tests move it, and instances
are expected to keep their clocks in step (NTP); a skew of a few seconds only shortens
or lengthens a lease by as much.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import secrets
import socket
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any, TypeVar

from sqlalchemy import CursorResult, or_, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.models import JobLeaseRow

__all__ = [
    "make_holder",
    "release_lease",
    "renew_lease",
    "run_under_lease",
    "take_lease",
]

log = logging.getLogger(__name__)

T = TypeVar("T")

_HOLDER_CHARS = 64  # the column's width


def make_holder() -> str:
    """An id for this process's claims: ``host:pid:random`` (random so two runs in one
    process, or a pid reused after a restart, are never taken for each other)."""
    tail = f":{os.getpid()}:{secrets.token_hex(4)}"
    return socket.gethostname()[: _HOLDER_CHARS - len(tail)] + tail


async def take_lease(
    session: AsyncSession,
    name: str,
    holder: str,
    now: datetime,
    *,
    hold: timedelta,
    min_gap: timedelta,
) -> bool:
    """Take lease ``name`` for ``hold`` from ``now``; True when ``holder`` now has it.

    It is taken when nobody holds it (never held, released, or run out) and its last
    run started at least ``min_gap`` before ``now``. A holder does not take again what
    it still holds: that would be the same job started twice (``renew_lease`` extends).
    """
    dialect = session.get_bind().dialect.name
    insert = sqlite.insert if dialect == "sqlite" else postgresql.insert
    await session.execute(insert(JobLeaseRow).values(name=name).on_conflict_do_nothing())
    statement = (
        update(JobLeaseRow)
        .where(
            JobLeaseRow.name == name,
            or_(JobLeaseRow.lease_until.is_(None), JobLeaseRow.lease_until <= now),
            or_(JobLeaseRow.last_run.is_(None), JobLeaseRow.last_run <= now - min_gap),
        )
        .values(holder=holder, lease_until=now + hold, last_run=now)
        .execution_options(synchronize_session=False)
    )
    return await _changed(session, statement)


async def renew_lease(
    session: AsyncSession, name: str, holder: str, now: datetime, *, hold: timedelta
) -> bool:
    """Extend ``holder``'s lease to ``now + hold``; False when someone else holds it now.

    A lease that ran out is still renewed while nobody else took it: its job is alive
    (only slow to renew), and nobody else ran in the meantime.
    """
    statement = (
        update(JobLeaseRow)
        .where(JobLeaseRow.name == name, JobLeaseRow.holder == holder)
        .values(lease_until=now + hold)
        .execution_options(synchronize_session=False)
    )
    return await _changed(session, statement)


async def release_lease(session: AsyncSession, name: str, holder: str, now: datetime) -> bool:
    """End ``holder``'s lease at ``now`` (``last_run`` stays, so ``min_gap`` still counts);
    False when it was not theirs any more."""
    statement = (
        update(JobLeaseRow)
        .where(JobLeaseRow.name == name, JobLeaseRow.holder == holder)
        .values(lease_until=now)
        .execution_options(synchronize_session=False)
    )
    return await _changed(session, statement)


async def _changed(session: AsyncSession, statement: Any) -> bool:
    result = await session.execute(statement)
    assert isinstance(result, CursorResult)
    return result.rowcount == 1


async def run_under_lease(
    sessions: async_sessionmaker[AsyncSession],
    name: str,
    holder: str,
    job: Callable[[], Awaitable[T]],
    *,
    clock: Callable[[], datetime],
    hold: timedelta,
    min_gap: timedelta,
    renew_every: float | None = None,
) -> tuple[bool, T | None]:
    """Run ``job`` only if lease ``name`` can be taken; keep it renewed, then release it.

    Returns ``(False, None)`` when someone else holds the lease (or ran the job within
    ``min_gap``), else ``(True, result)``, or ``(True, None)`` when the lease was lost
    on the way: the job is then cancelled, as another instance is running it.

    Raises:
        SQLAlchemyError: The lease could not be taken (the job did not run).
    """
    async with sessions() as session, session.begin():
        if not await take_lease(session, name, holder, clock(), hold=hold, min_gap=min_gap):
            return False, None
    task = asyncio.ensure_future(job())
    done = asyncio.Event()
    keeper = asyncio.create_task(
        _keep(sessions, name, holder, clock, hold, renew_every or hold.total_seconds() / 3, done)
    )
    try:
        await asyncio.wait({task, keeper}, return_when=asyncio.FIRST_COMPLETED)
        if not task.done():
            # The keeper ends only when the lease is gone: the job must not go on (the
            # clean-up below cancels it and waits for it).
            log.warning("lease %s was taken by another instance; stopping this run", name)
            return True, None
        return True, task.result()
    finally:
        # Stopped between renewals, not cancelled inside one (unless this run is cancelled
        # while it waits): a write cut off half-way can leave an SQLite connection holding
        # the database's write lock.
        done.set()
        task.cancel()
        interrupted = await _wait_for_end(task, keeper)
        # Shielded so a stopping instance still hands the job on at once; if the write
        # fails the lease simply runs out.
        await asyncio.shield(_release(sessions, name, holder, clock()))
        if interrupted is not None:
            raise interrupted
        if not keeper.cancelled():
            keeper.result()  # a keeper's unexpected error is not lost either


async def _wait_for_end(
    task: asyncio.Future[Any], keeper: asyncio.Task[None]
) -> asyncio.CancelledError | None:
    """Wait for the job and the keeper to end; return this task's own cancellation if it
    came meanwhile, for the caller to raise once the lease is released.

    Suppressing ``CancelledError`` around ``await task`` would swallow that cancellation
    along with the job's: the loop that called ``run_under_lease`` (``bot.digest_job``,
    ``bot.notice_job``) would then go on after ``newsbot run`` asked it to stop, and the
    stop would hang. ``asyncio.wait`` raises only this task's own cancellation. When one
    comes, the job and the keeper are cancelled again and not waited for any longer.
    """
    # Retrieved: a job failing after its cancellation is not reported as "never retrieved".
    task.add_done_callback(lambda done: done.cancelled() or done.exception())
    try:
        await asyncio.wait({task, keeper})
    except asyncio.CancelledError as exc:
        task.cancel()
        keeper.cancel()
        return exc
    return None


async def _keep(
    sessions: async_sessionmaker[AsyncSession],
    name: str,
    holder: str,
    clock: Callable[[], datetime],
    hold: timedelta,
    every: float,
    done: asyncio.Event,
) -> None:
    """Renew the lease every ``every`` seconds until ``done`` is set; return early once
    someone else holds it."""
    while True:
        # asyncio.timeout, not wait_for: on Python 3.11 wait_for drops a cancellation that
        # comes just as ``done`` is set.
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(every):
                await done.wait()
        if done.is_set():
            return
        try:
            async with sessions() as session, session.begin():
                kept = await renew_lease(session, name, holder, clock(), hold=hold)
        except SQLAlchemyError as exc:
            # The job goes on; if the database stays away the lease runs out and the next
            # renewal says whether somebody else took over meanwhile.
            log.warning("cannot renew lease %s: %s", name, exc)
            continue
        if not kept:
            return


async def _release(
    sessions: async_sessionmaker[AsyncSession], name: str, holder: str, now: datetime
) -> None:
    try:
        async with sessions() as session, session.begin():
            await release_lease(session, name, holder, now)
    except SQLAlchemyError as exc:
        log.warning("cannot release lease %s (it runs out by itself): %s", name, exc)
