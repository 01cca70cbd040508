"""One person's /rates while 50 chats are busy: first in, first out against round-robin.

50 chats each send 19 ``/rates`` (under the flood guard's burst of 20), then one more
person sends ``/rates`` once. All of it goes through the real Application's update queue,
as polling or the webhook would put it there, on a SQLite file with the demo data, behind
the in-process emulator. Measured: seconds from the quiet person's update entering the
queue to the bot's answer to them, with PTB's ``SimpleUpdateProcessor`` (first in, first
out) and with ``FairUpdateProcessor``, both with 16 workers, in the same run. Target: the
quiet person answered within a second or two while the crowd is served.

Run: ``python -m bench.bench_fairness [--chats 50 --each 19 --rounds 3]``.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import statistics
import tempfile
import time
from pathlib import Path

from telegram import Update
from telegram.ext import BaseUpdateProcessor, SimpleUpdateProcessor

from bot.app import CONCURRENT_UPDATES, build_application
from bot.demo import load_demo_if_empty
from bot.fair_processor import FairUpdateProcessor
from bot.settings import load_settings, to_async_url
from bot_api_emulator import BotApiEmulator
from storage.database import make_engine, make_sessionmaker, upgrade_database

QUIET = 9_000_001


async def prepare(path: Path) -> str:
    url = f"sqlite:///{path}"
    engine = make_engine(to_async_url(url))
    await upgrade_database(engine)
    await load_demo_if_empty(make_sessionmaker(engine))
    await engine.dispose()
    return url


async def quiet_latency(
    url: str, processor: BaseUpdateProcessor, chats: int, each: int
) -> tuple[float, float]:
    """(seconds until the quiet person's answer, seconds until every answer)."""
    emu = BotApiEmulator()
    app = build_application(
        load_settings(database_url=url, bot_token=None),
        request=emu.request(),
        update_processor=processor,
    )
    async with emu.serve(app):
        crowd = [emu.private_chat(emu.user(8_000_000 + n, f"Busy{n}")) for n in range(chats)]
        quiet = emu.private_chat(emu.user(QUIET, "Quiet"))
        # Warm up: every chat known and the rates cached, as in a bot that has run a while.
        for driver in [*crowd, quiet]:
            await driver.send("/start")
        start = len(emu.outbox)
        for _ in range(each):
            for driver in crowd:
                app.update_queue.put_nowait(
                    Update.de_json(driver.person_message("/rates"), app.bot)
                )
        queued = time.perf_counter()
        app.update_queue.put_nowait(Update.de_json(quiet.person_message("/rates"), app.bot))
        answered = None
        total = chats * each + 1
        while len(emu.outbox) - start < total:
            if answered is None and any(m.chat_id == QUIET for m in emu.outbox[start:]):
                answered = time.perf_counter() - queued
            await asyncio.sleep(0.002)
        everything = time.perf_counter() - queued
        if answered is None:
            answered = everything
    return answered, everything


async def main(chats: int, each: int, rounds: int) -> None:
    logging.disable(logging.INFO)
    with tempfile.TemporaryDirectory() as folder:
        url = await prepare(Path(folder) / "fair.db")
        fifo: list[tuple[float, float]] = []
        fair: list[tuple[float, float]] = []
        for _ in range(rounds):
            fifo.append(
                await quiet_latency(url, SimpleUpdateProcessor(CONCURRENT_UPDATES), chats, each)
            )
            fair.append(
                await quiet_latency(url, FairUpdateProcessor(CONCURRENT_UPDATES), chats, each)
            )
    fifo_quiet = statistics.median(q for q, _ in fifo)
    fair_quiet = statistics.median(q for q, _ in fair)
    print(
        f"{chats} chats x {each} /rates, then one quiet /rates; {CONCURRENT_UPDATES} workers, "
        f"median of {rounds}"
    )
    print(
        f"  first in, first out: quiet answered after {fifo_quiet:.2f} s "
        f"(all {chats * each + 1} after {statistics.median(t for _, t in fifo):.2f} s)"
    )
    print(
        f"  round-robin:         quiet answered after {fair_quiet:.2f} s "
        f"(all {chats * each + 1} after {statistics.median(t for _, t in fair):.2f} s)"
    )
    print(f"  quiet wait, round-robin / first in first out: {fair_quiet / fifo_quiet:.3f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chats", type=int, default=50)
    parser.add_argument("--each", type=int, default=19)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    asyncio.run(main(args.chats, args.each, args.rounds))
