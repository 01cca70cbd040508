"""Trouble a test asks the emulator for: Telegram's global flood limit, and failures of
the next calls of a method (an error answer, or a network failure with no answer)."""

from __future__ import annotations

import math
import time
from collections import deque
from dataclasses import dataclass
from typing import Any

from bot_api_emulator.errors import DEFAULT_DESCRIPTIONS, ApiError, InjectedNetworkError

# Calls that put a message in a chat: what Telegram's flood limit counts.
SENDING_METHODS = frozenset(
    ["sendmessage", "sendphoto", "senddocument", "sendmediagroup", "copymessage", "forwardmessage"]
)


@dataclass
class _Failure:
    method: str
    error_code: int | None  # None: a network failure, no answer at all
    description: str
    parameters: dict[str, Any] | None
    times: int


class FaultInjection:
    """The emulator's faults (``BotApiEmulator`` is one): call ``_init_faults`` once, then
    ``_injected`` and ``_check_flood`` before answering each call."""

    errors: list[tuple[str, int | None, str]]  # the emulator's (method, code, description)

    def _init_faults(self) -> None:
        self._failures: list[_Failure] = []
        self._per_second: int | None = None
        self._recent_sends: deque[float] = deque()
        self.flood_refusals = 0  # sends answered 429 by the global limit

    def limit_rate(self, per_second: int | None = 30) -> None:
        """Answer 429 with ``retry_after`` to a send that would make more than ``per_second``
        in the last second, as Telegram's global flood limit does; None turns it off."""
        self._per_second = per_second
        self._recent_sends.clear()

    def _check_flood(self, key: str) -> None:
        if self._per_second is None or key not in SENDING_METHODS:
            return
        now = time.monotonic()
        recent = self._recent_sends
        while recent and recent[0] <= now - 1.0:
            recent.popleft()
        if len(recent) >= self._per_second:
            self.flood_refusals += 1
            wait = max(1, math.ceil(recent[0] + 1.0 - now))
            raise ApiError(429, f"Too Many Requests: retry after {wait}", {"retry_after": wait})
        recent.append(now)

    # -- failure injection ---------------------------------------------------------------

    def fail_next(
        self,
        method: str,
        error_code: int | None = 400,
        *,
        description: str | None = None,
        retry_after: int | None = None,
        migrate_to_chat_id: int | None = None,
        times: int = 1,
    ) -> None:
        """Make the next ``times`` calls of ``method`` fail.

        Args:
            method: a Bot API method name, e.g. "sendMessage" ("*" matches any).
            error_code: 400, 403, 429, 502, ...; None for a network failure (no answer).
            description: Telegram's description; a sensible one per code when omitted.
            retry_after: seconds, sent as ``parameters.retry_after`` (429).
            migrate_to_chat_id: sent as ``parameters.migrate_to_chat_id``.
            times: how many calls in a row fail.
        """
        parameters: dict[str, Any] = {}
        if error_code == 429:
            retry_after = 1 if retry_after is None else retry_after
        if retry_after is not None:
            parameters["retry_after"] = retry_after
        if migrate_to_chat_id is not None:
            parameters["migrate_to_chat_id"] = migrate_to_chat_id
        if description is None:
            if error_code == 429:
                description = f"Too Many Requests: retry after {retry_after}"
            elif migrate_to_chat_id is not None:
                description = "Bad Request: group chat was upgraded to a supergroup chat"
            else:
                description = DEFAULT_DESCRIPTIONS.get(error_code or 0, "Network failure")
        self._failures.append(
            _Failure(method.lower(), error_code, description, parameters or None, times)
        )

    def _injected(self, method: str) -> None:
        for failure in self._failures:
            if failure.method in (method, "*"):
                failure.times -= 1
                if failure.times <= 0:
                    self._failures.remove(failure)
                if failure.error_code is None:
                    self.errors.append((method, None, failure.description))
                    raise InjectedNetworkError(failure.description)
                raise ApiError(failure.error_code, failure.description, failure.parameters)
