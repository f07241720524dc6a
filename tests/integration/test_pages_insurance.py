"""The credit insurance page over real HTTP on the acme ledger, with the figures of
tests/integration/test_insurance.py: a credit manager adds the policy and the limits through the
forms, sees the split, the excess and the deadlines as of a date, reports the overdue buyer and
moves a claim on; the auditor only reads, a collector may not see it, a sales user sees the portfolio."""

from __future__ import annotations

import pytest

from integration.test_pages import rows_of
from integration.test_pages_admin import csrf

pytestmark = pytest.mark.db
PAGE = "/risk/insurance"
POLICY = {"insurer": "中国信保", "number": "SS-1", "period_from": "2024-01-01", "period_to": "2024-12-31",
          "coverage_share": "0.90", "deductible": "1000", "max_credit_days": "60", "report_overdue_days": "30",
          "claim_days": "60", "claim_from": "report", "alert_days": "7"}


def _post(client, path, form):
    answer = client.post(path, data=dict(form, csrf_token=csrf(client, PAGE)))
    assert answer.status_code == 303, answer.text
    return answer


@pytest.fixture
def manager(pages):
    client = pages("credit_manager", "en")
    assert client.post(PAGE + "/policies", data=POLICY).status_code == 403  # no CSRF token
    _post(client, PAGE + "/policies", POLICY)
    _post(client, PAGE + "/limits", {"kind": "request", "policy": "SS-1", "customer": "C1", "amount": "2000",
                                     "dated_on": "2024-01-05"})
    _post(client, PAGE + "/limits", {"kind": "decision", "policy": "SS-1", "customer": "C1", "amount": "1000",
                                     "dated_on": "2024-01-15", "reference": "SS-L-88"})
    _post(client, PAGE + "/limits", {"kind": "decision", "policy": "SS-1", "customer": "C2", "amount": "5,000",
                                     "dated_on": "2024-02-01"})
    return client


def test_the_page_shows_the_split_and_the_deadlines_as_of_a_date(manager):
    page = manager.get(PAGE, params={"as_of": "2024-04-15"}).text
    assert 'href="/risk/insurance"' in page  # in the menu
    assert [row[:7] for row in rows_of(page, "split-list")[:2]] == [
        ["C1 甲公司", "SS-1", "1,500.00", "1,000.00", "900.00", "600.00", "500.00"],
        ["C2 Beta Ltd", "SS-1", "2,100.00", "5,000.00", "1,890.00", "210.00", "0.00"]]
    assert 'id="deadlines-empty"' in page
    assert [row[0] for row in rows_of(manager.get(PAGE).text, "policy-list")] == ["SS-1"]
    assert [row[3] for row in rows_of(page, "limit-list")] == ["decided", "decided", "requested"]
    due = rows_of(manager.get(PAGE, params={"as_of": "2024-04-23"}).text, "deadline-list")
    assert [row[:5] for row in due] == [["Apr 29, 2024", "report the overdue buyer", "C2 Beta Ltd", "SS-1 · 中国信保", "I3"],
                                        ["Apr 30, 2024", "report the overdue buyer", "C1 甲公司", "SS-1 · 中国信保", "I2"]]


def test_reporting_the_buyer_and_a_claim_through_its_statuses_on_the_page(manager, pages):
    _post(manager, PAGE + "/reports", {"policy": "SS-1", "customer": "C1", "reported_on": "2024-04-25"})
    due = rows_of(manager.get(PAGE, params={"as_of": "2024-04-25"}).text, "deadline-list")
    assert [row[2] for row in due] == ["C2 Beta Ltd"]  # C1 reported
    _post(manager, PAGE + "/claims", {"policy": "SS-1", "customer": "C1", "amount": "1500", "invoices": "I2"})
    draft = manager.get(PAGE).text.split('action="/risk/insurance/claims/')[1].split("/")[0]
    own = manager.post(f"{PAGE}/claims/{draft}/status", data={"status": "filed", "on": "2024-06-18",
                                                             "csrf_token": csrf(manager, PAGE)})
    assert own.status_code == 403  # the drafter never files (four eyes)
    _post(pages("controller", "en"), f"{PAGE}/claims/{draft}/status", {"status": "filed", "on": "2024-06-18"})
    page = manager.get(PAGE).text
    assert rows_of(page, "claim-list")[0][:6] == ["C1 甲公司", "SS-1", "CN¥1,500.00", "I2", "filed", "Jun 18, 2024"]
    claim = page.split('action="/risk/insurance/claims/')[1].split("/")[0]
    refused = manager.post(f"{PAGE}/claims/{claim}/status", data={"status": "paid", "paid_amount": "1",
                                                                 "csrf_token": csrf(manager, PAGE)})
    assert refused.status_code == 409 and "it can move to accepted, rejected, not paid" in refused.text
    _post(manager, f"{PAGE}/claims/{claim}/status", {"status": "accepted", "on": "2024-07-20"})
    _post(manager, f"{PAGE}/claims/{claim}/status", {"status": "paid", "on": "2024-08-01", "paid_amount": "800"})
    assert rows_of(manager.get(PAGE).text, "claim-list")[0][4:7] == ["paid", "Jun 18, 2024", "CN¥800.00"]


def test_a_policy_refused_shows_why_and_the_chinese_page_reads_chinese(manager, pages):
    refused = manager.post(PAGE + "/policies", data=dict(POLICY, number="SS-2", coverage_share="1.5",
                                                         csrf_token=csrf(manager, PAGE)))
    assert refused.status_code == 422 and "coverage share 1.5" in refused.text
    page = pages("auditor", "zh-CN").get(PAGE, params={"as_of": "2024-04-15"}).text
    assert "已投保与未投保敞口" in page and "信用保险" in page
    assert 'id="policy-form"' not in page  # the auditor reads only


def test_who_may_see_and_change_the_page(manager, pages):
    assert pages("collector", "en").get(PAGE).status_code == 403
    sales = pages("sales", "en")
    assert [row[0] for row in rows_of(sales.get(PAGE, params={"as_of": "2024-04-15"}).text, "split-list")[:-1]] == [
        "C2 Beta Ltd"]
    auditor = pages("auditor", "en")
    answer = auditor.post(PAGE + "/reports", data={"policy": "SS-1", "customer": "C1", "csrf_token": csrf(auditor, PAGE)})
    assert answer.status_code == 403
