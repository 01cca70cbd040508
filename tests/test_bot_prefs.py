"""Chat preferences kept in memory, and messages sent through the bot's own inline results."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.bot_bench import Bench, only, running_bot


def _heading(bench_reply_text: str) -> str:
    return bench_reply_text.splitlines()[0]


async def test_lang_changes_the_next_answer_in_the_same_chat(bench: Bench) -> None:
    assert "Kazakhstan" in _heading(only(await bench.chat.send("/country KZ")).text)
    menu = only(await bench.chat.send("/lang"))
    only(await bench.chat.press(menu, "Русский"))
    # Written through to the memory copy: no waiting for it to expire.
    assert "Казахстан" in _heading(only(await bench.chat.send("/country KZ")).text)
    assert "Язык: Русский" in only(await bench.chat.send("/settings")).text


async def test_time_zone_change_shows_in_the_next_answer(bench: Bench) -> None:
    reply = only(await bench.chat.send("/settings"))
    zones = only(await bench.chat.press(reply, "Change time zone"))
    only(await bench.chat.press(zones, "Asia/Tashkent"))
    assert "Time zone: Asia/Tashkent" in only(await bench.chat.send("/settings")).text


async def test_preferences_are_read_once_then_kept(bench: Bench) -> None:
    await bench.chat.send("/start")
    kept = bench.app.chat_data[bench.chat.id].prefs
    await bench.chat.send("/help")
    # The same object: the second update did not go to the database.
    assert bench.app.chat_data[bench.chat.id].prefs is kept


async def test_another_instance_sees_a_language_change_once_its_copy_expires(
    database_url: str, sessions: async_sessionmaker[AsyncSession]
) -> None:
    async with (
        running_bot(database_url, sessions) as first,
        running_bot(database_url, sessions, demo=False) as second,
    ):
        assert first.chat.id == second.chat.id  # the same person, two bot processes
        assert "Kazakhstan" in _heading(only(await first.chat.send("/country KZ")).text)
        menu = only(await second.chat.send("/lang"))
        only(await second.chat.press(menu, "Русский"))
        # Within the time-to-live the first instance answers from its memory copy ...
        assert "Kazakhstan" in _heading(only(await first.chat.send("/country KZ")).text)
        # ... and once the copy is older than that, it reads the change from the store.
        first.app.bot_data.chats.ttl = 0.0
        assert "Казахстан" in _heading(only(await first.chat.send("/country KZ")).text)


async def test_own_inline_result_sent_to_a_chat_is_not_answered(bench: Bench) -> None:
    results = await bench.chat.inline("100 usd kzt")
    text, replies = await bench.chat.send_inline_result(results[0])
    assert text.startswith("100 USD = ")
    assert replies == []
    # The same text typed by the person is free text the bot answers (as a question).
    assert only(await bench.chat.send(text)).text.startswith("Stories about")


async def test_a_message_via_another_bot_is_still_answered(bench: Bench) -> None:
    update = bench.chat.person_message("100 usd to kzt")
    update["message"]["via_bot"] = {
        "id": 4242,
        "is_bot": True,
        "first_name": "Other",
        "username": "OtherBot",
    }
    before = len(bench.emu.outbox)
    await bench.emu.dispatch(update)
    replies = [m for m in bench.emu.outbox[before:] if m.chat_id == bench.chat.id]
    assert only(replies).text.startswith("100 USD = ")
