"""Precision and recall of topic matching on our labelled topic/story pairs.

``pairs.tsv`` holds topics we wrote and stories we wrote for them, in English, Russian,
Kazakh and Uzbek: matches (the same news in any language or spelling) and near misses
(the same words about something else, the neighbour's news, the topic's field without
the topic). Pairs alternate, within each topic, between the tuning half and the held-out
half. The threshold is chosen on the tuning half (``--sweep``); the held-out half is read
once, at the end, with ``--held-out``.

Run: ``.venv/bin/python -m bench.follow_eval.evaluate [--sweep] [--held-out]``
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path

from core.topics import MATCH_THRESHOLD, StoryText, Topic, TopicIndex, split_topic

PAIRS = Path(__file__).with_name("pairs.tsv")
SWEEP_FROM = 0.4


@dataclass(frozen=True)
class Pair:
    """One labelled topic/story pair."""

    topic: str
    label: bool
    lang: str
    title: str
    lead: str
    countries: tuple[str, ...]
    held_out: bool


def read_pairs() -> list[Pair]:
    """The labelled pairs, each assigned to its half."""
    pairs: list[Pair] = []
    seen: dict[str, int] = {}
    for line in PAIRS.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        fields = [*line.split("\t"), "", ""][:6]
        topic, label, lang, title, lead, countries = fields
        position = seen.get(topic, 0)
        seen[topic] = position + 1
        pairs.append(
            Pair(
                topic,
                label == "1",
                lang,
                title,
                lead,
                tuple(code for code in countries.split(",") if code),
                held_out=position % 2 == 1,
            )
        )
    return pairs


def scores(pairs: list[Pair], threshold: float) -> list[float]:
    """Each pair's score, from one index holding every topic (as the bot has it)."""
    index = TopicIndex(threshold=threshold)
    ids: dict[str, int] = {}
    for pair in pairs:
        if pair.topic not in ids:
            ids[pair.topic] = len(ids) + 1
            words = split_topic(pair.topic)
            index.add(Topic(ids[pair.topic], words.words, words.countries))
    found: list[float] = []
    for number, pair in enumerate(pairs):
        story = StoryText(number, pair.title, pair.lead, pair.countries)
        found.append(index.scores(story).get(ids[pair.topic], 0.0))
    return found


def precision_recall(
    labels: list[bool], values: list[float], threshold: float
) -> tuple[float, float]:
    """Precision and recall of "score >= threshold" against the labels."""
    hits = sum(
        1 for label, value in zip(labels, values, strict=True) if label and value >= threshold
    )
    said = sum(1 for value in values if value >= threshold)
    positives = sum(labels)
    return (hits / said if said else 1.0), (hits / positives if positives else 1.0)


def report(name: str, pairs: list[Pair], values: list[float], threshold: float) -> None:
    """Print one half's figures and the pairs it gets wrong."""
    labels = [pair.label for pair in pairs]
    precision, recall = precision_recall(labels, values, threshold)
    print(
        f"{name}: {len(pairs)} pairs ({sum(labels)} matches), threshold {threshold:.2f}: "
        f"precision {precision:.3f}, recall {recall:.3f}"
    )
    for pair, value in zip(pairs, values, strict=True):
        if pair.label != (value >= threshold):
            kind = "missed" if pair.label else "wrong"
            print(f"  {kind} {value:.3f} [{pair.lang}] {pair.topic!r} ~ {pair.title!r}")


def main() -> None:
    """Print precision and recall at the chosen threshold."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sweep", action="store_true", help="thresholds on the tuning half")
    parser.add_argument("--held-out", action="store_true", help="also the held-out half")
    args = parser.parse_args()
    pairs = read_pairs()
    # Indexed for the lowest threshold swept, so every score below the bot's is exact too.
    values = scores(pairs, SWEEP_FROM if args.sweep else MATCH_THRESHOLD)
    halves = {False: ([], []), True: ([], [])}  # type: dict[bool, tuple[list[Pair], list[float]]]
    for pair, value in zip(pairs, values, strict=True):
        halves[pair.held_out][0].append(pair)
        halves[pair.held_out][1].append(value)
    tuning, tuning_values = halves[False]
    if args.sweep:
        labels = [pair.label for pair in tuning]
        for step in range(int(SWEEP_FROM * 100), 100, 5):
            threshold = step / 100
            precision, recall = precision_recall(labels, tuning_values, threshold)
            print(f"  tuning at {threshold:.2f}: precision {precision:.3f}, recall {recall:.3f}")
    report("tuning half", tuning, tuning_values, MATCH_THRESHOLD)
    if args.held_out:
        report("held-out half", *halves[True], MATCH_THRESHOLD)


if __name__ == "__main__":
    main()
