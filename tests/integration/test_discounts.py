"""Early-payment discount offers on the hand-built acme ledger (tests/conftest.py), figures by hand:

  I2 (C1, CNY, issued 03-01, due 03-31): 2,000.00 less P1's 500.00 = 1,500.00 open from 03-01.
  2 % offered on 04-01, pay by 04-10: discount 1,500.00 x 2 % = 30.00, net 1,470.00.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from builders import PAYMENTS, load, write_csv
from credo.errors import Conflict, InvalidInput
from credo.services.access import EVERYONE
from credo.services.collections import discounts
from credo.services.ledger import apply_unapplied
from credo.services.reports.aging import aging_report
from credo.store.tables import allocations, audit_log, credit_notes, invoices

pytestmark = pytest.mark.db
D = Decimal
APRIL_1, PAY_BY = date(2024, 4, 1), date(2024, 4, 10)


def offer(db, company, percent="2", numbers=("I2",), pay_by=PAY_BY):
    with db.begin() as conn:
        return discounts.offer_discount(conn, company, EVERYONE, customer="C1", invoices_offered=list(numbers),
                                        percent=percent, pay_by=pay_by, offered_on=APRIL_1, offered_by="wang",
                                        actor="test")


def pay(db, company, tmp_path, ref, day, amount, invoice="I2"):
    return load(db, company, "payments", write_csv(tmp_path / f"{ref}.csv", PAYMENTS,
                                                   [[ref, "C1", day, amount, invoice, "CNY"]]))


def i2_paid(db):
    with db.connect() as conn:
        return conn.execute(select(invoices.c.paid_amount).where(invoices.c.number == "I2")).scalar_one()


def listed(db, company, as_of):
    with db.connect() as conn:
        return discounts.list_offers(conn, company, EVERYONE, as_of)


def test_an_offer_gives_two_percent_off_what_is_open(db, acme):
    made = offer(db, acme)
    assert (made["status"], made["percent"], made["offered_by"], made["pay_by"]) == ("offered", "2", "wang",
                                                                                      "2024-04-10")
    assert made["invoices"] == [{"invoice": "I2", "currency": "CNY", "open_amount": "1500.00", "discount": "30.00",
                                 "net": "1470.00", "taken_on": None, "credit_note": None}]


def test_a_payment_on_time_of_the_net_amount_takes_the_discount_and_closes_the_invoice(db, acme, tmp_path):
    made = offer(db, acme)
    result = pay(db, acme, tmp_path, "P3", "2024-04-08", "1470.00")
    assert "1 early-payment discount(s) taken" in result.notes
    assert i2_paid(db) == 200000  # 500.00 + 1,470.00 + the 30.00 credit note
    with db.connect() as conn:
        note = conn.execute(select(credit_notes.c.amount, credit_notes.c.applied_amount, credit_notes.c.issue_date)
                            .where(credit_notes.c.number == "DSC1-I2")).one()
        dated = conn.execute(select(allocations.c.alloc_date).where(allocations.c.amount == 3000)).scalar_one()
        before = aging_report(conn, acme, date(2024, 4, 7))
        after = aging_report(conn, acme, date(2024, 4, 8))
        actions = conn.execute(select(audit_log.c.action).where(audit_log.c.entity == "discount_offer")
                               .order_by(audit_log.c.id)).scalars().all()
    assert tuple(note) == (3000, 3000, date(2024, 4, 8)) and dated == date(2024, 4, 8)
    assert {r.key: r.total for r in before.rows}["C1"] == D("1500.00")  # as of the day before: unchanged
    assert "C1" not in {r.key for r in after.rows}
    assert actions == ["offer", "take", "taken"]
    taken = listed(db, acme, date(2024, 4, 8))[0]
    assert (taken["status"], taken["closed_on"]) == ("taken", "2024-04-08")
    assert taken["invoices"][0]["taken_on"] == "2024-04-08" and taken["invoices"][0]["credit_note"] == "DSC1-I2"
    assert listed(db, acme, date(2024, 4, 7))[0]["status"] == "offered"  # as of before the payment
    with db.begin() as conn:  # a second pass books nothing
        assert discounts.honour_offers(conn, acme, "test") == []
        assert discounts.expire_offers(conn, acme, date(2024, 4, 20), "test") == {"discounts_taken": 0,
                                                                                  "offers_expired": 0}
    assert i2_paid(db) == 200000 and made["id"] == 1


def test_one_minor_unit_short_still_takes_it_two_do_not(db, acme, tmp_path):
    offer(db, acme)
    pay(db, acme, tmp_path, "P3", "2024-04-09", "1469.99")
    assert i2_paid(db) == 200000  # the credit note is 30.01
    with db.connect() as conn:
        assert conn.execute(select(credit_notes.c.amount).where(credit_notes.c.number == "DSC1-I2")).scalar_one() == 3001


def test_a_short_payment_takes_nothing_and_the_offer_expires_after_its_date(db, acme, tmp_path):
    offer(db, acme)
    pay(db, acme, tmp_path, "P3", "2024-04-09", "1469.98")
    assert i2_paid(db) == 50000 + 146998  # 30.02 stays open
    with db.begin() as conn:
        assert discounts.expire_offers(conn, acme, PAY_BY, "test") == {"discounts_taken": 0, "offers_expired": 0}
        assert discounts.expire_offers(conn, acme, date(2024, 4, 11), "test") == {"discounts_taken": 0,
                                                                                  "offers_expired": 1}
    assert listed(db, acme, PAY_BY)[0]["status"] == "offered"  # as of its last day, still standing
    expired = listed(db, acme, date(2024, 4, 11))[0]
    assert (expired["status"], expired["closed_on"]) == ("expired", "2024-04-11")
    pay(db, acme, tmp_path, "P4", "2024-04-12", "30.02")  # paid after: no discount, nothing credited
    with db.connect() as conn:
        assert conn.execute(select(credit_notes.c.id).where(credit_notes.c.number.like("DSC%"))).first() is None


def test_a_late_payment_of_the_net_amount_takes_nothing(db, acme, tmp_path):
    offer(db, acme)
    pay(db, acme, tmp_path, "P3", "2024-04-11", "1470.00")
    assert i2_paid(db) == 50000 + 147000
    assert listed(db, acme, date(2024, 4, 11))[0]["invoices"][0]["taken_on"] is None


def test_a_payment_booked_later_but_dated_on_time_takes_it_on_its_date(db, acme, tmp_path):
    offer(db, acme)
    # Entered after the pay-by date, as many bank files are: the payment's date decides.
    pay(db, acme, tmp_path, "P3", "2024-04-10", "1470.00")
    with db.connect() as conn:
        issue = conn.execute(select(credit_notes.c.issue_date).where(credit_notes.c.number == "DSC1-I2")).scalar_one()
    assert issue == PAY_BY


def test_a_payment_applied_later_takes_the_discount_on_its_date(db, acme, tmp_path):
    offer(db, acme)
    pay(db, acme, tmp_path, "P3", "2024-04-05", "1470.00", invoice="I1")  # I1 is paid: the money stays unapplied
    assert i2_paid(db) == 50000
    with db.begin() as conn:
        assert apply_unapplied(conn, acme, "test", "C1").allocations == 1  # 1,470.00 to I2, dated 04-05
    assert i2_paid(db) == 200000
    with db.connect() as conn:
        issue = conn.execute(select(credit_notes.c.issue_date).where(credit_notes.c.number == "DSC1-I2")).scalar_one()
    assert issue == date(2024, 4, 5)


def test_offers_are_refused_when_wrong(db, acme):
    with db.begin() as conn:
        with pytest.raises(InvalidInput, match="another customer"):
            discounts.offer_discount(conn, acme, EVERYONE, customer="C1", invoices_offered=["I3"], percent="2",
                                     pay_by=PAY_BY, offered_on=APRIL_1, offered_by="wang", actor="test")
        with pytest.raises(InvalidInput, match="below 100"):
            discounts.offer_discount(conn, acme, EVERYONE, customer="C1", invoices_offered=["I2"], percent="100",
                                     pay_by=PAY_BY, offered_on=APRIL_1, offered_by="wang", actor="test")
        with pytest.raises(InvalidInput, match="before the offer"):
            discounts.offer_discount(conn, acme, EVERYONE, customer="C1", invoices_offered=["I2"], percent="2",
                                     pay_by=date(2024, 3, 31), offered_on=APRIL_1, offered_by="wang", actor="test")
        with pytest.raises(Conflict, match="nothing is open"):
            discounts.offer_discount(conn, acme, EVERYONE, customer="C1", invoices_offered=["I1"], percent="2",
                                     pay_by=PAY_BY, offered_on=APRIL_1, offered_by="wang", actor="test")
    offer(db, acme)
    with pytest.raises(Conflict, match="in discount offer 1 already"):
        offer(db, acme)


def test_a_withdrawn_offer_is_not_taken(db, acme, tmp_path):
    made = offer(db, acme)
    with db.begin() as conn:
        done = discounts.withdraw_offer(conn, acme, EVERYONE, made["id"], "test", withdrawn_on=date(2024, 4, 3),
                                        reason="customer asked for a plan instead")
        with pytest.raises(Conflict, match="withdrawn already"):
            discounts.withdraw_offer(conn, acme, EVERYONE, made["id"], "test", withdrawn_on=date(2024, 4, 4))
    assert (done["status"], done["closed_on"]) == ("withdrawn", "2024-04-03")
    pay(db, acme, tmp_path, "P3", "2024-04-08", "1470.00")
    assert i2_paid(db) == 50000 + 147000
    assert listed(db, acme, date(2024, 4, 2))[0]["status"] == "offered"
    assert listed(db, acme, date(2024, 4, 3))[0]["status"] == "withdrawn"


def test_the_discount_is_rounded_half_up_to_the_currency(db, acme, tmp_path):
    made = offer(db, acme, percent="0.333")  # 1,500.00 x 0.333 % = 4.995 -> 5.00
    assert made["invoices"][0]["discount"] == "5.00" and made["invoices"][0]["net"] == "1495.00"
    pay(db, acme, tmp_path, "P3", "2024-04-02", "1495.00")
    assert i2_paid(db) == 200000


def test_an_invoice_on_cash_discount_terms_is_offered_its_discount_and_a_payment_in_time_takes_it(db, acme, tmp_path):
    """2/10 NET30 on 5,000.00 issued 05-02: 100.00 off if paid by 05-12. I5 is paid 4,900.00 on
    05-10 and closes; I6, paid 4,900.00 on 05-20, keeps 100.00 open."""
    from builders import INVOICES

    result = load(db, acme, "invoices", write_csv(tmp_path / "terms.csv", INVOICES, [
        ["I5", "C1", "2024-05-02", "", "2/10 NET30", "5000.00", "CNY"],
        ["I6", "C1", "2024-05-02", "", "2/10 NET30", "5000.00", "CNY"]]))
    assert "2 cash discount(s) of the payment terms offered until their discount date" in result.notes
    made = [o for o in listed(db, acme, date(2024, 5, 3)) if o["offered_by"] == "payment terms"]
    assert [(o["pay_by"], o["invoices"][0]["invoice"], o["invoices"][0]["discount"]) for o in made] == [
        ("2024-05-12", "I5", "100.00"), ("2024-05-12", "I6", "100.00")]
    pay(db, acme, tmp_path, "P5", "2024-05-10", "4900.00", "I5")
    pay(db, acme, tmp_path, "P6", "2024-05-20", "4900.00", "I6")
    with db.connect() as conn:
        paid = dict(conn.execute(select(invoices.c.number, invoices.c.amount - invoices.c.paid_amount)
                                 .where(invoices.c.number.in_(["I5", "I6"]))).all())
    assert paid == {"I5": 0, "I6": 10000}
    again = load(db, acme, "invoices", tmp_path / "terms.csv")  # a re-import offers nothing again
    assert again.unchanged == 2 and not any("cash discount" in note for note in again.notes)


def test_a_payment_reversed_after_it_took_the_discount_brings_the_discount_back_as_a_debit_note(db, acme, tmp_path):
    """P3 (1,470.00 on 04-08) took 30.00 off I2, then bounced on 04-12: the 1,470.00 is open again on
    I2, and the 30.00 discount is owed again as debit note DSCR1-I2, due at once."""
    from credo.services.ledger import reverse_payment

    offer(db, acme)
    pay(db, acme, tmp_path, "P3", "2024-04-08", "1470.00")
    with db.begin() as conn:
        reverse_payment(conn, acme, "P3", date(2024, 4, 12), "cheque bounced", "test")
    with db.connect() as conn:
        debit = conn.execute(select(invoices.c.amount, invoices.c.issue_date, invoices.c.due_date)
                             .where(invoices.c.number == "DSCR1-I2")).one()
        owed = {r.key: r.total for r in aging_report(conn, acme, date(2024, 4, 12)).rows}["C1"]
        before = {r.key: r.total for r in aging_report(conn, acme, date(2024, 4, 11)).rows}
    assert tuple(debit) == (3000, date(2024, 4, 12), date(2024, 4, 12))
    assert owed == D("1500.00") and before.get("C1", D(0)) == D(0), before  # 1,470.00 on I2 + 30.00 on the debit note
