"""/lang and /settings: the chat's language and time zone, chosen with buttons."""

from __future__ import annotations

from dataclasses import replace

from telegram import ChatMember, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ChatType

from core.telegram_text import escape
from handlers.context import BotContext, chat_zone
from handlers.reply import button, edit_html, keyboard, pressed_button, reply_html
from locales import LANGUAGES, NATIVE_NAMES, _, current_language, use_language
from storage.chats import set_chat_language, set_chat_timezone

# The zones people in the region live in, west to east, and two common references.
TIMEZONES = (
    "Europe/Moscow",
    "Asia/Ashgabat",
    "Asia/Aqtobe",
    "Asia/Tashkent",
    "Asia/Dushanbe",
    "Asia/Almaty",
    "Asia/Bishkek",
    "UTC",
)


def _languages_markup() -> InlineKeyboardMarkup | None:
    buttons = [button(NATIVE_NAMES[code], f"lang:{code}") for code in LANGUAGES]
    return keyboard(buttons[:4], buttons[4:])


def _timezones_markup() -> InlineKeyboardMarkup | None:
    buttons = [button(zone, f"tz:{zone}") for zone in TIMEZONES]
    return keyboard(*(buttons[i : i + 2] for i in range(0, len(buttons), 2)))


def _settings_html(context: BotContext) -> tuple[str, InlineKeyboardMarkup | None]:
    lines = [
        f"<b>{escape(_('Settings of this chat'))}</b>",
        escape(_("Language: {language}").format(language=NATIVE_NAMES[current_language()])),
        escape(_("Time zone: {zone}").format(zone=chat_zone(context).key)),
    ]
    row: list[InlineKeyboardButton] = [
        button(_("Change language"), "set:lang"),
        button(_("Change time zone"), "set:tz"),
    ]
    return "\n".join(lines), keyboard(row)


async def _may_change(update: Update, context: BotContext) -> bool:
    """In groups only administrators change the chat's settings; anyone in private."""
    chat, user = update.effective_chat, update.effective_user
    if chat is None or user is None:
        return False
    if chat.type == ChatType.PRIVATE:
        return True
    member = await context.bot.get_chat_member(chat.id, user.id)
    return member.status in (ChatMember.ADMINISTRATOR, ChatMember.OWNER)


async def cmd_lang(update: Update, context: BotContext) -> None:
    """Offer the seven languages, each named in itself."""
    await reply_html(update, context, escape(_("Choose a language:")), _languages_markup())


async def cmd_settings(update: Update, context: BotContext) -> None:
    """Show the chat's language and time zone with buttons to change them."""
    html, markup = _settings_html(context)
    await reply_html(update, context, html, markup)


async def on_settings_button(update: Update, context: BotContext) -> None:
    """Open the language or time-zone choice from /settings."""
    fields = await pressed_button(update)
    if fields is None:
        return
    if fields[1] == "lang":
        await edit_html(update, escape(_("Choose a language:")), _languages_markup())
    else:
        await edit_html(update, escape(_("Choose a time zone:")), _timezones_markup())


async def on_choice_button(update: Update, context: BotContext) -> None:
    """Store the language or time zone picked from a keyboard, then show the settings."""
    query = update.callback_query
    chat = update.effective_chat
    if query is None or query.data is None or chat is None or context.chat_data is None:
        return
    if not await _may_change(update, context):
        await query.answer(_("Only the group's administrators can change this."), show_alert=True)
        return
    kind, _sep, value = query.data.partition(":")
    if (kind == "lang" and value not in LANGUAGES) or (kind == "tz" and value not in TIMEZONES):
        await query.answer(_("This choice is not available any more."), show_alert=True)
        return
    async with context.bot_data.sessions() as session, session.begin():
        if kind == "lang":
            await set_chat_language(session, chat.id, value)
        else:
            await set_chat_timezone(session, chat.id, value)
    prefs = context.chat_data.prefs
    if prefs is not None:  # write-through: the next update in this chat sees the choice
        context.chat_data.remember(
            replace(prefs, language=value) if kind == "lang" else replace(prefs, timezone=value)
        )
    if kind == "lang":
        use_language(value)
    await query.answer(_("Saved."))
    html, markup = _settings_html(context)
    await edit_html(update, html, markup)
