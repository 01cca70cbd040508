"""The fake Bot API answers a real PTB Bot the way Telegram does: limits, errors, updates."""

from __future__ import annotations

import asyncio
import io
from collections.abc import AsyncIterator

import matplotlib
import pytest
from telegram import (
    Bot,
    BotCommand,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InputMediaPhoto,
    InputTextMessageContent,
    Message,
)
from telegram.constants import ParseMode
from telegram.error import (
    BadRequest,
    Conflict,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
)

from bot_api_emulator import DUMMY_TOKEN, BotApiEmulator

matplotlib.use("Agg")


def png_bytes() -> bytes:
    """A real PNG made by matplotlib, as the chart command makes them."""
    import matplotlib.pyplot as plt

    figure = plt.figure(figsize=(2, 1), dpi=50)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    plt.close(figure)
    return buffer.getvalue()


@pytest.fixture
def emu() -> BotApiEmulator:
    emulator = BotApiEmulator(bot_username="CentralAsiaNewsBot")
    emulator.private_chat(emulator.user(1001, "Aida", language_code="ru"))
    return emulator


@pytest.fixture
async def bot(emu: BotApiEmulator) -> AsyncIterator[Bot]:
    async with Bot(DUMMY_TOKEN, request=emu.request(), get_updates_request=emu.request()) as b:
        yield b


async def test_get_me_is_the_bot(bot: Bot) -> None:
    me = await bot.get_me()
    assert (me.id, me.username, me.is_bot, me.supports_inline_queries) == (
        123456,
        "CentralAsiaNewsBot",
        True,
        True,
    )


async def test_text_limit_is_4096_utf16_units_after_parsing(bot: Bot) -> None:
    # Markup does not count: 4096 visible characters inside <b> are fine.
    sent = await bot.send_message(1001, "<b>" + "x" * 4096 + "</b>", parse_mode=ParseMode.HTML)
    assert len(sent.text) == 4096
    # Escapes count once: "&amp;" is one character.
    await bot.send_message(1001, "&amp;" * 4096, parse_mode=ParseMode.HTML)
    with pytest.raises(BadRequest, match="Message is too long"):
        await bot.send_message(1001, "x" * 4097)
    # An astral emoji is two UTF-16 units: 2048 of them fit, one more does not.
    await bot.send_message(1001, "😀" * 2048)
    with pytest.raises(BadRequest, match="Message is too long"):
        await bot.send_message(1001, "😀" * 2048 + "x")


@pytest.mark.parametrize("text", ["   ", "<b> </b>", "<b></b>"])
async def test_empty_text_is_refused(bot: Bot, text: str) -> None:
    with pytest.raises(BadRequest, match="Message text is empty"):
        await bot.send_message(1001, text, parse_mode=ParseMode.HTML)


async def test_html_errors_reach_the_bot_as_bad_request(bot: Bot) -> None:
    with pytest.raises(BadRequest, match=r'(?i)unsupported start tag "script"'):
        await bot.send_message(1001, "<script>x</script>", parse_mode=ParseMode.HTML)
    with pytest.raises(BadRequest, match="Can't parse entities"):
        await bot.send_message(1001, "Tom & Jerry", parse_mode=ParseMode.HTML)
    # Without a parse mode the same text is just text.
    assert (await bot.send_message(1001, "Tom & Jerry <script>")).text == "Tom & Jerry <script>"


async def test_unknown_chat_and_blocked_person(emu: BotApiEmulator, bot: Bot) -> None:
    with pytest.raises(BadRequest, match="Chat not found"):
        await bot.send_message(999, "hi")
    emu.block(1001)
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await bot.send_message(1001, "hi")


async def test_callback_data_at_most_64_bytes(bot: Bot) -> None:
    ok = InlineKeyboardMarkup([[InlineKeyboardButton("a", callback_data="ж" * 32)]])
    await bot.send_message(1001, "keys", reply_markup=ok)
    too_long = InlineKeyboardMarkup([[InlineKeyboardButton("a", callback_data="x" * 65)]])
    with pytest.raises(BadRequest, match="Button_data_invalid"):
        await bot.send_message(1001, "keys", reply_markup=too_long)
    two_byte = InlineKeyboardMarkup([[InlineKeyboardButton("a", callback_data="ж" * 33)]])
    with pytest.raises(BadRequest, match="Button_data_invalid"):
        await bot.send_message(1001, "keys", reply_markup=two_byte)


async def test_edit_to_identical_content_is_not_modified(emu: BotApiEmulator, bot: Bot) -> None:
    keys = InlineKeyboardMarkup([[InlineKeyboardButton("Next", callback_data="page:2")]])
    sent = await bot.send_message(1001, "<b>page 1</b>", parse_mode="HTML", reply_markup=keys)
    with pytest.raises(BadRequest, match="Message is not modified"):
        await bot.edit_message_text(
            "<b>page 1</b>", 1001, sent.message_id, parse_mode="HTML", reply_markup=keys
        )
    # Same text, different formatting is a change; so is dropping the keyboard.
    await bot.edit_message_text("page 1", 1001, sent.message_id, reply_markup=keys)
    edited = await bot.edit_message_text("page 1", 1001, sent.message_id)
    assert edited.reply_markup is None
    assert [m.edited for m in emu.outbox] == [False, True, True]
    with pytest.raises(BadRequest, match="Message to edit not found"):
        await bot.edit_message_text("x", 1001, 777)


async def test_photo_caption_limit_and_sizes(emu: BotApiEmulator, bot: Bot) -> None:
    image = png_bytes()
    sent = await bot.send_photo(1001, image, caption="<b>KZT</b> 30 days", parse_mode="HTML")
    assert (sent.photo[-1].width, sent.photo[-1].height) == (100, 50)
    assert sent.caption == "KZT 30 days"
    assert emu.outbox[-1].photo == image
    with pytest.raises(BadRequest, match="Message caption is too long"):
        await bot.send_photo(1001, image, caption="c" * 1025)
    with pytest.raises(BadRequest, match="Image_process_failed"):
        await bot.send_photo(1001, b"not an image at all")
    with pytest.raises(BadRequest, match="There is no text in the message to edit"):
        await bot.edit_message_text("x", 1001, sent.message_id)
    # Sending the same photo again by its file_id works, as in Telegram.
    again = await bot.send_photo(1001, sent.photo[-1].file_id)
    assert emu.outbox[-1].photo == image and again.message_id == sent.message_id + 1


async def test_inline_results_at_most_50(emu: BotApiEmulator, bot: Bot) -> None:
    def results(count: int) -> list[InlineQueryResultArticle]:
        return [
            InlineQueryResultArticle(str(n), f"t{n}", InputTextMessageContent(f"m{n}"))
            for n in range(count)
        ]

    emu.state.open_inline.update({"q1", "q2"})
    with pytest.raises(BadRequest, match="Results_too_much"):
        await bot.answer_inline_query("q1", results(51))
    await bot.answer_inline_query("q1", results(50))
    assert len(emu.inline_answers["q1"]) == 50
    with pytest.raises(BadRequest, match="Query is too old"):
        await bot.answer_inline_query("q1", results(1))  # answered once already
    bad_html = [InlineQueryResultArticle("1", "t", InputTextMessageContent("<x>", "HTML"))]
    with pytest.raises(BadRequest, match="Can't parse entities"):
        await bot.answer_inline_query("q2", bad_html)
    duplicate = results(1) + results(1)
    with pytest.raises(BadRequest, match="Result_id_duplicate"):
        await bot.answer_inline_query("q2", duplicate)


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
async def test_failure_injection(emu: BotApiEmulator, bot: Bot) -> None:
    emu.fail_next("sendMessage", error_code=429, retry_after=3)
    with pytest.raises(RetryAfter) as caught:
        await bot.send_message(1001, "x")
    retry_after = caught.value.retry_after
    assert retry_after == 3 or getattr(retry_after, "seconds", None) == 3
    emu.fail_next("sendMessage", error_code=403)
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await bot.send_message(1001, "x")
    emu.fail_next("sendMessage", error_code=400, description="Bad Request: chat not found")
    with pytest.raises(BadRequest, match="Chat not found"):
        await bot.send_message(1001, "x")
    emu.fail_next("sendMessage", error_code=None)
    with pytest.raises(NetworkError):
        await bot.send_message(1001, "x")
    # Each failure is used once; other methods were never affected.
    assert (await bot.send_message(1001, "fine")).text == "fine"
    assert [code for _, code, _ in emu.errors] == [429, 403, 400, None]


async def test_wrong_token_is_unauthorized() -> None:
    emu = BotApiEmulator(token="42:RIGHT")
    with pytest.raises(InvalidToken):
        await Bot("42:WRONG", request=emu.request()).initialize()
    async with Bot("42:RIGHT", request=emu.request()) as bot:
        assert bot.id == 42


async def test_commands_and_calls_are_recorded(emu: BotApiEmulator, bot: Bot) -> None:
    await bot.set_my_commands([BotCommand("rates", "Exchange rates")], language_code="ru")
    assert emu.commands(language_code="ru") == [
        {"command": "rates", "description": "Exchange rates"}
    ]
    with pytest.raises(BadRequest, match="Bot_command_invalid"):
        await bot.set_my_commands([BotCommand("Rates!", "x")])
    assert emu.calls[-2][0] == "setMyCommands"
    assert emu.calls[-2][1]["commands"] == [{"command": "rates", "description": "Exchange rates"}]


async def test_get_updates_offset_and_long_poll(emu: BotApiEmulator, bot: Bot) -> None:
    chat = emu.private_chat(emu.user(7, "Zed"))
    for text in ("one", "two", "three"):
        emu.push_update(chat.person_message(text))
    first = await bot.get_updates(limit=2)
    assert [u.message.text for u in first] == ["one", "two"]
    # Asking from an offset confirms everything before it.
    rest = await bot.get_updates(offset=first[-1].update_id + 1)
    assert [u.message.text for u in rest] == ["three"]
    assert await bot.get_updates(offset=rest[-1].update_id + 1, timeout=0) == ()

    async def later() -> None:
        await asyncio.sleep(0.05)
        emu.push_update(chat.person_message("four"))

    pusher = asyncio.create_task(later())
    waited = await bot.get_updates(offset=rest[-1].update_id + 1, timeout=5)
    await pusher
    assert [u.message.text for u in waited] == ["four"]
    assert emu.first_get_updates_at is not None


async def test_a_second_poll_ends_the_waiting_one_with_409(emu: BotApiEmulator, bot: Bot) -> None:
    waiting = asyncio.create_task(bot.get_updates(timeout=5))
    await asyncio.sleep(0.05)
    assert await bot.get_updates(timeout=0) == ()
    with pytest.raises(Conflict, match="terminated by other getUpdates request"):
        await waiting


async def test_webhook_blocks_polling_and_drop_pending_updates(
    emu: BotApiEmulator, bot: Bot
) -> None:
    chat = emu.private_chat(emu.user(7, "Zed"))
    emu.push_update(chat.person_message("old"))
    await bot.set_webhook("https://example.org/hook")
    with pytest.raises(Conflict, match="webhook is active"):
        await bot.get_updates()
    await bot.delete_webhook(drop_pending_updates=True)
    assert await bot.get_updates() == ()


async def test_caption_media_edits_documents_and_deletes(emu: BotApiEmulator, bot: Bot) -> None:
    sent = await bot.send_photo(1001, png_bytes(), caption="<b>7d</b>", parse_mode="HTML")
    with pytest.raises(BadRequest, match="Message is not modified"):
        await bot.edit_message_caption(
            1001, sent.message_id, caption="<b>7d</b>", parse_mode="HTML"
        )
    recaptioned = await bot.edit_message_caption(1001, sent.message_id, caption="30d")
    assert isinstance(recaptioned, Message) and recaptioned.caption == "30d"
    swapped = await bot.edit_message_media(
        InputMediaPhoto(png_bytes(), caption="<i>90d</i>", parse_mode="HTML"),
        1001,
        sent.message_id,
    )
    assert isinstance(swapped, Message) and swapped.caption == "90d"
    assert [m.method for m in emu.outbox[-2:]] == ["editMessageCaption", "editMessageMedia"]
    document = await bot.send_document(1001, b"a,b\n1,2\n", filename="rates.csv")
    assert document.document is not None and document.document.file_size == 8
    assert emu.outbox[-1].photo is None
    assert await bot.delete_message(1001, document.message_id)
    with pytest.raises(BadRequest, match="Message to delete not found"):
        await bot.delete_message(1001, document.message_id)
