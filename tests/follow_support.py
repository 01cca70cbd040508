"""Helpers of the followed-topic tests: store stories, run a round of the topic kind."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.bulk_send import telegram_sender
from bot.notice_job import run_kind_once
from bot.notice_kinds import NoticeKind, notice_kinds
from bot.notices import NoticeReport
from bot_api_emulator import ChatDriver
from core.types import StoryDraft
from storage.models import NoticeRow
from storage.stories import add_stories
from tests.bot_bench import Bench
from tests.digest_support import free_budget, no_sleep

NOW = datetime.fromisoformat("2026-11-28T09:00:00+00:00")


def draft(title: str, source: str = "asiaplus", **fields: object) -> StoryDraft:
    """A story as an outlet's feed gives it, published just before ``NOW``."""
    fields.setdefault("published", datetime.fromisoformat("2026-11-28T08:30:00+00:00"))
    return StoryDraft(title=title, source=source, **fields)  # type: ignore[arg-type]


async def store(sessions: async_sessionmaker[AsyncSession], *drafts: StoryDraft) -> None:
    """Store stories as a fetch does (the same news from another outlet is merged)."""
    async with sessions() as session, session.begin():
        await add_stories(session, drafts, merge_similar=True)


def topic_kind_of(bench: Bench) -> NoticeKind:
    """The topic kind the running bot registered."""
    return notice_kinds(bench.app).kinds["topic"]


async def deliver(
    bench: Bench,
    now: datetime = NOW,
    *,
    kind: NoticeKind | None = None,
    sessions: async_sessionmaker[AsyncSession] | None = None,
) -> NoticeReport:
    """One round of the topic kind (match, then send) through the bot on the emulator."""
    return await run_kind_once(
        sessions or bench.sessions,
        kind or topic_kind_of(bench),
        telegram_sender(bench.app.bot),
        now,
        default_language="en",
        default_zone="Asia/Almaty",
        budget=free_budget(),
        sleep=no_sleep,
    )


def person_chat(bench: Bench, user_id: int, language: str) -> ChatDriver:
    """A private chat with a person whose Telegram speaks ``language``."""
    return bench.emu.private_chat(
        bench.emu.user(user_id, f"Reader {user_id}", language_code=language)
    )


async def topic_notices(sessions: async_sessionmaker[AsyncSession]) -> list[NoticeRow]:
    """Every topic notice row, by id."""
    async with sessions() as session:
        query = select(NoticeRow).where(NoticeRow.kind == "topic").order_by(NoticeRow.id)
        return list(await session.scalars(query))
