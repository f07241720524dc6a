"""The controller's provision flow in the browser: open the page from the menu, change the method
from the IFRS 9 matrix to the 账龄分析法 table, and see the numbers change (acme ledger, 2024-06-30;
figures worked out in tests/integration/test_pages_provision.py)."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from credo.domain.risk.provisioning import ladder
from credo.services.risk.provision_settings import change_provision_settings
from e2e.test_browser import open_from_menu, sign_in

pytestmark = pytest.mark.db


def test_a_controller_opens_the_provision_page_and_changes_the_method(browser_page, people, db, shoot):
    with db.begin() as conn:
        change_provision_settings(conn, people, "test", matrix_rates=ladder(
            (30, 60, 90), (D("0.003"), D("0.016"), D("0.036"), D("0.066"), D("0.106"))))
    page = browser_page
    sign_in(page, "controller")
    open_from_menu(page, "/risk/provision")
    page.wait_for_url("**/risk/provision")
    page.fill("#provision-form input[name=as_of]", "2024-06-30")
    page.click("#provision-form button[type=submit]")
    page.wait_for_url("**/risk/provision?*")
    assert page.inner_text("#provision-total").strip() == "395.46"
    shoot(page, "provision-matrix")
    page.select_option("#provision-method", "aging-table")
    page.click("#provision-form button[type=submit]")
    page.wait_for_url("**method=aging-table*")
    assert page.inner_text("#provision-total").strip() == "308.00"
    assert "1年以内" in page.inner_text("#provision-buckets")
    shoot(page, "provision-aging-table")
