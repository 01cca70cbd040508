"""One bulk message through the send budget, and what Telegram's answer means for it.

The digest pass (``bot.digests``) and the notice pass (``bot.notices``) both send messages
nobody is waiting for. Both ask the shared send budget for each one and read Telegram's
answer the same way; this module is that one way:

- accepted: ``SENT``;
- 429: every sender of the bot pauses (``Budget.pause``); a wait up to ``MAX_RETRY_AFTER``
  seconds is waited out and the message sent again, a longer one (or the
  ``MAX_FLOOD_RETRIES``-th 429 for one message) is ``FLOODED``: put it back for after the
  wait, and it does not count as a failed attempt;
- "group chat was upgraded": the caller's ``move`` hook moves the chat, and the message goes
  to the new id (at most ``MAX_MOVES`` times); a move that fails is ``REJECTED``;
- 403 or 400 "chat not found" (``handlers.unreachable.is_unreachable``): ``UNREACHABLE``;
- any other 400: ``REJECTED`` (the message itself is wrong; retrying would loop);
- network trouble: ``NETWORK`` (put it back; Telegram may have taken it before the
  connection dropped, and a repeat is the lesser evil next to a lost message).
"""

from __future__ import annotations

import enum
import warnings
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Protocol

from telegram import Bot, InlineKeyboardMarkup
from telegram.error import BadRequest, ChatMigrated, Forbidden, RetryAfter, TelegramError
from telegram.warnings import PTBDeprecationWarning

from bot.send_budget import Budget
from handlers.reply import post_html
from handlers.unreachable import is_unreachable

MAX_RETRY_AFTER = 60.0  # seconds of a 429 waited out in place; longer ones are put back
MAX_FLOOD_RETRIES = 3  # 429s for one message before it is put back anyway
MAX_MOVES = 2  # supergroup upgrades followed for one message


class HtmlSender(Protocol):
    """Sends one HTML message to a chat; raises PTB's errors as Telegram's answers."""

    async def __call__(
        self, chat_id: int, html: str, keyboard: InlineKeyboardMarkup | None = None
    ) -> None: ...


def pass_bot(token: str, base_url: str, workers: int) -> Bot:
    """A Bot of a pass's own: a connection pool wide enough for its workers, and no retrying
    rate limiter (a pass handles 429s itself, within the send budget)."""
    from telegram.request import HTTPXRequest

    return Bot(token, base_url=base_url, request=HTTPXRequest(connection_pool_size=workers + 2))


def telegram_sender(bot: Bot) -> HtmlSender:
    """Send through ``bot`` in HTML without link previews, with an optional inline keyboard;
    the answer unparsed (``handlers.reply.post_html``: turning it into a Message costs more
    than the send)."""

    async def send(chat_id: int, html: str, keyboard: InlineKeyboardMarkup | None = None) -> None:
        await post_html(bot, chat_id, html, keyboard)

    return send


class Answer(enum.Enum):
    """What became of one message."""

    SENT = "sent"
    FLOODED = "flooded"
    UNREACHABLE = "unreachable"
    REJECTED = "rejected"
    NETWORK = "network"


@dataclass(frozen=True, slots=True)
class Outcome:
    """Telegram's last answer to one message, read.

    Attributes:
        answer: What it means.
        chat_id: The chat the message went (or last tried to go) to: the new id after a move.
        reason: Why, for the log and the row's ``error``; empty when sent.
        wait: Seconds Telegram asked us to wait (``FLOODED``), else 0.
        error: The exception Telegram's answer raised, if any.
    """

    answer: Answer
    chat_id: int
    reason: str = ""
    wait: float = 0.0
    error: TelegramError | None = None


def retry_after_seconds(error: RetryAfter) -> float:
    """The wait a 429 asked for, in seconds (PTB gives an int or a timedelta)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value = error.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


async def send_within_budget(
    send: Callable[[int], Awaitable[None]],
    chat_id: int,
    budget: Budget,
    *,
    sleep: Callable[[float], Awaitable[None]],
    move: Callable[[int, int], Awaitable[bool]],
) -> Outcome:
    """Send one message to ``chat_id`` within ``budget`` and read Telegram's answer.

    Args:
        send: Sends the message to the chat id it is given; raises PTB's errors.
        chat_id: Where it goes first.
        budget: The bot's send budget; every attempt takes a bulk slot.
        sleep: How to wait out a short 429 (tests pass a fake one).
        move: ``move(old_id, new_id)`` for a group that became a supergroup; False when the
            chat could not be moved (the message then fails).

    Returns:
        The outcome; only network trouble and 429s are worth another try later.
    """
    floods = moves = 0
    while True:
        await budget.acquire(chat_id)
        try:
            await send(chat_id)
        except RetryAfter as exc:
            wait = retry_after_seconds(exc)
            floods += 1
            if wait > MAX_RETRY_AFTER or floods > MAX_FLOOD_RETRIES:
                # Not a pause for everybody: if the limit is the bot's, every other send
                # answers the same and is put back at once; if it is this chat's, the
                # others go on.
                return Outcome(Answer.FLOODED, chat_id, f"429: retry after {wait:g} s", wait, exc)
            budget.pause(wait)  # the others wait too: Telegram said so for the bot
            await sleep(wait)
        except ChatMigrated as exc:
            moves += 1
            new_id = int(exc.new_chat_id)
            if moves > MAX_MOVES or not await move(chat_id, new_id):
                reason = f"chat {chat_id} moved to {exc.new_chat_id}"
                return Outcome(Answer.REJECTED, chat_id, reason, error=exc)
            chat_id = new_id
        except (Forbidden, BadRequest) as exc:
            if is_unreachable(exc):
                return Outcome(Answer.UNREACHABLE, chat_id, str(exc), error=exc)
            reason = f"{type(exc).__name__}: {exc.message}"
            return Outcome(Answer.REJECTED, chat_id, reason, error=exc)
        except TelegramError as exc:
            # A lost connection or a timeout.
            return Outcome(Answer.NETWORK, chat_id, f"{exc}", error=exc)
        else:
            return Outcome(Answer.SENT, chat_id)
