"""Currency vocabulary: ISO codes, symbols and the words people type for them.

Covers English, Russian, Kazakh, Kyrgyz, Uzbek (Latin and Cyrillic), Tajik and
Turkmen for the currencies the bot quotes, plus a few well-known others. Any other
current ISO 4217 code is recognised by its code alone.

Two look-alikes are deliberate: ``som``/``сом`` is the Kyrgyz som (KGS), while
``so'm``/``сўм``/``сум``/``sum`` is the Uzbek sum (UZS).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from datetime import date
from functools import cache
from typing import Literal

from babel import Locale
from babel.numbers import get_territory_currencies

from core.word_memo import remembered

Role = Literal["source", "target"] | None

# Everything Uzbek writers use for the tutuq belgisi (o', g') becomes one apostrophe.
APOSTROPHES = str.maketrans(dict.fromkeys("’‘ʻʼ`´′ʹꞌ", "'"))

SYMBOLS: dict[str, str] = {
    "$": "USD",
    "€": "EUR",
    "₽": "RUB",
    # ¥ is also the yen, but people here mean the Chinese neighbour.
    "¥": "CNY",
    "£": "GBP",
    "₸": "KZT",
    "⃀": "KGS",
    "₺": "TRY",
    "₴": "UAH",
    "₩": "KRW",
    "₹": "INR",
    "₼": "AZN",
    "₾": "GEL",
    "֏": "AMD",
}

# Russian noun endings: hard stems (доллар) and soft stems written without ь (рубл).
_RU_HARD = ("", "а", "у", "ом", "е", "ы", "ов", "ам", "ами", "ах")
_RU_SOFT = ("ь", "я", "ю", "ем", "е", "и", "ей", "ям", "ями", "ях")


def _ru(stem: str, endings: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(stem + ending for ending in endings)


_VOCABULARY: dict[str, tuple[str, ...]] = {
    "USD": (
        *("dollar", "dollars", "buck", "bucks", "dollari", "dollary", "dollara"),
        *_ru("доллар", _RU_HARD),
        *_ru("бакс", _RU_HARD),
        *("долл", "доллари"),
    ),
    "EUR": ("euro", "euros", "евро", "еуро", "yevro", "evro", "ýewro", "yevrosi"),
    "RUB": (
        *("ruble", "rubles", "rouble", "roubles", "rubl", "rubli", "rubla", "rur"),
        *_ru("рубл", _RU_SOFT),
        *("рубл", "руб", "р"),
    ),
    "CNY": (
        *("yuan", "yuans", "renminbi", "rmb", "ýuan", "元"),
        *_ru("юан", _RU_SOFT),
        *("юан", "жэньминьби"),
    ),
    "KZT": ("tenge", "tenges", "teńge", "teňňe", "тенге", "теңге", "тг"),
    "KGS": ("som", "soms", *_ru("сом", _RU_HARD)),
    "UZS": ("so'm", "sum", "sums", "soum", "soums", "сўм", "сумм", *_ru("сум", _RU_HARD)),
    "TJS": ("somoni", "somonis", "somoniy", "somonī", "сомони", "сомонӣ", "сомоний", "смн"),
    "TMT": ("manat", "manats", "manada", *_ru("манат", _RU_HARD)),
    "GBP": ("pound", "pounds", "sterling", *_ru("фунт", _RU_HARD)),
    "JPY": ("yen", "иена", "иены", "иен", "йена", "йены", "йен"),
    "TRY": ("lira", "liras", "лира", "лиры", "лир"),
    "CHF": ("franc", "francs", *_ru("франк", _RU_HARD)),
    "UAH": ("hryvnia", "hryvnias", "гривна", "гривны", "гривен", "гривне", "гривну"),
}

WORDS: dict[str, str] = {word: code for code, words in _VOCABULARY.items() for word in words}

# Turkic case endings glued to a currency word ("so'mga", "теңгеден"): the dative and
# locative point at the currency converted to, the ablative at the one converted from.
_TARGET_SUFFIXES = (
    *("larga", "lerga", "ga", "ka", "qa", "ge", "ke", "da", "de", "ta", "te"),
    *("ларга", "лерге", "ларға", "га", "ка", "ға", "қа", "ге", "ке", "го", "ко", "гө", "кө"),
    *("да", "де", "та", "те", "до", "то", "дө", "тө"),
)
_SOURCE_SUFFIXES = (
    *("dan", "den", "tan", "ten", "nan", "nen"),
    *("дан", "ден", "тан", "тен", "дон", "тон", "дөн", "төн", "нан", "нен"),
)
# Plural, possessive, accusative and "-worth" endings that say nothing about direction.
_NEUTRAL_SUFFIXES = (
    *("lar", "ler", "lik", "ni", "si", "i", "ning", "ny", "nyň", "yň"),
    *("лар", "лер", "дар", "дер", "тар", "тер", "лик", "лық", "лік", "ни", "ны", "ні"),
    *("ну", "нү", "ды", "ди", "ти", "ты", "сы", "си", "и"),
    "ро",  # the Tajik object ending: "100 долларро ба сомонӣ"
    # Kazakh and Kyrgyz genitives: "теңгенің бағамы", "доллардын курсу".
    *("ның", "нің", "дың", "дің", "тың", "тің", "нын", "нин", "нун", "нүн"),
    *("дын", "дин", "дун", "дүн", "тын", "тин", "тун", "түн"),
)
# Endings in k/q/t follow voiceless consonants only ("манатқа", but "сомго"); the rule
# keeps Russian "сумка" and "рубка" from reading as "сум"/"руб" plus an ending.
_VOICELESS_SUFFIX_STARTS = tuple("kqtкқт")
_VOICELESS_ENDINGS = tuple("kpstfhqcçşкпстфхшчцщқ")
SUFFIX_ROLES: dict[str, Role] = {
    **dict.fromkeys(_NEUTRAL_SUFFIXES, None),
    **dict.fromkeys(_SOURCE_SUFFIXES, "source"),
    **dict.fromkeys(_TARGET_SUFFIXES, "target"),
}
# Turkmen datives that change the stem, so suffix stripping cannot find them.
_INFLECTED_ROLES: dict[str, Role] = {"manada": "target", "dollara": "target", "rubla": "target"}
_SUFFIXES_LONGEST_FIRST = sorted(SUFFIX_ROLES, key=len, reverse=True)
# The same, by last letter: a word is tried only against the endings it can have, which
# keeps reading a sentence of ordinary words (a question for the news) cheap.
_SUFFIXES_BY_LAST: dict[str, tuple[str, ...]] = {
    last: tuple(suffix for suffix in _SUFFIXES_LONGEST_FIRST if suffix[-1] == last)
    for last in {suffix[-1] for suffix in _SUFFIXES_LONGEST_FIRST}
}
_MAX_SUFFIX_DEPTH = 2

# Country adjectives and acronyms in "US dollar", "российских рублей", "AQSH dollari":
# they qualify a currency word and can be skipped.
_QUALIFIER_WORDS = frozenset(
    {
        *("us", "usa", "american", "chinese", "russian", "kazakh", "kazakhstani"),
        *("kyrgyz", "kirghiz", "uzbek", "uzbekistani", "tajik", "tajikistani", "turkmen"),
        *("aqsh", "rossiya", "xitoy", "qozog'iston", "qozoq", "qirg'iz", "o'zbek", "tojik"),
        *("abş", "hytaý", "rus", "gazak", "gyrgyz", "özbek", "täjik", "türkmen"),
        *("сша", "ақш", "акш", "има", "кнр", "рф", "россия", "русия", "хитой", "қытай"),
        *("кытай", "орыс", "ўзбек", "тоҷик", "қазақ", "казак", "кыргыз"),
        *("амрикоӣ", "амрико", "русӣ", "хитоӣ", "аврупоӣ", "amerika", "ýewropa"),
    }
)
_QUALIFIER_PREFIXES = (
    *("американ", "российск", "русск", "казахстанск", "казахск", "кыргызск"),
    *("киргизск", "узбекск", "таджикск", "туркменск", "китайск", "европейск"),
)


@remembered
def normalize_word(word: str) -> str:
    """Return ``word`` in the form the vocabulary is keyed by.

    Args:
        word: One word as typed, possibly with surrounding punctuation.

    Returns:
        The word case-folded, NFKC-normalised, with ё as е and every apostrophe
        look-alike as ``'``, stripped of surrounding punctuation.
    """
    text = unicodedata.normalize("NFKC", word.translate(APOSTROPHES))
    return text.casefold().replace("ё", "е").strip(" .,;:!?\"'()[]{}«»-")


@cache
def iso_codes() -> frozenset[str]:
    """Return the ISO 4217 codes of currencies that are legal tender somewhere."""
    codes: set[str] = set()
    # A fixed date keeps the set stable between runs; babel's data decides the rest.
    since = date(2024, 1, 1)
    for territory in Locale("en").territories:
        if isinstance(territory, str) and territory.isalpha():
            codes.update(get_territory_currencies(territory, start_date=since, tender=True))
    return frozenset(codes)


@remembered
def is_qualifier(word: str) -> bool:
    """Return whether ``word`` is a country adjective like "US" or "российских"."""
    key = normalize_word(word)
    return key in _QUALIFIER_WORDS or key.startswith(_QUALIFIER_PREFIXES)


def _exact(key: str) -> str | None:
    if key in WORDS:
        return WORDS[key]
    if key in SYMBOLS:
        return SYMBOLS[key]
    upper = key.upper()
    if len(key) == 3 and key.isascii() and upper in iso_codes():
        return upper
    return None


def _candidates(key: str, depth: int) -> Iterable[tuple[str, Role]]:
    """Yield (code, role) for ``key`` read as a currency word plus case endings."""
    found = _exact(key)
    if found is not None:
        yield found, _INFLECTED_ROLES.get(key)
    if depth == 0:
        return
    for suffix in _SUFFIXES_BY_LAST.get(key[-1:], ()):
        # Bases shorter than two letters would turn ordinary words into currencies.
        if key.endswith(suffix) and len(key) - len(suffix) >= 2:
            base = key[: -len(suffix)].rstrip("-")
            if suffix.startswith(_VOICELESS_SUFFIX_STARTS) and not base.endswith(
                _VOICELESS_ENDINGS
            ):
                continue
            outer = SUFFIX_ROLES[suffix]
            for code, inner in _candidates(base, depth - 1):
                yield code, outer if outer is not None else inner


@remembered
def lookup_currency(word: str) -> tuple[str, Role] | None:
    """Return the currency a word names and the direction its case ending gives.

    Args:
        word: One word or symbol, e.g. ``"долларов"``, ``"so'mga"``, ``"₸"``.

    Returns:
        ``(code, role)`` where role is ``"target"`` for dative/locative endings
        ("so'mga", "теңгеге"), ``"source"`` for ablative ones ("dollardan") and None
        otherwise; None when the word is not a currency.
    """
    key = normalize_word(word)
    if not key:
        return None
    return next(iter(_candidates(key, _MAX_SUFFIX_DEPTH)), None)


def find_currency(word: str) -> str | None:
    """Return the ISO 4217 code a word or symbol stands for, case-insensitively.

    Args:
        word: A code (``"usd"``), symbol (``"₸"``) or word in any supported language
            and case form (``"долларов"``, ``"so'mga"``, ``"сомонӣ"``).

    Returns:
        The upper-case ISO code, or None when the word is not a known currency.
    """
    if not isinstance(word, str):
        return None
    found = lookup_currency(word)
    return None if found is None else found[0]


# Words around the currencies in a conversion request.

# Powers of ten after a number: "5k", "5 тыс", "2 млн", "1,5 млрд", "10 ming".
MULTIPLIERS: dict[str, int] = {
    **dict.fromkeys(("k", "к", "тыс", "тысяча", "тысячи", "тысяч", "тысячу", "тыщ"), 3),
    **dict.fromkeys(("thousand", "thousands", "ming", "минг", "мың", "миң", "ҳазор"), 3),
    **dict.fromkeys(("хазор", "müň"), 3),
    **dict.fromkeys(("m", "mn", "mln", "mio", "million", "millions", "млн", "лям"), 6),
    **dict.fromkeys(("миллион", "миллиона", "миллионов", "миллионы", "ляма", "лямов"), 6),
    **dict.fromkeys(("b", "bn", "bln", "billion", "billions", "mlrd", "milliard", "млрд"), 9),
    **dict.fromkeys(("миллиард", "миллиарда", "миллиардов", "миллиарды"), 9),
}

# Prepositions that mark the currency after them ("в тенге", "from usd", Tajik "ба").
PREPOSITIONS: dict[str, Role] = {
    **dict.fromkeys(("в", "во", "на", "to", "in", "into", "as", "ба"), "target"),
    **dict.fromkeys(("from", "из", "за", "с", "аз"), "source"),
}

# Uzbek/Kazakh/Kyrgyz endings written apart mark the currency before them ("so'm ga").
POSTPOSITIONS: dict[str, Role] = {
    **dict.fromkeys(("ga", "ka", "qa", "ge", "ke", "га", "ка", "ға", "қа", "ге", "ке"), "target"),
    **dict.fromkeys(("го", "ко"), "target"),
    **dict.fromkeys(("dan", "den", "дан", "ден"), "source"),
}

# Question and politeness words that carry no meaning for the conversion.
FILLERS = frozenset(
    {
        *("convert", "conversion", "how", "much", "many", "is", "are", "what", "whats"),
        *("what's", "please", "pls", "exchange", "calculate", "calc"),
        *("сколько", "скока", "будет", "это", "а", "перевести", "переведи", "конвертировать"),
        *("конвертируй", "посчитай", "пересчитай", "пожалуйста", "плиз"),
        *("qancha", "necha", "bo'ladi", "ta", "канча", "неча", "бўлади", "та"),
        *("қанша", "неше", "болады", "болот", "чанд", "мешавад", "näçe", "bolar"),
    }
)
