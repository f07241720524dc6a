"""The credit routes over HTTP on the credit ledger (tests/credit_support.py): orders pass the
check, the queue is released, limit requests need four eyes; sales see their portfolio (K3)."""

from __future__ import annotations

import pytest

from credit_support import credit_ledger
from credo.store.tables import customers

pytestmark = pytest.mark.db
API = "/api/v1"
ORDER = {"order_number": "W1", "customer_code": "K3", "order_date": "2026-06-14", "amount": "12000.00"}


@pytest.fixture
def ledger(db, company, tokens, tmp_path):
    credit_ledger(db, company, tmp_path)
    with db.begin() as conn:
        conn.execute(customers.update().where(customers.c.code == "K3").values(salesperson="zhao.min"))
    return company


def call(server, token, method, path, json=None, headers=None, **params):
    with server.client(token) as client:
        return client.request(method, API + path, json=json, headers=headers or {}, params=params)


def test_an_order_over_the_limit_is_recorded_blocked_once_per_idempotency_key(server, ledger, tokens):
    key = {"Idempotency-Key": "order-w1"}
    first = call(server, tokens["sales"], "POST", "/orders", ORDER, key)
    again = call(server, tokens["sales"], "POST", "/orders", ORDER, key)
    assert first.status_code == 201 and first.json()["status"] == "blocked"
    assert first.json()["queue_item"]["reasons"][0]["code"] == "over_limit"
    assert again.json() == first.json() and again.headers["Idempotent-Replayed"] == "true"
    queued = call(server, tokens["auditor"], "GET", "/credit/queue").json()
    assert [item["number"] for item in queued] == ["W1"]
    refused = call(server, tokens["sales"], "POST", f"/credit/queue/{queued[0]['id']}/release", {"reason": "x"})
    assert refused.status_code == 403
    released = call(server, tokens["credit_manager"], "POST", f"/credit/queue/{queued[0]['id']}/release",
                    {"reason": "prepaid half"})
    assert released.status_code == 200 and released.json()["release_reason"] == "prepaid half"
    orders = call(server, tokens["sales"], "GET", "/orders", status="open").json()["items"]
    assert [o["number"] for o in orders] == ["W1"]  # the sales user's portfolio holds K3 only


def test_a_sales_user_cannot_enter_or_check_outside_the_portfolio(server, ledger, tokens):
    outside = dict(ORDER, customer_code="K1", order_number="W2")
    assert call(server, tokens["sales"], "POST", "/orders", outside).status_code == 404
    assert call(server, tokens["sales"], "POST", "/credit-checks",
                {"customer_code": "K1", "amount": "1.00"}).status_code == 404


def test_the_credit_check_route_answers_with_every_reason(server, ledger, tokens):
    answer = call(server, tokens["collector"], "POST", "/credit-checks",
                  {"customer_code": "K1", "amount": "15000.00", "as_of": "2026-06-15"})
    assert answer.status_code == 404  # the collector's portfolio (wang.li) holds none of these
    answer = call(server, tokens["auditor"], "POST", "/credit-checks",
                  {"customer_code": "K1", "amount": "15000.00", "as_of": "2026-06-15"})
    body = answer.json()
    assert (body["decision"], body["exposure"]["total"], body["group_exposure"]["total"]) == ("block", "45000.00",
                                                                                            "70000.00")
    assert [r["code"] for r in body["reasons"]] == ["group_over_limit"]
    bad = call(server, tokens["auditor"], "POST", "/credit-checks", {"customer_code": "K1", "amount": "lots"})
    assert bad.status_code == 422


def test_a_limit_request_needs_another_approver_of_the_level_of_its_amount(server, ledger, tokens):
    asked = call(server, tokens["credit_manager"], "POST", "/limit-requests",
                 {"customer_code": "K3", "amount": "90000.00", "term_days": 30, "rating": "C", "reason": "growth"})
    assert asked.status_code == 201 and asked.json()["status"] == "pending"  # within 100,000, still a second person
    own = call(server, tokens["credit_manager"], "POST", f"/limit-requests/{asked.json()['id']}/approval", {"note": "ok"})
    assert own.status_code == 403 and "four eyes" in own.json()["detail"]
    big = call(server, tokens["controller"], "POST", "/limit-requests",
               {"customer_code": "K3", "amount": "500000.00", "term_days": 60, "rating": "B", "reason": "growth"})
    assert big.status_code == 403  # controllers approve, they do not request
    big = call(server, tokens["sales"], "POST", "/limit-requests",
               {"customer_code": "K3", "amount": "500000.00", "term_days": 60, "rating": "B", "reason": "tender"})
    request_id = big.json()["id"]
    assert big.json()["status"] == "pending"
    low = call(server, tokens["credit_manager"], "POST", f"/limit-requests/{request_id}/approval", {"note": "ok"})
    assert low.status_code == 403 and "controller" in low.json()["detail"]
    done = call(server, tokens["controller"], "POST", f"/limit-requests/{request_id}/approval", {"note": "ok"})
    assert done.status_code == 200 and done.json()["decided_by"] == "user:controller"
    again = call(server, tokens["admin"], "POST", f"/limit-requests/{request_id}/rejection", {"note": "no"})
    assert again.status_code == 409
    mine = call(server, tokens["sales"], "GET", "/limit-requests").json()
    assert {r["customer"] for r in mine} == {"K3"}


def test_the_requester_is_refused_as_approver_over_http(server, ledger, tokens):
    big = call(server, tokens["admin"], "POST", "/limit-requests",
               {"customer_code": "K1", "amount": "2000000.00", "term_days": 90, "rating": "A", "reason": "key"})
    refused = call(server, tokens["admin"], "POST", f"/limit-requests/{big.json()['id']}/approval", {"note": "me"})
    assert refused.status_code == 403 and "four eyes" in refused.json()["detail"]


def test_a_hold_and_a_delivery_go_through_their_routes(server, ledger, tokens):
    held = call(server, tokens["credit_manager"], "POST", "/customers/K1/hold",
                {"on_hold": True, "reason": "returned cheque", "from": "2026-06-01"})
    assert held.status_code == 200 and held.json()["on_hold"] is True
    delivered = call(server, tokens["credit_manager"], "POST", "/orders/O1/delivery", {"date": "2026-06-16"})
    assert delivered.status_code == 200 and delivered.json()["delivered_on"] == "2026-06-16"  # no check: not a point
    twice = call(server, tokens["credit_manager"], "POST", "/orders/O1/delivery", {"date": "2026-06-17"})
    assert twice.status_code == 409
    due = call(server, tokens["auditor"], "GET", "/credit/reviews", as_of="2027-01-01").json()
    assert len(due) == 3


def test_the_credit_settings_are_read_and_changed_over_http(server, ledger, tokens):
    changed = call(server, tokens["credit_manager"], "PUT", "/credit/settings",
                   {"check_points": ["order", "delivery"], "tolerance_share": "0.02"})
    assert changed.status_code == 200 and changed.json()["check_points"] == ["order", "delivery"]
    read = call(server, tokens["auditor"], "GET", "/credit/settings").json()
    assert (read["tolerance_share"], read["overdue_days"]) == ("0.02", 30)
    wrong = call(server, tokens["admin"], "PUT", "/credit/settings", {"check_points": ["shipping"]})
    assert wrong.status_code == 422
    delivered = call(server, tokens["credit_manager"], "POST", "/orders/O1/delivery", {"date": "2026-06-16"})
    assert delivered.json()["credit_check"]["decision"] == "approve"  # a check point now


def test_only_the_requester_withdraws_a_pending_request(server, ledger, tokens):
    asked = call(server, tokens["sales"], "POST", "/limit-requests",
                 {"customer_code": "K3", "amount": "30000.00", "term_days": 30, "rating": "C", "reason": "more"})
    path = f"/limit-requests/{asked.json()['id']}/withdrawal"
    assert call(server, tokens["credit_manager"], "POST", path, {"note": "not mine"}).status_code == 403
    done = call(server, tokens["sales"], "POST", path, {"note": "customer went elsewhere"})
    assert done.status_code == 200 and done.json()["status"] == "withdrawn"


def test_the_customer_360_carries_the_credit_line_and_exposure(server, ledger, tokens):
    data = call(server, tokens["auditor"], "GET", "/customers/K1", as_of="2026-06-15").json()["credit"]
    assert (data["limit"], data["headroom"], data["exposure"]["total"]) == ("100000.00", "55000.00", "45000.00")
    assert data["group_line"]["amount"] == "80000.00" and data["decision"] == "approve"


def test_a_company_sets_its_own_policy_over_http_and_a_broken_one_is_refused(server, ledger, tokens):
    manager = tokens["credit_manager"]
    default = call(server, manager, "GET", "/credit/models/policy").json()
    assert default["version"] == 0 and [r["letter"] for r in default["body"]["ratings"]] == list("ABCDE")
    stricter = default["body"] | {"buffer_days": 0}
    first = call(server, manager, "PUT", "/credit/models/policy", json=stricter)
    assert first.status_code == 200 and first.json()["version"] == 1
    assert call(server, manager, "PUT", "/credit/models/policy", json=stricter).json()["version"] == 1  # unchanged
    broken = call(server, manager, "PUT", "/credit/models/policy", json={"ratings": []})
    assert broken.status_code == 422 and "policy: not valid" in broken.json()["detail"]
    assert call(server, tokens["auditor"], "GET", "/credit/models/policy").json()["body"]["buffer_days"] == 0


def test_a_policy_exception_is_asked_for_and_shown_over_http(server, ledger, tokens):
    body = {"customer_code": "K3", "amount": "30000.00", "term_days": 0, "rating": "E", "reason": "run-down"}
    refused = call(server, tokens["credit_manager"], "POST", "/limit-requests", body)
    assert refused.status_code == 422 and "needs a policy exception" in refused.json()["detail"]
    asked = call(server, tokens["credit_manager"], "POST", "/limit-requests",
                 body | {"policy_exception": "insured in full by the credit insurer"})
    assert asked.status_code == 201 and asked.json()["status"] == "pending"  # a second person decides
    assert asked.json()["policy_exception"] == "insured in full by the credit insurer"
