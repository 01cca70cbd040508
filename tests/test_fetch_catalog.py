"""The sources file: the bundled one, bad ones, and filling in a bank's date."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sources.catalog import (
    BUNDLED_SOURCES,
    CatalogError,
    bank_today,
    load_catalog,
    parse_every,
    source_url,
)

GOOD = """
[[sources]]
name = "timesca"
kind = "feed"
url = "https://timesca.com/feed/"
lang = "en"
countries = []
every = "15m"
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sources.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_bundled_file_has_six_banks_and_the_regional_outlets() -> None:
    catalog = load_catalog()
    kinds = {spec.kind for spec in catalog}
    assert {"nbk", "nbkr", "cbu", "nbt", "cbt", "cbr"} <= kinds
    names = {spec.name for spec in catalog}
    for outlet in ("timesca", "eurasianet", "24kg", "akipress", "kunuz", "gazetauz"):
        assert outlet in names
    assert {"tengrinews", "asiaplus"} <= names
    assert all(spec.lang for spec in catalog)
    # Every outlet URL is marked as not verified from here.
    text = BUNDLED_SOURCES.read_text(encoding="utf-8")
    feeds = [spec for spec in catalog if spec.kind == "feed"]
    assert text.count("UNVERIFIED") >= len(feeds)


def test_defaults_and_source_countries(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        GOOD.replace('every = "15m"\n', "")
        + '\n[[sources]]\nname = "cbr"\nkind = "cbr"\nurl = "https://cbr.ru/x?d={date:%d/%m/%Y}"'
        + '\ncountries = ["RU"]\n',
    )
    feed, bank = load_catalog(path)
    assert feed.every == timedelta(minutes=15) and bank.every == timedelta(hours=1)
    assert bank.countries == ("RU",) and bank.lang is None
    assert bank.has_history and not feed.has_history


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (('kind = "feed"', 'kind = "blog"'), "source 'timesca': kind must be one of feed, page"),
        (('url = "https://timesca.com/feed/"\n', ""), "source 'timesca': url is missing"),
        (('url = "https://timesca.com/feed/"', 'url = "ftp://x/"'), "url must be an http"),
        (('"https://timesca.com/feed/"', '"https://x/{date:%Y}"'), "only bank URLs may hold"),
        (('"https://timesca.com/feed/"', '"https://x/{when}"'), "not {when}"),
        (('"https://timesca.com/feed/"', '"https://x/{date"'), "unbalanced braces"),
        (('lang = "en"', 'lang = "english"'), "lang must be a language code"),
        (("countries = []", 'countries = ["kz"]'), "countries must be a list of codes"),
        (('every = "15m"', 'every = "often"'), "every 'often' is not an interval"),
        (('every = "15m"', 'every = "0m"'), "outside 1m .. 7d"),
        (('every = "15m"', "every = 15"), "every must be a string"),
        (('lang = "en"', 'lang = "en"\nlanguage = "en"'), "unknown field 'language'"),
        (('name = "timesca"', 'name = "Times CA!"'), "source 1: name must be"),
    ],
)
def test_a_bad_field_is_one_line_naming_source_and_field(
    tmp_path: Path, change: tuple[str, str], message: str
) -> None:
    old, new = change
    assert old in GOOD
    path = write(tmp_path, GOOD.replace(old, new))
    with pytest.raises(CatalogError) as caught:
        load_catalog(path)
    text = str(caught.value)
    assert message in text
    assert "\n" not in text and text.startswith(str(path))


def test_a_name_used_twice_is_refused(tmp_path: Path) -> None:
    with pytest.raises(CatalogError, match="source 'timesca': name is used twice"):
        load_catalog(write(tmp_path, GOOD + GOOD))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("this is not toml = = =", "not valid TOML"),
        ("", "no [[sources]] tables"),
        ("sources = 3", "no [[sources]] tables"),
        ("[[sources]]\n", "source 1: name must be"),
    ],
)
def test_a_broken_file_is_one_line(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(CatalogError) as caught:
        load_catalog(write(tmp_path, text))
    assert message in str(caught.value)


def test_a_huge_or_missing_file_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD + "# " + "x" * 2_000_000 + "\n")
    with pytest.raises(CatalogError, match="larger than 1024 KB"):
        load_catalog(path)
    with pytest.raises(CatalogError, match="cannot read"):
        load_catalog(tmp_path / "missing.toml")


def test_binary_garbage_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "sources.toml"
    path.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(CatalogError, match="not UTF-8"):
        load_catalog(path)


def test_each_bank_url_gets_the_day_in_its_own_format() -> None:
    catalog = {spec.name: spec for spec in load_catalog()}
    day = date(2026, 4, 3)
    assert source_url(catalog["nbk"], day).endswith("fdate=03.04.2026")
    assert source_url(catalog["cbu"], day).endswith("/json/all/2026-04-03/")
    assert "date=2026-04-03&export=xmlout" in source_url(catalog["nbt"], day)
    assert source_url(catalog["cbt"], day).endswith("/kurs/2026/03042026.xml")
    assert source_url(catalog["cbr"], day).endswith("date_req=03/04/2026")
    assert source_url(catalog["nbkr"], day) == "https://www.nbkr.kg/XML/daily.xml"


def test_today_is_the_banks_own_day() -> None:
    # 22:30 UTC on 3 April is 03:30 on the 4th in Almaty and 01:30 on the 4th in Moscow.
    now = datetime(2026, 4, 3, 22, 30, tzinfo=UTC)
    assert bank_today("nbk", now) == date(2026, 4, 4)
    assert bank_today("cbr", now) == date(2026, 4, 4)
    # 20:30 UTC: 01:30 on the 4th in Almaty, 23:30 on the 3rd in Moscow.
    evening = datetime(2026, 4, 3, 20, 30, tzinfo=UTC)
    assert bank_today("nbk", evening) == date(2026, 4, 4)
    assert bank_today("cbr", evening) == date(2026, 4, 3)


@pytest.mark.parametrize("text", ["90s", "15m", "1h", "1d", " 2h "])
def test_intervals(text: str) -> None:
    assert parse_every(text) >= timedelta(minutes=1)


FUZZ = settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@FUZZ
@given(st.text(max_size=400))
def test_any_text_is_a_catalog_or_one_clear_line(tmp_path: Path, text: str) -> None:
    path = tmp_path / "fuzz.toml"
    path.write_text(text, encoding="utf-8")
    try:
        load_catalog(path)
    except CatalogError as exc:
        assert "\n" not in str(exc)


def toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(item) for item in value) + "]"
    if isinstance(value, int):
        return str(value)
    return json.dumps(value)  # a TOML basic string


FIELDS = st.sampled_from(["name", "kind", "url", "lang", "countries", "every", "extra"])
VALUES = st.recursive(
    st.one_of(
        st.booleans(),
        st.integers(-5, 10**6),
        st.text(max_size=30),
        st.sampled_from(["feed", "nbk", "cbr", "https://x.example/{date:%Y}", "15m", "KZ"]),
    ),
    lambda inner: st.lists(inner, max_size=3),
    max_leaves=5,
)


@FUZZ
@given(st.lists(st.dictionaries(FIELDS, VALUES, max_size=7), min_size=1, max_size=3))
def test_any_tables_are_a_catalog_or_one_clear_line(
    tmp_path: Path, tables: list[dict[str, object]]
) -> None:
    text = "\n".join(
        "[[sources]]\n" + "".join(f"{key} = {toml_value(value)}\n" for key, value in table.items())
        for table in tables
    )
    path = tmp_path / "fuzz.toml"
    path.write_text(text, encoding="utf-8")
    try:
        catalog = load_catalog(path)
    except CatalogError as exc:
        assert "\n" not in str(exc) and str(exc).startswith(str(path))
    else:
        assert len({spec.name for spec in catalog}) == len(tables)
