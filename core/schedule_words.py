"""Times of day and time zones as people type them, and when a daily digest comes next.

Pure: no Telegram, no storage. Time zones are checked against the tz database that ships
with Python (``zoneinfo``), the same data every other date in the bot comes from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone, tzinfo
from functools import lru_cache
from typing import Final
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from core.countries import CENTRAL_ASIA, country_named_alone, lookup_country
from core.zone_names import zone_of_place

DEFAULT_TIME: Final = "09:00"
MAX_WORDS: Final = 12  # five countries, a time and some slack; more is not a request
MAX_TEXT: Final = 200

# 9, 09, 9:00, 09.00, 9h, 21:30, 9am, 9:30 pm, 9 a.m.
_TIME = re.compile(
    r"^(?P<hour>\d{1,2})(?:[:.h](?P<minute>\d{2}))?h?\s*(?P<half>[ap])?\.?(?:m\.?)?$",
    re.IGNORECASE,
)
# +6, -3, +05:30, -0330, UTC+5, GMT-03:00, UTC
_OFFSET = re.compile(
    r"^(?:utc|gmt)?\s*(?P<sign>[+-−])\s*(?P<hour>\d{1,2})(?::?(?P<minute>\d{2}))?$",
    re.IGNORECASE,
)
_HALVES: Final = frozenset({"am", "pm", "a.m", "p.m"})
_MAX_EAST = timedelta(hours=14)
_MAX_WEST = timedelta(hours=12)


def parse_time_of_day(text: str) -> str | None:
    """The time of day ``text`` names, as ``HH:MM`` (24-hour), or None.

    Accepts ``9``, ``09``, ``9:00``, ``09.00``, ``9h``, ``21:30``, ``9am``, ``9:30 pm``.
    Rejects hours past 23 (``24:00``, ``25:00``), minutes past 59, negatives and text.
    """
    if not isinstance(text, str) or len(text) > 12:
        return None
    match = _TIME.match(text.strip())
    if match is None:
        return None
    hour = int(match["hour"])
    minute = int(match["minute"] or 0)
    half = (match["half"] or "").lower()
    if half:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half == "p" else 0)
    if hour > 23 or minute > 59:
        return None
    return f"{hour:02d}:{minute:02d}"


@lru_cache(maxsize=1)
def _zone_names() -> dict[str, str]:
    """Lower-case IANA names, and the city part of "Area/City" names, to the real name."""
    names: dict[str, str] = {}
    cities: dict[str, list[str]] = {}
    for name in available_timezones():
        # "localtime" is whatever the host runs on and "Factory" is a stand-in: neither
        # is a place, and the first would differ from one bot machine to the next.
        if name in ("localtime", "Factory", "posixrules"):
            continue
        names[name.lower()] = name
        if "/" in name and not name.startswith(("Etc/", "SystemV/", "US/")):
            cities.setdefault(name.rsplit("/", 1)[1].lower(), []).append(name)
    for city, zones in cities.items():
        if len(zones) == 1 and city not in names:  # "tashkent" -> "Asia/Tashkent"
            names[city] = zones[0]
    return names


def parse_time_zone(text: str) -> str | None:
    """The time zone ``text`` names, in the form the bot stores, or None.

    IANA names in any case (``asia/tashkent``), a zone's city alone (``Tashkent``), a city
    as people write it in any of the bot's languages (``Ташкент``, ``Aşgabat``, ``Астана``:
    ``core.zone_names``), and UTC offsets (``+6``, ``UTC+5``, ``GMT-3``, ``-03:30``,
    ``+0545``) up to -12:00/+14:00.

    Returns:
        The IANA name (``Asia/Tashkent``), ``UTC``, or an offset as ``UTC+06:00``.
    """
    if not isinstance(text, str) or len(text) > 64:
        return None
    query = text.strip().replace(" ", "_")
    if not query:
        return None
    match = _OFFSET.match(query.replace("_", ""))
    if match is not None:
        hours, minutes = int(match["hour"]), int(match["minute"] or 0)
        if minutes > 59:
            return None
        delta = timedelta(hours=hours, minutes=minutes)
        west = match["sign"] != "+"
        if delta > (_MAX_WEST if west else _MAX_EAST):
            return None
        if not delta:
            return "UTC"
        return f"UTC{'-' if west else '+'}{hours:02d}:{minutes:02d}"
    found = _zone_names().get(query.lower())
    if found in ("Etc/UTC", "UCT", "Etc/UCT", "Zulu", "Etc/Zulu", "Universal", "Etc/Universal"):
        return "UTC"
    return found or zone_of_place(text.strip())


@lru_cache(maxsize=512)
def zone_from_name(name: str | None) -> tzinfo | None:
    """The tzinfo of a stored zone name (IANA or ``UTC+06:00``), or None when unknown.

    Remembered: every answer with a date asks for its chat's zone, and chats use few."""
    if not name:
        return None
    match = _OFFSET.match(name.strip())
    if match is not None:
        delta = timedelta(hours=int(match["hour"]), minutes=int(match["minute"] or 0))
        if delta > _MAX_EAST:
            return None
        return timezone(-delta if match["sign"] != "+" else delta)
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def utc_offset_label(zone: tzinfo, when: datetime) -> str:
    """``UTC+05:00``: the offset of ``zone`` at the moment ``when``."""
    offset = when.astimezone(zone).utcoffset() or timedelta(0)
    minutes = int(offset.total_seconds()) // 60
    sign = "-" if minutes < 0 else "+"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours:02d}:{rest:02d}"


def next_digest_day(
    now_local: datetime, local_time: str, since_local: datetime, delivered_today: bool
) -> date:
    """The local date of a subscription's next digest.

    The delivery rule (``storage.due_digests``): due once its local time has passed on the
    local date, with no delivery for that date yet; a subscription made (or restarted)
    after its time of day on some date starts the next day.

    Args:
        now_local: Now, in the chat's zone.
        local_time: The digest's ``HH:MM``.
        since_local: When the subscription was made or last restarted, in the chat's zone.
        delivered_today: Whether today's digest already has a delivery.
    """
    today = now_local.date()
    tomorrow = today + timedelta(days=1)
    if delivered_today:
        return tomorrow
    if since_local.date() == today and since_local.strftime("%H:%M") >= local_time:
        return tomorrow
    return today


@dataclass(frozen=True, slots=True)
class SubscribeWords:
    """What ``/subscribe`` was given: countries (in the order named) and a time, if any."""

    countries: tuple[str, ...]
    local_time: str | None


class BadSubscribeWords(ValueError):
    """The words of ``/subscribe`` name no country of the region or time we know.

    Attributes:
        word: The first word that is neither (cut to 40 characters); "" when the text is
            too long or names a time twice.
        outside: The word names a country outside Central Asia.
    """

    def __init__(self, word: str, *, outside: bool = False) -> None:
        super().__init__(word)
        self.word = word[:40]
        self.outside = outside


def parse_subscribe_words(text: str) -> SubscribeWords:
    """Countries and a time of day from ``Қазақстан uz 08:30`` or ``Бишкек, 7:00``.

    Countries go through ``core.countries.lookup_country`` (names in any language, codes,
    capitals, misspellings); a word that is no country may pair with the next one
    ("Кыргыз Республикасы").

    Raises:
        BadSubscribeWords: A word is neither a Central Asian country nor a time.
    """
    if len(text) > MAX_TEXT:
        raise BadSubscribeWords("")
    words = [word for word in re.split(r"[\s,;]+", text.strip()) if word]
    if len(words) > MAX_WORDS:
        raise BadSubscribeWords("")
    countries: list[str] = []
    local_time: str | None = None
    index = 0
    while index < len(words):
        word = words[index]
        parsed_time = None
        if index + 1 < len(words) and words[index + 1].lower().rstrip(".") in _HALVES:
            # "9 am", "9:30 p.m.": a time written in two words.
            parsed_time = parse_time_of_day(f"{word} {words[index + 1]}")
            if parsed_time is not None:
                index += 1
        parsed_time = parsed_time or parse_time_of_day(word)
        if parsed_time is not None:
            if local_time is not None:
                raise BadSubscribeWords("")
            local_time = parsed_time
            index += 1
            continue
        code, used = _country_at(words, index)
        if code is None:
            raise BadSubscribeWords(word)
        if code not in CENTRAL_ASIA:
            raise BadSubscribeWords(word, outside=True)
        if code not in countries:
            countries.append(code)
        index += used
    return SubscribeWords(tuple(countries), local_time)


def _country_at(words: list[str], index: int) -> tuple[str | None, int]:
    code = lookup_country(words[index])
    if index + 1 >= len(words):
        return code, 1
    if code is not None:
        # "Кыргыз Республикасы": a second word that only names the same country with the first.
        follower = words[index + 1]
        if (
            follower.isalpha()
            and lookup_country(follower) is None
            and country_named_alone(f"{words[index]} {follower}") == code
        ):
            return code, 2
        return code, 1
    if not words[index].isalpha() or lookup_country(words[index + 1]) is not None:
        return None, 1  # the next word is a country of its own: this one is garbage
    return country_named_alone(f"{words[index]} {words[index + 1]}"), 2
