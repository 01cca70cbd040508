"""Typed callback context: the services on ``bot_data`` and the per-chat state.

PTB creates ``Services`` and ``ChatState`` with no arguments (see ``ContextTypes``);
the bot fills ``Services`` in ``post_init`` once the store is open.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, tzinfo
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram.ext import CallbackContext, ContextTypes, ExtBot

from core.schedule_words import zone_from_name
from services.alerts import ChatAlerts
from services.chats import ChatMemory, ChatService
from services.fetch_report import FetchNow
from services.rates import Rates
from services.stats import Stats
from services.stories import Stories
from services.subscriptions import SubscriptionService
from services.topics import ChatTopics

if TYPE_CHECKING:
    from services.story_index import StoryIndex


class ServicesNotStarted(RuntimeError):
    """A handler ran before ``post_init`` opened the store."""


class Services:
    """Long-lived services every handler uses, built once per Application."""

    # Built in post_init (bot.app) once the store is open.
    chats: ChatService
    subscriptions: SubscriptionService
    rates: Rates
    stories: Stories
    stats: Stats
    alerts: ChatAlerts
    topics: ChatTopics

    def __init__(self) -> None:
        self._sessions: async_sessionmaker[AsyncSession] | None = None
        self._index: StoryIndex | None = None
        self.default_language = "en"
        self.default_timezone = "UTC"
        # Injected so tests can pin "today" (stale rates, chart ranges).
        self.clock: Callable[[], datetime] = lambda: datetime.now(UTC)
        # ADMIN_IDS: who may use /stats and /fetch (nobody when empty).
        self.admin_ids: frozenset[int] = frozenset()
        # One fetch pass now, for /fetch; None when the bot runs without live sources.
        self.fetch_now: FetchNow | None = None

    def start(
        self,
        sessions: async_sessionmaker[AsyncSession],
        index: StoryIndex | None = None,
        *,
        default_language: str,
        default_timezone: str,
    ) -> None:
        """Attach the open store, and the search index (built on first use when None)."""
        self._sessions = sessions
        self._index = index
        self.default_language = default_language
        self.default_timezone = default_timezone

    def stop(self) -> None:
        """Forget the store (its engine is disposed of by whoever opened it)."""
        self._sessions = None
        self._index = None

    @property
    def sessions(self) -> async_sessionmaker[AsyncSession]:
        """The session factory of the open store."""
        if self._sessions is None:
            raise ServicesNotStarted("the store is not open: post_init has not run")
        return self._sessions

    @property
    def index(self) -> StoryIndex:
        """Search over the stored stories, made on first use.

        The search engine (and numpy under it) is imported here rather than at start-up:
        ``newsbot run`` starts polling first and warms the index in the background.
        """
        if self._index is None:
            from services.story_index import StoryIndex

            self._index = StoryIndex(self.sessions)
        return self._index

    def today(self, zone: tzinfo) -> date:
        """Today's date in ``zone``."""
        return self.clock().astimezone(zone).date()


class ChatState(ChatMemory):
    """PTB's ``chat_data``: the chat's preferences kept in memory (``services.chats``)."""


BotContext = CallbackContext[ExtBot[None], dict[Any, Any], ChatState, Services]
CONTEXT_TYPES = ContextTypes(
    context=CallbackContext, bot_data=Services, chat_data=ChatState, user_data=dict
)


def chat_zone(context: BotContext) -> tzinfo:
    """The time zone dates are shown in for this chat (an IANA zone or a fixed offset)."""
    prefs = context.chat_data.prefs if context.chat_data else None
    name = (prefs.timezone if prefs else None) or context.bot_data.default_timezone
    return zone_from_name(name) or ZoneInfo(context.bot_data.default_timezone)
