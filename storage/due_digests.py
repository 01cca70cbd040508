"""Which digests are due: subscriptions whose local time has passed today in their chat's
zone and that have no delivery row for that date yet (``storage.deliveries`` claims them).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo

from sqlalchemy import and_, exists, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.schedule_words import zone_from_name
from storage.models import ChatRow, DeliveryRow, SubscriptionRow


def resolve_zone(name: str | None, default: str) -> tzinfo:
    """The time zone a chat stored: an IANA name, an offset (``+6``, ``UTC+05:30``), else
    ``default`` (also for a name the tz database does not know)."""
    return zone_from_name(name) or zone_from_name(default) or UTC


@dataclass(frozen=True, slots=True)
class DueSubscription:
    """A subscription whose digest for ``local_date`` is due and not yet claimed."""

    subscription_id: int
    local_date: date


def _is_due(created: datetime, local_time: str, zone: tzinfo, local_date: date) -> bool:
    # A subscription made after its time of day starts the next day: compare in local terms.
    made = created.astimezone(zone)
    made_day = made.date()
    return made_day < local_date or (made_day == local_date and made.strftime("%H:%M") < local_time)


async def list_due_subscriptions(
    session: AsyncSession, now: datetime, default_zone: str
) -> list[DueSubscription]:
    """Active subscriptions of reachable chats whose local time has passed on the local date
    of ``now`` in their chat's zone, with no delivery row for that date; oldest id first.

    The local clock is compared as ``HH:MM`` text, which is what people set: on a day a
    zone skips an hour, a 02:30 digest goes out at 03:00; on a day it repeats one, the
    first 02:30 takes it (the delivery row makes the second one a no-op).
    """
    zone_names = (
        await session.scalars(
            select(ChatRow.timezone)
            .join(SubscriptionRow, SubscriptionRow.chat_id == ChatRow.id)
            .where(SubscriptionRow.active.is_(True), ChatRow.unreachable_since.is_(None))
            .distinct()
        )
    ).all()
    if not zone_names:
        return []
    zones: dict[str | None, tuple[tzinfo, date]] = {}
    branches = []
    for name in zone_names:
        zone = resolve_zone(name, default_zone)
        local = now.astimezone(zone)
        zones[name] = (zone, local.date())
        same_zone = ChatRow.timezone.is_(None) if name is None else ChatRow.timezone == name
        delivered = exists().where(
            DeliveryRow.subscription_id == SubscriptionRow.id,
            DeliveryRow.local_date == local.date(),
        )
        branches.append(
            and_(same_zone, SubscriptionRow.local_time <= local.strftime("%H:%M"), ~delivered)
        )
    query = (
        select(
            SubscriptionRow.id,
            SubscriptionRow.created,
            SubscriptionRow.local_time,
            ChatRow.timezone,
        )
        .join(ChatRow, SubscriptionRow.chat_id == ChatRow.id)
        .where(
            SubscriptionRow.active.is_(True),
            ChatRow.unreachable_since.is_(None),
            or_(*branches),
        )
        .order_by(SubscriptionRow.id)
    )
    due = []
    for sub_id, created, local_time, zone_name in (await session.execute(query)).all():
        zone, local_date = zones[zone_name]
        if _is_due(created, local_time, zone, local_date):
            due.append(DueSubscription(sub_id, local_date))
    return due
