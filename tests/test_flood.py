"""Flood control: one chat flooding the bot is told once to slow down, others keep answers."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram import Update
from telegram.ext import TypeHandler

import locales
from bot.app import CONCURRENT_UPDATES
from bot_api_emulator import BotMessage
from bot_api_emulator.chats import ChatDriver
from handlers.context import BotContext
from handlers.flood import FLOOD_GROUP, MAX_CHATS, FloodLimiter, Verdict, flood_key
from tests.bot_bench import Bench, only, running_bot

SLOW_DOWN = "You are sending messages too fast. I will answer again in a minute."


class Clock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _slow_down_in(language: str) -> str:
    with locales.in_language(language):
        return locales._(SLOW_DOWN)


def _slow_downs(messages: list[BotMessage]) -> list[BotMessage]:
    return [m for m in messages if m.text == SLOW_DOWN]


# -- the limiter alone ---------------------------------------------------------------------


def test_a_burst_passes_then_one_throttle_then_silence_until_the_pause_ends() -> None:
    clock = Clock()
    limiter = FloodLimiter(burst=5, per_second=1.0, pause=60.0, clock=clock)
    verdicts = [limiter.check(7) for _ in range(9)]
    assert verdicts == [Verdict.PASS] * 5 + [Verdict.THROTTLE] + [Verdict.IGNORE] * 3
    clock.now += 59.9
    assert limiter.check(7) is Verdict.IGNORE
    assert limiter.check(8) is Verdict.PASS  # another chat was never limited
    clock.now += 0.2
    # After the pause the bucket is full again: a whole burst passes.
    assert [limiter.check(7) for _ in range(6)] == [Verdict.PASS] * 5 + [Verdict.THROTTLE]


def test_the_bucket_refills_at_its_rate() -> None:
    clock = Clock()
    limiter = FloodLimiter(burst=3, per_second=2.0, clock=clock)
    assert [limiter.check(1) for _ in range(3)] == [Verdict.PASS] * 3
    clock.now += 1.0  # two tokens back
    assert [limiter.check(1) for _ in range(3)] == [Verdict.PASS] * 2 + [Verdict.THROTTLE]


def test_a_person_at_typing_speed_is_never_limited() -> None:
    clock = Clock()
    limiter = FloodLimiter(clock=clock)  # the production limits
    for _ in range(2000):
        assert limiter.check(1) is Verdict.PASS
        clock.now += 0.5  # two messages a second, for over a quarter of an hour
    # A forwarded batch of 20 at once is fine too.
    assert [limiter.check(1) for _ in range(20)] == [Verdict.PASS] * 20


def test_100k_distinct_chats_keep_the_table_bounded() -> None:
    clock = Clock()
    small = FloodLimiter(max_chats=1000, clock=clock)
    default = FloodLimiter(clock=clock)
    for chat in range(100_000):
        assert small.check(chat) is Verdict.PASS
        assert default.check(-chat) is Verdict.PASS
        clock.now += 0.0001
        assert len(small) <= 1000
    assert len(default) <= MAX_CHATS


def test_idle_chats_are_forgotten_but_a_paused_one_is_kept() -> None:
    clock = Clock()
    limiter = FloodLimiter(burst=2, pause=60.0, forget_after=600.0, clock=clock)
    for chat in range(100):
        limiter.check(chat)
    flooder = 5000
    for _ in range(3):
        limiter.check(flooder)  # 2 pass, the third pauses it
    clock.now += 601.0
    assert limiter.check(flooder) is Verdict.PASS  # the pause ended long ago
    limiter.check(1_000_000)  # a new chat: the 100 idle ones are forgotten
    assert len(limiter) == 2


def test_a_chat_that_keeps_flooding_stays_paused_while_others_are_pruned() -> None:
    clock = Clock()
    limiter = FloodLimiter(burst=1, pause=60.0, max_chats=10, clock=clock)
    limiter.check(0)
    assert limiter.check(0) is Verdict.THROTTLE
    for chat in range(1, 100):  # many other chats, the flooder keeps sending between them
        limiter.check(chat)
        assert limiter.check(0) is Verdict.IGNORE
        assert len(limiter) <= 10


@pytest.mark.parametrize(
    "arguments",
    [{"burst": 0}, {"per_second": 0.0}, {"pause": -1.0}, {"max_chats": 0}],
)
def test_nonsense_limits_are_refused(arguments: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        FloodLimiter(**arguments)


def test_updates_no_person_sends_are_never_limited() -> None:
    bot_user = {"id": 123456, "is_bot": True, "first_name": "Bot"}
    member = {
        "update_id": 1,
        "my_chat_member": {
            "chat": {"id": -100, "type": "supergroup", "title": "G"},
            "from": {"id": 5, "is_bot": False, "first_name": "A"},
            "date": 0,
            "old_chat_member": {"user": bot_user, "status": "member"},
            "new_chat_member": {"user": bot_user, "status": "left"},
        },
    }
    post = {
        "update_id": 2,
        "channel_post": {"message_id": 1, "date": 0, "chat": {"id": -200, "type": "channel"}},
    }
    assert flood_key(Update.de_json(member, None)) is None
    assert flood_key(Update.de_json(post, None)) is None


# -- the bot -------------------------------------------------------------------------------


async def _wait_until(condition: Any, seconds: float = 20.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        await asyncio.sleep(0.005)


def _count_reaching_handlers(bench: Bench) -> list[int]:
    """Chat ids of the updates that got past flood control (seen from a late group)."""
    seen: list[int] = []

    async def note(update: Update, context: BotContext) -> None:
        if update.effective_chat is not None:
            seen.append(update.effective_chat.id)

    bench.app.add_handler(TypeHandler(Update, note), group=99)
    return seen


def _record_handling_order(bench: Bench) -> list[int]:
    """Chat ids of the updates in the order their handling began (before flood control)."""
    started: list[int] = []

    async def note(update: Update, context: BotContext) -> None:
        if update.effective_chat is not None:
            started.append(update.effective_chat.id)

    bench.app.add_handler(TypeHandler(Update, note), group=FLOOD_GROUP - 1)
    return started


def _enqueue(bench: Bench, update: dict[str, Any]) -> None:
    # The update queue is what polling and the webhook feed: PTB's fetcher takes updates
    # from it and handles up to 16 at once, as in production.
    bench.app.update_queue.put_nowait(Update.de_json(update, bench.app.bot))


async def test_a_flood_of_300_does_not_delay_another_chats_rates(
    database_url: str, sessions: async_sessionmaker[AsyncSession]
) -> None:
    clock = Clock()
    async with running_bot(database_url, sessions, flood=FloodLimiter(clock=clock)) as bench:
        reached = _count_reaching_handlers(bench)
        started = _record_handling_order(bench)
        flooder = bench.emu.private_chat(bench.emu.user(2002, "Bot Script", language_code="en"))
        texts = ["/rates", "/news", "milk prices", "100 usd kzt", "/country kg"]
        for n in range(300):
            _enqueue(bench, flooder.person_message(texts[n % len(texts)]))
        _enqueue(bench, bench.chat.person_message("/rates"))
        await _wait_until(lambda: bench.emu.messages_in(bench.chat.id))
        await asyncio.wait_for(bench.app.update_queue.join(), 60)

        # The quiet chat's update came last, behind 300, yet its handling began within the
        # first rounds: it waited for a free slot, not for the flood. Counted in updates,
        # not seconds, so a loaded machine cannot make this pass or fail by chance.
        assert started.index(bench.chat.id) <= 2 * CONCURRENT_UPDATES, started.index(bench.chat.id)
        assert only(bench.emu.messages_in(bench.chat.id)).text.startswith("Official rates")
        from_flooder = bench.emu.messages_in(flooder.id)
        assert len(_slow_downs(from_flooder)) == 1
        # The clock stood still: exactly a burst of 20 got through, nothing after it.
        assert reached.count(flooder.id) == 20
        assert len(from_flooder) - 1 == 20  # one answer to each of the 20
        assert reached.count(bench.chat.id) == 1

        clock.now += 61.0  # the pause is over: the flooder is answered again
        again = only(await flooder.send("/rates"))
        assert again.text.startswith("Official rates")
        assert len(_slow_downs(bench.emu.messages_in(flooder.id))) == 1


async def test_a_paused_chat_is_ignored_and_other_chats_are_not(
    database_url: str, sessions: async_sessionmaker[AsyncSession]
) -> None:
    clock = Clock()
    limiter = FloodLimiter(burst=3, per_second=1.0, pause=60.0, clock=clock)
    async with running_bot(database_url, sessions, flood=limiter) as bench:
        flooder = bench.emu.private_chat(bench.emu.user(2002, "Script"))
        for _ in range(3):
            assert (await flooder.send("/help"))[0].text.startswith("What I can do")
        assert [m.text for m in await flooder.send("/help")] == [SLOW_DOWN]
        for text in ("/help", "/rates", "hello", "/start"):
            assert await flooder.send(text) == []
        assert only(await bench.chat.send("/rates")).text.startswith("Official rates")
        clock.now += 59.0
        assert await flooder.send("/help") == []
        clock.now += 2.0
        assert (await flooder.send("/help"))[0].text.startswith("What I can do")


@pytest.mark.parametrize(
    "text",
    [
        "<b>bold</b> <script>alert(1)</script> &amp; <a href='x'>",
        "x" * 4096,
        "🇰🇿" * 500 + "\u202e\u200b\u0000",
        "/rates " + "<i>" * 300,
        "",
    ],
    ids=["html", "huge", "unicode", "command-html", "empty"],
)
async def test_a_flood_of_hostile_texts_gets_one_plain_slow_down(
    database_url: str, sessions: async_sessionmaker[AsyncSession], text: str
) -> None:
    clock = Clock()
    limiter = FloodLimiter(burst=2, clock=clock)
    async with running_bot(database_url, sessions, flood=limiter) as bench:
        flooder = bench.emu.private_chat(bench.emu.user(2002, "<b>Script</b>"))
        for _ in range(30):
            await flooder.send(text)
        assert len(_slow_downs(bench.emu.messages_in(flooder.id))) == 1
        assert bench.emu.errors == []  # every reply, the note included, was valid HTML
        assert only(await bench.chat.send("/help")).text.startswith("What I can do")


async def test_button_spam_gets_one_alert_and_then_no_answers(
    database_url: str, sessions: async_sessionmaker[AsyncSession]
) -> None:
    clock = Clock()
    limiter = FloodLimiter(burst=4, clock=clock)
    async with running_bot(database_url, sessions, flood=limiter) as bench:
        rates = only(await bench.chat.send("/rates"))
        answered_before = len(bench.emu.callback_answers)
        for _ in range(40):
            await bench.chat.press(rates, "100 USD → KZT")
        answers = bench.emu.callback_answers[answered_before:]
        # 3 presses within the burst are answered (acknowledged), the 4th token was /rates.
        alerts = [a for a in answers if a.get("text") == SLOW_DOWN]
        assert len(alerts) == 1 and alerts[0].get("show_alert") is True
        assert len(answers) == 3 + 1
        assert len(_slow_downs(bench.emu.messages_in(bench.chat.id))) == 0  # no chat message
        other = bench.emu.private_chat(bench.emu.user(3003, "Other"))
        assert only(await other.send("/rates")).text.startswith("Official rates")


async def test_inline_spam_gets_one_slow_down_button_and_then_nothing(
    database_url: str, sessions: async_sessionmaker[AsyncSession]
) -> None:
    clock = Clock()
    limiter = FloodLimiter(burst=5, clock=clock)
    async with running_bot(database_url, sessions, flood=limiter) as bench:
        group = bench.emu.group_chat("Friends", admins=[bench.aida])
        results = [await group.inline("100 usd kzt", from_user=bench.aida) for _ in range(30)]
        assert all(results[:5]) and not any(results[5:])
        answers = [params for method, params in bench.emu.calls if method == "answerInlineQuery"]
        assert len(answers) == 6
        assert answers[-1]["button"]["text"] == SLOW_DOWN
        assert answers[-1]["results"] == []
        # The person is paused everywhere, their private chat included (one bucket per person).
        assert await bench.chat.send("/rates") == []
        someone = bench.emu.user(3003, "Someone")
        assert await group.inline("100 usd kzt", from_user=someone)


async def test_a_group_is_limited_as_a_whole_and_told_once(
    database_url: str, sessions: async_sessionmaker[AsyncSession]
) -> None:
    clock = Clock()
    limiter = FloodLimiter(burst=4, clock=clock)
    async with running_bot(database_url, sessions, flood=limiter) as bench:
        people = [bench.emu.user(4000 + n, f"P{n}") for n in range(5)]
        group = bench.emu.group_chat("Busy", admins=people[:1])
        quiet = bench.emu.group_chat("Quiet", chat_id=-1009, admins=people[:1])
        for n in range(25):
            await group.send("/rates", from_user=people[n % 5])
        in_group = bench.emu.messages_in(group.id)
        assert len(_slow_downs(in_group)) == 1
        assert len(in_group) == 4 + 1
        assert only(await quiet.send("/rates", from_user=people[1])).text.startswith(
            "Official rates"
        )
        # The people themselves are not paused in their private chats.
        assert only(await bench.emu.private_chat(people[2]).send("/help"))


async def test_the_note_is_in_the_chats_language_without_reading_the_store(
    database_url: str, sessions: async_sessionmaker[AsyncSession]
) -> None:
    clock = Clock()
    limiter = FloodLimiter(burst=3, clock=clock)
    async with running_bot(database_url, sessions, flood=limiter, language_code="ru") as bench:
        # The person (Telegram in Russian) chose Kazakh for the chat: kept in memory.
        choices = only(await bench.chat.send("/lang"))
        kazakh = next(b for b in choices.flat_buttons if b.callback_data == "lang:kk")
        await bench.chat.press(choices, kazakh.text)
        stranger = bench.emu.private_chat(bench.emu.user(5005, "Uzbek", language_code="uz"))
        unknown = bench.emu.private_chat(bench.emu.user(6006, "Nobody", language_code="xx"))
        for _ in range(5):
            await bench.chat.send("/help")
            await stranger.send("/help")
            await unknown.send("/help")
        assert bench.emu.messages_in(bench.chat.id)[-1].text == _slow_down_in("kk")
        assert bench.emu.messages_in(stranger.id)[-1].text == _slow_down_in("uz")
        assert bench.emu.messages_in(unknown.id)[-1].text == SLOW_DOWN  # the default


async def test_a_blocked_flooder_costs_no_error(
    database_url: str, sessions: async_sessionmaker[AsyncSession]
) -> None:
    clock = Clock()
    limiter = FloodLimiter(burst=1, clock=clock)
    async with running_bot(database_url, sessions, flood=limiter) as bench:
        flooder: ChatDriver = bench.emu.private_chat(bench.emu.user(2002, "Script"))
        await flooder.send("/help")
        bench.emu.block(2002)
        assert await flooder.send("/help") == []  # the note could not be sent: no apology
        assert [code for _, code, _ in bench.emu.errors] == [403]
        assert only(await bench.chat.send("/help"))
