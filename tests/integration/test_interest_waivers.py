"""Waivers of late interest, maker-checker, on the acme ledger with C1's 万分之五 terms
(tests/integration/test_interest.py): as of 2024-04-15, I1 2.50 and I2 7.50 are still to charge."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from builders import contract_terms
from credo.errors import Forbidden, InvalidInput
from credo.services.collections.charges import charge_interest
from credo.services.collections.interest import interest_report
from credo.services.collections.interest_terms import change_interest_settings
from credo.services.collections.waivers import approve_waiver, list_waivers, reject_waiver, request_waiver
from credo.services.credit.requests import Person
from credo.store.tables import credit_notes, invoices

pytestmark = pytest.mark.db
D = Decimal
DAY = date(2024, 4, 15)
LI = Person("user:li", "credit_manager")
WU = Person("user:wu", "controller")
ZHAO = Person("user:zhao", "collector")
MA = Person("user:ma", "credit_manager")


def waive(db, company, who, invoice="I2", amount="5.00", today=DAY):
    with db.begin() as conn:
        return request_waiver(conn, company, who, invoice=invoice, amount=D(amount), reason="goodwill", today=today)


def to_charge(db, company, invoice, as_of=DAY):
    with db.connect() as conn:
        return next(x.to_charge for x in interest_report(conn, company, as_of).lines if x.invoice == invoice)


def test_a_waiver_within_the_threshold_waits_for_a_second_credit_manager_then_lowers_what_is_to_charge(db, acme):
    contract_terms(db, acme)
    waiver = waive(db, acme, LI)
    assert (waiver["status"], waiver["decided_by"]) == ("pending", None)  # never decided by its requester
    with db.begin() as conn:
        approved = approve_waiver(conn, acme, waiver["id"], MA, "goodwill", DAY)
    assert (approved["status"], approved["decided_by"]) == ("approved", "user:ma")
    assert to_charge(db, acme, "I2") == D("2.50")  # 7.50 of interest less the 5.00 waived
    with db.begin() as conn:
        assert [n.amount for n in charge_interest(conn, acme, DAY, "test").debit_notes] == [D("5.00")]


def test_above_the_threshold_the_requester_may_not_approve_a_waiver_but_a_second_person_may(db, acme):
    contract_terms(db, acme)
    with db.begin() as conn:
        change_interest_settings(conn, acme, "test", waiver_threshold="1")
    waiver = waive(db, acme, LI)
    assert waiver["status"] == "pending" and to_charge(db, acme, "I2") == D("7.50")
    with db.begin() as conn, pytest.raises(Forbidden, match="other than its requester"):
        approve_waiver(conn, acme, waiver["id"], LI, "", DAY)
    with db.begin() as conn, pytest.raises(Forbidden, match="the role collector may not approve a waiver"):
        approve_waiver(conn, acme, waiver["id"], ZHAO, "", DAY)
    with db.begin() as conn, pytest.raises(Forbidden, match="needs approval by the role controller or above, "
                                                          "not credit_manager"):
        approve_waiver(conn, acme, waiver["id"], MA, "", DAY)  # 5.00 is above the threshold of 1
    with db.begin() as conn:
        assert approve_waiver(conn, acme, waiver["id"], WU, "ok", DAY)["status"] == "approved"
    assert to_charge(db, acme, "I2") == D("2.50")


def test_a_waiver_asked_by_someone_who_may_not_waive_waits_and_a_rejection_needs_a_note(db, acme):
    contract_terms(db, acme)
    waiver = waive(db, acme, ZHAO, amount="1.00")
    assert waiver["status"] == "pending"
    with db.begin() as conn, pytest.raises(InvalidInput, match="note"):
        reject_waiver(conn, acme, waiver["id"], LI, " ")
    with db.begin() as conn:
        assert reject_waiver(conn, acme, waiver["id"], LI, "no reason to")["status"] == "rejected"
        assert [w["status"] for w in list_waivers(conn, acme)] == ["rejected"]
    assert to_charge(db, acme, "I2") == D("7.50")


def test_no_more_can_be_waived_than_is_still_to_charge(db, acme):
    contract_terms(db, acme)
    with pytest.raises(InvalidInput, match="at most 7.50"):
        waive(db, acme, LI, amount="7.51")


def test_a_waiver_of_a_debit_note_is_booked_as_a_credit_note_on_it(db, acme):
    contract_terms(db, acme)
    with db.begin() as conn:
        charge_interest(conn, acme, DAY, "test")
    asked = waive(db, acme, LI, invoice="DN-C1-20240415", amount="4.00", today=date(2024, 4, 20))
    with db.begin() as conn:
        waiver = approve_waiver(conn, acme, asked["id"], MA, "ok", date(2024, 4, 20))
    assert waiver["credit_note"] == f"WV-{waiver['id']}"
    with db.connect() as conn:
        note = conn.execute(select(credit_notes.c.amount, credit_notes.c.issue_date)
                            .where(credit_notes.c.number == waiver["credit_note"])).one()
        debit = conn.execute(select(invoices.c.paid_amount).where(invoices.c.number == "DN-C1-20240415")).scalar()
    assert tuple(note) == (400, date(2024, 4, 20)) and debit == 400
