"""`credo risk ...` credit insurance as a person uses it, on a hand-built ledger:
K1 (CNY, NET30) owes A1, 10,000.00 of 2026-03-01 due 03-31. The example policy SS-2026-0001
(examples/insurance-policy.json: 90 %, report within 30 days, claim within 60 days of the report,
reminders 7 days ahead); K1 granted 8,000 from 02-01.
As of 04-15: insured min(10,000, 8,000) x 0.9 = 7,200; uninsured 2,800; fraction 0.72; 2,000 beyond.
A1's report deadline 04-30: listed from 04-23 with the default 7 days ahead."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from builders import CUSTOMERS, INVOICES, write_csv

pytestmark = pytest.mark.db
EXAMPLES = Path(__file__).parents[2] / "examples"


@pytest.fixture
def insurance_cli(cli, tmp_path):
    write_csv(tmp_path / "customers.csv", CUSTOMERS, [["K1", "甲方", "CNY", "NET30", "", "", ""]])
    write_csv(tmp_path / "invoices.csv", INVOICES, [["A1", "K1", "2026-03-01", "2026-03-31", "", "10000", ""]])
    for kind in ("customers", "invoices"):
        assert cli("import", kind, tmp_path / f"{kind}.csv")[0] == 0
    code, _, err = cli("risk", "policy", "add", "--file", EXAMPLES / "insurance-policy.json")
    assert code == 0, err
    code, out, err = cli("risk", "insured-limit", "request", "K1", "--policy", "SS-2026-0001", "--amount", "12000",
                         "--on", "2026-01-20", "--format", "json")
    assert code == 0, err
    code, _, err = cli("risk", "insured-limit", "grant", "K1", "--policy", "SS-2026-0001", "--amount", "8000",
                       "--on", "2026-02-01", "--request", json.loads(out)[0]["id"], "--reference", "SL-1")
    assert code == 0, err
    return cli


def _json(run, *args):
    code, out, err = run(*args, "--format", "json")
    assert code == 0, err
    return json.loads(out)


def test_policies_limits_the_split_and_the_excess_from_the_command_line(insurance_cli):
    [policy] = _json(insurance_cli, "risk", "policy", "list")
    assert (policy["coverage_share"], policy["deductible"], policy["report_overdue_days"]) == ("0.90", "5000.00", 30)
    history = _json(insurance_cli, "risk", "insured-limit", "list", "--customer", "K1")
    assert [(h["kind"], h["amount"]) for h in history] == [("request", "12000.00"), ("decision", "8000.00")]
    [split] = _json(insurance_cli, "risk", "insured", "--as-of", "2026-04-15")
    assert [split[k] for k in ("exposure", "limit", "insured", "uninsured", "fraction", "excess")] == [
        "10000.00", "8000.00", "7200.00", "2800.00", "0.720000", "2000.00"]
    assert [b["customer"] for b in _json(insurance_cli, "risk", "beyond-limit", "--as-of", "2026-04-15")] == ["K1"]
    code, out, _ = insurance_cli("risk", "insured", "--as-of", "2026-04-15")
    assert code == 0 and "7200.00" in out


def test_the_deadline_shows_from_its_reminder_day_and_a_report_ends_it(insurance_cli):
    assert _json(insurance_cli, "risk", "deadlines", "--as-of", "2026-04-22") == []
    [due] = _json(insurance_cli, "risk", "deadlines", "--as-of", "2026-04-23")
    assert (due["kind"], due["invoice"], due["deadline"]) == ("report", "A1", "2026-04-30")
    assert len(_json(insurance_cli, "risk", "deadlines", "--as-of", "2026-04-10", "--ahead", "20")) == 1
    [made] = _json(insurance_cli, "risk", "report-overdue", "K1", "--policy", "SS-2026-0001", "--on", "2026-04-24")
    assert made["created"] is True
    assert _json(insurance_cli, "risk", "deadlines", "--as-of", "2026-04-24") == []
    [claim] = _json(insurance_cli, "risk", "deadlines", "--as-of", "2026-06-16")  # 04-24 + 60 = 06-23, less 7
    assert (claim["kind"], claim["deadline"]) == ("claim", "2026-06-23")


def test_a_claim_is_filed_decided_and_paid_from_the_command_line(insurance_cli):
    code, _, err = insurance_cli("risk", "claim", "file", "K1", "--policy", "SS-2026-0001", "--amount", "10000.01",
                                 "--invoice", "A1", "--on", "2026-06-20")
    assert code == 2 and "10000.01 CNY exceeds what is open and insured on its invoices on 2026-06-20: " \
                         "10000.00 CNY (A1 10000.00)" in err, err
    code, _, err = insurance_cli("risk", "claim", "file", "K1", "--policy", "SS-2026-0001", "--amount", "10000",
                                 "--invoice", "A1", "--filed-on", "2026-06-20")
    assert code == 2 and "four eyes: a claim is drafted by one person and filed by another" in err
    [draft] = _json(insurance_cli, "risk", "claim", "file", "K1", "--policy", "SS-2026-0001", "--amount", "10000",
                    "--invoice", "A1", "--on", "2026-06-20")
    assert (draft["status"], draft["invoices"]) == ("draft", ["A1"])
    code, _, err = insurance_cli("risk", "claim", "update", draft["id"], "--status", "filed", "--on", "2026-06-20")
    assert code == 2 and "four eyes" in err and "(user:tester)" in err
    insurance_cli.user("wu", "controller")
    [claim] = _json(insurance_cli, "--as", "wu", "risk", "claim", "update", draft["id"], "--status", "filed",
                    "--on", "2026-06-20")
    assert claim["status"] == "filed"
    code, _, err = insurance_cli("risk", "claim", "update", claim["id"], "--status", "paid", "--paid", "1")
    assert code == 2 and "filed: it can move to accepted, rejected, not paid" in err
    assert insurance_cli("risk", "claim", "update", claim["id"], "--status", "accepted", "--on", "2026-07-10")[0] == 0
    [paid] = _json(insurance_cli, "risk", "claim", "update", claim["id"], "--status", "paid", "--paid", "2200",
                   "--on", "2026-08-01")
    assert (paid["status"], paid["paid_amount"], paid["paid_on"]) == ("paid", "2200.00", "2026-08-01")
    assert [c["status"] for c in _json(insurance_cli, "risk", "claim", "list")] == ["paid"]


def test_a_policy_with_options_and_the_errors_a_person_can_fix(insurance_cli):
    code, _, err = insurance_cli("risk", "policy", "add", "--number", "EH-1", "--insurer", "Euler Hermes",
                                 "--from", "2026-01-01", "--to", "2026-12-31", "--coverage", "85%",
                                 "--claim-from", "due_date", "--claim-days", "150")
    assert code == 0, err
    assert [p["coverage_share"] for p in _json(insurance_cli, "risk", "policy", "list")] == ["0.85", "0.90"]
    code, _, err = insurance_cli("risk", "policy", "add", "--number", "EH-1", "--insurer", "x", "--from",
                                 "2026-01-01", "--to", "2026-12-31")
    assert code == 2 and "recorded already" in err
    code, _, err = insurance_cli("risk", "insured-limit", "grant", "NOPE", "--policy", "EH-1", "--amount", "1")
    assert code == 2 and "no customer" in err


def test_a_policy_file_missing_its_terms_is_refused_with_what_is_missing(insurance_cli, tmp_path):
    path = tmp_path / "policy.json"
    path.write_text(json.dumps({"insurer": "Coface", "number": "CF-1", "period_from": "2026-01-01",
                                "period_to": "2026-12-31", "claim_days": "sixty"}), encoding="utf-8")
    code, _, err = insurance_cli("risk", "policy", "add", "--file", path)
    assert code == 2 and "max_credit_days, report_overdue_days missing" in err
    path.write_text(json.dumps({"insurer": "Coface", "number": "CF-1", "period_from": "2026-01-01",
                                "period_to": "2026-12-31", "max_credit_days": 90, "report_overdue_days": 30,
                                "claim_days": "sixty"}), encoding="utf-8")
    code, _, err = insurance_cli("risk", "policy", "add", "--file", path)
    assert code == 2 and "claim_days must be a whole number of days" in err
