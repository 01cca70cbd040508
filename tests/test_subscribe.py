"""/subscribe and /unsubscribe through the emulator, with the store checked after each step."""

from __future__ import annotations

from datetime import datetime

import pytest

from storage.due_digests import list_due_subscriptions
from tests.bot_bench import Bench, only
from tests.subscribe_support import pin_clock, stored

ALL = ("KZ", "KG", "UZ", "TJ", "TM")


async def _due_ids(bench: Bench, now: str) -> set[int]:
    async with bench.sessions() as session:
        due = await list_due_subscriptions(session, datetime.fromisoformat(now), "Asia/Almaty")
    return {item.subscription_id for item in due}


async def test_subscribe_with_defaults_then_unsubscribe_then_resubscribe(bench: Bench) -> None:
    chat = bench.chat
    pin_clock(bench, "2026-11-28T08:00:00+05:00")  # before 09:00 in Asia/Almaty
    reply = only(await chat.send("/subscribe"))
    assert "You are subscribed to the daily digest." in reply.text
    assert "Time: 09:00, Asia/Almaty (UTC+05:00)" in reply.text
    assert "🇰🇿 Kazakhstan, 🇰🇬 Kyrgyzstan, 🇺🇿 Uzbekistan, 🇹🇯 Tajikistan, and 🇹🇲 Turkmenistan" in (
        reply.text
    )
    assert "The first digest comes today at 09:00." in reply.text
    first = await stored(bench, chat.id)
    assert first is not None and first.active
    assert (first.local_time, first.countries) == ("09:00", ALL)
    # The delivery side agrees: due at 09:01 the same day.
    assert first.id in await _due_ids(bench, "2026-11-28T09:01:00+05:00")
    assert first.id not in await _due_ids(bench, "2026-11-28T08:59:00+05:00")

    stop = only(await chat.send("/unsubscribe"))
    assert "The daily digest is stopped." in stop.text
    after_stop = await stored(bench, chat.id)
    assert after_stop is not None and not after_stop.active
    assert (after_stop.local_time, after_stop.countries) == ("09:00", ALL)
    assert first.id not in await _due_ids(bench, "2026-11-28T09:01:00+05:00")
    again = only(await chat.send("/unsubscribe"))
    assert "This chat gets no daily digest." in again.text

    # Restarted after its time: the first digest is tomorrow's, and the sender agrees.
    pin_clock(bench, "2026-11-28T10:15:00+05:00")
    back = only(await chat.send("/subscribe"))
    assert "You are subscribed" in back.text
    assert "The first digest comes tomorrow, Nov 29, 2026, at 09:00." in back.text
    restarted = await stored(bench, chat.id)
    assert restarted is not None and restarted.active and restarted.id == first.id
    assert restarted.id not in await _due_ids(bench, "2026-11-28T10:16:00+05:00")
    assert restarted.id in await _due_ids(bench, "2026-11-29T09:00:00+05:00")


async def test_subscribe_with_countries_in_any_language_and_a_time(bench: Bench) -> None:
    chat = bench.chat
    pin_clock(bench, "2026-11-28T06:00:00+05:00")
    reply = only(await chat.send("/subscribe Қазақстан uz 08:30"))
    assert "Time: 08:30" in reply.text
    assert "🇰🇿 Kazakhstan and 🇺🇿 Uzbekistan" in reply.text
    sub = await stored(bench, chat.id)
    assert sub is not None and (sub.local_time, sub.countries) == ("08:30", ("KZ", "UZ"))

    # Re-subscribing updates what is named and keeps the rest.
    update = only(await chat.send("/subscribe Бишкек 7:00"))
    assert "Your daily digest is updated." in update.text
    assert "The next digest comes today at 07:00." in update.text
    sub = await stored(bench, chat.id)
    assert sub is not None and (sub.local_time, sub.countries) == ("07:00", ("KG",))
    only(await chat.send("/subscribe 9pm"))
    sub = await stored(bench, chat.id)
    assert sub is not None and (sub.local_time, sub.countries) == ("21:00", ("KG",))
    only(await chat.send("/subscribe tajikistn Ашхабад"))
    sub = await stored(bench, chat.id)
    assert sub is not None and (sub.local_time, sub.countries) == ("21:00", ("TJ", "TM"))


async def test_a_time_already_passed_with_no_digest_today_comes_at_once(bench: Bench) -> None:
    chat = bench.chat
    pin_clock(bench, "2026-11-27T08:00:00+05:00")
    only(await chat.send("/subscribe 20:00"))
    pin_clock(bench, "2026-11-28T10:00:00+05:00")
    moved = only(await chat.send("/subscribe 08:00"))
    assert "Today's digest comes within a minute." in moved.text
    sub = await stored(bench, chat.id)
    assert sub is not None and sub.id in await _due_ids(bench, "2026-11-28T10:00:00+05:00")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("/subscribe garbage", "“garbage” is neither a country of Central Asia nor a time"),
        ("/subscribe kz 25:00", "“25:00” is neither"),
        ("/subscribe -1", "“-1” is neither"),
        ("/subscribe Russia", "“Russia” is not in Central Asia"),
        ("/subscribe <b>kz</b> & <script>", "“<b>kz</b>” is neither"),
        ("/subscribe '; DROP TABLE subscriptions;--", "“'” is neither"),
        ("/subscribe 😀🔥", "is neither"),
        ("/subscribe 8:00 9:00", "more than one time of day"),
        ("/subscribe " + "kz " * 3000, "more than one time of day"),
    ],
)
async def test_bad_input_is_explained_and_changes_nothing(
    bench: Bench, text: str, expected: str
) -> None:
    chat = bench.chat
    pin_clock(bench, "2026-11-28T06:00:00+05:00")
    only(await chat.send("/subscribe kg 07:15"))
    before = await stored(bench, chat.id)
    reply = only(await chat.send(text))
    assert expected in reply.text
    assert "e.g. /subscribe Kazakhstan uz 08:30" in reply.text
    assert await stored(bench, chat.id) == before


async def test_bad_input_before_any_subscription_stores_none(bench: Bench) -> None:
    reply = only(await bench.chat.send("/subscribe 24:00"))
    assert "e.g. /subscribe Kazakhstan uz 08:30" in reply.text
    assert await stored(bench, bench.chat.id) is None


async def test_in_groups_only_admins_subscribe_or_unsubscribe(bench: Bench) -> None:
    boss = bench.emu.user(2002, first_name="Boss")
    group = bench.emu.group_chat(title="Team", chat_id=-1009, admins=[boss])
    pin_clock(bench, "2026-11-28T06:00:00+05:00")
    refused = only(await group.send("/subscribe kz 08:00", from_user=bench.aida))
    assert "Only the group's administrators can change this." in refused.text
    assert await stored(bench, group.id) is None
    done = only(await group.send("/subscribe@CentralAsiaNewsBot kz 08:00", from_user=boss))
    assert "You are subscribed" in done.text
    sub = await stored(bench, group.id)
    assert sub is not None and sub.active and sub.countries == ("KZ",)
    refused = only(await group.send("/unsubscribe", from_user=bench.aida))
    assert "Only the group's administrators" in refused.text
    assert (await stored(bench, group.id)) == sub
    only(await group.send("/unsubscribe", from_user=boss))
    stopped = await stored(bench, group.id)
    assert stopped is not None and not stopped.active


async def test_the_reply_is_in_the_chat_language(bench: Bench) -> None:
    chat = bench.chat
    menu = only(await chat.send("/lang"))
    only(await chat.press(menu, "Русский"))
    reply = only(await chat.send("/subscribe Kazakhstan 08:30"))
    assert "Казахстан" in reply.text
    assert "08:30" in reply.text


async def test_help_and_menu_name_the_commands(bench: Bench) -> None:
    text = only(await bench.chat.send("/help")).text
    assert "/subscribe Kazakhstan uz 08:30" in text and "/unsubscribe" in text
    names = [command["command"] for command in bench.emu.commands()]
    assert "subscribe" in names and "unsubscribe" in names
