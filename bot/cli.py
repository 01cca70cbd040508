"""The ``newsbot`` command line: argument parsing and dispatch."""

from __future__ import annotations

import argparse
import asyncio
import importlib
import logging
import os
import sys
from collections.abc import Callable, Coroutine, Sequence
from typing import Any

from bot.notice_command import add_run_due_command
from bot.settings import SUPPORTED_LANGUAGES, SettingsError, load_settings

EXIT_USAGE = 2


def _lazy(target: str) -> Callable[..., Any]:
    """``module:function`` imported on first call: each command loads only what it uses
    (PTB and the Application for run/chat, the emulator for chat, rich for ingest...)."""
    module, _sep, name = target.partition(":")

    def call(*args: Any, **kwargs: Any) -> Any:
        return getattr(importlib.import_module(module), name)(*args, **kwargs)

    call.__name__ = name  # argparse names a failed ``type=`` by it
    return call


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
    from core.countries import lookup_country  # the gazetteer: only when a name is given

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

    run = sub.add_parser(
        "run",
        help="run the Telegram bot with long polling (needs BOT_TOKEN)",
        description="Examples: newsbot run; newsbot run --webhook (needs WEBHOOK_URL and "
        "WEBHOOK_SECRET; listens on HOST:PORT). With PORT set, GET /healthz and /metrics "
        "are served in both modes.",
    )
    run.add_argument(
        "--webhook",
        action="store_true",
        help="take updates by webhook at WEBHOOK_URL instead of polling",
    )
    run.set_defaults(handler=_lazy("bot.cli_commands:cmd_run"))

    chat = sub.add_parser(
        "chat",
        help="talk to the bot in the terminal (no token, no network)",
        description="Examples: newsbot chat --lang ru; printf '/rates\\n/news\\n' | newsbot chat",
    )
    chat.add_argument(
        "--lang", choices=SUPPORTED_LANGUAGES, help="your Telegram language (default: none sent)"
    )
    chat.set_defaults(handler=_lazy("bot.chat:cmd_chat"))

    demo = sub.add_parser(
        "demo",
        help="load the demo data into an empty store and show it",
        description="Examples: newsbot demo; newsbot demo --remove. The demo goes only into a "
        "store with no stories and no rates; the first real story or rate removes it.",
    )
    demo.add_argument("--remove", action="store_true", help="delete the demo stories and rates")
    demo.set_defaults(handler=_lazy("bot.cli_commands:cmd_demo"))

    ingest = sub.add_parser("ingest", help="import pages, feeds, JSON Lines and bank files")
    ingest.add_argument("paths", nargs="+", metavar="PATH", help="files to import")
    ingest.set_defaults(handler=_lazy("bot.cli_commands:cmd_ingest"))

    news = sub.add_parser("news", help="latest stories first")
    news.add_argument(
        "--country", type=_country_code, help="ISO code or name, e.g. KZ, Bishkek, Қазақстан"
    )
    news.add_argument("--limit", type=_positive_int, default=10, help="how many (default 10)")
    news.add_argument("--json", action="store_true", help="print JSON")
    news.set_defaults(handler=_lazy("bot.cli_commands:cmd_news"))

    search = sub.add_parser(
        "search",
        help="find stories that answer a question",
        description='Examples: newsbot search "refinary kyrgystan"; '
        "newsbot search - --json < questions.txt (one query per line, one answer line each)",
    )
    search.add_argument(
        "query", nargs="*", metavar="QUERY", help="words to search for; - or none: read stdin"
    )
    search.add_argument("--country", type=_country_code, help="only this country, e.g. KZ")
    search.add_argument("--limit", type=_positive_int, default=10, help="how many (default 10)")
    search.add_argument("--json", action="store_true", help="print JSON")
    search.set_defaults(handler=_lazy("bot.search_command:cmd_search"))

    rates = sub.add_parser(
        "rates",
        help="current official rates per 1 USD, or one currency's history",
        description="Examples: newsbot rates; newsbot rates KZT UZS --json; "
        "newsbot rates KZT --history 30 (the series /chart draws; add --all-sources for "
        "every source's figures)",
    )
    rates.add_argument(
        "currency",
        nargs="*",
        type=_lazy("bot.fetch_commands:currency_code"),
        metavar="CUR",
        help="ISO codes, e.g. KZT UZS (default: the currencies the bot shows)",
    )
    rates.add_argument(
        "--history",
        type=_lazy("bot.fetch_commands:history_days"),
        metavar="DAYS",
        help="one line per stored day of CUR over DAYS days",
    )
    rates.add_argument(
        "--all-sources", action="store_true", help="with --history: every source's figures"
    )
    rates.add_argument("--json", action="store_true", help="print JSON")
    rates.set_defaults(handler=_lazy("bot.fetch_commands:cmd_rates"))

    fetch = sub.add_parser(
        "fetch",
        help="fetch the news feeds and banks once",
        description="Examples: newsbot fetch; newsbot fetch --source cbr --since 2026-04-01",
    )
    fetch.add_argument("--source", metavar="NAME", help="only this source (see newsbot sources)")
    fetch.add_argument(
        "--since",
        type=_lazy("bot.fetch_commands:backfill_date"),
        metavar="YYYY-MM-DD",
        help="backfill bank rates day by day from this date (NBKR: today only)",
    )
    fetch.set_defaults(handler=_lazy("bot.fetch_commands:cmd_fetch"))

    sources = sub.add_parser("sources", help="every source with its last fetch and errors")
    sources.add_argument("--json", action="store_true", help="print JSON")
    sources.set_defaults(handler=_lazy("bot.fetch_commands:cmd_sources"))

    convert = sub.add_parser(
        "convert",
        help="convert an amount",
        usage='newsbot convert [-h] [--json] AMOUNT FROM [TO] | "TEXT"',
        description="Convert an amount through USD at the current official rates. "
        'Examples: newsbot convert 100 usd kzt; newsbot convert "1 000,50 KZT UZS"; '
        'newsbot convert "100 долларов в тенге"; newsbot convert 100 usd (no TO: into '
        "USD, KZT, KGS, UZS, TJS, TMT, RUB, EUR and CNY, as the bot answers)",
    )
    convert.add_argument(
        "words",
        nargs="+",
        metavar="AMOUNT FROM [TO]",
        help="an amount and currencies as codes, symbols or words in any of the seven "
        "languages, as separate words or one quoted text",
    )
    convert.add_argument("--json", action="store_true", help="print JSON")
    convert.set_defaults(handler=_lazy("bot.cli_commands:cmd_convert"))

    digest = sub.add_parser("digest", help="daily digests")
    digest_sub = digest.add_subparsers(
        dest="digest_command", metavar="ACTION", parser_class=_Parser
    )
    digest_sub.required = True
    run_due = digest_sub.add_parser(
        "run-due",
        help="send every digest that is due, once (for cron and tests; needs BOT_TOKEN)",
        description="Examples: newsbot digest run-due; "
        "newsbot digest run-due --now 2026-11-28T09:00:00+05:00",
    )
    run_due.add_argument(
        "--now",
        type=_lazy("bot.digest_command:moment"),
        metavar="ISO8601",
        help="pretend it is this moment (default: now); without an offset, in TIMEZONE",
    )
    run_due.set_defaults(handler=_lazy("bot.digest_command:cmd_digest_run_due"), skip_teardown=True)

    follow = add_run_due_command(
        sub, "follow", "bot.topic_notices:topic_kind", help="followed topics (/follow)"
    )
    listing = follow.add_parser(
        "list",
        help="every followed topic with its chat, stopped ones too",
        description="Examples: newsbot follow list; newsbot follow list --json",
    )
    listing.add_argument("--json", action="store_true", help="print JSON")
    listing.set_defaults(handler=_lazy("bot.follow_command:cmd_follow_list"))
    # `newsbot alerts run-due` (bot.notice_command) and `newsbot alerts list`.
    alerts = add_run_due_command(
        sub, "alerts", "bot.alerts:alert_kind", help="rate alerts (list, run-due)"
    )
    alerts_list = alerts.add_parser(
        "list",
        help="every chat's alerts, for operators",
        description="Examples: newsbot alerts list; newsbot alerts list --json",
    )
    alerts_list.add_argument("--json", action="store_true", help="print JSON")
    alerts_list.set_defaults(handler=_lazy("bot.alerts:cmd_alerts_list"))

    db = sub.add_parser("db", help="database maintenance")
    db_sub = db.add_subparsers(dest="db_command", metavar="ACTION", parser_class=_Parser)
    db_sub.required = True
    upgrade = db_sub.add_parser("upgrade", help="bring the schema to the newest version")
    upgrade.set_defaults(handler=_lazy("bot.cli_commands:cmd_db_upgrade"))
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
    # Imported here, not at the top: opening the store pulls in SQLAlchemy and Alembic,
    # which `newsbot --help` does not need.
    from bot.cli_commands import CommandError
    from bot.store import StoreUnavailable

    try:
        code = asyncio.run(handler(args, settings))
    except (StoreUnavailable, CommandError) as exc:
        print(f"newsbot: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader (`| head`) went away: stop quietly, and keep Python's exit-time
        # flush of stdout from raising again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    if argv is None and getattr(args, "skip_teardown", False):
        exit_now(code)
    return code


def exit_now(code: int) -> None:
    """End the process at once, after flushing the log and the output.

    For the cron commands (``run-due``): Python's own teardown of the modules a pass loaded
    (SQLAlchemy, PTB, pydantic) takes 0.3-1 s on a busy machine, time a cron run or the
    next pass waits for and nothing needs: the pass has committed and closed everything.
    """
    logging.shutdown()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:
        code = code or 1
    os._exit(code)
