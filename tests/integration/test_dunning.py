"""The dunning run's proposals on the hand-built acme ledger (tests/integration/test_ledger_reports.py
lists it), as of dates worked out by hand, with disputes, promises and payment plans in the store.

As of 2024-04-15 (a Monday), nothing sent before:
  C1 (key_account: the gentle ladder -5, +7, +21, +45 days): I2 due 03-31, 1,500.00 open, 15 days
     late -> level 2 (friendly reminder; the courtesy reminder's time before the due date is over)
  C2 (standard: -3, +3, +15, +30):  I3 due 03-30, 300.00 USD open (7.0000) = 2,100.00 CNY, 16 days
     late -> level 2 (first notice): +15 is reached, but the first message about an invoice is its
     ladder's first step after the due date, and an invoice climbs one step per run.
"""

from __future__ import annotations

from datetime import date, datetime, timezone
from decimal import Decimal

import pytest
from sqlalchemy import insert, select

from credo.services.collections.dunning import dunning_proposals
from credo.store.collections_tables import disputes, payment_plans, plan_instalments, plan_invoices, promises
from credo.store.tables import customers, invoices

pytestmark = pytest.mark.db
D = Decimal
AS_OF = date(2024, 4, 15)
NOW = datetime(2024, 4, 1, tzinfo=timezone.utc)


def proposals(db, company, as_of=AS_OF):
    with db.connect() as conn:
        return dunning_proposals(conn, company, as_of)


def invoice_ids(db, number):
    """(invoice id, customer id) of an invoice."""
    with db.connect() as conn:
        return conn.execute(select(invoices.c.id, invoices.c.customer_id).where(invoices.c.number == number)).one()


def customer_id(db, code):
    with db.connect() as conn:
        return conn.execute(select(customers.c.id).where(customers.c.code == code)).scalar_one()


def test_each_customer_gets_one_proposal_at_the_step_its_items_reached(db, acme):
    report = proposals(db, acme)
    got = {p.customer: (p.policy, p.step.level, p.step.name, p.net_amount, p.new) for p in report.proposals}
    assert got == {
        "C1": ("key_accounts", 2, "friendly reminder", D("1500.00"), ("I2:2:1",)),
        "C2": ("standard", 2, "first notice", D("2100.00"), ("I3:2:1",)),
    }
    json = report.to_json()
    c2 = next(p for p in json["proposals"] if p["customer"] == "C2")
    assert c2["items"] == [{"invoice": "I3", "due_date": "2024-03-30", "days_past_due": 16, "level": 2,
                            "open_amount": "300.00", "disputed": "0.00", "currency": "USD", "new": True}]
    assert c2["actions"] == ["email"] and c2["attach_statement"] is False


def test_an_invoice_under_an_open_dispute_is_out_of_dunning_until_it_is_resolved(db, acme):
    invoice_id, customer = invoice_ids(db, "I2")
    with db.begin() as conn:
        conn.execute(insert(disputes).values(company_id=acme.id, customer_id=customer, invoice_id=invoice_id,
                                             amount=150000, currency="CNY", reason="quality", owner="li",
                                             status="resolved", opened_on=date(2024, 4, 1),
                                             resolved_on=date(2024, 4, 20), resolution="valid",
                                             created_at=NOW, actor="test"))
    assert [p.customer for p in proposals(db, acme).proposals] == ["C2"]
    assert [p.customer for p in proposals(db, acme, date(2024, 4, 22)).proposals] == ["C1", "C2"]


def test_a_partial_dispute_leaves_the_rest_in_dunning(db, acme):
    invoice_id, customer = invoice_ids(db, "I2")
    with db.begin() as conn:
        conn.execute(insert(disputes).values(company_id=acme.id, customer_id=customer, invoice_id=invoice_id,
                                             amount=100000, currency="CNY", reason="price", owner="li",
                                             status="open", opened_on=date(2024, 4, 1), created_at=NOW, actor="test"))
    [c1] = [p for p in proposals(db, acme).proposals if p.customer == "C1"]
    assert c1.net_amount == D("500.00")


def test_a_disputed_part_is_out_of_the_line_as_it_is_out_of_the_total(db, acme):
    # I2: 1,500.00 open, 1,000.00 disputed since 04-01: the line asks for 500.00, as the total does
    # (before: the line showed 1,500.00 beside a total of 500.00).
    invoice_id, customer = invoice_ids(db, "I2")
    with db.begin() as conn:
        conn.execute(insert(disputes).values(company_id=acme.id, customer_id=customer, invoice_id=invoice_id,
                                             amount=100000, currency="CNY", reason="price", owner="li",
                                             status="open", opened_on=date(2024, 4, 1), created_at=NOW, actor="test"))
    c1 = next(p for p in proposals(db, acme).to_json()["proposals"] if p["customer"] == "C1")
    assert [(i["invoice"], i["open_amount"], i["disputed"]) for i in c1["items"]] == [("I2", "500.00", "1000.00")]
    assert (c1["open_amount"], c1["net_amount"]) == ("500.00", "500.00")


def test_an_open_promise_pauses_the_customer_and_a_broken_one_brings_the_next_step(db, acme):
    from credo.store.collections_tables import dunning_sends

    invoice_id, customer = invoice_ids(db, "I3")
    with db.begin() as conn:  # C2 had its first notice on 04-02 and its second on 04-15, then promised
        for level, step, day in ((2, "first notice", date(2024, 4, 2)), (3, "second notice", date(2024, 4, 15))):
            conn.execute(insert(dunning_sends).values(
                company_id=acme.id, customer_id=customer, invoice_id=invoice_id, send_key=f"I3:{level}:1",
                level=level, times=1, policy="standard", step=step, run_on=day, status="sent", channels="email",
                delivered="email", created_at=NOW, actor="test"))
        conn.execute(insert(promises).values(company_id=acme.id, customer_id=customer, made_on=date(2024, 4, 16),
                                             promised_on=date(2024, 4, 20), amount=30000, currency="USD",
                                             channel="phone", grace_days=2, created_at=NOW, actor="test"))
    assert [p.customer for p in proposals(db, acme, date(2024, 4, 17)).proposals] == ["C1"]
    # Not paid by 04-22: broken on the 23rd (24 days late). By date alone the final demand waits for
    # +30 (04-29); the broken promise brings it now, 8 days after the second notice (wait 7).
    after = {p.customer: p.step.level for p in proposals(db, acme, date(2024, 4, 23)).proposals}
    assert after["C2"] == 4


def test_a_payment_plan_instalment_date_replaces_the_due_date(db, acme):
    invoice_id, customer = invoice_ids(db, "I2")
    with db.begin() as conn:
        plan_id = conn.execute(insert(payment_plans).values(
            company_id=acme.id, customer_id=customer, agreed_on=date(2024, 4, 2), amount=150000, currency="CNY",
            frequency="monthly", created_at=NOW, actor="test")).inserted_primary_key[0]
        conn.execute(insert(plan_invoices).values(plan_id=plan_id, invoice_id=invoice_id))
        conn.execute(insert(plan_instalments), [
            {"plan_id": plan_id, "number": 1, "due_date": date(2024, 4, 30), "principal": 75000, "interest": 0},
            {"plan_id": plan_id, "number": 2, "due_date": date(2024, 5, 31), "principal": 75000, "interest": 0}])
    # Due 04-30 now: the gentle ladder's -5 days courtesy reminder falls on 04-25, nothing before.
    assert "C1" not in {p.customer for p in proposals(db, acme).proposals}
    assert {p.customer: p.step.level for p in proposals(db, acme, date(2024, 4, 25)).proposals}["C1"] == 1


def test_on_a_weekend_nothing_is_proposed(db, acme):
    report = proposals(db, acme, date(2024, 4, 13))
    assert report.proposals == () and {s.reason for s in report.skipped} == {"not_a_working_day"}


def test_the_rating_of_the_credit_line_in_force_chooses_the_firm_ladder(db, acme):
    from credit_support import grant

    with db.begin() as conn:
        grant(conn, acme, 0, customer="C1", rating="D", valid_from=date(2024, 4, 1), review_due=None)
    # C1 rated D from 04-01: the firm ladder (0, +1, +7, +15, +30, +60); I2 due 03-31 is 15 days late,
    # never dunned: its first message is the first notice (+1), not the final demand +15 has reached.
    got = {p.customer: (p.policy, p.step.level, p.step.name) for p in proposals(db, acme).proposals}
    assert got["C1"] == ("firm", 2, "first notice")
    # Before the line started, C1 was unrated and in the key accounts' segment: the gentle ladder.
    assert {p.customer: p.policy for p in proposals(db, acme, date(2024, 3, 29)).proposals}["C1"] == "key_accounts"
