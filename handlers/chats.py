"""Before every update: the chat's preferences (kept in memory) and the language to answer in."""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import NoReturn

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Chat, Update
from telegram.constants import ChatType
from telegram.ext import ApplicationHandlerStop

from handlers.context import BotContext, ChatState
from handlers.errors import apologise, error_labels, record_failure
from handlers.outcome import mark_error
from locales import supported_language, use_language
from storage.chats import (
    ChatPrefs,
    add_chat_if_missing,
    get_chat,
    set_chat_language,
    set_chat_unreachable,
)
from storage.database import retry_when_busy

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
    if chat is not None and context.chat_data is not None:
        prefs = context.chat_data.fresh(context.bot_data.prefs_ttl)
        if prefs is None:
            try:
                prefs = await retry_when_busy(lambda: _load_prefs(context, chat, personal))
            except Exception as exc:  # whatever failed, the update stops here, once
                use_language(personal or context.bot_data.default_language)
                await _stop_with_apology(update, context, exc)
            context.chat_data.remember(prefs)
        language = prefs.language
    elif user is not None:
        language = await _own_chat_language(context, user.id)
    use_language(language or personal or context.bot_data.default_language)


async def _own_chat_language(context: BotContext, user_id: int) -> str | None:
    """The language a person chose in their private chat with the bot (same id as theirs).

    Inline queries, such as the "Other amount" button's, come with no chat: the person's own
    choice with the bot beats their Telegram language there too.
    """
    own = context.application.chat_data.get(user_id)
    prefs = own.fresh(context.bot_data.prefs_ttl) if isinstance(own, ChatState) else None
    if prefs is None:
        async with context.bot_data.sessions() as session:
            prefs = await get_chat(session, user_id)
    return prefs.language if prefs is not None else None


async def _load_prefs(context: BotContext, chat: Chat, personal: str | None) -> ChatPrefs:
    """One transaction: add the chat if new, note it reachable, settle a group's language."""
    async with context.bot_data.sessions() as session, session.begin():
        prefs = await add_chat_if_missing(session, chat.id, chat.type)
        # A chat marked unreachable that writes again has unblocked the bot.
        if prefs.unreachable_since is not None:
            await set_chat_unreachable(session, chat.id, None)
            prefs = replace(prefs, unreachable_since=None)
        return await _settle_group_language(session, prefs, chat.type, personal)


async def _stop_with_apology(update: Update, context: BotContext, exc: Exception) -> NoReturn:
    mark_error(exc)  # the update's log line and metrics say it failed, and how
    log.error("cannot load the preferences of chat %s", update.effective_chat, exc_info=exc)
    kind, place = error_labels(update, exc)
    await record_failure(context.bot_data, kind, place)
    if update.effective_chat is not None:
        await apologise(context, update.effective_chat.id)
    raise ApplicationHandlerStop


async def _settle_group_language(
    session: AsyncSession, prefs: ChatPrefs, chat_type: str, personal: str | None
) -> ChatPrefs:
    """A group without a language takes that of the first person the bot hears in it.

    A group keeps one language whoever writes (its admins change it with /lang); answering
    each member in their own would switch the group's language from message to message.
    """
    if prefs.language is not None or personal is None or chat_type == ChatType.PRIVATE:
        return prefs
    await set_chat_language(session, prefs.chat_id, personal)
    return replace(prefs, language=personal)
