"""Job leases on SQLite and PostgreSQL: take, renew, release, expiry, the gap between runs,
concurrent takers (tasks with their own engines, and separate OS processes), and
``run_under_lease`` keeping a lease alive and stopping a job whose lease was taken."""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

import storage.leases as leases
from bot.settings import to_async_url
from storage.database import make_engine, make_sessionmaker
from storage.leases import make_holder, release_lease, renew_lease, run_under_lease, take_lease
from storage.models import JobLeaseRow

T0 = datetime(2026, 11, 28, 9, 0, 1, tzinfo=UTC)
HOLD = timedelta(minutes=2)
GAP = timedelta(seconds=50)


async def _take(
    sessions: async_sessionmaker[AsyncSession],
    holder: str,
    now: datetime,
    *,
    name: str = "digest-pass",
    hold: timedelta = HOLD,
    min_gap: timedelta = GAP,
) -> bool:
    async with sessions() as session, session.begin():
        return await take_lease(session, name, holder, now, hold=hold, min_gap=min_gap)


async def _row(sessions: async_sessionmaker[AsyncSession], name: str) -> JobLeaseRow:
    async with sessions() as session:
        row = await session.scalar(select(JobLeaseRow).where(JobLeaseRow.name == name))
    assert row is not None
    return row


@asynccontextmanager
async def _other_instances(
    database_url: str, count: int
) -> AsyncIterator[list[async_sessionmaker[AsyncSession]]]:
    """Session factories on engines of their own, as other instances would have."""
    engines = [make_engine(to_async_url(database_url)) for _ in range(count)]
    try:
        yield [make_sessionmaker(engine) for engine in engines]
    finally:
        for engine in engines:
            await engine.dispose()


def test_holder_ids_are_unique_and_fit_the_column() -> None:
    ids = {make_holder() for _ in range(100)}
    assert len(ids) == 100
    assert all(len(i) <= 64 and f":{os.getpid()}:" in i for i in ids)


async def test_take_creates_the_row_and_blocks_others_until_it_runs_out(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    assert await _take(sessions, "a", T0)
    row = await _row(sessions, "digest-pass")
    assert (row.holder, row.lease_until, row.last_run) == ("a", T0 + HOLD, T0)
    # Held: nobody else gets it, not even after the gap, and the holder does not re-enter.
    assert not await _take(sessions, "b", T0 + timedelta(minutes=1))
    assert not await _take(sessions, "a", T0 + timedelta(minutes=1))
    # Run out (the holder died): the next one takes over.
    assert await _take(sessions, "b", T0 + HOLD)
    assert (await _row(sessions, "digest-pass")).holder == "b"


async def test_min_gap_keeps_a_second_run_out_of_the_same_period(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    assert await _take(sessions, "a", T0)
    async with sessions() as session, session.begin():
        assert await release_lease(session, "digest-pass", "a", T0 + timedelta(seconds=3))
    row = await _row(sessions, "digest-pass")
    assert (row.lease_until, row.last_run) == (T0 + timedelta(seconds=3), T0)
    # Released, but the minute's pass has run: a late instance in the same minute waits.
    assert not await _take(sessions, "b", T0 + timedelta(seconds=20))
    assert not await _take(sessions, "a", T0 + GAP - timedelta(microseconds=1))
    assert await _take(sessions, "b", T0 + GAP)


async def test_renew_extends_only_the_holders_lease(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    assert await _take(sessions, "a", T0)
    later = T0 + timedelta(minutes=1)
    async with sessions() as session, session.begin():
        assert await renew_lease(session, "digest-pass", "a", later, hold=HOLD)
        assert not await renew_lease(session, "digest-pass", "b", later, hold=HOLD)
        assert not await renew_lease(session, "never-taken", "a", later, hold=HOLD)
    # Renewed to 09:03:01: at 09:02:01, when the first lease would have run out, it holds.
    assert not await _take(sessions, "b", T0 + HOLD)
    assert await _take(sessions, "b", later + HOLD)
    async with sessions() as session, session.begin():
        # The old holder lost it: neither renewal nor release touch the new holder's lease.
        assert not await renew_lease(session, "digest-pass", "a", later + HOLD, hold=HOLD)
        assert not await release_lease(session, "digest-pass", "a", later + HOLD)
    assert (await _row(sessions, "digest-pass")).lease_until == later + 2 * HOLD


async def test_leases_of_different_jobs_are_independent(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    assert await _take(sessions, "a", T0, name="fetch:akipress")
    assert await _take(sessions, "b", T0, name="fetch:kun.uz")
    assert await _take(sessions, "b", T0, name="x" * 100)  # the longest name the column takes


@pytest.mark.parametrize("takers", [2, 12])
async def test_concurrent_takers_exactly_one_wins(
    database_url: str, sessions: async_sessionmaker[AsyncSession], takers: int
) -> None:
    async with _other_instances(database_url, takers) as instances:
        for period in range(3):
            now = T0 + period * timedelta(minutes=1)
            results = await asyncio.gather(
                *(_take(sessions, f"instance-{i}", now) for i, sessions in enumerate(instances))
            )
            assert results.count(True) == 1, (period, results)
            winner = f"instance-{results.index(True)}"
            assert (await _row(instances[0], "digest-pass")).holder == winner
            async with instances[0]() as session, session.begin():
                await release_lease(session, "digest-pass", winner, now + timedelta(seconds=5))


_TAKE_SCRIPT = """
import asyncio, sys
from datetime import datetime, timedelta
from bot.settings import to_async_url
from storage.database import make_engine, make_sessionmaker
from storage.leases import take_lease

async def main() -> None:
    engine = make_engine(to_async_url(sys.argv[1]))
    sessions = make_sessionmaker(engine)
    print("ready", flush=True)
    sys.stdin.readline()  # every process starts its take at the same signal
    async with sessions() as session, session.begin():
        taken = await take_lease(
            session, "digest-pass", sys.argv[2], datetime.fromisoformat(sys.argv[3]),
            hold=timedelta(minutes=2), min_gap=timedelta(seconds=50),
        )
    await engine.dispose()
    print("taken" if taken else "not taken", flush=True)

asyncio.run(main())
"""


async def _spawn_taker(database_url: str, holder: str) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable, "-c", _TAKE_SCRIPT, database_url, holder, T0.isoformat(),
        stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip


async def test_separate_processes_exactly_one_wins(
    database_url: str, sessions: async_sessionmaker[AsyncSession]
) -> None:
    processes = [await _spawn_taker(database_url, f"process-{i}") for i in range(4)]
    for process in processes:
        assert process.stdout is not None
        assert await asyncio.wait_for(process.stdout.readline(), 60) == b"ready\n"
    for process in processes:
        assert process.stdin is not None
        process.stdin.write(b"go\n")
        await process.stdin.drain()
    outputs = await asyncio.gather(*(p.communicate() for p in processes))
    for process, (_out, err) in zip(processes, outputs, strict=True):
        assert process.returncode == 0, err.decode()[-2000:]
    said = [out.decode().strip() for out, _ in outputs]
    assert sorted(said) == ["not taken"] * 3 + ["taken"]
    winner = f"process-{said.index('taken')}"
    assert (await _row(sessions, "digest-pass")).holder == winner


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


async def test_run_under_lease_renews_while_the_job_runs_and_releases_after(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    clock = Clock(T0)
    started, finish = asyncio.Event(), asyncio.Event()

    async def long_job() -> str:
        started.set()
        await finish.wait()
        return "done"

    run = asyncio.create_task(
        run_under_lease(
            sessions, "job", "a", long_job, clock=clock, hold=HOLD, min_gap=GAP, renew_every=0.02
        )
    )
    await asyncio.wait_for(started.wait(), 10)
    # Ten minutes on, far past the first hold: the keeper has moved the lease along.
    clock.now = T0 + timedelta(minutes=10)
    for _ in range(500):
        if (await _row(sessions, "job")).lease_until == clock.now + HOLD:
            break
        await asyncio.sleep(0.01)
    assert (await _row(sessions, "job")).lease_until == clock.now + HOLD
    assert not await _take(sessions, "b", clock.now, name="job")
    finish.set()
    assert await asyncio.wait_for(run, 10) == (True, "done")
    row = await _row(sessions, "job")
    assert (row.holder, row.lease_until, row.last_run) == ("a", clock.now, T0)


async def test_run_under_lease_skips_a_held_job_and_releases_after_a_failure(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    clock = Clock(T0)
    ran: list[str] = []

    async def job() -> str:
        ran.append("b")
        return "b"

    assert await _take(sessions, "a", T0, name="job")
    assert await run_under_lease(
        sessions, "job", "b", job, clock=clock, hold=HOLD, min_gap=GAP
    ) == (False, None)
    assert ran == []

    async def broken() -> str:
        raise ValueError("boom")

    clock.now = T0 + HOLD
    with pytest.raises(ValueError, match="boom"):
        await run_under_lease(sessions, "job", "b", broken, clock=clock, hold=HOLD, min_gap=GAP)
    row = await _row(sessions, "job")
    assert (row.holder, row.lease_until) == ("b", T0 + HOLD)  # released at once


async def test_a_job_whose_lease_was_taken_over_is_stopped(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    clock = Clock(T0)
    started = asyncio.Event()
    cancelled: list[bool] = []

    async def stalled_job() -> str:
        started.set()
        try:
            await asyncio.Event().wait()
        except asyncio.CancelledError:
            cancelled.append(True)
            raise
        return "never"

    run = asyncio.create_task(
        run_under_lease(
            sessions, "job", "a", stalled_job, clock=clock, hold=HOLD, min_gap=GAP,
            renew_every=0.02,
        )
    )  # fmt: skip
    await asyncio.wait_for(started.wait(), 10)
    # Its renewals could not get through for longer than the hold, and "b" took over
    # (as if "a" had lost the database): "a"'s next renewal finds out and stops the job.
    async with sessions() as session, session.begin():
        row = await session.get(JobLeaseRow, "job")
        assert row is not None
        row.holder, row.lease_until = "b", T0 + 10 * HOLD
    assert await asyncio.wait_for(run, 10) == (True, None)
    assert cancelled == [True]
    row = await _row(sessions, "job")
    assert (row.holder, row.lease_until) == ("b", T0 + 10 * HOLD)  # "a" released nothing


async def test_a_cancellation_while_the_keeper_finishes_a_renewal_is_not_lost(
    sessions: async_sessionmaker[AsyncSession], monkeypatch: pytest.MonkeyPatch
) -> None:
    # The job has ended and the run waits for the keeper, caught in a slow renewal, when the
    # bot stops: the cancellation must reach the caller (a loop that would run on otherwise).
    renewing = asyncio.Event()

    async def slow_renewal(*args: object, **kwargs: object) -> bool:
        renewing.set()
        await asyncio.sleep(3600)  # a database slow to answer
        return True

    monkeypatch.setattr(leases, "renew_lease", slow_renewal)

    async def job() -> str:
        await renewing.wait()
        return "done"

    run = asyncio.create_task(
        run_under_lease(
            sessions, "job", "a", job, clock=Clock(T0), hold=HOLD, min_gap=GAP, renew_every=0.01
        )
    )
    await asyncio.wait_for(renewing.wait(), 10)
    for _ in range(20):  # the job ends; the run goes on to wait for the keeper
        await asyncio.sleep(0)
    run.cancel()
    await asyncio.wait({run}, timeout=10)
    assert run.cancelled()
    row = await _row(sessions, "job")
    assert (row.holder, row.lease_until) == ("a", T0)  # released all the same


async def test_a_cancellation_while_a_taken_over_job_winds_down_is_not_lost(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    started, winding_down = asyncio.Event(), asyncio.Event()

    async def slow_to_stop() -> str:
        started.set()
        try:
            await asyncio.Event().wait()
        except asyncio.CancelledError:
            winding_down.set()
            await asyncio.sleep(0.5)  # finishing what it started
            raise
        return "never"

    run = asyncio.create_task(
        run_under_lease(
            sessions, "job", "a", slow_to_stop, clock=Clock(T0), hold=HOLD, min_gap=GAP,
            renew_every=0.02,
        )
    )  # fmt: skip
    await asyncio.wait_for(started.wait(), 10)
    async with sessions() as session, session.begin():
        row = await session.get(JobLeaseRow, "job")
        assert row is not None
        row.holder, row.lease_until = "b", T0 + 10 * HOLD
    await asyncio.wait_for(winding_down.wait(), 10)
    run.cancel()
    await asyncio.wait({run}, timeout=10)
    assert run.cancelled()
