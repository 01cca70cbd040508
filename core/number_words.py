"""Amounts written in words, in the seven languages: "сто долларов", "бес мың", "ду сад сомонӣ".

People type a round sum as words as often as in digits ("сто долларов в тенге",
"bir ming dollar", "бес мың теңге"). ``spell_out_numbers`` rewrites such words as digits
before the amount parser reads the text, so every other rule (multipliers, currencies,
prepositions) stays where it is.

Only a run of number words directly followed by a currency word is rewritten: several
of these words are ordinary words in another of our languages (Turkic "он" is Russian
"he", Tajik "сад" is Russian "garden", English "on" is Uzbek "ten"), and next to a
currency they can only be an amount. A run right after digits is left alone: in
"5 тысяч долларов" the word multiplies the digits, which the amount parser already reads.
"""

from __future__ import annotations

import re

from core.currency_words import find_currency

_HUNDRED = "hundred"  # multiplies what came before it in the group (Turkic, Tajik, English)
_LARGE = "large"  # closes a group: thousand, million


def _values(table: str) -> dict[str, tuple[str, int]]:
    """Read ``"one 1 two 2 ..."``: each word followed by its value."""
    words = table.split()
    pairs = zip(words[::2], words[1::2], strict=True)
    return {word: ("value", int(value)) for word, value in pairs}


# Words for 1-9, tens and (where the language has them) teens and whole hundreds.
_NUMBERS: dict[str, tuple[str, int]] = {
    **_values(  # English
        "one 1 two 2 three 3 four 4 five 5 six 6 seven 7 eight 8 nine 9 ten 10 eleven 11 "
        "twelve 12 thirteen 13 fourteen 14 fifteen 15 sixteen 16 seventeen 17 eighteen 18 "
        "nineteen 19 twenty 20 thirty 30 forty 40 fifty 50 sixty 60 seventy 70 eighty 80 "
        "ninety 90"
    ),
    **_values(  # Russian: hundreds are words of their own
        "один 1 одна 1 одну 1 одного 1 два 2 две 2 три 3 четыре 4 пять 5 шесть 6 семь 7 "
        "восемь 8 девять 9 десять 10 одиннадцать 11 двенадцать 12 тринадцать 13 "
        "четырнадцать 14 пятнадцать 15 шестнадцать 16 семнадцать 17 восемнадцать 18 "
        "девятнадцать 19 двадцать 20 тридцать 30 сорок 40 пятьдесят 50 шестьдесят 60 "
        "семьдесят 70 восемьдесят 80 девяносто 90 сто 100 двести 200 триста 300 "
        "четыреста 400 пятьсот 500 шестьсот 600 семьсот 700 восемьсот 800 девятьсот 900"
    ),
    **_values(  # Kazakh
        "бір 1 екі 2 үш 3 төрт 4 бес 5 алты 6 жеті 7 сегіз 8 тоғыз 9 он 10 жиырма 20 "
        "отыз 30 қырық 40 елу 50 алпыс 60 жетпіс 70 сексен 80 тоқсан 90"
    ),
    **_values(  # Kyrgyz (the words it shares with Kazakh are above)
        "бир 1 эки 2 үч 3 беш 5 жети 7 сегиз 8 тогуз 9 жыйырма 20 отуз 30 кырк 40 "
        "элүү 50 алтымыш 60 жетимиш 70 токсон 90"
    ),
    **_values(  # Uzbek, apostrophes as clean_text leaves them
        "bir 1 ikki 2 uch 3 to'rt 4 besh 5 olti 6 yetti 7 sakkiz 8 to'qqiz 9 o'n 10 "
        "yigirma 20 o'ttiz 30 qirq 40 ellik 50 oltmish 60 yetmish 70 sakson 80 to'qson 90"
    ),
    # Turkmen; "on" (ten) is left out: in English it is a preposition before currencies.
    **_values(
        "iki 2 üç 3 dört 4 bäş 5 alty 6 ýedi 7 sekiz 8 dokuz 9 ýigrimi 20 otuz 30 "
        "kyrk 40 elli 50 altmyş 60 ýetmiş 70 segsen 80 togsan 90"
    ),
    **_values(  # Tajik: teens and whole hundreds are single words too
        "як 1 ду 2 се 3 чор 4 панҷ 5 шаш 6 ҳафт 7 ҳашт 8 нӯҳ 9 даҳ 10 ёздаҳ 11 "
        "дувоздаҳ 12 сездаҳ 13 чордаҳ 14 понздаҳ 15 шонздаҳ 16 ҳабдаҳ 17 ҳаждаҳ 18 "
        "нуздаҳ 19 бист 20 сӣ 30 чил 40 панҷоҳ 50 шаст 60 ҳафтод 70 ҳаштод 80 навад 90 "
        "дусад 200 сесад 300 чорсад 400 панҷсад 500 шашсад 600 ҳафтсад 700 ҳаштсад 800 "
        "нӯҳсад 900"
    ),
    **dict.fromkeys(("hundred", "жүз", "yuz", "ýüz", "сад"), (_HUNDRED, 100)),
    **dict.fromkeys(
        ("thousand", "тысяча", "тысячи", "тысяч", "тысячу", "мың", "миң", "ming", "müň"),
        (_LARGE, 1000),
    ),
    **dict.fromkeys(("ҳазор", "хазор"), (_LARGE, 1000)),
    **dict.fromkeys(
        ("million", "миллион", "миллиона", "миллионов", "mln", "млн"), (_LARGE, 1_000_000)
    ),
}
# Words that join numbers without adding to them: "one hundred and five".
_JOINERS = frozenset(("and",))
_TOKEN = re.compile(r"\S+")
_EDGE_PUNCTUATION = '.,;:!?«»"()'


def _number_word(token: str) -> tuple[str, int] | None:
    word = token.lower().strip(_EDGE_PUNCTUATION)
    found = _NUMBERS.get(word)
    if found is None and len(word) > 2 and word.endswith("у"):
        # Tajik joins numbers with "-у": "бисту панҷ" is 25, "ҳазору сад" 1100.
        found = _NUMBERS.get(word[:-1])
    return found


def _value(words: list[tuple[str, int]]) -> int:
    total = group = 0
    for kind, value in words:
        if kind == _HUNDRED:
            group = max(group, 1) * value
        elif kind == _LARGE:
            total += max(group, 1) * value
            group = 0
        else:
            group += value
    return total + group


def _is_amount(tokens: list[tuple[int, int, str]], start: int, end: int) -> bool:
    """Whether the number words ``tokens[start:end]`` stand for an amount of a currency."""
    after_digits = start > 0 and tokens[start - 1][2][-1:].isdigit()
    return not after_digits and end < len(tokens) and find_currency(tokens[end][2]) is not None


def spell_out_numbers(text: str) -> str:
    """``text`` with every amount written in words before a currency rewritten in digits.

    "сто долларов в тенге" becomes "100 долларов в тенге", "бес мың теңге" "5000 теңге",
    "ду сад сомонӣ" "200 сомонӣ". Anything else is returned as it was.
    """
    tokens = [(match.start(), match.end(), match.group()) for match in _TOKEN.finditer(text)]
    pieces: list[str] = []
    written_to = 0
    index = 0
    while index < len(tokens):
        run: list[tuple[str, int]] = []
        end = index
        while end < len(tokens):
            word = _number_word(tokens[end][2])
            if word is None and not (run and tokens[end][2].lower() in _JOINERS):
                break
            if word is not None:
                run.append(word)
            end += 1
        if run and _is_amount(tokens, index, end):
            pieces.append(text[written_to : tokens[index][0]])
            pieces.append(str(_value(run)))
            written_to = tokens[end - 1][1]
            index = end
        else:
            index = max(end, index + 1)
    pieces.append(text[written_to:])
    return "".join(pieces)
