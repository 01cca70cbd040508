"""Round-robin update processing: one busy crowd never starves a quiet chat.

PTB hands every update to its update processor; the default one (``SimpleUpdateProcessor``)
lets them through a semaphore in arrival order, so a person asking once waits behind every
update fifty busy chats sent before. ``FairUpdateProcessor`` keeps a queue per chat and
gives free slots to the chats in turn: each chat with work waiting gets one update handled
per round, in the order that chat sent them.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Awaitable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

# PTB's own semaphore sits in front of ``do_process_update`` and would queue updates in
# arrival order before we see them; it is opened wide so that the waiting happens here.
# Every waiting update is a task PTB has already made, so this adds no memory of its own.
_ADMIT_ALL = 1_000_000

_NO_CHAT = 0  # updates without a chat or a sender (polls, for instance) share one turn


def fairness_key(update: object) -> int:
    """Whose turn an update takes: its chat, else its sender (inline queries), else nobody's."""
    if isinstance(update, Update):
        if update.effective_chat is not None:
            return update.effective_chat.id
        if update.effective_user is not None:
            return update.effective_user.id
    return _NO_CHAT


class FairUpdateProcessor(BaseUpdateProcessor):
    """At most ``workers`` updates at once, the free slots shared round-robin across chats."""

    def __init__(self, workers: int) -> None:
        super().__init__(_ADMIT_ALL)
        if workers < 1:
            raise ValueError("workers must be at least 1")
        self.workers = workers
        self._running = 0
        # Chats with updates waiting, in turn order (a dict keeps insertion order, and
        # moving a chat to the end is a delete and an insert).
        self._turns: dict[int, deque[asyncio.Future[None]]] = {}

    @property
    def waiting_chats(self) -> int:
        """How many chats have updates waiting for a slot."""
        return len(self._turns)

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        """Wait for this chat's turn, then handle the update."""
        key = fairness_key(update)
        turn: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._turns.setdefault(key, deque()).append(turn)
        self._hand_out()
        try:
            await turn
        except asyncio.CancelledError:
            self._withdraw(key, turn)
            # The coroutine was made for us; closing it spares a "never awaited" warning.
            if asyncio.iscoroutine(coroutine):
                coroutine.close()
            raise
        try:
            await coroutine
        finally:
            self._running -= 1
            self._hand_out()

    def _hand_out(self) -> None:
        """Give free slots to the chats in turn, one update each."""
        while self._running < self.workers and self._turns:
            key = next(iter(self._turns))
            queue = self._turns.pop(key)
            turn = queue.popleft()
            if queue:
                self._turns[key] = queue  # back of the line, with the rest of its updates
            if turn.done():  # cancelled while waiting
                continue
            self._running += 1
            turn.set_result(None)

    def _withdraw(self, key: int, turn: asyncio.Future[None]) -> None:
        queue = self._turns.get(key)
        if queue is not None and turn in queue:
            queue.remove(turn)
            if not queue:
                del self._turns[key]
        elif turn.done() and not turn.cancelled():
            # Cancelled just after being given a slot: give the slot back.
            self._running -= 1
            self._hand_out()

    async def initialize(self) -> None:
        """Nothing to open."""

    async def shutdown(self) -> None:
        """Nothing to close: PTB waits for the updates in progress itself."""
