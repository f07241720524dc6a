"""Contact persons (whom dunning writes to) and escalation cases on the acme ledger
(tests/integration/test_dunning.py): C2 owes 300.00 USD x 7.0000 = 2,100.00 CNY past due on 2024-04-15."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select, update

from credo.errors import Conflict, InvalidInput, NotFound
from credo.services.access import EVERYONE, Scope
from credo.services.collections.cases import close_case, list_cases, open_case, record_recovery
from credo.services.collections.contacts import (ContactPerson, Recipient, add_contact, deactivate_contact,
                                                 dunning_contacts, list_contacts, update_contact)
from credo.store.tables import audit_log, customers

pytestmark = pytest.mark.db
D = Decimal
AS_OF = date(2024, 4, 15)
WANG = Scope("collector", "wang")


def test_a_contact_that_receives_dunning_is_whom_dunning_writes_to_else_the_customers_own_address(db, acme):
    with db.begin() as conn:
        c1 = conn.execute(select(customers.c.id).where(customers.c.code == "C1")).scalar_one()
        conn.execute(update(customers).where(customers.c.id == c1).values(contact_email="ap@jia.cn"))
        finance = add_contact(conn, acme, WANG, "C1", ContactPerson("李会计", "Finance", "li@jia.cn", "138 0013 8000",
                                                                    None, True), "user:collector")
        add_contact(conn, acme, WANG, "C1", ContactPerson("王经理", "purchasing", phone="+44 20 7946 0958"),
                    "user:collector")
        assert dunning_contacts(conn, acme, c1) == [Recipient("李会计", "li@jia.cn", "+8613800138000", "zh")]
        changed = update_contact(conn, acme, WANG, finance["id"], "user:collector", language="en")
        assert dunning_contacts(conn, acme, c1)[0].language == "en"
        deactivate_contact(conn, acme, WANG, finance["id"], "user:collector")
        assert dunning_contacts(conn, acme, c1) == [Recipient(None, "ap@jia.cn", None, "zh")]
        listed = list_contacts(conn, acme, WANG, "C1")
        every = list_contacts(conn, acme, WANG, "C1", inactive=True)
        entries = conn.execute(select(audit_log.c.action).where(audit_log.c.entity == "contact").order_by(audit_log.c.id)).scalars().all()
    assert (finance["role"], finance["phone"], changed["language"]) == ("finance", "+8613800138000", "en")
    assert [(c["name"], c["phone"]) for c in listed] == [("王经理", "+442079460958")]
    assert len(every) == 2 and entries == ["create", "create", "update", "deactivate"]


@pytest.mark.parametrize("person", [ContactPerson(" "), ContactPerson("A", email="not an address"),
                                    ContactPerson("A", phone="12345"), ContactPerson("A", language="fr")])
def test_a_contact_without_a_name_or_with_a_bad_email_phone_or_language_is_refused(db, acme, person):
    with db.begin() as conn, pytest.raises(InvalidInput):
        add_contact(conn, acme, EVERYONE, "C1", person, "admin")


def test_a_collector_cannot_add_a_contact_outside_the_portfolio(db, acme):
    with db.begin() as conn, pytest.raises(NotFound):
        add_contact(conn, acme, WANG, "C2", ContactPerson("Ann"), "user:collector")


def test_a_case_hands_over_the_overdue_amount_and_shows_the_net_expected(db, acme):
    with db.begin() as conn:
        # 2,100.00 at 60 %: 1,260.00; cost 100 + 20 % of 1,260 = 352.00; net 908.00
        opened = open_case(conn, acme, EVERYONE, "C2", "agency", "华信催收", AS_OF, "admin", D("60"),
                           fixed_cost=D("100"), commission_rate=D("20"))
        record_recovery(conn, acme, EVERYONE, opened["id"], D("500"), "admin")
        recovered = record_recovery(conn, acme, EVERYONE, opened["id"], D("250.50"), "admin")
        closed = close_case(conn, acme, EVERYONE, opened["id"], date(2024, 6, 1), "admin", "settled")
        with pytest.raises(Conflict):
            record_recovery(conn, acme, EVERYONE, opened["id"], D("1"), "admin")
        legal = open_case(conn, acme, EVERYONE, "C1", "legal", "金杜", AS_OF, "admin", D("50"), amount=D("1000"))
        entries = conn.execute(select(audit_log.c.action).where(audit_log.c.entity == "collection_case")
                               .order_by(audit_log.c.id)).scalars().all()
        assert [c["id"] for c in list_cases(conn, acme, EVERYONE, "open")] == [legal["id"]]
        with pytest.raises(NotFound):
            close_case(conn, acme, WANG, opened["id"], AS_OF, "user:collector")
    assert {k: opened[k] for k in ("amount", "expected_recovery", "expected_cost", "net_expected", "currency")} == {
        "amount": "2100.00", "expected_recovery": "1260.00", "expected_cost": "352.00", "net_expected": "908.00",
        "currency": "CNY"}
    assert recovered["recovered"] == "750.50" and (closed["status"], closed["closed_on"]) == ("closed", "2024-06-01")
    assert (legal["amount"], legal["expected_recovery"], legal["net_expected"]) == ("1000.00", "500.00", "500.00")
    assert entries == ["open", "recover", "recover", "close", "open"]


def test_a_case_for_a_customer_with_nothing_overdue_needs_the_amount_and_cents_are_the_finest(db, acme):
    with db.begin() as conn:
        with pytest.raises(InvalidInput, match="nothing overdue"):
            open_case(conn, acme, EVERYONE, "C3", "legal", "金杜", AS_OF, "admin", D("50"))
        with pytest.raises(InvalidInput, match="more decimals"):
            open_case(conn, acme, EVERYONE, "C3", "legal", "金杜", AS_OF, "admin", D("50"), amount=D("10.001"))


def test_a_case_expected_to_cost_more_than_it_recovers_opens_only_when_the_loss_is_accepted(db, acme):
    # C2's 2,100.00 at 10 %: 210.00 recovered; cost 300 + 20 % of 210 = 342.00; net -132.00.
    terms = dict(fixed_cost=D("300"), commission_rate=D("20"))
    with db.begin() as conn, pytest.raises(
            InvalidInput, match=r"recovery of 210\.00 CNY is below the expected cost of 342\.00 CNY \(net -132\.00\)"):
        open_case(conn, acme, EVERYONE, "C2", "legal", "金杜", AS_OF, "admin", D("10"), **terms)
    with db.begin() as conn:
        assert list_cases(conn, acme, EVERYONE) == []
        opened = open_case(conn, acme, EVERYONE, "C2", "legal", "金杜", AS_OF, "admin", D("10"), accept_loss=True,
                           **terms)
        after = conn.execute(select(audit_log.c.after).where(audit_log.c.entity == "collection_case")).scalar_one()
    assert (opened["expected_recovery"], opened["expected_cost"], opened["net_expected"]) == (
        "210.00", "342.00", "-132.00")
    assert '"loss_accepted": true' in after
    with db.begin() as conn:  # recovery equal to the cost (net 0) is no loss: 2,100 x 10 % = 210 = 210 + 0 %
        even = open_case(conn, acme, EVERYONE, "C2", "agency", "华信", AS_OF, "admin", D("10"), fixed_cost=D("210"))
    assert even["net_expected"] == "0.00"
