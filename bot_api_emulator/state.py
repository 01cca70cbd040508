"""The fake Telegram's memory: users, chats, message ids, stored messages and files."""

from __future__ import annotations

import itertools
import time
from typing import Any

from bot_api_emulator.errors import ApiError, bad_request
from bot_api_emulator.messages import BotMessage, StoredMessage, bot_message


class TelegramState:
    """Everything the fake Telegram remembers between calls."""

    def __init__(self, bot_user: dict[str, Any]) -> None:
        self.bot = bot_user
        self.users: dict[int, dict[str, Any]] = {}
        self.chats: dict[int, dict[str, Any]] = {}
        self.admins: dict[int, set[int]] = {}
        self.blocked: set[int] = set()
        # Groups upgraded to supergroups: old chat id -> new chat id.
        self.migrated: dict[int, int] = {}
        self.messages: dict[tuple[int, int], StoredMessage] = {}
        self.files: dict[str, bytes] = {}
        self.outbox: list[BotMessage] = []
        # queries the bot may still answer, and what it answered
        self.open_callbacks: set[str] = set()
        self.open_inline: set[str] = set()
        self.callback_answers: list[dict[str, Any]] = []
        self.inline_answers: dict[str, list[dict[str, Any]]] = {}
        # bot settings: commands per (scope JSON, language_code), menu buttons, webhook
        self.commands: dict[tuple[str, str], list[dict[str, Any]]] = {}
        self.menu_buttons: dict[int | None, dict[str, Any]] = {}
        self.webhook_url = ""
        self.webhook_secret = ""  # setWebhook's secret_token, sent with every push
        self._message_ids: dict[int, itertools.count[int]] = {}
        self._file_ids = itertools.count(1)

    # -- chats and users ---------------------------------------------------------------

    def add_user(self, user: dict[str, Any]) -> dict[str, Any]:
        """Remember a user (the JSON of a Telegram User)."""
        self.users[int(user["id"])] = user
        return user

    def add_chat(self, chat: dict[str, Any], admins: set[int] | None = None) -> dict[str, Any]:
        """Remember a chat (the JSON of a Telegram Chat)."""
        self.chats[int(chat["id"])] = chat
        if admins is not None:
            self.admins[int(chat["id"])] = admins
        return chat

    def chat(self, raw_id: str | None) -> dict[str, Any]:
        """The chat a ``chat_id`` parameter names (a number or ``@username``).

        Raises:
            ApiError: 400 "chat not found", or 403 when the person blocked the bot.
        """
        if raw_id is None or raw_id == "":
            raise bad_request("chat_id is empty")
        found: dict[str, Any] | None = None
        if raw_id.startswith("@"):
            wanted = raw_id[1:].casefold()
            found = next(
                (c for c in self.chats.values() if str(c.get("username", "")).casefold() == wanted),
                None,
            )
        elif raw_id.lstrip("-").isdigit():
            found = self.chats.get(int(raw_id))
        if found is None:
            raise bad_request("chat not found")
        moved_to = self.migrated.get(int(found["id"]))
        if moved_to is not None:
            raise ApiError(
                400,
                "Bad Request: group chat was upgraded to a supergroup chat",
                {"migrate_to_chat_id": moved_to},
            )
        if int(found["id"]) in self.blocked:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        return found

    # -- messages ----------------------------------------------------------------------

    def next_message_id(self, chat_id: int) -> int:
        """The next message id in a chat (each chat counts on its own, as in Telegram)."""
        counter = self._message_ids.setdefault(chat_id, itertools.count(1))
        return next(counter)

    def new_message(self, chat: dict[str, Any], sender: dict[str, Any]) -> dict[str, Any]:
        """The common fields of a new message in ``chat`` from ``sender``."""
        chat_id = int(chat["id"])
        return {
            "message_id": self.next_message_id(chat_id),
            "from": sender,
            "chat": chat,
            "date": int(time.time()),
        }

    def store(self, stored: StoredMessage) -> StoredMessage:
        """Keep a message so it can be edited, replied to or pressed later."""
        data = stored.data
        self.messages[(int(data["chat"]["id"]), int(data["message_id"]))] = stored
        return stored

    def message(self, chat_id: int, message_id: int | None, *, missing: str) -> StoredMessage:
        """A stored message, or 400 with Telegram's ``missing`` reason."""
        stored = self.messages.get((chat_id, message_id or 0))
        if stored is None:
            raise bad_request(missing)
        return stored

    def record(self, method: str, stored: StoredMessage, *, edited: bool) -> BotMessage:
        """Add what the bot sent or edited to the outbox and return its snapshot."""
        snapshot = bot_message(method, stored, edited=edited)
        self.outbox.append(snapshot)
        return snapshot

    def keep_file(self, data: bytes, prefix: str = "AgAC") -> tuple[str, str]:
        """Store uploaded bytes; return (file_id, file_unique_id)."""
        number = next(self._file_ids)
        file_id = f"{prefix}EmU{number:08d}"
        self.files[file_id] = data
        return file_id, f"EmU{number:06d}"

    # -- chat members ------------------------------------------------------------------

    def member(self, chat: dict[str, Any], user_id: int) -> dict[str, Any]:
        """The ChatMember JSON of a user in a chat."""
        user = self.bot if user_id == self.bot["id"] else self.users.get(user_id)
        if user is None:
            raise bad_request("user not found")
        admins = self.admins.get(int(chat["id"]), set())
        if chat["type"] != "private" and user_id in admins:
            creator = min(admins) == user_id
            if creator:
                return {"status": "creator", "user": user, "is_anonymous": False}
            return _administrator(user)
        return {"status": "member", "user": user}

    def administrators(self, chat: dict[str, Any]) -> list[dict[str, Any]]:
        """getChatAdministrators of a group (400 in a private chat, as Telegram answers)."""
        if chat["type"] == "private":
            raise bad_request("there are no administrators in the private chat")
        return [self.member(chat, user_id) for user_id in sorted(self.admins.get(chat["id"], ()))]


def _administrator(user: dict[str, Any]) -> dict[str, Any]:
    rights = [
        "can_be_edited",
        "can_manage_chat",
        "can_delete_messages",
        "can_manage_video_chats",
        "can_restrict_members",
        "can_promote_members",
        "can_change_info",
        "can_invite_users",
        "can_post_stories",
        "can_edit_stories",
        "can_delete_stories",
        "can_pin_messages",
    ]
    member: dict[str, Any] = {"status": "administrator", "user": user, "is_anonymous": False}
    member.update(dict.fromkeys(rights, True))
    member["can_be_edited"] = False
    return member
