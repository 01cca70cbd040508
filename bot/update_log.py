"""One structured log line and the metrics of every update the bot handles.

Each update is timed from the moment PTB hands it to ``process_update`` (after any wait in
the queue) until every handler is done, then written as one JSON line at INFO on the
``newsbot.updates`` logger::

    {"update_id": 7, "kind": "message", "chat_id": 1001, "user_id": 1001,
     "command": "/rates", "latency_ms": 12.4, "outcome": "ok", "error": null}

The line holds ids, the command word, the kinds of update and error, and numbers only -
never a message text, callback data, an inline query, the token or the webhook secret -
so it cannot leak them even if redaction (``bot.logsafe``) had missed one. The command
word is ``[a-z0-9_]``, which can hold neither a token (it has a ":") nor a sentence.
``newsbot run`` prints it through the root handler the CLI sets up at LOG_LEVEL (INFO by
default); LOG_LEVEL=WARNING silences it.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from typing import TYPE_CHECKING, Any

from telegram import Update
from telegram.ext import Application, CallbackContext, CommandHandler, ContextTypes, ExtBot

from bot.chat_memory import RecentChats
from bot.metrics import ERRORS, SEARCH_SECONDS, UPDATE_SECONDS, UPDATES, labelled
from handlers.context import BotContext, ChatState, Services
from handlers.errors import error_place
from handlers.outcome import CANCELLED, ERROR, close_record, command_of, mark_error, open_record

if TYPE_CHECKING:
    from bot.limits import SharedLimits
    from services.story_index import StoryIndex

log = logging.getLogger("newsbot.updates")

# Update fields in Telegram's order; the first one set names the update's kind.
_KINDS = tuple(Update.ALL_TYPES)


def update_kind(update: Update) -> str:
    """The kind of update: "message", "callback_query", "inline_query", ..."""
    for kind in _KINDS:
        if getattr(update, kind, None) is not None:
            return kind
    return "unknown"


class UpdateLoggingApplication(
    Application[ExtBot[None], BotContext, dict[Any, Any], ChatState, Services, None]
):
    """The bot's Application: handles each update as PTB does, then logs and counts it, and
    keeps the per-chat state of the most recent chats only (``bot.chat_memory``)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.recent_chats = RecentChats()

    # The limits shared with the bot's other processes (bot.limits), once the store is open.
    limits: SharedLimits | None = None

    async def process_update(self, update: object) -> None:
        """Handle ``update``, then write its log line and update the metrics."""
        if not isinstance(update, Update):
            await super().process_update(update)  # an error PTB passes along: not an update
            return
        self._forget_quiet_chats(update)
        record, token = open_record()
        started = time.perf_counter()
        try:
            await super().process_update(update)
        except asyncio.CancelledError:
            record.outcome = CANCELLED
            raise
        except Exception as exc:  # PTB hands handler errors to on_error; this is PTB's own
            mark_error(exc)
            raise
        finally:
            close_record(token)
            seconds = time.perf_counter() - started
            kind, command = update_kind(update), command_of(update)
            labelled(UPDATES, kind, record.outcome).inc()
            labelled(UPDATE_SECONDS, kind).observe(seconds)
            if record.outcome == ERROR:
                place = error_place(update, self._commands())
                ERRORS.labels(kind=record.error_kind or "UnknownError", place=place).inc()
            if log.isEnabledFor(logging.INFO):
                line = {
                    "update_id": update.update_id,
                    "kind": kind,
                    "chat_id": update.effective_chat.id if update.effective_chat else None,
                    "user_id": update.effective_user.id if update.effective_user else None,
                    "command": command,
                    "latency_ms": round(seconds * 1000, 1),
                    "outcome": record.outcome,
                    "error": record.error_kind,
                }
                log.info("%s", json.dumps(line, ensure_ascii=False))

    def _forget_quiet_chats(self, update: Update) -> None:
        """Note the update's chat as recent; drop the state of chats pushed out by it.

        Noted before handling, so a chat whose update is in progress is among the most
        recent and never the one dropped. The tables are PTB's own: ``drop_chat_data``
        would also queue each id for a persistence we do not use, without end.
        """
        chat = update.effective_chat or update.effective_user
        if chat is None:
            return
        for gone in self.recent_chats.touch(chat.id):
            self._chat_data.pop(gone, None)
            self._user_data.pop(gone, None)

    def _mark_for_persistence_update(
        self, *, update: object | None = None, job: Any | None = None
    ) -> None:
        # Without a persistence PTB would still collect every chat and user id it has ever
        # seen "to be saved", and never empty the sets.
        if self.persistence is not None:
            super()._mark_for_persistence_update(update=update, job=job)

    def _commands(self) -> set[str]:
        """The registered commands: a made-up one must not become a metric label of its own
        (each spelling would make a new time series)."""
        return {
            command
            for handlers in self.handlers.values()
            for handler in handlers
            if isinstance(handler, CommandHandler)
            for command in handler.commands
        }


class MeasuredServices(Services):
    """The bot's services, with every story search timed into ``SEARCH_SECONDS``."""

    @property
    def index(self) -> StoryIndex:
        """The story index (see ``Services.index``), reporting each search's duration."""
        index = super().index
        if index.observe is None:
            index.observe = SEARCH_SECONDS.observe
        return index


MEASURED_CONTEXT_TYPES = ContextTypes(
    context=CallbackContext, bot_data=MeasuredServices, chat_data=ChatState, user_data=dict
)
