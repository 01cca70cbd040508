"""/subscribe fixes the digest's language, and odd zone names never reach the store."""

from __future__ import annotations

from tests.bot_bench import Bench, only
from tests.subscribe_support import stored, stored_chat


async def test_subscribing_keeps_the_language_the_person_reads(bench: Bench) -> None:
    # The digest goes out with no update to read Telegram's language from, so the language
    # the person is answered in at /subscribe is stored for the chat.
    person = bench.emu.user(4242, "Айгерим", language_code="kk")
    chat = bench.emu.private_chat(person)
    reply = only(await chat.send("/subscribe uz 07:15"))
    assert "07:15" in reply.text
    prefs = await stored_chat(bench, chat.id)
    assert prefs is not None and prefs.language == "kk"
    sub = await stored(bench, chat.id)
    assert sub is not None and sub.active and sub.countries == ("UZ",)


async def test_a_chosen_language_is_not_overwritten(bench: Bench) -> None:
    person = bench.emu.user(4243, "Ivan", language_code="ru")
    chat = bench.emu.private_chat(person)
    only(await chat.send("/settings lang tk"))
    only(await chat.send("/subscribe"))
    prefs = await stored_chat(bench, chat.id)
    assert prefs is not None and prefs.language == "tk"


async def test_host_dependent_zone_names_are_refused(bench: Bench) -> None:
    chat = bench.chat
    for typed in ("localtime", "Factory"):
        reply = only(await chat.send(f"/settings tz {typed}"))
        assert f"“{typed}” is not a time zone I know." in reply.text
    prefs = await stored_chat(bench, chat.id)
    assert prefs is not None and prefs.timezone is None


async def test_the_start_button_keeps_the_language_too(bench: Bench) -> None:
    person = bench.emu.user(4244, "Dilnoza", language_code="uz")
    chat = bench.emu.private_chat(person)
    panel = only(await chat.send("/settings"))
    datas = [button.callback_data for button in panel.flat_buttons]
    only(await chat.press(panel, datas.index("dsub:on")))
    prefs = await stored_chat(bench, chat.id)
    assert prefs is not None and prefs.language == "uz"
    sub = await stored(bench, chat.id)
    assert sub is not None and sub.active
