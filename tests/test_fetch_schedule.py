"""The background schedule: a slow source holds up nothing, due times are kept, stop is clean."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from sources.catalog import SourceSpec
from sources.fetcher import SourceReport
from sources.schedule import run_schedule
from sources.transport import FetchConfig
from storage.models import utc_now
from storage.source_state import list_source_states, save_source_success
from tests.fetch_server import Route, serve

FEED = (
    b'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>T</title>'
    b"<item><title>Dushanbe opens a new library</title><link>https://tj.example/lib</link>"
    b"</item></channel></rss>"
)
# Patient enough that the hanging source is still in flight when the test stops.
PATIENT = FetchConfig(read_timeout=60.0, total_timeout=60.0, attempts=1)
# Bounds how long a test waits for background work; never asserted as a duration.
WAIT = 20.0


def feed(name: str, url: str) -> SourceSpec:
    return SourceSpec(name, "feed", url, "en", (), timedelta(minutes=15))


async def test_a_hanging_source_does_not_hold_up_the_others(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    with serve({"/hang": Route(hang=True), "/fast": Route(body=FEED)}) as web:
        catalog = [feed("slow", web.url("/hang")), feed("fast", web.url("/fast"))]
        reports: list[SourceReport] = []
        first = asyncio.Event()

        def collect(report: SourceReport) -> None:
            reports.append(report)
            first.set()

        stop = asyncio.Event()
        task = asyncio.create_task(
            run_schedule(catalog, sessions, stop=stop, config=PATIENT, on_report=collect)
        )
        await asyncio.wait_for(first.wait(), WAIT)
        # The hanging source was started first and is still waiting for its server.
        assert web.served.hits.get("/hang") == 1
        assert [r.name for r in reports] == ["fast"]
        stop.set()
        await asyncio.wait_for(task, WAIT)
    async with sessions() as session:
        states = await list_source_states(session)
    # The cancelled fetch wrote nothing; the finished one is due again after its interval.
    assert set(states) == {"fast"}
    fast = states["fast"]
    assert fast.last_success is not None and fast.next_fetch is not None
    assert fast.next_fetch - fast.last_success == timedelta(minutes=15)


async def test_a_source_not_yet_due_is_left_alone(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    now = utc_now()
    async with sessions() as session, session.begin():
        await save_source_success(
            session,
            "later",
            when=now,
            next_fetch=now + timedelta(hours=1),
            etag=None,
            last_modified=None,
        )
    with serve({"/later": Route(body=FEED), "/now": Route(body=FEED)}) as web:
        catalog = [feed("later", web.url("/later")), feed("now", web.url("/now"))]
        done = asyncio.Event()
        stop = asyncio.Event()
        task = asyncio.create_task(
            run_schedule(
                catalog, sessions, stop=stop, config=PATIENT, on_report=lambda _: done.set()
            )
        )
        await asyncio.wait_for(done.wait(), WAIT)
        stop.set()
        await asyncio.wait_for(task, WAIT)
        assert web.served.hits == {"/now": 1}
