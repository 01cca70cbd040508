"""Before every update: the chat's preferences (kept in memory) and the language to answer in."""

from __future__ import annotations

import logging
from typing import NoReturn

from telegram import Update
from telegram.ext import ApplicationHandlerStop

from handlers.context import BotContext, ChatState
from handlers.errors import apologise, error_labels, record_failure
from handlers.outcome import mark_error
from locales import supported_language, use_language

log = logging.getLogger(__name__)


async def on_any_update(update: Update, context: BotContext) -> None:
    """Load the chat's preferences (from memory when fresh), note that it is reachable, and
    pick the language: the chat's choice, else the person's Telegram language, else the default.

    When the preferences cannot be read or written (the store is down, or stays locked
    through the retries), no other handler runs for this update: each would fail in turn
    or answer in the wrong language. The person gets one apology.
    """
    chat, user = update.effective_chat, update.effective_user
    personal = supported_language(user.language_code if user else None)
    language: str | None = None
    chats = context.bot_data.chats
    if chat is not None and context.chat_data is not None:
        try:
            prefs = await chats.prefs(context.chat_data, chat.id, chat.type, personal)
        except Exception as exc:  # whatever failed, the update stops here, once
            use_language(personal or context.bot_data.default_language)
            await _stop_with_apology(update, context, exc)
        language = prefs.language
    elif user is not None:
        # Inline queries, such as the "Other amount" button's, come with no chat: the
        # person's own choice with the bot beats their Telegram language there too.
        own = context.application.chat_data.get(user.id)
        language = await chats.own_language(own if isinstance(own, ChatState) else None, user.id)
    use_language(language or personal or context.bot_data.default_language)


async def _stop_with_apology(update: Update, context: BotContext, exc: Exception) -> NoReturn:
    mark_error(exc)  # the update's log line and metrics say it failed, and how
    log.error("cannot load the preferences of chat %s", update.effective_chat, exc_info=exc)
    kind, place = error_labels(update, exc)
    await record_failure(context.bot_data, kind, place)
    if update.effective_chat is not None:
        await apologise(context, update.effective_chat.id)
    raise ApplicationHandlerStop
