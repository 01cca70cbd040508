"""GET /healthz and /metrics: the store's health, a database that is gone, Prometheus text."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.health import Health, check_health
from bot.metrics import REGISTRY
from bot.run import run_bot
from bot.settings import load_settings, to_async_url
from bot.web import bound_port, make_web_app, start_web
from bot_api_emulator import BotApiEmulator
from bot_api_emulator.http import serve_http
from storage.database import make_engine, make_sessionmaker
from storage.models import ChatRow, DeliveryRow, RateRow, StoryRow, SubscriptionRow
from tests.fetch_server import Route, serve
from tests.paths import FIXTURES

NOW = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
TOKEN = "7070:HEALTH-TOKEN"


async def store_some(sessions: async_sessionmaker[AsyncSession], now: datetime) -> None:
    """Two rates (the newest fetched 90 min ago), two stories, deliveries in each status."""
    async with sessions.begin() as session:
        session.add_all(
            [
                RateRow(
                    currency="KZT",
                    as_of=date(2026, 11, 27),
                    source="nbk",
                    per_usd=Decimal("512.3"),
                    fetched=now - timedelta(hours=5),
                ),
                RateRow(
                    currency="KGS",
                    as_of=date(2026, 11, 28),
                    source="nbkr",
                    per_usd=Decimal("87.45"),
                    fetched=now - timedelta(seconds=5400),
                ),
                StoryRow(
                    title="<b>Old</b> & news",
                    source="akipress",
                    content_hash="a" * 64,
                    fetched=now - timedelta(days=3),
                ),
                StoryRow(
                    title="Fresh",
                    source="kun.uz",
                    content_hash="b" * 64,
                    fetched=now - timedelta(seconds=120.5),
                ),
                ChatRow(id=1001),
            ]
        )
        await session.flush()
        subscription = SubscriptionRow(chat_id=1001)
        session.add(subscription)
        await session.flush()
        for day, status in enumerate(["pending", "claimed", "sent", "failed", "claimed"], 1):
            session.add(
                DeliveryRow(
                    subscription_id=subscription.id, local_date=date(2026, 11, day), status=status
                )
            )


EMPTY = {
    "ok": True,
    "database": True,
    "rates_age_seconds": None,
    "stories_age_seconds": None,
    "pending_deliveries": 0,
}


async def test_health_ages_and_pending(sessions: async_sessionmaker[AsyncSession]) -> None:
    assert await check_health(sessions, clock=lambda: NOW) == Health(True, EMPTY)
    await store_some(sessions, NOW)
    health = await check_health(sessions, clock=lambda: NOW)
    assert health == Health(
        True,
        {
            "ok": True,
            "database": True,
            "rates_age_seconds": 5400.0,
            "stories_age_seconds": 120.5,
            "pending_deliveries": 3,
        },
    )


@asynccontextmanager
async def web_server(
    sessions: async_sessionmaker[AsyncSession], health_timeout: float = 3.0
) -> AsyncIterator[httpx.AsyncClient]:
    runner = await start_web(make_web_app(sessions, health_timeout=health_timeout), "127.0.0.1", 0)
    try:
        base = f"http://127.0.0.1:{bound_port(runner)}"
        async with httpx.AsyncClient(base_url=base) as client:
            yield client
    finally:
        await runner.cleanup()


async def test_healthz_over_http(sessions: async_sessionmaker[AsyncSession]) -> None:
    await store_some(sessions, datetime.now(UTC))
    async with web_server(sessions) as client:
        answer = await client.get("/healthz")
        head = await client.head("/healthz")
        post = await client.post("/healthz", content=b"{}")
        unknown = await client.get("/healthz/../admin")
        nothing = await client.get("/")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("application/json")
    assert answer.headers["cache-control"] == "no-store"
    body = answer.json()
    assert (body["ok"], body["database"], body["pending_deliveries"]) == (True, True, 3)
    # Ages against the real clock: bounds wide enough for any machine.
    assert 5400 <= body["rates_age_seconds"] < 5400 + 600
    assert 120 <= body["stories_age_seconds"] < 120 + 600
    assert (head.status_code, post.status_code) == (405, 405)
    assert (unknown.status_code, nothing.status_code) == (404, 404)


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(params=["sqlite", "postgresql"])
def unreachable_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A database URL that cannot be opened: a SQLite file in a missing folder, or a
    PostgreSQL server on a port nobody listens on."""
    if request.param == "sqlite":
        return to_async_url(f"sqlite:///{tmp_path / 'gone' / 'newsbot.db'}")
    return to_async_url(f"postgresql://newsbot@127.0.0.1:{closed_port()}/newsbot")


async def test_unreachable_database_is_503(unreachable_url: str) -> None:
    engine = make_engine(unreachable_url)
    try:
        async with web_server(make_sessionmaker(engine)) as client:
            answer = await client.get("/healthz")
            metrics = await client.get("/metrics")
    finally:
        await engine.dispose()
    assert answer.status_code == 503
    assert answer.json() == {
        "ok": False,
        "database": False,
        "rates_age_seconds": None,
        "stories_age_seconds": None,
        "pending_deliveries": None,
    }
    assert metrics.status_code == 200  # metrics do not need the database


@asynccontextmanager
async def silent_server() -> AsyncIterator[int]:
    """A TCP server that accepts connections and never says a word: a hung database."""
    held: list[asyncio.StreamWriter] = []

    async def hold(_reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        held.append(writer)

    server = await asyncio.start_server(hold, "127.0.0.1", 0)
    try:
        yield int(server.sockets[0].getsockname()[1])
    finally:
        for writer in held:
            writer.close()
        server.close()


async def test_hung_database_is_503_not_a_hang() -> None:
    async with silent_server() as port:
        engine = make_engine(to_async_url(f"postgresql://newsbot@127.0.0.1:{port}/newsbot"))
        try:
            async with web_server(make_sessionmaker(engine), health_timeout=0.5) as client:
                answer = await client.get("/healthz", timeout=30)
        finally:
            await engine.dispose()
    assert answer.status_code == 503
    assert answer.json()["database"] is False


async def test_metrics_parse_as_prometheus_text(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with web_server(sessions) as client:
        answer = await client.get("/metrics")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/plain")
    names = {family.name for family in text_string_to_metric_families(answer.text)}
    # Families are listed even before their first sample.
    assert {"newsbot_updates", "newsbot_fetches", "newsbot_errors"} <= names


def free_port() -> int:
    return closed_port()


def feeds_file(folder: Path, url: str) -> Path:
    path = folder / "sources.toml"
    path.write_text(
        f'[[sources]]\nname = "healthvalley"\nkind = "feed"\nurl = "{url}"\n'
        'lang = "en"\ncountries = ["KG"]\nevery = "1h"\n',
        encoding="utf-8",
    )
    return path


async def wait_for_fetch(outcome: str, above: float) -> None:
    for _ in range(600):
        if fetches(outcome) > above:
            return
        await asyncio.sleep(0.1)
    raise AssertionError("the source was never fetched")


def fetches(outcome: str) -> float:
    labels = {"source": "healthvalley", "outcome": outcome}
    return REGISTRY.get_sample_value("newsbot_fetches_total", labels) or 0.0


@pytest.mark.usefixtures("httpx_level")
async def test_polling_with_port_serves_health_and_counts_fetches(
    database_url: str, tmp_path: Path
) -> None:
    atom = (FIXTURES / "feeds" / "atom.xml").read_bytes()
    emu = BotApiEmulator(token=TOKEN)
    port = free_port()
    before = fetches("new")
    with serve({"/feed.xml": Route(body=atom)}) as site:
        async with serve_http(emu) as base_url:
            settings = load_settings(
                bot_token=TOKEN,
                telegram_api_base_url=base_url,
                database_url=database_url,
                sources_file=feeds_file(tmp_path, site.url("/feed.xml")),
                send_digests=False,
                port=port,
                host="127.0.0.1",
            )
            stop = asyncio.Event()
            running = asyncio.create_task(run_bot(settings, stop))
            try:
                async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
                    await wait_for_fetch("new", before)
                    text = (await client.get("/metrics")).text
                    health = (await client.get("/healthz")).json()
            finally:
                stop.set()
                await asyncio.wait_for(running, 30)
    assert fetches("new") == before + 1
    families = {family.name: family for family in text_string_to_metric_families(text)}
    assert "newsbot_updates" in families
    samples = [
        s for s in families["newsbot_fetches"].samples if s.labels["source"] == "healthvalley"
    ]
    assert [(s.labels["outcome"], s.value) for s in samples] == [("new", before + 1)]
    assert health["ok"] is True and health["rates_age_seconds"] is None
    assert 0 <= health["stories_age_seconds"] < 600
    assert emu.first_get_updates_at is not None  # it polled: no webhook in this mode
    assert not any(method == "setWebhook" for method, _ in emu.calls)
