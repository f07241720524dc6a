"""The credit manager's main flow in the browser: a blocked order waits in the credit queue and is
released with a reason; a large limit request waits for a second person, who approves it; the
customer page then shows the line in force and the customer's credit assessment."""

from __future__ import annotations

import pytest

from credit_support import blocked_order_and_large_request
from e2e.test_browser import sign_in

pytestmark = pytest.mark.db


@pytest.fixture
def credit_people(people, db, tmp_path):
    """C3 has a line of 1,000 while it owes 2,500: its order Q1 is blocked. The credit manager asked
    for 500,000 on C1: above the self-approval limit, a controller's to approve."""
    blocked_order_and_large_request(db, people, tmp_path)
    return people


def test_a_credit_manager_releases_a_blocked_order_and_a_controller_approves_a_large_limit(
        browser_page, credit_people, shoot, chromium, server):
    page = browser_page
    sign_in(page, "credit_manager")
    page.goto("/credit/queue")
    assert "Q1" in page.inner_text("#queue")
    shoot(page, "credit-queue-zh")
    page.fill("#queue input[name=reason]", "客户已预付")
    page.click("#queue button[type=submit]")
    page.wait_for_url("**/credit/queue?released=Q1")
    assert page.locator("#queue-empty").count() == 1

    page.goto("/credit/requests")
    assert "C1" in page.inner_text("#pending")
    shoot(page, "credit-requests-zh")
    page.click("#pending button.primary")  # the requester's own approval: four eyes refuse it
    assert "four eyes" in page.content()

    controller = chromium.new_context(base_url=server.url).new_page()
    sign_in(controller, "controller")
    controller.goto("/credit/requests")
    controller.fill("#pending input[name=note]", "报表已审阅")
    controller.click("#pending button.primary")
    controller.wait_for_url("**/credit/requests**")
    assert controller.locator("#pending-empty").count() == 1
    assert "approved" in controller.inner_text("#decided")
    controller.goto("/customers/C1?as_of=2024-07-01")
    text = controller.content()
    assert "500,000.00" in text
    shoot(controller, "customer-credit-zh")
    controller.context.close()


def test_a_salesperson_requests_a_limit_from_the_customer_page_and_it_waits_for_approval(
        browser_page, people, shoot):
    page = browser_page
    sign_in(page, "sales")  # in Chinese: the user's language
    page.goto("/customers/C2")
    form = page.locator("#limit-request form")
    form.locator("input[name=amount]").fill("80,000")
    form.locator("input[name=term_days]").fill("45")
    form.locator("select[name=rating]").select_option("C")
    form.locator("input[name=reason]").fill("新签年度框架合同")
    form.locator("button[type=submit]").click()
    page.wait_for_url("**/customers/C2?requested=*")
    assert "正在等待审批" in page.inner_text("#limit-requested")
    shoot(page, "customer-limit-request-zh")
