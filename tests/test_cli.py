"""The ``newsbot`` CLI end to end on a real database, with the recorded bank responses."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import main
from tests.paths import FIXTURES, RATES, head_revision, seed_page

OWN_PAGE = FIXTURES / "pages" / "en_page.txt"

ROOT = Path(__file__).resolve().parents[1]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def rates_by_currency(capsys: pytest.CaptureFixture[str]) -> dict[str, dict[str, str]]:
    code, out, _ = run(capsys, "rates", "--json")
    assert code == 0
    payload = json.loads(out)
    assert payload["base"] == "USD"
    return {row["currency"]: row for row in payload["rates"]}


@pytest.mark.usefixtures("cli_env")
def test_a_page_gives_six_stories_and_five_rates(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "ingest", str(OWN_PAGE))
    assert code == 0, err
    assert "6 stories added" in out and "5 rates added" in out
    rates = rates_by_currency(capsys)
    assert set(rates) == {"KZT", "KGS", "UZS", "TJS", "TMT"}
    kzt = rates["KZT"]
    # The ticker's "0.00193" has three significant digits, so has its inverse.
    assert kzt["per_usd"] == "518"
    assert (kzt["as_of"], kzt["source"]) == ("2025-12-11", "page")
    code, out, _ = run(capsys, "news", "--json", "--limit", "50")
    stories = json.loads(out)
    assert len(stories) == 6
    assert all(s["published"].startswith("2025-12-11") for s in stories)
    dairy = next(s for s in stories if s["title"].startswith("Kazakhstan Plans"))
    assert dairy["countries"][0] == "KZ"


@pytest.mark.usefixtures("cli_env")
def test_the_real_seed_page_ingests_whole(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "ingest", str(seed_page()))
    assert code == 0, err
    assert "6 stories added" in out and "5 rates added" in out


@pytest.mark.usefixtures("cli_env")
def test_bank_files_give_the_published_figures(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(
        capsys,
        "ingest",
        str(RATES / "nbk_get_rates_fdate_03.04.2026.xml"),
        str(RATES / "cbu_json_all_2026-04-03.json"),
    )
    assert code == 0, err
    rates = rates_by_currency(capsys)
    assert rates["KZT"] == {
        "currency": "KZT",
        "per_usd": "472.31",
        "change": "-2.78",
        "as_of": "2026-04-03",
        "source": "nbk",
        "cross_rate": False,
        "stale": True,
    }
    assert (rates["UZS"]["per_usd"], rates["UZS"]["source"]) == ("12149.84", "cbu")


@pytest.mark.usefixtures("cli_env")
def test_every_recorded_bank_file_imports(capsys: pytest.CaptureFixture[str]) -> None:
    files = sorted(str(p) for p in RATES.iterdir() if p.suffix in (".xml", ".json"))
    code, out, err = run(capsys, "ingest", *files)
    assert code == 0, err
    assert out.count("rates added") == len(files)
    rates = rates_by_currency(capsys)
    # Each currency comes from its own central bank unless another bank's figure is more
    # than a week newer: the recorded NBK and CBU files are of 2026-04-03, CBR's of
    # 2026-04-25, NBKR's of 2026-05-23/24 (its cross rates stand in), NBT's of 2026-05-18
    # (five days before NBKR's: NBT stands).
    assert {c: rates[c]["source"] for c in ("KZT", "KGS", "UZS", "TJS", "TMT", "RUB")} == {
        "KZT": "nbkr",
        "KGS": "nbkr",
        "UZS": "nbkr",
        "TJS": "nbt",
        "TMT": "cbt",
        "RUB": "nbkr",
    }
    assert [rates[c]["cross_rate"] for c in ("KZT", "KGS", "TJS", "TMT")] == [
        True,
        False,
        False,
        False,
    ]
    assert rates["TMT"]["per_usd"] == "3.5"
    assert rates["KGS"]["per_usd"] == "87.45"
    assert rates["TJS"]["per_usd"] == "9.345"


@pytest.mark.usefixtures("cli_env")
def test_ingest_twice_adds_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    files = [str(OWN_PAGE), str(RATES / "nbk_get_rates_fdate_01.04.2026.xml")]
    assert run(capsys, "ingest", *files)[0] == 0
    code, out, _ = run(capsys, "ingest", *files)
    assert code == 0
    assert "0 stories added, 6 already stored" in out
    assert "0 rates added, 0 updated" in out


@pytest.mark.usefixtures("cli_env")
def test_older_page_never_overrides_newer_official_rates(
    capsys: pytest.CaptureFixture[str],
) -> None:
    run(capsys, "ingest", str(RATES / "nbk_get_rates_fdate_03.04.2026.xml"), str(OWN_PAGE))
    assert rates_by_currency(capsys)["KZT"]["source"] == "nbk"


@pytest.mark.usefixtures("cli_env")
def test_an_older_file_from_the_same_bank_never_wins(capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "ingest", str(RATES / "nbk_get_rates_fdate_03.04.2026.xml"))
    run(capsys, "ingest", str(RATES / "nbk_get_rates_fdate_01.04.2026.xml"))
    kzt = rates_by_currency(capsys)["KZT"]
    assert (kzt["per_usd"], kzt["as_of"]) == ("472.31", "2026-04-03")


@pytest.mark.usefixtures("cli_env")
def test_cbr_stands_in_when_the_home_bank_is_older(capsys: pytest.CaptureFixture[str]) -> None:
    # NBK of 2026-04-03 is older than CBR of 2026-04-25: the fallback is the newer figure.
    run(capsys, "ingest", str(RATES / "nbk_get_rates_fdate_03.04.2026.xml"))
    run(capsys, "ingest", str(RATES / "cbr_XML_daily.xml"))
    kzt = rates_by_currency(capsys)["KZT"]
    assert (kzt["source"], kzt["as_of"], kzt["cross_rate"]) == ("cbr", "2026-04-25", True)


@pytest.mark.usefixtures("cli_env")
def test_convert_json_contract(capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "ingest", str(RATES / "nbk_get_rates_fdate_03.04.2026.xml"))
    code, out, err = run(capsys, "convert", "100", "usd", "kzt", "--json")
    assert code == 0, err
    assert json.loads(out) == {
        "amount": "100",
        "from": "USD",
        "to": "KZT",
        "result": "47231.00",
        "rate": "472.31",
        "as_of": "2026-04-03",
        "source": "nbk",
    }
    code, out, _ = run(capsys, "convert", "100 долларов в тенге", "--json")
    assert code == 0 and json.loads(out)["result"] == "47231.00"
    code, out, _ = run(capsys, "convert", "1 000,50 KZT USD")
    assert code == 0 and "USD" in out and "nbk" in out


@pytest.mark.usefixtures("cli_env")
@pytest.mark.parametrize(
    "words",
    [
        ["hello"],
        ["-5", "usd", "kzt"],
        ["100", "xyz", "kzt"],
        ["<b>100</b>", "usd", "kzt"],
        ["'; DROP TABLE rates;--"],
        ["9" * 5000, "usd", "kzt"],
        ["١٠٠", "🙂", "kzt"],
    ],
)
def test_convert_bad_input_is_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], words: list[str]
) -> None:
    run(capsys, "ingest", str(RATES / "nbk_get_rates_fdate_03.04.2026.xml"))
    code, out, err = run(capsys, "convert", *words)
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1 and err.startswith("newsbot: ")
    assert "newsbot convert 100 usd kzt" in err or "no stored rate" in err
    assert rates_by_currency(capsys)["KZT"]["per_usd"] == "472.31"  # nothing lost


@pytest.mark.usefixtures("cli_env")
def test_convert_without_rates_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "convert", "100", "usd", "kzt")
    assert code == 2 and "no stored rate for KZT" in err


def _bad_files(folder: Path) -> dict[str, bytes]:
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">]>'
        b"<rss><channel><title>&c;</title><item><title>&c;</title></item></channel></rss>"
    )
    nbk = (RATES / "nbk_get_rates_fdate_03.04.2026.xml").read_bytes()
    return {
        "empty.xml": b"",
        "truncated.xml": nbk[: len(nbk) // 2],
        "random.bin": os.urandom(4096),
        "bomb.xml": bomb,
        "cp1251.jsonl": '{"title": "Новости Бишкека"}\n'.encode("cp1251"),
    }


@pytest.mark.usefixtures("cli_env")
def test_bad_files_are_reported_and_the_good_ones_import(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    paths = []
    for name, data in _bad_files(tmp_path).items():
        path = tmp_path / name
        path.write_bytes(data)
        paths.append(str(path))
    blob = tmp_path / "blob.xml"
    with blob.open("wb") as handle:  # 50 MB that start like a feed
        handle.write(b'<?xml version="1.0"?><rss><channel>')
        handle.write(b"<item><title>x</title></item>" * (50 * 1024 * 1024 // 29))
    good = str(RATES / "cbu_json_all_2026-04-03.json")
    code, out, err = run(capsys, "ingest", *paths, str(blob), good)
    assert code == 1
    for name in [*_bad_files(tmp_path), "blob.xml"]:
        assert f"{name}: not imported: " in err, name
    assert "too large" in err and "entity" in err and "empty" in err
    assert "cbu_json_all_2026-04-03.json: cbu: " in out
    assert rates_by_currency(capsys)["UZS"]["per_usd"] == "12149.84"
    code, out, _ = run(capsys, "news", "--json")
    assert json.loads(out) == []


@pytest.mark.usefixtures("cli_env")
def test_jsonl_bad_lines_are_reported_and_good_lines_kept(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "mixed.jsonl"
    path.write_text(
        '{"title": "Dushanbe opens a new bridge", "url": "https://example.org/1"}\n'
        "{not json\n"
        '{"text": "no title here"}\n'
        "\n"
        '{"title": "Tashkent metro line extended", "published": "2026-11-20T10:00:00+05:00",'
        ' "countries": ["UZ"]}\n'
        '["an", "array"]\n',
        encoding="utf-8",
    )
    code, out, err = run(capsys, "ingest", str(path))
    assert code == 0
    assert "2 stories added" in out
    assert "mixed.jsonl:2: " in err and "mixed.jsonl:3: " in err and "mixed.jsonl:6: " in err
    code, out, _ = run(capsys, "news", "--json", "--country", "uz")
    assert run(capsys, "news", "--json", "--country", "Ташкент")[1] == out
    assert run(capsys, "news", "--json", "--country", "Uzbekstan")[1] == out
    (story,) = json.loads(out)
    assert story["title"] == "Tashkent metro line extended"
    assert story["published"] == "2026-11-20T10:00:00+05:00"  # shown in Asia/Almaty
    assert story["countries"][0] == "UZ"
    assert set(story) == {"id", "title", "url", "published", "source", "lang", "countries"}


@pytest.mark.usefixtures("cli_env")
def test_demo_loads_once_and_shows_rates_and_news(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "demo")
    assert code == 0, err
    assert "Official rates per 1 USD" in out and "KZT" in out and "Latest stories" in out
    code, out, _ = run(capsys, "news", "--json", "--limit", "100")
    stories = json.loads(out)
    assert len(stories) >= 30
    assert {c for s in stories for c in s["countries"][:1]} >= {"KZ", "KG", "UZ", "TJ", "TM"}
    assert run(capsys, "demo")[0] == 0
    code, out, _ = run(capsys, "news", "--json", "--limit", "100")
    assert len(json.loads(out)) == len(stories)


@pytest.mark.usefixtures("cli_env")
@pytest.mark.parametrize(
    "argv",
    [
        ["news", "--limit", "0"],
        ["news", "--limit", "-3"],
        ["news", "--limit", "lots"],
        ["news", "--country", "'; DROP TABLE stories;--"],
        ["news", "--country", "<b>KZ</b>"],
        ["frobnicate"],
        [],
        ["ingest"],
    ],
)
def test_usage_errors_exit_2_with_one_line(
    capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 2
    out, err = capsys.readouterr()
    assert out == "" and err.strip().count("\n") <= 1 and err.startswith("newsbot")


@pytest.mark.parametrize(
    "command",
    [[], ["ingest"], ["news"], ["rates"], ["convert"], ["db"], ["db", "upgrade"], ["run"]],
)
def test_every_command_has_help(capsys: pytest.CaptureFixture[str], command: list[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main([*command, "--help"])
    assert exit_info.value.code == 0
    assert "usage: newsbot" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("DATABASE_URL", "mysql://nope", "DATABASE_URL: unsupported database"),
        ("TIMEZONE", "Mars/Olympus", "TIMEZONE: unknown time zone"),
        ("ADMIN_IDS", "12,abc", "ADMIN_IDS: must be comma-separated"),
        ("DEFAULT_LANGUAGE", "xx", "DEFAULT_LANGUAGE: must be one of"),
        ("SOURCES_FILE", "/no/such/file.toml", "SOURCES_FILE: no such file"),
    ],
)
def test_bad_setting_stops_with_one_line(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    name: str,
    value: str,
    expected: str,
) -> None:
    monkeypatch.setenv(name, value)
    code, out, err = run(capsys, "rates")
    assert code == 2 and out == ""
    assert err.startswith(f"newsbot: {expected}") and err.count("\n") == 1


def test_unreachable_database_is_one_line(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/missing/dir/x.db")
    code, _, err = run(capsys, "rates")
    assert code == 2 and err.startswith("newsbot: DATABASE_URL: no such folder")
    monkeypatch.setenv("DATABASE_URL", "postgresql://nobody@127.0.0.1:1/none")
    code, _, err = run(capsys, "rates")
    assert code == 2 and err.startswith("newsbot: DATABASE_URL: cannot open the database")
    assert err.count("\n") == 1


@pytest.mark.usefixtures("cli_env")
def test_db_upgrade_reports_the_revision(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "db", "upgrade")
    assert code == 0 and f"revision {head_revision()}" in out


def test_python_dash_m_bot_runs_the_cli(tmp_path: Path) -> None:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path}/m.db"}
    result = subprocess.run(
        [sys.executable, "-m", "bot", "rates", "--json"],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"base": "USD", "rates": []}


def test_newsbot_console_script_is_installed(tmp_path: Path) -> None:
    script = Path(sys.executable).parent / "newsbot"
    assert script.exists(), "pip install -e . should create the newsbot script"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path}/s.db"}
    result = subprocess.run(
        [str(script), "db", "upgrade"], capture_output=True, text=True, env=env, check=False
    )
    assert result.returncode == 0 and f"revision {head_revision()}" in result.stdout


def test_long_files_get_a_progress_bar_on_a_terminal(tmp_path: Path) -> None:
    import io

    from rich.console import Console

    from bot.cli_commands import PROGRESS_FROM_BYTES, _progress_factory

    small, big = tmp_path / "small.jsonl", tmp_path / "big.jsonl"
    small.write_text('{"title": "x"}\n')
    big.write_bytes(b'{"title": "x"}\n' * (PROGRESS_FROM_BYTES // 15 + 1))
    screen = io.StringIO()
    factory = _progress_factory(Console(file=screen, force_terminal=True, width=80))
    assert factory(small) is None
    advance = factory(big)
    assert advance is not None
    advance(big.stat().st_size // 2, big.stat().st_size)
    advance(big.stat().st_size, big.stat().st_size)
    assert "big.jsonl" in screen.getvalue()
    piped = _progress_factory(Console(file=io.StringIO(), force_terminal=False))
    assert piped(big) is None  # no bar when output is not a terminal


def test_exit_now_flushes_the_output_and_the_log_before_ending(tmp_path: Path) -> None:
    # What the run-due commands end with: no Python teardown, but nothing printed is lost,
    # even when stdout is a pipe (block-buffered) and the log has a file of its own.
    log_file = tmp_path / "pass.log"
    script = (
        "import logging, sys\n"
        "from bot.cli import exit_now\n"
        f"logging.basicConfig(filename={str(log_file)!r})\n"
        "logging.getLogger('pass').warning('последний — digests: 3 sent')\n"
        "print('digests: 3 claimed, 3 sent ' * 200)\n"
        "print('to stderr', file=sys.stderr)\n"
        "exit_now(3)\n"
        "print('never')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, check=False
    )
    assert result.returncode == 3
    assert result.stdout == "digests: 3 claimed, 3 sent " * 200 + "\n"
    assert result.stderr == "to stderr\n"
    assert "последний — digests: 3 sent" in log_file.read_text(encoding="utf-8")
