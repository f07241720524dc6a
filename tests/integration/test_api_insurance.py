"""The credit insurance routes on the acme ledger, with the figures of tests/integration/test_insurance.py:
policy SS-1 (90 %), C1 granted 1,000 (1,500 exposed as of 2024-04-15: 900 insured, 500 beyond) and
C2 granted 5,000 (2,100 exposed: 1,890 insured)."""

from __future__ import annotations

import pytest

from credo.api.app import API_PREFIX as API
from credo.store.tables import customers

pytestmark = pytest.mark.db
POLICY = {"insurer": "中国信保", "number": "SS-1", "period_from": "2024-01-01", "period_to": "2024-12-31",
          "coverage_share": "0.90", "deductible": "1000", "max_credit_days": 60, "report_overdue_days": 30,
          "claim_days": 60}


def call(server, token, method, path, json=None, **params):
    with server.client(token) as client:
        return client.request(method, API + path, json=json, params=params)


@pytest.fixture
def insured_api(server, acme, tokens, db):
    with db.begin() as conn:
        conn.execute(customers.update().where(customers.c.code == "C2").values(salesperson="zhao.min"))
    manager = tokens["credit_manager"]
    assert call(server, manager, "POST", "/risk/insurance/policies", POLICY).status_code == 201
    asked = call(server, manager, "POST", "/risk/insurance/limits/requests",
                 {"policy": "SS-1", "customer_code": "C1", "amount": "2000", "requested_on": "2024-01-05"})
    assert asked.status_code == 201, asked.text
    for code, amount, day, request_id in (("C1", "1000", "2024-01-15", asked.json()["id"]), ("C2", "5000", "2024-02-01", None)):
        answer = call(server, manager, "POST", "/risk/insurance/limits/decisions",
                      {"policy": "SS-1", "customer_code": code, "amount": amount, "decided_on": day,
                       "request_id": request_id})
        assert answer.status_code == 201, answer.text
    return tokens


def test_the_split_the_excess_and_the_deadlines_answer_as_of_a_date(server, insured_api):
    auditor = insured_api["auditor"]
    split = call(server, auditor, "GET", "/risk/insurance/split", as_of="2024-04-15").json()
    assert [(r["customer"], r["insured"], r["uninsured"], r["fraction"]) for r in split] == [
        ("C1", "900.00", "600.00", "0.600000"), ("C2", "1890.00", "210.00", "0.900000")]
    beyond = call(server, auditor, "GET", "/risk/insurance/beyond-limit", as_of="2024-04-15").json()
    assert [(r["customer"], r["excess"]) for r in beyond] == [("C1", "500.00")]
    assert call(server, auditor, "GET", "/risk/insurance/deadlines", as_of="2024-04-21").json() == []
    due = call(server, auditor, "GET", "/risk/insurance/deadlines", as_of="2024-04-22").json()
    assert [(d["kind"], d["invoice"], d["deadline"]) for d in due] == [("report", "I3", "2024-04-29")]
    assert len(call(server, auditor, "GET", "/risk/insurance/deadlines", as_of="2024-04-22", ahead=8).json()) == 2


def test_a_sales_user_sees_the_portfolio_and_may_not_write(server, insured_api):
    sales = insured_api["sales"]
    split = call(server, sales, "GET", "/risk/insurance/split", as_of="2024-04-15").json()
    assert [r["customer"] for r in split] == ["C2"]
    assert [r["customer"] for r in call(server, sales, "GET", "/risk/insurance/limits").json()] == ["C2"]
    answer = call(server, sales, "POST", "/risk/insurance/overdue-reports", {"policy": "SS-1", "customer_code": "C2"})
    assert answer.status_code == 403


def test_a_report_and_a_claim_through_its_statuses(server, insured_api):
    controller = insured_api["controller"]
    report = call(server, controller, "POST", "/risk/insurance/overdue-reports",
                  {"policy": "SS-1", "customer_code": "C1", "reported_on": "2024-04-25"})
    assert report.status_code == 201 and report.json()["created"] is True
    claim = call(server, controller, "POST", "/risk/insurance/claims",
                 {"policy": "SS-1", "customer_code": "C1", "amount": "1500.00", "invoice_numbers": ["I2"],
                  "draft": True})
    assert claim.status_code == 201 and claim.json()["status"] == "draft"
    path = f"/risk/insurance/claims/{claim.json()['id']}/status"
    assert call(server, controller, "POST", path, {"status": "accepted"}).status_code == 409
    own = call(server, controller, "POST", path, {"status": "filed", "on": "2024-06-18"})
    assert own.status_code == 403 and "four eyes" in own.json()["detail"]  # the drafter never files
    for who, body in (("credit_manager", {"status": "filed", "on": "2024-06-18"}),
                      ("controller", {"status": "rejected", "on": "2024-07-01", "note": "reported late"})):
        answer = call(server, insured_api[who], "POST", path, body)
        assert answer.status_code == 200, answer.text
    assert answer.json()["status"] == "rejected" and answer.json()["next"] == []
    listed = call(server, insured_api["auditor"], "GET", "/risk/insurance/claims", status="rejected").json()
    assert [(c["customer"], c["filed_on"], c["decided_on"]) for c in listed] == [("C1", "2024-06-18", "2024-07-01")]
    assert call(server, insured_api["auditor"], "GET", "/risk/insurance/overdue-reports").json()[0]["reported_on"] == \
        "2024-04-25"
