"""``newsbot digest run-due``: one delivery pass from the command line, for cron and tests."""

from __future__ import annotations

import argparse
from datetime import datetime

from bot.settings import Settings

MIN_YEAR, MAX_YEAR = 2000, 2200


def moment(text: str) -> datetime:
    """An ISO 8601 moment for ``--now``: ``2026-11-28T09:00+05:00``, ``...Z`` or without an
    offset (then read in TIMEZONE by the command).

    Raises:
        argparse.ArgumentTypeError: not such a moment, or outside the years 2000-2200.
    """
    cleaned = text.strip()
    # ASCII only: fromisoformat would take other scripts' digits, which nobody means here.
    if not cleaned or len(cleaned) > 40 or not cleaned.isascii():
        raise argparse.ArgumentTypeError(
            f"not an ISO 8601 moment: {text[:40]!r} (e.g. 2026-11-28T09:00:00+05:00)"
        )
    try:
        value = datetime.fromisoformat(cleaned.replace("z", "Z"))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"not an ISO 8601 moment: {text[:40]!r} (e.g. 2026-11-28T09:00:00+05:00)"
        ) from None
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        raise argparse.ArgumentTypeError(
            f"the year must be between {MIN_YEAR} and {MAX_YEAR} (e.g. 2026-11-28T09:00:00+05:00)"
        )
    return value


async def cmd_digest_run_due(args: argparse.Namespace, settings: Settings) -> int:
    """Send every digest due at ``--now`` (default: now) and print what happened.

    Exit code 0 when the pass ran, whatever Telegram answered for single chats (those are
    in the summary line and the log); 2 when it cannot run at all (no token, no store).
    """
    from bot.cron_bot import run_round
    from bot.digests import run_due_pass

    return await run_round(settings, "digests", args.now, run_due_pass)
