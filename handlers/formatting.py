"""Numbers, dates and times in the reader's language, through Babel's CLDR data.

Every figure and date a person reads goes through here, so Russian readers see
``12 195,07`` and ``28 нояб. 2026 г.`` where English readers see ``12,195.07`` and
``Nov 28, 2026``. The language is the running update's (``locales.current_language``).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, tzinfo
from decimal import Decimal
from functools import lru_cache

from babel import Locale
from babel.dates import format_date, format_datetime, match_skeleton
from babel.numbers import NumberPattern, format_percent, parse_pattern

from locales import current_language


@lru_cache(maxsize=16)
def babel_locale(lang: str) -> Locale:
    """The Babel locale of one of our languages (Uzbek is written in Latin script)."""
    return Locale.parse("uz_Latn" if lang == "uz" else lang)


@lru_cache(maxsize=64)
def _number_pattern(places: int, group: bool) -> NumberPattern:
    # Parsing a pattern costs as much as applying it; /rates and /convert format a dozen
    # figures per answer, so each pattern is parsed once.
    return parse_pattern(("#,##0" if group else "0") + ("." + "0" * places if places else ""))


def number(value: Decimal | int, places: int = 0, *, group: bool = True) -> str:
    """``value`` with exactly ``places`` decimals, grouped the way the reader groups digits."""
    pattern = _number_pattern(places, group)
    return str(pattern.apply(value, babel_locale(current_language()), decimal_quantization=True))


def exact(value: Decimal) -> str:
    """Every digit ``value`` carries (``47,231.00``, ``0.5``), grouped for the reader."""
    exponent = value.as_tuple().exponent
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    return number(value, places)


def signed_percent(value: Decimal | float) -> str:
    """A change in percent with its sign and two decimals: ``+1.25%`` / ``−0,40%``."""
    return str(
        format_percent(
            Decimal(str(value)) / 100,
            format="+#,##0.00%;-#,##0.00%",
            locale=babel_locale(current_language()),
            decimal_quantization=True,
        )
    )


@lru_cache(maxsize=64)
def _skeleton_pattern(skeleton: str, lang: str) -> str:
    """The locale's pattern for a CLDR skeleton (matching one is slow: done once)."""
    locale = babel_locale(lang)
    matched = match_skeleton(skeleton, locale.datetime_skeletons)
    return str(locale.datetime_skeletons[matched]) if matched else "medium"


@lru_cache(maxsize=4096)
def _skeleton_day(skeleton: str, value: date, lang: str) -> str:
    return str(format_date(value, _skeleton_pattern(skeleton, lang), locale=babel_locale(lang)))


def axis_value_labeller() -> Callable[[float], str]:
    """Axis figures in the running language (``12,195.5`` / ``12 195,5``), for a drawing thread."""
    locale = babel_locale(current_language())
    pattern = parse_pattern("#,##0.####")
    return lambda value: str(pattern.apply(Decimal(str(float(value))), locale))


def numeric_day(value: date) -> str:
    """A date in digits, for tables: ``11/27/2026`` / ``27.11.2026``."""
    return _skeleton_day("yMMdd", value, current_language())


def axis_day(value: date) -> str:
    """A short day and month for a chart's axis: ``Nov 27`` / ``27 нояб.``."""
    return _skeleton_day("MMMd", value, current_language())


def axis_day_labeller() -> Callable[[date], str]:
    """``axis_day`` bound to the running language, for code that runs outside the update."""
    lang = current_language()
    return lambda value: _skeleton_day("MMMd", value, lang)


def axis_year_day_labeller() -> Callable[[date], str]:
    """A day, month and year for a chart's axis (``Nov 27, 2025``), in the running language."""
    lang = current_language()
    return lambda value: _skeleton_day("yMMMd", value, lang)


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
    return str(
        format_datetime(value.astimezone(zone), "HH:mm", locale=babel_locale(current_language()))
    )
