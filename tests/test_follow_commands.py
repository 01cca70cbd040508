"""/follow, /following, /unfollow and the stop button through the emulator, the store
checked after each step; bad input in every field."""

from __future__ import annotations

import pytest

from services.topics import MAX_TOPICS, unfollow_id
from storage.topics import FollowedTopic, get_watermark, list_chat_topics, newest_story_id
from tests.bot_bench import Bench, only
from tests.subscribe_support import callback_data_of


async def _topics(bench: Bench, chat_id: int) -> list[FollowedTopic]:
    async with bench.sessions() as session:
        return await list_chat_topics(session, chat_id)


async def test_follow_list_and_unfollow(bench: Bench) -> None:
    chat = bench.chat
    reply = only(await chat.send("/follow Rogun"))
    assert "Following “Rogun” (number 1)" in reply.text
    reply = only(await chat.send("/follow gas prices kz"))
    assert "Following “gas prices (🇰🇿 Kazakhstan)” (number 2)" in reply.text
    topics = await _topics(bench, chat.id)
    assert [(t.words, t.countries) for t in topics] == [("Rogun", ()), ("gas prices", ("KZ",))]
    async with bench.sessions() as session:
        # Matching starts from the stories stored when the first topic was followed.
        assert await get_watermark(session) == await newest_story_id(session)

    again = only(await chat.send("/follow   Rogun "))
    assert "follows “Rogun” already (number 1" in again.text
    assert len(await _topics(bench, chat.id)) == 2

    listing = only(await chat.send("/following"))
    assert "1. Rogun" in listing.text and "2. gas prices (🇰🇿 Kazakhstan)" in listing.text
    assert callback_data_of(listing) == [f"unf:{t.id}" for t in topics]

    stopped = only(await chat.send("/unfollow 1"))
    assert "Stopped following “Rogun”." in stopped.text
    assert [t.words for t in await _topics(bench, chat.id)] == ["gas prices"]

    pressed = only(await chat.press(listing, "Stop 2"))
    assert "Stopped following “gas prices (🇰🇿 Kazakhstan)”." in pressed.text
    assert await _topics(bench, chat.id) == []
    twice = only(await chat.press(listing, "Stop 2"))
    assert "not followed any more" in twice.text
    empty = only(await chat.send("/following"))
    assert "This chat follows no topics." in empty.text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("/follow", "Write a topic after /follow"),
        ("/follow    ", "Write a topic after /follow"),
        ("/follow the and of", "has only words that every story uses"),
        ("/follow и в на", "has only words that every story uses"),
        ("/follow !!! ???", "has only words that every story uses"),
        ("/follow " + "x" * 5000, "A topic is at most 100 characters"),
        ("/follow \u200b\u200d \x00", "Write a topic after /follow"),
        ("/follow Kazakhstan", "matches 8 of the last 32 stored stories: too many"),
    ],
)
async def test_follow_refuses_bad_words_and_stores_nothing(
    bench: Bench, text: str, expected: str
) -> None:
    reply = only(await bench.chat.send(text))
    assert expected in reply.text
    assert "e.g. /follow" in reply.text
    assert await _topics(bench, bench.chat.id) == []


async def test_html_and_injection_are_kept_as_text(bench: Bench) -> None:
    chat = bench.chat
    reply = only(await chat.send("/follow <b>Rogun</b> & 'x'; DROP TABLE topics;--"))
    assert "<b>Rogun</b> &amp;" not in reply.text  # the text shows what was typed
    assert "“<b>Rogun</b> & 'x'; DROP TABLE topics;--”" in reply.text
    topics = await _topics(bench, chat.id)
    assert [t.words for t in topics] == ["<b>Rogun</b> & 'x'; DROP TABLE topics;--"]
    listing = only(await chat.send("/following"))
    assert "1. <b>Rogun</b> & 'x'; DROP TABLE topics;--" in listing.text


async def test_at_most_ten_topics(bench: Bench) -> None:
    chat = bench.chat
    for number in range(1, MAX_TOPICS + 1):
        reply = only(await chat.send(f"/follow topic{number} dam"))
        assert f"(number {number})" in reply.text
    refused = only(await chat.send("/follow Rogun"))
    assert "This chat follows 10 topics, the most it can." in refused.text
    assert "/unfollow 1" in refused.text
    assert len(await _topics(bench, chat.id)) == MAX_TOPICS
    # Following one already followed is no new topic: answered, not refused.
    same = only(await chat.send("/follow topic3 dam"))
    assert "already (number 3" in same.text


@pytest.mark.parametrize(
    "args", ["", "0", "-1", "abc", "1.5", "١", "99999999999999999999", "<b>1</b>", "1; DROP"]
)
async def test_unfollow_bad_numbers(bench: Bench, args: str) -> None:
    chat = bench.chat
    only(await chat.send("/follow Rogun"))
    reply = only(await chat.send(f"/unfollow {args}"))
    assert "/unfollow 1" in reply.text or "There is no topic number" in reply.text
    assert [t.words for t in await _topics(bench, chat.id)] == ["Rogun"]


async def test_unfollow_a_number_not_in_the_list(bench: Bench) -> None:
    only(await bench.chat.send("/follow Rogun"))
    reply = only(await bench.chat.send("/unfollow 7"))
    assert "There is no topic number 7." in reply.text


async def test_in_groups_only_admins_follow(bench: Bench) -> None:
    boss = bench.emu.user(2002, first_name="Boss")
    group = bench.emu.group_chat(title="Team", chat_id=-1009, admins=[boss])
    refused = only(await group.send("/follow Rogun", from_user=bench.aida))
    assert "Only the group's administrators can change this." in refused.text
    assert await _topics(bench, group.id) == []
    done = only(await group.send("/follow@CentralAsiaNewsBot Rogun", from_user=boss))
    assert "Following “Rogun”" in done.text
    listing = only(await group.send("/following", from_user=bench.aida))
    assert "1. Rogun" in listing.text
    refused = only(await group.press(listing, "Stop 1", from_user=bench.aida))
    assert "Only the group's administrators" in refused.text
    refused = only(await group.send("/unfollow 1", from_user=bench.aida))
    assert "Only the group's administrators" in refused.text
    assert len(await _topics(bench, group.id)) == 1


async def test_another_chats_topic_id_stops_nothing(bench: Bench) -> None:
    only(await bench.chat.send("/follow Rogun"))
    (topic,) = await _topics(bench, bench.chat.id)
    assert await unfollow_id(bench.sessions, 3003, topic.id) is None
    assert await unfollow_id(bench.sessions, bench.chat.id, topic.id + 1000) is None
    assert len(await _topics(bench, bench.chat.id)) == 1


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("ru", "/follow", "Напишите тему после /follow на любом языке, например: /follow Рогун"),
        ("ru", "/follow и в на", "Назовите саму тему, например: /follow Рогун."),
        ("ru", "/unfollow abc", "Напишите номер темы из /following, например: /unfollow 1."),
        ("kk", "/follow", "/follow сөзінен кейін тақырыпты кез келген тілде жазыңыз"),
        ("kk", "/follow " + "ж" * 300, "Тақырып 100 таңбадан аспауы керек."),
        ("kk", "/unfollow 5", "5 нөмірлі тақырып жоқ."),
        ("uz", "/follow", "Mavzuni /follow dan keyin istalgan tilda yozing"),
        ("uz", "/follow the of", "Mavzuning oʻzini ayting, masalan: /follow Rogʻun."),
        ("uz", "/unfollow -3", "Mavzuning /following roʻyxatidagi raqamini yozing"),
    ],
)
async def test_bad_input_is_answered_in_the_chats_language(
    bench: Bench, language: str, text: str, expected: str
) -> None:
    chat = bench.emu.private_chat(bench.emu.user(4000, "Reader", language_code=language))
    reply = only(await chat.send(text))
    assert expected in reply.text
    assert await _topics(bench, chat.id) == []


async def test_follow_in_kazakh_and_uzbek_answers_in_kind(bench: Bench) -> None:
    kazakh = bench.emu.private_chat(bench.emu.user(4101, "Aru", language_code="kk"))
    reply = only(await kazakh.send("/follow Қашаған"))
    assert "«Қашаған» тақырыбы бақылауда (нөмірі 1)" in reply.text
    listing = only(await kazakh.send("/following"))
    assert "Осы чат бақылайтын тақырыптар" in listing.text and "1. Қашаған" in listing.text
    uzbek = bench.emu.private_chat(bench.emu.user(4102, "Aziz", language_code="uz"))
    reply = only(await uzbek.send("/follow paxta hosili uz"))
    assert "“paxta hosili (🇺🇿 Oʻzbekiston)” mavzusi kuzatilmoqda (raqami 1)" in reply.text
    stopped = only(await uzbek.send("/unfollow 1"))
    assert "“paxta hosili (🇺🇿 Oʻzbekiston)” mavzusini kuzatish toʻxtatildi." in stopped.text
