"""Times of day, time zones and /subscribe words as people type them; the next digest's day."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.schedule_words import (
    BadSubscribeWords,
    next_digest_day,
    parse_subscribe_words,
    parse_time_of_day,
    parse_time_zone,
    utc_offset_label,
    zone_from_name,
)
from storage.due_digests import resolve_zone


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("9", "09:00"),
        ("09", "09:00"),
        ("9:00", "09:00"),
        ("09.00", "09:00"),
        ("9h", "09:00"),
        ("21:30", "21:30"),
        ("0", "00:00"),
        ("23:59", "23:59"),
        ("9am", "09:00"),
        ("9 pm", "21:00"),
        ("12am", "00:00"),
        ("12pm", "12:00"),
        ("9:30 p.m.", "21:30"),
        ("９:００", "09:00"),  # full-width digits read as digits
    ],
)
def test_times_people_type(text: str, expected: str) -> None:
    assert parse_time_of_day(text) == expected


@pytest.mark.parametrize(
    "text",
    ["25:00", "24:00", "-1", "9:60", "13pm", "0am", "", "abc", "9:5", "1" * 500, "<b>9"],
)
def test_times_that_are_not(text: str) -> None:
    assert parse_time_of_day(text) is None


@given(st.integers(0, 23), st.integers(0, 59))
def test_every_clock_time_reads_back(hour: int, minute: int) -> None:
    assert parse_time_of_day(f"{hour}:{minute:02d}") == f"{hour:02d}:{minute:02d}"
    assert parse_time_of_day(f"{hour:02d}.{minute:02d}") == f"{hour:02d}:{minute:02d}"


@given(st.text(max_size=30))
@settings(max_examples=300)
def test_any_text_is_a_valid_time_or_none(text: str) -> None:
    parsed = parse_time_of_day(text)
    if parsed is not None:
        hours, minutes = parsed.split(":")
        assert len(parsed) == 5 and 0 <= int(hours) <= 23 and 0 <= int(minutes) <= 59


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Asia/Tashkent", "Asia/Tashkent"),
        ("asia/almaty", "Asia/Almaty"),
        ("Tashkent", "Asia/Tashkent"),
        ("Bishkek", "Asia/Bishkek"),
        ("America/New_York", "America/New_York"),
        ("new york", "America/New_York"),
        ("UTC", "UTC"),
        ("Etc/UTC", "UTC"),
        ("+6", "UTC+06:00"),
        ("UTC+5", "UTC+05:00"),
        ("GMT-3", "UTC-03:00"),
        ("-03:30", "UTC-03:30"),
        ("+0545", "UTC+05:45"),
        ("utc +14", "UTC+14:00"),
        ("-12", "UTC-12:00"),
        ("+0", "UTC"),
        ("−5", "UTC-05:00"),  # a typographic minus
    ],
)
def test_time_zones_people_type(text: str, expected: str) -> None:
    assert parse_time_zone(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "+15",
        "-13",
        "+5:75",
        "Mars/Olympus",
        "",
        "x" * 100,
        "'; DROP TABLE chats;--",
        "🕘",
        "localtime",
        "Factory",
        "posixrules",
    ],
)
def test_time_zones_that_are_not(text: str) -> None:
    assert parse_time_zone(text) is None


@given(st.integers(-12, 14), st.sampled_from([0, 30, 45]))
def test_offsets_agree_with_the_delivery_side(hours: int, minutes: int) -> None:
    # The digest sender resolves the stored name on its own: both must land on one offset.
    sign = "-" if hours < 0 else "+"
    stored = parse_time_zone(f"{sign}{abs(hours)}:{minutes:02d}")
    if stored is None:  # -12:30 and +14:45 lie past the ends
        assert timedelta(hours=abs(hours), minutes=minutes) > timedelta(
            hours=12 if hours < 0 else 14
        )
        return
    now = datetime(2026, 11, 28, tzinfo=UTC)
    ours = zone_from_name(stored)
    assert ours is not None
    assert ours.utcoffset(now) == resolve_zone(stored, "UTC").utcoffset(now)


@given(st.text(max_size=70))
@settings(max_examples=300)
def test_any_text_is_a_usable_zone_or_none(text: str) -> None:
    stored = parse_time_zone(text)
    if stored is not None:
        assert zone_from_name(stored) is not None and len(stored) <= 64


def test_offset_labels() -> None:
    now = datetime(2026, 7, 1, 12, tzinfo=UTC)
    assert utc_offset_label(zone_from_name("Asia/Tashkent") or UTC, now) == "UTC+05:00"
    assert utc_offset_label(zone_from_name("UTC-03:30") or UTC, now) == "UTC-03:30"
    assert utc_offset_label(zone_from_name("Europe/Berlin") or UTC, now) == "UTC+02:00"


@pytest.mark.parametrize(
    ("text", "countries", "at"),
    [
        ("", (), None),
        ("Қазақстан uz 08:30", ("KZ", "UZ"), "08:30"),
        ("Бишкек 7:00", ("KG",), "07:00"),
        ("Tajikistan, Turkmenistan", ("TJ", "TM"), None),
        ("uzbekistn 9 am", ("UZ",), "09:00"),
        ("🇰🇿 🇺🇿 KZ", ("KZ", "UZ"), None),
        ("Кыргыз Республикасы 21:15", ("KG",), "21:15"),
        ("Тоҷикистон Ашгабат", ("TJ", "TM"), None),
    ],
)
def test_subscribe_words(text: str, countries: tuple[str, ...], at: str | None) -> None:
    words = parse_subscribe_words(text)
    assert (words.countries, words.local_time) == (countries, at)


@pytest.mark.parametrize(
    ("text", "word", "outside"),
    [
        ("garbage", "garbage", False),
        ("kz 25:00", "25:00", False),
        ("-1", "-1", False),
        ("Russia", "Russia", True),
        ("Moscow 9", "Moscow", True),
        ("<b>kz</b>", "<b>kz</b>", False),
        ("'; DROP TABLE subscriptions;--", "'", False),
        ("😀", "😀", False),
        ("kz 8:00 9:00", "", False),
        ("kz " * 100, "", False),
        ("Kazakhstan garbage", "garbage", False),
    ],
)
def test_bad_subscribe_words(text: str, word: str, outside: bool) -> None:
    with pytest.raises(BadSubscribeWords) as caught:
        parse_subscribe_words(text)
    assert (caught.value.word, caught.value.outside) == (word, outside)


@given(st.text(max_size=120))
@settings(max_examples=200, deadline=None)
def test_any_subscribe_text_parses_to_the_region_or_fails_cleanly(text: str) -> None:
    try:
        words = parse_subscribe_words(text)
    except BadSubscribeWords as error:
        assert len(error.word) <= 40
        return
    assert set(words.countries) <= {"KZ", "KG", "UZ", "TJ", "TM"}
    assert len(set(words.countries)) == len(words.countries)
    assert words.local_time is None or parse_time_of_day(words.local_time) == words.local_time


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text)


@pytest.mark.parametrize(
    ("now", "at", "since", "delivered", "expected"),
    [
        # made long ago, time still ahead today: today
        ("2026-11-28T08:00", "09:00", "2026-01-01T00:00", False, "2026-11-28"),
        # made long ago, time passed, nothing sent today: due now, today
        ("2026-11-28T10:00", "09:00", "2026-01-01T00:00", False, "2026-11-28"),
        # today's already claimed or sent: tomorrow
        ("2026-11-28T10:00", "09:00", "2026-01-01T00:00", True, "2026-11-29"),
        # made today before its time: today
        ("2026-11-28T08:30", "09:00", "2026-11-28T08:30", False, "2026-11-28"),
        # made today after its time: tomorrow
        ("2026-11-28T10:15", "09:00", "2026-11-28T10:15", False, "2026-11-29"),
        # made at its very minute: tomorrow (the sender compares "made before the time")
        ("2026-11-28T09:00", "09:00", "2026-11-28T09:00", False, "2026-11-29"),
    ],
)
def test_next_digest_day(now: str, at: str, since: str, delivered: bool, expected: str) -> None:
    assert next_digest_day(_at(now), at, _at(since), delivered) == date.fromisoformat(expected)
