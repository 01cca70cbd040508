"""How many chats the bot keeps in memory: the most recently heard, up to a cap.

PTB keeps a ``chat_data`` (our ``ChatState``) and a ``user_data`` entry for every chat and
person it has ever seen, and never lets go. ``RecentChats`` remembers the order chats were
last heard from; the Application forgets the state of the least recent beyond the cap. A
forgotten chat loses nothing: its preferences are read from the store again on its next
message.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Final

# About 1 KB per chat in PTB's tables: ten thousand active chats cost some 10 MB.
MAX_CHATS_IN_MEMORY: Final = 10_000


class RecentChats:
    """Chat ids in the order last heard from, at most ``cap`` of them."""

    def __init__(self, cap: int = MAX_CHATS_IN_MEMORY) -> None:
        if cap < 1:
            raise ValueError("cap must be at least 1")
        self.cap = cap
        self._order: OrderedDict[int, None] = OrderedDict()

    def __len__(self) -> int:
        return len(self._order)

    def touch(self, chat_id: int) -> list[int]:
        """Note ``chat_id`` as heard from now; return the chats pushed out beyond the cap."""
        self._order[chat_id] = None
        self._order.move_to_end(chat_id)
        pushed_out: list[int] = []
        while len(self._order) > self.cap:
            oldest, _ = self._order.popitem(last=False)
            pushed_out.append(oldest)
        return pushed_out
