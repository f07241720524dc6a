"""The pages of escalation cases, interest waivers, payment plans and the statement of account, over
real HTTP on the acme ledger (CSRF on every form; roles and the collector's portfolio checked)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from credo import clock

from builders import contract_terms
from integration.test_pages import rows_of
from integration.test_pages_admin import csrf

pytestmark = pytest.mark.db


def test_a_case_is_opened_with_its_outlook_recoveries_recorded_and_closed(pages):
    client = pages("credit_manager", "en")
    form = {"customer": "C1", "kind": "agency", "handler": "华信催收", "recovery_rate": "60", "amount": "10,000",
            "fixed_cost": "500", "commission_rate": "10"}
    assert client.post("/cases", data=form).status_code == 403  # no CSRF token
    done = client.post("/cases", data=dict(form, csrf_token=csrf(client, "/cases")))
    assert done.status_code == 303 and done.headers["location"] == "/cases?done=opened"
    # Recovery 60 % of 10,000 = 6,000; cost 500 + 10 % of 6,000 = 1,100; net 4,900.
    [row] = rows_of(client.get("/cases").text, "cases")
    assert row[:10] == ["C1 甲公司", "collection agency", "华信催收", row[3], "CN¥10,000.00", "CN¥6,000.00",
                        "CN¥1,100.00", "CN¥4,900.00", "CN¥0.00", "open"]
    page = client.get("/cases").text
    case = page.split('action="/cases/')[1].split("/")[0]
    assert client.post(f"/cases/{case}/recovery", data={"amount": "2000", "csrf_token": csrf(client)}).status_code == 303
    assert rows_of(client.get("/cases").text, "cases")[0][8] == "CN¥2,000.00"
    assert client.post(f"/cases/{case}/closure", data={"notes": "settled", "csrf_token": csrf(client)}).status_code == 303
    assert 'id="cases-empty"' in client.get("/cases").text
    assert rows_of(client.get("/cases", params={"status": "all"}).text, "cases")[0][9].startswith("closed")


def test_a_case_at_a_loss_opens_only_with_the_checkbox_ticked(pages):
    client = pages("credit_manager", "en")
    # 10,000 at 5 %: 500.00; cost 600 + 10 % of 500 = 650.00; net -150.00
    form = {"customer": "C1", "kind": "legal", "handler": "金杜", "recovery_rate": "5", "amount": "10,000",
            "fixed_cost": "600", "commission_rate": "10"}
    assert 'name="accept_loss"' in client.get("/cases").text
    refused = client.post("/cases", data=dict(form, csrf_token=csrf(client, "/cases")))
    assert refused.status_code == 422 and "500.00 CNY is below the expected cost of 650.00 CNY" in refused.text
    assert 'id="cases-empty"' in refused.text
    done = client.post("/cases", data=dict(form, accept_loss="1", csrf_token=csrf(client, "/cases")))
    assert done.status_code == 303
    assert rows_of(client.get("/cases").text, "cases")[0][7] == "-CN¥150.00"


def test_a_case_refused_shows_why_and_a_collector_may_read_but_not_escalate(pages):
    manager = pages("credit_manager", "zh-CN")
    refused = manager.post("/cases", data={"customer": "C1", "kind": "agency", "handler": "", "recovery_rate": "60",
                                           "csrf_token": csrf(manager, "/cases")})
    assert refused.status_code == 422 and "handler" in refused.text
    collector = pages("collector", "en")
    page = collector.get("/cases")
    assert page.status_code == 200 and 'id="case-form"' not in page.text
    assert collector.post("/cases", data={"customer": "C1", "csrf_token": csrf(collector, "/cases")}).status_code == 403


def test_a_waiver_above_the_threshold_waits_for_a_second_person(pages, db, people):
    from credo.services.collections.interest_terms import change_interest_settings

    contract_terms(db, people)
    with db.begin() as conn:
        change_interest_settings(conn, people, "test", waiver_threshold="1")
    manager = pages("credit_manager", "en")
    asked = manager.post("/waivers", data={"invoice": "I2", "amount": "5.00", "reason": "goodwill",
                                           "csrf_token": csrf(manager, "/waivers")})
    assert asked.status_code == 303
    page = manager.get("/waivers").text
    [row] = rows_of(page, "waivers")
    assert row[:6] == ["C1", "I2", "CN¥5.00", "goodwill", "user:credit_manager", "pending"]
    assert "another person decides" in row[7] and 'action="/waivers/' not in page  # not one's own
    controller = pages("controller", "en")
    waiver = controller.get("/waivers").text.split('action="/waivers/')[1].split("/")[0]
    approved = controller.post(f"/waivers/{waiver}/approval", data={"note": "ok", "csrf_token": csrf(controller)})
    assert approved.status_code == 303
    assert rows_of(controller.get("/waivers", params={"status": "approved"}).text, "waivers")[0][5] == "approved"


def test_a_collector_cannot_ask_for_a_waiver(pages):
    collector = pages("collector", "en")
    assert collector.post("/waivers", data={"invoice": "I2", "amount": "1", "reason": "x",
                                            "csrf_token": csrf(collector, "/waivers")}).status_code == 403


def test_a_payment_plan_is_agreed_on_the_customer_page(pages):
    client = pages("collector", "en")
    first = clock.today() + timedelta(days=10)
    done = client.post("/customers/C1/plans", data={"invoices": "I2", "count": "2", "frequency": "monthly",
                                                     "first_due": first.isoformat(), "annual_rate": "0",
                                                     "csrf_token": csrf(client, "/customers/C1")})
    assert done.status_code == 303 and done.headers["location"] == "/customers/C1?recorded=plan"
    [row] = rows_of(client.get("/customers/C1").text, "customer-plans")
    assert row[1] == "I2" and row[4] == "open"
    refused = client.post("/customers/C1/plans", data={"invoices": "", "count": "2", "first_due": first.isoformat(),
                                                        "csrf_token": csrf(client, "/customers/C1")})
    assert refused.status_code == 422 and "name them" in refused.text


def test_the_statement_of_account_downloads_as_a_pdf_within_the_portfolio(pages):
    client = pages("collector", "zh-CN")
    assert 'id="statement-link"' in client.get("/customers/C1").text
    answer = client.get("/customers/C1/statement.pdf", params={"as_of": "2024-04-15"})
    assert answer.status_code == 200 and answer.headers["content-type"] == "application/pdf"
    assert answer.content.startswith(b"%PDF") and "statement-C1-2024-04-15.pdf" in answer.headers["content-disposition"]
    assert client.get("/customers/C2/statement.pdf").status_code == 404  # not the collector's customer
    assert client.get("/customers/C1/statement.pdf", params={"language": "fr"}).status_code == 422
