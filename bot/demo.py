"""The demo data shipped with the project: loaded only into an empty store, marked as demo.

Every demo row has the source ``demo`` (the stories say so in their file; the rate pages
are stored under it here), so the first real story or rate stored removes them all
(``storage.demo``) and they never stand beside real data.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.authority import DEMO_SOURCE
from core.types import StoryDraft
from sources.ingest import prepare_story
from sources.jsonl import LineError, iter_jsonl_file
from sources.page import parse_page
from storage.demo import DemoRemoved, is_store_empty, remove_demo_data
from storage.rates import add_rates
from storage.stories import add_stories

DEMO_DIR = Path(__file__).with_name("demo")


@dataclass(frozen=True, slots=True)
class DemoLoad:
    """What loading the demo did: ``loaded`` False means the store was not empty."""

    loaded: bool
    stories: int = 0
    rates: int = 0

    def describe(self) -> str:
        """One line saying exactly what happened (for ``newsbot demo`` and ``newsbot chat``)."""
        if not self.loaded:
            return "The store already holds stories or rates: the demo data was not loaded."
        return (
            f"The store was empty: loaded {self.stories} demo stories and {self.rates} demo "
            "rates (invented; the first real story or rate stored removes them)."
        )


def demo_files() -> list[Path]:
    """Rate pages oldest first, then the stories."""
    return sorted(DEMO_DIR.glob("rates-*.txt")) + sorted(DEMO_DIR.glob("*.jsonl"))


def _demo_stories(path: Path) -> list[StoryDraft]:
    with path.open("rb") as handle:
        parsed = list(iter_jsonl_file(handle, DEMO_SOURCE))
    # The shipped file is ours and valid; the source is forced so no line escapes the mark.
    return [
        prepare_story(
            StoryDraft(
                title=item.title,
                text=item.text,
                summary=item.summary,
                url=item.url,
                published=item.published,
                lang=item.lang,
                source=DEMO_SOURCE,
                countries=item.countries,
            )
        )
        for item in parsed
        if not isinstance(item, LineError)
    ]


async def load_demo_if_empty(sessions: async_sessionmaker[AsyncSession]) -> DemoLoad:
    """Load the demo stories and rates when the store holds no story and no rate."""
    async with sessions() as session, session.begin():
        if not await is_store_empty(session):
            return DemoLoad(loaded=False)
        stories = rates = 0
        for path in demo_files():
            if path.suffix == ".jsonl":
                stories += (await add_stories(session, _demo_stories(path))).added
            else:
                page = parse_page(
                    path.read_text(encoding="utf-8"), source=DEMO_SOURCE, rate_source=DEMO_SOURCE
                )
                rates += (await add_rates(session, page.rates)).added
    return DemoLoad(loaded=True, stories=stories, rates=rates)


async def remove_demo(sessions: async_sessionmaker[AsyncSession]) -> DemoRemoved:
    """Delete the demo stories and rates (``newsbot demo --remove``)."""
    async with sessions() as session, session.begin():
        return await remove_demo_data(session)
