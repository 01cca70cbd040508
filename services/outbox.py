"""What the stores of the digest pass and the notice pass share (``bot.claim_pass``).

A pass claims rows under a token, sends them, and writes what happened to each. Its store
(``services.digest_pass``, ``services.notice_pass``) owns those transactions: each method
is one transaction, stamped with the pass's clock (the pass's moment moved on by the time
it has run, so a claim made late in a long pass gets a lease from then).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime
from typing import TypeVar

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.database import finish_transaction

T = TypeVar("T")

Clock = Callable[[], datetime]


class Outbox(ABC):
    """The store side of one claim pass.

    Args:
        sessions: The store.
        clock: The pass's current moment; aware.
        token: The pass's claim token: outcomes are written only where it still holds.
    """

    def __init__(
        self, sessions: async_sessionmaker[AsyncSession], clock: Clock, token: str
    ) -> None:
        self.sessions = sessions
        self.clock = clock
        self.token = token

    async def _claiming(self, claim: Callable[[AsyncSession], Awaitable[T]]) -> T:
        """Run ``claim`` in a transaction that a cancelled pass finishes rather than cuts
        off (``finish_transaction``): a half-done claim could keep SQLite's write lock."""

        async def transaction() -> T:
            async with self.sessions() as session, session.begin():
                return await claim(session)

        return await finish_transaction(transaction())

    @abstractmethod
    async def mark_sent(self, held: Sequence[tuple[int, str]]) -> int:
        """Mark these (row id, claim token) pairs sent, in one transaction; how many."""
