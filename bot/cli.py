"""The ``newsbot`` command line: argument parsing and dispatch."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
from collections.abc import Callable, Coroutine, Sequence
from typing import Any

from bot import commands
from bot.settings import SettingsError, load_settings
from bot.store import StoreUnavailable
from core.countries import lookup_country

EXIT_USAGE = 2


class _Parser(argparse.ArgumentParser):
    """An argparse parser whose errors are one line on stderr and exit code 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(EXIT_USAGE, f"{self.prog}: {message}\n")


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if not 1 <= value <= 1000:
        raise argparse.ArgumentTypeError("must be between 1 and 1000")
    return value


def _country_code(text: str) -> str:
    code = text.strip().upper()
    if len(code) == 2 and code.isascii() and code.isalpha():
        return code
    found = lookup_country(text)  # names, capitals, demonyms, misspellings, any language
    if found is None:
        raise argparse.ArgumentTypeError(f"unknown country: {text[:40]!r} (e.g. KZ or Kyrgyzstan)")
    return found


def build_parser() -> argparse.ArgumentParser:
    """The whole command tree, each command with its own --help."""
    parser = _Parser(
        prog="newsbot",
        description="Central Asia news and official exchange rates: a Telegram bot and a CLI.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True

    run = sub.add_parser("run", help="run the bot (without BOT_TOKEN: show the demo)")
    run.set_defaults(handler=commands.cmd_run)

    demo = sub.add_parser("demo", help="load the demo data into an empty store and show it")
    demo.set_defaults(handler=commands.cmd_demo)

    ingest = sub.add_parser("ingest", help="import pages, feeds, JSON Lines and bank files")
    ingest.add_argument("paths", nargs="+", metavar="PATH", help="files to import")
    ingest.set_defaults(handler=commands.cmd_ingest)

    news = sub.add_parser("news", help="latest stories first")
    news.add_argument(
        "--country", type=_country_code, help="ISO code or name, e.g. KZ, Bishkek, Қазақстан"
    )
    news.add_argument("--limit", type=_positive_int, default=10, help="how many (default 10)")
    news.add_argument("--json", action="store_true", help="print JSON")
    news.set_defaults(handler=commands.cmd_news)

    rates = sub.add_parser("rates", help="current official rates per 1 USD")
    rates.add_argument("--json", action="store_true", help="print JSON")
    rates.set_defaults(handler=commands.cmd_rates)

    convert = sub.add_parser(
        "convert",
        help="convert an amount",
        description='Examples: newsbot convert 100 usd kzt; newsbot convert "100 долларов в тенге"',
    )
    convert.add_argument("words", nargs="+", metavar="AMOUNT FROM TO", help="what to convert")
    convert.add_argument("--json", action="store_true", help="print JSON")
    convert.set_defaults(handler=commands.cmd_convert)

    db = sub.add_parser("db", help="database maintenance")
    db_sub = db.add_subparsers(dest="db_command", metavar="ACTION", parser_class=_Parser)
    db_sub.required = True
    upgrade = db_sub.add_parser("upgrade", help="bring the schema to the newest version")
    upgrade.set_defaults(handler=commands.cmd_db_upgrade)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``newsbot`` and ``python -m bot``."""
    args = build_parser().parse_args(argv)
    try:
        settings = load_settings()
    except SettingsError as exc:
        print(f"newsbot: {exc}", file=sys.stderr)
        return EXIT_USAGE
    logging.basicConfig(level=settings.log_level, format="%(levelname)s %(name)s: %(message)s")
    if settings.log_level != "DEBUG":
        # Alembic narrates every migration step at INFO; people only need to see failures.
        logging.getLogger("alembic").setLevel(logging.WARNING)
    handler: Callable[..., Coroutine[Any, Any, int]] = args.handler
    try:
        return asyncio.run(handler(args, settings))
    except (StoreUnavailable, commands.CommandError) as exc:
        print(f"newsbot: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader (`| head`) went away: stop quietly, and keep Python's exit-time
        # flush of stdout from raising again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
