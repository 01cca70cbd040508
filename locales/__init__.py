"""Translations of user-visible strings, one gettext catalog per language.

Handlers and renderers mark every string a person reads with ``_()`` (and plurals with
``ngettext``). The language is per update: ``use_language`` sets it for the running
task (a ``ContextVar``, so concurrent updates in other chats keep their own), and
``_`` looks the string up in that language's catalog. Catalogs live in
``locales/<lang>/LC_MESSAGES/newsbot.mo``; a language without one falls back to the
English source strings through ``gettext.NullTranslations``.
"""

from __future__ import annotations

import gettext as _gettext
from contextvars import ContextVar
from functools import cache
from pathlib import Path

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


@cache
def translation(lang: str) -> _gettext.NullTranslations:
    """The catalog of ``lang``; English source strings when it has none yet."""
    return _gettext.translation(DOMAIN, localedir=LOCALE_DIR, languages=[lang], fallback=True)


def use_language(lang: str) -> None:
    """Make ``lang`` the language of the running update (task-local)."""
    _current.set(supported_language(lang) or DEFAULT_LANGUAGE)


def current_language() -> str:
    """The language the running update is answered in."""
    return _current.get()


def _(message: str) -> str:
    """Translate ``message`` into the running update's language."""
    return translation(_current.get()).gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """Translate a message with a count, choosing the plural form of the language."""
    return translation(_current.get()).ngettext(singular, plural, count)
