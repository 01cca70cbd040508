"""Bad input that must be answered in time: long, empty of words, odd scripts.

Measured by ``bench/bench_search.py`` (the engine) and ``bench/bench_bot.py`` (the whole
free-text path of the bot); never by a timed test.
"""

from __future__ import annotations

HOSTILE: tuple[str, ...] = (
    "milk kazakhstan " * 250,  # 4,000 characters
    "казахстан молоко экспорт пшеница " * 120,
    "?!.,;:-()[]{}«»…" * 40,  # punctuation only
    "the of and in a is to for on with",  # stop words only
    "и в на с по о за из к у",
    "Ташkentда Qazaqстан мolоко",  # two scripts inside words
    "🥛🐄🇰🇿🇺🇿 😀" * 20,  # emoji
    "\u202eשלום עולם\u202c مرحبا بالعالم",  # right to left, with a bidi override
    "o'o‘oʻo`" * 100,
)
