"""The late interest report page in the browser, in Chinese and English: C1 of the acme ledger at
万分之五 a day with 5 grace days; as of 2024-04-15 I1 (1,000.00 due 02-09, paid 02-20) has 5 days x
0.50 = 2.50 and I2 (1,500.00 open from 04-06) 10 days x 0.75 = 7.50: 10.00 to charge."""

from __future__ import annotations

import pytest

from builders import contract_terms
from e2e.test_browser import sign_in

pytestmark = pytest.mark.db


def test_a_controller_opens_the_late_interest_report_in_chinese_and_english(browser_page, people, db, shoot):
    contract_terms(db, people)
    page = browser_page
    sign_in(page, "controller")
    page.goto("/reports/aging")
    page.click("nav.tabs a[href='/reports/interest']")
    page.wait_for_url("**/reports/interest")
    page.fill("input[name=as_of]", "2024-04-15")
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**/reports/interest?as_of=2024-04-15*")
    assert page.inner_text("h1") == "报表" and "逾期罚息" in page.inner_text("nav.tabs a.active")
    assert page.inner_text("#interest-to-charge") == "¥10.00"
    rows = [r.split("\t") for r in page.inner_text("#interest-invoices tbody").splitlines()]
    assert [(r[1], r[4], r[8]) for r in rows] == [("I1", "¥2.50", "¥2.50"), ("I2", "¥7.50", "¥7.50")]
    shoot(page, "report-interest-zh")
    page.click("a[hreflang=en]")
    page.wait_for_url("**/reports/interest?as_of=2024-04-15*")
    assert "Late interest" in page.inner_text("nav.tabs a.active")
    assert page.inner_text("#interest-to-charge") == "CN¥10.00"
    assert "To charge" in page.inner_text("#interest-customers thead")
    shoot(page, "report-interest-en")
