"""``newsbot search`` end to end on a real database: one query, stdin, JSON, bad input."""

from __future__ import annotations

import io
import json
import sys

import pytest

from bot.cli import main
from tests.paths import FIXTURES


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def seeded(cli_env: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "ingest", str(FIXTURES / "pages" / "en_page.txt"))
    assert code == 0, err


@pytest.mark.usefixtures("seeded")
def test_one_query_prints_the_best_stories(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "search", "will", "kazakhstan", "double", "its", "dairy", "output?")
    assert code == 0
    assert out.splitlines()[0].endswith("Kazakhstan Plans to Double Its Dairy Output by 2028")


@pytest.mark.usefixtures("seeded")
def test_json_limit_and_country(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "search", "refinary kyrgystan", "--json", "--limit", "2")
    assert code == 0
    hits = json.loads(out)
    assert len(hits) == 2
    assert hits[0]["title"].startswith("Kyrgyz-Chinese Oil Refinery")
    assert set(hits[0]) == {
        "id",
        "title",
        "url",
        "published",
        "source",
        "lang",
        "countries",
        "score",
    }
    assert hits[0]["score"] >= hits[1]["score"]
    code, out, _ = run(capsys, "search", "oil refinery", "--json", "--country", "Kyrgyzstan")
    assert code == 0 and all("KG" in hit["countries"] for hit in json.loads(out))
    code, out, _ = run(capsys, "search", "zzqx nothing like it", "--json")
    assert (code, json.loads(out)) == (0, [])


@pytest.mark.usefixtures("seeded")
def test_stdin_answers_each_line_with_one_line(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    lines = "oil refinary\n\n<script>alert(1)</script>\nmilitary exercises\n" + "x" * 20_000 + "\n"
    monkeypatch.setattr(sys, "stdin", io.StringIO(lines))
    code, out, _ = run(capsys, "search", "-", "--json", "--limit", "3")
    assert code == 0
    answers = [json.loads(line) for line in out.splitlines()]
    assert len(answers) == 5
    assert answers[0][0]["title"].startswith("Kyrgyz-Chinese")
    assert answers[1] == [] and answers[2] == [] and answers[4] == []
    assert "Military Exercises" in answers[3][0]["title"]
    assert all(len(answer) <= 3 for answer in answers)


@pytest.mark.usefixtures("seeded")
def test_stdin_without_query_and_plain_text(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("Dushanbe summit\nпочему?\n"))
    code, out, _ = run(capsys, "search", "--limit", "1")
    assert code == 0
    first, second = out.splitlines()
    assert first.startswith("#") and "Dushanbe" in first
    assert second == "no stories found"


@pytest.mark.usefixtures("cli_env")
@pytest.mark.parametrize(
    "argv",
    [
        ["search", "milk", "--limit", "0"],
        ["search", "milk", "--limit", "-3"],
        ["search", "milk", "--limit", "many"],
        ["search", "milk", "--country", "Atlantis"],
        ["search", "milk", "--country", "<b>KZ</b>"],
    ],
)
def test_bad_arguments_exit_2_with_one_line(
    capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


@pytest.mark.usefixtures("cli_env")
def test_an_empty_query_exits_2_with_an_example(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "search", "   ")
    assert code == 2 and out == ""
    assert err.strip().count("\n") == 0 and "e.g. newsbot search" in err
