"""Bot API call parameters as they arrive: JSON-encoded strings (form/multipart) or JSON values."""

from __future__ import annotations

import json
from typing import Any

from bot_api_emulator.errors import ApiError, bad_request

# Form bodies carry every value as text; these read back as the numbers and flags they are.
_INT_NAMES = frozenset(
    {
        "chat_id",
        "message_id",
        "user_id",
        "offset",
        "limit",
        "timeout",
        "cache_time",
        "message_thread_id",
        "from_chat_id",
        "reply_to_message_id",
    }
)
_BOOL_NAMES = frozenset(
    {
        "show_alert",
        "is_personal",
        "disable_notification",
        "protect_content",
        "drop_pending_updates",
        "disable_web_page_preview",
    }
)


class Params:
    """Typed access to one call's parameters; missing or malformed ones answer like Telegram."""

    def __init__(self, raw: dict[str, Any], files: dict[str, bytes] | None = None) -> None:
        self.raw = raw
        self.files = files or {}
        # Each JSON parameter is decoded once per call, for the call log and the method.
        # Nothing changes a decoded value in place (stored messages replace theirs).
        self._decoded: dict[str, Any] = {}

    def __contains__(self, name: str) -> bool:
        return name in self.raw

    def text(self, name: str, default: str | None = None) -> str | None:
        """A string parameter (numbers sent as JSON become their text)."""
        value = self.raw.get(name)
        if value is None:
            return default
        return value if isinstance(value, str) else json.dumps(value)

    def required_text(self, name: str) -> str:
        """A string parameter that must be present."""
        value = self.text(name)
        if value is None:
            raise bad_request(f"{name} is empty")
        return value

    def integer(self, name: str, default: int | None = None) -> int | None:
        """An integer parameter."""
        value = self.raw.get(name)
        if value is None:
            return default
        try:
            return int(value)
        except (TypeError, ValueError):
            raise bad_request(f"invalid {name} specified") from None

    def required_integer(self, name: str) -> int:
        """An integer parameter that must be present."""
        value = self.integer(name)
        if value is None:
            raise bad_request(f"{name} is empty")
        return value

    def flag(self, name: str) -> bool:
        """A boolean parameter; absent means false."""
        value = self.raw.get(name)
        if isinstance(value, str):
            return value.lower() in ("true", "1")
        return bool(value)

    def decoded(self, name: str) -> Any:
        """A JSON-serialized parameter (reply_markup, results, commands, ...)."""
        value = self.raw.get(name)
        if isinstance(value, str):
            if name in self._decoded:
                return self._decoded[name]
            try:
                decoded = self._decoded[name] = json.loads(value)
            except ValueError:
                raise bad_request(f"can't parse {name} JSON object") from None
            return decoded
        return value

    def decoded_all(self) -> dict[str, Any]:
        """Every parameter decoded to JSON values where it parses, for ``emu.calls``."""
        decoded: dict[str, Any] = {}
        for name, value in self.raw.items():
            if isinstance(value, str) and name in _INT_NAMES and value.lstrip("-").isdigit():
                decoded[name] = int(value)
                continue
            if isinstance(value, str) and name in _BOOL_NAMES:
                decoded[name] = value.lower() in ("true", "1")
                continue
            if isinstance(value, str) and value[:1] in ("{", "["):
                try:
                    decoded[name] = self.decoded(name)
                    continue
                except ApiError:
                    pass
            decoded[name] = value
        return decoded
