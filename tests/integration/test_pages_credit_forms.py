"""The last credit pages over real HTTP: a limit request from the customer page, the reviews due
with their Review button, and the company's scorecard and policy on the settings page; CSRF on
every form, and the forms only for the roles that may use them."""

from __future__ import annotations

import json
import re
from datetime import date
from decimal import Decimal
from html import unescape

import pytest

from credit_support import grant
from credo.services.access import EVERYONE
from credo.services.credit import requests, setup
from credo.services.credit.recorded import recorded_assessments
from integration.test_pages import rows_of
from integration.test_pages_admin import csrf

pytestmark = pytest.mark.db
REQUEST = {"amount": "50,000", "currency": "CNY", "term_days": "60", "rating": "B", "valid_to": "",
           "reason": "new contract"}


def test_the_sales_user_requests_a_limit_for_a_customer_of_the_portfolio_only(pages):
    client = pages("sales", "en")
    page = client.get("/customers/C2").text
    assert 'action="/customers/C2/limit-requests"' in page and 'name="currency" value="CNY"' in page
    done = client.post("/customers/C2/limit-requests", data={**REQUEST, "csrf_token": csrf(client)})
    assert done.status_code == 303 and done.headers["location"].startswith("/customers/C2?requested=")
    assert "is waiting for approval." in client.get(done.headers["location"]).text
    [made] = rows_of(pages("credit_manager", "en").get("/credit/requests").text, "pending")
    assert made[1:3] == ["C2", "CN¥50,000.00"] and made[7] == "user:sales"
    other = client.post("/customers/C1/limit-requests", data={**REQUEST, "csrf_token": csrf(client)})
    assert other.status_code == 404


def test_a_credit_managers_requests_small_or_large_wait_for_a_second_person(pages, people, db):
    client = pages("credit_manager", "zh-CN")
    small = client.post("/customers/C1/limit-requests", data={**REQUEST, "csrf_token": csrf(client)})
    assert small.status_code == 303 and "status=pending" in small.headers["location"]
    assert "正在等待审批" in client.get(small.headers["location"]).text
    large = client.post("/customers/C1/limit-requests",
                        data={**REQUEST, "amount": "500000", "csrf_token": csrf(client)})
    assert "status=pending" in large.headers["location"]
    assert "正在等待审批" in client.get(large.headers["location"]).text
    with db.connect() as conn:
        made = requests.list_requests(conn, people, EVERYONE)
    assert [(r["amount"], r["status"], r["requested_by"]) for r in made] == [
        ("500000.00", "pending", "user:credit_manager"), ("50000.00", "pending", "user:credit_manager")]
    mine = client.post(f"/credit/requests/{made[1]['id']}/approval", data={"note": "", "csrf_token": csrf(client)})
    assert mine.status_code == 403  # never one's own


def test_a_refused_request_shows_why_on_the_customer_page_and_keeps_what_was_typed(pages):
    client = pages("credit_manager", "en")
    missing = client.post("/customers/C1/limit-requests",
                          data={**REQUEST, "reason": " ", "amount": "7,000", "csrf_token": csrf(client)})
    assert missing.status_code == 422 and "a limit request needs a reason" in missing.text
    assert 'name="amount" value="7,000"' in missing.text
    wrong = client.post("/customers/C1/limit-requests",
                        data={**REQUEST, "amount": "lots", "csrf_token": csrf(client)})
    assert wrong.status_code == 422 and "is not an amount" in unescape(wrong.text)
    assert client.post("/customers/C1/limit-requests", data=REQUEST).status_code == 403  # no CSRF token


def test_a_limit_at_rating_d_needs_a_policy_exception_on_the_form_and_then_waits_for_a_second_person(pages):
    client = pages("credit_manager", "en")
    at_d = {**REQUEST, "amount": "20,000", "rating": "D", "csrf_token": csrf(client)}
    refused = client.post("/customers/C1/limit-requests", data=at_d)
    assert refused.status_code == 422 and "needs a policy exception saying why" in refused.text
    assert 'name="policy_exception" value=""' in refused.text and 'name="amount" value="20,000"' in refused.text
    # 20,000 is within the credit manager's self-approval limit, yet the exception waits for another.
    done = client.post("/customers/C1/limit-requests", data={**at_d, "policy_exception": "guaranteed by the parent"})
    assert done.status_code == 303 and "status=pending" in done.headers["location"]


def test_the_form_is_prefilled_with_the_assessments_advice(pages):
    page = pages("credit_manager", "en").get("/customers/C1").text
    advice = re.search(r'id="credit-limit">([^<]+)<', page.split('id="credit-assessment"')[1]).group(1)
    typed = re.search(r'name="amount" value="([^"]+)"', page).group(1)
    assert Decimal(advice.replace("CN¥", "").replace(",", "")) == Decimal(typed)
    assert re.search(r'name="term_days" value="\d+"', page)


@pytest.fixture
def review_due(people, db):
    """C3 has a line of 1,000 whose review fell due on 2025-01-01."""
    with db.begin() as conn:
        grant(conn, people, 1_000, customer="C3", valid_from=date(2024, 1, 1), review_due=date(2025, 1, 1))
    return people


def test_the_review_button_records_an_assessment_and_makes_a_request(pages, review_due, db):
    client = pages("credit_manager", "en")
    page = client.get("/credit/requests").text
    [row] = rows_of(page, "reviews-due")
    assert row[:4] == ["C3 丙公司", "CN¥1,000.00", "B", "Jan 1, 2025"]
    controller = pages("controller", "en").get("/credit/requests").text
    assert rows_of(controller, "reviews-due") and 'action="/credit/reviews/' not in controller  # the list only
    assert client.post("/credit/reviews/C3", data={}).status_code == 403  # no CSRF token
    done = client.post("/credit/reviews/C3", data={"csrf_token": csrf(client, "/credit/requests")})
    assert done.status_code == 303
    with db.connect() as conn:
        [recorded] = recorded_assessments(conn, review_due, EVERYONE, "C3")
        [request, _] = requests.list_requests(conn, review_due, EVERYONE)
    assert recorded["actor"] == "user:credit_manager" and request["customer"] == "C3"
    message = client.get(done.headers["location"]).text
    expected = f"C3 reviewed: score {recorded['score']}, rating {recorded['rating']}; request {request['id']}"
    assert expected in message and request["status"] == "pending"
    controller = pages("controller", "en")
    approved = controller.post(f"/credit/requests/{request['id']}/approval",
                               data={"note": "seen", "csrf_token": csrf(controller, "/credit/requests")})
    assert approved.status_code == 303
    # Approved by a second person, the reviewed line is in force with its new review date.
    assert 'id="reviews-due-empty"' in client.get("/credit/requests").text


def test_the_settings_page_refuses_broken_json_and_saves_a_changed_policy_as_version_1(pages, people, db):
    client = pages("credit_manager", "en")
    page = client.get("/settings").text
    assert "version 0 in force" in page and 'action="/settings/credit-models/scorecard"' in page
    text = unescape(re.search(r'id="model-policy".*?<textarea[^>]*>(.*?)</textarea>', page, re.S).group(1))
    policy = json.loads(text)
    broken = client.post("/settings/credit-models/policy", data={"body": text[:-3], "csrf_token": csrf(client)})
    assert broken.status_code == 422 and "not JSON" in broken.text
    refused = client.post("/settings/credit-models/policy", data={"body": '{"ratings": 3}', "csrf_token": csrf(client)})
    assert refused.status_code == 422 and "policy: not valid" in refused.text
    assert client.post("/settings/credit-models/policy", data={"body": text}).status_code == 403  # no CSRF token
    with db.connect() as conn:
        assert setup.setting(conn, people, "policy")["version"] == 0
    policy["ratings"][0]["term_days"] = 75
    saved = client.post("/settings/credit-models/policy", data={"body": json.dumps(policy), "csrf_token": csrf(client)})
    assert saved.status_code == 303
    assert "Credit policy: version 1 saved." in client.get(saved.headers["location"]).text
    with db.connect() as conn:
        found = setup.setting(conn, people, "policy")
    assert found["version"] == 1 and found["body"]["ratings"][0]["term_days"] == 75


def test_a_reader_sees_no_forms_and_may_not_send_them(pages):
    auditor = pages("auditor", "en")
    page = auditor.get("/customers/C1").text
    assert 'id="credit-assessment"' in page and 'id="limit-request"' not in page
    token = csrf(auditor)
    assert auditor.post("/customers/C1/limit-requests", data={**REQUEST, "csrf_token": token}).status_code == 403
    assert auditor.post("/credit/reviews/C1", data={"csrf_token": token}).status_code == 403
    assert auditor.post("/settings/credit-models/policy", data={"body": "{}", "csrf_token": token}).status_code == 403
    controller = pages("controller", "en")
    assert 'id="limit-request"' not in controller.get("/customers/C1").text
