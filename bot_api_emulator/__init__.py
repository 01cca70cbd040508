"""An in-process fake of the Telegram Bot API: the test bench and the engine of ``newsbot chat``.

Usage::

    emu = BotApiEmulator(bot_username="CentralAsiaNewsBot")
    app = build_application(settings, request=emu.request())
    async with emu.serve(app):
        chat = emu.private_chat(emu.user(1001, "Aida", language_code="ru"))
        replies = await chat.send("/rates")
"""

from bot_api_emulator.chats import ChatDriver
from bot_api_emulator.emulator import DUMMY_TOKEN, BotApiEmulator
from bot_api_emulator.errors import ApiError
from bot_api_emulator.html import ParsedText, parse_html, utf16_len
from bot_api_emulator.messages import BotMessage, Button
from bot_api_emulator.request import EmulatorRequest
from bot_api_emulator.updates import UserSpec

__all__ = [
    "DUMMY_TOKEN",
    "ApiError",
    "BotApiEmulator",
    "BotMessage",
    "Button",
    "ChatDriver",
    "EmulatorRequest",
    "ParsedText",
    "UserSpec",
    "parse_html",
    "utf16_len",
]
