"""The topic index: how topics are read, what matches across languages and spellings, and
that indexing a topic under some of its words loses no match."""

from __future__ import annotations

import random

import pytest

from core.topics import (
    MATCH_THRESHOLD,
    StoryText,
    Topic,
    TopicIndex,
    TopicWords,
    split_topic,
    story_lead,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("gas prices kz", TopicWords("gas prices", ("KZ",))),
        ("cotton uzb KG", TopicWords("cotton", ("UZ", "KG"))),
        ("gold RU", TopicWords("gold", ("RU",))),
        ("Samsung tv", TopicWords("Samsung tv", ())),  # "tv" in small letters is a word
        ("Tesla car", TopicWords("Tesla car", ())),
        ("kz", TopicWords("kz", ())),  # a code alone is the topic itself
        ("visa-free travel uzbekistan", TopicWords("visa-free travel uzbekistan", ())),
        ("", TopicWords("", ())),
    ],
)
def test_split_topic(text: str, expected: TopicWords) -> None:
    assert split_topic(text) == expected


def test_slots_leave_out_stop_words_and_split_hyphens() -> None:
    index = TopicIndex()
    assert index.slots("the and of") == []
    assert index.slots("и в на") == []
    assert index.slots("!!! ???") == []
    assert [slot[0] for slot in index.slots("visa-free travel")] == ["visa", "free", "travel"]
    kazakh = index.slots("Павлодардағы мұнай")
    assert kazakh[0][0] == "павлодар" and len(kazakh) == 2
    assert not index.add(Topic(1, "the of"))
    assert len(index) == 0


@pytest.mark.parametrize(
    ("topic", "title", "matches"),
    [
        ("Rogun", "Строительство Рогунской ГЭС продолжается", True),
        ("рогун гэс", "Rogun hydropower station reaches a milestone", True),
        ("газ цены", "Gas prices for households to rise", True),
        ("Tokayev", "Тоқаев Мирзиёевпен телефон арқылы сөйлесті", True),
        ("Almaty metro", "Алматы метросы жаңа бекет ашты", True),
        ("Kashagan", "Kazakhstan sues Kashagn consortium", True),  # a typo in the story
        ("Kashagn", "Kashagan output resumes", True),  # a typo in the topic
        ("газ цены", "Казахстан увеличил экспорт газа в Китай", False),
        ("Almaty metro", "Tashkent metro extends its line", False),
        ("paxta hosili", "Bugʻdoy hosili bu yil kamaydi", False),
    ],
)
def test_matches_across_languages_scripts_and_typos(topic: str, title: str, matches: bool) -> None:
    index = TopicIndex()
    index.add(Topic(7, topic))
    found = index.match(StoryText(1, title))
    assert bool(found) is matches, index.scores(StoryText(1, title))


def test_countries_keep_only_stories_about_them() -> None:
    index = TopicIndex()
    index.add(Topic(1, "gas prices", ("KZ",)))
    assert index.match(StoryText(1, "Gas prices rise", countries=("KZ", "RU")))
    assert not index.match(StoryText(2, "Gas prices rise", countries=("UZ",)))
    assert not index.match(StoryText(3, "Gas prices rise"))


def test_a_word_only_in_the_lead_counts_a_little_less() -> None:
    index = TopicIndex()
    index.add(Topic(1, "Rogun"))
    title = index.scores(StoryText(1, "Rogun dam"))
    lead = index.scores(
        StoryText(2, "Tajikistan builds a dam", story_lead("", "At Rogun, work..."))
    )
    assert title[1] == 1.0 and 0.7 <= lead[1] < 1.0


def test_indexing_some_words_of_a_topic_loses_no_match() -> None:
    rng = random.Random(5)
    vocabulary = "gas oil prices export Rogun dam Almaty metro visa free travel cotton wheat"
    words = vocabulary.split(" ")
    topics = [Topic(n, " ".join(rng.sample(words, rng.randint(1, 4)))) for n in range(1, 300)]
    stories = [StoryText(n, " ".join(rng.sample(words, rng.randint(1, 6)))) for n in range(200)]
    pruned, full = TopicIndex(), TopicIndex(threshold=0.0)
    pruned.add_all(topics)
    full.add_all(topics)
    for story in stories:
        expected = {t for t, score in full.scores(story).items() if score >= MATCH_THRESHOLD}
        assert {match.topic_id for match in pruned.match(story)} == expected
