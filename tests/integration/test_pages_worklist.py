"""The collector's pages over real HTTP: the worklist for a day (complete a task from it), and on
the customer page the activity log and contact persons with their forms; CSRF and portfolios checked.
The collector works portfolio wang (C1 in the acme ledger, tests/integration/test_worklist.py)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from credo.services.collections.tasks import create_task
from credo.store.tables import customers
from integration.test_pages import rows_of
from integration.test_pages_admin import csrf

pytestmark = pytest.mark.db


def test_the_collector_sees_the_portfolio_worklist_with_the_next_action_in_chinese(pages):
    page = pages("collector", "zh-CN").get("/worklist", params={"as_of": "2024-04-15"})
    assert page.status_code == 200 and 'href="/worklist"' in page.text
    [row] = rows_of(page.text, "worklist")
    assert row[:5] == ["C1 甲公司", "19.3", "¥1,500.00", "15", "未评级"]
    assert row[-1] == "温馨提醒（邮件）" and 'href="/customers/C1"' in page.text
    english = pages("credit_manager", "en").get("/worklist", params={"as_of": "2024-04-15"})
    assert [(r[0], r[-1]) for r in rows_of(english.text, "worklist")] == [
        ("C2 Beta Ltd", "first notice (email)"), ("C1 甲公司", "friendly reminder (email)")]


def test_a_role_without_collections_work_gets_no_worklist_and_no_forms(pages):
    auditor = pages("auditor", "en")
    assert auditor.get("/worklist").status_code == 403
    customer = auditor.get("/customers/C1").text
    assert 'id="customer-activities"' in customer and 'id="log-activity"' not in customer
    assert 'href="/worklist"' not in customer


def test_a_call_logged_on_the_customer_page_shows_with_its_follow_up_task(pages):
    client = pages("collector", "en")
    form = {"kind": "call", "occurred_on": "2024-04-15", "contact": "李会计", "outcome": "pays Friday",
            "next_follow_up": "2024-04-19"}
    assert client.post("/customers/C1/activities", data=form).status_code == 403  # no CSRF token
    token = csrf(client, "/customers/C1")
    done = client.post("/customers/C1/activities", data={**form, "csrf_token": token})
    assert done.status_code == 303 and done.headers["location"] == "/customers/C1#activities"
    page = client.get("/customers/C1").text
    assert rows_of(page, "customer-activities") == [["Apr 15, 2024", "call", "李会计", "pays Friday", "Apr 19, 2024"]]
    assert "follow-up: pays Friday" in page
    assert client.post("/customers/C2/activities", data={**form, "csrf_token": token}).status_code == 404


def test_a_contact_person_added_on_the_customer_page_is_listed(pages):
    client = pages("collector", "zh-CN")
    token = csrf(client, "/customers/C1")
    done = client.post("/customers/C1/contacts", data={"name": "李会计", "role": "finance", "phone": "138 0013 8000",
                                                       "receives_dunning": "1", "csrf_token": token})
    assert done.status_code == 303
    rows = rows_of(client.get("/customers/C1").text, "customer-contacts")
    assert rows == [["李会计", "财务", "", "+8613800138000", "是"]]
    bad = client.post("/customers/C1/contacts", data={"name": "A", "phone": "12", "csrf_token": token})
    assert bad.status_code == 422 and "phone number" in bad.text


def test_a_task_due_is_completed_from_the_worklist(pages, db, people):
    with db.begin() as conn:
        c1 = conn.execute(select(customers.c.id).where(customers.c.code == "C1")).scalar_one()
        task = create_task(conn, people, c1, "call", date(2024, 4, 15), "wang", "ask for the remittance", None, "t")
    client = pages("collector", "en")
    page = client.get("/worklist", params={"as_of": "2024-04-15"})
    assert rows_of(page.text, "tasks")[0][:3] == ["Apr 15, 2024", "C1 甲公司", "call: ask for the remittance"]
    done = client.post(f"/worklist/tasks/{task['id']}/completion",
                       data={"outcome": "paid", "log_call": "1", "csrf_token": csrf(client, "/worklist")})
    assert done.status_code == 303 and done.headers["location"] == f"/worklist?done={task['id']}"
    assert f"Task {task['id']} done." in client.get(done.headers["location"]).text
    assert rows_of(client.get("/customers/C1").text, "customer-activities")[0][1:4] == ["call", "", "paid"]
