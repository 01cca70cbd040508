"""Search over the stored stories, following the store as it grows.

The ranking lives in ``core.search``; this module feeds it from the store and turns the
ids it returns back into stories. The engine keeps only compact postings; the texts stay
in the database and are read once, when a story is indexed.

The index follows the store by itself: before a search, at most every ``check_every``
seconds, it reads the rows with an id above the last one it has seen, so stories added by
this process, by an ingest running beside it or by another machine on the same PostgreSQL
database are found without a restart. PostgreSQL hands out ids before a transaction
commits, so a lower id can become visible after a higher one: ids skipped over are
remembered for a while and asked for again.

The stories a search returns are kept in a bounded LRU by id, so a question asked again,
or one whose answers overlap an earlier one, needs no database read. A stored story never
changes except its ``outlets`` count, which grows when another outlet's copy is merged
into it; a cached story is therefore read again once it is ``story_ttl`` seconds old, and
a hit may show an ``outlets`` count up to that old. Search results do not show the count
and the digest reads the store itself, so a minute's lag costs nothing a reader sees.
"""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import Any, Final

from sqlalchemy import bindparam, or_, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.dates import rank_moment
from core.search import SearchDoc, SearchEngine
from core.types import SearchHit, Story
from storage.models import StoryRow
from storage.stories import to_story

_BATCH: Final = 2_000
# Indexing more than this many stories at once runs in a worker thread, so the bot
# keeps answering while a large store is first read.
_THREAD_FROM: Final = 200
_MAX_HOLES: Final = 1_000
_HOLE_SECONDS: Final = 120.0
# Stories kept for answers: enough for the questions of a busy hour; a story is a few
# kilobytes at most, so this stays within a few megabytes.
_CACHED_STORIES: Final = 2_000

_STORY_TABLE: Final = StoryRow.__table__
# Built once: making the statement and its cache key for every read cost more than
# turning its rows into stories (plain rows, not ORM objects: half the cost of a read).
_READ_STORIES: Final = select(*_STORY_TABLE.columns).where(
    _STORY_TABLE.c.id.in_(bindparam("ids", expanding=True))
)
_COLUMNS: Final = (
    StoryRow.id,
    StoryRow.title,
    StoryRow.summary,
    StoryRow.text,
    StoryRow.published,
    StoryRow.fetched,
    StoryRow.countries,
)


class StoryIndex:
    """Answers free-text questions with stored stories, best first."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        *,
        check_every: float = 2.0,
        story_ttl: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
        observe: Callable[[float], None] | None = None,
    ) -> None:
        """Create an empty index over the store; it fills itself on the first search.

        Args:
            sessions: Session factory of the store.
            check_every: Seconds between checks for new stories (0: before every search).
            story_ttl: Seconds a story read for an answer is reused before it is read
                again (its ``outlets`` count may change; 0: read every time).
            clock: Monotonic seconds; tests pass their own.
            observe: Told the seconds each search took (the bot passes a metric's
                ``observe``; may also be set later through the attribute).
        """
        self.observe = observe
        self._sessions = sessions
        self._engine = SearchEngine()
        self._check_every = check_every
        self._clock = clock
        self._checked: float | None = None
        self._last_id = 0
        self._holes: dict[int, float] = {}  # skipped id -> when it was first skipped
        self._lock = asyncio.Lock()
        self._story_ttl = story_ttl
        self._stories: OrderedDict[int, tuple[Story, float]] = OrderedDict()
        # Stories being read from the store right now, for searches that want them too;
        # those waiting for the next shared read, and the shared read under way.
        self._reading: dict[int, asyncio.Future[Story | None]] = {}
        self._queued: dict[int, asyncio.Future[Story | None]] = {}
        self._shared_read: asyncio.Task[dict[int, Story]] | None = None

    @property
    def size(self) -> int:
        """How many stories are indexed."""
        return len(self._engine)

    async def refresh(self) -> int:
        """Index the stories stored since the last check.

        Returns:
            How many stories were added to the index.
        """
        async with self._lock:
            return await self._refresh_locked()

    async def _refresh_locked(self) -> int:
        added = 0
        while True:
            rows = await self._read_new_rows()
            if not rows:
                break
            docs = [_to_doc(row) for row in rows]
            if len(docs) > _THREAD_FROM:
                added += await asyncio.to_thread(self._engine.add, docs)
            else:
                added += self._engine.add(docs)
            self._note_ids([doc.id for doc in docs])
            if len(rows) < _BATCH:
                break
        self._checked = self._clock()
        return added

    async def _read_new_rows(self) -> Sequence[Any]:
        condition = StoryRow.id > self._last_id
        now = self._clock()
        self._holes = {i: t for i, t in self._holes.items() if now - t < _HOLE_SECONDS}
        if self._holes:
            condition = or_(condition, StoryRow.id.in_(sorted(self._holes)))
        statement = select(*_COLUMNS).where(condition).order_by(StoryRow.id).limit(_BATCH)
        async with self._sessions() as session:
            return (await session.execute(statement)).all()

    def _note_ids(self, ids: list[int]) -> None:
        now = self._clock()
        for story_id in ids:
            self._holes.pop(story_id, None)
        top = max(ids)
        if top > self._last_id:
            seen = set(ids)
            start = max(self._last_id + 1, top - _MAX_HOLES)
            for missing in range(start, top):
                if missing not in seen:
                    self._holes.setdefault(missing, now)
            self._last_id = top
        if len(self._holes) > _MAX_HOLES:
            newest = sorted(self._holes)[-_MAX_HOLES:]
            self._holes = {i: self._holes[i] for i in newest}

    async def search(
        self, query: str, *, limit: int = 10, country: str | None = None
    ) -> list[SearchHit]:
        """Return the stored stories that best answer ``query``, best first.

        Args:
            query: Free text in any language and spelling; empty or garbage gives ``[]``.
            limit: How many at most.
            country: Only stories tagged with this ISO code, when given.

        Returns:
            The stories with their scores (higher is better), best first.
        """
        if not isinstance(query, str) or not query.strip() or limit <= 0:
            return []
        started = time.perf_counter()
        try:
            return await self._search(query, limit, country)
        finally:
            if self.observe is not None:
                self.observe(time.perf_counter() - started)

    async def _search(self, query: str, limit: int, country: str | None) -> list[SearchHit]:
        if self._due():
            async with self._lock:
                # Searches that waited for the lock find the check already done.
                if self._due():
                    await self._refresh_locked()
        async with self._lock:
            found = self._engine.search(query, limit=limit, country=country)
        if not found:
            return []
        stories = await self._stories_of([hit.id for hit in found])
        return [
            SearchHit(story=stories[hit.id], score=hit.score) for hit in found if hit.id in stories
        ]

    def _due(self) -> bool:
        return self._checked is None or self._clock() - self._checked >= self._check_every

    async def _stories_of(self, ids: list[int]) -> dict[int, Story]:
        """The stories with these ids: from the cache while fresh, else from the store.

        A story already being read for another search is waited for, not read again, and
        the stories every search misses in one turn of the event loop are read together:
        many people asking at once would otherwise each send a read of their own, and
        the reads queue behind one another for the store's connections.
        """
        now = self._clock()
        found: dict[int, Story] = {}
        waits: list[tuple[int, asyncio.Future[Story | None]]] = []
        for story_id in ids:
            cached = self._stories.get(story_id)
            if cached is not None and now - cached[1] < self._story_ttl:
                self._stories.move_to_end(story_id)
                found[story_id] = cached[0]
            else:
                pending = self._reading.get(story_id)
                waits.append((story_id, pending or self._queue_read(story_id)))
        failed: list[int] = []
        for story_id, pending in waits:
            try:
                story = await asyncio.shield(pending)
            except asyncio.CancelledError:
                if not pending.cancelled():
                    raise  # this search itself was cancelled
                failed.append(story_id)
            except Exception:  # the shared read failed: try ours
                failed.append(story_id)
            else:
                if story is not None:
                    found[story_id] = story
        if failed:
            found.update(await self._read_stories(self._promise(failed)))
        return found

    def _promise(self, ids: list[int]) -> dict[int, asyncio.Future[Story | None]]:
        """A future per id, noted as being read: searches that want one meanwhile wait."""
        loop = asyncio.get_running_loop()
        pending = {story_id: loop.create_future() for story_id in ids}
        self._reading.update(pending)
        return pending

    def _queue_read(self, story_id: int) -> asyncio.Future[Story | None]:
        """Put ``story_id`` in the next shared read: it starts on the event loop's next
        turn, or when the read under way ends (one at a time, so a burst of questions
        holds one connection of the store, not one each)."""
        if not self._queued and self._shared_read is None:
            asyncio.get_running_loop().call_soon(self._start_queued_read)
        future = self._promise([story_id])[story_id]
        self._queued[story_id] = future
        return future

    def _start_queued_read(self) -> None:
        pending, self._queued = self._queued, {}
        if not pending:
            return
        task = asyncio.create_task(self._read_stories(pending))
        self._shared_read = task  # held until done: the loop keeps only weak references
        task.add_done_callback(lambda done: self._end_shared_read(done, pending))

    def _end_shared_read(
        self, task: asyncio.Task[dict[int, Story]], pending: dict[int, asyncio.Future[Story | None]]
    ) -> None:
        self._shared_read = None
        if not task.cancelled():
            task.exception()  # its waiters got any error through their futures
        # A read that never began (cancelled first): its waiters read for themselves.
        self._give_up(pending)
        if task.cancelled():
            # Stopping: what waits for the next read is read by its own search, if any.
            queued, self._queued = self._queued, {}
            self._give_up(queued)
        else:
            self._start_queued_read()

    def _give_up(self, pending: dict[int, asyncio.Future[Story | None]]) -> None:
        """Cancel the futures of ``pending`` not yet settled and stop noting them as read."""
        for story_id, future in pending.items():
            future.cancel()  # nothing for one already settled
            if self._reading.get(story_id) is future:
                del self._reading[story_id]

    async def _read_stories(
        self, pending: dict[int, asyncio.Future[Story | None]]
    ) -> dict[int, Story]:
        """Read the stories of ``pending`` into the cache and settle each one's future."""
        found: dict[int, Story] = {}
        now = self._clock()
        try:
            async with self._sessions() as session:
                rows = (await session.execute(_READ_STORIES, {"ids": list(pending)})).all()
            for row in rows:
                story = to_story(row)
                found[story.id] = story
                self._stories[story.id] = (story, now)
                self._stories.move_to_end(story.id)  # a re-read entry is recent too
            while len(self._stories) > _CACHED_STORIES:
                self._stories.popitem(last=False)
        except Exception as exc:
            for future in pending.values():
                future.set_exception(exc)
                future.exception()  # marked as seen: a future nobody waits for stays quiet
            raise
        except BaseException:  # cancelled: whoever waits reads for itself
            for future in pending.values():
                future.cancel()
            raise
        else:
            for story_id, future in pending.items():
                future.set_result(found.get(story_id))
        finally:
            for story_id, future in pending.items():
                if self._reading.get(story_id) is future:
                    del self._reading[story_id]
        return found


def _to_doc(row: Any) -> SearchDoc:
    return SearchDoc(
        id=row.id,
        title=row.title,
        summary=row.summary or "",
        text=row.text or "",
        published=rank_moment(row.published, row.fetched),
        countries=tuple(code for code in (row.countries or "").split(",") if code),
    )
