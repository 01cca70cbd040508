"""Language editions: the same story an outlet published in two or more languages.

Two stories of one outlet are editions of one story when their addresses differ only by a
language segment (``/ru/`` and ``/en/``, ``en.`` before the host, ``?lang=kk``), or when
they came out within ``EDITION_WINDOW`` of each other in different languages and carry
the same figures and the same names (transliterated, so "Tokayev" meets "Токаев").
"""

from __future__ import annotations

import dataclasses
import re
from datetime import timedelta
from typing import Final
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from core.types import Story

__all__ = [
    "EDITION_WINDOW",
    "LANGUAGE_SEGMENTS",
    "language_variants",
    "other_languages",
    "pick_edition",
    "same_news",
]

EDITION_WINDOW: Final = timedelta(minutes=30)
# How the region's outlets spell a language in their addresses (kun.uz writes "oz" for
# Uzbek in Cyrillic; many sites "kz", "kg", "tj", "tm" for the local language).
LANGUAGE_SEGMENTS: Final = frozenset(
    ("en", "ru", "kk", "kz", "uz", "oz", "ky", "kg", "tg", "tj", "tk", "tm", "qq")
)
_LANG_PARAMS: Final = frozenset(("lang", "language", "hl", "locale"))
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")
_WORD = re.compile(r"[^\W\d_]+")
_MIN_NAME = 4
_NAME_KEY = 4
_TRANSLIT: Final = str.maketrans(
    {
        **dict(zip("абвгдезиклмнопрстуфхцы", "abvgdeziklmnoprstufhcy", strict=True)),
        **dict(zip("әғқңөұүһіёйэюяжчшщ", "agqnouuhieieuyjcss", strict=True)),
        "ъ": "",
        "ь": "",
        # Latin spellings that vary between outlets: one letter each.
        "q": "k",
        "x": "h",
        "w": "v",
        "j": "i",
        "ʻ": "",
        "'": "",
    }
)


def _segment_swaps(parts: list[str], index: int) -> list[list[str]]:
    swaps = [[*parts[:index], code, *parts[index + 1 :]] for code in sorted(LANGUAGE_SEGMENTS)]
    swaps.append(parts[:index] + parts[index + 1 :])  # the default language has none
    return swaps


def language_variants(url: str) -> list[str]:
    """The addresses the same story would have in the other languages, or [] when ``url``
    carries no language segment."""
    parts = urlsplit(url)
    variants: list[str] = []
    host = parts.netloc.split(".")
    if len(host) > 2 and host[0] in LANGUAGE_SEGMENTS:
        for swapped in _segment_swaps(host, 0):
            variants.append(urlunsplit(parts._replace(netloc=".".join(swapped))))
    path = parts.path.split("/")
    if len(path) > 1 and path[1].lower() in LANGUAGE_SEGMENTS:
        for swapped in _segment_swaps(path, 1):
            variants.append(urlunsplit(parts._replace(path="/".join(swapped) or "/")))
    query = parse_qsl(parts.query, keep_blank_values=True)
    for position, (name, value) in enumerate(query):
        if name.lower() in _LANG_PARAMS and value.lower() in LANGUAGE_SEGMENTS:
            for code in sorted(LANGUAGE_SEGMENTS):
                changed = [*query[:position], (name, code), *query[position + 1 :]]
                variants.append(urlunsplit(parts._replace(query=urlencode(changed))))
    return [variant for variant in dict.fromkeys(variants) if variant != url]


def _numbers(text: str) -> frozenset[str]:
    return frozenset(n.replace(",", ".") for n in _NUMBER.findall(text))


def _names(text: str) -> frozenset[str]:
    # Capitalised words past the first: names of people, places and bodies.
    words = _WORD.findall(text)[1:]
    return frozenset(
        w.casefold().translate(_TRANSLIT)[:_NAME_KEY]
        for w in words
        if len(w) >= _MIN_NAME and w[0].isupper()
    )


def same_news(title_a: str, title_b: str, countries_a: str, countries_b: str) -> bool:
    """True when two headlines of one outlet, in different languages, tell the same news.

    Both must name the same countries; and either carry the same figures (at least one),
    or, without figures, share at least two names.
    """
    if not countries_a or set(countries_a.split(",")) != set(countries_b.split(",")):
        return False
    numbers_a, numbers_b = _numbers(title_a), _numbers(title_b)
    if numbers_a or numbers_b:
        return numbers_a == numbers_b
    return len(_names(title_a) & _names(title_b)) >= 2


def pick_edition(story: Story, lang: str) -> Story:
    """The edition of ``story`` in ``lang`` (others in its ``editions``), else ``story``."""
    if story.lang == lang or not story.editions:
        return story
    wanted = next((e for e in story.editions if e.lang == lang), None)
    if wanted is None:
        return story
    others = (
        dataclasses.replace(story, editions=()),
        *(e for e in story.editions if e is not wanted),
    )
    # The outlets that carried the news were counted on the first edition.
    return dataclasses.replace(wanted, editions=others, outlets=story.outlets)


def other_languages(story: Story) -> tuple[str, ...]:
    """The languages ``story`` is also available in, in the order they were stored."""
    langs = (e.lang for e in story.editions if e.lang and e.lang != story.lang)
    return tuple(dict.fromkeys(langs))
