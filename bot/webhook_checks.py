"""What the webhook checks after an update has been decoded, and how often it complains.

A body that is not JSON, or that PTB cannot turn into an Update, is answered 400: that is
not Telegram talking. A body that decodes but cannot be handled (an ``update_id`` that is
not a number, a message without a chat) is acknowledged and dropped with one log line:
answering an error would only make Telegram send it again, and again.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime

from telegram import CallbackQuery, Chat, InlineQuery, Message, Update, User

# Every field of an update that holds a message (the kinds PTB knows today).
_MESSAGE_KINDS = tuple(
    kind for kind in Update.ALL_TYPES if kind.endswith(("message", "channel_post"))
)


def _is_int(value: object) -> bool:
    # bool is an int to Python, not to Telegram.
    return isinstance(value, int) and not isinstance(value, bool)


def _message_problem(kind: str, message: object) -> str | None:
    if not isinstance(message, Message):
        return f"{kind} is not a message"
    if not isinstance(message.chat, Chat) or not _is_int(message.chat.id):
        return f"{kind} has no chat"
    if not _is_int(message.message_id):
        return f"{kind} has no message_id"
    if not isinstance(message.date, datetime):
        return f"{kind} has no date"
    return None


def update_problem(update: Update) -> str | None:
    """Why a decoded update cannot be handled, in a few words; None when it can."""
    if not _is_int(update.update_id):
        return "update_id is not a whole number"
    for kind in _MESSAGE_KINDS:
        value = getattr(update, kind, None)
        if value is not None and (problem := _message_problem(kind, value)):
            return problem
    for kind in ("callback_query", "inline_query"):
        value = getattr(update, kind, None)
        if isinstance(value, CallbackQuery | InlineQuery) and not isinstance(value.from_user, User):
            return f"{kind} has no sender"
    user = update.effective_user
    if user is not None and not _is_int(user.id):
        return "the sender's id is not a whole number"
    return None


class LogBudget:
    """At most one log line per ``interval`` seconds for one kind of event.

    ``allow()`` says whether to log now and how many events went unlogged since the last
    line, so a flood of refused requests costs one line a minute, not one line each.
    """

    def __init__(self, interval: float = 60.0, clock: Callable[[], float] = time.monotonic):
        self.interval = interval
        self.clock = clock
        self._next = float("-inf")
        self._quiet = 0

    def allow(self) -> tuple[bool, int]:
        """(log this one?, events left unlogged since the last line)."""
        now = self.clock()
        if now < self._next:
            self._quiet += 1
            return False, self._quiet
        quiet, self._quiet = self._quiet, 0
        self._next = now + self.interval
        return True, quiet
