"""Editing and deleting sent messages, with Telegram's "message is not modified" rule."""

from __future__ import annotations

import time
from typing import Any

from bot_api_emulator import content
from bot_api_emulator.errors import bad_request
from bot_api_emulator.messages import StoredMessage
from bot_api_emulator.methods import photo_bytes, photo_sizes, put_text
from bot_api_emulator.params import Params
from bot_api_emulator.registry import method
from bot_api_emulator.state import TelegramState


def _editable(state: TelegramState, params: Params) -> StoredMessage:
    if "inline_message_id" in params:
        # Inline messages live in chats the emulator does not model; Telegram answers True.
        raise _InlineEdit
    chat = state.chat(params.text("chat_id"))
    return state.message(
        int(chat["id"]), params.integer("message_id"), missing="message to edit not found"
    )


class _InlineEdit(Exception):
    pass


def _finish_edit(
    state: TelegramState,
    method_name: str,
    stored: StoredMessage,
    new: dict[str, Any],
    inline: Any,
    *,
    html: str | None,
    photo: bytes | None = None,
) -> Any:
    """Give ``new`` the edit's keyboard (none when the edit sends none, as Telegram does),
    refuse an edit that changes nothing, then store it with its HTML and photo."""
    new.pop("reply_markup", None)
    if inline is not None:
        new["reply_markup"] = inline
    comparable = ("text", "entities", "caption", "caption_entities", "reply_markup", "photo")
    if all(new.get(key) == stored.data.get(key) for key in comparable):
        raise bad_request(
            "message is not modified: specified new message content and reply markup are "
            "exactly the same as a current content and reply markup of the message"
        )
    new["edit_date"] = max(int(time.time()), int(new["date"]))
    stored.data = new
    stored.html = html
    if photo is not None:
        stored.photo = photo
    state.record(method_name, stored, edited=True)
    return new


@method("editMessageText")
def edit_message_text(state: TelegramState, params: Params) -> Any:
    parsed = content.message_text(params)
    inline, _ = content.reply_markup(params)
    try:
        stored = _editable(state, params)
    except _InlineEdit:
        return True
    if "text" not in stored.data:
        raise bad_request("there is no text in the message to edit")
    new = dict(stored.data)
    put_text(new, parsed, "")
    return _finish_edit(state, "editMessageText", stored, new, inline, html=params.text("text"))


@method("editMessageCaption")
def edit_message_caption(state: TelegramState, params: Params) -> Any:
    caption = content.caption_text(params)
    inline, _ = content.reply_markup(params)
    try:
        stored = _editable(state, params)
    except _InlineEdit:
        return True
    if "text" in stored.data:
        raise bad_request("there is no caption in the message to edit")
    new = dict(stored.data)
    new.pop("caption", None)
    new.pop("caption_entities", None)
    if caption is not None:
        put_text(new, caption, "caption")
    html = params.text("caption")
    return _finish_edit(state, "editMessageCaption", stored, new, inline, html=html)


@method("editMessageMedia")
def edit_message_media(state: TelegramState, params: Params) -> Any:
    media = params.decoded("media")
    if not isinstance(media, dict) or media.get("type") != "photo":
        raise bad_request("the emulator edits photo media only (media.type must be photo)")
    media_params = Params(
        {key: value for key, value in media.items() if key != "type"}, params.files
    )
    photo = photo_bytes(state, media_params, "media")
    caption = content.caption_text(media_params)
    inline, _ = content.reply_markup(params)
    try:
        stored = _editable(state, params)
    except _InlineEdit:
        return True
    new = {key: value for key, value in stored.data.items() if key not in ("text", "entities")}
    new.pop("caption", None)
    new.pop("caption_entities", None)
    new["photo"] = photo_sizes(state, photo)
    if caption is not None:
        put_text(new, caption, "caption")
    html = media_params.text("caption")
    return _finish_edit(state, "editMessageMedia", stored, new, inline, html=html, photo=photo)


@method("editMessageReplyMarkup")
def edit_message_reply_markup(state: TelegramState, params: Params) -> Any:
    inline, _ = content.reply_markup(params)
    try:
        stored = _editable(state, params)
    except _InlineEdit:
        return True
    new = dict(stored.data)
    return _finish_edit(state, "editMessageReplyMarkup", stored, new, inline, html=stored.html)


@method("deleteMessage")
def delete_message(state: TelegramState, params: Params) -> Any:
    chat = state.chat(params.text("chat_id"))
    key = (int(chat["id"]), params.required_integer("message_id"))
    if state.messages.pop(key, None) is None:
        raise bad_request("message to delete not found")
    return True
