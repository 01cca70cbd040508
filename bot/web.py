"""The bot's HTTP server: Telegram's webhook POSTs, ``/healthz`` and ``/metrics`` on one port.

aiohttp runs inside our own event loop (``AppRunner`` + ``TCPSite``), beside the
Application and the background jobs; PTB's own webhook server could not serve the
monitoring routes.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from aiohttp import web
from aiohttp.typedefs import Handler
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram import Update

from bot.app import BotApplication
from bot.health import HEALTH_TIMEOUT, check_health
from bot.metrics import CONTENT_TYPE, exposition
from bot.webhook_checks import LogBudget, update_problem

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
# Telegram's updates are a few KB; a megabyte leaves room for the longest message
# with entities, and stops anyone from making us buffer more.
MAX_UPDATE_BYTES = 1024 * 1024
# A connection that has not sent a whole request's headers within this time after it
# opened (or after its last answer) is closed: half-open connections cost a socket each.
IDLE_TIMEOUT = 15.0
# Telegram sends a body of a few KB at once; a sender trickling one byte at a time is not.
BODY_TIMEOUT = 10.0
# What PTB's decoding raises on a body that is JSON but not an update: wrong types,
# timestamps out of range (message.date 1e20), missing keys.
_DECODE_ERRORS = (KeyError, TypeError, ValueError, AttributeError, OverflowError, OSError)


@dataclass(frozen=True, slots=True)
class WebhookRoute:
    """Where Telegram posts updates, the secret it must send, and who handles them.

    ``first_time`` records an update_id for every instance of the bot (``bot.limits``):
    an update another instance (or an earlier POST) took is acknowledged, not handled.
    """

    path: str
    secret: str
    app: BotApplication
    first_time: Callable[[int], Awaitable[bool]] | None = None
    # Wrong-secret warnings: one line a minute at most, whatever a scanner sends.
    refusals: LogBudget = field(default_factory=LogBudget)


def _refuse(status: int, reason: str) -> web.Response:
    return web.json_response({"ok": False, "error": reason}, status=status)


def _webhook_handler(route: WebhookRoute) -> Handler:
    expected = route.secret.encode()

    async def on_update(request: web.Request) -> web.StreamResponse:
        """Queue one update from Telegram and answer at once; the Application handles it."""
        given = request.headers.get(SECRET_HEADER, "").encode()
        # Constant-time: the answer's timing must not tell how much of a guess was right.
        if not hmac.compare_digest(given, expected):
            _warn_refused(route.refusals, request)
            return _refuse(403, "forbidden")
        if request.content_length is not None and request.content_length > MAX_UPDATE_BYTES:
            return _refuse(413, "too large")
        try:
            async with asyncio.timeout(BODY_TIMEOUT):
                body = await request.read()  # bounded by client_max_size
        except web.HTTPRequestEntityTooLarge:
            return _refuse(413, "too large")
        except TimeoutError:
            return _refuse(408, "the body came too slowly")
        update = _decode(body, route)
        if isinstance(update, web.Response):
            return update
        problem = update_problem(update)
        if problem is not None:
            # Acknowledged: an error status would only make Telegram send it again.
            log.warning("webhook: dropped update %r: %s", update.update_id, problem)
            return web.json_response({"ok": True})
        if route.first_time is not None and not await _first_time(route, update.update_id):
            return web.json_response({"ok": True})  # Telegram's retry, or a twin instance's
        await route.app.update_queue.put(update)
        return web.json_response({"ok": True})

    return on_update


async def _first_time(route: WebhookRoute, update_id: int) -> bool:
    """Whether ``update_id`` is new; when the record cannot be reached, handle it (an
    answer twice beats no answer)."""
    assert route.first_time is not None
    try:
        return await route.first_time(update_id)
    except Exception as exc:
        log.warning("webhook: the update record is unavailable (%s); handling the update", exc)
        return True


def _warn_refused(budget: LogBudget, request: web.Request) -> None:
    allowed, quiet = budget.allow()
    if not allowed:
        return
    # The header's value is not logged: a near miss could be the real secret.
    more = f" ({quiet} more refused since the last such line)" if quiet else ""
    log.warning(
        "webhook: refused a POST from %s without the right secret token%s",
        request.remote or "?",
        more,
    )


def _decode(body: bytes, route: WebhookRoute) -> Update | web.Response:
    """The update in ``body``, or the 400 answer for a body that is not one."""
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return _refuse(400, "not JSON")
    except RecursionError:  # 100,000 nested "[": valid-looking, too deep to decode
        return _refuse(400, "nested too deeply")
    if not isinstance(data, dict):
        return _refuse(400, "not an update object")
    try:
        return Update.de_json(data, route.app.bot)
    except (*_DECODE_ERRORS, RecursionError):
        return _refuse(400, "not an update object")


def _health_handler(sessions: async_sessionmaker[AsyncSession], timeout: float) -> Handler:
    async def on_healthz(request: web.Request) -> web.StreamResponse:
        """200 with the store's health, 503 when the database cannot be reached."""
        health = await check_health(sessions, timeout=timeout)
        return web.json_response(
            health.body, status=200 if health.ok else 503, headers={"Cache-Control": "no-store"}
        )

    return on_healthz


async def on_metrics(request: web.Request) -> web.StreamResponse:
    """Every metric of this process in Prometheus' text format."""
    return web.Response(body=exposition(), headers={"Content-Type": CONTENT_TYPE})


def make_web_app(
    sessions: async_sessionmaker[AsyncSession],
    *,
    webhook: WebhookRoute | None = None,
    health_timeout: float = HEALTH_TIMEOUT,
) -> web.Application:
    """The routes: ``GET /healthz``, ``GET /metrics`` and, with ``webhook``, its POST path.

    aiohttp answers 405 to other methods on these paths and 404 to any other path.
    """
    # One byte over the limit: aiohttp refuses a body that reaches client_max_size.
    app = web.Application(client_max_size=MAX_UPDATE_BYTES + 1)
    app.router.add_get("/healthz", _health_handler(sessions, health_timeout), allow_head=False)
    app.router.add_get("/metrics", on_metrics, allow_head=False)
    if webhook is not None:
        app.router.add_post(webhook.path, _webhook_handler(webhook))
    return app


async def start_web(
    app: web.Application, host: str, port: int, *, idle_timeout: float = IDLE_TIMEOUT
) -> web.AppRunner:
    """Listen on ``host:port``; ``await runner.cleanup()`` stops the server.

    A connection is closed when it sends no complete request headers for ``idle_timeout``
    seconds, whether freshly opened, half-sent or idle between requests (aiohttp's
    keep-alive timer runs from the moment a connection opens).

    Raises:
        OSError: the address cannot be bound (in use, not ours, bad host).
    """
    # No access log: every update is logged once already (bot.update_log), and a line
    # per load-balancer probe would drown it.
    runner = web.AppRunner(
        app, access_log=None, handle_signals=False, keepalive_timeout=idle_timeout
    )
    await runner.setup()
    try:
        await web.TCPSite(runner, host, port).start()
    except BaseException:
        await runner.cleanup()
        raise
    return runner


def bound_port(runner: web.AppRunner) -> int:
    """The port the server listens on (useful when started on port 0)."""
    for address in runner.addresses:
        if isinstance(address, tuple):
            return int(address[1])
    raise RuntimeError("the web server is not listening")
