"""Stored stories as the bot shows them: the newest page by page (all, or one country's),
and single stories by id. Searching them is ``services.story_index``."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.types import Story
from storage.stories import list_latest_stories
from storage.topics import get_stories


@dataclass(frozen=True, slots=True)
class StoryPage:
    """One page of the newest stories, and whether an older page follows."""

    stories: list[Story]
    more: bool


class Stories:
    """Reads stories from the store, one short session per call."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def page(self, offset: int, size: int, country: str | None = None) -> StoryPage:
        """``size`` stories from the ``offset``-th newest on (about ``country`` when given)."""
        async with self._sessions() as session:
            # One more than the page tells whether another page follows.
            stories = await list_latest_stories(
                session, country=country, limit=size + 1, offset=offset
            )
        return StoryPage(stories[:size], len(stories) > size)

    async def latest(self, limit: int) -> list[Story]:
        """The ``limit`` newest stories."""
        async with self._sessions() as session:
            return await list_latest_stories(session, limit=limit)

    async def get(self, story_id: int) -> Story | None:
        """The story with this id (with its other-language editions); None when gone."""
        async with self._sessions() as session:
            return (await get_stories(session, [story_id])).get(story_id)
