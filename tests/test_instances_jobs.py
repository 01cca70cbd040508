"""Two instances on one database, each with its own engine and lease holder id: every source
is fetched once per period, one digest pass runs per minute and each digest goes out once,
and when the instance holding the digest lease stops or dies, the other one takes over."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram import Bot

import sources.schedule
from bot.digest_job import run_every_minute
from bot.digests import PassReport, Sender, telegram_sender
from bot.metrics import REGISTRY
from bot.settings import to_async_url
from bot_api_emulator import DUMMY_TOKEN, BotApiEmulator
from sources.catalog import SourceSpec
from sources.fetcher import SourceReport
from sources.schedule import run_schedule
from sources.transport import FetchConfig
from storage.database import make_engine, make_sessionmaker
from storage.leases import take_lease
from storage.source_state import list_source_states
from tests.digest_support import add_subscriber, delivery_rows, free_budget, no_sleep
from tests.fetch_server import Route, serve

FEED = (
    b'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>T</title>'
    b"<item><title>Bishkek opens a new park</title><link>https://kg.example/park</link>"
    b"</item></channel></rss>"
)
EVERY = timedelta(minutes=15)
QUICK = FetchConfig(total_timeout=10.0, attempts=1)
# Bounds how long a test waits for background work; never asserted as a duration.
WAIT = 30.0
# Real seconds the instances get to do something they must not (a second fetch, a second
# pass) before the test looks; the loops wake every few milliseconds meanwhile.
SETTLE = 0.4


class ManualClock:
    """A UTC clock both instances read; only the test moves it."""

    def __init__(self, now: datetime) -> None:
        self.now = now
        self.naps = 0  # sleeps begun by the digest loops
        self._moved = asyncio.Condition()

    def __call__(self) -> datetime:
        return self.now

    async def sleep(self, seconds: float) -> None:
        """Wait until the clock has been moved ``seconds`` on (the loops' per-minute nap)."""
        wake = self.now + timedelta(seconds=seconds)
        async with self._moved:
            self.naps += 1
            self._moved.notify_all()
            await self._moved.wait_for(lambda: self.now >= wake)

    async def move_to(self, when: datetime) -> None:
        async with self._moved:
            self.now = when
            self._moved.notify_all()

    async def until_naps(self, count: int) -> None:
        """Wait until the loops have begun ``count`` naps in all."""
        async with self._moved:
            await asyncio.wait_for(self._moved.wait_for(lambda: self.naps >= count), WAIT)


@asynccontextmanager
async def second_instance(database_url: str) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    """The session factory of another instance: an engine (connections) of its own."""
    engine = make_engine(to_async_url(database_url))
    try:
        yield make_sessionmaker(engine)
    finally:
        await engine.dispose()


async def _stop(*tasks: asyncio.Task[None]) -> None:
    for task in tasks:
        task.cancel()
    for task in tasks:
        with pytest.raises(asyncio.CancelledError):
            await task


async def _until_claims_settle(sessions: async_sessionmaker[AsyncSession]) -> None:
    """Wait until the claimed deliveries stop growing: the producer waits for room."""
    seen = -1
    for _ in range(int(WAIT / SETTLE)):
        rows = await delivery_rows(sessions)
        claimed = sum(row.status == "claimed" for row in rows)
        if claimed == seen and claimed > 0:
            return
        seen = claimed
        await asyncio.sleep(SETTLE)
    raise AssertionError("the claims never settled")


def _fetched_at_least(hits: dict[str, int], count: int) -> bool:
    return sum(hits.values()) >= count


async def _until(condition: Callable[[], bool]) -> None:
    async def poll() -> None:
        while not condition():
            await asyncio.sleep(0.01)

    await asyncio.wait_for(poll(), WAIT)


# -- fetching ----------------------------------------------------------------------------


def _schedule(
    catalog: list[SourceSpec],
    sessions: async_sessionmaker[AsyncSession],
    stop: asyncio.Event,
    clock: ManualClock,
    holder: str,
    on_report: Callable[[SourceReport], None],
) -> asyncio.Task[None]:
    return asyncio.create_task(
        run_schedule(
            catalog,
            sessions,
            stop=stop,
            config=QUICK,
            clock=clock,
            on_report=on_report,
            holder=holder,
        )
    )


async def test_two_schedules_fetch_each_source_once_per_period(
    database_url: str,
    sessions: async_sessionmaker[AsyncSession],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The loops look at the (manual) clock every few milliseconds instead of every minute.
    monkeypatch.setattr(sources.schedule, "_MAX_SLEEP", 0.01)
    clock = ManualClock(datetime(2026, 11, 28, 9, 0, tzinfo=UTC))
    paths = ["/akipress", "/kun", "/asia-plus"]
    reports: dict[str, list[str]] = {"one": [], "two": []}

    def collect(holder: str) -> Callable[[SourceReport], None]:
        return lambda report: reports[holder].append(report.name)

    with serve({path: Route(body=FEED) for path in paths}) as web:
        catalog = [
            SourceSpec(path.strip("/"), "feed", web.url(path), "en", ("KG",), EVERY)
            for path in paths
        ]
        stop = asyncio.Event()
        async with second_instance(database_url) as other:
            schedules = [
                _schedule(catalog, factory, stop, clock, holder, collect(holder))
                for factory, holder in ((sessions, "one"), (other, "two"))
            ]
            try:
                for period in range(1, 4):
                    if period > 1:
                        await clock.move_to(clock.now + EVERY)  # due again
                    await _until(partial(_fetched_at_least, web.served.hits, 3 * period))
                    await asyncio.sleep(SETTLE)
                    assert web.served.hits == {path: period for path in paths}
                    # A minute on: both instances look again, and neither fetches.
                    await clock.move_to(clock.now + timedelta(minutes=1))
                    await asyncio.sleep(SETTLE)
                    assert sum(web.served.hits.values()) == 3 * period
            finally:
                stop.set()
                await asyncio.wait_for(asyncio.gather(*schedules), WAIT)
    # Every request was one instance's fetch, reported by that instance alone.
    assert sorted(reports["one"] + reports["two"]) == sorted(
        [path.strip("/") for path in paths] * 3
    )
    async with sessions() as session:
        states = await list_source_states(session)
    assert {state.consecutive_failures for state in states.values()} == {0}
    # Fetched last at 09:32 (the clock now says 09:33), due again at 09:47.
    assert {state.next_fetch for state in states.values()} == {
        clock.now + EVERY - timedelta(minutes=1)
    }


async def test_a_schedule_without_its_database_fetches_nothing(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # A store that cannot be opened: no lease, so no fetch (its result could not be kept).
    monkeypatch.setattr(sources.schedule, "_MAX_SLEEP", 0.01)
    engine = make_engine(f"sqlite+aiosqlite:///{tmp_path / 'missing' / 'db.sqlite'}")
    clock = ManualClock(datetime(2026, 11, 28, 9, 0, tzinfo=UTC))
    with serve({"/feed": Route(body=FEED)}) as web:
        stop = asyncio.Event()
        spec = SourceSpec("feed", "feed", web.url("/feed"), "en", (), EVERY)
        task = asyncio.create_task(
            run_schedule([spec], make_sessionmaker(engine), stop=stop, config=QUICK, clock=clock)
        )
        await asyncio.sleep(SETTLE)
        # Looked at again after RECHECK, still failing, still not fetched nor crashed.
        await clock.move_to(clock.now + sources.schedule.RECHECK)
        await asyncio.sleep(SETTLE)
        assert not task.done()
        stop.set()
        await asyncio.wait_for(task, WAIT)
        assert web.served.hits == {}
    await engine.dispose()


# -- digests -----------------------------------------------------------------------------

ALMATY_9 = datetime(2026, 11, 28, 4, 0, 1, tzinfo=UTC)  # 09:00:01 in Asia/Almaty


def _digest_loop(
    sessions: async_sessionmaker[AsyncSession],
    send: Sender,
    clock: ManualClock,
    holder: str,
    passes: list[tuple[str, datetime, PassReport]],
    **options: Any,
) -> asyncio.Task[None]:
    def note(report: PassReport) -> None:
        passes.append((holder, clock.now, report))

    return asyncio.create_task(
        run_every_minute(
            sessions,
            send,
            default_zone="Asia/Almaty",
            default_language="en",
            holder=holder,
            clock=clock,
            wait=clock.sleep,
            on_pass=note,
            budget=free_budget(),
            **{"batch": 25, "sleep": no_sleep, **options},
        )
    )


async def _subscribers(
    sessions: async_sessionmaker[AsyncSession], emu: BotApiEmulator, ids: list[int]
) -> None:
    for chat_id in ids:
        emu.private_chat(emu.user(chat_id, f"Reader {chat_id}"))
        await add_subscriber(sessions, chat_id)


def _sent_total() -> float:
    return REGISTRY.get_sample_value("newsbot_digests_total", {"outcome": "sent"}) or 0.0


async def test_two_digest_loops_run_one_pass_a_minute_and_send_each_digest_once(
    database_url: str, sessions: async_sessionmaker[AsyncSession]
) -> None:
    emu = BotApiEmulator()
    ids = list(range(2000, 2300))
    await _subscribers(sessions, emu, ids)
    clock = ManualClock(ALMATY_9 - timedelta(minutes=1))
    passes: list[tuple[str, datetime, PassReport]] = []
    sent_before = _sent_total()
    async with (
        second_instance(database_url) as other,
        Bot(DUMMY_TOKEN, request=emu.request()) as bot,
    ):
        send = telegram_sender(bot)
        loops = [
            _digest_loop(sessions, send, clock, "one", passes),
            _digest_loop(other, send, clock, "two", passes),
        ]
        try:
            # 08:59:01, then over the minute to 09:00:01 (the digests' time), then 09:01:01.
            for minute in range(3):
                await clock.until_naps(2 * (minute + 1))
                await clock.move_to(clock.now + timedelta(minutes=1))
            await clock.until_naps(8)
        finally:
            await _stop(*loops)
    # One pass a minute, by whichever instance took the lease.
    assert [moment for _, moment, _ in passes] == [
        ALMATY_9 + timedelta(minutes=m) for m in range(-1, 3)
    ]
    assert [report.sent for _, _, report in passes] == [0, 300, 0, 0]
    assert sorted(m.chat_id for m in emu.outbox) == ids
    rows = await delivery_rows(sessions)
    assert len(rows) == 300 and {row.status for row in rows} == {"sent"}
    assert _sent_total() - sent_before == 300


async def test_a_stopped_holder_hands_the_pass_to_the_other_instance(
    database_url: str, sessions: async_sessionmaker[AsyncSession]
) -> None:
    emu = BotApiEmulator()
    # More than the first instance can claim while its sends hang (its queue fills up).
    ids = list(range(3000, 3120))
    await _subscribers(sessions, emu, ids)
    clock = ManualClock(ALMATY_9)
    passes: list[tuple[str, datetime, PassReport]] = []
    stuck, answer = asyncio.Event(), asyncio.Event()
    async with (
        second_instance(database_url) as other,
        Bot(DUMMY_TOKEN, request=emu.request()) as bot,
    ):
        send = telegram_sender(bot)

        async def slow(chat_id: int, html: str) -> None:
            stuck.set()  # Telegram answers this instance only once it is being stopped
            await answer.wait()
            await send(chat_id, html)

        # The first instance takes the lease alone, then waits on its sends, renewing.
        first = _digest_loop(
            sessions, slow, clock, "one", passes, lease=timedelta(seconds=30), renew_every=0.02
        )
        await asyncio.wait_for(stuck.wait(), WAIT)
        second = _digest_loop(other, send, clock, "two", passes)
        try:
            await clock.until_naps(1)  # the second found the lease held and sleeps
            # Stopped while it waits for Telegram, not inside a transaction (a write cut
            # off there keeps SQLite's write lock): its claims fill its queue first.
            await _until_claims_settle(sessions)
            # SIGTERM: the sends under way finish, the rest stay claimed, the lease is let go.
            first.cancel()
            answer.set()
            with pytest.raises(asyncio.CancelledError):
                await first
            sent_by_first = len(emu.outbox)
            await clock.move_to(clock.now + timedelta(minutes=1))
            await clock.until_naps(2)
        finally:
            await _stop(second)
    # The first instance's claims ran out after 30 s; the other sent the rest, each once.
    assert 0 < sent_by_first < len(ids)
    assert [(holder, report.sent) for holder, _, report in passes] == [
        ("two", len(ids) - sent_by_first)
    ]
    assert sorted(m.chat_id for m in emu.outbox) == ids


async def test_a_dead_holders_lease_runs_out_and_the_other_instance_takes_over(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    emu = BotApiEmulator()
    ids = list(range(4000, 4020))
    await _subscribers(sessions, emu, ids)
    # An instance took the lease for two minutes at 09:00:00 and died: no renewal, no release.
    async with sessions() as session, session.begin():
        assert await take_lease(
            session,
            "digest-pass",
            "dead",
            ALMATY_9 - timedelta(seconds=1),
            hold=timedelta(minutes=2),
            min_gap=timedelta(seconds=50),
        )
    clock = ManualClock(ALMATY_9)
    passes: list[tuple[str, datetime, PassReport]] = []
    async with Bot(DUMMY_TOKEN, request=emu.request()) as bot:
        loop = _digest_loop(sessions, telegram_sender(bot), clock, "alive", passes)
        try:
            for minute in range(1, 3):
                await clock.until_naps(minute)
                assert emu.outbox == []  # 09:00:01 and 09:01:01: the dead one's lease holds
                await clock.move_to(clock.now + timedelta(minutes=1))
            await clock.until_naps(3)
        finally:
            await _stop(loop)
    assert [(moment, report.sent) for _, moment, report in passes] == [
        (ALMATY_9 + timedelta(minutes=2), 20)
    ]
    assert sorted(m.chat_id for m in emu.outbox) == ids
