"""The credit manager's last resorts in the browser: from the customer page to the escalation
cases page, a debt handed to an agency with its expected net, then a recovery recorded; and the
statement of account offered as a PDF on the customer page."""

from __future__ import annotations

import pytest

from e2e.test_browser import sign_in

pytestmark = pytest.mark.db


def test_a_credit_manager_hands_a_debt_to_an_agency_and_records_a_recovery(browser_page, people, shoot):
    page = browser_page
    sign_in(page, "credit_manager")
    page.goto("/customers/C1")
    assert page.locator("#statement-link").get_attribute("href") == "/customers/C1/statement.pdf"
    page.click("a[href='/cases?customer=C1#case-form']")
    page.wait_for_url("**/cases?customer=C1*")
    form = page.locator("#case-form")
    assert form.locator("input[name=customer]").input_value() == "C1"
    form.locator("select[name=kind]").select_option("legal")
    form.locator("input[name=handler]").fill("金杜律师事务所")
    form.locator("input[name=recovery_rate]").fill("50")
    form.locator("input[name=amount]").fill("8000")
    form.locator("input[name=fixed_cost]").fill("1200")
    form.locator("button[type=submit]").click()
    page.wait_for_url("**/cases?done=opened")
    row = page.locator("#cases tbody tr").first
    # 50 % of 8,000 = 4,000 expected; cost 1,200; net 2,800.
    assert "金杜律师事务所" in row.inner_text() and "2,800.00" in row.inner_text()
    row.locator("input[name=amount]").fill("1500")
    row.locator("form[action$='/recovery'] button").click()
    page.wait_for_url("**/cases?done=recovered")
    assert "1,500.00" in page.locator("#cases tbody tr").first.inner_text()
    shoot(page, "cases-zh")
