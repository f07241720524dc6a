"""The write-off's main flow in the browser, in Chinese: a credit manager asks to write off C1's I2
(1,500.00 open on the acme ledger), signs out; a controller approves it and it shows as booked."""

from __future__ import annotations

import pytest

from e2e.test_browser import open_from_menu, sign_in

pytestmark = pytest.mark.db


def test_a_write_off_asked_by_one_person_is_approved_by_another(browser_page, people, shoot):
    page = browser_page
    sign_in(page, "credit_manager")
    open_from_menu(page, "/risk/write-offs")
    page.wait_for_url("**/risk/write-offs")
    assert page.inner_text("h1") == "核销"
    form = page.locator("#request")
    form.locator("input[name=invoices]").fill("I2")
    form.locator("input[name=written_off_on]").fill("2024-07-31")
    form.locator("input[name=reason]").fill("客户已破产清算")
    form.locator("button[type=submit]").click()
    page.wait_for_url("**/risk/write-offs?done=WO-1")
    pending = page.inner_text("#pending")
    assert "WO-1" in pending and "¥1,500.00" in pending and "客户已破产清算" in pending
    assert page.locator("#pending button").count() == 0  # a credit manager may not approve
    shoot(page, "write-off-requested-zh")
    page.click("form[action='/sign-out'] button")

    sign_in(page, "controller")
    page.goto("/risk/write-offs")
    row = page.locator("#pending tbody tr", has_text="WO-1")
    row.locator("input[name=note]").first.fill("已核实清算公告")
    row.locator("button.primary").click()
    page.wait_for_url("**/risk/write-offs?done=WO-1")
    assert page.locator("#pending-empty").is_visible()
    booked = page.inner_text("#decided")
    assert "已核销" in booked and "user:credit_manager" in booked and "user:controller" in booked
    shoot(page, "write-off-approved-zh")
