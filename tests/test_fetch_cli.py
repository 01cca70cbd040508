"""``newsbot fetch``, ``newsbot sources`` and ``newsbot rates CUR --history`` end to end."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.cli import main
from sources.catalog import SourceSpec, bank_today
from sources.fetcher import fetch_pass
from sources.transport import FetchConfig
from storage.models import utc_now
from storage.rates import list_daily_rates
from tests.fetch_server import LocalServer, Route, serve
from tests.paths import FIXTURES, RATES

GOOD = (
    b'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>T</title>'
    b"<item><title>Bishkek hosts a Central Asian film week</title>"
    b"<link>https://kg.example/films</link><pubDate>Thu, 02 Apr 2026 08:00:00 +0600</pubDate>"
    b"</item></channel></rss>"
)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as exc:  # argparse's usage errors
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def web() -> Iterator[LocalServer]:
    today = bank_today("nbk", utc_now())
    with serve(
        {
            "/good": Route(body=GOOD, etag='"g1"'),
            "/403": Route(status=403),
            "/loop": Route(redirect_to="/loop"),
            "/bomb": Route(body=(FIXTURES / "feeds" / "entity_bomb.xml").read_bytes()),
            f"/nbk?fdate={today:%d.%m.%Y}": Route(
                body=(RATES / "nbk_get_rates_fdate_03.04.2026.xml").read_bytes()
            ),
        }
    ) as server:
        yield server


def sources_file(tmp_path: Path, web: LocalServer, monkeypatch: pytest.MonkeyPatch) -> Path:
    lines = []
    for name, kind, path in (
        ("nbk", "nbk", "/nbk?fdate={date:%d.%m.%Y}"),
        ("good", "feed", "/good"),
        ("blocked", "feed", "/403"),
        ("loop", "feed", "/loop"),
        ("bomb", "feed", "/bomb"),
    ):
        lines.append(
            f'[[sources]]\nname = "{name}"\nkind = "{kind}"\nurl = "{web.url(path)}"\n'
            f'lang = "en"\ncountries = ["KG"]\n'
        )
    path = tmp_path / "my-sources.toml"
    path.write_text("\n".join(lines), encoding="utf-8")
    monkeypatch.setenv("SOURCES_FILE", str(path))
    return path


@pytest.mark.usefixtures("cli_env")
def test_fetch_then_sources_say_what_happened(
    capsys: pytest.CaptureFixture[str],
    web: LocalServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sources_file(tmp_path, web, monkeypatch)
    code, out, err = run(capsys, "fetch")
    assert code == 1  # some sources failed
    assert "good (feed): 1 story added, 0 already stored" in out
    assert "nbk (nbk): " in out and "rates added" in out and "(as of 2026-04-03)" in out
    assert "blocked (feed): FAILED: HTTP 403 Forbidden" in err
    assert "loop (feed): FAILED: more than 5 redirects" in err
    assert "bomb (feed): FAILED: entity declarations are not allowed" in err
    assert out.strip().endswith("5 sources: 2 fetched, 0 not modified, 3 failed")

    code, out, _ = run(capsys, "sources", "--json")
    assert code == 0
    rows = {row["name"]: row for row in json.loads(out)}
    assert list(rows) == ["nbk", "good", "blocked", "loop", "bomb"]
    assert rows["good"]["consecutive_failures"] == 0 and rows["good"]["last_success"]
    assert rows["good"]["last_error"] is None
    assert rows["blocked"]["consecutive_failures"] == 1
    assert "403" in rows["blocked"]["last_error_reason"]
    assert "redirect" in rows["loop"]["last_error_reason"]
    assert "entity" in rows["bomb"]["last_error_reason"]
    assert all(row["next_fetch"] for row in rows.values())

    # The second run: the feed answers 304, the failures count up.
    code, out, err = run(capsys, "fetch")
    assert "good (feed): not modified since the last fetch" in out
    code, out, _ = run(capsys, "sources")
    assert "blocked (feed, every 15m)" in out
    assert "2 failures in a row" in out and "HTTP 403 Forbidden" in out

    code, out, _ = run(capsys, "rates", "KZT", "--history", "4000", "--json")
    assert code == 2  # over the limit: a usage error, not a traceback


@pytest.mark.usefixtures("cli_env")
def test_fetch_one_source_and_read_its_history(
    capsys: pytest.CaptureFixture[str],
    web: LocalServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sources_file(tmp_path, web, monkeypatch)
    code, out, _ = run(capsys, "fetch", "--source", "good")
    assert code == 0 and out.count("(feed)") == 1
    code, _, err = run(capsys, "fetch", "--source", "nope")
    assert code == 2 and "no source named 'nope'; the sources are: nbk, good" in err
    code, out, err = run(capsys, "rates", "usd", "--history", "30", "--json")
    assert code == 2 and "rates are per 1 USD" in err and not out
    code, out, err = run(capsys, "rates", "XYZ", "--history", "4")
    assert code == 2 and err.count("\n") == 1 and "unknown currency code: XYZ" in err
    code, out, _ = run(capsys, "rates", "KZT", "--history", "3650")
    assert "No KZT rates stored since" in out


@pytest.mark.usefixtures("cli_env")
@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("fetch", "--since", "yesterday"), "not a date: 'yesterday'"),
        (("fetch", "--since", "2999-01-01"), "is in the future"),
        (("rates", "KZT", "--history", "-3"), "must be between 1 and 3660"),
        (("rates", "KZT", "--history", "ten"), "not a whole number of days"),
        (("rates", "<b>", "--history", "3"), "not a currency code"),
        (("rates", "--history", "3"), "give a currency and a number of days"),
    ],
)
def test_bad_arguments_are_one_line(
    capsys: pytest.CaptureFixture[str], argv: tuple[str, ...], message: str
) -> None:
    code, _, err = run(capsys, *argv)
    assert code == 2 and message in err and "Traceback" not in err


@pytest.mark.usefixtures("cli_env")
def test_a_bad_sources_file_is_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "bad.toml"
    path.write_text('[[sources]]\nname = "x"\nkind = "rss"\nurl = "https://x/"\n')
    monkeypatch.setenv("SOURCES_FILE", str(path))
    code, _, err = run(capsys, "sources")
    assert code == 2
    assert err.strip() == f"newsbot: SOURCES_FILE: {path}: source 'x': kind must be one of " + (
        "feed, page, nbk, nbkr, cbu, nbt, cbt, cbr"
    )


FAST = FetchConfig(read_timeout=1.0, total_timeout=3.0, attempts=1)


async def test_backfill_walks_the_archive_day_by_day(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    with serve(
        {
            "/cbu/2026-04-01/": Route(body=(RATES / "cbu_json_all_2026-04-01.json").read_bytes()),
            "/cbu/2026-04-03/": Route(body=(RATES / "cbu_json_all_2026-04-03.json").read_bytes()),
            "/nbkr/daily.xml": Route(body=(RATES / "nbkr_daily.xml").read_bytes()),
        }
    ) as web:
        specs = [
            SourceSpec(
                "cbu", "cbu", web.url("/cbu/{date:%Y-%m-%d}/"), "en", (), timedelta(hours=1)
            ),
            SourceSpec("nbkr", "nbkr", web.url("/nbkr/daily.xml"), "ru", (), timedelta(hours=1)),
        ]
        now = datetime(2026, 4, 3, 5, 0, tzinfo=UTC)  # 10:00 in Tashkent
        cbu, nbkr = await fetch_pass(
            specs, sessions, config=FAST, since=date(2026, 4, 1), clock=lambda: now
        )
        asked = sorted(path for path in web.served.hits if path.startswith("/cbu/"))
    assert asked == ["/cbu/2026-04-01/", "/cbu/2026-04-02/", "/cbu/2026-04-03/"]
    assert cbu.ok and cbu.days == 3
    assert [line[:10] for line in cbu.failed_days] == ["2026-04-02"]
    assert "HTTP 404" in cbu.failed_days[0]
    assert cbu.intake.rate_days == {date(2026, 4, 1), date(2026, 4, 3)}
    assert nbkr.ok and nbkr.intake.problems == ["no archive: fetched today only"]
    async with sessions() as session:
        uzs = await list_daily_rates(session, "UZS", date(2026, 3, 30))
    assert [q.as_of for q in uzs] == [date(2026, 4, 1), date(2026, 4, 3)]
    assert {q.source for q in uzs} == {"cbu"}
