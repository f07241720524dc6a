"""A small ledger for the credit-limit tests, with figures easy to add up by hand.

K1 and K2 are in group G9, K3 has no group (all CNY, NET30). As of 2026-06-15:
- K1: invoice A1 of 40,000 (2026-05-01, due 2026-05-31), an unapplied credit note of 5,000:
  receivables 35,000; order O1 of 10,000 open (O2 of 3,000 cancelled): exposure 45,000.
- K2: invoice A2 of 20,000 (2026-06-01, due 2026-07-01); order O3 of 5,000: exposure 25,000.
- Group G9: 70,000. Lines: K1 100,000 (rating B), G9 80,000, K3 10,000 from 2026-01-01.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from builders import CREDIT_NOTES, CUSTOMERS, INVOICES, load, write_csv
from credo.services.access import EVERYONE
from credo.services.credit.requests import Person, Proposal, approve, request_limit

ORDERS = ["order_number", "customer_code", "order_date", "amount", "currency", "status", "invoice_number"]
MANAGER = Person("user:li", "credit_manager")
CONTROLLER = Person("user:wu", "controller")
TODAY = date(2026, 6, 15)


def grant(conn, company, amount, *, customer=None, group=None, valid_from=date(2026, 1, 1), valid_to=None,
          rating="B", review_due=date(2026, 12, 31)):
    """A line asked for by the credit manager and approved by the controller (a second person)."""
    proposal = Proposal(Decimal(amount), 60, rating, "test line", valid_from=valid_from, valid_to=valid_to,
                        review_due=review_due)
    made = request_limit(conn, company, EVERYONE, MANAGER, proposal, customer=customer, group=group, today=TODAY)
    if made["status"] == "pending":
        made = approve(conn, company, made["id"], CONTROLLER, "ok", TODAY)
    return made


def credit_ledger(db, company, folder):
    write_csv(folder / "customers.csv", CUSTOMERS, [
        ["K1", "甲方", "CNY", "NET30", "G9", "", ""], ["K2", "乙方", "CNY", "NET30", "G9", "", ""],
        ["K3", "丙方", "CNY", "NET30", "", "", ""]])
    write_csv(folder / "invoices.csv", INVOICES, [["A1", "K1", "2026-05-01", "", "", "40000", ""],
                                                  ["A2", "K2", "2026-06-01", "", "", "20000", ""]])
    write_csv(folder / "credit-notes.csv", CREDIT_NOTES, [["CN9", "K1", "2026-06-05", "5000", "", "", ""]])
    for kind in ("customers", "invoices", "credit-notes"):
        load(db, company, kind, folder / f"{kind}.csv")
    with db.begin() as conn:
        grant(conn, company, 100_000, customer="K1")
        grant(conn, company, 80_000, group="G9")
        grant(conn, company, 10_000, customer="K3")
    write_csv(folder / "orders.csv", ORDERS, [["O1", "K1", "2026-06-10", "10000", "", "", ""],
                                              ["O2", "K1", "2026-06-11", "3000", "", "cancelled", ""],
                                              ["O3", "K2", "2026-06-12", "5000", "", "open", ""]])
    return load(db, company, "orders", folder / "orders.csv")


def blocked_order_and_large_request(db, company, folder) -> None:
    """On the acme ledger: C3 has a line of 1,000 (it owes 2,500), so its order Q1 is blocked; the
    credit manager asked for 500,000 on C1, above the self-approval limit (a controller's to approve)."""
    from builders import load, write_csv

    with db.begin() as conn:
        grant(conn, company, 1_000, customer="C3", valid_from=date(2024, 1, 1))
        request_limit(conn, company, EVERYONE, Person("user:credit_manager", "credit_manager"),
                      Proposal(Decimal(500_000), 60, "B", "big tender"), customer="C1", today=date(2024, 7, 1))
    write_csv(folder / "orders.csv", ORDERS, [["Q1", "C3", "2024-07-01", "800", "", "", ""]])
    load(db, company, "orders", folder / "orders.csv")
