"""The dunning page over real HTTP: what is due as of a date on the acme ledger, for those who may
run dunning, in Chinese and English; refused to the rest."""

from __future__ import annotations

import pytest

from integration.test_pages import rows_of

pytestmark = pytest.mark.db


def test_the_credit_manager_sees_one_line_per_customer_at_its_step(pages):
    page = pages("credit_manager", "en").get("/dunning?as_of=2024-04-15")
    assert page.status_code == 200
    rows = rows_of(page.text, "proposals")
    assert [(r[0], r[1], r[2]) for r in rows] == [("C1 甲公司", "key_accounts", "2 · friendly reminder"),
                                                  ("C2 Beta Ltd", "standard", "2 · first notice")]
    assert rows[1][-1] == "CN¥2,100.00" and 'id="send"' in page.text
    chinese = pages("admin", "zh-CN").get("/dunning?as_of=2024-04-15").text
    assert "催收" in chinese and "邮件" in chinese and "立即发送" in chinese


@pytest.mark.parametrize("role", ["collector", "sales", "controller", "auditor"])
def test_the_dunning_page_is_refused_to_those_who_may_not_run_it(pages, role):
    assert pages(role, "en").get("/dunning").status_code == 403
