"""Numbers, dates and times in the reader's language, through Babel's CLDR data.

Every figure and date a person reads goes through here, so Russian readers see
``12 195,07`` and ``28 нояб. 2026 г.`` where English readers see ``12,195.07`` and
``Nov 28, 2026``. The language is the running update's (``locales.current_language``).
"""

from __future__ import annotations

from datetime import date, datetime, tzinfo
from decimal import Decimal
from functools import lru_cache

from babel import Locale
from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal

from locales import current_language


@lru_cache(maxsize=16)
def babel_locale(lang: str) -> Locale:
    """The Babel locale of one of our languages (Uzbek is written in Latin script)."""
    return Locale.parse("uz_Latn" if lang == "uz" else lang)


def number(value: Decimal | int, places: int = 0, *, group: bool = True) -> str:
    """``value`` with exactly ``places`` decimals, grouped the way the reader groups digits."""
    pattern = ("#,##0" if group else "0") + ("." + "0" * places if places else "")
    return str(
        format_decimal(
            value, format=pattern, locale=babel_locale(current_language()), decimal_quantization=True
        )
    )


def day(value: date) -> str:
    """A date as the reader writes it briefly: ``Nov 28, 2026`` / ``28 нояб. 2026 г.``."""
    return str(format_date(value, format="medium", locale=babel_locale(current_language())))


def moment(value: datetime, zone: tzinfo) -> str:
    """A date and time in ``zone``: ``Nov 28, 2026, 09:00`` in the reader's words."""
    locale = babel_locale(current_language())
    local = value.astimezone(zone)
    return f"{format_date(local.date(), format='medium', locale=locale)}, {local:%H:%M}"


def long_day(value: date) -> str:
    """A date spelled out for headers: ``November 28, 2026`` / ``28 ноября 2026 г.``."""
    return str(format_date(value, format="long", locale=babel_locale(current_language())))


def time_of_day(value: datetime, zone: tzinfo) -> str:
    """``09:00``: hours and minutes in ``zone`` (24-hour in all seven languages)."""
    return str(format_datetime(value.astimezone(zone), "HH:mm", locale=babel_locale(current_language())))
