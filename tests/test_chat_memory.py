"""Per-chat state in memory is capped: the least recently heard chats are forgotten, and a
forgotten chat is served as before from what the store keeps."""

from __future__ import annotations

import pytest

from bot.chat_memory import RecentChats
from bot.update_log import UpdateLoggingApplication
from tests.bot_bench import Bench


def test_recent_chats_push_out_the_least_recent() -> None:
    recent = RecentChats(cap=3)
    assert [recent.touch(chat) for chat in (1, 2, 3)] == [[], [], []]
    assert recent.touch(1) == []  # heard again: now the most recent
    assert recent.touch(4) == [2]
    assert recent.touch(5) == [3]
    assert len(recent) == 3
    with pytest.raises(ValueError):
        RecentChats(cap=0)


async def test_the_bot_keeps_only_the_most_recent_chats(bench: Bench) -> None:
    app = bench.app
    assert isinstance(app, UpdateLoggingApplication)
    app.recent_chats = RecentChats(cap=3)
    emu = bench.emu
    people = [emu.user(7000 + n, f"P{n}", language_code="en") for n in range(5)]
    chats = [emu.private_chat(person) for person in people]
    # The first person picks Russian; it is stored, and kept in memory while recent.
    await chats[0].send("/lang ru")
    for chat in chats[1:]:
        assert await chat.send("/help")
    assert sorted(app.chat_data) == [7002, 7003, 7004]
    # Forgotten in memory, not in the store: still answered in Russian.
    reply = (await chats[0].send("/help"))[0].text
    assert "/rates" in reply and any("а" <= ch <= "я" for ch in reply)
    assert sorted(app.chat_data) == [7000, 7003, 7004]
    # No table of every id ever seen grows behind our back.
    assert not app._chat_ids_to_be_updated_in_persistence
    assert not app._user_ids_to_be_updated_in_persistence
