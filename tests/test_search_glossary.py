"""The glossary: a question in one language or in other words finds the story."""

from __future__ import annotations

from datetime import UTC, datetime

from core.search import SearchDoc, SearchEngine
from core.search.glossary import build_glossary
from core.search.stemming import Analyzer

DAY = datetime(2026, 5, 1, tzinfo=UTC)

FILLER = [
    "Government approves the budget for next year",
    "President receives the ambassador of France",
    "Правительство обсудило подготовку к зиме",
    "В столице открыли новую школу",
    "Central bank keeps the base rate unchanged",
]


def engine_with(*docs: SearchDoc) -> SearchEngine:
    engine = SearchEngine()
    engine.add(
        SearchDoc(10_000 + n, f"{FILLER[n % len(FILLER)]} {n}", published=DAY) for n in range(20)
    )
    engine.add(docs)
    return engine


def test_groups_are_stemmed_like_the_index() -> None:
    glossary = build_glossary(Analyzer().term)
    assert "вод" in glossary["water"]  # "вода", "воду", "воды" all stem to "вод"
    assert "30" in glossary[Analyzer().term("thirty") or ""]
    assert all(term not in others for term, others in glossary.items())


def test_an_english_question_finds_a_russian_story() -> None:
    engine = engine_with(
        SearchDoc(1, "В Бишкеке на два дня отключат горячую воду", published=DAY),
        SearchDoc(2, "Бишкек принимает турнир по борьбе", published=DAY),
    )
    assert engine.search("hot water cut in Bishkek", limit=2)[0].id == 1


def test_a_russian_question_finds_an_english_story() -> None:
    engine = engine_with(
        SearchDoc(1, "Fire destroys rows of stalls at an Osh bazaar", published=DAY),
        SearchDoc(2, "Osh hosts a film festival", published=DAY),
    )
    assert engine.search("пожар на рынке в Оше", limit=1)[0].id == 1


def test_number_words_meet_digits() -> None:
    engine = engine_with(
        SearchDoc(1, "Old cars over 30 years go to scrap", published=DAY),
        SearchDoc(2, "Old cars sold at auction", published=DAY),
    )
    assert engine.search("cars older than thirty years", limit=1)[0].id == 1


def test_the_query_s_own_word_beats_its_translation() -> None:
    engine = engine_with(
        SearchDoc(1, "Bread prices rise in Tashkent", published=DAY),
        SearchDoc(2, "В Ташкенте подорожал хлеб", published=DAY),
    )
    assert [hit.id for hit in engine.search("bread prices Tashkent", limit=2)] == [1, 2]
