"""`credo discount ...` and the /discount-offers routes on the acme ledger (tests/conftest.py): I2 has
1,500.00 open; 2 % by 04-10 gives 30.00 off, net 1,470.00. The sales user zhao.min holds C2 only."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from credo.store.tables import customers, invoices

pytestmark = pytest.mark.db
API = "/api/v1"


@pytest.fixture
def cli_ledger(cli, ledger_files):
    """The acme ledger imported through the command line (as test_cli_arrangements.py does)."""
    for kind, name in (("customers", "customers.csv"), ("fx-rates", "fx.csv"), ("invoices", "invoices.csv"),
                       ("payments", "payments.csv"), ("credit-notes", "credit-notes.csv")):
        code, _, err = cli("import", kind, ledger_files / name)
        assert code == 0, err


def test_the_discount_commands_answer_help(cli):
    for command in ("offer", "list", "withdraw"):
        code, out, _ = cli("discount", command, "--help")
        assert code == 0 and "--company" in out, f"credo discount {command} --help"


def test_an_offer_is_made_listed_and_withdrawn_from_the_command_line(cli, cli_ledger):
    code, out, err = cli("discount", "offer", "C1", "--invoice", "I2", "--percent", "2", "--pay-by", "2024-04-10",
                         "--on", "2024-04-01", "--format", "json")
    assert code == 0, err
    made = json.loads(out)
    assert (made["status"], made["invoices"][0]["discount"], made["invoices"][0]["net"]) == ("offered", "30.00",
                                                                                            "1470.00")
    code, out, _ = cli("discount", "list", "--as-of", "2024-04-05")
    assert code == 0 and "I2 1500.00 - 30.00 = 1470.00 CNY" in out
    code, out, _ = cli("discount", "withdraw", str(made["id"]), "--on", "2024-04-03", "--format", "json")
    assert code == 0 and json.loads(out)["status"] == "withdrawn"
    code, _, err = cli("discount", "withdraw", str(made["id"]), "--on", "2024-04-04")
    assert code == 2 and "withdrawn already" in err
    code, _, err = cli("discount", "offer", "C1", "--invoice", "I2", "--percent", "abc", "--pay-by", "2024-04-10")
    assert code == 2 and "percent" in err


def call(server, token, method, path, json=None, **params):
    with server.client(token) as client:
        return client.request(method, API + path, json=json, params=params)


def test_an_offer_over_http_is_taken_by_a_payment_booked_over_http(server, acme, tokens, db):
    with db.begin() as conn:
        conn.execute(customers.update().where(customers.c.code == "C2").values(salesperson="zhao.min"))
    body = {"customer_code": "C1", "invoice_numbers": ["I2"], "percent": "2", "pay_by": "2024-04-10",
            "offered_on": "2024-04-01"}
    assert call(server, tokens["sales"], "POST", "/discount-offers", body).status_code == 404  # not their customer
    made = call(server, tokens["credit_manager"], "POST", "/discount-offers", body)
    assert made.status_code == 201 and made.json()["offered_by"] == "credit_manager"
    paid = call(server, tokens["admin"], "POST", "/payments", {"payment_ref": "P3", "customer_code": "C1",
                                                               "payment_date": "2024-04-09", "amount": "1470.00",
                                                               "invoice_number": "I2"})
    assert paid.status_code in (200, 201), paid.text
    offer = call(server, tokens["auditor"], "GET", f"/discount-offers/{made.json()['id']}", as_of="2024-04-09").json()
    assert offer["status"] == "taken" and offer["invoices"][0]["credit_note"] == f"DSC{offer['id']}-I2"
    with db.connect() as conn:
        assert conn.execute(select(invoices.c.paid_amount).where(invoices.c.number == "I2")).scalar_one() == 200000
    listed = call(server, tokens["auditor"], "GET", "/discount-offers", as_of="2024-04-08").json()
    assert [o["status"] for o in listed] == ["offered"]
    refused = call(server, tokens["admin"], "POST", f"/discount-offers/{offer['id']}/withdrawal", {})
    assert refused.status_code == 409
