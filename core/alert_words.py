"""The words of an alert request in the seven languages: directions and "tell me".

Kept apart from ``core.alert_request`` so the free-text path can ask one cheap question
(``mentions_alert``) before any parsing.
"""

from __future__ import annotations

from core.alerts import Direction
from core.currency_words import normalize_word

# Words that point up: "above 520", "дороже 520", "520 теңгеден асса", "12 300 so'mdan oshsa".
_ABOVE = (
    *("above", "over", "exceeds", "exceed", "exceeding", "passes", "pass", "tops", "higher"),
    *("more", "rises", "rise", "up", "beyond", "greater"),
    *("выше", "дороже", "больше", "превысит", "превышает", "превысил", "превысит", "свыше"),
    *("поднимется", "вырастет", "перевалит", "перевалил", "превысить", "вверх"),
    *("асса", "асқанда", "асып", "асады", "асқан", "жоғары", "қымбат", "артса", "артық"),
    *("oshsa", "oshganda", "oshib", "oshadi", "yuqori", "qimmat", "ortiq", "ziyod", "ko'p"),
    *("ашса", "ашканда", "ашып", "ашат", "жогору", "кымбат", "көп"),
    *("зиёд", "боло", "баланд", "гарон", "зиёдтар", "болотар"),
    *("geçse", "geçende", "ýokary", "gymmat", "köp", "artyk", "artsa"),
)
# Words that point down: "below 139", "дешевле", "төмен", "arzon", "паст", "aşak".
_BELOW = (
    *("below", "under", "less", "lower", "cheaper", "falls", "fall", "drops", "drop"),
    *("dips", "down", "beneath", "sinks"),
    *("ниже", "дешевле", "меньше", "упадет", "опустится", "снизится", "упадет", "вниз"),
    *("төмен", "арзан", "түссе", "түскенде", "кем", "төмендесе", "кемісе"),
    *("past", "arzon", "tushsa", "tushganda", "kam", "pastroq", "kamaysa"),
    *("төмөн", "түшсө", "түшкөндө", "арзандаса"),
    *("кам", "паст", "арзон", "поён", "камтар"),
    *("aşak", "düşse", "arzan", "pes"),
)
DIRECTION_WORDS: dict[str, Direction] = {
    **dict.fromkeys((normalize_word(word) for word in _ABOVE), "above"),
    **dict.fromkeys((normalize_word(word) for word in _BELOW), "below"),
}
DIRECTION_SIGNS: dict[str, Direction] = {
    **dict.fromkeys((">", ">=", "≥", "=>"), "above"),
    **dict.fromkeys(("<", "<=", "≤", "=<"), "below"),
}

# "Tell me", "notify", "сообщи", "хабарла", "xabar ber": a text with one of these (and a
# level and currencies) asks for an alert, in free text as after /alert.
TRIGGER_WORDS = frozenset(
    normalize_word(word)
    for word in (
        *("alert", "notify", "remind", "tell", "ping", "let", "warn", "message"),
        *("сообщи", "сообщите", "уведоми", "уведомите", "напомни", "напишите", "напиши"),
        *("скажи", "скажите", "оповести", "предупреди", "алерт"),
        *("хабарла", "хабарлаңыз", "хабарлап", "хабарласын", "ескерт", "айт", "айтшы"),
        *("xabar", "xabarla", "ogohlantir", "ayt", "eslat", "bildir", "xabardor"),
        *("кабарла", "кабарлагыла", "кабар", "эскерт", "билдир", "айткыла"),
        *("хабар", "огоҳ", "хабардор"),
        *("habar", "habarla", "duýdur", "aýt", "bildir"),
    )
)


def mentions_alert(text: str) -> bool:
    """Whether ``text`` holds a word that asks to be told (one set lookup per word)."""
    return any(normalize_word(word) in TRIGGER_WORDS for word in text.split()[:40])
