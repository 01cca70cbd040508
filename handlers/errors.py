"""The one error handler: log with context, mark unreachable chats, apologise."""

from __future__ import annotations

import logging
from dataclasses import replace

from telegram import Update
from telegram.error import BadRequest, Forbidden, TelegramError

from core.telegram_text import escape
from handlers.context import BotContext
from locales import _
from storage.chats import set_chat_unreachable
from storage.models import utc_now

log = logging.getLogger(__name__)


def _describe(update: object) -> str:
    """Where a failure happened, for the log: update id, chat, user and what was sent."""
    if not isinstance(update, Update):
        return repr(update)[:200]
    parts = [f"update {update.update_id}"]
    if update.effective_chat:
        parts.append(f"chat {update.effective_chat.id} ({update.effective_chat.type})")
    if update.effective_user:
        parts.append(f"user {update.effective_user.id}")
    if update.callback_query:
        parts.append(f"button {update.callback_query.data!r}")
    elif update.inline_query:
        parts.append(f"inline {update.inline_query.query[:80]!r}")
    elif update.effective_message and update.effective_message.text:
        parts.append(f"text {update.effective_message.text[:80]!r}")
    return ", ".join(parts)


def is_unreachable(error: BaseException | None) -> bool:
    """Whether Telegram said the chat cannot be written to (blocked, kicked, gone)."""
    if isinstance(error, Forbidden):
        return True
    return isinstance(error, BadRequest) and "chat not found" in error.message.lower()


async def _mark_unreachable(context: BotContext, chat_id: int) -> None:
    async with context.bot_data.sessions() as session, session.begin():
        await set_chat_unreachable(session, chat_id, utc_now())
    if context.chat_data is not None and context.chat_data.prefs is not None:
        context.chat_data.prefs = replace(context.chat_data.prefs, unreachable_since=utc_now())


async def on_error(update: object, context: BotContext) -> None:
    """Log the failure with its context, then answer the person with a short apology."""
    error = context.error
    where = _describe(update)
    chat = update.effective_chat if isinstance(update, Update) else None
    if is_unreachable(error) and chat is not None:
        log.warning("cannot write to %s: %s; marking the chat unreachable", where, error)
        await _mark_unreachable(context, chat.id)
        return
    log.error("failed to handle %s", where, exc_info=error)
    if chat is None:
        return
    try:
        await context.bot.send_message(
            chat.id, escape(_("Sorry, something went wrong on my side. Please try again."))
        )
    except TelegramError as exc:
        log.warning("could not apologise in chat %s: %s", chat.id, exc)
