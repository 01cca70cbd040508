"""The sources file: which feeds, pages and banks to fetch, and how often.

A ``[[sources]]`` table per source (see ``sources/sources.toml``, bundled)::

    [[sources]]
    name = "timesca"
    kind = "feed"            # feed | page | nbk | nbkr | cbu | nbt | cbt | cbr
    url = "https://timesca.com/feed/"
    lang = "en"
    countries = []
    every = "15m"            # default: 15m for feeds and pages, 1h for banks

A bad file is refused whole with one line naming the source and the field.
"""

from __future__ import annotations

import re
import string
import tomllib
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from core.plain_text import normalize_lang
from sources.banks import BANKS

__all__ = [
    "BANK_ZONES",
    "BUNDLED_SOURCES",
    "HISTORY_BANKS",
    "KINDS",
    "CatalogError",
    "SourceSpec",
    "bank_today",
    "load_catalog",
    "parse_every",
    "source_url",
]

BUNDLED_SOURCES = Path(__file__).with_name("sources.toml")
KINDS: tuple[str, ...] = ("feed", "page", *BANKS)
# Banks whose archive answers for any past day; NBKR publishes only the current files.
HISTORY_BANKS = frozenset({"nbk", "cbu", "nbt", "cbt", "cbr"})
# "Today" for a bank is its own calendar day: Almaty's morning is still yesterday in Moscow.
BANK_ZONES: dict[str, ZoneInfo] = {
    "nbk": ZoneInfo("Asia/Almaty"),
    "nbkr": ZoneInfo("Asia/Bishkek"),
    "cbu": ZoneInfo("Asia/Tashkent"),
    "nbt": ZoneInfo("Asia/Dushanbe"),
    "cbt": ZoneInfo("Asia/Ashgabat"),
    "cbr": ZoneInfo("Europe/Moscow"),
}
_DEFAULT_EVERY = {"feed": timedelta(minutes=15), "page": timedelta(minutes=15)}
_BANK_EVERY = timedelta(hours=1)
_MIN_EVERY = timedelta(minutes=1)
_MAX_EVERY = timedelta(days=7)
_NAME = re.compile(r"[a-z0-9][a-z0-9_-]{0,31}")
_EVERY = re.compile(r"\s*(\d{1,6})\s*(s|m|h|d)\s*")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}
_COUNTRY = re.compile(r"[A-Z]{2}")
_KNOWN_FIELDS = frozenset({"name", "kind", "url", "lang", "countries", "every"})
_MAX_SOURCES = 500
# A sources file is written by hand; anything this large is the wrong file.
_MAX_FILE_BYTES = 1024 * 1024


class CatalogError(ValueError):
    """The sources file cannot be used; the message is one line naming what is wrong."""


@dataclass(frozen=True, slots=True)
class SourceSpec:
    """One source from the sources file.

    Attributes:
        name: Unique short name; stories and fetch state are kept under it.
        kind: ``feed``, ``page`` or a bank (``nbk`` ... ``cbr``).
        url: The address; a bank URL may hold ``{date:FORMAT}``.
        lang: ISO 639-1 code for entries that do not say their language, or None.
        countries: ISO codes added to every story of this source.
        every: How often the schedule fetches it.
    """

    name: str
    kind: str
    url: str
    lang: str | None
    countries: tuple[str, ...]
    every: timedelta

    @property
    def is_bank(self) -> bool:
        """True for the six central banks."""
        return self.kind in BANKS

    @property
    def is_dated(self) -> bool:
        """True when the URL names the day it asks for (``{date:...}``)."""
        return "{date" in self.url

    @property
    def has_history(self) -> bool:
        """True when ``--since`` can ask this source for past days."""
        return self.is_dated and self.kind in HISTORY_BANKS


def parse_every(text: str) -> timedelta:
    """Read an interval such as ``90s``, ``15m``, ``1h`` or ``1d``.

    Raises:
        ValueError: Not a number and a unit, or outside 1 minute .. 7 days.
    """
    match = _EVERY.fullmatch(text)
    if match is None:
        raise ValueError(f"{text[:40]!r} is not an interval; write e.g. 15m, 1h or 1d")
    value = timedelta(**{_UNITS[match.group(2)]: int(match.group(1))})
    if not _MIN_EVERY <= value <= _MAX_EVERY:
        raise ValueError(f"{text.strip()!r} is outside 1m .. 7d")
    return value


def bank_today(kind: str, now: datetime) -> date:
    """The calendar day at the bank ``kind`` (UTC for feeds and pages) at ``now``."""
    zone = BANK_ZONES.get(kind)
    return now.astimezone(zone).date() if zone else now.date()


def source_url(spec: SourceSpec, day: date) -> str:
    """The URL to fetch for ``day``: ``{date:%d.%m.%Y}`` and the like filled in."""
    return spec.url.format(date=day) if spec.is_dated else spec.url


def _check_url(url: str, kind: str) -> str | None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return "must be an http:// or https:// address"
    fields = _template_fields(url)
    if fields is None:
        return "has unbalanced braces; write a date as {date:%d.%m.%Y}"
    if fields - {"date"}:
        return f"only {{date:...}} may be filled in, not {{{sorted(fields - {'date'})[0]}}}"
    if fields and kind not in BANKS:
        return "only bank URLs may hold {date:...}"
    if fields:
        try:
            url.format(date=date(2026, 1, 31))
        except (ValueError, IndexError, KeyError) as exc:
            return f"the date placeholder does not work: {exc}"
    return None


def _template_fields(url: str) -> set[str] | None:
    try:
        return {field for _, field, _, _ in string.Formatter().parse(url) if field is not None}
    except ValueError:
        return None


def _spec(table: object, number: int, seen: set[str]) -> SourceSpec:
    where = f"source {number}"
    if not isinstance(table, dict):
        raise CatalogError(f"{where}: must be a [[sources]] table")
    name = table.get("name")
    if not isinstance(name, str) or not _NAME.fullmatch(name):
        raise CatalogError(
            f"{where}: name must be 1-32 lower-case letters, digits, - or _ (e.g. timesca)"
        )
    where = f"source {name!r}"
    if name in seen:
        raise CatalogError(f"{where}: name is used twice")
    unknown = sorted(set(table) - _KNOWN_FIELDS)
    if unknown:
        raise CatalogError(f"{where}: unknown field {unknown[0]!r}")
    kind = table.get("kind")
    if kind not in KINDS:
        raise CatalogError(f"{where}: kind must be one of {', '.join(KINDS)}")
    url = table.get("url")
    if not isinstance(url, str):
        raise CatalogError(f'{where}: url is missing (e.g. url = "https://timesca.com/feed/")')
    problem = _check_url(url, kind)
    if problem:
        raise CatalogError(f"{where}: url {problem}")
    raw_lang = table.get("lang")
    lang = normalize_lang(raw_lang) if isinstance(raw_lang, str) else None
    if raw_lang is not None and lang is None:
        raise CatalogError(f"{where}: lang must be a language code such as en, ru or kk")
    countries = table.get("countries", [])
    if not isinstance(countries, list) or not all(
        isinstance(code, str) and _COUNTRY.fullmatch(code) for code in countries
    ):
        raise CatalogError(f'{where}: countries must be a list of codes such as ["KZ"]')
    every_text = table.get("every")
    if every_text is None:
        every = _DEFAULT_EVERY.get(kind, _BANK_EVERY)
    elif not isinstance(every_text, str):
        raise CatalogError(f'{where}: every must be a string such as "15m"')
    else:
        try:
            every = parse_every(every_text)
        except ValueError as exc:
            raise CatalogError(f"{where}: every {exc}") from None
    return SourceSpec(name, kind, url, lang, tuple(dict.fromkeys(countries)), every)


def load_catalog(path: Path | None = None) -> list[SourceSpec]:
    """Read and check a sources file.

    Args:
        path: The file (``SOURCES_FILE``); None reads the bundled ``sources.toml``.

    Returns:
        The sources in file order.

    Raises:
        CatalogError: Unreadable TOML, no sources, or a bad field; the message names
            the file, the source and the field.
    """
    path = path or BUNDLED_SOURCES
    try:
        if path.stat().st_size > _MAX_FILE_BYTES:
            raise CatalogError(f"{path}: larger than {_MAX_FILE_BYTES // 1024} KB")
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise CatalogError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise CatalogError(f"{path}: not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise CatalogError(f"{path}: not valid TOML: {exc}") from None
    tables = document.get("sources")
    if not isinstance(tables, list) or not tables:
        raise CatalogError(f"{path}: no [[sources]] tables")
    if len(tables) > _MAX_SOURCES:
        raise CatalogError(f"{path}: more than {_MAX_SOURCES} sources")
    specs: list[SourceSpec] = []
    seen: set[str] = set()
    for number, table in enumerate(tables, start=1):
        try:
            spec = _spec(table, number, seen)
        except CatalogError as exc:
            raise CatalogError(f"{path}: {exc}") from None
        seen.add(spec.name)
        specs.append(spec)
    return specs
