"""How fast one delivery pass sends daily digests, against the in-process Bot API emulator.

Run: ``.venv/bin/python bench/bench_digest.py [--subs N] [--mode limited|unlimited|both]
[postgresql://postgres@127.0.0.1:5432/test]`` (default 10,000 subscriptions, both modes, a
temporary SQLite file; with a PostgreSQL URL, a scratch database beside the named one is
created for each mode and dropped after).

- limited: the emulator answers 429 to more than 30 sends a second, as Telegram does, and the
  pass keeps to the process's send budget. Prints the total time against the floor of
  N / 30 seconds (target: at most 1.05 times the floor) and the 429s it drew.
- unlimited: no limit anywhere. Prints digests composed and sent per second (target 300).

Each mode uses a fresh store: N chats in five time zones with a 09:00 subscription to 1-5
countries, 400 stories of the last day and the five rates. Prints ratios, asserts nothing.

``--passes K``: K real ``newsbot digest run-due`` processes at once on one store, against
the emulator over HTTP limiting to 30 a second. On PostgreSQL (add ``--redis URL`` for
Redis) they share the bot's send budget (bot.limits); on SQLite (no URL) each keeps its own,
as every process did before: the baseline of the same run. Prints the digests each process
sent and put back (every digest must go in these first passes), the time from the first
to the last digest and from the start to the last process's exit against the floor of
N / 30 seconds (target <= 1.15), and the 429s drawn (target <= 5); also how long the
processes took to send their first digest and to exit after the last, and the shortest time
31 digests in a row took to arrive (Telegram refuses the 31st within a second).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import insert
from telegram import Bot

from bench.scratch_db import scratch_postgres
from bot.digests import run_due_pass, telegram_sender
from bot.send_budget import TELEGRAM_PER_SECOND, SendBudget
from bot.settings import to_async_url
from bot_api_emulator import DUMMY_TOKEN, BotApiEmulator
from bot_api_emulator.http import serve_http
from core.countries import CENTRAL_ASIA
from core.types import RateQuote
from storage.database import make_engine, make_sessionmaker, upgrade_database
from storage.models import ChatRow, StoryRow, SubscriptionRow
from storage.rates import add_rates

NOW = datetime(2026, 11, 28, 6, 0, tzinfo=UTC)  # 09:00 in Moscow, after 09:00 further east
ROOT = Path(__file__).resolve().parents[1]
RUN_DUE = (sys.executable, "-m", "bot", "digest", "run-due", "--now")
PIPE = asyncio.subprocess.PIPE
ZONES = ["Asia/Almaty", "Asia/Tashkent", "Asia/Bishkek", "Europe/Moscow", None]
STORIES = 400


async def _fill(url: str, subs: int, emu: BotApiEmulator) -> None:
    engine = make_engine(to_async_url(url))
    await upgrade_database(engine)
    sessions = make_sessionmaker(engine)
    rng = random.Random(7)
    chats, subscriptions = [], []
    for number in range(subs):
        chat_id = 10_000_000 + number
        emu.private_chat(emu.user(chat_id, f"Reader {number}"))
        chats.append(
            {"id": chat_id, "kind": "private", "language": rng.choice(["en", "ru", None]),
             "timezone": rng.choice(ZONES), "created": NOW - timedelta(days=30)}
        )  # fmt: skip
        countries = rng.sample(CENTRAL_ASIA, rng.randint(1, 5))
        subscriptions.append(
            {"chat_id": chat_id, "local_time": "09:00", "countries": ",".join(countries),
             "active": True, "created": NOW - timedelta(days=30)}
        )  # fmt: skip
    stories = []
    for number in range(STORIES):
        fetched = NOW - timedelta(minutes=rng.randint(1, 24 * 60))
        stories.append(
            {"title": f"Story {number}: a headline of a usual length about the region & more",
             "url": f"https://example.org/{number}", "source": "bench", "summary": "",
             "text": "", "countries": ",".join(rng.sample(CENTRAL_ASIA, rng.randint(1, 2))),
             "content_hash": f"{number:064d}", "published": fetched, "fetched": fetched,
             "outlets": rng.randint(1, 4), "also_reported": ""}
        )  # fmt: skip
    day = date(2026, 11, 27)
    quotes = [
        RateQuote("KZT", Decimal("472.31"), Decimal("-2.78"), day, "nbk"),
        RateQuote("KGS", Decimal("87.45"), Decimal("0.10"), day, "nbkr"),
        RateQuote("UZS", Decimal("12195.07"), Decimal("15.5"), day, "cbu"),
        RateQuote("TJS", Decimal("10.92"), None, day, "nbt"),
        RateQuote("TMT", Decimal("3.5"), Decimal("0"), day, "cbt"),
    ]
    async with sessions() as session, session.begin():
        for start in range(0, subs, 2000):
            await session.execute(insert(ChatRow), chats[start : start + 2000])
            await session.execute(insert(SubscriptionRow), subscriptions[start : start + 2000])
        await session.execute(insert(StoryRow), stories)
        await add_rates(session, quotes)
    await engine.dispose()


async def run_mode(url: str, subs: int, limited: bool) -> None:
    """Fill a store, run one pass, print the numbers of this mode."""
    emu = BotApiEmulator()
    await _fill(url, subs, emu)
    if limited:
        emu.limit_rate(TELEGRAM_PER_SECOND)
        budget = SendBudget()
    else:
        budget = SendBudget(per_second=0, per_chat_interval=0)
    engine = make_engine(to_async_url(url))
    sessions = make_sessionmaker(engine)
    async with Bot(DUMMY_TOKEN, request=emu.request()) as bot:
        started = time.perf_counter()
        report = await run_due_pass(
            sessions,
            telegram_sender(bot),
            NOW,
            default_zone="Asia/Almaty",
            default_language="en",
            budget=budget,
        )
        elapsed = time.perf_counter() - started
    await engine.dispose()
    sent = sum(1 for method, _ in emu.calls if method == "sendMessage") - emu.flood_refusals
    print(f"  {report.summary()}; messages in the emulator: {sent}")
    if limited:
        floor = subs / TELEGRAM_PER_SECOND
        print(
            f"  limited to {TELEGRAM_PER_SECOND}/s: {elapsed:.1f} s against a floor of "
            f"{floor:.1f} s = {elapsed / floor:.3f}x the floor (target <= 1.05); "
            f"429s drawn: {emu.flood_refusals}"
        )
    else:
        print(
            f"  no limit: {elapsed:.2f} s, {report.sent / elapsed:.0f} digests composed and "
            f"sent per second (target >= 300)"
        )


class StampedEmulator(BotApiEmulator):
    """The emulator, noting when each digest it accepted arrived."""

    def __init__(self, token: str) -> None:
        super().__init__(token=token)
        self.accepted: list[float] = []

    async def call(self, method: str, raw: dict[str, Any], files: Any = None) -> Any:
        arrived = time.perf_counter()  # as the emulator's own limit counts it: on arrival
        result = await super().call(method, raw, files)
        if method == "sendMessage":
            self.accepted.append(arrived)
        return result


async def run_passes(url: str, subs: int, passes: int, redis_url: str | None) -> None:
    """Fill a store; start ``passes`` run-due processes at once; print the numbers."""
    token = f"{random.randrange(10**8, 10**9)}:BenchDigestPasses"
    emu = StampedEmulator(token)
    await _fill(url, subs, emu)
    emu.limit_rate(TELEGRAM_PER_SECOND)
    async with serve_http(emu) as base_url:
        env = {**os.environ, "BOT_TOKEN": token, "TELEGRAM_API_BASE_URL": base_url,
               "DATABASE_URL": url, "LOG_LEVEL": "WARNING", "TIMEZONE": "Asia/Almaty"}  # fmt: skip
        if redis_url:
            env["REDIS_URL"] = redis_url
        started = time.perf_counter()
        processes = [
            await asyncio.create_subprocess_exec(
                *RUN_DUE, NOW.isoformat(), env=env, cwd=ROOT, stdout=PIPE, stderr=PIPE
            )
            for _ in range(passes)
        ]
        outputs = [await process.communicate() for process in processes]
        elapsed = time.perf_counter() - started
    await emu.aclose()
    for number, (out, err) in enumerate(outputs):
        line = out.decode().strip() or err.decode().strip()[-300:]
        print(f"  pass {number + 1}: {line}")
    sent = len(emu.accepted)
    floor = subs / TELEGRAM_PER_SECOND
    span = emu.accepted[-1] - emu.accepted[0] if sent > 1 else 0.0
    if sent:
        print(
            f"  start to first digest {emu.accepted[0] - started:.1f} s; last digest to last "
            f"exit {started + elapsed - emu.accepted[-1]:.1f} s"
        )
    if sent > TELEGRAM_PER_SECOND:
        # Telegram refuses the 31st message within a second: how close the run came to it.
        spans = sorted(
            later - earlier
            for earlier, later in zip(
                emu.accepted, emu.accepted[TELEGRAM_PER_SECOND:], strict=False
            )
        )
        print(
            f"  {TELEGRAM_PER_SECOND + 1} digests in a row took at least {spans[0]:.3f} s "
            f"(1st percentile {spans[len(spans) // 100]:.3f} s, "
            f"median {spans[len(spans) // 2]:.3f} s)"
        )
    print(
        f"  {sent} of {subs} digests delivered; first to last digest {span:.1f} s = "
        f"{span / floor:.3f}x the floor of {floor:.1f} s; start to last exit {elapsed:.1f} s "
        f"= {elapsed / floor:.3f}x (target <= 1.15); 429s drawn: {emu.flood_refusals} "
        f"(target <= 5)"
    )


def main() -> None:
    """Parse the options and run the chosen modes."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subs", type=int, default=10_000, help="subscriptions (default 10000)")
    parser.add_argument("--mode", choices=["limited", "unlimited", "both"], default="both")
    parser.add_argument("--passes", type=int, default=0, help="run-due processes at once")
    parser.add_argument("--redis", help="with --passes: share the budget in this Redis")
    parser.add_argument("database", nargs="?", help="a PostgreSQL URL (default: SQLite)")
    args = parser.parse_args()
    if args.passes:
        if not args.database:
            label = f"{args.passes} passes at once, SQLite, a budget each"
            print(f"{args.subs} subscriptions, {label}:")
            with tempfile.TemporaryDirectory() as folder:
                url = f"sqlite:///{Path(folder) / 'passes.db'}"
                asyncio.run(run_passes(url, args.subs, args.passes, None))
            return
        engine = "Redis" if args.redis else "PostgreSQL"
        print(f"{args.subs} subscriptions, {args.passes} passes at once, budget in {engine}:")
        asyncio.run(_passes_on_scratch(args.database, args.subs, args.passes, args.redis))
        return
    modes = {"limited": [True], "unlimited": [False], "both": [False, True]}[args.mode]
    with tempfile.TemporaryDirectory() as folder:
        for number, limited in enumerate(modes):
            kind = "limited" if limited else "unlimited"
            if args.database:
                print(f"{args.subs} subscriptions, PostgreSQL, {kind}:")
                asyncio.run(_on_scratch_postgres(args.database, args.subs, limited))
            else:
                url = f"sqlite:///{Path(folder) / f'bench{number}.db'}"
                print(f"{args.subs} subscriptions, SQLite, {kind}:")
                asyncio.run(run_mode(url, args.subs, limited))


async def _passes_on_scratch(admin_url: str, subs: int, passes: int, redis_url: str | None) -> None:
    async with scratch_postgres(admin_url, "passes") as url:
        await run_passes(url, subs, passes, redis_url)


async def _on_scratch_postgres(admin_url: str, subs: int, limited: bool) -> None:
    async with scratch_postgres(admin_url, "digest") as url:
        await run_mode(url, subs, limited)


if __name__ == "__main__":
    main()
