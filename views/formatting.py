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
from typing import Final, Literal

from babel import Locale
from babel.dates import format_date, format_datetime, match_skeleton
from babel.numbers import NumberPattern, format_percent, parse_pattern
from babel.units import format_unit

from core.exchange import format_decimal
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
    """``value`` with exactly ``places`` decimals, grouped the way the reader groups digits.

    A figure Babel cannot format (its quantize fails on dozens of digits) is shown in
    plain digits instead: an odd stored number must never cost a reply or a digest.
    """
    return _apply(_number_pattern(places, group), Decimal(value), babel_locale(current_language()))


def _apply(pattern: NumberPattern, value: Decimal, locale: Locale) -> str:
    try:
        return str(pattern.apply(value, locale, decimal_quantization=True))
    except (ArithmeticError, ValueError):  # decimal.InvalidOperation is an ArithmeticError
        return format_decimal(value)


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
    return lambda value: _apply(pattern, Decimal(str(float(value))), locale)


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
    """The reader's one date style, CLDR's medium: ``Nov 28, 2026`` / ``28 нояб. 2026 г.``.

    Every screen, caption and digest shows dates through here, so a reader never
    sees ``4/25/2026`` on one screen and ``Apr 25, 2026`` on the next.
    """
    return _medium_day(value, current_language())


@lru_cache(maxsize=4096)
def _medium_day(value: date, lang: str) -> str:
    # Kept per day and language: every list of stories shows a few days many times over,
    # and Babel's formatting costs more than the rest of a story's line.
    return str(format_date(value, format="medium", locale=babel_locale(lang)))


def moment(value: datetime, zone: tzinfo) -> str:
    """A date and time in ``zone``: ``Nov 28, 2026, 09:00`` in the reader's words."""
    local = value.astimezone(zone)
    return f"{day(local.date())}, {local:%H:%M}"


def time_of_day(value: datetime, zone: tzinfo) -> str:
    """``09:00``: hours and minutes in ``zone`` (24-hour in all seven languages)."""
    return str(
        format_datetime(value.astimezone(zone), "HH:mm", locale=babel_locale(current_language()))
    )


# CLDR has no unit names for Tajik (Babel falls back to "7 d"): ours, the same for every
# length, since Tajik nouns after a number do not change.
_UNIT_PATTERNS: Final[dict[tuple[str, str], str]] = {
    ("tg", "duration-day"): "{0} рӯз",
    ("tg", "duration-week"): "{0} ҳафта",
    ("tg", "duration-month"): "{0} моҳ",
    ("tg", "duration-year"): "{0} сол",
}


def duration(count: int, unit: str, length: Literal["short", "long", "narrow"] = "short") -> str:
    """``count`` of a CLDR duration unit in the reader's words: ``30 days`` / ``30 дн.``.

    Args:
        count: How many.
        unit: A CLDR unit such as ``duration-day`` or ``duration-year``.
        length: CLDR's ``short`` for buttons, ``long`` inside sentences.
    """
    lang = current_language()
    pattern = _UNIT_PATTERNS.get((lang, unit))
    if pattern is not None:
        return pattern.format(number(count))
    return str(format_unit(count, unit, length=length, locale=babel_locale(lang)))
