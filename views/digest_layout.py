"""Composing a daily digest: which stories, in which order, and fitting Telegram's 4096.

Pure: the stories come in, a ranked and grouped selection goes out. Rendering is the
caller's (``views.digest``); ``fit_digest`` only asks it for text and drops the
weakest stories until the text fits.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import islice

from core.dates import rank_moment
from core.types import Story
from views.telegram_html import MAX_MESSAGE, truncate_html, visible_length

MAX_STORIES = 10
# A story's weight halves with every day of age; a second outlet counts like a day's freshness.
HALF_LIFE_HOURS = 24.0
# A story fetched since the last digest but published this long before it is a backfill of
# old news (a feed re-sent its archive), not something new to tell people.
STALE_BEFORE_PREVIOUS = timedelta(days=2)
# With no previous digest, "new" means the last day.
FIRST_DIGEST_WINDOW = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class DigestSection:
    """The stories of one country in a digest, best first."""

    country: str
    stories: tuple[Story, ...]


def digest_since(previous: datetime | None, now: datetime) -> datetime:
    """Stories fetched after this moment are new to the chat: its previous digest, else a day."""
    return previous if previous is not None else now - FIRST_DIGEST_WINDOW


def story_score(story: Story, now: datetime) -> float:
    """How strongly a story belongs in a digest: recency, weighted by how many outlets ran it.

    ``(1 + log2(outlets)) * 0.5 ** (age_hours / 24)``: two outlets double the weight,
    which is what a day of freshness is worth. A date in the future counts as now; an
    undated story is as old as ``core.dates.rank_moment`` says.
    """
    moment = rank_moment(story.published, story.fetched)
    age_hours = max(0.0, (now - moment).total_seconds() / 3600)
    return float((1 + math.log2(max(1, story.outlets))) * 0.5 ** (age_hours / HALF_LIFE_HOURS))


def _is_new(story: Story, since: datetime) -> bool:
    if story.fetched <= since:
        return False
    return story.published is None or story.published > since - STALE_BEFORE_PREVIOUS


def _main_country(story: Story, countries: Sequence[str]) -> str | None:
    # A story's countries come main country first; its section is the first the chat follows.
    return next((code for code in story.countries if code in countries), None)


class StoryPool:
    """The candidate stories of one pass, scored once and kept per country, best first.

    A pass composes thousands of digests at the same ``now``: the scores do not depend on
    the chat, so each chat only walks the heads of its countries' lists.

    Args:
        stories: Candidates (any order; duplicates by id are kept once).
        now: The moment of the pass, for recency.
    """

    def __init__(self, stories: Iterable[Story], now: datetime) -> None:
        by_id = {story.id: story for story in stories}
        ranked = sorted(
            by_id.values(),
            key=lambda s: (story_score(s, now), rank_moment(s.published, s.fetched), s.id),
            reverse=True,
        )
        self._rank = {story.id: position for position, story in enumerate(ranked)}
        self._by_country: dict[str, list[Story]] = {}
        for story in ranked:
            for code in dict.fromkeys(story.countries):
                self._by_country.setdefault(code, []).append(story)

    def choose(
        self, countries: Sequence[str], since: datetime, limit: int = MAX_STORIES
    ) -> list[Story]:
        """The best ``limit`` stories about ``countries`` fetched after ``since``, best first.

        Best is the highest score, then the newest, then the highest id (a stable order).
        The picks spread across the countries: each country with news gives its best story
        before any gives a second (the rounds go best first), so ten stories are never all
        about one country while another has news.
        """
        if limit <= 0:
            return []
        queues: list[list[Story]] = []
        for code in dict.fromkeys(countries):
            # A story counts for its section's country; only the heads of the lists are
            # walked, since thousands of chats share one pool per pass.
            mine = (
                s
                for s in self._by_country.get(code, ())
                if _main_country(s, countries) == code and _is_new(s, since)
            )
            fresh = list(islice(mine, limit))
            if fresh:
                queues.append(fresh)
        picked: dict[int, Story] = {}
        depth = 0
        while len(picked) < limit and any(depth < len(queue) for queue in queues):
            round_ = [queue[depth] for queue in queues if depth < len(queue)]
            for story in sorted(round_, key=lambda s: self._rank[s.id]):
                if len(picked) < limit:
                    picked.setdefault(story.id, story)
            depth += 1
        return sorted(picked.values(), key=lambda s: self._rank[s.id])


def choose_stories(
    pool: Iterable[Story],
    countries: Sequence[str],
    since: datetime,
    now: datetime,
    limit: int = MAX_STORIES,
) -> list[Story]:
    """The best ``limit`` stories about the chat's countries that are new since ``since``.

    Args:
        pool: Candidate stories (any order; duplicates by id are kept once).
        countries: ISO codes the chat follows.
        since: Stories fetched at or before it were in an earlier digest.
        now: The moment of the digest, for recency.
        limit: At most this many.

    Returns:
        Stories best first (see ``StoryPool.choose``).
    """
    return StoryPool(pool, now).choose(countries, since, limit)


def group_by_country(stories: Sequence[Story], countries: Sequence[str]) -> list[DigestSection]:
    """Sections per country in the order of each country's best story; ranks kept within.

    Args:
        stories: Ranked best first, as ``choose_stories`` returns them.
        countries: The chat's countries; a story goes under the first of them it is about.
    """
    groups: dict[str, list[Story]] = {}
    for story in stories:
        code = _main_country(story, countries)
        if code is not None:
            groups.setdefault(code, []).append(story)
    return [DigestSection(code, tuple(items)) for code, items in groups.items()]


def fit_digest(
    stories: Sequence[Story],
    render: Callable[[Sequence[Story]], str],
    limit: int = MAX_MESSAGE,
) -> tuple[str, list[Story]]:
    """The rendered digest within ``limit`` visible characters, and the stories it kept.

    The weakest story (the last; ``stories`` are best first) is dropped until the text
    fits. Should even the text without stories overflow, it is cut at a line boundary.
    """
    kept = list(stories)
    while True:
        text = render(kept)
        # Markup is never shorter than what it shows: most digests fit without tokenizing.
        if len(text.encode("utf-16-le")) // 2 <= limit or visible_length(text) <= limit:
            return text, kept
        if not kept:
            return truncate_html(text, limit), kept
        kept.pop()
