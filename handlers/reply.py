"""Sending replies within Telegram's limits: split long texts, photos with captions."""

from __future__ import annotations

import json
from typing import TypeVar

from telegram import Bot, InlineKeyboardMarkup, LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest

from handlers.context import BotContext
from views.callbacks import ButtonKind
from views.telegram_html import MAX_CAPTION, split_html, truncate_html

# Sent as the JSON text PTB would make of it: an object (or a dict) would be serialized
# again for every reply; a string goes on the wire as it is.
_NO_PREVIEW = json.dumps(LinkPreviewOptions(is_disabled=True).to_dict())

T = TypeVar("T")


async def pressed_button(update: Update, kind: ButtonKind[T]) -> T | None:
    """Acknowledge the pressed button (stops the client's spinner) and return the value its
    callback data carries; None for an update without data of ``kind``. The handler's
    pattern (``views.callbacks``) has already checked the data's shape."""
    query = update.callback_query
    if query is None or query.data is None:
        return None
    await query.answer()
    return kind.parse(query.data)


async def reply_html(
    update: Update, context: BotContext, html: str, markup: InlineKeyboardMarkup | None = None
) -> None:
    """Send ``html`` to the update's chat, split into messages of at most 4096 characters.

    The keyboard goes with the last part, under the text it belongs to.
    """
    chat = update.effective_chat
    if chat is None:
        return
    parts = split_html(html)
    for number, part in enumerate(parts, start=1):
        await send_html(context, chat.id, part, markup if number == len(parts) else None)


async def send_html(
    context: BotContext, chat_id: int, html: str, markup: InlineKeyboardMarkup | None = None
) -> None:
    """sendMessage in HTML without links previewed, the answer left unparsed."""
    await post_html(context.bot, chat_id, html, markup)


async def post_html(
    bot: Bot, chat_id: int, html: str, markup: InlineKeyboardMarkup | None = None
) -> None:
    """sendMessage through ``bot`` in HTML without links previewed, the answer left unparsed.

    The one place the bot calls PTB's protected ``Bot._post`` (replies here, the digest and
    notice passes through ``bot.bulk_send``). ``Bot.send_message`` turns Telegram's answer
    into a ``Message`` object, every entity and button included: about a quarter of what a
    /rates reply cost the bot, for a message it never reads back. ``_post`` is the step
    below it: the same request, defaults, rate limiter (so the retries of ``bot.retry``)
    and errors, minus that parsing. It is stable through PTB 22 (pinned below 23 in
    pyproject.toml). Should a PTB release rename it or change what it takes, every test
    that sends through the emulator fails here; then call ``bot.send_message(chat_id,
    html, parse_mode=ParseMode.HTML, link_preview_options=..., reply_markup=markup)``
    instead: slower, the same on the wire.
    """
    data: dict[str, object] = {
        "chat_id": chat_id,
        "text": html,
        "parse_mode": ParseMode.HTML,
        "link_preview_options": _NO_PREVIEW,
    }
    if markup is not None:
        data["reply_markup"] = markup
    await bot._post("sendMessage", data)


async def edit_html(update: Update, html: str, markup: InlineKeyboardMarkup | None = None) -> None:
    """Replace the text of the message whose button was pressed (one message's worth)."""
    query = update.callback_query
    if query is None:
        return
    parts = split_html(html) or [html]
    try:
        await query.edit_message_text(parts[0], reply_markup=markup)
    except BadRequest as exc:
        # Pressing the same page twice: the message already shows it.
        if "not modified" not in exc.message.lower():
            raise


async def reply_photo(
    update: Update,
    context: BotContext,
    png: bytes,
    caption_html: str,
    markup: InlineKeyboardMarkup | None = None,
) -> None:
    """Send a PNG with a caption cut to Telegram's 1024 characters."""
    chat = update.effective_chat
    if chat is None:
        return
    await context.bot.send_photo(
        chat.id, png, caption=truncate_html(caption_html, MAX_CAPTION), reply_markup=markup
    )


def command_args(text: str | None) -> str:
    """The text after the command word (``/news@bot milk prices`` gives ``milk prices``)."""
    if not text:
        return ""
    words = text.strip().split(maxsplit=1)
    return words[1].strip() if len(words) > 1 else ""
