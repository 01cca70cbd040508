"""/settings: every button path and typed change, with the store checked after each step."""

from __future__ import annotations

import re

import pytest

from tests.bot_bench import Bench, only
from tests.subscribe_support import callback_data_of, pin_clock, stored, stored_chat


async def test_settings_shows_language_zone_and_digest(bench: Bench) -> None:
    reply = only(await bench.chat.send("/settings"))
    assert "Language: English" in reply.text
    assert "Time zone: Asia/Almaty (UTC+05:00)" in reply.text
    assert "Daily digest: off." in reply.text
    assert "Start the digest" in [b.text for b in reply.flat_buttons]


async def test_start_and_stop_buttons(bench: Bench) -> None:
    chat = bench.chat
    pin_clock(bench, "2026-11-28T07:00:00+05:00")
    panel = only(await chat.send("/settings"))
    started = only(await chat.press(panel, "Start the digest"))
    assert "Daily digest at 09:00, Asia/Almaty (UTC+05:00)" in started.text
    assert "The next digest comes today at 09:00." in started.text
    sub = await stored(bench, chat.id)
    assert sub is not None and sub.active and sub.local_time == "09:00"
    stopped = only(await chat.press(started, "Stop the digest"))
    assert "Daily digest: off." in stopped.text
    sub = await stored(bench, chat.id)
    assert sub is not None and not sub.active


async def test_time_buttons(bench: Bench) -> None:
    chat = bench.chat
    only(await chat.send("/subscribe"))
    panel = only(await chat.send("/settings"))
    times = only(await chat.press(panel, "Digest time"))
    assert "/settings time 07:45" in times.text
    done = only(await chat.press(times, "06:00"))
    assert "Daily digest at 06:00" in done.text
    sub = await stored(bench, chat.id)
    assert sub is not None and sub.local_time == "06:00" and sub.active
    # Back from the time choice changes nothing.
    times = only(await chat.press(done, "Digest time"))
    only(await chat.press(times, "Back"))
    assert await stored(bench, chat.id) == sub


async def test_country_toggles_keep_at_least_one(bench: Bench) -> None:
    chat = bench.chat
    only(await chat.send("/subscribe kz kg"))
    panel = only(await chat.send("/settings"))
    menu = only(await chat.press(panel, "Digest countries"))
    assert [b.text.split()[0] for b in menu.flat_buttons[:5]] == ["✅", "✅", "▫️", "▫️", "▫️"]
    menu = only(await chat.press(menu, "Uzbekistan"))
    sub = await stored(bench, chat.id)
    assert sub is not None and sub.countries == ("KZ", "KG", "UZ")
    menu = only(await chat.press(menu, "Kazakhstan"))
    menu = only(await chat.press(menu, "Kyrgyzstan"))
    sub = await stored(bench, chat.id)
    assert sub is not None and sub.countries == ("UZ",)
    assert await chat.press(menu, "Uzbekistan") == []  # the last one stays
    assert bench.emu.callback_answers[-1].get("show_alert") is True
    assert await stored(bench, chat.id) == sub
    back = only(await chat.press(menu, "Back"))
    assert "Countries: 🇺🇿 Uzbekistan" in back.text


async def test_countries_and_time_chosen_before_subscribing_are_kept(bench: Bench) -> None:
    chat = bench.chat
    panel = only(await chat.send("/settings"))
    menu = only(await chat.press(panel, "Digest countries"))
    only(await chat.press(menu, "Turkmenistan"))  # all five were on: now four
    kept = await stored(bench, chat.id)
    assert kept is not None and not kept.active and "TM" not in kept.countries
    only(await chat.send("/settings time 07:30"))
    reply = only(await chat.send("/subscribe"))
    assert "Time: 07:30" in reply.text and "Turkmenistan" not in reply.text
    sub = await stored(bench, chat.id)
    assert sub is not None and sub.active and sub.local_time == "07:30"


async def test_time_zone_buttons_and_the_digest_line_follow(bench: Bench) -> None:
    chat = bench.chat
    only(await chat.send("/subscribe"))
    panel = only(await chat.send("/settings"))
    zones = only(await chat.press(panel, "Change time zone"))
    done = only(await chat.press(zones, "Asia/Tashkent"))
    assert "Time zone: Asia/Tashkent (UTC+05:00)" in done.text
    assert "Daily digest at 09:00, Asia/Tashkent" in done.text
    prefs = await stored_chat(bench, chat.id)
    assert prefs is not None and prefs.timezone == "Asia/Tashkent"


@pytest.mark.parametrize(
    ("typed", "stored_as", "shown"),
    [
        ("/settings tz Asia/Tashkent", "Asia/Tashkent", "Asia/Tashkent (UTC+05:00)"),
        ("/settings tz bishkek", "Asia/Bishkek", "Asia/Bishkek (UTC+06:00)"),
        ("/settings tz +6", "UTC+06:00", "Time zone: UTC+06:00"),
        ("/settings tz UTC+5", "UTC+05:00", "Time zone: UTC+05:00"),
        ("/settings tz -03:30", "UTC-03:30", "Time zone: UTC-03:30"),
        ("/settings timezone Europe/Berlin", "Europe/Berlin", "Europe/Berlin (UTC+01:00)"),
    ],
)
async def test_typed_time_zones(bench: Bench, typed: str, stored_as: str, shown: str) -> None:
    reply = only(await bench.chat.send(typed))
    assert reply.text.startswith("Saved.") and shown in reply.text
    prefs = await stored_chat(bench, bench.chat.id)
    assert prefs is not None and prefs.timezone == stored_as
    # Other answers use the zone too: the news dates are shown in it, without an error.
    assert only(await bench.chat.send("/rates")).text


async def test_typed_time_countries_and_language(bench: Bench) -> None:
    chat = bench.chat
    only(await chat.send("/subscribe"))
    only(await chat.send("/settings time 7.45"))
    only(await chat.send("/settings countries Тоҷикистон, KG"))
    sub = await stored(bench, chat.id)
    assert sub is not None and (sub.local_time, sub.countries) == ("07:45", ("KG", "TJ"))
    reply = only(await chat.send("/settings lang ru"))
    assert "Язык: Русский" in reply.text
    prefs = await stored_chat(bench, chat.id)
    assert prefs is not None and prefs.language == "ru"


@pytest.mark.parametrize(
    "typed",
    [
        "/settings tz Mars/Olympus",
        "/settings tz +15",
        "/settings tz",
        "/settings time 25:00",
        "/settings time -1",
        "/settings countries Russia",
        "/settings countries kz 9:00",
        "/settings lang xx",
        "/settings frobnicate",
        "/settings <b>tz</b> <i>+6</i>",
        "/settings tz '; DROP TABLE chats;--",
        "/settings time 😀",
        "/settings " + "tz " * 3000,
    ],
)
async def test_bad_typed_settings_change_nothing(bench: Bench, typed: str) -> None:
    chat = bench.chat
    only(await chat.send("/subscribe uz 08:00"))
    before_sub, before_chat = await stored(bench, chat.id), await stored_chat(bench, chat.id)
    reply = only(await chat.send(typed))
    # Each names its problem where it can (issue 18) and always ends with an example.
    assert re.search(r"(e\.g\.|like this:) /(settings|lang) \S+", reply.text), reply.text
    assert len(reply.text) < 400
    assert await stored(bench, chat.id) == before_sub
    assert await stored_chat(bench, chat.id) == before_chat


async def test_group_admins_change_settings_and_others_are_refused(bench: Bench) -> None:
    boss = bench.emu.user(2002, first_name="Boss")
    group = bench.emu.group_chat(title="Team", chat_id=-1009, admins=[boss])
    only(await group.send("/subscribe kz", from_user=boss))
    before = await stored(bench, group.id)
    refused = only(await group.send("/settings tz +6", from_user=bench.aida))
    assert "Only the group's administrators" in refused.text
    prefs = await stored_chat(bench, group.id)
    assert prefs is not None and prefs.timezone is None
    panel = only(await group.send("/settings", from_user=bench.aida))
    for path in (["Digest time", "06:00"], ["Digest countries", "Uzbekistan"]):
        menu = only(await group.press(panel, path[0], from_user=bench.aida))
        assert await group.press(menu, path[1], from_user=bench.aida) == []
        assert bench.emu.callback_answers[-1].get("show_alert") is True
        panel = only(await group.press(menu, "Back", from_user=bench.aida))
    assert await group.press(panel, "Stop the digest", from_user=bench.aida) == []
    assert await stored(bench, group.id) == before
    # The admin's presses go through.
    menu = only(await group.press(panel, "Digest time", from_user=boss))
    only(await group.press(menu, "21:00", from_user=boss))
    sub = await stored(bench, group.id)
    assert sub is not None and sub.local_time == "21:00"
    only(await group.send("/settings tz -03:30", from_user=boss))
    prefs = await stored_chat(bench, group.id)
    assert prefs is not None and prefs.timezone == "UTC-03:30"


async def test_every_settings_button_fits_callback_data(bench: Bench) -> None:
    chat = bench.chat
    only(await chat.send("/subscribe"))
    panel = only(await chat.send("/settings"))
    seen = callback_data_of(panel)
    for name in ("Change language", "Change time zone", "Digest time", "Digest countries"):
        menu = only(await chat.press(panel, name))
        seen += callback_data_of(menu)
        panel = only(await chat.press(menu, "Back"))
    assert len(seen) > 25
    assert all(1 <= len(data.encode()) <= 64 for data in seen)
    assert not [data for data in seen if data.startswith("This button")]


async def test_a_forged_digest_button_is_not_taken(bench: Bench) -> None:
    # Data outside the patterns falls to the unknown-button answer; nothing is stored.
    update_before = await stored(bench, bench.chat.id)
    panel = only(await bench.chat.send("/settings"))
    stored_message = bench.emu.state.messages[(bench.chat.id, panel.message_id)]
    keyboard = stored_message.data["reply_markup"]["inline_keyboard"]
    keyboard[0][0]["callback_data"] = "dtime:24:00"
    keyboard[0][1]["callback_data"] = "dcty:RU"
    await bench.chat.press(panel, 0)
    await bench.chat.press(panel, 1)
    assert await stored(bench, bench.chat.id) == update_before
    assert "no longer works" in bench.emu.callback_answers[-1].get("text", "")
