"""The provision page over real HTTP on the acme ledger as of 2024-06-30: C1 owes 1,500 on I2
(due 03-31, 91 days past due), C2 USD 300 on I3 (due 03-30, 92 days; 2,160.00 at 7.2), C3 2,500
on I4 (due 07-19, not due). Every invoice is under a year old."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from credo.domain.risk.provisioning import ladder
from credo.services.risk.provision_settings import change_provision_settings
from integration.test_pages import rows_of

pytestmark = pytest.mark.db
IFRS9 = ladder((30, 60, 90), (D("0.003"), D("0.016"), D("0.036"), D("0.066"), D("0.106")))


@pytest.fixture
def matrix(db, people):
    with db.begin() as conn:
        change_provision_settings(conn, people, "test", matrix_rates=IFRS9)
    return people


def test_the_matrix_per_bucket_and_the_customers_in_english(pages, matrix):
    page = pages("controller", "en").get("/risk/provision", params={"as_of": "2024-06-30"})
    assert page.status_code == 200 and 'href="/risk/provision"' in page.text
    # Not due 2,500 x 0.3 % = 7.50; >90: 1,500 x 10.6 % = 159.00 and 2,160 x 10.6 % = 228.96.
    assert rows_of(page.text, "provision-buckets") == [
        ["Not due", "2,500.00", "0.30%", "7.50"], ["1-30 days", "0.00", "1.60%", "0.00"],
        ["31-60 days", "0.00", "3.60%", "0.00"], ["61-90 days", "0.00", "6.60%", "0.00"],
        [">90 days", "3,660.00", "10.60%", "387.96"]]
    assert 'id="provision-total">395.46<' in page.text
    assert [r[0] for r in rows_of(page.text, "provision-customers")] == ["C2", "C1", "C3"]


def test_the_aging_table_in_chinese(pages, matrix):
    page = pages("auditor", "zh-CN").get("/risk/provision", params={"as_of": "2024-06-30", "method": "aging-table"})
    assert page.status_code == 200 and "坏账准备计提" in page.text
    # (1,500 + 2,160 + 2,500) x 5 % = 308.00
    assert rows_of(page.text, "provision-buckets")[0] == ["1年以内", "6,160.00", "5.00%", "308.00"]
    assert 'id="provision-total">308.00<' in page.text
    assert rows_of(page.text, "provision-customers")[0][:3] == ["C3", "丙公司", "账龄比例"]  # 125.00, the largest


def test_a_collector_has_no_provision_page(pages, matrix):
    client = pages("collector", "en")
    assert client.get("/risk/provision").status_code == 403
    assert 'href="/risk/provision"' not in client.get("/worklist").text


def test_a_customer_assessed_individually_shows_both_figures_and_the_rule(db, pages, matrix):
    from datetime import date

    from credo.services.risk.provision_settings import set_specific

    with db.begin() as conn:
        change_provision_settings(conn, matrix, "test", specific_rule="higher")
        set_specific(conn, matrix, "test", customer="C3", amount="100", reason="disputed",
                     valid_from=date(2024, 6, 1))
    page = pages("controller", "en").get("/risk/provision", params={"as_of": "2024-06-30"})
    assert "the higher of the specific and the collective figure counts" in page.text
    # C3: collective 2,500 x 0.3 % = 7.50, specific 100.00: the higher, 100; 395.46 - 7.50 + 100 = 487.96.
    c3 = next(r for r in rows_of(page.text, "provision-customers") if r[0] == "C3")
    assert c3[3:] == ["2,500.00", "7.50", "100.00", "0%", "100.00"]
    assert 'id="provision-collective">395.46<' in page.text and 'id="provision-specific">92.50<' in page.text
    assert 'id="provision-total">487.96<' in page.text
