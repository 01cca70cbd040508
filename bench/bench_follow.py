"""Topic matching at scale: 1,000 new stories against 1k, 10k and 100k followed topics.

    .venv/bin/python bench/bench_follow.py            # 1k, 10k, 100k topics
    .venv/bin/python bench/bench_follow.py --quick    # 1k and 10k

Topics are one to three neighbouring words of real headlines (the Kazakh/English
government headlines and the Russian stories of ``../shared/corpora``), as people pick
words they read; stories are other headlines of the same corpora with their leads. Each
size gets a fresh index (built, then timed on the same 1,000 stories), so no size
profits from another's caches. The index is inverted (term -> topics): a story reaches
only the topics that share a word with it, so the time grows far slower than the topic
count; the ratios against the 1k run say by how much.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.corpora import kz_gov_stories, upl_stories  # noqa: E402
from core.search.normalize import raw_words  # noqa: E402
from core.topics import StoryText, Topic, TopicIndex, story_lead  # noqa: E402

STORIES = 1_000
SEED = 22
RARE_SHARE = 0.002


def _corpus() -> list[dict[str, object]]:
    return [*kz_gov_stories(), *upl_stories()]


def rare_words(titles: list[str]) -> set[str]:
    """Words in at most ``RARE_SHARE`` of the headlines: names and things, the stuff of
    topics ("Rogun", "Kashagan", "visa-free"), not "President" or "meeting"."""
    counts: Counter[str] = Counter()
    for title in titles:
        counts.update(set(raw_words(title)))
    return {word for word, count in counts.items() if count <= RARE_SHARE * len(titles)}


def make_topics(
    titles: list[str], count: int, rng: random.Random, allowed: set[str] | None = None
) -> list[Topic]:
    """``count`` topics of one to three neighbouring words of random headlines (only
    ``allowed`` words, when given)."""
    topics: list[Topic] = []
    while len(topics) < count:
        words = [
            w
            for w in raw_words(rng.choice(titles))
            if len(w) > 3 and (allowed is None or w in allowed)
        ]
        if not words:
            continue
        size = rng.choice((1, 2, 2, 3))
        start = rng.randrange(max(1, len(words) - size + 1))
        topics.append(Topic(len(topics) + 1, " ".join(words[start : start + size])))
    return topics


def make_stories(items: list[dict[str, object]], rng: random.Random) -> list[StoryText]:
    """``STORIES`` stories drawn from the corpus, with their leads."""
    chosen = rng.sample(items, STORIES)
    return [
        StoryText(n, str(item["title"]), story_lead("", str(item.get("text") or "")))
        for n, item in enumerate(chosen, start=1)
    ]


def run(
    size: int, titles: list[str], stories: list[StoryText], allowed: set[str] | None
) -> tuple[float, float, int, int]:
    """Build an index of ``size`` topics and match the stories: (build s, match s, matches,
    distinct terms)."""
    topics = make_topics(titles, size, random.Random(SEED), allowed)
    started = time.perf_counter()
    index = TopicIndex()
    index.add_all(topics)
    built = time.perf_counter() - started
    started = time.perf_counter()
    matches = sum(len(index.match(story)) for story in stories)
    return built, time.perf_counter() - started, matches, index.terms


def main() -> None:
    """Print the time to match 1,000 stories at each topic count, and the ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1k and 10k topics only")
    parser.add_argument(
        "--broad", action="store_true", help="topics of any headline words, common ones too"
    )
    args = parser.parse_args()
    items = _corpus()
    rng = random.Random(SEED)
    stories = make_stories(items, rng)
    picked = {story.title for story in stories}
    titles = [str(item["title"]) for item in items if item["title"] not in picked]
    sizes = (1_000, 10_000) if args.quick else (1_000, 10_000, 100_000)
    allowed = None if args.broad else rare_words(titles)
    base: float | None = None
    kind = "any words" if args.broad else f"words in at most {RARE_SHARE:.1%} of them"
    print(f"{STORIES} stories; topics from {len(titles)} other headlines, {kind}")
    for size in sizes:
        built, matched, found, terms = run(size, titles, stories, allowed)
        base = base or matched
        print(
            f"{size:>7} topics ({terms} terms): build {built:6.2f} s, match {matched:6.2f} s "
            f"({matched / STORIES * 1000:.2f} ms a story), {found} matches; "
            f"x{size // sizes[0]} topics -> x{matched / base:.2f} time"
        )


if __name__ == "__main__":
    main()
