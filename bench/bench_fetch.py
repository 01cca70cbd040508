"""How long one ``newsbot fetch`` pass over the bundled sources file takes.

Run: ``.venv/bin/python bench/bench_fetch.py [--seed N]``

Every bundled source is served from a local copy on 127.0.0.1 (never the internet): banks
answer with the recorded responses in ``tests/fixtures/rates``, outlets with a generated
feed of 30 items, each after a delay drawn from 0.2-2.5 s (servers in the region are often
slow). One pass is timed against the sum of the delays, which is what fetching one source
after another would cost at least, and against the longest single delay, the floor for a
fully parallel pass. A second pass shows the cost when feeds answer 304.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import tempfile
import time
from dataclasses import replace
from email.utils import format_datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sources.catalog import SourceSpec, bank_today, load_catalog
from sources.fetcher import SourceReport, fetch_pass
from storage.database import make_engine, make_sessionmaker, upgrade_database
from storage.models import utc_now
from tests.fetch_server import LocalServer, Route, serve
from tests.paths import RATES

BANK_FILES = {
    "nbk": "nbk_get_rates_fdate_03.04.2026.xml",
    "nbkr": "nbkr_daily.xml",
    "nbkr-weekly": "nbkr_weekly.xml",
    "cbu": "cbu_json_all_2026-04-03.json",
    "nbt": "nbt_export_xml_2026-05-18.xml",
    "cbt": "cbt_kurs_21052026.xml",
    "cbr": "cbr_XML_daily.xml",
}
PLACES = ["Almaty", "Bishkek", "Tashkent", "Dushanbe", "Ashgabat", "Osh", "Samarkand", "Aktau"]
TOPICS = [
    "opens a new bus depot",
    "hosts a regional trade fair",
    "repairs its main water line",
    "plants a new city park",
    "starts a night train service",
    "expands its airport terminal",
]


def generated_feed(name: str, rng: random.Random) -> bytes:
    """A feed of 30 invented headlines for outlet ``name`` (our own text)."""
    now = utc_now()
    items = []
    for number in range(30):
        title = f"{rng.choice(PLACES)} {rng.choice(TOPICS)} ({name} #{number})"
        when = format_datetime(now)
        items.append(
            f"<item><title>{title}</title><link>https://{name}.example/{number}</link>"
            f"<pubDate>{when}</pubDate><description>{title}. Story text.</description></item>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>{name}</title>{''.join(items)}</channel></rss>"
    ).encode()


def local_copy(
    catalog: list[SourceSpec], server: LocalServer, rng: random.Random
) -> tuple[list[SourceSpec], dict[str, float]]:
    """Point every source at a route on ``server``; return the specs and each delay."""
    specs: list[SourceSpec] = []
    delays: dict[str, float] = {}
    for spec in catalog:
        delay = round(rng.uniform(0.2, 2.5), 2)
        delays[spec.name] = delay
        if spec.is_bank:
            path = f"/{spec.name}/{{date:%Y-%m-%d}}" if spec.is_dated else f"/{spec.name}"
            day = bank_today(spec.kind, utc_now())
            body = (RATES / BANK_FILES[spec.name]).read_bytes()
            server.routes[path.format(date=day)] = Route(body=body, delay=delay)
        else:
            path = f"/{spec.name}"
            server.routes[path] = Route(
                body=generated_feed(spec.name, rng), delay=delay, etag=f'"{spec.name}-1"'
            )
        specs.append(replace(spec, url=server.url(path)))
    return specs, delays


async def timed_pass(specs: list[SourceSpec], url: str) -> tuple[float, list[SourceReport]]:
    """One pass into the store at ``url``; returns (seconds, reports)."""
    engine = make_engine(url)
    await upgrade_database(engine)
    try:
        started = time.perf_counter()
        reports = await fetch_pass(specs, make_sessionmaker(engine))
        return time.perf_counter() - started, reports
    finally:
        await engine.dispose()


def main() -> None:
    """Serve the local copy, run two passes, print the ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=5, help="seed of the delays (default 5)")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    catalog = load_catalog()
    with tempfile.TemporaryDirectory() as folder, serve() as server:
        specs, delays = local_copy(catalog, server, rng)
        url = f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}"
        first, reports = asyncio.run(timed_pass(specs, url))
        second, again = asyncio.run(timed_pass(specs, url))
    failed = [r for r in reports if not r.ok]
    total_delay = sum(delays.values())
    print(f"sources: {len(specs)} ({sum(s.is_bank for s in specs)} banks), seed {args.seed}")
    print(f"sum of server delays (one after another): {total_delay:6.2f} s")
    print(f"longest single delay (fully parallel):    {max(delays.values()):6.2f} s")
    print(
        f"first pass:  {first:6.2f} s  = {total_delay / first:4.1f}x faster than sequential, "
        f"{first / max(delays.values()):4.2f}x the parallel floor; "
        f"{sum(r.intake.stories_added for r in reports)} stories, "
        f"{sum(r.intake.rates_added for r in reports)} rates, {len(failed)} failed"
    )
    not_modified = sum(r.outcome == "not-modified" for r in again)
    print(f"second pass: {second:6.2f} s  ({not_modified} sources answered 304)")
    for report in failed:
        print(f"  failed: {report.name}: {report.error}")


if __name__ == "__main__":
    main()
