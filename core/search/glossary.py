"""Our own compact glossary: English and Russian news words that mean the same thing.

People ask in one language about a story written in the other ("hot water cut in
Bishkek" for "отключат горячую воду"), or in other words than the story's ("tax audits"
for "tax inspections", "thirty" for "30"). Each line of ``core.search.glossary_groups``
is one group of words, English and Russian, that a reader would take for one another; a
query word then also matches the others at a lower weight (see ``core.search.query``).
The groups hold the frequent words of economy, government, transport, weather and
everyday news, the numbers, the five countries with their people and capitals, and other
countries and capitals in the news. Words are written in ordinary forms; they are
stemmed by the same analyzer as the index, so any inflection of them matches.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

from core.search.forms import name_adjectives, oblique
from core.search.glossary_groups import GROUPS, NUMBERS
from core.search.normalize import split_word

_RELATED_MAX: Final = 24


def build_glossary(
    term: Callable[[str], str | None],
    more: Callable[[str], list[str]] | None = None,
    extra: str = "",
) -> dict[str, tuple[str, ...]]:
    """Return, for each index term of a glossary word, the terms of its group.

    Args:
        term: The analyzer's word-to-term function, so the glossary speaks the index's
            language (stems, folded letters).
        more: Other terms a word may have in the index (its Kazakh or Tajik stem).
        extra: More groups, one a line (``glossary_regional.REGIONAL_GROUPS``).

    Returns:
        Term -> the other terms of every group it is in; number words also reach digits.
    """
    related: dict[str, dict[str, None]] = {}
    for line in (GROUPS + extra).strip().splitlines():
        words = line.split()
        for word in words:
            if word in NUMBERS:
                words.append(NUMBERS[word])
        folded = [part for word in words for part in split_word(word.casefold())]
        folded += [other for word in folded if (other := oblique(word))]
        found = [term(word) for word in folded]
        if more is not None:
            found += [other for word in folded for other in more(word)]
        # Last, so the group's cap cuts these guesses before its words.
        found += [term(other) for word in folded for other in name_adjectives(word)]
        terms = [t for t in dict.fromkeys(found) if t]
        for one in terms:
            others = related.setdefault(one, {})
            for other in terms:
                if other != one:
                    others[other] = None
    return {key: tuple(values)[:_RELATED_MAX] for key, values in related.items() if values}
