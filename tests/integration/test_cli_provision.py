"""`credo risk provision|specific|provision-settings` as a person uses them, on the small ledger."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from builders import write_csv
from credo.services.companies import get_company
from provision_support import small_ledger

pytestmark = pytest.mark.db
EXAMPLES = Path(__file__).parents[2] / "examples"


@pytest.fixture
def provision_cli(cli, db, tmp_path):
    with db.connect() as conn:
        company = get_company(conn, "ACME")
    small_ledger(db, company, tmp_path)
    return cli


@pytest.fixture
def ifrs9_rates(tmp_path):
    return write_csv(tmp_path / "ifrs9.csv", ["bucket", "low_days", "high_days", "rate"], [
        ["current", "", "0", "0.3%"], ["1-30", "1", "30", "1.6%"], ["31-60", "31", "60", "3.6%"],
        ["61-90", "61", "90", "6.6%"], [">90", "91", "", "10.6%"]])


def test_the_provision_as_json_with_a_given_rates_file(provision_cli, ifrs9_rates):
    code, out, err = provision_cli("risk", "provision", "--as-of", "2024-06-30", "--method", "matrix",
                                   "--rates", ifrs9_rates, "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    assert (data["as_of"], data["method"], data["total_allowance"]) == ("2024-06-30", "matrix", "1032.00")
    assert [(b["bucket"], b["balance"], b["rate"], b["allowance"]) for b in data["buckets"]] == [
        ("current", "10000.00", "0.003", "30.00"), ("1-30", "3000.00", "0.016", "48.00"),
        ("31-60", "0.00", "0.036", "0.00"), ("61-90", "0.00", "0.066", "0.00"), (">90", "9000.00", "0.106", "954.00")]


def test_the_aging_table_method_with_the_example_file_and_a_forward_factor(provision_cli):
    code, out, err = provision_cli("risk", "provision", "--as-of", "2024-06-30", "--method", "aging-table",
                                   "--rates", EXAMPLES / "aging-table-rates.csv", "--forward-factor", "1.1",
                                   "--format", "json")
    assert code == 0, err
    # 20,000 x 5.5 % + 2,000 x 33 % = 1,100 + 660.
    assert json.loads(out)["total_allowance"] == "1760.00"


def test_a_specific_provision_set_listed_ended_and_the_table_by_customer(provision_cli, ifrs9_rates):
    code, out, err = provision_cli("risk", "specific", "set", "C2", "--rate", "50%", "--reason", "清算中",
                                   "--from", "2024-06-01", "--format", "json")
    assert code == 0, err
    made = json.loads(out)[0]
    assert (made["customer"], made["rate"], made["valid_from"]) == ("C2", "0.5", "2024-06-01")
    code, out, _ = provision_cli("risk", "provision", "--as-of", "2024-06-30", "--rates", ifrs9_rates,
                                 "--by", "customer")
    assert code == 0 and "specific-rate" in out and "3,500.00" in out and "3,790.00" in out
    code, out, _ = provision_cli("risk", "specific", "end", made["id"], "--until", "2024-06-15", "--format", "json")
    assert code == 0 and json.loads(out)[0]["valid_until"] == "2024-06-15"
    code, out, _ = provision_cli("risk", "specific", "list", "--as-of", "2024-06-30", "--format", "json")
    assert json.loads(out) == []


def test_settings_shown_and_changed(provision_cli):
    code, out, _ = provision_cli("risk", "provision-settings", "--format", "json")
    assert code == 0 and json.loads(out)[0]["method"] == "matrix"
    code, out, err = provision_cli("risk", "provision-settings", "--method", "aging-table", "--lookback", "6",
                                   "--format", "json")
    assert code == 0, err
    assert (json.loads(out)[0]["method"], json.loads(out)[0]["lookback_months"]) == ("aging-table", 6)
    code, out, _ = provision_cli("risk", "provision", "--as-of", "2024-06-30", "--format", "json")
    assert json.loads(out)["method"] == "aging-table" and json.loads(out)["total_allowance"] == "1600.00"


def test_the_specific_rule_is_set_by_command_and_the_report_shows_both_figures(provision_cli, ifrs9_rates):
    code, out, err = provision_cli("risk", "provision-settings", "--specific-rule", "higher", "--format", "json")
    assert code == 0, err
    assert json.loads(out)[0]["specific_rule"] == "higher"
    code, out, err = provision_cli("risk", "specific", "set", "C2", "--amount", "500", "--reason", "部分担保",
                                   "--from", "2024-06-01", "--format", "json")
    assert code == 0, err
    code, out, _ = provision_cli("risk", "provision", "--as-of", "2024-06-30", "--rates", ifrs9_rates, "--format",
                                 "json")
    found = json.loads(out)
    # C2: collective 7,000 x 10.6 % = 742 against 500 assessed: the higher, 742, counts.
    c2 = next(c for c in found["customers"] if c["customer"] == "C2")
    assert (c2["collective"], c2["specific"], c2["allowance"], c2["basis"]) == ("742.00", "500.00", "742.00", "matrix")
    assert (found["specific_rule"], found["total_allowance"]) == ("higher", "1032.00")
    code, out, _ = provision_cli("risk", "provision", "--as-of", "2024-06-30", "--rates", ifrs9_rates)
    assert code == 0 and "specific rule: higher" in out
    code, _, err = provision_cli("risk", "provision-settings", "--specific-rule", "lower")
    assert code == 2 and "specific rule 'lower'" in err


@pytest.mark.parametrize("args, message", [
    (("risk", "provision", "--method", "guess"), "method 'guess'"),
    (("risk", "provision", "--as-of", "2024-13-01"), "--as-of '2024-13-01' is not a date"),
    (("risk", "specific", "set", "C1", "--reason", "x"), "a rate or an amount"),
])
def test_bad_input_exits_2_with_a_message(provision_cli, args, message):
    code, out, err = provision_cli(*args)
    assert code == 2 and message in err + out


def test_a_bad_rates_file_names_its_row_and_column(provision_cli, tmp_path):
    path = write_csv(tmp_path / "bad.csv", ["bucket", "low_days", "high_days", "rate"], [["current", "", "0", "x%"]])
    code, out, err = provision_cli("risk", "provision", "--rates", path)
    assert code == 2 and "bad.csv: row 2, column rate: 'x' is not a number" in err + out


def test_every_command_has_help(provision_cli):
    for args in (("risk", "provision"), ("risk", "specific", "set"), ("risk", "specific", "list"),
                 ("risk", "specific", "end"), ("risk", "provision-settings")):
        code, out, _ = provision_cli(*args, "--help")
        assert code == 0 and "Usage" in out
