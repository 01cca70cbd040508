"""Callback data of every inline button: its prefix, pattern, and how it is built and read.

The data is a wire format: buttons already sent to chats carry it for as long as the
messages live, so a kind's strings never change shape. ``bot.app`` routes buttons with
these patterns, views and handlers build data with ``build``, and handlers read it with
``parse``. The module sits in ``views`` because views build buttons too (alerts, follow)
and may not import handlers.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Generic, Literal, TypeVar, cast

from views.keyboards import callback_data

T = TypeVar("T")

MenuChoice = Literal["rates", "news", "countries"]
SettingsChoice = Literal["lang", "tz", "time", "cty", "main"]
Switch = Literal["on", "off"]


@dataclass(frozen=True)
class ButtonKind(Generic[T]):
    """One kind of button: data is ``prefix:fields``, matched by ``pattern``.

    ``fields`` is the regex after the prefix, its groups capturing the values; ``write``
    gives the text after the prefix for a value, ``read`` the value of a match.
    """

    prefix: str
    fields: str
    write: Callable[[T], str]
    read: Callable[[re.Match[str]], T]
    pattern: re.Pattern[str] = field(init=False)

    def __post_init__(self) -> None:
        # "$", as the patterns always had, so exactly the same data reaches each handler.
        pattern = re.compile(f"^{re.escape(self.prefix)}:{self.fields}$")
        object.__setattr__(self, "pattern", pattern)

    def build(self, value: T) -> str:
        """The callback data for ``value``.

        Raises:
            ValueError: the data would be longer than Telegram's 64 bytes.
        """
        return callback_data(f"{self.prefix}:{self.write(value)}")

    def parse(self, data: str) -> T | None:
        """The value ``data`` carries; None when it is not data of this kind."""
        match = self.pattern.match(data)
        return None if match is None else self.read(match)


def one_of(*kinds: ButtonKind[Any]) -> re.Pattern[str]:
    """A pattern matching the data of any of ``kinds`` (one handler for several kinds)."""
    bodies = "|".join(f"{re.escape(kind.prefix)}:{kind.fields}" for kind in kinds)
    return re.compile(f"^(?:{bodies})$")


@dataclass(frozen=True)
class ChartButton:
    """A chart of ``currency`` per 1 USD over ``period`` (7d, 30d, 90d, 1y)."""

    currency: str
    period: str


@dataclass(frozen=True)
class ConvertButton:
    """A conversion of a whole ``amount`` of ``source`` into ``target``."""

    amount: int
    source: str
    target: str


@dataclass(frozen=True)
class NewsPage:
    """The page of newest stories from ``offset``, about ``country`` when not None."""

    offset: int
    country: str | None = None


@dataclass(frozen=True)
class CountryPage:
    """More of ``country``'s stories, from ``offset`` (under its brief)."""

    country: str
    offset: int


# The greeting's three buttons (handlers.start).
MENU = ButtonKind[MenuChoice](
    "menu", "(rates|news|countries)", str, lambda m: cast(MenuChoice, m[1])
)
# Under the rates, a fired alert and another chart.
CHART = ButtonKind[ChartButton](
    "chart",
    "([A-Z]{3}):(7d|30d|90d|1y)",
    lambda v: f"{v.currency}:{v.period}",
    lambda m: ChartButton(m[1], m[2]),
)
# "100 USD → KZT" under the rates.
CONVERT = ButtonKind[ConvertButton](
    "conv",
    "([1-9][0-9]{0,5}):([A-Z]{3}):([A-Z]{3})",
    lambda v: f"{v.amount}:{v.source}:{v.target}",
    lambda m: ConvertButton(int(m[1]), m[2], m[3]),
)
# "Newer" and "Older" under /news; ":KZ" when the pages are a country's.
NEWS_PAGE = ButtonKind[NewsPage](
    "news",
    "([0-9]{1,5})(?::([A-Z]{2}))?",
    lambda v: f"{v.offset}:{v.country}" if v.country else str(v.offset),
    lambda m: NewsPage(int(m[1]), m[2]),
)
# "More stories" under a country's brief.
COUNTRY_MORE = ButtonKind[CountryPage](
    "cmore",
    "([A-Z]{2}):([0-9]{1,5})",
    lambda v: f"{v.country}:{v.offset}",
    lambda m: CountryPage(m[1], int(m[2])),
)
# The /country keyboard: a country code.
COUNTRY = ButtonKind[str]("country", "([A-Z]{2})", str, lambda m: m[1])
# Delete an alert by its id (under /alerts and a fired alert): "alert:del:17".
ALERT_DELETE = ButtonKind[int](
    "alert", "del:([0-9]{1,12})", lambda v: f"del:{v}", lambda m: int(m[1])
)
# /settings: open a choice, or go back to the settings ("main").
SETTINGS = ButtonKind[SettingsChoice](
    "set", "(lang|tz|time|cty|main)", str, lambda m: cast(SettingsChoice, m[1])
)
# The digest's time ("07:00"), a country to toggle, starting or stopping it.
DIGEST_TIME = ButtonKind[str]("dtime", "((?:[01][0-9]|2[0-3]):[0-5][0-9])", str, lambda m: m[1])
DIGEST_COUNTRY = ButtonKind[str]("dcty", "(KZ|KG|UZ|TJ|TM)", str, lambda m: m[1])
DIGEST_SWITCH = ButtonKind[Switch]("dsub", "(on|off)", str, lambda m: cast(Switch, m[1]))
# Stop a followed topic, and search for stories like a notice's, by id. Nine digits at
# most: the ids fit the database's integer columns.
UNFOLLOW = ButtonKind[int]("unf", "([1-9][0-9]{0,8})", str, lambda m: int(m[1]))
MORE_LIKE = ButtonKind[int]("flike", "([1-9][0-9]{0,8})", str, lambda m: int(m[1]))
# A language or a time zone picked from a keyboard.
LANGUAGE = ButtonKind[str]("lang", "([a-z]{2})", str, lambda m: m[1])
TIMEZONE = ButtonKind[str]("tz", "([A-Za-z_/+-]{1,40})", str, lambda m: m[1])

# One handler takes each of these groups of kinds.
DIGEST_BUTTONS = one_of(DIGEST_TIME, DIGEST_COUNTRY, DIGEST_SWITCH)
CHOICE_BUTTONS = one_of(LANGUAGE, TIMEZONE)

KINDS: tuple[ButtonKind[Any], ...] = (
    MENU,
    CHART,
    CONVERT,
    NEWS_PAGE,
    COUNTRY_MORE,
    COUNTRY,
    ALERT_DELETE,
    SETTINGS,
    DIGEST_TIME,
    DIGEST_COUNTRY,
    DIGEST_SWITCH,
    UNFOLLOW,
    MORE_LIKE,
    LANGUAGE,
    TIMEZONE,
)
