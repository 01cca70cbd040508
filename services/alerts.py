"""Rate alerts of a chat: set one (with every check), list them, delete one.

The pair's rate is the one ``/convert`` shows: both legs from ``list_current_rates``
(``core.authority``), combined by ``core.exchange.make_conversion``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.alert_request import AlertRequest
from core.alerts import (
    MAX_ALERTS_PER_CHAT,
    MAX_DISTANCE,
    direction_towards,
    is_too_far,
    starts_armed,
)
from core.exchange import Conversion, MissingRate, make_conversion
from core.money import ConversionRequest
from core.types import RateQuote
from services.chats import ChatMemory, ChatService
from storage.alerts import (
    Alert,
    NewAlert,
    add_alert,
    count_chat_alerts,
    delete_alert,
    list_chat_alerts,
    lock_chat,
    newest_rate_date,
)
from storage.rates import list_current_rates

_ONE = Decimal(1)


@dataclass(frozen=True, slots=True)
class AlertSet:
    """The alert was stored; ``number`` is its place in the chat's list."""

    alert: Alert
    current: Conversion
    number: int


@dataclass(frozen=True, slots=True)
class TooManyAlerts:
    """The chat already has the most alerts allowed."""

    limit: int


@dataclass(frozen=True, slots=True)
class LevelTooFar:
    """The level lies too far from the current rate to be meant; ``low``–``high`` is the
    range that would be accepted."""

    current: Conversion
    low: Decimal
    high: Decimal


@dataclass(frozen=True, slots=True)
class NoPairRate:
    """No stored rate for ``currency``, so the pair has no rate to watch."""

    currency: str


SetOutcome = AlertSet | TooManyAlerts | LevelTooFar | NoPairRate


def pair_rate(current: dict[str, RateQuote], base: str, quote: str) -> Conversion | MissingRate:
    """The official rate of ``quote`` per 1 ``base``, as /convert computes it."""
    return make_conversion(ConversionRequest(_ONE, base, quote), quote, current)


def accepted_range(rate: Decimal) -> tuple[Decimal, Decimal]:
    """The levels accepted around ``rate`` (within ``MAX_DISTANCE`` of it)."""
    return rate * (1 - MAX_DISTANCE), rate * (1 + MAX_DISTANCE)


def _watched(alert_or_request: AlertRequest | Alert) -> list[str]:
    """The currencies with stored rows: USD is the base of every figure and has none."""
    pair = (alert_or_request.base, alert_or_request.quote)
    return [code for code in pair if code != "USD"]


async def set_alert(
    sessions: async_sessionmaker[AsyncSession],
    chat_id: int,
    chat_kind: str,
    request: AlertRequest,
    *,
    now: datetime,
    today: date,
    also: Callable[[AsyncSession], Awaitable[None]] | None = None,
) -> SetOutcome:
    """Store an alert for a chat after the checks: at most ``MAX_ALERTS_PER_CHAT``, a
    stored rate for both currencies, a level within ``MAX_DISTANCE`` of the rate.

    A request without a direction takes the side the level lies on. The alert starts
    disarmed when the rate is already past the level, and has seen every rate stored up
    to ``today`` (so only later-dated rates are checked against it).

    ``also`` runs in the same transaction once the alert is stored (the bot keeps the
    chat's reply language this way).
    """
    async with sessions() as session, session.begin():
        await lock_chat(session, chat_id, chat_kind)
        count = await count_chat_alerts(session, chat_id)
        if count >= MAX_ALERTS_PER_CHAT:
            return TooManyAlerts(MAX_ALERTS_PER_CHAT)
        current = pair_rate(await list_current_rates(session, today), request.base, request.quote)
        if isinstance(current, MissingRate):
            return NoPairRate(current.currency)
        rate = current.rate
        if is_too_far(request.level, rate):
            low, high = accepted_range(rate)
            return LevelTooFar(current, low, high)
        direction = request.direction or direction_towards(request.level, rate)
        newest = await newest_rate_date(session, _watched(request)) or today
        alert = await add_alert(
            session,
            NewAlert(
                chat_id=chat_id,
                base=request.base,
                quote=request.quote,
                direction=direction,
                level=request.level,
                armed=starts_armed(direction, request.level, rate),
                set_rate=rate,
                set_as_of=current.as_of or today,
                # A figure published in advance for tomorrow is still to be checked.
                seen_as_of=min(newest, today),
            ),
            now,
        )
        if also is not None:
            await also(session)
    return AlertSet(alert, current, count + 1)


async def list_alerts(sessions: async_sessionmaker[AsyncSession], chat_id: int) -> list[Alert]:
    """A chat's alerts, oldest first."""
    async with sessions() as session:
        return await list_chat_alerts(session, chat_id)


async def count_alerts(sessions: async_sessionmaker[AsyncSession], chat_id: int) -> int:
    """How many alerts a chat has (for /settings)."""
    async with sessions() as session:
        return await count_chat_alerts(session, chat_id)


async def delete_numbered(
    sessions: async_sessionmaker[AsyncSession], chat_id: int, number: int
) -> Alert | None:
    """Delete the chat's alert shown as ``number`` in its list; None when there is none."""
    async with sessions() as session, session.begin():
        alerts = await list_chat_alerts(session, chat_id)
        if not 1 <= number <= len(alerts):
            return None
        chosen = alerts[number - 1]
        return chosen if await delete_alert(session, chat_id, chosen.id) else None


async def delete_by_id(
    sessions: async_sessionmaker[AsyncSession], chat_id: int, alert_id: int
) -> Alert | None:
    """Delete one of the chat's alerts by id (a button); None when it is already gone."""
    async with sessions() as session, session.begin():
        alerts = {alert.id: alert for alert in await list_chat_alerts(session, chat_id)}
        chosen = alerts.get(alert_id)
        if chosen is None or not await delete_alert(session, chat_id, alert_id):
            return None
        return chosen


class ChatAlerts:
    """The functions above on the open store, for the bot's handlers (``bot_data.alerts``)."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        clock: Callable[[], datetime],
        chats: ChatService,
    ) -> None:
        self._sessions = sessions
        self._clock = clock
        self._chats = chats

    async def set(
        self,
        chat_id: int,
        chat_kind: str,
        request: AlertRequest,
        today: date,
        memory: ChatMemory | None,
        language: str,
    ) -> SetOutcome:
        """``set_alert`` now, by the injected clock. A stored alert also keeps ``language``
        as the chat's when it never chose one: the alert speaks later, without an update to
        read the language from."""

        async def keep_language(session: AsyncSession) -> None:
            await self._chats.keep_language(session, memory, chat_id, language)

        return await set_alert(
            self._sessions,
            chat_id,
            chat_kind,
            request,
            now=self._clock(),
            today=today,
            also=keep_language,
        )

    async def of_chat(self, chat_id: int) -> list[Alert]:
        """``list_alerts``."""
        return await list_alerts(self._sessions, chat_id)

    async def delete_numbered(self, chat_id: int, number: int) -> Alert | None:
        """``delete_numbered``."""
        return await delete_numbered(self._sessions, chat_id, number)

    async def delete_by_id(self, chat_id: int, alert_id: int) -> Alert | None:
        """``delete_by_id``."""
        return await delete_by_id(self._sessions, chat_id, alert_id)
