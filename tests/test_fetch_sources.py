"""One pass over a catalog against a local web that misbehaves: what is stored, what is said."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.fetch_commands import render_sources
from core.types import StoryDraft
from sources import intake
from sources.catalog import SourceSpec
from sources.fetcher import SourceReport, fetch_pass, next_fetch_after
from sources.transport import FetchConfig
from storage.models import RateRow, StoryRow
from storage.rates import list_daily_rates
from storage.source_state import list_source_states
from storage.stories import StoriesAdded
from tests.fetch_server import LocalServer, Route, serve
from tests.paths import FIXTURES, RATES

FAST = FetchConfig(
    connect_timeout=2.0,
    read_timeout=0.5,
    total_timeout=1.5,
    attempts=2,
    backoff=0.01,
    backoff_cap=0.02,
)
# 06:00 UTC on 3 April 2026: 11:00 in Almaty, so NBK's "today" is 03.04.2026.
NOW = datetime(2026, 4, 3, 6, 0, tzinfo=UTC)
CP1251_FEED = (FIXTURES / "feeds" / "rss_cp1251.xml").read_bytes()
BOMB = (FIXTURES / "feeds" / "entity_bomb.xml").read_bytes()


def rss(*items: tuple[str, str, str], lang: str = "en") -> bytes:
    """An RSS 2.0 feed of (title, link, RFC 822 date) items, in UTF-8."""
    entries = "".join(
        f"<item><title>{title}</title><link>{link}</link><pubDate>{when}</pubDate>"
        f"<description>&lt;p&gt;{title}. More to follow.&lt;/p&gt;</description></item>"
        for title, link, when in items
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>Test outlet</title><language>{lang}</language>{entries}</channel></rss>"
    ).encode()


GOOD_FEED = rss(
    (
        "Almaty opens a new metro station",
        "https://a.example/metro?utm_source=rss",
        "Thu, 02 Apr 2026 08:00:00 +0500",
    ),
    (
        "Кыргызстан и Казахстан открыли новый пункт пропуска",
        "https://a.example/border",
        "Thu, 02 Apr 2026 09:00:00 +0500",
    ),
)


def feed(name: str, url: str, countries: tuple[str, ...] = ()) -> SourceSpec:
    return SourceSpec(name, "feed", url, "en", countries, timedelta(minutes=15))


def bank(name: str, kind: str, url: str) -> SourceSpec:
    return SourceSpec(name, kind, url, "ru", (), timedelta(hours=1))


@pytest.fixture
def web() -> Iterator[LocalServer]:
    # The cp1251 feed once with its declaration and once relying on the header alone
    # (another story, so neither is a duplicate of the other).
    text = CP1251_FEED.decode("cp1251").split("?>", 1)[1]
    undeclared = (
        text.replace("новый каток", "новый бассейн").replace("katok", "basseyn").encode("cp1251")
    )
    with serve(
        {
            "/good": Route(body=GOOD_FEED, content_type="application/rss+xml; charset=utf-8"),
            "/cp1251": Route(body=CP1251_FEED, content_type="application/rss+xml"),
            "/cp1251-header": Route(
                body=undeclared, content_type="application/rss+xml; charset=windows-1251"
            ),
            "/wrong-charset": Route(body=undeclared, content_type="text/xml; charset=utf-8"),
            "/etag": Route(
                body=rss(("Same feed every time", "https://e.example/1", "")), etag='"7"'
            ),
            "/500": Route(status=500, body=b"boom"),
            "/403": Route(status=403, body=b"bots not welcome"),
            "/hang": Route(hang=True),
            "/loop": Route(redirect_to="/loop"),
            "/cut": Route(body=GOOD_FEED, truncate=4000),
            "/bomb": Route(body=BOMB),
            "/junk": Route(junk_bytes=50 * 1024 * 1024),
            "/nbk?fdate=03.04.2026": Route(
                body=(RATES / "nbk_get_rates_fdate_03.04.2026.xml").read_bytes(),
                content_type="text/xml; charset=UTF-8",
            ),
            "/nbkr/daily.xml": Route(body=(RATES / "nbkr_daily.xml").read_bytes()),
            "/nbkr/weekly.xml": Route(body=(RATES / "nbkr_weekly.xml").read_bytes()),
        }
    ) as server:
        yield server


def catalog(web: LocalServer) -> list[SourceSpec]:
    return [
        bank("nbk", "nbk", web.url("/nbk?fdate={date:%d.%m.%Y}")),
        bank("nbkr", "nbkr", web.url("/nbkr/daily.xml")),
        bank("nbkr-weekly", "nbkr", web.url("/nbkr/weekly.xml")),
        feed("good", web.url("/good"), ("KZ",)),
        feed("cp1251", web.url("/cp1251")),
        feed("cp1251-header", web.url("/cp1251-header")),
        feed("wrong-charset", web.url("/wrong-charset")),
        feed("etag", web.url("/etag")),
        feed("e500", web.url("/500")),
        feed("e403", web.url("/403")),
        feed("hang", web.url("/hang")),
        feed("loop", web.url("/loop")),
        feed("cut", web.url("/cut")),
        feed("bomb", web.url("/bomb")),
        feed("junk", web.url("/junk")),
    ]


FAILURES = {
    "e500": "HTTP 500",
    "e403": "HTTP 403",
    "hang": "went silent",
    "loop": "more than 5 redirects",
    "cut": "closed the connection before the whole answer",
    "bomb": "entity declarations are not allowed",
    "junk": "larger than 5 MB",
}


async def run_pass(
    specs: list[SourceSpec], sessions: async_sessionmaker[AsyncSession], now: datetime = NOW
) -> dict[str, SourceReport]:
    reports = await fetch_pass(specs, sessions, config=FAST, clock=lambda: now)
    return {report.name: report for report in reports}


async def test_one_pass_stores_the_good_and_records_the_bad(
    web: LocalServer, sessions: async_sessionmaker[AsyncSession]
) -> None:
    reports = await run_pass(catalog(web), sessions)
    failed = {name for name, report in reports.items() if not report.ok}
    assert failed == set(FAILURES)
    for name, reason in FAILURES.items():
        assert reason in (reports[name].error or ""), name

    async with sessions() as session:
        rows = (await session.execute(select(StoryRow))).scalars().all()
        by_source = {row.source: row for row in rows}
        kzt = await list_daily_rates(session, "KZT", date(2026, 4, 1))
        kgs = await list_daily_rates(session, "KGS", date(2026, 4, 1))
        kgs_eur = (
            await session.execute(
                select(func.count()).select_from(RateRow).where(RateRow.source == "nbkr")
            )
        ).scalar_one()
        states = await list_source_states(session)
    # Cyrillic from windows-1251, whether the declaration or the header said so.
    assert by_source["cp1251"].title == "В Бишкеке открылся новый каток"
    # The header's windows-1251 and the wrong "utf-8" header give the same story, once.
    pool = [row for row in rows if row.source in ("cp1251-header", "wrong-charset")]
    assert [row.title for row in pool] == ["В Бишкеке открылся новый бассейн"]
    assert by_source["cp1251"].countries.startswith("KG")
    assert by_source["good"].countries.startswith("KZ")
    # Tracking parameters never reach the stored link.
    assert "https://a.example/metro" in {row.url for row in rows}
    assert not {"cut", "bomb", "junk"} & set(by_source)
    assert reports["wrong-charset"].ok
    # NBK's KZT is dated 2026-04-03 by its response; NBKR's cross rate of 2026-05-24 is
    # more than a week newer, so it stands in, and the series is NBKR's alone.
    assert [(q.as_of, q.source) for q in kzt] == [(date(2026, 5, 24), "nbkr")]
    assert kgs[-1].per_usd == Decimal("87.4500") and kgs[-1].source == "nbkr"
    assert kgs_eur > 5  # daily and weekly, the weekly crossed through the daily USD rate
    shown = render_sources(catalog(web), states, UTC)
    assert shown.count("last error 2026-04-03 06:00: ") == len(FAILURES)
    for name, reason in FAILURES.items():
        assert reason in (states[name].last_error_reason or "")
        assert f"{name} (feed, every 15m)" in shown and reason in shown
        assert states[name].consecutive_failures == 1
        assert states[name].last_success is None
        assert states[name].next_fetch == NOW + timedelta(minutes=15)
    assert states["good"].consecutive_failures == 0
    assert states["good"].last_success == NOW
    assert states["etag"].etag == '"7"'


async def test_a_second_pass_gets_304s_and_backs_off_the_failures(
    web: LocalServer, sessions: async_sessionmaker[AsyncSession]
) -> None:
    specs = [s for s in catalog(web) if s.name in ("etag", "e403", "good", "nbk")]
    await run_pass(specs, sessions)
    later = NOW + timedelta(minutes=20)
    reports = await run_pass(specs, sessions, later)
    assert reports["etag"].outcome == "not-modified"
    assert web.served.headers["/etag"]["if-none-match"] == '"7"'
    # A dated bank URL never carries yesterday's validators.
    assert "if-none-match" not in web.served.headers["/nbk?fdate=03.04.2026"]
    assert reports["good"].intake.stories_added == 0
    assert reports["good"].intake.stories_duplicate == 2
    assert reports["nbk"].intake.rates_unchanged > 0 and reports["nbk"].intake.rates_added == 0
    async with sessions() as session:
        states = await list_source_states(session)
    assert states["e403"].consecutive_failures == 2
    # The second failure in a row waits twice the interval.
    assert states["e403"].next_fetch == later + timedelta(minutes=30)
    assert states["etag"].last_success == later


def test_backoff_doubles_up_to_the_cap() -> None:
    spec = feed("x", "https://x.example/")
    waits = [next_fetch_after(spec, n, NOW) - NOW for n in range(0, 8)]
    assert waits[:5] == [timedelta(minutes=m) for m in (15, 15, 30, 60, 120)]
    assert waits[-1] == timedelta(hours=6)
    assert next_fetch_after(spec, 10_000, NOW) - NOW == timedelta(hours=6)


async def test_a_crash_while_storing_leaves_nothing_half_written(
    web: LocalServer, sessions: async_sessionmaker[AsyncSession], monkeypatch: pytest.MonkeyPatch
) -> None:
    real_add_stories = intake.add_stories

    async def add_then_break(
        session: AsyncSession, drafts: list[StoryDraft], **kwargs: bool
    ) -> StoriesAdded:
        added = await real_add_stories(session, drafts, **kwargs)
        if drafts and drafts[0].source == "broken":
            raise OperationalError("INSERT", {}, Exception("disk I/O error"))
        return added

    monkeypatch.setattr(intake, "add_stories", add_then_break)
    web.routes["/other"] = Route(
        body=rss(("A story only the broken outlet has", "https://b.example/x", ""))
    )
    specs = [feed("broken", web.url("/other")), feed("good", web.url("/good"))]
    reports = await run_pass(specs, sessions)
    assert reports["good"].ok and reports["good"].intake.stories_added == 2
    assert reports["broken"].error == "the database refused it: disk I/O error"
    async with sessions() as session:
        sources = set((await session.execute(select(StoryRow.source))).scalars())
        states = await list_source_states(session)
    assert sources == {"good"}
    assert states["broken"].consecutive_failures == 1
    assert states["broken"].last_error_reason == "the database refused it: disk I/O error"


async def test_rates_history_per_day(
    web: LocalServer, sessions: async_sessionmaker[AsyncSession]
) -> None:
    await run_pass([bank("nbk", "nbk", web.url("/nbk?fdate={date:%d.%m.%Y}"))], sessions)
    async with sessions() as session:
        usd = await list_daily_rates(session, "KZT", date(2026, 3, 1))
    assert usd and usd[-1].per_usd == Decimal("472.31")
