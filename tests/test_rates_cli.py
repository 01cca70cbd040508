"""`newsbot rates`, `convert`, `demo` and `chat` follow the rate authority (issue 15)."""

from __future__ import annotations

import json

import pytest

from tests.paths import RATES
from tests.test_chat_cli import chat
from tests.test_cli import run

NBK = str(RATES / "nbk_get_rates_fdate_03.04.2026.xml")
CBU = str(RATES / "cbu_json_all_2026-04-03.json")


@pytest.mark.usefixtures("cli_env")
def test_rates_of_named_currencies_without_history(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "ingest", NBK, CBU)[0] == 0
    code, out, err = run(capsys, "rates", "KZT", "uzs")
    assert code == 0, err
    lines = out.splitlines()
    assert lines[1].split()[:2] == ["KZT", "472.31"] and " nbk" in lines[1]
    assert lines[2].split()[:2] == ["UZS", "12,149.84"] and " cbu" in lines[2]
    code, out, _ = run(capsys, "rates", "UZS", "KZT", "--json")
    rows = json.loads(out)["rates"]
    assert [(r["currency"], r["per_usd"], r["source"]) for r in rows] == [
        ("UZS", "12149.84", "cbu"),
        ("KZT", "472.31", "nbk"),
    ]


@pytest.mark.usefixtures("cli_env")
@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("rates", "XYZ"), "unknown currency code: XYZ"),
        (("rates", "XYZ", "--history", "4"), "unknown currency code: XYZ"),
        (("rates", "KZT", "<b>"), "not a currency code"),
        (("rates", "usd"), "rates are per 1 USD"),
        (("rates", "KZT", "UZS", "--history", "4"), "give a currency and a number of days"),
        (("rates", "--all-sources"), "--all-sources goes with --history"),
        (("convert", "100", "xyz", "kzt"), "unknown currency"),
        (("convert", "100", "usd", "usd"), "both currencies are the same"),
        (("convert", "100"), "no currency found"),
        (("convert", "usd", "kzt"), "no amount found"),
    ],
)
def test_bad_currencies_exit_2_with_one_line(
    capsys: pytest.CaptureFixture[str], argv: tuple[str, ...], message: str
) -> None:
    code, out, err = _argv(capsys, argv)
    assert code == 2 and not out
    assert err.count("\n") == 1 and message in err


def _argv(capsys: pytest.CaptureFixture[str], argv: tuple[str, ...]) -> tuple[int, str, str]:
    try:
        return run(capsys, *argv)
    except SystemExit as exc:  # argparse leaves through SystemExit
        out, err = capsys.readouterr()
        return int(exc.code or 0), out, err


@pytest.mark.usefixtures("cli_env")
def test_convert_without_a_target_lists_what_the_bot_lists(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert run(capsys, "ingest", NBK, CBU)[0] == 0
    code, out, err = run(capsys, "convert", "100", "kzt")
    assert code == 0, err
    targets = [
        line.split(" = ")[1].split()[1]
        for line in out.splitlines()
        if " = " in line and not line.startswith(" ")
    ]
    assert targets == ["USD", "KGS", "UZS", "TJS", "TMT", "RUB", "EUR", "CNY"]
    code, out, _ = run(capsys, "convert", "100", "usd", "--json")
    assert [row["to"] for row in json.loads(out)][:3] == ["KZT", "KGS", "UZS"]


@pytest.mark.usefixtures("cli_env")
def test_convert_help_says_what_it_accepts(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        run(capsys, "convert", "--help")
    out = capsys.readouterr().out
    assert "AMOUNT FROM [TO]" in out and "newsbot convert 100 usd (no TO" in out


@pytest.mark.usefixtures("cli_env")
def test_an_empty_store_and_a_demo_only_store(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "rates")
    assert code == 0 and "No rates stored yet" in out
    code, _, err = run(capsys, "convert", "100", "usd", "kzt")
    assert code == 2 and "no stored rate for KZT" in err
    code, out, _ = run(capsys, "demo")
    assert code == 0 and "loaded 32 demo stories and 24 demo rates" in out
    rates = json.loads(run(capsys, "rates", "--json")[1])["rates"]
    assert {row["source"] for row in rates} == {"demo"}
    code, out, _ = run(capsys, "demo")
    assert "already holds stories or rates: the demo data was not loaded" in out
    code, out, _ = run(capsys, "demo", "--remove")
    assert out.strip() == "Removed 32 demo stories and 24 demo rates."
    assert "No rates stored yet" in run(capsys, "rates")[1]


@pytest.mark.usefixtures("cli_env")
def test_chat_on_a_store_with_bank_rates_adds_no_demo(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, "ingest", NBK)[0] == 0
    code, out, err = chat(monkeypatch, capsys, "/rates kzt\n100 usd to kzt\n")
    assert code == 0, err
    assert "The store was empty" not in out and "demo" not in out
    assert "472.31" in out and "47,231.00 KZT" in out
