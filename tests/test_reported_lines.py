"""Nothing is left out silently: broken JSON Lines lines as FILE:LINE, dropped bank rows."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.cli import main
from sources.catalog import SourceSpec
from sources.ingest import Ingestor
from sources.intake import store_body
from storage.rates import list_newest_quotes
from storage.stories import count_stories
from tests.paths import RATES

NBK_DAY = RATES / "nbk_get_rates_fdate_03.04.2026.xml"
CBT_DAY = RATES / "cbt_kurs_20052026.xml"


def _nbk_with_bad_rows() -> bytes:
    text = NBK_DAY.read_text(encoding="utf-8")
    text = text.replace("<description>324.15</description>", "<description>0</description>")
    text = text.replace("<description>278.65</description>", "<description>-278.65</description>")
    return text.encode()


def _cbt_with_a_repeated_row() -> bytes:
    text = CBT_DAY.read_text(encoding="utf-8")
    start = text.index('\t<rate code="AED">')
    row = text[start : text.index("</rate>", start) + len("</rate>\n")]
    return text.replace(row, row + row.replace("0.9529", "0.9999"), 1).encode()


async def test_a_broken_first_line_does_not_refuse_the_good_ones(
    sessions: async_sessionmaker[AsyncSession], tmp_path: Path
) -> None:
    path = tmp_path / "stories.jsonl"
    path.write_text(
        '{"title": "Cut off in the midd\n'
        '{"title": "Samarkand opens a new museum"}\n'
        "\n"
        '["not", "an", "object"]\n'
        '{"title": "Astana hosts a forum", "published": "yesterday"}\n'
        '{"text": "no title"}\n',
        encoding="utf-8",
    )
    report = await Ingestor(sessions).ingest_file(path)
    assert report.ok and report.kind == "jsonl" and report.stories_added == 1
    assert [line.split(": ")[0] for line in report.problems] == [
        "stories.jsonl:1",
        "stories.jsonl:4",
        "stories.jsonl:5",
        "stories.jsonl:6",
    ]
    assert report.problems[0].startswith("stories.jsonl:1: invalid JSON")
    async with sessions() as session:
        assert await count_stories(session) == 1


async def test_zero_negative_and_repeated_bank_rows_are_reported(
    sessions: async_sessionmaker[AsyncSession], tmp_path: Path
) -> None:
    nbk = tmp_path / "nbk.xml"
    nbk.write_bytes(_nbk_with_bad_rows())
    cbt = tmp_path / "cbt.xml"
    cbt.write_bytes(_cbt_with_a_repeated_row())
    ingestor = Ingestor(sessions)
    nbk_report, cbt_report = await ingestor.ingest_file(nbk), await ingestor.ingest_file(cbt)
    assert nbk_report.problems == [
        "nbk.xml: NBK AUD on 2026-04-03: rate 0 is not positive, dropped",
        "nbk.xml: NBK AZN on 2026-04-03: rate -278.65 is not positive, dropped",
    ]
    assert cbt_report.problems == ["cbt.xml: AED: repeated row dropped, the first one kept"]
    async with sessions() as session:
        stored = {(q.source, q.currency): q.per_usd for q in await list_newest_quotes(session)}
    assert ("nbk", "AUD") not in stored and ("nbk", "AZN") not in stored
    assert ("nbk", "EUR") in stored and ("cbt", "AED") in stored


async def test_a_fetched_bank_body_reports_its_dropped_rows(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    spec = SourceSpec("nbk", "nbk", "https://nbk.example/", None, (), timedelta(hours=1))
    async with sessions() as session, session.begin():
        intake = await store_body(session, spec, _nbk_with_bad_rows(), None)
    assert intake.rates_added > 0
    assert intake.problems == [
        "NBK AUD on 2026-04-03: rate 0 is not positive, dropped",
        "NBK AZN on 2026-04-03: rate -278.65 is not positive, dropped",
    ]


@pytest.mark.usefixtures("cli_env")
def test_newsbot_ingest_prints_every_bad_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "late.jsonl"
    path.write_text('{"title": \n{"title": "Osh bazaar reopens"}\n', encoding="utf-8")
    assert main(["ingest", str(path)]) == 0
    out, err = capsys.readouterr()
    assert "1 story added" in out
    assert "late.jsonl:1: invalid JSON" in err
