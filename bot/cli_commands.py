"""What each CLI command does: open the store, call storage and core, print.

Each command imports what it uses inside its function: ``newsbot run`` should not pay
for rich's progress bars, nor ``newsbot news`` for python-telegram-bot.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from bot.settings import Settings

if TYPE_CHECKING:
    from rich.console import Console

    from sources.ingest import FileReport
    from sources.ingest import Progress as ProgressCallback

# Files above this size get a progress bar on a terminal.
PROGRESS_FROM_BYTES = 2 * 1024 * 1024


class CommandError(Exception):
    """A command cannot do what was asked; the message is one line for stderr."""


def _print_json(value: object) -> None:
    print(json.dumps(value, ensure_ascii=False))


async def cmd_db_upgrade(args: argparse.Namespace, settings: Settings) -> int:
    """Bring the database schema to the newest version."""
    from bot.store import open_store
    from storage.database import current_revision

    async with open_store(settings) as sessions:
        revision = await current_revision(sessions.kw["bind"])
    print(f"database is at revision {revision}")
    return 0


def _progress_factory(console: Console) -> Callable[[Path], ProgressCallback | None]:
    from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn

    def for_path(path: Path) -> ProgressCallback | None:
        try:
            size = path.stat().st_size
        except OSError:
            return None
        if size < PROGRESS_FROM_BYTES or not console.is_terminal:
            return None
        bar = Progress(
            TextColumn(path.name), BarColumn(), DownloadColumn(), console=console, transient=True
        )
        task = bar.add_task(path.name, total=size)
        bar.start()

        def advance(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)
            if done >= total:
                bar.stop()

        return advance

    return for_path


async def cmd_ingest(args: argparse.Namespace, settings: Settings) -> int:
    """Import files; print a line per file; exit 1 when any file failed."""
    from rich.console import Console

    from bot.store import open_store
    from sources.ingest import Ingestor

    console = Console(stderr=True)
    paths = [Path(p) for p in args.paths]
    async with open_store(settings) as sessions:
        reports = await Ingestor(sessions).ingest_paths(paths, _progress_factory(console))
    for report in reports:
        _print_report(report)
    return 0 if all(report.ok for report in reports) else 1


def _print_report(report: FileReport) -> None:
    from views.cli_text import describe_report

    stream = sys.stdout if report.ok else sys.stderr
    print(describe_report(report), file=stream)
    shown = report.problems[:20]
    for problem in shown:
        print(f"  {problem}", file=sys.stderr)
    if len(report.problems) > len(shown):
        print(f"  ... and {len(report.problems) - len(shown)} more problems", file=sys.stderr)


async def cmd_news(args: argparse.Namespace, settings: Settings) -> int:
    """Print the latest stories, newest first."""
    from bot.store import open_store
    from storage.stories import list_latest_stories
    from views.cli_text import render_stories, story_json

    zone = ZoneInfo(settings.timezone)
    async with open_store(settings) as sessions, sessions() as session:
        stories = await list_latest_stories(session, country=args.country, limit=args.limit)
    if args.json:
        _print_json([story_json(story, zone) for story in stories])
    else:
        print(render_stories(stories, zone) or "No stories stored yet: try `newsbot demo`.")
    return 0


async def cmd_rates(args: argparse.Namespace, settings: Settings) -> int:
    """Print the current official rate per 1 USD of the display currencies, or of those named."""
    from bot.store import open_store
    from storage.rates import list_current_rates
    from views.cli_text import rates_json, render_rates

    wanted = list(dict.fromkeys(args.currency or []))
    today = _today(settings)
    async with open_store(settings) as sessions, sessions() as session:
        current = await list_current_rates(session, today)
    if args.json:
        _print_json(rates_json(current, today, wanted))
        return 0
    table = render_rates(current, today, wanted)
    if not table:
        named = " ".join(wanted)
        print(
            f"No {named} rates stored yet: try `newsbot fetch`."
            if named
            else "No rates stored yet: try `newsbot fetch`, or `newsbot demo` for demo data."
        )
        return 0
    print(table)
    missing = [code for code in wanted if code not in current]
    if missing:
        print(f"No rate stored for {' '.join(missing)}.")
    return 0


async def cmd_convert(args: argparse.Namespace, settings: Settings) -> int:
    """Convert an amount through USD; with no target, into every currency the bot lists."""
    from bot.store import open_store
    from core.exchange import MissingRate, convert_to_defaults, make_conversion
    from core.money import ParseFailure, parse_conversion
    from storage.rates import list_current_rates
    from views.cli_text import conversion_json, parse_failure_message, render_conversion

    request = parse_conversion(" ".join(args.words))
    if isinstance(request, ParseFailure):
        raise CommandError(parse_failure_message(request))
    async with open_store(settings) as sessions, sessions() as session:
        current = await list_current_rates(session, _today(settings))
    if request.target is None:
        many = convert_to_defaults(request, current)
        if isinstance(many, MissingRate):
            raise CommandError(f"no stored rate for {many.currency}; see newsbot rates")
        if not many:
            raise CommandError("no rates stored yet: try `newsbot fetch`")
        conversions = many
    else:
        one = make_conversion(request, request.target, current)
        if isinstance(one, MissingRate):
            raise CommandError(f"no stored rate for {one.currency}; see newsbot rates")
        conversions = [one]
    if args.json:
        shown = [conversion_json(conversion) for conversion in conversions]
        _print_json(shown[0] if request.target is not None else shown)
    else:
        print("\n".join(render_conversion(conversion) for conversion in conversions))
    return 0


async def cmd_demo(args: argparse.Namespace, settings: Settings) -> int:
    """Load the demo data into an empty store and show it, or ``--remove`` it."""
    from bot.demo import load_demo_if_empty, remove_demo
    from bot.store import open_store
    from storage.rates import list_current_rates
    from storage.stories import list_latest_stories
    from views.cli_text import render_rates, render_stories

    zone = ZoneInfo(settings.timezone)
    async with open_store(settings) as sessions:
        if args.remove:
            removed = await remove_demo(sessions)
            print(f"Removed {removed.stories} demo stories and {removed.rates} demo rates.")
            return 0
        print((await load_demo_if_empty(sessions)).describe())
        async with sessions() as session:
            current = await list_current_rates(session, _today(settings))
            stories = await list_latest_stories(session, limit=5)
    print(render_rates(current, _today(settings)) or "No rates stored.")
    print()
    print("Latest stories")
    print(render_stories(stories, zone) or "No stories stored.")
    return 0


def _today(settings: Settings) -> date:
    """Today in the configured time zone: what every CLI screen calls today."""
    return datetime.now(ZoneInfo(settings.timezone)).date()


async def cmd_run(args: argparse.Namespace, settings: Settings) -> int:
    """Run the Telegram bot, by long polling or by webhook, until interrupted."""
    from bot.run import RunError, run_bot

    try:
        await run_bot(settings, webhook=args.webhook)
    except RunError as exc:
        raise CommandError(str(exc)) from None
    return 0
