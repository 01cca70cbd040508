"""Two real ``newsbot run --webhook`` processes on one PostgreSQL database, as in production.

They share the updates the stand-in load balancer spreads over them, and their scheduled
jobs run once: every source is fetched by one of them, and each due digest is sent by one
pass of one of them.
"""

from __future__ import annotations

import asyncio
import secrets
import signal
import sys
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.demo import load_demo_if_empty
from bot_api_emulator import BotApiEmulator
from bot_api_emulator.http import serve_http
from storage.models import DeliveryRow, JobLeaseRow
from tests.digest_support import add_subscriber
from tests.fetch_server import Route, serve
from tests.paths import FIXTURES
from tests.test_flood import SLOW_DOWN
from tests.test_webhook import PATH, TOKEN, free_port, wait_until, webhook_env

SUBSCRIBERS = range(7001, 7041)
PEOPLE = range(8001, 8011)
SOURCES = ("alpha", "beta")
NEWSBOT_WEBHOOK = (sys.executable, "-m", "bot", "run", "--webhook")


def _catalog(folder: Path, base: str) -> Path:
    path = folder / "sources.toml"
    path.write_text(
        "".join(
            f'[[sources]]\nname = "{name}"\nkind = "feed"\nurl = "{base}/{name}.xml"\n'
            'lang = "en"\ncountries = ["KZ"]\nevery = "1h"\n\n'
            for name in SOURCES
        ),
        encoding="utf-8",
    )
    return path


def _sample(text: str, family: str, **labels: str) -> float:
    """The sum of one family's ``*_total`` samples matching ``labels`` in a /metrics text."""
    return sum(
        sample.value
        for metric in text_string_to_metric_families(text)
        if metric.name == family
        for sample in metric.samples
        if sample.name.endswith("_total") and labels.items() <= sample.labels.items()
    )


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
async def test_two_processes_share_updates_and_run_each_job_once(
    database_url: str, sessions: async_sessionmaker[AsyncSession], tmp_path: Path
) -> None:
    await load_demo_if_empty(sessions)
    for chat_id in SUBSCRIBERS:  # due at once: 00:00 UTC has passed today
        await add_subscriber(sessions, chat_id, local_time="00:00", timezone="UTC")
    emu = BotApiEmulator(token=TOKEN)
    for chat_id in SUBSCRIBERS:
        emu.private_chat(emu.user(chat_id, f"S{chat_id}"))
    people = [emu.private_chat(emu.user(n, f"P{n}", language_code="en")) for n in PEOPLE]
    atom = (FIXTURES / "feeds" / "atom.xml").read_bytes()
    ports = [free_port(), free_port()]
    routes = {f"/{name}.xml": Route(body=atom) for name in SOURCES}
    with serve(routes) as site:
        catalog = _catalog(tmp_path, site.base)
        async with serve_http(emu) as base_url:
            env = {"FETCH_SOURCES": "true", "SEND_DIGESTS": "true", "SOURCES_FILE": str(catalog)}
            processes = [
                await asyncio.create_subprocess_exec(
                    *NEWSBOT_WEBHOOK,
                    env=webhook_env(base_url, database_url, port, **env),
                    stdout=asyncio.subprocess.PIPE,
                    stderr=asyncio.subprocess.PIPE,
                )
                for port in ports
            ]
            try:
                await wait_until(
                    lambda: sum(m == "setWebhook" for m, _ in emu.calls) == 2, "both setWebhook"
                )
                emu.balance_webhooks([f"http://127.0.0.1:{port}{PATH}" for port in ports])
                for person in people:
                    await person.dispatch_text("/rates")
                    await person.dispatch_text("/convert 100 usd kzt")
                for person in people:
                    await emu.wait_for(person.id, 2, timeout=60)
                await wait_until(
                    lambda: all(emu.messages_in(chat_id) for chat_id in SUBSCRIBERS),
                    "every digest",
                )
                await wait_until(
                    lambda: all(site.served.hits.get(f"/{n}.xml") for n in SOURCES), "fetches"
                )
                # Room for a second, wrong, send or fetch to show up before counting.
                await asyncio.sleep(1.5)
                async with httpx.AsyncClient(timeout=10) as client:
                    metrics = [
                        (await client.get(f"http://127.0.0.1:{port}/metrics")).text
                        for port in ports
                    ]
            finally:
                for process in processes:
                    if process.returncode is None:
                        process.send_signal(signal.SIGTERM)
                outputs = [await asyncio.wait_for(p.communicate(), 30) for p in processes]
    for process, (_, stderr) in zip(processes, outputs, strict=True):
        assert process.returncode == 0, stderr.decode()[-2000:]
    await emu.aclose()

    # Both instances answered people; every answer came once.
    handled = [_sample(text, "newsbot_updates") for text in metrics]
    assert sum(handled) == 2 * len(people) and all(count > 0 for count in handled)
    assert all(len(emu.messages_in(person.id)) == 2 for person in people)
    # Each digest was sent once, all by the one instance that held the minute's pass.
    assert all(len(emu.messages_in(chat_id)) == 1 for chat_id in SUBSCRIBERS)
    sent = sorted(_sample(text, "newsbot_digests", outcome="sent") for text in metrics)
    assert sent == [0, len(SUBSCRIBERS)]
    # Each source was requested once, by one instance or the other.
    assert {name: site.served.hits.get(f"/{name}.xml") for name in SOURCES} == dict.fromkeys(
        SOURCES, 1
    )
    fetched = [_sample(text, "newsbot_fetches") for text in metrics]
    assert sum(fetched) == len(SOURCES)
    async with sessions() as session:
        delivered = await session.scalar(
            select(func.count()).select_from(DeliveryRow).where(DeliveryRow.status == "sent")
        )
        leases = set((await session.scalars(select(JobLeaseRow.name))).all())
    assert delivered == len(SUBSCRIBERS)
    assert {"digest-pass", "fetch:alpha", "fetch:beta"} <= leases


@pytest.fixture(params=["postgresql", "redis"])
def shared_env(request: pytest.FixtureRequest) -> dict[str, str]:
    """The settings naming the shared engine: none for PostgreSQL, REDIS_URL for Redis."""
    if request.param == "redis":
        return {"REDIS_URL": str(request.getfixturevalue("redis_url"))}
    return {}


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
async def test_an_update_posted_to_both_is_answered_once_and_a_flooder_gets_one_allowance(
    database_url: str, sessions: async_sessionmaker[AsyncSession], shared_env: dict[str, str]
) -> None:
    await load_demo_if_empty(sessions)
    # A bot of its own: Redis keeps update ids and buckets across runs, as it should.
    token = f"{secrets.randbelow(10**9) + 1}:{TOKEN.partition(':')[2]}"
    emu = BotApiEmulator(token=token)
    people = [emu.private_chat(emu.user(n, f"P{n}", language_code="en")) for n in PEOPLE]
    flooder = emu.private_chat(emu.user(8999, "Script", language_code="en"))
    ports = [free_port(), free_port()]
    async with serve_http(emu) as base_url:
        processes = [
            await asyncio.create_subprocess_exec(
                *NEWSBOT_WEBHOOK,
                env=webhook_env(
                    base_url, database_url, port, BOT_TOKEN=token, LOG_LEVEL="WARNING", **shared_env
                ),
                stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.PIPE,
            )
            for port in ports
        ]
        try:
            await wait_until(
                lambda: sum(m == "setWebhook" for m, _ in emu.calls) == 2, "both setWebhook"
            )
            urls = [f"http://127.0.0.1:{port}{PATH}" for port in ports]
            # Every update reaches both instances: each must be answered once.
            emu.balance_webhooks(urls, to_every=True)
            for person in people:
                await person.dispatch_text("/rates")
            for person in people:
                await emu.wait_for(person.id, 1, timeout=60)
            # A flooder behind the balancer: its 60 messages are spread over both instances.
            # A bucket per instance would let 20 through at each and warn it twice.
            emu.balance_webhooks(urls)
            await asyncio.gather(*(flooder.dispatch_text("/rates") for _ in range(60)))
            await wait_until(
                lambda: any(SLOW_DOWN in m.text for m in emu.messages_in(flooder.id)),
                "the slow-down note",
            )
            await asyncio.sleep(1.5)  # room for a second, wrong, answer to show up
        finally:
            for process in processes:
                if process.returncode is None:
                    process.send_signal(signal.SIGTERM)
            outputs = [await asyncio.wait_for(p.communicate(), 30) for p in processes]
    await emu.aclose()
    for process, (_, stderr) in zip(processes, outputs, strict=True):
        assert process.returncode == 0, stderr.decode()[-2000:]
    assert all(len(emu.messages_in(person.id)) == 1 for person in people)
    flood_answers = emu.messages_in(flooder.id)
    notes = [m for m in flood_answers if SLOW_DOWN in m.text]
    assert len(notes) == 1
    # One allowance of 20, and what the bucket refilled (3 a second) while they arrived.
    assert 20 <= len(flood_answers) - 1 < 40, len(flood_answers)
