"""The demo data shipped with the project, loaded into an empty store."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from sources.ingest import FileReport, Ingestor
from storage.stories import count_stories

DEMO_DIR = Path(__file__).with_name("demo")


def demo_files() -> list[Path]:
    """Rate pages oldest first, then the stories."""
    return sorted(DEMO_DIR.glob("rates-*.txt")) + sorted(DEMO_DIR.glob("*.jsonl"))


async def load_demo_if_empty(sessions: async_sessionmaker[AsyncSession]) -> list[FileReport]:
    """Load the demo stories and rates when the store has no story yet; else do nothing."""
    async with sessions() as session:
        if await count_stories(session):
            return []
    return await Ingestor(sessions).ingest_paths(demo_files())
