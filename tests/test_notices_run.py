"""Notices in ``newsbot run`` and from the command line: the job of a running Application
(a registered kind, woken by a fetch), two instances' rounds at once, and two real
``newsbot ping run-due`` processes at once, each notice sent once."""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram import Bot

from bot.bulk_send import telegram_sender
from bot.notice_job import notice_job, run_notice_rounds
from bot.notice_kinds import notice_kinds, register_notice_kind, wake_notices
from bot.notices import NoticeKind, NoticeReport
from bot.settings import load_settings, to_async_url
from bot_api_emulator import DUMMY_TOKEN, BotApiEmulator
from bot_api_emulator.http import serve_http
from storage.database import make_engine, make_sessionmaker
from storage.notices import add_notice
from tests.bot_bench import running_bot
from tests.digest_support import free_budget, no_sleep
from tests.notice_support import add_ping, notice_rows, ping_kind

WAIT = 60.0  # bounds how long a test waits for background work; never asserted
TOKEN = "5252:NOTICECLI"
# ``newsbot`` with the test kind's command, as a feature adds its own in bot.cli.
CLI = (
    "import argparse, sys\n"
    "import bot.cli as cli\n"
    "from bot.notice_command import add_run_due_command\n"
    "base = cli.build_parser\n"
    "def build():\n"
    "    parser = base()\n"
    "    [sub] = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]\n"
    "    add_run_due_command(sub, 'ping', 'tests.notice_support:PING', help='test pings')\n"
    "    return parser\n"
    "cli.build_parser = build\n"
    "sys.exit(cli.main(sys.argv[1:]))\n"
)


async def _until(condition: Callable[[], bool]) -> None:
    async def poll() -> None:
        while not condition():
            await asyncio.sleep(0.02)

    await asyncio.wait_for(poll(), WAIT)


def _detecting(kind: NoticeKind, chat_id: int, found: list[str]) -> NoticeKind:
    """``kind`` with a detector that turns each event in ``found`` into a notice."""

    async def detect(session: AsyncSession, now: datetime) -> int:
        added = 0
        for event in list(found):
            added += await add_notice(
                session, kind.name, f"{kind.name}:{event}", chat_id, {"text": event}, now
            )
        return added

    return NoticeKind(kind.name, kind.compose, kind.on_unreachable, kind.on_migrated, detect)


async def test_the_job_of_a_running_bot_sends_a_registered_kind_after_a_fetch(
    database_url: str, sessions: async_sessionmaker[AsyncSession]
) -> None:
    found: list[str] = []
    async with running_bot(database_url, sessions, demo=False, token=TOKEN) as bench:
        register_notice_kind(bench.app, _detecting(ping_kind(), 1001, found))
        with pytest.raises(ValueError, match="registered twice"):
            register_notice_kind(bench.app, ping_kind())
        async with serve_http(bench.emu) as base_url:
            settings = load_settings(
                database_url=database_url, bot_token=TOKEN, telegram_api_base_url=base_url
            )
            job = asyncio.create_task(notice_job(settings)(bench.app))
            try:
                found.append("KZT crossed 520")
                # What the fetch job does after each fetch: no waiting for the minute.
                wake_notices(bench.app)
                await _until(lambda: len(bench.emu.messages_in(1001)) == 1)
                found.append("Rogun: a new story")
                wake_notices(bench.app)
                await _until(lambda: len(bench.emu.messages_in(1001)) == 2)
            finally:
                job.cancel()
                with pytest.raises(asyncio.CancelledError):
                    await job
    texts = [m.text for m in bench.emu.messages_in(1001)]
    assert texts == ["Pings\n• KZT crossed 520", "Pings\n• Rogun: a new story"]
    assert {row.status for row in await notice_rows(sessions)} == {"sent"}


async def test_a_bot_with_no_kind_registered_has_a_job_that_ends_at_once(
    database_url: str, sessions: async_sessionmaker[AsyncSession]
) -> None:
    async with running_bot(database_url, sessions, demo=False) as bench:
        # The Application registers the features' kinds; a bot without them is this one.
        notice_kinds(bench.app).kinds.clear()
        settings = load_settings(database_url=database_url)
        await asyncio.wait_for(notice_job(settings)(bench.app), WAIT)


async def test_two_instances_rounds_send_each_notice_once(
    database_url: str, sessions: async_sessionmaker[AsyncSession]
) -> None:
    emu = BotApiEmulator()
    chats = list(range(2000, 2060))
    for chat_id in chats:
        emu.private_chat(emu.user(chat_id))
        await add_ping(sessions, chat_id, f"{chat_id}", f"to {chat_id}")
    other = make_engine(to_async_url(database_url))
    reports: list[NoticeReport] = []
    wake = asyncio.Event()
    kind = ping_kind()
    try:
        async with Bot(DUMMY_TOKEN, request=emu.request()) as bot:
            rounds = [
                asyncio.create_task(
                    run_notice_rounds(
                        factory,
                        [kind],
                        telegram_sender(bot),
                        default_language="en",
                        default_zone="Asia/Almaty",
                        wake=wake,
                        on_round=reports.append,
                        budget=free_budget(),
                        sleep=no_sleep,
                        batch=5,
                    )
                )
                for factory in (sessions, make_sessionmaker(other))
            ]
            try:
                await _until(lambda: sum(r.sent for r in reports) >= len(chats))
                await add_ping(sessions, chats[0], "late", "one more")
                wake.set()
                await _until(lambda: len(emu.messages_in(chats[0])) == 2)
            finally:
                for task in rounds:
                    task.cancel()
                await asyncio.gather(*rounds, return_exceptions=True)
    finally:
        await other.dispose()
    assert sorted(m.chat_id for m in emu.outbox) == sorted([*chats, chats[0]])
    assert {row.status for row in await notice_rows(sessions)} == {"sent"}


async def _ping_run_due(env: dict[str, str], *args: str) -> tuple[int, str, str]:
    env = dict(env, PYTHONPATH=str(Path(__file__).resolve().parents[1]))  # finds tests/
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-c", CLI, "ping", "run-due", *args,
        env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    out, err = await asyncio.wait_for(process.communicate(), 120)
    return process.returncode or 0, out.decode(), err.decode()


async def test_two_run_due_processes_at_once_send_each_notice_once(
    cli_env: str, sessions: async_sessionmaker[AsyncSession]
) -> None:
    emu = BotApiEmulator(token=TOKEN)
    chats = list(range(3000, 3200))
    for chat_id in chats:
        emu.private_chat(emu.user(chat_id))
        await add_ping(sessions, chat_id, f"{chat_id}-a", "first")
        await add_ping(sessions, chat_id, f"{chat_id}-b", "second")
    async with serve_http(emu) as base_url:
        env = dict(os.environ, BOT_TOKEN=TOKEN, TELEGRAM_API_BASE_URL=base_url, LOG_LEVEL="WARNING")
        first, second = await asyncio.gather(_ping_run_due(env), _ping_run_due(env))
        again = await _ping_run_due(env, "--now", "2026-11-28T09:00:00+05:00")
    for code, out, err in (first, second, again):
        assert code == 0, err
        assert out.startswith("ping notices: ")
    assert again[1].startswith("ping notices: 0 claimed")
    assert TOKEN not in first[2] + second[2] + again[2]
    assert sorted(m.chat_id for m in emu.outbox) == chats  # two notices, one message each
    assert all(m.text == "Pings\n• first\n• second" for m in emu.outbox)
    assert {row.status for row in await notice_rows(sessions)} == {"sent"}


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize("now", ["garbage", "", "2026-13-01T09:00", "1999-01-01T00:00", "٢٠٢٦"])
async def test_run_due_refuses_a_bad_moment_with_an_example(
    cli_env: str, sessions: async_sessionmaker[AsyncSession], now: str
) -> None:
    env = dict(os.environ, BOT_TOKEN=TOKEN, LOG_LEVEL="WARNING")
    code, out, err = await _ping_run_due(env, "--now", now)
    assert code == 2 and out == ""
    assert "--now" in err and "e.g. 2026-11-28T09:00:00+05:00" in err


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_run_due_without_a_token_says_so(
    cli_env: str, sessions: async_sessionmaker[AsyncSession]
) -> None:
    env = {k: v for k, v in os.environ.items() if k != "BOT_TOKEN"}
    code, out, err = await _ping_run_due(env)
    assert (code, out) == (2, "") and "BOT_TOKEN is not set" in err


async def test_rounds_stop_when_cancelled_just_as_they_are_woken(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    # A fetch wakes the rounds at the moment the bot stops: the stop must win (on Python
    # 3.11, asyncio.wait_for returned the wake-up and dropped the cancellation).
    wake = asyncio.Event()
    pruned = asyncio.Event()
    rounds = asyncio.create_task(
        run_notice_rounds(
            sessions,
            [],
            telegram_sender(Bot(DUMMY_TOKEN)),
            default_language="en",
            default_zone="Asia/Almaty",
            wake=wake,
            on_round=lambda report: None,
            clock=lambda: datetime(2026, 12, 1, 9, 0, 30, tzinfo=UTC),
        )
    )
    original_clear = wake.clear

    def clear() -> None:  # called at the start of each round, before its prune and wait
        original_clear()
        pruned.set()

    wake.clear = clear  # type: ignore[method-assign]
    await asyncio.wait_for(pruned.wait(), WAIT)
    for _ in range(200):  # past the prune (its transaction) to the wait for the minute
        await asyncio.sleep(0.005)
    wake.set()
    rounds.cancel()
    await asyncio.wait({rounds}, timeout=WAIT)
    assert rounds.cancelled()
