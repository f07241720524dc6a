"""The credit manager's credit insurance flow in the browser, in Chinese, on the acme ledger: the
menu entry, a policy and an insured limit added through the forms, the split and the reporting
deadline as of a date, and the overdue buyer reported from the deadline's row."""

from __future__ import annotations

import pytest

from e2e.test_browser import open_from_menu, sign_in

pytestmark = pytest.mark.db


def test_a_credit_manager_adds_a_policy_and_a_limit_and_reports_the_overdue_buyer(browser_page, people, shoot):
    page = browser_page
    sign_in(page, "credit_manager")
    open_from_menu(page, "/risk/insurance")
    page.wait_for_url("**/risk/insurance")
    form = page.locator("#policy-form")
    for name, value in (("insurer", "中国信保"), ("number", "SS-1"), ("period_from", "2024-01-01"),
                        ("period_to", "2024-12-31"), ("deductible", "1000"), ("max_credit_days", "60")):
        form.locator(f"input[name={name}]").fill(value)
    form.locator("button[type=submit]").click()
    page.wait_for_url("**/risk/insurance?done=policy")
    assert "SS-1" in page.inner_text("#policy-list")
    form = page.locator("#limit-form")
    form.locator("select[name=kind]").select_option("decision")
    for name, value in (("policy", "SS-1"), ("customer", "C1"), ("amount", "1000"), ("dated_on", "2024-01-15")):
        form.locator(f"input[name={name}]").fill(value)
    form.locator("button[type=submit]").click()
    page.wait_for_url("**/risk/insurance?done=limit")
    page.goto("/risk/insurance?as_of=2024-04-23")
    split = page.inner_text("#split-list")
    assert "C1 甲公司" in split and "900.00" in split and "600.00" in split  # 1,500 exposed, 1,000 insured at 90 %
    deadlines = page.inner_text("#deadline-list")
    assert "报告逾期买方" in deadlines and "I2" in deadlines
    shoot(page, "insurance-deadlines-zh")
    row = page.locator("#deadline-list tbody tr", has_text="I2")
    row.locator("input[name=reported_on]").fill("2024-04-25")
    row.locator("button[type=submit]").click()
    page.wait_for_url("**/risk/insurance?done=report")
    page.goto("/risk/insurance?as_of=2024-04-25")
    assert page.locator("#deadlines-empty").is_visible()
