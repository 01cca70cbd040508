"""Resident memory after updates from 100,000 different chats.

Each chat (a group, so the bot stays silent and the emulator stores no answers) sends one
message through the real Application's update queue: the flood guard, the preferences step
(reading the chat's row from a SQLite file) and the update log all see it. The chats' rows
are stored beforehand in one transaction: a commit per new chat would make this a
benchmark of the disk's fsync, not of memory. Measured: the process's
resident memory (VmRSS) before and after, and the chats kept in ``chat_data``, once with
the cap (``bot.chat_memory``) and, as the baseline of the same run, once with the cap lifted
(what PTB does by default: keep every chat forever). Each mode runs in a fresh process so
one's memory does not hide the other's.

Run: ``python -m bench.bench_memory [--chats 100000]``.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import logging
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from telegram import Update

from bot.app import build_application
from bot.chat_memory import RecentChats
from bot.settings import load_settings, to_async_url
from bot.update_log import UpdateLoggingApplication
from bot_api_emulator import BotApiEmulator
from storage.database import make_engine, upgrade_database

WAVE = 2000  # updates queued at once, as a busy webhook would


def resident_bytes() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise RuntimeError("no VmRSS in /proc/self/status")


def group_id(n: int) -> int:
    return -1_000_000_000_000 - n


def group_message(n: int) -> dict[str, Any]:
    return {
        "update_id": n + 1,
        "message": {
            "message_id": 1,
            "date": 1_780_000_000,
            "chat": {"id": group_id(n), "type": "supergroup", "title": f"G{n}"},
            "from": {"id": 100_000 + n, "is_bot": False, "first_name": "P", "language_code": "ru"},
            "text": "hello",
        },
    }


async def measure(chats: int, capped: bool) -> dict[str, float]:
    logging.disable(logging.INFO)
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'memory.db'}"
        engine = make_engine(to_async_url(url))
        await upgrade_database(engine)
        await engine.dispose()
        with sqlite3.connect(Path(folder) / "memory.db") as db:
            db.executemany(
                "INSERT INTO chats (id, kind, language, created) "
                "VALUES (?, 'supergroup', 'ru', '2026-01-01 00:00:00.000000')",
                ((group_id(n),) for n in range(chats + WAVE)),
            )
        emu = BotApiEmulator()
        app = build_application(load_settings(database_url=url), request=emu.request())
        assert isinstance(app, UpdateLoggingApplication)
        if not capped:
            app.recent_chats = RecentChats(cap=10**9)
        async with emu.serve(app):
            # A first wave so that caches, pools and imports are in place before measuring.
            for n in range(WAVE):
                app.update_queue.put_nowait(Update.de_json(group_message(chats + n), app.bot))
            await app.update_queue.join()
            gc.collect()
            before = resident_bytes()
            for start in range(0, chats, WAVE):
                for n in range(start, min(chats, start + WAVE)):
                    app.update_queue.put_nowait(Update.de_json(group_message(n), app.bot))
                await app.update_queue.join()
            gc.collect()
            after = resident_bytes()
            kept = len(app.chat_data)
    return {"before": before, "after": after, "kept": kept}


def run_mode(chats: int, capped: bool) -> dict[str, float]:
    mode = "capped" if capped else "uncapped"
    out = subprocess.run(
        [sys.executable, "-m", "bench.bench_memory", "--chats", str(chats), "--mode", mode],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    result: dict[str, float] = json.loads(out.strip().splitlines()[-1])
    return result


def main(chats: int) -> None:
    capped, uncapped = run_mode(chats, True), run_mode(chats, False)
    print(f"{chats:,} chats, one message each, through the real Application (SQLite file)")
    for name, found in (("capped (bot.chat_memory)", capped), ("uncapped (PTB's way)", uncapped)):
        grown = (found["after"] - found["before"]) / 1_048_576
        print(
            f"  {name:26} RSS {found['before'] / 1_048_576:6.1f} -> "
            f"{found['after'] / 1_048_576:6.1f} MB (+{grown:.1f} MB), "
            f"chats in chat_data: {int(found['kept']):,}"
        )
    growth_capped = max(1.0, capped["after"] - capped["before"])
    growth_uncapped = max(1.0, uncapped["after"] - uncapped["before"])
    print(f"  memory growth, capped / uncapped: {growth_capped / growth_uncapped:.3f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chats", type=int, default=100_000)
    parser.add_argument("--mode", choices=("capped", "uncapped"))
    args = parser.parse_args()
    if args.mode:
        print(json.dumps(asyncio.run(measure(args.chats, args.mode == "capped"))))
    else:
        main(args.chats)
