"""Telegram's side of a webhook: POST each update to the bot's URL, retry, then drop it."""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit

import aiohttp

from bot_api_emulator.state import TelegramState

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
# Telegram retries an update the bot did not take with a 2xx; a few tries keep tests short.
ATTEMPTS = 3
BACKOFF_SECONDS = 0.05
TIMEOUT_SECONDS = 10.0
# Telegram opens at most 40 connections to a webhook by default (setWebhook max_connections).
MAX_CONNECTIONS = 40


class WebhookPusher:
    """Delivers updates to the webhook set with setWebhook (or to a stand-in balancer's
    URLs), with the secret token header, over one kept-open ``aiohttp.ClientSession``
    (at most ``MAX_CONNECTIONS`` at once, as Telegram).

    Attributes:
        errors: ``(status, body)`` of every answer that was not 200; status 0 when no
            answer came at all (connection refused or timed out).
        delivered: How many updates were answered 200.
    """

    def __init__(self, state: TelegramState) -> None:
        self.state = state
        self.errors: list[tuple[int, str]] = []
        self.delivered = 0
        self._client: aiohttp.ClientSession | None = None
        self._balanced: list[str] = []
        self._turn = itertools.count()
        self._to_every = False

    @property
    def active(self) -> bool:
        """Whether a webhook is set, so updates are pushed instead of queued for getUpdates."""
        return bool(self.state.webhook_url)

    def balance(self, urls: Sequence[str], *, to_every: bool = False) -> None:
        """Send updates round-robin to ``urls`` (instances behind one public URL) instead
        of the URL set with setWebhook; an empty list goes back to that URL. ``to_every``
        posts each update to all of them (a balancer that duplicates, or Telegram's
        retry landing on another instance).

        Raises:
            ValueError: a URL is not http(s) with a host.
        """
        for url in urls:
            parts = urlsplit(url)
            if parts.scheme not in ("http", "https") or not parts.hostname:
                raise ValueError(f"not an http(s) URL: {url!r}")
        self._balanced = list(urls)
        self._turn = itertools.count()
        self._to_every = to_every and bool(urls)

    def _next_url(self) -> str:
        if not self._balanced:
            return self.state.webhook_url
        return self._balanced[next(self._turn) % len(self._balanced)]

    async def push(self, update: dict[str, Any]) -> bool:
        """POST ``update``; retry what is not answered 200; False when it was dropped.

        Each attempt picks the next URL, so a balanced retry may reach another instance,
        as it would behind a real load balancer. In ``to_every`` mode the update goes to
        every URL at once; True when any answered 200.
        """
        if self._to_every:
            urls = list(self._balanced)
            answers = await asyncio.gather(*(self._push_to(update, [url]) for url in urls))
            return any(answers)
        return await self._push_to(update, None)

    async def _push_to(self, update: dict[str, Any], urls: list[str] | None) -> bool:
        if self._client is None:
            self._client = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=MAX_CONNECTIONS),
                # Only the answer is timed: waiting for a free connection is Telegram's queue.
                timeout=aiohttp.ClientTimeout(total=None, sock_read=TIMEOUT_SECONDS),
            )
        headers = {"Content-Type": "application/json"}
        if self.state.webhook_secret:
            headers[SECRET_HEADER] = self.state.webhook_secret
        body = json.dumps(update, ensure_ascii=False).encode()
        for attempt in range(ATTEMPTS):
            if attempt:
                await asyncio.sleep(BACKOFF_SECONDS * attempt)
            try:
                url = self._next_url() if urls is None else urls[attempt % len(urls)]
                async with self._client.post(url, data=body, headers=headers) as answer:
                    status, text = answer.status, await answer.text(errors="replace")
            except (aiohttp.ClientError, TimeoutError) as exc:
                self.errors.append((0, f"{type(exc).__name__}: {exc}"))
                continue
            if status == 200:
                self.delivered += 1
                return True
            self.errors.append((status, text))
        log.warning(
            "webhook: update %s dropped after %d attempts", update.get("update_id"), ATTEMPTS
        )
        return False

    async def aclose(self) -> None:
        """Close the HTTP client (a new one opens on the next push)."""
        if self._client is not None:
            client, self._client = self._client, None
            await client.close()
