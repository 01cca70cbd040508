"""/subscribe and /unsubscribe: start, change and stop the chat's daily digest."""

from __future__ import annotations

from telegram import Update

from core.schedule_words import BadSubscribeWords, parse_subscribe_words
from handlers.context import BotContext, chat_zone
from handlers.permissions import may_change
from handlers.reply import command_args, reply_html
from locales import _, current_language
from views.subscription import subscribed_html
from views.telegram_html import escape


def chat_zone_name(context: BotContext) -> str:
    """The name of the chat's time zone as stored, or the operator's default."""
    prefs = context.chat_data.prefs if context.chat_data else None
    return (prefs.timezone if prefs else None) or context.bot_data.default_timezone


def subscribe_usage() -> str:
    """How to write /subscribe, with an example."""
    return _(
        "Write the countries and a time of day, both optional, e.g. "
        "/subscribe Kazakhstan uz 08:30. Without them: all five countries at 09:00."
    )


def bad_words_problem(error: BadSubscribeWords) -> str:
    """What is wrong with the countries and time given to /subscribe or /settings."""
    if error.outside:
        problem = _(
            "“{word}” is not in Central Asia: the digest follows Kazakhstan, Kyrgyzstan, "
            "Uzbekistan, Tajikistan and Turkmenistan."
        ).format(word=error.word)
    elif error.word:
        problem = _("“{word}” is neither a country of Central Asia nor a time of day.").format(
            word=error.word
        )
    else:
        problem = _("That is more than one time of day and five countries.")
    return problem


def _bad_words_text(error: BadSubscribeWords) -> str:
    return f"{bad_words_problem(error)}\n{subscribe_usage()}"


async def refuse_in_group(update: Update, context: BotContext) -> bool:
    """Answer a group member who is not an administrator; True when refused."""
    if await may_change(update, context):
        return False
    await reply_html(update, context, escape(_("Only the group's administrators can change this.")))
    return True


async def cmd_subscribe(update: Update, context: BotContext) -> None:
    """Start or change the daily digest: countries and a time of day, both optional."""
    chat, message = update.effective_chat, update.effective_message
    if chat is None or message is None:
        return
    try:
        words = parse_subscribe_words(command_args(message.text))
    except BadSubscribeWords as error:
        await reply_html(update, context, escape(_bad_words_text(error)))
        return
    if await refuse_in_group(update, context):
        return
    zone = chat_zone(context)
    done = await context.bot_data.subscriptions.subscribe(
        context.chat_data,
        chat.id,
        zone,
        current_language(),
        local_time=words.local_time,
        countries=words.countries,
    )
    html = subscribed_html(
        done.subscription,
        chat_zone_name(context),
        zone,
        done.now,
        done.delivered_today,
        was_active=done.was_active,
    )
    await reply_html(update, context, html)


async def cmd_unsubscribe(update: Update, context: BotContext) -> None:
    """Stop the daily digest, keeping its time and countries for a later /subscribe."""
    chat = update.effective_chat
    if chat is None or await refuse_in_group(update, context):
        return
    stopped = await context.bot_data.subscriptions.unsubscribe(chat.id)
    text = (
        _("The daily digest is stopped. /subscribe starts it again with the same settings.")
        if stopped
        else _("This chat gets no daily digest. /subscribe starts one.")
    )
    await reply_html(update, context, escape(text))
