"""The notice kinds of an Application: which features deliver notices (``bot.notices``).

Extension point: a feature describes its notices once as a ``NoticeKind`` (name, composer,
hooks for a chat that is gone or moved, an optional detector of new events) and registers
it where the Application is built::

    register_notice_kind(app, ALERTS)

``newsbot run`` then runs a pass of every registered kind a second after each minute and
after each fetch (``bot.notice_job``), and ``bot.notice_command`` gives the kind a
``newsbot <kind> run-due``. Kinds are kept per Application, so tests build as many as they
like side by side.
"""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import InlineKeyboardMarkup
from telegram.ext import Application

from storage.notices import MAX_KIND_CHARS, ChatNotices


@dataclass(frozen=True, slots=True)
class OutgoingNotice:
    """One message a composer wants sent.

    Attributes:
        html: Telegram HTML, escaped, 1-4096 characters.
        notice_ids: The claimed notices it delivers.
        keyboard: An inline keyboard under it, or None.
    """

    html: str
    notice_ids: tuple[int, ...]
    keyboard: InlineKeyboardMarkup | None = None


Composer = Callable[[AsyncSession, ChatNotices, datetime], Awaitable[Sequence[OutgoingNotice]]]
UnreachableHook = Callable[[AsyncSession, int, datetime], Awaitable[None]]
MigratedHook = Callable[[AsyncSession, int, int], Awaitable[None]]
Detector = Callable[[AsyncSession, datetime], Awaitable[int]]


@dataclass(frozen=True, slots=True)
class NoticeKind:
    """A feature's notices: how to word them and what to do when a chat goes or moves.

    Attributes:
        name: The ``kind`` of its rows, 1-32 characters ("alert", "topic").
        compose: A chat's claimed notices → the messages to send (see the module docstring).
        on_unreachable: Stops the feature for a chat that blocked the bot or is gone.
        on_migrated: Moves the feature's rows of a group that became a supergroup.
        detect: Finds new events and enqueues their notices; how many it added.
    """

    name: str
    compose: Composer
    on_unreachable: UnreachableHook | None = None
    on_migrated: MigratedHook | None = None
    detect: Detector | None = None


@dataclass
class NoticeKinds:
    """The kinds registered on one Application, and a signal that new events may be there.

    Attributes:
        kinds: By name, in the order they were registered.
        wake: Set after a fetch, so the notice job runs its passes before the next minute.
    """

    kinds: dict[str, NoticeKind] = field(default_factory=dict)
    wake: asyncio.Event = field(default_factory=asyncio.Event)


_REGISTRIES: weakref.WeakKeyDictionary[Application, NoticeKinds] = weakref.WeakKeyDictionary()  # type: ignore[type-arg]


def notice_kinds(app: Application) -> NoticeKinds:  # type: ignore[type-arg]
    """The notice kinds of ``app`` (none until a feature registers one)."""
    registry = _REGISTRIES.get(app)
    if registry is None:
        registry = _REGISTRIES[app] = NoticeKinds()
    return registry


def register_notice_kind(app: Application, kind: NoticeKind) -> None:  # type: ignore[type-arg]
    """Deliver ``kind``'s notices in ``newsbot run`` of ``app``.

    Raises:
        ValueError: a name that is empty, too long, or registered already.
    """
    registry = notice_kinds(app)
    if not 0 < len(kind.name) <= MAX_KIND_CHARS or kind.name in registry.kinds:
        raise ValueError(f"notice kind {kind.name!r}: empty, too long or registered twice")
    registry.kinds[kind.name] = kind


def wake_notices(app: Application) -> None:  # type: ignore[type-arg]
    """New data arrived (a fetch finished): run the notice passes now, not next minute."""
    notice_kinds(app).wake.set()
