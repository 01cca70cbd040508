"""The callback-data protocol (views.callbacks): build and parse agree, the wire format is the
one buttons already in chats carry, and the Application routes buttons by these patterns."""

from __future__ import annotations

import re
from typing import Any

import pytest
from telegram.ext import CallbackQueryHandler

from views import callbacks
from views.callbacks import (
    ALERT_DELETE,
    CHART,
    CONVERT,
    COUNTRY,
    COUNTRY_MORE,
    DIGEST_COUNTRY,
    DIGEST_SWITCH,
    DIGEST_TIME,
    KINDS,
    LANGUAGE,
    MENU,
    MORE_LIKE,
    NEWS_PAGE,
    SETTINGS,
    TIMEZONE,
    UNFOLLOW,
    ButtonKind,
    ChartButton,
    ConvertButton,
    CountryPage,
    NewsPage,
)

# Every kind, a value, and its data byte for byte as buttons sent before carry it.
CASES: list[tuple[ButtonKind[Any], object, str]] = [
    (MENU, "rates", "menu:rates"),
    (MENU, "countries", "menu:countries"),
    (CHART, ChartButton("KZT", "30d"), "chart:KZT:30d"),
    (CHART, ChartButton("UZS", "1y"), "chart:UZS:1y"),
    (CONVERT, ConvertButton(100, "USD", "KGS"), "conv:100:USD:KGS"),
    (NEWS_PAGE, NewsPage(0), "news:0"),
    (NEWS_PAGE, NewsPage(10, "TJ"), "news:10:TJ"),
    (COUNTRY_MORE, CountryPage("KZ", 5), "cmore:KZ:5"),
    (COUNTRY, "TM", "country:TM"),
    (ALERT_DELETE, 17, "alert:del:17"),
    (SETTINGS, "main", "set:main"),
    (SETTINGS, "cty", "set:cty"),
    (DIGEST_TIME, "07:00", "dtime:07:00"),
    (DIGEST_TIME, "21:00", "dtime:21:00"),
    (DIGEST_COUNTRY, "UZ", "dcty:UZ"),
    (DIGEST_SWITCH, "on", "dsub:on"),
    (DIGEST_SWITCH, "off", "dsub:off"),
    (UNFOLLOW, 123456789, "unf:123456789"),
    (MORE_LIKE, 42, "flike:42"),
    (LANGUAGE, "ru", "lang:ru"),
    (TIMEZONE, "Asia/Almaty", "tz:Asia/Almaty"),
    (TIMEZONE, "UTC", "tz:UTC"),
]


@pytest.mark.parametrize(("kind", "value", "data"), CASES)
def test_build_gives_the_old_data_and_parse_reads_it_back(
    kind: ButtonKind[Any], value: object, data: str
) -> None:
    built = kind.build(value)
    assert built == data
    assert kind.pattern.match(built)
    assert kind.parse(built) == value
    assert built.startswith(kind.prefix + ":")


def test_every_kind_is_covered() -> None:
    assert {kind.prefix for kind, _v, _d in CASES} == {kind.prefix for kind in KINDS}
    assert len({kind.prefix for kind in KINDS}) == len(KINDS)


@pytest.mark.parametrize(
    ("kind", "data"),
    [
        (CHART, "chart:KZT:2d"),
        (CONVERT, "conv:0:USD:KZT"),
        (NEWS_PAGE, "news:123456"),
        (ALERT_DELETE, "alert:del:"),
        (DIGEST_TIME, "dtime:24:00"),
        (UNFOLLOW, "unf:0"),
        (LANGUAGE, "lang:rus"),
        (COUNTRY, "cmore:KZ:5"),
    ],
)
def test_parse_refuses_other_data(kind: ButtonKind[Any], data: str) -> None:
    assert kind.pattern.match(data) is None
    assert kind.parse(data) is None


def test_build_refuses_data_over_64_bytes() -> None:
    with pytest.raises(ValueError, match="64 bytes"):
        TIMEZONE.build("A" * 70)


def test_every_button_handler_routes_by_a_pattern_of_the_module() -> None:
    from bot.app import build_application
    from bot.settings import load_settings

    app = build_application(load_settings(database_url="sqlite:///unused.db"))
    ours = {kind.pattern for kind in KINDS} | {
        callbacks.DIGEST_BUTTONS,
        callbacks.CHOICE_BUTTONS,
    }
    routed = [
        handler
        for handlers in app.handlers.values()
        for handler in handlers
        if isinstance(handler, CallbackQueryHandler)
    ]
    patterns = [handler.pattern for handler in routed]
    # The last one answers any button the bot no longer knows.
    assert patterns[-1] is None
    assert patterns[:-1] and all(isinstance(p, re.Pattern) and p in ours for p in patterns[:-1])
    # Every kind reaches exactly one handler.
    for kind, _value, data in CASES:
        taking = [p for p in patterns[:-1] if isinstance(p, re.Pattern) and p.match(data)]
        assert len(taking) == 1, (kind.prefix, data)
