"""Each bank parser reads only its bank's files: features no other bank's file has decide,
never an attribute others share; NBK's feed with two-digit years; Moldova's ValCurs refused."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from sources.banks import BankFormatError, cbr, detect_bank, nbk, nbt, refusal_reason
from sources.detect import detect_format
from sources.ingest import Ingestor
from storage.rates import list_newest_quotes
from views.cli_text import describe_report

FIXTURES = Path(__file__).parent / "fixtures"
RATES = FIXTURES / "rates"
MOLDOVA = FIXTURES / "refused" / "moldova_valcurs_style.xml"

# NBK's rss/rates_all.xml as it writes dates, "18.04.16" (no recording of it exists).
NBK_FEED_SHORT_YEARS = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0">
<channel>
<title>Official exchange rates of National Bank of Republic Kazakhstan</title>
<link>https://nationalbank.kz</link>
<item><title>USD</title><pubDate>18.04.16</pubDate><description>338.39</description>
<quant>1</quant><index>DOWN</index><change>-1.15</change></item>
<item><title>EUR</title><pubDate>18.04.16</pubDate><description>382.20</description>
<quant>1</quant><index>UP</index><change>0.34</change></item>
</channel>
</rss>
"""


def test_nbk_feed_with_two_digit_years_is_read() -> None:
    assert detect_bank(NBK_FEED_SHORT_YEARS) == "nbk"
    by_code = {q.currency: q for q in nbk.parse(NBK_FEED_SHORT_YEARS)}
    assert by_code["KZT"].per_usd == Decimal("338.39")
    assert by_code["KZT"].as_of == date(2016, 4, 18)
    assert by_code["EUR"].as_of == date(2016, 4, 18)


def test_nbk_feed_with_a_garbled_date_names_it() -> None:
    data = NBK_FEED_SHORT_YEARS.replace(
        b"18.04.16</pubDate><description>338", b"18.4</pubDate><description>338"
    )
    with pytest.raises(
        BankFormatError, match=re.escape("NBK item 'USD' <pubDate> is not a date: '18.4'")
    ):
        nbk.parse(data)


def test_nbk_files_must_name_the_bank_site() -> None:
    foreign = NBK_FEED_SHORT_YEARS.replace(b"https://nationalbank.kz", b"https://example.org")
    with pytest.raises(BankFormatError, match="not an NBK rates file: its <link> does not name"):
        nbk.parse(foreign)
    daily = (RATES / "nbk_get_rates_fdate_03.04.2026.xml").read_bytes()
    with pytest.raises(BankFormatError, match="not an NBK rates file"):
        nbk.parse(daily.replace(b"nationalbank.kz", b"bank.example"))


def test_cbr_is_told_by_its_valute_ids_not_by_its_name_attribute() -> None:
    data = (RATES / "cbr_XML_daily.xml").read_bytes()
    # The name attribute is NBT's too: changing it changes nothing.
    renamed = data.replace(b'name="Foreign Currency Market"', b'name="Anything"')
    assert detect_bank(renamed) == "cbr"
    assert cbr.parse(renamed)[0].currency == "RUB"
    # CBR's R01235-style IDs are what only its files have.
    numbered = re.sub(rb'ID="R\d{5}[A-Z]?"', b'ID="840"', data)
    assert detect_bank(numbered) is None
    with pytest.raises(
        BankFormatError, match=re.escape("Valute ID '840' is not CBR-style (R01235)")
    ):
        cbr.parse(numbered)


def test_nbt_shares_the_name_attribute_and_is_still_nbt() -> None:
    data = (RATES / "nbt_export_xml_2026-05-18.xml").read_bytes()
    assert b'name="Foreign Currency Market"' in data
    assert detect_bank(data) == "nbt"
    with pytest.raises(BankFormatError, match="not a CBR rates file"):
        cbr.parse(data)


def test_moldova_valcurs_is_no_bank_we_read() -> None:
    data = MOLDOVA.read_bytes()
    assert detect_bank(data) is None
    assert detect_format(data) is None
    with pytest.raises(BankFormatError, match=re.escape("not a CBR rates file: Valute ID '47'")):
        cbr.parse(data)
    with pytest.raises(
        BankFormatError, match=re.escape("not an NBT rates file: Date '04.12.2026'")
    ):
        nbt.parse(data)
    reason = refusal_reason(data)
    assert reason is not None and "R01235" in reason and "'04.12.2026'" in reason


@pytest.mark.parametrize("name", sorted(p.name for p in RATES.glob("*.x*")))
def test_recorded_bank_files_need_no_refusal(name: str) -> None:
    assert refusal_reason((RATES / name).read_bytes()) is None


async def test_ingesting_moldova_valcurs_refuses_it_in_one_line(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    [report] = await Ingestor(sessions).ingest_paths([MOLDOVA])
    line = describe_report(report)
    assert "\n" not in line
    assert line.startswith(f"{MOLDOVA}: not imported: a ValCurs rates file of no bank we read")
    assert "Moldova" in line
    async with sessions() as session:
        assert await list_newest_quotes(session) == []
