"""Queries on the chats the bot talks to. Callers own the session and its transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import literal, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import ChatRow


@dataclass(frozen=True, slots=True)
class ChatPrefs:
    """A chat's stored preferences, free of the session.

    Attributes:
        chat_id: Telegram chat id.
        kind: private, group, supergroup or channel.
        language: Chosen language code, or None to follow the person's Telegram language.
        timezone: IANA zone name, or None for the operator's default.
        unreachable_since: When Telegram last said the chat cannot be written to.
    """

    chat_id: int
    kind: str
    language: str | None
    timezone: str | None
    unreachable_since: datetime | None


def _to_prefs(row: ChatRow) -> ChatPrefs:
    return ChatPrefs(row.id, row.kind, row.language, row.timezone, row.unreachable_since)


async def get_chat(session: AsyncSession, chat_id: int) -> ChatPrefs | None:
    """The stored preferences of a chat, or None when it has never written."""
    row = await session.get(ChatRow, chat_id)
    return None if row is None else _to_prefs(row)


async def add_chat_if_missing(session: AsyncSession, chat_id: int, kind: str) -> ChatPrefs:
    """Store a chat seen for the first time and return its preferences.

    Two updates from a new chat may arrive at once: the insert skips a row another
    transaction already wrote, then the row is read back either way. Does not commit.
    """
    values = {"id": chat_id, "kind": kind[:16]}
    if session.get_bind().dialect.name == "sqlite":
        await session.execute(sqlite.insert(ChatRow).values(values).on_conflict_do_nothing())
    else:
        await session.execute(postgresql.insert(ChatRow).values(values).on_conflict_do_nothing())
    row = (await session.execute(select(ChatRow).where(ChatRow.id == chat_id))).scalar_one()
    return _to_prefs(row)


async def set_chat_language(session: AsyncSession, chat_id: int, language: str) -> None:
    """Remember the language a chat chose. Does not commit."""
    await session.execute(update(ChatRow).where(ChatRow.id == chat_id).values(language=language))


async def set_chat_timezone(session: AsyncSession, chat_id: int, timezone: str) -> None:
    """Remember the time zone a chat chose. Does not commit."""
    await session.execute(update(ChatRow).where(ChatRow.id == chat_id).values(timezone=timezone))


async def set_chat_unreachable(session: AsyncSession, chat_id: int, since: datetime | None) -> None:
    """Mark a chat as blocked or gone (``since`` set) or as reachable again (None).

    Does not commit.
    """
    await session.execute(
        update(ChatRow).where(ChatRow.id == chat_id).values(unreachable_since=since)
    )


async def copy_chat(session: AsyncSession, old_id: int, new_id: int) -> None:
    """Store ``new_id`` as a supergroup with the preferences of ``old_id`` (a group that was
    upgraded), unless it is stored already. Writes without reading first, so on SQLite the
    transaction takes the write lock at once. Does not commit."""
    insert = (sqlite.insert if session.get_bind().dialect.name == "sqlite" else postgresql.insert)(
        ChatRow
    )
    copied = select(
        literal(new_id).label("id"),
        literal("supergroup").label("kind"),
        ChatRow.language,
        ChatRow.timezone,
        ChatRow.created,
    ).where(ChatRow.id == old_id)
    columns = ["id", "kind", "language", "timezone", "created"]
    await session.execute(insert.from_select(columns, copied).on_conflict_do_nothing())
