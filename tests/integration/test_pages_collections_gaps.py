"""Pages over real HTTP on the acme ledger (tests/conftest.py): the disputed column of the aging
page, the late interest report page, and dunning steps named in the page's language."""

from __future__ import annotations

import re

import pytest

from builders import contract_terms
from integration.test_pages import rows_of
from integration.test_pages_admin import csrf

pytestmark = pytest.mark.db


def test_the_aging_page_shows_disputed_amounts_in_a_column_apart(pages):
    client = pages("collector", "en")  # portfolio wang: C1
    client.post("/customers/C1/disputes", data={"invoice": "I2", "amount": "600.00", "reason": "price",
                                                "owner": "wang", "csrf_token": csrf(client, "/customers/C1")})
    html = client.get("/reports/aging", params={"by": "customer"}).text
    assert ">Disputed</th>" in html
    [row] = rows_of(html, "aging")
    # C1: I2's 1,500.00 stays in its bucket and in the total; 600.00 of it is disputed, shown apart.
    assert row[0] == "C1" and row[-4:] == ["1,500.00", "0.00", "1,500.00", "600.00"]
    footer = re.findall(r"<td[^>]*>(.*?)</td>", re.search(r"<tfoot>.*?</tfoot>", html, re.S).group(0))
    assert footer[-1] == "600.00"
    zh = pages("credit_manager", "zh-CN").get("/reports/aging").text
    assert ">争议金额</th>" in zh.split('<table id="aging"')[1].split("</thead>")[0]


def test_the_late_interest_page_shows_the_report_to_those_who_read_reports(pages, db, people):
    contract_terms(db, people)
    client = pages("auditor", "en")
    html = client.get("/reports/interest", params={"as_of": "2024-04-15"}).text
    # C1 at 0.05 % a day, 5 grace days: I1 2.50 (5 days x 0.50), I2 7.50 (10 days x 0.75).
    assert rows_of(html, "interest-customers") == [["C1", "10.00", "0.00", "0.00", "10.00"]]
    assert [r[1] for r in rows_of(html, "interest-invoices")] == ["I1", "I2"]
    link = re.search(r'href="([^"]+)" download id="interest-xlsx"', html).group(1).replace("&amp;", "&")
    assert link.startswith("/api/v1/reports/interest?as_of=2024-04-15") and "format=xlsx" in link
    assert client.get(link).headers["content-type"].startswith("application/vnd.openxmlformats")
    empty = client.get("/reports/interest", params={"as_of": "2024-02-01"}).text
    assert 'id="interest-empty"' in empty
    assert "逾期罚息" in pages("controller", "zh-CN").get("/reports/interest").text
    assert pages("collector", "en").get("/reports/interest").status_code == 403


def test_dunning_steps_are_named_in_the_page_language(pages):
    rows = rows_of(pages("admin", "zh-CN").get("/dunning?as_of=2024-04-15").text, "proposals")
    assert [r[2] for r in rows] == ["2 · 温馨提醒", "2 · 首次催收通知"]  # friendly reminder, first notice
    rows = rows_of(pages("admin", "en").get("/dunning?as_of=2024-04-15").text, "proposals")
    assert [r[2] for r in rows] == ["2 · friendly reminder", "2 · first notice"]
