"""The emulator's webhook side: it POSTs updates with the secret, retries, and balances."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import pytest
from aiohttp import web

from bot.web import bound_port, start_web
from bot_api_emulator import BotApiEmulator
from bot_api_emulator.webhook import ATTEMPTS, SECRET_HEADER

SECRET = "s3cr3t_Token-42"


@dataclass
class Receiver:
    """A stand-in bot: records each POST and answers with the next scripted status."""

    statuses: list[int] = field(default_factory=list)
    posts: list[tuple[str, dict[str, Any], str | None]] = field(default_factory=list)
    url: str = ""

    async def on_post(self, request: web.Request) -> web.Response:
        body = await request.json()
        self.posts.append((request.path, body, request.headers.get(SECRET_HEADER)))
        status = self.statuses.pop(0) if self.statuses else 200
        return web.Response(status=status, text=f"answer {status}")


@asynccontextmanager
async def receiving(path: str = "/tg/hook") -> AsyncIterator[Receiver]:
    receiver = Receiver()
    app = web.Application()
    app.router.add_post(path, receiver.on_post)
    runner = await start_web(app, "127.0.0.1", 0)
    receiver.url = f"http://127.0.0.1:{bound_port(runner)}{path}"
    try:
        yield receiver
    finally:
        await runner.cleanup()


@pytest.fixture
async def emu() -> AsyncIterator[BotApiEmulator]:
    emulator = BotApiEmulator()
    yield emulator
    await emulator.aclose()


async def set_webhook(emu: BotApiEmulator, url: str, secret: str | None = SECRET) -> None:
    params = {"url": url} if secret is None else {"url": url, "secret_token": secret}
    assert await emu.call("setWebhook", params) is True


def texts(receiver: Receiver) -> list[str]:
    return [body["message"]["text"] for _path, body, _secret in receiver.posts]


async def test_updates_are_posted_with_the_secret_header(emu: BotApiEmulator) -> None:
    chat = emu.private_chat(emu.user(1001, "Aida"))
    async with receiving() as bot:
        await set_webhook(emu, bot.url)
        info = await emu.call("getWebhookInfo", {})
        assert info["url"] == bot.url
        await chat.dispatch_text("/rates <b>&amp;</b>")
        await chat.dispatch_text("второе")
    assert [(path, secret) for path, _body, secret in bot.posts] == [("/tg/hook", SECRET)] * 2
    first = bot.posts[0][1]
    assert first["message"]["chat"]["id"] == 1001
    assert first["message"]["entities"][0]["type"] == "bot_command"
    assert texts(bot) == ["/rates <b>&amp;</b>", "второе"]
    assert first["update_id"] < bot.posts[1][1]["update_id"]
    assert emu.webhook_errors == [] and emu.webhook.delivered == 2


async def test_no_secret_means_no_header(emu: BotApiEmulator) -> None:
    chat = emu.private_chat(emu.user(1001))
    async with receiving() as bot:
        await set_webhook(emu, bot.url, secret=None)
        await chat.dispatch_text("hi")
    assert [secret for _path, _body, secret in bot.posts] == [None]


async def test_a_500_is_retried_and_recorded(emu: BotApiEmulator) -> None:
    chat = emu.private_chat(emu.user(1001))
    async with receiving() as bot:
        await set_webhook(emu, bot.url)
        bot.statuses = [500, 502]
        await chat.dispatch_text("again")
    assert texts(bot) == ["again"] * 3
    assert emu.webhook_errors == [(500, "answer 500"), (502, "answer 502")]
    assert emu.webhook.delivered == 1


async def test_an_update_refused_every_time_is_dropped(emu: BotApiEmulator) -> None:
    chat = emu.private_chat(emu.user(1001))
    async with receiving() as bot:
        await set_webhook(emu, bot.url)
        bot.statuses = [403] * ATTEMPTS
        await chat.dispatch_text("lost")
        await chat.dispatch_text("kept")
    assert texts(bot) == ["lost"] * ATTEMPTS + ["kept"]
    assert [status for status, _body in emu.webhook_errors] == [403] * ATTEMPTS
    assert emu.webhook.delivered == 1


async def test_nobody_listening_is_status_zero(emu: BotApiEmulator) -> None:
    chat = emu.private_chat(emu.user(1001))
    async with receiving() as bot:
        url = bot.url
    await set_webhook(emu, url)  # the server is gone: connections are refused
    await chat.dispatch_text("anyone?")
    assert [status for status, _body in emu.webhook_errors] == [0] * ATTEMPTS
    assert emu.webhook.delivered == 0


async def test_balance_goes_round_robin(emu: BotApiEmulator) -> None:
    chat = emu.private_chat(emu.user(1001))
    async with receiving() as one, receiving() as two:
        await set_webhook(emu, "https://bot.example.com/tg/hook")
        emu.balance_webhooks([one.url, two.url])
        for number in range(5):
            await chat.dispatch_text(f"n{number}")
        two.statuses = [500]  # the retry goes on to the next instance
        await chat.dispatch_text("retried")
    assert texts(one) == ["n0", "n2", "n4", "retried"]
    assert texts(two) == ["n1", "n3", "retried"]
    assert emu.webhook_errors == [(500, "answer 500")]


async def test_balance_rejects_garbage_urls(emu: BotApiEmulator) -> None:
    for bad in ("", "ftp://x/y", "not a url", "http:///no-host"):
        with pytest.raises(ValueError, match="not an http"):
            emu.balance_webhooks([bad])


async def test_without_a_webhook_updates_wait_for_get_updates(emu: BotApiEmulator) -> None:
    chat = emu.private_chat(emu.user(1001))
    async with receiving() as bot:
        await set_webhook(emu, bot.url)
        assert await emu.call("deleteWebhook", {}) is True
        await chat.dispatch_text("polled")
    assert bot.posts == []
    pending = await emu.call("getUpdates", {"timeout": 0})
    assert [u["message"]["text"] for u in pending] == ["polled"]


@pytest.mark.parametrize(
    ("params", "reason"),
    [
        ({"url": "ftp://bot.example.com/x"}, "HTTPS URL"),
        ({"url": "https://bot.example.com/x", "secret_token": "with space"}, "unallowed"),
        ({"url": "https://bot.example.com/x", "secret_token": "x" * 257}, "unallowed"),
        ({"url": "https://bot.example.com/x", "secret_token": "секрет"}, "unallowed"),
    ],
)
async def test_set_webhook_refuses_what_telegram_refuses(
    emu: BotApiEmulator, params: dict[str, str], reason: str
) -> None:
    from bot_api_emulator import ApiError

    with pytest.raises(ApiError, match=reason):
        await emu.call("setWebhook", params)
    assert (await emu.call("getWebhookInfo", {}))["url"] == ""


async def test_wait_for_counts_messages_and_times_out(emu: BotApiEmulator) -> None:
    chat = emu.private_chat(emu.user(1001))
    other = emu.private_chat(emu.user(1002))
    await emu.call("sendMessage", {"chat_id": "1002", "text": "elsewhere"})
    with pytest.raises(TimeoutError, match="0 of 1"):
        await emu.wait_for(chat.id, 1, timeout=0.1)
    await emu.call("sendMessage", {"chat_id": "1001", "text": "one"})
    await emu.call("sendMessage", {"chat_id": "1001", "text": "two"})
    found = await emu.wait_for(chat.id, 2, timeout=1)
    assert [m.text for m in found] == ["one", "two"]
    assert [m.text for m in await emu.wait_for(other.id, 1)] == ["elsewhere"]
