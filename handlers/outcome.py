"""What became of the update being handled: its outcome and, on failure, the error's kind.

The bot layer (``bot.update_log``) opens a record for each update, runs the handlers and
then logs and counts what the record says. Handlers mark it through this module, so they
need not know about logging or metrics: ``on_error`` marks "error", the flood guard
"throttled" or "ignored", the unknown-command handler "unknown_command".

The record is a mutable object held in a ``ContextVar``: a handler that PTB runs in a task
of its own (``block=False``) gets a copy of the context, but the copy points at the same
record, so its marks still reach the update's log line.
"""

from __future__ import annotations

import re
from contextvars import ContextVar, Token
from dataclasses import dataclass
from typing import Final

from telegram import MessageEntity, Update

OK: Final = "ok"
ERROR: Final = "error"
THROTTLED: Final = "throttled"  # the update that ran a chat dry: it got the slow-down note
IGNORED: Final = "ignored"  # dropped unanswered while its chat is paused
UNKNOWN_COMMAND: Final = "unknown_command"
CANCELLED: Final = "cancelled"  # the bot stopped while handling it

# A command as Telegram marks it: "/" and up to 32 letters, digits or "_", then an optional
# "@botname". Nothing after it (the arguments) is ever kept.
_COMMAND = re.compile(r"/([A-Za-z0-9_]{1,32})(?:@[A-Za-z0-9_]{1,64})?(?=\s|$)")


@dataclass
class UpdateRecord:
    """The outcome of one update so far."""

    outcome: str = OK
    error_kind: str | None = None


_current: ContextVar[UpdateRecord | None] = ContextVar("newsbot_update_record", default=None)


def open_record() -> tuple[UpdateRecord, Token[UpdateRecord | None]]:
    """Start the record of a new update; pass the token to ``close_record`` when done."""
    record = UpdateRecord()
    return record, _current.set(record)


def close_record(token: Token[UpdateRecord | None]) -> None:
    """Stop marking the record opened with ``token``."""
    _current.reset(token)


def mark(outcome: str) -> None:
    """Set the outcome of the update being handled (no-op outside one, as in a job)."""
    record = _current.get()
    if record is not None:
        record.outcome = outcome


def mark_error(error: BaseException | None) -> None:
    """Mark the update being handled as failed with ``error`` (its class name is kept)."""
    record = _current.get()
    if record is not None:
        record.outcome = ERROR
        record.error_kind = type(error).__name__ if error is not None else None


def command_of(update: Update) -> str | None:
    """The command word a message starts with, lower case and without its arguments or
    "@botname" ("/rates"); None for free text, buttons, inline queries and the rest."""
    message = update.message or update.edited_message
    if message is None or not message.text or not message.entities:
        return None
    first = message.entities[0]
    if first.type != MessageEntity.BOT_COMMAND or first.offset != 0:
        return None
    found = _COMMAND.match(message.text)
    return f"/{found.group(1).lower()}" if found else None
