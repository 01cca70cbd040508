"""Notices: messages a feature owes a chat (a rate alert, a new story on a followed topic),
delivered exactly once across processes, within the bot's send budget.

Usage (for a feature such as rate alerts or followed topics):

1. Enqueue: when your feature detects an event, in your own transaction::

       from storage.notices import add_notice
       new = await add_notice(session, "alert", f"alert:{alert_id}:{crossing}", chat_id,
                              {"alert": alert_id, "rate": "521.40"}, now)

   The key is unique across kinds (prefix it with your kind): whoever inserts it owns the
   notice, so two processes detecting the same event make one notice. The payload is JSON.

2. Describe your kind once: a ``NoticeKind`` with its name, a composer and, optionally, hooks::

       async def compose(session, chat: ChatNotices, now) -> list[OutgoingNotice]:
           ...  # chat.language is set and current (``_()`` speaks it); chat.timezone a name
           return [OutgoingNotice(html, chat.ids)]  # one message may cover several notices

       ALERTS = NoticeKind("alert", compose, on_unreachable=stop_alerts, on_migrated=move_alerts,
                           detect=find_crossings)

   The composer gets an open session (read what you need; do not commit), the chat's
   claimed notices (oldest first, ``ChatNotices.notices``, each with its ``payload``) and the
   moment of the pass. It returns the messages to send, in order, each with Telegram HTML
   (escaped, at most 4096 characters), an optional inline keyboard and the ids of the
   notices it covers. A claimed notice no message covers is dropped (say, its alert was
   deleted meanwhile). ``on_unreachable(session, chat_id, now)`` runs when the chat blocked
   the bot or is gone: stop your feature for that chat there. ``on_migrated(session,
   old_id, new_id)`` runs when a group became a supergroup: move your rows. Both run in the
   pass's transaction that drops or moves the notices; neither commits. (The digest pass
   deletes an upgraded group's old chat row once its subscription moved: rows that refer to
   ``chats.id`` with ON DELETE CASCADE would go with it.) ``detect(session,
   now) -> int`` (optional) finds new events and enqueues their notices; the job runs it
   before each pass, in a transaction of its own.

3. Register it for ``newsbot run`` where the Application is built (``bot.app``)::

       register_notice_kind(app, ALERTS)   # bot.notice_kinds

   and offer ``newsbot alert run-due`` in ``bot.cli.build_parser`` with
   ``add_run_due_command(sub, "alert", "bot.alerts:ALERTS", help="rate alerts")``
   (``bot.notice_command``).

What each Telegram answer does (read by ``bot.bulk_send``, as for the digests): accepted:
sent (group commit); 429: every sender pauses, short waits are waited out, a long one puts
the chat's notices back for after it (not an attempt); 403 or "chat not found": the kind's
``on_unreachable``, the chat's pending notices of the kind dropped, the chat marked
unreachable; a migrated group: the chat row (language, zone) is copied to the new id, the
kind's ``on_migrated`` runs and the chat's notices move (the old chat row stays for the
features that have not moved yet), and the message goes to the new id; any other 400: that
message's notices fail; network trouble: put back, at most ``MAX_ATTEMPTS`` claims.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from functools import partial
from typing import Unpack

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.bulk_send import Answer, HtmlSender, send_within_budget
from bot.claim_pass import LEASE as LEASE
from bot.claim_pass import WORKERS as WORKERS
from bot.claim_pass import ClaimPass, PassTuning
from bot.metrics import NOTICES
from bot.notice_kinds import NoticeKind as NoticeKind
from bot.notice_kinds import OutgoingNotice as OutgoingNotice
from bot.send_budget import Budget
from core.schedule_words import zone_from_name
from locales import use_language
from services.notice_pass import NoticeOutbox
from storage import notices
from storage.notices import ChatNotices

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
RETRY_LATER = timedelta(minutes=1)
CLAIM_CHATS = 50  # chats claimed per transaction


@dataclass
class NoticeReport:
    """What one pass of one kind did (counts of notices, except ``messages``)."""

    kind: str
    claimed: int = 0
    sent: int = 0
    messages: int = 0
    put_back: int = 0
    failed: int = 0
    dropped: int = 0
    unreachable: int = 0
    moved: int = 0
    errors: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """One line for logs and the CLI."""
        return (
            f"{self.kind} notices: {self.claimed} claimed, {self.sent} sent in "
            f"{self.messages} messages, {self.put_back} put back, {self.failed} failed, "
            f"{self.dropped} dropped ({self.unreachable} chats unreachable), "
            f"{self.moved} chats moved"
        )


class NoticePass(ClaimPass[ChatNotices, NoticeOutbox]):
    """One pass of one kind: claim chats' notices, compose, send within the budget, mark.

    Args:
        sessions: The store.
        kind: The notices' kind.
        send: Sends one HTML message (``bot.bulk_send.telegram_sender``).
        now: The moment of the pass.
        default_language: The language of chats that chose none.
        default_zone: The time zone of chats that chose none.
        budget: The bot's send budget.
        **tuning: ``workers`` (chats sent to at once), ``batch`` (chats claimed per
            transaction), ``lease``, ``sleep`` (how to wait out a 429): see ``ClaimPass``.
    """

    BATCH = CLAIM_CHATS

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        kind: NoticeKind,
        send: HtmlSender,
        now: datetime,
        *,
        default_language: str,
        default_zone: str,
        budget: Budget,
        **tuning: Unpack[PassTuning],
    ) -> None:
        super().__init__(
            partial(NoticeOutbox, sessions, kind=kind.name), now, budget=budget, **tuning
        )
        self.kind = kind
        self.send = send
        self.default_language = default_language
        self.default_zone = default_zone
        self.report = NoticeReport(kind.name)

    async def run(self) -> NoticeReport:
        """Deliver every takeable notice of the kind; return what happened."""
        if not await self.outbox.has_takeable():
            return self.report  # most minutes: one query and done
        await self._send_all()
        return self.report

    async def _produce(self) -> None:
        # Claims made just before a stop stay until their lease ends.
        while claimed := await self.outbox.claim_chats(self.lease, self.batch):
            for chat in claimed:
                self.report.claimed += len(chat.notices)
                await self._queue_item(chat)

    def _describe(self, item: ChatNotices) -> str:
        return f"{self.kind.name} notices for chat {item.chat_id}"

    def _record_error(self, item: ChatNotices, error: Exception) -> None:
        self.report.errors.append(f"{item.chat_id}: {error}")

    async def _deliver(self, chat: ChatNotices) -> None:
        worn = [n.id for n in chat.notices if n.attempts > MAX_ATTEMPTS]
        if worn:
            await self._fail(worn, f"gave up after {MAX_ATTEMPTS} attempts")
            chat = replace(chat, notices=tuple(n for n in chat.notices if n.id not in worn))
            if not chat.notices:
                return
        language = chat.language or self.default_language
        # A zone name the tz database does not know (stored long ago) reads as the default.
        known = chat.timezone is not None and zone_from_name(chat.timezone) is not None
        chat = replace(
            chat, language=language, timezone=chat.timezone if known else self.default_zone
        )
        use_language(language)
        messages = await self.outbox.compose(self.kind.compose, chat, self.now)
        owned = set(chat.ids)
        covered = {i for message in messages for i in message.notice_ids if i in owned}
        if owned - covered:
            await self._fail(sorted(owned - covered), "left out by the composer", dropped=True)
        chat_id = chat.chat_id
        for index, message in enumerate(messages):
            ids = [i for i in message.notice_ids if i in owned]
            if not ids:
                continue
            owned -= set(ids)

            async def send(target: int, message: OutgoingNotice = message) -> None:
                await self.send(target, message.html, message.keyboard)

            outcome = await send_within_budget(
                send, chat_id, self.budget, sleep=self.sleep, move=self._move
            )
            chat_id = outcome.chat_id
            rest = ids + [i for m in messages[index + 1 :] for i in m.notice_ids if i in owned]
            if outcome.answer is Answer.SENT:
                self._note_sent((i, self.token) for i in ids)
                self.report.sent += len(ids)
                self.report.messages += 1
            elif outcome.answer is Answer.REJECTED:
                await self._fail(ids, outcome.reason)
            elif outcome.answer is Answer.UNREACHABLE:
                await self._unreachable(chat_id, rest, outcome.reason)
                return
            else:
                flooded = outcome.answer is Answer.FLOODED
                wait = max(outcome.wait, RETRY_LATER.total_seconds())
                later = self._moment() + (timedelta(seconds=wait) if flooded else RETRY_LATER)
                await self._put_back(rest, later, outcome.reason, counts=not flooded)
                return

    def _marks_written(self, count: int) -> None:
        NOTICES.labels(kind=self.kind.name, outcome="sent").inc(count)

    async def _fail(self, ids: Sequence[int], reason: str, *, dropped: bool = False) -> None:
        status = notices.DROPPED if dropped else notices.FAILED
        log.warning("%s notices %s %s: %s", self.kind.name, list(ids), status, reason)
        done = await self.outbox.fail(ids, reason, status=status)
        NOTICES.labels(kind=self.kind.name, outcome=status).inc(done)
        if dropped:
            self.report.dropped += done
        else:
            self.report.failed += done

    async def _put_back(
        self, ids: Sequence[int], not_before: datetime, reason: str, *, counts: bool
    ) -> None:
        log.info("%s notices %s put back: %s", self.kind.name, list(ids), reason)
        done = await self.outbox.put_back(ids, not_before, reason, counts_as_attempt=counts)
        self.report.put_back += done

    async def _unreachable(self, chat_id: int, held: Sequence[int], reason: str) -> None:
        log.warning("chat %d cannot be written to (%s): %s stops", chat_id, reason, self.kind.name)
        done = await self.outbox.drop_unreachable(
            chat_id, held, reason, self.now, self.kind.on_unreachable
        )
        NOTICES.labels(kind=self.kind.name, outcome=notices.DROPPED).inc(done)
        self.report.dropped += done
        self.report.unreachable += 1

    async def _move(self, old_id: int, new_id: int) -> bool:
        log.info("chat %d became supergroup %d: moving its notices", old_id, new_id)
        await self.outbox.move_chat(old_id, new_id, self.kind.on_migrated)
        self.report.moved += 1
        return True


async def run_notice_pass(
    sessions: async_sessionmaker[AsyncSession],
    kind: NoticeKind,
    send: HtmlSender,
    now: datetime,
    *,
    default_language: str,
    default_zone: str,
    budget: Budget,
    **options: object,
) -> NoticeReport:
    """One pass of ``kind`` at ``now`` (see ``NoticePass``); ``options`` go to it."""
    notice_pass = NoticePass(
        sessions,
        kind,
        send,
        now,
        default_language=default_language,
        default_zone=default_zone,
        budget=budget,
        **options,  # type: ignore[arg-type]
    )
    return await notice_pass.run()
