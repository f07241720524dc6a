"""`credo credit check|queue|release|reviews|hold|settings` and `credo credit limit ...` as a person uses them."""

from __future__ import annotations

import json

import pytest

from builders import CUSTOMERS, INVOICES, write_csv
from credit_support import ORDERS

pytestmark = pytest.mark.db


@pytest.fixture
def credit_cli(cli, tmp_path):
    write_csv(tmp_path / "customers.csv", CUSTOMERS, [["K1", "甲方", "CNY", "NET30", "", "", ""]])
    write_csv(tmp_path / "invoices.csv", INVOICES, [["A1", "K1", "2026-05-01", "", "", "40000", ""]])
    for kind in ("customers", "invoices"):
        assert cli("import", kind, tmp_path / f"{kind}.csv")[0] == 0
    code, out, err = cli("credit", "limit", "request", "--customer", "K1", "--amount", "50000", "--term-days", "30",
                         "--rating", "C", "--reason", "first line", "--valid-from", "2026-01-01", "--format", "json")
    assert code == 0, err
    request = json.loads(out)[0]
    assert request["status"] == "pending"  # a second person approves every request
    cli.user("ma.checker", "credit_manager")
    code, out, err = cli("--as", "ma.checker", "credit", "limit", "approve", str(request["id"]), "--format", "json")
    assert code == 0 and json.loads(out)[0]["status"] == "approved", err
    return cli


def test_the_credit_check_answers_approve_warn_or_block_with_exit_status_1_when_blocked(credit_cli):
    code, out, _ = credit_cli("credit", "check", "K1", "--amount", "10000", "--as-of", "2026-06-15", "--format", "json")
    assert code == 0 and json.loads(out)["decision"] == "approve" and json.loads(out)["headroom"] == "0.00"
    code, out, _ = credit_cli("credit", "check", "K1", "--amount", "12500", "--as-of", "2026-06-15")
    assert code == 0 and "warn" in out and "over_limit_within_tolerance" in out
    code, out, _ = credit_cli("credit", "check", "K1", "--amount", "12501", "--as-of", "2026-06-15", "--format", "json")
    assert code == 1 and [r["code"] for r in json.loads(out)["reasons"]] == ["over_limit"]


@pytest.mark.parametrize("args, message", [
    (("credit", "check", "K1", "--amount", "lots"), "not an amount"),
    (("credit", "check", "NOPE", "--amount", "1"), "no customer 'NOPE'"),
    (("credit", "check", "K1", "--amount", "1", "--as-of", "30/6/2026"), "not a date"),
    (("credit", "limit", "request", "--customer", "K1", "--amount", "1", "--term-days", "30", "--rating", "F",
      "--reason", "x"), "rating 'F'"),
    (("credit", "settings", "--check-points", "shipment"), "unknown"),
    (("credit", "release", "99", "--reason", "x"), "no credit queue item 99"),
])
def test_bad_input_exits_2_with_a_message(credit_cli, args, message):
    code, _, err = credit_cli(*args)
    assert code == 2 and message in err


def test_the_requester_cannot_approve_their_own_large_request(credit_cli, monkeypatch):
    code, out, _ = credit_cli("credit", "limit", "request", "--customer", "K1", "--amount", "500000", "--term-days",
                              "60", "--rating", "B", "--reason", "growth", "--format", "json")
    request = json.loads(out)[0]
    assert request["status"] == "pending"
    code, _, err = credit_cli("credit", "limit", "approve", str(request["id"]))
    assert code == 2 and "four eyes" in err
    assert "user:tester" in err  # CREDO_ACTOR=tester: the one identity, as on the pages and the API
    monkeypatch.setenv("CREDO_ACTOR", credit_cli.user("second.pair", "controller"))
    code, out, _ = credit_cli("credit", "limit", "approve", str(request["id"]), "--note", "seen the accounts")
    assert code == 0 and "approved" in out
    code, out, _ = credit_cli("credit", "limit", "list", "--format", "json")
    assert [(r["status"], r["decided_by"]) for r in json.loads(out)] == [("approved", "user:second.pair"),
                                                                        ("approved", "user:ma.checker")]


def test_a_blocked_order_waits_in_the_queue_until_released(credit_cli, tmp_path):
    write_csv(tmp_path / "orders.csv", ORDERS, [["O1", "K1", "2026-06-10", "20000", "", "", ""]])
    code, out, _ = credit_cli("import", "orders", tmp_path / "orders.csv")
    assert code == 0 and "1 blocked" in out
    code, out, _ = credit_cli("credit", "queue", "--format", "json")
    [item] = json.loads(out)
    assert item["number"] == "O1" and item["reasons"][0]["code"] == "over_limit"
    code, out, _ = credit_cli("credit", "release", str(item["id"]), "--reason", "bank guarantee received")
    assert code == 0 and "released order O1" in out
    assert json.loads(credit_cli("credit", "queue", "--format", "json")[1]) == []
    code, out, _ = credit_cli("import", "orders", tmp_path / "orders.csv")
    assert "0 new, 0 updated, 1 unchanged" in out


def test_holds_reviews_and_settings_have_their_commands(credit_cli):
    assert credit_cli("credit", "hold", "K1", "--reason", "dispute", "--from", "2026-06-01")[0] == 0
    code, out, _ = credit_cli("credit", "check", "K1", "--amount", "1", "--as-of", "2026-06-15")
    assert code == 1 and "on_hold" in out
    code, out, _ = credit_cli("credit", "reviews", "--as-of", "2026-07-01", "--format", "json")
    assert [r["customer"] for r in json.loads(out)] == ["K1"]  # rating C: reviewed after 6 months
    code, out, _ = credit_cli("credit", "settings", "--tolerance", "0.1", "--check-points", "order,delivery")
    assert code == 0 and json.loads(out)["tolerance_share"] == "0.1"


def test_the_example_orders_import_and_wait_for_a_credit_line(cli):
    from pathlib import Path

    examples = Path(__file__).resolve().parents[2] / "examples"
    assert cli("import", "customers", examples / "customers.csv")[0] == 0
    code, out, _ = cli("import", "orders", examples / "orders.csv")
    assert code == 0 and "3 new" in out and "0 passed, 2 blocked" in out  # the cancelled one is not checked
    reasons = {r["code"] for item in json.loads(cli("credit", "queue", "--format", "json")[1]) for r in item["reasons"]}
    assert reasons == {"no_credit_line"}


def test_a_limit_at_a_rating_without_credit_needs_the_policy_exception_option(credit_cli, monkeypatch):
    ask = ("credit", "limit", "request", "--customer", "K1", "--amount", "40000", "--term-days", "0", "--rating", "D",
           "--reason", "run-down", "--format", "json")
    code, _, err = credit_cli(*ask)
    assert code == 2 and "rating D gives no credit on terms" in err and "policy exception" in err
    code, out, _ = credit_cli(*ask, "--policy-exception", "the bank guarantee covers 40,000")
    request = json.loads(out)[0]
    assert code == 0 and (request["status"], request["policy_exception"]) == ("pending", "the bank guarantee covers 40,000")
    monkeypatch.setenv("CREDO_ACTOR", "ma.checker")
    code, out, _ = credit_cli("credit", "limit", "approve", str(request["id"]), "--format", "json")
    assert code == 0 and json.loads(out)[0]["status"] == "approved"


def test_a_review_on_the_command_line_is_requested_by_the_named_user(credit_cli):
    """The review read its user before opening the database, and so requested as the machine's
    operator (cli:root) whoever ran it: the maker-checker could not tell the requester."""
    credit_cli.user("li.na", "credit_manager")
    code, out, err = credit_cli("--as", "li.na", "credit", "review", "K1", "--as-of", "2026-07-01", "--format", "json")
    assert code == 0, err
    [review] = json.loads(out)
    assert review["request"]["requested_by"] == "user:li.na"
