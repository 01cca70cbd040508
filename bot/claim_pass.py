"""What the digest pass and the notice pass share: claim, send with workers, mark in groups.

A pass claims work in short transactions (the producer), hands each claimed item to a few
workers that send it within the bot's send budget, and a marker commits the "sent" marks
in groups while the sending goes on, usually a message or two a transaction.

Stopping (SIGTERM, a cancelled job) is the delicate part, and the reason this is written
once: claims not yet started stay claimed until their lease runs out and a later pass takes
them; sends under way finish and are marked, so a restart repeats none of them; a claim
transaction under way is finished rather than cut off (``finish_transaction``).

A subclass says how to claim (``_produce``, putting items with ``_queue_item``), how to
deliver one item (``_deliver``, calling ``_note_sent`` for what Telegram accepted) and how
to name an item in the log (``_describe``). Its store (an ``services.outbox.Outbox``,
built on the pass's clock and token) owns the transactions, the "sent" marks among them.
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from abc import ABC, abstractmethod
from collections.abc import Awaitable, Callable, Iterable
from datetime import UTC, datetime, timedelta
from typing import ClassVar, Generic, TypedDict, TypeVar

from bot.send_budget import Budget
from services.outbox import Clock, Outbox

log = logging.getLogger(__name__)

ItemT = TypeVar("ItemT")
OutboxT = TypeVar("OutboxT", bound=Outbox)

MARK_TRIES = 3  # a "sent" mark that cannot be written after these is logged loudly
LEASE = timedelta(minutes=5)  # a claim not marked by then is taken over by the next pass
WORKERS = 16  # sends in flight: Telegram answers in ~0.1 s, 30 a second need a few at once


class PassTuning(TypedDict, total=False):
    """What tests and benches may change of a pass (see ``ClaimPass``)."""

    workers: int
    batch: int
    lease: timedelta
    sleep: Callable[[float], Awaitable[None]]


class ClaimPass(ABC, Generic[ItemT, OutboxT]):
    """The claim → send → mark skeleton of one pass (see the module docstring).

    Args:
        outbox: Builds the pass's store from its clock (``_moment``) and claim token.
        now: The moment of the pass; must be aware.
        budget: The bot's send budget.
        workers: Items being sent at once.
        batch: Items (or chats) claimed per transaction, ``BATCH`` when None; the queue
            holds two batches.
        lease: How long a claim holds before another pass may take it over.
        sleep: How to wait out a short 429 (tests pass a fake one).
    """

    BATCH: ClassVar[int] = 100  # a subclass's claims per transaction

    def __init__(
        self,
        outbox: Callable[[Clock, str], OutboxT],
        now: datetime,
        *,
        budget: Budget,
        workers: int = WORKERS,
        batch: int | None = None,
        lease: timedelta = LEASE,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        if now.tzinfo is None:
            raise ValueError("the moment of a pass must be aware")
        self.now = now.astimezone(UTC)
        self.budget = budget
        self.workers = max(1, workers)
        self.batch = max(1, self.BATCH if batch is None else batch)
        self.lease = lease
        self.sleep = sleep
        self.token = uuid.uuid4().hex
        self._queue: asyncio.Queue[ItemT | None] = asyncio.Queue(maxsize=2 * self.batch)
        self._sent: list[tuple[int, str]] = []
        self._sent_ready = asyncio.Event()
        self._closing = False
        self._started = time.monotonic()
        self.outbox = outbox(self._moment, self.token)

    # -- what a subclass says ------------------------------------------------------------

    @abstractmethod
    async def _produce(self) -> None:
        """Claim everything takeable, in batches, and queue it with ``_queue_item``."""

    @abstractmethod
    async def _deliver(self, item: ItemT) -> None:
        """Send one claimed item and record its outcome."""

    @abstractmethod
    def _marks_written(self, count: int) -> None:
        """``count`` sent marks were committed (for the metrics)."""

    @abstractmethod
    def _describe(self, item: ItemT) -> str:
        """The item in a log line, e.g. "digest 12 for chat 34"."""

    @abstractmethod
    def _record_error(self, item: ItemT, error: Exception) -> None:
        """Note an unexpected error in the pass's report."""

    # -- the skeleton --------------------------------------------------------------------

    def _moment(self) -> datetime:
        """``now`` moved on by the time the pass has run: a pass of 10,000 messages takes
        minutes, and a claim made late in it must get a lease from then, not from the start
        (else another process could take it over while it is still being sent)."""
        return self.now + timedelta(seconds=time.monotonic() - self._started)

    async def _send_all(self) -> None:
        """Run the producer, the workers and the marker until everything claimed is done."""
        marker = asyncio.create_task(self._mark_sent_loop())
        workers = [asyncio.create_task(self._work()) for _ in range(self.workers)]
        try:
            await self._produce()
        except asyncio.CancelledError:
            self._drop_queued()
            raise
        finally:
            if await self._wind_down(workers, marker):
                raise asyncio.CancelledError

    async def _queue_item(self, item: ItemT) -> None:
        await self._queue.put(item)

    def _note_sent(self, held: Iterable[tuple[int, str]]) -> None:
        """Telegram took these: the marker writes them with the next group."""
        self._sent.extend(held)
        self._sent_ready.set()

    async def _wind_down(
        self, workers: list[asyncio.Task[None]], marker: asyncio.Task[None]
    ) -> bool:
        """End the workers and the marker; True when the pass was cancelled meanwhile.

        A cancellation that comes while the last claims are being sent (the producer has
        finished) must not cut off the sends under way or their marks, else a later pass
        would send them again: it only drops the claims not yet started.
        """
        closing = asyncio.ensure_future(self._close(workers, marker))
        cancelled = False
        while True:
            try:
                await asyncio.shield(closing)
                return cancelled
            except asyncio.CancelledError:
                if closing.cancelled():
                    raise
                cancelled = True
                self._drop_queued()

    async def _close(self, workers: list[asyncio.Task[None]], marker: asyncio.Task[None]) -> None:
        for _ in workers:
            await self._queue.put(None)
        await asyncio.gather(*workers, return_exceptions=True)
        self._closing = True
        self._sent_ready.set()
        await marker

    def _drop_queued(self) -> None:
        """Forget the queued claims (they stay claimed for a later pass), keeping the
        workers' stop signals."""
        stops = 0
        while not self._queue.empty():
            stops += self._queue.get_nowait() is None
        for _ in range(stops):
            self._queue.put_nowait(None)

    async def _work(self) -> None:
        while (item := await self._queue.get()) is not None:
            try:
                await self._deliver(item)
            except Exception as exc:
                # The claim stays; its lease runs out and a later pass tries again.
                log.exception("%s failed", self._describe(item))
                self._record_error(item, exc)

    async def _mark_sent_loop(self) -> None:
        while True:
            await self._sent_ready.wait()
            self._sent_ready.clear()
            held, self._sent = self._sent, []
            if held:
                await self._mark_sent(held)
            if self._closing and not self._sent:
                return

    async def _mark_sent(self, held: list[tuple[int, str]]) -> bool:
        """Write one group of marks, trying again a little later; False when it gave up."""
        for attempt in range(1, MARK_TRIES + 1):
            try:
                await self.outbox.mark_sent(held)
                self._marks_written(len(held))
                return True
            except Exception:
                if attempt == MARK_TRIES:
                    # Delivered but still claimed: their lease runs out and they are sent
                    # again. Logged loudly: this is the duplicate case.
                    log.exception("could not mark %d sent messages; they may repeat", len(held))
                    return False
                await asyncio.sleep(0.2 * attempt)
        return False
