"""`credo risk ...` against the test database, on the hand-worked ledger of tests/risk_support.py."""

from __future__ import annotations

import json

import pytest

from credo.services.companies import get_company
from risk_support import build_risk_ledger

pytestmark = pytest.mark.db


@pytest.fixture
def risky_cli(cli, db, tmp_path):
    with db.begin() as conn:
        company = get_company(conn, "ACME")
    build_risk_ledger(db, company, tmp_path)
    return cli


def test_the_scan_prints_the_alerts_it_raised_as_json_and_nothing_the_second_time(risky_cli):
    code, out, _ = risky_cli("risk", "scan", "--as-of", "2024-06-30", "--format", "json")
    assert code == 0
    raised = json.loads(out)
    assert len(raised) == 14
    assert {k: raised[0][k] for k in ("rule", "subject", "indicator", "value", "threshold", "severity")} == {
        "rule": "dpd_60", "subject": "A", "indicator": "days_past_due", "value": "91", "threshold": "60",
        "severity": "medium"}
    code, out, _ = risky_cli("risk", "scan", "--as-of", "2024-06-30", "--format", "json")
    assert (code, json.loads(out)) == (0, [])


def test_alerts_are_listed_acknowledged_commented_and_resolved(risky_cli):
    risky_cli("risk", "scan", "--as-of", "2024-06-30")
    code, out, _ = risky_cli("risk", "alerts", "--severity", "low", "--format", "json")
    [low] = json.loads(out)
    assert (low["rule"], low["subject"], low["value"]) == ("disputes_180d", "C", "0.5000")
    assert risky_cli("risk", "alert", "ack", low["id"], "--on", "2024-07-01", "--note", "quality claim")[0] == 0
    assert risky_cli("risk", "alert", "comment", low["id"], "credit note coming")[0] == 0
    code, out, _ = risky_cli("risk", "alert", "resolve", low["id"], "--on", "2024-07-03", "--format", "json")
    done = json.loads(out)
    assert (done["status"], done["acknowledged_on"], done["resolved_on"]) == ("resolved", "2024-07-01", "2024-07-03")
    assert [c["body"] for c in done["comments"]] == ["quality claim", "credit note coming"]
    code, _, err = risky_cli("risk", "alert", "resolve", low["id"])
    assert code == 2 and "resolved already" in err


def test_flags_rules_report_and_digest_commands(risky_cli, tmp_path):
    code, out, _ = risky_cli("risk", "flag", "D", "--kind", "lawsuit", "--note", "起诉", "--on", "2024-06-28",
                             "--format", "json")
    flag = json.loads(out)[0]
    assert (code, flag["customer"], flag["kind"]) == (0, "D", "lawsuit")
    assert risky_cli("risk", "rules", "set", "dpd_60", "--threshold", "95", "--format", "json")[0] == 0
    code, out, _ = risky_cli("risk", "rules", "list", "--format", "json")
    assert {r["code"]: r["threshold"] for r in json.loads(out)}["dpd_60"] == "95"
    code, out, _ = risky_cli("risk", "scan", "--as-of", "2024-06-30", "--format", "json")
    hits = {(a["rule"], a["subject"]) for a in json.loads(out)}
    assert ("manual_flag", "D") in hits and ("dpd_60", "A") not in hits
    assert risky_cli("risk", "unflag", flag["id"], "--on", "2024-07-01")[0] == 0
    report = tmp_path / "warnings.xlsx"
    code, _, err = risky_cli("risk", "report", "--as-of", "2024-06-30", "--format", "xlsx", "-o", report)
    assert code == 0 and report.read_bytes().startswith(b"PK") and "14 alerts" in err
    code, out, _ = risky_cli("risk", "digest", "--as-of", "2024-06-30")
    shown = json.loads(out)
    assert (shown["alerts"], shown["new"], shown["recipients"], shown["sent_at"]) == (14, 14, [], None)
    assert shown["text"].startswith("未解决预警 14 条：高 5 条，中 8 条，低 1 条\n当日新增 14 条\n")  # D flagged, dpd_60 now over 95
    assert risky_cli("risk", "--help")[0] == 0
