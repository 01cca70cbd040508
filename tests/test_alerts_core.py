"""The crossing rule and the request parser (pure functions)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from core.alert_request import (
    AlertParseFailure,
    AlertRequest,
    parse_alert_request,
    parse_removal,
)
from core.alert_words import mentions_alert
from core.alerts import (
    DatedRate,
    direction_towards,
    follow_rates,
    is_too_far,
    rearm_line,
    starts_armed,
)
from handlers.start import help_examples
from locales import LANGUAGES, in_language

D0 = date(2026, 11, 27)


def _days(*rates: str) -> list[DatedRate]:
    return [DatedRate(D0 + timedelta(days=i), Decimal(r), "nbk") for i, r in enumerate(rates)]


def test_above_fires_once_then_rearms_only_past_the_margin() -> None:
    level = Decimal("520")
    assert rearm_line("above", level) == Decimal("518.440")
    outcome = follow_rates("above", level, True, _days("519", "520", "520.01", "521", "519"))
    assert outcome.crossing is not None and outcome.crossing.rate == Decimal("520.01")
    assert (outcome.armed, outcome.crossings) == (False, 1)
    back = follow_rates("above", level, False, _days("518.44", "520.5"))
    assert back.armed is False and back.crossing is not None and back.crossings == 1


def test_below_mirrors_above() -> None:
    level = Decimal("139")
    assert rearm_line("below", level) == Decimal("139.417")
    assert follow_rates("below", level, True, _days("139", "138.99")).crossings == 1
    hover = follow_rates("below", level, False, _days("139.2", "138.5", "139.3"))
    assert (hover.crossings, hover.armed) == (0, False)


def test_a_backlog_with_two_crossings_reports_the_last() -> None:
    outcome = follow_rates("above", Decimal("100"), True, _days("101", "99", "102", "90"))
    assert outcome.crossings == 2
    assert outcome.crossing == DatedRate(D0 + timedelta(days=2), Decimal("102"), "nbk")
    assert outcome.armed


def test_start_direction_and_distance() -> None:
    assert starts_armed("above", Decimal("520"), Decimal("472"))
    assert not starts_armed("above", Decimal("460"), Decimal("472"))
    assert direction_towards(Decimal("450"), Decimal("472")) == "below"
    assert direction_towards(Decimal("520"), Decimal("472")) == "above"
    assert is_too_far(Decimal("5200"), Decimal("472")) and is_too_far(
        Decimal("200"), Decimal("472")
    )
    assert not is_too_far(Decimal("700"), Decimal("472"))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("usd kzt above 520", ("USD", "KZT", "520", "above")),
        ("usd kzt > 520", ("USD", "KZT", "520", "above")),
        ("USD/KZT >= 520", ("USD", "KZT", "520", "above")),
        ("kgs uzs below 139", ("KGS", "UZS", "139", "below")),
        ("kgs uzs < 139,5", ("KGS", "UZS", "139.5", "below")),
        ("usd kzt 500", ("USD", "KZT", "500", None)),
        ("сообщи, когда доллар будет дороже 520 тенге", ("USD", "KZT", "520", "above")),
        ("сообщи, когда евро будет дешевле пятисот тенге", None),
        ("доллар 520 теңгеден асса хабарла", ("USD", "KZT", "520", "above")),
        ("доллар 500 теңгеден төмен түссе хабарла", ("USD", "KZT", "500", "below")),
        ("dollar 12 300 so'mdan oshsa xabar ber", ("USD", "UZS", "12300", "above")),
        ("dollar 12 300 soʻmdan arzon boʻlsa xabar ber", ("USD", "UZS", "12300", "below")),
        ("доллар 90 сомдон ашса кабарла", ("USD", "KGS", "90", "above")),
        ("агар доллар аз 11 сомонӣ боло равад хабар деҳ", ("USD", "TJS", "11", "above")),
        ("dollar 4 manatdan geçse habar beriň", ("USD", "TMT", "4", "above")),
        ("tell me when the dollar passes 520 tenge", ("USD", "KZT", "520", "above")),
        ("<b>usd</b> kzt > 520", ("USD", "KZT", "520", "above")),
    ],
)
def test_requests_in_every_language(
    text: str, expected: tuple[str, str, str, str | None] | None
) -> None:
    parsed = parse_alert_request(text)
    if expected is None:
        assert isinstance(parsed, AlertParseFailure)
        return
    base, quote, level, direction = expected
    assert parsed == AlertRequest(base, quote, Decimal(level), direction)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("x" * 201, "too_long"),
        ("usd kzt above", "no_level"),
        ("usd kzt above 1,2,3,4", "bad_level"),
        ("usd kzt above 5 6", "bad_level"),
        ("usd kzt above −5", "not_positive"),
        ("usd kzt above 0,0", "not_positive"),
        ("usd kzt above 2000000000", "too_large"),
        ("usd abc above 5", "unknown_currency"),
        ("usd above 5", "no_pair"),
        ("usd kzt eur above 5", "too_many_currencies"),
        ("доллар бакс > 5", "same_currency"),
        ("usd kzt > 5 <", "both_directions"),
        ("usd kzt above 0.1234567890123456", "bad_level"),
    ],
)
def test_bad_requests_name_their_problem(text: str, reason: str) -> None:
    parsed = parse_alert_request(text)
    assert isinstance(parsed, AlertParseFailure) and parsed.reason == reason


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_help_example_of_each_language_is_an_alert(lang: str) -> None:
    with in_language(lang):
        example = dict((cmd.split()[0], cmd) for cmd, _what in help_examples())["/alert"]
    parsed = parse_alert_request(example.removeprefix("/alert "))
    assert isinstance(parsed, AlertRequest) and parsed.direction == "above", (lang, example)


def test_removal_and_the_cheap_trigger() -> None:
    assert parse_removal("off 2") == 2 and parse_removal("oʻchir 3") == 3
    assert parse_removal("off two") is None and parse_removal("off 1234567") is None
    assert mentions_alert("сообщи, когда доллар будет дороже 520 тенге")
    assert mentions_alert("dollar 12 300 so'mdan oshsa xabar ber")
    assert not mentions_alert("100 usd to kzt") and not mentions_alert("milk prices")
