"""The live-source commands: ``newsbot fetch``, ``newsbot sources``, ``rates CUR --history``."""

from __future__ import annotations

import argparse
import json
import logging
import re
import sys
from datetime import date, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo

from bot import cli_commands
from bot.cli_commands import CommandError
from bot.settings import Settings
from bot.store import open_store
from core.types import RateQuote
from sources.catalog import CatalogError, SourceSpec, load_catalog
from sources.fetcher import MAX_BACKFILL_DAYS, SourceReport, fetch_pass
from storage.models import utc_now
from storage.rate_rejections import StoredRejection, count_rejections, list_rejections
from storage.rates import list_daily_rates, list_rate_history
from storage.source_state import SourceState, list_source_states
from views.rejections import rejection_line

__all__ = [
    "backfill_date",
    "cmd_fetch",
    "cmd_rates",
    "cmd_sources",
    "currency_code",
    "history_days",
]

MAX_HISTORY_DAYS = 3660
_CODE = re.compile(r"[A-Za-z]{3}")
# Details per failed backfill day shown before "... and N more".
_SHOWN_DAYS = 5
# Held-back rate figures listed under the sources, newest first.
_SHOWN_REJECTIONS = 20


def backfill_date(text: str) -> date:
    """``--since``: a past or today's date as YYYY-MM-DD, at most ten years back."""
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"not a date: {text[:40]!r} (use YYYY-MM-DD, e.g. 2026-04-01)"
        ) from None
    today = utc_now().date()
    if day > today + timedelta(days=1):
        raise argparse.ArgumentTypeError(f"{day.isoformat()} is in the future")
    if (today - day).days > MAX_BACKFILL_DAYS:
        raise argparse.ArgumentTypeError(f"at most {MAX_BACKFILL_DAYS} days back")
    return day


def history_days(text: str) -> int:
    """``--history``: a whole number of days, 1 to 3660."""
    try:
        days = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"not a whole number of days: {text[:40]!r} (e.g. --history 30)"
        ) from None
    if not 1 <= days <= MAX_HISTORY_DAYS:
        raise argparse.ArgumentTypeError(f"must be between 1 and {MAX_HISTORY_DAYS} days")
    return days


def currency_code(text: str) -> str:
    """A currency as a three-letter ISO 4217 code in use (``kzt`` or ``KZT``)."""
    from core.currency_words import iso_codes

    if not _CODE.fullmatch(text.strip()):
        raise argparse.ArgumentTypeError(
            f"not a currency code: {text[:40]!r} (use three letters, e.g. KZT)"
        )
    code = text.strip().upper()
    if code not in iso_codes():
        raise argparse.ArgumentTypeError(f"unknown currency code: {code} (e.g. KZT, UZS, EUR)")
    if code == "USD":
        raise argparse.ArgumentTypeError("rates are per 1 USD: name another currency, e.g. KZT")
    return code


def _catalog(settings: Settings) -> list[SourceSpec]:
    try:
        return load_catalog(settings.sources_file)
    except CatalogError as exc:
        raise CommandError(f"SOURCES_FILE: {exc}") from None


def _pick(catalog: list[SourceSpec], name: str | None) -> list[SourceSpec]:
    if name is None:
        return catalog
    for spec in catalog:
        if spec.name == name:
            return [spec]
    names = ", ".join(spec.name for spec in catalog)
    raise CommandError(f"no source named {name[:40]!r}; the sources are: {names}")


async def cmd_fetch(args: argparse.Namespace, settings: Settings) -> int:
    """Fetch every source (or ``--source``) once; backfill banks with ``--since``."""
    specs = _pick(_catalog(settings), args.source)
    if settings.log_level != "DEBUG":
        # The summary below says what each source did; per-request and per-source log
        # lines would only repeat it on stderr.
        logging.getLogger("httpx").setLevel(logging.WARNING)
        logging.getLogger("sources").setLevel(logging.ERROR)
    async with open_store(settings) as sessions:
        reports = await fetch_pass(specs, sessions, since=args.since)
    zone = ZoneInfo(settings.timezone)
    for report in reports:
        _print_fetch_report(report, zone)
    failed = sum(not report.ok for report in reports)
    unchanged = sum(report.outcome == "not-modified" for report in reports)
    fetched = len(reports) - failed - unchanged
    print(
        f"{_count(len(reports), 'source', 'sources')}: {fetched} fetched, "
        f"{unchanged} not modified, {failed} failed"
    )
    return 1 if failed else 0


def describe_fetch(report: SourceReport, zone: tzinfo) -> str:
    """One line per source: what the fetch stored, or why it failed and when it retries."""
    head = f"{report.name} ({report.kind}): "
    if report.outcome == "failed":
        retry = f"; next try {_when(report.next_fetch, zone)}" if report.next_fetch else ""
        return head + f"FAILED: {report.error}{retry}"
    if report.outcome == "not-modified":
        return head + "not modified since the last fetch"
    intake = report.intake
    parts: list[str] = []
    if report.days > 1:
        parts.append(f"{report.days - len(report.failed_days)} of {report.days} days read")
    if report.kind in ("feed", "page") or intake.stories_added or intake.stories_duplicate:
        part = (
            f"{_count(intake.stories_added, 'story', 'stories')} added, "
            f"{intake.stories_duplicate} already stored"
        )
        if intake.stories_merged:
            part += f", {intake.stories_merged} counted for another outlet's story"
        parts.append(part)
    if intake.rates_added or intake.rates_updated or intake.rates_unchanged:
        days = sorted(intake.rate_days)
        span = days[0].isoformat() if len(days) == 1 else f"{days[0]} .. {days[-1]}"
        parts.append(
            f"{_count(intake.rates_added, 'rate', 'rates')} added, {intake.rates_updated} updated, "
            f"{intake.rates_unchanged} unchanged (as of {span})"
        )
    if intake.rates_rejected:
        parts.append(f"{intake.rates_rejected} held back as implausible")
    if intake.problems:
        parts.append(_count(len(intake.problems), "note", "notes"))
    return head + "; ".join(parts or ["nothing new"])


def _print_fetch_report(report: SourceReport, zone: tzinfo) -> None:
    print(describe_fetch(report, zone), file=sys.stdout if report.ok else sys.stderr)
    for line in report.failed_days[:_SHOWN_DAYS]:
        print(f"  {line}", file=sys.stderr)
    if len(report.failed_days) > _SHOWN_DAYS:
        print(f"  ... and {len(report.failed_days) - _SHOWN_DAYS} more days", file=sys.stderr)
    for note in report.intake.problems[:_SHOWN_DAYS]:
        print(f"  {note}", file=sys.stderr)


def _when(value: datetime | None, zone: tzinfo) -> str:
    return value.astimezone(zone).strftime("%Y-%m-%d %H:%M") if value else "never"


def _iso(value: datetime | None, zone: tzinfo) -> str | None:
    return value.astimezone(zone).isoformat() if value else None


def _source_json(spec: SourceSpec, state: SourceState, zone: tzinfo) -> dict[str, object]:
    return {
        "name": spec.name,
        "kind": spec.kind,
        "url": spec.url,
        "every": int(spec.every.total_seconds()),
        "last_success": _iso(state.last_success, zone),
        "last_error": _iso(state.last_error, zone),
        "last_error_reason": state.last_error_reason,
        "consecutive_failures": state.consecutive_failures,
        "next_fetch": _iso(state.next_fetch, zone),
    }


def render_sources(catalog: list[SourceSpec], states: dict[str, SourceState], zone: tzinfo) -> str:
    """A block per source: kind, last success, last error and why, failures, next fetch."""
    lines: list[str] = []
    for spec in catalog:
        state = states.get(spec.name) or SourceState(spec.name)
        lines.append(f"{spec.name} ({spec.kind}, every {_every(spec.every)})  {spec.url}")
        lines.append(
            f"    last success {_when(state.last_success, zone)}; "
            f"{_count(state.consecutive_failures, 'failure', 'failures')} in a row; "
            f"next fetch {_when(state.next_fetch, zone) if state.next_fetch else 'now'}"
        )
        if state.last_error is not None:
            lines.append(
                f"    last error {_when(state.last_error, zone)}: {state.last_error_reason}"
            )
    return "\n".join(lines)


def _count(number: int, one: str, many: str) -> str:
    return f"{number} {one if number == 1 else many}"


def _every(every: timedelta) -> str:
    seconds = int(every.total_seconds())
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds % size == 0:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"


async def cmd_sources(args: argparse.Namespace, settings: Settings) -> int:
    """List every source with what the fetcher knows about it."""
    catalog = _catalog(settings)
    async with open_store(settings) as sessions, sessions() as session:
        states = await list_source_states(session)
        held = await count_rejections(session)
        recent = await list_rejections(session, limit=_SHOWN_REJECTIONS)
    zone = ZoneInfo(settings.timezone)
    if args.json:
        rows = [_source_json(s, states.get(s.name) or SourceState(s.name), zone) for s in catalog]
        print(json.dumps(rows, ensure_ascii=False))
    else:
        print(render_sources(catalog, states, zone))
        if held:
            print(render_rejections(held, recent))
    return 0


def render_rejections(count: int, recent: list[StoredRejection]) -> str:
    """The rate figures held back as implausible: how many, then the newest ones."""
    lines = [f"rates held back as implausible: {count}"]
    lines += [f"    {rejection_line(rejection)}" for rejection in recent]
    if count > len(recent):
        lines.append(f"    ... and {count - len(recent)} more")
    return "\n".join(lines)


def history_json(quotes: list[RateQuote]) -> list[dict[str, str]]:
    """``[{"as_of", "per_usd", "source"}, ...]``, oldest first; decimals as strings."""
    return [
        {"as_of": q.as_of.isoformat(), "per_usd": str(q.per_usd), "source": q.source}
        for q in quotes
    ]


async def cmd_rates(args: argparse.Namespace, settings: Settings) -> int:
    """``rates [CUR ...]``: the current rates; with ``CUR --history DAYS`` one line per day of
    the series ``/chart`` draws (``--all-sources``: every source's figure of each day)."""
    if args.history is None:
        if args.all_sources:
            raise CommandError(
                "--all-sources goes with --history, e.g. newsbot rates KZT --history 30 "
                "--all-sources"
            )
        return await cli_commands.cmd_rates(args, settings)
    if len(args.currency) != 1:
        raise CommandError(
            "give a currency and a number of days, e.g. newsbot rates KZT --history 30"
        )
    (currency,) = args.currency
    today = datetime.now(ZoneInfo(settings.timezone)).date()
    since = today - timedelta(days=args.history - 1)
    async with open_store(settings) as sessions, sessions() as session:
        if args.all_sources:
            quotes = await list_rate_history(session, currency, since)
        else:
            quotes = await list_daily_rates(session, currency, since, today)
    if args.json:
        print(json.dumps(history_json(quotes)))
    elif not quotes:
        print(f"No {currency} rates stored since {since.isoformat()}: try `newsbot fetch`.")
    else:
        for quote in quotes:
            day, rate = quote.as_of.isoformat(), f"{quote.per_usd:f}"
            print(f"{day}  {rate} {quote.currency} per USD  {quote.source}")
    return 0
