"""Rate alerts delivered as notices (``bot.notices``, kind ``alert``), and their CLI.

``alert_kind`` describes the kind for ``newsbot run`` (registered in ``bot.app``) and for
``newsbot alerts run-due``: its ``detect`` is the check of every alert against newly
stored rates (``services.alert_checks``), its composer writes each crossing in the chat's
language with buttons for the chart and for deleting the alert. A chat that blocked the
bot is marked unreachable by the pass; the check then queues nothing for it until it
writes again. A group that became a supergroup keeps its alerts (``on_migrated``).
"""

from __future__ import annotations

import argparse
import json
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.notice_kinds import NoticeKind, OutgoingNotice
from bot.settings import Settings
from core.schedule_words import zone_from_name
from services.alert_checks import ALERT_KIND, check_alerts_in
from storage.alerts import Alert, list_alert_ids, list_all_alerts, move_chat_alerts
from storage.notices import ChatNotices
from views.alerts import render_fired


async def compose_alerts(
    session: AsyncSession, chat: ChatNotices, now: datetime
) -> list[OutgoingNotice]:
    """One message per crossing, oldest first; a crossing of an alert deleted since is
    covered by no message, so the pass drops it."""
    alive = await list_alert_ids(
        session, chat.chat_id, (int(notice.payload["alert"]) for notice in chat.notices)
    )
    messages: list[OutgoingNotice] = []
    for notice in chat.notices:
        if int(notice.payload["alert"]) not in alive:
            continue
        html, markup = render_fired(dict(notice.payload))
        messages.append(OutgoingNotice(html, (notice.id,), markup))
    return messages


async def move_alerts(session: AsyncSession, old_id: int, new_id: int) -> None:
    """A group became a supergroup: its alerts go with it."""
    await move_chat_alerts(session, old_id, new_id)


def alert_kind(settings: Settings) -> NoticeKind:
    """The ``alert`` notice kind; "today" for the checks is the operator's (``TIMEZONE``)."""
    zone = zone_from_name(settings.timezone) or ZoneInfo("UTC")

    async def detect(session: AsyncSession, now: datetime) -> int:
        report = await check_alerts_in(session, now=now, today=now.astimezone(zone).date())
        return report.queued

    return NoticeKind(ALERT_KIND, compose_alerts, on_migrated=move_alerts, detect=detect)


def alert_json(alert: Alert) -> dict[str, object]:
    """An alert for ``newsbot alerts list --json``."""
    return {
        "id": alert.id,
        "chat_id": alert.chat_id,
        "pair": f"{alert.base}/{alert.quote}",
        "direction": alert.direction,
        "level": str(alert.level),
        "armed": alert.armed,
        "fired": alert.fired,
        "set_rate": str(alert.set_rate),
        "set_as_of": alert.set_as_of.isoformat(),
        "seen_as_of": alert.seen_as_of.isoformat(),
        "created": alert.created.isoformat(),
    }


def alert_line(alert: Alert) -> str:
    """One line of ``newsbot alerts list``."""
    state = "armed" if alert.armed else "fired, re-arms at the margin"
    return (
        f"{alert.id:>6}  chat {alert.chat_id}  {alert.base}/{alert.quote} {alert.direction} "
        f"{alert.level:f}  ({state}; fired {alert.fired}x; rates seen to "
        f"{alert.seen_as_of.isoformat()})"
    )


async def cmd_alerts_list(args: argparse.Namespace, settings: Settings) -> int:
    """``newsbot alerts list [--json]``: every alert of every chat, for operators."""
    from bot.store import open_store

    async with open_store(settings) as sessions, sessions() as session:
        alerts = await list_all_alerts(session)
    if args.json:
        print(json.dumps([alert_json(alert) for alert in alerts]))
    elif not alerts:
        print("No alerts are set.")
    else:
        print("\n".join(alert_line(alert) for alert in alerts))
    return 0
