"""Sending, queries, commands and chat info: Bot API methods answered as Telegram does."""

from __future__ import annotations

import json
from typing import Any

from bot_api_emulator import content
from bot_api_emulator.errors import bad_request
from bot_api_emulator.html import ParsedText, utf16_len
from bot_api_emulator.messages import StoredMessage
from bot_api_emulator.params import Params
from bot_api_emulator.registry import METHODS, method
from bot_api_emulator.state import TelegramState

MAX_INLINE_RESULTS = 50
CHAT_ACTIONS = frozenset(
    [
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    ]
)


def put_text(data: dict[str, Any], parsed: ParsedText, prefix: str) -> None:
    """Set the text (prefix "") or the caption of a message JSON with its entities."""
    field = "text" if prefix == "" else "caption"
    data[field] = parsed.text
    entities_key = "entities" if prefix == "" else "caption_entities"
    data.pop(entities_key, None)
    if parsed.entities:
        data[entities_key] = parsed.entities


def _check_reply(state: TelegramState, chat_id: int, params: Params) -> dict[str, Any] | None:
    reply = params.decoded("reply_parameters")
    message_id = params.integer("reply_to_message_id")
    allow_missing = params.flag("allow_sending_without_reply")
    if isinstance(reply, dict):
        message_id = int(reply.get("message_id", 0))
        allow_missing = allow_missing or bool(reply.get("allow_sending_without_reply"))
    if message_id is None:
        return None
    stored = state.messages.get((chat_id, message_id))
    if stored is None:
        if allow_missing:
            return None
        raise bad_request("message to be replied not found")
    return stored.data


def _new_bot_message(state: TelegramState, params: Params) -> dict[str, Any]:
    chat = state.chat(params.text("chat_id"))
    data = state.new_message(chat, state.bot)
    replied = _check_reply(state, int(chat["id"]), params)
    if replied is not None:
        data["reply_to_message"] = replied
    return data


@method("getMe")
def get_me(state: TelegramState, params: Params) -> Any:
    return state.bot


@method("sendMessage")
def send_message(state: TelegramState, params: Params) -> Any:
    parsed = content.message_text(params)
    inline, keyboard = content.reply_markup(params)
    data = _new_bot_message(state, params)
    put_text(data, parsed, "")
    if inline is not None:
        data["reply_markup"] = inline
    stored = state.store(StoredMessage(data, html=params.text("text"), keyboard=keyboard))
    state.record("sendMessage", stored, edited=False)
    return data


def photo_bytes(state: TelegramState, params: Params, name: str) -> bytes:
    """The bytes of an uploaded file, an attach:// part or a known file_id."""
    if name in params.files:
        return params.files[name]
    reference = params.text(name) or ""
    if reference.startswith("attach://"):
        attached = params.files.get(reference.removeprefix("attach://"))
        if attached is None:
            raise bad_request(f"file {reference} not found in the request")
        return attached
    if reference in state.files:
        return state.files[reference]
    if reference.startswith(("http://", "https://")):
        raise bad_request("failed to get HTTP URL content")  # no network in the emulator
    raise bad_request("wrong file identifier/HTTP URL specified")


def photo_sizes(state: TelegramState, data: bytes) -> list[dict[str, Any]]:
    """Keep a checked image; return its PhotoSize list as Telegram sends it."""
    width, height = content.image_size(data)
    file_id, unique_id = state.keep_file(data)
    return [
        {
            "file_id": file_id,
            "file_unique_id": unique_id,
            "width": width,
            "height": height,
            "file_size": len(data),
        }
    ]


@method("sendPhoto")
def send_photo(state: TelegramState, params: Params) -> Any:
    photo = photo_bytes(state, params, "photo")
    caption = content.caption_text(params)
    inline, keyboard = content.reply_markup(params)
    sizes = photo_sizes(state, photo)
    data = _new_bot_message(state, params)
    data["photo"] = sizes
    if caption is not None:
        put_text(data, caption, "caption")
    if inline is not None:
        data["reply_markup"] = inline
    stored = StoredMessage(data, html=params.text("caption"), photo=photo, keyboard=keyboard)
    state.record("sendPhoto", state.store(stored), edited=False)
    return data


@method("sendDocument")
def send_document(state: TelegramState, params: Params) -> Any:
    body = photo_bytes(state, params, "document")
    if not body:
        raise bad_request("file must be non-empty")
    caption = content.caption_text(params)
    inline, keyboard = content.reply_markup(params)
    data = _new_bot_message(state, params)
    file_id, unique_id = state.keep_file(body, prefix="BQAC")
    data["document"] = {"file_id": file_id, "file_unique_id": unique_id, "file_size": len(body)}
    if caption is not None:
        put_text(data, caption, "caption")
    if inline is not None:
        data["reply_markup"] = inline
    stored = StoredMessage(data, html=params.text("caption"), keyboard=keyboard)
    state.record("sendDocument", state.store(stored), edited=False)
    return data


@method("sendChatAction")
def send_chat_action(state: TelegramState, params: Params) -> Any:
    state.chat(params.text("chat_id"))
    if params.text("action") not in CHAT_ACTIONS:
        raise bad_request("wrong parameter action in request")
    return True


@method("answerCallbackQuery")
def answer_callback_query(state: TelegramState, params: Params) -> Any:
    query_id = params.required_text("callback_query_id")
    if query_id not in state.open_callbacks:
        raise bad_request("query is too old and response timeout expired or query ID is invalid")
    text = params.text("text") or ""
    if utf16_len(text) > 200:
        raise bad_request("MESSAGE_TOO_LONG")
    state.open_callbacks.discard(query_id)
    state.callback_answers.append(params.decoded_all())
    return True


def _check_inline_result(result: Any, seen: set[str]) -> None:
    if not isinstance(result, dict) or "type" not in result:
        raise bad_request("can't parse InlineQueryResult JSON object")
    result_id = str(result.get("id", ""))
    if not 1 <= len(result_id.encode("utf-8")) <= 64:
        raise bad_request("RESULT_ID_INVALID")
    if result_id in seen:
        raise bad_request("RESULT_ID_DUPLICATE")
    seen.add(result_id)
    if result["type"] == "article" and not str(result.get("title", "")).strip():
        raise bad_request("RESULT_TITLE_EMPTY")
    message = result.get("input_message_content")
    if isinstance(message, dict) and "message_text" in message:
        parsed = content.formatted(
            str(message["message_text"]), message.get("parse_mode"), message.get("entities")
        )
        if not parsed.text.strip():
            raise bad_request("MESSAGE_EMPTY")
        if utf16_len(parsed.text) > content.MAX_TEXT:
            raise bad_request("MESSAGE_TOO_LONG")
    if "reply_markup" in result:
        content.reply_markup(Params({"reply_markup": result["reply_markup"]}))


@method("answerInlineQuery")
def answer_inline_query(state: TelegramState, params: Params) -> Any:
    query_id = params.required_text("inline_query_id")
    if query_id not in state.open_inline:
        raise bad_request("query is too old and response timeout expired or query ID is invalid")
    results = params.decoded("results")
    if not isinstance(results, list):
        raise bad_request("can't parse results JSON object")
    if len(results) > MAX_INLINE_RESULTS:
        raise bad_request("RESULTS_TOO_MUCH")
    seen: set[str] = set()
    for result in results:
        _check_inline_result(result, seen)
    state.open_inline.discard(query_id)
    state.inline_answers[query_id] = results
    return True


def _scope_key(params: Params) -> tuple[str, str]:
    scope = params.decoded("scope") or {"type": "default"}
    return json.dumps(scope, sort_keys=True), params.text("language_code") or ""


@method("setMyCommands")
def set_my_commands(state: TelegramState, params: Params) -> Any:
    commands = params.decoded("commands")
    if not isinstance(commands, list) or len(commands) > 100:
        raise bad_request("can't parse commands JSON object")
    for command in commands:
        name = str(command.get("command", "")) if isinstance(command, dict) else ""
        if not (1 <= len(name) <= 32 and all(c.islower() or c.isdigit() or c == "_" for c in name)):
            raise bad_request("BOT_COMMAND_INVALID")
        if not 1 <= len(str(command.get("description", "")).strip()) <= 256:
            raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
    state.commands[_scope_key(params)] = commands
    return True


@method("getMyCommands")
def get_my_commands(state: TelegramState, params: Params) -> Any:
    return state.commands.get(_scope_key(params), [])


@method("deleteMyCommands")
def delete_my_commands(state: TelegramState, params: Params) -> Any:
    state.commands.pop(_scope_key(params), None)
    return True


@method("setChatMenuButton")
def set_chat_menu_button(state: TelegramState, params: Params) -> Any:
    chat_id = params.integer("chat_id")
    if chat_id is not None:
        state.chat(str(chat_id))
    state.menu_buttons[chat_id] = params.decoded("menu_button") or {"type": "default"}
    return True


@method("getChatMenuButton")
def get_chat_menu_button(state: TelegramState, params: Params) -> Any:
    chat_id = params.integer("chat_id")
    return state.menu_buttons.get(chat_id, state.menu_buttons.get(None, {"type": "commands"}))


@method("getChat")
def get_chat(state: TelegramState, params: Params) -> Any:
    chat = dict(state.chat(params.text("chat_id")))
    chat.update(
        accent_color_id=0,
        max_reaction_count=11,
        accepted_gift_types={
            "unlimited_gifts": False,
            "limited_gifts": False,
            "unique_gifts": False,
            "premium_subscription": False,
            "gifts_from_channels": False,
        },
    )
    return chat


@method("getChatMember")
def get_chat_member(state: TelegramState, params: Params) -> Any:
    chat = state.chat(params.text("chat_id"))
    return state.member(chat, params.required_integer("user_id"))


@method("getChatAdministrators")
def get_chat_administrators(state: TelegramState, params: Params) -> Any:
    return state.administrators(state.chat(params.text("chat_id")))


@method("setWebhook")
def set_webhook(state: TelegramState, params: Params) -> Any:
    url = params.text("url") or ""
    secret = params.text("secret_token") or ""
    if url and not url.startswith(("https://", "http://")):
        raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
    if secret and not (
        len(secret) <= 256 and all(c.isascii() and (c.isalnum() or c in "_-") for c in secret)
    ):
        raise bad_request("secret token contains unallowed characters")
    # An empty URL removes the webhook, as deleteWebhook does.
    state.webhook_url, state.webhook_secret = url, secret if url else ""
    return True


@method("deleteWebhook")
def delete_webhook(state: TelegramState, params: Params) -> Any:
    state.webhook_url = state.webhook_secret = ""
    return True


@method("getWebhookInfo")
def get_webhook_info(state: TelegramState, params: Params) -> Any:
    return {"url": state.webhook_url, "has_custom_certificate": False, "pending_update_count": 0}


def _accept(state: TelegramState, params: Params) -> Any:
    return True


for _name in ("setMyDescription", "setMyShortDescription", "setMyName", "logOut", "close"):
    METHODS[_name.lower()] = _accept
