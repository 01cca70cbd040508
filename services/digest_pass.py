"""The store side of a digest pass (``bot.digests``): what it reads, claims and records.

Each method is one transaction over ``storage.deliveries`` and its neighbours; the pass
decides (from Telegram's answer) which outcome to write, and counts and logs it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from core.schedule_words import zone_from_name
from core.types import RateQuote, Story
from services.outbox import Outbox
from storage import deliveries
from storage.chats import set_chat_unreachable
from storage.deliveries import Claim
from storage.due_digests import DueSubscription, list_due_subscriptions
from storage.rates import list_current_rates
from storage.stories import list_story_pool


@dataclass(frozen=True, slots=True)
class DigestMaterial:
    """What a pass works from: the due subscriptions, today's rates and recent stories."""

    due: list[DueSubscription]
    rates: dict[str, RateQuote]
    stories: list[Story]


class DigestOutbox(Outbox):
    """Reads, claims and outcomes of one digest pass, each its own transaction."""

    async def material(
        self, now: datetime, default_zone: str, pool_since: datetime, pool_limit: int
    ) -> DigestMaterial | None:
        """The due subscriptions at ``now``, the rates and the stories fetched after
        ``pool_since`` (at most ``pool_limit``); None when nothing is due and no earlier
        claim is takeable (most minutes: then stories and rates are not read)."""
        async with self.sessions() as session:
            due = await list_due_subscriptions(session, now, default_zone)
            if not due and not await deliveries.has_takeable(session, self.clock()):
                return None
            today = now.astimezone(zone_from_name(default_zone) or UTC).date()
            rates = await list_current_rates(session, today)
            stories = await list_story_pool(session, pool_since, pool_limit)
        return DigestMaterial(due, rates, stories)

    async def claim_lapsed(self, lease: timedelta, batch: int) -> list[int]:
        """Take over up to ``batch`` deliveries whose claims ran out (or were put back)."""
        return await self._claiming(
            lambda session: deliveries.reclaim(session, self.token, self.clock(), lease, batch)
        )

    async def claim_due(self, chunk: Sequence[DueSubscription], lease: timedelta) -> list[int]:
        """Claim the new deliveries of ``chunk`` that no other pass took first."""
        return await self._claiming(
            lambda session: deliveries.claim_new(session, chunk, self.token, self.clock(), lease)
        )

    async def claims(self, ids: list[int]) -> list[Claim]:
        """The claims ``ids`` this pass still holds, with what composing them needs."""
        async with self.sessions() as session:
            return await deliveries.list_claims(session, ids, self.token)

    async def mark_sent(self, held: Sequence[tuple[int, str]]) -> int:
        async with self.sessions() as session, session.begin():
            return await deliveries.mark_sent(session, held, self.clock())

    async def fail(self, claim: Claim, reason: str) -> None:
        """The delivery will not be sent (not tried again)."""
        async with self.sessions() as session, session.begin():
            await deliveries.mark_failed(session, claim.delivery_id, claim.token, reason)

    async def put_back(
        self, claim: Claim, not_before: datetime, reason: str, *, counts_as_attempt: bool
    ) -> None:
        """A later pass sends it, from ``not_before`` on."""
        async with self.sessions() as session, session.begin():
            await deliveries.put_back(
                session,
                claim.delivery_id,
                claim.token,
                not_before,
                reason,
                counts_as_attempt=counts_as_attempt,
            )

    async def stop_unreachable(self, claim: Claim, chat_id: int, error: str, at: datetime) -> None:
        """The chat cannot be written to: its subscription stops, the chat is marked
        unreachable since ``at``, and the delivery fails."""
        async with self.sessions() as session, session.begin():
            await deliveries.deactivate_subscription(session, claim.subscription_id)
            await set_chat_unreachable(session, chat_id, at)
            await deliveries.mark_failed(session, claim.delivery_id, claim.token, error)

    async def move_chat(self, old_id: int, new_id: int) -> bool:
        """A group became supergroup ``new_id``: move its subscription; False when not."""
        async with self.sessions() as session, session.begin():
            return await deliveries.move_chat(session, old_id, new_id)
