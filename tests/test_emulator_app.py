"""A whole PTB Application driven through the emulator: messages, buttons, inline, groups."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InputTextMessageContent,
    Update,
)
from telegram.constants import ParseMode
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    InlineQueryHandler,
    MessageHandler,
    filters,
)

from bot_api_emulator import DUMMY_TOKEN, BotApiEmulator
from bot_api_emulator.chats import ChatDriver

Context = ContextTypes.DEFAULT_TYPE


async def cmd_start(update: Update, context: Context) -> None:
    """Greet with two buttons."""
    keys = [[InlineKeyboardButton("Page 2", callback_data="page:2")]]
    keys.append([InlineKeyboardButton("Site", url="https://example.org")])
    assert update.effective_message is not None
    await update.effective_message.reply_html(
        "<b>Hello</b>, " + (update.effective_user.first_name if update.effective_user else ""),
        reply_markup=InlineKeyboardMarkup(keys),
    )


async def on_page(update: Update, context: Context) -> None:
    """Edit the message to the page in the button's data."""
    query = update.callback_query
    assert query is not None and query.data is not None
    await query.answer(f"opening {query.data}")
    await query.edit_message_text(f"<i>{query.data}</i>", parse_mode=ParseMode.HTML)


async def on_text(update: Update, context: Context) -> None:
    """Echo private text; say which bot a via_bot message came through."""
    message = update.effective_message
    assert message is not None and message.text is not None
    prefix = "via " if message.via_bot else ""
    await message.reply_text(prefix + message.text)


async def on_inline(update: Update, context: Context) -> None:
    """Answer an inline query with one article per word."""
    assert update.inline_query is not None
    words = update.inline_query.query.split() or ["empty"]
    await update.inline_query.answer(
        [
            InlineQueryResultArticle(
                str(n), word, InputTextMessageContent(f"<b>{word}</b>", "HTML")
            )
            for n, word in enumerate(words)
        ]
    )


errors: list[BaseException] = []


async def on_error(update: object, context: Context) -> None:
    """Keep the error for the test to look at."""
    assert context.error is not None
    errors.append(context.error)


def echo_app(emu: BotApiEmulator) -> Application[Any, Any, Any, Any, Any, Any]:
    request = emu.request()
    app = Application.builder().token(DUMMY_TOKEN).request(request).get_updates_request(request)
    application = app.build()
    application.add_handler(CommandHandler("start", cmd_start))
    application.add_handler(CallbackQueryHandler(on_page))
    application.add_handler(InlineQueryHandler(on_inline))
    application.add_handler(MessageHandler(filters.TEXT & filters.ChatType.PRIVATE, on_text))
    application.add_error_handler(on_error)
    return application


@pytest.fixture
async def emu() -> AsyncIterator[BotApiEmulator]:
    emulator = BotApiEmulator(bot_username="CentralAsiaNewsBot")
    errors.clear()
    async with emulator.serve(echo_app(emulator)):
        yield emulator


@pytest.fixture
def chat(emu: BotApiEmulator) -> ChatDriver:
    return emu.private_chat(emu.user(1001, "Aida", language_code="ru"))


async def test_send_returns_the_replies_with_text_html_and_buttons(chat: ChatDriver) -> None:
    (reply,) = await chat.send("/start")
    assert reply.text == "Hello, Aida"
    assert reply.html == "<b>Hello</b>, Aida"
    assert [[b.text for b in row] for row in reply.buttons] == [["Page 2"], ["Site"]]
    assert reply.buttons[1][0].url == "https://example.org"
    assert (reply.method, reply.chat_id, reply.edited) == ("sendMessage", 1001, False)


async def test_press_sends_a_callback_query_and_returns_the_edit(
    emu: BotApiEmulator, chat: ChatDriver
) -> None:
    (menu,) = await chat.send("/start")
    (edited,) = await chat.press(menu, "Page")
    assert (edited.text, edited.edited, edited.message_id) == ("page:2", True, menu.message_id)
    assert edited.buttons == []
    assert emu.callback_answers[-1]["text"] == "opening page:2"
    with pytest.raises(LookupError, match="no button"):
        await chat.press(edited, 0)  # the edit removed the keyboard
    (fresh,) = await chat.send("/start")
    with pytest.raises(ValueError, match="not a callback button"):
        await chat.press(fresh, 1)  # row-major index 1 is the link


async def test_inline_query_returns_results_and_sending_one_goes_via_bot(
    chat: ChatDriver,
) -> None:
    results = await chat.inline("milk tea")
    assert [r["title"] for r in results] == ["milk", "tea"]
    shown, replies = await chat.send_inline_result(results[1])
    assert shown == "tea"
    assert [m.text for m in replies] == ["via tea"]


async def test_group_command_with_bot_name(emu: BotApiEmulator) -> None:
    aida = emu.user(1001, "Aida")
    group = emu.group_chat(title="Team", chat_id=-1001234567890, admins=[aida])
    (reply,) = await group.send("/start@CentralAsiaNewsBot", from_user=aida)
    assert reply.chat_id == -1001234567890
    assert reply.data["reply_to_message"]["text"] == "/start@CentralAsiaNewsBot"
    assert await group.send("just talking", from_user=aida) == []  # groups: commands only
    assert await group.send("/start@SomeOtherBot", from_user=aida) == []


async def test_failures_reach_the_error_handler_and_serving_goes_on(
    emu: BotApiEmulator, chat: ChatDriver
) -> None:
    emu.fail_next("sendMessage", error_code=403)
    assert await chat.send("hello") == []
    assert "blocked" in str(errors[-1])
    assert [m.text for m in await chat.send("again")] == ["again"]


async def test_html_injection_from_a_person_is_caught_when_echoed_unescaped(
    chat: ChatDriver,
) -> None:
    # The echo handler answers without parse mode, so markup from people stays text.
    (reply,) = await chat.send("<script>alert(1)</script> & <b>")
    assert reply.text == "<script>alert(1)</script> & <b>"
