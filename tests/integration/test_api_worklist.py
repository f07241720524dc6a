"""The collectors' routes on the acme ledger (tests/integration/test_worklist.py has the scores):
the collector (portfolio wang.li, made C1's collector here) works C1 and sees nothing of C2."""

from __future__ import annotations

import pytest
from sqlalchemy import update

from credo.api.app import API_PREFIX
from credo.store.tables import customers

pytestmark = pytest.mark.db


@pytest.fixture
def desk(db, acme, tokens):
    with db.begin() as conn:
        conn.execute(update(customers).where(customers.c.code == "C1").values(collector="wang.li"))
    return tokens


def call(server, token, method, path, json=None, **params):
    with server.client(token) as client:
        return client.request(method, API_PREFIX + path, json=json, params=params)


def test_the_collector_logs_a_call_and_finds_the_follow_up_task_in_the_worklist(server, desk):
    token = desk["collector"]
    logged = call(server, token, "POST", "/customers/C1/activities", {
        "kind": "call", "occurred_on": "2024-04-15", "contact": "李会计", "invoice_number": "I2",
        "outcome": "pays Friday", "next_follow_up": "2024-04-19"})
    assert logged.status_code == 201, logged.text
    task = logged.json()["task"]
    assert (task["kind"], task["assignee"], task["due_on"]) == ("follow_up", "wang.li", "2024-04-19")
    board = call(server, token, "GET", "/worklist", as_of="2024-04-19").json()
    # 1,500.00 overdue since 03-31 (1.5 + 19 days x 0.5 = 9.5) + C (10) + sales 3,000 (0.3) + the task due (10)
    assert [(x["customer"], x["score"], x["tasks_due"]) for x in board["lines"]] == [("C1", "31.30", 1)]
    done = call(server, token, "POST", f"/tasks/{task['id']}/completion", {"outcome": "paid", "log_as": "call",
                                                                          "done_on": "2024-04-19"})
    assert done.status_code == 200 and done.json()["activity"]["kind"] == "call"
    assert [a["outcome"] for a in call(server, token, "GET", "/customers/C1/activities").json()] == ["paid",
                                                                                                     "pays Friday"]


def test_another_portfolio_answers_404(server, desk):
    token = desk["collector"]
    assert call(server, token, "GET", "/customers/C2/activities").status_code == 404
    assert call(server, token, "POST", "/customers/C2/contacts", {"name": "Ann"}).status_code == 404
    assert call(server, token, "POST", "/tasks", {"customer_code": "C2", "kind": "call", "due_on": "2024-04-15",
                                                  "title": "x"}).status_code == 404
    opened = call(server, desk["credit_manager"], "POST", "/collection-cases", {
        "customer_code": "C2", "kind": "agency", "handler": "华信", "recovery_rate": "60", "opened_on": "2024-04-15",
        "fixed_cost": "100", "commission_rate": "20"}).json()
    assert (opened["amount"], opened["expected_recovery"], opened["expected_cost"], opened["net_expected"]) == (
        "2100.00", "1260.00", "352.00", "908.00")
    assert call(server, desk["collector"], "GET", "/collection-cases").json() == []
    assert call(server, desk["admin"], "GET", "/worklist", collector="lee", as_of="2024-04-15").json()["lines"][0][
        "customer"] == "C2"


def test_a_case_at_a_loss_answers_422_naming_both_figures_until_accept_loss_is_sent(server, desk):
    # 2,100.00 at 10 %: 210.00; cost 300 + 20 % of 210 = 342.00; net -132.00
    body = {"customer_code": "C2", "kind": "legal", "handler": "金杜", "recovery_rate": "10", "opened_on": "2024-04-15",
            "fixed_cost": "300", "commission_rate": "20"}
    refused = call(server, desk["credit_manager"], "POST", "/collection-cases", body)
    assert refused.status_code == 422 and "210.00 CNY is below the expected cost of 342.00 CNY" in refused.text
    opened = call(server, desk["credit_manager"], "POST", "/collection-cases", {**body, "accept_loss": True})
    assert opened.status_code == 201 and opened.json()["net_expected"] == "-132.00"


def test_a_task_with_a_source_already_raised_answers_the_same_task(server, desk):
    body = {"customer_code": "C1", "kind": "call", "due_on": "2024-04-15", "title": "call", "source": "I2:4:1"}
    first = call(server, desk["admin"], "POST", "/tasks", body).json()
    again = call(server, desk["admin"], "POST", "/tasks", {**body, "title": "other"}).json()
    assert first["created"] and not again["created"] and again["id"] == first["id"] and again["title"] == "call"
    assert call(server, desk["admin"], "POST", f"/tasks/{first['id']}/cancellation", {"reason": "x"}).status_code == 200
    assert call(server, desk["admin"], "POST", f"/tasks/{first['id']}/cancellation", {"reason": "x"}).status_code == 409
