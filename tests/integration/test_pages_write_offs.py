"""The write-offs page over real HTTP on the acme ledger: a credit manager asks to write off C1's I2
(1,500.00 open), a controller approves it (never the requester: four eyes), then records a recovery;
CSRF on every form and roles checked."""

from __future__ import annotations

import pytest

from integration.test_pages import rows_of
from integration.test_pages_admin import csrf

pytestmark = pytest.mark.db
PAGE = "/risk/write-offs"
ASK = {"invoices": "I2", "reason": "客户破产", "written_off_on": "2024-07-31"}


def test_a_request_waits_for_a_second_person_and_is_booked_when_approved(pages):
    manager = pages("credit_manager", "en")
    assert manager.post(PAGE, data=ASK).status_code == 403  # no CSRF token
    asked = manager.post(PAGE, data=ASK | {"csrf_token": csrf(manager, PAGE)})
    assert asked.status_code == 303 and asked.headers["location"] == f"{PAGE}?done=WO-1"
    page = manager.get(asked.headers["location"]).text
    [row] = rows_of(page, "pending")
    assert row[:7] == ["WO-1", "C1 甲公司", "Jul 31, 2024", "CN¥1,500.00", "I2", "客户破产", "user:credit_manager"]
    assert 'action="/risk/write-offs/1/approval"' not in page  # a credit manager may not approve
    assert manager.post(f"{PAGE}/1/approval", data={"csrf_token": csrf(manager, PAGE)}).status_code == 403

    controller = pages("controller", "zh-CN")
    done = controller.post(f"{PAGE}/1/approval", data={"note": "已核实", "csrf_token": csrf(controller, PAGE)})
    assert done.status_code == 303
    decided = rows_of(controller.get(PAGE).text, "decided")
    assert decided[0][:8] == ["WO-1", "C1 甲公司", "2024年7月31日", "¥1,500.00", "¥0.00", "已核销", "user:credit_manager",
                              "user:controller"]
    back = controller.post(f"{PAGE}/1/recovery", data={"amount": "500", "recovered_on": "2024-08-15",
                                                      "csrf_token": csrf(controller, PAGE)})
    assert back.status_code == 303
    assert rows_of(controller.get(PAGE).text, "decided")[0][4] == "¥500.00"


def test_the_requester_cannot_approve_on_the_page(pages):
    controller = pages("controller", "en")
    controller.post(PAGE, data=ASK | {"csrf_token": csrf(controller, PAGE)})
    refused = controller.post(f"{PAGE}/1/approval", data={"csrf_token": csrf(controller, PAGE)})
    assert refused.status_code == 403 and "other than its requester" in refused.text
    assert rows_of(refused.text, "pending")[0][0] == "WO-1"


def test_an_auditor_reads_the_page_without_its_forms_and_a_collector_not_at_all(pages):
    auditor = pages("auditor", "en").get(PAGE)
    assert auditor.status_code == 200 and 'id="request"' not in auditor.text and 'id="pending-empty"' in auditor.text
    assert 'href="/risk/write-offs"' in auditor.text  # in the menu
    assert pages("collector", "en").get(PAGE).status_code == 403


def test_the_invoice_page_names_the_write_off_among_its_allocations(pages):
    manager, controller = pages("credit_manager", "en"), pages("controller", "en")
    manager.post(PAGE, data=ASK | {"csrf_token": csrf(manager, PAGE)})
    controller.post(f"{PAGE}/1/approval", data={"csrf_token": csrf(controller, PAGE)})
    invoice = manager.get("/invoices/I2").text
    assert "Write-off" in invoice and "Credit note" not in invoice
