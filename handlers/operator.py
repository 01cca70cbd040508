"""Operator commands, for the ADMIN_IDS only: /stats (what the store holds, how fresh the rates are,
what failed) and /fetch (a fetch pass now).

Only ADMIN_IDS may use them, and only in private chats: /stats shows counts a group's
members have no business seeing. ``bot.app`` registers them with a user filter, so anyone
else (and an admin in a group) falls through to the unknown-command answer; the handlers
check again, so a registration without the filter still gives nothing away.
"""

from __future__ import annotations

from datetime import timedelta

from telegram import Update
from telegram.constants import ChatAction, ChatType

from handlers.context import BotContext, chat_zone
from handlers.reply import command_args, reply_html
from handlers.start import on_unknown_command
from locales import _
from views.operator import render_fetch, render_stats
from views.telegram_html import escape

ERRORS_WINDOW = timedelta(hours=24)
# Sources and languages listed by name; the rest are counted in one line.
TOP_GROUPS = 10


def is_admin(update: Update, context: BotContext) -> bool:
    """Whether the update comes from an admin in a private chat."""
    user, chat = update.effective_user, update.effective_chat
    return (
        user is not None
        and user.id in context.bot_data.admin_ids
        and chat is not None
        and chat.type == ChatType.PRIVATE
    )


async def _refused(update: Update, context: BotContext) -> bool:
    """Answer as to an unknown command unless an admin asks; True when refused."""
    if is_admin(update, context):
        return False
    chat = update.effective_chat
    if chat is not None and chat.type == ChatType.PRIVATE:
        await on_unknown_command(update, context)
    return True


async def _bad_args(update: Update, context: BotContext, command: str) -> bool:
    """Answer with the usage line when the command got words after it; True when it did."""
    message = update.effective_message
    if not command_args(message.text if message else None):
        return False
    usage = _("{command} takes no arguments: send just {command}.").format(command=command)
    await reply_html(update, context, escape(usage))
    return True


async def cmd_stats(update: Update, context: BotContext) -> None:
    """Show the counts of chats, digests and stories, the rates' dates and recent failures."""
    if await _refused(update, context) or await _bad_args(update, context, "/stats"):
        return
    services = context.bot_data
    stats = await services.stats.read(ERRORS_WINDOW, TOP_GROUPS)
    await reply_html(update, context, render_stats(stats, services.today(chat_zone(context))))


async def cmd_fetch(update: Update, context: BotContext) -> None:
    """Fetch every source now and report a line per source."""
    if await _refused(update, context) or await _bad_args(update, context, "/fetch"):
        return
    fetch_now = context.bot_data.fetch_now
    if fetch_now is None:
        text = _("This bot runs without live sources (FETCH_SOURCES=false): nothing to fetch.")
        await reply_html(update, context, escape(text))
        return
    chat = update.effective_chat
    if chat is not None:
        # A pass takes seconds to a minute: show that the bot is on it.
        await context.bot.send_chat_action(chat.id, ChatAction.TYPING)
    await reply_html(update, context, render_fetch(await fetch_now()))
