"""How fast ``newsbot ingest`` imports the shared corpora converted to JSON Lines.

Run: ``.venv/bin/python bench/bench_ingest.py [postgresql://postgres@127.0.0.1:5432/test]``
(default: a temporary SQLite file; with a PostgreSQL URL, a scratch database is created beside
the named one and dropped after). Prints stories per second for each corpus and for
re-importing it (all duplicates).
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.corpora import kz_gov_stories, upl_stories, write_jsonl
from bench.scratch_db import scratch_postgres
from bot.settings import to_async_url
from sources.ingest import Ingestor
from storage.database import make_engine, make_sessionmaker, upgrade_database


async def main(url: str, workdir: Path) -> None:
    """Convert both corpora, then time a first import and a repeated one."""
    files = {
        "kz_gov_titles (en+kk headlines)": (workdir / "kz_gov.jsonl", kz_gov_stories()),
        "upl_uz_posts (ru full texts)": (workdir / "upl.jsonl", upl_stories()),
    }
    engine = make_engine(to_async_url(url))
    await upgrade_database(engine)
    ingestor = Ingestor(make_sessionmaker(engine))
    print(f"database: {engine.dialect.name}")
    for label, (path, stories) in files.items():
        count = write_jsonl(stories, path)
        for attempt in ("first import", "re-import"):
            started = time.perf_counter()
            report = await ingestor.ingest_file(path)
            elapsed = time.perf_counter() - started
            assert report.ok, report.error
            print(
                f"{label:34} {attempt:12} {count:6} lines  {elapsed:6.2f} s  "
                f"{count / elapsed:8.0f} stories/s  added {report.stories_added}, "
                f"already stored {report.stories_duplicate}"
            )
    await engine.dispose()


async def on_scratch_postgres(admin_url: str, workdir: Path) -> None:
    """Run the benchmark on a database of its own, so the named one is left as it was."""
    async with scratch_postgres(admin_url, "ingest") as url:
        await main(url, workdir)


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as tmp:
        if len(sys.argv) > 1 and sys.argv[1].startswith("postgres"):
            asyncio.run(on_scratch_postgres(sys.argv[1], Path(tmp)))
        else:
            asyncio.run(main(f"sqlite:///{tmp}/bench.db", Path(tmp)))
