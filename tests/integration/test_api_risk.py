"""The early-warning routes on the hand-worked ledger of tests/risk_support.py (as of 2024-06-30)."""

from __future__ import annotations

import pytest

from credo.api.app import API_PREFIX as API
from risk_support import build_risk_ledger

pytestmark = pytest.mark.db


@pytest.fixture
def risky(db, company, tmp_path):
    build_risk_ledger(db, company, tmp_path)
    return company


def call(server, token, method, path, json=None, **params):
    with server.client(token) as client:
        return client.request(method, API + path, json=json, params=params)


def test_a_scan_raises_the_alerts_once_and_a_manager_works_one_through(server, risky, tokens):
    manager = tokens["credit_manager"]
    first = call(server, manager, "POST", "/risk/scans", {"as_of": "2024-06-30"}).json()
    again = call(server, manager, "POST", "/risk/scans", {"as_of": "2024-06-30"}).json()
    assert (first["alerts_raised"], again["alerts_raised"], again["still_open"]) == (14, 0, 14)

    high = call(server, tokens["auditor"], "GET", "/risk/alerts", severity="high").json()
    assert [(a["rule"], a["subject"], a["value"]) for a in high] == [
        ("dpd_90", "A", "91"), ("altman_distress", "A", "1"), ("returned_payments_90d", "D", "1"),
        ("manual_flag", "A", "1")]
    alert = high[0]["id"]
    call(server, manager, "POST", f"/risk/alerts/{alert}/comments", {"body": "已电话联系"})
    done = call(server, manager, "POST", f"/risk/alerts/{alert}/status",
                {"status": "resolved", "note": "plan agreed", "on": "2024-07-02"}).json()
    assert (done["status"], done["resolved_on"], done["resolved_by"]) == ("resolved", "2024-07-02", "user:credit_manager")
    assert [c["body"] for c in done["comments"]] == ["已电话联系", "plan agreed"]
    again = call(server, manager, "POST", f"/risk/alerts/{alert}/status", {"status": "resolved"})
    assert again.status_code == 409


def test_the_report_downloads_as_json_pdf_and_xlsx(server, risky, tokens):
    call(server, tokens["admin"], "POST", "/risk/scans", {"as_of": "2024-06-30"})
    found = call(server, tokens["controller"], "GET", "/reports/warnings", as_of="2024-06-30").json()
    assert found["counts"] == {"high": 4, "medium": 9, "low": 1}
    pdf = call(server, tokens["controller"], "GET", "/reports/warnings", as_of="2024-06-30", format="pdf")
    xlsx = call(server, tokens["controller"], "GET", "/reports/warnings", as_of="2024-06-30", format="xlsx",
                language="en")
    assert pdf.headers["content-type"] == "application/pdf" and pdf.content.startswith(b"%PDF-")
    assert xlsx.headers["content-disposition"] == 'attachment; filename="warnings-ACME-2024-06-30.xlsx"'


def test_rules_and_flags_through_the_api(server, risky, tokens):
    manager = tokens["credit_manager"]
    rules = call(server, tokens["auditor"], "GET", "/risk/rules").json()
    assert {r["code"]: r["threshold"] for r in rules}["dpd_90"] == "90"
    changed = call(server, manager, "PUT", "/risk/rules/dpd_90", {"threshold": "120", "severity": "medium"}).json()
    assert (changed["threshold"], changed["severity"]) == ("120", "medium")
    bad = call(server, manager, "PUT", "/risk/rules/new_one", {"threshold": "1"})
    assert bad.status_code in (400, 422)
    flag = call(server, manager, "POST", "/risk/flags",
                {"customer_code": "C", "kind": "management_change", "note": "CFO left", "flagged_on": "2024-06-25"})
    assert flag.status_code == 201
    found = call(server, manager, "POST", "/risk/scans", {"as_of": "2024-06-30"}).json()
    assert ("manual_flag", "C", "1") in {(a["rule"], a["subject"], a["value"]) for a in found["raised"]}
    assert ("dpd_90", "A") not in {(a["rule"], a["subject"]) for a in found["raised"]}
    cleared = call(server, manager, "POST", f"/risk/flags/{flag.json()['id']}/clearance", {"cleared_on": "2024-07-01"})
    assert cleared.json()["cleared_on"] == "2024-07-01"
