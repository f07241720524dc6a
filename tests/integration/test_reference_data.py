"""The public IBM accounts-receivable sample (../shared/data/reference) through the real import path,
with every report checked against figures computed straight from the file.

The file: 2,466 invoices of 100 customers, dates M/D/YYYY, invoiceNumber with leading zeros,
each invoice settled on SettledDate; DaysLate = max(0, settled - due).
"""

from __future__ import annotations

import csv
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from builders import PAYMENTS, load, write_csv
from credo.domain.aging import age_items, parse_buckets
from credo.domain.records import AgedItem
from credo.services.reports.aging import aging_report
from credo.services.reports.behaviour import behaviour_report

REFERENCE = Path(__file__).resolve().parents[3] / "shared" / "data" / "reference" / "ibm_accounts_receivable.csv"
pytestmark = pytest.mark.skipif(not REFERENCE.exists(), reason=f"reference data not found at {REFERENCE}")


def _day(text: str) -> date:
    return datetime.strptime(text, "%m/%d/%Y").date()


@pytest.fixture(scope="module")
def records():
    with REFERENCE.open(newline="", encoding="utf-8") as handle:
        return [
            {"number": r["invoiceNumber"], "customer": r["customerID"], "issued": _day(r["InvoiceDate"]),
             "due": _day(r["DueDate"]), "settled": _day(r["SettledDate"]), "amount": Decimal(r["InvoiceAmount"]),
             "late": int(r["DaysLate"])}
            for r in csv.DictReader(handle)
        ]


@pytest.fixture
def ibm(db, company, records, tmp_path):
    """Invoices straight from the file (its own column names, mapped), one payment per settlement."""
    result = load(db, company, "invoices", REFERENCE, date_format="%m/%d/%Y", create_customers=True,
                  columns={"customerID": "customer_code", "InvoiceAmount": "amount"})
    assert (result.inserted, result.rejected) == (2466, 0)
    payments = write_csv(tmp_path / "settlements.csv", PAYMENTS, [
        [f"S{r['number']}", r["customer"], r["settled"].isoformat(), str(r["amount"]), r["number"], ""] for r in records])
    assert load(db, company, "payments", payments).inserted == 2466
    return company


@pytest.mark.parametrize("as_of", [date(2012, 6, 30), date(2013, 3, 31), date(2013, 12, 31)])
def test_aging_of_the_reference_ledger_equals_the_file_as_of_any_date(db, ibm, records, as_of):
    expected = age_items(
        [AgedItem(r["customer"], r["issued"], r["due"], r["amount"]) for r in records
         if r["issued"] <= as_of < r["settled"]],
        as_of, parse_buckets(None))
    with db.connect() as conn:
        report = aging_report(conn, ibm, as_of)
    assert report.totals.buckets == expected.totals.buckets
    assert {r.key: r.total for r in report.rows if r.total} == {r.key: r.total for r in expected.rows}


def test_everything_is_settled_after_the_last_settlement(db, ibm):
    with db.connect() as conn:
        report = aging_report(conn, ibm, date(2014, 1, 31))
    assert report.totals.total == Decimal("0.00") and report.totals.unapplied == Decimal("0.00")


def test_days_late_match_the_files_own_days_late_column(db, ibm, records):
    with db.connect() as conn:
        report = behaviour_report(conn, ibm, date(2014, 1, 31), months=36)
    by_customer = {r.customer: r for r in report.rows}
    assert sum(r.invoices for r in report.rows) == 2466
    for code in sorted({r["customer"] for r in records})[:20]:
        mine = [r for r in records if r["customer"] == code]
        weight = sum(r["amount"] for r in mine)
        assert by_customer[code].days_late == sum(r["amount"] * r["late"] for r in mine) / weight
        assert by_customer[code].paid_late == sum(1 for r in mine if r["late"] > 0)
