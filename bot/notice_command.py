"""``newsbot <kind> run-due``: one round of a notice kind from the command line (cron, tests).

Extension point: a feature offers the command with one call in ``bot.cli.build_parser``::

    actions = add_run_due_command(sub, "alert", "bot.alerts:ALERTS", help="rate alerts")

``"module:name"`` names the feature's ``NoticeKind``, or a function of the settings that
returns it; it is imported only when the command runs, so ``newsbot --help`` stays quick.
The returned subparsers take the feature's other actions (``list``, ...).
"""

from __future__ import annotations

import argparse
import importlib
from typing import TYPE_CHECKING, Any

from bot.digest_command import moment
from bot.settings import Settings

if TYPE_CHECKING:
    from datetime import datetime

    from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

    from bot.bulk_send import HtmlSender
    from bot.notices import NoticeReport


def add_run_due_command(
    commands: Any, command: str, kind_target: str, *, help: str
) -> argparse._SubParsersAction[argparse.ArgumentParser]:
    """Add ``newsbot <command> run-due [--now ISO8601]`` to the CLI's subcommands.

    Args:
        commands: The subparsers of ``newsbot`` (``build_parser``'s ``sub``).
        command: The feature's command word ("alert", "follow").
        kind_target: ``"module:name"`` of its ``NoticeKind`` (or of a function of the
            ``Settings`` returning one).
        help: One line for ``newsbot --help``.

    Returns:
        The feature's subparsers, for its other actions.
    """
    parser = commands.add_parser(command, help=help)
    actions: argparse._SubParsersAction[argparse.ArgumentParser] = parser.add_subparsers(
        dest=f"{command}_command", metavar="ACTION", parser_class=type(parser)
    )
    actions.required = True
    run_due = actions.add_parser(
        "run-due",
        help=f"detect and send every {command} notice that is due, once (needs BOT_TOKEN)",
        description=f"Examples: newsbot {command} run-due; "
        f"newsbot {command} run-due --now 2026-11-28T09:00:00+05:00",
    )
    run_due.add_argument(
        "--now",
        type=moment,
        metavar="ISO8601",
        help="pretend it is this moment (default: now); without an offset, in TIMEZONE",
    )
    # skip_teardown: bot.cli.main ends a cron round without Python's slow module teardown.
    run_due.set_defaults(handler=cmd_notices_run_due, notice_kind=kind_target, skip_teardown=True)
    return actions


def load_kind(target: str, settings: Settings) -> Any:
    """The ``NoticeKind`` that ``"module:name"`` names (called with ``settings`` when it is a
    function)."""
    from bot.notice_kinds import NoticeKind

    module, _sep, name = target.partition(":")
    found = getattr(importlib.import_module(module), name)
    kind = found if isinstance(found, NoticeKind) else found(settings)
    if not isinstance(kind, NoticeKind):
        raise TypeError(f"{target} is not a NoticeKind")
    return kind


async def cmd_notices_run_due(args: argparse.Namespace, settings: Settings) -> int:
    """Run one round of the kind (detect, then send) at ``--now`` and print what happened.

    Exit code 0 when the round ran, whatever Telegram answered for single chats; 2 when it
    cannot run at all (no token, no store, Telegram unreachable).
    """
    from bot.cron_bot import run_round
    from bot.notice_job import run_kind_once

    kind = load_kind(args.notice_kind, settings)

    async def one_round(
        sessions: async_sessionmaker[AsyncSession],
        send: HtmlSender,
        now: datetime,
        **defaults: Any,
    ) -> NoticeReport:
        return await run_kind_once(sessions, kind, send, now, **defaults)

    return await run_round(settings, "notices", args.now, one_round)
