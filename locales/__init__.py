"""Translations of user-visible strings, one gettext catalog per language.

Handlers and renderers mark every string a person reads with ``_()`` (and plurals with
``ngettext``). The language is per update: ``use_language`` sets it for the running
task (a ``ContextVar``, so concurrent updates in other chats keep their own), and
``_`` looks the string up in that language's catalog.

Catalogs are the Babel-managed ``locales/<lang>/LC_MESSAGES/newsbot.po`` files (``python3
dev.py i18n`` extracts and merges them). They are compiled in memory the first time a
language is used, so there is no build step and no ``.mo`` file to forget; a string
missing from a catalog (or marked fuzzy) is shown in English.
"""

from __future__ import annotations

import gettext as _gettext
import io
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

DOMAIN = "newsbot"
LOCALE_DIR = Path(__file__).parent
LANGUAGES: tuple[str, ...] = ("en", "ru", "kk", "uz", "ky", "tg", "tk")
DEFAULT_LANGUAGE = "en"

# Each language named in itself: what a person looks for in a language menu.
NATIVE_NAMES: dict[str, str] = {
    "en": "English",
    "ru": "Русский",
    "kk": "Қазақша",
    "uz": "Oʻzbekcha",
    "ky": "Кыргызча",
    "tg": "Тоҷикӣ",
    "tk": "Türkmençe",
}

_current: ContextVar[str] = ContextVar("newsbot_language", default=DEFAULT_LANGUAGE)


def supported_language(code: str | None) -> str | None:
    """The supported language for a code such as ``ru`` or ``ru-RU``, or None."""
    if not code:
        return None
    base = code.replace("_", "-").split("-")[0].lower()
    return base if base in LANGUAGES else None


def catalog_path(lang: str) -> Path:
    """Where the gettext catalog of ``lang`` lives."""
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def translation(lang: str) -> _gettext.NullTranslations:
    """The catalog of ``lang``, compiled from its ``.po``; English source strings without one."""
    path = catalog_path(lang)
    if lang == DEFAULT_LANGUAGE or not path.is_file():
        return _gettext.NullTranslations()
    with path.open("rb") as source:
        catalog = read_po(source, locale=lang, domain=DOMAIN)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)  # fuzzy entries are left out, so they show in English
    compiled.seek(0)
    return _gettext.GNUTranslations(compiled)


def use_language(lang: str) -> None:
    """Make ``lang`` the language of the running update (task-local)."""
    _current.set(supported_language(lang) or DEFAULT_LANGUAGE)


@contextmanager
def in_language(lang: str) -> Iterator[None]:
    """Run a block in ``lang`` (start-up work such as the command menus), then restore."""
    token = _current.set(supported_language(lang) or DEFAULT_LANGUAGE)
    try:
        yield
    finally:
        _current.reset(token)


def current_language() -> str:
    """The language the running update is answered in."""
    return _current.get()


def _(message: str) -> str:
    """Translate ``message`` into the running update's language."""
    return translation(_current.get()).gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """Translate a message with a count, choosing the plural form of the language."""
    return translation(_current.get()).ngettext(singular, plural, count)
