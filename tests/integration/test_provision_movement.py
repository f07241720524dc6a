"""The allowance's movement and its journal on the acme ledger (tests/integration/test_write_offs.py),
with a real allowance rule: 50 % of what is open more than 90 days past due as of the day.

As of 2024-06-30: I2 1,500.00 (due 03-31) + I3 300 USD x 7.2 = 2,160.00 (due 03-30): 3,660.00 -> 1,830.00.
C1's I2 is written off on 2024-07-31 (1,500.00): as of 07-31 only I3 is left, 1,080.00; so July's
charge is 1,080.00 - 1,830.00 + 1,500.00 = 750.00. 600.00 is recovered on 2024-09-15 (open and more
than 90 days past due again): as of 09-30 2,760.00 -> 1,380.00; September releases 1,380.00 -
1,080.00 - 600.00 = -300.00."""

from __future__ import annotations

import csv
from datetime import date
from decimal import Decimal

import openpyxl
import pytest

from credo.services.credit.requests import Person
from credo.services.risk.provision_movement import (accounts_of, journal_report, movement_report,
                                                    over_90_days_allowance, set_accounts, write_journal)
from credo.services.risk.write_offs import approve_write_off, recover, request_write_off

pytestmark = pytest.mark.db
D = Decimal
HALF = D("0.5")


@pytest.fixture
def written_off(db, acme):
    with db.begin() as conn:
        asked = request_write_off(conn, acme, Person("user:li", "credit_manager"), reason="bankrupt",
                                  on=date(2024, 7, 31), today=date(2024, 12, 1), invoices_named=["I2"])
        approve_write_off(conn, acme, asked["id"], Person("user:wu", "controller"))
    return asked["id"]


def report(db, company, start, end, monthly=False):
    with db.connect() as conn:
        return movement_report(conn, company, start, end, over_90_days_allowance(conn, company, HALF), monthly)


def test_the_allowance_rule_counts_what_is_more_than_90_days_past_due_as_of_the_day(db, acme):
    with db.connect() as conn:
        allowance_at = over_90_days_allowance(conn, acme, HALF)
        assert allowance_at(date(2024, 6, 28)) == D("0.00")  # I3 is 90 days past due, not more
        assert allowance_at(date(2024, 6, 29)) == D("1080.00")  # I3 91 days, I2 (due a day later) 90
        assert allowance_at(date(2024, 6, 30)) == D("1830.00")


def test_a_month_with_a_write_off_uses_the_allowance_and_charges_the_balance(db, acme, written_off):
    july = report(db, acme, date(2024, 7, 1), date(2024, 7, 31)).total
    assert (july.opening, july.charge, july.used, july.recovered, july.released, july.closing) == (
        D("1830.00"), D("750.00"), D("1500.00"), D("0.00"), D("0.00"), D("1080.00"))
    assert july.opening + july.charge + july.recovered - july.used - july.released == july.closing


def test_a_month_with_a_recovery_puts_it_back_and_releases_the_rest(db, acme, written_off):
    with db.begin() as conn:
        recover(conn, acme, written_off, "user:wu", on=date(2024, 9, 15), amount=D("600.00"))
    september = report(db, acme, date(2024, 9, 1), date(2024, 9, 30)).total
    assert (september.opening, september.charge, september.used, september.recovered, september.released,
            september.closing) == (D("1080.00"), D("0.00"), D("0.00"), D("600.00"), D("300.00"), D("1380.00"))


def test_the_months_add_up_to_the_period(db, acme, written_off):
    with db.begin() as conn:
        recover(conn, acme, written_off, "user:wu", on=date(2024, 9, 15), amount=D("600.00"))
    whole = report(db, acme, date(2024, 6, 15), date(2024, 9, 30), monthly=True)
    assert [(m.start, m.end) for m in whole.periods] == [
        (date(2024, 6, 15), date(2024, 6, 30)), (date(2024, 7, 1), date(2024, 7, 31)),
        (date(2024, 8, 1), date(2024, 8, 31)), (date(2024, 9, 1), date(2024, 9, 30))]
    for m in whole.periods:
        assert m.opening + m.charge + m.recovered - m.used - m.released == m.closing
    for first, second in zip(whole.periods, whole.periods[1:]):
        assert first.closing == second.opening
    total = whole.total
    assert (total.opening, total.used, total.recovered, total.closing) == (
        D("0.00"), D("1500.00"), D("600.00"), D("1380.00"))
    # 0 -> 1,830.00 (June: I2 and I3 pass 90 days), +750.00 in July, -300.00 in September
    assert sum(m.charge for m in whole.periods) - sum(m.released for m in whole.periods) == D("2280.00")
    assert total.charge == D("2280.00")
    assert whole.to_json()["periods"][1]["charge"] == "750.00"


def test_the_journal_balances_and_books_each_step_on_its_accounts(db, acme, written_off, tmp_path):
    with db.begin() as conn:
        recover(conn, acme, written_off, "user:wu", on=date(2024, 9, 15), amount=D("600.00"))
        set_accounts(conn, acme, "test", impairment_loss="6702.01")
        assert accounts_of(conn, acme).impairment_loss == "6702.01"
    with db.connect() as conn:
        journal = journal_report(conn, acme, date(2024, 7, 1), date(2024, 9, 30),
                                 over_90_days_allowance(conn, acme, HALF))
    rows = [(day, account, str(debit), str(credit)) for day, account, debit, credit, _ in journal.rows()]
    # July 1,830 -> September 1,380: charge = 1,380 - 1,830 + 1,500 - 600 = 450.00
    assert rows == [
        ("2024-07-31", "1231", "1500.00", "0.00"), ("2024-07-31", "1122", "0.00", "1500.00"),
        ("2024-09-15", "1122", "600.00", "0.00"), ("2024-09-15", "1231", "0.00", "600.00"),
        ("2024-09-30", "6702.01", "450.00", "0.00"), ("2024-09-30", "1231", "0.00", "450.00")]
    assert journal.debits == journal.credits == D("2550.00")
    write_journal(journal, tmp_path / "journal.csv", "csv")
    with (tmp_path / "journal.csv").open(encoding="utf-8-sig", newline="") as stream:
        lines = list(csv.reader(stream))
    assert lines[0] == ["date", "account", "debit", "credit", "memo"]
    assert sum(D(r[2]) for r in lines[1:]) == sum(D(r[3]) for r in lines[1:]) == D("2550.00")
    assert lines[1][4].startswith("write-off WO-") and "C1" in lines[1][4]
    write_journal(journal, tmp_path / "journal.xlsx", "xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "journal.xlsx").active
    cells = list(sheet.iter_rows(min_row=2, values_only=True))
    assert sum(D(str(r[2])) for r in cells) == sum(D(str(r[3])) for r in cells) == D("2550")


def test_a_release_is_booked_the_other_way(db, acme, written_off):
    with db.begin() as conn:
        recover(conn, acme, written_off, "user:wu", on=date(2024, 9, 15), amount=D("600.00"))
    with db.connect() as conn:
        journal = journal_report(conn, acme, date(2024, 9, 1), date(2024, 9, 30),
                                 over_90_days_allowance(conn, acme, HALF))
    last = [(account, str(debit), str(credit)) for _, account, debit, credit, _ in journal.rows()][-2:]
    assert last == [("1231", "300.00", "0.00"), ("6702", "0.00", "300.00")]
    assert journal.debits == journal.credits == D("900.00")


def test_by_default_the_allowance_is_the_company_provision(db, acme, written_off):
    """账龄分析法 (5 % within a year) as of 06-30: (1,500.00 + 300 USD x 7.2 + 2,500.00) x 5 % = 308.00;
    as of 07-31, I2 written off: (2,160.00 + 2,500.00) x 5 % = 233.00; charge 233 - 308 + 1,500 = 1,425.00."""
    from credo.services.risk.provision import company_provision
    from credo.services.risk.provision_movement import allowance_rule

    with db.connect() as conn:
        allowance_at = allowance_rule(conn, acme, None, "aging-table")
        assert allowance_at(date(2024, 7, 31)) == company_provision(
            conn, acme, date(2024, 7, 31), method="aging-table").total_allowance == D("233.00")
        moved = movement_report(conn, acme, date(2024, 7, 1), date(2024, 7, 31), allowance_at).to_json()["total"]
    assert (moved["opening"], moved["charge"], moved["used"], moved["closing"]) == (
        "308.00", "1425.00", "1500.00", "233.00")
