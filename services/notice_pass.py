"""The store side of notice rounds (``bot.notices``, ``bot.notice_job``): a kind's
detector, a pass's claims, composing and outcomes, and pruning old notices.

Each method is one transaction over ``storage.notices`` for one kind; the kind's own
hooks (a composer, what to do for a chat that is gone or moved) run inside them. The pass
decides from Telegram's answer which outcome to write, and counts and logs it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime, timedelta
from typing import TypeVar

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.outbox import Clock, Outbox
from storage import notices
from storage.chats import copy_chat, set_chat_unreachable
from storage.notices import ChatNotices

T = TypeVar("T")

UnreachableHook = Callable[[AsyncSession, int, datetime], Awaitable[None]]
MigratedHook = Callable[[AsyncSession, int, int], Awaitable[None]]
Detector = Callable[[AsyncSession, datetime], Awaitable[int]]


async def detect_notices(
    sessions: async_sessionmaker[AsyncSession], detect: Detector, now: datetime
) -> int:
    """Run a kind's ``detect`` at ``now`` in a transaction of its own; notices it added."""
    async with sessions() as session, session.begin():
        return await detect(session, now)


async def prune_old_notices(sessions: async_sessionmaker[AsyncSession], before: datetime) -> int:
    """Delete the sent, failed and dropped notices older than ``before``; how many."""
    async with sessions() as session, session.begin():
        return await notices.prune_notices(session, before)


class NoticeOutbox(Outbox):
    """Claims and outcomes of one pass of the notices of ``kind``.

    Args:
        sessions: The store.
        clock: The pass's current moment.
        token: The pass's claim token.
        kind: The notices' kind.
    """

    def __init__(
        self, sessions: async_sessionmaker[AsyncSession], clock: Clock, token: str, kind: str
    ) -> None:
        super().__init__(sessions, clock, token)
        self.kind = kind

    async def has_takeable(self) -> bool:
        """Whether any notice of the kind may be claimed now."""
        async with self.sessions() as session:
            return await notices.has_takeable(session, self.kind, self.clock())

    async def claim_chats(self, lease: timedelta, batch: int) -> list[ChatNotices]:
        """Claim the takeable notices of up to ``batch`` chats, grouped by chat."""
        return await self._claiming(
            lambda session: notices.claim_chats(
                session, self.kind, self.token, self.clock(), lease, batch
            )
        )

    async def compose(
        self,
        composer: Callable[[AsyncSession, ChatNotices, datetime], Awaitable[T]],
        chat: ChatNotices,
        now: datetime,
    ) -> T:
        """The kind's ``composer`` on ``chat`` at ``now``, reading in a session of its own."""
        async with self.sessions() as session:
            return await composer(session, chat, now)

    async def mark_sent(self, held: Sequence[tuple[int, str]]) -> int:
        async with self.sessions() as session, session.begin():
            return await notices.mark_sent(session, held, self.clock())

    async def fail(self, ids: Sequence[int], reason: str, *, status: str) -> int:
        """End these claimed notices as ``status`` (failed or dropped); how many."""
        async with self.sessions() as session, session.begin():
            return await notices.mark_failed(session, ids, self.token, reason, status=status)

    async def put_back(
        self, ids: Sequence[int], not_before: datetime, reason: str, *, counts_as_attempt: bool
    ) -> int:
        """A later pass sends these, from ``not_before`` on; how many."""
        async with self.sessions() as session, session.begin():
            return await notices.put_back(
                session,
                ids,
                self.token,
                not_before,
                reason,
                counts_as_attempt=counts_as_attempt,
            )

    async def drop_unreachable(
        self,
        chat_id: int,
        held: Sequence[int],
        reason: str,
        at: datetime,
        on_unreachable: UnreachableHook | None,
    ) -> int:
        """The chat cannot be written to: the kind stops for it (``on_unreachable``), the
        chat is marked unreachable since ``at``, and its notices of the kind are dropped;
        how many."""
        async with self.sessions() as session, session.begin():
            if on_unreachable is not None:
                await on_unreachable(session, chat_id, at)
            await set_chat_unreachable(session, chat_id, at)
            # What this pass holds by id: notices it sent a moment ago are still claimed
            # until the marker writes them, and must end up "sent", not dropped.
            done = await notices.mark_failed(
                session, held, self.token, reason, status=notices.DROPPED
            )
            done += await notices.drop_chat_notices(session, chat_id, reason, kind=self.kind)
        return done

    async def move_chat(self, old_id: int, new_id: int, on_migrated: MigratedHook | None) -> None:
        """A group became supergroup ``new_id``: its chat row is copied there, the kind's
        rows move (``on_migrated``) and so do its notices."""
        async with self.sessions() as session, session.begin():
            # The old chat row stays: other features' rows may still refer to it, and each
            # moves its own when it meets the upgrade (the digest pass, the other kinds).
            await copy_chat(session, old_id, new_id)
            if on_migrated is not None:
                await on_migrated(session, old_id, new_id)
            await notices.move_chat_notices(session, old_id, new_id)
