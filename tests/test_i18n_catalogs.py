"""The gettext catalogs: complete, faithful to the source strings, plurals as CLDR counts.

These read the ``.po`` files as translators leave them and the strings as the code marks
them today (extracted in memory with Babel, the way ``dev.py i18n`` does), so a string
added to a handler and not yet translated fails here.
"""

from __future__ import annotations

import ast
import gettext
import re
from functools import cache
from pathlib import Path

import pytest
from babel import Locale
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from locales import DEFAULT_LANGUAGE, LANGUAGES, LOCALE_DIR, catalog_path, translation
from views.formatting import babel_locale

ROOT = Path(__file__).resolve().parent.parent
TRANSLATED = [lang for lang in LANGUAGES if lang != DEFAULT_LANGUAGE]
KEYWORDS = {"_": None, "ngettext": (1, 2), "N_": None}
PLACEHOLDER = re.compile(r"\{(\w*)[^{}]*\}")
# CLDR's order of plural categories; gettext numbers a language's forms in this order.
CLDR_ORDER = ("zero", "one", "two", "few", "many", "other")
COUNTS = (0, 1, 2, 3, 5, 11, 12, 21, 22, 25, 101, 111)


def _method_map() -> list[tuple[str, str]]:
    """The ``[python: pattern]`` sections of babel.cfg, as Babel's extractor wants them."""
    sections = re.findall(r"^\[(\w+):\s*(.+?)\]\s*$", (ROOT / "babel.cfg").read_text(), re.M)
    return [(pattern, method) for method, pattern in sections]


@cache
def source_ids() -> frozenset[str | tuple[str, str]]:
    """Every message id the code marks today (a pair for plural messages)."""
    found: set[str | tuple[str, str]] = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(ROOT), _method_map(), keywords=KEYWORDS
    ):
        if isinstance(message, tuple):
            found.add((message[0], message[1]))
        elif message:
            found.add(message)
    return frozenset(found)


@cache
def load(path: Path, lang: str | None = None) -> Catalog:
    with path.open("rb") as source:
        return read_po(source, locale=lang)


def _ids(message: Message) -> tuple[str, ...]:
    """The source strings of a message: one, or singular and plural."""
    return (message.id,) if isinstance(message.id, str) else tuple(message.id)


def _forms(message: Message) -> tuple[str, ...]:
    """The translations of a message: one, or one per plural form ("" when missing)."""
    if isinstance(message.string, str):
        return (message.string,)
    return tuple(form or "" for form in message.string or ())


def _key(message: Message) -> str | tuple[str, str]:
    ids = _ids(message)
    return (ids[0], ids[1]) if len(ids) > 1 else ids[0]


def placeholders(text: str) -> set[str]:
    """The named ``str.format`` fields of a string."""
    return set(PLACEHOLDER.findall(text))


def test_the_code_marks_strings_and_babel_cfg_covers_the_handlers() -> None:
    ids = source_ids()
    assert "Official rates per 1 USD" in ids
    assert any(isinstance(message, tuple) for message in ids), "no plural message found"


def test_the_template_is_up_to_date_with_the_code() -> None:
    template = load(LOCALE_DIR / "newsbot.pot")
    in_template = {_key(message) for message in template if message.id}
    missing = sorted(map(str, source_ids() - in_template))
    unused = sorted(map(str, in_template - source_ids()))
    assert not missing, f"run `python3 dev.py i18n`: {len(missing)} missing, e.g. {missing[:3]}"
    assert not unused, f"run `python3 dev.py i18n`: {len(unused)} unused, e.g. {unused[:3]}"


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_source_string_is_translated(lang: str) -> None:
    catalog = load(catalog_path(lang), lang)
    by_key = {_key(message): message for message in catalog if message.id}
    missing = sorted(str(key) for key in source_ids() if key not in by_key)
    assert not missing, f"{lang}: {len(missing)} strings not in the catalog, e.g. {missing[:3]}"
    untranslated = []
    for key in source_ids():
        message = by_key[key]
        forms = _forms(message)
        if not all(forms) or len(forms) != (catalog.num_plurals if message.pluralizable else 1):
            untranslated.append(str(key))
    assert not untranslated, (
        f"{lang}: {len(untranslated)} untranslated, e.g. {sorted(untranslated)[:3]}"
    )


@pytest.mark.parametrize("lang", TRANSLATED)
def test_no_fuzzy_or_obsolete_entries(lang: str) -> None:
    catalog = load(catalog_path(lang), lang)
    fuzzy = [str(message.id) for message in catalog if message.id and message.fuzzy]
    assert not fuzzy, f"{lang}: fuzzy entries are shown in English: {fuzzy[:3]}"
    assert not catalog.obsolete, f"{lang}: obsolete entries: {list(catalog.obsolete)[:3]}"


@pytest.mark.parametrize("lang", TRANSLATED)
def test_placeholders_are_those_of_the_source(lang: str) -> None:
    wrong = []
    for message in load(catalog_path(lang), lang):
        if not message.id:
            continue
        sources = _ids(message)
        expected = placeholders(sources[-1])
        for form in _forms(message):
            if form and placeholders(form) != expected:
                wrong.append(f"{sources[0]!r}: {form!r}")
    assert not wrong, f"{lang}: placeholders differ from the source: {wrong[:3]}"


def _integer_categories(locale: Locale) -> list[str]:
    """The plural categories whole numbers fall into, in CLDR (and gettext) order."""
    seen = {locale.plural_form(n) for n in range(0, 1001)}
    return [category for category in CLDR_ORDER if category in seen]


@pytest.mark.parametrize("lang", TRANSLATED)
def test_plural_forms_choose_the_cldr_category(lang: str) -> None:
    catalog = load(catalog_path(lang), lang)
    locale = babel_locale(lang)
    categories = _integer_categories(locale)
    match = re.search(r"plural=(.+?);?\s*$", catalog.plural_forms)
    assert match, catalog.plural_forms
    choose = gettext.c2py(match.group(1))
    assert catalog.num_plurals == len(categories), (lang, catalog.plural_forms, categories)
    for count in COUNTS:
        form = choose(count)
        assert categories[form] == locale.plural_form(count), (lang, count, catalog.plural_forms)


def test_plural_examples_for_russian_follow_one_few_many() -> None:
    locale = babel_locale("ru")
    assert [locale.plural_form(n) for n in (1, 2, 5, 11, 21)] == [
        "one",
        "few",
        "many",
        "many",
        "one",
    ]


@pytest.mark.parametrize("lang", TRANSLATED)
@pytest.mark.parametrize("count", [0, 1, 2, 5, 11, 21])
def test_translated_plurals_pick_the_form_of_the_count(lang: str, count: int) -> None:
    catalog = load(catalog_path(lang), lang)
    match = re.search(r"plural=(.+?);?\s*$", catalog.plural_forms)
    assert match, catalog.plural_forms
    form = gettext.c2py(match.group(1))(count)
    compiled = translation(lang)
    for message in catalog:
        if not (message.id and message.pluralizable and all(_forms(message))):
            continue
        singular, plural = _ids(message)[:2]
        expected = _forms(message)[form]
        assert compiled.ngettext(singular, plural, count) == expected, (lang, count, singular)


def _calls_inside_fstrings(path: Path) -> list[str]:
    """``_()``/``ngettext()`` calls written inside an f-string (pybabel never sees them)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.JoinedStr):
            continue
        for inner in ast.walk(node):
            if (
                isinstance(inner, ast.Call)
                and isinstance(inner.func, ast.Name)
                and inner.func.id in KEYWORDS
            ):
                found.append(f"{path.relative_to(ROOT)}:{inner.lineno}")
    return found


def test_no_translated_string_hides_inside_an_f_string() -> None:
    """A ``_('...')`` inside an f-string is shown in English forever: it is never extracted."""
    files = sorted((ROOT / "handlers").glob("**/*.py")) + sorted((ROOT / "bot").glob("**/*.py"))
    hidden = [where for path in files for where in _calls_inside_fstrings(path)]
    assert not hidden, f"move these out of their f-strings: {hidden}"
