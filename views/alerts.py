"""Rate alerts as the reader sees them: set, listed, refused, deleted, and fired."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Context, Decimal
from typing import Any

from telegram import InlineKeyboardMarkup

from core.alert_request import AlertParseFailure
from core.alerts import MAX_ALERTS_PER_CHAT, MAX_DISTANCE, Direction, rearm_line
from core.exchange import Conversion
from locales import _, ngettext
from services.alerts import AlertSet, LevelTooFar, TooManyAlerts
from storage.alerts import Alert
from views.callbacks import ALERT_DELETE, CHART, ChartButton
from views.formatting import day, exact, number, signed_percent
from views.keyboards import button, keyboard
from views.money import format_cross_rate, rate_origin, source_label
from views.telegram_html import escape

# Shown with every refusal: a request that works.
EXAMPLE = "/alert usd kzt above 520"
# Chart buttons use the chart's own callback (handlers.chart), 30 days.
CHART_PERIOD = "30d"


def alert_usage() -> str:
    """The usage of /alert, with examples."""
    return escape(
        _(
            "Usage: /alert FROM TO above|below LEVEL, e.g. /alert usd kzt above 520 or "
            "/alert kgs uzs below 139. /alerts lists this chat's alerts; /alert off 1 "
            "deletes the first."
        )
    )


def pair_words(base: str, quote: str) -> str:
    """``USD/KZT``."""
    return f"{base}/{quote}"


def level_words(direction: Direction | str, level: Decimal) -> str:
    """``above 520`` / ``below 139`` in the reader's words."""
    if direction == "below":
        return _("below {level}").format(level=exact(level))
    return _("above {level}").format(level=exact(level))


def _rearm_words(direction: Direction, level: Decimal) -> str:
    line = rearm_line(direction, level)
    shown = number(line, 2 if line >= 1 else 6)
    if direction == "above":
        return _(
            "The rate is already above {level}: the alert fires after it falls to {line} "
            "or lower and then rises above {level} again."
        ).format(level=exact(level), line=shown)
    return _(
        "The rate is already below {level}: the alert fires after it rises to {line} "
        "or higher and then falls below {level} again."
    ).format(level=exact(level), line=shown)


def _rate_line(conversion: Conversion) -> str:
    return (
        f"1 {escape(conversion.source)} = {escape(format_cross_rate(conversion.rate))} "
        f"{escape(conversion.target)} · {escape(rate_origin(conversion))}"
    )


def render_alert_set(outcome: AlertSet) -> str:
    """The answer to an alert stored."""
    alert = outcome.alert
    title = _("🔔 Alert set: {pair} {level}").format(
        pair=pair_words(alert.base, alert.quote), level=level_words(alert.direction, alert.level)
    )
    lines = [f"<b>{escape(title)}</b>", escape(_("Now:")) + " " + _rate_line(outcome.current)]
    if not alert.armed:
        lines.append(escape(_rearm_words(alert.direction, alert.level)))
    else:
        lines.append(
            escape(_("You get one message when the official rate crosses the level, in this chat."))
        )
    lines.append(
        escape(
            _("Alerts in this chat: {count} of {limit}. /alerts lists them.").format(
                count=outcome.number, limit=MAX_ALERTS_PER_CHAT
            )
        )
    )
    return "\n".join(lines)


def render_too_many(refusal: TooManyAlerts) -> str:
    """More alerts than a chat may have."""
    return escape(
        _(
            "This chat already has {limit} alerts, the most allowed. Delete one first: "
            "/alerts, or /alert off 1."
        ).format(limit=refusal.limit)
    )


def render_too_far(refusal: LevelTooFar, level: Decimal) -> str:
    """A level absurdly far from the rate: the accepted range, and an example in it."""
    current = refusal.current
    places = 2 if refusal.low >= 1 else 6
    text = _(
        "{level} is more than {percent}% away from the current rate, 1 {base} = {rate} "
        "{quote}; a level between {low} and {high} is accepted, e.g. /alert {example}."
    ).format(
        level=exact(level),
        percent=int(MAX_DISTANCE * 100),
        base=current.source,
        rate=format_cross_rate(current.rate),
        quote=current.target,
        low=number(refusal.low, places),
        high=number(refusal.high, places),
        example=f"{current.source.lower()} {current.target.lower()} above "
        f"{format_cross_rate(example_level(current.rate))}",
    )
    return escape(text)


def example_level(rate: Decimal) -> Decimal:
    """A level worth suggesting: 10 % above ``rate``, to two significant digits (520)."""
    return Context(prec=2, rounding=ROUND_HALF_UP).plus(rate * Decimal("1.1")).normalize()


def _failure_text(failure: AlertParseFailure) -> str:
    fragment = failure.fragment
    texts = {
        "empty": _("Tell me what to watch."),
        "too_long": _("That is too long for an alert."),
        "no_level": _("I found no level to watch."),
        "bad_level": _("“{fragment}” is not a level I can read: one number, like 520 or 139.5."),
        "not_positive": _("The level must be above zero, not “{fragment}”."),
        "too_large": _("“{fragment}” is too large for a level."),
        "unknown_currency": _("I do not know the currency “{fragment}”."),
        "no_pair": _("Name two currencies: the one priced and the one the level is in."),
        "too_many_currencies": _("Name only two currencies; “{fragment}” is a third."),
        "same_currency": _("Both currencies are the same (“{fragment}”): name two different ones."),
        "both_directions": _("Say above or below, not both."),
    }
    return texts.get(failure.reason, _("I cannot read that alert.")).format(fragment=fragment)


def render_alert_failure(failure: AlertParseFailure) -> str:
    """What is wrong with an alert request, and the usage with examples."""
    return f"{escape(_failure_text(failure))}\n{alert_usage()}"


def render_alert_list(alerts: list[Alert], rates: dict[int, Conversion]) -> str:
    """The chat's alerts, numbered, each with the pair's rate now (when stored)."""
    if not alerts:
        return escape(
            _("No rate alerts in this chat. Set one, e.g. {example}").format(example=EXAMPLE)
        )
    title = ngettext(
        "{count} rate alert of {limit}", "{count} rate alerts of {limit}", len(alerts)
    ).format(count=len(alerts), limit=MAX_ALERTS_PER_CHAT)
    lines = [f"<b>{escape(title)}</b>"]
    for position, alert in enumerate(alerts, start=1):
        line = f"{position}. {pair_words(alert.base, alert.quote)} "
        line += level_words(alert.direction, alert.level)
        current = rates.get(alert.id)
        if current is not None:
            line += " · " + _("now {rate}").format(rate=format_cross_rate(current.rate))
        if not alert.armed:
            line += " · " + _("fired, waits for the rate to come back")
        lines.append(escape(line))
    lines.append(escape(_("A button deletes an alert; so does /alert off N.")))
    return "\n".join(lines)


def alert_list_markup(alerts: list[Alert]) -> InlineKeyboardMarkup | None:
    """One delete button per alert, two to a row."""
    buttons = [
        button(
            _("🗑 {number}. {pair}").format(
                number=position, pair=pair_words(alert.base, alert.quote)
            ),
            ALERT_DELETE.build(alert.id),
        )
        for position, alert in enumerate(alerts, start=1)
    ]
    return keyboard(*(buttons[i : i + 2] for i in range(0, len(buttons), 2)))


def render_deleted(alert: Alert | None) -> str:
    """The answer to a deletion (None: there was no such alert)."""
    if alert is None:
        return escape(_("There is no such alert (already deleted?). /alerts lists this chat's."))
    return escape(
        _("Alert deleted: {pair} {level}.").format(
            pair=pair_words(alert.base, alert.quote),
            level=level_words(alert.direction, alert.level),
        )
    )


def render_removal_usage() -> str:
    """How to delete an alert by number."""
    return escape(_("Usage: /alert off N, e.g. /alert off 1 (numbers as /alerts shows them)."))


def alerts_count_line(count: int) -> str:
    """The /settings line with the number of alerts."""
    return escape(
        _("Rate alerts: {count} of {limit} (/alerts)").format(
            count=count, limit=MAX_ALERTS_PER_CHAT
        )
    )


def render_fired(payload: dict[str, Any]) -> tuple[str, InlineKeyboardMarkup | None]:
    """The message of an alert that fired, from its notice's payload, with buttons for
    the chart and for deleting the alert."""
    base, quote = str(payload["base"]), str(payload["quote"])
    rate, level = Decimal(str(payload["rate"])), Decimal(str(payload["level"]))
    set_rate = Decimal(str(payload["set_rate"]))
    as_of = date.fromisoformat(str(payload["as_of"]))
    direction = str(payload["direction"])
    title = (
        _("🔔 {pair} is above {level}") if direction == "above" else _("🔔 {pair} is below {level}")
    ).format(pair=pair_words(base, quote), level=exact(level))
    change = rate - set_rate
    percent = change / set_rate * 100 if set_rate else Decimal(0)
    sign = "+" if change > 0 else "-" if change < 0 else "±"
    lines = [
        f"<b>{escape(title)}</b>",
        f"<b>1 {escape(base)} = {escape(format_cross_rate(rate))} {escape(quote)}</b>",
        escape(
            _("As of {date}, source: {source}").format(
                date=day(as_of), source=source_label(str(payload["source"]))
            )
        ),
        escape(_("Your level: {level}").format(level=level_words(direction, level))),
        escape(
            _("Since the alert was set ({date}, {rate}): {change} ({percent})").format(
                date=day(date.fromisoformat(str(payload["set_as_of"]))),
                rate=format_cross_rate(set_rate),
                change=f"{sign}{format_cross_rate(abs(change))}",
                percent=signed_percent(percent),
            )
        ),
    ]
    charts = [
        button(f"📈 {code}", CHART.build(ChartButton(code, CHART_PERIOD)))
        for code in dict.fromkeys((quote, base))
        if code != "USD"
    ]
    delete = [button(_("🗑 Delete this alert"), ALERT_DELETE.build(int(payload["alert"])))]
    return "\n".join(lines), keyboard(charts, delete)
