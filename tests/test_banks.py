"""The six central-bank parsers, against real recorded responses and hostile input."""

from __future__ import annotations

import random
import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from core.types import RateQuote
from sources.banks import BANKS, BankFormatError, cbr, cbt, detect_bank, nbkr, nbt, parse_bank
from sources.banks.xml import parse_decimal

RATES = Path(__file__).parent / "fixtures" / "rates"
D = Decimal

RECORDED = {
    "nbk_get_rates_fdate_01.04.2026.xml": "nbk",
    "nbk_get_rates_fdate_03.04.2026.xml": "nbk",
    "nbkr_daily.xml": "nbkr",
    "nbkr_weekly.xml": "nbkr",
    "cbu_json_all_2026-04-01.json": "cbu",
    "cbu_json_all_2026-04-03.json": "cbu",
    "nbt_export_xml_2026-05-18.xml": "nbt",
    "cbt_kurs_20052026.xml": "cbt",
    "cbt_kurs_21052026.xml": "cbt",
    "cbr_XML_daily.xml": "cbr",
}
HOME = {"nbk": "KZT", "nbkr": "KGS", "cbu": "UZS", "nbt": "TJS", "cbt": "TMT", "cbr": "RUB"}
XML_BANKS = [kind for kind in BANKS if kind != "cbu"]

# The shape of NBK's rss/rates_all.xml (no recording of it exists): RSS 2.0 items
# with title = code, pubDate, description = KZT per quant units, change.
NBK_FEED = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0">
<channel>
<title>Official exchange rates of National Bank of Republic Kazakhstan</title>
<link>https://nationalbank.kz</link>
<item><title>USD</title><pubDate>03.04.2026</pubDate><description>472.31</description>
<quant>1</quant><index>DOWN</index><change>-2.78</change></item>
<item><title>UZS</title><pubDate>03.04.2026</pubDate><description>3.89</description>
<quant>100</quant><index>UP</index><change>-0.02</change></item>
<item><title>EUR</title><pubDate>03.04.2026</pubDate><description>543.72</description>
<quant>1</quant><index></index><change></change></item>
<item><title>GEL</title><pubDate>02.04.2026</pubDate><description>178.25</description>
<quant>1</quant><index>DOWN</index><change>-1.25</change></item>
</channel>
</rss>
"""

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE {root} [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<{root}>&lol4;</{root}>
"""
ROOTS = {
    "nbk": "rates",
    "nbkr": "CurrencyRates",
    "nbt": "ValCurs",
    "cbt": "cbt_currency_rate",
    "cbr": "ValCurs",
}


def _read(name: str) -> bytes:
    return (RATES / name).read_bytes()


def _by_code(quotes: list[RateQuote]) -> dict[str, RateQuote]:
    return {quote.currency: quote for quote in quotes}


def _nbkr_daily_usd() -> Decimal:
    return nbkr.parse_kgs_per_unit(_read("nbkr_daily.xml"))[1]["USD"]


def _parse_recorded(name: str) -> list[RateQuote]:
    kind = RECORDED[name]
    if name == "nbkr_weekly.xml":
        return nbkr.parse(_read(name), usd_rate=_nbkr_daily_usd())
    return parse_bank(kind, _read(name))


# --- every recorded file ---------------------------------------------------------


def test_the_recorded_folder_holds_exactly_the_files_we_check() -> None:
    on_disk = {path.name for path in RATES.iterdir() if path.name != "SOURCES.tsv"}
    assert on_disk == set(RECORDED)


@pytest.mark.parametrize("name", sorted(RECORDED))
def test_recorded_file_is_detected(name: str) -> None:
    assert detect_bank(_read(name)) == RECORDED[name]


@pytest.mark.parametrize("name", sorted(RECORDED))
def test_recorded_file_parses_into_sane_quotes(name: str) -> None:
    kind = RECORDED[name]
    quotes = _parse_recorded(name)
    codes = [quote.currency for quote in quotes]

    assert len(quotes) >= 4
    assert len(codes) == len(set(codes))
    assert "USD" not in codes
    assert {quote.source for quote in quotes} == {kind}
    assert len({quote.as_of for quote in quotes}) == 1
    for quote in quotes:
        assert isinstance(quote.per_usd, Decimal)
        assert quote.per_usd > 0
        assert quote.change is None or isinstance(quote.change, Decimal)
    if name != "nbkr_weekly.xml":
        assert codes[0] == HOME[kind]


@pytest.mark.parametrize("name", sorted(RECORDED))
@pytest.mark.parametrize("kind", BANKS)
def test_recorded_file_is_refused_by_the_other_banks(name: str, kind: str) -> None:
    if kind == RECORDED[name]:
        return
    with pytest.raises(BankFormatError, match=r"^not an? [A-Z]+ rates file"):
        parse_bank(kind, _read(name))


# --- NBK ---------------------------------------------------------------------------


def test_nbk_kzt_per_usd_and_its_change() -> None:
    by_code = _by_code(parse_bank("nbk", _read("nbk_get_rates_fdate_03.04.2026.xml")))
    assert by_code["KZT"] == RateQuote("KZT", D("472.31"), D("-2.78"), date(2026, 4, 3), "nbk")


def test_nbk_applies_quant_and_derives_the_change_from_change() -> None:
    by_code = _by_code(parse_bank("nbk", _read("nbk_get_rates_fdate_03.04.2026.xml")))
    # UZS: 3.89 KZT per 100 -> 472.31 / 0.0389 = 12141.6452442.
    assert by_code["UZS"].per_usd == D("12141.6452442")
    # Before: USD 472.31 + 2.78 = 475.09, UZS (3.89 + 0.02) / 100 = 0.0391,
    # 475.09 / 0.0391 = 12150.6393862.
    assert by_code["UZS"].change == D("12141.6452442") - D("12150.6393862")
    # AMD: 12.61 KZT per 10 -> 472.31 / 1.261 = 374.551942902.
    assert by_code["AMD"].per_usd == D("374.551942902")


def test_nbk_empty_index_does_not_matter() -> None:
    by_code = _by_code(parse_bank("nbk", _read("nbk_get_rates_fdate_01.04.2026.xml")))
    # INR has <index></index> and change 0.00: 478.77 / 5.09 now, 481.54 / 5.09 before.
    assert by_code["INR"].per_usd == D("94.0609037328")
    assert by_code["INR"].change == D("94.0609037328") - D("94.6051080550")
    assert by_code["KZT"].as_of == date(2026, 4, 1)


def test_nbk_index_contradicting_change_is_ignored() -> None:
    data = _read("nbk_get_rates_fdate_03.04.2026.xml").replace(
        b"<index>DOWN</index>\n            <change>-2.78</change>",
        b"<index>UP</index>\n            <change>-2.78</change>",
    )
    assert b"<index>UP</index>\n            <change>-2.78</change>" in data
    assert _by_code(parse_bank("nbk", data))["KZT"].change == D("-2.78")


def test_nbk_feed_rates_all_is_read_per_date() -> None:
    assert detect_bank(NBK_FEED) == "nbk"
    quotes = parse_bank("nbk", NBK_FEED)
    by_code = _by_code(quotes)

    # GEL is dated 02.04 and there is no USD row for that day to cross it with.
    assert set(by_code) == {"KZT", "UZS", "EUR"}
    assert by_code["KZT"] == RateQuote("KZT", D("472.31"), D("-2.78"), date(2026, 4, 3), "nbk")
    assert by_code["UZS"].per_usd == D("12141.6452442")
    # index UP against change -0.02: the change wins, as in the daily file.
    assert by_code["UZS"].change == D("12141.6452442") - D("12150.6393862")
    # An empty <change> means unknown, not zero.
    assert by_code["EUR"].per_usd == D("0.868664018245")
    assert by_code["EUR"].change is None


def test_nbk_without_date_is_refused() -> None:
    data = _read("nbk_get_rates_fdate_03.04.2026.xml").replace(b"<date>03.04.2026</date>", b"")
    with pytest.raises(BankFormatError, match="not an NBK rates file: no <date>"):
        parse_bank("nbk", data)


# --- NBKR --------------------------------------------------------------------------


def test_nbkr_daily_with_decimal_comma() -> None:
    by_code = _by_code(parse_bank("nbkr", _read("nbkr_daily.xml")))
    assert by_code["KGS"] == RateQuote("KGS", D("87.4500"), None, date(2026, 5, 24), "nbkr")
    # KZT: 87.45 / 0.1859; RUB: 87.45 / 1.2263.
    assert by_code["KZT"].per_usd == D("470.414201183")
    assert by_code["RUB"].per_usd == D("71.3120769795")


def test_nbkr_weekly_alone_needs_the_daily_usd_rate() -> None:
    message = "NBKR weekly rates need the daily USD rate; ingest daily.xml in the same run"
    with pytest.raises(BankFormatError, match=message):
        parse_bank("nbkr", _read("nbkr_weekly.xml"))


def test_nbkr_weekly_crosses_through_the_daily_usd_rate() -> None:
    quotes = nbkr.parse(_read("nbkr_weekly.xml"), usd_rate=D("87.4500"))
    by_code = _by_code(quotes)
    # The KGS quote belongs to the daily file; it is not repeated under the weekly date.
    assert "KGS" not in by_code
    assert {q.as_of for q in quotes} == {date(2026, 5, 23)}
    # UZS: 87.45 / 0.0073; JPY 5,4969 per 10: 87.45 / 0.54969; TJS: 87.45 / 9.4148.
    assert by_code["UZS"].per_usd == D("11979.4520548")
    assert by_code["JPY"].per_usd == D("159.089668722")
    assert by_code["TJS"].per_usd == D("9.28856693716")


def test_nbkr_parse_kgs_per_unit_applies_nominal() -> None:
    day, table = nbkr.parse_kgs_per_unit(_read("nbkr_weekly.xml"))
    assert day == date(2026, 5, 23)
    assert "USD" not in table
    assert table["JPY"] == D("0.54969")
    assert table["AMD"] == D("0.23773")
    assert table["TJS"] == D("9.4148")


def test_nbkr_own_usd_row_beats_a_passed_usd_rate() -> None:
    by_code = _by_code(nbkr.parse(_read("nbkr_daily.xml"), usd_rate=D("1")))
    assert by_code["KGS"].per_usd == D("87.4500")


# --- CBU ---------------------------------------------------------------------------


def test_cbu_uzs_per_usd_and_diff() -> None:
    by_code = _by_code(parse_bank("cbu", _read("cbu_json_all_2026-04-03.json")))
    assert by_code["UZS"] == RateQuote("UZS", D("12149.84"), D("7.74"), date(2026, 4, 3), "cbu")
    # KZT: 12149.84 / 25.69 now; before 12142.10 / 25.55 = 475.228962818.
    assert by_code["KZT"].per_usd == D("472.940443752")
    assert by_code["KZT"].change == D("472.940443752") - D("475.228962818")


def test_cbu_applies_nominal() -> None:
    by_code = _by_code(parse_bank("cbu", _read("cbu_json_all_2026-04-03.json")))
    # IDR: 7.15 UZS per 10 -> 12149.84 / 0.715; before 12142.10 / 0.715 (Diff 0).
    assert by_code["IDR"].per_usd == D("16992.7832168")
    assert by_code["IDR"].change == D("16992.7832168") - D("16981.9580420")


def test_cbu_date_in_the_response_is_the_effective_date() -> None:
    data = _read("cbu_json_all_2026-04-03.json").replace(b'"03.04.2026"', b'"02.04.2026"')
    assert {q.as_of for q in parse_bank("cbu", data)} == {date(2026, 4, 2)}


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"{}", "expected a JSON array"),
        (b"[1, 2]", "rows are not currency objects"),
        (b'[{"Ccy": "USD", "Rate": NaN, "Nominal": "1", "Date": "03.04.2026"}]', "NaN"),
        (b'[{"Ccy": "USD", "Rate": "abc", "Nominal": "1", "Date": "03.04.2026"}]', "abc"),
        (b'[{"Ccy": "USD", "Rate": "1", "Nominal": "1", "Date": "2026/04/03"}]', "Date"),
        (b'[{"Ccy": "EUR", "Rate": "14003.91", "Nominal": "1", "Date": "03.04.2026"}]', "USD"),
        (b"[" * 100_000, "nested too deeply|bad JSON"),
        (b"\xff\xfe\x00\xd8", "bad JSON"),
    ],
)
def test_cbu_bad_json_is_refused(data: bytes, reason: str) -> None:
    with pytest.raises(BankFormatError, match=reason):
        parse_bank("cbu", data)


# --- NBT ---------------------------------------------------------------------------


def test_nbt_tjs_per_usd_and_crosses() -> None:
    by_code = _by_code(parse_bank("nbt", _read("nbt_export_xml_2026-05-18.xml")))
    assert by_code["TJS"] == RateQuote("TJS", D("9.3450"), None, date(2026, 5, 18), "nbt")
    # UZS: 0.0780 TJS per 100 -> 9.3450 / (0.0780 / 100) = 11980.7692308.
    assert by_code["UZS"].per_usd == D("11980.7692308")
    assert by_code["UZS"].per_usd == (D("9.3450") / (D("0.0780") / 100)).quantize(D("1E-7"))
    # KZT: 0.1971 per 10 -> 9.3450 / 0.01971; TMT: 9.3450 / 2.6700 = 3.5 exactly.
    assert by_code["KZT"].per_usd == D("474.124809741")
    assert by_code["TMT"].per_usd == D("3.5")


def test_nbt_in_utf16_is_decoded_by_its_bom() -> None:
    text = _read("nbt_export_xml_2026-05-18.xml").decode("utf-8")
    data = text.replace('encoding="utf-8"', 'encoding="utf-16"').encode("utf-16")
    assert detect_bank(data) == "nbt"
    assert _by_code(nbt.parse(data))["TJS"].per_usd == D("9.3450")


# --- CBT ---------------------------------------------------------------------------


def test_cbt_uses_rate_tmt_over_multiplier_not_rate_usd() -> None:
    by_code = _by_code(parse_bank("cbt", _read("cbt_kurs_21052026.xml")))
    assert by_code["TMT"] == RateQuote("TMT", D("3.5"), None, date(2026, 5, 21), "cbt")
    # UZS: 0.29 TMT per 1000 -> 3.5 / 0.00029; KZT: 0.7426 per 100 -> 3.5 / 0.007426.
    assert by_code["UZS"].per_usd == D("12068.9655172")
    assert by_code["KZT"].per_usd == D("471.316994344")
    # GBP: rate_usd says 1.3382 (USD per GBP, flipped); 3.5 / 4.6837 GBP per USD.
    assert by_code["GBP"].per_usd == D("0.747272455537")


def test_cbt_date_comes_from_the_file_not_its_name() -> None:
    data = _read("cbt_kurs_21052026.xml").replace(b"21.05.2026", b"19.05.2026")
    assert cbt.parse(data)[0].as_of == date(2026, 5, 19)
    assert parse_bank("cbt", _read("cbt_kurs_20052026.xml"))[0].as_of == date(2026, 5, 20)


# --- CBR ---------------------------------------------------------------------------


def test_cbr_windows_1251_decimal_comma_and_scientific_vunitrate() -> None:
    by_code = _by_code(parse_bank("cbr", _read("cbr_XML_daily.xml")))
    assert by_code["RUB"] == RateQuote("RUB", D("75.5273"), None, date(2026, 4, 25), "cbr")
    # IRR VunitRate 5,39256E-05 -> 75.5273 / 0.0000539256.
    assert by_code["IRR"].per_usd == D("1400583.39638")
    # KZT VunitRate 0,163172; UZS 0,00628322.
    assert by_code["KZT"].per_usd == D("462.869242272")
    assert by_code["UZS"].per_usd == D("12020.4767619")


def test_cbr_falls_back_to_value_over_nominal() -> None:
    data = """<?xml version="1.0" encoding="windows-1251"?>
<ValCurs Date="25.04.2026" name="Foreign Currency Market">
<Valute ID="R01235"><NumCode>840</NumCode><CharCode>USD</CharCode><Nominal>1</Nominal>
<Name>Доллар США</Name><Value>75,5273</Value></Valute>
<Valute ID="R01335"><NumCode>398</NumCode><CharCode>KZT</CharCode><Nominal>100</Nominal>
<Name>Тенге</Name><Value>16,3172</Value></Valute>
</ValCurs>""".encode("cp1251")
    by_code = _by_code(cbr.parse(data))
    # 16,3172 per 100 -> 75.5273 / 0.163172, the same as the VunitRate route.
    assert by_code["KZT"].per_usd == D("462.869242272")


def test_windows_1251_is_decoded_by_the_declaration() -> None:
    data = """<?xml version="1.0" encoding="windows-1251"?>
<ValCurs Date="25.04.2026"><Valute ID="R01235"><CharCode>USD</CharCode><Nominal>1</Nominal>
<Name>Доллар США</Name><Value>нет данных</Value></Valute></ValCurs>""".encode("cp1251")
    assert detect_bank(data) == "cbr"
    # The Cyrillic in the message proves the bytes were read as windows-1251.
    with pytest.raises(BankFormatError, match="CBR USD Value is not a number: 'нет данных'"):
        parse_bank("cbr", data)
    undeclared = data.replace(b' encoding="windows-1251"', b"")
    with pytest.raises(BankFormatError, match="malformed XML"):
        parse_bank("cbr", undeclared)


def test_nbt_and_cbr_are_told_apart() -> None:
    with pytest.raises(
        BankFormatError, match=re.escape("not an NBT rates file: Date '25.04.2026'")
    ):
        nbt.parse(_read("cbr_XML_daily.xml"))
    with pytest.raises(BankFormatError, match=re.escape("not a CBR rates file: Date '2026-05-18'")):
        cbr.parse(_read("nbt_export_xml_2026-05-18.xml"))


# --- hostile and broken input --------------------------------------------------------


@pytest.mark.parametrize("kind", BANKS)
@pytest.mark.parametrize("data", [b"", b"   \n\t "], ids=["empty", "blank"])
def test_empty_input_is_refused(kind: str, data: bytes) -> None:
    with pytest.raises(BankFormatError, match="empty response"):
        parse_bank(kind, data)


@pytest.mark.parametrize("name", sorted(RECORDED))
def test_truncated_recorded_files_are_refused(name: str) -> None:
    data = _read(name)
    for cut in (1, len(data) // 3, len(data) // 2, len(data) - 20):
        with pytest.raises(BankFormatError):
            parse_bank(RECORDED[name], data[:cut])


@pytest.mark.parametrize("kind", BANKS)
def test_random_bytes_are_refused(kind: str) -> None:
    noise = random.Random(kind).randbytes(3000)
    assert detect_bank(noise) is None
    with pytest.raises(BankFormatError):
        parse_bank(kind, noise)


@pytest.mark.parametrize("kind", XML_BANKS)
def test_billion_laughs_is_refused(kind: str) -> None:
    bomb = BILLION_LAUGHS.format(root=ROOTS[kind]).encode()
    with pytest.raises(BankFormatError, match="entity declarations are not allowed"):
        parse_bank(kind, bomb)


def test_external_entity_is_refused() -> None:
    xxe = b"""<?xml version="1.0"?>
<!DOCTYPE CurrencyRates [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<CurrencyRates Date="24.05.2026"><Currency ISOCode="USD"><Nominal>1</Nominal>
<Value>&x;</Value></Currency></CurrencyRates>"""
    with pytest.raises(BankFormatError, match="not allowed"):
        parse_bank("nbkr", xxe)


def test_unknown_encoding_is_refused() -> None:
    data = _read("nbkr_daily.xml").replace(b"windows-1251", b"no-such-charset")
    with pytest.raises(BankFormatError, match="not an NBKR rates file"):
        parse_bank("nbkr", data)


@pytest.mark.parametrize(
    ("kind", "name", "old", "new", "reason"),
    [
        ("nbk", "nbk_get_rates_fdate_03.04.2026.xml", b"472.31", b"n/a", "NBK USD rate"),
        ("nbk", "nbk_get_rates_fdate_03.04.2026.xml", b"<quant>100</quant>", b"<quant>0</quant>",
         "NBK UZS quant must be positive"),
        ("nbk", "nbk_get_rates_fdate_03.04.2026.xml", b"-2.78", b"down", "NBK USD change"),
        ("nbk", "nbk_get_rates_fdate_03.04.2026.xml", b"03.04.2026", b"2026-04-03", "NBK <date>"),
        ("nbkr", "nbkr_daily.xml", b"87,4500", b"87,45,00", "NBKR USD Value"),
        ("nbkr", "nbkr_daily.xml", b'ISOCode="EUR"', b'ISOCode="EURO"', "bad currency code"),
        ("nbkr", "nbkr_daily.xml", b"<Nominal>1</Nominal>\n<Value>87", b"<Value>87",
         "NBKR USD: no <Nominal>"),
        ("nbkr", "nbkr_daily.xml", b'Date="24.05.2026"', b"", "NBKR Date attribute"),
        ("cbu", "cbu_json_all_2026-04-03.json", b'"12149.84"', b'"1_2149"', "CBU USD Rate"),
        ("nbt", "nbt_export_xml_2026-05-18.xml", b"9.3450", b"NaN", "NBT USD Value"),
        ("nbt", "nbt_export_xml_2026-05-18.xml", b"9.3450", b"0", "USD rate must be positive"),
        ("cbt", "cbt_kurs_21052026.xml", b"<rate_tmt>3.5</rate_tmt>", b"<rate_tmt/>",
         "CBT USD: no <rate_tmt>"),
        ("cbt", "cbt_kurs_21052026.xml", b'code="USD"', b'code="XUS"', "CBT rates file has no USD"),
        ("cbr", "cbr_XML_daily.xml", b"<VunitRate>75,5273</VunitRate>",
         b"<VunitRate>1E+999</VunitRate>", "CBR USD VunitRate is out of range"),
    ],
)  # fmt: skip
def test_bad_field_is_refused_with_a_reason(
    kind: str, name: str, old: bytes, new: bytes, reason: str
) -> None:
    data = _read(name)
    assert old in data
    with pytest.raises(BankFormatError, match=reason):
        parse_bank(kind, data.replace(old, new, 1))


def test_file_without_rows_is_refused() -> None:
    data = b'<?xml version="1.0"?><CurrencyRates Date="24.05.2026"></CurrencyRates>'
    with pytest.raises(BankFormatError, match="NBKR rates file has no rates"):
        parse_bank("nbkr", data)


def test_repeated_currency_keeps_the_first_row() -> None:
    extra = b'<Currency ISOCode="KZT">\n<Nominal>1</Nominal>\n<Value>9,9</Value>\n</Currency>\n'
    data = _read("nbkr_daily.xml").replace(b"</CurrencyRates>", extra + b"</CurrencyRates>")
    assert _by_code(parse_bank("nbkr", data))["KZT"].per_usd == D("470.414201183")


def test_unknown_bank_kind_is_refused() -> None:
    with pytest.raises(BankFormatError, match="unknown bank 'ecb'"):
        parse_bank("ecb", _read("nbkr_daily.xml"))


# --- detection and numbers -------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"<html><body>rates</body></html>",
        b'<?xml version="1.0"?><rss><channel><item><title>News</title></item></channel></rss>',
        b'[{"title": "not rates"}]',
        b'<?xml version="1.0"?><ValCurs name="no date"><Valute/></ValCurs>',
    ],
)
def test_detect_bank_says_none_for_foreign_data(data: bytes) -> None:
    assert detect_bank(data) is None


def test_detect_bank_looks_past_a_bom_and_comments() -> None:
    body = _read("cbt_kurs_21052026.xml").split(b"?>", 1)[1]
    data = b"\xef\xbb\xbf<?xml version='1.0'?>\n<!-- cached <rates> -->\n" + body
    assert detect_bank(data) == "cbt"
    assert parse_bank("cbt", data)[0].per_usd == D("3.5")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("87,4500", D("87.4500")),
        ("472.31", D("472.31")),
        ("+0.02", D("0.02")),
        ("-2.78", D("-2.78")),
        ("1,2E-5", D("0.000012")),
        ("5,39256E-05", D("0.0000539256")),
        (" 3.5 ", D("3.5")),
    ],
)
def test_parse_decimal_accepts_bank_numbers(text: str, expected: Decimal) -> None:
    assert parse_decimal(text, "x") == expected


@pytest.mark.parametrize(
    "text", ["", "NaN", "Infinity", "1_000", "1 000", "1,2,3", "0x10", "1e999", None]
)
def test_parse_decimal_refuses_the_rest(text: str | None) -> None:
    with pytest.raises(BankFormatError, match="rate"):
        parse_decimal(text, "rate")


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        ("cbr", "not a CBR rates file: "),
        ("cbt", "not a CBT rates file: "),
        ("nbk", "not an NBK rates file: "),
        ("nbt", "not an NBT rates file: "),
    ],
)
def test_messages_use_the_spoken_article(kind: str, message: str) -> None:
    with pytest.raises(BankFormatError) as info:
        parse_bank(kind, b"<html><body>Service unavailable</body></html>")
    assert str(info.value).startswith(message)
