"""A chat's daily digest: start, change and stop it, and what the settings screen shows."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, tzinfo

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.countries import CENTRAL_ASIA
from services.chats import ChatMemory, ChatService
from storage.subscriptions import (
    Subscription,
    get_subscription,
    has_delivery,
    set_digest_countries,
    set_digest_time,
    subscribe,
    unsubscribe,
)


@dataclass(frozen=True, slots=True)
class Subscribed:
    """A digest started or changed by /subscribe.

    Attributes:
        subscription: As stored now.
        was_active: It was running before (a change, not a start).
        delivered_today: Today's digest (in the chat's zone) was already claimed or sent.
        now: The moment of the change, to show the next digest from.
    """

    subscription: Subscription
    was_active: bool
    delivered_today: bool
    now: datetime


@dataclass(frozen=True, slots=True)
class DigestStatus:
    """The chat's digest as the settings screen shows it."""

    subscription: Subscription | None
    delivered_today: bool


class SubscriptionService:
    """The digest subscriptions of chats; each call is one transaction of its own."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        clock: Callable[[], datetime],
        chats: ChatService,
    ) -> None:
        self._sessions = sessions
        self._clock = clock
        self._chats = chats

    async def get(self, chat_id: int) -> Subscription | None:
        """The chat's subscription, running or stopped; None when it never had one."""
        async with self._sessions() as session:
            return await get_subscription(session, chat_id)

    async def status(self, chat_id: int, today: date) -> DigestStatus:
        """The chat's subscription and whether the digest of ``today`` went out already."""
        async with self._sessions() as session:
            subscription = await get_subscription(session, chat_id)
            delivered = subscription is not None and await has_delivery(
                session, subscription.id, today
            )
        return DigestStatus(subscription, delivered)

    async def digest_countries(self, chat_id: int) -> tuple[str, ...]:
        """The countries of the chat's running digest; none when it gets no digest."""
        subscription = await self.get(chat_id)
        return subscription.countries if subscription is not None and subscription.active else ()

    async def subscribe(
        self,
        memory: ChatMemory | None,
        chat_id: int,
        zone: tzinfo,
        language: str,
        *,
        local_time: str | None = None,
        countries: tuple[str, ...] = (),
    ) -> Subscribed:
        """Start (or change) the chat's digest, changing only what is given.

        ``language``, the one the chat is answered in now, is stored when the chat never
        chose one (``ChatService.keep_language``); ``zone`` is the chat's, for "today".
        """
        now = self._clock()
        async with self._sessions() as session, session.begin():
            stored, was_active = await subscribe(
                session, chat_id, now, local_time=local_time, countries=countries
            )
            delivered = await has_delivery(session, stored.id, now.astimezone(zone).date())
            await self._chats.keep_language(session, memory, chat_id, language)
        return Subscribed(stored, was_active, delivered, now)

    async def start(self, memory: ChatMemory | None, chat_id: int, language: str) -> None:
        """Start the chat's digest with its stored (or the default) time and countries."""
        async with self._sessions() as session, session.begin():
            await subscribe(session, chat_id, self._clock())
            await self._chats.keep_language(session, memory, chat_id, language)

    async def unsubscribe(self, chat_id: int) -> bool:
        """Stop the chat's digest, keeping its settings; whether a running one was stopped."""
        async with self._sessions() as session, session.begin():
            return await unsubscribe(session, chat_id)

    async def set_time(self, chat_id: int, local_time: str) -> Subscription:
        """Change the digest's ``HH:MM`` (kept stopped when none is running)."""
        async with self._sessions() as session, session.begin():
            return await set_digest_time(session, chat_id, local_time, self._clock())

    async def set_countries(self, chat_id: int, countries: tuple[str, ...]) -> Subscription:
        """Change the digest's countries (at least one of the five)."""
        async with self._sessions() as session, session.begin():
            return await set_digest_countries(session, chat_id, countries, self._clock())

    async def toggle_country(self, chat_id: int, country: str) -> Subscription | None:
        """Add ``country`` to the digest or take it out; None (nothing changed) when it is
        the only one left: a digest keeps at least one country."""
        async with self._sessions() as session, session.begin():
            current = await get_subscription(session, chat_id)
            chosen = current.countries if current else CENTRAL_ASIA
            kept = tuple(code for code in chosen if code != country)
            toggled = kept if country in chosen else (*chosen, country)
            if not toggled:
                return None
            return await set_digest_countries(session, chat_id, toggled, self._clock())
