"""``newsbot follow run-due`` and ``newsbot follow list``: two processes at once, each
story to each following chat once; the operator's listing; bad input."""

from __future__ import annotations

import asyncio
import json
import os
import sys

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.cli import main
from bot_api_emulator import BotApiEmulator
from bot_api_emulator.http import serve_http
from storage.chats import add_chat_if_missing
from storage.topics import add_topic, set_watermark
from tests.follow_support import NOW, draft, store, topic_notices

TOKEN = "5151:FOLLOWCLI"
TOPICS = ("Rogun", "Kashagan", "газ цены", "paxta hosili")
STORIES = (
    "Rogun hydropower plant fills its reservoir",
    "Рогунская ГЭС запустила третий агрегат",
    "Kashagan output resumes after maintenance",
    "Цены на газ для населения вырастут с января",
    "Gas prices rise for households",
    "Paxta hosili rejadan oshib ketdi",
    "Karakol ski base opens early",  # matches no topic
)


async def _run(env: dict[str, str], *args: str) -> tuple[int, str, str]:
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "follow", *args,
        env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    out, err = await asyncio.wait_for(process.communicate(), 180)
    return process.returncode or 0, out.decode(), err.decode()


async def _followers(sessions: async_sessionmaker[AsyncSession], chats: list[int]) -> None:
    async with sessions() as session, session.begin():
        await set_watermark(session, 0)
        for n, chat_id in enumerate(chats):
            await add_chat_if_missing(session, chat_id, "private")
            await add_topic(session, chat_id, TOPICS[n % len(TOPICS)], (), NOW)
            await add_topic(session, chat_id, TOPICS[(n + 1) % len(TOPICS)], (), NOW)


async def test_two_processes_at_once_bring_each_story_once(
    cli_env: str, sessions: async_sessionmaker[AsyncSession]
) -> None:
    emu = BotApiEmulator(token=TOKEN)
    chats = list(range(8000, 8040))
    for chat_id in chats:
        emu.private_chat(emu.user(chat_id))
    await _followers(sessions, chats)
    await store(
        sessions, *(draft(title, url=f"https://x.kz/{n}") for n, title in enumerate(STORIES))
    )
    async with serve_http(emu) as base_url:
        env = dict(os.environ, BOT_TOKEN=TOKEN, TELEGRAM_API_BASE_URL=base_url, LOG_LEVEL="WARNING")
        first, second = await asyncio.gather(
            _run(env, "run-due", "--now", "2026-11-28T09:00:00Z"),
            _run(env, "run-due", "--now", "2026-11-28T09:00:00Z"),
        )
        again = await _run(env, "run-due", "--now", "2026-11-28T09:05:00Z")
    for code, out, err in (first, second, again):
        assert code == 0, err
        assert out.startswith("topic notices: ")
    assert "0 claimed" in again[1]
    assert TOKEN not in first[2] + second[2] + again[2]
    # Each chat follows two topics; each matching story reaches it once (the Russian and
    # English gas stories are two stories, each once).
    per_topic = {"Rogun": 2, "Kashagan": 1, "газ цены": 2, "paxta hosili": 1}
    rows = await topic_notices(sessions)
    expected = sum(
        per_topic[TOPICS[n % 4]] + per_topic[TOPICS[(n + 1) % 4]] for n in range(len(chats))
    )
    assert len(rows) == expected and {row.status for row in rows} == {"sent"}
    keys = [(m.chat_id, m.text.split("\n")[2]) for m in emu.outbox]
    assert len(keys) == len(set(keys)) == expected
    assert not any("Karakol" in m.text for m in emu.outbox)


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_follow_list_for_operators(
    cli_env: str, sessions: async_sessionmaker[AsyncSession], capsys: pytest.CaptureFixture[str]
) -> None:
    assert await asyncio.to_thread(main, ["follow", "list"]) == 0
    assert "No topics followed yet" in capsys.readouterr().out
    await _followers(sessions, [9001, 9002])
    assert await asyncio.to_thread(main, ["follow", "list"]) == 0
    out = capsys.readouterr().out
    assert "chat            9001  Rogun" in out and "4 active topics in 2 chats" in out
    assert await asyncio.to_thread(main, ["follow", "list", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [(t["chat_id"], t["words"]) for t in data["topics"]] == [
        (9001, "Rogun"),
        (9001, "Kashagan"),
        (9002, "Kashagan"),
        (9002, "газ цены"),
    ]
    assert data["matched_up_to_story"] == 0


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize(
    "args",
    [
        ["follow"],
        ["follow", "nonsense"],
        ["follow", "run-due", "--now", "garbage"],
        ["follow", "run-due", "--now", "<b>2026</b>"],
        ["follow", "run-due", "--now", "1999-01-01T00:00"],
        ["follow", "list", "--json", "extra"],
    ],
)
def test_bad_arguments_are_one_line_and_exit_2(
    cli_env: str, args: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(args)
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("newsbot") and err.count("\n") == 1


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_run_due_without_a_token_says_so(
    cli_env: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("BOT_TOKEN", raising=False)
    assert main(["follow", "run-due"]) == 2
    assert "BOT_TOKEN is not set" in capsys.readouterr().err
