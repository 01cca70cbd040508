"""Amounts, currency words and country names in all seven languages, through the bot.

Each phrase is how a person writing that language would ask; the bot's answer is checked
for the conversion or the country it understood, in the chat's own language.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from core.countries import lookup_country
from core.money import ConversionRequest, parse_conversion
from locales import NATIVE_NAMES
from tests.bot_bench import Bench, only
from views.names import country_name

# (language, what the person writes, amount, from, to)
CONVERSIONS = [
    ("en", "100 dollars to tenge", "100", "USD", "KZT"),
    ("en", "12,195.07 kzt in usd", "12195.07", "KZT", "USD"),
    ("ru", "100 долларов в тенге", "100", "USD", "KZT"),
    ("ru", "1 000,50 рублей в сумах", "1000.50", "RUB", "UZS"),
    ("ru", "10 000 сум в доллары", "10000", "UZS", "USD"),
    ("kk", "100 доллар теңгеге", "100", "USD", "KZT"),
    ("kk", "5000 теңгеден рубльге", "5000", "KZT", "RUB"),
    ("kk", "100 АҚШ доллары теңгеге", "100", "USD", "KZT"),
    ("uz", "100 dollar so'mga", "100", "USD", "UZS"),
    ("uz", "1 000 000 soʻm dollarga", "1000000", "UZS", "USD"),
    ("uz", "100 dollar soʻmga", "100", "USD", "UZS"),
    ("ky", "1 000,50 сом долларга", "1000.50", "KGS", "USD"),
    ("ky", "100 доллар сомго", "100", "USD", "KGS"),
    ("tg", "100 доллар ба сомонӣ", "100", "USD", "TJS"),
    ("tg", "100 долларро ба сомонӣ", "100", "USD", "TJS"),
    ("tk", "100 $ manat", "100", "USD", "TMT"),
    ("tk", "100 dollar manada", "100", "USD", "TMT"),
]

# (language, a name of a country in it, ISO code)
COUNTRIES = [
    ("ru", "Киргизия", "KG"),
    ("kk", "Қазақстан", "KZ"),
    ("kk", "Өзбекстан", "UZ"),
    ("uz", "Qozogʻiston", "KZ"),
    ("uz", "Qirg'iziston", "KG"),
    ("uz", "Tojikiston", "TJ"),
    ("ky", "Кыргызстан", "KG"),
    ("ky", "Тажикстан", "TJ"),
    ("tg", "Тоҷикистон", "TJ"),
    ("tg", "Ӯзбекистон", "UZ"),
    ("tg", "Туркманистон", "TM"),
    ("tk", "Türkmenistan", "TM"),
    ("tk", "Gazagystan", "KZ"),
    ("tk", "Täjigistan", "TJ"),
    ("tk", "Bişkek", "KG"),
    ("tk", "Daşkent", "UZ"),
    ("tg", "Ашқобод", "TM"),
]


@pytest.mark.parametrize(("lang", "text", "amount", "source", "target"), CONVERSIONS)
def test_conversions_are_read_in_every_language(
    lang: str, text: str, amount: str, source: str, target: str
) -> None:
    assert parse_conversion(text) == ConversionRequest(Decimal(amount), source, target), lang


@pytest.mark.parametrize(("lang", "name", "code"), COUNTRIES)
def test_country_names_are_read_in_every_language(lang: str, name: str, code: str) -> None:
    assert lookup_country(name) == code, lang
    # The name CLDR (or our table) gives in that language is read back too.
    assert lookup_country(country_name(code, lang)) == code, (lang, country_name(code, lang))


async def _speak(bench: Bench, lang: str) -> None:
    # A chat in that language, chosen the usual way; English is the starting language.
    if lang != "en":
        menu = only(await bench.chat.send("/lang"))
        only(await bench.chat.press(menu, NATIVE_NAMES[lang]))


async def test_convert_and_free_text_in_every_language(bench: Bench) -> None:
    for lang, text, _amount, source, target in CONVERSIONS:
        await _speak(bench, lang)
        for typed in (f"/convert {text}", text):
            reply = only(await bench.chat.send(typed)).text
            first = reply.splitlines()[0]
            assert f" {source} = " in first and first.endswith(f" {target}"), (lang, typed, reply)


async def test_country_and_news_in_every_language(bench: Bench) -> None:
    for lang, name, code in COUNTRIES:
        await _speak(bench, lang)
        heading = country_name(code, lang)
        brief = only(await bench.chat.send(f"/country {name}")).text
        assert heading in brief.splitlines()[0], (lang, name, brief)
        # Free text of a country's name alone is the same brief.
        assert heading in only(await bench.chat.send(name)).text.splitlines()[0], (lang, name)
        news = await bench.chat.send(f"/news {name}")
        assert news, (lang, name)


async def test_group_keeps_its_language_whoever_writes(bench: Bench) -> None:
    russian = bench.emu.user(2002, first_name="Oleg", language_code="ru")
    group = bench.emu.group_chat("Almaty friends", -1005001, admins=[bench.aida])
    menu = only(await group.send("/lang", from_user=bench.aida))
    only(await group.press(menu, "Қазақша", from_user=bench.aida))
    brief = only(await group.send("/country KZ", from_user=russian)).text
    assert country_name("KZ", "kk") in brief.splitlines()[0]
    # A member who is not an admin cannot change it.
    menu = only(await group.send("/lang", from_user=russian))
    await group.press(menu, "Русский", from_user=russian)
    brief = only(await group.send("/country KZ", from_user=bench.aida)).text
    assert country_name("KZ", "kk") in brief.splitlines()[0]
