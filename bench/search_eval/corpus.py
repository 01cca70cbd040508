"""The evaluation corpus: the shared corpora, the seed page and our own stories, keyed.

The shared texts are read at run time and never copied into the project; queries refer to
them by stable keys (see README.md).
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench.corpora import kz_gov_stories, shared_file, upl_stories
from core.countries import find_countries
from core.search import SearchDoc
from sources.page import parse_page

HERE = Path(__file__).resolve().parent
_UPL_NUMBER = re.compile(r"/(\d+)-news\.html")
# Undated corpus items get a date spread over these years, the same one every run.
_UNDATED_FROM = datetime(2016, 1, 1, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class Item:
    """One story of the evaluation corpus."""

    key: str
    title: str
    summary: str
    text: str
    published: datetime | None
    countries: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Query:
    """A labelled query: what people type and the keys of the stories that answer it."""

    text: str
    kind: str
    expect: tuple[str, ...]
    held_out: bool
    # "blind", "blind2": written after a version of the glossary was frozen (README.md).
    batch: str = ""


def _date(value: object) -> datetime | None:
    return datetime.fromisoformat(value) if isinstance(value, str) and value else None


def _spread_date(number: int) -> datetime:
    return _UNDATED_FROM + timedelta(hours=7 * number)


def _item(key: str, title: str, text: str, summary: str, published: datetime | None) -> Item:
    return Item(key, title, summary, text, published, find_countries(title, text or summary))


def load_items() -> list[Item]:
    """Every story of the evaluation corpus, in a fixed order."""
    items: list[Item] = []
    for story in kz_gov_stories():
        number = int(str(story["n"]))
        key = f"kz:{number}:{story['lang']}"
        items.append(_item(key, str(story["title"]), "", "", _spread_date(number)))
    for story in upl_stories():
        found = _UPL_NUMBER.search(str(story["url"]))
        if found is None:
            continue
        published = _date(story["published"]) or _spread_date(int(found.group(1)))
        items.append(
            _item(f"upl:{found.group(1)}", str(story["title"]), str(story["text"]), "", published)
        )
    page = parse_page(
        shared_file("seed", "timesca-page-2025-12-11.txt").read_text(encoding="utf-8")
    )
    for number, draft in enumerate(page.stories):
        items.append(
            _item(f"seed:{number}", draft.title, draft.text, draft.summary, draft.published)
        )
    for line in (HERE / "stories.jsonl").read_text(encoding="utf-8").splitlines():
        own = json.loads(line)
        items.append(
            _item(
                f"own:{own['key']}",
                own["title"],
                own.get("text", ""),
                own.get("summary", ""),
                _date(own.get("published")),
            )
        )
    return items


def load_queries(name: str = "queries.jsonl") -> list[Query]:
    """The labelled queries of one file; within each kind, every second one is held out.

    Args:
        name: ``queries.jsonl`` (the first set) or ``languages.jsonl`` (across languages
            and scripts, whose held-out half is the blind figure).
    """
    queries = []
    seen: dict[str, int] = {}
    for line in (HERE / name).read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        number = seen.get(row["kind"], 0)
        seen[row["kind"]] = number + 1
        held_out = number % 2 == 1
        queries.append(
            Query(row["q"], row["kind"], tuple(row["expect"]), held_out, row.get("batch", ""))
        )
    return queries


def to_doc(story_id: int, item: Item) -> SearchDoc:
    """The engine's view of an item."""
    return SearchDoc(story_id, item.title, item.summary, item.text, item.published, item.countries)


def _sentences(text: str) -> list[str]:
    return [part for part in re.split(r"(?<=[.!?])\s+", text) if part]


def variations(items: list[Item], count: int, seed: int = 11) -> Iterator[Item]:
    """Generate ``count`` new stories by mixing the words and sentences of ``items``.

    A title keeps about two thirds of one story's words, in a new order, with words of
    another title in the same script; a text (when the story has one) interleaves the
    sentences of two texts. Dates are spread over ten years; countries come from the base.
    """
    rng = random.Random(seed)
    with_text = [item for item in items if item.text]
    for number in range(count):
        base = items[rng.randrange(len(items))]
        other = items[rng.randrange(len(items))]
        words = base.title.split()
        keep = [w for w in words if rng.random() < 0.7] or words[:1]
        extra = [w for w in other.title.split() if rng.random() < 0.3]
        title_words = keep + extra
        rng.shuffle(title_words)
        text = ""
        if base.text or rng.random() < 0.03:
            first = base if base.text else with_text[rng.randrange(len(with_text))]
            second = with_text[rng.randrange(len(with_text))]
            mixed = _sentences(first.text)[::2] + _sentences(second.text)[1::2]
            rng.shuffle(mixed)
            text = " ".join(mixed)
        published = _UNDATED_FROM + timedelta(minutes=rng.randrange(10 * 365 * 24 * 60))
        yield Item(f"gen:{number}", " ".join(title_words), "", text, published, base.countries)
