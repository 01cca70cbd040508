"""Telegram HTML of a daily digest: header, a line of rates, stories grouped by country.

The language is the running task's (``locales.use_language``): the sender sets it per chat
before rendering, so numbers and dates follow the reader through ``views.formatting``.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal

from core.authority import is_stale
from core.countries import CENTRAL_ASIA, COUNTRY_CURRENCY, country_flag
from core.editions import pick_edition
from core.exchange import rate_places
from core.plain_text import shorten
from core.types import RateQuote, Story
from locales import _, current_language, ngettext
from views.digest_layout import DigestSection
from views.formatting import day, number
from views.money import STALE_MARK, stale_note
from views.names import country_name
from views.news import also_in
from views.telegram_html import escape, link

_log = logging.getLogger(__name__)

TITLE_CHARS = 300
# The five currencies of the region, in the order of the countries.
DIGEST_CURRENCIES: tuple[str, ...] = tuple(COUNTRY_CURRENCY[code] for code in CENTRAL_ASIA)


def _places(per_usd: Decimal) -> int:
    # UZS runs to five digits, TMT to one: each keeps about four significant digits.
    size = abs(per_usd)
    return 0 if size >= 10_000 else 2


def _change(change: Decimal | None, places: int) -> str:
    if change is None:
        return ""
    shown = number(abs(change), max(places, 2))
    if abs(change) < Decimal("0.005"):
        return " ="
    return f" ▲{shown}" if change > 0 else f" ▼{shown}"


def render_rates_line(rates: Mapping[str, RateQuote], today: date) -> str:
    """One line: the five currencies per 1 USD with their daily change, the figures' date
    and the stale mark of ``/rates``; "" with none stored.

    The line names the newest figures' date once; a figure of another day carries its own.
    """
    quotes = [rates[currency] for currency in DIGEST_CURRENCIES if currency in rates]
    if not quotes:
        return ""
    newest = max(quote.as_of for quote in quotes)
    parts = []
    for quote in quotes:
        places = min(_places(quote.per_usd), rate_places(quote))
        part = f"{quote.currency} {number(quote.per_usd, places)}{_change(quote.change, places)}"
        if quote.as_of != newest:
            part += f" ({day(quote.as_of)})"
        if is_stale(quote, today):
            part += f" {STALE_MARK}"
        parts.append(part)
    line = _("1 USD, {date}: {rates}").format(date=day(newest), rates=" · ".join(parts))
    if any(is_stale(quote, today) for quote in quotes):
        line += "\n" + stale_note()
    return escape(line)


def _story_line(story: Story) -> str:
    story = pick_edition(story, current_language())
    shown = link(story.url, shorten(story.title, TITLE_CHARS))
    notes = [also_in(story)] if story.editions else []
    if story.outlets > 1:
        notes.append(
            ngettext("{count} outlet", "{count} outlets", story.outlets).format(count=story.outlets)
        )
    if story.published is None:
        notes.append(_("undated"))
    notes = [note for note in notes if note]
    return f"• {shown} <i>({escape(', '.join(notes))})</i>" if notes else f"• {shown}"


def render_section(section: DigestSection) -> str:
    """A country's flag and name in bold, then one line per story: title as a link."""
    name = country_name(section.country)
    lines = [f"{country_flag(section.country)} <b>{escape(name)}</b>".strip()]
    lines += [_story_line(s) for s in section.stories]
    return "\n".join(lines)


def _rates_line_or_nothing(rates: Mapping[str, RateQuote], today: date) -> str:
    # The stories are what a digest is for: a rates line that cannot be drawn is left
    # out, so the day's digest is still sent instead of failing on every retry.
    try:
        return render_rates_line(rates, today)
    except (ArithmeticError, ValueError, TypeError):
        _log.exception("digest sent without its rates line")
        return ""


def render_digest(
    local_date: date, rates: Mapping[str, RateQuote], sections: Sequence[DigestSection]
) -> str:
    """The whole digest: header with the local date, rates, then the sections or "nothing new".

    Args:
        local_date: The chat's date the digest is for.
        rates: Current quotes by currency (only the five of the region are shown).
        sections: Stories grouped by country; empty when nothing is new.
    """
    header = _("Daily digest for {date}").format(date=day(local_date))
    blocks = [f"📰 <b>{escape(header)}</b>"]
    rates_line = _rates_line_or_nothing(rates, local_date)
    if rates_line:
        blocks.append(rates_line)
    if sections:
        blocks += [render_section(section) for section in sections]
    else:
        blocks.append(escape(_("Nothing new about your countries since the last digest.")))
    blocks.append(escape(_("Change the time or countries: /settings · stop: /unsubscribe")))
    return "\n\n".join(blocks)
