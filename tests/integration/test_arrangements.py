"""Disputes, promises to pay and payment plans on the hand-built acme ledger (test_dunning.py and
test_ledger_reports.py list it), with figures worked out by hand:

  I2 (C1, CNY, due 03-31): 2,000.00 less P1's 500.00 = 1,500.00 open from 03-01
  I3 (C2, USD, due 03-30): 500.00 less P2's 200.00 (04-10) = 300.00 open; USD 7.0000 until 06-01
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from builders import CREDIT_NOTES, PAYMENTS, load, write_csv
from credo.errors import Conflict, InvalidInput, NotFound
from credo.services.access import EVERYONE, Scope
from credo.services.collections import disputes, plans, promises
from credo.services.collections.dispute_report import disputes_report
from credo.services.collections.dunning import dunning_proposals
from credo.services.reports.aging import aging_report
from credo.store.tables import allocations, audit_log, credit_notes, customers, invoices

pytestmark = pytest.mark.db
D = Decimal
APRIL_1, AS_OF = date(2024, 4, 1), date(2024, 4, 15)


def open_price_dispute(db, company, amount=D("600.00"), scope=EVERYONE):
    with db.begin() as conn:
        return disputes.open_dispute(conn, company, scope, invoice="I2", reason="price", owner="li", actor="test",
                                     amount=amount, opened_on=APRIL_1, due_on=date(2024, 4, 30))


def pay(db, company, tmp_path, *rows):
    load(db, company, "payments", write_csv(tmp_path / "more.csv", PAYMENTS, rows))


def test_a_partial_dispute_is_shown_apart_in_the_aging_and_counted_in_the_report(db, acme):
    opened = open_price_dispute(db, acme)
    assert (opened["status"], opened["amount"], opened["currency"]) == ("open", "600.00", "CNY")
    with db.connect() as conn:
        aging = aging_report(conn, acme, AS_OF)
        report = disputes_report(conn, acme, EVERYONE, AS_OF)
    c1 = {r.key: r for r in aging.rows}["C1"]
    assert c1.total == D("1500.00") and c1.disputed == D("600.00")  # the buckets keep the whole open amount
    assert aging.totals.disputed == D("600.00") and aging.to_json()["rows"][0]["disputed"] == "600.00"
    assert "disputed" in aging.table().columns
    assert (report.count, report.amount) == (1, D("600.00"))
    assert report.by_reason == {"price": (1, D("600.00"))} and report.by_owner == {"li": (1, D("600.00"))}
    assert report.by_age["0-30"] == (1, D("600.00")) and report.by_age[">90"] == (0, D("0"))
    # 14 days open on 04-15; 60 days on 05-31 (still 31-60), 61 on 06-01.
    with db.connect() as conn:
        assert disputes_report(conn, acme, EVERYONE, date(2024, 5, 31)).by_age["31-60"] == (1, D("600.00"))
        assert disputes_report(conn, acme, EVERYONE, date(2024, 6, 1)).by_age["61-90"] == (1, D("600.00"))


def test_a_dispute_in_another_currency_is_reported_in_the_base_currency(db, acme):
    with db.begin() as conn:
        disputes.open_dispute(conn, acme, EVERYONE, invoice="I3", reason="quantity", owner="mei", actor="test",
                              opened_on=AS_OF)
        report = disputes_report(conn, acme, EVERYONE, AS_OF)
    assert report.by_reason == {"quantity": (1, D("2100.00"))}  # USD 300.00 x 7.0000


def test_resolution_by_credit_note_settles_the_invoice_and_dunning_proposes_only_the_rest(db, acme):
    opened = open_price_dispute(db, acme)
    with db.begin() as conn:
        disputes.investigate(conn, acme, EVERYONE, opened["id"], "test", notes="price list checked")
        done = disputes.resolve(conn, acme, EVERYONE, opened["id"], "credit_note", "test",
                                resolved_on=date(2024, 4, 16))
    assert (done["status"], done["resolution"], done["credit_note"]) == ("resolved", "credit_note", "CN-D1")
    with db.connect() as conn:
        note = conn.execute(select(credit_notes.c.amount, credit_notes.c.applied_amount)
                            .where(credit_notes.c.number == "CN-D1")).one()
        paid = conn.execute(select(invoices.c.paid_amount).where(invoices.c.number == "I2")).scalar_one()
        entries = conn.execute(select(audit_log.c.action).where(audit_log.c.entity == "dispute")).scalars().all()
        dated = conn.execute(select(allocations.c.alloc_date).where(allocations.c.amount == 60000)).scalar_one()
    assert tuple(note) == (60000, 60000) and paid == 50000 + 60000 and dated == date(2024, 4, 16)
    assert entries == ["open", "investigate", "resolve"]
    with db.connect() as conn:
        c1 = next(p for p in dunning_proposals(conn, acme, date(2024, 4, 22)).proposals if p.customer == "C1")
    assert c1.net_amount == D("900.00")  # 1,500.00 less the 600.00 credited


def test_a_valid_dispute_puts_the_whole_invoice_back_into_dunning(db, acme):
    opened = open_price_dispute(db, acme, amount=None)
    assert opened["amount"] == "1500.00"  # no amount: all that is open
    with db.connect() as conn:
        assert "C1" not in {p.customer for p in dunning_proposals(conn, acme, AS_OF).proposals}
    with db.begin() as conn:
        disputes.resolve(conn, acme, EVERYONE, opened["id"], "valid", "test", resolved_on=AS_OF)
    with db.connect() as conn:
        c1 = next(p for p in dunning_proposals(conn, acme, AS_OF).proposals if p.customer == "C1")
    assert c1.net_amount == D("1500.00")


def test_a_partial_resolution_credits_part_and_refuses_the_whole(db, acme):
    opened = open_price_dispute(db, acme)
    with db.begin() as conn, pytest.raises(InvalidInput, match="less than"):
        disputes.resolve(conn, acme, EVERYONE, opened["id"], "partial", "test", resolved_on=AS_OF, amount=D("600"))
    with db.begin() as conn:
        done = disputes.resolve(conn, acme, EVERYONE, opened["id"], "partial", "test", resolved_on=AS_OF,
                                amount=D("250.00"), credit_note="CN-P1")
    assert done["credit_note"] == "CN-P1"
    with db.connect() as conn:
        assert conn.execute(select(invoices.c.paid_amount).where(invoices.c.number == "I2")).scalar_one() == 75000


def test_disputes_over_the_open_amount_without_a_resolution_or_outside_the_portfolio_are_refused(db, acme):
    with db.begin() as conn, pytest.raises(Conflict, match="more than the 1500.00 open"):
        disputes.open_dispute(conn, acme, EVERYONE, invoice="I2", reason="price", owner="li", actor="test",
                              amount=D("1600.00"), opened_on=APRIL_1)
    opened = open_price_dispute(db, acme)
    with db.begin() as conn, pytest.raises(Conflict, match="900.00 open and undisputed"):
        disputes.open_dispute(conn, acme, EVERYONE, invoice="I2", reason="delivery", owner="li", actor="test",
                              amount=D("1000.00"), opened_on=APRIL_1)
    with db.begin() as conn, pytest.raises(InvalidInput, match="needs a resolution"):
        disputes.resolve(conn, acme, EVERYONE, opened["id"], None, "test", resolved_on=AS_OF)
    with db.begin() as conn, pytest.raises(InvalidInput, match="reason"):
        disputes.open_dispute(conn, acme, EVERYONE, invoice="I2", reason="mood", owner="li", actor="test",
                              opened_on=APRIL_1)
    lee = Scope("collector", "lee")  # C2's collector: C1 is not in the portfolio
    with pytest.raises(NotFound):
        open_price_dispute(db, acme, scope=lee)
    with db.connect() as conn, pytest.raises(NotFound):
        disputes.get_dispute(conn, acme, lee, opened["id"])
    with db.connect() as conn:
        assert disputes.list_disputes(conn, acme, lee) == []
        assert [d["id"] for d in disputes.list_disputes(conn, acme, EVERYONE, reason="price")] == [opened["id"]]


def promise_c2(db, company, **values):
    with db.begin() as conn:
        return promises.add_promise(conn, company, EVERYONE, customer="C2", promised_on=date(2024, 4, 20),
                                    amount=D("300.00"), actor="test", made_on=date(2024, 4, 12), grace_days=2,
                                    invoices_covered=["I3"], promised_by="Ms Beta", **values)


def test_a_promise_is_kept_by_a_payment_in_its_window(db, acme, tmp_path):
    made = promise_c2(db, acme)
    assert (made["currency"], made["standing"], made["invoices"]) == ("USD", "open", ["I3"])  # C2's currency
    pay(db, acme, tmp_path, ["P3", "C2", "2024-04-18", "300", "I3", "USD"])
    with db.connect() as conn:
        [kept] = promises.list_promises(conn, acme, EVERYONE, date(2024, 4, 23))
        assert (kept["standing"], kept["paid"]) == ("kept", "300.00")
        assert promises.broken_promises(conn, acme, date(2024, 4, 23)) == []


def test_a_promise_not_paid_by_its_date_plus_grace_is_broken_and_listed(db, acme, tmp_path):
    made = promise_c2(db, acme)
    pay(db, acme, tmp_path, ["P3", "C2", "2024-04-23", "300", "I3", "USD"])  # a day after 04-20 + 2
    with db.connect() as conn:
        assert promises.list_promises(conn, acme, EVERYONE, date(2024, 4, 22))[0]["standing"] == "open"
        assert promises.broken_promises(conn, acme, date(2024, 4, 23)) == [
            {"customer": "C2", "promise_id": made["id"], "amount": D("300.00"), "currency": "USD",
             "promised_on": date(2024, 4, 20)}]
    with db.begin() as conn:
        promises.cancel_promise(conn, acme, EVERYONE, made["id"], "test", cancelled_on=date(2024, 4, 23))
    with db.connect() as conn:
        assert promises.broken_promises(conn, acme, date(2024, 4, 24)) == []


def test_money_received_before_or_on_the_day_a_promise_is_made_does_not_keep_it(db, acme, tmp_path):
    """C2's P2 paid 200.00 USD on I3 on 04-10 (in the ledger before the promise). A promise made on
    04-10 of 200.00 by 04-20: P2 is dated the day it was made, so it does not count: open on 04-15,
    broken on 04-21 (the dunning run escalates it); one made on 04-12 does not see P2 either. P3,
    150.00 on 04-11, counts towards the first (made the day before) but not the second: 150 < 200."""
    from credo.services.collections.facts import _promises

    with db.begin() as conn:
        same_day = promises.add_promise(conn, acme, EVERYONE, customer="C2", promised_on=date(2024, 4, 20),
                                        amount=D("200.00"), actor="test", made_on=date(2024, 4, 10))
    assert (same_day["standing"], same_day["paid"]) == ("open", "0")
    pay(db, acme, tmp_path, ["P3", "C2", "2024-04-11", "150", "I3", "USD"])
    with db.begin() as conn:
        later = promises.add_promise(conn, acme, EVERYONE, customer="C2", promised_on=date(2024, 4, 20),
                                     amount=D("200.00"), actor="test", made_on=date(2024, 4, 12))
    with db.connect() as conn:
        shown = {p["id"]: (p["standing"], p["paid"]) for p in promises.list_promises(conn, acme, EVERYONE,
                                                                                     date(2024, 4, 21))}
        assert shown == {same_day["id"]: ("broken", "150.00"), later["id"]: ("broken", "0")}
        assert [b["promise_id"] for b in promises.broken_promises(conn, acme, date(2024, 4, 21))] == [
            same_day["id"], later["id"]]
        _, broken = _promises(conn, acme.id, date(2024, 4, 21))
        c2 = conn.execute(select(customers.c.id).where(customers.c.code == "C2")).scalar_one()
        assert broken == {(c2, None)}


def test_a_promise_due_the_day_it_is_made_without_grace_is_refused(db, acme):
    with db.begin() as conn, pytest.raises(InvalidInput, match="after the day it is made"):
        promises.add_promise(conn, acme, EVERYONE, customer="C2", promised_on=date(2024, 4, 10),
                             amount=D("200.00"), actor="test", made_on=date(2024, 4, 10))
    with db.begin() as conn:  # a day's grace lets money dated the day after keep it
        made = promises.add_promise(conn, acme, EVERYONE, customer="C2", promised_on=date(2024, 4, 10),
                                    amount=D("200.00"), actor="test", made_on=date(2024, 4, 10), grace_days=1)
    assert made["deadline"] == "2024-04-11"


def plan_on_i2(db, company):
    with db.begin() as conn:
        return plans.agree_plan(conn, company, EVERYONE, customer="C1", invoices_covered=["I2"], count=3,
                                frequency="monthly", first_due=date(2024, 4, 30), actor="test",
                                agreed_on=date(2024, 4, 2))


def test_a_plan_of_three_monthly_instalments_on_i2_and_a_missed_one(db, acme, tmp_path):
    plan = plan_on_i2(db, acme)
    assert plan["amount"] == "1500.00"  # what is open on I2
    assert [(i["due_date"], i["amount"]) for i in plan["instalments"]] == [
        ("2024-04-30", "500.00"), ("2024-05-30", "500.00"), ("2024-06-30", "500.00")]
    pay(db, acme, tmp_path, ["P3", "C1", "2024-04-29", "500", "I2", ""])
    with db.connect() as conn:
        shown = plans.show_plan(conn, acme, EVERYONE, plan["id"], date(2024, 5, 31))
        assert [i["standing"] for i in shown["instalments"]] == ["kept", "broken", "open"]
        assert shown["next_due"] == "2024-05-30" and shown["breached"]
        assert plans.breached_plans(conn, acme, date(2024, 5, 30)) == []
        assert plans.breached_plans(conn, acme, date(2024, 5, 31)) == [
            {"customer": "C1", "plan_id": plan["id"], "instalment": 2, "due_date": date(2024, 5, 30),
             "currency": "CNY", "unpaid": D("500.00")}]
    with db.begin() as conn:
        plans.cancel_plan(conn, acme, EVERYONE, plan["id"], "test", cancelled_on=date(2024, 6, 1))
    with db.connect() as conn:
        assert plans.breached_plans(conn, acme, date(2024, 6, 2)) == []


def test_a_credit_note_on_a_planned_invoice_takes_the_last_instalment_away_and_pays_none(db, acme, tmp_path):
    """I2's plan: 500.00 on 04-30, 05-30 and 06-30. A credit note of 500.00 on I2 on 04-20 lowers
    the debt: the last instalment goes (kept, nothing paid), the first is still owed. Counted as
    money, it paid the first and left the customer to miss the second unseen. P3 pays 300.00 on
    04-29: on 05-01 the first instalment is broken with 300.00 paid, the third is kept, 500.00 reduced."""
    plan = plan_on_i2(db, acme)
    load(db, acme, "credit-notes", write_csv(tmp_path / "cn.csv", CREDIT_NOTES,
                                              [["CN9", "C1", "2024-04-20", "500", "I2", "price", ""]]))
    pay(db, acme, tmp_path, ["P3", "C1", "2024-04-29", "300", "I2", ""])
    with db.connect() as conn:
        shown = plans.show_plan(conn, acme, EVERYONE, plan["id"], date(2024, 5, 1))
        assert [(i["paid"], i["reduced"], i["standing"]) for i in shown["instalments"]] == [
            ("300.00", "0.00", "broken"), ("0.00", "0.00", "open"), ("0.00", "500.00", "kept")]
        assert [b["unpaid"] for b in plans.breached_plans(conn, acme, date(2024, 5, 1))] == [D("200.00")]


def test_a_plan_over_more_than_is_open_or_a_paid_invoice_is_refused(db, acme):
    with db.begin() as conn, pytest.raises(Conflict, match="at most the 1500.00 CNY"):
        plans.agree_plan(conn, acme, EVERYONE, customer="C1", invoices_covered=["I2"], count=3, frequency="monthly",
                         first_due=date(2024, 4, 30), actor="test", agreed_on=date(2024, 4, 2), amount=D("2000"))
    with db.begin() as conn, pytest.raises(Conflict, match="I1 has nothing open"):
        plans.agree_plan(conn, acme, EVERYONE, customer="C1", invoices_covered=["I1"], count=2, frequency="weekly",
                         first_due=date(2024, 4, 30), actor="test", agreed_on=date(2024, 4, 2))


def test_a_resolution_naming_a_credit_note_that_exists_is_refused_and_changes_nothing(db, acme):
    opened = open_price_dispute(db, acme)
    with db.begin() as conn, pytest.raises(Conflict, match="CN1 exists already"):
        disputes.resolve(conn, acme, EVERYONE, opened["id"], "credit_note", "test", resolved_on=AS_OF,
                         credit_note="CN1")
    with db.connect() as conn:
        assert disputes.get_dispute(conn, acme, EVERYONE, opened["id"])["status"] == "open"
