"""How replies are sent: keyboards serialized once, HTML without previews, answers unparsed."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from tests.bot_bench import Bench, only
from views.keyboards import Keyboard, button, keyboard


def test_keyboard_json_is_ptbs_json_built_once() -> None:
    rows = [[button("📈 KZT", "chart:KZT:30d")], [InlineKeyboardButton("x", url="https://x.kz")]]
    made = keyboard(*rows, [])
    assert isinstance(made, Keyboard)
    expected = InlineKeyboardMarkup(rows).to_dict()
    first = made.to_dict()
    assert first == expected
    first["inline_keyboard"] = []  # a caller changing its copy does not change the keyboard
    assert made.to_dict() == expected
    assert made.to_dict(recursive=False).keys() == expected.keys()
    assert made == InlineKeyboardMarkup(rows)  # still equal to PTB's own keyboard
    assert keyboard([], []) is None


async def test_replies_are_html_without_link_previews(bench: Bench) -> None:
    reply = only(await bench.chat.send("/rates"))
    assert reply.buttons  # the cached keyboard reached Telegram
    method, params = bench.emu.calls[-1]
    assert method == "sendMessage"
    assert params["parse_mode"] == "HTML"
    assert params["link_preview_options"] == {"is_disabled": True}
    assert params["reply_markup"] == reply.data["reply_markup"]
