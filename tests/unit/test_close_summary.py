"""A stored month-end in one line, from its four stored figures: overdue is the aging total less
what is not yet due; a DSO without credit sales stays empty."""

from datetime import date
from decimal import Decimal

from credo.services.closing.figures import Figure
from credo.services.closing.summary import month_end_line

JUNE = date(2024, 6, 30)


def figures(dso: str | None) -> list[Figure]:
    bodies = {
        "aging": {"currency": "CNY",
                  "totals": {"total": "6160.00", "buckets": {"not_due": "2500.00", "91-180": "3660.00"}}},
        "dso": {"standard": {"dso": dso}, "countback": {"dso": dso}},
        "provision": {"total_allowance": "395.46"},
        "warnings": {"breaches": [{"rule": "dpd_90"}, {"rule": "dpd_60"}], "alerts_open": {}},
    }
    return [Figure(kind, JUNE, {}, {}, body) for kind, body in sorted(bodies.items())]


def test_a_month_end_line_adds_up_its_stored_figures():
    line = month_end_line(figures("221.8"))
    assert (line.as_of, line.currency, line.aging_total, line.overdue) == (JUNE, "CNY", Decimal("6160.00"),
                                                                            Decimal("3660.00"))
    assert (line.allowance, line.dso, line.breaches) == (Decimal("395.46"), Decimal("221.8"), 2)


def test_a_month_end_without_credit_sales_has_no_dso():
    assert month_end_line(figures(None)).dso is None
