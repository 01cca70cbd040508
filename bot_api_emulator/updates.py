"""Real-shaped update JSON: what Telegram would push when a person does something."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

# Telegram marks /commands anywhere in a text, with an optional @botname.
_COMMAND = re.compile(r"(?<![\w/])/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]{3,64})?")
_URL = re.compile(r"https?://[^\s<>\"]+", re.IGNORECASE)


@dataclass(frozen=True)
class UserSpec:
    """A simulated Telegram user."""

    id: int
    first_name: str = "Test"
    last_name: str | None = None
    username: str | None = None
    language_code: str | None = None
    is_bot: bool = False

    def json(self) -> dict[str, Any]:
        """The user as Telegram's User JSON."""
        data: dict[str, Any] = {"id": self.id, "is_bot": self.is_bot, "first_name": self.first_name}
        for name in ("last_name", "username", "language_code"):
            value = getattr(self, name)
            if value is not None:
                data[name] = value
        return data


def _utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def text_entities(text: str) -> list[dict[str, Any]]:
    """The entities Telegram detects in a person's plain text: bot commands and URLs."""
    found: list[dict[str, Any]] = []
    for pattern, kind in ((_COMMAND, "bot_command"), (_URL, "url")):
        for match in pattern.finditer(text):
            found.append(
                {
                    "type": kind,
                    "offset": _utf16(text[: match.start()]),
                    "length": _utf16(match.group()),
                }
            )
    return sorted(found, key=lambda entity: entity["offset"])


def private_chat_json(user: UserSpec) -> dict[str, Any]:
    """The Chat JSON of a person's private chat with the bot."""
    data: dict[str, Any] = {"id": user.id, "type": "private", "first_name": user.first_name}
    if user.last_name:
        data["last_name"] = user.last_name
    if user.username:
        data["username"] = user.username
    return data


def group_chat_json(chat_id: int, title: str, username: str | None = None) -> dict[str, Any]:
    """The Chat JSON of a supergroup."""
    data: dict[str, Any] = {"id": chat_id, "type": "supergroup", "title": title}
    if username:
        data["username"] = username
    return data


def callback_query_json(
    query_id: str, user: UserSpec, message: dict[str, Any], data: str
) -> dict[str, Any]:
    """A callback_query for pressing a button under ``message``."""
    return {
        "id": query_id,
        "from": user.json(),
        "message": message,
        # Telegram's chat_instance is an opaque global id of the chat; a stable string will do.
        "chat_instance": str((int(message["chat"]["id"]) * 2654435761) % 2**63),
        "data": data,
    }


def inline_query_json(
    query_id: str, user: UserSpec, query: str, chat_type: str, offset: str = ""
) -> dict[str, Any]:
    """An inline_query for typing ``@bot query`` in a chat of ``chat_type``."""
    return {
        "id": query_id,
        "from": user.json(),
        "query": query,
        "offset": offset,
        "chat_type": chat_type,
    }
