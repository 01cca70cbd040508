"""A long JSON Lines import into SQLite, and a short writer beside it.

Imports a generated JSON Lines file (``--lines``, each story ~1 KB) into a SQLite file while
another process writes one chat row to the same file every 50 ms (10 s busy timeout), as
the bot's preferences step does. Measured: the import's whole duration (which is how long
one write transaction per file held the lock before batching), the longest write
transaction of the import, and how long the short writes waited. Target: no transaction
over about a second, so short writes finish well inside the 10 s busy timeout.

Run: ``python -m bench.bench_import_locks [--lines 60000]``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import multiprocessing
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from sqlalchemy import event

from bot.settings import to_async_url
from sources.ingest import Ingestor
from storage.database import make_engine, make_sessionmaker, upgrade_database

WORDS = [
    *("Bishkek", "Almaty", "Tashkent", "Dushanbe", "Ashgabat", "water", "border", "trade"),
    *("rail", "wheat", "cotton", "energy", "market", "bank", "tenge", "som", "sum", "somoni"),
    *("manat", "parliament", "minister", "harvest", "investment", "road"),
]


def short_writes(path: str, stop: Any, results: Any) -> None:
    """Another process: a one-row write every 50 ms until told to stop; report the waits."""
    connection = sqlite3.connect(path, timeout=10, isolation_level=None)
    waits: list[float] = []
    failures = 0
    n = 0
    while not stop.is_set():
        n += 1
        started = time.perf_counter()
        try:
            connection.execute(
                "INSERT INTO chats (id, kind, created) "
                "VALUES (?, 'private', '2026-01-01 00:00:00.000000')",
                (n,),
            )
            waits.append(time.perf_counter() - started)
        except sqlite3.OperationalError:  # a refused write is what this bench counts
            failures += 1
        time.sleep(0.05)
    connection.close()
    results.put((waits, failures))


def write_file(path: Path, lines: int) -> None:
    with path.open("w", encoding="utf-8") as out:
        for n in range(lines):
            words = [WORDS[(n * 7 + k * 3) % len(WORDS)] for k in range(140)]
            story = {
                "title": f"Story {n}: {' '.join(words[:8])}",
                "text": " ".join(words),
                "url": f"https://news.example/{n}",
            }
            out.write(json.dumps(story) + "\n")


async def main(lines: int) -> None:
    logging.disable(logging.INFO)
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "long.jsonl"
        write_file(source, lines)
        url = to_async_url(f"sqlite:///{Path(folder) / 'locks.db'}")
        importer = make_engine(url)
        await upgrade_database(importer)
        opened: dict[int, float] = {}
        held: list[float] = []

        def on_begin(connection: Any) -> None:
            opened[id(connection)] = time.perf_counter()

        def on_end(connection: Any) -> None:
            started = opened.pop(id(connection), None)
            if started is not None:
                held.append(time.perf_counter() - started)

        event.listen(importer.sync_engine, "begin", on_begin)
        event.listen(importer.sync_engine, "commit", on_end)
        event.listen(importer.sync_engine, "rollback", on_end)
        stop, results = multiprocessing.Event(), multiprocessing.Queue()
        side = multiprocessing.Process(
            target=short_writes, args=(str(Path(folder) / "locks.db"), stop, results)
        )
        side.start()
        started = time.perf_counter()
        report = await Ingestor(make_sessionmaker(importer)).ingest_file(source)
        whole = time.perf_counter() - started
        stop.set()
        waits, failures = results.get()
        side.join()
        await importer.dispose()
    print(
        f"{lines:,} JSON Lines stories into SQLite: {report.stories_added:,} added in {whole:.1f} s"
    )
    print(
        f"  write transactions: {len(held)}, longest {max(held):.2f} s, "
        f"median {statistics.median(held):.2f} s"
    )
    print(
        f"  short writes beside it: {len(waits)} done, {failures} refused; "
        f"wait median {statistics.median(waits) * 1000:.0f} ms, longest {max(waits):.2f} s"
    )
    print(f"  longest transaction / one transaction for the whole file: {max(held) / whole:.3f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=60_000)
    asyncio.run(main(parser.parse_args().lines))
