"""``StoryIndex`` follows the store: new stories are found without a restart, by any process."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.settings import to_async_url
from core.types import StoryDraft
from services.story_index import StoryIndex
from storage.database import make_engine, make_sessionmaker
from storage.stories import add_stories

WHEN = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


def draft(title: str, text: str = "", countries: tuple[str, ...] = ()) -> StoryDraft:
    return StoryDraft(
        title=title, text=text, published=WHEN, lang="en", source="test", countries=countries
    )


async def store(sessions: async_sessionmaker[AsyncSession], *drafts: StoryDraft) -> None:
    async with sessions() as session, session.begin():
        await add_stories(session, drafts)


class Clock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1_000.0

    def __call__(self) -> float:
        return self.now


BASE = (
    draft("Kazakhstan to double milk production in three years", countries=("KZ",)),
    draft("Kyrgyz-Turkish oil refinery nears completion", countries=("KG",)),
    draft("В Бухарской области стартует сборка автомобилей Leapmotor", countries=("UZ",)),
)


async def test_search_returns_full_stories_best_first(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    await store(sessions, *BASE)
    index = StoryIndex(sessions)
    hits = await index.search("refinary kyrgystan")
    assert hits and hits[0].story.title.startswith("Kyrgyz-Turkish")
    assert hits[0].story.countries == ("KG",) and hits[0].story.published == WHEN
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    assert (await index.search("сборка Leapmotor в Бухаре"))[0].story.countries == ("UZ",)
    assert await index.search("milk", country="UZ") == []
    assert len(await index.search("Kazakhstan milk refinery", limit=1)) == 1


@pytest.mark.parametrize("query", ["", "   ", "<b>", "'; DROP TABLE stories; --", "x" * 50_000])
async def test_bad_queries_give_nothing_and_leave_the_store_alone(
    sessions: async_sessionmaker[AsyncSession], query: str
) -> None:
    await store(sessions, *BASE)
    index = StoryIndex(sessions)
    assert await index.search(query) == []
    assert len(await index.search("milk")) == 1


async def test_stories_added_while_running_are_found_after_the_next_check(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    await store(sessions, *BASE)
    clock = Clock()
    index = StoryIndex(sessions, check_every=5.0, clock=clock)
    assert await index.search("Ashgabat marathon") == []
    await store(sessions, draft("Ashgabat marathon draws runners from 30 countries"))
    # Within the throttle window the store is not asked again...
    assert await index.search("Ashgabat marathon") == []
    clock.now += 5.0
    # ... after it, the new story is found without a restart.
    hits = await index.search("Ashgabat marathon")
    assert [h.story.title for h in hits] == ["Ashgabat marathon draws runners from 30 countries"]
    assert index.size == 4


async def test_refresh_reads_a_large_store_in_batches(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    many = [draft(f"Regional bulletin number {n} on harvest {n % 7}") for n in range(2_500)]
    await store(sessions, *many, draft("Kumtor gold output falls as the pit goes deeper"))
    index = StoryIndex(sessions, check_every=0)
    assert await index.refresh() == 2_501
    assert await index.refresh() == 0
    assert (await index.search("Kumtor gold"))[0].story.title.startswith("Kumtor")


async def test_a_second_engine_on_the_same_database_sees_the_other_ones_stories(
    database_url: str, sessions: async_sessionmaker[AsyncSession]
) -> None:
    await store(sessions, *BASE)
    index = StoryIndex(sessions, check_every=0)
    assert await index.search("Samarkand hotels") == []
    # Another process: its own engine and connection pool on the same database.
    other_engine = make_engine(to_async_url(database_url))
    try:
        other = make_sessionmaker(other_engine)
        await store(other, draft("Samarkand hotels full as visa-free list grows"))
        other_index = StoryIndex(other, check_every=0)
        assert (await other_index.search("Samarkand hotels"))[0].story.title.startswith("Samarkand")
    finally:
        await other_engine.dispose()
    hits = await index.search("Samarqand hotel")
    assert hits and hits[0].story.title.startswith("Samarkand")


async def test_a_lower_id_committed_late_is_still_found(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    # PostgreSQL hands out ids when a transaction inserts, not when it commits: a slow
    # transaction's lower id shows up after a higher one has been indexed.
    from storage.models import StoryRow
    from storage.stories import fingerprint

    def row(story_id: int, title: str) -> StoryRow:
        return StoryRow(
            id=story_id,
            title=title,
            source="test",
            content_hash=fingerprint(title, ""),
            published=WHEN,
        )

    async with sessions() as session, session.begin():
        session.add(row(10, "Akhal-Teke horses star at the Ashgabat contest"))
    index = StoryIndex(sessions, check_every=0)
    assert len(await index.search("Akhal-Teke")) == 1
    async with sessions() as session, session.begin():
        session.add(row(7, "Landslide blocks the Pamir highway near Khorog"))
    hits = await index.search("Pamir highway landslide")
    assert [h.story.id for h in hits] == [7]


async def test_answers_reuse_stories_until_their_outlet_count_may_have_changed(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    from sqlalchemy import update

    from storage.models import StoryRow

    await store(sessions, *BASE)
    clock = Clock()
    index = StoryIndex(sessions, check_every=1_000.0, story_ttl=60.0, clock=clock)
    first = (await index.search("refinery"))[0].story
    assert first.outlets == 1
    async with sessions() as session, session.begin():
        await session.execute(update(StoryRow).where(StoryRow.id == first.id).values(outlets=3))
    # Within story_ttl the cached story answers (the count may lag by that much)...
    assert (await index.search("refinery"))[0].story.outlets == 1
    clock.now += 60.0
    # ... after it the story is read again.
    assert (await index.search("refinery"))[0].story.outlets == 3
    fresh = StoryIndex(sessions, story_ttl=0)
    assert (await fresh.search("refinery"))[0].story == (await index.search("refinery"))[0].story


def count_story_reads(sessions: async_sessionmaker[AsyncSession]) -> list[str]:
    """Record every SELECT of whole story rows sent through ``sessions``' engine."""
    from sqlalchemy import event

    reads: list[str] = []
    engine = sessions.kw["bind"].sync_engine

    def seen(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        if statement.lstrip().startswith("SELECT stories.id, stories.url"):
            reads.append(statement)

    event.listen(engine, "before_cursor_execute", seen)
    return reads


async def indexed_base(sessions: async_sessionmaker[AsyncSession]) -> StoryIndex:
    """An index over the BASE stories, checked once and not again during the test."""
    await store(sessions, *BASE)
    index = StoryIndex(sessions, check_every=1_000.0)
    await index.refresh()
    return index


async def test_people_asking_at_once_share_one_read_of_the_stories(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    import asyncio

    index = await indexed_base(sessions)
    reads = count_story_reads(sessions)
    answers = await asyncio.gather(*(index.search("refinery kyrgyzstan") for _ in range(8)))
    assert len(reads) == 1
    assert {a[0].story.title for a in answers} == {BASE[1].title}
    # Another question about other stories reads those (and only those) once more.
    assert (await index.search("milk"))[0].story.title == BASE[0].title
    assert len(reads) == 2


async def test_a_failed_read_fails_nobody_for_good(
    sessions: async_sessionmaker[AsyncSession], monkeypatch: pytest.MonkeyPatch
) -> None:
    import asyncio

    index = await indexed_base(sessions)
    real = StoryIndex._read_stories
    calls = 0

    async def first_fails(self: StoryIndex, pending: dict[int, object]) -> dict[int, object]:
        nonlocal calls
        calls += 1
        if calls == 1:
            await asyncio.sleep(0.01)  # the others arrive and wait for this read
            raise OSError("the store went away")
        return await real(self, pending)  # type: ignore[arg-type, return-value]

    monkeypatch.setattr(StoryIndex, "_read_stories", first_fails)
    results = await asyncio.gather(
        *(index.search("refinery") for _ in range(3)), return_exceptions=True
    )
    # Everyone waited for the one shared read; when it failed, each read for itself.
    assert calls == 4
    assert all(
        not isinstance(r, BaseException) and r[0].story.title == BASE[1].title for r in results
    )
    assert not index._reading  # nothing is left marked as being read


async def test_a_store_that_stays_down_fails_the_search(
    sessions: async_sessionmaker[AsyncSession], monkeypatch: pytest.MonkeyPatch
) -> None:
    index = await indexed_base(sessions)

    async def always_fails(self: StoryIndex, pending: dict[int, object]) -> dict[int, object]:
        for future in pending.values():
            future.cancel()  # type: ignore[attr-defined]
        raise OSError("the store went away")

    monkeypatch.setattr(StoryIndex, "_read_stories", always_fails)
    with pytest.raises(OSError, match="went away"):
        await index.search("refinery")


async def test_different_questions_at_once_share_one_read(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    import asyncio

    index = await indexed_base(sessions)
    reads = count_story_reads(sessions)
    milk, refinery = await asyncio.gather(index.search("milk"), index.search("refinery"))
    assert len(reads) == 1
    assert milk[0].story.title == BASE[0].title
    assert refinery[0].story.title == BASE[1].title
