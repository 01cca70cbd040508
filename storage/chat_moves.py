"""A group that became a supergroup takes everything it had to its new id.

Whichever send first hears "group chat was upgraded" (a digest, an alert, a topic's
story) moves the chat's rows, so no feature loses its part when another one removes the
old chat row. Callers own the session and its transaction; nothing here commits.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from storage.alerts import move_chat_alerts
from storage.notices import move_chat_notices
from storage.topics import move_topics


async def move_chat_belongings(session: AsyncSession, old_id: int, new_id: int) -> None:
    """Give ``old_id``'s alerts, topics and queued notices to ``new_id`` (its row must exist)."""
    await move_chat_alerts(session, old_id, new_id)
    await move_topics(session, old_id, new_id)
    await move_chat_notices(session, old_id, new_id)
