"""The one error handler: log with context, record the failure, mark unreachable chats,
apologise."""

from __future__ import annotations

import logging
import re
from collections.abc import Collection

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import CommandHandler

from handlers.context import BotContext, Services
from handlers.outcome import mark_error
from handlers.unreachable import is_unreachable
from locales import _
from views.telegram_html import escape

log = logging.getLogger(__name__)

# A command as Telegram delimits one: "/" and up to 32 letters, digits or "_".
_COMMAND = re.compile(r"/([A-Za-z0-9_]{1,32})(?:@[A-Za-z0-9_]+)?(?:\s|$)")
# The prefix of our callback data ("chart" of "chart:KZT:30d").
_BUTTON = re.compile(r"([a-z]{1,16}):")


def _describe(update: object) -> str:
    """Where a failure happened, for the log: update id, chat, user and the command or kind.

    What the person wrote is personal: it is added only when the log is at DEBUG.
    """
    if not isinstance(update, Update):
        return repr(update)[:200]
    parts = [f"update {update.update_id}"]
    if update.effective_chat:
        parts.append(f"chat {update.effective_chat.id} ({update.effective_chat.type})")
    if update.effective_user:
        parts.append(f"user {update.effective_user.id}")
    parts.append(error_place(update))
    if log.isEnabledFor(logging.DEBUG):
        if update.callback_query:
            parts.append(f"data {update.callback_query.data!r}")
        elif update.inline_query:
            parts.append(f"query {update.inline_query.query[:80]!r}")
        elif update.effective_message and update.effective_message.text:
            parts.append(f"text {update.effective_message.text[:80]!r}")
    return ", ".join(parts)


def error_place(update: object, commands: Collection[str] | None = None) -> str:
    """Where a failure happened, as a label to count by; never what a person wrote.

    A command (``/rates``; only one of ``commands`` when given, else ``command``), a
    button's prefix (``button:chart``), the update's kind (``inline_query``), or
    ``background`` for a failure outside any update.
    """
    if not isinstance(update, Update):
        return "background"
    query = update.callback_query
    if query is not None:
        match = _BUTTON.match(query.data or "")
        return f"button:{match.group(1)}" if match else "callback_query"
    message = update.effective_message
    match = _COMMAND.match(message.text or "") if message is not None else None
    if match is not None:
        name = match.group(1).lower()
        return f"/{name}" if commands is None or name in commands else "command"
    for kind in Update.ALL_TYPES:
        if getattr(update, kind, None) is not None:
            return str(kind)
    return "update"


def error_labels(
    update: object, error: BaseException | None, commands: Collection[str] | None = None
) -> tuple[str, str]:
    """``(kind, place)`` of a failure: the exception's class and ``error_place``.

    The bot's update logger counts failures by these labels; ``on_error`` stores them.
    """
    kind = type(error).__name__ if error is not None else "UnknownError"
    return kind, error_place(update, commands)


def _known_commands(context: BotContext) -> set[str]:
    # The registered commands: a made-up one ("/x1y2z3") must not become a label of its own.
    return {
        command
        for group in context.application.handlers.values()
        for handler in group
        if isinstance(handler, CommandHandler)
        for command in handler.commands
    }


async def record_failure(services: Services, kind: str, place: str) -> None:
    """Store one failure for /stats in a short transaction of its own.

    Called from the error handler and by the bot for its background jobs. A failure to
    store it (the database may be what failed) is logged, never raised.
    """
    try:
        await services.chats.record_error(kind, place)
    except Exception as exc:  # whatever broke (the store, no service yet), the caller carries on
        log.warning("could not record the failure %s in %s: %r", kind, place, exc)


async def on_error(update: object, context: BotContext) -> None:
    """Log the failure with its context, record it for /stats, then apologise to the person."""
    error = context.error
    mark_error(error)  # the update's log line and metrics say it failed, and how
    where = _describe(update)
    chat = update.effective_chat if isinstance(update, Update) else None
    if is_unreachable(error) and chat is not None:
        log.warning("cannot write to %s: %s; marking the chat unreachable", where, error)
        await context.bot_data.chats.mark_unreachable(context.chat_data, chat.id)
        return
    log.error("failed to handle %s", where, exc_info=error)
    kind, place = error_labels(update, error, _known_commands(context))
    await record_failure(context.bot_data, kind, place)
    if chat is not None:
        await apologise(context, chat.id)


async def apologise(context: BotContext, chat_id: int) -> None:
    """Tell the person something failed on our side; a failure to say so is only logged."""
    try:
        await context.bot.send_message(
            chat_id, escape(_("Sorry, something went wrong on my side. Please try again."))
        )
    except TelegramError as exc:
        log.warning("could not apologise in chat %s: %s", chat_id, exc)
