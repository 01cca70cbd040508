"""Questions in other languages and scripts through the real bot, store and emulator."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.types import StoryDraft
from storage.stories import add_stories
from tests.bot_bench import only, running_bot

WHEN = datetime(2026, 11, 20, tzinfo=UTC)
STORIES = (
    ("Dairy farms to double milk production in three years", "en"),
    ("В Ташкенте ожидается пыльная буря", "ru"),
    ("Павлодардағы зауыттар жүк тасымалын арттырды", "kk"),
    ("Туркменистан ускорит строительство газопровода ТАПИ", "ru"),
)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("сүт өндірісі екі есе артады", "milk production"),  # Kazakh about English
        ("sut ondirisi", "milk production"),  # Kazakh without its letters
        ("Toshkentda chang bo‘roni kutilmoqda", "пыльная буря"),  # Uzbek Latin about Russian
        ("pylnaya burya v tashkente", "пыльная буря"),  # Russian typed in Latin letters
        ("Павлодар жүк", "павлодардағы"),  # a Russian name against a Kazakh word form
        ("gazoprovod tapi", "газопровода тапи"),
    ],
)
async def test_questions_across_languages_and_scripts_find_the_story(
    database_url: str,
    sessions: async_sessionmaker[AsyncSession],
    question: str,
    expected: str,
) -> None:
    drafts = [StoryDraft(title=t, source="test", lang=lang, published=WHEN) for t, lang in STORIES]
    async with sessions() as session, session.begin():
        await add_stories(session, drafts)
    async with running_bot(database_url, sessions) as bench:
        reply = only(await bench.chat.send(question))
    assert reply.text.startswith("Stories about"), reply.text
    first = reply.text.split("\n\n")[1].lower()
    assert expected in first, reply.text


@pytest.mark.parametrize(
    "question",
    ["оʻʻʻʻ'''```", "Ташkentда Qazaqстан", "\u202eשלום\u202c 🥛", "va ham bilan uchun"],
)
async def test_odd_questions_in_other_scripts_get_a_clear_reply(
    database_url: str, sessions: async_sessionmaker[AsyncSession], question: str
) -> None:
    async with running_bot(database_url, sessions) as bench:
        reply = only(await bench.chat.send(question))
    assert "/news" in reply.text or reply.text.startswith("Stories about")
