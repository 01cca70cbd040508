"""Flood control: a chat that sends too much is told once to slow down, then ignored a while.

Each chat (a private chat is its person; a group is the whole group; inline queries count
against the person typing them) has a token bucket in memory. A chat that runs dry gets one
short note and then every update of it is dropped, unanswered, for ``pause`` seconds, after
which its bucket is full again. The check runs before any other handler and before the
database is touched, so a script sending hundreds of messages costs the bot microseconds
per update and other chats keep their answers.

With several instances (PostgreSQL or REDIS_URL) the buckets are shared (``shared``, set by
``bot.limits``): the same numbers, kept in the database or Redis, so a flooder behind a
balancer gets one allowance, not one per instance. That costs one round trip per update;
if the shared store fails, the process's own buckets decide meanwhile.
"""

from __future__ import annotations

import enum
import logging
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final, Protocol

from telegram import InlineQueryResultsButton, Update
from telegram.error import TelegramError
from telegram.ext import ApplicationHandlerStop, TypeHandler

from handlers.context import BotContext
from handlers.outcome import IGNORED, THROTTLED, mark
from locales import _, in_language, supported_language
from views.telegram_html import escape

log = logging.getLogger(__name__)

# A person forwarding a batch of 10-20 messages, or pressing buttons quickly, stays within
# the burst; a script does not. Three a second sustained is more than anyone types, and
# about what Telegram lets the bot send back to one chat (1/s in private, 20/min in groups).
BURST: Final = 20
REFILL_PER_SECOND: Final = 3.0
# Long enough that a script gives up or slows down; the slow-down note says "a minute".
PAUSE_SECONDS: Final = 60.0
# A chat not heard from this long has a full bucket again anyway (20 / 3 per s < 7 s), so
# forgetting it loses nothing; it stays well above PAUSE_SECONDS so a paused chat is kept.
FORGET_AFTER_SECONDS: Final = 600.0
# The table never holds more chats than this (a few megabytes); beyond it the chat heard
# from least recently is forgotten first, even if it has not been idle that long.
MAX_CHATS: Final = 50_000

# The handler group of the flood guard: below every other group, so it runs first (PTB
# runs the groups of one update in order, in the same task, lowest first).
FLOOD_GROUP: Final = -10

# Start parameter of the button shown instead of inline results while the person is paused.
_INLINE_START: Final = "slow_down"


class Verdict(enum.Enum):
    """What to do with one update of a chat."""

    PASS = "pass"  # handle it as usual
    THROTTLE = "throttle"  # the chat just ran dry: tell it to slow down, handle nothing
    IGNORE = "ignore"  # the chat is paused: drop the update without a word


@dataclass(slots=True)
class _Bucket:
    tokens: float
    seen: float  # clock of the last update of this chat (tokens were counted then)
    paused_until: float | None = None


class FloodLimiter:
    """A token bucket per chat, kept in memory and bounded in size.

    Args:
        burst: Updates a chat may send at once (the bucket's size).
        per_second: Updates a second the bucket fills back by.
        pause: Seconds a chat that ran dry is ignored; then its bucket is full again.
        forget_after: A chat not heard from this long is forgotten.
        max_chats: At most this many chats are kept; the least recently heard go first.
        clock: Monotonic seconds; tests pass their own.
    """

    def __init__(
        self,
        *,
        burst: int = BURST,
        per_second: float = REFILL_PER_SECOND,
        pause: float = PAUSE_SECONDS,
        forget_after: float = FORGET_AFTER_SECONDS,
        max_chats: int = MAX_CHATS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if burst < 1 or per_second <= 0 or pause < 0 or max_chats < 1:
            raise ValueError("burst and max_chats must be >= 1, per_second > 0, pause >= 0")
        self.burst = burst
        self.per_second = per_second
        self.pause = pause
        self.forget_after = forget_after
        self.max_chats = max_chats
        self.clock = clock
        # Least recently heard first: forgetting idle chats only ever looks at the front.
        self._buckets: OrderedDict[int, _Bucket] = OrderedDict()

    def __len__(self) -> int:
        """How many chats are remembered."""
        return len(self._buckets)

    def check(self, key: int) -> Verdict:
        """Count one update of chat ``key`` and say what to do with it."""
        now = self.clock()
        bucket = self._buckets.get(key)
        if bucket is None:
            self._forget_idle(now)
            bucket = self._buckets[key] = _Bucket(tokens=float(self.burst), seen=now)
        else:
            self._buckets.move_to_end(key)
        if bucket.paused_until is not None:
            if now < bucket.paused_until:
                bucket.seen = now
                return Verdict.IGNORE
            bucket.paused_until, bucket.tokens = None, float(self.burst)
        else:
            bucket.tokens = min(self.burst, bucket.tokens + (now - bucket.seen) * self.per_second)
        bucket.seen = now
        if bucket.tokens >= 1:
            bucket.tokens -= 1
            return Verdict.PASS
        bucket.paused_until = now + self.pause
        return Verdict.THROTTLE

    def _forget_idle(self, now: float) -> None:
        """Drop chats idle for ``forget_after`` seconds, and the oldest beyond ``max_chats``."""
        buckets = self._buckets
        while buckets:
            oldest = next(iter(buckets.values()))
            if len(buckets) < self.max_chats and now - oldest.seen < self.forget_after:
                return
            buckets.popitem(last=False)


def flood_key(update: Update) -> int | None:
    """Whose bucket an update counts against: the chat, else the person (inline queries,
    buttons under inline messages); None for updates no person sends (membership changes,
    channel posts, polls), which are never limited."""
    if not (
        update.message or update.edited_message or update.callback_query or update.inline_query
    ):
        return None
    if update.effective_chat is not None:
        return update.effective_chat.id
    return update.effective_user.id if update.effective_user is not None else None


def _language(update: Update, context: BotContext) -> str:
    """The language of the slow-down note, as ``handlers.chats`` picks it but without a
    database read: the chat's preferences if already in memory, else the person's own."""
    prefs = context.chat_data.prefs if context.chat_data is not None else None
    if prefs is not None and prefs.language:
        return prefs.language
    user = update.effective_user
    personal = supported_language(user.language_code if user else None)
    return personal or context.bot_data.default_language


async def _tell_to_slow_down(update: Update, context: BotContext) -> None:
    """Send the one slow-down note, where this kind of update can be answered."""
    with in_language(_language(update, context)):
        text = _("You are sending messages too fast. I will answer again in a minute.")
    if update.callback_query is not None:
        await update.callback_query.answer(text, show_alert=True)
    elif update.inline_query is not None:
        # No chat to write to: a button above the (empty) results says it instead.
        button = InlineQueryResultsButton(text=text, start_parameter=_INLINE_START)
        await update.inline_query.answer([], cache_time=0, is_personal=True, button=button)
    elif update.effective_chat is not None:
        await context.bot.send_message(update.effective_chat.id, escape(text))


class SharedBuckets(Protocol):
    """Flood buckets kept outside the process (``storage.shared_limits``,
    ``bot.redis_limits``)."""

    async def check(self, key: int, burst: float, per_second: float, pause: float) -> str:
        """Count one update of ``key``: "pass", "throttle" or "ignore"."""


class FloodGuard(TypeHandler[Update, BotContext, None]):
    """Runs before every other handler: lets an update through, or stops it for good.

    Its ``limiter`` may be replaced (tests use small limits and their own clock); with
    ``shared`` set, the shared buckets decide with the limiter's numbers. ``lifted``
    says a caller chose the limiter (``bot.app.lift_flood_limit``): nothing shared then.
    """

    __slots__ = ("lifted", "limiter", "shared")

    def __init__(self, limiter: FloodLimiter | None = None) -> None:
        super().__init__(Update, self.on_update)
        self.limiter = FloodLimiter() if limiter is None else limiter
        self.shared: SharedBuckets | None = None
        self.lifted = False

    async def verdict(self, key: int) -> Verdict:
        """What to do with one more update of ``key``, asking the shared buckets if any."""
        if self.shared is None:
            return self.limiter.check(key)  # before any await: floods are dropped at once
        limiter = self.limiter
        try:
            answer = await self.shared.check(key, limiter.burst, limiter.per_second, limiter.pause)
        except Exception as exc:
            log.warning("shared flood buckets unavailable (%s); this process decides", exc)
            return limiter.check(key)
        return Verdict(answer)

    async def on_update(self, update: Update, context: BotContext) -> None:
        """Count the update against its chat; stop it when the chat sends too much."""
        key = flood_key(update)
        if key is None:
            return
        verdict = await self.verdict(key)
        if verdict is Verdict.PASS:
            return
        if verdict is Verdict.THROTTLE:
            mark(THROTTLED)
            log.info("chat %s sends too fast: ignored for %.0f s", key, self.limiter.pause)
            try:
                await _tell_to_slow_down(update, context)
            except TelegramError as exc:
                log.info("could not tell chat %s to slow down: %s", key, exc)
        else:
            mark(IGNORED)
        raise ApplicationHandlerStop
