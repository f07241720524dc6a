"""`credo interest ...` as a person uses it: terms, the report, debit notes, waivers, reference rates."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from builders import CUSTOMERS, INVOICES, write_csv

pytestmark = pytest.mark.db
EXAMPLES = Path(__file__).parents[2] / "examples"


@pytest.fixture
def interest_cli(cli, tmp_path):
    write_csv(tmp_path / "customers.csv", CUSTOMERS, [["K1", "甲方", "CNY", "NET30", "", "", ""]])
    write_csv(tmp_path / "invoices.csv", INVOICES, [["A1", "K1", "2026-05-01", "2026-05-31", "", "10000", ""]])
    for kind in ("customers", "invoices"):
        assert cli("import", kind, tmp_path / f"{kind}.csv")[0] == 0
    code, _, err = cli("interest", "terms", "set", "--customer", "K1", "--valid-from", "2026-01-01", "--rate", "0.05",
                       "--basis", "daily", "--grace-days", "5", "--debit-note")
    assert code == 0, err
    return cli


def test_the_report_charge_and_a_waiver_from_the_command_line(interest_cli):
    # 10,000.00 from 06-06 to 06-15: 10 days x 5.00 = 50.00
    code, out, _ = interest_cli("interest", "report", "--as-of", "2026-06-15", "--format", "json")
    assert code == 0 and json.loads(out)["customers"][0]["to_charge"] == "50.00"
    code, out, _ = interest_cli("interest", "charge", "--as-of", "2026-06-15", "--format", "json")
    assert code == 0 and json.loads(out)["debit_notes"][0]["number"] == "DN-K1-20260615"
    code, out, _ = interest_cli("interest", "charge", "--as-of", "2026-06-15", "--format", "json")
    assert json.loads(out)["debit_notes"] == []
    code, out, _ = interest_cli("interest", "waive", "DN-K1-20260615", "--amount", "20", "--reason", "goodwill",
                                "--as-of", "2026-06-20", "--format", "json")
    asked = json.loads(out)[0]
    assert code == 0 and asked["status"] == "pending"  # a second person decides
    interest_cli.user("ma", "credit_manager")
    code, out, err = interest_cli("--as", "ma", "interest", "approve", asked["id"], "--as-of", "2026-06-20",
                                  "--format", "json")
    assert code == 0 and json.loads(out)[0]["status"] == "approved", err
    code, out, _ = interest_cli("interest", "waivers")
    assert code == 0 and "goodwill" in out


def test_the_requester_cannot_approve_a_waiver_above_the_threshold(interest_cli):
    assert interest_cli("interest", "settings", "--waiver-threshold", "10")[0] == 0
    code, out, _ = interest_cli("interest", "waive", "A1", "--amount", "20", "--reason", "x", "--as-of", "2026-06-15",
                                "--format", "json")
    assert json.loads(out)[0]["status"] == "pending"
    code, _, err = interest_cli("interest", "approve", json.loads(out)[0]["id"], "--as-of", "2026-06-15")
    assert code == 2 and "other than its requester" in err


def test_the_example_reference_rates_import_and_a_second_import_changes_nothing(interest_cli):
    code, out, err = interest_cli("import", "reference-rates", EXAMPLES / "reference-rates.csv")
    assert code == 0, err
    code, out, err = interest_cli("import", "reference-rates", EXAMPLES / "reference-rates.csv")
    assert code == 0 and "12 unchanged" in out + err, out + err


def test_a_bad_reference_rate_row_is_named_by_file_row_and_column(interest_cli, tmp_path):
    path = write_csv(tmp_path / "rates.csv", ["statute", "half_year", "rate"], [["uk_1998", "2025-03-01", "4.5"]])
    code, _, err = interest_cli("import", "reference-rates", path)
    assert code == 2 and "rates.csv:2:half_year" in err


@pytest.mark.parametrize("args, message", [
    (("interest", "report", "--as-of", "30/6/2026"), "not a date"),
    (("interest", "terms", "set", "--basis", "weekly"), "interest terms"),
    (("interest", "report", "--customer", "NOPE"), "no customer 'NOPE'"),
    (("interest", "approve", "99"), "no interest waiver 99"),
])
def test_bad_input_exits_2_with_a_message(interest_cli, args, message):
    code, _, err = interest_cli(*args)
    assert code == 2 and message in err


def test_every_interest_command_has_help(cli):
    for args in (("interest",), ("interest", "terms"), ("interest", "report"), ("interest", "charge"),
                 ("interest", "waive"), ("interest", "approve"), ("interest", "reject"), ("interest", "waivers"),
                 ("interest", "terms", "set"), ("interest", "terms", "show"), ("interest", "settings")):
        code, out, _ = cli(*args, "--help")
        assert code == 0 and "Usage" in out
