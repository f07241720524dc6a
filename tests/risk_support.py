"""A small ledger that trips every early-warning indicator, as of 2024-06-30, with values worked out
by hand (company ACME, base CNY, USD at 7.0000):

customer  group  open invoices as of 2024-06-30                      receivables (CNY)
A         G      A-1 1,000 due 2024-03-31 (91 days), A-2 4,000 not due   5,000
B         G      B-1 2,000 due 2024-05-31 (30 days); an open order 1,000  2,000
C         -      C-1 USD 500 not due (disputed 2024-06-20); C-2 paid      3,500
D         -      D-1 1,500 (its payment came back 2024-06-15)             1,500
                                                                    total 12,000
- concentration: A 5,000 / 12,000 = 0.4167, B 0.1667, C 0.2917, D 0.1250; group G 7,000 / 12,000 = 0.5833
- limit utilisation: A 5,000 / its line 5,500 = 0.9091; group G (5,000 + 2,000 + the order 1,000) / 10,000 = 0.8000
- overdue: A 1,000, B 2,000; days past due: A 91, B 30
- payment slowdown of D: settled in the 12 months before 2024-04-02: D-0a 1,000 5 days late, D-0b 1,000
  10 days late: (5,000 + 10,000) / 2,000 = 7.5; in the last 90 days D-0c 2,000 30 days late: 30.0; 22.5
- broken promises within 90 days: B 2 (deadlines 2024-06-10, 2024-06-20); A's of 2024-01-20 is older
- assessments of A: 2024-01-15 B 70 grey, 2024-06-01 D 45 distress (and one of 2024-07-15, later):
  2 rating steps down, 25 points lost, Altman distress
- dispute rate within 180 days: C 1 of 2 invoices = 0.5000
- returned payments within 90 days: D 1
- manual flags: A's lawsuit of 2024-06-20 (B's news of 2024-05-01 was cleared on 2024-06-01)
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

from sqlalchemy import insert, select

from builders import CUSTOMERS, INVOICES, PAYMENTS, load, write_csv
from credo import clock
from credo.services.access import EVERYONE
from credo.store.credit_tables import credit_assessments
from credo.services.credit.order_history import note_changes
from credo.store.limit_tables import credit_lines, limit_requests, orders
from credo.store.tables import customer_groups, customers

AS_OF = date(2024, 6, 30)


def build_risk_ledger(db, company, folder) -> None:
    write_csv(folder / "customers.csv", CUSTOMERS, [
        ["A", "甲贸易", "CNY", "NET30", "G", "key_account", "wang"],
        ["B", "乙工业", "CNY", "NET30", "G", "standard", "wang"],
        ["C", "Gamma Inc", "USD", "NET30", "", "standard", "lee"],
        ["D", "丁科技", "CNY", "NET30", "", "standard", "lee"],
    ])
    write_csv(folder / "fx.csv", ["currency", "rate_date", "rate"], [["USD", "2024-01-01", "7.0000"]])
    write_csv(folder / "invoices.csv", INVOICES, [
        ["A-1", "A", "2024-03-01", "2024-03-31", "", "1000.00", "CNY"],
        ["A-2", "A", "2024-06-01", "2024-07-01", "", "4000.00", "CNY"],
        ["B-1", "B", "2024-05-01", "2024-05-31", "", "2000.00", "CNY"],
        ["C-1", "C", "2024-06-10", "2024-07-10", "", "500.00", "USD"],
        ["C-2", "C", "2024-02-01", "2024-03-02", "", "100.00", "USD"],
        ["D-0a", "D", "2023-09-01", "2023-10-01", "", "1000.00", "CNY"],
        ["D-0b", "D", "2023-10-01", "2023-10-31", "", "1000.00", "CNY"],
        ["D-0c", "D", "2024-04-01", "2024-05-01", "", "2000.00", "CNY"],
        ["D-1", "D", "2024-06-01", "2024-07-01", "", "1500.00", "CNY"],
    ])
    write_csv(folder / "payments.csv", PAYMENTS, [
        ["P-C2", "C", "2024-03-01", "100.00", "C-2", "USD"],
        ["P-D0a", "D", "2023-10-06", "1000.00", "D-0a", "CNY"],
        ["P-D0b", "D", "2023-11-10", "1000.00", "D-0b", "CNY"],
        ["P-D0c", "D", "2024-05-31", "2000.00", "D-0c", "CNY"],
        ["P-D1", "D", "2024-06-05", "1500.00", "D-1", "CNY"],
    ])
    for kind, name in (("customers", "customers.csv"), ("fx-rates", "fx.csv"), ("invoices", "invoices.csv"),
                       ("payments", "payments.csv")):
        load(db, company, kind, folder / name)
    from credo.services.collections.disputes import open_dispute
    from credo.services.collections.promises import add_promise
    from credo.services.ledger import reverse_payment
    from credo.services.risk.alerts import add_flag, clear_flag

    with db.begin() as conn:
        ids = dict(conn.execute(select(customers.c.code, customers.c.id)).all())
        group = conn.execute(select(customer_groups.c.id).where(customer_groups.c.code == "G")).scalar_one()
        reverse_payment(conn, company, "P-D1", date(2024, 6, 15), "bounced cheque", "test")
        open_dispute(conn, company, EVERYONE, invoice="C-1", reason="quality", owner="li.na", actor="test",
                     opened_on=date(2024, 6, 20))
        for made, promised, amount, who in ((date(2024, 5, 15), date(2024, 6, 10), "2000", "B"),
                                            (date(2024, 6, 12), date(2024, 6, 20), "500", "B"),
                                            (date(2024, 1, 5), date(2024, 1, 20), "100", "A")):
            add_promise(conn, company, EVERYONE, customer=who, promised_on=promised, amount=Decimal(amount),
                        actor="test", made_on=made)
        add_line(conn, company, 5500_00, customer_id=ids["A"])
        add_line(conn, company, 10000_00, group_id=group)
        order_id = conn.execute(insert(orders).values(
            company_id=company.id, customer_id=ids["B"], number="SO-1", order_date=date(2024, 6, 15), currency="CNY",
            amount=1000_00, status="open")).inserted_primary_key[0]
        note_changes(conn, company, {order_id: date(2024, 6, 15)}, "test")  # the order's history, as every writer
        for as_of, rating, score, zone in ((date(2024, 1, 15), "B", 70, "grey"), (date(2024, 6, 1), "D", 45, "distress"),
                                           (date(2024, 7, 15), "A", 85, "safe")):
            add_assessment(conn, company, ids["A"], as_of, rating, score, zone)
        add_flag(conn, company, EVERYONE, "A", "lawsuit", "起诉：供应商货款纠纷", date(2024, 6, 20), "test")
        news = add_flag(conn, company, EVERYONE, "B", "news", "管理层变动传闻", date(2024, 5, 1), "test")
        clear_flag(conn, company, news["id"], date(2024, 6, 1), "test")


def add_line(conn, company, minor: int, *, customer_id=None, group_id=None) -> None:
    now = clock.now()
    terms = dict(company_id=company.id, customer_id=customer_id, group_id=group_id, currency="CNY", amount=minor,
                 term_days=30, rating="B", valid_from=date(2024, 1, 1))
    request_id = conn.execute(insert(limit_requests).values(
        **terms, reason="test", requested_by="test", requested_at=now, status="approved", decided_by="boss",
        decided_at=now)).inserted_primary_key[0]
    conn.execute(insert(credit_lines).values(**terms, request_id=request_id, approved_by="boss", approved_at=now))


def add_assessment(conn, company, customer_id: int, as_of: date, rating: str, score: int, zone: str) -> None:
    inputs = {"z": {"model": "Z''", "value": "0.52" if zone == "distress" else "2.00", "zone": zone}}
    conn.execute(insert(credit_assessments).values(
        company_id=company.id, customer_id=customer_id, as_of=as_of, assessed_at=clock.now(),
        actor="test", score=score, rating=rating, recommended_limit=0, currency="CNY", recommended_term_days=0,
        review_due=as_of, reasons="[]", inputs=json.dumps(inputs)))
