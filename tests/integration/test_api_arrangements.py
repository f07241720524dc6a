"""Disputes, promises and payment plans over HTTP on the acme ledger: a dispute resolved by a credit
note once per Idempotency-Key, problem details for refusals, and portfolios (the sales user
zhao.min holds C2 only: C1's invoice is not found for them)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from credo.store.tables import credit_notes, customers

pytestmark = pytest.mark.db
API = "/api/v1"
DISPUTE = {"invoice_number": "I2", "amount": "600.00", "reason": "price", "owner": "li", "opened_on": "2024-04-01"}


@pytest.fixture
def ledger(db, acme, tokens):
    with db.begin() as conn:
        conn.execute(customers.update().where(customers.c.code == "C2").values(salesperson="zhao.min"))
    return acme


def call(server, token, method, path, json=None, headers=None, **params):
    with server.client(token) as client:
        return client.request(method, API + path, json=json, headers=headers or {}, params=params)


def test_a_dispute_resolved_by_credit_note_twice_with_one_key_books_one_credit_note(server, ledger, tokens, db):
    token = tokens["credit_manager"]
    opened = call(server, token, "POST", "/disputes", DISPUTE)
    assert opened.status_code == 201 and opened.json()["status"] == "open"
    dispute_id = opened.json()["id"]
    key = {"Idempotency-Key": "resolve-1"}
    body = {"resolution": "credit_note", "resolved_on": "2024-04-16"}
    first = call(server, token, "POST", f"/disputes/{dispute_id}/resolution", body, key)
    again = call(server, token, "POST", f"/disputes/{dispute_id}/resolution", body, key)
    assert first.status_code == 200 and first.json()["credit_note"] == f"CN-D{dispute_id}"
    assert again.json() == first.json() and again.headers["Idempotent-Replayed"] == "true"
    with db.connect() as conn:
        assert conn.execute(select(func.count()).where(credit_notes.c.number == f"CN-D{dispute_id}")).scalar() == 1
    report = call(server, tokens["auditor"], "GET", "/reports/disputes", as_of="2024-04-15").json()
    assert report["by_reason"] == [{"key": "price", "count": 1, "amount": "600.00"}]
    assert call(server, tokens["auditor"], "GET", "/reports/disputes", as_of="2024-04-16").json()["count"] == 0


def test_refusals_are_problem_details_and_another_portfolio_is_not_found(server, ledger, tokens):
    too_much = call(server, tokens["admin"], "POST", "/disputes", dict(DISPUTE, amount="1600.00"))
    assert too_much.status_code == 409 and too_much.headers["content-type"].startswith("application/problem+json")
    opened = call(server, tokens["admin"], "POST", "/disputes", DISPUTE).json()
    bare = call(server, tokens["admin"], "POST", f"/disputes/{opened['id']}/resolution", {})
    assert bare.status_code == 422 and "needs a resolution" in bare.json()["detail"]
    assert call(server, tokens["sales"], "POST", "/disputes", DISPUTE).status_code == 404
    assert call(server, tokens["sales"], "GET", f"/payment-plans/{999}").status_code == 404
    assert call(server, tokens["sales"], "GET", "/disputes").json() == []
    assert len(call(server, tokens["auditor"], "GET", "/disputes").json()) == 1


def test_a_promise_and_a_plan_are_recorded_and_listed_with_their_standing(server, ledger, tokens):
    token = tokens["sales"]
    made = call(server, token, "POST", "/promises", {"customer_code": "C2", "promised_on": "2024-04-20",
                                                     "amount": "300.00", "made_on": "2024-04-12", "grace_days": 2})
    assert made.status_code == 201 and made.json()["currency"] == "USD"
    broken = call(server, token, "GET", "/promises", as_of="2024-04-23", standing="broken").json()
    assert [p["id"] for p in broken] == [made.json()["id"]]
    plan = call(server, token, "POST", "/payment-plans", {
        "customer_code": "C2", "invoice_numbers": ["I3"], "count": 3, "first_due": "2024-04-30",
        "agreed_on": "2024-04-12"})
    assert plan.status_code == 201
    assert [i["amount"] for i in plan.json()["instalments"]] == ["100.00", "100.00", "100.00"]
    shown = call(server, token, "GET", f"/payment-plans/{plan.json()['id']}", as_of="2024-05-01").json()
    assert shown["breached"] and shown["next_due"] == "2024-04-30"
    cancelled = call(server, token, "POST", f"/payment-plans/{plan.json()['id']}/cancellation", {"reason": "paid"})
    assert cancelled.status_code == 200 and cancelled.json()["cancelled_on"]
