"""`credo risk write-off ...`, `credo risk recover|movement|journal` as a person uses them.

K1 owes A1 10,000.00 CNY, due 2026-01-31: on 2026-06-30 it is 150 days past due; at --rate 0.5 the
allowance is 5,000.00 from 2026-05-02 on (more than 90 days). Written off on 2026-06-30, June's
movement: opening 5,000.00 (as of 05-31), used 10,000.00, closing 0.00, so a charge of 5,000.00."""

from __future__ import annotations

import csv
import json

import pytest

from builders import CUSTOMERS, INVOICES, write_csv

pytestmark = pytest.mark.db


@pytest.fixture
def wo_cli(cli, tmp_path):
    write_csv(tmp_path / "customers.csv", CUSTOMERS, [["K1", "甲方", "CNY", "NET30", "", "", ""]])
    write_csv(tmp_path / "invoices.csv", INVOICES, [["A1", "K1", "2026-01-01", "2026-01-31", "", "10000", ""]])
    for kind in ("customers", "invoices"):
        assert cli("import", kind, tmp_path / f"{kind}.csv")[0] == 0
    return cli


def test_request_approve_by_another_recover_and_the_reports(wo_cli, monkeypatch, tmp_path):
    monkeypatch.setenv("CREDO_ACTOR", wo_cli.user("li", "controller"))
    code, out, err = wo_cli("risk", "write-off", "request", "A1", "--reason", "bankrupt", "--as-of", "2026-06-30",
                            "--format", "json")
    assert code == 0, err
    asked = json.loads(out)[0]
    assert (asked["status"], asked["amount"], asked["invoices"]) == ("pending", "10000.00", ["A1"])
    code, _, err = wo_cli("risk", "write-off", "approve", asked["id"])
    assert code == 2 and "other than its requester" in err
    monkeypatch.setenv("CREDO_ACTOR", wo_cli.user("wu", "controller"))
    code, out, err = wo_cli("risk", "write-off", "approve", asked["id"], "--format", "json")
    assert code == 0 and json.loads(out)[0]["status"] == "approved", err
    code, _, err = wo_cli("risk", "write-off", "approve", asked["id"])
    assert code == 2 and "approved already" in err
    code, out, _ = wo_cli("report", "aging", "--as-of", "2026-06-30", "--format", "json")
    assert json.loads(out)["totals"]["total"] == "0.00"
    code, out, _ = wo_cli("report", "aging", "--as-of", "2026-06-29", "--format", "json")
    assert json.loads(out)["totals"]["total"] == "10000.00"

    code, out, err = wo_cli("risk", "movement", "--from", "2026-06-01", "--to", "2026-06-30", "--rate", "0.5",
                            "--format", "json")
    assert code == 0, err
    assert json.loads(out)["total"] | {} == {"from": "2026-06-01", "to": "2026-06-30", "opening": "5000.00",
                                             "charge": "5000.00", "used": "10000.00", "recovered": "0.00",
                                             "released": "0.00", "closing": "0.00"}
    code, _, err = wo_cli("risk", "journal", "--from", "2026-06-01", "--to", "2026-06-30", "--rate", "0.5",
                          "-o", tmp_path / "j.csv")
    assert code == 0 and "debits 15000.00 = credits 15000.00" in err, err
    with (tmp_path / "j.csv").open(encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.reader(stream))[1:]
    assert [(r[1], r[2], r[3]) for r in rows] == [("1231", "10000.00", "0.00"), ("1122", "0.00", "10000.00"),
                                                  ("6702", "5000.00", "0.00"), ("1231", "0.00", "5000.00")]

    code, out, err = wo_cli("risk", "recover", asked["id"], "--amount", "4000", "--as-of", "2026-07-15",
                            "--format", "json")
    assert code == 0 and json.loads(out)[0]["recovered_amount"] == "4000.00", err
    code, out, _ = wo_cli("report", "aging", "--as-of", "2026-07-15", "--format", "json")
    assert json.loads(out)["totals"]["total"] == "4000.00"
    code, out, _ = wo_cli("risk", "write-off", "list", "--status", "approved")
    assert code == 0 and "bankrupt" in out


def test_a_rejection_and_a_journal_file_must_be_csv_or_xlsx(wo_cli, monkeypatch, tmp_path):
    code, out, _ = wo_cli("risk", "write-off", "request", "--customer", "K1", "--amount", "2500", "--reason", "x",
                          "--as-of", "2026-06-30", "--format", "json")
    asked = json.loads(out)[0]
    assert asked["amount"] == "2500.00"
    code, out, err = wo_cli("risk", "write-off", "reject", asked["id"], "--note", "collect first", "--format", "json")
    assert code == 0 and json.loads(out)[0]["status"] == "rejected", err
    code, _, err = wo_cli("risk", "journal", "--from", "2026-06-01", "--to", "2026-06-30", "-o", tmp_path / "j.txt")
    assert code == 2 and ".csv or .xlsx" in err
    code, _, err = wo_cli("risk", "journal", "--from", "2026-06-01", "--to", "2026-06-30", "-o", tmp_path / "j.xlsx")
    assert code == 0 and (tmp_path / "j.xlsx").stat().st_size > 0
    code, out, err = wo_cli("risk", "journal-accounts", "--allowance", "1231.01")
    assert code == 0 and "1231.01" in out, err
