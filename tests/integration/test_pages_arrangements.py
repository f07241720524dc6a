"""The collections pages over real HTTP on the acme ledger: a dispute opened from the customer page
and resolved on /disputes, a promise recorded (CSRF on every form), and the portfolio and roles
checked (the collector works C1, the auditor only reads)."""

from __future__ import annotations

import pytest

from credo import clock

from integration.test_pages import rows_of
from integration.test_pages_admin import csrf

pytestmark = pytest.mark.db


def test_a_dispute_opened_on_the_customer_page_is_listed_reported_and_resolved(pages):
    client = pages("collector", "en")
    form = {"invoice": "I2", "amount": "600.00", "reason": "price", "owner": "wang"}
    assert client.post("/customers/C1/disputes", data=form).status_code == 403  # no CSRF token
    done = client.post("/customers/C1/disputes", data=dict(form, csrf_token=csrf(client, "/customers/C1")))
    assert done.status_code == 303 and done.headers["location"] == "/customers/C1?recorded=dispute"
    assert rows_of(client.get("/customers/C1").text, "customer-disputes")[0][:4] == ["I2", "CN¥600.00", "price", "wang"]
    page = client.get("/disputes")
    assert 'href="/disputes"' in page.text and 'id="dispute-report"' in page.text
    [row] = rows_of(page.text, "disputes")
    assert row[:5] == ["C1 甲公司", "I2", "CN¥600.00", "price", "wang"]
    assert 'id="disputes-empty"' in client.get("/disputes", params={"reason": "quality"}).text
    dispute = page.text.split('action="/disputes/')[1].split("/")[0]
    resolved = client.post(f"/disputes/{dispute}/resolution", data={"resolution": "valid", "csrf_token": csrf(client)})
    assert resolved.status_code == 303 and 'id="disputes-empty"' in client.get(resolved.headers["location"]).text


def test_a_refused_resolution_shows_the_reason_on_the_page(pages):
    client = pages("credit_manager", "zh-CN")
    client.post("/customers/C1/disputes", data={"invoice": "I2", "reason": "quality", "owner": "li",
                                                "csrf_token": csrf(client, "/customers/C1")})
    page = client.get("/disputes")
    assert "质量" in rows_of(page.text, "disputes")[0][3]
    dispute = page.text.split('action="/disputes/')[1].split("/")[0]
    refused = client.post(f"/disputes/{dispute}/resolution", data={"resolution": "partial", "csrf_token": csrf(client)})
    assert refused.status_code == 422 and "needs the amount credited" in refused.text


def test_a_promise_is_recorded_on_the_customer_page_with_its_standing(pages):
    client = pages("collector", "zh-CN")
    token = csrf(client, "/customers/C1")
    done = client.post("/customers/C1/promises", data={"promised_on": "2099-01-31", "amount": "500",
                                                       "promised_by": "张三", "csrf_token": token})
    assert done.status_code == 303
    [row] = rows_of(client.get("/customers/C1").text, "customer-promises")
    assert row[1:] == ["¥500.00", "¥0.00", "张三", "未结"]
    other = client.post("/customers/C2/promises", data={"promised_on": "2099-01-31", "amount": "5", "csrf_token": token})
    assert other.status_code == 404  # C2 is not in the collector's portfolio


def test_a_reader_sees_the_section_without_its_forms(pages):
    page = pages("auditor", "en").get("/customers/C1").text
    assert 'id="collections"' in page and 'id="promise-form"' not in page
    assert 'action="/disputes/' not in pages("auditor", "en").get("/disputes").text


def test_an_early_payment_discount_is_offered_and_withdrawn_on_the_customer_page(pages):
    from datetime import timedelta

    client = pages("collector", "zh-CN")
    pay_by = (clock.today() + timedelta(days=10)).isoformat()
    form = {"invoices": "I2", "percent": "2", "pay_by": pay_by, "csrf_token": csrf(client, "/customers/C1")}
    done = client.post("/customers/C1/discount-offers", data=form)
    assert done.status_code == 303 and done.headers["location"] == "/customers/C1?recorded=discount"
    page = client.get("/customers/C1").text
    [row] = rows_of(page, "customer-discounts")
    assert row[:3] == ["I2 · 2 %", "¥30.00", "¥1,470.00"] and row[5] == "已提供"  # 2 % of 1,500.00 open
    assert client.post("/customers/C1/discount-offers", data=dict(form, csrf_token=csrf(client))).status_code == 409
    offer = page.split('action="/customers/C1/discount-offers/')[1].split("/")[0]
    withdrawn = client.post(f"/customers/C1/discount-offers/{offer}/withdrawal", data={"csrf_token": csrf(client)})
    assert withdrawn.status_code == 303
    assert rows_of(client.get("/customers/C1").text, "customer-discounts")[0][5] == "已撤回"
    assert pages("auditor", "en").post("/customers/C1/discount-offers", data=form).status_code == 403
