"""``services.stories.Stories``: pages of the newest stories and single stories by id."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.types import StoryDraft
from services.stories import Stories
from storage.stories import add_stories

START = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
TITLES = (
    "Wheat harvest ends early in Kostanay",
    "Bishkek opens a new bus line to Osh bazaar",
    "Samarkand hosts an international crafts fair",
    "Dushanbe airport gets a second runway",
    "Astana metro line passes its first test run",
    "Ashgabat adds a desalination plant on the Caspian",
    "Almaty ski resort opens a week ahead of plan",
)
KAZAKH = {0, 4, 6}


async def _store(sessions: async_sessionmaker[AsyncSession]) -> None:
    drafts = [
        StoryDraft(
            title=title,
            published=START + timedelta(hours=n),
            lang="en",
            source="test",
            countries=("KZ",) if n in KAZAKH else ("UZ",),
        )
        for n, title in enumerate(TITLES)
    ]
    async with sessions() as session, session.begin():
        await add_stories(session, drafts)


async def test_pages_run_newest_first_and_say_whether_more_follow(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    await _store(sessions)
    stories = Stories(sessions)
    first = await stories.page(0, 5)
    assert [s.title for s in first.stories] == list(reversed(TITLES))[:5] and first.more
    last = await stories.page(5, 5)
    assert [s.title for s in last.stories] == [TITLES[1], TITLES[0]] and not last.more
    exact = await stories.page(0, 7)
    assert len(exact.stories) == 7 and not exact.more
    kazakh = await stories.page(0, 2, "KZ")
    assert [s.title for s in kazakh.stories] == [TITLES[6], TITLES[4]] and kazakh.more
    assert [s.title for s in await stories.latest(2)] == [TITLES[6], TITLES[5]]


async def test_a_story_by_id_or_none_when_gone(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    await _store(sessions)
    stories = Stories(sessions)
    newest = (await stories.latest(1))[0]
    found = await stories.get(newest.id)
    assert found is not None and found.title == TITLES[6]
    assert await stories.get(newest.id + 1_000) is None
