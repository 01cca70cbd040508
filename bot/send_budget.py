"""Telegram's sending limits in one process: 30 messages a second, ~1 a second per chat.

This is the budget of a bot that runs as one process on SQLite. With PostgreSQL or
REDIS_URL the processes of a bot share one budget instead (``bot.shared_budget``); both
are a ``Budget``, and every send asks the process's one budget (``bot.limits``), built
once where the Application or a cron round is built and handed to every sender:

- bulk senders (the daily digests) ``acquire`` a slot and wait for it;
- interactive replies only ``note`` what they sent: a person waiting for an answer is
  never slowed down, but the reply uses up a slot, so the digests that follow wait
  that much longer and the total stays within the limit;
- a 429 from Telegram ``pause``s everybody who acquires, for as long as Telegram said.

The global limit is a sliding window over actual send times (at most ``per_second`` in any
``window`` seconds), not a token bucket: a bucket would allow a burst of twice the limit
around a refill, which is what Telegram punishes with 429s.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Awaitable, Callable
from typing import Protocol

TELEGRAM_PER_SECOND = 30
PER_CHAT_INTERVAL = 1.0
# A little over a second: the budget stamps a send before the request leaves, Telegram
# when it arrives; without the margin, jitter between the two could fit 31 in its second.
WINDOW_SECONDS = 1.02
# Remembering when each chat last got a message is only needed for one interval; the map
# is swept once it holds this many chats.
_SWEEP_AT = 4096


class Budget(Protocol):
    """What every sender asks before a message leaves: replies, digests, admin messages."""

    async def acquire(self, chat_id: int, *, reply: bool = False) -> None:
        """Wait until one more message to ``chat_id`` fits, and count it."""

    def pause(self, seconds: float) -> None:
        """Telegram answered 429: nobody sends for ``seconds``."""


class SendBudget:
    """A limiter of message sends for the whole process.

    Args:
        per_second: At most this many sends in any ``window`` seconds; 0 turns the global
            limit off (a bench measuring the bot without Telegram's limit).
        per_chat_interval: Seconds between two sends to the same chat; 0 turns it off.
        window: The length of the sliding window, seconds.
        clock: Monotonic seconds (tests pass a fake one).
        sleep: How to wait (tests pass a fake one).
    """

    def __init__(
        self,
        per_second: int = TELEGRAM_PER_SECOND,
        per_chat_interval: float = PER_CHAT_INTERVAL,
        *,
        window: float = WINDOW_SECONDS,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.per_second = per_second
        self.per_chat_interval = per_chat_interval
        self.window = window
        self._clock = clock
        self._sleep = sleep
        self._sent: deque[float] = deque()
        self._last_in_chat: dict[int, float] = {}
        self._paused_until = 0.0
        self.sent = 0  # every send counted, acquired or noted
        self.waited = 0.0  # seconds acquirers spent waiting, summed

    def _wait_needed(self, chat_id: int, now: float) -> float:
        wait = self._paused_until - now
        if self.per_second > 0:
            while self._sent and self._sent[0] <= now - self.window:
                self._sent.popleft()
            if len(self._sent) >= self.per_second:
                # The oldest send that must leave the window before one more fits.
                oldest = self._sent[len(self._sent) - self.per_second]
                wait = max(wait, oldest + self.window - now)
        if self.per_chat_interval > 0:
            last = self._last_in_chat.get(chat_id)
            if last is not None:
                wait = max(wait, last + self.per_chat_interval - now)
        return wait

    def _record(self, chat_id: int, now: float) -> None:
        self.sent += 1
        if self.per_second > 0:
            self._sent.append(now)
        if self.per_chat_interval > 0:
            if len(self._last_in_chat) >= _SWEEP_AT:
                horizon = now - self.per_chat_interval
                self._last_in_chat = {
                    chat: at for chat, at in self._last_in_chat.items() if at > horizon
                }
            self._last_in_chat[chat_id] = now

    async def acquire(self, chat_id: int, *, reply: bool = False) -> None:
        """Wait until one more message to ``chat_id`` fits, and count it as sent; a
        ``reply`` never waits here (see the module docstring), it is only counted."""
        if reply:
            self.note(chat_id)
            return
        while True:
            now = self._clock()
            wait = self._wait_needed(chat_id, now)
            if wait <= 0:
                # No await between the check and the record: one event loop, so the slot
                # cannot be taken by another acquirer in between.
                self._record(chat_id, now)
                return
            self.waited += wait
            await self._sleep(wait)

    def note(self, chat_id: int) -> None:
        """Count a message sent without asking (an interactive reply); never waits."""
        self._record(chat_id, self._clock())

    def pause(self, seconds: float) -> None:
        """Telegram answered 429: nobody acquires for ``seconds`` from now."""
        self._paused_until = max(self._paused_until, self._clock() + max(0.0, seconds))
