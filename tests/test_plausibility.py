"""Plausibility at the door: absurd rate figures are held back with a reason, never current."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.cli import main
from core.plausibility import BOUNDS, DEFAULT_BOUNDS, bounds_of, check_quote
from core.types import RateQuote
from sources.ingest import Ingestor
from sources.rate_gate import judge_quotes
from storage.models import RateRejectionRow, RateRow
from storage.rate_rejections import list_rejections
from storage.rates import list_current_rates
from tests.paths import RATES

NBK_DAY = RATES / "nbk_get_rates_fdate_03.04.2026.xml"


def kzt(figure: str, day: date, source: str = "nbk") -> RateQuote:
    return RateQuote("KZT", Decimal(figure), None, day, source)


def nbk_file(folder: Path, name: str, *, usd: str = "472.31", day: str = "03.04.2026") -> Path:
    """The recorded NBK file with its USD figure and date changed."""
    text = NBK_DAY.read_text(encoding="utf-8")
    text = text.replace("<description>472.31</description>", f"<description>{usd}</description>")
    text = text.replace("<date>03.04.2026</date>", f"<date>{day}</date>")
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_every_home_currency_has_bounds_that_hold_todays_rate() -> None:
    today = {"KZT": "472", "KGS": "87.4", "UZS": "12100", "TJS": "9.4", "TMT": "3.5"}
    for currency, figure in today.items():
        bounds = BOUNDS[currency]
        assert bounds.low < Decimal(figure) < bounds.high
    assert bounds_of("JPY") == DEFAULT_BOUNDS


@pytest.mark.parametrize("figure", ["1e29", "1e43", "0.0000000001", "0", "-472.31", "49.99"])
def test_figures_outside_the_range_are_held_back(figure: str) -> None:
    rejection = check_quote(kzt(figure, date(2026, 4, 3)), None)
    assert rejection is not None and rejection.kind == "range"
    assert "outside 50..5000 KZT per USD" in rejection.summary()


def test_a_move_is_allowed_more_the_more_days_lie_between() -> None:
    before = kzt("472", date(2026, 4, 2))
    assert check_quote(kzt("560", date(2026, 4, 3)), before) is None  # +19 %: a devaluation
    jump = check_quote(kzt("4720", date(2026, 4, 3)), before)  # a wrong unit count
    assert jump is not None and jump.kind == "move" and jump.previous == before
    assert "too far from 472 on 2026-04-02" in jump.summary()
    assert check_quote(kzt("4720", date(2026, 5, 3)), before) is None  # a month later: allowed
    # A fall counts as much as the rise that would undo it.
    assert check_quote(kzt("236", date(2026, 4, 3)), before) is not None
    assert check_quote(kzt("400", date(2026, 4, 3)), before) is None


def test_a_bad_day_does_not_condemn_the_days_after_it() -> None:
    stored = [kzt("470", date(2026, 4, 1))]
    batch = [kzt("472", date(2026, 4, 2)), kzt("4720", date(2026, 4, 3))]
    batch.append(kzt("473", date(2026, 4, 4)))
    accepted, rejected = judge_quotes(batch, stored)
    assert [q.per_usd for q in accepted] == [Decimal("472"), Decimal("473")]
    assert [r.quote.per_usd for r in rejected] == [Decimal("4720")]
    assert rejected[0].previous == batch[0]  # judged by the accepted day before it


async def _rates(sessions: async_sessionmaker[AsyncSession]) -> list[RateRow]:
    async with sessions() as session:
        return list((await session.execute(select(RateRow))).scalars())


async def test_an_absurd_bank_figure_is_stored_as_rejected_and_never_current(
    sessions: async_sessionmaker[AsyncSession], tmp_path: Path
) -> None:
    ingestor = Ingestor(sessions)
    good = await ingestor.ingest_file(NBK_DAY)
    assert good.ok and good.rates_rejected == 0
    bad = await ingestor.ingest_file(
        nbk_file(tmp_path, "nbk_bad.xml", usd="1e29", day="04.04.2026")
    )
    # Every figure of the file goes through USD, so the whole day is held back.
    assert bad.ok and bad.rates_added == 0 and bad.rates_rejected == good.rates_added
    assert any("KZT 1E+29 on 2026-04-04 from nbk held back" in line for line in bad.problems)
    async with sessions() as session:
        current = await list_current_rates(session)
        rejected = await list_rejections(session, limit=100)
    assert current["KZT"].per_usd == Decimal("472.31")
    assert current["KZT"].as_of == date(2026, 4, 3)
    assert {r.as_of for r in rejected} == {date(2026, 4, 4)}
    assert all(row.as_of == date(2026, 4, 3) for row in await _rates(sessions))


async def test_a_wrong_unit_count_is_held_back_against_the_day_before(
    sessions: async_sessionmaker[AsyncSession], tmp_path: Path
) -> None:
    ingestor = Ingestor(sessions)
    await ingestor.ingest_file(NBK_DAY)
    report = await ingestor.ingest_file(
        nbk_file(tmp_path, "x100.xml", usd="4723.1", day="04.04.2026")
    )
    async with sessions() as session:
        kinds = (await session.execute(select(RateRejectionRow.kind).distinct())).scalars().all()
        kzt_row = (
            await session.execute(
                select(RateRejectionRow).where(RateRejectionRow.currency == "KZT")
            )
        ).scalar_one()
    assert report.rates_rejected > 0 and "move" in kinds
    assert (kzt_row.previous_figure, kzt_row.previous_as_of) == ("472.31", date(2026, 4, 3))
    # The same file fixed and imported again: the day is judged anew and its rejections go.
    fixed = await ingestor.ingest_file(
        nbk_file(tmp_path, "fixed.xml", usd="473.00", day="04.04.2026")
    )
    assert fixed.rates_rejected == 0 and fixed.rates_added > 0
    async with sessions() as session:
        left = await session.scalar(select(func.count()).select_from(RateRejectionRow))
    assert left == 0


async def test_an_old_file_imported_late_is_judged_by_its_own_neighbours(
    sessions: async_sessionmaker[AsyncSession], tmp_path: Path
) -> None:
    ingestor = Ingestor(sessions)
    await ingestor.ingest_file(NBK_DAY)
    # KZT was about 340 in 2016: far from today's 472, but nothing earlier is stored.
    old = await ingestor.ingest_file(nbk_file(tmp_path, "2016.xml", usd="341.50", day="01.04.2016"))
    assert old.ok and old.rates_rejected == 0 and old.rates_added > 0
    next_day = await ingestor.ingest_file(
        nbk_file(tmp_path, "2016b.xml", usd="343.10", day="02.04.2016")
    )
    assert next_day.rates_rejected == 0


async def test_a_ticker_figure_of_no_size_is_held_back(
    sessions: async_sessionmaker[AsyncSession], tmp_path: Path
) -> None:
    page = tmp_path / "ticker.txt"
    tiny = "0." + "0" * 42 + "1"
    page.write_text(
        f"  • KZT/USD = {tiny} 0%\n  • KGS/USD = 0.01150 0%\n11 December 2025\n\n"
        "Lake Festival Draws Record Crowd to the Shore\n\n"
        "Thousands of visitors came to the lake on Saturday to watch the boat parade.\n",
        encoding="utf-8",
    )
    report = await Ingestor(sessions).ingest_file(page)
    assert report.ok and report.stories_added == 1
    assert report.rates_rejected == 1 and report.rates_added == 1
    async with sessions() as session:
        current = await list_current_rates(session)
    assert "KZT" not in current and "KGS" in current


@pytest.mark.usefixtures("cli_env")
def test_newsbot_sources_lists_what_was_held_back(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert main(["ingest", str(NBK_DAY)]) == 0
    bad = nbk_file(tmp_path, "bad.xml", usd="1e29", day="04.04.2026")
    assert main(["ingest", str(bad)]) == 0
    out = capsys.readouterr().out
    assert "held back as implausible" in out
    assert main(["sources"]) == 0
    out = capsys.readouterr().out
    assert "rates held back as implausible: " in out
    assert "E+27 · Apr 4, 2026 · NBK: outside 0.0001–10000000 per USD" in out
    assert "... and " in out  # the newest 20 are listed, the rest counted


def test_the_docs_list_the_bounds_of_the_code() -> None:
    readme = (Path(__file__).parents[1] / "docs" / "operating.md").read_text(encoding="utf-8")

    def shown(value: Decimal) -> str:
        return f"{value.normalize():,f}"

    rows = list(BOUNDS.items())
    rows.append(("any other", DEFAULT_BOUNDS))
    for code, bounds in rows:
        move = f"{(bounds.daily_move * 100).normalize():f} %"
        row = f"| {code} | {shown(bounds.low)} – {shown(bounds.high)} | {move} |"
        assert row in readme, row
