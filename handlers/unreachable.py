"""Which Telegram answers mean a chat cannot be written to any more.

Its own small module because both the error handler (``handlers.errors``) and the bulk
senders (``bot.bulk_send``: digests and notices from cron) ask it, and the latter should not
import the Application's handler machinery to do so.
"""

from __future__ import annotations

from telegram.error import BadRequest, Forbidden


def is_unreachable(error: BaseException | None) -> bool:
    """Whether Telegram said the chat cannot be written to (blocked, kicked, gone)."""
    if isinstance(error, Forbidden):
        return True
    return isinstance(error, BadRequest) and "chat not found" in error.message.lower()
