"""Allocations carry copies of their invoice's customer, currency and dates and of their source's
date (store/tables.py), so a report as of a past date reads them alone: every write keeps the
copies equal, and the reports read them right. The acme ledger (tests/conftest.py): P1 (1,500.00
CNY, 2024-02-20) paid I1 1,000.00 that day and 500.00 of I2 on I2's date 2024-03-01, money applied
after its own date; P2 paid 200.00 USD of I3; CN1 credited 500.00 of I4."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from builders import INVOICES, PAYMENTS, load, write_csv
from credo.services.credit.requests import Person
from credo.services.ledger import reverse_payment
from credo.services.reports.aging import aging_report
from credo.services.risk.write_offs import approve_write_off, recover, request_write_off
from credo.store.queries import stale_allocations
from credo.store.tables import allocations, invoices, payments

pytestmark = pytest.mark.db
D = Decimal


def stale(db) -> int:
    with db.connect() as conn:
        return conn.execute(stale_allocations()).scalar()


def copies_of(db, number):
    a, i = allocations.c, invoices.c
    with db.connect() as conn:
        return conn.execute(select(a.customer_id, a.currency, a.issue_date, a.due_date, a.source_date)
                            .join_from(allocations, invoices, i.id == a.invoice_id).where(i.number == number)
                            .order_by(a.id)).all()


def line(db, company, as_of, key="C1"):
    with db.connect() as conn:
        return next(r for r in aging_report(conn, company, as_of).rows if r.key == key)


def test_imports_fill_the_copies(db, acme):
    assert stale(db) == 0
    (i2,) = copies_of(db, "I2")
    assert (i2.currency, i2.issue_date, i2.due_date, i2.source_date) == (
        "CNY", date(2024, 3, 1), date(2024, 3, 31), date(2024, 2, 20))


def test_money_applied_after_its_own_date_is_unapplied_until_then(db, acme):
    # As of 2024-02-25 P1 had settled I1 and waited for I2: 500.00 unapplied, nothing owed.
    before = line(db, acme, date(2024, 2, 25))
    assert (before.total, before.unapplied, before.net) == (D("0.00"), D("500.00"), D("-500.00"))
    after = line(db, acme, date(2024, 3, 1))
    assert (after.total, after.unapplied) == (D("1500.00"), D("0.00"))


def test_a_paid_invoice_whose_dates_change_carries_them_to_its_allocations(db, acme, tmp_path):
    write_csv(tmp_path / "i.csv", INVOICES, [["I2", "C1", "2024-03-01", "2024-05-15", "", "2000", "CNY"]])
    load(db, acme, "invoices", tmp_path / "i.csv")
    assert stale(db) == 0
    assert copies_of(db, "I2")[0].due_date == date(2024, 5, 15)
    # As of 2024-02-29 I2 was not yet issued; as of 2024-04-30 its 2,000.00 was not yet due (P1's
    # 500.00 came after): the added-back part is bucketed by the new due date.
    past = line(db, acme, date(2024, 4, 30))
    assert past.buckets["not_due"] == D("1500.00") and past.total == D("1500.00")


def test_reversals_write_offs_and_recoveries_fill_the_copies(db, acme, tmp_path):
    with db.begin() as conn:
        reverse_payment(conn, acme, "P1", date(2024, 4, 1), "returned by the bank", "t")
    assert stale(db) == 0
    reversal = copies_of(db, "I2")[-1]
    assert (reversal.source_date, reversal.due_date) == (date(2024, 2, 20), date(2024, 3, 31))
    # The reversed payment, unapplied now, may change its date: its allocations follow.
    write_csv(tmp_path / "p.csv", PAYMENTS, [["P1", "C1", "2024-02-21", "1500", "", ""]])
    load(db, acme, "payments", tmp_path / "p.csv")
    with db.connect() as conn:
        assert conn.execute(select(payments.c.payment_date).where(payments.c.ref == "P1")).scalar() == date(2024, 2, 21)
    assert stale(db) == 0
    assert {c.source_date for c in copies_of(db, "I2")} == {date(2024, 2, 21)}

    li, wu = Person("user:li", "credit_manager"), Person("user:wu", "controller")
    with db.begin() as conn:
        asked = request_write_off(conn, acme, li, reason="customer in liquidation", on=date(2024, 7, 31),
                                  today=date(2024, 12, 1), invoices_named=["I4"])
        approve_write_off(conn, acme, asked["id"], wu, "checked")
    write_csv(tmp_path / "p3.csv", PAYMENTS, [["P3", "C3", "2024-08-10", "1000", "", ""]])
    load(db, acme, "payments", tmp_path / "p3.csv")
    with db.begin() as conn:
        recover(conn, acme, asked["id"], "user:wu", on=date(2024, 8, 20), amount=D("400.00"), payment="P3")
    assert stale(db) == 0
    sources = [(c.source_date, c.due_date) for c in copies_of(db, "I4")]
    assert sources == [(date(2024, 6, 10), date(2024, 7, 19)), (date(2024, 7, 31), date(2024, 7, 19)),
                       (date(2024, 7, 31), date(2024, 7, 19)), (date(2024, 8, 10), date(2024, 7, 19))]
