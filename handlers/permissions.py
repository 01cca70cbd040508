"""Who may change a chat's settings and subscription: anyone in private, admins in groups."""

from __future__ import annotations

from telegram import ChatMember, Update
from telegram.constants import ChatType

from handlers.context import BotContext


async def may_change(update: Update, context: BotContext) -> bool:
    """Whether the person behind ``update`` may change this chat's settings and digest.

    In a private chat the person may; in groups only administrators and the owner may; an
    update with no person (a channel post) may not.
    """
    chat, user = update.effective_chat, update.effective_user
    if chat is None or user is None:
        return False
    if chat.type == ChatType.PRIVATE:
        return True
    member = await context.bot.get_chat_member(chat.id, user.id)
    return member.status in (ChatMember.ADMINISTRATOR, ChatMember.OWNER)
