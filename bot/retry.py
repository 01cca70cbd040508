"""Retrying Bot API calls that Telegram asked us to slow down for, or that the network lost.

Installed as the bot's rate limiter, so every call (sendMessage, editMessageText,
answerCallbackQuery, ...) passes through it; getUpdates does not (PTB's polling loop
retries that itself). That makes it the place to count what the bot puts in chats
(``REPLIES`` by method) and the Bot API calls that failed for good (``ERRORS`` with the
method as the place; a failure inside a handler is counted again by the update log, with
the command as the place).

It is also the one send path of the Application's bot: every message it sends (replies,
admin messages, and alerts to come) first asks the process's send budget (``budget``,
see ``bot.limits``) as a reply, and a 429 pauses that budget for every process.
Digests go through the same budget from ``bot.digests``, as bulk.
"""

from __future__ import annotations

import asyncio
import logging
import warnings
from collections.abc import Callable, Coroutine
from datetime import timedelta
from typing import Any

from telegram.error import BadRequest, NetworkError, RetryAfter, TelegramError
from telegram.ext import BaseRateLimiter
from telegram.warnings import PTBDeprecationWarning

from bot.metrics import ERRORS, REPLIES, labelled
from bot.send_budget import Budget

log = logging.getLogger(__name__)

JSONResult = bool | dict[str, Any] | list[dict[str, Any]]

# Calls whose success puts something in front of a person: a message, an edit, a button's
# answer, inline results. Set-ups (setMyCommands, getMe), deletions and chat actions are not.
REPLY_METHODS = frozenset(
    [
        "sendMessage",
        "sendPhoto",
        "sendDocument",
        "sendMediaGroup",
        "copyMessage",
        "forwardMessage",
        "editMessageText",
        "editMessageMedia",
        "editMessageCaption",
        "editMessageReplyMarkup",
        "answerCallbackQuery",
        "answerInlineQuery",
    ]
)
# Calls that put a new message in a chat: what Telegram's sending limits count.
SEND_METHODS = frozenset(
    [
        "sendMessage",
        "sendPhoto",
        "sendDocument",
        "sendMediaGroup",
        "sendAnimation",
        "sendVideo",
        "sendAudio",
        "sendVoice",
        "sendSticker",
        "sendLocation",
        "sendPoll",
        "copyMessage",
        "forwardMessage",
    ]
)


def _chat_of(data: dict[str, Any]) -> int | None:
    """The numeric chat a call writes to; None for "@channel" names and calls without one."""
    chat = data.get("chat_id")
    if isinstance(chat, int):
        return chat
    if isinstance(chat, str) and chat.lstrip("-").isdigit():
        return int(chat)
    return None


def _wait_of(error: RetryAfter) -> float:
    """Seconds Telegram asked us to wait, whichever type this PTB version returns."""
    with warnings.catch_warnings():
        # PTB 22 warns that the int will become a timedelta; both are handled here.
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value = error.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


class RetryingLimiter(BaseRateLimiter[None]):
    """Wait out ``429 retry_after`` and retry network failures with exponential backoff.

    Args:
        attempts: How many times a call is tried in all.
        backoff: Seconds before the first network retry; doubled each time.
        max_wait: A longer ``retry_after`` than this is not waited out but raised,
            so one chat's flood limit never stalls a handler for minutes.
        budget: The send budget every message asks first: the process's own, built
            with the Application (replaced by ``bot.app`` with the shared one when the
            store opens).
    """

    def __init__(
        self,
        budget: Budget,
        attempts: int = 3,
        backoff: float = 0.5,
        max_wait: float = 30.0,
    ) -> None:
        self.attempts = attempts
        self.backoff = backoff
        self.max_wait = max_wait
        self.budget = budget

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to release."""

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, JSONResult]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: None,
    ) -> JSONResult:
        """Make the call, retrying as described in the class docstring, and count it."""
        try:
            chat = _chat_of(data) if endpoint in SEND_METHODS else None
            result = await self._with_retries(callback, args, kwargs, endpoint, chat)
        except TelegramError as exc:
            ERRORS.labels(kind=type(exc).__name__, place=endpoint).inc()
            raise
        if endpoint in REPLY_METHODS:
            labelled(REPLIES, endpoint).inc()
        return result

    async def _with_retries(
        self,
        callback: Callable[..., Coroutine[Any, Any, JSONResult]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        chat: int | None,
    ) -> JSONResult:
        delay = self.backoff
        for attempt in range(1, self.attempts + 1):
            try:
                if chat is not None:
                    await self.budget.acquire(chat, reply=True)
                return await callback(*args, **kwargs)
            except RetryAfter as exc:
                wait = _wait_of(exc)
                self.budget.pause(wait)  # Telegram said it of the bot: every process waits
                if attempt == self.attempts or wait > self.max_wait:
                    raise
                log.warning("%s: Telegram asked to wait %.1f s; retrying", endpoint, wait)
                await asyncio.sleep(wait)
            except BadRequest:
                raise  # our request is wrong; sending it again cannot help
            except NetworkError as exc:
                if attempt == self.attempts:
                    raise
                log.warning("%s failed (%s); retry %d in %.1f s", endpoint, exc, attempt, delay)
                await asyncio.sleep(delay)
                delay *= 2
        raise AssertionError("unreachable: the last attempt returns or raises")
