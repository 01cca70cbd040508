"""Rate figures held back at the door, in words: for /stats and ``newsbot sources``."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from babel.numbers import format_percent

from core.plausibility import bounds_of
from locales import _, current_language, ngettext
from storage.rate_rejections import StoredRejection
from views.formatting import babel_locale, day, exact
from views.money import source_label


def _plain(value: Decimal) -> str:
    # Bounds are round figures; plain digits read the same in every language.
    return format(value.normalize(), "f")


def _figure(stored: str) -> str:
    # Ordinary sizes read as the reader writes numbers; absurd ones keep their short
    # exponent form (1E+43), which says more than forty-four digits.
    try:
        value = Decimal(stored)
    except InvalidOperation:
        return stored
    if value.is_finite() and Decimal("1e-6") <= abs(value) < Decimal("1e12"):
        return exact(value)
    return stored


def rejection_reason(rejection: StoredRejection) -> str:
    """Why a figure was held back, with the bound it broke (plain text)."""
    bounds = bounds_of(rejection.currency)
    if rejection.kind == "move" and rejection.previous_figure and rejection.previous_as_of:
        days = max(1, (rejection.as_of - rejection.previous_as_of).days)
        move = format_percent(
            bounds.daily_move * days, format="#,##0%", locale=babel_locale(current_language())
        )
        return ngettext(
            "too far from {previous} on {date}: at most {move} in {days} day",
            "too far from {previous} on {date}: at most {move} in {days} days",
            days,
        ).format(
            previous=_figure(rejection.previous_figure),
            date=day(rejection.previous_as_of),
            move=move,
            days=days,
        )
    low, high = _plain(bounds.low), _plain(bounds.high)
    return _("outside {low}–{high} per USD").format(low=low, high=high)


def rejection_line(rejection: StoredRejection) -> str:
    """``KZT 1E+29 · 01/05/2026 · NBK: outside 50–5000 per USD`` (plain text)."""
    return (
        f"{rejection.currency} {_figure(rejection.figure)} · {day(rejection.as_of)} · "
        f"{source_label(rejection.source)}: {rejection_reason(rejection)}"
    )
