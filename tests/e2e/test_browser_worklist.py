"""The collector's main flow in the browser: the worklist for today, the customer's page, a call
logged with a next follow-up date, and the follow-up task it raised, in Chinese."""

from __future__ import annotations

from datetime import timedelta

import pytest

from credo import clock

from e2e.test_browser import open_from_menu, sign_in

pytestmark = pytest.mark.db


def test_a_collector_opens_the_worklist_logs_a_call_and_sees_the_follow_up_task(browser_page, people, shoot):
    page = browser_page
    sign_in(page, "collector")  # portfolio wang: C1 of the acme ledger
    open_from_menu(page, "/worklist")
    page.wait_for_url("**/worklist")
    assert "C1 甲公司" in page.inner_text("#worklist")
    shoot(page, "worklist-zh")
    page.click("#worklist a[href='/customers/C1']")
    page.wait_for_url("**/customers/C1")
    follow_up = clock.today() + timedelta(days=4)
    form = page.locator("#log-activity")
    form.locator("select[name=kind]").select_option("call")
    form.locator("input[name=contact]").fill("李会计")
    form.locator("input[name=outcome]").fill("答应周五付款")
    form.locator("input[name=next_follow_up]").fill(follow_up.isoformat())
    form.locator("button[type=submit]").click()
    page.wait_for_url("**/customers/C1#activities")
    assert "答应周五付款" in page.inner_text("#customer-activities")
    assert "跟进: 答应周五付款" in page.inner_text("#customer-tasks")
    page.locator("#activities").scroll_into_view_if_needed()
    shoot(page, "customer-activities-zh")
