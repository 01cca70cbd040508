"""``newsbot alerts list [--json]`` and ``newsbot alerts run-due`` in process."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from bot.cli import main
from bot.settings import to_async_url
from storage.alerts import NewAlert, add_alert
from storage.database import make_engine, make_sessionmaker, upgrade_database


async def _one_alert(url: str) -> None:
    engine = make_engine(to_async_url(url))
    await upgrade_database(engine)
    async with make_sessionmaker(engine)() as session, session.begin():
        day = date(2026, 11, 27)
        await add_alert(
            session,
            NewAlert(
                -1005, "KGS", "UZS", "below", Decimal("139"), True, Decimal("139.452"), day, day
            ),
            datetime(2026, 11, 27, 9, tzinfo=UTC),
        )
    await engine.dispose()


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_list_shows_every_alert_in_text_and_json(
    cli_env: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["alerts", "list"]) == 0
    assert capsys.readouterr().out == "No alerts are set.\n"
    asyncio.run(_one_alert(cli_env))
    assert main(["alerts", "list"]) == 0
    line = capsys.readouterr().out
    assert "chat -1005  KGS/UZS below 139  (armed; fired 0x; rates seen to 2026-11-27)" in line
    assert main(["alerts", "list", "--json"]) == 0
    (alert,) = json.loads(capsys.readouterr().out)
    assert alert["pair"] == "KGS/UZS" and alert["level"] == "139" and alert["armed"] is True
    assert alert["set_rate"] == "139.452" and alert["seen_as_of"] == "2026-11-27"


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_run_due_needs_a_token_and_a_good_moment(
    cli_env: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["alerts", "run-due"]) == 2
    assert "BOT_TOKEN is not set" in capsys.readouterr().err
    with pytest.raises(SystemExit) as stopped:
        main(["alerts", "run-due", "--now", "'; DROP TABLE alerts; --"])
    assert stopped.value.code == 2 and "--now" in capsys.readouterr().err
    with pytest.raises(SystemExit) as stopped:
        main(["alerts"])
    assert stopped.value.code == 2


def test_newsbot_run_delivers_the_alert_kind() -> None:
    from bot.app import build_application
    from bot.notice_kinds import notice_kinds
    from bot.settings import load_settings

    app = build_application(load_settings(database_url="sqlite:///unused.db"))
    kind = notice_kinds(app).kinds["alert"]
    assert kind.detect is not None and kind.on_migrated is not None
