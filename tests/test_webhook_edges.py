"""The webhook's edges: malformed bodies get 400, undecidable updates are acknowledged and
dropped with one line, wrong-secret warnings are rate-limited, idle connections close."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest

from bot import web
from bot.web import SECRET_HEADER, WebhookRoute, bound_port, make_web_app, start_web
from bot.webhook_checks import LogBudget
from tests.bot_bench import Bench

SECRET = "edge-s3cret"
PATH = "/tg/edges"
HEADERS = {SECRET_HEADER: SECRET, "Content-Type": "application/json"}


@asynccontextmanager
async def hook(bench: Bench, idle_timeout: float = 15.0) -> AsyncIterator[httpx.AsyncClient]:
    route = WebhookRoute(PATH, SECRET, bench.app)
    web_app = make_web_app(bench.sessions, webhook=route)
    runner = await start_web(web_app, "127.0.0.1", 0, idle_timeout=idle_timeout)
    try:
        base = f"http://127.0.0.1:{bound_port(runner)}"
        async with httpx.AsyncClient(base_url=base, headers=HEADERS) as client:
            yield client
    finally:
        await runner.cleanup()


def private_message(bench: Bench, text: str) -> dict[str, Any]:
    return bench.chat.person_message(text)


@pytest.mark.parametrize(
    "body",
    [
        b"[" * 100_000,
        b'{"update_id": 1, "message": ' * 20_000 + b"{}" + b"}" * 20_000,
        b"{not json",
        b"\xff\xfe garbage",
        b"[1, 2, 3]",
        b"",
    ],
    ids=["nested-brackets", "nested-objects", "broken", "not-utf8", "array", "empty"],
)
async def test_malformed_bodies_get_400(bench: Bench, body: bytes) -> None:
    async with hook(bench) as client:
        answer = await client.post(PATH, content=body)
        assert answer.status_code == 400, answer.text
        # The server lives on: a good update after the bad one is handled.
        good = await client.post(PATH, json=private_message(bench, "/start"))
    assert good.status_code == 200
    await bench.emu.wait_for(bench.chat.id, 1)


async def test_a_date_out_of_range_is_400(bench: Bench) -> None:
    update = private_message(bench, "/rates")
    update["message"]["date"] = 1e20
    async with hook(bench) as client:
        answer = await client.post(PATH, json=update)
    assert answer.status_code == 400
    assert answer.json() == {"ok": False, "error": "not an update object"}


async def test_undecidable_updates_are_acknowledged_and_dropped(
    bench: Bench, caplog: pytest.LogCaptureFixture
) -> None:
    without_chat = private_message(bench, "/rates")
    del without_chat["message"]["chat"]
    bool_id = private_message(bench, "/rates")
    bool_id["update_id"] = True
    cases = [{"update_id": "x"}, without_chat, bool_id]
    caplog.set_level(logging.INFO)
    async with hook(bench) as client:
        answers = [await client.post(PATH, json=case) for case in cases]
        # Then a real one, so the queue has certainly been worked through.
        await client.post(PATH, json=private_message(bench, "/start"))
        replies = await bench.emu.wait_for(bench.chat.id, 1)
    assert [a.status_code for a in answers] == [200, 200, 200]
    assert all(a.json() == {"ok": True} for a in answers)
    dropped = [r for r in caplog.records if "webhook: dropped update" in r.getMessage()]
    assert [r.getMessage() for r in dropped] == [
        "webhook: dropped update 'x': update_id is not a whole number",
        f"webhook: dropped update {without_chat['update_id']}: message has no chat",
        "webhook: dropped update True: update_id is not a whole number",
    ]
    # Nothing reached a handler: one reply (to /start), no failure logged.
    assert len(replies) == 1
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


async def test_wrong_secret_warnings_are_rate_limited(
    bench: Bench, caplog: pytest.LogCaptureFixture
) -> None:
    now = [0.0]
    route = WebhookRoute(PATH, SECRET, bench.app, refusals=LogBudget(60.0, clock=lambda: now[0]))
    runner = await start_web(make_web_app(bench.sessions, webhook=route), "127.0.0.1", 0)
    caplog.set_level(logging.WARNING, logger="bot.web")
    wrong = {SECRET_HEADER: "guess"}
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{bound_port(runner)}") as client:
            statuses = [(await client.post(PATH, json={}, headers=wrong)).status_code]
            statuses += [(await client.post(PATH, json={})).status_code for _ in range(40)]
            now[0] = 61.0
            statuses.append((await client.post(PATH, json={}, headers=wrong)).status_code)
    finally:
        await runner.cleanup()
    assert set(statuses) == {403}
    lines = [r.getMessage() for r in caplog.records if "refused a POST" in r.getMessage()]
    assert len(lines) == 2
    assert "more refused" not in lines[0]
    assert "(40 more refused since the last such line)" in lines[1]
    assert not any("guess" in line for line in lines)


async def test_half_open_connections_are_closed(bench: Bench) -> None:
    async with hook(bench, idle_timeout=0.3) as client:
        host, port = "127.0.0.1", int(str(client.base_url).rsplit(":", 1)[1].rstrip("/"))
        silent = await asyncio.open_connection(host, port)
        half = await asyncio.open_connection(host, port)
        half[1].write(b"POST " + PATH.encode() + b" HTTP/1.1\r\nHost: x\r\n")
        await half[1].drain()
        # The server closes both: reading returns end-of-stream rather than waiting forever
        # (the outer bound is only there so a regression fails instead of hanging).
        for reader, writer in (silent, half):
            assert await asyncio.wait_for(reader.read(), timeout=30) == b""
            writer.close()
        # The server still answers new connections.
        assert (await client.post(PATH, content=b"{")).status_code == 400


def test_log_budget_counts_what_it_kept_quiet() -> None:
    now = [100.0]
    budget = LogBudget(10.0, clock=lambda: now[0])
    assert budget.allow() == (True, 0)
    assert [budget.allow() for _ in range(3)] == [(False, 1), (False, 2), (False, 3)]
    now[0] = 110.0
    assert budget.allow() == (True, 3)
    assert budget.allow() == (False, 1)


def test_nested_json_is_what_python_refuses() -> None:
    # The premise of the first case: the standard decoder gives up on such depth.
    with pytest.raises(RecursionError):
        json.loads("[" * 100_000)


async def test_a_body_trickling_in_is_408(bench: Bench, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(web, "BODY_TIMEOUT", 0.3)
    async with hook(bench) as client:
        port = int(str(client.base_url).rsplit(":", 1)[1].rstrip("/"))
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        head = (
            f"POST {PATH} HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n"
            f"{SECRET_HEADER}: {SECRET}\r\nContent-Type: application/json\r\n\r\n{{"
        )
        writer.write(head.encode())
        await writer.drain()
        status = await asyncio.wait_for(reader.readline(), timeout=30)
        writer.close()
    assert status.startswith(b"HTTP/1.1 408")
