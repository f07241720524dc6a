"""The aging's lines from grouped rows: a key's currencies and arms added up, foreign amounts
added before they are converted (one HALF_UP rounding per key and currency), lines in key order."""

from datetime import date
from decimal import Decimal

from credo.services.companies import Company
from credo.services.reports.aging import _lines
from credo.services.reports.common import Converter

LABELS = ("not_due", "1-30")
COMPANY = Company(1, "ACME", "Acme", "CNY", None)


def test_lines_add_arms_and_currencies_then_sort():
    convert = Converter(COMPANY, {"USD": "7.1"}, date(2024, 6, 30))
    rows = [  # key, name, currency, credit, buckets... in minor units, in no particular order
        ("C002", "Beta", "CNY", 0, 10000, 500),
        ("C001", "Alpha", "USD", 0, 5, 0),   # 0.05 USD
        ("C001", "Alpha", "CNY", 300, 1000, 0),
        ("C001", "Alpha", "USD", 0, 5, 15),  # the same customer's second arm in USD
    ]
    lines, totals = _lines(rows, convert, LABELS)
    assert [line.key for line in lines] == ["C001", "C002"]
    # USD 0.10 x 7.1 = 0.71 CNY (added, then converted once: 0.05 twice converted would give 0.36 + 0.36);
    # 0.15 USD x 7.1 = 1.065 -> 1.07 (HALF_UP)
    alpha = lines[0]
    assert alpha.minor == (1000 + 71, 107)
    assert alpha.unapplied_minor == 300
    assert alpha.buckets == {"not_due": Decimal("10.71"), "1-30": Decimal("1.07")}
    assert alpha.net == Decimal("8.78")
    assert lines[1].minor == (10000, 500)
    assert totals.minor == (11071, 607)
    assert totals.total == Decimal("116.78")
    assert totals.unapplied == Decimal("3.00")


def test_no_rows_no_lines():
    lines, totals = _lines([], Converter(COMPANY, {}, date(2024, 6, 30)), LABELS)
    assert lines == [] and totals.minor == (0, 0) and totals.total == Decimal("0.00")
