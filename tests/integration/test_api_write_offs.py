"""The write-off routes on the acme ledger (tests/integration/test_write_offs.py): C1's I2, open
1,500.00 CNY, written off on 2024-07-31 by the credit manager's request and the controller's approval."""

from __future__ import annotations

import csv
import io

import pytest

from credo.api.app import API_PREFIX as API

pytestmark = pytest.mark.db
BODY = {"invoice_numbers": ["I2"], "reason": "customer in liquidation", "as_of": "2024-07-31"}


def call(server, token, method, path, json=None, **params):
    with server.client(token) as client:
        return client.request(method, API + path, json=json, params=params)


def test_request_approve_recover_and_the_aging_as_of_each_date(server, acme, tokens):
    asked = call(server, tokens["credit_manager"], "POST", "/write-offs", BODY)
    assert asked.status_code == 201 and asked.json()["status"] == "pending"
    number = asked.json()["id"]
    refused = call(server, tokens["credit_manager"], "POST", f"/write-offs/{number}/approval", {"note": "mine"})
    assert refused.status_code == 403
    booked = call(server, tokens["controller"], "POST", f"/write-offs/{number}/approval", {"note": "ok"})
    assert booked.status_code == 200 and booked.json()["decided_by"] == "user:controller"
    again = call(server, tokens["admin"], "POST", f"/write-offs/{number}/approval", {"note": "ok"})
    assert again.status_code == 409

    def c1(as_of):
        rows = call(server, tokens["auditor"], "GET", "/reports/aging", as_of=as_of).json()["rows"]
        return next((r["total"] for r in rows if r["key"] == "C1"), "0.00")

    assert (c1("2024-07-30"), c1("2024-07-31")) == ("1500.00", "0.00")
    body, key = {"amount": "500", "as_of": "2024-08-15"}, {"Idempotency-Key": "rec-1"}
    with server.client(tokens["controller"]) as client:
        back = client.post(API + f"/write-offs/{number}/recovery", json=body, headers=key)
        again = client.post(API + f"/write-offs/{number}/recovery", json=body, headers=key)
    assert back.status_code == 201 and back.json()["recovered_amount"] == "500.00"
    assert again.json() == back.json() and again.headers.get("idempotent-replayed") == "true"  # recovered once
    assert (c1("2024-08-14"), c1("2024-08-15")) == ("0.00", "500.00")
    listed = call(server, tokens["collector"], "GET", "/write-offs").json()  # portfolio wang.li holds none
    assert listed == []
    assert [w["id"] for w in call(server, tokens["auditor"], "GET", "/write-offs", status="approved").json()] == [number]


def test_the_movement_and_the_journal_download(server, acme, tokens):
    number = call(server, tokens["credit_manager"], "POST", "/write-offs", BODY).json()["id"]
    call(server, tokens["controller"], "POST", f"/write-offs/{number}/approval", {"note": "ok"})
    # as of 06-30: (1,500.00 + 300 USD x 7.2) x 50 % = 1,830.00; as of 07-31: 1,080.00; used 1,500.00
    moved = call(server, tokens["auditor"], "GET", "/reports/provision-movement", rate="0.5",
                 **{"from": "2024-07-01", "to": "2024-07-31"}).json()
    assert (moved["total"]["opening"], moved["total"]["charge"], moved["total"]["closing"]) == (
        "1830.00", "750.00", "1080.00")
    answer = call(server, tokens["auditor"], "GET", "/reports/provision-journal", format="csv", rate="50%",
                  **{"from": "2024-07-01", "to": "2024-07-31"})
    assert answer.status_code == 200 and "journal-2024-07-01-2024-07-31.csv" in answer.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig"))))[1:]
    assert [(r[1], r[2], r[3]) for r in rows] == [("1231", "1500.00", "0.00"), ("1122", "0.00", "1500.00"),
                                                  ("6702", "750.00", "0.00"), ("1231", "0.00", "750.00")]
    changed = call(server, tokens["controller"], "PUT", "/write-offs/accounts", {"impairment_loss": "670201"})
    assert changed.json() == {"impairment_loss": "670201", "allowance": "1231", "receivables": "1122"}
