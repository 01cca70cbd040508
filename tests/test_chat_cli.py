"""`newsbot chat`: the real bot in a terminal through the emulator, driven by piped lines."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from rich.console import Console

from bot.cli import main
from bot_api_emulator.console import rich_text

ROOT = Path(__file__).resolve().parents[1]


def chat(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], lines: str, *argv: str
) -> tuple[int, str, str]:
    monkeypatch.setattr("sys.stdin", io.StringIO(lines))
    code = main(["chat", *argv])
    out, err = capsys.readouterr()
    return code, out, err


MARKER = re.compile(r"^(bot(?: \(edited\))? ›|you .*|inline results ›)$", re.MULTILINE)


def bot_blocks(out: str) -> list[str]:
    """The transcript cut into the bot's messages (each without its header line)."""
    parts = MARKER.split(out)
    # split() with one group alternates: text, marker, text, marker, ...
    return [
        parts[i + 1].strip("\n") for i in range(1, len(parts) - 1, 2) if parts[i].startswith("bot")
    ]


@pytest.mark.usefixtures("cli_env")
def test_start_press_a_button_rates_and_eof(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = chat(monkeypatch, capsys, "/start\n1\n/rates\n")
    assert code == 0, err
    assert "The store was empty: loaded the demo stories and rates." in out
    assert "you › /start" in out and "you › 1" in out
    start, pressed, rates = bot_blocks(out)
    assert "[1]" in start and "[2]" in start  # the /start keyboard is numbered
    # Button 1 of /start is the rates button: pressing it shows the same table as /rates.
    assert "KZT" in pressed and "KZT" in rates
    assert pressed.splitlines()[:9] == rates.splitlines()[:9]


@pytest.mark.usefixtures("cli_env")
def test_inline_mode_and_sending_a_result(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = chat(monkeypatch, capsys, "@ 100 usd kzt\n1\n")
    assert code == 0, err
    results = out.split("inline results ›\n", 1)[1]
    first = results.splitlines()[0]
    assert first.startswith(" [1] ") and "KZT" in first
    assert "you (via @CentralAsiaNewsBot) › " in out


@pytest.mark.usefixtures("cli_env")
@pytest.mark.parametrize(
    ("lang", "you", "bot", "results", "via", "loaded"),
    [
        (
            "ru",
            "вы",
            "бот",
            "результаты",
            "вы (через @CentralAsiaNewsBot)",
            "База была пуста: загружены демонстрационные новости и курсы.",
        ),
        (
            "kk",
            "сіз",
            "бот",
            "нәтижелер",
            "сіз (@CentralAsiaNewsBot арқылы)",
            "Дерекқор бос еді: көрсетілім жаңалықтары мен бағамдары жүктелді.",
        ),
    ],
)
def test_lang_prompts_in_that_language(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    lang: str,
    you: str,
    bot: str,
    results: str,
    via: str,
    loaded: str,
) -> None:
    code, out, err = chat(monkeypatch, capsys, "/help\n@ 100 usd kzt\n1\n", "--lang", lang)
    assert code == 0, err
    lines = out.splitlines()
    assert loaded in lines
    assert f"{you} › /help" in lines and f"{bot} ›" in lines and f"{results} ›" in lines
    assert any(line.startswith(f"{via} › ") for line in lines)
    assert not re.search(r"\b(you|bot|inline results|loaded)\b", "\n".join(lines[:3]))


@pytest.mark.usefixtures("cli_env")
def test_chart_photo_is_saved_to_a_file(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = chat(monkeypatch, capsys, "/chart kzt 30d\n")
    assert code == 0, err
    saved = re.search(r"\[photo saved to (.+\.png)\]", out)
    assert saved is not None, out
    assert Path(saved.group(1)).read_bytes().startswith(b"\x89PNG")


@pytest.mark.usefixtures("cli_env")
def test_garbage_lines_get_answers_not_tracebacks(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    garbage = [
        "<script>alert(1)</script> & <b>",
        "\u202e\u0000💥" * 50,
        "x" * 10000,
        "/convert -5 usd kzt",
        "/nosuchcommand",
        "999",  # no button 999: sent as text
        "@",
        "   ",
    ]
    code, out, err = chat(monkeypatch, capsys, "\n".join(garbage) + "\n")
    assert code == 0, err
    assert "Traceback" not in out + err
    # Every line that is not blank gets a bot message or inline results back.
    answered = len(bot_blocks(out)) + out.count("inline results ›") + out.count("no inline results")
    assert answered >= 7


@pytest.mark.usefixtures("cli_env")
def test_empty_input_exits_0(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = chat(monkeypatch, capsys, "")
    assert code == 0, err
    assert "bot ›" not in out


def test_unknown_language_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["chat", "--lang", "xx"])
    assert caught.value.code == 2
    assert "invalid choice" in capsys.readouterr().err


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_piped_into_the_real_command(cli_env: str, tmp_path: Path) -> None:
    env = dict(os.environ, DATABASE_URL=cli_env)
    env.pop("BOT_TOKEN", None)
    done = subprocess.run(
        [sys.executable, "-m", "bot", "chat"],
        input="/rates\n/news\n",
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    rates, news = bot_blocks(done.stdout)
    assert "KZT" in rates
    assert "https://" in news  # story links are shown with their URL
    # The operators' line per update stays out of a chat (it is for `newsbot run`).
    assert "newsbot.updates" not in done.stdout + done.stderr


@pytest.mark.usefixtures("cli_env")
def test_a_long_piped_script_is_not_taken_for_a_flood(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = chat(monkeypatch, capsys, "/rates kzt\n" * 45)
    assert code == 0, err
    answers = bot_blocks(out)
    assert len(answers) == 45 and all("KZT" in answer for answer in answers)
    assert "too fast" not in out


def test_links_are_shown_with_their_url_and_styles_follow_entities() -> None:
    text = "🇰🇿 bold and link"
    entities = [
        {"type": "bold", "offset": 5, "length": 4},
        {"type": "text_link", "offset": 14, "length": 4, "url": "https://x.kz"},
    ]
    rendered = rich_text(text, entities)
    assert rendered.plain == "🇰🇿 bold and link (https://x.kz)"
    console = Console(file=io.StringIO(), force_terminal=True, color_system="standard")
    console.print(rendered)
    assert "\x1b[1mbold" in console.file.getvalue()  # type: ignore[attr-defined]


_IMPORTED = """
import json
import sys
from bot.cli import build_parser
build_parser()
stages = [[m for m in sorted(sys.modules) if m.split(".")[0] in HEAVY]]
import bot.run
stages.append([m for m in sys.modules if m.split(".")[0] in HEAVY | {"bot_api_emulator"}])
print(json.dumps(stages))
"""


def test_each_command_imports_only_what_it_needs() -> None:
    """`newsbot --help` loads no library stack; `newsbot run` no emulator, rich or search."""
    heavy = "{'telegram', 'sqlalchemy', 'alembic', 'rich', 'matplotlib', 'numpy', 'httpx'}"
    done = subprocess.run(
        [sys.executable, "-c", f"HEAVY = {heavy}\n{_IMPORTED}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    parsing, running = json.loads(done.stdout)
    assert parsing == []
    assert {"telegram", "sqlalchemy"} <= {name.split(".")[0] for name in running}
    # Alembic loads only when the schema needs migrating; the search engine (numpy) once
    # polling has started.
    for absent in ("rich", "matplotlib", "numpy", "alembic", "bot_api_emulator"):
        assert not any(name.split(".")[0] == absent or name.startswith(absent) for name in running)
