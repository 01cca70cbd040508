"""``newsbot search``: answer questions with stored stories, one query or a stream of them."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable
from datetime import tzinfo
from typing import Final, TextIO
from zoneinfo import ZoneInfo

from bot.cli_commands import CommandError
from bot.settings import Settings
from bot.store import open_store
from core.types import SearchHit
from services.story_index import StoryIndex
from views.cli_text import story_json

SEARCH_EXAMPLE: Final = 'e.g. newsbot search "will kazakhstan double its milk output?"'
# A line longer than this is not a question; only its start is searched.
MAX_QUERY_CHARS: Final = 1_000


class SearchUsageError(CommandError):
    """The search was asked wrongly; the message is one line with an example."""


def hits_json(hits: Iterable[SearchHit], zone: tzinfo) -> list[dict[str, object]]:
    """Story objects as ``news --json`` prints them, best first, each with its ``score``."""
    return [{**story_json(hit.story, zone), "score": hit.score} for hit in hits]


def render_hits(hits: list[SearchHit], zone: tzinfo) -> str:
    """Best first: score, date, countries and title, then source and link."""
    lines: list[str] = []
    for hit in hits:
        story = hit.story
        when = (
            story.published.astimezone(zone).strftime("%Y-%m-%d") if story.published else "undated"
        )
        tags = ",".join(story.countries) or "--"
        lines.append(f"{hit.score:7.3f}  {when}  [{tags}] {story.title}")
        lines.append(f"         {story.source}" + (f"  {story.url}" if story.url else ""))
    return "\n".join(lines)


def render_hits_line(hits: list[SearchHit]) -> str:
    """All hits of one query on one line: ``#id score title`` separated by `` | ``."""
    if not hits:
        return "no stories found"
    return " | ".join(
        f"#{hit.story.id} {hit.score:.3f} {' '.join(hit.story.title.split())}" for hit in hits
    )


async def cmd_search(args: argparse.Namespace, settings: Settings) -> int:
    """Search the stored stories for QUERY, or for each line of stdin with ``-`` or no QUERY."""
    words: list[str] = args.query
    from_stdin = not words or words == ["-"]
    query = " ".join(words).strip()
    if not from_stdin and not query:
        raise SearchUsageError(f"the query is empty; {SEARCH_EXAMPLE}")
    zone = ZoneInfo(settings.timezone)
    async with open_store(settings) as sessions:
        index = StoryIndex(sessions)
        await index.refresh()
        if from_stdin:
            await _answer_lines(index, sys.stdin, args, zone)
            return 0
        hits = await index.search(query[:MAX_QUERY_CHARS], limit=args.limit, country=args.country)
    if args.json:
        print(json.dumps(hits_json(hits, zone), ensure_ascii=False))
    else:
        print(render_hits(hits, zone) or f"No stories match {query[:80]!r}.")
    return 0


async def _answer_lines(
    index: StoryIndex, lines: TextIO, args: argparse.Namespace, zone: tzinfo
) -> None:
    # One answer line per query line, flushed at once: a client can pipe thousands of
    # queries through one process and time each one.
    for line in lines:
        query = line.strip()[:MAX_QUERY_CHARS]
        hits = await index.search(query, limit=args.limit, country=args.country) if query else []
        if args.json:
            answer = json.dumps(hits_json(hits, zone), ensure_ascii=False)
        else:
            answer = render_hits_line(hits)
        sys.stdout.write(answer + "\n")
        sys.stdout.flush()
