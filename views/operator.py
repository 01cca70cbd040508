"""The operators' screens as Telegram HTML: /stats (the store's figures) and /fetch (a pass's
report, one line per source)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from babel.units import format_unit

from locales import _, current_language
from services.fetch_report import FetchNowResult, FetchStatus, SourceOutcome
from storage.stats import StoreStats, TopCounts
from views.formatting import babel_locale, day, number
from views.rejections import rejection_line
from views.telegram_html import escape

# A failed source's reason is cut here: one line each, however long the fetcher's text.
MAX_REASON = 120
_OUTCOME_MARKS = {"new": "✅", "not-modified": "⏸", "failed": "❌"}


def _age(as_of: date, today: date) -> str:
    days = (today - as_of).days
    if days <= 0:  # a bank may publish tomorrow's rate today
        return _("today")
    return str(format_unit(days, "duration-day", locale=babel_locale(current_language())))


def _top_lines(counts: TopCounts, unnamed: str) -> list[str]:
    lines = [f"• {escape(value or unnamed)}: {number(count)}" for value, count in counts.top]
    rest = counts.groups - len(counts.top)
    if rest > 0:
        lines.append("• " + escape(_("… and {count} more").format(count=number(rest))))
    return lines


def _rate_lines(stats: StoreStats, today: date) -> list[str]:
    if not stats.rates:
        return [escape(_("No rates stored yet."))]
    # One line per date, oldest first: a currency left behind stands out at the top.
    by_day: dict[date, list[str]] = defaultdict(list)
    for rate in stats.rates:
        by_day[rate.as_of].append(rate.currency)
    return [
        f"• {escape(day(as_of))} ({escape(_age(as_of, today))}): {escape(', '.join(sorted(codes)))}"
        for as_of, codes in sorted(by_day.items())
    ]


def _rejection_lines(stats: StoreStats) -> list[str]:
    if not stats.rejected_rates:
        return []
    heading = _("Rates held back as implausible: {count}").format(
        count=number(stats.rejected_rates)
    )
    lines = [f"<b>{escape(heading)}</b>"]
    lines += [f"• {escape(rejection_line(r))}" for r in stats.recent_rejections]
    return [*lines, ""]


def _error_lines(stats: StoreStats) -> list[str]:
    heading = _("Errors in the last 24 hours: {count}").format(count=number(stats.errors))
    lines = [f"<b>{escape(heading)}</b>"]
    for error in stats.top_errors:
        line = _("{kind} in {place}: {count}").format(
            kind=error.kind, place=error.place, count=number(error.count)
        )
        lines.append(f"• {escape(line)}")
    return lines


def render_stats(stats: StoreStats, today: date) -> str:
    """/stats as Telegram HTML: chats, digests, stories, rates' dates, recent failures."""
    title = _("Bot statistics")
    chats = _("Chats: {total} (unreachable: {unreachable})").format(
        total=number(stats.chats.total), unreachable=number(stats.chats.unreachable)
    )
    digests = _("Active daily digests: {count}").format(count=number(stats.active_subscriptions))
    stories = _("Stories: {count}").format(count=number(stats.by_source.total))
    rates = _("Rates by date")
    lines = [f"<b>{escape(title)}</b>", escape(chats), escape(digests), ""]
    lines += [f"<b>{escape(stories)}</b>", escape(_("By source:"))]
    lines += _top_lines(stats.by_source, "?")
    lines += [escape(_("By language:")), *_top_lines(stats.by_language, _("not detected")), ""]
    lines += [f"<b>{escape(rates)}</b>", *_rate_lines(stats, today), ""]
    lines += _rejection_lines(stats)
    lines += _error_lines(stats)
    return "\n".join(lines)


def _source_line(source: SourceOutcome) -> str:
    mark = _OUTCOME_MARKS.get(source.outcome, "•")
    name = f"<b>{escape(source.name)}</b> ({escape(source.kind)})"
    if source.outcome == "failed":
        reason = " ".join((source.error or "?").split())
        if len(reason) > MAX_REASON:
            reason = reason[: MAX_REASON - 1] + "…"
        said = _("failed: {reason}").format(reason=reason)
    elif source.outcome == "not-modified":
        said = _("not modified")
    else:
        said = _("stories +{stories}, rates +{rates}, rates changed {updated}").format(
            stories=number(source.stories_added),
            rates=number(source.rates_added),
            updated=number(source.rates_updated),
        )
    return f"{mark} {name}: {escape(said)}"


def render_fetch(result: FetchNowResult) -> str:
    """/fetch's answer as Telegram HTML: a summary, then one line per source."""
    if result.status == FetchStatus.BUSY:
        return escape(_("A fetch pass is already running: its report comes when it ends."))
    if result.status == FetchStatus.NO_SOURCES:
        return escape(_("No sources to fetch: {reason}").format(reason=result.detail))
    outcomes = [source.outcome for source in result.sources]
    summary = _(
        "Sources fetched: {total}; new: {new}, not modified: {same}, failed: {failed}"
    ).format(
        total=number(len(outcomes)),
        new=number(outcomes.count("new")),
        same=number(outcomes.count("not-modified")),
        failed=number(outcomes.count("failed")),
    )
    return "\n".join([f"<b>{escape(summary)}</b>", *map(_source_line, result.sources)])
