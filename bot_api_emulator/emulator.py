"""BotApiEmulator: an in-memory Telegram the real PTB Application talks to."""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any

from telegram import Update

from bot_api_emulator import edits, methods
from bot_api_emulator.chats import ChatDriver
from bot_api_emulator.errors import ApiError
from bot_api_emulator.faults import FaultInjection
from bot_api_emulator.messages import BotMessage
from bot_api_emulator.params import Params
from bot_api_emulator.registry import METHODS
from bot_api_emulator.request import EmulatorRequest
from bot_api_emulator.state import TelegramState
from bot_api_emulator.updates import UserSpec, group_chat_json, private_chat_json
from bot_api_emulator.webhook import WebhookPusher

if TYPE_CHECKING:
    from telegram.ext import Application

DUMMY_TOKEN = "123456:EMULATOR"
_ANSWERING_MODULES = (methods, edits)  # imported for the methods they register


class BotApiEmulator(FaultInjection):
    """A fake Telegram Bot API in memory: it stores chats and messages and enforces the limits.

    Args:
        bot_username: the bot's @username (without the @).
        bot_first_name: the bot's display name.
        token: when set, calls with another token get 401 "Unauthorized"; when None any
            token is accepted and the bot id is taken from the dummy token.
    """

    def __init__(
        self,
        bot_username: str = "CentralAsiaNewsBot",
        *,
        bot_first_name: str = "Central Asia News",
        token: str | None = None,
    ) -> None:
        self.token = token
        bot_id = int((token or DUMMY_TOKEN).split(":", 1)[0])
        self.bot_user: dict[str, Any] = {
            "id": bot_id,
            "is_bot": True,
            "first_name": bot_first_name,
            "username": bot_username,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": True,
        }
        self.state = TelegramState(self.bot_user)
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.call_times: list[float] = []  # time.monotonic() of each call, parallel to calls
        self.errors: list[tuple[str, int | None, str]] = []  # (method, code, description)
        self.app: Application[Any, Any, Any, Any, Any, Any] | None = None
        self.first_get_updates_at: float | None = None  # time.monotonic() of the first poll
        self._pending: list[dict[str, Any]] = []
        self._update_ids = itertools.count(1)
        self._query_ids = itertools.count(1)
        self._waiters: list[asyncio.Future[bool]] = []  # result True: superseded
        self._allowed_updates: list[str] | None = None
        self._init_faults()
        self.webhook = WebhookPusher(self.state)

    # -- wiring --------------------------------------------------------------------------

    @property
    def username(self) -> str:
        """The bot's @username without the @."""
        return str(self.bot_user["username"])

    @property
    def outbox(self) -> list[BotMessage]:
        """Every message the bot sent or edited so far, in order."""
        return self.state.outbox

    @property
    def callback_answers(self) -> list[dict[str, Any]]:
        """Parameters of every answerCallbackQuery call that Telegram accepted."""
        return self.state.callback_answers

    @property
    def inline_answers(self) -> dict[str, list[dict[str, Any]]]:
        """Results of every accepted answerInlineQuery, by inline query id."""
        return self.state.inline_answers

    def request(self) -> EmulatorRequest:
        """A ``telegram.request.BaseRequest`` that talks to this emulator in process."""
        return EmulatorRequest(self)

    @asynccontextmanager
    async def serve(self, app: Application[Any, Any, Any, Any, Any, Any]) -> AsyncIterator[Any]:
        """Run ``app`` against the emulator without polling; updates go to process_update.

        PTB only calls post_init/post_shutdown from run_polling/run_webhook, so they are
        called here, in the same order run_polling uses.
        """
        await app.initialize()
        try:
            if app.post_init is not None:
                await app.post_init(app)
            await app.start()
            self.app = app
            try:
                yield self
            finally:
                self.app = None
                if app.running:
                    await app.stop()
                if app.post_shutdown is not None:
                    await app.post_shutdown(app)
        finally:
            await app.shutdown()

    # -- people and chats ----------------------------------------------------------------

    def user(
        self,
        user_id: int,
        first_name: str = "Test",
        *,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = None,
    ) -> UserSpec:
        """Create (or replace) a simulated person."""
        spec = UserSpec(user_id, first_name, last_name, username, language_code)
        self.state.add_user(spec.json())
        return spec

    def private_chat(self, user: UserSpec | int) -> ChatDriver:
        """The person's private chat with the bot."""
        spec = user if isinstance(user, UserSpec) else self.user(user)
        self.state.add_user(spec.json())
        chat = self.state.add_chat(private_chat_json(spec))
        return ChatDriver(self, chat, spec)

    def group_chat(
        self,
        title: str = "Group",
        chat_id: int = -1001234567890,
        *,
        admins: list[UserSpec] | None = None,
        username: str | None = None,
    ) -> ChatDriver:
        """A supergroup with the bot in it; ``admins`` (first one is the creator)."""
        admin_ids = {spec.id for spec in admins or []}
        for spec in admins or []:
            self.state.add_user(spec.json())
        chat = self.state.add_chat(group_chat_json(chat_id, title, username), admin_ids)
        return ChatDriver(self, chat, None)

    def upgrade_group(self, chat_id: int, new_chat_id: int) -> ChatDriver:
        """The group becomes a supergroup with a new id, as Telegram does on upgrade:
        sending to the old id answers 400 with ``migrate_to_chat_id``."""
        old = self.state.chats[chat_id]
        new = dict(old, id=new_chat_id, type="supergroup")
        chat = self.state.add_chat(new, set(self.state.admins.get(chat_id, set())))
        self.state.migrated[chat_id] = new_chat_id
        return ChatDriver(self, chat, None)

    def block(self, user: UserSpec | int) -> None:
        """The person blocks the bot: every later send to their chat answers 403."""
        self.state.blocked.add(user.id if isinstance(user, UserSpec) else user)

    # -- the API -------------------------------------------------------------------------

    def check_token(self, token: str) -> None:
        """401 "Unauthorized" for a token other than the configured one."""
        if self.token is not None and token != self.token:
            raise ApiError(401, "Unauthorized")

    async def call(
        self, method: str, raw: dict[str, Any], files: dict[str, bytes] | None = None
    ) -> Any:
        """Answer one Bot API call: its result, or raise ApiError as Telegram would answer.

        Raises:
            ApiError: the call is refused (its status and description are Telegram's).
            InjectedNetworkError: a test asked for a network failure.
        """
        params = Params(raw, files)
        self.calls.append((method, params.decoded_all()))
        self.call_times.append(time.monotonic())
        key = method.lower()
        try:
            self._injected(key)
            self._check_flood(key)
            if key == "getupdates":
                return await self._get_updates(params)
            handler = METHODS.get(key)
            if handler is None:
                raise ApiError(404, "Not Found")
            if key == "deletewebhook" and params.flag("drop_pending_updates"):
                self._pending.clear()
            return handler(self.state, params)
        except ApiError as exc:
            self.errors.append((method, exc.error_code, exc.description))
            raise

    # -- updates -------------------------------------------------------------------------

    def next_update_id(self) -> int:
        """A fresh update_id."""
        return next(self._update_ids)

    def next_query_id(self) -> str:
        """A fresh callback or inline query id."""
        return f"{next(self._query_ids) * 7919:x}"

    def push_update(self, update: dict[str, Any]) -> None:
        """Queue an update JSON for getUpdates (used when the bot polls over HTTP)."""
        self._pending.append(update)
        waiters, self._waiters = self._waiters, []
        for waiter in waiters:
            if not waiter.done():
                waiter.set_result(False)

    async def dispatch(self, update: dict[str, Any]) -> None:
        """Deliver an update: to the served Application directly; else, with a webhook set,
        POST it there (returning after the answer; see ``webhook_errors``); else queue it
        for getUpdates."""
        if self.app is not None:
            await self.app.process_update(Update.de_json(update, self.app.bot))
        elif self.webhook.active:
            await self.webhook.push(update)
        else:
            self.push_update(update)

    @property
    def webhook_errors(self) -> list[tuple[int, str]]:
        """``(status, body)`` of each webhook answer other than 200 (status 0: no answer)."""
        return self.webhook.errors

    def balance_webhooks(self, urls: Sequence[str], *, to_every: bool = False) -> None:
        """Stand in for a load balancer: push updates round-robin to ``urls`` (same path,
        other host:port) instead of the URL set with setWebhook; ``[]`` undoes it.
        ``to_every`` posts each update to all of them."""
        self.webhook.balance(urls, to_every=to_every)

    async def aclose(self) -> None:
        """Close the HTTP client webhook pushes use."""
        await self.webhook.aclose()

    async def wait_for(self, chat_id: int, count: int, timeout: float = 20) -> list[BotMessage]:
        """Wait until the bot has sent or edited ``count`` messages in a chat (for a bot
        that answers asynchronously: polling or webhook); return that chat's messages.

        Raises:
            TimeoutError: fewer than ``count`` came within ``timeout`` seconds.
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while len(found := self.messages_in(chat_id)) < count:
            if loop.time() >= deadline:
                raise TimeoutError(
                    f"chat {chat_id}: {len(found)} of {count} bot messages after {timeout} s"
                )
            await asyncio.sleep(0.02)
        return found

    def _deliverable(self) -> list[dict[str, Any]]:
        allowed = self._allowed_updates
        if not allowed:
            return self._pending
        return [u for u in self._pending if any(kind in u for kind in allowed)]

    async def _get_updates(self, params: Params) -> list[dict[str, Any]]:
        if self.state.webhook_url:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        # As in Telegram, a new getUpdates ends the one still waiting: that one gets 409.
        waiting, self._waiters = self._waiters, []
        for older in waiting:
            if not older.done():
                older.set_result(True)
        if self.first_get_updates_at is None:
            self.first_get_updates_at = time.monotonic()
        offset = params.integer("offset")
        limit = max(1, min(100, params.integer("limit", 100) or 100))
        timeout = max(0, params.integer("timeout", 0) or 0)
        allowed = params.decoded("allowed_updates")
        if isinstance(allowed, list):
            self._allowed_updates = [str(kind) for kind in allowed]
        if offset is not None and offset > 0:
            self._pending = [u for u in self._pending if u["update_id"] >= offset]
        elif offset is not None and offset < 0:
            self._pending = self._pending[offset:]
        if not self._deliverable() and timeout:
            waiter: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
            self._waiters.append(waiter)
            try:
                superseded = await asyncio.wait_for(waiter, timeout)
            except TimeoutError:
                superseded = False
            if superseded:
                raise ApiError(
                    409,
                    "Conflict: terminated by other getUpdates request; "
                    "make sure that only one bot instance is running",
                )
        return self._deliverable()[:limit]

    # -- reading back ------------------------------------------------------------------

    def messages_in(self, chat_id: int) -> list[BotMessage]:
        """Every message the bot sent or edited in one chat, in order."""
        return [message for message in self.outbox if message.chat_id == chat_id]

    def commands(self, scope: dict[str, Any] | None = None, language_code: str = "") -> Any:
        """The command menu set with setMyCommands for a scope and language."""
        key = (json.dumps(scope or {"type": "default"}, sort_keys=True), language_code)
        return self.state.commands.get(key, [])
