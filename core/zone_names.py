"""Time zones by the names people give their city, in any of the bot's languages and scripts.

The city names come from CLDR's exemplar cities (through Babel): ``Ташкент``, ``Toshkent``,
``Ақтау``, ``Aşgabat``, ``Бишкек``. A city CLDR does not list as a zone of its own, such as
Astana, is found through the country gazetteer: a country whose zones all keep one UTC
offset gets that offset's zone. Pure: no Telegram, no storage.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Final
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel import Locale
from babel.core import get_global

from core.countries import lookup_country

# The CLDR locales whose city names people in the region type: the bot's seven languages,
# and Uzbek and Kazakh in both their scripts. (core does not import ``locales``.)
CITY_NAME_LOCALES: Final = ("en", "ru", "kk", "kk_Cyrl", "uz_Latn", "uz_Cyrl", "ky", "tg", "tk")
# Letters that vary between keyboards for the same name: apostrophe shapes (Oʻ, O‘, O'), ё/е.
_SAME_LETTER: Final = str.maketrans({"ё": "е"} | dict.fromkeys("ʻʼ‘’'`"))
_NOT_LETTERS: Final = re.compile(r"[\W_]+")


def fold_name(text: str) -> str:
    """``text`` reduced to what tells names apart: ``Qoʻstanay`` → ``qostanay``."""
    folded = unicodedata.normalize("NFKC", text).casefold().translate(_SAME_LETTER)
    return _NOT_LETTERS.sub("", folded)


@lru_cache(maxsize=1)
def _city_zones() -> dict[str, str]:
    """Folded exemplar city names of every CLDR locale we read, to the IANA zone."""
    found: dict[str, str] = {}
    for locale_id in CITY_NAME_LOCALES:
        try:
            zones = Locale.parse(locale_id).time_zones
        except (ValueError, LookupError):  # a locale this Babel does not ship
            continue
        for zone, names in zones.items():
            city = names.get("city")
            if city and _is_zone(zone):
                found.setdefault(fold_name(str(city)), zone)
    return found


def _is_zone(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def _offsets(zone: str, year: int) -> tuple[timedelta | None, ...]:
    """The zone's UTC offset in January and in July of ``year``."""
    tz = ZoneInfo(zone)
    moments = (datetime(year, month, 1, tzinfo=UTC) for month in (1, 7))
    return tuple(moment.astimezone(tz).utcoffset() for moment in moments)


@lru_cache(maxsize=256)
def _country_zone(country: str, year: int) -> str | None:
    """The zone of a country whose zones all keep one offset (winter and summer), or None."""
    zones: list[str] = sorted(
        str(z) for z in get_global("territory_zones").get(country, ()) if _is_zone(z)
    )
    if not zones or len({_offsets(zone, year) for zone in zones}) != 1:
        return None
    return zones[0]


def zone_of_place(text: str, year: int | None = None) -> str | None:
    """The IANA zone of a city (or a one-offset country) named in ``text``, or None.

    Args:
        text: A city's name in any language CLDR spells it in (``Ташкент``, ``Aşgabat``),
            or a place the country gazetteer knows (``Астана``).
        year: The year whose offsets decide whether a country keeps one (this one by default).
    """
    folded = fold_name(text)
    if not folded:
        return None
    city = _city_zones().get(folded)
    if city is not None:
        return city
    country = lookup_country(text)
    if country is None:
        return None
    return _country_zone(country, year or datetime.now(UTC).year)
