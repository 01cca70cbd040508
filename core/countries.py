"""Country gazetteer: which countries a story mentions, and which country a user means.

Pure domain code. Its tables (``core.gazetteer_tables``) are built once, on first use, from
``core.gazetteer_data`` and the CLDR names bundled with Babel; matching a text is then a few
dictionary look-ups per distinct word, and a word seen before costs one.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from typing import Final

from rapidfuzz.distance import Levenshtein

from core import gazetteer_data as data
from core.country_lenient import lenient_match
from core.gazetteer_tables import (
    CONTEXT_MARK,
    MIN_CLDR_STEM,
    MIN_FUZZY,
    MIN_STEM,
    TOKEN_RE,
    PhraseWord,
    Tables,
    get_tables,
    normalise,
    territory_names,
)
from core.word_memo import remembered

CENTRAL_ASIA: tuple[str, ...] = ("KZ", "KG", "UZ", "TJ", "TM")
NEIGHBOURS: tuple[str, ...] = (
    *("RU", "CN", "AF", "IR", "AZ", "MN", "PK"),
    *("TR", "UA", "BY", "GE", "AM", "IN", "US"),
)
COUNTRY_CURRENCY: dict[str, str] = {
    "KZ": "KZT",
    "KG": "KGS",
    "UZ": "UZS",
    "TJ": "TJS",
    "TM": "TMT",
    "RU": "RUB",
    "CN": "CNY",
}

_TITLE_WEIGHT: Final = 3
_BODY_OFFSET: Final = 1 << 30  # every body position sorts after every title position
_MAX_TOKEN: Final = 40  # longer "words" are URLs or junk, never a country
_CACHE_LIMIT: Final = 100_000
_MIN_TWO_SUFFIX_STEM: Final = 6  # two stacked endings ("-stan-dyk-tar") only on long stems
_MAX_SUFFIX: Final = 8
_MAX_QUERY_CHARS: Final = 100
_MAX_QUERY_WORDS: Final = 6
_REGIONAL_A: Final = 0x1F1E6

# Token -> codes it mentions (() for none), shared by all calls: words repeat across stories.
_TOKEN_CACHE: dict[str, tuple[str, ...]] = {}


def find_countries(title: str, text: str = "") -> tuple[str, ...]:
    """Return every country a story mentions, main country first.

    Names, demonyms and cities count for their country; a title mention weighs three body
    mentions; ties go to the country mentioned first.

    Args:
        title: The story's headline.
        text: Its body or teaser, plain text.

    Returns:
        ISO 3166-1 alpha-2 codes, most mentioned first; ``()`` when none is mentioned.
    """
    tables = get_tables()
    found: dict[str, list[int]] = {}
    _scan(title, _TITLE_WEIGHT, 0, tables, found)
    if text:
        _scan(text, 1, _BODY_OFFSET, tables, found)
    _settle_context(found, keep_alone=False)
    return tuple(sorted(found, key=lambda code: (-found[code][0], found[code][1])))


def lookup_country(name: str) -> str | None:
    """Return the country a user means by ``name``, or None.

    Accepts a name in any supported language, inflected or misspelled, an ISO alpha-2 or
    alpha-3 code, a capital or city, a demonym or a flag emoji. The five Central Asian countries
    and their neighbours win over other countries named in the same query.

    Args:
        name: What the user typed.

    Returns:
        An ISO 3166-1 alpha-2 code, or None for empty, overlong, markup or unknown input.
    """
    if not isinstance(name, str):
        return None
    query = name.strip()
    if not query or len(query) > _MAX_QUERY_CHARS or "<" in query or ">" in query:
        return None
    tables = get_tables()
    flag = _code_from_flag(query, tables)
    if flag:
        return flag
    raw_words = TOKEN_RE.findall(query)
    if not raw_words or len(raw_words) > _MAX_QUERY_WORDS:
        return None
    found: dict[str, list[int]] = {}
    _scan(query, 1, 0, tables, found)
    _settle_context(found, keep_alone=True)
    for position, word in enumerate(raw_words):
        # A short lowercase word inside a phrase is a word ("to", "and"), not a code.
        if len(raw_words) == 1 or word.isupper():
            code = _code_from_iso(word, tables)
            if code:
                _credit(found, code, 1, position)
    if not found:
        return lenient_match(raw_words, tables)
    return min(
        found,
        key=lambda code: (code not in tables.curated, -found[code][0], found[code][1]),
    )


def country_name(code: str, lang: str = "en") -> str:
    """Return the name of a country in a language, from CLDR.

    Args:
        code: ISO 3166-1 alpha-2 code, any case.
        lang: Language code (en, ru, kk, uz, ky, tg, tk or any Babel knows).

    Returns:
        The name in ``lang``, else in English, else ``code`` unchanged.
    """
    key = code.strip().upper() if isinstance(code, str) else ""
    if len(key) != 2 or not key.isalpha():
        return code
    lang_key = lang.replace("-", "_") if isinstance(lang, str) else "en"
    override = data.NAME_OVERRIDES.get((lang_key.split("_")[0].lower(), key))
    if override:
        return override
    return territory_names(lang_key).get(key) or territory_names("en").get(key) or code


def country_flag(code: str) -> str:
    """Return the flag emoji of a country (regional-indicator pair), or "" for unknown codes."""
    key = code.strip().upper() if isinstance(code, str) else ""
    if len(key) != 2 or not key.isascii() or key not in territory_names("en"):
        return ""
    return "".join(chr(_REGIONAL_A + ord(letter) - ord("A")) for letter in key)


_CASED = re.compile(
    r"(?<![\w.])(" + "|".join(map(re.escape, data.CASED_ABBREVIATIONS)) + r")(?![\w])"
)


def _scan_cased(text: str, weight: int, offset: int, found: dict[str, list[int]]) -> None:
    if text.isupper():
        return  # "LET US KNOW": in an all-capitals text capitals say nothing
    for match in _CASED.finditer(text):
        code = data.CASED_ABBREVIATIONS[match.group(1)]
        _credit(found, code, weight, offset + len(TOKEN_RE.findall(text[: match.start()])))


def _scan(text: str, weight: int, offset: int, tables: Tables, found: dict[str, list[int]]) -> None:
    _scan_cased(text, weight, offset, found)
    tokens: list[str] = TOKEN_RE.findall(normalise(text))
    if not tokens:
        return
    counts = Counter(tokens)
    cache = _TOKEN_CACHE
    for token, count in counts.items():
        codes = cache.get(token)
        if codes is None:
            codes = _match_token(token, tables)
            if len(cache) >= _CACHE_LIMIT:
                cache.clear()
            cache[token] = codes
        if codes:
            position = offset + tokens.index(token)
            for code in codes:
                _credit(found, code, count * weight, position)
    if not tables.phrases.keys().isdisjoint(counts):
        for code, position in _match_phrases(tokens, tables):
            _credit(found, code, weight, offset + position)


def _credit(found: dict[str, list[int]], code: str, score: int, position: int) -> None:
    entry = found.get(code)
    if entry is None:
        found[code] = [score, position]
        return
    entry[0] += score
    entry[1] = min(entry[1], position)


def _settle_context(found: dict[str, list[int]], *, keep_alone: bool) -> None:
    for marked in [code for code in found if code.startswith(CONTEXT_MARK)]:
        score, position = found.pop(marked)
        code = marked[len(CONTEXT_MARK) :]
        if keep_alone or code in found:
            _credit(found, code, score, position)


def _match_token(token: str, tables: Tables) -> tuple[str, ...]:
    if len(token) > _MAX_TOKEN or token in data.NEVER:
        return ()
    code = tables.exact.get(token) or _match_stem(token, tables)
    if code:
        return (code,)
    if "-" in token:
        # "казахстанско-китайских", "Kazakh-Chinese": the parts name countries of their own.
        codes: list[str] = []
        for part in token.split("-"):
            for part_code in _match_token(part, tables):
                if part_code not in codes:
                    codes.append(part_code)
        return tuple(codes)
    code = _match_fuzzy(token, tables)
    return (code,) if code else ()


def _match_stem(token: str, tables: Tables) -> str | None:
    if len(token) <= MIN_STEM:
        return None
    for stem, code in tables.stems.get(token[:3], ()):
        if len(stem) < len(token) and token.startswith(stem):
            suffix = token[len(stem) :]
            if suffix in data.SUFFIXES or (
                len(stem) >= _MIN_TWO_SUFFIX_STEM and _is_two_suffixes(suffix)
            ):
                return code
    return None


def _is_two_suffixes(suffix: str) -> bool:
    if len(suffix) > _MAX_SUFFIX:
        return False
    return any(
        suffix[:cut] in data.SUFFIXES and suffix[cut:] in data.SUFFIXES
        for cut in range(1, len(suffix))
    )


def _match_fuzzy(token: str, tables: Tables) -> str | None:
    size = len(token)
    if size < MIN_FUZZY:
        return None
    best: str | None = None
    best_distance = 3
    tie = False
    # Misspellings keep their first two letters; comparing only those names keeps this cheap
    # and stops "Pakistan" from drifting to "Tajikistan".
    for name, code in tables.fuzzy.get(token[:2], ()):
        limit = 2 if min(size, len(name)) >= 10 else 1
        if abs(len(name) - size) > limit:
            continue
        distance = Levenshtein.distance(token, name, score_cutoff=limit)
        if distance > limit:
            continue
        if distance < best_distance:
            best, best_distance, tie = code, distance, False
        elif distance == best_distance and code != best:
            tie = True
    return None if tie else best


def _match_phrases(tokens: list[str], tables: Tables) -> list[tuple[str, int]]:
    hits: list[tuple[str, int]] = []
    for start, token in enumerate(tokens):
        for words, code in tables.phrases.get(token, ()):
            end = start + len(words)
            if end <= len(tokens) and all(
                _word_matches(tokens[start + i], words[i]) for i in range(1, len(words))
            ):
                hits.append((code, start))
    return hits


def _word_matches(token: str, word: PhraseWord) -> bool:
    base, forms = word
    if token in forms:
        return True
    return (
        len(base) >= MIN_CLDR_STEM
        and token.startswith(base)
        and token[len(base) :] in data.SUFFIXES
    )


def _code_from_iso(word: str, tables: Tables) -> str | None:
    key = word.upper()
    if key in data.CODE_ALIASES:
        return data.CODE_ALIASES[key]
    if len(key) == 2 and key in tables.countries:
        return key
    if len(key) == 3:
        return tables.alpha3.get(key)
    return None


def _code_from_flag(query: str, tables: Tables) -> str | None:
    if len(query) != 2:
        return None
    letters = [ord(char) - _REGIONAL_A for char in query]
    if not all(0 <= letter < 26 for letter in letters):
        return None
    code = "".join(chr(ord("A") + letter) for letter in letters)
    return code if code in tables.countries else None


# Words that may stand beside a country's name when someone asks for the country itself
# ("Kazakhstan news", "новости Кыргызстана"); any other word makes the text a question.
_REQUEST_WORDS: Final = frozenset(
    {
        "news", "about", "latest", "the", "in", "on", "of", "country", "brief", "info",
        "новости", "про", "о", "об", "в", "во", "страна", "последние", "что", "с",
        "жаңалықтар", "жаңалықтары", "туралы", "yangiliklar", "yangiliklari", "haqida",
        "янгиликлар", "янгиликлари", "ҳақида", "жаңылыктар", "жаңылыктары", "тууралуу",
        "навигариҳо", "навигариҳои", "хабарҳо", "хабарҳои", "дар", "бораи",
        "habarlar", "habarlary", "täzelikler", "täzelikleri", "barada",
    }
)  # fmt: skip


@lru_cache(maxsize=1)
def _name_words() -> frozenset[str]:
    """Every form of every word of a multi-word country name ("south", "республикасы")."""
    return frozenset(
        form
        for entries in get_tables().phrases.values()
        for words, _code in entries
        for _base, forms in words
        for form in forms
    )


@lru_cache(maxsize=1)
def _places_not_capitals() -> tuple[str, ...]:
    """Every city and region form that is not a capital's, longest first."""
    forms = {
        form
        for spelled in data.CITIES.values()
        for form in spelled.split("|")
        if form not in data.CAPITALS
    }
    return tuple(sorted(forms, key=len, reverse=True))


def names_a_place(text: str) -> bool:
    """True when ``text`` (request words aside) is a city or region that is not a capital.

    "rogun", "Issyk-Kul", "Байконуре" and "Osh news" name places: people asking about them
    want the stories, not the country's brief. Capitals ("Bishkek") are not places here.
    """
    words = [normalise(word) for word in TOKEN_RE.findall(text)]
    phrase = " ".join(word for word in words if word not in _REQUEST_WORDS)
    if not phrase:
        return False
    # A place's form, then nothing or a case ending: tried at each length a form has.
    forms, lengths = _place_forms()
    return any(
        phrase[:length] in forms and (length == len(phrase) or phrase[length:] in data.SUFFIXES)
        for length in lengths
        if length <= len(phrase)
    )


@lru_cache(maxsize=1)
def _place_forms() -> tuple[frozenset[str], tuple[int, ...]]:
    """The forms of ``_places_not_capitals`` as a set, and the lengths they come in."""
    forms = _places_not_capitals()
    return frozenset(forms), tuple(sorted({len(form) for form in forms}))


@lru_cache(maxsize=1)
def _leader_forms() -> tuple[str, ...]:
    return tuple(form for forms in data.LEADERS.values() for form in forms.split("|"))


def _names_a_leader(text: str) -> bool:
    # "Tokayev" tags a story about Kazakhstan, but typed alone it asks about the man.
    return any(normalise(word).startswith(_leader_forms()) for word in TOKEN_RE.findall(text))


def country_named_alone(text: str) -> str | None:
    """The country when ``text`` asks for one by name and says nothing else, else None.

    "Kyrgyzstan", "Бишкек", "uzbekistn news" and "south korea" name a country;
    "industrial output in kazakhstan" mentions one but asks about something, and "rogun"
    or "Issyk-Kul" name a place in one, so those are questions for the search, not
    requests for the country's brief. A capital alone still asks for its country.
    """
    words = TOKEN_RE.findall(text)
    # Each word asks ("news"), is part of a name ("south") or is a country by itself: a
    # question fails at its first other word, before the whole text is looked up.
    if not all(_asks_or_names(word) for word in words):
        return None
    code = lookup_country(text)
    if code is None:
        return None
    if any(not _asks_or_names(word, code) for word in words):
        return None
    # Last, as the dearest checks: most texts naming a country say something else too.
    if names_a_place(text) or _names_a_leader(text):
        return None
    return code


def _asks_or_names(word: str, code: str | None = None) -> bool:
    """Whether ``word`` is a request word, a word of a country's name, or a country
    (``code``, when given) by itself."""
    token = normalise(word)
    if token in _REQUEST_WORDS or token in _name_words():
        return True
    found = _country_of_word(word)
    return found is not None and (code is None or found == code)


# One word's country, remembered (core.word_memo).
_country_of_word = remembered(lookup_country)
