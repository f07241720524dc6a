"""The credit manager's pages over real HTTP: the credit queue (release with a reason) and the
limit requests (approve, reject; four eyes), with CSRF on every form and roles checked."""

from __future__ import annotations


import pytest

from credit_support import blocked_order_and_large_request
from integration.test_pages import rows_of
from integration.test_pages_admin import csrf

pytestmark = pytest.mark.db


@pytest.fixture
def credit_pages(pages, people, db, tmp_path):
    """C3 has a line of 1,000 (it owes 2,500): its order Q1 is blocked. The credit manager asked
    for 500,000 on C1 (pending: a controller's)."""
    blocked_order_and_large_request(db, people, tmp_path)
    return pages


def test_the_queue_lists_a_blocked_order_and_releases_it_with_a_reason(credit_pages):
    client = credit_pages("credit_manager", "en")
    page = client.get("/credit/queue")
    [row] = rows_of(page.text, "queue")
    assert row[:3] == ["order", "Q1", "C3 丙公司"] and "beyond the tolerance" in row[5]
    assert rows_of(credit_pages("admin", "zh-CN").get("/credit/queue").text, "queue")[0][0] == "订单"
    item = page.text.split('action="/credit/queue/')[1].split("/")[0]
    without = client.post(f"/credit/queue/{item}/release", data={"reason": "prepaid"})
    assert without.status_code == 403  # no CSRF token
    done = client.post(f"/credit/queue/{item}/release", data={"reason": "prepaid", "csrf_token": csrf(client)})
    assert done.status_code == 303 and done.headers["location"] == "/credit/queue?released=Q1"
    assert 'id="queue-empty"' in client.get(done.headers["location"]).text


def test_the_requester_cannot_approve_on_the_page_and_a_controller_can(credit_pages):
    manager = credit_pages("credit_manager", "zh-CN")
    page = manager.get("/credit/requests")
    [row] = rows_of(page.text, "pending")
    assert row[1] == "C1" and "信用审批队列" in page.text  # the menu, in Chinese
    request_id = row[0]
    refused = manager.post(f"/credit/requests/{request_id}/approval", data={"note": "", "csrf_token": csrf(manager)})
    assert refused.status_code == 403 and "four eyes" in refused.text
    controller = credit_pages("controller", "en")
    done = controller.post(f"/credit/requests/{request_id}/approval",
                           data={"note": "accounts seen", "csrf_token": csrf(controller)})
    assert done.status_code == 303
    decided = rows_of(controller.get("/credit/requests").text, "decided")
    assert decided[0][3:] == ["approved", "user:credit_manager", "user:controller", "accounts seen"]


def test_a_rejection_needs_a_note_and_the_pages_are_for_the_credit_roles(credit_pages):
    controller = credit_pages("controller", "en")
    request_id = rows_of(controller.get("/credit/requests").text, "pending")[0][0]
    empty = controller.post(f"/credit/requests/{request_id}/rejection", data={"note": " ", "csrf_token": csrf(controller)})
    assert empty.status_code == 422 and "needs a note" in empty.text
    for role in ("sales", "collector", "auditor"):
        client = credit_pages(role, "en")
        assert client.get("/credit/queue").status_code == 403
        assert client.get("/credit/requests").status_code == 403


def test_the_credit_settings_are_changed_on_the_settings_page(credit_pages, db):
    from credo.services import audit

    client = credit_pages("credit_manager", "en")
    page = client.get("/settings")
    assert 'name="approval_levels" value="100000:credit_manager,1000000:controller,admin"' in page.text
    form = {"check_points": ["order", "invoice"], "tolerance_share": "0.1", "overdue_days": "45",
            "approval_levels": "50000:credit_manager,admin",
            "csrf_token": csrf(client, "/settings")}
    assert client.post("/settings/credit", data=form).status_code == 303
    with db.connect() as conn:
        [entry] = audit.entries(conn, entity="credit_control_settings")
    assert entry["actor"] == "user:credit_manager" and '"overdue_days": 45' in entry["after"]
    wrong = client.post("/settings/credit", data={**form, "approval_levels": "admin,5:controller",
                                                  "csrf_token": csrf(client, "/settings")})
    assert wrong.status_code == 422 and "approval levels" in wrong.text
    assert 'value="admin,5:controller"' in wrong.text  # what was typed stays


def test_the_customer_page_shows_the_credit_line_and_what_blocks(credit_pages):
    page = credit_pages("auditor", "en").get("/customers/C3", params={"as_of": "2024-07-01"}).text
    assert 'id="credit-limit">¥1,000.00' in page or 'id="credit-limit">CN¥1,000.00' in page
    assert "exposure would exceed the credit limit" not in page.split('id="credit-decision"')[0]
    assert "-¥1,500.00" in page or "-CN¥1,500.00" in page  # headroom: 1,000 - 2,500
    chinese = credit_pages("auditor", "zh-CN").get("/customers/C1").text
    assert "无有效信用额度" in chinese  # C1's 500,000 is still only requested


def test_the_customer_page_shows_a_policy_exception_in_both_languages(credit_pages, db, people):
    from datetime import date
    from decimal import Decimal

    from credo.services.access import EVERYONE
    from credo.services.credit.requests import Person, Proposal, approve, request_limit

    day = date(2024, 6, 1)
    with db.begin() as conn:
        made = request_limit(conn, people, EVERYONE, Person("user:li", "credit_manager"),
                             Proposal(Decimal(2000), 0, "D", "run-down", valid_from=day,
                                      policy_exception="parent guarantee until 2024-12-31"), customer="C2", today=day)
        approve(conn, people, made["id"], Person("user:wu", "controller"), "seen", day)
    page = credit_pages("auditor", "en").get("/customers/C2", params={"as_of": "2024-07-01"}).text
    assert "<dt>Policy exception</dt>" in page
    assert 'id="credit-policy-exception">parent guarantee until 2024-12-31<' in page
    chinese = credit_pages("auditor", "zh-CN").get("/customers/C2", params={"as_of": "2024-07-01"}).text
    assert "<dt>政策例外</dt>" in chinese
