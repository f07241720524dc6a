"""Maker-checker over limits, the order check on import, the credit queue and its release."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal as D

import pytest

from builders import INVOICES, load, write_csv
from credit_support import CONTROLLER, MANAGER, ORDERS, TODAY, credit_ledger
from credo.errors import Conflict, Forbidden, InvalidInput
from credo.services import audit
from credo.services.access import EVERYONE
from credo.services.credit import queue
from credo.services.credit.check import check_credit
from credo.services.credit.requests import Person, Proposal, approve, list_requests, reject, request_limit
from credo.services.credit.settings import change_credit_settings
from credo.store.limit_tables import orders

pytestmark = pytest.mark.db
SALES = Person("user:zhao", "sales")


@pytest.fixture
def ledger(db, company, tmp_path):
    credit_ledger(db, company, tmp_path)
    return company


def _ask(conn, company, who, amount, customer="K3"):
    return request_limit(conn, company, EVERYONE, who, Proposal(D(amount), 30, "C", "more business"),
                         customer=customer, today=TODAY)


def test_a_credit_managers_request_within_their_own_level_still_waits_for_a_second_person(db, ledger):
    with db.begin() as conn:
        made = _ask(conn, ledger, MANAGER, 100_000)
        assert (made["status"], made["decided_by"]) == ("pending", None)
        with pytest.raises(Forbidden, match=r"four eyes: a limit needs an approver other than its requester \(user:li\)"):
            approve(conn, ledger, made["id"], MANAGER, "mine", TODAY)
        assert check_credit(conn, ledger, "K3", D(0), TODAY).result.limit == D(10_000)  # the line before
        approved = approve(conn, ledger, made["id"], Person("user:ma", "credit_manager"), "seen", TODAY)
        assert (approved["status"], approved["decided_by"]) == ("approved", "user:ma")
        assert check_credit(conn, ledger, "K3", D(0), TODAY).result.limit == D(100_000)


def test_the_requester_may_not_approve_their_own_request_above_the_threshold(db, ledger):
    with db.begin() as conn:
        made = _ask(conn, ledger, CONTROLLER, 150_000)
        assert made["status"] == "pending"
        with pytest.raises(Forbidden, match="four eyes.*other than its requester"):
            approve(conn, ledger, made["id"], CONTROLLER, "mine", TODAY)


def test_an_approver_below_the_level_of_the_amount_is_refused(db, ledger):
    with db.begin() as conn:
        made = _ask(conn, ledger, SALES, 150_000)  # above 100,000: a controller's
        with pytest.raises(Forbidden, match="needs approval by the role controller"):
            approve(conn, ledger, made["id"], MANAGER, "ok", TODAY)
        big = _ask(conn, ledger, SALES, 2_000_000)
        with pytest.raises(Forbidden, match="needs approval by the role admin"):
            approve(conn, ledger, big["id"], CONTROLLER, "ok", TODAY)
        assert approve(conn, ledger, made["id"], CONTROLLER, "ok", TODAY)["status"] == "approved"
        assert approve(conn, ledger, big["id"], Person("user:root", "admin"), "ok", TODAY)["status"] == "approved"


def test_a_sales_request_waits_and_a_decided_one_cannot_be_decided_again(db, ledger):
    with db.begin() as conn:
        made = _ask(conn, ledger, SALES, 20_000)
        assert made["status"] == "pending"
        rejected = reject(conn, ledger, made["id"], MANAGER, "no financials yet")
        assert (rejected["status"], rejected["decision_note"]) == ("rejected", "no financials yet")
        with pytest.raises(Conflict):
            approve(conn, ledger, made["id"], MANAGER, "changed my mind", TODAY)
        history = [(r["id"], r["status"]) for r in list_requests(conn, ledger, EVERYONE)]
        assert history[0] == (made["id"], "rejected") and len(history) == 4  # and the three ledger lines
        actions = [e["action"] for e in audit.entries(conn, entity="limit_request", key=str(made["id"]))]
        assert actions == ["reject", "request"]


def test_the_approval_levels_are_company_settings(db, ledger):
    with db.begin() as conn:
        change_credit_settings(conn, ledger, "test", approval_levels="10000:credit_manager,50000:controller,admin")
        made = _ask(conn, ledger, MANAGER, 20_000)
        assert made["status"] == "pending"
        with pytest.raises(Forbidden, match="needs approval by the role controller"):
            approve(conn, ledger, made["id"], Person("user:ma", "credit_manager"), "ok", TODAY)


def _status(conn, number):
    return conn.execute(orders.select().where(orders.c.number == number)).one().status


def test_an_order_over_the_limit_is_blocked_on_import_and_released_with_a_reason(db, ledger, tmp_path):
    write_csv(tmp_path / "more.csv", ORDERS, [["O4", "K3", "2026-06-13", "8000", "", "", ""],
                                              ["O5", "K3", "2026-06-14", "4000", "", "", ""]])
    result = load(db, ledger, "orders", tmp_path / "more.csv")  # K3: 10,000; 8,000 passes, 12,000 does not
    assert result.inserted == 2 and "1 passed, 1 blocked (O5" in result.notes[0]
    with db.begin() as conn:
        assert (_status(conn, "O4"), _status(conn, "O5")) == ("open", "blocked")
        [item] = queue.list_queue(conn, ledger, EVERYONE)
        assert (item["number"], item["amount"], item["reasons"][0]["code"]) == ("O5", "4000.00", "over_limit")
        assert check_credit(conn, ledger, "K3", D(0), TODAY).exposure.open_orders == D(8_000)
        queue.release(conn, ledger, EVERYONE, item["id"], "customer paid in advance", "user:li", on=TODAY)
        assert _status(conn, "O5") == "open" and queue.list_queue(conn, ledger, EVERYONE) == []
        assert check_credit(conn, ledger, "K3", D(0), TODAY).exposure.open_orders == D(12_000)
        # The day before the release it was blocked, so it did not count: the past stays as it was.
        assert check_credit(conn, ledger, "K3", D(0), date(2026, 6, 14)).exposure.open_orders == D(8_000)
        [entry] = audit.entries(conn, entity="credit_queue_order", key="O5", limit=1)
        assert entry["action"] == "release" and json.loads(entry["after"])["reason"] == "customer paid in advance"
        with pytest.raises(Conflict):
            queue.release(conn, ledger, EVERYONE, item["id"], "again", "user:li")
    again = load(db, ledger, "orders", tmp_path / "more.csv")
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 2)


def test_reimporting_orders_changes_nothing_and_a_reopened_order_is_checked_again(db, ledger, tmp_path):
    again = load(db, ledger, "orders", tmp_path / "orders.csv")
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 3)
    write_csv(tmp_path / "reopen.csv", ORDERS, [["O2", "K1", "2026-06-11", "3000", "", "open", ""]])
    reopened = load(db, ledger, "orders", tmp_path / "reopen.csv", recorded_on=TODAY)  # checked as of that day
    assert reopened.updated == 1 and "1 passed, 0 blocked" in reopened.notes[0]
    with db.begin() as conn:
        assert _status(conn, "O2") == "open"


def test_an_invoice_naming_an_order_takes_it_out_of_the_open_orders(db, ledger, tmp_path):
    write_csv(tmp_path / "billed.csv", [*INVOICES, "order_number"],
              [["A3", "K1", "2026-06-14", "", "", "10000", "", "O1"]])
    load(db, ledger, "invoices", tmp_path / "billed.csv")
    with db.begin() as conn:
        found = check_credit(conn, ledger, "K1", D(0), TODAY).exposure
        assert (found.receivables, found.open_orders) == (D(45_000), D(0))
        assert conn.execute(orders.select().where(orders.c.number == "O1")).one().invoice_number == "A3"


def test_where_invoices_are_a_check_point_a_failing_invoice_is_booked_and_queued(db, ledger, tmp_path):
    with db.begin() as conn:
        change_credit_settings(conn, ledger, "test", check_points="order,invoice")
    write_csv(tmp_path / "big.csv", INVOICES, [["A4", "K3", "2026-06-14", "", "", "12000", ""],
                                               ["A5", "K3", "2026-06-01", "", "", "100", ""]])
    result = load(db, ledger, "invoices", tmp_path / "big.csv")
    assert result.inserted == 2 and "A4" in result.notes[0] and "A5" not in result.notes[0]
    with db.begin() as conn:
        [item] = queue.list_queue(conn, ledger, EVERYONE)
        assert (item["point"], item["number"]) == ("invoice", "A4")
        assert check_credit(conn, ledger, "K3", D(0), date(2026, 6, 14)).exposure.receivables == D(12_100)


def test_a_limit_the_policy_does_not_give_the_rating_needs_a_policy_exception_and_a_second_person(db, ledger):
    # The default policy: D is prepayment only and E no credit, so a limit above 0 at D is an exception.
    ask = lambda who, amount, rating, why=None: request_limit(  # noqa: E731
        conn, ledger, EVERYONE, who, Proposal(D(amount), 0, rating, "run-down of the open invoices",
                                              policy_exception=why), customer="K3", today=TODAY)
    with db.begin() as conn:
        with pytest.raises(InvalidInput, match="rating D gives no credit on terms.*needs a policy exception"):
            ask(MANAGER, 30_000, "D")
        with pytest.raises(InvalidInput, match="no policy exception needed"):
            ask(MANAGER, 30_000, "C", "not needed")
        assert ask(MANAGER, 0, "E")["policy_exception"] is None  # a limit of 0 keeps the policy
        made = ask(MANAGER, 30_000, "D", "  parent guarantee signed 2026-06-01  ")
        assert (made["status"], made["policy_exception"]) == ("pending", "parent guarantee signed 2026-06-01")
        with pytest.raises(Forbidden, match="four eyes: a limit needs an approver other than its requester"):
            approve(conn, ledger, made["id"], MANAGER, "mine", TODAY)
        assert approve(conn, ledger, made["id"], CONTROLLER, "seen the guarantee", TODAY)["status"] == "approved"
        checked = check_credit(conn, ledger, "K3", D(1), TODAY)
        assert (checked.line.amount, checked.line.rating) == (D(30_000), "D")
        assert checked.line.policy_exception == "parent guarantee signed 2026-06-01"
        # The exception explains the line; the credit check still blocks orders at D (the queue releases them).
        assert "rating_no_credit" in {r.code for r in checked.result.reasons}
