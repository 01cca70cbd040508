"""The gaps the topic matcher found: stacked Turkic endings, names as Russian adjectives,
Latin Uzbek endings, Russian fleeting vowels and the words the glossary lacked."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from core.search import SearchDoc, SearchEngine
from core.search.forms import name_adjectives, oblique
from core.search.glossary import build_glossary
from core.search.glossary_regional import REGIONAL_GROUPS
from core.search.normalize import split_word
from core.search.stemming import Analyzer, name_of_adjective
from core.search.suffixes import strip_turkic
from core.topics import StoryText, Topic, TopicIndex

DAY = datetime(2026, 5, 1, tzinfo=UTC)
FILLER = (
    "Government approves the budget for next year",
    "Правительство обсудило подготовку к зиме",
    "Мемлекет басшысы елшілерді қабылдады",
    "Central bank keeps the base rate unchanged",
)


def fold(word: str) -> str:
    return split_word(word.casefold())[-1]


def engine_with(*docs: SearchDoc) -> SearchEngine:
    engine = SearchEngine()
    engine.add(
        SearchDoc(10_000 + n, f"{FILLER[n % len(FILLER)]} {n}", published=DAY) for n in range(12)
    )
    engine.add(docs)
    return engine


def top_ids(engine: SearchEngine, query: str) -> list[int]:
    return [hit.id for hit in engine.search(query, limit=3)]


@pytest.mark.parametrize(
    ("word", "stem"),
    [
        # Kazakh: possessive "-сы" under a case ending, after a vowel
        ("метросында", "метро"),
        ("қаласында", "кала"),
        ("Республикасының", "республика"),
        ("жобасымен", "жоба"),
        ("каласына", "кала"),
        # Kyrgyz: the same with a rounded vowel
        ("метросунда", "метро"),
        ("шаарында", "шаар"),
        # Uzbek read into Cyrillic from Latin, and Uzbek and Turkmen in Latin letters
        ("метросининг", "метро"),
        ("тошкентнинг", "тошкент"),
        ("metrosida", "metro"),
        ("metrosynda", "metro"),
        ("şäherinde", "saher"),
    ],
)
def test_a_possessive_under_a_case_ending_comes_off(word: str, stem: str) -> None:
    assert strip_turkic(fold(word)) == stem


@pytest.mark.parametrize(
    ("word", "stem"),
    [
        ("облысында", "облыс"),  # the stem's own "-ыс"
        ("автобусында", "автобус"),  # a loan in "-ус"
        ("кеңесінің", "кенес"),  # a frequent stem in "-ес", listed
        ("кеңеске", "кенес"),  # no possessive at all: the "с" stays
        ("басында", "бас"),  # too short to lose a letter
    ],
)
def test_a_stem_ending_in_s_keeps_it(word: str, stem: str) -> None:
    assert strip_turkic(fold(word)) == stem


def test_the_name_behind_a_russian_adjective() -> None:
    assert name_of_adjective("аральск") == "арал"
    assert name_of_adjective("рогунск") == "рогун"
    assert name_of_adjective("русск") is None  # too short to be a name
    assert name_of_adjective("нов") is None
    assert name_of_adjective("") is None


def test_other_terms_of_a_word_in_each_script() -> None:
    analyzer = Analyzer()
    assert "арал" in analyzer.other_terms("аральское")
    assert "hosil" in analyzer.other_terms("hosili")
    assert analyzer.other_terms("gold") == []  # no Turkic ending, nothing more
    assert analyzer.other_terms("golden") == []  # "gol" is too short to trust
    assert analyzer.other_terms("2024") == []


def test_a_fleeting_vowel_is_in_the_glossary_both_ways() -> None:
    analyzer = Analyzer()
    glossary = build_glossary(analyzer.term, None, REGIONAL_GROUPS)
    assert "cotton" in glossary[analyzer.term("хлопка") or ""]
    assert "market" in glossary[analyzer.term("рынка") or ""]
    assert "singer" in glossary[analyzer.term("певца") or ""]


def test_a_name_reaches_its_russian_adjective_and_numbers_their_digits() -> None:
    analyzer = Analyzer()
    glossary = build_glossary(analyzer.term, None, REGIONAL_GROUPS)
    assert "андижанск" in glossary["andijon"]
    assert "аральск" in glossary["aral"]
    assert "морск" in glossary["sea"]
    assert "three" in glossary["uch"]
    assert not any(term.endswith("ыйск") for terms in glossary.values() for term in terms)


@pytest.mark.parametrize(("word", "stem"), [("утулуп", "утул"), ("жиналып", "жинал")])
def test_the_converb_of_a_two_verb_phrase_comes_off(word: str, stem: str) -> None:
    assert strip_turkic(fold(word)) == stem


@pytest.mark.parametrize(
    ("topic", "title", "matches"),
    [
        ("Almaty metro", "Алматы метросында жаңа вагондар пайда болды", True),
        ("Алматы метро", "Алматы метросунда жаңы бекет ачылды", True),
        ("Аральское море", "Арал теңізінде балық аулау қайта басталды", True),
        ("Аральское море", "Fishing returns to the Aral Sea", True),
        ("paxta hosili", "Cotton harvest starts early in Uzbekistan", True),
        ("paxta hosili", "Урожай хлопка в этом году выше", True),
        ("HPP", "Новая ГЭС даст ток весной", True),
        ("turizm", "Tourism grows in the mountains", True),
        # near misses stay out
        ("Almaty metro", "Ташкент метросида янги бекат", False),
        ("Аральское море", "Каспий теңізінде итбалықтар табылды", False),
        ("paxta hosili", "Bugʻdoy hosili bu yil kamaydi", False),
    ],
)
def test_topics_reach_stories_across_these_gaps(topic: str, title: str, matches: bool) -> None:
    index = TopicIndex()
    index.add(Topic(3, topic))
    story = StoryText(1, title)
    assert bool(index.match(story)) is matches, index.scores(story)


def test_search_finds_stories_across_these_gaps() -> None:
    engine = engine_with(
        SearchDoc(1, "Урожай хлопка в Узбекистане собран раньше срока", published=DAY),
        SearchDoc(2, "Саммит ШОС пройдет в Бишкеке", published=DAY),
        SearchDoc(3, "Алматы метросында жаңа бекет ашылды", published=DAY),
        SearchDoc(4, "В Актобе сжиженный газ стал дешевле", published=DAY),
        SearchDoc(5, "В Андижанской области открыли музей плова", published=DAY),
        SearchDoc(6, "В Фергане незаконно срубили три тополя", published=DAY),
    )
    assert top_ids(engine, "cotton harvest")[:1] == [1]
    assert top_ids(engine, "paxta hosili")[:1] == [1]
    assert top_ids(engine, "SCO summit")[:1] == [2]
    assert top_ids(engine, "Алматы метросы")[:1] == [3]
    assert top_ids(engine, "liquefied gas Aktobe")[:1] == [4]
    assert top_ids(engine, "Andijon muzeyi")[:1] == [5]
    assert top_ids(engine, "uchta terak noqonuniy")[:1] == [6]


@pytest.mark.parametrize(
    "query", ["", "   ", "<b>метро</b>", "'; DROP TABLE stories; --", "метросында" * 200, "ыыы"]
)
def test_odd_queries_still_answer(query: str) -> None:
    engine = engine_with(SearchDoc(1, "Алматы метросында жаңа бекет ашылды", published=DAY))
    hits = engine.search(query, limit=3)
    assert all(hit.id in {1, *range(10_000, 10_012)} for hit in hits)


def test_word_forms_guessed_from_spelling() -> None:
    assert oblique("хлопок") == "хлопка"
    assert oblique("певец") == "певца"
    assert oblique("сок") is None  # too short to have lost a vowel
    assert oblique("cotton") is None
    assert name_adjectives("андижан")[0] == "андижанский"
    assert "алматинский" in name_adjectives("алматы")
    assert name_adjectives("незаконный") == ()  # already an adjective
    assert name_adjectives("Aral") == ()
