"""A chat's preferences (language, time zone, reachability), kept in memory per chat.

The memory copy (``ChatMemory``, PTB's ``chat_data``) is read from the store when missing,
older than the service's ``ttl``, or marked unreachable, and written through on every
change made here, so the next update in the chat sees the change at once.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.chats import (
    ChatPrefs,
    add_chat_if_missing,
    get_chat,
    set_chat_language,
    set_chat_timezone,
    set_chat_unreachable,
)
from storage.database import retry_when_busy
from storage.errors import add_error_event

# A chat's language and time zone are kept in memory (written through by /lang and
# /settings) and read again after this long, so a change made by another instance of the
# bot on the same database shows here within five minutes.
PREFS_TTL_SECONDS = 300.0
# Telegram's kind of a one-to-one chat (``telegram.constants.ChatType.PRIVATE``).
PRIVATE_CHAT = "private"


class ChatMemory:
    """What the bot keeps in memory per chat: its stored preferences and when they were read."""

    def __init__(self) -> None:
        self.prefs: ChatPrefs | None = None
        self.read_at = 0.0  # time.monotonic() of the last read from the store

    def remember(self, prefs: ChatPrefs) -> None:
        """Keep preferences just read from (or written to) the store."""
        self.prefs = prefs
        self.read_at = time.monotonic()

    def fresh(self, ttl: float) -> ChatPrefs | None:
        """The kept preferences, or None when they must be read again.

        Read again when never read, older than ``ttl`` seconds, or the chat is marked
        unreachable (it writes again, so it has unblocked the bot).
        """
        prefs = self.prefs
        if prefs is None or prefs.unreachable_since is not None:
            return None
        return prefs if time.monotonic() - self.read_at <= ttl else None

    def write_through(self, **changes: Any) -> None:
        """Apply a change just stored to the kept copy (nothing is kept: nothing to do)."""
        if self.prefs is not None:
            self.remember(replace(self.prefs, **changes))


class ChatService:
    """Reads and changes chats' preferences; each change is one transaction of its own."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        clock: Callable[[], datetime],
        *,
        ttl: float = PREFS_TTL_SECONDS,
    ) -> None:
        self._sessions = sessions
        self._clock = clock
        self.ttl = ttl  # seconds a memory copy is trusted (tests set 0 to read every time)

    async def prefs(
        self, memory: ChatMemory, chat_id: int, kind: str, personal: str | None
    ) -> ChatPrefs:
        """The chat's preferences, from ``memory`` while fresh, else from the store.

        Reading from the store adds a new chat, notes an unreachable one reachable again,
        and settles a group's language (``personal``: the writer's Telegram language).
        Whatever failure outlasts the retries on a busy store is raised.
        """
        kept = memory.fresh(self.ttl)
        if kept is not None:
            return kept
        prefs = await retry_when_busy(lambda: self._load(chat_id, kind, personal))
        memory.remember(prefs)
        return prefs

    async def _load(self, chat_id: int, kind: str, personal: str | None) -> ChatPrefs:
        async with self._sessions() as session, session.begin():
            prefs = await add_chat_if_missing(session, chat_id, kind)
            # A chat marked unreachable that writes again has unblocked the bot.
            if prefs.unreachable_since is not None:
                await set_chat_unreachable(session, chat_id, None)
                prefs = replace(prefs, unreachable_since=None)
            return await _settle_group_language(session, prefs, kind, personal)

    async def own_language(self, memory: ChatMemory | None, user_id: int) -> str | None:
        """The language a person chose in their private chat with the bot (same id as theirs).

        ``memory`` is that chat's, when the bot keeps one; the store is read otherwise.
        """
        prefs = memory.fresh(self.ttl) if memory is not None else None
        if prefs is None:
            async with self._sessions() as session:
                prefs = await get_chat(session, user_id)
        return prefs.language if prefs is not None else None

    async def set_language(self, memory: ChatMemory, chat_id: int, language: str) -> None:
        """Store the language the chat chose."""
        async with self._sessions() as session, session.begin():
            await set_chat_language(session, chat_id, language)
        memory.write_through(language=language)

    async def set_timezone(self, memory: ChatMemory, chat_id: int, zone: str) -> None:
        """Store the time zone the chat chose (an IANA name or a fixed offset)."""
        async with self._sessions() as session, session.begin():
            await set_chat_timezone(session, chat_id, zone)
        memory.write_through(timezone=zone)

    async def keep_language(
        self, session: AsyncSession, memory: ChatMemory | None, chat_id: int, language: str
    ) -> None:
        """Store ``language`` (the one the chat is answered in now) when it never chose one.

        Within the caller's transaction: starting a digest, a follow or an alert does
        this, as what comes later is sent without an update to read the person's Telegram
        language from.
        """
        prefs = memory.prefs if memory is not None else None
        if memory is None or prefs is None or prefs.language is not None:
            return
        await set_chat_language(session, chat_id, language)
        memory.write_through(language=language)

    async def mark_unreachable(self, memory: ChatMemory | None, chat_id: int) -> None:
        """Note that Telegram refuses to deliver to the chat (blocked, removed, gone)."""
        since = self._clock()
        async with self._sessions() as session, session.begin():
            await set_chat_unreachable(session, chat_id, since)
        if memory is not None:
            memory.write_through(unreachable_since=since)

    async def record_error(self, kind: str, place: str) -> None:
        """Store one failure (for /stats) in a short transaction of its own."""
        async with self._sessions() as session, session.begin():
            await add_error_event(session, kind, place, self._clock())


async def _settle_group_language(
    session: AsyncSession, prefs: ChatPrefs, kind: str, personal: str | None
) -> ChatPrefs:
    """A group without a language takes that of the first person the bot hears in it.

    A group keeps one language whoever writes (its admins change it with /lang); answering
    each member in their own would switch the group's language from message to message.
    """
    if prefs.language is not None or personal is None or kind == PRIVATE_CHAT:
        return prefs
    await set_chat_language(session, prefs.chat_id, personal)
    return replace(prefs, language=personal)
