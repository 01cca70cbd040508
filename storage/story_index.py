"""Search over the stored stories, following the store as it grows.

Interim implementation: a plain case-insensitive title match, newest first. The
search issue replaces the internals with the ranking engine from ``core``; the
interface (``StoryIndex.search``) stays.
"""

from __future__ import annotations

from sqlalchemy import and_, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.types import SearchHit
from storage.models import StoryRow
from storage.stories import to_story


class StoryIndex:
    """Answers free-text questions with stored stories, best first."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def search(
        self, query: str, *, limit: int = 10, country: str | None = None
    ) -> list[SearchHit]:
        """The stories whose titles contain every word of ``query``."""
        words = [word for word in query.lower().split() if len(word) > 2][:8]
        if not words:
            return []
        condition = and_(*(StoryRow.title.ilike(f"%{word}%") for word in words))
        statement = select(StoryRow).where(condition).order_by(StoryRow.id.desc()).limit(limit)
        async with self._sessions() as session:
            rows = (await session.execute(statement)).scalars().all()
        stories = [to_story(row) for row in rows]
        if country:
            stories = [story for story in stories if country.upper() in story.countries]
        return [SearchHit(story=story, score=1.0) for story in stories]
