"""The late-interest routes on the acme ledger with C1's 万分之五 terms (tests/integration/test_interest.py):
as of 2024-04-15, C1 owes 10.00 of interest still to charge."""

from __future__ import annotations

import pytest

from builders import contract_terms
from credo.api.app import API_PREFIX as API

pytestmark = pytest.mark.db


def call(server, token, method, path, json=None, headers=None, **params):
    with server.client(token) as client:
        return client.request(method, API + path, json=json, headers=headers or {}, params=params)


def test_the_interest_report_answers_as_of_a_date(server, acme, tokens, db):
    contract_terms(db, acme)
    found = call(server, tokens["auditor"], "GET", "/reports/interest", as_of="2024-04-15", customer="C1").json()
    assert found["customers"] == [{"customer": "C1", "accrued": "10.00", "charged": "0.00", "waived": "0.00",
                                   "to_charge": "10.00"}]
    assert [(i["invoice"], i["interest"]) for i in found["invoices"]] == [("I1", "2.50"), ("I2", "7.50")]


def test_debit_notes_posted_twice_with_one_idempotency_key_are_raised_once(server, acme, tokens, db):
    contract_terms(db, acme)
    body, key = {"as_of": "2024-04-15"}, {"Idempotency-Key": "dn-1"}
    first = call(server, tokens["credit_manager"], "POST", "/interest/charges", body, key)
    again = call(server, tokens["credit_manager"], "POST", "/interest/charges", body, key)
    assert first.status_code == 201 and first.json()["debit_notes"][0]["amount"] == "10.00"
    assert again.json() == first.json() and again.headers.get("idempotent-replayed") == "true"
    fresh = call(server, tokens["credit_manager"], "POST", "/interest/charges", body)
    assert fresh.status_code == 200 and fresh.json()["debit_notes"] == []  # nothing new to charge
    assert call(server, tokens["auditor"], "GET", "/invoices/DN-C1-20240415").json()["status"] == "overdue"  # due at once, unpaid


def test_above_the_threshold_a_waiver_waits_for_a_second_person(server, acme, tokens, db):
    contract_terms(db, acme)
    manager, controller = tokens["credit_manager"], tokens["controller"]
    assert call(server, manager, "PUT", "/interest/settings", {"waiver_threshold": "1"}).status_code == 200
    asked = call(server, manager, "POST", "/interest/waivers",
                 {"invoice_number": "I2", "amount": "5.00", "reason": "goodwill", "as_of": "2024-04-15"}).json()
    assert asked["status"] == "pending"
    own = call(server, manager, "POST", f"/interest/waivers/{asked['id']}/approval", {"as_of": "2024-04-15"})
    assert own.status_code == 403
    done = call(server, controller, "POST", f"/interest/waivers/{asked['id']}/approval", {"as_of": "2024-04-15"})
    assert done.status_code == 200 and done.json()["decided_by"] == "user:controller"
    found = call(server, manager, "GET", "/reports/interest", as_of="2024-04-15").json()
    assert found["customers"][0]["to_charge"] == "5.00"
