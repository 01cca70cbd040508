"""The digest pass: one pass over the due subscriptions, delivering each chat its digest.

A pass (``DigestPass``, on the claim → send → mark skeleton of ``bot.claim_pass``) reads
what is due and claims deliveries through its store (``services.digest_pass``), composes
each digest (``views.digest_layout`` + ``views.digest``) and sends it within the bot's
send budget (``bot.limits``: shared by all the bot's processes on PostgreSQL or Redis).
Claims, sends and "sent" marks overlap: a producer claims batches while workers send the
previous ones and a marker commits what was sent. The per-minute job that runs passes is
``bot.digest_job``; ``newsbot digest run-due`` (``bot.digest_command``) runs one.

What each Telegram answer does to a delivery:

- accepted: marked sent (group commit: the marker writes whatever was sent since its
  last write, one transaction, usually a message or two);
- 429: every sender of the bot pauses (in every process when the budget is shared);
  waits up to 60 s are waited out and the message sent again, a longer wait puts the
  delivery back for a later pass (not an attempt);
- 403 / 400 "chat not found": the subscription stops and the chat is marked unreachable;
- "group chat was upgraded": the chat and its subscription move to the new id, and the
  digest goes there;
- any other 400: the digest itself is wrong; it fails (logged) rather than loop;
- network trouble: put back for the next pass, at most ``MAX_ATTEMPTS`` claims in all.
``bot.bulk_send`` reads each answer (as for notices, ``bot.notices``); this module decides.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial
from typing import Any, Unpack

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.bulk_send import Answer, send_within_budget
from bot.bulk_send import telegram_sender as telegram_sender  # the digests' sender
from bot.claim_pass import LEASE as LEASE
from bot.claim_pass import WORKERS as WORKERS
from bot.claim_pass import ClaimPass, PassTuning
from bot.metrics import DIGESTS
from bot.send_budget import Budget
from core.types import RateQuote, Story
from locales import use_language
from services.digest_pass import DigestOutbox
from storage.deliveries import Claim
from storage.due_digests import DueSubscription
from views.digest import DIGEST_CURRENCIES, render_digest
from views.digest_layout import StoryPool, digest_since, fit_digest, group_by_country

log = logging.getLogger(__name__)

Sender = Callable[[int, str], Awaitable[None]]

MAX_ATTEMPTS = 5
RETRY_LATER = timedelta(minutes=1)
CLAIM_BATCH = 100
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


class DigestPass(ClaimPass[Claim, DigestOutbox]):
    """One pass: claim what is due (and what earlier passes left), compose, send, mark.

    Args:
        sessions: The store.
        send: Sends one HTML message to a chat; raises PTB's errors as Telegram answers.
        now: The moment of the pass (``--now`` in the CLI).
        default_zone: The zone of chats that chose none (``TIMEZONE``).
        default_language: The language of chats that chose none.
        budget: The process's send budget.
        **tuning: ``workers`` (sends in flight at once), ``batch`` (deliveries claimed per
            transaction), ``lease``, ``sleep`` (how to wait out a 429): see ``ClaimPass``.
    """

    BATCH = CLAIM_BATCH

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        send: Sender,
        now: datetime,
        *,
        default_zone: str,
        default_language: str,
        budget: Budget,
        **tuning: Unpack[PassTuning],
    ) -> None:
        super().__init__(partial(DigestOutbox, sessions), now, budget=budget, **tuning)
        self.send = send
        self.default_zone = default_zone
        self.default_language = default_language
        self.report = PassReport()
        self._due: list[DueSubscription] = []
        self._composer: DigestComposer | None = None

    async def run(self) -> PassReport:
        """Deliver everything due at ``now``; return what happened."""
        material = await self.outbox.material(
            self.now, self.default_zone, self.now - timedelta(days=POOL_DAYS), POOL_LIMIT
        )
        if material is None:
            return self.report  # most minutes: nothing to read stories and rates for
        self._due = material.due
        self._composer = DigestComposer(
            material.stories, material.rates, self.now, self.default_language
        )
        await self._send_all()
        return self.report

    # -- claiming ------------------------------------------------------------------------

    async def _produce(self) -> None:
        while ids := await self.outbox.claim_lapsed(self.lease, self.batch):
            await self._enqueue(ids)
        due = self._due
        chunks = [due[start : start + self.batch] for start in range(0, len(due), self.batch)]
        # Two processes starting together would otherwise walk the same chunks in the same
        # order; shuffled, each mostly claims its own (and on PostgreSQL skips locked ones).
        random.shuffle(chunks)
        for chunk in chunks:
            if ids := await self.outbox.claim_due(chunk, self.lease):
                await self._enqueue(ids)

    async def _enqueue(self, ids: list[int]) -> None:
        claims = await self.outbox.claims(ids)
        self.report.claimed += len(claims)
        for claim in claims:
            await self._queue_item(claim)

    # -- sending -------------------------------------------------------------------------

    def _describe(self, item: Claim) -> str:
        return f"digest {item.delivery_id} for chat {item.chat_id}"

    def _record_error(self, item: Claim, error: Exception) -> None:
        self.report.errors.append(f"{item.delivery_id}: {error}")

    async def _deliver(self, item: Claim) -> None:
        claim = item
        if not claim.active:
            await self._fail(claim, "the subscription was stopped")
            return
        if claim.attempts > MAX_ATTEMPTS:
            await self._fail(claim, f"gave up after {MAX_ATTEMPTS} attempts")
            return
        assert self._composer is not None  # set by run() before any claim
        html = self._composer.compose(claim)

        async def send(chat_id: int) -> None:
            await self.send(chat_id, html)

        async def move(old_id: int, new_id: int) -> bool:
            return await self._move(claim, old_id, new_id)

        outcome = await send_within_budget(
            send, claim.chat_id, self.budget, sleep=self.sleep, move=move
        )
        if outcome.answer is Answer.SENT:
            self._note_sent([(claim.delivery_id, claim.token)])
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

    # -- outcomes (written by the outbox; counted and logged here) -----------------------

    def _marks_written(self, count: int) -> None:
        DIGESTS.labels(outcome="sent").inc(count)

    async def _fail(self, claim: Claim, reason: str) -> None:
        log.warning("digest %d for chat %d failed: %s", claim.delivery_id, claim.chat_id, reason)
        await self.outbox.fail(claim, reason)
        DIGESTS.labels(outcome="failed").inc()
        self.report.failed += 1

    async def _put_back(
        self, claim: Claim, not_before: datetime, reason: str, counts: bool
    ) -> None:
        log.info("digest %d for chat %d put back: %s", claim.delivery_id, claim.chat_id, reason)
        await self.outbox.put_back(claim, not_before, reason, counts_as_attempt=counts)
        self.report.put_back += 1

    async def _unreachable(self, claim: Claim, chat_id: int, error: str) -> None:
        log.warning("chat %d cannot be written to (%s): subscription stopped", chat_id, error)
        await self.outbox.stop_unreachable(claim, chat_id, error, self.now)
        DIGESTS.labels(outcome="failed").inc()
        self.report.failed += 1
        self.report.unreachable += 1

    async def _move(self, claim: Claim, old_id: int, new_id: int) -> bool:
        log.info("chat %d became supergroup %d: moving its subscription", old_id, new_id)
        moved = await self.outbox.move_chat(old_id, new_id)
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
    budget: Budget,
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
