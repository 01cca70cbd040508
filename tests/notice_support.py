"""A small notice kind only the tests use ("ping"), and a pass of it against the emulator.

The composer batches a chat's pings into one message, except pings whose payload says
``alone`` (a message each) or ``skip`` (left out: the pass drops them). Its hooks record
what they were called with, so the tests can see a blocked chat stop the kind and a
migrated group move it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup

from bot.bulk_send import HtmlSender, telegram_sender
from bot.notices import NoticeKind, NoticeReport, OutgoingNotice, run_notice_pass
from bot_api_emulator import DUMMY_TOKEN, BotApiEmulator
from locales import current_language
from storage.models import NoticeRow
from storage.notices import ChatNotices, add_notice
from tests.digest_support import free_budget, no_sleep
from views.telegram_html import escape

NOW = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)


@dataclass
class PingRecord:
    """What the ping kind's composer and hooks saw."""

    composed: list[tuple[int, str | None, str | None, str]] = field(default_factory=list)
    unreachable: list[int] = field(default_factory=list)
    migrated: list[tuple[int, int]] = field(default_factory=list)


def ping_kind(record: PingRecord | None = None, name: str = "ping") -> NoticeKind:
    """The test kind: pings batched per chat, with a Stop button."""
    seen = record if record is not None else PingRecord()

    async def compose(
        session: AsyncSession, chat: ChatNotices, now: datetime
    ) -> Sequence[OutgoingNotice]:
        seen.composed.append((chat.chat_id, chat.language, chat.timezone, current_language()))
        stop = InlineKeyboardMarkup(
            [[InlineKeyboardButton("Stop", callback_data=f"ping:stop:{chat.chat_id}")]]
        )
        together = [n for n in chat.notices if not n.payload.get("skip")]
        alone = [n for n in together if n.payload.get("alone")]
        batch = [n for n in together if not n.payload.get("alone")]
        messages = [OutgoingNotice(str(n.payload.get("html", "")), (n.id,), None) for n in alone]
        if batch:
            lines = "\n".join(f"• {escape(str(n.payload['text']))}" for n in batch)
            messages.append(
                OutgoingNotice(f"<b>Pings</b>\n{lines}", tuple(n.id for n in batch), stop)
            )
        return messages

    async def on_unreachable(session: AsyncSession, chat_id: int, now: datetime) -> None:
        seen.unreachable.append(chat_id)

    async def on_migrated(session: AsyncSession, old_id: int, new_id: int) -> None:
        seen.migrated.append((old_id, new_id))

    return NoticeKind(name, compose, on_unreachable=on_unreachable, on_migrated=on_migrated)


# The kind ``newsbot ping run-due`` loads in the CLI tests ("tests.notice_support:PING").
PING = ping_kind()


async def add_ping(
    sessions: async_sessionmaker[AsyncSession],
    chat_id: int,
    key: str,
    text: str = "hello",
    *,
    now: datetime = NOW,
    kind: str = "ping",
    **payload: Any,
) -> bool:
    """Enqueue one ping; True when it is new."""
    async with sessions() as session, session.begin():
        return await add_notice(
            session, kind, f"{kind}:{key}", chat_id, {"text": text, **payload}, now
        )


async def run_pings(
    sessions: async_sessionmaker[AsyncSession],
    emu: BotApiEmulator,
    kind: NoticeKind,
    now: datetime = NOW,
    *,
    send: HtmlSender | None = None,
    **options: Any,
) -> NoticeReport:
    """One pass of ``kind`` through a PTB Bot on the emulator, never waiting."""
    options.setdefault("budget", free_budget())
    options.setdefault("sleep", no_sleep)
    async with Bot(DUMMY_TOKEN, request=emu.request()) as bot:
        return await run_notice_pass(
            sessions,
            kind,
            send or telegram_sender(bot),
            now,
            default_language="en",
            default_zone="Asia/Almaty",
            **options,
        )


async def notice_rows(sessions: async_sessionmaker[AsyncSession]) -> list[NoticeRow]:
    """Every notice row, by id."""
    async with sessions() as session:
        return list(await session.scalars(select(NoticeRow).order_by(NoticeRow.id)))
