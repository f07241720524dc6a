"""The credit manager's early-warning flow in the browser, in Chinese: the menu's 风险预警, a scan,
the alerts, one alert acknowledged with a note, commented and resolved; a customer flagged by hand
raising an alert on the next scan; and the warning report downloaded as PDF."""

from __future__ import annotations

import pytest

from e2e.test_browser import open_from_menu, sign_in

pytestmark = pytest.mark.db


def test_a_credit_manager_scans_works_an_alert_and_flags_a_customer(browser_page, people, shoot):
    page = browser_page
    sign_in(page, "credit_manager")
    open_from_menu(page, "/risk/alerts")
    page.wait_for_url("**/risk/alerts")
    assert "没有预警" in page.inner_text("main")
    page.click("#scan-now")
    page.wait_for_url("**/risk/alerts?scanned=1")
    table = page.inner_text("#alerts")
    assert "dpd_90" in table and "C1 甲公司" in table and "集团集中度" in table
    shoot(page, "risk-alerts-zh")

    page.locator("#alerts a", has_text="dpd_90").first.click()
    page.wait_for_url("**/risk/alerts/*")
    page.fill("#alert-actions input[name=note]", "已致电财务，周五付款")
    page.click("#alert-actions button[value=acknowledged]")
    page.wait_for_url("**done=acknowledged")
    assert page.inner_text("#alert-status") == "已确认"
    page.fill("input[name=body]", "已收到付款计划")
    page.click("button:has-text('添加备注')")
    page.wait_for_url("**done=comment")
    assert "已致电财务，周五付款" in page.inner_text("#comments") and "已收到付款计划" in page.inner_text("#comments")
    shoot(page, "risk-alert-zh")
    page.click("#alert-actions button[value=resolved]")
    page.wait_for_url("**done=resolved")
    assert page.inner_text("#alert-status") == "已解决"

    page.goto("/risk/flags")
    form = page.locator("#flag-form")
    form.locator("input[name=customer]").fill("C3")
    form.locator("select[name=kind]").select_option("lawsuit")
    form.locator("input[name=note]").fill("供应商起诉，涉案 50 万元")
    form.locator("button[type=submit]").click()
    page.wait_for_url("**/risk/flags?saved=flag")
    assert "供应商起诉" in page.inner_text("#flags")
    page.goto("/risk/alerts")
    page.click("#scan-now")
    page.wait_for_url("**/risk/alerts?scanned=1")
    assert "人工标记" in page.inner_text("#alerts")

    with page.expect_download() as download:
        page.click("a:has-text('风险预警报告（PDF）')")
    assert download.value.suggested_filename.startswith("warnings-ACME-")
    assert open(download.value.path(), "rb").read(5) == b"%PDF-"
