"""New stories on followed topics, from the store to the chat, through the running bot and
the emulator: in English, Russian, Kazakh and Uzbek, across languages, near misses, the
same story from two outlets, batches, blocked chats, migrated groups."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlalchemy import select

from bot.bulk_send import telegram_sender
from bot.notice_job import run_notice_rounds
from bot.notice_kinds import notice_kinds, wake_notices
from storage.models import TopicRow
from storage.topics import list_chat_topics
from tests.bot_bench import Bench, only
from tests.digest_support import free_budget
from tests.follow_support import NOW, deliver, draft, person_chat, store, topic_notices


async def test_a_new_story_on_a_topic_comes_once_with_its_buttons(bench: Bench) -> None:
    chat = bench.chat
    only(await chat.send("/follow Rogun"))
    await store(
        bench.sessions,
        draft("Tajikistan launches third unit at Rogun hydropower plant", url="https://a.tj/1"),
        draft("Karakol ski base sells record number of passes", url="https://a.kg/2"),
    )
    report = await deliver(bench)
    assert (report.sent, report.messages) == (1, 1)
    [notice] = bench.emu.messages_in(chat.id)[-1:]
    assert "🔔 New on “Rogun”" in notice.text
    assert "Tajikistan launches third unit at Rogun hydropower plant" in notice.text
    assert "asiaplus · Nov 28, 2026" in notice.text  # the outlet and the date
    assert [b.text for b in notice.flat_buttons] == ["Stop following", "More like this"]
    assert all(len((b.callback_data or "").encode()) <= 64 for b in notice.flat_buttons)
    # Nothing new: nothing sent, however often the round runs.
    again = await deliver(bench, NOW + timedelta(minutes=5))
    assert again.sent == 0 and len(bench.emu.messages_in(chat.id)) == 2

    more = only(await chat.press(notice, "More like this"))
    assert "Stories about “Tajikistan launches third unit" in more.text
    _heading, listed = more.text.split("\n", 1)
    assert "1. Kyrgyzstan's hydropower plants brace for the winter peak" in listed
    assert "Rogun" not in listed  # the story itself is not "like" itself
    stopped = only(await chat.press(notice, "Stop following"))
    assert "Stopped following “Rogun”." in stopped.text
    async with bench.sessions() as session:
        assert await list_chat_topics(session, chat.id) == []


async def test_a_story_in_another_language_matches_and_comes_in_the_chats_language(
    bench: Bench,
) -> None:
    russian = person_chat(bench, 2101, "ru")
    reply = only(await russian.send("/follow газ цены"))
    assert "Слежу за темой «газ цены» (номер 1)" in reply.text
    await store(bench.sessions, draft("Gas prices for households to rise in Kazakhstan"))
    await deliver(bench)
    notice = bench.emu.messages_in(russian.id)[-1]
    assert "🔔 Новое по теме «газ цены»" in notice.text
    assert "Gas prices for households to rise in Kazakhstan" in notice.text
    assert [b.text for b in notice.flat_buttons] == ["Не следить", "Похожие новости"]


async def test_kazakh_topic_matches_russian_story_not_a_near_miss(bench: Bench) -> None:
    kazakh = person_chat(bench, 2201, "kk")
    only(await kazakh.send("/follow мұнай экспорты"))
    await store(
        bench.sessions,
        draft("Экспорт нефти из Казахстана вырос на 10%", source="kursiv"),
        draft("Мұнай өндіру жоспары орындалды", source="kazinform"),  # output, not exports
    )
    report = await deliver(bench)
    assert report.sent == 1
    notice = bench.emu.messages_in(kazakh.id)[-1]
    assert "«мұнай экспорты» бойынша жаңалық" in notice.text
    assert "Экспорт нефти из Казахстана вырос" in notice.text
    assert "Мұнай өндіру" not in notice.text


async def test_uzbek_topic_with_a_typo_and_a_near_miss(bench: Bench) -> None:
    uzbek = person_chat(bench, 2301, "uz")
    only(await uzbek.send("/follow paxta hosili"))
    await store(
        bench.sessions,
        draft("Paxta hosilli rejadan oshib ketdi", source="kun.uz"),  # a typo in the story
        draft("Bugʻdoy hosili bu yil kamaydi", source="kun.uz"),  # wheat, not cotton
    )
    report = await deliver(bench)
    assert report.sent == 1
    notice = bench.emu.messages_in(uzbek.id)[-1]
    assert "“paxta hosili” boʻyicha yangilik" in notice.text
    assert "Paxta hosilli rejadan oshib ketdi" in notice.text
    assert [b.text for b in notice.flat_buttons] == [
        "Kuzatishni toʻxtatish",
        "Shunga oʻxshash xabarlar",
    ]


async def test_the_same_story_from_two_outlets_comes_once(bench: Bench) -> None:
    only(await bench.chat.send("/follow Kashagan"))
    await store(bench.sessions, draft("Kashagan output resumes after maintenance", "tengrinews"))
    await store(bench.sessions, draft("Kashagan output resumes after maintenance!", "kursiv"))
    await deliver(bench)
    await store(bench.sessions, draft("Kashagan: output resumes after maintenance", "inform"))
    await deliver(bench, NOW + timedelta(minutes=1))
    notices = [m for m in bench.emu.messages_in(bench.chat.id) if "New on" in m.text]
    assert len(notices) == 1
    assert len(await topic_notices(bench.sessions)) == 1


async def test_two_topics_of_one_chat_matching_one_story_make_one_message(bench: Bench) -> None:
    only(await bench.chat.send("/follow Rogun"))
    only(await bench.chat.send("/follow hydropower Tajikistan"))
    await store(bench.sessions, draft("Tajikistan hydropower: Rogun fills its reservoir"))
    report = await deliver(bench)
    assert (report.sent, report.messages) == (1, 1)


async def test_more_than_five_in_an_hour_come_as_one_batch(bench: Bench) -> None:
    only(await bench.chat.send("/follow Rogun"))
    titles = [f"Rogun dam update number {n}: {word}" for n, word in enumerate("abcdefg")]
    await store(
        bench.sessions, *(draft(title, url=f"https://a.tj/r{n}") for n, title in enumerate(titles))
    )
    report = await deliver(bench)
    assert (report.sent, report.messages) == (7, 1)
    batch = bench.emu.messages_in(bench.chat.id)[-1]
    assert "🔔 7 new stories about your topics" in batch.text
    assert all(title in batch.text for title in titles)
    assert [b.text for b in batch.flat_buttons] == ["Stop “Rogun”"]


async def test_a_steady_flow_past_five_waits_for_the_hour_and_comes_as_one(bench: Bench) -> None:
    only(await bench.chat.send("/follow Rogun"))
    for n in range(8):
        await store(
            bench.sessions,
            draft(f"Rogun dam, day {n}: {'xyzwvuts'[n]} works", url=f"https://a.tj/d{n}"),
        )
        await deliver(bench, NOW + timedelta(minutes=5 * n))
    singles = [m for m in bench.emu.messages_in(bench.chat.id) if "New on “Rogun”" in m.text]
    assert len(singles) == 5  # the sixth and later wait for the hour to end
    later = await deliver(bench, NOW + timedelta(minutes=61))
    assert (later.sent, later.messages) == (3, 1)
    assert "3 new stories about your topics" in bench.emu.messages_in(bench.chat.id)[-1].text


async def test_a_blocked_chat_stops_its_topics(bench: Bench) -> None:
    reader = person_chat(bench, 2401, "en")
    only(await reader.send("/follow Rogun"))
    bench.emu.block(2401)
    await store(bench.sessions, draft("Rogun dam passes inspection"))
    report = await deliver(bench)
    assert (report.sent, report.unreachable) == (0, 1)
    async with bench.sessions() as session:
        rows = list(await session.scalars(select(TopicRow).where(TopicRow.chat_id == 2401)))
    assert [(row.words, row.active) for row in rows] == [("Rogun", False)]
    assert [row.status for row in await topic_notices(bench.sessions)] == ["dropped"]
    # Stopped topics are matched no more.
    await store(bench.sessions, draft("Rogun dam opens to visitors"))
    assert (await deliver(bench, NOW + timedelta(minutes=1))).claimed == 0


async def test_a_migrated_group_keeps_its_topics(bench: Bench) -> None:
    boss = bench.emu.user(2501, first_name="Boss", language_code="ru")
    group = bench.emu.group_chat(title="Energy", chat_id=-5001, admins=[boss])
    only(await group.send("/follow Рогун", from_user=boss))
    bench.emu.upgrade_group(-5001, -1005001)
    await store(bench.sessions, draft("Рогунская ГЭС запустила третий агрегат", source="asiaplus"))
    report = await deliver(bench)
    assert (report.sent, report.moved) == (1, 1)
    notice = bench.emu.messages_in(-1005001)[-1]
    assert "Новое по теме «Рогун»" in notice.text
    async with bench.sessions() as session:
        moved = await list_chat_topics(session, -1005001)
        assert [t.words for t in moved] == ["Рогун"]
        assert await list_chat_topics(session, -5001) == []


async def test_newsbot_runs_rounds_match_right_after_a_fetch(bench: Bench) -> None:
    only(await bench.chat.send("/follow Kashagan"))
    registry = notice_kinds(bench.app)
    rounds: list[str] = []
    task = asyncio.create_task(
        run_notice_rounds(
            bench.sessions,
            list(registry.kinds.values()),
            telegram_sender(bench.app.bot),
            default_language="en",
            default_zone="Asia/Almaty",
            wake=registry.wake,
            clock=lambda: NOW,  # a minute never passes: only the wake starts a round
            on_round=lambda report: rounds.append(report.kind),
            budget=free_budget(),
        )
    )
    try:
        while not rounds:  # the first round runs at start, with nothing new
            await asyncio.sleep(0.01)
        await store(bench.sessions, draft("Kashagan output resumes after maintenance"))
        wake_notices(bench.app)  # what the fetch job does after each source's fetch
        notice = (await bench.emu.wait_for(bench.chat.id, 2))[-1]
        assert "New on “Kashagan”" in notice.text
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
