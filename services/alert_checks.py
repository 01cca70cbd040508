"""Checking every alert against rates stored since it last looked, and queueing a notice
for each crossing (kind ``alert``, key ``alert:<id>:<n>``: the n-th crossing of an alert).

An alert is checked on each day, after the newest date it has seen, on which a rate of
either of its currencies is stored, up to today: a file imported late, or a day dated
before the alert was set but after the newest rate stored then, counts the same way. The
pair's rate on day ``d`` is the rate /rates would have shown on ``d``
(``list_current_rates(session, today=d)``, then the /convert arithmetic). Figures dated
after today (published in advance) wait for their day.

Two passes at once (two processes, cron beside the bot) are safe: an alert's new state is
written only if it still holds what the pass read, in the transaction that adds the
notice, and the notice's key is unique.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.alerts import DatedRate, follow_rates
from core.exchange import MissingRate
from core.types import RateQuote
from services.alerts import pair_rate
from storage.alerts import (
    Alert,
    advance_seen,
    list_alerts_due,
    list_rate_dates,
    list_unreachable_chats,
    set_alert_state,
)
from storage.notices import add_notice
from storage.rates import list_current_rates

ALERT_KIND = "alert"


@dataclass(slots=True)
class CheckReport:
    """What one pass did."""

    alerts: int = 0
    checked: int = 0
    fired: int = 0
    rearmed: int = 0
    queued: int = 0
    skipped_unreachable: int = 0
    lost_races: int = 0
    days: list[date] = field(default_factory=list)

    def summary(self) -> str:
        """One line for logs and the CLI."""
        return (
            f"alerts: {self.alerts}, checked: {self.checked}, fired: {self.fired}, "
            f"re-armed: {self.rearmed}, queued: {self.queued}, "
            f"unreachable: {self.skipped_unreachable}, taken by another pass: {self.lost_races}"
        )


def alert_key(alert_id: int, crossing: int) -> str:
    """The notice key of an alert's ``crossing``-th crossing."""
    return f"{ALERT_KIND}:{alert_id}:{crossing}"


def alert_payload(alert: Alert, crossing: DatedRate, number: int) -> dict[str, str | int]:
    """Everything the message needs, as JSON values (the message is written at send time,
    in the chat's language then)."""
    return {
        "alert": alert.id,
        "crossing": number,
        "base": alert.base,
        "quote": alert.quote,
        "direction": alert.direction,
        "level": str(alert.level),
        "rate": str(crossing.rate),
        "as_of": crossing.as_of.isoformat(),
        "source": crossing.source,
        "set_rate": str(alert.set_rate),
        "set_as_of": alert.set_as_of.isoformat(),
    }


class _RatesByDay:
    """The pairs' rates as they stood on each day, read once per day and pair per pass."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.days: dict[date, dict[str, RateQuote]] = {}
        self.pairs: dict[tuple[date, str, str], DatedRate | None] = {}

    async def pair_on(self, day: date, base: str, quote: str) -> DatedRate | None:
        key = (day, base, quote)
        if key not in self.pairs:
            if day not in self.days:
                self.days[day] = await list_current_rates(self.session, day)
            found = pair_rate(self.days[day], base, quote)
            self.pairs[key] = (
                None
                if isinstance(found, MissingRate)
                else DatedRate(found.as_of or day, found.rate, found.origin)
            )
        return self.pairs[key]


def _days_of(alert: Alert, dates: dict[str, list[date]]) -> list[date]:
    days: set[date] = set()
    for code in (alert.base, alert.quote):
        days.update(day for day in dates.get(code, ()) if day > alert.seen_as_of)
    return sorted(days)


async def _rates_of(alert: Alert, days: Iterable[date], by_day: _RatesByDay) -> list[DatedRate]:
    found = [await by_day.pair_on(day, alert.base, alert.quote) for day in days]
    return [rate for rate in found if rate is not None]


async def check_alerts_in(session: AsyncSession, *, now: datetime, today: date) -> CheckReport:
    """Check every alert against the rates stored since it last looked; queue a notice
    for each crossing (none for chats marked unreachable: their alerts move on quietly,
    and speak again once the chat writes to the bot). The caller owns the transaction:
    the notices' job runs this as its ``detect`` in one of its own.

    Args:
        session: An open session in a transaction.
        now: When the pass runs (the notices' time).
        today: The operator's today: later-dated figures wait for their day.
    """
    report = CheckReport()
    alerts = await list_alerts_due(session, today)
    report.alerts = len(alerts)
    if not alerts:
        return report
    currencies = {code for alert in alerts for code in (alert.base, alert.quote)} - {"USD"}
    oldest = min(alert.seen_as_of for alert in alerts)
    dates = await list_rate_dates(session, currencies, oldest, today)
    if not dates:
        return report
    report.days = sorted({day for days in dates.values() for day in days})
    unreachable = await list_unreachable_chats(session, (a.chat_id for a in alerts))
    by_day = _RatesByDay(session)
    quiet: dict[tuple[date, date], list[int]] = {}
    for alert in alerts:
        days = _days_of(alert, dates)
        if not days:
            continue
        report.checked += 1
        outcome = follow_rates(
            alert.direction, alert.level, alert.armed, await _rates_of(alert, days, by_day)
        )
        if outcome.crossing is None and outcome.armed == alert.armed:
            quiet.setdefault((alert.seen_as_of, days[-1]), []).append(alert.id)
            continue
        fired = alert.fired + (1 if outcome.crossing is not None else 0)
        if not await set_alert_state(
            session, alert, armed=outcome.armed, fired=fired, seen_as_of=days[-1]
        ):
            report.lost_races += 1
            continue
        if outcome.crossing is None:
            report.rearmed += 1
            continue
        report.fired += 1
        if alert.chat_id in unreachable:
            report.skipped_unreachable += 1
            continue
        payload = alert_payload(alert, outcome.crossing, fired)
        if await add_notice(
            session, ALERT_KIND, alert_key(alert.id, fired), alert.chat_id, payload, now
        ):
            report.queued += 1
    for (was, seen), ids in quiet.items():
        await advance_seen(session, ids, was, seen)
    return report


async def check_alerts(
    sessions: async_sessionmaker[AsyncSession], *, now: datetime, today: date
) -> CheckReport:
    """``check_alerts_in`` in a transaction of its own."""
    async with sessions() as session, session.begin():
        return await check_alerts_in(session, now=now, today=today)
