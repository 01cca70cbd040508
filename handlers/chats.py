"""Before every update: the chat's preferences (kept in memory) and the language to answer in."""

from __future__ import annotations

from dataclasses import replace

from telegram import Update

from handlers.context import BotContext
from locales import supported_language, use_language
from storage.chats import add_chat_if_missing, set_chat_unreachable


async def on_any_update(update: Update, context: BotContext) -> None:
    """Load the chat's preferences (from memory when fresh), note that it is reachable, and
    pick the language: the chat's choice, else the person's Telegram language, else the default.
    """
    chat, user = update.effective_chat, update.effective_user
    language: str | None = None
    if chat is not None and context.chat_data is not None:
        prefs = context.chat_data.fresh(context.bot_data.prefs_ttl)
        if prefs is None:
            async with context.bot_data.sessions() as session, session.begin():
                prefs = await add_chat_if_missing(session, chat.id, chat.type)
                # A chat marked unreachable that writes again has unblocked the bot.
                if prefs.unreachable_since is not None:
                    await set_chat_unreachable(session, chat.id, None)
                    prefs = replace(prefs, unreachable_since=None)
            context.chat_data.remember(prefs)
        language = prefs.language
    use_language(
        language
        or supported_language(user.language_code if user else None)
        or context.bot_data.default_language
    )
