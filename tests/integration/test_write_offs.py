"""Write-offs (核销) and recoveries on the acme ledger (tests/conftest.py), by hand:
C1's I2 (2,000.00 CNY, due 2024-03-31) is open 1,500.00 since P1 paid 500.00 of it on 2024-03-01;
C2's I3 is open 300.00 USD (due 2024-03-30, 7.2 CNY from 2024-06-01); C3's I4 is open 2,500.00 CNY
(3,000.00 less CN1's 500.00, due 2024-07-19)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from credo.errors import Conflict, Forbidden, InvalidInput
from credo.services import audit, records
from credo.services.credit.requests import Person
from credo.services.reports.aging import aging_report
from credo.services.reports.common import Converter
from credo.services.reports import measures
from credo.services.reports.period import period_metrics
from credo.services.risk.write_offs import (approve_write_off, list_write_offs, recover, recovered,
                                            reject_write_off, request_write_off, written_off)
from credo.store.tables import allocations, invoices

pytestmark = pytest.mark.db
D = Decimal
LI = Person("user:li", "credit_manager")  # may request (ledger.write), may not approve
WU = Person("user:wu", "controller")  # write_offs.approve
QIAN = Person("user:qian", "controller")
ZHAO = Person("user:zhao", "collector")
JULY_31 = date(2024, 7, 31)
TODAY = date(2024, 12, 1)


def ask(db, company, who=LI, on=JULY_31, **what):
    what.setdefault("invoices_named", ["I2"])
    with db.begin() as conn:
        return request_write_off(conn, company, who, reason="customer in liquidation", on=on, today=TODAY, **what)


def approve(db, company, write_off_id, who=WU):
    with db.begin() as conn:
        return approve_write_off(conn, company, write_off_id, who, "checked the liquidator's letter")


def open_of(db, company, customer, as_of):
    with db.connect() as conn:
        return next((r.total for r in aging_report(conn, company, as_of).rows if r.key == customer), D("0.00"))


def test_a_write_off_lowers_the_aging_as_of_its_date_and_not_before(db, acme):
    booked = approve(db, acme, ask(db, acme)["id"])
    assert (booked["status"], booked["amount"], booked["base_amount"]) == ("approved", "1500.00", "1500.00")
    assert open_of(db, acme, "C1", date(2024, 7, 30)) == D("1500.00")
    assert open_of(db, acme, "C1", JULY_31) == D("0.00")
    with db.connect() as conn:
        assert aging_report(conn, acme, JULY_31).totals.total == D("4660.00")  # 300 USD x 7.2 + 2,500.00
        assert aging_report(conn, acme, date(2024, 7, 30)).totals.total == D("6160.00")
        paid = conn.execute(select(invoices.c.paid_amount).where(invoices.c.number == "I2")).scalar()
        assert paid == 200000  # settled in full today: 500.00 paid, 1,500.00 written off


def test_a_pending_or_rejected_write_off_changes_no_report(db, acme):
    pending = ask(db, acme)
    assert pending["status"] == "pending" and open_of(db, acme, "C1", JULY_31) == D("1500.00")
    with db.begin() as conn, pytest.raises(InvalidInput, match="note"):
        reject_write_off(conn, acme, pending["id"], WU, " ")
    with db.begin() as conn:
        assert reject_write_off(conn, acme, pending["id"], WU, "collect first")["status"] == "rejected"
    assert open_of(db, acme, "C1", TODAY) == D("1500.00")
    with db.begin() as conn, pytest.raises(Conflict, match="rejected already"):
        approve_write_off(conn, acme, pending["id"], QIAN)


def test_net_sales_and_collections_do_not_count_a_write_off(db, acme):
    start, end = date(2024, 1, 1), date(2024, 12, 31)
    with db.connect() as conn:
        before = period_metrics(conn, acme, start, end)
    approve(db, acme, ask(db, acme)["id"])
    with db.connect() as conn:
        after = period_metrics(conn, acme, start, end)
        sales = measures.sales(conn, acme, start, end, Converter.load(conn, acme, end))[measures.ALL]["sales"]
    # 1,000 + 2,000 + 500 USD x 7.2 + 3,000 - 500: invoices less credit notes, the write-off not among them
    assert sales == after.credit_sales == before.credit_sales == D("9100.00")
    assert (after.collected, after.credited) == (before.collected, before.credited)
    assert before.closing_receivables - after.closing_receivables == D("1500.00")


def test_maker_checker_refuses_the_requester_and_those_who_may_not_approve(db, acme):
    pending = ask(db, acme, who=WU)
    with db.begin() as conn, pytest.raises(Forbidden, match="other than its requester"):
        approve_write_off(conn, acme, pending["id"], WU)
    with db.begin() as conn, pytest.raises(Forbidden, match="may not approve"):
        approve_write_off(conn, acme, pending["id"], LI)
    with db.begin() as conn, pytest.raises(Forbidden, match="may not approve"):
        approve_write_off(conn, acme, pending["id"], ZHAO)
    assert approve(db, acme, pending["id"], QIAN)["decided_by"] == "user:qian"


def test_approving_twice_is_a_conflict_and_books_once(db, acme):
    pending = ask(db, acme)
    approve(db, acme, pending["id"])
    with db.begin() as conn, pytest.raises(Conflict, match="approved already"):
        approve_write_off(conn, acme, pending["id"], QIAN)
    with db.connect() as conn:
        rows = conn.execute(select(func.count(), func.sum(allocations.c.amount))
                            .where(allocations.c.write_off_id == pending["id"])).one()
        assert tuple(rows) == (1, 150000)
        actions = [e["action"] for e in audit.entries(conn, entity="write_off", key=str(pending["id"]))]
        assert actions == ["approve", "request"]


def test_no_more_can_be_written_off_than_is_open_and_pending_ones_hold_their_part(db, acme):
    with pytest.raises(InvalidInput, match="at most 1500.00 CNY"):
        ask(db, acme, amount=D("1500.01"))
    ask(db, acme, amount=D("1000.00"))
    with pytest.raises(InvalidInput, match="at most 500.00 CNY"):
        ask(db, acme, amount=D("600.00"))
    with pytest.raises(InvalidInput, match="I2 issued after 2024-02-29"):
        ask(db, acme, on=date(2024, 2, 29))
    # I4 was open 3,000.00 on 2024-06-01, but CN1 settled 500.00 of it on 2024-06-10: a write-off
    # dated the 1st may take only 2,500.00, or the reports from the 10th on would go below zero
    with pytest.raises(InvalidInput, match="at most 2500.00 CNY"):
        ask(db, acme, invoices_named=["I4"], on=date(2024, 6, 1), amount=D("2500.01"))


def test_a_customer_whole_open_balance_and_a_foreign_currency_at_the_rate_of_the_date(db, acme):
    whole = ask(db, acme, invoices_named=(), customer="C3", on=date(2024, 8, 1))
    assert (whole["amount"], [x["invoice"] for x in whole["invoices"]]) == ("2500.00", ["I4"])
    usd = approve(db, acme, ask(db, acme, invoices_named=["I3"])["id"])
    assert (usd["currency"], usd["amount"], usd["base_amount"]) == ("USD", "300.00", "2160.00")
    with db.connect() as conn:
        assert written_off(conn, acme, date(2024, 6, 30), JULY_31) == D("2160.00")
        assert written_off(conn, acme, JULY_31, TODAY) == D("0.00")  # (start, end]: booked on the 31st


def test_a_recovery_reinstates_as_of_its_date_and_the_payment_is_applied_then(db, acme):
    booked = approve(db, acme, ask(db, acme)["id"])
    with db.begin() as conn:
        records.record(conn, acme, "payments", {"payment_ref": "P9", "customer_code": "C1",
                                                "payment_date": "2024-09-10", "amount": "600"}, "test")
    with db.begin() as conn:
        back = recover(conn, acme, booked["id"], "user:wu", on=date(2024, 9, 15), payment="P9", note="paid at last")
    assert (back["recovered_amount"], back["recoveries"][0]["payment"]) == ("600.00", "P9")
    with db.connect() as conn:
        assert recovered(conn, acme, date(2024, 8, 31), date(2024, 9, 30)) == D("600.00")
        lines = {r.key: r for r in aging_report(conn, acme, date(2024, 9, 15)).rows}
        assert "C1" not in lines  # reinstated and paid the same day: 0 open, no unapplied cash
        on_the_14th = {r.key: r for r in aging_report(conn, acme, date(2024, 9, 14)).rows}
        assert (on_the_14th["C1"].total, on_the_14th["C1"].unapplied) == (D("0.00"), D("600.00"))
        assert period_metrics(conn, acme, date(2024, 9, 1), date(2024, 9, 30)).collected == D("600.00")
    with db.begin() as conn:  # the rest, without a payment: open again from 2024-10-01
        rest = recover(conn, acme, booked["id"], "user:wu", on=date(2024, 10, 1))
    assert rest["recovered_amount"] == "1500.00"
    assert open_of(db, acme, "C1", date(2024, 9, 30)) == D("0.00")
    assert open_of(db, acme, "C1", date(2024, 10, 1)) == D("900.00")
    assert open_of(db, acme, "C1", date(2024, 7, 30)) == D("1500.00")  # before the write-off, as it was
    with db.begin() as conn, pytest.raises(Conflict, match="in full"):
        recover(conn, acme, booked["id"], "user:wu", on=date(2024, 10, 2))


def test_a_recovery_cannot_come_before_the_write_off_or_exceed_it(db, acme):
    booked = approve(db, acme, ask(db, acme)["id"])
    with db.begin() as conn, pytest.raises(InvalidInput, match="before the write-off"):
        recover(conn, acme, booked["id"], "user:wu", on=date(2024, 7, 30))
    with db.begin() as conn, pytest.raises(InvalidInput, match="at most 1500.00"):
        recover(conn, acme, booked["id"], "user:wu", on=JULY_31, amount=D("1500.01"))
    with db.connect() as conn:
        assert [w["status"] for w in list_write_offs(conn, acme)] == ["approved"]
        assert list_write_offs(conn, acme, "pending") == []


def test_a_customer_whole_balance_spreads_oldest_due_first_and_skips_what_is_paid(db, acme):
    with db.begin() as conn:  # C1: I1 paid in full by P1; a second open invoice, due later than I2
        records.record(conn, acme, "invoices", {"invoice_number": "I5", "customer_code": "C1",
                                                "invoice_date": "2024-05-01", "amount": "800"}, "test")
    asked = ask(db, acme, invoices_named=(), customer="C1", amount=D("1800.00"))
    assert [(x["invoice"], x["amount"]) for x in asked["invoices"]] == [("I2", "1500.00"), ("I5", "300.00")]
    approve(db, acme, asked["id"])
    assert open_of(db, acme, "C1", JULY_31) == D("500.00")


def test_a_write_off_is_no_payment_to_behaviour_days_late_or_the_slowdown(db, acme):
    """C1: I1 (1,000.00, issued 01-10, due 02-09) paid by P1 on 02-20: 11 days late, 41 to pay.
    I2 (2,000.00, due 03-31): 500.00 paid on 03-01, 1,500.00 written off on 07-31. Counted as a
    payment, the write-off would settle I2 122 days late (07-31 - 03-31), and C1's weighted days
    late would be (1,000 x 11 + 2,000 x 122) / 3,000 = 85.0; the slowdown as of 07-31 (settled since
    05-02 against the 12 months before) 122 - 11 = 111.0 days, an alert over 10. Left out: I1 alone,
    11.0 days late, and no slowdown (nothing paid in the last 90 days)."""
    from credo.domain.risk.warnings import DEFAULT_RULES
    from credo.services.reports.behaviour import behaviour_report
    from credo.services.risk.indicators import read_indicators

    approve(db, acme, ask(db, acme)["id"])
    slowdown = [r for r in DEFAULT_RULES if r.indicator == "payment_slowdown"]
    with db.connect() as conn:
        c1 = next(r for r in behaviour_report(conn, acme, JULY_31).rows if r.customer == "C1")
        assert (c1.invoices, c1.paid_late, c1.amount, c1.days_late, c1.days_to_pay) == (
            1, 1, D("1000.00"), D("11"), D("41"))
        assert [r for r in read_indicators(conn, acme, JULY_31, slowdown) if r.subject == "C1"] == []


def test_a_written_off_invoice_reinstated_and_paid_counts_on_the_day_it_was_paid(db, acme):
    """I2 written off on 07-31, reinstated on 09-15 with P9's 1,500.00: settled by payments on 09-15,
    168 days late (09-15 - 03-31), 198 days to pay (from 03-01). C1: (1,000 x 11 + 2,000 x 168) / 3,000
    = 115.666.. days late."""
    from credo.services.reports.behaviour import behaviour_report

    booked = approve(db, acme, ask(db, acme)["id"])
    with db.begin() as conn:
        records.record(conn, acme, "payments", {"payment_ref": "P9", "customer_code": "C1",
                                                "payment_date": "2024-09-10", "amount": "1500"}, "test")
        recover(conn, acme, booked["id"], "user:wu", on=date(2024, 9, 15), payment="P9")
    with db.connect() as conn:
        c1 = next(r for r in behaviour_report(conn, acme, date(2024, 9, 30)).rows if r.customer == "C1")
    assert (c1.invoices, c1.paid_late, c1.amount) == (2, 2, D("3000.00"))
    assert round(c1.days_late, 3) == D("115.667")
