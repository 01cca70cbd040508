"""How fast the bot answers, against an echo bot on the same emulator, and how fast it starts.

1. Updates per second answered for ``/rates``, ``/convert`` and free-text questions with
   10,000 stories stored (SQLite file), next to an echo bot measured on the same in-process
   emulator in the same run, sent the same texts. Target: the bot at least 0.7 of the echo
   rate. Each scenario cycles through varied texts (currency lists; 64 amounts and currency
   pairs; 64 questions made from the stored titles' words), so no cache of one answer can
   stand in for the work.
2. Seconds from starting ``newsbot run`` (a subprocess with BOT_TOKEN and
   TELEGRAM_API_BASE_URL pointing at the emulator's HTTP front) to its first getUpdates,
   with 100,000 stories stored, next to the same with an empty store. Target: at most 3 s.

Stories come from the shared corpora (read at run time, never copied into the project),
cycled with numbered titles to reach the counts. Run: ``python -m bench.bench_bot``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import itertools
import logging
import os
import random
import re
import signal
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from telegram import Update
from telegram.ext import Application, ContextTypes, MessageHandler, filters

from bench.corpora import kz_gov_stories, upl_stories
from bench.search_eval.hostile import HOSTILE
from bot.app import build_application, lift_flood_limit
from bot.demo import demo_files
from bot.heap import thaw
from bot.run import warm_index
from bot.settings import load_settings, to_async_url
from bot_api_emulator import DUMMY_TOKEN, BotApiEmulator
from bot_api_emulator.http import serve_http
from core.types import StoryDraft
from sources.ingest import Ingestor
from storage.database import make_engine, make_sessionmaker, upgrade_database
from storage.stories import add_stories

CHATS = 16  # people writing at once, as many as the bot handles concurrently
TOKEN = "777:BENCH"
VARIANTS = 64  # different texts per scenario
# The demo store has these currencies (and USD).
STORED = ("USD", "KZT", "KGS", "UZS", "TJS", "TMT")
_CURRENCY_WORDS = {
    "USD": ("usd", "dollars", "долларов", "$"),
    "KZT": ("kzt", "tenge", "тенге", "₸"),
    "KGS": ("kgs", "som", "сом"),
    "UZS": ("uzs", "sum", "сумов"),
    "TJS": ("tjs", "somoni", "сомони"),
    "TMT": ("tmt", "manat", "манат"),
}
_QUESTION_FORMS = ("{} {}", "{} {} news", "what about {} and {}", "{} in {}", "новости {} {}")
_WORD = re.compile(r"[^\W\d_]{5,}")


def rates_texts() -> list[str]:
    """/rates alone and with lists of currencies in varied order."""
    rng = random.Random(4)
    codes = [c for c in STORED if c != "USD"]
    texts = ["/rates"]
    while len(texts) < VARIANTS:
        picked = rng.sample(codes, rng.randint(1, len(codes)))
        texts.append("/rates " + " ".join(c.lower() for c in picked))
    return texts


def _amount(rng: random.Random) -> str:
    value = rng.choice([rng.randint(1, 999), rng.randint(1000, 5_000_000)])
    cents = rng.choice(["", f".{rng.randint(1, 99):02d}", f",{rng.randint(1, 99):02d}"])
    if value >= 1000 and rng.random() < 0.4:
        return f"{value:,}".replace(",", " ") + cents.replace(".", ",")
    return f"{value}{cents}"


def convert_texts() -> list[str]:
    """``/convert AMOUNT FROM TO`` with varied amounts, currencies and their spellings."""
    rng = random.Random(5)
    texts: list[str] = []
    while len(texts) < VARIANTS:
        source, target = rng.sample(STORED, 2)
        words = (rng.choice(_CURRENCY_WORDS[source]), rng.choice(_CURRENCY_WORDS[target]))
        joiner = rng.choice([" ", " to ", " in ", " в "])
        text = f"/convert {_amount(rng)} {words[0]}{joiner}{words[1]}"
        if text not in texts:
            texts.append(text)
    return texts


def question_texts() -> list[str]:
    """Questions made of words from the stored titles, in several phrasings."""
    rng = random.Random(6)
    base = [*kz_gov_stories(), *upl_stories()]
    texts: list[str] = []
    while len(texts) < VARIANTS:
        words = _WORD.findall(str(rng.choice(base)["title"]).lower())
        if len(words) < 2:
            continue
        first, second = rng.sample(words, 2)
        text = rng.choice(_QUESTION_FORMS).format(first, second)
        if text not in texts:
            texts.append(text)
    return texts


SCENARIOS = {"/rates": rates_texts, "/convert": convert_texts, "free text": question_texts}


def story_drafts(count: int) -> Iterator[StoryDraft]:
    """``count`` distinct stories from the corpora; later rounds get numbered titles."""
    base: list[dict[str, Any]] = [*kz_gov_stories(), *upl_stories()]
    now = datetime.now(UTC)
    for number in range(count):
        story = base[number % len(base)]
        round_ = number // len(base)
        title = str(story["title"]) + (f" ({round_ + 1})" if round_ else "")
        yield StoryDraft(
            title=title,
            text=str(story.get("text") or ""),
            url=f"https://bench.example.org/story/{number}",
            published=now - timedelta(minutes=7 * number),
            lang=str(story.get("lang") or "en"),
            source=str(story.get("source") or "bench"),
            countries=("UZ",) if story.get("source") == "upl.uz" else ("KZ",),
        )


async def build_store(path: Path, stories: int) -> str:
    """A SQLite store with the demo rates and ``stories`` stories; return its URL."""
    url = f"sqlite:///{path}"
    engine = make_engine(to_async_url(url))
    await upgrade_database(engine)
    sessions = make_sessionmaker(engine)
    await Ingestor(sessions).ingest_paths([p for p in demo_files() if p.suffix == ".txt"])
    drafts = list(story_drafts(stories))
    for start in range(0, len(drafts), 10_000):
        async with sessions.begin() as session:
            await add_stories(session, drafts[start : start + 10_000])
    await engine.dispose()
    return url


async def _echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer with the text received."""
    message = update.effective_message
    if message is not None and message.text:
        await message.reply_text(message.text)


def echo_application(emu: BotApiEmulator) -> Application[Any, Any, Any, Any, Any, Any]:
    """The baseline: a bot that does nothing but answer."""
    request = emu.request()
    builder = Application.builder().token(DUMMY_TOKEN).request(request)
    app = builder.get_updates_request(request).build()
    app.add_handler(MessageHandler(filters.TEXT, _echo))
    return app


async def answered_per_second(
    make_app: Any, texts: list[str], updates: int, *, check: bool = False
) -> float:
    """Updates answered per second with CHATS people sending ``texts`` in turn at once
    (``answered_with_cpu`` without the CPU figure)."""
    rate, _cpu = await answered_with_cpu(make_app, texts, updates, check=check)
    return rate


async def answered_with_cpu(
    make_app: Any, texts: list[str], updates: int, *, check: bool = False, warm: Any = None
) -> tuple[float, float]:
    """Updates answered per second with CHATS people sending ``texts`` in turn at once,
    and the process's CPU milliseconds per update meanwhile (all threads: the bot, the
    emulator, the database's).

    The CPU figure barely moves with the machine's load, where the rate does: on a
    shared machine compare the CPU ratio too. With ``check``, every text is first sent
    once and must get an answer that is not an error or a usage line: a bench of
    refusals would measure nothing. ``warm``, when given, is awaited with the running
    Application first, as ``newsbot run`` starts its own (``bot.run.warm_index``); what
    it froze (``bot.heap``) is thawed when the measurement ends.
    """
    emu = BotApiEmulator()
    app = make_app(emu)
    async with emu.serve(app), contextlib.AsyncExitStack() as stack:
        if warm is not None:
            stack.callback(thaw)
            await warm(app)
        chats = [emu.private_chat(emu.user(5000 + n, f"P{n}")) for n in range(CHATS)]
        for number, chat in enumerate(chats):  # warm up: first contact, search index
            assert await chat.send(texts[number % len(texts)]), f"no answer to {texts[0]!r}"
        if check:
            for text in texts:
                answer = " ".join(m.text for m in await chats[0].send(text))
                if not answer or "Usage" in answer or "went wrong" in answer:
                    raise SystemExit(f"bench text {text!r} got no real answer: {answer[:200]!r}")

        async def person(chat: Any, count: int) -> None:
            # Each person starts elsewhere in the list, so the chats send different texts.
            cycle = itertools.islice(itertools.cycle(texts), chat.id % len(texts), None)
            for text in itertools.islice(cycle, count):
                await chat.send(text)

        per_chat = max(1, updates // CHATS)
        # The garbage of the warm-up and of the bots measured before this one is
        # collected now, not in the middle of this measurement (on whichever side is next).
        gc.collect()
        started, cpu = time.perf_counter(), time.process_time()
        await asyncio.gather(*(person(chat, per_chat) for chat in chats))
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    return per_chat * CHATS / elapsed, cpu * 1000 / (per_chat * CHATS)


async def throughput(
    database_url: str, updates: int, rounds: int, only: str | None = None
) -> list[float]:
    """Print the bot's and the echo bot's rates per scenario; return the ratios.

    The two bots take turns, ``rounds`` times each (which goes first alternates); the
    ratio is the median of the ratios of back-to-back measurements, so a slow moment of a
    shared machine does not land on one side only. The rates printed are the medians.
    """
    settings = load_settings(database_url=database_url, bot_token=None, log_level="WARNING")
    ratios = []
    print(f"load average {_load()}")
    print(
        f"{'scenario':12} {'bot upd/s':>10} {'echo upd/s':>11} {'ratio':>6}"
        f" {'bot cpu ms':>11} {'echo cpu ms':>12} {'cpu ratio':>10}  (target ≥ 0.70)"
    )
    for label, make_texts in SCENARIOS.items():
        if only is not None and label != only:
            continue
        texts = make_texts()
        bot: list[tuple[float, float]] = []
        echo: list[tuple[float, float]] = []
        for round_ in range(rounds):
            echo_first = round_ % 2 == 1
            if echo_first:
                echo.append(await answered_with_cpu(echo_application, texts, updates))
            bot.append(
                await answered_with_cpu(
                    lambda emu: lift_flood_limit(
                        build_application(settings, request=emu.request())
                    ),
                    texts,
                    updates,
                    check=round_ == 0,
                    warm=warm_index,
                )
            )
            if not echo_first:
                echo.append(await answered_with_cpu(echo_application, texts, updates))
        ratio = statistics.median(b[0] / e[0] for b, e in zip(bot, echo, strict=True))
        ratios.append(ratio)
        bot_cpu = statistics.median(b[1] for b in bot)
        echo_cpu = statistics.median(e[1] for e in echo)
        print(
            f"{label:12} {statistics.median(b[0] for b in bot):10.0f}"
            f" {statistics.median(e[0] for e in echo):11.0f} {ratio:6.2f}"
            f" {bot_cpu:11.3f} {echo_cpu:12.3f} {echo_cpu / bot_cpu:10.2f}"
        )
    print(f"load average {_load()}")
    return ratios


def _load() -> str:
    """The machine's load averages (1, 5, 15 minutes): figures on a shared machine need them."""
    return " / ".join(f"{value:.2f}" for value in os.getloadavg())


async def bad_input(database_url: str) -> None:
    """Send each hostile text (``bench.search_eval.hostile``) three times through the bot
    as free text; print the slowest answer of each kind. Each must get an answer."""
    settings = load_settings(database_url=database_url, bot_token=None, log_level="WARNING")
    emu = BotApiEmulator()
    app = lift_flood_limit(build_application(settings, request=emu.request()))
    async with emu.serve(app):
        chat = emu.private_chat(emu.user(4999, "Hostile"))
        await chat.send("warm up the index")
        slowest: list[float] = []
        for text in HOSTILE:
            worst = 0.0
            for _ in range(3):
                started = time.perf_counter()
                answers = await chat.send(text)
                worst = max(worst, time.perf_counter() - started)
                if not answers:
                    raise SystemExit(f"no answer to the bad input {text[:40]!r}")
            slowest.append(worst * 1000)
    cells = ", ".join(f"{ms:.1f}" for ms in slowest)
    print(
        f"bad input as free text ({len(HOSTILE)} kinds: 4,000 characters, punctuation, stop"
        f" words, two scripts in a word, emoji, RTL), slowest answer of each, ms: {cells}"
        f"  (load average {_load()})"
    )


async def seconds_to_first_poll(database_url: str) -> float:
    """Start ``newsbot run`` against the HTTP front; seconds until its first getUpdates."""
    emu = BotApiEmulator(token=TOKEN)
    env = dict(
        os.environ,
        BOT_TOKEN=TOKEN,
        DATABASE_URL=database_url,
        LOG_LEVEL="WARNING",
        FETCH_SOURCES="false",  # measure the bot's start, not the news sites
    )
    async with serve_http(emu) as base_url:
        env["TELEGRAM_API_BASE_URL"] = base_url
        started = time.monotonic()
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "run", env=env, stderr=asyncio.subprocess.PIPE
        )
        try:
            while emu.first_get_updates_at is None:
                if process.returncode is not None:
                    stderr = await process.stderr.read() if process.stderr else b""
                    raise SystemExit(f"newsbot run exited: {stderr.decode().strip()}")
                await asyncio.sleep(0.005)
        finally:
            if process.returncode is None:
                process.send_signal(signal.SIGTERM)
            await asyncio.wait_for(process.wait(), 60)
    return emu.first_get_updates_at - started


async def main(updates: int, rounds: int, only: str | None = None) -> None:
    """Build the stores, then measure throughput and start-up."""
    logging.basicConfig(level=logging.WARNING)
    with tempfile.TemporaryDirectory(prefix="bench-bot-") as folder:
        workdir = Path(folder)
        started = time.perf_counter()
        small = await build_store(workdir / "10k.db", 10_000)
        print(f"store with 10,000 stories built in {time.perf_counter() - started:.1f} s\n")
        ratios = await throughput(small, updates, rounds, only)
        print(f"lowest ratio: {min(ratios):.2f}\n")
        if only in (None, "free text"):
            await bad_input(small)
        if only is not None:
            return

        started = time.perf_counter()
        large = await build_store(workdir / "100k.db", 100_000)
        empty = await build_store(workdir / "empty.db", 0)
        print(f"store with 100,000 stories built in {time.perf_counter() - started:.1f} s")
        for label, url in (("empty store", empty), ("100,000 stories", large)):
            times = [await seconds_to_first_poll(url) for _ in range(rounds)]
            runs = ", ".join(f"{t:.2f}" for t in times)
            print(
                f"newsbot run → first getUpdates, {label:16} "
                f"median {statistics.median(times):.2f} s  (runs: {runs}; target ≤ 3 s)"
            )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--updates", type=int, default=1600, help="timed updates per scenario")
    parser.add_argument("--rounds", type=int, default=5, help="measurements of each number")
    parser.add_argument(
        "--only", choices=list(SCENARIOS), help="measure one scenario, skip the start-up runs"
    )
    arguments = parser.parse_args()
    asyncio.run(main(arguments.updates, arguments.rounds, arguments.only))
