"""One send budget per bot token, shared by all its processes (PostgreSQL or Redis).

Telegram counts the messages of a bot, not of a process: 30 a second in all, one a second
per chat, 20 a minute per group. With PostgreSQL (or REDIS_URL) every process of the bot
(webhook instances, ``newsbot digest run-due``, later alerts) asks one shared schedule for
each send. The schedule is a generic cell rate algorithm: it keeps the start of the bot's
next free slot (slots are ``window / per_second`` apart) and each chat's next free moment;
taking a slot moves both on. A slot may lie a little ahead: the sender sleeps until it,
on the store's clock (``bot.store_clock``), and gives the slot up if it woke too late.

In each process a ``SharedBudget`` queues its senders and asks for one slot at a time:

- replies (``reply=True``) are served before digests and may take a slot up to
  ``REPLY_HORIZON`` ahead; a process holds at most ``BULK_BOOKED`` digest slots not yet
  reached, so a reply waits behind at most that many digests per process;
- waiting chats are served round-robin: after a chat gets a slot it goes to the back, so
  a crowd of busy chats never starves a quiet one; a chat that must wait for its own
  interval is set aside and does not hold up the others;
- a sender that wakes more than ``LATE_LIMIT`` after its slot (the machine was busy)
  asks for a new one instead of sending: sent late, it would reach Telegram in the same
  second as the slots after it, the bunching that draws a 429;
- a 429 from Telegram (``pause``) moves the shared pause on: every process waits, and
  this process's senders already booked into the pause ask again after it;
- while the store cannot be reached (database or Redis restarting), the process's own
  budget (``bot.send_budget``) decides, so the bot keeps answering within its share.

Cost: one round trip to the store per send (see ``bench/bench_budget.py``).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import OrderedDict, deque
from collections.abc import Callable
from typing import Protocol

from bot.send_budget import PER_CHAT_INTERVAL, TELEGRAM_PER_SECOND, SendBudget
from bot.store_clock import StoreClock
from storage.shared_limits import ChatRule, SlotAnswer

log = logging.getLogger(__name__)

# Telegram counts the sends that reach it in any second; a send reaching it later than its
# slot shares a second with the slots after it. The spacing's margin absorbs such delays:
# with 30 slots in 1.05 s, a send may arrive 50 ms later than the one 30 slots after it.
# Senders that wake more than LATE_LIMIT late give their slot up, so what remains is the
# request's own way to Telegram (a few ms, tens on a loaded machine). A 429 costs far more
# than the margin: it pauses every process for at least a second.
SHARED_WINDOW = 1.05
LATE_LIMIT = 0.03
# Slots a sender may give up in a row before it sends late anyway.
MAX_REBOOKS = 3
# Telegram: about one message a second in a private chat, bursts tolerated; 20 a minute in
# a group (one every three seconds, no burst, so no minute ever holds more than 21). The
# private burst is the flood guard's (handlers.flood.BURST = 20): what the guard lets
# through is answered at once, so replies waiting for their own chat never hold PTB's
# update slots while other chats wait; a chat that keeps sending still gets one a second.
PRIVATE_BURST = 20
PRIVATE_CHAT = ChatRule(PER_CHAT_INTERVAL, tolerance=(PRIVATE_BURST - 1) * PER_CHAT_INTERVAL)
GROUP_CHAT = ChatRule(3.0)
REPLY_HORIZON = 1.0
# Digest slots a process may hold booked ahead: enough that a sender is booked before the
# previous one has sent, and no process polls for free slots (a refused request, asked
# again by every process at the moment a slot frees, would cost more than the send).
BULK_BOOKED = 4
# Beyond this the bot's schedule is full of other processes' sends: ask again later.
BULK_HORIZON = 3.0
# Chats whose next slot is this long past are dropped from the store now and then.
FORGET_CHATS_AFTER = 60.0
FORGET_EVERY = 300.0
# Store requests in flight at once: a request takes a round trip (~1-5 ms), and 30 sends a
# second with some refusals need a few at once on a busy machine.
IN_FLIGHT = 3
# Seconds a dispatcher with nothing to ask waits for news before looking again.
RETRY_STORE_AFTER = 0.5


class SlotStore(Protocol):
    """Where the shared schedule lives (``storage.shared_limits``, ``bot.redis_limits``)."""

    async def take(
        self, chat_id: int, interval: float, chat: ChatRule, horizon: float
    ) -> SlotAnswer: ...

    async def pause(self, seconds: float) -> None: ...

    async def forget_chats(self, idle: float) -> int: ...


def chat_rule(chat_id: int) -> ChatRule:
    """The limit of one chat: groups and channels have negative ids."""
    return GROUP_CHAT if chat_id < 0 else PRIVATE_CHAT


class SharedBudget:
    """This process's door to the bot's shared send budget.

    Args:
        store: The shared schedule.
        per_second: Sends in any ``window`` seconds.
        window: Seconds; a little over one, for the jitter between booking and sending.
        rule_of: The limit of one chat (``chat_rule``).
        clock: Monotonic seconds, for the chats set aside.
    """

    def __init__(
        self,
        store: SlotStore,
        *,
        per_second: int = TELEGRAM_PER_SECOND,
        window: float = SHARED_WINDOW,
        rule_of: Callable[[int], ChatRule] = chat_rule,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.store = store
        self.interval = window / per_second
        self.rule_of = rule_of
        self._clock = clock
        # Per class (replies, digests): chat -> its senders in order; the chat first in
        # the dict is the next to be served.
        self._queues: tuple[OrderedDict[int, deque[asyncio.Future[float]]], ...] = (
            OrderedDict(),
            OrderedDict(),
        )
        self._set_aside: dict[int, float] = {}  # chat -> monotonic time it may send again
        self._store_clock = StoreClock()
        self._paused_until = 0.0  # a 429 seen here: ask nothing until then
        self._arrived = asyncio.Event()
        self._dispatchers: set[asyncio.Task[None]] = set()
        self._asking: set[int] = set()  # chats whose request is in flight
        self._booked_bulk = 0  # digest slots handed out whose time has not come
        self._own = SendBudget(per_second, PER_CHAT_INTERVAL, window=window)
        self._store_down = False
        self._pauses: set[asyncio.Task[None]] = set()
        self._last_forget = clock()
        self.sent = 0
        self.store_calls = 0
        self.given_up = 0  # slots woken to too late (or into a pause) and asked for again

    async def acquire(self, chat_id: int, *, reply: bool = False) -> None:
        """Wait for a slot for one message to ``chat_id`` and count it as sent."""
        kind = 0 if reply else 1
        for attempt in range(MAX_REBOOKS + 1):
            slot = await self._booked(chat_id, kind, again=attempt > 0)
            try:
                delay = slot - self._clock()
                if delay > 0:
                    await asyncio.sleep(delay)
            finally:
                if not reply:
                    self._booked_bulk -= 1
                    self._wake()
            now = self._clock()
            if attempt == MAX_REBOOKS or (now - slot <= LATE_LIMIT and now >= self._paused_until):
                break
            self.given_up += 1
        self.sent += 1

    async def _booked(self, chat_id: int, kind: int, *, again: bool) -> float:
        """Queue a sender of ``chat_id``; return the local moment of the slot it gets.

        A sender asking ``again`` (its slot came too late) goes first in its class: it has
        had its turn but not its send.
        """
        waiter: asyncio.Future[float] = asyncio.get_running_loop().create_future()
        queues = self._queues[kind]
        waiters = queues.setdefault(chat_id, deque())
        if again:
            waiters.appendleft(waiter)
            queues.move_to_end(chat_id, last=False)
        else:
            waiters.append(waiter)
        self._wake()
        try:
            return await waiter
        except asyncio.CancelledError:
            self._forget_waiter(chat_id, waiter)
            raise

    def _wake(self) -> None:
        """Tell the dispatchers something changed; start them if they are not running."""
        self._arrived.set()
        if len(self._dispatchers) < IN_FLIGHT and any(self._queues):
            task = asyncio.create_task(self._dispatch())
            self._dispatchers.add(task)
            task.add_done_callback(self._dispatchers.discard)

    def pause(self, seconds: float) -> None:
        """Telegram answered 429: every process of the bot waits ``seconds`` from now."""
        self._own.pause(seconds)  # for the sends decided here while the store is away
        # Ask nothing meanwhile: a request could reach the store before the pause does.
        self._paused_until = max(self._paused_until, self._clock() + max(0.0, seconds))
        self._arrived.set()
        task = asyncio.ensure_future(self._pause(seconds))
        self._pauses.add(task)
        task.add_done_callback(self._pauses.discard)

    async def _pause(self, seconds: float) -> None:
        try:
            await self.store.pause(seconds)
        except Exception:
            log.exception("could not share a pause of %.1f s with the other processes", seconds)

    async def close(self) -> None:
        """Stop serving; senders still waiting are cancelled."""
        for task in list(self._dispatchers):
            task.cancel()
        await asyncio.gather(*self._dispatchers, return_exceptions=True)
        for queues in self._queues:
            for waiters in queues.values():
                for waiter in waiters:
                    waiter.cancel()
            queues.clear()
        await asyncio.gather(*self._pauses, return_exceptions=True)

    def _forget_waiter(self, chat_id: int, waiter: asyncio.Future[float]) -> None:
        for queues in self._queues:
            waiters = queues.get(chat_id)
            if waiters is not None and waiter in waiters:
                waiters.remove(waiter)
                if not waiters:
                    del queues[chat_id]

    def _next(self) -> tuple[int, int] | float | None:
        """(class, chat) to serve next; else seconds until a chat set aside may send;
        None when nobody waits."""
        now = self._clock()
        if self._paused_until > now and any(self._queues):
            return self._paused_until - now
        soonest: float | None = None
        for kind, queues in enumerate(self._queues):
            if kind == 1 and self._booked_bulk >= BULK_BOOKED:
                # Woken when a booked slot comes (acquire): until then nothing to ask.
                return REPLY_HORIZON if queues and soonest is None else soonest

            for chat_id in queues:
                if chat_id in self._asking:
                    continue
                ready_at = self._set_aside.get(chat_id)
                if ready_at is None or ready_at <= now:
                    self._set_aside.pop(chat_id, None)
                    return kind, chat_id
                soonest = ready_at if soonest is None else min(soonest, ready_at)
        return None if soonest is None else max(0.0, soonest - now)

    async def _dispatch(self) -> None:
        """Hand out slots while anybody waits (``IN_FLIGHT`` of these run at once)."""
        while True:
            choice = self._next()
            if choice is None:
                if not self._asking:
                    return
                await self._idle(RETRY_STORE_AFTER)  # others may come back refused
                continue
            if isinstance(choice, float):
                await self._idle(choice)
                continue
            kind, chat_id = choice
            horizon = REPLY_HORIZON if kind == 0 else BULK_HORIZON
            self._asking.add(chat_id)
            try:
                self.store_calls += 1
                asked = self._clock()
                answer = await self.store.take(
                    chat_id, self.interval, self.rule_of(chat_id), horizon
                )
                answered = self._clock()
            except Exception as exc:
                if not self._store_down:
                    log.warning("shared send budget unreachable (%s): this process decides", exc)
                self._store_down = True
                await self._own.acquire(chat_id, reply=kind == 0)
                answer = SlotAnswer(taken=True, wait=0.0, chat_busy=False)
                asked = answered = self._clock()
            else:
                if self._store_down:
                    log.warning("shared send budget reachable again")
                self._store_down = False
            finally:
                self._asking.discard(chat_id)
            if answer.taken:
                slot = self._store_clock.slot_at(asked, answered, answer.now, answer.wait)
                self._hand_out(kind, chat_id, slot)
                self._arrived.set()  # a dispatcher idling with nothing to ask may go on
            elif answer.chat_busy:
                self._set_aside[chat_id] = self._clock() + answer.wait
            else:
                # The bot's schedule is full that far ahead; a reply arriving meanwhile may
                # still fit within its longer horizon, so it wakes the dispatcher.
                await self._idle(answer.wait)
            await self._forget_now_and_then()

    def _hand_out(self, kind: int, chat_id: int, slot: float) -> None:
        queues = self._queues[kind]
        waiters = queues.get(chat_id)
        if not waiters:  # the sender gave up meanwhile: the slot goes unused
            return
        if kind == 1:
            self._booked_bulk += 1
        waiter = waiters.popleft()
        if waiters:
            queues.move_to_end(chat_id)  # round-robin: this chat waits for the others
        else:
            del queues[chat_id]
        if not waiter.done():
            waiter.set_result(slot)

    async def _idle(self, seconds: float) -> None:
        self._arrived.clear()
        # asyncio.timeout, not wait_for: on Python 3.11 wait_for drops a cancellation that
        # comes just as the event is set, and close() would wait for a dispatcher that
        # goes on serving.
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(seconds):
                await self._arrived.wait()

    async def _forget_now_and_then(self) -> None:
        now = self._clock()
        if now - self._last_forget < FORGET_EVERY:
            return
        self._last_forget = now
        try:
            await self.store.forget_chats(FORGET_CHATS_AFTER)
        except Exception:
            log.exception("could not drop idle chats from the shared send budget")
