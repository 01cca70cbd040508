"""/follow, /following, /unfollow and the buttons under topic notices."""

from __future__ import annotations

from telegram import Update

from handlers.context import BotContext
from handlers.news import answer_question
from handlers.reply import command_args, pressed_button, reply_html
from handlers.subscribe import refuse_in_group
from locales import _, current_language
from services.topics import FollowProblem
from views.callbacks import MORE_LIKE, UNFOLLOW
from views.follow import (
    render_follow_problem,
    render_followed,
    render_following,
    render_unfollowed,
    unfollow_usage,
)
from views.telegram_html import escape

# Stories a "more like this" press shows (the story itself is left out).
MORE_LIKE_THIS = 5
_MAX_NUMBER_CHARS = 3


async def cmd_follow(update: Update, context: BotContext) -> None:
    """Follow a topic: new stories about it come to the chat as they are stored."""
    chat, message = update.effective_chat, update.effective_message
    if chat is None or message is None or await refuse_in_group(update, context):
        return
    words = command_args(message.text)
    try:
        result = await context.bot_data.topics.follow(
            chat.id, words, context.chat_data, current_language()
        )
    except FollowProblem as problem:
        await reply_html(update, context, render_follow_problem(problem, words))
        return
    await reply_html(update, context, render_followed(result))


async def cmd_following(update: Update, context: BotContext) -> None:
    """List the chat's topics, each with a stop button."""
    chat = update.effective_chat
    if chat is None:
        return
    html, markup = render_following(await context.bot_data.topics.of_chat(chat.id))
    await reply_html(update, context, html, markup)


async def cmd_unfollow(update: Update, context: BotContext) -> None:
    """Stop following topic number N of /following."""
    chat, message = update.effective_chat, update.effective_message
    if chat is None or message is None or await refuse_in_group(update, context):
        return
    text = command_args(message.text)
    if not (text.isascii() and text.isdigit() and len(text) <= _MAX_NUMBER_CHARS):
        await reply_html(update, context, escape(unfollow_usage()))
        return
    number = int(text)
    stopped = await context.bot_data.topics.unfollow_number(chat.id, number)
    await reply_html(update, context, render_unfollowed(stopped, number))


async def on_stop_button(update: Update, context: BotContext) -> None:
    """Stop the topic named by a "stop" button (under /following or a notice)."""
    chat = update.effective_chat
    topic_id = await pressed_button(update, UNFOLLOW)
    if topic_id is None or chat is None or await refuse_in_group(update, context):
        return
    stopped = await context.bot_data.topics.unfollow_id(chat.id, topic_id)
    await reply_html(update, context, render_unfollowed(stopped))


async def on_more_like_this(update: Update, context: BotContext) -> None:
    """Search for stories like the one a notice brought."""
    story_id = await pressed_button(update, MORE_LIKE)
    if story_id is None:
        return
    story = await context.bot_data.stories.get(story_id)
    if story is None:
        await reply_html(update, context, escape(_("That story is no longer stored.")))
        return
    await answer_question(update, context, story.title, limit=MORE_LIKE_THIS, skip=story_id)
