"""Honest story dates: which publication dates to believe, and where undated stories rank.

One place for the rules every screen, digest and CLI follows:

- A story without a publication date stays undated; the time we fetched it is never
  passed off as its date (screens say "undated").
- A publication date more than ``FUTURE_TOLERANCE`` ahead of the moment it is read,
  or before ``EARLIEST_NEWS`` (1970 from a zero timestamp, placeholders), is wrong: it
  is dropped, and the story is undated. Clamping it to "now" would make it look fresh.
- For ordering, an undated story counts as if published ``UNDATED_DELAY`` before it was
  fetched, so it ranks after the dated news of recent days and an imported archive of
  undated headlines does not crowd out yesterday's news.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Final

__all__ = [
    "EARLIEST_NEWS",
    "FUTURE_TOLERANCE",
    "UNDATED_DELAY",
    "believable_published",
    "rank_moment",
]

# Feeds that give local time without an offset can be up to 14 hours ahead of UTC.
FUTURE_TOLERANCE: Final = timedelta(hours=15)
# Nothing the bot reads was published before the five states' independence.
EARLIEST_NEWS: Final = datetime(1991, 1, 1, tzinfo=UTC)
UNDATED_DELAY: Final = timedelta(days=3)


def believable_published(published: datetime | None, now: datetime) -> datetime | None:
    """``published`` when it can be true at ``now``, else None (the story is undated).

    Args:
        published: The date a source gave, aware, or None.
        now: The moment the story is read in, aware.

    Returns:
        ``published`` unchanged, or None for no date, a date before 1991 or one more
        than 15 hours in the future.
    """
    if published is None or published.tzinfo is None:
        return None
    if published < EARLIEST_NEWS or published > now + FUTURE_TOLERANCE:
        return None
    return published


def rank_moment(published: datetime | None, fetched: datetime) -> datetime:
    """The moment a story sorts by: its publication, else its fetch ``UNDATED_DELAY`` earlier."""
    return published if published is not None else fetched - UNDATED_DELAY
