"""``newsbot run --webhook``: setWebhook, updates by POST, refusals, balancing, a clean stop."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
from pathlib import Path

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.demo import load_demo_if_empty
from bot.run import RunError, run_bot
from bot.settings import load_settings
from bot_api_emulator import BotApiEmulator
from bot_api_emulator.http import serve_http
from bot_api_emulator.webhook import SECRET_HEADER

TOKEN = "6161:WEBHOOK-TOKEN"
SECRET = "Hook_s3cret-9f8e7d6c"
PATH = "/tg/8b1f0c2e"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def webhook_env(
    base_url: str, database_url: str, port: int, **changes: str | None
) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        BOT_TOKEN=TOKEN,
        TELEGRAM_API_BASE_URL=base_url,
        DATABASE_URL=database_url,
        LOG_LEVEL="INFO",
        FETCH_SOURCES="false",  # tests never reach the news sites
        SEND_DIGESTS="false",
        WEBHOOK_URL=f"http://127.0.0.1:{port}{PATH}",
        WEBHOOK_SECRET=SECRET,
        PORT=str(port),
        HOST="127.0.0.1",
    )
    for name, value in changes.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return env


async def wait_until(condition: object, what: str, seconds: float = 60) -> None:
    for _ in range(int(seconds / 0.05)):
        if condition():  # type: ignore[operator]
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def set_webhook_calls(emu: BotApiEmulator) -> list[dict[str, object]]:
    return [params for method, params in emu.calls if method == "setWebhook"]


async def test_newsbot_run_webhook_end_to_end(
    cli_env: str, sessions: async_sessionmaker[AsyncSession]
) -> None:
    await load_demo_if_empty(sessions)
    emu = BotApiEmulator(token=TOKEN)
    chat = emu.private_chat(emu.user(1001, "Aida", language_code="en"))
    port = free_port()
    hook = f"http://127.0.0.1:{port}{PATH}"
    async with serve_http(emu) as base_url:
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "run", "--webhook",
            env=webhook_env(base_url, cli_env, port),
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        )  # fmt: skip
        try:
            await wait_until(lambda: set_webhook_calls(emu), "setWebhook")
            [params] = set_webhook_calls(emu)
            assert (params["url"], params["secret_token"]) == (hook, SECRET)
            assert "callback_query" in params["allowed_updates"]  # type: ignore[operator]
            assert (await emu.call("getWebhookInfo", {}))["url"] == hook

            # A person's /rates travels by webhook POST, with the secret header.
            await chat.dispatch_text("/rates")
            rates = (await emu.wait_for(chat.id, 1))[0]
            assert "KZT" in rates.text and emu.webhook_errors == []

            async with httpx.AsyncClient(timeout=30) as client:
                update = chat.person_message("/help")
                wrong = await client.post(hook, json=update, headers={SECRET_HEADER: "guess-1"})
                missing = await client.post(hook, json=update)
                empty = await client.post(hook, json=update, headers={SECRET_HEADER: ""})
                near = await client.post(hook, json=update, headers={SECRET_HEADER: SECRET + "x"})
                ok = {SECRET_HEADER: SECRET}
                garbage = await client.post(hook, content=b"{not json <b>", headers=ok)
                binary = await client.post(hook, content=b"\xff\xfe\x00", headers=ok)
                a_list = await client.post(hook, json=[update], headers=ok)
                no_update = await client.post(hook, json={"message": "x"}, headers=ok)
                huge = await client.post(hook, content=b"{" + b" " * 2_000_000 + b"}", headers=ok)
                got = await client.get(hook, headers=ok)
                elsewhere = await client.post(f"http://127.0.0.1:{port}/tg/other", json=update)
                health = await client.get(f"http://127.0.0.1:{port}/healthz")
                metrics = await client.get(f"http://127.0.0.1:{port}/metrics")
            assert [r.status_code for r in (wrong, missing, empty, near)] == [403] * 4
            assert wrong.json() == {"ok": False, "error": "forbidden"}
            assert [r.status_code for r in (garbage, binary, a_list, no_update)] == [400] * 4
            assert (huge.status_code, got.status_code, elsewhere.status_code) == (413, 405, 404)
            assert health.status_code == 200 and health.json()["database"] is True
            assert "newsbot_updates_total" in metrics.text

            # None of the refused POSTs reached the bot: the next answer is to this one.
            await chat.dispatch_text("/start")
            replies = await emu.wait_for(chat.id, 2)
            assert "Aida" in replies[1].text
            assert len(emu.messages_in(chat.id)) == 2
        finally:
            if process.returncode is None:
                process.send_signal(signal.SIGTERM)
            stdout, stderr = await asyncio.wait_for(process.communicate(), 30)
    output = stdout.decode() + stderr.decode()
    assert process.returncode == 0, output
    assert not any(method == "deleteWebhook" for method, _ in emu.calls)
    assert (await emu.call("getWebhookInfo", {}))["url"] == hook  # left for other instances
    assert "refused a POST" in output  # logged at WARNING...
    for secret in (TOKEN, SECRET, "guess-1"):
        assert secret not in output  # ...without any header value, token or secret
    await emu.aclose()


@pytest.mark.parametrize(
    ("changes", "named"),
    [
        ({"WEBHOOK_SECRET": None}, "WEBHOOK_SECRET is not set"),
        ({"WEBHOOK_SECRET": "  "}, "WEBHOOK_SECRET is not set"),
        ({"WEBHOOK_URL": None}, "WEBHOOK_URL is not set"),
        ({"WEBHOOK_SECRET": "has spaces; DROP TABLE"}, "WEBHOOK_SECRET: must be 1-256"),
        ({"WEBHOOK_SECRET": "x" * 257}, "WEBHOOK_SECRET: must be 1-256"),
        ({"WEBHOOK_URL": "https://bot.example.com"}, "WEBHOOK_URL: needs a path"),
        ({"WEBHOOK_URL": "https://bot.example.com/healthz"}, "WEBHOOK_URL: /healthz is served"),
        ({"WEBHOOK_URL": "ftp://bot.example.com/x"}, "WEBHOOK_URL: must be an http"),
        ({"WEBHOOK_URL": "<script>alert(1)</script>"}, "WEBHOOK_URL: must be an http"),
        ({"PORT": "70000"}, "PORT: "),
        ({"PORT": "eighty"}, "PORT: "),
    ],
)
def test_bad_webhook_settings_exit_2_with_one_line(
    tmp_path: Path, changes: dict[str, str | None], named: str
) -> None:
    import subprocess

    env = webhook_env("http://127.0.0.1:9/bot", f"sqlite:///{tmp_path / 'x.db'}", 8443, **changes)
    done = subprocess.run(
        [sys.executable, "-m", "bot", "run", "--webhook"],
        env=env, cwd=tmp_path, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 2, done.stderr
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("newsbot: ") and named in lines[0], lines
    assert SECRET not in done.stderr and TOKEN not in done.stderr
    if changes.get("WEBHOOK_SECRET"):
        assert str(changes["WEBHOOK_SECRET"]) not in done.stderr  # a bad secret is not echoed


@pytest.mark.usefixtures("httpx_level")
async def test_two_instances_behind_a_balancer_share_the_work(
    database_url: str, sessions: async_sessionmaker[AsyncSession]
) -> None:
    await load_demo_if_empty(sessions)
    emu = BotApiEmulator(token=TOKEN)
    chat = emu.private_chat(emu.user(1001, "Aida", language_code="en"))
    ports = [free_port(), free_port()]
    stop = asyncio.Event()
    async with serve_http(emu) as base_url:
        instances = [
            asyncio.create_task(
                run_bot(
                    load_settings(
                        bot_token=TOKEN,
                        telegram_api_base_url=base_url,
                        database_url=database_url,
                        fetch_sources=False,
                        send_digests=False,
                        webhook_url=f"https://bot.example.com{PATH}",
                        webhook_secret=SECRET,
                        port=port,
                        host="127.0.0.1",
                    ),
                    stop,
                    webhook=True,
                )
            )
            for port in ports
        ]
        try:
            await wait_until(lambda: len(set_webhook_calls(emu)) == 2, "both setWebhook calls")
            emu.balance_webhooks([f"http://127.0.0.1:{port}{PATH}" for port in ports])
            for text in ("/rates", "/help", "/rates KZT", "/convert 100 usd kzt"):
                await chat.dispatch_text(text)
            replies = await emu.wait_for(chat.id, 4)
        finally:
            stop.set()
            await asyncio.wait_for(asyncio.gather(*instances), 30)
    assert emu.webhook_errors == [] and emu.webhook.delivered == 4
    assert len(replies) == 4 and all(reply.text for reply in replies)
    assert any("KZT" in reply.text for reply in replies)
    assert not any(method == "deleteWebhook" for method, _ in emu.calls)
    await emu.aclose()


@pytest.mark.usefixtures("httpx_level")
@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_a_taken_port_is_one_line(database_url: str) -> None:
    emu = BotApiEmulator(token=TOKEN)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = int(taken.getsockname()[1])
        async with serve_http(emu) as base_url:
            settings = load_settings(
                bot_token=TOKEN,
                telegram_api_base_url=base_url,
                database_url=database_url,
                fetch_sources=False,
                send_digests=False,
                webhook_url=f"http://127.0.0.1:{port}{PATH}",
                webhook_secret=SECRET,
                port=port,
                host="127.0.0.1",
            )
            with pytest.raises(RunError, match=f"PORT: cannot listen on 127.0.0.1:{port}"):
                await asyncio.wait_for(run_bot(settings, asyncio.Event(), webhook=True), 30)
    assert set_webhook_calls(emu) == []  # never told Telegram to post where nobody listens


def test_secrets_stay_out_of_repr() -> None:
    settings = load_settings(
        bot_token=TOKEN, webhook_url=f"https://bot.example.com{PATH}", webhook_secret=SECRET
    )
    assert settings.webhook_path == PATH and settings.listen_port == 8080
    assert SECRET not in repr(settings) and TOKEN not in repr(settings)
    assert SECRET not in str(settings.model_dump())


@pytest.mark.usefixtures("httpx_level")
@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize(
    ("code", "said"),
    [
        (400, "WEBHOOK_URL: Telegram refused setWebhook: Bad webhook: failed to resolve host"),
        (None, "cannot reach TELEGRAM_API_BASE_URL"),
    ],
)
async def test_refused_set_webhook_is_one_line(
    database_url: str, code: int | None, said: str
) -> None:
    emu = BotApiEmulator(token=TOKEN)
    port = free_port()
    # A network failure is retried (bot.retry): it has to fail every attempt.
    emu.fail_next(
        "setWebhook", code, description="Bad Request: bad webhook: Failed to resolve host", times=3
    )
    async with serve_http(emu) as base_url:
        settings = load_settings(
            bot_token=TOKEN,
            telegram_api_base_url=base_url,
            database_url=database_url,
            fetch_sources=False,
            send_digests=False,
            webhook_url=f"https://no-such-host.invalid{PATH}",
            webhook_secret=SECRET,
            port=port,
            host="127.0.0.1",
        )
        with pytest.raises(RunError) as refused:
            await asyncio.wait_for(run_bot(settings, asyncio.Event(), webhook=True), 30)
    assert said in str(refused.value) and SECRET not in str(refused.value)
    # The server it opened for Telegram is closed again.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", port))
