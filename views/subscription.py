"""A chat's daily digest in words: time, zone, countries and when the next one comes."""

from __future__ import annotations

from datetime import datetime, time, tzinfo

from babel.lists import format_list

from core.countries import country_flag
from core.schedule_words import next_digest_day, utc_offset_label
from locales import _, current_language
from storage.subscriptions import Subscription
from views.formatting import babel_locale, day, time_of_day
from views.names import country_name
from views.telegram_html import escape


def zone_words(zone_name: str, zone: tzinfo, now: datetime) -> str:
    """``Asia/Tashkent (UTC+05:00)``, or just ``UTC+06:00`` for a zone stored as an offset."""
    offset = utc_offset_label(zone, now)
    return offset if zone_name.startswith("UTC") else f"{zone_name} ({offset})"


def countries_words(codes: tuple[str, ...]) -> str:
    """The countries with their flags, listed the reader's way: ``🇰🇿 Kazakhstan and 🇺🇿 …``."""
    names = [f"{country_flag(code)} {country_name(code)}" for code in codes]
    return str(format_list(names, locale=babel_locale(current_language()))) if names else ""


def _local_clock(subscription: Subscription, zone: tzinfo, now: datetime) -> datetime:
    hour, minute = (int(part) for part in subscription.local_time.split(":"))
    return datetime.combine(now.astimezone(zone).date(), time(hour, minute), zone)


def next_digest_words(
    subscription: Subscription, zone: tzinfo, now: datetime, delivered_today: bool, *, first: bool
) -> str:
    """One sentence saying when the (first) digest comes: today, in a minute, or tomorrow."""
    local_now = now.astimezone(zone)
    since = subscription.created.astimezone(zone)
    due_day = next_digest_day(local_now, subscription.local_time, since, delivered_today)
    clock = _local_clock(subscription, zone, now)
    at = time_of_day(clock, zone)
    if due_day > local_now.date():
        text = (
            _("The first digest comes tomorrow, {date}, at {time}.")
            if first
            else _("The next digest comes tomorrow, {date}, at {time}.")
        )
        return text.format(date=day(due_day), time=at)
    if subscription.local_time > local_now.strftime("%H:%M"):
        text = (
            _("The first digest comes today at {time}.")
            if first
            else _("The next digest comes today at {time}.")
        )
        return text.format(time=at)
    return _("Today's digest comes within a minute.")


def subscription_lines(
    subscription: Subscription | None,
    zone_name: str,
    zone: tzinfo,
    now: datetime,
    delivered_today: bool,
) -> list[str]:
    """The digest part of /settings, as escaped HTML lines."""
    if subscription is None or not subscription.active:
        return [escape(_("Daily digest: off. /subscribe starts it."))]
    at = time_of_day(_local_clock(subscription, zone, now), zone)
    return [
        escape(
            _("Daily digest at {time}, {zone}").format(
                time=at, zone=zone_words(zone_name, zone, now)
            )
        ),
        escape(
            _("Countries: {countries}").format(countries=countries_words(subscription.countries))
        ),
        escape(next_digest_words(subscription, zone, now, delivered_today, first=False)),
    ]


def subscribed_html(
    subscription: Subscription,
    zone_name: str,
    zone: tzinfo,
    now: datetime,
    delivered_today: bool,
    *,
    was_active: bool,
) -> str:
    """The answer to /subscribe: what was stored and when the first (or next) digest comes."""
    heading = (
        _("Your daily digest is updated.")
        if was_active
        else _("You are subscribed to the daily digest.")
    )
    at = time_of_day(_local_clock(subscription, zone, now), zone)
    lines = [
        f"<b>{escape(heading)}</b>",
        escape(_("Time: {time}, {zone}").format(time=at, zone=zone_words(zone_name, zone, now))),
        escape(
            _("Countries: {countries}").format(countries=countries_words(subscription.countries))
        ),
        escape(next_digest_words(subscription, zone, now, delivered_today, first=not was_active)),
        escape(_("Change it: /settings · stop: /unsubscribe")),
    ]
    return "\n".join(lines)
