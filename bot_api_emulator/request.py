"""The in-process transport: a ``telegram.request.BaseRequest`` answered by the emulator."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

from telegram._utils.defaultvalue import DEFAULT_NONE
from telegram._utils.types import ODVInput
from telegram.request import BaseRequest, RequestData

from bot_api_emulator.errors import ApiError, InjectedNetworkError

if TYPE_CHECKING:
    from bot_api_emulator.emulator import BotApiEmulator


def split_api_path(url: str) -> tuple[str, str]:
    """(token, method) of a Bot API URL ``.../bot<token>/<method>``."""
    parts = unquote(urlsplit(url).path).rstrip("/").split("/")
    method = parts[-1] if parts else ""
    token = parts[-2] if len(parts) >= 2 else ""
    return token.removeprefix("bot"), method


def _file_body(content: object) -> bytes:
    if isinstance(content, bytes):
        return content
    read = getattr(content, "read", None)
    if read is not None:
        data = read()
        return data if isinstance(data, bytes) else str(data).encode()
    return str(content).encode()


def encode_answer(result: Any) -> tuple[int, bytes]:
    """The HTTP status and body Telegram sends for a successful result."""
    return 200, json.dumps({"ok": True, "result": result}, ensure_ascii=False).encode()


def encode_error(error: ApiError) -> tuple[int, bytes]:
    """The HTTP status and body Telegram sends for an error."""
    return error.error_code, json.dumps(error.payload(), ensure_ascii=False).encode()


class EmulatorRequest(BaseRequest):
    """Hands every Bot API call to a BotApiEmulator instead of sending it over HTTP.

    The parameters take the same form they take on the wire (``json_parameters``: strings
    as they are, everything else JSON-encoded), so the emulator decodes exactly what
    Telegram would receive.
    """

    def __init__(self, emulator: BotApiEmulator) -> None:
        self._emulator = emulator

    @property
    def read_timeout(self) -> float | None:
        """No default read timeout: answers come from memory."""
        return None

    async def initialize(self) -> None:
        """Nothing to open."""

    async def shutdown(self) -> None:
        """Nothing to close."""

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = DEFAULT_NONE,
        write_timeout: ODVInput[float] = DEFAULT_NONE,
        connect_timeout: ODVInput[float] = DEFAULT_NONE,
        pool_timeout: ODVInput[float] = DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """Answer one call from the emulator; an injected network failure raises."""
        token, api_method = split_api_path(url)
        raw: dict[str, Any] = dict(request_data.json_parameters) if request_data else {}
        files: dict[str, bytes] = {}
        if request_data is not None and request_data.contains_files:
            for name, field in request_data.multipart_data.items():
                files[name] = _file_body(field[1])
        try:
            self._emulator.check_token(token)
            result = await self._emulator.call(api_method, raw, files)
        except ApiError as exc:
            return encode_error(exc)
        except InjectedNetworkError:
            raise  # BaseRequest turns it into telegram.error.NetworkError, like a lost connection
        return encode_answer(result)
