"""``newsbot digest run-due``: a pass from the command line, two processes at once, bad input."""

from __future__ import annotations

import asyncio
import os
import sys

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.cli import main
from bot_api_emulator import BotApiEmulator
from bot_api_emulator.http import serve_http
from tests.digest_support import add_subscriber, delivery_rows

TOKEN = "5151:DIGESTCLI"


async def _run_due(env: dict[str, str], now: str) -> tuple[int, str, str]:
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "digest", "run-due", "--now", now,
        env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    out, err = await asyncio.wait_for(process.communicate(), 120)
    return process.returncode or 0, out.decode(), err.decode()


async def test_two_processes_at_once_send_each_digest_once(
    cli_env: str, sessions: async_sessionmaker[AsyncSession]
) -> None:
    emu = BotApiEmulator(token=TOKEN)
    ids = list(range(7000, 7300))
    for chat_id in ids:
        emu.private_chat(emu.user(chat_id))
        await add_subscriber(sessions, chat_id, timezone="Europe/Berlin")
    async with serve_http(emu) as base_url:
        env = dict(os.environ, BOT_TOKEN=TOKEN, TELEGRAM_API_BASE_URL=base_url, LOG_LEVEL="WARNING")
        first, second = await asyncio.gather(
            _run_due(env, "2026-10-26T09:00:00+01:00"), _run_due(env, "2026-10-26T08:00:00Z")
        )
        again = await _run_due(env, "2026-10-26T10:00:00+01:00")
    for code, out, err in (first, second, again):
        assert code == 0, err
        assert out.startswith("digests: ")
    assert "0 claimed" in again[1]
    assert sorted(m.chat_id for m in emu.outbox) == ids
    assert TOKEN not in first[2] + second[2] + again[2]
    rows = await delivery_rows(sessions)
    assert len(rows) == 300 and {str(r.local_date) for r in rows} == {"2026-10-26"}


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize(
    "now",
    [
        "garbage",
        "",
        "2026-13-01T09:00",
        "-5",
        "9" * 5000,
        "<b>2026</b>",
        "2026-11-28'; DROP TABLE deliveries; --",
        "1900-01-01T00:00:00+00:00",
        "２０２６-11-28",
    ],
)
def test_bad_now_is_one_line_and_exit_2(
    cli_env: str, capsys: pytest.CaptureFixture[str], now: str
) -> None:
    os.environ["BOT_TOKEN"] = TOKEN
    try:
        with pytest.raises(SystemExit) as stopped:
            main(["digest", "run-due", "--now", now])
    finally:
        del os.environ["BOT_TOKEN"]
    assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--now" in err and "2026-11-28T09:00:00+05:00" in err
    assert len(err) < 300


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_without_a_token_it_says_so(cli_env: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["digest", "run-due"]) == 2
    assert capsys.readouterr().err == (
        "newsbot: BOT_TOKEN is not set; digests are sent through Telegram\n"
    )


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_help_and_missing_action(cli_env: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["digest", "run-due", "--help"])
    assert stopped.value.code == 0 and "--now ISO8601" in capsys.readouterr().out
    with pytest.raises(SystemExit) as stopped:
        main(["digest"])
    assert stopped.value.code == 2 and capsys.readouterr().err.count("\n") == 1
