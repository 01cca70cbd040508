"""Two alert passes at once on one PostgreSQL database: real ``newsbot alerts run-due``
processes side by side, and two checks racing on separate engines. Each crossing is
reported once."""

from __future__ import annotations

import asyncio
import os
import sys
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.settings import to_async_url
from bot_api_emulator import BotApiEmulator
from bot_api_emulator.http import serve_http
from services.alert_checks import check_alerts
from storage.alerts import NewAlert, add_alert
from storage.chats import add_chat_if_missing
from storage.database import make_engine, make_sessionmaker
from storage.models import NoticeRow
from tests.alert_support import store_rates, stored_alerts

CHATS = range(7001, 7061)
SET_DAY, NEXT_DAY = date(2026, 11, 27), date(2026, 11, 28)
NOW = "2026-11-28T07:00:00+00:00"
RUN_DUE = (sys.executable, "-m", "bot", "alerts", "run-due", "--now", NOW)
TOKEN = "424242:AlertsTwoProcesses"


async def _set_alerts(sessions: async_sessionmaker[AsyncSession]) -> None:
    await store_rates(sessions, SET_DAY, KZT="472.31")
    async with sessions() as session, session.begin():
        for chat_id in CHATS:
            await add_chat_if_missing(session, chat_id, "private")
            await add_alert(
                session,
                NewAlert(
                    chat_id,
                    "USD",
                    "KZT",
                    "above",
                    Decimal("480"),
                    True,
                    Decimal("472.31"),
                    SET_DAY,
                    SET_DAY,
                ),
                datetime(2026, 11, 27, tzinfo=UTC),
            )
    await store_rates(sessions, NEXT_DAY, KZT="481.00")


async def _run_due(env: dict[str, str]) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        *RUN_DUE, env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
    )


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
async def test_two_run_due_processes_send_each_crossing_once(
    database_url: str, sessions: async_sessionmaker[AsyncSession]
) -> None:
    await _set_alerts(sessions)
    emu = BotApiEmulator(token=TOKEN)
    for chat_id in CHATS:
        emu.private_chat(emu.user(chat_id, f"P{chat_id}"))
    async with serve_http(emu) as base_url:
        env = {**os.environ, "BOT_TOKEN": TOKEN, "TELEGRAM_API_BASE_URL": base_url,
               "DATABASE_URL": database_url, "LOG_LEVEL": "WARNING"}  # fmt: skip
        first, second = await _run_due(env), await _run_due(env)
        outputs = await asyncio.wait_for(
            asyncio.gather(first.communicate(), second.communicate()), 180
        )
    await emu.aclose()
    assert first.returncode == 0 and second.returncode == 0, [o[1][-2000:] for o in outputs]
    assert [len(emu.messages_in(chat_id)) for chat_id in CHATS] == [1] * len(CHATS)
    assert all("USD/KZT is above 480" in emu.messages_in(c)[0].text for c in CHATS)
    async with sessions() as session:
        notices = list(await session.scalars(select(NoticeRow)))
    assert len(notices) == len(CHATS) and {n.status for n in notices} == {"sent"}
    assert {(a.fired, a.armed) for a in await stored_alerts(sessions)} == {(1, False)}


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
async def test_two_checks_racing_on_separate_engines_queue_one_notice_per_crossing(
    database_url: str, sessions: async_sessionmaker[AsyncSession]
) -> None:
    await _set_alerts(sessions)
    engines = [make_engine(to_async_url(database_url)) for _ in range(2)]
    try:
        reports = await asyncio.gather(
            *(
                check_alerts(make_sessionmaker(engine), now=datetime.now(UTC), today=NEXT_DAY)
                for engine in engines
            )
        )
    finally:
        for engine in engines:
            await engine.dispose()
    # Between them every alert fired once; whichever lost a race says so.
    assert sum(r.queued for r in reports) == len(CHATS)
    assert sum(r.fired for r in reports) == len(CHATS)
    async with sessions() as session:
        keys = sorted(await session.scalars(select(NoticeRow.dedupe_key)))
    assert keys == sorted(f"alert:{a.id}:1" for a in await stored_alerts(sessions))
