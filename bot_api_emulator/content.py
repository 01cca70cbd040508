"""Checking what the bot sends against Telegram's limits: texts, captions, keyboards, photos."""

from __future__ import annotations

import struct
from typing import Any

from bot_api_emulator.errors import ApiError, bad_request
from bot_api_emulator.html import ParsedText, parse_html, utf16_len
from bot_api_emulator.params import Params

MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_CALLBACK_DATA = 64
MAX_BUTTONS = 100
MAX_PHOTO_BYTES = 10 * 1024 * 1024
_BUTTON_ACTIONS = (
    "callback_data",
    "url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "login_url",
    "web_app",
    "pay",
    "callback_game",
    "copy_text",
)


def formatted(text: str, parse_mode: str | None, entities: Any) -> ParsedText:
    """Plain text and entities of a text or caption, as Telegram would store them."""
    if parse_mode is None or parse_mode == "":
        return ParsedText(text, list(entities or []))
    if parse_mode.upper() == "HTML":
        return parse_html(text)
    # The bot sends HTML only; other modes are refused loudly rather than half-emulated.
    raise bad_request(f"unsupported parse_mode {parse_mode!r}: the emulator speaks HTML only")


def message_text(params: Params, name: str = "text") -> ParsedText:
    """The checked text of sendMessage/editMessageText (1-4096 UTF-16 units after parsing)."""
    source = params.text(name)
    if source is None or source == "":
        raise bad_request("message text is empty")
    parsed = formatted(source, params.text("parse_mode"), params.decoded("entities"))
    if not parsed.text.strip():
        raise bad_request("message text is empty")
    if utf16_len(parsed.text) > MAX_TEXT:
        raise bad_request("message is too long")
    return parsed


def caption_text(params: Params) -> ParsedText | None:
    """The checked caption (at most 1024 UTF-16 units after parsing), or None."""
    source = params.text("caption")
    if not source:
        return None
    parsed = formatted(source, params.text("parse_mode"), params.decoded("caption_entities"))
    if utf16_len(parsed.text) > MAX_CAPTION:
        raise bad_request("message caption is too long")
    return parsed if parsed.text.strip() else None


def _check_button(button: Any) -> None:
    if not isinstance(button, dict) or not str(button.get("text", "")).strip():
        raise bad_request("BUTTON_TEXT_INVALID")
    actions = [name for name in _BUTTON_ACTIONS if name in button]
    if len(actions) != 1:
        raise bad_request(
            "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"
        )
    if "callback_data" in button:
        data = button["callback_data"]
        if not isinstance(data, str) or not 1 <= len(data.encode("utf-8")) <= MAX_CALLBACK_DATA:
            raise bad_request("BUTTON_DATA_INVALID")
    if "url" in button:
        url = str(button["url"])
        if not url.startswith(("http://", "https://", "tg://")) or len(url) > 2048:
            raise bad_request(f"inline keyboard button URL '{url[:64]}' is invalid")


def reply_markup(params: Params) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """Split and check ``reply_markup``: (inline keyboard, other keyboard) either may be None."""
    markup = params.decoded("reply_markup")
    if markup is None:
        return None, None
    if not isinstance(markup, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" not in markup:
        return None, markup
    rows = markup["inline_keyboard"]
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise bad_request("can't parse inline keyboard markup JSON object")
    if sum(len(row) for row in rows) > MAX_BUTTONS:
        raise bad_request("BUTTONS_TOO_MUCH")
    for row in rows:
        for button in row:
            _check_button(button)
    # An empty inline keyboard is how a bot removes one; Telegram then stores none.
    return (markup if any(rows) else None), None


def image_size(data: bytes) -> tuple[int, int]:
    """Width and height of a PNG, JPEG, GIF or WebP image.

    Raises:
        ApiError: 400 IMAGE_PROCESS_FAILED for anything that is not such an image.
    """
    if not data:
        raise bad_request("file must be non-empty")
    if len(data) > MAX_PHOTO_BYTES:
        raise ApiError(413, "Request Entity Too Large")
    if data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) >= 24 and data[12:16] == b"IHDR":
        width, height = struct.unpack(">II", data[16:24])
        return int(width), int(height)
    if data[:6] in (b"GIF87a", b"GIF89a") and len(data) >= 10:
        width, height = struct.unpack("<HH", data[6:10])
        return int(width), int(height)
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP" and data[12:16] == b"VP8X":
        width = int.from_bytes(data[24:27], "little") + 1
        height = int.from_bytes(data[27:30], "little") + 1
        return width, height
    if data[:2] == b"\xff\xd8":
        index = 2
        while index + 9 < len(data):
            if data[index] != 0xFF:
                break
            marker = data[index + 1]
            length = int.from_bytes(data[index + 2 : index + 4], "big")
            if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
                height, width = struct.unpack(">HH", data[index + 5 : index + 9])
                return int(width), int(height)
            index += 2 + length
    raise bad_request("IMAGE_PROCESS_FAILED")
