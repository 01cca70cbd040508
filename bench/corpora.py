"""Turn the shared real corpora into JSON Lines for benchmarks (never committed as data)."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

SHARED = Path(__file__).resolve().parents[2] / "shared"
TASHKENT = timezone(timedelta(hours=5))


def shared_file(*parts: str) -> Path:
    """A file under ``../shared``; without it, say so in one line and exit 2.

    The corpora are other people's texts: they sit beside the repository for the team
    and CI, never inside it, so a bare clone cannot run the benchmarks that read them.
    """
    path = SHARED.joinpath(*parts)
    if not path.is_file():
        print(
            f"this benchmark reads ../shared/{'/'.join(parts)}, which is not beside the "
            "repository (the team and CI have it; a bare clone does not)",
            file=sys.stderr,
        )
        raise SystemExit(2)
    return path


def kz_gov_stories() -> Iterator[dict[str, object]]:
    """Each Kazakh/English headline pair as two stories, one per language."""
    path = shared_file("corpora", "kz_gov_titles_kk_en.tsv")
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
        kazakh, _, english = line.partition("\t")
        if english.strip():
            yield {"title": english.strip(), "lang": "en", "source": "akorda", "n": number}
        if kazakh.strip():
            yield {"title": kazakh.strip(), "lang": "kk", "source": "akorda", "n": number}


def _upl_date(text: str) -> str | None:
    try:
        return datetime.strptime(text, "%d-%m-%Y, %H:%M").replace(tzinfo=TASHKENT).isoformat()
    except ValueError:
        return None  # "Сегодня"/"Вчера" cannot be dated without the crawl date


def upl_stories() -> Iterator[dict[str, object]]:
    """The Russian stories with full text, their link and date."""
    data = json.loads(shared_file("corpora", "upl_uz_posts_ru.json").read_text(encoding="utf-8"))
    for category, posts in data.items():
        for post in posts:
            yield {
                "title": post["title"],
                "text": post.get("full_description") or post.get("text") or "",
                "url": post.get("detail_link"),
                "published": _upl_date(post.get("date", "")),
                "lang": "ru",
                "source": "upl.uz",
                "category": category,
            }


def write_jsonl(stories: Iterator[dict[str, object]], path: Path) -> int:
    """Write stories as JSON Lines; return how many."""
    count = 0
    with path.open("w", encoding="utf-8") as handle:
        for story in stories:
            handle.write(json.dumps(story, ensure_ascii=False) + "\n")
            count += 1
    return count
