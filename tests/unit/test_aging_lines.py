"""The aging's lines from grouped rows: a key's currencies added up, each row in another currency
(one customer's) converted once, its buckets as the parts of its total, lines in key order."""

from datetime import date
from decimal import Decimal

from credo.services.companies import Company
from credo.services.reports.aging import _lines
from credo.services.reports.common import Converter

LABELS = ("not_due", "1-30")
COMPANY = Company(1, "ACME", "Acme", "CNY", None)


def test_lines_convert_each_customers_row_add_currencies_then_sort():
    convert = Converter(COMPANY, {"USD": "7.1"}, date(2024, 6, 30))
    rows = [  # key, name, currency, credit, buckets... in minor units, in no particular order
        ("C002", "Beta", "CNY", 0, 10000, 500),
        ("G01", "Group", "USD", 0, 5, 0),    # one customer of group G01: 0.05 USD
        ("C001", "Alpha", "USD", 0, 5, 0),   # Alpha's 0.05 USD
        ("C001", "Alpha", "CNY", 300, 1000, 0),
        ("G01", "Group", "USD", 0, 5, 15),   # another customer of G01: 0.05 and 0.15 USD
    ]
    lines, totals = _lines(rows, convert, LABELS)
    assert [line.key for line in lines] == ["C001", "C002", "G01"]
    # 0.05 USD x 7.1 = 0.355 CNY -> 0.36 (HALF_UP), for each customer on its own: G01's first 0.36,
    # its second 0.20 USD = 1.42 CNY in all, as parts 0.355 + 1.065: rounded down 0.35 + 1.06, the one
    # fen left to the earlier (remainders equal) -> 0.36 + 1.06; G01 = 0.72 + 1.06, not 0.71 + 1.07
    alpha = lines[0]
    assert alpha.minor == (1000 + 36, 0)
    assert alpha.unapplied_minor == 300
    assert alpha.buckets == {"not_due": Decimal("10.36"), "1-30": Decimal("0.00")}
    assert alpha.net == Decimal("7.36")
    assert lines[1].minor == (10000, 500)
    assert lines[2].minor == (72, 106)
    assert totals.minor == (11108, 606)
    assert totals.total == Decimal("117.14")
    assert totals.unapplied == Decimal("3.00")


def test_no_rows_no_lines():
    lines, totals = _lines([], Converter(COMPANY, {}, date(2024, 6, 30)), LABELS)
    assert lines == [] and totals.minor == (0, 0) and totals.total == Decimal("0.00")
