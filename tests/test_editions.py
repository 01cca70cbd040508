"""One item per story: an outlet's editions of one story in several languages."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.editions import language_variants, same_news
from core.types import StoryDraft
from storage.stories import add_stories, count_stories, list_latest_stories, list_story_pool
from tests.bot_bench import TODAY, only, running_bot

KK = StoryDraft(
    "Тоқаев Астанада фермерлермен кездесті",
    url="https://primeminister.kz/kz/news/tokayev-fermers-1234",
    published=TODAY - timedelta(hours=2),
    lang="kk",
    source="primeminister.kz",
    countries=("KZ",),
)
EN = StoryDraft(
    "Tokayev meets farmers in Astana",
    url="https://primeminister.kz/en/news/tokayev-fermers-1234",
    published=TODAY - timedelta(hours=2, minutes=5),
    lang="en",
    source="primeminister.kz",
    countries=("KZ",),
)


def test_language_variants_swap_a_path_segment_a_subdomain_or_a_parameter() -> None:
    assert "https://24.kg/ru/news/1" in language_variants("https://24.kg/en/news/1")
    assert "https://24.kg/news/1" in language_variants("https://24.kg/en/news/1")
    assert "https://ru.sputnik.kg/a/1" in language_variants("https://en.sputnik.kg/a/1")
    assert "https://x.uz/a?lang=uz&id=3" in language_variants("https://x.uz/a?lang=ru&id=3")
    assert language_variants("https://x.uz/news/1") == []
    assert language_variants("https://x.uz/entertainment/1") == []


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("ВВП Казахстана вырос на 6,2%", "Kazakhstan's GDP grew by 6.2%", True),
        ("ВВП Казахстана вырос на 6,2%", "Kazakhstan's GDP grew by 5.1%", False),
        ("Токаев встретился с Мирзиёевым в Астане", "Tokayev met Mirziyoyev in Astana", True),
        ("Токаев встретился с фермерами", "Tokayev opened a school in Astana", False),
    ],
)
def test_same_news_needs_the_same_figures_or_names(a: str, b: str, same: bool) -> None:
    assert same_news(a, b, "KZ", "KZ") is same
    assert same_news(a, b, "KZ", "KZ,UZ") is False


async def test_editions_by_address_or_by_time_figures_and_names(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    ru = StoryDraft(
        "ВВП Казахстана вырос на 6,2% за 11 месяцев",
        url="https://kapital.kz/economy/1",
        published=TODAY - timedelta(hours=1),
        lang="ru",
        source="kapital.kz",
        countries=("KZ",),
    )
    en = StoryDraft(
        "Kazakhstan's GDP grows 6.2% in 11 months",
        url="https://kapital.kz/economy/2",
        published=TODAY - timedelta(hours=1, minutes=-10),
        lang="en",
        source="kapital.kz",
        countries=("KZ",),
    )
    other_outlet = StoryDraft(
        "Kazakhstan GDP up 6.2% in 11 months",
        url="https://other.kz/3",
        published=TODAY - timedelta(hours=1),
        lang="en",
        source="other.kz",
        countries=("KZ",),
    )
    async with sessions() as session, session.begin():
        added = await add_stories(session, [KK, ru])
        later = await add_stories(session, [EN, en, other_outlet])
    assert (added.editions, later.editions) == (0, 2)
    async with sessions() as session:
        assert await count_stories(session) == 5
        latest = await list_latest_stories(session)
        pool = await list_story_pool(session, TODAY - timedelta(days=30), 100)
    assert [s.title for s in latest] == [other_outlet.title, ru.title, KK.title]
    assert [e.title for e in latest[2].editions] == [EN.title]
    assert {s.id for s in pool} == {s.id for s in latest}


@pytest.mark.parametrize(
    ("lang", "title", "also"),
    [
        ("en", EN.title, "also in Kazakh"),
        ("kk", KK.title, "басқа тілдерде: ағылшын тілі"),
        ("ru", KK.title, "также на языках: английский"),
    ],
)
async def test_the_reader_sees_their_own_language_with_the_others_named(
    database_url: str, sessions: async_sessionmaker[AsyncSession], lang: str, title: str, also: str
) -> None:
    async with sessions() as session, session.begin():
        await add_stories(session, [KK])
        await add_stories(session, [EN])
    async with running_bot(database_url, sessions, demo=False, language_code=lang) as bench:
        news = only(await bench.chat.send("/news"))
        assert news.text.count("primeminister.kz") == 1
        assert title in news.text and also in news.text
