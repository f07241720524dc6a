"""The period close in the browser, in Chinese: a controller opens 结账 from the menu, closes June 2024
on the acme ledger (the business clock at 2024-12-07), verifies the stored figures and opens them."""

from __future__ import annotations

import pytest

from credo import clock
from e2e.test_browser import open_from_menu, sign_in

pytestmark = pytest.mark.db


def test_a_controller_closes_june_and_verifies_what_it_stored(browser_page, people, shoot):
    page = browser_page
    with clock.pinned(clock.parse_moment("2024-12-07T10:00:00+08:00")):
        sign_in(page, "controller")
        open_from_menu(page, "/closes")
        page.wait_for_url("**/closes")
        assert page.inner_text("h1") == "结账" and page.inner_text("#lock-date") == "尚未结账"
        page.fill("#close input[name=period_end]", "2024-06-30")
        page.click("#close button[type=submit]")
        page.wait_for_url("**/closes?closed=2024-06-30")
        assert page.inner_text("#lock-date") == "已结账至 2024年6月30日"
        page.click("#verify")
        page.wait_for_url("**/closes/verify")
        assert page.inner_text("#verdict") == "全部 4 项结账数据一致。"
        shoot(page, "closes-verified-zh")
        page.click("#month-ends a")
        page.wait_for_url("**/closes/2024-06-30")
        assert "6,160.00" in page.inner_text("#aging-total")
        shoot(page, "close-month-end-zh")
