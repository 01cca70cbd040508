"""Daily digests: one delivery pass over the due subscriptions, and the per-minute job.

A pass claims deliveries (``storage.deliveries``), composes each digest
(``core.digest`` + ``handlers.render_digest``) and sends it within the bot's send budget
(``bot.limits``: shared by all the bot's processes on PostgreSQL or Redis). Claims, sends
and "sent" marks overlap: a producer claims batches while workers send the previous ones
and a marker commits what was sent.

What each Telegram answer does to a delivery:

- accepted: marked sent (group commit: the marker writes whatever was sent since its
  last write, one transaction, usually a message or two);
- 429: every sender of the bot pauses (in every process when the budget is shared);
  waits up to 60 s are waited out and the message
  sent again, a longer wait puts the delivery back for a later pass (not an attempt);
- 403 / 400 "chat not found": the subscription stops and the chat is marked unreachable;
- "group chat was upgraded": the chat and its subscription move to the new id, and the
  digest goes there;
- any other 400: the digest itself is wrong; it fails (logged) rather than loop;
- network trouble: put back for the next pass, at most ``MAX_ATTEMPTS`` claims in all.
``bot.bulk_send`` reads each answer (as for notices, ``bot.notices``); this module decides.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.bulk_send import Answer, send_within_budget
from bot.bulk_send import telegram_sender as telegram_sender  # the digests' sender
from bot.metrics import DIGESTS
from bot.send_budget import PROCESS_BUDGET, Budget
from core.digest import StoryPool, digest_since, fit_digest, group_by_country
from core.schedule_words import zone_from_name
from core.types import RateQuote, Story
from handlers.render_digest import DIGEST_CURRENCIES, render_digest
from locales import use_language
from storage import deliveries
from storage.chats import set_chat_unreachable
from storage.deliveries import Claim, DueSubscription
from storage.rates import list_current_rates

log = logging.getLogger(__name__)

Sender = Callable[[int, str], Awaitable[None]]

LEASE = timedelta(minutes=5)  # a claim not marked by then is taken over by the next pass
MAX_ATTEMPTS = 5
RETRY_LATER = timedelta(minutes=1)
CLAIM_BATCH = 100
WORKERS = 16  # sends in flight: Telegram answers in ~0.1 s, 30 a second need a few at once
POOL_DAYS = 7  # stories older than this are in no digest
POOL_LIMIT = 5000


@dataclass
class PassReport:
    """What one pass did."""

    claimed: int = 0
    sent: int = 0
    put_back: int = 0
    failed: int = 0
    unreachable: int = 0
    moved: int = 0
    errors: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """One line for logs and the CLI."""
        return (
            f"digests: {self.claimed} claimed, {self.sent} sent, {self.put_back} put back, "
            f"{self.failed} failed ({self.unreachable} unreachable), {self.moved} moved"
        )


class DigestComposer:
    """Composes the digests of one pass from the same stories and rates."""

    def __init__(
        self,
        stories: Sequence[Story],
        rates: dict[str, RateQuote],
        now: datetime,
        default_language: str,
    ) -> None:
        self.pool = StoryPool(stories, now)
        self.rates = {code: rates[code] for code in DIGEST_CURRENCIES if code in rates}
        self.now = now
        self.default_language = default_language

    def compose(self, claim: Claim) -> str:
        """The digest of one claimed delivery, in the chat's language, within 4096."""
        use_language(claim.language or self.default_language)
        since = digest_since(claim.previous, self.now)
        chosen = self.pool.choose(claim.countries, since)

        def render(kept: Sequence[Story]) -> str:
            return render_digest(
                claim.local_date, self.rates, group_by_country(kept, claim.countries)
            )

        text, _kept = fit_digest(chosen, render)
        return text


class DigestPass:
    """One pass: claim what is due (and what earlier passes left), compose, send, mark.

    Args:
        sessions: The store.
        send: Sends one HTML message to a chat; raises PTB's errors as Telegram answers.
        now: The moment of the pass (``--now`` in the CLI).
        default_zone: The zone of chats that chose none (``TIMEZONE``).
        default_language: The language of chats that chose none.
        budget: The process's send budget.
        workers: Sends in flight at once.
        batch: Deliveries claimed per transaction.
        sleep: How to wait out a 429 (tests pass a fake one).
    """

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        send: Sender,
        now: datetime,
        *,
        default_zone: str,
        default_language: str,
        budget: Budget = PROCESS_BUDGET,
        workers: int = WORKERS,
        batch: int = CLAIM_BATCH,
        lease: timedelta = LEASE,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        if now.tzinfo is None:
            raise ValueError("the moment of a pass must be aware")
        self.sessions = sessions
        self.send = send
        self.now = now.astimezone(UTC)
        self.default_zone = default_zone
        self.default_language = default_language
        self.budget = budget
        self.workers = max(1, workers)
        self.batch = max(1, batch)
        self.lease = lease
        self.sleep = sleep
        self.token = uuid.uuid4().hex
        self.report = PassReport()
        self._queue: asyncio.Queue[Claim | None] = asyncio.Queue(maxsize=2 * self.batch)
        self._sent: list[tuple[int, str]] = []
        self._sent_ready = asyncio.Event()
        self._closing = False
        self._started = time.monotonic()

    def _moment(self) -> datetime:
        """``now`` moved on by the time the pass has run: a pass of 10,000 digests takes
        minutes, and a claim made late in it must get a lease from then, not from the start
        (else another process could take it over while it is still being sent)."""
        return self.now + timedelta(seconds=time.monotonic() - self._started)

    async def run(self) -> PassReport:
        """Deliver everything due at ``now``; return what happened."""
        async with self.sessions() as session:
            due = await deliveries.list_due_subscriptions(session, self.now, self.default_zone)
            if not due and not await deliveries.has_takeable(session, self._moment()):
                return self.report  # most minutes: nothing to read stories and rates for
            today = self.now.astimezone(zone_from_name(self.default_zone) or UTC).date()
            rates = await list_current_rates(session, today)
            stories = await deliveries.list_story_pool(
                session, self.now - timedelta(days=POOL_DAYS), POOL_LIMIT
            )
        composer = DigestComposer(stories, rates, self.now, self.default_language)
        marker = asyncio.create_task(self._mark_sent_loop())
        workers = [asyncio.create_task(self._work(composer)) for _ in range(self.workers)]
        try:
            await self._produce(due)
        except asyncio.CancelledError:
            # Stopping (SIGTERM): claims not yet sent stay claimed and a later pass takes
            # them after the lease; the sends under way finish and are marked below, so a
            # restart repeats none of them.
            self._drop_queued()
            raise
        finally:
            if await self._wind_down(workers, marker):
                raise asyncio.CancelledError
        return self.report

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

    # -- claiming ------------------------------------------------------------------------

    async def _produce(self, due: list[DueSubscription]) -> None:
        while True:
            async with self.sessions() as session, session.begin():
                ids = await deliveries.reclaim(
                    session, self.token, self._moment(), self.lease, self.batch
                )
            if not ids:
                break
            await self._enqueue(ids)
        chunks = [due[start : start + self.batch] for start in range(0, len(due), self.batch)]
        # Two processes starting together would otherwise walk the same chunks in the same
        # order; shuffled, each mostly claims its own (and on PostgreSQL skips locked ones).
        random.shuffle(chunks)
        for chunk in chunks:
            async with self.sessions() as session, session.begin():
                ids = await deliveries.claim_new(
                    session, chunk, self.token, self._moment(), self.lease
                )
            if ids:
                await self._enqueue(ids)

    async def _enqueue(self, ids: list[int]) -> None:
        async with self.sessions() as session:
            claims = await deliveries.list_claims(session, ids, self.token)
        self.report.claimed += len(claims)
        for claim in claims:
            await self._queue.put(claim)

    # -- sending -------------------------------------------------------------------------

    async def _work(self, composer: DigestComposer) -> None:
        while (claim := await self._queue.get()) is not None:
            try:
                await self._deliver(claim, composer)
            except Exception as exc:
                # The claim stays; its lease runs out and a later pass tries again.
                log.exception("digest %d for chat %d failed", claim.delivery_id, claim.chat_id)
                self.report.errors.append(f"{claim.delivery_id}: {exc}")

    async def _deliver(self, claim: Claim, composer: DigestComposer) -> None:
        if not claim.active:
            await self._fail(claim, "the subscription was stopped")
            return
        if claim.attempts > MAX_ATTEMPTS:
            await self._fail(claim, f"gave up after {MAX_ATTEMPTS} attempts")
            return
        html = composer.compose(claim)

        async def send(chat_id: int) -> None:
            await self.send(chat_id, html)

        async def move(old_id: int, new_id: int) -> bool:
            return await self._move(claim, old_id, new_id)

        outcome = await send_within_budget(
            send, claim.chat_id, self.budget, sleep=self.sleep, move=move
        )
        if outcome.answer is Answer.SENT:
            self._sent.append((claim.delivery_id, claim.token))
            self._sent_ready.set()
            self.report.sent += 1
        elif outcome.answer is Answer.FLOODED:
            later = self._moment() + timedelta(
                seconds=max(outcome.wait, RETRY_LATER.total_seconds())
            )
            await self._put_back(claim, later, outcome.reason, False)
        elif outcome.answer is Answer.UNREACHABLE:
            await self._unreachable(claim, outcome.chat_id, outcome.reason)
        elif outcome.answer is Answer.NETWORK:
            # Telegram may have taken it before the connection dropped: better twice than never.
            await self._put_back(claim, self._moment() + RETRY_LATER, outcome.reason, True)
        else:
            await self._fail(claim, outcome.reason)

    # -- outcomes ------------------------------------------------------------------------

    async def _mark_sent_loop(self) -> None:
        while True:
            await self._sent_ready.wait()
            self._sent_ready.clear()
            held, self._sent = self._sent, []
            if held:
                await self._mark_sent(held)
            if self._closing and not self._sent:
                return

    async def _mark_sent(self, held: list[tuple[int, str]]) -> None:
        for attempt in range(1, 4):
            try:
                async with self.sessions() as session, session.begin():
                    await deliveries.mark_sent(session, held, self._moment())
                DIGESTS.labels(outcome="sent").inc(len(held))
                return
            except Exception:
                if attempt == 3:
                    # Those digests were delivered but stay claimed: their lease runs out
                    # and they are sent again. Logged loudly: this is the duplicate case.
                    log.exception("could not mark %d sent digests; they may repeat", len(held))
                    return
                await asyncio.sleep(0.2 * attempt)

    async def _fail(self, claim: Claim, reason: str) -> None:
        log.warning("digest %d for chat %d failed: %s", claim.delivery_id, claim.chat_id, reason)
        async with self.sessions() as session, session.begin():
            await deliveries.mark_failed(session, claim.delivery_id, claim.token, reason)
        DIGESTS.labels(outcome="failed").inc()
        self.report.failed += 1

    async def _put_back(
        self, claim: Claim, not_before: datetime, reason: str, counts: bool
    ) -> None:
        log.info("digest %d for chat %d put back: %s", claim.delivery_id, claim.chat_id, reason)
        async with self.sessions() as session, session.begin():
            await deliveries.put_back(
                session,
                claim.delivery_id,
                claim.token,
                not_before,
                reason,
                counts_as_attempt=counts,
            )
        self.report.put_back += 1

    async def _unreachable(self, claim: Claim, chat_id: int, error: str) -> None:
        log.warning("chat %d cannot be written to (%s): subscription stopped", chat_id, error)
        async with self.sessions() as session, session.begin():
            await deliveries.deactivate_subscription(session, claim.subscription_id)
            await set_chat_unreachable(session, chat_id, self.now)
            await deliveries.mark_failed(session, claim.delivery_id, claim.token, error)
        DIGESTS.labels(outcome="failed").inc()
        self.report.failed += 1
        self.report.unreachable += 1

    async def _move(self, claim: Claim, old_id: int, new_id: int) -> bool:
        log.info("chat %d became supergroup %d: moving its subscription", old_id, new_id)
        async with self.sessions() as session, session.begin():
            moved = await deliveries.move_chat(session, old_id, new_id)
        if moved:
            self.report.moved += 1
        return moved


async def run_due_pass(
    sessions: async_sessionmaker[AsyncSession],
    send: Sender,
    now: datetime,
    *,
    default_zone: str,
    default_language: str,
    budget: Budget = PROCESS_BUDGET,
    **options: Any,
) -> PassReport:
    """One delivery pass at ``now`` (see ``DigestPass``)."""
    digest_pass = DigestPass(
        sessions,
        send,
        now,
        default_zone=default_zone,
        default_language=default_language,
        budget=budget,
        **options,
    )
    return await digest_pass.run()
