"""The front-door script picks the terminal chat without a token and the bot with one."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _load_dev(root: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("dev_script", ROOT / "dev.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.ROOT = root  # read .env from a scratch folder, not the checkout
    return module


@pytest.mark.parametrize(
    ("environment", "env_file", "expected"),
    [
        ({}, None, False),
        ({"BOT_TOKEN": "123:abc"}, None, True),
        ({"BOT_TOKEN": "   "}, None, False),
        ({}, "BOT_TOKEN=123:abc\n", True),
        ({}, 'export BOT_TOKEN="123:abc"\n', True),
        ({}, "BOT_TOKEN=\nTIMEZONE=Asia/Almaty\n", False),
        ({}, "# BOT_TOKEN=123:abc\n", False),
        ({}, "BOT_TOKEN_OLD=123:abc\n", False),
    ],
)
def test_token_configured_reads_environment_then_dotenv(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    environment: dict[str, str],
    env_file: str | None,
    expected: bool,
) -> None:
    monkeypatch.delenv("BOT_TOKEN", raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    if env_file is not None:
        (tmp_path / ".env").write_text(env_file, encoding="utf-8")
    assert _load_dev(tmp_path).token_configured() is expected


def test_fast_leaves_out_the_slow_tests(tmp_path: Path) -> None:
    dev = _load_dev(tmp_path)
    command = dev.pytest_command(["--fast", "-x", "tests/test_cli.py"])
    assert command[1:] == ["-m", "pytest", "-m", "not slow", "-x", "tests/test_cli.py"]
    assert dev.pytest_command(["-x"])[1:] == ["-m", "pytest", "-x"]


def test_the_slow_modules_are_test_files_that_exist() -> None:
    from tests.conftest import SLOW_MODULES

    missing = sorted(name for name in SLOW_MODULES if not (ROOT / "tests" / f"{name}.py").is_file())
    assert missing == []
