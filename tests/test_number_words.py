"""Amounts written in words, in the seven languages, read before a currency."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.money import ConversionRequest, ParseFailure, parse_conversion
from core.number_words import spell_out_numbers
from tests.bot_bench import Bench, only


@pytest.mark.parametrize(
    ("text", "amount", "source", "target"),
    [
        ("сто долларов в тенге", "100", "USD", "KZT"),
        ("двести пятьдесят долларов в сумы", "250", "USD", "UZS"),
        ("тысяча рублей в тенге", "1000", "RUB", "KZT"),
        ("сколько будет сто евро в рублях", "100", "EUR", "RUB"),
        ("три тысячи двести долларов в сомах", "3200", "USD", "KGS"),
        ("екі жүз елу доллар теңгеге", "250", "USD", "KZT"),
        ("бес мың теңге долларға", "5000", "KZT", "USD"),
        ("bir ming dollar so'mga", "1000", "USD", "UZS"),
        ("besh yuz dollar soʻmga", "500", "USD", "UZS"),
        ("беш жүз доллар сомго", "500", "USD", "KGS"),
        ("ду сад сомонӣ ба доллар", "200", "TJS", "USD"),
        ("бисту панҷ доллар ба сомонӣ", "25", "USD", "TJS"),
        ("bäş ýüz dollar manada", "500", "USD", "TMT"),
        ("one hundred and fifty usd to kzt", "150", "USD", "KZT"),
        ("five thousand usd kzt", "5000", "USD", "KZT"),
        ("два миллиона сумов в доллары", "2000000", "UZS", "USD"),
    ],
)
def test_amounts_in_words(text: str, amount: str, source: str, target: str) -> None:
    assert parse_conversion(text) == ConversionRequest(Decimal(amount), source, target)


@pytest.mark.parametrize(
    "text",
    [
        "он сказал сто",  # no currency after the words
        "news on usd",  # English "on" is not Turkmen "ten"
        "сто лет назад",
        "bir gap",
        "",
    ],
)
def test_words_not_before_a_currency_stay_words(text: str) -> None:
    assert spell_out_numbers(text) == text


def test_words_after_digits_multiply_them_as_before() -> None:
    assert spell_out_numbers("5 тысяч долларов") == "5 тысяч долларов"
    assert parse_conversion("5 тысяч долларов в тенге") == ConversionRequest(
        Decimal(5000), "USD", "KZT"
    )


def test_number_words_alone_are_no_amount() -> None:
    failure = parse_conversion("сто")
    assert isinstance(failure, ParseFailure) and failure.reason == "no_amount"


@given(st.text(max_size=300))
def test_spelling_out_never_raises_and_keeps_other_text(text: str) -> None:
    spelled = spell_out_numbers(text)
    assert isinstance(spelled, str)
    if not any(char.isalpha() for char in text):
        assert spelled == text


async def test_free_text_in_words_is_converted_by_the_bot(bench: Bench) -> None:
    reply = only(await bench.chat.send("сто долларов в тенге"))
    assert reply.text.startswith("100 USD = ")
    assert "KZT" in reply.text
    reply = only(await bench.chat.send("/convert бес мың теңге usd"))
    assert reply.text.startswith("5,000 KZT = ")
